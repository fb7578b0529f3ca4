"""govshare.Ledger mirrors core/src/workflow (SPEC §4, §8)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

import govshare
from conftest import CST, request


def apply_event(app: str, at: str, **kw: Any) -> dict[str, Any]:
    ev = {
        "kind": "apply",
        "at": at,
        "application": app,
        "department": "city.civil-affairs",
        "resource": "hr.social-insurance",
        "purpose": "social-assistance",
    }
    ev.update(kw)
    return ev


def test_apply_is_pending_with_reply_due_across_national_day(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    applied = ledger.apply(apply_event("a-1", "2019-09-27T10:00:00+08:00"))
    app = applied["application"]
    assert (applied["event"], applied["kind"]) == ("1", "apply")
    assert app["status"] == "pending"
    assert app["reply_due"] == "2019-10-10"  # SPEC §3 example
    assert app["provider"] == "city.human-resources"
    on_time = ledger.state(datetime(2019, 10, 10, 23, 59, tzinfo=CST))
    assert on_time["applications"][0]["reply_late"] is False
    late = ledger.state("2019-10-11T08:00:00+08:00")
    assert late["applications"][0]["reply_late"] is True
    assert late["applications"][0]["reply_late_workdays"] == 1


def test_approval_creates_a_grant_the_ledger_engine_uses(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    req = request(
        department="city.market-regulation",
        certificate="BZ-0012",
        resource="hr.social-insurance",
        purpose="market-supervision",
        at="2019-10-15T10:00:00+08:00",
    )
    assert ledger.engine.decide(req).route == "apply"
    ledger.apply(
        apply_event(
            "A-7",
            "2019-10-08T10:00:00+08:00",
            department="city.market-regulation",
            purpose="market-supervision",
        )
    )
    r = ledger.apply(
        {
            "kind": "reply",
            "at": "2019-10-09T10:00:00+08:00",
            "application": "A-7",
            "by": "city.human-resources",
            "outcome": "approve",
            "scope": {
                "purposes": ["market-supervision"],
                "fields": ["name", "id_number", "insurance_type", "contribution_base", "contribution_status", "employer_code"],
                "methods": ["online_query"],
                "until": "2020-10-09T00:00:00+08:00",
            },
        }
    )
    assert r["application"]["status"] == "approved"
    grant = r["grant"]["id"]
    after = ledger.engine.decide(req)
    assert (after.decision, after.route, after.grant) == ("permit", "granted", grant)
    assert ledger.engine.decide({**req, "method": "batch_download"}).decision == "deny"
    # The engine the ledger started from is an immutable snapshot.
    assert engine.decide(req).route == "apply"


def test_rejected_events_leave_the_ledger_unchanged(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    ledger.apply(apply_event("a-1", "2019-11-04T10:00:00+08:00", id="e1"))
    before = ledger.state("2020-06-01T00:00:00+08:00")
    grants_before = len(ledger.engine.registry()["grants"])
    refusal = {
        "id": "e2",
        "kind": "reply",
        "at": "2019-11-05T10:00:00+08:00",
        "application": "a-1",
        "by": "city.human-resources",
        "outcome": "refuse",
    }
    with pytest.raises(govshare.WorkflowError) as info:
        ledger.apply(refusal)
    assert info.value.code == "workflow.missing_reason"
    assert "e2" in str(info.value) and "pending" in str(info.value)
    with pytest.raises(govshare.WorkflowError) as info:
        ledger.apply({**refusal, "id": "e3", "by": "city.finance", "reason": "r"})
    assert info.value.code == "workflow.wrong_actor"
    with pytest.raises(govshare.WorkflowError) as info:
        ledger.apply({**refusal, "id": "e4", "application": "nope", "reason": "r"})
    assert info.value.code == "workflow.unknown_application"
    assert ledger.state("2020-06-01T00:00:00+08:00") == before
    assert len(ledger.engine.registry()["grants"]) == grants_before
    # The same refusal with a reason is then accepted.
    ok = ledger.apply({**refusal, "reason": "outside the provider's sharing scope"})
    assert ok["application"]["status"] == "refused"


def test_bad_event_dicts_name_the_field(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    with pytest.raises(govshare.WorkflowError) as info:
        ledger.apply({"kind": "data_provided", "at": "2019-10-01T00:00:00+08:00", "resource": "x", "colour": "red"})
    assert info.value.code == "workflow.invalid_event"
    assert "colour" in str(info.value)
    with pytest.raises(govshare.WorkflowError, match="teleport"):
        ledger.apply({"kind": "teleport", "at": "2019-10-01T00:00:00+08:00"})
    with pytest.raises(govshare.WorkflowError, match="at"):
        ledger.apply({"kind": "data_provided", "resource": "hr.social-insurance"})
    assert ledger.state("2020-01-01T00:00:00+08:00") == {
        "as_of": "2020-01-01T00:00:00+08:00",
        "applications": [],
        "obligations": [],
    }


def test_catalog_update_obligation_counts_15_working_days(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    a = ledger.apply({"kind": "function_changed", "at": "2019-09-27T10:00:00+08:00", "department": "city.housing"})
    (o,) = a["opened"]
    assert (o["kind"], o["article"], o["due"], o["status"]) == ("catalog_update", "11", "2019-10-23", "open")
    c = ledger.apply({"kind": "catalog_updated", "at": "2019-10-25T10:00:00+08:00", "department": "city.housing"})
    (closed,) = c["closed"]
    assert closed["status"] == "fulfilled" and closed["late"] is True and closed["late_workdays"] == 2


def test_ledger_with_another_calendar(engine: govshare.Engine) -> None:
    # A local arrangement: 2019-10-08 made a rest day pushes the due date one day.
    local = govshare.Calendar.china().with_overrides_toml(
        """
format = 1
[[notice]]
document = "LOCAL-1"
rest = [{ name = "local", from = "2019-10-08" }]
"""
    )
    assert local.add_workdays(date(2019, 9, 27), 5) == date(2019, 10, 11)
    ledger = govshare.Ledger(engine, local)
    a = ledger.apply(apply_event("a-1", "2019-09-27T10:00:00+08:00"))
    assert a["application"]["reply_due"] == "2019-10-11"


def test_positions_count_events(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    assert ledger.position == 0
    ledger.apply({"kind": "data_provided", "at": "2019-10-08T09:00:00+08:00", "resource": "hr.social-insurance"})
    b = ledger.apply({"kind": "data_provided", "at": "2019-10-09T09:00:00+08:00", "resource": "hr.social-insurance"})
    assert b["event"] == "2"
    assert ledger.position == 2
    assert "2" in repr(ledger)


def test_art_20_disputed_data_still_serves_a_person_with_proof(engine: govshare.Engine) -> None:
    ledger = govshare.Ledger(engine)
    quiet = ledger.must_serve("population.basic", True, "2019-11-20T10:00:00+08:00")
    assert quiet["disputed"] is False
    ledger.apply({"kind": "inconsistency_reported", "at": "2019-11-20T10:00:00+08:00",
                  "resource": "population.basic", "by": "city.civil-affairs"})
    with_proof = ledger.must_serve("population.basic", True, datetime(2019, 11, 21, 9, tzinfo=CST))
    assert with_proof["disputed"] is True and with_proof["must_serve"] is True
    assert "20" in with_proof["citations"]
    without = ledger.must_serve("population.basic", False, "2019-11-21T09:00:00+08:00")
    assert without["must_serve"] is False


def test_the_registry_has_a_history(engine: govshare.Engine) -> None:
    """SPEC v2 §4: a change takes effect at its own `at`; `registry_at` shows the registry then."""
    ledger = govshare.Ledger(engine)
    ledger.apply({"kind": "restriction_imposed", "at": "2020-03-02T09:00:00+08:00",
                  "department": "county.huimin.civil-affairs", "by": "city.big-data-center", "reason": "逾期"})

    def restricted(at: str) -> bool:
        reg = ledger.registry_at(at)
        return next(d for d in reg["departments"] if d["id"] == "county.huimin.civil-affairs")["restricted"]

    assert not restricted("2020-03-01T00:00:00+08:00")
    assert restricted("2020-03-02T09:00:00+08:00")
    with pytest.raises(govshare.WorkflowError) as info:
        ledger.apply({"kind": "restriction_lifted", "at": "2020-03-03T09:00:00+08:00",
                      "department": "county.huimin.civil-affairs", "by": "city.finance", "reason": "x"})
    assert info.value.code == "workflow.invalid_change"
    assert restricted("2020-03-04T00:00:00+08:00")


def test_must_serve_is_per_subject(engine: govshare.Engine) -> None:
    """SPEC v2 §4 Art. 20: a report on one subject does not put another under verification."""
    ledger = govshare.Ledger(engine)
    ledger.apply({"kind": "inconsistency_reported", "at": "2019-09-27T10:00:00+08:00",
                  "resource": "civil-affairs.marriage", "by": "city.market-regulation", "subject": "S-1"})
    at = "2019-09-30T10:00:00+08:00"
    assert ledger.must_serve("civil-affairs.marriage", True, at, subject="S-1")["disputed"]
    assert not ledger.must_serve("civil-affairs.marriage", True, at, subject="S-2")["disputed"]
    assert ledger.must_serve("civil-affairs.marriage", True, at)["disputed"]
