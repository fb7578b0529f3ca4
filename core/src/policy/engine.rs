//! The decision engine (SPEC §2): a pack plus a registry snapshot.

use std::sync::{Arc, OnceLock};

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, Entity, Request, Response,
    RestrictedExpression,
};
use chrono::{DateTime, FixedOffset, Offset as _};
use serde::{Deserialize, Serialize};

use rayon::prelude::*;

use super::PolicyError;
use super::cache::{self, CacheSettings, CachedDecision, Clock};
use super::entities::{self, method_str, network_str, uid};
use super::pack::{PolicyMeta, PolicyPack, Submission};
use super::specialise::{self, ContextReads, PairSpec};
use super::wire::{
    AccessRequest, Decision, Effect, Question, QuestionAnswer, Reason, Remedy, RemedyAction, Route,
    ServeAnswer,
};
use crate::registry::{
    Department, Finding, FindingSeverity, Grant, Registry, Resource, resource_findings,
};

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

/// A decision as [`Engine::decide_entry`] finds it.
enum Decided {
    /// The decision cache's entry, found or made now.
    Cached(Arc<CachedDecision>),
    /// A decision the cache does not keep.
    Fresh(Decision),
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
    /// The pack that answered.
    #[serde(default)]
    pub pack: String,
}

/// The decision engine: a pack plus a registry snapshot. Immutable, cheap to
/// clone, `Send + Sync`; clones share its caches ([`CacheSettings`]).
#[derive(Debug, Clone)]
pub struct Engine {
    pack: PolicyPack,
    registry: Arc<Registry>,
    cache: Arc<EntityCache>,
    speed: Arc<Speed>,
    /// A timeline of packs (SPEC v2 §7): one single-pack engine per pack,
    /// earliest first, over the same registry; empty for a single-pack engine.
    timeline: Arc<[Engine]>,
}

/// The caches of issue 14, for one registry snapshot: a new snapshot starts
/// with empty ones.
#[derive(Debug)]
struct Speed {
    settings: CacheSettings,
    /// Specialised pairs, by [`cache::pair_hash`].
    pairs: Option<Clock<Arc<Pair>>>,
    /// Decisions, by [`cache::request_hash`].
    decisions: Option<Clock<Arc<CachedDecision>>>,
}

impl Speed {
    fn new(settings: CacheSettings) -> Arc<Self> {
        Arc::new(Self {
            settings,
            pairs: Clock::new(settings.pairs),
            decisions: Clock::new(settings.decisions),
        })
    }
}

/// A specialised pair ([`specialise`]), tagged with its indices.
#[derive(Debug)]
struct Pair {
    department: usize,
    resource: usize,
    spec: PairSpec<ResourceInfo>,
}

/// Department and resource entities, built on first use for this registry
/// snapshot (grants are built per request: only the candidates are needed).
#[derive(Debug)]
struct EntityCache {
    departments: Box<[OnceLock<Entity>]>,
    resources: Box<[OnceLock<ResourceInfo>]>,
}

/// A resource's entity with the catalog findings that bear on decisions: its
/// error findings (which quarantine it, SPEC v2 §2) and the warnings the pack
/// reports in decisions (`decision_notes`).
#[derive(Debug, Clone)]
struct ResourceInfo {
    entity: Entity,
    defects: Arc<[Finding]>,
    notes: Arc<[Finding]>,
}

impl EntityCache {
    fn for_registry(registry: &Registry) -> Self {
        Self {
            departments: registry
                .departments()
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            resources: registry
                .resources()
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
        }
    }
}

/// The cached value in `slot`, building it first if needed.
fn cached<T: Clone>(
    slot: Option<&OnceLock<T>>,
    build: impl FnOnce() -> Result<T, PolicyError>,
) -> Result<T, PolicyError> {
    let Some(slot) = slot else { return build() };
    if let Some(e) = slot.get() {
        return Ok(e.clone());
    }
    let e = build()?;
    // Another thread may have won the race; both built the same entity.
    let _ = slot.set(e.clone());
    Ok(e)
}

/// What one Cedar evaluation said, read through the policies' annotations.
struct Outcome<'p> {
    effect: Effect,
    route: Route,
    metas: Vec<&'p PolicyMeta>,
}

/// What a failing check means for Art. 13, by its `@submission` or its route.
fn submission_of(m: &PolicyMeta) -> Submission {
    m.submission.unwrap_or(match m.route {
        Some(Route::Apply) => Submission::Obtainable,
        Some(Route::Direct | Route::Granted) => Submission::Obtainable,
        _ => Submission::Unobtainable,
    })
}

/// The deny reasons the engine gives itself, besides the pack's forbid policies
/// (SPEC §2, §7): a pack's `usage_checks` must name each (SPEC v2 §5).
pub(crate) const ENGINE_DENY_CODES: [&str; 3] = [
    "no_applicable_policy",
    "grants_not_combined",
    METHOD_NOT_IN_PACK,
];

/// The reason code of a method the pack in force neither declares nor maps
/// (SPEC v2 §7).
const METHOD_NOT_IN_PACK: &str = "method_not_in_pack";

/// The reason code of a requester whose sharing rights are suspended (a pack
/// with `answers.suspended`).
pub(crate) const SHARING_SUSPENDED: &str = "sharing_suspended";

fn china() -> FixedOffset {
    // UTC+08:00 is always in range.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

impl Engine {
    /// An engine over `pack` and `registry`. It never fails: the `Result` is
    /// kept so that code written against it still compiles; new code can use the
    /// infallible [`Engine::from_pack`].
    pub fn new(pack: PolicyPack, registry: Registry) -> Result<Self, crate::Error> {
        Ok(Self::from_pack(pack, registry))
    }

    /// An engine over `pack` and `registry` (nothing to check: both were checked
    /// when they were loaded).
    pub fn from_pack(pack: PolicyPack, registry: Registry) -> Self {
        Self::single(pack, Arc::new(registry), CacheSettings::DEFAULT)
    }

    fn single(pack: PolicyPack, registry: Arc<Registry>, settings: CacheSettings) -> Self {
        Self {
            pack,
            cache: Arc::new(EntityCache::for_registry(&registry)),
            registry,
            speed: Speed::new(settings),
            timeline: Arc::new([]),
        }
    }

    /// An engine over a timeline of packs (SPEC v2 §7): each request, question
    /// and deadline is judged under the pack in force at its moment. The packs'
    /// validity periods may not overlap (a `policy.invalid_manifest` error names
    /// both packs); a moment no pack covers is `policy.not_in_force`.
    pub fn with_packs(packs: Vec<PolicyPack>, registry: Registry) -> Result<Self, crate::Error> {
        Ok(Self::timeline_of(
            packs,
            Arc::new(registry),
            CacheSettings::DEFAULT,
        )?)
    }

    /// The built-in timeline, `binzhou` then `national-2025` (SPEC v2 §7).
    pub fn builtin_timeline(registry: Registry) -> Result<Self, crate::Error> {
        Self::with_packs(PolicyPack::builtins(), registry)
    }

    /// The engine the command line and the bindings build for a choice of
    /// packs: `None`, the built-in timeline; otherwise each name a built-in pack
    /// (`binzhou`, `national-2025`) or a pack folder, together a timeline.
    pub fn with_pack_names(
        names: Option<&[String]>,
        registry: Registry,
    ) -> Result<Self, crate::Error> {
        let packs = match names {
            None => PolicyPack::builtins(),
            Some(names) => names
                .iter()
                .map(|n| PolicyPack::named_or_load(n))
                .collect::<Result<Vec<_>, _>>()?,
        };
        Self::with_packs(packs, registry)
    }

    fn timeline_of(
        mut packs: Vec<PolicyPack>,
        registry: Arc<Registry>,
        settings: CacheSettings,
    ) -> Result<Self, PolicyError> {
        packs.sort_by_key(|p| p.manifest().valid_from);
        for pair in packs.windows(2) {
            if let [a, b] = pair
                && b.manifest().valid_from <= a.manifest().valid_until
            {
                return Err(PolicyError::Manifest {
                    message: format!(
                        "`valid_from` {} of pack `{}` falls within pack `{}` ({} to {}): the packs of one engine may not overlap",
                        b.manifest().valid_from,
                        b.name(),
                        a.name(),
                        a.manifest().valid_from,
                        a.manifest().valid_until
                    ),
                });
            }
        }
        let mut engines: Vec<Engine> = packs
            .into_iter()
            .map(|p| Self::single(p, Arc::clone(&registry), settings))
            .collect();
        let Some(first) = engines.first().cloned() else {
            return Err(PolicyError::MissingFile {
                file: "a pack (the timeline is empty)".to_owned(),
            });
        };
        if engines.len() == 1 {
            return Ok(first);
        }
        engines.shrink_to_fit();
        Ok(Self {
            timeline: engines.into(),
            ..first
        })
    }

    /// A single-pack engine over `pack` with this engine's registry and cache
    /// settings (the ledger moving along a timeline).
    pub(crate) fn with_pack(&self, pack: PolicyPack) -> Self {
        Self::single(pack, Arc::clone(&self.registry), self.speed.settings)
    }

    /// The same pack over a new registry snapshot (policies are not re-parsed
    /// or re-validated), with the same cache settings and empty caches: nothing
    /// cached for the old snapshot is used.
    pub fn with_registry(&self, registry: Registry) -> Self {
        self.rebuilt(Arc::new(registry), self.speed.settings)
    }

    fn rebuilt(&self, registry: Arc<Registry>, settings: CacheSettings) -> Self {
        if self.timeline.is_empty() {
            return Self::single(self.pack.clone(), registry, settings);
        }
        let engines: Vec<Engine> = self
            .timeline
            .iter()
            .map(|e| Self::single(e.pack.clone(), Arc::clone(&registry), settings))
            .collect();
        match engines.first().cloned() {
            Some(first) => Self {
                timeline: engines.into(),
                ..first
            },
            None => Self::single(self.pack.clone(), registry, settings),
        }
    }

    /// The same engine with other cache sizes, and empty caches
    /// ([`CacheSettings::OFF`]: plain Cedar evaluation of the whole pack).
    pub fn with_cache_settings(&self, settings: CacheSettings) -> Self {
        self.rebuilt(Arc::clone(&self.registry), settings)
    }

    /// The cache sizes in use.
    pub fn cache_settings(&self) -> CacheSettings {
        self.speed.settings
    }

    /// How many pairs are specialised and how many decisions cached now (over
    /// every pack of a timeline).
    pub fn cache_len(&self) -> (usize, usize) {
        if !self.timeline.is_empty() {
            return self.timeline.iter().fold((0, 0), |(p, d), e| {
                let (ep, ed) = e.cache_len();
                (p + ep, d + ed)
            });
        }
        (
            self.speed.pairs.as_ref().map_or(0, Clock::len),
            self.speed.decisions.as_ref().map_or(0, Clock::len),
        )
    }

    /// The registry snapshot.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The pack; of a timeline, the earliest (see [`Engine::packs`] and
    /// [`Engine::pack_at`]).
    pub fn pack(&self) -> &PolicyPack {
        &self.pack
    }

    /// Catalog validation of the registry (SPEC v2 §6) under the engine's pack
    /// (of a timeline, the earliest): the findings that pack's `findings.toml`
    /// reports, in document order.
    pub fn validate(&self) -> Vec<Finding> {
        self.pack.validate(&self.registry)
    }

    /// Every pack of the engine, earliest first.
    pub fn packs(&self) -> Vec<&PolicyPack> {
        if self.timeline.is_empty() {
            vec![&self.pack]
        } else {
            self.timeline.iter().map(|e| &e.pack).collect()
        }
    }

    /// The pack in force at `at` (China date), if any.
    pub fn pack_at(&self, at: DateTime<FixedOffset>) -> Option<&PolicyPack> {
        let date = at.with_timezone(&china()).date_naive();
        self.packs().into_iter().find(|p| p.in_force_on(date))
    }

    /// A single-pack engine over the earliest pack (the engine itself when it
    /// has one pack): what the workflow and the audit run on until they judge
    /// each event under the pack of its moment.
    pub(crate) fn earliest(&self) -> Engine {
        self.timeline
            .first()
            .cloned()
            .unwrap_or_else(|| self.clone())
    }

    /// The single-pack engine that answers for `at`: the engine itself, or the
    /// timeline's engine whose pack is in force. No pack in force is
    /// `policy.not_in_force` (the engine never chooses one).
    fn engine_at(&self, at: DateTime<FixedOffset>) -> Result<&Engine, PolicyError> {
        if self.timeline.is_empty() {
            return Ok(self);
        }
        let date = at.with_timezone(&china()).date_naive();
        self.timeline
            .iter()
            .find(|e| e.pack.in_force_on(date))
            .ok_or_else(|| PolicyError::NoPackInForce {
                at: at.to_rfc3339(),
                packs: self
                    .timeline
                    .iter()
                    .map(|e| {
                        let m = e.pack.manifest();
                        format!("`{}` {} to {}", m.name, m.valid_from, m.valid_until)
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Decides one request. A moment outside the pack's validity is
    /// [`PolicyError::NotInForce`]; an unknown department or resource is an
    /// error naming it.
    pub fn decide(&self, request: &AccessRequest) -> Result<Decision, PolicyError> {
        self.decide_with(request, DecideOptions::default())
    }

    /// Decides many requests, each on its own (one bad request does not stop
    /// the others), on all cores (rayon), in order.
    pub fn decide_many(&self, requests: &[AccessRequest]) -> Vec<Result<Decision, PolicyError>> {
        self.decide_many_with(requests, DecideOptions::default())
    }

    /// [`Engine::decide_many`] with options.
    pub fn decide_many_with(
        &self,
        requests: &[AccessRequest],
        options: DecideOptions,
    ) -> Vec<Result<Decision, PolicyError>> {
        requests
            .par_iter()
            .map(|r| self.decide_with(r, options))
            .collect()
    }

    /// [`Engine::decide_many_with`], each decision shared with the decision
    /// cache as [`Engine::decide_shared`] gives it.
    pub fn decide_many_shared(
        &self,
        requests: &[AccessRequest],
        options: DecideOptions,
    ) -> Vec<Result<Arc<Decision>, PolicyError>> {
        requests
            .par_iter()
            .map(|r| self.decide_shared(r, options))
            .collect()
    }

    /// Decides one request with options.
    pub fn decide_with(
        &self,
        request: &AccessRequest,
        options: DecideOptions,
    ) -> Result<Decision, PolicyError> {
        Ok(match self.decide_entry(request, options)? {
            Decided::Cached(entry) => Decision::clone(&entry.decision),
            Decided::Fresh(decision) => decision,
        })
    }

    /// [`Engine::decide_with`], the decision shared with the decision cache:
    /// a repeated request copies none of its reasons. While the cache keeps
    /// the decision, every request it answers gets the same `Arc` (by
    /// [`Arc::ptr_eq`]) and the cache holds another (`Arc::strong_count` above
    /// 1); a decision the cache does not keep is the caller's alone. The
    /// bindings build their objects from it (issue 14: per-call overhead).
    pub fn decide_shared(
        &self,
        request: &AccessRequest,
        options: DecideOptions,
    ) -> Result<Arc<Decision>, PolicyError> {
        Ok(match self.decide_entry(request, options)? {
            Decided::Cached(entry) => Arc::clone(&entry.decision),
            Decided::Fresh(decision) => Arc::new(decision),
        })
    }

    /// The decision of `request`: the decision cache's entry (found, or made
    /// now), or a decision the cache does not keep (the cache off, or a moment
    /// Cedar cannot represent, which `decide_known` refuses).
    fn decide_entry(
        &self,
        request: &AccessRequest,
        options: DecideOptions,
    ) -> Result<Decided, PolicyError> {
        if !self.timeline.is_empty() {
            return self.engine_at(request.at)?.decide_entry(request, options);
        }
        let in_force = self.check_in_force(request.at, options)?;
        let department = self.department(&request.department)?;
        let resource = self.resource(&request.resource)?;
        let fresh = || {
            self.decide_known(request, department, resource, in_force)
                .map(Decided::Fresh)
        };
        let Some(decisions) = &self.speed.decisions else {
            return fresh();
        };
        let Some(at) = entities::request_nanos(request.at) else {
            return fresh();
        };
        let hash = cache::request_hash(request);
        if let Some(hit) = decisions.get(hash, |c| c.answers(request, at)) {
            return Ok(Decided::Cached(hit));
        }
        let decision = self.decide_known(request, department, resource, in_force)?;
        let (lo, hi) = self.validity(department, resource, request.at, at);
        let entry = Arc::new(CachedDecision::new(request, lo, hi, decision));
        decisions.insert(hash, Arc::clone(&entry), |c| c.answers(request, at));
        Ok(Decided::Cached(entry))
    }

    /// The moments `[lo, hi)` around `at` (`at_nanos`) over which a decision
    /// of `dept` on `res` cannot change: bounded by the pack's validity (China
    /// days), the department's certificates (valid from `not_before` to
    /// `not_after` inclusive), the pair's grants (in force from `from` until
    /// `until`, exclusive) and, when no grant is in force, the moment at which
    /// the grant nearest in time (the one a deny is explained by) changes.
    fn validity(
        &self,
        dept: &Department,
        res: &Resource,
        at: DateTime<FixedOffset>,
        at_nanos: i64,
    ) -> (i64, i64) {
        let m = self.pack.manifest();
        let mut thresholds = vec![
            cache::day_start(m.valid_from, china()),
            m.valid_until
                .succ_opt()
                .map_or(i64::MAX, |d| cache::day_start(d, china())),
        ];
        if let Some(day) = res.catalogued {
            thresholds.push(entities::catalogued_nanos(day));
        }
        for c in &dept.certificates {
            thresholds.push(entities::nanos(c.not_before));
            thresholds.push(entities::nanos(c.not_after).saturating_add(1));
        }
        let mut any_active = false;
        // The grant that ended last and the one that starts first (the nearest
        // in time to `at` is one of them, SPEC v2 §2).
        let mut ended: Option<i64> = None;
        let mut upcoming: Option<i64> = None;
        for g in self.registry.grants_for(&dept.id, &res.id) {
            let from = entities::nanos(g.from);
            thresholds.push(from);
            if let Some(u) = g.until {
                thresholds.push(entities::nanos(u));
            }
            if g.active_at(at) {
                any_active = true;
            } else if g.from > at {
                upcoming = Some(upcoming.map_or(from, |f| f.min(from)));
            } else if let Some(u) = g.until {
                let u = entities::nanos(u);
                ended = Some(ended.map_or(u, |e| e.max(u)));
            }
        }
        if !any_active && let (Some(u), Some(f)) = (ended, upcoming) {
            // `at - u` against `f - at`: equal at (u + f) / 2.
            let mid = u.midpoint(f);
            thresholds.extend([mid, mid.saturating_add(1)]);
        }
        cache::interval(at_nanos, thresholds)
    }

    /// Answers a question line (SPEC v2 §8): Art. 13, Art. 22 or Art. 20.
    pub fn answer(&self, question: &Question) -> Result<QuestionAnswer, crate::Error> {
        self.answer_with(question, DecideOptions::default())
    }

    /// [`Engine::answer`] with options.
    pub fn answer_with(
        &self,
        question: &Question,
        options: DecideOptions,
    ) -> Result<QuestionAnswer, crate::Error> {
        if !self.timeline.is_empty() {
            return self
                .engine_at(question.at())?
                .answer_with(question, options);
        }
        Ok(match question {
            Question::MayRequireSubmission {
                department,
                resource,
                at,
                purpose,
                fields,
            } => QuestionAnswer::Allowed(self.submission(
                department,
                resource,
                *at,
                purpose.as_deref(),
                fields.as_deref(),
                options,
            )?),
            Question::MayPublishOpenData {
                department,
                resource,
                at,
            } => QuestionAnswer::Allowed(
                self.may_publish_open_data_with(department, resource, *at, options)?,
            ),
            Question::MustServe {
                department,
                resource,
                subject,
                proof_valid,
                at,
            } => QuestionAnswer::MustServe(self.must_serve(
                department,
                resource,
                subject.as_deref(),
                *proof_valid,
                *at,
                options,
            )?),
        })
    }

    /// Art. 13: may `department` require a person or company to submit
    /// `resource`? Not when the item is *obtainable* through the platform
    /// (SPEC v2 §2) for one of its duties: directly, under a grant it holds, or
    /// by applying. The department's own failings (certificate, network, an Art.
    /// 21 restriction, a quarantine) do not make an item unobtainable.
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
        self.submission(department, resource, at, None, None, options)
    }

    /// Art. 13 for one `purpose` (absent: any of the department's duties) and
    /// `fields` (absent or empty: the whole item).
    pub fn may_require_submission_for(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
        purpose: Option<&str>,
        fields: Option<&[String]>,
    ) -> Result<Answer, crate::Error> {
        self.submission(
            department,
            resource,
            at,
            purpose,
            fields,
            DecideOptions::default(),
        )
    }

    fn submission(
        &self,
        department: &str,
        resource: &str,
        at: DateTime<FixedOffset>,
        purpose: Option<&str>,
        fields: Option<&[String]>,
        options: DecideOptions,
    ) -> Result<Answer, crate::Error> {
        if !self.timeline.is_empty() {
            return self
                .engine_at(at)?
                .submission(department, resource, at, purpose, fields, options);
        }
        let in_force = self.check_in_force(at, options)?;
        let dept = self.department(department)?;
        let res = self.resource(resource)?;
        // Without a purpose, any of its duties; a department without duties is
        // asked about no purpose at all, which is not a duty (fail closed).
        let purposes: Vec<&str> = match purpose {
            Some(p) => vec![p],
            None if dept.duties.is_empty() => vec![""],
            None => dept.duties.iter().map(String::as_str).collect(),
        };
        // Its own failings do not count: present a valid certificate of its own
        // if it has one, on the resource's network.
        let certificate = dept
            .valid_certificate(at)
            .or_else(|| dept.certificates.first())
            .map(|c| c.serial.clone())
            .unwrap_or_default();
        // Of the purposes asked about, the best answer: obtainable now (a
        // permit), else obtainable by applying (or not a duty), else not.
        let mut unobtainable: Option<Decision> = None;
        let mut later: Option<(&str, Decision, Submission)> = None;
        for purpose in purposes {
            let mut first: Option<Decision> = None;
            for &method in &self.pack.manifest().methods.declared {
                let req = AccessRequest {
                    department: dept.id.clone(),
                    resource: res.id.clone(),
                    method,
                    purpose: purpose.to_owned(),
                    fields: fields.map(<[String]>::to_vec),
                    network: res.network,
                    certificate: certificate.clone(),
                    at,
                };
                let d = self.decide_known(&req, dept, res, in_force)?;
                if d.decision == Effect::Permit {
                    first = Some(d);
                    break;
                }
                first.get_or_insert(d);
            }
            let Some(d) = first else { continue };
            let verdict = self.submission_verdict(&d);
            if d.decision == Effect::Permit {
                return Ok(self.submission_answer(res, purpose, &d, verdict, in_force));
            }
            match verdict {
                Submission::Unobtainable => {
                    unobtainable.get_or_insert(d);
                }
                Submission::Obtainable | Submission::OwnFailing | Submission::NotDuty => {
                    if later.is_none() {
                        later = Some((purpose, d, verdict));
                    }
                }
            }
        }
        if let Some((purpose, d, verdict)) = later {
            return Ok(self.submission_answer(res, purpose, &d, verdict, in_force));
        }
        // Not obtainable for any purpose asked about.
        let mut citations = vec![self.submission_article().to_owned()];
        let mut reasons = vec![self.art13_reason(
            "not_available_on_platform",
            format!(
                "該部門不能通過共享平台直接、依授權或經申請獲取「{}」，可依法定職責採集",
                res.name
            ),
            format!(
                "the department cannot get `{}` through the platform, directly, under a grant or by applying: it may collect it within its duties",
                res.id
            ),
        )];
        if let Some(d) = unobtainable {
            for r in d.reasons {
                if self.reason_submission(&r) == Some(Submission::Unobtainable) {
                    push_unique(&mut citations, [r.article.clone()]);
                    if let Some(m) = self.meta_of(&r) {
                        push_unique(&mut citations, m.articles.iter().cloned());
                    }
                    reasons.push(r);
                }
            }
        }
        Ok(Answer {
            allowed: true,
            citations,
            reasons,
            in_force,
            pack: self.pack.name().to_owned(),
        })
    }

    /// The Art. 13 reading of one decision: a permit is obtainable; a deny is
    /// read through its failing checks, ignoring the department's own failings.
    fn submission_verdict(&self, d: &Decision) -> Submission {
        if d.decision == Effect::Permit {
            return Submission::Obtainable;
        }
        let kinds: Vec<Submission> = d
            .reasons
            .iter()
            .filter_map(|r| self.reason_submission(r))
            .collect();
        if kinds.contains(&Submission::NotDuty) {
            Submission::NotDuty
        } else if kinds.contains(&Submission::Unobtainable) {
            Submission::Unobtainable
        } else {
            Submission::Obtainable
        }
    }

    /// The `@submission` reading of a decision's reason (by its code and
    /// route; an added note has none).
    fn reason_submission(&self, r: &Reason) -> Option<Submission> {
        self.meta_of(r).map(submission_of).or_else(|| {
            (r.code == self.pack.inner.fallback.code || r.code == METHOD_NOT_IN_PACK)
                .then_some(Submission::Unobtainable)
        })
    }

    /// The policy annotations behind a decision's reason (by code and route).
    fn meta_of(&self, r: &Reason) -> Option<&PolicyMeta> {
        self.pack
            .inner
            .meta
            .values()
            .find(|m| m.code == r.code && m.route == r.route)
    }

    fn submission_answer(
        &self,
        res: &Resource,
        purpose: &str,
        d: &Decision,
        verdict: Submission,
        in_force: bool,
    ) -> Answer {
        let mut citations = vec![self.submission_article().to_owned()];
        let (code, zh, en) = if verdict == Submission::NotDuty {
            (
                "purpose_not_duty",
                format!(
                    "用途「{purpose}」不屬於該部門的法定職責，不得為此要求提交「{}」",
                    res.name
                ),
                format!(
                    "purpose `{purpose}` is not one of the department's duties: it may not require `{}` for it",
                    res.id
                ),
            )
        } else {
            (
                "available_on_platform",
                format!(
                    "該部門可通過共享平台獲取「{}」（用途「{purpose}」），不得要求重複提交",
                    res.name
                ),
                format!(
                    "the department can get `{}` through the platform (purpose `{purpose}`): it may not require a submission",
                    res.id
                ),
            )
        };
        let mut reasons = vec![self.art13_reason(code, zh, en)];
        for r in &d.reasons {
            let kind = self.reason_submission(r);
            let keep = match verdict {
                Submission::NotDuty => kind == Some(Submission::NotDuty),
                // The route's articles; of the department's own failings only
                // those the provider must mend (a quarantine) are reported.
                _ => match kind {
                    Some(Submission::OwnFailing) => {
                        r.remedy.as_ref().is_some_and(|m| m.by == "provider")
                    }
                    _ => true,
                },
            };
            if keep {
                push_unique(&mut citations, [r.article.clone()]);
                if let Some(m) = self.meta_of(r) {
                    push_unique(&mut citations, m.articles.iter().cloned());
                }
                reasons.push(r.clone());
            }
        }
        if d.decision == Effect::Permit {
            push_unique(&mut citations, d.citations.iter().cloned());
        }
        Answer {
            allowed: false,
            citations,
            reasons,
            in_force,
            pack: self.pack.name().to_owned(),
        }
    }

    /// The article of the Art. 13 question in this pack (Binzhou 13; national 19¶1).
    fn submission_article(&self) -> &str {
        &self.pack.manifest().answers.submission
    }

    fn art13_reason(&self, code: &str, zh: String, en: String) -> Reason {
        Reason {
            article: self.submission_article().to_owned(),
            code: code.to_owned(),
            route: None,
            remedy: None,
            zh,
            en,
        }
    }

    /// Art. 20 without an event log: no verification of the resource's data is
    /// known to the engine, so the person is served on the shared data as usual.
    /// A [`crate::workflow::Ledger`] answers with the verifications it knows.
    fn must_serve(
        &self,
        department: &str,
        resource: &str,
        subject: Option<&str>,
        proof_valid: bool,
        at: DateTime<FixedOffset>,
        options: DecideOptions,
    ) -> Result<ServeAnswer, crate::Error> {
        let Some(article) = self.pack.manifest().answers.must_serve.clone() else {
            return Err(PolicyError::NotInPack {
                pack: self.pack.name().to_owned(),
                question: "must_serve",
            }
            .into());
        };
        let in_force = self.check_in_force(at, options)?;
        self.department(department)?;
        let res = self.resource(resource)?;
        let record = subject.map_or_else(String::new, |s| format!("（記錄「{s}」）"));
        let record_en = subject.map_or_else(String::new, |s| format!(" (record `{s}`)"));
        let proof = if proof_valid { "已" } else { "未" };
        Ok(ServeAnswer {
            must_serve: true,
            citations: vec![article.clone()],
            reasons: vec![Reason {
                article,
                code: "not_under_verification".to_owned(),
                route: None,
                remedy: None,
                zh: format!(
                    "未知「{}」{record}處於核實比對期間（無事件記錄），辦事人{proof}提供證明材料，按共享信息照常辦理",
                    res.name
                ),
                en: format!(
                    "no verification of `{}`{record_en} is known (no event log): serve the person on the shared data as usual",
                    res.id
                ),
            }],
            in_force,
            pack: self.pack.name().to_owned(),
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
        if !self.timeline.is_empty() {
            return self
                .engine_at(at)?
                .may_publish_open_data_with(department, resource, at, options);
        }
        if !self.pack.inner.publishes_open_data {
            return Err(PolicyError::NotInPack {
                pack: self.pack.name().to_owned(),
                question: "may_publish_open_data",
            }
            .into());
        }
        let in_force = self.check_in_force(at, options)?;
        let at_nanos = at_nanos(at)?;
        let dept = self.department(department)?;
        let res = self.resource(resource)?;
        let names = &self.pack.inner.names;
        let (entities, _) = self.entities(dept, res, &[], None)?;
        let context =
            Context::from_pairs([("at".to_owned(), RestrictedExpression::new_long(at_nanos))])
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
        let (citations, reasons) = citations_and_reasons(&outcome.metas, None);
        Ok(Answer {
            allowed: outcome.effect == Effect::Permit,
            citations,
            reasons,
            in_force,
            pack: self.pack.name().to_owned(),
        })
    }

    /// The Cedar request and entities the engine evaluates first for `request`
    /// (with its first candidate grant, if any): for debugging a pack, and for
    /// measuring the engine against Cedar's own `is_authorized`.
    pub fn cedar_inputs(
        &self,
        request: &AccessRequest,
    ) -> Result<(Request, Entities), crate::Error> {
        if !self.timeline.is_empty() {
            return self.engine_at(request.at)?.cedar_inputs(request);
        }
        let dept = self.department(&request.department)?;
        let res = self.resource(&request.resource)?;
        let grants = self.candidates(dept, res, request.at);
        let (entities, _) = self.entities(dept, res, &grants, Some(&request.certificate))?;
        let req = self.cedar_request(
            request,
            dept,
            res,
            grants.first().copied(),
            &ContextReads::All,
        )?;
        Ok((req, entities))
    }

    /// The Cedar request of `req` with `grant` as the grant tried; its context
    /// carries the attributes `reads` names (a pair's residual policies read
    /// fewer than the pack).
    fn cedar_request(
        &self,
        req: &AccessRequest,
        dept: &Department,
        res: &Resource,
        grant: Option<&Grant>,
        reads: &ContextReads,
    ) -> Result<Request, PolicyError> {
        let names = &self.pack.inner.names;
        let fields = effective_fields(named_fields(req), res);
        let serial = presented_serial(&req.certificate);
        // A moment Cedar cannot hold is an input error, read or not.
        let at = at_nanos(req.at)?;
        let mut pairs = Vec::with_capacity(9);
        let mut push =
            |key: &str, value: &dyn Fn() -> Result<RestrictedExpression, PolicyError>| {
                if reads.wants(key) {
                    pairs.push((key.to_owned(), value()?));
                }
                Ok::<(), PolicyError>(())
            };
        // The method as the pack reads it (SPEC v2 §7); one it neither declares
        // nor maps is answered before Cedar (`method_not_in_pack`).
        push(CONTEXT_METHOD, &|| {
            let method = self
                .pack
                .manifest()
                .methods
                .resolve(req.method)
                .unwrap_or(req.method);
            Ok(RestrictedExpression::new_string(
                method_str(method).to_owned(),
            ))
        })?;
        push(CONTEXT_PURPOSE, &|| {
            Ok(RestrictedExpression::new_string(req.purpose.clone()))
        })?;
        push(CONTEXT_FIELDS, &|| Ok(string_set(fields.iter())))?;
        push(CONTEXT_CLOSED_FIELDS, &|| {
            Ok(string_set(closed_fields(fields, res)))
        })?;
        push(CONTEXT_NETWORK, &|| {
            Ok(RestrictedExpression::new_string(
                network_str(req.network).to_owned(),
            ))
        })?;
        push(CONTEXT_CERTIFICATE_SERIAL, &|| {
            Ok(RestrictedExpression::new_string(serial.to_owned()))
        })?;
        push(CONTEXT_CERTIFICATE, &|| {
            Ok(RestrictedExpression::new_entity_uid(
                entities::certificate_uid(names, &dept.id, serial),
            ))
        })?;
        push(CONTEXT_AT, &|| Ok(RestrictedExpression::new_long(at)))?;
        if let Some(g) = grant {
            push(CONTEXT_GRANT, &|| {
                Ok(RestrictedExpression::new_entity_uid(uid(
                    &names.grant,
                    &g.id,
                )))
            })?;
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

    /// The grants a decision tries for `dept` on `res` at `at`: those in force,
    /// in registry order, then (to explain a deny) the one that ended last
    /// before `at` or starts first after it. A grant never in force at `at`
    /// cannot permit, so the others are not evaluated.
    fn candidates<'r>(
        &'r self,
        dept: &Department,
        res: &Resource,
        at: DateTime<FixedOffset>,
    ) -> Vec<&'r Grant> {
        let mut active = Vec::new();
        let mut nearest: Option<&Grant> = None;
        for g in self.registry.grants_for(&dept.id, &res.id) {
            if g.active_at(at) {
                active.push(g);
            } else if nearest.is_none_or(|n| closer(g, n, at)) {
                nearest = Some(g);
            }
        }
        if active.is_empty() {
            active.extend(nearest);
        }
        active
    }

    /// The resource's entity and the findings that bear on decisions, built
    /// once per registry snapshot.
    fn resource_info(&self, res: &Resource) -> Result<ResourceInfo, PolicyError> {
        let slot = self
            .registry
            .resource_index(&res.id)
            .and_then(|i| self.cache.resources.get(i));
        cached(slot, || {
            let findings = resource_findings(res, &self.pack.inner.findings);
            let notes_wanted = &self.pack.manifest().decision_notes;
            let defects: Arc<[Finding]> = findings
                .iter()
                .filter(|f| f.severity == FindingSeverity::Error)
                .cloned()
                .collect();
            let notes: Arc<[Finding]> = findings
                .iter()
                .filter(|f| {
                    f.severity == FindingSeverity::Warning && notes_wanted.contains(&f.code)
                })
                .cloned()
                .collect();
            let entity = entities::resource(&self.pack.inner.names, res, !defects.is_empty())?;
            Ok(ResourceInfo {
                entity,
                defects,
                notes,
            })
        })
    }

    /// The pair specialised ([`specialise`]), from the cache or built now;
    /// `None` when specialisation is off.
    fn pair(&self, dept: &Department, res: &Resource) -> Result<Option<Arc<Pair>>, PolicyError> {
        let Some(pairs) = &self.speed.pairs else {
            return Ok(None);
        };
        let (Some(d), Some(r)) = (
            self.registry.department_index(&dept.id),
            self.registry.resource_index(&res.id),
        ) else {
            return Ok(None);
        };
        let hash = cache::pair_hash(d, r);
        let same = |p: &Arc<Pair>| p.department == d && p.resource == r;
        if let Some(p) = pairs.get(hash, same) {
            return Ok(Some(p));
        }
        let pair = Arc::new(Pair {
            department: d,
            resource: r,
            spec: self.specialise(dept, res)?,
        });
        pairs.insert(hash, Arc::clone(&pair), same);
        Ok(Some(pair))
    }

    /// Builds a pair's specialisation: its entities (the department, the
    /// resource, its provider, every certificate of the department and every
    /// grant of the pair) and the pack's access policies partially evaluated on
    /// them.
    fn specialise(
        &self,
        dept: &Department,
        res: &Resource,
    ) -> Result<PairSpec<ResourceInfo>, PolicyError> {
        let names = &self.pack.inner.names;
        let mut list: Vec<Entity> = Vec::new();
        list.push(self.department_entity(dept)?);
        let info = self.resource_info(res)?;
        list.push(info.entity.clone());
        if res.provider != dept.id {
            let provider = self.department(&res.provider)?;
            list.push(self.department_entity(provider)?);
        }
        let mut serials = std::collections::HashSet::new();
        for c in &dept.certificates {
            if serials.insert(c.serial.as_str())
                && let Some(c) = dept.certificate(&c.serial)
            {
                list.push(entities::certificate(names, &dept.id, c)?);
            }
        }
        let mut ids = std::collections::HashSet::new();
        for g in self.registry.grants_for(&dept.id, &res.id) {
            if ids.insert(g.id.as_str()) {
                list.push(entities::grant(names, g, &self.pack.manifest().methods)?);
            }
        }
        let entities = specialise::pair_entities(list)?;
        let residual = |context: Option<Context>| {
            specialise::residual_policies(
                &self.pack.inner.policies,
                uid(&names.department, &dept.id),
                names.access.clone(),
                uid(&names.resource, &res.id),
                &entities,
                &CONTEXT_ALWAYS,
                context,
            )
        };
        let general = residual(None)?.ok_or_else(|| PolicyError::Evaluation {
            policy: None,
            message: "specialising the pack: no residual".to_owned(),
        })?;
        // A request that names no fields gets the resource's: known now.
        let known = |grant: bool| -> Result<Option<specialise::Residual>, PolicyError> {
            let fields = effective_fields(None, res);
            let mut pairs = vec![
                (CONTEXT_FIELDS.to_owned(), string_set(fields.iter())),
                (
                    CONTEXT_CLOSED_FIELDS.to_owned(),
                    string_set(closed_fields(fields, res)),
                ),
            ];
            let unknown = CONTEXT_ALWAYS
                .iter()
                .filter(|k| ![CONTEXT_FIELDS, CONTEXT_CLOSED_FIELDS].contains(k))
                .chain(grant.then_some(&CONTEXT_GRANT));
            for k in unknown {
                pairs.push((
                    (*k).to_owned(),
                    RestrictedExpression::new_unknown(specialise::unknown_attribute(k)),
                ));
            }
            residual(Some(Context::from_pairs(pairs).map_err(eval_err)?))
        };
        let resource_fields = match (known(false)?, known(true)?) {
            (Some(without), Some(with)) => Some([without, with]),
            _ => None,
        };
        Ok(PairSpec {
            general,
            resource_fields,
            entities,
            info,
        })
    }

    fn department_entity(&self, d: &Department) -> Result<Entity, PolicyError> {
        let slot = self
            .registry
            .department_index(&d.id)
            .and_then(|i| self.cache.departments.get(i));
        cached(slot, || entities::department(&self.pack.inner.names, d))
    }

    /// The entities one decision needs: the principal, the resource, its
    /// provider (when another department), the presented certificate (when it is
    /// the principal's) and the candidate grants.
    fn entities(
        &self,
        dept: &Department,
        res: &Resource,
        grants: &[&Grant],
        presented: Option<&str>,
    ) -> Result<(Entities, ResourceInfo), PolicyError> {
        let names = &self.pack.inner.names;
        let mut list: Vec<Entity> = Vec::with_capacity(4 + grants.len());
        let dept_entity = |d: &Department| {
            let slot = self
                .registry
                .department_index(&d.id)
                .and_then(|i| self.cache.departments.get(i));
            cached(slot, || entities::department(names, d))
        };
        list.push(dept_entity(dept)?);
        let info = self.resource_info(res)?;
        list.push(info.entity.clone());
        if res.provider != dept.id {
            let provider = self.department(&res.provider)?;
            list.push(dept_entity(provider)?);
        }
        if let Some(c) = presented.and_then(|p| dept.certificate(presented_serial(p))) {
            list.push(entities::certificate(names, &dept.id, c)?);
        }
        for g in grants {
            list.push(entities::grant(names, g, &self.pack.manifest().methods)?);
        }
        let entities = Entities::from_entities(list, None).map_err(eval_err)?;
        Ok((entities, info))
    }

    fn decide_known(
        &self,
        req: &AccessRequest,
        dept: &Department,
        res: &Resource,
        in_force: bool,
    ) -> Result<Decision, PolicyError> {
        if self.pack.manifest().methods.resolve(req.method).is_none() {
            return Ok(self.method_not_in_pack(req, in_force));
        }
        if let Some(d) = self.suspended(dept, res, in_force) {
            return Ok(d);
        }
        let grants = self.candidates(dept, res, req.at);
        let pair = self.pair(dept, res)?;
        let plain;
        let (entities, info) = match &pair {
            Some(p) => (&p.spec.entities, &p.spec.info),
            None => {
                plain = self.entities(dept, res, &grants, Some(&req.certificate))?;
                (&plain.0, &plain.1)
            }
        };
        let resource_fields = named_fields(req).is_none();
        let authorizer = Authorizer::new();
        let evaluate = |grant: Option<&Grant>| -> Result<Outcome, PolicyError> {
            let (policies, reads) = match &pair {
                Some(p) => {
                    let r = p.spec.residual(resource_fields, grant.is_some());
                    (&r.policies, &r.reads)
                }
                None => (&self.pack.inner.policies, &ContextReads::All),
            };
            let request = self.cedar_request(req, dept, res, grant, reads)?;
            let response = authorizer.is_authorized(&request, policies, entities);
            self.outcome(&response)
        };

        let mut best: Option<(Outcome<'_>, Option<&Grant>)> = None;
        // Grants that fail only on their fields: together they might cover the
        // request, but a decision uses one grant (SPEC v2 §2).
        let mut fields_only: Vec<&Grant> = Vec::new();
        if grants.is_empty() {
            best = Some((evaluate(None)?, None));
        } else {
            for &g in &grants {
                let outcome = evaluate(Some(g))?;
                if outcome.effect == Effect::Permit {
                    best = Some((outcome, Some(g)));
                    fields_only.clear();
                    break;
                }
                if !outcome.metas.is_empty()
                    && outcome.metas.iter().all(|m| m.code == GRANT_FIELDS_CODE)
                {
                    fields_only.push(g);
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
        let (mut citations, mut reasons) = citations_and_reasons(&outcome.metas, Some(res));
        let other = res.provider != dept.id;
        if other && outcome.effect == Effect::Deny {
            // A quarantine cites each error finding's article (SPEC v2 §2).
            if reasons.iter().any(|r| r.code == CATALOG_DEFECT_CODE) {
                for f in info.defects.iter() {
                    push_unique(&mut citations, [f.article.clone()]);
                }
                if let Some(r) = reasons.iter_mut().find(|r| r.code == CATALOG_DEFECT_CODE) {
                    let codes: Vec<&str> = info.defects.iter().map(|f| f.code.as_str()).collect();
                    r.zh.push_str(&format!("（{}）", codes.join("、")));
                    r.en.push_str(&format!(" ({})", codes.join(", ")));
                }
            }
            if fields_only.len() > 1
                && let Some(r) = self.combined_grants_reason(req, res, &fields_only, &outcome)
            {
                push_unique(&mut citations, [r.article.clone()]);
                reasons.push(r);
            }
        }
        if other {
            // Warnings the pack reports in decisions (Art. 10).
            for f in info.notes.iter() {
                push_unique(&mut citations, [f.article.clone()]);
                reasons.push(Reason {
                    article: f.article.clone(),
                    code: f.code.clone(),
                    route: Some(outcome.route),
                    remedy: Some(Remedy {
                        by: "provider".to_owned(),
                        action: RemedyAction::CorrectCatalog,
                    }),
                    zh: f.zh.clone(),
                    en: f.en.clone(),
                });
            }
        }
        Ok(Decision {
            decision: outcome.effect,
            route: outcome.route,
            citations,
            grant: match (outcome.effect, outcome.route) {
                (Effect::Permit, Route::Granted) => grant.map(|g| g.id.clone()),
                _ => None,
            },
            in_force,
            pack: self.pack.name().to_owned(),
            reasons,
        })
    }

    /// The deny of a requester whose sharing rights were suspended by the
    /// resource's provider or by a sharing authority of the provider's region
    /// (the pack's `answers.suspended`): route `coordinate`, the requester to
    /// rectify. Its own data and data outside the regulation are not affected.
    fn suspended(&self, dept: &Department, res: &Resource, in_force: bool) -> Option<Decision> {
        let m = self.pack.manifest();
        let article = m.answers.suspended.as_ref()?;
        if res.provider == dept.id || m.is_outside(res) {
            return None;
        }
        let body = dept
            .suspended_by
            .iter()
            .find(|b| self.registry.covers(b, &res.id, m.applications.coordinator))?;
        let name = self
            .registry
            .department(body)
            .map_or(body.as_str(), |d| d.name.as_str());
        Some(Decision {
            decision: Effect::Deny,
            route: Route::Coordinate,
            citations: vec![article.clone()],
            grant: None,
            in_force,
            pack: m.name.clone(),
            reasons: vec![Reason {
                article: article.clone(),
                code: SHARING_SUSPENDED.to_owned(),
                route: Some(Route::Coordinate),
                remedy: Some(Remedy {
                    by: "requester".to_owned(),
                    action: RemedyAction::Rectify,
                }),
                zh: format!(
                    "「{name}」已暫停本部門的政務數據共享權限，須限期整改，由其恢復後方可共享"
                ),
                en: format!(
                    "`{body}` suspended the department's sharing rights: it must rectify, and sharing resumes when `{body}` restores them"
                ),
            }],
        })
    }

    /// The deny of a method the pack in force neither declares nor maps (SPEC
    /// v2 §7): route `none`, citing the article that lists the pack's methods.
    fn method_not_in_pack(&self, req: &AccessRequest, in_force: bool) -> Decision {
        let m = self.pack.manifest();
        let method = method_str(req.method);
        let declared: Vec<&str> = m.methods.declared.iter().map(|&x| method_str(x)).collect();
        Decision {
            decision: Effect::Deny,
            route: Route::None,
            citations: vec![m.methods.article.clone()],
            grant: None,
            in_force,
            pack: m.name.clone(),
            reasons: vec![Reason {
                article: m.methods.article.clone(),
                code: METHOD_NOT_IN_PACK.to_owned(),
                route: Some(Route::None),
                remedy: Some(Remedy {
                    by: "requester".to_owned(),
                    action: RemedyAction::ChangeRequest,
                }),
                zh: format!(
                    "共享方式「{method}」不是本規定所列的共享方式（{}）",
                    declared.join("、")
                ),
                en: format!(
                    "access method `{method}` is not one this regulation lists ({})",
                    declared.join(", ")
                ),
            }],
        }
    }

    /// When grants that each fail only on their fields would together cover
    /// the request: a reason naming them (grants are not combined; make one
    /// request per grant).
    fn combined_grants_reason(
        &self,
        req: &AccessRequest,
        res: &Resource,
        grants: &[&Grant],
        outcome: &Outcome<'_>,
    ) -> Option<Reason> {
        let requested: Vec<&String> = match &req.fields {
            Some(f) if !f.is_empty() => f.iter().collect(),
            _ => res.fields.iter().collect(),
        };
        let covered =
            |f: &String| res.open_fields.contains(f) || grants.iter().any(|g| g.fields.contains(f));
        if !requested.iter().all(|f| covered(f)) {
            return None;
        }
        let meta = outcome.metas.first()?;
        let ids: Vec<&str> = grants.iter().map(|g| g.id.as_str()).collect();
        Some(Reason {
            article: meta.articles.first()?.clone(),
            code: "grants_not_combined".to_owned(),
            route: meta.route,
            remedy: Some(Remedy {
                by: "requester".to_owned(),
                action: RemedyAction::ChangeRequest,
            }),
            zh: format!(
                "所請求的信息項分屬多項授權（{}），一次請求只能依一項授權，請分別請求",
                ids.join("、")
            ),
            en: format!(
                "the requested fields are covered only by several grants together ({}): a request uses one grant, so make one request per grant",
                ids.join(", ")
            ),
        })
    }

    /// Reads a Cedar response through the annotations of the policies that
    /// determined it. An evaluation error is an error, never a guess; a deny
    /// that no policy explains (a gap in the pack) gets a fallback reason.
    fn outcome(&self, response: &Response) -> Result<Outcome<'_>, PolicyError> {
        if let Some(err) = response.diagnostics().errors().next() {
            return Err(PolicyError::Evaluation {
                policy: None,
                message: err.to_string(),
            });
        }
        let meta = &self.pack.inner.meta;
        let mut metas: Vec<&PolicyMeta> = response
            .diagnostics()
            .reason()
            .filter_map(|id| meta.get(id))
            .collect();
        metas.sort_by_key(|m| m.order);
        let effect = match response.decision() {
            CedarDecision::Allow => Effect::Permit,
            CedarDecision::Deny => Effect::Deny,
        };
        let has = |r: Route| metas.iter().any(|m| m.route == Some(r));
        // One route by a fixed priority (SPEC v2 §2): a request that must itself
        // change is answered `none` even if coordination or an application
        // would also be needed.
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
            metas.retain(|m| m.route.is_none() || m.route == Some(route));
        }
        if metas.is_empty() {
            metas.push(&self.pack.inner.fallback);
        }
        Ok(Outcome {
            effect,
            route,
            metas,
        })
    }
}

/// The reason code of a quarantine and of a grant's fields, as the packs name them.
const CATALOG_DEFECT_CODE: &str = "catalog_defect";
const GRANT_FIELDS_CODE: &str = "grant_fields";

// The request's context (SPEC v2 §1: the vocabulary every pack reads).
const CONTEXT_METHOD: &str = "method";
const CONTEXT_PURPOSE: &str = "purpose";
const CONTEXT_FIELDS: &str = "fields";
const CONTEXT_CLOSED_FIELDS: &str = "closed_fields";
const CONTEXT_NETWORK: &str = "network";
const CONTEXT_CERTIFICATE_SERIAL: &str = "certificate_serial";
const CONTEXT_CERTIFICATE: &str = "certificate";
const CONTEXT_AT: &str = "at";
const CONTEXT_GRANT: &str = "grant";

/// The context attributes every access request carries (all but the grant).
const CONTEXT_ALWAYS: [&str; 8] = [
    CONTEXT_METHOD,
    CONTEXT_PURPOSE,
    CONTEXT_FIELDS,
    CONTEXT_CLOSED_FIELDS,
    CONTEXT_NETWORK,
    CONTEXT_CERTIFICATE_SERIAL,
    CONTEXT_CERTIFICATE,
    CONTEXT_AT,
];

/// The fields a request names: `None` when it names none (absent or empty).
fn named_fields(req: &AccessRequest) -> Option<&[String]> {
    req.fields.as_deref().filter(|f| !f.is_empty())
}

/// The fields a request is for (SPEC v2 §1): those it names, or all of the
/// resource's.
fn effective_fields<'a>(named: Option<&'a [String]>, res: &'a Resource) -> &'a [String] {
    named.unwrap_or(res.fields.as_slice())
}

/// Of `fields`, those outside the resource's open fields.
fn closed_fields<'a>(
    fields: &'a [String],
    res: &'a Resource,
) -> impl Iterator<Item = &'a String> + 'a {
    fields.iter().filter(|f| !res.open_fields.contains(f))
}

/// A Cedar set of strings.
fn string_set<'a>(items: impl Iterator<Item = &'a String>) -> RestrictedExpression {
    RestrictedExpression::new_set(
        items
            .map(|f| RestrictedExpression::new_string(f.clone()))
            .collect::<Vec<_>>(),
    )
}

/// A presented serial, blank read as none (`certificate_missing`).
fn presented_serial(serial: &str) -> &str {
    if serial.trim().is_empty() { "" } else { serial }
}

/// A request moment in the pack's unit (Unix nanoseconds): outside 1677-2262
/// it cannot be compared at full precision, and is refused.
fn at_nanos(at: DateTime<FixedOffset>) -> Result<i64, PolicyError> {
    entities::request_nanos(at).ok_or_else(|| PolicyError::InvalidRequest {
        field: "at",
        message: format!(
            "`{}` is outside the moments govshare compares at full precision (1677-09-21 to 2262-04-11)",
            at.to_rfc3339()
        ),
    })
}

/// Is `a` nearer to `at` than `b` (both not in force at `at`)?
fn closer(a: &Grant, b: &Grant, at: DateTime<FixedOffset>) -> bool {
    let distance = |g: &Grant| {
        if g.from > at {
            g.from - at
        } else {
            g.until.map_or(chrono::TimeDelta::zero(), |u| at - u)
        }
    };
    distance(a) < distance(b)
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

fn citations_and_reasons(
    metas: &[&PolicyMeta],
    resource: Option<&Resource>,
) -> (Vec<String>, Vec<Reason>) {
    let mut citations = Vec::new();
    let mut reasons = Vec::with_capacity(metas.len());
    for m in metas {
        push_unique(&mut citations, m.articles.iter().cloned());
        let (mut zh, mut en) = (m.zh.clone(), m.en.clone());
        if m.detail_conditions
            && let Some(c) = resource.and_then(|r| r.conditions.as_deref())
            && !c.trim().is_empty()
        {
            zh.push_str(&format!("（共享條件：{c}）"));
            en.push_str(&format!(" (conditions of sharing: {c})"));
        }
        reasons.push(Reason {
            // A pack's policies are loaded with at least one article each.
            article: m.articles.first().cloned().unwrap_or_default(),
            code: m.code.clone(),
            route: m.route,
            remedy: m.remedy.clone(),
            zh,
            en,
        });
    }
    (citations, reasons)
}
