//! Canonical OpenAPI 3.1 form of a document (used by `cargo xtask regen` to
//! rewrite the spec in place, and as the first step of lowering).
//!
//! Two steps, one module each: [`upgrade`] rewrites 3.0 idioms in their 3.1
//! spelling (`nullable` -> a `null` member of `type`, schema `example` ->
//! `examples`, boolean `exclusiveMinimum` -> numeric), and [`order`] gives
//! every OpenAPI object one fixed key order, so that a diff of the spec
//! shows content changes only; `openapi` becomes `3.1.1`. Field order of
//! `properties` and of `required` is kept: it is the order of the generated
//! struct fields. Literal data (`example`, `default`, `enum`, extension
//! values) is never reordered. `normalize` is idempotent (tested); the text
//! is written by `spec::to_canonical_yaml`.

mod order;
mod upgrade;

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::spec;

/// The canonical 3.1 form of `doc` (see the module docs).
pub(crate) fn normalize(doc: &Value) -> Result<Value> {
    if !doc.is_object() {
        return Err(Error::NotOpenApi {
            location: Location::default(),
            message: "the document is not a mapping".into(),
        });
    }
    let mut doc = doc.clone();
    normalize_line_endings(&mut doc);
    spec::for_each_schema_mut(&mut doc, &mut |schema, _| {
        upgrade::upgrade_schema_to_31(schema)
    });
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), Value::String("3.1.1".into()));
    }
    Ok(order::order_document(doc))
}

fn normalize_line_endings(v: &mut Value) {
    match v {
        Value::String(s) if s.contains('\r') => *s = s.replace("\r\n", "\n").replace('\r', "\n"),
        Value::Array(items) => items.iter_mut().for_each(normalize_line_endings),
        Value::Object(map) => map.values_mut().for_each(normalize_line_endings),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn upgrades_30_idioms() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"version": "1", "title": "T"},
            "paths": {},
            "components": {"schemas": {
                "B": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 5},
                "A": {"nullable": true, "type": "string", "enum": ["x"]}
            }}
        });
        let n = normalize(&doc).unwrap();
        assert_eq!(n["openapi"], "3.1.1");
        assert_eq!(
            n["components"]["schemas"]["A"],
            json!({"type": ["string", "null"], "enum": ["x", null]})
        );
        assert_eq!(
            n["components"]["schemas"]["B"],
            json!({"type": "integer", "exclusiveMinimum": 0, "examples": [5]})
        );
        let keys: Vec<_> = n.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, vec!["openapi", "info", "paths", "components"]);
        let names: Vec<_> = n["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(names, vec!["A", "B"]);
    }
}
