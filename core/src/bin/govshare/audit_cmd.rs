//! `govshare audit` (SKELETON: the audit issue fills this in).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `govshare audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// The event log, one JSON object per line.
    pub events: PathBuf,
    /// The moment of the audit (RFC 3339).
    #[arg(long)]
    pub as_of: String,
    /// Print a table per department and article instead of JSON lines.
    #[arg(long)]
    pub summary: bool,
}

/// Runs `govshare audit`.
pub fn audit(_args: &AuditArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`audit` is not built yet")
}
