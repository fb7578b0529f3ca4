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
//! Most requests name no fields: their fields are the resource's, known with
//! the pair. For them the pair keeps two more residuals, partially evaluated
//! with the fields (and the closed fields) known and the rest of the context
//! unknown, attribute by attribute: one for a request tried without a grant,
//! one with. Their field conditions are decided once, and their context carries
//! no field sets.
//!
//! A request of the pair is then Cedar's `is_authorized` over these few short
//! policies, on entities built once for the pair (the department, the resource,
//! its provider, all the department's certificates and all the pair's grants: a
//! policy reaches a certificate or a grant only through the request's context,
//! so the ones it does not name change nothing). Every policy keeps its id, so
//! the decision is read through the same annotations (the pack's, by id). The
//! differential test (`tests/tests/differential.rs`) compares this with plain
//! evaluation.

use std::collections::HashSet;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityUid, Policy, PolicyId, PolicySet, RequestBuilder,
};

use super::PolicyError;

mod shorten;

pub(crate) use shorten::ContextReads;

/// What an unknown context looks like in a residual policy's text.
const UNKNOWN_CONTEXT: &str = r#"unknown("context")"#;

/// Residual policies and the context attributes they read.
#[derive(Debug)]
pub(crate) struct Residual {
    /// The residual access policies.
    pub policies: PolicySet,
    /// The context attributes they read.
    pub reads: ContextReads,
}

/// A pair's specialised policies and entities.
#[derive(Debug)]
pub(crate) struct PairSpec<I> {
    /// The residual access policies of the pair, for any request.
    pub general: Residual,
    /// For a request whose fields are the resource's: the residuals without
    /// and with a grant tried; `None` when they could not be made (the general
    /// one serves).
    pub resource_fields: Option<[Residual; 2]>,
    /// The pair's entities.
    pub entities: Entities,
    /// What the engine keeps beside them (the resource's findings).
    pub info: I,
}

impl<I> PairSpec<I> {
    /// The residual for a request whose fields are the resource's
    /// (`resource_fields`) or not, tried with a grant or not.
    pub(crate) fn residual(&self, resource_fields: bool, grant: bool) -> &Residual {
        match (&self.resource_fields, resource_fields) {
            (Some([without, with]), true) => {
                if grant {
                    with
                } else {
                    without
                }
            }
            _ => &self.general,
        }
    }
}

/// The name of the unknown that stands for the context attribute `key` in a
/// partially known context.
pub(crate) fn unknown_attribute(key: &str) -> String {
    format!("{}{key}", shorten::UNKNOWN_ATTRIBUTE_PREFIX)
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
/// context unknown (`context` `None`) or partly known (its unknown attributes
/// named by [`unknown_attribute`]), and the context attributes they read.
/// `always` names the attributes every request's context carries. With a
/// partly known context, `None` when a residual could not be shortened (the
/// caller uses the residual of the unknown context).
pub(crate) fn residual_policies(
    policies: &PolicySet,
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
    entities: &Entities,
    always: &[&str],
    context: Option<Context>,
) -> Result<Option<Residual>, PolicyError> {
    let partly_known = context.is_some();
    let builder = RequestBuilder::default()
        .principal(principal)
        .action(action)
        .resource(resource);
    let request = match context {
        Some(c) => builder.context(c),
        None => builder,
    }
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
            None if partly_known => return Ok(None),
            None => {
                reads = ContextReads::All;
                out.add(as_written(&p)?).map_err(spec_err)?;
            }
        }
    }
    Ok(Some(Residual {
        policies: out,
        reads,
    }))
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
