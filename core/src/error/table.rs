//! Errors declared once: each error enum states its codes in one table, from which
//! its `code()`, its list of codes and the rows of `docs/errors.md` all come.

/// One documented error code: the row of `docs/errors.md` that describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorCode {
    /// The stable code, `module.snake_case`.
    pub code: &'static str,
    /// What it means, for people.
    pub meaning: &'static str,
    /// Where it comes from: the functions, commands or inputs that return it.
    pub from: &'static str,
    /// The Rust type and variant that carries it (`WorkflowError::WrongState`).
    pub rust: &'static str,
    /// The Python exception class it is raised as (`—` where Python never sees it).
    pub python: &'static str,
}

/// Declares the codes of an error enum in one table and generates from it:
///
/// - `code()`, an exhaustive match (a new variant fails to compile until it has a
///   row, or is the one variant named by `@delegate Variant;` that wraps a
///   [`LimitError`] and returns its code);
/// - `TABLE`, the rows ([`ErrorCode`]) in declaration order;
/// - `CODES`, the codes alone, in the same order.
///
/// A row is `Variant | OtherVariant => "module.code" { meaning: "…", from: "…" }`,
/// optionally followed by `rust: "…"` and `python: "…"` where the defaults (the
/// first variant's path, the enum's Python class) do not say it.
///
/// [`LimitError`]: crate::limits::LimitError
macro_rules! error_table {
    (
        impl $ty:ident {
            python: $python:literal;
            $(
                $first:ident $(| $variant:ident)* => $code:expr, {
                    meaning: $meaning:literal,
                    from: $from:literal
                    $(, rust: $rust:literal)?
                    $(, python: $row_python:literal)?
                    $(,)?
                }
            )*
            $(@delegate $delegate:ident;)?
        }
    ) => {
        impl $ty {
            /// The documented codes of this error's own variants, in declaration
            /// order (the rows of `docs/errors.md`).
            pub const TABLE: &'static [$crate::error::ErrorCode] = &[
                $($crate::error::ErrorCode {
                    code: $code,
                    meaning: $meaning,
                    from: $from,
                    rust: $crate::error::pick!(
                        $($rust)?; concat!("`", stringify!($ty), "::", stringify!($first), "`")
                    ),
                    python: $crate::error::pick!($($row_python)?; $python),
                },)*
            ];

            /// Every code this error's own variants return, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// The stable, machine-readable code of this error, such as
            /// `calendar.not_covered`.
            pub const fn code(&self) -> &'static str {
                match self {
                    $(Self::$first { .. } $(| Self::$variant { .. })* => $code,)*
                    $(Self::$delegate(inner) => inner.code(),)?
                }
            }
        }
    };
}

/// The first of an optional override and a default.
macro_rules! pick {
    ($given:literal; $default:expr) => {
        $given
    };
    (; $default:expr) => {
        $default
    };
}

pub(crate) use {error_table, pick};
