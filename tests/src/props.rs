//! Property checks over untrusted input, for the fuzz targets in `fuzz/` and the
//! property tests (the test oracle: it lives in the test crate, not in the
//! published `govshare`). Each function takes raw or structured input, runs it through the
//! public API and returns the first property it finds broken, as a
//! [`PropertyViolation`]; the fuzz target turns that into a crash. None of them
//! panics on bad input: bad input must be an error, and an error is fine.
//!
//! The properties:
//! - nothing panics;
//! - anything accepted round-trips through JSON (registry, request, decision);
//! - a rejected event leaves the state unchanged (workflow);
//! - no permit without a rule that cites an article, and every permit is one the
//!   SPEC §2 allows (certificate, network, purpose, grant scope, coordination,
//!   derived approvals);
//! - working-day arithmetic is consistent (`add_workdays` lands on a working day
//!   `n` working days later).

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};

use govshare::calendar::{CountingRule, WorkCalendar};
use govshare::policy::{AccessRequest, DecideOptions, Decision, Effect, Engine, PolicyPack, Route};
use govshare::registry::{GrantSource, Registry, RegistryDoc, Sharing};

/// A broken property: what was expected and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyViolation(pub String);

impl std::fmt::Display for PropertyViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Checked = Result<(), PropertyViolation>;

fn violation(msg: impl Into<String>) -> Checked {
    Err(PropertyViolation(msg.into()))
}

/// The sample registry (`policies/binzhou/sample/registry.json`).
pub const SAMPLE_REGISTRY: &str = include_str!("../../policies/binzhou/sample/registry.json");

/// An engine over the built-in pack and the sample registry, built once.
pub fn sample_engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let registry = Registry::from_json_str(SAMPLE_REGISTRY).ok()?;
            Engine::new(PolicyPack::binzhou(), registry).ok()
        })
        .as_ref()
}

/// Whether `s` is an article citation like `17`, `4(2)`, `30(2)`.
pub fn is_article(s: &str) -> bool {
    let (num, rest) = s.split_at(s.find('(').unwrap_or(s.len()));
    let num_ok = !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit());
    let rest_ok = rest.is_empty()
        || (rest.len() > 2
            && rest.starts_with('(')
            && rest.ends_with(')')
            && rest
                .get(1..rest.len() - 1)
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())));
    num_ok && rest_ok
}

/// A registry in JSON: loading never panics, and an accepted registry
/// round-trips through JSON to the same document.
pub fn registry_json(text: &str) -> Checked {
    let Ok(registry) = Registry::from_json_str(text) else {
        return Ok(());
    };
    let json = serde_json::to_string(registry.doc())
        .map_err(|e| PropertyViolation(format!("an accepted registry does not serialise: {e}")))?;
    let again = Registry::from_json_str(&json).map_err(|e| {
        PropertyViolation(format!(
            "an accepted registry does not load again from its JSON: {e}\n{json}"
        ))
    })?;
    if again.doc() != registry.doc() {
        return violation(format!("registry JSON round trip changed it:\n{json}"));
    }
    let doc: RegistryDoc = serde_json::from_str(&json)
        .map_err(|e| PropertyViolation(format!("registry doc does not parse again: {e}")))?;
    if &doc != registry.doc() {
        return violation("registry doc JSON round trip changed it");
    }
    Ok(())
}

/// A request in JSON: parsing never panics; an accepted request round-trips
/// through JSON and is decided against the sample registry (outside the pack's
/// validity too) with every decision property of [`decision`].
pub fn request_json(text: &str) -> Checked {
    let Ok(request) = serde_json::from_str::<AccessRequest>(text) else {
        return Ok(());
    };
    let json = serde_json::to_string(&request)
        .map_err(|e| PropertyViolation(format!("an accepted request does not serialise: {e}")))?;
    let again: AccessRequest = serde_json::from_str(&json).map_err(|e| {
        PropertyViolation(format!(
            "an accepted request does not parse again: {e}\n{json}"
        ))
    })?;
    if again != request {
        return violation(format!("request JSON round trip changed it:\n{json}"));
    }
    decide_sample(&request)
}

/// Decides `request` against the sample registry (evaluating outside the
/// pack's validity too) and checks the decision.
pub fn decide_sample(request: &AccessRequest) -> Checked {
    let Some(engine) = sample_engine() else {
        return violation("the sample registry does not load");
    };
    let options = DecideOptions {
        evaluate_out_of_force: true,
    };
    match engine.decide_with(request, options) {
        Ok(d) => decision(engine, request, &d),
        Err(e) => match e.code() {
            "policy.unknown_department" | "policy.unknown_resource" => Ok(()),
            other => violation(format!("decide failed with `{other}`: {e}")),
        },
    }
}

/// The properties of one decision of the Binzhou pack (SPEC §2):
/// - citations are never empty and are all articles; every reason's article is cited;
/// - a permit routes `direct` or `granted`, a deny routes `apply`, `coordinate` or `none`;
/// - a grant is named exactly on a granted permit;
/// - no permit unless the certificate is the registered, valid, unrevoked one,
///   the network is the resource's and the purpose is a duty;
/// - a direct permit to someone other than the provider is on an unconditional,
///   non-secret, non-derived resource, or on open fields of a conditional one;
/// - a granted permit uses an existing grant of this department on this
///   resource, active at `at`, holding the purpose, the method and the fields;
///   from coordination for a not-shared resource; approved by the provider and
///   the Big Data Center for a derived one;
/// - the decision round-trips through JSON.
pub fn decision(engine: &Engine, req: &AccessRequest, d: &Decision) -> Checked {
    if d.citations.is_empty() {
        return violation("a decision without citations");
    }
    if let Some(a) = d.citations.iter().find(|a| !is_article(a)) {
        return violation(format!("citation `{a}` is not an article"));
    }
    if d.reasons.is_empty() {
        return violation("a decision without reasons");
    }
    if let Some(r) = d.reasons.iter().find(|r| !d.citations.contains(&r.article)) {
        return violation(format!(
            "reason `{}` cites `{}`, not in citations",
            r.code, r.article
        ));
    }
    let json = serde_json::to_string(d)
        .map_err(|e| PropertyViolation(format!("a decision does not serialise: {e}")))?;
    let again: Decision = serde_json::from_str(&json)
        .map_err(|e| PropertyViolation(format!("a decision does not parse again: {e}")))?;
    if &again != d {
        return violation("decision JSON round trip changed it");
    }
    match d.decision {
        Effect::Deny => {
            if !matches!(d.route, Route::Apply | Route::Coordinate | Route::None) {
                return violation(format!("a deny with route {:?}", d.route));
            }
            if d.grant.is_some() {
                return violation("a deny names a grant");
            }
            // Every failing check carries its route and remedy; the decision's
            // route is the first of none, coordinate, apply among them (SPEC v2 §2).
            if let Some(r) = d
                .reasons
                .iter()
                .find(|r| r.route.is_none() || r.remedy.is_none())
            {
                return violation(format!(
                    "deny reason `{}` lacks a route or a remedy",
                    r.code
                ));
            }
            let expected = [Route::None, Route::Coordinate, Route::Apply]
                .into_iter()
                .find(|want| d.reasons.iter().any(|r| r.route == Some(*want)));
            if expected.is_some_and(|e| e != d.route) {
                return violation(format!(
                    "a deny with route {:?} where its reasons give {expected:?}",
                    d.route
                ));
            }
            Ok(())
        }
        Effect::Permit => permit(engine, req, d),
    }
}

fn permit(engine: &Engine, req: &AccessRequest, d: &Decision) -> Checked {
    let reg = engine.registry();
    let (Some(dept), Some(res)) = (reg.department(&req.department), reg.resource(&req.resource))
    else {
        return violation("a permit for an unknown department or resource");
    };
    let Some(cert) = dept.certificate(&req.certificate) else {
        return violation("a permit without a registered certificate (Art. 26)");
    };
    if req.certificate.trim().is_empty() || !cert.valid_at(req.at) {
        return violation("a permit with a wrong, revoked or invalid certificate (Art. 26)");
    }
    if req.network != res.network {
        return violation("a permit on the wrong network (Art. 8)");
    }
    if !dept.duties.contains(&req.purpose) {
        return violation("a permit for a purpose outside the duties (Art. 4(2))");
    }
    let own = res.provider == dept.id;
    let requested: Vec<&String> = match &req.fields {
        Some(f) if !f.is_empty() => f.iter().collect(),
        _ => res.fields.iter().collect(),
    };
    if !requested.iter().all(|f| res.fields.contains(f)) {
        return violation("a permit for a field not in the catalog (Art. 12)");
    }
    let secret = res.has_sensitivity(govshare::registry::Sensitivity::StateSecret);
    if secret && req.network != govshare::registry::Network::Intranet {
        return violation("a state secret permitted off the intranet (Art. 8, 4(1))");
    }
    let quarantined = govshare::registry::resource_findings(
        res,
        govshare::policy::PolicyPack::binzhou().findings(),
    )
    .iter()
    .any(|f| f.severity == govshare::registry::FindingSeverity::Error);
    if !own && quarantined {
        return violation("a quarantined resource permitted to another department (Art. 12)");
    }
    match (d.route, &d.grant) {
        (Route::Direct, None) => {
            if own {
                return Ok(());
            }
            let plain = res.sharing == Sharing::Unconditional
                && !secret
                && (!res.derived || res.database == govshare::registry::Database::Basic);
            // The open part fails closed: a non-empty request inside a non-empty
            // open part of a conditional resource (SPEC v2 §2).
            let open = res.sharing == Sharing::Conditional
                && !secret
                && !res.derived
                && !requested.is_empty()
                && !res.open_fields.is_empty()
                && requested.iter().all(|f| res.open_fields.contains(f));
            if plain || open {
                Ok(())
            } else {
                violation("a direct permit on a resource that needs a grant (Art. 5, 17, 21, 4(1))")
            }
        }
        (Route::Granted, Some(id)) => {
            if own {
                return violation("a provider's own resource routed through a grant");
            }
            let Some(g) = reg.grant(id) else {
                return violation(format!("permit under unknown grant `{id}`"));
            };
            if g.department != dept.id || g.resource != res.id {
                return violation(format!(
                    "grant `{id}` is for another department or resource"
                ));
            }
            if !g.active_at(req.at) {
                return violation(format!("grant `{id}` is not active at the request"));
            }
            if !g.purposes.contains(&req.purpose) {
                return violation(format!("grant `{id}` does not hold the purpose"));
            }
            if !g.methods.is_empty() && !g.methods.contains(&req.method) {
                return violation(format!("grant `{id}` does not hold the method"));
            }
            let needed = |f: &String| secret || res.derived || !res.open_fields.contains(f);
            if !g.fields.is_empty()
                && !requested
                    .iter()
                    .filter(|f| needed(f))
                    .all(|f| g.fields.contains(f))
            {
                return violation(format!("grant `{id}` does not cover the fields"));
            }
            if secret
                && (res.sharing == Sharing::NotShared || !g.approved_by(GrantSource::ProviderReply))
            {
                return violation(format!(
                    "a state secret opened by grant `{id}`, not by its provider's reply (Art. 4(1))"
                ));
            }
            if res.sharing == Sharing::NotShared
                && !(g.approved_by(GrantSource::BigDataCenter)
                    || g.approved_by(GrantSource::CityGovernmentOffice))
            {
                return violation(format!(
                    "not-shared resource under non-coordination grant `{id}`"
                ));
            }
            if res.derived
                && !(g.approved_by(GrantSource::ProviderReply)
                    && g.approved_by(GrantSource::BigDataCenter))
            {
                return violation(format!(
                    "derived resource under grant `{id}` without both approvals (Art. 21)"
                ));
            }
            if res.derived && dept.restricted {
                return violation("a restricted department got a derived resource (Art. 21)");
            }
            Ok(())
        }
        (route, grant) => violation(format!("a permit with route {route:?} and grant {grant:?}")),
    }
}

/// A calendar override file (TOML or JSON): loading never panics; with an
/// accepted file, for each probe `(date, n)` inside the coverage,
/// `add_workdays(date, n)` is not before `date`, is a working day when `n > 0`,
/// and `workdays_between(date, due) == n`; under either counting rule nothing panics.
pub fn calendar_overrides(text: &str, json: bool, probes: &[(NaiveDate, u32)]) -> Checked {
    let base = WorkCalendar::china();
    let loaded = if json {
        base.with_overrides_json(text)
    } else {
        base.with_overrides_toml(text)
    };
    let Ok(cal) = loaded else {
        return Ok(());
    };
    for &(date, n) in probes {
        workday_arithmetic(&cal, date, n)?;
        let _ = cal
            .with_rule(CountingRule::NextWorkdayIsDayZero)
            .add_workdays(date, n);
    }
    Ok(())
}

/// The working-day arithmetic properties of [`calendar_overrides`] on one calendar.
pub fn workday_arithmetic(cal: &WorkCalendar, date: NaiveDate, n: u32) -> Checked {
    let strict = cal.with_rule(CountingRule::Strict);
    let Ok(due) = strict.add_workdays(date, n) else {
        return Ok(());
    };
    if due < date {
        return violation(format!(
            "add_workdays({date}, {n}) = {due} is before the start"
        ));
    }
    if n > 0 && !strict.is_workday(due).unwrap_or(false) {
        return violation(format!(
            "add_workdays({date}, {n}) = {due} is not a working day"
        ));
    }
    match strict.workdays_between(date, due) {
        Ok(k) if k == i64::from(n) => {}
        other => {
            return violation(format!(
                "workdays_between({date}, {due}) = {other:?}, expected {n}"
            ));
        }
    }
    match strict.workdays_between(due, date) {
        Ok(k) if k == -i64::from(n) => Ok(()),
        other => violation(format!(
            "workdays_between({due}, {date}) = {other:?}, expected -{n}"
        )),
    }
}

/// One file of a policy pack replaced by `text` (`which`: 0 a policy file added
/// to the Binzhou policies, 1 the manifest, 2 the schema, 3 the only policy
/// file, 4 the catalog findings): loading never panics; an accepted pack decides a set of requests over
/// the sample registry without panicking, and every decision cites articles.
pub fn policy_pack_text(which: u8, text: &str) -> Checked {
    const MANIFEST: &str = include_str!("../../policies/binzhou/manifest.toml");
    const SCHEMA: &str = include_str!("../../policies/binzhou/schema.cedarschema");
    const CHECKS: &str = include_str!("../../policies/binzhou/checks.cedar");
    const SHARING: &str = include_str!("../../policies/binzhou/sharing.cedar");
    const OPEN: &str = include_str!("../../policies/binzhou/open_data.cedar");
    const FINDINGS: &str = include_str!("../../policies/binzhou/findings.toml");
    let mut files: Vec<(String, String)> = vec![
        ("manifest.toml".to_owned(), MANIFEST.to_owned()),
        ("schema.cedarschema".to_owned(), SCHEMA.to_owned()),
        ("findings.toml".to_owned(), FINDINGS.to_owned()),
    ];
    let binzhou = [
        ("checks.cedar", CHECKS),
        ("sharing.cedar", SHARING),
        ("open_data.cedar", OPEN),
    ];
    match which % 5 {
        0 => {
            files.extend(
                binzhou
                    .iter()
                    .map(|(n, t)| ((*n).to_owned(), (*t).to_owned())),
            );
            files.push(("fuzz.cedar".to_owned(), text.to_owned()));
        }
        1 => {
            files.extend(
                binzhou
                    .iter()
                    .map(|(n, t)| ((*n).to_owned(), (*t).to_owned())),
            );
            if let Some(m) = files.first_mut() {
                m.1 = text.to_owned();
            }
        }
        2 => {
            files.extend(
                binzhou
                    .iter()
                    .map(|(n, t)| ((*n).to_owned(), (*t).to_owned())),
            );
            if let Some(s) = files.get_mut(1) {
                s.1 = text.to_owned();
            }
        }
        3 => files.push(("only.cedar".to_owned(), text.to_owned())),
        _ => {
            files.extend(
                binzhou
                    .iter()
                    .map(|(n, t)| ((*n).to_owned(), (*t).to_owned())),
            );
            if let Some(f) = files.get_mut(2) {
                f.1 = text.to_owned();
            }
        }
    }
    let Ok(pack) = PolicyPack::from_files(files) else {
        return Ok(());
    };
    let Ok(registry) = Registry::from_json_str(SAMPLE_REGISTRY) else {
        return violation("the sample registry does not load");
    };
    let Ok(engine) = Engine::new(pack, registry) else {
        return Ok(());
    };
    let options = DecideOptions {
        evaluate_out_of_force: true,
    };
    for req in sample_requests() {
        let Ok(d) = engine.decide_with(&req, options) else {
            continue;
        };
        if d.citations.is_empty() || d.citations.iter().any(|a| !is_article(a)) {
            return violation(format!(
                "a decision of a loaded pack cites {:?}",
                d.citations
            ));
        }
        if d.decision == Effect::Permit && !matches!(d.route, Route::Direct | Route::Granted) {
            return violation(format!("a permit with route {:?}", d.route));
        }
    }
    Ok(())
}

/// A policy file (`which` even) or the schema (`which` odd) built by wrapping a
/// core expression or type in `layers` (outermost first: kind, repeat count):
/// brackets, `if`s, and operator chains that nest without brackets. Properties:
/// loading never panics nor overflows the stack (the pack is also dropped here,
/// on the caller's thread); the scan ([`govshare::limits::scan_pack_text`]) counts
/// at least the brackets, `if`s and operators that were built; a file over
/// [`govshare::limits::MAX_PACK_FILE_BYTES`], [`govshare::limits::MAX_PACK_NESTING`]
/// or [`govshare::limits::MAX_PACK_OPERATORS`] is refused as such, naming the file,
/// and a file within them never is.
pub fn policy_pack_nesting(which: u8, layers: &[(u8, u16)]) -> Checked {
    use govshare::limits::{MAX_PACK_FILE_BYTES, MAX_PACK_NESTING, MAX_PACK_OPERATORS};
    const MANIFEST: &str = include_str!("../../policies/binzhou/manifest.toml");
    const SCHEMA: &str = include_str!("../../policies/binzhou/schema.cedarschema");
    const CHECKS: &str = include_str!("../../policies/binzhou/checks.cedar");
    // Innermost first, so that each layer wraps what is built so far.
    let schema = which % 2 == 1;
    let mut text = if schema { "Long" } else { "true" }.to_owned();
    let mut built = 1usize; // `when {` or `entity Deep {`
    let mut operators = 0usize;
    'layers: for &(kind, count) in layers.iter().rev() {
        for _ in 0..count % 4097 {
            if text.len() > 2 * MAX_PACK_FILE_BYTES {
                break 'layers;
            }
            // (text, nesting levels, operators) of each wrapping.
            let (wrapped, levels, ops) = if schema {
                match kind % 3 {
                    0 => (format!("Set<{text}>"), 1, 0),
                    1 => (format!("{{a: {text}}}"), 1, 0),
                    _ => (format!("{{a: Long, b: {text}}}"), 1, 0),
                }
            } else {
                match kind % 16 {
                    0 => (format!("({text})"), 1, 0),
                    1 => (format!("if true then {text} else false"), 1, 0),
                    2 => (format!("if false then true else {text}"), 1, 0),
                    3 => (format!("[{text}].contains(true)"), 1, 1),
                    4 => (format!("{{a: {text}}}.a"), 1, 1),
                    5 => (format!("!{text}"), 0, 0),
                    6 => (format!("true && {text}"), 0, 1),
                    7 => (format!("{text} && true"), 0, 1),
                    8 => (format!("{text} || false"), 0, 1),
                    9 => (format!("{text} == true"), 0, 1),
                    10 => (format!("if {text} then true else false"), 1, 0),
                    11 => (format!("-{text}"), 0, 1),
                    12 => (format!("{text} has a"), 0, 1),
                    13 => (format!("{text}.a"), 0, 1),
                    14 => (format!("{text} + 1"), 0, 1),
                    _ => (format!("ip({text})"), 1, 0),
                }
            };
            text = wrapped;
            built += levels;
            operators += ops;
        }
    }
    let (name, file) = if schema {
        (
            "schema.cedarschema",
            format!("{SCHEMA}\nentity Deep {{ a: {text} }};\n"),
        )
    } else {
        (
            "deep.cedar",
            format!(
                "@id(\"deep\")\n@article(\"22\")\n@code(\"deep\")\n@zh(\"深\")\n@en(\"deep\")\n\
                 permit (principal, action == Gov::Action::\"publish_open_data\", resource)\n\
                 when {{ {text} }};\n"
            ),
        )
    };
    let scan = govshare::limits::scan_pack_text(&file, schema);
    // The policy's own `==` in its scope; the schema's operators are not counted.
    let operators = if schema { 0 } else { operators + 1 };
    if scan.depth < built || scan.operators < operators {
        return violation(format!(
            "the scan found {} levels and {} operators in {name}, {built} and {operators} were built",
            scan.depth, scan.operators
        ));
    }
    let mut files = vec![
        ("manifest.toml".to_owned(), MANIFEST.to_owned()),
        ("checks.cedar".to_owned(), CHECKS.to_owned()),
    ];
    if schema {
        files.push((name.to_owned(), file.clone()));
    } else {
        files.push(("schema.cedarschema".to_owned(), SCHEMA.to_owned()));
        files.push((name.to_owned(), file.clone()));
    }
    let result = PolicyPack::from_files(files);
    let code = result
        .as_ref()
        .err()
        .map(govshare::policy::PolicyError::code);
    let named = result
        .as_ref()
        .err()
        .is_some_and(|e| e.to_string().contains(&format!("`{name}`")));
    drop(result);
    let expected = if file.len() > MAX_PACK_FILE_BYTES {
        Some("limits.too_large")
    } else if scan.depth > MAX_PACK_NESTING {
        Some("limits.too_deep")
    } else if scan.operators > MAX_PACK_OPERATORS {
        Some("limits.too_many")
    } else {
        None
    };
    let limited = code.is_some_and(|c| c.starts_with("limits."));
    match expected {
        Some(want) if code != Some(want) || !named => violation(format!(
            "{name} ({} bytes, {} levels, {} operators) should be {want}, loading gave {code:?}",
            file.len(),
            scan.depth,
            scan.operators
        )),
        None if limited => violation(format!(
            "{name} ({} bytes, {} levels, {} operators) is within the pack limits but loading gave {code:?}",
            file.len(),
            scan.depth,
            scan.operators
        )),
        _ => Ok(()),
    }
}

/// A spread of requests over the sample registry: every department asks for
/// every resource, for its first duty, with its own certificate, on the
/// resource's network, on 2020-06-15.
pub fn sample_requests() -> Vec<AccessRequest> {
    let Some(engine) = sample_engine() else {
        return Vec::new();
    };
    let reg = engine.registry();
    let at = at_china(2020, 6, 15, 10);
    let mut out = Vec::new();
    for d in reg.departments() {
        for r in reg.resources() {
            out.push(AccessRequest {
                department: d.id.clone(),
                resource: r.id.clone(),
                method: govshare::registry::Method::OnlineQuery,
                purpose: d.duties.first().cloned().unwrap_or_default(),
                fields: None,
                network: r.network,
                certificate: d
                    .valid_certificate(at)
                    .map(|c| c.serial.clone())
                    .unwrap_or_default(),
                at,
            });
        }
    }
    out
}

/// `y-m-d h:00` China time; the Unix epoch if the date does not exist.
pub fn at_china(y: i32, m: u32, d: u32, h: u32) -> DateTime<FixedOffset> {
    let offset = govshare::calendar::CHINA_OFFSET;
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(h, 0, 0))
        .and_then(|t| t.and_local_timezone(offset).single())
        .unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&offset))
}

/// A moment `minutes` after 2017-01-01 00:00 China time (clamped to about 12 years).
pub fn moment_from_minutes(minutes: u32) -> DateTime<FixedOffset> {
    at_china(2017, 1, 1, 0) + Duration::minutes(i64::from(minutes % (12 * 366 * 24 * 60)))
}

/// An event log over `engine` (SPEC §4, §5):
/// - every event round-trips through JSON;
/// - an event a strict ledger rejects leaves its state unchanged;
/// - every grant the workflow creates is a valid grant: decisions over the
///   ledger's engine for the granted department and resource keep every
///   [`decision`] property;
/// - the audit never panics, and every violation has its category's article,
///   at least one consequence and at least one event.
pub fn event_log(
    engine: &Engine,
    events: &[govshare::workflow::Event],
    as_of: DateTime<FixedOffset>,
) -> Checked {
    use govshare::workflow::{Event, Ledger};
    let mut ledger = Ledger::new(engine.clone());
    for (i, e) in events.iter().enumerate() {
        let json = serde_json::to_string(e)
            .map_err(|err| PropertyViolation(format!("event {i} does not serialise: {err}")))?;
        let again = Event::from_json_str(&json).map_err(|err| {
            PropertyViolation(format!("event {i} does not parse again: {err}\n{json}"))
        })?;
        if &again != e {
            return violation(format!("event {i} JSON round trip changed it:\n{json}"));
        }
        let before = ledger.state(as_of);
        let position = ledger.position();
        if ledger.apply(e).is_err() {
            if ledger.state(as_of) != before {
                return violation(format!(
                    "rejected event {i} changed the ledger state:\n{json}"
                ));
            }
            if ledger.position() != position + 1 {
                return violation(format!("rejected event {i} did not take its log position"));
            }
        }
    }
    let granted = ledger.engine();
    let state = ledger.state(as_of);
    for app in state.applications.iter().filter(|a| a.grant.is_some()) {
        let Some(g) = app
            .grant
            .as_ref()
            .and_then(|id| granted.registry().grant(id))
        else {
            return violation(format!(
                "application `{}` names a grant the engine lacks",
                app.id
            ));
        };
        let Some(dept) = granted.registry().department(&g.department) else {
            return violation(format!("grant `{}` names an unknown department", g.id));
        };
        let Some(res) = granted.registry().resource(&g.resource) else {
            return violation(format!("grant `{}` names an unknown resource", g.id));
        };
        let request = AccessRequest {
            department: dept.id.clone(),
            resource: res.id.clone(),
            method: g
                .methods
                .first()
                .copied()
                .unwrap_or(govshare::registry::Method::OnlineQuery),
            purpose: g.purposes.first().cloned().unwrap_or_default(),
            fields: (!g.fields.is_empty()).then(|| g.fields.clone()),
            network: res.network,
            certificate: dept
                .valid_certificate(g.from)
                .map(|c| c.serial.clone())
                .unwrap_or_default(),
            at: g.from,
        };
        let options = DecideOptions {
            evaluate_out_of_force: true,
        };
        if let Ok(d) = granted.decide_with(&request, options) {
            decision(&granted, &request, &d)?;
        }
    }
    let Ok(found) = govshare::audit::audit(engine.clone(), events, as_of) else {
        return Ok(());
    };
    for v in &found {
        let table = engine
            .pack()
            .manifest()
            .category(v.category)
            .map(|s| s.article.clone())
            .unwrap_or_default();
        if v.article != table || v.basis.first() != Some(&table) {
            return violation(format!(
                "violation {} cites `{}` (basis {:?}), the pack's table says `{table}`",
                v.category.as_str(),
                v.article,
                v.basis
            ));
        }
        if v.consequences.is_empty() || v.events.is_empty() || v.department.is_empty() {
            return violation(format!(
                "violation {} without consequences, events or department",
                v.category.as_str()
            ));
        }
        let json = serde_json::to_string(v)
            .map_err(|err| PropertyViolation(format!("a violation does not serialise: {err}")))?;
        if !json.contains("\"category\"") {
            return violation("a violation's JSON has no category");
        }
    }
    Ok(())
}

/// An event log as JSON lines over the sample registry, audited as of the last
/// event: lines that do not parse are skipped; the rest go through [`event_log`].
pub fn event_log_json(text: &str) -> Checked {
    let Some(engine) = sample_engine() else {
        return violation("the sample registry does not load");
    };
    let events: Vec<govshare::workflow::Event> = text
        .lines()
        .filter_map(|l| govshare::workflow::Event::from_json_str(l).ok())
        .collect();
    let as_of = events
        .iter()
        .map(|e| e.at)
        .max()
        .unwrap_or_else(|| at_china(2020, 6, 15, 10));
    let as_of = as_of
        .checked_add_signed(Duration::days(30))
        .unwrap_or(as_of);
    event_log(engine, &events, as_of)
}
