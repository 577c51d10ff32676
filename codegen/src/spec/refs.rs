//! `$ref`: resolving one, finding every one, rewriting them.
//!
//! A `$ref` is OpenAPI structure only outside literal data: the value of
//! `example`, `default`, `enum`, `const`, an extension (`x-*`) or a schema's
//! `examples` list is what the API sends or documents, and a `{"$ref": ...}`
//! inside it is data to keep as written. [`is_literal_data`] says where
//! that is; validation ([`for_each_ref`]), lowering and import
//! ([`rewrite_refs`]) all follow it.

use serde_json::Value;

use super::pointer::child_pointer;

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

/// Whether the value of `key` is literal data rather than OpenAPI
/// structure (see the module docs). `examples` is data as a schema's list;
/// the map of Example Objects of a media type is structure.
pub fn is_literal_data(key: &str, value: &Value) -> bool {
    matches!(key, "example" | "default" | "enum" | "const")
        || key.starts_with("x-")
        || (key == "examples" && value.is_array())
}

/// Calls `f(reference, pointer of the $ref)` for every `$ref` string under
/// `node` (which sits at `pointer`), outside literal data, in document order.
pub fn for_each_ref<E>(
    node: &Value,
    pointer: &str,
    f: &mut dyn FnMut(&str, &str) -> Result<(), E>,
) -> Result<(), E> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                f(reference, &child_pointer(pointer, "$ref"))?;
            }
            for (key, value) in map {
                if !is_literal_data(key, value) {
                    for_each_ref(value, &child_pointer(pointer, key), f)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                for_each_ref(item, &format!("{pointer}/{i}"), f)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Replaces every `$ref` under `node` (outside literal data) for which
/// `new_target` returns a new reference.
pub fn rewrite_refs(node: &mut Value, new_target: &mut dyn FnMut(&str) -> Option<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(new) = new_target(reference)
            {
                *reference = new;
            }
            for (key, value) in map.iter_mut() {
                if !is_literal_data(key, value) {
                    rewrite_refs(value, new_target);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, new_target)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn literal_data_is_neither_found_nor_rewritten() {
        let mut doc = json!({
            "properties": {
                "a": {"$ref": "#/components/schemas/A"},
                "b": {"default": {"$ref": "#/components/schemas/A"},
                      "example": {"$ref": "#/components/schemas/A"},
                      "enum": [{"$ref": "#/components/schemas/A"}],
                      "const": {"$ref": "#/components/schemas/A"},
                      "examples": [{"$ref": "#/components/schemas/A"}],
                      "x-note": {"$ref": "#/components/schemas/A"},
                      "items": {"$ref": "#/components/schemas/A"}}
            }
        });
        let mut found = Vec::new();
        for_each_ref::<()>(&doc, "", &mut |r, p| {
            found.push(format!("{p} {r}"));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            found,
            [
                "/properties/a/$ref #/components/schemas/A",
                "/properties/b/items/$ref #/components/schemas/A"
            ]
        );
        let before = doc["properties"]["b"].clone();
        rewrite_refs(&mut doc, &mut |r| {
            (r == "#/components/schemas/A").then(|| "#/components/schemas/B".to_string())
        });
        assert_eq!(doc["properties"]["a"]["$ref"], "#/components/schemas/B");
        assert_eq!(
            doc["properties"]["b"]["items"]["$ref"],
            "#/components/schemas/B"
        );
        let mut expected = before;
        expected["items"]["$ref"] = json!("#/components/schemas/B");
        assert_eq!(doc["properties"]["b"], expected);
    }

    #[test]
    fn deref_follows_chains_and_stops_at_cycles() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"type": "string"},
                         "x": {"$ref": "#/y"}, "y": {"$ref": "#/x"}});
        assert_eq!(deref(&doc, &doc["a"]), &json!({"type": "string"}));
        assert!(deref(&doc, &doc["x"]).get("$ref").is_some());
        assert_eq!(resolve_ref(&doc, "other.yaml#/a"), None);
    }
}
