//! The differential test of issue 14: the specialised and cached engine gives
//! the same answers as plain Cedar evaluation, always.
//!
//! Three engines decide every request: the default one (pairs specialised by
//! partial evaluation, decisions cached over their validity interval), a tiny
//! one whose caches hold a few entries (so that eviction happens all the time),
//! and a plain one ([`CacheSettings::OFF`]: Cedar's `is_authorized` over the
//! whole pack, on entities built per request). Their decisions must be equal,
//! field for field, and errors must have the same code. The plain decision is
//! also read against raw Cedar: `Engine::cedar_inputs` and
//! `Authorizer::is_authorized`, read through the policies' annotations.
//!
//! The engines are over Binzhou alone for the first two snapshots (moments out of
//! its force evaluated on request) and over the built-in timeline (Binzhou, then
//! the national pack of 2025, SPEC v2 §7) for the other two; every vector file
//! over its own `packs`. A method the pack in force neither declares nor maps is
//! denied by the engine before Cedar (`method_not_in_pack`), checked as such.
//!
//! The requests: every `decide` case of the shared vectors, then 100,000
//! generated requests over the sample registry and registry changes (grants
//! added with periods around the probed moments, a certificate revoked and
//! renewed, a resource's class changed, a department restricted), at moments
//! on and around every time threshold (certificates, grants, the pack's
//! validity, the midpoint between an ended and an upcoming grant) and at random
//! moments. Requests repeat with other moments, so the decision cache answers
//! many of them.
#![expect(
    clippy::unwrap_used,
    reason = "a test: a failure to load its own inputs is a failure"
)]

use std::collections::BTreeSet;

use cedar_policy::{Authorizer, Decision as CedarDecision, PolicyId};
use chrono::{DateTime, Duration, FixedOffset, TimeZone as _};
use govshare::policy::{
    AccessRequest, CacheSettings, DecideOptions, Decision, Effect, Engine, PolicyPack, Route,
};
use govshare::registry::{Certificate, Grant, GrantSource, Method, Network, Registry, RegistryDoc};
use govshare_vectors::{vectors_dir, workspace_root};
use serde_json::Value;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn sample() -> Registry {
    let path = workspace_root().join("policies/binzhou/sample/registry.json");
    let json = std::fs::read_to_string(path).unwrap();
    Registry::from_json_str(&json).unwrap()
}

fn china(y: i32, m: u32, d: u32, h: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
}

/// The three engines over one registry snapshot.
struct Engines {
    fast: Engine,
    tiny: Engine,
    plain: Engine,
}

impl Engines {
    /// Over `packs` (several: a timeline, SPEC v2 §7).
    fn new(registry: Registry, packs: Vec<PolicyPack>) -> Self {
        let fast = Engine::with_packs(packs, registry).unwrap();
        assert_eq!(fast.cache_settings(), CacheSettings::DEFAULT);
        Self {
            tiny: fast.with_cache_settings(CacheSettings {
                pairs: 16,
                decisions: 32,
            }),
            plain: fast.with_cache_settings(CacheSettings::OFF),
            fast,
        }
    }

    /// The same engines moved to a new snapshot (the caches start empty).
    fn with_registry(&self, registry: Registry) -> Self {
        Self {
            fast: self.fast.with_registry(registry.clone()),
            tiny: self.tiny.with_registry(registry.clone()),
            plain: self.plain.with_registry(registry),
        }
    }

    /// Decides `req` three ways and checks they agree, and that the plain
    /// decision is raw Cedar's. Returns the decision (or error code).
    fn check(
        &self,
        req: &AccessRequest,
        options: DecideOptions,
        what: &str,
    ) -> Result<Decision, String> {
        let show =
            |r: Result<Decision, govshare::policy::PolicyError>| r.map_err(|e| e.code().to_owned());
        let plain = show(self.plain.decide_with(req, options));
        let fast = show(self.fast.decide_with(req, options));
        let tiny = show(self.tiny.decide_with(req, options));
        assert_eq!(
            fast, plain,
            "{what}: specialised and cached engine differs on {req:?}"
        );
        assert_eq!(
            tiny, plain,
            "{what}: engine with tiny caches differs on {req:?}"
        );
        if let Ok(d) = &plain {
            raw_cedar_agrees(&self.plain, req, d, what);
        }
        plain
    }
}

/// What raw Cedar says of `req`, read through the annotations: the effect,
/// the route, and the codes of the policies that determined it.
fn raw_cedar(engine: &Engine, req: &AccessRequest) -> (Effect, Route, BTreeSet<String>) {
    let (creq, entities) = engine.cedar_inputs(req).unwrap();
    let policies = engine.pack_at(req.at).unwrap_or(engine.pack()).policies();
    let response = Authorizer::new().is_authorized(&creq, policies, &entities);
    assert!(
        response.diagnostics().errors().next().is_none(),
        "raw Cedar errs on {req:?}"
    );
    let ann = |id: &PolicyId, key: &str| {
        policies
            .policy(id)
            .and_then(|p| p.annotation(key))
            .map(str::to_owned)
    };
    let determining: Vec<(Option<String>, String)> = response
        .diagnostics()
        .reason()
        .map(|id| (ann(id, "route"), ann(id, "code").unwrap_or_default()))
        .collect();
    let has = |r: &str| {
        determining
            .iter()
            .any(|(route, _)| route.as_deref() == Some(r))
    };
    let (effect, route) = match response.decision() {
        CedarDecision::Allow if has("direct") => (Effect::Permit, Route::Direct),
        CedarDecision::Allow if has("granted") => (Effect::Permit, Route::Granted),
        CedarDecision::Allow => (Effect::Permit, Route::Direct),
        CedarDecision::Deny if has("none") => (Effect::Deny, Route::None),
        CedarDecision::Deny if has("coordinate") => (Effect::Deny, Route::Coordinate),
        CedarDecision::Deny if has("apply") => (Effect::Deny, Route::Apply),
        CedarDecision::Deny => (Effect::Deny, Route::None),
    };
    let route_name = serde_json::to_value(route).unwrap();
    let codes = determining
        .into_iter()
        .filter(|(r, _)| effect == Effect::Deny || r.as_deref() == route_name.as_str())
        .map(|(_, c)| c)
        .collect();
    (effect, route, codes)
}

/// Reasons the engine adds to what Cedar says (the pack's decision notes, the
/// fallback of a deny no policy explains, and several grants not combined).
fn added_by_engine(code: &str) -> bool {
    matches!(
        code,
        "basic_not_unconditional" | "no_applicable_policy" | "grants_not_combined"
    )
}

fn raw_cedar_agrees(engine: &Engine, req: &AccessRequest, d: &Decision, what: &str) {
    // A method the pack in force neither declares nor maps is denied before
    // Cedar (SPEC v2 §7): that reason alone, route `none`.
    let pack = engine.pack_at(req.at).unwrap_or(engine.pack());
    if pack.manifest().methods.resolve(req.method).is_none() {
        assert_eq!(
            (d.decision, d.route),
            (Effect::Deny, Route::None),
            "{what}: {req:?}"
        );
        let codes: Vec<&str> = d.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["method_not_in_pack"], "{what}: {req:?}");
        assert_eq!(d.citations, [pack.manifest().methods.article.clone()]);
        return;
    }
    // A requester whose sharing rights a covering body suspended is denied
    // before Cedar under a pack with `answers.suspended` (national Art. 27¶2):
    // that reason alone, route `coordinate`.
    if d.reasons.iter().any(|r| r.code == "sharing_suspended") {
        let m = pack.manifest();
        let registry = engine.registry();
        let covered = registry.department(&req.department).is_some_and(|dept| {
            dept.suspended_by
                .iter()
                .any(|b| registry.covers(b, &req.resource, m.applications.coordinator))
        });
        assert!(covered && m.answers.suspended.is_some(), "{what}: {req:?}");
        assert_eq!(
            (d.decision, d.route),
            (Effect::Deny, Route::Coordinate),
            "{what}: {req:?}"
        );
        let codes: Vec<&str> = d.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["sharing_suspended"], "{what}: {req:?}");
        assert_eq!(
            d.citations,
            m.answers.suspended.clone().into_iter().collect::<Vec<_>>()
        );
        return;
    }
    let active: Vec<&Grant> = engine
        .registry()
        .grants_for(&req.department, &req.resource)
        .filter(|g| g.active_at(req.at))
        .collect();
    let (effect, route, codes) = raw_cedar(engine, req);
    if active.len() > 1 {
        // Cedar is shown the first candidate only; the engine tries each.
        // When it permits, the engine stops at that first candidate.
        if effect == Effect::Permit {
            assert_eq!(d.decision, Effect::Permit, "{what}: {req:?}");
            assert_eq!(d.route, route, "{what}: {req:?}");
            let first = active.first().map(|g| g.id.as_str());
            let want = if route == Route::Granted { first } else { None };
            assert_eq!(d.grant.as_deref(), want, "{what}: {req:?}");
        }
        return;
    }
    assert_eq!(
        d.decision, effect,
        "{what}: effect differs from raw Cedar on {req:?}"
    );
    assert_eq!(
        d.route, route,
        "{what}: route differs from raw Cedar on {req:?}"
    );
    let ours: BTreeSet<String> = d
        .reasons
        .iter()
        .map(|r| r.code.clone())
        .filter(|c| !added_by_engine(c))
        .collect();
    assert_eq!(
        ours, codes,
        "{what}: reasons differ from raw Cedar's on {req:?}"
    );
}

/// Every `decide` case of the shared vectors, on its registry.
#[test]
fn every_decide_vector_agrees() {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut checked = 0;
    for path in files {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let registry = match &file["registry"] {
            Value::String(name) => {
                let folder = match name.as_str() {
                    "sample" => "binzhou",
                    "national" => "national-2025",
                    other => panic!("unknown registry name `{other}`"),
                };
                let path = workspace_root().join(format!("policies/{folder}/sample/registry.json"));
                Registry::from_json_str(&std::fs::read_to_string(path).unwrap())
            }
            inline => Registry::from_json_str(&inline.to_string()),
        };
        let Ok(registry) = registry else { continue };
        let packs = file["packs"].as_array().map_or_else(
            || vec![PolicyPack::binzhou()],
            |names| {
                names
                    .iter()
                    .map(|n| PolicyPack::builtin(n.as_str().unwrap()).unwrap())
                    .collect()
            },
        );
        let engines = Engines::new(registry, packs);
        for case in file["cases"].as_array().into_iter().flatten() {
            if case["kind"] != "decide" {
                continue;
            }
            let Ok(req) = serde_json::from_value::<AccessRequest>(case["input"]["request"].clone())
            else {
                continue;
            };
            let options = DecideOptions {
                evaluate_out_of_force: case["input"]["evaluate_out_of_force"] == true,
            };
            let what = format!("{} {}", path.display(), case["id"]);
            // Twice: the second is answered from the cache.
            let first = engines.check(&req, options, &what);
            assert_eq!(engines.check(&req, options, &what), first, "{what}");
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} decide vectors");
}

/// Registry changes of the sample: each a new snapshot.
fn snapshots(rng: &mut Rng) -> Vec<(String, Registry)> {
    let base = sample();
    let doc = base.doc().clone();
    let mut out = vec![("sample".to_owned(), base.clone())];

    // Grants added with periods around the probed moments: several per pair,
    // ended, in force and upcoming.
    let mut grants = Vec::new();
    for (n, _) in (0..300).enumerate() {
        let Some(dept) = rng.pick(&doc.departments) else {
            break;
        };
        let Some(res) = rng.pick(&doc.resources) else {
            break;
        };
        if res.provider == dept.id {
            continue;
        }
        let from = china(2018, 1, 1, 0)
            + Duration::days(rng.below(1500) as i64)
            + Duration::hours(rng.below(24) as i64);
        let until = rng
            .chance(70)
            .then(|| from + Duration::days(1 + rng.below(400) as i64));
        let fields: Vec<String> = res
            .fields
            .iter()
            .filter(|_| rng.chance(50))
            .cloned()
            .collect();
        let methods: Vec<Method> = Method::ALL.into_iter().filter(|_| rng.chance(40)).collect();
        let mut purposes: Vec<String> = dept
            .duties
            .iter()
            .filter(|_| rng.chance(60))
            .cloned()
            .collect();
        if purposes.is_empty() {
            purposes.extend(dept.duties.first().cloned());
        }
        if purposes.is_empty() {
            continue;
        }
        let sources = [
            GrantSource::ProviderReply,
            GrantSource::BigDataCenter,
            GrantSource::CityGovernmentOffice,
        ];
        grants.push(Grant {
            id: format!("diff-g-{n}"),
            department: dept.id.clone(),
            resource: res.id.clone(),
            purposes,
            fields,
            methods,
            from,
            until,
            source: *rng.pick(&sources).unwrap_or(&GrantSource::ProviderReply),
            approvals: if rng.chance(30) {
                vec![GrantSource::BigDataCenter]
            } else {
                vec![]
            },
        });
    }
    let with_grants = base.with_grants(grants).unwrap();
    out.push(("grants added".to_owned(), with_grants.clone()));

    // Certificates revoked and renewed, a department restricted, classes changed.
    let mut changed: RegistryDoc = with_grants.doc().clone();
    for (i, d) in changed.departments.iter_mut().enumerate() {
        if i % 3 == 0 {
            if let Some(c) = d.certificates.first_mut() {
                c.revoked = true;
            }
            d.certificates.push(Certificate {
                serial: format!("DIFF-{i}"),
                not_before: china(2020, 3, 1, 9),
                not_after: china(2021, 6, 30, 17),
                revoked: false,
            });
        }
        if i % 4 == 1 {
            d.restricted = !d.restricted;
        }
    }
    if let Ok(r) = Registry::from_doc(changed.clone()) {
        out.push(("certificates and restrictions changed".to_owned(), r));
    }
    let mut classes = changed;
    for (i, r) in classes.resources.iter_mut().enumerate() {
        if i % 5 == 2 {
            r.network = match r.network {
                Network::Intranet => Network::Extranet,
                Network::Extranet => Network::Intranet,
            };
            r.open_fields = r.fields.iter().take(2).cloned().collect();
        }
    }
    if let Ok(r) = Registry::from_doc(classes) {
        out.push(("networks and open fields changed".to_owned(), r));
    }
    assert!(out.len() >= 3, "registry changes did not load");
    out
}

/// Moments on and around every threshold of `registry`, and random ones.
fn moments(registry: &Registry, rng: &mut Rng) -> Vec<DateTime<FixedOffset>> {
    let mut base = vec![china(2017, 12, 6, 0), china(2022, 11, 6, 0)];
    for d in registry.departments() {
        for c in &d.certificates {
            base.extend([c.not_before, c.not_after]);
        }
    }
    for g in registry.grants() {
        base.push(g.from);
        base.extend(g.until);
        if let Some(u) = g.until {
            // Midpoints between an ended grant and others of the pair.
            for h in registry.grants_for(&g.department, &g.resource) {
                base.push(u + (h.from - u) / 2);
            }
        }
    }
    let mut out = Vec::new();
    for t in base {
        for delta in [0, -1, 1, 2] {
            out.push(t + Duration::nanoseconds(delta));
        }
        out.push(t + Duration::seconds(1));
        out.push(t - Duration::days(1));
    }
    for _ in 0..2000 {
        out.push(china(2017, 6, 1, 0) + Duration::minutes(rng.below(6 * 365 * 24 * 60) as i64));
    }
    // Under the national pack (SPEC v2 §7), and around its first day.
    for d in [0, -1, 1] {
        out.push(china(2025, 8, 1, 0) + Duration::nanoseconds(d));
    }
    for _ in 0..1000 {
        out.push(china(2025, 6, 1, 0) + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64));
    }
    out
}

/// A request of the generated kinds: any department and resource, a purpose
/// among the department's duties or not, fields none, all, some, unknown or
/// empty, any method and network, the department's certificates, another's, or
/// none.
fn request(registry: &Registry, rng: &mut Rng) -> AccessRequest {
    let dept = rng.pick(registry.departments()).unwrap();
    let res = rng.pick(registry.resources()).unwrap();
    let purpose = if rng.chance(80) {
        rng.pick(&dept.duties).cloned().unwrap_or_default()
    } else {
        rng.pick(registry.departments())
            .and_then(|d| rng.pick(&d.duties).cloned())
            .unwrap_or_else(|| "not-a-duty".to_owned())
    };
    let fields = match rng.below(6) {
        0 | 1 => None,
        2 => Some(res.fields.clone()),
        3 => Some(
            res.fields
                .iter()
                .filter(|_| rng.chance(40))
                .cloned()
                .collect(),
        ),
        4 => Some(vec!["no_such_field".to_owned()]),
        _ => Some(
            res.open_fields
                .iter()
                .take(1 + rng.below(2))
                .cloned()
                .collect(),
        ),
    };
    let certificate = match rng.below(8) {
        0 => String::new(),
        1 => " ".to_owned(),
        2 => rng
            .pick(registry.departments())
            .and_then(|d| d.certificates.first())
            .map(|c| c.serial.clone())
            .unwrap_or_default(),
        _ => rng
            .pick(&dept.certificates)
            .map(|c| c.serial.clone())
            .unwrap_or_default(),
    };
    AccessRequest {
        department: dept.id.clone(),
        resource: res.id.clone(),
        method: *rng.pick(&Method::ALL).unwrap(),
        purpose,
        fields,
        network: if rng.chance(75) {
            res.network
        } else {
            match res.network {
                Network::Intranet => Network::Extranet,
                Network::Extranet => Network::Intranet,
            }
        },
        certificate,
        at: china(2019, 1, 1, 0),
    }
}

/// Generated requests over the snapshots `part` of [`snapshots`] (the same
/// sequence each time), 25,000 per snapshot; each request asked at several
/// moments, some twice. Returns (requests, permits).
fn generated(part: std::ops::Range<usize>) -> (usize, usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let snaps = snapshots(&mut rng);
    assert_eq!(snaps.len(), 4);
    let per_snapshot = 25_000;
    let mut engines: Option<Engines> = None;
    let (mut total, mut permits, mut errors) = (0usize, 0usize, 0usize);
    for (i, (name, registry)) in snaps.into_iter().enumerate() {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d ^ i as u64);
        if !part.contains(&i) {
            continue;
        }
        // The first two snapshots under Binzhou alone (evaluating moments out
        // of its force on request), the others under the built-in timeline.
        let e = match &engines {
            Some(prev) if i != 2 => prev.with_registry(registry),
            _ if i >= 2 => Engines::new(registry, PolicyPack::builtins()),
            _ => Engines::new(registry, vec![PolicyPack::binzhou()]),
        };
        let times = moments(e.plain.registry(), &mut rng);
        let mut pool: Vec<AccessRequest> = Vec::new();
        let mut done = 0;
        while done < per_snapshot {
            // A new request, or one seen before at another moment (a cache hit
            // when its interval holds the moment).
            let mut req = if pool.len() < 400 || rng.chance(30) {
                let r = request(e.plain.registry(), &mut rng);
                pool.push(r.clone());
                r
            } else {
                rng.pick(&pool).cloned().unwrap()
            };
            req.at = *rng.pick(&times).unwrap();
            let options = DecideOptions {
                evaluate_out_of_force: rng.chance(50),
            };
            match e.check(&req, options, &name) {
                Ok(d) if d.decision == Effect::Permit => permits += 1,
                Ok(_) => {}
                Err(_) => errors += 1,
            }
            done += 1;
        }
        total += done;
        let (pairs, decisions) = e.fast.cache_len();
        eprintln!(
            "{name}: {done} requests; {pairs} pairs specialised, {decisions} decisions cached"
        );
        engines = Some(e);
    }
    eprintln!("{total} generated requests: {permits} permits, {errors} errors, the rest denies");
    assert!(permits > total / 50, "too few permits: {permits}");
    (total, permits)
}

/// 50,000 generated requests: the sample, then grants added (the engines move
/// to the new snapshot).
#[test]
fn generated_requests_agree_on_the_sample_and_with_grants_added() {
    assert_eq!(generated(0..2).0, 50_000);
}

/// 50,000 more: certificates, restrictions, networks and open fields changed.
#[test]
fn generated_requests_agree_across_further_registry_changes() {
    assert_eq!(generated(2..4).0, 50_000);
}

/// `decide_many` (on all cores) gives each request's `decide`, in order.
#[test]
fn decide_many_is_decide_in_order() {
    let mut rng = Rng(7);
    let e = Engines::new(sample(), PolicyPack::builtins());
    let times = moments(e.plain.registry(), &mut rng);
    let reqs: Vec<AccessRequest> = (0..2000)
        .map(|_| AccessRequest {
            at: *rng.pick(&times).unwrap(),
            ..request(e.plain.registry(), &mut rng)
        })
        .collect();
    let many = e.fast.decide_many(&reqs);
    assert_eq!(many.len(), reqs.len());
    for (r, d) in reqs.iter().zip(many) {
        let one = e.plain.decide(r).map_err(|e| e.code());
        assert_eq!(d.map_err(|e| e.code()), one, "{r:?}");
    }
}
