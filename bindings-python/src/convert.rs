//! Python <-> Rust conversions: `datetime` objects and SPEC §8 dicts.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use govshare::policy::AccessRequest;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use pyo3::{Py, intern};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{self, Input};
use crate::value::ReadError;

static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

/// Whether `obj` is a `datetime.date` (a `datetime.datetime` is one too).
pub fn is_date(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    obj.is_instance(date_type(obj.py())?)
}

/// The name of `obj`'s type, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A `datetime.datetime` with a time zone, or an RFC 3339 string with an offset
/// (the wire form), as a chrono moment. Anything else is `input.invalid_date`
/// naming `arg`.
pub fn to_moment(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<DateTime<FixedOffset>> {
    let py = obj.py();
    let bad = |message: String, cause: Option<PyErr>| error::date(py, message, cause);
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s
            .to_cow()
            .map_err(|e| bad(format!("`{arg}` is not a valid string"), Some(e)))?;
        return DateTime::parse_from_rfc3339(&s).map_err(|e| {
            bad(
                format!("`{arg}` ({s}) is not an RFC 3339 moment with an offset: {e}"),
                None,
            )
        });
    }
    if !obj.is_instance(datetime_type(py)?)? {
        return Err(bad(
            format!(
                "`{arg}` must be a datetime.datetime or an RFC 3339 string, not {}",
                type_name(obj)
            ),
            None,
        ));
    }
    let unusable = |e: PyErr| bad(format!("`{arg}` is not a usable datetime"), Some(e));
    if obj
        .call_method0(intern!(py, "utcoffset"))
        .map_err(unusable)?
        .is_none()
    {
        return Err(bad(
            format!("`{arg}` must be timezone-aware (e.g. tzinfo=timezone(timedelta(hours=8)))"),
            None,
        ));
    }
    let iso: String = obj
        .call_method0(intern!(py, "isoformat"))
        .and_then(|iso| iso.extract())
        .map_err(unusable)?;
    DateTime::parse_from_rfc3339(&iso)
        .map_err(|e| bad(format!("`{arg}` ({iso}) is not usable: {e}"), None))
}

/// A `datetime.date` as a chrono date. An aware `datetime.datetime` is taken as
/// its China date (SPEC §3); a naive one is refused (`input.invalid_date`).
pub fn to_date(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<NaiveDate> {
    let py = obj.py();
    if obj.is_instance(datetime_type(py)?)? {
        return Ok(govshare::calendar::china_date(to_moment(obj, arg)?));
    }
    if !obj.is_instance(date_type(py)?)? {
        return Err(error::date(
            py,
            format!("`{arg}` must be a datetime.date, not {}", type_name(obj)),
            None,
        ));
    }
    let unusable = |e: PyErr| error::date(py, format!("`{arg}` is not a usable date"), Some(e));
    let y: i32 = obj
        .getattr(intern!(py, "year"))
        .and_then(|v| v.extract())
        .map_err(unusable)?;
    let m: u32 = obj
        .getattr(intern!(py, "month"))
        .and_then(|v| v.extract())
        .map_err(unusable)?;
    let d: u32 = obj
        .getattr(intern!(py, "day"))
        .and_then(|v| v.extract())
        .map_err(unusable)?;
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| error::date(py, format!("`{arg}` is not a valid date"), None))
}

/// A chrono date as a `datetime.date`.
pub fn from_date(py: Python<'_>, date: NaiveDate) -> PyResult<Bound<'_, PyAny>> {
    date_type(py)?.call1((date.year(), date.month(), date.day()))
}

/// A chrono moment as an aware `datetime.datetime` with the same offset.
pub fn from_moment(py: Python<'_>, at: DateTime<FixedOffset>) -> PyResult<Bound<'_, PyAny>> {
    // Six fractional digits and `+hh:mm`: what `fromisoformat` reads on 3.9+.
    let iso = at.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string();
    datetime_type(py)?.call_method1(intern!(py, "fromisoformat"), (iso,))
}

/// Deserialises a SPEC §8 dict; a failure names the field path.
///
/// The object is read once into a JSON value by [`crate::value::read`] (bounded
/// depth, no NaN, only JSON's types), then deserialised: the wire types stay
/// exact (a `str` where a list belongs is an error, not a list of characters).
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> Result<T, ReadError> {
    govshare::wire::decode(crate::value::read(obj)?)
}

/// Deserialises input of kind `what`, raising the matching govshare error.
pub fn input<T: DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    what: Input,
    index: Option<usize>,
) -> PyResult<T> {
    from_py(obj).map_err(|e| error::input(obj.py(), what, index, e))
}

/// An access request (SPEC §8); `index` names it in a list, for errors.
///
/// The common case — an exact `dict` with exact `str` keys and values, and
/// `fields` absent, `None` or an exact `list` of exact `str` — is read straight
/// into the request's fields, each through the same serde impl the general
/// reading uses (so `"at"`, `"method"` and `"network"` parse exactly as they do
/// there); it nests two levels, within [`govshare::limits::MAX_DEPTH`]. Anything
/// else (a subclass, another mapping or sequence, a missing, unknown or
/// malformed field) is read by [`input`], which gives the same request or the
/// error naming the field.
pub fn request(obj: &Bound<'_, PyAny>, index: Option<usize>) -> PyResult<AccessRequest> {
    match plain_request(obj) {
        Some(request) => Ok(request),
        None => input(obj, Input::Request, index),
    }
}

/// [`request`]'s common case, or `None`.
fn plain_request(obj: &Bound<'_, PyAny>) -> Option<AccessRequest> {
    let dict = obj.cast_exact::<PyDict>().ok()?;
    let (mut department, mut resource, mut method, mut purpose) = (None, None, None, None);
    let (mut fields, mut network, mut certificate, mut at) = (None, None, None, None);
    // Nothing below runs Python code (exact `str` and `list` only), so the
    // dict cannot change while it is read.
    for (key, value) in dict.iter() {
        let key = key.cast_exact::<PyString>().ok()?.to_cow().ok()?;
        match &*key {
            "department" => department = Some(plain_str(&value)?),
            "resource" => resource = Some(plain_str(&value)?),
            "method" => method = Some(wire_str(&plain_str(&value)?)?),
            "purpose" => purpose = Some(plain_str(&value)?),
            "fields" => fields = Some(plain_fields(&value)?),
            "network" => network = Some(wire_str(&plain_str(&value)?)?),
            "certificate" => certificate = Some(plain_str(&value)?),
            "at" => at = Some(wire_str(&plain_str(&value)?)?),
            _ => return None,
        }
    }
    Some(AccessRequest {
        department: department?,
        resource: resource?,
        method: method?,
        purpose: purpose?,
        fields: fields.flatten(),
        network: network?,
        certificate: certificate.unwrap_or_default(),
        at: at?,
    })
}

/// An exact `str`'s text.
fn plain_str(value: &Bound<'_, PyAny>) -> Option<String> {
    Some(
        value
            .cast_exact::<PyString>()
            .ok()?
            .to_cow()
            .ok()?
            .into_owned(),
    )
}

/// `None`, or an exact `list` of exact `str`.
fn plain_fields(value: &Bound<'_, PyAny>) -> Option<Option<Vec<String>>> {
    if value.is_none() {
        return Some(None);
    }
    let list = value.cast_exact::<PyList>().ok()?;
    let mut out = Vec::with_capacity(list.len());
    for item in list.iter() {
        out.push(plain_str(&item)?);
    }
    Some(Some(out))
}

/// A wire value read from its string form by its own serde impl (what the
/// general reading does with a JSON string).
fn wire_str<T: DeserializeOwned>(s: &str) -> Option<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(s)).ok()
}

/// The items of an iterable argument (`requests`, `events`), each read with
/// `read`; an argument that cannot be iterated, or an iterator that raises, is
/// `input.invalid_argument` naming `name`.
pub fn each<'py, T>(
    list: &Bound<'py, PyAny>,
    name: &str,
    mut read: impl FnMut(&Bound<'py, PyAny>, usize) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    let py = list.py();
    if list.is_instance_of::<PyString>() || list.is_instance_of::<PyDict>() {
        return Err(error::argument(
            py,
            name,
            &format!("expected an iterable of dicts, not {}", type_name(list)),
            None,
        ));
    }
    let iter = list.try_iter().map_err(|e| {
        let detail = format!("expected an iterable of dicts, not {}", type_name(list));
        error::argument(py, name, &detail, Some(e))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let item = item.map_err(|e| {
            let detail = format!("iterating it raised {e} at item #{i}");
            error::argument(py, name, &detail, Some(e))
        })?;
        out.push(read(&item, i)?);
    }
    Ok(out)
}

/// Serialises a value into plain Python objects (dicts, lists, str, None).
pub fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}

/// The wire name of a unit enum value (`"permit"`, `"granted"`).
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => e.to_string(),
    }
}
