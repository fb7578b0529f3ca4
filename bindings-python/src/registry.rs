//! `govshare.Registry`: departments, the catalog and grants (SPEC §8), loaded by
//! the core's one loader ([`govshare::registry::Registry::load`]) from a file,
//! JSON text or a dict: the constructor says which, nothing is guessed.

use std::ffi::CString;
use std::path::PathBuf;

use govshare::registry::{Registry as CoreRegistry, RegistrySource};
use pyo3::exceptions::PyDeprecationWarning;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::convert;
use crate::error::{self, Input};

/// Loads `source` with the core's loader, without the GIL.
fn load(py: Python<'_>, source: RegistrySource) -> PyResult<CoreRegistry> {
    py.detach(move || CoreRegistry::load(source))
        .map_err(|e| error::core(py, e))
}

/// A dict (or another mapping) read into the core's JSON value source.
fn dict_source(obj: &Bound<'_, PyAny>) -> PyResult<RegistrySource> {
    crate::value::read(obj)
        .map(RegistrySource::Value)
        .map_err(|e| error::input(obj.py(), Input::Registry, None, e))
}

/// A path argument: a `str` or an `os.PathLike`.
fn path_of(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<PathBuf> {
    obj.extract::<PathBuf>().map_err(|e| {
        error::argument(
            obj.py(),
            name,
            "must be a path (a str or an os.PathLike)",
            Some(e),
        )
    })
}

/// The name of `obj`'s type, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A registry argument of `Engine`, `audit`, `Auditor` and `usage_report`: a
/// `Registry`, a dict (or another mapping) or an `os.PathLike`. A `str` is still
/// read as before, JSON when its first non-blank character is `{` and a path
/// otherwise, with a `DeprecationWarning` naming `Registry.from_json` and
/// `Registry.from_file`. `name` is the argument, for errors.
pub fn load_registry(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<CoreRegistry> {
    let py = obj.py();
    if let Ok(r) = obj.cast::<Registry>() {
        return Ok(r.get().inner.clone());
    }
    if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
        return load(py, dict_source(obj)?);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let message = CString::new(format!(
            "passing `{name}` as a str is deprecated (the str was read as JSON when it starts with `{{`, else as a path): use govshare.Registry.from_json(text) or govshare.Registry.from_file(path)"
        ))?;
        PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &message, 1)?;
        let s = s.to_cow()?.into_owned();
        let source = if s.trim_start().starts_with('{') {
            RegistrySource::Json(s)
        } else {
            RegistrySource::Path(s.into())
        };
        return load(py, source);
    }
    if let Ok(path) = obj.extract::<PathBuf>() {
        return load(py, RegistrySource::Path(path));
    }
    Err(error::argument(
        py,
        name,
        &format!(
            "registry must be a govshare.Registry, a dict or a path, not {}",
            type_name(obj)
        ),
        None,
    ))
}

/// A checked, indexed registry snapshot: departments, the catalog and grants
/// (SPEC §8). Made by `Registry.from_file`, `Registry.from_json` or
/// `Registry.from_dict`; immutable. Give it to `Engine`, `audit`, `Auditor` or
/// `usage_report` wherever a registry is asked for.
#[pyclass(frozen, module = "govshare", name = "Registry")]
#[derive(Debug, Clone)]
pub struct Registry {
    inner: CoreRegistry,
}

#[pymethods]
impl Registry {
    /// A registry from SPEC §8 JSON text. Malformed text raises `RegistryError`
    /// `registry.invalid_json` naming the field (`departments[0].level`); over
    /// a limit, `limits.*`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = text.cast::<PyString>().map_err(|_| {
            error::argument(
                py,
                "text",
                &format!("must be a str of JSON, not {}", type_name(text)),
                None,
            )
        })?;
        let text = text.to_cow()?.into_owned();
        load(py, RegistrySource::Json(text)).map(|inner| Self { inner })
    }

    /// A registry from the SPEC §8 JSON file at `path` (a `str` or an
    /// `os.PathLike`). A file that cannot be read raises `registry.io`,
    /// malformed content `registry.invalid_json`; both name the file.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_of(path, "path")?;
        load(py, RegistrySource::Path(path)).map(|inner| Self { inner })
    }

    /// A registry from a SPEC §8 dict (or another mapping). A dict that does not
    /// fit raises `registry.invalid_json` naming the field path.
    #[staticmethod]
    fn from_dict(py: Python<'_>, registry: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !(registry.is_instance_of::<PyDict>() || registry.cast::<PyMapping>().is_ok()) {
            return Err(error::argument(
                py,
                "registry",
                &format!("must be a dict, not {}", type_name(registry)),
                None,
            ));
        }
        load(py, dict_source(registry)?).map(|inner| Self { inner })
    }

    /// The registry as a SPEC §8 dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, self.inner.doc())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner.doc() == self.inner.doc())
    }

    fn __repr__(&self) -> String {
        format!(
            "<govshare.Registry departments={} resources={} grants={}>",
            self.inner.departments().len(),
            self.inner.resources().len(),
            self.inner.grants().len()
        )
    }
}
