"""Benchmark (not a test): govshare against pure-Python and Cedar alternatives.

    .venv/bin/python bindings-python/bench/bench.py

Installs its extra dependencies (pinned) into the running interpreter's
environment, then times, on this machine and in one run:

* ``Calendar.add_workdays(d, 15)`` against ``chinese_calendar.find_workday(15, d)``
  and ``holidays.China().get_nth_working_day(d, 15)``;
* ``Engine.decide(request)`` against ``cedarpy.is_authorized`` on the same Cedar
  policies, schema and entities that the engine evaluates.

Each figure is the best of several timed rounds, per call.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Optional

REPO = Path(__file__).resolve().parents[2]
EXTRAS = {
    "chinese_calendar": "chinesecalendar==1.11.0",
    "holidays": "holidays==0.108",
    "cedarpy": "cedarpy==4.12.2",
}


def ensure(module: str) -> Optional[Any]:
    """Imports `module`, pip-installing its pinned package first if needed."""
    try:
        return importlib.import_module(module)
    except ImportError:
        pass
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", EXTRAS[module]]
    if subprocess.run(cmd).returncode != 0:
        print(f"  ! could not install {EXTRAS[module]}: skipped")
        return None
    importlib.invalidate_caches()
    return importlib.import_module(module)


def per_call(fn: Callable[[], object], calls: int, rounds: int = 5, budget: float = 0.4) -> float:
    """Best-of-`rounds` seconds per call of `fn` (which makes `calls` calls)."""
    fn()  # warm up
    reps = 1
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        took = time.perf_counter() - t
        if took > budget / rounds or reps > 1 << 20:
            break
        reps *= 2
    best = took
    for _ in range(rounds - 1):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, time.perf_counter() - t)
    return best / (reps * calls)


def fmt(seconds: float) -> str:
    if seconds < 1e-6:
        return f"{seconds * 1e9:8.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.2f} µs"
    return f"{seconds * 1e3:8.2f} ms"


def bench_calendar(govshare: Any) -> None:
    print("\n== add 15 working days (300 start dates, 2019-2024)")
    cal = govshare.Calendar.china()
    days = [date(2019, 1, 1) + timedelta(days=7 * i + i % 7) for i in range(300)]
    ours = [cal.add_workdays(d, 15) for d in days]
    t_ours = per_call(lambda: [cal.add_workdays(d, 15) for d in days], len(days))
    print(f"  govshare Calendar.add_workdays        {fmt(t_ours)}")

    cc = ensure("chinese_calendar")
    if cc is not None:
        theirs = [cc.find_workday(15, d) for d in days]
        t = per_call(lambda: [cc.find_workday(15, d) for d in days], len(days))
        agree = sum(a == b for a, b in zip(ours, theirs))
        print(f"  chinese_calendar.find_workday         {fmt(t)}   govshare is {t / t_ours:7.0f}x faster"
              f"  (same answer on {agree}/{len(days)})")

    hol = ensure("holidays")
    if hol is not None:
        china = hol.China(years=range(2018, 2026))
        theirs = [china.get_nth_working_day(d, 15) for d in days]
        t = per_call(lambda: [china.get_nth_working_day(d, 15) for d in days], len(days))
        agree = sum(a == b for a, b in zip(ours, theirs))
        print(f"  holidays.China().get_nth_working_day  {fmt(t)}   govshare is {t / t_ours:7.0f}x faster"
              f"  (same answer on {agree}/{len(days)})")


def bench_decide(govshare: Any) -> None:
    print("\n== one access decision (sample Binzhou registry)")
    sample = REPO / "policies" / "binzhou" / "sample" / "registry.json"
    engine = govshare.Engine(sample)
    request = {
        "department": "city.civil-affairs", "resource": "hr.social-insurance",
        "method": "online_query", "purpose": "social-assistance", "network": "extranet",
        "certificate": "BZ-0007", "fields": ["id_number"], "at": "2019-06-03T10:00:00+08:00",
    }
    decision = engine.decide(request)
    t_ours = per_call(lambda: engine.decide(request), 1)
    print(f"  govshare Engine.decide                {fmt(t_ours)}   -> {decision.decision}/{decision.route}")
    batch = [request] * 1000
    t_many = per_call(lambda: engine.decide_many(batch), len(batch))
    print(f"  govshare Engine.decide_many (per req) {fmt(t_many)}")

    cedar_input = getattr(engine, "_cedar_input", None)
    if cedar_input is None:
        print("  cedarpy: skipped (this build does not expose the Cedar input it evaluates)")
        return
    cedarpy = ensure("cedarpy")
    if cedarpy is None:
        return
    inp = cedar_input(request)
    policies = cedarpy.PolicySet(inp["policies"])
    schema = cedarpy.Schema(inp["schema"]) if hasattr(cedarpy, "Schema") else inp["schema"]
    entities = cedarpy.Entities(inp["entities"], schema) if hasattr(cedarpy, "Entities") else inp["entities"]
    result = cedarpy.is_authorized(inp["request"], policies, entities, schema)
    t = per_call(lambda: cedarpy.is_authorized(inp["request"], policies, entities, schema), 1)
    print(f"  cedarpy.is_authorized (pre-parsed)    {fmt(t)}   govshare is {t / t_ours:7.1f}x faster"
          f"  -> {result.decision}")
    t_raw = per_call(
        lambda: cedarpy.is_authorized(inp["request"], inp["policies"], json.dumps(inp["entities"]), inp["schema"]), 1
    )
    print(f"  cedarpy.is_authorized (from text)     {fmt(t_raw)}   govshare is {t_raw / t_ours:7.1f}x faster")


def main() -> None:
    import govshare

    print(f"govshare {govshare.__version__} from {Path(govshare.__file__).parent}")
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    bench_calendar(govshare)
    bench_decide(govshare)


if __name__ == "__main__":
    main()
