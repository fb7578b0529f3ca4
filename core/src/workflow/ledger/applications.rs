//! Applications (Art. 17, 21; SPEC v2 §4): applying, the provider's reply with its
//! stated scope, partial approvals, coordination (after a refusal, a partial
//! refusal, an overdue reply, or directly for a not-shared resource), and the grants
//! these create.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Ledger, Time};
use crate::calendar::china_date;
use crate::policy::Procedure;
use crate::registry::{Grant, GrantSource, Method, Role, Sensitivity, Sharing};
use crate::workflow::error::WorkflowError;
use crate::workflow::event::{
    CoordinationOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope,
};
use crate::workflow::state::{ApplicationState, ApplicationStatus, Applied, Irregularity};

/// One application.
#[derive(Debug, Clone)]
pub(super) struct App {
    pub(super) seq: u64,
    pub(super) id: String,
    pub(super) department: String,
    pub(super) resource: String,
    pub(super) provider: String,
    pub(super) purpose: String,
    pub(super) fields: Option<Vec<String>>,
    pub(super) methods: Option<Vec<Method>>,
    pub(super) derived: bool,
    pub(super) status: ApplicationStatus,
    pub(super) opened: Time,
    /// When its latest event took effect: what an event on the application creates
    /// (a grant) starts no earlier (SPEC §4 Order).
    pub(super) last: Time,
    /// Working days for the reply, counted from `opened`; none when no reply is due
    /// (a not-shared resource, or no pack in force).
    pub(super) reply_limit: Option<u32>,
    pub(super) replied: Option<Time>,
    pub(super) approvals: Vec<GrantSource>,
    /// The provider's stated scope, kept while a derived resource waits for the Big
    /// Data Center's consent.
    pub(super) scope: Option<Scope>,
    pub(super) reason: Option<String>,
    pub(super) grants: Vec<String>,
    /// What a partial approval refused.
    pub(super) refused_fields: Vec<String>,
    pub(super) refused_methods: Vec<Method>,
    /// The status before an escalation on an overdue reply (a late reply is still
    /// accepted).
    pub(super) before_overdue_escalation: Option<ApplicationStatus>,
    pub(super) pack: String,
    pub(super) pack_until: NaiveDate,
    pub(super) in_force: bool,
    pub(super) events: Vec<String>,
    /// When the reply limit runs from: the application, or the last supply of
    /// materials asked for (`regional`, a reading).
    pub(super) reply_from: Time,
    /// Working days added by valid extensions (`regional`).
    pub(super) extension: u32,
    /// How many times materials were asked for, and the items asked.
    pub(super) materials_asked: u32,
    pub(super) materials_items: Vec<String>,
    /// Whether materials were supplied since the first request.
    pub(super) materials_supplied: bool,
    /// The event that recorded a justified delay.
    pub(super) justified: Option<String>,
    /// The sharing authority handling its dispute.
    pub(super) coordinator: Option<String>,
    /// The data is unconditional (a refusal needs an accepted reason code).
    pub(super) unconditional: bool,
}

fn valid_grant_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// The base of the id of a grant created for `application`: `grant.` and the id,
/// lowercased, with every character outside `[a-z0-9._-]` replaced by `-`. When a
/// character was replaced, a stable 64-bit FNV-1a hash of the whole application id
/// follows (`grant.---1.h3f…`), so that ids that differ only in such characters (all
/// Chinese ids, say) get different bases. A second grant of one application (a
/// coordination of a partial refusal) is `base.2`, and so on: deterministic.
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

/// What a coordination may still grant ([`Ledger::open_part`]).
pub(super) struct OpenPart {
    /// The resource's catalog fields.
    pub(super) catalog: Vec<String>,
    /// The fields still open.
    pub(super) fields: Vec<String>,
    /// The methods still open.
    pub(super) methods: Vec<Method>,
    /// Whether a partial approval came first.
    pub(super) after_partial: bool,
}

/// What a grant allows.
pub(super) struct Extent {
    pub(super) purposes: Vec<String>,
    pub(super) fields: Vec<String>,
    pub(super) methods: Vec<Method>,
    pub(super) until: Option<Time>,
}

/// A scope checked against what was asked: the extent to grant, what of the ask it
/// leaves out, and what is wrong with it.
pub(super) struct Checked {
    pub(super) extent: Extent,
    pub(super) refused_fields: Vec<String>,
    pub(super) refused_methods: Vec<Method>,
    /// `scope_not_stated` (with what is missing) or `scope_exceeds_application`.
    pub(super) fault: Option<(bool, String)>,
}

/// Checks `scope` against the ask: `purpose`, the fields asked (`asked_fields`, the
/// resource's `catalog` fields when the application named none) and the methods
/// asked (`asked_methods`, none named: any). `required`: an approval by the
/// provider must state its scope (Art. 17); a coordination need not (its default is
/// the ask).
pub(super) fn check_scope(
    scope: Option<&Scope>,
    required: bool,
    purpose: &str,
    catalog: &[String],
    asked_fields: &[String],
    asked_methods: &[Method],
) -> Checked {
    let mut fault: Option<(bool, String)> = None;
    let mut note = |stated: bool, what: String| {
        if fault.is_none() {
            fault = Some((stated, what));
        }
    };
    // Purposes: exactly the application's purpose.
    match scope.map(|s| &s.purposes) {
        Some(p) if !p.is_empty() => {
            if let Some(other) = p.iter().find(|x| *x != purpose) {
                note(false, format!("purpose `{other}` was not applied for"));
            }
        }
        _ if required => note(true, "`scope.purposes` is missing".to_owned()),
        _ => {}
    }
    // Fields: a non-empty list of the catalog's fields, within the ask.
    let stated_fields = scope.map(|s| &s.fields).filter(|f| !f.is_empty());
    let fields: Vec<String> = match stated_fields {
        Some(f) => {
            if let Some(x) = f.iter().find(|x| !catalog.contains(x)) {
                note(false, format!("field `{x}` is not in the catalog entry"));
            } else if let Some(x) = f.iter().find(|x| !asked_fields.contains(x)) {
                note(false, format!("field `{x}` was not applied for"));
            }
            f.iter()
                .filter(|x| asked_fields.contains(x))
                .cloned()
                .collect()
        }
        None => {
            if required && scope.is_some() && !catalog.is_empty() {
                note(
                    true,
                    "`scope.fields` is empty on a resource with fields".to_owned(),
                );
            }
            asked_fields.to_vec()
        }
    };
    if required && scope.is_none() {
        note(true, "no `scope`".to_owned());
    }
    // Methods: absent means the ask.
    let methods: Vec<Method> = match scope.map(|s| &s.methods).filter(|m| !m.is_empty()) {
        Some(m) => {
            if !asked_methods.is_empty()
                && let Some(x) = m.iter().find(|x| !asked_methods.contains(x))
            {
                note(
                    false,
                    format!("method `{}` was not applied for", method_name(*x)),
                );
            }
            m.iter()
                .filter(|x| asked_methods.is_empty() || asked_methods.contains(x))
                .copied()
                .collect()
        }
        None => asked_methods.to_vec(),
    };
    let fields = if fields.is_empty() {
        asked_fields.to_vec()
    } else {
        fields
    };
    let methods = if methods.is_empty() {
        asked_methods.to_vec()
    } else {
        methods
    };
    let refused_fields: Vec<String> = asked_fields
        .iter()
        .filter(|f| !fields.contains(f))
        .cloned()
        .collect();
    let refused_methods: Vec<Method> = asked_methods
        .iter()
        .filter(|m| !methods.contains(m))
        .copied()
        .collect();
    Checked {
        extent: Extent {
            purposes: vec![purpose.to_owned()],
            fields,
            methods,
            until: scope.and_then(|s| s.until),
        },
        refused_fields,
        refused_methods,
        fault,
    }
}

fn method_name(m: Method) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(super) fn set<T: Ord + Clone>(v: &[T]) -> BTreeSet<T> {
    v.iter().cloned().collect()
}

impl Ledger {
    pub(super) fn app_state(&self, a: &App, as_of: Time) -> ApplicationState {
        let limit = a
            .reply_limit
            .filter(|_| a.status != ApplicationStatus::AwaitingMaterials);
        let (reply_due, reply_late, reply_late_workdays) = match limit {
            Some(n) => match self.calendar.due_date(a.reply_from, n + a.extension) {
                Ok(due) => {
                    // A withdrawn resource ends the reply duty at the withdrawal.
                    let reference = match a.status {
                        ApplicationStatus::Withdrawn => a.replied.unwrap_or(a.last.min(as_of)),
                        _ => a.replied.unwrap_or(as_of),
                    };
                    // Art. 33: a reply due after the pack's last day ends with it.
                    let (late, n) = self
                        .lateness(Some(due), None, reference, a.pack_until)
                        .unwrap_or((false, None));
                    (Some(due), late, n)
                }
                Err(_) => (None, false, None),
            },
            None => (None, false, None),
        };
        ApplicationState {
            id: a.id.clone(),
            department: a.department.clone(),
            resource: a.resource.clone(),
            provider: a.provider.clone(),
            purpose: a.purpose.clone(),
            status: a.status,
            opened: a.opened,
            reply_due,
            replied: a.replied,
            reply_late,
            reply_late_workdays,
            approvals: a.approvals.clone(),
            reason: a.reason.clone(),
            grant: a.grants.first().cloned(),
            events: a.events.clone(),
            fields: a.fields.clone(),
            methods: a.methods.clone(),
            refused_fields: a.refused_fields.clone(),
            refused_methods: a.refused_methods.clone(),
            grants: a.grants.clone(),
            pack: a.pack.clone(),
            in_force: a.in_force,
            extension_workdays: a.extension,
            delay_justified: a.justified.clone(),
            coordinator: a.coordinator.clone(),
        }
    }

    /// The reply's due day, if one is due.
    pub(super) fn reply_due(&self, a: &App) -> Option<NaiveDate> {
        if a.status == ApplicationStatus::AwaitingMaterials {
            return None;
        }
        a.reply_limit
            .and_then(|n| self.calendar.due_date(a.reply_from, n + a.extension).ok())
    }

    /// The body of the coordination ladder's rung `n` (0: the pack's
    /// `[applications] coordinator`, which also consents to derived resources;
    /// 1: its `decider`).
    fn ladder(&self, n: usize) -> Option<Role> {
        let a = &self.snapshot.pack().manifest().applications;
        match n {
            0 => a.coordinator,
            _ => a.decider,
        }
    }

    /// Whether the reply to `a` is overdue at `at` (its due day has passed).
    pub(super) fn reply_overdue(&self, a: &App, at: Time) -> bool {
        self.reply_due(a)
            .is_some_and(|due| china_date(at) > due && due <= a.pack_until)
    }

    pub(super) fn app(
        &self,
        id: &str,
        kind: &'static str,
        application: &str,
    ) -> Result<&App, WorkflowError> {
        if let Some(a) = self.apps.get(application) {
            return Ok(a);
        }
        if let Some(status) = self.tombstones.get(application) {
            return Err(WorkflowError::WrongState {
                event: id.to_owned(),
                kind,
                application: application.to_owned(),
                state: status.as_str(),
                rule: "the application is final".to_owned(),
            });
        }
        Err(WorkflowError::UnknownApplication {
            event: id.to_owned(),
            application: application.to_owned(),
        })
    }

    /// Art. 17 因履行職責確需使用: the purpose must be one of the department's duties
    /// at `at` (SPEC v2 §4). Strict: an error; lenient: an irregularity.
    pub(super) fn check_purpose(
        &self,
        id: &str,
        department: &str,
        purpose: &str,
        application: &str,
    ) -> Result<Option<Irregularity>, WorkflowError> {
        let ok = self
            .snapshot
            .registry()
            .department(department)
            .is_some_and(|d| d.duties.iter().any(|x| x == purpose));
        if ok {
            return Ok(None);
        }
        if !self.lenient {
            return Err(WorkflowError::PurposeNotDuty {
                event: id.to_owned(),
                department: department.to_owned(),
                purpose: purpose.to_owned(),
                rule: self.rule("purpose_not_duty"),
            });
        }
        let mut irr = self.irregular("purpose_not_duty", id, department);
        irr.application = Some(application.to_owned());
        irr.reason = Some(format!("purpose `{purpose}` is not one of its duties"));
        Ok(Some(irr))
    }

    pub(super) fn on_application_event(
        &mut self,
        id: &str,
        event: &Event,
    ) -> Result<Applied, WorkflowError> {
        match &event.kind {
            EventKind::Apply {
                application,
                department,
                resource,
                purpose,
                fields,
                methods,
                certificate,
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
                certificate.as_deref(),
            ),
            EventKind::Reply {
                application,
                by,
                outcome,
                reason,
                scope,
                certificate,
                ..
            } => self.on_reply(
                id,
                event,
                application,
                by,
                *outcome,
                reason.as_deref(),
                scope.as_ref(),
                certificate.as_deref(),
            ),
            EventKind::Escalate {
                application,
                to,
                certificate,
                ..
            } => self.on_escalate(id, event, application, *to, certificate.as_deref()),
            EventKind::Coordinate {
                application,
                by,
                outcome,
                scope,
                certificate,
            } => self.on_coordinate(
                id,
                event,
                application,
                by,
                *outcome,
                scope.as_ref(),
                certificate.as_deref(),
            ),
            _ => Ok(self.applied(id, event)),
        }
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
        certificate: Option<&str>,
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
        let not_applicable = |rule: String| WorkflowError::NotApplicable {
            event: id.to_owned(),
            resource: resource.to_owned(),
            rule,
        };
        let manifest = self.snapshot.pack().manifest();
        let regional = manifest.applications.procedure == Procedure::Regional;
        if regional && self.outside_regulation(r) {
            return Err(not_applicable(self.rule("outside_regulation")));
        }
        if r.provider == department {
            return Err(not_applicable(
                "a provider has its own resources without applying".to_owned(),
            ));
        }
        let in_force = self.in_force(event.at);
        let (status, reply_limit) = if regional {
            // Every class by application (the national reading): the limit of
            // its class; not-shared data is never opened.
            let class = match r.sharing {
                Sharing::NotShared => return Err(not_applicable(self.rule("not_shared_closed"))),
                Sharing::Unconditional => "unconditional",
                Sharing::Conditional => "conditional",
            };
            (
                ApplicationStatus::Pending,
                manifest.applications.reply_limit(class),
            )
        } else {
            let sharing = match r.sharing {
                Sharing::Unconditional if r.has_sensitivity(Sensitivity::StateSecret) => {
                    Sharing::Conditional
                }
                s => s,
            };
            let limit = manifest.reply_limit_workdays;
            match sharing {
                Sharing::NotShared => (ApplicationStatus::CoordinatingBigDataCenter, None),
                Sharing::Conditional => (ApplicationStatus::Pending, Some(limit)),
                Sharing::Unconditional if r.derived => (ApplicationStatus::Pending, Some(limit)),
                Sharing::Unconditional => {
                    return Err(not_applicable(self.rule("unconditional_direct")));
                }
            }
        };
        let unconditional = r.sharing == Sharing::Unconditional;
        let provider = r.provider.clone();
        let derived = r.derived;
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, department, certificate, event.at)?);
        irregularities.extend(self.check_purpose(id, department, purpose, application)?);
        self.seq += 1;
        let manifest = self.snapshot.pack().manifest();
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
            reply_limit: reply_limit.filter(|_| in_force),
            replied: None,
            approvals: Vec::new(),
            scope: None,
            reason: None,
            grants: Vec::new(),
            refused_fields: Vec::new(),
            refused_methods: Vec::new(),
            before_overdue_escalation: None,
            pack: manifest.name.clone(),
            pack_until: manifest.valid_until,
            in_force,
            events: vec![id.to_owned()],
            reply_from: event.at,
            extension: 0,
            materials_asked: 0,
            materials_items: Vec::new(),
            materials_supplied: false,
            justified: None,
            coordinator: None,
            unconditional,
        };
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(resource.to_owned());
        }
        let mut applied = self.applied(id, event);
        applied.application = Some(self.app_state(&app, event.at));
        applied.irregularities = irregularities;
        self.apps.insert(application.to_owned(), app);
        Ok(applied)
    }

    /// What a coordination or a decision may still grant: after a partial
    /// approval only the part it refused, else the whole ask.
    pub(super) fn open_part(&self, a: &App) -> OpenPart {
        let (catalog, asked) = self.asked_fields(a);
        let after_partial = !a.grants.is_empty();
        let fields = if after_partial && !a.refused_fields.is_empty() {
            a.refused_fields.clone()
        } else {
            asked
        };
        let methods = if after_partial && !a.refused_methods.is_empty() {
            a.refused_methods.clone()
        } else {
            a.methods.clone().unwrap_or_default()
        };
        OpenPart {
            catalog,
            fields,
            methods,
            after_partial,
        }
    }

    /// The fields an application asked for: its own list, or every catalog field.
    pub(super) fn asked_fields(&self, a: &App) -> (Vec<String>, Vec<String>) {
        let catalog = self
            .snapshot
            .registry()
            .resource(&a.resource)
            .map(|r| r.fields.clone())
            .unwrap_or_default();
        let asked = a.fields.clone().unwrap_or_else(|| catalog.clone());
        (catalog, asked)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the grant"
    )]
    pub(super) fn make_grant(
        &self,
        id: &str,
        app: &App,
        extent: &Extent,
        all_fields: bool,
        at: Time,
        source: GrantSource,
        approvals: Vec<GrantSource>,
    ) -> Result<Grant, WorkflowError> {
        let registry = self.snapshot.registry();
        let gid = self
            .book
            .fresh_id(&grant_base(&app.id), |g| registry.grant(g).is_some());
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
            purposes: extent.purposes.clone(),
            // Every field of the resource: the grant says all (empty).
            fields: if all_fields {
                Vec::new()
            } else {
                extent.fields.clone()
            },
            methods: extent.methods.clone(),
            from: at,
            until: extent.until,
            source,
            approvals,
        })
    }

    /// A fault of a scope: strict, the error; lenient, a `scope_not_stated`
    /// irregularity.
    pub(super) fn scope_fault(
        &self,
        id: &str,
        application: &str,
        by: &str,
        fault: Option<(bool, String)>,
    ) -> Result<Option<Irregularity>, WorkflowError> {
        let Some((not_stated, detail)) = fault else {
            return Ok(None);
        };
        if !self.lenient {
            return Err(if not_stated {
                WorkflowError::ScopeNotStated {
                    event: id.to_owned(),
                    application: application.to_owned(),
                    detail,
                    rule: self.rule("scope_not_stated"),
                }
            } else {
                WorkflowError::ScopeExceedsApplication {
                    event: id.to_owned(),
                    application: application.to_owned(),
                    detail,
                    rule: self.rule("scope_exceeds_application"),
                }
            });
        }
        let mut irr = self.irregular("scope_not_stated", id, by);
        irr.application = Some(application.to_owned());
        irr.reason = Some(detail);
        Ok(Some(irr))
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
        certificate: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "reply", application)?;
        self.check_department(id, "by", by)?;
        let state = a.status.as_str();
        let is_provider = by == a.provider;
        let is_bdc = a.derived && self.ladder(0).is_some_and(|role| self.has_role(by, role));
        // After an escalation on an overdue reply, a late reply is still accepted
        // (SPEC v2 §4): judged as in the state the escalation left.
        let effective = a.before_overdue_escalation.unwrap_or(a.status);
        let (provider_may, bdc_may) = match effective {
            ApplicationStatus::Pending => (true, true),
            ApplicationStatus::AwaitingBigDataCenter => (false, true),
            ApplicationStatus::AwaitingProvider => (true, false),
            _ => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "reply",
                    application: application.to_owned(),
                    state,
                    rule: self.rule("reply_pending_only"),
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
                rule: self.rule(if a.derived {
                    "reply_provider_and_center"
                } else {
                    "reply_provider"
                }),
            });
        }
        let escalated = a.before_overdue_escalation.is_some();
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, by, certificate, event.at)?);
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        // The provider's approval states its scope (Art. 17), checked against the ask.
        let (catalog, asked_fields) = self.asked_fields(a);
        let asked_methods = a.methods.clone().unwrap_or_default();
        let mut checked = None;
        if outcome == ReplyOutcome::Approve && acts_as_provider {
            let c = check_scope(
                scope,
                true,
                &a.purpose,
                &catalog,
                &asked_fields,
                &asked_methods,
            );
            irregularities.extend(self.scope_fault(id, application, by, c.fault.clone())?);
            checked = Some(c);
        }
        let partial = checked
            .as_ref()
            .is_some_and(|c| !c.refused_fields.is_empty() || !c.refused_methods.is_empty());
        if (outcome == ReplyOutcome::Refuse || partial) && reason.is_none() {
            irregularities.push(self.missing_reason(id, application, by, state, partial)?);
        }
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(a.resource.clone());
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
                next.reason = Some(reason.unwrap_or_default().to_owned());
                if !escalated {
                    next.status = ApplicationStatus::Refused;
                }
                // After an escalation on an overdue reply, a refusal leaves the
                // coordination open.
            }
            ReplyOutcome::Approve => {
                if acts_as_provider && !next.approvals.contains(&GrantSource::ProviderReply) {
                    next.approvals.push(GrantSource::ProviderReply);
                }
                if acts_as_bdc && !next.approvals.contains(&GrantSource::BigDataCenter) {
                    next.approvals.push(GrantSource::BigDataCenter);
                }
                if let Some(c) = &checked {
                    next.scope = scope.cloned();
                    next.refused_fields.clone_from(&c.refused_fields);
                    next.refused_methods.clone_from(&c.refused_methods);
                    if partial {
                        next.reason = reason.map(str::to_owned);
                    }
                }
                let has_p = next.approvals.contains(&GrantSource::ProviderReply);
                let has_b = next.approvals.contains(&GrantSource::BigDataCenter);
                if !next.derived || (has_p && has_b) {
                    let extra = if next.derived {
                        vec![GrantSource::BigDataCenter]
                    } else {
                        Vec::new()
                    };
                    let c = match checked {
                        Some(c) => c,
                        None => check_scope(
                            next.scope.as_ref(),
                            false,
                            &next.purpose,
                            &catalog,
                            &asked_fields,
                            &asked_methods,
                        ),
                    };
                    let all = next.fields.is_none() && c.refused_fields.is_empty();
                    let g = self.make_grant(
                        id,
                        &next,
                        &c.extent,
                        all,
                        next.last,
                        GrantSource::ProviderReply,
                        extra,
                    )?;
                    next.status =
                        if next.refused_fields.is_empty() && next.refused_methods.is_empty() {
                            ApplicationStatus::Approved
                        } else {
                            ApplicationStatus::PartlyApproved
                        };
                    next.before_overdue_escalation = None;
                    next.grants.push(g.id.clone());
                    grant = Some(g);
                } else if !escalated {
                    next.status = if has_p {
                        ApplicationStatus::AwaitingBigDataCenter
                    } else {
                        ApplicationStatus::AwaitingProvider
                    };
                } else {
                    next.before_overdue_escalation = Some(if has_p {
                        ApplicationStatus::AwaitingBigDataCenter
                    } else {
                        ApplicationStatus::AwaitingProvider
                    });
                }
            }
        }
        Ok(self.commit(id, event, next, grant, irregularities))
    }

    /// A refusal or a partial approval without a reason (Binzhou Art. 17,
    /// national 21¶2): strict, the error; lenient, the irregularity.
    pub(super) fn missing_reason(
        &self,
        id: &str,
        application: &str,
        by: &str,
        state: &'static str,
        partial: bool,
    ) -> Result<Irregularity, WorkflowError> {
        if !self.lenient {
            return Err(WorkflowError::MissingReason {
                event: id.to_owned(),
                application: application.to_owned(),
                state,
                rule: self.rule("missing_reason"),
            });
        }
        let mut irr = self.irregular("refusal_without_reason", id, by);
        irr.application = Some(application.to_owned());
        irr.reason = Some(if partial {
            "a partial approval without a reason".to_owned()
        } else {
            "a refusal without a reason".to_owned()
        });
        Ok(irr)
    }

    pub(super) fn commit(
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
        certificate: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "escalate", application)?;
        let overdue = self.reply_overdue(a, event.at);
        let next_status = match (a.status, to) {
            (
                ApplicationStatus::Refused | ApplicationStatus::PartlyApproved,
                EscalateTo::BigDataCenter,
            ) => ApplicationStatus::CoordinatingBigDataCenter,
            (ApplicationStatus::BigDataCenterFailed, EscalateTo::CityGovernmentOffice) => {
                ApplicationStatus::CoordinatingCityGovernmentOffice
            }
            // An overdue reply is read as a refusal (SPEC v2 §4, a reading).
            (
                ApplicationStatus::Pending | ApplicationStatus::AwaitingProvider,
                EscalateTo::BigDataCenter,
            ) if overdue => ApplicationStatus::CoordinatingBigDataCenter,
            // The Big Data Center's own consent is overdue: the City Government
            // Office coordinates (Art. 6).
            (ApplicationStatus::AwaitingBigDataCenter, EscalateTo::CityGovernmentOffice)
                if overdue =>
            {
                ApplicationStatus::CoordinatingCityGovernmentOffice
            }
            (status, _) => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "escalate",
                    application: application.to_owned(),
                    state: status.as_str(),
                    rule: self.rule(match to {
                        EscalateTo::CityGovernmentOffice => "coordinate_office_after",
                        _ => "coordinate_center_after",
                    }),
                });
            }
        };
        let department = a.department.clone();
        let purpose = a.purpose.clone();
        let resource = a.resource.clone();
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, &department, certificate, event.at)?);
        irregularities.extend(self.check_purpose(id, &department, &purpose, application)?);
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(resource.clone());
        }
        let Some(a) = self.apps.get(application) else {
            return Err(WorkflowError::UnknownApplication {
                event: id.to_owned(),
                application: application.to_owned(),
            });
        };
        let mut next = a.clone();
        if matches!(
            a.status,
            ApplicationStatus::Pending
                | ApplicationStatus::AwaitingProvider
                | ApplicationStatus::AwaitingBigDataCenter
        ) {
            next.before_overdue_escalation = Some(a.status);
        }
        next.status = next_status;
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        Ok(self.commit(id, event, next, None, irregularities))
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn on_coordinate(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        outcome: CoordinationOutcome,
        scope: Option<&Scope>,
        certificate: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "coordinate", application)?;
        self.check_department(id, "by", by)?;
        let state = a.status.as_str();
        let (role, source, rule) = match a.status {
            ApplicationStatus::CoordinatingBigDataCenter => (
                self.ladder(0),
                GrantSource::BigDataCenter,
                "coordinate_center_only",
            ),
            ApplicationStatus::CoordinatingCityGovernmentOffice => (
                self.ladder(1),
                GrantSource::CityGovernmentOffice,
                "coordinate_office_only",
            ),
            _ => {
                return Err(WorkflowError::WrongState {
                    event: id.to_owned(),
                    kind: "coordinate",
                    application: application.to_owned(),
                    state,
                    rule: self.rule("coordinate_under_coordination_only"),
                });
            }
        };
        if !role.is_some_and(|role| self.has_role(by, role)) {
            return Err(WorkflowError::WrongActor {
                event: id.to_owned(),
                actor: by.to_owned(),
                application: application.to_owned(),
                state,
                rule: self.rule(rule),
            });
        }
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, by, certificate, event.at)?);
        // After a partial approval, a coordination may grant only what was refused.
        let OpenPart {
            catalog,
            fields: fields_open,
            methods: methods_open,
            after_partial,
        } = self.open_part(a);
        let mut checked = None;
        if outcome == CoordinationOutcome::Agreed {
            let c = check_scope(
                scope,
                false,
                &a.purpose,
                &catalog,
                &fields_open,
                &methods_open,
            );
            irregularities.extend(self.scope_fault(id, application, by, c.fault.clone())?);
            checked = Some(c);
        }
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(a.resource.clone());
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.before_overdue_escalation = None;
        let mut grant = None;
        match (outcome, checked) {
            (CoordinationOutcome::Agreed, Some(c)) => {
                // Coordination is conducted with the provider (Art. 17); for a derived
                // resource the City Government Office's agreement stands for the
                // consents of the parties coordinated (a reading of Art. 6 ¶1).
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
                let all = next.fields.is_none()
                    && !after_partial
                    && set(&c.extent.fields) == set(&catalog);
                let g = self.make_grant(id, &next, &c.extent, all, next.last, source, approvals)?;
                next.status = ApplicationStatus::Approved;
                next.grants.push(g.id.clone());
                grant = Some(g);
            }
            _ => {
                next.status = match source {
                    GrantSource::CityGovernmentOffice => ApplicationStatus::Failed,
                    _ => ApplicationStatus::BigDataCenterFailed,
                };
            }
        }
        Ok(self.commit(id, event, next, grant, irregularities))
    }
}
