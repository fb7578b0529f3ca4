//! Policy packs, Cedar evaluation and decisions (SPEC §2, §7).
//!
//! A [`PolicyPack`] is a manifest, a Cedar schema and Cedar policies, validated
//! strictly once at load. An [`Engine`] pairs a pack with a registry snapshot
//! and answers [`AccessRequest`]s with [`Decision`]s: every decision comes from
//! Cedar's `is_authorized`, and the annotations of the policies that determined
//! it (`@article`, `@code`, `@route`, `@zh`, `@en`) give its citations, reasons
//! and route.
//!
//! Decisions are fast (issue 14): the engine specialises the pack per
//! (department, resource) pair by Cedar's partial evaluation, so a request
//! evaluates only what depends on it, and caches decisions over the interval
//! of moments in which nothing time-dependent changes. Both are bounded and
//! shared by the engine's clones; [`CacheSettings`] sizes them, and
//! [`CacheSettings::OFF`] turns them off.
//!
//! ```
//! use govshare::policy::{AccessRequest, Engine, PolicyPack, Route};
//! use govshare::registry::Registry;
//!
//! let registry = Registry::from_json_str(include_str!(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../policies/binzhou/sample/registry.json"
//! )))?;
//! let engine = Engine::new(PolicyPack::binzhou(), registry)?;
//! let request = AccessRequest::from_json_str(
//!     r#"{"department": "city.civil-affairs", "resource": "hr.social-insurance",
//!         "method": "online_query", "purpose": "social-assistance",
//!         "fields": ["name", "id_number"], "network": "extranet",
//!         "certificate": "BZ-0007", "at": "2019-09-27T10:00:00+08:00"}"#,
//! )?;
//! let decision = engine.decide(&request)?;
//! assert_eq!(decision.route, Route::Granted);
//! assert_eq!(decision.grant.as_deref(), Some("g-2018-0001"));
//! println!("{:?} {:?} cites {:?}", decision.decision, decision.route, decision.citations);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cache;
mod engine;
mod entities;
mod manifest;
mod pack;
mod specialise;
mod wire;

pub use cache::CacheSettings;
pub use engine::{Answer, DecideOptions, Engine};
pub use manifest::{
    AnswerArticles, ApplicationSettings, CatalogSettings, DutyBases, EventSettings,
    IncidentReading, IncidentReportLimits, Manifest, MethodSettings, Procedure, ServeTexts,
    SeveritySettings, SummaryColumn, VerificationSettings,
};
pub use pack::{BUILTIN_PACKS, PolicyPack};
pub use wire::{
    AccessRequest, Decision, Effect, Question, QuestionAnswer, Reason, Remedy, RemedyAction, Route,
    ServeAnswer,
};

/// An error from a policy pack or the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The moment asked about is outside the pack's validity (Art. 33).
    #[error("`{at}` is outside the validity of pack `{pack}` ({from} to {until})")]
    NotInForce {
        /// The moment.
        at: String,
        /// The pack name.
        pack: String,
        /// Start of validity.
        from: String,
        /// End of validity.
        until: String,
    },
    /// No pack of a timeline is in force at the moment asked about (SPEC v2
    /// §7): no pack is loaded for it; the engine never chooses one.
    #[error(
        "no pack is loaded for `{at}` (the engine's packs: {packs}); build an engine with one pack to evaluate it anyway"
    )]
    NoPackInForce {
        /// The moment.
        at: String,
        /// The packs loaded, with their validity.
        packs: String,
    },
    /// The pack in force has no rule for the question asked (e.g. the national
    /// pack and the Binzhou open-data question).
    #[error("pack `{pack}` has no rule for `{question}`")]
    NotInPack {
        /// The pack.
        pack: String,
        /// The question.
        question: &'static str,
    },
    /// A policy file does not parse, lacks an annotation, or fails strict
    /// validation against the schema.
    #[error("invalid policy in `{file}` line {line}: {message}")]
    InvalidPolicy {
        /// The policy file.
        file: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The pack's Cedar schema is invalid.
    #[error("invalid schema `{file}`{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Schema {
        /// The schema file.
        file: String,
        /// The 1-based line, where known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The pack's `manifest.toml` is invalid.
    #[error("invalid manifest `manifest.toml`: {message}")]
    Manifest {
        /// What is wrong (names the field).
        message: String,
    },
    /// The pack's `findings.toml` is invalid (names the key).
    #[error("invalid findings `findings.toml`: {message}")]
    Findings {
        /// What is wrong (names the key).
        message: String,
    },
    /// A file the pack needs is missing.
    #[error("pack has no `{file}`")]
    MissingFile {
        /// The missing file (or pattern).
        file: String,
    },
    /// A pack file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// What the OS said.
        message: String,
    },
    /// The request names a department the registry does not have.
    #[error("unknown department `{id}`")]
    UnknownDepartment {
        /// The id.
        id: String,
    },
    /// The request names a resource the registry does not have.
    #[error("unknown resource `{id}`")]
    UnknownResource {
        /// The id.
        id: String,
    },
    /// A request or question is not valid input (names the field).
    #[error("invalid request: field `{field}`: {message}")]
    InvalidRequest {
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Cedar could not evaluate a policy or build the request (a defect in the
    /// pack or the engine: the decision is not guessed).
    #[error("policy evaluation failed{}: {message}", policy.as_ref().map(|p| format!(" in `{p}`")).unwrap_or_default())]
    Evaluation {
        /// The policy, where known.
        policy: Option<String>,
        /// What Cedar said.
        message: String,
    },
    /// A pack file is over one of the [`crate::limits`] for packs (size, nesting,
    /// operators per policy); it was not parsed.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
}

impl PolicyError {
    /// The code of [`PolicyError::InvalidRequest`], which the bindings also give a
    /// request or question object that does not fit SPEC §8
    /// ([`crate::error::InputErrorKind::InvalidRequest`]).
    pub const INVALID_REQUEST: &'static str = "policy.invalid_request";
}

crate::error::error_table! {
    impl PolicyError {
        python: "`PolicyError`";
        NotInForce | NoPackInForce => "policy.not_in_force", {
            meaning: "the moment asked about is outside the pack's validity (its manifest); ask again with \
            \"evaluate out of force\" to get a decision with `in_force: false`; an engine over a \
            timeline of packs says that no pack is loaded for that moment (SPEC v2 §7)",
            from: "`Engine::decide` and friends",
        }
        NotInPack => "policy.not_in_pack", {
            meaning: "the pack in force has no rule for the question asked (the national pack: \
            `may_publish_open_data`, `must_serve`), or does not model the workflow and audit \
            (`Ledger::apply`, `Auditor::push` at a moment under it): never answered with another \
            regulation's rules",
            from: "`Engine::answer`, `Ledger::apply`, `Auditor::push`",
        }
        InvalidPolicy => "policy.invalid_policy", {
            meaning: "a Cedar policy does not parse, lacks an annotation or fails strict validation (names \
            the file and line)",
            from: "`PolicyPack::load`",
        }
        Schema => "policy.invalid_schema", {
            meaning: "the pack's Cedar schema is invalid",
            from: "`PolicyPack::load`",
        }
        Manifest => "policy.invalid_manifest", {
            meaning: "the pack's `manifest.toml` is invalid (names the field)",
            from: "`PolicyPack::load`",
        }
        Findings => "policy.invalid_findings", {
            meaning: "the pack's `findings.toml` is invalid: a code that is no check govshare runs, a \
            `{value}` its check does not give, an article that is not a citation (names the key)",
            from: "`PolicyPack::load`",
        }
        MissingFile => "policy.missing_file", {
            meaning: "a file the pack needs is missing",
            from: "`PolicyPack::load`",
        }
        Io => "policy.io", {
            meaning: "a pack file cannot be read",
            from: "`PolicyPack::load`",
        }
        UnknownDepartment => "policy.unknown_department", {
            meaning: "the request names a department not in the registry",
            from: "`Engine::decide`",
        }
        UnknownResource => "policy.unknown_resource", {
            meaning: "the request names a resource not in the catalog",
            from: "`Engine::decide`",
        }
        InvalidRequest => Self::INVALID_REQUEST, {
            meaning: "an access request or question does not fit SPEC §8. In Rust: JSON text that does not \
            parse (`AccessRequest::from_json_str`, `Question::from_json_str`: an unknown \
            `question`, a missing field), or a field that cannot be evaluated (an `at` outside \
            1677–2262, the range of full-precision times). In the bindings: a dict/object that \
            does not fit (the message names the field path, e.g. `` `fields[0]` ``): a wrong \
            field or type, a value with no JSON form (a function, a `datetime` object, `bytes`), \
            or the caller's getter, `Proxy` trap or mapping raised while it was read (that \
            exception is the `__cause__` / `cause`)",
            from: "`Engine::decide`, `answer`, `from_json_str`; `Engine.decide`, `answer`, \
            `decide_many` / `decideMany`; `govshare decide` lines",
            rust: "`PolicyError::InvalidRequest`; in the bindings `InputErrorKind::InvalidRequest`",
        }
        Evaluation => "policy.evaluation", {
            meaning: "Cedar could not evaluate (a defect in the pack or the engine; the decision is not \
            guessed)",
            from: "`Engine::decide`",
        }
        @delegate Limit;
    }
}
