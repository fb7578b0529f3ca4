//! `govshare.Engine`, `govshare.Decision`, `govshare.Reason` (SPEC §2, §8).

use std::sync::Arc;

use govshare::policy::{AccessRequest, CacheSettings, DecideOptions, Question, QuestionAnswer};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::args::Arg;
use crate::convert::{self, to_moment, wire_name};
use crate::error::{self, Input};

pub use crate::registry::load_registry;

/// The packs named by `pack`: `None` (the built-in timeline), one name or
/// folder (a `str` or `os.PathLike`), or a list of them (a timeline).
fn pack_names(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<String>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let one = |item: &Bound<'_, PyAny>| -> PyResult<String> {
        if let Ok(s) = item.cast::<PyString>() {
            return Ok(s.to_cow()?.into_owned());
        }
        let path: std::path::PathBuf = item.extract().map_err(|e| {
            error::argument(
                item.py(),
                "pack",
                "pack must be a built-in pack name, a path to a policy pack folder, a list of them, or None",
                Some(e),
            )
        })?;
        Ok(path.to_string_lossy().into_owned())
    };
    if obj.cast::<PyString>().is_err()
        && let Ok(list) = obj.cast::<pyo3::types::PyList>()
    {
        return list
            .iter()
            .map(|item| one(&item))
            .collect::<PyResult<_>>()
            .map(Some);
    }
    one(obj).map(|n| Some(vec![n]))
}

/// The options of `decide` and friends, from the keyword argument.
fn options(py: Python<'_>, evaluate_out_of_force: Arg<bool>) -> PyResult<DecideOptions> {
    Ok(DecideOptions {
        evaluate_out_of_force: evaluate_out_of_force.get(py, "evaluate_out_of_force")?,
    })
}

/// The decision engine: a policy pack over a registry snapshot. Immutable and safe
/// to share between threads.
#[pyclass(frozen, module = "govshare", name = "Engine")]
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) inner: Arc<govshare::policy::Engine>,
}

impl Engine {
    fn requests(list: &Bound<'_, PyAny>) -> PyResult<Vec<AccessRequest>> {
        convert::each(list, "requests", |item, i| convert::request(item, Some(i)))
    }
}

#[pymethods]
impl Engine {
    /// An engine over `registry` (a `Registry`, a dict or a path; a `str` is
    /// deprecated: use `Registry.from_json` or `Registry.from_file`) and `pack`: a
    /// built-in pack name (`"binzhou"`, `"national-2025"`) or a pack folder,
    /// forced for every moment, or a list of them (a timeline); `None` is the
    /// built-in timeline, each request judged under the pack in force at its
    /// moment (SPEC v2 §7).
    #[new]
    #[pyo3(signature = (registry, pack = None))]
    fn new(registry: &Bound<'_, PyAny>, pack: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let py = registry.py();
        let registry = load_registry(registry, "registry")?;
        let names = pack_names(pack)?;
        let inner = govshare::policy::Engine::with_pack_names(names.as_deref(), registry)
            .map_err(|e| error::to_py(py, &e))?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Decides one SPEC §8 access request (a dict). Outside the pack's validity
    /// this raises `PolicyError` (`policy.not_in_force`) unless
    /// `evaluate_out_of_force` is set; the decision then says `in_force=False`.
    #[pyo3(
        signature = (request, *, evaluate_out_of_force = Arg::of(false)),
        text_signature = "(self, request, *, evaluate_out_of_force=False)"
    )]
    fn decide(
        &self,
        request: &Bound<'_, PyAny>,
        evaluate_out_of_force: Arg<bool>,
    ) -> PyResult<Decision> {
        let py = request.py();
        let options = options(py, evaluate_out_of_force)?;
        let request = convert::request(request, None)?;
        self.inner
            .decide_shared(&request, options)
            .map(|inner| Decision { inner })
            .map_err(|e| error::core(py, e))
    }

    /// Decides every request of an iterable, in order, without holding the GIL
    /// while deciding, on all cores. A bad request raises, naming its index.
    #[pyo3(
        signature = (requests, *, evaluate_out_of_force = Arg::of(false)),
        text_signature = "(self, requests, *, evaluate_out_of_force=False)"
    )]
    fn decide_many(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        evaluate_out_of_force: Arg<bool>,
    ) -> PyResult<Vec<Decision>> {
        let options = options(py, evaluate_out_of_force)?;
        let requests = Self::requests(requests)?;
        let engine = Arc::clone(&self.inner);
        // Without the GIL, on all cores (rayon).
        let results = py.detach(move || engine.decide_many_shared(&requests, options));
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.map(|inner| Decision { inner })
                    .map_err(|e| error::to_py_at(py, &e.into(), "request", i))
            })
            .collect()
    }

    /// Art. 13: may `department` require a person or company to submit
    /// `resource` at `at`? No when the item is obtainable through the platform
    /// (directly, under a grant, or by applying) for `purpose` (default: any of
    /// its duties) and `fields` (default: the whole item).
    #[pyo3(
        signature = (department, resource, at, *, purpose = None, fields = None, evaluate_out_of_force = Arg::of(false)),
        text_signature = "(self, department, resource, at, *, purpose=None, fields=None, evaluate_out_of_force=False)"
    )]
    #[expect(
        clippy::too_many_arguments,
        reason = "the Python signature: keyword-only options"
    )]
    fn may_require_submission(
        &self,
        py: Python<'_>,
        department: Arg<String>,
        resource: Arg<String>,
        at: &Bound<'_, PyAny>,
        purpose: Option<Arg<String>>,
        fields: Option<Arg<Vec<String>>>,
        evaluate_out_of_force: Arg<bool>,
    ) -> PyResult<Answer> {
        let department = department.get(py, "department")?;
        let resource = resource.get(py, "resource")?;
        let at = to_moment(at, "at")?;
        let purpose = purpose.map(|p| p.get(py, "purpose")).transpose()?;
        let fields = fields.map(|f| f.get(py, "fields")).transpose()?;
        let options = options(py, evaluate_out_of_force)?;
        let question = Question::MayRequireSubmission {
            department,
            resource,
            at,
            purpose,
            fields,
        };
        match self.inner.answer_with(&question, options) {
            Ok(QuestionAnswer::Allowed(inner)) => Ok(Answer { inner }),
            Ok(other) => Err(error::argument(
                py,
                "question",
                &format!("a submission question was answered as {other:?}"),
                None,
            )),
            Err(e) => Err(error::to_py(py, &e)),
        }
    }

    /// Answers a SPEC v2 §8 question line (a dict with `question`:
    /// `may_require_submission`, `may_publish_open_data` or `must_serve`): an
    /// `Answer` (`allowed`) or a `ServeAnswer` (`must_serve`).
    #[pyo3(
        signature = (question, *, evaluate_out_of_force = Arg::of(false)),
        text_signature = "(self, question, *, evaluate_out_of_force=False)"
    )]
    fn answer(
        &self,
        question: &Bound<'_, PyAny>,
        evaluate_out_of_force: Arg<bool>,
    ) -> PyResult<Py<PyAny>> {
        let py = question.py();
        let options = options(py, evaluate_out_of_force)?;
        let question: Question = convert::input(question, Input::Request, None)?;
        match self.inner.answer_with(&question, options) {
            Ok(QuestionAnswer::Allowed(inner)) => Ok(Py::new(py, Answer { inner })?.into_any()),
            Ok(QuestionAnswer::MustServe(inner)) => {
                Ok(Py::new(py, ServeAnswer { inner })?.into_any())
            }
            Ok(other) => Err(error::argument(
                py,
                "question",
                &format!("an answer this binding cannot return: {other:?}"),
                None,
            )),
            Err(e) => Err(error::to_py(py, &e)),
        }
    }

    /// Art. 22: may `department` publish `resource` on the open data platform?
    #[pyo3(
        signature = (department, resource, at, *, evaluate_out_of_force = Arg::of(false)),
        text_signature = "(self, department, resource, at, *, evaluate_out_of_force=False)"
    )]
    fn may_publish_open_data(
        &self,
        py: Python<'_>,
        department: Arg<String>,
        resource: Arg<String>,
        at: &Bound<'_, PyAny>,
        evaluate_out_of_force: Arg<bool>,
    ) -> PyResult<Answer> {
        let department = department.get(py, "department")?;
        let resource = resource.get(py, "resource")?;
        let at = to_moment(at, "at")?;
        let options = options(py, evaluate_out_of_force)?;
        self.inner
            .may_publish_open_data_with(&department, &resource, at, options)
            .map(|inner| Answer { inner })
            .map_err(|e| error::to_py(py, &e))
    }

    /// The same pack over another registry (a `Registry`, a dict or a path): the
    /// policies are not parsed again.
    fn with_registry(&self, registry: &Bound<'_, PyAny>) -> PyResult<Self> {
        let registry = load_registry(registry, "registry")?;
        Ok(Self {
            inner: Arc::new(self.inner.with_registry(registry)),
        })
    }

    /// The same engine with other cache sizes (issue 14) and empty caches:
    /// `pairs` (department, resource) pairs kept specialised, `decisions`
    /// decisions kept; `0` turns a cache off, and both `0` is plain Cedar
    /// evaluation of the whole pack (Rust `CacheSettings::OFF`). The defaults
    /// are the engine's own (Rust `CacheSettings::DEFAULT`). The answers are the
    /// same with any settings.
    #[pyo3(
        signature = (*, pairs = Arg::of(CacheSettings::DEFAULT.pairs), decisions = Arg::of(CacheSettings::DEFAULT.decisions)),
        text_signature = "(self, *, pairs=4096, decisions=65536)"
    )]
    fn with_cache_settings(
        &self,
        py: Python<'_>,
        pairs: Arg<usize>,
        decisions: Arg<usize>,
    ) -> PyResult<Self> {
        let settings = CacheSettings {
            pairs: pairs.get(py, "pairs")?,
            decisions: decisions.get(py, "decisions")?,
        };
        Ok(Self {
            inner: Arc::new(self.inner.with_cache_settings(settings)),
        })
    }

    /// The cache sizes in use, `{"pairs": n, "decisions": n}`.
    fn cache_settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.cache_settings();
        let d = PyDict::new(py);
        d.set_item("pairs", s.pairs)?;
        d.set_item("decisions", s.decisions)?;
        Ok(d)
    }

    /// How many pairs are specialised and how many decisions are cached now,
    /// `{"pairs": n, "decisions": n}` (shared by every thread using the engine).
    fn cache_len<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let (pairs, decisions) = self.inner.cache_len();
        let d = PyDict::new(py);
        d.set_item("pairs", pairs)?;
        d.set_item("decisions", decisions)?;
        Ok(d)
    }

    /// Catalog validation (SPEC §6): the rules this registry breaks, each a
    /// `Finding` with its article and the id it concerns (empty when clean).
    fn validate(&self) -> Vec<Finding> {
        self.inner
            .validate()
            .into_iter()
            .map(|inner| Finding { inner })
            .collect()
    }

    /// The registry snapshot as a SPEC §8 dict.
    fn registry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, self.inner.registry().doc())
    }

    /// The pack's manifest as a dict.
    fn manifest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, self.inner.pack().manifest())
    }

    fn __repr__(&self) -> String {
        let reg = self.inner.registry();
        format!(
            "<govshare.Engine pack={} departments={} resources={} grants={}>",
            self.inner.pack().manifest().name,
            reg.departments().len(),
            reg.resources().len(),
            reg.grants().len()
        )
    }
}

/// One article-backed reason behind a decision.
#[pyclass(frozen, module = "govshare", name = "Reason")]
#[derive(Debug, Clone)]
pub struct Reason {
    inner: govshare::policy::Reason,
}

#[pymethods]
impl Reason {
    /// The article, e.g. `"17"`, `"4(2)"`.
    #[getter]
    fn article(&self) -> &str {
        &self.inner.article
    }
    /// A stable code, e.g. `certificate_invalid`.
    #[getter]
    fn code(&self) -> &str {
        &self.inner.code
    }
    /// The Chinese message.
    #[getter]
    fn zh(&self) -> &str {
        &self.inner.zh
    }
    /// The English message.
    #[getter]
    fn en(&self) -> &str {
        &self.inner.en
    }
    /// The route this reason gives (`None` on a question's own reasons).
    #[getter]
    fn route(&self) -> Option<String> {
        self.inner.route.as_ref().map(wire_name)
    }
    /// Who must act and how, `{"by", "action"}` (every failing check has one).
    #[getter]
    fn remedy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner.remedy)
    }
    /// The SPEC §8 dict.
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
            "Reason(article={:?}, code={:?}, en={:?})",
            self.inner.article, self.inner.code, self.inner.en
        )
    }
}

/// A decision (SPEC §8): permit or deny, the route, the articles behind it.
#[pyclass(frozen, module = "govshare", name = "Decision")]
#[derive(Debug, Clone)]
pub struct Decision {
    /// Shared with the engine's decision cache (a repeated request copies
    /// nothing).
    pub(crate) inner: Arc<govshare::policy::Decision>,
}

#[pymethods]
impl Decision {
    /// `"permit"` or `"deny"`.
    #[getter]
    fn decision(&self) -> String {
        wire_name(&self.inner.decision)
    }
    /// `"direct"`, `"granted"`, `"apply"`, `"coordinate"` or `"none"`.
    #[getter]
    fn route(&self) -> String {
        wire_name(&self.inner.route)
    }
    /// The articles that determined the decision (never empty).
    #[getter]
    fn citations(&self) -> Vec<String> {
        self.inner.citations.clone()
    }
    /// The grant used, for route `granted`.
    #[getter]
    fn grant(&self) -> Option<&str> {
        self.inner.grant.as_deref()
    }
    /// False when evaluated outside the pack's validity on request.
    #[getter]
    fn in_force(&self) -> bool {
        self.inner.in_force
    }
    /// The pack that answered.
    #[getter]
    fn pack(&self) -> &str {
        &self.inner.pack
    }
    /// Why, article by article.
    #[getter]
    fn reasons(&self) -> Vec<Reason> {
        self.inner
            .reasons
            .iter()
            .map(|r| Reason { inner: r.clone() })
            .collect()
    }
    /// Whether the decision is a permit.
    #[getter]
    fn permitted(&self) -> bool {
        self.inner.decision == govshare::policy::Effect::Permit
    }
    /// Exactly the SPEC §8 decision JSON, as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &*self.inner)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Decision(decision={:?}, route={:?}, citations={:?}, grant={:?})",
            wire_name(&self.inner.decision),
            wire_name(&self.inner.route),
            self.inner.citations,
            self.inner.grant
        )
    }
}

/// A yes/no answer with the articles behind it (Art. 13, Art. 22).
#[pyclass(frozen, module = "govshare", name = "Answer")]
#[derive(Debug, Clone)]
pub struct Answer {
    inner: govshare::policy::Answer,
}

#[pymethods]
impl Answer {
    /// The answer to the question asked.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }
    /// The articles that determined it (never empty).
    #[getter]
    fn citations(&self) -> Vec<String> {
        self.inner.citations.clone()
    }
    /// Why, article by article.
    #[getter]
    fn reasons(&self) -> Vec<Reason> {
        self.inner
            .reasons
            .iter()
            .map(|r| Reason { inner: r.clone() })
            .collect()
    }
    /// False when evaluated outside the pack's validity on request.
    #[getter]
    fn in_force(&self) -> bool {
        self.inner.in_force
    }
    /// The pack that answered.
    #[getter]
    fn pack(&self) -> &str {
        &self.inner.pack
    }
    /// The wire form: `allowed`, `citations`, `reasons`, `in_force`, `pack`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }
    fn __bool__(&self) -> bool {
        self.inner.allowed
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Answer(allowed={}, citations={:?})",
            if self.inner.allowed { "True" } else { "False" },
            self.inner.citations
        )
    }
}

/// The Art. 20 answer: must the person be served as usual?
#[pyclass(frozen, module = "govshare", name = "ServeAnswer")]
#[derive(Debug, Clone)]
pub struct ServeAnswer {
    inner: govshare::policy::ServeAnswer,
}

#[pymethods]
impl ServeAnswer {
    /// Whether the department must serve the person as usual.
    #[getter]
    fn must_serve(&self) -> bool {
        self.inner.must_serve
    }
    /// The articles (never empty).
    #[getter]
    fn citations(&self) -> Vec<String> {
        self.inner.citations.clone()
    }
    /// Why.
    #[getter]
    fn reasons(&self) -> Vec<Reason> {
        self.inner
            .reasons
            .iter()
            .map(|r| Reason { inner: r.clone() })
            .collect()
    }
    /// False when evaluated outside the pack's validity on request.
    #[getter]
    fn in_force(&self) -> bool {
        self.inner.in_force
    }
    /// The pack that answered.
    #[getter]
    fn pack(&self) -> &str {
        &self.inner.pack
    }
    /// The wire form: `must_serve`, `citations`, `reasons`, `in_force`, `pack`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner)
    }
    fn __bool__(&self) -> bool {
        self.inner.must_serve
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Self>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "ServeAnswer(must_serve={}, citations={:?})",
            if self.inner.must_serve {
                "True"
            } else {
                "False"
            },
            self.inner.citations
        )
    }
}

/// One catalog validation finding (SPEC §6).
#[pyclass(frozen, module = "govshare", name = "Finding")]
#[derive(Debug, Clone)]
pub struct Finding {
    inner: govshare::registry::Finding,
}

#[pymethods]
impl Finding {
    /// The article, e.g. `"10"`.
    #[getter]
    fn article(&self) -> &str {
        &self.inner.article
    }
    /// `"error"` or `"warning"`.
    #[getter]
    fn severity(&self) -> String {
        wire_name(&self.inner.severity)
    }
    /// `department`, `resource`, `grant` or `registry`.
    #[getter]
    fn kind(&self) -> &str {
        &self.inner.kind
    }
    /// The id concerned (empty for `registry` findings).
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    /// A stable code, e.g. `basic_not_unconditional`.
    #[getter]
    fn code(&self) -> &str {
        &self.inner.code
    }
    /// The Chinese message.
    #[getter]
    fn zh(&self) -> &str {
        &self.inner.zh
    }
    /// The English message.
    #[getter]
    fn en(&self) -> &str {
        &self.inner.en
    }
    /// The wire form, as a dict.
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
            "Finding(article={:?}, code={:?}, {} {:?})",
            self.inner.article, self.inner.code, self.inner.kind, self.inner.id
        )
    }
}
