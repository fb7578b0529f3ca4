//! Node bindings for govshare (napi-rs v3): thin wrappers over the Rust API.
//!
//! JavaScript names are camelCase; the SPEC §8 wire objects (requests,
//! decisions, registries, events, violations) keep their snake_case field names
//! because they are the contract. Errors carry the core's stable `code`
//! ([`error`]); dates follow [`dates`].

mod args;
mod audit;
mod calendar;
mod dates;
mod engine;
mod error;
mod registry;
mod templates;
mod usage;
mod wire;
mod workflow;

pub use audit::{Auditor, audit, audit_async};
pub use calendar::Calendar;
pub use engine::Engine;
pub use registry::Registry;
pub use usage::usage_report;
pub use workflow::Ledger;
