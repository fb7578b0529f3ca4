//! Violation classification over an event log (SPEC §5).
//!
//! An [`Auditor`] reads events (streaming, through a lenient
//! [`crate::workflow::Ledger`]) and, at [`Auditor::finish`], reports each
//! [`Violation`]: its category, article, responsible department, severity,
//! consequences, due date and the events behind it. [`audit`] does it in one call.
//!
//! Severity is serious (情節嚴重) when lateness exceeds the pack's threshold, when the
//! department commits its `repeat_count`-th violation of one category within the
//! window, or when sensitive data is involved (purpose violations, disclosures and
//! leaks of a resource with any sensitivity); thresholds come from the pack manifest.

mod auditor;
mod violation;

pub use auditor::{Auditor, audit};
pub use violation::{Category, Consequence, Severity, Violation};
