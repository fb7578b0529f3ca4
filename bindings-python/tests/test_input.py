"""Reading Python input (bindings-python/src/value.rs, args.rs): bounded, read once,
no silent nulls, and every error a GovShareError with a ``.code`` (issue 16)."""

from __future__ import annotations

import collections.abc
import dataclasses
import json
import math
import random
import types
from collections import UserDict, UserList, deque
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator

import pytest

import govshare
from conftest import CST, request

MAX_DEPTH = 32
AT = datetime(2019, 3, 1, 10, tzinfo=CST)


def code_of(fn: Callable[[], Any]) -> str:
    """The ``.code`` of the GovShareError ``fn`` raises (and nothing else may escape)."""
    with pytest.raises(govshare.GovShareError) as info:
        fn()
    code = info.value.code
    assert isinstance(code, str) and "." in code, repr(info.value)
    return code


def event(**kw: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "id": "e1",
        "kind": "apply",
        "at": "2019-09-27T10:00:00+08:00",
        "application": "a-1",
        "department": "city.civil-affairs",
        "resource": "hr.social-insurance",
        "purpose": "elderly-care",
        "fields": ["contribution_base"],
    }
    ev.update(kw)
    return ev


class DictSub(dict):  # type: ignore[type-arg]
    """A dict subclass: read through its own ``items()``."""


def nest(kind: str, depth: int, leaf: Any = "x") -> Any:
    """``depth`` containers of ``kind``, one inside the other, around ``leaf``."""
    value = leaf
    for _ in range(depth):
        if kind == "list":
            value = [value]
        elif kind == "tuple":
            value = (value,)
        elif kind == "UserList":
            value = UserList([value])
        elif kind == "deque":
            value = deque([value])
        elif kind == "frozenset":
            value = frozenset([value])
        elif kind == "dict":
            value = {"k": value}
        elif kind == "UserDict":
            value = UserDict({"k": value})
        elif kind == "DictSub":
            value = DictSub(k=value)
        elif kind == "mappingproxy":
            value = types.MappingProxyType({"k": value})
        else:
            raise AssertionError(kind)
    return value


KINDS = ["list", "tuple", "UserList", "deque", "frozenset", "dict", "UserDict", "DictSub", "mappingproxy"]


# --- 1. depth: one bounded walk, whatever the container type --------------------


@pytest.mark.parametrize("kind", KINDS)
def test_30000_levels_of_any_container_raise_instead_of_crashing(engine: govshare.Engine, kind: str) -> None:
    deep = nest(kind, 30_000)
    with pytest.raises(govshare.GovShareError) as info:
        engine.decide(request(fields=deep))
    assert info.value.code == "limits.too_deep"
    assert "MAX_DEPTH" in str(info.value)
    ledger = govshare.Ledger(engine)
    assert code_of(lambda: ledger.apply(event(fields=deep))) == "limits.too_deep"
    assert code_of(lambda: govshare.Auditor(engine, AT).push(event(fields=deep))) == "limits.too_deep"
    with pytest.raises(govshare.RegistryError) as reg:
        govshare.Engine({"departments": deep})
    assert reg.value.code == "limits.too_deep"
    # The engine is still fine afterwards.
    assert engine.decide(request()).permitted


def test_self_containing_containers_raise(engine: govshare.Engine) -> None:
    cyclic_list: list[Any] = []
    cyclic_list.append(cyclic_list)
    cyclic_user: UserList[Any] = UserList()
    cyclic_user.append(cyclic_user)
    cyclic_dict: dict[str, Any] = {}
    cyclic_dict["me"] = cyclic_dict
    for value in (cyclic_list, cyclic_user, cyclic_dict):
        assert code_of(lambda: engine.decide(request(fields=value))) == "limits.too_deep"


def test_a_deep_request_inside_decide_many_names_its_index(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.GovShareError) as info:
        engine.decide_many([request(), request(fields=nest("UserList", 100))])
    assert info.value.code == "limits.too_deep"
    assert "#1" in str(info.value)


@pytest.mark.parametrize("kind", KINDS)
def test_the_depth_limit_is_exactly_the_cores(kind: str) -> None:
    # A registry {"departments": <n containers>} nests n + 1 levels: the dict path
    # and the JSON text path (checked by the core) agree on where the limit is.
    for n in range(MAX_DEPTH - 3, MAX_DEPTH + 3):
        doc = {"departments": nest(kind, n)}
        plain = "dict" if kind in ("dict", "UserDict", "DictSub", "mappingproxy") else "list"
        text = json.dumps({"departments": nest(plain, n)})
        with pytest.raises(govshare.RegistryError) as from_dict:
            govshare.Engine(doc)
        with pytest.raises(govshare.RegistryError) as from_text:
            govshare.Engine(govshare.Registry.from_json(text))
        want = "limits.too_deep" if n + 1 > MAX_DEPTH else "registry.invalid_json"
        assert (n, from_dict.value.code) == (n, want)
        assert (n, from_text.value.code) == (n, want)


def test_random_nestings_of_mixed_containers() -> None:
    """Property: for any mix of container types and depth, a request's error is
    limits.too_deep exactly when it nests past MAX_DEPTH, else a shape error."""
    rng = random.Random(16)
    engine = govshare.Engine({"departments": []})
    for _ in range(300):
        depth = rng.randint(1, 120)
        # Not a str at the bottom: never a valid `fields`, whatever the depth.
        value: Any = rng.choice([1, 1.5, None, True])
        for _ in range(depth):
            kind = rng.choice(KINDS)
            try:
                value = nest(kind, 1, value)
            except TypeError:  # a frozenset of something unhashable
                value = nest("tuple", 1, value)
        # The request dict is level 1, `fields` holds level 2 onwards.
        want = "limits.too_deep" if depth + 1 > MAX_DEPTH else "policy.invalid_request"
        assert (depth, code_of(lambda: engine.decide(request(fields=value)))) == (depth, want)


# --- read once --------------------------------------------------------------


class Shifty(collections.abc.Mapping):  # type: ignore[type-arg]
    """A mapping whose values change on every read: shallow first, then deep."""

    def __init__(self, base: dict[str, Any], key: str) -> None:
        self.base, self.key, self.reads = base, key, 0

    def __getitem__(self, k: str) -> Any:
        if k == self.key:
            self.reads += 1
            return [] if self.reads == 1 else nest("UserList", 30_000)
        return self.base[k]

    def __iter__(self) -> Iterator[str]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)


def test_each_value_is_read_once(engine: govshare.Engine) -> None:
    shifty = Shifty(request(fields=[]), "fields")
    assert engine.decide(shifty) == engine.decide(request(fields=[]))
    assert shifty.reads == 1


class LyingDict(dict):  # type: ignore[type-arg]
    """A dict subclass whose storage, keys() and items() disagree."""

    items_calls = 0

    def keys(self) -> Any:  # type: ignore[override]
        return ["fields"]

    def __getitem__(self, k: Any) -> Any:
        raise AssertionError("read through items(), not item by item")

    def items(self) -> Any:  # type: ignore[override]
        type(self).items_calls += 1
        return list(request(fields=[]).items())


def test_a_dict_subclass_is_read_through_items_once(engine: govshare.Engine) -> None:
    lying = LyingDict(fields=nest("list", 30_000))
    assert engine.decide(lying) == engine.decide(request(fields=[]))
    assert LyingDict.items_calls == 1


# --- 3. numbers: no silent null ----------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 2**64, -(2**63) - 1])
def test_non_finite_or_huge_numbers_are_input_errors_naming_the_path(
    sample: dict[str, Any], engine: govshare.Engine, bad: float
) -> None:
    sample["grants"][0]["until"] = bad
    with pytest.raises(govshare.GovShareError) as info:
        govshare.Engine(sample)
    assert info.value.code == "input.invalid_number"
    assert "`grants[0].until`" in str(info.value)

    sample["grants"][0].pop("until")
    sample["resources"][0]["update_workdays"] = bad
    with pytest.raises(govshare.GovShareError) as info:
        govshare.Engine(sample)
    assert info.value.code == "input.invalid_number"
    assert "`resources[0].update_workdays`" in str(info.value)

    assert code_of(lambda: engine.decide(request(at=bad))) == "input.invalid_number"
    assert code_of(lambda: govshare.Ledger(engine).apply(event(fields=["a", bad]))) == "input.invalid_number"


def test_nan_anywhere_is_reported_with_its_path() -> None:
    """Property: a NaN or infinity planted at a random place is always refused, and
    the message names exactly that place."""
    rng = random.Random(3)
    engine = govshare.Engine({"departments": []})
    for _ in range(200):
        req: dict[str, Any] = request()
        path = rng.choice(["at", "purpose", "fields", "extra"])
        bad = rng.choice([math.nan, math.inf, -math.inf])
        if path == "fields":
            i = rng.randint(0, 3)
            req["fields"] = ["name"] * i + [bad]
            where = f"fields[{i}]"
        elif path == "extra":
            req["extra"] = {"deep": [1, {"x": bad}]}
            where = "extra.deep[1].x"
        else:
            req[path] = bad
            where = path
        with pytest.raises(govshare.GovShareError) as info:
            engine.decide(req)
        assert info.value.code == "input.invalid_number"
        assert f"`{where}`" in str(info.value)


def test_ordinary_numbers_still_read(sample: dict[str, Any]) -> None:
    sample["resources"][0]["update_workdays"] = 5
    assert govshare.Engine(sample).registry()["resources"][0]["update_workdays"] == 5


# --- types with no JSON form -------------------------------------------------


@dataclasses.dataclass
class Point:
    x: int


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (AT, "datetime"),
        (date(2019, 3, 1), "date"),
        (b"bytes", "bytes"),
        (Point(1), "Point"),
        (object(), "object"),
    ],
)
def test_values_with_no_json_form_are_named(engine: govshare.Engine, value: Any, named: str) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(fields=["name", value]))
    assert info.value.code == "policy.invalid_request"
    assert "`fields[1]`" in str(info.value) and named in str(info.value)


def test_non_string_keys_are_refused(engine: govshare.Engine) -> None:
    bad: dict[Any, Any] = {**request(), 1: "x"}
    assert code_of(lambda: engine.decide(bad)) == "policy.invalid_request"


def test_sets_and_sequences_read_as_lists(engine: govshare.Engine) -> None:
    want = engine.decide(request(fields=["name"]))
    for fields in (("name",), deque(["name"]), UserList(["name"]), frozenset(["name"]), {"name"}):
        assert engine.decide(request(fields=fields)) == want
    assert engine.decide(UserDict(request(fields=["name"]))) == want
    assert engine.decide(types.MappingProxyType(request(fields=["name"]))) == want


# --- 5. every error has a code ---------------------------------------------


def test_bad_times_are_input_invalid_date() -> None:
    cal = govshare.Calendar.china()
    for bad in (datetime(2019, 9, 27, 10), "2019-09-27", "yesterday", 5, None):
        with pytest.raises(govshare.GovShareError) as info:
            cal.due_date(bad, 5)  # type: ignore[arg-type]
        assert info.value.code == "input.invalid_date", bad
        assert "`at`" in str(info.value)
    for day in ("2019-10-01", 5, datetime(2019, 10, 1)):
        assert code_of(lambda: cal.is_workday(day)) == "input.invalid_date"  # type: ignore[arg-type]


def test_a_datetime_whose_methods_raise_is_input_invalid_date() -> None:
    class Broken(datetime):
        def utcoffset(self) -> Any:
            raise RuntimeError("boom")

    with pytest.raises(govshare.GovShareError) as info:
        govshare.Calendar.china().due_date(Broken(2019, 9, 27, tzinfo=timezone.utc), 5)
    assert info.value.code == "input.invalid_date"
    assert isinstance(info.value.__cause__, RuntimeError)


def test_a_finished_auditor_is_input_auditor_finished(engine: govshare.Engine) -> None:
    auditor = govshare.Auditor(engine, AT)
    auditor.finish()
    assert code_of(lambda: auditor.push(event())) == "input.auditor_finished"
    assert code_of(auditor.finish) == "input.auditor_finished"


def test_arguments_of_the_wrong_type_or_range_are_input_invalid_argument(
    engine: govshare.Engine, sample: dict[str, Any]
) -> None:
    cal = govshare.Calendar.china()
    ledger = govshare.Ledger(engine)
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: cal.add_workdays(date(2019, 9, 27), -1), "n"),
        (lambda: cal.add_workdays(date(2019, 9, 27), 1.5), "n"),  # type: ignore[arg-type]
        (lambda: cal.due_date(AT, 2**32), "n"),
        (lambda: cal.deadline(AT, "5"), "n"),  # type: ignore[arg-type]
        (lambda: cal.month(2**32 + 2020, 1), "year"),
        (lambda: cal.month(2020, 2**32 + 1), "month"),
        (lambda: cal.month(2020.0, 1), "year"),  # type: ignore[arg-type]
        (lambda: cal.with_overrides_toml(5), "text"),  # type: ignore[arg-type]
        (lambda: cal.with_overrides(5), "path"),  # type: ignore[arg-type]
        (lambda: govshare.Engine(42), "registry"),  # type: ignore[arg-type]
        (lambda: govshare.Engine(sample, pack=42), "pack"),  # type: ignore[arg-type]
        (lambda: engine.decide(request(), evaluate_out_of_force="yes"), "evaluate_out_of_force"),  # type: ignore[arg-type]
        (lambda: engine.decide_many(42), "requests"),  # type: ignore[arg-type]
        (lambda: engine.decide_many("abc"), "requests"),  # type: ignore[arg-type]
        (lambda: engine.with_cache_settings(pairs=-1), "pairs"),
        (lambda: engine.with_cache_settings(decisions=1.5), "decisions"),  # type: ignore[arg-type]
        (lambda: engine.may_require_submission(1, "population.basic", AT), "department"),  # type: ignore[arg-type]
        (lambda: engine.may_publish_open_data("city.civil-affairs", None, AT), "resource"),  # type: ignore[arg-type]
        (lambda: govshare.Ledger("engine"), "engine"),  # type: ignore[arg-type]
        (lambda: govshare.Ledger(engine, "china"), "calendar"),  # type: ignore[arg-type]
        (lambda: ledger.must_serve(1, True, AT), "resource"),  # type: ignore[arg-type]
        (lambda: ledger.must_serve("population.basic", "yes", AT), "proof_valid"),  # type: ignore[arg-type]
        (lambda: govshare.audit(None, [], AT), "registry_or_engine"),  # type: ignore[arg-type]
        (lambda: govshare.audit(engine, 42, AT), "events"),  # type: ignore[arg-type]
    ]
    for fn, name in cases:
        with pytest.raises(govshare.GovShareError) as info:
            fn()
        assert info.value.code == "input.invalid_argument", (name, info.value)
        assert f"`{name}`" in str(info.value), (name, info.value)


def test_exceptions_from_the_callers_code_are_wrapped_with_their_cause(engine: govshare.Engine) -> None:
    def requests() -> Iterator[dict[str, Any]]:
        yield request()
        raise LookupError("database gone")

    with pytest.raises(govshare.GovShareError) as info:
        engine.decide_many(requests())
    assert info.value.code == "input.invalid_argument"
    assert isinstance(info.value.__cause__, LookupError)

    class BadItems(UserDict):  # type: ignore[type-arg]
        def items(self) -> Any:
            raise LookupError("no items")

    with pytest.raises(govshare.PolicyError) as bad:
        engine.decide(request(extra=BadItems()))
    assert bad.value.code == "policy.invalid_request"
    assert "`extra`" in str(bad.value)
    assert isinstance(bad.value.__cause__, LookupError)


def test_keyboard_interrupt_is_not_wrapped(engine: govshare.Engine) -> None:
    def requests() -> Iterator[dict[str, Any]]:
        raise KeyboardInterrupt
        yield  # pragma: no cover

    with pytest.raises(KeyboardInterrupt):
        engine.decide_many(requests())


class Weird:
    def __repr__(self) -> str:
        return "Weird()"


def _garbage(rng: random.Random, depth: int = 0) -> Any:
    leaves: list[Any] = [
        None, True, 0, -1, 2**70, 1.5, math.nan, math.inf, "", "x", "2019-03-01T10:00:00+08:00",
        b"x", AT, date(2019, 1, 1), Weird(), object(), Point(1), 1j, range(3),
    ]
    if depth > 4 or rng.random() < 0.4:
        return rng.choice(leaves)
    n = rng.randint(0, 3)
    items = [_garbage(rng, depth + 1) for _ in range(n)]
    shape = rng.choice(["list", "tuple", "dict", "UserDict", "deque", "UserList"])
    if shape in ("dict", "UserDict"):
        keys = ["department", "resource", "at", "fields", "kind", "id", "departments", rng.choice(["x", 1])]
        d = {rng.choice(keys): v for v in items}
        return UserDict(d) if shape == "UserDict" else d
    return {"list": list, "tuple": tuple, "deque": deque, "UserList": UserList}[shape](items)


def test_garbage_anywhere_raises_a_coded_error_or_works() -> None:
    """Fuzz: random values into every entry point that reads a dict or an
    argument; anything that escapes must be a GovShareError with a code."""
    rng = random.Random(1616)
    engine = govshare.Engine({"departments": []})
    cal = govshare.Calendar.china()
    entry_points: list[Callable[[Any], Any]] = [
        engine.decide,
        lambda v: engine.decide_many([v]),
        lambda v: engine.decide(request(fields=v)),
        lambda v: engine.decide(request(at=v)),
        lambda v: govshare.Ledger(engine).apply(v),
        lambda v: govshare.Engine(govshare.Registry.from_json(v) if isinstance(v, str) else v),
        lambda v: govshare.Engine({"departments": v}),
        lambda v: govshare.audit(engine, [v], AT),
        lambda v: cal.add_workdays(date(2019, 9, 27), v),
        lambda v: cal.month(v, 1),
        lambda v: cal.due_date(v, 1),
        lambda v: cal.is_workday(v),
        lambda v: cal.with_rule(v),
        lambda v: engine.may_require_submission(v, v, v),
    ]
    for _ in range(1500):
        value = _garbage(rng)
        fn = rng.choice(entry_points)
        try:
            fn(value)
        except govshare.GovShareError as e:
            assert isinstance(e.code, str) and "." in e.code, (value, e)
