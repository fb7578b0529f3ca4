//! The single point where Rust errors become Python exceptions.
//!
//! Every govshare error is raised as `govshare.GovShareError` (a `ValueError`) or
//! one of its subclasses, with `.code` set to the core's stable
//! [`govshare::Error::code`]. Input that cannot be converted into the core's
//! types (a bad request dict, a bad event) is reported the same way, the message
//! naming the offending field by its path (`resources[0].sharing`), and so is an
//! argument the binding cannot read (the `input.*` codes below): no exception
//! without a `.code` leaves this module, except one the caller's own code raised
//! that is not an `Exception` (`KeyboardInterrupt`), which passes through.

use govshare::error::{InputError, InputErrorKind};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::{PyTypeInfo, create_exception, intern};

use crate::value::ReadError;

create_exception!(
    govshare,
    GovShareError,
    PyValueError,
    "Any error govshare raises; `.code` is its stable machine-readable code."
);
create_exception!(
    govshare,
    CalendarError,
    GovShareError,
    "A working-day calendar error, e.g. `calendar.not_covered`."
);
create_exception!(
    govshare,
    RegistryError,
    GovShareError,
    "A registry (departments, catalog, grants) that cannot be loaded."
);
create_exception!(
    govshare,
    PolicyError,
    GovShareError,
    "A policy pack or decision error, e.g. `policy.not_in_force`."
);
create_exception!(
    govshare,
    WorkflowError,
    GovShareError,
    "An event that cannot be applied; the ledger is unchanged."
);

/// Which exception class an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `GovShareError` itself.
    Other,
    /// `CalendarError`.
    Calendar,
    /// `RegistryError`.
    Registry,
    /// `PolicyError`.
    Policy,
    /// `WorkflowError`.
    Workflow,
}

/// Builds the exception of `kind` with `message` and sets its `.code`.
fn raise(py: Python<'_>, kind: Kind, code: &str, message: String) -> PyErr {
    let err = match kind {
        Kind::Other => GovShareError::new_err(message),
        Kind::Calendar => CalendarError::new_err(message),
        Kind::Registry => RegistryError::new_err(message),
        Kind::Policy => PolicyError::new_err(message),
        Kind::Workflow => WorkflowError::new_err(message),
    };
    // Setting an attribute on a fresh exception instance cannot fail in practice;
    // if it ever did, that error is the more truthful one to raise.
    match err.value(py).setattr(intern!(py, "code"), code) {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Converts a core error into its exception (the one conversion point).
pub fn to_py(py: Python<'_>, e: &govshare::Error) -> PyErr {
    raise(py, kind_of(e), e.code(), e.to_string())
}

/// Converts the core error of the `index`-th item of a batch (0-based), the
/// message naming the item: `request #3: unknown department `x``.
pub fn to_py_at(py: Python<'_>, e: &govshare::Error, item: &str, index: usize) -> PyErr {
    let kind = kind_of(e);
    raise(py, kind, e.code(), format!("{item} #{index}: {e}"))
}

fn kind_of(e: &govshare::Error) -> Kind {
    match e {
        govshare::Error::Calendar(_) => Kind::Calendar,
        govshare::Error::Registry(_) => Kind::Registry,
        govshare::Error::Policy(_) => Kind::Policy,
        govshare::Error::Workflow(_) => Kind::Workflow,
        govshare::Error::Input(i) => match i.kind {
            InputErrorKind::InvalidRequest => Kind::Policy,
            InputErrorKind::InvalidEvent => Kind::Workflow,
            InputErrorKind::InvalidRule => Kind::Calendar,
            _ => Kind::Other,
        },
        _ => Kind::Other,
    }
}

/// Converts any error that converts into a core error.
pub fn core<E: Into<govshare::Error>>(py: Python<'_>, e: E) -> PyErr {
    to_py(py, &e.into())
}

/// A value passed from Python is not of the expected type or range (an argument,
/// an iterable that cannot be iterated).
pub const INVALID_ARGUMENT: InputErrorKind = InputErrorKind::InvalidArgument;
/// A date or moment argument is not a valid date: a naive `datetime`, a string
/// that is not RFC 3339, a value that is not a date at all.
pub const INVALID_DATE: InputErrorKind = InputErrorKind::InvalidDate;
/// The streaming `Auditor` was used after `finish()`.
pub const AUDITOR_FINISHED: InputErrorKind = InputErrorKind::AuditorFinished;

/// `e` (a core error) with `cause` (an exception raised by the caller's own code
/// while its input was read) as `__cause__`. An exception that is not an
/// `Exception` (`KeyboardInterrupt`, `SystemExit`) is not wrapped: it is
/// returned as it is.
fn caused(py: Python<'_>, e: govshare::Error, cause: Option<PyErr>) -> PyErr {
    match cause {
        Some(c) if !c.is_instance_of::<PyException>(py) => c,
        cause => {
            let err = to_py(py, &e);
            if cause.is_some() {
                err.set_cause(py, cause);
            }
            err
        }
    }
}

/// A `GovShareError` (or the subclass of its module) with the code of `kind`;
/// `cause` becomes `__cause__` (see [`caused`]).
pub fn invalid(
    py: Python<'_>,
    kind: InputErrorKind,
    message: String,
    cause: Option<PyErr>,
) -> PyErr {
    caused(py, InputError::new(kind, message).into(), cause)
}

/// An argument that pyo3 (or our own check) could not read as its type:
/// `input.invalid_argument` naming it, pyo3's own error as `__cause__`.
pub fn argument(py: Python<'_>, name: &str, detail: &str, cause: Option<PyErr>) -> PyErr {
    invalid(
        py,
        INVALID_ARGUMENT,
        format!("argument `{name}`: {detail}"),
        cause,
    )
}

/// A date argument that is not a valid date (`input.invalid_date`).
pub fn date(py: Python<'_>, message: String, cause: Option<PyErr>) -> PyErr {
    invalid(py, INVALID_DATE, message, cause)
}

/// The streaming auditor was used after `finish()`.
pub fn auditor_finished(py: Python<'_>) -> PyErr {
    invalid(
        py,
        AUDITOR_FINISHED,
        "this audit is already finished".to_owned(),
        None,
    )
}

/// What a Python input was supposed to be, for input conversion errors: the
/// core's wire input kinds, which give the codes.
pub use govshare::limits::Input;

/// An input dict that cannot be read, as the core's wire layer reports it
/// ([`govshare::wire::ReadError::into_error`]: `limits.too_deep`,
/// `input.invalid_number`, or the input's own code); the message names the field
/// path; `index` is the item's position in a batch. An exception the caller's
/// code raised while the dict was read is the `__cause__`.
pub fn input(py: Python<'_>, what: Input, index: Option<usize>, e: ReadError) -> PyErr {
    let name = match index {
        Some(i) => format!("{} #{i}", what.name()),
        None => what.name().to_owned(),
    };
    let (err, cause) = e.into_error(what, &name);
    caused(py, err, cause)
}

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("GovShareError", GovShareError::type_object(py))?;
    m.add("CalendarError", CalendarError::type_object(py))?;
    m.add("RegistryError", RegistryError::type_object(py))?;
    m.add("PolicyError", PolicyError::type_object(py))?;
    m.add("WorkflowError", WorkflowError::type_object(py))?;
    Ok(())
}
