//! `docs/errors.md` lists every error code, and nothing else.
//!
//! The codes returned by the core's error enums come from `govshare::Error::codes()`
//! (kept complete by exhaustive matches in `core/src/error.rs`), the bindings' own
//! codes included (`govshare::error::InputErrorKind`); the codes that only the
//! command line returns are found as string literals in its sources. The
//! bindings' sources are scanned too, and must hold no code literal at all.
#![expect(clippy::unwrap_used, reason = "test code")]

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Module prefixes of error codes.
const PREFIXES: &[&str] = &[
    "calendar", "registry", "policy", "workflow", "limits", "input", "internal", "cli", "request",
    "usage",
];

/// The codes in the first column of the tables of `docs/errors.md`.
fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs/errors.md")).unwrap();
    let mut codes = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let code = rest.split('`').next().unwrap();
        assert!(codes.insert(code.to_owned()), "`{code}` is listed twice");
    }
    codes
}

/// Whether `s` looks like an error code: `prefix.snake_case`.
fn is_code(s: &str) -> bool {
    let Some((prefix, name)) = s.split_once('.') else {
        return false;
    };
    PREFIXES.contains(&prefix)
        && !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// The code-like string literals in the `.rs` files under `dir`.
fn literals(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            literals(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, piece) in text.split('"').enumerate() {
                // Odd pieces are inside quotes (good enough for these sources).
                if i % 2 == 1 && is_code(piece) {
                    out.insert(piece.to_owned());
                }
            }
        }
    }
}

fn returned() -> BTreeSet<String> {
    let mut codes: BTreeSet<String> = govshare::Error::codes()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let root = Path::new(ROOT);
    for dir in ["bindings-python/src", "bindings-node/src", "core/src/bin"] {
        let dir = root.join(dir);
        if dir.is_dir() {
            literals(&dir, &mut codes);
        }
    }
    codes
}

#[test]
fn every_error_code_is_documented_and_every_documented_code_exists() {
    let documented = documented();
    let returned = returned();
    let missing: Vec<_> = returned.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&returned).collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/errors.md: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/errors.md lists codes nothing returns: {stale:?}"
    );
}

#[test]
fn the_bindings_write_no_error_code() {
    // Issue 15: every code the bindings raise is declared once in the core.
    let root = Path::new(ROOT);
    for dir in ["bindings-python/src", "bindings-node/src"] {
        let mut found = BTreeSet::new();
        literals(&root.join(dir), &mut found);
        assert!(found.is_empty(), "{dir} defines error codes: {found:?}");
    }
}

#[test]
fn the_core_codes_are_all_found() {
    // The scan must see the core's codes and the bindings' own ones, or the test
    // above would pass vacuously.
    let returned = returned();
    for code in [
        "calendar.not_covered",
        "limits.too_deep",
        "workflow.invalid_event",
        "internal.panic",
        "cli.io",
    ] {
        assert!(returned.contains(code), "{code}");
    }
    assert!(is_code("limits.too_many"));
    assert!(!is_code("manifest.toml"));
    assert!(!is_code("registry."));
}
