//! `Ledger`: applications and obligations over the event log (SPEC §4).

use govshare::workflow::{Event, Ledger as CoreLedger};
use napi::Unknown;
use napi::bindgen_prelude::{ClassInstance, Env};
use napi_derive::napi;

use crate::args::Arg;
use crate::calendar::Calendar;
use govshare::limits::Input;

use crate::dates::{self, DateInput};
use crate::engine::Engine;
use crate::error::{self, Result, guard};
use crate::wire;

/// Reads one event (on the JS thread); `index` names it in errors.
pub fn event_of(v: Unknown<'_>, index: Option<usize>) -> Result<Event> {
    let what = index.map_or_else(|| "event".to_owned(), |i| format!("event {i}"));
    wire::from_js(v, &what, Input::Event)
}

/// Reads a list of events (on the JS thread).
pub fn events_of(events: Vec<Unknown<'_>>) -> Result<Vec<Event>> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, e)| event_of(e, Some(i)))
        .collect()
}

/// A strict ledger: applies SPEC §8 events one at a time. An event that does
/// not fit the state it meets throws (`workflow.*`, naming the event, the rule
/// and the state) and changes nothing.
#[napi]
#[derive(Debug)]
pub struct Ledger {
    inner: CoreLedger,
}

#[napi]
impl Ledger {
    /// A ledger over `engine`'s pack and registry; due dates are counted with
    /// `calendar` (default: the built-in China calendar) under the pack's
    /// counting rule.
    #[napi(constructor, ts_args_type = "engine: Engine, calendar?: Calendar")]
    pub fn new(
        engine: Arg<ClassInstance<'_, Engine>>,
        calendar: Arg<Option<ClassInstance<'_, Calendar>>>,
    ) -> Result<Self> {
        let (engine, calendar) = (engine.get("engine")?, calendar.get("calendar")?);
        guard(|| {
            let mut inner = CoreLedger::new(engine.inner().as_ref().clone());
            if let Some(c) = calendar {
                inner = inner.with_calendar(c.inner());
            }
            Ok(Self { inner })
        })
    }

    /// Applies one event (`at` may be a `Date`); returns what it did
    /// (`Applied`: the event id, the application or obligations it touched).
    #[napi(
        ts_args_type = "event: Event",
        ts_return_type = "Record<string, unknown>"
    )]
    pub fn apply<'e>(&mut self, env: &'e Env, event: Unknown<'_>) -> Result<Unknown<'e>> {
        let event = event_of(event, None)?;
        let applied = guard(|| self.inner.apply(&event).map_err(error::core))?;
        wire::to_js(env, &applied)
    }

    /// Applies events in order; stops at the first rejected one (the events
    /// before it stay applied) and throws naming its index.
    #[napi(
        ts_args_type = "events: Event[]",
        ts_return_type = "Record<string, unknown>[]"
    )]
    pub fn apply_all<'e>(
        &mut self,
        env: &'e Env,
        events: Arg<Vec<Unknown<'_>>>,
    ) -> Result<Unknown<'e>> {
        let events = events_of(events.get("events")?)?;
        let applied = guard(|| {
            events
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    self.inner
                        .apply(e)
                        .map_err(|err| error::prefixed(error::core(err), &format!("event {i}")))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        wire::to_js(env, &applied)
    }

    /// Every application and obligation as of `asOf` (a `Date` or string):
    /// `{ as_of, applications: [...], obligations: [...] }`, with due dates and
    /// lateness in working days.
    #[napi(ts_return_type = "LedgerState")]
    pub fn state<'e>(&self, env: &'e Env, as_of: DateInput) -> Result<Unknown<'e>> {
        let as_of = dates::instant(&as_of)?;
        let state = guard(|| Ok(self.inner.state(as_of)))?;
        wire::to_js(env, &state)
    }

    /// Art. 20: while `resource`'s data (or `subject`'s record in it) is being
    /// verified, must a person who has shown valid proof (`proofValid`) be served
    /// as usual?
    #[napi(
        ts_args_type = "resource: string, proofValid: boolean, at: DateInput, subject?: string",
        ts_return_type = "Record<string, unknown>"
    )]
    pub fn must_serve<'e>(
        &self,
        env: &'e Env,
        resource: Arg<String>,
        proof_valid: Arg<bool>,
        at: DateInput,
        subject: Option<Arg<String>>,
    ) -> Result<Unknown<'e>> {
        let (resource, proof_valid) = (resource.get("resource")?, proof_valid.get("proofValid")?);
        let subject = subject.map(|s| s.get("subject")).transpose()?;
        let at = dates::instant(&at)?;
        let answer = guard(|| {
            Ok(self
                .inner
                .must_serve_subject(&resource, subject.as_deref(), proof_valid, at))
        })?;
        wire::to_js(env, &answer)
    }

    /// The registry as it stood at `at` (SPEC v2 §4: the registry given to the
    /// ledger with every registry change up to `at`), as a SPEC §8 registry object.
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn registry_at<'e>(&self, env: &'e Env, at: DateInput) -> Result<Unknown<'e>> {
        let at = dates::instant(&at)?;
        let registry = guard(|| self.inner.registry_at(at).map_err(error::core))?;
        wire::to_js(env, registry.doc())
    }

    /// An engine over the registry plus the grants approvals created so far
    /// (a decision after an approval is `granted`).
    #[napi]
    pub fn engine(&self) -> Result<Engine> {
        guard(|| Ok(Engine::from_core(self.inner.engine())))
    }

    /// Hands back and forgets finished applications and fulfilled obligations
    /// (`{ applications, obligations }`), to keep a long-running ledger small.
    #[napi(ts_return_type = "LedgerState")]
    pub fn drain<'e>(&mut self, env: &'e Env) -> Result<Unknown<'e>> {
        let drained = guard(|| Ok(self.inner.drain()))?;
        wire::to_js(env, &drained)
    }

    /// How many log positions were counted (events without an `id` get their
    /// 1-based position as id).
    #[napi(getter)]
    pub fn position(&self) -> i64 {
        i64::try_from(self.inner.position()).unwrap_or(i64::MAX)
    }
}
