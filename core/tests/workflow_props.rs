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
use govshare::policy::{Engine, PolicyPack};
use govshare::registry::Registry;
use govshare::workflow::{Event, Ledger};
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
