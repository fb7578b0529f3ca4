//! `govshare.Ledger`, `govshare.audit` and `govshare.Violation` (SPEC §4, §5, §8).

use std::sync::Arc;

use govshare::audit::Violation as CoreViolation;
use govshare::workflow::Event;
use pyo3::prelude::*;

use crate::args::Arg;
use crate::calendar::Calendar;
use crate::convert::{self, from_date, to_moment, wire_name};
use crate::engine::{Engine, load_registry};
use crate::error::{self, Input};

/// The applications and obligations driven by an event log. `apply` either
/// applies an event or raises `WorkflowError` naming the event and the state it
/// met; a rejected event changes nothing.
#[pyclass(module = "govshare", name = "Ledger")]
#[derive(Debug)]
pub struct Ledger {
    inner: govshare::workflow::Ledger,
}

fn events(list: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    convert::each(list, "events", |item, i| {
        convert::input(item, Input::Event, Some(i))
    })
}

#[pymethods]
impl Ledger {
    /// A ledger over `engine`'s pack and registry; due dates are counted with
    /// `calendar` (the built-in China calendar when `None`).
    #[new]
    #[pyo3(signature = (engine, calendar = None))]
    fn new(
        py: Python<'_>,
        engine: Arg<PyRef<'_, Engine>>,
        calendar: Option<Arg<PyRef<'_, Calendar>>>,
    ) -> PyResult<Self> {
        let engine = engine.get(py, "engine")?;
        let calendar = calendar.map(|c| c.get(py, "calendar")).transpose()?;
        let mut inner = govshare::workflow::Ledger::new((*engine.inner).clone());
        if let Some(cal) = calendar {
            inner = inner.with_calendar(&cal.inner);
        }
        Ok(Self { inner })
    }

    /// Applies one SPEC §8 event (a dict) and returns what it changed, as a dict
    /// (`event`, `kind`, `application`, `grant`, `opened`, `closed`,
    /// `irregularities`).
    fn apply<'py>(&mut self, event: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = event.py();
        let event: Event = convert::input(event, Input::Event, None)?;
        let applied = self.inner.apply(&event).map_err(|e| error::to_py(py, &e))?;
        convert::to_py(py, &applied)
    }

    /// Every application and obligation as of `as_of` (an aware `datetime` or an
    /// RFC 3339 string), as a dict (`as_of`, `applications`, `obligations`).
    fn state<'py>(&self, as_of: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = as_of.py();
        let as_of = to_moment(as_of, "as_of")?;
        convert::to_py(py, &self.inner.state(as_of))
    }

    /// Art. 20: while `resource`'s data (or `subject`'s record in it) is being
    /// verified, must a person who has shown valid proof (`proof_valid`) be served
    /// as usual at `at`? A dict with `must_serve`, `disputed`, `reports`,
    /// `citations`, `zh`, `en`, ….
    #[pyo3(signature = (resource, proof_valid, at, subject = None))]
    fn must_serve<'py>(
        &self,
        resource: Arg<String>,
        proof_valid: Arg<bool>,
        at: &Bound<'py, PyAny>,
        subject: Option<Arg<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = at.py();
        let resource = resource.get(py, "resource")?;
        let proof_valid = proof_valid.get(py, "proof_valid")?;
        let subject = subject.map(|s| s.get(py, "subject")).transpose()?;
        let at = to_moment(at, "at")?;
        let answer = self
            .inner
            .must_serve_subject(&resource, subject.as_deref(), proof_valid, at);
        convert::to_py(py, &answer)
    }

    /// The registry as it stood at `at` (SPEC v2 §4: the registry given to the
    /// ledger with every registry change up to `at`), as a SPEC §8 registry dict.
    fn registry_at<'py>(&self, at: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = at.py();
        let at = to_moment(at, "at")?;
        let registry = self
            .inner
            .registry_at(at)
            .map_err(|e| error::to_py(py, &e))?;
        convert::to_py(py, registry.doc())
    }

    /// An engine over the registry plus the grants approvals have created so far.
    #[getter]
    fn engine(&self) -> Engine {
        Engine {
            inner: Arc::new(self.inner.engine()),
        }
    }

    /// How many log positions have been counted (applied or rejected).
    #[getter]
    fn position(&self) -> u64 {
        self.inner.position()
    }

    fn __repr__(&self) -> String {
        format!("<govshare.Ledger at position {}>", self.inner.position())
    }
}

/// An `Engine`'s engine, or one over a registry with the built-in pack; `what`
/// names the caller in the error for `None` (`audit`, `the usage report`).
pub(crate) fn engine_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<govshare::policy::Engine> {
    if let Ok(e) = obj.cast::<Engine>() {
        return Ok((*e.get().inner).clone());
    }
    if obj.is_none() {
        return Err(error::argument(
            obj.py(),
            "registry_or_engine",
            &format!("{what} needs an Engine or a registry, not None"),
            None,
        ));
    }
    let registry = load_registry(obj, "registry_or_engine")?;
    govshare::policy::Engine::builtin_timeline(registry).map_err(|e| error::to_py(obj.py(), &e))
}

/// Audits an event log (an iterable of SPEC §8 event dicts) as of `as_of`: every
/// violation with its category, article, responsible department, severity,
/// consequences, due date and events. `registry_or_engine` is an `Engine`, or a
/// registry (dict, JSON string or path) used with the built-in timeline of packs. The events
/// are read first; the audit itself runs without holding the GIL.
#[pyfunction]
#[pyo3(signature = (registry_or_engine, events, as_of))]
pub fn audit(
    py: Python<'_>,
    registry_or_engine: &Bound<'_, PyAny>,
    events: &Bound<'_, PyAny>,
    as_of: &Bound<'_, PyAny>,
) -> PyResult<Vec<Violation>> {
    let engine = engine_of(registry_or_engine, "audit")?;
    let as_of = to_moment(as_of, "as_of")?;
    let events = self::events(events)?;
    let found = py.detach(move || govshare::audit::audit(engine, &events, as_of));
    found
        .map(|vs| vs.into_iter().map(|inner| Violation { inner }).collect())
        .map_err(|e| error::to_py(py, &e))
}

/// A streaming audit: feed events one at a time (`push`), then `finish()`. Memory
/// grows with what is open, not with the length of the log.
#[pyclass(module = "govshare", name = "Auditor")]
#[derive(Debug)]
pub struct Auditor {
    inner: Option<govshare::audit::Auditor>,
}

impl Auditor {
    fn live(&mut self, py: Python<'_>) -> PyResult<&mut govshare::audit::Auditor> {
        self.inner
            .as_mut()
            .ok_or_else(|| error::auditor_finished(py))
    }
}

#[pymethods]
impl Auditor {
    /// An audit as of `as_of` over `registry_or_engine` (an `Engine`, or a
    /// registry used with the built-in pack).
    #[new]
    fn new(registry_or_engine: &Bound<'_, PyAny>, as_of: &Bound<'_, PyAny>) -> PyResult<Self> {
        let engine = engine_of(registry_or_engine, "audit")?;
        let as_of = to_moment(as_of, "as_of")?;
        Ok(Self {
            inner: Some(govshare::audit::Auditor::new(engine, as_of)),
        })
    }

    /// Feeds one event (a SPEC §8 dict). An event the audit's ledger cannot apply
    /// raises `WorkflowError` naming it; the audit can go on without it.
    fn push(&mut self, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = event.py();
        self.live(py)?;
        let event: Event = convert::input(event, Input::Event, None)?;
        self.live(py)?
            .push(&event)
            .map_err(|e| error::to_py(py, &e))
    }

    /// The duties whose due date is unknown so far (SPEC v2 §5: never a
    /// violation), as SPEC §8 obligation dicts.
    fn undetermined<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = self.live(py)?.undetermined();
        convert::to_py(py, &list)
    }

    /// What the audit's ledger reported that is not a violation (SPEC v2 §5:
    /// `out_of_order`, `purpose_not_duty`, …), as dicts.
    fn reported<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = self.live(py)?.reported().to_vec();
        convert::to_py(py, &list)
    }

    /// Ends the audit and returns the violations, ordered by when they happened.
    fn finish(&mut self, py: Python<'_>) -> PyResult<Vec<Violation>> {
        let auditor = self
            .inner
            .take()
            .ok_or_else(|| error::auditor_finished(py))?;
        let found = py.detach(move || auditor.finish());
        Ok(found.into_iter().map(|inner| Violation { inner }).collect())
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            Some(a) => format!("<govshare.Auditor as of {}>", a.as_of().to_rfc3339()),
            None => "<govshare.Auditor finished>".to_owned(),
        }
    }
}

/// One violation (SPEC §8): who broke which rule, how badly, and what follows.
#[pyclass(frozen, module = "govshare", name = "Violation")]
#[derive(Debug, Clone)]
pub struct Violation {
    inner: CoreViolation,
}

#[pymethods]
impl Violation {
    /// The stable category, e.g. `reply_overdue`.
    #[getter]
    fn category(&self) -> String {
        wire_name(&self.inner.category)
    }
    /// The article: `"30(1)"` … `"30(5)"`, `"31"`, `"28"`.
    #[getter]
    fn article(&self) -> &str {
        &self.inner.article
    }
    /// The responsible department.
    #[getter]
    fn department(&self) -> &str {
        &self.inner.department
    }
    /// `"ordinary"` or `"serious"`.
    #[getter]
    fn severity(&self) -> String {
        wire_name(&self.inner.severity)
    }
    /// What follows, as stable codes (`urge_correction`, …).
    #[getter]
    fn consequences(&self) -> Vec<String> {
        self.inner.consequences.iter().map(wire_name).collect()
    }
    /// The due date, where there was one.
    #[getter]
    fn due<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.due.map(|d| from_date(py, d)).transpose()
    }
    /// The ids of the events behind it.
    #[getter]
    fn events(&self) -> Vec<String> {
        self.inner.events.clone()
    }
    /// Chinese description.
    #[getter]
    fn zh(&self) -> &str {
        &self.inner.zh
    }
    /// English description.
    #[getter]
    fn en(&self) -> &str {
        &self.inner.en
    }
    /// Every article behind it, the sanctioning article first (e.g. `["30(5)", "17"]`).
    #[getter]
    fn basis(&self) -> Vec<String> {
        self.inner.basis.clone()
    }
    /// The China date it happened.
    #[getter]
    fn occurred<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_date(py, self.inner.occurred)
    }
    /// The resource concerned, if any.
    #[getter]
    fn resource(&self) -> Option<&str> {
        self.inner.resource.as_deref()
    }
    /// The application concerned, if any.
    #[getter]
    fn application(&self) -> Option<&str> {
        self.inner.application.as_deref()
    }
    /// Working days late, for a missed due date.
    #[getter]
    fn late_workdays(&self) -> Option<i64> {
        self.inner.late_workdays
    }
    /// Why it is serious: `lateness`, `repeat`, `state_secret` (SPEC v2 §5).
    #[getter]
    fn serious_because(&self) -> Vec<String> {
        self.inner.serious_because.clone()
    }
    /// The pack judging it (SPEC v2 §8).
    #[getter]
    fn pack(&self) -> &str {
        &self.inner.pack
    }
    /// Whether the judging pack had lapsed at the audit's moment.
    #[getter]
    fn pack_lapsed(&self) -> bool {
        self.inner.pack_lapsed
    }
    /// Whether it rests on a reading of the pack where the text is silent.
    #[getter]
    fn reading(&self) -> bool {
        self.inner.reading
    }
    /// Who urges correction (a role, e.g. `big_data_center`), if anyone.
    #[getter]
    fn urged_by(&self) -> Option<String> {
        self.inner.urged_by.as_ref().map(wire_name)
    }
    /// For a usage: the codes of the failing checks behind it.
    #[getter]
    fn checks(&self) -> Vec<String> {
        self.inner.checks.clone()
    }
    /// The SPEC §8 violation JSON, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Violation(category={:?}, article={:?}, department={:?}, severity={:?})",
            wire_name(&self.inner.category),
            self.inner.article,
            self.inner.department,
            wire_name(&self.inner.severity)
        )
    }
}
