//! Building the few Cedar entities one decision needs from the registry model
//! (the principal, the resource, its provider, the candidate grants).

use std::collections::{HashMap, HashSet};

use cedar_policy::{Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};

use super::PolicyError;
use super::pack::Names;
use crate::registry::{
    Database, Department, Grant, GrantSource, Method, Network, Resource, Role, Sensitivity, Sharing,
};

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
    match r {
        Role::BigDataCenter => "big_data_center",
        Role::CityGovernmentOffice => "city_government_office",
        Role::Finance => "finance",
    }
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
    }
}

pub(crate) fn method_str(v: Method) -> &'static str {
    match v {
        Method::SystemIntegration => "system_integration",
        Method::FrontProcessor => "front_processor",
        Method::OnlineQuery => "online_query",
        Method::BatchDownload => "batch_download",
    }
}

/// `Gov::Department`.
pub(crate) fn department(names: &Names, d: &Department) -> Result<Entity, PolicyError> {
    let cert = d.certificate.as_ref();
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
        ("has_certificate".to_owned(), b(cert.is_some())),
        (
            "certificate_serial".to_owned(),
            s(cert.map_or("", |c| c.serial.as_str())),
        ),
        (
            "certificate_not_before".to_owned(),
            long(cert.map_or(0, |c| c.not_before.timestamp())),
        ),
        (
            "certificate_not_after".to_owned(),
            long(cert.map_or(0, |c| c.not_after.timestamp())),
        ),
        (
            "certificate_revoked".to_owned(),
            b(cert.is_some_and(|c| c.revoked)),
        ),
    ]);
    entity(uid(&names.department, &d.id), attrs)
}

/// `Gov::Resource`.
pub(crate) fn resource(names: &Names, r: &Resource) -> Result<Entity, PolicyError> {
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
    ]);
    entity(uid(&names.resource, &r.id), attrs)
}

/// `Gov::Grant`.
pub(crate) fn grant(names: &Names, g: &Grant) -> Result<Entity, PolicyError> {
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
            set(g.methods.iter().map(|&m| method_str(m))),
        ),
        ("from".to_owned(), long(g.from.timestamp())),
        ("has_until".to_owned(), b(g.until.is_some())),
        (
            "until".to_owned(),
            long(g.until.map_or(0, |u| u.timestamp())),
        ),
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
