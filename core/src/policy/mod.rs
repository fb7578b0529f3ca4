//! Policy packs, Cedar evaluation and decisions (SPEC §2, §7).
//!
//! SKELETON: the wire types are the contract; the decisions issue fills in the
//! pack loading and the engine.

mod manifest;
mod wire;

pub use manifest::{Manifest, SeveritySettings};
pub use wire::{AccessRequest, Decision, Effect, Reason, Route};

use crate::registry::Registry;

/// An error from a policy pack or the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The moment asked about is outside the pack's validity (Art. 33).
    #[error("`{at}` is outside the validity of pack `{pack}` ({from} to {until})")]
    NotInForce {
        /// The moment.
        at: String,
        /// The pack name.
        pack: String,
        /// Start of validity.
        from: String,
        /// End of validity.
        until: String,
    },
}

impl PolicyError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotInForce { .. } => "policy.not_in_force",
        }
    }
}

/// A loaded, validated policy pack (SPEC §7).
#[derive(Debug, Clone)]
pub struct PolicyPack {
    manifest: Manifest,
}

#[expect(clippy::todo, reason = "skeleton: replaced by the decisions issue")]
impl PolicyPack {
    /// The built-in Binzhou pack.
    pub fn binzhou() -> Self {
        todo!()
    }
    /// The pack's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }
}

/// The decision engine: a pack plus a registry snapshot. Immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Engine {
    pack: PolicyPack,
    registry: Registry,
}

#[expect(clippy::todo, reason = "skeleton: replaced by the decisions issue")]
impl Engine {
    /// An engine over `pack` and `registry`.
    pub fn new(pack: PolicyPack, registry: Registry) -> Result<Self, crate::Error> {
        Ok(Self { pack, registry })
    }
    /// The same pack over a new registry snapshot (policies are not re-parsed).
    pub fn with_registry(&self, registry: Registry) -> Self {
        Self {
            pack: self.pack.clone(),
            registry,
        }
    }
    /// The registry snapshot.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
    /// The pack.
    pub fn pack(&self) -> &PolicyPack {
        &self.pack
    }
    /// Decides one request.
    pub fn decide(&self, _request: &AccessRequest) -> Result<Decision, crate::Error> {
        todo!()
    }
}
