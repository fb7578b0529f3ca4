//! The shared test vectors (`tests/vectors/*.json`, format in
//! `tests/vectors/README.md`) and their Rust runner.
//!
//! Every case is run against the Rust API; the Python and Node runners
//! (`bindings-python/tests/test_vectors.py`, `bindings-node/__test__/vectors.test.mjs`)
//! run the same files against the bindings. Unknown fields anywhere in a vector
//! file are an error naming the file and the case.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use govshare::calendar::WorkCalendar;
use govshare::policy::{AccessRequest, DecideOptions, Decision, Effect, Engine, PolicyPack, Route};
use govshare::registry::Registry;
use serde::Deserialize;
use serde_json::Value;

mod kinds;
pub mod props;

/// One vector file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// What the file covers.
    pub description: String,
    /// The registry the cases run against: a name (`"sample"` is
    /// `policies/binzhou/sample/registry.json`, `"national"`
    /// `policies/national-2025/sample/registry.json`) or an inline SPEC §8 registry.
    pub registry: RegistryRef,
    /// The packs of the engine, by built-in name, in any order (SPEC v2 §7: a
    /// timeline when there are several); absent: `["binzhou"]`.
    #[serde(default)]
    pub packs: Option<Vec<String>>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// A registry by name or inline.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RegistryRef {
    /// `"sample"`: `policies/binzhou/sample/registry.json`.
    Named(String),
    /// An inline SPEC §8 registry document.
    Inline(Value),
}

/// What a case exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An access decision (SPEC §2).
    Decide,
    /// Art. 13: may a department require a submission?
    Submission,
    /// Art. 22: may a department publish a resource as open data?
    OpenData,
    /// A due date in working days (SPEC §3).
    Deadline,
    /// Whether a date is a working day (SPEC §3).
    IsWorkday,
    /// Working days in `(from, to]` (SPEC §3).
    WorkdaysBetween,
    /// Loading a registry: structure, ids, references (SPEC §6, §8).
    Registry,
    /// Catalog validation findings (SPEC §6).
    Validate,
    /// An event log to application and obligation states (SPEC §4).
    Applications,
    /// An event log and `as_of` to violations (SPEC §5).
    Audit,
    /// A question line (SPEC v2 §8): Art. 13, Art. 22 or Art. 20.
    Question,
    /// The provider's usage report over an event log (SPEC v2 §4, Art. 27).
    Usage,
}

impl Kind {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Decide => "decide",
            Self::Submission => "submission",
            Self::OpenData => "open_data",
            Self::Deadline => "deadline",
            Self::IsWorkday => "is_workday",
            Self::WorkdaysBetween => "workdays_between",
            Self::Registry => "registry",
            Self::Validate => "validate",
            Self::Applications => "applications",
            Self::Audit => "audit",
            Self::Question => "question",
            Self::Usage => "usage",
        }
    }
}

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique within its file.
    pub id: String,
    /// What it exercises.
    pub kind: Kind,
    /// The SPEC section and articles the expected answer follows.
    pub rule: String,
    /// Free text: why the answer is what it is.
    #[serde(default)]
    pub note: Option<String>,
    /// Set when the library is known to disagree with the SPEC on this case:
    /// the case still says what the SPEC says; the runner reports it as a known
    /// bug (and fails when the bug is fixed, so that the note goes).
    #[serde(default)]
    pub known_bug: Option<String>,
    /// The inputs (per kind).
    pub input: Value,
    /// The expected outputs (per kind; only the fields given are checked).
    pub expect: Value,
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// As expected.
    Pass,
    /// Not as expected: what differs.
    Fail(String),
    /// Not run, and why.
    Skip(String),
}

/// One case's result.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The file name.
    pub file: String,
    /// The case id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The known-bug note, if any.
    pub known_bug: Option<String>,
    /// What happened.
    pub outcome: Outcome,
}

/// The results of every file.
#[derive(Debug, Default)]
pub struct Report {
    /// Every case, in file order.
    pub results: Vec<CaseResult>,
    /// Files that could not be read or parsed, with the error.
    pub broken_files: Vec<(String, String)>,
}

impl Report {
    /// Cases that fail without a known-bug note, or pass with one (the note is stale).
    pub fn failures(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .broken_files
            .iter()
            .map(|(f, e)| format!("{f}: {e}"))
            .collect();
        for r in &self.results {
            match (&r.outcome, &r.known_bug) {
                (Outcome::Fail(diff), None) => {
                    out.push(format!(
                        "{} case `{}` ({}): {diff}",
                        r.file,
                        r.id,
                        r.kind.name()
                    ));
                }
                (Outcome::Pass, Some(_)) => out.push(format!(
                    "{} case `{}`: passes but carries `known_bug`: remove the note",
                    r.file, r.id
                )),
                _ => {}
            }
        }
        out
    }

    /// Cases that fail as their `known_bug` note says.
    pub fn known_bugs(&self) -> Vec<String> {
        self.results
            .iter()
            .filter_map(|r| match (&r.outcome, &r.known_bug) {
                (Outcome::Fail(diff), Some(note)) => Some(format!(
                    "{} case `{}`: {note}\n      difference: {diff}",
                    r.file, r.id
                )),
                _ => None,
            })
            .collect()
    }

    /// Skipped cases, with the reason.
    pub fn skipped(&self) -> Vec<String> {
        self.results
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Skip(why) => Some(format!("{} case `{}`: {why}", r.file, r.id)),
                _ => None,
            })
            .collect()
    }

    /// Counts per kind: `(kind, total, passed)`.
    pub fn counts(&self) -> Vec<(&'static str, usize, usize)> {
        let mut kinds: Vec<&'static str> = self.results.iter().map(|r| r.kind.name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        kinds
            .into_iter()
            .map(|k| {
                let of_kind = self.results.iter().filter(|r| r.kind.name() == k);
                let total = of_kind.clone().count();
                let passed = of_kind.filter(|r| r.outcome == Outcome::Pass).count();
                (k, total, passed)
            })
            .collect()
    }

    /// A human summary.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        for (k, total, passed) in self.counts() {
            let _ = writeln!(s, "  {k:<18} {total:>4} cases, {passed:>4} passed");
        }
        let _ = writeln!(s, "  {:<18} {:>4} cases", "total", self.results.len());
        s
    }
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// The vector directory.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The JSON of a named registry.
fn named_registry(name: &str) -> Result<String, String> {
    let path = match name {
        "sample" => workspace_root().join("policies/binzhou/sample/registry.json"),
        "national" => workspace_root().join("policies/national-2025/sample/registry.json"),
        other => {
            return Err(format!(
                "unknown registry name `{other}` (known: `sample`, `national`)"
            ));
        }
    };
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

/// Runs every `*.json` file of `dir`, in name order.
pub fn run_dir(dir: &Path) -> Report {
    let mut report = Report::default();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(e) => {
            report
                .broken_files
                .push((dir.display().to_string(), e.to_string()));
            return report;
        }
    };
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match std::fs::read_to_string(&path) {
            Ok(text) => run_file(&name, &text, &mut report),
            Err(e) => report.broken_files.push((name, e.to_string())),
        }
    }
    report
}

/// The context the cases of one file share.
pub(crate) struct Ctx {
    pub engine: Result<Engine, String>,
    pub calendar: WorkCalendar,
}

/// Runs one file's cases into `report`.
pub fn run_file(name: &str, text: &str, report: &mut Report) {
    let file: VectorFile = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            report
                .broken_files
                .push((name.to_owned(), format!("not a vector file: {e}")));
            return;
        }
    };
    let mut seen = BTreeSet::new();
    for c in &file.cases {
        if !seen.insert(c.id.as_str()) {
            report
                .broken_files
                .push((name.to_owned(), format!("duplicate case id `{}`", c.id)));
        }
    }
    let registry_json = match &file.registry {
        RegistryRef::Named(n) => named_registry(n),
        RegistryRef::Inline(v) => Ok(v.to_string()),
    };
    let engine = registry_json
        .and_then(|j| Registry::from_json_str(&j).map_err(|e| format!("{} {e}", e.code())))
        .and_then(|r| {
            let names = file
                .packs
                .clone()
                .unwrap_or_else(|| vec!["binzhou".to_owned()]);
            let packs = names
                .iter()
                .map(|n| PolicyPack::builtin(n).ok_or_else(|| format!("unknown pack `{n}`")))
                .collect::<Result<Vec<_>, _>>()?;
            Engine::with_packs(packs, r).map_err(|e| format!("{} {e}", e.code()))
        });
    let ctx = Ctx {
        engine,
        calendar: WorkCalendar::china(),
    };
    for c in file.cases {
        let outcome = run_case(&ctx, &c);
        report.results.push(CaseResult {
            file: name.to_owned(),
            id: c.id,
            kind: c.kind,
            known_bug: c.known_bug,
            outcome,
        });
    }
}

fn run_case(ctx: &Ctx, c: &Case) -> Outcome {
    let r = match c.kind {
        Kind::Decide => kinds::decide(ctx, c),
        Kind::Submission => kinds::submission(ctx, c),
        Kind::Question => kinds::question(ctx, c),
        Kind::OpenData => kinds::open_data(ctx, c),
        Kind::Deadline => kinds::deadline(ctx, c),
        Kind::IsWorkday => kinds::is_workday(ctx, c),
        Kind::WorkdaysBetween => kinds::workdays_between(ctx, c),
        Kind::Registry => kinds::registry(c),
        Kind::Validate => kinds::validate(ctx, c),
        Kind::Applications => kinds::applications(ctx, c),
        Kind::Audit => kinds::audit(ctx, c),
        Kind::Usage => kinds::usage(ctx, c),
    };
    match r {
        Ok(Ok(())) => Outcome::Pass,
        Ok(Err(diff)) => Outcome::Fail(diff),
        Err(Bad::Vector(e)) => Outcome::Fail(format!("bad vector: {e}")),
    }
}

/// Why a case could not be checked.
pub(crate) enum Bad {
    /// The vector itself is malformed.
    Vector(String),
}

/// `Ok(Ok(()))` pass, `Ok(Err(diff))` fail, `Err(_)` not checked.
pub(crate) type Checked = Result<Result<(), String>, Bad>;

/// Parses a case's `input` or `expect` into `T` (unknown fields are errors).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(what: &str, v: &Value) -> Result<T, Bad> {
    serde_json::from_value(v.clone()).map_err(|e| Bad::Vector(format!("`{what}`: {e}")))
}

/// Collects the differences of one case.
#[derive(Default)]
pub(crate) struct Diff(Vec<String>);

impl Diff {
    pub fn eq<T: PartialEq + std::fmt::Debug>(&mut self, field: &str, want: Option<&T>, got: &T) {
        if let Some(w) = want
            && w != got
        {
            self.0.push(format!("{field}: expected {w:?}, got {got:?}"));
        }
    }

    pub fn push(&mut self, s: String) {
        self.0.push(s);
    }

    pub fn finish(self, context: impl FnOnce() -> String) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(format!("{}\n      got: {}", self.0.join("; "), context()))
        }
    }
}

/// Compares citation lists as sets (`exact`) and by inclusion (`include`).
pub(crate) fn check_citations(
    d: &mut Diff,
    exact: Option<&Vec<String>>,
    include: Option<&Vec<String>>,
    got: &[String],
) {
    let got_set: BTreeSet<&str> = got.iter().map(String::as_str).collect();
    if let Some(w) = exact {
        let want: BTreeSet<&str> = w.iter().map(String::as_str).collect();
        if want != got_set {
            d.push(format!("citations: expected {want:?}, got {got_set:?}"));
        }
    }
    if let Some(w) = include {
        let missing: Vec<&str> = w
            .iter()
            .map(String::as_str)
            .filter(|a| !got_set.contains(a))
            .collect();
        if !missing.is_empty() {
            d.push(format!("citations: missing {missing:?} in {got_set:?}"));
        }
    }
}

/// Invariants every decision keeps, whatever the case expects (SPEC §2).
pub(crate) fn decision_invariants(d: &mut Diff, dec: &Decision) {
    if dec.citations.is_empty() {
        d.push("citations: empty (a decision always cites its articles)".to_owned());
    }
    if dec.decision == Effect::Deny && dec.reasons.is_empty() {
        d.push("reasons: a deny without reasons".to_owned());
    }
    let granted = dec.decision == Effect::Permit && dec.route == Route::Granted;
    if granted != dec.grant.is_some() {
        d.push(format!(
            "grant: {:?} with decision {:?} route {:?}",
            dec.grant, dec.decision, dec.route
        ));
    }
    if dec.decision == Effect::Permit && !matches!(dec.route, Route::Direct | Route::Granted) {
        d.push(format!("route: a permit with route {:?}", dec.route));
    }
    if dec.decision == Effect::Deny && matches!(dec.route, Route::Direct | Route::Granted) {
        d.push(format!("route: a deny with route {:?}", dec.route));
    }
    // SPEC v2 §2: every failing check carries its route and remedy, and the
    // decision's route is the first of none, coordinate, apply among them.
    if dec.decision == Effect::Deny {
        if let Some(r) = dec
            .reasons
            .iter()
            .find(|r| r.route.is_none() || r.remedy.is_none())
        {
            d.push(format!("reasons: `{}` lacks a route or a remedy", r.code));
        }
        let first = [Route::None, Route::Coordinate, Route::Apply]
            .into_iter()
            .find(|want| dec.reasons.iter().any(|r| r.route == Some(*want)));
        if first.is_some_and(|f| f != dec.route) {
            d.push(format!(
                "route: {:?}, but its reasons give {first:?} first",
                dec.route
            ));
        }
    }
    if dec.pack.is_empty() {
        d.push("pack: empty (a decision names the pack that answered)".to_owned());
    }
}

/// Request + options for `decide`.
pub(crate) fn decide_options(evaluate_out_of_force: bool) -> DecideOptions {
    DecideOptions {
        evaluate_out_of_force,
    }
}

/// Re-exports for the kind runners.
pub(crate) type Moment = DateTime<FixedOffset>;
pub(crate) type Day = NaiveDate;
pub(crate) type Request = AccessRequest;
