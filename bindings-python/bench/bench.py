"""Benchmark (not a test): govshare against pure-Python and Cedar alternatives.

    .venv/bin/python bindings-python/bench/bench.py

Installs its extra dependencies (pinned) into the running interpreter's
environment, then times, on this machine and in one run:

* ``Calendar.add_workdays(d, 15)`` against ``chinese_calendar.find_workday(15, d)``
  and ``holidays.China().get_nth_working_day(d, 15)``;
* ``Engine.decide(request)`` against ``cedarpy.is_authorized`` on the same Cedar
  policies, schema and entities that the engine evaluates: the four requests of
  the Rust bench's ``sample`` group repeated (govshare answers from its decision
  cache, and, with the decision cache off, evaluates every call), and 2,112
  distinct requests.

Each figure is the best of several timed rounds, per call.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
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


# The four requests of the Rust bench's `sample` group (core/benches/decide.rs),
# so that Python's figures compare with Rust's `decide_repeated` rows.
SAMPLE_AT = "2019-09-27T10:00:00+08:00"
SAMPLE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("unconditional_direct", {"department": "city.civil-affairs", "resource": "population.basic",
                              "purpose": "social-assistance"}),
    ("conditional_granted", {"department": "city.civil-affairs", "resource": "hr.social-insurance",
                             "purpose": "social-assistance", "fields": ["name", "id_number"]}),
    ("not_shared_coordinate", {"department": "city.finance", "resource": "public-security.criminal-records",
                               "purpose": "budget-management"}),
    ("deny_many_reasons", {"department": "city.market-regulation", "resource": "civil-affairs.minimum-living",
                           "purpose": "public-order", "certificate": "BZ-0001", "network": "intranet"}),
]


def sample_request(doc: dict[str, Any], case: dict[str, Any], at: str = SAMPLE_AT,
                   method: str = "online_query") -> dict[str, Any]:
    """A request as the Rust bench builds it: the resource's network, the
    department's first certificate, unless the case says otherwise."""
    dept = next(d for d in doc["departments"] if d["id"] == case["department"])
    res = next(r for r in doc["resources"] if r["id"] == case["resource"])
    certs = dept.get("certificates") or []
    req = {"method": method, "network": res["network"],
           "certificate": certs[0]["serial"] if certs else "", "at": at, **case}
    return req


def bench_decide(govshare: Any) -> None:
    print("\n== access decisions (sample Binzhou registry)")
    sample = REPO / "policies" / "binzhou" / "sample" / "registry.json"
    engine = govshare.Engine(sample)
    # Decision cache off, pairs specialised: every call is evaluated (Rust's
    # `decide_specialised`).
    evaluated = engine.with_cache_settings(decisions=0)
    doc = engine.registry()
    cedar = CedarInputs(engine)
    cedarpy = ensure("cedarpy")
    if cedarpy is not None:
        policies = cedarpy.PolicySet.from_str(cedar.policies)
        schema = cedarpy.Schema.from_str(cedar.schema)

    print("  per request, repeated (the same request each call; govshare answers from its decision cache):")
    rows = []
    for name, case in SAMPLE_CASES:
        request = sample_request(doc, case)
        decision = engine.decide(request)
        t_rep = per_call(lambda: engine.decide(request), 1)
        t_eval = per_call(lambda: evaluated.decide(request), 1)
        row = f"  {name:22s} govshare decide {fmt(t_rep)} (evaluated every call: {fmt(t_eval)})"
        if cedarpy is not None:
            inp = cedar.inputs(request)
            entities_json = json.dumps(inp["entities"])
            entities = cedarpy.Entities.from_json_str(entities_json, schema)
            result = cedarpy.is_authorized(inp["request"], policies, entities, schema)
            assert not result.diagnostics.errors, result.diagnostics.errors
            assert result.allowed == decision.permitted, (name, result, decision)
            t_pre = per_call(lambda: cedarpy.is_authorized(inp["request"], policies, entities, schema), 1)
            t_nos = per_call(lambda: cedarpy.is_authorized(inp["request"], policies, entities), 1)
            t_raw = per_call(
                lambda: cedarpy.is_authorized(inp["request"], cedar.policies, entities_json, cedar.schema), 1
            )
            row += (f" | cedarpy pre-parsed {fmt(t_pre)} ({t_pre / t_rep:5.0f}x; {t_pre / t_eval:4.1f}x evaluated),"
                    f" no schema {fmt(t_nos)}, re-parsed per call {fmt(t_raw)} ({t_raw / t_rep:5.0f}x)")
        print(row + f"  -> {decision.decision}/{decision.route}")
        rows.append((t_rep, t_eval))
    batch = [sample_request(doc, c) for _, c in SAMPLE_CASES] * 250
    t_many = per_call(lambda: engine.decide_many(batch), len(batch))
    print(f"  govshare Engine.decide_many, repeated (per request, batches of 1000)  {fmt(t_many)}")

    # Distinct requests: every department x resource x method, for the
    # department's first duty, at three moments (2,112 requests), each asked once
    # per pass; govshare with the decision cache off (every request evaluated on
    # the pair's residual policies), cedarpy on entities pre-parsed per request.
    moments = ["2018-06-01T09:30:00+08:00", SAMPLE_AT, "2021-03-15T16:45:00+08:00"]
    methods = ["system_integration", "front_processor", "online_query", "batch_download"]
    distinct = [
        sample_request(doc, {"department": d["id"], "resource": r["id"], "purpose": d["duties"][0]}, at, m)
        for at in moments for d in doc["departments"] for r in doc["resources"] for m in methods
    ]
    n = len(distinct)
    print(f"  distinct requests ({n}: every department x resource x method, first duty, three moments), per request:")
    evaluated.decide_many(distinct)  # specialise every pair first
    t_d_eval = per_call(lambda: [evaluated.decide(r) for r in distinct], n, rounds=3)

    def first_pass() -> None:
        fresh = engine.with_cache_settings()  # the default settings, empty caches
        for r in distinct:
            fresh.decide(r)

    t_d_first = per_call(first_pass, n, rounds=3)
    warm = engine.with_cache_settings()
    warm.decide_many(distinct)
    t_d_rep = per_call(lambda: [warm.decide(r) for r in distinct], n, rounds=3)
    print(f"  govshare decide, evaluated (decision cache off)        {fmt(t_d_eval)}")
    print(f"  govshare decide, default engine, first pass (fresh caches: specialise + evaluate + cache)"
          f" {fmt(t_d_first)}")
    print(f"  govshare decide, default engine, each later pass (all cached) {fmt(t_d_rep)}")
    t_d_many = per_call(lambda: evaluated.decide_many(distinct), n, rounds=3)
    print(f"  govshare decide_many, evaluated (2 cores)              {fmt(t_d_many)}")
    if cedarpy is not None:
        calls = []
        allowed = 0
        decisions = evaluated.decide_many(distinct)
        for req, dec in zip(distinct, decisions):
            inp = cedar.inputs(req)
            entities = cedarpy.Entities.from_json_str(json.dumps(inp["entities"]), schema)
            res = cedarpy.is_authorized(inp["request"], policies, entities, schema)
            assert not res.diagnostics.errors, (req, res.diagnostics.errors)
            assert res.allowed == dec.permitted, (req, res, dec)
            allowed += res.allowed
            calls.append((inp["request"], entities))
        t_c = per_call(lambda: [cedarpy.is_authorized(q, policies, e, schema) for q, e in calls], n, rounds=3)
        print(f"  cedarpy.is_authorized pre-parsed                       {fmt(t_c)}   govshare evaluated is"
              f" {t_c / t_d_eval:5.1f}x faster  (same answer on all {n}; {allowed} allowed)")


def _nanos(moment: str) -> int:
    """An RFC 3339 moment as Unix nanoseconds (the pack's unit of time)."""
    t = datetime.fromisoformat(moment)
    return (t - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1) * 1000


class CedarInputs:
    """The Cedar request, entities, policies and schema that the engine evaluates
    first for a request (with its first candidate grant): what Rust's
    `Engine::cedar_inputs` gives. Benchmark input only: it mirrors
    core/src/policy/entities.rs and `Engine::entities` / `cedar_request`, so that
    cedarpy evaluates exactly the same thing (the bench checks that every
    answer agrees)."""

    def __init__(self, engine: Any) -> None:
        pack = REPO / "policies" / "binzhou"
        self.doc = engine.registry()
        self.depts = {d["id"]: d for d in self.doc["departments"]}
        self.res = {r["id"]: r for r in self.doc["resources"]}
        self.quarantined = {f.id for f in engine.validate() if f.kind == "resource" and f.severity == "error"}
        self.policies = "\n".join(p.read_text(encoding="utf-8") for p in sorted(pack.glob("*.cedar")))
        self.schema = (pack / "schema.cedarschema").read_text(encoding="utf-8")

    @staticmethod
    def uid(ty: str, i: str) -> dict[str, str]:
        return {"type": f"Gov::{ty}", "id": i}

    def cert_uid(self, dept: str, serial: str) -> dict[str, str]:
        return self.uid("Certificate", f"{dept}\u001f{serial}")

    def department(self, d: dict[str, Any]) -> dict[str, Any]:
        return {"uid": self.uid("Department", d["id"]), "parents": [], "attrs": {
            "duties": d.get("duties", []), "roles": d.get("roles", []), "restricted": d.get("restricted", False),
            "certificates": [{"__entity": self.cert_uid(d["id"], c["serial"])} for c in d.get("certificates", [])],
        }}

    def inputs(self, request: dict[str, Any]) -> dict[str, Any]:
        d = self.depts[request["department"]]
        r = self.res[request["resource"]]
        at = _nanos(request["at"])
        grants = [g for g in self.doc["grants"] if g["department"] == d["id"] and g["resource"] == r["id"]]

        def active(g: dict[str, Any]) -> bool:
            return _nanos(g["from"]) <= at and (g.get("until") is None or at < _nanos(g["until"]))

        def distance(g: dict[str, Any]) -> int:
            if _nanos(g["from"]) > at:
                return _nanos(g["from"]) - at
            return at - _nanos(g["until"]) if g.get("until") else 0

        candidates = [g for g in grants if active(g)] or sorted(grants, key=distance)[:1]
        entities = [self.department(d), {
            "uid": self.uid("Resource", r["id"]), "parents": [], "attrs": {
                "provider": {"__entity": self.uid("Department", r["provider"])}, "sharing": r["sharing"],
                "database": r["database"], "derived": r.get("derived", False), "network": r["network"],
                "fields": r.get("fields", []), "open_fields": r.get("open_fields", []),
                "sensitivity": r.get("sensitivity", []), "state_secret": "state_secret" in r.get("sensitivity", []),
                "open_data": r.get("open_data", False), "quarantined": r["id"] in self.quarantined,
                # The day the entry joined the catalog: its first moment, China time.
                "has_catalogued": r.get("catalogued") is not None,
                "catalogued": _nanos(r["catalogued"] + "T00:00:00+08:00") if r.get("catalogued") else 0,
            }}]
        if r["provider"] != d["id"]:
            entities.append(self.department(self.depts[r["provider"]]))
        serial = request.get("certificate", "")
        serial = serial if serial.strip() else ""
        for c in d.get("certificates", []):
            if c["serial"] == serial:
                entities.append({"uid": self.cert_uid(d["id"], serial), "parents": [], "attrs": {
                    "serial": serial, "not_before": _nanos(c["not_before"]), "not_after": _nanos(c["not_after"]),
                    "revoked": c.get("revoked", False)}})
                break
        for g in candidates:
            sources = [g["source"], *g.get("approvals", [])]
            entities.append({"uid": self.uid("Grant", g["id"]), "parents": [], "attrs": {
                "department": {"__entity": self.uid("Department", g["department"])},
                "resource": {"__entity": self.uid("Resource", g["resource"])},
                "purposes": g.get("purposes", []), "all_fields": not g.get("fields"), "fields": g.get("fields", []),
                "all_methods": not g.get("methods"), "methods": g.get("methods", []),
                "from": _nanos(g["from"]), "has_until": g.get("until") is not None,
                "until": _nanos(g["until"]) if g.get("until") else 0,
                "coordinated": g["source"] in ("big_data_center", "city_government_office"),
                "provider_approved": "provider_reply" in sources,
                "big_data_center_approved": "big_data_center" in sources,
                "sources": sources,
            }})
        fields = request.get("fields") or r.get("fields", [])
        context: dict[str, Any] = {
            "method": request["method"], "purpose": request["purpose"], "fields": fields,
            "closed_fields": [f for f in fields if f not in r.get("open_fields", [])],
            "network": request["network"], "certificate_serial": serial,
            "certificate": {"__entity": self.cert_uid(d["id"], serial)}, "at": at,
        }
        if candidates:
            context["grant"] = {"__entity": self.uid("Grant", candidates[0]["id"])}
        cedar_request = {
            "principal": self.uid("Department", d["id"]), "action": self.uid("Action", "access"),
            "resource": self.uid("Resource", r["id"]), "context": context,
        }
        return {"request": cedar_request, "entities": entities}


def main() -> None:
    import govshare

    print(f"govshare {govshare.__version__} from {Path(govshare.__file__).parent}")
    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    bench_calendar(govshare)
    bench_decide(govshare)


if __name__ == "__main__":
    main()
