//! Applications and obligations over the event log (SPEC §4): every transition, every
//! rejection (state unchanged), due dates across National Day and Spring Festival,
//! Art. 20, and deterministic replay.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions fail loudly on bad fixtures"
)]

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
use govshare::policy::{AccessRequest, Effect, Engine, PolicyPack, Route};
use govshare::registry::{GrantSource, Method, Network, Registry};
use govshare::workflow::{
    ApplicationStatus, Event, Ledger, ObligationKind, ObligationStatus, WorkflowError,
};
use serde_json::json;

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

/// The sample registry, with `city.housing`'s certificate (revoked in the sample, to
/// show Art. 26 in decisions) valid: these tests are about Art. 17, 11, 16, 18, 20
/// and 21; the Art. 26 tests below use the sample as it is.
fn engine() -> Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut doc: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
            for d in doc["departments"].as_array_mut().unwrap() {
                if d["id"] == "city.housing" {
                    let key = if d.get("certificates").is_some() {
                        "certificates"
                    } else {
                        "certificate"
                    };
                    match &mut d[key] {
                        serde_json::Value::Array(list) => list[0]["revoked"] = json!(false),
                        one => one["revoked"] = json!(false),
                    }
                }
            }
            Engine::new(
                PolicyPack::binzhou(),
                Registry::from_json_str(&doc.to_string()).unwrap(),
            )
            .unwrap()
        })
        .clone()
}

fn ev(v: serde_json::Value) -> Event {
    serde_json::from_value(v).unwrap()
}

/// `v`, and when it is a provider's approval whose scope leaves out `purposes` or
/// `fields`, those of exactly what the application asked for (SPEC v2 §4: an
/// approval states its scope); the tests of the scope itself use `l.apply`.
fn stated(l: &Ledger, mut v: serde_json::Value) -> serde_json::Value {
    if v["kind"] != "reply" || v["outcome"] != "approve" {
        return v;
    }
    let state = l.state(t("2030-01-01T00:00:00+08:00"));
    let Some(app) = state
        .applications
        .iter()
        .find(|a| v["application"] == a.id.as_str())
    else {
        return v;
    };
    if v["by"] != app.provider.as_str() {
        return v;
    }
    let fields = app.fields.clone().unwrap_or_else(|| {
        l.registry()
            .resource(&app.resource)
            .map(|r| r.fields.clone())
            .unwrap_or_default()
    });
    if v.get("scope").is_none() {
        v["scope"] = json!({});
    }
    if v["scope"].get("purposes").is_none() {
        v["scope"]["purposes"] = json!([app.purpose]);
    }
    if v["scope"].get("fields").is_none() {
        v["scope"]["fields"] = json!(fields);
    }
    v
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn state_json(l: &Ledger) -> String {
    serde_json::to_string(&l.state(t("2020-06-01T00:00:00+08:00"))).unwrap()
}

fn apply_ok(l: &mut Ledger, v: serde_json::Value) -> govshare::workflow::Applied {
    let v = stated(l, v);
    l.apply(&ev(v)).unwrap()
}

/// Applies `v`, expects a rejection with `code`, and checks nothing changed.
fn reject(l: &mut Ledger, v: serde_json::Value, code: &str) -> WorkflowError {
    let before = state_json(l);
    let engine_grants = l.engine().registry().grants().len();
    let err = l.apply(&ev(v)).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(state_json(l), before, "state changed by a rejected event");
    assert_eq!(l.engine().registry().grants().len(), engine_grants);
    match err {
        govshare::Error::Workflow(w) => w,
        other => panic!("not a workflow error: {other}"),
    }
}

fn apply_event(app: &str, dept: &str, res: &str, purpose: &str, at: &str) -> serde_json::Value {
    json!({"kind": "apply", "at": at, "application": app, "department": dept,
           "resource": res, "purpose": purpose})
}

fn status(l: &Ledger, app: &str) -> ApplicationStatus {
    l.state(t("2020-06-01T00:00:00+08:00"))
        .applications
        .iter()
        .find(|a| a.id == app)
        .unwrap()
        .status
}

// ---------------------------------------------------------------- events

#[test]
fn event_parsing_rejects_unknown_fields_naming_them() {
    let err = Event::from_json_str(
        r#"{"kind":"data_provided","at":"2019-10-01T00:00:00+08:00","resource":"x","colour":"red"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("colour"), "{err}");
    let err = Event::from_json_str(r#"{"kind":"data_provided","resource":"x"}"#).unwrap_err();
    assert!(err.to_string().contains("at"), "{err}");
    let err = Event::from_json_str(r#"{"kind":"teleport","at":"2019-10-01T00:00:00+08:00"}"#)
        .unwrap_err();
    assert!(err.to_string().contains("teleport"), "{err}");
}

#[test]
fn event_round_trips_and_ids_default_to_positions() {
    let text = r#"{"id":"e-9","kind":"reply","at":"2019-10-01T09:00:00+08:00","application":"a","by":"b","outcome":"refuse","reason":"r"}"#;
    let e = Event::from_json_str(text).unwrap();
    let back: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back, e);
    assert_eq!(e.id_or(3), "e-9");

    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        json!({"kind":"data_provided","at":"2019-10-08T09:00:00+08:00","resource":"hr.social-insurance"}),
    );
    assert_eq!(a.event, "1");
    let a = apply_ok(
        &mut l,
        json!({"id":"x","kind":"data_provided","at":"2019-10-09T09:00:00+08:00","resource":"hr.social-insurance"}),
    );
    assert_eq!(a.event, "x");
    let a = apply_ok(
        &mut l,
        json!({"kind":"data_provided","at":"2019-10-10T09:00:00+08:00","resource":"hr.social-insurance"}),
    );
    assert_eq!(a.event, "3");
}

// ---------------------------------------------------------------- applications

#[test]
fn apply_conditional_is_pending_with_reply_due_across_national_day() {
    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        apply_event(
            "a-1",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2019-09-27T10:00:00+08:00",
        ),
    );
    let app = a.application.unwrap();
    assert_eq!(app.status, ApplicationStatus::Pending);
    // SPEC §3 example: Friday 2019-09-27 + 5 working days = 2019-10-10.
    assert_eq!(app.reply_due, Some(d("2019-10-10")));
    assert_eq!(app.provider, "city.human-resources");
    // Not late on the due day, late the day after.
    let s = l.state(t("2019-10-10T23:59:00+08:00"));
    assert!(!s.applications[0].reply_late);
    let s = l.state(t("2019-10-11T08:00:00+08:00"));
    assert!(s.applications[0].reply_late);
    assert_eq!(s.applications[0].reply_late_workdays, Some(1));
}

#[test]
fn reply_due_across_spring_festival_2020_extension() {
    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        apply_event(
            "a-sf",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2020-01-20T10:00:00+08:00",
        ),
    );
    // 01-21, 22, 23 then the (extended) festival to 02-02: 02-03, 02-04.
    assert_eq!(a.application.unwrap().reply_due, Some(d("2020-02-04")));
    // A reply on 02-05 is one working day late.
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2020-02-05T09:00:00+08:00","application":"a-sf",
               "by":"city.human-resources","outcome":"approve"}),
    );
    let app = r.application.unwrap();
    assert!(app.reply_late);
    assert_eq!(app.reply_late_workdays, Some(1));
}

#[test]
fn approval_creates_a_grant_and_the_engine_then_grants() {
    let mut l = Ledger::new(engine());
    let req = AccessRequest {
        department: "city.market-regulation".into(),
        resource: "hr.social-insurance".into(),
        method: Method::OnlineQuery,
        purpose: "market-supervision".into(),
        fields: None,
        network: Network::Extranet,
        certificate: "BZ-0012".into(),
        at: t("2019-10-15T10:00:00+08:00"),
    };
    let before = l.engine().decide(&req).unwrap();
    assert_eq!(before.decision, Effect::Deny);
    assert_eq!(before.route, Route::Apply);

    apply_ok(
        &mut l,
        apply_event(
            "A-7",
            "city.market-regulation",
            "hr.social-insurance",
            "market-supervision",
            "2019-10-08T10:00:00+08:00",
        ),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-10-09T10:00:00+08:00","application":"A-7",
               "by":"city.human-resources","outcome":"approve",
               "scope":{"methods":["online_query"],"until":"2020-10-09T00:00:00+08:00"}}),
    );
    let g = r.grant.unwrap();
    assert_eq!(g.id, "grant.a-7");
    assert_eq!(g.department, "city.market-regulation");
    assert_eq!(g.purposes, vec!["market-supervision".to_owned()]);
    assert_eq!(g.methods, vec![Method::OnlineQuery]);
    assert_eq!(g.source, GrantSource::ProviderReply);
    let app = r.application.unwrap();
    assert_eq!(app.status, ApplicationStatus::Approved);
    assert_eq!(app.grant.as_deref(), Some("grant.a-7"));
    assert!(!app.reply_late);

    let after = l.engine().decide(&req).unwrap();
    assert_eq!(after.decision, Effect::Permit, "{after:?}");
    assert_eq!(after.route, Route::Granted);
    assert_eq!(after.grant.as_deref(), Some("grant.a-7"));
    // The grant's method scope holds.
    let other = AccessRequest {
        method: Method::BatchDownload,
        ..req
    };
    assert_eq!(l.engine().decide(&other).unwrap().decision, Effect::Deny);
}

#[test]
fn refusal_then_big_data_center_then_city_government_office() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        apply_event(
            "a-1",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse","reason":"涉及個人隱私"}),
    );
    let app = r.application.unwrap();
    assert_eq!(app.status, ApplicationStatus::Refused);
    assert_eq!(app.reason.as_deref(), Some("涉及個人隱私"));
    apply_ok(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-06T10:00:00+08:00","application":"a-1","to":"big_data_center"}),
    );
    assert_eq!(
        status(&l, "a-1"),
        ApplicationStatus::CoordinatingBigDataCenter
    );
    apply_ok(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-12T10:00:00+08:00","application":"a-1",
               "by":"city.big-data-center","outcome":"failed"}),
    );
    assert_eq!(status(&l, "a-1"), ApplicationStatus::BigDataCenterFailed);
    apply_ok(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-13T10:00:00+08:00","application":"a-1","to":"city_government_office"}),
    );
    assert_eq!(
        status(&l, "a-1"),
        ApplicationStatus::CoordinatingCityGovernmentOffice
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-20T10:00:00+08:00","application":"a-1",
               "by":"city.government-office","outcome":"agreed","scope":{"fields":["name"]}}),
    );
    let g = r.grant.unwrap();
    assert_eq!(g.source, GrantSource::CityGovernmentOffice);
    assert_eq!(g.fields, vec!["name".to_owned()]);
    assert_eq!(r.application.unwrap().status, ApplicationStatus::Approved);
}

#[test]
fn big_data_center_coordination_can_agree() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        apply_event(
            "a-1",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse","reason":"r"}),
    );
    apply_ok(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-06T10:00:00+08:00","application":"a-1","to":"big_data_center"}),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-07T10:00:00+08:00","application":"a-1",
               "by":"city.big-data-center","outcome":"agreed"}),
    );
    assert_eq!(r.grant.unwrap().source, GrantSource::BigDataCenter);
}

#[test]
fn city_government_office_failure_is_final() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        apply_event(
            "n-1",
            "city.housing",
            "gov-office.supervision",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    apply_ok(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-05T10:00:00+08:00","application":"n-1",
               "by":"city.big-data-center","outcome":"failed"}),
    );
    apply_ok(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-06T10:00:00+08:00","application":"n-1","to":"city_government_office"}),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-07T10:00:00+08:00","application":"n-1",
               "by":"city.government-office","outcome":"failed"}),
    );
    assert_eq!(r.application.unwrap().status, ApplicationStatus::Failed);
    reject(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-08T10:00:00+08:00","application":"n-1","to":"big_data_center"}),
        "workflow.wrong_state",
    );
    // Drained: handed back once, then gone; events on it are still rejected.
    let drained = l.drain();
    assert_eq!(drained.applications.len(), 1);
    assert!(
        l.state(t("2019-11-09T00:00:00+08:00"))
            .applications
            .is_empty()
    );
    let e = reject(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-08T10:00:00+08:00","application":"n-1","to":"big_data_center"}),
        "workflow.wrong_state",
    );
    assert!(e.to_string().contains("failed"), "{e}");
}

#[test]
fn not_shared_opens_coordination_directly() {
    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        apply_event(
            "n-1",
            "city.housing",
            "public-security.criminal-records",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    let app = a.application.unwrap();
    assert_eq!(app.status, ApplicationStatus::CoordinatingBigDataCenter);
    assert_eq!(app.reply_due, None);
    // The provider cannot reply to a coordination.
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"n-1",
               "by":"city.public-security","outcome":"approve"}),
        "workflow.wrong_state",
    );
}

#[test]
fn derived_needs_provider_and_big_data_center_in_either_order() {
    for (first, second, mid) in [
        (
            "city.civil-affairs",
            "city.big-data-center",
            ApplicationStatus::AwaitingBigDataCenter,
        ),
        (
            "city.big-data-center",
            "city.civil-affairs",
            ApplicationStatus::AwaitingProvider,
        ),
    ] {
        let mut l = Ledger::new(engine());
        apply_ok(
            &mut l,
            apply_event(
                "d-1",
                "city.housing",
                "platform.assistance-profile",
                "housing-security",
                "2019-11-04T10:00:00+08:00",
            ),
        );
        let r = apply_ok(
            &mut l,
            json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"d-1","by":first,"outcome":"approve"}),
        );
        assert!(r.grant.is_none());
        assert_eq!(r.application.unwrap().status, mid);
        // The same party cannot approve twice.
        reject(
            &mut l,
            json!({"kind":"reply","at":"2019-11-05T11:00:00+08:00","application":"d-1","by":first,"outcome":"approve"}),
            "workflow.wrong_actor",
        );
        let r = apply_ok(
            &mut l,
            json!({"kind":"reply","at":"2019-11-06T10:00:00+08:00","application":"d-1","by":second,"outcome":"approve"}),
        );
        let g = r.grant.unwrap();
        assert!(g.approved_by(GrantSource::ProviderReply));
        assert!(g.approved_by(GrantSource::BigDataCenter));
        assert_eq!(r.application.unwrap().status, ApplicationStatus::Approved);
    }
}

#[test]
fn derived_refusal_by_big_data_center_answers_the_application() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        apply_event(
            "d-1",
            "city.housing",
            "platform.assistance-profile",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"d-1",
               "by":"city.big-data-center","outcome":"refuse","reason":"超出用途"}),
    );
    let app = r.application.unwrap();
    assert_eq!(app.status, ApplicationStatus::Refused);
    assert!(app.replied.is_some());
}

// ---------------------------------------------------------------- rejections

#[test]
fn rejections_name_the_event_rule_and_state_and_change_nothing() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        json!({"id":"e1","kind":"apply","at":"2019-11-04T10:00:00+08:00","application":"a-1",
               "department":"city.housing","resource":"hr.social-insurance","purpose":"housing-security"}),
    );
    apply_ok(
        &mut l,
        json!({"kind":"law_revised","at":"2019-11-04T10:00:00+08:00","department":"city.housing"}),
    );

    // missing reason (absent, and blank)
    let e = reject(
        &mut l,
        json!({"id":"e2","kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse"}),
        "workflow.missing_reason",
    );
    let msg = e.to_string();
    assert!(
        msg.contains("e2") && msg.contains("Art. 17") && msg.contains("pending"),
        "{msg}"
    );
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse","reason":"  "}),
        "workflow.missing_reason",
    );
    // wrong actor: not the provider; coordination by a department without the role
    let e = reject(
        &mut l,
        json!({"id":"e3","kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve"}),
        "workflow.wrong_actor",
    );
    assert!(e.to_string().contains("city.civil-affairs"));
    // the Big Data Center has no say on a non-derived resource's reply
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.big-data-center","outcome":"approve"}),
        "workflow.wrong_actor",
    );
    // wrong state: coordinate a pending application; escalate without a refusal
    let e = reject(
        &mut l,
        json!({"id":"e4","kind":"coordinate","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.big-data-center","outcome":"agreed"}),
        "workflow.wrong_state",
    );
    assert!(e.to_string().contains("pending"));
    reject(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-05T10:00:00+08:00","application":"a-1","to":"big_data_center"}),
        "workflow.wrong_state",
    );
    reject(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-05T10:00:00+08:00","application":"a-1","to":"city_government_office"}),
        "workflow.wrong_state",
    );
    // unknown application
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"nope",
               "by":"city.human-resources","outcome":"approve"}),
        "workflow.unknown_application",
    );
    // unknown department / resource
    reject(
        &mut l,
        apply_event(
            "a-2",
            "city.nowhere",
            "hr.social-insurance",
            "x",
            "2019-11-05T10:00:00+08:00",
        ),
        "workflow.unknown_department",
    );
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.nowhere","outcome":"approve"}),
        "workflow.unknown_department",
    );
    reject(
        &mut l,
        apply_event(
            "a-2",
            "city.housing",
            "hr.nothing",
            "x",
            "2019-11-05T10:00:00+08:00",
        ),
        "workflow.unknown_resource",
    );
    reject(
        &mut l,
        json!({"kind":"data_provided","at":"2019-11-05T10:00:00+08:00","resource":"hr.nothing"}),
        "workflow.unknown_resource",
    );
    // duplicate event id, duplicate application id
    reject(
        &mut l,
        json!({"id":"e1","kind":"data_provided","at":"2019-11-05T10:00:00+08:00","resource":"hr.social-insurance"}),
        "workflow.duplicate_event",
    );
    reject(
        &mut l,
        apply_event(
            "a-1",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2019-11-05T10:00:00+08:00",
        ),
        "workflow.duplicate_application",
    );
    // no application for an unconditional resource, nor for one's own resource
    reject(
        &mut l,
        apply_event(
            "a-3",
            "city.housing",
            "population.basic",
            "housing-security",
            "2019-11-05T10:00:00+08:00",
        ),
        "workflow.not_applicable",
    );
    reject(
        &mut l,
        apply_event(
            "a-3",
            "city.human-resources",
            "hr.social-insurance",
            "social-insurance",
            "2019-11-05T10:00:00+08:00",
        ),
        "workflow.not_applicable",
    );
    // nothing to resolve; unknown grant
    reject(
        &mut l,
        json!({"kind":"inconsistency_resolved","at":"2019-11-05T10:00:00+08:00","resource":"hr.social-insurance"}),
        "workflow.nothing_open",
    );
    reject(
        &mut l,
        json!({"kind":"usage","at":"2019-11-05T10:00:00+08:00","department":"city.housing",
               "resource":"hr.social-insurance","purpose":"housing-security","grant":"g-none"}),
        "workflow.unknown_grant",
    );
    // After all that, the application still takes its reply.
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse","reason":"r"}),
    );
    assert_eq!(r.application.unwrap().status, ApplicationStatus::Refused);
    // A refused application takes no second reply.
    reject(
        &mut l,
        json!({"kind":"reply","at":"2019-11-06T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"approve"}),
        "workflow.wrong_state",
    );
    // Coordination by a department without the Big Data Center role.
    apply_ok(
        &mut l,
        json!({"kind":"escalate","at":"2019-11-06T10:00:00+08:00","application":"a-1","to":"big_data_center"}),
    );
    reject(
        &mut l,
        json!({"kind":"coordinate","at":"2019-11-07T10:00:00+08:00","application":"a-1",
               "by":"city.government-office","outcome":"agreed"}),
        "workflow.wrong_actor",
    );
}

#[test]
fn lenient_ledger_applies_a_refusal_without_reason_and_records_it() {
    let mut l = Ledger::lenient(engine());
    apply_ok(
        &mut l,
        apply_event(
            "a-1",
            "city.housing",
            "hr.social-insurance",
            "housing-security",
            "2019-11-04T10:00:00+08:00",
        ),
    );
    let r = apply_ok(
        &mut l,
        json!({"kind":"reply","at":"2019-11-05T10:00:00+08:00","application":"a-1",
               "by":"city.human-resources","outcome":"refuse"}),
    );
    assert_eq!(r.irregularities.len(), 1);
    assert_eq!(r.irregularities[0].code, "refusal_without_reason");
    assert_eq!(r.irregularities[0].department, "city.human-resources");
    assert_eq!(r.application.unwrap().status, ApplicationStatus::Refused);
}

// ---------------------------------------------------------------- obligations

#[test]
fn catalog_update_within_15_working_days_and_lateness() {
    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        json!({"kind":"function_changed","at":"2019-09-27T10:00:00+08:00","department":"city.housing"}),
    );
    let o = &a.opened[0];
    assert_eq!(o.kind, ObligationKind::CatalogUpdate);
    assert_eq!(o.article, "11");
    assert_eq!(o.due, Some(d("2019-10-23")));
    assert_eq!(o.status, ObligationStatus::Open);
    // Fulfilled on 2019-10-25: two working days late (10-24, 10-25).
    let c = apply_ok(
        &mut l,
        json!({"kind":"catalog_updated","at":"2019-10-25T10:00:00+08:00","department":"city.housing"}),
    );
    assert_eq!(c.closed.len(), 1);
    let o = &c.closed[0];
    assert_eq!(o.status, ObligationStatus::Fulfilled);
    assert!(o.late);
    assert_eq!(o.late_workdays, Some(2));
    assert_eq!(o.events.len(), 2);
    // closed-but-not-drained shows in the state, then drains away
    assert_eq!(l.state(t("2019-11-01T00:00:00+08:00")).obligations.len(), 1);
    assert_eq!(l.drain().obligations.len(), 1);
    assert!(
        l.state(t("2019-11-01T00:00:00+08:00"))
            .obligations
            .is_empty()
    );
}

#[test]
fn catalog_update_on_time_and_on_spring_festival() {
    let mut l = Ledger::new(engine());
    let a = apply_ok(
        &mut l,
        json!({"kind":"law_revised","at":"2020-01-22T10:00:00+08:00","department":"city.housing","ref":"某條例"}),
    );
    assert_eq!(a.opened[0].due, Some(d("2020-02-20")));
    let c = apply_ok(
        &mut l,
        json!({"kind":"catalog_updated","at":"2020-02-20T23:00:00+08:00","department":"city.housing"}),
    );
    assert!(!c.closed[0].late);
    assert_eq!(c.closed[0].late_workdays, None);
}

#[test]
fn collection_scope_change_is_due_at_once_or_next_working_day() {
    let mut l = Ledger::new(engine());
    // A working day: due the same day.
    let a = apply_ok(
        &mut l,
        json!({"kind":"collection_scope_changed","at":"2019-09-29T10:00:00+08:00","department":"city.housing"}),
    );
    assert_eq!(a.opened.len(), 2);
    assert!(
        a.opened
            .iter()
            .all(|o| o.due == Some(d("2019-09-29")) && o.article == "16")
    );
    assert!(
        a.opened
            .iter()
            .any(|o| o.kind == ObligationKind::CatalogFiling)
    );
    // National Day: due the next working day, 10-08.
    let b = apply_ok(
        &mut l,
        json!({"kind":"collection_scope_changed","at":"2019-10-03T10:00:00+08:00","department":"city.civil-affairs"}),
    );
    assert!(b.opened.iter().all(|o| o.due == Some(d("2019-10-08"))));
    // Filing closes only the filing obligation.
    let f = apply_ok(
        &mut l,
        json!({"kind":"catalog_filed","at":"2019-10-08T10:00:00+08:00","department":"city.civil-affairs"}),
    );
    assert_eq!(f.closed.len(), 1);
    assert_eq!(f.closed[0].kind, ObligationKind::CatalogFiling);
    assert!(!f.closed[0].late);
    let u = apply_ok(
        &mut l,
        json!({"kind":"catalog_updated","at":"2019-10-09T10:00:00+08:00","department":"city.civil-affairs"}),
    );
    assert_eq!(u.closed.len(), 1);
    assert_eq!(u.closed[0].late_workdays, Some(1));
    // The housing bureau's pair is still open, and overdue.
    let s = l.state(t("2019-10-09T12:00:00+08:00"));
    let open: Vec<_> = s
        .obligations
        .iter()
        .filter(|o| o.status == ObligationStatus::Open)
        .collect();
    assert_eq!(open.len(), 2);
    assert!(
        open.iter()
            .all(|o| o.late && o.department == "city.housing")
    );
    // 09-30, 10-08, 10-09.
    assert!(open.iter().all(|o| o.late_workdays == Some(3)));
}

#[test]
fn data_provision_chain_uses_the_resource_update_limit() {
    let mut l = Ledger::new(engine());
    // civil-affairs.marriage: update_workdays 3.
    let a = apply_ok(
        &mut l,
        json!({"kind":"data_provided","at":"2019-09-27T10:00:00+08:00","resource":"civil-affairs.marriage"}),
    );
    assert!(a.closed.is_empty());
    let o = &a.opened[0];
    assert_eq!(o.kind, ObligationKind::DataProvision);
    assert_eq!(o.department, "city.civil-affairs");
    assert_eq!(o.article, "21¶2");
    assert_eq!(o.basis, ["21¶2", "14"]);
    // 09-29 (Sunday, a working day), 09-30, 10-08.
    assert_eq!(o.due, Some(d("2019-10-08")));
    let b = apply_ok(
        &mut l,
        json!({"kind":"data_provided","at":"2019-10-10T10:00:00+08:00","resource":"civil-affairs.marriage"}),
    );
    assert_eq!(b.closed.len(), 1);
    assert_eq!(b.closed[0].late_workdays, Some(2));
    assert_eq!(b.opened[0].due, Some(d("2019-10-14")));
}

#[test]
fn inconsistency_report_and_art_20_service() {
    let mut l = Ledger::new(engine());
    let at = t("2019-12-02T10:00:00+08:00");
    let before = l.must_serve("civil-affairs.marriage", true, at);
    assert!(!before.disputed);
    assert_eq!(before.citations, vec!["20".to_owned()]);
    let r = apply_ok(
        &mut l,
        json!({"id":"rep","kind":"inconsistency_reported","at":"2019-12-02T09:00:00+08:00",
               "resource":"civil-affairs.marriage","by":"city.housing","detail":"婚姻狀態不一致"}),
    );
    let o = &r.opened[0];
    assert_eq!(o.kind, ObligationKind::InconsistencyCorrection);
    assert_eq!(o.department, "city.civil-affairs");
    assert_eq!(o.due, Some(d("2019-12-05")));
    let yes = l.must_serve("civil-affairs.marriage", true, at);
    assert!(yes.disputed && yes.must_serve && !yes.may_require_correction);
    assert_eq!(yes.reports, vec!["rep".to_owned()]);
    assert_eq!(yes.citations, vec!["20".to_owned()]);
    let no_proof = l.must_serve("civil-affairs.marriage", false, at);
    assert!(no_proof.disputed && !no_proof.must_serve);
    // Another resource is not disputed.
    assert!(!l.must_serve("hr.social-insurance", true, at).disputed);
    let c = apply_ok(
        &mut l,
        json!({"kind":"inconsistency_resolved","at":"2019-12-06T09:00:00+08:00","resource":"civil-affairs.marriage"}),
    );
    assert!(c.closed[0].late);
    assert_eq!(c.closed[0].late_workdays, Some(1));
    assert!(!l.must_serve("civil-affairs.marriage", true, at).disputed);
}

#[test]
fn other_events_are_checked_and_accepted() {
    let mut l = Ledger::new(engine());
    for v in [
        json!({"kind":"data_rejected","at":"2019-12-02T09:00:00+08:00","resource":"hr.social-insurance","reason":"格式錯誤"}),
        json!({"kind":"usage","at":"2019-12-02T09:00:00+08:00","department":"city.civil-affairs","resource":"hr.social-insurance","purpose":"social-assistance","grant":"g-2018-0001"}),
        json!({"kind":"disclosure","at":"2019-12-02T09:00:00+08:00","department":"city.housing","resource":"population.basic","to":"某公司"}),
        json!({"kind":"leak","at":"2019-12-02T09:00:00+08:00","department":"city.housing","resource":"population.basic","criminal":true}),
        json!({"kind":"submission_required","at":"2019-12-02T09:00:00+08:00","department":"city.housing","resource":"population.basic"}),
        json!({"kind":"project_submitted","at":"2019-12-02T09:00:00+08:00","project":"p-1","department":"city.housing","catalog":false}),
        json!({"kind":"project_accepted","at":"2019-12-02T09:00:00+08:00","project":"p-1","department":"city.housing","catalog_in_platform":true}),
    ] {
        let leak = v["kind"] == "leak";
        let a = apply_ok(&mut l, v);
        assert!(a.closed.is_empty());
        if leak {
            // SPEC v2 §4, Art. 24: a leak of personal data opens the report duty,
            // due the next working day (Tuesday 2019-12-03).
            assert_eq!(a.opened.len(), 1);
            assert_eq!(a.opened[0].kind, ObligationKind::IncidentReport);
            assert_eq!(a.opened[0].due, Some(d("2019-12-03")));
            assert_eq!(a.opened[0].basis, ["24"]);
        } else {
            assert!(a.opened.is_empty());
        }
    }
    reject(
        &mut l,
        json!({"kind":"leak","at":"2019-12-02T09:00:00+08:00","department":"city.nowhere","resource":"population.basic"}),
        "workflow.unknown_department",
    );
}

// ---------------------------------------------------------------- replay

fn sample_log() -> Vec<Event> {
    [
        apply_event("a-1", "city.housing", "hr.social-insurance", "housing-security", "2019-09-27T10:00:00+08:00"),
        json!({"kind":"reply","at":"2019-10-11T10:00:00+08:00","application":"a-1","by":"city.human-resources","outcome":"approve",
               "scope":{"purposes":["housing-security"],"fields":["name","id_number","insurance_type","contribution_base","contribution_status","employer_code"]}}),
        apply_event("a-2", "city.housing", "public-security.criminal-records", "housing-security", "2019-10-12T10:00:00+08:00"),
        json!({"kind":"law_revised","at":"2019-10-12T10:00:00+08:00","department":"city.housing"}),
        json!({"kind":"data_provided","at":"2019-10-14T10:00:00+08:00","resource":"hr.social-insurance"}),
        json!({"kind":"reply","at":"2019-10-15T10:00:00+08:00","application":"a-9","by":"city.human-resources","outcome":"approve"}),
        json!({"kind":"catalog_updated","at":"2019-11-12T10:00:00+08:00","department":"city.housing"}),
    ]
    .into_iter()
    .map(ev)
    .collect()
}

#[test]
fn replay_is_deterministic() {
    let run = || {
        let mut l = Ledger::new(engine());
        let results: Vec<String> = sample_log()
            .iter()
            .map(|e| match l.apply(e) {
                Ok(a) => serde_json::to_string(&a).unwrap(),
                Err(e) => e.to_string(),
            })
            .collect();
        (results, state_json(&l))
    };
    let (r1, s1) = run();
    let (r2, s2) = run();
    assert_eq!(r1, r2);
    assert_eq!(s1, s2);
    assert!(r1[5].contains("unknown application"));
}

#[test]
fn explicit_and_positional_ids_collide() {
    let provided = |id: Option<&str>| {
        let mut v = json!({"kind":"data_provided","at":"2019-11-04T10:00:00+08:00","resource":"hr.social-insurance"});
        if let Some(id) = id {
            v["id"] = json!(id);
        }
        v
    };
    let mut l = Ledger::new(engine());
    apply_ok(&mut l, provided(None)); // id "1"
    apply_ok(&mut l, provided(Some("3"))); // explicit "3"
    // Position 3 without an id would be "3": taken.
    reject(&mut l, provided(None), "workflow.duplicate_event");
    // Explicit "1" collides with the positional id of event 1.
    reject(&mut l, provided(Some("1")), "workflow.duplicate_event");
    // "01" is another id; a rejected event's position is not a seen id.
    apply_ok(&mut l, provided(Some("01")));
    apply_ok(&mut l, provided(Some("3x")));
    apply_ok(&mut l, provided(Some("4")));
}

// ------------------------------------------------------------ SPEC v2 §4 Order

#[test]
fn an_event_earlier_than_the_one_before_it_is_rejected_naming_both_moments() {
    let mut l = Ledger::new(engine());
    apply_ok(
        &mut l,
        json!({"id":"a","kind":"apply","at":"2019-12-03T10:00:00+08:00","application":"a-1",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
    );
    // A reply dated before its application.
    let err = reject(
        &mut l,
        json!({"id":"r","kind":"reply","at":"2019-12-02T10:00:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve"}),
        "workflow.out_of_order",
    );
    assert_eq!(err.event(), "r");
    let text = err.to_string();
    assert!(text.contains("2019-12-02T10:00:00+08:00"), "{text}");
    assert!(text.contains("2019-12-03T10:00:00+08:00"), "{text}");
    assert_eq!(status(&l, "a-1"), ApplicationStatus::Pending);
    // Moments are compared as instants: the same moment in UTC is not earlier.
    apply_ok(
        &mut l,
        json!({"id":"p","kind":"data_provided","at":"2019-12-03T02:00:00+00:00",
               "resource":"hr.social-insurance"}),
    );
    // One second earlier is.
    reject(
        &mut l,
        json!({"id":"p2","kind":"data_provided","at":"2019-12-03T09:59:59+08:00",
               "resource":"hr.social-insurance"}),
        "workflow.out_of_order",
    );
    // The rejected event did not move the log's clock, nor take its id.
    apply_ok(
        &mut l,
        json!({"id":"p2","kind":"data_provided","at":"2019-12-03T10:00:00+08:00",
               "resource":"hr.social-insurance"}),
    );
    apply_ok(
        &mut l,
        json!({"id":"r","kind":"reply","at":"2019-12-04T10:00:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve"}),
    );
    assert_eq!(status(&l, "a-1"), ApplicationStatus::Approved);
}

#[test]
fn a_repeated_id_is_rejected_before_its_order_is_judged() {
    let mut l = Ledger::new(engine());
    let provided = |id: &str, at: &str| json!({"id":id,"kind":"data_provided","at":at,"resource":"hr.social-insurance"});
    apply_ok(&mut l, provided("e-1", "2019-12-03T10:00:00+08:00"));
    apply_ok(&mut l, provided("e-2", "2019-12-04T10:00:00+08:00"));
    // A replay of e-1 (its own, earlier, moment): a repeated id, not a disorder.
    reject(
        &mut l,
        provided("e-1", "2019-12-03T10:00:00+08:00"),
        "workflow.duplicate_event",
    );
    // Ids that end in numbers and ids that do not, far apart.
    apply_ok(
        &mut l,
        provided("e-900000000000", "2019-12-05T10:00:00+08:00"),
    );
    apply_ok(&mut l, provided("批次甲", "2019-12-05T10:00:00+08:00"));
    reject(
        &mut l,
        provided("e-900000000000", "2019-12-06T10:00:00+08:00"),
        "workflow.duplicate_event",
    );
    reject(
        &mut l,
        provided("批次甲", "2019-12-06T10:00:00+08:00"),
        "workflow.duplicate_event",
    );
    apply_ok(&mut l, provided("e-02", "2019-12-06T10:00:00+08:00"));
}

#[test]
fn the_lenient_ledger_applies_an_event_out_of_order_and_reports_it() {
    let mut l = Ledger::lenient(engine());
    apply_ok(
        &mut l,
        json!({"id":"a","kind":"apply","at":"2019-12-03T10:00:00+08:00","application":"a-1",
               "department":"city.market-regulation","resource":"civil-affairs.minimum-living",
               "purpose":"market-supervision"}),
    );
    let applied = apply_ok(
        &mut l,
        json!({"id":"r","kind":"reply","at":"2019-12-02T10:00:00+08:00","application":"a-1",
               "by":"city.civil-affairs","outcome":"approve"}),
    );
    let irr = &applied.irregularities[0];
    assert_eq!(irr.code, "out_of_order");
    assert_eq!(irr.event, "r");
    assert_eq!(irr.application.as_deref(), Some("a-1"));
    assert_eq!(irr.at, Some(t("2019-12-02T10:00:00+08:00")));
    assert_eq!(irr.previous, Some(t("2019-12-03T10:00:00+08:00")));
    // Judged at its own moment (not late), but its grant starts no earlier than
    // the application: it covers no use before the application existed.
    let grant = applied.grant.unwrap();
    assert_eq!(grant.from, t("2019-12-03T10:00:00+08:00"));
    let app = applied.application.unwrap();
    assert_eq!(app.replied, Some(t("2019-12-02T10:00:00+08:00")));
    assert!(!app.reply_late);
    // A repeated id is rejected by the lenient ledger too.
    reject(
        &mut l,
        json!({"id":"a","kind":"data_provided","at":"2019-12-05T10:00:00+08:00",
               "resource":"hr.social-insurance"}),
        "workflow.duplicate_event",
    );
}

#[test]
fn chinese_application_ids_get_distinct_grant_ids_without_probing() {
    let mut l = Ledger::new(engine());
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..300 {
        let app = format!("市場監管申請-{i}");
        let at = format!("2019-12-{:02}T10:00:00+08:00", 2 + i / 30);
        apply_ok(
            &mut l,
            apply_event(
                &app,
                "city.market-regulation",
                "civil-affairs.minimum-living",
                "market-supervision",
                &at,
            ),
        );
        let g = apply_ok(
            &mut l,
            json!({"kind":"reply","at":at,"application":app,"by":"city.civil-affairs",
                   "outcome":"approve"}),
        )
        .grant
        .unwrap();
        // The lossy base (`grant.` and a dash per Chinese character) is told apart
        // by a hash of the application id, so no `.2`, `.3`, … suffix is needed.
        assert!(g.id.starts_with("grant.------"), "{}", g.id);
        assert!(g.id.contains(".h"), "{}", g.id);
        assert!(ids.insert(g.id.clone()), "{} twice", g.id);
    }
    // The same application id in another ledger gets the same grant id.
    let mut other = Ledger::new(engine());
    apply_ok(
        &mut other,
        apply_event(
            "市場監管申請-0",
            "city.market-regulation",
            "civil-affairs.minimum-living",
            "market-supervision",
            "2019-12-02T10:00:00+08:00",
        ),
    );
    let g = apply_ok(
        &mut other,
        json!({"kind":"reply","at":"2019-12-02T10:00:00+08:00","application":"市場監管申請-0",
               "by":"city.civil-affairs","outcome":"approve"}),
    )
    .grant
    .unwrap();
    assert!(ids.contains(&g.id));
}

#[test]
fn a_taken_grant_id_base_gets_the_next_free_suffix() {
    // Applications `A-1` and then `a-1` share the base `grant.a-1`, so the second
    // gets `.2`; `a_1` has its own.
    let mut l = Ledger::new(engine());
    let grant_of = |l: &mut Ledger, app: &str, day: u32| {
        let at = format!("2019-12-{day:02}T10:00:00+08:00");
        apply_ok(
            l,
            apply_event(
                app,
                "city.market-regulation",
                "civil-affairs.minimum-living",
                "market-supervision",
                &at,
            ),
        );
        apply_ok(
            l,
            json!({"kind":"reply","at":at,"application":app,"by":"city.civil-affairs",
                   "outcome":"approve"}),
        )
        .grant
        .unwrap()
        .id
    };
    assert_eq!(grant_of(&mut l, "A-1", 2), "grant.a-1");
    assert_eq!(grant_of(&mut l, "a-1", 3), "grant.a-1.2");
    assert_eq!(grant_of(&mut l, "a_1", 4), "grant.a_1");
}

#[test]
fn an_event_out_of_order_fulfils_in_log_order_judged_at_its_own_moment() {
    let mut l = Ledger::lenient(engine());
    apply_ok(
        &mut l,
        json!({"id":"law","kind":"law_revised","at":"2019-11-01T10:00:00+08:00",
               "department":"city.civil-affairs"}),
    );
    apply_ok(
        &mut l,
        json!({"id":"fn","kind":"function_changed","at":"2019-12-30T10:00:00+08:00",
               "department":"city.civil-affairs"}),
    );
    // Dated between the two: in log order it fulfils both (its date, doubtful,
    // does not leave a duty open), each judged at its own moment: the first one
    // late (due 2019-11-22), the second not.
    let applied = apply_ok(
        &mut l,
        json!({"id":"upd","kind":"catalog_updated","at":"2019-12-10T10:00:00+08:00",
               "department":"city.civil-affairs"}),
    );
    assert_eq!(applied.irregularities[0].code, "out_of_order");
    let closed: Vec<(&str, bool)> = applied
        .closed
        .iter()
        .map(|o| (o.events[0].as_str(), o.late))
        .collect();
    assert_eq!(closed, vec![("law", true), ("fn", false)]);
    assert!(
        l.state(t("2020-06-01T00:00:00+08:00"))
            .obligations
            .iter()
            .all(|o| o.status == ObligationStatus::Fulfilled)
    );
}

/// SPEC v2 §7: a ledger over the built-in timeline moves to the national pack at
/// its first national event; the registry as it stood in 2020 is still the one
/// Binzhou's events made (each change replayed under the pack that judged it:
/// the Big Data Center's restriction of 2019 is Binzhou's, although the national
/// pack gives that body no power).
#[test]
fn a_ledger_over_the_timeline_keeps_the_registry_history_of_each_pack() {
    let engine = Engine::builtin_timeline(Registry::from_json_str(SAMPLE).unwrap()).unwrap();
    let mut l = Ledger::lenient(engine);
    l.apply(&ev(
        json!({"kind":"restriction_imposed","at":"2019-10-08T10:00:00+08:00",
        "department":"county.huimin.civil-affairs","by":"city.big-data-center",
        "reason":"未按時更新"}),
    ))
    .unwrap();
    // A national moment: the ledger moves on (a Binzhou restriction event is no
    // national event: reported and ignored).
    let applied = l
        .apply(&ev(
            json!({"kind":"restriction_lifted","at":"2026-03-02T10:00:00+08:00",
            "department":"county.huimin.civil-affairs","by":"city.big-data-center",
            "reason":"已整改"}),
        ))
        .unwrap();
    assert_eq!(applied.irregularities[0].code, "event_not_in_pack");
    let in_2020 = l.registry_at(t("2020-01-01T00:00:00+08:00")).unwrap();
    assert!(
        in_2020
            .department("county.huimin.civil-affairs")
            .unwrap()
            .restricted
    );
    // The restriction was never lifted: still there now.
    assert!(
        l.registry()
            .department("county.huimin.civil-affairs")
            .unwrap()
            .restricted
    );
}
