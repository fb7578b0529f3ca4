//! The provider's usage report (Art. 27, SPEC v2 §4, §8): how the provider's
//! information was used.
//!
//! Art. 27: 「提供部門有權向使用部門了解共享信息使用情況」 — the provider may learn how
//! its information is used. A [`UsageReporter`] reads an event log (streaming) and
//! counts the `usage` events of the provider's resources in a period, grouped by
//! resource, using department, purpose and grant, each row with its count and the
//! first and last `at`. [`usage_report`] does it in one call. (Art. 27's first
//! sentence, the users' periodic feedback to the Big Data Center, 應當定期, is not
//! modelled.)
//!
//! **Whose resource.** A usage counts for the provider the resource had **at the
//! moment of the usage**: the registry given is the state before the first event;
//! `resource_catalogued` and `resource_changed` set a resource's provider from their
//! own `at`, and after `resource_withdrawn` the resource is gone (a later usage of
//! it is not counted, and is reported). Events take effect in log order (SPEC §4).
//! A registry change is applied exactly as a ledger applies it: one the ledger
//! rejects (a duplicate or unknown id, an unknown department as provider, a change
//! adding an error finding, SPEC v2 §6) is not applied, and is reported
//! (`registry_change_rejected`, with the ledger's reason), so the report and the
//! audit agree on whose resource it was.
//!
//! **The period** is `[from, until]`, both ends included, compared as instants;
//! either end may be open.
//!
//! **Order and ids (SPEC §4), the audit's lenient habit.** An event dated earlier
//! than the event before it is applied in log order and reported (`out_of_order`).
//! An event repeating the id of an earlier event (an event without `id` has its
//! 1-based position as id) is ignored, never counted twice, and reported
//! (`duplicate_event`). A usage in the period of a resource that is not in the
//! catalog at that moment is not counted and is reported: `resource_withdrawn` (when
//! it was withdrawn as the provider's, or it is the resource asked about) or
//! `unknown_resource`. The department a usage names is not checked: the provider is
//! told of every user.
//!
//! ```
//! use govshare::audit::{UsageReporter, usage_report};
//! use govshare::policy::{Engine, PolicyPack};
//! use govshare::registry::Registry;
//! use govshare::workflow::Event;
//!
//! let registry = Registry::from_path(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../policies/binzhou/sample/registry.json"
//! ))?;
//! let engine = Engine::new(PolicyPack::binzhou(), registry)?;
//! let events = [
//!     r#"{"id":"u1","kind":"usage","at":"2019-10-08T09:00:00+08:00","department":"city.civil-affairs",
//!         "resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}"#,
//!     r#"{"id":"u2","kind":"usage","at":"2019-10-09T09:00:00+08:00","department":"city.civil-affairs",
//!         "resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}"#,
//! ]
//! .map(|l| Event::from_json_str(l))
//! .into_iter()
//! .collect::<Result<Vec<_>, _>>()?;
//! let report = usage_report(&engine, &events, "city.human-resources", None, None, None)?;
//! assert_eq!(report.total, 2);
//! assert_eq!(report.rows[0].count, 2);
//! assert_eq!(report.citations, ["27"]);
//!
//! // Streaming: the same, one event at a time.
//! let mut reporter = UsageReporter::new(&engine, "city.human-resources", None, None, None)?;
//! for e in &events {
//!     reporter.push(e);
//! }
//! assert_eq!(reporter.finish()?, report);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::policy::Engine;
use crate::registry::Registry;
use crate::workflow::{Event, EventKind, IdSet, registry_changed};

type Time = DateTime<FixedOffset>;

/// Why a usage report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// The provider is not a department of the registry.
    #[error("unknown provider `{provider}`: no such department in the registry")]
    UnknownProvider {
        /// The provider asked about.
        provider: String,
    },
    /// The resource asked about was never the provider's: neither in the registry
    /// given nor by a registry change of the log.
    #[error(
        "resource `{resource}` is not a resource of provider `{provider}` at any moment of the log"
    )]
    NotProvider {
        /// The provider asked about.
        provider: String,
        /// The resource asked about.
        resource: String,
    },
    /// The period ends before it begins.
    #[error("empty period: from `{from}` is after until `{until}`")]
    InvalidPeriod {
        /// The start asked for (RFC 3339).
        from: String,
        /// The end asked for (RFC 3339).
        until: String,
    },
}

crate::error::error_table! {
    impl UsageError {
        python: "`GovShareError`";
        UnknownProvider => "usage.unknown_provider", {
            meaning: "the usage report asks about a provider that is not a department of the \
            registry (names it)",
            from: "`UsageReporter::new`, `usage_report`; `govshare usage`",
            rust: "`UsageError::UnknownProvider` (`Error::Usage`)",
        }
        NotProvider => "usage.not_provider", {
            meaning: "the resource the usage report asks about was never the provider's: neither in the \
            registry given nor by a `resource_catalogued` / `resource_changed` of the log (names \
            both)",
            from: "`UsageReporter::finish`, `usage_report`; `govshare usage`",
            rust: "`UsageError::NotProvider` (`Error::Usage`)",
        }
        InvalidPeriod => "usage.invalid_period", {
            meaning: "the usage report's `from` is after its `until` (names both)",
            from: "`UsageReporter::new`, `usage_report`; `govshare usage`",
            rust: "`UsageError::InvalidPeriod` (`Error::Usage`)",
        }
    }
}

/// One row of the report: the usages of one resource by one department, for one
/// purpose, under one grant (or none named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UsageRow {
    /// The resource used.
    pub resource: String,
    /// The using department.
    pub department: String,
    /// The purpose the usage names.
    pub purpose: String,
    /// The grant the usage names; `null` when it names none.
    pub grant: Option<String>,
    /// How many usages.
    pub count: u64,
    /// The earliest `at` among them.
    pub first: Time,
    /// The latest `at` among them.
    pub last: Time,
}

/// Something in the log the report did not count as it stands, or applied in log
/// order (the audit's lenient habit, SPEC §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UsageNotice {
    /// A stable code: `out_of_order` (dated earlier than the event before it;
    /// applied in log order), `duplicate_event` (an id seen before; ignored),
    /// `resource_withdrawn` or `unknown_resource` (a usage in the period of a
    /// resource not in the catalog at that moment; not counted),
    /// `registry_change_rejected` (a registry change a ledger rejects; not
    /// applied; `reason` says why).
    pub code: String,
    /// The event's id (its position when it has none).
    pub event: String,
    /// The event's `at`.
    pub at: Time,
    /// For `out_of_order`: the `at` of the event before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Time>,
    /// The resource concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// For `registry_change_rejected`: why, in words (the ledger's error, naming
    /// the event and the id or field at fault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The usage report for a provider (SPEC v2 §4, §8; Art. 27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UsageReport {
    /// The provider.
    pub provider: String,
    /// The one resource asked about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The start of the period (included), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Time>,
    /// The end of the period (included), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Time>,
    /// The rows, sorted by resource, department, purpose, then grant (none first).
    pub rows: Vec<UsageRow>,
    /// The sum of the rows' counts.
    pub total: u64,
    /// The articles behind the report, from the pack (Binzhou: `["27"]`).
    pub citations: Vec<String>,
    /// The pack that gave the citations.
    pub pack: String,
    /// What the report did not count as it stands, in log order.
    pub reported: Vec<UsageNotice>,
}

/// A row's key: resource, department, purpose, grant.
type RowKey = (String, String, String, Option<String>);

/// Counts, first and last `at` of a row.
#[derive(Debug, Clone, Copy)]
struct Tally {
    count: u64,
    first: Time,
    last: Time,
}

/// Builds a [`UsageReport`] from an event log, one event at a time
/// ([`UsageReporter::push`], then [`UsageReporter::finish`]).
///
/// Memory grows with the catalog, the rows, the notices and the event ids (SPEC
/// §4 makes ids unique; kept as a ledger keeps them: a bit per numbered id, 16
/// bytes per other id), not with the events themselves.
#[derive(Debug)]
pub struct UsageReporter {
    provider: String,
    resource: Option<String>,
    from: Option<Time>,
    until: Option<Time>,
    /// The engine's packs, earliest first: the report cites those in force
    /// over the period (SPEC v2 §7).
    packs: Vec<crate::policy::PolicyPack>,
    /// The pack whose catalog findings judge registry changes (as the ledger's).
    rules: crate::policy::PolicyPack,
    /// The registry as of the last event (its resources: the registry changes of
    /// the log applied as a ledger applies them).
    registry: Registry,
    /// Withdrawn resources (not catalogued again since) and the provider they had.
    withdrawn: HashMap<String, String>,
    /// Whether the resource asked about was the provider's at some moment.
    resource_ours: bool,
    ids: IdSet,
    position: u64,
    last_at: Option<Time>,
    rows: BTreeMap<RowKey, Tally>,
    reported: Vec<UsageNotice>,
}

impl UsageReporter {
    /// A report for `provider` (optionally one `resource` of it) over `[from,
    /// until]` (both included; `None` leaves that end open), with `engine`'s
    /// registry as the state before the first event and its pack's citations.
    ///
    /// Errors: `usage.unknown_provider` when the provider is not a department of the
    /// registry, `usage.invalid_period` when `from` is after `until`. A resource
    /// never the provider's is an error of [`UsageReporter::finish`] (a registry
    /// change in the log may still make it the provider's).
    pub fn new(
        engine: &Engine,
        provider: &str,
        resource: Option<&str>,
        from: Option<Time>,
        until: Option<Time>,
    ) -> Result<Self, crate::Error> {
        let registry = engine.registry();
        if registry.department(provider).is_none() {
            return Err(UsageError::UnknownProvider {
                provider: provider.to_owned(),
            }
            .into());
        }
        if let (Some(f), Some(u)) = (from, until)
            && f > u
        {
            return Err(UsageError::InvalidPeriod {
                from: f.to_rfc3339(),
                until: u.to_rfc3339(),
            }
            .into());
        }
        let resource_ours = resource.is_some_and(|r| {
            registry
                .resource(r)
                .is_some_and(|entry| entry.provider == provider)
        });
        Ok(Self {
            provider: provider.to_owned(),
            resource: resource.map(str::to_owned),
            from,
            until,
            packs: engine.packs().into_iter().cloned().collect(),
            rules: engine.earliest().pack().clone(),
            registry: registry.clone(),
            withdrawn: HashMap::new(),
            resource_ours,
            ids: IdSet::new(),
            position: 0,
            last_at: None,
            rows: BTreeMap::new(),
            reported: Vec::new(),
        })
    }

    /// Counts a log entry that could not be parsed, so that later events without an
    /// id still get their position in the log as their id.
    pub fn skip_entry(&mut self) {
        self.position += 1;
    }

    /// The notices so far, in log order.
    pub fn reported(&self) -> &[UsageNotice] {
        &self.reported
    }

    fn note(&mut self, code: &str, event: &str, at: Time, resource: Option<&str>) {
        self.reported.push(UsageNotice {
            code: code.to_owned(),
            event: event.to_owned(),
            at,
            previous: None,
            resource: resource.map(str::to_owned),
            reason: None,
        });
    }

    fn in_period(&self, at: Time) -> bool {
        self.from.is_none_or(|f| f <= at) && self.until.is_none_or(|u| at <= u)
    }

    /// Reads one event. Never fails: what the report cannot count as it stands is
    /// reported ([`UsageReporter::reported`]).
    pub fn push(&mut self, event: &Event) {
        self.position += 1;
        let id = event.id_or(self.position);
        if self.ids.seen(&id) {
            self.note("duplicate_event", &id, event.at, None);
            return;
        }
        // As a ledger: a rejected registry change leaves no trace (its id is not
        // taken, the order clock does not move); anything else is applied.
        let previous = self.last_at.filter(|&p| event.at < p);
        let applied = match &event.kind {
            EventKind::ResourceCatalogued { .. }
            | EventKind::ResourceChanged { .. }
            | EventKind::ResourceWithdrawn { .. } => self.change(&id, event),
            _ => true,
        };
        if !applied {
            return;
        }
        self.ids.insert(&id);
        if let Some(previous) = previous {
            self.reported.push(UsageNotice {
                code: "out_of_order".to_owned(),
                event: id.clone(),
                at: event.at,
                previous: Some(previous),
                resource: None,
                reason: None,
            });
        }
        self.last_at = Some(event.at);
        if let EventKind::Usage {
            department,
            resource,
            purpose,
            grant,
        } = &event.kind
        {
            self.usage(&id, event.at, department, resource, purpose, grant.as_ref());
        }
    }

    /// A change of the catalog: applied as a ledger applies it (`true`), or
    /// reported and not applied (`false`).
    fn change(&mut self, id: &str, event: &Event) -> bool {
        // Judged by the pack in force at the change (the ledger's rule).
        let day = crate::calendar::china_date(event.at);
        let rules = self
            .packs
            .iter()
            .find(|p| p.in_force_on(day))
            .unwrap_or(&self.rules);
        let next = match registry_changed(&self.registry, id, &event.kind, event.at, rules) {
            Ok(next) => next,
            Err(e) => {
                let resource = match &event.kind {
                    EventKind::ResourceCatalogued { resource }
                    | EventKind::ResourceChanged { resource } => Some(resource.id.clone()),
                    EventKind::ResourceWithdrawn { resource, .. } => Some(resource.clone()),
                    _ => None,
                };
                self.reported.push(UsageNotice {
                    code: "registry_change_rejected".to_owned(),
                    event: id.to_owned(),
                    at: event.at,
                    previous: None,
                    resource,
                    reason: Some(e.to_string()),
                });
                return false;
            }
        };
        match &event.kind {
            EventKind::ResourceCatalogued { resource }
            | EventKind::ResourceChanged { resource } => {
                self.withdrawn.remove(&resource.id);
                if resource.provider == self.provider
                    && self.resource.as_deref() == Some(resource.id.as_str())
                {
                    self.resource_ours = true;
                }
            }
            EventKind::ResourceWithdrawn { resource, .. } => {
                if let Some(entry) = self.registry.resource(resource) {
                    self.withdrawn
                        .insert(resource.clone(), entry.provider.clone());
                }
            }
            _ => {}
        }
        self.registry = next;
        true
    }

    fn usage(
        &mut self,
        id: &str,
        at: Time,
        department: &str,
        resource: &str,
        purpose: &str,
        grant: Option<&String>,
    ) {
        if !self.in_period(at) {
            return;
        }
        let asked = self.resource.as_deref() == Some(resource);
        if self.resource.is_some() && !asked {
            return;
        }
        match self.registry.resource(resource) {
            Some(entry) if entry.provider == self.provider => {}
            Some(_) => return,
            None => {
                let code = match self.withdrawn.get(resource) {
                    Some(p) if asked || *p == self.provider => "resource_withdrawn",
                    Some(_) => return,
                    None => "unknown_resource",
                };
                self.note(code, id, at, Some(resource));
                return;
            }
        }
        let key = (
            resource.to_owned(),
            department.to_owned(),
            purpose.to_owned(),
            grant.cloned(),
        );
        self.rows
            .entry(key)
            .and_modify(|t| {
                t.count += 1;
                t.first = t.first.min(at);
                t.last = t.last.max(at);
            })
            .or_insert(Tally {
                count: 1,
                first: at,
                last: at,
            });
    }

    /// The report. Error: `usage.not_provider` when a resource was asked about and
    /// it was never the provider's (in the registry given, or by a registry change
    /// of the log).
    pub fn finish(self) -> Result<UsageReport, crate::Error> {
        if let Some(resource) = &self.resource
            && !self.resource_ours
        {
            return Err(UsageError::NotProvider {
                provider: self.provider,
                resource: resource.clone(),
            }
            .into());
        }
        let rows: Vec<UsageRow> = self
            .rows
            .into_iter()
            .map(|((resource, department, purpose, grant), t)| UsageRow {
                resource,
                department,
                purpose,
                grant,
                count: t.count,
                first: t.first,
                last: t.last,
            })
            .collect();
        let total = rows.iter().map(|r| r.count).sum();
        // The period the report covers: the one asked for, an open end closed by
        // the usages counted. Its packs' report articles are cited; the report
        // names the last of them (the earliest pack when none is in force then).
        let lo = self.from.or_else(|| rows.iter().map(|r| r.first).min());
        let hi = self.until.or_else(|| rows.iter().map(|r| r.last).max());
        let overlapping: Vec<&crate::policy::PolicyPack> = self
            .packs
            .iter()
            .filter(|p| {
                let m = p.manifest();
                lo.is_none_or(|f| crate::calendar::china_date(f) <= m.valid_until)
                    && hi.is_none_or(|u| m.valid_from <= crate::calendar::china_date(u))
            })
            .collect();
        let named = overlapping.last().copied().or(self.packs.first());
        let mut citations: Vec<String> = Vec::new();
        let citing = if overlapping.is_empty() {
            named.into_iter().collect()
        } else {
            overlapping
        };
        for p in citing {
            if let Some(a) = &p.manifest().usage_report_article
                && !citations.contains(a)
            {
                citations.push(a.clone());
            }
        }
        Ok(UsageReport {
            provider: self.provider,
            resource: self.resource,
            from: self.from,
            until: self.until,
            rows,
            total,
            citations,
            pack: named.map_or_else(String::new, |p| p.name().to_owned()),
            reported: self.reported,
        })
    }
}

/// The usage report for `provider` (optionally one `resource`) over `[from,
/// until]` in one call; see [`UsageReporter`]. Errors: `usage.unknown_provider`,
/// `usage.invalid_period`, `usage.not_provider`.
pub fn usage_report<I>(
    engine: &Engine,
    events: I,
    provider: &str,
    resource: Option<&str>,
    from: Option<Time>,
    until: Option<Time>,
) -> Result<UsageReport, crate::Error>
where
    I: IntoIterator,
    I::Item: Borrow<Event>,
{
    let mut reporter = UsageReporter::new(engine, provider, resource, from, until)?;
    for e in events {
        reporter.push(e.borrow());
    }
    reporter.finish()
}

/// What a usage report asks (the arguments of [`usage_report`] as one value, so
/// that each binding builds it from its own types and asks the same question).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsageQuery {
    /// The provider asking.
    pub provider: String,
    /// One resource, or all of the provider's.
    pub resource: Option<String>,
    /// The first moment counted (included); `None` leaves the start open.
    pub from: Option<Time>,
    /// The last moment counted (included); `None` leaves the end open.
    pub until: Option<Time>,
}

impl UsageQuery {
    /// The report of all of `provider`'s resources over all time.
    pub fn new(provider: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            resource: None,
            from: None,
            until: None,
        }
    }

    /// The report over `events`: [`usage_report`] with these arguments.
    pub fn report<I>(&self, engine: &Engine, events: I) -> Result<UsageReport, crate::Error>
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        usage_report(
            engine,
            events,
            &self.provider,
            self.resource.as_deref(),
            self.from,
            self.until,
        )
    }
}
