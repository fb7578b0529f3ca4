//! The SPEC §8 request and decision shapes.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::registry::{Method, Network};

/// May `department` get `resource` for `purpose`, by `method`, now?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRequest {
    /// The requesting department.
    pub department: String,
    /// The resource.
    pub resource: String,
    /// The access method.
    pub method: Method,
    /// The purpose (one of the department's duties).
    pub purpose: String,
    /// The requested fields; absent means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<String>>,
    /// The network the request comes from.
    pub network: Network,
    /// The certificate serial presented.
    pub certificate: String,
    /// The moment (RFC 3339 with offset).
    pub at: DateTime<FixedOffset>,
}

/// Permit or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Access allowed.
    Permit,
    /// Access refused.
    Deny,
}

/// What happens next (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Get it directly from the platform.
    Direct,
    /// Get it under a grant.
    Granted,
    /// Apply to the provider (reply due within the pack's reply limit, Art. 17).
    Apply,
    /// Ask the Big Data Center to coordinate (then the City Government Office).
    Coordinate,
    /// The request itself must change.
    None,
}

/// One article-backed reason behind a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// The article, e.g. `"17"`, `"4(2)"`.
    pub article: String,
    /// A stable code, e.g. `certificate_invalid`.
    pub code: String,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

/// A decision (SPEC §8). `citations` is never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Permit or deny.
    pub decision: Effect,
    /// What happens next.
    pub route: Route,
    /// The articles that determined the decision.
    pub citations: Vec<String>,
    /// The grant used, for route `granted`.
    pub grant: Option<String>,
    /// False when evaluated outside the pack's validity on request.
    pub in_force: bool,
    /// Why, article by article.
    pub reasons: Vec<Reason>,
}
