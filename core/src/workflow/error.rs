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

crate::error::error_table! {
    impl WorkflowError {
        python: "`WorkflowError`";
        WrongState => "workflow.wrong_state", {
            meaning: "the event does not fit the state of its application (names the state met and the \
            rule)",
            from: "`Ledger::apply`",
        }
        MissingReason => "workflow.missing_reason", {
            meaning: "a refusal without the reason the pack requires",
            from: "`Ledger::apply`",
        }
        UnknownApplication => "workflow.unknown_application", {
            meaning: "the event names an application never opened",
            from: "`Ledger::apply`",
        }
        DuplicateApplication => "workflow.duplicate_application", {
            meaning: "an `apply` reuses an application id",
            from: "`Ledger::apply`",
        }
        UnknownDepartment => "workflow.unknown_department", {
            meaning: "the event names a department not in the registry",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        UnknownResource => "workflow.unknown_resource", {
            meaning: "the event names a resource not in the catalog",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        UnknownGrant => "workflow.unknown_grant", {
            meaning: "the event names a grant that does not exist",
            from: "`Ledger::apply`",
        }
        WrongActor => "workflow.wrong_actor", {
            meaning: "the event comes from a department that may not act here (names who may)",
            from: "`Ledger::apply`",
        }
        DuplicateEvent => "workflow.duplicate_event", {
            meaning: "an event id seen before (SPEC §4 Order: ids are unique; an event without `id` has \
            its 1-based log position as id); the repeat is ignored",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        OutOfOrder => "workflow.out_of_order", {
            meaning: "an event dated earlier than the event applied before it (SPEC §4 Order; names the \
            event, its `at` and the previous `at`); the audit applies it and reports it as \
            `out_of_order` instead",
            from: "`Ledger::apply`",
        }
        PurposeNotDuty => "workflow.purpose_not_duty", {
            meaning: "an `apply` or `escalate` whose purpose is not one of the department's duties at that \
            moment (SPEC v2 §4, Art. 17); a lenient ledger applies it and reports \
            `purpose_not_duty`",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        ScopeNotStated => "workflow.scope_not_stated", {
            meaning: "a provider's approval without `scope`, or with an empty `scope.purposes`, or \
            `scope.fields: []` on a resource with fields (SPEC v2 §4, Art. 17); a lenient ledger \
            applies it and reports `scope_not_stated`",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        ScopeExceedsApplication => "workflow.scope_exceeds_application", {
            meaning: "an approval or a coordination naming a purpose, field or method the application did \
            not ask for (or, after a partial approval, beyond the refused part); a lenient \
            ledger grants only what was asked and reports `scope_not_stated`",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        CertificateInvalid => "workflow.certificate_invalid", {
            meaning: "an `apply`, `reply`, `escalate` or `coordinate` whose acting department holds no \
            valid certificate at that moment (or not the serial the event names) (Art. 26, SPEC \
            v2 §4); a lenient ledger applies it and reports `certificate_not_used`",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        RegistryChangeRejected => "workflow.registry_change_rejected", {
            meaning: "a registry change that would add an error finding (SPEC v2 §6) the registry did not \
            have; names the finding; the registry stays as it was",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        InvalidChange => "workflow.invalid_change", {
            meaning: "a registry change that is not a valid entry: a duplicate or unknown id, an \
            unresolvable reference, a `department_changed` carrying certificates or \
            `restricted`, a restriction not by the Big Data Center; the registry stays as it was",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        ResourceWithdrawn => "workflow.resource_withdrawn", {
            meaning: "an event naming a resource withdrawn from the catalog (names the withdrawing event)",
            from: "`Ledger::apply`, `Auditor::push`",
        }
        ActNotAllowed => "workflow.act_not_allowed", {
            meaning: "an act the pack in force forbids (national: refusing unconditional data without an \
            accepted reason, refusing for missing materials, asking for materials twice, an \
            invalid extension); names the act, what is wrong and the rule with its article",
            from: "`Ledger::apply` (strict)",
        }
        EventNotInPack => "workflow.event_not_in_pack", {
            meaning: "an event kind the pack in force at its moment does not read (SPEC v2 §7)",
            from: "`Ledger::apply` (strict)",
        }
        NotApplicable => "workflow.not_applicable", {
            meaning: "no application is needed for the resource's sharing class",
            from: "`Ledger::apply`",
        }
        NothingOpen => "workflow.nothing_open", {
            meaning: "a fulfilling event (catalog update, data provided, …) meets no open obligation",
            from: "`Ledger::apply`",
        }
        InvalidGrant => "workflow.invalid_grant", {
            meaning: "the grant an approval would create is not valid in the registry",
            from: "`Ledger::apply`",
        }
        Calendar => "workflow.calendar", {
            meaning: "a due date cannot be computed (a date outside the calendar data)",
            from: "`Ledger::apply`, `Auditor::push`",
        }
    }
}
