//! The `govshare` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod calendar_cmd;

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
}

/// Prints an error as `error[code]: message` on stderr; exit status 2.
pub(crate) fn fail(err: &govshare::Error) -> ExitCode {
    eprintln!("error[{}]: {err}", err.code());
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Deadline(args) => calendar_cmd::deadline(&args),
        Command::Calendar(args) => calendar_cmd::calendar(&args),
    }
}
