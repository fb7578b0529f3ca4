//! Bounded caches shared across threads (issue 14): the engine's per-pair
//! specialisations ([`super::specialise`]) and its decisions, each valid over an
//! interval of moments.
//!
//! A [`Clock`] is a map from a 64-bit hash to values, split into shards each
//! behind its own `RwLock`, holding at most a fixed number of entries. Several
//! entries may share a hash (a collision, or one decision key valid over several
//! intervals): a lookup takes the first whose value the caller accepts. When a
//! shard is full, an entry is evicted by the CLOCK rule (second chance, close to
//! least-recently-used): a hit marks its entry, and eviction passes over marked
//! entries once, clearing the mark.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, FixedOffset};

use super::wire::{AccessRequest, Decision};
use crate::registry::{Method, Network};

/// How many shards a cache is split into (a power of two).
const SHARDS: usize = 16;

/// Sizes of the engine's caches (issue 14). `0` turns a cache off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSettings {
    /// The most (department, resource) pairs kept specialised: the pack's
    /// policies partially evaluated on the pair's entities, and those entities.
    /// `0`: every decision evaluates the whole pack on entities built for it.
    pub pairs: usize,
    /// The most decisions kept, each with the interval of moments over which
    /// nothing time-dependent changes. `0`: no decision is cached.
    pub decisions: usize,
}

impl CacheSettings {
    /// The defaults: 4,096 pairs and 65,536 decisions.
    pub const DEFAULT: Self = Self {
        pairs: 4096,
        decisions: 65_536,
    };

    /// Both caches off: every decision is Cedar's `is_authorized` over the whole
    /// pack, as [`super::Engine::cedar_inputs`] shows it.
    pub const OFF: Self = Self {
        pairs: 0,
        decisions: 0,
    };
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[derive(Debug)]
struct Entry<V> {
    id: u64,
    hash: u64,
    value: V,
    referenced: AtomicBool,
}

#[derive(Debug)]
struct Shard<V> {
    map: HashMap<u64, Vec<Entry<V>>>,
    /// Entries in insertion order, by (hash, id), for the CLOCK hand.
    ring: VecDeque<(u64, u64)>,
}

/// A bounded, sharded, thread-safe map from 64-bit hashes to values.
#[derive(Debug)]
pub(crate) struct Clock<V> {
    shards: Box<[RwLock<Shard<V>>]>,
    per_shard: usize,
    next_id: AtomicU64,
}

impl<V: Clone> Clock<V> {
    /// A cache of at most `capacity` entries (rounded up to a multiple of the
    /// shard count); `None` when `capacity` is 0.
    pub fn new(capacity: usize) -> Option<Self> {
        if capacity == 0 {
            return None;
        }
        let per_shard = capacity.div_ceil(SHARDS);
        Some(Self {
            shards: (0..SHARDS)
                .map(|_| {
                    RwLock::new(Shard {
                        map: HashMap::new(),
                        ring: VecDeque::new(),
                    })
                })
                .collect(),
            per_shard,
            next_id: AtomicU64::new(0),
        })
    }

    /// The most entries held.
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.per_shard * SHARDS
    }

    /// The entries held now.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().map_or(0, |s| s.ring.len()))
            .sum()
    }

    fn shard(&self, hash: u64) -> Option<&RwLock<Shard<V>>> {
        // The top bits pick the shard; HashMap uses its own hash of the key.
        self.shards.get((hash >> 60) as usize % SHARDS)
    }

    /// The first value under `hash` that `accept` takes.
    pub fn get(&self, hash: u64, accept: impl Fn(&V) -> bool) -> Option<V> {
        let shard = self.shard(hash)?.read().ok()?;
        let entry = shard.map.get(&hash)?.iter().find(|e| accept(&e.value))?;
        entry.referenced.store(true, Ordering::Relaxed);
        Some(entry.value.clone())
    }

    /// Adds `value` under `hash`, unless a value that `same` takes is already
    /// there; evicts one entry of the shard when it is full.
    pub fn insert(&self, hash: u64, value: V, same: impl Fn(&V) -> bool) {
        let Some(Ok(mut shard)) = self.shard(hash).map(RwLock::write) else {
            return;
        };
        if shard
            .map
            .get(&hash)
            .is_some_and(|v| v.iter().any(|e| same(&e.value)))
        {
            return;
        }
        while shard.ring.len() >= self.per_shard {
            if !evict_one(&mut shard) {
                break;
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        shard.ring.push_back((hash, id));
        shard.map.entry(hash).or_default().push(Entry {
            id,
            hash,
            value,
            referenced: AtomicBool::new(false),
        });
    }
}

/// Moves the CLOCK hand until one entry is evicted; false when the shard is
/// empty.
fn evict_one<V>(shard: &mut Shard<V>) -> bool {
    // Each entry is passed over at most once (its mark cleared), so two turns
    // of the ring always evict one.
    let turns = shard.ring.len().saturating_mul(2);
    for _ in 0..turns {
        let Some((hash, id)) = shard.ring.pop_front() else {
            return false;
        };
        let Some(entries) = shard.map.get_mut(&hash) else {
            continue;
        };
        let Some(pos) = entries.iter().position(|e| e.id == id) else {
            continue;
        };
        let marked = entries
            .get(pos)
            .is_some_and(|e| e.referenced.swap(false, Ordering::Relaxed));
        if marked {
            shard.ring.push_back((hash, id));
            continue;
        }
        let removed = entries.swap_remove(pos);
        debug_assert_eq!(removed.hash, hash);
        if entries.is_empty() {
            shard.map.remove(&hash);
        }
        return true;
    }
    false
}

/// A hash of a request without its moment: the decision cache's key.
pub(crate) fn request_hash(req: &AccessRequest) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    req.department.hash(&mut h);
    req.resource.hash(&mut h);
    req.method.hash(&mut h);
    req.purpose.hash(&mut h);
    req.fields.hash(&mut h);
    req.network.hash(&mut h);
    req.certificate.hash(&mut h);
    h.finish()
}

/// A pair's hash: the pair cache's key.
pub(crate) fn pair_hash(department: usize, resource: usize) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (department, resource).hash(&mut h);
    h.finish()
}

/// A cached decision: the request without its moment, the moments `[lo, hi)`
/// (Unix nanoseconds) over which the decision holds, and the decision (shared
/// with the bindings, which hand it out without copying its reasons).
#[derive(Debug)]
pub(crate) struct CachedDecision {
    pub department: String,
    pub resource: String,
    pub method: Method,
    pub purpose: String,
    pub fields: Option<Vec<String>>,
    pub network: Network,
    pub certificate: String,
    pub lo: i64,
    pub hi: i64,
    pub decision: Arc<Decision>,
}

impl CachedDecision {
    /// Is this the decision of `req` (at `at`, in Unix nanoseconds)?
    pub fn answers(&self, req: &AccessRequest, at: i64) -> bool {
        self.lo <= at
            && at < self.hi
            && self.method == req.method
            && self.network == req.network
            && self.department == req.department
            && self.resource == req.resource
            && self.purpose == req.purpose
            && self.certificate == req.certificate
            && self.fields == req.fields
    }

    /// The entry for `req`'s decision over `[lo, hi)`.
    pub fn new(req: &AccessRequest, lo: i64, hi: i64, decision: Decision) -> Self {
        Self {
            department: req.department.clone(),
            resource: req.resource.clone(),
            method: req.method,
            purpose: req.purpose.clone(),
            fields: req.fields.clone(),
            network: req.network,
            certificate: req.certificate.clone(),
            lo,
            hi,
            decision: Arc::new(decision),
        }
    }
}

/// The interval `[lo, hi)` around `at` bounded by the nearest `thresholds`
/// (moments at which something may change: a change happens *at* a threshold).
pub(crate) fn interval(at: i64, thresholds: impl IntoIterator<Item = i64>) -> (i64, i64) {
    let (mut lo, mut hi) = (i64::MIN, i64::MAX);
    for t in thresholds {
        if t <= at {
            lo = lo.max(t);
        } else {
            hi = hi.min(t);
        }
    }
    (lo, hi)
}

/// The start of a China-time day as Unix nanoseconds (clamped).
pub(crate) fn day_start(date: chrono::NaiveDate, china: FixedOffset) -> i64 {
    date.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(china).single())
        .map_or(i64::MAX, |t: DateTime<FixedOffset>| {
            super::entities::nanos(t)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_clock() {
        let c: Clock<u32> = Clock::new(32).unwrap();
        assert_eq!(c.capacity(), 32);
        for i in 0..1000u64 {
            c.insert(i << 58, i as u32, |v| *v == i as u32);
        }
        assert!(c.len() <= 32);
        // A value marked by a hit survives the next eviction of its shard.
        let c: Clock<u32> = Clock::new(32).unwrap();
        c.insert(1, 1, |v| *v == 1);
        c.insert(2, 2, |v| *v == 2);
        assert_eq!(c.get(1, |v| *v == 1), Some(1));
        c.insert(3, 3, |v| *v == 3);
        assert_eq!(c.get(1, |_| true), Some(1));
        assert_eq!(c.get(2, |_| true), None);
        assert_eq!(c.get(3, |_| true), Some(3));
        assert!(Clock::<u32>::new(0).is_none());
    }

    #[test]
    fn intervals() {
        assert_eq!(interval(5, [1, 3, 5, 7, 9]), (5, 7));
        assert_eq!(interval(0, [1]), (i64::MIN, 1));
        assert_eq!(interval(2, []), (i64::MIN, i64::MAX));
    }
}
