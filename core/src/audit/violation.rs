//! The SPEC §8 violation and its vocabulary.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::registry::Role;

/// A violation category (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// 30(1): the catalog was not updated in time (Art. 11, 16).
    CatalogNotUpdated,
    /// 30(1): the updated catalog was not filed with the Big Data Center (Art. 16).
    CatalogNotFiled,
    /// 30(2): data not provided within the resource's update limit (Art. 14, 18, 21).
    DataNotProvided,
    /// 30(3): reported inconsistent data not corrected in time (Art. 18).
    DataInconsistent,
    /// 30(3): provided data rejected as unusable (Art. 18).
    DataUnusable,
    /// 30(4) (v2: only a purpose outside the department's duties; Art. 19, 23).
    PurposeViolation,
    /// 30(5) (v2; was 30(4)): shared data disclosed or leaked without
    /// authorisation (Art. 23); never for a non-sensitive open-data resource.
    UnauthorizedDisclosure,
    /// 30(5): the provider replied late, or not at all (Art. 17).
    ReplyOverdue,
    /// 30(5): a refusal without a reason (Art. 17).
    RefusalWithoutReason,
    /// 30(5): a person or company was asked for an item the platform has (Art. 13).
    DuplicateCollection,
    /// 31: secret or personal data disclosed or leaked.
    SensitiveDataBreach,
    /// 28: an IT project without its information-resource catalog.
    ProjectWithoutCatalog,
    /// 30(5) (v2): used without a covering grant, beyond it, or against an access
    /// rule other than purpose, certificate and network (Art. 17, 23).
    UnauthorizedUse,
    /// 30(5) (v2): used off the required network (Art. 8).
    NetworkViolation,
    /// 30(5) (v2): an act or a use without a valid certificate (Art. 26).
    CertificateNotUsed,
    /// 30(5) (v2): an approval without a stated scope, or beyond the application (Art. 17).
    ScopeNotStated,
    /// 30(5) (v2): a person with valid proof refused service during verification (Art. 20).
    ServiceRefused,
    /// 30(5) (v2): an incident not reported in time (Art. 24).
    IncidentNotReported,
    /// National 39(2): unconditional data refused without a reason the pack
    /// accepts (the `regional` procedure).
    SharingObstructed,
    /// National 39(4): approved data not delivered in time.
    DeliveryOverdue,
    /// National 39(9): materials asked for a second time, not at once.
    MaterialsNotRequestedAtOnce,
    /// National 39(9): a refusal for missing materials instead of asking for them.
    RefusedForMissingMaterials,
    /// National 41(3): the sharing authority did not review and publish a
    /// submitted catalog in time (Art. 17¶3).
    CatalogReviewOverdue,
    /// National 39(6): a verification request not verified and corrected in time.
    VerificationOverdue,
    /// National 39(9): a verification completed without reporting back.
    VerificationNotFedBack,
    /// National 40(6): an incident during a requester's use of shared data
    /// (Art. 34¶2: it answers for the data's security; a reading).
    SecurityIncident,
    /// National 39(7): a sharing service ended or changed without a reason,
    /// negotiation and filing (Art. 27¶3).
    ServiceTerminatedUnilaterally,
}

impl Category {
    /// Every category, in table order.
    pub const ALL: [Self; 27] = [
        Self::CatalogNotUpdated,
        Self::CatalogNotFiled,
        Self::DataNotProvided,
        Self::DataInconsistent,
        Self::DataUnusable,
        Self::PurposeViolation,
        Self::UnauthorizedDisclosure,
        Self::ReplyOverdue,
        Self::RefusalWithoutReason,
        Self::DuplicateCollection,
        Self::SensitiveDataBreach,
        Self::ProjectWithoutCatalog,
        Self::UnauthorizedUse,
        Self::NetworkViolation,
        Self::CertificateNotUsed,
        Self::ScopeNotStated,
        Self::ServiceRefused,
        Self::IncidentNotReported,
        Self::SharingObstructed,
        Self::DeliveryOverdue,
        Self::MaterialsNotRequestedAtOnce,
        Self::RefusedForMissingMaterials,
        Self::CatalogReviewOverdue,
        Self::VerificationOverdue,
        Self::VerificationNotFedBack,
        Self::SecurityIncident,
        Self::ServiceTerminatedUnilaterally,
    ];

    /// The categories only the `regional` application procedure reports: a pack
    /// with another procedure need not declare them.
    pub const REGIONAL: [Self; 5] = [
        Self::ServiceTerminatedUnilaterally,
        Self::SharingObstructed,
        Self::DeliveryOverdue,
        Self::MaterialsNotRequestedAtOnce,
        Self::RefusedForMissingMaterials,
    ];

    /// The categories of a catalog review by the sharing authority (a pack with
    /// `[catalog] review_workdays`).
    pub const CATALOG_REVIEW: [Self; 1] = [Self::CatalogReviewOverdue];

    /// The categories of verification requests (a pack with `[verification]`).
    pub const VERIFICATION: [Self; 2] = [Self::VerificationOverdue, Self::VerificationNotFedBack];

    /// The categories of the `requester_duty` reading of incidents.
    pub const REQUESTER_DUTY: [Self; 1] = [Self::SecurityIncident];

    /// Whether a pack need not declare this category unless it produces it.
    pub fn is_optional(self) -> bool {
        Self::REGIONAL.contains(&self)
            || Self::REQUESTER_DUTY.contains(&self)
            || Self::CATALOG_REVIEW.contains(&self)
            || Self::VERIFICATION.contains(&self)
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CatalogNotUpdated => "catalog_not_updated",
            Self::CatalogNotFiled => "catalog_not_filed",
            Self::DataNotProvided => "data_not_provided",
            Self::DataInconsistent => "data_inconsistent",
            Self::DataUnusable => "data_unusable",
            Self::PurposeViolation => "purpose_violation",
            Self::UnauthorizedDisclosure => "unauthorized_disclosure",
            Self::ReplyOverdue => "reply_overdue",
            Self::RefusalWithoutReason => "refusal_without_reason",
            Self::DuplicateCollection => "duplicate_collection",
            Self::SensitiveDataBreach => "sensitive_data_breach",
            Self::ProjectWithoutCatalog => "project_without_catalog",
            Self::UnauthorizedUse => "unauthorized_use",
            Self::NetworkViolation => "network_violation",
            Self::CertificateNotUsed => "certificate_not_used",
            Self::ScopeNotStated => "scope_not_stated",
            Self::ServiceRefused => "service_refused",
            Self::IncidentNotReported => "incident_not_reported",
            Self::SharingObstructed => "sharing_obstructed",
            Self::DeliveryOverdue => "delivery_overdue",
            Self::MaterialsNotRequestedAtOnce => "materials_not_requested_at_once",
            Self::RefusedForMissingMaterials => "refused_for_missing_materials",
            Self::CatalogReviewOverdue => "catalog_review_overdue",
            Self::VerificationOverdue => "verification_overdue",
            Self::VerificationNotFedBack => "verification_not_fed_back",
            Self::SecurityIncident => "security_incident",
            Self::ServiceTerminatedUnilaterally => "service_terminated_unilaterally",
        }
    }

    /// A short Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Self::CatalogNotUpdated => "未按要求更新目錄",
            Self::CatalogNotFiled => "未按規定報送目錄備案",
            Self::DataNotProvided => "未及時提供共享信息",
            Self::DataInconsistent => "數據不一致未及時更新",
            Self::DataUnusable => "數據不符合規範、無法使用",
            Self::PurposeViolation => "將共享信息用於履行職責以外的目的",
            Self::UnauthorizedDisclosure => "未經許可擴散共享信息",
            Self::ReplyOverdue => "未按時答覆共享申請",
            Self::RefusalWithoutReason => "不予共享未說明理由",
            Self::DuplicateCollection => "要求重複提交可共享獲取的信息",
            Self::SensitiveDataBreach => "泄漏國家秘密、商業秘密或個人隱私",
            Self::ProjectWithoutCatalog => "信息化項目未編制或未納入信息資源目錄",
            Self::UnauthorizedUse => "未經授權使用共享信息",
            Self::NetworkViolation => "未按規定網絡使用共享信息",
            Self::CertificateNotUsed => "未使用有效數字證書",
            Self::ScopeNotStated => "未明確共享範圍和使用用途",
            Self::ServiceRefused => "校核期間拒絕、推諉或要求更正",
            Self::IncidentNotReported => "安全問題未及時報告",
            Self::SharingObstructed => "拒絕共享無條件共享數據",
            Self::DeliveryOverdue => "同意共享後未按時完成共享",
            Self::MaterialsNotRequestedAtOnce => "未一次性告知需補充的材料",
            Self::RefusedForMissingMaterials => "以材料不全為由不予共享",
            Self::CatalogReviewOverdue => "未按時審核發布政務數據目錄",
            Self::VerificationOverdue => "收到校核申請後未按時核實、更正",
            Self::VerificationNotFedBack => "未反饋校核處理結果",
            Self::SecurityIncident => "未履行共享數據安全管理責任",
            Self::ServiceTerminatedUnilaterally => "擅自終止或者變更已提供的共享服務",
        }
    }

    /// A short English label.
    pub fn en(self) -> &'static str {
        match self {
            Self::CatalogNotUpdated => "catalog not updated in time",
            Self::CatalogNotFiled => "catalog not filed as required",
            Self::DataNotProvided => "data not provided in time",
            Self::DataInconsistent => "inconsistent data not corrected in time",
            Self::DataUnusable => "data unusable",
            Self::PurposeViolation => "data used outside the department's duties",
            Self::UnauthorizedDisclosure => "unauthorised disclosure",
            Self::ReplyOverdue => "application reply overdue",
            Self::RefusalWithoutReason => "refusal without a reason",
            Self::DuplicateCollection => "duplicate collection from the public",
            Self::SensitiveDataBreach => "secret or personal data breach",
            Self::ProjectWithoutCatalog => "IT project without its catalog",
            Self::UnauthorizedUse => "unauthorised use",
            Self::NetworkViolation => "used off the required network",
            Self::CertificateNotUsed => "no valid certificate used",
            Self::ScopeNotStated => "sharing scope not stated",
            Self::ServiceRefused => "service refused during verification",
            Self::IncidentNotReported => "incident not reported in time",
            Self::SharingObstructed => "unconditional data refused",
            Self::DeliveryOverdue => "approved data not delivered in time",
            Self::MaterialsNotRequestedAtOnce => "materials not asked for at once",
            Self::RefusedForMissingMaterials => "refused for missing materials",
            Self::CatalogReviewOverdue => "catalog not reviewed in time",
            Self::VerificationOverdue => "verification not done in time",
            Self::VerificationNotFedBack => "verification result not reported back",
            Self::SecurityIncident => "security of shared data not kept",
            Self::ServiceTerminatedUnilaterally => "sharing service ended or changed unilaterally",
        }
    }
}

/// Ordinary, or serious (情節嚴重).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Ordinary.
    Ordinary,
    /// Serious (情節嚴重, Art. 30): over the pack's lateness threshold, repeated
    /// within its window, or involving a state secret (SPEC v2 §5).
    Serious,
}

/// What follows a violation (stable codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Consequence {
    /// The Big Data Center urges correction (督促糾正, Art. 30).
    UrgeCorrection,
    /// Disciplinary action is requested (提請處分, Art. 30, serious cases).
    DisciplinaryReferral,
    /// Handled under the secrecy and privacy laws (Art. 31).
    LegalReferral,
    /// Prosecution (構成犯罪的，依法追究刑事責任, Art. 31).
    CriminalReferral,
    /// Rights to platform-derived information may be restricted (Art. 21).
    RestrictDerivedAccess,
    /// The project is not approved (不予審批, Art. 28).
    ApprovalRefused,
    /// No operation and maintenance funding (不予安排運行維護經費, Art. 28).
    FundingWithheld,
    /// The finished project is not accepted (作為項目驗收要求, Art. 28 ¶2; v2).
    AcceptanceRefused,
}

/// One violation (SPEC §8): who broke which rule, how badly, and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Violation {
    /// The category.
    pub category: Category,
    /// The article that sanctions it, as the pack's category table says.
    pub article: String,
    /// The responsible department.
    pub department: String,
    /// Ordinary or serious.
    pub severity: Severity,
    /// What follows.
    pub consequences: Vec<Consequence>,
    /// The due date, where there was one.
    pub due: Option<NaiveDate>,
    /// The events behind it (ids).
    pub events: Vec<String>,
    /// Chinese description.
    pub zh: String,
    /// English description.
    pub en: String,
    /// Every article behind it, the sanctioning article first (SPEC v2 §5, §8):
    /// e.g. `["30(5)", "17", "23"]`.
    pub basis: Vec<String>,
    /// The China date the violation happened (the day after a missed due date).
    pub occurred: NaiveDate,
    /// The pack judging it (SPEC v2 §5, §8).
    #[serde(default)]
    pub pack: String,
    /// The judging pack had lapsed at the audit's `as_of` (Art. 33): the violation
    /// is still reported, under that pack's consequences, but no restriction is
    /// offered. Serialised only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pack_lapsed: bool,
    /// The violation rests on a reading of the pack where the text is silent (e.g.
    /// a late derived consent: Art. 21 sets no limit). Serialised only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reading: bool,
    /// Who urges correction (`urge_correction`): the pack's body (Binzhou: the Big
    /// Data Center, Art. 30), or its superior when that body is the violator
    /// (Binzhou: the City Government Office, Art. 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urged_by: Option<Role>,
    /// For a `usage`: the codes of the failing checks behind this category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    /// The resource concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The application concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// Working days late, for a missed due date (counted up to the earliest of the
    /// act, `as_of` and the pack's last day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_workdays: Option<i64>,
    /// Why the severity is serious: `lateness`, `repeat`, `state_secret`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serious_because: Vec<String>,
}
