#!/usr/bin/env bash
# Python: build the abi3 wheel, install it into the repo-root venv and test the
# INSTALLED package (not the source tree), then check the stubs with stubtest.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
MYPY_VERSION=2.4.1

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
py=$repo/.venv/bin/python
"$py" -m pip install --quiet --disable-pip-version-check \
  "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION"

# One wheel per run: clear old ones so the glob below picks this build.
rm -f target/wheels/govshare-*.whl
"$repo/.venv/bin/maturin" build --release --locked \
  -m bindings-python/Cargo.toml -o target/wheels -i "$py"
wheel=$(ls target/wheels/govshare-*.whl)
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# Run from a directory where bindings-python/python is not importable.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$py" -m pytest -q -p no:cacheprovider --import-mode=importlib \
  --rootdir "$repo/bindings-python" -c "$repo/bindings-python/pyproject.toml" \
  "$repo/bindings-python/tests"
"$py" -m mypy.stubtest govshare --mypy-config-file "$repo/bindings-python/pyproject.toml"
