//! The data file format (core/data/README.md): parsing and checking, entry by entry.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::CalendarError;

/// The whole file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: Option<u32>,
    coverage: Option<RawCoverage>,
    #[serde(default)]
    notice: Vec<RawNotice>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoverage {
    first: Option<String>,
    last: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    document: String,
    title: Option<String>,
    issued: Option<String>,
    #[serde(default)]
    rest: Vec<RawRest>,
    #[serde(default)]
    work: Vec<RawWork>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRest {
    name: String,
    from: String,
    to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWork {
    name: String,
    dates: Vec<String>,
}

/// One notice, checked.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) document: Arc<str>,
    pub(crate) title: Option<Arc<str>>,
    pub(crate) issued: Option<NaiveDate>,
    /// (holiday name, first day, last day), inclusive.
    pub(crate) rest: Vec<(Arc<str>, NaiveDate, NaiveDate)>,
    /// (holiday name, days worked).
    pub(crate) work: Vec<(Arc<str>, Vec<NaiveDate>)>,
}

/// A checked file: its coverage (if it sets one) and its notices.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) first: Option<NaiveDate>,
    pub(crate) last: Option<NaiveDate>,
    pub(crate) notices: Vec<Notice>,
}

/// The earliest and latest years a calendar may cover (keeps the tables small).
const MIN_YEAR: i32 = 1949;
const MAX_YEAR: i32 = 2200;
/// The longest rest span a notice may give (the longest ever given is 10 days).
const MAX_SPAN_DAYS: i64 = 31;

/// The syntax of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Json,
}

/// Parses and checks a data or override file. Coverage of the dates is checked
/// later, by [`Source::check_within`], once the combined coverage is known.
pub(crate) fn parse(text: &str, format: Format, name: &str) -> Result<Source, CalendarError> {
    let raw: RawFile = match format {
        Format::Toml => toml::from_str(text).map_err(|e| CalendarError::Syntax {
            source_name: name.to_owned(),
            reason: e.to_string().trim_end().replace('\n', " "),
        })?,
        Format::Json => serde_json::from_str(text).map_err(|e| CalendarError::Syntax {
            source_name: name.to_owned(),
            reason: e.to_string(),
        })?,
    };
    let bad = |entry: &str, field: &str, reason: String| CalendarError::BadEntry {
        source_name: name.to_owned(),
        entry: entry.to_owned(),
        field: field.to_owned(),
        reason,
    };
    if let Some(f) = raw.format
        && f != 1
    {
        return Err(bad(
            "file",
            "format",
            format!("format `{f}` is not supported (only 1)"),
        ));
    }
    let (mut first, mut last) = (None, None);
    if let Some(cov) = &raw.coverage {
        if let Some(s) = &cov.first {
            let d = date(s).map_err(|r| bad("coverage", "first", r))?;
            if (d.month(), d.day()) != (1, 1) {
                return Err(bad(
                    "coverage",
                    "first",
                    format!("`{d}` is not a 1 January: coverage is by whole years"),
                ));
            }
            first = Some(d);
        }
        if let Some(s) = &cov.last {
            let d = date(s).map_err(|r| bad("coverage", "last", r))?;
            if (d.month(), d.day()) != (12, 31) {
                return Err(bad(
                    "coverage",
                    "last",
                    format!("`{d}` is not a 31 December: coverage is by whole years"),
                ));
            }
            last = Some(d);
        }
        for (field, d) in [("first", first), ("last", last)] {
            if let Some(d) = d
                && !(MIN_YEAR..=MAX_YEAR).contains(&d.year())
            {
                return Err(bad(
                    "coverage",
                    field,
                    format!("year {} is outside {MIN_YEAR} to {MAX_YEAR}", d.year()),
                ));
            }
        }
        if let (Some(f), Some(l)) = (first, last)
            && l < f
        {
            return Err(bad(
                "coverage",
                "last",
                format!("`{l}` is before `first` `{f}`"),
            ));
        }
    }
    let mut notices = Vec::with_capacity(raw.notice.len());
    for (i, n) in raw.notice.iter().enumerate() {
        let entry = format!("notice[{i}] ({})", n.document);
        let document = n.document.trim();
        if document.is_empty() {
            return Err(bad(
                &format!("notice[{i}]"),
                "document",
                "the document number is empty".into(),
            ));
        }
        let issued = match &n.issued {
            Some(s) => Some(date(s).map_err(|r| bad(&entry, "issued", r))?),
            None => None,
        };
        let mut rest = Vec::with_capacity(n.rest.len());
        for (j, r) in n.rest.iter().enumerate() {
            let label =
                holiday_name(&r.name).map_err(|e| bad(&entry, &format!("rest[{j}].name"), e))?;
            let from = date(&r.from).map_err(|e| bad(&entry, &format!("rest[{j}].from"), e))?;
            let to = match &r.to {
                Some(s) => date(s).map_err(|e| bad(&entry, &format!("rest[{j}].to"), e))?,
                None => from,
            };
            if to < from {
                return Err(bad(
                    &entry,
                    &format!("rest[{j}].to"),
                    format!("`{to}` is before `from` `{from}`"),
                ));
            }
            if (to - from).num_days() >= MAX_SPAN_DAYS {
                return Err(bad(
                    &entry,
                    &format!("rest[{j}].to"),
                    format!("a rest span of more than {MAX_SPAN_DAYS} days (`{from}` to `{to}`)"),
                ));
            }
            rest.push((label, from, to));
        }
        let mut work = Vec::new();
        for (j, w) in n.work.iter().enumerate() {
            let label =
                holiday_name(&w.name).map_err(|e| bad(&entry, &format!("work[{j}].name"), e))?;
            if w.dates.is_empty() {
                return Err(bad(&entry, &format!("work[{j}].dates"), "no dates".into()));
            }
            let mut dates = Vec::with_capacity(w.dates.len());
            for (k, s) in w.dates.iter().enumerate() {
                let field = format!("work[{j}].dates[{k}]");
                let d = date(s).map_err(|e| bad(&entry, &field, e))?;
                if let Some((_, f, t)) = rest.iter().find(|(_, f, t)| (*f..=*t).contains(&d)) {
                    return Err(bad(
                        &entry,
                        &field,
                        format!("`{d}` is also a rest day of this notice (`{f}` to `{t}`)"),
                    ));
                }
                dates.push(d);
            }
            work.push((label, dates));
        }
        notices.push(Notice {
            document: Arc::from(document),
            title: n.title.as_deref().map(Arc::from),
            issued,
            rest,
            work,
        });
    }
    Ok(Source {
        name: name.to_owned(),
        first,
        last,
        notices,
    })
}

impl Source {
    /// Every date of every notice must lie in `first..=last`.
    pub(crate) fn check_within(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<(), CalendarError> {
        let outside = |d: NaiveDate| d < first || d > last;
        for (i, n) in self.notices.iter().enumerate() {
            let err = |field: String, d: NaiveDate| CalendarError::BadEntry {
                source_name: self.name.clone(),
                entry: format!("notice[{i}] ({})", n.document),
                field,
                reason: format!(
                    "`{d}` is outside the calendar's coverage ({first} to {last}): extend it with [coverage] `last`"
                ),
            };
            for (j, (_, f, t)) in n.rest.iter().enumerate() {
                if outside(*f) {
                    return Err(err(format!("rest[{j}].from"), *f));
                }
                if outside(*t) {
                    return Err(err(format!("rest[{j}].to"), *t));
                }
            }
            for (j, (_, dates)) in n.work.iter().enumerate() {
                for (k, d) in dates.iter().enumerate() {
                    if outside(*d) {
                        return Err(err(format!("work[{j}].dates[{k}]"), *d));
                    }
                }
            }
        }
        Ok(())
    }
}

fn date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(format!("`{s}` is not a date (YYYY-MM-DD)"));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn holiday_name(s: &str) -> Result<Arc<str>, String> {
    let t = s.trim();
    if t.is_empty() {
        Err("the holiday name is empty".into())
    } else {
        Ok(Arc::from(t))
    }
}
