//! When two schemas are the same: one canonical text of a schema, with two
//! notions of "same".
//!
//! Lowering asks whether two schemas would be the same Rust type (hoisting,
//! merging identical components, merging `oneOf` alternatives); `cargo
//! xtask import` asks whether two inline copies in Zoom's text are the same
//! shape to give one component name. Both compare [`shape_key`]s: canonical
//! JSON (object keys sorted, arrays in order) written by one writer, with
//! the [`Shape`] saying what is left out.

use serde_json::Value;

/// Keywords that only annotate a schema (docs), never change its shape.
pub const ANNOTATIONS: [&str; 7] = [
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "$comment",
];

/// What two schemas with equal keys have in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The same generated Rust type: annotations ([`ANNOTATIONS`]) and
    /// extensions are left out at every level (literal data such as `enum`
    /// values and defaults is kept whole), and the order of `properties` is
    /// significant, since it is the order of the struct's fields.
    RustType,
    /// The same text but for the schema's own top-level `description` (the
    /// one a `$ref` site may carry beside the reference), in any key order:
    /// import's test for two inline copies of one component.
    Written,
}

/// The canonical text of `schema` under `shape` (see [`Shape`]).
pub fn shape_key(schema: &Value, shape: Shape) -> String {
    let mut out = String::new();
    let mut writer = Writer {
        out: &mut out,
        shape,
    };
    match (shape, schema) {
        (Shape::Written, Value::Object(map)) => {
            let entries = map.iter().filter(|(k, _)| *k != "description");
            writer.object(entries, Context::Schema);
        }
        _ => writer.value(schema, Context::Schema),
    }
    out
}

/// Where a value stands, for what may be left out of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A schema (or other structure): annotations may go.
    Schema,
    /// The map of a `properties` keyword: every entry is a field.
    Properties,
    /// Literal data: kept whole.
    Data,
}

struct Writer<'a> {
    out: &'a mut String,
    shape: Shape,
}

impl Writer<'_> {
    fn value(&mut self, v: &Value, context: Context) {
        match v {
            Value::Object(map) => self.object(map.iter(), context),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    let inner = if context == Context::Data {
                        Context::Data
                    } else {
                        Context::Schema
                    };
                    self.value(item, inner);
                }
                self.out.push(']');
            }
            other => self.out.push_str(&other.to_string()),
        }
    }

    fn object<'v>(
        &mut self,
        entries: impl Iterator<Item = (&'v String, &'v Value)>,
        context: Context,
    ) {
        let rust_type = self.shape == Shape::RustType;
        let mut entries: Vec<(&String, &Value)> = entries
            .filter(|(k, _)| {
                !(rust_type
                    && context == Context::Schema
                    && (ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")))
            })
            .collect();
        if !(rust_type && context == Context::Properties) {
            entries.sort_by(|a, b| a.0.cmp(b.0));
        }
        self.out.push('{');
        for (i, (k, val)) in entries.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(&Value::String(k.clone()).to_string());
            self.out.push(':');
            let inner = match context {
                Context::Data => Context::Data,
                Context::Properties => Context::Schema,
                Context::Schema if matches!(k.as_str(), "enum" | "default" | "const") => {
                    Context::Data
                }
                Context::Schema if k == "properties" => Context::Properties,
                Context::Schema => Context::Schema,
            };
            self.value(val, inner);
        }
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rust_type_ignores_annotations_and_keeps_field_order() {
        let key = |v: Value| shape_key(&v, Shape::RustType);
        let a = json!({"type": "object", "description": "x", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}});
        let b = json!({"properties": {"a": {"type": "string", "title": "t"}, "b": {"type": "string"}}, "type": "object"});
        let c = json!({"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "string"}}});
        assert_eq!(key(a.clone()), key(b));
        assert_ne!(key(a), key(c));
        // enum values are data, never stripped; a field named like an
        // annotation is a field.
        assert_ne!(key(json!({"enum": ["x"]})), key(json!({"enum": ["y"]})));
        assert_ne!(
            key(json!({"properties": {"description": {"type": "string"}}})),
            key(json!({"properties": {}}))
        );
        assert_ne!(
            key(json!({"default": {"description": "a"}})),
            key(json!({"default": {"description": "b"}}))
        );
    }

    #[test]
    fn written_ignores_only_the_top_description_and_key_order() {
        let key = |v: Value| shape_key(&v, Shape::Written);
        let a = json!({"type": "object", "description": "x", "properties": {"a": {"type": "string", "description": "d"}}});
        let b =
            json!({"properties": {"a": {"description": "d", "type": "string"}}, "type": "object"});
        let c = json!({"properties": {"a": {"description": "other", "type": "string"}}, "type": "object"});
        assert_eq!(key(a), key(b.clone()));
        assert_ne!(key(b), key(c));
    }
}
