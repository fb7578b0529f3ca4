//! Applications and obligations over the event log (SPEC §4).
//!
//! A [`Ledger`] applies [`Event`]s one at a time. Applications (Art. 17, 21) move from
//! `pending` to `approved` (a grant), `refused` (with a reason), coordination by the
//! Big Data Center and then by the City Government Office. Obligations (Art. 11, 16,
//! 18, 21) get due dates in Chinese working days and are closed by the events that
//! fulfil them. An event that does not fit is rejected with a [`WorkflowError`] that
//! names the event, the rule and the state met; the ledger is unchanged.

mod error;
mod event;
mod ledger;
mod state;

pub use error::WorkflowError;
pub use event::{CoordinationOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope};
pub use ledger::Ledger;
pub use state::{
    ApplicationState, ApplicationStatus, Applied, Drained, Irregularity, LedgerState,
    ObligationKind, ObligationState, ObligationStatus, ServiceAnswer,
};
