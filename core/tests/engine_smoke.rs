use govshare::policy::{AccessRequest, Engine, PolicyPack};
use govshare::registry::Registry;

#[test]
fn smoke() {
    let pack = PolicyPack::try_binzhou().unwrap();
    let reg = Registry::from_json_str(include_str!("../../policies/binzhou/sample/registry.json"))
        .unwrap();
    let engine = Engine::new(pack, reg).unwrap();
    let req: AccessRequest = serde_json::from_str(r#"{"department":"city.civil-affairs","resource":"population.basic","method":"online_query","purpose":"social-assistance","network":"extranet","certificate":"BZ-0007","at":"2019-09-27T10:00:00+08:00"}"#).unwrap();
    let d = engine.decide(&req).unwrap();
    println!("{}", serde_json::to_string_pretty(&d).unwrap());
    let req: AccessRequest = serde_json::from_str(r#"{"department":"city.civil-affairs","resource":"hr.social-insurance","method":"batch_download","purpose":"elderly-care","network":"intranet","certificate":"BZ-0008","at":"2019-09-27T10:00:00+08:00"}"#).unwrap();
    let d = engine.decide(&req).unwrap();
    println!("{}", serde_json::to_string_pretty(&d).unwrap());
}
