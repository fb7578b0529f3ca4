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
from datetime import date, datetime, timedelta
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
        # chinese_calendar counts a rest-day start's next working day as day 0.
        day0 = cal.with_rule("next_workday_is_day_zero")
        agree0 = sum(day0.add_workdays(d, 15) == b for d, b in zip(days, theirs))
        print(f"  chinese_calendar.find_workday         {fmt(t)}   govshare is {t / t_ours:7.0f}x faster"
              f"  (same answer on {agree}/{len(days)}; {agree0}/{len(days)} with rule"
              f" next_workday_is_day_zero)")

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

    cedarpy = ensure("cedarpy")
    if cedarpy is None:
        return
    inp = cedar_input(request)
    policies = cedarpy.PolicySet.from_str(inp["policies"])
    schema = cedarpy.Schema.from_str(inp["schema"])
    entities = cedarpy.Entities.from_json_str(json.dumps(inp["entities"]), schema)
    result = cedarpy.is_authorized(inp["request"], policies, entities, schema)
    assert result.allowed == decision.permitted, (result, decision)
    t = per_call(lambda: cedarpy.is_authorized(inp["request"], policies, entities, schema), 1)
    print(f"  cedarpy.is_authorized (pre-parsed)    {fmt(t)}   govshare is {t / t_ours:7.1f}x faster"
          f"  -> {result.decision}")
    t_nos = per_call(lambda: cedarpy.is_authorized(inp["request"], policies, entities), 1)
    print(f"  cedarpy.is_authorized (no schema)     {fmt(t_nos)}   govshare is {t_nos / t_ours:7.1f}x faster")
    entities_json = json.dumps(inp["entities"])
    t_raw = per_call(
        lambda: cedarpy.is_authorized(inp["request"], inp["policies"], entities_json, inp["schema"]), 1
    )
    print(f"  cedarpy.is_authorized (from text)     {fmt(t_raw)}   govshare is {t_raw / t_ours:7.1f}x faster")


def cedar_input(request: dict[str, Any]) -> dict[str, Any]:
    """The Cedar request, entities, policies and schema the engine evaluates for
    `request` (one candidate grant). Benchmark input only: it mirrors
    core/src/policy/entities.rs so that cedarpy evaluates exactly the same thing."""
    pack = REPO / "policies" / "binzhou"
    registry = json.loads((pack / "sample" / "registry.json").read_text(encoding="utf-8"))
    depts = {d["id"]: d for d in registry["departments"]}
    res = {r["id"]: r for r in registry["resources"]}
    ts = lambda s: int(datetime.fromisoformat(s).timestamp())  # noqa: E731
    dep = lambda i: {"__entity": {"type": "Gov::Department", "id": i}}  # noqa: E731

    def department(d: dict[str, Any]) -> dict[str, Any]:
        c = d.get("certificate")
        return {"uid": dep(d["id"])["__entity"], "parents": [], "attrs": {
            "duties": d.get("duties", []), "roles": d.get("roles", []),
            "restricted": d.get("restricted", False), "has_certificate": c is not None,
            "certificate_serial": c["serial"] if c else "",
            "certificate_not_before": ts(c["not_before"]) if c else 0,
            "certificate_not_after": ts(c["not_after"]) if c else 0,
            "certificate_revoked": bool(c and c.get("revoked")),
        }}

    r = res[request["resource"]]
    d = depts[request["department"]]
    grants = [g for g in registry["grants"] if g["department"] == d["id"] and g["resource"] == r["id"]]
    g = grants[0]
    sources = [g["source"], *g.get("approvals", [])]
    entities = [department(d), department(depts[r["provider"]]), {
        "uid": {"type": "Gov::Resource", "id": r["id"]}, "parents": [], "attrs": {
            "provider": dep(r["provider"]), "sharing": r["sharing"], "database": r["database"],
            "derived": r.get("derived", False), "network": r["network"], "fields": r.get("fields", []),
            "open_fields": r.get("open_fields", []), "sensitivity": r.get("sensitivity", []),
            "state_secret": "state_secret" in r.get("sensitivity", []), "open_data": r.get("open_data", False),
        }}, {
        "uid": {"type": "Gov::Grant", "id": g["id"]}, "parents": [], "attrs": {
            "department": dep(g["department"]),
            "resource": {"__entity": {"type": "Gov::Resource", "id": g["resource"]}},
            "purposes": g.get("purposes", []), "all_fields": not g.get("fields"), "fields": g.get("fields", []),
            "all_methods": not g.get("methods"), "methods": g.get("methods", []),
            "from": ts(g["from"]), "has_until": g.get("until") is not None,
            "until": ts(g["until"]) if g.get("until") else 0,
            "coordinated": g["source"] in ("big_data_center", "city_government_office"),
            "provider_approved": "provider_reply" in sources,
            "big_data_center_approved": "big_data_center" in sources,
        }}]
    cedar_request = {
        "principal": {"type": "Gov::Department", "id": d["id"]},
        "action": {"type": "Gov::Action", "id": "access"},
        "resource": {"type": "Gov::Resource", "id": r["id"]},
        "context": {
            "method": request["method"], "purpose": request["purpose"],
            "fields": request.get("fields") or r.get("fields", []), "network": request["network"],
            "certificate": request["certificate"], "at": ts(request["at"]),
            "grant": {"__entity": {"type": "Gov::Grant", "id": g["id"]}},
        },
    }
    policies = "\n".join(p.read_text(encoding="utf-8") for p in sorted(pack.glob("*.cedar")))
    schema = (pack / "schema.cedarschema").read_text(encoding="utf-8")
    return {"request": cedar_request, "entities": entities, "policies": policies, "schema": schema}


def main() -> None:
    import govshare

    print(f"govshare {govshare.__version__} from {Path(govshare.__file__).parent}")
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    bench_calendar(govshare)
    bench_decide(govshare)


if __name__ == "__main__":
    main()
