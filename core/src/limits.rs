//! Input limits: how much JSON govshare reads, and what happens past that.
//!
//! Everything that enters as JSON (a registry, an access request, an event, a line of
//! the command line's input) is checked against the limits below **before** it is
//! parsed, with a cheap byte scan: over a limit is an error with a stable code
//! ([`LimitError::code`]: `limits.too_large`, `limits.too_many`, `limits.too_deep`)
//! that names the limit and the value found, never memory exhaustion or a stack
//! overflow.
//!
//! | limit | value | applies to |
//! |---|---|---|
//! | [`MAX_REGISTRY_BYTES`] | 256 MiB | registry JSON text or file |
//! | [`MAX_DEPARTMENTS`] | 100,000 | departments in a registry |
//! | [`MAX_RESOURCES`] | 1,000,000 | catalog entries in a registry |
//! | [`MAX_GRANTS`] | 2,000,000 | grants in a registry (including grants added later) |
//! | [`MAX_REQUEST_BYTES`] | 1 MiB | one access request |
//! | [`MAX_EVENT_BYTES`] | 1 MiB | one event |
//! | [`MAX_LINE_BYTES`] | 1 MiB | one line of the command line's JSON-lines input |
//! | [`MAX_DEPTH`] | 32 | nesting of arrays and objects in any JSON input |
//!
//! The SPEC §8 formats nest at most 4 levels deep (registry → `departments` →
//! department → `certificate`), so [`MAX_DEPTH`] only stops hostile input.
//! `serde_json` has its own recursion limit of 128 levels in `from_str` (past it
//! the parse fails with "recursion limit exceeded"), which already prevents a stack
//! overflow while parsing text; the depth check here turns that into the stable
//! `limits.too_deep` and also runs before any memory is allocated. Values built
//! elsewhere (a Python dict, a JavaScript object) do not pass through `from_str`:
//! the bindings check them at their conversion point.
//!
//! ```
//! use govshare::limits::{self, Input};
//!
//! let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
//! let err = limits::from_json_str::<serde_json::Value>(&deep, Input::Request).unwrap_err();
//! assert_eq!(err.limit().map(|l| l.code()), Some("limits.too_deep"));
//! assert!(err.to_string().contains("MAX_DEPTH"));
//! ```

use std::io::BufRead;

use serde::de::DeserializeOwned;

/// The largest registry JSON text (or file) read, in bytes: 256 MiB.
pub const MAX_REGISTRY_BYTES: usize = 256 * 1024 * 1024;
/// The most departments a registry may have.
pub const MAX_DEPARTMENTS: usize = 100_000;
/// The most catalog entries (resources) a registry may have.
pub const MAX_RESOURCES: usize = 1_000_000;
/// The most grants a registry may have, counting grants added by the workflow.
pub const MAX_GRANTS: usize = 2_000_000;
/// The largest access request JSON, in bytes: 1 MiB.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// The largest event JSON, in bytes: 1 MiB.
pub const MAX_EVENT_BYTES: usize = 1024 * 1024;
/// The longest line of JSON-lines input the command line reads, in bytes: 1 MiB.
/// A longer line is skipped (without being held in memory) and reported.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// The deepest nesting of arrays and objects accepted in JSON input.
pub const MAX_DEPTH: usize = 32;

/// Input over one of the limits of this module. Nothing was parsed or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// The input is larger than its size limit.
    #[error("{what} is {actual} bytes, over the limit of {limit} bytes (`limits::{name}`)")]
    TooLarge {
        /// What was read: `registry`, `request`, `event`, `line 3`.
        what: String,
        /// The limit's constant in this module, e.g. `MAX_EVENT_BYTES`.
        name: &'static str,
        /// The limit.
        limit: usize,
        /// The size found (for a line, at least this).
        actual: usize,
    },
    /// A collection has more items than its count limit.
    #[error("{what} has {actual} {items}, over the limit of {limit} (`limits::{name}`)")]
    TooMany {
        /// What was read, e.g. `registry`.
        what: String,
        /// The items counted: `departments`, `resources`, `grants`.
        items: &'static str,
        /// The limit's constant in this module, e.g. `MAX_GRANTS`.
        name: &'static str,
        /// The limit.
        limit: usize,
        /// The count found.
        actual: usize,
    },
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    #[error(
        "{what} nests arrays and objects {actual} levels deep, over the limit of {limit} (`limits::{name}`)"
    )]
    TooDeep {
        /// What was read.
        what: String,
        /// The limit's constant in this module: `MAX_DEPTH`.
        name: &'static str,
        /// The limit.
        limit: usize,
        /// The deepest nesting found.
        actual: usize,
    },
}

impl LimitError {
    /// Every code [`LimitError::code`] can return.
    pub const CODES: &'static [&'static str] =
        &["limits.too_large", "limits.too_many", "limits.too_deep"];

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "limits.too_large",
            Self::TooMany { .. } => "limits.too_many",
            Self::TooDeep { .. } => "limits.too_deep",
        }
    }
}

/// Checks that `text` is at most `limit` bytes (`name` is the limit's constant).
pub fn check_size(
    what: &str,
    name: &'static str,
    limit: usize,
    actual: usize,
) -> Result<(), LimitError> {
    if actual > limit {
        return Err(LimitError::TooLarge {
            what: what.to_owned(),
            name,
            limit,
            actual,
        });
    }
    Ok(())
}

/// Checks that a collection of `actual` `items` is within `limit`.
pub fn check_count(
    what: &str,
    items: &'static str,
    name: &'static str,
    limit: usize,
    actual: usize,
) -> Result<(), LimitError> {
    if actual > limit {
        return Err(LimitError::TooMany {
            what: what.to_owned(),
            items,
            name,
            limit,
            actual,
        });
    }
    Ok(())
}

/// Checks a registry document's departments, resources and grants against
/// [`MAX_DEPARTMENTS`], [`MAX_RESOURCES`] and [`MAX_GRANTS`].
pub fn check_registry(doc: &crate::registry::RegistryDoc) -> Result<(), LimitError> {
    check_count(
        "registry",
        "departments",
        "MAX_DEPARTMENTS",
        MAX_DEPARTMENTS,
        doc.departments.len(),
    )?;
    check_count(
        "registry",
        "resources",
        "MAX_RESOURCES",
        MAX_RESOURCES,
        doc.resources.len(),
    )?;
    check_grants(doc.grants.len())
}

/// Checks a registry's total number of grants against [`MAX_GRANTS`].
pub fn check_grants(total: usize) -> Result<(), LimitError> {
    check_count("registry", "grants", "MAX_GRANTS", MAX_GRANTS, total)
}

/// The deepest nesting of arrays and objects in JSON `text`, by a byte scan that
/// skips strings (and their escapes). Malformed JSON gets a number too; the parser
/// reports what is malformed.
pub fn json_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Checks that JSON `text` nests at most [`MAX_DEPTH`] levels.
pub fn check_depth(what: &str, text: &str) -> Result<(), LimitError> {
    let actual = json_depth(text);
    if actual > MAX_DEPTH {
        return Err(LimitError::TooDeep {
            what: what.to_owned(),
            name: "MAX_DEPTH",
            limit: MAX_DEPTH,
            actual,
        });
    }
    Ok(())
}

/// A kind of JSON input, with its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// A registry ([`MAX_REGISTRY_BYTES`]).
    Registry,
    /// An access request ([`MAX_REQUEST_BYTES`]).
    Request,
    /// An event ([`MAX_EVENT_BYTES`]).
    Event,
}

impl Input {
    /// The name used in error messages: `registry`, `request`, `event`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::Request => "request",
            Self::Event => "event",
        }
    }

    /// The size limit in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            Self::Registry => MAX_REGISTRY_BYTES,
            Self::Request => MAX_REQUEST_BYTES,
            Self::Event => MAX_EVENT_BYTES,
        }
    }

    /// The name of the size limit's constant, e.g. `MAX_EVENT_BYTES`.
    pub fn limit_name(self) -> &'static str {
        match self {
            Self::Registry => "MAX_REGISTRY_BYTES",
            Self::Request => "MAX_REQUEST_BYTES",
            Self::Event => "MAX_EVENT_BYTES",
        }
    }
}

/// Why [`from_json_str`] failed: a limit, or the JSON itself.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// The text is over a limit; it was not parsed.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The text is not valid JSON for the type (serde's message names the field
    /// and the position).
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl JsonError {
    /// The limit that was exceeded, if that was the failure.
    pub fn limit(&self) -> Option<&LimitError> {
        match self {
            Self::Limit(l) => Some(l),
            Self::Json(_) => None,
        }
    }
}

/// Parses `text` as `T` with serde, after checking that it is within the size
/// limit of `what` and nests at most [`MAX_DEPTH`] levels.
pub fn from_json_str<T: DeserializeOwned>(text: &str, what: Input) -> Result<T, JsonError> {
    check_size(what.name(), what.limit_name(), what.max_bytes(), text.len())?;
    check_depth(what.name(), text)?;
    Ok(serde_json::from_str(text)?)
}

/// A line that [`BoundedLines`] could not give.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// Reading failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The line is over the limit; it was skipped up to its end.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

/// Lines of a reader, each at most `max` bytes: like [`BufRead::lines`], but a
/// longer line is skipped (never held in memory) and given as
/// [`LineError::Limit`], and the next line is read as usual. Line ends (`\n`,
/// `\r\n`) are removed. Invalid UTF-8 is an [`std::io::ErrorKind::InvalidData`]
/// error, as with [`BufRead::lines`].
#[derive(Debug)]
pub struct BoundedLines<R> {
    reader: R,
    max: usize,
    line: usize,
}

impl<R: BufRead> BoundedLines<R> {
    /// Lines of `reader`, at most `max` bytes each (e.g. [`MAX_LINE_BYTES`]).
    pub fn new(reader: R, max: usize) -> Self {
        Self {
            reader,
            max,
            line: 0,
        }
    }
}

impl<R: BufRead> Iterator for BoundedLines<R> {
    type Item = Result<String, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Keeps at most `max + 2` bytes (the content and its line end); counts the rest.
        let keep = self.max.saturating_add(2);
        let mut buf = Vec::new();
        let mut total = 0usize;
        let mut last = None;
        let mut found_end = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e.into())),
            };
            if chunk.is_empty() {
                break;
            }
            let (content, take) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, i + 1),
                None => (chunk.len(), chunk.len()),
            };
            let part = chunk.get(..content).unwrap_or_default();
            if let Some(&b) = part.last() {
                last = Some(b);
            }
            total += content;
            if buf.len() < keep {
                let room = keep - buf.len();
                buf.extend_from_slice(part.get(..room.min(part.len())).unwrap_or_default());
            }
            found_end = take > content;
            self.reader.consume(take);
            if found_end {
                break;
            }
        }
        if total == 0 && !found_end {
            return None;
        }
        self.line += 1;
        if found_end && last == Some(b'\r') {
            total -= 1;
        }
        if total > self.max {
            return Some(Err(LimitError::TooLarge {
                what: format!("line {}", self.line),
                name: "MAX_LINE_BYTES",
                limit: self.max,
                actual: total,
            }
            .into()));
        }
        buf.truncate(total);
        Some(String::from_utf8(buf).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: {e}", self.line),
            )
            .into()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_skips_strings_and_escapes() {
        assert_eq!(json_depth(r#"{"a": "[[[{{{", "b": [1, {"c": "\"["}]}"#), 3);
        assert_eq!(json_depth("1"), 0);
        assert_eq!(json_depth(&"[".repeat(1000)), 1000);
    }

    #[test]
    fn from_json_str_checks_size_then_depth_then_parses() {
        let big = format!("[{}1]", "1,".repeat(MAX_EVENT_BYTES / 2));
        let err = from_json_str::<serde_json::Value>(&big, Input::Event).unwrap_err();
        let limit = err.limit().unwrap();
        assert_eq!(limit.code(), "limits.too_large");
        assert!(
            err.to_string().contains(&format!("{} bytes", big.len())),
            "{err}"
        );
        assert!(err.to_string().contains("MAX_EVENT_BYTES"), "{err}");
        assert!(from_json_str::<serde_json::Value>(&big, Input::Registry).is_ok());

        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = from_json_str::<serde_json::Value>(&deep, Input::Event).unwrap_err();
        assert_eq!(err.limit().unwrap().code(), "limits.too_deep");
        assert!(err.to_string().contains("33 levels"), "{err}");
        assert!(err.to_string().contains("MAX_DEPTH"), "{err}");

        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(from_json_str::<serde_json::Value>(&ok, Input::Event).is_ok());

        let err = from_json_str::<serde_json::Value>("[1,", Input::Event).unwrap_err();
        assert!(err.limit().is_none());
    }

    #[test]
    fn million_deep_is_an_error_not_an_overflow() {
        let deep = "[".repeat(1_000_000);
        let err = from_json_str::<serde_json::Value>(&deep, Input::Registry).unwrap_err();
        assert_eq!(err.limit().unwrap().code(), "limits.too_deep");
    }

    #[test]
    fn codes_lists_every_variant() {
        let all = [
            check_size("x", "N", 1, 2).unwrap_err(),
            check_count("x", "grants", "N", 1, 2).unwrap_err(),
            check_depth("x", &"[".repeat(MAX_DEPTH + 1)).unwrap_err(),
        ];
        let codes: Vec<_> = all.iter().map(LimitError::code).collect();
        assert_eq!(codes, LimitError::CODES);
    }

    fn lines(text: &[u8], max: usize) -> Vec<Result<String, String>> {
        // A tiny buffer so that lines span several fill_buf calls.
        let reader = std::io::BufReader::with_capacity(4, text);
        BoundedLines::new(reader, max)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn bounded_lines_skip_long_lines_and_keep_counting() {
        let got = lines(b"ab\r\n0123456789\n\nxyz", 5);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], Ok("ab".to_owned()));
        let e = got[1].as_ref().unwrap_err();
        assert!(e.contains("line 2") && e.contains("10 bytes"), "{e}");
        assert_eq!(got[2], Ok(String::new()));
        assert_eq!(got[3], Ok("xyz".to_owned()));
        assert_eq!(lines(b"", 5), Vec::<Result<String, String>>::new());
        assert_eq!(lines(b"12345\n", 5), vec![Ok("12345".to_owned())]);
        // Agrees with BufRead::lines on ordinary input.
        let text = b"a\nb\r\n\nc\n";
        let std: Vec<_> = std::io::BufRead::lines(&text[..])
            .map(|l| Ok(l.unwrap()))
            .collect();
        assert_eq!(lines(text, 100), std);
    }

    #[test]
    fn bounded_lines_do_not_hold_a_huge_line() {
        let huge = vec![b'x'; 50 * 1024 * 1024];
        let mut it = BoundedLines::new(std::io::BufReader::new(&huge[..]), MAX_LINE_BYTES);
        let e = it.next().unwrap().unwrap_err();
        assert!(
            matches!(e, LineError::Limit(LimitError::TooLarge { actual, .. }) if actual == huge.len())
        );
        assert!(it.next().is_none());
    }
}
