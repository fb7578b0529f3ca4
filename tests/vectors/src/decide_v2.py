# Generates tests/vectors/decide_v2.json: `python3 tests/vectors/src/decide_v2.py`.
# Every expected answer below was worked out from SPEC v2 §1, §2, §8 and the
# Binzhou text (the rule is named in each case), not from the library's output.
import json
cert=lambda serial, nb="2017-01-01T00:00:00+08:00", na="2027-12-31T23:59:59+08:00", revoked=False: {"serial":serial,"not_before":nb,"not_after":na,"revoked":revoked}
def dept(id, name, duties, certs=None, roles=(), restricted=False, region="3716", level="city"):
    d={"id":id,"name":name,"level":level,"region":region,"kind":"government","roles":list(roles),"duties":duties,"restricted":restricted}
    if certs is not None: d["certificates"]=certs
    return d
iface={"endpoint":"https://platform.example/api","spec":"v1"}
def res(id, provider, sharing, network="extranet", fields=(), open_fields=(), database="thematic", derived=False, sensitivity=(), **kw):
    r={"id":id,"name":id,"provider":provider,"sharing":sharing,"database":database,"derived":derived,"network":network,
       "fields":list(fields),"open_fields":list(open_fields),"sensitivity":list(sensitivity),"interface":iface,"update_workdays":1}
    r.update(kw); return r
CIV="11371600MB28574X3A"   # a unified social credit code as a department id
registry={
 "departments":[
  dept("city.public-security","濱州市公安局",["household-registration","case-handling"],[cert("P-1")]),
  dept(CIV,"濱州市民政局",["social-assistance"],[
      cert("C-OLD","2017-01-01T00:00:00+08:00","2019-12-31T23:59:59+08:00"),
      cert("C-NEW","2019-12-01T00:00:00+08:00","2027-12-31T23:59:59+08:00"),
      cert("C-REV","2017-01-01T00:00:00+08:00","2027-12-31T23:59:59+08:00",True)]),
  dept("city.restricted","受限部門",["social-assistance"],[cert("R-1")],restricted=True),
  dept("city.no-cert","無證書部門",["social-assistance"],[]),
  dept("city.big-data-center","濱州市大數據中心",["data-governance"],[cert("B-1")],roles=["big_data_center"]),
  dept("city.government-office","濱州市政府辦公室",["coordination"],[cert("O-1")],roles=["city_government_office"]),
 ],
 "resources":[
  res("371600/00012-000045","city.public-security","conditional",fields=[],conditions="僅限社會救助審核使用"),
  res("secret.intranet","city.public-security","conditional",network="intranet",fields=["case_number","status"],database="business",sensitivity=["state_secret"]),
  res("secret.not-shared","city.public-security","not_shared",network="intranet",fields=["case_number"],database="business",sensitivity=["state_secret"],legal_basis="《保守國家秘密法》"),
  res("secret.extranet","city.public-security","conditional",network="extranet",fields=["case_number"],database="business",sensitivity=["state_secret"]),
  res("open.bad","city.public-security","conditional",fields=["x","y"],open_fields=["z"]),
  res("cond.open","city.public-security","conditional",fields=["a","b","c"],open_fields=["a"]),
  res("basic.cond","city.public-security","conditional",fields=["name","id_number"],database="basic",basic_category="population"),
  res("basic.derived","city.big-data-center","unconditional",fields=["name"],database="basic",derived=True,basic_category="water_resources"),
  res("derived.profile","city.big-data-center","conditional",fields=["name","score"],derived=True,sources=["cond.open","basic.cond"]),
  res("not-shared.plain","city.public-security","not_shared",fields=["name"],database="business",legal_basis="《反恐怖主義法》"),
 ],
 "grants":[
  {"id":"G-1","department":CIV,"resource":"371600/00012-000045","purposes":["social-assistance"],"fields":[],"methods":[],"from":"2018-01-01T00:00:00+08:00","source":"provider_reply"},
  {"id":"G-coord","department":CIV,"resource":"secret.intranet","purposes":["social-assistance"],"fields":[],"methods":[],"from":"2018-01-01T00:00:00+08:00","until":"2019-01-01T00:00:00+08:00","source":"big_data_center"},
  {"id":"G-sec","department":CIV,"resource":"secret.intranet","purposes":["social-assistance"],"fields":[],"methods":["online_query"],"from":"2019-01-01T00:00:00+08:00","source":"provider_reply"},
  {"id":"G-ns","department":CIV,"resource":"secret.not-shared","purposes":["social-assistance"],"fields":[],"methods":[],"from":"2018-01-01T00:00:00+08:00","source":"big_data_center"},
  {"id":"G-b","department":CIV,"resource":"cond.open","purposes":["social-assistance"],"fields":["b"],"methods":[],"from":"2018-01-01T00:00:00+08:00","source":"provider_reply"},
  {"id":"G-c","department":CIV,"resource":"cond.open","purposes":["social-assistance"],"fields":["c"],"methods":[],"from":"2018-01-01T00:00:00+08:00","source":"provider_reply"},
  {"id":"G-bad","department":CIV,"resource":"open.bad","purposes":["social-assistance"],"fields":[],"methods":[],"from":"2018-01-01T00:00:00+08:00","source":"provider_reply"},
 ]}
AT="2020-06-15T10:00:00+08:00"
def rq(resource, dept=CIV, cert="C-NEW", network="extranet", purpose="social-assistance", method="online_query", fields=None, at=AT, drop_cert=False):
    r={"department":dept,"resource":resource,"method":method,"purpose":purpose,"network":network,"certificate":cert,"at":at}
    if fields is not None: r["fields"]=fields
    if drop_cert: del r["certificate"]
    return r
cases=[]
def decide(id, rule, req, **expect):
    cases.append({"id":id,"kind":"decide","rule":rule,"input":{"request":req},"expect":expect})
def q(id, rule, question, **expect):
    cases.append({"id":id,"kind":"question","rule":rule,"input":{"question":question},"expect":expect})

# --- ids (§1): the registry above loads with real-world ids
decide("ids.credit-code-and-catalog-code","SPEC v2 §1 ids: a 統一社會信用代碼 department, a catalog-code resource and grant `G-1` load and decide",
       rq("371600/00012-000045"), decision="permit", route="granted", grant="G-1", citations=["5","17"], pack="binzhou")
# --- fields fail closed (§2)
decide("fields.no-fields.no-grant.apply","SPEC v2 §2 fields: a conditional resource without fields is one indivisible item; no open part; without a grant: apply (Art. 5, 17), reason shows the conditions",
       rq("371600/00012-000045",dept="city.restricted",cert="R-1"), decision="deny", route="apply", grant=None, citations=["5","17"], codes_include=["application_required"])
decide("fields.no-fields.empty-list.apply","SPEC v2 §2 fields: `fields: []` means the whole resource, as absent does",
       rq("371600/00012-000045",dept="city.restricted",cert="R-1",fields=[]), decision="deny", route="apply")
decide("fields.open-part.direct","SPEC v2 §2 open part: a non-empty request inside a non-empty open_fields is direct (Art. 5)",
       rq("cond.open",dept="city.restricted",cert="R-1",fields=["a"]), decision="permit", route="direct", citations=["5","17"])
decide("fields.whole.not-open","SPEC v2 §2 open part: the whole resource is not inside open_fields; no covering grant: apply",
       rq("cond.open",dept="city.restricted",cert="R-1"), decision="deny", route="apply")
decide("fields.grant-covers-outside-open","SPEC v2 §2 Art. 17: a grant must hold every requested field outside open_fields (a in the open part, b in G-b)",
       rq("cond.open",fields=["a","b"]), decision="permit", route="granted", grant="G-b")
decide("fields.not-in-catalog","SPEC v2 §2 Art. 12: a requested field not in the catalog entry: deny, route none",
       rq("cond.open",fields=["a","q"]), decision="deny", route="none", citations_include=["12"], codes_include=["field_not_in_catalog"])
decide("grants.not-combined","SPEC v2 §2: a decision uses one grant; b and c need G-b and G-c together: deny, naming both",
       rq("cond.open",fields=["b","c"]), decision="deny", route="apply", grant=None, codes_include=["grants_not_combined"])
# --- certificates (§1, §2 Art. 26)
decide("cert.rollover.new","SPEC v2 §1 certificates: a department may hold several; the new one is valid",
       rq("cond.open",fields=["a"],cert="C-NEW"), decision="permit", route="direct")
decide("cert.old.last-second","SPEC v2 §1: validity is inclusive (not_before <= at <= not_after)",
       rq("cond.open",fields=["a"],cert="C-OLD",at="2019-12-31T23:59:59+08:00"), decision="permit", route="direct")
decide("cert.old.sub-second-after","SPEC v2 §2 Art. 26: moments are compared at full precision: 0.5 s after not_after the certificate no longer holds",
       rq("cond.open",fields=["a"],cert="C-OLD",at="2019-12-31T23:59:59.5+08:00"), decision="deny", route="none", citations=["26"], codes_include=["certificate_not_valid"])
decide("cert.revoked","SPEC v2 §1: a revoked certificate is not valid",
       rq("cond.open",fields=["a"],cert="C-REV"), decision="deny", route="none", citations=["26"], codes_include=["certificate_revoked"])
decide("cert.blank","SPEC v2 §2 Art. 26: a blank presented serial fails the check (certificate_missing), it is not an input error",
       rq("cond.open",fields=["a"],cert="  "), decision="deny", route="none", citations=["26"], codes_include=["certificate_missing"])
decide("cert.empty","SPEC v2 §2 Art. 26: an empty presented serial never matches",
       rq("cond.open",fields=["a"],cert=""), decision="deny", route="none", codes_include=["certificate_missing"])
decide("cert.absent","SPEC v2 §2 Art. 26: an absent serial fails the check",
       rq("cond.open",fields=["a"],drop_cert=True), decision="deny", route="none", codes_include=["certificate_missing"])
decide("cert.none-registered","SPEC v2 §2 Art. 26: a department without certificates",
       rq("cond.open",dept="city.no-cert",cert="X-1",fields=["a"]), decision="deny", route="none", citations=["26"])
decide("cert.another-departments","SPEC v2 §2 Art. 26: a serial of another department does not match",
       rq("cond.open",fields=["a"],cert="P-1"), decision="deny", route="none", codes_include=["certificate_mismatch"])
# --- state secrets (§2)
decide("secret.extranet.other","SPEC v2 §2 state secrets (Art. 8, 4(1)): only on the intranet; an extranet request is denied, route none",
       rq("secret.intranet"), decision="deny", route="none", citations_include=["8","4(1)"], codes_include=["state_secret_network"])
decide("secret.extranet.provider","SPEC v2 §2 state secrets: the provider's own use included",
       rq("secret.intranet",dept="city.public-security",cert="P-1",purpose="case-handling"), decision="deny", route="none", citations_include=["8","4(1)"])
decide("secret.intranet.provider","SPEC v2 §2 the provider's own resource: not sharing (Art. 3), direct",
       rq("secret.intranet",dept="city.public-security",cert="P-1",purpose="case-handling",network="intranet"), decision="permit", route="direct", citations=["3"])
decide("secret.coordination-grant","SPEC v2 §2 state secrets: no coordination grant opens one (G-coord, a Big Data Center grant of 2018); before the provider's grant: apply",
       rq("secret.intranet",network="intranet",at="2018-06-01T10:00:00+08:00",cert="C-OLD"), decision="deny", route="apply", grant=None, citations_include=["4(1)"])
decide("secret.provider-grant","SPEC v2 §2 state secrets: its provider's reply opens it (G-sec)",
       rq("secret.intranet",network="intranet"), decision="permit", route="granted", grant="G-sec", citations_include=["4(1)"])
decide("secret.provider-grant.other-method","SPEC v2 §2: the provider's grant allows online_query only: apply again",
       rq("secret.intranet",network="intranet",method="batch_download"), decision="deny", route="apply", grant=None)
decide("secret.not-shared","SPEC v2 §2: a not_shared state secret is never permitted to another department, whatever grants exist (G-ns): route none",
       rq("secret.not-shared",network="intranet"), decision="deny", route="none", grant=None, citations_include=["4(1)"], codes_include=["state_secret_not_shared"])
# --- quarantine (§2, §6)
decide("quarantine.open-fields","SPEC v2 §2 quarantine (Art. 12): open_fields not among fields is an error finding (Art. 5); denied to every other department, grants included (G-bad); route coordinate; cites 12 and 5",
       rq("open.bad"), decision="deny", route="coordinate", grant=None, citations_include=["12","5"], codes_include=["catalog_defect"])
decide("quarantine.provider","SPEC v2 §2 quarantine: except its provider (Art. 3)",
       rq("open.bad",dept="city.public-security",cert="P-1",purpose="case-handling"), decision="permit", route="direct", citations=["3"])
decide("quarantine.secret-on-extranet","SPEC v2 §6: a state secret catalogued on the extranet is an error (8, 4(1)); the extranet request is refused for the network anyway: route none wins over coordinate",
       rq("secret.extranet"), decision="deny", route="none", citations_include=["12","8","4(1)"], codes_include=["catalog_defect","state_secret_network"])
# --- Art. 10 (§2)
decide("basic.conditional.warning","SPEC v2 §2 Art. 10: a basic database catalogued conditional follows its class (apply) and adds a reason citing 10",
       rq("basic.cond"), decision="deny", route="apply", citations_include=["10","5","17"], codes_include=["basic_not_unconditional","application_required"])
decide("basic.derived.direct","SPEC v2 §2: for a basic database Art. 10 prevails: basic, unconditional, derived is taken directly",
       rq("basic.derived"), decision="permit", route="direct", citations_include=["10"])
decide("basic.derived.restricted","SPEC v2 §2 Art. 21: a restricted department gets no derived resource of another department; route coordinate",
       rq("basic.derived",dept="city.restricted",cert="R-1"), decision="deny", route="coordinate", citations_include=["21"], codes_include=["restricted_derived"])
# --- routes (§2)
decide("route.none-beats-coordinate","SPEC v2 §2 one route: network (none) and restriction (coordinate) both fail: none",
       rq("derived.profile",dept="city.restricted",cert="R-1",network="intranet"), decision="deny", route="none", codes_include=["network_mismatch","restricted_derived"])
decide("route.coordinate-beats-apply","SPEC v2 §2 one route: restriction (coordinate) and no derived grant (apply): coordinate",
       rq("derived.profile",dept="city.restricted",cert="R-1"), decision="deny", route="coordinate", codes_include=["restricted_derived","derived_application_required"])
decide("route.derived.apply","SPEC v2 §2 Art. 21: derived information without a grant: apply, citing 21 and 17",
       rq("derived.profile"), decision="deny", route="apply", citations=["21","17"])
decide("route.not-shared.coordinate","SPEC v2 §2 Art. 5, 17: not shared without a coordination grant: coordinate",
       rq("not-shared.plain"), decision="deny", route="coordinate", citations=["5","17"])
# --- provider's own (§2)
decide("own.purpose-not-duty","SPEC v2 §2: the provider's own use outside its duties cites 13 (按照法定職責採集)",
       rq("cond.open",dept="city.public-security",cert="P-1",purpose="marketing"), decision="deny", route="none", citations=["13"])
decide("own.certificate","SPEC v2 §2: the certificate check still applies to the provider",
       rq("cond.open",dept="city.public-security",cert="X",purpose="case-handling"), decision="deny", route="none", citations=["26"])
# --- bad input
cases.append({"id":"at.out-of-range","kind":"decide","rule":"SPEC v2 §2: moments are compared at full precision; a moment past 2262 cannot be, and is an input error (asked out of force)",
  "input":{"request":rq("cond.open",fields=["a"],at="2300-01-01T00:00:00+08:00"),"evaluate_out_of_force":True},"expect":{"error":"policy.invalid_request"}})
decide("at.out-of-force","SPEC v2 §7: a moment where the pack is not in force is an error, never a guess",
       rq("cond.open",fields=["a"],at="2023-01-01T00:00:00+08:00"), error="policy.not_in_force")

# --- questions (§2, §8)
Q13=lambda resource, dept=CIV, **kw: dict({"question":"may_require_submission","department":dept,"resource":resource,"at":AT},**kw)
q("art13.apply-obtainable","SPEC v2 §2 Art. 13: obtainable by applying (conditional, no grant): may not require submission",
  Q13("basic.cond"), allowed=False, citations_include=["13","5","17"])
q("art13.own-failing","SPEC v2 §2 Art. 13: the department's own failings (no certificate) do not make an item unobtainable",
  Q13("cond.open",dept="city.no-cert"), allowed=False, citations_include=["13"])
q("art13.not-shared","SPEC v2 §2 Art. 13 (a reading): not_shared without a coordination grant is not obtainable",
  Q13("not-shared.plain"), allowed=True, citations_include=["13"])
q("art13.secret.no-grant","SPEC v2 §2 Art. 13: a state secret without its provider's grant held at `at` is not obtainable",
  Q13("secret.intranet",at="2018-06-01T10:00:00+08:00"), allowed=True, citations_include=["13"])
q("art13.secret.grant","SPEC v2 §2 Art. 13: a state secret under its provider's grant is obtainable",
  Q13("secret.intranet"), allowed=False, citations_include=["13","4(1)"])
q("art13.field-not-in-catalog","SPEC v2 §2 Art. 13: a field not in the catalog is not obtainable",
  Q13("cond.open",fields=["q"]), allowed=True, citations_include=["13"])
q("art13.not-a-duty","SPEC v2 §2 Art. 13: a purpose not among its duties: may not require it, citing 13 and 4(2)",
  Q13("cond.open",purpose="marketing"), allowed=False, citations_include=["13","4(2)"])
q("art13.derived","SPEC v2 §2 Art. 13: derived information is obtainable by applying, citing 13, 17, 21",
  Q13("derived.profile"), allowed=False, citations_include=["13","17","21"])
q("art13.quarantined","SPEC v2 §2 Art. 13: a quarantined resource is judged as if not quarantined (G-bad covers it), with the catalog_defect reason added",
  Q13("open.bad"), allowed=False, citations_include=["13"], codes_include=["catalog_defect"])
q("art13.restricted","SPEC v2 §2 Art. 13: an Art. 21 restriction is the department's own failing: derived still obtainable by applying",
  Q13("derived.profile",dept="city.restricted"), allowed=False, citations_include=["13","21"])
q("art22.provider","SPEC v2 §2 Art. 22: only the provider, only open_data (basic.cond is not): no",
  {"question":"may_publish_open_data","department":"city.public-security","resource":"basic.cond","at":AT}, allowed=False, citations_include=["22"])
q("art20.no-log","SPEC v2 §2 Art. 20: without an event log no verification is known: serve as usual",
  {"question":"must_serve","department":CIV,"resource":"basic.cond","subject":"370000199001011234","proof_valid":True,"at":AT}, must_serve=True, citations_include=["20"])
q("question.unknown-resource","SPEC v2 §8: a question naming an unknown resource is an error naming it",
  Q13("no.such"), error="policy.unknown_resource")

doc={"description":"SPEC v2 §1, §2, §8 over an inline registry with real-world ids: fields fail closed, certificates with rollover and full-precision validity, state secrets, quarantine, Art. 10, one route by priority, the provider's own use (Art. 3), grants not combined, and the question lines (Art. 13 obtainability, Art. 22, Art. 20).",
     "registry":registry,"cases":cases}
import os
json.dump(doc,open(os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','decide_v2.json'),'w'),ensure_ascii=False,indent=1)
print(len(cases), "cases")
