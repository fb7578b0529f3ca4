//! The Chinese and English words of a violation. The articles a text cites come
//! from the violation's basis (the pack's table), never from this file.

use chrono::NaiveDate;

use crate::audit::Category;
use crate::policy::Reason;

/// A pair of texts: Chinese, English.
pub(super) type Texts = (String, String);

/// "1 working day late", "3 working days late".
pub(super) fn days(n: i64) -> String {
    if n == 1 {
        "1 working day late".to_owned()
    } else {
        format!("{n} working days late")
    }
}

/// The Chinese numeral of an article number (十一, 十六, 十八, 二十一).
pub(super) fn zh_article(article: &str) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let Ok(n) = article.parse::<usize>() else {
        return article.to_owned();
    };
    let digit = |d: usize| DIGITS.get(d).copied().unwrap_or("");
    match (n / 10, n % 10) {
        (0, u) => digit(u).to_owned(),
        (1, 0) => "十".to_owned(),
        (1, u) => format!("十{}", digit(u)),
        (t, 0) => format!("{}十", digit(t)),
        (t, u) => format!("{}十{}", digit(t), digit(u)),
    }
}

/// A citation (SPEC v2 §8 grammar: `N`, `N(i)`, `N¶p`, `N¶p(i)`) in Chinese:
/// `30(5)` → 第三十條第（五）項, `21¶2` → 第二十一條第二款.
pub(super) fn zh_citation(c: &str) -> String {
    let (head, item) = match c.split_once('(') {
        Some((h, rest)) => (h, rest.strip_suffix(')')),
        None => (c, None),
    };
    let (article, paragraph) = match head.split_once('¶') {
        Some((a, p)) => (a, Some(p)),
        None => (head, None),
    };
    let mut out = format!("第{}條", zh_article(article));
    if let Some(p) = paragraph {
        out.push_str(&format!("第{}款", zh_article(p)));
    }
    if let Some(i) = item {
        out.push_str(&format!("第（{}）項", zh_article(i)));
    }
    out
}

/// The citations of a basis, appended to a violation's texts: `（第三十條第（五）項；
/// 第十七條、第二十三條）`, ` (Art. 30(5); 17, 23)`.
pub(super) fn cite(basis: &[String]) -> Texts {
    let Some((first, rest)) = basis.split_first() else {
        return (String::new(), String::new());
    };
    let zh_rest: Vec<String> = rest.iter().map(|c| zh_citation(c)).collect();
    let zh = if zh_rest.is_empty() {
        format!("（{}）", zh_citation(first))
    } else {
        format!("（{}；{}）", zh_citation(first), zh_rest.join("、"))
    };
    let en = if rest.is_empty() {
        format!(" (Art. {first})")
    } else {
        format!(" (Art. {first}; {})", rest.join(", "))
    };
    (zh, en)
}

/// A usage judged a violation of `category`, with its failing checks.
pub(super) fn usage(
    category: Category,
    resource: &str,
    purpose: &str,
    reasons: &[&Reason],
) -> Texts {
    let why: Vec<&str> = reasons.iter().map(|r| r.zh.as_str()).collect();
    let why_en: Vec<&str> = reasons.iter().map(|r| r.en.as_str()).collect();
    (
        format!(
            "：為「{purpose}」使用{resource}，{}：{}",
            category.zh(),
            why.join("；")
        ),
        format!(
            ": used {resource} for `{purpose}`, {}: {}",
            category.en(),
            why_en.join("; ")
        ),
    )
}

/// Art. 13.
pub(super) fn duplicate_collection(resource: &str) -> Texts {
    (
        format!("：要求辦事人重複提交共享平台可獲取的信息（{resource}）"),
        format!(
            ": required a person or company to submit {resource}, which it can get through the platform"
        ),
    )
}

/// Provided data rejected as unusable.
pub(super) fn unusable(resource: &str, reason: &str) -> Texts {
    (
        format!("：提供的數據（{resource}）不符合規範、無法使用：{reason}"),
        format!(": data provided for {resource} is unusable: {reason}"),
    )
}

/// A disclosure to `to` (or a leak when `to` is `None`) without authorisation.
pub(super) fn disclosure(resource: &str, to: Option<&str>) -> Texts {
    match to {
        Some(to) => (
            format!("：未經許可向{to}擴散共享信息（{resource}）"),
            format!(": disclosed shared data ({resource}) to {to} without authorisation"),
        ),
        None => (
            format!("：共享信息（{resource}）泄露"),
            format!(": shared data ({resource}) leaked"),
        ),
    }
}

/// A leak of sensitive data.
pub(super) fn breach(resource: &str, marks: &str, criminal: bool) -> Texts {
    (
        format!(
            "：造成涉及國家秘密、商業秘密或個人隱私的共享信息（{resource}：{marks}）泄漏{}",
            if criminal { "，涉嫌犯罪" } else { "" }
        ),
        format!(
            ": sensitive shared data ({resource}: {marks}) leaked{}",
            if criminal { ", a suspected crime" } else { "" }
        ),
    )
}

/// Art. 28 ¶2 at submission.
pub(super) fn project_submitted(project: &str) -> Texts {
    (
        format!("：項目{project}立項申請前未預編項目信息資源目錄"),
        format!(": project {project} was submitted without its information-resource catalog"),
    )
}

/// Art. 28 ¶2 at acceptance.
pub(super) fn project_accepted(project: &str) -> Texts {
    (
        format!("：項目{project}驗收時其信息資源目錄未納入共享平台目錄管理系統"),
        format!(": project {project} was accepted without its catalog in the platform"),
    )
}

/// A finding of the ledger (an [`crate::workflow::Irregularity`]).
/// An incident during a requester's use (`security_incident`).
pub(super) fn incident(resource: &str, leak: bool) -> Texts {
    if leak {
        (
            format!("：使用共享數據{resource}期間發生泄露，未履行安全管理責任"),
            format!(
                ": shared data {resource} leaked while in its use; its security duty was not met"
            ),
        )
    } else {
        (
            format!("：使用共享數據{resource}期間發生篡改、破壞或非法利用，未履行安全管理責任"),
            format!(
                ": shared data {resource} was tampered with, destroyed or unlawfully used while in its use; its security duty was not met"
            ),
        )
    }
}

pub(super) fn irregularity(
    category: Category,
    application: Option<&str>,
    reason: Option<&str>,
) -> Texts {
    let app = application.unwrap_or("");
    let (zh, en) = match category {
        Category::RefusalWithoutReason => (
            format!("：對申請{app}不予共享（或部分共享）未說明理由"),
            format!(": refused application {app} (in whole or in part) without a reason"),
        ),
        Category::ScopeNotStated => (
            format!("：同意申請{app}時未明確共享範圍和使用用途，或超出申請"),
            format!(": approved application {app} without a stated scope, or beyond the application"),
        ),
        Category::CertificateNotUsed => (
            "：未使用有效的統一數字證書".to_owned(),
            ": acted without a valid unified digital certificate".to_owned(),
        ),
        Category::ServiceRefused => (
            "：在信息校核期間對持有效證明的辦事人拒絕、推諉或要求更正".to_owned(),
            ": refused, delayed or demanded a correction from a person with valid proof during verification"
                .to_owned(),
        ),
        Category::SharingObstructed => (
            format!("：不予共享無條件共享類數據（申請{app}）"),
            format!(": refused unconditional data (application {app})"),
        ),
        Category::MaterialsNotRequestedAtOnce => (
            format!("：未一次性告知申請{app}需要補充的材料"),
            format!(": did not ask at once for every material application {app} lacked"),
        ),
        Category::RefusedForMissingMaterials => (
            format!("：以申請材料不全為由直接拒絕申請{app}，未一次性告知需補充的材料"),
            format!(": refused application {app} for incomplete materials instead of asking for them"),
        ),
        other => (format!("：{}", other.zh()), format!(": {}", other.en())),
    };
    match reason {
        Some(r) => (format!("{zh}：{r}"), format!("{en}: {r}")),
        None => (zh, en),
    }
}

/// A reply (or consent) to an application that came late, or not at all by `as_of`.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per part of the sentence"
)]
pub(super) fn late_reply(
    applicant: &str,
    applicant_id: &str,
    application: &str,
    resource: &str,
    due: NaiveDate,
    replied: Option<NaiveDate>,
    as_of: NaiveDate,
    n: i64,
    consent: bool,
) -> Texts {
    let (what_zh, what_en) = if consent {
        ("同意", "consent")
    } else {
        ("答覆", "reply")
    };
    match replied {
        Some(t) => (
            format!(
                "：對{applicant}的申請{application}（{resource}）應於{due}前{what_zh}，{t}方{what_zh}，逾期{n}個工作日"
            ),
            format!(
                ": the {what_en} to {applicant_id}'s application {application} ({resource}) was due by {due}; given on {t}, {}",
                days(n)
            ),
        ),
        None => (
            format!(
                "：對{applicant}的申請{application}（{resource}）應於{due}前{what_zh}，截至{as_of}仍未{what_zh}，逾期{n}個工作日"
            ),
            format!(
                ": the {what_en} to {applicant_id}'s application {application} ({resource}) was due by {due}; none by {as_of}, {}",
                days(n)
            ),
        ),
    }
}
