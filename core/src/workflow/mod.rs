//! Applications and obligations over the event log (SPEC §4).
//!
//! A [`Ledger`] applies [`Event`]s one at a time. Applications (Art. 17, 21) move from
//! `pending` to `approved` (a grant with the stated scope), `partly_approved` (with a
//! reason), `refused` (with a reason), coordination by the Big Data Center (after a
//! refusal, a partial refusal or an overdue reply) and then by the City Government
//! Office. Registry-change events give the registry a history (SPEC v2 §4). Obligations (Art. 11, 16,
//! 18, 21) get due dates in Chinese working days and are closed by the events that
//! fulfil them. An event that does not fit is rejected with a [`WorkflowError`] that
//! names the event, the rule and the state met; the ledger is unchanged.
//!
//! ```
//! use govshare::policy::{Engine, PolicyPack};
//! use govshare::registry::Registry;
//! use govshare::workflow::{ApplicationStatus, Event, Ledger};
//!
//! let registry = Registry::from_path(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../policies/binzhou/sample/registry.json"
//! ))?;
//! let mut ledger = Ledger::new(Engine::new(PolicyPack::binzhou(), registry)?);
//!
//! // Friday 2019-09-27: the reply is due within 5 working days, across National Day.
//! let applied = ledger.apply(&Event::from_json_str(
//!     r#"{"kind":"apply","at":"2019-09-27T10:00:00+08:00","application":"a-1",
//!         "department":"city.market-regulation","resource":"hr.social-insurance",
//!         "purpose":"market-supervision"}"#,
//! )?)?;
//! let app = applied.application.expect("an apply event concerns an application");
//! assert_eq!(app.reply_due.map(|d| d.to_string()).as_deref(), Some("2019-10-10"));
//!
//! // A refusal must give a reason (Art. 17): rejected, and nothing changes.
//! let err = ledger
//!     .apply(&Event::from_json_str(
//!         r#"{"id":"r-1","kind":"reply","at":"2019-10-08T09:00:00+08:00","application":"a-1",
//!             "by":"city.human-resources","outcome":"refuse"}"#,
//!     )?)
//!     .unwrap_err();
//! assert_eq!(err.code(), "workflow.missing_reason");
//!
//! // An approval states its scope (Art. 17, SPEC v2 §4): without one it is rejected.
//! let err = ledger
//!     .apply(&Event::from_json_str(
//!         r#"{"kind":"reply","at":"2019-10-08T09:00:00+08:00","application":"a-1",
//!             "by":"city.human-resources","outcome":"approve"}"#,
//!     )?)
//!     .unwrap_err();
//! assert_eq!(err.code(), "workflow.scope_not_stated");
//!
//! // The provider approves the fields asked for: a grant, and the engine now says `granted`.
//! let applied = ledger.apply(&Event::from_json_str(
//!     r#"{"kind":"reply","at":"2019-10-08T09:00:00+08:00","application":"a-1",
//!         "by":"city.human-resources","outcome":"approve",
//!         "scope":{"purposes":["market-supervision"],
//!                  "fields":["name","id_number","insurance_type","contribution_base",
//!                            "contribution_status","employer_code"]}}"#,
//! )?)?;
//! assert_eq!(applied.grant.map(|g| g.id).as_deref(), Some("grant.a-1"));
//! let state = ledger.state(chrono::DateTime::parse_from_rfc3339("2019-10-08T12:00:00+08:00")?);
//! assert_eq!(state.applications[0].status, ApplicationStatus::Approved);
//! assert!(!state.applications[0].reply_late);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod event;
mod grants;
mod ids;
mod ledger;
mod state;

pub use error::WorkflowError;
pub use event::{
    CoordinationOutcome, DisputeOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope,
    ServiceManner, SuspensionScope,
};
pub(crate) use ids::IdSet;
pub use ledger::Ledger;

/// The rules of the workflow whose texts (with their articles) a pack's
/// `rule_texts` gives; rejections name them (SPEC §7: no article in Rust).
pub const RULE_KEYS: [&str; 16] = [
    "missing_reason",
    "purpose_not_duty",
    "scope_not_stated",
    "scope_exceeds_application",
    "certificate_invalid",
    "unconditional_direct",
    "reply_pending_only",
    "reply_provider_and_center",
    "reply_provider",
    "coordinate_center_after",
    "coordinate_office_after",
    "coordinate_center_only",
    "coordinate_office_only",
    "coordinate_under_coordination_only",
    "resolve_reported_only",
    "restriction_by_center",
];

/// The irregularities the workflow reports with an article, which a pack's
/// `irregularity_articles` gives.
pub const IRREGULARITY_CODES: [&str; 5] = [
    "certificate_not_used",
    "purpose_not_duty",
    "scope_not_stated",
    "refusal_without_reason",
    "service_refused",
];
/// The rules of the `regional` application procedure whose texts a pack with
/// that procedure gives in `rule_texts` (besides the shared ones it uses).
pub const REGIONAL_RULE_KEYS: [&str; 29] = [
    "missing_reason",
    "purpose_not_duty",
    "scope_not_stated",
    "scope_exceeds_application",
    "certificate_invalid",
    "reply_pending_only",
    "reply_provider",
    "outside_regulation",
    "not_shared_closed",
    "obstruction",
    "materials_refusal",
    "materials_once",
    "materials_before_due",
    "materials_supplied_after_request",
    "extension_rule",
    "delay_justified_by",
    "delivery_after_approval",
    "negotiation_after",
    "escalate_authority_after",
    "coordinate_authority_only",
    "refer_government_after",
    "decide_government_only",
    "catalog_review",
    "catalog_extension",
    "verification_requested_only",
    "verification_fed_back",
    "suspension_by",
    "termination_scope",
    "service_change",
];

/// The irregularities the `regional` procedure reports with an article.
pub const REGIONAL_IRREGULARITY_CODES: [&str; 9] = [
    "certificate_not_used",
    "purpose_not_duty",
    "scope_not_stated",
    "refusal_without_reason",
    "sharing_obstructed",
    "materials_not_requested_at_once",
    "refused_for_missing_materials",
    "verification_not_fed_back",
    "service_terminated_unilaterally",
];

/// Every event kind (SPEC §8 and the national pack's), by its wire name.
pub const EVENT_KINDS: [&str; 50] = [
    "apply",
    "reply",
    "escalate",
    "coordinate",
    "law_revised",
    "function_changed",
    "collection_scope_changed",
    "catalog_updated",
    "catalog_filed",
    "data_provided",
    "inconsistency_reported",
    "inconsistency_resolved",
    "data_rejected",
    "usage",
    "disclosure",
    "leak",
    "submission_required",
    "project_submitted",
    "project_accepted",
    "tampering",
    "destruction",
    "intrusion",
    "outage",
    "resource_catalogued",
    "resource_changed",
    "resource_withdrawn",
    "department_changed",
    "certificate_issued",
    "certificate_revoked",
    "restriction_imposed",
    "restriction_lifted",
    "incident_reported",
    "service_refused",
    "negotiation_failed",
    "decide",
    "materials_requested",
    "materials_supplied",
    "extension_granted",
    "delay_justified",
    "data_shared",
    "catalog_submitted",
    "catalog_published",
    "verification_requested",
    "verification_completed",
    "illegal_use",
    "sharing_suspended",
    "sharing_restored",
    "sharing_terminated",
    "service_terminated",
    "service_changed",
];
/// The pairs of kinds the engine can read one as the other (a pack's `[events]
/// read_as`): Binzhou's inconsistency report and its resolution as the national
/// verification request and its completion (reported back: the Binzhou event
/// cannot say).
pub const READ_AS: [(&str, &str); 3] = [
    ("inconsistency_reported", "verification_requested"),
    ("inconsistency_resolved", "verification_completed"),
    ("catalog_filed", "catalog_submitted"),
];
pub(crate) use ledger::registry_changed;
pub use state::{
    ApplicationState, ApplicationStatus, Applied, Drained, Irregularity, LedgerState,
    ObligationKind, ObligationState, ObligationStatus, ServiceAnswer,
};
