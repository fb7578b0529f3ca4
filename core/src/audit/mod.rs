//! Violation classification over an event log (SPEC §5).
//!
//! An [`Auditor`] reads events (streaming, through a lenient
//! [`crate::workflow::Ledger`]) and, at [`Auditor::finish`], reports each
//! [`Violation`]: its category, article, responsible department, severity,
//! consequences, due date and the events behind it. [`audit`] does it in one call.
//!
//! The categories, their articles, basis and responsible party, and the table from
//! a failing access check to a category, are the pack's (`manifest.toml`,
//! `[categories.*]` and `[usage_checks]`, SPEC v2 §5, §7).
//!
//! Severity is serious (情節嚴重) when lateness exceeds the pack's
//! `serious_lateness`, when the department reaches `serious_repeat` violations of one
//! category within `serious_window_months`, or when a state secret is involved
//! (SPEC v2 §5). Personal information or commercial secrets alone are not serious:
//! they add Art. 31 and a legal referral.
//!
//! ```
//! use govshare::audit::{Auditor, Category, Consequence, Severity};
//! use govshare::policy::{Engine, PolicyPack};
//! use govshare::registry::Registry;
//! use govshare::workflow::Event;
//!
//! let registry = Registry::from_path(concat!(
//!     env!("CARGO_MANIFEST_DIR"),
//!     "/../policies/binzhou/sample/registry.json"
//! ))?;
//! let engine = Engine::new(PolicyPack::binzhou(), registry)?;
//! let as_of = chrono::DateTime::parse_from_rfc3339("2019-11-01T00:00:00+08:00")?;
//! let mut auditor = Auditor::new(engine, as_of);
//! for line in [
//!     // Art. 11: the catalog is due within 15 working days (2019-10-16), updated on 10-20.
//!     r#"{"kind":"law_revised","at":"2019-09-20T10:00:00+08:00","department":"city.civil-affairs"}"#,
//!     r#"{"kind":"catalog_updated","at":"2019-10-20T10:00:00+08:00","department":"city.civil-affairs"}"#,
//!     // Art. 31: personal data leaked.
//!     r#"{"kind":"leak","at":"2019-10-21T10:00:00+08:00","department":"city.civil-affairs","resource":"population.basic"}"#,
//! ] {
//!     auditor.push(&Event::from_json_str(line)?)?;
//! }
//! let violations = auditor.finish();
//! assert_eq!(violations[0].category, Category::CatalogNotUpdated);
//! assert_eq!(violations[0].article, "30(1)");
//! assert_eq!(violations[0].late_workdays, Some(2));
//! assert_eq!(violations[0].severity, Severity::Ordinary);
//! assert_eq!(violations[0].basis, ["30(1)", "11"]);
//! assert_eq!(violations[1].category, Category::SensitiveDataBreach);
//! // SPEC v2 §5: personal information alone is not serious.
//! assert_eq!(violations[1].severity, Severity::Ordinary);
//! assert_eq!(
//!     violations[1].consequences,
//!     vec![Consequence::UrgeCorrection, Consequence::LegalReferral]
//! );
//! assert_eq!(violations[1].pack, "binzhou");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod auditor;
mod usage;
mod violation;

pub use auditor::{Auditor, audit};
pub use usage::{
    UsageError, UsageNotice, UsageQuery, UsageReport, UsageReporter, UsageRow, usage_report,
};
pub use violation::{Category, Consequence, Severity, Violation};
