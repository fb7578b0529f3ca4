//! Ledger throughput: events applied per second on a synthetic log of a million
//! events over the sample registry (see `synthetic/mod.rs`), strict and lenient, with
//! event generation measured on its own for reference.
//!
//! `cargo bench -p govshare --bench workflow`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;
use govshare::workflow::Ledger;

mod synthetic;

const N: u64 = 1_000_000;

fn engine() -> Option<Engine> {
    let registry = Registry::from_json_str(synthetic::SAMPLE).ok()?;
    Engine::new(PolicyPack::binzhou(), registry).ok()
}

fn run(mut ledger: Ledger) -> (u64, usize) {
    let start = synthetic::start();
    let mut rejected = 0;
    for i in 0..N {
        if ledger.apply(&synthetic::event(start, i)).is_err() {
            rejected += 1;
        }
        if i % 1024 == 0 {
            black_box(ledger.drain());
        }
    }
    let open = ledger.state(start).obligations.len();
    (rejected, open)
}

fn bench(c: &mut Criterion) {
    let Some(engine) = engine() else {
        eprintln!("cannot build the engine over the sample registry");
        return;
    };
    // Once, outside timing: the log applies cleanly.
    let before = synthetic::rss_kb();
    let (rejected, open) = run(Ledger::new(engine.clone()));
    eprintln!(
        "synthetic log: {N} events, {rejected} rejected, {open} obligations open at the end, resident memory {} kB (before {before} kB)",
        synthetic::rss_kb()
    );

    let mut g = c.benchmark_group("workflow");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(N));
    g.bench_function("generate_only_1M", |b| {
        let start = synthetic::start();
        b.iter(|| {
            for i in 0..N {
                black_box(synthetic::event(start, i));
            }
        });
    });
    g.bench_function("ledger_strict_1M", |b| {
        b.iter(|| black_box(run(Ledger::new(engine.clone()))));
    });
    g.bench_function("ledger_lenient_1M", |b| {
        b.iter(|| black_box(run(Ledger::lenient(engine.clone()))));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
