//! `govshare audit`, run as a user would.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

mod common;
use common::{REGISTRY, govshare, log_file};

const LOG: &str = r#"{"id":"law","kind":"law_revised","at":"2019-09-20T10:00:00+08:00","department":"city.civil-affairs"}
{"kind":"reply","at":"2019-09-21T10:00:00+08:00","application":"ghost","by":"city.civil-affairs","outcome":"approve"}
{"id":"leak","kind":"leak","at":"2019-10-17T10:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","criminal":true}
{"id":"reported","kind":"incident_reported","at":"2019-10-17T15:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","to":"市公安局"}
{"kind":"catalog_updated","at":"2019-10-20T10:00:00+08:00","department":"city.civil-affairs"}
"#;

#[test]
fn audit_prints_one_violation_per_line_and_reports_rejections() {
    let log = log_file("audit", LOG);
    let (code, out, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-11-01T00:00:00+08:00",
    ]);
    // The reply to a ghost application was rejected: status 1.
    assert_eq!(code, 1, "{err}");
    let vs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(vs.len(), 2, "{out}");
    // Both happened on 2019-10-17 (the day after the catalog's due day): log order.
    assert_eq!(vs[0]["category"], "sensitive_data_breach");
    assert_eq!(vs[0]["article"], "31");
    assert_eq!(
        vs[0]["consequences"],
        // SPEC v2 §5: a sensitive leak is urged to correction too.
        serde_json::json!(["urge_correction", "legal_referral", "criminal_referral"])
    );
    assert!(
        err.contains("error[workflow.unknown_application]") && err.contains("`2`"),
        "{err}"
    );
}

#[test]
fn audit_summary_is_a_table_per_department_and_article() {
    let log = log_file("summary", LOG);
    let (code, out, _) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-11-01T00:00:00+08:00",
        "--summary",
    ]);
    assert_eq!(code, 1, "one line was rejected");
    assert!(out.contains("Art.30(1)") && out.contains("Art.31"), "{out}");
    let row = out
        .lines()
        .find(|l| l.contains("city.civil-affairs"))
        .unwrap();
    assert!(row.contains("濱州市民政局"), "{row}");
    // One catalog finding, one breach, two in all. SPEC v2 §5 Severity: personal
    // information alone (even a criminal leak of it) is not serious.
    assert!(row.trim_end().ends_with(" 2"), "{row}");
    assert!(!row.contains('['), "{row}");
}

#[test]
fn audit_reports_a_line_that_is_not_utf8_and_goes_on() {
    let mut text = Vec::new();
    for (i, line) in LOG.lines().enumerate() {
        if i == 1 {
            // GBK instead of the ghost reply.
            text.extend_from_slice(b"{\"kind\":\"\xc4\xe3\xba\xc3\"}\n");
        } else {
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
        }
    }
    let path =
        std::env::temp_dir().join(format!("govshare-{}-audit-gbk.jsonl", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let (code, out, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        path.to_str().unwrap(),
        "--as-of",
        "2019-11-01T00:00:00+08:00",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        ["error[input.invalid_encoding]: line 2 is not UTF-8 (invalid byte at byte 9 of the line)"]
    );
    // The lines after it are still audited: the breach and the late catalog.
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("sensitive_data_breach"), "{out}");
}

#[test]
fn audit_exits_0_only_when_no_line_was_rejected() {
    let clean: String = LOG
        .lines()
        .filter(|l| !l.contains("ghost"))
        .map(|l| format!("{l}\n"))
        .collect();
    let log = log_file("clean", &clean);
    let (code, out, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-11-01T00:00:00+08:00",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out.lines().count(), 2);
    let log = log_file("rejected", "not json\n\n{\"kind\":\"nope\"}\n");
    let (code, out, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-11-01T00:00:00+08:00",
    ]);
    assert_eq!((code, out.as_str()), (1, ""), "every line was rejected");
    assert!(err.contains("line 1") && err.contains("line 3"), "{err}");
}

#[test]
fn audit_needs_a_valid_as_of() {
    let log = log_file("asof", LOG);
    let (code, _, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "yesterday",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cli.invalid_time"), "{err}");
}

#[test]
fn audit_warns_of_events_out_of_order_and_audits_them() {
    let log = log_file(
        "order",
        r#"{"id":"a","kind":"law_revised","at":"2019-09-20T10:00:00+08:00","department":"city.civil-affairs"}
{"id":"b","kind":"leak","at":"2019-09-19T10:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance"}
"#,
    );
    let (code, out, err) = govshare(&[
        "audit",
        "--registry",
        REGISTRY,
        &log,
        "--as-of",
        "2019-09-30T00:00:00+08:00",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[out_of_order]: event `b` dated 2019-09-19T10:00:00+08:00")
            && err.contains("(2019-09-20T10:00:00+08:00)"),
        "{err}"
    );
    // Audited all the same.
    assert!(out.contains("sensitive_data_breach"), "{out}");
}

const NATIONAL_REGISTRY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/national-2025/sample/registry.json"
);
const NATIONAL_LOG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/national-2025/sample/events.jsonl"
);

/// The national sample log, audited over the built-in timeline and with the
/// national pack forced: the same violations of Art. 39–42 (SPEC v2 §7); an
/// unknown pack is an error naming it.
#[test]
fn audit_and_applications_judge_2026_by_the_national_regulation() {
    let as_of = "2026-04-30T00:00:00+08:00";
    let run = |pack: Option<&str>| {
        let mut args = vec![
            "audit",
            "--registry",
            NATIONAL_REGISTRY,
            NATIONAL_LOG,
            "--as-of",
            as_of,
        ];
        if let Some(p) = pack {
            args.extend(["--pack", p]);
        }
        let (code, out, err) = govshare(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let timeline = run(None);
    assert_eq!(timeline, run(Some("national-2025")));
    let articles: Vec<String> = timeline
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["article"].to_string())
        .collect();
    assert_eq!(
        articles,
        [
            "\"39(2)\"",
            "\"39(4)\"",
            "\"40(2)\"",
            "\"39(4)\"",
            "\"39(4)\""
        ],
        "{timeline}"
    );
    let (code, out, err) = govshare(&[
        "applications",
        "--registry",
        NATIONAL_REGISTRY,
        NATIONAL_LOG,
        "--as-of",
        as_of,
        "--pack",
        "national-2025",
    ]);
    assert_eq!(
        code, 1,
        "the obstruction is rejected by the strict ledger: {err}"
    );
    assert!(err.contains("workflow.act_not_allowed"), "{err}");
    assert!(out.contains("\"status\":\"approved\""), "{out}");
    let (code, _, err) = govshare(&[
        "audit",
        "--registry",
        NATIONAL_REGISTRY,
        NATIONAL_LOG,
        "--as-of",
        as_of,
        "--pack",
        "province-x",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("province-x"), "{err}");
}
