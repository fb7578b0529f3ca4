//! `govshare.Calendar`: Chinese statutory working days (SPEC §3).

use govshare::calendar::{CountingRule, DayInfo, MonthView, WorkCalendar};
use govshare::error::InputErrorKind;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::args::Arg;
use crate::convert::{self, from_date, from_moment, to_date, to_moment};
use crate::error;

/// A working-day calendar: Monday to Friday, minus the State Council's rest days,
/// plus its make-up working days. Dates outside the data raise `CalendarError`
/// (code `calendar.not_covered`), never a guess.
#[pyclass(frozen, module = "govshare", name = "Calendar")]
#[derive(Debug, Clone)]
pub struct Calendar {
    pub(crate) inner: WorkCalendar,
}

#[pymethods]
impl Calendar {
    /// The built-in State Council arrangements.
    #[staticmethod]
    fn china() -> Self {
        Self {
            inner: WorkCalendar::china(),
        }
    }

    /// This calendar counting with `rule`: `"strict"` (SPEC §3, the default) or
    /// `"next_workday_is_day_zero"`.
    fn with_rule(&self, py: Python<'_>, rule: &Bound<'_, PyAny>) -> PyResult<Self> {
        let rule: CountingRule = crate::convert::from_py(rule).map_err(|detail| {
            error::invalid(
                py,
                InputErrorKind::InvalidRule,
                format!("invalid counting rule: {detail}"),
                None,
            )
        })?;
        Ok(Self {
            inner: self.inner.with_rule(rule),
        })
    }

    /// Whether `day` is a working day.
    fn is_workday(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<bool> {
        let day = to_date(day, "day")?;
        self.inner.is_workday(day).map_err(|e| error::core(py, e))
    }

    /// The `n`-th working day after `start` (`start` itself not counted).
    fn add_workdays<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        n: Arg<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let start = to_date(start, "start")?;
        let n = n.get(py, "n")?;
        let day = self
            .inner
            .add_workdays(start, n)
            .map_err(|e| error::core(py, e))?;
        from_date(py, day)
    }

    /// Working days in `(start, end]`; negative when `end < start`.
    fn workdays_between(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<i64> {
        let start = to_date(start, "start")?;
        let end = to_date(end, "end")?;
        self.inner
            .workdays_between(start, end)
            .map_err(|e| error::core(py, e))
    }

    /// The first working day strictly after `day`.
    fn next_workday<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let day = to_date(day, "day")?;
        let next = self
            .inner
            .next_workday(day)
            .map_err(|e| error::core(py, e))?;
        from_date(py, next)
    }

    /// `day` if it is a working day, else the next one.
    fn workday_on_or_after<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let day = to_date(day, "day")?;
        let next = self
            .inner
            .workday_on_or_after(day)
            .map_err(|e| error::core(py, e))?;
        from_date(py, next)
    }

    /// The due date (China date) of "within `n` working days of `at`"; `at` is an
    /// aware `datetime`.
    fn due_date<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        n: Arg<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = to_moment(at, "at")?;
        let n = n.get(py, "n")?;
        let due = self.inner.due_date(at, n).map_err(|e| error::core(py, e))?;
        from_date(py, due)
    }

    /// 24:00 China time of the due day of "within `n` working days of `at`", as an
    /// aware `datetime` at UTC+08:00.
    fn deadline<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        n: Arg<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = to_moment(at, "at")?;
        let n = n.get(py, "n")?;
        let end = self.inner.deadline(at, n).map_err(|e| error::core(py, e))?;
        from_moment(py, end)
    }

    /// The first and last days the data covers.
    fn covered<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let (first, last) = self.inner.covered();
        PyTuple::new(py, [from_date(py, first)?, from_date(py, last)?])
    }

    /// The counting rule: `"strict"` or `"next_workday_is_day_zero"`.
    #[getter]
    fn rule(&self) -> String {
        convert::wire_name(&self.inner.rule())
    }

    /// This calendar plus the notices of an override file (JSON when its name
    /// ends in `.json`, TOML otherwise): a newly announced year or a local
    /// arrangement. `self` is unchanged.
    fn with_overrides(&self, py: Python<'_>, path: Arg<std::path::PathBuf>) -> PyResult<Self> {
        let path = path.get(py, "path")?;
        self.inner
            .with_overrides_path(path)
            .map(|inner| Self { inner })
            .map_err(|e| error::core(py, e))
    }

    /// As `with_overrides`, from TOML text.
    fn with_overrides_toml(&self, py: Python<'_>, text: Arg<String>) -> PyResult<Self> {
        let text = text.get(py, "text")?;
        self.inner
            .with_overrides_toml(&text)
            .map(|inner| Self { inner })
            .map_err(|e| error::core(py, e))
    }

    /// As `with_overrides`, from JSON text.
    fn with_overrides_json(&self, py: Python<'_>, text: Arg<String>) -> PyResult<Self> {
        let text = text.get(py, "text")?;
        self.inner
            .with_overrides_json(&text)
            .map(|inner| Self { inner })
            .map_err(|e| error::core(py, e))
    }

    /// What `day` is, and the notice that says so.
    fn day(&self, py: Python<'_>, day: &Bound<'_, PyAny>) -> PyResult<Day> {
        let day = to_date(day, "day")?;
        self.inner
            .day(day)
            .map(|inner| Day { inner })
            .map_err(|e| error::core(py, e))
    }

    /// Every day of a month, for display.
    fn month(&self, py: Python<'_>, year: Arg<i32>, month: Arg<u32>) -> PyResult<Month> {
        let (year, month) = (year.get(py, "year")?, month.get(py, "month")?);
        self.inner
            .month(year, month)
            .map(|inner| Month { inner })
            .map_err(|e| error::core(py, e))
    }

    /// The notices the calendar holds, in the order they apply, as dicts
    /// (`document`, `title`, `issued`).
    fn notices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner.notices())
    }

    fn __repr__(&self) -> String {
        let (first, last) = self.inner.covered();
        format!("<govshare.Calendar covering {first} to {last}>")
    }
}

/// One day of the calendar: its kind and the notice behind it.
#[pyclass(frozen, module = "govshare", name = "Day")]
#[derive(Debug, Clone)]
pub struct Day {
    inner: DayInfo,
}

impl Day {
    /// A field of the day's wire form (`kind`, `name`), where it has one.
    fn wire_field(&self, field: &str) -> Option<String> {
        match serde_json::to_value(&self.inner) {
            Ok(serde_json::Value::Object(map)) => {
                map.get(field).and_then(|v| v.as_str()).map(str::to_owned)
            }
            _ => None,
        }
    }
}

#[pymethods]
impl Day {
    /// The date.
    #[getter]
    fn date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_date(py, self.inner.date)
    }
    /// `"workday"`, `"weekend"`, `"holiday"` or `"adjusted_workday"`.
    #[getter]
    fn kind(&self) -> String {
        self.wire_field("kind").unwrap_or_default()
    }
    /// The holiday's name (`國慶節`) for a holiday or an adjusted working day.
    #[getter]
    fn name(&self) -> Option<String> {
        self.wire_field("name")
    }
    /// Whether it is a working day.
    #[getter]
    fn workday(&self) -> bool {
        self.inner.workday
    }
    /// The document number of the notice behind it, if any.
    #[getter]
    fn notice(&self) -> Option<&str> {
        self.inner.notice.as_deref()
    }
    /// The wire form: `date`, `kind`, `name` (where there is one), `workday`, `notice`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        let name = self
            .wire_field("name")
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        format!(
            "<govshare.Day {} {}{}>",
            self.inner.date,
            self.wire_field("kind").unwrap_or_default(),
            name
        )
    }
}

/// A month for display: every day with its kind and notice.
#[pyclass(frozen, module = "govshare", name = "Month")]
#[derive(Debug, Clone)]
pub struct Month {
    inner: MonthView,
}

#[pymethods]
impl Month {
    /// The year.
    #[getter]
    fn year(&self) -> i32 {
        self.inner.year
    }
    /// The month, 1 to 12.
    #[getter]
    fn month(&self) -> u32 {
        self.inner.month
    }
    /// Every day of the month, in order.
    #[getter]
    fn days(&self) -> Vec<Day> {
        self.inner
            .days
            .iter()
            .map(|d| Day { inner: d.clone() })
            .collect()
    }
    /// The number of working days in the month.
    #[getter]
    fn workdays(&self) -> usize {
        self.inner.workdays()
    }
    /// The wire form: `year`, `month`, `days` (each as `Day.to_dict()`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }
    fn __len__(&self) -> usize {
        self.inner.days.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "<govshare.Month {}-{:02}: {} working days>",
            self.inner.year,
            self.inner.month,
            self.inner.workdays()
        )
    }
}
