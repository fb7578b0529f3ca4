//! The working-day calendar: the awkward cases, overrides and both counting rules.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]
#![expect(
    clippy::panic,
    reason = "a test helper fails the test on the wrong error variant"
)]

use chrono::{DateTime, Datelike, NaiveDate};
use govshare::calendar::{CalendarError, CountingRule, DayKind, WorkCalendar, china_date};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn spec_example_friday_before_national_day_2019() {
    let cal = WorkCalendar::china();
    assert_eq!(
        cal.add_workdays(d(2019, 9, 27), 5).unwrap(),
        d(2019, 10, 10)
    );
    assert!(
        cal.is_workday(d(2019, 9, 29)).unwrap(),
        "Sunday 09-29 was worked"
    );
    for day in 1..=7 {
        assert!(
            !cal.is_workday(d(2019, 10, day)).unwrap(),
            "10-0{day} was a rest day"
        );
    }
    assert!(
        cal.is_workday(d(2019, 10, 12)).unwrap(),
        "Saturday 10-12 was worked"
    );
}

#[test]
fn start_on_a_rest_day_makes_the_next_working_day_day_one() {
    let cal = WorkCalendar::china();
    // Wednesday 2019-10-02, inside National Day: 10-08 is day 1.
    assert_eq!(cal.add_workdays(d(2019, 10, 2), 1).unwrap(), d(2019, 10, 8));
    assert_eq!(
        cal.add_workdays(d(2019, 10, 2), 3).unwrap(),
        d(2019, 10, 10)
    );
    // An ordinary Saturday: Monday is day 1.
    assert_eq!(cal.add_workdays(d(2019, 11, 2), 1).unwrap(), d(2019, 11, 4));
}

#[test]
fn a_deadline_across_national_day() {
    let cal = WorkCalendar::china();
    // Monday 2024-09-30 + 3: 10-01..07 rest, 10-08 Tue, 10-09, 10-10.
    assert_eq!(
        cal.add_workdays(d(2024, 9, 30), 3).unwrap(),
        d(2024, 10, 10)
    );
    // Sunday 2024-09-29 was worked: it counts from Friday 09-27.
    assert_eq!(cal.add_workdays(d(2024, 9, 27), 1).unwrap(), d(2024, 9, 29));
    let at = DateTime::parse_from_rfc3339("2024-09-30T09:00:00+08:00").unwrap();
    let deadline = cal.deadline(at, 3).unwrap();
    assert_eq!(deadline.to_rfc3339(), "2024-10-11T00:00:00+08:00");
}

#[test]
fn the_2020_spring_festival_extension() {
    let cal = WorkCalendar::china();
    // First notice: 01-24..30 rest, Saturday 02-01 worked; extension to 02-02.
    for day in [24, 25, 26, 27, 28, 29, 30, 31] {
        assert!(!cal.is_workday(d(2020, 1, day)).unwrap(), "2020-01-{day}");
    }
    assert!(
        !cal.is_workday(d(2020, 2, 1)).unwrap(),
        "02-01 was a rest day after the extension"
    );
    assert!(!cal.is_workday(d(2020, 2, 2)).unwrap());
    assert!(cal.is_workday(d(2020, 2, 3)).unwrap());
    assert!(
        cal.is_workday(d(2020, 1, 19)).unwrap(),
        "Sunday 01-19 stayed a working day"
    );
    let info = cal.day(d(2020, 1, 31)).unwrap();
    assert_eq!(info.notice.as_deref(), Some("國辦發明電〔2020〕1號"));
    assert_eq!(
        info.kind,
        DayKind::Holiday {
            name: "春節".into()
        }
    );
    // Thursday 2020-01-23 + 1 is Monday 02-03.
    assert_eq!(cal.add_workdays(d(2020, 1, 23), 1).unwrap(), d(2020, 2, 3));
}

#[test]
fn saturday_2005_12_31_was_a_working_day() {
    let cal = WorkCalendar::china();
    assert!(cal.is_workday(d(2005, 12, 31)).unwrap());
    let info = cal.day(d(2005, 12, 31)).unwrap();
    assert_eq!(
        info.kind,
        DayKind::AdjustedWorkday {
            name: "元旦".into()
        }
    );
    assert_eq!(info.notice.as_deref(), Some("國辦發明電〔2005〕35號"));
    assert_eq!(
        cal.add_workdays(d(2005, 12, 30), 1).unwrap(),
        d(2005, 12, 31)
    );
}

#[test]
fn mid_year_changes_2015_and_2019() {
    let cal = WorkCalendar::china();
    for day in [3, 4] {
        assert!(!cal.is_workday(d(2015, 9, day)).unwrap());
    }
    assert!(
        cal.is_workday(d(2015, 9, 6)).unwrap(),
        "Sunday 2015-09-06 worked"
    );
    assert_eq!(
        cal.day(d(2015, 9, 3)).unwrap().notice.as_deref(),
        Some("國發明電〔2015〕1號")
    );
    for day in 1..=4 {
        assert!(!cal.is_workday(d(2019, 5, day)).unwrap(), "2019-05-0{day}");
    }
    assert!(cal.is_workday(d(2019, 4, 28)).unwrap());
    assert!(cal.is_workday(d(2019, 5, 5)).unwrap());
    assert_eq!(
        cal.day(d(2019, 5, 2)).unwrap().notice.as_deref(),
        Some("國辦發明電〔2019〕3號")
    );
}

#[test]
fn the_2025_reform() {
    let cal = WorkCalendar::china();
    // Spring Festival 01-28..02-04 (8 days), Labour Day 05-01..05 under 國辦發明電〔2024〕12號.
    for date in d(2025, 1, 28).iter_days().take(8) {
        assert!(!cal.is_workday(date).unwrap(), "{date}");
    }
    assert!(cal.is_workday(d(2025, 2, 5)).unwrap());
    assert_eq!(
        cal.day(d(2025, 5, 2)).unwrap().notice.as_deref(),
        Some("國辦發明電〔2024〕12號")
    );
    assert!(!cal.is_workday(d(2025, 5, 5)).unwrap());
}

#[test]
fn first_and_last_covered_days_and_beyond() {
    let cal = WorkCalendar::china();
    let (first, last) = cal.covered();
    assert_eq!((first, last), (d(2004, 1, 1), d(2026, 12, 31)));
    assert!(!cal.is_workday(first).unwrap(), "2004-01-01 New Year's Day");
    assert!(cal.is_workday(d(2004, 1, 2)).unwrap());
    assert!(cal.is_workday(last).unwrap(), "Thursday 2026-12-31");
    let before = d(2003, 12, 31);
    let err = cal.is_workday(before).unwrap_err();
    assert_eq!(
        err,
        CalendarError::NotCovered {
            date: before,
            first,
            last
        }
    );
    assert_eq!(err.code(), "calendar.not_covered");
    assert!(err.to_string().contains("2003-12-31") && err.to_string().contains("2026-12-31"));
    assert!(matches!(
        cal.is_workday(d(2027, 1, 1)),
        Err(CalendarError::NotCovered { .. })
    ));
    // A count that runs past the data is an error, never a guess.
    let err = cal.add_workdays(d(2026, 12, 30), 2).unwrap_err();
    assert!(matches!(err, CalendarError::NotCovered { date, .. } if date == d(2027, 1, 1)));
    assert_eq!(cal.add_workdays(d(2026, 12, 30), 1).unwrap(), last);
    assert!(cal.next_workday(last).is_err());
    assert_eq!(
        cal.workdays_between(first, last).unwrap(),
        -cal.workdays_between(last, first).unwrap()
    );
    assert!(cal.month(2027, 1).is_err());
    assert!(matches!(
        cal.month(2026, 13),
        Err(CalendarError::BadMonth { .. })
    ));
}

#[test]
fn workdays_between_is_half_open_and_signed() {
    let cal = WorkCalendar::china();
    assert_eq!(
        cal.workdays_between(d(2019, 9, 27), d(2019, 10, 10))
            .unwrap(),
        5
    );
    assert_eq!(
        cal.workdays_between(d(2019, 10, 10), d(2019, 9, 27))
            .unwrap(),
        -5
    );
    assert_eq!(
        cal.workdays_between(d(2019, 10, 10), d(2019, 10, 10))
            .unwrap(),
        0
    );
    // (Fri, Sat]: 0; (Thu, Fri]: 1.
    assert_eq!(
        cal.workdays_between(d(2019, 11, 1), d(2019, 11, 2))
            .unwrap(),
        0
    );
    assert_eq!(
        cal.workdays_between(d(2019, 10, 31), d(2019, 11, 1))
            .unwrap(),
        1
    );
}

#[test]
fn next_workday_and_on_or_after() {
    let cal = WorkCalendar::china();
    assert_eq!(cal.next_workday(d(2019, 9, 27)).unwrap(), d(2019, 9, 29));
    assert_eq!(cal.next_workday(d(2019, 9, 30)).unwrap(), d(2019, 10, 8));
    assert_eq!(
        cal.workday_on_or_after(d(2019, 10, 3)).unwrap(),
        d(2019, 10, 8)
    );
    assert_eq!(
        cal.workday_on_or_after(d(2019, 10, 8)).unwrap(),
        d(2019, 10, 8)
    );
}

#[test]
fn both_counting_rules() {
    let strict = WorkCalendar::china();
    assert_eq!(strict.rule(), CountingRule::Strict);
    let zero = strict.with_rule(CountingRule::NextWorkdayIsDayZero);
    // On a working day the rules agree.
    assert_eq!(
        zero.add_workdays(d(2019, 9, 27), 5).unwrap(),
        d(2019, 10, 10)
    );
    // On a rest day the day-zero rule gives one working day more.
    assert_eq!(
        strict.add_workdays(d(2019, 10, 5), 5).unwrap(),
        d(2019, 10, 12)
    );
    assert_eq!(
        zero.add_workdays(d(2019, 10, 5), 5).unwrap(),
        d(2019, 10, 14)
    );
    assert_eq!(
        zero.add_workdays(d(2019, 10, 5), 0).unwrap(),
        d(2019, 10, 8)
    );
    assert_eq!(
        strict.add_workdays(d(2019, 10, 5), 0).unwrap(),
        d(2019, 10, 5)
    );
    // The rule is a setting of the calendar, not of the data.
    assert_eq!(
        zero.with_rule(CountingRule::Strict)
            .add_workdays(d(2019, 10, 5), 5)
            .unwrap(),
        d(2019, 10, 12)
    );
}

#[test]
fn due_date_takes_the_china_date() {
    let cal = WorkCalendar::china();
    // 2019-09-26 20:00 in New York is 2019-09-27 08:00 in China.
    let at = DateTime::parse_from_rfc3339("2019-09-26T20:00:00-04:00").unwrap();
    assert_eq!(china_date(at), d(2019, 9, 27));
    assert_eq!(cal.due_date(at, 5).unwrap(), d(2019, 10, 10));
    // 2019-09-27 23:30 UTC is already Saturday 09-28 in China.
    let at = DateTime::parse_from_rfc3339("2019-09-27T23:30:00+00:00").unwrap();
    assert_eq!(cal.due_date(at, 1).unwrap(), d(2019, 9, 29));
    assert_eq!(
        cal.deadline(at, 1).unwrap().to_rfc3339(),
        "2019-09-30T00:00:00+08:00"
    );
}

#[test]
fn month_view_names_holidays_and_notices() {
    let cal = WorkCalendar::china();
    let m = cal.month(2019, 10).unwrap();
    assert_eq!(m.days.len(), 31);
    assert_eq!(
        m.days[0].kind,
        DayKind::Holiday {
            name: "國慶節".into()
        }
    );
    assert_eq!(m.days[0].notice.as_deref(), Some("國辦發明電〔2018〕15號"));
    assert_eq!(
        m.days[11].kind,
        DayKind::AdjustedWorkday {
            name: "國慶節".into()
        }
    );
    assert!(m.days[11].workday);
    assert_eq!(m.days[12].kind, DayKind::Weekend);
    assert_eq!(m.days[7].kind, DayKind::Workday);
    assert_eq!(m.days[7].notice, None);
    // 23 weekdays in October 2019, minus 5 weekday rest days, plus 1 Saturday worked.
    assert_eq!(m.workdays(), 19);
    let json = serde_json::to_value(&m.days[11]).unwrap();
    assert_eq!(json["kind"], "adjusted_workday");
    assert_eq!(json["name"], "國慶節");
}

#[test]
fn every_year_has_its_notice_and_holidays() {
    let cal = WorkCalendar::china();
    let notices = cal.notices();
    assert_eq!(notices.len(), 26, "23 yearly notices and 3 changes");
    for year in 2004..=2026 {
        let title = format!("{year}年部分節假日安排");
        assert!(
            notices
                .iter()
                .any(|n| n.title.as_deref().is_some_and(|t| t.contains(&title))),
            "no notice for {year}"
        );
        let rest_weekdays = d(year, 1, 1)
            .iter_days()
            .take_while(|x| x.year() == year)
            .filter(|x| matches!(cal.day(*x).unwrap().kind, DayKind::Holiday { .. }))
            .count();
        assert!(
            rest_weekdays >= 10,
            "{year}: only {rest_weekdays} holiday days"
        );
    }
}

const OVERRIDE_2027: &str = r#"
[coverage]
last = "2027-12-31"

[[notice]]
document = "TEST〔2026〕1號"
title = "test arrangement for 2027"
rest = [{ name = "元旦", from = "2027-01-01", to = "2027-01-03" }]
work = [{ name = "元旦", dates = ["2027-01-09"] }]
"#;

#[test]
fn overrides_extend_the_years() {
    let base = WorkCalendar::china();
    let cal = base.with_overrides_toml(OVERRIDE_2027).unwrap();
    assert_eq!(cal.covered(), (d(2004, 1, 1), d(2027, 12, 31)));
    assert!(!cal.is_workday(d(2027, 1, 1)).unwrap());
    assert!(cal.is_workday(d(2027, 1, 9)).unwrap(), "Saturday worked");
    assert!(cal.is_workday(d(2027, 1, 4)).unwrap());
    assert_eq!(
        cal.day(d(2027, 1, 2)).unwrap().notice.as_deref(),
        Some("TEST〔2026〕1號")
    );
    // The built-in data is still there and counts run across the year end.
    assert_eq!(cal.add_workdays(d(2026, 12, 31), 1).unwrap(), d(2027, 1, 4));
    assert_eq!(
        cal.add_workdays(d(2019, 9, 27), 5).unwrap(),
        d(2019, 10, 10)
    );
    // The original calendar is unchanged.
    assert_eq!(base.covered().1, d(2026, 12, 31));
    assert!(base.is_workday(d(2027, 1, 4)).is_err());
    // Overrides keep the rule.
    let zero = base
        .with_rule(CountingRule::NextWorkdayIsDayZero)
        .with_overrides_toml(OVERRIDE_2027)
        .unwrap();
    assert_eq!(zero.rule(), CountingRule::NextWorkdayIsDayZero);
}

#[test]
fn overrides_replace_days_as_a_local_arrangement() {
    let json = r#"{"notice": [{"document": "濱政辦字〔2019〕1號",
        "rest": [{"name": "local", "from": "2019-10-10"}],
        "work": [{"name": "local", "dates": ["2019-10-05"]}]}]}"#;
    let cal = WorkCalendar::china().with_overrides_json(json).unwrap();
    assert!(!cal.is_workday(d(2019, 10, 10)).unwrap());
    assert!(cal.is_workday(d(2019, 10, 5)).unwrap());
    assert_eq!(cal.covered(), WorkCalendar::china().covered());
    assert_eq!(cal.add_workdays(d(2019, 9, 30), 1).unwrap(), d(2019, 10, 5));
}

#[test]
fn overrides_from_a_path() {
    let dir = std::env::temp_dir().join(format!("govshare-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("2027.toml");
    std::fs::write(&path, OVERRIDE_2027).unwrap();
    let cal = WorkCalendar::china().with_overrides_path(&path).unwrap();
    assert_eq!(cal.covered().1, d(2027, 12, 31));
    let missing = WorkCalendar::china()
        .with_overrides_path(dir.join("nope.toml"))
        .unwrap_err();
    assert_eq!(missing.code(), "calendar.io");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn bad_entry(err: CalendarError) -> (String, String, String) {
    match err {
        CalendarError::BadEntry {
            entry,
            field,
            reason,
            ..
        } => (entry, field, reason),
        other => panic!("expected BadEntry, got {other:?}"),
    }
}

#[test]
fn a_bad_override_names_the_entry_and_field() {
    let base = WorkCalendar::china();
    let bad_date = r#"
[[notice]]
document = "A"
rest = [{ name = "x", from = "2019-10-10" }]
[[notice]]
document = "B"
rest = [{ name = "y", from = "2019-10-10", to = "2019-10-32" }]
"#;
    let err = base.with_overrides_toml(bad_date).unwrap_err();
    assert_eq!(err.code(), "calendar.bad_entry");
    let (entry, field, reason) = bad_entry(err);
    assert_eq!(entry, "notice[1] (B)");
    assert_eq!(field, "rest[0].to");
    assert!(reason.contains("2019-10-32"));

    let reversed = r#"{"notice": [{"document": "C", "rest": [{"name": "z", "from": "2019-10-10", "to": "2019-10-01"}]}]}"#;
    let (_, field, _) = bad_entry(base.with_overrides_json(reversed).unwrap_err());
    assert_eq!(field, "rest[0].to");

    // A year past the coverage without extending it.
    let beyond = r#"
[[notice]]
document = "D"
work = [{ name = "w", dates = ["2026-12-26", "2027-01-09"] }]
"#;
    let (entry, field, reason) = bad_entry(base.with_overrides_toml(beyond).unwrap_err());
    assert_eq!(
        (entry.as_str(), field.as_str()),
        ("notice[0] (D)", "work[0].dates[1]")
    );
    assert!(reason.contains("coverage"));

    // Coverage must be by whole years.
    let partial = "[coverage]\nlast = \"2027-06-30\"\n";
    let (entry, field, _) = bad_entry(base.with_overrides_toml(partial).unwrap_err());
    assert_eq!((entry.as_str(), field.as_str()), ("coverage", "last"));

    // The same day both rest and work in one notice.
    let both = r#"
[[notice]]
document = "E"
rest = [{ name = "r", from = "2019-10-01", to = "2019-10-07" }]
work = [{ name = "r", dates = ["2019-10-03"] }]
"#;
    let (_, field, _) = bad_entry(base.with_overrides_toml(both).unwrap_err());
    assert_eq!(field, "work[0].dates[0]");

    // The calendar is unchanged after every failure.
    assert_eq!(base.covered(), (d(2004, 1, 1), d(2026, 12, 31)));
    assert!(base.is_workday(d(2019, 10, 10)).unwrap());
}

#[test]
fn unknown_fields_and_bad_syntax_are_named() {
    let base = WorkCalendar::china();
    let unknown = r#"
[[notice]]
document = "F"
rest = [{ name = "r", from = "2019-10-01", until = "2019-10-07" }]
"#;
    let err = base.with_overrides_toml(unknown).unwrap_err();
    assert_eq!(err.code(), "calendar.bad_syntax");
    assert!(err.to_string().contains("until"), "{err}");
    let err = base.with_overrides_json(r#"{"notices": []}"#).unwrap_err();
    assert!(err.to_string().contains("notices"), "{err}");
    let err = base.with_overrides_json("{").unwrap_err();
    assert_eq!(err.code(), "calendar.bad_syntax");
    let err = govshare::Error::from(base.with_overrides_toml("format = 2").unwrap_err());
    assert_eq!(err.code(), "calendar.bad_entry");
}
