//! A realistic synthetic event log over the sample registry, for the workflow and
//! audit benchmarks: a discrete-event simulation of fifteen months of a city's
//! sharing platform, starting 2018-01-02 (inside the Binzhou pack's validity and the
//! calendar data). Deterministic: the same seed gives the same log.
//!
//! What happens (shares of the events of a million-event log, which ends in April
//! 2019):
//! - usages naming a grant in force (72 %), and direct usages of unconditional
//!   resources for one of the department's duties (25 %);
//! - applications (0.5 %) for conditional, derived and not-shared resources, for one
//!   of the applicant's duties, answered by their provider after a few days (one in
//!   twelve after the 5-working-day limit): approvals with a scope ending 2 to 13
//!   months later, refusals with a reason (rarely without), escalations to the Big
//!   Data Center and then to the City Government Office, agreed or failed; a derived
//!   resource also gets the Big Data Center's consent; a not-shared one goes to
//!   coordination directly (replies, escalations and coordinations: 0.7 %);
//! - data provisions of every resource on its update cycle (one in 40 late),
//!   catalog changes after law revisions, function and collection-scope changes
//!   (updated and filed, one in ten late), inconsistencies reported and resolved
//!   (together 1.2 %);
//! - some violations (0.4 % of the events end in one): usages for a purpose outside
//!   the department's duties, usages under a grant that has ended, submissions
//!   required of what the platform has, data rejected as unusable, disclosures and
//!   leaks, besides the late replies, provisions, corrections and catalogs above.
//!
//! Grants end, so memory is kept to the open items: the generator itself keeps only
//! the applications under way, the grants in force and a few that ended.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use chrono::{DateTime, Duration, FixedOffset};
use govshare::workflow::{CoordinationOutcome, EscalateTo, Event, EventKind, ReplyOutcome, Scope};

pub const SAMPLE: &str = include_str!("../../../policies/binzhou/sample/registry.json");

/// The start of the synthetic log.
pub fn start() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2018-01-02T08:00:00+08:00").unwrap_or_default()
}

fn s(x: &str) -> String {
    x.to_owned()
}

/// (department, resource, purpose) that may apply: the resource is conditional,
/// derived or not shared, of another department, and the purpose one of the
/// department's duties.
const APPLICATIONS: [(&str, &str, &str); 12] = [
    (
        "city.market-regulation",
        "hr.social-insurance",
        "market-supervision",
    ),
    (
        "city.civil-affairs",
        "hr.social-insurance",
        "social-assistance",
    ),
    (
        "city.human-resources",
        "civil-affairs.minimum-living",
        "employment-services",
    ),
    (
        "city.human-resources",
        "civil-affairs.marriage",
        "social-insurance",
    ),
    (
        "county.huimin.civil-affairs",
        "hr.social-insurance",
        "social-assistance",
    ),
    (
        "city.market-regulation",
        "finance.payment-exchange",
        "market-supervision",
    ),
    (
        "city.civil-affairs",
        "huimin.rural-extreme-poverty",
        "social-assistance",
    ),
    (
        "city.human-resources",
        "platform.assistance-profile",
        "employment-services",
    ),
    (
        "county.huimin.civil-affairs",
        "platform.assistance-profile",
        "social-assistance",
    ),
    (
        "city.civil-affairs",
        "public-security.criminal-records",
        "social-assistance",
    ),
    (
        "city.human-resources",
        "public-security.criminal-records",
        "civil-service-recruitment",
    ),
    (
        "zone.bz-etdz.admin",
        "hr.social-insurance",
        "enterprise-services",
    ),
];

/// (department, unconditional resource of another department, one of its duties).
const DIRECT: [(&str, &str, &str); 10] = [
    (
        "city.civil-affairs",
        "population.basic",
        "social-assistance",
    ),
    (
        "city.civil-affairs",
        "legal-entity.basic",
        "social-assistance",
    ),
    (
        "city.human-resources",
        "population.basic",
        "social-insurance",
    ),
    (
        "city.human-resources",
        "e-license.basic",
        "employment-services",
    ),
    (
        "city.market-regulation",
        "population.basic",
        "business-registration",
    ),
    (
        "city.market-regulation",
        "hr.employment-registration",
        "market-supervision",
    ),
    ("city.public-security", "legal-entity.basic", "public-order"),
    (
        "city.housing",
        "market.enterprise-credit",
        "construction-supervision",
    ),
    (
        "zone.bz-etdz.admin",
        "legal-entity.basic",
        "investment-promotion",
    ),
    (
        "county.huimin.civil-affairs",
        "population.basic",
        "elderly-care",
    ),
];

/// Resources with their provider and update limit (working days).
const RESOURCES: [(&str, &str, i64); 15] = [
    ("population.basic", "city.public-security", 1),
    ("legal-entity.basic", "city.market-regulation", 1),
    ("e-license.basic", "city.big-data-center", 1),
    ("civil-affairs.marriage", "city.civil-affairs", 3),
    ("civil-affairs.minimum-living", "city.civil-affairs", 5),
    ("hr.social-insurance", "city.human-resources", 5),
    ("hr.employment-registration", "city.human-resources", 5),
    ("market.enterprise-credit", "city.market-regulation", 3),
    ("market.food-inspection", "city.market-regulation", 10),
    ("finance.payment-exchange", "city.finance", 2),
    (
        "public-security.criminal-records",
        "city.public-security",
        5,
    ),
    ("gov-office.supervision", "city.government-office", 10),
    ("platform.assistance-profile", "city.civil-affairs", 5),
    (
        "huimin.rural-extreme-poverty",
        "county.huimin.civil-affairs",
        5,
    ),
    ("etdz.investment-projects", "zone.bz-etdz.admin", 10),
];

/// Departments whose catalogs change.
const CATALOG_DEPARTMENTS: [&str; 6] = [
    "city.civil-affairs",
    "city.human-resources",
    "city.market-regulation",
    "city.finance",
    "city.housing",
    "city.public-security",
];

const FIRST_APPLICATION: (&str, &str, &str) = (
    "city.market-regulation",
    "hr.social-insurance",
    "market-supervision",
);
const FIRST_DIRECT: (&str, &str, &str) = (
    "city.civil-affairs",
    "population.basic",
    "social-assistance",
);

const BIG_DATA_CENTER: &str = "city.big-data-center";
const GOVERNMENT_OFFICE: &str = "city.government-office";

fn provider(resource: &str) -> &'static str {
    RESOURCES
        .iter()
        .find(|r| r.0 == resource)
        .map_or("city.civil-affairs", |r| r.1)
}

/// What the simulation has scheduled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Next {
    /// The provider (or, `bdc`, the Big Data Center's consent to a derived
    /// resource) answers.
    Reply {
        app: u64,
        bdc: bool,
    },
    Escalate {
        app: u64,
        to_office: bool,
    },
    Coordinate {
        app: u64,
        office: bool,
    },
    CatalogUpdated {
        department: usize,
    },
    CatalogFiled {
        department: usize,
    },
    DataProvided {
        resource: usize,
    },
    Resolved {
        resource: usize,
    },
}

/// An application under way.
#[derive(Debug, Clone)]
struct App {
    id: u64,
    which: usize,
}

/// A grant the simulation created, with what its usages need.
#[derive(Debug, Clone)]
struct Held {
    id: String,
    which: usize,
    until: DateTime<FixedOffset>,
}

/// The log: an iterator of events in non-decreasing order of `at`.
#[derive(Debug)]
pub struct Log {
    rng: u64,
    now: DateTime<FixedOffset>,
    emitted: u64,
    explicit_ids: bool,
    next_app: u64,
    apps: Vec<App>,
    queue: BinaryHeap<Reverse<(i64, u64, Next)>>,
    tiebreak: u64,
    held: Vec<Held>,
    ended: VecDeque<Held>,
    /// Resources with a resolution of their reported inconsistencies scheduled.
    resolving: [bool; RESOURCES.len()],
    next_background: DateTime<FixedOffset>,
}

impl Log {
    /// A log from `seed`; events carry explicit ids (`ev-1`, `ev-2`, …) when
    /// `explicit_ids`, else none (their position is their id).
    pub fn new(seed: u64, explicit_ids: bool) -> Self {
        let now = start();
        let mut log = Self {
            rng: seed ^ 0x9e37_79b9_7f4a_7c15,
            now,
            emitted: 0,
            explicit_ids,
            next_app: 0,
            apps: Vec::new(),
            queue: BinaryHeap::new(),
            tiebreak: 0,
            held: Vec::new(),
            ended: VecDeque::new(),
            resolving: [false; RESOURCES.len()],
            next_background: now,
        };
        for resource in 0..RESOURCES.len() {
            let offset = log.uniform(0, 3600 * 8);
            log.schedule(
                now + Duration::seconds(offset),
                Next::DataProvided { resource },
            );
        }
        log
    }

    fn next_u64(&mut self) -> u64 {
        // splitmix64
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`.
    fn uniform(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo).unwrap_or(1).max(1);
        lo + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next_u64() % 1000 < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        let n = u64::try_from(items.len()).ok()?;
        let i = usize::try_from(self.next_u64() % n.max(1)).ok()?;
        items.get(i).copied()
    }

    fn schedule(&mut self, at: DateTime<FixedOffset>, next: Next) {
        self.tiebreak += 1;
        self.queue
            .push(Reverse((at.timestamp(), self.tiebreak, next)));
    }

    fn schedule_in(&mut self, lo_hours: i64, hi_hours: i64, next: Next) {
        let at = self.after_days(lo_hours, hi_hours);
        self.schedule(at, next);
    }

    fn after_days(&mut self, lo_hours: i64, hi_hours: i64) -> DateTime<FixedOffset> {
        self.now + Duration::minutes(self.uniform(lo_hours * 60, hi_hours * 60))
    }

    fn app(&self, id: u64) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    fn close_app(&mut self, id: u64) {
        self.apps.retain(|a| a.id != id);
    }

    fn grant(&mut self, app: u64, which: usize) -> Scope {
        let until = self.after_days(24 * 60, 24 * 400);
        self.held.push(Held {
            id: format!("grant.sq-{app}"),
            which,
            until,
        });
        Scope {
            until: Some(until),
            ..Scope::default()
        }
    }

    fn followup(&mut self, next: Next) -> EventKind {
        match next {
            Next::Reply { app, bdc } => self.reply(app, bdc),
            Next::Escalate { app, to_office } => {
                let to = if to_office {
                    self.schedule_in(24, 24 * 8, Next::Coordinate { app, office: true });
                    EscalateTo::CityGovernmentOffice
                } else {
                    self.schedule_in(24, 24 * 8, Next::Coordinate { app, office: false });
                    EscalateTo::BigDataCenter
                };
                EventKind::Escalate {
                    certificate: None,
                    by: None,
                    application: format!("sq-{app}"),
                    to,
                }
            }
            Next::Coordinate { app, office } => {
                let which = self.app(app).map_or(0, |a| a.which);
                let agreed = self.chance(if office { 600 } else { 700 });
                let scope = if agreed {
                    self.close_app(app);
                    Some(self.grant(app, which))
                } else {
                    if !office && self.chance(500) {
                        self.schedule_in(
                            12,
                            24 * 3,
                            Next::Escalate {
                                app,
                                to_office: true,
                            },
                        );
                    } else {
                        self.close_app(app);
                    }
                    None
                };
                EventKind::Coordinate {
                    certificate: None,
                    application: format!("sq-{app}"),
                    by: s(if office {
                        GOVERNMENT_OFFICE
                    } else {
                        BIG_DATA_CENTER
                    }),
                    outcome: if agreed {
                        CoordinationOutcome::Agreed
                    } else {
                        CoordinationOutcome::Failed
                    },
                    scope,
                }
            }
            Next::CatalogUpdated { department } => EventKind::CatalogUpdated {
                department: s(CATALOG_DEPARTMENTS
                    .get(department)
                    .copied()
                    .unwrap_or_default()),
                reference: None,
            },
            Next::CatalogFiled { department } => EventKind::CatalogFiled {
                department: s(CATALOG_DEPARTMENTS
                    .get(department)
                    .copied()
                    .unwrap_or_default()),
                reference: None,
            },
            Next::DataProvided { resource } => {
                let limit = RESOURCES.get(resource).map_or(5, |r| r.2);
                // On cycle: within the limit counted in calendar days (working days
                // are at least as long); one in 40 is late.
                let days = if self.chance(25) {
                    limit * 3 + 2
                } else {
                    limit
                };
                let hours = (days * 24 - 2).max(2);
                let next = self.after_days(hours / 2, hours);
                self.schedule(next, Next::DataProvided { resource });
                EventKind::DataProvided {
                    resource: s(RESOURCES.get(resource).map_or("", |r| r.0)),
                }
            }
            Next::Resolved { resource } => {
                if let Some(r) = self.resolving.get_mut(resource) {
                    *r = false;
                }
                EventKind::InconsistencyResolved {
                    subject: None,
                    resource: s(RESOURCES.get(resource).map_or("", |r| r.0)),
                }
            }
        }
    }

    fn reply(&mut self, app: u64, bdc: bool) -> EventKind {
        let which = self.app(app).map_or(0, |a| a.which);
        let (_, resource, _) = APPLICATIONS
            .get(which)
            .copied()
            .unwrap_or(FIRST_APPLICATION);
        let derived = resource == "platform.assistance-profile";
        let application = format!("sq-{app}");
        if bdc {
            // The Big Data Center's consent completes a derived resource's grant.
            self.close_app(app);
            let scope = Some(self.grant(app, which));
            return EventKind::Reply {
                certificate: None,
                reason_code: None,
                approved_by_head: None,
                application,
                by: s(BIG_DATA_CENTER),
                outcome: ReplyOutcome::Approve,
                reason: None,
                scope,
            };
        }
        let by = s(provider(resource));
        let roll = self.uniform(0, 1000);
        if roll < 750 {
            let scope = if derived {
                self.schedule_in(2, 24 * 4, Next::Reply { app, bdc: true });
                None
            } else {
                self.close_app(app);
                Some(self.grant(app, which))
            };
            let scope = scope.or_else(|| Some(Scope::default()));
            EventKind::Reply {
                certificate: None,
                reason_code: None,
                approved_by_head: None,
                application,
                by,
                outcome: ReplyOutcome::Approve,
                reason: None,
                scope,
            }
        } else {
            let reason = (roll >= 752).then(|| s("涉及個人隱私，超出申請用途所需"));
            if self.chance(600) {
                self.schedule_in(
                    12,
                    24 * 3,
                    Next::Escalate {
                        app,
                        to_office: false,
                    },
                );
            } else {
                self.close_app(app);
            }
            EventKind::Reply {
                certificate: None,
                reason_code: None,
                approved_by_head: None,
                application,
                by,
                outcome: ReplyOutcome::Refuse,
                reason,
                scope: None,
            }
        }
    }

    fn apply(&mut self) -> EventKind {
        self.next_app += 1;
        let app = self.next_app;
        let which = usize::try_from(self.next_u64() % APPLICATIONS.len() as u64).unwrap_or(0);
        let (department, resource, purpose) = APPLICATIONS
            .get(which)
            .copied()
            .unwrap_or(FIRST_APPLICATION);
        self.apps.push(App { id: app, which });
        if resource.starts_with("public-security.criminal") {
            // Not shared: coordination by the Big Data Center directly.
            self.schedule_in(24, 24 * 8, Next::Coordinate { app, office: false });
        } else {
            // Usually within the 5 working days; one in twelve well after.
            let hours = if self.chance(85) {
                (24 * 9, 24 * 20)
            } else {
                (2, 24 * 5)
            };
            self.schedule_in(hours.0, hours.1, Next::Reply { app, bdc: false });
        }
        EventKind::Apply {
            certificate: None,
            basis: None,
            scenario: None,
            until: None,
            approved_by_head: None,
            application: format!("sq-{app}"),
            department: s(department),
            resource: s(resource),
            purpose: s(purpose),
            fields: None,
            methods: None,
        }
    }

    /// A usage under a grant in force, naming it; the grants that ended move to a
    /// short list of ended ones.
    fn granted_usage(&mut self) -> Option<EventKind> {
        let now = self.now;
        while !self.held.is_empty() {
            let n = u64::try_from(self.held.len()).ok()?;
            let i = usize::try_from(self.next_u64() % n).ok()?;
            let h = self.held.get(i)?.clone();
            if h.until > now {
                let (department, resource, purpose) = APPLICATIONS.get(h.which).copied()?;
                return Some(EventKind::Usage {
                    department: s(department),
                    resource: s(resource),
                    purpose: s(purpose),
                    grant: Some(h.id),
                });
            }
            let h = self.held.swap_remove(i);
            self.ended.push_back(h);
            if self.ended.len() > 64 {
                self.ended.pop_front();
            }
        }
        None
    }

    fn direct_usage(&mut self) -> EventKind {
        let (department, resource, purpose) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
        EventKind::Usage {
            department: s(department),
            resource: s(resource),
            purpose: s(purpose),
            grant: None,
        }
    }

    fn background(&mut self) -> EventKind {
        let roll = self.uniform(0, 10_000);
        match roll {
            0..50 => self.apply(),
            50..65 => {
                let department = self.uniform(0, CATALOG_DEPARTMENTS.len() as i64);
                let department = usize::try_from(department).unwrap_or(0);
                // Due in 15 working days; one in ten is late.
                let hours = if self.chance(100) {
                    (24 * 30, 24 * 45)
                } else {
                    (24, 24 * 18)
                };
                self.schedule_in(hours.0, hours.1, Next::CatalogUpdated { department });
                let name = s(CATALOG_DEPARTMENTS
                    .get(department)
                    .copied()
                    .unwrap_or_default());
                if roll < 58 {
                    EventKind::LawRevised {
                        rank: None,
                        department: name,
                        reference: None,
                    }
                } else {
                    EventKind::FunctionChanged {
                        department: name,
                        reference: None,
                    }
                }
            }
            65..72 => {
                let department =
                    usize::try_from(self.uniform(0, CATALOG_DEPARTMENTS.len() as i64)).unwrap_or(0);
                // Updated and filed at once; now and then a few days late.
                let hours = if self.chance(150) {
                    (24 * 3, 24 * 9)
                } else {
                    (1, 6)
                };
                let at = self.after_days(hours.0, hours.1);
                self.schedule(at, Next::CatalogUpdated { department });
                self.schedule(
                    at + Duration::minutes(30),
                    Next::CatalogFiled { department },
                );
                EventKind::CollectionScopeChanged {
                    department: s(CATALOG_DEPARTMENTS
                        .get(department)
                        .copied()
                        .unwrap_or_default()),
                    reference: None,
                }
            }
            72..100 => {
                let resource =
                    usize::try_from(self.uniform(0, RESOURCES.len() as i64)).unwrap_or(0);
                if let Some(r) = self.resolving.get_mut(resource)
                    && !*r
                {
                    *r = true;
                    // Within the update limit mostly; now and then late.
                    self.schedule_in(4, 24 * 9, Next::Resolved { resource });
                }
                let (department, _, _) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
                EventKind::InconsistencyReported {
                    subject: None,
                    resource: s(RESOURCES.get(resource).map_or("", |r| r.0)),
                    by: s(department),
                    detail: None,
                }
            }
            100..110 => {
                let (department, resource, _) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
                EventKind::SubmissionRequired {
                    department: s(department),
                    resource: s(resource),
                }
            }
            110..120 => {
                // A purpose outside the department's duties.
                let (department, resource, _) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
                EventKind::Usage {
                    department: s(department),
                    resource: s(resource),
                    purpose: s("tax-collection"),
                    grant: None,
                }
            }
            120..140 => {
                // Under a grant that has ended.
                let ended = self.ended.len();
                let i = usize::try_from(self.uniform(0, ended.max(1) as i64)).unwrap_or(0);
                match self.ended.get(i).cloned() {
                    Some(h) => {
                        let (department, resource, purpose) = APPLICATIONS
                            .get(h.which)
                            .copied()
                            .unwrap_or(FIRST_APPLICATION);
                        EventKind::Usage {
                            department: s(department),
                            resource: s(resource),
                            purpose: s(purpose),
                            grant: Some(h.id),
                        }
                    }
                    None => self.direct_usage(),
                }
            }
            140..145 => {
                let resource = self.pick(&RESOURCES).map_or("", |r| r.0);
                EventKind::DataRejected {
                    by: None,
                    resource: s(resource),
                    reason: s("字段格式不符合規範"),
                }
            }
            145..147 => {
                let (department, resource, _) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
                EventKind::Disclosure {
                    department: s(department),
                    resource: s(resource),
                    to: s("某商業公司"),
                }
            }
            147 => {
                let (department, resource, _) = self.pick(&DIRECT).unwrap_or(FIRST_DIRECT);
                EventKind::Leak {
                    department: s(department),
                    resource: s(resource),
                    criminal: false,
                }
            }
            148..7_500 => match self.granted_usage() {
                Some(kind) => kind,
                None => self.direct_usage(),
            },
            _ => self.direct_usage(),
        }
    }
}

impl Iterator for Log {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        let due = self.queue.peek().map(|Reverse((t, _, _))| *t);
        let kind = match due {
            Some(t) if t <= self.next_background.timestamp() => {
                let Reverse((_, _, next)) = self.queue.pop()?;
                self.now = DateTime::from_timestamp(t, 0)?.with_timezone(&self.now.timezone());
                self.followup(next)
            }
            _ => {
                self.now = self.next_background;
                // About one event every 40 seconds, day and night.
                let gap = self.uniform(1, 80);
                self.next_background = self.now + Duration::seconds(gap);
                self.background()
            }
        };
        self.emitted += 1;
        let id = self.explicit_ids.then(|| format!("ev-{}", self.emitted));
        Some(Event {
            id,
            at: self.now,
            kind,
        })
    }
}

/// Resident memory of this process now and at its peak (`VmRSS`, `VmHWM`), in kB
/// (Linux; 0 where unknown).
pub fn rss_kb() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak resident memory (`VmHWM`) to the current one (Linux ≥ 4.0:
/// `5` in `/proc/self/clear_refs`); false when the system does not allow it.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
