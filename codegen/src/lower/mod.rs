//! Stage 3: [`ValidDocument`] (3.0 or 3.1) -> [`Lowered`]: an OpenAPI 3.0.3
//! document the engine accepts, plus what the engine cannot carry.
//!
//! progenitor 0.15 reads OpenAPI 3.0 through `openapiv3`, asserts on some
//! shapes and lets typify pick type names. Lowering runs on the canonical
//! 3.1 form (see `normalize`); its rules are grouped by the kind of rule,
//! one module each:
//!
//! | module | kind of rule | examples |
//! | --- | --- | --- |
//! | [`openapi30`] | 3.1 -> 3.0 translation | nullable types, `const`, `examples` |
//! | [`engine_limits`] | what the engine asserts on or gets wrong | deep refs, `$ref` siblings, titles, one success and one error type |
//! | [`formats`] | which `format`s reach the engine, and as what Rust type | `date`, `uuid`, `integer`/`double` |
//! | [`client_policy`] | what this client decides | open number enums, no invented defaults, closed objects opened, the shared error body |
//! | [`one_of`] | all-optional `oneOf` merged into one type | account settings |
//! | [`naming`] | who names every type | collisions, hoisting inline schemas, merging identical ones |
//! | [`metadata`] | the operation facts the engine cannot carry | scopes, rate-limit label, error codes |
//! | [`multipart`] | `multipart/form-data` bodies, emitted by us | uploads |
//! | [`webhooks`] | webhook payloads in the same type space | events |
//!
//! The order of the passes is [`lower`]'s body, and only there; what must
//! come before what is said at each step. What the engine cannot express is
//! kept on the side, in [`Lowered`]: operation metadata and multipart
//! operations.

mod client_policy;
mod engine_limits;
mod formats;
pub(crate) mod metadata;
pub(crate) mod multipart;
pub(crate) mod naming;
mod one_of;
mod openapi30;
pub(crate) mod webhooks;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::normalize;
use crate::spec::{self, Document, Shape, Status, child_pointer};
use crate::validate::ValidDocument;
use crate::{Note, Settings};

pub(crate) use metadata::OperationRecord;
pub(crate) use multipart::MultipartOperation;

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The engine's input and everything we keep beside it.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    /// The 3.0.3 document progenitor consumes.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON (to locate engine failures, and for the
    /// docs of the page streams).
    pub value: Value,
    /// Every operation of the source (multipart ones too), by operation id.
    pub operations: Vec<OperationRecord>,
    /// Operations removed from the engine's view; `emit` writes them.
    pub multipart: Vec<MultipartOperation>,
    /// Enum variants and struct fields named by lowering (the engine sees
    /// placeholders); `emit` applies the names.
    pub chosen_names: naming::ChosenNames,
    /// Component -> where its schema was written, for the components
    /// lowering hoisted out of an inline schema (to locate engine errors).
    pub origins: std::collections::BTreeMap<String, String>,
    /// The webhook events (empty without a webhooks document).
    pub webhooks: webhooks::Webhooks,
    /// What lowering changed that a reader of the client should know.
    pub notes: Vec<Note>,
    /// Every inline schema moved into components, and the type it became.
    pub hoisted: naming::Hoisted,
}

/// Lowers a validated document; see the module docs.
pub(crate) fn lower(
    valid: &ValidDocument,
    webhook_doc: Option<&ValidDocument>,
    settings: &Settings,
) -> Result<Lowered> {
    let doc = normalize::normalize(&valid.document().value)?;
    lower_canonical(doc, valid.document(), webhook_doc, settings)
}

/// The Rust type of every inline schema the generator makes a type of,
/// by its pointer in the canonical spec (see [`crate::type_names`]): each
/// schema is tagged with its pointer, which travels with it through
/// lowering (the tag is an extension: no rule looks at it, and structural
/// comparisons ignore extensions), and hoisting reports it.
pub(crate) fn type_sites(
    valid: &ValidDocument,
    settings: &Settings,
) -> Result<Vec<naming::TypeSite>> {
    let mut doc = normalize::normalize(&valid.document().value)?;
    spec::for_each_schema_mut(&mut doc, &mut |schema, pointer| {
        if let Some(map) = schema.as_object_mut()
            && !map.contains_key("$ref")
        {
            map.insert(naming::SITE_TAG.into(), Value::String(pointer.to_string()));
        }
    });
    let lowered = lower_canonical(doc, valid.document(), None, settings)?;
    Ok(naming::type_sites(&lowered.hoisted))
}

/// [`lower`] on the canonical 3.1 form of `src`.
fn lower_canonical(
    mut doc: Value,
    src: &Document,
    webhook_doc: Option<&ValidDocument>,
    settings: &Settings,
) -> Result<Lowered> {
    let mut notes = Vec::new();

    // 0. Webhook payloads join the components before any rule reads them,
    //    so that every schema rule and the naming passes see them as types.
    if let Some(hooks) = webhook_doc {
        let canonical = normalize::normalize(&hooks.document().value)
            .map_err(|e| Error::Webhooks(Box::new(e)))?;
        webhooks::add_event_schemas(&mut doc, &canonical, hooks.document())?;
    }

    // 1. The operation facts, read before anything is rewritten: later steps
    //    inline, move and drop what they are read from.
    let mut operations = metadata::collect_operation_meta(&doc, src)?;

    // 2. Document-level reshaping. Deep refs are inlined before any schema
    //    rule runs (typify resolves whole components only), and shared
    //    responses and bodies are copied into their operations before the
    //    per-operation rewrites below.
    openapi30::strip_31_only_keys(&mut doc);
    openapi30::fill_required_fields(&mut doc);
    engine_limits::inline_deep_schema_refs(&mut doc);
    engine_limits::lower_path_parameters_required(&mut doc);
    engine_limits::inline_operation_responses(&mut doc);
    engine_limits::lower_response_media(&mut doc);
    // Multipart bodies leave before one request media type is chosen (the
    // choice never picks multipart, and a multipart-only body must not be
    // left empty for the engine).
    let mut multipart = multipart::lower_multipart_bodies(&mut doc, &mut notes);
    engine_limits::lower_request_media(&mut doc, &mut notes);

    // 3. Every schema node, subschemas first (see `lower_schemas`).
    lower_schemas(&mut doc, &mut notes);
    // After the schema rules: alternatives are compared in their 3.0 form.
    one_of::merge_all_optional_one_of(&mut doc, &mut notes);

    // 4. Responses: one success type, then errors (the shared error schema
    //    must exist in the spec to be used).
    let error_schema = settings
        .error_schema
        .as_deref()
        .filter(|name| {
            doc.pointer(&child_pointer("/components/schemas", name))
                .is_some()
        })
        .map(str::to_owned);
    engine_limits::lower_success_responses(&mut doc, &mut operations, &mut notes);
    client_policy::answer_other_errors_with_the_shared_schema(&mut doc, error_schema.as_deref());
    engine_limits::lower_error_responses(&mut doc, error_schema.as_deref(), &mut notes);

    // 5. Type names, once every schema has its final shape (hoisting
    //    compares shapes; titles are gone).
    let (hoisted, chosen_names) = naming::name_types(&mut doc, src, &mut notes)?;
    let webhooks = webhooks::collect(&doc);

    // 6. What the generated methods document and what the engine must not
    //    see: the docs section needs the success statuses step 4 settled,
    //    multipart operations their lowered responses and final type names.
    metadata::lower_operation_docs(&mut doc, &operations);
    multipart::extract_multipart_operations(&mut doc, &mut multipart);
    for op in &mut operations {
        op.multipart = multipart.iter().any(|m| m.operation_id == op.operation_id);
    }

    doc["openapi"] = Value::String("3.0.3".into());
    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&doc).map_err(|e| {
        let pointer = path_to_pointer(&e.path().to_string());
        Error::Invalid {
            location: src.locate(&pointer),
            message: format!(
                "after lowering to OpenAPI 3.0 this does not fit openapiv3: {}",
                e.inner()
            ),
        }
    })?;

    Ok(Lowered {
        openapi,
        value: doc,
        operations,
        multipart,
        chosen_names,
        origins: hoisted.origins(),
        webhooks,
        notes,
        hoisted,
    })
}

/// The rules of one schema node, on every node, subschemas first: the 3.0
/// spelling first (the other rules read 3.0 keywords: `nullable`, one
/// `type`), then enum values fitted to their type (which may give an
/// untyped enum its type), then the formats of that type, then the client's
/// policy (which moves keywords into the description), then what the
/// engine needs last (titles gone, and a `$ref` with siblings wrapped,
/// which must see the final siblings).
fn lower_schemas(doc: &mut Value, notes: &mut Vec<Note>) {
    spec::for_each_schema_mut(doc, &mut |schema, pointer| {
        openapi30::translate_schema(schema);
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        engine_limits::fit_schema(map, pointer, notes);
        formats::lower_format(map, pointer, notes);
        client_policy::loosen_schema(map);
        engine_limits::finish_schema(map);
    });
}

/// `paths./a.get.responses` (serde_path_to_error) -> `/paths/~1a/get/responses`.
fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    // Segments are separated by '.', but keys may contain dots; this is a
    // best effort for the message, and the line falls back to an ancestor.
    let mut out = String::new();
    for seg in path.split('.') {
        let seg = seg.trim_start_matches('[').trim_end_matches(']');
        out = child_pointer(&out, seg);
    }
    out
}

/// The shape key of "the same Rust type" (see [`Shape::RustType`]).
fn structural_key(v: &Value) -> String {
    spec::shape_key(v, Shape::RustType)
}

/// The status a response key names; `None` for anything else (extensions).
fn status(key: &str) -> Option<Status> {
    key.parse().ok()
}

/// The class of a response key (`2` for `204` and `2XX`).
fn status_class(key: &str) -> Option<u8> {
    status(key).and_then(Status::class)
}

fn note(notes: &mut Vec<Note>, pointer: &str, message: impl Into<String>) {
    notes.push(Note::at(pointer, message));
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn append_description(map: &mut Map<String, Value>, text: &str) {
    let desc = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{text}", d.trim_end()),
        _ => text.to_string(),
    };
    map.insert("description".into(), Value::String(desc));
}

fn for_each_operation_mut(
    doc: &mut Value,
    f: &mut dyn FnMut(&mut Map<String, Value>, &spec::OperationRef),
) {
    for op_ref in spec::operations(doc) {
        if let Some(Value::Object(op)) = doc.pointer_mut(&op_ref.pointer) {
            f(op, &op_ref);
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use serde_json::{Map, Value};

    /// The object `v` (a `json!` literal) as the map the per-node rules take.
    pub(in crate::lower) fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }
}
