//! One runner per case kind: parse `input` and `expect` (unknown fields are
//! errors), call the Rust API, compare the fields the case gives.

use govshare::policy::{Answer, Effect, Route};
use std::collections::BTreeSet;

use govshare::audit::Auditor;
use govshare::registry::{FindingSeverity, Registry};
use govshare::workflow::{Event, Ledger};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    Bad, Case, Checked, Ctx, Day, Diff, Moment, Request, check_citations, decide_options,
    decision_invariants, parse,
};

fn engine(ctx: &Ctx) -> Result<&govshare::policy::Engine, Bad> {
    ctx.engine
        .as_ref()
        .map_err(|e| Bad::Vector(format!("the file's registry does not load: {e}")))
}

/// An error code expected, compared with what happened.
fn expect_error<T: std::fmt::Debug>(want: &str, got: Result<T, govshare::Error>) -> Checked {
    Ok(match got {
        Err(e) if e.code() == want => Ok(()),
        Err(e) => Err(format!(
            "error: expected `{want}`, got `{}` ({e})",
            e.code()
        )),
        Ok(v) => Err(format!("error: expected `{want}`, got a result: {v:?}")),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideInput {
    request: Request,
    #[serde(default)]
    evaluate_out_of_force: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecideExpect {
    #[serde(default)]
    decision: Option<Effect>,
    #[serde(default)]
    route: Option<Route>,
    #[serde(default)]
    citations: Option<Vec<String>>,
    #[serde(default)]
    citations_include: Option<Vec<String>>,
    /// `null` or a grant id; absent: not checked.
    #[serde(default, deserialize_with = "present")]
    grant: Option<Option<String>>,
    #[serde(default)]
    in_force: Option<bool>,
    /// Reason codes that must be among the decision's reasons.
    #[serde(default)]
    codes_include: Option<Vec<String>>,
    /// The pack that answered.
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Reason codes expected among `got`.
fn check_codes(d: &mut Diff, want: Option<&Vec<String>>, got: &[govshare::policy::Reason]) {
    for code in want.into_iter().flatten() {
        if !got.iter().any(|r| &r.code == code) {
            d.push(format!(
                "reasons: no `{code}` among {:?}",
                got.iter().map(|r| r.code.as_str()).collect::<Vec<_>>()
            ));
        }
    }
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

pub(crate) fn decide(ctx: &Ctx, c: &Case) -> Checked {
    let input: DecideInput = parse("input", &c.input)?;
    let want: DecideExpect = parse("expect", &c.expect)?;
    let engine = engine(ctx)?;
    let got = engine
        .decide_with(&input.request, decide_options(input.evaluate_out_of_force))
        .map_err(govshare::Error::from);
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    let dec = match got {
        Ok(d) => d,
        Err(e) => return Ok(Err(format!("unexpected error `{}`: {e}", e.code()))),
    };
    let mut d = Diff::default();
    decision_invariants(&mut d, &dec);
    d.eq("decision", want.decision.as_ref(), &dec.decision);
    d.eq("route", want.route.as_ref(), &dec.route);
    check_citations(
        &mut d,
        want.citations.as_ref(),
        want.citations_include.as_ref(),
        &dec.citations,
    );
    d.eq("grant", want.grant.as_ref(), &dec.grant);
    d.eq("in_force", want.in_force.as_ref(), &dec.in_force);
    d.eq("pack", want.pack.as_ref(), &dec.pack);
    check_codes(&mut d, want.codes_include.as_ref(), &dec.reasons);
    Ok(d.finish(|| serde_json::to_string(&dec).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionInput {
    department: String,
    resource: String,
    at: Moment,
    /// Art. 13 only: the purpose (absent: any duty).
    #[serde(default)]
    purpose: Option<String>,
    /// Art. 13 only: the fields (absent: the whole item).
    #[serde(default)]
    fields: Option<Vec<String>>,
    #[serde(default)]
    evaluate_out_of_force: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionExpect {
    #[serde(default)]
    allowed: Option<bool>,
    #[serde(default)]
    citations_include: Option<Vec<String>>,
    #[serde(default)]
    in_force: Option<bool>,
    #[serde(default)]
    error: Option<String>,
}

fn answer(want: &QuestionExpect, got: Result<Answer, govshare::Error>) -> Checked {
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    let a = match got {
        Ok(a) => a,
        Err(e) => return Ok(Err(format!("unexpected error `{}`: {e}", e.code()))),
    };
    let mut d = Diff::default();
    if a.citations.is_empty() {
        d.push("citations: empty".to_owned());
    }
    d.eq("allowed", want.allowed.as_ref(), &a.allowed);
    check_citations(&mut d, None, want.citations_include.as_ref(), &a.citations);
    d.eq("in_force", want.in_force.as_ref(), &a.in_force);
    Ok(d.finish(|| serde_json::to_string(&a).unwrap_or_default()))
}

pub(crate) fn submission(ctx: &Ctx, c: &Case) -> Checked {
    let input: QuestionInput = parse("input", &c.input)?;
    let want: QuestionExpect = parse("expect", &c.expect)?;
    let question = govshare::policy::Question::MayRequireSubmission {
        department: input.department,
        resource: input.resource,
        at: input.at,
        purpose: input.purpose,
        fields: input.fields,
    };
    let got = engine(ctx)?
        .answer_with(&question, decide_options(input.evaluate_out_of_force))
        .and_then(|a| match a {
            govshare::policy::QuestionAnswer::Allowed(a) => Ok(a),
            other => Err(govshare::Error::Policy(
                govshare::policy::PolicyError::Evaluation {
                    policy: None,
                    message: format!("not an Art. 13 answer: {other:?}"),
                },
            )),
        });
    answer(&want, got)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionLineInput {
    /// The question line, exactly as `govshare decide` reads it.
    question: Value,
    #[serde(default)]
    evaluate_out_of_force: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionLineExpect {
    #[serde(default)]
    allowed: Option<bool>,
    #[serde(default)]
    must_serve: Option<bool>,
    #[serde(default)]
    citations_include: Option<Vec<String>>,
    #[serde(default)]
    codes_include: Option<Vec<String>>,
    #[serde(default)]
    in_force: Option<bool>,
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) fn question(ctx: &Ctx, c: &Case) -> Checked {
    let input: QuestionLineInput = parse("input", &c.input)?;
    let want: QuestionLineExpect = parse("expect", &c.expect)?;
    let engine = engine(ctx)?;
    let got = govshare::policy::Question::from_json_str(&input.question.to_string())
        .and_then(|q| engine.answer_with(&q, decide_options(input.evaluate_out_of_force)));
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    let a = match got {
        Ok(a) => a,
        Err(e) => return Ok(Err(format!("unexpected error `{}`: {e}", e.code()))),
    };
    let (allowed, must_serve, citations, reasons, in_force, pack) = match &a {
        govshare::policy::QuestionAnswer::Allowed(x) => (
            Some(x.allowed),
            None,
            &x.citations,
            &x.reasons,
            x.in_force,
            &x.pack,
        ),
        govshare::policy::QuestionAnswer::MustServe(x) => (
            None,
            Some(x.must_serve),
            &x.citations,
            &x.reasons,
            x.in_force,
            &x.pack,
        ),
        other => {
            return Ok(Err(format!(
                "an answer this runner does not know: {other:?}"
            )));
        }
    };
    let mut d = Diff::default();
    if citations.is_empty() {
        d.push("citations: empty".to_owned());
    }
    if want.allowed.is_some() {
        d.eq(
            "allowed",
            want.allowed.as_ref(),
            &allowed.unwrap_or(!want.allowed.unwrap_or(false)),
        );
    }
    if want.must_serve.is_some() {
        d.eq(
            "must_serve",
            want.must_serve.as_ref(),
            &must_serve.unwrap_or(!want.must_serve.unwrap_or(false)),
        );
    }
    check_citations(&mut d, None, want.citations_include.as_ref(), citations);
    check_codes(&mut d, want.codes_include.as_ref(), reasons);
    d.eq("in_force", want.in_force.as_ref(), &in_force);
    d.eq("pack", want.pack.as_ref(), pack);
    Ok(d.finish(|| serde_json::to_string(&a).unwrap_or_default()))
}

pub(crate) fn open_data(ctx: &Ctx, c: &Case) -> Checked {
    let input: QuestionInput = parse("input", &c.input)?;
    let want: QuestionExpect = parse("expect", &c.expect)?;
    let got = engine(ctx)?.may_publish_open_data_with(
        &input.department,
        &input.resource,
        input.at,
        decide_options(input.evaluate_out_of_force),
    );
    answer(&want, got)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineInput {
    at: Moment,
    workdays: u32,
    /// An override data file (TOML, `core/data/README.md`) added to the built-in calendar.
    #[serde(default)]
    overrides: Option<String>,
}

/// The built-in calendar, plus `overrides` when given.
fn calendar(
    ctx: &Ctx,
    overrides: Option<&String>,
) -> Result<govshare::calendar::WorkCalendar, govshare::Error> {
    match overrides {
        Some(text) => Ok(ctx.calendar.with_overrides_toml(text)?),
        None => Ok(ctx.calendar.clone()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineExpect {
    #[serde(default)]
    due: Option<Day>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) fn deadline(ctx: &Ctx, c: &Case) -> Checked {
    let input: DeadlineInput = parse("input", &c.input)?;
    let want: DeadlineExpect = parse("expect", &c.expect)?;
    let got = calendar(ctx, input.overrides.as_ref()).and_then(|cal| {
        cal.due_date(input.at, input.workdays)
            .map_err(govshare::Error::from)
    });
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    Ok(match got {
        Ok(due) => {
            let mut d = Diff::default();
            d.eq("due", want.due.as_ref(), &due);
            d.finish(|| due.to_string())
        }
        Err(e) => Err(format!("unexpected error `{}`: {e}", e.code())),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsWorkdayInput {
    date: Day,
    #[serde(default)]
    overrides: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IsWorkdayExpect {
    #[serde(default)]
    workday: Option<bool>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) fn is_workday(ctx: &Ctx, c: &Case) -> Checked {
    let input: IsWorkdayInput = parse("input", &c.input)?;
    let want: IsWorkdayExpect = parse("expect", &c.expect)?;
    let got = calendar(ctx, input.overrides.as_ref())
        .and_then(|cal| cal.is_workday(input.date).map_err(govshare::Error::from));
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    Ok(match got {
        Ok(w) => {
            let mut d = Diff::default();
            d.eq("workday", want.workday.as_ref(), &w);
            d.finish(|| w.to_string())
        }
        Err(e) => Err(format!("unexpected error `{}`: {e}", e.code())),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BetweenInput {
    from: Day,
    to: Day,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BetweenExpect {
    #[serde(default)]
    workdays: Option<i64>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) fn workdays_between(ctx: &Ctx, c: &Case) -> Checked {
    let input: BetweenInput = parse("input", &c.input)?;
    let want: BetweenExpect = parse("expect", &c.expect)?;
    let got = ctx
        .calendar
        .workdays_between(input.from, input.to)
        .map_err(govshare::Error::from);
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    Ok(match got {
        Ok(n) => {
            let mut d = Diff::default();
            d.eq("workdays", want.workdays.as_ref(), &n);
            d.finish(|| n.to_string())
        }
        Err(e) => Err(format!("unexpected error `{}`: {e}", e.code())),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryInput {
    document: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryExpect {
    #[serde(default)]
    ok: Option<bool>,
    #[serde(default)]
    error: Option<String>,
    /// Words the error message must contain (the field, the id).
    #[serde(default)]
    message_contains: Vec<String>,
}

pub(crate) fn registry(c: &Case) -> Checked {
    let input: RegistryInput = parse("input", &c.input)?;
    let want: RegistryExpect = parse("expect", &c.expect)?;
    let got = Registry::from_json_str(&input.document.to_string());
    Ok(match (&want.error, got) {
        (Some(code), Err(e)) => {
            let msg = e.to_string();
            let mut d = Diff::default();
            d.eq("error", Some(&code.as_str()), &e.code());
            for w in &want.message_contains {
                if !msg.contains(w.as_str()) {
                    d.push(format!("message: `{msg}` does not name `{w}`"));
                }
            }
            d.finish(|| msg.clone())
        }
        (Some(code), Ok(_)) => Err(format!("error: expected `{code}`, the registry loaded")),
        (None, Err(e)) => Err(format!("unexpected error `{}`: {e}", e.code())),
        (None, Ok(_)) if want.ok == Some(false) => {
            Err("ok: expected a failure, the registry loaded".to_owned())
        }
        (None, Ok(_)) => Ok(()),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateInput {
    #[serde(default)]
    registry: Option<Value>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(deny_unknown_fields)]
struct FindingExpect {
    article: String,
    id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateExpect {
    /// The error findings, as a set of (article, id).
    findings: Vec<FindingExpect>,
    /// The warnings, as a set of (article, id, code); absent: not compared.
    #[serde(default)]
    warnings: Option<Vec<WarningExpect>>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(deny_unknown_fields)]
struct WarningExpect {
    article: String,
    id: String,
    code: String,
}

/// Catalog validation (SPEC §6): the error-severity findings, compared as a set.
pub(crate) fn validate(ctx: &Ctx, c: &Case) -> Checked {
    let input: ValidateInput = parse("input", &c.input)?;
    let want: ValidateExpect = parse("expect", &c.expect)?;
    let own;
    let registry = match &input.registry {
        Some(doc) => {
            own = Registry::from_json_str(&doc.to_string())
                .map_err(|e| Bad::Vector(format!("`input.registry` does not load: {e}")))?;
            &own
        }
        None => engine(ctx)?.registry(),
    };
    // Under the pack of the file's engine (of a timeline, the earliest).
    let findings = engine(ctx)?.pack().validate(registry);
    let got: BTreeSet<(String, String)> = findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .map(|f| (f.article.clone(), f.id.clone()))
        .collect();
    let warnings_want = want.warnings;
    let want: BTreeSet<(String, String)> = want
        .findings
        .into_iter()
        .map(|f| (f.article, f.id))
        .collect();
    let mut d = Diff::default();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    if !missing.is_empty() {
        d.push(format!("findings: missing {missing:?}"));
    }
    if !extra.is_empty() {
        d.push(format!("findings: unexpected {extra:?}"));
    }
    if let Some(w) = warnings_want {
        let got: BTreeSet<(String, String, String)> = findings
            .iter()
            .filter(|f| f.severity == FindingSeverity::Warning)
            .map(|f| (f.article.clone(), f.id.clone(), f.code.clone()))
            .collect();
        let want: BTreeSet<(String, String, String)> =
            w.into_iter().map(|f| (f.article, f.id, f.code)).collect();
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        if !missing.is_empty() {
            d.push(format!("warnings: missing {missing:?}"));
        }
        if !extra.is_empty() {
            d.push(format!("warnings: unexpected {extra:?}"));
        }
    }
    Ok(d.finish(|| serde_json::to_string(&findings).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeInput {
    resource: String,
    proof_valid: bool,
    at: Moment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogInput {
    events: Vec<Value>,
    as_of: Moment,
    #[serde(default)]
    serve: Option<ServeInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AppExpect {
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    reply_due: Option<Option<Day>>,
    #[serde(default)]
    has_grant: Option<bool>,
    #[serde(default)]
    approvals: Option<Vec<String>>,
    #[serde(default)]
    reply_late: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObligationExpect {
    kind: String,
    department: String,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    due: Option<Day>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    late: Option<bool>,
}

#[derive(Deserialize, PartialEq, Eq, Debug, Clone, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Rejected {
    event: String,
    code: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeExpect {
    #[serde(default)]
    must_serve: Option<bool>,
    #[serde(default)]
    may_require_correction: Option<bool>,
    #[serde(default)]
    disputed: Option<bool>,
    #[serde(default)]
    citations_include: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicationsExpect {
    #[serde(default)]
    applications: Option<std::collections::BTreeMap<String, AppExpect>>,
    #[serde(default)]
    obligations: Option<Vec<ObligationExpect>>,
    #[serde(default)]
    rejected: Option<Vec<Rejected>>,
    #[serde(default)]
    serve: Option<ServeExpect>,
}

/// Feeds `events` to a strict ledger one by one; rejected events are collected
/// with their code, and must leave the state unchanged.
fn run_log(
    engine: &govshare::policy::Engine,
    events: &[Value],
    as_of: Moment,
) -> Result<(Ledger, Vec<Rejected>, Vec<String>), Bad> {
    let mut ledger = Ledger::new(engine.clone());
    let mut rejected = Vec::new();
    let mut broken = Vec::new();
    for (i, raw) in events.iter().enumerate() {
        let event: Event = serde_json::from_value(raw.clone())
            .map_err(|e| Bad::Vector(format!("event {}: {e}", i + 1)))?;
        let before = ledger.state(as_of);
        if let Err(e) = ledger.apply(&event) {
            let id = event.id_or(i as u64 + 1);
            rejected.push(Rejected {
                event: id.clone(),
                code: e.code().to_owned(),
            });
            if ledger.state(as_of) != before {
                broken.push(format!("rejected event `{id}` changed the state"));
            }
        }
    }
    Ok((ledger, rejected, broken))
}

pub(crate) fn applications(ctx: &Ctx, c: &Case) -> Checked {
    let input: LogInput = parse("input", &c.input)?;
    let want: ApplicationsExpect = parse("expect", &c.expect)?;
    let engine = engine(ctx)?;
    let (ledger, rejected, broken) = run_log(engine, &input.events, input.as_of)?;
    let state = ledger.state(input.as_of);
    let mut d = Diff::default();
    for b in broken {
        d.push(b);
    }
    if let Some(apps) = &want.applications {
        let got_ids: BTreeSet<&str> = state.applications.iter().map(|a| a.id.as_str()).collect();
        let want_ids: BTreeSet<&str> = apps.keys().map(String::as_str).collect();
        if got_ids != want_ids {
            d.push(format!(
                "applications: expected {want_ids:?}, got {got_ids:?}"
            ));
        }
        for (id, w) in apps {
            let Some(a) = state.applications.iter().find(|a| &a.id == id) else {
                continue;
            };
            d.eq(
                &format!("{id}.status"),
                w.status.as_ref(),
                &a.status.as_str().to_owned(),
            );
            d.eq(
                &format!("{id}.reply_due"),
                w.reply_due.as_ref(),
                &a.reply_due,
            );
            d.eq(
                &format!("{id}.has_grant"),
                w.has_grant.as_ref(),
                &a.grant.is_some(),
            );
            d.eq(
                &format!("{id}.reply_late"),
                w.reply_late.as_ref(),
                &a.reply_late,
            );
            if let Some(ap) = &w.approvals {
                let got: BTreeSet<String> = a
                    .approvals
                    .iter()
                    .filter_map(|s| serde_json::to_value(s).ok())
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                let want: BTreeSet<String> = ap.iter().cloned().collect();
                d.eq(&format!("{id}.approvals"), Some(&want), &got);
            }
        }
    }
    if let Some(obls) = &want.obligations {
        let mut left: Vec<&govshare::workflow::ObligationState> =
            state.obligations.iter().collect();
        if obls.len() != left.len() {
            d.push(format!(
                "obligations: expected {}, got {}",
                obls.len(),
                left.len()
            ));
        }
        for w in obls {
            let pos = left.iter().position(|o| {
                o.kind.as_str() == w.kind
                    && o.department == w.department
                    && w.resource
                        .as_ref()
                        .is_none_or(|r| o.resource.as_ref() == Some(r))
                    && w.due.is_none_or(|due| o.due == Some(due))
                    && w.status.as_ref().is_none_or(|s| {
                        serde_json::to_value(o.status)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .as_ref()
                            == Some(s)
                    })
                    && w.late.is_none_or(|l| o.late == l)
            });
            match pos {
                Some(i) => {
                    left.remove(i);
                }
                None => d.push(format!(
                    "obligations: none matches {} of {} (due {:?}, status {:?}, late {:?})",
                    w.kind, w.department, w.due, w.status, w.late
                )),
            }
        }
    }
    if let Some(want_rej) = &want.rejected
        && want_rej != &rejected
    {
        d.push(format!("rejected: expected {want_rej:?}, got {rejected:?}"));
    }
    if let Some(w) = &want.serve {
        let Some(ask) = &input.serve else {
            return Err(Bad::Vector(
                "`expect.serve` without `input.serve`".to_owned(),
            ));
        };
        let a = ledger.must_serve(&ask.resource, ask.proof_valid, ask.at);
        d.eq("serve.must_serve", w.must_serve.as_ref(), &a.must_serve);
        d.eq(
            "serve.may_require_correction",
            w.may_require_correction.as_ref(),
            &a.may_require_correction,
        );
        d.eq("serve.disputed", w.disputed.as_ref(), &a.disputed);
        check_citations(&mut d, None, w.citations_include.as_ref(), &a.citations);
    }
    Ok(d.finish(|| {
        format!(
            "{} rejected {rejected:?}",
            serde_json::to_string(&state).unwrap_or_default()
        )
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditInput {
    events: Vec<Value>,
    as_of: Moment,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ViolationExpect {
    category: String,
    #[serde(default)]
    article: Option<String>,
    department: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    due: Option<Day>,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    consequences_include: Vec<String>,
    /// Consequences that must not be there (v2).
    #[serde(default)]
    consequences_exclude: Vec<String>,
    /// Every article behind it, in order (v2 §5, §8).
    #[serde(default)]
    basis: Option<Vec<String>>,
    /// The pack judging it (v2).
    #[serde(default)]
    pack: Option<String>,
    /// Whether the pack had lapsed (absent on the wire: false).
    #[serde(default)]
    pack_lapsed: Option<bool>,
    /// Whether it rests on a reading (absent on the wire: false).
    #[serde(default)]
    reading: Option<bool>,
    /// Who urges correction (a role).
    #[serde(default)]
    urged_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditExpect {
    /// Every violation, no more (order free).
    #[serde(default)]
    violations: Option<Vec<ViolationExpect>>,
    /// Violations that must be among those reported.
    #[serde(default)]
    violations_include: Option<Vec<ViolationExpect>>,
    /// Events the audit rejects, with their codes.
    #[serde(default)]
    rejected: Option<Vec<Rejected>>,
    /// The ids of the duties whose due date is unknown (v2), as a set.
    #[serde(default)]
    undetermined: Option<Vec<String>>,
}

fn wire(v: &Value, field: &str) -> String {
    v.get(field)
        .map(|f| f.as_str().map_or_else(|| f.to_string(), str::to_owned))
        .unwrap_or_default()
}

/// Whether the reported violation (as SPEC §8 JSON) has every field `w` gives.
fn matches(w: &ViolationExpect, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: &str, want: Option<String>| {
        if let Some(want) = want {
            let g = wire(got, field);
            if g != want {
                out.push(format!("{field} {g} (expected {want})"));
            }
        }
    };
    check("category", Some(w.category.clone()));
    check("department", Some(w.department.clone()));
    check("article", w.article.clone());
    check("severity", w.severity.clone());
    check("due", w.due.map(|d| d.to_string()));
    check("pack", w.pack.clone());
    check("urged_by", w.urged_by.clone());
    let flag = |field: &str| got.get(field).and_then(Value::as_bool).unwrap_or(false);
    for (field, want) in [("pack_lapsed", w.pack_lapsed), ("reading", w.reading)] {
        if let Some(want) = want
            && flag(field) != want
        {
            out.push(format!("{field} {} (expected {want})", flag(field)));
        }
    }
    if let Some(b) = &w.basis {
        let g = got.get("basis").cloned().unwrap_or_default();
        if g != serde_json::json!(b) {
            out.push(format!("basis {g} (expected {b:?})"));
        }
    }
    if let Some(ev) = &w.events {
        let g = got.get("events").cloned().unwrap_or_default();
        if g != serde_json::json!(ev) {
            out.push(format!("events {g} (expected {ev:?})"));
        }
    }
    let cons = got.get("consequences").cloned().unwrap_or_default();
    for c in &w.consequences_include {
        if !cons
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(c)))
        {
            out.push(format!("consequences {cons} lack `{c}`"));
        }
    }
    for c in &w.consequences_exclude {
        if cons
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(c)))
        {
            out.push(format!("consequences {cons} hold `{c}`"));
        }
    }
    out
}

pub(crate) fn audit(ctx: &Ctx, c: &Case) -> Checked {
    let input: AuditInput = parse("input", &c.input)?;
    let want: AuditExpect = parse("expect", &c.expect)?;
    let engine = engine(ctx)?;
    let mut auditor = Auditor::new(engine.clone(), input.as_of);
    let mut rejected = Vec::new();
    for (i, raw) in input.events.iter().enumerate() {
        let event: Event = serde_json::from_value(raw.clone())
            .map_err(|e| Bad::Vector(format!("event {}: {e}", i + 1)))?;
        if let Err(e) = auditor.push(&event) {
            rejected.push(Rejected {
                event: event.id_or(i as u64 + 1),
                code: e.code().to_owned(),
            });
        }
    }
    let mut undetermined: Vec<String> = auditor.undetermined().into_iter().map(|o| o.id).collect();
    undetermined.sort();
    let got: Vec<Value> = auditor
        .finish()
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect();
    let mut d = Diff::default();
    for v in &got {
        for field in [
            "category",
            "article",
            "department",
            "severity",
            "consequences",
            "events",
            "zh",
            "en",
        ] {
            if v.get(field).is_none() {
                d.push(format!("a violation without `{field}`: {v}"));
            }
        }
    }
    let (list, exact) = match (&want.violations, &want.violations_include) {
        (Some(l), None) => (l, true),
        (None, Some(l)) => (l, false),
        _ => {
            return Err(Bad::Vector(
                "give exactly one of `violations` and `violations_include`".to_owned(),
            ));
        }
    };
    let mut left: Vec<&Value> = got.iter().collect();
    if exact && list.len() != got.len() {
        d.push(format!(
            "violations: expected {}, got {}",
            list.len(),
            got.len()
        ));
    }
    for w in list {
        if let Some(i) = left.iter().position(|g| matches(w, g).is_empty()) {
            left.remove(i);
        } else {
            let near: Vec<String> = left
                .iter()
                .filter(|g| wire(g, "category") == w.category)
                .map(|g| matches(w, g).join(", "))
                .collect();
            d.push(format!(
                "violations: no {} by {} matches{}",
                w.category,
                w.department,
                if near.is_empty() {
                    String::new()
                } else {
                    format!(" (closest: {})", near.join(" | "))
                }
            ));
        }
    }
    if let Some(r) = &want.rejected
        && r != &rejected
    {
        d.push(format!("rejected: expected {r:?}, got {rejected:?}"));
    }
    if let Some(u) = &want.undetermined {
        let mut u = u.clone();
        u.sort();
        if u != undetermined {
            d.push(format!(
                "undetermined: expected {u:?}, got {undetermined:?}"
            ));
        }
    }
    Ok(d.finish(|| {
        let brief: Vec<String> = got
            .iter()
            .map(|v| {
                format!(
                    "{}/{}/{}/{}/due {}/{}/basis {}",
                    wire(v, "category"),
                    wire(v, "department"),
                    wire(v, "article"),
                    wire(v, "severity"),
                    wire(v, "due"),
                    wire(v, "consequences"),
                    wire(v, "basis")
                )
            })
            .collect();
        format!("{brief:?} rejected {rejected:?}")
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsageInput {
    events: Vec<Value>,
    provider: String,
    #[serde(default)]
    resource: Option<String>,
    #[serde(default)]
    from: Option<Moment>,
    #[serde(default)]
    until: Option<Moment>,
}

/// A row expected in a usage report (`first` and `last` compared as instants).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct UsageRowExpect {
    resource: String,
    department: String,
    purpose: String,
    grant: Option<String>,
    count: u64,
    first: Moment,
    last: Moment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsageExpect {
    /// Every row, in the report's order.
    #[serde(default)]
    rows: Option<Vec<UsageRowExpect>>,
    #[serde(default)]
    total: Option<u64>,
    #[serde(default)]
    citations: Option<Vec<String>>,
    /// The pack the report names (v2 §7).
    #[serde(default)]
    pack: Option<String>,
    /// Every notice, in log order.
    #[serde(default)]
    reported: Option<Vec<Rejected>>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) fn usage(ctx: &Ctx, c: &Case) -> Checked {
    let input: UsageInput = parse("input", &c.input)?;
    let want: UsageExpect = parse("expect", &c.expect)?;
    let engine = engine(ctx)?;
    let mut events = Vec::new();
    for (i, raw) in input.events.iter().enumerate() {
        let event: Event = serde_json::from_value(raw.clone())
            .map_err(|e| Bad::Vector(format!("event {}: {e}", i + 1)))?;
        events.push(event);
    }
    let got = govshare::audit::usage_report(
        engine,
        &events,
        &input.provider,
        input.resource.as_deref(),
        input.from,
        input.until,
    );
    if let Some(code) = &want.error {
        return expect_error(code, got);
    }
    let report = match got {
        Ok(r) => r,
        Err(e) => return Ok(Err(format!("unexpected error `{}`: {e}", e.code()))),
    };
    let mut d = Diff::default();
    if let Some(rows) = &want.rows {
        let same = rows.len() == report.rows.len()
            && rows.iter().zip(&report.rows).all(|(w, g)| {
                w.resource == g.resource
                    && w.department == g.department
                    && w.purpose == g.purpose
                    && w.grant == g.grant
                    && w.count == g.count
                    && w.first == g.first
                    && w.last == g.last
            });
        if !same {
            d.push(format!("rows: expected {rows:?}"));
        }
    }
    d.eq("total", want.total.as_ref(), &report.total);
    d.eq("citations", want.citations.as_ref(), &report.citations);
    d.eq("pack", want.pack.as_ref(), &report.pack);
    let reported: Vec<Rejected> = report
        .reported
        .iter()
        .map(|n| Rejected {
            event: n.event.clone(),
            code: n.code.clone(),
        })
        .collect();
    d.eq("reported", want.reported.as_ref(), &reported);
    Ok(d.finish(|| serde_json::to_string(&report).unwrap_or_default()))
}
