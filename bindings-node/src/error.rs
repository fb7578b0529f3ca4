//! The one place where errors become JavaScript errors.
//!
//! Every error thrown (or rejected) by the addon is a plain `Error` whose `code`
//! is a stable string: the core's [`govshare::Error::code`] (e.g.
//! `calendar.not_covered`, `registry.invalid_json`) or, for input the binding
//! itself cannot read, one of the `input.*` codes below. A Rust panic is caught
//! here and becomes an `Error` with code `internal.panic`; it never unwinds into
//! Node.

use std::panic::{AssertUnwindSafe, catch_unwind};

use govshare::error::{InputError, InputErrorKind};
use govshare::limits::Input;
use napi::bindgen_prelude::{Env, JsError};
use napi::{Unknown, sys};

use crate::wire::ReadError;

/// A JavaScript error whose status string is the stable code (napi sets it as
/// `error.code`).
pub type JsErr = napi::Error<String>;

/// The result of every bound function.
pub type Result<T> = std::result::Result<T, JsErr>;

/// A value passed from JavaScript is not of the expected type or shape.
pub const INVALID_ARGUMENT: InputErrorKind = InputErrorKind::InvalidArgument;
/// A `Date` (or date string) passed from JavaScript is not a valid date.
pub const INVALID_DATE: InputErrorKind = InputErrorKind::InvalidDate;
/// A Rust panic was caught (a bug: please report it).
pub const PANIC: InputErrorKind = InputErrorKind::Panic;

/// An error of `kind` (its code is the core's [`InputErrorKind::code`]) saying
/// `message`.
pub fn error(kind: InputErrorKind, message: impl Into<String>) -> JsErr {
    core(InputError::new(kind, message))
}

/// The core's error, with its stable code: the one conversion point.
pub fn core<E: Into<govshare::Error>>(e: E) -> JsErr {
    let e: govshare::Error = e.into();
    napi::Error::new(e.code().to_owned(), e.to_string())
}

/// A copy of `e` (its code and message; not its cause).
pub fn copied(e: &JsErr) -> JsErr {
    napi::Error::new(e.status.clone(), e.reason.clone())
}

/// `e` with its message prefixed (`request 3: …`), the code kept.
pub fn prefixed(e: JsErr, prefix: &str) -> JsErr {
    napi::Error::new(e.status, format!("{prefix}: {}", e.reason))
}

/// A napi conversion error (wrong argument type, unreadable object) as an
/// [`INVALID_ARGUMENT`] error.
pub fn napi(e: &napi::Error) -> JsErr {
    error(INVALID_ARGUMENT, e.reason.clone())
}

/// An input object (`what`: `request`, `event 3`, `registry`) of kind `input`
/// that cannot be read, as the core's wire layer reports it
/// ([`govshare::wire::ReadError::into_error`]: `limits.too_deep`,
/// `input.invalid_number`, `input.invalid_date`, or the input's own code). The
/// message names the path; an exception thrown by the caller's getter or `Proxy`
/// is the error's `cause`.
pub fn input(what: &str, input: Input, e: ReadError) -> JsErr {
    let (err, cause) = e.into_error(input, what);
    let mut err = core(err);
    if let Some(cause) = cause {
        err.set_cause(cause);
    }
    err
}

/// Clears and returns the exception pending in `env`, if any: one the caller's
/// code (a getter, a `Proxy` trap) threw while the addon was reading a value.
/// It is kept as it was thrown (no user code runs to describe it), to become the
/// `cause` of the coded error thrown instead.
pub fn take_exception(env: sys::napi_env) -> Option<napi::Error> {
    let mut pending = false;
    #[expect(
        unsafe_code,
        reason = "Node-API's exception calls; `env` is the live env of the current call"
    )]
    // SAFETY: `env` comes from a value napi handed to this call, on the JS thread;
    // both calls only write to the out-pointers given.
    let exception = unsafe {
        if sys::napi_is_exception_pending(env, &mut pending) != sys::Status::napi_ok || !pending {
            return None;
        }
        let mut exception = std::ptr::null_mut();
        if sys::napi_get_and_clear_last_exception(env, &mut exception) != sys::Status::napi_ok
            || exception.is_null()
        {
            return None;
        }
        Unknown::from_raw_unchecked(env, exception)
    };
    Some(napi::Error::from_unknown_without_coercion(exception))
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
