//! SPEC §2 on the sample registry: for every rule, the permit side and the deny
//! side, asserting decision, route and citations.

#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]

use chrono::{DateTime, FixedOffset};
use govshare::policy::{AccessRequest, DecideOptions, Decision, Effect, Engine, PolicyPack, Route};
use govshare::registry::{
    Grant, GrantSource, Method, Network, Registry, RegistryDoc, Sensitivity, Sharing,
};

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn engine() -> Engine {
    Engine::new(
        PolicyPack::binzhou(),
        Registry::from_json_str(SAMPLE).unwrap(),
    )
    .unwrap()
}

fn engine_with(edit: impl FnOnce(&mut RegistryDoc)) -> Engine {
    let mut doc = Registry::from_json_str(SAMPLE).unwrap().doc().clone();
    edit(&mut doc);
    Engine::new(PolicyPack::binzhou(), Registry::from_doc(doc).unwrap()).unwrap()
}

/// A well-formed request: the department's own certificate, the resource's
/// network, online query, 2019-09-27 10:00 China time, all fields.
fn req(e: &Engine, department: &str, resource: &str, purpose: &str) -> AccessRequest {
    let d = e.registry().department(department).unwrap();
    let r = e.registry().resource(resource).unwrap();
    AccessRequest {
        department: department.to_owned(),
        resource: resource.to_owned(),
        method: Method::OnlineQuery,
        purpose: purpose.to_owned(),
        fields: None,
        network: r.network,
        certificate: d
            .certificates
            .first()
            .map(|c| c.serial.clone())
            .unwrap_or_default(),
        at: at("2019-09-27T10:00:00+08:00"),
    }
}

fn fields(r: AccessRequest, f: &[&str]) -> AccessRequest {
    AccessRequest {
        fields: Some(f.iter().map(|s| (*s).to_owned()).collect()),
        ..r
    }
}

fn codes(d: &Decision) -> Vec<&str> {
    d.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn assert_permit(d: &Decision, route: Route, citations: &[&str]) {
    assert_eq!(d.decision, Effect::Permit, "{d:?}");
    assert_eq!(d.route, route, "{d:?}");
    assert_eq!(d.citations, citations, "{d:?}");
    assert!(d.in_force);
}

fn assert_deny(d: &Decision, route: Route, cites: &[&str], code: &str) {
    assert_eq!(d.decision, Effect::Deny, "{d:?}");
    assert_eq!(d.route, route, "{d:?}");
    for c in cites {
        assert!(
            d.citations.iter().any(|x| x == c),
            "missing citation {c}: {d:?}"
        );
    }
    assert!(codes(d).contains(&code), "missing reason {code}: {d:?}");
    assert_eq!(d.grant, None);
    // Every reason's article is cited.
    for r in &d.reasons {
        assert!(d.citations.contains(&r.article), "{d:?}");
        assert!(!r.zh.is_empty() && !r.en.is_empty());
    }
}

// ---- Art. 26: certificate -------------------------------------------------

#[test]
fn certificate_registered_and_valid_permits() {
    let e = engine();
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
        ))
        .unwrap();
    assert_permit(&d, Route::Direct, &["5", "17"]);
    assert_eq!(d.grant, None);
}

#[test]
fn certificate_of_another_department_denies() {
    let e = engine();
    let r = AccessRequest {
        certificate: "BZ-0001".into(),
        ..req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
        )
    };
    let d = e.decide(&r).unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_mismatch");
    assert_eq!(d.citations, ["26"]);
}

#[test]
fn revoked_certificate_denies() {
    let e = engine();
    let d = e
        .decide(&req(
            &e,
            "city.housing",
            "population.basic",
            "housing-security",
        ))
        .unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_revoked");
}

#[test]
fn expired_or_missing_certificate_denies() {
    let e = engine_with(|doc| {
        let d = doc
            .departments
            .iter_mut()
            .find(|d| d.id == "city.civil-affairs")
            .unwrap();
        d.certificates[0].not_after = at("2019-01-01T00:00:00+08:00");
        let d = doc
            .departments
            .iter_mut()
            .find(|d| d.id == "city.finance")
            .unwrap();
        d.certificates.clear();
    });
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
        ))
        .unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_not_valid");
    // Still valid before it expired.
    let early = AccessRequest {
        at: at("2018-06-01T09:00:00+08:00"),
        ..req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "social-assistance",
        )
    };
    assert_permit(&e.decide(&early).unwrap(), Route::Direct, &["5", "17"]);
    let d = e
        .decide(&req(
            &e,
            "city.finance",
            "population.basic",
            "budget-management",
        ))
        .unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_missing");
}

// ---- Art. 8: network ------------------------------------------------------

#[test]
fn network_must_match_the_resource() {
    let e = engine();
    let ok = req(
        &e,
        "city.government-office",
        "public-security.case-intelligence",
        "coordination",
    );
    assert_eq!(ok.network, Network::Intranet);
    // A state secret, opened by its provider's own grant (SPEC v2 §2).
    assert_permit(
        &e.decide(&ok).unwrap(),
        Route::Granted,
        &["4(1)", "5", "17"],
    );
    let bad = AccessRequest {
        network: Network::Extranet,
        ..ok
    };
    let d = e.decide(&bad).unwrap();
    assert_deny(&d, Route::None, &["8", "4(1)"], "network_mismatch");
    assert!(codes(&d).contains(&"state_secret_network"));
}

// ---- Art. 4(2), 19, 23: purpose within duties -------------------------------

#[test]
fn purpose_must_be_a_duty() {
    let e = engine();
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "marriage-registration",
        ))
        .unwrap();
    assert_eq!(d.decision, Effect::Permit);
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "population.basic",
            "criminal-investigation",
        ))
        .unwrap();
    assert_deny(
        &d,
        Route::None,
        &["4(2)", "19", "23"],
        "purpose_outside_duties",
    );
}

// ---- Art. 21: restriction and derived resources -----------------------------

#[test]
fn restricted_department_gets_no_derived_resource() {
    let e = engine();
    // Same kind of grant (provider + Big Data Center), unrestricted: permitted.
    let d = e
        .decide(&req(
            &e,
            "county.huimin.civil-affairs",
            "platform.assistance-profile",
            "social-assistance",
        ))
        .unwrap();
    assert_permit(&d, Route::Granted, &["21", "17"]);
    assert_eq!(d.grant.as_deref(), Some("g-2019-0004"));
    let d = e
        .decide(&req(
            &e,
            "county.boxing.civil-affairs",
            "platform.assistance-profile",
            "social-assistance",
        ))
        .unwrap();
    // SPEC v2 §2: the restriction routes to coordinate (the Big Data Center lifts it).
    assert_deny(&d, Route::Coordinate, &["21"], "restricted_derived");
    // Restriction is about derived information only.
    let d = e
        .decide(&req(
            &e,
            "county.boxing.civil-affairs",
            "population.basic",
            "social-assistance",
        ))
        .unwrap();
    assert_permit(&d, Route::Direct, &["5", "17"]);
}

#[test]
fn derived_resource_needs_provider_and_big_data_center() {
    let e = engine();
    // g-2019-0005 carries only the provider's reply.
    let d = e
        .decide(&req(
            &e,
            "city.human-resources",
            "platform.assistance-profile",
            "employment-services",
        ))
        .unwrap();
    assert_deny(&d, Route::Apply, &["21"], "grant_approvals_incomplete");
    // No grant at all: apply, citing Art. 21.
    let d = e
        .decide(&req(
            &e,
            "city.market-regulation",
            "platform.assistance-profile",
            "market-supervision",
        ))
        .unwrap();
    assert_deny(
        &d,
        Route::Apply,
        &["21", "17"],
        "derived_application_required",
    );
    // Adding the Big Data Center's consent opens it.
    let e = engine_with(|doc| {
        let g = doc
            .grants
            .iter_mut()
            .find(|g| g.id == "g-2019-0005")
            .unwrap();
        g.approvals.push(GrantSource::BigDataCenter);
    });
    let d = e
        .decide(&req(
            &e,
            "city.human-resources",
            "platform.assistance-profile",
            "employment-services",
        ))
        .unwrap();
    assert_permit(&d, Route::Granted, &["21", "17"]);
}

#[test]
fn derived_resource_open_fields_are_not_direct() {
    let e = engine_with(|doc| {
        let r = doc
            .resources
            .iter_mut()
            .find(|r| r.id == "platform.assistance-profile")
            .unwrap();
        r.open_fields = vec!["name".into()];
    });
    let d = e
        .decide(&fields(
            req(
                &e,
                "city.market-regulation",
                "platform.assistance-profile",
                "market-supervision",
            ),
            &["name"],
        ))
        .unwrap();
    assert_deny(&d, Route::Apply, &["21"], "derived_application_required");
}

// ---- Art. 4(1): state secrets ---------------------------------------------

#[test]
fn state_secret_is_never_unconditional() {
    let e = engine_with(|doc| {
        let r = doc
            .resources
            .iter_mut()
            .find(|r| r.id == "public-security.case-intelligence")
            .unwrap();
        r.sharing = Sharing::Unconditional;
    });
    assert!(
        e.registry()
            .resource("public-security.case-intelligence")
            .unwrap()
            .has_sensitivity(Sensitivity::StateSecret)
    );
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "public-security.case-intelligence",
            "social-assistance",
        ))
        .unwrap();
    // SPEC v2 §6: a state secret catalogued unconditional is an error finding,
    // which quarantines the resource (route coordinate, citing 12 and 4(1)).
    assert_deny(&d, Route::Coordinate, &["12", "4(1)"], "catalog_defect");
    assert!(codes(&d).contains(&"state_secret_grant_required"));
    // Grants included: the provider's own grant does not lift a quarantine.
    let d = e
        .decide(&req(
            &e,
            "city.government-office",
            "public-security.case-intelligence",
            "coordination",
        ))
        .unwrap();
    assert_deny(&d, Route::Coordinate, &["12", "4(1)"], "catalog_defect");
    // The provider still has it (Art. 3).
    let d = e
        .decide(&req(
            &e,
            "city.public-security",
            "public-security.case-intelligence",
            "criminal-investigation",
        ))
        .unwrap();
    assert_permit(&d, Route::Direct, &["3"]);
    // The same resource without the marking is direct.
    let e = engine_with(|doc| {
        let r = doc
            .resources
            .iter_mut()
            .find(|r| r.id == "public-security.case-intelligence")
            .unwrap();
        r.sharing = Sharing::Unconditional;
        r.sensitivity.retain(|s| *s != Sensitivity::StateSecret);
    });
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "public-security.case-intelligence",
            "social-assistance",
        ))
        .unwrap();
    assert_permit(&d, Route::Direct, &["5", "17"]);
}

// ---- Art. 5, 17: sharing classes ------------------------------------------

#[test]
fn unconditional_is_direct_for_every_department_level() {
    let e = engine();
    for (dept, purpose) in [
        ("city.human-resources", "employment-services"),
        ("county.huimin.civil-affairs", "social-assistance"),
        ("zone.bz-etdz.admin", "enterprise-services"),
    ] {
        let d = e
            .decide(&req(&e, dept, "legal-entity.basic", purpose))
            .unwrap();
        assert_permit(&d, Route::Direct, &["5", "17"]);
    }
    // An unconditional resource denied for a check has route none, not apply.
    let d = e
        .decide(&AccessRequest {
            certificate: "X".into(),
            ..req(
                &e,
                "zone.bz-etdz.admin",
                "legal-entity.basic",
                "enterprise-services",
            )
        })
        .unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_mismatch");
}

#[test]
fn conditional_open_fields_are_direct() {
    let e = engine();
    let r = fields(
        req(
            &e,
            "city.human-resources",
            "civil-affairs.marriage",
            "social-insurance",
        ),
        &["certificate_number", "registration_date"],
    );
    assert_permit(&e.decide(&r).unwrap(), Route::Direct, &["5", "17"]);
    assert_eq!(codes(&e.decide(&r).unwrap()), ["open_fields_direct"]);
    let r = fields(
        req(
            &e,
            "city.human-resources",
            "civil-affairs.marriage",
            "social-insurance",
        ),
        &["certificate_number", "party_a_name"],
    );
    let d = e.decide(&r).unwrap();
    assert_deny(&d, Route::Apply, &["5", "17"], "application_required");
    assert_eq!(d.citations, ["5", "17"]);
}

#[test]
fn no_fields_means_all_fields() {
    let e = engine();
    let d = e
        .decide(&req(
            &e,
            "city.human-resources",
            "civil-affairs.marriage",
            "social-insurance",
        ))
        .unwrap();
    assert_deny(&d, Route::Apply, &["5", "17"], "application_required");
    let d = e
        .decide(&fields(
            req(
                &e,
                "city.human-resources",
                "civil-affairs.marriage",
                "social-insurance",
            ),
            &[],
        ))
        .unwrap();
    assert_eq!(d.route, Route::Apply);
}

#[test]
fn conditional_under_a_covering_grant_is_granted() {
    let e = engine();
    let base = || {
        fields(
            req(
                &e,
                "city.civil-affairs",
                "hr.social-insurance",
                "social-assistance",
            ),
            &["name", "id_number", "contribution_status"],
        )
    };
    let d = e.decide(&base()).unwrap();
    assert_permit(&d, Route::Granted, &["5", "17"]);
    assert_eq!(d.grant.as_deref(), Some("g-2018-0001"));

    let d = e
        .decide(&AccessRequest {
            method: Method::BatchDownload,
            ..base()
        })
        .unwrap();
    assert_deny(&d, Route::Apply, &["17"], "grant_method");
    let d = e
        .decide(&AccessRequest {
            purpose: "elderly-care".into(),
            ..base()
        })
        .unwrap();
    assert_deny(&d, Route::Apply, &["17", "23"], "grant_purpose");
    let d = e
        .decide(&fields(base(), &["name", "employer_code"]))
        .unwrap();
    assert_deny(&d, Route::Apply, &["17"], "grant_fields");
    let d = e
        .decide(&AccessRequest {
            at: at("2022-03-01T00:00:00+08:00"),
            ..base()
        })
        .unwrap();
    assert_deny(&d, Route::Apply, &["17"], "grant_inactive");
    let d = e
        .decide(&AccessRequest {
            at: at("2018-02-28T23:59:59+08:00"),
            ..base()
        })
        .unwrap();
    assert_deny(&d, Route::Apply, &["17"], "grant_inactive");
}

#[test]
fn expired_grant_sends_back_to_apply() {
    let e = engine();
    let r = fields(
        req(
            &e,
            "zone.bz-etdz.admin",
            "hr.social-insurance",
            "enterprise-services",
        ),
        &["name", "employer_code"],
    );
    let d = e
        .decide(&AccessRequest {
            at: at("2019-06-01T10:00:00+08:00"),
            ..r.clone()
        })
        .unwrap();
    assert_permit(&d, Route::Granted, &["5", "17"]);
    let d = e
        .decide(&AccessRequest {
            at: at("2020-01-01T00:00:00+08:00"),
            ..r
        })
        .unwrap();
    assert_deny(&d, Route::Apply, &["17"], "grant_inactive");
}

#[test]
fn grant_with_no_methods_or_fields_allows_all() {
    let e = engine();
    for m in [
        Method::SystemIntegration,
        Method::FrontProcessor,
        Method::OnlineQuery,
        Method::BatchDownload,
    ] {
        let r = AccessRequest {
            method: m,
            ..req(
                &e,
                "city.human-resources",
                "civil-affairs.minimum-living",
                "employment-services",
            )
        };
        let d = e.decide(&r).unwrap();
        assert_permit(&d, Route::Granted, &["5", "17"]);
        assert_eq!(d.grant.as_deref(), Some("g-2018-0002"));
    }
}

#[test]
fn not_shared_only_under_coordination() {
    let e = engine();
    let r = fields(
        req(
            &e,
            "city.civil-affairs",
            "public-security.criminal-records",
            "social-assistance",
        ),
        &["name", "offence"],
    );
    let d = e.decide(&r).unwrap();
    assert_permit(&d, Route::Granted, &["5", "17"]);
    assert_eq!(d.grant.as_deref(), Some("g-2019-0003"));
    // City Government Office coordination.
    let r = AccessRequest {
        at: at("2021-03-15T09:30:00+08:00"),
        ..req(
            &e,
            "city.human-resources",
            "public-security.criminal-records",
            "civil-service-recruitment",
        )
    };
    let d = e.decide(&r).unwrap();
    assert_permit(&d, Route::Granted, &["5", "17"]);
    assert_eq!(d.grant.as_deref(), Some("g-2020-0008"));
    // No grant: coordinate.
    let d = e
        .decide(&req(
            &e,
            "city.finance",
            "public-security.criminal-records",
            "budget-management",
        ))
        .unwrap();
    assert_deny(&d, Route::Coordinate, &["5", "17"], "coordination_required");
    // A provider's reply is not coordination.
    let d = e
        .decide(&req(
            &e,
            "city.market-regulation",
            "public-security.criminal-records",
            "market-supervision",
        ))
        .unwrap();
    assert_deny(&d, Route::Coordinate, &["5", "17"], "grant_not_coordinated");
    // A coordination grant that does not cover the fields: coordinate again.
    let r = fields(
        req(
            &e,
            "city.civil-affairs",
            "public-security.criminal-records",
            "social-assistance",
        ),
        &["sentence"],
    );
    let d = e.decide(&r).unwrap();
    assert_deny(&d, Route::Coordinate, &["17"], "grant_fields");
}

#[test]
fn provider_always_has_its_own_resources() {
    let e = engine();
    for (res, purpose) in [
        ("public-security.criminal-records", "criminal-investigation"),
        (
            "public-security.case-intelligence",
            "criminal-investigation",
        ),
        ("population.basic", "household-registration"),
    ] {
        let d = e
            .decide(&req(&e, "city.public-security", res, purpose))
            .unwrap();
        // SPEC v2 §2: one's own information is not sharing (Art. 3).
        assert_permit(&d, Route::Direct, &["3"]);
    }
    // A restricted provider still has its own derived resource.
    let e2 = engine_with(|doc| {
        doc.departments
            .iter_mut()
            .find(|d| d.id == "city.civil-affairs")
            .unwrap()
            .restricted = true;
    });
    let d = e2
        .decide(&req(
            &e2,
            "city.civil-affairs",
            "platform.assistance-profile",
            "social-assistance",
        ))
        .unwrap();
    assert_permit(&d, Route::Direct, &["3"]);
    // Certificate, network and purpose still apply.
    let r = req(
        &e,
        "city.public-security",
        "public-security.case-intelligence",
        "criminal-investigation",
    );
    let d = e
        .decide(&AccessRequest {
            network: Network::Extranet,
            ..r.clone()
        })
        .unwrap();
    assert_deny(&d, Route::None, &["8"], "network_mismatch");
    let d = e
        .decide(&AccessRequest {
            certificate: "BZ-0007".into(),
            ..r.clone()
        })
        .unwrap();
    assert_deny(&d, Route::None, &["26"], "certificate_mismatch");
    let d = e
        .decide(&AccessRequest {
            purpose: "social-assistance".into(),
            ..r
        })
        .unwrap();
    // The provider's purpose check cites 13 (按照法定職責採集).
    assert_deny(&d, Route::None, &["13"], "purpose_outside_duties");
}

#[test]
fn a_deny_lists_every_failing_check() {
    let e = engine();
    let r = AccessRequest {
        certificate: "BZ-0001".into(),
        network: Network::Intranet,
        purpose: "public-order".into(),
        ..req(
            &e,
            "city.civil-affairs",
            "civil-affairs.minimum-living",
            "social-assistance",
        )
    };
    // The provider itself, three checks failing.
    let d = e.decide(&r).unwrap();
    assert_eq!(d.decision, Effect::Deny);
    assert_eq!(d.route, Route::None);
    assert_eq!(
        codes(&d),
        [
            "certificate_mismatch",
            "network_mismatch",
            "purpose_outside_duties"
        ]
    );
    // The provider: its purpose check cites 13 (SPEC v2 §2).
    assert_eq!(d.citations, ["26", "8", "13"]);
    // Another department, no grant: the class reason is listed too, route none.
    let r = AccessRequest {
        department: "city.market-regulation".into(),
        ..r
    };
    let d = e.decide(&r).unwrap();
    assert_eq!(d.route, Route::None);
    assert!(codes(&d).contains(&"application_required"));
}

#[test]
fn unknown_fields_are_refused() {
    let e = engine();
    let d = e
        .decide(&fields(
            req(
                &e,
                "city.civil-affairs",
                "population.basic",
                "social-assistance",
            ),
            &["name", "salary"],
        ))
        .unwrap();
    assert_deny(&d, Route::None, &["12"], "field_not_in_catalog");
}

// ---- Art. 33: validity --------------------------------------------------------

#[test]
fn outside_validity_is_an_error_unless_asked() {
    let e = engine();
    for when in [
        "2022-11-06T00:00:00+08:00",
        "2017-12-05T23:59:59+08:00",
        "2017-12-05T15:59:59Z",
    ] {
        let r = AccessRequest {
            at: at(when),
            ..req(
                &e,
                "city.civil-affairs",
                "population.basic",
                "social-assistance",
            )
        };
        let err = e.decide(&r).unwrap_err();
        assert_eq!(err.code(), "policy.not_in_force", "{when}");
        assert!(err.to_string().contains("binzhou"));
        let d = e
            .decide_with(
                &r,
                DecideOptions {
                    evaluate_out_of_force: true,
                },
            )
            .unwrap();
        assert_eq!(d.decision, Effect::Permit);
        assert!(!d.in_force);
    }
    // The first and the last day, in China time.
    for when in ["2017-12-05T16:00:00Z", "2022-11-05T23:59:59+08:00"] {
        let r = AccessRequest {
            at: at(when),
            ..req(
                &e,
                "city.civil-affairs",
                "population.basic",
                "social-assistance",
            )
        };
        assert!(e.decide(&r).unwrap().in_force, "{when}");
    }
}

#[test]
fn unknown_ids_are_errors_naming_them() {
    let e = engine();
    let r = AccessRequest {
        department: "city.nowhere".into(),
        ..req(&e, "city.civil-affairs", "population.basic", "x")
    };
    let err = e.decide(&r).unwrap_err();
    assert_eq!(err.code(), "policy.unknown_department");
    assert!(err.to_string().contains("`city.nowhere`"));
    let r = AccessRequest {
        resource: "nothing.here".into(),
        ..req(&e, "city.civil-affairs", "population.basic", "x")
    };
    let err = e.decide(&r).unwrap_err();
    assert_eq!(err.code(), "policy.unknown_resource");
    assert!(err.to_string().contains("`nothing.here`"));
}

// ---- engine shape -----------------------------------------------------------

#[test]
fn with_registry_uses_the_new_grants_and_the_same_policies() {
    let e = engine();
    let r = req(
        &e,
        "city.market-regulation",
        "civil-affairs.marriage",
        "market-supervision",
    );
    assert_eq!(e.decide(&r).unwrap().route, Route::Apply);
    let grant = Grant {
        id: "g-new".into(),
        department: "city.market-regulation".into(),
        resource: "civil-affairs.marriage".into(),
        purposes: vec!["market-supervision".into()],
        fields: vec![],
        methods: vec![Method::OnlineQuery],
        from: at("2019-01-01T00:00:00+08:00"),
        until: None,
        source: GrantSource::ProviderReply,
        approvals: vec![],
    };
    let e2 = e.with_registry(e.registry().with_grants(vec![grant]).unwrap());
    let d = e2.decide(&r).unwrap();
    assert_permit(&d, Route::Granted, &["5", "17"]);
    assert_eq!(d.grant.as_deref(), Some("g-new"));
    assert!(std::ptr::eq(e.pack().policies(), e2.pack().policies()));
    // The old snapshot is unchanged.
    assert_eq!(e.decide(&r).unwrap().route, Route::Apply);
}

#[test]
fn decide_many_keeps_order_and_isolates_errors() {
    let e = engine();
    let good = req(
        &e,
        "city.civil-affairs",
        "population.basic",
        "social-assistance",
    );
    let bad = AccessRequest {
        resource: "nope".into(),
        ..good.clone()
    };
    let deny = req(
        &e,
        "city.finance",
        "public-security.criminal-records",
        "budget-management",
    );
    let out = e.decide_many(&[good.clone(), bad, deny]);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].as_ref().unwrap(), &e.decide(&good).unwrap());
    assert_eq!(
        out[1].as_ref().unwrap_err().code(),
        "policy.unknown_resource"
    );
    assert_eq!(out[2].as_ref().unwrap().route, Route::Coordinate);
}

#[test]
fn engine_and_pack_are_send_sync_and_cheap() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<PolicyPack>();
    let e = engine();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let e = e.clone();
            std::thread::spawn(move || {
                let r = req(
                    &e,
                    "city.civil-affairs",
                    "population.basic",
                    "social-assistance",
                );
                e.decide(&r).unwrap().decision
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Effect::Permit);
    }
}

#[test]
fn decisions_serialise_to_the_wire_format() {
    let e = engine();
    let d = e
        .decide(&req(
            &e,
            "city.civil-affairs",
            "hr.social-insurance",
            "social-assistance",
        ))
        .unwrap();
    let v = serde_json::to_value(&d).unwrap();
    for key in [
        "decision",
        "route",
        "citations",
        "grant",
        "in_force",
        "reasons",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["route"], "apply");
    let back: Decision = serde_json::from_value(v).unwrap();
    assert_eq!(back, d);
}

// ---- Art. 13 and Art. 22 -------------------------------------------------------

#[test]
fn may_not_require_what_the_platform_gives() {
    let e = engine();
    let when = at("2019-09-27T10:00:00+08:00");
    let a = e
        .may_require_submission("city.civil-affairs", "population.basic", when)
        .unwrap();
    assert!(!a.allowed);
    assert_eq!(a.citations.first().map(String::as_str), Some("13"));
    assert!(a.citations.iter().any(|c| c == "17"));
    assert_eq!(a.reasons[0].code, "available_on_platform");
    // Under a grant (covering every field), too.
    let a = e
        .may_require_submission("city.human-resources", "civil-affairs.minimum-living", when)
        .unwrap();
    assert!(!a.allowed);
    assert!(a.reasons.iter().any(|r| r.code == "conditional_granted"));
    // A grant for part of the fields: the rest is obtainable by applying
    // (SPEC v2 §2), so it may still not be required.
    let a = e
        .may_require_submission("city.civil-affairs", "hr.social-insurance", when)
        .unwrap();
    assert!(!a.allowed);
    assert!(a.citations.iter().any(|c| c == "17"));
    // Not obtainable: it may collect.
    let a = e
        .may_require_submission("city.finance", "public-security.criminal-records", when)
        .unwrap();
    assert!(a.allowed);
    // Art. 13, then the articles that make it unobtainable (not shared: 5, 17).
    assert_eq!(a.citations, ["13", "5", "17"]);
    assert_eq!(a.reasons[0].code, "not_available_on_platform");
    assert_eq!(a.reasons[1].code, "coordination_required");
    assert!(
        e.may_require_submission("city.finance", "nope", when)
            .is_err()
    );
    assert_eq!(
        e.may_require_submission(
            "city.finance",
            "population.basic",
            at("2030-01-01T00:00:00+08:00")
        )
        .unwrap_err()
        .code(),
        "policy.not_in_force"
    );
}

#[test]
fn only_the_provider_publishes_open_non_sensitive_data() {
    let e = engine();
    let when = at("2019-09-27T10:00:00+08:00");
    let a = e
        .may_publish_open_data("city.market-regulation", "legal-entity.basic", when)
        .unwrap();
    assert!(a.allowed);
    assert_eq!(a.citations, ["22"]);
    let a = e
        .may_publish_open_data("city.civil-affairs", "legal-entity.basic", when)
        .unwrap();
    assert!(!a.allowed);
    assert_eq!(a.reasons[0].code, "open_data_not_provider");
    let a = e
        .may_publish_open_data("city.public-security", "population.basic", when)
        .unwrap();
    assert!(!a.allowed);
    let codes: Vec<_> = a.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["open_data_not_open", "open_data_sensitive"]);
    assert!(a.citations.contains(&"22".to_owned()) && a.citations.contains(&"31".to_owned()));
    let e = engine_with(|doc| {
        let r = doc
            .resources
            .iter_mut()
            .find(|r| r.id == "legal-entity.basic")
            .unwrap();
        r.sensitivity = vec![Sensitivity::CommercialSecret];
    });
    let a = e
        .may_publish_open_data("city.market-regulation", "legal-entity.basic", when)
        .unwrap();
    assert!(!a.allowed);
    assert_eq!(a.reasons[0].code, "open_data_sensitive");
}

#[test]
fn decide_shared_is_the_cached_decision_itself() {
    use govshare::policy::CacheSettings;
    use std::sync::Arc;
    let e = engine();
    let mut r = req(
        &e,
        "city.market-regulation",
        "civil-affairs.minimum-living",
        "public-order",
    );
    r.certificate = "BZ-0001".into();
    r.network = Network::Intranet;
    let first = e.decide_shared(&r, DecideOptions::default()).unwrap();
    let again = e.decide_shared(&r, DecideOptions::default()).unwrap();
    // One decision, held by the cache too; equal to what `decide` copies out.
    assert!(Arc::ptr_eq(&first, &again));
    assert!(Arc::strong_count(&first) > 2);
    assert_eq!(*first, e.decide(&r).unwrap());
    assert!(first.reasons.len() >= 3);
    // Without a decision cache, each decision is the caller's alone.
    let off = e.with_cache_settings(CacheSettings {
        pairs: 16,
        decisions: 0,
    });
    let mine = off.decide_shared(&r, DecideOptions::default()).unwrap();
    assert_eq!(Arc::strong_count(&mine), 1);
    assert_eq!(*mine, *first);
}
