//! `audit`: violations over an event log (SPEC §5).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use govshare::audit::{Auditor as CoreAuditor, Violation, audit as core_audit};
use govshare::error::InputErrorKind;
use govshare::policy::Engine as CoreEngine;
use govshare::workflow::Event;
use napi::ScopedTask;
use napi::Unknown;
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Either, Either3, Env};
use napi_derive::napi;

use crate::args::Arg;
use crate::dates::{self, DateInput};
use crate::engine::{self, Engine};
use crate::error::{self, JsErr, Result, guard};
use crate::registry::{Given, Registry};
use crate::wire;
use crate::workflow;

/// What an audit or a usage report runs with: an `Engine`, or a registry (a
/// `Registry`, an object or JSON text) under the built-in timeline.
pub(crate) type Target<'a> =
    Either3<ClassInstance<'a, Engine>, ClassInstance<'a, Registry>, Unknown<'a>>;

/// The engine an audit runs with (see [`Target`]).
pub(crate) fn engine_of(target: Target<'_>) -> Result<Arc<CoreEngine>> {
    let registry = match target {
        Either3::A(e) => return Ok(Arc::clone(e.inner())),
        Either3::B(r) => Given::of(Either::A(r))?,
        Either3::C(v) => Given::of(Either::B(v))?,
    };
    engine::build_from(registry, None).map(Arc::new)
}

fn run(
    engine: &CoreEngine,
    events: &[Event],
    as_of: DateTime<FixedOffset>,
) -> Result<Vec<Violation>> {
    guard(|| core_audit(engine.clone(), events, as_of).map_err(error::core))
}

/// Audits `events` as of `asOf` and returns every violation (category,
/// article, responsible department, severity, consequences, due date, the
/// events behind it, Chinese and English text). `target` is an `Engine` or a
/// registry (object or JSON text, with the built-in pack). An event the
/// ledger cannot apply throws, naming it.
#[napi(
    ts_args_type = "target: Engine | Registry | RegistryDoc | string, events: Event[], asOf: DateInput",
    ts_return_type = "Violation[]"
)]
pub fn audit<'e>(
    env: &'e Env,
    target: Target<'_>,
    events: Arg<Vec<Unknown<'_>>>,
    as_of: DateInput,
) -> Result<Unknown<'e>> {
    let engine = engine_of(target)?;
    let events = workflow::events_of(events.get("events")?)?;
    let as_of = dates::instant(&as_of)?;
    let violations = run(&engine, &events, as_of)?;
    wire::to_js(env, &violations)
}

/// `audit` off the event loop: the events are read now, audited on the thread
/// pool, and the promise resolves with the violations.
#[napi(
    ts_args_type = "target: Engine | Registry | RegistryDoc | string, events: Event[], asOf: DateInput",
    ts_return_type = "Promise<Violation[]>"
)]
pub fn audit_async(
    target: Target<'_>,
    events: Arg<Vec<Unknown<'_>>>,
    as_of: DateInput,
) -> Result<AsyncTask<AuditTask>> {
    let engine = engine_of(target)?;
    let events = workflow::events_of(events.get("events")?)?;
    let as_of = dates::instant(&as_of)?;
    Ok(AsyncTask::new(AuditTask {
        engine,
        events,
        as_of,
    }))
}

/// `auditAsync`.
#[derive(Debug)]
pub struct AuditTask {
    engine: Arc<CoreEngine>,
    events: Vec<Event>,
    as_of: DateTime<FixedOffset>,
}

impl<'t> ScopedTask<'t> for AuditTask {
    type Output = std::result::Result<Vec<Violation>, JsErr>;
    type JsValue = Unknown<'t>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(run(&self.engine, &self.events, self.as_of))
    }

    fn resolve(&mut self, env: &'t Env, output: Self::Output) -> napi::Result<Unknown<'t>> {
        output
            .and_then(|v| wire::to_js(env, &v))
            .map_err(|e| error::reject(*env, e))
    }
}

/// A streaming audit: push events one at a time (memory grows with what is
/// open, not with the log), then `finish()` for the violations.
#[napi]
#[derive(Debug)]
pub struct Auditor {
    inner: Option<CoreAuditor>,
}

#[napi]
impl Auditor {
    /// An auditor over `engine`'s pack and registry, as of `asOf`.
    #[napi(constructor, ts_args_type = "engine: Engine, asOf: DateInput")]
    pub fn new(engine: Arg<ClassInstance<'_, Engine>>, as_of: DateInput) -> Result<Self> {
        let engine = engine.get("engine")?;
        let as_of = dates::instant(&as_of)?;
        guard(|| {
            Ok(Self {
                inner: Some(CoreAuditor::new(engine.inner().as_ref().clone(), as_of)),
            })
        })
    }

    /// Reads one event; an event the ledger cannot apply throws, naming it.
    #[napi(ts_args_type = "event: Event")]
    pub fn push(&mut self, event: Unknown<'_>) -> Result<()> {
        let event = workflow::event_of(event, None)?;
        let auditor = self.inner.as_mut().ok_or_else(finished)?;
        guard(|| auditor.push(&event).map_err(error::core))
    }

    /// The duties whose due date is unknown so far (SPEC v2 §5: never a
    /// violation).
    #[napi(ts_return_type = "Array<Record<string, unknown>>")]
    pub fn undetermined<'e>(&mut self, env: &'e Env) -> Result<Unknown<'e>> {
        let auditor = self.inner.as_ref().ok_or_else(finished)?;
        let list = guard(|| Ok(auditor.undetermined()))?;
        wire::to_js(env, &list)
    }

    /// What the audit's ledger reported that is not a violation (SPEC v2 §5:
    /// `out_of_order`, `purpose_not_duty`, …).
    #[napi(ts_return_type = "Array<Record<string, unknown>>")]
    pub fn reported<'e>(&mut self, env: &'e Env) -> Result<Unknown<'e>> {
        let auditor = self.inner.as_ref().ok_or_else(finished)?;
        let list = auditor.reported().to_vec();
        wire::to_js(env, &list)
    }

    /// The violations found; the auditor cannot be used afterwards.
    #[napi(ts_return_type = "Violation[]")]
    pub fn finish<'e>(&mut self, env: &'e Env) -> Result<Unknown<'e>> {
        let auditor = self.inner.take().ok_or_else(finished)?;
        let violations = guard(|| Ok(auditor.finish()))?;
        wire::to_js(env, &violations)
    }
}

fn finished() -> JsErr {
    error::error(
        InputErrorKind::AuditorFinished,
        "this auditor has already finished",
    )
}
