//! The SPEC §8 event: `{"id"?, "kind", "at", …}` with the fields its kind needs.
//!
//! Parsing rejects unknown fields, naming them. `id` is optional: a ledger gives an
//! event without one its 1-based position in the log.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::registry::Method;

/// One event of the platform's log (SPEC §4, §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The event id; absent means its 1-based position in the log.
    pub id: Option<String>,
    /// When it happened (RFC 3339 with offset).
    pub at: DateTime<FixedOffset>,
    /// What happened, with the fields of its kind.
    pub kind: EventKind,
}

/// The scope of an approval or an agreed coordination: what the grant allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Purposes allowed; empty means the application's purpose.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Fields allowed; empty means the application's fields (or all).
    #[serde(default)]
    pub fields: Vec<String>,
    /// Methods allowed; empty means the application's methods (or all).
    #[serde(default)]
    pub methods: Vec<Method>,
    /// End of the grant; absent means open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<FixedOffset>>,
}

/// The provider's answer to an application (Art. 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOutcome {
    /// Approved, with a scope.
    Approve,
    /// Refused; a reason is required (Art. 17).
    Refuse,
}

/// The outcome of a coordination (Art. 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordinationOutcome {
    /// The parties agreed: a grant follows.
    Agreed,
    /// Coordination failed.
    Failed,
}

/// Who an application is escalated to (Art. 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalateTo {
    /// 市大數據中心.
    BigDataCenter,
    /// 市政府辦公室.
    CityGovernmentOffice,
}

/// The kind of an event and the fields it needs (SPEC §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum EventKind {
    /// A department applies for a resource (Art. 17, 21).
    Apply {
        /// The application id.
        application: String,
        /// The applying (using) department.
        department: String,
        /// The resource.
        resource: String,
        /// The purpose (one of its duties).
        purpose: String,
        /// Requested fields; absent means all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<String>>,
        /// Requested methods; absent means all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        methods: Option<Vec<Method>>,
    },
    /// The provider (or, for a derived resource, the Big Data Center) replies.
    Reply {
        /// The application id.
        application: String,
        /// The replying department.
        by: String,
        /// Approve or refuse.
        outcome: ReplyOutcome,
        /// Why it refuses (required for a refusal, Art. 17).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// What an approval allows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Scope>,
    },
    /// The user asks for coordination.
    Escalate {
        /// The application id.
        application: String,
        /// Who coordinates.
        to: EscalateTo,
    },
    /// The coordinator's outcome.
    Coordinate {
        /// The application id.
        application: String,
        /// The coordinating department.
        by: String,
        /// Agreed or failed.
        outcome: CoordinationOutcome,
        /// What an agreement allows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Scope>,
    },
    /// A law behind a department's catalog was revised (Art. 11).
    LawRevised {
        /// The department.
        department: String,
        /// A reference (the law).
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A department's functions changed (Art. 11).
    FunctionChanged {
        /// The department.
        department: String,
        /// A reference.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A department changed its collection scope (Art. 16).
    CollectionScopeChanged {
        /// The department.
        department: String,
        /// A reference.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A department updated its catalog.
    CatalogUpdated {
        /// The department.
        department: String,
        /// A reference.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// A department filed its catalog with the Big Data Center (Art. 16).
    CatalogFiled {
        /// The department.
        department: String,
        /// A reference.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// The provider provided (updated) a resource's data on the platform (Art. 21).
    DataProvided {
        /// The resource.
        resource: String,
    },
    /// A user reported data inconsistent or wrong (Art. 20).
    InconsistencyReported {
        /// The resource.
        resource: String,
        /// The reporting department.
        by: String,
        /// What is wrong.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// The provider corrected the reported data (Art. 18, 20).
    InconsistencyResolved {
        /// The resource.
        resource: String,
    },
    /// Provided data was rejected as unusable (Art. 30(3)).
    DataRejected {
        /// The resource.
        resource: String,
        /// Why.
        reason: String,
    },
    /// A department used a resource's data for a purpose (Art. 19, 23).
    Usage {
        /// The using department.
        department: String,
        /// The resource.
        resource: String,
        /// The purpose.
        purpose: String,
        /// The grant it relied on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grant: Option<String>,
    },
    /// A department disclosed shared data outside the sharing system (Art. 23).
    Disclosure {
        /// The disclosing department.
        department: String,
        /// The resource.
        resource: String,
        /// To whom.
        to: String,
    },
    /// Shared data leaked from a department (Art. 23, 31).
    Leak {
        /// The department it leaked from.
        department: String,
        /// The resource.
        resource: String,
        /// Marked as a crime.
        #[serde(default)]
        criminal: bool,
    },
    /// A department required a person or company to submit an item (Art. 13).
    SubmissionRequired {
        /// The collecting department.
        department: String,
        /// The item (a resource).
        resource: String,
    },
    /// An IT project was submitted for approval (Art. 28).
    ProjectSubmitted {
        /// The project id.
        project: String,
        /// Its department.
        department: String,
        /// Whether its information-resource catalog came with it.
        catalog: bool,
    },
    /// An IT project was accepted on completion (Art. 28).
    ProjectAccepted {
        /// The project id.
        project: String,
        /// Its department.
        department: String,
        /// Whether its catalog is in the platform's catalog system.
        catalog_in_platform: bool,
    },
}

impl EventKind {
    /// The SPEC §8 name of the kind, e.g. `apply`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Apply { .. } => "apply",
            Self::Reply { .. } => "reply",
            Self::Escalate { .. } => "escalate",
            Self::Coordinate { .. } => "coordinate",
            Self::LawRevised { .. } => "law_revised",
            Self::FunctionChanged { .. } => "function_changed",
            Self::CollectionScopeChanged { .. } => "collection_scope_changed",
            Self::CatalogUpdated { .. } => "catalog_updated",
            Self::CatalogFiled { .. } => "catalog_filed",
            Self::DataProvided { .. } => "data_provided",
            Self::InconsistencyReported { .. } => "inconsistency_reported",
            Self::InconsistencyResolved { .. } => "inconsistency_resolved",
            Self::DataRejected { .. } => "data_rejected",
            Self::Usage { .. } => "usage",
            Self::Disclosure { .. } => "disclosure",
            Self::Leak { .. } => "leak",
            Self::SubmissionRequired { .. } => "submission_required",
            Self::ProjectSubmitted { .. } => "project_submitted",
            Self::ProjectAccepted { .. } => "project_accepted",
        }
    }
}

impl Event {
    /// Parses one event from SPEC §8 JSON. Errors name the unknown or missing field;
    /// an event over [`crate::limits::MAX_EVENT_BYTES`] or
    /// [`crate::limits::MAX_DEPTH`] is a [`crate::limits::JsonError::Limit`].
    pub fn from_json_str(json: &str) -> Result<Self, crate::limits::JsonError> {
        crate::limits::from_json_str(json, crate::limits::Input::Event)
    }

    /// The event's id, or `position` (1-based) as a string when it has none.
    pub fn id_or(&self, position: u64) -> String {
        self.id.clone().unwrap_or_else(|| position.to_string())
    }
}

impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        let body = serde_json::to_value(&self.kind).map_err(S::Error::custom)?;
        let serde_json::Value::Object(fields) = body else {
            return Err(S::Error::custom(
                "event kind did not serialise to an object",
            ));
        };
        let mut map = serializer.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        if let Some(kind) = fields.get("kind") {
            map.serialize_entry("kind", kind)?;
        }
        map.serialize_entry("at", &self.at)?;
        for (k, v) in &fields {
            if k != "kind" {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let id = match map.remove("id") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "field `id` must be a string, found `{other}`"
                )));
            }
        };
        let at = map
            .remove("at")
            .ok_or_else(|| D::Error::missing_field("at"))?;
        let at: DateTime<FixedOffset> =
            serde_json::from_value(at).map_err(|e| D::Error::custom(format!("field `at`: {e}")))?;
        if !map.contains_key("kind") {
            return Err(D::Error::missing_field("kind"));
        }
        let kind: EventKind =
            serde_json::from_value(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Self { id, at, kind })
    }
}
