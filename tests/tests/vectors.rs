//! Runs every shared vector (`tests/vectors/*.json`) against the Rust API.
//!
//! Fails naming the file, the case id and the difference. Known bugs (cases
//! marked `known_bug`: the library disagrees with the SPEC) are printed; set
//! `GOVSHARE_VECTORS_STRICT=1` to fail on them too.

use govshare_vectors::{run_dir, vectors_dir};

#[test]
fn every_shared_vector_holds() {
    let report = run_dir(&vectors_dir());
    eprintln!("shared vectors:\n{}", report.summary());
    let skipped = report.skipped();
    if !skipped.is_empty() {
        eprintln!("SKIPPED ({}):", skipped.len());
        for s in &skipped {
            eprintln!("  {s}");
        }
    }
    let known = report.known_bugs();
    if !known.is_empty() {
        eprintln!(
            "KNOWN BUGS, the library disagrees with the SPEC ({}):",
            known.len()
        );
        for k in &known {
            eprintln!("  {k}");
        }
    }
    let mut failures = report.failures();
    if std::env::var_os("GOVSHARE_VECTORS_STRICT").is_some_and(|v| v == "1") {
        failures.extend(known);
    }
    assert!(
        report.results.len() >= 150,
        "only {} cases",
        report.results.len()
    );
    assert!(
        failures.is_empty(),
        "{} vector failure(s):\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn unknown_fields_in_a_vector_file_are_rejected() {
    let mut report = govshare_vectors::Report::default();
    govshare_vectors::run_file(
        "inline.json",
        r#"{"description": "x", "registry": "sample", "cases": [], "extra": 1}"#,
        &mut report,
    );
    assert_eq!(report.broken_files.len(), 1);
    assert!(
        report.broken_files[0].1.contains("extra"),
        "{:?}",
        report.broken_files
    );

    let mut report = govshare_vectors::Report::default();
    govshare_vectors::run_file(
        "inline.json",
        r#"{"description": "x", "registry": "sample", "cases": [
            {"id": "a", "kind": "is_workday", "rule": "§3", "input": {"date": "2019-10-01", "dat": 1},
             "expect": {"workday": false}}]}"#,
        &mut report,
    );
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("dat"), "{failures:?}");
}

#[test]
fn a_wrong_expectation_fails_naming_the_case() {
    let mut report = govshare_vectors::Report::default();
    govshare_vectors::run_file(
        "inline.json",
        r#"{"description": "x", "registry": "sample", "cases": [
            {"id": "national-day", "kind": "is_workday", "rule": "§3", "input": {"date": "2019-10-01"},
             "expect": {"workday": true}}]}"#,
        &mut report,
    );
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains("national-day") && failures[0].contains("workday"),
        "{failures:?}"
    );
}

#[test]
fn a_wrong_application_state_fails() {
    let mut report = govshare_vectors::Report::default();
    govshare_vectors::run_file(
        "inline.json",
        r#"{"description": "x", "registry": "sample", "cases": [
            {"id": "wrong", "kind": "applications", "rule": "§4",
             "input": {"events": [{"kind": "apply", "at": "2019-09-27T10:00:00+08:00", "application": "A-1",
                                   "department": "city.human-resources", "resource": "civil-affairs.marriage",
                                   "purpose": "employment-services"},
                                  {"kind": "reply", "at": "2019-09-30T10:00:00+08:00", "application": "A-1",
                                   "by": "city.civil-affairs", "outcome": "refuse"}],
                       "as_of": "2019-10-01T00:00:00+08:00"},
             "expect": {"applications": {"A-1": {"status": "refused", "reply_due": "2019-10-11"}},
                        "obligations": [{"kind": "catalog_update", "department": "city.civil-affairs"}],
                        "rejected": []}}]}"#,
        &mut report,
    );
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    for needle in [
        "A-1.status",
        "A-1.reply_due",
        "obligations",
        "rejected",
        "missing_reason",
    ] {
        assert!(failures[0].contains(needle), "{needle}: {failures:?}");
    }
}
