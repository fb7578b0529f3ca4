//! A synthetic event log over the sample registry for the workflow and audit
//! benchmarks: blocks of 20 events, one minute apart, starting 2018-01-02 (a million
//! events end in late 2019, inside the pack's validity and the calendar data).
//!
//! Each block: two applications (one approved by the provider; one refused with a
//! reason, escalated and agreed by the Big Data Center), four data provisions, a law
//! revision and a function change with their catalog updates, an inconsistency
//! reported and resolved, three usages (direct, granted, own), and a data rejection.

use chrono::{DateTime, Duration, FixedOffset};
use govshare::registry::Method;
use govshare::workflow::{CoordinationOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope};

pub const SAMPLE: &str = include_str!("../../../policies/binzhou/sample/registry.json");

fn s(x: &str) -> String {
    x.to_owned()
}

/// The `i`-th event (0-based) of the synthetic log.
pub fn event(start: DateTime<FixedOffset>, i: u64) -> Event {
    let block = i / 20;
    let at = start + Duration::minutes(i64::try_from(i).unwrap_or(i64::MAX));
    let a1 = format!("a-{block}-1");
    let a2 = format!("a-{block}-2");
    let kind = match i % 20 {
        0 => EventKind::Apply {
            application: a1,
            department: s("city.market-regulation"),
            resource: s("hr.social-insurance"),
            purpose: s("market-supervision"),
            fields: None,
            methods: Some(vec![Method::OnlineQuery]),
        },
        1 => EventKind::Reply {
            application: a1,
            by: s("city.human-resources"),
            outcome: ReplyOutcome::Approve,
            reason: None,
            scope: Some(Scope::default()),
        },
        2 => EventKind::Apply {
            application: a2,
            department: s("city.human-resources"),
            resource: s("civil-affairs.marriage"),
            purpose: s("social-insurance"),
            fields: None,
            methods: None,
        },
        3 => EventKind::Reply {
            application: a2,
            by: s("city.civil-affairs"),
            outcome: ReplyOutcome::Refuse,
            reason: Some(s("涉及個人隱私")),
            scope: None,
        },
        4 => EventKind::Escalate {
            application: a2,
            to: EscalateTo::BigDataCenter,
        },
        5 => EventKind::Coordinate {
            application: a2,
            by: s("city.big-data-center"),
            outcome: CoordinationOutcome::Agreed,
            scope: None,
        },
        6 => EventKind::DataProvided {
            resource: s("hr.social-insurance"),
        },
        7 => EventKind::DataProvided {
            resource: s("civil-affairs.marriage"),
        },
        8 => EventKind::DataProvided {
            resource: s("population.basic"),
        },
        9 => EventKind::DataProvided {
            resource: s("market.enterprise-credit"),
        },
        10 => EventKind::LawRevised {
            department: s("city.finance"),
            reference: None,
        },
        11 => EventKind::CatalogUpdated {
            department: s("city.finance"),
            reference: None,
        },
        12 => EventKind::InconsistencyReported {
            resource: s("civil-affairs.minimum-living"),
            by: s("city.market-regulation"),
            detail: None,
        },
        13 => EventKind::InconsistencyResolved {
            resource: s("civil-affairs.minimum-living"),
        },
        14 => EventKind::Usage {
            department: s("city.civil-affairs"),
            resource: s("population.basic"),
            purpose: s("social-assistance"),
            grant: None,
        },
        15 => EventKind::Usage {
            department: s("city.civil-affairs"),
            resource: s("hr.social-insurance"),
            purpose: s("social-assistance"),
            grant: Some(s("g-2018-0001")),
        },
        16 => EventKind::DataRejected {
            resource: s("finance.payment-exchange"),
            reason: s("格式錯誤"),
        },
        17 => EventKind::Usage {
            department: s("city.market-regulation"),
            resource: s("market.enterprise-credit"),
            purpose: s("market-supervision"),
            grant: None,
        },
        18 => EventKind::FunctionChanged {
            department: s("city.housing"),
            reference: None,
        },
        _ => EventKind::CatalogUpdated {
            department: s("city.housing"),
            reference: None,
        },
    };
    Event { id: None, at, kind }
}

/// The start of the synthetic log.
pub fn start() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2018-01-02T00:00:00+08:00").unwrap_or_default()
}

/// Resident memory of this process in kB (Linux), for the memory figures.
pub fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
