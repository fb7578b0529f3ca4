//! `govshare deadline` and `govshare calendar`.

use govshare::error::CommandErrorKind;
use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::{DateTime, Datelike, NaiveDate};
use govshare::calendar::{CountingRule, DayInfo, DayKind, WorkCalendar};

/// Arguments of `govshare deadline`.
#[derive(Debug, clap::Args)]
pub struct DeadlineArgs {
    /// A date (YYYY-MM-DD, China date) or an RFC 3339 time (converted to China time).
    pub start: String,
    /// The number of working days.
    pub workdays: u32,
    /// The counting rule: `strict` (SPEC §3, the default) or `next_workday_is_day_zero`.
    #[arg(long, default_value = "strict")]
    pub rule: String,
    /// An override file (TOML, or JSON when it ends in .json) adding years or local arrangements.
    #[arg(long)]
    pub overrides: Option<std::path::PathBuf>,
    /// Print the deadline time (24:00 China time of the due day, RFC 3339) instead of the date.
    #[arg(long)]
    pub time: bool,
}

/// Arguments of `govshare calendar`.
#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The month, YYYY-MM.
    #[arg(required_unless_present = "days")]
    pub month: Option<String>,
    /// Instead of a month, list every day of the years FROM to TO, one line each:
    /// `date<TAB>work|rest<TAB>kind<TAB>name<TAB>notice`.
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"], conflicts_with = "month")]
    pub days: Option<Vec<i32>>,
    /// Print the month as JSON (the `MonthView` shape).
    #[arg(long, conflicts_with = "days")]
    pub json: bool,
    /// An override file (TOML, or JSON when it ends in .json) adding years or local arrangements.
    #[arg(long)]
    pub overrides: Option<std::path::PathBuf>,
}

fn calendar_with(overrides: Option<&std::path::Path>) -> Result<WorkCalendar, ExitCode> {
    let cal = WorkCalendar::china();
    match overrides {
        Some(p) => cal
            .with_overrides_path(p)
            .map_err(|e| crate::fail(&govshare::Error::from(e))),
        None => Ok(cal),
    }
}

/// Runs `govshare deadline`.
pub fn deadline(args: &DeadlineArgs) -> ExitCode {
    let rule = match args.rule.as_str() {
        "strict" => CountingRule::Strict,
        "next_workday_is_day_zero" | "next-workday-is-day-zero" => {
            CountingRule::NextWorkdayIsDayZero
        }
        other => {
            return crate::fail_with(
                CommandErrorKind::BadArgument,
                &format!(
                    "unknown rule `{other}` (expected `strict` or `next_workday_is_day_zero`)"
                ),
            );
        }
    };
    let cal = match calendar_with(args.overrides.as_deref()) {
        Ok(c) => c.with_rule(rule),
        Err(code) => return code,
    };
    let start = args.start.trim();
    let at = if let Ok(date) = NaiveDate::parse_from_str(start, "%Y-%m-%d") {
        date.and_hms_opt(12, 0, 0).map(|t| {
            DateTime::from_naive_utc_and_offset(
                t - chrono::TimeDelta::hours(8),
                govshare::calendar::CHINA_OFFSET,
            )
        })
    } else {
        DateTime::parse_from_rfc3339(start).ok()
    };
    let Some(at) = at else {
        return crate::fail_with(
            CommandErrorKind::BadArgument,
            &format!("`{start}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time"),
        );
    };
    let result = if args.time {
        cal.deadline(at, args.workdays).map(|t| t.to_rfc3339())
    } else {
        cal.due_date(at, args.workdays).map(|d| d.to_string())
    };
    match result {
        Ok(s) => crate::out::emit(&format!("{s}\n"), ExitCode::SUCCESS),
        Err(e) => crate::fail(&govshare::Error::from(e)),
    }
}

/// Runs `govshare calendar`.
pub fn calendar(args: &CalendarArgs) -> ExitCode {
    let cal = match calendar_with(args.overrides.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(years) = &args.days {
        let (from, to) = match years.as_slice() {
            [a, b] => (*a, *b),
            _ => {
                return crate::fail_with(CommandErrorKind::BadArgument, "`--days` takes two years");
            }
        };
        return match days(&cal, from, to) {
            Ok(text) => crate::out::emit(&text, ExitCode::SUCCESS),
            Err(e) => crate::fail(&govshare::Error::from(e)),
        };
    }
    let month = args.month.as_deref().unwrap_or_default().trim();
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|_| month.len() == 7);
    let Some((year, mon)) = parsed else {
        return crate::fail_with(
            CommandErrorKind::BadArgument,
            &format!("`{month}` is not a month (YYYY-MM)"),
        );
    };
    let view = match cal.month(year, mon) {
        Ok(v) => v,
        Err(e) => return crate::fail(&govshare::Error::from(e)),
    };
    if args.json {
        return match serde_json::to_string_pretty(&view) {
            Ok(s) => crate::out::emit(&format!("{s}\n"), ExitCode::SUCCESS),
            Err(e) => crate::fail_with(CommandErrorKind::Output, &e.to_string()),
        };
    }
    crate::out::emit(&grid(year, mon, &view.days), ExitCode::SUCCESS)
}

/// Every day of the years `from..=to`, one line each.
fn days(
    cal: &WorkCalendar,
    from: i32,
    to: i32,
) -> Result<String, govshare::calendar::CalendarError> {
    let mut out = String::new();
    let (Some(a), Some(b)) = (
        NaiveDate::from_ymd_opt(from, 1, 1),
        NaiveDate::from_ymd_opt(to, 12, 31),
    ) else {
        return Ok(out);
    };
    for d in a.iter_days().take_while(|d| *d <= b) {
        let info = cal.day(d)?;
        let (kind, name) = match &info.kind {
            DayKind::Workday => ("workday", ""),
            DayKind::Weekend => ("weekend", ""),
            DayKind::Holiday { name } => ("holiday", name.as_str()),
            DayKind::AdjustedWorkday { name } => ("adjusted_workday", name.as_str()),
            _ => ("other", ""),
        };
        let _ = writeln!(
            out,
            "{d}\t{}\t{kind}\t{name}\t{}",
            if info.workday { "work" } else { "rest" },
            info.notice.as_deref().unwrap_or("")
        );
    }
    Ok(out)
}

/// A `cal`-like grid (weeks from Monday), `*` on rest days of a holiday, `+` on
/// adjusted working days, and a legend naming the holidays and their notices.
fn grid(year: i32, month: u32, days: &[DayInfo]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:>21}年{:02}月", year, month);
    out.push_str("  一   二   三   四   五   六   日\n");
    let lead = days
        .first()
        .map_or(0, |d| d.date.weekday().num_days_from_monday() as usize);
    let mut line = "     ".repeat(lead);
    for d in days {
        let mark = match d.kind {
            DayKind::Holiday { .. } => '*',
            DayKind::AdjustedWorkday { .. } => '+',
            _ => ' ',
        };
        let _ = write!(line, "{:>3}{mark} ", d.date.day());
        if d.date.weekday().num_days_from_monday() == 6 {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clear();
        }
    }
    if !line.trim().is_empty() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    // Legend: one line per (holiday, notice), in order of first appearance.
    let mut groups: Vec<(String, String, Vec<NaiveDate>, Vec<NaiveDate>)> = Vec::new();
    for d in days {
        let (name, rest) = match &d.kind {
            DayKind::Holiday { name } => (name, true),
            DayKind::AdjustedWorkday { name } => (name, false),
            _ => continue,
        };
        let notice = d.notice.clone().unwrap_or_default();
        let i = match groups.iter().position(|g| &g.0 == name && g.1 == notice) {
            Some(i) => i,
            None => {
                groups.push((name.clone(), notice, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        if let Some(g) = groups.get_mut(i) {
            if rest {
                g.2.push(d.date)
            } else {
                g.3.push(d.date)
            }
        }
    }
    out.push('\n');
    out.push_str("* 休 rest day   + 班 adjusted working day (調休上班)\n");
    for (name, notice, rest, work) in &groups {
        let mut parts = Vec::new();
        if !rest.is_empty() {
            parts.push(format!("休 {}", ranges(rest)));
        }
        if !work.is_empty() {
            parts.push(format!("調休上班 {}", ranges(work)));
        }
        let _ = writeln!(out, "{name}: {} ({notice})", parts.join("; "));
    }
    if groups.is_empty() {
        out.push_str("no holiday this month\n");
    }
    out
}

/// `01-24–01-30, 02-02` from sorted dates.
fn ranges(dates: &[NaiveDate]) -> String {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in dates {
        match spans.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
            _ => spans.push((d, d)),
        }
    }
    spans
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.format("%m-%d").to_string()
            } else {
                format!("{}–{}", a.format("%m-%d"), b.format("%m-%d"))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
