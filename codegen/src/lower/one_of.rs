//! `oneOf` of all-optional objects: merged into one object, so no field is
//! lost (see [`merge_all_optional_one_of`]).

use serde_json::{Map, Value, json};

use super::{Note, append_description, note, string_list, structural_key};
use crate::spec;

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
pub(super) fn merge_all_optional_one_of(doc: &mut Value, notes: &mut Vec<Note>) {
    let snapshot = doc.clone();
    spec::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        let Some(Value::Array(members)) = map.get("oneOf") else {
            return;
        };
        if members.len() < 2 {
            return;
        }
        let resolved: Vec<&Value> = members.iter().map(|m| spec::deref(&snapshot, m)).collect();
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
        let a = spec::deref(doc, &existing);
        let b = spec::deref(doc, prop);
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
            spec::deref(doc, a.get("items").unwrap_or(&json!({}))),
            spec::deref(doc, b.get("items").unwrap_or(&json!({}))),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
