"""govshare.audit mirrors core/src/audit (SPEC §5, §8)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import govshare
from conftest import CST

SPEC_KEYS = {"category", "article", "department", "severity", "consequences", "due", "events", "zh", "en"}

LOG: list[dict[str, Any]] = [
    # An application nobody answers: the reply was due 2019-10-10 (Art. 17).
    {"id": "e1", "kind": "apply", "at": "2019-09-27T10:00:00+08:00", "application": "a-1",
     "department": "city.civil-affairs", "resource": "hr.social-insurance", "purpose": "social-assistance"},
    # A function change whose catalog update (due 2019-10-23, Art. 11) never comes.
    {"id": "e2", "kind": "function_changed", "at": "2019-09-27T10:00:00+08:00", "department": "city.housing"},
    # A leak of personal information (Art. 31).
    {"id": "e3", "kind": "leak", "at": "2019-10-15T10:00:00+08:00", "department": "city.civil-affairs",
     "resource": "population.basic"},
]
AS_OF = "2019-11-29T00:00:00+08:00"


def by_category(vs: list[govshare.Violation]) -> dict[str, govshare.Violation]:
    return {v.category: v for v in vs}


def test_finds_each_violation_with_article_department_and_due(engine: govshare.Engine) -> None:
    found = by_category(govshare.audit(engine, LOG, AS_OF))
    overdue = found["reply_overdue"]
    assert (overdue.article, overdue.department, overdue.due) == ("30(5)", "city.human-resources", date(2019, 10, 10))
    assert "e1" in overdue.events
    assert overdue.application == "a-1"
    catalog = found["catalog_not_updated"]
    assert (catalog.article, catalog.department, catalog.due) == ("30(1)", "city.housing", date(2019, 10, 23))
    assert catalog.events and "e2" in catalog.events
    leak = found["sensitive_data_breach"]
    assert (leak.article, leak.department) == ("31", "city.civil-affairs")
    assert "legal_referral" in leak.consequences
    for v in found.values():
        assert v.severity in {"ordinary", "serious"}
        assert v.zh and v.en and v.consequences


def test_nothing_is_a_violation_before_it_is_due(engine: govshare.Engine) -> None:
    early = govshare.audit(engine, LOG[:2], datetime(2019, 10, 9, 12, tzinfo=CST))
    assert early == []


def test_events_after_as_of_are_ignored(engine: govshare.Engine) -> None:
    assert "sensitive_data_breach" not in by_category(govshare.audit(engine, LOG, "2019-10-14T00:00:00+08:00"))


def test_refusal_without_reason_is_reported_not_rejected(engine: govshare.Engine) -> None:
    log = [
        LOG[0],
        {"id": "e9", "kind": "reply", "at": "2019-10-08T10:00:00+08:00", "application": "a-1",
         "by": "city.human-resources", "outcome": "refuse"},
    ]
    found = by_category(govshare.audit(engine, log, AS_OF))
    v = found["refusal_without_reason"]
    assert (v.article, v.department) == ("30(5)", "city.human-resources")
    assert "e9" in v.events


def test_to_dict_has_the_spec_shape(engine: govshare.Engine) -> None:
    for v in govshare.audit(engine, LOG, AS_OF):
        wire = v.to_dict()
        assert SPEC_KEYS <= set(wire)
        assert wire["category"] == v.category and wire["article"] == v.article
        assert wire["due"] == (v.due.isoformat() if v.due else None)
        assert json.loads(json.dumps(wire, ensure_ascii=False)) == wire


def test_registry_or_engine(engine: govshare.Engine, sample: dict[str, Any], sample_path: Path) -> None:
    expected = [v.to_dict() for v in govshare.audit(engine, LOG, AS_OF)]
    sources = (
        sample,
        govshare.Registry.from_json(json.dumps(sample)),
        sample_path,
        govshare.Registry.from_file(str(sample_path)),
    )
    for source in sources:
        assert [v.to_dict() for v in govshare.audit(source, LOG, AS_OF)] == expected
    assert [v.to_dict() for v in govshare.audit(engine, iter(LOG), AS_OF)] == expected


def test_a_bad_event_is_named(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.WorkflowError) as info:
        govshare.audit(engine, [LOG[0], {**LOG[1], "colour": "red"}], AS_OF)
    assert info.value.code == "workflow.invalid_event"
    assert "#1" in str(info.value) and "colour" in str(info.value)


def test_an_event_the_ledger_cannot_apply_is_an_error(engine: govshare.Engine) -> None:
    bad = {"id": "x1", "kind": "reply", "at": "2019-10-08T10:00:00+08:00", "application": "ghost",
           "by": "city.human-resources", "outcome": "approve"}
    with pytest.raises(govshare.WorkflowError) as info:
        govshare.audit(engine, [bad], AS_OF)
    assert info.value.code == "workflow.unknown_application"
    assert "x1" in str(info.value)


def test_audits_run_in_parallel_threads(engine: govshare.Engine) -> None:
    logs = [LOG, LOG[:1], LOG[1:], LOG] * 4
    sequential = [[v.to_dict() for v in govshare.audit(engine, log, AS_OF)] for log in logs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda log: [v.to_dict() for v in govshare.audit(engine, log, AS_OF)], logs))
    assert parallel == sequential


def test_streaming_auditor_equals_audit(engine: govshare.Engine) -> None:
    auditor = govshare.Auditor(engine, AS_OF)
    for event in LOG:
        auditor.push(event)
    streamed = auditor.finish()
    assert streamed == govshare.audit(engine, LOG, AS_OF)
    assert "finished" in repr(auditor)
    with pytest.raises(govshare.GovShareError, match="finished") as info:
        auditor.push(LOG[0])
    assert info.value.code == "input.auditor_finished"
    with pytest.raises(govshare.GovShareError, match="finished") as info:
        auditor.finish()
    assert info.value.code == "input.auditor_finished"


def test_streaming_auditor_goes_on_after_a_rejected_event(engine: govshare.Engine) -> None:
    auditor = govshare.Auditor(engine, AS_OF)
    ghost = {"id": "x1", "kind": "reply", "at": "2019-10-08T10:00:00+08:00", "application": "ghost",
             "by": "city.human-resources", "outcome": "approve"}
    with pytest.raises(govshare.WorkflowError) as info:
        auditor.push(ghost)
    assert info.value.code == "workflow.unknown_application"
    with pytest.raises(govshare.WorkflowError) as info:
        auditor.push({"kind": "leak"})
    assert info.value.code == "workflow.invalid_event"
    for event in LOG:
        auditor.push(event)
    assert {v.category for v in auditor.finish()} == {v.category for v in govshare.audit(engine, LOG, AS_OF)}
