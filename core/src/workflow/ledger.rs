//! The ledger: applies events one at a time, keeping only what is still open.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::error::WorkflowError;
use super::event::{CoordinationOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope};
use super::grants::GrantBook;
use super::ids::IdSet;
use super::state::{
    ApplicationState, ApplicationStatus, Applied, Drained, Irregularity, LedgerState,
    ObligationKind, ObligationState, ObligationStatus, ServiceAnswer,
};
use crate::calendar::{WorkCalendar, china_date};
use crate::policy::Engine;
use crate::registry::{Grant, GrantSource, Method, Resource, Role, Sensitivity, Sharing};

type Time = DateTime<FixedOffset>;

#[derive(Debug, Clone)]
struct App {
    seq: u64,
    id: String,
    department: String,
    resource: String,
    provider: String,
    purpose: String,
    fields: Option<Vec<String>>,
    methods: Option<Vec<Method>>,
    derived: bool,
    status: ApplicationStatus,
    opened: Time,
    /// When its latest event took effect: what an event on the application creates
    /// (a grant) starts no earlier (SPEC §4 Order).
    last: Time,
    reply_due: Option<NaiveDate>,
    replied: Option<Time>,
    approvals: Vec<GrantSource>,
    scope: Option<Scope>,
    reason: Option<String>,
    grant: Option<String>,
    events: Vec<String>,
}

#[derive(Debug, Clone)]
struct Obligation {
    seq: u64,
    id: String,
    kind: ObligationKind,
    article: &'static str,
    department: String,
    resource: Option<String>,
    opened: Time,
    due: Option<NaiveDate>,
    fulfilled: Option<Time>,
    events: Vec<String>,
}

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
/// Memory grows with what is open (applications not yet final, obligations not yet
/// fulfilled, grants in force), not with the length of the log: finished
/// applications and fulfilled obligations are handed back by [`Ledger::apply`] and
/// [`Ledger::drain`] and kept only until drained. The exceptions are the ids of the
/// events applied, to reject repeats (one bit per event when ids are positions or
/// end in dense numbers, else 16 bytes), the grants a strict ledger created (its
/// [`Ledger::engine`] decides with all of them), and the ids of drained
/// applications in a strict ledger. A lenient ledger ([`Ledger::lenient`], the
/// audit's) keeps no drained application ids, and its auditor forgets grants that
/// ended long ago.
#[derive(Debug, Clone)]
pub struct Ledger {
    snapshot: Engine,
    /// Grants created by events (the snapshot holds the registry's own).
    book: GrantBook,
    /// The snapshot with every grant of the book, built on demand.
    folded: Option<(u64, Engine)>,
    calendar: WorkCalendar,
    reply_limit: u32,
    catalog_limit: u32,
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
    index: HashMap<(ObligationKind, String), Vec<u64>>,
    closed: Vec<Obligation>,
    finished: Vec<String>,
}

fn valid_grant_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn wf<T>(r: Result<T, WorkflowError>) -> Result<T, crate::Error> {
    r.map_err(crate::Error::from)
}

/// The base of the id of a grant created for `application`: `grant.` and the id,
/// lowercased, with every character outside `[a-z0-9._-]` replaced by `-`. When a
/// character was replaced, a stable 64-bit FNV-1a hash of the whole application id
/// follows (`grant.---1.h3f…`), so that ids that differ only in such characters (all
/// Chinese ids, say) get different bases.
fn grant_base(application: &str) -> String {
    let mut lossy = false;
    let mut base = String::with_capacity(application.len() + 6);
    base.push_str("grant.");
    for c in application.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c) {
            base.push(c);
        } else {
            lossy = true;
            base.push('-');
        }
    }
    if lossy {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in application.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        base.push_str(&format!(".h{h:016x}"));
    }
    base
}

impl Ledger {
    /// A strict ledger over `engine`'s pack and registry, counting working days with
    /// the built-in China calendar under the pack's counting rule.
    pub fn new(engine: Engine) -> Self {
        let manifest = engine.pack().manifest();
        let calendar = WorkCalendar::china().with_rule(manifest.counting_rule);
        let reply_limit = manifest.reply_limit_workdays;
        let catalog_limit = manifest.catalog_update_workdays;
        Self {
            snapshot: engine,
            book: GrantBook::default(),
            folded: None,
            calendar,
            reply_limit,
            catalog_limit,
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
        }
    }

    /// A lenient ledger (the audit's): a refusal without a reason and an event out
    /// of order are applied and reported as [`Irregularity`]s instead of being
    /// rejected, and no ids of drained applications are kept.
    pub fn lenient(engine: Engine) -> Self {
        let mut ledger = Self::new(engine);
        ledger.lenient = true;
        ledger
    }

    /// This ledger with another working-day calendar (a local arrangement, a new year).
    /// The pack's counting rule still applies.
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

    /// The engine over a registry snapshot that includes the grants created by
    /// approvals so far (for a lenient ledger, those its auditor has not forgotten):
    /// a decision after an approval is `granted`.
    pub fn engine(&self) -> Engine {
        match &self.folded {
            Some((generation, engine)) if *generation == self.book.generation() => engine.clone(),
            _ => self.fold(),
        }
    }

    /// Like [`Ledger::engine`], but keeps the snapshot it builds so that later calls
    /// are cheap until the next grant.
    pub fn engine_ref(&mut self) -> &Engine {
        let generation = self.book.generation();
        if self.folded.as_ref().is_none_or(|(g, _)| *g != generation) {
            self.folded = Some((generation, self.fold()));
        }
        match &self.folded {
            Some((_, engine)) => engine,
            None => &self.snapshot,
        }
    }

    /// The snapshot of the registry as given (without the grants created by
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
    /// event applied before (`workflow.duplicate_event`). An event dated earlier than
    /// the event applied before it is rejected by a strict ledger
    /// (`workflow.out_of_order`) and applied and reported (`out_of_order` in
    /// [`Applied::irregularities`]) by a lenient one.
    pub fn apply(&mut self, event: &Event) -> Result<Applied, crate::Error> {
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
        if let Some(previous) = previous {
            applied.irregularities.insert(
                0,
                Irregularity {
                    code: "out_of_order".to_owned(),
                    article: String::new(),
                    event: id.clone(),
                    department: String::new(),
                    application: applied.application.as_ref().map(|a| a.id.clone()),
                    at: Some(event.at),
                    previous: Some(previous),
                    resource: None,
                    reason: None,
                },
            );
        }
        self.ids.insert(&id);
        self.last_at = Some(event.at);
        Ok(applied)
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

    fn resource(&self, id: &str, resource: &str) -> Result<&Resource, WorkflowError> {
        self.snapshot
            .registry()
            .resource(resource)
            .ok_or_else(|| WorkflowError::UnknownResource {
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

    fn cal<T>(
        &self,
        id: &str,
        r: Result<T, crate::calendar::CalendarError>,
    ) -> Result<T, WorkflowError> {
        r.map_err(|source| WorkflowError::Calendar {
            event: id.to_owned(),
            source,
        })
    }

    fn dispatch(&mut self, id: &str, event: &Event) -> Result<Applied, WorkflowError> {
        let at = event.at;
        match &event.kind {
            EventKind::Apply {
                application,
                department,
                resource,
                purpose,
                fields,
                methods,
                ..
            } => self.on_apply(
                id,
                event,
                application,
                department,
                resource,
                purpose,
                fields,
                methods,
            ),
            EventKind::Reply {
                application,
                by,
                outcome,
                reason,
                scope,
                ..
            } => self.on_reply(
                id,
                event,
                application,
                by,
                *outcome,
                reason.as_deref(),
                scope.as_ref(),
            ),
            EventKind::Escalate {
                application, to, ..
            } => self.on_escalate(id, event, application, *to),
            EventKind::Coordinate {
                application,
                by,
                outcome,
                scope,
                ..
            } => self.on_coordinate(id, event, application, by, *outcome, scope.as_ref()),
            EventKind::LawRevised { department, .. }
            | EventKind::FunctionChanged { department, .. } => {
                self.check_department(id, "department", department)?;
                let due = self.cal(id, self.calendar.due_date(at, self.catalog_limit))?;
                let mut applied = self.applied(id, event);
                let o = self.open_obligation(
                    id,
                    ObligationKind::CatalogUpdate,
                    "11",
                    department,
                    None,
                    at,
                    Some(due),
                );
                applied.opened.push(o);
                Ok(applied)
            }
            EventKind::CollectionScopeChanged { department, .. } => {
                self.check_department(id, "department", department)?;
                let due = self.cal(id, self.calendar.workday_on_or_after(china_date(at)))?;
                let mut applied = self.applied(id, event);
                let a = self.open_obligation(
                    id,
                    ObligationKind::CatalogUpdate,
                    "16",
                    department,
                    None,
                    at,
                    Some(due),
                );
                let b = self.open_obligation(
                    id,
                    ObligationKind::CatalogFiling,
                    "16",
                    department,
                    None,
                    at,
                    Some(due),
                );
                applied.opened.extend([a, b]);
                Ok(applied)
            }
            EventKind::CatalogUpdated { department, .. } => {
                self.check_department(id, "department", department)?;
                let closed = self.close(id, ObligationKind::CatalogUpdate, department, at)?;
                let mut applied = self.applied(id, event);
                applied.closed = closed;
                Ok(applied)
            }
            EventKind::CatalogFiled { department, .. } => {
                self.check_department(id, "department", department)?;
                let closed = self.close(id, ObligationKind::CatalogFiling, department, at)?;
                let mut applied = self.applied(id, event);
                applied.closed = closed;
                Ok(applied)
            }
            EventKind::DataProvided { resource } => {
                let r = self.resource(id, resource)?;
                let provider = r.provider.clone();
                let due = match r.update_workdays {
                    Some(n) => Some(self.cal(id, self.calendar.due_date(at, n))?),
                    None => None,
                };
                let closed = self.close(id, ObligationKind::DataProvision, resource, at)?;
                let mut applied = self.applied(id, event);
                applied.closed = closed;
                if due.is_some() {
                    let o = self.open_obligation(
                        id,
                        ObligationKind::DataProvision,
                        "21",
                        &provider,
                        Some(resource),
                        at,
                        due,
                    );
                    applied.opened.push(o);
                }
                Ok(applied)
            }
            EventKind::InconsistencyReported { resource, by, .. } => {
                let r = self.resource(id, resource)?;
                let provider = r.provider.clone();
                let limit = r.update_workdays;
                self.check_department(id, "by", by)?;
                let due = match limit {
                    Some(n) => Some(self.cal(id, self.calendar.due_date(at, n))?),
                    None => None,
                };
                let mut applied = self.applied(id, event);
                let o = self.open_obligation(
                    id,
                    ObligationKind::InconsistencyCorrection,
                    "18",
                    &provider,
                    Some(resource),
                    at,
                    due,
                );
                applied.opened.push(o);
                Ok(applied)
            }
            EventKind::InconsistencyResolved { resource, .. } => {
                self.resource(id, resource)?;
                let key = (ObligationKind::InconsistencyCorrection, resource.clone());
                if self.index.get(&key).is_none_or(Vec::is_empty) {
                    return Err(WorkflowError::NothingOpen {
                        event: id.to_owned(),
                        kind: "inconsistency_resolved",
                        subject: resource.clone(),
                        rule: "Art. 20: only a reported inconsistency can be resolved",
                    });
                }
                let closed =
                    self.close(id, ObligationKind::InconsistencyCorrection, resource, at)?;
                let mut applied = self.applied(id, event);
                applied.closed = closed;
                Ok(applied)
            }
            EventKind::DataRejected { resource, .. } => {
                self.resource(id, resource)?;
                Ok(self.applied(id, event))
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
            | EventKind::Leak {
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
            EventKind::ProjectSubmitted { department, .. }
            | EventKind::ProjectAccepted { department, .. } => {
                self.check_department(id, "department", department)?;
                Ok(self.applied(id, event))
            }
            _ => Ok(self.applied(id, event)),
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the obligation"
    )]
    fn open_obligation(
        &mut self,
        id: &str,
        kind: ObligationKind,
        article: &'static str,
        department: &str,
        resource: Option<&String>,
        at: Time,
        due: Option<NaiveDate>,
    ) -> ObligationState {
        self.seq += 1;
        let key = match (kind, resource) {
            (ObligationKind::DataProvision | ObligationKind::InconsistencyCorrection, Some(r)) => {
                r.clone()
            }
            _ => department.to_owned(),
        };
        let o = Obligation {
            seq: self.seq,
            id: format!("{id}/{}", kind.as_str()),
            kind,
            article,
            department: department.to_owned(),
            resource: resource.cloned(),
            opened: at,
            due,
            fulfilled: None,
            events: vec![id.to_owned()],
        };
        let state = self.obligation_state(&o, at);
        self.index.entry((kind, key)).or_default().push(o.seq);
        self.open.insert(o.seq, o);
        state
    }

    /// Closes every open obligation of `kind` keyed by `key`. Infallible once called
    /// (all checks are done before).
    fn close(
        &mut self,
        id: &str,
        kind: ObligationKind,
        key: &str,
        at: Time,
    ) -> Result<Vec<ObligationState>, WorkflowError> {
        let seqs = self
            .index
            .remove(&(kind, key.to_owned()))
            .unwrap_or_default();
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            if let Some(mut o) = self.open.remove(&seq) {
                o.fulfilled = Some(at);
                o.events.push(id.to_owned());
                out.push(self.obligation_state(&o, at));
                self.closed.push(o);
            }
        }
        Ok(out)
    }

    fn lateness(&self, due: Option<NaiveDate>, day: NaiveDate) -> (bool, Option<i64>) {
        match due {
            Some(due) if day > due => (true, self.calendar.workdays_between(due, day).ok()),
            _ => (false, None),
        }
    }

    fn obligation_state(&self, o: &Obligation, as_of: Time) -> ObligationState {
        let day = china_date(o.fulfilled.unwrap_or(as_of));
        let (late, late_workdays) = self.lateness(o.due, day);
        ObligationState {
            id: o.id.clone(),
            kind: o.kind,
            article: o.article.to_owned(),
            basis: vec![o.article.to_owned()],
            department: o.department.clone(),
            resource: o.resource.clone(),
            subject: None,
            opened: o.opened,
            due: o.due,
            due_at: None,
            due_unknown: None,
            pack: self.snapshot.pack().name().to_owned(),
            ended: None,
            status: if o.fulfilled.is_some() {
                ObligationStatus::Fulfilled
            } else {
                ObligationStatus::Open
            },
            fulfilled: o.fulfilled,
            late,
            late_workdays,
            events: o.events.clone(),
        }
    }

    fn app_state(&self, a: &App, as_of: Time) -> ApplicationState {
        let (reply_late, reply_late_workdays) = match a.reply_due {
            Some(_) => self.lateness(a.reply_due, china_date(a.replied.unwrap_or(as_of))),
            None => (false, None),
        };
        ApplicationState {
            id: a.id.clone(),
            department: a.department.clone(),
            resource: a.resource.clone(),
            provider: a.provider.clone(),
            purpose: a.purpose.clone(),
            status: a.status,
            opened: a.opened,
            reply_due: a.reply_due,
            replied: a.replied,
            reply_late,
            reply_late_workdays,
            approvals: a.approvals.clone(),
            reason: a.reason.clone(),
            grant: a.grant.clone(),
            events: a.events.clone(),
            fields: a.fields.clone(),
            methods: a.methods.clone(),
            refused_fields: Vec::new(),
            refused_methods: Vec::new(),
            grants: a.grant.iter().cloned().collect(),
            pack: self.snapshot.pack().name().to_owned(),
            in_force: true,
        }
    }

    fn app(&self, id: &str, kind: &'static str, application: &str) -> Result<&App, WorkflowError> {
        if let Some(a) = self.apps.get(application) {
            return Ok(a);
        }
        if let Some(status) = self.tombstones.get(application) {
            return Err(WorkflowError::WrongState {
                event: id.to_owned(),
                kind,
                application: application.to_owned(),
                state: status.as_str(),
                rule: "the application is final",
            });
        }
        Err(WorkflowError::UnknownApplication {
            event: id.to_owned(),
            application: application.to_owned(),
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn on_apply(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        department: &str,
        resource: &str,
        purpose: &str,
        fields: &Option<Vec<String>>,
        methods: &Option<Vec<Method>>,
    ) -> Result<Applied, WorkflowError> {
        self.check_department(id, "department", department)?;
        let r = self.resource(id, resource)?;
        if let Some(existing) = self
            .apps
            .get(application)
            .map(|a| a.status)
            .or_else(|| self.tombstones.get(application).copied())
        {
            return Err(WorkflowError::DuplicateApplication {
                event: id.to_owned(),
                application: application.to_owned(),
                state: existing.as_str(),
            });
        }
        if r.provider == department {
            return Err(WorkflowError::NotApplicable {
                event: id.to_owned(),
                resource: resource.to_owned(),
                rule: "a provider has its own resources without applying",
            });
        }
        let sharing = match r.sharing {
            Sharing::Unconditional if r.has_sensitivity(Sensitivity::StateSecret) => {
                Sharing::Conditional
            }
            s => s,
        };
        let (status, reply_due) = match sharing {
            Sharing::NotShared => (ApplicationStatus::CoordinatingBigDataCenter, None),
            Sharing::Conditional => (
                ApplicationStatus::Pending,
                Some(self.cal(id, self.calendar.due_date(event.at, self.reply_limit))?),
            ),
            Sharing::Unconditional if r.derived => (
                ApplicationStatus::Pending,
                Some(self.cal(id, self.calendar.due_date(event.at, self.reply_limit))?),
            ),
            Sharing::Unconditional => {
                return Err(WorkflowError::NotApplicable {
                    event: id.to_owned(),
                    resource: resource.to_owned(),
                    rule: "Art. 17: an unconditional resource is taken directly from the platform",
                });
            }
        };
        let provider = r.provider.clone();
        let derived = r.derived;
        self.seq += 1;
        let app = App {
            seq: self.seq,
            id: application.to_owned(),
            department: department.to_owned(),
            resource: resource.to_owned(),
            provider,
            purpose: purpose.to_owned(),
            fields: fields.clone(),
            methods: methods.clone(),
            derived,
            status,
            opened: event.at,
            last: event.at,
            reply_due,
            replied: None,
            approvals: Vec::new(),
            scope: None,
            reason: None,
            grant: None,
            events: vec![id.to_owned()],
        };
        let mut applied = self.applied(id, event);
        applied.application = Some(self.app_state(&app, event.at));
        self.apps.insert(application.to_owned(), app);
        Ok(applied)
    }

    fn grant_id(&self, application: &str) -> String {
        let registry = self.snapshot.registry();
        self.book
            .fresh_id(&grant_base(application), |g| registry.grant(g).is_some())
    }

    fn make_grant(
        &self,
        id: &str,
        app: &App,
        scope: Option<&Scope>,
        at: Time,
        source: GrantSource,
        approvals: Vec<GrantSource>,
    ) -> Result<Grant, WorkflowError> {
        let scope = scope.or(app.scope.as_ref());
        let pick = |s: Option<&Vec<String>>, d: &Option<Vec<String>>| match s {
            Some(v) if !v.is_empty() => v.clone(),
            _ => d.clone().unwrap_or_default(),
        };
        let purposes = pick(scope.map(|s| &s.purposes), &Some(vec![app.purpose.clone()]));
        let fields = pick(scope.map(|s| &s.fields), &app.fields);
        let methods = match scope.map(|s| &s.methods) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => app.methods.clone().unwrap_or_default(),
        };
        let gid = self.grant_id(&app.id);
        if !valid_grant_id(&gid) {
            return Err(WorkflowError::InvalidGrant {
                event: id.to_owned(),
                grant: gid,
                message: "not of the form [a-z0-9._-]+".to_owned(),
            });
        }
        Ok(Grant {
            id: gid,
            department: app.department.clone(),
            resource: app.resource.clone(),
            purposes,
            fields,
            methods,
            from: at,
            until: scope.and_then(|s| s.until),
            source,
            approvals,
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn on_reply(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        outcome: ReplyOutcome,
        reason: Option<&str>,
        scope: Option<&Scope>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "reply", application)?;
        self.check_department(id, "by", by)?;
        let state = a.status.as_str();
        let is_provider = by == a.provider;
        let is_bdc = a.derived && self.has_role(by, Role::BigDataCenter);
        let (provider_may, bdc_may) = match a.status {
            ApplicationStatus::Pending => (true, true),
            ApplicationStatus::AwaitingBigDataCenter => (false, true),
            ApplicationStatus::AwaitingProvider => (true, false),
            _ => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "reply",
                    application: application.to_owned(),
                    state,
                    rule: "Art. 17: only a pending application gets a reply",
                });
            }
        };
        let acts_as_provider = is_provider && provider_may;
        let acts_as_bdc = is_bdc && bdc_may;
        if !acts_as_provider && !acts_as_bdc {
            return Err(WorkflowError::WrongActor {
                event: id.to_owned(),
                actor: by.to_owned(),
                application: application.to_owned(),
                state,
                rule: if a.derived {
                    "reply: Art. 17, 21: the provider and the Big Data Center each reply once"
                } else {
                    "reply: Art. 17: the provider replies"
                },
            });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let mut irregularities = Vec::new();
        if outcome == ReplyOutcome::Refuse && reason.is_none() {
            if !self.lenient {
                return Err(WorkflowError::MissingReason {
                    event: id.to_owned(),
                    application: application.to_owned(),
                    state,
                });
            }
            irregularities.push(Irregularity {
                code: "refusal_without_reason".to_owned(),
                article: "17".to_owned(),
                event: id.to_owned(),
                department: by.to_owned(),
                application: Some(application.to_owned()),
                at: None,
                previous: None,
                resource: None,
                reason: None,
            });
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        if acts_as_provider || outcome == ReplyOutcome::Refuse {
            next.replied.get_or_insert(event.at);
        }
        let mut grant = None;
        match outcome {
            ReplyOutcome::Refuse => {
                next.status = ApplicationStatus::Refused;
                next.reason = Some(reason.unwrap_or_default().to_owned());
            }
            ReplyOutcome::Approve => {
                if acts_as_provider && !next.approvals.contains(&GrantSource::ProviderReply) {
                    next.approvals.push(GrantSource::ProviderReply);
                }
                if acts_as_bdc && !next.approvals.contains(&GrantSource::BigDataCenter) {
                    next.approvals.push(GrantSource::BigDataCenter);
                }
                let has_p = next.approvals.contains(&GrantSource::ProviderReply);
                let has_b = next.approvals.contains(&GrantSource::BigDataCenter);
                if !next.derived || (has_p && has_b) {
                    let extra = if next.derived {
                        vec![GrantSource::BigDataCenter]
                    } else {
                        Vec::new()
                    };
                    let g = self.make_grant(
                        id,
                        &next,
                        scope,
                        next.last,
                        GrantSource::ProviderReply,
                        extra,
                    )?;
                    next.status = ApplicationStatus::Approved;
                    next.grant = Some(g.id.clone());
                    grant = Some(g);
                } else {
                    next.status = if has_p {
                        ApplicationStatus::AwaitingBigDataCenter
                    } else {
                        ApplicationStatus::AwaitingProvider
                    };
                    if scope.is_some() {
                        next.scope = scope.cloned();
                    }
                }
            }
        }
        Ok(self.commit(id, event, next, grant, irregularities))
    }

    fn commit(
        &mut self,
        id: &str,
        event: &Event,
        app: App,
        grant: Option<Grant>,
        irregularities: Vec<Irregularity>,
    ) -> Applied {
        let mut applied = self.applied(id, event);
        applied.application = Some(self.app_state(&app, event.at));
        applied.irregularities = irregularities;
        if let Some(g) = &grant {
            self.book.add(g.clone(), &grant_base(&app.id));
        }
        applied.grant = grant;
        if app.status.is_final() {
            self.finished.push(app.id.clone());
        }
        self.apps.insert(app.id.clone(), app);
        applied
    }

    fn on_escalate(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        to: EscalateTo,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "escalate", application)?;
        let next_status = match (a.status, to) {
            (ApplicationStatus::Refused, EscalateTo::BigDataCenter) => {
                ApplicationStatus::CoordinatingBigDataCenter
            }
            (ApplicationStatus::BigDataCenterFailed, EscalateTo::CityGovernmentOffice) => {
                ApplicationStatus::CoordinatingCityGovernmentOffice
            }
            (status, _) => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "escalate",
                    application: application.to_owned(),
                    state: status.as_str(),
                    rule: match to {
                        EscalateTo::BigDataCenter => {
                            "Art. 17: the Big Data Center coordinates after a refusal"
                        }
                        EscalateTo::CityGovernmentOffice => {
                            "Art. 17: the City Government Office coordinates after the Big Data Center failed"
                        }
                    },
                });
            }
        };
        let mut next = a.clone();
        next.status = next_status;
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        Ok(self.commit(id, event, next, None, Vec::new()))
    }

    fn on_coordinate(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        outcome: CoordinationOutcome,
        scope: Option<&Scope>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "coordinate", application)?;
        self.check_department(id, "by", by)?;
        let state = a.status.as_str();
        let (role, source, rule) = match a.status {
            ApplicationStatus::CoordinatingBigDataCenter => (
                Role::BigDataCenter,
                GrantSource::BigDataCenter,
                "coordinate: Art. 17: only the Big Data Center coordinates at this stage",
            ),
            ApplicationStatus::CoordinatingCityGovernmentOffice => (
                Role::CityGovernmentOffice,
                GrantSource::CityGovernmentOffice,
                "coordinate: Art. 17: only the City Government Office coordinates at this stage",
            ),
            _ => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "coordinate",
                    application: application.to_owned(),
                    state,
                    rule: "Art. 17: only an application under coordination gets a coordination outcome",
                });
            }
        };
        if !self.has_role(by, role) {
            return Err(WorkflowError::WrongActor {
                event: id.to_owned(),
                actor: by.to_owned(),
                application: application.to_owned(),
                state,
                rule,
            });
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        let mut grant = None;
        match outcome {
            CoordinationOutcome::Agreed => {
                // Coordination is conducted with the provider (Art. 17); for a derived
                // resource the agreement carries both consents Art. 21 needs.
                let approvals = if next.derived {
                    match source {
                        GrantSource::CityGovernmentOffice => {
                            vec![GrantSource::ProviderReply, GrantSource::BigDataCenter]
                        }
                        _ => vec![GrantSource::ProviderReply],
                    }
                } else {
                    Vec::new()
                };
                let g = self.make_grant(id, &next, scope, next.last, source, approvals)?;
                next.status = ApplicationStatus::Approved;
                next.grant = Some(g.id.clone());
                grant = Some(g);
            }
            CoordinationOutcome::Failed => {
                next.status = match source {
                    GrantSource::CityGovernmentOffice => ApplicationStatus::Failed,
                    _ => ApplicationStatus::BigDataCenterFailed,
                };
            }
        }
        Ok(self.commit(id, event, next, grant, Vec::new()))
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

    /// Hands back and forgets finished applications and fulfilled obligations. A
    /// strict ledger remembers the ids of drained applications to reject later
    /// events on them.
    pub fn drain(&mut self) -> Drained {
        let mut out = Drained::default();
        let finished = std::mem::take(&mut self.finished);
        let mut apps: Vec<App> = finished
            .iter()
            .filter_map(|k| self.apps.remove(k))
            .collect();
        apps.sort_by_key(|a| a.seq);
        for a in apps {
            let as_of = a.replied.unwrap_or(a.opened);
            out.applications.push(self.app_state(&a, as_of));
            if !self.lenient {
                self.tombstones.insert(a.id, a.status);
            }
        }
        let closed = std::mem::take(&mut self.closed);
        out.obligations = closed
            .iter()
            .map(|o| self.obligation_state(o, o.fulfilled.unwrap_or(o.opened)))
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

    /// The open items, for an audit at `as_of`: applications still waiting for a
    /// reply and obligations not yet fulfilled.
    pub fn open_items(
        &self,
        as_of: DateTime<FixedOffset>,
    ) -> (Vec<ApplicationState>, Vec<ObligationState>) {
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

    /// Art. 20: while a resource's data is being verified (an inconsistency report on
    /// it is open), a person who has shown valid proof must be served as usual, and
    /// may not be told to get the information corrected first.
    pub fn must_serve(
        &self,
        resource: &str,
        proof_valid: bool,
        at: DateTime<FixedOffset>,
    ) -> ServiceAnswer {
        let reports: Vec<String> = self
            .index
            .get(&(ObligationKind::InconsistencyCorrection, resource.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|s| self.open.get(s))
            .filter(|o| o.opened <= at)
            .filter_map(|o| o.events.first().cloned())
            .collect();
        let disputed = !reports.is_empty();
        let (must_serve, may_require_correction, zh, en) = match (disputed, proof_valid) {
            (true, true) => (
                true,
                false,
                "信息校核期間，辦事人已提供合法有效證明材料，受理單位應當照常辦理，不得拒絕、推諉或要求辦事人辦理信息更正手續（第二十條）",
                "the data is being verified and the person has shown valid proof: serve them as usual; do not refuse, delay or require them to get the information corrected (Art. 20)",
            ),
            (true, false) => (
                false,
                false,
                "信息校核期間，辦事人未提供合法有效證明材料，第二十條不要求照常辦理",
                "the data is being verified but the person has shown no valid proof: Art. 20 does not require serving them as usual",
            ),
            (false, _) => (
                true,
                false,
                "該信息未處於校核期間，按共享信息照常辦理（第二十條）",
                "the data is not being verified: serve on the shared data as usual (Art. 20)",
            ),
        };
        ServiceAnswer {
            resource: resource.to_owned(),
            subject: None,
            disputed,
            proof_valid,
            must_serve,
            may_require_correction,
            reports,
            citations: vec!["20".to_owned()],
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }
}
