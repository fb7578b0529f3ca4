"""One exception family with stable codes, raised from bindings-python/src/error.rs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import govshare
from conftest import request

SUBCLASSES = [
    govshare.CalendarError,
    govshare.RegistryError,
    govshare.PolicyError,
    govshare.WorkflowError,
]


@pytest.mark.parametrize("cls", SUBCLASSES)
def test_hierarchy(cls: type) -> None:
    assert issubclass(cls, govshare.GovShareError)
    assert issubclass(cls, ValueError)
    assert cls.__module__ == "govshare"
    for other in SUBCLASSES:
        if other is not cls:
            assert not issubclass(cls, other)


def test_code_is_set_and_caught_as_base_class() -> None:
    with pytest.raises(govshare.GovShareError) as info:
        govshare.Calendar.china().is_workday(date(1999, 1, 1))
    assert type(info.value) is govshare.CalendarError
    assert info.value.code == "calendar.not_covered"
    with pytest.raises(ValueError):
        govshare.Calendar.china().is_workday(date(1999, 1, 1))


def test_unknown_request_field_is_named(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide({**request(), "urgency": "high"})
    assert info.value.code == "policy.invalid_request"
    assert "urgency" in str(info.value)


def test_bad_request_value_names_the_field(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(method="fax"))
    assert "`method`" in str(info.value) and "fax" in str(info.value)
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(at="2019-03-01 10:00"))
    assert "`at`" in str(info.value)
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(fields="name"))
    assert "`fields`" in str(info.value)


def test_missing_request_field_is_named(engine: govshare.Engine) -> None:
    req = request()
    del req["method"]
    with pytest.raises(govshare.PolicyError, match="method"):
        engine.decide(req)
    # SPEC v2 §2: an absent certificate is a deny (Art. 26), not an input error.
    req = request()
    del req["certificate"]
    assert engine.decide(req).route == "none"


def test_decide_many_names_the_bad_request_index(engine: govshare.Engine) -> None:
    reqs: list[Any] = [request(), request(), request(network="wifi")]
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide_many(reqs)
    assert "#2" in str(info.value) and "`network`" in str(info.value)


def test_request_must_be_a_mapping(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.PolicyError):
        engine.decide(["not", "a", "dict"])  # type: ignore[arg-type]


def test_garbage_never_panics(engine: govshare.Engine) -> None:
    # A Rust panic would surface as pyo3's PanicException (a BaseException); any
    # other exception than a GovShareError would escape this loop too.
    junk: list[Any] = [None, 1, 1.5, "x", [], {}, {"at": None}, request(at="9999-99-99")]
    for item in junk:
        try:
            engine.decide(item)
        except govshare.GovShareError as e:
            assert e.code
