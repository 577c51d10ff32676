//! Stage 2: [`Document`] -> [`ValidDocument`].
//!
//! Rejects, with the pointer and line of the culprit, everything that the
//! engine (progenitor + typify) would panic on or silently get wrong and that
//! lowering cannot repair: a version other than 3.0.x/3.1.x, a `$ref` that
//! goes nowhere, an operation without an id or with an id (or method name)
//! already taken or taken by the generated `Client` (`new`, `exec`, ...),
//! path templates and declared path parameters that disagree,
//! parameter shapes the engine cannot send, request bodies in no media type
//! the client can produce. What lowering *can* repair (a path parameter not
//! marked required, two success bodies, ...) passes here and is fixed there.
//!
//! Every schema keyword's value is checked too ([`schema`]): a `type` that
//! is not one of JSON Schema's seven names, `items` that is not a schema,
//! `properties` given as a list, a `$ref` cycle that never reaches a
//! schema, ... are errors at the keyword. Validation never repairs: what a
//! spec as Zoom publishes it gets wrong with a plain intent is repaired by
//! `cargo xtask import`, which then runs this validation on the result.
//!
//! The first problem in document order is reported, so the message is stable.

mod schema;

use schema::describe;
use std::collections::HashMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::lower::naming::snake_ident;
use crate::spec::{
    self, Document, HttpMethod, OperationRef, PathTemplate, RequestMedia, child_pointer, deref,
    effective_parameters,
};

/// A document that passed [`validate`]; the only input [`crate::lower`] takes.
#[derive(Debug, Clone)]
pub struct ValidDocument {
    doc: Document,
}

impl ValidDocument {
    /// The validated document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The validated document, by value.
    pub fn into_document(self) -> Document {
        self.doc
    }
}

/// Checks `doc`; see the module docs for what is rejected.
pub fn validate(doc: Document) -> Result<ValidDocument> {
    check_root(&doc)?;
    check_refs(&doc)?;
    schema::check_schemas(&doc)?;
    check_paths(&doc)?;
    Ok(ValidDocument { doc })
}

fn invalid(doc: &Document, pointer: &str, message: impl Into<String>) -> Error {
    Error::Invalid {
        location: doc.locate(pointer),
        message: message.into(),
    }
}

fn check_root(doc: &Document) -> Result<()> {
    let Some(root) = doc.value.as_object() else {
        return Err(Error::NotOpenApi {
            location: doc.locate(""),
            message: "the document is not a mapping".into(),
        });
    };
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.trim().to_string(),
        Some(other) => {
            return Err(Error::UnsupportedVersion {
                location: doc.locate("/openapi"),
                version: other.to_string(),
            });
        }
        None if root.contains_key("swagger") => {
            return Err(Error::UnsupportedVersion {
                location: doc.locate("/swagger"),
                version: root["swagger"].as_str().unwrap_or("2.0").to_string(),
            });
        }
        None => {
            return Err(Error::NotOpenApi {
                location: doc.locate(""),
                message: "no `openapi` version field".into(),
            });
        }
    };
    match version.split('.').collect::<Vec<_>>().as_slice() {
        ["3", "0" | "1", patch] if is_version_part(patch) => {}
        _ => {
            return Err(Error::UnsupportedVersion {
                location: doc.locate("/openapi"),
                version,
            });
        }
    };
    match root.get("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                if !info.get(key).is_some_and(Value::is_string) {
                    return Err(invalid(
                        doc,
                        "/info",
                        format!("info.{key} must be a string"),
                    ));
                }
            }
        }
        _ => return Err(invalid(doc, "", "the `info` object is missing")),
    }
    match root.get("paths") {
        None | Some(Value::Object(_)) => {}
        Some(_) => return Err(invalid(doc, "/paths", "`paths` must be a mapping")),
    }
    Ok(())
}

fn is_version_part(part: &str) -> bool {
    let digits = part.split('-').next().unwrap_or("");
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Every local `$ref` must resolve; remote ones are not fetched.
fn check_refs(doc: &Document) -> Result<()> {
    spec::for_each_ref(&doc.value, "", &mut |reference, at| {
        if !reference.starts_with('#') {
            return Err(invalid(
                doc,
                at,
                format!("external $ref {reference:?} is not supported; inline it"),
            ));
        }
        if spec::resolve_ref(&doc.value, reference).is_none() {
            return Err(Error::BrokenRef {
                location: doc.locate(at),
                reference: reference.to_string(),
            });
        }
        Ok(())
    })
}

fn check_paths(doc: &Document) -> Result<()> {
    let v = &doc.value;
    if let Some(paths) = v.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let ptr = child_pointer("/paths", path);
            if !path.starts_with('/') {
                return Err(invalid(doc, &ptr, "a path must start with '/'"));
            }
            let Some(item) = item.as_object() else {
                return Err(invalid(doc, &ptr, "a path item must be a mapping"));
            };
            if item.contains_key("$ref") {
                return Err(invalid(
                    doc,
                    &child_pointer(&ptr, "$ref"),
                    "path item $ref is not supported; inline the path item",
                ));
            }
            PathTemplate::parse(path).map_err(|m| invalid(doc, &ptr, m))?;
            check_fields(doc, &ptr, item, PATH_ITEM_FIELDS)?;
            for (key, op) in item {
                if HttpMethod::from_path_item_key(key).is_some() && !op.is_object() {
                    return Err(invalid(
                        doc,
                        &child_pointer(&ptr, key),
                        format!("an operation must be a mapping, not {}", describe(op)),
                    ));
                }
            }
        }
    }

    // operationId -> where it was first seen; method name -> (id, where).
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut methods: HashMap<String, (String, String)> = HashMap::new();
    for op in spec::operations(v) {
        let node = &v.pointer(&op.pointer).cloned().unwrap_or(Value::Null);
        let id_ptr = child_pointer(&op.pointer, "operationId");
        let id = match node.get("operationId") {
            Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
            Some(Value::String(_)) | None => {
                return Err(Error::MissingOperationId {
                    location: doc.locate(&op.pointer),
                });
            }
            Some(_) => return Err(invalid(doc, &id_ptr, "operationId must be a string")),
        };
        if let Some(first) = ids.get(&id) {
            return Err(Error::DuplicateOperationId {
                location: doc.locate(&id_ptr),
                operation_id: id,
                first: doc.locate(first),
            });
        }
        let method_name = snake_ident(&id);
        if CLIENT_METHODS.contains(&method_name.as_str()) {
            return Err(invalid(
                doc,
                &id_ptr,
                format!(
                    "operationId {id:?} becomes the method `{method_name}`, which the generated `Client` has already (progenitor's `ClientInfo`/`ClientHooks`); give the operation another operationId"
                ),
            ));
        }
        if let Some((other, first)) = methods.get(&method_name) {
            return Err(Error::Invalid {
                location: doc.locate(&id_ptr),
                message: format!(
                    "operationId {id:?} and {other:?} ({}) both become the method `{method_name}`",
                    doc.locate(first)
                ),
            });
        }
        ids.insert(id.clone(), id_ptr.clone());
        methods.insert(method_name, (id.clone(), id_ptr));

        if let Some(fields) = node.as_object() {
            check_fields(doc, &op.pointer, fields, OPERATION_FIELDS)?;
        }
        if let Some(tags) = node.get("tags") {
            let ok = tags
                .as_array()
                .is_some_and(|t| t.iter().all(Value::is_string));
            if !ok {
                return Err(invalid(
                    doc,
                    &child_pointer(&op.pointer, "tags"),
                    "tags must be a list of strings",
                ));
            }
        }
        check_parameters(doc, &op)?;
        check_request_body(doc, &op, node)?;
        check_responses(doc, &op, node)?;
    }
    Ok(())
}

/// The shape a field of an OpenAPI object must have.
#[derive(Debug, Clone, Copy)]
enum Field {
    Text,
    Flag,
    Mapping,
    ListOfMappings,
}

impl Field {
    fn admits(self, value: &Value) -> bool {
        match self {
            Field::Text => value.is_string(),
            Field::Flag => value.is_boolean(),
            Field::Mapping => value.is_object(),
            Field::ListOfMappings => value
                .as_array()
                .is_some_and(|list| list.iter().all(Value::is_object)),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Field::Text => "a string",
            Field::Flag => "true or false",
            Field::Mapping => "a mapping",
            Field::ListOfMappings => "a list of mappings",
        }
    }
}

/// The fields of a path item whose shape is checked here (what the
/// engine's reader would otherwise reject without a place).
const PATH_ITEM_FIELDS: &[(&str, Field)] = &[
    ("summary", Field::Text),
    ("description", Field::Text),
    ("parameters", Field::ListOfMappings),
    ("servers", Field::ListOfMappings),
];

/// The same for an operation (`tags`, `operationId` and `responses` have
/// messages of their own).
const OPERATION_FIELDS: &[(&str, Field)] = &[
    ("summary", Field::Text),
    ("description", Field::Text),
    ("externalDocs", Field::Mapping),
    ("parameters", Field::ListOfMappings),
    ("requestBody", Field::Mapping),
    ("callbacks", Field::Mapping),
    ("deprecated", Field::Flag),
    ("security", Field::ListOfMappings),
    ("servers", Field::ListOfMappings),
];

/// Each field of `fields` named in `table` has its shape, or an error at
/// the field (at the entry, for a list).
fn check_fields(
    doc: &Document,
    pointer: &str,
    fields: &serde_json::Map<String, Value>,
    table: &[(&str, Field)],
) -> Result<()> {
    for &(key, shape) in table {
        let Some(value) = fields.get(key) else {
            continue;
        };
        if shape.admits(value) {
            continue;
        }
        let at = child_pointer(pointer, key);
        let at = match (shape, value) {
            (Field::ListOfMappings, Value::Array(list)) => list
                .iter()
                .position(|entry| !entry.is_object())
                .map_or(at.clone(), |i| child_pointer(&at, &i.to_string())),
            _ => at,
        };
        return Err(invalid(
            doc,
            &at,
            format!(
                "`{key}` must be {}, not {}",
                shape.expected(),
                describe(value)
            ),
        ));
    }
    Ok(())
}

/// Methods (and constructors) of the generated `Client` an operation's
/// method would clash with.
const CLIENT_METHODS: [&str; 9] = [
    "new",
    "new_with_client",
    "baseurl",
    "client",
    "api_version",
    "inner",
    "pre",
    "exec",
    "post",
];

fn check_parameters(doc: &Document, op: &OperationRef) -> Result<()> {
    let v = &doc.value;
    let template: Vec<String> = PathTemplate::parse(&op.path)
        .map(|t| t.parameters().map(str::to_owned).collect())
        .unwrap_or_default();
    let params = effective_parameters(v, op);
    let mut declared_path = Vec::new();
    for (param, ptr) in &params {
        let Some(name) = param.get("name").and_then(Value::as_str) else {
            return Err(invalid(doc, ptr, "parameter has no name"));
        };
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        match location {
            "path" => {
                if !template.iter().any(|t| t == name) {
                    return Err(invalid(
                        doc,
                        ptr,
                        format!(
                            "path parameter {name:?} does not appear in the path template {:?}",
                            op.path
                        ),
                    ));
                }
                declared_path.push(name.to_string());
            }
            "query" | "header" => {}
            "cookie" => {
                return Err(invalid(
                    doc,
                    ptr,
                    format!("cookie parameter {name:?} is not supported by the client generator"),
                ));
            }
            other => {
                return Err(invalid(
                    doc,
                    ptr,
                    format!("parameter {name:?} has unknown location `in: {other}`"),
                ));
            }
        }
        if param.get("content").is_some() || param.get("schema").is_none() {
            return Err(invalid(
                doc,
                ptr,
                format!(
                    "parameter {name:?} must have a `schema` (parameter `content` is not supported)"
                ),
            ));
        }
        if let Some(style) = param.get("style").and_then(Value::as_str) {
            let expected = if location == "query" {
                "form"
            } else {
                "simple"
            };
            if style != expected {
                return Err(invalid(
                    doc,
                    ptr,
                    format!(
                        "parameter {name:?} has style {style:?}; only {expected:?} is supported in {location}"
                    ),
                ));
            }
        }
        let schema = deref(v, &param["schema"]);
        if is_object_schema(v, schema) {
            return Err(invalid(
                doc,
                &child_pointer(ptr, "schema"),
                format!("parameter {name:?} has an object schema, which the client cannot send"),
            ));
        }
    }
    for name in &template {
        if !declared_path.iter().any(|d| d == name) {
            return Err(invalid(
                doc,
                &op.pointer,
                format!("path template parameter {{{name}}} is not declared as a path parameter"),
            ));
        }
    }
    Ok(())
}

fn is_object_schema(doc: &Value, schema: &Value) -> bool {
    let schema = deref(doc, schema);
    let has_type = |t: &str| match schema.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x == t),
        _ => false,
    };
    has_type("object") || schema.get("properties").is_some()
}

fn check_request_body(doc: &Document, op: &OperationRef, node: &Value) -> Result<()> {
    let Some(body) = node.get("requestBody") else {
        return Ok(());
    };
    let ptr = child_pointer(&op.pointer, "requestBody");
    let body = deref(&doc.value, body);
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Err(invalid(doc, &ptr, "request body has no `content`"));
    };
    if content.is_empty() {
        return Ok(());
    }
    if !content.keys().any(|m| RequestMedia::of(m).is_some()) {
        let found: Vec<_> = content.keys().cloned().collect();
        return Err(invalid(
            doc,
            &child_pointer(&ptr, "content"),
            format!(
                "no supported request media type among {found:?} (supported: application/json, multipart/form-data, application/x-www-form-urlencoded, application/octet-stream, text/plain)"
            ),
        ));
    }
    Ok(())
}

fn check_responses(doc: &Document, op: &OperationRef, node: &Value) -> Result<()> {
    let ptr = child_pointer(&op.pointer, "responses");
    let Some(responses) = node.get("responses") else {
        return Ok(());
    };
    let Some(responses) = responses.as_object() else {
        return Err(invalid(doc, &ptr, "responses must be a mapping"));
    };
    for (status, response) in responses {
        let at = child_pointer(&ptr, status);
        if let Err(e) = status.parse::<spec::Status>() {
            return Err(invalid(doc, &at, e.to_string()));
        }
        if !response.is_object() {
            return Err(invalid(
                doc,
                &at,
                format!("a response must be a mapping, not {}", describe(response)),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load;

    fn check(yaml: &str) -> Result<ValidDocument> {
        validate(load(yaml.as_bytes())?)
    }

    const HEAD: &str = "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn accepts_minimal() {
        assert!(check(&format!("{HEAD}paths: {{}}\n")).is_ok());
        let v30 = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths: {}\n";
        assert!(check(v30).is_ok());
    }

    #[test]
    fn undeclared_template_parameter() {
        let spec = format!(
            "{HEAD}paths:\n  /users/{{userId}}:\n    get:\n      operationId: getUser\n      responses:\n        '200':\n          description: ok\n"
        );
        let err = check(&spec).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /paths/~1users~1{userId}/get (line 7): path template parameter {userId} is not declared as a path parameter"
        );
    }

    #[test]
    fn method_name_collision() {
        let spec = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getThing\n      responses: {{}}\n  /b:\n    get:\n      operationId: get_thing\n      responses: {{}}\n"
        );
        let err = check(&spec).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /paths/~1b/get/operationId (line 12): operationId \"get_thing\" and \"getThing\" (at /paths/~1a/get/operationId (line 8)) both become the method `get_thing`"
        );
    }

    #[test]
    fn operation_fields_of_the_wrong_shape() {
        let table = [
            (
                "  /a:\n    parameters: x\n    get:\n      operationId: getA\n      responses: {}\n",
                "at /paths/~1a/parameters (line 7): `parameters` must be a list of mappings, not the string \"x\"",
            ),
            (
                "  /a:\n    get:\n      operationId: getA\n      parameters:\n        - 3\n      responses: {}\n",
                "at /paths/~1a/get/parameters/0 (line 10): `parameters` must be a list of mappings, not a list",
            ),
            (
                "  /a:\n    get:\n      operationId: getA\n      requestBody: x\n      responses: {}\n",
                "at /paths/~1a/get/requestBody (line 9): `requestBody` must be a mapping, not the string \"x\"",
            ),
            (
                "  /a:\n    get:\n      operationId: getA\n      security: 3\n      responses: {}\n",
                "at /paths/~1a/get/security (line 9): `security` must be a list of mappings, not the number 3",
            ),
            (
                "  /a:\n    get:\n      operationId: getA\n      deprecated: 'yes'\n      responses: {}\n",
                "at /paths/~1a/get/deprecated (line 9): `deprecated` must be true or false, not the string \"yes\"",
            ),
            (
                "  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': x\n",
                "at /paths/~1a/get/responses/200 (line 10): a response must be a mapping, not the string \"x\"",
            ),
            (
                "  /a:\n    get: x\n",
                "at /paths/~1a/get (line 7): an operation must be a mapping, not the string \"x\"",
            ),
        ];
        for (paths, expected) in table {
            let err = check(&format!("{HEAD}paths:\n{paths}")).unwrap_err();
            assert_eq!(err.to_string(), expected, "{paths}");
        }
    }

    #[test]
    fn object_query_parameter() {
        let spec = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - name: filter\n          in: query\n          schema:\n            type: object\n      responses: {{}}\n"
        );
        let err = check(&spec).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /paths/~1a/get/parameters/0/schema (line 12): parameter \"filter\" has an object schema, which the client cannot send"
        );
    }
}
