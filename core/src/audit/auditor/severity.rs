//! Severity and consequences (SPEC v2 §5): serious when over the pack's lateness
//! threshold, when the department reaches the pack's repeat count of one category
//! within its window, or when a state secret is involved; then what follows.

use std::collections::{HashMap, VecDeque};

use chrono::{Months, NaiveDate};

use super::texts;
use super::{Auditor, Draft, dept_name};
use crate::audit::{Category, Consequence, Severity, Violation};
use crate::policy::Engine;

impl Auditor {
    /// Every finding, ordered by when it happened, with its severity and
    /// consequences.
    pub(super) fn judge(&mut self) -> Vec<Violation> {
        let mut drafts = std::mem::take(&mut self.drafts);
        drafts.sort_by_key(|d| (d.occurred, d.seq));
        let engine = self.ledger.base_engine().clone();
        let mut history: HashMap<(String, Category), VecDeque<NaiveDate>> = HashMap::new();
        let s = &self.manifest.severity;
        let repeat = s.serious_repeat.max(1) as usize;
        let doubtful = &self.doubtful;
        let mut out = Vec::with_capacity(drafts.len());
        for d in drafts {
            let window = history
                .entry((d.department.clone(), d.category))
                .or_default();
            let since = d
                .occurred
                .checked_sub_months(Months::new(s.serious_window_months))
                .unwrap_or(NaiveDate::MIN);
            while window.front().is_some_and(|&t| t <= since) {
                window.pop_front();
            }
            // A finding of an event out of order counts for itself, never towards
            // another finding's repeat (SPEC §4 Order).
            let count = if d.events.iter().any(|e| doubtful.contains(e)) {
                window.len() + 1
            } else {
                window.push_back(d.occurred);
                window.len()
            };
            let mut because = Vec::new();
            if d.late_workdays
                .is_some_and(|n| n > i64::from(s.serious_lateness))
            {
                because.push("lateness".to_owned());
            }
            if count >= repeat {
                because.push("repeat".to_owned());
            }
            if d.secret {
                because.push("state_secret".to_owned());
            }
            // Only the last `serious_repeat` findings matter for the next count.
            while window.len() > repeat {
                window.pop_front();
            }
            let severity = if because.is_empty() {
                Severity::Ordinary
            } else {
                Severity::Serious
            };
            out.push(self.finish_one(&engine, d, severity, because));
        }
        out
    }

    fn finish_one(
        &self,
        engine: &Engine,
        d: Draft,
        severity: Severity,
        because: Vec<String>,
    ) -> Violation {
        let a = &self.manifest.audit;
        let lapsed = self.as_of_day > self.manifest.valid_until;
        let mut consequences = Vec::new();
        if d.category != Category::ProjectWithoutCatalog {
            consequences.push(Consequence::UrgeCorrection);
            if severity == Severity::Serious {
                consequences.push(Consequence::DisciplinaryReferral);
            }
        }
        for c in d.extra {
            // A restriction is not offered after the pack lapsed (SPEC v2 §5).
            if c == Consequence::RestrictDerivedAccess && lapsed {
                continue;
            }
            if !consequences.contains(&c) {
                consequences.push(c);
            }
        }
        let urged_by = consequences
            .contains(&Consequence::UrgeCorrection)
            .then(|| {
                let violator_urges = engine
                    .registry()
                    .department(&d.department)
                    .is_some_and(|dep| dep.has_role(a.urged_by));
                if violator_urges {
                    a.urged_by_when_violator
                } else {
                    a.urged_by
                }
            });
        let name = dept_name(engine, &d.department);
        let (cite_zh, cite_en) = texts::cite(&d.basis);
        let zh = format!("{name}{}{cite_zh}", d.detail_zh);
        let en = format!("{}{}{cite_en}", d.department, d.detail_en);
        Violation {
            category: d.category,
            article: d.basis.first().cloned().unwrap_or_default(),
            department: d.department,
            severity,
            consequences,
            due: d.due,
            events: d.events,
            zh,
            en,
            basis: d.basis,
            occurred: d.occurred,
            pack: d
                .pack
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| self.manifest.name.clone()),
            pack_lapsed: lapsed,
            reading: d.reading,
            urged_by,
            checks: d.checks,
            resource: d.resource,
            application: d.application,
            late_workdays: d.late_workdays,
            serious_because: because,
        }
    }
}
