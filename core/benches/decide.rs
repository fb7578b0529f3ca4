//! Decision speed: the engine's `decide` beside Cedar's own `is_authorized` on
//! the inputs `Engine::cedar_inputs` gives, in one run (issue 14):
//!
//! - `distinct`: every department × resource × method the pack reads × purpose
//!   of the sample registry at three moments (48,576 requests), one pass per iteration: raw
//!   Cedar; the engine plain (`CacheSettings::OFF`); specialised per pair with
//!   the decision cache off (every request is evaluated: the distinct-request
//!   figure); and with the decision cache on, filled by the first pass;
//! - `sample` and `synthetic`: single requests repeated (the decision cache
//!   answers them), beside raw Cedar, the plain and the specialised engine, on
//!   the sample registry and on a synthetic one of 1,000 departments, 10,000
//!   resources and 100,000 grants; and the synthetic registry's load time;
//! - `memory`: the resident memory a specialised pair and a cached decision
//!   cost (printed).
//!
//! `cargo bench -p govshare --bench decide`

use std::hint::black_box;

use cedar_policy::Authorizer;
use chrono::{DateTime, Duration, FixedOffset};
use criterion::{Criterion, criterion_group, criterion_main};
use govshare::policy::{AccessRequest, CacheSettings, DecideOptions, Engine, PolicyPack};
use govshare::registry::{
    Certificate, Database, Department, DepartmentKind, Grant, GrantSource, Interface, Level,
    Method, Network, Registry, RegistryDoc, Resource, Role, Sharing,
};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_default()
}

fn request(
    e: &Engine,
    dept: &str,
    res: &str,
    purpose: &str,
    fields: Option<&[&str]>,
) -> AccessRequest {
    let d = e.registry().department(dept);
    let r = e.registry().resource(res);
    AccessRequest {
        department: dept.to_owned(),
        resource: res.to_owned(),
        method: Method::OnlineQuery,
        purpose: purpose.to_owned(),
        fields: fields.map(|f| f.iter().map(|s| (*s).to_owned()).collect()),
        network: r.map_or(Network::Extranet, |r| r.network),
        certificate: d
            .and_then(|d| d.certificates.first())
            .map(|c| c.serial.clone())
            .unwrap_or_default(),
        at: at("2019-09-27T10:00:00+08:00"),
    }
}

/// 1,000 departments, 10,000 resources (10 per department, every class), 100,000
/// grants (100 per department, spread over other departments' resources).
fn synthetic() -> RegistryDoc {
    let cert = |i: usize| Certificate {
        serial: format!("SYN-{i:05}"),
        not_before: at("2017-01-01T00:00:00+08:00"),
        not_after: at("2027-12-31T23:59:59+08:00"),
        revoked: false,
    };
    let departments = (0..1000)
        .map(|i| Department {
            id: format!("dept.{i:04}"),
            name: format!("部門{i}"),
            level: if i % 10 == 0 {
                Level::County
            } else {
                Level::City
            },
            kind: DepartmentKind::Government,
            roles: match i {
                0 => vec![Role::BigDataCenter],
                1 => vec![Role::CityGovernmentOffice],
                2 => vec![Role::Finance],
                _ => vec![],
            },
            duties: (0..5).map(|k| format!("duty-{}", (i + k) % 50)).collect(),
            certificates: vec![cert(i)],
            region: None,
            restricted: i % 97 == 0,
            suspended_by: Vec::new(),
        })
        .collect();
    let fields: Vec<String> = (0..12).map(|k| format!("field_{k}")).collect();
    let resources = (0..10_000)
        .map(|j| {
            let sharing = match j % 3 {
                0 => Sharing::Unconditional,
                1 => Sharing::Conditional,
                _ => Sharing::NotShared,
            };
            Resource {
                id: format!("res.{j:05}"),
                name: format!("資源{j}"),
                provider: format!("dept.{:04}", j / 10),
                sharing,
                database: if sharing == Sharing::Unconditional {
                    Database::Thematic
                } else {
                    Database::Business
                },
                basic_category: None,
                derived: j % 50 == 7,
                sources: vec![],
                conditions: None,
                catalogued: None,
                legal_basis_rank: None,
                network: if j % 25 == 0 {
                    Network::Intranet
                } else {
                    Network::Extranet
                },
                fields: fields.clone(),
                open_fields: if sharing == Sharing::Conditional {
                    fields.iter().take(3).cloned().collect()
                } else {
                    vec![]
                },
                legal_basis: (sharing == Sharing::NotShared).then(|| "某法".to_owned()),
                sensitivity: vec![],
                interface: Some(Interface {
                    endpoint: format!("https://x/{j}"),
                    spec: "v1".into(),
                }),
                update_workdays: Some(5),
                open_data: false,
            }
        })
        .collect();
    let grants = (0..100_000)
        .map(|g| {
            let d = g / 100;
            let r = (d * 10 + 10 + (g % 100) * 97) % 10_000;
            Grant {
                id: format!("g.{g:06}"),
                department: format!("dept.{d:04}"),
                resource: format!("res.{r:05}"),
                purposes: vec![format!("duty-{}", d % 50)],
                fields: fields.iter().take(6).cloned().collect(),
                methods: vec![Method::OnlineQuery, Method::SystemIntegration],
                from: at("2018-01-01T00:00:00+08:00") + Duration::days((g % 365) as i64),
                until: None,
                source: if r % 3 == 2 {
                    GrantSource::BigDataCenter
                } else {
                    GrantSource::ProviderReply
                },
                approvals: if r % 50 == 7 {
                    vec![GrantSource::BigDataCenter]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    RegistryDoc {
        departments,
        resources,
        grants,
    }
}

/// This process's CPU time (user + system) in seconds, from /proc (Linux);
/// wall-clock figures are unreliable on a shared, loaded machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit(')').next()?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU microseconds per call of `f`, over `n` calls.
fn cpu_micros(n: u32, mut f: impl FnMut()) -> Option<f64> {
    let start = cpu_seconds()?;
    for _ in 0..n {
        f();
    }
    Some((cpu_seconds()? - start) * 1e6 / f64::from(n))
}

/// The engine with the decision cache off (pairs specialised).
fn specialised(engine: &Engine) -> Engine {
    engine.with_cache_settings(CacheSettings {
        decisions: 0,
        ..CacheSettings::DEFAULT
    })
}

fn bench_pair(c: &mut Criterion, group: &str, engine: &Engine, cases: &[(&str, AccessRequest)]) {
    let mut g = c.benchmark_group(group);
    let policies = engine.pack().policies().clone();
    let plain = engine.with_cache_settings(CacheSettings::OFF);
    let spec = specialised(engine);
    for (name, req) in cases {
        let Ok(d) = engine.decide(req) else {
            eprintln!("{group}/{name}: request errors, skipped");
            continue;
        };
        eprintln!(
            "{group}/{name}: {:?} {:?} {:?}",
            d.decision, d.route, d.citations
        );
        let Ok((creq, entities)) = engine.cedar_inputs(req) else {
            continue;
        };
        let auth = Authorizer::new();
        g.bench_function(format!("cedar_is_authorized/{name}"), |b| {
            b.iter(|| auth.is_authorized(black_box(&creq), &policies, &entities))
        });
        g.bench_function(format!("decide_plain/{name}"), |b| {
            b.iter(|| plain.decide(black_box(req)))
        });
        g.bench_function(format!("decide_specialised/{name}"), |b| {
            b.iter(|| spec.decide(black_box(req)))
        });
        g.bench_function(format!("decide_repeated/{name}"), |b| {
            b.iter(|| engine.decide(black_box(req)))
        });
        // What the bindings call: the cached decision shared, not copied.
        g.bench_function(format!("decide_shared_repeated/{name}"), |b| {
            b.iter(|| engine.decide_shared(black_box(req), DecideOptions::default()))
        });
        let n = 20_000;
        let raw = cpu_micros(n, || {
            black_box(auth.is_authorized(black_box(&creq), &policies, &entities));
        });
        let per = |e: &Engine| {
            cpu_micros(n, || {
                let _ = black_box(e.decide(black_box(req)));
            })
        };
        if let (Some(raw), Some(p), Some(s), Some(r)) = (raw, per(&plain), per(&spec), per(engine))
        {
            eprintln!(
                "{group}/{name}: CPU µs per call: cedar is_authorized {raw:.2}, decide plain {p:.2} ({:.2}×), specialised {s:.2} ({:.1}× faster than Cedar), repeated {r:.3} ({:.0}× faster)",
                p / raw,
                raw / s,
                raw / r
            );
        }
    }
    g.finish();
}

/// Every department × resource × method × purpose (every duty in the
/// registry) at three moments.
fn distinct_requests(e: &Engine) -> Vec<AccessRequest> {
    let reg = e.registry();
    let mut purposes: Vec<&str> = reg
        .departments()
        .iter()
        .flat_map(|d| d.duties.iter().map(String::as_str))
        .collect();
    purposes.sort_unstable();
    purposes.dedup();
    let moments = [
        at("2018-06-01T09:30:00+08:00"),
        at("2019-09-27T10:00:00+08:00"),
        at("2021-03-15T16:45:00+08:00"),
    ];
    // The methods the pack reads (declared, or mapped onto one it declares): a
    // method it does not read is answered before Cedar (`method_not_in_pack`),
    // which would flatter the engine against raw Cedar.
    let methods: Vec<Method> = Method::ALL
        .into_iter()
        .filter(|m| e.pack().manifest().methods.resolve(*m).is_some())
        .collect();
    let mut out = Vec::new();
    for &t in &moments {
        for d in reg.departments() {
            for r in reg.resources() {
                for &m in &methods {
                    for p in &purposes {
                        out.push(AccessRequest {
                            method: m,
                            at: t,
                            ..request(e, &d.id, &r.id, p, None)
                        });
                    }
                }
            }
        }
    }
    out
}

fn bench_distinct(c: &mut Criterion, e: &Engine) {
    let reqs = distinct_requests(e);
    let n = reqs.len();
    let inputs: Vec<_> = reqs.iter().filter_map(|r| e.cedar_inputs(r).ok()).collect();
    let policies = e.pack().policies().clone();
    let auth = Authorizer::new();
    let plain = e.with_cache_settings(CacheSettings::OFF);
    let spec = specialised(e);
    let cached = e.with_cache_settings(CacheSettings::DEFAULT);
    let pass = |engine: &Engine| {
        for r in &reqs {
            let _ = black_box(engine.decide(black_box(r)));
        }
    };
    let raw_pass = || {
        for (q, ents) in &inputs {
            black_box(auth.is_authorized(black_box(q), &policies, ents));
        }
    };
    // Warm the pair cache, fill the decision cache.
    pass(&spec);
    pass(&cached);
    let (pairs, decisions) = cached.cache_len();
    eprintln!(
        "distinct: {n} requests ({} with Cedar inputs); {pairs} pairs specialised, {decisions} decisions cached",
        inputs.len()
    );
    let mut g = c.benchmark_group("distinct");
    g.sample_size(10);
    g.throughput(criterion::Throughput::Elements(n as u64));
    g.bench_function("cedar_is_authorized", |b| b.iter(raw_pass));
    g.bench_function("decide_plain", |b| b.iter(|| pass(&plain)));
    g.bench_function("decide_specialised", |b| b.iter(|| pass(&spec)));
    g.bench_function("decide_cached", |b| b.iter(|| pass(&cached)));
    g.finish();
    let per = |f: &mut dyn FnMut()| cpu_micros(1, f).map(|t| t / n as f64);
    if let (Some(raw), Some(p), Some(s), Some(cd)) = (
        per(&mut || raw_pass()),
        per(&mut || pass(&plain)),
        per(&mut || pass(&spec)),
        per(&mut || pass(&cached)),
    ) {
        eprintln!(
            "distinct: CPU µs per request: cedar is_authorized {raw:.2}, decide plain {p:.2} ({:.2}×), specialised {s:.2} ({:.1}× faster than Cedar), cached {cd:.3} ({:.0}× faster)",
            p / raw,
            raw / s,
            raw / cd
        );
    }
}

/// This process's resident memory in bytes (Linux).
fn resident() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// The memory a specialised pair and a cached decision cost: specialise 4,096
/// pairs of the synthetic registry (decision cache off), then cache decisions
/// of distinct requests on those pairs (already specialised).
fn memory(big: &Engine) {
    let pairs = 4096;
    let e = big.with_cache_settings(CacheSettings {
        pairs,
        decisions: 0,
    });
    let reg = e.registry();
    let reqs: Vec<AccessRequest> = (0..pairs)
        .filter_map(|i| {
            let d = reg.departments().get(i % 1000)?;
            let r = reg.resources().get((i * 7919) % 10_000)?;
            Some(request(&e, &d.id, &r.id, "duty-0", None))
        })
        .collect();
    let before = resident();
    for r in &reqs {
        let _ = e.decide(r);
    }
    let after = resident();
    let (held, _) = e.cache_len();
    if let (Some(b), Some(a)) = (before, after) {
        eprintln!(
            "memory: {held} pairs specialised: {:.1} KB each (resident memory)",
            (a - b) / held.max(1) as f64 / 1024.0
        );
    }
    // Decisions: the same pairs, every method and three purposes, cached.
    let cached = e.with_cache_settings(CacheSettings {
        pairs,
        decisions: 65_536,
    });
    for r in &reqs {
        let _ = cached.decide(r);
    }
    let before = resident();
    for r in &reqs {
        for m in Method::ALL {
            for p in ["duty-0", "duty-1", "duty-2"] {
                let _ = cached.decide(&AccessRequest {
                    method: m,
                    purpose: p.to_owned(),
                    ..r.clone()
                });
            }
        }
    }
    let after = resident();
    let (_, held) = cached.cache_len();
    if let (Some(b), Some(a)) = (before, after) {
        eprintln!(
            "memory: {held} decisions cached: {:.2} KB each (resident memory; bound {} decisions)",
            (a - b) / held.max(1) as f64 / 1024.0,
            cached.cache_settings().decisions
        );
    }
}

fn benches(c: &mut Criterion) {
    let pack = PolicyPack::binzhou();
    let Ok(reg) = Registry::from_json_str(SAMPLE) else {
        return;
    };
    let Ok(e) = Engine::new(pack.clone(), reg) else {
        return;
    };
    let cases = vec![
        (
            "unconditional_direct",
            request(
                &e,
                "city.civil-affairs",
                "population.basic",
                "social-assistance",
                None,
            ),
        ),
        (
            "conditional_granted",
            request(
                &e,
                "city.civil-affairs",
                "hr.social-insurance",
                "social-assistance",
                Some(&["name", "id_number"]),
            ),
        ),
        (
            "not_shared_coordinate",
            request(
                &e,
                "city.finance",
                "public-security.criminal-records",
                "budget-management",
                None,
            ),
        ),
        (
            "deny_many_reasons",
            AccessRequest {
                certificate: "BZ-0001".into(),
                network: Network::Intranet,
                purpose: "public-order".into(),
                ..request(
                    &e,
                    "city.market-regulation",
                    "civil-affairs.minimum-living",
                    "market-supervision",
                    None,
                )
            },
        ),
    ];
    bench_distinct(c, &e);
    bench_pair(c, "sample", &e, &cases);

    let doc = synthetic();
    let Ok(json) = serde_json::to_string(&doc) else {
        return;
    };
    let mut g = c.benchmark_group("synthetic_load");
    g.sample_size(10);
    g.bench_function("registry_from_json_str_1k_10k_100k", |b| {
        b.iter(|| Registry::from_json_str(black_box(&json)).map(|r| r.grants().len()))
    });
    g.finish();
    let Ok(reg) = Registry::from_doc(doc) else {
        return;
    };
    let big = e.with_registry(reg);
    let g0 = big.registry().grants().first().cloned();
    let mut cases = vec![
        (
            "unconditional_direct",
            request(&big, "dept.0500", "res.00003", "duty-0", None),
        ),
        (
            "not_shared_coordinate",
            request(&big, "dept.0500", "res.00005", "duty-0", None),
        ),
    ];
    if let Some(g0) = g0 {
        cases.push((
            "granted",
            AccessRequest {
                fields: Some(vec!["field_4".into()]),
                ..request(
                    &big,
                    &g0.department,
                    &g0.resource,
                    g0.purposes.first().map_or("", String::as_str),
                    None,
                )
            },
        ));
    }
    bench_pair(c, "synthetic", &big, &cases);
    memory(&big);
}

criterion_group!(decide, benches);
criterion_main!(decide);
