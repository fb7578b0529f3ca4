//! SPEC §8 objects between JavaScript and Rust, through serde.
//!
//! Objects keep the wire names (snake_case) exactly. Where the wire format has an
//! RFC 3339 time (`at`, `not_before`, `until`, …) at the top level of a request
//! or event, a JavaScript `Date` is accepted too and read as that instant.

use napi::bindgen_prelude::{Env, FromNapiValue, JsObjectValue, Object};
use napi::{Unknown, ValueType};
use serde::Serialize;
use serde::de::DeserializeOwned;

use govshare::limits::{LimitError, MAX_DEPTH};

use crate::dates;
use crate::error::{self, Result};

/// Checks that objects and arrays in `v` nest at most [`MAX_DEPTH`] levels, before
/// napi's `from_js_value` recurses into them with no limit of its own: a deeply
/// nested or self-referencing object would otherwise overflow the native stack.
/// The walk is iterative, and a cyclic value never passes. The error is the core's
/// `limits.too_deep`.
fn check_depth(v: Unknown<'_>) -> Result<()> {
    let mut stack = Vec::new();
    if v.get_type().map_err(|e| error::napi(&e))? == ValueType::Object {
        stack.push((
            Object::from_unknown(v).map_err(|e| error::napi(&e))?,
            1usize,
        ));
    }
    while let Some((obj, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            let err = LimitError::TooDeep {
                what: "input".to_owned(),
                name: "MAX_DEPTH",
                limit: MAX_DEPTH,
                actual: depth,
            };
            return Err(error::error(err.code(), err.to_string()));
        }
        let names = obj.get_property_names().map_err(|e| error::napi(&e))?;
        let len = names.get_array_length().map_err(|e| error::napi(&e))?;
        for i in 0..len {
            let key: Unknown<'_> = names.get_element(i).map_err(|e| error::napi(&e))?;
            let child: Unknown<'_> = obj.get_property(key).map_err(|e| error::napi(&e))?;
            if child.get_type().map_err(|e| error::napi(&e))? == ValueType::Object {
                stack.push((
                    Object::from_unknown(child).map_err(|e| error::napi(&e))?,
                    depth + 1,
                ));
            }
        }
    }
    Ok(())
}

/// Top-level fields that may hold a `Date`.
const TIME_FIELDS: &[&str] = &["at", "until", "from", "as_of"];

/// Reads a wire object of type `T` from JavaScript; `what` names it in errors
/// (e.g. `request`, `event 3`), `code` is the error code for a bad shape.
pub fn from_js<T: DeserializeOwned>(
    env: &Env,
    v: Unknown<'_>,
    what: &str,
    code: &str,
) -> Result<T> {
    let bad = |m: String| error::error(code, format!("invalid {what}: {m}"));
    let ty = v.get_type().map_err(|e| error::napi(&e))?;
    if ty != ValueType::Object {
        return Err(bad(format!("expected an object, got {ty}")));
    }
    check_depth(v)?;
    let obj = Object::from_unknown(v).map_err(|e| error::napi(&e))?;
    let mut patches = Vec::new();
    for &field in TIME_FIELDS {
        if obj.has_named_property(field).unwrap_or(false) {
            let value: Unknown<'_> = obj.get_named_property(field).map_err(|e| error::napi(&e))?;
            if let Some(s) = dates::wire_date(value)? {
                patches.push((field, s));
            }
        }
    }
    if patches.is_empty() {
        return env.from_js_value::<T, _>(v).map_err(|e| bad(e.reason));
    }
    let mut value: serde_json::Value = env.from_js_value(v).map_err(|e| bad(e.reason))?;
    if let Some(map) = value.as_object_mut() {
        for (field, s) in patches {
            map.insert(field.to_owned(), serde_json::Value::String(s));
        }
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
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

/// A JavaScript value (a JSON string or an object) as a JSON value, for inputs
/// that accept both.
pub fn json_or_object(env: &Env, v: Unknown<'_>) -> Result<JsonInput> {
    match v.get_type().map_err(|e| error::napi(&e))? {
        ValueType::String => {
            let s = String::from_unknown(v).map_err(|e| error::napi(&e))?;
            Ok(JsonInput::Text(s))
        }
        ValueType::Object => check_depth(v)
            .and_then(|()| {
                env.from_js_value::<serde_json::Value, _>(v)
                    .map_err(|e| error::error(error::INVALID_ARGUMENT, e.reason))
            })
            .map(JsonInput::Value),
        other => Err(error::error(
            error::INVALID_ARGUMENT,
            format!("expected an object or a JSON string, got {other}"),
        )),
    }
}

/// An input given as JSON text or as an object.
#[derive(Debug)]
pub enum JsonInput {
    /// JSON text.
    Text(String),
    /// An already converted object.
    Value(serde_json::Value),
}
