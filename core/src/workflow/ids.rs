//! The event ids a ledger has seen (SPEC §4 Order: event ids are unique).
//!
//! An event without `id` has the decimal string of its 1-based position as its id.
//! Ids are kept in two ways:
//! - an id that ends in a number (`"17"`, `"ev-17"`, `"2019/000017"`; no leading
//!   zero) is one bit in a bit set per prefix (`""`, `"ev-"`, `"2019/"`), while the
//!   numbers are dense enough: at most 2 bytes of bit sets per id recorded, plus
//!   128 KiB. Positions are such ids, so a log numbered by position or by a counter
//!   costs one bit per event;
//! - any other id is a 128-bit fingerprint under two randomly keyed SipHash
//!   functions (16 bytes each, whatever the id's length): two different ids share a
//!   fingerprint with probability about 2⁻¹²⁸, so a billion ids collide with
//!   probability below 10⁻²⁰, and nobody can craft a collision without the keys.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A hasher for keys that are already uniformly random (fingerprints): it keeps
/// their low 64 bits.
#[derive(Debug, Default, Clone, Copy)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        // Truncation intended: the low half of a random fingerprint.
        self.0 = n as u64;
    }
}

/// Bit-set words allowed without any id recorded (128 KiB).
const FREE_WORDS: u64 = 16 * 1024;

/// The ids of the events a ledger has applied.
#[derive(Debug, Clone)]
pub(crate) struct IdSet {
    keys: (RandomState, RandomState),
    fingerprints: HashSet<u128, BuildHasherDefault<Prehashed>>,
    /// Prefix, then one bit per number.
    numbered: HashMap<String, Vec<u64>>,
    /// Words in all bit sets.
    words: u64,
    /// Ids recorded.
    recorded: u64,
}

/// An id ending in a number: its prefix and the number.
fn numbered(id: &str) -> Option<(&str, u64)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    let split = id.len().checked_sub(digits)?;
    let (prefix, number) = (id.get(..split)?, id.get(split..)?);
    if number.is_empty() || number.len() > 18 || (number.len() > 1 && number.starts_with('0')) {
        return None;
    }
    Some((prefix, number.parse().ok()?))
}

impl IdSet {
    pub(crate) fn new() -> Self {
        Self {
            keys: (RandomState::new(), RandomState::new()),
            fingerprints: HashSet::default(),
            numbered: HashMap::new(),
            words: 0,
            recorded: 0,
        }
    }

    fn fingerprint(&self, id: &str) -> u128 {
        (u128::from(self.keys.0.hash_one(id)) << 64) | u128::from(self.keys.1.hash_one(id))
    }

    /// Whether `id` was recorded.
    pub(crate) fn seen(&self, id: &str) -> bool {
        if let Some((prefix, n)) = numbered(id)
            && let Some(bits) = self.numbered.get(prefix)
        {
            let (word, bit) = (n / 64, n % 64);
            if usize::try_from(word)
                .ok()
                .and_then(|w| bits.get(w))
                .is_some_and(|w| w & (1 << bit) != 0)
            {
                return true;
            }
        }
        // An id ending in a number may have been recorded as a fingerprint when its
        // bit set could not grow.
        !self.fingerprints.is_empty() && self.fingerprints.contains(&self.fingerprint(id))
    }

    /// Records `id`.
    pub(crate) fn insert(&mut self, id: &str) {
        self.recorded += 1;
        if let Some((prefix, n)) = numbered(id) {
            let word = n / 64;
            let have = self
                .numbered
                .get(prefix)
                .map_or(0, |b| u64::try_from(b.len()).unwrap_or(u64::MAX));
            let extra = (word + 1).saturating_sub(have);
            let budget = FREE_WORDS.saturating_add(self.recorded / 4);
            if self.words.saturating_add(extra) <= budget
                && let Ok(w) = usize::try_from(word)
            {
                let bits = self.numbered.entry(prefix.to_owned()).or_default();
                if bits.len() <= w {
                    bits.resize(w + 1, 0);
                }
                if let Some(slot) = bits.get_mut(w) {
                    *slot |= 1 << (n % 64);
                    self.words += extra;
                    return;
                }
            }
        }
        let fp = self.fingerprint(id);
        self.fingerprints.insert(fp);
    }
}

#[cfg(test)]
mod tests {
    use super::{IdSet, numbered};

    #[test]
    fn ids_ending_in_numbers_split() {
        assert_eq!(numbered("17"), Some(("", 17)));
        assert_eq!(numbered("ev-17"), Some(("ev-", 17)));
        assert_eq!(numbered("ev-0"), Some(("ev-", 0)));
        assert_eq!(numbered("ev-017"), None);
        assert_eq!(numbered("ev-"), None);
        assert_eq!(numbered("申請-3"), Some(("申請-", 3)));
    }

    #[test]
    fn explicit_and_positional_ids_meet() {
        let mut ids = IdSet::new();
        ids.insert("e-1");
        ids.insert("2");
        ids.insert("x");
        assert!(ids.seen("e-1"));
        assert!(ids.seen("x"));
        assert!(!ids.seen("e-2"));
        assert!(!ids.seen("y"));
        // "2" was recorded (a position, or an explicit id); "02" is another id.
        assert!(ids.seen("2"));
        assert!(!ids.seen("02"));
        ids.insert("02");
        assert!(ids.seen("02"));
    }

    #[test]
    fn sparse_numbers_fall_back_to_fingerprints() {
        let mut ids = IdSet::new();
        // Far beyond the bit-set budget: recorded as a fingerprint.
        ids.insert("ev-999999999999");
        assert!(ids.seen("ev-999999999999"));
        assert!(!ids.seen("ev-999999999998"));
        assert!(ids.words <= super::FREE_WORDS);
        assert_eq!(ids.fingerprints.len(), 1);
        // Dense numbers stay in the bit set.
        for i in 0..10_000 {
            ids.insert(&format!("ev-{i}"));
        }
        assert!((0..10_000).all(|i| ids.seen(&format!("ev-{i}"))));
        assert_eq!(ids.fingerprints.len(), 1);
    }
}
