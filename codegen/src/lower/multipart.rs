//! `multipart/form-data` request bodies, which the engine rejects: taken
//! out of the engine's view and recorded as [`MultipartOperation`]s, which
//! `emit` writes itself.

use serde_json::Value;

use super::{Note, SCHEMA_REF_PREFIX, note, status, string_list};
use crate::lower::naming::{pascal_ident, progenitor_pascal, snake_ident};
use crate::spec::{
    self, HttpMethod, RequestMedia, Status, child_pointer, is_json_media, operation_pointer,
};

/// A `multipart/form-data` operation, removed from the engine's view.
#[derive(Debug, Clone)]
pub(crate) struct MultipartOperation {
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
pub(crate) enum ResponseBody {
    /// No content.
    Empty,
    /// JSON into the component type of this (Rust) name.
    Named(String),
    /// JSON of no particular shape (`serde_json::Value`).
    Json,
}

/// A non-body parameter of a multipart operation.
#[derive(Debug, Clone)]
pub(crate) struct PlainParam {
    pub api_name: String,
    pub ident: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
}

/// Where a [`PlainParam`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
}

/// One multipart form field.
#[derive(Debug, Clone)]
pub(crate) struct MultipartField {
    pub name: String,
    pub ident: String,
    pub required: bool,
    pub kind: FieldKind,
    pub description: Option<String>,
}

/// How a form field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// A file (`format: binary`): a `reqwest::multipart::Part`.
    Binary,
    /// A scalar, sent as its text.
    Text,
    /// An object or array, sent as JSON text.
    Json,
}

/// Takes `multipart/form-data` request bodies away from the engine, which
/// rejects them. When another supported media type exists the multipart one
/// is simply dropped; when it is the only one, the body is removed and the
/// operation recorded, to be removed from the engine's view later (once its
/// responses are lowered) and emitted by [`crate::emit`] with
/// `reqwest::multipart` (the client crate needs reqwest's `multipart`
/// feature).
pub(super) fn lower_multipart_bodies(
    doc: &mut Value,
    notes: &mut Vec<Note>,
) -> Vec<MultipartOperation> {
    let snapshot = doc.clone();
    let mut out = Vec::new();
    for op_ref in spec::operations(&snapshot) {
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
            .find(|(m, _)| RequestMedia::of(m) == Some(RequestMedia::Multipart))
        else {
            continue;
        };
        let others = content
            .keys()
            .any(|m| RequestMedia::of(m).is_some_and(|k| k != RequestMedia::Multipart));
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
        let schema = spec::deref(&snapshot, mt.get("schema").unwrap_or(&Value::Null));
        let required = string_list(schema.get("required"));
        let fields = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(name, prop)| {
                        let prop = spec::deref(&snapshot, prop);
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
        let params = spec::effective_parameters(&snapshot, &op_ref)
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
            builder_name: progenitor_pascal(&id),
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
    let prop = spec::deref(doc, prop);
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
pub(super) fn extract_multipart_operations(doc: &mut Value, multipart: &mut [MultipartOperation]) {
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
            let has_ops = item
                .keys()
                .any(|k| HttpMethod::from_path_item_key(k).is_some());
            if !has_ops && let Some(Value::Object(paths)) = doc.get_mut("paths") {
                paths.shift_remove(&m.path);
            }
        }
    }
}
