//! A pack's manifest: its name, validity and the numbers it sets (SPEC §7).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::CountingRule;

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
    /// The article the provider's usage report answers (SPEC v2 §4; Binzhou:
    /// `27`, 提供部門有權向使用部門了解共享信息使用情況); the report's `citations`.
    /// Absent: the pack cites none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_report_article: Option<String>,
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
}

impl DutyBases {
    /// Every basis with its manifest key.
    pub fn all(&self) -> [(&'static str, &[String]); 7] {
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
}

/// The thresholds that make a violation serious; the text leaves them open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeveritySettings {
    /// Lateness (working days) above which a violation is serious.
    pub lateness_workdays: u32,
    /// The n-th violation of one category by one department within the window is serious.
    pub repeat_count: u32,
    /// The window for `repeat_count`, in months.
    pub repeat_window_months: u32,
    /// Whether any sensitive data makes a violation serious.
    pub sensitive_is_serious: bool,
}
