//! `govshare decide` and `govshare validate` end to end.

#![cfg(feature = "cli")]
#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_govshare");
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/binzhou/sample/registry.json"
);
const PACK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/binzhou");

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("govshare-engine-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        // The binary may exit before reading stdin (a bad registry fails whole),
        // so a broken pipe here is expected: the assertions are on its output.
        let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const GOOD: &str = r#"{"department":"city.civil-affairs","resource":"population.basic","method":"online_query","purpose":"social-assistance","network":"extranet","certificate":"BZ-0007","at":"2019-09-27T10:00:00+08:00"}"#;
const DENY: &str = r#"{"department":"city.finance","resource":"public-security.criminal-records","method":"online_query","purpose":"budget-management","network":"extranet","certificate":"BZ-0004","at":"2019-09-27T10:00:00+08:00"}"#;

#[test]
fn decide_answers_every_line_in_order() {
    let input = format!(
        "{GOOD}\nnot json\n{}\n{DENY}\n{}\n",
        GOOD.replace("city.civil-affairs", "city.nowhere"),
        GOOD.replace("\"at\"", "\"when\"")
    );
    let file = tmp("requests.jsonl", &input);
    let o = run(
        &["decide", "--registry", SAMPLE, file.to_str().unwrap()],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = lines(&o);
    assert_eq!(out.len(), 5);
    assert_eq!(out[0]["decision"], "permit");
    assert_eq!(out[0]["route"], "direct");
    assert_eq!(out[0]["citations"], serde_json::json!(["5", "17"]));
    assert_eq!(out[1]["line"], 2);
    assert_eq!(out[1]["error"]["code"], "request.invalid_json");
    assert_eq!(out[2]["line"], 3);
    assert_eq!(out[2]["error"]["code"], "policy.unknown_department");
    assert!(
        out[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("city.nowhere")
    );
    assert_eq!(out[3]["decision"], "deny");
    assert_eq!(out[3]["route"], "coordinate");
    assert_eq!(out[4]["line"], 5);
    assert!(
        out[4]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("when")
    );
}

#[test]
fn decide_reads_stdin_and_a_pack_folder() {
    let o = run(
        &["decide", "--registry", SAMPLE, "--pack", PACK, "-"],
        Some(&format!("{GOOD}\n\n{DENY}\n")),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = lines(&o);
    assert_eq!(out.len(), 2);
    assert_eq!(out[1]["reasons"][0]["code"], "coordination_required");
}

#[test]
fn decide_reports_a_line_that_is_not_utf8_and_goes_on() {
    // A GBK-encoded line (「你好」) and a stray byte between two good requests.
    let mut input = Vec::new();
    input.extend_from_slice(GOOD.as_bytes());
    input.extend_from_slice(b"\n{\"purpose\": \"\xc4\xe3\xba\xc3\"}\n\xff\n");
    input.extend_from_slice(DENY.as_bytes());
    input.push(b'\n');
    let dir = std::env::temp_dir().join(format!("govshare-engine-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gbk.jsonl");
    std::fs::write(&file, &input).unwrap();
    let o = run(
        &["decide", "--registry", SAMPLE, file.to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "a line failed");
    let out = lines(&o);
    assert_eq!(out.len(), 4, "{out:?}");
    assert_eq!(out[0]["decision"], "permit");
    for (i, n) in [(1, 2), (2, 3)] {
        assert_eq!(out[i]["line"], n);
        assert_eq!(out[i]["error"]["code"], "input.invalid_encoding");
        let msg = out[i]["error"]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("line {n}")), "{msg}");
    }
    assert_eq!(out[3]["decision"], "deny", "later lines are still decided");
    assert!(o.stderr.is_empty());
}

#[test]
fn decide_with_a_too_deep_pack_is_an_error_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("govshare-deep-pack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(PACK).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        dir.join("deep.cedar"),
        format!(
            "permit (principal, action, resource)\nwhen {{ {}true{} }};\n",
            "(".repeat(1000),
            ")".repeat(1000)
        ),
    )
    .unwrap();
    let o = run(
        &[
            "decide",
            "--registry",
            SAMPLE,
            "--pack",
            dir.to_str().unwrap(),
        ],
        Some(GOOD),
    );
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error[limits.too_deep]: pack file `deep.cedar` line 2"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_registry_that_never_ends_is_too_large() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let start = std::time::Instant::now();
    let o = run(&["validate", "--registry", "/dev/zero"], None);
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error[limits.too_large]: registry `/dev/zero`")
            && err.contains("MAX_REGISTRY_BYTES"),
        "{err}"
    );
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

#[test]
fn decide_out_of_force_needs_the_flag() {
    let late = GOOD.replace("2019-09-27", "2023-01-02");
    let o = run(&["decide", "--registry", SAMPLE], Some(&late));
    assert_eq!(lines(&o)[0]["error"]["code"], "policy.not_in_force");
    // Between the packs of the built-in timeline no pack is loaded; the engine
    // never chooses one (SPEC v2 §7): the caller names it.
    let o = run(
        &["decide", "--registry", SAMPLE, "--evaluate-out-of-force"],
        Some(&late),
    );
    let out = lines(&o);
    assert_eq!(out[0]["error"]["code"], "policy.not_in_force");
    assert!(
        out[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no pack is loaded"),
        "{out:?}"
    );
    let o = run(
        &[
            "decide",
            "--registry",
            SAMPLE,
            "--pack",
            "binzhou",
            "--evaluate-out-of-force",
        ],
        Some(&late),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(lines(&o)[0]["in_force"], false);
    assert_eq!(lines(&o)[0]["pack"], "binzhou");
}

#[test]
fn decide_judges_each_moment_under_the_pack_in_force() {
    // The same request in 2019 (Binzhou) and in 2026 (the national regulation).
    let y2026 = GOOD.replace("2019-09-27", "2026-03-02");
    let both = format!("{GOOD}\n{y2026}\n");
    let o = run(&["decide", "--registry", SAMPLE], Some(&both));
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = lines(&o);
    assert_eq!(out[0]["pack"], "binzhou");
    assert_eq!(out[1]["pack"], "national-2025");
    let o = run(
        &["decide", "--registry", SAMPLE, "--pack", "national-2025"],
        Some(&both),
    );
    let out = lines(&o);
    assert_eq!(out[0]["error"]["code"], "policy.not_in_force");
    assert_eq!(out[1]["pack"], "national-2025");
}

#[test]
fn decide_with_a_bad_registry_fails_whole() {
    let o = run(&["decide", "--registry", "/nonexistent.json"], Some(GOOD));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("error[registry.io]"));
}

#[test]
fn validate_prints_findings_and_exits_by_severity() {
    let o = run(&["validate", "--registry", SAMPLE], None);
    assert_eq!(o.status.code(), Some(0));
    let out = lines(&o);
    assert!(!out.is_empty());
    assert!(out.iter().all(|f| f["severity"] == "warning"), "{out:?}");

    // SPEC v2 §6: a state secret catalogued on the extranet is an error (Art. 8).
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    doc["resources"][0]["sensitivity"] = serde_json::json!(["state_secret"]);
    doc["resources"][0]["sharing"] = "conditional".into();
    let bad = tmp("bad-registry.json", &doc.to_string());
    let o = run(&["validate", "--registry", bad.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let out = lines(&o);
    let f = out
        .iter()
        .find(|f| f["code"] == "state_secret_not_intranet")
        .unwrap();
    assert_eq!(f["article"], "8");
    assert_eq!(f["id"], "population.basic");
    assert_eq!(f["severity"], "error");
    let w = out
        .iter()
        .find(|f| f["code"] == "basic_not_unconditional")
        .unwrap();
    assert_eq!(w["severity"], "warning");
}

/// SPEC v2 §8: question lines are answered on their own line, among requests;
/// an unknown question or a question without a field is that line's error,
/// naming it, and the other lines are still answered.
#[test]
fn decide_answers_question_lines() {
    let input = [
        r#"{"question":"may_require_submission","department":"city.civil-affairs","resource":"population.basic","at":"2019-09-27T10:00:00+08:00"}"#,
        GOOD,
        r#"{"question":"may_publish_open_data","department":"city.market-regulation","resource":"legal-entity.basic","at":"2019-09-27T10:00:00+08:00"}"#,
        r#"{"question":"must_serve","department":"city.civil-affairs","resource":"population.basic","proof_valid":true,"at":"2019-09-27T10:00:00+08:00"}"#,
        r#"{"question":"may_fly","department":"city.civil-affairs","resource":"population.basic","at":"2019-09-27T10:00:00+08:00"}"#,
        r#"{"question":"may_require_submission","resource":"population.basic","at":"2019-09-27T10:00:00+08:00"}"#,
        r#"{"question":"may_require_submission","department":"city.civil-affairs","resource":"population.basic","purpose":"social-assistance","fields":["name"],"at":"2019-09-27T10:00:00+08:00"}"#,
    ]
    .join("\n");
    let o = run(&["decide", "--registry", SAMPLE], Some(&input));
    assert_eq!(o.status.code(), Some(1), "two lines fail");
    let out = lines(&o);
    assert_eq!(out.len(), 7);
    // Art. 13: population data is direct, so no submission may be required.
    assert_eq!(out[0]["allowed"], false);
    assert_eq!(out[0]["citations"][0], "13");
    assert_eq!(out[0]["pack"], "binzhou");
    assert_eq!(out[1]["decision"], "permit");
    assert_eq!(out[2]["allowed"], true);
    assert_eq!(out[2]["citations"][0], "22");
    assert_eq!(out[3]["must_serve"], true);
    assert_eq!(out[3]["citations"][0], "20");
    assert_eq!(out[4]["line"], 5);
    assert_eq!(out[4]["error"]["code"], "policy.invalid_request");
    assert!(
        out[4]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may_fly")
    );
    assert_eq!(out[5]["line"], 6);
    assert!(
        out[5]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("department")
    );
    assert_eq!(out[6]["allowed"], false);
}

#[test]
fn validate_reports_the_findings_of_the_pack_named() {
    let national = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/national-2025/sample/registry.json"
    );
    // Binzhou's findings: Art. 6 (no Big Data Center) among them.
    let o = run(&["validate", "--registry", national], None);
    let binzhou = lines(&o);
    assert!(
        binzhou
            .iter()
            .any(|f| f["code"] == "big_data_center_missing")
    );
    // The national pack's: none of Binzhou's, all warnings (exit 0).
    let o = run(
        &[
            "validate",
            "--registry",
            national,
            "--pack",
            "national-2025",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let found = lines(&o);
    assert!(
        found.iter().all(|f| f["severity"] == "warning"),
        "{found:?}"
    );
    assert!(found.iter().all(|f| f["code"] != "big_data_center_missing"));
    assert!(
        found
            .iter()
            .any(|f| f["code"] == "catalog_missing" && f["article"] == "12¶2"),
        "{found:?}"
    );
    let o = run(
        &[
            "validate",
            "--registry",
            national,
            "--pack",
            "/nonexistent-pack",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}
