#!/usr/bin/env bash
# The working-day calendar, cross-checked day by day (2004-2026) against the
# independent Python libraries `holidays` and `chinesecalendar` (pinned), in the
# repo-root venv .venv. Needs PyPI only the first time (pip); otherwise offline.
set -euo pipefail
cd "$(dirname "$0")/.."
HOLIDAYS_VERSION=0.108
CHINESECALENDAR_VERSION=1.11.0
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import holidays, chinese_calendar, sys; sys.exit(0 if (holidays.__version__, chinese_calendar.__version__) == ('$HOLIDAYS_VERSION', '$CHINESECALENDAR_VERSION') else 1)" 2>/dev/null; then
  .venv/bin/pip install --quiet "holidays==$HOLIDAYS_VERSION" "chinesecalendar==$CHINESECALENDAR_VERSION"
fi
.venv/bin/python scripts/check_calendar.py cargo run --quiet -p govshare --features cli --locked --
