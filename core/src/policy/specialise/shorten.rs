//! A residual policy made short (issue 14).
//!
//! Cedar's partial evaluation leaves each decided scope constraint and each
//! decided conjunct in place: a residual reads `true && (true && (true && X))`,
//! and a condition that can no longer hold reads `X && false`. Cedar evaluates
//! every node of it on every request, about a quarter of the time of a
//! specialised decision. This module rewrites the residual's JSON form (Cedar's
//! EST) by rules that keep its value *and its errors* on every context:
//!
//! - where a boolean is required (a condition, an operand of `&&`, `||` or `!`,
//!   the test of an `if`), `true && X` and `X && true` are `X`, and `false || X`
//!   and `X || false` are `X`: `X` is evaluated as before, and a non-boolean `X`
//!   is a type error either way;
//! - anywhere, `false && X` is `false` and `true || X` is `true` (Cedar does not
//!   evaluate `X`), `!true` is `false`, `!false` is `true`, and an `if` on a
//!   literal is the branch it takes;
//! - where a boolean is required, `X && false` is `false` and `X || true` is
//!   `true` only when `X` cannot fail: built from literals, context attributes
//!   the engine always provides, `==`, `!=`, `!`, `&&` and `||`.
//!
//! A policy left with the single condition `when { false }` can never apply and
//! is dropped. Every other rewrite is local; nothing else of the policy (its
//! effect, scope) changes, but its annotations are left out: the engine reads
//! them from the pack, by the policy's id. The module also reports which context
//! attributes the shortened policy reads, so that the engine builds only those
//! (a policy that reads the context otherwise than by attribute reads it all).

use std::collections::BTreeSet;

use serde_json::{Map, Value as J};

/// The context attributes a pair's policies read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContextReads {
    /// All of them (a policy uses the context as a whole, or was kept unread).
    All,
    /// Only these.
    Keys(BTreeSet<String>),
}

impl ContextReads {
    /// None yet.
    pub(crate) fn none() -> Self {
        ContextReads::Keys(BTreeSet::new())
    }

    /// Whether the attribute `key` is read.
    pub(crate) fn wants(&self, key: &str) -> bool {
        match self {
            ContextReads::All => true,
            ContextReads::Keys(keys) => keys.contains(key),
        }
    }

    /// Adds what `other` reads.
    pub(crate) fn add(&mut self, other: ContextReads) {
        match (&mut *self, other) {
            (ContextReads::All, _) => {}
            (_, ContextReads::All) => *self = ContextReads::All,
            (ContextReads::Keys(mine), ContextReads::Keys(theirs)) => mine.extend(theirs),
        }
    }
}

/// Why a residual was not shortened (the caller keeps it as Cedar wrote it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unshortened;

/// A residual policy (its EST JSON, as `Policy::to_json` writes it) with the
/// unknown context put back as `context` and shortened: `Ok(None)` when it can
/// never apply, else the policy and what it reads of the context. `always` names
/// the context attributes every request carries. An `unknown` other than the
/// context, or a form this module does not read, is `Err`.
pub(crate) fn shorten(
    mut policy: J,
    always: &[&str],
) -> Result<Option<(J, ContextReads)>, Unshortened> {
    let conditions = policy
        .get_mut("conditions")
        .and_then(J::as_array_mut)
        .ok_or(Unshortened)?;
    let mut reads = ContextReads::none();
    for c in conditions.iter_mut() {
        let body = c.get_mut("body").ok_or(Unshortened)?;
        let taken = std::mem::take(body);
        let restored = restore_context(taken)?;
        let short = simplify(restored, true, always);
        reads.add(context_reads(&short));
        *body = short;
    }
    let never = match conditions.as_slice() {
        [only] => match (only.get("kind").and_then(J::as_str), only.get("body")) {
            (Some("when"), Some(b)) => literal_bool(b) == Some(false),
            (Some("unless"), Some(b)) => literal_bool(b) == Some(true),
            _ => false,
        },
        _ => false,
    };
    if never {
        return Ok(None);
    }
    // The engine reads a decision through the pack's annotations, by policy
    // id: a residual need not carry its own copy (the reasons' texts).
    if let Some(a) = policy.get_mut("annotations") {
        *a = J::Object(Map::new());
    }
    Ok(Some((policy, reads)))
}

/// The single key and payload of an expression object.
fn op(e: &J) -> Option<(&str, &J)> {
    let m = e.as_object()?;
    if m.len() != 1 {
        return None;
    }
    m.iter().next().map(|(k, v)| (k.as_str(), v))
}

fn literal_bool(e: &J) -> Option<bool> {
    match op(e) {
        Some(("Value", J::Bool(b))) => Some(*b),
        _ => None,
    }
}

fn lit(b: bool) -> J {
    let mut m = Map::new();
    m.insert("Value".to_owned(), J::Bool(b));
    J::Object(m)
}

fn context_var() -> J {
    let mut m = Map::new();
    m.insert("Var".to_owned(), J::String("context".to_owned()));
    J::Object(m)
}

fn is_context(e: &J) -> bool {
    matches!(op(e), Some(("Var", J::String(v))) if v == "context")
}

/// The keys of an operator's payload that hold expressions.
const OPERANDS: [&str; 7] = ["left", "right", "arg", "if", "then", "else", "in"];

/// The prefix of the unknowns that stand for context attributes:
/// `unknown("context.purpose")` is `context.purpose`.
pub(crate) const UNKNOWN_ATTRIBUTE_PREFIX: &str = "context.";

fn context_attribute(key: &str) -> J {
    let mut p = Map::new();
    p.insert("left".to_owned(), context_var());
    p.insert("attr".to_owned(), J::String(key.to_owned()));
    let mut m = Map::new();
    m.insert(".".to_owned(), J::Object(p));
    J::Object(m)
}

/// The keys of an operator's payload that hold no expression.
const NOT_EXPRESSIONS: [&str; 3] = ["attr", "pattern", "entity_type"];

/// The sub-expressions of the expression `{key: payload}`: a record's values,
/// the items of an array (a set, an extension function's arguments), an
/// operator's operands; none for a literal, a variable or a slot. The one
/// place that says where an expression's parts are, for every walk below.
fn operands_mut<'a>(key: &str, payload: &'a mut J) -> Vec<&'a mut J> {
    match (key, payload) {
        ("Value" | "Var" | "Slot", _) => Vec::new(),
        ("Record", J::Object(fields)) => fields.values_mut().collect(),
        (_, J::Array(items)) => items.iter_mut().collect(),
        (_, J::Object(parts)) => parts
            .iter_mut()
            .filter(|(k, _)| OPERANDS.contains(&k.as_str()))
            .map(|(_, v)| v)
            .collect(),
        _ => Vec::new(),
    }
}

/// [`operands_mut`], read only.
fn operands<'a>(key: &str, payload: &'a J) -> Vec<&'a J> {
    match (key, payload) {
        ("Value" | "Var" | "Slot", _) => Vec::new(),
        ("Record", J::Object(fields)) => fields.values().collect(),
        (_, J::Array(items)) => items.iter().collect(),
        (_, J::Object(parts)) => parts
            .iter()
            .filter(|(k, _)| OPERANDS.contains(&k.as_str()))
            .map(|(_, v)| v)
            .collect(),
        _ => Vec::new(),
    }
}

/// `unknown("context")` back to `context` and `unknown("context.key")` to
/// `context.key`, everywhere in the expression; any other unknown is `Err`.
fn restore_context(e: J) -> Result<J, Unshortened> {
    let J::Object(mut m) = e else {
        return Ok(e);
    };
    if m.len() != 1 {
        return Err(Unshortened);
    }
    let Some((key, payload)) = m.iter_mut().next() else {
        return Err(Unshortened);
    };
    match key.as_str() {
        "unknown" => {
            let name = match payload {
                J::Array(args) => match args.as_slice() {
                    [a] => match op(a) {
                        Some(("Value", J::String(name))) => Some(name.as_str()),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            return match name {
                Some("context") => Ok(context_var()),
                Some(name) => match name.strip_prefix(UNKNOWN_ATTRIBUTE_PREFIX) {
                    Some(key) if !key.is_empty() => Ok(context_attribute(key)),
                    _ => Err(Unshortened),
                },
                None => Err(Unshortened),
            };
        }
        "Value" | "Var" | "Slot" => return Ok(J::Object(m)),
        "Record" if !payload.is_object() => return Err(Unshortened),
        "Record" => {}
        _ => match payload {
            J::Array(_) => {}
            // A part this module does not know might hold an expression:
            // leave the whole residual as Cedar wrote it.
            J::Object(parts)
                if parts.keys().any(|k| {
                    !OPERANDS.contains(&k.as_str()) && !NOT_EXPRESSIONS.contains(&k.as_str())
                }) =>
            {
                return Err(Unshortened);
            }
            J::Object(_) => {}
            _ => return Err(Unshortened),
        },
    }
    for v in operands_mut(key, payload) {
        *v = restore_context(std::mem::take(v))?;
    }
    Ok(J::Object(m))
}

/// Whether `e` evaluates without error to a boolean on every context that
/// carries the `always` attributes.
fn safe_bool(e: &J, always: &[&str]) -> bool {
    match op(e) {
        Some(("Value", J::Bool(_))) => true,
        Some(("==" | "!=", J::Object(p))) => match (p.get("left"), p.get("right")) {
            (Some(l), Some(r)) => safe_value(l, always) && safe_value(r, always),
            _ => false,
        },
        Some(("!", J::Object(p))) => p.get("arg").is_some_and(|a| safe_bool(a, always)),
        Some(("&&" | "||", J::Object(p))) => match (p.get("left"), p.get("right")) {
            (Some(l), Some(r)) => safe_bool(l, always) && safe_bool(r, always),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `e` evaluates without error on every such context.
fn safe_value(e: &J, always: &[&str]) -> bool {
    match op(e) {
        Some(("Value", _)) => true,
        Some((".", J::Object(p))) => {
            p.get("left").is_some_and(is_context)
                && p.get("attr")
                    .and_then(J::as_str)
                    .is_some_and(|a| always.contains(&a))
        }
        _ => safe_bool(e, always),
    }
}

fn binary(name: &str, left: J, right: J) -> J {
    let mut p = Map::new();
    p.insert("left".to_owned(), left);
    p.insert("right".to_owned(), right);
    let mut m = Map::new();
    m.insert(name.to_owned(), J::Object(p));
    J::Object(m)
}

/// Shortens `e`; `boolean`: it stands where a boolean is required.
fn simplify(e: J, boolean: bool, always: &[&str]) -> J {
    let J::Object(mut m) = e else {
        return e;
    };
    if m.len() != 1 {
        return J::Object(m);
    }
    let Some(key) = m.keys().next().cloned() else {
        return J::Object(m);
    };
    match key.as_str() {
        "&&" | "||" => {
            let Some(J::Object(mut p)) = m.remove(&key) else {
                return J::Object(m);
            };
            let (Some(l), Some(r)) = (p.remove("left"), p.remove("right")) else {
                m.insert(key, J::Object(p));
                return J::Object(m);
            };
            let l = simplify(l, true, always);
            let r = simplify(r, true, always);
            // `&&` is absorbed by false, has true as identity; `||` the reverse.
            let absorbing = key == "||";
            match (literal_bool(&l), literal_bool(&r)) {
                (Some(b), _) if b == absorbing => lit(absorbing),
                (Some(_), _) if boolean => r,
                (_, Some(b)) if boolean && b != absorbing => l,
                (_, Some(b)) if boolean && b == absorbing && safe_bool(&l, always) => {
                    lit(absorbing)
                }
                _ => binary(&key, l, r),
            }
        }
        "!" => {
            let Some(J::Object(mut p)) = m.remove(&key) else {
                return J::Object(m);
            };
            if let Some(a) = p.remove("arg") {
                let a = simplify(a, true, always);
                if let Some(b) = literal_bool(&a) {
                    return lit(!b);
                }
                p.insert("arg".to_owned(), a);
            }
            m.insert(key, J::Object(p));
            J::Object(m)
        }
        "if-then-else" => {
            let Some(J::Object(mut p)) = m.remove(&key) else {
                return J::Object(m);
            };
            let (Some(c), Some(t), Some(f)) = (p.remove("if"), p.remove("then"), p.remove("else"))
            else {
                m.insert(key, J::Object(p));
                return J::Object(m);
            };
            let c = simplify(c, true, always);
            match literal_bool(&c) {
                Some(true) => simplify(t, boolean, always),
                Some(false) => simplify(f, boolean, always),
                None => {
                    p.insert("if".to_owned(), c);
                    p.insert("then".to_owned(), simplify(t, boolean, always));
                    p.insert("else".to_owned(), simplify(f, boolean, always));
                    m.insert(key, J::Object(p));
                    J::Object(m)
                }
            }
        }
        _ => {
            if let Some(payload) = m.get_mut(&key) {
                for v in operands_mut(&key, payload) {
                    *v = simplify(std::mem::take(v), false, always);
                }
            }
            J::Object(m)
        }
    }
}

/// What `e` reads of the context: the attributes it reads or tests with `has`;
/// all of it when it uses `context` otherwise.
fn context_reads(e: &J) -> ContextReads {
    let mut reads = ContextReads::none();
    collect_reads(e, &mut reads);
    reads
}

fn collect_reads(e: &J, reads: &mut ContextReads) {
    let Some((key, payload)) = op(e) else {
        if e.is_object() {
            *reads = ContextReads::All;
        }
        return;
    };
    match (key, payload) {
        ("Var", _) if is_context(e) => *reads = ContextReads::All,
        ("Var", _) => {}
        ("." | "has", J::Object(p)) if p.get("left").is_some_and(is_context) => {
            match (p.get("attr").and_then(J::as_str), &mut *reads) {
                (Some(a), ContextReads::Keys(keys)) => {
                    keys.insert(a.to_owned());
                }
                (Some(_), ContextReads::All) => {}
                (None, _) => *reads = ContextReads::All,
            }
        }
        _ => {
            for v in operands(key, payload) {
                collect_reads(v, reads);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cedar_policy::{Policy, PolicyId};

    const ALWAYS: [&str; 3] = ["purpose", "network", "certificate_serial"];

    /// The condition of `when { body }` shortened, as Cedar prints it; `None`
    /// when the policy is dropped.
    fn short(body: &str) -> Option<(String, ContextReads)> {
        let text = format!("forbid(principal, action, resource) when {{ {body} }};");
        let p = Policy::parse(Some(PolicyId::new("p")), &text).unwrap();
        let (json, reads) = shorten(p.to_json().unwrap(), &ALWAYS).unwrap()?;
        let back = Policy::from_json(Some(PolicyId::new("p")), json).unwrap();
        let printed = back.to_string();
        let start = printed.find("when {").unwrap() + "when {".len();
        let end = printed.rfind('}').unwrap();
        Some((printed[start..end].trim().to_owned(), reads))
    }

    fn body(text: &str) -> String {
        short(text).unwrap().0
    }

    fn keys(list: &[&str]) -> ContextReads {
        ContextReads::Keys(list.iter().map(|k| (*k).to_owned()).collect())
    }

    #[test]
    fn decided_conjuncts_are_taken_out_where_a_boolean_is_required() {
        for (before, after) in [
            (
                r#"true && (true && (true && context.purpose == "a"))"#,
                r#"context.purpose == "a""#,
            ),
            (
                r#"context.purpose == "a" && true"#,
                r#"context.purpose == "a""#,
            ),
            (
                r#"false || context.network == "x""#,
                r#"context.network == "x""#,
            ),
            (
                r#"!(true && context.purpose == "a")"#,
                r#"!(context.purpose == "a")"#,
            ),
            (
                r#"if true then context.purpose == "a" else context.fields"#,
                r#"context.purpose == "a""#,
            ),
        ] {
            assert_eq!(body(before), after, "`{before}`");
        }
    }

    #[test]
    fn a_conjunct_that_could_be_a_non_boolean_keeps_its_type_check() {
        // `[true && context.fields]` is an error for a set of fields; the set
        // alone would not be. Only boolean positions drop `true &&`.
        assert_eq!(
            body(r#"[true && context.fields].contains(1)"#),
            r#"[true && context.fields].contains(1)"#
        );
        // A decided `false &&` never evaluates its right side: false anywhere.
        assert_eq!(
            body("[false && context.fields].contains(false)"),
            "[false].contains(false)"
        );
    }

    #[test]
    fn a_condition_that_can_no_longer_hold_is_dropped_only_when_nothing_can_fail() {
        assert!(short(r#"!(context.certificate_serial == "") && false"#).is_none());
        assert!(short(r#"true && (true && false)"#).is_none());
        assert!(short(r#"!(context.purpose == "a" || context.network != "b") && false"#).is_none());
        // `context.grant` may be absent and `context.at` is not always provided
        // here: reading them can fail, so the policy stays.
        assert_eq!(
            body("context.grant.coordinated && false"),
            "context.grant.coordinated && false"
        );
        assert_eq!(
            body(r#"context.at == 1 && false"#),
            "(context.at == 1) && false"
        );
        // `!` of a non-boolean fails.
        assert_eq!(
            body("!context.purpose && false"),
            "(!context.purpose) && false"
        );
        // `X || true` is true when X cannot fail, and the policy then always applies.
        assert_eq!(body(r#"context.purpose == "a" || true"#), "true");
        assert_eq!(
            body(r#"context.grant.coordinated || true"#),
            "context.grant.coordinated || true"
        );
    }

    #[test]
    fn what_a_policy_reads_of_the_context() {
        let (_, reads) =
            short(r#"context has grant && context.grant.purposes.contains(context.purpose)"#)
                .unwrap();
        assert_eq!(reads, keys(&["grant", "purpose"]));
        let (_, reads) =
            short(r#"!(context.certificate_serial == "") && false || context.network == "x""#)
                .unwrap();
        assert_eq!(
            reads,
            keys(&["network"]),
            "a dropped conjunct reads nothing"
        );
        let (_, reads) = short(r#"context == {"a": 1}"#).unwrap();
        assert_eq!(reads, ContextReads::All, "the context as a whole");
        let (_, reads) = short("true").unwrap();
        assert_eq!(reads, keys(&[]));
        assert!(
            keys(&["a"]).wants("a") && !keys(&["a"]).wants("b") && ContextReads::All.wants("b")
        );
        let mut r = keys(&["a"]);
        r.add(keys(&["b"]));
        assert_eq!(r, keys(&["a", "b"]));
        r.add(ContextReads::All);
        assert_eq!(r, ContextReads::All);
    }

    fn residual(body: serde_json::Value) -> J {
        serde_json::json!({
            "effect": "forbid",
            "principal": {"op": "All"},
            "action": {"op": "All"},
            "resource": {"op": "All"},
            "conditions": [{"kind": "when", "body": body}],
            "annotations": {"id": "p", "unknown": "an annotation is not an expression"},
        })
    }

    #[test]
    fn the_unknown_context_is_put_back_and_any_other_unknown_is_refused() {
        let unknown = |name: &str| serde_json::json!({"unknown": [{"Value": name}]});
        let policy = residual(serde_json::json!({"&&": {
            "left": {"Value": true},
            "right": {"==": {"left": {".": {"left": unknown("context"), "attr": "purpose"}}, "right": {"Value": "a"}}},
        }}));
        let (json, reads) = shorten(policy, &ALWAYS).unwrap().unwrap();
        assert_eq!(
            json["conditions"][0]["body"],
            serde_json::json!({"==": {"left": {".": {"left": {"Var": "context"}, "attr": "purpose"}}, "right": {"Value": "a"}}})
        );
        assert_eq!(
            json["annotations"],
            serde_json::json!({}),
            "read from the pack, by id"
        );
        assert_eq!(reads, keys(&["purpose"]));
        let attribute = residual(serde_json::json!({"&&": {
            "left": {"has": {"left": {"Var": "context"}, "attr": "grant"}},
            "right": {"==": {"left": unknown("context.purpose"), "right": {"Value": "a"}}},
        }}));
        let (json, reads) = shorten(attribute, &ALWAYS).unwrap().unwrap();
        assert_eq!(
            json["conditions"][0]["body"]["&&"]["right"]["=="]["left"],
            serde_json::json!({".": {"left": {"Var": "context"}, "attr": "purpose"}})
        );
        assert_eq!(reads, keys(&["grant", "purpose"]));
        for name in ["principal", "context.", "contextual"] {
            let other =
                residual(serde_json::json!({"==": {"left": unknown(name), "right": {"Value": 1}}}));
            assert_eq!(
                shorten(other, &ALWAYS),
                Err(Unshortened),
                "unknown(\"{name}\")"
            );
        }
        let other = residual(serde_json::json!({".": {"left": unknown("principal"), "attr": "x"}}));
        assert_eq!(shorten(other, &ALWAYS), Err(Unshortened));
        let strange = residual(
            serde_json::json!({"newop": {"left": {"Var": "context"}, "body": {"Var": "context"}}}),
        );
        assert_eq!(
            shorten(strange, &ALWAYS),
            Err(Unshortened),
            "a part it does not know"
        );
        assert_eq!(
            shorten(serde_json::json!({"effect": "forbid"}), &ALWAYS),
            Err(Unshortened)
        );
    }

    #[test]
    fn an_unless_that_always_holds_is_dropped() {
        let mut p = residual(serde_json::json!({"Value": true}));
        p["conditions"][0]["kind"] = "unless".into();
        assert_eq!(shorten(p, &ALWAYS), Ok(None));
    }

    /// Every body above, shortened or not, gives Cedar's same answer and the
    /// same errors on contexts that carry the `always` attributes, whatever
    /// their values and whatever else they carry.
    #[test]
    fn shortening_keeps_cedars_answers_and_errors() {
        use cedar_policy::{Authorizer, Context, Entities, EntityUid, PolicySet, Request};
        let bodies = [
            r#"true && (true && (true && context.purpose == "a"))"#,
            r#"context.purpose == "a" && true"#,
            r#"false || context.network == "x""#,
            r#"!(true && context.purpose == "a")"#,
            r#"if true then context.purpose == "a" else context.fields"#,
            r#"[true && context.fields].contains(1)"#,
            r#"!(context.certificate_serial == "") && false"#,
            r#"!(context.purpose == "a" || context.network != "b") && false"#,
            "context.grant.coordinated && false",
            "context.at == 1 && false",
            "!context.purpose && false",
            r#"context.purpose == "a" || true"#,
            "context.grant.coordinated || true",
            "true && context.purpose",
            r#"context has grant && context.grant == "g""#,
        ];
        let contexts = [
            r#"{"purpose": "a", "network": "x", "certificate_serial": ""}"#,
            r#"{"purpose": "b", "network": "b", "certificate_serial": "s", "at": 1}"#,
            r#"{"purpose": true, "network": 3, "certificate_serial": false, "grant": "g", "fields": true}"#,
            r#"{"purpose": "a", "network": "b", "certificate_serial": "", "grant": {"coordinated": true}, "fields": ["x"]}"#,
        ];
        let uid = |t: &str| -> EntityUid { format!(r#"{t}::"x""#).parse().unwrap() };
        let answer = |set: &PolicySet, ctx: &str| {
            let context = Context::from_json_str(ctx, None).unwrap();
            let q = Request::new(uid("P"), uid("A"), uid("R"), context, None).unwrap();
            let r = Authorizer::new().is_authorized(&q, set, &Entities::empty());
            let reasons: Vec<String> = r.diagnostics().reason().map(ToString::to_string).collect();
            (r.decision(), reasons, r.diagnostics().errors().count())
        };
        for b in bodies {
            let text = format!("forbid(principal, action, resource) when {{ {b} }};");
            let original = Policy::parse(Some(PolicyId::new("p")), &text).unwrap();
            let permit = Policy::parse(
                Some(PolicyId::new("all")),
                "permit(principal, action, resource);",
            )
            .unwrap();
            let mut before = PolicySet::new();
            before.add(original.clone()).unwrap();
            before.add(permit.clone()).unwrap();
            let mut after = PolicySet::new();
            after.add(permit).unwrap();
            if let Some((json, _)) = shorten(original.to_json().unwrap(), &ALWAYS).unwrap() {
                after
                    .add(Policy::from_json(Some(PolicyId::new("p")), json).unwrap())
                    .unwrap();
            }
            for c in contexts {
                assert_eq!(answer(&before, c), answer(&after, c), "`{b}` on {c}");
            }
        }
    }
}
