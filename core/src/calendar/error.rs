//! The calendar's error type.

use chrono::NaiveDate;

/// An error from the calendar. Each variant has a stable [`CalendarError::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The date is outside the calendar data.
    #[error("date `{date}` is outside the calendar data ({first} to {last})")]
    NotCovered {
        /// The date asked about (for a count that runs past the data, the first
        /// day after the last covered day).
        date: NaiveDate,
        /// First covered day.
        first: NaiveDate,
        /// Last covered day.
        last: NaiveDate,
    },
    /// A calendar data or override file is not valid TOML or JSON, or has a
    /// field of the wrong type or an unknown field.
    #[error("calendar data `{source_name}` cannot be read: {reason}")]
    Syntax {
        /// Where the data came from (a path, or `toml` / `json` for a string).
        source_name: String,
        /// What the parser said (it names the line and the field).
        reason: String,
    },
    /// An entry of a calendar data or override file is wrong.
    #[error("calendar data `{source_name}`: entry `{entry}`, field `{field}`: {reason}")]
    BadEntry {
        /// Where the data came from (a path, or `toml` / `json` for a string).
        source_name: String,
        /// The entry: `notice[3] (國辦發明電〔2019〕3號)`, or `coverage`.
        entry: String,
        /// The field in the entry: `rest[0].to`, `work[1].dates[0]`, `last`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An override file could not be read from disk.
    #[error("cannot read calendar override file `{path}`: {reason}")]
    Io {
        /// The path given.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// A month that does not exist (`month` outside 1 to 12).
    #[error("`{year}-{month:02}` is not a month")]
    BadMonth {
        /// The year asked about.
        year: i32,
        /// The month asked about.
        month: u32,
    },
    /// An override file is over [`crate::limits::MAX_OVERRIDES_BYTES`]; it was not
    /// parsed.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
}

crate::error::error_table! {
    impl CalendarError {
        python: "`CalendarError`";
        NotCovered => "calendar.not_covered", {
            meaning: "a date outside the calendar data (2004 through 2026 built in, plus overrides): never \
            a guess",
            from: "working-day counts, `is_workday`, due dates",
        }
        Syntax => "calendar.bad_syntax", {
            meaning: "calendar data or an override file is not valid TOML/JSON, or has a wrong or unknown \
            field",
            from: "`Calendar::with_overrides_toml`, `_json`, `_path`; data loading",
        }
        BadEntry => "calendar.bad_entry", {
            meaning: "an entry of calendar data is wrong (names the notice, the field and why)",
            from: "calendar data and overrides",
        }
        Io => "calendar.io", {
            meaning: "an override file cannot be read",
            from: "`Calendar::with_overrides_path`",
        }
        BadMonth => "calendar.bad_month", {
            meaning: "a month outside 1 to 12",
            from: "the month view",
        }
        @delegate Limit;
    }
}
