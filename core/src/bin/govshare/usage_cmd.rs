//! `govshare usage`: the provider's usage report (Art. 27) over an event log, as
//! one JSON object.

use govshare::error::CommandErrorKind;
use std::path::PathBuf;
use std::process::ExitCode;

use govshare::audit::UsageReporter;

use crate::workflow_cmd::{load_engine, parse_time, read_events, status};

/// Arguments of `govshare usage`.
#[derive(Debug, clap::Args)]
pub struct UsageArgs {
    /// The registry (SPEC §8 JSON): the state before the first event.
    #[arg(long)]
    pub registry: PathBuf,
    /// The event log, one JSON object per line (as for `audit`; `--events` also works).
    #[arg(
        value_name = "EVENTS",
        required_unless_present = "events_flag",
        conflicts_with = "events_flag"
    )]
    pub events: Option<PathBuf>,
    /// The event log, given as a flag instead of the positional EVENTS.
    #[arg(long = "events", value_name = "EVENTS")]
    pub events_flag: Option<PathBuf>,
    /// The provider (a department id).
    #[arg(long)]
    pub provider: String,
    /// A built-in pack (`binzhou`, `national-2025`) or a pack folder, forced for
    /// every event; by default the built-in timeline, each event judged under
    /// the pack in force at its `at`.
    #[arg(long, value_name = "NAME_OR_DIR")]
    pub pack: Option<String>,

    /// Only this resource of the provider.
    #[arg(long)]
    pub resource: Option<String>,
    /// The start of the period, included (RFC 3339).
    #[arg(long)]
    pub from: Option<String>,
    /// The end of the period, included (RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
}

/// Runs `govshare usage`.
pub fn usage(args: &UsageArgs) -> ExitCode {
    match run(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run(args: &UsageArgs) -> Result<ExitCode, ExitCode> {
    let Some(events) = args.events.as_ref().or(args.events_flag.as_ref()) else {
        return Err(crate::fail_with(
            CommandErrorKind::Usage,
            "an event log is required",
        ));
    };
    let engine = load_engine(&args.registry, args.pack.as_deref())?;
    let from = args
        .from
        .as_deref()
        .map(|t| parse_time("from", t))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| parse_time("until", t))
        .transpose()?;
    let mut reporter = UsageReporter::new(
        &engine,
        &args.provider,
        args.resource.as_deref(),
        from,
        until,
    )
    .map_err(|e| crate::fail(&e))?;
    let unreadable = read_events(events, |event| match event {
        Some(event) => reporter.push(&event),
        None => reporter.skip_entry(),
    })?;
    let report = reporter.finish().map_err(|e| crate::fail(&e))?;
    // SPEC v2 §4: a repeated id is ignored and reported like a rejected line
    // (exit status 1); the other notices are warnings.
    let mut refused = 0;
    for n in &report.reported {
        let resource = n
            .resource
            .as_deref()
            .map(|r| format!(" (resource `{r}`)"))
            .unwrap_or_default();
        let what = match n.code.as_str() {
            "duplicate_event" => {
                refused += 1;
                crate::out::err(&format!(
                    "error[workflow.duplicate_event]: event `{}` repeats an id seen before; ignored",
                    n.event
                ));
                continue;
            }
            "out_of_order" => format!(
                "event `{}` dated {} is earlier than the event before it ({}); read in log order",
                n.event,
                n.at.to_rfc3339(),
                n.previous.map(|t| t.to_rfc3339()).unwrap_or_default()
            ),
            "resource_withdrawn" => format!(
                "usage `{}`{resource} names a withdrawn resource; not counted",
                n.event
            ),
            "unknown_resource" => format!(
                "usage `{}`{resource} names a resource not in the catalog; not counted",
                n.event
            ),
            _ => match &n.reason {
                Some(why) => format!("{why}; not applied"),
                None => format!("event `{}`{resource} not applied", n.event),
            },
        };
        crate::out::err(&format!("warning[{}]: {what}", n.code));
    }
    let status = status(unreadable + refused);
    let text = serde_json::to_string(&report)
        .map_err(|e| crate::fail_with(CommandErrorKind::Json, &e.to_string()))?;
    Ok(crate::out::emit(&format!("{text}\n"), status))
}
