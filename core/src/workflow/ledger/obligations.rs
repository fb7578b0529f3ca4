//! Duties with deadlines (SPEC §4 Obligations, v2 Validity): catalog updates and
//! filing (Art. 11, 16), provision and first provision (Art. 21, 14), correction of
//! reported data (Art. 18, 20), incident reports (Art. 24).
//!
//! A duty keeps the moment its limit runs from and the limit itself; its due date
//! is counted when asked, so a deadline beyond the calendar data is
//! `due_unknown: calendar.not_covered` (never an error of the run) until a calendar
//! that covers it is given. A duty belongs to the pack in force when it arose and
//! ends without violation when that pack lapses before it falls due.

use chrono::{Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use super::{Ledger, Time};
use crate::calendar::china_date;
use crate::registry::{Resource, Sensitivity};
use crate::workflow::error::WorkflowError;
use crate::workflow::event::{Event, EventKind};
use crate::workflow::state::{Applied, ObligationKind, ObligationState, ObligationStatus};

/// What an obligation is looked up by: its kind and the department, resource, or
/// resource and subject it concerns.
pub(super) type ObligationKey = (ObligationKind, String);

/// How long a duty has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    /// Within `n` working days of the start (the start's own day not counted).
    Workdays(u32),
    /// At once: the start's own day, or the next working day when it is a rest day
    /// (Art. 16, a reading).
    AtOnce,
    /// Within `n` hours of the start.
    Hours(u32),
}

/// The articles behind a duty, from the pack's manifest (`[duties]`).
fn basis(
    manifest: &crate::policy::Manifest,
    kind: ObligationKind,
    after_change: bool,
) -> Vec<String> {
    let d = &manifest.duties;
    match kind {
        ObligationKind::CatalogUpdate if after_change => d.catalog_update_after_change.clone(),
        ObligationKind::CatalogUpdate => d.catalog_update_after_scope.clone(),
        ObligationKind::CatalogFiling => d.catalog_filing.clone(),
        ObligationKind::DataProvision => d.data_provision.clone(),
        ObligationKind::FirstProvision => d.first_provision.clone(),
        ObligationKind::InconsistencyCorrection => d.inconsistency_correction.clone(),
        ObligationKind::IncidentReport => d.incident_report.clone(),
        ObligationKind::DataDelivery => d.data_delivery.clone(),
        ObligationKind::CatalogReview => d.catalog_review.clone(),
        ObligationKind::Verification => d.verification.clone(),
    }
}

/// One duty.
#[derive(Debug, Clone)]
pub(super) struct Obligation {
    pub(super) seq: u64,
    pub(super) id: String,
    pub(super) kind: ObligationKind,
    pub(super) basis: Vec<String>,
    pub(super) department: String,
    pub(super) resource: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) opened: Time,
    /// The moment the limit runs from.
    pub(super) start: Time,
    pub(super) limit: Limit,
    pub(super) fulfilled: Option<Time>,
    /// Ended without being fulfilled, and why (`resource_withdrawn`).
    pub(super) ended: Option<(Time, &'static str)>,
    /// The pack in force when it arose, and its last day.
    pub(super) pack: String,
    pub(super) pack_until: NaiveDate,
    pub(super) events: Vec<String>,
    /// For a delivery: the application (its key).
    pub(super) application: Option<String>,
    /// The event that recorded a justified delay.
    pub(super) justified: Option<String>,
    /// A first step done (a catalog updated, to be submitted).
    pub(super) progress: Option<Time>,
    /// Whether an extension was granted.
    pub(super) extended: bool,
}

impl Obligation {
    /// When it was fulfilled or ended, if it was.
    pub(super) fn settled(&self) -> Option<Time> {
        self.fulfilled.or(self.ended.map(|(t, _)| t))
    }

    fn key(&self) -> ObligationKey {
        match (self.kind, &self.application) {
            (ObligationKind::DataDelivery, Some(app)) => delivery_key(app),
            _ => key(
                self.kind,
                &self.department,
                self.resource.as_deref(),
                self.subject.as_deref(),
            ),
        }
    }
}

/// The key of a duty of `kind`.
fn key(
    kind: ObligationKind,
    department: &str,
    resource: Option<&str>,
    subject: Option<&str>,
) -> ObligationKey {
    let k = match (kind, resource, subject) {
        (ObligationKind::IncidentReport, Some(r), _) => format!("{department}\u{1f}{r}"),
        (ObligationKind::InconsistencyCorrection, Some(r), Some(s)) => format!("{r}\u{1f}{s}"),
        (ObligationKind::Verification, Some(r), Some(s)) => format!("{r}\u{1f}{s}"),
        (ObligationKind::CatalogReview, _, Some(s)) => format!("{department}\u{1f}{s}"),
        (
            ObligationKind::DataProvision
            | ObligationKind::FirstProvision
            | ObligationKind::InconsistencyCorrection
            | ObligationKind::Verification,
            Some(r),
            _,
        ) => r.to_owned(),
        _ => department.to_owned(),
    };
    (kind, k)
}

/// The key of the delivery duty of `application`.
pub(super) fn delivery_key(application: &str) -> ObligationKey {
    (ObligationKind::DataDelivery, application.to_owned())
}

/// A due date (or moment), or why it is unknown.
struct Due {
    day: Option<NaiveDate>,
    at: Option<Time>,
    unknown: Option<String>,
}

/// Noon, China time, of `date`: a moment on that day.
fn on_day(date: NaiveDate) -> Option<Time> {
    let china = FixedOffset::east_opt(8 * 3600)?;
    let noon = NaiveTime::from_hms_opt(12, 0, 0)?;
    china.from_local_datetime(&date.and_time(noon)).single()
}

impl Ledger {
    /// Whether a catalog update is complete only once submitted (the pack's
    /// `[catalog] closed_by`).
    fn catalog_closed_by_submission(&self) -> bool {
        self.snapshot.pack().manifest().catalog.closed_by.as_deref() == Some("catalog_submitted")
    }

    /// The body that reviews `department`'s catalog: the one with the pack's
    /// reviewer role in its region.
    pub(super) fn catalog_reviewer(&self, department: &str) -> Option<String> {
        self.same_level_body(
            self.snapshot.pack().manifest().catalog.reviewer?,
            department,
        )
    }

    /// An extension of `department`'s catalog update by `by` (once, within the
    /// pack's limit, before the due day, by its same-level reviewer): strict,
    /// an error when invalid; lenient, reported, and the due day does not move.
    pub(super) fn catalog_extension(
        &mut self,
        id: &str,
        department: &str,
        by: &str,
        workdays: u32,
        at: Time,
    ) -> Result<Vec<crate::workflow::Irregularity>, WorkflowError> {
        self.check_department(id, "department", department)?;
        let k = key(ObligationKind::CatalogUpdate, department, None, None);
        let Some(seq) = self.index.get(&k).and_then(|v| v.last().copied()) else {
            return Err(WorkflowError::NothingOpen {
                event: id.to_owned(),
                kind: "extension_granted",
                subject: department.to_owned(),
                rule: self.rule("catalog_extension"),
            });
        };
        let max = self
            .snapshot
            .pack()
            .manifest()
            .catalog
            .extension_max_workdays
            .unwrap_or(0);
        let reviewer = self.catalog_reviewer(department);
        let Some(o) = self.open.get(&seq) else {
            return Ok(Vec::new());
        };
        let due = self.due_of(o.start, o.limit).day;
        let problem = if reviewer.as_deref() != Some(by) {
            Some(match &reviewer {
                Some(right) => format!(
                    "granted by `{by}`, not `{department}`'s same-level authority `{right}`"
                ),
                None => format!("`{department}` has no same-level authority"),
            })
        } else if o.extended {
            Some("the update was extended before; it may be extended once".to_owned())
        } else if due.is_none_or(|d| china_date(at) > d) {
            Some("granted after the due date it extends".to_owned())
        } else if workdays == 0 || workdays > max {
            Some(format!("{workdays} working days, more than {max}"))
        } else {
            None
        };
        if let Some(detail) = problem {
            let irr = self.forbidden(id, "extension_invalid", by, detail, "catalog_extension")?;
            return Ok(vec![irr]);
        }
        if let Some(o) = self.open.get_mut(&seq) {
            o.extended = true;
            if let Limit::Workdays(n) = o.limit {
                o.limit = Limit::Workdays(n + workdays);
            }
            o.events.push(id.to_owned());
        }
        Ok(Vec::new())
    }

    fn due_of(&self, start: Time, limit: Limit) -> Due {
        let day = match limit {
            Limit::Workdays(n) => self.calendar.due_date(start, n),
            Limit::AtOnce => self.calendar.workday_on_or_after(china_date(start)),
            Limit::Hours(h) => {
                let at = start + Duration::hours(i64::from(h));
                return Due {
                    day: Some(china_date(at)),
                    at: Some(at),
                    unknown: None,
                };
            }
        };
        match day {
            Ok(d) => Due {
                day: Some(d),
                at: None,
                unknown: None,
            },
            Err(e) => Due {
                day: None,
                at: None,
                unknown: Some(e.code().to_owned()),
            },
        }
    }

    /// Whether a duty due on `due` (a day; or by the moment `due_at`) is late when
    /// its reference moment is `reference` (the act, the end, or `as_of`), counted
    /// up to the pack's last day (SPEC v2 §4), and by how many working days.
    /// `None`: the duty ended with its pack (Art. 33: due after the pack's last
    /// day and not met by then).
    pub(super) fn lateness(
        &self,
        due: Option<NaiveDate>,
        due_at: Option<Time>,
        reference: Time,
        pack_until: NaiveDate,
    ) -> Option<(bool, Option<i64>)> {
        let Some(due) = due else {
            return Some((false, None));
        };
        if due > pack_until && china_date(reference) > pack_until {
            return None;
        }
        let day = china_date(reference).min(pack_until);
        let late = match due_at {
            Some(at) => reference > at && (day > due || china_date(reference) <= pack_until),
            None => day > due,
        };
        if !late {
            return Some((false, None));
        }
        let n = if day > due {
            self.calendar.workdays_between(due, day).ok()
        } else {
            Some(0)
        };
        Some((true, n))
    }

    pub(super) fn obligation_state(&self, o: &Obligation, as_of: Time) -> ObligationState {
        let due = self.due_of(o.start, o.limit);
        let mut status = if o.fulfilled.is_some() {
            ObligationStatus::Fulfilled
        } else if o.ended.is_some() {
            ObligationStatus::Ended
        } else {
            ObligationStatus::Open
        };
        let mut ended = o.ended.map(|(_, why)| why.to_owned());
        let reference = o.settled().unwrap_or(as_of);
        let (late, late_workdays) = match self.lateness(due.day, due.at, reference, o.pack_until) {
            Some(lateness) => lateness,
            // Art. 33: ended with the pack (SPEC v2 §4 Validity).
            None => {
                status = ObligationStatus::Ended;
                ended = Some("pack_lapsed".to_owned());
                (false, None)
            }
        };
        ObligationState {
            id: o.id.clone(),
            kind: o.kind,
            article: o.basis.first().cloned().unwrap_or_default(),
            basis: o.basis.clone(),
            department: o.department.clone(),
            resource: o.resource.clone(),
            subject: o.subject.clone(),
            opened: o.opened,
            due: due.day,
            due_at: due.at,
            due_unknown: due.unknown,
            pack: o.pack.clone(),
            ended,
            status,
            fulfilled: o.fulfilled,
            late,
            late_workdays,
            events: o.events.clone(),
            application: o.application.clone(),
            delay_justified: o.justified.clone(),
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the obligation"
    )]
    pub(super) fn open_obligation(
        &mut self,
        id: &str,
        kind: ObligationKind,
        after_change: bool,
        department: &str,
        resource: Option<&str>,
        subject: Option<&str>,
        opened: Time,
        start: Time,
        limit: Limit,
    ) -> ObligationState {
        self.seq += 1;
        let manifest = self.snapshot.pack().manifest();
        let o = Obligation {
            seq: self.seq,
            id: format!("{id}/{}", kind.as_str()),
            kind,
            basis: basis(manifest, kind, after_change),
            department: department.to_owned(),
            resource: resource.map(str::to_owned),
            subject: subject.map(str::to_owned),
            opened,
            start,
            limit,
            fulfilled: None,
            ended: None,
            pack: manifest.name.clone(),
            pack_until: manifest.valid_until,
            events: vec![id.to_owned()],
            application: None,
            justified: None,
            progress: None,
            extended: false,
        };
        let state = self.obligation_state(&o, opened);
        self.index.entry(o.key()).or_default().push(o.seq);
        self.open.insert(o.seq, o);
        state
    }

    /// Removes `o` from the index (it left `open`).
    pub(super) fn unindex(&mut self, o: &Obligation) {
        let k = o.key();
        if let Some(seqs) = self.index.get_mut(&k) {
            seqs.retain(|&s| s != o.seq);
            if seqs.is_empty() {
                self.index.remove(&k);
            }
        }
    }

    /// Closes every open obligation under `key`. Infallible once called.
    pub(super) fn close(
        &mut self,
        id: &str,
        key: &ObligationKey,
        at: Time,
    ) -> Vec<ObligationState> {
        let seqs = self.index.remove(key).unwrap_or_default();
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            if let Some(mut o) = self.open.remove(&seq) {
                o.fulfilled = Some(at);
                o.events.push(id.to_owned());
                out.push(self.obligation_state(&o, at));
                self.closed.push(o);
            }
        }
        out
    }

    /// Whether any obligation is open under `key`.
    pub(super) fn is_open(&self, key: &ObligationKey) -> bool {
        self.index.get(key).is_some_and(|v| !v.is_empty())
    }

    /// The working days a resource has to provide its data (its own, or the pack's
    /// default: a reading, SPEC v2 §4).
    fn update_workdays(&self, r: &Resource) -> u32 {
        r.update_workdays
            .unwrap_or(self.snapshot.pack().manifest().default_update_workdays)
    }

    /// The first-provision duty of the base registry's catalogued resources, opened
    /// when the ledger is made (SPEC v2 §4: due within `update_workdays` of the
    /// `catalogued` date; a resource catalogued before the pack began owes it from
    /// the pack's first day).
    pub(super) fn open_catalogued_duties(&mut self) {
        let resources: Vec<Resource> = self
            .snapshot
            .registry()
            .resources()
            .iter()
            .filter(|r| r.catalogued.is_some())
            .cloned()
            .collect();
        for r in resources {
            let id = format!("catalog:{}", r.id);
            let _ = self.open_first_provision(&id, &r, None);
        }
    }

    /// Opens `r`'s first-provision duty (SPEC v2 §4) for event `id` at `event_at`
    /// (none for the base registry): from its `catalogued` date, else from the event.
    pub(super) fn open_first_provision(
        &mut self,
        id: &str,
        r: &Resource,
        event_at: Option<Time>,
    ) -> Option<ObligationState> {
        let manifest = self.snapshot.pack().manifest();
        let (from, until) = (manifest.valid_from, manifest.valid_until);
        let start = match (r.catalogued, event_at) {
            (Some(day), _) => on_day(day.max(from))?,
            (None, Some(at)) if china_date(at) < from => on_day(from)?,
            (None, Some(at)) => at,
            (None, None) => return None,
        };
        if china_date(start) > until {
            return None;
        }
        let n = self.update_workdays(r);
        let state = self.open_obligation(
            id,
            ObligationKind::FirstProvision,
            false,
            &r.provider,
            Some(&r.id),
            None,
            event_at.unwrap_or(start),
            start,
            Limit::Workdays(n),
        );
        if event_at.is_none()
            && let Some(o) = self.open.get_mut(&self.seq)
        {
            // The base registry's duty: no event behind it.
            o.events.clear();
        }
        Some(state)
    }

    /// Events that open or fulfil duties.
    pub(super) fn on_obligation_event(
        &mut self,
        id: &str,
        event: &Event,
    ) -> Result<Applied, WorkflowError> {
        let at = event.at;
        let in_force = self.in_force(at);
        let mut applied = self.applied(id, event);
        match &event.kind {
            EventKind::LawRevised { department, .. }
            | EventKind::FunctionChanged { department, .. } => {
                self.check_department(id, "department", department)?;
                // Only a change of the ranks the pack names opens the duty.
                let ranks = &self.snapshot.pack().manifest().catalog.update_ranks;
                let opens = match &event.kind {
                    EventKind::LawRevised { rank, .. } => {
                        ranks.is_empty() || rank.is_some_and(|r| ranks.contains(&r))
                    }
                    _ => true,
                };
                if in_force && opens {
                    let limit =
                        Limit::Workdays(self.snapshot.pack().manifest().catalog_update_workdays);
                    let o = self.open_obligation(
                        id,
                        ObligationKind::CatalogUpdate,
                        true,
                        department,
                        None,
                        None,
                        at,
                        at,
                        limit,
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::CollectionScopeChanged { department, .. } => {
                self.check_department(id, "department", department)?;
                if in_force {
                    for kind in [ObligationKind::CatalogUpdate, ObligationKind::CatalogFiling] {
                        let o = self.open_obligation(
                            id,
                            kind,
                            false,
                            department,
                            None,
                            None,
                            at,
                            at,
                            Limit::AtOnce,
                        );
                        applied.opened.push(o);
                    }
                }
            }
            EventKind::CatalogUpdated { department, .. } => {
                self.check_department(id, "department", department)?;
                let k = key(ObligationKind::CatalogUpdate, department, None, None);
                if self.catalog_closed_by_submission() {
                    // Updated, to be submitted: the duty stays open.
                    for seq in self.index.get(&k).cloned().unwrap_or_default() {
                        if let Some(o) = self.open.get_mut(&seq) {
                            o.progress.get_or_insert(at);
                            o.events.push(id.to_owned());
                        }
                    }
                } else {
                    applied.closed = self.close(id, &k, at);
                }
            }
            EventKind::CatalogSubmitted { department, .. } => {
                self.check_department(id, "department", department)?;
                let k = key(ObligationKind::CatalogUpdate, department, None, None);
                let ready: Vec<u64> = self
                    .index
                    .get(&k)
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|seq| self.open.get(seq).is_some_and(|o| o.progress.is_some()))
                    .collect();
                for seq in ready {
                    if let Some(mut o) = self.open.remove(&seq) {
                        self.unindex(&o);
                        o.fulfilled = Some(at);
                        o.events.push(id.to_owned());
                        applied.closed.push(self.obligation_state(&o, at));
                        self.closed.push(o);
                    }
                }
                let review = self.snapshot.pack().manifest().catalog.review_workdays;
                if in_force && let Some(n) = review {
                    let Some(reviewer) = self.catalog_reviewer(department) else {
                        return Err(WorkflowError::NotApplicable {
                            event: id.to_owned(),
                            resource: department.clone(),
                            rule: format!(
                                "{}; department `{department}` has no same-level reviewer",
                                self.rule("catalog_review")
                            ),
                        });
                    };
                    let o = self.open_obligation(
                        id,
                        ObligationKind::CatalogReview,
                        false,
                        &reviewer,
                        None,
                        Some(department),
                        at,
                        at,
                        Limit::Workdays(n),
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::CatalogPublished { department, by } => {
                self.check_department(id, "department", department)?;
                self.check_department(id, "by", by)?;
                let k = key(ObligationKind::CatalogReview, by, None, Some(department));
                if !self.is_open(&k) {
                    let mut rule = self.rule("catalog_review");
                    if let Some(right) = self.catalog_reviewer(department)
                        && right != *by
                    {
                        rule.push_str(&format!("; here `{right}`"));
                    }
                    return Err(WorkflowError::NothingOpen {
                        event: id.to_owned(),
                        kind: "catalog_published",
                        subject: department.clone(),
                        rule,
                    });
                }
                applied.closed = self.close(id, &k, at);
            }
            EventKind::VerificationRequested {
                resource,
                by,
                subject,
                ..
            } => {
                let r = self.resource(id, resource)?.clone();
                self.check_department(id, "by", by)?;
                let limit = self
                    .snapshot
                    .pack()
                    .manifest()
                    .verification
                    .as_ref()
                    .map(|v| v.workdays);
                if in_force && let Some(n) = limit {
                    let o = self.open_obligation(
                        id,
                        ObligationKind::Verification,
                        false,
                        &r.provider,
                        Some(resource),
                        subject.as_deref(),
                        at,
                        at,
                        Limit::Workdays(n),
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::VerificationCompleted {
                resource,
                subject,
                fed_back,
            } => {
                let r = self.resource(id, resource)?.clone();
                let k = key(
                    ObligationKind::Verification,
                    "",
                    Some(resource),
                    subject.as_deref(),
                );
                if !self.is_open(&k) {
                    return Err(WorkflowError::NothingOpen {
                        event: id.to_owned(),
                        kind: "verification_completed",
                        subject: match subject {
                            Some(s) => format!("{resource}` subject `{s}"),
                            None => resource.clone(),
                        },
                        rule: self.rule("verification_requested_only"),
                    });
                }
                if !fed_back {
                    let mut irr = self.forbidden(
                        id,
                        "verification_not_fed_back",
                        &r.provider,
                        format!("the verification of `{resource}` was not reported back"),
                        "verification_fed_back",
                    )?;
                    irr.resource = Some(resource.clone());
                    irr.reason = Some("completed without reporting the result back".to_owned());
                    applied.irregularities.push(irr);
                }
                applied.closed = self.close(id, &k, at);
            }
            EventKind::CatalogFiled { department, .. } => {
                self.check_department(id, "department", department)?;
                applied.closed = self.close(
                    id,
                    &key(ObligationKind::CatalogFiling, department, None, None),
                    at,
                );
            }
            EventKind::DataProvided { resource } => {
                let r = self.resource(id, resource)?.clone();
                let mut closed = self.close(
                    id,
                    &key(ObligationKind::FirstProvision, "", Some(resource), None),
                    at,
                );
                closed.extend(self.close(
                    id,
                    &key(ObligationKind::DataProvision, "", Some(resource), None),
                    at,
                ));
                applied.closed = closed;
                if in_force {
                    let n = self.update_workdays(&r);
                    let o = self.open_obligation(
                        id,
                        ObligationKind::DataProvision,
                        false,
                        &r.provider,
                        Some(resource),
                        None,
                        at,
                        at,
                        Limit::Workdays(n),
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::InconsistencyReported {
                resource,
                by,
                subject,
                ..
            } => {
                let r = self.resource(id, resource)?.clone();
                self.check_department(id, "by", by)?;
                if in_force {
                    let n = self.update_workdays(&r);
                    let o = self.open_obligation(
                        id,
                        ObligationKind::InconsistencyCorrection,
                        false,
                        &r.provider,
                        Some(resource),
                        subject.as_deref(),
                        at,
                        at,
                        Limit::Workdays(n),
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::InconsistencyResolved { resource, subject } => {
                self.resource(id, resource)?;
                let k = key(
                    ObligationKind::InconsistencyCorrection,
                    "",
                    Some(resource),
                    subject.as_deref(),
                );
                if !self.is_open(&k) {
                    return Err(WorkflowError::NothingOpen {
                        event: id.to_owned(),
                        kind: "inconsistency_resolved",
                        subject: match subject {
                            Some(s) => format!("{resource}` subject `{s}"),
                            None => resource.clone(),
                        },
                        rule: self.rule("resolve_reported_only"),
                    });
                }
                applied.closed = self.close(id, &k, at);
            }
            EventKind::Leak {
                department,
                resource,
                ..
            }
            | EventKind::Tampering {
                department,
                resource,
                ..
            }
            | EventKind::IllegalUse {
                department,
                resource,
                ..
            }
            | EventKind::Destruction {
                department,
                resource,
                ..
            }
            | EventKind::Intrusion {
                department,
                resource,
                ..
            }
            | EventKind::Outage {
                department,
                resource,
                ..
            } => {
                self.check_department(id, "department", department)?;
                let r = self.resource(id, resource)?;
                let harmless_leak = matches!(event.kind, EventKind::Leak { .. })
                    && r.open_data
                    && r.sensitivity.is_empty();
                let secret = r.has_sensitivity(Sensitivity::StateSecret);
                if in_force && !harmless_leak {
                    let limits = &self.snapshot.pack().manifest().incident_report;
                    let limit = match limits.hours {
                        Some(h) => Limit::Hours(h),
                        None if secret => Limit::Hours(limits.state_secret_hours),
                        None => Limit::Workdays(limits.workdays),
                    };
                    let o = self.open_obligation(
                        id,
                        ObligationKind::IncidentReport,
                        false,
                        department,
                        Some(resource),
                        None,
                        at,
                        at,
                        limit,
                    );
                    applied.opened.push(o);
                }
            }
            EventKind::IncidentReported {
                department,
                resource,
                ..
            } => {
                self.check_department(id, "department", department)?;
                if self.snapshot.registry().resource(resource).is_none()
                    && self.history.withdrawn_by(resource).is_none()
                {
                    return Err(WorkflowError::UnknownResource {
                        event: id.to_owned(),
                        resource: resource.clone(),
                    });
                }
                applied.closed = self.close(
                    id,
                    &key(
                        ObligationKind::IncidentReport,
                        department,
                        Some(resource),
                        None,
                    ),
                    at,
                );
            }
            _ => {}
        }
        Ok(applied)
    }
}
