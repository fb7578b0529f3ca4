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
    /// Approved in part (SPEC v2 §4): a grant covers the approved part; the refused
    /// part may be escalated, and a coordination may grant only that part.
    PartlyApproved,
    /// Approved or agreed: a grant exists (final).
    Approved,
    /// Coordination by the City Government Office failed (final).
    Failed,
    /// The resource left the catalog while the application was open (final).
    Withdrawn,
    /// The provider asked for materials; no reply is due until they are
    /// supplied (`regional` procedure).
    AwaitingMaterials,
    /// The parties' negotiation failed; the requester may turn to the sharing
    /// authority (`regional`).
    NegotiationFailed,
    /// The sharing authority is coordinating (`regional`).
    CoordinatingSharingAuthority,
    /// The sharing authority's coordination failed; it may refer the dispute to
    /// its people's government (`regional`).
    SharingAuthorityFailed,
    /// The people's government is deciding (`regional`); its decision is final.
    DecidingPeopleGovernment,
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
            Self::PartlyApproved => "partly_approved",
            Self::Approved => "approved",
            Self::Failed => "failed",
            Self::Withdrawn => "withdrawn",
            Self::AwaitingMaterials => "awaiting_materials",
            Self::NegotiationFailed => "negotiation_failed",
            Self::CoordinatingSharingAuthority => "coordinating_sharing_authority",
            Self::SharingAuthorityFailed => "sharing_authority_failed",
            Self::DecidingPeopleGovernment => "deciding_people_government",
        }
    }

    /// Whether nothing more can happen to the application.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Failed | Self::Withdrawn)
    }
}

/// One application, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// The fields the application asked for (absent: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// The methods it named (absent: none named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methods: Option<Vec<crate::registry::Method>>,
    /// What a partial approval refused (SPEC v2 §4): the fields and methods asked
    /// for and not approved. Empty unless `partly_approved` (or escalated after it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_fields: Vec<String>,
    /// The methods asked for and not approved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_methods: Vec<crate::registry::Method>,
    /// Every grant the application led to (a partial approval, then a coordination
    /// of the refused part).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<String>,
    /// The pack in force when it was opened (SPEC v2 §4 Validity).
    pub pack: String,
    /// Whether a pack was in force when it was opened; `false` opens no duty.
    pub in_force: bool,
    /// Working days added to the reply limit by valid extensions (`regional`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub extension_workdays: u32,
    /// The event that recorded a justified delay (`regional`): a late reply or
    /// delivery is then no violation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_justified: Option<String>,
    /// The sharing authority handling its dispute (`regional`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinator: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
    /// Provide a newly catalogued resource's data for the first time (SPEC v2 §4).
    FirstProvision,
    /// Report an incident (SPEC v2 §4, Binzhou Art. 24).
    IncidentReport,
    /// Deliver approved data to the applying department (`regional` procedure).
    DataDelivery,
    /// Review and publish a department's submitted catalog (the sharing
    /// authority; national pack).
    CatalogReview,
    /// Verify, correct and report back on a verification request (national pack).
    Verification,
}

impl ObligationKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CatalogUpdate => "catalog_update",
            Self::CatalogFiling => "catalog_filing",
            Self::DataProvision => "data_provision",
            Self::InconsistencyCorrection => "inconsistency_correction",
            Self::FirstProvision => "first_provision",
            Self::IncidentReport => "incident_report",
            Self::DataDelivery => "data_delivery",
            Self::CatalogReview => "catalog_review",
            Self::Verification => "verification",
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
    /// Ended without violation before it fell due: its pack lapsed (Art. 33, SPEC v2
    /// §4 Validity) or its resource was withdrawn. See [`ObligationState::ended`].
    Ended,
}

/// One obligation, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObligationState {
    /// `<opening event id>/<kind>`.
    pub id: String,
    /// What must be done.
    pub kind: ObligationKind,
    /// The article that requires it, as the pack cites it.
    pub article: String,
    /// Every article behind it (the article first).
    #[serde(default)]
    pub basis: Vec<String>,
    /// The responsible department.
    pub department: String,
    /// The resource, for data provision, correction and incidents.
    pub resource: Option<String>,
    /// The record in doubt, for a correction reported per subject (Art. 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// When it arose.
    pub opened: DateTime<FixedOffset>,
    /// Due by 24:00 of this day (China time).
    pub due: Option<NaiveDate>,
    /// Due by this moment, for a limit in hours (SPEC v2 §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<FixedOffset>>,
    /// Why `due` is unknown: `calendar.not_covered` when the calendar data ends
    /// before the deadline (SPEC v2 §3). Such a duty is `undetermined` in an audit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_unknown: Option<String>,
    /// The pack that judges it: the one in force when it arose.
    pub pack: String,
    /// Why it ended without violation (`pack_lapsed`, `resource_withdrawn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
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
    /// For a delivery: the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The event that recorded a justified delay (`regional`): lateness is then
    /// no violation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_justified: Option<String>,
}

/// Something the live workflow rejects that a lenient ledger (the audit's) applied
/// and recorded instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Irregularity {
    /// A stable code: `out_of_order` (SPEC §4 Order: the event is dated earlier
    /// than the event applied before it), `refusal_without_reason` (a refusal or a
    /// partial approval without a reason), `scope_not_stated` (an approval without a
    /// stated scope, or one beyond the application), `purpose_not_duty` (an apply or
    /// escalate for a purpose outside the department's duties), `certificate_not_used`
    /// (an act without a valid certificate, Art. 26), `service_refused` (Art. 20),
    /// `registry_change_rejected` (a registry change not applied), `resource_withdrawn`
    /// (an event naming a withdrawn resource, ignored), `not_in_force` (an event at a
    /// moment no pack is in force: it opens no duty).
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
    /// The resource concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// What is wrong, in words (e.g. the finding that rejected a registry change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What one event changed. Obligations closed by the event come back here so a caller
/// can stream them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Drained {
    /// Approved or finally failed applications.
    pub applications: Vec<ApplicationState>,
    /// Fulfilled obligations.
    pub obligations: Vec<ObligationState>,
}

/// The state of every application and obligation a ledger holds, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct ServiceAnswer {
    /// The resource.
    pub resource: String,
    /// The record asked about (absent: any record of the resource).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
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
