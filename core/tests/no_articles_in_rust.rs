//! SPEC §7, issue 13: packs are the law, Rust is the machine. No article number
//! of a regulation appears in a string of `core/src` outside tests: the articles,
//! their texts and the rules that cite them come from the pack (`manifest.toml`,
//! `findings.toml`, the Cedar annotations).
//!
//! What it reads: every string literal of every `.rs` file under `core/src`,
//! up to the file's `#[cfg(test)]` module; comment lines are not code and are
//! skipped (they explain the reading and may cite it). (The test oracle,
//! `props.rs`, lives in the test crate.) A string is an article number when it is
//! a citation on its own (`"17"`, `"30(5)"`, `"21¶2"`) or names one
//! (`Art. 17`, `Article 17`, `第十七條`).
#![expect(
    clippy::unwrap_used,
    reason = "a test: unreadable sources are a failure"
)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of a line (a plain scan: `"…"` with `\"` escapes).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut lit = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        lit.push('\\');
                        lit.push(next);
                    }
                }
                '"' => break,
                _ => lit.push(c),
            }
        }
        out.push(lit);
    }
    out
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `N`, `N(i)`, `N¶p`, `N¶p(i)` with N of at most two digits (a count like
/// `"365"` is not an article of these regulations).
fn is_citation(s: &str) -> bool {
    let (head, item) = match s.split_once('(') {
        None => (s, None),
        Some((h, rest)) => match rest.strip_suffix(')') {
            Some(i) => (h, Some(i)),
            None => return false,
        },
    };
    if item.is_some_and(|i| !digits(i)) {
        return false;
    }
    let article = head
        .split_once('¶')
        .map_or(head, |(a, p)| if digits(p) { a } else { "" });
    digits(article) && article.len() <= 2
}

fn names_an_article(s: &str) -> bool {
    let numbered = |prefix: &str| {
        s.match_indices(prefix).any(|(i, _)| {
            s[i + prefix.len()..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
    };
    let chinese = s.match_indices('第').any(|(i, _)| {
        let rest = &s[i + '第'.len_utf8()..];
        let n = rest
            .chars()
            .take_while(|c| "一二三四五六七八九十百〇零".contains(*c))
            .count();
        n > 0 && rest.chars().nth(n) == Some('條')
    });
    numbered("Art.") || numbered("Article ") || chinese
}

#[test]
fn no_article_number_in_core_src_outside_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 20, "{} files", files.len());
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim() == "#[cfg(test)]" {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            for lit in literals(line) {
                if is_citation(&lit) || names_an_article(&lit) {
                    found.push(format!("{}:{}: \"{lit}\"", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "article numbers in Rust (move them to the pack):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    for yes in [
        "17",
        "30(5)",
        "21¶2",
        "4(2)",
        "Art. 17: x",
        "(Art. 26)",
        "第二十條",
        "Article 3",
    ] {
        assert!(is_citation(yes) || names_an_article(yes), "{yes}");
    }
    for no in ["", "x", "365", "v1", "Art.", "第一次", "2019-10-10", "{n}"] {
        assert!(!is_citation(no) && !names_an_article(no), "{no}");
    }
    assert_eq!(literals(r#"f("a", "b\"c")"#), ["a", r#"b\"c"#]);
}
