//! A pack's manifest: its name, validity and the numbers it sets (SPEC §7).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::{Category, Consequence};
use crate::calendar::CountingRule;
use crate::registry::{Method, Role};

/// The manifest of a policy pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The pack's name, e.g. `binzhou`.
    pub name: String,
    /// The measures' title.
    pub title: String,
    /// First day in force (Art. 33).
    pub valid_from: NaiveDate,
    /// Last day in force (Art. 33).
    pub valid_until: NaiveDate,
    /// Working days a provider has to reply to an application (Art. 17).
    pub reply_limit_workdays: u32,
    /// Working days to update a catalog after a law or function change (Art. 11).
    pub catalog_update_workdays: u32,
    /// Working days to provide a resource's data when its catalog entry publishes no
    /// `update_workdays` (SPEC v2 §4: a reading of the pack).
    pub default_update_workdays: u32,
    /// The limits to report an incident (SPEC v2 §4).
    pub incident_report: IncidentReportLimits,
    /// The marks that put a resource outside the regulation (national Art. 3:
    /// `state_secret`, `work_secret`): no application, duty or violation is
    /// made of an event on it; the audit reports it (`outside_regulation`).
    #[serde(default)]
    pub outside_marks: Vec<crate::registry::Sensitivity>,
    /// The articles behind each duty the workflow opens, the article first (SPEC
    /// §7: no article number of a regulation lives in Rust).
    pub duties: DutyBases,
    /// How working-day limits are counted.
    #[serde(default)]
    pub counting_rule: CountingRule,
    /// When a violation is serious (情節嚴重).
    pub severity: SeveritySettings,
    /// Codes of warning findings (SPEC v2 §6) that a decision on the resource
    /// reports as an added reason (Binzhou: `basic_not_unconditional`, Art. 10).
    #[serde(default)]
    pub decision_notes: Vec<String>,
    /// How the audit reads violations (SPEC v2 §5): who urges correction, which
    /// article a sensitive resource adds, and what an unknown failing check means.
    pub audit: AuditSettings,
    /// The violation categories (SPEC v2 §5 table): every [`Category`] has one.
    pub categories: BTreeMap<String, CategorySettings>,
    /// A failing check of a `usage` (its reason `code`) → the category it makes
    /// (SPEC v2 §5 "From a failing check to a category"), or `"none"` (not the
    /// user's fault, e.g. a quarantine).
    pub usage_checks: BTreeMap<String, String>,
    /// The article the provider's usage report answers (SPEC v2 §4; Binzhou:
    /// `27`, 提供部門有權向使用部門了解共享信息使用情況); the report's `citations`.
    /// Absent: the pack cites none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_report_article: Option<String>,
    /// The access methods the pack reads (SPEC v2 §7).
    pub methods: MethodSettings,
    /// The articles behind the engine's own answers (SPEC §7: no article number
    /// of a regulation lives in Rust).
    pub answers: AnswerArticles,
    /// Whether the engine models this pack's workflow and audit (applications,
    /// duties, violations). `false`: a ledger, an audit or a usage report at a
    /// moment under this pack is refused (`workflow.not_modelled`), never
    /// answered with another regulation's rules.
    #[serde(default = "yes")]
    pub workflow: bool,
    /// The texts of the workflow's own rules, which its rejections name, with
    /// their articles (required when `workflow`: every key of
    /// [`crate::workflow::RULE_KEYS`]).
    #[serde(default)]
    pub rule_texts: BTreeMap<String, String>,
    /// The article of each irregularity the workflow reports (required when
    /// `workflow`: every code of [`crate::workflow::IRREGULARITY_CODES`]).
    #[serde(default)]
    pub irregularity_articles: BTreeMap<String, String>,
    /// The ledger's answers to "must the department serve the person?" (Binzhou
    /// Art. 20); required when `workflow` and `answers.must_serve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serve_texts: Option<ServeTexts>,
    /// How applications run (SPEC v2 §7: the coordination ladder and the limits
    /// per sharing class). Absent: the `central` procedure with
    /// `reply_limit_workdays`.
    #[serde(default)]
    pub applications: ApplicationSettings,
    /// The event kinds the pack reads (SPEC v2 §7: an event kind the pack in
    /// force does not declare is rejected by a strict ledger and ignored and
    /// reported by a lenient one). Absent: every kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventSettings>,
    /// How catalog updates run (absent: closed by `catalog_updated`, no
    /// extension, no review).
    #[serde(default)]
    pub catalog: CatalogSettings,
    /// Verification requests (`verification_requested`), when the pack has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationSettings>,
}

/// How a catalog update after a change of law or functions runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSettings {
    /// The ranks of a revised law that open the update duty; empty: any
    /// `law_revised` (a revision without a rank opens none when this is set).
    #[serde(default)]
    pub update_ranks: Vec<crate::registry::LegalBasisRank>,
    /// The event that completes the update: `catalog_updated` (default) or
    /// `catalog_submitted` (updated, then submitted for review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    /// The working days one extension may add (granted once by the department's
    /// same-level `[applications] coordinator`); absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_max_workdays: Option<u32>,
    /// Working days the reviewer has to publish a submitted catalog; absent: no
    /// review duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_workdays: Option<u32>,
    /// Who reviews (the department's same-level body with this role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<Role>,
}

/// Verification requests (national Art. 26¶2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationSettings {
    /// Working days the provider has to verify, correct and report back.
    pub workdays: u32,
}

/// The procedure an application follows when the provider refuses (SPEC v2 §7
/// "the coordination ladder").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// One coordinating body for the whole platform, then its superior (the
    /// `big_data_center`, then the `city_government_office`); a derived resource
    /// needs the coordinating body's consent too; a not-shared resource is
    /// coordinated from its application; unconditional data is taken directly.
    #[default]
    Central,
    /// Every share by application, answered within the limit of its class; after
    /// a refusal the parties negotiate, then the `coordinator` of their region
    /// (or of their longest common region) coordinates, refers a failure to the
    /// `decider` of its region, whose decision is final; materials, extensions,
    /// justified delays and delivery within `delivery_workdays`; not-shared data
    /// is never opened.
    Regional,
}

/// How applications run under a pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSettings {
    /// The procedure.
    #[serde(default)]
    pub procedure: Procedure,
    /// Working days for the reply, per sharing class (`unconditional`,
    /// `conditional`); `regional` needs both. `central` reads
    /// `reply_limit_workdays`.
    #[serde(default)]
    pub reply_workdays: BTreeMap<String, u32>,
    /// Working days to deliver the data after an approval (`regional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_workdays: Option<u32>,
    /// The most working days the extensions of one reply may add in total
    /// (`regional`; absent: no extension is valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_max_workdays: Option<u32>,
    /// The ladder's first rung (required with `workflow`): the body that
    /// coordinates after a refusal (`central`: also consents to derived
    /// resources and restricts derived rights; `regional`: the parties' sharing
    /// authority, which also grants extensions and records justified delays).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinator: Option<Role>,
    /// The ladder's second rung (required with `workflow`): the body that acts
    /// when the coordinator could not settle the dispute (`central`: coordinates
    /// again; `regional`: decides, finally).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decider: Option<Role>,
    /// The `reason_code`s for which a refusal of unconditional data is no
    /// obstruction (`regional`).
    #[serde(default)]
    pub refusal_codes_allowed: Vec<String>,
    /// The `reason_code` of a refusal for incomplete materials (`regional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub materials_incomplete_code: Option<String>,
}

impl ApplicationSettings {
    /// The reply limit for a sharing class under this procedure.
    pub fn reply_limit(&self, class: &str) -> Option<u32> {
        self.reply_workdays.get(class).copied()
    }
}

/// The event kinds a pack reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSettings {
    /// The SPEC §8 kind names, e.g. `apply`.
    pub declared: Vec<String>,
    /// Kinds of another pack a lenient ledger reads as one of the declared
    /// ones, reporting it (`inconsistency_reported` → `verification_requested`).
    /// A strict ledger rejects them.
    #[serde(default)]
    pub read_as: BTreeMap<String, String>,
}

/// The ledger's three answers to "must the department serve the person?"
/// (Binzhou Art. 20), each in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeTexts {
    /// Under verification, with valid proof: serve as usual.
    pub with_proof_zh: String,
    /// The same, in English.
    pub with_proof_en: String,
    /// Under verification, without proof: not required.
    pub without_proof_zh: String,
    /// The same, in English.
    pub without_proof_en: String,
    /// Not under verification: serve as usual.
    pub not_verified_zh: String,
    /// The same, in English.
    pub not_verified_en: String,
}

/// One column of the audit summary table: an article and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryColumn {
    /// The article the column counts (a violation's `article`).
    pub article: String,
    /// Its Chinese label.
    pub zh: String,
    /// Its English label.
    pub en: String,
}

fn yes() -> bool {
    true
}

/// The access methods of a pack (SPEC v2 §7 "Vocabulary across packs").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSettings {
    /// The methods the pack declares (its list is closed, a reading).
    pub declared: Vec<Method>,
    /// Other packs' methods read as one of the declared ones.
    #[serde(default)]
    pub map: BTreeMap<Method, Method>,
    /// The article that lists the methods (cited by `method_not_in_pack`).
    pub article: String,
}

impl MethodSettings {
    /// The method this pack reads `m` as: itself when declared, its mapping, or
    /// `None` (neither declared nor mapped: `method_not_in_pack`).
    pub fn resolve(&self, m: Method) -> Option<Method> {
        if self.declared.contains(&m) {
            Some(m)
        } else {
            self.map.get(&m).copied()
        }
    }
}

/// The articles the engine cites in the answers it writes itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerArticles {
    /// A request no sharing rule allows (`no_applicable_policy`) and grants
    /// that would cover a request only together (`grants_not_combined`).
    pub fallback: String,
    /// "May a department require a submission?" (Binzhou Art. 13; national
    /// Art. 19¶1).
    pub submission: String,
    /// "Must the department serve the person?" (Binzhou Art. 20); absent: the
    /// pack has no such rule and the question is `policy.not_in_pack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_serve: Option<String>,
    /// A requester whose sharing rights a provider or an authority suspended
    /// (national Art. 27¶2: `sharing_suspended`, route `coordinate`); absent:
    /// the pack has no such rule and suspensions are not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<String>,
}

/// The articles behind each duty (the article first, then the rest of its basis).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyBases {
    /// Updating the catalog after a law revision or a change of functions.
    pub catalog_update_after_change: Vec<String>,
    /// Updating the catalog after a change of collection scope.
    pub catalog_update_after_scope: Vec<String>,
    /// Filing the updated catalog.
    pub catalog_filing: Vec<String>,
    /// Providing a resource's data again within its update limit.
    pub data_provision: Vec<String>,
    /// Providing a newly catalogued resource's data for the first time.
    pub first_provision: Vec<String>,
    /// Correcting reported inconsistent data.
    pub inconsistency_correction: Vec<String>,
    /// Reporting an incident.
    pub incident_report: Vec<String>,
    /// Delivering approved data (the `regional` procedure; required there).
    #[serde(default)]
    pub data_delivery: Vec<String>,
    /// Reviewing and publishing a submitted catalog (with `[catalog]
    /// review_workdays`).
    #[serde(default)]
    pub catalog_review: Vec<String>,
    /// Verifying data on request (with `[verification]`).
    #[serde(default)]
    pub verification: Vec<String>,
}

impl DutyBases {
    /// Every basis with its manifest key.
    pub fn all(&self) -> [(&'static str, &[String]); 10] {
        [
            (
                "catalog_update_after_change",
                &self.catalog_update_after_change,
            ),
            (
                "catalog_update_after_scope",
                &self.catalog_update_after_scope,
            ),
            ("catalog_filing", &self.catalog_filing),
            ("data_provision", &self.data_provision),
            ("first_provision", &self.first_provision),
            ("inconsistency_correction", &self.inconsistency_correction),
            ("incident_report", &self.incident_report),
            ("data_delivery", &self.data_delivery),
            ("catalog_review", &self.catalog_review),
            ("verification", &self.verification),
        ]
    }
}

/// The limits to report an incident (Binzhou Art. 24 「及時」, read by the pack).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentReportLimits {
    /// Hours from the incident, for a resource marked `state_secret`.
    pub state_secret_hours: u32,
    /// Working days from the incident, otherwise.
    pub workdays: u32,
    /// Hours from the incident for every incident (national 立即, a reading);
    /// when set, the two limits above are not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
}

/// The thresholds that make a violation serious; the text leaves them open
/// (SPEC v2 §5 Severity: the engine has no defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeveritySettings {
    /// Lateness (working days) above which a violation is serious.
    pub serious_lateness: u32,
    /// Counting this one, this many violations of one category by one department
    /// within the window make it serious.
    pub serious_repeat: u32,
    /// The window for `serious_repeat`, in calendar months ending on this one's date.
    pub serious_window_months: u32,
}

/// The audit's settings (SPEC v2 §5 Consequences, Sensitive data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    /// The body that urges correction (Binzhou Art. 30: the Big Data Center).
    pub urged_by: Role,
    /// The body that urges correction when `urged_by` is itself the violator
    /// (Binzhou Art. 6: the City Government Office).
    pub urged_by_when_violator: Role,
    /// The body whose consent a derived resource needs besides the provider's
    /// (Binzhou Art. 21: the Big Data Center): it answers for a late consent.
    pub consent_by: Role,
    /// The article a sensitive resource adds to the basis (Binzhou: `"31"`).
    pub sensitive_article: String,
    /// The category of a failing check the `usage_checks` table does not name.
    pub unknown_check: Category,
    /// Whether a use against the rules of a sensitive resource also cites
    /// `sensitive_article` and is referred to the law (Binzhou Art. 31: yes;
    /// the national Art. 42 names disclosures and leaks only). Default `true`.
    #[serde(default = "yes")]
    pub sensitive_on_use: bool,
    /// The marks that make a disclosure or leak sensitive (cite
    /// `sensitive_article`); empty: any mark (Binzhou Art. 31).
    #[serde(default)]
    pub sensitive_marks: Vec<crate::registry::Sensitivity>,
    /// What a sensitive disclosure or leak brings besides correction (Binzhou
    /// Art. 31: `legal_referral`; national Art. 42: `disciplinary_referral`,
    /// 依法給予處分).
    #[serde(default = "legal_referral")]
    pub sensitive_consequence: Consequence,
    /// How an incident (leak, tampering, destruction, unlawful use) is judged.
    #[serde(default)]
    pub incidents: IncidentReading,
    /// The columns of the audit summary table (`govshare audit --summary`), in
    /// order.
    #[serde(default)]
    pub summary: Vec<SummaryColumn>,
}

fn legal_referral() -> Consequence {
    Consequence::LegalReferral
}

/// How a pack judges incidents besides their report duty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentReading {
    /// A leak discloses data: `sensitive_data_breach` of a sensitive resource,
    /// `unauthorized_disclosure` of another; other incidents only open the
    /// report duty (Binzhou Art. 23, 24, 31).
    #[default]
    Breach,
    /// An incident during a requester's use is its failure of the security
    /// duty (`security_incident`, a reading of national Art. 34¶2); a leak of
    /// a sensitive resource also cites `sensitive_article`. The provider's own
    /// incident only opens the report duty.
    RequesterDuty,
}

/// One violation category of the pack (SPEC v2 §5 table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySettings {
    /// The article that sanctions it, e.g. `"30(5)"`.
    pub article: String,
    /// The other articles behind it. Empty for a duty whose own article is the
    /// basis (the obligation's, e.g. Art. 11 or 16 for a catalog).
    #[serde(default)]
    pub basis: Vec<String>,
    /// Who answers for it: `department`, `provider`, `user`, `acting_department`,
    /// `collecting_department`, `refusing_department`, `incident_department`,
    /// `leaking_department`, `project_department` (documentation; the audit finds
    /// the department from the event or duty).
    pub responsible: String,
    /// Whether a late provision or update of this category may bring the
    /// restriction of derived rights (Binzhou Art. 21).
    #[serde(default)]
    pub may_restrict: bool,
    /// The article instead of `article` when the responsible department is the
    /// resource's provider (national: an incident not reported is 40(7) for the
    /// requester, 39(9) for the provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_when_provider: Option<String>,
}

/// The words `responsible` may take.
const RESPONSIBLE: [&str; 10] = [
    "department",
    "provider",
    "user",
    "acting_department",
    "collecting_department",
    "refusing_department",
    "incident_department",
    "leaking_department",
    "project_department",
    "authority",
];

impl Manifest {
    /// The checks a pack's manifest must pass at load: every [`Category`] has an
    /// entry, `responsible` is known, every `usage_checks` value is a category or
    /// `none`, and the severity thresholds are positive.
    pub(crate) fn check(&self) -> Result<(), String> {
        for c in Category::ALL {
            let Some(s) = self.categories.get(c.as_str()) else {
                if c.is_optional() {
                    continue;
                }
                return Err(format!("`categories.{}` is missing", c.as_str()));
            };
            if !RESPONSIBLE.contains(&s.responsible.as_str()) {
                return Err(format!(
                    "`categories.{}.responsible` `{}` is none of {}",
                    c.as_str(),
                    s.responsible,
                    RESPONSIBLE.join(", ")
                ));
            }
            if s.article.trim().is_empty() {
                return Err(format!("`categories.{}.article` is blank", c.as_str()));
            }
        }
        for name in self.categories.keys() {
            if parse_category(name).is_none() {
                return Err(format!("`categories.{name}` is not a category"));
            }
        }
        for (code, value) in &self.usage_checks {
            if value != "none" && parse_category(value).is_none() {
                return Err(format!(
                    "`usage_checks.{code}` `{value}` is neither a category nor `none`"
                ));
            }
        }
        if self.methods.declared.is_empty() {
            return Err("`methods.declared` is empty".to_owned());
        }
        for (from, to) in &self.methods.map {
            if self.methods.declared.contains(from) {
                return Err(format!(
                    "`methods.map.{}` maps a method the pack declares",
                    crate::policy::entities::method_str(*from)
                ));
            }
            if !self.methods.declared.contains(to) {
                return Err(format!(
                    "`methods.map.{}` maps to `{}`, which `methods.declared` does not list",
                    crate::policy::entities::method_str(*from),
                    crate::policy::entities::method_str(*to)
                ));
            }
        }
        let regional = self.applications.procedure == Procedure::Regional;
        if self.workflow && regional {
            for key in crate::workflow::REGIONAL_RULE_KEYS {
                if self.rule_texts.get(key).is_none_or(|t| t.trim().is_empty()) {
                    return Err(format!(
                        "`rule_texts.{key}` is missing (a pack with the `regional` procedure names every rule of it)"
                    ));
                }
            }
            for code in crate::workflow::REGIONAL_IRREGULARITY_CODES {
                if !self.irregularity_articles.contains_key(code) {
                    return Err(format!("`irregularity_articles.{code}` is missing"));
                }
            }
        }
        if self.workflow && !regional {
            for key in crate::workflow::RULE_KEYS {
                if self.rule_texts.get(key).is_none_or(|t| t.trim().is_empty()) {
                    return Err(format!(
                        "`rule_texts.{key}` is missing (a pack with `workflow = true` names every rule of the workflow)"
                    ));
                }
            }
            for code in crate::workflow::IRREGULARITY_CODES {
                if !self.irregularity_articles.contains_key(code) {
                    return Err(format!("`irregularity_articles.{code}` is missing"));
                }
            }
            if self.answers.must_serve.is_some() && self.serve_texts.is_none() {
                return Err(
                    "`serve_texts` is missing (the pack answers `must_serve` and models the workflow)"
                        .to_owned(),
                );
            }
        }
        self.check_applications()?;
        let s = &self.severity;
        if s.serious_repeat == 0 || s.serious_window_months == 0 {
            return Err(
                "`severity.serious_repeat` and `severity.serious_window_months` must be positive"
                    .to_owned(),
            );
        }
        Ok(())
    }

    /// The `[applications]` and `[events]` tables: a `regional` procedure names
    /// both reply limits, its delivery limit, its coordinator and decider, and
    /// the categories it reports; declared event kinds are known kinds.
    fn check_applications(&self) -> Result<(), String> {
        let a = &self.applications;
        if self.workflow && (a.coordinator.is_none() || a.decider.is_none()) {
            return Err(
                "`applications.coordinator` and `applications.decider` are required when `workflow = true` (the coordination ladder's two rungs)"
                    .to_owned(),
            );
        }
        if a.procedure == Procedure::Regional && self.workflow {
            for class in ["unconditional", "conditional"] {
                if a.reply_limit(class).is_none() {
                    return Err(format!(
                        "`applications.reply_workdays.{class}` is missing (the `regional` procedure answers every class by application)"
                    ));
                }
            }
            if a.delivery_workdays.is_none() || self.duties.data_delivery.is_empty() {
                return Err(
                    "`applications.delivery_workdays` and `duties.data_delivery` are required by the `regional` procedure"
                        .to_owned(),
                );
            }
            for c in Category::REGIONAL {
                if !self.categories.contains_key(c.as_str()) {
                    return Err(format!(
                        "`categories.{}` is missing (the `regional` procedure reports it)",
                        c.as_str()
                    ));
                }
            }
        }
        let c = &self.catalog;
        if let Some(closed_by) = &c.closed_by
            && closed_by != "catalog_updated"
            && closed_by != "catalog_submitted"
        {
            return Err(format!(
                "`catalog.closed_by` `{closed_by}` is neither `catalog_updated` nor `catalog_submitted`"
            ));
        }
        if c.review_workdays.is_some() {
            if c.reviewer.is_none() || self.duties.catalog_review.is_empty() {
                return Err(
                    "`catalog.review_workdays` needs `catalog.reviewer` and `duties.catalog_review`"
                        .to_owned(),
                );
            }
            for cat in Category::CATALOG_REVIEW {
                if !self.categories.contains_key(cat.as_str()) {
                    return Err(format!(
                        "`categories.{}` is missing (the pack reviews catalogs)",
                        cat.as_str()
                    ));
                }
            }
        }
        if self.workflow
            && !self.outside_marks.is_empty()
            && self
                .rule_texts
                .get("outside_regulation")
                .is_none_or(|t| t.trim().is_empty())
        {
            return Err(
                "`rule_texts.outside_regulation` is missing (the pack has `outside_marks`)"
                    .to_owned(),
            );
        }
        if self.audit.incidents == IncidentReading::RequesterDuty {
            for cat in Category::REQUESTER_DUTY {
                if !self.categories.contains_key(cat.as_str()) {
                    return Err(format!(
                        "`categories.{}` is missing (`audit.incidents = \"requester_duty\"`)",
                        cat.as_str()
                    ));
                }
            }
        }
        if self.verification.is_some() {
            if self.duties.verification.is_empty() {
                return Err("`[verification]` needs `duties.verification`".to_owned());
            }
            for cat in Category::VERIFICATION {
                if !self.categories.contains_key(cat.as_str()) {
                    return Err(format!(
                        "`categories.{}` is missing (the pack has verification requests)",
                        cat.as_str()
                    ));
                }
            }
        }
        for class in a.reply_workdays.keys() {
            if class != "unconditional" && class != "conditional" {
                return Err(format!(
                    "`applications.reply_workdays.{class}` is not a sharing class with a reply (`unconditional`, `conditional`)"
                ));
            }
        }
        if let Some(events) = &self.events {
            for kind in &events.declared {
                if !crate::workflow::EVENT_KINDS.contains(&kind.as_str()) {
                    return Err(format!(
                        "`events.declared` names `{kind}`, not an event kind"
                    ));
                }
            }
            for (from, to) in &events.read_as {
                if !crate::workflow::READ_AS.contains(&(from.as_str(), to.as_str())) {
                    return Err(format!(
                        "`events.read_as.{from}` `{to}`: the engine reads no such pair (it knows {})",
                        crate::workflow::READ_AS
                            .iter()
                            .map(|(a, b)| format!("`{a}` as `{b}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !events.declared.contains(to) || events.declared.contains(from) {
                    return Err(format!(
                        "`events.read_as.{from}`: `{to}` must be declared and `{from}` not"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether `r` is outside the regulation (it bears one of `outside_marks`).
    pub fn is_outside(&self, r: &crate::registry::Resource) -> bool {
        self.outside_marks.iter().any(|m| r.sensitivity.contains(m))
    }

    /// Whether the pack reads events of `kind` (SPEC v2 §7).
    pub fn declares_event(&self, kind: &str) -> bool {
        self.events
            .as_ref()
            .is_none_or(|e| e.declared.iter().any(|k| k == kind))
    }

    /// The category's settings (always there once the manifest is loaded).
    pub fn category(&self, category: Category) -> Option<&CategorySettings> {
        self.categories.get(category.as_str())
    }

    /// What a failing check of a usage makes: `Some(None)` for `none` (no
    /// violation), `Some(Some(c))` for a category; the pack's `unknown_check`
    /// for a code the table does not name.
    pub fn usage_category(&self, code: &str) -> Option<Category> {
        match self.usage_checks.get(code) {
            Some(v) if v == "none" => None,
            Some(v) => Some(parse_category(v).unwrap_or(self.audit.unknown_check)),
            None => Some(self.audit.unknown_check),
        }
    }
}

fn parse_category(name: &str) -> Option<Category> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}
