//! The audit (SPEC §5): one test per category and per consequence, and both sides of
//! each severity threshold.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions fail loudly on bad fixtures"
)]

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
use govshare::audit::{Auditor, Category, Consequence, Severity, Violation, audit};
use govshare::calendar::WorkCalendar;
use govshare::policy::{AccessRequest, Effect, Engine, PolicyPack};
use govshare::registry::{Method, Registry};
use govshare::workflow::Event;
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn engine() -> Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Engine::new(
                PolicyPack::binzhou(),
                Registry::from_json_str(SAMPLE).unwrap(),
            )
            .unwrap()
        })
        .clone()
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(day: NaiveDate) -> String {
    format!("{day}T10:00:00+08:00")
}

fn run(events: &[Value], as_of: &str) -> Vec<Violation> {
    let events: Vec<Event> = events
        .iter()
        .map(|v| serde_json::from_value(v.clone()).unwrap())
        .collect();
    audit(engine(), &events, t(as_of)).unwrap()
}

fn only(vs: &[Violation], c: Category) -> Vec<&Violation> {
    vs.iter().filter(|v| v.category == c).collect()
}

fn cal() -> WorkCalendar {
    WorkCalendar::china()
}

const AS_OF: &str = "2020-06-30T00:00:00+08:00";

// ------------------------------------------------------------ 30(1)

#[test]
fn catalog_not_updated_on_both_sides_of_the_lateness_threshold() {
    let start = d("2019-11-01");
    let due = cal().add_workdays(start, 15).unwrap();
    let case = |late: u32| {
        let done = if late == 0 {
            due
        } else {
            cal().add_workdays(due, late).unwrap()
        };
        run(
            &[
                json!({"id":"law","kind":"law_revised","at":at(start),"department":"city.civil-affairs"}),
                json!({"id":"upd","kind":"catalog_updated","at":at(done),"department":"city.civil-affairs"}),
            ],
            AS_OF,
        )
    };
    assert!(case(0).is_empty(), "on the due day is on time");
    let v = case(10);
    assert_eq!(v.len(), 1);
    let v = &v[0];
    assert_eq!(v.category, Category::CatalogNotUpdated);
    assert_eq!(v.article, "30(1)");
    assert_eq!(v.department, "city.civil-affairs");
    assert_eq!(v.due, Some(due));
    assert_eq!(v.late_workdays, Some(10));
    assert_eq!(v.events, vec!["law".to_owned(), "upd".to_owned()]);
    assert_eq!(
        v.severity,
        Severity::Ordinary,
        "10 is not over the threshold"
    );
    assert_eq!(v.consequences, vec![Consequence::UrgeCorrection]);
    assert!(
        v.zh.contains("濱州市民政局") && v.zh.contains("第十一條"),
        "{}",
        v.zh
    );
    let v = &case(11)[0];
    assert_eq!(v.severity, Severity::Serious);
    assert_eq!(
        v.consequences,
        vec![
            Consequence::UrgeCorrection,
            Consequence::DisciplinaryReferral
        ]
    );
    assert_eq!(v.serious_because, vec!["lateness".to_owned()]);
}

#[test]
fn catalog_open_past_due_at_as_of_is_a_violation_and_not_before() {
    let events = [
        json!({"kind":"collection_scope_changed","at":"2019-10-05T10:00:00+08:00","department":"city.finance"}),
    ];
    // Due 10-08 (next working day after National Day).
    assert!(run(&events, "2019-10-08T23:00:00+08:00").is_empty());
    let vs = run(&events, "2019-10-09T09:00:00+08:00");
    assert_eq!(vs.len(), 2);
    assert_eq!(only(&vs, Category::CatalogNotUpdated).len(), 1);
    let filed = only(&vs, Category::CatalogNotFiled);
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].due, Some(d("2019-10-08")));
    assert_eq!(filed[0].late_workdays, Some(1));
    assert_eq!(filed[0].article, "30(1)");
}

#[test]
fn catalog_not_filed_when_filing_is_late_but_update_on_time() {
    let vs = run(
        &[
            json!({"kind":"collection_scope_changed","at":"2019-10-08T10:00:00+08:00","department":"city.finance"}),
            json!({"kind":"catalog_updated","at":"2019-10-08T16:00:00+08:00","department":"city.finance"}),
            json!({"kind":"catalog_filed","at":"2019-10-10T16:00:00+08:00","department":"city.finance"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 1);
    assert_eq!(vs[0].category, Category::CatalogNotFiled);
    assert_eq!(vs[0].late_workdays, Some(2));
}

// ------------------------------------------------------------ 30(2), 30(3)

#[test]
fn data_not_provided_restricts_derived_access() {
    // civil-affairs.marriage: 3 working days.
    let vs = run(
        &[
            json!({"kind":"data_provided","at":"2019-11-04T10:00:00+08:00","resource":"civil-affairs.marriage"}),
            json!({"kind":"data_provided","at":"2019-11-07T10:00:00+08:00","resource":"civil-affairs.marriage"}),
            json!({"kind":"data_provided","at":"2019-11-13T10:00:00+08:00","resource":"civil-affairs.marriage"}),
        ],
        "2019-11-14T00:00:00+08:00",
    );
    assert_eq!(vs.len(), 1, "{vs:#?}");
    let v = &vs[0];
    assert_eq!(v.category, Category::DataNotProvided);
    assert_eq!(v.article, "30(2)");
    assert_eq!(v.department, "city.civil-affairs");
    assert_eq!(v.due, Some(d("2019-11-12")));
    assert!(v.consequences.contains(&Consequence::RestrictDerivedAccess));
    assert!(v.consequences.contains(&Consequence::UrgeCorrection));
}

#[test]
fn data_inconsistent_only_when_not_corrected_in_time() {
    let report = json!({"id":"rep","kind":"inconsistency_reported","at":"2019-12-02T10:00:00+08:00",
                        "resource":"civil-affairs.marriage","by":"city.housing"});
    let on_time = run(
        &[
            report.clone(),
            json!({"kind":"inconsistency_resolved","at":"2019-12-05T10:00:00+08:00","resource":"civil-affairs.marriage"}),
        ],
        AS_OF,
    );
    assert!(on_time.is_empty());
    let late = run(
        &[
            report,
            json!({"id":"fix","kind":"inconsistency_resolved","at":"2019-12-06T10:00:00+08:00","resource":"civil-affairs.marriage"}),
        ],
        AS_OF,
    );
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].category, Category::DataInconsistent);
    assert_eq!(late[0].article, "30(3)");
    assert_eq!(late[0].department, "city.civil-affairs");
    assert_eq!(late[0].events, vec!["rep".to_owned(), "fix".to_owned()]);
}

#[test]
fn data_unusable_for_each_rejection_against_the_provider() {
    let vs = run(
        &[
            json!({"kind":"data_rejected","at":"2019-12-02T10:00:00+08:00","resource":"hr.social-insurance","reason":"字段缺失"}),
            json!({"kind":"data_rejected","at":"2019-12-03T10:00:00+08:00","resource":"hr.social-insurance","reason":"編碼錯誤"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 2);
    assert!(vs.iter().all(|v| v.category == Category::DataUnusable
        && v.article == "30(3)"
        && v.department == "city.human-resources"
        && v.severity == Severity::Ordinary));
}

// ------------------------------------------------------------ 30(4), 31

#[test]
fn purpose_violation_outside_duties_or_without_grant() {
    let vs = run(
        &[
            // Outside its duties (unconditional resource).
            json!({"id":"u1","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"legal-entity.basic","purpose":"tax"}),
            // Within duties, unconditional: fine.
            json!({"id":"u2","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"legal-entity.basic","purpose":"social-assistance"}),
            // Conditional, no grant: a violation.
            json!({"id":"u3","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.market-regulation","resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
            // Under its grant (fields and methods of g-2018-0001): fine.
            json!({"id":"u4","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}),
            // The grant's purpose does not cover this one.
            json!({"id":"u5","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"elderly-care","grant":"g-2018-0001"}),
            // A department with a revoked certificate: a form problem, not a purpose one.
            json!({"id":"u6","kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.housing","resource":"legal-entity.basic","purpose":"housing-security"}),
        ],
        AS_OF,
    );
    let pv = only(&vs, Category::PurposeViolation);
    let ids: Vec<&str> = pv.iter().map(|v| v.events[0].as_str()).collect();
    assert_eq!(ids, vec!["u1", "u3", "u5"], "{vs:#?}");
    let u1 = pv[0];
    assert_eq!(u1.article, "30(4)");
    assert_eq!(u1.department, "city.civil-affairs");
    assert_eq!(u1.severity, Severity::Ordinary, "no sensitive data");
    assert!(u1.basis.contains(&"4(2)".to_owned()), "{:?}", u1.basis);
    // Personal data involved: serious.
    assert_eq!(pv[1].severity, Severity::Serious);
    assert_eq!(pv[1].serious_because, vec!["sensitive".to_owned()]);
}

#[test]
fn usage_after_an_approval_in_the_log_is_not_a_violation() {
    let vs = run(
        &[
            json!({"kind":"apply","at":"2019-12-02T10:00:00+08:00","application":"a-1","department":"city.market-regulation","resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
            json!({"id":"early","kind":"usage","at":"2019-12-02T11:00:00+08:00","department":"city.market-regulation","resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
            json!({"kind":"reply","at":"2019-12-03T10:00:00+08:00","application":"a-1","by":"city.civil-affairs","outcome":"approve"}),
            json!({"id":"late","kind":"usage","at":"2019-12-04T10:00:00+08:00","department":"city.market-regulation","resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
        ],
        AS_OF,
    );
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(pv.len(), 1);
    assert_eq!(pv[0].events, vec!["early".to_owned()]);
}

#[test]
fn disclosure_of_plain_data_is_30_4_only() {
    let vs = run(
        &[
            json!({"kind":"disclosure","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"market.enterprise-credit","to":"某諮詢公司"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 1);
    assert_eq!(vs[0].category, Category::UnauthorizedDisclosure);
    assert_eq!(vs[0].article, "30(4)");
    assert_eq!(vs[0].severity, Severity::Ordinary);
}

#[test]
fn disclosure_of_sensitive_data_is_30_4_and_31() {
    let vs = run(
        &[
            json!({"id":"x","kind":"disclosure","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"population.basic","to":"某諮詢公司"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 2);
    let a = only(&vs, Category::UnauthorizedDisclosure)[0];
    assert_eq!(a.severity, Severity::Serious);
    assert!(a.consequences.contains(&Consequence::DisciplinaryReferral));
    let b = only(&vs, Category::SensitiveDataBreach)[0];
    assert_eq!(b.article, "31");
    assert_eq!(b.severity, Severity::Serious);
    assert_eq!(b.consequences, vec![Consequence::LegalReferral]);
    assert_eq!(b.events, vec!["x".to_owned()]);
}

#[test]
fn leaks_sensitive_criminal_and_plain() {
    let vs = run(
        &[
            json!({"kind":"leak","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"population.basic"}),
            // Reported in time (SPEC v2 §4, Art. 24): no incident_not_reported here.
            json!({"kind":"incident_reported","at":"2019-12-02T12:00:00+08:00","department":"city.civil-affairs","resource":"population.basic"}),
            json!({"kind":"leak","at":"2019-12-03T10:00:00+08:00","department":"city.market-regulation","resource":"finance.payment-exchange","criminal":true}),
            json!({"kind":"incident_reported","at":"2019-12-03T12:00:00+08:00","department":"city.market-regulation","resource":"finance.payment-exchange"}),
            json!({"kind":"leak","at":"2019-12-04T10:00:00+08:00","department":"city.housing","resource":"market.enterprise-credit"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 3, "{vs:#?}");
    let breaches = only(&vs, Category::SensitiveDataBreach);
    assert_eq!(breaches.len(), 2);
    assert_eq!(breaches[0].consequences, vec![Consequence::LegalReferral]);
    assert_eq!(
        breaches[1].consequences,
        vec![Consequence::LegalReferral, Consequence::CriminalReferral]
    );
    assert_eq!(breaches[1].department, "city.market-regulation");
    let plain = only(&vs, Category::UnauthorizedDisclosure);
    assert_eq!(plain.len(), 1);
    assert_eq!(plain[0].department, "city.housing");
    assert_eq!(plain[0].severity, Severity::Ordinary);
}

// ------------------------------------------------------------ 30(5)

#[test]
fn reply_overdue_late_or_missing_and_not_when_on_time() {
    let apply = |id: &str, day: &str| {
        json!({"kind":"apply","at":format!("{day}T10:00:00+08:00"),"application":id,
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"})
    };
    let reply = |id: &str, day: &str| {
        json!({"kind":"reply","at":format!("{day}T10:00:00+08:00"),"application":id,
               "by":"city.civil-affairs","outcome":"approve"})
    };
    let vs = run(
        &[
            // Due 2019-10-10 (National Day): on the due day, fine.
            apply("a-1", "2019-09-27"),
            reply("a-1", "2019-10-10"),
            // Replied 10-11: one working day late.
            apply("a-2", "2019-09-27"),
            reply("a-2", "2019-10-11"),
            // Never replied.
            apply("a-3", "2019-09-27"),
        ],
        "2019-10-15T09:00:00+08:00",
    );
    let ro = only(&vs, Category::ReplyOverdue);
    assert_eq!(ro.len(), 2, "{vs:#?}");
    let a2 = ro
        .iter()
        .find(|v| v.application.as_deref() == Some("a-2"))
        .unwrap();
    assert_eq!(a2.late_workdays, Some(1));
    assert_eq!(a2.department, "city.civil-affairs");
    assert_eq!(a2.article, "30(5)");
    assert_eq!(a2.due, Some(d("2019-10-10")));
    assert_eq!(a2.events.len(), 2);
    let a3 = ro
        .iter()
        .find(|v| v.application.as_deref() == Some("a-3"))
        .unwrap();
    // 10-11, 10-12 (Saturday working day), 10-14, 10-15.
    assert_eq!(a3.late_workdays, Some(4));
    assert_eq!(a3.events.len(), 1);
    // Before the due day passes, nothing.
    let none = run(&[apply("a-3", "2019-09-27")], "2019-10-10T20:00:00+08:00");
    assert!(none.is_empty());
}

#[test]
fn refusal_without_reason_is_recorded_not_rejected() {
    let vs = run(
        &[
            json!({"id":"ap","kind":"apply","at":"2019-12-02T10:00:00+08:00","application":"a-1","department":"city.market-regulation","resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
            json!({"id":"no","kind":"reply","at":"2019-12-03T10:00:00+08:00","application":"a-1","by":"city.civil-affairs","outcome":"refuse"}),
            json!({"kind":"escalate","at":"2019-12-04T10:00:00+08:00","application":"a-1","to":"big_data_center"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 1);
    let v = &vs[0];
    assert_eq!(v.category, Category::RefusalWithoutReason);
    assert_eq!(v.article, "30(5)");
    assert_eq!(v.department, "city.civil-affairs");
    assert_eq!(v.events, vec!["ap".to_owned(), "no".to_owned()]);
    assert_eq!(v.application.as_deref(), Some("a-1"));
}

#[test]
fn duplicate_collection_only_for_what_the_platform_has() {
    let vs = run(
        &[
            json!({"id":"s1","kind":"submission_required","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"population.basic"}),
            // State-secret intranet data it holds no grant for: it may ask.
            json!({"id":"s2","kind":"submission_required","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs","resource":"public-security.case-intelligence"}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 1, "{vs:#?}");
    assert_eq!(vs[0].category, Category::DuplicateCollection);
    assert_eq!(vs[0].article, "30(5)");
    assert_eq!(vs[0].events, vec!["s1".to_owned()]);
    assert!(vs[0].basis.contains(&"13".to_owned()));
}

// ------------------------------------------------------------ 28

#[test]
fn project_without_catalog_refused_or_unfunded() {
    let vs = run(
        &[
            json!({"kind":"project_submitted","at":"2019-12-02T10:00:00+08:00","project":"p-1","department":"city.housing","catalog":false}),
            json!({"kind":"project_submitted","at":"2019-12-02T10:00:00+08:00","project":"p-2","department":"city.housing","catalog":true}),
            json!({"kind":"project_accepted","at":"2019-12-20T10:00:00+08:00","project":"p-2","department":"city.housing","catalog_in_platform":false}),
            json!({"kind":"project_accepted","at":"2019-12-20T10:00:00+08:00","project":"p-3","department":"city.housing","catalog_in_platform":true}),
        ],
        AS_OF,
    );
    assert_eq!(vs.len(), 2);
    assert!(
        vs.iter()
            .all(|v| v.category == Category::ProjectWithoutCatalog && v.article == "28")
    );
    assert_eq!(vs[0].consequences, vec![Consequence::ApprovalRefused]);
    assert_eq!(vs[1].consequences, vec![Consequence::FundingWithheld]);
}

// ------------------------------------------------------------ severity by repetition

#[test]
fn third_violation_within_twelve_months_is_serious_and_not_beyond() {
    let rejected = |day: &str| json!({"kind":"data_rejected","at":format!("{day}T10:00:00+08:00"),"resource":"hr.social-insurance","reason":"r"});
    let within = run(
        &[
            rejected("2019-01-10"),
            rejected("2019-06-10"),
            rejected("2019-12-10"),
        ],
        AS_OF,
    );
    let sev: Vec<Severity> = within.iter().map(|v| v.severity).collect();
    assert_eq!(
        sev,
        vec![Severity::Ordinary, Severity::Ordinary, Severity::Serious]
    );
    assert_eq!(within[2].serious_because, vec!["repeat".to_owned()]);
    assert!(
        within[2]
            .consequences
            .contains(&Consequence::DisciplinaryReferral)
    );
    // The first falls out of the window: only two within 12 months.
    let beyond = run(
        &[
            rejected("2018-12-09"),
            rejected("2019-06-10"),
            rejected("2019-12-10"),
        ],
        AS_OF,
    );
    assert!(
        beyond.iter().all(|v| v.severity == Severity::Ordinary),
        "{beyond:#?}"
    );
    // Another department's or another category's violations do not count.
    let mixed = run(
        &[
            rejected("2019-01-10"),
            json!({"kind":"data_rejected","at":"2019-06-10T10:00:00+08:00","resource":"civil-affairs.marriage","reason":"r"}),
            json!({"kind":"leak","at":"2019-06-10T10:00:00+08:00","department":"city.human-resources","resource":"market.enterprise-credit"}),
            rejected("2019-12-10"),
        ],
        AS_OF,
    );
    assert!(
        only(&mixed, Category::DataUnusable)
            .iter()
            .all(|v| v.severity == Severity::Ordinary)
    );
}

// ------------------------------------------------------------ streaming

#[test]
fn events_after_as_of_are_ignored_and_streaming_equals_batch() {
    let events: Vec<Event> = [
        json!({"kind":"law_revised","at":"2019-09-20T10:00:00+08:00","department":"city.civil-affairs"}),
        json!({"kind":"data_rejected","at":"2019-12-02T10:00:00+08:00","resource":"hr.social-insurance","reason":"r"}),
        json!({"kind":"catalog_updated","at":"2019-12-20T10:00:00+08:00","department":"city.civil-affairs"}),
    ]
    .into_iter()
    .map(|v| serde_json::from_value(v).unwrap())
    .collect();
    let as_of = t("2019-12-10T00:00:00+08:00");
    let mut a = Auditor::new(engine(), as_of);
    for e in &events {
        a.push(e).unwrap();
    }
    let streamed = a.finish();
    let batch = audit(engine(), events.iter(), as_of).unwrap();
    assert_eq!(streamed, batch);
    // The catalog update after as_of does not count: still open and overdue.
    let v = only(&streamed, Category::CatalogNotUpdated)[0];
    assert!(v.zh.contains("仍未完成"), "{}", v.zh);
    assert_eq!(only(&streamed, Category::DataUnusable).len(), 1);
    // Ordered by when they happened.
    assert!(streamed.windows(2).all(|w| w[0].occurred <= w[1].occurred));
}

#[test]
fn a_rejected_event_is_an_error_naming_it() {
    let events: Vec<Event> = [json!({"id":"bad","kind":"reply","at":"2019-12-03T10:00:00+08:00",
                                     "application":"nope","by":"city.civil-affairs","outcome":"approve"})]
    .into_iter()
    .map(|v| serde_json::from_value(v).unwrap())
    .collect();
    let err = audit(engine(), &events, t(AS_OF)).unwrap_err();
    assert_eq!(err.code(), "workflow.unknown_application");
    assert!(err.to_string().contains("bad"));
}

#[test]
fn violations_serialise_with_the_spec_names() {
    let vs = run(
        &[
            json!({"kind":"data_rejected","at":"2019-12-02T10:00:00+08:00","resource":"hr.social-insurance","reason":"r"}),
        ],
        AS_OF,
    );
    let v = serde_json::to_value(&vs[0]).unwrap();
    for key in [
        "category",
        "article",
        "department",
        "severity",
        "consequences",
        "due",
        "events",
        "zh",
        "en",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["category"], "data_unusable");
    assert_eq!(v["severity"], "ordinary");
    assert_eq!(v["consequences"], json!(["urge_correction"]));
    assert_eq!(v["due"], Value::Null);
}

#[test]
fn cached_verdicts_follow_grant_validity() {
    // g-2018-0001 (civil-affairs on hr.social-insurance) is in force from 2018-03-01.
    let usage = |id: &str, at: &str| {
        json!({"id":id,"kind":"usage","at":at,"department":"city.civil-affairs",
               "resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"})
    };
    let vs = run(
        &[
            usage("u1", "2018-02-20T10:00:00+08:00"),
            usage("u2", "2018-02-28T23:00:00+08:00"),
            usage("u3", "2018-03-01T00:00:00+08:00"),
            usage("u4", "2018-03-02T10:00:00+08:00"),
        ],
        AS_OF,
    );
    let ids: Vec<&str> = vs.iter().map(|v| v.events[0].as_str()).collect();
    assert_eq!(ids, vec!["u1", "u2"], "{vs:#?}");
}

// ------------------------------------------------------------ SPEC v2 §4 Order

fn events(vs: &[Value]) -> Vec<Event> {
    vs.iter()
        .map(|v| serde_json::from_value(v.clone()).unwrap())
        .collect()
}

fn ids(vs: &[&Violation]) -> Vec<String> {
    vs.iter().map(|v| v.events.join("+")).collect()
}

#[test]
fn a_reply_dated_before_its_application_covers_no_earlier_use() {
    let log = events(&[
        json!({"id":"a","kind":"apply","at":"2019-12-03T10:00:00+08:00","application":"a-1",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
        // Out of order: dated a day before the application.
        json!({"id":"r","kind":"reply","at":"2019-12-02T10:00:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve"}),
        // After the reply in the log and by its date, before the application.
        json!({"id":"early","kind":"usage","at":"2019-12-02T12:00:00+08:00",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
        json!({"id":"late","kind":"usage","at":"2019-12-04T10:00:00+08:00",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
    ]);
    let mut a = Auditor::new(engine(), t(AS_OF));
    for e in &log {
        a.push(e).unwrap();
    }
    let reported: Vec<(&str, &str)> = a
        .reported()
        .iter()
        .map(|r| (r.code.as_str(), r.event.as_str()))
        .collect();
    assert_eq!(reported, vec![("out_of_order", "r")]);
    assert_eq!(
        a.reported()[0].previous,
        Some(t("2019-12-03T10:00:00+08:00"))
    );
    let vs = a.finish();
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(ids(&pv), vec!["early"], "{vs:#?}");
    // The reply, judged at its own moment, was on time.
    assert!(only(&vs, Category::ReplyOverdue).is_empty());
}

#[test]
fn a_future_dated_event_at_the_4096th_position_prunes_no_live_grant() {
    // A grant in force for 2019, then 9,000 events in December 2019 of which one,
    // at position 4,096, is dated 2021; then a usage under the grant.
    let mut log = vec![
        json!({"id":"a","kind":"apply","at":"2019-12-02T09:00:00+08:00","application":"a-1",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
        json!({"id":"r","kind":"reply","at":"2019-12-02T09:30:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve",
               "scope":{"purposes":["market-supervision"],"fields":["name","id_number","household_size","monthly_allowance","start_date","status"],"until":"2020-01-01T00:00:00+08:00"}}),
    ];
    let base = t("2019-12-02T10:00:00+08:00");
    for i in 0..9_000i64 {
        let at = if log.len() + 1 == 4096 {
            t("2021-06-01T10:00:00+08:00")
        } else {
            base + chrono::Duration::seconds(i)
        };
        log.push(
            json!({"id":format!("u{i}"),"kind":"usage","at":at.to_rfc3339(),
                        "department":"city.civil-affairs","resource":"legal-entity.basic",
                        "purpose":"social-assistance"}),
        );
    }
    log.push(
        json!({"id":"use","kind":"usage","at":"2019-12-20T10:00:00+08:00",
                    "department":"city.market-regulation",
                    "resource":"civil-affairs.minimum-living","purpose":"market-supervision",
                    "grant":"grant.a-1"}),
    );
    let log = events(&log);
    let mut a = Auditor::new(engine(), t("2022-01-01T00:00:00+08:00"));
    for e in &log {
        a.push(e).unwrap();
    }
    // Only the event right after the future one is earlier than the one before it.
    let reported: Vec<&str> = a.reported().iter().map(|r| r.event.as_str()).collect();
    assert_eq!(reported, vec!["u4094"]);
    let vs = a.finish();
    assert!(vs.is_empty(), "{vs:#?}");
}

#[test]
fn ended_grants_are_forgotten_once_the_log_has_moved_past_them() {
    // 50 grants each for a day, then three blocks of 4,096 events a month later.
    let mut log = Vec::new();
    for i in 0..50i64 {
        let at = t("2019-11-01T10:00:00+08:00") + chrono::Duration::hours(i);
        log.push(
            json!({"kind":"apply","at":at.to_rfc3339(),"application":format!("a-{i}"),
                        "department":"city.market-regulation",
                        "resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
        );
        log.push(
            json!({"kind":"reply","at":at.to_rfc3339(),"application":format!("a-{i}"),
                        "by":"city.civil-affairs","outcome":"approve",
                        "scope":{"purposes":["market-supervision"],"fields":["name","id_number","household_size","monthly_allowance","start_date","status"],"until":(at + chrono::Duration::days(1)).to_rfc3339()}}),
        );
    }
    // One open-ended grant.
    log.push(
        json!({"kind":"apply","at":"2019-11-05T10:00:00+08:00","application":"open",
                    "department":"city.market-regulation",
                    "resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
    );
    log.push(
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"open",
                    "by":"city.civil-affairs","outcome":"approve","scope":{"purposes":["market-supervision"],"fields":["name","id_number","household_size","monthly_allowance","start_date","status"]}}),
    );
    let base = t("2019-12-02T10:00:00+08:00");
    for i in 0..3 * 4096i64 {
        log.push(
            json!({"kind":"usage","at":(base + chrono::Duration::seconds(i)).to_rfc3339(),
                        "department":"city.civil-affairs","resource":"legal-entity.basic",
                        "purpose":"social-assistance"}),
        );
    }
    let registry_grants = engine().registry().grants().len();
    let mut a = Auditor::new(engine(), t(AS_OF));
    for (i, e) in events(&log).iter().enumerate() {
        a.push(e).unwrap();
        if i == 101 {
            assert_eq!(
                a.ledger().engine().registry().grants().len(),
                registry_grants + 51
            );
        }
    }
    assert_eq!(
        a.ledger().engine().registry().grants().len(),
        registry_grants + 1,
        "the ended grants are still held"
    );
    // The open-ended grant still covers its department.
    let vs = run(
        &[
            json!({"kind":"apply","at":"2019-11-05T10:00:00+08:00","application":"open",
                 "department":"city.market-regulation",
                 "resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
            json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"open",
                 "by":"city.civil-affairs","outcome":"approve","scope":{"purposes":["market-supervision"],"fields":["name","id_number","household_size","monthly_allowance","start_date","status"]}}),
            json!({"kind":"usage","at":"2019-12-20T10:00:00+08:00",
                 "department":"city.market-regulation",
                 "resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
        ],
        AS_OF,
    );
    assert!(vs.is_empty(), "{vs:#?}");
}

#[test]
fn one_usage_after_400_ended_grants_of_its_pair_is_judged_by_those_in_force() {
    let mut log = Vec::new();
    let start = t("2018-06-01T10:00:00+08:00");
    for i in 0..400i64 {
        let at = start + chrono::Duration::days(i);
        let app = format!("市場監管申請-{i}");
        log.push(
            json!({"kind":"apply","at":at.to_rfc3339(),"application":app,
                        "department":"city.market-regulation",
                        "resource":"civil-affairs.minimum-living","purpose":"market-supervision"}),
        );
        log.push(
            json!({"kind":"reply","at":at.to_rfc3339(),"application":app,
                        "by":"city.civil-affairs","outcome":"approve",
                        "scope":{"purposes":["market-supervision"],"fields":["name","id_number","household_size","monthly_allowance","start_date","status"],"until":(at + chrono::Duration::hours(20)).to_rfc3339()}}),
        );
    }
    let usage = |id: &str, at: DateTime<FixedOffset>| {
        json!({"id":id,"kind":"usage","at":at.to_rfc3339(),
               "department":"city.market-regulation",
               "resource":"civil-affairs.minimum-living","purpose":"market-supervision"})
    };
    // Within the last grant, then after all of them ended.
    log.push(usage(
        "within",
        start + chrono::Duration::days(399) + chrono::Duration::hours(1),
    ));
    log.push(usage("after", start + chrono::Duration::days(401)));
    let vs = run(&log, "2020-06-30T00:00:00+08:00");
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(ids(&pv), vec!["after"], "{vs:#?}");
}

#[test]
fn the_audit_decides_a_usage_as_the_engine_does_over_the_whole_registry() {
    // The audit decides with a registry of the department, the resource, its
    // provider and the candidate grants; the engine over the whole sample registry
    // must agree on every department, resource and purpose, at moments before,
    // inside and after the registry's grants.
    let engine = engine();
    let reg = engine.registry();
    let moments = [
        "2018-02-01T10:00:00+08:00",
        "2019-06-15T10:00:00+08:00",
        "2020-06-15T10:00:00+08:00",
        "2022-04-01T10:00:00+08:00",
    ];
    let form = ["26", "8", "33"];
    let mut checked = 0;
    for at in moments {
        let at = t(at);
        for d in reg.departments() {
            for r in reg.resources() {
                let mut purposes = d.duties.clone();
                purposes.push("tax-collection".to_owned());
                for p in &purposes {
                    let request = |fields: Option<Vec<String>>, method| AccessRequest {
                        department: d.id.clone(),
                        resource: r.id.clone(),
                        method,
                        purpose: p.clone(),
                        fields,
                        network: r.network,
                        certificate: d
                            .valid_certificate(at)
                            .map(|c| c.serial.clone())
                            .unwrap_or_default(),
                        at,
                    };
                    let whole = engine.decide(&request(None, Method::OnlineQuery)).unwrap();
                    let permitted = whole.decision == Effect::Permit
                        || reg.grants_for(&d.id, &r.id).any(|g| {
                            let fields = (!g.fields.is_empty()).then(|| g.fields.clone());
                            let method = g.methods.first().copied().unwrap_or(Method::OnlineQuery);
                            engine.decide(&request(fields, method)).unwrap().decision
                                == Effect::Permit
                        });
                    let expected = !permitted
                        && whole
                            .reasons
                            .iter()
                            .any(|x| !form.contains(&x.article.as_str()));
                    let found = !only(
                        &run(
                            &[
                                json!({"kind":"usage","at":at.to_rfc3339(),"department":d.id,
                                     "resource":r.id,"purpose":p}),
                            ],
                            "2022-06-30T00:00:00+08:00",
                        ),
                        Category::PurposeViolation,
                    )
                    .is_empty();
                    assert_eq!(found, expected, "{} {} {p} at {at}: {whole:?}", d.id, r.id);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

// ------------------------------------------------------------ SPEC v2 §4: event ids

#[test]
fn a_replayed_event_is_rejected_and_never_counted_twice() {
    let u = |id: &str, day: &str| {
        json!({"id":id,"kind":"usage","at":format!("2019-12-{day}T10:00:00+08:00"),
               "department":"city.civil-affairs","resource":"legal-entity.basic","purpose":"tax"})
    };
    // Two purpose violations, then the second replayed: counted twice, it would be
    // the third within 12 months, and serious.
    let log = events(&[u("u1", "02"), u("u2", "03"), u("u2", "03")]);
    let mut a = Auditor::new(engine(), t(AS_OF));
    a.push(&log[0]).unwrap();
    a.push(&log[1]).unwrap();
    let err = a.push(&log[2]).unwrap_err();
    assert_eq!(err.code(), "workflow.duplicate_event");
    assert!(err.to_string().contains("u2"));
    let vs = a.finish();
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(ids(&pv), vec!["u1", "u2"]);
    assert!(
        pv.iter().all(|v| v.severity == Severity::Ordinary),
        "{pv:#?}"
    );
    // An event without id has its position as id: an explicit "2" repeats it.
    let log = events(&[
        json!({"kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs",
               "resource":"legal-entity.basic","purpose":"tax"}),
        json!({"kind":"usage","at":"2019-12-02T10:00:00+08:00","department":"city.civil-affairs",
               "resource":"legal-entity.basic","purpose":"tax"}),
        json!({"id":"2","kind":"leak","at":"2019-12-03T10:00:00+08:00",
               "department":"city.civil-affairs","resource":"population.basic"}),
    ]);
    let mut a = Auditor::new(engine(), t(AS_OF));
    a.push(&log[0]).unwrap();
    a.push(&log[1]).unwrap();
    assert_eq!(
        a.push(&log[2]).unwrap_err().code(),
        "workflow.duplicate_event"
    );
    let vs = a.finish();
    assert!(
        only(&vs, Category::SensitiveDataBreach).is_empty(),
        "{vs:#?}"
    );
    assert_eq!(only(&vs, Category::PurposeViolation).len(), 2);
}

#[test]
fn a_finding_of_an_event_out_of_order_does_not_count_towards_another_s_repeat() {
    let u = |id: &str, at: &str| {
        json!({"id":id,"kind":"usage","at":at,"department":"city.civil-affairs",
               "resource":"legal-entity.basic","purpose":"tax"})
    };
    let vs = run(
        &[
            u("u1", "2019-12-02T10:00:00+08:00"),
            u("u2", "2019-12-05T10:00:00+08:00"),
            // Out of order, and dated before both.
            u("early", "2019-11-01T10:00:00+08:00"),
        ],
        AS_OF,
    );
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(ids(&pv), vec!["early", "u1", "u2"]);
    // Counted with `early`, u2 would be the third within 12 months.
    assert!(
        pv.iter().all(|v| v.severity == Severity::Ordinary),
        "{pv:#?}"
    );
    // In order, the same three make the third serious.
    let vs = run(
        &[
            u("early", "2019-11-01T10:00:00+08:00"),
            u("u1", "2019-12-02T10:00:00+08:00"),
            u("u2", "2019-12-05T10:00:00+08:00"),
        ],
        AS_OF,
    );
    let pv = only(&vs, Category::PurposeViolation);
    assert_eq!(pv[2].severity, Severity::Serious);
    assert_eq!(pv[2].serious_because, vec!["repeat".to_owned()]);
}
