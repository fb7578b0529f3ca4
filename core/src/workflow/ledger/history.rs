//! The registry's history (SPEC v2 §4): the registry before the first event, and
//! the registry changes applied since, each from its own `at`.

use crate::policy::PolicyPack;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use super::{Ledger, Time};
use crate::registry::{FindingSeverity, Registry, RegistryDoc, Role};
use crate::workflow::error::WorkflowError;
use crate::workflow::event::{Event, EventKind};
use crate::workflow::state::{ApplicationStatus, Applied, ObligationKind};

/// The base registry and the ordered overlay of changes applied to it.
#[derive(Debug, Clone)]
pub(super) struct History {
    base: Registry,
    /// The changes applied, in log order, with their `at` and event id.
    changes: Vec<(Time, String, EventKind)>,
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
    pub(super) fn registry_at(
        &self,
        at: Time,
        pack: &PolicyPack,
    ) -> Result<Registry, crate::Error> {
        let mut registry = self.base.clone();
        for (when, id, change) in &self.changes {
            if *when <= at {
                registry = changed(&registry, id, change, pack).map_err(crate::Error::from)?;
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
            if !department.certificates.is_empty() || department.restricted {
                return Err(invalid(
                    id,
                    format!(
                        "`department_changed` of `{}` may not set `certificates` or `restricted`: only `certificate_issued`, `certificate_revoked`, `restriction_imposed` and `restriction_lifted` change them",
                        department.id
                    ),
                ));
            }
            let i = department_mut(&mut doc, &department.id)?;
            if let Some(slot) = doc.departments.get_mut(i) {
                let certificates = std::mem::take(&mut slot.certificates);
                let restricted = slot.restricted;
                *slot = (**department).clone();
                slot.certificates = certificates;
                slot.restricted = restricted;
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
        EventKind::RestrictionImposed { department, by, .. }
        | EventKind::RestrictionLifted { department, by, .. } => {
            let imposing = matches!(kind, EventKind::RestrictionImposed { .. });
            if !registry
                .department(by)
                .is_some_and(|d| d.has_role(Role::BigDataCenter))
            {
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
    pack: &PolicyPack,
) -> Result<Registry, WorkflowError> {
    let next = changed(registry, id, kind, pack)?;
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
        let next = registry_changed(
            self.snapshot.registry(),
            id,
            &event.kind,
            self.snapshot.pack(),
        )?;
        // Checked: from here on nothing fails.
        let mut applied = self.applied(id, event);
        let at = event.at;
        match &event.kind {
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
        self.history
            .changes
            .push((at, id.to_owned(), event.kind.clone()));
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
