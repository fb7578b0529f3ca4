//! Arguments read without napi's own type errors.
//!
//! napi rejects an argument of the wrong JavaScript type before the bound
//! function runs, with its own status as `code` (`StringExpected`,
//! `InvalidArg`, …). [`Arg`] keeps such a failure instead, and the function
//! reports it as `input.invalid_argument` naming the argument, so that every
//! error the addon throws has a govshare code.

use napi::bindgen_prelude::{FromNapiValue, TypeName};
use napi::{ValueType, sys};

use crate::error::{self, INVALID_ARGUMENT, JsErr, Result};

/// An argument of type `T`, or why it could not be read.
#[derive(Debug)]
pub struct Arg<T>(std::result::Result<T, JsErr>);

impl<T> Arg<T> {
    /// The value, or an `input.invalid_argument` error naming `name`.
    pub fn get(self, name: &str) -> Result<T> {
        self.0
            .map_err(|e| error::error(INVALID_ARGUMENT, format!("argument `{name}`: {}", e.reason)))
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
        Ok(Self(
            converted.map_err(|e| error::error(INVALID_ARGUMENT, e.reason)),
        ))
    }
}
