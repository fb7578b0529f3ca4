//! Properties of the working-day calendar over the whole covered range.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

use chrono::{NaiveDate, TimeDelta};
use govshare::calendar::{CountingRule, WorkCalendar};
use proptest::prelude::*;

const DAYS: i64 = 8401; // 2004-01-01 ..= 2026-12-31

fn day(i: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 1, 1).unwrap() + TimeDelta::days(i)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn between_inverts_add(a in 0..DAYS - 400, n in 0u32..250) {
        let cal = WorkCalendar::china();
        let start = day(a);
        let due = cal.add_workdays(start, n).unwrap();
        prop_assert_eq!(cal.workdays_between(start, due).unwrap(), i64::from(n));
        prop_assert_eq!(cal.workdays_between(due, start).unwrap(), -i64::from(n));
        if n > 0 {
            prop_assert!(cal.is_workday(due).unwrap(), "{} + {} = {} is not a working day", start, n, due);
            prop_assert!(due > start);
            // Nothing skipped: the day before the due date is still short of n.
            prop_assert_eq!(cal.workdays_between(start, due - TimeDelta::days(1)).unwrap(), i64::from(n) - 1);
        }
    }

    #[test]
    fn add_is_monotonic(a in 0..DAYS - 400, gap in 0i64..60, n in 0u32..200, m in 0u32..20) {
        for rule in [CountingRule::Strict, CountingRule::NextWorkdayIsDayZero] {
            let cal = WorkCalendar::china().with_rule(rule);
            let (s1, s2) = (day(a), day(a + gap));
            prop_assert!(cal.add_workdays(s1, n).unwrap() <= cal.add_workdays(s2, n).unwrap());
            prop_assert!(cal.add_workdays(s1, n).unwrap() <= cal.add_workdays(s1, n + m).unwrap());
        }
    }

    #[test]
    fn day_zero_rule_starts_from_the_next_working_day(a in 0..DAYS - 400, n in 0u32..200) {
        let strict = WorkCalendar::china();
        let zero = strict.with_rule(CountingRule::NextWorkdayIsDayZero);
        let start = day(a);
        let due = zero.add_workdays(start, n).unwrap();
        prop_assert!(zero.is_workday(due).unwrap());
        let day0 = strict.workday_on_or_after(start).unwrap();
        prop_assert_eq!(due, strict.add_workdays(day0, n).unwrap());
        if strict.is_workday(start).unwrap() {
            prop_assert_eq!(due, strict.add_workdays(start, n).unwrap());
        }
    }

    #[test]
    fn tables_agree_with_a_day_by_day_count(a in 0..DAYS - 100, len in 0i64..100) {
        let cal = WorkCalendar::china();
        let (from, to) = (day(a), day(a + len));
        let slow = from.iter_days().skip(1).take_while(|d| *d <= to)
            .filter(|d| cal.is_workday(*d).unwrap()).count();
        prop_assert_eq!(cal.workdays_between(from, to).unwrap(), i64::try_from(slow).unwrap());
        let next = cal.next_workday(from).unwrap();
        prop_assert!(next > from && cal.is_workday(next).unwrap());
        prop_assert_eq!(cal.workdays_between(from, next - TimeDelta::days(1)).unwrap(), 0);
        prop_assert_eq!(cal.day(from).unwrap().workday, cal.is_workday(from).unwrap());
    }
}
