//! The crate-wide error: one enum over the module errors, each with a stable `code()`.
//!
//! Every code is declared once, in the table of its error enum ([`ErrorCode`]
//! rows, through `error_table!`); [`catalog`] gathers them, and `docs/errors.md`
//! is generated from it (`core/tests/errors_doc.rs` checks that it is).

mod table;

pub use table::ErrorCode;
pub(crate) use table::{error_table, pick};

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
/// its stable code, declared here once for both bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// An argument is not of the expected type or range (names the argument), or
    /// the caller's iterator raised.
    InvalidArgument,
    /// A date or moment argument is not a valid date.
    InvalidDate,
    /// A number in an input object that JSON cannot carry (NaN, an infinity, an
    /// integer past 64 bits).
    InvalidNumber,
    /// The streaming auditor was used after `finish()`.
    AuditorFinished,
    /// An access request or question object that does not fit SPEC §8: the code
    /// of [`PolicyError::InvalidRequest`].
    InvalidRequest,
    /// An event object that does not fit SPEC §8.
    InvalidEvent,
    /// An unknown counting rule.
    InvalidRule,
    /// A Rust panic caught at a binding's boundary (a bug).
    Panic,
}

error_table! {
    impl InputErrorKind {
        python: "`GovShareError`";
        InvalidArgument => "input.invalid_argument", {
            meaning: "an argument is not of the expected type or range (names the argument): a wrong type, \
            an integer argument (year, month, working-day count) that is fractional, non-finite \
            or out of range (never wrapped or truncated), a value that is not an iterable of \
            dicts; or the caller's iterator raised (its exception is the `__cause__`)",
            from: "any Python or Node function",
        }
        InvalidDate => "input.invalid_date", {
            meaning: "a date or moment argument is not a valid date: a naive `datetime`, a string that is \
            not RFC 3339 (Node: nor `YYYY-MM-DD`), an invalid `Date`, a value that is not a date",
            from: "Python and Node date arguments; Node `Date`s inside wire objects",
        }
        InvalidNumber => "input.invalid_number", {
            meaning: "a number inside an input dict/object that JSON cannot carry: NaN, ±Infinity, or an \
            integer past 64 bits (names the path, e.g. `` `grants[0].until` ``); never read as \
            `null`",
            from: "registries, requests, events given as dicts/objects",
        }
        AuditorFinished => "input.auditor_finished", {
            meaning: "the streaming auditor was used after `finish()`",
            from: "`Auditor.push`, `Auditor.finish`",
        }
        InvalidRequest => PolicyError::INVALID_REQUEST, {
            meaning: "a request or question dict/object that does not fit SPEC §8: the bindings' \
            name for `PolicyError::InvalidRequest` (documented there)",
            from: "`Engine.decide`, `answer`, `decide_many` / `decideMany`",
            python: "`PolicyError`",
        }
        InvalidEvent => "workflow.invalid_event", {
            meaning: "an event dict/object does not fit SPEC §8 (names the field, as for requests); also \
            the command line's code for an event line that does not parse",
            from: "`Ledger.apply`, `audit`, `Auditor.push`; `govshare applications` / `audit`",
            python: "`WorkflowError`",
        }
        InvalidRule => "calendar.invalid_rule", {
            meaning: "an unknown counting rule (`strict`, `next_workday_is_day_zero`)",
            from: "`Calendar.with_rule` / `withRule`",
            python: "`CalendarError`",
        }
        Panic => "internal.panic", {
            meaning: "a Rust panic was caught at the boundary (a bug: please report it); it never unwinds \
            into Node",
            from: "any Node function",
            python: "—",
        }
    }
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
        let limit = LimitError::too_deep(what, depth);
        match self {
            Self::Registry => RegistryError::Limit(limit).into(),
            Self::Request | Self::Event => limit.into(),
        }
    }
}

/// The errors only the command line (`govshare`, feature `cli`) reports: each
/// has its stable code, declared here with the others so that `docs/errors.md`
/// lists them from this one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CommandErrorKind {
    /// A request line of `govshare decide` that is not valid JSON.
    InvalidRequestLine,
    /// An input line that is not UTF-8.
    InvalidEncoding,
    /// The command line does not parse.
    Usage,
    /// A file or stdin/stdout cannot be read or written.
    Io,
    /// A decision could not be written as JSON.
    Serialize,
    /// A violation or report could not be written as JSON.
    Json,
    /// An argument that is not valid.
    BadArgument,
    /// The calendar output could not be written.
    Output,
    /// A moment argument that is not RFC 3339.
    InvalidTime,
}

error_table! {
    impl CommandErrorKind {
        python: "—";
        InvalidRequestLine => "request.invalid_json", {
            meaning: "a request line of `govshare decide` is not valid SPEC §8 JSON",
            from: "`govshare decide` output line",
        }
        InvalidEncoding => "input.invalid_encoding", {
            meaning: "an input line is not UTF-8 (GBK text, say); that line is skipped and the others are \
            still read",
            from: "`govshare decide` output line; `govshare applications`, `audit` on stderr, with the \
            line number",
        }
        Usage => "cli.usage", {
            meaning: "the command line does not parse (an unknown command or flag, a missing argument); \
            clap's explanation and usage follow",
            from: "every command",
        }
        Io => "cli.io", {
            meaning: "a file or stdin/stdout cannot be read or written",
            from: "every command",
        }
        Serialize => "cli.serialize", {
            meaning: "a decision could not be written as JSON (a bug)",
            from: "`govshare decide`, `validate`",
        }
        Json => "cli.json", {
            meaning: "a violation could not be written as JSON (a bug)",
            from: "`govshare audit`",
        }
        BadArgument => "cli.bad_argument", {
            meaning: "a command-line argument is not valid (a date, a number)",
            from: "`govshare deadline`, `calendar`",
        }
        Output => "cli.output", {
            meaning: "the calendar output could not be written",
            from: "`govshare calendar`",
        }
        InvalidTime => "cli.invalid_time", {
            meaning: "an `--as-of` (or similar) value is not RFC 3339",
            from: "`govshare applications`, `audit`",
        }
    }
}

/// A part of `docs/errors.md`: who returns the codes of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Section {
    /// The core's module errors: Rust, and through the bindings and the command line.
    Core,
    /// The codes the bindings give input they cannot read ([`InputErrorKind`]).
    Bindings,
    /// The codes only the command line gives ([`CommandErrorKind`]).
    CommandLine,
}

/// Every documented error code, by section and module, in the order of
/// `docs/errors.md` (which is generated from it). A code shared by two tables
/// (`policy.invalid_request`) appears in both; `docs/errors.md` lists it once,
/// where it first appears.
pub fn catalog() -> Vec<(Section, &'static ErrorCode)> {
    let core = [
        CalendarError::TABLE,
        RegistryError::TABLE,
        PolicyError::TABLE,
        WorkflowError::TABLE,
        LimitError::TABLE,
        UsageError::TABLE,
    ];
    core.into_iter()
        .flatten()
        .map(|row| (Section::Core, row))
        .chain(
            InputErrorKind::TABLE
                .iter()
                .map(|row| (Section::Bindings, row)),
        )
        .chain(
            CommandErrorKind::TABLE
                .iter()
                .map(|row| (Section::CommandLine, row)),
        )
        .collect()
}

impl Error {
    /// Every code [`Error::code`] can return, each once, in the order of
    /// [`catalog`] (the command line's own codes are not among them).
    pub fn codes() -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        for (section, row) in catalog() {
            if section != Section::CommandLine && !codes.contains(&row.code) {
                codes.push(row.code);
            }
        }
        codes
    }
}

#[cfg(test)]
mod tests {
    //! The tables generate `code()` and the code lists, so these need no hand
    //! copies: they check what a table cannot, that codes are unique and well
    //! formed, and that a shared code is shared on purpose.

    use super::*;

    #[test]
    fn each_code_is_declared_once_and_named_after_its_module() {
        let mut seen: Vec<&str> = Vec::new();
        for (_, row) in catalog() {
            let (module, name) = row.code.split_once('.').unwrap();
            assert!(!module.is_empty() && !name.is_empty(), "{}", row.code);
            assert!(
                row.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.'),
                "{}",
                row.code
            );
            assert!(
                !row.meaning.is_empty() && !row.from.is_empty(),
                "{}",
                row.code
            );
            if seen.contains(&row.code) {
                // The one shared code: the bindings' name for a request that
                // does not fit is the core's.
                assert_eq!(row.code, PolicyError::INVALID_REQUEST);
            }
            seen.push(row.code);
        }
        let codes = Error::codes();
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        assert!(!codes.contains(&CommandErrorKind::Usage.code()));
    }

    #[test]
    fn module_tables_use_their_prefix() {
        let prefixed = |table: &[ErrorCode], prefix: &str| {
            table.iter().all(|row| row.code.starts_with(prefix))
        };
        assert!(prefixed(CalendarError::TABLE, "calendar."));
        assert!(prefixed(RegistryError::TABLE, "registry."));
        assert!(prefixed(PolicyError::TABLE, "policy."));
        assert!(prefixed(WorkflowError::TABLE, "workflow."));
        assert!(prefixed(LimitError::TABLE, "limits."));
        assert!(prefixed(UsageError::TABLE, "usage."));
    }

    #[test]
    fn generated_code_matches_the_table_and_delegates_limits() {
        let limit = LimitError::TooDeep {
            what: "x".to_owned(),
            name: "MAX_DEPTH",
            limit: 1,
            actual: 2,
        };
        assert_eq!(limit.code(), "limits.too_deep");
        assert_eq!(
            RegistryError::Limit(limit.clone()).code(),
            "limits.too_deep"
        );
        assert_eq!(Error::from(limit).code(), "limits.too_deep");
        assert_eq!(
            RegistryError::Json("x".to_owned()).code(),
            RegistryError::CODES[0]
        );
        let e = PolicyError::NoPackInForce {
            at: "2030-01-01T00:00:00+08:00".to_owned(),
            packs: String::new(),
        };
        assert_eq!(e.code(), "policy.not_in_force");
        assert_eq!(
            InputErrorKind::ALL
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>(),
            InputErrorKind::CODES
        );
        assert_eq!(
            InputErrorKind::InvalidRequest.code(),
            PolicyError::INVALID_REQUEST
        );
        assert_eq!(
            CommandErrorKind::InvalidRequestLine.code(),
            "request.invalid_json"
        );
        let rust: Vec<_> = WorkflowError::TABLE
            .iter()
            .map(|r| r.rust)
            .take(2)
            .collect();
        assert_eq!(
            rust,
            [
                "`WorkflowError::WrongState`",
                "`WorkflowError::MissingReason`"
            ]
        );
    }

    #[test]
    fn input_errors_carry_their_kind_code() {
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
