//! Day and month views for display: what each day is, and which notice says so.

use chrono::NaiveDate;
use serde::Serialize;

/// What a day is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DayKind {
    /// An ordinary working day (Monday to Friday, no notice about it).
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A rest day of a holiday arrangement (放假).
    Holiday {
        /// The holiday, as the notice names it: `國慶節`, `春節`.
        name: String,
    },
    /// A weekend day made a working day by a notice (調休上班).
    AdjustedWorkday {
        /// The holiday it was moved for.
        name: String,
    },
}

impl DayKind {
    /// Whether a day of this kind is a working day.
    pub fn is_workday(&self) -> bool {
        matches!(self, Self::Workday | Self::AdjustedWorkday { .. })
    }
}

/// One day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    /// The date.
    pub date: NaiveDate,
    /// What it is.
    #[serde(flatten)]
    pub kind: DayKind,
    /// Whether it is a working day.
    pub workday: bool,
    /// The document number of the notice that made it a holiday or an adjusted
    /// working day, such as `國辦發明電〔2019〕16號`; `None` for an ordinary day.
    pub notice: Option<String>,
}

/// A month for display: every day with its kind and notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthView {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Every day of the month, in order.
    pub days: Vec<DayInfo>,
}

impl MonthView {
    /// The working days of the month.
    pub fn workdays(&self) -> usize {
        self.days.iter().filter(|d| d.workday).count()
    }
}

/// A notice the calendar holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeInfo {
    /// Its document number, such as `國辦發明電〔2024〕12號`.
    pub document: String,
    /// Its title, when the data gives it.
    pub title: Option<String>,
    /// The day it was issued, when the data gives it.
    pub issued: Option<NaiveDate>,
}
