//! Where things are in an OpenAPI 3.1 document: its operations, the objects
//! that carry a `schema` (parameters, headers, media types), and the Schema
//! Objects inside one another.
//!
//! The walk follows the document's structure and never a `$ref`: every object
//! is visited once, where it is defined, under the JSON pointer a reader would
//! use to find it. Callbacks and webhooks are not walked (the Zoom spec has
//! neither); add them here if that changes.
//!
//! This walker is independent of the generator's (`zoom_api_codegen::spec`)
//! on purpose: these checks are an oracle for the spec the generator reads,
//! and an oracle that shared the generator's walker would share its bugs.

use serde_json::Value;

use crate::{HTTP_METHODS, pointer_child};

/// One operation of the spec, with where it is.
#[derive(Debug, Clone)]
pub struct OperationLocation<'a> {
    /// Upper-case HTTP method, as in the reference list (`GET`).
    pub method: &'static str,
    /// The path template (`/accounts/{accountId}`).
    pub path: &'a str,
    /// JSON pointer to the Operation Object (`/paths/~1accounts/get`).
    pub pointer: String,
    /// The Path Item the operation sits in (it may hold shared parameters).
    pub path_item: &'a Value,
    /// The Operation Object.
    pub operation: &'a Value,
}

/// Every operation under `paths`, in document order.
pub fn operations(document: &Value) -> Vec<OperationLocation<'_>> {
    const UPPER: [&str; 8] = [
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
    ];
    let mut found = Vec::new();
    for (path, path_item) in entries(document.get("paths")) {
        for (method, upper) in HTTP_METHODS.iter().zip(UPPER) {
            if let Some(operation) = path_item.get(*method) {
                found.push(OperationLocation {
                    method: upper,
                    path,
                    pointer: format!("{}/{method}", pointer_child("/paths", path)),
                    path_item,
                    operation,
                });
            }
        }
    }
    found
}

/// A Parameter, Header or Media Type Object that has a `schema`: the places
/// where `example`/`examples` are checked against that schema.
#[derive(Debug, Clone)]
pub struct SchemaHolder<'a> {
    /// JSON pointer to the holder (`.../content/application~1json`).
    pub pointer: String,
    pub holder: &'a Value,
}

impl SchemaHolder<'_> {
    /// JSON pointer to the holder's Schema Object.
    pub fn schema_pointer(&self) -> String {
        format!("{}/schema", self.pointer)
    }
}

/// Every Parameter, Header and Media Type Object with a `schema`, in paths and
/// in components.
pub fn schema_holders(document: &Value) -> Vec<SchemaHolder<'_>> {
    let mut holders = Vec::new();
    for (path, path_item) in entries(document.get("paths")) {
        let pointer = pointer_child("/paths", path);
        parameter_list(
            path_item.get("parameters"),
            &format!("{pointer}/parameters"),
            &mut holders,
        );
    }
    for operation in operations(document) {
        let pointer = &operation.pointer;
        let op = operation.operation;
        parameter_list(
            op.get("parameters"),
            &format!("{pointer}/parameters"),
            &mut holders,
        );
        if let Some(body) = op.get("requestBody") {
            content(body, &format!("{pointer}/requestBody"), &mut holders);
        }
        for (status, response) in entries(op.get("responses")) {
            self::response(
                response,
                &pointer_child(&format!("{pointer}/responses"), status),
                &mut holders,
            );
        }
    }
    let components = document.get("components");
    let component = |kind: &'static str| {
        entries(components.and_then(|c| c.get(kind)))
            .map(move |(name, value)| (pointer_child(&format!("/components/{kind}"), name), value))
    };
    for (pointer, parameter) in component("parameters").chain(component("headers")) {
        self::parameter(parameter, &pointer, &mut holders);
    }
    for (pointer, body) in component("requestBodies") {
        content(body, &pointer, &mut holders);
    }
    for (pointer, response) in component("responses") {
        self::response(response, &pointer, &mut holders);
    }
    holders
}

/// Every Schema Object that is not inside another one: the named schemas of
/// `components/schemas` and the `schema` of every holder.
pub fn schema_roots(document: &Value) -> Vec<(String, &Value)> {
    let mut roots: Vec<(String, &Value)> = entries(document.pointer("/components/schemas"))
        .map(|(name, schema)| (pointer_child("/components/schemas", name), schema))
        .collect();
    for holder in schema_holders(document) {
        if let Some(schema) = holder.holder.get("schema") {
            roots.push((holder.schema_pointer(), schema));
        }
    }
    roots
}

/// JSON Schema 2020-12 keywords whose value is one subschema.
pub const SUBSCHEMA_KEYWORDS: [&str; 11] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// Keywords whose value maps names to subschemas.
pub const SUBSCHEMA_MAP_KEYWORDS: [&str; 4] = [
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];
/// Keywords whose value is a list of subschemas.
pub const SUBSCHEMA_LIST_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

/// Calls `visit` on `schema` and on every subschema inside it, depth first,
/// with each one's pointer. `$ref`s are not followed.
pub fn for_each_subschema<'a>(
    schema: &'a Value,
    pointer: &str,
    visit: &mut dyn FnMut(&str, &'a Value),
) {
    visit(pointer, schema);
    let Some(object) = schema.as_object() else {
        return;
    };
    for keyword in SUBSCHEMA_KEYWORDS {
        match object.get(keyword) {
            // Draft 2019-09 and earlier allowed a list under `items`.
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    for_each_subschema(item, &format!("{pointer}/{keyword}/{index}"), visit);
                }
            }
            Some(child) => for_each_subschema(child, &pointer_child(pointer, keyword), visit),
            None => {}
        }
    }
    for keyword in SUBSCHEMA_MAP_KEYWORDS {
        for (name, child) in entries(object.get(keyword)) {
            for_each_subschema(
                child,
                &pointer_child(&pointer_child(pointer, keyword), name),
                visit,
            );
        }
    }
    for keyword in SUBSCHEMA_LIST_KEYWORDS {
        for (index, child) in object
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            for_each_subschema(child, &format!("{pointer}/{keyword}/{index}"), visit);
        }
    }
}

/// The entries of an object, or none when `value` is absent or not an object.
fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some()
}

fn parameter_list<'a>(list: Option<&'a Value>, pointer: &str, holders: &mut Vec<SchemaHolder<'a>>) {
    for (index, item) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        self::parameter(item, &format!("{pointer}/{index}"), holders);
    }
}

/// A Parameter or Header Object: it has either a `schema` or a `content`.
fn parameter<'a>(parameter: &'a Value, pointer: &str, holders: &mut Vec<SchemaHolder<'a>>) {
    if is_reference(parameter) {
        return;
    }
    if parameter.get("schema").is_some() {
        holders.push(SchemaHolder {
            pointer: pointer.to_owned(),
            holder: parameter,
        });
    }
    content(parameter, pointer, holders);
}

fn response<'a>(response: &'a Value, pointer: &str, holders: &mut Vec<SchemaHolder<'a>>) {
    if is_reference(response) {
        return;
    }
    content(response, pointer, holders);
    for (name, header) in entries(response.get("headers")) {
        parameter(
            header,
            &pointer_child(&format!("{pointer}/headers"), name),
            holders,
        );
    }
}

/// The Media Type Objects of a Request Body, Response, Parameter or Header.
fn content<'a>(owner: &'a Value, pointer: &str, holders: &mut Vec<SchemaHolder<'a>>) {
    if is_reference(owner) {
        return;
    }
    for (media_type, media) in entries(owner.get("content")) {
        if media.get("schema").is_some() {
            holders.push(SchemaHolder {
                pointer: pointer_child(&format!("{pointer}/content"), media_type),
                holder: media,
            });
        }
    }
}
