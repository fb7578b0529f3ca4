//! `govshare applications`: the state of every application and obligation after an
//! event log, as JSON lines.

use govshare::error::CommandErrorKind;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use govshare::limits;
use govshare::policy::Engine;
use govshare::registry::Registry;
use govshare::workflow::{Event, Ledger};

use crate::decide_cmd::skipped_line_code;
use crate::out::Out;

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
    /// A built-in pack (`binzhou`, `national-2025`) or a pack folder, forced for
    /// every event; by default the built-in timeline, each event judged under
    /// the pack in force at its `at`.
    #[arg(long, value_name = "NAME_OR_DIR")]
    pub pack: Option<String>,
}

/// Loads the registry and builds the engine over the built-in timeline of packs.
pub(crate) fn load_engine(registry: &Path, pack: Option<&str>) -> Result<Engine, ExitCode> {
    let registry =
        Registry::from_path(registry).map_err(|e| crate::fail(&govshare::Error::from(e)))?;
    // The built-in timeline by default, as the bindings': each event is judged by
    // the pack in force at its moment; `--pack` forces one.
    let names = pack.map(|p| vec![p.to_owned()]);
    Engine::with_pack_names(names.as_deref(), registry).map_err(|e| crate::fail(&e))
}

/// Parses an RFC 3339 moment given on the command line.
pub(crate) fn parse_time(flag: &str, text: &str) -> Result<DateTime<FixedOffset>, ExitCode> {
    DateTime::parse_from_rfc3339(text).map_err(|e| {
        crate::fail_with(
            CommandErrorKind::InvalidTime,
            &format!("`--{flag}` value `{text}` is not an RFC 3339 time: {e}"),
        )
    })
}

/// Reads an event log line by line, calling `each` with every parsed event; a line
/// that does not parse (too long, not UTF-8, not an event) is reported on stderr
/// (with its line number) and `each` gets `None`, so positional ids stay right.
/// Blank lines are not events. Returns how many lines were reported.
pub(crate) fn read_events(
    path: &Path,
    mut each: impl FnMut(Option<Event>),
) -> Result<usize, ExitCode> {
    let file = std::fs::File::open(path).map_err(|e| {
        crate::fail_with(
            CommandErrorKind::Io,
            &format!("cannot read event log `{}`: {e}", path.display()),
        )
    })?;
    let lines = limits::BoundedLines::new(BufReader::new(file), limits::MAX_LINE_BYTES);
    let mut rejected = 0;
    for (n, line) in lines.enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                let Some(code) = skipped_line_code(&e) else {
                    return Err(crate::fail_with(
                        CommandErrorKind::Io,
                        &format!("cannot read event log `{}`: {e}", path.display()),
                    ));
                };
                crate::out::err(&format!("error[{code}]: {e}"));
                rejected += 1;
                each(None);
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match Event::from_json_str(&line) {
            Ok(event) => each(Some(event)),
            Err(e) => {
                let code = e
                    .limit()
                    .map_or(govshare::error::InputErrorKind::InvalidEvent.code(), |l| {
                        l.code()
                    });
                crate::out::err(&format!("error[{code}]: line {}: {e}", n + 1));
                rejected += 1;
                each(None);
            }
        }
    }
    Ok(rejected)
}

/// Exit status 1 when any input line was rejected, else 0.
pub(crate) fn status(rejected: usize) -> ExitCode {
    if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn tagged(record: &str, value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.insert(
                "record".to_owned(),
                serde_json::Value::String(record.to_owned()),
            );
            serde_json::Value::Object(m).to_string()
        }
        Ok(other) => other.to_string(),
        Err(e) => format!("{{\"record\":\"{record}\",\"error\":\"{e}\"}}"),
    }
}

/// Runs `govshare applications`.
pub fn applications(args: &ApplicationsArgs) -> ExitCode {
    match run(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run(args: &ApplicationsArgs) -> Result<ExitCode, ExitCode> {
    let engine = load_engine(&args.registry, args.pack.as_deref())?;
    let as_of = args
        .as_of
        .as_deref()
        .map(|t| parse_time("as-of", t))
        .transpose()?;
    let mut ledger = Ledger::new(engine);
    let mut last = None;
    let mut refused = 0;
    let unreadable = read_events(&args.events, |event| match event {
        Some(event) => {
            last = Some(event.at);
            if let Err(e) = ledger.apply(&event) {
                crate::out::err(&format!("error[{}]: {e}", e.code()));
                refused += 1;
            }
        }
        None => ledger.skip_entry(),
    })?;
    let status = status(unreadable + refused);
    let Some(as_of) = as_of.or(last) else {
        return Ok(status);
    };
    let state = ledger.state(as_of);
    let mut out = Out::new();
    let lines = state
        .applications
        .iter()
        .map(|a| tagged("application", a))
        .chain(state.obligations.iter().map(|o| tagged("obligation", o)));
    for line in lines {
        if let Err(stop) = out.line(&line) {
            return Ok(stop.exit(status));
        }
    }
    Ok(out
        .flush()
        .map_or_else(|stop| stop.exit(status), |()| status))
}
