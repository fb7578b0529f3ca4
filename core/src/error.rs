//! The crate-wide error: one enum over the module errors, each with a stable `code()`.

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
        }
    }
}
