//! Why an event was rejected. A rejected event changes nothing.

use crate::calendar::CalendarError;

/// An error applying an event: names the event id, the rule it broke and the state it
/// met. The ledger's state is exactly as before.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// The event does not fit the state of the application it names.
    #[error(
        "event `{event}` rejected: `{kind}` does not fit application `{application}` in state `{state}` ({rule})"
    )]
    WrongState {
        /// The event id.
        event: String,
        /// The event kind.
        kind: &'static str,
        /// The application.
        application: String,
        /// The state the event met.
        state: &'static str,
        /// The rule, with its article.
        rule: String,
    },
    /// A refusal without a reason (Art. 17).
    #[error(
        "event `{event}` rejected: refusal of application `{application}` (state `{state}`) gives no reason ({rule})"
    )]
    MissingReason {
        /// The event id.
        event: String,
        /// The application.
        application: String,
        /// The state the event met.
        state: &'static str,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// The event names an application that was never opened.
    #[error("event `{event}` rejected: unknown application `{application}`")]
    UnknownApplication {
        /// The event id.
        event: String,
        /// The application id.
        application: String,
    },
    /// An application id already in use.
    #[error(
        "event `{event}` rejected: application `{application}` already exists (state `{state}`)"
    )]
    DuplicateApplication {
        /// The event id.
        event: String,
        /// The application id.
        application: String,
        /// The state of the existing application.
        state: &'static str,
    },
    /// The event names a department not in the registry.
    #[error("event `{event}` rejected: field `{field}` names unknown department `{department}`")]
    UnknownDepartment {
        /// The event id.
        event: String,
        /// The field.
        field: &'static str,
        /// The unknown id.
        department: String,
    },
    /// The event names a resource not in the catalog.
    #[error("event `{event}` rejected: unknown resource `{resource}`")]
    UnknownResource {
        /// The event id.
        event: String,
        /// The unknown id.
        resource: String,
    },
    /// The event names a grant that does not exist.
    #[error("event `{event}` rejected: unknown grant `{grant}`")]
    UnknownGrant {
        /// The event id.
        event: String,
        /// The unknown id.
        grant: String,
    },
    /// The event came from a department that may not act here.
    #[error(
        "event `{event}` rejected: `{actor}` may not act on application `{application}` in state `{state}` ({rule})"
    )]
    WrongActor {
        /// The event id.
        event: String,
        /// The acting department.
        actor: String,
        /// The application.
        application: String,
        /// The state the event met.
        state: &'static str,
        /// Who may act, with the article.
        rule: String,
    },
    /// An event id seen before (SPEC §4 Order: event ids are unique).
    #[error("event `{event}` rejected: duplicate event id")]
    DuplicateEvent {
        /// The event id.
        event: String,
    },
    /// The application does not fit the resource's sharing class.
    #[error(
        "event `{event}` rejected: no application is needed for resource `{resource}` ({rule})"
    )]
    NotApplicable {
        /// The event id.
        event: String,
        /// The resource.
        resource: String,
        /// Why, with the article.
        rule: String,
    },
    /// A fulfilling event with nothing to fulfil.
    #[error("event `{event}` rejected: `{kind}` for `{subject}` meets no open obligation ({rule})")]
    NothingOpen {
        /// The event id.
        event: String,
        /// The event kind.
        kind: &'static str,
        /// The resource or department.
        subject: String,
        /// The rule, with its article.
        rule: String,
    },
    /// The grant an approval would create is not valid in the registry.
    #[error("event `{event}` rejected: grant `{grant}` cannot be added: {message}")]
    InvalidGrant {
        /// The event id.
        event: String,
        /// The grant id.
        grant: String,
        /// What the registry said.
        message: String,
    },
    /// A due date could not be computed (a date outside the calendar data).
    #[error("event `{event}` rejected: {source}")]
    Calendar {
        /// The event id.
        event: String,
        /// The calendar error.
        source: CalendarError,
    },
    /// An `apply` or `escalate` whose purpose is not one of the department's duties
    /// at that moment (SPEC v2 §4, Art. 17: 因履行職責確需使用).
    #[error(
        "event `{event}` rejected: purpose `{purpose}` is not a duty of department `{department}` ({rule})"
    )]
    PurposeNotDuty {
        /// The event id.
        event: String,
        /// The department.
        department: String,
        /// The purpose.
        purpose: String,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// An approval without a stated scope (SPEC v2 §4, Art. 17: 應當明確信息的共享範圍和使用用途).
    #[error(
        "event `{event}` rejected: approval of application `{application}` does not state its scope: {detail} ({rule})"
    )]
    ScopeNotStated {
        /// The event id.
        event: String,
        /// The application.
        application: String,
        /// What is missing.
        detail: String,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// An approval naming a purpose, field or method the application did not ask for.
    #[error(
        "event `{event}` rejected: approval of application `{application}` goes beyond the application: {detail} ({rule})"
    )]
    ScopeExceedsApplication {
        /// The event id.
        event: String,
        /// The application.
        application: String,
        /// What exceeds it.
        detail: String,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// An act made without a valid certificate of the acting department (Art. 26).
    #[error(
        "event `{event}` rejected: department `{department}` acted without a valid certificate{serial} ({rule})"
    )]
    CertificateInvalid {
        /// The event id.
        event: String,
        /// The acting department.
        department: String,
        /// ` \`SERIAL\`` when the event named a serial, else empty.
        serial: String,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// A registry change that adds an error finding the registry did not have (SPEC v2 §4).
    #[error("event `{event}` rejected: the change would add an error finding: {finding}")]
    RegistryChangeRejected {
        /// The event id.
        event: String,
        /// The finding, with its code, id and article.
        finding: String,
    },
    /// A registry change that is not a valid registry entry (duplicate id, unresolvable
    /// reference, a field only its own event changes).
    #[error("event `{event}` rejected: invalid registry change: {message}")]
    InvalidChange {
        /// The event id.
        event: String,
        /// What is wrong.
        message: String,
    },
    /// An event naming a resource withdrawn from the catalog (SPEC v2 §4).
    #[error(
        "event `{event}` rejected: resource `{resource}` was withdrawn from the catalog by event `{withdrawn_by}`"
    )]
    ResourceWithdrawn {
        /// The event id.
        event: String,
        /// The resource.
        resource: String,
        /// The withdrawing event.
        withdrawn_by: String,
    },
    /// An act the pack in force forbids (national: refusing unconditional data,
    /// asking for materials twice, an invalid extension): rejected by a strict
    /// ledger, reported by a lenient one.
    #[error("event `{event}` rejected: `{act}` is not allowed: {detail} ({rule})")]
    ActNotAllowed {
        /// The event id.
        event: String,
        /// The irregularity the act would be, e.g. `sharing_obstructed`.
        act: String,
        /// What is wrong.
        detail: String,
        /// The rule, with its article (from the pack).
        rule: String,
    },
    /// An event kind the pack in force does not declare (SPEC v2 §7).
    #[error(
        "event `{event}` rejected: pack `{pack}` in force at its moment does not read `{kind}` events"
    )]
    EventNotInPack {
        /// The event id.
        event: String,
        /// The event kind.
        kind: String,
        /// The pack in force.
        pack: String,
    },
    /// An event dated earlier than the event applied before it (SPEC §4 Order: the
    /// log is in non-decreasing order of `at`).
    #[error(
        "event `{event}` rejected: dated {at}, earlier than the event before it ({previous}); the log must be in non-decreasing order of `at`"
    )]
    OutOfOrder {
        /// The event id.
        event: String,
        /// Its `at` (RFC 3339).
        at: String,
        /// The `at` of the event applied before it (RFC 3339).
        previous: String,
    },
}

impl WorkflowError {
    /// The stable code of this error, e.g. `workflow.wrong_state`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongState { .. } => "workflow.wrong_state",
            Self::MissingReason { .. } => "workflow.missing_reason",
            Self::UnknownApplication { .. } => "workflow.unknown_application",
            Self::DuplicateApplication { .. } => "workflow.duplicate_application",
            Self::UnknownDepartment { .. } => "workflow.unknown_department",
            Self::UnknownResource { .. } => "workflow.unknown_resource",
            Self::UnknownGrant { .. } => "workflow.unknown_grant",
            Self::WrongActor { .. } => "workflow.wrong_actor",
            Self::DuplicateEvent { .. } => "workflow.duplicate_event",
            Self::NotApplicable { .. } => "workflow.not_applicable",
            Self::NothingOpen { .. } => "workflow.nothing_open",
            Self::InvalidGrant { .. } => "workflow.invalid_grant",
            Self::Calendar { .. } => "workflow.calendar",
            Self::OutOfOrder { .. } => "workflow.out_of_order",
            Self::PurposeNotDuty { .. } => "workflow.purpose_not_duty",
            Self::ScopeNotStated { .. } => "workflow.scope_not_stated",
            Self::ScopeExceedsApplication { .. } => "workflow.scope_exceeds_application",
            Self::CertificateInvalid { .. } => "workflow.certificate_invalid",
            Self::RegistryChangeRejected { .. } => "workflow.registry_change_rejected",
            Self::InvalidChange { .. } => "workflow.invalid_change",
            Self::ResourceWithdrawn { .. } => "workflow.resource_withdrawn",
            Self::ActNotAllowed { .. } => "workflow.act_not_allowed",
            Self::EventNotInPack { .. } => "workflow.event_not_in_pack",
        }
    }

    /// The id of the rejected event.
    pub fn event(&self) -> &str {
        match self {
            Self::WrongState { event, .. }
            | Self::MissingReason { event, .. }
            | Self::UnknownApplication { event, .. }
            | Self::DuplicateApplication { event, .. }
            | Self::UnknownDepartment { event, .. }
            | Self::UnknownResource { event, .. }
            | Self::UnknownGrant { event, .. }
            | Self::WrongActor { event, .. }
            | Self::DuplicateEvent { event }
            | Self::NotApplicable { event, .. }
            | Self::NothingOpen { event, .. }
            | Self::InvalidGrant { event, .. }
            | Self::Calendar { event, .. }
            | Self::OutOfOrder { event, .. }
            | Self::PurposeNotDuty { event, .. }
            | Self::ScopeNotStated { event, .. }
            | Self::ScopeExceedsApplication { event, .. }
            | Self::CertificateInvalid { event, .. }
            | Self::RegistryChangeRejected { event, .. }
            | Self::InvalidChange { event, .. }
            | Self::ResourceWithdrawn { event, .. }
            | Self::ActNotAllowed { event, .. }
            | Self::EventNotInPack { event, .. } => event,
        }
    }
}
