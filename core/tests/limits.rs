//! Input over the limits of `govshare::limits` is an error with a stable code that
//! names the limit, wherever the JSON enters: never a crash, never a partial load.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions unwrap too"
)]

use govshare::limits::{self, LimitError};
use govshare::registry::{Registry, RegistryDoc, RegistryError};
use govshare::workflow::Event;

const SAMPLE: &str = include_str!("../../policies/binzhou/sample/registry.json");

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn a_deep_registry_is_too_deep_not_a_stack_overflow() {
    // Deep inside a field: the byte scan finds it before serde recurses.
    let text = format!(r#"{{"departments": {}}}"#, nested(200_000));
    let err = Registry::from_json_str(&text).unwrap_err();
    assert_eq!(err.code(), "limits.too_deep");
    assert!(matches!(
        err,
        RegistryError::Limit(LimitError::TooDeep {
            actual: 200_001,
            ..
        })
    ));
    let msg = err.to_string();
    assert!(msg.contains("MAX_DEPTH") && msg.contains("200001"), "{msg}");
    // Through the crate error too.
    assert_eq!(govshare::Error::from(err).code(), "limits.too_deep");
    // A chain of 100,000 operators nests without brackets: it loaded, and then
    // dropping it overflowed the caller's stack.
    for chain in [
        "1".to_owned() + &" + 1".repeat(100_000) + " > 0",
        "principal".to_owned() + &".a".repeat(100_000),
    ] {
        let err = load_err(pack_with(&chain));
        assert_eq!(err.code(), "limits.too_many");
        let msg = err.to_string();
        assert!(
            msg.contains("`extra.cedar`: the policy at line 2")
                && msg.contains("MAX_PACK_OPERATORS"),
            "{msg}"
        );
    }
}

#[test]
fn serde_json_alone_stops_at_128_levels() {
    // What the depth check adds to serde_json: a stable code, and a lower limit.
    let err = serde_json::from_str::<serde_json::Value>(&nested(200)).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
    assert!(serde_json::from_str::<serde_json::Value>(&nested(100)).is_ok());
    let err = Registry::from_json_str(&nested(100)).unwrap_err();
    assert_eq!(err.code(), "limits.too_deep");
}

#[test]
fn too_many_departments_names_the_limit_and_the_count() {
    let doc: RegistryDoc = serde_json::from_str(SAMPLE).unwrap();
    let one = doc.departments.first().unwrap().clone();
    let mut big = doc.clone();
    big.departments = (0..=limits::MAX_DEPARTMENTS)
        .map(|i| {
            let mut d = one.clone();
            d.id = format!("d{i}");
            d
        })
        .collect();
    let err = Registry::from_doc(big).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    let msg = err.to_string();
    assert!(msg.contains("MAX_DEPARTMENTS"), "{msg}");
    assert!(
        msg.contains(&(limits::MAX_DEPARTMENTS + 1).to_string()),
        "{msg}"
    );
    // The sample is well within every limit.
    assert!(Registry::from_doc(doc).is_ok());
}

#[test]
fn grant_counts_are_checked_including_added_grants() {
    let err = limits::check_grants(limits::MAX_GRANTS + 1).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    assert!(err.to_string().contains("MAX_GRANTS"), "{err}");
    assert!(limits::check_grants(limits::MAX_GRANTS).is_ok());
}

#[test]
fn a_huge_registry_file_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("govshare-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.json");
    let f = std::fs::File::create(&path).unwrap();
    // A sparse file: no disk space, no memory.
    f.set_len(limits::MAX_REGISTRY_BYTES as u64 + 1).unwrap();
    let err = Registry::from_path(&path).unwrap_err();
    assert_eq!(err.code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_REGISTRY_BYTES"), "{err}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn events_over_the_limits() {
    let deep = format!(
        r#"{{"kind":"data_provided","at":"2019-10-01T00:00:00+08:00","resource":{}}}"#,
        nested(10_000)
    );
    let err = Event::from_json_str(&deep).unwrap_err();
    assert_eq!(err.limit().unwrap().code(), "limits.too_deep");

    let big = format!(
        r#"{{"kind":"inconsistency_reported","at":"2019-10-01T00:00:00+08:00","resource":"x","by":"y","detail":"{}"}}"#,
        "x".repeat(limits::MAX_EVENT_BYTES)
    );
    let err = Event::from_json_str(&big).unwrap_err();
    assert_eq!(err.limit().unwrap().code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_EVENT_BYTES"), "{err}");

    // Ordinary errors are still the JSON's own.
    let err = Event::from_json_str(r#"{"kind":"data_provided"}"#).unwrap_err();
    assert!(err.limit().is_none());
}

fn sample_doc() -> RegistryDoc {
    serde_json::from_str(SAMPLE).unwrap()
}

#[test]
fn lists_inside_entries_are_counted_and_named() {
    // 33 million empty duties fit in MAX_REGISTRY_BYTES; one list is bounded alone.
    let mut doc = sample_doc();
    let id = doc.departments[0].id.clone();
    doc.departments[0].duties = vec![String::new(); limits::MAX_LIST_ITEMS + 1];
    let err = Registry::from_doc(doc.clone()).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("department `{id}` field `duties`"))
            && msg.contains("MAX_LIST_ITEMS")
            && msg.contains("10001"),
        "{msg}"
    );
    doc.departments[0].duties.pop();
    assert!(Registry::from_doc(doc).is_ok(), "exactly the limit is fine");

    let mut doc = sample_doc();
    let id = doc.resources[0].id.clone();
    doc.resources[0].open_fields = vec!["x".to_owned(); limits::MAX_LIST_ITEMS + 1];
    let msg = Registry::from_doc(doc).unwrap_err().to_string();
    assert!(
        msg.contains(&format!("resource `{id}` field `open_fields`")),
        "{msg}"
    );

    let mut doc = sample_doc();
    let id = doc.grants[0].id.clone();
    doc.grants[0].purposes = vec!["p".to_owned(); limits::MAX_LIST_ITEMS + 1];
    let err = Registry::from_doc(doc).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    assert!(
        err.to_string()
            .contains(&format!("grant `{id}` field `purposes`")),
        "{err}"
    );
}

#[test]
fn long_strings_are_too_large_and_named() {
    let mut doc = sample_doc();
    let id = doc.resources[1].id.clone();
    doc.resources[1].fields[0] = "字".repeat(limits::MAX_STRING_BYTES / 3 + 1);
    let err = Registry::from_doc(doc).unwrap_err();
    assert_eq!(err.code(), "limits.too_large");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("resource `{id}` field `fields[0]`"))
            && msg.contains("MAX_STRING_BYTES"),
        "{msg}"
    );
    // A too-long id is shown shortened.
    let mut doc = sample_doc();
    doc.departments[0].id = "d".repeat(limits::MAX_STRING_BYTES + 1);
    let msg = Registry::from_doc(doc).unwrap_err().to_string();
    assert!(msg.contains("field `id`") && msg.len() < 400, "{msg}");
}

#[test]
fn grants_per_pair_are_counted_including_added_grants() {
    let doc = sample_doc();
    let g = doc.grants[0].clone();
    let copies = |n: usize, tag: &str| -> Vec<_> {
        (0..n)
            .map(|i| {
                let mut c = g.clone();
                c.id = format!("{tag}-{i}");
                c
            })
            .collect()
    };
    let mut big = doc.clone();
    big.grants = copies(limits::MAX_GRANTS_PER_PAIR + 1, "g");
    let err = Registry::from_doc(big).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!(
            "department `{}` on resource `{}`",
            g.department, g.resource
        )) && msg.contains("MAX_GRANTS_PER_PAIR"),
        "{msg}"
    );
    let mut full = doc.clone();
    full.grants = copies(limits::MAX_GRANTS_PER_PAIR, "g");
    let reg = Registry::from_doc(full).unwrap();
    let err = reg.with_grants(copies(1, "more")).unwrap_err();
    assert_eq!(err.code(), "limits.too_many");
    // Another pair still takes grants.
    let mut other = doc
        .grants
        .iter()
        .find(|o| (&o.department, &o.resource) != (&g.department, &g.resource))
        .unwrap()
        .clone();
    other.id = "other-1".to_owned();
    assert!(reg.with_grants(vec![other]).is_ok());
}

/// Runs `f` and checks that it took less than `secs` seconds.
fn quickly<T>(secs: u64, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took.as_secs() < secs, "took {took:?}");
    out
}

#[test]
fn dev_zero_is_too_large_everywhere_files_are_read() {
    let zero = std::path::Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    let err = quickly(30, || Registry::from_path(zero).unwrap_err());
    assert_eq!(err.code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_REGISTRY_BYTES"), "{err}");

    let err = quickly(10, || {
        govshare::calendar::WorkCalendar::china()
            .with_overrides_path(zero)
            .unwrap_err()
    });
    assert_eq!(err.code(), "limits.too_large");
    assert!(err.to_string().contains("MAX_OVERRIDES_BYTES"), "{err}");

    let dir = temp_dir("pack-zero");
    for (name, text) in pack_files() {
        std::fs::write(dir.join(name), text).unwrap();
    }
    std::os::unix::fs::symlink(zero, dir.join("zero.cedar")).unwrap();
    let err = quickly(10, || govshare::policy::PolicyPack::load(&dir).unwrap_err());
    assert_eq!(err.code(), "limits.too_large");
    assert!(
        err.to_string().contains("zero.cedar") && err.to_string().contains("MAX_PACK_FILE_BYTES"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_fifo_is_read_only_up_to_the_limit() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("overrides.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let path = fifo.clone();
    // An endless writer: only the reader's limit ends this.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let chunk = vec![b'#'; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
    });
    let err = quickly(10, || {
        govshare::calendar::WorkCalendar::china()
            .with_overrides_path(&fifo)
            .unwrap_err()
    });
    assert_eq!(err.code(), "limits.too_large");
    writer.join().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("govshare-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const PACK: &[(&str, &str)] = &[
    (
        "manifest.toml",
        include_str!("../../policies/binzhou/manifest.toml"),
    ),
    (
        "schema.cedarschema",
        include_str!("../../policies/binzhou/schema.cedarschema"),
    ),
    (
        "checks.cedar",
        include_str!("../../policies/binzhou/checks.cedar"),
    ),
    (
        "sharing.cedar",
        include_str!("../../policies/binzhou/sharing.cedar"),
    ),
    (
        "open_data.cedar",
        include_str!("../../policies/binzhou/open_data.cedar"),
    ),
    (
        "findings.toml",
        include_str!("../../policies/binzhou/findings.toml"),
    ),
];

fn pack_files() -> Vec<(String, String)> {
    PACK.iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect()
}

/// The Binzhou pack plus `extra.cedar` with one policy whose condition is `body`.
fn pack_with(body: &str) -> Vec<(String, String)> {
    let mut files = pack_files();
    files.push((
        "extra.cedar".to_owned(),
        format!(
            "// an extra policy\n@id(\"extra\")\n@article(\"22\")\n@code(\"extra\")\n@zh(\"x\")\n@en(\"x\")\n\
             permit (principal, action == Gov::Action::\"publish_open_data\", resource)\n\
             when {{ {body} }};\n"
        ),
    ));
    files
}

fn load_err(files: Vec<(String, String)>) -> govshare::policy::PolicyError {
    govshare::policy::PolicyPack::from_files(files).unwrap_err()
}

#[test]
fn deep_policies_and_schemas_are_too_deep_not_a_stack_overflow() {
    use govshare::policy::PolicyPack;
    // 1,000 nested parentheses (Cedar's parser overflowed the main stack).
    let err = load_err(pack_with(&format!(
        "{}true{}",
        "(".repeat(1000),
        ")".repeat(1000)
    )));
    assert_eq!(err.code(), "limits.too_deep");
    let msg = err.to_string();
    assert!(
        msg.contains("pack file `extra.cedar` line 8") && msg.contains("1001 levels"),
        "{msg}"
    );
    // 20,000 nested `if`s, without a bracket.
    let ifs = "if true then ".repeat(20_000) + "true" + &" else false".repeat(20_000);
    let err = load_err(pack_with(&ifs));
    assert_eq!(err.code(), "limits.too_deep");
    assert!(err.to_string().contains("20001 levels"), "{err}");
    // A deeply nested schema: records and sets.
    let mut files = pack_files();
    files[1].1.push_str(&format!(
        "\nentity Deep {{ a: {}Long{} }};\n",
        "{a: Set<".repeat(500),
        ">}".repeat(500)
    ));
    let err = load_err(files);
    assert_eq!(err.code(), "limits.too_deep");
    assert!(
        err.to_string().contains("`schema.cedarschema` line"),
        "{err}"
    );
    // Through the crate error too.
    assert_eq!(govshare::Error::from(err).code(), "limits.too_deep");
    // A chain of 100,000 operators nests without brackets: it loaded, and then
    // dropping it overflowed the caller's stack.
    for chain in [
        "1".to_owned() + &" + 1".repeat(100_000) + " > 0",
        "principal".to_owned() + &".a".repeat(100_000),
    ] {
        let err = load_err(pack_with(&chain));
        assert_eq!(err.code(), "limits.too_many");
        let msg = err.to_string();
        assert!(
            msg.contains("`extra.cedar`: the policy at line 2")
                && msg.contains("MAX_PACK_OPERATORS"),
            "{msg}"
        );
    }
    // Right at the limit: Cedar parses it (and validates it: the pack loads).
    let n = limits::MAX_PACK_NESTING - 1; // `when {` is one level
    let pack = PolicyPack::from_files(pack_with(&format!(
        "{}true{}",
        "(".repeat(n),
        ")".repeat(n)
    )));
    assert!(pack.is_ok(), "{:?}", pack.err());
}

#[test]
fn packs_parse_on_their_own_stack_whatever_the_callers() {
    use govshare::policy::PolicyPack;
    // A caller with a small stack (as Python or Node threads may have) loads a pack
    // nested right up to the limit: the parse runs on its own large stack.
    let n = limits::MAX_PACK_NESTING - 1;
    let files = pack_with(&format!(
        "{}true{}",
        "if true then (".repeat(n / 2),
        ") else false".repeat(n / 2)
    ));
    let loaded = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || PolicyPack::from_files(files).map(|p| p.name().to_owned()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(loaded.unwrap(), PolicyPack::binzhou().name());
}

#[test]
fn the_nesting_scan_finds_the_first_line_over_the_limit() {
    let text = "permit(p, a, r)\nwhen {\n".to_owned() + &"(".repeat(100) + "\ntrue";
    let scan = limits::scan_pack_text(&text, false);
    assert_eq!((scan.depth, scan.too_deep_at), (101, Some(3)));
}

#[cfg(feature = "cli")]
mod cli {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;

    const BIN: &str = env!("CARGO_BIN_EXE_govshare");
    const SAMPLE_PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/binzhou/sample/registry.json"
    );

    #[test]
    fn decide_reports_overlong_and_deep_lines_and_goes_on() {
        let ok = r#"{"department":"city.civil-affairs","resource":"population.basic","method":"online_query","purpose":"social-assistance","network":"extranet","certificate":"BZ-0007","at":"2019-03-01T10:00:00+08:00"}"#;
        let long = "x".repeat(limits::MAX_LINE_BYTES + 10);
        let deep = nested(1000);
        let input = format!("{ok}\n{long}\n{deep}\n{ok}\n");
        let mut child = Command::new(BIN)
            .args(["decide", "--registry", SAMPLE_PATH])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[0]["decision"], "permit");
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["error"]["code"], "limits.too_large");
        assert_eq!(lines[2]["line"], 3);
        assert_eq!(lines[2]["error"]["code"], "limits.too_deep");
        assert_eq!(lines[3], lines[0]);
        assert_eq!(out.status.code(), Some(1));
    }
}
