//! The registry: departments, the catalog and grants (SPEC §1, §6, §8).
//!
//! [`Registry::from_json_str`] parses and checks the structure (unknown fields,
//! duplicate ids, dangling references: errors that name them). Catalog rules that
//! a well-formed registry may still break (SPEC §6) are findings, not errors.

mod model;
mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use model::{
    BasicCategory, Certificate, Database, Department, DepartmentKind, Grant, GrantSource,
    Interface, LegalBasisRank, Level, Method, Network, Resource, Role, Sensitivity, Sharing,
};
pub use validate::resource_findings;
pub use validate::{
    CHECKS, Finding, FindingRule, FindingSeverity, FindingTable, validate, validate_with,
};

/// An error loading a registry. The registry is not built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The JSON is malformed or does not fit the schema (names the field and position).
    #[error("invalid registry json: {0}")]
    Json(String),
    /// The file could not be read.
    #[error("cannot read registry `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// What the OS said.
        message: String,
    },
    /// Two items of the same kind share an id.
    #[error("duplicate {kind} id `{id}`")]
    DuplicateId {
        /// `department`, `resource` or `grant`.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A reference names something that does not exist.
    #[error("{kind} `{id}` field `{field}` refers to unknown {target} `{value}`")]
    DanglingReference {
        /// The kind of the referring item.
        kind: &'static str,
        /// The referring item's id.
        id: String,
        /// The referring field.
        field: &'static str,
        /// What kind of item it should name.
        target: &'static str,
        /// The unknown id.
        value: String,
    },
    /// The registry is over one of the [`crate::limits`] (size, count, depth).
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// An id breaks SPEC v2 §1 (1 to 256 characters; no control, format,
    /// space, line or paragraph separator characters).
    #[error(
        "{kind} id `{}` is not an id: 1 to 256 characters, none of them a control, format or space character",
        id.escape_debug()
    )]
    InvalidId {
        /// The kind of item.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// An entry breaks a shape rule that holds whatever the pack (SPEC v2 §6):
    /// a blank certificate serial, `not_before` after `not_after`, a serial
    /// registered twice by one department, a malformed region code.
    #[error("{kind} `{id}` field `{field}`: {message}")]
    InvalidEntry {
        /// The kind of item.
        kind: &'static str,
        /// Its id.
        id: String,
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

crate::error::error_table! {
    impl RegistryError {
        python: "`RegistryError`";
        Json => "registry.invalid_json", {
            meaning: "the registry JSON is malformed or does not fit SPEC §8 (names the field and \
            position; unknown fields are errors)",
            from: "`Registry::load`, `from_json_str`, `from_path` (the message names the file), \
            `from_json_value`; Python `Registry.from_json`, `from_file`, `from_dict`, Node \
            `Registry.fromJson`, `fromFile`, `fromObject`, and a registry dict/object given to \
            the bindings",
        }
        Io => "registry.io", {
            meaning: "the registry file cannot be read",
            from: "`Registry::from_path` (names the file); Python `Registry.from_file`, Node \
            `Registry.fromFile`",
        }
        DuplicateId => "registry.duplicate_id", {
            meaning: "two departments, resources or grants share an id",
            from: "registry loading, grants added by the workflow",
        }
        DanglingReference => "registry.dangling_reference", {
            meaning: "a provider, grant department or grant resource names nothing in the registry",
            from: "registry loading",
        }
        InvalidId => "registry.invalid_id", {
            meaning: "an id breaks SPEC v2 §1: 1 to 256 characters, none of the categories Cc, Cf, Zs, Zl, \
            Zp (real ids such as `G-1`, `11371600MB28574X3A`, `371600/00012-000045` are valid)",
            from: "registry loading",
        }
        InvalidEntry => "registry.invalid_entry", {
            meaning: "an entry breaks a shape rule that holds whatever the pack (SPEC v2 §6): a blank \
            certificate serial, `not_before` after `not_after`, one serial registered twice by a \
            department, a region code that is not 2, 4 or 6 digits (names the entry and the \
            field)",
            from: "registry loading",
        }
        @delegate Limit;
    }
}

/// The SPEC §8 registry document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryDoc {
    /// Departments.
    #[serde(default)]
    pub departments: Vec<Department>,
    /// Catalog entries.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Grants.
    #[serde(default)]
    pub grants: Vec<Grant>,
}

/// A checked, indexed registry. Immutable; [`Registry::with_grants`] makes a new
/// snapshot.
#[derive(Debug, Clone)]
pub struct Registry {
    doc: RegistryDoc,
    departments: HashMap<String, usize>,
    resources: HashMap<String, usize>,
    grants: HashMap<String, usize>,
    grants_by_pair: HashMap<(String, String), Vec<usize>>,
}

/// The longest id, in Unicode scalar values (SPEC v2 §1).
pub const MAX_ID_CHARS: usize = 256;

/// Is `id` an id under SPEC v2 §1: 1 to 256 Unicode scalar values, none of the
/// general categories Cc, Cf, Zs, Zl or Zp? Real ids pass: `city.civil-affairs`,
/// `G-1`, `11371600MB28574X3A` (a 統一社會信用代碼), `371600/00012-000045`.
pub fn valid_id(id: &str) -> bool {
    let n = id.chars().count();
    (1..=MAX_ID_CHARS).contains(&n) && !id.chars().any(forbidden_in_id)
}

/// Characters of the general categories Cc, Cf, Zs, Zl and Zp (Unicode 16).
fn forbidden_in_id(c: char) -> bool {
    const CF_AND_Z: &[(u32, u32)] = &[
        (0x0020, 0x0020),
        (0x00A0, 0x00A0),
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x1680, 0x1680),
        (0x180E, 0x180E),
        (0x2000, 0x200F),
        (0x2028, 0x202F),
        (0x205F, 0x2064),
        (0x2066, 0x206F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    let u = u32::from(c);
    c.is_control() || CF_AND_Z.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// Is `code` a GB/T 2260 region code as SPEC v2 §1 uses it: 2, 4 or 6 ASCII
/// digits, or `""` for a State Council body?
pub fn valid_region(code: &str) -> bool {
    matches!(code.len(), 0 | 2 | 4 | 6) && code.bytes().all(|b| b.is_ascii_digit())
}

/// Where a registry comes from, for [`Registry::load`]: a file, JSON text, or an
/// already converted JSON value (a Python dict, a JavaScript object). The source
/// is said, never guessed from the content.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RegistrySource {
    /// The path of a SPEC §8 registry JSON file ([`Registry::from_path`]).
    Path(PathBuf),
    /// SPEC §8 registry JSON text ([`Registry::from_json_str`]).
    Json(String),
    /// A SPEC §8 registry as a JSON value ([`Registry::from_json_value`]).
    Value(serde_json::Value),
}

/// Deserialises a registry document from `de`; a shape error names the field
/// path (`departments[0].level`) and, as `prefix`, where the text came from.
fn doc_from<'de, D>(de: D, prefix: &str) -> Result<RegistryDoc, RegistryError>
where
    D: serde::Deserializer<'de, Error = serde_json::Error>,
{
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        RegistryError::Json(if path == "." {
            format!("{prefix}{inner}")
        } else {
            format!("{prefix}field `{path}`: {inner}")
        })
    })
}

/// Parses registry JSON text with the limits ([`crate::limits::MAX_REGISTRY_BYTES`],
/// [`crate::limits::MAX_DEPTH`]); `what` names the text in a limit error and
/// `prefix` in a shape error.
fn doc_from_str(json: &str, what: &str, prefix: &str) -> Result<RegistryDoc, RegistryError> {
    use crate::limits;
    limits::check_size(
        what,
        "MAX_REGISTRY_BYTES",
        limits::MAX_REGISTRY_BYTES,
        json.len(),
    )?;
    limits::check_depth(what, json)?;
    let mut de = serde_json::Deserializer::from_str(json);
    let doc = doc_from(&mut de, prefix)?;
    de.end()
        .map_err(|e| RegistryError::Json(format!("{prefix}{e}")))?;
    Ok(doc)
}

impl Registry {
    /// Whether `body` acts for `resource` when it suspends or ends sharing
    /// (national Art. 27¶2): it is the resource's provider, or it holds
    /// `authority` (the pack's sharing-authority role) for a region whose code
    /// begins the provider's region code.
    pub fn covers(&self, body: &str, resource: &str, authority: Option<Role>) -> bool {
        let Some(r) = self.resource(resource) else {
            return false;
        };
        if r.provider == body {
            return true;
        }
        let Some(b) = self.department(body) else {
            return false;
        };
        let region_of_provider = self
            .department(&r.provider)
            .and_then(|p| p.region.as_deref());
        authority.is_some_and(|role| b.has_role(role))
            && match (b.region.as_deref(), region_of_provider) {
                (Some(region), Some(of)) => !region.is_empty() && of.starts_with(region),
                _ => false,
            }
    }
}

impl Registry {
    /// Loads a registry from `source`: the one loading function behind
    /// [`Registry::from_path`], [`Registry::from_json_str`] and
    /// [`Registry::from_json_value`], and behind the Python (`Registry.from_file`,
    /// `from_json`, `from_dict`) and Node (`Registry.fromFile`, `fromJson`,
    /// `fromObject`) constructors. The limits apply to every source; an error
    /// names the file (for a path) and the field (`departments[0].level`).
    pub fn load(source: RegistrySource) -> Result<Self, RegistryError> {
        match source {
            RegistrySource::Path(path) => Self::from_path(path),
            RegistrySource::Json(text) => Self::from_json_str(&text),
            RegistrySource::Value(value) => Self::from_json_value(value),
        }
    }

    /// Parses and checks a registry from SPEC §8 JSON.
    pub fn from_json_str(json: &str) -> Result<Self, RegistryError> {
        Self::from_doc(doc_from_str(json, "registry", "")?)
    }

    /// Reads, parses and checks a registry file. Every error names the file:
    /// `registry.io`, `registry.invalid_json` (with the field), `limits.*`.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, RegistryError> {
        use crate::limits::{self, ReadError};
        let path = path.as_ref();
        let what = format!("registry `{}`", path.display());
        let text = limits::read_bounded(
            path,
            &what,
            "MAX_REGISTRY_BYTES",
            limits::MAX_REGISTRY_BYTES,
        )
        .map_err(|e| match e {
            ReadError::Limit(l) => RegistryError::Limit(l),
            ReadError::Io(e) => RegistryError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            },
        })?;
        let prefix = format!("file `{}`: ", path.display());
        Self::from_doc(doc_from_str(&text, &what, &prefix)?)
    }

    /// Checks and indexes a registry given as a JSON value (what a binding makes
    /// of a Python dict or a JavaScript object), with the same limits as JSON
    /// text: at most [`crate::limits::MAX_DEPTH`] levels of arrays and objects
    /// (`limits.too_deep`), then the counts and sizes of [`Registry::from_doc`].
    /// A value that does not fit SPEC §8 is `registry.invalid_json` naming the
    /// field (`departments[0].level`).
    pub fn from_json_value(value: serde_json::Value) -> Result<Self, RegistryError> {
        crate::limits::check_value_depth("registry", &value)?;
        Self::from_doc(doc_from(value, "")?)
    }

    /// Checks and indexes an already parsed document.
    pub fn from_doc(doc: RegistryDoc) -> Result<Self, RegistryError> {
        crate::limits::check_registry(&doc)?;
        let mut departments = HashMap::with_capacity(doc.departments.len());
        for (i, d) in doc.departments.iter().enumerate() {
            if !valid_id(&d.id) {
                return Err(RegistryError::InvalidId {
                    kind: "department",
                    id: d.id.clone(),
                });
            }
            if departments.insert(d.id.clone(), i).is_some() {
                return Err(RegistryError::DuplicateId {
                    kind: "department",
                    id: d.id.clone(),
                });
            }
            check_department_shape(d)?;
        }
        let mut resources = HashMap::with_capacity(doc.resources.len());
        for (i, r) in doc.resources.iter().enumerate() {
            if !valid_id(&r.id) {
                return Err(RegistryError::InvalidId {
                    kind: "resource",
                    id: r.id.clone(),
                });
            }
            if resources.insert(r.id.clone(), i).is_some() {
                return Err(RegistryError::DuplicateId {
                    kind: "resource",
                    id: r.id.clone(),
                });
            }
            if !departments.contains_key(&r.provider) {
                return Err(RegistryError::DanglingReference {
                    kind: "resource",
                    id: r.id.clone(),
                    field: "provider",
                    target: "department",
                    value: r.provider.clone(),
                });
            }
        }
        for r in &doc.resources {
            if let Some(source) = r.sources.iter().find(|s| !resources.contains_key(*s)) {
                return Err(RegistryError::DanglingReference {
                    kind: "resource",
                    id: r.id.clone(),
                    field: "sources",
                    target: "resource",
                    value: source.clone(),
                });
            }
        }
        let mut reg = Self {
            doc: RegistryDoc {
                departments: doc.departments,
                resources: doc.resources,
                grants: Vec::new(),
            },
            departments,
            resources,
            grants: HashMap::new(),
            grants_by_pair: HashMap::new(),
        };
        reg.add_grants(doc.grants)?;
        Ok(reg)
    }
}

/// The shape rules of SPEC v2 §6 for one department (input errors, whatever the pack).
pub(crate) fn check_department_shape(d: &Department) -> Result<(), RegistryError> {
    let bad = |field: &'static str, message: String| RegistryError::InvalidEntry {
        kind: "department",
        id: d.id.clone(),
        field,
        message,
    };
    if let Some(region) = &d.region
        && !valid_region(region)
    {
        return Err(bad(
            "region",
            format!(
                "`{region}` is not a GB/T 2260 code of 2, 4 or 6 digits (or \"\" for a State Council body)"
            ),
        ));
    }
    let mut serials = std::collections::HashSet::new();
    for c in &d.certificates {
        check_certificate_shape(&d.id, c)?;
        if !serials.insert(c.serial.as_str()) {
            return Err(bad(
                "certificates",
                format!("serial `{}` is registered twice", c.serial),
            ));
        }
    }
    Ok(())
}

/// A certificate's shape: a serial that is not blank, `not_before <= not_after`.
pub(crate) fn check_certificate_shape(
    department: &str,
    c: &Certificate,
) -> Result<(), RegistryError> {
    let bad = |message: String| RegistryError::InvalidEntry {
        kind: "department",
        id: department.to_owned(),
        field: "certificates",
        message,
    };
    if c.serial.trim().is_empty() {
        return Err(bad("a certificate has a blank `serial`".to_owned()));
    }
    if c.not_after < c.not_before {
        return Err(bad(format!(
            "certificate `{}` has `not_after` {} before `not_before` {}",
            c.serial,
            c.not_after.to_rfc3339(),
            c.not_before.to_rfc3339()
        )));
    }
    Ok(())
}

impl Registry {
    fn add_grants(&mut self, grants: Vec<Grant>) -> Result<(), RegistryError> {
        // Check everything first so that a bad grant leaves `self` unchanged.
        crate::limits::check_grants(self.doc.grants.len().saturating_add(grants.len()))?;
        crate::limits::check_new_grants(&grants, |d, r| self.grants_for(d, r).count())?;
        let mut seen = HashMap::new();
        for g in &grants {
            if !valid_id(&g.id) {
                return Err(RegistryError::InvalidId {
                    kind: "grant",
                    id: g.id.clone(),
                });
            }
            if self.grants.contains_key(&g.id) || seen.insert(g.id.as_str(), ()).is_some() {
                return Err(RegistryError::DuplicateId {
                    kind: "grant",
                    id: g.id.clone(),
                });
            }
            if !self.departments.contains_key(&g.department) {
                return Err(RegistryError::DanglingReference {
                    kind: "grant",
                    id: g.id.clone(),
                    field: "department",
                    target: "department",
                    value: g.department.clone(),
                });
            }
            if !self.resources.contains_key(&g.resource) {
                return Err(RegistryError::DanglingReference {
                    kind: "grant",
                    id: g.id.clone(),
                    field: "resource",
                    target: "resource",
                    value: g.resource.clone(),
                });
            }
        }
        for g in grants {
            let i = self.doc.grants.len();
            self.grants.insert(g.id.clone(), i);
            self.grants_by_pair
                .entry((g.department.clone(), g.resource.clone()))
                .or_default()
                .push(i);
            self.doc.grants.push(g);
        }
        Ok(())
    }

    /// A new snapshot with `grants` added; `self` is unchanged. Errors name the
    /// offending grant.
    pub fn with_grants(&self, grants: Vec<Grant>) -> Result<Self, RegistryError> {
        let mut next = self.clone();
        next.add_grants(grants)?;
        Ok(next)
    }

    /// The department with id `id`.
    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments
            .get(id)
            .and_then(|&i| self.doc.departments.get(i))
    }

    /// The resource with id `id`.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources
            .get(id)
            .and_then(|&i| self.doc.resources.get(i))
    }

    /// The grant with id `id`.
    pub fn grant(&self, id: &str) -> Option<&Grant> {
        self.grants.get(id).and_then(|&i| self.doc.grants.get(i))
    }

    /// The grants held by `department` on `resource` (active or not).
    pub fn grants_for<'a>(
        &'a self,
        department: &str,
        resource: &str,
    ) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants_by_pair
            .get(&(department.to_owned(), resource.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.doc.grants.get(i))
    }

    /// The position of department `id` in [`Registry::departments`].
    pub(crate) fn department_index(&self, id: &str) -> Option<usize> {
        self.departments.get(id).copied()
    }

    /// The position of resource `id` in [`Registry::resources`].
    pub(crate) fn resource_index(&self, id: &str) -> Option<usize> {
        self.resources.get(id).copied()
    }

    /// All departments, in document order.
    pub fn departments(&self) -> &[Department] {
        &self.doc.departments
    }

    /// All resources, in document order.
    pub fn resources(&self) -> &[Resource] {
        &self.doc.resources
    }

    /// All grants, in document order.
    pub fn grants(&self) -> &[Grant] {
        &self.doc.grants
    }

    /// The departments with `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Department> {
        self.doc
            .departments
            .iter()
            .filter(move |d| d.has_role(role))
    }

    /// Catalog validation (SPEC §6) under the Binzhou pack: the findings, in
    /// document order. A registry with findings still loads; errors break a rule
    /// of the measures. [`crate::policy::PolicyPack::validate`] names the pack.
    pub fn validate(&self) -> Vec<Finding> {
        validate::validate(self)
    }

    /// The document this registry was built from (plus added grants).
    pub fn doc(&self) -> &RegistryDoc {
        &self.doc
    }
}
