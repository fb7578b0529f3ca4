//! Decisions handed out without `JSON.parse` each time (issue 14: per-call
//! overhead).
//!
//! Many requests get the same decision: a repeated request the engine's cache
//! answers, and distinct requests whose answers read alike (the same checks
//! failing for the same reasons). The first time an `Engine` object hands out
//! a decision, it builds the JavaScript object once, by `JSON.parse` of its
//! SPEC §8 text ([`wire::to_js_parsed`]), and keeps it as a *template*, never
//! handed out, under the decision's content. Each call then returns a fresh
//! copy of the template of an equal decision: new objects and arrays, the same
//! (immutable) strings. A caller may change its copy; the next caller gets the
//! decision as it was. `JSON.parse` builds every string again, which costs
//! about 5 µs for a deny with four reasons; the copy costs well under 1 µs.
//!
//! The copy is a generic deep copy of JSON data, made by a small function
//! compiled once per `Engine` object: it holds no rule, and its output is what
//! `JSON.parse` gives (plain objects with the same keys in the same order,
//! arrays, strings, booleans, `null`).
//!
//! A template is found by a hash of the decision and used only for a decision
//! equal to the one it was built from (kept with it), so a collision costs a
//! `JSON.parse`, never a wrong answer. At most [`MAX_TEMPLATES`] are kept per
//! `Engine` object; when full, all are dropped and the next calls build them
//! again. They are released when the `Engine` object is collected.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use govshare::policy::Decision;
use napi::bindgen_prelude::{Env, FromNapiValue, Function, Object, ObjectRef};
use napi::{JsValue, Unknown};

use crate::error::{self, Result};
use crate::wire;

/// The most templates one `Engine` object keeps (each is a decision and its
/// JavaScript object, about 1–3 KB together).
pub const MAX_TEMPLATES: usize = 1024;

/// The deep copy of JSON data (see the module documentation): an object is
/// spread (`{ ...v }`: its own properties, in order, with their final shape at
/// once), then its own object-valued properties are copied in turn; an
/// inherited enumerable property (`Object.prototype` polluted) is skipped. No
/// prototype method is called, so a replaced `Array.prototype.push` cannot
/// reach it; `Object.hasOwn` and `Array.isArray` are those of the moment it
/// was compiled.
const COPY: &str = r"(() => {
  const isArray = Array.isArray
  const hasOwn = Object.hasOwn
  const copy = (v) => {
    if (typeof v !== 'object' || v === null) return v
    if (isArray(v)) {
      const out = []
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i])
      return out
    }
    const out = { ...v }
    for (const k in out) {
      const x = out[k]
      if (typeof x === 'object' && x !== null && hasOwn(out, k)) out[k] = copy(x)
    }
    return out
  }
  return copy
})()";

/// One kept object and the decision it was built from.
struct Template {
    decision: Arc<Decision>,
    object: ObjectRef<false>,
}

/// The templates of one `Engine` object, used on its JavaScript thread only.
#[derive(Default)]
pub struct Templates {
    map: RefCell<HashMap<u64, Template>>,
    copy: RefCell<Option<ObjectRef<false>>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("len", &self.map.try_borrow().map_or(0, |m| m.len()))
            .finish_non_exhaustive()
    }
}

/// The key of `decision`'s template: a hash of its content (a fast one: the
/// template is used only for an equal decision).
fn key(decision: &Decision) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    decision.hash(&mut h);
    h.finish()
}

impl Templates {
    /// `decision` as a plain JavaScript object, the same as
    /// [`wire::to_js_parsed`] gives: a copy of its template.
    pub fn to_js<'e>(&self, env: &'e Env, decision: &Arc<Decision>) -> Result<Unknown<'e>> {
        let key = key(decision);
        let template = match self.template(env, key, decision)? {
            Some(object) => object,
            None => {
                // JavaScript runs here (`JSON.parse`): no borrow is held.
                let object = wire::to_js_parsed(env, &**decision)?;
                let object = Object::from_unknown(object).map_err(|e| error::napi(&e))?;
                self.keep(env, key, decision, &object)?;
                object
            }
        };
        self.copy(env, template)
    }

    /// The template kept under `key`, if it was built from a decision equal
    /// to `decision`.
    fn template<'e>(
        &self,
        env: &'e Env,
        key: u64,
        decision: &Arc<Decision>,
    ) -> Result<Option<Object<'e>>> {
        let Ok(map) = self.map.try_borrow() else {
            return Ok(None);
        };
        match map.get(&key) {
            Some(t) if Arc::ptr_eq(&t.decision, decision) || *t.decision == **decision => t
                .object
                .get_value(env)
                .map(Some)
                .map_err(|e| error::napi(&e)),
            _ => Ok(None),
        }
    }

    /// Keeps `object` as the template of `decision` under `key` (replacing
    /// what was there; dropping every template when full). A reentrant call
    /// (a `JSON.parse` replaced by code that decides) keeps nothing.
    fn keep(
        &self,
        env: &Env,
        key: u64,
        decision: &Arc<Decision>,
        object: &Object<'_>,
    ) -> Result<()> {
        let Ok(mut map) = self.map.try_borrow_mut() else {
            return Ok(());
        };
        let unref = |t: Template| t.object.unref(env).map_err(|e| error::napi(&e));
        if let Some(old) = map.remove(&key) {
            unref(old)?;
        }
        if map.len() >= MAX_TEMPLATES {
            for (_, t) in map.drain() {
                unref(t)?;
            }
        }
        let object = object.create_ref::<false>().map_err(|e| error::napi(&e))?;
        map.insert(
            key,
            Template {
                decision: Arc::clone(decision),
                object,
            },
        );
        Ok(())
    }

    /// A fresh copy of `template`.
    fn copy<'e>(&self, env: &'e Env, template: Object<'e>) -> Result<Unknown<'e>> {
        let failed = |e: napi::Error| error::napi(&e);
        let kept = match self.copy.try_borrow() {
            Ok(slot) => slot
                .as_ref()
                .map(|c| c.get_value(env))
                .transpose()
                .map_err(failed)?,
            Err(_) => None,
        };
        let compiled = match kept {
            Some(f) => f,
            None => {
                let f: Object<'_> = env.run_script(COPY).map_err(failed)?;
                if let Ok(mut slot) = self.copy.try_borrow_mut()
                    && slot.is_none()
                {
                    *slot = Some(f.create_ref::<false>().map_err(failed)?);
                }
                f
            }
        };
        // `compiled` is the function `COPY` evaluates to.
        let copy = Function::<'_, Object<'_>, Unknown<'e>>::from_unknown(compiled.to_unknown())
            .map_err(failed)?;
        copy.call(template).map_err(failed)
    }

    /// Releases every reference (the `Engine` object is being collected).
    pub fn release(&self, env: &Env) {
        if let Ok(mut map) = self.map.try_borrow_mut() {
            for (_, t) in map.drain() {
                // Nothing to report to: the object is being collected.
                let _ = t.object.unref(env);
            }
        }
        if let Ok(mut slot) = self.copy.try_borrow_mut()
            && let Some(f) = slot.take()
        {
            let _ = f.unref(env);
        }
    }
}
