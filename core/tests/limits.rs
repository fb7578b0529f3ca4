//! Input over the limits of `govshare::limits` is an error with a stable code that
//! names the limit, wherever the JSON enters: never a crash, never a partial load.

use govshare::limits::{self, LimitError};
use govshare::registry::{Registry, RegistryDoc, RegistryError};
use govshare::workflow::Event;

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn a_deep_registry_is_too_deep_not_a_stack_overflow() {
    // Deep inside a field: the byte scan finds it before serde recurses.
    let text = format!(r#"{{"departments": {}}}"#, nested(200_000));
    let err = Registry::from_json_str(&text).unwrap_err();
    assert_eq!(err.code(), "limits.too_deep");
    assert!(matches!(
        err,
        RegistryError::Limit(LimitError::TooDeep {
            actual: 200_001,
            ..
        })
    ));
    let msg = err.to_string();
    assert!(msg.contains("MAX_DEPTH") && msg.contains("200001"), "{msg}");
    // Through the crate error too.
    assert_eq!(govshare::Error::from(err).code(), "limits.too_deep");
}

#[test]
fn serde_json_alone_stops_at_128_levels() {
    // What the depth check adds to serde_json: a stable code, and a lower limit.
    let err = serde_json::from_str::<serde_json::Value>(&nested(200)).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
    assert!(serde_json::from_str::<serde_json::Value>(&nested(100)).is_ok());
    let err = Registry::from_json_str(&nested(100)).unwrap_err();
    assert_eq!(err.code(), "limits.too_deep");
}

#[test]
fn too_many_departments_names_the_limit_and_the_count() {
    let doc: RegistryDoc = serde_json::from_str(SAMPLE).unwrap();
    let one = doc.departments.first().unwrap().clone();
    let mut big = doc.clone();
    big.departments = (0..=limits::MAX_DEPARTMENTS)
        .map(|i| {
            let mut d = one.clone();
            d.id = format!("d{i}");
            d
        })
        .collect();
    let err = Registry::from_doc(big).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    let msg = err.to_string();
    assert!(msg.contains("MAX_DEPARTMENTS"), "{msg}");
    assert!(
        msg.contains(&(limits::MAX_DEPARTMENTS + 1).to_string()),
        "{msg}"
    );
    // The sample is well within every limit.
    assert!(Registry::from_doc(doc).is_ok());
}

#[test]
fn grant_counts_are_checked_including_added_grants() {
    let err = limits::check_grants(limits::MAX_GRANTS + 1).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    assert!(err.to_string().contains("MAX_GRANTS"), "{err}");
    assert!(limits::check_grants(limits::MAX_GRANTS).is_ok());
}

#[test]
fn a_huge_registry_file_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("govshare-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.json");
    let f = std::fs::File::create(&path).unwrap();
    // A sparse file: no disk space, no memory.
    f.set_len(limits::MAX_REGISTRY_BYTES as u64 + 1).unwrap();
    let err = Registry::from_path(&path).unwrap_err();
    assert_eq!(err.code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_REGISTRY_BYTES"), "{err}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn events_over_the_limits() {
    let deep = format!(
        r#"{{"kind":"data_provided","at":"2019-10-01T00:00:00+08:00","resource":{}}}"#,
        nested(10_000)
    );
    let err = Event::from_json_str(&deep).unwrap_err();
    assert_eq!(err.limit().unwrap().code(), "limits.too_deep");

    let big = format!(
        r#"{{"kind":"inconsistency_reported","at":"2019-10-01T00:00:00+08:00","resource":"x","by":"y","detail":"{}"}}"#,
        "x".repeat(limits::MAX_EVENT_BYTES)
    );
    let err = Event::from_json_str(&big).unwrap_err();
    assert_eq!(err.limit().unwrap().code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_EVENT_BYTES"), "{err}");

    // Ordinary errors are still the JSON's own.
    let err = Event::from_json_str(r#"{"kind":"data_provided"}"#).unwrap_err();
    assert!(err.limit().is_none());
}

#[cfg(feature = "cli")]
mod cli {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;

    const BIN: &str = env!("CARGO_BIN_EXE_govshare");
    const SAMPLE_PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/binzhou/sample/registry.json"
    );

    #[test]
    fn decide_reports_overlong_and_deep_lines_and_goes_on() {
        let ok = r#"{"department":"city.civil-affairs","resource":"population.basic","method":"online_query","purpose":"social-assistance","network":"extranet","certificate":"BZ-0007","at":"2019-03-01T10:00:00+08:00"}"#;
        let long = "x".repeat(limits::MAX_LINE_BYTES + 10);
        let deep = nested(1000);
        let input = format!("{ok}\n{long}\n{deep}\n{ok}\n");
        let mut child = Command::new(BIN)
            .args(["decide", "--registry", SAMPLE_PATH])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[0]["decision"], "permit");
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["error"]["code"], "limits.too_large");
        assert_eq!(lines[2]["line"], 3);
        assert_eq!(lines[2]["error"]["code"], "limits.too_deep");
        assert_eq!(lines[3], lines[0]);
        assert_eq!(out.status.code(), Some(1));
    }
}
