//! `govshare decide` and `govshare validate`.

use std::io::{BufRead, BufReader, Write};

use govshare::limits;
use std::path::PathBuf;
use std::process::ExitCode;

use govshare::policy::{AccessRequest, DecideOptions, Engine, PolicyPack};
use govshare::registry::{FindingSeverity, Registry};

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
    /// Evaluate moments outside the pack's validity (decisions say `in_force: false`)
    /// instead of reporting them as errors.
    #[arg(long)]
    pub evaluate_out_of_force: bool,
}

/// Arguments of `govshare validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The registry (SPEC §8 JSON).
    #[arg(long)]
    pub registry: PathBuf,
}

fn load_registry(path: &PathBuf) -> Result<Registry, ExitCode> {
    Registry::from_path(path).map_err(|e| crate::fail(&e.into()))
}

fn error_line(line: usize, code: &str, message: &str) -> String {
    serde_json::json!({"line": line, "error": {"code": code, "message": message}}).to_string()
}

/// Runs `govshare decide`: one SPEC §8 decision per input line, in order; a bad
/// line gives `{"line": N, "error": {"code", "message"}}` and the others are
/// still decided. Exit status 1 when any line failed.
pub fn decide(args: &DecideArgs) -> ExitCode {
    let registry = match load_registry(&args.registry) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let pack = match &args.pack {
        Some(dir) => match PolicyPack::load(dir) {
            Ok(p) => p,
            Err(e) => return crate::fail(&e.into()),
        },
        None => PolicyPack::binzhou(),
    };
    let engine = match Engine::new(pack, registry) {
        Ok(e) => e,
        Err(e) => return crate::fail(&e),
    };
    let input: Box<dyn BufRead> = match &args.requests {
        Some(p) if p.as_os_str() != "-" => match std::fs::File::open(p) {
            Ok(f) => Box::new(BufReader::new(f)),
            Err(e) => {
                return crate::fail_with("cli.io", &format!("cannot read `{}`: {e}", p.display()));
            }
        },
        _ => Box::new(BufReader::new(std::io::stdin().lock())),
    };
    let options = DecideOptions {
        evaluate_out_of_force: args.evaluate_out_of_force,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for (i, line) in limits::BoundedLines::new(input, limits::MAX_LINE_BYTES).enumerate() {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(limits::LineError::Limit(e)) => {
                failed = true;
                if writeln!(out, "{}", error_line(n, e.code(), &e.to_string())).is_err() {
                    return crate::fail_with("cli.io", "cannot write to stdout");
                }
                continue;
            }
            Err(e) => {
                return crate::fail_with("cli.io", &format!("cannot read line {n}: {e}"));
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let text = match limits::from_json_str::<AccessRequest>(&line, limits::Input::Request) {
            Err(e) => {
                failed = true;
                let code = e.limit().map_or("request.invalid_json", |l| l.code());
                error_line(n, code, &e.to_string())
            }
            Ok(req) => match engine.decide_with(&req, options) {
                Ok(d) => match serde_json::to_string(&d) {
                    Ok(s) => s,
                    Err(e) => error_line(n, "cli.serialize", &e.to_string()),
                },
                Err(e) => {
                    failed = true;
                    error_line(n, e.code(), &e.to_string())
                }
            },
        };
        if writeln!(out, "{text}").is_err() {
            return crate::fail_with("cli.io", "cannot write to stdout");
        }
    }
    if out.flush().is_err() {
        return crate::fail_with("cli.io", "cannot write to stdout");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `govshare validate`: one finding (JSON) per line; exit status 1 when
/// any finding is an error.
pub fn validate(args: &ValidateArgs) -> ExitCode {
    let registry = match load_registry(&args.registry) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let findings = registry.validate();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &findings {
        let Ok(text) = serde_json::to_string(f) else {
            return crate::fail_with("cli.serialize", "cannot serialise a finding");
        };
        if writeln!(out, "{text}").is_err() {
            return crate::fail_with("cli.io", "cannot write to stdout");
        }
    }
    if out.flush().is_err() {
        return crate::fail_with("cli.io", "cannot write to stdout");
    }
    if findings
        .iter()
        .any(|f| f.severity == FindingSeverity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
