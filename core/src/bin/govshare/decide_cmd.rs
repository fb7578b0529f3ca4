//! `govshare decide` and `govshare validate` (SKELETON: the decisions issue fills these in).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `govshare decide`.
#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// A policy pack folder; the built-in Binzhou pack by default.
    #[arg(long)]
    pub pack: Option<PathBuf>,
    /// Requests, one JSON object per line; `-` or absent for stdin.
    pub requests: Option<PathBuf>,
}

/// Arguments of `govshare validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
}

/// Runs `govshare decide`.
pub fn decide(_args: &DecideArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`decide` is not built yet")
}

/// Runs `govshare validate`.
pub fn validate(_args: &ValidateArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`validate` is not built yet")
}
