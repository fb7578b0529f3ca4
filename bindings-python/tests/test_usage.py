"""govshare.usage_report mirrors core/src/audit/usage.rs (SPEC v2 §4 Art. 27, §8)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import govshare
from conftest import CST

HR = "city.human-resources"
CA = "city.civil-affairs"


def usage(i: str, at: str, grant: str | None = "g-2018-0001", **kw: Any) -> dict[str, Any]:
    e = {"id": i, "kind": "usage", "at": at, "department": CA, "resource": "hr.social-insurance",
         "purpose": "social-assistance", **kw}
    if grant is not None:
        e["grant"] = grant
    return e


LOG = [
    usage("u1", "2019-10-08T09:00:00+08:00"),
    usage("u2", "2019-10-09T09:00:00+08:00", grant=None),
    usage("u3", "2019-10-10T09:00:00+08:00"),
    usage("u4", "2019-10-11T09:00:00+08:00", resource="population.basic", grant=None),
]


def test_rows_counts_and_the_wire_shape(engine: govshare.Engine) -> None:
    report = govshare.usage_report(engine, LOG, HR)
    assert set(report) == {"provider", "rows", "total", "citations", "pack", "reported"}
    assert report["provider"] == HR
    assert report["citations"] == ["27"] and report["pack"] == "binzhou"
    assert report["total"] == 3
    assert [(r["grant"], r["count"], r["first"], r["last"]) for r in report["rows"]] == [
        (None, 1, "2019-10-09T09:00:00+08:00", "2019-10-09T09:00:00+08:00"),
        ("g-2018-0001", 2, "2019-10-08T09:00:00+08:00", "2019-10-10T09:00:00+08:00"),
    ]
    assert set(report["rows"][0]) == {"resource", "department", "purpose", "grant", "count", "first", "last"}
    json.dumps(report)  # plain JSON types only


def test_period_is_inclusive_and_takes_datetimes(engine: govshare.Engine) -> None:
    report = govshare.usage_report(
        engine, LOG, HR, from_=datetime(2019, 10, 9, 9, tzinfo=CST), until="2019-10-10T09:00:00+08:00"
    )
    assert report["total"] == 2
    assert report["from"] == "2019-10-09T09:00:00+08:00"
    assert report["until"] == "2019-10-10T09:00:00+08:00"


def test_one_resource_and_a_registry_path(sample_path: Path) -> None:
    report = govshare.usage_report(govshare.Registry.from_file(str(sample_path)), LOG, "city.public-security", resource="population.basic")
    assert report["resource"] == "population.basic"
    assert [(r["resource"], r["count"]) for r in report["rows"]] == [("population.basic", 1)]


def test_a_repeated_id_is_counted_once_and_reported(engine: govshare.Engine) -> None:
    report = govshare.usage_report(engine, [*LOG, usage("u1", "2019-10-12T09:00:00+08:00")], HR)
    assert report["total"] == 3
    assert report["reported"] == [{"code": "duplicate_event", "event": "u1", "at": "2019-10-12T09:00:00+08:00"}]


def test_provider_at_the_moment_of_the_usage(engine: govshare.Engine, sample: dict[str, Any]) -> None:
    entry = next(r for r in sample["resources"] if r["id"] == "hr.social-insurance")
    moved = {"id": "c", "kind": "resource_changed", "at": "2019-10-09T12:00:00+08:00",
             "resource": {**entry, "provider": CA}}
    log = [LOG[0], moved, LOG[1], LOG[2]]
    assert govshare.usage_report(engine, log, HR)["total"] == 1
    assert govshare.usage_report(engine, log, CA, resource="hr.social-insurance")["total"] == 2


@pytest.mark.parametrize(
    ("provider", "kw", "code", "named"),
    [
        ("city.nobody", {}, "usage.unknown_provider", "city.nobody"),
        (CA, {"resource": "population.basic"}, "usage.not_provider", "population.basic"),
        (HR, {"from_": "2019-10-10T00:00:00+08:00", "until": "2019-10-09T00:00:00+08:00"}, "usage.invalid_period", "2019-10-10"),
    ],
)
def test_errors_have_codes_and_name_the_input(
    engine: govshare.Engine, provider: str, kw: dict[str, Any], code: str, named: str
) -> None:
    with pytest.raises(govshare.GovShareError) as e:
        govshare.usage_report(engine, LOG, provider, **kw)
    assert e.value.code == code
    assert f"`{named}" in str(e.value)


def test_bad_input_is_reported_like_the_audit(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.WorkflowError) as e:
        govshare.usage_report(engine, [{"kind": "usage", "at": "2019-10-08T09:00:00+08:00"}], HR)
    assert e.value.code == "workflow.invalid_event"
    with pytest.raises(govshare.GovShareError) as e2:
        govshare.usage_report(engine, LOG, HR, until="yesterday")
    assert e2.value.code == "input.invalid_date"


def test_a_rejected_registry_change_is_reported_with_its_reason(
    engine: govshare.Engine, sample: dict[str, Any]
) -> None:
    entry = next(r for r in sample["resources"] if r["id"] == "hr.social-insurance")
    bad = {"id": "c", "kind": "resource_changed", "at": "2019-10-09T12:00:00+08:00",
           "resource": {**entry, "provider": "city.nobody"}}
    report = govshare.usage_report(engine, [LOG[0], bad, LOG[1], LOG[2]], HR)
    assert report["total"] == 3
    [notice] = report["reported"]
    assert notice["code"] == "registry_change_rejected" and notice["resource"] == "hr.social-insurance"
    assert "city.nobody" in notice["reason"]


def test_none_is_no_engine() -> None:
    with pytest.raises(govshare.GovShareError) as e:
        govshare.usage_report(None, LOG, HR)  # type: ignore[arg-type]
    assert e.value.code == "input.invalid_argument"
    assert "usage report" in str(e.value)
