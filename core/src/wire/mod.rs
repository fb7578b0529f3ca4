//! The wire contract both bindings share: a value of the host language (a Python
//! dict, a JavaScript object) read once into JSON, then decoded into a SPEC §8
//! type, with every failure turned into a coded [`Error`] in one place.
//!
//! A binding walks its own values (only it knows its types) and builds a
//! [`serde_json::Value`]; everything else is here, so that Python and Node say the
//! same thing about the same input:
//!
//! - [`Path`]: where the walk is, written as serde_path_to_error writes it
//!   (`grants[0].until`);
//! - [`Walk::enter`]: the depth bound ([`MAX_DEPTH`]), checked before a container
//!   is read, so the walk's recursion is bounded by that constant;
//! - [`Walk::float`], [`Walk::int`]: numbers JSON can carry, never NaN read as
//!   `null`;
//! - [`decode`]: the value into its type, the error naming the field path;
//! - [`ReadError::into_error`]: the failure as the input's own error code
//!   (`policy.invalid_request`, `workflow.invalid_event`, `registry.invalid_json`,
//!   `limits.too_deep`, `input.invalid_number`), with the host's exception (a
//!   getter that threw) handed back to become the error's cause.
//!
//! JSON text has its own entry points, with the same limits:
//! [`crate::policy::AccessRequest::from_json_str`],
//! [`crate::workflow::Event::from_json_str`], [`crate::registry::Registry::load`].

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

use crate::Error;
pub use crate::limits::Input;
use crate::limits::MAX_DEPTH;

/// One step of a [`Path`]: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where a walk is inside a value: `grants[0].until`, empty at the top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    steps: Vec<Step>,
}

impl Path {
    /// Into the member `key` of an object.
    pub fn push_key(&mut self, key: impl Into<String>) {
        self.steps.push(Step::Key(key.into()));
    }

    /// Into the item `index` of an array.
    pub fn push_index(&mut self, index: usize) {
        self.steps.push(Step::Index(index));
    }

    /// Back out of the last step.
    pub fn pop(&mut self) {
        self.steps.pop();
    }

    /// `` `path`: `` to prefix a message with, or nothing at the top level.
    pub fn prefix(&self) -> String {
        if self.steps.is_empty() {
            String::new()
        } else {
            format!("`{self}`: ")
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Why a host value could not be read as its wire type. `C` is the host's
/// exception (a Python `PyErr`, a napi error), kept to become the cause.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError<C> {
    /// Containers nest deeper than [`MAX_DEPTH`]; `depth` is the first level over
    /// it (the walk stopped there).
    TooDeep {
        /// The level reached.
        depth: usize,
    },
    /// A number JSON cannot carry: NaN, an infinity, an integer past 64 bits.
    BadNumber {
        /// Where, e.g. `grants[0].until`.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A value with no JSON form, or a value that does not fit the type asked
    /// for; the message names the path.
    Shape(String),
    /// The caller's own code (a getter, a `Proxy` trap, a mapping's `items()`)
    /// raised while the value was read.
    Raised {
        /// Where, e.g. `fields`.
        path: String,
        /// What happened, in the host's words (`reading it raised …`).
        message: String,
        /// The exception, to become the cause of the coded error.
        cause: C,
    },
    /// A value inside the input that is itself invalid, with its own code (a
    /// JavaScript `Date` that is not a date: `input.invalid_date`).
    Invalid(Error),
}

impl<C> fmt::Display for ReadError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooDeep { depth } => write!(
                f,
                "arrays and objects nest {depth} levels deep, over the limit of {MAX_DEPTH} \
                 (`limits::MAX_DEPTH`)"
            ),
            Self::BadNumber { path, detail }
            | Self::Raised {
                path,
                message: detail,
                ..
            } => {
                if path.is_empty() {
                    f.write_str(detail)
                } else {
                    write!(f, "`{path}`: {detail}")
                }
            }
            Self::Shape(detail) => f.write_str(detail),
            Self::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl<C> ReadError<C> {
    /// The coded error for a `what` (`request`, `event #3`, `registry`) of kind
    /// `input` that failed to read this way, and the host's exception to set as
    /// its cause (for [`ReadError::Raised`]):
    ///
    /// - too deep: `limits.too_deep` (inside a registry error for a registry, as
    ///   for JSON text);
    /// - a bad number: `input.invalid_number`;
    /// - a wrong shape, or the caller's code raised: the input's own code
    ///   (`registry.invalid_json`, `policy.invalid_request`,
    ///   `workflow.invalid_event`);
    /// - an invalid value inside: its own error.
    pub fn into_error(self, input: Input, what: &str) -> (Error, Option<C>) {
        let detail = self.to_string();
        match self {
            Self::TooDeep { depth } => (input.too_deep(what, depth), None),
            Self::BadNumber { .. } => (
                crate::error::InputError::new(
                    crate::error::InputErrorKind::InvalidNumber,
                    format!("invalid {what}: {detail}"),
                )
                .into(),
                None,
            ),
            Self::Shape(_) => (input.invalid(what, &detail), None),
            Self::Raised { cause, .. } => (input.invalid(what, &detail), Some(cause)),
            Self::Invalid(e) => (e, None),
        }
    }
}

/// A walk over a host value: the path so far, and the checks every binding makes
/// the same way.
#[derive(Debug, Default)]
pub struct Walk {
    /// Where the walk is.
    pub path: Path,
}

impl Walk {
    /// A walk at the top of a value.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks that a container at level `depth` (1 for the top-level value) may
    /// be read: [`ReadError::TooDeep`] past [`MAX_DEPTH`]. Call it before reading
    /// any of the container, so the recursion never goes deeper than the bound.
    pub fn enter<C>(&self, depth: usize) -> Result<(), ReadError<C>> {
        if depth > MAX_DEPTH {
            Err(ReadError::TooDeep { depth })
        } else {
            Ok(())
        }
    }

    /// `x` as a JSON number; NaN and the infinities are
    /// [`ReadError::BadNumber`].
    pub fn float<C>(&self, x: f64) -> Result<Value, ReadError<C>> {
        Number::from_f64(x).map(Value::Number).ok_or_else(|| {
            self.bad_number(format!(
                "{x} is not a finite number (JSON has no NaN or infinity)"
            ))
        })
    }

    /// An integer as a JSON number when it fits in 64 bits (`i64`, or `u64` for
    /// a large positive one); otherwise [`ReadError::BadNumber`] quoting
    /// `shown` (the integer as the host writes it).
    pub fn int<C>(
        &self,
        signed: Option<i64>,
        unsigned: Option<u64>,
        shown: &str,
    ) -> Result<Value, ReadError<C>> {
        match (signed, unsigned) {
            (Some(n), _) => Ok(Value::Number(n.into())),
            (None, Some(n)) => Ok(Value::Number(n.into())),
            (None, None) => {
                Err(self.bad_number(format!("the integer {shown} does not fit in 64 bits")))
            }
        }
    }

    /// A [`ReadError::BadNumber`] here.
    pub fn bad_number<C>(&self, detail: String) -> ReadError<C> {
        ReadError::BadNumber {
            path: self.path.to_string(),
            detail,
        }
    }

    /// A value here with no JSON form: `` `path`: a {what} … has no JSON form{hint} ``.
    pub fn unsupported<C>(&self, what: &str, hint: &str) -> ReadError<C> {
        ReadError::Shape(format!(
            "{}a {what} has no JSON form{hint}",
            self.path.prefix()
        ))
    }

    /// The caller's code raised here; `message` says how, in the host's words.
    pub fn raised<C>(&self, message: String, cause: C) -> ReadError<C> {
        ReadError::Raised {
            path: self.path.to_string(),
            message,
            cause,
        }
    }
}

/// Deserialises a value read from the host into its wire type; a value that does
/// not fit is [`ReadError::Shape`] naming the field path (`` `fields[0]`: … ``).
/// The wire types stay exact: a string where a list belongs is an error, not a
/// list of characters.
pub fn decode<T: DeserializeOwned, C>(value: Value) -> Result<T, ReadError<C>> {
    // Most values fit: decode without tracking the path, and only a value
    // that does not fit again, for the path of its error.
    if let Ok(t) = T::deserialize(&value) {
        return Ok(t);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ReadError::Shape(if path == "." {
            inner.to_string()
        } else {
            format!("`{path}`: {inner}")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::AccessRequest;

    type R = ReadError<String>;

    #[test]
    fn paths_read_as_serde_path_to_error_writes_them() {
        let mut p = Path::default();
        assert_eq!(p.prefix(), "");
        p.push_key("grants");
        p.push_index(0);
        p.push_key("until");
        assert_eq!(p.to_string(), "grants[0].until");
        assert_eq!(p.prefix(), "`grants[0].until`: ");
        p.pop();
        assert_eq!(p.to_string(), "grants[0]");
    }

    #[test]
    fn each_failure_has_the_inputs_code() {
        let deep: R = Walk::new().enter(MAX_DEPTH + 1).unwrap_err();
        let (e, _) = deep.into_error(Input::Registry, "registry");
        assert_eq!(e.code(), "limits.too_deep");
        assert!(Walk::new().enter::<String>(MAX_DEPTH).is_ok());

        let mut walk = Walk::new();
        walk.path.push_key("at");
        let nan: R = walk.float(f64::NAN).unwrap_err();
        let (e, _) = nan.into_error(Input::Request, "request #2");
        assert_eq!(e.code(), "input.invalid_number");
        assert_eq!(
            e.to_string(),
            "invalid request #2: `at`: NaN is not a finite number (JSON has no NaN or infinity)"
        );
        let big: R = walk.int(None, None, "1e30").unwrap_err();
        assert!(big.to_string().contains("1e30 does not fit in 64 bits"));
        assert_eq!(
            walk.int::<String>(None, Some(u64::MAX), "").unwrap(),
            u64::MAX
        );

        let raised: R = walk.raised("reading it raised KeyError".to_owned(), "cause".to_owned());
        let (e, cause) = raised.into_error(Input::Event, "event");
        assert_eq!(e.code(), "workflow.invalid_event");
        assert_eq!(
            e.to_string(),
            "invalid event: `at`: reading it raised KeyError"
        );
        assert_eq!(cause.as_deref(), Some("cause"));
    }

    #[test]
    fn decode_names_the_field_path() {
        let value = serde_json::json!({
            "department": "d", "resource": "r", "method": "online_query", "purpose": "p",
            "fields": [1], "network": "government_extranet",
            "at": "2020-01-01T00:00:00+08:00"
        });
        let err = decode::<AccessRequest, String>(value).unwrap_err();
        let (e, _) = err.into_error(Input::Request, "request");
        assert_eq!(e.code(), "policy.invalid_request");
        assert!(
            e.to_string().starts_with("invalid request: `fields[0]`: "),
            "{e}"
        );
    }
}
