#!/usr/bin/env bash
# Rust: every workspace crate's unit, integration and doc tests, with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-features --locked
