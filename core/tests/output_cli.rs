//! What every command does with a closed standard output, and how the command
//! line reports usage errors, run as a user would.

#![cfg(feature = "cli")]
#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_govshare");
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/binzhou/sample/registry.json"
);
const EVENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/binzhou/sample/events.jsonl"
);
const GOOD: &str = r#"{"department":"city.civil-affairs","resource":"population.basic","method":"online_query","purpose":"social-assistance","network":"extranet","certificate":"BZ-0007","at":"2019-09-27T10:00:00+08:00"}"#;

/// Runs `args` with `stdin` and stdout closed before the command writes anything;
/// returns the exit status and stderr.
fn closed_stdout(args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_owned();
    // The command may stop reading once its output is gone.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn calendar_days_into_head_ends_quietly() {
    // `govshare calendar --days 2004 2026 | head -1`: 8,401 lines, far more than a
    // pipe holds; the reader goes away after the first line.
    let mut child = Command::new(BIN)
        .args(["calendar", "--days", "2004", "2026"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("2004-01-01\trest\t"), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, "", "no panic message, no error");
}

#[test]
fn every_command_treats_a_closed_stdout_as_the_end() {
    let bad_request = format!("{GOOD}\nnot json\n{GOOD}\n");
    let cases: &[(&[&str], &str, i32)] = &[
        (&["deadline", "2019-09-27", "5"], "", 0),
        (&["calendar", "2019-10"], "", 0),
        (&["calendar", "2019-10", "--json"], "", 0),
        (&["calendar", "--days", "2004", "2026"], "", 0),
        (&["decide", "--registry", SAMPLE], GOOD, 0),
        // The status it had when the output went: the bad line may or may not
        // have been read by then, so only "not a crash" is asked of it below.
        (&["decide", "--registry", SAMPLE], &bad_request, -1),
        (&["validate", "--registry", SAMPLE], "", 0),
        (
            &[
                "applications",
                "--registry",
                SAMPLE,
                EVENTS,
                "--as-of",
                "2020-02-29T00:00:00+08:00",
            ],
            "",
            // The sample log has events the live workflow rejects.
            1,
        ),
        (
            &[
                "audit",
                "--registry",
                SAMPLE,
                EVENTS,
                "--as-of",
                "2020-02-29T00:00:00+08:00",
            ],
            "",
            0,
        ),
        (
            &[
                "audit",
                "--registry",
                SAMPLE,
                EVENTS,
                "--as-of",
                "2020-02-29T00:00:00+08:00",
                "--summary",
            ],
            "",
            0,
        ),
        (&["demo"], "", 0),
    ];
    for (args, stdin, want) in cases {
        let (code, err) = closed_stdout(args, stdin);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("error[cli.io]"), "{args:?}: {err}");
        match want {
            -1 => assert!(matches!(code, Some(0 | 1)), "{args:?}: {code:?} {err}"),
            w => assert_eq!(code, Some(*w), "{args:?}: {err}"),
        }
    }
}

#[test]
fn usage_errors_are_coded_with_status_2() {
    for args in [
        &["frobnicate"][..],
        &["deadline"],
        &["deadline", "2019-09-27", "five"],
        &["calendar", "--days", "2004"],
        &["decide", "--no-such-flag"],
        &[],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error[cli.usage]: "), "{args:?}: {err}");
        assert!(
            err.contains("--help"),
            "{args:?}: clap's explanation follows: {err}"
        );
        assert_eq!(err.matches("error").count(), 1, "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // Help and version are not errors: clap's own output, on stdout, status 0.
    for args in [
        &["--help"][..],
        &["help"],
        &["decide", "--help"],
        &["--version"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
        assert!(
            text.contains("Usage:") || text.starts_with("govshare "),
            "{args:?}: {text}"
        );
    }
}
