//! What the generated client makes of a schema's `enum`, decided once for
//! lowering (which acts on it) and `cargo xtask diff` (which classifies a
//! changed value list by it).

use serde_json::{Map, Value};

/// The Rust shape of an enumerated schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    /// An open enum: one variant per value, and `Unknown` for the rest
    /// (string values, and any schema not typed as a number or boolean).
    Variants,
    /// The plain number or `bool`; the values are listed in its docs
    /// (`integer`, `number` and `boolean` schemas: a closed list would fail
    /// a whole response on one new code).
    Documented,
}

impl EnumKind {
    /// The kind of `schema`'s `enum`, `None` when it has none. The type is
    /// read in either spelling, 3.1 (`type: [integer, "null"]`) or 3.0
    /// (`type: integer` beside `nullable`).
    pub fn of(schema: &Map<String, Value>) -> Option<Self> {
        schema.get("enum")?;
        Some(if is_scalar(schema) {
            EnumKind::Documented
        } else {
            EnumKind::Variants
        })
    }
}

/// Typed `integer`, `number` or `boolean`, `null` aside.
fn is_scalar(schema: &Map<String, Value>) -> bool {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    matches!(types.as_slice(), ["integer" | "number" | "boolean"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_booleans_are_documented() {
        let kind = |v: Value| EnumKind::of(v.as_object().unwrap());
        assert_eq!(
            kind(json!({"type": "string", "enum": ["a"]})),
            Some(EnumKind::Variants)
        );
        assert_eq!(kind(json!({"enum": ["a", 1]})), Some(EnumKind::Variants));
        assert_eq!(
            kind(json!({"type": "integer", "enum": [1]})),
            Some(EnumKind::Documented)
        );
        assert_eq!(
            kind(json!({"type": ["boolean", "null"], "enum": [true, null]})),
            Some(EnumKind::Documented)
        );
        assert_eq!(kind(json!({"type": "integer"})), None);
    }
}
