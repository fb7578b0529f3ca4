//! Structured event logs over the sample registry (departments, resources,
//! applications and moments drawn from small pools so that the workflow's state
//! machine is reached): a rejected event leaves the state unchanged, granted
//! applications give SPEC-consistent permits, the audit's violations are well
//! formed, nothing panics.
#![no_main]

use arbitrary::Arbitrary;
use govshare_vectors::props;
use govshare::workflow::Event;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[derive(Debug, Arbitrary)]
struct Raw {
    kind: u8,
    /// Minutes after 2019-09-23 00:00 China time (about a year).
    minutes: u32,
    department: u8,
    resource: u8,
    application: u8,
    flag: bool,
    choice: u8,
    with_id: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    events: Vec<Raw>,
    as_of_days: u16,
}

const APPS: [&str; 3] = ["A-1", "A-2", "A-3"];

fn event(raw: &Raw, depts: &[String], ress: &[String]) -> Value {
    let pick = |v: &[String], i: u8| {
        v.get(usize::from(i) % v.len().max(1))
            .cloned()
            .unwrap_or_default()
    };
    let dept = pick(depts, raw.department);
    let res = pick(ress, raw.resource);
    let app = APPS[usize::from(raw.application) % APPS.len()];
    let at = props::moment_from_minutes(1_440 * 995 + raw.minutes % (1_440 * 366)).to_rfc3339();
    let by = pick(depts, raw.choice);
    let mut e = match raw.kind % 19 {
        0 => json!({"kind": "apply", "application": app, "department": dept, "resource": res,
                    "purpose": if raw.flag { "social-assistance" } else { "employment-services" }}),
        1 => json!({"kind": "reply", "application": app, "by": by, "outcome": "approve",
                    "scope": {"purposes": ["social-assistance", "employment-services"]}}),
        2 => {
            if raw.flag {
                json!({"kind": "reply", "application": app, "by": by, "outcome": "refuse", "reason": "不符合"})
            } else {
                json!({"kind": "reply", "application": app, "by": by, "outcome": "refuse"})
            }
        }
        3 => json!({"kind": "escalate", "application": app,
                    "to": if raw.flag { "big_data_center" } else { "city_government_office" }}),
        4 => json!({"kind": "coordinate", "application": app, "by": by,
                    "outcome": if raw.flag { "agreed" } else { "failed" }}),
        5 => json!({"kind": "law_revised", "department": dept}),
        6 => json!({"kind": "function_changed", "department": dept}),
        7 => json!({"kind": "collection_scope_changed", "department": dept}),
        8 => json!({"kind": "catalog_updated", "department": dept}),
        9 => json!({"kind": "catalog_filed", "department": dept}),
        10 => json!({"kind": "data_provided", "resource": res}),
        11 => json!({"kind": "inconsistency_reported", "resource": res, "by": by}),
        12 => json!({"kind": "inconsistency_resolved", "resource": res}),
        13 => json!({"kind": "data_rejected", "resource": res, "reason": "無法使用"}),
        14 => json!({"kind": "usage", "department": dept, "resource": res,
                     "purpose": if raw.flag { "social-assistance" } else { "curiosity" }}),
        15 => json!({"kind": "disclosure", "department": dept, "resource": res, "to": "第三方"}),
        16 => json!({"kind": "leak", "department": dept, "resource": res, "criminal": raw.flag}),
        17 => json!({"kind": "submission_required", "department": dept, "resource": res}),
        _ => {
            if raw.flag {
                json!({"kind": "project_submitted", "project": "P-1", "department": dept, "catalog": raw.choice % 2 == 0})
            } else {
                json!({"kind": "project_accepted", "project": "P-1", "department": dept, "catalog_in_platform": raw.choice % 2 == 0})
            }
        }
    };
    if let Some(obj) = e.as_object_mut() {
        obj.insert("at".to_owned(), Value::String(at));
        if let Some(id) = raw.with_id {
            obj.insert("id".to_owned(), Value::String(format!("e{}", id % 8)));
        }
    }
    e
}

fuzz_target!(|input: Input| {
    let Some(engine) = props::sample_engine() else {
        panic!("the sample registry does not load");
    };
    let reg = engine.registry();
    let depts: Vec<String> = reg.departments().iter().map(|d| d.id.clone()).collect();
    let ress: Vec<String> = reg.resources().iter().map(|r| r.id.clone()).collect();
    let events: Vec<Event> = input
        .events
        .iter()
        .take(24)
        .filter_map(|raw| Event::from_json_str(&event(raw, &depts, &ress).to_string()).ok())
        .collect();
    let as_of = props::moment_from_minutes(1_440 * (995 + u32::from(input.as_of_days % 400)));
    if let Err(v) = props::event_log(engine, &events, as_of) {
        panic!(
            "property broken: {v}\nevents: {}",
            serde_json::to_string(&events).unwrap_or_default()
        );
    }
});
