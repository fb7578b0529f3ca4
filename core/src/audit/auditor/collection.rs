//! Art. 13: a department that requires a person or company to submit what it can
//! get through the platform (`duplicate_collection`).

use super::evals::{Asker, Evals, grant_part, lookup, part, remember, stable_interval};
use super::texts;
use super::{Auditor, Time};
use crate::audit::Category;
use crate::calendar::china_date;
use crate::policy::Answer;
use crate::registry::Grant;
use crate::workflow::Ledger;

impl Auditor {
    /// Judges a `submission_required`: a violation when the item is obtainable.
    pub(super) fn check_submission(
        &mut self,
        id: &str,
        at: Time,
        department: &str,
        resource: &str,
    ) {
        let Some(answer) = obtainable(&self.ledger, &mut self.evals, at, department, resource)
        else {
            return;
        };
        let basis: Vec<&str> = answer.citations.iter().map(String::as_str).collect();
        let detail = texts::duplicate_collection(resource);
        self.add(
            Category::DuplicateCollection,
            department,
            vec![id.to_owned()],
            &basis,
            china_date(at),
            Some(resource),
            detail,
        );
    }
}

/// Art. 13: the engine's answer, when the department may not require the item (it
/// can get it through the platform, with the grants in force); `None` when it may,
/// or when the engine cannot answer (a moment outside the pack's validity).
pub(super) fn obtainable(
    ledger: &Ledger,
    evals: &mut Evals,
    at: Time,
    department: &str,
    resource: &str,
) -> Option<Answer> {
    let engine = ledger.base_engine();
    let reg = engine.registry();
    let asker = Asker::of(engine, department, resource, "", at)?;
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
    if let Some(hit) = lookup(&evals.answers, key, at) {
        return hit;
    }
    let value = asker.engine_with(in_force.iter().copied()).and_then(|e| {
        e.may_require_submission(department, resource, at)
            .ok()
            .filter(|a| !a.allowed)
    });
    let interval = stable_interval(engine, asker.department, at);
    remember(&mut evals.answers, &evals.key, interval, value)
}
