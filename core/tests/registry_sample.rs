//! The sample Binzhou registry loads and has what the other suites rely on.

use govshare::registry::{Database, Network, Registry, Role, Sensitivity, Sharing};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

#[test]
fn sample_registry_loads_with_every_class_and_database() {
    let reg = Registry::from_json_str(SAMPLE).unwrap();
    for s in [
        Sharing::Unconditional,
        Sharing::Conditional,
        Sharing::NotShared,
    ] {
        assert!(reg.resources().iter().any(|r| r.sharing == s), "{s:?}");
    }
    for d in [
        Database::Basic,
        Database::Thematic,
        Database::Business,
        Database::FrontExchange,
    ] {
        assert!(reg.resources().iter().any(|r| r.database == d), "{d:?}");
    }
    assert!(reg.resources().iter().any(|r| r.derived));
    assert!(
        reg.resources()
            .iter()
            .any(|r| r.network == Network::Intranet && r.has_sensitivity(Sensitivity::StateSecret))
    );
    for role in [
        Role::BigDataCenter,
        Role::CityGovernmentOffice,
        Role::Finance,
    ] {
        assert_eq!(reg.with_role(role).count(), 1, "{role:?}");
    }
    assert!(reg.departments().iter().all(|d| !d.certificates.is_empty()));
    assert!(!reg.grants().is_empty());
}
