//! Ledger throughput: events applied per second on the realistic synthetic log of a
//! million events over the sample registry (see `synthetic/mod.rs`), strict and
//! lenient, the log generated beforehand; the generator alone for reference.
//!
//! `cargo bench -p govshare --bench workflow`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;
use govshare::workflow::{Event, Ledger};

mod synthetic;

const N: usize = 1_000_000;

fn engine() -> Option<Engine> {
    let registry = Registry::from_json_str(synthetic::SAMPLE).ok()?;
    Engine::new(PolicyPack::binzhou(), registry).ok()
}

fn run(mut ledger: Ledger, log: &[Event]) -> (u64, usize) {
    let mut rejected = 0;
    for (i, e) in log.iter().enumerate() {
        if ledger.apply(e).is_err() {
            rejected += 1;
        }
        if i % 1024 == 0 {
            black_box(ledger.drain());
        }
    }
    let open = ledger.state(synthetic::start()).obligations.len();
    (rejected, open)
}

fn bench(c: &mut Criterion) {
    let Some(engine) = engine() else {
        eprintln!("cannot build the engine over the sample registry");
        return;
    };
    let log: Vec<Event> = synthetic::Log::new(16, true).take(N).collect();
    // Once, outside timing: how the log applies.
    let (before, _) = synthetic::rss_kb();
    for (name, ledger) in [
        ("strict", Ledger::new(engine.clone())),
        ("lenient", Ledger::lenient(engine.clone())),
    ] {
        let (rejected, open) = run(ledger, &log);
        eprintln!(
            "synthetic log, {name} ledger: {N} events, {rejected} rejected, {open} obligations open at the end, resident memory {} kB (before {before} kB, the log included)",
            synthetic::rss_kb().0
        );
    }
    let _ = synthetic::reset_peak();

    let mut g = c.benchmark_group("workflow");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("generate_only_1M", |b| {
        b.iter(|| {
            for e in synthetic::Log::new(16, true).take(N) {
                black_box(e);
            }
        });
    });
    g.bench_function("ledger_strict_1M", |b| {
        b.iter(|| black_box(run(Ledger::new(engine.clone()), &log)));
    });
    g.bench_function("ledger_lenient_1M", |b| {
        b.iter(|| black_box(run(Ledger::lenient(engine.clone()), &log)));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
