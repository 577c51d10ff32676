//! `cargo xtask import <file>`: a spec as Zoom publishes it ->
//! `spec/zoom-accounts.yaml` in our normalized form.
//!
//! Zoom publishes OpenAPI 3.0 or 3.1, JSON or YAML, with every schema
//! inline and its metadata in prose. The stages, each on the value the
//! previous one returns:
//!
//! 1. `zoom_api_codegen::spec::read_canonical`: syntax, OpenAPI version,
//!    `$ref`s, operations, as the generator checks them (errors carry a JSON
//!    pointer and line), then 3.0 idioms -> 3.1;
//! 2. [`inline`]: every `$ref` replaced by its target, so whatever the
//!    input hoisted, naming starts from the same place;
//! 3. [`zoom_text`]: scopes, granular scopes, rate-limit label and
//!    prerequisites out of the operation description (and Zoom's vendor
//!    keys) into `x-zoom-*`; error codes out of response descriptions into
//!    `x-zoom-error-codes`; path parameters required; error statuses
//!    declare the `ZoomError` body; a success that declares no body but
//!    gives a JSON example in its description gets that body, marked
//!    `x-zoom-example-from-description`;
//! 4. [`from_example`]: a body the reference gives only as an example
//!    gets the schema the example shows, marked `x-zoom-schema-from-example`;
//! 5. [`hoist`]: repeated shapes into `components/schemas`, named as the
//!    current spec names them;
//! 6. `zoom_api_codegen::normalize_spec`: the canonical text `regen` would write;
//! 7. [`type_names`]: the Rust names of the types the generator merges,
//!    carried from the current spec where a use kept its shape, and
//!    recorded (`x-zoom-type-name`) where a type is newly merged.
//!
//! Everything happens in memory; the spec is replaced (temporary file +
//! rename) only when all of it succeeded, so bad input leaves `spec/`
//! untouched.

pub mod from_example;
pub mod hoist;
pub mod inline;
pub mod type_names;
pub mod webhooks;
pub mod zoom_style;
pub mod zoom_text;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value, json};
use zoom_api_codegen::Location;
use zoom_api_codegen::spec::{self, Document, Status, child_pointer};

use crate::fsutil::{self, Planned};
use crate::regen::SPEC;

/// Why an input cannot be imported. `Display` says what and where
/// (`at <JSON pointer> (line N): ...`).
#[derive(Debug)]
pub enum ImportError {
    /// Not a spec the generator reads: syntax, not OpenAPI, version,
    /// broken `$ref`, missing `operationId`, ...
    Spec(zoom_api_codegen::Error),
    /// A valid OpenAPI document, but not one of Zoom's.
    NotZoom { location: Location, message: String },
    /// Zoom-shaped, but one of Zoom's conventions is broken.
    Invalid { location: Location, message: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Spec(err) => err.fmt(f),
            ImportError::NotZoom { location, message } => {
                write!(f, "{location}: not a Zoom API spec: {message}")
            }
            ImportError::Invalid { location, message } => write!(f, "{location}: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// A successful import.
#[derive(Debug)]
pub struct Imported {
    /// The canonical YAML to write to `spec/zoom-accounts.yaml`.
    pub spec: String,
    pub operations: usize,
    /// The media types whose schema was derived from their example
    /// (pointers into the inlined document).
    pub derived: Vec<String>,
    pub hoisted: hoist::Hoisted,
    pub type_names: type_names::Recorded,
}

pub fn run(root: &Path, flags: &crate::flags::Import) -> Result<ExitCode> {
    let input = &flags.file;
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow!("{}: not UTF-8 text: {e}", input.display()))?;
    if spec::load(text.as_bytes()).is_ok_and(|d| webhooks::is_webhooks_document(&d.value)) {
        return import_webhooks_file(root, input, &text);
    }
    let current = std::fs::read_to_string(root.join(SPEC)).ok();
    let imported =
        import_spec(&text, current.as_deref()).map_err(|e| anyhow!("{}: {e}", input.display()))?;

    let planned = [Planned {
        path: PathBuf::from(SPEC),
        content: imported.spec,
    }];
    let stale = fsutil::stale(root, &planned);
    if stale.is_empty() {
        println!(
            "import: {SPEC} is unchanged ({} operations)",
            imported.operations
        );
        return Ok(ExitCode::SUCCESS);
    }
    fsutil::write_all(root, &stale)?;
    let h = &imported.hoisted;
    println!(
        "import: wrote {SPEC}: {} operations; components: {} named as before, {} new",
        imported.operations,
        h.kept.len(),
        h.new.len() + h.split.len()
    );
    for (was, now) in &h.split {
        println!("  {now}: a changed copy of {was} (the other sites keep {was})");
    }
    for name in &h.new {
        println!("  {name}: new shared shape");
    }
    for name in &h.unused {
        println!("  {name}: no longer used");
    }
    for at in &imported.derived {
        println!("  {at}: schema derived from its example (x-zoom-schema-from-example)");
    }
    let t = &imported.type_names;
    println!(
        "  merged types: {} uses keep their recorded name, {} newly recorded",
        t.kept,
        t.new.len()
    );
    for (pointer, name) in &t.dropped {
        println!("  {pointer}: changed, no longer type {name}");
    }
    println!(
        "next: `cargo xtask regen` to regenerate the committed client copy, \
         `cargo xtask diff` to review the API change"
    );
    Ok(ExitCode::SUCCESS)
}

/// `import` of a webhooks document (see [`webhooks`]): writes
/// `spec/zoom-accounts-webhooks.yaml`.
fn import_webhooks_file(root: &Path, input: &Path, text: &str) -> Result<ExitCode> {
    let imported =
        webhooks::import_webhooks(text).map_err(|e| anyhow!("{}: {e}", input.display()))?;
    let planned = [Planned {
        path: PathBuf::from(webhooks::WEBHOOKS_SPEC),
        content: imported.spec,
    }];
    let target = webhooks::WEBHOOKS_SPEC;
    let count = imported.events.len();
    for at in &imported.repaired {
        println!("  repaired at {at}");
    }
    if fsutil::stale(root, &planned).is_empty() {
        println!("import: {target} is unchanged ({count} events)");
        return Ok(ExitCode::SUCCESS);
    }
    fsutil::write_all(root, &planned.iter().collect::<Vec<_>>())?;
    println!("import: wrote {target}: {count} events");
    println!(
        "next: `cargo xtask regen` to regenerate the committed client copy, \
         `cargo xtask diff` to review the change"
    );
    Ok(ExitCode::SUCCESS)
}

/// The import itself, in memory: Zoom's text -> our canonical YAML.
/// `current` is the spec being replaced (for component names), if any.
pub fn import_spec(input: &str, current: Option<&str>) -> Result<Imported, ImportError> {
    let spec::Canonical { source, value } =
        spec::read_canonical(input).map_err(ImportError::Spec)?;
    let source = &source;
    // Type names come from the current spec and the generator, never from
    // the input (a re-import of `export-zoom-style` has none anyway).
    let mut doc = type_names::without_recorded_names(&value);
    if spec::operations(&source.value).is_empty() {
        let at = if source.value.get("paths").is_some() {
            "/paths"
        } else {
            ""
        };
        return Err(ImportError::NotZoom {
            location: source.locate(at),
            message: "it declares no operations".into(),
        });
    }

    inline::inline_document(&mut doc).map_err(|e| ImportError::Invalid {
        location: source.locate(&e.pointer),
        message: e.message,
    })?;

    let operations = spec::operations(&doc);
    let mut labelled = 0;
    for op in &operations {
        let Some(Value::Object(node)) = doc.pointer_mut(&op.pointer) else {
            continue;
        };
        if extract_operation_metadata(node, &op.pointer, source)? {
            labelled += 1;
        }
        require_path_parameters(node.get_mut("parameters"));
        extract_response_metadata(node);
    }
    if labelled == 0 {
        return Err(ImportError::NotZoom {
            location: source.locate("/paths"),
            message:
                "no operation has a rate-limit label (`**[Rate Limit Label](...):** `MEDIUM`` \
                      in its description, or `x-zoom-rate-limit`)"
                    .into(),
        });
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            require_path_parameters(item.get_mut("parameters"));
        }
    }
    add_zoom_error_component(&mut doc);
    let derived = from_example::derive_schemas(&mut doc);

    // An unreadable current spec only costs the stable names.
    let current = current.and_then(|text| spec::load(text.as_bytes()).ok());
    let current_names = match &current {
        // Recorded type names are not part of a shape's text.
        Some(current) => {
            hoist::CurrentNames::from_spec(&type_names::without_recorded_names(&current.value))
                .with_rust_names(&type_names::rust_names(&current.value))
        }
        None => hoist::CurrentNames::none(),
    };
    let hoisted = hoist::hoist(&mut doc, &current_names);

    let json = serde_json::to_string(&doc).map_err(|e| ImportError::Invalid {
        location: Location::default(),
        message: format!("serializing the imported spec: {e}"),
    })?;
    let spec = zoom_api_codegen::normalize_spec(&json).map_err(ImportError::Spec)?;
    let (spec, type_names) =
        type_names::record(&spec, current.as_ref().map(|c| &c.value)).map_err(ImportError::Spec)?;
    Ok(Imported {
        spec,
        operations: operations.len(),
        derived,
        hoisted,
        type_names,
    })
}

/// The `ZoomError` component every error status refers to.
pub fn zoom_error_schema() -> Value {
    json!({
        "type": "object",
        "description": "The body Zoom returns with an error status.",
        "properties": {
            "code": {"type": "integer", "description": "Zoom's error code."},
            "message": {"type": "string", "description": "A human-readable description of the error."}
        }
    })
}

pub const ZOOM_ERROR_REF: &str = "#/components/schemas/ZoomError";

/// Operation description and Zoom's vendor keys -> `x-zoom-*`. Returns
/// whether the operation has a rate-limit label.
fn extract_operation_metadata(
    op: &mut Map<String, Value>,
    ptr: &str,
    source: &Document,
) -> Result<bool, ImportError> {
    let description_ptr = child_pointer(ptr, "description");
    let text = match op.get("description") {
        Some(Value::String(d)) => zoom_text::split_operation_description(d),
        _ => zoom_text::OperationText::default(),
    };
    let mut scopes = text.scopes;
    let mut granular = text.granular_scopes;
    let mut prerequisites = text.prerequisites;
    let mut rate = text.rate_limit.map(|raw| (raw, description_ptr.clone()));

    // Our own keys (a re-import) and Zoom's, also nested in `x-extensions`.
    let mut vendor: Vec<(String, Value, String)> = Vec::new();
    for key in VENDOR_KEYS {
        if let Some(v) = op.shift_remove(key) {
            vendor.push((key.to_string(), v, child_pointer(ptr, key)));
        }
    }
    if let Some(Value::Object(ext)) = op.get_mut("x-extensions") {
        let ext_ptr = child_pointer(ptr, "x-extensions");
        for key in VENDOR_KEYS {
            if let Some(v) = ext.shift_remove(key) {
                vendor.push((key.to_string(), v, child_pointer(&ext_ptr, key)));
            }
        }
        if ext.is_empty() {
            op.shift_remove("x-extensions");
        }
    }
    for (key, value, at) in vendor {
        if key.ends_with("rate-limit") || key.ends_with("rate-limit-label") {
            match value {
                Value::String(raw) if rate.is_none() => rate = Some((raw, at)),
                Value::String(_) => {}
                _ => return Err(invalid(source, &at, format!("{key} must be a string"))),
            }
            continue;
        }
        let list = string_list(&value)
            .ok_or_else(|| invalid(source, &at, format!("{key} must be a list of strings")))?;
        let target = match key.as_str() {
            "x-zoom-scopes" | "x-macro-scopes" | "x-scopes" => &mut scopes,
            "x-zoom-granular-scopes" | "x-granular-scopes" => &mut granular,
            _ => &mut prerequisites,
        };
        for item in list {
            if !target.contains(&item) {
                target.push(item);
            }
        }
    }

    let label = match &rate {
        Some((raw, at)) => Some(zoom_text::rate_limit_label(raw).ok_or_else(|| {
            invalid(
                source,
                at,
                format!(
                    "unknown rate-limit label {raw:?}; expected one of LIGHT, MEDIUM, HEAVY, RESOURCE-INTENSIVE"
                ),
            )
        })?),
        None => None,
    };

    if op.contains_key("description") {
        if text.prose.is_empty() {
            op.shift_remove("description");
        } else {
            op.insert("description".into(), Value::String(text.prose));
        }
    }
    let as_list = |l: Vec<String>| Value::Array(l.into_iter().map(Value::String).collect());
    for (key, list) in [
        ("x-zoom-scopes", scopes),
        ("x-zoom-granular-scopes", granular),
        ("x-zoom-prerequisites", prerequisites),
    ] {
        if !list.is_empty() {
            op.insert(key.into(), as_list(list));
        }
    }
    if let Some(label) = label {
        op.insert("x-zoom-rate-limit".into(), Value::String(label.as_str().into()));
    }
    Ok(label.is_some())
}

/// Vendor keys read as operation metadata: ours, and Zoom's.
const VENDOR_KEYS: [&str; 8] = [
    "x-zoom-scopes",
    "x-zoom-granular-scopes",
    "x-zoom-prerequisites",
    "x-zoom-rate-limit",
    "x-macro-scopes",
    "x-scopes",
    "x-granular-scopes",
    "x-rate-limit-label",
];

/// A list of strings, or one comma-separated string.
fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect(),
        Value::String(s) => Some(
            s.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        ),
        _ => None,
    }
}

fn invalid(source: &Document, pointer: &str, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        location: source.locate(pointer),
        message: message.into(),
    }
}

/// Zoom sometimes omits `required: true` on path parameters; OpenAPI
/// requires it.
fn require_path_parameters(parameters: Option<&mut Value>) {
    let Some(Value::Array(list)) = parameters else {
        return;
    };
    for param in list {
        if let Value::Object(p) = param
            && p.get("in").and_then(Value::as_str) == Some("path")
        {
            p.insert("required".into(), Value::Bool(true));
        }
    }
}

/// Marks a media type import made from a JSON example in the response's
/// description ([`zoom_text::json_example`]), so the Zoom-style export
/// leaves it out again.
pub const EXAMPLE_FROM_DESCRIPTION: &str = "x-zoom-example-from-description";

/// Error codes out of each response description; the `ZoomError` body on
/// every error status that declares none; a JSON body for a success that
/// declares none but gives its example in the description (its schema is
/// then derived from the example, see [`from_example`]).
fn extract_response_metadata(op: &mut Map<String, Value>) {
    let Some(Value::Object(responses)) = op.get_mut("responses") else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let Value::Object(response) = response else {
            continue;
        };
        if let Some(Value::String(description)) = response.get("description") {
            let codes = zoom_text::error_codes(description);
            if !codes.is_empty() {
                let list = codes
                    .into_iter()
                    .map(|c| json!({"code": c.code, "message": c.message}))
                    .collect();
                response.insert("x-zoom-error-codes".into(), Value::Array(list));
            }
        }
        let is_error = status.parse::<Status>().is_ok_and(Status::is_error);
        let has_body = response
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty());
        if is_error && !has_body {
            response.insert(
                "content".into(),
                json!({"application/json": {"schema": {"$ref": ZOOM_ERROR_REF}}}),
            );
        }
        let is_success = status.parse::<Status>().is_ok_and(Status::is_success);
        let described = match response.get("description") {
            Some(Value::String(description)) if is_success && !has_body => {
                zoom_text::json_example(description)
            }
            _ => None,
        };
        if let Some(example) = described {
            response.insert(
                "content".into(),
                json!({"application/json": {
                    "schema": {},
                    "example": example,
                    EXAMPLE_FROM_DESCRIPTION: true
                }}),
            );
        }
    }
}

fn add_zoom_error_component(doc: &mut Value) {
    if let Some(schemas) = component_schemas_mut(doc) {
        schemas.entry("ZoomError").or_insert_with(zoom_error_schema);
    }
}

/// `components.schemas` of a document, created empty where missing; `None`
/// when the document, `components` or `schemas` is not an object.
pub(crate) fn component_schemas_mut(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    doc.as_object_mut()?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}
