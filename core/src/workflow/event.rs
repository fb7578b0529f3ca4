//! The SPEC §8 event: `{"id"?, "kind", "at", …}` with the fields its kind needs.
//!
//! Parsing rejects unknown fields, naming them. `id` is optional: a ledger gives an
//! event without one its 1-based position in the log.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::registry::{Certificate, Department, LegalBasisRank, Method, Resource};

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
    /// 政務數據共享主管部門 (national pack).
    SharingAuthority,
    /// 本級人民政府 (national pack).
    PeopleGovernment,
}

/// The people's government's decision on a dispute (national pack).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeOutcome {
    /// The data is shared, with a scope: a grant follows.
    Share,
    /// The data is not shared (final).
    NotShare,
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
        /// The certificate serial the act was made with (Art. 26, SPEC v2 §4); absent:
        /// the department's registered certificates must hold a valid one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
        /// The legal basis of the need (national pack: 依據).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        basis: Option<String>,
        /// The scenario of use (national pack: 使用場景).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scenario: Option<String>,
        /// How long the data is needed (national pack: 使用時限).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<DateTime<FixedOffset>>,
        /// Whether the department's head approved the application (national pack).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approved_by_head: Option<bool>,
    },
    /// The provider (or, for a derived resource, the Big Data Center) replies.
    Reply {
        /// The application id.
        application: String,
        /// The replying department.
        by: String,
        /// Approve or refuse.
        outcome: ReplyOutcome,
        /// Why it refuses (required for a refusal or a partial approval, Art. 17).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// A coded reason (national pack).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason_code: Option<String>,
        /// What an approval allows (required on an approval, SPEC v2 §4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Scope>,
        /// The certificate serial the act was made with (Art. 26).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
        /// Whether the provider's head approved the reply (national pack).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approved_by_head: Option<bool>,
    },
    /// The user asks for coordination; under the national pack, also the
    /// sharing authority referring a dispute to its people's government.
    Escalate {
        /// The application id.
        application: String,
        /// Who coordinates (or decides).
        to: EscalateTo,
        /// Who escalates: absent, the applying department; the sharing authority
        /// when it refers a dispute (national pack).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// The certificate serial the act was made with (Art. 26).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
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
        /// The certificate serial the act was made with (Art. 26).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
    },
    /// The parties' negotiation after a refusal failed (national pack).
    NegotiationFailed {
        /// The application id.
        application: String,
        /// The party recording it (the applying department or the provider).
        by: String,
    },
    /// The people's government decides a dispute referred to it (national pack).
    Decide {
        /// The application id.
        application: String,
        /// The deciding government.
        by: String,
        /// Share or not.
        outcome: DisputeOutcome,
        /// What a decision to share allows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Scope>,
        /// The certificate serial the act was made with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<String>,
    },
    /// The provider asks for missing materials (national pack).
    MaterialsRequested {
        /// The application id.
        application: String,
        /// The provider.
        by: String,
        /// What is missing.
        materials: Vec<String>,
    },
    /// The applying department supplies the materials asked for (national pack).
    MaterialsSupplied {
        /// The application id.
        application: String,
        /// The applying department (absent: the application's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// What it supplies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        materials: Option<Vec<String>>,
    },
    /// The sharing authority extends the time to reply (national pack).
    ExtensionGranted {
        /// The application whose reply is extended.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        application: Option<String>,
        /// The department whose catalog update is extended.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<String>,
        /// The authority granting it.
        by: String,
        /// Working days added.
        workdays: u32,
        /// Whether the requester was told.
        #[serde(default)]
        requester_informed: bool,
    },
    /// The sharing authority records a justified delay (national pack).
    DelayJustified {
        /// The application.
        application: String,
        /// The authority.
        by: String,
        /// Why.
        reason: String,
    },
    /// The provider delivered the approved data (national pack).
    DataShared {
        /// The application.
        application: String,
        /// The provider.
        by: String,
    },
    /// A department submits its updated catalog to its sharing authority for
    /// review (national pack: 報送).
    CatalogSubmitted {
        /// The department.
        department: String,
        /// A reference.
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// The sharing authority publishes a department's reviewed catalog (national
    /// pack: 審核並發布).
    CatalogPublished {
        /// The department whose catalog it is.
        department: String,
        /// The authority.
        by: String,
    },
    /// A requester asks the provider to verify data (national pack: 校核申請).
    VerificationRequested {
        /// The resource.
        resource: String,
        /// The requesting department.
        by: String,
        /// The record in doubt; absent: the whole resource.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// What is wrong.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// The provider verified and corrected the data (national pack).
    VerificationCompleted {
        /// The resource.
        resource: String,
        /// The record; absent: the whole resource.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// Whether the result was reported back to the requester (反饋).
        #[serde(default)]
        fed_back: bool,
    },
    /// A provider or a sharing authority suspends a requester's sharing rights
    /// (national Art. 27¶2).
    SharingSuspended {
        /// The requester whose rights are suspended.
        department: String,
        /// The provider or authority suspending them.
        by: String,
        /// `provider`: the suspending provider's resources; `region`: every
        /// resource of a provider in the suspending authority's region.
        scope: SuspensionScope,
        /// Why (the misuse).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The body that suspended a requester's rights restores them.
    SharingRestored {
        /// The requester.
        department: String,
        /// The body that suspended them.
        by: String,
    },
    /// The body that suspended a requester's rights ends its sharing (national
    /// Art. 27¶2 終止共享): the named grants, or all within its scope.
    SharingTerminated {
        /// The requester.
        department: String,
        /// The body that suspended its rights.
        by: String,
        /// The grants ended; absent: every grant of the requester within the scope.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        grants: Option<Vec<String>>,
    },
    /// The provider ends a sharing service it provides (national Art. 27¶3).
    ServiceTerminated {
        /// The grant the service runs under.
        grant: String,
        /// The provider.
        by: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Whether it was negotiated with the requester.
        #[serde(default)]
        negotiated: bool,
        /// Whether it was filed with the same-level sharing authority.
        #[serde(default)]
        filed: bool,
    },
    /// The provider changes a sharing service it provides (national Art. 27¶3).
    ServiceChanged {
        /// The grant the service runs under.
        grant: String,
        /// The provider.
        by: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Whether it was negotiated with the requester.
        #[serde(default)]
        negotiated: bool,
        /// Whether it was filed with the same-level sharing authority.
        #[serde(default)]
        filed: bool,
    },
    /// A law behind a department's catalog was revised (Art. 11).
    LawRevised {
        /// The department.
        department: String,
        /// A reference (the law).
        #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The rank of the revised law (SPEC v2 §8).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rank: Option<LegalBasisRank>,
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
        /// The record in doubt (SPEC v2 §4, Art. 20); absent: the whole resource.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
    },
    /// The provider corrected the reported data (Art. 18, 20).
    InconsistencyResolved {
        /// The resource.
        resource: String,
        /// The record corrected; absent: the whole-resource report.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
    },
    /// Provided data was rejected as unusable (Art. 30(3)).
    DataRejected {
        /// The resource.
        resource: String,
        /// Why.
        reason: String,
        /// The rejecting department.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
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
    /// Shared data was tampered with (Art. 24, SPEC v2 §4: an incident).
    Tampering {
        /// The department of the incident.
        department: String,
        /// The resource.
        resource: String,
        /// Marked as a crime.
        #[serde(default)]
        criminal: bool,
    },
    /// Shared data was used unlawfully (national Art. 34¶2: 非法利用; an incident).
    IllegalUse {
        /// The department of the incident.
        department: String,
        /// The resource.
        resource: String,
        /// Marked as a crime.
        #[serde(default)]
        criminal: bool,
    },
    /// Shared data was destroyed (Art. 24: an incident).
    Destruction {
        /// The department of the incident.
        department: String,
        /// The resource.
        resource: String,
        /// Marked as a crime.
        #[serde(default)]
        criminal: bool,
    },
    /// A system holding shared data was intruded (Art. 24: an incident).
    Intrusion {
        /// The department of the incident.
        department: String,
        /// The resource.
        resource: String,
        /// Marked as a crime.
        #[serde(default)]
        criminal: bool,
    },
    /// A sharing system was down (Art. 24: an incident).
    Outage {
        /// The department of the incident.
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
    /// A resource entered the catalog (SPEC v2 §4, §8: a registry change).
    ResourceCatalogued {
        /// The whole catalog entry.
        resource: Box<Resource>,
    },
    /// A catalog entry changed (a registry change).
    ResourceChanged {
        /// The whole new catalog entry.
        resource: Box<Resource>,
    },
    /// A resource left the catalog (a registry change): its grants end.
    ResourceWithdrawn {
        /// The resource id.
        resource: String,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A department's entry changed (a registry change), without certificates or
    /// `restricted`: only their own events change those.
    DepartmentChanged {
        /// The whole new department entry.
        department: Box<Department>,
    },
    /// A certificate was issued to a department (Art. 26; a registry change).
    CertificateIssued {
        /// The department.
        department: String,
        /// The certificate.
        certificate: Certificate,
    },
    /// A department's certificate was revoked (Art. 26; a registry change).
    CertificateRevoked {
        /// The department.
        department: String,
        /// The serial revoked.
        serial: String,
    },
    /// The Big Data Center restricted a department's rights to derived information
    /// (Art. 21; a registry change).
    RestrictionImposed {
        /// The restricted department.
        department: String,
        /// Who imposed it (the Big Data Center).
        by: String,
        /// Why.
        reason: String,
    },
    /// The restriction was lifted (a registry change).
    RestrictionLifted {
        /// The department.
        department: String,
        /// Who lifted it (the Big Data Center).
        by: String,
        /// Why.
        reason: String,
    },
    /// An incident was reported (Art. 24).
    IncidentReported {
        /// The department of the incident.
        department: String,
        /// The resource.
        resource: String,
        /// To whom it was reported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// A department refused, delayed or demanded correction before serving a person
    /// or company whose record is being verified (Art. 20).
    ServiceRefused {
        /// The refusing department.
        department: String,
        /// The resource the record is in.
        resource: String,
        /// The record (person or company).
        subject: String,
        /// Whether the person showed valid proof.
        proof_valid: bool,
        /// How service was refused.
        manner: ServiceManner,
    },
}

/// What a suspension of sharing rights covers (national Art. 27¶2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionScope {
    /// The suspending provider's own resources.
    Provider,
    /// Every resource of a provider in the suspending authority's region.
    Region,
}

/// How a department failed to serve as usual (Art. 20: 拒絕、推諉、要求更正).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceManner {
    /// 拒絕.
    Refused,
    /// 推諉.
    Delayed,
    /// 要求辦事人辦理信息更正手續.
    CorrectionDemanded,
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
            Self::Tampering { .. } => "tampering",
            Self::IllegalUse { .. } => "illegal_use",
            Self::SharingSuspended { .. } => "sharing_suspended",
            Self::SharingRestored { .. } => "sharing_restored",
            Self::SharingTerminated { .. } => "sharing_terminated",
            Self::ServiceTerminated { .. } => "service_terminated",
            Self::ServiceChanged { .. } => "service_changed",
            Self::Destruction { .. } => "destruction",
            Self::Intrusion { .. } => "intrusion",
            Self::Outage { .. } => "outage",
            Self::ResourceCatalogued { .. } => "resource_catalogued",
            Self::ResourceChanged { .. } => "resource_changed",
            Self::ResourceWithdrawn { .. } => "resource_withdrawn",
            Self::DepartmentChanged { .. } => "department_changed",
            Self::CertificateIssued { .. } => "certificate_issued",
            Self::CertificateRevoked { .. } => "certificate_revoked",
            Self::RestrictionImposed { .. } => "restriction_imposed",
            Self::RestrictionLifted { .. } => "restriction_lifted",
            Self::IncidentReported { .. } => "incident_reported",
            Self::ServiceRefused { .. } => "service_refused",
            Self::NegotiationFailed { .. } => "negotiation_failed",
            Self::Decide { .. } => "decide",
            Self::MaterialsRequested { .. } => "materials_requested",
            Self::MaterialsSupplied { .. } => "materials_supplied",
            Self::ExtensionGranted { .. } => "extension_granted",
            Self::DelayJustified { .. } => "delay_justified",
            Self::DataShared { .. } => "data_shared",
            Self::CatalogSubmitted { .. } => "catalog_submitted",
            Self::CatalogPublished { .. } => "catalog_published",
            Self::VerificationRequested { .. } => "verification_requested",
            Self::VerificationCompleted { .. } => "verification_completed",
        }
    }
}

impl Event {
    /// This event read as `kind` (see [`crate::workflow::READ_AS`]), if the
    /// engine knows the pair.
    pub(crate) fn read_as(&self, kind: &str) -> Option<Event> {
        let kind = match (&self.kind, kind) {
            (
                EventKind::InconsistencyReported {
                    resource,
                    by,
                    detail,
                    subject,
                },
                "verification_requested",
            ) => EventKind::VerificationRequested {
                resource: resource.clone(),
                by: by.clone(),
                subject: subject.clone(),
                detail: detail.clone(),
            },
            (EventKind::InconsistencyResolved { resource, subject }, "verification_completed") => {
                EventKind::VerificationCompleted {
                    resource: resource.clone(),
                    subject: subject.clone(),
                    fed_back: true,
                }
            }
            (
                EventKind::CatalogFiled {
                    department,
                    reference,
                },
                "catalog_submitted",
            ) => EventKind::CatalogSubmitted {
                department: department.clone(),
                reference: reference.clone(),
            },
            _ => return None,
        };
        Some(Event {
            id: self.id.clone(),
            at: self.at,
            kind,
        })
    }

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
