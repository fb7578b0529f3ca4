//! `govshare applications`, run as a user would.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

mod common;
use common::{REGISTRY, govshare, log_file};

#[test]
fn applications_prints_state_and_reports_rejections() {
    let log = log_file(
        "apps",
        r#"{"kind":"apply","at":"2019-09-27T10:00:00+08:00","application":"a-1","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance"}
{"kind":"apply","at":"2019-09-27T10:00:00+08:00","application":"a-2","department":"city.civil-affairs","resource":"public-security.criminal-records","purpose":"social-assistance"}

{"kind":"reply","at":"2019-09-30T10:00:00+08:00","application":"a-2","by":"city.public-security","outcome":"refuse"}
{"kind":"data_provided","at":"2019-09-30T10:00:00+08:00","resource":"hr.social-insurance","colour":"red"}
{"kind":"collection_scope_changed","at":"2019-10-05T10:00:00+08:00","department":"city.housing"}
{"kind":"reply","at":"2019-10-11T10:00:00+08:00","application":"a-1","by":"city.human-resources","outcome":"approve","scope":{"purposes":["social-assistance"],"fields":["name","id_number","insurance_type","contribution_base","contribution_status","employer_code"]}}
"#,
    );
    let (code, out, err) = govshare(&[
        "applications",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-10-21T00:00:00+08:00",
    ]);
    // Two lines were rejected (the refusal, the unknown field): status 1.
    assert_eq!(code, 1, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    let a1 = &lines[0];
    assert_eq!(a1["record"], "application");
    assert_eq!(a1["status"], "approved");
    assert_eq!(a1["reply_due"], "2019-10-10");
    assert_eq!(a1["reply_late_workdays"], 1);
    assert_eq!(lines[1]["status"], "coordinating_big_data_center");
    assert_eq!(lines[2]["record"], "obligation");
    assert_eq!(lines[2]["due"], "2019-10-08");
    assert_eq!(lines[2]["late_workdays"], 10);
    // The log is in time order (SPEC v2 §4). The refusal is rejected naming its
    // position (3: blank lines are not events), the unknown field names itself and
    // its line.
    assert!(
        err.contains("error[workflow.wrong_state]: event `3`"),
        "{err}"
    );
    assert!(err.contains("line 5") && err.contains("colour"), "{err}");
    // The collection-scope event is the 5th event (the bad line still counts).
    assert_eq!(lines[2]["events"][0], "5");
}

#[test]
fn applications_reports_a_line_that_is_not_utf8_and_goes_on() {
    let apply = r#"{"kind":"apply","at":"2019-09-27T10:00:00+08:00","application":"a-1","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance"}"#;
    let mut text = format!("{apply}\n").into_bytes();
    // A GBK-encoded event (「你好」 as its purpose).
    let (head, _) = apply
        .replace("a-1", "a-2")
        .split_once("social-assistance")
        .map(|(h, t)| (h.to_owned(), t.to_owned()))
        .unwrap();
    text.extend_from_slice(head.as_bytes());
    text.extend_from_slice(b"\xc4\xe3\xba\xc3\"}\n");
    text.extend_from_slice(apply.replace("a-1", "a-3").as_bytes());
    text.push(b'\n');
    let path = std::env::temp_dir().join(format!("govshare-{}-gbk.jsonl", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let (code, out, err) = govshare(&[
        "applications",
        "--registry",
        REGISTRY,
        path.to_str().unwrap(),
        "--as-of",
        "2019-10-21T00:00:00+08:00",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("error[input.invalid_encoding]: line 2 "),
        "{err}"
    );
    let ids: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["record"] == "application")
        .map(|v| v["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, ["a-1", "a-3"], "{out}");
}

#[test]
fn applications_exit_1_when_every_line_was_rejected() {
    let log = log_file("all-bad", "not json\n{\"kind\":\"nope\"}\n");
    let (code, out, err) = govshare(&["applications", "--registry", REGISTRY, &log]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert_eq!(
        err.matches("error[workflow.invalid_event]").count(),
        2,
        "{err}"
    );
}

#[test]
fn applications_reports_a_bad_registry() {
    let log = log_file("empty", "");
    let (code, _, err) = govshare(&["applications", "--registry", "/nonexistent.json", &log]);
    assert_eq!(code, 2);
    assert!(err.contains("registry.io"), "{err}");
}
