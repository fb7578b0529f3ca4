//! The `govshare` command line. Each command group lives in its own module;
//! errors go to stderr as `error[code]: message` with exit status 2 (usage errors
//! as `error[cli.usage]`). All output goes through [`out`]: a closed standard
//! output ends a command quietly, never with a panic.

use govshare::error::CommandErrorKind;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit_cmd;
mod calendar_cmd;
mod decide_cmd;
mod demo_cmd;
mod out;
mod usage_cmd;
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
    /// The provider's usage report (Art. 27): usages of its resources by department, purpose and grant.
    Usage(usage_cmd::UsageArgs),
    /// Show decisions, deadlines, obligations and the audit on the built-in Binzhou data.
    Demo(demo_cmd::DemoArgs),
}

/// Prints an error as `error[code]: message` on stderr; exit status 2.
pub(crate) fn fail(err: &govshare::Error) -> ExitCode {
    out::err(&format!("error[{}]: {err}", err.code()));
    ExitCode::from(2)
}

/// Prints a usage or I/O problem that is not a library error; exit status 2.
pub(crate) fn fail_with(kind: CommandErrorKind, message: &str) -> ExitCode {
    let code = kind.code();
    out::err(&format!("error[{code}]: {message}"));
    ExitCode::from(2)
}

/// clap's help and version go to stdout as clap writes them (exit status 0); any
/// other parse error is `error[cli.usage]: …` with clap's explanation and usage,
/// exit status 2.
fn usage(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            fail_with(CommandErrorKind::Usage, text.trim_end())
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    match cli.command {
        Command::Deadline(args) => calendar_cmd::deadline(&args),
        Command::Calendar(args) => calendar_cmd::calendar(&args),
        Command::Decide(args) => decide_cmd::decide(&args),
        Command::Validate(args) => decide_cmd::validate(&args),
        Command::Applications(args) => workflow_cmd::applications(&args),
        Command::Audit(args) => audit_cmd::audit(&args),
        Command::Usage(args) => usage_cmd::usage(&args),
        Command::Demo(args) => demo_cmd::demo(&args),
    }
}
