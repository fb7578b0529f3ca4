//! The precomputed tables behind the constant-time queries.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};

use super::CalendarError;
use super::data::{Notice, Source};

/// What the notices say about one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Said {
    /// Nothing: the ordinary Monday-to-Friday rule.
    Nothing,
    /// A rest day of a holiday.
    Rest,
    /// A working day by a notice (調休上班 on a weekend).
    Work,
}

/// One day's mark: what was said, under which holiday name and notice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    pub(crate) said: Said,
    /// Index into [`Table::names`].
    pub(crate) name: u32,
    /// Index into [`Table::notices`].
    pub(crate) notice: u32,
}

/// The calendar's tables: one entry per covered day, by day index
/// (`date.num_days_from_ce() - first_day`).
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) first: NaiveDate,
    pub(crate) last: NaiveDate,
    first_day: i32,
    /// `cum[i]` = working days among day indices `0..i` (so `cum.len()` = days + 1).
    cum: Vec<u32>,
    /// The day indices of the working days, in order.
    workdays: Vec<u32>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) names: Vec<Arc<str>>,
    pub(crate) notices: Vec<Notice>,
    /// The sources this table was built from (kept to build an extended table).
    pub(crate) sources: Vec<Source>,
}

impl Table {
    /// Builds the tables from checked sources, the first of which sets the coverage;
    /// later ones may extend it. Later notices replace earlier ones day by day.
    pub(crate) fn build(sources: Vec<Source>) -> Result<Self, CalendarError> {
        let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
        for s in &sources {
            first = match (first, s.first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            last = match (last, s.last) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        let name0 = sources.first().map(|s| s.name.clone()).unwrap_or_default();
        let missing = |field: &str| CalendarError::BadEntry {
            source_name: name0.clone(),
            entry: "coverage".into(),
            field: field.into(),
            reason: "the built-in data must say which years it covers".into(),
        };
        let first = first.ok_or_else(|| missing("first"))?;
        let last = last.ok_or_else(|| missing("last"))?;
        for s in &sources {
            s.check_within(first, last)?;
        }
        let first_day = first.num_days_from_ce();
        let days = usize::try_from(last.num_days_from_ce() - first_day + 1).unwrap_or(0);
        let mut marks = vec![
            Mark {
                said: Said::Nothing,
                name: 0,
                notice: 0
            };
            days
        ];
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut notices = Vec::new();
        let mut name_index = |n: &Arc<str>| -> u32 {
            let i = names.iter().position(|x| x == n).unwrap_or_else(|| {
                names.push(n.clone());
                names.len() - 1
            });
            u32::try_from(i).unwrap_or(u32::MAX)
        };
        let index = |d: NaiveDate| usize::try_from(d.num_days_from_ce() - first_day).ok();
        for s in &sources {
            for n in &s.notices {
                let notice = u32::try_from(notices.len()).unwrap_or(u32::MAX);
                for (name, from, to) in &n.rest {
                    let name = name_index(name);
                    for d in from.iter_days().take_while(|d| d <= to) {
                        if let Some(m) = index(d).and_then(|i| marks.get_mut(i)) {
                            *m = Mark {
                                said: Said::Rest,
                                name,
                                notice,
                            };
                        }
                    }
                }
                for (name, dates) in &n.work {
                    let name = name_index(name);
                    for d in dates {
                        if let Some(m) = index(*d).and_then(|i| marks.get_mut(i)) {
                            *m = Mark {
                                said: Said::Work,
                                name,
                                notice,
                            };
                        }
                    }
                }
                notices.push(n.clone());
            }
        }
        let mut cum = Vec::with_capacity(days + 1);
        let mut workdays = Vec::new();
        cum.push(0u32);
        let mut count = 0u32;
        for (i, (m, d)) in marks.iter().zip(first.iter_days()).enumerate() {
            if works(m.said, d) {
                count += 1;
                workdays.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
            cum.push(count);
        }
        Ok(Self {
            first,
            last,
            first_day,
            cum,
            workdays,
            marks,
            names,
            notices,
            sources,
        })
    }

    fn not_covered(&self, date: NaiveDate) -> CalendarError {
        CalendarError::NotCovered {
            date,
            first: self.first,
            last: self.last,
        }
    }

    /// The error for a count that runs past the last covered day.
    fn past_end(&self) -> CalendarError {
        self.not_covered(self.last.succ_opt().unwrap_or(self.last))
    }

    /// The day index of a covered date.
    #[inline]
    pub(crate) fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        let i = date.num_days_from_ce() - self.first_day;
        match usize::try_from(i) {
            Ok(i) if i < self.marks.len() => Ok(i),
            _ => Err(self.not_covered(date)),
        }
    }

    /// Working days among indices `0..=i` and whether `i` is one (`i` is in range).
    #[inline]
    fn count(&self, i: usize) -> (u32, bool) {
        let before = self.cum.get(i).copied().unwrap_or(0);
        let upto = self.cum.get(i + 1).copied().unwrap_or(before);
        (upto, upto > before)
    }

    #[inline]
    fn date_of(&self, i: u32) -> NaiveDate {
        // In range by construction: indices come from `workdays`.
        NaiveDate::from_num_days_from_ce_opt(self.first_day + i32::try_from(i).unwrap_or(0))
            .unwrap_or(self.last)
    }

    /// The `k`-th working day (0-based) of the table, if there is one.
    #[inline]
    fn nth_workday(&self, k: u64) -> Result<NaiveDate, CalendarError> {
        let k = usize::try_from(k).map_err(|_| self.past_end())?;
        self.workdays
            .get(k)
            .map(|&i| self.date_of(i))
            .ok_or_else(|| self.past_end())
    }

    #[inline]
    pub(crate) fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(date)?;
        Ok(self.count(i).1)
    }

    /// Working days in `(from, to]`, negative when `to < from`.
    #[inline]
    pub(crate) fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        let a = self.count(self.index(from)?).0;
        let b = self.count(self.index(to)?).0;
        Ok(i64::from(b) - i64::from(a))
    }

    /// The `n`-th working day after `start` (`n` = 0: `start`).
    #[inline]
    pub(crate) fn add_strict(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let (upto, _) = self.count(self.index(start)?);
        if n == 0 {
            return Ok(start);
        }
        self.nth_workday(u64::from(upto) + u64::from(n) - 1)
    }

    /// The `n`-th working day after the first working day on or after `start`.
    #[inline]
    pub(crate) fn add_day_zero(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        let (upto, work) = self.count(self.index(start)?);
        self.nth_workday(u64::from(upto) - u64::from(work) + u64::from(n))
    }

    /// The first working day strictly after `date`.
    #[inline]
    pub(crate) fn next_workday(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let (upto, _) = self.count(self.index(date)?);
        self.nth_workday(u64::from(upto))
    }

    /// What was said about a covered day.
    pub(crate) fn mark(&self, date: NaiveDate) -> Result<(Mark, bool), CalendarError> {
        let i = self.index(date)?;
        let m = self
            .marks
            .get(i)
            .copied()
            .ok_or_else(|| self.not_covered(date))?;
        Ok((m, self.count(i).1))
    }
}

/// Whether a day with this mark works.
fn works(said: Said, d: NaiveDate) -> bool {
    match said {
        Said::Rest => false,
        Said::Work => true,
        Said::Nothing => !is_weekend(d),
    }
}

pub(crate) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}
