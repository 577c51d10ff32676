//! Schemas derived from examples, where Zoom's reference gives a body only
//! as an example.
//!
//! For some bodies (the information-barrier policies, a role to create)
//! the reference text lists no fields: it shows an example and nothing
//! else, so Zoom's spec has an empty schema there and a client can only
//! take or return "any JSON". This stage gives each such body the schema
//! its example shows: an object's field names in the example's order, each
//! with the JSON type of its value (`string`, `boolean`, `integer`,
//! `number`, `object`, `array`), arrays with the schema of their items
//! (the fields of every item, merged), nothing required, no formats or
//! enums guessed. Every object schema made this way carries
//! [`MARKER`]` : true`, so a reader of the spec (and of the generated
//! types) knows the fields come from an example, not from a field list;
//! equal shapes stay equal, so `hoist` shares them as it shares any other.
//!
//! What counts as "only an example": a request or response media type with
//! an `example` (or a first `examples` entry) that is a JSON object or an
//! array, and a schema that says nothing about its shape ([`is_shapeless`]).
//! A schema with any structure is Zoom's word and stays as it is, so the
//! stage is idempotent and a re-import of our own spec changes nothing.
//!
//! The Zoom-style export ([`forget_derived`]) puts the empty schema back,
//! as Zoom publishes it, so the round trip gives the spec back byte for
//! byte.

use serde_json::{Map, Value, json};
use zoom_api_codegen::spec::{self, child_pointer};

/// The extension on every object schema derived from an example.
pub const MARKER: &str = "x-zoom-schema-from-example";

/// Keys a schema may have and still say nothing about its shape.
const SHAPELESS_KEYS: [&str; 7] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Derives the schema of every media type that has only an example (see
/// the module docs); returns the pointers of the media types it changed,
/// in document order.
pub fn derive_schemas(doc: &mut Value) -> Vec<String> {
    let mut derived = Vec::new();
    for at in media_type_pointers(doc) {
        let Some(Value::Object(media)) = doc.pointer_mut(&at) else {
            continue;
        };
        let Some(example) = example_of(media) else {
            continue;
        };
        let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
        if !is_shapeless(&schema, &example) {
            continue;
        }
        let mut derived_schema = schema_of(&example);
        // What the empty schema said of the body stays said.
        if let (Value::Object(from), Value::Object(to)) = (&schema, &mut derived_schema) {
            for key in [
                "description",
                "title",
                "deprecated",
                "readOnly",
                "writeOnly",
            ] {
                if let Some(value) = from.get(key) {
                    to.insert(key.into(), value.clone());
                }
            }
        }
        media.insert("schema".into(), derived_schema);
        derived.push(at);
    }
    derived
}

/// The inverse, for the Zoom-style export of a fully inlined document:
/// every media-type schema derived from an example (it carries
/// [`MARKER`]) becomes the empty schema again, keeping its description.
pub fn forget_derived(doc: &mut Value) {
    for at in media_type_pointers(doc) {
        let Some(Value::Object(media)) = doc.pointer_mut(&at) else {
            continue;
        };
        let Some(Value::Object(schema)) = media.get("schema") else {
            continue;
        };
        if schema.get(MARKER) != Some(&Value::Bool(true)) {
            continue;
        }
        let kept: Map<String, Value> = schema
            .iter()
            .filter(|(key, _)| SHAPELESS_KEYS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        media.insert("schema".into(), Value::Object(kept));
    }
}

/// The pointers of every request-body and response media type of every
/// operation, in document order.
fn media_type_pointers(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for op in spec::operations(doc) {
        let Some(operation) = doc.pointer(&op.pointer) else {
            continue;
        };
        let mut bodies = Vec::new();
        if operation.get("requestBody").is_some() {
            bodies.push(child_pointer(&op.pointer, "requestBody"));
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            let at = child_pointer(&op.pointer, "responses");
            bodies.extend(responses.keys().map(|status| child_pointer(&at, status)));
        }
        for body in bodies {
            let content = child_pointer(&body, "content");
            if let Some(Value::Object(media_types)) = doc.pointer(&content) {
                out.extend(
                    media_types
                        .keys()
                        .map(|media| child_pointer(&content, media)),
                );
            }
        }
    }
    out
}

/// The media type's example: `example`, else the `value` of the first
/// entry of `examples`.
fn example_of(media: &Map<String, Value>) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let Some(Value::Object(examples)) = media.get("examples") else {
        return None;
    };
    examples.values().next()?.get("value").cloned()
}

/// Whether `schema` says nothing about the shape of `example`, so that the
/// example is all the reference gives: no keys but the ones in
/// [`SHAPELESS_KEYS`], or also `type: object` (without properties) for an
/// object example. An example that is not an object or an array is left
/// alone: a scalar's schema would say no more than its type.
pub fn is_shapeless(schema: &Value, example: &Value) -> bool {
    let Value::Object(schema) = schema else {
        return false;
    };
    if !matches!(example, Value::Object(_) | Value::Array(_)) {
        return false;
    }
    schema.iter().all(|(key, value)| {
        SHAPELESS_KEYS.contains(&key.as_str())
            || (key == "type" && value == "object" && example.is_object())
    })
}

/// The schema an example shows (see the module docs).
pub fn schema_of(example: &Value) -> Value {
    match example {
        Value::Object(fields) => object_schema(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), schema_of(value)))
                .collect(),
        ),
        Value::Array(items) => {
            let mut schema = json!({"type": "array"});
            let item = items.iter().map(schema_of).reduce(|a, b| merge(&a, &b));
            if let Some(item) = item {
                schema["items"] = item;
            }
            schema
        }
        Value::String(_) => json!({"type": "string"}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"type": "integer"}),
        Value::Number(_) => json!({"type": "number"}),
        // A `null` says nothing of the type the field has otherwise.
        Value::Null => json!({}),
    }
}

/// A derived object schema with these properties, marked.
fn object_schema(properties: Map<String, Value>) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    if !properties.is_empty() {
        schema.insert("properties".into(), Value::Object(properties));
    }
    schema.insert(MARKER.into(), Value::Bool(true));
    Value::Object(schema)
}

/// One schema for two items of an array: objects with the fields of both
/// (a field of both, merged), `integer` and `number` as `number`, arrays
/// with their items merged; anything else that differs is any JSON (`{}`).
fn merge(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    let kind = |s: &Value| s.get("type").and_then(Value::as_str).map(str::to_owned);
    match (kind(a).as_deref(), kind(b).as_deref()) {
        (Some("object"), Some("object")) => {
            let empty = Map::new();
            let props = |s: &Value| {
                s.get("properties")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_else(|| empty.clone())
            };
            let (mut merged, other) = (props(a), props(b));
            for (name, schema) in other {
                let both = match merged.get(&name) {
                    Some(mine) => merge(mine, &schema),
                    None => schema,
                };
                merged.insert(name, both);
            }
            object_schema(merged)
        }
        (Some("array"), Some("array")) => match (a.get("items"), b.get("items")) {
            (Some(x), Some(y)) => json!({"type": "array", "items": merge(x, y)}),
            (Some(x), None) | (None, Some(x)) => json!({"type": "array", "items": x}),
            (None, None) => json!({"type": "array"}),
        },
        (Some("integer" | "number"), Some("integer" | "number")) => json!({"type": "number"}),
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_gives_field_names_json_types_and_arrays() {
        let example = json!({
            "name": "My role",
            "active": true,
            "status": 1,
            "ratio": 0.5,
            "privileges": ["User:Read"],
            "settings": {"im": false},
            "empty": [],
            "unknown": null,
            "nothing": {}
        });
        assert_eq!(
            schema_of(&example),
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "active": {"type": "boolean"},
                    "status": {"type": "integer"},
                    "ratio": {"type": "number"},
                    "privileges": {"type": "array", "items": {"type": "string"}},
                    "settings": {
                        "type": "object",
                        "properties": {"im": {"type": "boolean"}},
                        MARKER: true
                    },
                    "empty": {"type": "array"},
                    "unknown": {},
                    "nothing": {"type": "object", MARKER: true}
                },
                MARKER: true
            })
        );
        // Field order is the example's.
        let keys: Vec<_> = schema_of(&example)["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(keys[..3], ["name", "active", "status"]);
    }

    #[test]
    fn array_items_merge_their_fields() {
        let example = json!([
            {"id": "a", "size": 1, "tags": ["x"]},
            {"id": "b", "size": 2.5, "extra": {"k": 1}, "tags": []},
            {"id": 3}
        ]);
        assert_eq!(
            schema_of(&example),
            json!({
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {},
                        "size": {"type": "number"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "extra": {
                            "type": "object",
                            "properties": {"k": {"type": "integer"}},
                            MARKER: true
                        }
                    },
                    MARKER: true
                }
            })
        );
    }

    #[test]
    fn only_a_schema_that_says_nothing_is_replaced() {
        let object = json!({"a": 1});
        let cases = [
            (json!({}), &object, true),
            (json!({"description": "The policy."}), &object, true),
            (json!({"type": "object"}), &object, true),
            (json!({"type": "object"}), &json!([1]), false),
            (json!({}), &json!([1]), true),
            (json!({}), &json!("text"), false),
            (json!({}), &json!(3), false),
            (json!({"type": "object", "properties": {}}), &object, false),
            (json!({"type": "string"}), &object, false),
            (json!({"$ref": "#/components/schemas/X"}), &object, false),
            (
                json!({"type": "object", "additionalProperties": true}),
                &object,
                false,
            ),
            (json!(true), &object, false),
        ];
        for (schema, example, expected) in cases {
            assert_eq!(
                is_shapeless(&schema, example),
                expected,
                "{schema} / {example}"
            );
        }
    }

    fn document(media: Value) -> Value {
        json!({
            "openapi": "3.1.1",
            "info": {"title": "T", "version": "1"},
            "paths": {"/things": {"post": {
                "operationId": "createThing",
                "requestBody": {"content": {"application/json": media.clone()}},
                "responses": {
                    "201": {"description": "ok", "content": {"application/json": media}},
                    "204": {"description": "none"}
                }
            }}}
        })
    }

    #[test]
    fn bodies_are_derived_and_the_export_forgets_them() {
        let original = document(json!({
            "schema": {"description": "A thing."},
            "example": {"id": "t1", "count": 2}
        }));
        let mut doc = original.clone();
        let derived = derive_schemas(&mut doc);
        assert_eq!(
            derived,
            [
                "/paths/~1things/post/requestBody/content/application~1json",
                "/paths/~1things/post/responses/201/content/application~1json",
            ]
        );
        let schema = doc
            .pointer("/paths/~1things/post/requestBody/content/application~1json/schema")
            .unwrap();
        assert_eq!(
            schema,
            &json!({
                "type": "object",
                "properties": {"id": {"type": "string"}, "count": {"type": "integer"}},
                MARKER: true,
                "description": "A thing."
            })
        );
        // Idempotent: a derived schema has a shape.
        let again = doc.clone();
        assert!(derive_schemas(&mut doc).is_empty());
        assert_eq!(doc, again);
        // The export puts back what Zoom publishes.
        forget_derived(&mut doc);
        assert_eq!(doc, original);
    }

    #[test]
    fn the_first_of_examples_counts_and_a_schema_with_a_shape_stays() {
        let mut doc = document(json!({
            "schema": {},
            "examples": {"one": {"value": {"a": true}}, "two": {"value": {"b": 1}}}
        }));
        derive_schemas(&mut doc);
        assert_eq!(
            doc.pointer(
                "/paths/~1things/post/responses/201/content/application~1json/schema/properties"
            ),
            Some(&json!({"a": {"type": "boolean"}}))
        );
        let mut doc = document(json!({
            "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
            "example": {"a": "x", "b": 2}
        }));
        let before = doc.clone();
        assert!(derive_schemas(&mut doc).is_empty());
        assert_eq!(doc, before);
    }
}
