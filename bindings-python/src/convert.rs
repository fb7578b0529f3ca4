//! Python <-> Rust conversions: `datetime` objects and SPEC §8 dicts.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyType};
use pyo3::{Py, intern};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{self, Input};

static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

/// A `datetime.datetime` with a time zone, or an RFC 3339 string with an offset
/// (the wire form), as a chrono moment.
pub fn to_moment(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<DateTime<FixedOffset>> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?;
        return DateTime::parse_from_rfc3339(&s).map_err(|e| {
            PyValueError::new_err(format!(
                "`{arg}` ({s}) is not an RFC 3339 moment with an offset: {e}"
            ))
        });
    }
    if !obj.is_instance(datetime_type(py)?)? {
        return Err(PyTypeError::new_err(format!(
            "`{arg}` must be a datetime.datetime or an RFC 3339 string, not {}",
            obj.get_type().name()?
        )));
    }
    if obj.call_method0(intern!(py, "utcoffset"))?.is_none() {
        return Err(PyValueError::new_err(format!(
            "`{arg}` must be timezone-aware (e.g. tzinfo=timezone(timedelta(hours=8)))"
        )));
    }
    let iso: String = obj.call_method0(intern!(py, "isoformat"))?.extract()?;
    DateTime::parse_from_rfc3339(&iso)
        .map_err(|e| PyValueError::new_err(format!("`{arg}` ({iso}) is not usable: {e}")))
}

/// A `datetime.date` as a chrono date. An aware `datetime.datetime` is taken as
/// its China date (SPEC §3); a naive one is refused.
pub fn to_date(obj: &Bound<'_, PyAny>, arg: &str) -> PyResult<NaiveDate> {
    let py = obj.py();
    if obj.is_instance(datetime_type(py)?)? {
        return Ok(govshare::calendar::china_date(to_moment(obj, arg)?));
    }
    if !obj.is_instance(date_type(py)?)? {
        return Err(PyTypeError::new_err(format!(
            "`{arg}` must be a datetime.date, not {}",
            obj.get_type().name()?
        )));
    }
    let y: i32 = obj.getattr(intern!(py, "year"))?.extract()?;
    let m: u32 = obj.getattr(intern!(py, "month"))?.extract()?;
    let d: u32 = obj.getattr(intern!(py, "day"))?.extract()?;
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| PyValueError::new_err(format!("`{arg}` is not a valid date")))
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
/// The object goes through a JSON value first: it keeps the wire types exact (a
/// `str` where a list belongs is an error, not a list of characters).
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> Result<T, String> {
    crate::depth::check(obj)?;
    let value: serde_json::Value = pythonize::depythonize(obj).map_err(|e| e.to_string())?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            inner.to_string()
        } else {
            format!("`{path}`: {inner}")
        }
    })
}

/// Deserialises input of kind `what`, raising the matching govshare error.
pub fn input<T: DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    what: Input,
    index: Option<usize>,
) -> PyResult<T> {
    from_py(obj).map_err(|detail| error::input(obj.py(), what, index, &detail))
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
