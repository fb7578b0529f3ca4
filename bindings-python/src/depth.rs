//! A nesting check on Python input before `pythonize::depythonize`.
//!
//! `depythonize` recurses once per level with no limit of its own
//! (pythonize issue #78), so a deeply nested dict (easy to build in a loop) or one
//! that contains itself would overflow the native stack and crash the interpreter.
//! This walk is iterative and stops at [`govshare::limits::MAX_DEPTH`], the same
//! limit the core applies to JSON text.

use govshare::limits::{LimitError, MAX_DEPTH};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// Checks that dicts, lists and tuples in `obj` nest at most [`MAX_DEPTH`] levels
/// (a self-containing value never passes). The error message names the limit.
pub fn check(obj: &Bound<'_, PyAny>) -> Result<(), String> {
    let mut stack = vec![(obj.clone(), 1usize)];
    while let Some((item, depth)) = stack.pop() {
        let children: Vec<Bound<'_, PyAny>> = if let Ok(d) = item.cast::<PyDict>() {
            d.values().iter().collect()
        } else if let Ok(l) = item.cast::<PyList>() {
            l.iter().collect()
        } else if let Ok(t) = item.cast::<PyTuple>() {
            t.iter().collect()
        } else {
            continue;
        };
        if depth > MAX_DEPTH {
            return Err(LimitError::TooDeep {
                what: "input".to_owned(),
                name: "MAX_DEPTH",
                limit: MAX_DEPTH,
                actual: depth,
            }
            .to_string());
        }
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}
