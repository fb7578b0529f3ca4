//! Properties of decisions over random requests on the sample registry.

#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]
#![expect(
    clippy::indexing_slicing,
    reason = "indices come from the strategies' ranges"
)]

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset};
use govshare::policy::{AccessRequest, Effect, Engine, PolicyPack, Route};
use govshare::registry::{Method, Network, Registry};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::new(
            PolicyPack::binzhou(),
            Registry::from_json_str(SAMPLE).unwrap(),
        )
        .unwrap()
    })
}

const METHODS: [Method; 4] = [
    Method::SystemIntegration,
    Method::FrontProcessor,
    Method::OnlineQuery,
    Method::BatchDownload,
];

/// Random requests: mostly plausible (own certificate, right network, a duty,
/// a field subset), sometimes not.
fn request() -> impl Strategy<Value = AccessRequest> {
    let reg = engine().registry();
    let nd = reg.departments().len();
    let nr = reg.resources().len();
    (
        0..nd,
        0..nr,
        0..4usize,
        0..10usize,
        proptest::option::of(proptest::collection::vec(0..8usize, 0..4)),
        any::<bool>(),
        prop::sample::select(vec![0u8, 0, 0, 1, 2]),
        0i64..(1795 * 24 * 3600),
    )
        .prop_map(move |(d, r, m, p, fields, net_ok, cert, secs)| {
            let reg = engine().registry();
            let dept = &reg.departments()[d];
            let res = &reg.resources()[r];
            let mut pool: Vec<String> = dept.duties.clone();
            pool.push("sightseeing".into());
            let purpose = pool[p % pool.len()].clone();
            let fields = fields.map(|ix| {
                let mut fs: Vec<String> = ix
                    .into_iter()
                    .filter_map(|i| {
                        res.fields
                            .get(i)
                            .cloned()
                            .or_else(|| (i == 7).then(|| "bogus".into()))
                    })
                    .collect();
                fs.dedup();
                fs
            });
            let network = if net_ok {
                res.network
            } else if res.network == Network::Intranet {
                Network::Extranet
            } else {
                Network::Intranet
            };
            let certificate = match cert {
                0 => dept
                    .certificates
                    .first()
                    .map(|c| c.serial.clone())
                    .unwrap_or_default(),
                1 => "BZ-9999".into(),
                _ => reg.departments()[(d + 1) % reg.departments().len()]
                    .certificates
                    .first()
                    .map(|c| c.serial.clone())
                    .unwrap_or_default(),
            };
            let start: DateTime<FixedOffset> =
                DateTime::parse_from_rfc3339("2017-12-06T00:00:00+08:00").unwrap();
            AccessRequest {
                department: dept.id.clone(),
                resource: res.id.clone(),
                method: METHODS[m],
                purpose,
                fields,
                network,
                certificate,
                at: start + Duration::seconds(secs),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decisions_are_well_formed(r in request()) {
        let d = engine().decide(&r).unwrap();
        prop_assert!(!d.citations.is_empty());
        prop_assert!(!d.reasons.is_empty());
        prop_assert!(d.in_force);
        for reason in &d.reasons {
            prop_assert!(d.citations.contains(&reason.article));
        }
        match d.decision {
            Effect::Permit => {
                prop_assert!(matches!(d.route, Route::Direct | Route::Granted), "{:?}", d);
                prop_assert_eq!(d.grant.is_some(), d.route == Route::Granted);
            }
            Effect::Deny => {
                prop_assert!(matches!(d.route, Route::Apply | Route::Coordinate | Route::None), "{:?}", d);
                prop_assert!(d.grant.is_none());
            }
        }
        if let Some(g) = &d.grant {
            let g = engine().registry().grant(g).unwrap();
            prop_assert_eq!(&g.department, &r.department);
            prop_assert_eq!(&g.resource, &r.resource);
            prop_assert!(g.active_at(r.at));
        }
    }

    #[test]
    fn removing_a_grant_never_turns_a_deny_into_a_permit(r in request(), k in 0..12usize) {
        let e = engine();
        let before = e.decide(&r).unwrap();
        let mut doc = e.registry().doc().clone();
        let k = k % doc.grants.len();
        doc.grants.remove(k);
        let fewer = e.with_registry(Registry::from_doc(doc).unwrap());
        let after = fewer.decide(&r).unwrap();
        if before.decision == Effect::Deny {
            prop_assert_eq!(after.decision, Effect::Deny);
        }
        // And a permit not using the removed grant stays a permit.
        let removed = &e.registry().grants()[k].id;
        if before.decision == Effect::Permit && before.grant.as_ref() != Some(removed) {
            prop_assert_eq!(after.decision, Effect::Permit);
        }
    }

    #[test]
    fn decide_many_equals_decide(rs in proptest::collection::vec(request(), 0..8)) {
        let e = engine();
        let many = e.decide_many(&rs);
        prop_assert_eq!(many.len(), rs.len());
        for (r, m) in rs.iter().zip(many) {
            prop_assert_eq!(m.unwrap(), e.decide(r).unwrap());
        }
    }
}
