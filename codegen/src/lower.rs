//! Stage 3: [`ValidDocument`] (3.0 or 3.1) -> [`Lowered`]: an OpenAPI 3.0.3
//! document the engine accepts, plus what the engine cannot carry.
//!
//! progenitor 0.15 reads OpenAPI 3.0 through `openapiv3`, asserts on some
//! shapes and lets typify pick type names. Each transformation below is a
//! named function with its reason in its doc comment; they run on the
//! canonical 3.1 form (see [`crate::normalize`]) in the order of [`lower`].
//! What the engine cannot express is kept on the side, in [`Lowered`]:
//! operation metadata (scopes, rate limits, error codes), multipart
//! operations (emitted by us), and the name -> schema table of every
//! generated type.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::Settings;
use crate::error::{Error, Result};
use crate::naming::{pascal_ident, snake_ident};
use crate::normalize;
use crate::spec::{
    self as walk, ANNOTATIONS, HttpMethod, RateLimitLabel, RequestMedia, Shape, Status,
    child_pointer, is_json_media, operation_pointer,
};
use crate::validate::ValidDocument;

/// The status a response key names; `None` for anything else (extensions).
fn status(key: &str) -> Option<Status> {
    key.parse().ok()
}

/// The class of a response key (`2` for `204` and `2XX`).
fn status_class(key: &str) -> Option<u8> {
    status(key).and_then(Status::class)
}

fn supported_request_media(media: &str) -> Option<RequestMedia> {
    RequestMedia::of(media)
}

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The engine's input and everything we keep beside it.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The 3.0.3 document progenitor consumes.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON (for inspection and tests).
    pub value: Value,
    /// Every operation of the source (multipart ones too), by operation id.
    pub operations: Vec<OperationMeta>,
    /// Operations removed from the engine's view; `emit` writes them.
    pub multipart: Vec<MultipartOperation>,
    /// Rust type name -> its schema, for every component schema the engine
    /// turns into a type (spec components and hoisted inline schemas).
    pub type_names: BTreeMap<String, Value>,
    /// Every inline schema moved into components, with where it came from.
    pub hoisted: Vec<HoistedSchema>,
    /// What lowering changed that a reader of the client should know.
    pub notes: Vec<Note>,
    /// `info.title` of the spec.
    pub title: String,
}

/// A remark tied to a place in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub pointer: String,
    pub message: String,
}

/// An inline schema that became the component `type_name`.
#[derive(Debug, Clone)]
pub struct HoistedSchema {
    /// Where the schema was written in the (canonical) spec.
    pub pointer: String,
    /// The component (= Rust type) it now refers to.
    pub type_name: String,
    /// Its structural key (canonical JSON without annotations).
    pub structure: String,
}

/// One documented error code of a response (`x-zoom-error-codes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    pub status: Status,
    pub code: i64,
    pub message: String,
}

/// What the client needs to know about an operation beyond its signature.
#[derive(Debug, Clone)]
pub struct OperationMeta {
    pub operation_id: String,
    /// The generated method name.
    pub method_name: String,
    pub method: HttpMethod,
    pub path: String,
    pub pointer: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub scopes: Vec<String>,
    pub granular_scopes: Vec<String>,
    pub rate_limit: Option<RateLimitLabel>,
    pub prerequisites: Vec<String>,
    pub error_codes: Vec<ErrorCode>,
    /// Takes a `next_page_token` query parameter.
    pub paginated: bool,
    /// 2xx statuses the spec documents that the method does not model
    /// (they surface as `Error::UnexpectedResponse`, body intact).
    pub unmodeled_success_statuses: Vec<Status>,
    /// Emitted by us rather than by the engine.
    pub multipart: bool,
}

/// A `multipart/form-data` operation, removed from the engine's view.
#[derive(Debug, Clone)]
pub struct MultipartOperation {
    pub operation_id: String,
    pub method_name: String,
    /// The builder struct name.
    pub builder_name: String,
    pub method: HttpMethod,
    pub path: String,
    pub tags: Vec<String>,
    /// Doc comment for the method (summary, description, API details).
    pub doc: String,
    /// Path, query and header parameters.
    pub params: Vec<PlainParam>,
    /// The form fields.
    pub fields: Vec<MultipartField>,
    /// Success statuses and their body.
    pub success: Vec<(Status, ResponseBody)>,
    /// Error statuses and their body.
    pub errors: Vec<(Status, ResponseBody)>,
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// No content.
    Empty,
    /// JSON into the component type of this (Rust) name.
    Named(String),
    /// JSON of no particular shape (`serde_json::Value`).
    Json,
}

/// A non-body parameter of a multipart operation.
#[derive(Debug, Clone)]
pub struct PlainParam {
    pub api_name: String,
    pub ident: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
}

/// Where a [`PlainParam`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// One multipart form field.
#[derive(Debug, Clone)]
pub struct MultipartField {
    pub name: String,
    pub ident: String,
    pub required: bool,
    pub kind: FieldKind,
    pub description: Option<String>,
}

/// How a form field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A file (`format: binary`): a `reqwest::multipart::Part`.
    Binary,
    /// A scalar, sent as its text.
    Text,
    /// An object or array, sent as JSON text.
    Json,
}

/// Lowers a validated document; see the module docs.
pub fn lower(valid: &ValidDocument, settings: &Settings) -> Result<Lowered> {
    let src = valid.document();
    let mut doc = normalize::normalize(&src.value)?;
    let mut notes = Vec::new();
    let title = doc["info"]["title"].as_str().unwrap_or("API").to_string();

    let mut operations = collect_operation_meta(&doc, src)?;

    strip_31_only_keys(&mut doc);
    inline_deep_schema_refs(&mut doc);
    lower_path_parameters_required(&mut doc);
    inline_operation_responses(&mut doc);
    lower_response_media(&mut doc);
    let mut multipart = lower_multipart_bodies(&mut doc, &mut notes);
    lower_request_media(&mut doc, &mut notes);
    lower_schemas(&mut doc, &mut notes);
    merge_all_optional_one_of(&mut doc, &mut notes);
    let error_schema = settings
        .error_schema
        .as_deref()
        .filter(|name| {
            doc.pointer(&format!("/components/schemas/{name}"))
                .is_some()
        })
        .map(str::to_owned);
    lower_success_responses(&mut doc, &mut operations, &mut notes);
    lower_error_responses(&mut doc, error_schema.as_deref(), &mut notes);
    rename_colliding_components(&mut doc, &mut notes);
    let spec_names: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted = hoist_inline_schemas(&mut doc);
    let merged = merge_identical_components(&mut doc, &spec_names);
    for record in &mut hoisted {
        if let Some(new) = merged.get(&record.type_name) {
            record.type_name = new.clone();
        }
    }
    lower_operation_docs(&mut doc, &operations);
    extract_multipart_operations(&mut doc, &mut multipart);
    for op in &mut operations {
        op.multipart = multipart.iter().any(|m| m.operation_id == op.operation_id);
    }

    doc["openapi"] = Value::String("3.0.3".into());
    let type_names = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .map(|(k, v)| (pascal_ident(k), v.clone()))
                .collect()
        })
        .unwrap_or_default();

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
        type_names,
        hoisted,
        notes,
        title,
    })
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

fn note(notes: &mut Vec<Note>, pointer: &str, message: impl Into<String>) {
    notes.push(Note {
        pointer: pointer.to_string(),
        message: message.into(),
    });
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

// ---------------------------------------------------------------------------
// Operation metadata.

/// Reads the `x-zoom-*` extensions and the rest of [`OperationMeta`] before
/// lowering rewrites anything. Malformed extensions are errors: the metadata
/// is part of the product, not decoration.
pub fn collect_operation_meta(
    doc: &Value,
    src: &crate::spec::Document,
) -> Result<Vec<OperationMeta>> {
    let mut out = Vec::new();
    for op_ref in walk::operations(doc) {
        let op = &doc["paths"][op_ref.path.as_str()][op_ref.method.as_str()];
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        let ext_list = |key: &str| -> Result<Vec<String>> {
            match op.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                    Ok(string_list(Some(&op[key])))
                }
                Some(_) => Err(Error::Invalid {
                    location: src.locate(&child_pointer(&op_ref.pointer, key)),
                    message: format!("{key} must be a list of strings"),
                }),
            }
        };
        let rate_limit = match op.get("x-zoom-rate-limit") {
            None => None,
            Some(v) => Some(v.as_str().and_then(|l| l.parse().ok()).ok_or_else(|| {
                Error::Invalid {
                    location: src.locate(&child_pointer(&op_ref.pointer, "x-zoom-rate-limit")),
                    message: format!(
                        "x-zoom-rate-limit must be LIGHT, MEDIUM, HEAVY or RESOURCE-INTENSIVE, not {v}"
                    ),
                }
            })?),
        };
        let mut error_codes = Vec::new();
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                let response = walk::deref(doc, response);
                let Some(codes) = response.get("x-zoom-error-codes") else {
                    continue;
                };
                let at = child_pointer(
                    &child_pointer(&child_pointer(&op_ref.pointer, "responses"), status),
                    "x-zoom-error-codes",
                );
                let bad = || Error::Invalid {
                    location: src.locate(&at),
                    message:
                        "x-zoom-error-codes must be a list of {code: integer, message: string}"
                            .into(),
                };
                let Some(status) = self::status(status) else {
                    continue;
                };
                for entry in codes.as_array().ok_or_else(bad)? {
                    let code = entry.get("code").and_then(Value::as_i64).ok_or_else(bad)?;
                    let message = entry
                        .get("message")
                        .and_then(Value::as_str)
                        .ok_or_else(bad)?;
                    error_codes.push(ErrorCode {
                        status,
                        code,
                        message: message.to_string(),
                    });
                }
            }
        }
        let paginated = walk::effective_parameters(doc, &op_ref)
            .iter()
            .any(|(p, _)| {
                p.get("in").and_then(Value::as_str) == Some("query")
                    && p.get("name").and_then(Value::as_str) == Some("next_page_token")
            });
        out.push(OperationMeta {
            method_name: snake_ident(&id),
            operation_id: id,
            method: op_ref.method,
            path: op_ref.path.clone(),
            pointer: op_ref.pointer.clone(),
            tags: string_list(op.get("tags")),
            summary: op.get("summary").and_then(Value::as_str).map(str::to_owned),
            scopes: ext_list("x-zoom-scopes")?,
            granular_scopes: ext_list("x-zoom-granular-scopes")?,
            rate_limit,
            prerequisites: ext_list("x-zoom-prerequisites")?,
            error_codes,
            paginated,
            unmodeled_success_statuses: Vec::new(),
            multipart: false,
        });
    }
    out.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    Ok(out)
}

// ---------------------------------------------------------------------------
// Document-level passes.

/// Drops what OpenAPI 3.0 has no place for (webhooks, `jsonSchemaDialect`,
/// `components/pathItems`, `info.summary`, `license.identifier`); none of it
/// is used by a client.
pub fn strip_31_only_keys(doc: &mut Value) {
    if let Some(root) = doc.as_object_mut() {
        root.shift_remove("webhooks");
        root.shift_remove("jsonSchemaDialect");
        if let Some(Value::Object(c)) = root.get_mut("components") {
            c.shift_remove("pathItems");
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.shift_remove("summary");
            if let Some(Value::Object(l)) = info.get_mut("license") {
                l.shift_remove("identifier");
            }
        }
    }
}

/// Replaces schema `$ref`s that do not point at a whole component schema
/// (`#/components/schemas/A/properties/b`, `#/paths/...`) with a copy of
/// their target: typify resolves references by component name only.
pub fn inline_deep_schema_refs(doc: &mut Value) {
    let snapshot = doc.clone();
    walk::for_each_schema_mut(doc, &mut |schema, _| {
        for _ in 0..8 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                return;
            };
            let whole = r
                .strip_prefix(SCHEMA_REF_PREFIX)
                .is_some_and(|name| !name.contains('/'));
            if whole {
                return;
            }
            let Some(target) = walk::resolve_ref(&snapshot, r).cloned() else {
                return;
            };
            let mut replacement = target;
            if let (Value::Object(rep), Value::Object(site)) = (&mut replacement, &*schema) {
                for (k, v) in site {
                    if k != "$ref" {
                        rep.insert(k.clone(), v.clone());
                    }
                }
            }
            *schema = replacement;
        }
    });
}

/// Marks every path parameter `required: true`. OpenAPI requires it and
/// progenitor asserts it; specs written by hand often forget.
pub fn lower_path_parameters_required(doc: &mut Value) {
    walk::for_each_parameter_mut(doc, &mut |p, _| {
        if p.get("in").and_then(Value::as_str) == Some("path") {
            p["required"] = Value::Bool(true);
        }
    });
}

/// Replaces `$ref`ed responses and request bodies of operations by copies,
/// so the later per-operation rewrites never touch a shared component.
pub fn inline_operation_responses(doc: &mut Value) {
    let snapshot = doc.clone();
    for op_ref in walk::operations(&snapshot) {
        let Some(op) = doc.pointer_mut(&op_ref.pointer) else {
            continue;
        };
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for r in responses.values_mut() {
                if r.get("$ref").is_some() {
                    *r = walk::deref(&snapshot, r).clone();
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody")
            && body.get("$ref").is_some()
        {
            *body = walk::deref(&snapshot, body).clone();
        }
    }
}

fn for_each_operation_mut(
    doc: &mut Value,
    f: &mut dyn FnMut(&mut Map<String, Value>, &walk::OperationRef),
) {
    for op_ref in walk::operations(doc) {
        if let Some(Value::Object(op)) = doc.pointer_mut(&op_ref.pointer) {
            f(op, &op_ref);
        }
    }
}

/// JSON responses without a schema become `{}` (progenitor hits a `todo!`
/// otherwise; `{}` decodes to `serde_json::Value`, losing nothing), and
/// media-type `encoding` is dropped (progenitor asserts it is empty; it only
/// matters for multipart, which we emit ourselves).
pub fn lower_response_media(doc: &mut Value) {
    for_each_operation_mut(doc, &mut |op, _| {
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for r in responses.values_mut() {
                if let Some(Value::Object(content)) = r.get_mut("content") {
                    for (media, mt) in content.iter_mut() {
                        if let Value::Object(mt) = mt {
                            mt.shift_remove("encoding");
                            if is_json_media(media) && !mt.contains_key("schema") {
                                mt.insert("schema".into(), json!({}));
                            }
                        }
                    }
                }
            }
        }
        if let Some(Value::Object(content)) =
            op.get_mut("requestBody").and_then(|b| b.get_mut("content"))
        {
            for (media, mt) in content.iter_mut() {
                if supported_request_media(media) != Some(RequestMedia::Multipart)
                    && let Value::Object(mt) = mt
                {
                    mt.shift_remove("encoding");
                }
            }
        }
    });
}

/// Keeps one request media type per operation, the first supported one in
/// preference order JSON, form, octet-stream, text (progenitor has a `todo!`
/// for several). Multipart-only bodies were taken out before.
pub fn lower_request_media(doc: &mut Value, notes: &mut Vec<Note>) {
    for_each_operation_mut(doc, &mut |op, op_ref| {
        let Some(Value::Object(content)) =
            op.get_mut("requestBody").and_then(|b| b.get_mut("content"))
        else {
            return;
        };
        let best = content
            .keys()
            .filter_map(|m| supported_request_media(m).map(|k| (k, m.clone())))
            .filter(|(k, _)| *k != RequestMedia::Multipart)
            .min();
        let Some((_, keep)) = best else {
            return;
        };
        let dropped: Vec<String> = content.keys().filter(|m| **m != keep).cloned().collect();
        if !dropped.is_empty() {
            content.retain(|m, _| *m == keep);
            note(
                notes,
                &op_ref.pointer,
                format!(
                    "request body sent as {keep}; also documented: {}",
                    dropped.join(", ")
                ),
            );
        }
    });
}

/// Takes `multipart/form-data` request bodies away from the engine, which
/// rejects them. When another supported media type exists the multipart one
/// is simply dropped; when it is the only one, the body is removed and the
/// operation recorded, to be removed from the engine's view later (once its
/// responses are lowered) and emitted by [`crate::emit`] with
/// `reqwest::multipart` (the client crate needs reqwest's `multipart`
/// feature).
pub fn lower_multipart_bodies(doc: &mut Value, notes: &mut Vec<Note>) -> Vec<MultipartOperation> {
    let snapshot = doc.clone();
    let mut out = Vec::new();
    for op_ref in walk::operations(&snapshot) {
        let op = &snapshot
            .pointer(&op_ref.pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let Some(content) = op
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let Some((multipart_media, mt)) = content
            .iter()
            .find(|(m, _)| supported_request_media(m) == Some(RequestMedia::Multipart))
        else {
            continue;
        };
        let others = content
            .keys()
            .any(|m| supported_request_media(m).is_some_and(|k| k != RequestMedia::Multipart));
        let body_ptr = child_pointer(&op_ref.pointer, "requestBody");
        if others {
            if let Some(Value::Object(c)) = doc.pointer_mut(&child_pointer(&body_ptr, "content")) {
                c.shift_remove(multipart_media);
            }
            note(
                notes,
                &op_ref.pointer,
                "multipart/form-data alternative not generated; another media type is used",
            );
            continue;
        }
        let schema = walk::deref(&snapshot, mt.get("schema").unwrap_or(&Value::Null));
        let required = string_list(schema.get("required"));
        let fields = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(name, prop)| {
                        let prop = walk::deref(&snapshot, prop);
                        MultipartField {
                            name: name.clone(),
                            ident: snake_ident(name),
                            required: required.contains(name),
                            kind: field_kind(&snapshot, prop),
                            description: prop
                                .get("description")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let params = walk::effective_parameters(&snapshot, &op_ref)
            .into_iter()
            .filter_map(|(p, _)| {
                let name = p.get("name")?.as_str()?.to_string();
                let location = match p.get("in")?.as_str()? {
                    "path" => ParamLocation::Path,
                    "query" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    _ => return None,
                };
                Some(PlainParam {
                    ident: snake_ident(&name),
                    api_name: name,
                    required: location == ParamLocation::Path
                        || p.get("required").and_then(Value::as_bool) == Some(true),
                    location,
                    description: p
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
            })
            .collect();
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        if let Some(Value::Object(op)) = doc.pointer_mut(&op_ref.pointer) {
            op.shift_remove("requestBody");
        }
        out.push(MultipartOperation {
            method_name: snake_ident(&id),
            builder_name: crate::naming::progenitor_pascal(&id),
            operation_id: id,
            method: op_ref.method,
            path: op_ref.path.clone(),
            tags: string_list(op.get("tags")),
            doc: String::new(),
            params,
            fields,
            success: Vec::new(),
            errors: Vec::new(),
        });
    }
    out
}

fn field_kind(doc: &Value, prop: &Value) -> FieldKind {
    let prop = walk::deref(doc, prop);
    let is = |t: &str| match prop.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x == t),
        _ => false,
    };
    let binary = prop.get("format").and_then(Value::as_str) == Some("binary")
        || prop.get("contentMediaType").is_some()
        || prop.get("contentEncoding").and_then(Value::as_str) == Some("binary");
    let files = is("array")
        && prop
            .get("items")
            .is_some_and(|i| field_kind(doc, i) == FieldKind::Binary);
    if (is("string") && binary) || files {
        FieldKind::Binary
    } else if is("object") || is("array") || prop.get("properties").is_some() {
        FieldKind::Json
    } else {
        FieldKind::Text
    }
}

// ---------------------------------------------------------------------------
// Schema-level passes (every schema node, subschemas first).

/// Runs the per-schema lowerings on every schema node, subschemas first.
pub fn lower_schemas(doc: &mut Value, notes: &mut Vec<Note>) {
    walk::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object_mut() else {
            // `true` / `false` schemas: 3.0 has neither; `{}` is "anything".
            *schema = json!({});
            return;
        };
        lower_nullable_types(map);
        lower_null_alternatives(map);
        lower_exclusive_bounds(map);
        lower_const(map);
        lower_enum_values(map, pointer, notes);
        lower_non_string_enums(map);
        lower_examples(map);
        lower_closed_objects(map);
        lower_defaults(map);
        lower_string_constraints(map);
        lower_31_keywords(map);
        lower_titles(map);
        lower_ref_siblings(map);
    });
}

/// `type: [X, "null"]` -> `type: X, nullable: true`; `type: "null"` (or
/// `["null"]`) -> the engine's spelling of "only null" (`enum: [null]`);
/// several non-null types -> no `type` (any JSON value), since 3.0 cannot
/// say "string or integer".
pub fn lower_nullable_types(map: &mut Map<String, Value>) {
    let Some(ty) = map.get("type") else {
        return;
    };
    let (types, mut nullable) = match ty {
        Value::String(t) if t == "null" => (vec![], true),
        Value::String(_) => return,
        Value::Array(a) => {
            let nullable = a.iter().any(|t| t == "null");
            let types: Vec<String> = a
                .iter()
                .filter(|t| *t != "null")
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            (types, nullable)
        }
        _ => return,
    };
    if map.get("nullable") == Some(&Value::Bool(true)) {
        nullable = true;
    }
    match types.as_slice() {
        [] => {
            map.shift_remove("type");
            map.insert("enum".into(), json!([null]));
            map.shift_remove("nullable");
            return;
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        _ => {
            map.shift_remove("type");
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
        // 3.0 admits null through `nullable`, not through `enum`.
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("enum") == Some(&json!([null]))
        && v.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| k == "enum" || k == "nullable" || k == "description")
        })
        || v.get("type") == Some(&json!("null"))
}

/// `oneOf`/`anyOf: [X, {type: null}]` -> `X` made `nullable` (the 3.1 way of
/// writing an optional reference); with several non-null members the null
/// one is removed and the union marked `nullable`.
pub fn lower_null_alternatives(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_schema(m));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".into(), Value::Bool(true));
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if members.len() == 1 {
            let member = members[0].clone();
            map.shift_remove(key);
            match member {
                Value::Object(m) if m.contains_key("$ref") => {
                    map.insert("allOf".into(), Value::Array(vec![Value::Object(m)]));
                }
                Value::Object(m) => {
                    for (k, v) in m {
                        if !(k == "description" && map.contains_key("description")) {
                            map.insert(k, v);
                        }
                    }
                    map.insert("nullable".into(), Value::Bool(true));
                }
                _ => {}
            }
        } else if members.is_empty() {
            map.shift_remove(key);
            map.insert("enum".into(), json!([null]));
            map.shift_remove("nullable");
        }
    }
}

/// Numeric `exclusiveMinimum: n` (3.1) -> `minimum: n` + `exclusiveMinimum:
/// true` (3.0), keeping the tighter bound when both are given. Bounds of an
/// integer schema are made integral (openapiv3 reads them as `i64`).
pub fn lower_exclusive_bounds(map: &mut Map<String, Value>) {
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for (bound, exclusive, lower_bound) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        let excl = match map.get(exclusive) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::Bool(_)) | None => None,
            Some(_) => {
                map.shift_remove(exclusive);
                None
            }
        };
        if let Some(e) = excl {
            map.shift_remove(exclusive);
            let inclusive = map.get(bound).and_then(Value::as_f64);
            let inclusive_is_tighter = match inclusive {
                Some(i) if lower_bound => i > e,
                Some(i) => i < e,
                None => false,
            };
            if !inclusive_is_tighter {
                if integer {
                    // x > 4.5 over integers is x >= 5; x > 4 is x >= 5.
                    let i = if lower_bound {
                        (e + 1.0).floor()
                    } else {
                        (e - 1.0).ceil()
                    };
                    map.insert(bound.into(), json!(i as i64));
                } else {
                    map.insert(bound.into(), number(e));
                    map.insert(exclusive.into(), Value::Bool(true));
                }
            }
        }
        if integer && let Some(v) = map.get(bound).and_then(Value::as_f64) {
            let i = if lower_bound { v.ceil() } else { v.floor() };
            map.insert(bound.into(), json!(i as i64));
        }
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        json!(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `const: v` -> `enum: [v]` (3.0 has no `const`).
pub fn lower_const(map: &mut Map<String, Value>) {
    if let Some(v) = map.shift_remove("const")
        && !map.contains_key("enum")
    {
        map.insert("enum".into(), Value::Array(vec![v]));
    }
}

/// Makes `enum` fit the schema type as openapiv3 reads it: values of a
/// string enum become strings, duplicates go, and an enum whose values
/// cannot be of the declared type is dropped (documented instead).
pub fn lower_enum_values(map: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    let ty = map.get("type").and_then(Value::as_str).map(str::to_owned);
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let mut seen = BTreeSet::new();
    values.retain(|v| seen.insert(v.to_string()));
    let ok = match ty.as_deref() {
        Some("string") => {
            for v in values.iter_mut() {
                match v {
                    Value::Number(n) => *v = Value::String(n.to_string()),
                    Value::Bool(b) => *v = Value::String(b.to_string()),
                    _ => {}
                }
            }
            values.iter().all(|v| v.is_string() || v.is_null())
        }
        Some("integer") => values
            .iter()
            .all(|v| v.is_i64() || v.is_u64() || v.is_null()),
        Some("number") => values.iter().all(|v| v.is_number() || v.is_null()),
        Some("boolean") => values.iter().all(|v| v.is_boolean() || v.is_null()),
        _ => true,
    };
    if !ok || values.is_empty() {
        let listed = values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        map.shift_remove("enum");
        if !listed.is_empty() {
            append_description(map, &format!("Allowed values: {listed}."));
            note(
                notes,
                pointer,
                "enum values do not match the schema type; kept as documentation",
            );
        }
    }
}

fn append_description(map: &mut Map<String, Value>, text: &str) {
    let desc = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{text}", d.trim_end()),
        _ => text.to_string(),
    };
    map.insert("description".into(), Value::String(desc));
}

/// `examples: [a, ...]` -> `example: a` (3.0 allows one).
pub fn lower_examples(map: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = map.shift_remove("examples")
        && !examples.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".into(), examples.swap_remove(0));
    }
}

/// Removes `additionalProperties: false`: typify turns it into
/// `#[serde(deny_unknown_fields)]`, and a field Zoom adds tomorrow would
/// then fail every decode. Unknown fields are ignored instead.
pub fn lower_closed_objects(map: &mut Map<String, Value>) {
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        map.shift_remove("additionalProperties");
    }
    if map.get("additionalProperties") == Some(&Value::Bool(true)) {
        map.shift_remove("additionalProperties");
    }
}

/// Moves the `enum` of integer, number and boolean schemas into the docs.
///
/// typify makes a validating newtype of such a schema that rejects any value
/// outside the list on decode, so one value Zoom adds to a code list
/// (`selected_option: 5`) would fail the whole response. Those values are
/// codes whose meaning is in the description anyway; the field becomes the
/// plain number, which keeps whatever the server sends.
pub fn lower_non_string_enums(map: &mut Map<String, Value>) {
    let is_scalar = matches!(
        map.get("type").and_then(Value::as_str),
        Some("integer" | "number" | "boolean")
    );
    if !is_scalar {
        return;
    }
    if let Some(Value::Array(values)) = map.shift_remove("enum") {
        let listed: Vec<String> = values.iter().map(Value::to_string).collect();
        append_description(map, &format!("Possible values: {}.", listed.join(", ")));
    }
}

/// Moves every `default` into the description.
///
/// typify turns a property with a default into a non-optional field filled
/// with the default when the value is absent, so a response would claim the
/// server sent a value it did not (and a request would always send it,
/// overriding what the server would decide). A `default` documents what the
/// *server* assumes; the client keeps the field optional and says so.
pub fn lower_defaults(map: &mut Map<String, Value>) {
    let Some(default) = map.shift_remove("default") else {
        return;
    };
    if !default.is_null() && default != json!("") {
        append_description(map, &format!("Default: `{default}`."));
    }
}

/// Moves `minLength`/`maxLength`/`pattern` of strings into the description.
/// typify turns a constrained string into a newtype that *rejects* values
/// outside the constraint on deserialization, so one over-long name in a
/// response would fail the whole call; it also names that newtype itself.
/// The server validates requests anyway; the docs keep the rule.
pub fn lower_string_constraints(map: &mut Map<String, Value>) {
    let mut rules = Vec::new();
    for (key, label) in [
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("pattern", "pattern"),
    ] {
        if let Some(v) = map.shift_remove(key) {
            let shown = match &v {
                Value::String(s) => format!("`{s}`"),
                other => other.to_string(),
            };
            rules.push(format!("{label} {shown}"));
        }
    }
    if !rules.is_empty() {
        append_description(map, &format!("Constraints: {}.", rules.join(", ")));
    }
}

/// Drops JSON Schema keywords 3.0 does not have and the client does not
/// need (`$id`, `$defs`, `prefixItems`, `if`/`then`/`else`, ...).
pub fn lower_31_keywords(map: &mut Map<String, Value>) {
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "$defs",
        "definitions",
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "if",
        "then",
        "else",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedItems",
        "unevaluatedProperties",
        "propertyNames",
        "patternProperties",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    ] {
        map.shift_remove(key);
    }
    if let Some(Value::Array(_)) = map.get("items") {
        map.shift_remove("items");
    }
}

/// Drops `title`: typify names an inline type after its title and silently
/// reuses the first type of a name for every later schema with that title.
/// Names are given by [`hoist_inline_schemas`] instead.
pub fn lower_titles(map: &mut Map<String, Value>) {
    if map.get("title").is_some_and(Value::is_string) {
        map.shift_remove("title");
    }
}

/// `$ref` with siblings: 3.0 readers (openapiv3) ignore the siblings, which
/// would drop the description from the docs and `nullable` from the type.
/// The reference moves into a one-member `allOf` (typify treats it as the
/// referenced type itself) and the siblings stay beside it.
pub fn lower_ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    let reference = map.shift_remove("$ref").unwrap_or_default();
    let meaningful = map.iter().any(|(k, _)| {
        !k.starts_with("x-")
            && (k == "description" || k == "nullable" || !ANNOTATIONS.contains(&k.as_str()))
    });
    if !meaningful {
        map.clear();
        map.insert("$ref".into(), reference);
        return;
    }
    map.insert("allOf".into(), json!([{ "$ref": reference }]));
}

// ---------------------------------------------------------------------------
// oneOf of all-optional objects.

/// Merges a `oneOf` whose alternatives are all objects without required
/// properties into ONE object with the union of their properties, all
/// optional (same-named object properties merged recursively).
///
/// Why: typify makes such a `oneOf` an untagged enum. Every alternative
/// accepts every input (nothing is required, unknown fields are ignored), so
/// serde always picks the first variant, silently dropping the fields that
/// only later alternatives declare, and re-serializing loses them for good.
/// The union struct decodes every alternative without loss. Other `oneOf`s
/// (tagged, or with required fields that tell alternatives apart) are left
/// to typify.
pub fn merge_all_optional_one_of(doc: &mut Value, notes: &mut Vec<Note>) {
    let snapshot = doc.clone();
    walk::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        let Some(Value::Array(members)) = map.get("oneOf") else {
            return;
        };
        if members.len() < 2 {
            return;
        }
        let resolved: Vec<&Value> = members.iter().map(|m| walk::deref(&snapshot, m)).collect();
        if !resolved.iter().all(|m| is_all_optional_object(m)) {
            return;
        }
        let names: Vec<String> = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                m.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("alternative {}", i + 1))
            })
            .collect();
        let mut merged = Map::new();
        if let Some(Value::Object(own)) = map.get("properties") {
            merged = own.clone();
        }
        for m in &resolved {
            if let Some(Value::Object(props)) = m.get("properties") {
                merge_properties(&snapshot, &mut merged, props);
            }
        }
        map.shift_remove("oneOf");
        map.shift_remove("discriminator");
        map.shift_remove("required");
        map.insert("type".into(), json!("object"));
        map.insert("properties".into(), Value::Object(merged));
        append_description(
            map,
            &format!(
                "One of several all-optional shapes ({}), merged into one type so no field is lost.",
                names.join(", ")
            ),
        );
        note(
            notes,
            pointer,
            format!("oneOf of all-optional objects merged: {}", names.join(", ")),
        );
    });
}

fn is_all_optional_object(m: &Value) -> bool {
    let Some(map) = m.as_object() else {
        return false;
    };
    let objecty = map.get("type") == Some(&json!("object")) || map.contains_key("properties");
    let required = map
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty());
    let composite = ["oneOf", "anyOf", "allOf", "not", "discriminator"]
        .iter()
        .any(|k| map.contains_key(*k));
    objecty && !required && !composite && map.get("enum").is_none()
}

fn merge_properties(doc: &Value, into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (name, prop) in from {
        let Some(existing) = into.get(name).cloned() else {
            into.insert(name.clone(), prop.clone());
            continue;
        };
        let a = walk::deref(doc, &existing);
        let b = walk::deref(doc, prop);
        if structural_key(a) == structural_key(b) {
            continue;
        }
        let merged = merge_schemas(doc, a, b);
        into.insert(name.clone(), merged);
    }
}

/// Two schemas for one property: objects merge (required = intersection),
/// arrays merge their items, anything else widens to "any JSON".
fn merge_schemas(doc: &Value, a: &Value, b: &Value) -> Value {
    let objecty =
        |v: &Value| v.get("properties").is_some() || v.get("type") == Some(&json!("object"));
    if objecty(a) && objecty(b) {
        let mut out = a.as_object().cloned().unwrap_or_default();
        let mut props = a
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(Value::Object(bp)) = b.get("properties") {
            merge_properties(doc, &mut props, bp);
        }
        let ra = string_list(a.get("required"));
        let rb = string_list(b.get("required"));
        let required: Vec<Value> = ra
            .iter()
            .filter(|r| rb.contains(r))
            .map(|r| Value::String(r.clone()))
            .collect();
        out.insert("type".into(), json!("object"));
        out.insert("properties".into(), Value::Object(props));
        if required.is_empty() {
            out.shift_remove("required");
        } else {
            out.insert("required".into(), Value::Array(required));
        }
        return Value::Object(out);
    }
    let arrayish = |v: &Value| v.get("type") == Some(&json!("array"));
    if arrayish(a) && arrayish(b) {
        let items = merge_schemas(
            doc,
            walk::deref(doc, a.get("items").unwrap_or(&json!({}))),
            walk::deref(doc, b.get("items").unwrap_or(&json!({}))),
        );
        let mut out = a.as_object().cloned().unwrap_or_default();
        out.insert("items".into(), items);
        return Value::Object(out);
    }
    let mut out = Map::new();
    if let Some(d) = a.get("description").or_else(|| b.get("description")) {
        out.insert("description".into(), d.clone());
    }
    Value::Object(out)
}

// ---------------------------------------------------------------------------
// Responses.

#[derive(Debug, Clone, PartialEq, Eq)]
enum BodyKind {
    None,
    Raw,
    Json(String),
}

fn response_kind(r: &Value) -> BodyKind {
    let Some(content) = r.get("content").and_then(Value::as_object) else {
        return BodyKind::None;
    };
    if let Some((_, mt)) = content.iter().find(|(m, _)| is_json_media(m)) {
        return BodyKind::Json(structural_key(mt.get("schema").unwrap_or(&json!({}))));
    }
    if content.is_empty() {
        BodyKind::None
    } else {
        BodyKind::Raw
    }
}

fn describe_kind(r: &Value) -> String {
    match response_kind(r) {
        BodyKind::None => "no body".into(),
        BodyKind::Raw => "non-JSON body".into(),
        BodyKind::Json(_) => match r
            .pointer("/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
        {
            Some(reference) => format!("JSON `{}`", reference.rsplit('/').next().unwrap_or("")),
            None => "a different JSON body".into(),
        },
    }
}

/// One success type per operation (progenitor asserts at most one): the
/// lowest 2xx status with a JSON body sets it (else the lowest with any
/// body, else the lowest); other 2xx statuses with the same body stay, the
/// rest are removed and listed in the method docs and in
/// [`OperationMeta::unmodeled_success_statuses`] (at run time they arrive as
/// `Error::UnexpectedResponse` with the response intact). `1XX` statuses
/// are dropped (progenitor would expect a protocol upgrade). A `default`
/// response beside explicit successes is an error catch-all: it becomes
/// `4XX`/`5XX` so it does not compete with the success type.
pub fn lower_success_responses(
    doc: &mut Value,
    operations: &mut [OperationMeta],
    notes: &mut Vec<Note>,
) {
    for_each_operation_mut(doc, &mut |op, op_ref| {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
        responses.retain(|status, _| status_class(status) != Some(1));
        let successes: Vec<(String, BodyKind)> = responses
            .iter()
            .filter(|(s, _)| status_class(s) == Some(2))
            .map(|(s, r)| (s.clone(), response_kind(r)))
            .collect();
        if !successes.is_empty()
            && let Some(default) = responses.shift_remove("default")
        {
            for class in ["4XX", "5XX"] {
                if !responses.contains_key(class) {
                    responses.insert(class.into(), default.clone());
                }
            }
        }
        let mut sorted = successes.clone();
        sorted.sort_by_key(|(s, _)| status(s));
        let primary = sorted
            .iter()
            .find(|(_, k)| matches!(k, BodyKind::Json(_)))
            .or_else(|| sorted.iter().find(|(_, k)| *k == BodyKind::Raw))
            .or_else(|| sorted.first())
            .map(|(_, k)| k.clone());
        let Some(primary) = primary else {
            return;
        };
        let mut dropped = Vec::new();
        for (status, kind) in &sorted {
            if *kind != primary {
                let desc = describe_kind(&responses[status]);
                dropped.push((status.clone(), desc));
            }
        }
        if dropped.is_empty() {
            return;
        }
        let mut section = String::from(
            "### Responses not modeled\n\nThe method decodes one success body; the spec also documents:\n\n",
        );
        for (status, desc) in &dropped {
            responses.shift_remove(status);
            section.push_str(&format!(
                "- `{status}` ({desc}): returned as `Error::UnexpectedResponse` with the response intact.\n"
            ));
            note(
                notes,
                &op_ref.pointer,
                format!(
                    "success status {status} ({desc}) not modeled; the method's success type comes from another status"
                ),
            );
        }
        let description = op
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end()
            .to_string();
        let joined = if description.is_empty() {
            section
        } else {
            format!("{description}\n\n{section}")
        };
        op.insert("description".into(), Value::String(joined));
        if let Some(meta) = operations.iter_mut().find(|m| m.operation_id == id) {
            meta.unmodeled_success_statuses =
                dropped.iter().filter_map(|(s, _)| status(s)).collect();
        }
    });
}

/// One error type per operation (progenitor asserts at most one), never
/// `()`: error statuses without a JSON body get the shared error schema
/// (`Settings::with_error_schema`) when the spec has it, else
/// `serde_json::Value`; when the error bodies of one operation differ they
/// are all widened to `serde_json::Value`.
///
/// With a shared error schema, every operation also gets `4XX` and `5XX`
/// answers of that schema (unless it declares them or a `default`): an API
/// whose errors all share one body answers undocumented statuses with it
/// too, and without a range the engine hands them over undecoded
/// (`Error::UnexpectedResponse`), losing the API's code and message.
pub fn lower_error_responses(doc: &mut Value, error_schema: Option<&str>, notes: &mut Vec<Note>) {
    let shared = error_schema.filter(|name| {
        doc.pointer(&child_pointer("/components/schemas", name)).is_some()
    });
    let fallback = match shared {
        Some(name) => json!({ "$ref": format!("{SCHEMA_REF_PREFIX}{name}") }),
        None => json!({}),
    };
    for_each_operation_mut(doc, &mut |op, op_ref| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
        if shared.is_some() && !responses.contains_key("default") {
            for (range, what) in [("4XX", "client"), ("5XX", "server")] {
                if !responses.contains_key(range) {
                    responses.insert(
                        range.into(),
                        json!({
                            "description": format!("Any other {what} error, with the API's error body."),
                            "content": { "application/json": { "schema": fallback.clone() } }
                        }),
                    );
                }
            }
        }
        let has_success = responses.keys().any(|s| status_class(s) == Some(2));
        let is_error =
            |s: &str| matches!(status_class(s), Some(4 | 5)) || (s == "default" && !has_success);
        for (status, r) in responses.iter_mut() {
            if !is_error(status) {
                continue;
            }
            let kind = response_kind(r);
            if !matches!(kind, BodyKind::Json(_)) {
                let Some(obj) = r.as_object_mut() else {
                    continue;
                };
                obj.insert(
                    "content".into(),
                    json!({ "application/json": { "schema": fallback.clone() } }),
                );
                if !obj.contains_key("description") {
                    obj.insert("description".into(), json!(""));
                }
            }
        }
        let kinds: BTreeSet<String> = responses
            .iter()
            .filter(|(s, _)| is_error(s))
            .filter_map(|(_, r)| match response_kind(r) {
                BodyKind::Json(k) => Some(k),
                _ => None,
            })
            .collect();
        if kinds.len() > 1 {
            for (status, r) in responses.iter_mut() {
                if is_error(status) {
                    r["content"] = json!({ "application/json": { "schema": {} } });
                }
            }
            note(
                notes,
                &op_ref.pointer,
                "error responses have different bodies; all decode to serde_json::Value",
            );
        }
    });
}

// ---------------------------------------------------------------------------
// Type names.

/// The shape key of "the same Rust type" (see [`Shape::RustType`]).
pub fn structural_key(v: &Value) -> String {
    walk::shape_key(v, Shape::RustType)
}

/// Renames component schemas whose Rust names collide (`user_info` and
/// `UserInfo` are both `UserInfo` to typify, which would keep only the first)
/// and rewrites every `$ref` to them.
pub fn rename_colliding_components(doc: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for name in schemas.keys() {
        let rust = pascal_ident(name);
        if taken.insert(rust.clone()) {
            continue;
        }
        let mut n = 2;
        while taken.contains(&format!("{rust}{n}")) || schemas.contains_key(&format!("{rust}{n}")) {
            n += 1;
        }
        let new = format!("{rust}{n}");
        taken.insert(new.clone());
        renames.push((name.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (k, v) in old {
            let key = renames
                .iter()
                .find(|(o, _)| *o == k)
                .map_or(k, |(_, n)| n.clone());
            schemas.insert(key, v);
        }
    }
    let map: HashMap<String, String> = renames
        .iter()
        .map(|(o, n)| {
            (
                format!("{SCHEMA_REF_PREFIX}{o}"),
                format!("{SCHEMA_REF_PREFIX}{n}"),
            )
        })
        .collect();
    walk::rewrite_refs(doc, &mut |r| map.get(r).cloned());
    for (old, new) in renames {
        note(
            notes,
            &child_pointer("/components/schemas", &old),
            format!(
                "component {old:?} renamed to {new:?}: its Rust name collides with another component"
            ),
        );
    }
}

struct Hoister {
    /// Rust name -> structural key of the schema it stands for.
    taken: HashMap<String, String>,
    new_components: Vec<(String, Value)>,
    records: Vec<HoistedSchema>,
}

/// Whether typify would make a named type of this (inline) schema.
fn is_named_type(map: &Map<String, Value>) -> bool {
    let non_empty = |k: &str| match map.get(k) {
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Array(a)) => a.len() > 1 || (k == "enum" && !a.is_empty()),
        _ => false,
    };
    let only_null = map.get("enum") == Some(&json!([null])) && !map.contains_key("properties");
    let shaped = ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| non_empty(k));
    shaped && !only_null
}

/// Keys that describe a *use* of a type rather than the type; they stay at
/// the use site when the schema is hoisted.
const SITE_KEYS: [&str; 6] = [
    "nullable",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
];

impl Hoister {
    /// Hoists inside `node` (named `name`), then `node` itself when
    /// `hoist_self` and typify would name it.
    fn visit(&mut self, node: &mut Value, name: &str, pointer: &str, hoist_self: bool) {
        let Value::Object(map) = node else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            let base = child_pointer(pointer, "properties");
            for (prop, sub) in props.iter_mut() {
                let child = format!("{name}{}", pascal_ident(prop).trim_end_matches('_'));
                self.visit(sub, &child, &child_pointer(&base, prop), true);
            }
        }
        if let Some(items) = map.get_mut("items") {
            self.visit(
                items,
                &format!("{name}Item"),
                &child_pointer(pointer, "items"),
                true,
            );
        }
        if let Some(additional) = map.get_mut("additionalProperties") {
            self.visit(
                additional,
                &format!("{name}Value"),
                &child_pointer(pointer, "additionalProperties"),
                true,
            );
        }
        // allOf members merge into this type: their insides are named as if
        // they were written here, and they are not types of their own.
        if let Some(Value::Array(members)) = map.get_mut("allOf") {
            let single = members.len() == 1;
            let base = child_pointer(pointer, "allOf");
            for (i, m) in members.iter_mut().enumerate() {
                let hoist_member = single && hoist_self;
                self.visit(m, name, &format!("{base}/{i}"), hoist_member);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                let base = child_pointer(pointer, key);
                for (i, m) in members.iter_mut().enumerate() {
                    let child = format!("{name}Variant{}", i + 1);
                    self.visit(m, &child, &format!("{base}/{i}"), true);
                }
            }
        }
        if let Some(not) = map.get_mut("not") {
            self.visit(
                not,
                &format!("{name}Not"),
                &child_pointer(pointer, "not"),
                false,
            );
        }
        if !hoist_self || !is_named_type(map) {
            return;
        }
        // Split: the type goes to components, use-site keys stay here.
        let mut component = std::mem::take(map);
        let mut site = Map::new();
        for key in SITE_KEYS {
            if let Some(v) = component.shift_remove(key) {
                site.insert(key.to_string(), v);
            }
        }
        if let Some(d) = component.get("description") {
            site.insert("description".into(), d.clone());
        }
        let component = Value::Object(component);
        let structure = structural_key(&component);
        let type_name = self.claim(&pascal_ident(name), &structure, component);
        self.records.push(HoistedSchema {
            pointer: pointer.to_string(),
            type_name: type_name.clone(),
            structure,
        });
        let reference = json!({ "$ref": format!("{SCHEMA_REF_PREFIX}{type_name}") });
        if site.is_empty() {
            *node = reference;
        } else {
            site.insert("allOf".into(), json!([reference]));
            let mut ordered = Map::new();
            ordered.insert(
                "allOf".into(),
                site.shift_remove("allOf").unwrap_or_default(),
            );
            ordered.extend(site);
            *node = Value::Object(ordered);
        }
    }

    /// The name for a schema of this structure: `wanted` when free or when
    /// it already stands for the same structure, else `wanted2`, `wanted3`...
    fn claim(&mut self, wanted: &str, structure: &str, component: Value) -> String {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                wanted.to_string()
            } else {
                format!("{wanted}{n}")
            };
            match self.taken.get(&candidate) {
                Some(existing) if existing == structure => return candidate,
                Some(_) => n += 1,
                None => {
                    self.taken.insert(candidate.clone(), structure.to_string());
                    self.new_components.push((candidate.clone(), component));
                    return candidate;
                }
            }
        }
    }
}

/// Gives every inline schema that typify would turn into a named type
/// (objects with properties, enums, unions) a component of its own, named
/// after where it sits: `{Parent}{Field}`, `{Parent}Item`,
/// `{OperationId}Response`, `{OperationId}Body`, `{OperationId}{Param}`,
/// `{OperationId}Error`, `{Parent}Variant{n}`. Structurally identical
/// schemas that want the same name share it; different shapes get a numeric
/// suffix. typify therefore never picks a name itself, and never reuses one
/// type for two different shapes (which it does silently by name).
pub fn hoist_inline_schemas(doc: &mut Value) -> Vec<HoistedSchema> {
    let mut h = Hoister {
        taken: HashMap::new(),
        new_components: Vec::new(),
        records: Vec::new(),
    };
    // Component names are claimed first. Until a component's own insides
    // are hoisted its final structure is unknown, so nothing may reuse it
    // yet: the sentinel never equals a structural key.
    const UNSETTLED: &str = "\u{0}component";
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for name in schemas.keys() {
            h.taken.insert(pascal_ident(name), UNSETTLED.to_string());
        }
    }
    if let Some(Value::Object(components)) = doc.pointer_mut("/components") {
        for kind in ["schemas", "parameters", "requestBodies", "responses"] {
            let Some(Value::Object(entries)) = components.get_mut(kind) else {
                continue;
            };
            let base = child_pointer("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let ptr = child_pointer(&base, name);
                let rust = pascal_ident(name);
                match kind {
                    "schemas" => h.visit(entry, &rust, &ptr, false),
                    "parameters" => {
                        if let Some(s) = entry.get_mut("schema") {
                            h.visit(s, &rust, &child_pointer(&ptr, "schema"), true);
                        }
                    }
                    "requestBodies" => visit_content(&mut h, entry, &format!("{rust}Body"), &ptr),
                    _ => visit_content(&mut h, entry, &rust, &ptr),
                }
            }
        }
    }
    // Now settled: later sites may reuse a component of their exact shape.
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            h.taken.insert(pascal_ident(name), structural_key(schema));
        }
    }
    for op_ref in walk::operations(doc) {
        let Some(Value::Object(op)) = doc.pointer_mut(&op_ref.pointer) else {
            continue;
        };
        let id = pascal_ident(
            op.get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            let base = child_pointer(&op_ref.pointer, "parameters");
            for (i, p) in params.iter_mut().enumerate() {
                let pname = p
                    .get("name")
                    .and_then(Value::as_str)
                    .map(pascal_ident)
                    .unwrap_or_default();
                if let Some(s) = p.get_mut("schema") {
                    let ptr = format!("{base}/{i}/schema");
                    h.visit(s, &format!("{id}{pname}"), &ptr, true);
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            visit_content(
                &mut h,
                body,
                &format!("{id}Body"),
                &child_pointer(&op_ref.pointer, "requestBody"),
            );
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let base = child_pointer(&op_ref.pointer, "responses");
            for (status, r) in responses.iter_mut() {
                let suffix = match status_class(status) {
                    Some(2) => "Response",
                    _ => "Error",
                };
                visit_content(
                    &mut h,
                    r,
                    &format!("{id}{suffix}"),
                    &child_pointer(&base, status),
                );
            }
        }
    }
    // Path-item level parameters.
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if let Some(Value::Array(params)) = item.get_mut("parameters") {
                let base = child_pointer(&child_pointer("/paths", path), "parameters");
                for (i, p) in params.iter_mut().enumerate() {
                    let pname = p
                        .get("name")
                        .and_then(Value::as_str)
                        .map(pascal_ident)
                        .unwrap_or_default();
                    if let Some(s) = p.get_mut("schema") {
                        h.visit(
                            s,
                            &format!("Path{pname}"),
                            &format!("{base}/{i}/schema"),
                            true,
                        );
                    }
                }
            }
        }
    }
    if !h.new_components.is_empty() {
        if doc.get("components").is_none() {
            doc["components"] = json!({});
        }
        if doc["components"].get("schemas").is_none() {
            doc["components"]["schemas"] = json!({});
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            for (name, schema) in h.new_components {
                schemas.insert(name, schema);
            }
            let mut entries: Vec<_> = std::mem::take(schemas).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            schemas.extend(entries);
        }
    }
    h.records
}

fn visit_content(h: &mut Hoister, holder: &mut Value, name: &str, ptr: &str) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        let base = child_pointer(ptr, "content");
        for (media, mt) in content.iter_mut() {
            if let Some(s) = mt.get_mut("schema") {
                let p = child_pointer(&child_pointer(&base, media), "schema");
                h.visit(s, name, &p, true);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Docs and multipart extraction.

/// The Markdown section appended to an operation's description: scopes,
/// granular scopes, rate-limit label, prerequisites and the documented error
/// codes per status, so the generated method docs carry them.
pub fn api_details_markdown(meta: &OperationMeta) -> String {
    let mut s = String::new();
    let list = |v: &[String]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !meta.scopes.is_empty() {
        s.push_str(&format!("- **Scopes:** {}\n", list(&meta.scopes)));
    }
    if !meta.granular_scopes.is_empty() {
        s.push_str(&format!(
            "- **Granular scopes:** {}\n",
            list(&meta.granular_scopes)
        ));
    }
    if let Some(rl) = meta.rate_limit {
        s.push_str(&format!("- **Rate limit:** `{}`\n", rl.as_str()));
    }
    if !meta.prerequisites.is_empty() {
        s.push_str("- **Prerequisites:**\n");
        for p in &meta.prerequisites {
            s.push_str(&format!("  - {}\n", p.replace('\n', " ")));
        }
    }
    let mut out = String::new();
    if !s.is_empty() {
        out.push_str("### API details\n\n");
        out.push_str(&s);
    }
    if !meta.error_codes.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("### Error codes\n\n| HTTP status | Code | Message |\n| --- | --- | --- |\n");
        for e in &meta.error_codes {
            let message = e.message.replace('|', "\\|").replace('\n', " ");
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                metadata_status(e.status),
                e.code,
                message.trim()
            ));
        }
    }
    out
}

/// A status as the metadata table writes it: the first code it stands for
/// (`400` for `4XX`), `0` for `default`.
pub fn metadata_status(status: Status) -> u16 {
    status.codes().map_or(0, |(first, _)| first)
}

/// Appends [`api_details_markdown`] to each operation's description.
pub fn lower_operation_docs(doc: &mut Value, operations: &[OperationMeta]) {
    for meta in operations {
        let section = api_details_markdown(meta);
        if section.is_empty() {
            continue;
        }
        if let Some(Value::Object(op)) = doc.pointer_mut(&meta.pointer) {
            let description = op
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim_end()
                .to_string();
            let joined = if description.is_empty() {
                section
            } else {
                format!("{description}\n\n{section}")
            };
            op.insert("description".into(), Value::String(joined));
        }
    }
}

fn body_of(r: &Value) -> ResponseBody {
    let Some(content) = r.get("content").and_then(Value::as_object) else {
        return ResponseBody::Empty;
    };
    match content.iter().find(|(m, _)| is_json_media(m)) {
        Some((_, mt)) => match mt
            .get("schema")
            .and_then(|s| s.get("$ref").or_else(|| s.pointer("/allOf/0/$ref")))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(SCHEMA_REF_PREFIX))
        {
            Some(name) => ResponseBody::Named(pascal_ident(name)),
            None => ResponseBody::Json,
        },
        None if content.is_empty() => ResponseBody::Empty,
        None => ResponseBody::Json,
    }
}

/// Completes the multipart records from their (lowered) operations, then
/// removes those operations from the engine's view.
pub fn extract_multipart_operations(doc: &mut Value, multipart: &mut [MultipartOperation]) {
    for m in multipart.iter_mut() {
        let ptr = operation_pointer(&m.path, m.method);
        let Some(op) = doc.pointer(&ptr).cloned() else {
            continue;
        };
        let mut doc_text = String::new();
        if let Some(summary) = op
            .get("summary")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            doc_text.push_str(summary.trim_end_matches(['.', ',']));
            doc_text.push_str("\n\n");
        }
        if let Some(d) = op
            .get("description")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            doc_text.push_str(d);
            doc_text.push_str("\n\n");
        }
        doc_text.push_str(&format!(
            "Sends a `{}` request to `{}` as `multipart/form-data`.\n",
            m.method.as_upper(),
            m.path
        ));
        m.doc = doc_text;
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            let mut entries: Vec<(Status, &Value)> = responses
                .iter()
                .filter_map(|(s, r)| Some((status(s)?, r)))
                .collect();
            entries.sort_by_key(|(s, _)| *s);
            for (status, r) in entries {
                if status.is_success() {
                    m.success.push((status, body_of(r)));
                } else if status.is_error() {
                    m.errors.push((status, body_of(r)));
                }
            }
        }
        if let Some(Value::Object(item)) = doc.pointer_mut(&child_pointer("/paths", &m.path)) {
            item.shift_remove(m.method.as_str());
            let has_ops = item.keys().any(|k| HttpMethod::from_path_item_key(k).is_some());
            if !has_ops && let Some(Value::Object(paths)) = doc.get_mut("paths") {
                paths.shift_remove(&m.path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn nullable_types() {
        let mut m = obj(json!({"type": ["string", "null"], "enum": ["a", null]}));
        lower_nullable_types(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
        let mut m = obj(json!({"type": "null"}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"enum": [null]}));
        let mut m = obj(json!({"type": ["null"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"enum": [null]}));
        let mut m = obj(json!({"type": ["string", "integer"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({}));
        let mut m = obj(json!({"type": ["integer", "string", "null"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"nullable": true}));
    }

    #[test]
    fn null_alternatives() {
        let mut m = obj(
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"enum": [null]}], "description": "d"}),
        );
        lower_null_alternatives(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let mut m =
            obj(json!({"anyOf": [{"type": "string", "description": "inner"}, {"type": "null"}]}));
        lower_null_alternatives(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"nullable": true, "type": "string", "description": "inner"})
        );
    }

    #[test]
    fn exclusive_bounds() {
        let mut m = obj(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1.5, "exclusiveMaximum": true})
        );
        let mut m = obj(json!({"type": "integer", "exclusiveMinimum": 0}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "integer", "minimum": 1}));
        // The inclusive bound is tighter: it wins.
        let mut m = obj(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 1}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "number", "minimum": 5}));
    }

    #[test]
    fn const_and_examples() {
        let mut m = obj(json!({"type": "string", "const": "fixed", "examples": ["a", "b"]}));
        lower_const(&mut m);
        lower_examples(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["fixed"], "example": "a"})
        );
    }

    #[test]
    fn enum_values_fit_type() {
        let mut notes = Vec::new();
        let mut m = obj(json!({"type": "string", "enum": [1, "2", "2", true]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["1", "2", "true"]})
        );
        let mut m = obj(json!({"type": "integer", "enum": ["a"]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "description": "Allowed values: \"a\"."})
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn ref_siblings_keep_description() {
        let mut m = obj(json!({"$ref": "#/components/schemas/A", "description": "why"}));
        lower_ref_siblings(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"description": "why", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let mut m = obj(json!({"$ref": "#/components/schemas/A", "examples": [1]}));
        lower_ref_siblings(&mut m);
        assert_eq!(Value::Object(m), json!({"$ref": "#/components/schemas/A"}));
    }

    #[test]
    fn string_constraints_become_docs() {
        let mut m = obj(
            json!({"type": "string", "description": "Name.", "maxLength": 64, "pattern": "^[a-z]+$"}),
        );
        lower_string_constraints(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "description": "Name.\n\nConstraints: max length 64, pattern `^[a-z]+$`."})
        );
    }

    #[test]
    fn integer_enums_become_documented_integers() {
        let mut m = obj(json!({"type": "integer", "enum": [1, 2], "description": "Kind."}));
        lower_non_string_enums(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "description": "Kind.\n\nPossible values: 1, 2."})
        );
        let mut m = obj(json!({"type": "string", "enum": ["a"]}));
        lower_non_string_enums(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "string", "enum": ["a"]}));
    }

    #[test]
    fn closed_objects_and_defaults() {
        let mut m = obj(json!({"type": "object", "additionalProperties": false}));
        lower_closed_objects(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "object"}));
        let mut m = obj(json!({"type": "string", "enum": ["a"], "default": "b"}));
        lower_defaults(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["a"], "description": "Default: `\"b\"`."})
        );
        // A fitting default moves too: absent must stay absent.
        let mut m = obj(json!({"type": "integer", "default": 3, "description": "Size."}));
        lower_defaults(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "description": "Size.\n\nDefault: `3`."})
        );
    }

    #[test]
    fn path_parameters_become_required() {
        let mut doc = json!({"paths": {"/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}]}}}});
        lower_path_parameters_required(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/get/parameters/0/required"),
            Some(&json!(true))
        );
    }

    #[test]
    fn one_of_all_optional_merges_every_field() {
        let mut doc = json!({
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"a": {"type": "string"}, "shared": {"type": "object", "properties": {"x": {"type": "integer"}}}}},
                "B": {"type": "object", "properties": {"b": {"type": "boolean"}, "shared": {"type": "object", "properties": {"y": {"type": "string"}}}}},
                "Settings": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
                "Tagged": {"oneOf": [
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
                    {"type": "object", "properties": {"other": {"type": "string"}}}
                ]}
            }}
        });
        let mut notes = Vec::new();
        merge_all_optional_one_of(&mut doc, &mut notes);
        let s = &doc["components"]["schemas"]["Settings"];
        assert_eq!(s["type"], "object");
        let props: Vec<_> = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(props, vec!["a", "shared", "b"]);
        let shared: Vec<_> = s["properties"]["shared"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(shared, vec!["x", "y"]);
        assert!(s.get("oneOf").is_none());
        // A oneOf whose alternatives can be told apart is left alone.
        assert!(
            doc["components"]["schemas"]["Tagged"]
                .get("oneOf")
                .is_some()
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn conflicting_merged_property_widens_to_any() {
        let doc = json!({});
        let merged = merge_schemas(
            &doc,
            &json!({"type": "string", "description": "d"}),
            &json!({"type": "integer"}),
        );
        assert_eq!(merged, json!({"description": "d"}));
    }

    fn op_doc(responses: Value) -> Value {
        json!({"paths": {"/a": {"post": {"operationId": "makeThing", "responses": responses}}},
               "components": {"schemas": {"ZoomError": {"type": "object"}}}})
    }

    fn meta(id: &str) -> OperationMeta {
        OperationMeta {
            operation_id: id.into(),
            method_name: snake_ident(id),
            method: HttpMethod::Post,
            path: "/a".into(),
            pointer: "/paths/~1a/post".into(),
            tags: vec![],
            summary: None,
            scopes: vec![],
            granular_scopes: vec![],
            rate_limit: None,
            prerequisites: vec![],
            error_codes: vec![],
            paginated: false,
            unmodeled_success_statuses: vec![],
            multipart: false,
        }
    }

    #[test]
    fn two_success_bodies_keep_the_lowest_json() {
        let mut doc = op_doc(json!({
            "201": {"description": "created", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"other": {"type": "string"}}}}}},
            "204": {"description": "nothing"},
            "202": {"description": "same as 200", "content": {"application/json": {"schema": {"type": "object", "properties": {"other": {"type": "string"}}}}}}
        }));
        let mut ops = vec![meta("makeThing")];
        let mut notes = Vec::new();
        lower_success_responses(&mut doc, &mut ops, &mut notes);
        let statuses: Vec<_> = doc["paths"]["/a"]["post"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(statuses, vec!["200", "202"]);
        assert_eq!(
            ops[0].unmodeled_success_statuses,
            vec![Status::Code(201), Status::Code(204)]
        );
        let description = doc["paths"]["/a"]["post"]["description"].as_str().unwrap();
        assert!(
            description.contains("- `201` (a different JSON body)"),
            "{description}"
        );
        assert!(description.contains("- `204` (no body)"), "{description}");
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn default_beside_success_becomes_error_classes() {
        let mut doc = op_doc(json!({
            "200": {"description": "ok"},
            "default": {"description": "err", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ZoomError"}}}}
        }));
        lower_success_responses(&mut doc, &mut [], &mut Vec::new());
        let statuses: Vec<_> = doc["paths"]["/a"]["post"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(statuses, vec!["200", "4XX", "5XX"]);
    }

    #[test]
    fn error_statuses_get_the_shared_schema_or_value() {
        let responses = json!({
            "200": {"description": "ok"},
            "404": {"description": "not found"},
            "429": {"description": "slow down", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ZoomError"}}}}
        });
        let mut doc = op_doc(responses.clone());
        lower_error_responses(&mut doc, Some("ZoomError"), &mut Vec::new());
        assert_eq!(
            doc.pointer("/paths/~1a/post/responses/404/content/application~1json/schema"),
            Some(&json!({"$ref": "#/components/schemas/ZoomError"}))
        );
        // Without a shared schema the bodies differ: all become Value.
        let mut doc = op_doc(responses);
        let mut notes = Vec::new();
        lower_error_responses(&mut doc, None, &mut notes);
        for s in ["404", "429"] {
            assert_eq!(
                doc.pointer(&format!(
                    "/paths/~1a/post/responses/{s}/content/application~1json/schema"
                )),
                Some(&json!({}))
            );
        }
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn json_without_schema_is_any() {
        let mut doc =
            op_doc(json!({"200": {"description": "ok", "content": {"application/json": {}}}}));
        lower_response_media(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1a/post/responses/200/content/application~1json/schema"),
            Some(&json!({}))
        );
    }

    #[test]
    fn hoisting_names_by_position_and_dedups_structurally() {
        let mut doc = json!({
            "components": {"schemas": {
                "User": {"type": "object", "properties": {
                    "address": {"type": "object", "properties": {"city": {"type": "string"}}},
                    "status": {"type": "string", "enum": ["active", "inactive"]}
                }},
                "UserAddress": {"type": "object", "properties": {"zip": {"type": "string"}}}
            }},
            "paths": {"/a": {
                "get": {"operationId": "getA", "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}},
                    "201": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "description": "same shape"}}}}
                }}
            }}
        });
        let records = hoist_inline_schemas(&mut doc);
        // `User.address` wants `UserAddress`, taken by a different shape.
        assert_eq!(
            doc.pointer("/components/schemas/User/properties/address"),
            Some(&json!({"$ref": "#/components/schemas/UserAddress2"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/User/properties/status"),
            Some(&json!({"$ref": "#/components/schemas/UserStatus"}))
        );
        // Same shape, same wanted name: one type.
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema"),
            Some(&json!({"$ref": "#/components/schemas/GetAResponse"}))
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/201/content/application~1json/schema"),
            Some(
                &json!({"allOf": [{"$ref": "#/components/schemas/GetAResponse"}], "description": "same shape"})
            )
        );
        assert_eq!(records.len(), 4);
        assert!(doc.pointer("/components/schemas/GetAResponse2").is_none());
    }

    #[test]
    fn colliding_component_names_are_renamed() {
        let mut doc = json!({"components": {"schemas": {
            "UserInfo": {"type": "string"},
            "user_info": {"type": "integer"},
            "Holder": {"properties": {"x": {"$ref": "#/components/schemas/user_info"}}}
        }}});
        let mut notes = Vec::new();
        rename_colliding_components(&mut doc, &mut notes);
        assert_eq!(
            doc.pointer("/components/schemas/UserInfo2"),
            Some(&json!({"type": "integer"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Holder/properties/x/$ref"),
            Some(&json!("#/components/schemas/UserInfo2"))
        );
    }

    #[test]
    fn docs_section_lists_extensions_and_error_codes() {
        let mut m = meta("getA");
        m.scopes = vec!["account:read:admin".into()];
        m.granular_scopes = vec!["account:read:account:admin".into()];
        m.rate_limit = Some(RateLimitLabel::Medium);
        m.prerequisites = vec!["Pro plan".into()];
        m.error_codes = vec![ErrorCode {
            status: Status::Code(400),
            code: 200,
            message: "No permission | nope".into(),
        }];
        assert_eq!(
            api_details_markdown(&m),
            "### API details\n\n- **Scopes:** `account:read:admin`\n- **Granular scopes:** `account:read:account:admin`\n- **Rate limit:** `MEDIUM`\n- **Prerequisites:**\n  - Pro plan\n\n### Error codes\n\n| HTTP status | Code | Message |\n| --- | --- | --- |\n| 400 | 200 | No permission \\| nope |\n"
        );
    }
}

/// Merges components that are structurally the same type into one.
///
/// Hoisting names a shape after the place it sits, so the same shape at
/// differently named places (a `connection_type` enum under seventeen
/// parents, the QoS metric block under every QoS field) would become as many
/// identical Rust types: more code to compile and types a user cannot pass
/// from one call to another. Components whose structure (annotations
/// ignored, see [`structural_key`]) is equal are merged until nothing
/// changes (merging two referenced types can make their parents equal).
///
/// The merged type keeps a name the spec gave it if any (the shortest), else
/// the PascalCase words the hoisted names share at their end, preceded by
/// the words they share at their start when the end alone is one word
/// (`...AsConnectionType` + `...VideoConnectionType` -> `ConnectionType`);
/// when that is taken, the first name in order. Returns old -> new names.
pub fn merge_identical_components(
    doc: &mut Value,
    spec_names: &BTreeSet<String>,
) -> BTreeMap<String, String> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
            return renamed;
        };
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, schema) in schemas {
            groups.entry(structural_key(schema)).or_default().push(name.clone());
        }
        let mut taken: BTreeSet<String> = schemas.keys().cloned().collect();
        let mut round: BTreeMap<String, String> = BTreeMap::new();
        let mut groups: Vec<Vec<String>> = groups.into_values().filter(|g| g.len() > 1).collect();
        groups.sort();
        for mut group in groups {
            group.sort();
            let target = merged_name(&group, spec_names, &taken);
            taken.insert(target.clone());
            for name in &group {
                if *name != target {
                    round.insert(name.clone(), target.clone());
                }
            }
        }
        if round.is_empty() {
            return renamed;
        }
        apply_component_renames(doc, &round);
        for target in renamed.values_mut() {
            if let Some(next) = round.get(target) {
                *target = next.clone();
            }
        }
        renamed.extend(round);
    }
}

fn merged_name(group: &[String], spec_names: &BTreeSet<String>, taken: &BTreeSet<String>) -> String {
    if let Some(spec) = group
        .iter()
        .filter(|n| spec_names.contains(*n))
        .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
    {
        return spec.clone();
    }
    let words: Vec<Vec<String>> = group.iter().map(|n| pascal_words(n)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let common_end = (0..shortest)
        .take_while(|i| {
            let w = &words[0][words[0].len() - 1 - i];
            words.iter().all(|ws| &ws[ws.len() - 1 - i] == w)
        })
        .count();
    let common_start = (0..shortest.saturating_sub(common_end))
        .take_while(|i| words.iter().all(|ws| ws[*i] == words[0][*i]))
        .count();
    let end = words[0][words[0].len() - common_end..].concat();
    let candidate = if common_end >= 2 {
        end
    } else if common_end == 1 && common_start > 0 {
        format!("{}{end}", words[0][..common_start].concat())
    } else {
        String::new()
    };
    let candidate_is_free = !candidate.is_empty()
        && !candidate.starts_with(|c: char| c.is_ascii_digit())
        && (!taken.contains(&candidate) || group.contains(&candidate));
    if candidate_is_free { candidate } else { group[0].clone() }
}

/// `DashboardQosType2` -> `["Dashboard", "Qos", "Type2"]`.
fn pascal_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}

/// Points every `$ref` to a renamed component at its new name, moves the
/// component under the new name if that is free, and drops the merged ones.
fn apply_component_renames(doc: &mut Value, renames: &BTreeMap<String, String>) {
    walk::rewrite_refs(doc, &mut |r| {
        let new = renames.get(r.strip_prefix(SCHEMA_REF_PREFIX)?)?;
        Some(format!("{SCHEMA_REF_PREFIX}{new}"))
    });
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let mut moved = Vec::new();
        for (old, new) in renames {
            if let Some(schema) = schemas.shift_remove(old)
                && !schemas.contains_key(new)
            {
                moved.push((new.clone(), schema));
            }
        }
        for (name, schema) in moved {
            schemas.insert(name, schema);
        }
        schemas.sort_keys();
    }
}
