//! `govshare deadline` and `govshare calendar`, run as a user would.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

mod common;
use common::govshare;

#[test]
fn deadline_of_a_date_and_of_a_time() {
    assert_eq!(
        govshare(&["deadline", "2019-09-27", "5"]),
        (0, "2019-10-10\n".into(), String::new())
    );
    // 20:00 in New York on the 26th is the 27th in China.
    let (code, out, _) = govshare(&["deadline", "2019-09-26T20:00:00-04:00", "5"]);
    assert_eq!((code, out.as_str()), (0, "2019-10-10\n"));
    let (code, out, _) = govshare(&["deadline", "2019-09-27", "5", "--time"]);
    assert_eq!((code, out.as_str()), (0, "2019-10-11T00:00:00+08:00\n"));
    let (_, out, _) = govshare(&[
        "deadline",
        "2019-10-05",
        "5",
        "--rule",
        "next_workday_is_day_zero",
    ]);
    assert_eq!(out, "2019-10-14\n");
    let (_, out, _) = govshare(&["deadline", "2005-12-30", "1"]);
    assert_eq!(out, "2005-12-31\n");
}

#[test]
fn errors_are_coded_with_status_2() {
    let (code, out, err) = govshare(&["deadline", "2026-12-30", "5"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("error[calendar.not_covered]: "), "{err}");
    assert!(err.contains("2026-12-31"), "{err}");
    let (code, _, err) = govshare(&["deadline", "yesterday", "5"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error[cli.bad_argument]: ") && err.contains("yesterday"),
        "{err}"
    );
    let (code, _, err) = govshare(&["calendar", "2019-13"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[calendar.bad_month]"), "{err}");
    let (code, _, err) = govshare(&["calendar", "2003-12"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[calendar.not_covered]"), "{err}");
    let (code, _, err) = govshare(&["deadline", "2019-09-27", "5", "--rule", "lenient"]);
    assert_eq!(code, 2);
    assert!(err.contains("lenient"), "{err}");
}

#[test]
fn calendar_grid_marks_rest_and_adjusted_days() {
    let (code, out, _) = govshare(&["calendar", "2019-10"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("2019年10月"));
    assert!(lines[1].contains('一') && lines[1].contains('日'));
    assert_eq!(lines[2].trim(), "1*   2*   3*   4*   5*   6*");
    assert_eq!(lines[3].trim(), "7*   8    9   10   11   12+  13");
    assert!(
        out.contains("國慶節: 休 10-01–10-07; 調休上班 10-12 (國辦發明電〔2018〕15號)"),
        "{out}"
    );
    let (_, out, _) = govshare(&["calendar", "2020-02"]);
    assert!(
        out.contains("春節: 休 02-01–02-02 (國辦發明電〔2020〕1號)"),
        "{out}"
    );
}

#[test]
fn calendar_json_and_days() {
    let (code, out, _) = govshare(&["calendar", "2005-12", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["days"][30]["kind"], "adjusted_workday");
    assert_eq!(v["days"][30]["notice"], "國辦發明電〔2005〕35號");
    let (code, out, _) = govshare(&["calendar", "--days", "2004", "2026"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 8401);
    assert!(out.contains("2005-12-31\twork\tadjusted_workday\t元旦\t國辦發明電〔2005〕35號\n"));
}

#[test]
fn overrides_file_on_the_command_line() {
    let dir = std::env::temp_dir().join(format!("govshare-cli-cal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("2027.json");
    std::fs::write(
        &good,
        r#"{"coverage": {"last": "2027-12-31"},
            "notice": [{"document": "T1", "rest": [{"name": "元旦", "from": "2027-01-01"}]}]}"#,
    )
    .unwrap();
    let (code, out, err) = govshare(&[
        "deadline",
        "2026-12-31",
        "1",
        "--overrides",
        good.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, "2027-01-04\n"), "{err}");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[notice]]\ndocument = \"X\"\nrest = [{ name = \"a\", from = \"2027-13-01\" }]\n",
    )
    .unwrap();
    let (code, _, err) = govshare(&["calendar", "2019-10", "--overrides", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error[calendar.bad_entry]") && err.contains("rest[0].from"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
