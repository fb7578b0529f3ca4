//! SPEC §6 catalog validation: for each rule, the sample passes it and a
//! mutated registry breaks it with the right article, severity, id and code.

#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]

use govshare::registry::{
    Database, Finding, FindingSeverity, GrantSource, Network, Registry, RegistryDoc, Role,
    Sensitivity, Sharing,
};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn doc() -> RegistryDoc {
    Registry::from_json_str(SAMPLE).unwrap().doc().clone()
}

fn findings(edit: impl FnOnce(&mut RegistryDoc)) -> Vec<Finding> {
    let mut d = doc();
    edit(&mut d);
    Registry::from_doc(d).unwrap().validate()
}

fn one<'a>(fs: &'a [Finding], code: &str, id: &str) -> &'a Finding {
    let hits: Vec<_> = fs.iter().filter(|f| f.code == code && f.id == id).collect();
    assert_eq!(hits.len(), 1, "{code} on {id}: {fs:#?}");
    hits.first().copied().unwrap()
}

fn sample_has(code: &str) -> bool {
    Registry::from_json_str(SAMPLE)
        .unwrap()
        .validate()
        .iter()
        .any(|f| f.code == code)
}

fn res<'a>(d: &'a mut RegistryDoc, id: &str) -> &'a mut govshare::registry::Resource {
    d.resources.iter_mut().find(|r| r.id == id).unwrap()
}

#[test]
fn the_sample_has_no_errors_only_deliberate_warnings() {
    let fs = Registry::from_json_str(SAMPLE).unwrap().validate();
    assert!(
        fs.iter().all(|f| f.severity == FindingSeverity::Warning),
        "{fs:#?}"
    );
    let mut codes: Vec<_> = fs.iter().map(|f| f.code.as_str()).collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            // city.housing and county.boxing.civil-affairs catalog nothing of their own
            // (Art. 11, 30(1): 未編制), a warning in SPEC v2 §6.
            "catalog_missing",
            "catalog_missing",
            "certificate_revoked",
            "derived_grant_incomplete",
            "grant_not_coordinated"
        ]
    );
}

#[test]
fn basic_database_entries_are_unconditional() {
    assert!(!sample_has("basic_not_unconditional"));
    let fs = findings(|d| res(d, "population.basic").sharing = Sharing::Conditional);
    let f = one(&fs, "basic_not_unconditional", "population.basic");
    // SPEC v2 §6: a warning; decisions add a reason citing 10.
    assert_eq!(
        (f.article.as_str(), f.severity, f.kind.as_str()),
        ("10", FindingSeverity::Warning, "resource")
    );
}

#[test]
fn basic_entries_name_their_category() {
    assert!(!sample_has("basic_category_missing"));
    let fs = findings(|d| res(d, "e-license.basic").basic_category = None);
    assert_eq!(
        one(&fs, "basic_category_missing", "e-license.basic").severity,
        FindingSeverity::Warning
    );
    let fs = findings(|d| {
        res(d, "hr.employment-registration").basic_category =
            Some(govshare::registry::BasicCategory::Population)
    });
    assert_eq!(
        one(
            &fs,
            "basic_category_not_basic",
            "hr.employment-registration"
        )
        .severity,
        FindingSeverity::Warning
    );
}

#[test]
fn not_shared_needs_a_legal_basis() {
    assert!(!sample_has("legal_basis_missing"));
    let fs = findings(|d| res(d, "gov-office.supervision").legal_basis = Some("  ".into()));
    let f = one(&fs, "legal_basis_missing", "gov-office.supervision");
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("5", FindingSeverity::Warning)
    );
}

#[test]
fn every_entry_has_interface_and_specification() {
    assert!(!sample_has("interface_missing"));
    let fs = findings(|d| res(d, "market.food-inspection").interface = None);
    assert_eq!(
        one(&fs, "interface_missing", "market.food-inspection").article,
        "14"
    );
    let fs = findings(|d| {
        res(d, "market.food-inspection")
            .interface
            .as_mut()
            .unwrap()
            .spec = String::new()
    });
    assert_eq!(
        one(&fs, "interface_spec_missing", "market.food-inspection").article,
        "14"
    );
    let fs = findings(|d| {
        res(d, "market.food-inspection")
            .interface
            .as_mut()
            .unwrap()
            .endpoint = String::new()
    });
    assert_eq!(
        one(&fs, "interface_endpoint_missing", "market.food-inspection").article,
        "14"
    );
}

#[test]
fn state_secrets_live_on_the_intranet_and_are_not_unconditional() {
    assert!(!sample_has("state_secret_not_intranet"));
    let fs = findings(|d| res(d, "public-security.case-intelligence").network = Network::Extranet);
    let f = one(
        &fs,
        "state_secret_not_intranet",
        "public-security.case-intelligence",
    );
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("8", FindingSeverity::Error)
    );
    let fs =
        findings(|d| res(d, "public-security.case-intelligence").sharing = Sharing::Unconditional);
    let f = one(
        &fs,
        "state_secret_unconditional",
        "public-security.case-intelligence",
    );
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("4(1)", FindingSeverity::Error)
    );
    let fs = findings(|d| {
        res(d, "public-security.case-intelligence").open_fields = vec!["case_type".into()]
    });
    let f = one(
        &fs,
        "state_secret_open_fields",
        "public-security.case-intelligence",
    );
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("4(1)", FindingSeverity::Error)
    );
}

#[test]
fn open_data_carries_no_sensitive_data() {
    assert!(!sample_has("open_data_sensitive"));
    let fs = findings(|d| {
        res(d, "market.enterprise-credit").sensitivity = vec![Sensitivity::CommercialSecret]
    });
    let f = one(&fs, "open_data_sensitive", "market.enterprise-credit");
    // SPEC v2 §6: a warning; it blocks publication only.
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("22", FindingSeverity::Warning)
    );
}

#[test]
fn every_department_has_a_certificate() {
    assert!(!sample_has("certificate_missing"));
    let fs = findings(|d| {
        d.departments
            .iter_mut()
            .find(|x| x.id == "city.finance")
            .unwrap()
            .certificates
            .clear()
    });
    let f = one(&fs, "certificate_missing", "city.finance");
    assert_eq!(
        (f.article.as_str(), f.severity, f.kind.as_str()),
        ("26", FindingSeverity::Warning, "department")
    );
    // SPEC v2 §6: a period that ends before it starts is a shape error of the input.
    let mut d = doc();
    let c = d
        .departments
        .iter_mut()
        .find(|x| x.id == "city.finance")
        .unwrap()
        .certificates
        .first_mut()
        .unwrap();
    std::mem::swap(&mut c.not_before, &mut c.not_after);
    let err = Registry::from_doc(d).unwrap_err();
    assert_eq!(err.code(), "registry.invalid_entry");
    assert!(err.to_string().contains("city.finance"), "{err}");
}

#[test]
fn two_departments_with_one_serial_are_a_warning() {
    let fs = findings(|d| {
        let serial = d.departments[0].certificates[0].serial.clone();
        d.departments
            .iter_mut()
            .find(|x| x.id == "city.finance")
            .unwrap()
            .certificates[0]
            .serial = serial;
    });
    let f = one(&fs, "certificate_serial_shared", "city.finance");
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("26", FindingSeverity::Warning)
    );
}

#[test]
fn open_fields_are_a_subset_of_fields() {
    assert!(!sample_has("open_fields_not_in_fields"));
    let fs = findings(|d| {
        res(d, "civil-affairs.marriage")
            .open_fields
            .push("photo".into())
    });
    let f = one(&fs, "open_fields_not_in_fields", "civil-affairs.marriage");
    assert_eq!(
        (f.article.as_str(), f.severity),
        ("5", FindingSeverity::Error)
    );
    assert!(f.en.contains("`photo`"));
    let fs = findings(|d| res(d, "population.basic").open_fields.push("name".into()));
    assert_eq!(
        one(&fs, "open_fields_not_conditional", "population.basic").severity,
        FindingSeverity::Warning
    );
}

#[test]
fn grants_are_checked_against_their_resource() {
    assert!(!sample_has("grant_field_unknown"));
    let fs = findings(|d| {
        d.grants
            .iter_mut()
            .find(|g| g.id == "g-2018-0001")
            .unwrap()
            .fields
            .push("salary".into())
    });
    assert_eq!(
        one(&fs, "grant_field_unknown", "g-2018-0001").severity,
        FindingSeverity::Warning
    );
    let fs = findings(|d| {
        let g = d.grants.iter_mut().find(|g| g.id == "g-2018-0001").unwrap();
        g.until = Some(g.from);
    });
    assert_eq!(
        one(&fs, "grant_period_invalid", "g-2018-0001").article,
        "17"
    );
    let fs = findings(|d| {
        d.grants
            .iter_mut()
            .find(|g| g.id == "g-2018-0001")
            .unwrap()
            .purposes = vec!["sightseeing".into()]
    });
    assert_eq!(
        one(&fs, "grant_purpose_not_duty", "g-2018-0001").article,
        "4(2)"
    );
    // The sample's deliberate ones.
    let fs = findings(|_| {});
    assert_eq!(
        one(&fs, "grant_not_coordinated", "g-2020-0009").article,
        "17"
    );
    assert_eq!(
        one(&fs, "derived_grant_incomplete", "g-2019-0005").article,
        "21"
    );
    let fs = findings(|d| {
        d.grants
            .iter_mut()
            .find(|g| g.id == "g-2019-0005")
            .unwrap()
            .approvals
            .push(GrantSource::BigDataCenter)
    });
    assert!(!fs.iter().any(|f| f.id == "g-2019-0005"));
}

#[test]
fn roles_are_present_and_unique() {
    let fs = findings(|d| {
        d.departments
            .iter_mut()
            .find(|x| x.id == "city.big-data-center")
            .unwrap()
            .roles
            .clear()
    });
    assert_eq!(one(&fs, "big_data_center_missing", "").kind, "registry");
    let fs = findings(|d| {
        d.departments
            .iter_mut()
            .find(|x| x.id == "city.finance")
            .unwrap()
            .roles
            .push(Role::CityGovernmentOffice)
    });
    assert_eq!(
        one(&fs, "city_government_office_not_unique", "").severity,
        FindingSeverity::Error
    );
}

#[test]
fn structural_problems_remain_load_errors() {
    let mut d = doc();
    d.resources.push(d.resources[0].clone());
    assert_eq!(
        Registry::from_doc(d).unwrap_err().code(),
        "registry.duplicate_id"
    );
    let mut d = doc();
    d.grants[0].resource = "nowhere".into();
    assert_eq!(
        Registry::from_doc(d).unwrap_err().code(),
        "registry.dangling_reference"
    );
    let bad = SAMPLE.replacen("\"restricted\"", "\"restrictd\"", 1);
    let err = Registry::from_json_str(&bad).unwrap_err();
    assert!(err.to_string().contains("restrictd"), "{err}");
}

#[test]
fn findings_serialise() {
    let fs = findings(|d| res(d, "population.basic").database = Database::Basic);
    let f = &Registry::from_json_str(SAMPLE).unwrap().validate()[0];
    let v = serde_json::to_value(f).unwrap();
    for key in ["article", "severity", "kind", "id", "code", "zh", "en"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["severity"], "warning");
    let back: Finding = serde_json::from_value(v).unwrap();
    assert_eq!(&back, f);
    assert_eq!(fs.len(), 5);
}
