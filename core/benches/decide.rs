//! Decision speed: the engine's `decide` beside Cedar's own `is_authorized` on
//! the same entities, on the sample registry and on a synthetic one of 1,000
//! departments, 10,000 resources and 100,000 grants; and the synthetic
//! registry's load time.
//!
//! `cargo bench -p govshare --bench decide`

use std::hint::black_box;

use cedar_policy::Authorizer;
use chrono::{DateTime, Duration, FixedOffset};
use criterion::{Criterion, criterion_group, criterion_main};
use govshare::policy::{AccessRequest, Engine, PolicyPack};
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

fn bench_pair(c: &mut Criterion, group: &str, engine: &Engine, cases: &[(&str, AccessRequest)]) {
    let mut g = c.benchmark_group(group);
    let policies = engine.pack().policies().clone();
    for (name, req) in cases {
        let Ok(d) = engine.decide(req) else {
            eprintln!("{group}/{name}: request errors, skipped");
            continue;
        };
        eprintln!(
            "{group}/{name}: {:?} {:?} {:?}",
            d.decision, d.route, d.citations
        );
        g.bench_function(format!("decide/{name}"), |b| {
            b.iter(|| engine.decide(black_box(req)))
        });
        let Ok((creq, entities)) = engine.cedar_inputs(req) else {
            continue;
        };
        let auth = Authorizer::new();
        let n = 20_000;
        if let (Some(ours), Some(raw)) = (
            cpu_micros(n, || {
                let _ = black_box(engine.decide(black_box(req)));
            }),
            cpu_micros(n, || {
                black_box(auth.is_authorized(black_box(&creq), &policies, &entities));
            }),
        ) {
            eprintln!(
                "{group}/{name}: CPU time per call: decide {ours:.1} µs, cedar is_authorized {raw:.1} µs, ratio {:.2}",
                ours / raw
            );
        }
        g.bench_function(format!("cedar_is_authorized/{name}"), |b| {
            b.iter(|| auth.is_authorized(black_box(&creq), &policies, &entities))
        });
    }
    g.finish();
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
}

criterion_group!(decide, benches);
criterion_main!(decide);
