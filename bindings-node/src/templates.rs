//! Repeated decisions handed out without `JSON.parse` (issue 14: per-call
//! overhead).
//!
//! A decision the engine's cache keeps is the same `Arc` for every request it
//! answers ([`govshare::policy::Engine::decide_shared`]). The first time an
//! `Engine` object hands it out, it builds the JavaScript object once, by
//! `JSON.parse` of its SPEC §8 text ([`wire::parse_json`]), and keeps it as a
//! *template*, never handed out. Each call returns a fresh copy of the
//! template: new objects and arrays, the same (immutable) strings. A caller
//! may change its copy; the next caller gets the decision as it was.
//! `JSON.parse` builds every string again, which costs about 5 µs for a deny
//! with four reasons; the copy costs a fraction of that.
//!
//! The copy is a generic deep copy of JSON data, made by a small function
//! compiled once per `Engine` object: it holds no rule, and its output is
//! what `JSON.parse` gives (plain objects with the same keys in the same
//! order, arrays, strings, booleans, `null`). It uses the `Object.hasOwn`
//! and `Array.isArray` of the moment it was compiled.
//!
//! A template is kept while the core's cache keeps its decision: the map holds
//! a `Weak` to it, so its address cannot be reused by another decision while
//! the entry lives, and a decision evicted from the cache is found stale and
//! replaced. At most [`MAX_TEMPLATES`] templates are kept per `Engine` object
//! (fewer if its decision cache is smaller); when full, the stale ones are
//! dropped, and if none is, all of them. They are released when the `Engine`
//! object is collected.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

use govshare::policy::Decision;
use napi::bindgen_prelude::{Env, FromNapiValue, Function, Object, ObjectRef};
use napi::{JsValue, Unknown};

use crate::error::{self, Result};
use crate::wire;

/// The most templates one `Engine` object keeps.
pub const MAX_TEMPLATES: usize = 4096;

/// The deep copy of JSON data (see the module documentation): an object is
/// spread (`{ ...v }`: its own properties, in order, with their final shape at
/// once), then its own object-valued properties are copied in turn; an
/// inherited enumerable property (`Object.prototype` polluted) is skipped. No
/// prototype method is called: a replaced `Array.prototype.push` cannot
/// reach it.
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

/// One kept object: the decision it was built from, and the object.
struct Template {
    decision: Weak<Decision>,
    object: ObjectRef<false>,
}

/// The templates of one `Engine` object, used on its JavaScript thread only.
pub struct Templates {
    capacity: usize,
    map: RefCell<HashMap<usize, Template>>,
    copy: RefCell<Option<ObjectRef<false>>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("capacity", &self.capacity)
            .field("len", &self.map.try_borrow().map_or(0, |m| m.len()))
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// Room for `capacity` templates (at most [`MAX_TEMPLATES`]; 0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.min(MAX_TEMPLATES),
            map: RefCell::new(HashMap::new()),
            copy: RefCell::new(None),
        }
    }

    /// `decision` as a plain JavaScript object, the same as
    /// [`wire::to_js_parsed`] gives: a copy of its template when one is kept.
    pub fn to_js<'e>(&self, env: &'e Env, decision: &Arc<Decision>) -> Result<Unknown<'e>> {
        // Shared with the engine's cache: worth a template.
        let shared = self.capacity > 0 && Arc::strong_count(decision) > 1;
        if !shared {
            return wire::to_js_parsed(env, &**decision);
        }
        let key = Arc::as_ptr(decision) as usize;
        let kept = self.template(env, key)?;
        let template = match kept {
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

    /// The live template kept under `key`, if any.
    fn template<'e>(&self, env: &'e Env, key: usize) -> Result<Option<Object<'e>>> {
        let Ok(map) = self.map.try_borrow() else {
            return Ok(None);
        };
        match map.get(&key) {
            Some(t) if t.decision.strong_count() > 0 => t
                .object
                .get_value(env)
                .map(Some)
                .map_err(|e| error::napi(&e)),
            _ => Ok(None),
        }
    }

    /// Keeps `object` as the template of `decision` (under `key`), making room
    /// first; a reentrant call (a `JSON.parse` replaced by code that decides)
    /// keeps nothing.
    fn keep(
        &self,
        env: &Env,
        key: usize,
        decision: &Arc<Decision>,
        object: &Object<'_>,
    ) -> Result<()> {
        let Ok(mut map) = self.map.try_borrow_mut() else {
            return Ok(());
        };
        if let Some(stale) = map.remove(&key) {
            stale.object.unref(env).map_err(|e| error::napi(&e))?;
        }
        if map.len() >= self.capacity {
            let stale: Vec<usize> = map
                .iter()
                .filter(|(_, t)| t.decision.strong_count() == 0)
                .map(|(k, _)| *k)
                .collect();
            let drop: Vec<usize> = if stale.is_empty() {
                map.keys().copied().collect()
            } else {
                stale
            };
            for k in drop {
                if let Some(t) = map.remove(&k) {
                    t.object.unref(env).map_err(|e| error::napi(&e))?;
                }
            }
        }
        let object = object.create_ref::<false>().map_err(|e| error::napi(&e))?;
        map.insert(
            key,
            Template {
                decision: Arc::downgrade(decision),
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
