//! Every local `$ref` replaced by a copy of its target.
//!
//! Zoom publishes every schema inline; our spec hoists repeated shapes. To
//! name the hoisted shapes the same way whatever the input did, import first
//! brings the input to Zoom's form (this module), then hoists it again
//! (`hoist`). The Zoom-style renderer uses the same function, so the two
//! agree on where every inlined schema ends up (its "site").
//!
//! A recursive schema (a tree node whose `children` are tree nodes)
//! cannot be inlined: a reference met again inside its own expansion stays
//! a `$ref`, and the component it names stays in `components/schemas`
//! (itself inlined but for such references), under the name the input
//! gave it.
//!
//! Keys beside a `$ref` (OpenAPI 3.1 allows `description` there) override
//! the target's. Literal data (`example`, `default`, `enum`, `const`,
//! extension values: `zoom_api_codegen::spec::is_literal_data`, the rule
//! the generator follows too) is copied as is.

use serde_json::{Map, Value};
use zoom_api_codegen::spec::{
    child_pointer, for_each_ref, is_literal_data, unescape_pointer_token,
};

/// Why a reference could not be inlined, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineError {
    pub pointer: String,
    pub message: String,
}

/// Inlines the references under `paths` and `webhooks`, then drops the
/// component kinds that only served as reference targets (schemas,
/// parameters, responses, request bodies, headers, examples), but for the
/// recursive schemas still referenced (see the module docs). Security
/// schemes and other components stay.
pub fn inline_document(doc: &mut Value) -> Result<(), InlineError> {
    let source = doc.clone();
    let Some(root) = doc.as_object_mut() else {
        return Ok(());
    };
    for key in ["paths", "webhooks"] {
        if let Some(section) = root.get_mut(key) {
            let ptr = child_pointer("", key);
            *section = inline_value(section, &source, &ptr, &mut Vec::new())?;
        }
    }
    // The recursive schemas still referenced, each inlined but for its
    // own recursion, until no new one is referenced.
    let mut kept = Map::new();
    let mut pending = remaining_schema_refs(root);
    while let Some(name) = pending.pop() {
        if kept.contains_key(&name) {
            continue;
        }
        let reference = format!("{SCHEMAS_REF}{name}");
        let Some(target) = source.pointer(&reference[1..]) else {
            continue;
        };
        let mut stack = vec![reference.clone()];
        let inlined = inline_value(target, &source, &reference[1..], &mut stack)?;
        let mut more = Vec::new();
        collect_schema_refs(&inlined, &mut more);
        kept.insert(name, inlined);
        pending.extend(more.into_iter().filter(|n| !kept.contains_key(n)));
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for kind in [
            "schemas",
            "parameters",
            "responses",
            "requestBodies",
            "headers",
            "examples",
        ] {
            components.shift_remove(kind);
        }
        if !kept.is_empty() {
            // In the input's order.
            let mut schemas = Map::new();
            if let Some(Value::Object(all)) = source.pointer("/components/schemas") {
                for name in all.keys() {
                    if let Some(schema) = kept.shift_remove(name) {
                        schemas.insert(name.clone(), schema);
                    }
                }
            }
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if components.is_empty() {
            root.shift_remove("components");
        }
    }
    Ok(())
}

const SCHEMAS_REF: &str = "#/components/schemas/";

/// The component schemas referenced anywhere in `root` (after inlining:
/// the recursive ones).
fn remaining_schema_refs(root: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["paths", "webhooks"] {
        if let Some(section) = root.get(key) {
            collect_schema_refs(section, &mut out);
        }
    }
    out
}

fn collect_schema_refs(node: &Value, out: &mut Vec<String>) {
    let _ = for_each_ref::<()>(node, "", &mut |reference, _| {
        if let Some(name) = reference.strip_prefix(SCHEMAS_REF) {
            let name = unescape_pointer_token(name);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(())
    });
}

/// A copy of `node` with every reference below it replaced by its target.
/// `ptr` is where `node` stands in `source` (for errors); `stack` holds the
/// references being expanded, to refuse recursion.
pub fn inline_value(
    node: &Value,
    source: &Value,
    ptr: &str,
    stack: &mut Vec<String>,
) -> Result<Value, InlineError> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                return inline_reference(map, reference, source, ptr, stack);
            }
            let mut out = Map::new();
            for (key, value) in map {
                let copied = if is_literal_data(key, value) {
                    value.clone()
                } else {
                    inline_value(value, source, &child_pointer(ptr, key), stack)?
                };
                out.insert(key.clone(), copied);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| inline_value(item, source, &format!("{ptr}/{i}"), stack))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn inline_reference(
    map: &Map<String, Value>,
    reference: &str,
    source: &Value,
    ptr: &str,
    stack: &mut Vec<String>,
) -> Result<Value, InlineError> {
    let at = || child_pointer(ptr, "$ref");
    let Some(target) = reference
        .strip_prefix('#')
        .and_then(|pointer| source.pointer(pointer))
    else {
        return Err(InlineError {
            pointer: at(),
            message: format!("unresolvable $ref {reference:?}"),
        });
    };
    if stack.iter().any(|r| r == reference) {
        // Recursion: the reference stays (its siblings inlined).
        let mut out = Map::new();
        for (key, value) in map {
            let copied = if key == "$ref" || is_literal_data(key, value) {
                value.clone()
            } else {
                inline_value(value, source, &child_pointer(ptr, key), stack)?
            };
            out.insert(key.clone(), copied);
        }
        return Ok(Value::Object(out));
    }
    stack.push(reference.to_string());
    // Errors inside the target are reported where the source has them.
    let expanded = inline_value(target, source, &reference[1..], stack);
    stack.pop();
    let mut expanded = expanded?;
    if let Value::Object(target_map) = &mut expanded {
        for (key, value) in map {
            if key == "$ref" {
                continue;
            }
            let copied = if is_literal_data(key, value) {
                value.clone()
            } else {
                inline_value(value, source, &child_pointer(ptr, key), stack)?
            };
            target_map.insert(key.clone(), copied);
        }
    }
    Ok(expanded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sibling_description_overrides_and_literals_stay() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A", "description": "here"},
                "example": {"$ref": "not a reference"}
            }}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "description": "A thing.", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"}
            }, "securitySchemes": {"oauth": {"type": "oauth2"}}}
        });
        inline_document(&mut doc).unwrap();
        let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(
            media["schema"],
            json!({"type": "object", "description": "here", "properties": {"b": {"type": "string"}}})
        );
        assert_eq!(media["example"], json!({"$ref": "not a reference"}));
        assert_eq!(
            doc["components"],
            json!({"securitySchemes": {"oauth": {"type": "oauth2"}}})
        );
    }

    #[test]
    fn recursive_schemas_stay_components() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Holder"}}}}}}}},
            "components": {"schemas": {
                "Holder": {"type": "object", "properties": {"root": {"$ref": "#/components/schemas/Node"}}},
                "Node": {"type": "object", "properties": {
                    "next": {"$ref": "#/components/schemas/Node", "description": "the next one"},
                    "leaf": {"$ref": "#/components/schemas/Leaf"}}},
                "Leaf": {"type": "string"}
            }}
        });
        inline_document(&mut doc).unwrap();
        let node = json!({"type": "object", "properties": {
            "next": {"$ref": "#/components/schemas/Node", "description": "the next one"},
            "leaf": {"type": "string"}}});
        // The site holds one expansion, its recursion a reference; the
        // component stays (and only it).
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "object", "properties": {"root": node.clone()}})
        );
        assert_eq!(doc["components"], json!({"schemas": {"Node": node}}));
    }
}
