//! The streaming auditor.

use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, FixedOffset, Months, NaiveDate};

use super::violation::{Category, Consequence, Severity, Violation};
use crate::calendar::china_date;
use crate::policy::{AccessRequest, Answer, Decision, Effect, Engine, SeveritySettings};
use crate::registry::{Method, Resource};
use crate::workflow::{
    ApplicationState, Event, EventKind, Ledger, ObligationKind, ObligationState,
};

type Time = DateTime<FixedOffset>;

/// A finding before its severity is known (severity depends on what came before).
#[derive(Debug, Clone)]
struct Draft {
    seq: u64,
    category: Category,
    department: String,
    due: Option<NaiveDate>,
    events: Vec<String>,
    basis: Vec<String>,
    occurred: NaiveDate,
    resource: Option<String>,
    application: Option<String>,
    late_workdays: Option<i64>,
    sensitive: bool,
    extra: Vec<Consequence>,
    detail_zh: String,
    detail_en: String,
}

/// Classifies violations over an event log, as of a moment (SPEC §5).
///
/// Streams: [`Auditor::push`] one event at a time, then [`Auditor::finish`]. Memory
/// grows with what is open (applications, obligations) and with the findings, not
/// with the length of the log. Events after `as_of` are ignored.
///
/// Purpose checks (`purpose_violation`) ask the engine, at the moment of the usage,
/// whether the department could get the resource for that purpose, with its own
/// registered certificate serial and the resource's own network (so only purpose and
/// grant matter): the usage is taken as a use of the whole resource, or, when the
/// department holds grants on it, as a use within one of them (its fields and first
/// method). A deny whose reasons include anything beyond Art. 26 (certificate) and
/// Art. 8 (network) is a violation.
#[derive(Debug)]
pub struct Auditor {
    ledger: Ledger,
    as_of: Time,
    as_of_day: NaiveDate,
    settings: SeveritySettings,
    drafts: Vec<Draft>,
    seq: u64,
    pushed: u64,
    cache: HashMap<CacheKey, Cached>,
}

/// A usage or submission check: department, resource, purpose (empty for Art. 13)
/// and named grant.
type CacheKey = (String, String, String, Option<String>);

/// A cached verdict, valid for moments in `[lo, hi)` at one snapshot generation: the
/// engine's answer depends on the moment only through the certificate's validity,
/// the pair's grants' validity and the pack's validity, none of which changes inside
/// that interval.
#[derive(Debug, Clone)]
struct Cached {
    lo: Time,
    hi: Time,
    generation: u64,
    verdict: Option<Verdict>,
}

#[derive(Debug, Clone)]
enum Verdict {
    Deny(Decision),
    Answer(Answer),
}

/// The bounded cache is cleared when it grows past this many entries.
const CACHE_LIMIT: usize = 65_536;

/// The interval around `at` inside which nothing the engine reads about time
/// changes for this department and resource.
fn stable_interval(engine: &Engine, department: &str, resource: &str, at: Time) -> (Time, Time) {
    let reg = engine.registry();
    let mut bounds: Vec<Time> = Vec::new();
    for c in reg
        .department(department)
        .map(|d| d.certificates.as_slice())
        .unwrap_or_default()
    {
        bounds.extend([c.not_before, c.not_after]);
    }
    for g in reg.grants_for(department, resource) {
        bounds.push(g.from);
        bounds.extend(g.until);
    }
    let m = engine.pack().manifest();
    for day in [Some(m.valid_from), m.valid_until.succ_opt()]
        .into_iter()
        .flatten()
    {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Both China and UTC midnights: extra bounds only shorten the interval.
        for offset in [
            crate::calendar::CHINA_OFFSET,
            FixedOffset::east_opt(0).unwrap_or(crate::calendar::CHINA_OFFSET),
        ] {
            if let Some(t) = midnight.and_local_timezone(offset).single() {
                bounds.push(t);
            }
        }
    }
    let mut lo = DateTime::<FixedOffset>::MIN_UTC.fixed_offset();
    let mut hi = DateTime::<FixedOffset>::MAX_UTC.fixed_offset();
    for b in bounds {
        if b <= at {
            lo = lo.max(b);
        } else {
            hi = hi.min(b);
        }
    }
    (lo, hi)
}

/// Audits `events` as of `as_of` with `engine`'s pack and registry. A rejected event
/// (one the lenient ledger cannot apply: unknown ids, wrong state, wrong actor) is an
/// error naming it.
pub fn audit<I>(engine: Engine, events: I, as_of: Time) -> Result<Vec<Violation>, crate::Error>
where
    I: IntoIterator,
    I::Item: Borrow<Event>,
{
    let mut auditor = Auditor::new(engine, as_of);
    for e in events {
        auditor.push(e.borrow())?;
    }
    Ok(auditor.finish())
}

fn dept_name(engine: &Engine, id: &str) -> String {
    engine
        .registry()
        .department(id)
        .map_or_else(|| id.to_owned(), |d| d.name.clone())
}

impl Auditor {
    /// An auditor over `engine`'s pack and registry, as of `as_of`.
    pub fn new(engine: Engine, as_of: Time) -> Self {
        let settings = engine.pack().manifest().severity.clone();
        Self {
            ledger: Ledger::lenient(engine),
            as_of,
            as_of_day: china_date(as_of),
            settings,
            drafts: Vec::new(),
            seq: 0,
            pushed: 0,
            cache: HashMap::new(),
        }
    }

    /// The moment of the audit.
    pub fn as_of(&self) -> Time {
        self.as_of
    }

    /// Counts a log entry that could not be parsed, so that later events without an
    /// id still get their position in the log as their id.
    pub fn skip_entry(&mut self) {
        self.ledger.skip_entry();
    }

    /// The audit's ledger (lenient), for its state.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the finding"
    )]
    fn add(
        &mut self,
        category: Category,
        department: &str,
        events: Vec<String>,
        basis: &[&str],
        occurred: NaiveDate,
        resource: Option<&str>,
        sensitive: bool,
        detail: (String, String),
    ) -> &mut Draft {
        self.seq += 1;
        self.drafts.push(Draft {
            seq: self.seq,
            category,
            department: department.to_owned(),
            due: None,
            events,
            basis: basis.iter().map(|s| (*s).to_owned()).collect(),
            occurred,
            resource: resource.map(str::to_owned),
            application: None,
            late_workdays: None,
            sensitive,
            extra: Vec::new(),
            detail_zh: detail.0,
            detail_en: detail.1,
        });
        let i = self.drafts.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.drafts[i]
    }

    fn late_obligation(&mut self, o: &ObligationState, still_open: bool) {
        let (category, zh_what, en_what) = match o.kind {
            ObligationKind::CatalogUpdate => (
                Category::CatalogNotUpdated,
                "更新政務信息資源目錄",
                "update its catalog",
            ),
            ObligationKind::CatalogFiling => (
                Category::CatalogNotFiled,
                "向市大數據中心備案目錄",
                "file its catalog with the Big Data Center",
            ),
            ObligationKind::DataProvision => (
                Category::DataNotProvided,
                "向共享平台提供更新數據",
                "provide updated data to the platform",
            ),
            ObligationKind::InconsistencyCorrection => (
                Category::DataInconsistent,
                "校核更正被反饋的不一致數據",
                "correct the reported inconsistent data",
            ),
        };
        let Some(due) = o.due else { return };
        let n = o.late_workdays.unwrap_or(0);
        let res = o
            .resource
            .as_deref()
            .map(|r| format!("（{r}）"))
            .unwrap_or_default();
        let res_en = o
            .resource
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let detail = if still_open {
            (
                format!(
                    "：應於{due}前{zh_what}{res}（第{}條），截至{}仍未完成，逾期{n}個工作日",
                    zh_article(&o.article),
                    self.as_of_day
                ),
                format!(
                    ": had to {en_what}{res_en} by {due} (Art. {}); still not done on {}, {}",
                    o.article,
                    self.as_of_day,
                    days(n)
                ),
            )
        } else {
            let done = o
                .fulfilled
                .map(china_date)
                .map(|d| d.to_string())
                .unwrap_or_default();
            (
                format!(
                    "：應於{due}前{zh_what}{res}（第{}條），{done}方完成，逾期{n}個工作日",
                    zh_article(&o.article)
                ),
                format!(
                    ": had to {en_what}{res_en} by {due} (Art. {}); done on {done}, {}",
                    o.article,
                    days(n)
                ),
            )
        };
        let basis: Vec<&str> = match o.kind {
            ObligationKind::DataProvision => vec![o.article.as_str(), "14"],
            _ => vec![o.article.as_str()],
        };
        let occurred = due.succ_opt().unwrap_or(due);
        let d = self.add(
            category,
            &o.department,
            o.events.clone(),
            &basis,
            occurred,
            o.resource.as_deref(),
            false,
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        if category == Category::DataNotProvided {
            d.extra.push(Consequence::RestrictDerivedAccess);
        }
    }

    fn late_reply(&mut self, a: &ApplicationState, reply_event: Option<&str>) {
        let Some(due) = a.reply_due else { return };
        let n = a.reply_late_workdays.unwrap_or(0);
        let mut events: Vec<String> = a.events.first().cloned().into_iter().collect();
        events.extend(reply_event.map(str::to_owned));
        let applicant = dept_name(self.ledger.base_engine(), &a.department);
        let detail = match a.replied {
            Some(t) => (
                format!(
                    "：對{}的申請{}（{}）應於{due}前答覆（第十七條），{}方答覆，逾期{n}個工作日",
                    applicant,
                    a.id,
                    a.resource,
                    china_date(t)
                ),
                format!(
                    ": the reply to {}'s application {} ({}) was due by {due} (Art. 17); replied on {}, {}",
                    a.department,
                    a.id,
                    a.resource,
                    china_date(t),
                    days(n)
                ),
            ),
            None => (
                format!(
                    "：對{}的申請{}（{}）應於{due}前答覆（第十七條），截至{}仍未答覆，逾期{n}個工作日",
                    applicant, a.id, a.resource, self.as_of_day
                ),
                format!(
                    ": the reply to {}'s application {} ({}) was due by {due} (Art. 17); no reply by {}, {}",
                    a.department,
                    a.id,
                    a.resource,
                    self.as_of_day,
                    days(n)
                ),
            ),
        };
        let occurred = due.succ_opt().unwrap_or(due);
        let d = self.add(
            Category::ReplyOverdue,
            &a.provider,
            events,
            &["17"],
            occurred,
            Some(&a.resource),
            false,
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        d.application = Some(a.id.clone());
    }

    /// Feeds one event. Events after `as_of` are counted (for positional ids) and
    /// ignored. An event the lenient ledger rejects is an error naming it; the audit
    /// can go on without it.
    pub fn push(&mut self, event: &Event) -> Result<(), crate::Error> {
        if event.at > self.as_of {
            self.ledger.skip_entry();
            return Ok(());
        }
        let applied = self.ledger.apply(event)?;
        let id = applied.event.clone();
        let day = china_date(event.at);
        for irr in &applied.irregularities {
            let detail = (
                format!(
                    "：拒絕申請{}未說明理由（第十七條）",
                    irr.application.as_deref().unwrap_or("")
                ),
                format!(
                    ": refused application {} without a reason (Art. 17)",
                    irr.application.as_deref().unwrap_or("")
                ),
            );
            let app_events: Vec<String> = applied
                .application
                .as_ref()
                .and_then(|a| a.events.first().cloned())
                .into_iter()
                .chain([id.clone()])
                .collect();
            let resource = applied.application.as_ref().map(|a| a.resource.clone());
            let d = self.add(
                Category::RefusalWithoutReason,
                &irr.department,
                app_events,
                &["17"],
                day,
                resource.as_deref(),
                false,
                detail,
            );
            d.application.clone_from(&irr.application);
        }
        if let (EventKind::Reply { .. }, Some(a)) = (&event.kind, &applied.application)
            && a.replied == Some(event.at)
            && a.reply_late
        {
            let a = a.clone();
            self.late_reply(&a, Some(&id));
        }
        for o in &applied.closed {
            if o.late {
                self.late_obligation(o, false);
            }
        }
        match &event.kind {
            EventKind::DataRejected { resource, reason } => {
                let provider = self
                    .resource(resource)
                    .map(|r| r.provider.clone())
                    .unwrap_or_default();
                let detail = (
                    format!("：提供的數據（{resource}）不符合規範、無法使用：{reason}"),
                    format!(": data provided for {resource} is unusable: {reason}"),
                );
                self.add(
                    Category::DataUnusable,
                    &provider,
                    vec![id],
                    &["18"],
                    day,
                    Some(resource),
                    false,
                    detail,
                );
            }
            EventKind::Usage {
                department,
                resource,
                purpose,
                grant,
            } => self.check_usage(
                &id,
                event.at,
                department,
                resource,
                purpose,
                grant.as_deref(),
            ),
            EventKind::Disclosure {
                department,
                resource,
                to,
            } => {
                let sensitive = self.sensitive(resource);
                let detail = (
                    format!("：未經許可向{to}擴散共享信息（{resource}）（第二十三條）"),
                    format!(
                        ": disclosed shared data ({resource}) to {to} without authorisation (Art. 23)"
                    ),
                );
                self.add(
                    Category::UnauthorizedDisclosure,
                    department,
                    vec![id.clone()],
                    &["23", "19"],
                    day,
                    Some(resource),
                    sensitive,
                    detail,
                );
                if sensitive {
                    self.breach(&id, day, department, resource, false, Some(to));
                }
            }
            EventKind::Leak {
                department,
                resource,
                criminal,
            } => {
                if self.sensitive(resource) {
                    self.breach(&id, day, department, resource, *criminal, None);
                } else {
                    let detail = (
                        format!("：共享信息（{resource}）泄露（第二十三條）"),
                        format!(": shared data ({resource}) leaked (Art. 23)"),
                    );
                    let d = self.add(
                        Category::UnauthorizedDisclosure,
                        department,
                        vec![id],
                        &["23", "24"],
                        day,
                        Some(resource),
                        false,
                        detail,
                    );
                    if *criminal {
                        d.extra.push(Consequence::CriminalReferral);
                    }
                }
            }
            EventKind::SubmissionRequired {
                department,
                resource,
            } => self.check_submission(&id, event.at, department, resource),
            EventKind::ProjectSubmitted {
                project,
                department,
                catalog: false,
            } => {
                let detail = (
                    format!("：項目{project}立項申請前未預編項目信息資源目錄（第二十八條）"),
                    format!(
                        ": project {project} was submitted without its information-resource catalog (Art. 28)"
                    ),
                );
                let d = self.add(
                    Category::ProjectWithoutCatalog,
                    department,
                    vec![id],
                    &["28"],
                    day,
                    None,
                    false,
                    detail,
                );
                d.extra.push(Consequence::ApprovalRefused);
            }
            EventKind::ProjectAccepted {
                project,
                department,
                catalog_in_platform: false,
            } => {
                let detail = (
                    format!(
                        "：項目{project}驗收時其信息資源目錄未納入共享平台目錄管理系統（第二十八條）"
                    ),
                    format!(
                        ": project {project} was accepted without its catalog in the platform (Art. 28)"
                    ),
                );
                let d = self.add(
                    Category::ProjectWithoutCatalog,
                    department,
                    vec![id],
                    &["28"],
                    day,
                    None,
                    false,
                    detail,
                );
                d.extra.push(Consequence::FundingWithheld);
            }
            _ => {}
        }
        self.ledger.forget_closed();
        self.pushed += 1;
        if self.pushed.is_multiple_of(4096) {
            self.ledger.prune_expired_grants(event.at);
        }
        Ok(())
    }

    fn resource(&self, id: &str) -> Option<&Resource> {
        self.ledger_engine().registry().resource(id)
    }

    fn ledger_engine(&self) -> &Engine {
        self.ledger.base_engine()
    }

    fn sensitive(&self, resource: &str) -> bool {
        self.resource(resource)
            .is_some_and(|r| !r.sensitivity.is_empty())
    }

    fn breach(
        &mut self,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        criminal: bool,
        to: Option<&str>,
    ) {
        let marks: Vec<String> = self
            .resource(resource)
            .map(|r| {
                r.sensitivity
                    .iter()
                    .filter_map(|s| serde_json::to_value(s).ok())
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let marks = marks.join(", ");
        let detail = match to {
            Some(to) => (
                format!(
                    "：向{to}擴散涉及國家秘密、商業秘密或個人隱私的共享信息（{resource}：{marks}）（第三十一條）"
                ),
                format!(
                    ": disclosed sensitive shared data ({resource}: {marks}) to {to} (Art. 31)"
                ),
            ),
            None => (
                format!(
                    "：造成涉及國家秘密、商業秘密或個人隱私的共享信息（{resource}：{marks}）泄漏（第三十一條）{}",
                    if criminal { "，涉嫌犯罪" } else { "" }
                ),
                format!(
                    ": sensitive shared data ({resource}: {marks}) leaked (Art. 31){}",
                    if criminal { ", a suspected crime" } else { "" }
                ),
            ),
        };
        let d = self.add(
            Category::SensitiveDataBreach,
            department,
            vec![id.to_owned()],
            &["31", "23"],
            day,
            Some(resource),
            true,
            detail,
        );
        if criminal {
            d.extra.push(Consequence::CriminalReferral);
        }
    }

    fn check_usage(
        &mut self,
        id: &str,
        at: Time,
        department: &str,
        resource: &str,
        purpose: &str,
        grant: Option<&str>,
    ) {
        let key = (
            department.to_owned(),
            resource.to_owned(),
            purpose.to_owned(),
            grant.map(str::to_owned),
        );
        let verdict = self.cached(key, at, |engine| {
            usage_denied(engine, department, resource, purpose, grant, at).map(Verdict::Deny)
        });
        let Some(Verdict::Deny(deny)) = verdict else {
            return;
        };
        let sensitive = self.sensitive(resource);
        let why: Vec<String> = deny
            .reasons
            .iter()
            .map(|r| format!("{}（第{}條）", r.zh, r.article))
            .collect();
        let why_en: Vec<String> = deny
            .reasons
            .iter()
            .map(|r| format!("{} (Art. {})", r.en, r.article))
            .collect();
        let detail = (
            format!(
                "：為「{purpose}」使用{resource}超出履職需要或授權範圍：{}",
                why.join("；")
            ),
            format!(
                ": used {resource} for `{purpose}` outside its duties or grant: {}",
                why_en.join("; ")
            ),
        );
        let mut basis: Vec<String> = vec!["19".to_owned(), "23".to_owned()];
        for c in &deny.citations {
            if !basis.contains(c) {
                basis.push(c.clone());
            }
        }
        let basis_ref: Vec<&str> = basis.iter().map(String::as_str).collect();
        self.add(
            Category::PurposeViolation,
            department,
            vec![id.to_owned()],
            &basis_ref,
            china_date(at),
            Some(resource),
            sensitive,
            detail,
        );
    }

    /// The verdict for `key` at `at`, from the cache when still valid, else computed
    /// with an engine that holds every grant on the pair.
    fn cached(
        &mut self,
        key: CacheKey,
        at: Time,
        compute: impl FnOnce(&Engine) -> Option<Verdict>,
    ) -> Option<Verdict> {
        let engine = self.ledger.engine_for(&key.0, &key.1).clone();
        let generation = self.ledger.generation();
        if let Some(c) = self.cache.get(&key)
            && c.generation == generation
            && c.lo <= at
            && at < c.hi
        {
            return c.verdict.clone();
        }
        let verdict = compute(&engine);
        let (lo, hi) = stable_interval(&engine, &key.0, &key.1, at);
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(
            key,
            Cached {
                lo,
                hi,
                generation,
                verdict: verdict.clone(),
            },
        );
        verdict
    }

    fn check_submission(&mut self, id: &str, at: Time, department: &str, resource: &str) {
        let key = (
            department.to_owned(),
            resource.to_owned(),
            String::new(),
            None,
        );
        let verdict = self.cached(key, at, |engine| {
            obtainable(engine, department, resource, at).map(Verdict::Answer)
        });
        let Some(Verdict::Answer(answer)) = verdict else {
            return;
        };
        let basis: Vec<&str> = answer.citations.iter().map(String::as_str).collect();
        let detail = (
            format!("：要求辦事人重複提交共享平台可獲取的信息（{resource}）（第十三條）"),
            format!(
                ": required a person or company to submit {resource}, which it can get through the platform (Art. 13)"
            ),
        );
        self.add(
            Category::DuplicateCollection,
            department,
            vec![id.to_owned()],
            &basis,
            china_date(at),
            Some(resource),
            false,
            detail,
        );
    }

    /// Ends the audit: overdue replies and obligations still open at `as_of`, then the
    /// severity and consequences of every finding, ordered by when it happened.
    pub fn finish(mut self) -> Vec<Violation> {
        let (apps, obligations) = self.ledger.open_items(self.as_of);
        for a in &apps {
            if a.replied.is_none() && a.reply_late {
                self.late_reply(a, None);
            }
        }
        for o in &obligations {
            if o.late {
                self.late_obligation(o, true);
            }
        }
        let mut drafts = std::mem::take(&mut self.drafts);
        drafts.sort_by_key(|d| (d.occurred, d.seq));
        let engine = self.ledger.base_engine().clone();
        let mut history: HashMap<(String, Category), VecDeque<NaiveDate>> = HashMap::new();
        let s = &self.settings;
        drafts
            .into_iter()
            .map(|d| {
                let window = history
                    .entry((d.department.clone(), d.category))
                    .or_default();
                let since = d
                    .occurred
                    .checked_sub_months(Months::new(s.repeat_window_months))
                    .unwrap_or(NaiveDate::MIN);
                while window.front().is_some_and(|&t| t <= since) {
                    window.pop_front();
                }
                window.push_back(d.occurred);
                let mut because = Vec::new();
                if d.late_workdays
                    .is_some_and(|n| n > i64::from(s.lateness_workdays))
                {
                    because.push("lateness".to_owned());
                }
                if s.repeat_count > 0 && window.len() >= s.repeat_count as usize {
                    because.push("repeat".to_owned());
                }
                if d.sensitive && s.sensitive_is_serious {
                    because.push("sensitive".to_owned());
                }
                // Only the last `repeat_count` findings matter for the next count.
                while window.len() > s.repeat_count.max(1) as usize {
                    window.pop_front();
                }
                let severity = if because.is_empty() {
                    Severity::Ordinary
                } else {
                    Severity::Serious
                };
                finish_one(&engine, d, severity, because)
            })
            .collect()
    }
}

fn finish_one(engine: &Engine, d: Draft, severity: Severity, because: Vec<String>) -> Violation {
    let mut consequences = Vec::new();
    match d.category {
        Category::SensitiveDataBreach => consequences.push(Consequence::LegalReferral),
        Category::ProjectWithoutCatalog => {}
        _ => {
            consequences.push(Consequence::UrgeCorrection);
            if severity == Severity::Serious {
                consequences.push(Consequence::DisciplinaryReferral);
            }
        }
    }
    for c in d.extra {
        if !consequences.contains(&c) {
            consequences.push(c);
        }
    }
    let name = dept_name(engine, &d.department);
    let zh = format!("{name}{}", d.detail_zh);
    let en = format!("{}{}", d.department, d.detail_en);
    Violation {
        category: d.category,
        article: d.category.article().to_owned(),
        department: d.department,
        severity,
        consequences,
        due: d.due,
        events: d.events,
        zh,
        en,
        basis: d.basis,
        occurred: d.occurred,
        resource: d.resource,
        application: d.application,
        late_workdays: d.late_workdays,
        serious_because: because,
    }
}

/// "1 working day late", "3 working days late".
fn days(n: i64) -> String {
    if n == 1 {
        "1 working day late".to_owned()
    } else {
        format!("{n} working days late")
    }
}

/// The Chinese numeral of an obligation's article (十一, 十六, 十八, 二十一).
fn zh_article(article: &str) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let Ok(n) = article.parse::<usize>() else {
        return article.to_owned();
    };
    let digit = |d: usize| DIGITS.get(d).copied().unwrap_or("");
    match (n / 10, n % 10) {
        (0, u) => digit(u).to_owned(),
        (1, 0) => "十".to_owned(),
        (1, u) => format!("十{}", digit(u)),
        (t, 0) => format!("{}十", digit(t)),
        (t, u) => format!("{}十{}", digit(t), digit(u)),
    }
}

/// Articles that concern the request's form rather than its purpose or grant.
const FORM_ARTICLES: [&str; 3] = ["26", "8", "33"];

fn request(
    engine: &Engine,
    department: &str,
    resource: &Resource,
    purpose: &str,
    fields: Option<Vec<String>>,
    method: Method,
    at: Time,
) -> AccessRequest {
    let certificate = engine
        .registry()
        .department(department)
        .and_then(|d| d.valid_certificate(at).or_else(|| d.certificates.first()))
        .map(|c| c.serial.clone())
        .unwrap_or_default();
    AccessRequest {
        department: department.to_owned(),
        resource: resource.id.clone(),
        method,
        purpose: purpose.to_owned(),
        fields,
        network: resource.network,
        certificate,
        at,
    }
}

fn decide(engine: &Engine, req: &AccessRequest) -> Option<Decision> {
    engine.decide(req).ok()
}

/// The requests that stand for a usage: the whole resource, and one per grant the
/// department holds on it (or only the named grant), within that grant's scope.
fn usage_requests(
    engine: &Engine,
    department: &str,
    resource: &Resource,
    purpose: &str,
    grant: Option<&str>,
    at: Time,
) -> Vec<AccessRequest> {
    let mut out = vec![request(
        engine,
        department,
        resource,
        purpose,
        None,
        Method::OnlineQuery,
        at,
    )];
    let reg = engine.registry();
    let grants: Vec<_> = match grant.and_then(|g| reg.grant(g)) {
        Some(g) if g.department == department && g.resource == resource.id => vec![g],
        Some(_) => Vec::new(),
        None => reg.grants_for(department, &resource.id).collect(),
    };
    for g in grants {
        let fields = if g.fields.is_empty() {
            None
        } else {
            Some(g.fields.clone())
        };
        let method = g.methods.first().copied().unwrap_or(Method::OnlineQuery);
        out.push(request(
            engine, department, resource, purpose, fields, method, at,
        ));
    }
    out
}

/// The deny behind a usage that violates purpose or grant, if it does.
fn usage_denied(
    engine: &Engine,
    department: &str,
    resource: &str,
    purpose: &str,
    grant: Option<&str>,
    at: Time,
) -> Option<Decision> {
    let res = engine.registry().resource(resource)?;
    let mut first_deny = None;
    for req in usage_requests(engine, department, res, purpose, grant, at) {
        let d = decide(engine, &req)?;
        if d.decision == Effect::Permit {
            return None;
        }
        first_deny.get_or_insert(d);
    }
    let deny = first_deny?;
    let substantive = deny
        .reasons
        .iter()
        .any(|r| !FORM_ARTICLES.contains(&r.article.as_str()))
        || (deny.reasons.is_empty()
            && deny
                .citations
                .iter()
                .any(|c| !FORM_ARTICLES.contains(&c.as_str())));
    substantive.then_some(deny)
}

/// Art. 13: the engine's answer, when the department may not require the item
/// (it can get it through the platform); `None` when it may, or when the engine
/// cannot answer (a moment outside the pack's validity).
fn obtainable(engine: &Engine, department: &str, resource: &str, at: Time) -> Option<Answer> {
    engine
        .may_require_submission(department, resource, at)
        .ok()
        .filter(|a| !a.allowed)
}
