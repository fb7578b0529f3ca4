//! Typed arguments read without pyo3's own exceptions.
//!
//! pyo3 converts a typed argument (`u32`, `bool`, `String`, `PyRef<Engine>`)
//! before the method runs and raises its own `TypeError` or `OverflowError`,
//! without a `.code`, when it cannot. [`Arg`] keeps that failure instead, and the
//! method reports it through [`crate::error::argument`] as
//! `input.invalid_argument` naming the argument (pyo3's message kept, its
//! exception as `__cause__`). Integer arguments stay exact: a `float`, `-1` for
//! a count or `2**32 + 2020` for a year is refused by pyo3's integer conversion,
//! never truncated or wrapped.

use std::convert::Infallible;

use pyo3::prelude::*;

use crate::error;

/// An argument of type `T`, or why it could not be read.
#[derive(Debug)]
pub struct Arg<T>(Result<T, PyErr>);

impl<T> Arg<T> {
    /// A value given in Rust (a default in a `#[pyo3(signature)]`).
    pub const fn of(value: T) -> Self {
        Self(Ok(value))
    }

    /// The value, or an `input.invalid_argument` error naming `name`.
    pub fn get(self, py: Python<'_>, name: &str) -> PyResult<T> {
        self.0.map_err(|e| {
            let detail = e.to_string();
            error::argument(py, name, &detail, Some(e))
        })
    }
}

impl<'a, 'py, T: FromPyObject<'a, 'py>> FromPyObject<'a, 'py> for Arg<T> {
    type Error = Infallible;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> Result<Self, Infallible> {
        Ok(Self(T::extract(obj).map_err(Into::into)))
    }
}
