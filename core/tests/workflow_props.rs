//! Properties of the ledger over random event sequences: every event either applies
//! or is rejected leaving the serialised state exactly as before, and replaying a log
//! gives the same state.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions fail loudly on bad fixtures"
)]

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset};
use govshare::audit::Auditor;
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;
use govshare::workflow::{Event, EventKind, Ledger};
use proptest::prelude::*;
use serde_json::json;

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

const DEPTS: [&str; 6] = [
    "city.civil-affairs",
    "city.human-resources",
    "city.big-data-center",
    "city.government-office",
    "city.market-regulation",
    "city.nowhere",
];
const RESOURCES: [&str; 6] = [
    "hr.social-insurance",
    "civil-affairs.marriage",
    "public-security.criminal-records",
    "platform.assistance-profile",
    "population.basic",
    "hr.nothing",
];
const APPS: [&str; 3] = ["a-1", "a-2", "a-3"];

#[derive(Debug, Clone)]
struct Step {
    kind: u8,
    app: usize,
    dept: usize,
    res: usize,
    flag: bool,
    hours: i64,
    id: Option<u8>,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..14,
        0..APPS.len(),
        0..DEPTS.len(),
        0..RESOURCES.len(),
        any::<bool>(),
        1i64..120,
        proptest::option::weighted(0.2, 0u8..4),
    )
        .prop_map(|(kind, app, dept, res, flag, hours, id)| Step {
            kind,
            app,
            dept,
            res,
            flag,
            hours,
            id,
        })
}

fn to_event(s: &Step, at: DateTime<FixedOffset>) -> Event {
    let app = APPS[s.app];
    let dept = DEPTS[s.dept];
    let res = RESOURCES[s.res];
    let mut v = match s.kind {
        0 | 1 => {
            json!({"kind":"apply","application":app,"department":dept,"resource":res,"purpose":"social-assistance"})
        }
        2 | 3 => {
            if s.flag {
                json!({"kind":"reply","application":app,"by":dept,"outcome":"approve"})
            } else if s.kind == 2 {
                json!({"kind":"reply","application":app,"by":dept,"outcome":"refuse","reason":"r"})
            } else {
                json!({"kind":"reply","application":app,"by":dept,"outcome":"refuse"})
            }
        }
        4 => json!({"kind":"escalate","application":app,
                    "to": if s.flag {"big_data_center"} else {"city_government_office"}}),
        5 => json!({"kind":"coordinate","application":app,"by":dept,
                    "outcome": if s.flag {"agreed"} else {"failed"}}),
        6 => json!({"kind":"law_revised","department":dept}),
        7 => json!({"kind":"collection_scope_changed","department":dept}),
        8 => {
            json!({"kind": if s.flag {"catalog_updated"} else {"catalog_filed"},"department":dept})
        }
        9 => json!({"kind":"data_provided","resource":res}),
        10 => json!({"kind":"inconsistency_reported","resource":res,"by":dept}),
        11 => json!({"kind":"inconsistency_resolved","resource":res}),
        12 => json!({"kind":"usage","department":dept,"resource":res,"purpose":"x",
                     "grant": if s.flag {"g-2018-0001"} else {"grant.a-1"}}),
        _ => json!({"kind":"leak","department":dept,"resource":res}),
    };
    v["at"] = json!(at.to_rfc3339());
    if let Some(id) = s.id {
        v["id"] = json!(format!("e{id}"));
    }
    serde_json::from_value(v).unwrap()
}

fn events(steps: &[Step]) -> Vec<Event> {
    let mut at = DateTime::parse_from_rfc3339("2019-09-20T09:00:00+08:00").unwrap();
    steps
        .iter()
        .map(|s| {
            at += Duration::hours(s.hours);
            to_event(s, at)
        })
        .collect()
}

fn state(l: &Ledger) -> String {
    let as_of = DateTime::parse_from_rfc3339("2020-03-01T00:00:00+08:00").unwrap();
    serde_json::to_string(&l.state(as_of)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn an_event_applies_or_changes_nothing(steps in proptest::collection::vec(step(), 1..40)) {
        let mut l = Ledger::new(engine());
        for e in events(&steps) {
            let before = state(&l);
            let grants_before = l.engine().registry().grants().len();
            match l.apply(&e) {
                Ok(_) => {}
                Err(err) => {
                    prop_assert!(err.code().starts_with("workflow."), "{}", err);
                    prop_assert_eq!(&state(&l), &before);
                    prop_assert_eq!(l.engine().registry().grants().len(), grants_before);
                }
            }
        }
    }

    #[test]
    fn replay_gives_the_same_state(steps in proptest::collection::vec(step(), 1..40)) {
        let log = events(&steps);
        let run = || {
            let mut l = Ledger::new(engine());
            let outcomes: Vec<bool> = log.iter().map(|e| l.apply(e).is_ok()).collect();
            (outcomes, state(&l), l.engine().registry().grants().len())
        };
        prop_assert_eq!(run(), run());
    }
}

// ------------------------------------------------------------ SPEC v2 §4 Order

/// Steps whose moments may go back: `hours` below zero makes an event earlier than
/// the one before it.
fn unordered_events(steps: &[(Step, i64)]) -> Vec<Event> {
    let mut at = DateTime::parse_from_rfc3339("2019-09-20T09:00:00+08:00").unwrap();
    steps
        .iter()
        .map(|(s, hours)| {
            at += Duration::hours(*hours);
            to_event(s, at)
        })
        .collect()
}

/// A log for the audit: applications, replies, coordination, usages within and
/// outside duties and grants, obligations, leaks; every event with its own id.
fn audit_event(s: &Step, i: usize, at: DateTime<FixedOffset>) -> Event {
    let app = APPS[s.app];
    let dept = DEPTS[s.dept % 5];
    let res = RESOURCES[s.res % 5];
    let mut v = match s.kind {
        0 | 1 => json!({"kind":"apply","application":app,"department":dept,"resource":res,
                         "purpose": if s.flag {"social-assistance"} else {"market-supervision"}}),
        2 | 3 => {
            if s.kind == 2 || s.flag {
                json!({"kind":"reply","application":app,"by":dept,"outcome":"approve",
                       "scope":{"until":(at + Duration::days(20)).to_rfc3339()}})
            } else {
                json!({"kind":"reply","application":app,"by":dept,"outcome":"refuse"})
            }
        }
        4 => json!({"kind":"escalate","application":app,"to":"big_data_center"}),
        5 => json!({"kind":"coordinate","application":app,"by":"city.big-data-center",
                    "outcome": if s.flag {"agreed"} else {"failed"}}),
        6 => json!({"kind":"law_revised","department":dept}),
        7 => json!({"kind":"catalog_updated","department":dept}),
        8 => json!({"kind":"data_provided","resource":res}),
        9 => json!({"kind":"inconsistency_reported","resource":res,"by":dept}),
        10 | 11 => json!({"kind":"usage","department":dept,"resource":res,
                          "purpose": if s.flag {"social-assistance"} else {"market-supervision"},
                          "grant": format!("grant.{app}")}),
        12 => json!({"kind":"usage","department":dept,"resource":res,
                     "purpose": if s.flag {"social-assistance"} else {"tax"}}),
        _ => json!({"kind": if s.flag {"leak"} else {"submission_required"},
                    "department":dept,"resource":res}),
    };
    v["at"] = json!(at.to_rfc3339());
    v["id"] = json!(format!("e{i}"));
    serde_json::from_value(v).unwrap()
}

fn audit_log(steps: &[Step]) -> Vec<Event> {
    let mut at = DateTime::parse_from_rfc3339("2019-09-20T09:00:00+08:00").unwrap();
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            at += Duration::hours(s.hours);
            audit_event(s, i, at)
        })
        .collect()
}

/// What an audit of `log` gives: for each event, its rejection code if any; the
/// events reported out of order; the violations as JSON.
fn audited(log: &[Event]) -> (Vec<Option<String>>, Vec<String>, Vec<serde_json::Value>) {
    let as_of = DateTime::parse_from_rfc3339("2020-06-30T00:00:00+08:00").unwrap();
    let mut a = Auditor::new(engine(), as_of);
    let pushed = log
        .iter()
        .map(|e| a.push(e).err().map(|err| err.code().to_owned()))
        .collect();
    // Events reported out of order (other notices, such as `purpose_not_duty`,
    // belong to the event's own verdict).
    let reported = a
        .reported()
        .iter()
        .filter(|r| r.code == "out_of_order")
        .map(|r| r.event.clone())
        .collect();
    let found = a
        .finish()
        .iter()
        .map(|v| serde_json::to_value(v).unwrap())
        .collect();
    (pushed, reported, found)
}

/// The application an event belongs to: its own steps, and uses of its grant.
fn application_of(e: &Event) -> Option<String> {
    match &e.kind {
        EventKind::Apply { application, .. }
        | EventKind::Reply { application, .. }
        | EventKind::Escalate { application, .. }
        | EventKind::Coordinate { application, .. } => Some(application.clone()),
        EventKind::Usage { grant, .. } => grant
            .as_deref()
            .and_then(|g| g.strip_prefix("grant."))
            .map(str::to_owned),
        _ => None,
    }
}

fn involves(v: &serde_json::Value, id: &str) -> bool {
    v["events"]
        .as_array()
        .is_some_and(|es| es.iter().any(|e| e == id))
}

/// A violation without what may depend on other violations (severity).
fn without_severity(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in ["severity", "consequences", "serious_because", "zh", "en"] {
            o.remove(k);
        }
    }
    v
}

/// Whether `a` and `b` hold the same values, in any order (objects compare as
/// maps, whatever the order of their keys).
fn same_values(a: &[serde_json::Value], b: &[serde_json::Value]) -> bool {
    let mut left: Vec<&serde_json::Value> = b.iter().collect();
    a.len() == b.len()
        && a.iter().all(|x| match left.iter().position(|y| *y == x) {
            Some(i) => {
                left.remove(i);
                true
            }
            None => false,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The strict ledger rejects exactly the events earlier than the event it
    /// applied before them (unless their id is a repeat), and a rejected event
    /// leaves the state as it was.
    #[test]
    fn an_event_out_of_order_is_rejected_and_changes_nothing(
        steps in proptest::collection::vec((step(), -48i64..96), 1..40)
    ) {
        let mut l = Ledger::new(engine());
        let mut last: Option<DateTime<FixedOffset>> = None;
        for e in unordered_events(&steps) {
            let before = state(&l);
            let grants_before = l.engine().registry().grants().len();
            let earlier = last.is_some_and(|p| e.at < p);
            match l.apply(&e) {
                Ok(_) => {
                    prop_assert!(!earlier, "an event earlier than {:?} was applied", last);
                    last = Some(e.at);
                }
                Err(err) => {
                    if earlier {
                        prop_assert!(
                            ["workflow.out_of_order", "workflow.duplicate_event"]
                                .contains(&err.code()),
                            "{}", err
                        );
                    } else {
                        prop_assert_ne!(err.code(), "workflow.out_of_order");
                    }
                    prop_assert_eq!(&state(&l), &before);
                    prop_assert_eq!(l.engine().registry().grants().len(), grants_before);
                }
            }
        }
    }

    /// One event moved earlier (now out of order) changes no other event's verdict:
    /// the other events are rejected or applied as before, only the moved event may
    /// be reported, and the violations that do not involve it are the same (with
    /// their severity too, when the moved event has no violation).
    #[test]
    fn moving_one_event_earlier_changes_no_other_verdict(
        steps in proptest::collection::vec(step(), 2..40),
        pick in any::<prop::sample::Index>(),
        back in 1i64..400,
    ) {
        let log = audit_log(&steps);
        let k = 1 + pick.index(log.len() - 1);
        let mut moved = log.clone();
        moved[k].at = log[k - 1].at - Duration::hours(back);
        let id = moved[k].id.clone().unwrap();
        let (p1, r1, v1) = audited(&log);
        let (p2, r2, v2) = audited(&moved);
        prop_assert!(r1.is_empty(), "{:?}", r1);
        prop_assert!(r2.iter().all(|r| r == &id), "{:?}", r2);
        // What legitimately follows the moved event: when the moved event is an
        // application's own step (apply, reply, escalate, coordinate), the later steps
        // of that application and the uses of its grants depend on it. An `apply`
        // moved earlier moves the reply's due date, so an escalation on an overdue
        // reply (SPEC v2 §4) may now be in time; a step moved earlier may now be
        // premature and rejected, so a later repeat of it becomes the first one.
        // Those events are left out of the comparison when the moved event is an
        // `apply` or its own verdict changed; every other event must keep its verdict.
        let moved_app = application_of(&log[k]);
        // A reply or coordination moved earlier moves the start and end of the
        // grant it creates (its `until` is counted from its moment here), and a
        // step whose own verdict changed may create a grant or not (an escalation
        // now premature leaves the coordination that follows it without effect):
        // every use by the application's department of its resource depends on
        // it, whichever grant the use names.
        let grant_step = matches!(
            log[k].kind,
            EventKind::Reply { .. } | EventKind::Coordinate { .. }
        ) || p1[k] != p2[k];
        let pair = moved_app.as_ref().and_then(|app| {
            log.iter().find_map(|e| match &e.kind {
                EventKind::Apply { application, department, resource, .. }
                    if application == app => Some((department.clone(), resource.clone())),
                _ => None,
            })
        });
        let uses_pair = |e: &Event| {
            grant_step
                && matches!(&e.kind, EventKind::Usage { department, resource, .. }
                    if pair.as_ref().is_some_and(|(d, r)| d == department && r == resource))
        };
        let follows = |e: &Event| {
            uses_pair(e)
                || (moved_app.is_some()
                    && application_of(e) == moved_app
                    && (matches!(log[k].kind, EventKind::Apply { .. }) || p1[k] != p2[k]))
        };
        let mut excluded: Vec<String> = vec![id.clone()];
        for (i, (a, b)) in p1.iter().zip(&p2).enumerate() {
            if i == k {
                continue;
            }
            if follows(&log[i]) {
                excluded.extend(log[i].id.clone());
            } else {
                prop_assert_eq!(a, b, "event {}", i);
            }
        }
        let others = |vs: &[serde_json::Value]| -> Vec<serde_json::Value> {
            vs.iter()
                .filter(|v| !excluded.iter().any(|x| involves(v, x)))
                .cloned()
                .collect()
        };
        let (o1, o2) = (others(&v1), others(&v2));
        if o1.len() == v1.len() && o2.len() == v2.len() {
            prop_assert!(same_values(&o1, &o2), "{:#?}\n{:#?}", o1, o2);
        } else {
            let (s1, s2): (Vec<_>, Vec<_>) = (
                o1.iter().map(without_severity).collect(),
                o2.iter().map(without_severity).collect(),
            );
            prop_assert!(same_values(&s1, &s2), "{:#?}\n{:#?}", s1, s2);
        }
    }

    /// Replaying events (the same id again, later in the log) never changes the
    /// violations: each replay is rejected as a repeated id, and nothing else
    /// changes.
    #[test]
    fn replaying_an_event_id_never_changes_the_violations(
        steps in proptest::collection::vec(step(), 1..40),
        replays in proptest::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..6),
    ) {
        let log = audit_log(&steps);
        let (p1, r1, v1) = audited(&log);
        // Replays of applied events (the id of a rejected event is not taken),
        // each somewhere after its original.
        let applied: Vec<usize> = (0..log.len()).filter(|&i| p1[i].is_none()).collect();
        prop_assume!(!applied.is_empty());
        let mut inserts: Vec<(usize, Event)> = replays
            .iter()
            .map(|(which, place)| {
                let i = applied[which.index(applied.len())];
                (i + 1 + place.index(log.len() - i), log[i].clone())
            })
            .collect();
        inserts.sort_by_key(|(pos, _)| std::cmp::Reverse(*pos));
        let mut replayed = log.clone();
        for (pos, e) in inserts {
            replayed.insert(pos, e);
        }
        let (p2, r2, v2) = audited(&replayed);
        prop_assert_eq!(v1, v2);
        prop_assert_eq!(r1, r2);
        let count = |p: &[Option<String>]| {
            p.iter()
                .filter(|c| c.as_deref() == Some("workflow.duplicate_event"))
                .count()
        };
        prop_assert_eq!(count(&p2), count(&p1) + replays.len());
        prop_assert_eq!(p2.iter().filter(|c| c.is_none()).count(), applied.len());
    }
}
