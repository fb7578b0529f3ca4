//! SPEC §8 objects between JavaScript and Rust, through serde.
//!
//! Objects keep the wire names (snake_case) exactly. Where the wire format has an
//! RFC 3339 time (`at`, `not_before`, `until`, …), a JavaScript `Date` is accepted
//! too and read as that instant.
//!
//! A JavaScript value is read **once**, by [`read`], into a `serde_json::Value`
//! that serde then deserialises. The walk that counts the nesting depth is the
//! walk that builds the value: each property is read exactly once (a getter or a
//! `Proxy` cannot answer the depth check one thing and the conversion another),
//! and nothing deeper than [`MAX_DEPTH`] is ever entered, so the recursion is
//! bounded by that constant, not by the input. NaN and ±Infinity are refused
//! (`input.invalid_number`, naming the path), never turned into `null`.
//!
//! | JavaScript | JSON |
//! |---|---|
//! | `null`, `undefined` | `null` |
//! | boolean | `true` / `false` |
//! | finite number | number |
//! | `BigInt` within 64 bits | number |
//! | string | string |
//! | `Date` (valid) | RFC 3339 string, China time |
//! | array | array |
//! | other object | object of its own enumerable string-keyed properties (as `Object.keys` reads them) |
//!
//! Functions, symbols, typed arrays and buffers are refused naming their path.

use napi::bindgen_prelude::{BigInt, Env, FromNapiValue, Function, JsObjectValue, Object};
use napi::{JsDate, JsString, JsValue, Unknown, ValueType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use govshare::error::{InputError, InputErrorKind};
use govshare::limits::Input;
use govshare::registry::RegistrySource;
use govshare::wire::{self, Walk};

use crate::dates;
use crate::error::{self, Result};

/// Why a JavaScript value could not be read as a JSON value: the core's
/// [`wire::ReadError`], the exception a getter or `Proxy` trap threw as its cause.
pub type ReadError = wire::ReadError<napi::Error>;

/// A JavaScript string's text, as napi-rs's `String` conversion reads it
/// (UTF-8, a lone surrogate as U+FFFD), in one N-API call when it is short
/// (ids, names, moments: most of a request) instead of two (issue 14:
/// per-call overhead).
fn read_string(v: &Unknown<'_>) -> napi::Result<String> {
    if let Some(text) = short_string(v) {
        return Ok(text);
    }
    // Longer, or not a string: napi-rs's own reading, with its errors.
    String::from_unknown(*v)
}

/// `v`'s text when `v` is a string of fewer than [`SHORT`] - 5 bytes in
/// UTF-8, read in one N-API call; `None` otherwise (nothing is thrown: napi
/// only reports that the value is not a string).
#[expect(
    unsafe_code,
    reason = "one napi_get_value_string_utf8 call into a stack buffer; the handle comes from napi"
)]
fn short_string(v: &Unknown<'_>) -> Option<String> {
    let raw = v.value();
    let mut buf = [0u8; SHORT];
    let mut len = 0usize;
    // SAFETY: `raw` is a live handle of this call's env; napi writes at most
    // `SHORT - 1` bytes and a NUL into `buf`, and the length written into `len`.
    let status = unsafe {
        napi::sys::napi_get_value_string_utf8(
            raw.env,
            raw.value,
            buf.as_mut_ptr().cast(),
            SHORT,
            &raw mut len,
        )
    };
    // With 5 bytes or more to spare, nothing was cut: the next character
    // (at most 4 bytes) would have been written.
    if status != napi::sys::Status::napi_ok || len + 5 >= SHORT {
        return None;
    }
    let text = std::str::from_utf8(buf.get(..len)?).ok()?;
    Some(text.to_owned())
}

/// The own enumerable string-keyed property names of the object `v`, as an
/// array (`Object.keys`), in one N-API call. napi-rs's own calls take one
/// filter only, and `napi_get_property_names` also walks the prototype chain.
#[expect(
    unsafe_code,
    reason = "one napi_get_all_property_names call; the handles come from napi"
)]
fn own_names<'e>(v: &Unknown<'e>) -> napi::Result<Object<'e>> {
    use napi::sys;
    let raw = v.value();
    let mut names = std::ptr::null_mut();
    // SAFETY: `raw` is a live handle of this call's env; napi writes one
    // handle into `names` on success.
    let status = unsafe {
        sys::napi_get_all_property_names(
            raw.env,
            raw.value,
            sys::KeyCollectionMode::own_only,
            sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
            sys::KeyConversion::numbers_to_strings,
            &raw mut names,
        )
    };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::new(
            napi::Status::from(status),
            "cannot read the object's property names".to_owned(),
        ));
    }
    // SAFETY: napi returned an array handle of this env.
    unsafe { Object::from_napi_value(raw.env, names) }
}

/// The buffer for [`read_string`]'s one-call reading.
const SHORT: usize = 128;

/// Reads `v` as a JSON value, once (see the module documentation).
pub fn read(v: Unknown<'_>) -> std::result::Result<Value, ReadError> {
    Reader(Walk::new()).value(v, 1)
}

/// The core's [`Walk`] over JavaScript values.
struct Reader(Walk);

impl Reader {
    /// A failed napi call on `v`: the caller's exception if one is pending (it
    /// is cleared and kept as the cause), else napi's reason.
    fn failed(&self, v: &Unknown<'_>, e: &napi::Error) -> ReadError {
        match error::take_exception(v.value().env) {
            Some(cause) => {
                let what = if cause.reason.is_empty() {
                    "an exception"
                } else {
                    cause.reason.as_str()
                };
                self.0.raised(format!("reading it threw: {what}"), cause)
            }
            None => ReadError::Shape(format!("{}{}", self.0.path.prefix(), e.reason)),
        }
    }

    fn unsupported(&self, what: &str) -> ReadError {
        self.0.unsupported(what, "")
    }

    /// The value of `v`, which sits at level `depth` (1 for the top-level
    /// value) if it is an object or an array.
    fn value(&mut self, v: Unknown<'_>, depth: usize) -> std::result::Result<Value, ReadError> {
        // Most values of a request or an event are strings: try that first,
        // in one call.
        if let Some(text) = short_string(&v) {
            return Ok(Value::String(text));
        }
        let ty = v.get_type().map_err(|e| self.failed(&v, &e))?;
        match ty {
            ValueType::Null | ValueType::Undefined => Ok(Value::Null),
            ValueType::Boolean => bool::from_unknown(v)
                .map(Value::Bool)
                .map_err(|e| self.failed(&v, &e)),
            ValueType::Number => {
                let n = f64::from_unknown(v).map_err(|e| self.failed(&v, &e))?;
                self.number(n)
            }
            ValueType::BigInt => self.bigint(v),
            ValueType::String => read_string(&v)
                .map(Value::String)
                .map_err(|e| self.failed(&v, &e)),
            ValueType::Object => self.object(v, depth),
            ValueType::Function => Err(self.unsupported("function")),
            ValueType::Symbol => Err(self.unsupported("symbol")),
            _ => Err(self.unsupported(&format!("value of type {ty}"))),
        }
    }

    fn number(&self, n: f64) -> std::result::Result<Value, ReadError> {
        if !n.is_finite() {
            return self.0.float(n);
        }
        // A whole number within ±2^53 is exact as an integer: keep it one, so
        // that it deserialises into integer fields (`update_workdays: 5`).
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if n.fract() == 0.0 && n.abs() <= EXACT {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "a whole number within ±2^53 converts to i64 exactly"
            )]
            return Ok(Value::Number(Number::from(n as i64)));
        }
        self.0.float(n)
    }

    fn bigint(&self, v: Unknown<'_>) -> std::result::Result<Value, ReadError> {
        let b = BigInt::from_unknown(v).map_err(|e| self.failed(&v, &e))?;
        let (n, lossless) = b.get_i64();
        if lossless {
            return Ok(Value::Number(Number::from(n)));
        }
        let (signed, n, lossless) = b.get_u64();
        if lossless && !signed {
            return Ok(Value::Number(Number::from(n)));
        }
        Err(self
            .0
            .bad_number("the BigInt does not fit in 64 bits".to_owned()))
    }

    fn object(&mut self, v: Unknown<'_>, depth: usize) -> std::result::Result<Value, ReadError> {
        // An array is never a date or a buffer: asked first, it needs no more.
        let is_array = v.is_array().map_err(|e| self.failed(&v, &e))?;
        if !is_array {
            if v.is_date().map_err(|e| self.failed(&v, &e))? {
                let d = JsDate::from_unknown(v).map_err(|e| self.failed(&v, &e))?;
                let ms = d.value_of().map_err(|e| self.failed(&v, &e))?;
                return dates::wire_instant(ms).map(Value::String).map_err(|e| {
                    ReadError::Invalid(
                        InputError::new(InputErrorKind::InvalidDate, e.reason).into(),
                    )
                });
            }
            // `napi_is_buffer` is true of every `ArrayBufferView`: the typed
            // arrays, `DataView` and `Buffer`.
            if v.is_buffer().map_err(|e| self.failed(&v, &e))?
                || v.is_arraybuffer().map_err(|e| self.failed(&v, &e))?
            {
                return Err(self.unsupported("typed array or buffer"));
            }
        }
        self.0.enter(depth)?;
        let obj = Object::from_unknown(v).map_err(|e| self.failed(&v, &e))?;
        if is_array {
            let len = obj
                .get_array_length_unchecked()
                .map_err(|e| self.failed(&v, &e))?;
            let mut out = Vec::new();
            for i in 0..len {
                self.0.path.push_index(i as usize);
                let item: Unknown<'_> = obj.get_element(i).map_err(|e| self.failed(&v, &e))?;
                out.push(self.value(item, depth + 1)?);
                self.0.path.pop();
            }
            return Ok(Value::Array(out));
        }
        // The names once, then each property once: what is read is what is
        // converted. Own names, as `Object.keys` and `JSON.stringify` read
        // them (an inherited property is not the object's).
        let names = own_names(&v).map_err(|e| self.failed(&v, &e))?;
        let len = names
            .get_array_length_unchecked()
            .map_err(|e| self.failed(&v, &e))?;
        let mut map = Map::new();
        for i in 0..len {
            let key: Unknown<'_> = names.get_element(i).map_err(|e| self.failed(&v, &e))?;
            let name = read_string(&key).map_err(|e| self.failed(&v, &e))?;
            self.0.path.push_key(name.clone());
            let child: Unknown<'_> = obj.get_property(key).map_err(|e| self.failed(&v, &e))?;
            let child = self.value(child, depth + 1)?;
            self.0.path.pop();
            map.insert(name, child);
        }
        Ok(Value::Object(map))
    }
}

/// Reads a wire object of type `T` from JavaScript; `what` names it in errors
/// (e.g. `request`, `event 3`), `input` gives the error code for a bad shape.
pub fn from_js<T: DeserializeOwned>(v: Unknown<'_>, what: &str, input: Input) -> Result<T> {
    let fail = |e: ReadError| error::input(what, input, e);
    let ty = v.get_type().map_err(|e| error::napi(&e))?;
    if ty != ValueType::Object {
        return Err(fail(ReadError::Shape(format!(
            "expected an object, got {ty}"
        ))));
    }
    let value = read(v).map_err(fail)?;
    wire::decode(value).map_err(fail)
}

/// A wire value as a plain JavaScript object.
pub fn to_js<'e, T: Serialize>(env: &'e Env, value: &T) -> Result<Unknown<'e>> {
    env.to_js_value(value).map_err(|e| {
        error::error(
            error::INVALID_ARGUMENT,
            format!("cannot convert result: {}", e.reason),
        )
    })
}

/// A wire value made only of strings, booleans, `null`, arrays and objects (a
/// decision, a list of decisions) as a plain JavaScript object: the same object
/// as [`to_js`] gives, built by `JSON.parse` from the value's JSON text. That is
/// one crossing into JavaScript instead of two N-API calls per property and
/// string, and V8 builds the objects itself. The text goes into V8 without
/// UTF-8 decoding: as Latin-1 when it is ASCII, else as UTF-16. A decision with
/// Chinese reasons converts about twice as fast (issue 14: per-call overhead).
/// `JSON.parse` is the realm's, read when called.
pub fn to_js_parsed<'e, T: Serialize>(env: &'e Env, value: &T) -> Result<Unknown<'e>> {
    let fail = |reason: String| {
        error::error(
            error::INVALID_ARGUMENT,
            format!("cannot convert result: {reason}"),
        )
    };
    let text = serde_json::to_string(value).map_err(|e| fail(e.to_string()))?;
    let failed = |e: napi::Error| fail(e.reason);
    let text = if text.is_ascii() {
        env.create_string_latin1(text.as_bytes())
    } else {
        env.create_string_utf16(utf16(&text))
    }
    .map_err(failed)?;
    let json: Object<'_> = env
        .get_global()
        .and_then(|g| g.get_named_property("JSON"))
        .map_err(failed)?;
    let parse: Function<'_, JsString<'_>, Unknown<'e>> =
        json.get_named_property("parse").map_err(failed)?;
    parse.call(text).map_err(failed)
}

/// `text` as UTF-16 code units: ASCII runs widened in bulk, the other
/// characters one by one (faster than collecting `encode_utf16`).
fn utf16(mut text: &str) -> Vec<u16> {
    let mut out = Vec::with_capacity(text.len());
    while !text.is_empty() {
        let ascii = text
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(text.len());
        let (run, rest) = text.split_at(ascii);
        out.extend(run.bytes().map(u16::from));
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            let mut units = [0u16; 2];
            out.extend_from_slice(c.encode_utf16(&mut units));
        }
        text = chars.as_str();
    }
    out
}

/// A registry given as JSON text or as an object (read with [`read`]), as the
/// core's [`RegistrySource`]. A value of another type is
/// `input.invalid_argument`; an object that cannot be read is
/// `registry.invalid_json` (or `limits.too_deep`, `input.invalid_number`).
pub fn json_or_object(v: Unknown<'_>) -> Result<RegistrySource> {
    match v.get_type().map_err(|e| error::napi(&e))? {
        ValueType::String => {
            let s = String::from_unknown(v).map_err(|e| error::napi(&e))?;
            Ok(RegistrySource::Json(s))
        }
        ValueType::Object => read(v)
            .map(RegistrySource::Value)
            .map_err(|e| error::input("registry", Input::Registry, e)),
        other => Err(error::error(
            error::INVALID_ARGUMENT,
            format!("expected an object or a JSON string, got {other}"),
        )),
    }
}
