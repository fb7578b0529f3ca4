//! One engine shared by 8 threads gives the same answers as one thread.
//!
//! A few hundred distinct access requests over the sample registry (every route,
//! permits and denies, and errors) are decided once, sequentially; then 8 threads
//! share one `Engine` (by reference, no locks) and decide 1,000,000 draws from that
//! set in total, each answer compared with the sequential one.
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use govshare::policy::{AccessRequest, Engine, PolicyPack};
use govshare::registry::{Method, Network, Registry};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");
const THREADS: usize = 8;
/// The draws in total; `GOVSHARE_CONCURRENCY_DRAWS` may set another number (for a
/// quick local run), the default is the million the test is about.
fn draws() -> usize {
    std::env::var("GOVSHARE_CONCURRENCY_DRAWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}
const DISTINCT: usize = 400;

/// A small deterministic generator (xorshift64*), so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The answer as comparable text: the decision's JSON, or the error's code and message.
fn answer(engine: &Engine, request: &AccessRequest) -> Result<String, String> {
    engine
        .decide(request)
        .map(|d| serde_json::to_string(&d).unwrap())
        .map_err(|e| format!("{}: {e}", e.code()))
}

fn requests(registry: &Registry) -> Vec<AccessRequest> {
    let doc = registry.doc();
    let methods = [
        Method::SystemIntegration,
        Method::FrontProcessor,
        Method::OnlineQuery,
        Method::BatchDownload,
    ];
    let times = [
        "2019-10-10T10:00:00+08:00",
        "2020-06-01T09:30:00+08:00",
        "2021-12-31T23:59:59+08:00",
        "2018-03-15T08:00:00Z",
        // Outside the pack's validity: an error, which must be the same error.
        "2023-01-01T00:00:00+08:00",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut attempts = 0;
    while out.len() < DISTINCT {
        attempts += 1;
        assert!(
            attempts < 100_000,
            "cannot draw {DISTINCT} distinct requests"
        );
        let dept = rng.pick(&doc.departments);
        let res = rng.pick(&doc.resources);
        // Mostly the department's own duties and certificate, sometimes not.
        let purpose = if rng.below(8) == 0 || dept.duties.is_empty() {
            "sightseeing".to_owned()
        } else {
            rng.pick(&dept.duties).clone()
        };
        let certificate = if rng.below(10) == 0 {
            "BZ-FORGED".to_owned()
        } else {
            dept.certificates
                .first()
                .map_or_else(|| "none".to_owned(), |c| c.serial.clone())
        };
        let network = if rng.below(6) == 0 {
            match res.network {
                Network::Intranet => Network::Extranet,
                Network::Extranet => Network::Intranet,
            }
        } else {
            res.network
        };
        let fields = match rng.below(4) {
            0 => None,
            1 if !res.open_fields.is_empty() => Some(res.open_fields.clone()),
            _ => Some(
                res.fields
                    .iter()
                    .filter(|_| rng.below(2) == 0)
                    .cloned()
                    .collect(),
            ),
        };
        let request = AccessRequest {
            department: dept.id.clone(),
            resource: res.id.clone(),
            method: *rng.pick(&methods),
            purpose,
            fields,
            network,
            certificate,
            at: chrono::DateTime::parse_from_rfc3339(rng.pick::<&str>(&times)).unwrap(),
        };
        if seen.insert(serde_json::to_string(&request).unwrap()) {
            out.push(request);
        }
    }
    out
}

#[test]
fn eight_threads_decide_a_million_requests_like_one_thread() {
    let registry = Registry::from_json_str(SAMPLE).unwrap();
    let requests = requests(&registry);
    let engine = Engine::new(PolicyPack::binzhou(), registry).unwrap();

    // The sequential answers.
    let expected: Vec<Result<String, String>> =
        requests.iter().map(|r| answer(&engine, r)).collect();

    // The set covers every route, both effects and errors.
    let mut routes = BTreeMap::new();
    for a in expected.iter().flatten() {
        let d: serde_json::Value = serde_json::from_str(a).unwrap();
        let key = format!("{} {}", d["decision"], d["route"]).replace('"', "");
        *routes.entry(key).or_insert(0usize) += 1;
    }
    for route in [
        "permit direct",
        "permit granted",
        "deny apply",
        "deny coordinate",
        "deny none",
    ] {
        assert!(routes.contains_key(route), "no `{route}` in {routes:?}");
    }
    assert!(expected.iter().any(Result::is_err), "no error case");

    // Draw i is request `index(i)`, the same for every run and thread.
    let index = |i: usize| -> usize {
        let mut r = Rng((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        r.below(requests.len())
    };
    let draws = draws();
    let decided = AtomicUsize::new(0);
    let engine = &engine;
    let (requests, expected, decided) = (&requests, &expected, &decided);
    std::thread::scope(|s| {
        for t in 0..THREADS {
            s.spawn(move || {
                let mut n = 0;
                for i in (t..draws).step_by(THREADS) {
                    let k = index(i);
                    let got = answer(engine, &requests[k]);
                    assert_eq!(
                        got, expected[k],
                        "thread {t}, draw {i}: request {k} answered differently"
                    );
                    n += 1;
                }
                decided.fetch_add(n, Ordering::Relaxed);
            });
        }
    });
    assert_eq!(decided.load(Ordering::Relaxed), draws);
}

#[test]
fn engine_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Engine>();
    shareable::<Registry>();
}
