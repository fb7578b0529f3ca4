"""The shared vectors (tests/vectors/*.json, format in tests/vectors/README.md)
run against the installed wheel, case by case, like the Rust and Node runners.

A case fails naming its file, id and the difference. A kind the package does not
bind yet is skipped with its reason; a case marked ``known_bug`` (the library
disagrees with the SPEC) is an expected failure unless GOVSHARE_VECTORS_STRICT=1,
and fails when it passes (the note must go).
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

import govshare

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
NAMED = {
    "sample": REPO / "policies" / "binzhou" / "sample" / "registry.json",
    "national": REPO / "policies" / "national-2025" / "sample" / "registry.json",
}
STRICT = os.environ.get("GOVSHARE_VECTORS_STRICT") == "1"

FILE_KEYS = {"description", "registry", "packs", "cases"}
CASE_KEYS = {"id", "kind", "rule", "note", "known_bug", "input", "expect"}


class Mismatch(AssertionError):
    pass


def _load() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        extra = set(doc) - FILE_KEYS
        assert not extra, f"{path.name}: unknown fields {sorted(extra)}"
        ids = [c["id"] for c in doc["cases"]]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate case ids"
        for case in doc["cases"]:
            out.append((path.name, doc, case))
    return out


CASES = _load()
_ENGINES: dict[str, Any] = {}


def _engine(name: str, doc: dict[str, Any]) -> govshare.Engine:
    if name not in _ENGINES:
        reg = doc["registry"]
        # The file's packs (SPEC v2 §7: several make a timeline); absent: Binzhou.
        packs = doc.get("packs", ["binzhou"])
        _ENGINES[name] = govshare.Engine(NAMED[reg] if isinstance(reg, str) else reg, pack=packs)
    return _ENGINES[name]


def _fields(what: str, value: dict[str, Any], allowed: set[str]) -> None:
    extra = set(value) - allowed
    if extra:
        raise Mismatch(f"bad vector: `{what}` has unknown fields {sorted(extra)}")


def _diff(diffs: list[str], field: str, want: dict[str, Any], got: Any) -> None:
    if field in want and want[field] != got:
        diffs.append(f"{field}: expected {want[field]!r}, got {got!r}")


def _citations(diffs: list[str], want: dict[str, Any], got: list[str]) -> None:
    if "citations" in want and set(want["citations"]) != set(got):
        diffs.append(f"citations: expected {sorted(want['citations'])}, got {sorted(got)}")
    if "citations_include" in want:
        missing = [a for a in want["citations_include"] if a not in got]
        if missing:
            diffs.append(f"citations: missing {missing} in {sorted(got)}")


def _expect_error(want: dict[str, Any], call: Callable[[], Any]) -> Optional[Any]:
    """Runs `call`; returns its result, or None when the expected error came."""
    if "error" in want:
        try:
            got = call()
        except govshare.GovShareError as e:
            if e.code != want["error"]:
                raise Mismatch(f"error: expected `{want['error']}`, got `{e.code}` ({e})") from e
            return None
        raise Mismatch(f"error: expected `{want['error']}`, got a result: {got!r}")
    try:
        return call()
    except govshare.GovShareError as e:
        raise Mismatch(f"unexpected error `{e.code}`: {e}") from e


def _finish(diffs: list[str], got: Any) -> None:
    if diffs:
        raise Mismatch("; ".join(diffs) + f"\n      got: {got}")


def run_decide(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"request", "evaluate_out_of_force"})
    _fields(
        "expect",
        want,
        {"decision", "route", "citations", "citations_include", "grant", "in_force", "codes_include", "pack", "error"},
    )
    engine = _engine(name, doc)
    oof = inp.get("evaluate_out_of_force", False)
    d = _expect_error(want, lambda: engine.decide(inp["request"], evaluate_out_of_force=oof))
    if d is None:
        return
    got = d.to_dict()
    diffs: list[str] = []
    if not got["citations"]:
        diffs.append("citations: empty")
    if got["decision"] == "deny" and not got["reasons"]:
        diffs.append("reasons: a deny without reasons")
    if (got["decision"] == "permit" and got["route"] == "granted") != (got["grant"] is not None):
        diffs.append(f"grant: {got['grant']!r} with {got['decision']}/{got['route']}")
    if got["decision"] == "deny":
        # SPEC v2 §2: every failing check carries its route and remedy; one route by priority.
        bare = [r["code"] for r in got["reasons"] if r["route"] is None or r["remedy"] is None]
        if bare:
            diffs.append(f"reasons: {bare} lack a route or a remedy")
        routes = [r["route"] for r in got["reasons"]]
        first = next((x for x in ("none", "coordinate", "apply") if x in routes), None)
        if first is not None and first != got["route"]:
            diffs.append(f"route: {got['route']}, but its reasons give {first} first")
    if not got["pack"]:
        diffs.append("pack: empty")
    for f in ("decision", "route", "grant", "in_force", "pack"):
        _diff(diffs, f, want, got[f])
    _citations(diffs, want, got["citations"])
    _codes(diffs, want, got["reasons"])
    _finish(diffs, got)


def _codes(diffs: list[str], want: dict[str, Any], reasons: list[dict[str, Any]]) -> None:
    codes = [r["code"] for r in reasons]
    missing = [c for c in want.get("codes_include", []) if c not in codes]
    if missing:
        diffs.append(f"reasons: missing {missing} in {codes}")


def run_question_line(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"question", "evaluate_out_of_force"})
    _fields(
        "expect", want, {"allowed", "must_serve", "citations_include", "codes_include", "in_force", "pack", "error"}
    )
    engine = _engine(name, doc)
    oof = inp.get("evaluate_out_of_force", False)
    a = _expect_error(want, lambda: engine.answer(inp["question"], evaluate_out_of_force=oof))
    if a is None:
        return
    got = a.to_dict()
    diffs: list[str] = []
    if not got["citations"]:
        diffs.append("citations: empty")
    for f in ("allowed", "must_serve", "in_force", "pack"):
        _diff(diffs, f, want, got.get(f))
    _citations(diffs, want, got["citations"])
    _codes(diffs, want, got["reasons"])
    _finish(diffs, got)


def _question(method: str) -> Callable[..., None]:
    def run(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
        _fields("input", inp, {"department", "resource", "at", "purpose", "fields", "evaluate_out_of_force"})
        _fields("expect", want, {"allowed", "citations_include", "in_force", "error"})
        engine = _engine(name, doc)
        oof = inp.get("evaluate_out_of_force", False)
        call = getattr(engine, method)
        extra = {k: inp[k] for k in ("purpose", "fields") if k in inp}
        a = _expect_error(
            want, lambda: call(inp["department"], inp["resource"], inp["at"], evaluate_out_of_force=oof, **extra)
        )
        if a is None:
            return
        got = a.to_dict()
        diffs: list[str] = []
        if not got["citations"]:
            diffs.append("citations: empty")
        _diff(diffs, "allowed", want, got["allowed"])
        _diff(diffs, "in_force", want, got["in_force"])
        _citations(diffs, want, got["citations"])
        _finish(diffs, got)

    return run


CAL = govshare.Calendar.china()
_date = datetime.date.fromisoformat


def _cal(inp: dict[str, Any]) -> Any:
    return CAL.with_overrides_toml(inp["overrides"]) if "overrides" in inp else CAL


def run_deadline(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"at", "workdays", "overrides"})
    _fields("expect", want, {"due", "error"})
    got = _expect_error(want, lambda: _cal(inp).due_date(inp["at"], inp["workdays"]))
    if got is not None and "due" in want and _date(want["due"]) != got:
        raise Mismatch(f"due: expected {want['due']}, got {got}")


def run_is_workday(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"date", "overrides"})
    _fields("expect", want, {"workday", "error"})
    got = _expect_error(want, lambda: _cal(inp).is_workday(_date(inp["date"])))
    if got is not None and "workday" in want and want["workday"] != got:
        raise Mismatch(f"workday: expected {want['workday']}, got {got}")


def run_between(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"from", "to"})
    _fields("expect", want, {"workdays", "error"})
    got = _expect_error(want, lambda: CAL.workdays_between(_date(inp["from"]), _date(inp["to"])))
    if got is not None and "workdays" in want and want["workdays"] != got:
        raise Mismatch(f"workdays: expected {want['workdays']}, got {got}")


def run_registry(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"document"})
    _fields("expect", want, {"ok", "error", "message_contains"})
    if "error" in want:
        try:
            govshare.Engine(inp["document"])
        except govshare.GovShareError as e:
            diffs: list[str] = []
            if e.code != want["error"]:
                diffs.append(f"error: expected `{want['error']}`, got `{e.code}`")
            for w in want.get("message_contains", []):
                if w not in str(e):
                    diffs.append(f"message: `{e}` does not name `{w}`")
            _finish(diffs, str(e))
            return
        raise Mismatch(f"error: expected `{want['error']}`, the registry loaded")
    try:
        govshare.Engine(inp["document"])
    except govshare.GovShareError as e:
        raise Mismatch(f"unexpected error `{e.code}`: {e}") from e


def _s(v: Any) -> Any:
    """Dates and enums as their wire strings, for comparison."""
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v


def run_validate(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"registry"})
    _fields("expect", want, {"findings", "warnings"})
    if not hasattr(govshare.Engine, "validate"):
        pytest.skip("catalog validation (SPEC §6) is not bound in Python yet")
    # Under the file's packs (of a timeline, the earliest).
    packs = doc.get("packs", ["binzhou"])
    engine = govshare.Engine(inp["registry"], pack=packs) if "registry" in inp else _engine(name, doc)
    found = [f.to_dict() for f in engine.validate()]
    got = {(f["article"], f["id"]) for f in found if f["severity"] == "error"}
    exp = {(f["article"], f["id"]) for f in want["findings"]}
    diffs: list[str] = []
    if exp - got:
        diffs.append(f"findings: missing {sorted(exp - got)}")
    if got - exp:
        diffs.append(f"findings: unexpected {sorted(got - exp)}")
    if "warnings" in want:
        wgot = {(f["article"], f["id"], f["code"]) for f in found if f["severity"] == "warning"}
        wexp = {(f["article"], f["id"], f["code"]) for f in want["warnings"]}
        if wexp - wgot:
            diffs.append(f"warnings: missing {sorted(wexp - wgot)}")
        if wgot - wexp:
            diffs.append(f"warnings: unexpected {sorted(wgot - wexp)}")
    _finish(diffs, found)


def _run_log(engine: Any, events: list[dict[str, Any]], as_of: str) -> tuple[Any, list[dict[str, str]], list[str]]:
    ledger = govshare.Ledger(engine)
    rejected: list[dict[str, str]] = []
    broken: list[str] = []
    for i, event in enumerate(events, start=1):
        before = ledger.state(as_of)
        try:
            ledger.apply(event)
        except govshare.GovShareError as e:
            rejected.append({"event": event.get("id", str(i)), "code": e.code})
            if ledger.state(as_of) != before:
                broken.append(f"rejected event `{event.get('id', i)}` changed the state")
    return ledger, rejected, broken


def _obligation_matches(w: dict[str, Any], o: dict[str, Any]) -> bool:
    return all(_s(o.get(k)) == v for k, v in w.items())


def run_applications(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"events", "as_of", "serve"})
    _fields("expect", want, {"applications", "obligations", "rejected", "serve"})
    if not hasattr(govshare, "Ledger"):
        pytest.skip("the workflow (SPEC §4) is not bound in Python yet")
    ledger, rejected, diffs = _run_log(_engine(name, doc), inp["events"], inp["as_of"])
    state = ledger.state(inp["as_of"])
    if "applications" in want:
        apps = {a["id"]: a for a in state["applications"]}
        if set(apps) != set(want["applications"]):
            diffs.append(f"applications: expected {sorted(want['applications'])}, got {sorted(apps)}")
        for app_id, w in want["applications"].items():
            _fields(f"applications.{app_id}", w, {"status", "reply_due", "has_grant", "approvals", "reply_late"})
            a = apps.get(app_id)
            if a is None:
                continue
            got = {
                "status": a["status"],
                "reply_due": _s(a["reply_due"]),
                "has_grant": a["grant"] is not None,
                "reply_late": a["reply_late"],
            }
            for f in ("status", "reply_due", "has_grant", "reply_late"):
                _diff(diffs, f"{app_id}.{f}", w, got[f])
            if "approvals" in w and set(w["approvals"]) != set(a["approvals"]):
                diffs.append(f"{app_id}.approvals: expected {w['approvals']}, got {a['approvals']}")
    if "obligations" in want:
        left = list(state["obligations"])
        if len(left) != len(want["obligations"]):
            diffs.append(f"obligations: expected {len(want['obligations'])}, got {len(left)}")
        for w in want["obligations"]:
            _fields("obligations[]", w, {"kind", "department", "resource", "due", "status", "late"})
            hit = next((o for o in left if _obligation_matches(w, o)), None)
            if hit is None:
                diffs.append(f"obligations: none matches {w}")
            else:
                left.remove(hit)
    if "rejected" in want and want["rejected"] != rejected:
        diffs.append(f"rejected: expected {want['rejected']}, got {rejected}")
    if "serve" in want:
        _fields("expect.serve", want["serve"], {"must_serve", "may_require_correction", "disputed", "citations_include"})
        ask = inp["serve"]
        answer = ledger.must_serve(ask["resource"], ask["proof_valid"], ask["at"])
        for f in ("must_serve", "may_require_correction", "disputed"):
            _diff(diffs, f"serve.{f}", want["serve"], answer[f])
        _citations(diffs, want["serve"], answer["citations"])
    _finish(diffs, {"state": state, "rejected": rejected})


def _violation_mismatch(w: dict[str, Any], v: dict[str, Any]) -> list[str]:
    out = []
    for f in ("category", "department", "article", "severity", "due", "events"):
        if f in w and _s(v.get(f)) != w[f]:
            out.append(f"{f} {_s(v.get(f))!r} (expected {w[f]!r})")
    for c in w.get("consequences_include", []):
        if c not in v.get("consequences", []):
            out.append(f"consequences {v.get('consequences')} lack {c!r}")
    for c in w.get("consequences_exclude", []):
        if c in v.get("consequences", []):
            out.append(f"consequences {v.get('consequences')} hold {c!r}")
    for f in ("basis", "pack", "urged_by"):
        if f in w and v.get(f) != w[f]:
            out.append(f"{f} {v.get(f)!r} (expected {w[f]!r})")
    for f in ("pack_lapsed", "reading"):
        if f in w and bool(v.get(f, False)) != w[f]:
            out.append(f"{f} {v.get(f, False)!r} (expected {w[f]!r})")
    return out


def run_audit(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"events", "as_of"})
    _fields("expect", want, {"violations", "violations_include", "rejected", "undetermined"})
    if not hasattr(govshare, "audit"):
        pytest.skip("the audit (SPEC §5) is not bound in Python yet")
    if "rejected" in want and want["rejected"]:
        pytest.skip("expected rejections need a streaming auditor, not bound in Python")
    undetermined: list[str] | None = None
    if "undetermined" in want:
        # SPEC v2 §5: duties with an unknown due date, from the streaming Auditor.
        auditor = govshare.Auditor(_engine(name, doc), inp["as_of"])
        for e in inp["events"]:
            auditor.push(e)
        undetermined = sorted(o["id"] for o in auditor.undetermined())
        found = [v.to_dict() for v in auditor.finish()]
    else:
        found = [v.to_dict() for v in govshare.audit(_engine(name, doc), inp["events"], inp["as_of"])]
    exact = "violations" in want
    expected = want["violations"] if exact else want["violations_include"]
    diffs: list[str] = []
    for v in found:
        for f in ("category", "article", "department", "severity", "consequences", "events", "zh", "en"):
            if f not in v:
                diffs.append(f"a violation without `{f}`")
    if exact and len(expected) != len(found):
        diffs.append(f"violations: expected {len(expected)}, got {len(found)}")
    left = list(found)
    for w in expected:
        _fields(
            "violations[]",
            w,
            {
                "category", "article", "department", "severity", "due", "events", "consequences_include",
                "consequences_exclude", "basis", "pack", "pack_lapsed", "reading", "urged_by",
            },
        )
        hit = next((v for v in left if not _violation_mismatch(w, v)), None)
        if hit is None:
            near = [", ".join(_violation_mismatch(w, v)) for v in left if v.get("category") == w["category"]]
            diffs.append(f"violations: no {w['category']} by {w['department']} matches (closest: {' | '.join(near)})")
        else:
            left.remove(hit)
    if undetermined is not None and undetermined != sorted(want["undetermined"]):
        diffs.append(f"undetermined: expected {sorted(want['undetermined'])}, got {undetermined}")
    brief = [f"{v['category']}/{v['department']}/{v['article']}/{v['severity']}/due {_s(v.get('due'))}" for v in found]
    _finish(diffs, brief)


def _instant(t: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))


def run_usage(name: str, doc: dict[str, Any], inp: dict[str, Any], want: dict[str, Any]) -> None:
    _fields("input", inp, {"events", "provider", "resource", "from", "until"})
    _fields("expect", want, {"rows", "total", "citations", "pack", "reported", "error"})
    report = _expect_error(
        want,
        lambda: govshare.usage_report(
            _engine(name, doc),
            inp["events"],
            inp["provider"],
            resource=inp.get("resource"),
            from_=inp.get("from"),
            until=inp.get("until"),
        ),
    )
    if report is None:
        return
    diffs: list[str] = []
    if "rows" in want:
        keys = {"resource", "department", "purpose", "grant", "count", "first", "last"}
        for w in want["rows"]:
            _fields("rows[]", w, keys)

        def norm(r: dict[str, Any]) -> tuple[Any, ...]:
            return (r["resource"], r["department"], r["purpose"], r["grant"], r["count"],
                    _instant(r["first"]), _instant(r["last"]))

        if [norm(w) for w in want["rows"]] != [norm(g) for g in report["rows"]]:
            diffs.append(f"rows: expected {want['rows']}")
    _diff(diffs, "total", want, report["total"])
    _diff(diffs, "citations", want, report["citations"])
    _diff(diffs, "pack", want, report["pack"])
    if "reported" in want:
        for w in want["reported"]:
            _fields("reported[]", w, {"event", "code"})
        got = [{"event": n["event"], "code": n["code"]} for n in report["reported"]]
        if got != want["reported"]:
            diffs.append(f"reported: expected {want['reported']}, got {got}")
    _finish(diffs, report)


RUNNERS: dict[str, Callable[..., None]] = {
    "decide": run_decide,
    "submission": _question("may_require_submission"),
    "question": run_question_line,
    "open_data": _question("may_publish_open_data"),
    "deadline": run_deadline,
    "is_workday": run_is_workday,
    "workdays_between": run_between,
    "registry": run_registry,
    "validate": run_validate,
    "applications": run_applications,
    "audit": run_audit,
    "usage": run_usage,
}


def test_at_least_150_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(
    ("name", "doc", "case"), CASES, ids=[f"{n}::{c['id']}" for n, _, c in CASES]
)
def test_vector(name: str, doc: dict[str, Any], case: dict[str, Any]) -> None:
    extra = set(case) - CASE_KEYS
    assert not extra, f"{name} case `{case['id']}`: unknown fields {sorted(extra)}"
    runner = RUNNERS.get(case["kind"])
    assert runner is not None, f"{name} case `{case['id']}`: unknown kind `{case['kind']}`"
    bug = case.get("known_bug")
    try:
        runner(name, doc, case["input"], case["expect"])
    except Mismatch as e:
        if bug and not STRICT:
            pytest.xfail(f"known bug: {bug}: {e}")
        raise AssertionError(f"{name} case `{case['id']}` ({case['kind']}): {e}") from None
    if bug:
        raise AssertionError(f"{name} case `{case['id']}` passes but carries `known_bug`: remove the note")
