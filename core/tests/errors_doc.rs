//! `docs/errors.md` is generated from the error tables (`govshare::error::catalog`),
//! and no error code is written anywhere else.
//!
//! Every code is declared once, in the table of its error enum; the tables make
//! `code()`, the code lists and the rows of `docs/errors.md`. This test renders the
//! rows and compares them with the file; `GOVSHARE_BLESS=1 cargo test -p govshare
//! --test errors_doc` rewrites the file instead. The bindings' and the command
//! line's sources must hold no code literal at all: they take their codes from the
//! tables too.
#![expect(clippy::unwrap_used, reason = "test code")]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use govshare::error::{Section, catalog};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Where the generated part of `docs/errors.md` begins.
const MARKER: &str = "<!-- Generated from the error tables (govshare::error::catalog) by \
core/tests/errors_doc.rs: edit the tables, then run `GOVSHARE_BLESS=1 cargo test -p govshare \
--test errors_doc`. -->";

/// The text of each section before its table.
fn preamble(section: Section) -> &'static str {
    match section {
        Section::Core => "## Core (Rust, and through the bindings and the command line)\n",
        Section::Bindings => {
            "## Bindings (Python and Node only)\n\n\
             The bindings declare no code of their own: each is an `InputErrorKind` of the core\n\
             (`govshare::error::InputError`, carried as `govshare::Error::Input`), whose table is\n\
             the one place these strings are written, so Python and Node cannot drift apart.\n\
             `policy.invalid_request` is listed under the core: the bindings give it too.\n"
        }
        Section::CommandLine => {
            "## Command line only (`govshare`, feature `cli`)\n\n\
             Declared as `govshare::error::CommandErrorKind`; Python and Node never see them.\n"
        }
        _ => "## Other\n",
    }
}

/// The text after a section's table.
fn postscript(section: Section) -> &'static str {
    match section {
        Section::Core => {
            "\nThe limits themselves are in `core/src/limits.rs` (and in the README).\n"
        }
        _ => "",
    }
}

/// The generated part of `docs/errors.md`: one table per section, each code once.
fn generated() -> String {
    let mut out = String::from(MARKER);
    out.push('\n');
    let mut seen = BTreeSet::new();
    let mut current = None;
    for (section, row) in catalog() {
        if current != Some(section) {
            if let Some(previous) = current {
                out.push_str(postscript(previous));
            }
            current = Some(section);
            out.push('\n');
            out.push_str(preamble(section));
            out.push_str("\n| code | meaning | where it comes from | Rust | Python | Node |\n");
            out.push_str("|---|---|---|---|---|---|\n");
        }
        if !seen.insert(row.code) {
            continue;
        }
        let node = if section == Section::CommandLine {
            "—"
        } else {
            "`error.code`"
        };
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {node} |",
            row.code, row.meaning, row.from, row.rust, row.python
        )
        .unwrap();
    }
    if let Some(previous) = current {
        out.push_str(postscript(previous));
    }
    out
}

#[test]
fn docs_errors_md_is_the_generated_table() {
    let path = Path::new(ROOT).join("docs/errors.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(MARKER)
        .expect("docs/errors.md lacks the generated-part marker");
    let (written, found) = text.split_at(at);
    let want = generated();
    if std::env::var_os("GOVSHARE_BLESS").is_some() {
        std::fs::write(&path, format!("{written}{want}")).unwrap();
        return;
    }
    assert!(
        found == want,
        "docs/errors.md is not the generated table: run \
         `GOVSHARE_BLESS=1 cargo test -p govshare --test errors_doc` and commit it"
    );
}

#[test]
fn every_code_is_in_the_docs() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("docs/errors.md")).unwrap();
    for code in govshare::Error::codes() {
        assert!(text.contains(&format!("| `{code}` |")), "{code}");
    }
}

/// Module prefixes of error codes.
const PREFIXES: &[&str] = &[
    "calendar", "registry", "policy", "workflow", "limits", "input", "internal", "cli", "request",
    "usage",
];

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

#[test]
fn the_bindings_and_the_command_line_write_no_error_code() {
    // Issue 15: every code is declared once, in the core's tables.
    let root = Path::new(ROOT);
    for dir in ["bindings-python/src", "bindings-node/src", "core/src/bin"] {
        let mut found = BTreeSet::new();
        literals(&root.join(dir), &mut found);
        assert!(found.is_empty(), "{dir} defines error codes: {found:?}");
    }
}

#[test]
fn the_literal_scan_sees_codes() {
    // The scan must find a code where there is one, or the test above would
    // pass vacuously.
    let dir = std::env::temp_dir().join(format!("govshare-errors-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.rs"), "fn f() -> &'static str { \"cli.io\" }").unwrap();
    let mut found = BTreeSet::new();
    literals(&dir, &mut found);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["cli.io"]);
    assert!(is_code("limits.too_many"));
    assert!(!is_code("manifest.toml"));
    assert!(!is_code("registry."));
}
