# Generates tests/vectors/workflow_national.json: `python3 tests/vectors/src/workflow_national.py`
# (from the repo root). Every expected answer below was worked out by hand from the national
# regulation (shared/regulation/national-data-sharing-regulation-2025.txt) and its reading
# (shared/packs/national-2025.md), with due dates checked with `govshare deadline`; not from
# the library's output.
import json
T=lambda d,h="10:00": f"2026-03-{d:02d}T{h}:00+08:00"
def apply(app,dept,res,purpose,at,**kw):
    e={"kind":"apply","at":at,"application":app,"department":dept,"resource":res,"purpose":purpose}; e.update(kw); return e
def reply(app,by,outcome,at,**kw):
    e={"kind":"reply","at":at,"application":app,"by":by,"outcome":outcome}; e.update(kw); return e
def ev(kind,at,**kw):
    e={"kind":kind,"at":at}; e.update(kw); return e
CA,PS,HR,MR,DB,PDB,GOV,HMCA,HMGOV="city.civil-affairs","city.public-security","city.human-resources","city.market-regulation","city.data-bureau","province.data-bureau","city.government","huimin.civil-affairs","huimin.government"
# frequently used applications
a_uncond=lambda at=T(2): apply("N-1",CA,"population.basic","social-assistance",at,fields=["name","id_number"])
scope_uncond={"purposes":["social-assistance"],"fields":["name","id_number"]}
a_cond=lambda at=T(2): apply("N-2",MR,"hr.social-insurance","market-supervision",at,fields=["name","contribution_status"])
scope_cond={"purposes":["market-supervision"],"fields":["name","contribution_status"]}
a_obst=lambda at=T(2): apply("N-3",HR,"market.enterprise-credit","employment-services",at)
a_cross=lambda at=T(2): apply("N-4",HMCA,"civil-affairs.marriage","social-assistance",at,fields=["name","marriage_status"])
scope_cross={"purposes":["social-assistance"],"fields":["name","marriage_status"]}
R=lambda e,c: {"event":e,"code":c}
cases=[]
def case(id,kind,rule,events,as_of,expect):
    cases.append({"id":id,"kind":kind,"rule":rule,"input":{"events":events,"as_of":as_of},"expect":expect})
A="applications"
case("nat.apply.unconditional-one-working-day",A,"NR 20¶2, 21¶1: every share is applied for; unconditional data is answered within 1 working day of receipt (2026-03-02 → 2026-03-03)",
 [a_uncond()], T(2,"12:00"), {"applications":{"N-1":{"status":"pending","reply_due":"2026-03-03","has_grant":False,"reply_late":False}},"rejected":[]})
case("nat.apply.conditional-ten-working-days",A,"NR 21¶1: conditional data is answered within 10 working days of receipt (2026-03-02 → 2026-03-16)",
 [a_cond()], T(2,"12:00"), {"applications":{"N-2":{"status":"pending","reply_due":"2026-03-16"}},"rejected":[]})
case("nat.reply.late-approval-opens-delivery",A,"NR 21¶1, 22¶1: an approval after the due day is late; the provider must share within 20 working days of its approving reply (2026-03-04 → 2026-04-01)",
 [a_uncond(), reply("N-1",PS,"approve",T(4),scope=scope_uncond)], T(5),
 {"applications":{"N-1":{"status":"approved","has_grant":True,"reply_late":True,"approvals":["provider_reply"]}},
  "obligations":[{"kind":"data_delivery","department":PS,"resource":"population.basic","due":"2026-04-01","status":"open","late":False}],"rejected":[]})
case("nat.apply.not-shared-closed",A,"NR 14(3), 15¶2: not-shared data is not shared; no application opens it",
 [apply("N-5",CA,"public-security.criminal-records","social-assistance",T(2))], T(3), {"applications":{},"rejected":[R("1","workflow.not_applicable")]})
case("nat.apply.outside-regulation",A,"NR 3: state and work secrets are not government data under the regulation; no application is made under it",
 [apply("N-6",CA,"public-security.case-intelligence","social-assistance",T(2)),apply("N-7",MR,"civil-affairs.internal-review","market-supervision",T(2,"11:00"))], T(3),
 {"applications":{},"rejected":[R("1","workflow.not_applicable"),R("2","workflow.not_applicable")]})
case("nat.refuse.unconditional-obstructs",A,"NR 14(1), 15¶1, 39(2): refusing unconditional data without a reason the regulation accepts obstructs sharing: the strict ledger rejects it",
 [a_obst(), reply("N-3",MR,"refuse",T(3),reason="數據正在整理")], T(4),
 {"applications":{"N-3":{"status":"pending"}},"rejected":[R("2","workflow.act_not_allowed")]})
case("nat.refuse.unconditional-purpose-not-duty",A,"NR 20¶2: an application not made for the requester's duties may be refused, unconditional data included (a reading: reason_code purpose_not_duty)",
 [a_obst(), reply("N-3",MR,"refuse",T(3),reason="申請用途與職責無關",reason_code="purpose_not_duty")], T(4),
 {"applications":{"N-3":{"status":"refused","has_grant":False}},"rejected":[]})
case("nat.refuse.without-reason",A,"NR 21¶2: 不同意共享的，應當說明理由",
 [a_cond(), reply("N-2",HR,"refuse",T(3))], T(4), {"applications":{"N-2":{"status":"pending"}},"rejected":[R("2","workflow.missing_reason")]})
case("nat.refuse.for-missing-materials",A,"NR 21¶2: 申請材料不全的…應當一次性告知…不得直接予以拒絕",
 [a_cond(), reply("N-2",HR,"refuse",T(3),reason="材料不全",reason_code="materials_incomplete")], T(4),
 {"applications":{"N-2":{"status":"pending"}},"rejected":[R("2","workflow.act_not_allowed")]})
case("nat.materials.awaiting-no-reply-due",A,"NR 21¶2 (a reading): while the materials asked for are missing no reply is due",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"])], T(6),
 {"applications":{"N-2":{"status":"awaiting_materials","reply_due":None}},"rejected":[]})
case("nat.materials.clock-runs-from-supply",A,"NR 21¶1 自收到…申請之日起 (a reading): the 10 working days run from the supply of the materials asked for (2026-03-09 → 2026-03-23)",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), ev("materials_supplied",T(9),application="N-2",by=MR,materials=["使用依據"])], T(10),
 {"applications":{"N-2":{"status":"pending","reply_due":"2026-03-23"}},"rejected":[]})
case("nat.materials.second-request-before-supply",A,"NR 21¶2 一次性告知: a second request before any supply is rejected",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), ev("materials_requested",T(6),application="N-2",by=HR,materials=["使用場景"])], T(9),
 {"applications":{"N-2":{"status":"awaiting_materials"}},"rejected":[R("3","workflow.act_not_allowed")]})
case("nat.materials.second-request-on-supplied-items",A,"NR 21¶2 (a reading): after a supply, asking again about the materials supplied is not a new request",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), ev("materials_supplied",T(9),application="N-2",by=MR), ev("materials_requested",T(10),application="N-2",by=HR,materials=["使用依據"])], T(11),
 {"applications":{"N-2":{"status":"awaiting_materials"}},"rejected":[]})
case("nat.materials.new-item-after-supply",A,"NR 21¶2: after a supply, an item not asked for at first is a request not made at once",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), ev("materials_supplied",T(9),application="N-2",by=MR), ev("materials_requested",T(10),application="N-2",by=HR,materials=["使用時限"])], T(11),
 {"applications":{"N-2":{"status":"pending","reply_due":"2026-03-23"}},"rejected":[R("4","workflow.act_not_allowed")]})
case("nat.materials.after-due",A,"NR 21¶2 (a reading): materials are asked for while the reply is pending, not after its due day (2026-03-16)",
 [a_cond(), ev("materials_requested",T(17),application="N-2",by=HR,materials=["使用依據"])], T(18),
 {"applications":{"N-2":{"status":"pending","reply_due":"2026-03-16","reply_late":True}},"rejected":[R("2","workflow.wrong_state")]})
case("nat.extension.valid",A,"NR 21¶1: the provider's same-level authority extends the reply before it is due, the requester informed: 10 + 5 working days from 2026-03-02 → 2026-03-23; a reply on 03-20 is on time",
 [a_cond(), ev("extension_granted",T(13),application="N-2",by=DB,workdays=5,requester_informed=True), reply("N-2",HR,"approve",T(20),scope=scope_cond)], T(23),
 {"applications":{"N-2":{"status":"approved","reply_due":"2026-03-23","reply_late":False,"has_grant":True}},"rejected":[]})
case("nat.extension.wrong-authority",A,"NR 21¶1 同級政務數據共享主管部門: the provincial authority is not the city provider's same-level authority; the due day does not move",
 [a_cond(), ev("extension_granted",T(13),application="N-2",by=PDB,workdays=5,requester_informed=True)], T(13,"12:00"),
 {"applications":{"N-2":{"reply_due":"2026-03-16"}},"rejected":[R("2","workflow.act_not_allowed")]})
case("nat.extension.more-than-ten",A,"NR 21¶1 延長的期限最長不得超過10個工作日: 6 + 5 is more than 10 in all; the second is rejected",
 [a_cond(), ev("extension_granted",T(12),application="N-2",by=DB,workdays=6,requester_informed=True), ev("extension_granted",T(13),application="N-2",by=DB,workdays=5,requester_informed=True)], T(13,"12:00"),
 {"applications":{"N-2":{"reply_due":"2026-03-24"}},"rejected":[R("3","workflow.act_not_allowed")]})
case("nat.extension.after-due",A,"NR 21¶1 (a reading): an extension is granted before the day it extends has passed",
 [a_cond(), ev("extension_granted",T(17),application="N-2",by=DB,workdays=5,requester_informed=True)], T(17,"12:00"),
 {"applications":{"N-2":{"reply_due":"2026-03-16","reply_late":True}},"rejected":[R("2","workflow.act_not_allowed")]})
case("nat.extension.requester-not-informed",A,"NR 21¶1 並告知政務數據需求部門",
 [a_cond(), ev("extension_granted",T(13),application="N-2",by=DB,workdays=5)], T(13,"12:00"),
 {"applications":{"N-2":{"reply_due":"2026-03-16"}},"rejected":[R("2","workflow.act_not_allowed")]})
case("nat.dispute.same-level-negotiates-first",A,"NR 28: 同級…應當協商解決；協商不成的…向同級政務數據共享主管部門申請協調處理: escalating before the negotiation failed is rejected; the city authority, not the province's, coordinates; its agreement is a grant and opens delivery (20 working days from 2026-03-10 → 2026-04-08)",
 [a_cond(), reply("N-2",HR,"refuse",T(4),reason="用途不明"), ev("escalate",T(5),application="N-2",to="sharing_authority"),
  ev("negotiation_failed",T(5,"15:00"),application="N-2",by=MR), ev("escalate",T(6),application="N-2",to="sharing_authority"),
  ev("coordinate",T(9),application="N-2",by=PDB,outcome="agreed",scope=scope_cond), ev("coordinate",T(10),application="N-2",by=DB,outcome="agreed",scope=scope_cond)], T(11),
 {"applications":{"N-2":{"status":"approved","has_grant":True}},
  "obligations":[{"kind":"data_delivery","department":HR,"resource":"hr.social-insurance","due":"2026-04-08","status":"open","late":False}],
  "rejected":[R("3","workflow.wrong_state"),R("6","workflow.wrong_actor")]})
case("nat.dispute.cross-level-to-government",A,"NR 28: 跨層級…由共同的上級政務數據共享主管部門協調處理 (a county requester and a city provider: the city authority); a failure is referred by that authority (not the requester) to its own people's government (not the county's), whose decision to share is a grant",
 [a_cross(), reply("N-4",CA,"refuse",T(3),reason="可使用縣級數據"), ev("escalate",T(4),application="N-4",to="sharing_authority"),
  ev("coordinate",T(10),application="N-4",by=DB,outcome="failed"), ev("escalate",T(11),application="N-4",to="people_government"),
  ev("escalate",T(11,"11:00"),application="N-4",to="people_government",by=DB),
  ev("decide",T(12),application="N-4",by=HMGOV,outcome="share",scope=scope_cross), ev("decide",T(13),application="N-4",by=GOV,outcome="share",scope=scope_cross)], T(16),
 {"applications":{"N-4":{"status":"approved","has_grant":True}},"rejected":[R("5","workflow.wrong_actor"),R("7","workflow.wrong_actor")]})
case("nat.dispute.government-says-no",A,"NR 28 報…本級人民政府決定: a decision not to share is final",
 [a_cross(), reply("N-4",CA,"refuse",T(3),reason="可使用縣級數據"), ev("escalate",T(4),application="N-4",to="sharing_authority"),
  ev("coordinate",T(10),application="N-4",by=DB,outcome="failed"), ev("escalate",T(11),application="N-4",to="people_government",by=DB),
  ev("decide",T(13),application="N-4",by=GOV,outcome="not_share"), ev("escalate",T(16),application="N-4",to="sharing_authority")], T(16,"12:00"),
 {"applications":{"N-4":{"status":"failed","has_grant":False}},"rejected":[R("7","workflow.wrong_state")]})
case("nat.dispute.binzhou-bodies-have-no-power",A,"SPEC v2 §7: a Binzhou role gives no national powers; the dispute goes to the sharing authority",
 [a_cond(), reply("N-2",HR,"refuse",T(4),reason="用途不明"), ev("negotiation_failed",T(5),application="N-2",by=HR), ev("escalate",T(6),application="N-2",to="big_data_center")], T(9),
 {"applications":{"N-2":{"status":"negotiation_failed"}},"rejected":[R("4","workflow.wrong_state")]})
case("nat.dispute.negotiation-after-overdue-reply",A,"NR 28 (a reading, packs/national-2025.md): an overdue reply may be negotiated like a refusal; not on its due day (2026-03-16)",
 [a_cond(), ev("negotiation_failed",T(16),application="N-2",by=MR), ev("negotiation_failed",T(17),application="N-2",by=MR)], T(17,"12:00"),
 {"applications":{"N-2":{"status":"negotiation_failed"}},"rejected":[R("2","workflow.wrong_state")]})
case("nat.delivery.shared-in-time",A,"NR 22¶1: the provider shares within 20 working days of its approval (2026-03-03 → 2026-03-31); only the provider delivers",
 [a_uncond(), reply("N-1",PS,"approve",T(3),scope=scope_uncond), ev("data_shared",T(10),application="N-1",by=CA), ev("data_shared",T(10,"11:00"),application="N-1",by=PS)], T(11),
 {"applications":{"N-1":{"status":"approved","reply_late":False}},
  "obligations":[{"kind":"data_delivery","department":PS,"resource":"population.basic","due":"2026-03-31","status":"fulfilled","late":False}],
  "rejected":[R("3","workflow.wrong_actor")]})
case("nat.delivery.nothing-approved",A,"NR 22¶1: data_shared follows an approval",
 [a_cond(), ev("data_shared",T(3),application="N-2",by=HR)], T(4), {"applications":{"N-2":{"status":"pending"}},"rejected":[R("2","workflow.nothing_open")]})
case("nat.delay.by-the-providers-authority-only",A,"NR 39(4) 無正當理由 (a reading): the provider's same-level authority records a justified delay",
 [a_cond(), ev("delay_justified",T(17),application="N-2",by=PDB,reason="系統升級")], T(18), {"applications":{"N-2":{"status":"pending"}},"rejected":[R("2","workflow.wrong_actor")]})
case("nat.event-not-in-pack",A,"SPEC v2 §7: an event kind the pack in force does not declare is rejected (Binzhou's provision duty by update frequency, Art. 21, has no national counterpart in packs/national-2025.md)",
 [ev("data_provided",T(2),resource="hr.social-insurance")], T(3), {"applications":{},"obligations":[],"rejected":[R("1","workflow.event_not_in_pack")]})
case("nat.apply-then-binzhou-only-event",A,"SPEC v2 §7: Binzhou's inconsistency report is not a national event; nothing changes",
 [a_cond(), ev("inconsistency_reported",T(3),resource="hr.social-insurance",by=MR)], T(4), {"applications":{"N-2":{"status":"pending"}},"rejected":[R("2","workflow.event_not_in_pack")]})

U="audit"
case("nat.audit.reply-late",U,"NR 21¶1, 39(4): the unconditional reply due 2026-03-03 came on 03-04; the provider answers for it, the sharing authority orders correction",
 [a_uncond(), reply("N-1",PS,"approve",T(4),scope=scope_uncond)], T(5),
 {"violations":[{"category":"reply_overdue","article":"39(4)","basis":["39(4)","21¶1"],"department":PS,"severity":"ordinary","due":"2026-03-03","events":["1","2"],"pack":"national-2025","urged_by":"sharing_authority","consequences_include":["urge_correction"]}]})
case("nat.audit.reply-missing",U,"NR 21¶1, 39(4): a conditional application due 2026-03-16 still unanswered on 03-20",
 [a_cond()], T(20), {"violations":[{"category":"reply_overdue","article":"39(4)","department":HR,"due":"2026-03-16","events":["1"]}]})
case("nat.audit.reply-late-justified",U,"NR 39(4) 且無正當理由: a delay the provider's authority recorded as justified is no violation",
 [a_cond(), ev("delay_justified",T(17),application="N-2",by=DB,reason="系統遷移")], T(20), {"violations":[]})
case("nat.audit.extension-keeps-reply-on-time",U,"NR 21¶1: a reply within a valid extension is on time",
 [a_cond(), ev("extension_granted",T(13),application="N-2",by=DB,workdays=5,requester_informed=True), reply("N-2",HR,"approve",T(20),scope=scope_cond)], T(23), {"violations":[]})
case("nat.audit.invalid-extension-does-not-move-the-due-day",U,"NR 21¶1: an extension by the wrong authority is reported, and the reply on 03-20 is late against 03-16",
 [a_cond(), ev("extension_granted",T(13),application="N-2",by=PDB,workdays=5,requester_informed=True), reply("N-2",HR,"approve",T(20),scope=scope_cond)], T(23),
 {"violations":[{"category":"reply_overdue","article":"39(4)","department":HR,"due":"2026-03-16"}]})
case("nat.audit.delivery-late",U,"NR 22¶1, 39(4): approved on 2026-03-03, shared by 03-31, still not shared on 04-10 (7 working days late)",
 [a_uncond(), reply("N-1",PS,"approve",T(3),scope=scope_uncond)], "2026-04-10T12:00:00+08:00",
 {"violations":[{"category":"delivery_overdue","article":"39(4)","basis":["39(4)","22¶1"],"department":PS,"due":"2026-03-31","severity":"ordinary","pack":"national-2025"}]})
case("nat.audit.delivery-on-its-day",U,"NR 22¶1: shared on the due day itself",
 [a_uncond(), reply("N-1",PS,"approve",T(3),scope=scope_uncond), ev("data_shared",T(31,"17:00"),application="N-1",by=PS)], "2026-04-10T12:00:00+08:00", {"violations":[]})
case("nat.audit.delivery-late-justified",U,"NR 39(4) 且無正當理由: a justified delay of delivery is no violation",
 [a_uncond(), reply("N-1",PS,"approve",T(3),scope=scope_uncond), ev("delay_justified","2026-04-01T10:00:00+08:00",application="N-1",by=DB,reason="接口改造")], "2026-04-10T12:00:00+08:00", {"violations":[]})
case("nat.audit.obstruction",U,"NR 14(1), 15¶1, 39(2): unconditional data refused without an accepted reason",
 [a_obst(), reply("N-3",MR,"refuse",T(3),reason="數據正在整理")], T(4),
 {"violations":[{"category":"sharing_obstructed","article":"39(2)","basis":["39(2)","14(1)","15¶1"],"department":MR,"events":["1","2"],"urged_by":"sharing_authority"}]})
case("nat.audit.refusal-without-reason",U,"NR 21¶2, 39(9)",
 [a_cond(), reply("N-2",HR,"refuse",T(3))], T(4),
 {"violations":[{"category":"refusal_without_reason","article":"39(9)","basis":["39(9)","21¶2"],"department":HR}]})
case("nat.audit.refused-for-missing-materials",U,"NR 21¶2, 39(9): 不得直接予以拒絕",
 [a_cond(), reply("N-2",HR,"refuse",T(3),reason="材料不全",reason_code="materials_incomplete")], T(4),
 {"violations":[{"category":"refused_for_missing_materials","article":"39(9)","basis":["39(9)","21¶2"],"department":HR}]})
case("nat.audit.materials-not-at-once",U,"NR 21¶2 一次性告知, 39(9): a second request before any supply",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), ev("materials_requested",T(6),application="N-2",by=HR,materials=["使用場景"])], T(9),
 {"violations":[{"category":"materials_not_requested_at_once","article":"39(9)","basis":["39(9)","21¶2"],"department":HR}]})
case("nat.audit.use-beyond-the-grant",U,"NR 25, 40(2): a use for a purpose the grant does not hold; Art. 42 names disclosures and leaks, not uses (no legal referral)",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("usage",T(5),department=MR,resource="hr.social-insurance",purpose="food-safety")], T(6),
 {"violations":[{"category":"unauthorized_use","article":"40(2)","basis":["40(2)","25"],"department":MR,"events":["3"],"consequences_exclude":["legal_referral"]}]})
case("nat.audit.use-within-the-grant",U,"NR 25: a use within the approved scope is no violation",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("usage",T(5),department=MR,resource="hr.social-insurance",purpose="market-supervision",grant="grant.n-2")], T(6), {"violations":[]})
case("nat.audit.event-not-in-pack-is-no-violation",U,"SPEC v2 §7: an event the pack does not read is reported and ignored (Binzhou Art. 28's IT-project rule has no national counterpart)",
 [ev("project_submitted",T(2),project="P-1",department=CA,catalog=False)], T(10), {"violations":[],"rejected":[]})

# ---- catalog and verification (NR 17, 26)
CAT=[]
def case2(id,kind,rule,events,as_of,expect):
    cases.append({"id":id,"kind":kind,"rule":rule,"input":{"events":events,"as_of":as_of},"expect":expect})
law=lambda at=T(2),rank="law": ev("law_revised",at,department=HR,rank=rank)
case2("nat.catalog.update-after-a-law",A,"NR 17¶2: 因法律…調整…自調整、變化發生之日起10個工作日內對政務數據目錄完成更新 (2026-03-02 → 03-16)",
 [law()], T(3), {"obligations":[{"kind":"catalog_update","department":HR,"due":"2026-03-16","status":"open","late":False}],"rejected":[]})
case2("nat.catalog.other-ranks-open-none",A,"NR 17¶2 names laws, administrative regulations and State Council decisions: a local regulation, or a revision of no stated rank, opens no duty (a reading); a change of duties does",
 [law(rank="local_regulation"), ev("law_revised",T(3),department=HR), ev("function_changed",T(4),department=MR)], T(5),
 {"obligations":[{"kind":"catalog_update","department":MR,"due":"2026-03-18","status":"open"}],"rejected":[]})
case2("nat.catalog.complete-once-submitted-then-reviewed",A,"NR 17¶2-3: updated, then submitted to the same-level authority (complete on 03-11); the authority reviews and publishes within 2 working days of receipt (03-11 → 03-13)",
 [law(), ev("catalog_updated",T(10),department=HR), ev("catalog_submitted",T(11),department=HR), ev("catalog_published",T(13),department=HR,by=PDB), ev("catalog_published",T(13,"11:00"),department=HR,by=DB)], T(16),
 {"obligations":[{"kind":"catalog_update","department":HR,"due":"2026-03-16","status":"fulfilled","late":False},{"kind":"catalog_review","department":DB,"due":"2026-03-13","status":"fulfilled","late":False}],"rejected":[R("4","workflow.nothing_open")]})
case2("nat.catalog.updated-but-not-submitted",A,"NR 17¶2 並報送…審核: an update not yet submitted is not complete",
 [law(), ev("catalog_updated",T(10),department=HR)], T(17),
 {"obligations":[{"kind":"catalog_update","department":HR,"due":"2026-03-16","status":"open","late":True}],"rejected":[]})
case2("nat.catalog.extension-once",A,"NR 17¶2 經同級政務數據共享主管部門同意，可以延長5個工作日: 10 + 5 from 03-02 → 03-23; a second extension is rejected",
 [law(), ev("extension_granted",T(13),department=HR,by=DB,workdays=5), ev("extension_granted",T(20),department=HR,by=DB,workdays=3)], T(20,"12:00"),
 {"obligations":[{"kind":"catalog_update","department":HR,"due":"2026-03-23","status":"open","late":False}],"rejected":[R("3","workflow.act_not_allowed")]})
case2("nat.catalog.extension-more-than-five",A,"NR 17¶2: at most 5 working days; the due day does not move",
 [law(), ev("extension_granted",T(13),department=HR,by=DB,workdays=6)], T(13,"12:00"),
 {"obligations":[{"kind":"catalog_update","department":HR,"due":"2026-03-16"}],"rejected":[R("2","workflow.act_not_allowed")]})
case2("nat.verification.ten-working-days",A,"NR 26¶2: 自收到政務數據校核申請之日起10個工作日內予以核實、更正並反饋 (03-02 → 03-16)",
 [ev("verification_requested",T(2),resource="hr.social-insurance",by=MR,subject="370000199001011234")], T(3),
 {"obligations":[{"kind":"verification","department":HR,"resource":"hr.social-insurance","due":"2026-03-16","status":"open"}],"rejected":[]})
case2("nat.verification.completed-and-fed-back",A,"NR 26¶2: completed for the subject asked about, the result reported back",
 [ev("verification_requested",T(2),resource="hr.social-insurance",by=MR,subject="370000199001011234"),
  ev("verification_completed",T(9),resource="hr.social-insurance",subject="370000199001011234",fed_back=True)], T(10),
 {"obligations":[{"kind":"verification","department":HR,"resource":"hr.social-insurance","due":"2026-03-16","status":"fulfilled","late":False}],"rejected":[]})
case2("nat.verification.not-fed-back",A,"NR 26¶2 並反饋校核處理結果: a completion not reported back is rejected; the duty stays open",
 [ev("verification_requested",T(2),resource="hr.social-insurance",by=MR),
  ev("verification_completed",T(9),resource="hr.social-insurance")], T(10),
 {"obligations":[{"kind":"verification","department":HR,"status":"open"}],"rejected":[R("2","workflow.act_not_allowed")]})
case2("nat.verification.nothing-requested",A,"NR 26¶2: a completion answers a request",
 [ev("verification_completed",T(9),resource="hr.social-insurance",fed_back=True)], T(10), {"obligations":[],"rejected":[R("1","workflow.nothing_open")]})
case2("nat.audit.catalog-not-updated",U,"NR 17¶2, 39(1): due 2026-03-16, not complete on 03-20",
 [law(rank="administrative_regulation")], T(20),
 {"violations":[{"category":"catalog_not_updated","article":"39(1)","basis":["39(1)","17¶2"],"department":HR,"due":"2026-03-16","pack":"national-2025"}]})
case2("nat.audit.catalog-updated-not-submitted",U,"NR 17¶2, 39(1): updated on 03-10 but never submitted: not complete",
 [law(), ev("catalog_updated",T(10),department=HR)], T(20),
 {"violations":[{"category":"catalog_not_updated","article":"39(1)","department":HR,"due":"2026-03-16"}]})
case2("nat.audit.catalog-review-overdue",U,"NR 17¶3, 41(3): submitted on 03-11, to be published by 03-13; the authority is the violator, its people's government orders correction",
 [law(), ev("catalog_updated",T(10),department=HR), ev("catalog_submitted",T(11),department=HR)], T(20),
 {"violations":[{"category":"catalog_review_overdue","article":"41(3)","basis":["41(3)","17¶3"],"department":DB,"due":"2026-03-13","urged_by":"people_government"}]})
case2("nat.audit.verification-overdue",U,"NR 26¶2, 39(6): requested 03-02, due 03-16, not done on 03-20",
 [ev("verification_requested",T(2),resource="hr.social-insurance",by=MR)], T(20),
 {"violations":[{"category":"verification_overdue","article":"39(6)","basis":["39(6)","26¶2"],"department":HR,"due":"2026-03-16"}]})
case2("nat.audit.verification-not-fed-back",U,"NR 26¶2, 39(9): completed in time but not reported back",
 [ev("verification_requested",T(2),resource="hr.social-insurance",by=MR), ev("verification_completed",T(9),resource="hr.social-insurance")], T(20),
 {"violations":[{"category":"verification_not_fed_back","article":"39(9)","basis":["39(9)","26¶2"],"department":HR}]})
case2("nat.audit.binzhou-report-read-as-verification",U,"packs/national-2025.md 'Verification': at a national moment Binzhou's inconsistency_reported is read as a verification request (10 working days, 39(6))",
 [ev("inconsistency_reported",T(2),resource="hr.social-insurance",by=MR)], T(20),
 {"violations":[{"category":"verification_overdue","article":"39(6)","department":HR,"due":"2026-03-16"}]})

# ---- incidents, disclosures, Art. 3 (NR 3, 25, 34¶2, 35¶3, 40(3), 40(6), 40(7), 39(9), 42)
MAR="civil-affairs.marriage"
case2("nat.incident.report-duty-in-hours",A,"NR 35¶3 立即…報告 (the pack's reading: within 24 hours of the incident)",
 [ev("leak",T(2),department=MR,resource=MAR)], T(2,"12:00"),
 {"obligations":[{"kind":"incident_report","department":MR,"resource":MAR,"due":"2026-03-03","status":"open"}],"rejected":[]})
case2("nat.outside-regulation.events-rejected",A,"NR 3: a state secret is outside the regulation: a strict ledger makes nothing of an event on it",
 [ev("usage",T(2),department=MR,resource="public-security.case-intelligence",purpose="market-supervision"), ev("leak",T(3),department=CA,resource="civil-affairs.internal-review")], T(4),
 {"obligations":[],"rejected":[R("1","workflow.not_applicable"),R("2","workflow.not_applicable")]})
case2("nat.audit.leak-at-a-requester",U,"NR 34¶2, 40(6) (a reading: the incident shows the security duty unmet), 42 (泄露…個人信息: 依法給予處分, without a prior order); reported within the day: no 35¶3 violation",
 [ev("leak",T(2),department=MR,resource=MAR), ev("incident_reported",T(2,"15:00"),department=MR,resource=MAR)], T(5),
 {"violations":[{"category":"security_incident","article":"40(6)","basis":["40(6)","34¶2","42"],"department":MR,"consequences_include":["urge_correction","disciplinary_referral"],"consequences_exclude":["legal_referral","criminal_referral"],"pack":"national-2025"}]})
case2("nat.audit.leak-not-reported",U,"NR 35¶3, 40(7): a requester's incident not reported within 24 hours (due 2026-03-03)",
 [ev("leak",T(2),department=MR,resource=MAR,criminal=True)], T(5),
 {"violations":[{"category":"security_incident","article":"40(6)","department":MR,"consequences_include":["disciplinary_referral","criminal_referral"]},
   {"category":"incident_not_reported","article":"40(7)","basis":["40(7)","35¶3"],"department":MR,"due":"2026-03-03"}]})
case2("nat.audit.provider-incident-not-reported",U,"NR 35¶3, 39(9): the provider's own incident is no 40(6) finding, but its report is its duty too",
 [ev("tampering",T(2),department=CA,resource=MAR)], T(5),
 {"violations":[{"category":"incident_not_reported","article":"39(9)","basis":["39(9)","35¶3"],"department":CA,"due":"2026-03-03"}]})
case2("nat.audit.tampering-at-a-requester",U,"NR 34¶2, 40(6): tampering is no leak: Art. 42 does not apply",
 [ev("tampering",T(2),department=MR,resource=MAR), ev("incident_reported",T(2,"11:00"),department=MR,resource=MAR)], T(5),
 {"violations":[{"category":"security_incident","article":"40(6)","basis":["40(6)","34¶2"],"department":MR,"consequences_exclude":["disciplinary_referral"]}]})
case2("nat.audit.disclosure-of-personal-data",U,"NR 25, 40(3) 擅自將…提供給第三方, 42",
 [ev("disclosure",T(2),department=MR,resource=MAR,to="某諮詢公司")], T(3),
 {"violations":[{"category":"unauthorized_disclosure","article":"40(3)","basis":["40(3)","25","42"],"department":MR,"consequences_include":["disciplinary_referral"],"consequences_exclude":["legal_referral"]}]})
case2("nat.audit.disclosure-of-plain-data",U,"NR 25, 40(3): no personal data, no Art. 42",
 [ev("disclosure",T(2),department=HR,resource="market.enterprise-credit",to="某諮詢公司")], T(3),
 {"violations":[{"category":"unauthorized_disclosure","article":"40(3)","basis":["40(3)","25"],"department":HR,"consequences_exclude":["disciplinary_referral"]}]})
case2("nat.audit.outside-regulation-is-no-violation",U,"NR 3: events on state and work secrets are reported for the secrecy laws, not judged under this regulation",
 [ev("usage",T(2),department=MR,resource="public-security.case-intelligence",purpose="market-supervision"), ev("leak",T(3),department=CA,resource="civil-affairs.internal-review")], T(10),
 {"violations":[]})

# ---- Art. 27 (suspension, termination, services)
susp=lambda at,by=HR,scope="provider": ev("sharing_suspended",at,department=MR,by=by,scope=scope,reason="擅自提供給第三方")
case2("nat.suspension.only-the-suspending-body-restores",A,"NR 27¶2: the provider suspends the requester's rights; only it restores them (not the authority)",
 [susp(T(5)), ev("sharing_restored",T(9),department=MR,by=DB), ev("sharing_restored",T(10),department=MR,by=HR)], T(11), {"rejected":[R("2","workflow.invalid_change")]})
case2("nat.suspension.who-may-suspend",A,"NR 27¶2 政務數據共享主管部門或者政務數據提供部門: a region is suspended by its authority, not by a department; a department that provides nothing suspends nothing",
 [susp(T(5),by=DB,scope="region"), susp(T(6),by=PS,scope="region"), susp(T(6,"11:00"),by="city.taxation")], T(11),
 {"rejected":[R("2","workflow.invalid_change"),R("3","workflow.invalid_change")]})
case2("nat.audit.use-while-suspended",U,"NR 27¶2 (a reading: a use while the rights are suspended is a use beyond what may be used, 40(2)); after the provider restores them the use is the grant's again",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), susp(T(5)),
  ev("usage",T(6),department=MR,resource="hr.social-insurance",purpose="market-supervision",grant="grant.n-2"),
  ev("sharing_restored",T(9),department=MR,by=HR),
  ev("usage",T(10),department=MR,resource="hr.social-insurance",purpose="market-supervision",grant="grant.n-2")], T(11),
 {"violations":[{"category":"unauthorized_use","article":"40(2)","basis":["40(2)","25"],"department":MR,"events":["4"]}]})
case2("nat.audit.termination-ends-the-grant",U,"NR 27¶2 可以終止共享: the provider ends the requester's sharing; a later use has no grant",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), susp(T(5)), ev("sharing_terminated",T(9),department=MR,by=HR),
  ev("sharing_restored",T(10),department=MR,by=HR),
  ev("usage",T(11),department=MR,resource="hr.social-insurance",purpose="market-supervision",grant="grant.n-2")], T(12),
 {"violations":[{"category":"unauthorized_use","article":"40(2)","department":MR,"events":["6"]}]})
case2("nat.termination.outside-scope",A,"NR 27¶2: a provider ends sharing of its own data only",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("sharing_terminated",T(9),department=MR,by=PS,grants=["grant.n-2"])], T(10),
 {"rejected":[R("3","workflow.invalid_change")]})
case2("nat.service.terminated-with-reason-negotiated-filed",A,"NR 27¶3: a termination with a reason, negotiated and filed, is allowed",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("service_terminated",T(9),grant="grant.n-2",by=HR,reason="系統下線",negotiated=True,filed=True)], T(10),
 {"rejected":[]})
case2("nat.service.terminated-unilaterally",A,"NR 27¶3 無正當理由，不得終止: without negotiation the strict ledger rejects it",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("service_terminated",T(9),grant="grant.n-2",by=HR,reason="系統下線",filed=True),
  ev("service_changed",T(9,"11:00"),grant="grant.n-2",by=MR,reason="x",negotiated=True,filed=True)], T(10),
 {"rejected":[R("3","workflow.act_not_allowed"),R("4","workflow.invalid_change")]})
case2("nat.audit.service-terminated-unilaterally",U,"NR 27¶3, 39(7): ended without negotiation or filing; the grant ends all the same, so a later use has none",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("service_terminated",T(9),grant="grant.n-2",by=HR),
  ev("usage",T(10),department=MR,resource="hr.social-insurance",purpose="market-supervision",grant="grant.n-2")], T(11),
 {"violations":[{"category":"service_terminated_unilaterally","article":"39(7)","basis":["39(7)","27¶3"],"department":HR,"events":["3"]},
   {"category":"unauthorized_use","article":"40(2)","department":MR,"events":["4"]}]})
case2("nat.audit.service-changed-with-all-steps",U,"NR 27¶3: a change with a reason, negotiated and filed, is no violation",
 [a_cond(), reply("N-2",HR,"approve",T(3),scope=scope_cond), ev("service_changed",T(9),grant="grant.n-2",by=HR,reason="接口升級",negotiated=True,filed=True)], T(11),
 {"violations":[]})

case2("nat.materials.reply-while-outstanding",A,"NR 21¶2 (a reading): a reply given while the materials asked for are outstanding is not late: no reply was due",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), reply("N-2",HR,"approve",T(20),scope=scope_cond)], T(23),
 {"applications":{"N-2":{"status":"approved","reply_late":False,"reply_due":None}},"rejected":[]})
case2("nat.audit.reply-while-materials-outstanding",U,"NR 21¶1-2: no 39(4) finding for a reply given while the materials asked for were outstanding",
 [a_cond(), ev("materials_requested",T(5),application="N-2",by=HR,materials=["使用依據"]), reply("N-2",HR,"approve",T(20),scope=scope_cond)], T(23),
 {"violations":[]})

case2("nat.audit.binzhou-filing-read-as-submission",U,"packs/national-2025.md 'Catalog': catalog_submitted is the national name for Binzhou's catalog_filed: an audit reads it so; the update is then complete (03-11) and the authority's review runs (due 03-13)",
 [law(), ev("catalog_updated",T(10),department=HR), ev("catalog_filed",T(11),department=HR)], T(20),
 {"violations":[{"category":"catalog_review_overdue","article":"41(3)","department":DB,"due":"2026-03-13"}]})
case2("nat.catalog.binzhou-filing-rejected-by-a-strict-ledger",A,"SPEC v2 §7: a strict ledger rejects the Binzhou name at a national moment",
 [law(), ev("catalog_updated",T(10),department=HR), ev("catalog_filed",T(11),department=HR)], T(12),
 {"obligations":[{"kind":"catalog_update","department":HR,"status":"open"}],"rejected":[R("3","workflow.event_not_in_pack")]})
json.dump({"description":"The national regulation of 2025 (policies/national-2025, packs/national-2025.md 'Applications and deadlines', 'Disputes', 'Catalog', 'Verification', 'Violations'): the workflow under a strict ledger and its audit, over the national sample registry, March 2026 (no holidays; Qingming is 2026-04-04 to 04-06). Expected answers worked out from the text; due dates checked against the State Council notice for 2026 with `govshare deadline`.",
  "registry":"national","packs":["national-2025"],"cases":cases}, open('tests/vectors/workflow_national.json','w'), ensure_ascii=False, indent=1)
