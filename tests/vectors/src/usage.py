# Generates tests/vectors/usage.json: `python3 tests/vectors/src/usage.py` (from the repo root).
# Every expected answer below was worked out by hand from SPEC v2 §4 (Art. 27) and §8,
# not from the library's output.
import json
S = "+08:00"
def t(d, h="09:00:00"): return f"2019-10-{d}T{h}{S}"
def use(i, dept, res, purpose, at, grant=None):
    e = {"id": i, "kind": "usage", "at": at, "department": dept, "resource": res, "purpose": purpose}
    if i is None: del e["id"]
    if grant: e["grant"] = grant
    return e
CA, HR, MR, ZONE, PS = "city.civil-affairs", "city.human-resources", "city.market-regulation", "zone.bz-etdz.admin", "city.public-security"
SI, ER = "hr.social-insurance", "hr.employment-registration"
base = [
    use("u1", CA, SI, "social-assistance", t("08"), "g-2018-0001"),
    use("u2", CA, SI, "social-assistance", t("09")),
    use("u3", CA, SI, "social-assistance", t("10"), "g-2018-0001"),
    use("u4", ZONE, SI, "enterprise-services", t("11"), "g-2018-0007"),
    use("u5", MR, ER, "market-supervision", t("12")),
    use("u6", CA, "population.basic", "social-assistance", t("12", "10:00:00")),
]
def row(res, dept, purpose, grant, count, first, last):
    return {"resource": res, "department": dept, "purpose": purpose, "grant": grant,
            "count": count, "first": first, "last": last}
reg = json.load(open("policies/binzhou/sample/registry.json"))
er = dict(next(r for r in reg["resources"] if r["id"] == ER))
er["provider"] = CA
# A change the ledger rejects: it moves the resource to civil affairs but adds an
# error finding (SPEC v2 §6: `open_fields` not among `fields`, Art. 5).
er_bad = dict(er, open_fields=["no-such-field"])
# A change the ledger rejects: its provider is no department (an unresolvable reference).
er_nobody = dict(er, provider="city.no-such-department")
NEW = "hr.unemployment-insurance"
new_entry = dict(next(r for r in reg["resources"] if r["id"] == ER), id=NEW, name="失業保險信息")
R = "SPEC v2 §4 Art. 27, §8: the usage report"
cases = [
 {"id": "usage.grouping", "kind": "usage",
  "rule": R + ": rows by resource, department, purpose and grant (null when none), sorted, with counts and first/last `at`",
  "input": {"events": base, "provider": HR},
  "expect": {"rows": [
      row(ER, MR, "market-supervision", None, 1, t("12"), t("12")),
      row(SI, CA, "social-assistance", None, 1, t("09"), t("09")),
      row(SI, CA, "social-assistance", "g-2018-0001", 2, t("08"), t("10")),
      row(SI, ZONE, "enterprise-services", "g-2018-0007", 1, t("11"), t("11"))],
    "total": 5, "citations": ["27"], "reported": []}},
 {"id": "usage.period_inclusive", "kind": "usage",
  "rule": R + ": the period [from, until] includes both ends, compared as instants",
  "note": "u0 is one second before `from`; u1 is exactly `from`; `until` is u4's instant written in UTC; u5 and u6 are after it",
  "input": {"events": [use("u0", CA, SI, "social-assistance", t("08", "08:59:59"), "g-2018-0001")] + base,
            "provider": HR, "from": t("08"), "until": "2019-10-11T01:00:00Z"},
  "expect": {"rows": [
      row(SI, CA, "social-assistance", None, 1, t("09"), t("09")),
      row(SI, CA, "social-assistance", "g-2018-0001", 2, t("08"), t("10")),
      row(SI, ZONE, "enterprise-services", "g-2018-0007", 1, t("11"), t("11"))],
    "total": 4, "reported": []}},
 {"id": "usage.other_provider_excluded", "kind": "usage",
  "rule": R + ": only the provider's own resources are counted",
  "input": {"events": base, "provider": PS},
  "expect": {"rows": [row("population.basic", CA, "social-assistance", None, 1, t("12", "10:00:00"), t("12", "10:00:00"))],
             "total": 1, "citations": ["27"]}},
 {"id": "usage.one_resource", "kind": "usage",
  "rule": R + ": optionally one resource of the provider",
  "input": {"events": base, "provider": HR, "resource": ER},
  "expect": {"rows": [row(ER, MR, "market-supervision", None, 1, t("12"), t("12"))], "total": 1}},
 {"id": "usage.provider_changed.old", "kind": "usage",
  "rule": R + "; §4 the registry's history: a usage counts for the provider the resource had at the moment of the usage",
  "note": "c2 moves hr.employment-registration to city.civil-affairs; c4 has c2's `at` and comes after it in the log",
  "input": {"events": [
      use("c1", MR, ER, "market-supervision", t("14")),
      {"id": "c2", "kind": "resource_changed", "at": t("15"), "resource": er},
      use("c4", MR, ER, "market-supervision", t("15")),
      use("c3", MR, ER, "market-supervision", t("16"))], "provider": HR},
  "expect": {"rows": [row(ER, MR, "market-supervision", None, 1, t("14"), t("14"))], "total": 1, "reported": []}},
 {"id": "usage.provider_changed.new", "kind": "usage",
  "rule": R + "; §4 the registry's history: the new provider from the change's `at` (same `at`: log order); the resource became its own in the log, so asking for it is no error",
  "input": {"events": [
      use("c1", MR, ER, "market-supervision", t("14")),
      {"id": "c2", "kind": "resource_changed", "at": t("15"), "resource": er},
      use("c4", MR, ER, "market-supervision", t("15")),
      use("c3", MR, ER, "market-supervision", t("16"))], "provider": CA, "resource": ER},
  "expect": {"rows": [row(ER, MR, "market-supervision", None, 2, t("15"), t("16"))], "total": 2, "reported": []}},
 {"id": "usage.withdrawn", "kind": "usage",
  "rule": R + "; §4: after `resource_withdrawn` the resource is gone: a later usage is not counted and is reported, as is a usage of a resource never catalogued",
  "input": {"events": [
      use("w1", MR, ER, "market-supervision", t("14")),
      {"id": "w2", "kind": "resource_withdrawn", "at": t("15"), "resource": ER},
      use("w3", MR, ER, "market-supervision", t("16")),
      use("w4", MR, "hr.no-such-resource", "market-supervision", t("17"))], "provider": HR},
  "expect": {"rows": [row(ER, MR, "market-supervision", None, 1, t("14"), t("14"))], "total": 1,
             "reported": [{"event": "w3", "code": "resource_withdrawn"}, {"event": "w4", "code": "unknown_resource"}]}},
 {"id": "usage.catalogued_mid_log", "kind": "usage",
  "rule": R + "; §4 the registry's history: a resource catalogued in the log is the provider's from the `resource_catalogued`'s `at`; a usage before it names a resource not in the catalog (reported, not counted); asking for it is no error",
  "input": {"events": [
      use("k1", MR, NEW, "market-supervision", t("14")),
      {"id": "k2", "kind": "resource_catalogued", "at": t("15"), "resource": new_entry},
      use("k3", MR, NEW, "market-supervision", t("16"))], "provider": HR, "resource": NEW},
  "expect": {"rows": [row(NEW, MR, "market-supervision", None, 1, t("16"), t("16"))], "total": 1,
             "reported": [{"event": "k1", "code": "unknown_resource"}]}},
 {"id": "usage.change_rejected", "kind": "usage",
  "rule": R + "; §4 the registry's history: a change adding an error finding, or naming an unknown department, is rejected and the registry stays as it was: the resource is still its old provider's",
  "note": "x1 would move hr.employment-registration to city.civil-affairs with open_fields not among fields (Art. 5, an error finding); x2 names a provider that is no department",
  "input": {"events": [
      {"id": "x1", "kind": "resource_changed", "at": t("14"), "resource": er_bad},
      {"id": "x2", "kind": "resource_changed", "at": t("15"), "resource": er_nobody},
      use("x3", MR, ER, "market-supervision", t("16"))], "provider": HR},
  "expect": {"rows": [row(ER, MR, "market-supervision", None, 1, t("16"), t("16"))], "total": 1,
             "reported": [{"event": "x1", "code": "registry_change_rejected"},
                          {"event": "x2", "code": "registry_change_rejected"}]}},
 {"id": "usage.change_rejected.not_provider", "kind": "usage",
  "rule": R + ": a resource is the provider's only by a change that was applied; a rejected change does not make it so",
  "input": {"events": [
      {"id": "x1", "kind": "resource_changed", "at": t("14"), "resource": er_bad},
      use("x3", MR, ER, "market-supervision", t("16"))], "provider": CA, "resource": ER},
  "expect": {"error": "usage.not_provider"}},
 {"id": "usage.repeated_id", "kind": "usage",
  "rule": R + "; §4 Order: ids are unique, a repeat is reported and never counted twice; an event without `id` has its 1-based position as id",
  "note": "the 4th event has no id (so `4`); the 5th repeats `4`",
  "input": {"events": [
      use("r1", CA, SI, "social-assistance", t("08"), "g-2018-0001"),
      use("r2", CA, SI, "social-assistance", t("09"), "g-2018-0001"),
      use("r1", CA, SI, "social-assistance", t("10"), "g-2018-0001"),
      use(None, CA, SI, "social-assistance", t("11"), "g-2018-0001"),
      use("4", CA, SI, "social-assistance", t("12"), "g-2018-0001")], "provider": HR},
  "expect": {"rows": [row(SI, CA, "social-assistance", "g-2018-0001", 3, t("08"), t("11"))], "total": 3,
             "reported": [{"event": "r1", "code": "duplicate_event"}, {"event": "4", "code": "duplicate_event"}]}},
 {"id": "usage.out_of_order", "kind": "usage",
  "rule": R + "; §4 Order: an event earlier than the one before it is read in log order (counted) and reported",
  "input": {"events": [
      use("o1", CA, SI, "social-assistance", t("10"), "g-2018-0001"),
      use("o2", CA, SI, "social-assistance", t("08"), "g-2018-0001")], "provider": HR},
  "expect": {"rows": [row(SI, CA, "social-assistance", "g-2018-0001", 2, t("08"), t("10"))], "total": 2,
             "reported": [{"event": "o2", "code": "out_of_order"}]}},
 {"id": "usage.unknown_provider", "kind": "usage",
  "rule": R + ": a provider that is not a department of the registry is an error naming it",
  "input": {"events": base, "provider": "city.no-such-department"},
  "expect": {"error": "usage.unknown_provider"}},
 {"id": "usage.not_provider", "kind": "usage",
  "rule": R + ": a resource never the provider's is an error naming it",
  "input": {"events": base, "provider": CA, "resource": ER},
  "expect": {"error": "usage.not_provider"}},
 {"id": "usage.invalid_period", "kind": "usage",
  "rule": R + ": `from` after `until` is an error",
  "input": {"events": base, "provider": HR, "from": t("12"), "until": t("08")},
  "expect": {"error": "usage.invalid_period"}},
]
doc = {"description": "SPEC v2 §4 (Art. 27), §8: the provider's usage report over an event log. Expected answers worked out by hand from the SPEC. Generated by src/usage.py",
       "registry": "sample", "cases": cases}
out = json.dumps(doc, ensure_ascii=False, indent=2)
open("tests/vectors/usage.json", "w").write(out + "\n")
