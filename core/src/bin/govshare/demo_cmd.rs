//! `govshare demo`: decisions, applications with due dates across holidays,
//! obligations, Art. 20 and the audit, on the built-in Binzhou sample (the sample
//! registry and a year of platform events, 2019-03 to 2020-03, with registry changes).

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use govshare::audit::Auditor;
use govshare::calendar::{DayKind, WorkCalendar};
use govshare::policy::{AccessRequest, Decision, Engine, PolicyPack};
use govshare::registry::{Method, Registry};
use govshare::workflow::{Event, Ledger, ObligationKind, ObligationStatus};

use crate::audit_cmd::{pad, summary_table};

const REGISTRY: &str = include_str!("../../../../policies/binzhou/sample/registry.json");
const EVENTS: &str = include_str!("../../../../policies/binzhou/sample/events.jsonl");
const AS_OF: &str = "2020-03-31T23:59:59+08:00";
const NATIONAL_REGISTRY: &str =
    include_str!("../../../../policies/national-2025/sample/registry.json");
/// The national sample log (March 2026) and the moment of its audit.
const NATIONAL_EVENTS: &str =
    include_str!("../../../../policies/national-2025/sample/events.jsonl");
const NATIONAL_AS_OF: &str = "2026-04-30T00:00:00+08:00";
/// A moment under the national regulation, for the demo's last section.
const NATIONAL_AT: &str = "2026-03-02T10:00:00+08:00";

/// Arguments of `govshare demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {}

/// Runs `govshare demo`.
pub fn demo(_args: &DemoArgs) -> ExitCode {
    match run() {
        Ok(text) => crate::out::emit(&text, ExitCode::SUCCESS),
        Err(e) => crate::fail(&e),
    }
}

fn t(s: &str) -> Result<DateTime<FixedOffset>, govshare::Error> {
    DateTime::parse_from_rfc3339(s).map_err(|e| {
        govshare::Error::from(govshare::registry::RegistryError::Json(format!(
            "embedded time `{s}`: {e}"
        )))
    })
}

fn events() -> Result<Vec<Event>, govshare::Error> {
    parse_log(EVENTS)
}

/// An embedded event log, one event per line.
fn parse_log(log: &str) -> Result<Vec<Event>, govshare::Error> {
    log.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            Event::from_json_str(l).map_err(|e| {
                govshare::Error::from(govshare::registry::RegistryError::Json(format!(
                    "embedded events line {}: {e}",
                    i + 1
                )))
            })
        })
        .collect()
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn weekday(d: NaiveDate) -> &'static str {
    WEEKDAYS
        .get(d.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("")
}

fn holiday_en(name: &str) -> &str {
    match name {
        "國慶節" => "National Day",
        "春節" => "Spring Festival",
        "勞動節" => "Labour Day",
        "端午節" => "Dragon Boat Festival",
        "中秋節" => "Mid-Autumn Festival",
        "元旦" => "New Year",
        "清明節" => "Qingming",
        other => other,
    }
}

/// The holidays with rest days in `(from, to]`, as "國慶節 National Day".
fn holidays_between(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut d = from;
    while d < to {
        let Some(next) = d.succ_opt() else { break };
        d = next;
        if let Ok(info) = cal.day(d)
            && let DayKind::Holiday { name } = info.kind
        {
            let label = format!("{name} {}", holiday_en(&name));
            if !names.contains(&label) {
                names.push(label);
            }
        }
    }
    names
}

fn request(
    engine: &Engine,
    department: &str,
    resource: &str,
    purpose: &str,
    fields: Option<&[&str]>,
    at: DateTime<FixedOffset>,
) -> AccessRequest {
    let reg = engine.registry();
    AccessRequest {
        department: department.to_owned(),
        resource: resource.to_owned(),
        method: Method::OnlineQuery,
        purpose: purpose.to_owned(),
        fields: fields.map(|f| f.iter().map(|s| (*s).to_owned()).collect()),
        network: reg
            .resource(resource)
            .map_or(govshare::registry::Network::Extranet, |r| r.network),
        certificate: reg
            .department(department)
            .and_then(|d| d.certificates.first())
            .map(|c| c.serial.clone())
            .unwrap_or_default(),
        at,
    }
}

fn name(reg: &Registry, id: &str) -> String {
    reg.department(id)
        .map(|d| d.name.clone())
        .or_else(|| reg.resource(id).map(|r| r.name.clone()))
        .unwrap_or_else(|| id.to_owned())
}

fn decision_line(out: &mut String, reg: &Registry, req: &AccessRequest, d: &Decision) {
    let effect = match d.decision {
        govshare::policy::Effect::Permit => "准予 permit",
        govshare::policy::Effect::Deny => "拒絕 deny",
    };
    let route = serde_json::to_value(d.route)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {}（{}）→ {}（{}）用途 purpose `{}`，{}",
        name(reg, &req.department),
        req.department,
        name(reg, &req.resource),
        req.resource,
        req.purpose,
        req.at.date_naive()
    );
    let _ = write!(
        out,
        "    {effect}, route `{route}`, 條款 citations [{}]",
        d.citations.join(", ")
    );
    if let Some(g) = &d.grant {
        let _ = write!(out, ", grant `{g}`");
    }
    let _ = writeln!(out);
    for r in &d.reasons {
        let _ = writeln!(out, "    · 第{}條 {} / {}", r.article, r.zh, r.en);
    }
}

fn run() -> Result<String, govshare::Error> {
    let registry = Registry::from_json_str(REGISTRY)?;
    let pack = PolicyPack::binzhou();
    let manifest = pack.manifest().clone();
    let engine = Engine::from_pack(pack, registry);
    let reg = engine.registry().clone();
    let events = events()?;
    let as_of = t(AS_OF)?;
    let cal = WorkCalendar::china().with_rule(manifest.counting_rule);
    let mut out = String::new();

    let _ = writeln!(out, "《{}》govshare demo", manifest.title);
    let _ = writeln!(
        out,
        "Binzhou Municipal Measures for Government Information Resource Sharing (pack `{}`, in force {} to {})",
        manifest.name, manifest.valid_from, manifest.valid_until
    );
    let _ = writeln!(
        out,
        "樣例數據 sample data: {} 個部門 departments, {} 項目錄 catalog entries, {} 條事件 events ({} to {})",
        reg.departments().len(),
        reg.resources().len(),
        events.len(),
        events
            .first()
            .map(|e| e.at.date_naive().to_string())
            .unwrap_or_default(),
        events
            .last()
            .map(|e| e.at.date_naive().to_string())
            .unwrap_or_default(),
    );

    // 1. Decisions.
    let _ = writeln!(out, "\n一、共享決定 Access decisions");
    let before = t("2019-09-27T10:00:00+08:00")?;
    let cases: [(&str, &str, &str, Option<&[&str]>); 7] = [
        (
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
            None,
        ),
        (
            "city.market-regulation",
            "hr.social-insurance",
            "market-supervision",
            None,
        ),
        (
            "city.civil-affairs",
            "public-security.criminal-records",
            "social-assistance",
            Some(&["name", "id_number"]),
        ),
        (
            "city.market-regulation",
            "gov-office.supervision",
            "market-supervision",
            None,
        ),
        (
            "zone.bz-etdz.admin",
            "legal-entity.basic",
            "credit-rating",
            None,
        ),
        (
            "county.boxing.civil-affairs",
            "platform.assistance-profile",
            "social-assistance",
            None,
        ),
        (
            "city.housing",
            "legal-entity.basic",
            "housing-security",
            None,
        ),
    ];
    for (dept, res, purpose, fields) in cases {
        let req = request(&engine, dept, res, purpose, fields, before);
        let d = engine.decide(&req)?;
        decision_line(&mut out, &reg, &req, &d);
    }

    // 2. Applications, through the live (strict) workflow.
    let mut ledger = Ledger::new(engine.clone());
    let mut rejected = Vec::new();
    for e in &events {
        if e.at > as_of {
            ledger.skip_entry();
            continue;
        }
        if let Err(err) = ledger.apply(e) {
            rejected.push(format!("error[{}]: {err}", err.code()));
        }
    }
    let after = t("2019-10-12T10:00:00+08:00")?;
    let req = request(
        &engine,
        "city.market-regulation",
        "hr.social-insurance",
        "market-supervision",
        None,
        after,
    );
    let _ = writeln!(
        out,
        "  申請獲批之後 after application sq-2019-008 was approved:"
    );
    let d = ledger.engine().decide(&req)?;
    decision_line(&mut out, &reg, &req, &d);

    let state = ledger.state(as_of);
    let _ = writeln!(
        out,
        "\n二、共享申請 Applications (reply within {} working days) as of {}",
        manifest.reply_limit_workdays,
        as_of.date_naive()
    );
    for a in &state.applications {
        let opened = a.opened.date_naive();
        let _ = writeln!(
            out,
            "  {} {} → {}（{}）: {}",
            a.id,
            name(&reg, &a.department),
            name(&reg, &a.resource),
            a.resource,
            a.status.as_str()
        );
        let mut line = format!("    申請 applied {opened}（{}）", weekday(opened));
        match a.reply_due {
            Some(due) => {
                let _ = write!(line, "，答覆期限 reply due {due}（{}）", weekday(due));
                let hol = holidays_between(&cal, opened, due);
                if !hol.is_empty() {
                    let _ = write!(line, "，跨 across {}", hol.join("、"));
                }
            }
            None => line
                .push_str("，不予共享類：直接由市大數據中心協調 not shared: coordination directly"),
        }
        if let Some(r) = a.replied {
            let _ = write!(line, "，答覆 replied {}", r.date_naive());
        }
        if a.reply_late {
            let _ = write!(
                line,
                "，逾期 late {} 個工作日 working days",
                a.reply_late_workdays.unwrap_or(0)
            );
        }
        if let Some(g) = &a.grant {
            let _ = write!(line, "，授權 grant `{g}`");
        }
        if let Some(r) = &a.reason {
            let _ = write!(line, "，理由 reason：{r}");
        }
        let _ = writeln!(out, "{line}");
    }
    if !rejected.is_empty() {
        let _ = writeln!(out, "  平台拒收的事件 events the live workflow rejected:");
        for r in &rejected {
            let _ = writeln!(out, "    {r}");
        }
    }

    // 3. Obligations.
    let _ = writeln!(
        out,
        "\n三、義務 Obligations (Art. {}: catalog within {} working days; Art. {}: filed; Art. {}: within the resource's update limit)",
        manifest.duties.catalog_update_after_change.join(", "),
        manifest.catalog_update_workdays,
        manifest.duties.catalog_filing.join(", "),
        manifest.duties.data_provision.join(", "),
    );
    for o in &state.obligations {
        let on_time_provision = o.kind == ObligationKind::DataProvision && !o.late;
        if on_time_provision {
            continue;
        }
        let opened = o.opened.date_naive();
        let what = match o.kind {
            ObligationKind::CatalogUpdate => "更新目錄 catalog update",
            ObligationKind::CatalogFiling => "目錄備案 catalog filing",
            ObligationKind::DataProvision => "提供數據 data provision",
            ObligationKind::InconsistencyCorrection => "校核更正 correction",
            ObligationKind::FirstProvision => "首次提供數據 first provision",
            ObligationKind::IncidentReport => "報告安全問題 incident report",
            ObligationKind::DataDelivery => "完成共享 delivery",
            ObligationKind::CatalogReview => "審核目錄 catalog review",
            ObligationKind::Verification => "校核 verification",
        };
        let mut line = format!(
            "  第{}條 Art. {} {what}: {}（{}）{}，起 from {opened}",
            o.article,
            o.article,
            name(&reg, &o.department),
            o.department,
            o.resource
                .as_deref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default()
        );
        if let Some(due) = o.due {
            let _ = write!(line, "，期限 due {due}（{}）", weekday(due));
            let hol = holidays_between(&cal, opened, due);
            if !hol.is_empty() {
                let _ = write!(line, "，跨 across {}", hol.join("、"));
            }
        }
        match (o.status, o.fulfilled) {
            (ObligationStatus::Fulfilled, Some(f)) => {
                let _ = write!(line, "，完成 done {}", f.date_naive());
            }
            _ => line.push_str("，未完成 open"),
        }
        if o.late {
            let _ = write!(
                line,
                "，逾期 late {} 個工作日 working days",
                o.late_workdays.unwrap_or(0)
            );
        }
        let _ = writeln!(out, "{line}");
    }
    let provisions = state
        .obligations
        .iter()
        .filter(|o| o.kind == ObligationKind::DataProvision && !o.late)
        .count();
    let _ = writeln!(
        out,
        "  （另有 {provisions} 次按時提供數據 and {provisions} on-time data provisions）"
    );

    // 4. Art. 20.
    let _ = writeln!(
        out,
        "\n四、校核期間照常辦理 Art. {}: serving a person while data is verified",
        manifest.answers.must_serve.as_deref().unwrap_or("-")
    );
    for proof in [true, false] {
        let ans = ledger.must_serve("population.basic", proof, as_of);
        let _ = writeln!(
            out,
            "  population.basic，證明材料 proof {}: must_serve = {}，citations [{}]\n    {}\n    {}",
            if proof {
                "有效 valid"
            } else {
                "未提供 none"
            },
            ans.must_serve,
            ans.citations.join(", "),
            ans.zh,
            ans.en
        );
    }

    // 5. Audit.
    let mut auditor = Auditor::new(engine, as_of);
    let mut audit_errors = Vec::new();
    for e in &events {
        if let Err(err) = auditor.push(e) {
            audit_errors.push(format!("error[{}]: {err}", err.code()));
        }
    }
    let violations = auditor.finish();
    let _ = writeln!(
        out,
        "\n五、審計 Audit as of {}: {} violations",
        as_of.date_naive(),
        violations.len()
    );
    out.push_str(&summary_table(&reg, &violations, &manifest.audit.summary));
    violation_lines(&mut out, &violations);
    for e in &audit_errors {
        let _ = writeln!(out, "  {e}");
    }
    national(&mut out)?;
    national_workflow(&mut out)?;
    Ok(out)
}

/// The violations, one block each: article, category, severity, events and
/// what follows, then the Chinese and English texts.
fn violation_lines(out: &mut String, violations: &[govshare::audit::Violation]) {
    let _ = writeln!(out, "\n  違規明細 Violations:");
    for v in violations {
        let severity = match v.severity {
            govshare::audit::Severity::Ordinary => "一般 ordinary",
            govshare::audit::Severity::Serious => "嚴重 serious",
        };
        let consequences: Vec<String> = v
            .consequences
            .iter()
            .filter_map(|c| serde_json::to_value(c).ok())
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        let _ = writeln!(
            out,
            "  {} {} [{}] {} → {}",
            pad(&format!("Art.{}", v.article), 9),
            v.category.as_str(),
            severity,
            v.events.join(","),
            consequences.join(", ")
        );
        let _ = writeln!(out, "      {}", v.zh);
        let _ = writeln!(out, "      {}", v.en);
    }
}

/// Section seven: the national sample log of March 2026 through the audit over
/// the built-in timeline: the applications as they stand, then the violations
/// of Art. 39–42.
fn national_workflow(out: &mut String) -> Result<(), govshare::Error> {
    let engine = Engine::builtin_timeline(Registry::from_json_str(NATIONAL_REGISTRY)?)?;
    let reg = engine.registry().clone();
    let as_of = t(NATIONAL_AS_OF)?;
    let national = PolicyPack::national_2025();
    let log = parse_log(NATIONAL_EVENTS)?;
    // The applications as a lenient ledger holds them (the audit's own ledger
    // forgets the finished ones as it goes).
    let mut ledger = govshare::workflow::Ledger::lenient(engine.clone());
    for event in &log {
        let _ = ledger.apply(event);
    }
    let state = ledger.state(as_of);
    let mut auditor = govshare::audit::Auditor::new(engine, as_of);
    let mut refused = Vec::new();
    for event in &log {
        if let Err(e) = auditor.push(event) {
            refused.push(format!("error[{}]: {e}", e.code()));
        }
    }
    let _ = writeln!(
        out,
        "\n七、國家條例下的申請與審計 Applications and the audit under the national regulation, as of {}",
        as_of.date_naive()
    );
    for a in &state.applications {
        let _ = writeln!(
            out,
            "  {} {} → {}（{}）: {}{}{}",
            a.id,
            name(&reg, &a.department),
            a.resource,
            name(&reg, &a.provider),
            a.status.as_str(),
            a.reply_due
                .map(|d| format!(", 答覆期限 reply due {d}"))
                .unwrap_or_default(),
            if a.reply_late { " 逾期 late" } else { "" }
        );
    }
    let violations = auditor.finish();
    let _ = writeln!(out, "  {} violations", violations.len());
    out.push_str(&summary_table(
        &reg,
        &violations,
        &national.manifest().audit.summary,
    ));
    violation_lines(out, &violations);
    for e in &refused {
        let _ = writeln!(out, "  {e}");
    }
    Ok(())
}

/// Section six: the same kind of questions in 2026, under the national
/// regulation of 2025 (the built-in timeline answers each moment with the pack
/// in force).
fn national(out: &mut String) -> Result<(), govshare::Error> {
    let engine = Engine::builtin_timeline(Registry::from_json_str(NATIONAL_REGISTRY)?)?;
    let at = t(NATIONAL_AT)?;
    let national = PolicyPack::national_2025();
    let m = national.manifest();
    let _ = writeln!(
        out,
        "\n六、《{}》 The national regulation (pack `{}`, in force from {}), {}",
        m.title,
        m.name,
        m.valid_from,
        at.date_naive()
    );
    let reg = engine.registry().clone();
    let asks: [(&str, &str, &str, Option<&[&str]>); 5] = [
        // Even unconditional data is applied for (Art. 20¶2, 21¶1).
        (
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
            None,
        ),
        // Within the provider's consent (Art. 25).
        (
            "city.civil-affairs",
            "hr.social-insurance",
            "social-assistance",
            Some(&["name", "contribution_status"]),
        ),
        // A Big Data Center coordination of Binzhou is no consent now.
        (
            "city.market-regulation",
            "civil-affairs.marriage",
            "market-supervision",
            None,
        ),
        // Not shared by law: nothing opens it (Art. 14(3), 15¶2).
        (
            "city.civil-affairs",
            "public-security.criminal-records",
            "social-assistance",
            None,
        ),
        // A state secret is outside the regulation (Art. 3).
        (
            "city.civil-affairs",
            "public-security.case-intelligence",
            "social-assistance",
            None,
        ),
    ];
    for (dept, res, purpose, fields) in asks {
        let req = request(&engine, dept, res, purpose, fields, at);
        let d = engine.decide(&req)?;
        decision_line(out, &reg, &req, &d);
    }
    Ok(())
}
