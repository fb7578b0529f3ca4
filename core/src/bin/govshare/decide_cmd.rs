//! `govshare decide` and `govshare validate`.

use govshare::error::CommandErrorKind;
use std::io::{BufRead, BufReader};

use govshare::limits;
use std::path::PathBuf;
use std::process::ExitCode;

use govshare::policy::{AccessRequest, DecideOptions, Engine, PolicyPack, Question};
use govshare::registry::{FindingSeverity, Registry};

use crate::out::Out;

/// The code of a line that [`limits::BoundedLines`] skipped (too long, not UTF-8);
/// `None` when reading failed (the input cannot go on).
pub(crate) fn skipped_line_code(e: &limits::LineError) -> Option<&'static str> {
    match e {
        limits::LineError::Limit(l) => Some(l.code()),
        limits::LineError::InvalidUtf8 { .. } => Some(CommandErrorKind::InvalidEncoding.code()),
        _ => None,
    }
}

/// Arguments of `govshare decide`.
#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// A built-in pack (`binzhou`, `national-2025`) or a pack folder, forced for
    /// every moment; by default the built-in timeline (Binzhou until 2022-11-05,
    /// the national regulation from 2025-08-01), each request judged under the
    /// pack in force at its `at`.
    #[arg(long, value_name = "NAME_OR_DIR")]
    pub pack: Option<String>,
    /// Requests, one JSON object per line; `-` or absent for stdin.
    pub requests: Option<PathBuf>,
    /// Evaluate moments outside the pack's validity (decisions say `in_force: false`)
    /// instead of reporting them as errors.
    #[arg(long)]
    pub evaluate_out_of_force: bool,
}

/// One input line: an access request, answered with a decision, or (SPEC v2 §8)
/// a question line (an object with `question`), answered on its own line.
fn answer_line(
    engine: &Engine,
    line: &str,
    options: DecideOptions,
) -> Result<String, (&'static str, String)> {
    let value: serde_json::Value =
        limits::from_json_str(line, limits::Input::Request).map_err(|e| {
            let code = e
                .limit()
                .map_or(CommandErrorKind::InvalidRequestLine.code(), |l| l.code());
            (code, e.to_string())
        })?;
    let answer = if value.get("question").is_some() {
        let question: Question = serde_json::from_value(value).map_err(|e| {
            (
                govshare::policy::PolicyError::INVALID_REQUEST,
                format!("invalid question: {e}"),
            )
        })?;
        engine
            .answer_with(&question, options)
            .map(|a| serde_json::to_string(&a))
    } else {
        let request: AccessRequest = serde_json::from_value(value)
            .map_err(|e| (CommandErrorKind::InvalidRequestLine.code(), e.to_string()))?;
        engine
            .decide_with(&request, options)
            .map(|d| serde_json::to_string(&d))
            .map_err(govshare::Error::from)
    };
    match answer {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err((CommandErrorKind::Serialize.code(), e.to_string())),
        Err(e) => Err((e.code(), e.to_string())),
    }
}

/// Arguments of `govshare validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
    /// The pack whose catalog findings to report: a built-in pack (`binzhou`,
    /// `national-2025`) or a pack folder; `binzhou` by default.
    #[arg(long, value_name = "NAME_OR_DIR", default_value = "binzhou")]
    pub pack: String,
}

fn load_registry(path: &PathBuf) -> Result<Registry, ExitCode> {
    Registry::from_path(path).map_err(|e| crate::fail(&e.into()))
}

fn error_line(line: usize, code: &str, message: &str) -> String {
    serde_json::json!({"line": line, "error": {"code": code, "message": message}}).to_string()
}

/// Runs `govshare decide`: one SPEC §8 decision per request line, and one answer
/// per question line (SPEC v2 §8), in order; a bad line (not UTF-8, too long, not a request, not decidable) gives
/// `{"line": N, "error": {"code", "message"}}` and the others are still decided.
/// Exit status 1 when any line failed. When stdout is closed, deciding stops
/// (status 1 if a line failed before that).
pub fn decide(args: &DecideArgs) -> ExitCode {
    let registry = match load_registry(&args.registry) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let engine = match &args.pack {
        Some(name_or_dir) => match PolicyPack::named_or_load(name_or_dir) {
            Ok(p) => Ok(Engine::from_pack(p, registry)),
            Err(e) => return crate::fail(&e.into()),
        },
        None => Engine::builtin_timeline(registry),
    };
    let engine = match engine {
        Ok(e) => e,
        Err(e) => return crate::fail(&e),
    };
    let input: Box<dyn BufRead> = match &args.requests {
        Some(p) if p.as_os_str() != "-" => match std::fs::File::open(p) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                return crate::fail_with(
                    CommandErrorKind::Io,
                    &format!("cannot read `{}`: {e}", p.display()),
                );
            }
        },
        _ => Box::new(BufReader::new(std::io::stdin().lock())),
    };
    let options = DecideOptions {
        evaluate_out_of_force: args.evaluate_out_of_force,
    };
    let mut out = Out::new();
    let mut failed = false;
    let status = |failed: bool| {
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    };
    for (i, line) in limits::BoundedLines::new(input, limits::MAX_LINE_BYTES).enumerate() {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let Some(code) = skipped_line_code(&e) else {
                    let _ = out.flush();
                    return crate::fail_with(
                        CommandErrorKind::Io,
                        &format!("cannot read line {n}: {e}"),
                    );
                };
                failed = true;
                if let Err(stop) = out.line(&error_line(n, code, &e.to_string())) {
                    return stop.exit(status(failed));
                }
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let text = match answer_line(&engine, &line, options) {
            Ok(s) => s,
            Err((code, message)) => {
                failed = true;
                error_line(n, code, &message)
            }
        };
        if let Err(stop) = out.line(&text) {
            return stop.exit(status(failed));
        }
    }
    match out.flush() {
        Ok(()) => status(failed),
        Err(stop) => stop.exit(status(failed)),
    }
}

/// Runs `govshare validate`: one finding (JSON) per line; exit status 1 when
/// any finding is an error.
pub fn validate(args: &ValidateArgs) -> ExitCode {
    let registry = match load_registry(&args.registry) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let pack = match PolicyPack::named_or_load(&args.pack) {
        Ok(p) => p,
        Err(e) => return crate::fail(&e.into()),
    };
    let findings = pack.validate(&registry);
    let status = if findings
        .iter()
        .any(|f| f.severity == FindingSeverity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    let mut out = Out::new();
    for f in &findings {
        let Ok(text) = serde_json::to_string(f) else {
            return crate::fail_with(CommandErrorKind::Serialize, "cannot serialise a finding");
        };
        if let Err(stop) = out.line(&text) {
            return stop.exit(status);
        }
    }
    match out.flush() {
        Ok(()) => status,
        Err(stop) => stop.exit(status),
    }
}
