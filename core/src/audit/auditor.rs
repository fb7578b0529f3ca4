//! The streaming auditor.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Months, NaiveDate};

use super::violation::{Category, Consequence, Severity, Violation};
use crate::calendar::china_date;
use crate::policy::{AccessRequest, Answer, Decision, Effect, Engine, SeveritySettings};
use crate::registry::{Department, Grant, Method, Registry, RegistryDoc, Resource};
use crate::workflow::{
    ApplicationState, Event, EventKind, Irregularity, Ledger, ObligationKind, ObligationState,
};

type Time = DateTime<FixedOffset>;

/// A finding before its severity is known (severity depends on what came before).
#[derive(Debug, Clone)]
struct Draft {
    seq: u64,
    category: Category,
    department: String,
    due: Option<NaiveDate>,
    events: Vec<String>,
    basis: Vec<String>,
    occurred: NaiveDate,
    resource: Option<String>,
    application: Option<String>,
    late_workdays: Option<i64>,
    sensitive: bool,
    extra: Vec<Consequence>,
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
/// Purpose checks (`purpose_violation`) ask the engine, at the moment of the usage,
/// whether the department could get the resource for that purpose, with its own
/// registered certificate serial and the resource's own network (so only purpose and
/// grant matter), given the grants of that department on that resource in force at
/// that moment (and the grant the usage names): the usage is taken as a use of the
/// whole resource, or as a use within one of those grants (its fields and first
/// method), or, when it names a grant, within that grant. A deny whose reasons
/// include anything beyond Art. 26 (certificate) and Art. 8 (network) is a
/// violation.
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
    settings: SeveritySettings,
    drafts: Vec<Draft>,
    seq: u64,
    /// Engine answers, cached by what they depend on.
    evals: Evals,
    /// Events applied and reported (`out_of_order`).
    reported: Vec<Irregularity>,
    /// Ids of the events reported `out_of_order`.
    doubtful: HashSet<String>,
    horizon: Horizon,
    /// The ledger's registry generation the cached answers were computed under.
    registry_generation: u64,
}

/// An engine answer, valid for moments in `[lo, hi)`: the engine's answer depends
/// on the moment only through the validity of the department's certificate, of the
/// pack and of the candidate grants, and the key holds whether each grant is active.
#[derive(Debug, Clone)]
struct Cached<T> {
    lo: Time,
    hi: Time,
    /// `None` when the engine could not answer (a moment outside the pack's
    /// validity), or, for an Art. 13 answer, when the department may require the
    /// item.
    value: Option<T>,
}

/// Engine answers for the audit, each computed with exactly the candidate grants
/// that matter and cached by their content (purposes, fields, methods, approvals
/// and whether they are active, never their ids or dates): many grants alike cost
/// one evaluation.
#[derive(Debug, Default)]
struct Evals {
    decisions: HashMap<String, Cached<Decision>>,
    answers: HashMap<String, Cached<Answer>>,
    /// A reusable buffer for keys.
    key: String,
}

/// Each cache is cleared when it grows past this many entries.
const CACHE_LIMIT: usize = 65_536;

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

/// The interval around `at` inside which neither the department's certificate
/// nor the pack changes validity.
fn stable_interval(engine: &Engine, department: &Department, at: Time) -> (Time, Time) {
    let mut bounds: Vec<Time> = Vec::new();
    for c in &department.certificates {
        bounds.extend([c.not_before, c.not_after]);
    }
    let m = engine.pack().manifest();
    for day in [Some(m.valid_from), m.valid_until.succ_opt()]
        .into_iter()
        .flatten()
    {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Both China and UTC midnights: extra bounds only shorten the interval.
        for offset in [
            crate::calendar::CHINA_OFFSET,
            FixedOffset::east_opt(0).unwrap_or(crate::calendar::CHINA_OFFSET),
        ] {
            if let Some(t) = midnight.and_local_timezone(offset).single() {
                bounds.push(t);
            }
        }
    }
    let mut lo = DateTime::<FixedOffset>::MIN_UTC.fixed_offset();
    let mut hi = DateTime::<FixedOffset>::MAX_UTC.fixed_offset();
    for b in bounds {
        if b <= at {
            lo = lo.max(b);
        } else {
            hi = hi.min(b);
        }
    }
    (lo, hi)
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

impl Auditor {
    /// An auditor over `engine`'s pack and registry, as of `as_of`.
    pub fn new(engine: Engine, as_of: Time) -> Self {
        let settings = engine.pack().manifest().severity.clone();
        Self {
            ledger: Ledger::lenient(engine),
            as_of,
            as_of_day: china_date(as_of),
            settings,
            drafts: Vec::new(),
            seq: 0,
            evals: Evals::default(),
            reported: Vec::new(),
            doubtful: HashSet::new(),
            horizon: Horizon::default(),
            registry_generation: 0,
        }
    }

    /// The events applied and reported so far, in log order: each event dated
    /// earlier than the event before it (code `out_of_order`, with its `at` and the
    /// previous `at`; SPEC §4 Order).
    pub fn reported(&self) -> &[Irregularity] {
        &self.reported
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

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the finding"
    )]
    fn add(
        &mut self,
        category: Category,
        department: &str,
        events: Vec<String>,
        basis: &[&str],
        occurred: NaiveDate,
        resource: Option<&str>,
        sensitive: bool,
        detail: (String, String),
    ) -> &mut Draft {
        self.seq += 1;
        self.drafts.push(Draft {
            seq: self.seq,
            category,
            department: department.to_owned(),
            due: None,
            events,
            basis: basis.iter().map(|s| (*s).to_owned()).collect(),
            occurred,
            resource: resource.map(str::to_owned),
            application: None,
            late_workdays: None,
            sensitive,
            extra: Vec::new(),
            detail_zh: detail.0,
            detail_en: detail.1,
        });
        let i = self.drafts.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.drafts[i]
    }

    fn late_obligation(&mut self, o: &ObligationState, still_open: bool) {
        let (category, zh_what, en_what) = match o.kind {
            ObligationKind::CatalogUpdate => (
                Category::CatalogNotUpdated,
                "更新政務信息資源目錄",
                "update its catalog",
            ),
            ObligationKind::CatalogFiling => (
                Category::CatalogNotFiled,
                "向市大數據中心備案目錄",
                "file its catalog with the Big Data Center",
            ),
            ObligationKind::DataProvision | ObligationKind::FirstProvision => (
                Category::DataNotProvided,
                "向共享平台提供更新數據",
                "provide updated data to the platform",
            ),
            ObligationKind::InconsistencyCorrection => (
                Category::DataInconsistent,
                "校核更正被反饋的不一致數據",
                "correct the reported inconsistent data",
            ),
            ObligationKind::IncidentReport => (
                Category::IncidentNotReported,
                "向主管部門報告安全問題",
                "report the incident",
            ),
        };
        let Some(due) = o.due else { return };
        let n = o.late_workdays.unwrap_or(0);
        let res = o
            .resource
            .as_deref()
            .map(|r| format!("（{r}）"))
            .unwrap_or_default();
        let res_en = o
            .resource
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let detail = if still_open {
            (
                format!(
                    "：應於{due}前{zh_what}{res}（第{}條），截至{}仍未完成，逾期{n}個工作日",
                    zh_article(&o.article),
                    self.as_of_day
                ),
                format!(
                    ": had to {en_what}{res_en} by {due} (Art. {}); still not done on {}, {}",
                    o.article,
                    self.as_of_day,
                    days(n)
                ),
            )
        } else {
            let done = o
                .fulfilled
                .map(china_date)
                .map(|d| d.to_string())
                .unwrap_or_default();
            (
                format!(
                    "：應於{due}前{zh_what}{res}（第{}條），{done}方完成，逾期{n}個工作日",
                    zh_article(&o.article)
                ),
                format!(
                    ": had to {en_what}{res_en} by {due} (Art. {}); done on {done}, {}",
                    o.article,
                    days(n)
                ),
            )
        };
        let basis: Vec<&str> = match o.kind {
            ObligationKind::DataProvision => vec![o.article.as_str(), "14"],
            _ => vec![o.article.as_str()],
        };
        let occurred = due.succ_opt().unwrap_or(due);
        let d = self.add(
            category,
            &o.department,
            o.events.clone(),
            &basis,
            occurred,
            o.resource.as_deref(),
            false,
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        if category == Category::DataNotProvided {
            d.extra.push(Consequence::RestrictDerivedAccess);
        }
    }

    fn late_reply(&mut self, a: &ApplicationState, reply_event: Option<&str>) {
        let Some(due) = a.reply_due else { return };
        let n = a.reply_late_workdays.unwrap_or(0);
        let mut events: Vec<String> = a.events.first().cloned().into_iter().collect();
        events.extend(reply_event.map(str::to_owned));
        let applicant = dept_name(self.ledger.base_engine(), &a.department);
        let detail = match a.replied {
            Some(t) => (
                format!(
                    "：對{}的申請{}（{}）應於{due}前答覆（第十七條），{}方答覆，逾期{n}個工作日",
                    applicant,
                    a.id,
                    a.resource,
                    china_date(t)
                ),
                format!(
                    ": the reply to {}'s application {} ({}) was due by {due} (Art. 17); replied on {}, {}",
                    a.department,
                    a.id,
                    a.resource,
                    china_date(t),
                    days(n)
                ),
            ),
            None => (
                format!(
                    "：對{}的申請{}（{}）應於{due}前答覆（第十七條），截至{}仍未答覆，逾期{n}個工作日",
                    applicant, a.id, a.resource, self.as_of_day
                ),
                format!(
                    ": the reply to {}'s application {} ({}) was due by {due} (Art. 17); no reply by {}, {}",
                    a.department,
                    a.id,
                    a.resource,
                    self.as_of_day,
                    days(n)
                ),
            ),
        };
        let occurred = due.succ_opt().unwrap_or(due);
        let d = self.add(
            Category::ReplyOverdue,
            &a.provider,
            events,
            &["17"],
            occurred,
            Some(&a.resource),
            false,
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        d.application = Some(a.id.clone());
    }

    /// Feeds one event. Events after `as_of` are counted (for positional ids) and
    /// ignored. An event the lenient ledger rejects is an error naming it; the audit
    /// can go on without it.
    pub fn push(&mut self, event: &Event) -> Result<(), crate::Error> {
        if event.at > self.as_of {
            self.ledger.skip_entry();
            return Ok(());
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
            if irr.code == "out_of_order" {
                self.doubtful.insert(irr.event.clone());
                self.reported.push(irr.clone());
                continue;
            }
            let app = irr.application.as_deref().unwrap_or("");
            let why = irr.reason.as_deref().unwrap_or("");
            let (category, basis, detail) = match irr.code.as_str() {
                "refusal_without_reason" => (
                    Category::RefusalWithoutReason,
                    "17",
                    (
                        format!("：拒絕（或部分拒絕）申請{app}未說明理由（第十七條）"),
                        format!(
                            ": refused application {app} (or part of it) without a reason (Art. 17)"
                        ),
                    ),
                ),
                "scope_not_stated" => (
                    Category::ScopeNotStated,
                    "17",
                    (
                        format!("：答覆申請{app}未明確共享範圍和使用用途：{why}（第十七條）"),
                        format!(
                            ": approved application {app} without stating its scope: {why} (Art. 17)"
                        ),
                    ),
                ),
                "certificate_not_used" => (
                    Category::CertificateNotUsed,
                    "26",
                    (
                        format!("：辦理申請{app}未使用有效的統一數字證書：{why}（第二十六條）"),
                        format!(
                            ": acted on application {app} without a valid certificate: {why} (Art. 26)"
                        ),
                    ),
                ),
                "service_refused" => (
                    Category::ServiceRefused,
                    "20",
                    (
                        format!("：信息校核期間拒絕、推諉或要求更正：{why}（第二十條）"),
                        format!(": during verification, {why} (Art. 20)"),
                    ),
                ),
                // Reported, not a violation (e.g. `purpose_not_duty` at an apply).
                _ => {
                    self.reported.push(irr.clone());
                    continue;
                }
            };
            let app_events: Vec<String> = applied
                .application
                .as_ref()
                .and_then(|a| a.events.first().cloned())
                .into_iter()
                .chain([id.clone()])
                .collect();
            let resource = applied
                .application
                .as_ref()
                .map(|a| a.resource.clone())
                .or_else(|| irr.resource.clone());
            let d = self.add(
                category,
                &irr.department,
                app_events,
                &[basis],
                day,
                resource.as_deref(),
                false,
                detail,
            );
            d.application.clone_from(&irr.application);
        }
        if let (EventKind::Reply { .. }, Some(a)) = (&event.kind, &applied.application)
            && a.replied == Some(event.at)
            && a.reply_late
        {
            let a = a.clone();
            self.late_reply(&a, Some(&id));
        }
        for o in &applied.closed {
            if o.late {
                self.late_obligation(o, false);
            }
        }
        match &event.kind {
            EventKind::DataRejected {
                resource, reason, ..
            } => {
                let provider = self
                    .resource(resource)
                    .map(|r| r.provider.clone())
                    .unwrap_or_default();
                let detail = (
                    format!("：提供的數據（{resource}）不符合規範、無法使用：{reason}"),
                    format!(": data provided for {resource} is unusable: {reason}"),
                );
                self.add(
                    Category::DataUnusable,
                    &provider,
                    vec![id],
                    &["18"],
                    day,
                    Some(resource),
                    false,
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
            } => {
                let sensitive = self.sensitive(resource);
                let detail = (
                    format!("：未經許可向{to}擴散共享信息（{resource}）（第二十三條）"),
                    format!(
                        ": disclosed shared data ({resource}) to {to} without authorisation (Art. 23)"
                    ),
                );
                self.add(
                    Category::UnauthorizedDisclosure,
                    department,
                    vec![id.clone()],
                    &["23", "19"],
                    day,
                    Some(resource),
                    sensitive,
                    detail,
                );
                if sensitive {
                    self.breach(&id, day, department, resource, false, Some(to));
                }
            }
            EventKind::Leak {
                department,
                resource,
                criminal,
            } => {
                if self.sensitive(resource) {
                    self.breach(&id, day, department, resource, *criminal, None);
                } else {
                    let detail = (
                        format!("：共享信息（{resource}）泄露（第二十三條）"),
                        format!(": shared data ({resource}) leaked (Art. 23)"),
                    );
                    let d = self.add(
                        Category::UnauthorizedDisclosure,
                        department,
                        vec![id],
                        &["23", "24"],
                        day,
                        Some(resource),
                        false,
                        detail,
                    );
                    if *criminal {
                        d.extra.push(Consequence::CriminalReferral);
                    }
                }
            }
            EventKind::SubmissionRequired {
                department,
                resource,
            } => self.check_submission(&id, event.at, department, resource),
            EventKind::ProjectSubmitted {
                project,
                department,
                catalog: false,
            } => {
                let detail = (
                    format!("：項目{project}立項申請前未預編項目信息資源目錄（第二十八條）"),
                    format!(
                        ": project {project} was submitted without its information-resource catalog (Art. 28)"
                    ),
                );
                let d = self.add(
                    Category::ProjectWithoutCatalog,
                    department,
                    vec![id],
                    &["28"],
                    day,
                    None,
                    false,
                    detail,
                );
                d.extra.push(Consequence::ApprovalRefused);
            }
            EventKind::ProjectAccepted {
                project,
                department,
                catalog_in_platform: false,
            } => {
                let detail = (
                    format!(
                        "：項目{project}驗收時其信息資源目錄未納入共享平台目錄管理系統（第二十八條）"
                    ),
                    format!(
                        ": project {project} was accepted without its catalog in the platform (Art. 28)"
                    ),
                );
                let d = self.add(
                    Category::ProjectWithoutCatalog,
                    department,
                    vec![id],
                    &["28"],
                    day,
                    None,
                    false,
                    detail,
                );
                d.extra.push(Consequence::FundingWithheld);
            }
            _ => {}
        }
        self.ledger.forget_closed();
        if let Some(horizon) = self.horizon.observe(event.at) {
            self.ledger.forget_grants_ended_by(horizon);
        }
        Ok(())
    }

    fn resource(&self, id: &str) -> Option<&Resource> {
        self.ledger_engine().registry().resource(id)
    }

    fn ledger_engine(&self) -> &Engine {
        self.ledger.base_engine()
    }

    fn sensitive(&self, resource: &str) -> bool {
        self.resource(resource)
            .is_some_and(|r| !r.sensitivity.is_empty())
    }

    fn breach(
        &mut self,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        criminal: bool,
        to: Option<&str>,
    ) {
        let marks: Vec<String> = self
            .resource(resource)
            .map(|r| {
                r.sensitivity
                    .iter()
                    .filter_map(|s| serde_json::to_value(s).ok())
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let marks = marks.join(", ");
        let detail = match to {
            Some(to) => (
                format!(
                    "：向{to}擴散涉及國家秘密、商業秘密或個人隱私的共享信息（{resource}：{marks}）（第三十一條）"
                ),
                format!(
                    ": disclosed sensitive shared data ({resource}: {marks}) to {to} (Art. 31)"
                ),
            ),
            None => (
                format!(
                    "：造成涉及國家秘密、商業秘密或個人隱私的共享信息（{resource}：{marks}）泄漏（第三十一條）{}",
                    if criminal { "，涉嫌犯罪" } else { "" }
                ),
                format!(
                    ": sensitive shared data ({resource}: {marks}) leaked (Art. 31){}",
                    if criminal { ", a suspected crime" } else { "" }
                ),
            ),
        };
        let d = self.add(
            Category::SensitiveDataBreach,
            department,
            vec![id.to_owned()],
            &["31", "23"],
            day,
            Some(resource),
            true,
            detail,
        );
        if criminal {
            d.extra.push(Consequence::CriminalReferral);
        }
    }

    fn check_usage(
        &mut self,
        id: &str,
        at: Time,
        department: &str,
        resource: &str,
        purpose: &str,
        grant: Option<&str>,
    ) {
        let Some(deny) = usage_denied(
            &self.ledger,
            &mut self.evals,
            at,
            department,
            resource,
            purpose,
            grant,
        ) else {
            return;
        };
        let sensitive = self.sensitive(resource);
        let why: Vec<String> = deny
            .reasons
            .iter()
            .map(|r| format!("{}（第{}條）", r.zh, r.article))
            .collect();
        let why_en: Vec<String> = deny
            .reasons
            .iter()
            .map(|r| format!("{} (Art. {})", r.en, r.article))
            .collect();
        let detail = (
            format!(
                "：為「{purpose}」使用{resource}超出履職需要或授權範圍：{}",
                why.join("；")
            ),
            format!(
                ": used {resource} for `{purpose}` outside its duties or grant: {}",
                why_en.join("; ")
            ),
        );
        let mut basis: Vec<String> = vec!["19".to_owned(), "23".to_owned()];
        for c in &deny.citations {
            if !basis.contains(c) {
                basis.push(c.clone());
            }
        }
        let basis_ref: Vec<&str> = basis.iter().map(String::as_str).collect();
        self.add(
            Category::PurposeViolation,
            department,
            vec![id.to_owned()],
            &basis_ref,
            china_date(at),
            Some(resource),
            sensitive,
            detail,
        );
    }

    fn check_submission(&mut self, id: &str, at: Time, department: &str, resource: &str) {
        let Some(answer) = obtainable(&self.ledger, &mut self.evals, at, department, resource)
        else {
            return;
        };
        let basis: Vec<&str> = answer.citations.iter().map(String::as_str).collect();
        let detail = (
            format!("：要求辦事人重複提交共享平台可獲取的信息（{resource}）（第十三條）"),
            format!(
                ": required a person or company to submit {resource}, which it can get through the platform (Art. 13)"
            ),
        );
        self.add(
            Category::DuplicateCollection,
            department,
            vec![id.to_owned()],
            &basis,
            china_date(at),
            Some(resource),
            false,
            detail,
        );
    }

    /// Ends the audit: overdue replies and obligations still open at `as_of`, then the
    /// severity and consequences of every finding, ordered by when it happened.
    pub fn finish(mut self) -> Vec<Violation> {
        let (apps, obligations) = self.ledger.open_items(self.as_of);
        for a in &apps {
            if a.replied.is_none() && a.reply_late {
                self.late_reply(a, None);
            }
        }
        for o in &obligations {
            if o.late {
                self.late_obligation(o, true);
            }
        }
        let mut drafts = std::mem::take(&mut self.drafts);
        drafts.sort_by_key(|d| (d.occurred, d.seq));
        let engine = self.ledger.base_engine().clone();
        let mut history: HashMap<(String, Category), VecDeque<NaiveDate>> = HashMap::new();
        let s = &self.settings;
        let doubtful = &self.doubtful;
        drafts
            .into_iter()
            .map(|d| {
                let window = history
                    .entry((d.department.clone(), d.category))
                    .or_default();
                let since = d
                    .occurred
                    .checked_sub_months(Months::new(s.repeat_window_months))
                    .unwrap_or(NaiveDate::MIN);
                while window.front().is_some_and(|&t| t <= since) {
                    window.pop_front();
                }
                // A finding of an event out of order counts for itself, never
                // towards another finding's repeat (SPEC §4 Order: it never changes
                // another event's verdict).
                let count = if d.events.iter().any(|e| doubtful.contains(e)) {
                    window.len() + 1
                } else {
                    window.push_back(d.occurred);
                    window.len()
                };
                let mut because = Vec::new();
                if d.late_workdays
                    .is_some_and(|n| n > i64::from(s.lateness_workdays))
                {
                    because.push("lateness".to_owned());
                }
                if s.repeat_count > 0 && count >= s.repeat_count as usize {
                    because.push("repeat".to_owned());
                }
                if d.sensitive && s.sensitive_is_serious {
                    because.push("sensitive".to_owned());
                }
                // Only the last `repeat_count` findings matter for the next count.
                while window.len() > s.repeat_count.max(1) as usize {
                    window.pop_front();
                }
                let severity = if because.is_empty() {
                    Severity::Ordinary
                } else {
                    Severity::Serious
                };
                finish_one(&engine, d, severity, because)
            })
            .collect()
    }
}

fn finish_one(engine: &Engine, d: Draft, severity: Severity, because: Vec<String>) -> Violation {
    let mut consequences = Vec::new();
    match d.category {
        Category::SensitiveDataBreach => consequences.push(Consequence::LegalReferral),
        Category::ProjectWithoutCatalog => {}
        _ => {
            consequences.push(Consequence::UrgeCorrection);
            if severity == Severity::Serious {
                consequences.push(Consequence::DisciplinaryReferral);
            }
        }
    }
    for c in d.extra {
        if !consequences.contains(&c) {
            consequences.push(c);
        }
    }
    let name = dept_name(engine, &d.department);
    let zh = format!("{name}{}", d.detail_zh);
    let en = format!("{}{}", d.department, d.detail_en);
    Violation {
        category: d.category,
        article: d.category.article().to_owned(),
        department: d.department,
        severity,
        consequences,
        due: d.due,
        events: d.events,
        zh,
        en,
        basis: d.basis,
        occurred: d.occurred,
        resource: d.resource,
        application: d.application,
        late_workdays: d.late_workdays,
        serious_because: because,
    }
}

/// "1 working day late", "3 working days late".
fn days(n: i64) -> String {
    if n == 1 {
        "1 working day late".to_owned()
    } else {
        format!("{n} working days late")
    }
}

/// The Chinese numeral of an obligation's article (十一, 十六, 十八, 二十一).
fn zh_article(article: &str) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let Ok(n) = article.parse::<usize>() else {
        return article.to_owned();
    };
    let digit = |d: usize| DIGITS.get(d).copied().unwrap_or("");
    match (n / 10, n % 10) {
        (0, u) => digit(u).to_owned(),
        (1, 0) => "十".to_owned(),
        (1, u) => format!("十{}", digit(u)),
        (t, 0) => format!("{}十", digit(t)),
        (t, u) => format!("{}十{}", digit(t), digit(u)),
    }
}

/// Articles that concern the request's form rather than its purpose or grant.
const FORM_ARTICLES: [&str; 3] = ["26", "8", "33"];

/// The shape of a request: its fields (`None`: the whole resource) and method.
type Shape<'a> = (Option<&'a [String]>, Method);

/// The shape of a use within grant `g`: its fields and its first method.
fn within(g: &Grant) -> Shape<'_> {
    (
        (!g.fields.is_empty()).then_some(g.fields.as_slice()),
        g.methods.first().copied().unwrap_or(Method::OnlineQuery),
    )
}

/// A key part, length-prefixed so that no two keys of different parts meet.
fn part(key: &mut String, s: &str) {
    let _ = write!(key, "{}:{s}", s.len());
}

fn parts<'s>(key: &mut String, list: impl IntoIterator<Item = &'s String>) {
    key.push('[');
    for s in list {
        part(key, s);
    }
    key.push(']');
}

/// What the engine reads of a grant for a decision at `at`: everything but its id
/// and dates, and whether it is active.
fn grant_part(key: &mut String, g: &Grant, at: Time) {
    // Active as SPEC §1 says (full precision), and as the pack compares (whole
    // seconds); when the two differ, the grant's own dates.
    match activity(g, at) {
        Some(true) => key.push('+'),
        Some(false) => key.push('~'),
        None => {
            let _ = write!(
                key,
                "?{}/{:?}",
                g.from.to_rfc3339(),
                g.until.map(|u| u.to_rfc3339())
            );
        }
    }
    parts(key, &g.purposes);
    parts(key, &g.fields);
    let _ = write!(key, "{:?}{:?}{:?}", g.methods, g.source, g.approvals);
}

/// Whether `g` is active at `at` as SPEC §1 says (full precision) and as the pack
/// compares (whole seconds); `None` when the two differ.
fn activity(g: &Grant, at: Time) -> Option<bool> {
    let active = g.active_at(at);
    let secs = at.timestamp();
    let active_secs = g.from.timestamp() <= secs && g.until.is_none_or(|u| secs < u.timestamp());
    (active == active_secs).then_some(active)
}

/// The grants met so far among candidates, to skip those alike (the same content
/// and activity: the engine decides them alike), so that many grants alike cost one
/// look-up.
#[derive(Default)]
struct Alike<'g> {
    met: Vec<(&'g Grant, bool)>,
}

impl<'g> Alike<'g> {
    /// Whether a grant alike `g` was met before; records `g` if not.
    fn seen(&mut self, g: &'g Grant, at: Time) -> bool {
        let Some(active) = activity(g, at) else {
            return false;
        };
        let alike = |h: &Grant| {
            h.purposes == g.purposes
                && h.fields == g.fields
                && h.methods == g.methods
                && h.source == g.source
                && h.approvals == g.approvals
                && h.department == g.department
                && h.resource == g.resource
        };
        if self.met.iter().any(|&(h, a)| a == active && alike(h)) {
            return true;
        }
        // A handful of kinds of grants per pair is the rule; keep the scan short.
        if self.met.len() < 16 {
            self.met.push((g, active));
        }
        false
    }
}

/// One department's requests for one resource, for a purpose, at a moment.
struct Asker<'a> {
    engine: &'a Engine,
    department: &'a Department,
    resource: &'a Resource,
    purpose: &'a str,
    at: Time,
}

impl Asker<'_> {
    /// A request in `shape`, with the department's registered certificate and the
    /// resource's network (so only purpose and grant matter).
    fn request(&self, shape: Shape<'_>) -> AccessRequest {
        AccessRequest {
            department: self.department.id.clone(),
            resource: self.resource.id.clone(),
            method: shape.1,
            purpose: self.purpose.to_owned(),
            fields: shape.0.map(<[String]>::to_vec),
            network: self.resource.network,
            certificate: self
                .department
                .valid_certificate(self.at)
                .or_else(|| self.department.certificates.first())
                .map(|c| c.serial.clone())
                .unwrap_or_default(),
            at: self.at,
        }
    }

    /// An engine that decides with exactly `grants` as the department's grants on
    /// the resource: one over a registry of the department, the resource, its
    /// provider and `grants` (the engine reads nothing else of a registry for a
    /// decision; `core/tests/audit.rs` compares with decisions over the whole
    /// registry).
    fn engine_with<'g>(&self, grants: impl IntoIterator<Item = &'g Grant>) -> Option<Engine> {
        let reg = self.engine.registry();
        let provider = reg.department(&self.resource.provider)?;
        let mut departments = vec![self.department.clone()];
        if provider.id != self.department.id {
            departments.push(provider.clone());
        }
        // The provenance of a derived resource (`sources`) is not read by a
        // decision, and names resources this small registry does not hold.
        let mut resource = self.resource.clone();
        resource.sources.clear();
        let doc = RegistryDoc {
            departments,
            resources: vec![resource],
            grants: grants.into_iter().cloned().collect(),
        };
        Registry::from_doc(doc)
            .ok()
            .map(|r| self.engine.with_registry(r))
    }

    /// The engine's decision on a request in `shape` with `grant` (or none) as the
    /// only candidate grant.
    fn decide(
        &self,
        evals: &mut Evals,
        shape: Shape<'_>,
        grant: Option<&Grant>,
    ) -> Option<Decision> {
        let key = &mut evals.key;
        key.clear();
        key.push('d');
        part(key, &self.department.id);
        part(key, &self.resource.id);
        part(key, self.purpose);
        match shape.0 {
            Some(fields) => parts(key, fields),
            None => key.push('*'),
        }
        let _ = write!(key, "{:?}", shape.1);
        match grant {
            Some(g) => grant_part(key, g, self.at),
            None => key.push('-'),
        }
        if let Some(c) = evals.decisions.get(key.as_str())
            && c.lo <= self.at
            && self.at < c.hi
        {
            return c.value.clone();
        }
        let value = self
            .engine_with(grant)
            .and_then(|e| e.decide(&self.request(shape)).ok());
        let (lo, hi) = stable_interval(self.engine, self.department, self.at);
        if evals.decisions.len() >= CACHE_LIMIT {
            evals.decisions.clear();
        }
        evals.decisions.insert(
            evals.key.clone(),
            Cached {
                lo,
                hi,
                value: value.clone(),
            },
        );
        value
    }

    /// The engine's decision on a request in `shape` with `candidates` as the
    /// department's grants on the resource: as the engine decides, the first
    /// candidate that permits, else the deny with the fewest reasons (the first of
    /// them); with no candidate, the decision without a grant. `None` when the
    /// engine cannot decide.
    fn decide_among<'g>(
        &self,
        evals: &mut Evals,
        shape: Shape<'_>,
        candidates: impl IntoIterator<Item = &'g Grant>,
    ) -> Option<Decision> {
        let mut best: Option<Decision> = None;
        let mut any = false;
        let mut alike = Alike::default();
        for g in candidates {
            any = true;
            if alike.seen(g, self.at) {
                // Decided like a grant before it: a permit would have returned.
                continue;
            }
            let d = self.decide(evals, shape, Some(g))?;
            if d.decision == Effect::Permit {
                return Some(d);
            }
            if best
                .as_ref()
                .is_none_or(|b| d.reasons.len() < b.reasons.len())
            {
                best = Some(d);
            }
        }
        if any {
            best
        } else {
            self.decide(evals, shape, None)
        }
    }
}

/// The deny behind a usage that violates purpose or grant, if it does.
///
/// The usage is a use of the whole resource, or a use within one grant: the named
/// one when it is the pair's, none when it is another pair's, else each grant of the
/// pair in force (decided with that grant alone: a grant that covers a use within
/// another also covers a use within itself, so nothing is lost, and a pair with many
/// grants costs a number of evaluations linear in them). The candidates are the
/// grants of the department on the resource in force at `at` (the registry's, then
/// those created by events), and the named grant. Any permit: no violation; else a
/// violation when the deny for the whole resource has a reason beyond the form of
/// the request (certificate, network, the pack's validity).
fn usage_denied(
    ledger: &Ledger,
    evals: &mut Evals,
    at: Time,
    department: &str,
    resource: &str,
    purpose: &str,
    grant: Option<&str>,
) -> Option<Decision> {
    let engine = ledger.base_engine();
    let reg = engine.registry();
    let asker = Asker {
        engine,
        department: reg.department(department)?,
        resource: reg.resource(resource)?,
        purpose,
        at,
    };
    let named = grant.and_then(|g| ledger.grant(g));
    let on_pair = named.filter(|g| g.department == department && g.resource == resource);
    let candidates = || {
        reg.grants_for(department, resource)
            .chain(ledger.event_grants(department, resource))
            .filter(move |g| g.active_at(at) || on_pair.is_some_and(|n| n.id == g.id))
    };
    let whole: Shape<'_> = (None, Method::OnlineQuery);
    let deny = match (grant, named, on_pair) {
        (_, _, Some(n)) => {
            // The likeliest permit first: within the named grant, by itself.
            if asker.decide(evals, within(n), Some(n))?.decision == Effect::Permit
                || asker.decide_among(evals, within(n), candidates())?.decision == Effect::Permit
            {
                return None;
            }
            asker.decide_among(evals, whole, candidates())?
        }
        (Some(_), Some(_), None) => asker.decide_among(evals, whole, candidates())?,
        _ => {
            let d = asker.decide_among(evals, whole, candidates())?;
            if d.decision == Effect::Permit {
                return None;
            }
            let mut alike = Alike::default();
            for g in candidates() {
                if !alike.seen(g, at)
                    && asker.decide(evals, within(g), Some(g))?.decision == Effect::Permit
                {
                    return None;
                }
            }
            d
        }
    };
    if deny.decision == Effect::Permit {
        return None;
    }
    let substantive = deny
        .reasons
        .iter()
        .any(|r| !FORM_ARTICLES.contains(&r.article.as_str()))
        || (deny.reasons.is_empty()
            && deny
                .citations
                .iter()
                .any(|c| !FORM_ARTICLES.contains(&c.as_str())));
    substantive.then_some(deny)
}

/// Art. 13: the engine's answer, when the department may not require the item (it
/// can get it through the platform, with the grants in force); `None` when it may,
/// or when the engine cannot answer (a moment outside the pack's validity).
fn obtainable(
    ledger: &Ledger,
    evals: &mut Evals,
    at: Time,
    department: &str,
    resource: &str,
) -> Option<Answer> {
    let engine = ledger.base_engine();
    let reg = engine.registry();
    let asker = Asker {
        engine,
        department: reg.department(department)?,
        resource: reg.resource(resource)?,
        purpose: "",
        at,
    };
    let in_force: Vec<&Grant> = reg
        .grants_for(department, resource)
        .chain(ledger.event_grants(department, resource))
        .filter(|g| g.active_at(at))
        .collect();
    let key = &mut evals.key;
    key.clear();
    key.push('s');
    part(key, department);
    part(key, resource);
    for g in &in_force {
        grant_part(key, g, at);
    }
    if let Some(c) = evals.answers.get(key.as_str())
        && c.lo <= at
        && at < c.hi
    {
        return c.value.clone();
    }
    let value = asker.engine_with(in_force.iter().copied()).and_then(|e| {
        e.may_require_submission(department, resource, at)
            .ok()
            .filter(|a| !a.allowed)
    });
    let (lo, hi) = stable_interval(engine, asker.department, at);
    if evals.answers.len() >= CACHE_LIMIT {
        evals.answers.clear();
    }
    evals.answers.insert(
        evals.key.clone(),
        Cached {
            lo,
            hi,
            value: value.clone(),
        },
    );
    value
}
