//! Arguments read without napi's own type errors.
//!
//! napi rejects an argument of the wrong JavaScript type before the bound
//! function runs, with its own status as `code` (`StringExpected`,
//! `InvalidArg`, …). [`Arg`] keeps such a failure instead, and the function
//! reports it as `input.invalid_argument` naming the argument, so that every
//! error the addon throws has a govshare code. An exception the caller's code
//! threw while the argument was read (a getter of an options object) becomes
//! that error's `cause`.
//!
//! Integer arguments (years, months, working-day counts) are read as `f64` and
//! checked with [`Arg::integer`]: napi's own `i32`/`u32` conversions wrap
//! (`2**32 + 2020` would be 2020, `-1` would be 4294967295) and truncate
//! fractions; here a non-integer, non-finite or out-of-range number is an
//! `input.invalid_argument` error naming the argument.

use napi::bindgen_prelude::{FromNapiValue, TypeName};
use napi::{ValueType, sys};

use crate::error::{self, INVALID_ARGUMENT, JsErr, Result};

/// An argument of type `T`, or why it could not be read.
#[derive(Debug)]
pub struct Arg<T>(std::result::Result<T, JsErr>);

impl<T> Arg<T> {
    /// A value already read (an object's property), checked like an argument.
    pub const fn of(value: T) -> Self {
        Self(Ok(value))
    }

    /// The value, or an `input.invalid_argument` error naming `name`.
    pub fn get(self, name: &str) -> Result<T> {
        self.0.map_err(|mut e| {
            let mut err =
                error::error(INVALID_ARGUMENT, format!("argument `{name}`: {}", e.reason));
            if let Some(cause) = e.cause.take() {
                err.set_cause(*cause);
            }
            err
        })
    }
}

impl Arg<f64> {
    /// The number as an integer of type `T`: a whole, finite number within `T`'s
    /// range, else an `input.invalid_argument` error naming `name` and saying
    /// what it must be (`expected`, e.g. "a whole number of working days from 0").
    pub fn integer<T: TryFrom<i64>>(self, name: &str, expected: &str) -> Result<T> {
        let n = self.get(name)?;
        // 2^63: every whole f64 below it in magnitude converts to i64 exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        let whole = n.is_finite() && n.fract() == 0.0 && (-LIMIT..LIMIT).contains(&n);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "checked above: a whole number within i64's range converts exactly"
        )]
        let converted = whole.then_some(n as i64).and_then(|i| T::try_from(i).ok());
        converted.ok_or_else(|| {
            error::error(
                INVALID_ARGUMENT,
                format!("argument `{name}` must be {expected}, got {n}"),
            )
        })
    }
}

impl<T: TypeName> TypeName for Arg<T> {
    fn type_name() -> &'static str {
        T::type_name()
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl<T: FromNapiValue> FromNapiValue for Arg<T> {
    #[expect(
        unsafe_code,
        reason = "napi's conversion trait is unsafe; the handle comes from napi"
    )]
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi passes a live env and value for this argument; `T`'s own
        // conversion checks the value's type.
        let converted = unsafe { T::from_napi_value(env, value) };
        Ok(Self(converted.map_err(|e| {
            let mut err = error::error(INVALID_ARGUMENT, e.reason);
            if let Some(cause) = error::take_exception(env) {
                err.set_cause(cause);
            }
            err
        })))
    }
}
