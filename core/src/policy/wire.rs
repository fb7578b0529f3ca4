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
    /// The certificate serial presented; absent or blank fails the Art. 26
    /// check (`certificate_missing`), it is not an input error.
    #[serde(default)]
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

/// What the party named in a [`Remedy`] must do (SPEC v2 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyAction {
    /// The requester changes its request (certificate, network, purpose, fields).
    ChangeRequest,
    /// The requester applies to the provider (an `apply` event).
    Apply,
    /// The requester asks for coordination (an `apply` on not-shared data, or an `escalate`).
    Coordinate,
    /// The Big Data Center lifts its Art. 21 restriction.
    LiftRestriction,
    /// The provider corrects its catalog entry (and the Big Data Center confirms it).
    CorrectCatalog,
    /// The party puts its own house in order (a certificate, a registration).
    Rectify,
}

/// Who must act on a failing check, and how (SPEC v2 §2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Remedy {
    /// `requester`, `provider`, or a role such as `big_data_center`.
    pub by: String,
    /// What they do.
    pub action: RemedyAction,
}

/// One article-backed reason behind a decision or an answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Reason {
    /// The article, e.g. `"17"`, `"4(2)"`, `"21¶2"`.
    pub article: String,
    /// A stable code, e.g. `certificate_not_valid`.
    pub code: String,
    /// The route this reason gives (a decision's reasons always carry one).
    #[serde(default)]
    pub route: Option<Route>,
    /// Who must act, and how (every failing check carries one; a permit's reasons do not).
    #[serde(default)]
    pub remedy: Option<Remedy>,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

/// A decision (SPEC §8). `citations` is never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
    /// The pack that answered (its manifest `name`).
    #[serde(default)]
    pub pack: String,
    /// Why, article by article.
    pub reasons: Vec<Reason>,
}

/// A question line (SPEC v2 §8), answered on its own line by `govshare decide`
/// and by [`crate::policy::Engine::answer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "question", rename_all = "snake_case", deny_unknown_fields)]
pub enum Question {
    /// May `department` require a person or company to submit `resource` (Art. 13)?
    MayRequireSubmission {
        /// The department that would require it.
        department: String,
        /// The item.
        resource: String,
        /// The moment.
        at: DateTime<FixedOffset>,
        /// The purpose; absent: any of the department's duties.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purpose: Option<String>,
        /// The fields; absent or empty: the whole item.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<String>>,
    },
    /// May `department` publish `resource` on the open data platform (Art. 22)?
    MayPublishOpenData {
        /// The department.
        department: String,
        /// The resource.
        resource: String,
        /// The moment.
        at: DateTime<FixedOffset>,
    },
    /// Must `department` serve a person as usual (Art. 20)?
    MustServe {
        /// The department serving the person.
        department: String,
        /// The resource whose data the service relies on.
        resource: String,
        /// The record in doubt, if named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// Whether the person has shown valid proof.
        proof_valid: bool,
        /// The moment.
        at: DateTime<FixedOffset>,
    },
}

impl Question {
    /// The moment the question is asked about.
    pub fn at(&self) -> DateTime<FixedOffset> {
        match self {
            Self::MayRequireSubmission { at, .. }
            | Self::MayPublishOpenData { at, .. }
            | Self::MustServe { at, .. } => *at,
        }
    }
}

/// The answer to a [`Question`] (SPEC v2 §8): `{"allowed" | "must_serve",
/// "citations", "reasons", "in_force", "pack"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum QuestionAnswer {
    /// Art. 13 and Art. 22.
    Allowed(crate::policy::Answer),
    /// Art. 20.
    MustServe(ServeAnswer),
}

/// The Art. 20 answer: must the person be served as usual?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServeAnswer {
    /// Whether the department must serve the person as usual.
    pub must_serve: bool,
    /// The articles; never empty.
    pub citations: Vec<String>,
    /// Why.
    pub reasons: Vec<Reason>,
    /// False when evaluated outside the pack's validity on request.
    pub in_force: bool,
    /// The pack that answered.
    pub pack: String,
}

/// Parses SPEC §8 JSON with the request limits ([`crate::limits::MAX_REQUEST_BYTES`],
/// [`crate::limits::MAX_DEPTH`]); a shape error names the field.
fn from_json_limited<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, crate::Error> {
    use crate::limits::{self, JsonError};
    limits::from_json_str(json, limits::Input::Request).map_err(|e| match e {
        JsonError::Limit(l) => crate::Error::Limit(l),
        JsonError::Json(e) => crate::Error::Policy(super::PolicyError::InvalidRequest {
            field: what,
            message: e.to_string(),
        }),
    })
}

impl AccessRequest {
    /// Parses one access request from SPEC §8 JSON, with the input limits
    /// applied before parsing. Errors name the unknown, missing or malformed field
    /// (`policy.invalid_request`) or the limit (`limits.*`).
    pub fn from_json_str(json: &str) -> Result<Self, crate::Error> {
        from_json_limited(json, "request")
    }
}

impl Question {
    /// Parses one question line (SPEC v2 §8), with the input limits applied
    /// before parsing. An unknown `question`, or one that lacks a field, is
    /// `policy.invalid_request` naming it.
    pub fn from_json_str(json: &str) -> Result<Self, crate::Error> {
        from_json_limited(json, "question")
    }
}
