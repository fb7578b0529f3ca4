//! The grants created by events, indexed by id and by department and resource.
//!
//! A usage is judged against the grants of its department and resource in force at
//! its moment; the book hands those out without looking at any other pair, and
//! forgets grants once they ended before a moment no later event will be judged at
//! (see [`GrantBook::prune`]).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::registry::Grant;

type Time = DateTime<FixedOffset>;

/// Grants created by events.
#[derive(Debug, Clone, Default)]
pub(crate) struct GrantBook {
    grants: HashMap<String, Grant>,
    /// Department, then resource, then the ids of its grants in the order they were
    /// created.
    pairs: HashMap<String, HashMap<String, Vec<String>>>,
    /// Changes whenever a grant is added or forgotten.
    generation: u64,
    /// The next suffix to try for a grant id base that was taken (`grant.x.2`, …).
    suffixes: HashMap<String, u64>,
}

impl GrantBook {
    /// Adds a grant made by [`GrantBook::fresh_id`] from `base` (its id is not in
    /// the book).
    pub(crate) fn add(&mut self, grant: Grant, base: &str) {
        if let Some(n) = grant
            .id
            .strip_prefix(base)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|n| n.parse::<u64>().ok())
        {
            self.suffixes.insert(base.to_owned(), n.saturating_add(1));
        }
        self.pairs
            .entry(grant.department.clone())
            .or_default()
            .entry(grant.resource.clone())
            .or_default()
            .push(grant.id.clone());
        self.grants.insert(grant.id.clone(), grant);
        self.generation = self.generation.wrapping_add(1);
    }

    /// Whether a grant with this id is held.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.grants.contains_key(id)
    }

    /// The grant with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&Grant> {
        self.grants.get(id)
    }

    /// The grants of `department` on `resource`, in the order they were created.
    pub(crate) fn pair<'a>(
        &'a self,
        department: &str,
        resource: &str,
    ) -> impl Iterator<Item = &'a Grant> + 'a {
        self.pairs
            .get(department)
            .and_then(|by_resource| by_resource.get(resource))
            .into_iter()
            .flatten()
            .filter_map(|id| self.grants.get(id))
    }

    /// Every grant held, in no particular order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Grant> {
        self.grants.values()
    }

    /// Changes whenever a grant is added or forgotten.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether the book is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }

    /// Ends every grant on `resource` at `at` (the resource left the catalog, SPEC
    /// v2 §4): a grant already ending earlier keeps its end.
    pub(crate) fn end_resource(&mut self, resource: &str, at: Time) {
        let mut changed = false;
        for g in self.grants.values_mut() {
            if g.resource == resource && g.until.is_none_or(|u| u > at) {
                g.until = Some(at);
                changed = true;
            }
        }
        if changed {
            self.generation = self.generation.wrapping_add(1);
        }
    }

    /// Ends grant `id` at `at` (terminated): one ending earlier keeps its end.
    pub(crate) fn end_grant(&mut self, id: &str, at: Time) {
        if let Some(g) = self.grants.get_mut(id)
            && g.until.is_none_or(|u| u > at)
        {
            g.until = Some(at);
            self.generation = self.generation.wrapping_add(1);
        }
    }

    /// Forgets the grants whose validity ended at or before `horizon`.
    pub(crate) fn prune(&mut self, horizon: Time) {
        let before = self.grants.len();
        self.grants
            .retain(|_, g| g.until.is_none_or(|u| u > horizon));
        if self.grants.len() == before {
            return;
        }
        let grants = &self.grants;
        self.pairs.retain(|_, by_resource| {
            by_resource.retain(|_, ids| {
                ids.retain(|id| grants.contains_key(id));
                !ids.is_empty()
            });
            !by_resource.is_empty()
        });
        self.generation = self.generation.wrapping_add(1);
    }

    /// A fresh grant id from `base`: `base` itself when neither `taken` nor the
    /// book holds it, else `base.2`, `base.3`, … starting after the last suffix
    /// [`GrantBook::add`] recorded for `base`, so that many applications with one
    /// base cost one try each.
    pub(crate) fn fresh_id(&self, base: &str, taken: impl Fn(&str) -> bool) -> String {
        let start = self.suffixes.get(base).copied();
        if start.is_none() && !taken(base) && !self.contains(base) {
            return base.to_owned();
        }
        let mut n = start.unwrap_or(2);
        loop {
            let candidate = format!("{base}.{n}");
            if !taken(&candidate) && !self.contains(&candidate) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }
}
