//! The ledger: applies events one at a time, keeping only what is still open.
//!
//! One concept per file: [`applications`] (Art. 17, 21: applying, replies, scope,
//! coordination, the grants events create), [`obligations`] (duties with deadlines
//! in working days or hours, their pack and its lapse), [`history`] (the registry's
//! history: changes as events), [`acts`] (Art. 26: the certificate of an act),
//! [`service`] (Art. 20: serving during verification).

mod acts;
mod applications;
mod history;
mod obligations;
mod regional;
mod service;

pub(crate) use history::registry_changed;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};

use super::error::WorkflowError;
use super::event::{Event, EventKind};
use super::grants::GrantBook;
use super::ids::IdSet;
use super::state::{
    ApplicationStatus, Applied, Drained, Irregularity, LedgerState, ObligationState,
};
use crate::calendar::{WorkCalendar, china_date};
use crate::policy::Engine;
use crate::registry::{Grant, Registry, Resource, Role};

use applications::App;
use history::History;
use obligations::{Obligation, ObligationKey};

type Time = DateTime<FixedOffset>;

/// The applications and obligations driven by an event log (SPEC §4).
///
/// **Order (SPEC §4).** The log is in non-decreasing order of `at`. An event earlier
/// than the event the ledger applied before it is rejected by a strict ledger
/// (`workflow.out_of_order`); a lenient one applies it in log order and reports it
/// (an [`Irregularity`] `out_of_order`). Such an event is judged at its own `at`
/// (an obligation it fulfils, in log order, is late or not by that moment), and the
/// grant it creates starts no earlier than the previous event of its application,
/// so a reply dated before its application never covers a use before the
/// application existed.
///
/// **Event ids (SPEC §4).** Ids are unique: an event repeating the id of an event
/// applied before is rejected (`workflow.duplicate_event`) by both a strict and a
/// lenient ledger, and changes nothing. An event without `id` has the decimal
/// string of its 1-based position as its id.
///
/// **The registry's history (SPEC v2 §4).** The registry the ledger is given is the
/// state before the first event. Registry-change events (`resource_catalogued`,
/// `resource_changed`, `resource_withdrawn`, `department_changed`,
/// `certificate_issued`, `certificate_revoked`, `restriction_imposed`,
/// `restriction_lifted`) change it from their `at`; a change that adds an error
/// finding (SPEC v2 §6), names an unknown department or resource, or is not a valid
/// entry is rejected by both a strict and a lenient ledger (an audit reports it) and
/// the registry stays as it was. Every event is judged against the registry as it
/// stood when it came: [`Ledger::engine`] is the registry now, [`Ledger::registry_at`]
/// the registry at a moment (the base with the changes made at or before it).
///
/// **Validity (SPEC v2 §4, Art. 33).** A duty belongs to the pack in force when the
/// event that opened it happened; an event at a moment no pack is in force opens
/// none. A duty due after the pack's last day ends without violation when the pack
/// lapses; the lateness of a duty due before counts up to the pack's last day.
///
/// Memory grows with what is open (applications not yet final, obligations not yet
/// fulfilled, grants in force), not with the length of the log: finished
/// applications and fulfilled obligations are handed back by [`Ledger::apply`] and
/// [`Ledger::drain`] and kept only until drained. The exceptions are the ids of the
/// events applied, to reject repeats (one bit per event when ids are positions or
/// end in dense numbers, else 16 bytes), the registry changes (to answer
/// [`Ledger::registry_at`]), the grants a strict ledger created (its
/// [`Ledger::engine`] decides with all of them), and the ids of drained
/// applications in a strict ledger. A lenient ledger ([`Ledger::lenient`], the
/// audit's) keeps no drained application ids, and its auditor forgets grants that
/// ended long ago.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The engine over the registry as it stands after the events applied so far
    /// (without the grants events created).
    snapshot: Engine,
    /// Every pack of the engine's timeline, earliest first (SPEC v2 §7), and the
    /// one the ledger runs on now: an event in force under a later pack moves
    /// the ledger to it; one under an earlier pack is refused.
    packs: Vec<crate::policy::PolicyPack>,
    current: usize,
    /// The registry before the first event, and the changes since.
    history: History,
    /// Grants created by events (the snapshot holds the registry's own).
    book: GrantBook,
    /// The snapshot with every grant of the book, built on demand, keyed by the
    /// book's generation and the registry's.
    folded: Option<((u64, u64), Engine)>,
    calendar: WorkCalendar,
    lenient: bool,
    position: u64,
    seq: u64,
    /// The `at` of the event applied last (SPEC §4 Order).
    last_at: Option<Time>,
    apps: HashMap<String, App>,
    tombstones: HashMap<String, ApplicationStatus>,
    /// Ids of the events applied.
    ids: IdSet,
    open: BTreeMap<u64, Obligation>,
    index: HashMap<ObligationKey, Vec<u64>>,
    closed: Vec<Obligation>,
    finished: Vec<String>,
}

fn wf<T>(r: Result<T, WorkflowError>) -> Result<T, crate::Error> {
    r.map_err(crate::Error::from)
}

impl Ledger {
    /// A strict ledger over `engine`'s pack and registry (the state before the first
    /// event), counting working days with the built-in China calendar under the
    /// pack's counting rule.
    ///
    /// Of an engine over a timeline of packs, the ledger runs on the earliest
    /// pack (events after it are out of its force); a pack whose manifest says
    /// `workflow = false` refuses every event (`policy.not_in_pack`).
    pub fn new(engine: Engine) -> Self {
        let packs: Vec<crate::policy::PolicyPack> = engine.packs().into_iter().cloned().collect();
        let engine = engine.earliest();
        let manifest = engine.pack().manifest();
        let calendar = WorkCalendar::china().with_rule(manifest.counting_rule);
        let history = History::new(engine.registry().clone());
        let mut ledger = Self {
            snapshot: engine,
            packs,
            current: 0,
            history,
            book: GrantBook::default(),
            folded: None,
            calendar,
            lenient: false,
            position: 0,
            seq: 0,
            last_at: None,
            apps: HashMap::new(),
            tombstones: HashMap::new(),
            ids: IdSet::new(),
            open: BTreeMap::new(),
            index: HashMap::new(),
            closed: Vec::new(),
            finished: Vec::new(),
        };
        if ledger
            .snapshot
            .pack()
            .manifest()
            .declares_event("data_provided")
        {
            ledger.open_catalogued_duties();
        }
        ledger
    }

    /// A lenient ledger (the audit's): a refusal without a reason, an approval
    /// without a stated scope, an act without a valid certificate, an application
    /// for a purpose outside the department's duties and an event out of order are
    /// applied and reported as [`Irregularity`]s instead of being rejected, and no
    /// ids of drained applications are kept.
    pub fn lenient(engine: Engine) -> Self {
        let mut ledger = Self::new(engine);
        ledger.lenient = true;
        ledger
    }

    /// This ledger with another working-day calendar (a local arrangement, a new year).
    /// The pack's counting rule still applies. Due dates are counted when asked, so
    /// a duty whose deadline the old calendar did not cover gets its due date.
    pub fn with_calendar(mut self, calendar: &WorkCalendar) -> Self {
        self.calendar = calendar.with_rule(self.snapshot.pack().manifest().counting_rule);
        self
    }

    /// The calendar due dates are counted with.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    fn fold(&self) -> Engine {
        if self.book.is_empty() {
            return self.snapshot.clone();
        }
        match self
            .snapshot
            .registry()
            .with_grants(self.book.all().cloned().collect())
        {
            Ok(reg) => self.snapshot.with_registry(reg),
            // Grants are checked before they are created, so this does not happen;
            // fall back to the registry's own grants rather than panic.
            Err(_) => self.snapshot.clone(),
        }
    }

    fn generations(&self) -> (u64, u64) {
        (self.book.generation(), self.history.generation())
    }

    /// The engine over the registry as it stands after the events applied so far,
    /// with the grants created by approvals (for a lenient ledger, those its auditor
    /// has not forgotten): a decision after an approval is `granted`.
    pub fn engine(&self) -> Engine {
        match &self.folded {
            Some((generation, engine)) if *generation == self.generations() => engine.clone(),
            _ => self.fold(),
        }
    }

    /// Like [`Ledger::engine`], but keeps the snapshot it builds so that later calls
    /// are cheap until the next grant or registry change.
    pub fn engine_ref(&mut self) -> &Engine {
        let generation = self.generations();
        if self.folded.as_ref().is_none_or(|(g, _)| *g != generation) {
            self.folded = Some((generation, self.fold()));
        }
        match &self.folded {
            Some((_, engine)) => engine,
            None => &self.snapshot,
        }
    }

    /// The registry as it stood at `at` (SPEC v2 §4): the registry given to the
    /// ledger with every registry change applied so far whose `at` is not later,
    /// in log order. Grants created by events are not in it (see
    /// [`Ledger::engine`]).
    pub fn registry_at(&self, at: DateTime<FixedOffset>) -> Result<Registry, crate::Error> {
        self.history.registry_at(at)
    }

    /// Changes whenever a registry change is applied: an answer computed against
    /// the registry is valid while this stays the same.
    pub(crate) fn registry_generation(&self) -> u64 {
        self.history.generation()
    }

    /// The registry as it stands now (after every change applied so far).
    pub fn registry(&self) -> &Registry {
        self.snapshot.registry()
    }

    /// The snapshot of the registry as it stands (without the grants created by
    /// events), for lookups of departments, resources and the registry's own grants.
    pub(crate) fn base_engine(&self) -> &Engine {
        &self.snapshot
    }

    /// The grants events created for `department` on `resource` (in force or not,
    /// until forgotten), in the order they were created.
    pub(crate) fn event_grants<'a>(
        &'a self,
        department: &str,
        resource: &str,
    ) -> impl Iterator<Item = &'a Grant> + 'a {
        self.book.pair(department, resource)
    }

    /// The grant with id `id`: created by an event (and not forgotten), or the
    /// registry's own.
    pub(crate) fn grant(&self, id: &str) -> Option<&Grant> {
        self.book
            .get(id)
            .or_else(|| self.snapshot.registry().grant(id))
    }

    /// Forgets the grants created by events whose validity ended at or before
    /// `horizon`. A caller that never asks about an earlier moment again (an
    /// auditor past that point of the log) keeps memory to the grants in force.
    pub(crate) fn forget_grants_ended_by(&mut self, horizon: DateTime<FixedOffset>) {
        self.book.prune(horizon);
    }

    /// The number of log positions counted so far (applied, rejected or skipped).
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Counts a log entry that could not be parsed, so that later events without an
    /// id still get their position in the log as their id.
    pub fn skip_entry(&mut self) {
        self.position += 1;
    }

    /// Applies one event. On error nothing changes (the log position still advances:
    /// the event occupied a line of the log).
    ///
    /// Both a strict and a lenient ledger reject an event that repeats the id of an
    /// event applied before (`workflow.duplicate_event`), a registry change that
    /// cannot be applied, and an event naming a withdrawn resource. An event dated
    /// earlier than the event applied before it is rejected by a strict ledger
    /// (`workflow.out_of_order`) and applied and reported (`out_of_order` in
    /// [`Applied::irregularities`]) by a lenient one.
    pub fn apply(&mut self, event: &Event) -> Result<Applied, crate::Error> {
        // Fail closed: never judge an event by another regulation's rules. The
        // ledger runs its pack's workflow; an event in force under a later pack
        // of the timeline, or under a pack that does not model the workflow, is
        // refused.
        let day = china_date(event.at);
        let under = self.packs.iter().position(|p| p.in_force_on(day));
        let refuse = |pack: &crate::policy::PolicyPack| -> crate::Error {
            crate::policy::PolicyError::NotInPack {
                pack: pack.name().to_owned(),
                question: "the workflow and the audit",
            }
            .into()
        };
        match under {
            Some(i) if i != self.current => {
                let Some(pack) = self.packs.get(i) else {
                    return Err(refuse(self.snapshot.pack()));
                };
                // An earlier pack: the ledger has moved past it.
                if i < self.current || !pack.manifest().workflow {
                    return Err(refuse(pack));
                }
            }
            _ if !self.snapshot.pack().manifest().workflow => {
                return Err(refuse(self.snapshot.pack()));
            }
            _ => {}
        }
        let kind = event.kind.name();
        let declared = match under.and_then(|i| self.packs.get(i)) {
            Some(p) => p.manifest().declares_event(kind),
            None => self.snapshot.pack().manifest().declares_event(kind),
        };
        // A lenient ledger reads a kind the pack maps to one of its own (SPEC
        // v2 §7, the pack's `[events] read_as`) as that kind, and reports it.
        let moment_manifest = under
            .and_then(|i| self.packs.get(i))
            .unwrap_or(self.snapshot.pack())
            .manifest();
        let read_as: Option<Event> = if !declared && self.lenient {
            moment_manifest
                .events
                .as_ref()
                .and_then(|e| e.read_as.get(kind))
                .and_then(|target| event.read_as(target))
        } else {
            None
        };
        let original_kind = kind;
        let event: &Event = read_as.as_ref().unwrap_or(event);
        let declared = declared || read_as.is_some();
        if !declared {
            let pack = under
                .and_then(|i| self.packs.get(i))
                .unwrap_or(self.snapshot.pack())
                .name()
                .to_owned();
            let position = self.position + 1;
            let id = event.id_or(position);
            if self.ids.seen(&id) {
                self.position += 1;
                return wf(Err(WorkflowError::DuplicateEvent { event: id }));
            }
            if !self.lenient {
                self.position += 1;
                return wf(Err(WorkflowError::EventNotInPack {
                    event: id,
                    kind: kind.to_owned(),
                    pack,
                }));
            }
        }
        if let Some(i) = under.filter(|&i| i > self.current) {
            self.move_to(i);
        }
        if !declared {
            // Lenient: ignored and reported (SPEC v2 §7).
            self.position += 1;
            let id = event.id_or(self.position);
            let mut applied = self.applied(&id, event);
            let mut irr = irregularity("event_not_in_pack", "", &id, "");
            irr.reason = Some(format!(
                "pack `{}` does not read `{kind}` events",
                self.snapshot.pack().name()
            ));
            applied.irregularities.push(irr);
            self.ids.insert(&id);
            self.last_at = Some(self.last_at.map_or(event.at, |p| p.max(event.at)));
            return Ok(applied);
        }
        self.position += 1;
        let id = event.id_or(self.position);
        if self.ids.seen(&id) {
            return wf(Err(WorkflowError::DuplicateEvent { event: id }));
        }
        let previous = self.last_at.filter(|&p| event.at < p);
        if let Some(previous) = previous
            && !self.lenient
        {
            return wf(Err(WorkflowError::OutOfOrder {
                event: id,
                at: event.at.to_rfc3339(),
                previous: previous.to_rfc3339(),
            }));
        }
        let mut applied = wf(self.dispatch(&id, event))?;
        if read_as.is_some() {
            let mut irr = irregularity("event_read_as", "", &id, "");
            irr.reason = Some(format!(
                "pack `{}` reads `{original_kind}` as `{}`",
                self.snapshot.pack().name(),
                event.kind.name()
            ));
            applied.irregularities.push(irr);
        }
        if let Some(previous) = previous {
            let mut irr = irregularity("out_of_order", "", &id, "");
            irr.application = applied.application.as_ref().map(|a| a.id.clone());
            irr.at = Some(event.at);
            irr.previous = Some(previous);
            applied.irregularities.insert(0, irr);
        }
        self.ids.insert(&id);
        self.last_at = Some(event.at);
        Ok(applied)
    }

    /// Moves the ledger to the timeline's pack `i` (later than the current one):
    /// the registry as it stands and the grants events created carry over; the
    /// duties and applications of the earlier pack stay under it (SPEC v2 §4
    /// Validity: it judges them, and they end with it).
    fn move_to(&mut self, i: usize) {
        let Some(pack) = self.packs.get(i).cloned() else {
            return;
        };
        self.snapshot = self.snapshot.with_pack(pack);
        self.calendar = self
            .calendar
            .with_rule(self.snapshot.pack().manifest().counting_rule);
        self.folded = None;
        self.current = i;
        if self
            .snapshot
            .pack()
            .manifest()
            .declares_event("data_provided")
        {
            self.open_catalogued_duties();
        }
    }

    /// The later pack of the timeline an event at `at` would move the ledger to.
    pub(crate) fn next_pack_at(&self, at: Time) -> Option<&crate::policy::PolicyPack> {
        let day = china_date(at);
        let i = self.packs.iter().position(|p| p.in_force_on(day))?;
        (i > self.current).then(|| self.packs.get(i)).flatten()
    }

    fn applied(&self, id: &str, event: &Event) -> Applied {
        Applied {
            event: id.to_owned(),
            kind: event.kind.name().to_owned(),
            application: None,
            grant: None,
            opened: Vec::new(),
            closed: Vec::new(),
            irregularities: Vec::new(),
        }
    }

    fn check_department(
        &self,
        id: &str,
        field: &'static str,
        dept: &str,
    ) -> Result<(), WorkflowError> {
        if self.snapshot.registry().department(dept).is_none() {
            return Err(WorkflowError::UnknownDepartment {
                event: id.to_owned(),
                field,
                department: dept.to_owned(),
            });
        }
        Ok(())
    }

    /// The resource `resource` as the registry stands; a withdrawn one is an error
    /// naming the withdrawal.
    fn resource(&self, id: &str, resource: &str) -> Result<&Resource, WorkflowError> {
        if let Some(r) = self.snapshot.registry().resource(resource) {
            return Ok(r);
        }
        if let Some(by) = self.history.withdrawn_by(resource) {
            return Err(WorkflowError::ResourceWithdrawn {
                event: id.to_owned(),
                resource: resource.to_owned(),
                withdrawn_by: by.to_owned(),
            });
        }
        Err(WorkflowError::UnknownResource {
            event: id.to_owned(),
            resource: resource.to_owned(),
        })
    }

    fn has_role(&self, dept: &str, role: Role) -> bool {
        self.snapshot
            .registry()
            .department(dept)
            .is_some_and(|d| d.has_role(role))
    }

    /// Whether a pack is in force at `at` (SPEC v2 §4 Validity: whole China-time days).
    fn in_force(&self, at: Time) -> bool {
        self.snapshot.pack().in_force_on(china_date(at))
    }

    /// The department with `role` whose region is exactly `region`.
    pub(super) fn body_of_region(&self, role: Role, region: &str) -> Option<String> {
        self.snapshot
            .registry()
            .with_role(role)
            .find(|d| d.region.as_deref() == Some(region))
            .map(|d| d.id.clone())
    }

    /// The region code of `department`, if it has one.
    pub(super) fn region_of(&self, department: &str) -> Option<String> {
        self.snapshot
            .registry()
            .department(department)
            .and_then(|d| d.region.clone())
    }

    /// The body with `role` of `department`'s own region (its same-level
    /// authority or reviewer).
    pub(super) fn same_level_body(&self, role: Role, department: &str) -> Option<String> {
        self.body_of_region(role, &self.region_of(department)?)
    }

    /// Whether `r` is outside the pack's regulation (its `outside_marks`).
    pub(super) fn outside_regulation(&self, r: &Resource) -> bool {
        self.snapshot.pack().manifest().is_outside(r)
    }

    /// An event on a resource outside the pack's regulation (not an `apply`,
    /// which its procedure refuses, nor a registry change): strict, rejected;
    /// lenient, reported and ignored.
    fn outside(&self, id: &str, event: &Event) -> Option<Result<Applied, WorkflowError>> {
        let resource = match &event.kind {
            EventKind::Usage { resource, .. }
            | EventKind::Disclosure { resource, .. }
            | EventKind::Leak { resource, .. }
            | EventKind::Tampering { resource, .. }
            | EventKind::Destruction { resource, .. }
            | EventKind::IllegalUse { resource, .. }
            | EventKind::Intrusion { resource, .. }
            | EventKind::Outage { resource, .. }
            | EventKind::IncidentReported { resource, .. }
            | EventKind::SubmissionRequired { resource, .. }
            | EventKind::VerificationRequested { resource, .. }
            | EventKind::VerificationCompleted { resource, .. } => resource,
            _ => return None,
        };
        let r = self.snapshot.registry().resource(resource)?;
        if !self.outside_regulation(r) {
            return None;
        }
        if !self.lenient {
            return Some(Err(WorkflowError::NotApplicable {
                event: id.to_owned(),
                resource: resource.clone(),
                rule: self.rule("outside_regulation"),
            }));
        }
        let mut applied = self.applied(id, event);
        let mut irr = self.irregular("outside_regulation", id, "");
        irr.resource = Some(resource.clone());
        irr.reason = Some(self.rule("outside_regulation"));
        applied.irregularities.push(irr);
        Some(Ok(applied))
    }

    fn dispatch(&mut self, id: &str, event: &Event) -> Result<Applied, WorkflowError> {
        if let Some(answer) = self.outside(id, event) {
            return answer;
        }
        if self.snapshot.pack().manifest().applications.procedure
            == crate::policy::Procedure::Regional
            && matches!(
                event.kind,
                EventKind::Apply { .. }
                    | EventKind::Reply { .. }
                    | EventKind::Escalate { .. }
                    | EventKind::Coordinate { .. }
                    | EventKind::Decide { .. }
                    | EventKind::NegotiationFailed { .. }
                    | EventKind::MaterialsRequested { .. }
                    | EventKind::MaterialsSupplied { .. }
                    | EventKind::ExtensionGranted { .. }
                    | EventKind::DelayJustified { .. }
                    | EventKind::DataShared { .. }
            )
        {
            // An application opened under an earlier pack is judged by it, and
            // that pack has lapsed.
            let app = match &event.kind {
                EventKind::Reply { application, .. }
                | EventKind::Escalate { application, .. }
                | EventKind::Coordinate { application, .. }
                | EventKind::Decide { application, .. }
                | EventKind::NegotiationFailed { application, .. }
                | EventKind::MaterialsRequested { application, .. }
                | EventKind::MaterialsSupplied { application, .. }
                | EventKind::DelayJustified { application, .. } => self.apps.get(application),
                _ => None,
            };
            if let Some(a) = app
                && a.pack != self.snapshot.pack().name()
            {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: event.kind.name(),
                    application: a.id.clone(),
                    state: a.status.as_str(),
                    rule: format!(
                        "the application was made under pack `{}`, which judges it and is no longer in force",
                        a.pack
                    ),
                });
            }
            return self.on_regional_event(id, event);
        }
        match &event.kind {
            EventKind::Apply { .. }
            | EventKind::Reply { .. }
            | EventKind::Escalate { .. }
            | EventKind::Coordinate { .. } => self.on_application_event(id, event),
            EventKind::ResourceCatalogued { .. }
            | EventKind::ResourceChanged { .. }
            | EventKind::ResourceWithdrawn { .. }
            | EventKind::DepartmentChanged { .. }
            | EventKind::CertificateIssued { .. }
            | EventKind::CertificateRevoked { .. }
            | EventKind::RestrictionImposed { .. }
            | EventKind::RestrictionLifted { .. }
            | EventKind::SharingSuspended { .. }
            | EventKind::SharingRestored { .. }
            | EventKind::SharingTerminated { .. } => self.on_registry_change(id, event),
            EventKind::ServiceTerminated {
                grant,
                by,
                reason,
                negotiated,
                filed,
            }
            | EventKind::ServiceChanged {
                grant,
                by,
                reason,
                negotiated,
                filed,
            } => {
                self.check_termination(id, event)?;
                // Art. 27¶3 (national): a service ends or changes with a reason,
                // negotiated with the requester and filed with the authority.
                let reasoned = reason.as_deref().is_some_and(|r| !r.trim().is_empty());
                let irr = if reasoned && *negotiated && *filed {
                    None
                } else {
                    let missing: Vec<&str> = [
                        (!reasoned).then_some("a reason"),
                        (!negotiated).then_some("negotiation with the requester"),
                        (!filed).then_some("filing with the sharing authority"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    let detail = format!("grant `{grant}` without {}", missing.join(", "));
                    let mut irr = self.forbidden(
                        id,
                        "service_terminated_unilaterally",
                        by,
                        detail,
                        "service_change",
                    )?;
                    irr.resource = self.grant(grant).map(|g| g.resource.clone());
                    Some(irr)
                };
                let mut applied = if matches!(event.kind, EventKind::ServiceTerminated { .. }) {
                    self.on_registry_change(id, event)?
                } else {
                    self.applied(id, event)
                };
                applied.irregularities.extend(irr);
                Ok(applied)
            }
            EventKind::ServiceRefused {
                department,
                resource,
                subject,
                proof_valid,
                manner,
            } => {
                self.check_department(id, "department", department)?;
                self.resource(id, resource)?;
                let mut applied = self.applied(id, event);
                if self.lenient
                    && let Some(irr) = self.service_refused(
                        id,
                        department,
                        resource,
                        subject,
                        *proof_valid,
                        *manner,
                        event.at,
                    )
                {
                    applied.irregularities.push(irr);
                }
                Ok(applied)
            }
            EventKind::Usage {
                department,
                resource,
                grant,
                ..
            } => {
                self.check_department(id, "department", department)?;
                self.resource(id, resource)?;
                if let Some(g) = grant
                    && !self.lenient
                    && self.grant(g).is_none()
                {
                    return Err(WorkflowError::UnknownGrant {
                        event: id.to_owned(),
                        grant: g.clone(),
                    });
                }
                Ok(self.applied(id, event))
            }
            EventKind::Disclosure {
                department,
                resource,
                ..
            }
            | EventKind::SubmissionRequired {
                department,
                resource,
            } => {
                self.check_department(id, "department", department)?;
                self.resource(id, resource)?;
                Ok(self.applied(id, event))
            }
            EventKind::DataRejected { resource, by, .. } => {
                if let Some(by) = by {
                    self.check_department(id, "by", by)?;
                }
                self.resource(id, resource)?;
                Ok(self.applied(id, event))
            }
            EventKind::ProjectSubmitted { department, .. }
            | EventKind::ProjectAccepted { department, .. } => {
                self.check_department(id, "department", department)?;
                Ok(self.applied(id, event))
            }
            _ => self.on_obligation_event(id, event),
        }
    }

    /// The state of every application and obligation held, as of `as_of` (lateness
    /// of open items is counted to the China date of `as_of`).
    pub fn state(&self, as_of: DateTime<FixedOffset>) -> LedgerState {
        let mut apps: Vec<&App> = self.apps.values().collect();
        apps.sort_by_key(|a| a.seq);
        let mut obligations: Vec<&Obligation> =
            self.closed.iter().chain(self.open.values()).collect();
        obligations.sort_by_key(|o| o.seq);
        LedgerState {
            as_of,
            applications: apps.into_iter().map(|a| self.app_state(a, as_of)).collect(),
            obligations: obligations
                .into_iter()
                .map(|o| self.obligation_state(o, as_of))
                .collect(),
        }
    }

    /// Hands back and forgets finished applications and fulfilled or ended
    /// obligations. A strict ledger remembers the ids of drained applications to
    /// reject later events on them.
    pub fn drain(&mut self) -> Drained {
        let mut out = Drained::default();
        let finished = std::mem::take(&mut self.finished);
        let mut apps: Vec<App> = finished
            .iter()
            .filter_map(|k| self.apps.remove(k))
            .collect();
        apps.sort_by_key(|a| a.seq);
        for a in apps {
            let as_of = a.replied.unwrap_or(a.last);
            out.applications.push(self.app_state(&a, as_of));
            if !self.lenient {
                self.tombstones.insert(a.id, a.status);
            }
        }
        let closed = std::mem::take(&mut self.closed);
        out.obligations = closed
            .iter()
            .map(|o| self.obligation_state(o, o.settled().unwrap_or(o.opened)))
            .collect();
        out
    }

    /// Forgets finished applications and fulfilled obligations without building their
    /// states (the caller saw them in [`Applied`]).
    pub(crate) fn forget_closed(&mut self) {
        for id in std::mem::take(&mut self.finished) {
            if let Some(a) = self.apps.remove(&id)
                && !self.lenient
            {
                self.tombstones.insert(a.id, a.status);
            }
        }
        self.closed.clear();
    }

    /// The open items, for an audit at `as_of`: applications not yet final and
    /// obligations not yet fulfilled (those ended by their pack's lapse included,
    /// with status `ended`).
    pub fn open_items(
        &self,
        as_of: DateTime<FixedOffset>,
    ) -> (Vec<super::ApplicationState>, Vec<ObligationState>) {
        let mut apps: Vec<&App> = self
            .apps
            .values()
            .filter(|a| !a.status.is_final())
            .collect();
        apps.sort_by_key(|a| a.seq);
        (
            apps.into_iter().map(|a| self.app_state(a, as_of)).collect(),
            self.open
                .values()
                .map(|o| self.obligation_state(o, as_of))
                .collect(),
        )
    }
}

/// An irregularity with `code`, `article`, `event` and `department`; the rest empty.
impl Ledger {
    /// The text of workflow rule `key` in the ledger's pack (checked at load
    /// when the pack models the workflow).
    pub(super) fn rule(&self, key: &str) -> String {
        self.snapshot
            .pack()
            .manifest()
            .rule_texts
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("rule `{key}`"))
    }

    /// The irregularity `code` at `event`, with the article the pack gives it.
    pub(super) fn irregular(&self, code: &str, event: &str, department: &str) -> Irregularity {
        let manifest = self.snapshot.pack().manifest();
        let article = manifest
            .irregularity_articles
            .get(code)
            .map_or("", String::as_str);
        irregularity(code, article, event, department)
    }

    /// An act the pack forbids: strict, `workflow.act_not_allowed` naming the act,
    /// what is wrong (`detail`) and the pack's `rule`; lenient, the irregularity
    /// `act` by `department`, with `detail` as its reason.
    pub(super) fn forbidden(
        &self,
        id: &str,
        act: &str,
        department: &str,
        detail: String,
        rule: &str,
    ) -> Result<Irregularity, WorkflowError> {
        if !self.lenient {
            return Err(WorkflowError::ActNotAllowed {
                event: id.to_owned(),
                act: act.to_owned(),
                detail,
                rule: self.rule(rule),
            });
        }
        let mut irr = self.irregular(act, id, department);
        irr.reason = Some(detail);
        Ok(irr)
    }
}

fn irregularity(code: &str, article: &str, event: &str, department: &str) -> Irregularity {
    Irregularity {
        code: code.to_owned(),
        article: article.to_owned(),
        event: event.to_owned(),
        department: department.to_owned(),
        application: None,
        at: None,
        previous: None,
        resource: None,
        reason: None,
    }
}
