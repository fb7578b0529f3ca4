//! `Calendar`: Chinese statutory working days (SPEC §3).

use govshare::calendar::{CountingRule, WorkCalendar};
use govshare::error::InputErrorKind;
use napi::bindgen_prelude::Env;
use napi::{JsDate, Unknown};
use napi_derive::napi;

use crate::args::Arg;
use crate::dates::{self, DateInput};
use crate::error::{self, Result, guard};
use crate::wire;

/// What a working-day count argument must be.
const WORKDAYS: &str = "a whole number of working days from 0 to 4294967295";

/// A working-day calendar: Monday to Friday, minus the State Council's rest
/// days, plus its make-up working days (2004 through 2026 built in).
///
/// Dates in: a `Date` means the China date (UTC+08:00) of that instant; a
/// `'YYYY-MM-DD'` string means that date. Dates out: a `Date` at 00:00 UTC of
/// the date (`toISOString().slice(0, 10)` is the date). A date outside the
/// data throws an `Error` with `code === 'calendar.not_covered'`.
#[napi]
#[derive(Debug, Clone)]
pub struct Calendar {
    inner: WorkCalendar,
}

impl Calendar {
    /// The core calendar.
    pub fn inner(&self) -> &WorkCalendar {
        &self.inner
    }
}

/// The days a calendar covers.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Covered {
    /// First covered day, `YYYY-MM-DD`.
    pub first: String,
    /// Last covered day, `YYYY-MM-DD`.
    pub last: String,
}

fn rule_of(rule: &str) -> Result<CountingRule> {
    serde_json::from_value(serde_json::Value::String(rule.to_owned())).map_err(|_| {
        error::error(
            InputErrorKind::InvalidRule,
            format!("invalid counting rule: unknown rule `{rule}` (expected `strict` or `next_workday_is_day_zero`)"),
        )
    })
}

#[napi]
impl Calendar {
    /// The built-in State Council arrangements, 2004–2026.
    #[napi(factory)]
    pub fn china() -> Result<Self> {
        guard(|| {
            Ok(Self {
                inner: WorkCalendar::china(),
            })
        })
    }

    /// This calendar with another counting rule: `'strict'` (SPEC §3, the
    /// default) or `'next_workday_is_day_zero'`.
    #[napi(ts_args_type = "rule: 'strict' | 'next_workday_is_day_zero'")]
    pub fn with_rule(&self, rule: Arg<String>) -> Result<Self> {
        let rule = rule.get("rule")?;
        guard(|| {
            Ok(Self {
                inner: self.inner.with_rule(rule_of(&rule)?),
            })
        })
    }

    /// Whether the (China) date is a working day.
    #[napi]
    pub fn is_workday(&self, date: DateInput) -> Result<bool> {
        guard(|| {
            let d = dates::china_day(&date)?;
            self.inner.is_workday(d).map_err(error::core)
        })
    }

    /// The `n`-th working day after `date` (`date` itself not counted).
    /// `addWorkdays(new Date('2019-09-27'), 5)` is 2019-10-10.
    #[napi]
    pub fn add_workdays<'e>(
        &self,
        env: &'e Env,
        date: DateInput,
        #[napi(ts_arg_type = "number")] n: Arg<f64>,
    ) -> Result<JsDate<'e>> {
        let d = guard(|| {
            let d = dates::china_day(&date)?;
            self.inner
                .add_workdays(d, n.integer("n", WORKDAYS)?)
                .map_err(error::core)
        })?;
        dates::date_to_js(env, d)
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    #[napi]
    pub fn workdays_between(&self, from: DateInput, to: DateInput) -> Result<i64> {
        guard(|| {
            let (f, t) = (dates::china_day(&from)?, dates::china_day(&to)?);
            self.inner.workdays_between(f, t).map_err(error::core)
        })
    }

    /// The first working day strictly after `date`.
    #[napi]
    pub fn next_workday<'e>(&self, env: &'e Env, date: DateInput) -> Result<JsDate<'e>> {
        let d = guard(|| {
            let d = dates::china_day(&date)?;
            self.inner.next_workday(d).map_err(error::core)
        })?;
        dates::date_to_js(env, d)
    }

    /// The due date of "within `n` working days of `at`" (its China date).
    #[napi]
    pub fn due_date<'e>(
        &self,
        env: &'e Env,
        at: DateInput,
        #[napi(ts_arg_type = "number")] n: Arg<f64>,
    ) -> Result<JsDate<'e>> {
        let d = guard(|| {
            let t = dates::instant(&at)?;
            self.inner
                .due_date(t, n.integer("n", WORKDAYS)?)
                .map_err(error::core)
        })?;
        dates::date_to_js(env, d)
    }

    /// The instant a "within `n` working days of `at`" limit ends: 24:00 China
    /// time of the due day (e.g. `2019-10-10T16:00:00.000Z` for
    /// `deadline(new Date('2019-09-27T10:00:00+08:00'), 5)`).
    #[napi]
    pub fn deadline<'e>(
        &self,
        env: &'e Env,
        at: DateInput,
        #[napi(ts_arg_type = "number")] n: Arg<f64>,
    ) -> Result<JsDate<'e>> {
        let t = guard(|| {
            let t = dates::instant(&at)?;
            self.inner
                .deadline(t, n.integer("n", WORKDAYS)?)
                .map_err(error::core)
        })?;
        dates::instant_to_js(env, t)
    }

    /// The first and last covered days, as `'YYYY-MM-DD'` strings.
    #[napi]
    pub fn covered(&self) -> Result<Covered> {
        guard(|| {
            let (first, last) = self.inner.covered();
            Ok(Covered {
                first: first.to_string(),
                last: last.to_string(),
            })
        })
    }

    /// The counting rule: `'strict'` or `'next_workday_is_day_zero'`.
    #[napi(getter, ts_return_type = "'strict' | 'next_workday_is_day_zero'")]
    pub fn rule(&self) -> Result<String> {
        guard(|| match serde_json::to_value(self.inner.rule()) {
            Ok(serde_json::Value::String(s)) => Ok(s),
            _ => Err(error::error(error::PANIC, "counting rule is not a string")),
        })
    }

    /// This calendar plus a local arrangement or a newly announced year, given
    /// as TOML text (the format of the built-in data). Bad data throws with a
    /// `calendar.*` code naming the line.
    #[napi]
    pub fn with_overrides_toml(
        &self,
        #[napi(ts_arg_type = "string")] text: Arg<String>,
    ) -> Result<Self> {
        let text = text.get("text")?;
        guard(|| {
            let inner = self.inner.with_overrides_toml(&text).map_err(error::core)?;
            Ok(Self { inner })
        })
    }

    /// Like `withOverridesToml`, from JSON text.
    #[napi]
    pub fn with_overrides_json(
        &self,
        #[napi(ts_arg_type = "string")] text: Arg<String>,
    ) -> Result<Self> {
        let text = text.get("text")?;
        guard(|| {
            let inner = self.inner.with_overrides_json(&text).map_err(error::core)?;
            Ok(Self { inner })
        })
    }

    /// Like `withOverridesToml`, from a `.toml` or `.json` file.
    #[napi]
    pub fn with_overrides_file(
        &self,
        #[napi(ts_arg_type = "string")] path: Arg<String>,
    ) -> Result<Self> {
        let path = path.get("path")?;
        guard(|| {
            let inner = self.inner.with_overrides_path(&path).map_err(error::core)?;
            Ok(Self { inner })
        })
    }

    /// What a day is (`workday`, `weekend`, `holiday`, `adjusted_workday`), with
    /// the holiday's name and the notice that says so:
    /// `{ date: 'YYYY-MM-DD', kind, name?, workday, notice }`.
    #[napi(ts_return_type = "DayInfo")]
    pub fn day<'e>(&self, env: &'e Env, date: DateInput) -> Result<Unknown<'e>> {
        let info = guard(|| {
            let d = dates::china_day(&date)?;
            self.inner.day(d).map_err(error::core)
        })?;
        wire::to_js(env, &info)
    }

    /// Every day of a month (`month` 1 to 12), for display:
    /// `{ year, month, days: DayInfo[] }`.
    #[napi(ts_return_type = "MonthView")]
    pub fn month<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "number")] year: Arg<f64>,
        #[napi(ts_arg_type = "number")] month: Arg<f64>,
    ) -> Result<Unknown<'e>> {
        let year: i32 = year.integer("year", "a whole year number (within ±2^31)")?;
        let month: u32 = month.integer("month", "a whole number from 1 to 12")?;
        let view = guard(|| self.inner.month(year, month).map_err(error::core))?;
        wire::to_js(env, &view)
    }

    /// The State Council notices the calendar holds:
    /// `{ document, title, issued }[]`.
    #[napi(ts_return_type = "NoticeInfo[]")]
    pub fn notices<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        let notices = guard(|| Ok(self.inner.notices()))?;
        wire::to_js(env, &notices)
    }
}
