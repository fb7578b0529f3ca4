//! Issue 14: the memory a specialised pair and a cached decision hold, measured
//! with a counting allocator (live heap bytes), not the process's resident size.
//!
//! `cargo run --release -p govshare --example cache_memory`
//!
//! Over the sample registry: one request per (department, resource) pair with
//! the decision cache off (so only pairs are kept), then the distinct requests
//! of `cargo bench --bench decide` (every department × resource × method ×
//! duty, three moments) with both caches on. The heap that stays allocated,
//! divided by what the caches report holding, is the cost of one entry.
#![expect(clippy::unwrap_used, reason = "a measurement program over fixed data")]
#![expect(
    unsafe_code,
    reason = "a counting global allocator forwards to the system allocator"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use govshare::policy::{AccessRequest, CacheSettings, Engine, PolicyPack};
use govshare::registry::{Method, Registry};

#[derive(Debug)]
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counter only records sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() {
    let sample = include_str!("../../policies/binzhou/sample/registry.json");
    let registry = Registry::from_json_str(sample).unwrap();
    let pack = PolicyPack::binzhou();
    let moments = [
        "2019-03-01T10:00:00+08:00",
        "2020-06-15T10:00:00+08:00",
        "2021-09-01T10:00:00+08:00",
    ];
    let request = |d: &str, r: &str, m: Method, p: &str, at: &str, cert: &str| AccessRequest {
        department: d.to_owned(),
        resource: r.to_owned(),
        method: m,
        purpose: p.to_owned(),
        fields: None,
        network: registry.resource(r).unwrap().network,
        certificate: cert.to_owned(),
        at: at.parse().unwrap(),
    };
    let mut distinct = Vec::new();
    let mut one_per_pair = Vec::new();
    for d in registry.departments() {
        let cert = d.certificates.first().map_or("", |c| c.serial.as_str());
        for r in registry.resources() {
            one_per_pair.push(request(
                &d.id,
                &r.id,
                Method::OnlineQuery,
                "x",
                moments[0],
                cert,
            ));
            for m in Method::ALL.iter().take(4) {
                for p in &d.duties {
                    for at in moments {
                        distinct.push(request(&d.id, &r.id, *m, p, at, cert));
                    }
                }
            }
        }
    }

    // Pairs only (the decision cache off).
    let engine = Engine::new(pack.clone(), registry.clone())
        .unwrap()
        .with_cache_settings(CacheSettings {
            pairs: CacheSettings::DEFAULT.pairs,
            decisions: 0,
        });
    for r in &one_per_pair {
        let _ = engine.decide(r);
    }
    let before = live();
    let fresh = engine.with_cache_settings(engine.cache_settings());
    drop(engine);
    let base = live();
    for r in &one_per_pair {
        let _ = fresh.decide(r);
    }
    let pairs = fresh.cache_len().0;
    let per_pair = (live() - base) as f64 / pairs as f64;
    println!(
        "specialised pairs: {pairs}, {:.1} KB each (live heap; the engine before: {:.1} MB)",
        per_pair / 1024.0,
        before as f64 / 1_048_576.0
    );
    drop(fresh);

    // Decisions, with the pairs already specialised (their cost is above).
    let engine = Engine::new(pack, registry).unwrap();
    for r in &one_per_pair {
        let _ = engine.decide(r);
    }
    let (pairs_before, decisions_before) = engine.cache_len();
    let base = live();
    for r in &distinct {
        let _ = engine.decide(r);
    }
    let (pairs_after, decisions) = engine.cache_len();
    assert_eq!(pairs_before, pairs_after);
    let per_decision = (live() - base) as f64 / (decisions - decisions_before) as f64;
    println!(
        "cached decisions: {} more from {} distinct requests, {:.2} KB each (live heap)",
        decisions - decisions_before,
        distinct.len(),
        per_decision / 1024.0
    );
    let bound = |n: usize, each: f64| n as f64 * each / 1_048_576.0;
    println!(
        "at the default bounds ({} pairs, {} decisions): about {:.0} MB + {:.0} MB",
        CacheSettings::DEFAULT.pairs,
        CacheSettings::DEFAULT.decisions,
        bound(CacheSettings::DEFAULT.pairs, per_pair),
        bound(CacheSettings::DEFAULT.decisions, per_decision)
    );
}
