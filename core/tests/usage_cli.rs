//! `govshare usage`: the provider's usage report (Art. 27), run as a user would.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

mod common;
use common::{REGISTRY, govshare, log_file};

/// The README's example log: two usages under a grant, one of another provider's
/// resource, one before the period.
const LOG: &str = r#"{"id":"u0","kind":"usage","at":"2019-09-30T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}
{"id":"u1","kind":"usage","at":"2019-10-08T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}
{"id":"u2","kind":"usage","at":"2019-10-09T09:00:00+08:00","department":"city.civil-affairs","resource":"population.basic","purpose":"social-assistance"}

{"id":"u3","kind":"usage","at":"2019-10-10T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}
"#;

const README_OUTPUT: &str = r#"{"provider":"city.human-resources","from":"2019-10-01T00:00:00+08:00","until":"2019-12-31T23:59:59+08:00","rows":[{"resource":"hr.social-insurance","department":"city.civil-affairs","purpose":"social-assistance","grant":"g-2018-0001","count":2,"first":"2019-10-08T09:00:00+08:00","last":"2019-10-10T09:00:00+08:00"}],"total":2,"citations":["27"],"pack":"binzhou","reported":[]}"#;

#[test]
fn usage_prints_the_report_as_in_the_readme() {
    let log = log_file("readme", LOG);
    let (code, out, err) = govshare(&[
        "usage",
        "--registry",
        REGISTRY,
        &log,
        "--provider",
        "city.human-resources",
        "--from",
        "2019-10-01T00:00:00+08:00",
        "--until",
        "2019-12-31T23:59:59+08:00",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out.trim_end(), README_OUTPUT);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(readme.contains(README_OUTPUT), "README's example is stale");
}

#[test]
fn the_log_may_be_given_with_events_and_one_resource() {
    let log = log_file("flag", LOG);
    let (code, out, err) = govshare(&[
        "usage",
        "--registry",
        REGISTRY,
        "--events",
        &log,
        "--provider",
        "city.public-security",
        "--resource",
        "population.basic",
    ]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["resource"], "population.basic");
    assert_eq!(r["total"], 1);
    assert_eq!(r["rows"][0]["grant"], serde_json::Value::Null);
}

#[test]
fn a_repeated_id_is_counted_once_and_a_bad_line_reported() {
    let text = format!(
        "{LOG}{}\nnot json\n",
        r#"{"id":"u1","kind":"usage","at":"2019-10-11T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}"#
    );
    let log = log_file("dup", &text);
    let (code, out, err) = govshare(&[
        "usage",
        "--registry",
        REGISTRY,
        &log,
        "--provider",
        "city.human-resources",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error[workflow.duplicate_event]: event `u1`"),
        "{err}"
    );
    assert!(
        err.contains("error[workflow.invalid_event]: line 7"),
        "{err}"
    );
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["total"], 3);
    assert_eq!(r["reported"][0]["code"], "duplicate_event");
}

#[test]
fn errors_stop_the_command_with_their_codes() {
    let log = log_file("errors", LOG);
    let run = |extra: &[&str]| {
        let mut args = vec!["usage", "--registry", REGISTRY, &log];
        args.extend_from_slice(extra);
        govshare(&args)
    };
    let (code, out, err) = run(&["--provider", "city.nobody"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("error[usage.unknown_provider]: unknown provider `city.nobody`"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "--provider",
        "city.civil-affairs",
        "--resource",
        "population.basic",
    ]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[usage.not_provider]"), "{err}");
    let (code, _, err) = run(&[
        "--provider",
        "city.human-resources",
        "--from",
        "2019-10-02T00:00:00+08:00",
        "--until",
        "2019-10-01T00:00:00+08:00",
    ]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[usage.invalid_period]"), "{err}");
    let (code, _, err) = run(&["--provider", "city.human-resources", "--from", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[cli.invalid_time]"), "{err}");
    let (code, _, err) = govshare(&["usage", "--registry", REGISTRY, "--provider", "x"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error[cli.usage]"), "{err}");
}

#[test]
fn a_rejected_registry_change_is_a_warning_naming_why() {
    let text = r#"{"id":"c1","kind":"resource_withdrawn","at":"2019-10-01T09:00:00+08:00","resource":"hr.no-such-resource"}
{"id":"u1","kind":"usage","at":"2019-10-08T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance"}
"#;
    let log = log_file("rejected", text);
    let (code, out, err) = govshare(&[
        "usage",
        "--registry",
        REGISTRY,
        &log,
        "--provider",
        "city.human-resources",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[registry_change_rejected]: event `c1` rejected: unknown resource `hr.no-such-resource`; not applied"),
        "{err}"
    );
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["total"], 1);
    assert_eq!(r["reported"][0]["event"], "c1");
    assert_eq!(r["reported"][0]["resource"], "hr.no-such-resource");
    assert!(
        r["reported"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("hr.no-such-resource")
    );
}
