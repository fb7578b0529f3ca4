//! The single point where Rust errors become Python exceptions.
//!
//! Every govshare error is raised as `govshare.GovShareError` (a `ValueError`) or
//! one of its subclasses, with `.code` set to the core's stable
//! [`govshare::Error::code`]. Input that cannot be converted into the core's
//! types (a bad request dict, a bad event) is reported the same way, the message
//! naming the offending field by its path (`resources[0].sharing`).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::{PyTypeInfo, create_exception, intern};

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
pub fn raise(py: Python<'_>, kind: Kind, code: &str, message: String) -> PyErr {
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
        _ => Kind::Other,
    }
}

/// Converts any error that converts into a core error.
pub fn core<E: Into<govshare::Error>>(py: Python<'_>, e: E) -> PyErr {
    to_py(py, &e.into())
}

/// What a Python input was supposed to be, for input conversion errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// An access request (SPEC §8).
    Request,
    /// A workflow event (SPEC §8).
    Event,
}

impl Input {
    fn describe(self) -> (&'static str, Kind, &'static str) {
        match self {
            Self::Request => ("request", Kind::Policy, "policy.invalid_request"),
            Self::Event => ("event", Kind::Workflow, "workflow.invalid_event"),
        }
    }
}

/// A bad input dict: the message names the field path and what is wrong.
pub fn input(py: Python<'_>, what: Input, index: Option<usize>, detail: &str) -> PyErr {
    let (name, kind, code) = what.describe();
    let message = match index {
        Some(i) => format!("invalid {name} #{i}: {detail}"),
        None => format!("invalid {name}: {detail}"),
    };
    raise(py, kind, code, message)
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
