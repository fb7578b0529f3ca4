//! `govshare demo` (SKELETON: the audit issue fills this in).

use std::process::ExitCode;

/// Arguments of `govshare demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {}

/// Runs `govshare demo`.
pub fn demo(_args: &DemoArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`demo` is not built yet")
}
