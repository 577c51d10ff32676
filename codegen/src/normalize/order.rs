//! One fixed key order for every OpenAPI object.

use serde_json::{Map, Value};

use crate::spec::{self, HttpMethod, Status};

/// Where extensions (`x-*`) and unknown keys go relative to the fixed keys.
const EXT: &str = "x-*";

/// Reorders `map`: keys of `fixed` in that order (the `x-*` marker placing
/// the sorted extensions), then extensions if not placed, then every other
/// key sorted.
fn order_keys(map: Map<String, Value>, fixed: &[&str]) -> Map<String, Value> {
    let mut rest: Vec<(String, Value)> = Vec::new();
    let mut ext: Vec<(String, Value)> = Vec::new();
    let mut known: Vec<Option<Value>> = vec![None; fixed.len()];
    for (k, v) in map {
        if let Some(i) = fixed.iter().position(|f| *f == k) {
            known[i] = Some(v);
        } else if k.starts_with("x-") {
            ext.push((k, v));
        } else {
            rest.push((k, v));
        }
    }
    ext.sort_by(|a, b| a.0.cmp(&b.0));
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Map::new();
    let mut ext_done = false;
    for (i, key) in fixed.iter().enumerate() {
        if *key == EXT {
            out.extend(ext.drain(..));
            ext_done = true;
        } else if let Some(v) = known[i].take() {
            out.insert((*key).to_string(), v);
        }
    }
    if !ext_done {
        out.extend(ext);
    }
    out.extend(rest);
    out
}

fn map_values(map: Map<String, Value>, f: impl Fn(&str, Value) -> Value) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            let v = f(&k, v);
            (k, v)
        })
        .collect()
}

fn sorted_by_name(map: Map<String, Value>, f: impl Fn(Value) -> Value) -> Map<String, Value> {
    let mut entries: Vec<_> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().map(|(k, v)| (k, f(v))).collect()
}

fn with_object(v: Value, f: impl FnOnce(Map<String, Value>) -> Map<String, Value>) -> Value {
    match v {
        Value::Object(map) => Value::Object(f(map)),
        other => other,
    }
}

pub(super) fn order_document(doc: Value) -> Value {
    with_object(doc, |map| {
        let map = order_keys(
            map,
            &[
                "openapi",
                "info",
                "jsonSchemaDialect",
                "servers",
                "tags",
                "paths",
                "webhooks",
                "components",
                "security",
                "externalDocs",
            ],
        );
        map_values(map, |k, v| match k {
            "info" => with_object(v, |m| {
                let m = order_keys(
                    m,
                    &[
                        "title",
                        "summary",
                        "description",
                        "termsOfService",
                        "contact",
                        "license",
                        "version",
                    ],
                );
                map_values(m, |k, v| match k {
                    "contact" => with_object(v, |m| order_keys(m, &["name", "url", "email"])),
                    "license" => with_object(v, |m| order_keys(m, &["name", "identifier", "url"])),
                    _ => v,
                })
            }),
            "servers" => order_each(v, order_server),
            "tags" => order_each(v, |t| {
                with_object(t, |m| {
                    order_keys(m, &["name", "description", "externalDocs"])
                })
            }),
            "paths" | "webhooks" => with_object(v, |m| sorted_by_name(m, order_path_item)),
            "components" => order_components(v),
            _ => v,
        })
    })
}

fn order_each(v: Value, f: impl Fn(Value) -> Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(f).collect()),
        other => other,
    }
}

fn order_server(v: Value) -> Value {
    with_object(v, |m| order_keys(m, &["url", "description", "variables"]))
}

fn order_components(v: Value) -> Value {
    with_object(v, |m| {
        let m = order_keys(
            m,
            &[
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
                "callbacks",
                "pathItems",
            ],
        );
        map_values(m, |kind, v| {
            if kind.starts_with("x-") {
                return v;
            }
            with_object(v, |entries| {
                sorted_by_name(entries, |entry| match kind {
                    "schemas" => order_schema(entry),
                    "responses" => order_response(entry),
                    "parameters" => order_parameter(entry),
                    "headers" => order_parameter(entry),
                    "requestBodies" => order_request_body(entry),
                    "pathItems" => order_path_item(entry),
                    "examples" => with_object(entry, |m| {
                        order_keys(
                            m,
                            &["$ref", "summary", "description", "value", "externalValue"],
                        )
                    }),
                    "securitySchemes" => with_object(entry, |m| {
                        order_keys(
                            m,
                            &[
                                "$ref",
                                "type",
                                "description",
                                "name",
                                "in",
                                "scheme",
                                "bearerFormat",
                                "flows",
                                "openIdConnectUrl",
                            ],
                        )
                    }),
                    _ => entry,
                })
            })
        })
    })
}

fn order_path_item(v: Value) -> Value {
    with_object(v, |m| {
        let mut fixed = vec!["$ref", "summary", "description", "servers", "parameters"];
        fixed.extend(HttpMethod::ALL.map(HttpMethod::as_str));
        let m = order_keys(m, &fixed);
        map_values(m, |k, v| match k {
            "parameters" => order_each(v, order_parameter),
            "servers" => order_each(v, order_server),
            k if HttpMethod::from_path_item_key(k).is_some() => order_operation(v),
            _ => v,
        })
    })
}

fn order_operation(v: Value) -> Value {
    with_object(v, |m| {
        let m = order_keys(
            m,
            &[
                "tags",
                "summary",
                "description",
                "operationId",
                EXT,
                "parameters",
                "requestBody",
                "responses",
            ],
        );
        map_values(m, |k, v| match k {
            "parameters" => order_each(v, order_parameter),
            "requestBody" => order_request_body(v),
            "responses" => with_object(v, order_responses),
            _ => v,
        })
    })
}

fn order_responses(map: Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<_> = map.into_iter().collect();
    // Statuses in their order, then whatever is not a status (extensions).
    entries.sort_by(|a, b| {
        let ka = a.0.parse::<Status>().ok();
        let kb = b.0.parse::<Status>().ok();
        match (ka, kb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.0.cmp(&b.0))
    });
    entries
        .into_iter()
        .map(|(k, v)| {
            let v = if k.starts_with("x-") {
                v
            } else {
                order_response(v)
            };
            (k, v)
        })
        .collect()
}

fn order_parameter(v: Value) -> Value {
    with_object(v, |m| {
        let m = order_keys(
            m,
            &["$ref", "name", "in", "description", "required", "schema"],
        );
        map_values(m, |k, v| match k {
            "schema" => order_schema(v),
            "content" => order_content(v),
            _ => v,
        })
    })
}

fn order_request_body(v: Value) -> Value {
    with_object(v, |m| {
        let m = order_keys(m, &["$ref", "description", "required", "content"]);
        map_values(m, |k, v| if k == "content" { order_content(v) } else { v })
    })
}

fn order_response(v: Value) -> Value {
    with_object(v, |m| {
        let m = order_keys(m, &["$ref", "description", "headers", "content", "links"]);
        map_values(m, |k, v| match k {
            "content" => order_content(v),
            "headers" => with_object(v, |h| map_values(h, |_, v| order_parameter(v))),
            _ => v,
        })
    })
}

/// Media types keep their source order (it can express a preference).
fn order_content(v: Value) -> Value {
    with_object(v, |m| {
        map_values(m, |_, mt| {
            with_object(mt, |m| {
                let m = order_keys(m, &["schema", "example", "examples", "encoding"]);
                map_values(m, |k, v| if k == "schema" { order_schema(v) } else { v })
            })
        })
    })
}

/// The fixed key order of a schema object.
const SCHEMA_KEY_ORDER: [&str; 30] = [
    "$ref",
    "title",
    "type",
    "format",
    "description",
    "enum",
    "const",
    "default",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "examples",
    "deprecated",
    EXT,
    "nullable",
];

/// Orders a schema and, recursively, its subschemas.
fn order_schema(v: Value) -> Value {
    with_object(v, |m| {
        let mut m = order_keys(m, &SCHEMA_KEY_ORDER);
        // Subschemas in place; `properties` keeps its order.
        spec::for_each_subschema_mut(&mut m, "", &mut |sub, _| {
            let taken = std::mem::take(sub);
            *sub = order_schema(taken);
        });
        m
    })
}

#[cfg(test)]
mod tests {
    use super::super::normalize;
    use serde_json::json;

    #[test]
    fn operation_keys_and_responses_order() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {
            "/b": {"post": {"responses": {"default": {}, "404": {}, "2XX": {}, "200": {}},
                             "x-zoom-scopes": [], "operationId": "b", "tags": ["t"], "x-a": 1}},
            "/a": {"post": {}, "get": {}}
        }});
        let n = normalize(&doc).unwrap();
        let paths: Vec<_> = n["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(paths, vec!["/a", "/b"]);
        let methods: Vec<_> = n["paths"]["/a"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(methods, vec!["get", "post"]);
        let op: Vec<_> = n["paths"]["/b"]["post"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            op,
            vec!["tags", "operationId", "x-a", "x-zoom-scopes", "responses"]
        );
        let statuses: Vec<_> = n["paths"]["/b"]["post"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(statuses, vec!["200", "2XX", "404", "default"]);
    }

    #[test]
    fn properties_keep_source_order() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
            "components": {"schemas": {"S": {"properties": {"z": {"type": "string"}, "a": {"type": "string"}}, "type": "object", "required": ["z", "a"]}}}});
        let n = normalize(&doc).unwrap();
        let s = &n["components"]["schemas"]["S"];
        let keys: Vec<_> = s.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, vec!["type", "properties", "required"]);
        let props: Vec<_> = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(props, vec!["z", "a"]);
        assert_eq!(s["required"], json!(["z", "a"]));
    }
}
