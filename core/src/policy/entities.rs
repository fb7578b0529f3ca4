//! Building the few Cedar entities one decision needs from the registry model
//! (the principal, the resource, its provider, the candidate grants).

use std::collections::{HashMap, HashSet};

use cedar_policy::{Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};
use chrono::{DateTime, FixedOffset};

use super::PolicyError;
use super::manifest::MethodSettings;
use super::pack::Names;
use crate::registry::{
    Certificate, Database, Department, Grant, GrantSource, Method, Network, Resource, Role,
    Sensitivity, Sharing,
};

/// A registry moment as Unix nanoseconds, the pack's unit of time. Moments
/// outside what an `i64` holds (before 1677 or after 2262) are clamped: they
/// still compare right against any request moment, which must be in range
/// ([`request_nanos`]).
pub(crate) fn nanos(t: DateTime<FixedOffset>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// A request's moment as Unix nanoseconds; `None` outside 1677-2262.
pub(crate) fn request_nanos(t: DateTime<FixedOffset>) -> Option<i64> {
    t.timestamp_nanos_opt()
}

/// The uid of `department`'s certificate `serial`. Department ids hold no
/// control character (SPEC v2 §1), so the separator cannot be forged.
pub(crate) fn certificate_uid(names: &Names, department: &str, serial: &str) -> EntityUid {
    uid(&names.certificate, &format!("{department}\u{1f}{serial}"))
}

pub(crate) fn uid(ty: &EntityTypeName, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(ty.clone(), EntityId::new(id))
}

fn s(v: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(v.to_owned())
}

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(items.into_iter().map(s))
}

fn b(v: bool) -> RestrictedExpression {
    RestrictedExpression::new_bool(v)
}

fn long(v: i64) -> RestrictedExpression {
    RestrictedExpression::new_long(v)
}

fn entity(
    uid: EntityUid,
    attrs: HashMap<String, RestrictedExpression>,
) -> Result<Entity, PolicyError> {
    Entity::new(uid, attrs, HashSet::new()).map_err(|e| PolicyError::Evaluation {
        policy: None,
        message: e.to_string(),
    })
}

pub(crate) fn role_str(r: Role) -> &'static str {
    r.as_str()
}

pub(crate) fn sharing_str(v: Sharing) -> &'static str {
    match v {
        Sharing::Unconditional => "unconditional",
        Sharing::Conditional => "conditional",
        Sharing::NotShared => "not_shared",
    }
}

pub(crate) fn database_str(v: Database) -> &'static str {
    match v {
        Database::Basic => "basic",
        Database::Thematic => "thematic",
        Database::Business => "business",
        Database::FrontExchange => "front_exchange",
    }
}

pub(crate) fn network_str(v: Network) -> &'static str {
    match v {
        Network::Intranet => "intranet",
        Network::Extranet => "extranet",
    }
}

pub(crate) fn sensitivity_str(v: Sensitivity) -> &'static str {
    match v {
        Sensitivity::StateSecret => "state_secret",
        Sensitivity::CommercialSecret => "commercial_secret",
        Sensitivity::PersonalInfo => "personal_info",
        Sensitivity::WorkSecret => "work_secret",
    }
}

pub(crate) fn method_str(v: Method) -> &'static str {
    match v {
        Method::SystemIntegration => "system_integration",
        Method::FrontProcessor => "front_processor",
        Method::OnlineQuery => "online_query",
        Method::BatchDownload => "batch_download",
        Method::ServiceInterface => "service_interface",
        Method::BatchExchange => "batch_exchange",
        Method::FileDownload => "file_download",
    }
}

/// `Gov::Department`.
pub(crate) fn department(names: &Names, d: &Department) -> Result<Entity, PolicyError> {
    let attrs = HashMap::from([
        (
            "duties".to_owned(),
            set(d.duties.iter().map(String::as_str)),
        ),
        (
            "roles".to_owned(),
            set(d.roles.iter().map(|&r| role_str(r))),
        ),
        ("restricted".to_owned(), b(d.restricted)),
        (
            "certificates".to_owned(),
            RestrictedExpression::new_set(d.certificates.iter().map(|c| {
                RestrictedExpression::new_entity_uid(certificate_uid(names, &d.id, &c.serial))
            })),
        ),
    ]);
    entity(uid(&names.department, &d.id), attrs)
}

/// `Gov::Certificate`: `department`'s certificate `c`.
pub(crate) fn certificate(
    names: &Names,
    department: &str,
    c: &Certificate,
) -> Result<Entity, PolicyError> {
    let attrs = HashMap::from([
        ("serial".to_owned(), s(&c.serial)),
        ("not_before".to_owned(), long(nanos(c.not_before))),
        ("not_after".to_owned(), long(nanos(c.not_after))),
        ("revoked".to_owned(), b(c.revoked)),
    ]);
    entity(certificate_uid(names, department, &c.serial), attrs)
}

/// `Gov::Resource`.
/// `quarantined`: the resource has an error finding of the pack (SPEC v2 §6).
pub(crate) fn resource(
    names: &Names,
    r: &Resource,
    quarantined: bool,
) -> Result<Entity, PolicyError> {
    let attrs = HashMap::from([
        (
            "provider".to_owned(),
            RestrictedExpression::new_entity_uid(uid(&names.department, &r.provider)),
        ),
        ("sharing".to_owned(), s(sharing_str(r.sharing))),
        ("database".to_owned(), s(database_str(r.database))),
        ("derived".to_owned(), b(r.derived)),
        ("network".to_owned(), s(network_str(r.network))),
        (
            "fields".to_owned(),
            set(r.fields.iter().map(String::as_str)),
        ),
        (
            "open_fields".to_owned(),
            set(r.open_fields.iter().map(String::as_str)),
        ),
        (
            "sensitivity".to_owned(),
            set(r.sensitivity.iter().map(|&x| sensitivity_str(x))),
        ),
        (
            "state_secret".to_owned(),
            b(r.has_sensitivity(Sensitivity::StateSecret)),
        ),
        ("open_data".to_owned(), b(r.open_data)),
        ("quarantined".to_owned(), b(quarantined)),
        ("has_catalogued".to_owned(), b(r.catalogued.is_some())),
        (
            "catalogued".to_owned(),
            long(r.catalogued.map_or(0, catalogued_nanos)),
        ),
    ]);
    entity(uid(&names.resource, &r.id), attrs)
}

/// The first moment of the day a catalog entry was published (China time), in
/// Unix nanoseconds.
pub(crate) fn catalogued_nanos(day: chrono::NaiveDate) -> i64 {
    let china = chrono::FixedOffset::east_opt(8 * 3600);
    day.and_hms_opt(0, 0, 0)
        .zip(china)
        .and_then(|(t, tz)| t.and_local_timezone(tz).single())
        .map_or(0, nanos)
}

fn source_str(s: GrantSource) -> &'static str {
    match s {
        GrantSource::ProviderReply => "provider_reply",
        GrantSource::BigDataCenter => "big_data_center",
        GrantSource::CityGovernmentOffice => "city_government_office",
        GrantSource::SharingAuthority => "sharing_authority",
        GrantSource::PeopleGovernment => "people_government",
    }
}

/// `Gov::Grant`, its methods read by the pack in force (`methods`: a method
/// the pack neither declares nor maps allows nothing under it).
pub(crate) fn grant(
    names: &Names,
    g: &Grant,
    methods: &MethodSettings,
) -> Result<Entity, PolicyError> {
    let attrs = HashMap::from([
        (
            "department".to_owned(),
            RestrictedExpression::new_entity_uid(uid(&names.department, &g.department)),
        ),
        (
            "resource".to_owned(),
            RestrictedExpression::new_entity_uid(uid(&names.resource, &g.resource)),
        ),
        (
            "purposes".to_owned(),
            set(g.purposes.iter().map(String::as_str)),
        ),
        ("all_fields".to_owned(), b(g.fields.is_empty())),
        (
            "fields".to_owned(),
            set(g.fields.iter().map(String::as_str)),
        ),
        ("all_methods".to_owned(), b(g.methods.is_empty())),
        (
            "methods".to_owned(),
            set(g
                .methods
                .iter()
                .filter_map(|&m| methods.resolve(m))
                .map(method_str)),
        ),
        (
            "sources".to_owned(),
            set(std::iter::once(g.source)
                .chain(g.approvals.iter().copied())
                .map(source_str)),
        ),
        ("from".to_owned(), long(nanos(g.from))),
        ("has_until".to_owned(), b(g.until.is_some())),
        ("until".to_owned(), long(g.until.map_or(0, nanos))),
        (
            "coordinated".to_owned(),
            b(matches!(
                g.source,
                GrantSource::BigDataCenter | GrantSource::CityGovernmentOffice
            )),
        ),
        (
            "provider_approved".to_owned(),
            b(g.approved_by(GrantSource::ProviderReply)),
        ),
        (
            "big_data_center_approved".to_owned(),
            b(g.approved_by(GrantSource::BigDataCenter)),
        ),
    ]);
    entity(uid(&names.grant, &g.id), attrs)
}

#[cfg(test)]
mod tests {
    use cedar_policy::{Entities, Request};

    use super::*;
    use crate::policy::{AccessRequest, Engine, PolicyPack};
    use crate::registry::Registry;

    const SAMPLE: &str = include_str!("../../../policies/binzhou/sample/registry.json");

    /// The entities the engine builds (without the schema, for speed) conform
    /// to the pack's schema.
    #[test]
    fn entities_conform_to_the_schema() {
        for pack in PolicyPack::builtins() {
            let reg = Registry::from_json_str(SAMPLE).unwrap();
            let names = &pack.inner.names;
            let mut list = Vec::new();
            for d in reg.departments() {
                list.push(department(names, d).unwrap());
                for c in &d.certificates {
                    list.push(certificate(names, &d.id, c).unwrap());
                }
            }
            for r in reg.resources() {
                list.push(resource(names, r, false).unwrap());
            }
            for g in reg.grants() {
                list.push(grant(names, g, &pack.manifest().methods).unwrap());
            }
            let n = list.len();
            let entities = Entities::from_entities(list, Some(pack.schema())).unwrap();
            assert!(entities.iter().count() >= n, "{}", pack.name());
        }
    }

    /// So do the requests, with and without a candidate grant.
    #[test]
    fn requests_conform_to_the_schema() {
        for (pack, at) in [
            (PolicyPack::binzhou(), "2019-09-27T10:00:00+08:00"),
            (PolicyPack::national_2025(), "2026-03-02T10:00:00+08:00"),
        ] {
            let engine = Engine::new(pack, Registry::from_json_str(SAMPLE).unwrap()).unwrap();
            for (dept, res) in [
                ("city.civil-affairs", "hr.social-insurance"),
                ("city.civil-affairs", "population.basic"),
            ] {
                let r: AccessRequest = serde_json::from_value(serde_json::json!({
                    "department": dept, "resource": res, "method": "online_query",
                    "purpose": "social-assistance", "network": "extranet",
                    "certificate": "BZ-0007", "at": at
                }))
                .unwrap();
                let (req, _) = engine.cedar_inputs(&r).unwrap();
                let checked = Request::new(
                    req.principal().unwrap().clone(),
                    req.action().unwrap().clone(),
                    req.resource().unwrap().clone(),
                    req.context().unwrap().clone(),
                    Some(engine.pack().schema()),
                );
                assert!(checked.is_ok(), "{checked:?}");
            }
        }
    }
}
