//! Replays the committed fuzz seeds (`fuzz/corpus/`) and every shared decision
//! request through core's property checks (`govshare_vectors::props`), so that the
//! properties the fuzz targets check run on every `cargo test`, without nightly.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: an unreadable seed directory is a test failure"
)]

use std::path::PathBuf;

use govshare_vectors::props;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = govshare_vectors::workspace_root()
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn registry_seeds_keep_their_properties() {
    for (name, data) in corpus("registry_json") {
        let text = String::from_utf8(data).unwrap();
        props::registry_json(&text).unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn request_seeds_keep_their_properties() {
    for (name, data) in corpus("request_json") {
        let text = String::from_utf8(data).unwrap();
        props::request_json(&text).unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn event_log_seeds_keep_their_properties() {
    for (name, data) in corpus("event_log_json") {
        let text = String::from_utf8(data).unwrap();
        props::event_log_json(&text).unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn policy_pack_seeds_keep_their_properties() {
    for (name, data) in corpus("policy_pack") {
        let (which, text) = data.split_first().unwrap();
        let text = std::str::from_utf8(text).unwrap();
        props::policy_pack_text(*which, text).unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn deep_policy_pack_seeds_keep_their_properties() {
    // The fuzz target's `arbitrary` input: byte 0 picks the file, then
    // (kind, little-endian u16 count) triples, outermost first.
    for (name, data) in corpus("policy_pack_deep") {
        let (which, rest) = data.split_first().unwrap();
        let layers: Vec<(u8, u16)> = rest
            .chunks_exact(3)
            .map(|c| (c[0], u16::from_le_bytes([c[1], c[2]])))
            .collect();
        props::policy_pack_nesting(*which, &layers).unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn calendar_seeds_keep_their_properties() {
    use chrono::{Days, NaiveDate};
    let base = NaiveDate::from_ymd_opt(2004, 1, 1).unwrap();
    for (name, data) in corpus("calendar_overrides") {
        let probes: Vec<(NaiveDate, u32)> = data[1..17]
            .chunks_exact(4)
            .map(|p| {
                let days = u16::from_le_bytes([p[0], p[1]]);
                (
                    base.checked_add_days(Days::new(u64::from(days) % 9000))
                        .unwrap(),
                    u32::from(p[2]),
                )
            })
            .collect();
        let text = std::str::from_utf8(&data[17..]).unwrap();
        props::calendar_overrides(text, data[0] & 1 == 1, &probes)
            .unwrap_or_else(|v| panic!("{name}: {v}"));
    }
}

#[test]
fn every_sample_decision_vector_keeps_the_decision_properties() {
    let text = std::fs::read_to_string(govshare_vectors::vectors_dir().join("decide_sample.json"))
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut n = 0;
    for case in doc["cases"].as_array().unwrap() {
        let request = case["input"]["request"].to_string();
        props::request_json(&request).unwrap_or_else(|v| panic!("{}: {v}", case["id"]));
        n += 1;
    }
    assert!(n > 50);
}

#[test]
fn the_properties_catch_a_bad_permit() {
    use govshare::policy::{Decision, Effect, Route};
    let engine = props::sample_engine().unwrap();
    let request: govshare::policy::AccessRequest = serde_json::from_str(
        r#"{"department": "city.finance", "resource": "public-security.criminal-records",
            "method": "online_query", "purpose": "budget-management", "network": "extranet",
            "certificate": "BZ-0004", "at": "2020-06-15T10:00:00+08:00"}"#,
    )
    .unwrap();
    // Decisions are the engine's output (`#[non_exhaustive]`): forged here from
    // their wire form.
    let forged: Decision = serde_json::from_value(serde_json::json!({
        "decision": "permit",
        "route": "direct",
        "citations": ["5"],
        "grant": null,
        "in_force": true,
        "pack": "binzhou",
        "reasons": [{
            "article": "5", "code": "x", "route": "direct", "remedy": null,
            "zh": "x", "en": "x"
        }]
    }))
    .unwrap();
    assert_eq!(forged.decision, Effect::Permit);
    assert_eq!(forged.route, Route::Direct);
    let err = props::decision(engine, &request, &forged).unwrap_err();
    assert!(err.0.contains("direct permit"), "{err}");
    let mut uncited = forged.clone();
    uncited.citations.clear();
    assert!(props::decision(engine, &request, &uncited).is_err());
}
