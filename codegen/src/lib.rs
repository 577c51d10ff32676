//! Build-time generator of a Rust client from an OpenAPI 3.1 document.
//!
//! progenitor 0.15 (with typify as its type engine) only reads OpenAPI 3.0
//! and panics or silently loses data on several shapes real specs use. This
//! crate puts a pipeline around it, one stage per module, each handing a
//! named value to the next:
//!
//! | stage | module | output |
//! | --- | --- | --- |
//! | bytes -> value with line numbers | `spec` ([`spec::load`]) | [`spec::Document`] |
//! | reject what cannot be generated, with pointer and line | `validate` | `ValidDocument` |
//! | canonical 3.1: 3.0 idioms upgraded, one key order | `normalize/` | `serde_json::Value` |
//! | 3.1 -> what progenitor accepts, + what it cannot carry | `lower/` | `Lowered` |
//! | the engine's items and ours, by tag | `emit/` | `Emitted` |
//! | prettyplease, one file per tag | `format` | [`Generated`] |
//!
//! Inside `lower/` the rules are grouped by kind (3.1 -> 3.0 translation,
//! engine limits, client policy, `oneOf` merging, type naming, metadata,
//! multipart), and [`generate`] runs them in the one order `lower` lists;
//! inside `emit/`, the engine's settings and panic containment are one
//! file, and each structural rewrite of its output another.
//!
//! The public surface:
//!
//! - [`generate`] (spec text -> [`Generated`] files) with [`Settings`];
//! - [`normalize_spec`], the canonical text `cargo xtask regen` writes;
//! - [`type_names`], the Rust type of each inline schema and how it was
//!   named (what `cargo xtask import` records to keep names stable);
//! - [`out_dir::generate_into`], the build-script entry point (writes only
//!   changed files, skips generation when nothing it depends on changed);
//! - [`Error`] (every variant about the spec carries a [`Location`]) and
//!   [`Note`];
//! - [`spec`]: the document model `cargo xtask` shares (reading, one walker,
//!   one shape key, the typed values of a spec);
//! - [`run_on_large_stack`]: the thread every entry point runs on, for
//!   tools that walk documents as deep as the loader accepts.

// The settings files shared with the tests and xtask name the crate by its
// package name, which in-crate tests reach through this alias.
#[cfg(test)]
extern crate self as zoom_api_codegen;

pub(crate) mod emit;
mod error;
pub(crate) mod format;
pub(crate) mod lower;
mod normalize;
pub mod out_dir;
pub mod spec;
mod stack;
mod validate;

pub use crate::error::{Error, Location, Result};
pub use crate::format::{FeatureUse, Generated};
pub use crate::lower::naming::{NamedBy, TypeSite};
pub use crate::stack::run_on_large_stack;

/// A remark tied to a place in the spec: something lowering or emission
/// changed, or could not do, that a reader of the client should know
/// (`cargo xtask regen` prints them; a build script can pass them on as
/// warnings, see [`out_dir`]). `Display` renders
/// `at /paths/~1a/post (line 12): request body sent as application/json; ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where in the spec.
    pub location: Location,
    pub message: String,
}

impl Note {
    /// A note at `pointer`; its line is filled in by [`generate`].
    pub(crate) fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            location: Location::pointer(pointer),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Options of [`generate`], set with `with_*` methods.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) spec_name: String,
    pub(crate) error_schema: Option<String>,
    pub(crate) root_file: String,
    pub(crate) derives: Vec<String>,
    pub(crate) runtime_crate: Option<String>,
    pub(crate) webhooks: Option<WebhookSettings>,
    pub(crate) mock_feature: Option<String>,
    /// Per-area features: `None` off; otherwise tag -> feature overrides
    /// of [`area_feature_name`].
    pub(crate) area_features: Option<std::collections::BTreeMap<String, String>>,
}

/// The webhooks document and the cargo feature its module sits behind.
#[derive(Debug, Clone)]
pub(crate) struct WebhookSettings {
    pub spec: String,
    pub feature: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            spec_name: "the OpenAPI spec".into(),
            error_schema: None,
            root_file: "mod.rs".into(),
            derives: vec!["PartialEq".into()],
            runtime_crate: None,
            webhooks: None,
            mock_feature: None,
            area_features: None,
        }
    }
}

impl Settings {
    /// Defaults: root file `mod.rs`, types also derive `PartialEq`, no
    /// shared error schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// Name of the spec in the `@generated` header of every file, e.g.
    /// `spec/zoom-accounts.yaml`.
    pub fn with_spec_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.spec_name = name.into();
        self
    }

    /// Component schema that error statuses without a body schema decode
    /// into (e.g. `ZoomError`); ignored when the spec has no such component.
    pub fn with_error_schema(&mut self, name: impl Into<String>) -> &mut Self {
        self.error_schema = Some(name.into());
        self
    }

    /// Name of the root file that includes the others (default `mod.rs`).
    pub fn with_root_file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.root_file = name.into();
        self
    }

    /// A runtime crate that executes the client's requests (e.g.
    /// `zoom_api_runtime`). The generated `Client` then holds that crate's
    /// `Runtime` as its inner value, requires a hand-written
    /// `progenitor_client::ClientHooks` impl (which is where requests reach
    /// the runtime), and the `metadata` module takes `OperationMeta`,
    /// `ErrorCodeMeta` and `RateLimitLabel` from that crate (which must
    /// re-export them from `zoom-api-meta`; without a runtime crate they
    /// come from `zoom_api_meta` itself). `Client::new(baseurl, runtime)`
    /// builds requests with the runtime's HTTP client
    /// (`Runtime::http_client(&self) -> &reqwest::Client`), so it cannot
    /// fail.
    pub fn with_runtime_crate(&mut self, crate_name: impl Into<String>) -> &mut Self {
        self.runtime_crate = Some(crate_name.into());
        self
    }

    /// A webhooks document (OpenAPI 3.1 `webhooks`: event name -> the
    /// `POST` that delivers it, whose JSON request body is the event's
    /// payload) generated beside the API: each payload a type in `types`
    /// (the same type as an API type of the same structure), and a
    /// `webhooks` module with an `Event` enum dispatched on the payload's
    /// `event`, whose `Unknown` variant keeps an event this version does
    /// not know as raw JSON. With a runtime crate, the module also
    /// re-exports that crate's `webhook` module (the request verifier).
    pub fn with_webhooks(&mut self, spec_text: impl Into<String>) -> &mut Self {
        let feature = self.webhooks.take().and_then(|w| w.feature);
        self.webhooks = Some(WebhookSettings {
            spec: spec_text.into(),
            feature,
        });
        self
    }

    /// The cargo feature that gates the `webhooks` module and the types
    /// only webhooks use (`#[cfg(feature = "...")]`); without one they are
    /// always compiled. Takes effect with [`Settings::with_webhooks`].
    pub fn with_webhooks_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        let feature = Some(feature.into());
        match &mut self.webhooks {
            Some(w) => w.feature = feature,
            None => {
                self.webhooks = Some(WebhookSettings {
                    spec: String::new(),
                    feature,
                })
            }
        }
        self
    }

    /// A `mock` module behind this cargo feature: a fake server for the
    /// user's tests with one method per operation, named as the client's,
    /// that sets a typed expectation (path and query parameters, the JSON
    /// body as its request type) and answers with the response type, a
    /// Zoom error, or by default the spec's example. Needs a runtime crate
    /// ([`Settings::with_runtime_crate`]) with that crate's `mock` feature
    /// enabled by this one; ignored without one.
    pub fn with_mock_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        self.mock_feature = Some(feature.into());
        self
    }

    /// One cargo feature per tag: a tag's operations (its extension trait,
    /// builders, page streams, metadata entries) compile only with its
    /// feature, and each type only with the features of the areas that use
    /// it (`#[cfg(any(feature = ...))]`; a type no area uses, or one the
    /// always-compiled `Client` or untagged operations use, is not gated). The feature of a tag is [`area_feature_name`] of it
    /// unless [`Settings::with_area_feature`] names another. Untagged
    /// operations are always compiled; the webhooks module is the area of
    /// [`Settings::with_webhooks_feature`]. The crate declares the features
    /// ([`Generated::features`] lists them).
    pub fn with_area_features(&mut self) -> &mut Self {
        self.area_features.get_or_insert_with(Default::default);
        self
    }

    /// The feature of `tag`'s area, instead of [`area_feature_name`]
    /// (turns area features on). Two tags given the same feature share it.
    pub fn with_area_feature(
        &mut self,
        tag: impl Into<String>,
        feature: impl Into<String>,
    ) -> &mut Self {
        self.area_features
            .get_or_insert_with(Default::default)
            .insert(tag.into(), feature.into());
        self
    }

    /// The feature the operations of `tag` sit behind (`None`: untagged,
    /// or no area features).
    pub(crate) fn area_feature(&self, tag: Option<&str>) -> Option<String> {
        let overrides = self.area_features.as_ref()?;
        let tag = tag?;
        Some(
            overrides
                .get(tag)
                .cloned()
                .unwrap_or_else(|| area_feature_name(tag)),
        )
    }

    /// An extra derive for every generated type (e.g. `Eq`, `Hash`); only
    /// ones that every type supports will compile.
    pub fn with_derive(&mut self, derive: impl Into<String>) -> &mut Self {
        self.derives.push(derive.into());
        self
    }
}

/// The default feature name of a tag's area: its words in lowercase,
/// joined by `-` (`Information Barriers` -> `information-barriers`).
pub fn area_feature_name(tag: &str) -> String {
    lower::naming::file_stem(tag).replace('_', "-")
}

/// Spec text (YAML or JSON, OpenAPI 3.0.x or 3.1.x) -> the generated client.
///
/// Runs on a thread of its own with a large stack (see `MAX_NESTING` in
/// [`spec`] for the deepest document accepted).
pub fn generate(spec_text: &str, settings: &Settings) -> Result<Generated> {
    stack::on_large_stack(|| generate_here(spec_text, settings))
}

fn generate_here(spec_text: &str, settings: &Settings) -> Result<Generated> {
    let document = spec::load(spec_text.as_bytes())?;
    let valid = validate::validate(document)?;
    let webhooks = match settings.webhooks.as_ref().filter(|w| !w.spec.is_empty()) {
        Some(w) => Some(
            spec::load(w.spec.as_bytes())
                .and_then(validate::validate)
                .map_err(|e| Error::Webhooks(Box::new(e)))?,
        ),
        None => None,
    };
    let lowered = lower::lower(&valid, webhooks.as_ref(), settings)?;
    let emitted = emit::emit(&lowered, valid.document(), settings)?;
    let mut notes = lowered.notes.clone();
    notes.extend(emitted.notes.iter().cloned());
    for note in &mut notes {
        note.location.line = valid.document().line(&note.location.pointer);
    }
    format::format(emitted, settings, notes)
}

/// Spec text -> the Rust type of each inline schema the generator makes a
/// type of (objects, string enums, unions), by the schema's pointer in the
/// canonical spec, and how it got its name. A type whose name comes from
/// its structure ([`NamedBy::Structure`]: merged with equal schemas
/// elsewhere) keeps it only while those stay equal, unless the spec records
/// it on the schema as `x-zoom-type-name`, which `cargo xtask import` does
/// with these.
pub fn type_names(spec_text: &str, settings: &Settings) -> Result<Vec<TypeSite>> {
    let document = spec::load(spec_text.as_bytes())?;
    let valid = validate::validate(document)?;
    lower::type_sites(&valid, settings)
}

/// Spec text -> the canonical 3.1 YAML of it (for `cargo xtask regen`).
/// The document is validated first, so a broken spec is never rewritten.
pub fn normalize_spec(text: &str) -> Result<String> {
    stack::on_large_stack(|| normalize_here(text))
}

fn normalize_here(text: &str) -> Result<String> {
    let document = spec::load(text.as_bytes())?;
    let valid = validate::validate(document)?;
    let canonical = normalize::normalize(&valid.document().value)?;
    Ok(spec::to_canonical_yaml(&canonical))
}
