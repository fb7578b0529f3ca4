//! A `usage` judged by the decision the engine would give at its moment, and
//! each failing check turned into a category by the pack's table (SPEC v2 §5
//! "From a failing check to a category").

use std::collections::BTreeMap;

use super::evals::{Alike, Asker, Evals, Shape, within};
use super::texts;
use super::{Auditor, Time};
use crate::audit::Category;
use crate::calendar::china_date;
use crate::policy::{Decision, Effect, Reason};
use crate::registry::Method;
use crate::workflow::Ledger;

impl Auditor {
    /// Judges a usage: one violation per category of its failing checks (a
    /// quarantine alone makes none), each listing its checks.
    pub(super) fn check_usage(
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
        // The pack is shared (`Arc`): cloning it is cheap, unlike its manifest.
        let pack = self.ledger.base_engine().pack().clone();
        let manifest = pack.manifest();
        let mut by_category: BTreeMap<Category, Vec<&Reason>> = BTreeMap::new();
        for r in &deny.reasons {
            if let Some(c) = manifest.usage_category(&r.code) {
                by_category.entry(c).or_default().push(r);
            }
        }
        if deny.reasons.is_empty() {
            by_category.insert(manifest.audit.unknown_check, Vec::new());
        }
        let sensitive = self.sensitive(resource);
        let secret = self.secret(resource);
        for (category, reasons) in by_category {
            let sensitive_kind = manifest.audit.sensitive_on_use
                && matches!(
                    category,
                    Category::PurposeViolation
                        | Category::UnauthorizedUse
                        | Category::NetworkViolation
                );
            let detail = texts::usage(category, resource, purpose, &reasons);
            let extra_basis: Vec<&str> = if sensitive && sensitive_kind {
                vec![manifest.audit.sensitive_article.as_str()]
            } else {
                Vec::new()
            };
            let d = self.add(
                category,
                department,
                vec![id.to_owned()],
                &extra_basis,
                china_date(at),
                Some(resource),
                detail,
            );
            d.checks = reasons.iter().map(|r| r.code.clone()).collect();
            d.secret = secret;
            if sensitive && sensitive_kind {
                d.extra.push(crate::audit::Consequence::LegalReferral);
            }
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
/// the deny for the whole resource, whose failing checks the pack's `usage_checks`
/// table turns into categories.
pub(super) fn usage_denied(
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
    let asker = Asker::of(engine, department, resource, purpose, at)?;
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
    (deny.decision == Effect::Deny).then_some(deny)
}
