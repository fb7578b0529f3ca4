//! Chinese statutory working days (SPEC §3).
//!
//! A working day is Monday to Friday, minus the rest days of the State Council's
//! holiday arrangements (國務院辦公廳關於部分節假日安排的通知), plus the weekend
//! days those notices make working days (調休上班). The notices for 2004 through
//! 2026, mid-year changes included, are built in from `core/data/china-holidays.toml`
//! (format: `core/data/README.md`); a user adds a year or a local arrangement with
//! [`WorkCalendar::with_overrides_toml`], [`WorkCalendar::with_overrides_json`] or
//! [`WorkCalendar::with_overrides_path`]. A date outside the data is
//! [`CalendarError::NotCovered`], never a guess.
//!
//! Every count is constant time: the tables hold a running count of working days
//! per day and the list of working days.
//!
//! ```
//! use chrono::{DateTime, NaiveDate};
//! use govshare::calendar::{CountingRule, DayKind, WorkCalendar};
//!
//! let cal = WorkCalendar::china(); // 2004–2026, parsed once, cheap to call
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//!
//! // "Within 5 working days" of Friday 2019-09-27: Sunday 09-29 was worked,
//! // 10-01 to 10-07 were the National Day rest days.
//! assert_eq!(cal.add_workdays(d(2019, 9, 27), 5)?, d(2019, 10, 10));
//! assert_eq!(cal.workdays_between(d(2019, 9, 27), d(2019, 10, 10))?, 5);
//!
//! // A moment is taken in China time; the deadline is 24:00 of the due day.
//! let at = DateTime::parse_from_rfc3339("2019-09-26T20:00:00-04:00").unwrap();
//! assert_eq!(cal.deadline(at, 5)?.to_rfc3339(), "2019-10-11T00:00:00+08:00");
//!
//! // Every day traces to its notice.
//! let day = cal.day(d(2005, 12, 31))?;
//! assert_eq!(day.kind, DayKind::AdjustedWorkday { name: "元旦".into() });
//! assert_eq!(day.notice.as_deref(), Some("國辦發明電〔2005〕35號"));
//!
//! // Add 2027 (or a local arrangement) from a file, without a new release.
//! let next_year = cal.with_overrides_toml(r#"
//!     [coverage]
//!     last = "2027-12-31"
//!     [[notice]]
//!     document = "example for 2027"
//!     rest = [{ name = "元旦", from = "2027-01-01", to = "2027-01-03" }]
//! "#)?;
//! assert_eq!(next_year.covered().1, d(2027, 12, 31));
//! assert!(cal.is_workday(d(2027, 1, 4)).is_err()); // outside the data: an error, never a guess
//!
//! // The counting rule is a setting.
//! let lenient = cal.with_rule(CountingRule::NextWorkdayIsDayZero);
//! assert_eq!(lenient.add_workdays(d(2019, 10, 5), 5)?, d(2019, 10, 14));
//! # Ok::<(), govshare::calendar::CalendarError>(())
//! ```

mod data;
mod error;
mod month;
mod table;

use std::path::Path;
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta};

pub use error::CalendarError;
pub use month::{DayInfo, DayKind, MonthView, NoticeInfo};

use data::Format;
use table::{Said, Table};

/// The built-in data file: the State Council's arrangements, 2004–2026.
const CHINA_DATA: &str = include_str!("../../data/china-holidays.toml");
const CHINA_DATA_NAME: &str = "core/data/china-holidays.toml";

/// Parsed once; [`WorkCalendar::china`] clones the `Arc`.
static CHINA: LazyLock<Arc<Table>> = LazyLock::new(load_china);

#[expect(
    clippy::panic,
    reason = "the built-in data is part of the build and checked by the tests; a bad file is a defect of the release, not input"
)]
fn load_china() -> Arc<Table> {
    match data::parse(CHINA_DATA, Format::Toml, CHINA_DATA_NAME).and_then(|s| Table::build(vec![s]))
    {
        Ok(t) => Arc::new(t),
        Err(e) => panic!("built-in calendar data: {e}"),
    }
}

/// How "within N working days" is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountingRule {
    /// SPEC §3 (民法典 Art. 201, 203): the event's own day is not counted; the
    /// deadline is the N-th working day after it. An event on a rest day: the next
    /// working day is day 1.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use govshare::calendar::{CountingRule, WorkCalendar};
    /// let cal = WorkCalendar::china().with_rule(CountingRule::Strict);
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.add_workdays(d(2019, 9, 27), 5)?, d(2019, 10, 10)); // a Friday
    /// // Saturday 2019-10-05 (National Day): 10-08 is day 1, so day 5 is 10-12 (a Saturday worked).
    /// assert_eq!(cal.add_workdays(d(2019, 10, 5), 5)?, d(2019, 10, 12));
    /// # Ok::<(), govshare::calendar::CalendarError>(())
    /// ```
    #[default]
    Strict,
    /// The first working day on or after the event is day 0 (the rule some tools
    /// use). It agrees with [`CountingRule::Strict`] for an event on a working day
    /// and gives one working day more for an event on a rest day.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use govshare::calendar::{CountingRule, WorkCalendar};
    /// let cal = WorkCalendar::china().with_rule(CountingRule::NextWorkdayIsDayZero);
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// assert_eq!(cal.add_workdays(d(2019, 9, 27), 5)?, d(2019, 10, 10)); // same as Strict
    /// // Saturday 2019-10-05: 10-08 is day 0, so day 5 is 10-14.
    /// assert_eq!(cal.add_workdays(d(2019, 10, 5), 5)?, d(2019, 10, 14));
    /// # Ok::<(), govshare::calendar::CalendarError>(())
    /// ```
    NextWorkdayIsDayZero,
}

/// A working-day calendar: the tables (shared, immutable) and a counting rule.
/// Cloning is cheap.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    table: Arc<Table>,
    rule: CountingRule,
}

impl WorkCalendar {
    /// The built-in State Council arrangements, 2004–2026, with
    /// [`CountingRule::Strict`]. Cheap: the data is parsed once per process.
    pub fn china() -> Self {
        Self {
            table: Arc::clone(&CHINA),
            rule: CountingRule::default(),
        }
    }

    /// This calendar with another counting rule.
    pub fn with_rule(&self, rule: CountingRule) -> Self {
        Self {
            table: Arc::clone(&self.table),
            rule,
        }
    }

    /// The counting rule in use.
    pub fn rule(&self) -> CountingRule {
        self.rule
    }

    /// A new calendar: this one plus the notices of an override file in TOML
    /// (format: `core/data/README.md`). Its notices replace this calendar's
    /// arrangements day by day, and its `[coverage]` may extend the covered years.
    /// A bad file is an error naming the entry and the field; `self` is unchanged.
    pub fn with_overrides_toml(&self, text: &str) -> Result<Self, CalendarError> {
        self.with_source(data::parse(text, Format::Toml, "toml")?)
    }

    /// As [`WorkCalendar::with_overrides_toml`], from JSON of the same shape.
    pub fn with_overrides_json(&self, text: &str) -> Result<Self, CalendarError> {
        self.with_source(data::parse(text, Format::Json, "json")?)
    }

    /// As [`WorkCalendar::with_overrides_toml`], from a file: JSON when its name
    /// ends in `.json`, TOML otherwise.
    pub fn with_overrides_path(&self, path: impl AsRef<Path>) -> Result<Self, CalendarError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = crate::limits::read_bounded(
            path,
            &format!("calendar override file `{shown}`"),
            "MAX_OVERRIDES_BYTES",
            crate::limits::MAX_OVERRIDES_BYTES,
        )
        .map_err(|e| match e {
            crate::limits::ReadError::Limit(l) => CalendarError::Limit(l),
            crate::limits::ReadError::Io(e) => CalendarError::Io {
                path: shown.clone(),
                reason: e.to_string(),
            },
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let format = if is_json { Format::Json } else { Format::Toml };
        self.with_source(data::parse(&text, format, &shown)?)
    }

    fn with_source(&self, source: data::Source) -> Result<Self, CalendarError> {
        let mut sources = self.table.sources.clone();
        sources.push(source);
        let table = Table::build(sources)?;
        Ok(Self {
            table: Arc::new(table),
            rule: self.rule,
        })
    }

    /// Whether `date` is a working day.
    #[inline]
    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.table.is_workday(date)
    }

    /// The due date of "within `n` working days of `start`" under the calendar's
    /// rule: with [`CountingRule::Strict`], the `n`-th working day after `start`
    /// (start not counted; `n` = 0 gives `start`). Constant time.
    #[inline]
    pub fn add_workdays(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        match self.rule {
            CountingRule::Strict => self.table.add_strict(start, n),
            CountingRule::NextWorkdayIsDayZero => self.table.add_day_zero(start, n),
        }
    }

    /// Working days in `(from, to]`; negative when `to < from` (minus the working
    /// days in `(to, from]`). Constant time.
    #[inline]
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        self.table.between(from, to)
    }

    /// The first working day strictly after `date`.
    pub fn next_workday(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.table.next_workday(date)
    }

    /// `date` if it is a working day, else the next one.
    pub fn workday_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.table.is_workday(date)? {
            Ok(date)
        } else {
            self.table.next_workday(date)
        }
    }

    /// The due date of "within `n` working days of `at`": the China date of the
    /// moment (UTC+08:00), then [`WorkCalendar::add_workdays`].
    pub fn due_date(&self, at: DateTime<FixedOffset>, n: u32) -> Result<NaiveDate, CalendarError> {
        self.add_workdays(china_date(at), n)
    }

    /// 24:00 China time of the due day of "within `n` working days of `at`": the
    /// next day at 00:00+08:00.
    pub fn deadline(
        &self,
        at: DateTime<FixedOffset>,
        n: u32,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let due = self.due_date(at, n)?;
        let midnight = due.and_hms_opt(0, 0, 0).unwrap_or_default() + TimeDelta::days(1);
        Ok(DateTime::from_naive_utc_and_offset(
            midnight - TimeDelta::hours(8),
            CHINA_OFFSET,
        ))
    }

    /// The first and last covered days.
    pub fn covered(&self) -> (NaiveDate, NaiveDate) {
        (self.table.first, self.table.last)
    }

    /// What `date` is, and the document number of the notice that says so.
    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let (mark, workday) = self.table.mark(date)?;
        let name = || {
            self.table
                .names
                .get(mark.name as usize)
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        let notice = || {
            self.table
                .notices
                .get(mark.notice as usize)
                .map(|n| n.document.to_string())
        };
        let (kind, notice) = match mark.said {
            Said::Rest => (DayKind::Holiday { name: name() }, notice()),
            Said::Work => (DayKind::AdjustedWorkday { name: name() }, notice()),
            Said::Nothing if table::is_weekend(date) => (DayKind::Weekend, None),
            Said::Nothing => (DayKind::Workday, None),
        };
        Ok(DayInfo {
            date,
            kind,
            workday,
            notice,
        })
    }

    /// Every day of a month, for display.
    pub fn month(&self, year: i32, month: u32) -> Result<MonthView, CalendarError> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or(CalendarError::BadMonth { year, month })?;
        let days = first
            .iter_days()
            .take_while(|d| d.month() == month)
            .map(|d| self.day(d))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MonthView { year, month, days })
    }

    /// The notices the calendar holds, in the order they apply (later notices
    /// replace earlier ones day by day).
    pub fn notices(&self) -> Vec<NoticeInfo> {
        self.table
            .notices
            .iter()
            .map(|n| NoticeInfo {
                document: n.document.to_string(),
                title: n.title.as_deref().map(str::to_owned),
                issued: n.issued,
            })
            .collect()
    }
}

/// UTC+08:00, China time (no daylight saving).
// Evaluated at compile time: 8 hours is a valid offset, so this cannot fail at run time.
pub const CHINA_OFFSET: FixedOffset = FixedOffset::east_opt(8 * 3600).expect("valid offset");

/// The China date of a moment.
pub fn china_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&CHINA_OFFSET).date_naive()
}
