//! The SPEC §1/§8 vocabulary: departments, catalog resources and grants, as they
//! appear on the wire. Unknown fields are rejected; lists default to empty and
//! booleans to false.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Administrative level of a department (Art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A city department (市級).
    City,
    /// A county or district department (縣區).
    County,
    /// A development-zone administrative office (開發區).
    DevelopmentZone,
}

/// What kind of body a department is (Art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// A government department.
    Government,
    /// An institution authorised by law to perform administrative functions.
    AuthorizedInstitution,
    /// An organisation authorised by law to perform administrative functions.
    AuthorizedOrganization,
}

/// A special role a department plays in the sharing system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 市大數據中心: runs the platform, coordinates, audits (Art. 3, 17, 21, 30).
    BigDataCenter,
    /// 市政府辦公室: coordinates when the Big Data Center fails (Art. 17).
    CityGovernmentOffice,
    /// 市財政部門: funds projects (Art. 28).
    Finance,
}

/// A department's unified digital certificate (Art. 26).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// The certificate serial the department presents.
    pub serial: String,
    /// Start of validity.
    pub not_before: DateTime<FixedOffset>,
    /// End of validity.
    pub not_after: DateTime<FixedOffset>,
    /// Set when the certificate was revoked.
    #[serde(default)]
    pub revoked: bool,
}

/// A government department (政務部門, Art. 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Unique id, `[a-z0-9._-]+`.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// Kind of body.
    pub kind: DepartmentKind,
    /// Special roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Purposes for which it may use shared information (Art. 4(2), 19, 23).
    #[serde(default)]
    pub duties: Vec<String>,
    /// Its registered certificate (Art. 26); a missing one is a validation finding.
    #[serde(default)]
    pub certificate: Option<Certificate>,
    /// Set when the Big Data Center restricts its rights to derived information (Art. 21).
    #[serde(default)]
    pub restricted: bool,
}

impl Department {
    /// Whether the department has `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Sharing class of a resource (Art. 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// 無條件共享.
    Unconditional,
    /// 有條件共享.
    Conditional,
    /// 不予共享.
    NotShared,
}

/// Which database of the platform a resource belongs to (Art. 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Database {
    /// 基礎信息資源庫.
    Basic,
    /// 主題信息資源庫.
    Thematic,
    /// 業務信息資源庫.
    Business,
    /// 前置交換庫.
    FrontExchange,
}

/// The category of a basic-database resource (Art. 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasicCategory {
    /// 人口.
    Population,
    /// 法人單位.
    LegalEntity,
    /// 自然資源和空間地理.
    NaturalResourcesGeospatial,
    /// 電子證照.
    ELicense,
}

/// The network a resource is shared on (Art. 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// The e-government intranet (內網; 區域網路 in the seed text).
    Intranet,
    /// The e-government extranet (外網).
    Extranet,
}

/// A sensitivity marking (Art. 4(1), 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// 國家秘密.
    StateSecret,
    /// 商業秘密.
    CommercialSecret,
    /// 個人隱私.
    PersonalInfo,
}

/// A resource's access interface and its specification (Art. 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interface {
    /// Where the interface is.
    pub endpoint: String,
    /// Its specification document.
    pub spec: String,
}

/// One entry of the catalog 《濱州市政務信息資源目錄》 (Art. 11–12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Unique id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// The providing department's id.
    pub provider: String,
    /// Sharing class.
    pub sharing: Sharing,
    /// The database it belongs to.
    pub database: Database,
    /// For a basic-database entry, its category.
    #[serde(default)]
    pub basic_category: Option<BasicCategory>,
    /// Stored or synthesised by the platform (Art. 21).
    #[serde(default)]
    pub derived: bool,
    /// The network it is shared on.
    pub network: Network,
    /// Its data items.
    #[serde(default)]
    pub fields: Vec<String>,
    /// For a conditional resource, the items every department may have (Art. 5).
    #[serde(default)]
    pub open_fields: Vec<String>,
    /// The law behind `not_shared` (Art. 5).
    #[serde(default)]
    pub legal_basis: Option<String>,
    /// Sensitivity markings.
    #[serde(default)]
    pub sensitivity: Vec<Sensitivity>,
    /// Access interface and specification (Art. 14).
    #[serde(default)]
    pub interface: Option<Interface>,
    /// Published update limit in working days (Art. 21, 30(2)).
    #[serde(default)]
    pub update_workdays: Option<u32>,
    /// May go to the public data open platform (Art. 22).
    #[serde(default)]
    pub open_data: bool,
}

impl Resource {
    /// Whether the resource carries `s`.
    pub fn has_sensitivity(&self, s: Sensitivity) -> bool {
        self.sensitivity.contains(&s)
    }
}

/// An access method (Art. 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 系統對接.
    SystemIntegration,
    /// 前置機共享.
    FrontProcessor,
    /// 在線查詢.
    OnlineQuery,
    /// 部門批量下載.
    BatchDownload,
}

/// Who approved a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantSource {
    /// The provider's reply to an application (Art. 17).
    ProviderReply,
    /// Coordination by the Big Data Center (Art. 17) or its consent (Art. 21).
    BigDataCenter,
    /// Coordination by the City Government Office (Art. 17).
    CityGovernmentOffice,
}

/// What an approved application or a successful coordination allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Unique id.
    pub id: String,
    /// The using department.
    pub department: String,
    /// The resource.
    pub resource: String,
    /// Purposes it allows.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Fields it allows; empty means all.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Methods it allows; empty means all.
    #[serde(default)]
    pub methods: Vec<Method>,
    /// Start of validity.
    pub from: DateTime<FixedOffset>,
    /// End of validity; none means open-ended.
    #[serde(default)]
    pub until: Option<DateTime<FixedOffset>>,
    /// Who approved it.
    pub source: GrantSource,
    /// Further approvals the grant carries besides `source` (a derived resource
    /// needs both `provider_reply` and `big_data_center`, Art. 21).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<GrantSource>,
}

impl Grant {
    /// Whether `source` or `approvals` include `s`.
    pub fn approved_by(&self, s: GrantSource) -> bool {
        self.source == s || self.approvals.contains(&s)
    }

    /// Whether the grant is in force at `at` (`from <= at < until`).
    pub fn active_at(&self, at: DateTime<FixedOffset>) -> bool {
        self.from <= at && self.until.is_none_or(|u| at < u)
    }
}
