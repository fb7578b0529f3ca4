//! Python bindings for govshare: the native module `govshare._govshare`.
//!
//! Thin over the Rust API: SPEC §8 dicts are read once into JSON values
//! (`value.rs`, bounded) and go in through serde, typed objects come out, and
//! every error is raised from one place (`error.rs`). No rule lives here.

mod args;
mod calendar;
mod convert;
mod engine;
mod error;
mod registry;
mod usage;
mod value;
mod workflow;

use pyo3::prelude::*;

/// The native part of the `govshare` package.
#[pymodule]
fn _govshare(m: &Bound<'_, PyModule>) -> PyResult<()> {
    error::register(m)?;
    m.add_class::<calendar::Calendar>()?;
    m.add_class::<calendar::Day>()?;
    m.add_class::<calendar::Month>()?;
    m.add_class::<registry::Registry>()?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<engine::Decision>()?;
    m.add_class::<engine::Reason>()?;
    m.add_class::<engine::Answer>()?;
    m.add_class::<engine::ServeAnswer>()?;
    m.add_class::<engine::Finding>()?;
    m.add_class::<workflow::Ledger>()?;
    m.add_class::<workflow::Violation>()?;
    m.add_class::<workflow::Auditor>()?;
    m.add_function(wrap_pyfunction!(workflow::audit, m)?)?;
    m.add_function(wrap_pyfunction!(usage::usage_report, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
