//! Pack loading (SPEC §7): the built-in pack, a pack on disk, and the errors an
//! invalid pack gives (naming the file and the line).

#![expect(clippy::unwrap_used, reason = "test helpers unwrap their fixtures")]

use chrono::NaiveDate;
use govshare::calendar::CountingRule;
use govshare::policy::{PolicyError, PolicyPack};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/binzhou");

fn files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(DIR).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    out
}

fn with_file(name: &str, text: &str) -> Vec<(String, String)> {
    let mut f: Vec<_> = files().into_iter().filter(|(n, _)| n != name).collect();
    f.push((name.to_owned(), text.to_owned()));
    f
}

#[test]
fn manifest_has_the_binzhou_numbers() {
    let pack = PolicyPack::binzhou();
    let m = pack.manifest();
    assert_eq!(m.name, "binzhou");
    assert_eq!(pack.name(), "binzhou");
    assert_eq!(m.valid_from, NaiveDate::from_ymd_opt(2017, 12, 6).unwrap());
    assert_eq!(m.valid_until, NaiveDate::from_ymd_opt(2022, 11, 5).unwrap());
    assert_eq!(m.reply_limit_workdays, 5);
    assert_eq!(m.catalog_update_workdays, 15);
    assert_eq!(m.counting_rule, CountingRule::Strict);
    // SPEC v2 §5 Severity: the thresholds are the pack's, under their v2 names.
    assert_eq!(m.severity.serious_lateness, 10);
    assert_eq!(m.severity.serious_repeat, 3);
    assert_eq!(m.severity.serious_window_months, 12);
    // SPEC v2 §5: every category has its article in the pack, but those only the
    // national (`regional`) procedure reports.
    for c in govshare::audit::Category::ALL {
        assert_eq!(m.category(c).is_some(), !c.is_optional(), "{c:?}");
    }
    assert_eq!(
        m.applications.procedure,
        govshare::policy::Procedure::Central
    );
    assert_eq!(
        m.category(govshare::audit::Category::UnauthorizedDisclosure)
            .map(|s| s.article.as_str()),
        Some("30(5)")
    );
}

#[test]
fn every_policy_is_annotated() {
    let pack = PolicyPack::binzhou();
    let mut n = 0;
    for p in pack.policies().policies() {
        n += 1;
        for key in ["id", "article", "code", "zh", "en"] {
            assert!(
                p.annotation(key).is_some_and(|v| !v.is_empty()),
                "{} lacks @{key}",
                p.id()
            );
        }
        assert_eq!(p.annotation("id"), Some(p.id().as_ref()));
    }
    assert!(n >= 20, "{n}");
}

#[test]
fn the_pack_on_disk_is_the_built_in_one() {
    let disk = PolicyPack::load(DIR).unwrap();
    let built = PolicyPack::try_binzhou().unwrap();
    assert_eq!(disk.manifest(), built.manifest());
    let mut a: Vec<_> = disk
        .policies()
        .policies()
        .map(|p| p.id().to_string())
        .collect();
    let mut b: Vec<_> = built
        .policies()
        .policies()
        .map(|p| p.id().to_string())
        .collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn an_attribute_the_schema_lacks_is_an_error_with_file_and_line() {
    let text = format!(
        "{}\n\n@id(\"bad\")\n@article(\"17\")\n@code(\"bad\")\n@route(\"none\")\n@remedy(\"requester:change_request\")\n@zh(\"壞\")\n@en(\"bad\")\nforbid (principal, action == Gov::Action::\"access\", resource)\nwhen {{ principal.salary > 3 }};\n",
        files()
            .into_iter()
            .find(|(n, _)| n == "checks.cedar")
            .unwrap()
            .1
    );
    let expected_line = text
        .lines()
        .position(|l| l.contains("principal.salary"))
        .unwrap()
        + 1;
    let err = PolicyPack::from_files(with_file("checks.cedar", &text)).unwrap_err();
    assert_eq!(err.code(), "policy.invalid_policy");
    match &err {
        PolicyError::InvalidPolicy {
            file,
            line,
            message,
        } => {
            assert_eq!(file, "checks.cedar");
            assert_eq!(*line, expected_line, "{message}");
            assert!(message.contains("bad"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("checks.cedar"));
}

#[test]
fn a_syntax_error_names_the_line() {
    let text = "// header\n\n@id(\"x\")\npermit (principal, action, resource) when { principal.duties.contains( };\n";
    let err = PolicyPack::from_files(with_file("checks.cedar", text)).unwrap_err();
    match err {
        PolicyError::InvalidPolicy { file, line, .. } => {
            assert_eq!(file, "checks.cedar");
            assert_eq!(line, 4);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_annotations_and_bad_routes_are_errors() {
    let base = "@id(\"p\")\n@article(\"17\")\n@code(\"p\")\n@route(\"direct\")\n@zh(\"甲\")\n@en(\"a\")\npermit (principal, action == Gov::Action::\"access\", resource);\n";
    assert!(PolicyPack::from_files(with_file("checks.cedar", base)).is_ok());
    for (from, to, needle) in [
        ("@article(\"17\")\n", "", "@article"),
        ("@id(\"p\")\n", "", "@id"),
        ("@route(\"direct\")\n", "", "@route"),
        ("@route(\"direct\")", "@route(\"sideways\")", "sideways"),
        ("@route(\"direct\")", "@route(\"apply\")", "route"),
        ("@article(\"17\")", "@article(\"Art. 17\")", "Art. 17"),
        ("@zh(\"甲\")\n", "", "@zh"),
    ] {
        let text = base.replace(from, to);
        let err = PolicyPack::from_files(with_file("checks.cedar", &text)).unwrap_err();
        assert_eq!(err.code(), "policy.invalid_policy", "{from}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
    // Duplicate ids across files.
    let dup = base.replace("@id(\"p\")", "@id(\"provider_own\")");
    let err = PolicyPack::from_files(with_file("checks.cedar", &dup)).unwrap_err();
    assert!(
        err.to_string()
            .contains("duplicate policy id `provider_own`"),
        "{err}"
    );
}

#[test]
fn schema_and_manifest_errors_have_codes() {
    let err = PolicyPack::from_files(with_file(
        "schema.cedarschema",
        "namespace Gov { entity ; }",
    ))
    .unwrap_err();
    assert_eq!(err.code(), "policy.invalid_schema");
    let m = files()
        .into_iter()
        .find(|(n, _)| n == "manifest.toml")
        .unwrap()
        .1;
    let err = PolicyPack::from_files(with_file(
        "manifest.toml",
        &m.replace("reply_limit_workdays", "reply_days"),
    ))
    .unwrap_err();
    assert_eq!(err.code(), "policy.invalid_manifest");
    assert!(err.to_string().contains("reply_days"), "{err}");
    let err = PolicyPack::from_files(with_file(
        "manifest.toml",
        &m.replace("2022-11-05", "2016-01-01"),
    ))
    .unwrap_err();
    assert_eq!(err.code(), "policy.invalid_manifest");
    let no_manifest: Vec<_> = files()
        .into_iter()
        .filter(|(n, _)| n != "manifest.toml")
        .collect();
    assert_eq!(
        PolicyPack::from_files(no_manifest).unwrap_err().code(),
        "policy.missing_file"
    );
    assert_eq!(
        PolicyPack::load("/nonexistent/pack").unwrap_err().code(),
        "policy.io"
    );
}

/// SPEC v2 §2: every access forbid names who must act and how; a malformed
/// remedy, submission reading or citation is a load error naming the policy.
#[test]
fn access_forbids_carry_a_remedy_and_valid_annotations() {
    let checks = files()
        .into_iter()
        .find(|(n, _)| n == "checks.cedar")
        .unwrap()
        .1;
    for (extra, wants) in [
        ("", "@remedy"),
        ("@remedy(\"requester\")\n", "remedy `requester`"),
        ("@remedy(\"requester:pray\")\n", "remedy `requester:pray`"),
        (
            "@remedy(\"requester:apply\")\n@submission(\"maybe\")\n",
            "submission `maybe`",
        ),
        (
            "@remedy(\"requester:apply\")\n@detail(\"colour\")\n",
            "detail `colour`",
        ),
    ] {
        let text = format!(
            "{checks}\n@id(\"extra\")\n@article(\"17\")\n@code(\"extra\")\n@route(\"none\")\n{extra}@zh(\"x\")\n@en(\"x\")\nforbid (principal, action == Gov::Action::\"access\", resource)\nwhen {{ false }};\n"
        );
        let err = PolicyPack::from_files(with_file("checks.cedar", &text)).unwrap_err();
        assert_eq!(err.code(), "policy.invalid_policy", "{err}");
        assert!(err.to_string().contains(wants), "{wants}: {err}");
        assert!(err.to_string().contains("extra"), "{err}");
    }
    // The citation grammar of SPEC v2 §8 is accepted: 21¶2 (the new code named
    // in `usage_checks`, SPEC v2 §5).
    let text = format!(
        "{checks}\n@id(\"extra\")\n@article(\"21¶2\")\n@code(\"extra\")\n@route(\"none\")\n@remedy(\"provider:rectify\")\n@zh(\"x\")\n@en(\"x\")\nforbid (principal, action == Gov::Action::\"access\", resource)\nwhen {{ false }};\n"
    );
    let manifest = manifest_text().replace(
        "[usage_checks]\n",
        "[usage_checks]\nextra = \"unauthorized_use\"\n",
    );
    let mut both: Vec<_> = with_file("checks.cedar", &text)
        .into_iter()
        .filter(|(n, _)| n != "manifest.toml")
        .collect();
    both.push(("manifest.toml".to_owned(), manifest));
    let loaded = PolicyPack::from_files(both);
    assert!(loaded.is_ok(), "{:?}", loaded.err());
}

fn manifest_text() -> String {
    files()
        .into_iter()
        .find(|(n, _)| n == "manifest.toml")
        .unwrap()
        .1
}

/// SPEC v2 §5 "From a failing check to a category": `usage_checks` names every
/// reason code an access forbid of the pack (and the engine itself) may give; a
/// pack that leaves one out does not load.
#[test]
fn usage_checks_name_every_access_forbid_code() {
    let pack = PolicyPack::binzhou();
    let table = &pack.manifest().usage_checks;
    // Every access forbid of the Binzhou files, read from the text.
    for (name, text) in files() {
        if !name.ends_with(".cedar") {
            continue;
        }
        let mut code = None;
        for line in text.lines() {
            if let Some(c) = line.strip_prefix("@code(\"") {
                code = c.strip_suffix("\")").map(str::to_owned);
            }
            if line.starts_with("forbid") && line.contains("Gov::Action::\"access\"") {
                let c = code.clone().unwrap();
                assert!(table.contains_key(&c), "{name}: `{c}` not in usage_checks");
            }
        }
    }
    for c in ["no_applicable_policy", "grants_not_combined"] {
        assert!(table.contains_key(c), "{c}");
    }
    // Leaving one out is a load error naming it.
    let m = manifest_text();
    for code in ["grant_purpose", "no_applicable_policy"] {
        let without: String = m
            .lines()
            .filter(|l| !l.starts_with(&format!("{code} =")))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = PolicyPack::from_files(with_file("manifest.toml", &without)).unwrap_err();
        assert_eq!(err.code(), "policy.invalid_manifest", "{err}");
        assert!(err.to_string().contains(code), "{err}");
    }
}

// ------------------------------------------------ SPEC v2 §7: a timeline of packs

const NATIONAL_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/national-2025");

#[test]
fn the_national_pack_on_disk_is_the_built_in_one() {
    let disk = PolicyPack::load(NATIONAL_DIR).unwrap();
    let built = PolicyPack::national_2025();
    assert_eq!(disk.manifest(), built.manifest());
    assert_eq!(built.name(), "national-2025");
    assert_eq!(
        built.manifest().valid_from,
        NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()
    );
    // It models its applications by the regional procedure (packs/national-2025.md),
    // with both reply limits of Art. 21¶1 and the delivery limit of Art. 22¶1.
    let m = built.manifest();
    assert!(m.workflow);
    assert_eq!(
        m.applications.procedure,
        govshare::policy::Procedure::Regional
    );
    assert_eq!(m.applications.reply_limit("unconditional"), Some(1));
    assert_eq!(m.applications.reply_limit("conditional"), Some(10));
    assert_eq!(m.applications.delivery_workdays, Some(20));
    assert_eq!(m.applications.extension_max_workdays, Some(10));
    // Art. 17¶2-3 and 26¶2 are modelled; Binzhou's provision duty has no
    // national counterpart, and its inconsistency report is read as a
    // verification request.
    assert!(m.declares_event("materials_requested"));
    assert!(m.declares_event("law_revised"));
    assert!(!m.declares_event("data_provided"));
    assert_eq!(m.catalog.review_workdays, Some(2));
    assert_eq!(m.catalog.extension_max_workdays, Some(5));
    assert_eq!(m.verification.as_ref().map(|v| v.workdays), Some(10));
    assert_eq!(
        m.events
            .as_ref()
            .and_then(|e| e.read_as.get("inconsistency_reported"))
            .map(String::as_str),
        Some("verification_requested")
    );
    assert!(!PolicyPack::binzhou().manifest().declares_event("decide"));
    assert!(PolicyPack::binzhou().manifest().workflow);
    for name in govshare::policy::BUILTIN_PACKS {
        assert_eq!(PolicyPack::builtin(name).unwrap().name(), name);
        assert_eq!(PolicyPack::named_or_load(name).unwrap().name(), name);
    }
    assert!(PolicyPack::builtin("binzhou-2017").is_none());
    assert_eq!(
        PolicyPack::named_or_load(NATIONAL_DIR).unwrap().name(),
        "national-2025"
    );
}

#[test]
fn overlapping_packs_are_refused_naming_both() {
    let registry = || {
        govshare::registry::Registry::from_json_str(include_str!(
            "../../policies/binzhou/sample/registry.json"
        ))
        .unwrap()
    };
    // Binzhou moved to end after the national pack began.
    let late = manifest_text().replace(
        "valid_until = \"2022-11-05\"",
        "valid_until = \"2025-08-01\"",
    );
    let binzhou_late = PolicyPack::from_files(with_file("manifest.toml", &late)).unwrap();
    let err = govshare::policy::Engine::with_packs(
        vec![PolicyPack::national_2025(), binzhou_late],
        registry(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "policy.invalid_manifest");
    let msg = err.to_string();
    assert!(
        msg.contains("`valid_from`") && msg.contains("national-2025") && msg.contains("binzhou"),
        "{msg}"
    );
    // The two built-in packs do not overlap, in either order.
    for packs in [
        PolicyPack::builtins(),
        PolicyPack::builtins().into_iter().rev().collect(),
    ] {
        let e = govshare::policy::Engine::with_packs(packs, registry()).unwrap();
        let names: Vec<&str> = e.packs().iter().map(|p| p.name()).collect();
        assert_eq!(names, ["binzhou", "national-2025"]);
    }
}

#[test]
fn a_method_map_must_name_undeclared_methods_onto_declared_ones() {
    let m = std::fs::read_to_string(format!("{NATIONAL_DIR}/manifest.toml")).unwrap();
    let national = |manifest: &str| {
        let mut files: Vec<(String, String)> = std::fs::read_dir(NATIONAL_DIR)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "cedar" || x == "cedarschema")
                    || p.ends_with("findings.toml")
            })
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.push(("manifest.toml".to_owned(), manifest.to_owned()));
        PolicyPack::from_files(files)
    };
    assert!(national(&m).is_ok(), "{:?}", national(&m).err());
    for (from, to, key) in [
        (
            "online_query = \"service_interface\"",
            "online_query = \"batch_download\"",
            "methods.map.online_query",
        ),
        (
            "online_query = \"service_interface\"",
            "online_query = \"service_interface\"\nfile_download = \"service_interface\"",
            "methods.map.file_download",
        ),
        (
            "article = \"22¶2\"",
            "article = \"Art. 22\"",
            "methods.article",
        ),
        (
            "submission = \"19¶1\"",
            "submission = \"\"",
            "answers.submission",
        ),
    ] {
        assert!(m.contains(from), "{from}");
        let err = national(&m.replace(from, to)).unwrap_err();
        assert_eq!(err.code(), "policy.invalid_manifest", "{err}");
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
}

#[test]
fn a_pack_without_findings_or_with_a_wrong_one_does_not_load() {
    let without: Vec<_> = files()
        .into_iter()
        .filter(|(n, _)| n != "findings.toml")
        .collect();
    let err = PolicyPack::from_files(without).unwrap_err();
    assert_eq!(err.code(), "policy.missing_file");
    assert!(err.to_string().contains("findings.toml"), "{err}");
    let text = std::fs::read_to_string(format!("{DIR}/findings.toml")).unwrap();
    for (from, to, key) in [
        ("[fields_missing]", "[fields_gone]", "`fields_gone`"),
        (
            "lists no fields\"",
            "lists no {field}\"",
            "`fields_missing.en`",
        ),
        (
            "article = \"32(1)\"",
            "article = \"Art. 32\"",
            "`basic_category_missing.article`",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let err = PolicyPack::from_files(with_file("findings.toml", &text.replacen(from, to, 1)))
            .unwrap_err();
        assert_eq!(err.code(), "policy.invalid_findings", "{err}");
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
    // A decision note must be a finding the pack reports.
    let m = manifest_text().replace(
        "decision_notes = [\"basic_not_unconditional\"]",
        "decision_notes = [\"fields_missing\", \"no_such_finding\"]",
    );
    let err = PolicyPack::from_files(with_file("manifest.toml", &m)).unwrap_err();
    assert_eq!(err.code(), "policy.invalid_manifest");
    assert!(err.to_string().contains("no_such_finding"), "{err}");
}

/// SPEC §7: a pack that models the workflow names every rule text and
/// irregularity article the workflow cites; the national pack (workflow off)
/// needs none.
#[test]
fn a_workflow_pack_names_its_rules_and_irregularity_articles() {
    let m = manifest_text();
    for (line, key) in [
        (
            "missing_reason = \"Art. 17: the provider must state why\"\n",
            "rule_texts.missing_reason",
        ),
        (
            "service_refused = \"20\"\n",
            "irregularity_articles.service_refused",
        ),
    ] {
        assert!(m.contains(line), "{line}");
        let err =
            PolicyPack::from_files(with_file("manifest.toml", &m.replace(line, ""))).unwrap_err();
        assert_eq!(err.code(), "policy.invalid_manifest");
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
    let bad = m.replace("service_refused = \"20\"", "service_refused = \"Art. 20\"");
    let err = PolicyPack::from_files(with_file("manifest.toml", &bad)).unwrap_err();
    assert!(
        err.to_string()
            .contains("irregularity_articles.service_refused"),
        "{err}"
    );
    let at = m.find("[serve_texts]").unwrap();
    let err = PolicyPack::from_files(with_file("manifest.toml", &m[..at])).unwrap_err();
    assert!(err.to_string().contains("serve_texts"), "{err}");
    let national = PolicyPack::national_2025();
    for key in govshare::workflow::REGIONAL_RULE_KEYS {
        assert!(national.manifest().rule_texts.contains_key(key), "{key}");
    }
}

/// The national pack's files, with `manifest.toml` replaced by `manifest`.
fn national_with_manifest(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(NATIONAL_DIR).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            let text = if name == "manifest.toml" {
                manifest.to_owned()
            } else {
                std::fs::read_to_string(&p).unwrap()
            };
            out.push((name, text));
        }
    }
    out
}

/// The tables of the regional procedure, the event kinds and the duties are
/// checked at load: each broken one is `policy.invalid_manifest`, naming its key.
#[test]
fn the_national_manifest_tables_are_checked() {
    let m = std::fs::read_to_string(format!("{NATIONAL_DIR}/manifest.toml")).unwrap();
    assert!(PolicyPack::from_files(national_with_manifest(&m)).is_ok());
    for (from, to, key) in [
        (
            "delivery_workdays = 20\n",
            "",
            "applications.delivery_workdays",
        ),
        (
            "coordinator = \"sharing_authority\"\n",
            "",
            "applications.coordinator",
        ),
        (
            "reply_workdays = { unconditional = 1, conditional = 10 }",
            "reply_workdays = { conditional = 10 }",
            "applications.reply_workdays.unconditional",
        ),
        (
            "reply_workdays = { unconditional = 1, conditional = 10 }",
            "reply_workdays = { unconditional = 1, conditional = 10, not_shared = 5 }",
            "applications.reply_workdays.not_shared",
        ),
        (
            "\"apply\", \"reply\",",
            "\"apply\", \"reply\", \"appeal\",",
            "`appeal`",
        ),
        (
            "read_as = { inconsistency_reported = \"verification_requested\"",
            "read_as = { inconsistency_reported = \"catalog_updated\"",
            "events.read_as.inconsistency_reported",
        ),
        (
            "closed_by = \"catalog_submitted\"",
            "closed_by = \"catalog_filed\"",
            "catalog.closed_by",
        ),
        (
            "reviewer = \"sharing_authority\"\n",
            "",
            "catalog.review_workdays",
        ),
        (
            "outside_regulation = \"Art. 3:",
            "outside_regulation_x = \"Art. 3:",
            "rule_texts.",
        ),
        (
            "\n[categories.delivery_overdue]\narticle = \"39(4)\"\nbasis = [\"22¶1\"]\nresponsible = \"provider\"\n",
            "\n",
            "categories.delivery_overdue",
        ),
        (
            "\n[categories.verification_overdue]\narticle = \"39(6)\"\nbasis = [\"26¶2\"]\nresponsible = \"provider\"\n",
            "\n",
            "categories.verification_overdue",
        ),
        (
            "sharing_suspended = \"unauthorized_use\"\n",
            "",
            "sharing_suspended",
        ),
    ] {
        assert!(m.contains(from), "the manifest no longer has {from:?}");
        let err = PolicyPack::from_files(national_with_manifest(&m.replacen(from, to, 1)))
            .err()
            .unwrap_or_else(|| panic!("{key}: loaded"));
        assert_eq!(err.code(), "policy.invalid_manifest", "{key}: {err}");
        assert!(err.to_string().contains(key), "{key}: {err}");
        assert!(err.to_string().contains("manifest.toml"), "{err}");
    }
}
