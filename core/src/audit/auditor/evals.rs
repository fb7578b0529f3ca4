//! The engine-answer cache: decisions and Art. 13 answers for the audit, each
//! computed with exactly the candidate grants that matter and cached by what they
//! depend on.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};

use super::Time;
use crate::policy::{AccessRequest, Answer, Decision, Effect, Engine};
use crate::registry::{Department, Grant, Method, Registry, RegistryDoc, Resource};

/// An engine answer, valid for moments in `[lo, hi)`: the engine's answer depends
/// on the moment only through the validity of the department's certificate, of the
/// pack and of the candidate grants, and the key holds whether each grant is active.
#[derive(Debug, Clone)]
pub(super) struct Cached<T> {
    pub(super) lo: Time,
    pub(super) hi: Time,
    /// `None` when the engine could not answer (a moment outside the pack's
    /// validity), or, for an Art. 13 answer, when the department may require the
    /// item.
    pub(super) value: Option<T>,
}

/// Engine answers for the audit, each computed with exactly the candidate grants
/// that matter and cached by their content (purposes, fields, methods, approvals
/// and whether they are active, never their ids or dates): many grants alike cost
/// one evaluation.
#[derive(Debug, Default)]
pub(super) struct Evals {
    pub(super) decisions: HashMap<String, Cached<Decision>>,
    pub(super) answers: HashMap<String, Cached<Answer>>,
    /// A reusable buffer for keys.
    pub(super) key: String,
}

/// Each cache is cleared when it grows past this many entries.
const CACHE_LIMIT: usize = 65_536;

/// The answer cached under `key`, if it holds at `at`.
pub(super) fn lookup<T: Clone>(
    cache: &HashMap<String, Cached<T>>,
    key: &str,
    at: Time,
) -> Option<Option<T>> {
    cache
        .get(key)
        .filter(|c| c.lo <= at && at < c.hi)
        .map(|c| c.value.clone())
}

/// Caches `value` under `key` for `[lo, hi)` (clearing the cache once it holds
/// [`CACHE_LIMIT`] entries) and hands it back.
pub(super) fn remember<T: Clone>(
    cache: &mut HashMap<String, Cached<T>>,
    key: &str,
    (lo, hi): (Time, Time),
    value: Option<T>,
) -> Option<T> {
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(
        key.to_owned(),
        Cached {
            lo,
            hi,
            value: value.clone(),
        },
    );
    value
}

/// The interval around `at` inside which neither the department's certificate
/// nor the pack changes validity.
pub(super) fn stable_interval(engine: &Engine, department: &Department, at: Time) -> (Time, Time) {
    let mut bounds: Vec<Time> = Vec::new();
    for c in &department.certificates {
        bounds.extend([c.not_before, c.not_after]);
    }
    let m = engine.pack().manifest();
    for day in [Some(m.valid_from), m.valid_until.succ_opt()]
        .into_iter()
        .flatten()
    {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Both China and UTC midnights: extra bounds only shorten the interval.
        for offset in [
            crate::calendar::CHINA_OFFSET,
            FixedOffset::east_opt(0).unwrap_or(crate::calendar::CHINA_OFFSET),
        ] {
            if let Some(t) = midnight.and_local_timezone(offset).single() {
                bounds.push(t);
            }
        }
    }
    let mut lo = DateTime::<FixedOffset>::MIN_UTC.fixed_offset();
    let mut hi = DateTime::<FixedOffset>::MAX_UTC.fixed_offset();
    for b in bounds {
        if b <= at {
            lo = lo.max(b);
        } else {
            hi = hi.min(b);
        }
    }
    (lo, hi)
}

/// The shape of a request: its fields (`None`: the whole resource) and method.
pub(super) type Shape<'a> = (Option<&'a [String]>, Method);

/// The shape of a use within grant `g`: its fields and its first method.
pub(super) fn within(g: &Grant) -> Shape<'_> {
    (
        (!g.fields.is_empty()).then_some(g.fields.as_slice()),
        g.methods.first().copied().unwrap_or(Method::OnlineQuery),
    )
}

/// A key part, length-prefixed so that no two keys of different parts meet.
pub(super) fn part(key: &mut String, s: &str) {
    let _ = write!(key, "{}:{s}", s.len());
}

pub(super) fn parts<'s>(key: &mut String, list: impl IntoIterator<Item = &'s String>) {
    key.push('[');
    for s in list {
        part(key, s);
    }
    key.push(']');
}

/// What the engine reads of a grant for a decision at `at`: everything but its id
/// and dates, and whether it is active.
pub(super) fn grant_part(key: &mut String, g: &Grant, at: Time) {
    // Active as SPEC §1 says (full precision), and as the pack compares (whole
    // seconds); when the two differ, the grant's own dates.
    match activity(g, at) {
        Some(true) => key.push('+'),
        Some(false) => key.push('~'),
        None => {
            let _ = write!(
                key,
                "?{}/{:?}",
                g.from.to_rfc3339(),
                g.until.map(|u| u.to_rfc3339())
            );
        }
    }
    parts(key, &g.purposes);
    parts(key, &g.fields);
    let _ = write!(key, "{:?}{:?}{:?}", g.methods, g.source, g.approvals);
}

/// Whether `g` is active at `at` as SPEC §1 says (full precision) and as the pack
/// compares (whole seconds); `None` when the two differ.
pub(super) fn activity(g: &Grant, at: Time) -> Option<bool> {
    let active = g.active_at(at);
    let secs = at.timestamp();
    let active_secs = g.from.timestamp() <= secs && g.until.is_none_or(|u| secs < u.timestamp());
    (active == active_secs).then_some(active)
}

/// The grants met so far among candidates, to skip those alike (the same content
/// and activity: the engine decides them alike), so that many grants alike cost one
/// look-up.
#[derive(Default)]
pub(super) struct Alike<'g> {
    met: Vec<(&'g Grant, bool)>,
}

impl<'g> Alike<'g> {
    /// Whether a grant alike `g` was met before; records `g` if not.
    pub(super) fn seen(&mut self, g: &'g Grant, at: Time) -> bool {
        let Some(active) = activity(g, at) else {
            return false;
        };
        let alike = |h: &Grant| {
            h.purposes == g.purposes
                && h.fields == g.fields
                && h.methods == g.methods
                && h.source == g.source
                && h.approvals == g.approvals
                && h.department == g.department
                && h.resource == g.resource
        };
        if self.met.iter().any(|&(h, a)| a == active && alike(h)) {
            return true;
        }
        // A handful of kinds of grants per pair is the rule; keep the scan short.
        if self.met.len() < 16 {
            self.met.push((g, active));
        }
        false
    }
}

/// One department's requests for one resource, for a purpose, at a moment.
pub(super) struct Asker<'a> {
    pub(super) engine: &'a Engine,
    pub(super) department: &'a Department,
    pub(super) resource: &'a Resource,
    pub(super) purpose: &'a str,
    pub(super) at: Time,
}

impl<'a> Asker<'a> {
    /// The asker for `department` and `resource` of `engine`'s registry, if both
    /// are in it.
    pub(super) fn of(
        engine: &'a Engine,
        department: &str,
        resource: &str,
        purpose: &'a str,
        at: Time,
    ) -> Option<Self> {
        let reg = engine.registry();
        Some(Self {
            engine,
            department: reg.department(department)?,
            resource: reg.resource(resource)?,
            purpose,
            at,
        })
    }

    /// A request in `shape`, with the department's registered certificate and the
    /// resource's network (so only purpose and grant matter).
    fn request(&self, shape: Shape<'_>) -> AccessRequest {
        AccessRequest {
            department: self.department.id.clone(),
            resource: self.resource.id.clone(),
            method: shape.1,
            purpose: self.purpose.to_owned(),
            fields: shape.0.map(<[String]>::to_vec),
            network: self.resource.network,
            certificate: self
                .department
                .valid_certificate(self.at)
                .or_else(|| self.department.certificates.first())
                .map(|c| c.serial.clone())
                .unwrap_or_default(),
            at: self.at,
        }
    }

    /// An engine that decides with exactly `grants` as the department's grants on
    /// the resource: one over a registry of the department, the resource, its
    /// provider and `grants` (the engine reads nothing else of a registry for a
    /// decision; `core/tests/audit.rs` compares with decisions over the whole
    /// registry).
    pub(super) fn engine_with<'g>(
        &self,
        grants: impl IntoIterator<Item = &'g Grant>,
    ) -> Option<Engine> {
        let reg = self.engine.registry();
        let provider = reg.department(&self.resource.provider)?;
        let mut departments = vec![self.department.clone()];
        if provider.id != self.department.id {
            departments.push(provider.clone());
        }
        // The provenance of a derived resource (`sources`) is not read by a
        // decision, and names resources this small registry does not hold.
        let mut resource = self.resource.clone();
        resource.sources.clear();
        let doc = RegistryDoc {
            departments,
            resources: vec![resource],
            grants: grants.into_iter().cloned().collect(),
        };
        Registry::from_doc(doc)
            .ok()
            .map(|r| self.engine.with_registry(r))
    }

    /// The engine's decision on a request in `shape` with `grant` (or none) as the
    /// only candidate grant.
    pub(super) fn decide(
        &self,
        evals: &mut Evals,
        shape: Shape<'_>,
        grant: Option<&Grant>,
    ) -> Option<Decision> {
        let key = &mut evals.key;
        key.clear();
        key.push('d');
        part(key, &self.department.id);
        part(key, &self.resource.id);
        part(key, self.purpose);
        match shape.0 {
            Some(fields) => parts(key, fields),
            None => key.push('*'),
        }
        let _ = write!(key, "{:?}", shape.1);
        match grant {
            Some(g) => grant_part(key, g, self.at),
            None => key.push('-'),
        }
        if let Some(hit) = lookup(&evals.decisions, key, self.at) {
            return hit;
        }
        let value = self
            .engine_with(grant)
            .and_then(|e| e.decide(&self.request(shape)).ok());
        let interval = stable_interval(self.engine, self.department, self.at);
        remember(&mut evals.decisions, &evals.key, interval, value)
    }

    /// The engine's decision on a request in `shape` with `candidates` as the
    /// department's grants on the resource: as the engine decides, the first
    /// candidate that permits, else the deny with the fewest reasons (the first of
    /// them); with no candidate, the decision without a grant. `None` when the
    /// engine cannot decide.
    pub(super) fn decide_among<'g>(
        &self,
        evals: &mut Evals,
        shape: Shape<'_>,
        candidates: impl IntoIterator<Item = &'g Grant>,
    ) -> Option<Decision> {
        let mut best: Option<Decision> = None;
        let mut any = false;
        let mut alike = Alike::default();
        for g in candidates {
            any = true;
            if alike.seen(g, self.at) {
                // Decided like a grant before it: a permit would have returned.
                continue;
            }
            let d = self.decide(evals, shape, Some(g))?;
            if d.decision == Effect::Permit {
                return Some(d);
            }
            if best
                .as_ref()
                .is_none_or(|b| d.reasons.len() < b.reasons.len())
            {
                best = Some(d);
            }
        }
        if any {
            best
        } else {
            self.decide(evals, shape, None)
        }
    }
}
