//! The pack specialised to one (department, resource) pair of a registry
//! snapshot (issue 14).
//!
//! Most of a pack's conditions are about the principal and the resource: for a
//! given pair they are already decided by its entities. Cedar's partial
//! evaluation (`is_authorized_partial`, with the request's context unknown)
//! decides them once; what is left per policy is
//!
//! - `false`: the policy cannot apply to the pair, whatever the request; it is
//!   dropped;
//! - `true`: it applies to every request of the pair; it is kept as
//!   `when { true }`;
//! - a residual condition on the context only (purpose, fields, method, network,
//!   certificate, moment, grant): it is kept, with the context put back in place
//!   of the unknown, and shortened ([`shorten`]: the decided conjuncts Cedar
//!   leaves in place are taken out, and a residual that can no longer hold is
//!   dropped);
//! - an error: the original policy is kept, so that a request fails as before.
//!
//! The pair also records which context attributes its policies read
//! ([`ContextReads`]): a request of the pair builds only those.
//!
//! A request of the pair is then Cedar's `is_authorized` over these few short
//! policies, on entities built once for the pair (the department, the resource,
//! its provider, all the department's certificates and all the pair's grants: a
//! policy reaches a certificate or a grant only through the request's context,
//! so the ones it does not name change nothing). Every policy keeps its id, so
//! the decision is read through the same annotations. The differential test
//! (`core/tests/differential.rs`) compares this with plain evaluation.

use std::collections::HashSet;

use cedar_policy::{
    Authorizer, Entities, Entity, EntityUid, Policy, PolicyId, PolicySet, RequestBuilder,
};

use super::PolicyError;

mod shorten;

pub(crate) use shorten::ContextReads;

/// What an unknown context looks like in a residual policy's text.
const UNKNOWN_CONTEXT: &str = r#"unknown("context")"#;

/// A pair's specialised policies and entities.
#[derive(Debug)]
pub(crate) struct PairSpec<I> {
    /// The residual access policies of the pair.
    pub policies: PolicySet,
    /// The pair's entities.
    pub entities: Entities,
    /// The context attributes the policies read.
    pub reads: ContextReads,
    /// What the engine keeps beside them (the resource's findings).
    pub info: I,
}

fn spec_err(message: impl std::fmt::Display) -> PolicyError {
    PolicyError::Evaluation {
        policy: None,
        message: format!("specialising the pack: {message}"),
    }
}

/// The pair's entities: a list that may repeat nothing.
pub(crate) fn pair_entities(list: Vec<Entity>) -> Result<Entities, PolicyError> {
    Entities::from_entities(list, None).map_err(spec_err)
}

/// The policies of `policies` that can apply to an `action` request of
/// `principal` on `resource`, partially evaluated on `entities` with the
/// context unknown, and the context attributes they read. `always` names the
/// attributes every request's context carries.
pub(crate) fn residual_policies(
    policies: &PolicySet,
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
    entities: &Entities,
    always: &[&str],
) -> Result<(PolicySet, ContextReads), PolicyError> {
    let request = RequestBuilder::default()
        .principal(principal)
        .action(action)
        .resource(resource)
        .build();
    let partial = Authorizer::new().is_authorized_partial(&request, policies, entities);
    let mut out = PolicySet::new();
    let mut reads = ContextReads::none();
    let mut kept: HashSet<PolicyId> = HashSet::new();
    // Errors stay errors: the original policy is evaluated per request.
    for id in partial.definitely_errored() {
        if let Some(p) = policies.policy(id) {
            kept.insert(id.clone());
            out.add(p.clone()).map_err(spec_err)?;
            reads = ContextReads::All;
        }
    }
    for p in partial
        .definitely_satisfied()
        .chain(partial.nontrivial_residuals())
    {
        if !kept.insert(p.id().clone()) {
            continue;
        }
        match shortened(&p, always) {
            Some(Some((short, read))) => {
                reads.add(read);
                out.add(short).map_err(spec_err)?;
            }
            // It can never apply.
            Some(None) => {}
            None => {
                reads = ContextReads::All;
                out.add(as_written(&p)?).map_err(spec_err)?;
            }
        }
    }
    Ok((out, reads))
}

/// The residual `p` shortened, with what it reads of the context; `Some(None)`
/// when it can never apply; `None` when it is kept as Cedar wrote it.
fn shortened(p: &Policy, always: &[&str]) -> Option<Option<(Policy, ContextReads)>> {
    let json = p.to_json().ok()?;
    match shorten::shorten(json, always).ok()? {
        None => Some(None),
        Some((json, reads)) => {
            let policy = Policy::from_json(Some(p.id().clone()), json).ok()?;
            Some(Some((policy, reads)))
        }
    }
}

/// The residual `p` as Cedar wrote it, with the context put back in place of
/// the unknown.
fn as_written(p: &Policy) -> Result<Policy, PolicyError> {
    let text = p.to_string().replace(UNKNOWN_CONTEXT, "context");
    Policy::parse(Some(p.id().clone()), &text).map_err(|e| PolicyError::Evaluation {
        policy: Some(p.id().to_string()),
        message: format!("specialising the pack: residual `{text}`: {e}"),
    })
}
