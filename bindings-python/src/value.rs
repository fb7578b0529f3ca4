//! Python objects into JSON values: read once, with a depth bound.
//!
//! This is the only way Python input reaches serde. It replaces a depth check
//! followed by `pythonize::depythonize`: the check looked only at exact dicts,
//! lists and tuples, while `depythonize` also recursed (without a limit) into any
//! sequence or mapping — `collections.UserList`, `deque`, `frozenset`, a dict
//! subclass's `keys()` — so 30,000 nested `UserList`s crashed the interpreter.
//! Here the walk that counts the depth is the walk that builds the value, each
//! container is read exactly once, and nothing deeper than
//! [`govshare::limits::MAX_DEPTH`] is ever entered (so the recursion is bounded by
//! that constant, not by the input).
//!
//! What is read, by type (subclasses included):
//!
//! | Python | JSON |
//! |---|---|
//! | `None` | `null` |
//! | `bool` | `true` / `false` |
//! | `int` (within 64 bits) | number |
//! | `float` (finite) | number |
//! | `str` | string |
//! | `dict`, any `collections.abc.Mapping` (through `items()`) with `str` keys | object |
//! | `list`, `tuple`, `set`, `frozenset`, any other `collections.abc.Sequence` except `bytes`/`bytearray` | array |
//!
//! Anything else (a `datetime`, `bytes`, a dataclass, an arbitrary object) is
//! refused naming its type and its path; NaN, an infinity or an `int` past 64 bits
//! is refused as [`ReadError::BadNumber`], never turned into `null`.

use std::fmt;

use govshare::limits::MAX_DEPTH;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PyMapping,
    PySequence, PySet, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

/// Why a Python object could not be read as a JSON value (or, for
/// [`ReadError::Shape`], as the type asked for).
#[derive(Debug)]
pub enum ReadError {
    /// Containers nest deeper than [`MAX_DEPTH`]; `depth` is the first level over
    /// it (the walk stops there).
    TooDeep {
        /// The level reached.
        depth: usize,
    },
    /// A float that is NaN or infinite, or an `int` outside 64 bits.
    BadNumber {
        /// Where, e.g. `grants[0].until`.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A value with no JSON form, a non-`str` key, or (after the walk) a value
    /// that does not fit the type asked for; the message names the path.
    Shape(String),
    /// Python code run while reading (a mapping's `items()`, an iterator, a
    /// string with lone surrogates) raised `err`.
    Raised {
        /// Where, e.g. `fields`.
        path: String,
        /// The exception raised.
        err: PyErr,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooDeep { depth } => write!(
                f,
                "arrays and objects nest {depth} levels deep, over the limit of {MAX_DEPTH} (`limits::MAX_DEPTH`)"
            ),
            Self::BadNumber { path, detail } => write!(f, "{}{detail}", at(path)),
            Self::Shape(detail) => f.write_str(detail),
            Self::Raised { path, err } => write!(f, "{}reading it raised {err}", at(path)),
        }
    }
}

/// `` `path`: `` or nothing at the top level.
fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("`{path}`: ")
    }
}

/// One step of a path: a key or an index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Reads `obj` as a JSON value.
pub fn read(obj: &Bound<'_, PyAny>) -> Result<Value, ReadError> {
    Walk { path: Vec::new() }.value(obj, 1)
}

struct Walk {
    path: Vec<Step>,
}

impl Walk {
    /// The current path as serde_path_to_error writes it: `grants[0].until`.
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    fn raised(&self, err: PyErr) -> ReadError {
        ReadError::Raised {
            path: self.path(),
            err,
        }
    }

    fn unsupported(&self, obj: &Bound<'_, PyAny>, what: &str, hint: &str) -> ReadError {
        let ty = obj
            .get_type()
            .fully_qualified_name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        ReadError::Shape(format!(
            "{}a {what} of type `{ty}` has no JSON form{hint}",
            at(&self.path())
        ))
    }

    /// The value of `obj`, which sits at container level `depth` (1 for the
    /// top-level value) if it is a container.
    fn value(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, ReadError> {
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            return self.int(i);
        }
        if let Ok(x) = obj.cast::<PyFloat>() {
            return self.float(x.value());
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return s
                .to_cow()
                .map(|s| Value::String(s.into_owned()))
                .map_err(|e| self.raised(e));
        }
        if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
            return Err(self.unsupported(obj, "value", " (decode it to a `str`)"));
        }
        if crate::convert::is_date(obj).map_err(|e| self.raised(e))? {
            return Err(self.unsupported(
                obj,
                "value",
                " (pass an RFC 3339 string: `.isoformat()`)",
            ));
        }
        let container = obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>()
            || obj.is_instance_of::<PySet>()
            || obj.is_instance_of::<PyFrozenSet>()
            || obj.cast::<PyMapping>().is_ok()
            || obj.cast::<PySequence>().is_ok();
        if !container {
            return Err(self.unsupported(obj, "value", ""));
        }
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep { depth });
        }
        if let Ok(d) = obj.cast_exact::<PyDict>() {
            // A snapshot (a new list): reading the values may run Python code.
            return self.object(d.items().iter(), depth);
        }
        if obj.is_instance_of::<PyDict>() || obj.cast::<PyMapping>().is_ok() {
            // A dict subclass or another mapping: its own `items()`, called once.
            let items = obj
                .call_method0(pyo3::intern!(obj.py(), "items"))
                .and_then(|items| items.try_iter())
                .map_err(|e| self.raised(e))?;
            let mut pairs = Vec::new();
            for item in items {
                pairs.push(item.map_err(|e| self.raised(e))?);
            }
            return self.object(pairs.into_iter(), depth);
        }
        if let Ok(l) = obj.cast_exact::<PyList>() {
            let items: Vec<_> = l.iter().collect();
            return self.array(items.into_iter().map(Ok), depth);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            let items: Vec<_> = t.iter().collect();
            return self.array(items.into_iter().map(Ok), depth);
        }
        // A list subclass, a set, a deque, a UserList, another sequence: iterated
        // once.
        let iter = obj.try_iter().map_err(|e| self.raised(e))?;
        self.array(iter, depth)
    }

    fn int(&self, i: &Bound<'_, PyInt>) -> Result<Value, ReadError> {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = i.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        Err(ReadError::BadNumber {
            path: self.path(),
            detail: format!("the integer {i} does not fit in 64 bits"),
        })
    }

    fn float(&self, x: f64) -> Result<Value, ReadError> {
        Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| ReadError::BadNumber {
                path: self.path(),
                detail: format!("{x} is not a finite number (JSON has no NaN or infinity)"),
            })
    }

    fn object<'py>(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        depth: usize,
    ) -> Result<Value, ReadError> {
        let mut map = Map::new();
        for item in items {
            let (key, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
                item.extract().map_err(|e: PyErr| self.raised(e))?;
            let Ok(key) = key.cast::<PyString>() else {
                return Err(self.unsupported(&key, "key", " (keys must be `str`)"));
            };
            let key = key.to_cow().map_err(|e| self.raised(e))?.into_owned();
            self.path.push(Step::Key(key.clone()));
            let value = self.value(&value, depth + 1)?;
            self.path.pop();
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    fn array<'py>(
        &mut self,
        items: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
        depth: usize,
    ) -> Result<Value, ReadError> {
        let mut out = Vec::new();
        for (i, item) in items.enumerate() {
            self.path.push(Step::Index(i));
            let item = item.map_err(|e| self.raised(e))?;
            out.push(self.value(&item, depth + 1)?);
            self.path.pop();
        }
        Ok(Value::Array(out))
    }
}
