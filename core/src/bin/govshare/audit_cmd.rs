//! `govshare audit`: the violations in an event log, one JSON object per line, or a
//! table per department and article for a person.

use govshare::error::CommandErrorKind;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use govshare::audit::{Auditor, Severity, Violation};
use govshare::policy::SummaryColumn;
use govshare::registry::Registry;

use crate::out::Out;
use crate::workflow_cmd::{load_engine, parse_time, read_events, status};

/// Arguments of `govshare audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// The event log, one JSON object per line.
    pub events: PathBuf,
    /// The moment of the audit (RFC 3339).
    #[arg(long)]
    pub as_of: String,
    /// Print a table per department and article instead of JSON lines.
    #[arg(long)]
    pub summary: bool,
    /// A built-in pack (`binzhou`, `national-2025`) or a pack folder, forced for
    /// every event; by default the built-in timeline, each event judged under
    /// the pack in force at its `at`.
    #[arg(long, value_name = "NAME_OR_DIR")]
    pub pack: Option<String>,
}

/// Runs `govshare audit`.
pub fn audit(args: &AuditArgs) -> ExitCode {
    match run(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run(args: &AuditArgs) -> Result<ExitCode, ExitCode> {
    let engine = load_engine(&args.registry, args.pack.as_deref())?;
    let as_of = parse_time("as-of", &args.as_of)?;
    let registry = engine.registry().clone();
    // The columns of every pack of the timeline, in order (SPEC v2 §7: a log
    // over both regulations is counted by the articles of each).
    let pack_columns: Vec<(String, Vec<SummaryColumn>)> = engine
        .packs()
        .into_iter()
        .map(|p| (p.name().to_owned(), p.manifest().audit.summary.clone()))
        .collect();
    let mut auditor = Auditor::new(engine, as_of);
    let mut refused = 0;
    let unreadable = read_events(&args.events, |event| match event {
        Some(event) => {
            if let Err(e) = auditor.push(&event) {
                crate::out::err(&format!("error[{}]: {e}", e.code()));
                refused += 1;
            }
        }
        None => auditor.skip_entry(),
    })?;
    // SPEC v2 §4 Order: events out of order are audited in log order, and said.
    for r in auditor.reported() {
        let when = |t: Option<chrono::DateTime<chrono::FixedOffset>>| {
            t.map(|t| t.to_rfc3339()).unwrap_or_default()
        };
        if r.code == "out_of_order" {
            crate::out::err(&format!(
                "warning[{}]: event `{}` dated {} is earlier than the event before it ({}); audited in log order",
                r.code,
                r.event,
                when(r.at),
                when(r.previous)
            ));
        } else {
            // SPEC v2 §5: reported, not a violation.
            crate::out::err(&format!(
                "warning[{}]: event `{}`{}",
                r.code,
                r.event,
                r.reason
                    .as_deref()
                    .map(|why| format!(": {why}"))
                    .unwrap_or_default()
            ));
        }
    }
    // SPEC v2 §3, §5: a duty whose due date is unknown is never a violation.
    for o in auditor.undetermined() {
        crate::out::err(&format!(
            "warning[undetermined]: duty `{}` of {}: due date unknown ({})",
            o.id,
            o.department,
            o.due_unknown.as_deref().unwrap_or("")
        ));
    }
    let status = status(unreadable + refused);
    let violations = auditor.finish();
    if args.summary {
        let judged: std::collections::BTreeSet<&str> =
            violations.iter().map(|v| v.pack.as_str()).collect();
        let mut columns: Vec<SummaryColumn> = pack_columns
            .iter()
            .filter(|(name, _)| judged.contains(name.as_str()))
            .flat_map(|(_, c)| c.iter().cloned())
            .collect();
        if columns.is_empty() {
            columns = pack_columns
                .first()
                .map(|(_, c)| c.clone())
                .unwrap_or_default();
        }
        // Only counts per department and article: a small table.
        return Ok(crate::out::emit(
            &summary_table(&registry, &violations, &columns),
            status,
        ));
    }
    // One line at a time, each violation dropped once written: nothing but the
    // auditor's result is held whole.
    let mut out = Out::new();
    for v in violations {
        let line = match serde_json::to_string(&v) {
            Ok(line) => line,
            Err(e) => return Err(crate::fail_with(CommandErrorKind::Json, &e.to_string())),
        };
        if let Err(stop) = out.line(&line) {
            return Ok(stop.exit(status));
        }
    }
    Ok(out
        .flush()
        .map_or_else(|stop| stop.exit(status), |()| status))
}

/// A table per department (rows) and article (columns, the pack's
/// `audit.summary`, with their Chinese and English labels): counts, with the
/// serious ones in brackets.
pub(crate) fn summary_table(
    registry: &Registry,
    violations: &[Violation],
    columns: &[SummaryColumn],
) -> String {
    let articles: Vec<(&str, &str, &str)> = columns
        .iter()
        .map(|c| (c.article.as_str(), c.zh.as_str(), c.en.as_str()))
        .collect();
    let mut rows: BTreeMap<&str, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
    for v in violations {
        let cell = rows
            .entry(v.department.as_str())
            .or_default()
            .entry(v.article.as_str())
            .or_default();
        cell.0 += 1;
        if v.severity == Severity::Serious {
            cell.1 += 1;
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "違規統計 Violations by department and article（n [嚴重 serious]）"
    );
    let names: BTreeMap<&str, String> = rows
        .keys()
        .map(|dept| {
            let name = registry
                .department(dept)
                .map_or_else(String::new, |d| d.name.clone());
            (*dept, format!("{name} {dept}"))
        })
        .collect();
    let width = names
        .values()
        .map(|n| display_width(n))
        .max()
        .unwrap_or(0)
        .max(16);
    let mut header = pad("部門 department", width);
    let mut zh_row = pad("", width);
    let mut en_row = pad("", width);
    for &(art, zh, en) in &articles {
        let _ = write!(header, " {}", right(&format!("Art.{art}"), 11));
        let _ = write!(zh_row, " {}", right(zh, 11));
        let _ = write!(en_row, " {}", right(en, 11));
    }
    let _ = write!(header, " {}", right("合計", 9));
    let _ = write!(en_row, " {}", right("total", 9));
    for row in [header, zh_row, en_row] {
        let _ = writeln!(out, "{}", row.trim_end());
    }
    let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (dept, cells) in &rows {
        let mut line = pad(names.get(dept).map_or("", String::as_str), width);
        let mut sum = (0, 0);
        for &(art, _, _) in &articles {
            let (n, s) = cells.get(art).copied().unwrap_or_default();
            let t = totals.entry(art).or_default();
            t.0 += n;
            t.1 += s;
            sum.0 += n;
            sum.1 += s;
            let _ = write!(line, " {:>11}", cell(n, s));
        }
        let _ = write!(line, " {:>9}", cell(sum.0, sum.1));
        let _ = writeln!(out, "{line}");
    }
    let mut line = pad("合計 total", width);
    let mut sum = (0, 0);
    for &(art, _, _) in &articles {
        let (n, s) = totals.get(art).copied().unwrap_or_default();
        sum.0 += n;
        sum.1 += s;
        let _ = write!(line, " {:>11}", cell(n, s));
    }
    let _ = write!(line, " {:>9}", cell(sum.0, sum.1));
    let _ = writeln!(out, "{line}");
    out
}

fn cell(n: usize, serious: usize) -> String {
    match (n, serious) {
        (0, _) => "-".to_owned(),
        (n, 0) => n.to_string(),
        (n, s) => format!("{n} [{s}]"),
    }
}

/// The display width of `s`, counting CJK characters as two columns.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Right-aligns to a display width, counting CJK characters as two columns.
pub(crate) fn right(s: &str, width: usize) -> String {
    let w = display_width(s);
    let mut out = String::new();
    for _ in w..width {
        out.push(' ');
    }
    out.push_str(s);
    out
}

/// Pads to a display width, counting CJK characters as two columns.
pub(crate) fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    let mut out = s.to_owned();
    for _ in w..width {
        out.push(' ');
    }
    out
}
