//! Applications and obligations over the event log (SPEC §4).
//!
//! SKELETON: filled in by the workflow issue.

/// An error applying an event. The state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// The event does not fit the state it met.
    #[error("event `{event}` rejected: {rule}")]
    Rejected {
        /// The event id.
        event: String,
        /// What rule it broke.
        rule: String,
    },
}

impl WorkflowError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Rejected { .. } => "workflow.rejected",
        }
    }
}
