"""Registry loading mirrors core/src/registry (SPEC §6, §8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import govshare
from conftest import request


def test_dict_json_string_and_paths_load_the_same(sample: dict[str, Any], sample_path: Path) -> None:
    with pytest.warns(DeprecationWarning, match="Registry.from_json"):
        from_text = govshare.Engine(json.dumps(sample))
    with pytest.warns(DeprecationWarning, match="Registry.from_file"):
        from_str_path = govshare.Engine(str(sample_path))
    engines = [
        govshare.Engine(sample),
        from_text,
        govshare.Engine(sample_path),
        from_str_path,
        govshare.Engine(govshare.Registry.from_json(json.dumps(sample))),
        govshare.Engine(govshare.Registry.from_file(sample_path)),
        govshare.Engine(govshare.Registry.from_file(str(sample_path))),
        govshare.Engine(govshare.Registry.from_dict(sample)),
    ]
    docs = [e.registry() for e in engines]
    assert all(doc == docs[0] for doc in docs)
    decisions = [e.decide(request()) for e in engines]
    assert all(d == decisions[0] for d in decisions)


def test_registry_round_trips_through_the_wire_format(sample: dict[str, Any]) -> None:
    doc = govshare.Engine(sample).registry()
    again = govshare.Engine(doc).registry()
    assert again == doc
    assert len(doc["departments"]) == len(sample["departments"])
    assert len(doc["grants"]) == len(sample["grants"])


def test_lists_and_grants_may_be_absent() -> None:
    engine = govshare.Engine({"departments": []})
    assert engine.registry() == {"departments": [], "resources": [], "grants": []}


def test_unknown_field_is_named_with_its_path(sample: dict[str, Any]) -> None:
    sample["resources"][2]["colour"] = "blue"
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(sample)
    assert info.value.code == "registry.invalid_json"
    assert "resources[2].colour" in str(info.value)


def test_bad_enum_value_is_named_with_its_path(sample: dict[str, Any]) -> None:
    sample["departments"][1]["level"] = "prefecture"
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(sample)
    assert "departments[1].level" in str(info.value)
    assert "prefecture" in str(info.value)


def test_missing_field_is_named(sample: dict[str, Any]) -> None:
    del sample["resources"][0]["provider"]
    with pytest.raises(govshare.RegistryError, match="provider"):
        govshare.Engine(sample)


def test_duplicate_id(sample: dict[str, Any]) -> None:
    sample["departments"].append(dict(sample["departments"][0]))
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(sample)
    assert info.value.code == "registry.duplicate_id"
    assert "city.public-security" in str(info.value)


def test_dangling_reference(sample: dict[str, Any]) -> None:
    sample["grants"][0]["resource"] = "no.such-resource"
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(sample)
    assert info.value.code == "registry.dangling_reference"
    assert "no.such-resource" in str(info.value)


def test_invalid_id(sample: dict[str, Any]) -> None:
    sample["resources"][0]["id"] = "Population Basic"
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(sample)
    assert info.value.code == "registry.invalid_id"


def test_malformed_json_string() -> None:
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Registry.from_json('{"departments": [')
    assert info.value.code == "registry.invalid_json"


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(govshare.RegistryError) as info:
        govshare.Engine(missing)
    assert info.value.code == "registry.io"
    assert "nope.json" in str(info.value)


def test_wrong_registry_type() -> None:
    with pytest.raises(govshare.GovShareError, match="registry must be") as info:
        govshare.Engine(42)  # type: ignore[arg-type]
    assert info.value.code == "input.invalid_argument"


def test_validate_reports_the_sample_findings(engine: govshare.Engine) -> None:
    found = {(f.article, f.code, f.kind, f.id) for f in engine.validate()}
    assert ("26", "certificate_revoked", "department", "city.housing") in found
    for f in engine.validate():
        assert f.severity in {"error", "warning"}
        assert f.zh and f.en
        assert f.to_dict() == {
            "article": f.article, "severity": f.severity, "kind": f.kind, "id": f.id,
            "code": f.code, "zh": f.zh, "en": f.en,
        }


def test_validate_names_each_broken_rule(sample: dict[str, Any]) -> None:
    res = {r["id"]: r for r in sample["resources"]}
    res["population.basic"]["sharing"] = "conditional"  # Art. 10
    res["public-security.criminal-records"]["legal_basis"] = None  # Art. 5
    del res["market.food-inspection"]["interface"]  # Art. 14
    res["public-security.case-intelligence"]["network"] = "extranet"  # Art. 8
    res["hr.employment-registration"]["open_data"] = True  # Art. 22 (personal_info)
    del sample["departments"][0]["certificate"]  # Art. 26
    found = {(f.article, f.id) for f in govshare.Engine(sample).validate()}
    assert {
        ("10", "population.basic"),
        ("5", "public-security.criminal-records"),
        ("14", "market.food-inspection"),
        ("8", "public-security.case-intelligence"),
        ("22", "hr.employment-registration"),
        ("26", "city.public-security"),
    } <= found


# Issue 15: one loader (Rust `Registry::load`) behind three explicit constructors.
def test_registry_constructors_load_the_same_and_go_everywhere(
    sample: dict[str, Any], sample_path: Path
) -> None:
    regs = [
        govshare.Registry.from_json(json.dumps(sample)),
        govshare.Registry.from_file(sample_path),
        govshare.Registry.from_dict(sample),
    ]
    assert all(r == regs[0] for r in regs)
    assert regs[0].to_dict() == govshare.Engine(sample).registry()
    assert "departments=" in repr(regs[0])
    expected = govshare.Engine(sample).decide(request())
    engine = govshare.Engine(regs[1])
    assert engine.decide(request()) == expected
    assert engine.with_registry(regs[2]).decide(request()) == expected
    assert govshare.audit(regs[0], [], "2019-11-01T00:00:00+08:00") == []
    govshare.Auditor(regs[0], "2019-11-01T00:00:00+08:00").finish()
    provider = sample["resources"][0]["provider"]
    assert govshare.usage_report(regs[0], [], provider)["total"] == 0


def test_registry_constructors_name_the_path_or_the_field(
    sample: dict[str, Any], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_file(missing)
    assert e.value.code == "registry.io"
    assert f"`{missing}`" in str(e.value)

    bad = tmp_path / "bad.json"
    bad.write_text('{"departments": [', encoding="utf-8")
    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_file(bad)
    assert e.value.code == "registry.invalid_json"
    assert f"`{bad}`" in str(e.value)

    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_json('{"departments": [')
    assert e.value.code == "registry.invalid_json"

    sample["departments"][0]["colour"] = "red"
    for load in (
        lambda: govshare.Registry.from_dict(sample),
        lambda: govshare.Registry.from_json(json.dumps(sample)),
    ):
        with pytest.raises(govshare.RegistryError) as e:
            load()
        assert e.value.code == "registry.invalid_json"
        assert "`departments[0].colour`" in str(e.value)
    del sample["departments"][0]["colour"]
    sample["departments"][0]["level"] = 7
    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_dict(sample)
    assert "`departments[0].level`" in str(e.value)


def test_registry_constructors_never_guess(sample: dict[str, Any], sample_path: Path) -> None:
    # The constructor says what the argument is: text is not a dict, a path is
    # never read as JSON and JSON never as a path.
    bad: Any = json.dumps(sample)
    with pytest.raises(govshare.GovShareError) as e:
        govshare.Registry.from_dict(bad)
    assert e.value.code == "input.invalid_argument" and "`registry`" in str(e.value)
    with pytest.raises(govshare.GovShareError) as e:
        govshare.Registry.from_json(sample_path)  # type: ignore[arg-type]
    assert e.value.code == "input.invalid_argument" and "`text`" in str(e.value)
    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_file(json.dumps(sample))
    assert e.value.code == "registry.io"
    with pytest.raises(govshare.GovShareError) as e:
        govshare.Registry.from_file(42)  # type: ignore[arg-type]
    assert e.value.code == "input.invalid_argument" and "`path`" in str(e.value)
    deep: Any = []
    for _ in range(40):
        deep = [deep]
    with pytest.raises(govshare.RegistryError) as e:
        govshare.Registry.from_dict({"departments": deep})
    assert e.value.code == "limits.too_deep"
