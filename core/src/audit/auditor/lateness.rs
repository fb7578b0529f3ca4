//! Late duties, replies and consents (SPEC v2 §4, §5): the due date, the lateness
//! counted up to the earliest of the act, `as_of` and the pack's last day, and who
//! answers for it.

use chrono::NaiveDate;

use super::texts::{self, days, zh_citation};
use super::{Auditor, Time, dept_name};
use crate::audit::{Category, Consequence};
use crate::calendar::china_date;
use crate::registry::Role;
use crate::workflow::{ApplicationState, ApplicationStatus, ObligationKind, ObligationState};

impl Auditor {
    /// Working days from `due` to `day`, counting no further than the pack's last
    /// day (SPEC v2 §4 Validity); `given` is the ledger's count up to `day`.
    fn lateness(&self, due: NaiveDate, day: NaiveDate, given: Option<i64>) -> i64 {
        let last = self.manifest.valid_until;
        let end = day.min(last);
        if end == day
            && let Some(n) = given
        {
            return n;
        }
        if end <= due {
            return 0;
        }
        self.ledger
            .calendar()
            .workdays_between(due, end)
            .ok()
            .or(given)
            .unwrap_or(0)
    }

    /// A duty that was (or still is) late: its category follows its kind.
    pub(super) fn late_obligation(&mut self, o: &ObligationState, still_open: bool) {
        if self.not_judged(o, !still_open) || !o.late {
            return;
        }
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
            ObligationKind::FirstProvision => (
                Category::DataNotProvided,
                "向共享平台首次提供數據",
                "provide the resource's data to the platform for the first time",
            ),
            ObligationKind::InconsistencyCorrection => (
                Category::DataInconsistent,
                "校核更正被反饋的不一致數據",
                "correct the reported inconsistent data",
            ),
            ObligationKind::IncidentReport => (
                Category::IncidentNotReported,
                "向主管部門報告安全問題",
                "report the incident",
            ),
            ObligationKind::DataDelivery => (
                Category::DeliveryOverdue,
                "向需求部門完成共享",
                "share the approved data with the requester",
            ),
            ObligationKind::CatalogReview => (
                Category::CatalogReviewOverdue,
                "審核並發布報送的政務數據目錄",
                "review and publish the submitted catalog",
            ),
            ObligationKind::Verification => (
                Category::VerificationOverdue,
                "核實、更正並反饋校核處理結果",
                "verify, correct and report back",
            ),
        };
        // A delay the sharing authority found justified is no violation
        // (`regional`: 無正當理由).
        if o.delay_justified.is_some() {
            return;
        }
        let Some(due) = o.due.or(o.due_at.map(china_date)) else {
            return;
        };
        // A duty falling due after its pack's last day ended without violation
        // (SPEC v2 §4 Validity), whatever the ledger says.
        if due > self.manifest.valid_until {
            return;
        }
        let end_day = match (still_open, o.fulfilled) {
            (false, Some(t)) => china_date(t).min(self.as_of_day),
            _ => self.as_of_day,
        };
        let n = self.lateness(due, end_day, o.late_workdays);
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
                    "：應於{due}前{zh_what}{res}（{}），截至{}仍未完成，逾期{n}個工作日",
                    zh_citation(&o.article),
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
                    "：應於{due}前{zh_what}{res}（{}），{done}方完成，逾期{n}個工作日",
                    zh_citation(&o.article)
                ),
                format!(
                    ": had to {en_what}{res_en} by {due} (Art. {}); done on {done}, {}",
                    o.article,
                    days(n)
                ),
            )
        };
        // The pack's basis for the category; a category without one (a catalog)
        // rests on the duty's own articles (Art. 11 or 16).
        let own: Vec<String> = if o.basis.is_empty() {
            vec![o.article.clone()]
        } else {
            o.basis.clone()
        };
        let table_empty = self
            .manifest
            .category(category)
            .is_none_or(|s| s.basis.is_empty());
        let extra: Vec<&str> = if table_empty {
            own.iter().map(String::as_str).collect()
        } else {
            Vec::new()
        };
        let occurred = due.succ_opt().unwrap_or(due);
        let secret = category == Category::IncidentNotReported
            && o.resource.as_deref().is_some_and(|r| self.secret(r));
        let may_restrict = self
            .manifest
            .category(category)
            .is_some_and(|s| s.may_restrict);
        let is_provider = o
            .resource
            .as_deref()
            .and_then(|r| self.resource(r))
            .is_some_and(|r| r.provider == o.department);
        let provider_article = self
            .manifest
            .category(category)
            .and_then(|s| s.article_when_provider.clone())
            .filter(|_| is_provider);
        let d = self.add(
            category,
            &o.department,
            o.events.clone(),
            &extra,
            occurred,
            o.resource.as_deref(),
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        d.secret = secret;
        d.pack = Some(o.pack.clone());
        // A category whose article depends on the party (national: an incident
        // not reported is 40(7) for a requester, 39(9) for the provider).
        if let Some(article) = provider_article
            && let Some(first) = d.basis.first_mut()
        {
            *first = article;
        }
        if may_restrict {
            d.extra.push(Consequence::RestrictDerivedAccess);
        }
    }

    /// The department holding `role` (the first in the registry).
    fn holder(&self, role: Role) -> Option<String> {
        self.ledger
            .base_engine()
            .registry()
            .with_role(role)
            .next()
            .map(|d| d.id.clone())
    }

    fn is_consent_body(&self, department: &str) -> bool {
        self.manifest.applications.procedure == crate::policy::Procedure::Central
            && self
                .ledger
                .base_engine()
                .registry()
                .department(department)
                .is_some_and(|d| d.has_role(self.manifest.audit.consent_by))
    }

    /// A reply event: late when given after the reply limit. The provider answers
    /// for its reply; the Big Data Center for its consent to a derived application
    /// (a reading: Art. 21 sets no limit, the pack applies the reply limit).
    pub(super) fn late_reply_event(&mut self, a: &ApplicationState, by: &str, id: &str, at: Time) {
        let Some(due) = a.reply_due else { return };
        if a.delay_justified.is_some() {
            return;
        }
        let day = china_date(at);
        if day <= due || at < a.opened {
            return;
        }
        let consent = by != a.provider && self.is_consent_body(by);
        if !consent && by != a.provider {
            return;
        }
        let given = (!consent && a.replied == Some(at))
            .then_some(a.reply_late_workdays)
            .flatten();
        let n = self.lateness(due, day, given);
        self.reply_overdue(a, by, consent, Some(id), due, Some(day), n);
    }

    /// An application still waiting at `as_of` after its reply limit: the provider
    /// when its reply is missing; the consent body when a derived application waits
    /// for its consent (a reading).
    pub(super) fn late_reply_open(&mut self, a: &ApplicationState) {
        let Some(due) = a.reply_due else { return };
        if a.delay_justified.is_some() {
            return;
        }
        if self.as_of_day <= due {
            return;
        }
        let n = self.lateness(due, self.as_of_day, None);
        let missing = a.replied.is_none() && a.reply_late;
        if missing || a.status == ApplicationStatus::AwaitingProvider {
            let provider = a.provider.clone();
            let given = if missing {
                self.lateness(due, self.as_of_day, a.reply_late_workdays)
            } else {
                n
            };
            self.reply_overdue(a, &provider, false, None, due, None, given);
        }
        let central = self.manifest.applications.procedure == crate::policy::Procedure::Central;
        let waiting_consent = central
            && match a.status {
                ApplicationStatus::AwaitingBigDataCenter => true,
                ApplicationStatus::Pending => self.resource(&a.resource).is_some_and(|r| r.derived),
                _ => false,
            };
        if waiting_consent && let Some(body) = self.holder(self.manifest.audit.consent_by) {
            self.reply_overdue(a, &body, true, None, due, None, n);
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the finding"
    )]
    fn reply_overdue(
        &mut self,
        a: &ApplicationState,
        responsible: &str,
        consent: bool,
        reply_event: Option<&str>,
        due: NaiveDate,
        replied: Option<NaiveDate>,
        n: i64,
    ) {
        if due > self.manifest.valid_until {
            return;
        }
        let mut events: Vec<String> = a.events.first().cloned().into_iter().collect();
        events.extend(reply_event.map(str::to_owned));
        let applicant = dept_name(self.ledger.base_engine(), &a.department);
        let detail = texts::late_reply(
            &applicant,
            &a.department,
            &a.id,
            &a.resource,
            due,
            replied,
            self.as_of_day,
            n,
            consent,
        );
        let occurred = due.succ_opt().unwrap_or(due);
        let d = self.add(
            Category::ReplyOverdue,
            responsible,
            events,
            &[],
            occurred,
            Some(&a.resource),
            detail,
        );
        d.due = Some(due);
        d.late_workdays = Some(n);
        d.application = Some(a.id.clone());
        d.reading = consent;
        d.pack = Some(a.pack.clone());
    }
}
