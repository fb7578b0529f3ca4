//! The one place where errors become JavaScript errors.
//!
//! Every error thrown (or rejected) by the addon is a plain `Error` whose `code`
//! is a stable string: the core's [`govshare::Error::code`] (e.g.
//! `calendar.not_covered`, `registry.invalid_json`) or, for input the binding
//! itself cannot read, one of the `input.*` codes below. A Rust panic is caught
//! here and becomes an `Error` with code `internal.panic`; it never unwinds into
//! Node.

use std::panic::{AssertUnwindSafe, catch_unwind};

use napi::bindgen_prelude::{Env, JsError};

/// A JavaScript error whose status string is the stable code (napi sets it as
/// `error.code`).
pub type JsErr = napi::Error<String>;

/// The result of every bound function.
pub type Result<T> = std::result::Result<T, JsErr>;

/// A value passed from JavaScript is not of the expected type or shape.
pub const INVALID_ARGUMENT: &str = "input.invalid_argument";
/// A `Date` (or date string) passed from JavaScript is not a valid date.
pub const INVALID_DATE: &str = "input.invalid_date";
/// A Rust panic was caught (a bug: please report it).
pub const PANIC: &str = "internal.panic";

/// An error with `code` and `message`.
pub fn error(code: &str, message: impl Into<String>) -> JsErr {
    napi::Error::new(code.to_owned(), message.into())
}

/// The core's error, with its stable code.
pub fn core<E: Into<govshare::Error>>(e: E) -> JsErr {
    let e: govshare::Error = e.into();
    error(e.code(), e.to_string())
}

/// A napi conversion error (wrong argument type, unreadable object) as an
/// [`INVALID_ARGUMENT`] error.
pub fn napi(e: &napi::Error) -> JsErr {
    error(INVALID_ARGUMENT, e.reason.clone())
}

/// Runs `f`, turning a panic into an [`PANIC`] error.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(error(
                PANIC,
                format!("internal error (a bug in govshare): {what}"),
            ))
        }
    }
}

/// For an async task: turns our error into the JS error object itself (with its
/// `code`), held by a napi error so that the promise rejects with exactly it.
pub fn reject(env: Env, e: JsErr) -> napi::Error {
    napi::Error::from(JsError::from(e).into_unknown(env))
}
