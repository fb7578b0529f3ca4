//! The streaming auditor: [`Auditor::push`] one event at a time, then
//! [`Auditor::finish`]. One concept per file, as in cedar-policy's `authorizer`:
//!
//! - `evals`: the engine-answer cache (decisions and Art. 13 answers);
//! - `classify`: a `usage` judged by the engine, each failing check → a category;
//! - `collection`: Art. 13 duplicate collection;
//! - `lateness`: late replies, consents and duties;
//! - `sensitive`: disclosures, leaks and incidents (Art. 23, 31);
//! - `severity`: serious or ordinary, and what follows;
//! - `texts`: the zh/en words.

use std::borrow::Borrow;
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::violation::{Category, Consequence, Violation};
use crate::calendar::china_date;
use crate::policy::{Engine, Manifest};
use crate::registry::{Resource, Sensitivity};
use crate::workflow::{
    ApplicationState, Event, EventKind, Irregularity, Ledger, ObligationState, ObligationStatus,
};

mod classify;
mod collection;
mod evals;
mod lateness;
mod sensitive;
mod severity;
mod texts;

use evals::Evals;

pub(crate) type Time = DateTime<FixedOffset>;

/// A finding before its severity is known (severity depends on what came before).
#[derive(Debug, Clone)]
struct Draft {
    seq: u64,
    category: Category,
    department: String,
    due: Option<NaiveDate>,
    events: Vec<String>,
    /// Every article behind it, the sanctioning one first.
    basis: Vec<String>,
    occurred: NaiveDate,
    resource: Option<String>,
    application: Option<String>,
    late_workdays: Option<i64>,
    /// A state secret is involved (serious, SPEC v2 §5 Severity).
    secret: bool,
    /// Consequences beyond those of the category and severity.
    extra: Vec<Consequence>,
    /// A reading of the pack where the text is silent.
    reading: bool,
    /// For a usage: the failing checks.
    checks: Vec<String>,
    /// The pack that judges it, when the ledger says (a duty's or an
    /// application's `pack`); else the auditor's.
    pack: Option<String>,
    detail_zh: String,
    detail_en: String,
}

/// Classifies violations over an event log, as of a moment (SPEC §5).
///
/// Streams: [`Auditor::push`] one event at a time, then [`Auditor::finish`]. Memory
/// grows with what is open (applications, obligations, grants in force) and with the
/// findings, not with the length of the log, except for the ids of the events seen
/// (SPEC §4 makes ids unique: one bit per event when ids are positions or end in
/// dense numbers, else 16 bytes). Events after `as_of` are ignored.
///
/// **Order (SPEC §4).** An event dated earlier than the event before it is applied
/// in log order and reported ([`Auditor::reported`], code `out_of_order`). It is
/// judged at its own `at`, and it never changes another event's verdict: it fulfils
/// in log order what is open when it comes (so a duty is not left open because of
/// its date), the grant it creates starts no earlier than the previous event of its
/// application, and its findings do not count towards the repeat threshold of
/// other findings. A repeated event id is rejected
/// (`workflow.duplicate_event`) and ignored: nothing is counted twice.
///
/// **Usage (SPEC v2 §5).** A `usage` is judged by the decision the engine would
/// give at its moment, with the department's own registered certificate and the
/// resource's own network, given the grants of that department on that resource in
/// force at that moment (and the grant the usage names): the usage is taken as a use
/// of the whole resource, or as a use within one of those grants (its fields and
/// first method), or, when it names a grant, within that grant. Any permit: no
/// violation. Else each failing check of the deny becomes a category through the
/// pack's `usage_checks` table (a purpose outside the duties: `purpose_violation`;
/// a use the grants do not cover: `unauthorized_use`; certificate, network; a
/// quarantine alone: nothing), one violation per category listing its checks.
///
/// Grants that ended are forgotten once the log has moved past them: after each
/// block of 4,096 events, the grants that ended before every event of that block and
/// the block before it. One far-future event cannot move that horizon; an event
/// dated before it (4,096 or more events out of order) is judged without the grants
/// that ended before the horizon.
#[derive(Debug)]
pub struct Auditor {
    ledger: Ledger,
    as_of: Time,
    as_of_day: NaiveDate,
    manifest: Manifest,
    drafts: Vec<Draft>,
    seq: u64,
    /// Engine answers, cached by what they depend on.
    evals: Evals,
    /// Findings of the ledger applied and reported, not violations.
    reported: Vec<Irregularity>,
    /// Duties whose due date is unknown (SPEC v2 §3), closed so far.
    undetermined: Vec<ObligationState>,
    /// Ids of the events reported `out_of_order`.
    doubtful: HashSet<String>,
    horizon: Horizon,
    /// The ledger's registry generation the cached answers were computed under.
    registry_generation: u64,
    /// The violations of the earlier packs of the timeline, judged when the log
    /// moved past them.
    done: Vec<Violation>,
}

/// Events per block of the forgetting horizon.
const BLOCK: u32 = 4096;

/// The moment before which no event of the log is expected any more: the earliest
/// `at` of the last two complete blocks of events, never moving back. A grant that
/// ended at or before it is forgotten.
#[derive(Debug, Default)]
struct Horizon {
    count: u32,
    block_min: Option<Time>,
    previous_block_min: Option<Time>,
    at: Option<Time>,
}

impl Horizon {
    /// Counts an applied event; at the end of a block, the new horizon when it moved.
    fn observe(&mut self, at: Time) -> Option<Time> {
        self.block_min = Some(self.block_min.map_or(at, |m| m.min(at)));
        self.count += 1;
        if self.count < BLOCK {
            return None;
        }
        self.count = 0;
        let block = self.block_min.take()?;
        let previous = self.previous_block_min.replace(block)?;
        let candidate = previous.min(block);
        if self.at.is_some_and(|h| candidate <= h) {
            return None;
        }
        self.at = Some(candidate);
        Some(candidate)
    }
}

/// Audits `events` as of `as_of` with `engine`'s pack and registry. A rejected event
/// (one the lenient ledger cannot apply: unknown ids, wrong state, wrong actor, a
/// repeated id) is an error naming it. Events out of order are applied; use an
/// [`Auditor`] to see them reported.
pub fn audit<I>(engine: Engine, events: I, as_of: Time) -> Result<Vec<Violation>, crate::Error>
where
    I: IntoIterator,
    I::Item: Borrow<Event>,
{
    let mut auditor = Auditor::new(engine, as_of);
    for e in events {
        auditor.push(e.borrow())?;
    }
    Ok(auditor.finish())
}

fn dept_name(engine: &Engine, id: &str) -> String {
    engine
        .registry()
        .department(id)
        .map_or_else(|| id.to_owned(), |d| d.name.clone())
}

/// The irregularity codes that are violations (SPEC v2 §5), with their category.
fn irregularity_category(code: &str) -> Option<Category> {
    match code {
        "refusal_without_reason" => Some(Category::RefusalWithoutReason),
        "scope_not_stated" => Some(Category::ScopeNotStated),
        "certificate_not_used" => Some(Category::CertificateNotUsed),
        "service_refused" => Some(Category::ServiceRefused),
        "sharing_obstructed" => Some(Category::SharingObstructed),
        "materials_not_requested_at_once" => Some(Category::MaterialsNotRequestedAtOnce),
        "refused_for_missing_materials" => Some(Category::RefusedForMissingMaterials),
        "verification_not_fed_back" => Some(Category::VerificationNotFedBack),
        "service_terminated_unilaterally" => Some(Category::ServiceTerminatedUnilaterally),
        _ => None,
    }
}

impl Auditor {
    /// An auditor over `engine`'s pack and registry, as of `as_of`.
    /// Of an engine over a timeline of packs, the audit runs on the earliest
    /// pack; an event in force under another is refused (`policy.not_in_pack`),
    /// as the ledger refuses it.
    pub fn new(engine: Engine, as_of: Time) -> Self {
        let manifest = engine.earliest().pack().manifest().clone();
        Self {
            ledger: Ledger::lenient(engine),
            as_of,
            as_of_day: china_date(as_of),
            manifest,
            drafts: Vec::new(),
            seq: 0,
            evals: Evals::default(),
            reported: Vec::new(),
            undetermined: Vec::new(),
            doubtful: HashSet::new(),
            horizon: Horizon::default(),
            registry_generation: 0,
            done: Vec::new(),
        }
    }

    /// The log moved on to a later pack of the timeline (SPEC v2 §7): what is
    /// still open under the current pack is judged now, by it (its duties and
    /// replies end with it), and the audit goes on under `next`.
    fn close_segment(&mut self, next: Manifest) {
        let (apps, obligations) = self.ledger.open_items(self.as_of);
        let pack = self.manifest.name.clone();
        for a in apps.iter().filter(|a| a.pack == pack) {
            self.late_reply_open(a);
        }
        for o in obligations.iter().filter(|o| o.pack == pack) {
            self.late_obligation(o, true);
        }
        let judged = self.judge();
        self.done.extend(judged);
        self.manifest = next;
        self.evals = Evals::default();
    }

    /// What the ledger applied and reported that is not a violation, in log order:
    /// events out of order (`out_of_order`, with their `at` and the previous `at`;
    /// SPEC §4 Order), and (SPEC v2) `purpose_not_duty`, `registry_change_rejected`,
    /// `resource_withdrawn`, `not_in_force` and any code the audit does not judge.
    pub fn reported(&self) -> &[Irregularity] {
        &self.reported
    }

    /// The duties whose due date is unknown (`due_unknown`, SPEC v2 §3: the calendar
    /// does not reach the deadline): never a violation, listed here instead, as of
    /// `as_of` (those fulfilled so far, then those still open).
    pub fn undetermined(&self) -> Vec<ObligationState> {
        let (_, open) = self.ledger.open_items(self.as_of);
        self.undetermined
            .iter()
            .cloned()
            .chain(open.into_iter().filter(|o| o.due_unknown.is_some()))
            .collect()
    }

    /// The moment of the audit.
    pub fn as_of(&self) -> Time {
        self.as_of
    }

    /// Counts a log entry that could not be parsed, so that later events without an
    /// id still get their position in the log as their id.
    pub fn skip_entry(&mut self) {
        self.ledger.skip_entry();
    }

    /// The audit's ledger (lenient), for its state.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// A project without its catalog (Binzhou Art. 28) at `stage`: the funding is
    /// withheld and that stage (approval or acceptance) refused.
    fn project_without_catalog(
        &mut self,
        department: &str,
        event: String,
        day: NaiveDate,
        detail: (String, String),
        stage: Consequence,
    ) {
        let d = self.add(
            Category::ProjectWithoutCatalog,
            department,
            vec![event],
            &[],
            day,
            None,
            detail,
        );
        d.extra.extend([stage, Consequence::FundingWithheld]);
    }

    /// A new finding of `category`: its basis is the pack's article and basis for
    /// the category, then `extra_basis`.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the finding"
    )]
    fn add(
        &mut self,
        category: Category,
        department: &str,
        events: Vec<String>,
        extra_basis: &[&str],
        occurred: NaiveDate,
        resource: Option<&str>,
        detail: (String, String),
    ) -> &mut Draft {
        self.seq += 1;
        let mut basis: Vec<String> = Vec::new();
        if let Some(s) = self.manifest.category(category) {
            basis.push(s.article.clone());
            basis.extend(s.basis.iter().cloned());
        }
        for b in extra_basis {
            if !basis.iter().any(|x| x == b) {
                basis.push((*b).to_owned());
            }
        }
        self.drafts.push(Draft {
            seq: self.seq,
            category,
            department: department.to_owned(),
            due: None,
            events,
            basis,
            occurred,
            resource: resource.map(str::to_owned),
            application: None,
            late_workdays: None,
            secret: false,
            extra: Vec::new(),
            reading: false,
            checks: Vec::new(),
            pack: None,
            detail_zh: detail.0,
            detail_en: detail.1,
        });
        let i = self.drafts.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.drafts[i]
    }

    /// Feeds one event. Events after `as_of` are counted (for positional ids) and
    /// ignored. An event the lenient ledger rejects is an error naming it; the audit
    /// can go on without it.
    pub fn push(&mut self, event: &Event) -> Result<(), crate::Error> {
        if event.at > self.as_of {
            self.ledger.skip_entry();
            return Ok(());
        }
        if let Some(next) = self.ledger.next_pack_at(event.at)
            && next.manifest().workflow
        {
            let next = next.manifest().clone();
            self.close_segment(next);
        }
        let applied = self.ledger.apply(event)?;
        // A registry change (SPEC v2 §4): answers cached under the old registry
        // no longer hold.
        let generation = self.ledger.registry_generation();
        if generation != self.registry_generation {
            self.evals = Evals::default();
            self.registry_generation = generation;
        }
        let id = applied.event.clone();
        let day = china_date(event.at);
        for irr in &applied.irregularities {
            self.on_irregularity(irr, applied.application.as_ref(), &id, day);
        }
        // SPEC v2 §7: an event kind the pack in force does not read, or one on
        // data outside the regulation, is reported and ignored: nothing is
        // judged of it.
        if applied
            .irregularities
            .iter()
            .any(|i| i.code == "event_not_in_pack" || i.code == "outside_regulation")
        {
            self.ledger.forget_closed();
            return Ok(());
        }
        if let EventKind::Reply { by, .. } = &event.kind
            && let Some(a) = &applied.application
        {
            let a = a.clone();
            self.late_reply_event(&a, by, &id, event.at);
        }
        for o in &applied.closed {
            self.late_obligation(o, false);
        }
        match &event.kind {
            EventKind::DataRejected {
                resource, reason, ..
            } => {
                let provider = self
                    .resource(resource)
                    .map(|r| r.provider.clone())
                    .unwrap_or_default();
                let detail = texts::unusable(resource, reason);
                self.add(
                    Category::DataUnusable,
                    &provider,
                    vec![id],
                    &[],
                    day,
                    Some(resource),
                    detail,
                );
            }
            EventKind::Usage {
                department,
                resource,
                purpose,
                grant,
            } => self.check_usage(
                &id,
                event.at,
                department,
                resource,
                purpose,
                grant.as_deref(),
            ),
            EventKind::Disclosure {
                department,
                resource,
                to,
            } => self.disclosure(&id, day, department, resource, to),
            EventKind::Leak {
                department,
                resource,
                criminal,
            } => self.leak(&id, day, department, resource, *criminal),
            // Art. 24 安全問題 other than a leak: they open a report duty (the
            // ledger's), but disclose no data (Art. 23, 31 name 擴散 and 泄露/泄漏).
            EventKind::Tampering {
                department,
                resource,
                criminal,
            }
            | EventKind::Destruction {
                department,
                resource,
                criminal,
            }
            | EventKind::IllegalUse {
                department,
                resource,
                criminal,
            } if self.manifest.audit.incidents == crate::policy::IncidentReading::RequesterDuty => {
                self.incident(&id, day, department, resource, *criminal, false);
            }
            EventKind::Tampering { .. }
            | EventKind::Destruction { .. }
            | EventKind::IllegalUse { .. }
            | EventKind::Intrusion { .. }
            | EventKind::Outage { .. } => {}
            EventKind::SubmissionRequired {
                department,
                resource,
            } => self.check_submission(&id, event.at, department, resource),
            EventKind::ProjectSubmitted {
                project,
                department,
                catalog: false,
            } => self.project_without_catalog(
                department,
                id,
                day,
                texts::project_submitted(project),
                Consequence::ApprovalRefused,
            ),
            EventKind::ProjectAccepted {
                project,
                department,
                catalog_in_platform: false,
            } => self.project_without_catalog(
                department,
                id,
                day,
                texts::project_accepted(project),
                Consequence::AcceptanceRefused,
            ),
            _ => {}
        }
        self.ledger.forget_closed();
        if let Some(horizon) = self.horizon.observe(event.at) {
            self.ledger.forget_grants_ended_by(horizon);
        }
        Ok(())
    }

    /// A finding of the lenient ledger: a violation when SPEC v2 §5 makes its code
    /// one (refusal_without_reason, scope_not_stated → 17; certificate_not_used →
    /// 26, the acting department; service_refused → 20), else reported.
    fn on_irregularity(
        &mut self,
        irr: &Irregularity,
        application: Option<&ApplicationState>,
        id: &str,
        day: NaiveDate,
    ) {
        if irr.code == "out_of_order" {
            self.doubtful.insert(irr.event.clone());
        }
        let Some(category) = irregularity_category(&irr.code) else {
            self.reported.push(irr.clone());
            return;
        };
        let events: Vec<String> = application
            .and_then(|a| a.events.first().cloned())
            .filter(|first| first != id)
            .into_iter()
            .chain([id.to_owned()])
            .collect();
        let resource = irr
            .resource
            .clone()
            .or_else(|| application.map(|a| a.resource.clone()));
        let detail =
            texts::irregularity(category, irr.application.as_deref(), irr.reason.as_deref());
        let d = self.add(
            category,
            &irr.department,
            events,
            &[],
            day,
            resource.as_deref(),
            detail,
        );
        d.application.clone_from(&irr.application);
        d.pack = application.map(|a| a.pack.clone());
    }

    fn resource(&self, id: &str) -> Option<&Resource> {
        self.ledger.base_engine().registry().resource(id)
    }

    /// Whether the resource has any sensitivity (Art. 31).
    fn sensitive(&self, resource: &str) -> bool {
        self.resource(resource)
            .is_some_and(|r| !r.sensitivity.is_empty())
    }

    /// Whether the resource is a state secret (serious, SPEC v2 §5 Severity).
    fn secret(&self, resource: &str) -> bool {
        self.resource(resource)
            .is_some_and(|r| r.sensitivity.contains(&Sensitivity::StateSecret))
    }

    /// Ends the audit: overdue replies and obligations still open at `as_of`, then the
    /// severity and consequences of every finding, ordered by when it happened.
    pub fn finish(mut self) -> Vec<Violation> {
        let (apps, obligations) = self.ledger.open_items(self.as_of);
        let pack = self.manifest.name.clone();
        for a in apps.iter().filter(|a| a.pack == pack) {
            self.late_reply_open(a);
        }
        for o in obligations.iter().filter(|o| o.pack == pack) {
            self.late_obligation(o, true);
        }
        let mut out = std::mem::take(&mut self.done);
        out.extend(self.judge());
        out
    }

    /// Whether an obligation is no violation whatever its dates: ended (its pack
    /// lapsed, its resource withdrawn) or with an unknown due date.
    fn not_judged(&mut self, o: &ObligationState, closed: bool) -> bool {
        if o.due_unknown.is_some() {
            if closed {
                self.undetermined.push(o.clone());
            }
            return true;
        }
        o.status == ObligationStatus::Ended || o.ended.is_some()
    }
}

#[cfg(test)]
mod tests {
    //! The paths the ledger drives (SPEC v2 §5), fed with the ledger's interface
    //! (`Irregularity`, `ObligationState`) directly: the ledger does not emit all
    //! of them yet.

    use super::*;
    use crate::audit::{Consequence, Severity};
    use crate::policy::PolicyPack;
    use crate::registry::Registry;
    use crate::workflow::ObligationKind;

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn auditor(as_of: &str) -> Auditor {
        let registry = Registry::from_path(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../policies/binzhou/sample/registry.json"
        ))
        .unwrap();
        let engine = Engine::new(PolicyPack::binzhou(), registry).unwrap();
        Auditor::new(engine, t(as_of))
    }

    fn irr(code: &str, department: &str) -> Irregularity {
        Irregularity {
            code: code.to_owned(),
            article: String::new(),
            event: "e1".to_owned(),
            department: department.to_owned(),
            application: Some("A-1".to_owned()),
            at: None,
            previous: None,
            resource: Some("population.basic".to_owned()),
            reason: None,
        }
    }

    fn obligation(kind: ObligationKind, due: &str, as_of_late: i64) -> ObligationState {
        ObligationState {
            id: format!("e1/{}", kind.as_str()),
            kind,
            article: "21".to_owned(),
            basis: vec!["21".to_owned()],
            department: "city.public-security".to_owned(),
            resource: Some("population.basic".to_owned()),
            subject: None,
            opened: t("2019-09-02T10:00:00+08:00"),
            due: Some(due.parse().unwrap()),
            due_at: None,
            due_unknown: None,
            pack: "binzhou".to_owned(),
            ended: None,
            status: ObligationStatus::Open,
            fulfilled: None,
            late: true,
            late_workdays: Some(as_of_late),
            events: vec!["e1".to_owned()],
            application: None,
            delay_justified: None,
        }
    }

    #[test]
    fn irregularities_that_are_violations() {
        let mut a = auditor("2019-11-01T00:00:00+08:00");
        let day = NaiveDate::from_ymd_opt(2019, 10, 8).unwrap();
        for (code, dep) in [
            ("refusal_without_reason", "city.public-security"),
            ("scope_not_stated", "city.public-security"),
            ("certificate_not_used", "city.civil-affairs"),
            ("service_refused", "city.civil-affairs"),
            ("purpose_not_duty", "city.civil-affairs"),
            ("registry_change_rejected", "city.civil-affairs"),
            ("resource_withdrawn", "city.civil-affairs"),
            ("not_in_force", "city.civil-affairs"),
        ] {
            a.on_irregularity(&irr(code, dep), None, "e1", day);
        }
        assert_eq!(
            a.reported()
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>(),
            [
                "purpose_not_duty",
                "registry_change_rejected",
                "resource_withdrawn",
                "not_in_force"
            ]
        );
        let vs = a.judge();
        let got: Vec<(Category, &str, Vec<&str>)> = vs
            .iter()
            .map(|v| {
                (
                    v.category,
                    v.department.as_str(),
                    v.basis.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Category::RefusalWithoutReason,
                    "city.public-security",
                    vec!["30(5)", "17"]
                ),
                (
                    Category::ScopeNotStated,
                    "city.public-security",
                    vec!["30(5)", "17"]
                ),
                (
                    Category::CertificateNotUsed,
                    "city.civil-affairs",
                    vec!["30(5)", "26"]
                ),
                (
                    Category::ServiceRefused,
                    "city.civil-affairs",
                    vec!["30(5)", "20"]
                ),
            ]
        );
        assert!(vs.iter().all(|v| v.article == "30(5)"
            && v.pack == "binzhou"
            && v.application.as_deref() == Some("A-1")
            && v.events == ["e1"]));
    }

    #[test]
    fn first_provision_and_incident_duties() {
        let mut a = auditor("2019-10-01T00:00:00+08:00");
        a.late_obligation(
            &obligation(ObligationKind::FirstProvision, "2019-09-20", 3),
            true,
        );
        let mut incident = obligation(ObligationKind::IncidentReport, "2019-09-20", 3);
        incident.department = "city.civil-affairs".to_owned();
        // The pack named by the duty is the violation's (SPEC v2 §4 Validity).
        incident.pack = "binzhou-duty".to_owned();
        a.late_obligation(&incident, true);
        let vs = a.judge();
        assert_eq!(vs.len(), 2);
        let first = &vs[0];
        assert_eq!(first.category, Category::DataNotProvided);
        assert_eq!(first.basis, ["30(2)", "21¶2", "14"]);
        assert!(
            first
                .consequences
                .contains(&Consequence::RestrictDerivedAccess)
        );
        let inc = &vs[1];
        assert_eq!(inc.category, Category::IncidentNotReported);
        assert_eq!(inc.basis, ["30(5)", "24"]);
        assert_eq!(inc.department, "city.civil-affairs");
        assert_eq!(inc.severity, Severity::Ordinary);
        assert_eq!(inc.pack, "binzhou-duty");
        assert_eq!(first.pack, "binzhou");
    }

    #[test]
    fn unknown_due_and_ended_duties_are_no_violation() {
        let mut a = auditor("2019-10-01T00:00:00+08:00");
        let mut unknown = obligation(ObligationKind::FirstProvision, "2019-09-20", 3);
        unknown.due = None;
        unknown.due_unknown = Some("calendar.not_covered".to_owned());
        unknown.status = ObligationStatus::Fulfilled;
        a.late_obligation(&unknown, false);
        let mut ended = obligation(ObligationKind::DataProvision, "2019-09-20", 3);
        ended.status = ObligationStatus::Ended;
        ended.ended = Some("pack_lapsed".to_owned());
        a.late_obligation(&ended, true);
        assert_eq!(
            a.undetermined()
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>(),
            ["e1/first_provision"]
        );
        assert!(a.judge().is_empty());
    }

    #[test]
    fn lateness_stops_at_the_packs_last_day() {
        // Due 2022-10-12; the pack's last day is 2022-11-05: 17 working days,
        // whatever the ledger counted up to as_of.
        let mut a = auditor("2023-01-10T09:00:00+08:00");
        a.late_obligation(
            &obligation(ObligationKind::DataProvision, "2022-10-12", 60),
            true,
        );
        let vs = a.judge();
        assert_eq!(vs[0].late_workdays, Some(17));
        assert!(vs[0].pack_lapsed);
        assert!(
            !vs[0]
                .consequences
                .contains(&Consequence::RestrictDerivedAccess)
        );
        // A duty due after the last day ended without violation.
        let mut a = auditor("2023-01-10T09:00:00+08:00");
        a.late_obligation(
            &obligation(ObligationKind::DataProvision, "2022-11-07", 40),
            true,
        );
        assert!(a.judge().is_empty());
    }

    #[test]
    fn a_state_secret_incident_is_serious() {
        let mut a = auditor("2019-10-01T00:00:00+08:00");
        let secret = a
            .ledger
            .base_engine()
            .registry()
            .resources()
            .iter()
            .find(|r| r.sensitivity.contains(&Sensitivity::StateSecret))
            .map(|r| r.id.clone());
        let Some(secret) = secret else { return };
        let mut o = obligation(ObligationKind::IncidentReport, "2019-09-20", 1);
        o.resource = Some(secret);
        a.late_obligation(&o, true);
        let vs = a.judge();
        assert_eq!(vs[0].severity, Severity::Serious);
        assert_eq!(vs[0].serious_because, ["state_secret"]);
    }
}
