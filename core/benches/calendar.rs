//! Working-day calendar: `is_workday`, `add_workdays`, `workdays_between` (all
//! constant time from precomputed tables), and `china()` (a clone of a shared table).
//!
//! Run: `cargo bench -p govshare --bench calendar`

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use govshare::calendar::{CountingRule, WorkCalendar};

fn dates() -> Vec<NaiveDate> {
    // A spread of starts over the covered years, so the tables are read at many places.
    let first = NaiveDate::from_ymd_opt(2004, 1, 1).unwrap_or_default();
    (0..1024u32)
        .map(|i| first + chrono::TimeDelta::days(i64::from(i * 7 % 8000)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = WorkCalendar::china();
    let zero = cal.with_rule(CountingRule::NextWorkdayIsDayZero);
    let days = dates();
    let mut i = 0usize;
    let mut next = move || {
        i = (i + 1) % 1024;
        i
    };
    let mut pick = |v: &[NaiveDate]| v.get(next()).copied().unwrap_or_default();

    c.bench_function("calendar/is_workday", |b| {
        b.iter(|| black_box(cal.is_workday(black_box(pick(&days)))))
    });
    c.bench_function("calendar/add_workdays strict +15", |b| {
        b.iter(|| black_box(cal.add_workdays(black_box(pick(&days)), black_box(15))))
    });
    c.bench_function("calendar/add_workdays day-zero +15", |b| {
        b.iter(|| black_box(zero.add_workdays(black_box(pick(&days)), black_box(15))))
    });
    c.bench_function("calendar/add_workdays strict +250", |b| {
        b.iter(|| black_box(cal.add_workdays(black_box(pick(&days)), black_box(250))))
    });
    c.bench_function("calendar/workdays_between", |b| {
        b.iter(|| {
            let a = pick(&days);
            black_box(
                cal.workdays_between(black_box(a), black_box(a + chrono::TimeDelta::days(300))),
            )
        })
    });
    c.bench_function("calendar/china()", |b| {
        b.iter(|| black_box(WorkCalendar::china()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
