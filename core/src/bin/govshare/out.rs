//! Standard output and standard error for every command. Nothing here panics:
//! a closed standard output (`EPIPE`, as with `govshare calendar --days … | head`)
//! ends the output quietly, and the command exits with the status it has so far;
//! any other write error is `error[cli.io]` with exit status 2. Messages to
//! standard error are best effort (a closed standard error is ignored).

use std::io::{BufWriter, ErrorKind, StdoutLock, Write};
use std::process::ExitCode;

/// Why output stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Standard output was closed by its reader: not an error.
    Closed,
    /// Writing failed otherwise; `error[cli.io]` is already on stderr.
    Failed,
}

impl Stop {
    /// The exit status: `status` when the reader closed the output, 2 on a failure.
    pub(crate) fn exit(self, status: ExitCode) -> ExitCode {
        match self {
            Self::Closed => status,
            Self::Failed => ExitCode::from(2),
        }
    }
}

/// Buffered standard output.
#[derive(Debug)]
pub(crate) struct Out {
    inner: BufWriter<StdoutLock<'static>>,
}

impl Out {
    /// Standard output, locked and buffered.
    pub(crate) fn new() -> Self {
        Self {
            inner: BufWriter::new(std::io::stdout().lock()),
        }
    }

    /// Writes `text` as it is.
    pub(crate) fn write(&mut self, text: &str) -> Result<(), Stop> {
        self.inner.write_all(text.as_bytes()).map_err(stopped)
    }

    /// Writes `text` and a line end.
    pub(crate) fn line(&mut self, text: &str) -> Result<(), Stop> {
        self.write(text)?;
        self.write("\n")
    }

    /// Flushes what is buffered.
    pub(crate) fn flush(&mut self) -> Result<(), Stop> {
        self.inner.flush().map_err(stopped)
    }
}

fn stopped(e: std::io::Error) -> Stop {
    if e.kind() == ErrorKind::BrokenPipe {
        Stop::Closed
    } else {
        err(&format!("error[cli.io]: cannot write to stdout: {e}"));
        Stop::Failed
    }
}

/// Writes all of `text` to standard output and flushes it; exit status `status`,
/// or 2 when writing failed (a closed output keeps `status`).
pub(crate) fn emit(text: &str, status: ExitCode) -> ExitCode {
    let mut out = Out::new();
    match out.write(text).and_then(|()| out.flush()) {
        Ok(()) => status,
        Err(stop) => stop.exit(status),
    }
}

/// Writes `text` and a line end to standard error, ignoring failures.
pub(crate) fn err(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(text.as_bytes());
    let _ = e.write_all(b"\n");
}
