//! One registry loading function (`Registry::load`) with three sources: a file,
//! JSON text and a JSON value. Each source gives the same registry, applies the
//! limits, and its errors name the file and the field.
#![expect(clippy::unwrap_used, reason = "test code")]

use govshare::registry::{Registry, RegistryError, RegistrySource};
use serde_json::{Value, json};

const SAMPLE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../policies/binzhou/sample/registry.json"
);
const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn err(source: RegistrySource) -> RegistryError {
    Registry::load(source).unwrap_err()
}

#[test]
fn the_three_sources_give_the_same_registry() {
    let value: Value = serde_json::from_str(SAMPLE).unwrap();
    let from_text = Registry::load(RegistrySource::Json(SAMPLE.to_owned())).unwrap();
    let from_file = Registry::load(RegistrySource::Path(SAMPLE_PATH.into())).unwrap();
    let from_value = Registry::load(RegistrySource::Value(value.clone())).unwrap();
    assert_eq!(from_text.doc(), from_file.doc());
    assert_eq!(from_text.doc(), from_value.doc());
    assert_eq!(
        Registry::from_json_value(value).unwrap().doc(),
        Registry::from_json_str(SAMPLE).unwrap().doc()
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let e = err(RegistrySource::Path("/nonexistent/registry.json".into()));
    assert_eq!(e.code(), "registry.io");
    assert!(
        e.to_string().contains("`/nonexistent/registry.json`"),
        "{e}"
    );
}

#[test]
fn bad_json_in_a_file_names_the_file() {
    let dir = std::env::temp_dir().join(format!("govshare-registry-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(&path, "{\"departments\": [").unwrap();
    let e = err(RegistrySource::Path(path.clone()));
    std::fs::write(&path, r#"{"departments": [{"id": 1}]}"#).unwrap();
    let field = err(RegistrySource::Path(path.clone()));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(e.code(), "registry.invalid_json");
    assert!(
        e.to_string().contains(&format!("`{}`", path.display())),
        "{e}"
    );
    assert_eq!(field.code(), "registry.invalid_json");
    assert!(field.to_string().contains("`departments[0].id`"), "{field}");
}

#[test]
fn a_wrong_field_is_named_by_its_path_in_every_source() {
    let doc = json!({"departments": [{"id": "d", "bogus": 1}]});
    for e in [
        err(RegistrySource::Json(doc.to_string())),
        err(RegistrySource::Value(doc)),
    ] {
        assert_eq!(e.code(), "registry.invalid_json");
        assert!(e.to_string().contains("`departments[0].bogus`"), "{e}");
    }
    let e = err(RegistrySource::Value(json!({"resources": {"id": "r"}})));
    assert!(e.to_string().contains("`resources`"), "{e}");
    // Trailing text after the document is still an error (as `serde_json::from_str`).
    let e = err(RegistrySource::Json("{} x".to_owned()));
    assert_eq!(e.code(), "registry.invalid_json");
}

#[test]
fn a_deep_value_is_too_deep_like_deep_text() {
    let mut deep = json!([]);
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let value = json!({ "departments": deep });
    let e = err(RegistrySource::Value(value.clone()));
    assert_eq!(e.code(), "limits.too_deep");
    let e = err(RegistrySource::Json(value.to_string()));
    assert_eq!(e.code(), "limits.too_deep");
    // 32 levels are within the limit: the error is then the shape.
    let mut ok = json!(null);
    for _ in 0..31 {
        ok = json!([ok]);
    }
    assert_eq!(govshare::limits::json_value_depth(&ok), 31);
    let e = err(RegistrySource::Value(json!({ "departments": ok })));
    assert_eq!(e.code(), "registry.invalid_json");
}
