//! Catalog validation (SPEC v2 §6): rules a well-formed registry may still break,
//! reported as findings with their article and a fixed level, never as load errors.
//! Shape rules (id syntax, unique ids, references, certificate periods, blank
//! serials) are input errors of [`super::Registry::from_json_str`] instead.
//!
//! An *error* finding on a resource quarantines it (SPEC v2 §2): the engine denies
//! it to every department but its provider, citing Art. 12 and the finding's article.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Registry;
use super::model::{Database, GrantSource, Network, Resource, Role, Sensitivity, Sharing};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// The catalog breaks a rule of the measures.
    Error,
    /// Likely a mistake, or something the engine works around.
    Warning,
}

/// One catalog finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

struct Sink(Vec<Finding>);

impl Sink {
    #[expect(
        clippy::too_many_arguments,
        reason = "one flat call per rule reads best beside the rule"
    )]
    fn push(
        &mut self,
        severity: FindingSeverity,
        article: &str,
        kind: &str,
        id: &str,
        code: &str,
        zh: String,
        en: String,
    ) {
        self.0.push(Finding {
            article: article.to_owned(),
            severity,
            kind: kind.to_owned(),
            id: id.to_owned(),
            code: code.to_owned(),
            zh,
            en,
        });
    }
}

use FindingSeverity::{Error, Warning};

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Checks `registry` against SPEC §6. Findings come in document order:
/// departments, then resources, then grants, then registry-wide ones.
pub fn validate(registry: &Registry) -> Vec<Finding> {
    let mut out = Sink(Vec::new());

    let providers: HashSet<&str> = registry
        .resources()
        .iter()
        .map(|r| r.provider.as_str())
        .collect();
    let mut serials: HashMap<&str, &str> = HashMap::new();
    for d in registry.departments() {
        if d.certificates.is_empty() {
            out.push(
                Warning,
                "26",
                "department",
                &d.id,
                "certificate_missing",
                format!(
                    "部門「{}」沒有登記統一數字證書，不能通過共享平台參與共享",
                    d.name
                ),
                format!("department `{}` has no unified digital certificate", d.id),
            );
        } else if d.certificates.iter().all(|c| c.revoked) {
            out.push(
                Warning,
                "26",
                "department",
                &d.id,
                "certificate_revoked",
                format!(
                    "部門「{}」的數字證書均已吊銷，無法通過共享平台參與共享",
                    d.name
                ),
                format!(
                    "every certificate of department `{}` is revoked: it cannot use the platform",
                    d.id
                ),
            );
        }
        for c in &d.certificates {
            if let Some(other) = serials.insert(c.serial.as_str(), d.id.as_str())
                && other != d.id
            {
                out.push(
                    Warning,
                    "26",
                    "department",
                    &d.id,
                    "certificate_serial_shared",
                    format!(
                        "部門「{}」的數字證書序列號「{}」與部門「{other}」相同",
                        d.name, c.serial
                    ),
                    format!(
                        "department `{}` certificate serial `{}` is also registered by `{other}`",
                        d.id, c.serial
                    ),
                );
            }
        }
        if d.duties.is_empty() {
            out.push(
                Warning,
                "4(2)",
                "department",
                &d.id,
                "duties_missing",
                format!("部門「{}」沒有登記職責，任何用途都不屬於其履職需要", d.name),
                format!(
                    "department `{}` has no duties: no purpose can be within them",
                    d.id
                ),
            );
        } else if !providers.contains(d.id.as_str()) {
            out.push(
                Warning,
                "11",
                "department",
                &d.id,
                "catalog_missing",
                format!("部門「{}」有職責，卻沒有編制本部門的政務信息資源目錄（第十一條、第三十條第一項）", d.name),
                format!(
                    "department `{}` has duties but no catalog entry of its own (Art. 11, 30(1))",
                    d.id
                ),
            );
        }
    }

    for r in registry.resources() {
        check_resource(r, &mut out);
    }

    for g in registry.grants() {
        let id = g.id.as_str();
        let Some(r) = registry.resource(&g.resource) else {
            continue;
        };
        if let Some(until) = g.until
            && until <= g.from
        {
            out.push(
                Warning,
                "17",
                "grant",
                id,
                "grant_period_invalid",
                format!("授權「{id}」的結束時間不晚於開始時間"),
                format!("grant `{id}` ends before it starts"),
            );
        }
        if let Some(f) = g.fields.iter().find(|f| !r.fields.contains(f)) {
            out.push(
                Warning,
                "17",
                "grant",
                id,
                "grant_field_unknown",
                format!("授權「{id}」的信息項「{f}」不在信息資源「{}」中", r.name),
                format!(
                    "grant `{id}` field `{f}` is not a field of resource `{}`",
                    r.id
                ),
            );
        }
        if g.purposes.is_empty() {
            out.push(
                Warning,
                "4(2)",
                "grant",
                id,
                "grant_purposes_missing",
                format!("授權「{id}」沒有列出使用用途，不允許任何使用"),
                format!("grant `{id}` lists no purposes: it allows nothing"),
            );
        }
        if let Some(d) = registry.department(&g.department)
            && let Some(p) = g.purposes.iter().find(|p| !d.duties.contains(p))
        {
            out.push(
                Warning,
                "4(2)",
                "grant",
                id,
                "grant_purpose_not_duty",
                format!("授權「{id}」的用途「{p}」不屬於部門「{}」的職責", d.name),
                format!("grant `{id}` purpose `{p}` is not a duty of `{}`", d.id),
            );
        }
        if g.department == r.provider {
            out.push(
                Warning,
                "18",
                "grant",
                id,
                "grant_on_own_resource",
                format!("授權「{id}」授予提供部門本身，提供部門無需授權"),
                format!("grant `{id}` is for the resource's own provider, which needs none"),
            );
        }
        if r.sharing == Sharing::NotShared
            && !matches!(
                g.source,
                GrantSource::BigDataCenter | GrantSource::CityGovernmentOffice
            )
        {
            out.push(
                Warning,
                "17",
                "grant",
                id,
                "grant_not_coordinated",
                format!("不予共享類信息資源的授權「{id}」不是經市大數據中心或市政府辦公室協調形成，不能使用"),
                format!(
                    "grant `{id}` on not-shared resource `{}` is not from coordination: it allows nothing",
                    r.id
                ),
            );
        }
        if r.derived
            && !(g.approved_by(GrantSource::ProviderReply)
                && g.approved_by(GrantSource::BigDataCenter))
        {
            out.push(
                Warning,
                "21",
                "grant",
                id,
                "derived_grant_incomplete",
                format!("授權「{id}」未同時徵得提供部門和市大數據中心同意，不能使用共享平台綜合性服務信息"),
                format!(
                    "grant `{id}` on derived resource `{}` lacks the consent of the provider or the Big Data Center",
                    r.id
                ),
            );
        }
    }

    for (role, article, code, zh, en) in [
        (
            Role::BigDataCenter,
            "6",
            "big_data_center",
            "市大數據中心",
            "Big Data Center",
        ),
        (
            Role::CityGovernmentOffice,
            "6",
            "city_government_office",
            "市政府辦公室",
            "City Government Office",
        ),
    ] {
        match registry.with_role(role).count() {
            0 => out.push(
                Warning,
                article,
                "registry",
                "",
                &format!("{code}_missing"),
                format!("目錄中沒有{zh}"),
                format!("no department has the role `{code}` ({en})"),
            ),
            1 => {}
            _ => out.push(
                Error,
                article,
                "registry",
                "",
                &format!("{code}_not_unique"),
                format!("目錄中有多個{zh}"),
                format!("more than one department has the role `{code}` ({en})"),
            ),
        }
    }

    out.0
}

/// The findings on one catalog entry alone (those that can quarantine it).
pub(crate) fn resource_findings(r: &Resource) -> Vec<Finding> {
    let mut out = Sink(Vec::new());
    check_resource(r, &mut out);
    out.0
}

fn check_resource(r: &Resource, out: &mut Sink) {
    let (id, name) = (r.id.as_str(), r.name.as_str());
    if r.database == Database::Basic && r.sharing != Sharing::Unconditional {
        out.push(
            Warning,
            "10",
            "resource",
            id,
            "basic_not_unconditional",
            format!("基礎資料庫信息資源「{name}」應當無條件共享，卻未列為無條件共享類"),
            format!("basic-database resource `{id}` is catalogued other than unconditional (Art. 10: basic databases are shared unconditionally)"),
        );
    }
    if r.database == Database::Basic && r.basic_category.is_none() {
        out.push(
            Warning,
            "32(1)",
            "resource",
            id,
            "basic_category_missing",
            format!("基礎資料庫信息資源「{name}」沒有註明類別（人口、法人單位、自然資源和空間地理、電子證照）"),
            format!("basic-database resource `{id}` names no `basic_category`"),
        );
    }
    if r.database != Database::Basic && r.basic_category.is_some() {
        out.push(
            Warning,
            "32(1)",
            "resource",
            id,
            "basic_category_not_basic",
            format!("信息資源「{name}」不屬於基礎資料庫，卻註明了基礎類別"),
            format!("resource `{id}` is not in the basic database but names a `basic_category`"),
        );
    }
    if r.sharing == Sharing::NotShared && r.legal_basis.as_deref().is_none_or(blank) {
        out.push(
            Warning,
            "5",
            "resource",
            id,
            "legal_basis_missing",
            format!("不予共享類信息資源「{name}」沒有法律、法規、規章或上級政策依據"),
            format!(
                "not-shared resource `{id}` names no legal basis (law, regulation, rule or higher policy)"
            ),
        );
    }
    match &r.interface {
        None => out.push(
            Warning,
            "14",
            "resource",
            id,
            "interface_missing",
            format!("信息資源「{name}」沒有向共享平台提供信息訪問接口和接口規範說明"),
            format!("resource `{id}` has no access interface and specification"),
        ),
        Some(i) => {
            if blank(&i.endpoint) {
                out.push(
                    Warning,
                    "14",
                    "resource",
                    id,
                    "interface_endpoint_missing",
                    format!("信息資源「{name}」沒有信息訪問接口"),
                    format!("resource `{id}` has an interface without an endpoint"),
                );
            }
            if blank(&i.spec) {
                out.push(
                    Warning,
                    "14",
                    "resource",
                    id,
                    "interface_spec_missing",
                    format!("信息資源「{name}」沒有接口規範說明文檔"),
                    format!("resource `{id}` has an interface without its specification"),
                );
            }
        }
    }
    if r.has_sensitivity(Sensitivity::StateSecret) && r.network != Network::Intranet {
        out.push(
            Error,
            "8",
            "resource",
            id,
            "state_secret_not_intranet",
            format!("涉及國家秘密的信息資源「{name}」必須通過電子政務內網共享"),
            format!("state-secret resource `{id}` must be on the intranet"),
        );
    }
    if r.has_sensitivity(Sensitivity::StateSecret) && r.sharing == Sharing::Unconditional {
        out.push(
            Error,
            "4(1)",
            "resource",
            id,
            "state_secret_unconditional",
            format!("涉及國家秘密的信息資源「{name}」不得列為無條件共享"),
            format!("state-secret resource `{id}` is catalogued unconditional"),
        );
    }
    if r.has_sensitivity(Sensitivity::StateSecret) && !r.open_fields.is_empty() {
        out.push(
            Error,
            "4(1)",
            "resource",
            id,
            "state_secret_open_fields",
            format!("涉及國家秘密的信息資源「{name}」不得有可提供給所有政務部門的部分"),
            format!("state-secret resource `{id}` has `open_fields`: no part of it is open to every department"),
        );
    }
    if r.open_data && !r.sensitivity.is_empty() {
        out.push(
            Warning,
            "22",
            "resource",
            id,
            "open_data_sensitive",
            format!("信息資源「{name}」涉及國家秘密、商業秘密、個人隱私或工作秘密，不得向社會開放"),
            format!("open-data resource `{id}` carries sensitive data: it is never published"),
        );
    }
    let fields: HashSet<&str> = r.fields.iter().map(String::as_str).collect();
    if r.fields.is_empty() {
        out.push(
            Warning,
            "12",
            "resource",
            id,
            "fields_missing",
            format!("信息資源「{name}」沒有列出信息項"),
            format!("resource `{id}` lists no fields"),
        );
    }
    if let Some(f) = r.open_fields.iter().find(|f| !fields.contains(f.as_str())) {
        out.push(
            Error,
            "5",
            "resource",
            id,
            "open_fields_not_in_fields",
            format!("信息資源「{name}」的可公開信息項「{f}」不在其信息項中"),
            format!("resource `{id}` open field `{f}` is not one of its fields"),
        );
    }
    if r.sharing != Sharing::Conditional && !r.open_fields.is_empty() {
        out.push(
            Warning,
            "5",
            "resource",
            id,
            "open_fields_not_conditional",
            format!("信息資源「{name}」不是有條件共享類，其可公開信息項無意義"),
            format!("resource `{id}` is not conditional: its `open_fields` mean nothing"),
        );
    }
    if r.update_workdays.is_none() {
        out.push(
            Warning,
            "21",
            "resource",
            id,
            "update_limit_missing",
            format!("信息資源「{name}」沒有公布更新時限"),
            format!("resource `{id}` publishes no update limit (`update_workdays`)"),
        );
    }
}
