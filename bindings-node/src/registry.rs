//! `Registry`: departments, the catalog and grants (SPEC §8), loaded by the
//! core's one loader ([`govshare::registry::Registry::load`]) from a file, JSON
//! text or an object: the source is said by the constructor, never guessed.

use govshare::registry::{Registry as CoreRegistry, RegistrySource};
use napi::bindgen_prelude::{ClassInstance, Either, Env};
use napi::{JsValue, Unknown, ValueType};
use napi_derive::napi;

use crate::args::Arg;
use crate::error::{self, Result, guard};
use crate::wire;

/// A checked, indexed registry snapshot: departments, the catalog and grants
/// (SPEC §8). Made by `Registry.fromFile`, `Registry.fromJson` or
/// `Registry.fromObject`, and given to `new Engine(registry)`, `audit` or
/// `usageReport` instead of a registry object or JSON text.
#[napi]
#[derive(Debug, Clone)]
pub struct Registry {
    inner: CoreRegistry,
}

/// A registry argument: a `Registry` already loaded, or a source to load.
#[derive(Debug)]
pub enum Given {
    /// A `Registry` instance.
    Loaded(CoreRegistry),
    /// A SPEC §8 object or JSON text, read on the JS thread, loaded later.
    Source(RegistrySource),
}

impl Given {
    /// A `Registry`, a SPEC §8 object or its JSON text (read now, on the JS
    /// thread).
    pub fn of(registry: Either<ClassInstance<'_, Registry>, Unknown<'_>>) -> Result<Self> {
        match registry {
            Either::A(r) => Ok(Self::Loaded(r.inner.clone())),
            Either::B(v) => wire::json_or_object(v).map(Self::Source),
        }
    }

    /// The registry, loaded by the core (off the JS thread if called there).
    pub fn load(self) -> Result<CoreRegistry> {
        match self {
            Self::Loaded(r) => Ok(r),
            Self::Source(source) => load(source),
        }
    }
}

/// The core's one loader, with panics caught.
pub fn load(source: RegistrySource) -> Result<CoreRegistry> {
    guard(|| CoreRegistry::load(source).map_err(error::core))
}

#[napi]
impl Registry {
    /// Not a way to make a registry: always throws `input.invalid_argument`,
    /// naming the three that are (`Registry.fromJson`, `Registry.fromFile`,
    /// `Registry.fromObject`), since the source is said, never guessed.
    #[napi(constructor)]
    pub fn new() -> Result<Self> {
        Err(error::error(
            error::INVALID_ARGUMENT,
            "`new Registry()` makes no registry: use Registry.fromJson(text), \
             Registry.fromFile(path) or Registry.fromObject(object)",
        ))
    }

    /// A registry from SPEC §8 JSON text. Malformed text throws
    /// `registry.invalid_json` naming the field (`departments[0].level`); over a
    /// limit, `limits.*`; a broken reference, `registry.*`.
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_json(text: Arg<String>) -> Result<Self> {
        let text = text.get("text")?;
        load(RegistrySource::Json(text)).map(|inner| Self { inner })
    }

    /// A registry from the SPEC §8 JSON file at `path`. A file that cannot be
    /// read throws `registry.io`, malformed content `registry.invalid_json`;
    /// both name the file.
    #[napi(factory, ts_args_type = "path: string")]
    pub fn from_file(path: Arg<String>) -> Result<Self> {
        let path = path.get("path")?;
        load(RegistrySource::Path(path.into())).map(|inner| Self { inner })
    }

    /// A registry from a SPEC §8 object (`Date`s allowed where the wire format
    /// has a time). An object that does not fit throws `registry.invalid_json`
    /// naming the field; a value that is not an object, `input.invalid_argument`.
    #[napi(factory, ts_args_type = "registry: RegistryDoc")]
    pub fn from_object(registry: Unknown<'_>) -> Result<Self> {
        let ty = registry.get_type().map_err(|e| error::napi(&e))?;
        if ty != ValueType::Object || registry.is_array().map_err(|e| error::napi(&e))? {
            let got = if ty == ValueType::Object {
                "array".to_owned()
            } else {
                ty.to_string()
            };
            return Err(error::error(
                error::INVALID_ARGUMENT,
                format!("argument `registry`: expected a registry object, got {got}"),
            ));
        }
        let source = wire::json_or_object(registry)?;
        load(source).map(|inner| Self { inner })
    }

    /// The registry as a SPEC §8 object.
    #[napi(ts_return_type = "RegistryDoc")]
    pub fn to_object<'e>(&self, env: &'e Env) -> Result<Unknown<'e>> {
        wire::to_js(env, self.inner.doc())
    }
}
