//! Loading a policy pack (SPEC §7): manifest, Cedar schema and policies, all
//! validated once, strictly, at load.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use cedar_policy::{
    Effect as CedarEffect, EntityTypeName, EntityUid, PolicyId, PolicySet, Schema, ValidationMode,
    Validator,
};
use miette::Diagnostic;

use super::PolicyError;
use super::engine::ENGINE_DENY_CODES;
use super::manifest::Manifest;
use super::wire::{Remedy, RemedyAction, Route};
use crate::registry::FindingTable;

/// What a failing check means for the Art. 13 question, "is the item obtainable
/// through the platform?" (`@submission`). Without the annotation a check is read
/// by its route: `apply` obtainable, `coordinate` and `none` unobtainable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Submission {
    /// The department's own failing (certificate, network, a restriction, a
    /// quarantine): it does not make the item unobtainable.
    OwnFailing,
    /// Obtainable (by applying).
    Obtainable,
    /// Not obtainable through the platform.
    Unobtainable,
    /// The purpose is not one of the department's duties.
    NotDuty,
}

fn parse_submission(s: &str) -> Option<Submission> {
    match s {
        "own_failing" => Some(Submission::OwnFailing),
        "obtainable" => Some(Submission::Obtainable),
        "unobtainable" => Some(Submission::Unobtainable),
        "not_duty" => Some(Submission::NotDuty),
        _ => None,
    }
}

fn parse_remedy(s: &str) -> Option<Remedy> {
    let (by, action) = s.split_once(':')?;
    let by = by.trim();
    if by.is_empty() || !by.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        return None;
    }
    let action = match action.trim() {
        "change_request" => RemedyAction::ChangeRequest,
        "apply" => RemedyAction::Apply,
        "coordinate" => RemedyAction::Coordinate,
        "lift_restriction" => RemedyAction::LiftRestriction,
        "correct_catalog" => RemedyAction::CorrectCatalog,
        "rectify" => RemedyAction::Rectify,
        _ => return None,
    };
    Some(Remedy {
        by: by.to_owned(),
        action,
    })
}

/// The built-in Binzhou pack, embedded at compile time.
const BINZHOU: &[(&str, &str)] = &[
    (
        "manifest.toml",
        include_str!("../../../policies/binzhou/manifest.toml"),
    ),
    (
        "schema.cedarschema",
        include_str!("../../../policies/binzhou/schema.cedarschema"),
    ),
    (
        "checks.cedar",
        include_str!("../../../policies/binzhou/checks.cedar"),
    ),
    (
        "sharing.cedar",
        include_str!("../../../policies/binzhou/sharing.cedar"),
    ),
    (
        "open_data.cedar",
        include_str!("../../../policies/binzhou/open_data.cedar"),
    ),
    (
        "findings.toml",
        include_str!("../../../policies/binzhou/findings.toml"),
    ),
];

/// The built-in national pack of 2025, embedded at compile time.
const NATIONAL_2025: &[(&str, &str)] = &[
    (
        "manifest.toml",
        include_str!("../../../policies/national-2025/manifest.toml"),
    ),
    (
        "schema.cedarschema",
        include_str!("../../../policies/national-2025/schema.cedarschema"),
    ),
    (
        "checks.cedar",
        include_str!("../../../policies/national-2025/checks.cedar"),
    ),
    (
        "sharing.cedar",
        include_str!("../../../policies/national-2025/sharing.cedar"),
    ),
    (
        "findings.toml",
        include_str!("../../../policies/national-2025/findings.toml"),
    ),
];

/// The names of the built-in packs, in timeline order (SPEC §7).
pub const BUILTIN_PACKS: [&str; 2] = ["binzhou", "national-2025"];

/// The annotations of one policy, read once at load.
#[derive(Debug, Clone)]
pub(crate) struct PolicyMeta {
    /// Position in the pack (files in name order, policies in file order).
    pub order: usize,
    /// `@article`, split on commas; the first is the reason's article.
    pub articles: Vec<String>,
    /// `@code`.
    pub code: String,
    /// `@route` (access policies only).
    pub route: Option<Route>,
    /// `@remedy("by:action")` (every access forbid).
    pub remedy: Option<Remedy>,
    /// `@submission(…)`: what this failing check means for the Art. 13 question.
    pub submission: Option<Submission>,
    /// `@detail("conditions")`: append the resource's conditions of sharing.
    pub detail_conditions: bool,
    /// `@zh`.
    pub zh: String,
    /// `@en`.
    pub en: String,
}

/// Cedar names the engine uses, parsed once.
#[derive(Debug)]
pub(crate) struct Names {
    pub department: EntityTypeName,
    pub resource: EntityTypeName,
    pub grant: EntityTypeName,
    pub certificate: EntityTypeName,
    pub access: EntityUid,
    pub publish_open_data: EntityUid,
}

#[derive(Debug)]
pub(crate) struct PackInner {
    /// The catalog findings the pack reports (`findings.toml`).
    pub findings: FindingTable,
    /// The reason of a deny no policy explains, citing `answers.fallback`.
    pub fallback: PolicyMeta,
    /// Whether any policy answers the open-data question.
    pub publishes_open_data: bool,
    pub manifest: Manifest,
    pub schema: Schema,
    pub policies: PolicySet,
    pub meta: HashMap<PolicyId, PolicyMeta>,
    pub names: Names,
}

/// A loaded, validated policy pack (SPEC §7). Cheap to clone (shared inside),
/// `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PolicyPack {
    pub(crate) inner: Arc<PackInner>,
}

fn names() -> Result<Names, PolicyError> {
    let ty = |s: &str| {
        EntityTypeName::from_str(s).map_err(|e| PolicyError::Schema {
            file: "schema.cedarschema".to_owned(),
            line: None,
            message: e.to_string(),
        })
    };
    let uid = |s: &str| {
        EntityUid::from_str(s).map_err(|e| PolicyError::Schema {
            file: "schema.cedarschema".to_owned(),
            line: None,
            message: e.to_string(),
        })
    };
    Ok(Names {
        department: ty("Gov::Department")?,
        resource: ty("Gov::Resource")?,
        grant: ty("Gov::Grant")?,
        certificate: ty("Gov::Certificate")?,
        access: uid(r#"Gov::Action::"access""#)?,
        publish_open_data: uid(r#"Gov::Action::"publish_open_data""#)?,
    })
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.bytes().filter(|&b| b == b'\n').count() + 1)
}

/// The first source offset a diagnostic points at (its own labels, then its
/// related diagnostics').
fn first_offset(d: &dyn Diagnostic) -> Option<usize> {
    if let Some(off) = d.labels().and_then(|mut l| l.next()).map(|l| l.offset()) {
        return Some(off);
    }
    d.related()
        .and_then(|mut related| related.find_map(first_offset))
}

/// Is `s` a citation under the SPEC v2 §8 grammar: `N`, `N(i)` for item i,
/// `N¶p` for paragraph p, or `N¶p(i)`, with no spaces (`17`, `4(2)`, `21¶2`)?
pub(crate) fn valid_article(s: &str) -> bool {
    fn number(n: &str) -> bool {
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    }
    let (head, item) = match s.split_once('(') {
        None => (s, None),
        Some((head, rest)) => match rest.strip_suffix(')') {
            Some(i) => (head, Some(i)),
            None => return false,
        },
    };
    if item.is_some_and(|i| !number(i)) {
        return false;
    }
    match head.split_once('¶') {
        None => number(head),
        Some((article, paragraph)) => number(article) && number(paragraph),
    }
}

fn parse_route(s: &str) -> Option<Route> {
    match s {
        "direct" => Some(Route::Direct),
        "granted" => Some(Route::Granted),
        "apply" => Some(Route::Apply),
        "coordinate" => Some(Route::Coordinate),
        "none" => Some(Route::None),
        _ => None,
    }
}

impl PolicyPack {
    /// The built-in Binzhou pack (`policies/binzhou/`), parsed and validated
    /// once per process; later calls share it.
    pub fn binzhou() -> Self {
        static PACK: OnceLock<PolicyPack> = OnceLock::new();
        PACK.get_or_init(|| {
            #[expect(
                clippy::expect_used,
                reason = "the embedded pack is fixed at compile time and loaded by the test suite"
            )]
            Self::try_binzhou().expect("the built-in Binzhou pack is valid")
        })
        .clone()
    }

    /// The built-in national pack (`policies/national-2025/`): the State
    /// Council's 《政務數據共享條例》, in force from 2025-08-01. Parsed and
    /// validated once per process; later calls share it.
    pub fn national_2025() -> Self {
        static PACK: OnceLock<PolicyPack> = OnceLock::new();
        PACK.get_or_init(|| {
            #[expect(
                clippy::expect_used,
                reason = "the embedded pack is fixed at compile time and loaded by the test suite"
            )]
            Self::from_files(
                NATIONAL_2025
                    .iter()
                    .map(|&(n, t)| (n.to_owned(), t.to_owned())),
            )
            .expect("the built-in national pack is valid")
        })
        .clone()
    }

    /// The built-in pack called `name` ([`BUILTIN_PACKS`]), if there is one.
    pub fn builtin(name: &str) -> Option<Self> {
        match name {
            "binzhou" => Some(Self::binzhou()),
            "national-2025" => Some(Self::national_2025()),
            _ => None,
        }
    }

    /// The built-in packs, in timeline order: `binzhou`, then `national-2025`.
    pub fn builtins() -> Vec<Self> {
        vec![Self::binzhou(), Self::national_2025()]
    }

    /// A built-in pack by name, or else the pack in the folder `name_or_dir`
    /// (the command line's `--pack NAME_OR_DIR`).
    pub fn named_or_load(name_or_dir: &str) -> Result<Self, PolicyError> {
        match Self::builtin(name_or_dir) {
            Some(p) => Ok(p),
            None => Self::load(name_or_dir),
        }
    }

    /// The built-in Binzhou pack, freshly parsed, as a `Result`.
    pub fn try_binzhou() -> Result<Self, PolicyError> {
        Self::from_files(BINZHOU.iter().map(|&(n, t)| (n.to_owned(), t.to_owned())))
    }

    /// Loads a pack from a folder: `manifest.toml`, `findings.toml` (its catalog
    /// findings), one `*.cedarschema` and any number of `*.cedar` files. Everything is validated; an invalid policy is
    /// an error naming the file and the line.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, PolicyError> {
        let dir = dir.as_ref();
        let io = |path: &Path, e: std::io::Error| PolicyError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let path = entry.map_err(|e| io(dir, e))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name == "manifest.toml"
                || name == "findings.toml"
                || path
                    .extension()
                    .is_some_and(|e| e == "cedar" || e == "cedarschema")
            {
                let text = crate::limits::read_bounded(
                    &path,
                    &format!("pack file `{}`", path.display()),
                    "MAX_PACK_FILE_BYTES",
                    crate::limits::MAX_PACK_FILE_BYTES,
                )
                .map_err(|e| match e {
                    crate::limits::ReadError::Limit(l) => PolicyError::Limit(l),
                    crate::limits::ReadError::Io(e) => io(&path, e),
                })?;
                files.push((name.to_owned(), text));
            }
        }
        Self::from_files(files)
    }

    /// Builds a pack from `(file name, text)` pairs: `manifest.toml`,
    /// `findings.toml`, one `*.cedarschema`, and `*.cedar` policy files. Each file is checked against
    /// the [`crate::limits`] for packs (size, nesting, operators per policy)
    /// before anything is parsed; parsing and validation run on a thread with a
    /// large stack ([`crate::limits::PARSE_STACK_BYTES`]).
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, PolicyError> {
        let files: Vec<(String, String)> = files.into_iter().collect();
        for (name, text) in &files {
            crate::limits::check_pack_file(name, text)?;
        }
        crate::limits::on_parse_stack(move || Self::build(files))
    }

    fn build(mut files: Vec<(String, String)>) -> Result<Self, PolicyError> {
        files.sort_by(|a, b| a.0.cmp(&b.0));

        let manifest_text = files
            .iter()
            .find(|(n, _)| n == "manifest.toml")
            .map(|(_, t)| t.as_str())
            .ok_or_else(|| PolicyError::MissingFile {
                file: "manifest.toml".to_owned(),
            })?;
        let manifest: Manifest =
            toml::from_str(manifest_text).map_err(|e| PolicyError::Manifest {
                message: e.to_string(),
            })?;
        manifest
            .check()
            .map_err(|message| PolicyError::Manifest { message })?;
        for (key, basis) in manifest.duties.all() {
            // The delivery, review and verification duties belong to the packs
            // that have them (checked with their tables).
            if matches!(key, "data_delivery" | "catalog_review" | "verification")
                && basis.is_empty()
            {
                continue;
            }
            if basis.is_empty() || basis.iter().any(|a| !valid_article(a)) {
                return Err(PolicyError::Manifest {
                    message: format!(
                        "`duties.{key}` must be a non-empty list of citations (`N`, `N(i)`, `N¶p`, `N¶p(i)`), found `{basis:?}`"
                    ),
                });
            }
        }
        let cited = [
            ("methods.article", Some(&manifest.methods.article)),
            ("answers.fallback", Some(&manifest.answers.fallback)),
            ("answers.submission", Some(&manifest.answers.submission)),
            ("answers.must_serve", manifest.answers.must_serve.as_ref()),
            (
                "usage_report_article",
                manifest.usage_report_article.as_ref(),
            ),
        ];
        let irregular = manifest
            .irregularity_articles
            .iter()
            .map(|(code, a)| (code.as_str(), a));
        for (code, article) in irregular {
            if !valid_article(article) {
                return Err(PolicyError::Manifest {
                    message: format!(
                        "`irregularity_articles.{code}` must be a citation (`N`, `N(i)`, `N¶p`, `N¶p(i)`), found `{article}`"
                    ),
                });
            }
        }
        for (key, article) in cited {
            if let Some(a) = article.filter(|a| !valid_article(a)) {
                return Err(PolicyError::Manifest {
                    message: format!(
                        "`{key}` must be a citation (`N`, `N(i)`, `N¶p`, `N¶p(i)`), found `{a}`"
                    ),
                });
            }
        }
        if manifest.valid_until < manifest.valid_from {
            return Err(PolicyError::Manifest {
                message: format!(
                    "`valid_until` {} is before `valid_from` {}",
                    manifest.valid_until, manifest.valid_from
                ),
            });
        }

        let findings_text = files
            .iter()
            .find(|(n, _)| n == "findings.toml")
            .map(|(_, t)| t.as_str())
            .ok_or_else(|| PolicyError::MissingFile {
                file: "findings.toml".to_owned(),
            })?;
        let findings: FindingTable =
            toml::from_str(findings_text).map_err(|e| PolicyError::Findings {
                message: e.to_string(),
            })?;
        findings
            .check()
            .map_err(|message| PolicyError::Findings { message })?;
        if let Some((key, a)) = findings.articles().find(|(_, a)| !valid_article(a)) {
            return Err(PolicyError::Findings {
                message: format!(
                    "`{key}.article` must be a citation (`N`, `N(i)`, `N¶p`, `N¶p(i)`), found `{a}`"
                ),
            });
        }
        if let Some(code) = manifest
            .decision_notes
            .iter()
            .find(|c| !findings.0.contains_key(*c))
        {
            return Err(PolicyError::Manifest {
                message: format!(
                    "`decision_notes` names `{code}`, which `findings.toml` does not report"
                ),
            });
        }

        let mut schemas = files.iter().filter(|(n, _)| n.ends_with(".cedarschema"));
        let (schema_file, schema_text) =
            schemas.next().ok_or_else(|| PolicyError::MissingFile {
                file: "*.cedarschema".to_owned(),
            })?;
        if let Some((extra, _)) = schemas.next() {
            return Err(PolicyError::Schema {
                file: extra.clone(),
                line: None,
                message: format!("a pack has one schema file; `{schema_file}` is already one"),
            });
        }
        let (schema, _warnings) =
            Schema::from_cedarschema_str(schema_text).map_err(|e| PolicyError::Schema {
                file: schema_file.clone(),
                line: first_offset(&e).map(|o| line_of(schema_text, o)),
                message: e.to_string(),
            })?;
        let names = names()?;

        let mut policies = PolicySet::new();
        let mut meta = HashMap::new();
        let mut file_of: HashMap<PolicyId, (String, usize)> = HashMap::new();
        let mut seen_ids = HashSet::new();
        let mut order = 0;
        for (file, text) in files.iter().filter(|(n, _)| n.ends_with(".cedar")) {
            let parsed = PolicySet::from_str(text).map_err(|e| PolicyError::InvalidPolicy {
                file: file.clone(),
                line: first_offset(&e).map_or(1, |o| line_of(text, o)),
                message: e.to_string(),
            })?;
            if parsed.templates().next().is_some() {
                return Err(PolicyError::InvalidPolicy {
                    file: file.clone(),
                    line: 1,
                    message: "templates (policies with slots) are not supported".to_owned(),
                });
            }
            // `from_str` numbers policies policy0, policy1, … in file order.
            let mut in_file: Vec<_> = parsed.policies().collect();
            in_file.sort_by_key(|p| {
                AsRef::<str>::as_ref(p.id())
                    .trim_start_matches("policy")
                    .parse::<usize>()
                    .unwrap_or(usize::MAX)
            });
            let mut search_from = 0;
            for p in in_file {
                let src = p.to_string();
                let line = text
                    .get(search_from..)
                    .and_then(|rest| rest.find(src.trim()))
                    .map_or(1, |o| {
                        search_from += o + 1;
                        line_of(text, search_from - 1)
                    });
                let bad = |message: String| PolicyError::InvalidPolicy {
                    file: file.clone(),
                    line,
                    message,
                };
                let ann = |key: &str| {
                    p.annotation(key)
                        .map(str::to_owned)
                        .filter(|v| !v.trim().is_empty())
                        .ok_or_else(|| bad(format!("policy has no `@{key}(\"…\")` annotation")))
                };
                let id = ann("id")?;
                if !seen_ids.insert(id.clone()) {
                    return Err(bad(format!("duplicate policy id `{id}`")));
                }
                let articles: Vec<String> = ann("article")?
                    .split(',')
                    .map(|a| a.trim().to_owned())
                    .collect();
                if let Some(a) = articles.iter().find(|a| !valid_article(a)) {
                    return Err(bad(format!(
                        "policy `{id}`: `{a}` is not an article like `17` or `4(2)`"
                    )));
                }
                let code = ann("code")?;
                let zh = ann("zh")?;
                let en = ann("en")?;
                let route = match p.annotation("route") {
                    None => None,
                    Some(r) => Some(parse_route(r).ok_or_else(|| {
                        bad(format!(
                            "policy `{id}`: route `{r}` is not one of direct, granted, apply, coordinate, none"
                        ))
                    })?),
                };
                let remedy = match p.annotation("remedy") {
                    None => None,
                    Some(r) => Some(parse_remedy(r).ok_or_else(|| {
                        bad(format!(
                            "policy `{id}`: remedy `{r}` is not `by:action` (action one of change_request, apply, coordinate, lift_restriction, correct_catalog, rectify)"
                        ))
                    })?),
                };
                let submission = match p.annotation("submission") {
                    None => None,
                    Some(v) => Some(parse_submission(v).ok_or_else(|| {
                        bad(format!(
                            "policy `{id}`: submission `{v}` is not one of own_failing, obtainable, unobtainable, not_duty"
                        ))
                    })?),
                };
                let detail_conditions = match p.annotation("detail") {
                    None => false,
                    Some("conditions") => true,
                    Some(v) => {
                        return Err(bad(format!(
                            "policy `{id}`: detail `{v}` is not `conditions`"
                        )));
                    }
                };
                if p.effect() == CedarEffect::Forbid && route.is_some() && remedy.is_none() {
                    return Err(bad(format!(
                        "access forbid `{id}` has no `@remedy(\"by:action\")`"
                    )));
                }
                if let Some(r) = route {
                    let fits = match p.effect() {
                        CedarEffect::Permit => matches!(r, Route::Direct | Route::Granted),
                        CedarEffect::Forbid => {
                            matches!(r, Route::Apply | Route::Coordinate | Route::None)
                        }
                    };
                    if !fits {
                        return Err(bad(format!(
                            "policy `{id}`: a {:?} cannot have route `{r:?}`",
                            p.effect()
                        )));
                    }
                }
                let pid = PolicyId::new(&id);
                policies
                    .add(p.new_id(pid.clone()))
                    .map_err(|e| bad(e.to_string()))?;
                meta.insert(
                    pid.clone(),
                    PolicyMeta {
                        order,
                        articles,
                        code,
                        route,
                        remedy,
                        submission,
                        detail_conditions,
                        zh,
                        en,
                    },
                );
                file_of.insert(pid, (file.clone(), line));
                order += 1;
            }
        }
        if meta.is_empty() {
            return Err(PolicyError::MissingFile {
                file: "*.cedar".to_owned(),
            });
        }

        let validation = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if let Some(err) = validation.validation_errors().next() {
            let (file, line) = file_of
                .get(err.policy_id())
                .cloned()
                .unwrap_or_else(|| (String::from("?"), 1));
            // The validator's spans are offsets in the file the policy came from.
            let line = files
                .iter()
                .find(|(n, _)| *n == file)
                .and_then(|(_, text)| first_offset(err).map(|o| line_of(text, o)))
                .unwrap_or(line);
            return Err(PolicyError::InvalidPolicy {
                file,
                line,
                message: format!("policy `{}`: {err}", err.policy_id()),
            });
        }
        // Every access policy must say where the request goes next.
        for p in policies.policies() {
            let Some(m) = meta.get(p.id()) else { continue };
            let is_access = matches!(
                p.action_constraint(),
                cedar_policy::ActionConstraint::Eq(ref a) if *a == names.access
            );
            if is_access && m.route.is_none() {
                let (file, line) = file_of.get(p.id()).cloned().unwrap_or_default();
                return Err(PolicyError::InvalidPolicy {
                    file,
                    line,
                    message: format!("access policy `{}` has no `@route(\"…\")`", p.id()),
                });
            }
            // SPEC v2 §5: a failing check of a usage becomes a category through
            // `usage_checks`; every access forbid's code must be named there.
            if is_access
                && p.effect() == CedarEffect::Forbid
                && !manifest.usage_checks.contains_key(&m.code)
            {
                let (file, line) = file_of.get(p.id()).cloned().unwrap_or_default();
                return Err(PolicyError::Manifest {
                    message: format!(
                        "`usage_checks` does not name `{}` (access forbid `{}`, {file}:{line})",
                        m.code,
                        p.id()
                    ),
                });
            }
        }
        // The engine's own deny reasons are failing checks of a usage too.
        let suspension = manifest
            .answers
            .suspended
            .is_some()
            .then_some(&super::engine::SHARING_SUSPENDED);
        if let Some(code) = ENGINE_DENY_CODES
            .iter()
            .chain(suspension)
            .find(|c| !manifest.usage_checks.contains_key(**c))
        {
            return Err(PolicyError::Manifest {
                message: format!("`usage_checks` does not name the engine's reason `{code}`"),
            });
        }

        let publishes_open_data = policies.policies().any(|p| {
            matches!(
                p.action_constraint(),
                cedar_policy::ActionConstraint::Eq(ref a) if *a == names.publish_open_data
            )
        });
        let fallback = PolicyMeta {
            order: usize::MAX,
            articles: vec![manifest.answers.fallback.clone()],
            code: "no_applicable_policy".to_owned(),
            route: Some(Route::None),
            remedy: Some(Remedy {
                by: "requester".to_owned(),
                action: RemedyAction::ChangeRequest,
            }),
            submission: Some(Submission::Unobtainable),
            detail_conditions: false,
            zh: "沒有任何共享規則允許此請求".to_owned(),
            en: "no sharing rule allows this request".to_owned(),
        };
        Ok(Self {
            inner: Arc::new(PackInner {
                findings,
                fallback,
                publishes_open_data,
                manifest,
                schema,
                policies,
                meta,
                names,
            }),
        })
    }

    /// The pack's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.inner.manifest
    }

    /// The catalog findings the pack reports (`findings.toml`, SPEC v2 §6).
    pub fn findings(&self) -> &FindingTable {
        &self.inner.findings
    }

    /// Catalog validation of `registry` under this pack (SPEC v2 §6).
    pub fn validate(&self, registry: &crate::registry::Registry) -> Vec<crate::registry::Finding> {
        crate::registry::validate_with(registry, &self.inner.findings)
    }

    /// The pack's name (from its manifest).
    pub fn name(&self) -> &str {
        &self.inner.manifest.name
    }

    /// The validated Cedar policies.
    pub fn policies(&self) -> &PolicySet {
        &self.inner.policies
    }

    /// The Cedar schema.
    pub fn schema(&self) -> &Schema {
        &self.inner.schema
    }

    /// Whether `date` (China time) is within the pack's validity (Art. 33).
    pub fn in_force_on(&self, date: chrono::NaiveDate) -> bool {
        self.inner.manifest.valid_from <= date && date <= self.inner.manifest.valid_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_checked() {
        for ok in ["17", "4(2)", "30(2)", "21¶2", "21¶2(3)"] {
            assert!(valid_article(ok), "{ok}");
        }
        for bad in [
            "", "a", "4(", "4()", "(2)", "4(2", "17 ", "¶2", "21¶", "21¶2¶3", "4(2)x", "4(2)(3)",
        ] {
            assert!(!valid_article(bad), "{bad}");
        }
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
