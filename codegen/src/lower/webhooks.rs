//! Webhook events in the client's type space.
//!
//! A webhooks document (OpenAPI 3.1 `webhooks`: event name -> the Path Item
//! of the `POST` Zoom sends) describes payloads, not operations. Each
//! event's JSON body schema becomes a component of the API document before
//! any schema rule runs ([`add_event_schemas`]), marked with the event it
//! stands for, so that lowering, hoisting and merging treat it as they
//! treat the API's types: a webhook sub-object structurally identical to an
//! API type *is* that type, and one that differs keeps its own. Two rules
//! are specific to webhooks, and live in naming: the event roots are never
//! merged with anything (one payload type per event), and when a merged
//! group holds API types, its name is the one the API types alone would
//! get (webhooks never rename an API type). After naming, [`collect`]
//! reads the events; `emit` puts the types only webhooks reach behind the
//! webhooks feature.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{SCHEMA_REF_PREFIX, structural_key};
use crate::error::{Error, Result};
use crate::spec::{self, Document, child_pointer};

/// Marks the component of an event's payload with the event's name.
pub(crate) const EVENT_MARKER: &str = "x-zoom-webhook-event";

/// One webhook event and the type of its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebhookEvent {
    /// The event name Zoom sends in `event` (`account.created`).
    pub event: String,
    /// The component (and Rust type name) of its payload.
    pub type_name: String,
    /// The first paragraph of the event's description, for the variant.
    pub summary: Option<String>,
}

/// The webhooks of a lowered document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Webhooks {
    /// In the webhooks document's (sorted) order.
    pub events: Vec<WebhookEvent>,
}

/// Adds every event's body schema of `webhooks` (a canonical webhooks
/// document, read from `source`) to the components of `doc`, and the
/// webhooks document's own component schemas beside the API's.
pub(super) fn add_event_schemas(
    doc: &mut Value,
    webhooks: &Value,
    source: &Document,
) -> Result<()> {
    let invalid = |pointer: &str, message: String| {
        Error::Webhooks(Box::new(Error::Invalid {
            location: source.locate(pointer),
            message,
        }))
    };
    let Some(root) = doc.as_object_mut() else {
        return Ok(());
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else {
        return Err(invalid(
            "/components",
            "`components` must be a mapping".into(),
        ));
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(schemas) = schemas.as_object_mut() else {
        return Err(invalid("/components/schemas", "must be a mapping".into()));
    };
    // Components the webhooks refer to keep their names; a name both
    // documents use must be the same type.
    if let Some(Value::Object(own)) = webhooks.pointer("/components/schemas") {
        for (name, schema) in own {
            match schemas.get(name) {
                Some(api) if structural_key(api) == structural_key(schema) => {}
                Some(_) => {
                    return Err(invalid(
                        &child_pointer("/components/schemas", name),
                        format!("component {name:?} is also in the API spec, with another shape"),
                    ));
                }
                None => {
                    schemas.insert(name.clone(), schema.clone());
                }
            }
        }
    }
    let Some(events) = webhooks.get("webhooks").and_then(Value::as_object) else {
        return Err(invalid("", "it has no `webhooks`".into()));
    };
    for (event, item) in events {
        let at = child_pointer("/webhooks", event);
        let Some(post) = item.get("post") else {
            return Err(invalid(&at, format!("event {event:?} has no `post`")));
        };
        let body = child_pointer(&at, "post");
        let Some(schema) = post
            .pointer("/requestBody/content/application~1json/schema")
            .and_then(Value::as_object)
        else {
            return Err(invalid(
                &body,
                format!("event {event:?} declares no `application/json` request body schema"),
            ));
        };
        let type_name = format!("{}Event", super::naming::pascal_ident(event));
        if schemas.contains_key(&type_name) {
            return Err(invalid(
                &at,
                format!("the payload type {type_name} of event {event:?} is already a component"),
            ));
        }
        let mut schema = schema.clone();
        let description = post
            .pointer("/requestBody/description")
            .and_then(Value::as_str);
        if let Some(text) = description
            && !schema.contains_key("description")
        {
            schema.insert("description".into(), Value::String(text.to_owned()));
        }
        schema.insert(EVENT_MARKER.into(), Value::String(event.clone()));
        schemas.insert(type_name, Value::Object(schema));
    }
    Ok(())
}

/// The components that stand for an event (never merged with another).
pub(super) fn event_components(doc: &Value) -> BTreeSet<String> {
    schemas(doc)
        .map(|s| {
            s.iter()
                .filter(|(_, schema)| schema.get(EVENT_MARKER).is_some())
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The components reachable from an event but from no operation.
pub(super) fn webhook_only_components(doc: &Value) -> BTreeSet<String> {
    let from_events = reachable(doc, event_components(doc));
    if from_events.is_empty() {
        return from_events;
    }
    let mut operation_roots = BTreeSet::new();
    if let Some(paths) = doc.get("paths") {
        let _ = spec::for_each_ref::<()>(paths, "/paths", &mut |reference, _| {
            if let Some(name) = reference.strip_prefix(SCHEMA_REF_PREFIX) {
                operation_roots.insert(name.to_owned());
            }
            Ok(())
        });
    }
    let from_operations = reachable(doc, operation_roots);
    from_events.difference(&from_operations).cloned().collect()
}

/// The events of a named document.
pub(super) fn collect(doc: &Value) -> Webhooks {
    let Some(schemas) = schemas(doc) else {
        return Webhooks::default();
    };
    let mut events: Vec<WebhookEvent> = schemas
        .iter()
        .filter_map(|(name, schema)| {
            let event = schema.get(EVENT_MARKER)?.as_str()?.to_owned();
            let summary = schema
                .get("description")
                .and_then(Value::as_str)
                .and_then(first_paragraph);
            Some(WebhookEvent {
                event,
                type_name: spec::type_ident(name),
                summary,
            })
        })
        .collect();
    events.sort_by(|a, b| a.event.cmp(&b.event));
    Webhooks { events }
}

fn schemas(doc: &Value) -> Option<&Map<String, Value>> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
}

/// The components `roots` refer to, transitively, with the roots.
fn reachable(doc: &Value, roots: BTreeSet<String>) -> BTreeSet<String> {
    let Some(schemas) = schemas(doc) else {
        return BTreeSet::new();
    };
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let _ = spec::for_each_ref::<()>(schema, "", &mut |reference, _| {
                if let Some(next) = reference.strip_prefix(SCHEMA_REF_PREFIX)
                    && !seen.contains(next)
                {
                    todo.push(next.to_owned());
                }
                Ok(())
            });
        }
    }
    seen
}

/// The first paragraph of Markdown text that is not a heading.
fn first_paragraph(text: &str) -> Option<String> {
    text.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_no_operation_reaches_is_webhook_only() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}}}}},
            "components": {"schemas": {
                "Shared": {"type": "object", "properties": {"id": {"type": "string"}}},
                "AEvent": {EVENT_MARKER: "a", "type": "object", "properties": {
                    "object": {"$ref": "#/components/schemas/Shared"},
                    "extra": {"$ref": "#/components/schemas/AEventExtra"}}},
                "AEventExtra": {"type": "object", "properties": {"n": {"type": "integer"}}}
            }}
        });
        let only = webhook_only_components(&doc);
        assert_eq!(
            only,
            BTreeSet::from(["AEvent".to_owned(), "AEventExtra".to_owned()])
        );
        assert_eq!(
            event_components(&doc),
            BTreeSet::from(["AEvent".to_owned()])
        );
    }

    #[test]
    fn an_event_without_a_json_body_is_an_error_at_its_place() {
        let text = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\nwebhooks:\n  a.b:\n    post:\n      responses: {}\n";
        let source = crate::spec::load(text.as_bytes()).unwrap();
        let mut doc = json!({"paths": {}});
        let err = add_event_schemas(&mut doc, &source.value, &source).unwrap_err();
        assert_eq!(
            err.to_string(),
            "webhooks document: at /webhooks/a.b/post (line 7): event \"a.b\" declares no `application/json` request body schema"
        );
    }

    #[test]
    fn the_summary_skips_the_heading() {
        assert_eq!(
            first_paragraph("# account.created\n\nThe **Sub Account** event.\n\nMore."),
            Some("The **Sub Account** event.".into())
        );
    }
}
