//! The crate-wide error: one enum over the module errors, each with a stable `code()`.

use crate::audit::UsageError;
use crate::calendar::CalendarError;
use crate::limits::LimitError;
use crate::policy::PolicyError;
use crate::registry::RegistryError;
use crate::workflow::WorkflowError;

/// Any error govshare returns. Every variant has a stable [`Error::code`] that the
/// Python and Node bindings expose as `.code`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A working-day calendar error.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A registry (departments, catalog, grants) error.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A policy pack or decision error.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A workflow (applications, obligations) error.
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// Input over one of the [`crate::limits`] (size, count, nesting depth).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A usage report (Art. 27) that cannot be made.
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// Input a binding could not read (an argument, a date, a wire object).
    #[error(transparent)]
    Input(#[from] InputError),
}

impl Error {
    /// The stable, machine-readable code of this error, such as `calendar.not_covered`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.code(),
            Self::Registry(e) => e.code(),
            Self::Policy(e) => e.code(),
            Self::Workflow(e) => e.code(),
            Self::Limit(e) => e.code(),
            Self::Usage(e) => e.code(),
            Self::Input(e) => e.code(),
        }
    }
}

/// What kind of input a binding (Python, Node) could not read; each kind has
/// its stable [`InputErrorKind::code`], declared here once for both bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// An argument is not of the expected type or range (names the argument), or
    /// the caller's iterator raised: `input.invalid_argument`.
    InvalidArgument,
    /// A date or moment argument is not a valid date: `input.invalid_date`.
    InvalidDate,
    /// A number in an input object that JSON cannot carry (NaN, an infinity, an
    /// integer past 64 bits): `input.invalid_number`.
    InvalidNumber,
    /// The streaming auditor was used after `finish()`: `input.auditor_finished`.
    AuditorFinished,
    /// An access request or question object that does not fit SPEC §8:
    /// `policy.invalid_request`, the code of [`PolicyError::InvalidRequest`].
    InvalidRequest,
    /// An event object that does not fit SPEC §8: `workflow.invalid_event`.
    InvalidEvent,
    /// An unknown counting rule: `calendar.invalid_rule`.
    InvalidRule,
    /// A Rust panic caught at a binding's boundary (a bug): `internal.panic`.
    Panic,
}

impl InputErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [Self] = &[
        Self::InvalidArgument,
        Self::InvalidDate,
        Self::InvalidNumber,
        Self::AuditorFinished,
        Self::InvalidRequest,
        Self::InvalidEvent,
        Self::InvalidRule,
        Self::Panic,
    ];

    /// The stable code of this kind: the one place the bindings' codes are written.
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidArgument => "input.invalid_argument",
            Self::InvalidDate => "input.invalid_date",
            Self::InvalidNumber => "input.invalid_number",
            Self::AuditorFinished => "input.auditor_finished",
            Self::InvalidRequest => PolicyError::INVALID_REQUEST,
            Self::InvalidEvent => "workflow.invalid_event",
            Self::InvalidRule => "calendar.invalid_rule",
            Self::Panic => "internal.panic",
        }
    }

    /// Whether another module error returns this kind's code too (so
    /// [`Error::codes`] lists it under that module).
    const fn shared(self) -> bool {
        matches!(self, Self::InvalidRequest)
    }
}

/// Input a binding could not read: the [`InputErrorKind`] gives the code, the
/// message (written by the binding, user input in backticks) says what and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    /// What kind of input failed; gives the code.
    pub kind: InputErrorKind,
    /// What is wrong, naming the argument or the field path.
    pub message: String,
}

impl InputError {
    /// An error of `kind` saying `message`.
    pub fn new(kind: InputErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The stable code of this error ([`InputErrorKind::code`]).
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl crate::limits::Input {
    /// The error for a wire object of this kind that does not fit its type
    /// (`detail` names the field path; `what` names the object, e.g. `request #3`):
    /// `registry.invalid_json`, `policy.invalid_request` or `workflow.invalid_event`.
    pub fn invalid(self, what: &str, detail: &str) -> Error {
        match self {
            Self::Registry => RegistryError::Json(detail.to_owned()).into(),
            Self::Request => InputError::new(
                InputErrorKind::InvalidRequest,
                format!("invalid {what}: {detail}"),
            )
            .into(),
            Self::Event => InputError::new(
                InputErrorKind::InvalidEvent,
                format!("invalid {what}: {detail}"),
            )
            .into(),
        }
    }

    /// The error for a wire object of this kind that nests `depth` levels, over
    /// [`crate::limits::MAX_DEPTH`] (`limits.too_deep`, inside a
    /// [`RegistryError`] for a registry, as for JSON text).
    pub fn too_deep(self, what: &str, depth: usize) -> Error {
        let limit = LimitError::TooDeep {
            what: what.to_owned(),
            name: "MAX_DEPTH",
            limit: crate::limits::MAX_DEPTH,
            actual: depth,
        };
        match self {
            Self::Registry => RegistryError::Limit(limit).into(),
            Self::Request | Self::Event => limit.into(),
        }
    }
}

/// Every code [`CalendarError::code`] returns for its own variants, in variant order
/// (its `Limit` variant returns a [`LimitError`] code).
const CALENDAR_CODES: &[&str] = &[
    "calendar.not_covered",
    "calendar.bad_syntax",
    "calendar.bad_entry",
    "calendar.io",
    "calendar.bad_month",
];

/// Every code [`RegistryError::code`] returns for its own variants, in variant order
/// (its `Limit` variant returns a [`LimitError`] code).
const REGISTRY_CODES: &[&str] = &[
    "registry.invalid_json",
    "registry.io",
    "registry.duplicate_id",
    "registry.dangling_reference",
    "registry.invalid_id",
    "registry.invalid_entry",
];

/// Every code [`PolicyError::code`] returns for its own variants, in variant order
/// (its `Limit` variant returns a [`LimitError`] code).
const POLICY_CODES: &[&str] = &[
    "policy.not_in_force",
    "policy.invalid_policy",
    "policy.invalid_schema",
    "policy.invalid_manifest",
    "policy.missing_file",
    "policy.io",
    "policy.unknown_department",
    "policy.unknown_resource",
    PolicyError::INVALID_REQUEST,
    "policy.evaluation",
    "policy.not_in_pack",
    "policy.invalid_findings",
];

/// Every code [`WorkflowError::code`] returns, in variant order.
const WORKFLOW_CODES: &[&str] = &[
    "workflow.wrong_state",
    "workflow.missing_reason",
    "workflow.unknown_application",
    "workflow.duplicate_application",
    "workflow.unknown_department",
    "workflow.unknown_resource",
    "workflow.unknown_grant",
    "workflow.wrong_actor",
    "workflow.duplicate_event",
    "workflow.not_applicable",
    "workflow.nothing_open",
    "workflow.invalid_grant",
    "workflow.calendar",
    "workflow.out_of_order",
    "workflow.purpose_not_duty",
    "workflow.scope_not_stated",
    "workflow.scope_exceeds_application",
    "workflow.certificate_invalid",
    "workflow.registry_change_rejected",
    "workflow.invalid_change",
    "workflow.resource_withdrawn",
    "workflow.act_not_allowed",
    "workflow.event_not_in_pack",
];

impl Error {
    /// Every code [`Error::code`] can return, each once, grouped by module
    /// (calendar, registry, policy, workflow, limits, usage, input). `docs/errors.md` lists them
    /// all; a test keeps the two in step.
    pub fn codes() -> Vec<&'static str> {
        [
            CALENDAR_CODES,
            REGISTRY_CODES,
            POLICY_CODES,
            WORKFLOW_CODES,
            LimitError::CODES,
            UsageError::CODES,
        ]
        .concat()
        .into_iter()
        .chain(
            InputErrorKind::ALL
                .iter()
                .filter(|k| !k.shared())
                .map(|k| k.code()),
        )
        .collect()
    }
}

#[cfg(test)]
mod tests {
    //! The code lists above are complete: each function below matches every variant
    //! of its enum without a wildcard, so a new variant fails to compile here until
    //! it is listed, and each test builds every variant and checks its code.

    use chrono::NaiveDate;

    use super::*;

    fn calendar_index(e: &CalendarError) -> Option<usize> {
        match e {
            CalendarError::NotCovered { .. } => Some(0),
            CalendarError::Syntax { .. } => Some(1),
            CalendarError::BadEntry { .. } => Some(2),
            CalendarError::Io { .. } => Some(3),
            CalendarError::BadMonth { .. } => Some(4),
            CalendarError::Limit(_) => None,
        }
    }

    fn registry_index(e: &RegistryError) -> Option<usize> {
        match e {
            RegistryError::Json(_) => Some(0),
            RegistryError::Io { .. } => Some(1),
            RegistryError::DuplicateId { .. } => Some(2),
            RegistryError::DanglingReference { .. } => Some(3),
            RegistryError::InvalidId { .. } => Some(4),
            RegistryError::InvalidEntry { .. } => Some(5),
            RegistryError::Limit(_) => None,
        }
    }

    fn policy_index(e: &PolicyError) -> Option<usize> {
        match e {
            PolicyError::NotInForce { .. } => Some(0),
            PolicyError::InvalidPolicy { .. } => Some(1),
            PolicyError::Schema { .. } => Some(2),
            PolicyError::Manifest { .. } => Some(3),
            PolicyError::MissingFile { .. } => Some(4),
            PolicyError::Io { .. } => Some(5),
            PolicyError::UnknownDepartment { .. } => Some(6),
            PolicyError::UnknownResource { .. } => Some(7),
            PolicyError::InvalidRequest { .. } => Some(8),
            PolicyError::Evaluation { .. } => Some(9),
            PolicyError::NoPackInForce { .. } => Some(0),
            PolicyError::NotInPack { .. } => Some(10),
            PolicyError::Findings { .. } => Some(11),
            PolicyError::Limit(_) => None,
        }
    }

    fn workflow_index(e: &WorkflowError) -> usize {
        match e {
            WorkflowError::WrongState { .. } => 0,
            WorkflowError::MissingReason { .. } => 1,
            WorkflowError::UnknownApplication { .. } => 2,
            WorkflowError::DuplicateApplication { .. } => 3,
            WorkflowError::UnknownDepartment { .. } => 4,
            WorkflowError::UnknownResource { .. } => 5,
            WorkflowError::UnknownGrant { .. } => 6,
            WorkflowError::WrongActor { .. } => 7,
            WorkflowError::DuplicateEvent { .. } => 8,
            WorkflowError::NotApplicable { .. } => 9,
            WorkflowError::NothingOpen { .. } => 10,
            WorkflowError::InvalidGrant { .. } => 11,
            WorkflowError::Calendar { .. } => 12,
            WorkflowError::OutOfOrder { .. } => 13,
            WorkflowError::PurposeNotDuty { .. } => 14,
            WorkflowError::ScopeNotStated { .. } => 15,
            WorkflowError::ScopeExceedsApplication { .. } => 16,
            WorkflowError::CertificateInvalid { .. } => 17,
            WorkflowError::RegistryChangeRejected { .. } => 18,
            WorkflowError::InvalidChange { .. } => 19,
            WorkflowError::ResourceWithdrawn { .. } => 20,
            WorkflowError::ActNotAllowed { .. } => 21,
            WorkflowError::EventNotInPack { .. } => 22,
        }
    }

    /// A new module error in [`Error`] fails to compile here until its codes are
    /// part of [`Error::codes`].
    fn module_codes(e: &Error) -> &'static [&'static str] {
        match e {
            Error::Calendar(_) => CALENDAR_CODES,
            Error::Registry(_) => REGISTRY_CODES,
            Error::Policy(_) => POLICY_CODES,
            Error::Workflow(_) => WORKFLOW_CODES,
            Error::Limit(_) => LimitError::CODES,
            Error::Usage(_) => UsageError::CODES,
            Error::Input(_) => &[],
        }
    }

    fn limit_index(e: &LimitError) -> usize {
        match e {
            LimitError::TooLarge { .. } => 0,
            LimitError::TooMany { .. } => 1,
            LimitError::TooDeep { .. } => 2,
        }
    }

    fn s() -> String {
        "x".to_owned()
    }

    fn calendar_all() -> Vec<CalendarError> {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        vec![
            CalendarError::NotCovered {
                date: d,
                first: d,
                last: d,
            },
            CalendarError::Syntax {
                source_name: s(),
                reason: s(),
            },
            CalendarError::BadEntry {
                source_name: s(),
                entry: s(),
                field: s(),
                reason: s(),
            },
            CalendarError::Io {
                path: s(),
                reason: s(),
            },
            CalendarError::BadMonth {
                year: 2020,
                month: 13,
            },
        ]
    }

    fn limits_all() -> Vec<LimitError> {
        vec![
            LimitError::TooLarge {
                what: s(),
                name: "N",
                limit: 1,
                actual: 2,
            },
            LimitError::TooMany {
                what: s(),
                items: "grants",
                name: "N",
                limit: 1,
                actual: 2,
            },
            LimitError::TooDeep {
                what: s(),
                name: "N",
                limit: 1,
                actual: 2,
            },
        ]
    }

    fn check<E>(
        all: &[E],
        codes: &[&str],
        index: impl Fn(&E) -> usize,
        code: impl Fn(&E) -> &'static str,
    ) {
        assert_eq!(all.len(), codes.len(), "one value per variant");
        for (i, e) in all.iter().enumerate() {
            assert_eq!(index(e), i, "variant order");
            assert_eq!(code(e), codes[i]);
        }
    }

    #[test]
    fn calendar_codes_are_complete() {
        check(
            &calendar_all(),
            CALENDAR_CODES,
            |e| calendar_index(e).unwrap(),
            CalendarError::code,
        );
        for l in limits_all() {
            let e = CalendarError::Limit(l.clone());
            assert_eq!(calendar_index(&e), None);
            assert_eq!(e.code(), l.code());
        }
    }

    #[test]
    fn limit_codes_are_complete() {
        check(
            &limits_all(),
            LimitError::CODES,
            limit_index,
            LimitError::code,
        );
    }

    #[test]
    fn registry_codes_are_complete() {
        let all = vec![
            RegistryError::Json(s()),
            RegistryError::Io {
                path: s(),
                message: s(),
            },
            RegistryError::DuplicateId {
                kind: "grant",
                id: s(),
            },
            RegistryError::DanglingReference {
                kind: "grant",
                id: s(),
                field: "resource",
                target: "resource",
                value: s(),
            },
            RegistryError::InvalidId {
                kind: "grant",
                id: s(),
            },
            RegistryError::InvalidEntry {
                kind: "department",
                id: s(),
                field: "certificates",
                message: s(),
            },
        ];
        check(
            &all,
            REGISTRY_CODES,
            |e| registry_index(e).unwrap(),
            RegistryError::code,
        );
        for l in limits_all() {
            let e = RegistryError::Limit(l.clone());
            assert_eq!(registry_index(&e), None);
            assert_eq!(e.code(), l.code());
        }
    }

    #[test]
    fn policy_codes_are_complete() {
        let all = vec![
            PolicyError::NotInForce {
                at: s(),
                pack: s(),
                from: s(),
                until: s(),
            },
            PolicyError::InvalidPolicy {
                file: s(),
                line: 1,
                message: s(),
            },
            PolicyError::Schema {
                file: s(),
                line: None,
                message: s(),
            },
            PolicyError::Manifest { message: s() },
            PolicyError::MissingFile { file: s() },
            PolicyError::Io {
                path: s(),
                message: s(),
            },
            PolicyError::UnknownDepartment { id: s() },
            PolicyError::UnknownResource { id: s() },
            PolicyError::InvalidRequest {
                field: "at",
                message: s(),
            },
            PolicyError::Evaluation {
                policy: None,
                message: s(),
            },
            PolicyError::NotInPack {
                pack: s(),
                question: "must_serve",
            },
            PolicyError::Findings { message: s() },
        ];
        check(
            &all,
            POLICY_CODES,
            |e| policy_index(e).unwrap(),
            PolicyError::code,
        );
        // A second variant of `policy.not_in_force` (a timeline of packs).
        let none = PolicyError::NoPackInForce {
            at: s(),
            packs: s(),
        };
        assert_eq!(policy_index(&none), Some(0));
        assert_eq!(none.code(), "policy.not_in_force");
        for l in limits_all() {
            let e = PolicyError::Limit(l.clone());
            assert_eq!(policy_index(&e), None);
            assert_eq!(e.code(), l.code());
        }
    }

    #[test]
    fn workflow_codes_are_complete() {
        let all = vec![
            WorkflowError::WrongState {
                event: s(),
                kind: "apply",
                application: s(),
                state: "open",
                rule: s(),
            },
            WorkflowError::MissingReason {
                event: s(),
                application: s(),
                state: "open",
                rule: s(),
            },
            WorkflowError::UnknownApplication {
                event: s(),
                application: s(),
            },
            WorkflowError::DuplicateApplication {
                event: s(),
                application: s(),
                state: "open",
            },
            WorkflowError::UnknownDepartment {
                event: s(),
                field: "department",
                department: s(),
            },
            WorkflowError::UnknownResource {
                event: s(),
                resource: s(),
            },
            WorkflowError::UnknownGrant {
                event: s(),
                grant: s(),
            },
            WorkflowError::WrongActor {
                event: s(),
                actor: s(),
                application: s(),
                state: "open",
                rule: s(),
            },
            WorkflowError::DuplicateEvent { event: s() },
            WorkflowError::NotApplicable {
                event: s(),
                resource: s(),
                rule: s(),
            },
            WorkflowError::NothingOpen {
                event: s(),
                kind: "catalog_updated",
                subject: s(),
                rule: s(),
            },
            WorkflowError::InvalidGrant {
                event: s(),
                grant: s(),
                message: s(),
            },
            WorkflowError::Calendar {
                event: s(),
                source: calendar_all().remove(0),
            },
            WorkflowError::OutOfOrder {
                event: s(),
                at: s(),
                previous: s(),
            },
            WorkflowError::PurposeNotDuty {
                event: s(),
                department: s(),
                purpose: s(),
                rule: s(),
            },
            WorkflowError::ScopeNotStated {
                event: s(),
                application: s(),
                detail: s(),
                rule: s(),
            },
            WorkflowError::ScopeExceedsApplication {
                event: s(),
                application: s(),
                detail: s(),
                rule: s(),
            },
            WorkflowError::CertificateInvalid {
                event: s(),
                department: s(),
                serial: s(),
                rule: s(),
            },
            WorkflowError::RegistryChangeRejected {
                event: s(),
                finding: s(),
            },
            WorkflowError::InvalidChange {
                event: s(),
                message: s(),
            },
            WorkflowError::ResourceWithdrawn {
                event: s(),
                resource: s(),
                withdrawn_by: s(),
            },
            WorkflowError::ActNotAllowed {
                event: s(),
                act: s(),
                detail: s(),
                rule: s(),
            },
            WorkflowError::EventNotInPack {
                event: s(),
                kind: s(),
                pack: s(),
            },
        ];
        check(&all, WORKFLOW_CODES, workflow_index, WorkflowError::code);
    }

    fn usage_index(e: &UsageError) -> usize {
        match e {
            UsageError::UnknownProvider { .. } => 0,
            UsageError::NotProvider { .. } => 1,
            UsageError::InvalidPeriod { .. } => 2,
        }
    }

    #[test]
    fn usage_codes_are_complete() {
        let all = vec![
            UsageError::UnknownProvider { provider: s() },
            UsageError::NotProvider {
                provider: s(),
                resource: s(),
            },
            UsageError::InvalidPeriod {
                from: s(),
                until: s(),
            },
        ];
        check(&all, UsageError::CODES, usage_index, UsageError::code);
    }

    #[test]
    fn crate_codes_are_unique_and_match_the_crate_error() {
        let codes = Error::codes();
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len(), "duplicate code");
        let all: Vec<Error> = calendar_all()
            .into_iter()
            .map(Error::from)
            .chain(limits_all().into_iter().map(Error::from))
            .collect();
        for e in &all {
            assert!(codes.contains(&e.code()), "{}", e.code());
            assert!(module_codes(e).contains(&e.code()), "{}", e.code());
        }
    }

    fn input_index(k: InputErrorKind) -> usize {
        match k {
            InputErrorKind::InvalidArgument => 0,
            InputErrorKind::InvalidDate => 1,
            InputErrorKind::InvalidNumber => 2,
            InputErrorKind::AuditorFinished => 3,
            InputErrorKind::InvalidRequest => 4,
            InputErrorKind::InvalidEvent => 5,
            InputErrorKind::InvalidRule => 6,
            InputErrorKind::Panic => 7,
        }
    }

    #[test]
    fn input_codes_are_complete_and_unchanged() {
        // `ALL` lists every kind once, in order (a new kind fails to compile in
        // `input_index` until it is listed), and the codes are the public
        // contract of the bindings: they never change.
        for (i, k) in InputErrorKind::ALL.iter().enumerate() {
            assert_eq!(input_index(*k), i);
        }
        let codes: Vec<_> = InputErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "input.invalid_argument",
                "input.invalid_date",
                "input.invalid_number",
                "input.auditor_finished",
                "policy.invalid_request",
                "workflow.invalid_event",
                "calendar.invalid_rule",
                "internal.panic",
            ]
        );
        let all = Error::codes();
        for code in codes {
            assert_eq!(all.iter().filter(|c| **c == code).count(), 1, "{code}");
        }
        let e = Error::from(InputError::new(
            InputErrorKind::InvalidDate,
            "`x` is not a date",
        ));
        assert_eq!(e.code(), "input.invalid_date");
        assert_eq!(e.to_string(), "`x` is not a date");
    }

    #[test]
    fn wire_inputs_have_their_codes() {
        use crate::limits::Input;
        assert_eq!(
            Input::Registry.invalid("registry", "d").code(),
            "registry.invalid_json"
        );
        assert_eq!(
            Input::Request.invalid("request #2", "d").to_string(),
            "invalid request #2: d"
        );
        assert_eq!(
            Input::Request.invalid("request", "d").code(),
            "policy.invalid_request"
        );
        assert_eq!(
            Input::Event.invalid("event", "d").code(),
            "workflow.invalid_event"
        );
        let deep = Input::Registry.too_deep("registry", 40);
        assert!(matches!(deep, Error::Registry(RegistryError::Limit(_))));
        assert_eq!(deep.code(), "limits.too_deep");
        assert_eq!(Input::Event.too_deep("event", 40).code(), "limits.too_deep");
    }
}
