//! `govshare demo` on the embedded sample: decisions, applications across holidays,
//! obligations, Art. 20 and the audit table.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions unwrap too"
)]

use std::process::Command;

fn demo() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_govshare"))
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn demo_shows_decisions_deadlines_obligations_and_the_audit() {
    let text = demo();
    // Sections, in Chinese with English labels.
    for heading in [
        "一、共享決定 Access decisions",
        "二、共享申請 Applications",
        "三、義務 Obligations",
        "四、校核期間照常辦理 Art. 20",
        "五、審計 Audit",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    // Decisions with citations: a direct permit, a deny routed to apply, a deny for
    // the purpose, and a permit under the grant from an approval in the log.
    assert!(text.contains("准予 permit, route `direct`"));
    assert!(text.contains("拒絕 deny, route `apply`"));
    assert!(text.contains("citations [4(2), 19, 23]"));
    assert!(text.contains("grant `grant.sq-2019-008`"));
    // The National Day example: applied Friday 2019-09-27, due 2019-10-10, one day late.
    let sq8 = line_with(&text, "申請 applied 2019-09-27");
    assert!(
        sq8.contains("reply due 2019-10-10") && sq8.contains("國慶節 National Day"),
        "{sq8}"
    );
    assert!(sq8.contains("late 1 個工作日"), "{sq8}");
    // Across the 2020 Spring Festival (extended): applied 01-20, due 02-04.
    let sf = line_with(&text, "申請 applied 2020-01-20");
    assert!(
        sf.contains("reply due 2020-02-04") && sf.contains("春節 Spring Festival"),
        "{sf}"
    );
    // The live workflow rejected the refusal without a reason.
    assert!(text.contains("error[workflow.missing_reason]"));
    // Obligations: the Art. 16 filing across National Day, four working days late.
    let filing = line_with(
        &text,
        "惠民縣民政局（county.huimin.civil-affairs），起 from 2019-10-03，期限 due 2019-10-08",
    );
    assert!(filing.contains("目錄備案") || text.contains("catalog filing"));
    assert!(text.contains(
        "due 2019-10-08（二），跨 across 國慶節 National Day，完成 done 2019-10-12，逾期 late 4"
    ));
    // Art. 20.
    assert!(text.contains("must_serve = true，citations [20]"));
    // The audit table has every article column and a total row.
    for col in [
        "Art.30(1)",
        "Art.30(2)",
        "Art.30(3)",
        "Art.30(4)",
        "Art.30(5)",
        "Art.31",
        "Art.28",
    ] {
        assert!(text.contains(col), "missing column {col}");
    }
    let total = line_with(&text, "合計 total");
    assert!(total.contains('['), "{total}");
    // Violations of several kinds, with consequences.
    for category in [
        "reply_overdue",
        "refusal_without_reason",
        "catalog_not_updated",
        "catalog_not_filed",
        "data_not_provided",
        "purpose_violation",
        "sensitive_data_breach",
        "project_without_catalog",
        "duplicate_collection",
        // SPEC v2 §4, §5, from the sample log's March 2020: a use under the Big Data
        // Center's restriction, a leak reported late, Art. 20 refused for a subject.
        "unauthorized_use",
        "incident_not_reported",
        "service_refused",
    ] {
        assert!(text.contains(category), "missing {category}");
    }
    assert!(text.contains("criminal_referral"));
    assert!(text.contains("restrict_derived_access"));
}

/// The demo's last section judges 2026 under the national regulation of 2025.
#[test]
fn demo_shows_the_national_regulation_for_2026() {
    let text = demo();
    let at = text
        .find("六、《政務數據共享條例》")
        .unwrap_or_else(|| panic!("no national section in:\n{text}"));
    let national = &text[at..];
    assert!(national.contains("pack `national-2025`, in force from 2025-08-01"));
    // Unconditional data is applied for; the consent permits; Binzhou's coordination
    // is no consent; not-shared data and a state secret are closed.
    assert!(national.contains("拒絕 deny, route `apply`, 條款 citations [20¶2, 21¶1]"));
    assert!(national.contains("grant `gn-2025-0001`"));
    assert!(
        national.contains("grant_not_honoured") || national.contains("不是政務數據提供部門的同意")
    );
    assert!(national.contains("citations [14(3), 15¶2]"));
    assert!(national.contains("route `none`, 條款 citations [3]"));
}

/// The demo's seventh section audits the national sample log of March 2026 under
/// Art. 39–42: a late reply, an obstruction of unconditional data, a use beyond
/// the grant and late deliveries, and the county's dispute decided by the city's
/// people's government.
#[test]
fn demo_shows_the_national_workflow_and_audit() {
    let text = demo();
    let at = text
        .find("七、國家條例下的申請與審計")
        .unwrap_or_else(|| panic!("no national workflow section in:\n{text}"));
    let section = &text[at..];
    assert!(section.contains("N-4 惠民縣民政局 → civil-affairs.marriage"));
    assert!(section.contains("N-1 濱州市民政局 → population.basic（濱州市公安局）: approved, 答覆期限 reply due 2026-03-03 逾期 late"));
    assert!(section.contains("5 violations"));
    for line in [
        "Art.39(2) sharing_obstructed",
        "Art.39(4) reply_overdue",
        "Art.40(2) unauthorized_use",
        "Art.39(4) delivery_overdue [嚴重 serious]",
    ] {
        assert!(section.contains(line), "{line} missing in:\n{section}");
    }
    // The national columns, not Binzhou's.
    assert!(section.contains("Art.41(3)"));
    assert!(!section.contains("Art.30(5)"));
}
