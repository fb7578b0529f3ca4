#![doc = include_str!("../../README.md")]
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::allow_attributes))]

pub mod audit;
pub mod calendar;
pub mod error;
pub mod limits;
pub mod policy;
pub mod registry;
pub mod wire;
pub mod workflow;

pub use error::Error;
