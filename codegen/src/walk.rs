//! Where things sit in an OpenAPI document (shared by every stage).
//!
//! Validation, normalization and lowering all need to find operations,
//! parameters and every schema node. The knowledge of that layout lives here
//! once, so the stages only say *what* they do to a node.

use serde_json::{Map, Value};

use crate::error::child_pointer;

/// HTTP methods in the canonical order used for output.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation found under `paths`.
#[derive(Debug, Clone)]
pub struct OperationRef {
    pub path: String,
    pub method: String,
    /// `/paths/<path>/<method>`.
    pub pointer: String,
}

/// Every operation, in document order.
pub fn operations(doc: &Value) -> Vec<OperationRef> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let item_ptr = child_pointer("/paths", path);
        for (method, op) in item {
            if METHODS.contains(&method.as_str()) && op.is_object() {
                out.push(OperationRef {
                    path: path.clone(),
                    method: method.clone(),
                    pointer: child_pointer(&item_ptr, method),
                });
            }
        }
    }
    out
}

/// Resolves a local `$ref` (`#/...`) against the document.
pub fn resolve_ref<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

/// Follows `$ref` chains (bounded, so cycles cannot hang) to the target node.
pub fn deref<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => match resolve_ref(doc, r) {
                Some(target) => node = target,
                None => return node,
            },
            None => return node,
        }
    }
    node
}

/// Keys of a schema object whose value is a single subschema.
const SCHEMA_VALUED: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
];
/// Keys whose value is an array of subschemas.
const SCHEMA_ARRAYS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keys whose value is a map of name -> subschema.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Calls `f` on every direct subschema of `schema` with its pointer.
pub fn for_each_subschema_mut(
    schema: &mut Map<String, Value>,
    pointer: &str,
    f: &mut dyn FnMut(&mut Value, &str),
) {
    for (key, value) in schema.iter_mut() {
        let k = key.as_str();
        if SCHEMA_VALUED.contains(&k) {
            if value.is_object() {
                f(value, &child_pointer(pointer, k));
            } else if k == "items"
                && let Value::Array(items) = value
            {
                let base = child_pointer(pointer, k);
                for (i, item) in items.iter_mut().enumerate() {
                    f(item, &format!("{base}/{i}"));
                }
            }
        } else if SCHEMA_ARRAYS.contains(&k) {
            if let Value::Array(items) = value {
                let base = child_pointer(pointer, k);
                for (i, item) in items.iter_mut().enumerate() {
                    f(item, &format!("{base}/{i}"));
                }
            }
        } else if SCHEMA_MAPS.contains(&k)
            && let Value::Object(map) = value
        {
            let base = child_pointer(pointer, k);
            for (name, sub) in map.iter_mut() {
                f(sub, &child_pointer(&base, name));
            }
        }
    }
}

/// Calls `f` on every *root* schema of the document (not their subschemas):
/// component schemas and the `schema` of parameters, headers and media types,
/// wherever those sit.
pub fn for_each_root_schema_mut(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let base = child_pointer("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let ptr = child_pointer(&base, name);
                match kind.as_str() {
                    "schemas" => f(entry, &ptr),
                    "parameters" | "headers" => parameter_like(entry, &ptr, f),
                    "responses" => response(entry, &ptr, f),
                    "requestBodies" => content_holder(entry, &ptr, f),
                    "pathItems" => path_item(entry, &ptr, f),
                    _ => {}
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            path_item(item, &child_pointer("/paths", path), f);
        }
    }
}

fn path_item(item: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        let p = child_pointer(ptr, key);
        if key == "parameters" {
            parameters(value, &p, f);
        } else if METHODS.contains(&key.as_str()) {
            operation(value, &p, f);
        }
    }
}

fn operation(op: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    for (key, value) in op.iter_mut() {
        let p = child_pointer(ptr, key);
        match key.as_str() {
            "parameters" => parameters(value, &p, f),
            "requestBody" => content_holder(value, &p, f),
            "responses" => {
                if let Value::Object(responses) = value {
                    for (status, r) in responses.iter_mut() {
                        response(r, &child_pointer(&p, status), f);
                    }
                }
            }
            _ => {}
        }
    }
}

fn parameters(list: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    if let Value::Array(list) = list {
        for (i, p) in list.iter_mut().enumerate() {
            parameter_like(p, &format!("{ptr}/{i}"), f);
        }
    }
}

fn parameter_like(p: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    if let Some(obj) = p.as_object_mut()
        && let Some(schema) = obj.get_mut("schema")
    {
        f(schema, &child_pointer(ptr, "schema"));
    }
    content_holder(p, ptr, f);
}

fn response(r: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    content_holder(r, ptr, f);
    if let Some(Value::Object(headers)) = r.get_mut("headers") {
        let base = child_pointer(ptr, "headers");
        for (name, h) in headers.iter_mut() {
            parameter_like(h, &child_pointer(&base, name), f);
        }
    }
}

fn content_holder(holder: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        let base = child_pointer(ptr, "content");
        for (media, mt) in content.iter_mut() {
            if let Some(schema) = mt.get_mut("schema") {
                f(
                    schema,
                    &child_pointer(&child_pointer(&base, media), "schema"),
                );
            }
        }
    }
}

/// Calls `f` on every schema node, subschemas first (post-order), with its
/// pointer. Non-object schema nodes (`true`/`false`) are visited too.
pub fn for_each_schema_mut(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    fn visit(node: &mut Value, ptr: &str, f: &mut dyn FnMut(&mut Value, &str)) {
        if let Value::Object(map) = node {
            for_each_subschema_mut(map, ptr, &mut |sub, p| visit(sub, p, f));
        }
        f(node, ptr);
    }
    for_each_root_schema_mut(doc, &mut |root, ptr| visit(root, ptr, f));
}

/// Calls `f` on every parameter object (operation, path item and component
/// level), with its pointer.
pub fn for_each_parameter_mut(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(params)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
    {
        for (name, p) in params.iter_mut() {
            f(p, &child_pointer("/components/parameters", name));
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let item_ptr = child_pointer("/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (key, value) in item.iter_mut() {
                let list = if key == "parameters" {
                    Some((value, child_pointer(&item_ptr, "parameters")))
                } else if METHODS.contains(&key.as_str()) {
                    let op_ptr = child_pointer(&item_ptr, key);
                    value
                        .get_mut("parameters")
                        .map(|v| (v, child_pointer(&op_ptr, "parameters")))
                } else {
                    None
                };
                if let Some((Value::Array(list), ptr)) = list {
                    for (i, p) in list.iter_mut().enumerate() {
                        f(p, &format!("{ptr}/{i}"));
                    }
                }
            }
        }
    }
}

/// The parameters that apply to an operation: path-item level ones,
/// overridden by operation level ones with the same name and location, refs
/// resolved. Each with the pointer of its declaration.
pub fn effective_parameters<'a>(doc: &'a Value, op: &OperationRef) -> Vec<(&'a Value, String)> {
    let mut out: Vec<(&Value, String)> = Vec::new();
    let item_ptr = child_pointer("/paths", &op.path);
    let lists = [
        (format!("{item_ptr}/parameters")),
        (format!("{}/parameters", op.pointer)),
    ];
    for list_ptr in lists {
        let Some(Value::Array(list)) = doc.pointer(&list_ptr) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let resolved = deref(doc, p);
            let key = |v: &Value| {
                (
                    v.get("name").and_then(Value::as_str).map(str::to_owned),
                    v.get("in").and_then(Value::as_str).map(str::to_owned),
                )
            };
            let k = key(resolved);
            out.retain(|(existing, _)| key(existing) != k);
            out.push((resolved, format!("{list_ptr}/{i}")));
        }
    }
    out
}

/// Names in a path template, in order: `/a/{b}/c/{d}` -> `[b, d]`.
/// `Err` with a message when braces do not balance.
pub fn template_names(path: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced '}}' in path template {path:?}"));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed '{{' in path template {path:?}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("bad parameter name in path template {path:?}"));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_names_parse() {
        assert_eq!(template_names("/a/{b}/c/{d}").unwrap(), vec!["b", "d"]);
        assert!(template_names("/a/{b").is_err());
        assert!(template_names("/a/b}").is_err());
    }

    #[test]
    fn visits_nested_schemas_post_order() {
        let mut doc = json!({
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "array", "items": {"type": "string"}}}}}},
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}}
        });
        let mut seen = Vec::new();
        for_each_schema_mut(&mut doc, &mut |_, p| seen.push(p.to_string()));
        assert_eq!(
            seen,
            vec![
                "/components/schemas/A/properties/b/items",
                "/components/schemas/A/properties/b",
                "/components/schemas/A",
                "/paths/~1x/get/responses/200/content/application~1json/schema",
            ]
        );
    }
}
