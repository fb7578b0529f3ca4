"""govshare.Engine.decide mirrors core/src/policy (SPEC §2, §8)."""

from __future__ import annotations

import json
import threading
import time
from collections import UserDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import govshare
from conftest import CST, SAMPLE, request

DECISION_KEYS = {"decision", "route", "citations", "grant", "in_force", "pack", "reasons"}
REASON_KEYS = {"article", "code", "route", "remedy", "zh", "en"}


def test_unconditional_resource_is_permitted_directly(engine: govshare.Engine) -> None:
    d = engine.decide(request())
    assert (d.decision, d.route, d.grant, d.in_force) == ("permit", "direct", None, True)
    assert d.permitted is True
    assert d.citations, "a decision always cites its articles"


def test_conditional_open_fields_are_direct(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            department="city.human-resources",
            certificate="BZ-0008",
            resource="civil-affairs.minimum-living",
            purpose="employment-services",
            fields=["name", "status"],
        )
    )
    assert (d.decision, d.route) == ("permit", "direct")


def test_conditional_beyond_open_fields_uses_the_grant(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            department="city.human-resources",
            certificate="BZ-0008",
            resource="civil-affairs.minimum-living",
            purpose="employment-services",
            fields=["id_number", "monthly_allowance"],
        )
    )
    assert (d.decision, d.route, d.grant) == ("permit", "granted", "g-2018-0002")


def test_grant_limits_methods_and_purposes(engine: govshare.Engine) -> None:
    base = dict(
        resource="hr.social-insurance",
        fields=["id_number"],
        at="2019-06-03T10:00:00+08:00",
    )
    ok = engine.decide(request(**base))
    assert (ok.decision, ok.route, ok.grant) == ("permit", "granted", "g-2018-0001")
    # The grant does not cover batch download: apply to the provider (Art. 17).
    other_method = engine.decide(request(method="batch_download", **base))
    assert (other_method.decision, other_method.route) == ("deny", "apply")
    assert "17" in other_method.citations
    assert other_method.grant is None


def test_expired_grant_does_not_count(engine: govshare.Engine) -> None:
    # g-2018-0001 ended on 2022-03-01.
    d = engine.decide(
        request(resource="hr.social-insurance", fields=["id_number"], at="2022-06-01T10:00:00+08:00")
    )
    assert (d.decision, d.route) == ("deny", "apply")


def test_not_shared_needs_coordination(engine: govshare.Engine) -> None:
    d = engine.decide(request(resource="gov-office.supervision"))
    assert (d.decision, d.route) == ("deny", "coordinate")
    assert d.citations


def test_not_shared_with_a_coordination_grant(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            resource="public-security.criminal-records",
            fields=["name"],
            at="2019-07-01T10:00:00+08:00",
        )
    )
    assert (d.decision, d.route, d.grant) == ("permit", "granted", "g-2019-0003")


def test_not_shared_with_a_provider_reply_grant_is_not_enough(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            department="city.market-regulation",
            certificate="BZ-0012",
            resource="public-security.criminal-records",
            purpose="market-supervision",
            at="2020-06-01T10:00:00+08:00",
        )
    )
    assert (d.decision, d.route) == ("deny", "coordinate")


def test_provider_always_has_its_own_resources(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            department="city.public-security",
            certificate="BZ-0001",
            resource="public-security.criminal-records",
            purpose="criminal-investigation",
        )
    )
    assert (d.decision, d.route) == ("permit", "direct")


def test_wrong_network_is_denied_with_art_8(engine: govshare.Engine) -> None:
    d = engine.decide(request(network="intranet"))
    assert (d.decision, d.route) == ("deny", "none")
    assert "8" in d.citations


def test_wrong_certificate_is_denied_with_art_26(engine: govshare.Engine) -> None:
    d = engine.decide(request(certificate="BZ-9999"))
    assert (d.decision, d.route) == ("deny", "none")
    assert "26" in d.citations


def test_purpose_outside_duties_is_denied(engine: govshare.Engine) -> None:
    d = engine.decide(request(purpose="marketing"))
    assert (d.decision, d.route) == ("deny", "none")
    assert "4(2)" in d.citations


def test_a_deny_lists_every_failing_check(engine: govshare.Engine) -> None:
    d = engine.decide(request(certificate="BZ-9999", network="intranet"))
    assert d.decision == "deny"
    assert {"26", "8"} <= set(d.citations)
    articles = {r.article for r in d.reasons}
    assert {"26", "8"} <= articles
    for r in d.reasons:
        assert r.code and r.zh and r.en


def test_restricted_department_gets_no_derived_resource(engine: govshare.Engine) -> None:
    d = engine.decide(
        request(
            department="county.boxing.civil-affairs",
            certificate="BZ-BX-0031",
            resource="platform.assistance-profile",
            at="2019-06-03T10:00:00+08:00",
        )
    )
    assert d.decision == "deny"
    assert "21" in d.citations


def test_outside_the_pack_validity_is_an_error(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(at="2023-01-02T10:00:00+08:00"))
    assert info.value.code == "policy.not_in_force"
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide_many([request(), request(at="2017-12-05T10:00:00+08:00")])
    assert info.value.code == "policy.not_in_force"
    assert "request #1" in str(info.value)


def test_outside_the_validity_on_request_says_not_in_force(engine: govshare.Engine, sample_path: Path) -> None:
    # The default engine is the built-in timeline: between the packs no pack is
    # loaded, and the engine never chooses one (SPEC v2 §7)...
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(at="2023-01-02T10:00:00+08:00"), evaluate_out_of_force=True)
    assert info.value.code == "policy.not_in_force"
    assert "no pack is loaded" in str(info.value)
    # ...the caller names it.
    binzhou = govshare.Engine(sample_path, pack="binzhou")
    d = binzhou.decide(request(at="2023-01-02T10:00:00+08:00"), evaluate_out_of_force=True)
    assert d.in_force is False and d.to_dict()["in_force"] is False
    assert d.decision in {"permit", "deny"} and d.citations and d.pack == "binzhou"
    many = binzhou.decide_many([request(at="2023-01-02T10:00:00+08:00")], evaluate_out_of_force=True)
    assert many == [d]


def test_each_moment_is_judged_under_the_pack_in_force(engine: govshare.Engine, sample_path: Path) -> None:
    assert engine.decide(request()).pack == "binzhou"
    later = engine.decide(request(at="2026-03-02T10:00:00+08:00"))
    assert later.pack == "national-2025"
    national = govshare.Engine(sample_path, pack="national-2025")
    assert national.decide(request(at="2026-03-02T10:00:00+08:00")) == later
    with pytest.raises(govshare.PolicyError) as info:
        national.decide(request())
    assert info.value.code == "policy.not_in_force"
    with pytest.raises(govshare.PolicyError) as info:
        govshare.Engine(sample_path, pack="no-such-pack")
    assert info.value.code == "policy.io"
    with pytest.raises(govshare.GovShareError) as bad:
        govshare.Engine(sample_path, pack=42)  # type: ignore[arg-type]
    assert "pack" in str(bad.value)


def test_unknown_ids_are_errors_naming_them(engine: govshare.Engine) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(department="city.nobody"))
    assert info.value.code == "policy.unknown_department"
    assert "city.nobody" in str(info.value)
    with pytest.raises(govshare.PolicyError) as info:
        engine.decide(request(resource="no.such-thing"))
    assert info.value.code == "policy.unknown_resource"
    assert "no.such-thing" in str(info.value)


def test_art_13_submission_is_not_required_when_the_platform_has_it(engine: govshare.Engine) -> None:
    at = datetime(2019, 3, 1, 10, tzinfo=CST)
    a = engine.may_require_submission("city.civil-affairs", "population.basic", at)
    assert a.allowed is False and not a
    assert "13" in a.citations
    assert engine.may_require_submission("city.civil-affairs", "population.basic", "2019-03-01T10:00:00+08:00") == a
    b = engine.may_require_submission("city.market-regulation", "civil-affairs.marriage", at)
    assert set(b.to_dict()) == {"allowed", "citations", "reasons", "in_force", "pack"}
    # SPEC v2 §2: a conditional item is obtainable by applying, for a purpose.
    c = engine.may_require_submission(
        "city.market-regulation", "civil-affairs.marriage", at, purpose="sightseeing"
    )
    assert c.allowed is False and "4(2)" in c.citations
    d = engine.may_require_submission("city.civil-affairs", "population.basic", at, fields=["no_such_field"])
    assert d.allowed is True and d.pack == "binzhou"


def test_question_lines_are_answered(engine: govshare.Engine) -> None:
    at = "2019-03-01T10:00:00+08:00"
    a = engine.answer(
        {"question": "may_require_submission", "department": "city.civil-affairs", "resource": "population.basic", "at": at}
    )
    assert isinstance(a, govshare.Answer) and a.allowed is False
    s = engine.answer(
        {"question": "must_serve", "department": "city.civil-affairs", "resource": "population.basic", "proof_valid": True, "at": at}
    )
    assert isinstance(s, govshare.ServeAnswer) and s.must_serve and s.citations == ["20"]
    with pytest.raises(govshare.PolicyError, match="may_fly") as info:
        engine.answer({"question": "may_fly", "department": "city.civil-affairs", "resource": "population.basic", "at": at})
    assert info.value.code == "policy.invalid_request"


def test_reasons_carry_route_and_remedy(engine: govshare.Engine) -> None:
    d = engine.decide(
        {"department": "city.finance", "resource": "public-security.criminal-records", "method": "online_query",
         "purpose": "budget-management", "network": "extranet", "certificate": "", "at": "2019-03-01T10:00:00+08:00"}
    )
    assert d.decision == "deny" and d.pack == "binzhou"
    blank = next(r for r in d.reasons if r.code == "certificate_missing")
    assert blank.route == "none" and blank.remedy == {"by": "requester", "action": "change_request"}


def test_art_22_open_data_only_by_the_provider_without_sensitivity(engine: govshare.Engine) -> None:
    at = datetime(2019, 3, 1, 10, tzinfo=CST)
    not_provider = engine.may_publish_open_data("city.civil-affairs", "market.food-inspection", at)
    assert not_provider.allowed is False
    assert "22" in not_provider.citations
    sensitive = engine.may_publish_open_data("city.public-security", "population.basic", at)
    assert sensitive.allowed is False


def test_pack_from_a_folder_answers_like_the_builtin(sample_path: Path) -> None:
    pack_dir = sample_path.parents[1]
    loaded = govshare.Engine(sample_path, pack=pack_dir)
    builtin = govshare.Engine(sample_path)
    for r in _mixed_requests()[:20]:
        assert loaded.decide(r) == builtin.decide(r)
    assert loaded.manifest() == builtin.manifest()


def test_bad_pack_folder(sample_path: Path, tmp_path: Path) -> None:
    with pytest.raises(govshare.PolicyError) as info:
        govshare.Engine(sample_path, pack=tmp_path)
    assert info.value.code == "policy.missing_file"


def test_to_dict_is_exactly_the_spec_shape(engine: govshare.Engine) -> None:
    d = engine.decide(request(certificate="BZ-9999"))
    wire = d.to_dict()
    assert set(wire) == DECISION_KEYS
    assert wire["decision"] == d.decision and wire["route"] == d.route
    assert wire["citations"] == d.citations and wire["grant"] == d.grant
    assert wire["in_force"] is d.in_force
    assert [set(r) for r in wire["reasons"]] == [REASON_KEYS] * len(d.reasons)
    assert wire["reasons"] == [r.to_dict() for r in d.reasons]
    assert json.loads(json.dumps(wire, ensure_ascii=False)) == wire


def test_decisions_compare_by_value(engine: govshare.Engine) -> None:
    assert engine.decide(request()) == engine.decide(request())
    assert engine.decide(request()) != engine.decide(request(network="intranet"))


def _mixed_requests() -> list[dict[str, Any]]:
    reqs = []
    for i in range(200):
        reqs.append(
            request(
                resource=["population.basic", "hr.social-insurance", "gov-office.supervision"][i % 3],
                network=["extranet", "intranet"][i % 2],
                method=["online_query", "batch_download"][(i // 2) % 2],
                fields=[["id_number"], None][(i // 4) % 2],
            )
        )
    return reqs


def test_decide_many_equals_decide_one_by_one(engine: govshare.Engine) -> None:
    reqs = _mixed_requests()
    many = engine.decide_many(reqs)
    assert many == [engine.decide(r) for r in reqs]
    assert len({(d.decision, d.route) for d in many}) > 2
    assert engine.decide_many([]) == []
    assert engine.decide_many(iter(reqs[:3])) == many[:3]


def test_engine_is_shared_safely_between_threads(engine: govshare.Engine) -> None:
    reqs = _mixed_requests()
    sequential = [engine.decide(r).to_dict() for r in reqs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        one_by_one = list(pool.map(lambda r: engine.decide(r).to_dict(), reqs))
        batches = list(pool.map(engine.decide_many, [reqs] * 8))
    assert one_by_one == sequential
    for batch in batches:
        assert [d.to_dict() for d in batch] == sequential


def test_decide_many_releases_the_gil(engine: govshare.Engine) -> None:
    # While a batch is decided on another thread, this thread keeps running Python:
    # no pause between two ticks here comes near the length of the batch. The batch
    # is of distinct requests (every department, resource, method, purpose and
    # field choice of the sample), so that the decision cache cannot make it short.
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    reqs = [
        request(department=d["id"], resource=r["id"], method=m, purpose=p, fields=f)
        for d in sample["departments"]
        for r in sample["resources"]
        for m in ["online_query", "batch_download", "system_integration", "front_processor"]
        for p in d["duties"][:2]
        for f in [None, r["fields"][:1], r["fields"][1:2]]
    ]
    span: list[float] = []

    def worker() -> None:
        start = time.perf_counter()
        engine.decide_many(reqs)
        span.append(time.perf_counter() - start)

    thread = threading.Thread(target=worker)
    ticks = [time.perf_counter()]
    thread.start()
    while thread.is_alive():
        ticks.append(time.perf_counter())
    thread.join()
    longest_pause = max(b - a for a, b in zip(ticks, ticks[1:]))
    assert span and longest_pause < span[0] / 2, (longest_pause, span)


def test_with_registry_swaps_the_snapshot(engine: govshare.Engine, sample: dict[str, Any]) -> None:
    sample["grants"] = [g for g in sample["grants"] if g["id"] != "g-2018-0001"]
    fewer = engine.with_registry(sample)
    req = request(resource="hr.social-insurance", fields=["id_number"], at="2019-06-03T10:00:00+08:00")
    assert engine.decide(req).route == "granted"
    assert fewer.decide(req).route == "apply"
    assert fewer.manifest() == engine.manifest()


def test_cache_settings_size_the_caches_and_never_change_answers(sample_path: Path) -> None:
    default = govshare.Engine(sample_path)
    assert default.cache_settings() == {"pairs": 4096, "decisions": 65536}
    assert default.cache_len() == {"pairs": 0, "decisions": 0}
    off = default.with_cache_settings(pairs=0, decisions=0)
    no_decisions = default.with_cache_settings(decisions=0)
    tiny = default.with_cache_settings(pairs=1, decisions=1)
    assert off.cache_settings() == {"pairs": 0, "decisions": 0}
    assert no_decisions.cache_settings() == {"pairs": 4096, "decisions": 0}
    reqs = [
        request(),
        request(resource="hr.social-insurance", fields=["id_number"], at="2019-06-03T10:00:00+08:00"),
        request(resource="gov-office.supervision"),
        request(certificate="BZ-9999", network="intranet"),
    ]
    answers = [default.decide(r) for r in reqs]
    # The same request again, at another moment in the same interval: a hit.
    assert default.decide(reqs[0]) == answers[0]
    assert default.decide({**reqs[0], "at": "2019-03-01T10:00:01+08:00"}) == answers[0]
    # Three pairs specialised (one department, three resources), four distinct
    # requests cached.
    assert default.cache_len() == {"pairs": 3, "decisions": 4}
    for other in (off, no_decisions, tiny, default.with_registry(sample_path)):
        assert [other.decide(r) for r in reqs] == answers
    assert off.cache_len() == {"pairs": 0, "decisions": 0}
    assert no_decisions.cache_len() == {"pairs": 3, "decisions": 0}
    # A new registry snapshot keeps the settings.
    assert no_decisions.with_registry(sample_path).cache_settings() == {"pairs": 4096, "decisions": 0}
    # Clones made by with_cache_settings start empty; the original keeps its own.
    assert default.with_cache_settings().cache_len() == {"pairs": 0, "decisions": 0}
    assert default.cache_len() == {"pairs": 3, "decisions": 4}


def test_a_plain_request_dict_reads_as_any_other_mapping(engine: govshare.Engine) -> None:
    # An exact dict of str is read straight into the request; anything else
    # goes through the general reading. Both give the same request, and the
    # general reading's errors.
    base = request(resource="hr.social-insurance", fields=["name", "id_number"], at="2019-06-03T10:00:00+08:00")
    want = engine.decide(base)
    assert (want.route, want.grant) == ("granted", "g-2018-0001")

    class Text(str):
        pass

    plain = engine.with_cache_settings(pairs=0, decisions=0)
    text_keys: dict[str, Any] = {Text(k): v for k, v in base.items()}
    variants: list[Mapping[str, Any]] = [
        UserDict(base),
        {**base, "fields": tuple(base["fields"])},
        {**base, "department": Text(base["department"])},
        text_keys,
    ]
    for same in variants:
        assert plain.decide(same) == want, same
    assert engine.decide_many([base, UserDict(base)]) == [want, want]
    no_fields = {k: v for k, v in base.items() if k != "fields"}
    assert engine.decide({**base, "fields": None}) == engine.decide(no_fields)
    # All the resource's fields: more than the grant's.
    assert engine.decide({**base, "fields": None}).route == "apply"
    no_certificate = {k: v for k, v in base.items() if k != "certificate"}
    assert [r.code for r in engine.decide(no_certificate).reasons] == ["certificate_missing"]
    for bad, name in (
        ({**base, "extra": "x"}, "extra"),
        ({**base, "method": "telepathy"}, "method"),
        ({**base, "purpose": ["social-assistance"]}, "purpose"),
        ({**base, "fields": ["name", 1]}, "fields"),
        ({**base, "certificate": None}, "certificate"),
        ({**base, "at": "2019-06-03"}, "at"),
        (no_fields | {"department": None}, "department"),
        ({k: v for k, v in base.items() if k != "network"}, "network"),
    ):
        with pytest.raises(govshare.GovShareError) as info:
            engine.decide(bad)
        assert info.value.code == "policy.invalid_request", (bad, info.value)
        assert name in str(info.value), (bad, info.value)
        with pytest.raises(govshare.GovShareError) as info:
            engine.decide_many([base, bad])
        assert info.value.code == "policy.invalid_request", (bad, info.value)


def test_engine_exposes_registry_and_manifest(engine: govshare.Engine, sample: dict[str, Any]) -> None:
    assert [d["id"] for d in engine.registry()["departments"]] == [d["id"] for d in sample["departments"]]
    manifest = engine.manifest()
    assert manifest["name"] == "binzhou"
    assert manifest["reply_limit_workdays"] == 5
    assert manifest["catalog_update_workdays"] == 15
    assert "binzhou" in repr(engine)
