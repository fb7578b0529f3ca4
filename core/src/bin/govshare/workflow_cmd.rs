//! `govshare applications` (SKELETON: the workflow issue fills this in).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `govshare applications`.
#[derive(Debug, clap::Args)]
pub struct ApplicationsArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// The event log, one JSON object per line.
    pub events: PathBuf,
    /// The moment to report the state at (RFC 3339); the last event's time by default.
    #[arg(long)]
    pub as_of: Option<String>,
}

/// Runs `govshare applications`.
pub fn applications(_args: &ApplicationsArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`applications` is not built yet")
}
