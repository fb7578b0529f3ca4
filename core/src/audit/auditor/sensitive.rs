//! Disclosures and leaks (Art. 23, 31; SPEC v2 §5 Sensitive data). Art. 31
//! refers sensitive data to the law; it does not displace Art. 30.
//!
//! Reading: of the Art. 24 incidents (`leak`, `tampering`, `destruction`,
//! `intrusion`, `outage`) only a leak discloses data (Art. 23 擴散、泄露; Art. 31
//! 泄漏); the others open a report duty and are no breach by themselves.

use chrono::NaiveDate;

use super::texts;
use super::{Auditor, Draft};
use crate::audit::{Category, Consequence};

impl Auditor {
    fn marks(&self, resource: &str) -> String {
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
        marks.join(", ")
    }

    /// A non-sensitive resource published as open data (Art. 22): disclosing it
    /// discloses nothing.
    fn open_and_plain(&self, resource: &str) -> bool {
        self.resource(resource)
            .is_some_and(|r| r.open_data && r.sensitivity.is_empty())
    }

    /// Whether a disclosure or leak of `resource` is sensitive under the pack
    /// (its `sensitive_marks`; none listed: any mark).
    fn sensitive_leak(&self, resource: &str) -> bool {
        let marks = &self.manifest.audit.sensitive_marks;
        self.resource(resource).is_some_and(|r| {
            if marks.is_empty() {
                !r.sensitivity.is_empty()
            } else {
                r.sensitivity.iter().any(|s| marks.contains(s))
            }
        })
    }

    /// An incident under the `requester_duty` reading: the provider's own
    /// incident is no violation (its report duty is the ledger's); a
    /// requester's is `security_incident`, and a leak of a sensitive resource
    /// also cites the sensitive article with its consequence (and a criminal
    /// referral when marked).
    pub(super) fn incident(
        &mut self,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        criminal: bool,
        leak: bool,
    ) {
        let provider = self.resource(resource).map(|r| r.provider.clone());
        if provider.as_deref() == Some(department) || self.open_and_plain(resource) {
            return;
        }
        let sensitive = leak && self.sensitive_leak(resource);
        let detail = texts::incident(resource, leak);
        let d = self.add_exposure(
            Category::SecurityIncident,
            id,
            day,
            department,
            resource,
            detail,
            sensitive,
        );
        if sensitive && criminal {
            d.extra.push(Consequence::CriminalReferral);
        }
    }

    /// A violation of `category` that exposed `resource`; when the exposure is
    /// `sensitive`, it also cites the pack's sensitive article and carries its
    /// consequence (Binzhou: Art. 31, a legal referral).
    #[expect(
        clippy::too_many_arguments,
        reason = "the fields of one violation, as `add` takes them"
    )]
    fn add_exposure(
        &mut self,
        category: Category,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        detail: (String, String),
        sensitive: bool,
    ) -> &mut Draft {
        let article = self.manifest.audit.sensitive_article.clone();
        let consequence = self.manifest.audit.sensitive_consequence;
        let extra: Vec<&str> = if sensitive {
            vec![&article]
        } else {
            Vec::new()
        };
        let d = self.add(
            category,
            department,
            vec![id.to_owned()],
            &extra,
            day,
            Some(resource),
            detail,
        );
        if sensitive {
            d.extra.push(consequence);
        }
        d
    }

    /// A `disclosure`: `unauthorized_disclosure` (30(5), 23), with Art. 31 and a
    /// legal referral when the resource is sensitive; nothing for non-sensitive
    /// open data.
    pub(super) fn disclosure(
        &mut self,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        to: &str,
    ) {
        if self.open_and_plain(resource) {
            return;
        }
        let sensitive = self.sensitive_leak(resource);
        let secret = self.secret(resource);
        let detail = texts::disclosure(resource, Some(to));
        let d = self.add_exposure(
            Category::UnauthorizedDisclosure,
            id,
            day,
            department,
            resource,
            detail,
            sensitive,
        );
        d.secret = secret;
    }

    /// A `leak`: `sensitive_data_breach` (31) of a sensitive resource, with a
    /// legal referral (and a criminal one when marked); `unauthorized_disclosure`
    /// (30(5)) of another; nothing for non-sensitive open data.
    pub(super) fn leak(
        &mut self,
        id: &str,
        day: NaiveDate,
        department: &str,
        resource: &str,
        criminal: bool,
    ) {
        if self.manifest.audit.incidents == crate::policy::IncidentReading::RequesterDuty {
            self.incident(id, day, department, resource, criminal, true);
            return;
        }
        if self.open_and_plain(resource) {
            return;
        }
        if !self.sensitive(resource) {
            let detail = texts::disclosure(resource, None);
            self.add(
                Category::UnauthorizedDisclosure,
                department,
                vec![id.to_owned()],
                &[],
                day,
                Some(resource),
                detail,
            );
            return;
        }
        let secret = self.secret(resource);
        let detail = texts::breach(resource, &self.marks(resource), criminal);
        let d = self.add(
            Category::SensitiveDataBreach,
            department,
            vec![id.to_owned()],
            &[],
            day,
            Some(resource),
            detail,
        );
        d.secret = secret;
        d.extra.push(Consequence::LegalReferral);
        if criminal {
            d.extra.push(Consequence::CriminalReferral);
        }
    }
}
