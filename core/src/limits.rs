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
//! | [`MAX_LIST_ITEMS`] | 10,000 | items in each list of one department, resource or grant (`duties`, `roles`, `fields`, `open_fields`, `sensitivity`, `purposes`, `methods`, `approvals`) |
//! | [`MAX_GRANTS_PER_PAIR`] | 1,000 | grants of one department on one resource (including grants added later) |
//! | [`MAX_STRING_BYTES`] | 64 KiB | each id, name and other string of a registry |
//! | [`MAX_PACK_FILE_BYTES`] | 1 MiB | each file of a policy pack (manifest, schema, policies) |
//! | [`MAX_PACK_NESTING`] | 64 | nesting in a Cedar policy or schema file: each open `(`, `[`, `{` (and `<` in a schema) and each open `if` is a level |
//! | [`MAX_PACK_OPERATORS`] | 512 | operators (`&&`, `+`, `.`, `has`, …) in one Cedar policy: a chain of them nests without brackets |
//! | [`MAX_OVERRIDES_BYTES`] | 4 MiB | a calendar override file |
//!
//! Files are read with [`read_bounded`]: at most the limit plus one byte is ever
//! read, whatever the file claims to be (a FIFO, `/dev/zero`, a file that grows),
//! so an oversized file is `limits.too_large` after reading at most that much.
//!
//! Policy packs are scanned ([`check_pack_file`]) before Cedar sees them, and Cedar
//! then parses and validates them on a thread of its own with a
//! [`PARSE_STACK_BYTES`] (64 MiB) stack: Cedar's parser recurses once per level of
//! nesting, and the scan keeps that recursion far below what the stack holds.
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
/// The most items in each list of one registry entry: a department's `roles` and
/// `duties`, a resource's `fields`, `open_fields` and `sensitivity`, a grant's
/// `purposes`, `fields`, `methods` and `approvals`.
pub const MAX_LIST_ITEMS: usize = 10_000;
/// The most grants one department may hold on one resource, counting grants added
/// by the workflow.
pub const MAX_GRANTS_PER_PAIR: usize = 1_000;
/// The longest id, name or other string in a registry, in bytes: 64 KiB.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The largest file of a policy pack (manifest, schema, policy file), in bytes: 1 MiB.
pub const MAX_PACK_FILE_BYTES: usize = 1024 * 1024;
/// The deepest nesting in a Cedar policy or schema file of a pack: every open
/// bracket (`(`, `[`, `{`) and every `if` not yet closed counts one level.
pub const MAX_PACK_NESTING: usize = 64;
/// The most operators in one Cedar policy of a pack (`&&`, `||`, `==`, `<`, `+`,
/// `.`, `in`, `has`, …; see [`scan_pack_text`]). The Binzhou policies have at
/// most 34. A chain of operators is an expression as deep as it is long, and
/// Cedar drops and evaluates expressions recursively on the caller's thread: a
/// chain of 1,000 still fits a 128 KiB stack (debug build), 2,000 did not.
pub const MAX_PACK_OPERATORS: usize = 512;
/// The largest calendar override file, in bytes: 4 MiB.
pub const MAX_OVERRIDES_BYTES: usize = 4 * 1024 * 1024;
/// The stack of the thread that parses and validates policy packs: 64 MiB
/// (reserved address space; only the pages used are memory).
pub const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

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
    /// Arrays and objects nest deeper than [`MAX_DEPTH`], or a pack file nests
    /// deeper than [`MAX_PACK_NESTING`].
    #[error(
        "{what} nests {} {actual} levels deep, over the limit of {limit} (`limits::{name}`)",
        nesting_of(name)
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

crate::error::error_table! {
    impl LimitError {
        python: "`GovShareError`";
        TooLarge => "limits.too_large", {
            meaning: "the input is over its size limit (names the limit constant, the limit and the size); \
            not parsed. Files are read at most to their limit plus one byte, so a FIFO or \
            `/dev/zero` is this error too",
            from: "registry text/file, a request, an event, a command-line input line, a string in a \
            registry (`MAX_STRING_BYTES`, naming the entry and field), a policy pack file, a \
            calendar override file (`govshare::limits`)",
            rust: "`LimitError::TooLarge` (`Error::Limit`, or `RegistryError::Limit` from a registry, \
            `PolicyError::Limit` from a pack, `CalendarError::Limit` from an override file)",
            python: "`RegistryError` for a registry, else `GovShareError`",
        }
        TooMany => "limits.too_many", {
            meaning: "a registry has more departments, resources or grants than its count limit, a list of \
            one entry has more than `MAX_LIST_ITEMS` items, or a department holds more than \
            `MAX_GRANTS_PER_PAIR` grants on one resource (names the entry and the field); a \
            policy of a pack has more than `MAX_PACK_OPERATORS` operators (names the file and \
            the line)",
            from: "`Registry::from_doc` and everything that loads a registry; grants added by the \
            workflow; `PolicyPack::load`, `from_files`",
            rust: "`LimitError::TooMany` (inside `RegistryError::Limit`, or `PolicyError::Limit`)",
            python: "`RegistryError` for a registry, else `PolicyError`",
        }
        TooDeep => "limits.too_deep", {
            meaning: "arrays and objects nest deeper than `limits::MAX_DEPTH` (32), or a Cedar file of a \
            policy pack nests brackets and `if` expressions deeper than \
            `limits::MAX_PACK_NESTING` (64; names the file and the line)",
            from: "registry text, a request, an event: JSON text, and the dicts and objects passed to \
            the bindings (each binding reads a dict/object once, with the same depth count, and \
            stops at the limit: a deep or self-containing value of any container type never \
            overflows the stack); `PolicyPack::load`, `from_files`",
            rust: "`LimitError::TooDeep` (`Error::Limit`, or `RegistryError::Limit`, \
            `PolicyError::Limit`)",
            python: "`RegistryError` for a registry, else `GovShareError`",
        }
    }
}

/// What a depth limit counts, for [`LimitError::TooDeep`]'s message.
fn nesting_of(name: &str) -> &'static str {
    if name == "MAX_PACK_NESTING" {
        "brackets and `if` expressions"
    } else {
        "arrays and objects"
    }
}

/// At most 64 characters of `s` (an id quoted in an error message may itself be
/// over [`MAX_STRING_BYTES`]).
fn shown(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
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
/// [`MAX_DEPARTMENTS`], [`MAX_RESOURCES`] and [`MAX_GRANTS`], and every
/// department and resource against [`MAX_LIST_ITEMS`] and [`MAX_STRING_BYTES`].
/// (Grants are checked entry by entry by [`check_new_grants`] as they are added.)
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
    check_grants(doc.grants.len())?;
    for d in &doc.departments {
        let e = Entry::new("department", &d.id)?;
        e.string("name", &d.name)?;
        e.list("roles", d.roles.len())?;
        e.strings("duties", &d.duties)?;
        if let Some(region) = &d.region {
            e.string("region", region)?;
        }
        e.list("certificates", d.certificates.len())?;
        for c in &d.certificates {
            e.string("certificates.serial", &c.serial)?;
        }
    }
    for r in &doc.resources {
        let e = Entry::new("resource", &r.id)?;
        e.string("name", &r.name)?;
        e.string("provider", &r.provider)?;
        e.strings("fields", &r.fields)?;
        e.strings("open_fields", &r.open_fields)?;
        e.list("sensitivity", r.sensitivity.len())?;
        e.strings("sources", &r.sources)?;
        if let Some(b) = &r.legal_basis {
            e.string("legal_basis", b)?;
        }
        if let Some(c) = &r.conditions {
            e.string("conditions", c)?;
        }
        if let crate::registry::BasicCategory::Other(name) = r
            .basic_category
            .as_ref()
            .unwrap_or(&crate::registry::BasicCategory::Population)
        {
            e.string("basic_category", name)?;
        }
        if let Some(i) = &r.interface {
            e.string("interface.endpoint", &i.endpoint)?;
            e.string("interface.spec", &i.spec)?;
        }
    }
    Ok(())
}

/// Checks grants about to be added to a registry: each against
/// [`MAX_LIST_ITEMS`] and [`MAX_STRING_BYTES`], and every (department, resource)
/// pair against [`MAX_GRANTS_PER_PAIR`], counting the `existing` grants of the
/// pair (called once per distinct pair).
pub fn check_new_grants(
    grants: &[crate::registry::Grant],
    existing: impl Fn(&str, &str) -> usize,
) -> Result<(), LimitError> {
    let mut pairs: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for g in grants {
        let e = Entry::new("grant", &g.id)?;
        e.string("department", &g.department)?;
        e.string("resource", &g.resource)?;
        e.strings("purposes", &g.purposes)?;
        e.strings("fields", &g.fields)?;
        e.list("methods", g.methods.len())?;
        e.list("approvals", g.approvals.len())?;
        *pairs
            .entry((g.department.as_str(), g.resource.as_str()))
            .or_default() += 1;
    }
    for ((department, resource), n) in pairs {
        let total = n.saturating_add(existing(department, resource));
        check_count(
            &format!(
                "department `{}` on resource `{}`",
                shown(department),
                shown(resource)
            ),
            "grants",
            "MAX_GRANTS_PER_PAIR",
            MAX_GRANTS_PER_PAIR,
            total,
        )?;
    }
    Ok(())
}

/// One registry entry being checked, for error messages that name it and the field.
struct Entry<'a> {
    kind: &'static str,
    id: &'a str,
}

impl<'a> Entry<'a> {
    /// An entry, after checking its id's length (an error shows the id shortened).
    fn new(kind: &'static str, id: &'a str) -> Result<Self, LimitError> {
        let e = Self { kind, id };
        e.string("id", id)?;
        Ok(e)
    }

    fn what(&self, field: &str) -> String {
        format!("{} `{}` field `{field}`", self.kind, shown(self.id))
    }

    fn string(&self, field: &str, value: &str) -> Result<(), LimitError> {
        if value.len() > MAX_STRING_BYTES {
            return check_size(
                &self.what(field),
                "MAX_STRING_BYTES",
                MAX_STRING_BYTES,
                value.len(),
            );
        }
        Ok(())
    }

    fn list(&self, field: &str, len: usize) -> Result<(), LimitError> {
        if len > MAX_LIST_ITEMS {
            return check_count(
                &self.what(field),
                "items",
                "MAX_LIST_ITEMS",
                MAX_LIST_ITEMS,
                len,
            );
        }
        Ok(())
    }

    /// The list's length, then each of its strings.
    fn strings(&self, field: &str, values: &[String]) -> Result<(), LimitError> {
        self.list(field, values.len())?;
        for (i, v) in values.iter().enumerate() {
            self.string(&format!("{field}[{i}]"), v)?;
        }
        Ok(())
    }
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
    within_depth(what, json_depth(text))
}

/// [`LimitError::TooDeep`] for `what` when `actual` is over [`MAX_DEPTH`]: the
/// one check JSON text, JSON values and the bindings' values share.
pub(crate) fn within_depth(what: &str, actual: usize) -> Result<(), LimitError> {
    if actual > MAX_DEPTH {
        return Err(LimitError::too_deep(what, actual));
    }
    Ok(())
}

impl LimitError {
    /// `what` nests `actual` levels, over [`MAX_DEPTH`].
    pub(crate) fn too_deep(what: &str, actual: usize) -> Self {
        Self::TooDeep {
            what: what.to_owned(),
            name: "MAX_DEPTH",
            limit: MAX_DEPTH,
            actual,
        }
    }
}

/// The deepest nesting of arrays and objects in a JSON value (a scalar is 0),
/// counted without recursion, and not past `MAX_DEPTH + 1`: a value built in
/// memory (a binding's dict or object) gets the same limit as JSON text.
pub fn json_value_depth(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    let mut max = 0usize;
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        if !(v.is_array() || v.is_object()) {
            continue;
        }
        let depth = depth + 1;
        max = max.max(depth);
        if depth > MAX_DEPTH {
            break;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, depth))),
            Value::Object(map) => stack.extend(map.values().map(|c| (c, depth))),
            _ => {}
        }
    }
    max
}

/// Checks that a JSON value nests at most [`MAX_DEPTH`] levels (as
/// [`check_depth`] does for text); `what` names it in the error.
pub fn check_value_depth(what: &str, value: &serde_json::Value) -> Result<(), LimitError> {
    within_depth(what, json_value_depth(value))
}

/// Why [`read_bounded`] failed: the file could not be read, or it is over its limit.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read, or is not UTF-8.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file is over its size limit; at most the limit plus one byte was read.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

/// Reads the UTF-8 text of the file at `path`, at most `limit` bytes (`name` is the
/// limit's constant, `what` names the file in the error). Never reads more than
/// `limit + 1` bytes and never trusts the size the file claims: a FIFO, a device
/// like `/dev/zero` or a file that grows while it is read is over the limit once
/// `limit + 1` bytes have come. (A regular file that says it is larger is refused
/// before reading.)
pub fn read_bounded(
    path: &std::path::Path,
    what: &str,
    name: &'static str,
    limit: usize,
) -> Result<String, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut capacity = 0;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
    {
        let claimed = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        check_size(what, name, limit, claimed)?;
        capacity = claimed;
    }
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(LimitError::TooLarge {
            what: what.to_owned(),
            name,
            limit,
            actual: bytes.len(),
        }
        .into());
    }
    String::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 (byte {}): {e}", e.utf8_error().valid_up_to()),
        )
        .into()
    })
}

/// What [`scan_pack_text`] found in a Cedar policy or schema file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PackScan {
    /// The deepest nesting: open brackets and open `if`s.
    pub depth: usize,
    /// The 1-based line where the nesting first went past [`MAX_PACK_NESTING`].
    pub too_deep_at: Option<usize>,
    /// The most operators in one policy (0 for a schema).
    pub operators: usize,
    /// The 1-based line where the first policy with more than
    /// [`MAX_PACK_OPERATORS`] operators starts.
    pub too_many_at: Option<usize>,
}

/// Scans Cedar policy text (or, with `schema`, Cedar schema text) before it is
/// parsed: a byte scan that skips strings and `//` comments.
///
/// - Nesting: every open bracket (`(`, `[`, `{`, and in a schema `<`, as in
///   `Set<…>`) is a level, and so is every `if` until the bracket around it closes
///   or a `,` or `;` at its bracket level ends it (Cedar has no other way to end an
///   `if … then … else …` that nests in another).
/// - Operators (policies only), per policy (up to a `;` outside brackets): `&&`,
///   `||`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `.` and the words `in`,
///   `has`, `like`, `is`. A chain of `n` of them without brackets
///   (`1 + 1 + … + 1`, `a.b.c…`) is an expression `n` levels deep.
///
/// Unbalanced or malformed text gets numbers too; the parser reports what is
/// malformed.
pub fn scan_pack_text(text: &str, schema: bool) -> PackScan {
    let mut scan = Nesting {
        ifs: vec![0],
        depth: 0,
        line: 1,
        policy_ops: 0,
        policy_line: None,
        found: PackScan {
            depth: 0,
            too_deep_at: None,
            operators: 0,
            too_many_at: None,
        },
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        let next = bytes.get(i).copied();
        let comment = b == b'/' && next == Some(b'/');
        if scan.policy_line.is_none() && !b.is_ascii_whitespace() && b != b';' && !comment {
            scan.policy_line = Some(scan.line);
        }
        match b {
            b'\n' => scan.line += 1,
            b'"' => {
                // A string: up to the next unescaped quote.
                while let Some(&c) = bytes.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        b'\n' => scan.line += 1,
                        _ => {}
                    }
                }
            }
            b'/' if comment => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => scan.bracket(),
            b'<' if schema => scan.bracket(),
            b')' | b']' | b'}' => scan.close(),
            b'>' if schema => scan.close(),
            b',' => scan.end_ifs(),
            b';' => {
                scan.end_ifs();
                if scan.ifs.len() == 1 {
                    scan.end_policy();
                }
            }
            _ if schema => {}
            b'&' | b'|' | b'=' | b'<' | b'>' | b'!' => {
                // Two-character operators count once; a lone `!` is not one.
                let pair = next == Some(b) || next == Some(b'=');
                if pair {
                    i += 1;
                }
                if pair || b != b'!' {
                    scan.policy_ops += 1;
                }
            }
            b'+' | b'-' | b'*' | b'.' => scan.policy_ops += 1,
            b if is_ident(b) => {
                // A whole word (words start after a non-word byte, as here).
                let start = i - 1;
                while bytes.get(i).is_some_and(|&c| is_ident(c)) {
                    i += 1;
                }
                match bytes.get(start..i) {
                    Some(b"if") => {
                        if let Some(n) = scan.ifs.last_mut() {
                            *n += 1;
                        }
                        scan.open();
                    }
                    Some(b"in" | b"has" | b"like" | b"is") => scan.policy_ops += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    scan.end_policy();
    scan.found
}

/// The state of [`scan_pack_text`].
struct Nesting {
    /// Open `if`s per open bracket; the first entry is outside any bracket.
    ifs: Vec<usize>,
    depth: usize,
    line: usize,
    /// Operators in the current policy, and the line it starts on.
    policy_ops: usize,
    policy_line: Option<usize>,
    found: PackScan,
}

impl Nesting {
    /// An opening bracket.
    fn bracket(&mut self) {
        self.ifs.push(0);
        self.open();
    }

    /// A closing bracket: it closes the `if`s opened inside it, too.
    fn close(&mut self) {
        if self.ifs.len() > 1
            && let Some(n) = self.ifs.pop()
        {
            self.depth = self.depth.saturating_sub(n + 1);
        }
    }

    /// A `,` or `;`: the `if`s open at this bracket level are complete.
    fn end_ifs(&mut self) {
        if let Some(n) = self.ifs.last_mut() {
            self.depth = self.depth.saturating_sub(*n);
            *n = 0;
        }
    }

    /// One more level (a bracket or an `if`) at the current line.
    fn open(&mut self) {
        self.depth += 1;
        self.found.depth = self.found.depth.max(self.depth);
        if self.depth > MAX_PACK_NESTING && self.found.too_deep_at.is_none() {
            self.found.too_deep_at = Some(self.line);
        }
    }

    /// The end of a policy (a `;` outside brackets, or the end of the text).
    fn end_policy(&mut self) {
        let ops = std::mem::take(&mut self.policy_ops);
        let line = self.policy_line.take().unwrap_or(self.line);
        self.found.operators = self.found.operators.max(ops);
        if ops > MAX_PACK_OPERATORS && self.found.too_many_at.is_none() {
            self.found.too_many_at = Some(line);
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Checks one file of a policy pack before it is parsed: at most
/// [`MAX_PACK_FILE_BYTES`]; a Cedar file (`.cedar`, `.cedarschema`) nested at
/// most [`MAX_PACK_NESTING`] deep; a policy file with at most
/// [`MAX_PACK_OPERATORS`] operators in each policy. The error names the file
/// and, for nesting and operators, the line.
pub fn check_pack_file(name: &str, text: &str) -> Result<(), LimitError> {
    check_size(
        &format!("pack file `{name}`"),
        "MAX_PACK_FILE_BYTES",
        MAX_PACK_FILE_BYTES,
        text.len(),
    )?;
    let schema = name.ends_with(".cedarschema");
    if !schema && !name.ends_with(".cedar") {
        return Ok(());
    }
    let scan = scan_pack_text(text, schema);
    if let Some(line) = scan.too_deep_at {
        return Err(LimitError::TooDeep {
            what: format!("pack file `{name}` line {line}"),
            name: "MAX_PACK_NESTING",
            limit: MAX_PACK_NESTING,
            actual: scan.depth,
        });
    }
    if let Some(line) = scan.too_many_at {
        return Err(LimitError::TooMany {
            what: format!("pack file `{name}`: the policy at line {line}"),
            items: "operators",
            name: "MAX_PACK_OPERATORS",
            limit: MAX_PACK_OPERATORS,
            actual: scan.operators,
        });
    }
    Ok(())
}

/// Runs `f` on a new thread with a [`PARSE_STACK_BYTES`] stack and returns its
/// result (a panic in `f` goes on unwinding here). Cedar's parser recurses once per
/// level of nesting; this thread gives it room whatever the caller's stack
/// (Python, Node and test threads can be small). If no thread can be started, `f`
/// runs here.
pub(crate) fn on_parse_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let slot = std::sync::Mutex::new(Some(f));
    let take = || slot.lock().ok().and_then(|mut f| f.take());
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("govshare-parse".to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || take().map(|f| f()))
            .map(|handle| handle.join())
    });
    match spawned {
        Ok(Ok(Some(value))) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Ok(Ok(None)) | Err(_) => {
            #[expect(
                clippy::expect_used,
                reason = "only the thread takes `f`, and it did not start or did not take it"
            )]
            let f = take().expect("`f` is still here");
            f()
        }
    }
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
#[non_exhaustive]
pub enum LineError {
    /// Reading failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The line is over the limit; it was skipped up to its end.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The line is not UTF-8 (for instance GBK text); it was skipped, and the next
    /// line is read as usual.
    #[error("line {line} is not UTF-8 (invalid byte at byte {valid_up_to} of the line)")]
    InvalidUtf8 {
        /// The 1-based line.
        line: usize,
        /// The length of the valid UTF-8 prefix of the line.
        valid_up_to: usize,
    },
}

/// Lines of a reader, each at most `max` bytes: like [`BufRead::lines`], but a
/// longer line is skipped (never held in memory) and given as
/// [`LineError::Limit`], and the next line is read as usual. Line ends (`\n`,
/// `\r\n`) are removed. A line that is not UTF-8 is a [`LineError::InvalidUtf8`],
/// and, unlike [`BufRead::lines`], the lines after it are read as usual.
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
        let line = self.line;
        Some(String::from_utf8(buf).map_err(|e| LineError::InvalidUtf8 {
            line,
            valid_up_to: e.utf8_error().valid_up_to(),
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

    #[test]
    fn pack_nesting_counts_brackets_and_open_ifs() {
        let n = |t: &str| scan_pack_text(t, false).depth;
        assert_eq!(n("permit(principal, action, resource);"), 1);
        assert_eq!(n("permit(p, a, r) when { (context.x) };"), 2);
        // Strings and comments are skipped; `if` counts only as a word.
        assert_eq!(n(r#"permit(p,a,r) when { "((((\"((" }; // ((((("#), 1);
        assert_eq!(n("when { iff && elif && x.if2 }"), 1);
        // An else-if chain nests; a comma or a closing bracket ends the `if`s.
        assert_eq!(
            n("when { if a then b else if c then d else if e then f else g }"),
            4
        );
        assert_eq!(n("when { [if a then b else c, if d then e else f] }"), 3);
        assert_eq!(
            n("when { (if a then b else c) && (if d then e else f) }"),
            3
        );
        assert_eq!(
            n(
                "permit(p,a,r) when { if a then b else c };\nforbid(p,a,r) when { if a then b else c };"
            ),
            2
        );
        // Angle brackets only in schemas.
        assert_eq!(scan_pack_text("type A = Set<Set<Long>>;", true).depth, 2);
        assert_eq!(n("when { 1 < 2 && 3 > 2 }"), 1);
        // The line where the limit was first passed.
        let deep = format!("a\n(\n{}\n)))(((", "(".repeat(MAX_PACK_NESTING));
        let scan = scan_pack_text(&deep, false);
        assert_eq!(
            (scan.depth, scan.too_deep_at),
            (MAX_PACK_NESTING + 1, Some(3))
        );
        let ok = "(".repeat(MAX_PACK_NESTING);
        assert_eq!(scan_pack_text(&ok, false).too_deep_at, None);
        // Unbalanced closers do not underflow.
        assert_eq!(n(")))}}]]((("), 3);
    }

    #[test]
    fn pack_operators_are_counted_per_policy() {
        let ops = |t: &str| scan_pack_text(t, false).operators;
        assert_eq!(ops("permit(p, a, r) when { a.b && c != d || !e };"), 4);
        assert_eq!(
            ops("when { 1 + 2 - 3 * 4 <= 5 && x >= y && x < y && x > y && x == y };"),
            12
        );
        assert_eq!(
            ops("when { a in b && a has c && a like \"*\" && a is B };"),
            7
        );
        // Strings, comments and `::` are not operators; each policy counts alone.
        assert_eq!(
            ops("// a.b.c\npermit(p, action == Gov::Action::\"a.b\", r);"),
            1
        );
        assert_eq!(ops("when { a.b.c };\nwhen { a.b };"), 2);
        assert_eq!(
            scan_pack_text("entity A { a: Long, b: Set<A> };", true).operators,
            0
        );
        // The first policy over the limit, by the line it starts on (after comments).
        let chain = "1".to_owned() + &" + 1".repeat(MAX_PACK_OPERATORS + 1);
        let text =
            format!("permit(p,a,r);\n// c\n@id(\"x\")\npermit(p,a,r) when {{ {chain} == 2 }};");
        let scan = scan_pack_text(&text, false);
        assert_eq!(
            (scan.operators, scan.too_many_at),
            (MAX_PACK_OPERATORS + 2, Some(3))
        );
        let err = check_pack_file("x.cedar", &text).unwrap_err();
        assert_eq!(err.code(), "limits.too_many");
        let msg = err.to_string();
        assert!(
            msg.contains("`x.cedar`: the policy at line 3 has 514 operators")
                && msg.contains("MAX_PACK_OPERATORS"),
            "{msg}"
        );
    }

    #[test]
    fn pack_files_are_checked_by_kind() {
        let deep = format!(
            "permit(p,a,r) when {{ {}true{} }};",
            "(".repeat(65),
            ")".repeat(65)
        );
        let err = check_pack_file("x.cedar", &deep).unwrap_err();
        assert_eq!(err.code(), "limits.too_deep");
        let msg = err.to_string();
        assert!(
            msg.contains("pack file `x.cedar` line 1") && msg.contains("66 levels"),
            "{msg}"
        );
        assert!(
            msg.contains("brackets and `if` expressions") && msg.contains("MAX_PACK_NESTING"),
            "{msg}"
        );
        // The manifest is TOML: only its size is checked here.
        assert!(check_pack_file("manifest.toml", &deep).is_ok());
        let big = "#".repeat(MAX_PACK_FILE_BYTES + 1);
        let err = check_pack_file("manifest.toml", &big).unwrap_err();
        assert_eq!(err.code(), "limits.too_large");
        assert!(err.to_string().contains("MAX_PACK_FILE_BYTES"), "{err}");
        let schema = format!(
            "entity A {{ a: {}Long{} }};",
            "Set<".repeat(64),
            ">".repeat(64)
        );
        assert_eq!(
            check_pack_file("s.cedarschema", &schema)
                .unwrap_err()
                .code(),
            "limits.too_deep"
        );
    }

    #[test]
    fn parse_stack_runs_on_its_own_thread_and_passes_panics_on() {
        let main = std::thread::current().id();
        let (id, name) = on_parse_stack(|| {
            let t = std::thread::current();
            (t.id(), t.name().map(str::to_owned))
        });
        assert_ne!(id, main);
        assert_eq!(name.as_deref(), Some("govshare-parse"));
        let caught = std::panic::catch_unwind(|| on_parse_stack(|| -> u8 { panic!("boom") }));
        assert!(caught.is_err());
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
        // A line that is not UTF-8 (GBK) is that line's error; reading goes on.
        let got = lines(b"ok\n\xc4\xe3\xba\xc3\nafter\n", 100);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], Ok("ok".to_owned()));
        let e = got[1].as_ref().unwrap_err();
        assert!(e.contains("line 2") && e.contains("not UTF-8"), "{e}");
        assert_eq!(got[2], Ok("after".to_owned()));
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
