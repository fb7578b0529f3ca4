//! SPEC v2 §2 properties over random requests on the `decide_v2.json` registry,
//! which has what the sample lacks: a conditional resource without fields, state
//! secrets (shared, not shared, on the wrong network), a quarantined entry, Art. 10
//! and Art. 21 cases, and certificates with a rollover.

#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]
#![expect(
    clippy::indexing_slicing,
    reason = "indices come from the strategies' ranges"
)]

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset};
use govshare::policy::{AccessRequest, Effect, Engine, PolicyPack, Route};
use govshare::registry::{FindingSeverity, GrantSource, Method, Network, Registry, Sensitivity};
use proptest::prelude::*;

const VECTORS: &str = include_str!("../../tests/vectors/decide_v2.json");

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let doc: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let registry = Registry::from_json_str(&doc["registry"].to_string()).unwrap();
        Engine::new(PolicyPack::binzhou(), registry).unwrap()
    })
}

fn request() -> impl Strategy<Value = AccessRequest> {
    let reg = engine().registry();
    let (nd, nr) = (reg.departments().len(), reg.resources().len());
    (
        0..nd,
        0..nr,
        0..4usize,
        0..4usize,
        proptest::option::of(proptest::collection::vec(0..4usize, 0..4)),
        any::<bool>(),
        0..6usize,
        0i64..(1795 * 24 * 3600 * 1000),
    )
        .prop_map(move |(d, r, m, p, fields, intranet, cert, millis)| {
            let reg = engine().registry();
            let dept = &reg.departments()[d];
            let res = &reg.resources()[r];
            let mut purposes = dept.duties.clone();
            purposes.push("sightseeing".into());
            let mut pool = res.fields.clone();
            pool.push("not_a_field".into());
            let fields = fields.map(|ix| {
                ix.into_iter()
                    .map(|i| pool[i % pool.len()].clone())
                    .collect()
            });
            let mut serials: Vec<String> =
                dept.certificates.iter().map(|c| c.serial.clone()).collect();
            serials.extend(["".to_owned(), "  ".to_owned(), "P-1".to_owned()]);
            let start: DateTime<FixedOffset> =
                DateTime::parse_from_rfc3339("2017-12-06T00:00:00+08:00").unwrap();
            AccessRequest {
                department: dept.id.clone(),
                resource: res.id.clone(),
                method: Method::ALL[m],
                purpose: purposes[p % purposes.len()].clone(),
                fields,
                network: if intranet {
                    Network::Intranet
                } else {
                    Network::Extranet
                },
                certificate: serials[cert % serials.len()].clone(),
                at: start + Duration::milliseconds(millis),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The independent oracle of `govshare::props` holds (no permit without a
    /// rule citing an article; the v2 field, secret, quarantine and route rules).
    #[test]
    fn the_oracle_holds(r in request()) {
        let d = engine().decide(&r).unwrap();
        if let Err(e) = govshare_vectors::props::decision(engine(), &r, &d) {
            return Err(TestCaseError::fail(format!("{e}: {r:?} -> {d:?}")));
        }
    }

    /// SPEC v2 §2, stated directly.
    #[test]
    fn v2_rules_hold(r in request()) {
        let e = engine();
        let d = e.decide(&r).unwrap();
        let res = e.registry().resource(&r.resource).unwrap();
        let other = res.provider != r.department;
        let quarantined = e
            .registry()
            .validate()
            .iter()
            .any(|f| f.id == res.id && f.kind == "resource" && f.severity == FindingSeverity::Error);
        if d.decision == Effect::Permit && other {
            // No permit for a resource without fields without a grant.
            if res.fields.is_empty() && res.sharing != govshare::registry::Sharing::Unconditional {
                prop_assert_eq!(d.route, Route::Granted, "{:?}", d);
            }
            // No permit for a state secret without its provider's grant.
            if res.has_sensitivity(Sensitivity::StateSecret) {
                let g = e.registry().grant(d.grant.as_deref().unwrap_or("")).unwrap();
                prop_assert!(g.approved_by(GrantSource::ProviderReply), "{:?}", d);
                prop_assert_eq!(r.network, Network::Intranet);
            }
            // No permit for a quarantined resource.
            prop_assert!(!quarantined, "{:?}", d);
        }
        // Exactly one route: the highest-priority one of the reasons.
        if d.decision == Effect::Deny {
            let first = [Route::None, Route::Coordinate, Route::Apply]
                .into_iter()
                .find(|want| d.reasons.iter().any(|x| x.route == Some(*want)));
            prop_assert_eq!(Some(d.route), first, "{:?}", d);
            prop_assert!(d.reasons.iter().all(|x| x.remedy.is_some()), "{:?}", d);
        }
        prop_assert_eq!(d.pack.as_str(), "binzhou");
    }
}
