//! Structured requests over the sample registry (departments, resources,
//! duties, fields, certificates and moments drawn from it, with a few foreign
//! values): every decision keeps the SPEC §2 properties (no permit without a
//! rule that cites an article, grants in scope, checks applied).
#![no_main]

use arbitrary::Arbitrary;
use govshare::policy::AccessRequest;
use govshare_vectors::props;
use govshare::registry::{Method, Network};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Pick {
    Own,
    Index(u8),
    Text(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    department: u8,
    resource: u8,
    method: u8,
    purpose: Pick,
    fields: Option<Vec<Pick>>,
    intranet: bool,
    certificate: Pick,
    minutes: u32,
}

fn pick<'a>(p: &'a Pick, own: &'a str, all: &'a [String]) -> String {
    match p {
        Pick::Own => own.to_owned(),
        Pick::Index(i) => all
            .get(usize::from(*i) % all.len().max(1))
            .cloned()
            .unwrap_or_default(),
        Pick::Text(t) => t.clone(),
    }
}

fuzz_target!(|input: Input| {
    let Some(engine) = props::sample_engine() else {
        panic!("the sample registry does not load");
    };
    let reg = engine.registry();
    let depts = reg.departments();
    let ress = reg.resources();
    let (Some(dept), Some(res)) = (
        depts.get(usize::from(input.department) % depts.len()),
        ress.get(usize::from(input.resource) % ress.len()),
    ) else {
        return;
    };
    let serials: Vec<String> = depts
        .iter()
        .flat_map(|d| d.certificates.iter().map(|c| c.serial.clone()))
        .collect();
    let own_serial = dept
        .certificates
        .first()
        .map(|c| c.serial.clone())
        .unwrap_or_default();
    let first_duty = dept.duties.first().cloned().unwrap_or_default();
    let method = match input.method % 4 {
        0 => Method::SystemIntegration,
        1 => Method::FrontProcessor,
        2 => Method::OnlineQuery,
        _ => Method::BatchDownload,
    };
    let request = AccessRequest {
        department: dept.id.clone(),
        resource: res.id.clone(),
        method,
        purpose: pick(&input.purpose, &first_duty, &dept.duties),
        fields: input.fields.as_ref().map(|fs| {
            fs.iter()
                .take(8)
                .map(|f| {
                    pick(
                        f,
                        res.fields.first().map_or("", String::as_str),
                        &res.fields,
                    )
                })
                .collect()
        }),
        network: if input.intranet {
            Network::Intranet
        } else {
            Network::Extranet
        },
        certificate: pick(&input.certificate, &own_serial, &serials),
        at: props::moment_from_minutes(input.minutes),
    };
    if let Err(v) = props::decide_sample(&request) {
        panic!("property broken: {v}\nrequest: {request:?}");
    }
});
