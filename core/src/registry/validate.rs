//! Catalog validation (SPEC v2 §6): rules a well-formed registry may still break,
//! reported as findings, never as load errors. Shape rules (id syntax, unique
//! ids, references, certificate periods, blank serials) are input errors of
//! [`super::Registry::from_json_str`] instead.
//!
//! The Rust code is the machine (SPEC §7): it runs every check it knows
//! ([`CHECKS`]) and names what it found with a stable code and the values
//! involved. A pack's `findings.toml` ([`FindingTable`]) says which of those
//! checks its regulation has, with the article, the level and the zh/en texts;
//! a check the pack does not list is not reported under it.
//!
//! An *error* finding on a resource quarantines it where the pack's policies
//! say so (Binzhou, SPEC v2 §2): the engine denies it to every department but
//! its provider, citing the finding's article.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Registry;
use super::model::{
    Database, GrantSource, LegalBasisRank, Network, Resource, Role, Sensitivity, Sharing,
};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// The catalog breaks a rule of the regulation.
    Error,
    /// Likely a mistake, or something the engine works around.
    Warning,
}

/// One catalog finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Finding {
    /// The article, e.g. `"10"`.
    pub article: String,
    /// Error or warning.
    pub severity: FindingSeverity,
    /// `department`, `resource`, `grant` or `registry`.
    pub kind: String,
    /// The id concerned (`registry` findings: an empty string).
    pub id: String,
    /// A stable code, e.g. `basic_not_unconditional`.
    pub code: String,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

/// How a pack reports one check (a `findings.toml` entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRule {
    /// The article the finding cites.
    pub article: String,
    /// Its level.
    pub severity: FindingSeverity,
    /// The Chinese text; `{name}` and the other values of the check
    /// ([`CHECKS`]) are filled in.
    pub zh: String,
    /// The English text, likewise.
    pub en: String,
}

/// A pack's catalog findings: check code → how it is reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FindingTable(pub BTreeMap<String, FindingRule>);

/// The values every check of one kind offers to its texts.
const DEPARTMENT: &[&str] = &["id", "name"];
const RESOURCE: &[&str] = &["id", "name"];
const GRANT: &[&str] = &[
    "id",
    "department",
    "department_name",
    "resource",
    "resource_name",
];

/// Every check the engine runs: its code, what it is about, and the extra values
/// its texts may use (besides those of its kind). Role checks are
/// `{role}_missing`, `{role}_not_unique` (registry-wide) and
/// `{role}_not_unique_in_region` (values `role`, `region`) for every role.
pub const CHECKS: &[(&str, &str, &[&str])] = &[
    ("certificate_missing", "department", &[]),
    ("certificate_revoked", "department", &[]),
    (
        "certificate_serial_shared",
        "department",
        &["serial", "other"],
    ),
    ("duties_missing", "department", &[]),
    ("catalog_missing", "department", &[]),
    ("grant_period_invalid", "grant", &[]),
    ("grant_field_unknown", "grant", &["field"]),
    ("grant_purposes_missing", "grant", &[]),
    ("grant_purpose_not_duty", "grant", &["purpose"]),
    ("grant_on_own_resource", "grant", &[]),
    ("grant_not_coordinated", "grant", &[]),
    ("derived_grant_incomplete", "grant", &[]),
    ("basic_not_unconditional", "resource", &[]),
    ("basic_category_missing", "resource", &[]),
    ("basic_category_not_basic", "resource", &[]),
    ("legal_basis_missing", "resource", &[]),
    ("legal_basis_rank_insufficient", "resource", &["rank"]),
    ("conditions_missing", "resource", &[]),
    ("interface_missing", "resource", &[]),
    ("interface_endpoint_missing", "resource", &[]),
    ("interface_spec_missing", "resource", &[]),
    ("state_secret_not_intranet", "resource", &[]),
    ("state_secret_unconditional", "resource", &[]),
    ("state_secret_open_fields", "resource", &[]),
    ("intranet_not_secret", "resource", &[]),
    ("open_data_sensitive", "resource", &[]),
    ("fields_missing", "resource", &[]),
    ("open_fields_not_in_fields", "resource", &["field"]),
    ("open_fields_not_conditional", "resource", &[]),
    ("update_limit_missing", "resource", &[]),
];

const ROLES: [Role; 5] = [
    Role::BigDataCenter,
    Role::CityGovernmentOffice,
    Role::Finance,
    Role::SharingAuthority,
    Role::PeopleGovernment,
];

/// The kind and values of the check `code`, if the engine runs one by that name.
fn check_of(code: &str) -> Option<(&'static str, Vec<&'static str>)> {
    if let Some(&(_, kind, extra)) = CHECKS.iter().find(|(c, _, _)| *c == code) {
        let base = match kind {
            "department" => DEPARTMENT,
            "grant" => GRANT,
            _ => RESOURCE,
        };
        return Some((kind, base.iter().chain(extra).copied().collect()));
    }
    for r in ROLES {
        let role = r.as_str();
        match code.strip_prefix(role) {
            Some("_missing" | "_not_unique") => return Some(("registry", vec!["role"])),
            Some("_not_unique_in_region") => return Some(("registry", vec!["role", "region"])),
            _ => {}
        }
    }
    None
}

/// The names between braces in `text`.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

impl FindingTable {
    /// The checks a pack's table must pass at load: every code is a check the
    /// engine runs, and every `{value}` in its texts is one that check gives.
    /// The error names the key.
    pub(crate) fn check(&self) -> Result<(), String> {
        for (code, rule) in &self.0 {
            let Some((_, vars)) = check_of(code) else {
                return Err(format!("`{code}` is not a check govshare runs"));
            };
            for (field, text) in [("zh", &rule.zh), ("en", &rule.en)] {
                if let Some(p) = placeholders(text).find(|p| !vars.contains(p)) {
                    return Err(format!(
                        "`{code}.{field}` uses `{{{p}}}`; this check gives {}",
                        vars.iter()
                            .map(|v| format!("`{{{v}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        Ok(())
    }

    /// The article of every entry, with its key, for the pack to check.
    pub(crate) fn articles(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, r)| (k.as_str(), r.article.as_str()))
    }
}

/// What one check found: its code, what it is about, and the values involved.
struct Hit {
    code: String,
    kind: &'static str,
    id: String,
    vars: Vec<(&'static str, String)>,
}

/// The findings of `hits` that `table` reports, in order.
fn report(hits: Vec<Hit>, table: &FindingTable) -> Vec<Finding> {
    hits.into_iter()
        .filter_map(|h| {
            let rule = table.0.get(&h.code)?;
            let fill = |text: &str| {
                h.vars.iter().fold(text.to_owned(), |t, (k, v)| {
                    t.replace(&format!("{{{k}}}"), v)
                })
            };
            Some(Finding {
                article: rule.article.clone(),
                severity: rule.severity,
                kind: h.kind.to_owned(),
                id: h.id.clone(),
                code: h.code.clone(),
                zh: fill(&rule.zh),
                en: fill(&rule.en),
            })
        })
        .collect()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Checks `registry` with the built-in Binzhou pack's findings (SPEC §6).
/// Findings come in document order: departments, then resources, then grants,
/// then registry-wide ones. [`validate_with`] names the pack.
pub fn validate(registry: &Registry) -> Vec<Finding> {
    validate_with(registry, crate::policy::PolicyPack::binzhou().findings())
}

/// Checks `registry` and reports what `table` (a pack's `findings.toml`) lists.
pub fn validate_with(registry: &Registry, table: &FindingTable) -> Vec<Finding> {
    report(hits(registry), table)
}

fn hits(registry: &Registry) -> Vec<Hit> {
    let mut out = Vec::new();
    let providers: HashSet<&str> = registry
        .resources()
        .iter()
        .map(|r| r.provider.as_str())
        .collect();
    let mut serials: HashMap<&str, &str> = HashMap::new();
    for d in registry.departments() {
        let hit = |code: &str, extra: Vec<(&'static str, String)>| Hit {
            code: code.to_owned(),
            kind: "department",
            id: d.id.clone(),
            vars: [("id", d.id.clone()), ("name", d.name.clone())]
                .into_iter()
                .chain(extra)
                .collect(),
        };
        if d.certificates.is_empty() {
            out.push(hit("certificate_missing", vec![]));
        } else if d.certificates.iter().all(|c| c.revoked) {
            out.push(hit("certificate_revoked", vec![]));
        }
        for c in &d.certificates {
            if let Some(other) = serials.insert(c.serial.as_str(), d.id.as_str())
                && other != d.id
            {
                out.push(hit(
                    "certificate_serial_shared",
                    vec![("serial", c.serial.clone()), ("other", other.to_owned())],
                ));
            }
        }
        if d.duties.is_empty() {
            out.push(hit("duties_missing", vec![]));
        } else if !providers.contains(d.id.as_str()) {
            out.push(hit("catalog_missing", vec![]));
        }
    }

    for r in registry.resources() {
        resource_hits(r, &mut out);
    }

    for g in registry.grants() {
        let Some(r) = registry.resource(&g.resource) else {
            continue;
        };
        let dept = registry.department(&g.department);
        let hit = |code: &str, extra: Vec<(&'static str, String)>| Hit {
            code: code.to_owned(),
            kind: "grant",
            id: g.id.clone(),
            vars: [
                ("id", g.id.clone()),
                ("department", g.department.clone()),
                (
                    "department_name",
                    dept.map_or_else(|| g.department.clone(), |d| d.name.clone()),
                ),
                ("resource", r.id.clone()),
                ("resource_name", r.name.clone()),
            ]
            .into_iter()
            .chain(extra)
            .collect(),
        };
        if let Some(until) = g.until
            && until <= g.from
        {
            out.push(hit("grant_period_invalid", vec![]));
        }
        if let Some(f) = g.fields.iter().find(|f| !r.fields.contains(f)) {
            out.push(hit("grant_field_unknown", vec![("field", f.clone())]));
        }
        if g.purposes.is_empty() {
            out.push(hit("grant_purposes_missing", vec![]));
        }
        if let Some(d) = dept
            && let Some(p) = g.purposes.iter().find(|p| !d.duties.contains(p))
        {
            out.push(hit("grant_purpose_not_duty", vec![("purpose", p.clone())]));
        }
        if g.department == r.provider {
            out.push(hit("grant_on_own_resource", vec![]));
        }
        if r.sharing == Sharing::NotShared
            && !matches!(
                g.source,
                GrantSource::BigDataCenter | GrantSource::CityGovernmentOffice
            )
        {
            out.push(hit("grant_not_coordinated", vec![]));
        }
        if r.derived
            && !(g.approved_by(GrantSource::ProviderReply)
                && g.approved_by(GrantSource::BigDataCenter))
        {
            out.push(hit("derived_grant_incomplete", vec![]));
        }
    }

    for role in ROLES {
        let code = role.as_str();
        let holders: Vec<_> = registry.with_role(role).collect();
        let registry_hit = |suffix: &str, extra: Vec<(&'static str, String)>| Hit {
            code: format!("{code}{suffix}"),
            kind: "registry",
            id: String::new(),
            vars: [("role", code.to_owned())]
                .into_iter()
                .chain(extra)
                .collect(),
        };
        match holders.len() {
            0 => out.push(registry_hit("_missing", vec![])),
            1 => {}
            _ => out.push(registry_hit("_not_unique", vec![])),
        }
        let mut regions: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &holders {
            if let Some(r) = d.region.as_deref() {
                *regions.entry(r).or_default() += 1;
            }
        }
        for (region, n) in regions {
            if n > 1 {
                out.push(registry_hit(
                    "_not_unique_in_region",
                    vec![("region", region.to_owned())],
                ));
            }
        }
    }
    out
}

/// The findings `table` (a pack's `findings.toml`) reports on one catalog entry
/// alone: those that can quarantine it.
pub fn resource_findings(r: &Resource, table: &FindingTable) -> Vec<Finding> {
    let mut out = Vec::new();
    resource_hits(r, &mut out);
    report(out, table)
}

fn resource_hits(r: &Resource, out: &mut Vec<Hit>) {
    let hit = |code: &str, extra: Vec<(&'static str, String)>| Hit {
        code: code.to_owned(),
        kind: "resource",
        id: r.id.clone(),
        vars: [("id", r.id.clone()), ("name", r.name.clone())]
            .into_iter()
            .chain(extra)
            .collect(),
    };
    let secret = r.has_sensitivity(Sensitivity::StateSecret);
    if r.database == Database::Basic && r.sharing != Sharing::Unconditional {
        out.push(hit("basic_not_unconditional", vec![]));
    }
    if r.database == Database::Basic && r.basic_category.is_none() {
        out.push(hit("basic_category_missing", vec![]));
    }
    if r.database != Database::Basic && r.basic_category.is_some() {
        out.push(hit("basic_category_not_basic", vec![]));
    }
    if r.sharing == Sharing::NotShared {
        if r.legal_basis.as_deref().is_none_or(blank) {
            out.push(hit("legal_basis_missing", vec![]));
        } else if let Some(rank) = r.legal_basis_rank.filter(|k| {
            !matches!(
                k,
                LegalBasisRank::Law
                    | LegalBasisRank::AdministrativeRegulation
                    | LegalBasisRank::StateCouncilDecision
            )
        }) {
            let rank = serde_json::to_value(rank)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push(hit("legal_basis_rank_insufficient", vec![("rank", rank)]));
        } else if r.legal_basis_rank.is_none() {
            out.push(hit(
                "legal_basis_rank_insufficient",
                vec![("rank", "none".to_owned())],
            ));
        }
    }
    if r.sharing == Sharing::Conditional && r.conditions.as_deref().is_none_or(blank) {
        out.push(hit("conditions_missing", vec![]));
    }
    match &r.interface {
        None => out.push(hit("interface_missing", vec![])),
        Some(i) => {
            if blank(&i.endpoint) {
                out.push(hit("interface_endpoint_missing", vec![]));
            }
            if blank(&i.spec) {
                out.push(hit("interface_spec_missing", vec![]));
            }
        }
    }
    if secret && r.network != Network::Intranet {
        out.push(hit("state_secret_not_intranet", vec![]));
    }
    if secret && r.sharing == Sharing::Unconditional {
        out.push(hit("state_secret_unconditional", vec![]));
    }
    if secret && !r.open_fields.is_empty() {
        out.push(hit("state_secret_open_fields", vec![]));
    }
    if r.network == Network::Intranet && !secret && !r.has_sensitivity(Sensitivity::WorkSecret) {
        out.push(hit("intranet_not_secret", vec![]));
    }
    if r.open_data && !r.sensitivity.is_empty() {
        out.push(hit("open_data_sensitive", vec![]));
    }
    let fields: HashSet<&str> = r.fields.iter().map(String::as_str).collect();
    if r.fields.is_empty() {
        out.push(hit("fields_missing", vec![]));
    }
    if let Some(f) = r.open_fields.iter().find(|f| !fields.contains(f.as_str())) {
        out.push(hit("open_fields_not_in_fields", vec![("field", f.clone())]));
    }
    if r.sharing != Sharing::Conditional && !r.open_fields.is_empty() {
        out.push(hit("open_fields_not_conditional", vec![]));
    }
    if r.update_workdays.is_none() {
        out.push(hit("update_limit_missing", vec![]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_known_by_its_code() {
        for (code, kind, _) in CHECKS {
            assert_eq!(check_of(code).map(|c| c.0), Some(*kind), "{code}");
        }
        assert_eq!(
            check_of("sharing_authority_not_unique_in_region").map(|c| c.1),
            Some(vec!["role", "region"])
        );
        assert!(check_of("big_data_center_missing").is_some());
        assert!(check_of("no_such_check").is_none());
        assert!(check_of("big_data_center_twice").is_none());
    }

    #[test]
    fn a_text_may_use_only_the_values_of_its_check() {
        let rule = |zh: &str| FindingRule {
            article: "1".to_owned(),
            severity: FindingSeverity::Warning,
            zh: zh.to_owned(),
            en: "x".to_owned(),
        };
        let ok = FindingTable(BTreeMap::from([(
            "grant_field_unknown".to_owned(),
            rule("授權「{id}」的信息項「{field}」不在「{resource_name}」中"),
        )]));
        assert!(ok.check().is_ok());
        let bad = FindingTable(BTreeMap::from([(
            "fields_missing".to_owned(),
            rule("「{field}」"),
        )]));
        let err = bad.check().unwrap_err();
        assert!(
            err.contains("`fields_missing.zh`") && err.contains("{field}"),
            "{err}"
        );
        let unknown = FindingTable(BTreeMap::from([("typo".to_owned(), rule("x"))]));
        assert!(unknown.check().unwrap_err().contains("`typo`"));
    }
}
