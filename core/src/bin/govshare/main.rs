//! The `govshare` command line. Each command group lives in its own module;
//! errors go to stderr as `error[code]: message` with exit status 2.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit_cmd;
mod calendar_cmd;
mod decide_cmd;
mod demo_cmd;
mod workflow_cmd;

/// govshare: Chinese government information-sharing rules, as a policy engine.
#[derive(Debug, Parser)]
#[command(name = "govshare", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the due date of "within N working days" of a date or time.
    Deadline(calendar_cmd::DeadlineArgs),
    /// Print a month as a grid with rest days, adjusted working days and holidays.
    Calendar(calendar_cmd::CalendarArgs),
    /// Decide access requests (JSON lines) against a registry.
    Decide(decide_cmd::DecideArgs),
    /// Validate a registry's catalog (SPEC §6): one finding per line.
    Validate(decide_cmd::ValidateArgs),
    /// The state of every application and obligation after an event log.
    Applications(workflow_cmd::ApplicationsArgs),
    /// Classify the violations in an event log.
    Audit(audit_cmd::AuditArgs),
    /// Show decisions, deadlines, obligations and the audit on the built-in Binzhou data.
    Demo(demo_cmd::DemoArgs),
}

/// Prints an error as `error[code]: message` on stderr; exit status 2.
pub(crate) fn fail(err: &govshare::Error) -> ExitCode {
    eprintln!("error[{}]: {err}", err.code());
    ExitCode::from(2)
}

/// Prints a usage or I/O problem that is not a library error; exit status 2.
pub(crate) fn fail_with(code: &str, message: &str) -> ExitCode {
    eprintln!("error[{code}]: {message}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Deadline(args) => calendar_cmd::deadline(&args),
        Command::Calendar(args) => calendar_cmd::calendar(&args),
        Command::Decide(args) => decide_cmd::decide(&args),
        Command::Validate(args) => decide_cmd::validate(&args),
        Command::Applications(args) => workflow_cmd::applications(&args),
        Command::Audit(args) => audit_cmd::audit(&args),
        Command::Demo(args) => demo_cmd::demo(&args),
    }
}
