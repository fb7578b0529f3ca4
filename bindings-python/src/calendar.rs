//! `govshare.Calendar`: Chinese statutory working days (SPEC §3).

use govshare::calendar::{CountingRule, WorkCalendar};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{from_date, from_moment, to_date, to_moment};
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
            error::raise(
                py,
                error::Kind::Calendar,
                "calendar.invalid_rule",
                format!("invalid counting rule: {detail}"),
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
        n: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let start = to_date(start, "start")?;
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
        n: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = to_moment(at, "at")?;
        let due = self.inner.due_date(at, n).map_err(|e| error::core(py, e))?;
        from_date(py, due)
    }

    /// 24:00 China time of the due day of "within `n` working days of `at`", as an
    /// aware `datetime` at UTC+08:00.
    fn deadline<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        n: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = to_moment(at, "at")?;
        let end = self.inner.deadline(at, n).map_err(|e| error::core(py, e))?;
        from_moment(py, end)
    }

    /// The first and last days the data covers.
    fn covered<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let (first, last) = self.inner.covered();
        PyTuple::new(py, [from_date(py, first)?, from_date(py, last)?])
    }

    fn __repr__(&self) -> String {
        let (first, last) = self.inner.covered();
        format!("<govshare.Calendar covering {first} to {last}>")
    }
}
