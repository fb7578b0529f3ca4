//! The registry's history (SPEC v2 §4): the registry before the first event, and
//! the registry changes applied since, each from its own `at`.

use crate::policy::PolicyPack;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use super::{Ledger, Time};
use crate::registry::{FindingSeverity, Grant, Registry, RegistryDoc};
use crate::workflow::error::WorkflowError;
use crate::workflow::event::{Event, EventKind, SuspensionScope};
use crate::workflow::state::{ApplicationStatus, Applied, ObligationKind};

/// The base registry and the ordered overlay of changes applied to it.
#[derive(Debug, Clone)]
pub(super) struct History {
    base: Registry,
    /// The changes applied, in log order, with their `at` and event id.
    changes: Vec<(Time, String, EventKind, PolicyPack)>,
    /// Withdrawn resources and the event that withdrew each.
    withdrawn: HashMap<String, String>,
    generation: u64,
}

impl History {
    pub(super) fn new(base: Registry) -> Self {
        Self {
            base,
            changes: Vec::new(),
            withdrawn: HashMap::new(),
            generation: 0,
        }
    }

    /// Changes whenever a change is applied.
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    /// The event that withdrew `resource`, if it was withdrawn (and not catalogued
    /// again since).
    pub(super) fn withdrawn_by(&self, resource: &str) -> Option<&str> {
        self.withdrawn.get(resource).map(String::as_str)
    }

    /// The registry at `at`: the base with every change whose `at` is not later, in
    /// log order.
    pub(super) fn registry_at(&self, at: Time) -> Result<Registry, crate::Error> {
        let mut registry = self.base.clone();
        // Each change is replayed under the pack that judged it.
        for (when, id, change, judged_by) in &self.changes {
            if *when <= at {
                registry =
                    changed(&registry, id, change, *when, judged_by).map_err(crate::Error::from)?;
            }
        }
        Ok(registry)
    }
}

/// The error findings of a registry, by code, kind, id and article.
fn errors(registry: &Registry, pack: &PolicyPack) -> HashSet<(String, String, String, String)> {
    pack.validate(registry)
        .into_iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .map(|f| (f.code, f.kind, f.id, f.article))
        .collect()
}

fn invalid(id: &str, message: String) -> WorkflowError {
    WorkflowError::InvalidChange {
        event: id.to_owned(),
        message,
    }
}

fn unknown_department(id: &str, department: &str) -> WorkflowError {
    WorkflowError::UnknownDepartment {
        event: id.to_owned(),
        field: "department",
        department: department.to_owned(),
    }
}

fn unknown_resource(id: &str, resource: &str) -> WorkflowError {
    WorkflowError::UnknownResource {
        event: id.to_owned(),
        resource: resource.to_owned(),
    }
}

/// `registry` with the change `kind` (event `id`) applied: the entry shapes and
/// references are checked as a loaded registry's are; no finding check here.
fn changed(
    registry: &Registry,
    id: &str,
    kind: &EventKind,
    at: Time,
    pack: &PolicyPack,
) -> Result<Registry, WorkflowError> {
    let mut doc: RegistryDoc = registry.doc().clone();
    let department_mut = |doc: &mut RegistryDoc, d: &str| {
        doc.departments
            .iter_mut()
            .position(|x| x.id == d)
            .ok_or_else(|| unknown_department(id, d))
    };
    match kind {
        EventKind::ResourceCatalogued { resource } => {
            if doc.resources.iter().any(|r| r.id == resource.id) {
                return Err(invalid(
                    id,
                    format!("resource `{}` is already in the catalog", resource.id),
                ));
            }
            doc.resources.push((**resource).clone());
        }
        EventKind::ResourceChanged { resource } => {
            let slot = doc
                .resources
                .iter_mut()
                .find(|r| r.id == resource.id)
                .ok_or_else(|| unknown_resource(id, &resource.id))?;
            *slot = (**resource).clone();
        }
        EventKind::ResourceWithdrawn { resource, .. } => {
            let before = doc.resources.len();
            doc.resources.retain(|r| r.id != *resource);
            if doc.resources.len() == before {
                return Err(unknown_resource(id, resource));
            }
            // Its grants end with it.
            doc.grants.retain(|g| g.resource != *resource);
        }
        EventKind::DepartmentChanged { department } => {
            if !department.certificates.is_empty()
                || department.restricted
                || !department.suspended_by.is_empty()
            {
                return Err(invalid(
                    id,
                    format!(
                        "`department_changed` of `{}` may not set `certificates`, `restricted` or `suspended_by`: only `certificate_issued`, `certificate_revoked`, `restriction_imposed`, `restriction_lifted`, `sharing_suspended` and `sharing_restored` change them",
                        department.id
                    ),
                ));
            }
            let i = department_mut(&mut doc, &department.id)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                let certificates = std::mem::take(&mut slot.certificates);
                let suspended_by = std::mem::take(&mut slot.suspended_by);
                let restricted = slot.restricted;
                *slot = (**department).clone();
                slot.certificates = certificates;
                slot.restricted = restricted;
                slot.suspended_by = suspended_by;
            }
        }
        EventKind::CertificateIssued {
            department,
            certificate,
        } => {
            let i = department_mut(&mut doc, department)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                slot.certificates.push(certificate.clone());
            }
        }
        EventKind::CertificateRevoked { department, serial } => {
            let i = department_mut(&mut doc, department)?;
            let Some(cert) = doc
                .departments
                .get_mut(i)
                .and_then(|d| d.certificates.iter_mut().find(|c| c.serial == *serial))
            else {
                return Err(invalid(
                    id,
                    format!("department `{department}` holds no certificate `{serial}`"),
                ));
            };
            if cert.revoked {
                return Err(invalid(
                    id,
                    format!("certificate `{serial}` of `{department}` is already revoked"),
                ));
            }
            cert.revoked = true;
        }
        EventKind::SharingSuspended {
            department,
            by,
            scope,
            ..
        } => {
            let body = registry
                .department(by)
                .ok_or_else(|| unknown_department(id, by))?;
            let rule = pack
                .manifest()
                .rule_texts
                .get("suspension_by")
                .map_or("", String::as_str);
            let authority = pack
                .manifest()
                .applications
                .coordinator
                .is_some_and(|role| body.has_role(role));
            let provides = registry.resources().iter().any(|r| r.provider == *by);
            match scope {
                SuspensionScope::Region if !authority => {
                    return Err(invalid(
                        id,
                        format!(
                            "`{by}` is not a sharing authority, so it suspends no region: {rule}"
                        ),
                    ));
                }
                SuspensionScope::Provider if !provides => {
                    return Err(invalid(
                        id,
                        format!("`{by}` provides no resource, so it suspends none: {rule}"),
                    ));
                }
                _ => {}
            }
            let i = department_mut(&mut doc, department)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                if slot.suspended_by.contains(by) {
                    return Err(invalid(
                        id,
                        format!("`{department}`'s sharing rights are already suspended by `{by}`"),
                    ));
                }
                slot.suspended_by.push(by.clone());
            }
        }
        EventKind::SharingTerminated { .. } => {
            // Checked by the ledger first (the grants named, the scope); here the
            // registry's own grants end.
            for g in doc.grants.iter_mut() {
                if terminates(registry, pack, kind, g) && g.until.is_none_or(|u| u > at) {
                    g.until = Some(at);
                }
            }
        }
        EventKind::ServiceTerminated { grant, .. } => {
            for g in doc.grants.iter_mut() {
                if g.id == *grant && g.until.is_none_or(|u| u > at) {
                    g.until = Some(at);
                }
            }
        }
        EventKind::SharingRestored { department, by } => {
            let i = department_mut(&mut doc, department)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                let before = slot.suspended_by.len();
                slot.suspended_by.retain(|b| b != by);
                if slot.suspended_by.len() == before {
                    return Err(invalid(
                        id,
                        format!(
                            "`{by}` did not suspend `{department}`'s sharing rights: only the body that suspended them restores them"
                        ),
                    ));
                }
            }
        }
        EventKind::RestrictionImposed { department, by, .. }
        | EventKind::RestrictionLifted { department, by, .. } => {
            let imposing = matches!(kind, EventKind::RestrictionImposed { .. });
            if !registry.department(by).is_some_and(|d| {
                pack.manifest()
                    .applications
                    .coordinator
                    .is_some_and(|role| d.has_role(role))
            }) {
                let rule = pack
                    .manifest()
                    .rule_texts
                    .get("restriction_by_center")
                    .map_or("", String::as_str);
                return Err(invalid(
                    id,
                    format!("`{by}` is not the Big Data Center: {rule}"),
                ));
            }
            let i = department_mut(&mut doc, department)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                if slot.restricted == imposing {
                    return Err(invalid(
                        id,
                        format!(
                            "department `{department}` is {} restricted",
                            if imposing { "already" } else { "not" }
                        ),
                    ));
                }
                slot.restricted = imposing;
            }
        }
        _ => {}
    }
    Registry::from_doc(doc).map_err(|e| invalid(id, e.to_string()))
}

/// Whether `body` may end sharing of `resource` under `pack` (see
/// [`Registry::covers`]).
pub(super) fn in_scope(registry: &Registry, pack: &PolicyPack, body: &str, resource: &str) -> bool {
    registry.covers(body, resource, pack.manifest().applications.coordinator)
}

/// Whether a `sharing_terminated` ends grant `g` (a registry grant or one an
/// event created): its department's, within the terminating body's scope,
/// and named when it names grants.
fn terminates(registry: &Registry, pack: &PolicyPack, kind: &EventKind, g: &Grant) -> bool {
    let EventKind::SharingTerminated {
        department,
        by,
        grants,
    } = kind
    else {
        return false;
    };
    g.department == *department
        && grants.as_ref().is_none_or(|ids| ids.contains(&g.id))
        && in_scope(registry, pack, by, &g.resource)
}

impl Ledger {
    /// Checks a `sharing_terminated` or `service_terminated` before it is
    /// applied: the body may end what it names (the provider of a grant's
    /// resource; for a termination, the provider or the authority of its
    /// region), every grant named is the department's and known.
    pub(super) fn check_termination(&self, id: &str, event: &Event) -> Result<(), WorkflowError> {
        let registry = self.snapshot.registry();
        let pack = self.snapshot.pack();
        match &event.kind {
            EventKind::SharingTerminated {
                department,
                by,
                grants,
            } => {
                if registry.department(department).is_none() {
                    return Err(unknown_department(id, department));
                }
                if registry.department(by).is_none() {
                    return Err(unknown_department(id, by));
                }
                for g in grants.iter().flatten() {
                    let Some(grant) = self.grant(g) else {
                        return Err(WorkflowError::UnknownGrant {
                            event: id.to_owned(),
                            grant: g.clone(),
                        });
                    };
                    if grant.department != *department
                        || !in_scope(registry, pack, by, &grant.resource)
                    {
                        return Err(invalid(
                            id,
                            format!(
                                "grant `{g}` is not `{department}`'s within the scope of `{by}`: {}",
                                self.rule("termination_scope")
                            ),
                        ));
                    }
                }
                Ok(())
            }
            EventKind::ServiceTerminated { grant, by, .. }
            | EventKind::ServiceChanged { grant, by, .. } => {
                let Some(g) = self.grant(grant) else {
                    return Err(WorkflowError::UnknownGrant {
                        event: id.to_owned(),
                        grant: grant.clone(),
                    });
                };
                let provider = registry.resource(&g.resource).map(|r| r.provider.clone());
                if provider.as_deref() != Some(by) {
                    return Err(invalid(
                        id,
                        format!(
                            "`{by}` does not provide `{}`: {}",
                            g.resource,
                            self.rule("service_change")
                        ),
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// `registry` with the registry change `kind` (event `id`) applied, as a ledger
/// applies it (SPEC v2 §4): the entry shapes and references are checked as a loaded
/// registry's are (`workflow.invalid_change`, `workflow.unknown_resource`,
/// `workflow.unknown_department`), and a change that adds an error finding (SPEC v2
/// §6) the registry did not have is `workflow.registry_change_rejected`. Any other
/// event kind leaves the registry as it is.
pub(crate) fn registry_changed(
    registry: &Registry,
    id: &str,
    kind: &EventKind,
    at: Time,
    pack: &PolicyPack,
) -> Result<Registry, WorkflowError> {
    let next = changed(registry, id, kind, at, pack)?;
    let before = errors(registry, pack);
    let mut added: Vec<_> = errors(&next, pack).difference(&before).cloned().collect();
    added.sort();
    if let Some((code, kind, entry, article)) = added.into_iter().next() {
        return Err(WorkflowError::RegistryChangeRejected {
            event: id.to_owned(),
            finding: format!("`{code}` on {kind} `{entry}` (Art. {article})"),
        });
    }
    Ok(next)
}

impl Ledger {
    /// Applies a registry change (SPEC v2 §4): all or nothing.
    pub(super) fn on_registry_change(
        &mut self,
        id: &str,
        event: &Event,
    ) -> Result<Applied, WorkflowError> {
        self.check_termination(id, event)?;
        let next = registry_changed(
            self.snapshot.registry(),
            id,
            &event.kind,
            event.at,
            self.snapshot.pack(),
        )?;
        // Checked: from here on nothing fails.
        let mut applied = self.applied(id, event);
        let at = event.at;
        match &event.kind {
            EventKind::SharingTerminated { .. } => {
                let registry = self.snapshot.registry();
                let pack = self.snapshot.pack();
                let ended: Vec<String> = self
                    .book
                    .all()
                    .filter(|g| terminates(registry, pack, &event.kind, g))
                    .map(|g| g.id.clone())
                    .collect();
                for g in ended {
                    self.book.end_grant(&g, at);
                }
            }
            EventKind::ServiceTerminated { grant, .. } => {
                self.book.end_grant(grant, at);
            }
            EventKind::ResourceCatalogued { resource } => {
                self.history.withdrawn.remove(&resource.id);
                let r = (**resource).clone();
                if let Some(o) = self.open_first_provision(id, &r, Some(at)) {
                    applied.opened.push(o);
                }
            }
            EventKind::ResourceWithdrawn { resource, .. } => {
                self.history
                    .withdrawn
                    .insert(resource.clone(), id.to_owned());
                self.book.end_resource(resource, at);
                applied.closed = self.end_resource_duties(id, resource, at);
                let mut apps: Vec<String> = self
                    .apps
                    .values()
                    .filter(|a| a.resource == *resource && !a.status.is_final())
                    .map(|a| a.id.clone())
                    .collect();
                apps.sort();
                for app in apps {
                    if let Some(a) = self.apps.get_mut(&app) {
                        a.status = ApplicationStatus::Withdrawn;
                        a.events.push(id.to_owned());
                        a.last = a.last.max(at);
                        self.finished.push(app.clone());
                    }
                }
            }
            _ => {}
        }
        self.snapshot = self.snapshot.with_registry(next);
        self.history.changes.push((
            at,
            id.to_owned(),
            event.kind.clone(),
            self.snapshot.pack().clone(),
        ));
        self.history.generation = self.history.generation.wrapping_add(1);
        Ok(applied)
    }

    /// Ends the open duties on `resource` (it left the catalog): those already due
    /// stay violations up to `at`, the others end without one.
    fn end_resource_duties(
        &mut self,
        id: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
    ) -> Vec<crate::workflow::ObligationState> {
        let seqs: Vec<u64> = self
            .open
            .values()
            .filter(|o| o.resource.as_deref() == Some(resource))
            .filter(|o| o.kind != ObligationKind::IncidentReport)
            .map(|o| o.seq)
            .collect();
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            if let Some(mut o) = self.open.remove(&seq) {
                self.unindex(&o);
                o.ended = Some((at, "resource_withdrawn"));
                o.events.push(id.to_owned());
                out.push(self.obligation_state(&o, at));
                self.closed.push(o);
            }
        }
        out
    }
}
