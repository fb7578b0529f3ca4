//! Art. 20 (SPEC v2 §4, per subject): while a record is being verified, a person or
//! company who has shown valid proof must be served as usual.

use chrono::{DateTime, FixedOffset};

use super::Ledger;
use crate::workflow::event::ServiceManner;
use crate::workflow::state::{Irregularity, ObligationKind, ServiceAnswer};

impl Ledger {
    /// The open inconsistency reports (event ids) that put `subject` of `resource`
    /// under verification at `at`: the whole-resource reports, and those naming the
    /// subject; without a subject, every report on the resource.
    fn reports(
        &self,
        resource: &str,
        subject: Option<&str>,
        at: DateTime<FixedOffset>,
    ) -> Vec<String> {
        let mut out: Vec<(u64, String)> = self
            .open
            .values()
            .filter(|o| o.kind == ObligationKind::InconsistencyCorrection)
            .filter(|o| o.resource.as_deref() == Some(resource))
            .filter(|o| match (subject, o.subject.as_deref()) {
                (_, None) | (None, _) => true,
                (Some(s), Some(t)) => s == t,
            })
            .filter(|o| o.opened <= at)
            .filter_map(|o| o.events.first().map(|e| (o.seq, e.clone())))
            .collect();
        out.sort();
        out.into_iter().map(|(_, e)| e).collect()
    }

    /// Art. 20: while a resource's data (or `subject`'s record in it) is being
    /// verified, a person who has shown valid proof must be served as usual, and may
    /// not be told to get the information corrected first.
    pub fn must_serve(
        &self,
        resource: &str,
        proof_valid: bool,
        at: DateTime<FixedOffset>,
    ) -> ServiceAnswer {
        self.must_serve_subject(resource, None, proof_valid, at)
    }

    /// [`Ledger::must_serve`] for one record (`subject`) of the resource: a report on
    /// another subject does not put this one under verification (SPEC v2 §4).
    pub fn must_serve_subject(
        &self,
        resource: &str,
        subject: Option<&str>,
        proof_valid: bool,
        at: DateTime<FixedOffset>,
    ) -> ServiceAnswer {
        let reports = self.reports(resource, subject, at);
        let disputed = !reports.is_empty();
        // The texts and the article are the pack's (Binzhou Art. 20); a pack
        // without them answers with the pack's name and no citation.
        let manifest = self.snapshot.pack().manifest();
        let texts = manifest.serve_texts.as_ref();
        let none = || {
            format!(
                "pack `{}` has no rule on serving a person while data is verified",
                manifest.name
            )
        };
        let text = |f: fn(&crate::policy::ServeTexts) -> &String| {
            texts.map_or_else(none, |t| f(t).clone())
        };
        let (must_serve, may_require_correction, zh, en) = match (disputed, proof_valid) {
            (true, true) => (
                true,
                false,
                text(|t| &t.with_proof_zh),
                text(|t| &t.with_proof_en),
            ),
            (true, false) => (
                false,
                false,
                text(|t| &t.without_proof_zh),
                text(|t| &t.without_proof_en),
            ),
            (false, _) => (
                true,
                false,
                text(|t| &t.not_verified_zh),
                text(|t| &t.not_verified_en),
            ),
        };
        ServiceAnswer {
            resource: resource.to_owned(),
            subject: subject.map(str::to_owned),
            disputed,
            proof_valid,
            must_serve,
            may_require_correction,
            reports,
            citations: manifest.answers.must_serve.iter().cloned().collect(),
            zh,
            en,
        }
    }

    /// A `service_refused` that breaks Art. 20: the subject's record was under
    /// verification and the person had shown valid proof.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per field of the event"
    )]
    pub(super) fn service_refused(
        &self,
        id: &str,
        department: &str,
        resource: &str,
        subject: &str,
        proof_valid: bool,
        manner: ServiceManner,
        at: DateTime<FixedOffset>,
    ) -> Option<Irregularity> {
        if !proof_valid {
            return None;
        }
        let reports = self.reports(resource, Some(subject), at);
        if reports.is_empty() {
            return None;
        }
        let mut irr = self.irregular("service_refused", id, department);
        irr.resource = Some(resource.to_owned());
        irr.reason = Some(format!(
            "{} `{subject}` while its record was being verified (reports {})",
            match manner {
                ServiceManner::Refused => "refused to serve",
                ServiceManner::Delayed => "put off serving",
                ServiceManner::CorrectionDemanded => "demanded a correction from",
            },
            reports.join(", ")
        ));
        Some(irr)
    }
}
