//! Audit throughput and memory on the realistic synthetic log of `synthetic/mod.rs`
//! (applications and replies, coordination, usages under grants that end, data
//! provisions, catalog changes, some violations) over the sample registry.
//!
//! Printed once, outside timing: for 100,000 and 1,000,000 events streamed from the
//! generator into an [`Auditor`], the time, the events rejected and reported, the
//! violations, and the resident memory at the end and at its peak (`VmHWM`, reset
//! before each run); also for a log whose events carry no `id` (their position is
//! their id: one bit each instead of a 16-byte fingerprint).
//!
//! Timed (criterion): the auditor over a pre-generated log of 1,000,000 events; the
//! generator alone; and one usage after 400 ended grants of one department on one
//! resource, applied for under Chinese application ids (the quadratic cases of
//! issue 16).
//!
//! `cargo bench -p govshare --bench audit`

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govshare::audit::Auditor;
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;
use govshare::workflow::{Event, EventKind, ReplyOutcome, Scope};

mod synthetic;

const SEED: u64 = 16;

fn engine() -> Option<Engine> {
    let registry = Registry::from_json_str(synthetic::SAMPLE).ok()?;
    Engine::new(PolicyPack::binzhou(), registry).ok()
}

fn as_of() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2022-01-01T00:00:00+08:00").unwrap_or_else(|_| synthetic::start())
}

/// (rejected, reported out of order, violations).
fn run<'e>(engine: &Engine, events: impl IntoIterator<Item = &'e Event>) -> (usize, usize, usize) {
    let mut auditor = Auditor::new(engine.clone(), as_of());
    let mut rejected = 0;
    for e in events {
        if auditor.push(e).is_err() {
            rejected += 1;
        }
    }
    let reported = auditor.reported().len();
    (rejected, reported, auditor.finish().len())
}

fn streamed(engine: &Engine, n: usize, explicit_ids: bool) {
    let before = synthetic::rss_kb().0;
    let reset = synthetic::reset_peak();
    let start = Instant::now();
    let mut auditor = Auditor::new(engine.clone(), as_of());
    let mut rejected = 0;
    for e in synthetic::Log::new(SEED, explicit_ids).take(n) {
        if auditor.push(&e).is_err() {
            rejected += 1;
        }
    }
    let reported = auditor.reported().len();
    let violations = auditor.finish();
    let elapsed = start.elapsed();
    let (rss, peak) = synthetic::rss_kb();
    let serious = violations
        .iter()
        .filter(|v| v.severity == govshare::audit::Severity::Serious)
        .count();
    eprintln!(
        "audit of {n} streamed events ({}): {:.2} s, {:.0}k events/s with generation; {rejected} rejected, {reported} out of order, {} violations ({serious} serious); resident memory {before} kB before, {rss} kB after, peak {peak} kB{}",
        if explicit_ids {
            "explicit ids"
        } else {
            "no ids"
        },
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64() / 1000.0,
        violations.len(),
        if reset {
            ""
        } else {
            " (peak not reset: since process start)"
        },
    );
}

/// 400 applications of one department for one resource, under Chinese ids, each
/// approved for a day, then one usage after they all ended.
fn many_grants() -> Vec<Event> {
    let start = synthetic::start();
    let mut out = Vec::new();
    for i in 0..400i64 {
        let at = start + chrono::Duration::days(i);
        let application = format!("市場監管申請-{i}");
        out.push(Event {
            id: None,
            at,
            kind: EventKind::Apply {
                certificate: None,
                basis: None,
                scenario: None,
                until: None,
                approved_by_head: None,
                application: application.clone(),
                department: "city.market-regulation".to_owned(),
                resource: "hr.social-insurance".to_owned(),
                purpose: "market-supervision".to_owned(),
                fields: None,
                methods: None,
            },
        });
        out.push(Event {
            id: None,
            at: at + chrono::Duration::hours(2),
            kind: EventKind::Reply {
                certificate: None,
                reason_code: None,
                approved_by_head: None,
                application,
                by: "city.human-resources".to_owned(),
                outcome: ReplyOutcome::Approve,
                reason: None,
                scope: Some(Scope {
                    until: Some(at + chrono::Duration::hours(20)),
                    ..Scope::default()
                }),
            },
        });
    }
    out.push(Event {
        id: None,
        at: start + chrono::Duration::days(401),
        kind: EventKind::Usage {
            department: "city.market-regulation".to_owned(),
            resource: "hr.social-insurance".to_owned(),
            purpose: "market-supervision".to_owned(),
            grant: None,
        },
    });
    out
}

fn bench(c: &mut Criterion) {
    let Some(engine) = engine() else {
        eprintln!("cannot build the engine over the sample registry");
        return;
    };
    // Once, outside timing: figures and memory of the streamed audit.
    streamed(&engine, 100_000, true);
    streamed(&engine, 1_000_000, true);
    streamed(&engine, 1_000_000, false);

    let log: Vec<Event> = synthetic::Log::new(SEED, true).take(1_000_000).collect();
    let (rejected, reported, violations) = run(&engine, &log);
    eprintln!(
        "pre-generated log of {} events: {rejected} rejected, {reported} out of order, {violations} violations",
        log.len()
    );
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.throughput(Throughput::Elements(log.len() as u64));
    g.bench_function("auditor_1M", |b| {
        b.iter(|| black_box(run(&engine, &log)));
    });
    g.bench_function("generate_only_1M", |b| {
        b.iter(|| {
            for e in synthetic::Log::new(SEED, true).take(1_000_000) {
                black_box(e);
            }
        });
    });
    let pair = many_grants();
    g.throughput(Throughput::Elements(pair.len() as u64));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("one_pair_400_ended_grants", |b| {
        b.iter(|| black_box(run(&engine, &pair)));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
