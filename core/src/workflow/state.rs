//! What a ledger reports: applications, obligations, what an event changed, and the
//! Art. 20 answer. All serialise to JSON with stable snake_case names.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::registry::{Grant, GrantSource};

/// Where an application stands (Art. 17, 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Waiting for the provider's reply (due within the reply limit).
    Pending,
    /// Derived resource: the provider approved; the Big Data Center has not yet.
    AwaitingBigDataCenter,
    /// Derived resource: the Big Data Center approved; the provider has not yet.
    AwaitingProvider,
    /// Refused with a reason; the user may ask the Big Data Center to coordinate.
    Refused,
    /// The Big Data Center is coordinating.
    CoordinatingBigDataCenter,
    /// The Big Data Center's coordination failed; the user may turn to the City
    /// Government Office.
    BigDataCenterFailed,
    /// The City Government Office is coordinating.
    CoordinatingCityGovernmentOffice,
    /// Approved or agreed: a grant exists (final).
    Approved,
    /// Coordination by the City Government Office failed (final).
    Failed,
}

impl ApplicationStatus {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::AwaitingBigDataCenter => "awaiting_big_data_center",
            Self::AwaitingProvider => "awaiting_provider",
            Self::Refused => "refused",
            Self::CoordinatingBigDataCenter => "coordinating_big_data_center",
            Self::BigDataCenterFailed => "big_data_center_failed",
            Self::CoordinatingCityGovernmentOffice => "coordinating_city_government_office",
            Self::Approved => "approved",
            Self::Failed => "failed",
        }
    }

    /// Whether nothing more can happen to the application.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Failed)
    }
}

/// One application, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationState {
    /// The application id.
    pub id: String,
    /// The applying department.
    pub department: String,
    /// The resource.
    pub resource: String,
    /// The resource's provider.
    pub provider: String,
    /// The purpose applied for.
    pub purpose: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// When it was opened.
    pub opened: DateTime<FixedOffset>,
    /// The provider's reply is due by 24:00 of this day (Art. 17); none for a
    /// not-shared resource (coordination directly).
    pub reply_due: Option<NaiveDate>,
    /// When the provider replied (or the application was otherwise answered).
    pub replied: Option<DateTime<FixedOffset>>,
    /// The reply came after its due day, or none came and the due day has passed.
    pub reply_late: bool,
    /// Working days late (`workdays_between(due, reply or as-of day)`), when late.
    pub reply_late_workdays: Option<i64>,
    /// Who approved so far (a derived resource needs the provider and the Big Data
    /// Center, Art. 21).
    pub approvals: Vec<GrantSource>,
    /// The refusal's reason.
    pub reason: Option<String>,
    /// The grant, once approved.
    pub grant: Option<String>,
    /// The events behind it, in order.
    pub events: Vec<String>,
}

/// The kind of an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// Update the department's catalog (Art. 11, 16).
    CatalogUpdate,
    /// File the updated catalog with the Big Data Center (Art. 16).
    CatalogFiling,
    /// Provide the resource's data again within its update limit (Art. 21).
    DataProvision,
    /// Correct reported inconsistent data (Art. 18, 20).
    InconsistencyCorrection,
}

impl ObligationKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CatalogUpdate => "catalog_update",
            Self::CatalogFiling => "catalog_filing",
            Self::DataProvision => "data_provision",
            Self::InconsistencyCorrection => "inconsistency_correction",
        }
    }
}

/// Open, or fulfilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    /// Not yet fulfilled.
    Open,
    /// Fulfilled (on time or late).
    Fulfilled,
}

/// One obligation, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationState {
    /// `<opening event id>/<kind>`.
    pub id: String,
    /// What must be done.
    pub kind: ObligationKind,
    /// The article that requires it: `"11"`, `"16"`, `"21"` or `"18"`.
    pub article: String,
    /// The responsible department.
    pub department: String,
    /// The resource, for data provision and correction.
    pub resource: Option<String>,
    /// When it arose.
    pub opened: DateTime<FixedOffset>,
    /// Due by 24:00 of this day; none when the resource publishes no update limit.
    pub due: Option<NaiveDate>,
    /// Open or fulfilled.
    pub status: ObligationStatus,
    /// When it was fulfilled.
    pub fulfilled: Option<DateTime<FixedOffset>>,
    /// Fulfilled after its due day, or still open after it.
    pub late: bool,
    /// Working days late (`workdays_between(due, fulfilled or as-of day)`), when late.
    pub late_workdays: Option<i64>,
    /// The opening event, then the fulfilling one.
    pub events: Vec<String>,
}

/// Something the live workflow rejects that a lenient ledger (the audit's) applied
/// and recorded instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Irregularity {
    /// A stable code: `refusal_without_reason`, or `out_of_order` (SPEC §4 Order:
    /// the event is dated earlier than the event applied before it).
    pub code: String,
    /// The article broken (empty for `out_of_order`, a fault of the log).
    pub article: String,
    /// The event.
    pub event: String,
    /// The responsible department (empty for `out_of_order`).
    pub department: String,
    /// The application concerned.
    pub application: Option<String>,
    /// For `out_of_order`: the event's `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<FixedOffset>>,
    /// For `out_of_order`: the `at` of the event applied before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<DateTime<FixedOffset>>,
}

/// What one event changed. Obligations closed by the event come back here so a caller
/// can stream them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The event id (its own, or its position).
    pub event: String,
    /// The event kind.
    pub kind: String,
    /// The application the event concerned, after the event.
    pub application: Option<ApplicationState>,
    /// The grant the event created.
    pub grant: Option<Grant>,
    /// Obligations the event opened.
    pub opened: Vec<ObligationState>,
    /// Obligations the event fulfilled.
    pub closed: Vec<ObligationState>,
    /// What a lenient ledger let through (always empty for a strict one).
    pub irregularities: Vec<Irregularity>,
}

/// Finished applications and fulfilled obligations handed back by
/// [`crate::workflow::Ledger::drain`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drained {
    /// Approved or finally failed applications.
    pub applications: Vec<ApplicationState>,
    /// Fulfilled obligations.
    pub obligations: Vec<ObligationState>,
}

/// The state of every application and obligation a ledger holds, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    /// The moment.
    pub as_of: DateTime<FixedOffset>,
    /// Applications, in the order they were opened (finished ones until drained).
    pub applications: Vec<ApplicationState>,
    /// Obligations: open ones, and fulfilled ones not yet drained, in the order they arose.
    pub obligations: Vec<ObligationState>,
}

/// The Art. 20 answer: must a department serve a person while the data is disputed?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAnswer {
    /// The resource.
    pub resource: String,
    /// Whether an inconsistency report on it is open (data being verified).
    pub disputed: bool,
    /// Whether the person showed valid proof.
    pub proof_valid: bool,
    /// Whether the department must serve the person as usual.
    pub must_serve: bool,
    /// Whether it may ask the person to get the information corrected first.
    pub may_require_correction: bool,
    /// The open reports (event ids).
    pub reports: Vec<String>,
    /// Always `["20"]`.
    pub citations: Vec<String>,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}
