#!/usr/bin/env bash
# Node: install the pinned tools (npm ci), build the addon with napi-rs, check that
# the committed loader (index.js) and types (index.d.ts) are what the build makes,
# then run the node --test suites against the built addon.
set -euo pipefail
cd "$(dirname "$0")/../bindings-node"
npm ci --no-audit --no-fund
npx napi build --platform --release
if ! git diff --exit-code -- index.js index.d.ts; then
  echo "bindings-node/index.js or index.d.ts drifted from a fresh build: commit the regenerated files" >&2
  exit 1
fi
node --test __test__/*.test.mjs
