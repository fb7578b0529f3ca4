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
//! is refused as [`wire::ReadError::BadNumber`], never turned into `null`.
//!
//! Only the walk over Python's types is here; the path, the depth bound, the
//! number checks and the errors are the core's ([`govshare::wire`]), shared
//! with Node.

use govshare::wire::{self, Walk};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PyMapping,
    PySequence, PySet, PyString, PyTuple,
};
use serde_json::{Map, Value};

/// Why a Python object could not be read as a JSON value: the core's
/// [`wire::ReadError`], the exception the caller's code raised as its cause.
pub type ReadError = wire::ReadError<PyErr>;

/// Reads `obj` as a JSON value.
pub fn read(obj: &Bound<'_, PyAny>) -> Result<Value, ReadError> {
    Reader(Walk::new()).value(obj, 1)
}

/// The core's [`Walk`] over Python objects.
struct Reader(Walk);

impl Reader {
    fn raised(&self, err: PyErr) -> ReadError {
        self.0.raised(format!("reading it raised {err}"), err)
    }

    fn unsupported(&self, obj: &Bound<'_, PyAny>, what: &str, hint: &str) -> ReadError {
        let ty = obj
            .get_type()
            .fully_qualified_name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        self.0.unsupported(&format!("{what} of type `{ty}`"), hint)
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
            return self.0.float(x.value());
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
        self.0.enter(depth)?;
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
        let signed = i.extract::<i64>().ok();
        let unsigned = signed.is_none().then(|| i.extract::<u64>().ok()).flatten();
        self.0.int(signed, unsigned, &i.to_string())
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
            self.0.path.push_key(key.clone());
            let value = self.value(&value, depth + 1)?;
            self.0.path.pop();
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
            self.0.path.push_index(i);
            let item = item.map_err(|e| self.raised(e))?;
            out.push(self.value(&item, depth + 1)?);
            self.0.path.pop();
        }
        Ok(Value::Array(out))
    }
}
