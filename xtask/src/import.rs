//! `cargo xtask import <file>`: a spec as Zoom publishes it ->
//! `spec/zoom-accounts.yaml` in our normalized form.
//!
//! Zoom publishes OpenAPI 3.0 or 3.1, JSON or YAML, with every schema
//! inline and its metadata in prose. The stages, each on the value the
//! previous one returns:
//!
//! 0. [`repair`]: what Zoom's files get wrong when the intent is plain
//!    (`type: Date`, a media type `undefined`, a body without content, an
//!    undeclared path parameter, ...), repaired with a note per repair;
//!    what is ambiguous is an error at its place;
//! 1. `zoom_api_codegen::spec::canonical`: syntax, OpenAPI version,
//!    `$ref`s, every schema keyword, operations, as the generator checks
//!    them (errors carry a JSON pointer and the line of the input), then
//!    3.0 idioms -> 3.1;
//! 2. [`inline`]: every `$ref` replaced by its target, so whatever the
//!    input hoisted, naming starts from the same place;
//! 3. [`zoom_text`]: scopes, granular scopes, rate-limit label and
//!    prerequisites out of the operation description (and Zoom's vendor
//!    keys) into `x-zoom-*`; error codes out of response descriptions into
//!    `x-zoom-error-codes`; error statuses declare the `ZoomError` body; a
//!    success that declares no body but gives a JSON example in its
//!    description gets that body, marked `x-zoom-example-from-description`.
//!    A label or scope text that is not understood stays in the
//!    description as written (so a rate-limit label that is none of the
//!    four leaves the operation without `x-zoom-rate-limit`), with a note;
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
//! untouched. The repairs and notes are printed and kept in a section of
//! `spec/README.md` ([`REPAIRS_START`] .. [`REPAIRS_END`]), rewritten by
//! each import.

pub mod from_example;
pub mod hoist;
pub mod inline;
pub mod repair;
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
    /// What was repaired or noted, at its place in the input.
    pub repairs: Vec<repair::Repair>,
    pub type_names: type_names::Recorded,
}

/// Where `spec/README.md` keeps the repairs of the last import.
pub const REPAIRS_START: &str =
    "<!-- import-repairs: written by `cargo xtask import`; do not edit -->";
pub const REPAIRS_END: &str = "<!-- /import-repairs -->";
const README: &str = "spec/README.md";

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

    print_repairs(&imported.repairs);
    let mut planned = vec![Planned {
        path: PathBuf::from(SPEC),
        content: imported.spec,
    }];
    if let Ok(readme) = std::fs::read_to_string(root.join(README)) {
        let file = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        planned.push(Planned {
            path: PathBuf::from(README),
            content: with_repairs_section(&readme, &file, &imported.repairs),
        });
    }
    let stale = fsutil::stale(root, &planned);
    if stale.is_empty() {
        println!(
            "import: {SPEC} is unchanged ({} operations)",
            imported.operations
        );
        return Ok(ExitCode::SUCCESS);
    }
    fsutil::write_all(root, &stale)?;
    if stale.iter().any(|p| p.path == Path::new(README)) {
        println!("import: {README}: the repairs section lists what this import repaired");
    }
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

/// Prints the repairs and notes of an import, one a line.
pub fn print_repairs(repairs: &[repair::Repair]) {
    if repairs.is_empty() {
        println!("import: nothing to repair");
        return;
    }
    println!(
        "import: {} repairs and notes (at their place in the input):",
        repairs.len()
    );
    for r in repairs {
        println!("  {r}");
    }
}

/// `readme` with its repairs section (see [`REPAIRS_START`]) listing
/// `repairs` of the import of `file`; appended when it has none.
pub fn with_repairs_section(readme: &str, file: &str, repairs: &[repair::Repair]) -> String {
    let mut section = format!(
        "{REPAIRS_START}\nThe last `cargo xtask import` (of `{file}`) repaired or noted, at their place in that file:\n\n"
    );
    if repairs.is_empty() {
        section.push_str("- nothing\n");
    }
    for r in repairs {
        section.push_str(&format!("- {}\n", r.to_string().replace('\n', " ")));
    }
    section.push_str(REPAIRS_END);
    match (readme.find(REPAIRS_START), readme.find(REPAIRS_END)) {
        (Some(start), Some(end)) if end > start => {
            format!(
                "{}{section}{}",
                &readme[..start],
                &readme[end + REPAIRS_END.len()..]
            )
        }
        _ => format!(
            "{}\n\n## What the last import repaired\n\n{section}\n",
            readme.trim_end()
        ),
    }
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
/// Runs on a thread with a large stack, as the generator does (every stage
/// is recursive; the loader bounds how deep).
pub fn import_spec(input: &str, current: Option<&str>) -> Result<Imported, ImportError> {
    match zoom_api_codegen::run_on_large_stack(|| import_here(input, current)) {
        Ok(result) => result,
        Err(panic) => Err(ImportError::Invalid {
            location: Location::default(),
            message: format!("import panicked: {panic}; this is a bug in xtask"),
        }),
    }
}

fn import_here(input: &str, current: Option<&str>) -> Result<Imported, ImportError> {
    let mut document = spec::load(input.as_bytes()).map_err(ImportError::Spec)?;
    let mut repairs = repair::repair(&mut document)?;
    let spec::Canonical { source, value } = spec::canonical(document).map_err(ImportError::Spec)?;
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
        if extract_operation_metadata(node, &op.pointer, source, &mut repairs)? {
            labelled += 1;
        }
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
        repairs,
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
    repairs: &mut Vec<repair::Repair>,
) -> Result<bool, ImportError> {
    let description_ptr = child_pointer(ptr, "description");
    let text = match op.get("description") {
        Some(Value::String(d)) => zoom_text::split_operation_description(d),
        _ => zoom_text::OperationText::default(),
    };
    let mut note = |at: &str, message: String| {
        repairs.push(repair::Repair {
            location: source.locate(at),
            message,
        })
    };
    for (label, value) in &text.unrecognized {
        note(
            &description_ptr,
            format!("{label} {value:?} not understood: kept in the description as written"),
        );
    }
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
    // What is not understood stays where it was written (under its key),
    // except in our own `x-zoom-rate-limit`, which the generator reads
    // strictly: such a label goes into the description, as Zoom writes it.
    let mut unread: Vec<(String, Value, String)> = Vec::new();
    for (key, value, at) in vendor {
        if key.ends_with("rate-limit") || key.ends_with("rate-limit-label") {
            match value {
                Value::String(raw) if zoom_text::rate_limit_label(&raw).is_none() => {
                    note(
                        &at,
                        format!(
                            "{key} {raw:?} is none of LIGHT, MEDIUM, HEAVY, RESOURCE-INTENSIVE: kept as written"
                        ),
                    );
                    unread.push((key, Value::String(raw), at));
                }
                Value::String(raw) if rate.is_none() => rate = Some((raw, at)),
                Value::String(_) => {}
                other => {
                    note(&at, format!("{key} is not a string: kept as written"));
                    unread.push((key, other, at));
                }
            }
            continue;
        }
        let Some(list) = string_list(&value) else {
            note(
                &at,
                format!("{key} is not a list of strings: kept as written"),
            );
            unread.push((key, value, at));
            continue;
        };
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

    let label = rate
        .as_ref()
        .and_then(|(raw, _)| zoom_text::rate_limit_label(raw));

    let mut prose = text.prose;
    for (key, value, at) in unread {
        if key == "x-zoom-rate-limit" {
            let line = format!(
                "**Rate Limit Label:** `{}`",
                value.as_str().unwrap_or_default()
            );
            prose = if prose.is_empty() {
                line
            } else {
                format!("{prose}\n\n{line}")
            };
        } else if at.contains("/x-extensions/") {
            let ext = op
                .entry("x-extensions")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(ext) = ext {
                ext.insert(key, value);
            }
        } else {
            op.insert(key, value);
        }
    }
    if op.contains_key("description") || !prose.is_empty() {
        if prose.is_empty() {
            op.shift_remove("description");
        } else {
            op.insert("description".into(), Value::String(prose));
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
        op.insert(
            "x-zoom-rate-limit".into(),
            Value::String(label.as_str().into()),
        );
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
