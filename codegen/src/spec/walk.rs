//! Where things sit in an OpenAPI document: operations, parameters and every
//! schema node.
//!
//! Validation, normalization, lowering and `cargo xtask import`/`diff` all
//! need to find them. The knowledge of that layout lives here once, so the
//! stages only say *what* they do to a node. The traversal is written once,
//! in the `walkers!` macro below, and instantiated twice: over `&Value` (the
//! `for_each_*` functions) and over `&mut Value` (the `for_each_*_mut`
//! ones), so the shared and the exclusive walks cannot disagree about which
//! keys hold subschemas.

use serde_json::{Map, Value};

use super::HttpMethod;
use super::pointer::child_pointer;
use super::refs::deref;

/// An operation found under `paths`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    pub path: String,
    pub method: HttpMethod,
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
        for (key, op) in item {
            if let Some(method) = HttpMethod::from_path_item_key(key)
                && op.is_object()
            {
                out.push(OperationRef {
                    path: path.clone(),
                    method,
                    pointer: child_pointer(&item_ptr, key),
                });
            }
        }
    }
    out
}

/// Keys of a schema object whose value is a single subschema (`items` may
/// also be a list of them, as in JSON Schema draft 4).
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

/// The whole traversal, for one kind of reference: `walkers!(name, [], iter,
/// get, as_object)` walks `&Value`, `walkers!(name, [mut], iter_mut, get_mut,
/// as_object_mut)` walks `&mut Value`.
macro_rules! walkers {
    ($module:ident, [$($mut:tt)?], $iter:ident, $get:ident, $as_object:ident) => {
        mod $module {
            use super::*;

            type Visitor<'f> = dyn FnMut(&$($mut)? Value, &str) + 'f;

            /// Calls `f` on every direct subschema of `schema` with its pointer.
            pub fn subschemas(schema: &$($mut)? Map<String, Value>, pointer: &str, f: &mut Visitor<'_>) {
                for (key, value) in schema.$iter() {
                    let k = key.as_str();
                    if SCHEMA_VALUED.contains(&k) {
                        if value.is_object() {
                            f(value, &child_pointer(pointer, k));
                        } else if k == "items"
                            && let Value::Array(items) = value
                        {
                            let base = child_pointer(pointer, k);
                            for (i, item) in items.$iter().enumerate() {
                                f(item, &format!("{base}/{i}"));
                            }
                        }
                    } else if SCHEMA_ARRAYS.contains(&k) {
                        if let Value::Array(items) = value {
                            let base = child_pointer(pointer, k);
                            for (i, item) in items.$iter().enumerate() {
                                f(item, &format!("{base}/{i}"));
                            }
                        }
                    } else if SCHEMA_MAPS.contains(&k)
                        && let Value::Object(map) = value
                    {
                        let base = child_pointer(pointer, k);
                        for (name, sub) in map.$iter() {
                            f(sub, &child_pointer(&base, name));
                        }
                    }
                }
            }

            /// Calls `f` on every *root* schema of the document (not their
            /// subschemas): component schemas and the `schema` of
            /// parameters, headers and media types, wherever those sit.
            pub fn root_schemas(doc: &$($mut)? Value, f: &mut Visitor<'_>) {
                let Some(root) = doc.$as_object() else {
                    return;
                };
                // Components first, then paths, then webhooks, whatever the key order.
                if let Some(Value::Object(components)) = root.$get("components") {
                    components_section(components, f);
                }
                if let Some(Value::Object(paths)) = root.$get("paths") {
                    for (path, item) in paths.$iter() {
                        path_item(item, &child_pointer("/paths", path), f);
                    }
                }
                // OpenAPI 3.1 webhooks: Path Items named after their event.
                if let Some(Value::Object(webhooks)) = root.$get("webhooks") {
                    for (event, item) in webhooks.$iter() {
                        path_item(item, &child_pointer("/webhooks", event), f);
                    }
                }
            }

            fn components_section(components: &$($mut)? Map<String, Value>, f: &mut Visitor<'_>) {
                for (kind, entries) in components.$iter() {
                    let Value::Object(entries) = entries else {
                        continue;
                    };
                    let base = child_pointer("/components", kind);
                    for (name, entry) in entries.$iter() {
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

            fn path_item(item: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                let Some(item) = item.$as_object() else {
                    return;
                };
                for (key, value) in item.$iter() {
                    let p = child_pointer(ptr, key);
                    if key == "parameters" {
                        parameters(value, &p, f);
                    } else if HttpMethod::from_path_item_key(key).is_some() {
                        operation(value, &p, f);
                    }
                }
            }

            fn operation(op: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                let Some(op) = op.$as_object() else {
                    return;
                };
                for (key, value) in op.$iter() {
                    let p = child_pointer(ptr, key);
                    match key.as_str() {
                        "parameters" => parameters(value, &p, f),
                        "requestBody" => content_holder(value, &p, f),
                        "responses" => {
                            if let Value::Object(responses) = value {
                                for (status, r) in responses.$iter() {
                                    response(r, &child_pointer(&p, status), f);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }

            fn parameters(list: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                if let Value::Array(list) = list {
                    for (i, p) in list.$iter().enumerate() {
                        parameter_like(p, &format!("{ptr}/{i}"), f);
                    }
                }
            }

            fn parameter_like(p: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                if let Some(schema) = p.$get("schema") {
                    f(schema, &child_pointer(ptr, "schema"));
                }
                content_holder(p, ptr, f);
            }

            fn response(r: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                content_holder(r, ptr, f);
                if let Some(Value::Object(headers)) = r.$get("headers") {
                    let base = child_pointer(ptr, "headers");
                    for (name, h) in headers.$iter() {
                        parameter_like(h, &child_pointer(&base, name), f);
                    }
                }
            }

            fn content_holder(holder: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                if let Some(Value::Object(content)) = holder.$get("content") {
                    let base = child_pointer(ptr, "content");
                    for (media, mt) in content.$iter() {
                        if let Some(schema) = mt.$get("schema") {
                            f(schema, &child_pointer(&child_pointer(&base, media), "schema"));
                        }
                    }
                }
            }

            /// Calls `f` on every schema node, subschemas first (post-order),
            /// with its pointer. Non-object schema nodes (`true`/`false`)
            /// are visited too.
            pub fn schemas(doc: &$($mut)? Value, f: &mut Visitor<'_>) {
                fn visit(node: &$($mut)? Value, ptr: &str, f: &mut Visitor<'_>) {
                    if let Value::Object(map) = node {
                        subschemas(map, ptr, &mut |sub, p| visit(sub, p, f));
                    }
                    f(node, ptr);
                }
                root_schemas(doc, &mut |root, ptr| visit(root, ptr, f));
            }

            /// Calls `f` on every parameter object (operation, path item and
            /// component level), with its pointer.
            pub fn parameter_objects(doc: &$($mut)? Value, f: &mut Visitor<'_>) {
                let Some(root) = doc.$as_object() else {
                    return;
                };
                // Component parameters first, then those under paths.
                if let Some(Value::Object(params)) = root
                    .$get("components")
                    .and_then(|c| c.$get("parameters"))
                {
                    for (name, p) in params.$iter() {
                        f(p, &child_pointer("/components/parameters", name));
                    }
                }
                let Some(Value::Object(paths)) = root.$get("paths") else {
                    return;
                };
                for (path, item) in paths.$iter() {
                    let item_ptr = child_pointer("/paths", path);
                    let Some(item) = item.$as_object() else {
                        continue;
                    };
                    for (key, value) in item.$iter() {
                        let list = if key == "parameters" {
                            Some((value, child_pointer(&item_ptr, "parameters")))
                        } else if HttpMethod::from_path_item_key(key).is_some() {
                            let op_ptr = child_pointer(&item_ptr, key);
                            value
                                .$get("parameters")
                                .map(|v| (v, child_pointer(&op_ptr, "parameters")))
                        } else {
                            None
                        };
                        if let Some((Value::Array(list), ptr)) = list {
                            for (i, p) in list.$iter().enumerate() {
                                f(p, &format!("{ptr}/{i}"));
                            }
                        }
                    }
                }
            }
        }
    };
}

walkers!(shared, [], iter, get, as_object);
walkers!(exclusive, [mut], iter_mut, get_mut, as_object_mut);

pub use exclusive::{
    parameter_objects as for_each_parameter_mut, root_schemas as for_each_root_schema_mut,
    schemas as for_each_schema_mut, subschemas as for_each_subschema_mut,
};
pub use shared::{
    parameter_objects as for_each_parameter, root_schemas as for_each_root_schema,
    schemas as for_each_schema, subschemas as for_each_subschema,
};

/// The parameters that apply to an operation: path-item level ones,
/// overridden by operation level ones with the same name and location, refs
/// resolved. Each with the pointer of its declaration.
pub fn effective_parameters<'a>(doc: &'a Value, op: &OperationRef) -> Vec<(&'a Value, String)> {
    let mut out: Vec<(&Value, String)> = Vec::new();
    let item_ptr = child_pointer("/paths", &op.path);
    let lists = [
        child_pointer(&item_ptr, "parameters"),
        child_pointer(&op.pointer, "parameters"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "array", "items": {"type": "string"}}}}}},
            "paths": {"/x": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "get": {
                    "parameters": [{"name": "p", "in": "query", "description": "own", "schema": {"type": "integer"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}
                }
            }}
        })
    }

    #[test]
    fn visits_nested_schemas_post_order() {
        let mut doc = doc();
        let mut seen = Vec::new();
        for_each_schema_mut(&mut doc, &mut |_, p| seen.push(p.to_string()));
        let expected = vec![
            "/components/schemas/A/properties/b/items",
            "/components/schemas/A/properties/b",
            "/components/schemas/A",
            "/paths/~1x/parameters/0/schema",
            "/paths/~1x/get/parameters/0/schema",
            "/paths/~1x/get/responses/200/content/application~1json/schema",
        ];
        assert_eq!(seen, expected);
        // The shared walk visits the same nodes in the same order.
        let mut shared = Vec::new();
        for_each_schema(&doc, &mut |_, p| shared.push(p.to_string()));
        assert_eq!(shared, expected);
    }

    #[test]
    fn operation_parameters_override_path_item_ones() {
        let doc = doc();
        let ops = operations(&doc);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].method, HttpMethod::Get);
        let params = effective_parameters(&doc, &ops[0]);
        assert_eq!(params.len(), 1);
        assert_eq!(params[0].0["description"], "own");
        assert_eq!(params[0].1, "/paths/~1x/get/parameters/0");
        let mut seen = Vec::new();
        for_each_parameter(&doc, &mut |_, p| seen.push(p.to_string()));
        assert_eq!(
            seen,
            ["/paths/~1x/parameters/0", "/paths/~1x/get/parameters/0"]
        );
    }
}
