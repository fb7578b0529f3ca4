//! The decision engine (SPEC §2): a pack plus a registry snapshot.

use std::sync::Arc;

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, Entity, Request, Response,
    RestrictedExpression,
};
use chrono::{DateTime, FixedOffset, Offset as _};
use serde::{Deserialize, Serialize};

use super::PolicyError;
use super::entities::{self, method_str, network_str, uid};
use super::pack::{PolicyMeta, PolicyPack};
use super::wire::{AccessRequest, Decision, Effect, Reason, Route};
use crate::registry::{Department, Grant, Method, Registry, Resource};

/// Options for [`Engine::decide_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideOptions {
    /// Evaluate a moment outside the pack's validity (Art. 33) instead of
    /// failing with [`PolicyError::NotInForce`]; the decision then says
    /// `in_force: false`.
    #[serde(default)]
    pub evaluate_out_of_force: bool,
}

/// A yes/no answer with the articles behind it (Art. 13, Art. 22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The answer to the question asked.
    pub allowed: bool,
    /// The articles that determined it; never empty.
    pub citations: Vec<String>,
    /// Why, article by article.
    pub reasons: Vec<Reason>,
    /// False when evaluated outside the pack's validity on request.
    pub in_force: bool,
}

/// The decision engine: a pack plus a registry snapshot. Immutable, cheap to
/// clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Engine {
    pack: PolicyPack,
    registry: Arc<Registry>,
}

/// What one Cedar evaluation said, read through the policies' annotations.
struct Outcome {
    effect: Effect,
    route: Route,
    metas: Vec<(String, PolicyMeta)>,
}

const FALLBACK_ARTICLE: &str = "17";

fn china() -> FixedOffset {
    // UTC+08:00 is always in range.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

impl Engine {
    /// An engine over `pack` and `registry`.
    pub fn new(pack: PolicyPack, registry: Registry) -> Result<Self, crate::Error> {
        Ok(Self {
            pack,
            registry: Arc::new(registry),
        })
    }

    /// The same pack over a new registry snapshot (policies are not re-parsed
    /// or re-validated).
    pub fn with_registry(&self, registry: Registry) -> Self {
        Self {
            pack: self.pack.clone(),
            registry: Arc::new(registry),
        }
    }

    /// The registry snapshot.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The pack.
    pub fn pack(&self) -> &PolicyPack {
        &self.pack
    }

    /// Decides one request. A moment outside the pack's validity is
    /// [`PolicyError::NotInForce`]; an unknown department or resource is an
    /// error naming it.
    pub fn decide(&self, request: &AccessRequest) -> Result<Decision, crate::Error> {
        self.decide_with(request, DecideOptions::default())
    }

    /// Decides many requests, each on its own (one bad request does not stop
    /// the others).
    pub fn decide_many(&self, requests: &[AccessRequest]) -> Vec<Result<Decision, crate::Error>> {
        requests.iter().map(|r| self.decide(r)).collect()
    }

    /// Decides one request with options.
    pub fn decide_with(
        &self,
        request: &AccessRequest,
        options: DecideOptions,
    ) -> Result<Decision, crate::Error> {
        let in_force = self.check_in_force(request.at, options)?;
        let department = self.department(&request.department)?;
        let resource = self.resource(&request.resource)?;
        Ok(self.decide_known(request, department, resource, in_force)?)
    }

    /// Art. 13: may `department` require a person or company to submit
    /// `resource`? No when the department can already get it through the
    /// platform (a permit, direct or granted, for one of its duties by some
    /// method, with its own certificate on the resource's network).
    pub fn may_require_submission(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Answer, crate::Error> {
        self.may_require_submission_with(department, resource, at, DecideOptions::default())
    }

    /// [`Engine::may_require_submission`] with options.
    pub fn may_require_submission_with(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
        options: DecideOptions,
    ) -> Result<Answer, crate::Error> {
        let in_force = self.check_in_force(at, options)?;
        let dept = self.department(department)?;
        let res = self.resource(resource)?;
        let methods = [
            Method::SystemIntegration,
            Method::FrontProcessor,
            Method::OnlineQuery,
            Method::BatchDownload,
        ];
        for purpose in &dept.duties {
            for method in methods {
                let req = AccessRequest {
                    department: dept.id.clone(),
                    resource: res.id.clone(),
                    method,
                    purpose: purpose.clone(),
                    fields: None,
                    network: res.network,
                    certificate: dept
                        .certificate
                        .as_ref()
                        .map(|c| c.serial.clone())
                        .unwrap_or_default(),
                    at,
                };
                let d = self.decide_known(&req, dept, res, in_force)?;
                if d.decision == Effect::Permit {
                    let mut citations = vec!["13".to_owned()];
                    push_unique(&mut citations, d.citations.iter().cloned());
                    let mut reasons = vec![Reason {
                        article: "13".to_owned(),
                        code: "available_on_platform".to_owned(),
                        zh: format!(
                            "該部門可通過共享平台獲取「{}」（用途「{purpose}」），不得要求重複提交",
                            res.name
                        ),
                        en: format!(
                            "the department can get `{}` through the platform (purpose `{purpose}`): it may not require a submission",
                            res.id
                        ),
                    }];
                    reasons.extend(d.reasons);
                    return Ok(Answer {
                        allowed: false,
                        citations,
                        reasons,
                        in_force,
                    });
                }
            }
        }
        Ok(Answer {
            allowed: true,
            citations: vec!["13".to_owned()],
            reasons: vec![Reason {
                article: "13".to_owned(),
                code: "not_available_on_platform".to_owned(),
                zh: format!(
                    "該部門不能通過共享平台直接或依授權獲取「{}」，可依法定職責採集",
                    res.name
                ),
                en: format!(
                    "the department cannot get `{}` through the platform, directly or under a grant: it may collect it within its duties",
                    res.id
                ),
            }],
            in_force,
        })
    }

    /// Art. 22: may `department` publish `resource` on the public data open
    /// platform? Only its provider, only when `open_data`, never with any
    /// sensitivity. Decided by the pack's `publish_open_data` policies.
    pub fn may_publish_open_data(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<Answer, crate::Error> {
        self.may_publish_open_data_with(department, resource, at, DecideOptions::default())
    }

    /// [`Engine::may_publish_open_data`] with options.
    pub fn may_publish_open_data_with(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
        options: DecideOptions,
    ) -> Result<Answer, crate::Error> {
        let in_force = self.check_in_force(at, options)?;
        let dept = self.department(department)?;
        let res = self.resource(resource)?;
        let names = &self.pack.inner.names;
        let entities = self.entities(dept, res, &[])?;
        let context = Context::from_pairs([(
            "at".to_owned(),
            RestrictedExpression::new_long(at.timestamp()),
        )])
        .map_err(eval_err)?;
        let request = Request::new(
            uid(&names.department, &dept.id),
            names.publish_open_data.clone(),
            uid(&names.resource, &res.id),
            context,
            None,
        )
        .map_err(eval_err)?;
        let response =
            Authorizer::new().is_authorized(&request, &self.pack.inner.policies, &entities);
        let outcome = self.outcome(&response)?;
        let (citations, reasons) = citations_and_reasons(&outcome.metas);
        Ok(Answer {
            allowed: outcome.effect == Effect::Permit,
            citations,
            reasons,
            in_force,
        })
    }

    /// The Cedar request and entities the engine evaluates first for `request`
    /// (with its first candidate grant, if any): for debugging a pack, and for
    /// measuring the engine against Cedar's own `is_authorized`.
    pub fn cedar_inputs(
        &self,
        request: &AccessRequest,
    ) -> Result<(Request, Entities), crate::Error> {
        let dept = self.department(&request.department)?;
        let res = self.resource(&request.resource)?;
        let grants: Vec<&Grant> = self.registry.grants_for(&dept.id, &res.id).collect();
        let entities = self.entities(dept, res, &grants)?;
        let req = self.cedar_request(request, dept, res, grants.first().copied())?;
        Ok((req, entities))
    }

    fn cedar_request(
        &self,
        req: &AccessRequest,
        dept: &Department,
        res: &Resource,
        grant: Option<&Grant>,
    ) -> Result<Request, PolicyError> {
        let names = &self.pack.inner.names;
        let fields = match &req.fields {
            Some(f) if !f.is_empty() => f.as_slice(),
            _ => res.fields.as_slice(),
        };
        let mut pairs = Vec::with_capacity(7);
        pairs.push((
            "method".to_owned(),
            RestrictedExpression::new_string(method_str(req.method).to_owned()),
        ));
        pairs.push((
            "purpose".to_owned(),
            RestrictedExpression::new_string(req.purpose.clone()),
        ));
        pairs.push((
            "fields".to_owned(),
            RestrictedExpression::new_set(
                fields
                    .iter()
                    .map(|f| RestrictedExpression::new_string(f.clone())),
            ),
        ));
        pairs.push((
            "network".to_owned(),
            RestrictedExpression::new_string(network_str(req.network).to_owned()),
        ));
        pairs.push((
            "certificate".to_owned(),
            RestrictedExpression::new_string(req.certificate.clone()),
        ));
        pairs.push((
            "at".to_owned(),
            RestrictedExpression::new_long(req.at.timestamp()),
        ));
        if let Some(g) = grant {
            pairs.push((
                "grant".to_owned(),
                RestrictedExpression::new_entity_uid(uid(&names.grant, &g.id)),
            ));
        }
        let context = Context::from_pairs(pairs).map_err(eval_err)?;
        Request::new(
            uid(&names.department, &dept.id),
            names.access.clone(),
            uid(&names.resource, &res.id),
            context,
            None,
        )
        .map_err(eval_err)
    }

    fn check_in_force(
        &self,
        at: DateTime<FixedOffset>,
        options: DecideOptions,
    ) -> Result<bool, PolicyError> {
        let date = at.with_timezone(&china()).date_naive();
        if self.pack.in_force_on(date) {
            return Ok(true);
        }
        if options.evaluate_out_of_force {
            return Ok(false);
        }
        let m = self.pack.manifest();
        Err(PolicyError::NotInForce {
            at: at.to_rfc3339(),
            pack: m.name.clone(),
            from: m.valid_from.to_string(),
            until: m.valid_until.to_string(),
        })
    }

    fn department(&self, id: &str) -> Result<&Department, PolicyError> {
        self.registry
            .department(id)
            .ok_or_else(|| PolicyError::UnknownDepartment { id: id.to_owned() })
    }

    fn resource(&self, id: &str) -> Result<&Resource, PolicyError> {
        self.registry
            .resource(id)
            .ok_or_else(|| PolicyError::UnknownResource { id: id.to_owned() })
    }

    /// The entities one decision needs: the principal, the resource, its
    /// provider (when another department) and the candidate grants.
    fn entities(
        &self,
        dept: &Department,
        res: &Resource,
        grants: &[&Grant],
    ) -> Result<Entities, PolicyError> {
        let names = &self.pack.inner.names;
        let mut list: Vec<Entity> = Vec::with_capacity(3 + grants.len());
        list.push(entities::department(names, dept)?);
        list.push(entities::resource(names, res)?);
        if res.provider != dept.id {
            let provider = self.department(&res.provider)?;
            list.push(entities::department(names, provider)?);
        }
        for g in grants {
            list.push(entities::grant(names, g)?);
        }
        Entities::from_entities(list, None).map_err(eval_err)
    }

    fn decide_known(
        &self,
        req: &AccessRequest,
        dept: &Department,
        res: &Resource,
        in_force: bool,
    ) -> Result<Decision, PolicyError> {
        let grants: Vec<&Grant> = self.registry.grants_for(&dept.id, &res.id).collect();
        let entities = self.entities(dept, res, &grants)?;
        let authorizer = Authorizer::new();
        let evaluate = |grant: Option<&Grant>| -> Result<Outcome, PolicyError> {
            let request = self.cedar_request(req, dept, res, grant)?;
            let response = authorizer.is_authorized(&request, &self.pack.inner.policies, &entities);
            self.outcome(&response)
        };

        let mut best: Option<(Outcome, Option<&Grant>)> = None;
        if grants.is_empty() {
            best = Some((evaluate(None)?, None));
        } else {
            for &g in &grants {
                let outcome = evaluate(Some(g))?;
                if outcome.effect == Effect::Permit {
                    best = Some((outcome, Some(g)));
                    break;
                }
                // Of several failing grants, report the closest one.
                if best
                    .as_ref()
                    .is_none_or(|(b, _)| outcome.metas.len() < b.metas.len())
                {
                    best = Some((outcome, Some(g)));
                }
            }
        }
        let Some((outcome, grant)) = best else {
            return Err(PolicyError::Evaluation {
                policy: None,
                message: "no evaluation was made".to_owned(),
            });
        };
        let (citations, reasons) = citations_and_reasons(&outcome.metas);
        Ok(Decision {
            decision: outcome.effect,
            route: outcome.route,
            citations,
            grant: match (outcome.effect, outcome.route) {
                (Effect::Permit, Route::Granted) => grant.map(|g| g.id.clone()),
                _ => None,
            },
            in_force,
            reasons,
        })
    }

    /// Reads a Cedar response through the annotations of the policies that
    /// determined it. An evaluation error is an error, never a guess; a deny
    /// that no policy explains (a gap in the pack) gets a fallback reason.
    fn outcome(&self, response: &Response) -> Result<Outcome, PolicyError> {
        if let Some(err) = response.diagnostics().errors().next() {
            return Err(PolicyError::Evaluation {
                policy: None,
                message: err.to_string(),
            });
        }
        let meta = &self.pack.inner.meta;
        let mut metas: Vec<(String, PolicyMeta)> = response
            .diagnostics()
            .reason()
            .filter_map(|id| meta.get(id).map(|m| (id.to_string(), m.clone())))
            .collect();
        metas.sort_by_key(|(_, m)| m.order);
        let effect = match response.decision() {
            CedarDecision::Allow => Effect::Permit,
            CedarDecision::Deny => Effect::Deny,
        };
        let has = |r: Route| metas.iter().any(|(_, m)| m.route == Some(r));
        let route = match effect {
            Effect::Permit if has(Route::Direct) => Route::Direct,
            Effect::Permit if has(Route::Granted) => Route::Granted,
            Effect::Permit => Route::Direct,
            Effect::Deny if has(Route::None) => Route::None,
            Effect::Deny if has(Route::Coordinate) => Route::Coordinate,
            Effect::Deny if has(Route::Apply) => Route::Apply,
            Effect::Deny => Route::None,
        };
        // A permit cites the policies of its route only.
        if effect == Effect::Permit {
            metas.retain(|(_, m)| m.route.is_none() || m.route == Some(route));
        }
        if metas.is_empty() {
            metas.push((
                "fallback".to_owned(),
                PolicyMeta {
                    order: usize::MAX,
                    articles: vec![FALLBACK_ARTICLE.to_owned()],
                    code: "no_applicable_policy".to_owned(),
                    route: Some(Route::None),
                    zh: "沒有任何共享規則允許此請求".to_owned(),
                    en: "no sharing rule allows this request".to_owned(),
                },
            ));
        }
        Ok(Outcome {
            effect,
            route,
            metas,
        })
    }
}

fn eval_err(e: impl std::fmt::Display) -> PolicyError {
    PolicyError::Evaluation {
        policy: None,
        message: e.to_string(),
    }
}

fn push_unique(into: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for a in items {
        if !into.contains(&a) {
            into.push(a);
        }
    }
}

fn citations_and_reasons(metas: &[(String, PolicyMeta)]) -> (Vec<String>, Vec<Reason>) {
    let mut citations = Vec::new();
    let mut reasons = Vec::with_capacity(metas.len());
    for (_, m) in metas {
        push_unique(&mut citations, m.articles.iter().cloned());
        reasons.push(Reason {
            article: m
                .articles
                .first()
                .cloned()
                .unwrap_or_else(|| FALLBACK_ARTICLE.to_owned()),
            code: m.code.clone(),
            zh: m.zh.clone(),
            en: m.en.clone(),
        });
    }
    (citations, reasons)
}
