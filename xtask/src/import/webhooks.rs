//! `cargo xtask import <file>` of a webhooks document: Zoom's Accounts
//! webhooks as Zoom publishes them -> `spec/zoom-accounts-webhooks.yaml`.
//!
//! Zoom writes each event as a `post` "path" named after the event
//! (`account.created`), which is not an OpenAPI path (paths start with
//! `/`). OpenAPI 3.1 has a place for exactly this, the `webhooks` map:
//! event name -> the Path Item of the request Zoom sends. The import moves
//! every event there (after inlining the `$ref`s between events, which
//! point into `#/paths/...`), turns the JSON examples Zoom writes as strings into
//! the values they spell (a string that does not parse as JSON stays a
//! string), repairs four slips against JSON Schema (see
//! [`repair_schemas`]), checks that each event declares its JSON body, and writes the
//! canonical text `regen` keeps. Nothing else changes: descriptions, the
//! response schemas Zoom documents, `servers` stay as they are.

use serde_json::{Map, Value};
use zoom_api_codegen::spec::{self, Document, child_pointer};

use super::{ImportError, invalid};

pub use crate::regen::WEBHOOKS_SPEC;

/// A successful webhooks import.
#[derive(Debug)]
pub struct ImportedWebhooks {
    /// The canonical YAML to write to [`WEBHOOKS_SPEC`].
    pub spec: String,
    /// The event names, in the document's order.
    pub events: Vec<String>,
    /// What was repaired (see [`repair_schemas`]), each with its pointer.
    pub repaired: Vec<String>,
}

/// Whether `doc` is a webhooks document rather than an API: it declares
/// `webhooks`, or its `paths` are event names (no key starts with `/`).
pub fn is_webhooks_document(doc: &Value) -> bool {
    let paths = doc.get("paths").and_then(Value::as_object);
    let pseudo = paths.is_some_and(|p| !p.is_empty() && p.keys().all(|k| !k.starts_with('/')));
    let declared = doc.get("webhooks").is_some() && paths.is_none_or(|p| p.is_empty());
    pseudo || declared
}

/// The import itself, in memory.
pub fn import_webhooks(input: &str) -> Result<ImportedWebhooks, ImportError> {
    let source = spec::load(input.as_bytes()).map_err(ImportError::Spec)?;
    let mut doc = source.value.clone();
    // Zoom's settings events refer into each other's schemas with
    // `#/paths/<event>/...`; inlined first, every event stands alone.
    super::inline::inline_document(&mut doc).map_err(|e| ImportError::Invalid {
        location: source.locate(&e.pointer),
        message: e.message,
    })?;
    let Some(root) = doc.as_object_mut() else {
        return Err(not_webhooks(&source, "", "the document is not a mapping"));
    };
    let paths = match root.shift_remove("paths") {
        Some(Value::Object(paths)) => paths,
        Some(_) => return Err(invalid(&source, "/paths", "`paths` must be a mapping")),
        None => Map::new(),
    };
    let mut webhooks = match root.shift_remove("webhooks") {
        Some(Value::Object(w)) => w,
        Some(_) => {
            return Err(invalid(
                &source,
                "/webhooks",
                "`webhooks` must be a mapping",
            ));
        }
        None => Map::new(),
    };
    let mut origin: Vec<(String, String)> = Vec::new();
    for name in webhooks.keys() {
        origin.push((name.clone(), child_pointer("/webhooks", name)));
    }
    for (name, item) in paths {
        let at = child_pointer("/paths", &name);
        if name.starts_with('/') {
            return Err(invalid(
                &source,
                &at,
                "a webhooks document whose other paths are event names has an API path here; \
                 import the API and its webhooks as two files",
            ));
        }
        if webhooks.contains_key(&name) {
            return Err(invalid(
                &source,
                &at,
                format!("event {name:?} is declared both as a path and under `webhooks`"),
            ));
        }
        origin.push((name.clone(), at));
        webhooks.insert(name, item);
    }
    if webhooks.is_empty() {
        return Err(not_webhooks(&source, "", "it declares no events"));
    }
    for (name, at) in &origin {
        let Some(Value::Object(item)) = webhooks.get_mut(name) else {
            return Err(invalid(
                &source,
                at,
                format!("event {name:?} must be a mapping"),
            ));
        };
        let Some(Value::Object(post)) = item.get_mut("post") else {
            return Err(invalid(
                &source,
                at,
                format!("event {name:?} has no `post`: Zoom delivers every event as a POST"),
            ));
        };
        let has_schema = post
            .get("requestBody")
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get("application/json"))
            .and_then(|m| m.get("schema"))
            .is_some();
        if !has_schema {
            return Err(invalid(
                &source,
                &child_pointer(at, "post"),
                format!("event {name:?} declares no `application/json` request body schema"),
            ));
        }
        parse_string_examples(post);
    }
    root.insert("webhooks".into(), Value::Object(webhooks));
    let repaired = repair_schemas(&mut doc);
    let events = origin.into_iter().map(|(name, _)| name).collect();
    let json = serde_json::to_string(&doc).map_err(|e| ImportError::Invalid {
        location: Default::default(),
        message: format!("serializing the imported webhooks: {e}"),
    })?;
    let spec = zoom_api_codegen::normalize_spec(&json).map_err(ImportError::Spec)?;
    Ok(ImportedWebhooks {
        spec,
        events,
        repaired,
    })
}

/// The JSON Schema keywords whose value is a number.
const NUMERIC_KEYWORDS: [&str; 11] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// What Zoom's webhooks text writes against JSON Schema, in three
/// places of the settings events, repaired where the intent is plain:
/// a bound written as a string (`minimum: "1"`) becomes the number; an
/// `enum` of strings on an array (`languages`) moves to its `items` (as the
/// API spec writes the same field); `default: null` on a schema that does
/// not allow `null` is dropped (it says "no default"); the schema's own
/// `type` repeated as a "property" `type: object` (the keyword indented
/// one level too deep) is dropped. Returns what was
/// repaired, with where, for the import's report; anything else is left
/// for validation.
fn repair_schemas(doc: &mut Value) -> Vec<String> {
    let mut repaired = Vec::new();
    spec::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        for key in NUMERIC_KEYWORDS {
            if let Some(value) = map.get_mut(key)
                && let Value::String(text) = value
                && let Ok(number @ Value::Number(_)) = serde_json::from_str::<Value>(text.trim())
            {
                *value = number;
                repaired.push(format!(
                    "{}: a number written as a string",
                    child_pointer(pointer, key)
                ));
            }
        }
        let is_array = map.get("type").and_then(Value::as_str) == Some("array");
        let enum_of_strings = map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_string));
        let items_take_it = map.get("items").is_some_and(|items| {
            items.get("type").and_then(Value::as_str) == Some("string")
                && items.get("enum").is_none()
        });
        if is_array
            && enum_of_strings
            && items_take_it
            && let Some(values) = map.shift_remove("enum")
            && let Some(Value::Object(items)) = map.get_mut("items")
        {
            items.insert("enum".into(), values);
            repaired.push(format!(
                "{}: the array's enum moved to its items",
                child_pointer(pointer, "enum")
            ));
        }
        // `type: object` written one level too deep, as a "property" of a
        // schema that already has that type: the keyword, not a field.
        let own_type = map.get("type").and_then(Value::as_str).map(str::to_owned);
        if let Some(Value::Object(properties)) = map.get_mut("properties")
            && let Some(Value::String(slipped)) = properties.get("type")
            && own_type.as_deref() == Some(slipped.as_str())
        {
            properties.shift_remove("type");
            repaired.push(format!(
                "{}: the schema's `type` repeated inside its properties dropped",
                child_pointer(&child_pointer(pointer, "properties"), "type")
            ));
        }
        let allows_null = match map.get("type") {
            Some(Value::String(t)) => t == "null",
            Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
            _ => true,
        };
        if map.get("default") == Some(&Value::Null) && !allows_null {
            map.shift_remove("default");
            repaired.push(format!(
                "{}: `default: null` on a type without null dropped",
                child_pointer(pointer, "default")
            ));
        }
    });
    repaired
}

/// `examples.*.value` written as a JSON string -> the value it spells, in
/// the request body and the responses of one event.
fn parse_string_examples(post: &mut Map<String, Value>) {
    let mut media: Vec<&mut Value> = Vec::new();
    for (key, value) in post.iter_mut() {
        match key.as_str() {
            "requestBody" => {
                if let Some(Value::Object(content)) = value.get_mut("content") {
                    media.extend(content.values_mut());
                }
            }
            "responses" => {
                if let Value::Object(responses) = value {
                    for response in responses.values_mut() {
                        if let Some(Value::Object(content)) = response.get_mut("content") {
                            media.extend(content.values_mut());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for media_type in media {
        let Some(Value::Object(examples)) = media_type.get_mut("examples") else {
            continue;
        };
        for example in examples.values_mut() {
            if let Some(value) = example.get_mut("value")
                && let Value::String(text) = value
                && let Ok(parsed @ (Value::Object(_) | Value::Array(_))) =
                    serde_json::from_str::<Value>(text)
            {
                *value = parsed;
            }
        }
    }
}

fn not_webhooks(source: &Document, at: &str, message: &str) -> ImportError {
    ImportError::NotZoom {
        location: source.locate(at),
        message: format!("not a webhooks document: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::repair_schemas;

    #[test]
    fn a_type_keyword_indented_into_properties_is_dropped() {
        let mut doc = json!({"components": {"schemas": {"Chat": {
            "type": "object",
            "properties": {"survey_poll": {"type": "boolean"}, "type": "object"},
        }}}});
        let repaired = repair_schemas(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["Chat"]["properties"],
            json!({"survey_poll": {"type": "boolean"}})
        );
        assert_eq!(
            repaired,
            [
                "/components/schemas/Chat/properties/type: the schema's `type` repeated inside its properties dropped"
            ]
        );
        // A real property called `type` stays.
        let mut doc = json!({"components": {"schemas": {"Chat": {
            "type": "object",
            "properties": {"type": {"type": "string"}},
        }}}});
        assert!(repair_schemas(&mut doc).is_empty());
    }
}
