//! Workarounds for what the engine (progenitor 0.15 with typify 0.8)
//! asserts on, `todo!`s on, or silently gets wrong: each rule names the
//! engine behaviour and reshapes the document so the engine never meets it.
//!
//! - references: typify resolves only whole component schemas
//!   ([`inline_deep_schema_refs`]); 3.0 readers drop a `$ref`'s siblings
//!   ([`lower_ref_siblings`]); per-operation rewrites must not touch shared
//!   components ([`inline_operation_responses`]);
//! - parameters and media: path parameters must be `required`
//!   ([`lower_path_parameters_required`]); one request media type, no
//!   `encoding`, JSON responses with a schema ([`lower_request_media`],
//!   [`lower_response_media`]);
//! - schemas: enum values of the declared type ([`lower_enum_values`]); no
//!   `not` ([`lower_not`]); no titles, from which typify would pick names and silently reuse them
//!   ([`lower_titles`]);
//! - responses: one success type and one error type per operation
//!   ([`lower_success_responses`], [`lower_error_responses`]).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{
    Note, OperationRecord, SCHEMA_REF_PREFIX, append_description, for_each_operation_mut, note,
    status, status_class, structural_key,
};
use crate::spec::{self, ANNOTATIONS, RequestMedia, is_json_media};

/// Replaces schema `$ref`s that do not point at a whole component schema
/// (`#/components/schemas/A/properties/b`, `#/paths/...`) with a copy of
/// their target: typify resolves references by component name only.
pub(super) fn inline_deep_schema_refs(doc: &mut Value) {
    let snapshot = doc.clone();
    spec::for_each_schema_mut(doc, &mut |schema, _| {
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
            let Some(target) = spec::resolve_ref(&snapshot, r).cloned() else {
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
pub(super) fn lower_path_parameters_required(doc: &mut Value) {
    spec::for_each_parameter_mut(doc, &mut |p, _| {
        if p.get("in").and_then(Value::as_str) == Some("path") {
            p["required"] = Value::Bool(true);
        }
    });
}

/// Replaces `$ref`ed responses and request bodies of operations by copies,
/// so the later per-operation rewrites never touch a shared component.
pub(super) fn inline_operation_responses(doc: &mut Value) {
    let snapshot = doc.clone();
    for op_ref in spec::operations(&snapshot) {
        let Some(op) = doc.pointer_mut(&op_ref.pointer) else {
            continue;
        };
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for r in responses.values_mut() {
                if r.get("$ref").is_some() {
                    *r = spec::deref(&snapshot, r).clone();
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody")
            && body.get("$ref").is_some()
        {
            *body = spec::deref(&snapshot, body).clone();
        }
    }
}

/// JSON responses without a schema become `{}` (progenitor hits a `todo!`
/// otherwise; `{}` decodes to `serde_json::Value`, losing nothing), and
/// media-type `encoding` is dropped (progenitor asserts it is empty; it only
/// matters for multipart, which we emit ourselves).
pub(super) fn lower_response_media(doc: &mut Value) {
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
                if RequestMedia::of(media) != Some(RequestMedia::Multipart)
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
pub(super) fn lower_request_media(doc: &mut Value, notes: &mut Vec<Note>) {
    for_each_operation_mut(doc, &mut |op, op_ref| {
        let Some(Value::Object(content)) =
            op.get_mut("requestBody").and_then(|b| b.get_mut("content"))
        else {
            return;
        };
        let best = content
            .keys()
            .filter_map(|m| RequestMedia::of(m).map(|k| (k, m.clone())))
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

/// The engine's rules of one schema node: enum values that fit the type,
/// no `not`.
pub(super) fn fit_schema(map: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    lower_enum_values(map, pointer, notes);
    lower_not(map, pointer, notes);
}

/// Drops `not` (typify `todo!`s on most of them): a type cannot say
/// "anything but", and the server checks what the client sends anyway.
fn lower_not(map: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if map.shift_remove("not").is_some() {
        note(
            notes,
            pointer,
            "`not` cannot be generated; the type admits what it excludes (the server checks it)",
        );
    }
}

/// The engine's rules of one schema node that must run after the policy
/// ones (which move keywords into the description): no titles, `$ref`
/// siblings kept.
pub(super) fn finish_schema(map: &mut Map<String, Value>) {
    lower_titles(map);
    lower_ref_siblings(map);
}

/// Makes `enum` fit the schema type as openapiv3 reads it: values of a
/// string enum become strings, duplicates go, an enum without a `type`
/// gets the one its values share (typify panics on an untyped enum of
/// mixed or null values), and an enum whose values cannot be of the
/// declared type, or that lists objects or lists (typify's enums are of
/// scalars), is dropped (documented instead, with a note).
fn lower_enum_values(map: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    if map.get("enum") == Some(&json!([null])) && !map.contains_key("type") {
        // The engine's spelling of "only null" (see `openapi30`).
        return;
    }
    if !map.contains_key("type") {
        infer_enum_type(map);
    }
    let ty = map.get("type").and_then(Value::as_str).map(str::to_owned);
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let mut seen = BTreeSet::new();
    values.retain(|v| seen.insert(v.to_string()));
    // `null` in the values of a type that is not nullable admits nothing
    // (both must hold); typify would wrap the enum in an `Option` of the
    // same name.
    let mut dropped_null = false;
    if ty.is_some()
        && map.get("nullable") != Some(&Value::Bool(true))
        && let Some(Value::Array(values)) = map.get_mut("enum")
    {
        let before = values.len();
        values.retain(|v| !v.is_null());
        dropped_null = values.len() < before;
    }
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
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
        // Objects, lists, or values of no one type.
        _ => false,
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
        } else if dropped_null {
            // `const: null` (or `enum: [null]`) on a type that is not
            // nullable: no value is both; the type wins.
            append_description(map, "Allowed values: null.");
            note(
                notes,
                pointer,
                "the only enum value, null, is not of the schema's type; kept as documentation",
            );
        }
    }
}

/// The `type` of an untyped enum, from its values when they share one
/// scalar type (`null` among them makes it nullable). Leaves the schema
/// untyped otherwise.
fn infer_enum_type(map: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    let kinds: BTreeSet<&str> = values
        .iter()
        .filter_map(|v| match v {
            Value::Null => None,
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            Value::String(_) => Some("string"),
            Value::Array(_) => Some("array"),
            Value::Object(_) => Some("object"),
        })
        .collect();
    let ty = match kinds.into_iter().collect::<Vec<_>>().as_slice() {
        [one] if *one != "array" && *one != "object" => *one,
        ["integer", "number"] => "number",
        _ => return,
    };
    let nullable = values.iter().any(Value::is_null);
    map.insert("type".into(), json!(ty));
    if nullable {
        map.insert("nullable".into(), json!(true));
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
}

/// Drops `title`: typify names an inline type after its title and silently
/// reuses the first type of a name for every later schema with that title.
/// Names are given by [`super::naming`] instead.
fn lower_titles(map: &mut Map<String, Value>) {
    if map.get("title").is_some_and(Value::is_string) {
        map.shift_remove("title");
    }
}

/// `$ref` with siblings: 3.0 readers (openapiv3) ignore the siblings, which
/// would drop the description from the docs and `nullable` from the type.
/// The reference moves into a one-member `allOf` (typify treats it as the
/// referenced type itself) and the siblings stay beside it.
fn lower_ref_siblings(map: &mut Map<String, Value>) {
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
/// [`OperationRecord::unmodeled_success_statuses`] (at run time they arrive as
/// `Error::UnexpectedResponse` with the response intact). `1XX` statuses
/// are dropped (progenitor would expect a protocol upgrade). A `default`
/// response beside explicit successes is an error catch-all: it becomes
/// `4XX`/`5XX` so it does not compete with the success type.
pub(super) fn lower_success_responses(
    doc: &mut Value,
    operations: &mut [OperationRecord],
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
        append_description(op, &section);
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
/// (The `4XX`/`5XX` answers of the shared schema are client policy:
/// [`super::client_policy::answer_other_errors_with_the_shared_schema`].)
pub(super) fn lower_error_responses(
    doc: &mut Value,
    error_schema: Option<&str>,
    notes: &mut Vec<Note>,
) {
    let fallback = match error_schema {
        Some(name) => json!({ "$ref": format!("{SCHEMA_REF_PREFIX}{name}") }),
        None => json!({}),
    };
    for_each_operation_mut(doc, &mut |op, op_ref| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
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

#[cfg(test)]
mod tests {
    use super::super::tests::obj;
    use super::*;

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
        // Zoom's "array of these values" written as an enum of the array.
        let mut m =
            obj(json!({"type": "array", "items": {"type": "string"}, "enum": ["en", "de"]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"type": "array", "items": {"type": "string"}, "description": "Allowed values: \"en\", \"de\"."})
        );
        // Untyped: the values' shared type, null making it nullable; mixed
        // values are documentation.
        let mut m = obj(json!({"enum": ["a", null]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"enum": ["a"], "type": "string", "nullable": true})
        );
        let mut m = obj(json!({"enum": [1, 2.5]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"enum": [1, 2.5], "type": "number"})
        );
        let mut m = obj(json!({"enum": [1, "a"]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"description": "Allowed values: 1, \"a\"."})
        );
        let mut m = obj(json!({"enum": [null]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(Value::Object(m), json!({"enum": [null]}));
        // `null` the type does not admit is no value at all.
        let mut m = obj(json!({"type": "string", "enum": ["a", null]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(Value::Object(m), json!({"type": "string", "enum": ["a"]}));
        // `const: null` on an object: no value is both; the type wins.
        let before = notes.len();
        let mut m = obj(json!({"type": "object", "enum": [null]}));
        lower_enum_values(&mut m, "/x", &mut notes);
        assert_eq!(
            Value::Object(m),
            json!({"type": "object", "description": "Allowed values: null."})
        );
        assert_eq!(notes.len(), before + 1);
        assert_eq!(notes.len(), 4);
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
    fn path_parameters_become_required() {
        let mut doc = json!({"paths": {"/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}]}}}});
        lower_path_parameters_required(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1a~1{id}/get/parameters/0/required"),
            Some(&json!(true))
        );
    }

    fn op_doc(responses: Value) -> Value {
        json!({"paths": {"/a": {"post": {"operationId": "makeThing", "responses": responses}}},
               "components": {"schemas": {"ZoomError": {"type": "object"}}}})
    }

    #[test]
    fn two_success_bodies_keep_the_lowest_json() {
        let mut doc = op_doc(json!({
            "201": {"description": "created", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"other": {"type": "string"}}}}}},
            "204": {"description": "nothing"},
            "202": {"description": "same as 200", "content": {"application/json": {"schema": {"type": "object", "properties": {"other": {"type": "string"}}}}}}
        }));
        let mut ops = vec![OperationRecord::for_test("makeThing")];
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
            vec![spec::Status::Code(201), spec::Status::Code(204)]
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
        super::super::client_policy::answer_other_errors_with_the_shared_schema(
            &mut doc,
            Some("ZoomError"),
        );
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
}
