//! `Engine`: access decisions over a registry and a policy pack (SPEC §2, §6).

use std::sync::Arc;

use govshare::limits::Input;
use govshare::policy::{
    AccessRequest, CacheSettings as CoreCacheSettings, DecideOptions, Decision,
    Engine as CoreEngine, Question, QuestionAnswer,
};
use govshare::registry::RegistrySource;
use napi::ScopedTask;
use napi::bindgen_prelude::FromNapiValue;
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Either, Env, ObjectFinalize};
use napi::{JsValue, Unknown, ValueType};
use napi_derive::napi;

use crate::args::Arg;
use crate::dates::{self, DateInput};
use crate::error::{self, JsErr, Result, guard};
use crate::registry::{Given, Registry};
use crate::templates::Templates;
use crate::wire;

/// The packs an engine is built with: one name or folder, a list of them (a
/// timeline), or none (the built-in timeline).
type PackArg = Arg<Option<Either<String, Vec<String>>>>;

fn pack_names(pack: PackArg) -> Result<Option<Vec<String>>> {
    Ok(pack.get("pack")?.map(|p| match p {
        Either::A(one) => vec![one],
        Either::B(many) => many,
    }))
}

fn build(registry: Given, packs: Option<&[String]>) -> Result<CoreEngine> {
    let registry = registry.load()?;
    guard(|| CoreEngine::with_pack_names(packs, registry).map_err(error::core))
}

/// The decision engine: a policy pack (the built-in Binzhou pack unless a
/// directory is given) over a registry snapshot. Immutable and cheap to share;
/// the async methods run on the libuv thread pool.
#[napi(custom_finalize)]
#[derive(Debug)]
pub struct Engine {
    inner: Arc<CoreEngine>,
    /// Decisions as JavaScript objects, each built once.
    templates: Templates,
}

impl ObjectFinalize for Engine {
    fn finalize(self, env: Env) -> napi::Result<()> {
        self.templates.release(&env);
        Ok(())
    }
}

impl Engine {
    /// The core engine.
    pub fn inner(&self) -> &Arc<CoreEngine> {
        &self.inner
    }

    /// Wraps a core engine.
    pub fn from_core(inner: CoreEngine) -> Self {
        Self {
            inner: Arc::new(inner),
            templates: Templates::default(),
        }
    }
}

/// An engine over a registry (a `Registry`, an object or JSON text, already
/// read) and the packs named (default: the built-in timeline).
pub fn build_from(registry: Given, packs: Option<&[String]>) -> Result<CoreEngine> {
    build(registry, packs)
}

/// Reads the requests (on the JS thread).
fn requests_of(requests: Vec<Unknown<'_>>) -> Result<Vec<AccessRequest>> {
    requests
        .into_iter()
        .enumerate()
        .map(|(i, r)| wire::from_js(r, &format!("request {i}"), Input::Request))
        .collect()
}

/// Options of `decide`, `decideMany` and the Art. 13 / Art. 22 questions.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Evaluate a moment outside the pack's validity (Art. 33) instead of
    /// throwing `policy.not_in_force`; the answer then says `in_force: false`.
    pub evaluate_out_of_force: Option<bool>,
    /// Art. 13 only: the purpose asked about (default: any of the department's duties).
    pub purpose: Option<String>,
    /// Art. 13 only: the fields asked about (default: the whole item).
    pub fields: Option<Vec<String>>,
}

/// The sizes of an engine's caches (issue 14), for `Engine.withCacheSettings`:
/// an absent size is the default (`pairs` 4096, `decisions` 65536); `0` turns
/// that cache off, and both `0` is plain Cedar evaluation of the whole pack.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct CacheSettings {
    /// The most (department, resource) pairs kept specialised: the pack's
    /// policies partially evaluated on the pair's entities.
    pub pairs: Option<f64>,
    /// The most decisions kept, each valid over the interval of moments in
    /// which nothing time-dependent changes.
    pub decisions: Option<f64>,
}

/// Cache sizes or fill levels, as `Engine.cacheSettings()` and
/// `Engine.cacheLen()` give them.
#[napi(object)]
#[derive(Debug, Clone, Copy)]
pub struct CacheSizes {
    /// Specialised (department, resource) pairs.
    pub pairs: i64,
    /// Cached decisions.
    pub decisions: i64,
}

impl CacheSizes {
    fn of(pairs: usize, decisions: usize) -> Self {
        Self {
            pairs: i64::try_from(pairs).unwrap_or(i64::MAX),
            decisions: i64::try_from(decisions).unwrap_or(i64::MAX),
        }
    }
}

/// The `settings` argument: absent, `null` or an object (napi would read the
/// properties of a number or a string as absent).
fn cache_settings_of(settings: Option<Unknown<'_>>) -> Result<CacheSettings> {
    let Some(v) = settings else {
        return Ok(CacheSettings::default());
    };
    let invalid = |detail: String| {
        error::error(
            error::INVALID_ARGUMENT,
            format!("argument `settings`: {detail}"),
        )
    };
    match v.get_type().map_err(|e| error::napi(&e))? {
        ValueType::Undefined | ValueType::Null => Ok(CacheSettings::default()),
        ValueType::Object if !v.is_array().map_err(|e| error::napi(&e))? => {
            let env = v.value().env;
            CacheSettings::from_unknown(v).map_err(|e| {
                let mut err = invalid(e.reason);
                if let Some(cause) = error::take_exception(env) {
                    err.set_cause(cause);
                }
                err
            })
        }
        other => Err(invalid(format!(
            "expected an object {{ pairs?, decisions? }}, got {other}"
        ))),
    }
}

fn cache_size(value: Option<f64>, name: &str, default: usize) -> Result<usize> {
    value.map_or(Ok(default), |n| {
        Arg::of(n).integer(name, "a whole number from 0 (0 turns the cache off)")
    })
}

fn options_of(options: Option<&Options>) -> DecideOptions {
    DecideOptions {
        evaluate_out_of_force: options
            .and_then(|o| o.evaluate_out_of_force)
            .unwrap_or(false),
    }
}

fn decide_all(
    engine: &CoreEngine,
    requests: &[AccessRequest],
    options: DecideOptions,
) -> Result<Vec<Decision>> {
    guard(|| {
        // On all cores (rayon); the first error in request order is thrown.
        engine
            .decide_many_with(requests, options)
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| error::prefixed(error::core(e), &format!("request {i}"))))
            .collect()
    })
}

#[napi]
impl Engine {
    /// An engine over `registry` (a `Registry`, a SPEC §8 registry object or its
    /// JSON text) and `pack`: a built-in pack name (`binzhou`, `national-2025`) or a pack
    /// directory, forced for every moment, or an array of them (a timeline);
    /// by default the built-in timeline, each request judged under the pack in
    /// force at its moment (SPEC v2 §7). A malformed registry throws with
    /// `code` `registry.*`.
    #[napi(
        constructor,
        ts_args_type = "registry: Registry | RegistryDoc | string, pack?: string | string[]"
    )]
    pub fn new(
        registry: Either<ClassInstance<'_, Registry>, Unknown<'_>>,
        pack: PackArg,
    ) -> Result<Self> {
        let pack = pack_names(pack)?;
        let registry = Given::of(registry)?;
        let inner = build(registry, pack.as_deref())?;
        Ok(Self::from_core(inner))
    }

    /// An engine over the registry file at `path` (JSON): the same as
    /// `new Engine(Registry.fromFile(path), pack)`.
    #[napi(factory, ts_args_type = "path: string, pack?: string | string[]")]
    pub fn from_file(path: Arg<String>, pack: PackArg) -> Result<Self> {
        let (path, pack) = (path.get("path")?, pack_names(pack)?);
        let inner = build(
            Given::Source(RegistrySource::Path(path.into())),
            pack.as_deref(),
        )?;
        Ok(Self::from_core(inner))
    }

    /// Like `new Engine(registry, pack)`, parsing, checking and indexing the
    /// registry off the event loop.
    #[napi(
        ts_args_type = "registry: Registry | RegistryDoc | string, pack?: string | string[]",
        ts_return_type = "Promise<Engine>"
    )]
    pub fn load_async(
        registry: Either<ClassInstance<'_, Registry>, Unknown<'_>>,
        pack: PackArg,
    ) -> Result<AsyncTask<LoadTask>> {
        let pack = pack_names(pack)?;
        let registry = Given::of(registry)?;
        Ok(AsyncTask::new(LoadTask {
            source: Some(registry),
            pack,
        }))
    }

    /// Like `Engine.fromFile(path, pack)`, off the event loop.
    #[napi(
        ts_args_type = "path: string, pack?: string | string[]",
        ts_return_type = "Promise<Engine>"
    )]
    pub fn from_file_async(path: Arg<String>, pack: PackArg) -> Result<AsyncTask<LoadTask>> {
        let (path, pack) = (path.get("path")?, pack_names(pack)?);
        Ok(AsyncTask::new(LoadTask {
            source: Some(Given::Source(RegistrySource::Path(path.into()))),
            pack,
        }))
    }

    /// Decides one SPEC §8 access request (`at` may be a `Date`). A moment
    /// outside the pack's validity throws `policy.not_in_force` unless
    /// `options.evaluateOutOfForce`; an unknown department or resource throws
    /// `policy.unknown_department` / `policy.unknown_resource`.
    #[napi(
        ts_args_type = "request: AccessRequest, options?: Options",
        ts_return_type = "Decision"
    )]
    pub fn decide<'e>(
        &self,
        env: &'e Env,
        request: Unknown<'_>,
        options: Arg<Option<Options>>,
    ) -> Result<Unknown<'e>> {
        let options = options_of(options.get("options")?.as_ref());
        let request: AccessRequest = wire::from_js(request, "request", Input::Request)?;
        let decision = guard(|| {
            self.inner
                .decide_shared(&request, options)
                .map_err(error::core)
        })?;
        self.templates.to_js(env, &decision)
    }

    /// Art. 13: may `department` require a person or company to submit
    /// `resource`? No (`allowed: false`) when the item is obtainable through the
    /// platform (directly, under a grant, or by applying) for `options.purpose`
    /// (default: any of its duties) and `options.fields` (default: the whole
    /// item). Returns `{ allowed, citations, reasons, in_force, pack }`.
    #[napi(
        ts_args_type = "department: string, resource: string, at: DateInput, options?: Options",
        ts_return_type = "Answer"
    )]
    pub fn may_require_submission<'e>(
        &self,
        env: &'e Env,
        department: Arg<String>,
        resource: Arg<String>,
        at: DateInput,
        options: Arg<Option<Options>>,
    ) -> Result<Unknown<'e>> {
        let (department, resource) = (department.get("department")?, resource.get("resource")?);
        let at = dates::instant(&at)?;
        let given = options.get("options")?;
        let question = Question::MayRequireSubmission {
            department,
            resource,
            at,
            purpose: given.as_ref().and_then(|o| o.purpose.clone()),
            fields: given.as_ref().and_then(|o| o.fields.clone()),
        };
        let answer = guard(|| {
            self.inner
                .answer_with(&question, options_of(given.as_ref()))
                .map_err(error::core)
        })?;
        wire::to_js(env, &answer)
    }

    /// Answers a SPEC v2 §8 question line (`question`: `may_require_submission`,
    /// `may_publish_open_data` or `must_serve`): `{ allowed | must_serve,
    /// citations, reasons, in_force, pack }`.
    #[napi(
        ts_args_type = "question: Question, options?: Options",
        ts_return_type = "Answer | ServeAnswer"
    )]
    pub fn answer<'e>(
        &self,
        env: &'e Env,
        question: Unknown<'_>,
        options: Arg<Option<Options>>,
    ) -> Result<Unknown<'e>> {
        let options = options_of(options.get("options")?.as_ref());
        let question: Question = wire::from_js(question, "question", Input::Request)?;
        let answer: QuestionAnswer = guard(|| {
            self.inner
                .answer_with(&question, options)
                .map_err(error::core)
        })?;
        wire::to_js(env, &answer)
    }

    /// Art. 22: may `department` publish `resource` on the public data open
    /// platform? Returns `{ allowed, citations, reasons, in_force }`.
    #[napi(
        ts_args_type = "department: string, resource: string, at: DateInput, options?: Options",
        ts_return_type = "Answer"
    )]
    pub fn may_publish_open_data<'e>(
        &self,
        env: &'e Env,
        department: Arg<String>,
        resource: Arg<String>,
        at: DateInput,
        options: Arg<Option<Options>>,
    ) -> Result<Unknown<'e>> {
        let (department, resource) = (department.get("department")?, resource.get("resource")?);
        let at = dates::instant(&at)?;
        let options = options_of(options.get("options")?.as_ref());
        let answer = guard(|| {
            self.inner
                .may_publish_open_data_with(&department, &resource, at, options)
                .map_err(error::core)
        })?;
        wire::to_js(env, &answer)
    }

    /// Catalog validation (SPEC §6): the rules a well-formed registry may still
    /// break, each finding with its article, severity (`error` | `warning`),
    /// the kind and id it concerns, a stable code and Chinese and English text.
    /// An empty array means no findings.
    #[napi(ts_return_type = "Finding[]")]
    pub fn validate<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        let findings = guard(|| Ok(self.inner.validate()))?;
        wire::to_js(env, &findings)
    }

    /// The registry snapshot, as a SPEC §8 object.
    #[napi(ts_return_type = "RegistryDoc")]
    pub fn registry<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        wire::to_js(env, self.inner.registry().doc())
    }

    /// The pack's manifest: name, title, validity, the limits it sets.
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn manifest<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        wire::to_js(env, self.inner.pack().manifest())
    }

    /// The same engine with other cache sizes and empty caches (the answers are
    /// the same with any sizes). `{ pairs: 0, decisions: 0 }` is Rust's
    /// `CacheSettings::OFF`; an absent size is the default. A size that is not
    /// a whole number from 0 throws `input.invalid_argument`.
    #[napi(ts_args_type = "settings?: CacheSettings")]
    pub fn with_cache_settings(&self, settings: Option<Unknown<'_>>) -> Result<Self> {
        let given = cache_settings_of(settings)?;
        let default = CoreCacheSettings::DEFAULT;
        let settings = CoreCacheSettings {
            pairs: cache_size(given.pairs, "settings.pairs", default.pairs)?,
            decisions: cache_size(given.decisions, "settings.decisions", default.decisions)?,
        };
        Ok(Self::from_core(self.inner.with_cache_settings(settings)))
    }

    /// The cache sizes in use.
    #[napi]
    pub fn cache_settings(&self) -> CacheSizes {
        let s = self.inner.cache_settings();
        CacheSizes::of(s.pairs, s.decisions)
    }

    /// How many pairs are specialised and how many decisions are cached now
    /// (shared by every call on this engine, and by its async tasks).
    #[napi]
    pub fn cache_len(&self) -> CacheSizes {
        let (pairs, decisions) = self.inner.cache_len();
        CacheSizes::of(pairs, decisions)
    }

    /// Decides many requests, in order. Throws on the first request that cannot
    /// be decided, naming its index.
    #[napi(
        ts_args_type = "requests: AccessRequest[], options?: Options",
        ts_return_type = "Decision[]"
    )]
    pub fn decide_many<'e>(
        &self,
        env: &'e Env,
        requests: Arg<Vec<Unknown<'_>>>,
        options: Arg<Option<Options>>,
    ) -> Result<Unknown<'e>> {
        let options = options_of(options.get("options")?.as_ref());
        let requests = requests_of(requests.get("requests")?)?;
        let decisions = decide_all(&self.inner, &requests, options)?;
        wire::to_js_parsed(env, &decisions)
    }

    /// `decideMany` off the event loop: the requests are read now, decided on
    /// the thread pool, and the promise resolves with the decisions.
    #[napi(
        ts_args_type = "requests: AccessRequest[], options?: Options",
        ts_return_type = "Promise<Decision[]>"
    )]
    pub fn decide_many_async(
        &self,
        requests: Arg<Vec<Unknown<'_>>>,
        options: Arg<Option<Options>>,
    ) -> Result<AsyncTask<DecideManyTask>> {
        let options = options_of(options.get("options")?.as_ref());
        let requests = requests_of(requests.get("requests")?)?;
        Ok(AsyncTask::new(DecideManyTask {
            engine: Arc::clone(&self.inner),
            requests,
            options,
        }))
    }
}

/// `Engine.loadAsync` / `Engine.fromFileAsync`.
#[derive(Debug)]
pub struct LoadTask {
    source: Option<Given>,
    pack: Option<Vec<String>>,
}

impl<'t> ScopedTask<'t> for LoadTask {
    type Output = std::result::Result<CoreEngine, JsErr>;
    type JsValue = Engine;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.source.take() {
            Some(source) => build(source, self.pack.as_deref()),
            None => Err(error::error(error::PANIC, "load task computed twice")),
        })
    }

    fn resolve(&mut self, env: &'t Env, output: Self::Output) -> napi::Result<Engine> {
        output
            .map(Engine::from_core)
            .map_err(|e| error::reject(*env, e))
    }
}

/// `Engine.decideManyAsync`.
#[derive(Debug)]
pub struct DecideManyTask {
    engine: Arc<CoreEngine>,
    requests: Vec<AccessRequest>,
    options: DecideOptions,
}

impl<'t> ScopedTask<'t> for DecideManyTask {
    type Output = std::result::Result<Vec<Decision>, JsErr>;
    type JsValue = Unknown<'t>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(decide_all(&self.engine, &self.requests, self.options))
    }

    fn resolve(&mut self, env: &'t Env, output: Self::Output) -> napi::Result<Unknown<'t>> {
        output
            .and_then(|d| wire::to_js_parsed(env, &d))
            .map_err(|e| error::reject(*env, e))
    }
}
