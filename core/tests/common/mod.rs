//! What the command-line tests share: the sample registry, running the built
//! `govshare` binary, and writing a log file for it.
#![allow(
    dead_code,
    reason = "each CLI test binary uses the part it needs; `expect` would be unfulfilled in the others"
)]

use std::process::Command;

/// The Binzhou sample registry.
pub const REGISTRY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/binzhou/sample/registry.json"
);

/// Runs `govshare ARGS`: its exit status, stdout and stderr.
pub fn govshare(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_govshare"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Writes `text` to a temporary `.jsonl` file of this test binary; its path.
pub fn log_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("govshare-{}-{name}.jsonl", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}
