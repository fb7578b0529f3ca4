//! `govshare deadline` and `govshare calendar` (SKELETON: the calendar issue fills these in).

use std::process::ExitCode;

/// Arguments of `govshare deadline`.
#[derive(Debug, clap::Args)]
pub struct DeadlineArgs {
    /// A date (YYYY-MM-DD) or an RFC 3339 time.
    pub start: String,
    /// The number of working days.
    pub workdays: u32,
}

/// Arguments of `govshare calendar`.
#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The month, YYYY-MM.
    pub month: String,
}

/// Runs `govshare deadline`.
pub fn deadline(_args: &DeadlineArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`deadline` is not built yet")
}

/// Runs `govshare calendar`.
pub fn calendar(_args: &CalendarArgs) -> ExitCode {
    crate::fail_with("cli.not_built", "`calendar` is not built yet")
}
