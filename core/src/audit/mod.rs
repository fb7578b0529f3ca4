//! Violation classification over an event log (SPEC §5).
//!
//! SKELETON: filled in by the audit issue.
