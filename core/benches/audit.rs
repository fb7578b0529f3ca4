//! Audit throughput on a synthetic log over the sample registry (see
//! `synthetic/mod.rs`: applications, provisions, catalog changes, usages that the
//! engine checks, rejections), and memory as the log grows (printed once, outside
//! timing: open items and resident memory after 100k and 1M events).
//!
//! `cargo bench -p govshare --bench audit`

use std::hint::black_box;
use std::time::Duration;

use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govshare::audit::Auditor;
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;

mod synthetic;

fn engine() -> Option<Engine> {
    let registry = Registry::from_json_str(synthetic::SAMPLE).ok()?;
    Engine::new(PolicyPack::binzhou(), registry).ok()
}

fn run(engine: &Engine, n: u64) -> (usize, usize) {
    let start = synthetic::start();
    let as_of = DateTime::parse_from_rfc3339("2022-01-01T00:00:00+08:00").unwrap_or(start);
    let mut auditor = Auditor::new(engine.clone(), as_of);
    let mut rejected = 0;
    for i in 0..n {
        if auditor.push(&synthetic::event(start, i)).is_err() {
            rejected += 1;
        }
    }
    (rejected, auditor.finish().len())
}

fn bench(c: &mut Criterion) {
    let Some(engine) = engine() else {
        eprintln!("cannot build the engine over the sample registry");
        return;
    };
    for n in [100_000u64, 1_000_000] {
        let before = synthetic::rss_kb();
        let (rejected, violations) = run(&engine, n);
        eprintln!(
            "audit of {n} events: {rejected} rejected, {violations} violations, resident memory {} kB (before {before} kB)",
            synthetic::rss_kb()
        );
    }
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    for n in [100_000u64, 1_000_000] {
        g.throughput(Throughput::Elements(n));
        g.bench_function(format!("audit_{n}"), |b| {
            b.iter(|| black_box(run(&engine, n)));
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
