//! Art. 26 in the workflow (SPEC v2 §4): an `apply`, `reply`, `escalate` or
//! `coordinate` is made with the acting department's unified digital certificate.

use super::{Ledger, Time};
use crate::workflow::error::WorkflowError;
use crate::workflow::state::Irregularity;

impl Ledger {
    /// Checks the certificate of an act by `department` at `at`: the serial the event
    /// names must be one of the department's certificates and valid at `at`; without
    /// a serial, one of its registered certificates must be valid at `at`. Strict:
    /// `workflow.certificate_invalid`; lenient: a `certificate_not_used`
    /// irregularity (the act still takes effect).
    pub(super) fn act_certificate(
        &self,
        id: &str,
        department: &str,
        serial: Option<&str>,
        at: Time,
    ) -> Result<Option<Irregularity>, WorkflowError> {
        let dept = self.snapshot.registry().department(department);
        let valid = dept.is_some_and(|d| match serial {
            Some(s) => d.certificate(s).is_some_and(|c| c.valid_at(at)),
            None => d.valid_certificate(at).is_some(),
        });
        if valid {
            return Ok(None);
        }
        if !self.lenient {
            return Err(WorkflowError::CertificateInvalid {
                event: id.to_owned(),
                department: department.to_owned(),
                serial: serial.map(|s| format!(" `{s}`")).unwrap_or_default(),
                rule: self.rule("certificate_invalid"),
            });
        }
        let mut irr = self.irregular("certificate_not_used", id, department);
        irr.reason = Some(match serial {
            Some(s) => format!(
                "certificate `{s}` is not a valid certificate of the department at that moment"
            ),
            None => "the department holds no valid certificate at that moment".to_owned(),
        });
        Ok(Some(irr))
    }
}
