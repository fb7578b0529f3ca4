//! Chinese statutory working days (SPEC §3).
//!
//! SKELETON: the API below is the contract other modules build on; the
//! calendar issue replaces the bodies.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// An error from the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The date is outside the calendar data.
    #[error("date `{date}` is outside the calendar data ({first} to {last})")]
    NotCovered {
        /// The date asked about.
        date: NaiveDate,
        /// First covered day.
        first: NaiveDate,
        /// Last covered day.
        last: NaiveDate,
    },
}

impl CalendarError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotCovered { .. } => "calendar.not_covered",
        }
    }
}

/// How "within N working days" is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingRule {
    /// SPEC §3: the event's own day is not counted; the N-th working day after it.
    #[default]
    Strict,
    /// The next working day on or after the event is day 0.
    NextWorkdayIsDayZero,
}

/// A working-day calendar.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    rule: CountingRule,
}

#[expect(clippy::todo, reason = "skeleton: replaced by the calendar issue")]
impl WorkCalendar {
    /// The built-in State Council arrangements, 2004–2026.
    pub fn china() -> Self {
        todo!()
    }
    /// This calendar with another counting rule.
    pub fn with_rule(&self, rule: CountingRule) -> Self {
        let _ = self.rule;
        Self { rule }
    }
    /// Whether `date` is a working day.
    pub fn is_workday(&self, _date: NaiveDate) -> Result<bool, CalendarError> {
        todo!()
    }
    /// The N-th working day after `start` (start not counted).
    pub fn add_workdays(&self, _start: NaiveDate, _n: u32) -> Result<NaiveDate, CalendarError> {
        todo!()
    }
    /// Working days in `(from, to]`; negative when `to < from`.
    pub fn workdays_between(&self, _from: NaiveDate, _to: NaiveDate) -> Result<i64, CalendarError> {
        todo!()
    }
    /// The first working day strictly after `date`.
    pub fn next_workday(&self, _date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        todo!()
    }
    /// `date` if it is a working day, else the next one.
    pub fn workday_on_or_after(&self, _date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        todo!()
    }
    /// The due date (China date) of "within `n` working days of `at`".
    pub fn due_date(
        &self,
        _at: DateTime<FixedOffset>,
        _n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        todo!()
    }
    /// 24:00 China time of the due day of "within `n` working days of `at`".
    pub fn deadline(
        &self,
        _at: DateTime<FixedOffset>,
        _n: u32,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        todo!()
    }
    /// The first and last covered days.
    pub fn covered(&self) -> (NaiveDate, NaiveDate) {
        todo!()
    }
}

/// UTC+08:00, China time (no daylight saving).
// Evaluated at compile time: 8 hours is a valid offset, so this cannot fail at run time.
pub const CHINA_OFFSET: FixedOffset = FixedOffset::east_opt(8 * 3600).expect("valid offset");

/// The China date of a moment.
pub fn china_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&CHINA_OFFSET).date_naive()
}
