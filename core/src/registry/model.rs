//! The SPEC §1/§8 vocabulary: departments, catalog resources and grants, as they
//! appear on the wire. Unknown fields are rejected; lists default to empty and
//! booleans to false.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Administrative level of a department (Art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A State Council body (國家級; NR Art. 8).
    National,
    /// A province-level department (省級).
    Province,
    /// A city department (市級).
    City,
    /// A county or district department (縣區).
    County,
    /// A township or street office (鄉鎮、街道).
    Township,
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
    /// 政務數據共享主管部門 (national pack).
    SharingAuthority,
    /// 本級人民政府 (national pack).
    PeopleGovernment,
}

impl Role {
    /// The role's wire name (`big_data_center`, `sharing_authority`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::BigDataCenter => "big_data_center",
            Role::CityGovernmentOffice => "city_government_office",
            Role::Finance => "finance",
            Role::SharingAuthority => "sharing_authority",
            Role::PeopleGovernment => "people_government",
        }
    }
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

impl Certificate {
    /// Whether the certificate is valid at `at`: `not_before <= at <= not_after`
    /// (both ends included, RFC 5280), compared at full precision, and not revoked.
    pub fn valid_at(&self, at: DateTime<FixedOffset>) -> bool {
        !self.revoked && self.not_before <= at && at <= self.not_after
    }
}

/// A government department (政務部門, Art. 2).
///
/// On the wire its certificates are `certificates` (a list, SPEC v2 §1); the v1
/// field `certificate` (one object) is still accepted as a one-element list.
/// Serialization always writes `certificates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "DepartmentWire")]
pub struct Department {
    /// Unique id (SPEC v2 §1: 1 to 256 characters, no control, format or space characters).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// Its GB/T 2260 region code: 2, 4 or 6 digits, or `""` for a State Council body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Kind of body.
    pub kind: DepartmentKind,
    /// Special roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Purposes for which it may use shared information (Art. 4(2), 19, 23).
    #[serde(default)]
    pub duties: Vec<String>,
    /// Its registered unified digital certificates (Art. 26); none is a validation finding.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Set when the Big Data Center restricts its rights to derived information (Art. 21).
    #[serde(default)]
    pub restricted: bool,
    /// The bodies that suspended its sharing rights (national Art. 27¶2): a
    /// provider (for its own resources) or a sharing authority (for the
    /// resources of providers in its region). Changed only by
    /// `sharing_suspended` and `sharing_restored` events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspended_by: Vec<String>,
}

/// The wire form of a department: `certificates`, or the v1 `certificate`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentWire {
    id: String,
    name: String,
    level: Level,
    #[serde(default)]
    region: Option<String>,
    kind: DepartmentKind,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    certificates: Option<Vec<Certificate>>,
    #[serde(default)]
    certificate: Option<Certificate>,
    #[serde(default)]
    restricted: bool,
    #[serde(default)]
    suspended_by: Vec<String>,
}

impl TryFrom<DepartmentWire> for Department {
    type Error = String;

    fn try_from(w: DepartmentWire) -> Result<Self, String> {
        let certificates = match (w.certificates, w.certificate) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "department `{}` has both `certificates` and `certificate`: use `certificates`",
                    w.id
                ));
            }
            (Some(list), None) => list,
            (None, Some(one)) => vec![one],
            (None, None) => Vec::new(),
        };
        Ok(Self {
            id: w.id,
            name: w.name,
            level: w.level,
            region: w.region,
            kind: w.kind,
            roles: w.roles,
            duties: w.duties,
            certificates,
            restricted: w.restricted,
            suspended_by: w.suspended_by,
        })
    }
}

impl Department {
    /// Whether the department has `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Its registered certificate with serial `serial`, if any.
    pub fn certificate(&self, serial: &str) -> Option<&Certificate> {
        self.certificates.iter().find(|c| c.serial == serial)
    }

    /// A certificate of the department valid at `at`, if any.
    pub fn valid_certificate(&self, at: DateTime<FixedOffset>) -> Option<&Certificate> {
        self.certificates.iter().find(|c| c.valid_at(at))
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

/// The category of a basic-database resource (Art. 10, 32(1)). The list in
/// Art. 32(1) ends in 等, so any other non-empty name is accepted (SPEC v2 §1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum BasicCategory {
    /// 人口.
    Population,
    /// 法人單位.
    LegalEntity,
    /// 自然資源和空間地理.
    NaturalResourcesGeospatial,
    /// 電子證照.
    ELicense,
    /// Another basic category (Art. 32(1) 等), by its name.
    Other(String),
}

impl BasicCategory {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Population => "population",
            Self::LegalEntity => "legal_entity",
            Self::NaturalResourcesGeospatial => "natural_resources_geospatial",
            Self::ELicense => "e_license",
            Self::Other(name) => name,
        }
    }
}

impl TryFrom<String> for BasicCategory {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        Ok(match s.as_str() {
            "population" => Self::Population,
            "legal_entity" => Self::LegalEntity,
            "natural_resources_geospatial" => Self::NaturalResourcesGeospatial,
            "e_license" => Self::ELicense,
            _ if s.trim().is_empty() => {
                return Err("`basic_category` is blank: name the category".to_owned());
            }
            _ => Self::Other(s),
        })
    }
}

impl From<BasicCategory> for String {
    fn from(c: BasicCategory) -> Self {
        c.as_str().to_owned()
    }
}

/// The rank of the law behind a resource's class (Art. 5; NR Art. 14(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasisRank {
    /// 法律.
    Law,
    /// 行政法規.
    AdministrativeRegulation,
    /// 國務院決定.
    StateCouncilDecision,
    /// 地方性法規.
    LocalRegulation,
    /// 規章.
    Rule,
    /// 政策.
    Policy,
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
    /// 個人隱私 (read as Art. 31's 個人隱私).
    PersonalInfo,
    /// 工作秘密 (SPEC v2).
    WorkSecret,
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
    /// For a derived resource, the resource ids it is synthesised from (SPEC v2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The network it is shared on.
    pub network: Network,
    /// Its data items.
    #[serde(default)]
    pub fields: Vec<String>,
    /// For a conditional resource, the items every department may have (Art. 5).
    #[serde(default)]
    pub open_fields: Vec<String>,
    /// The conditions of sharing (共享條件) of a conditional resource (SPEC v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<String>,
    /// When the entry joined the catalog (SPEC v2; the first provision runs from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogued: Option<chrono::NaiveDate>,
    /// The law behind `not_shared` (Art. 5).
    #[serde(default)]
    pub legal_basis: Option<String>,
    /// The rank of that law (SPEC v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis_rank: Option<LegalBasisRank>,
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

/// An access method (SPEC v2 §7: the union of the built-in packs' methods;
/// Binzhou Art. 17 and the national regulation's Art. 22¶2).
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
    /// 服務接口 (national regulation of 2025, Art. 22¶2).
    ServiceInterface,
    /// 批量交換 (national regulation of 2025, Art. 22¶2).
    BatchExchange,
    /// 文件下載 (national regulation of 2025, Art. 22¶2).
    FileDownload,
}

impl Method {
    /// Every access method any built-in pack declares, in declaration order
    /// (SPEC v2 §7: the vocabulary is the union; each pack reads its own).
    pub const ALL: [Method; 7] = [
        Method::SystemIntegration,
        Method::FrontProcessor,
        Method::OnlineQuery,
        Method::BatchDownload,
        Method::ServiceInterface,
        Method::BatchExchange,
        Method::FileDownload,
    ];
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
    /// Coordination by the data-sharing authority (national pack).
    SharingAuthority,
    /// A decision of the people's government (national pack).
    PeopleGovernment,
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
