//! The `regional` application procedure (SPEC v2 §7; the national pack's
//! reading, `packs/national-2025.md`): every share by application, answered
//! within the limit of its class; materials asked for at once; extensions and
//! justified delays by the provider's sharing authority; delivery after an
//! approval; disputes by negotiation, then the parties' sharing authority, then
//! its people's government. The numbers, roles and articles come from the pack's
//! `[applications]`, `[duties]` and `rule_texts`.

use super::applications::{App, OpenPart, check_scope, set};
use super::obligations::{Limit, delivery_key};
use super::{Ledger, Time};
use crate::calendar::china_date;
use crate::registry::GrantSource;
use crate::workflow::error::WorkflowError;
use crate::workflow::event::{
    CoordinationOutcome, DisputeOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope,
};
use crate::workflow::state::{ApplicationStatus, Applied, Irregularity, ObligationKind};

/// A region code and its shorter prefixes, longest first (GB/T 2260: 6, 4, 2).
fn prefixes(region: &str) -> Vec<&str> {
    [6, 4, 2]
        .into_iter()
        .filter(|&n| n <= region.len())
        .filter_map(|n| region.get(..n))
        .collect()
}

impl Ledger {
    fn settings(&self) -> &crate::policy::ApplicationSettings {
        &self.snapshot.pack().manifest().applications
    }

    /// The coordinator of a dispute between `a` and `b`: the one of their region
    /// when they share level and region, else the one of the longest common
    /// region prefix that has one (a reading of 「共同的上級」).
    fn coordinator_for(&self, a: &str, b: &str) -> Option<String> {
        let role = self.settings().coordinator?;
        let ra = self.region_of(a)?;
        let rb = self.region_of(b)?;
        let pb = prefixes(&rb);
        prefixes(&ra)
            .into_iter()
            .filter(|p| pb.contains(p))
            .find_map(|p| self.body_of_region(role, p))
    }

    /// The provider's same-level sharing authority (extensions, justified delay).
    fn provider_authority(&self, provider: &str) -> Option<String> {
        self.same_level_body(self.settings().coordinator?, provider)
    }

    /// Whether the parties differ in level or region (they may go to the
    /// authority without negotiating).
    fn parties_differ(&self, a: &str, b: &str) -> bool {
        let reg = self.snapshot.registry();
        match (reg.department(a), reg.department(b)) {
            (Some(x), Some(y)) => x.level != y.level || x.region != y.region,
            _ => true,
        }
    }

    /// An act the pack forbids on `application` ([`Ledger::forbidden`], the
    /// irregularity naming the application).
    fn forbidden_on(
        &self,
        id: &str,
        act: &str,
        department: &str,
        application: &str,
        detail: String,
        rule: &str,
    ) -> Result<Irregularity, WorkflowError> {
        let mut irr = self.forbidden(id, act, department, detail, rule)?;
        irr.application = Some(application.to_owned());
        Ok(irr)
    }

    fn wrong_actor(
        &self,
        id: &str,
        actor: &str,
        a: &App,
        rule: &str,
        right: Option<&str>,
    ) -> WorkflowError {
        let mut rule = self.rule(rule);
        if let Some(right) = right {
            rule.push_str(&format!("; here `{right}`"));
        }
        WorkflowError::WrongActor {
            event: id.to_owned(),
            actor: actor.to_owned(),
            application: a.id.clone(),
            state: a.status.as_str(),
            rule,
        }
    }

    fn wrong_state(&self, id: &str, kind: &'static str, a: &App, rule: &str) -> WorkflowError {
        WorkflowError::WrongState {
            event: id.to_owned(),
            kind,
            application: a.id.clone(),
            state: a.status.as_str(),
            rule: self.rule(rule),
        }
    }

    /// The events of the `regional` procedure.
    pub(super) fn on_regional_event(
        &mut self,
        id: &str,
        event: &Event,
    ) -> Result<Applied, WorkflowError> {
        match &event.kind {
            // Applying is one rule for both procedures; its class decides the limit.
            EventKind::Apply { .. } => self.on_application_event(id, event),
            EventKind::Reply {
                application,
                by,
                outcome,
                reason,
                reason_code,
                scope,
                certificate,
                ..
            } => self.regional_reply(
                id,
                event,
                application,
                by,
                *outcome,
                reason.as_deref(),
                reason_code.as_deref(),
                scope.as_ref(),
                certificate.as_deref(),
            ),
            EventKind::MaterialsRequested {
                application,
                by,
                materials,
            } => self.materials_requested(id, event, application, by, materials),
            EventKind::MaterialsSupplied {
                application, by, ..
            } => self.materials_supplied(id, event, application, by.as_deref()),
            EventKind::ExtensionGranted {
                application,
                department,
                by,
                workdays,
                requester_informed,
            } => self.extension_granted(
                id,
                event,
                application.as_deref(),
                department.as_deref(),
                by,
                *workdays,
                *requester_informed,
            ),
            EventKind::DelayJustified {
                application,
                by,
                reason,
            } => self.delay_justified(id, event, application, by, reason),
            EventKind::DataShared { application, by } => {
                self.data_shared(id, event, application, by)
            }
            EventKind::NegotiationFailed { application, by } => {
                self.negotiation_failed(id, event, application, by)
            }
            EventKind::Escalate {
                application,
                to,
                by,
                certificate,
            } => self.regional_escalate(
                id,
                event,
                application,
                *to,
                by.as_deref(),
                certificate.as_deref(),
            ),
            EventKind::Coordinate {
                application,
                by,
                outcome,
                scope,
                certificate,
            } => {
                let agreed = *outcome == CoordinationOutcome::Agreed;
                self.settle(
                    id,
                    event,
                    application,
                    by,
                    agreed,
                    scope.as_ref(),
                    certificate.as_deref(),
                    false,
                )
            }
            EventKind::Decide {
                application,
                by,
                outcome,
                scope,
                certificate,
            } => {
                let share = *outcome == DisputeOutcome::Share;
                self.settle(
                    id,
                    event,
                    application,
                    by,
                    share,
                    scope.as_ref(),
                    certificate.as_deref(),
                    true,
                )
            }
            _ => Ok(self.applied(id, event)),
        }
    }

    /// Opens the delivery duty of an approved application, from `at`.
    fn open_delivery(
        &mut self,
        id: &str,
        a: &App,
        at: Time,
    ) -> Option<crate::workflow::ObligationState> {
        let n = self.settings().delivery_workdays?;
        if !a.in_force || !self.in_force(at) {
            return None;
        }
        let state = self.open_obligation(
            id,
            ObligationKind::DataDelivery,
            false,
            &a.provider,
            Some(&a.resource),
            None,
            at,
            at,
            Limit::Workdays(n),
        );
        // Keyed by the application, not the resource.
        if let Some(o) = self.open.get(&self.seq).cloned() {
            self.unindex(&o);
            if let Some(o) = self.open.get_mut(&self.seq) {
                o.application = Some(a.id.clone());
                o.justified.clone_from(&a.justified);
            }
            self.index
                .entry(delivery_key(&a.id))
                .or_default()
                .push(self.seq);
        }
        let mut state = state;
        state.application = Some(a.id.clone());
        state.delay_justified.clone_from(&a.justified);
        Some(state)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn regional_reply(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        outcome: ReplyOutcome,
        reason: Option<&str>,
        reason_code: Option<&str>,
        scope: Option<&Scope>,
        certificate: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "reply", application)?;
        self.check_department(id, "by", by)?;
        if by != a.provider {
            return Err(self.wrong_actor(id, by, a, "reply_provider", Some(&a.provider)));
        }
        let effective = a.before_overdue_escalation.unwrap_or(a.status);
        if !matches!(
            effective,
            ApplicationStatus::Pending | ApplicationStatus::AwaitingMaterials
        ) {
            return Err(self.wrong_state(id, "reply", a, "reply_pending_only"));
        }
        let escalated = a.before_overdue_escalation.is_some();
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, by, certificate, event.at)?);
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let (catalog, asked_fields) = self.asked_fields(a);
        let asked_methods = a.methods.clone().unwrap_or_default();
        let mut checked = None;
        if outcome == ReplyOutcome::Approve {
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
            let state = a.status.as_str();
            irregularities.push(self.missing_reason(id, application, by, state, partial)?);
        }
        if outcome == ReplyOutcome::Refuse {
            let settings = self.settings();
            let materials = settings
                .materials_incomplete_code
                .as_deref()
                .is_some_and(|c| reason_code == Some(c));
            let accepted =
                reason_code.is_some_and(|c| settings.refusal_codes_allowed.iter().any(|x| x == c));
            if materials {
                irregularities.push(
                    self.forbidden_on(
                        id,
                        "refused_for_missing_materials",
                        by,
                        application,
                        "refused for incomplete materials instead of asking for them at once"
                            .to_owned(),
                        "materials_refusal",
                    )?,
                );
            } else if a.unconditional && !accepted {
                let detail = match reason_code {
                    Some(c) => format!("unconditional data refused with reason code `{c}`"),
                    None => "unconditional data refused without a reason code".to_owned(),
                };
                irregularities.push(self.forbidden_on(
                    id,
                    "sharing_obstructed",
                    by,
                    application,
                    detail,
                    "obstruction",
                )?);
            }
        }
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(a.resource.clone());
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.replied.get_or_insert(event.at);
        next.before_overdue_escalation = None;
        if a.status == ApplicationStatus::AwaitingMaterials {
            // Answered while the materials asked for were outstanding: no reply
            // was due yet, so none is late (21¶2, a reading).
            next.reply_limit = None;
        }
        let mut grant = None;
        let mut opened = None;
        match (outcome, checked) {
            (ReplyOutcome::Approve, Some(c)) => {
                if !next.approvals.contains(&GrantSource::ProviderReply) {
                    next.approvals.push(GrantSource::ProviderReply);
                }
                next.scope = scope.cloned();
                next.refused_fields.clone_from(&c.refused_fields);
                next.refused_methods.clone_from(&c.refused_methods);
                if partial {
                    next.reason = reason.map(str::to_owned);
                }
                let all = next.fields.is_none() && c.refused_fields.is_empty();
                let g = self.make_grant(
                    id,
                    &next,
                    &c.extent,
                    all,
                    next.last,
                    GrantSource::ProviderReply,
                    Vec::new(),
                )?;
                next.status = if partial {
                    ApplicationStatus::PartlyApproved
                } else {
                    ApplicationStatus::Approved
                };
                next.grants.push(g.id.clone());
                grant = Some(g);
                opened = Some(event.at);
            }
            _ => {
                next.reason = Some(reason.unwrap_or_default().to_owned());
                // After a negotiation or an escalation on an overdue reply, a
                // late refusal leaves the dispute where it is.
                if !escalated {
                    next.status = ApplicationStatus::Refused;
                } else {
                    next.status = a.status;
                }
            }
        }
        if escalated && grant.is_some() {
            // A late approval settles the dispute.
            next.coordinator = None;
        }
        let delivery = match opened {
            Some(at) => self.open_delivery(id, &next, at),
            None => None,
        };
        let mut applied = self.commit(id, event, next, grant, irregularities);
        applied.opened.extend(delivery);
        Ok(applied)
    }

    fn materials_requested(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        materials: &[String],
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "materials_requested", application)?;
        self.check_department(id, "by", by)?;
        if by != a.provider {
            return Err(self.wrong_actor(id, by, a, "reply_provider", Some(&a.provider)));
        }
        if !matches!(
            a.status,
            ApplicationStatus::Pending | ApplicationStatus::AwaitingMaterials
        ) || self.reply_overdue(a, event.at)
        {
            return Err(self.wrong_state(id, "materials_requested", a, "materials_before_due"));
        }
        let mut irregularities = Vec::new();
        if a.materials_asked > 0 {
            let new_items: Vec<&String> = materials
                .iter()
                .filter(|m| !a.materials_items.contains(m))
                .collect();
            let detail = if a.materials_supplied {
                new_items.first().map(|item| {
                    format!(
                        "`{item}` was not asked for at first and does not concern the materials supplied"
                    )
                })
            } else {
                Some("materials asked for again before any were supplied".to_owned())
            };
            if let Some(detail) = detail {
                let mut irr = self.forbidden_on(
                    id,
                    "materials_not_requested_at_once",
                    by,
                    application,
                    detail,
                    "materials_once",
                )?;
                irr.resource = Some(a.resource.clone());
                irregularities.push(irr);
            }
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.materials_asked += 1;
        for m in materials {
            if !next.materials_items.contains(m) {
                next.materials_items.push(m.clone());
            }
        }
        next.status = ApplicationStatus::AwaitingMaterials;
        Ok(self.commit(id, event, next, None, irregularities))
    }

    fn materials_supplied(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "materials_supplied", application)?;
        if let Some(by) = by {
            self.check_department(id, "by", by)?;
            if by != a.department {
                return Err(self.wrong_actor(
                    id,
                    by,
                    a,
                    "materials_supplied_after_request",
                    Some(&a.department),
                ));
            }
        }
        if a.status != ApplicationStatus::AwaitingMaterials {
            return Err(self.wrong_state(
                id,
                "materials_supplied",
                a,
                "materials_supplied_after_request",
            ));
        }
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.materials_supplied = true;
        next.status = ApplicationStatus::Pending;
        // The reply limit runs again from the complete application (a reading).
        next.reply_from = event.at;
        next.extension = 0;
        Ok(self.commit(id, event, next, None, Vec::new()))
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn extension_granted(
        &mut self,
        id: &str,
        event: &Event,
        application: Option<&str>,
        department: Option<&str>,
        by: &str,
        workdays: u32,
        requester_informed: bool,
    ) -> Result<Applied, WorkflowError> {
        self.check_department(id, "by", by)?;
        let Some(application) = application else {
            let Some(department) = department else {
                return Err(WorkflowError::NothingOpen {
                    event: id.to_owned(),
                    kind: "extension_granted",
                    subject: String::new(),
                    rule: self.rule("extension_rule"),
                });
            };
            let irregularities = self.catalog_extension(id, department, by, workdays, event.at)?;
            let mut applied = self.applied(id, event);
            applied.irregularities = irregularities;
            return Ok(applied);
        };
        let a = self.app(id, "extension_granted", application)?;
        let authority = self.provider_authority(&a.provider);
        let max = self.settings().extension_max_workdays.unwrap_or(0);
        let due = self.reply_due(a);
        let problem = if authority.as_deref() != Some(by) {
            Some(match &authority {
                Some(right) => {
                    format!("granted by `{by}`, not the provider's sharing authority `{right}`")
                }
                None => format!(
                    "the provider `{}` has no sharing authority of its region",
                    a.provider
                ),
            })
        } else if a.status != ApplicationStatus::Pending || a.replied.is_some() {
            Some(format!(
                "no reply is pending (state `{}`)",
                a.status.as_str()
            ))
        } else if due.is_none_or(|d| china_date(event.at) > d) {
            Some("granted after the due date it extends".to_owned())
        } else if !requester_informed {
            Some("the requester was not informed".to_owned())
        } else if workdays == 0 || a.extension + workdays > max {
            Some(format!(
                "{workdays} working days would bring the extensions to {}, more than {max}",
                a.extension + workdays
            ))
        } else {
            None
        };
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        let mut irregularities = Vec::new();
        match problem {
            Some(detail) => {
                let mut irr = self.forbidden_on(
                    id,
                    "extension_invalid",
                    by,
                    application,
                    detail,
                    "extension_rule",
                )?;
                irr.resource = Some(a.resource.clone());
                irregularities.push(irr);
            }
            None => next.extension += workdays,
        }
        Ok(self.commit(id, event, next, None, irregularities))
    }

    fn delay_justified(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        reason: &str,
    ) -> Result<Applied, WorkflowError> {
        self.check_department(id, "by", by)?;
        let key = delivery_key(application);
        let a = match self.apps.get(application) {
            Some(a) => a.clone(),
            None => {
                // A finished application whose delivery is still open.
                let Some(seq) = self.index.get(&key).and_then(|v| v.first().copied()) else {
                    return Err(self
                        .app(id, "delay_justified", application)
                        .err()
                        .unwrap_or(WorkflowError::UnknownApplication {
                            event: id.to_owned(),
                            application: application.to_owned(),
                        }));
                };
                let provider = self
                    .open
                    .get(&seq)
                    .map(|o| o.department.clone())
                    .unwrap_or_default();
                if self.provider_authority(&provider).as_deref() != Some(by) {
                    return Err(WorkflowError::NothingOpen {
                        event: id.to_owned(),
                        kind: "delay_justified",
                        subject: application.to_owned(),
                        rule: self.rule("delay_justified_by"),
                    });
                }
                if let Some(o) = self.open.get_mut(&seq) {
                    o.justified = Some(id.to_owned());
                    o.events.push(id.to_owned());
                }
                return Ok(self.applied(id, event));
            }
        };
        let authority = self.provider_authority(&a.provider);
        if authority.as_deref() != Some(by) {
            return Err(self.wrong_actor(id, by, &a, "delay_justified_by", authority.as_deref()));
        }
        if reason.trim().is_empty() {
            return Err(WorkflowError::MissingReason {
                event: id.to_owned(),
                application: application.to_owned(),
                state: a.status.as_str(),
                rule: self.rule("delay_justified_by"),
            });
        }
        let mut next = a;
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.justified = Some(id.to_owned());
        let seqs = self.index.get(&key).cloned().unwrap_or_default();
        for seq in seqs {
            if let Some(o) = self.open.get_mut(&seq) {
                o.justified = Some(id.to_owned());
            }
        }
        Ok(self.commit(id, event, next, None, Vec::new()))
    }

    fn data_shared(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
    ) -> Result<Applied, WorkflowError> {
        self.check_department(id, "by", by)?;
        let key = delivery_key(application);
        let provider = self
            .index
            .get(&key)
            .and_then(|v| v.first())
            .and_then(|seq| self.open.get(seq))
            .map(|o| o.department.clone());
        let Some(provider) = provider else {
            return Err(WorkflowError::NothingOpen {
                event: id.to_owned(),
                kind: "data_shared",
                subject: application.to_owned(),
                rule: self.rule("delivery_after_approval"),
            });
        };
        if provider != by {
            return Err(WorkflowError::WrongActor {
                event: id.to_owned(),
                actor: by.to_owned(),
                application: application.to_owned(),
                state: "approved",
                rule: format!(
                    "{}; here `{provider}`",
                    self.rule("delivery_after_approval")
                ),
            });
        }
        let mut applied = self.applied(id, event);
        applied.closed = self.close(id, &key, event.at);
        if let Some(a) = self.apps.get_mut(application) {
            a.events.push(id.to_owned());
        }
        Ok(applied)
    }

    fn negotiation_failed(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "negotiation_failed", application)?;
        self.check_department(id, "by", by)?;
        if by != a.department && by != a.provider {
            return Err(self.wrong_actor(id, by, a, "negotiation_after", None));
        }
        let overdue = self.reply_overdue(a, event.at);
        let pending = matches!(
            a.status,
            ApplicationStatus::Pending | ApplicationStatus::AwaitingMaterials
        );
        if !(matches!(
            a.status,
            ApplicationStatus::Refused | ApplicationStatus::PartlyApproved
        ) || (pending && overdue))
        {
            return Err(self.wrong_state(id, "negotiation_failed", a, "negotiation_after"));
        }
        let mut next = a.clone();
        if pending {
            next.before_overdue_escalation = Some(a.status);
        }
        next.status = ApplicationStatus::NegotiationFailed;
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        Ok(self.commit(id, event, next, None, Vec::new()))
    }

    fn regional_escalate(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        to: EscalateTo,
        by: Option<&str>,
        certificate: Option<&str>,
    ) -> Result<Applied, WorkflowError> {
        let a = self.app(id, "escalate", application)?;
        let settings = self.settings();
        let (coordinator_role, decider_role) = (settings.coordinator, settings.decider);
        let wanted = match to {
            EscalateTo::SharingAuthority => coordinator_role,
            EscalateTo::PeopleGovernment => decider_role,
            _ => None,
        };
        if wanted.is_none() {
            return Err(self.wrong_state(id, "escalate", a, "escalate_authority_after"));
        }
        let mut next = a.clone();
        let actor: String;
        match to {
            EscalateTo::PeopleGovernment => {
                // The authority refers the dispute it could not settle (報).
                let Some(coordinator) = a.coordinator.clone() else {
                    return Err(self.wrong_state(id, "escalate", a, "refer_government_after"));
                };
                if a.status != ApplicationStatus::SharingAuthorityFailed {
                    return Err(self.wrong_state(id, "escalate", a, "refer_government_after"));
                }
                let by = by.unwrap_or(&a.department);
                if by != coordinator {
                    return Err(self.wrong_actor(
                        id,
                        by,
                        a,
                        "refer_government_after",
                        Some(&coordinator),
                    ));
                }
                next.status = ApplicationStatus::DecidingPeopleGovernment;
                actor = coordinator;
            }
            _ => {
                let by = by.unwrap_or(&a.department);
                if by != a.department {
                    return Err(self.wrong_actor(
                        id,
                        by,
                        a,
                        "escalate_authority_after",
                        Some(&a.department),
                    ));
                }
                let pending = matches!(
                    a.status,
                    ApplicationStatus::Pending | ApplicationStatus::AwaitingMaterials
                );
                let overdue = self.reply_overdue(a, event.at);
                let differ = self.parties_differ(&a.department, &a.provider);
                let ok = a.status == ApplicationStatus::NegotiationFailed
                    || (differ
                        && (matches!(
                            a.status,
                            ApplicationStatus::Refused | ApplicationStatus::PartlyApproved
                        ) || (pending && overdue)));
                if !ok {
                    return Err(self.wrong_state(id, "escalate", a, "escalate_authority_after"));
                }
                let Some(coordinator) = self.coordinator_for(&a.department, &a.provider) else {
                    return Err(WorkflowError::NotApplicable {
                        event: id.to_owned(),
                        resource: a.resource.clone(),
                        rule: format!(
                            "{}; no sharing authority covers the regions of `{}` and `{}`",
                            self.rule("coordinate_authority_only"),
                            a.department,
                            a.provider
                        ),
                    });
                };
                if pending {
                    next.before_overdue_escalation = Some(a.status);
                }
                next.status = ApplicationStatus::CoordinatingSharingAuthority;
                next.coordinator = Some(coordinator);
                actor = a.department.clone();
            }
        }
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, &actor, certificate, event.at)?);
        if actor == a.department {
            let (department, purpose) = (a.department.clone(), a.purpose.clone());
            irregularities.extend(self.check_purpose(id, &department, &purpose, application)?);
        }
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(next.resource.clone());
        }
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        Ok(self.commit(id, event, next, None, irregularities))
    }

    /// A coordination by the sharing authority (`decision` false) or a decision
    /// of the people's government (`decision` true).
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    fn settle(
        &mut self,
        id: &str,
        event: &Event,
        application: &str,
        by: &str,
        share: bool,
        scope: Option<&Scope>,
        certificate: Option<&str>,
        decision: bool,
    ) -> Result<Applied, WorkflowError> {
        let kind = if decision { "decide" } else { "coordinate" };
        let a = self.app(id, kind, application)?;
        self.check_department(id, "by", by)?;
        let (status, rule) = if decision {
            (
                ApplicationStatus::DecidingPeopleGovernment,
                "decide_government_only",
            )
        } else {
            (
                ApplicationStatus::CoordinatingSharingAuthority,
                "coordinate_authority_only",
            )
        };
        if a.status != status {
            return Err(self.wrong_state(id, kind, a, rule));
        }
        let right = if decision {
            let role = self.settings().decider;
            a.coordinator
                .as_deref()
                .and_then(|c| self.region_of(c))
                .zip(role)
                .and_then(|(region, role)| self.body_of_region(role, &region))
        } else {
            a.coordinator.clone()
        };
        if right.as_deref() != Some(by) {
            return Err(self.wrong_actor(id, by, a, rule, right.as_deref()));
        }
        let mut irregularities = Vec::new();
        irregularities.extend(self.act_certificate(id, by, certificate, event.at)?);
        let OpenPart {
            catalog,
            fields: fields_open,
            methods: methods_open,
            after_partial,
        } = self.open_part(a);
        let mut next = a.clone();
        next.events.push(id.to_owned());
        next.last = next.last.max(event.at);
        next.before_overdue_escalation = None;
        let mut grant = None;
        if share {
            let c = check_scope(
                scope,
                false,
                &a.purpose,
                &catalog,
                &fields_open,
                &methods_open,
            );
            irregularities.extend(self.scope_fault(id, application, by, c.fault.clone())?);
            let source = if decision {
                GrantSource::PeopleGovernment
            } else {
                GrantSource::SharingAuthority
            };
            let all =
                next.fields.is_none() && !after_partial && set(&c.extent.fields) == set(&catalog);
            let g = self.make_grant(id, &next, &c.extent, all, next.last, source, Vec::new())?;
            next.status = ApplicationStatus::Approved;
            next.grants.push(g.id.clone());
            grant = Some(g);
        } else {
            next.status = if decision {
                ApplicationStatus::Failed
            } else {
                ApplicationStatus::SharingAuthorityFailed
            };
        }
        for irr in &mut irregularities {
            irr.application = Some(application.to_owned());
            irr.resource = Some(a.resource.clone());
        }
        let delivery = if grant.is_some() {
            self.open_delivery(id, &next, event.at)
        } else {
            None
        };
        let mut applied = self.commit(id, event, next, grant, irregularities);
        applied.opened.extend(delivery);
        Ok(applied)
    }
}
