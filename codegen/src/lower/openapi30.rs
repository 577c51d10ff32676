//! OpenAPI 3.1 -> 3.0: what 3.1 says that 3.0 spells differently or not at
//! all, translated without changing what the schema means where 3.0 can say
//! it (`type: [X, "null"]` -> `nullable`, numeric exclusive bounds ->
//! boolean ones, `const` -> a one-value `enum`, `examples` -> `example`),
//! and dropped where 3.0 cannot and the client does not need it (webhooks,
//! `$defs`, `if`/`then`/`else`, ...).
//!
//! The engine (progenitor through `openapiv3`) reads only 3.0. These are
//! translations, not policy: what the client does with the result is
//! decided in [`super::client_policy`] and [`super::engine_limits`].

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

/// Drops what OpenAPI 3.0 has no place for (webhooks, `jsonSchemaDialect`,
/// `components/pathItems`, `info.summary`, `license.identifier`); none of it
/// is used by a client.
pub(super) fn strip_31_only_keys(doc: &mut Value) {
    if let Some(root) = doc.as_object_mut() {
        root.shift_remove("webhooks");
        root.shift_remove("jsonSchemaDialect");
        if let Some(Value::Object(c)) = root.get_mut("components") {
            c.shift_remove("pathItems");
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.shift_remove("summary");
            if let Some(Value::Object(l)) = info.get_mut("license") {
                l.shift_remove("identifier");
            }
        }
    }
}

/// Fills what 3.0 requires and 3.1 (or a spec as Zoom writes it) may
/// leave out: a response's `description` (an empty one; the engine's
/// reader rejects a response without it).
pub(super) fn fill_required_fields(doc: &mut Value) {
    fn fill(responses: Option<&mut Value>) {
        let Some(Value::Object(responses)) = responses else {
            return;
        };
        for response in responses.values_mut() {
            if let Value::Object(r) = response
                && !r.contains_key("$ref")
                && !r.contains_key("description")
            {
                r.insert("description".into(), json!(""));
            }
        }
    }
    fill(doc.pointer_mut("/components/responses"));
    super::for_each_operation_mut(doc, &mut |op, _| fill(op.get_mut("responses")));
}

/// The 3.0 spelling of one schema node (see the module docs); `true` and
/// `false` schemas, which 3.0 has neither of, become `{}` ("anything").
pub(super) fn translate_schema(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        *schema = json!({});
        return;
    };
    lower_nullable_types(map);
    lower_null_alternatives(map);
    lower_exclusive_bounds(map);
    lower_const(map);
    lower_examples(map);
    lower_31_keywords(map);
    lower_boolean_items(map);
}

/// `items: true` -> no `items` (any item); `items: false` -> `maxItems: 0`
/// (no item at all). 3.0 has no boolean schemas, and openapiv3 reads
/// `items` only as a schema.
fn lower_boolean_items(map: &mut Map<String, Value>) {
    match map.get("items") {
        Some(Value::Bool(true)) => {
            map.shift_remove("items");
        }
        Some(Value::Bool(false)) => {
            map.shift_remove("items");
            map.insert("maxItems".into(), json!(0));
        }
        _ => {}
    }
}

/// `type: [X, "null"]` -> `type: X, nullable: true`; `type: "null"` (or
/// `["null"]`) -> the engine's spelling of "only null" (`enum: [null]`);
/// several non-null types -> no `type` (any JSON value), since 3.0 cannot
/// say "string or integer".
fn lower_nullable_types(map: &mut Map<String, Value>) {
    let Some(ty) = map.get("type") else {
        return;
    };
    let (types, mut nullable) = match ty {
        Value::String(t) if t == "null" => (vec![], true),
        Value::String(_) => return,
        Value::Array(a) => {
            let nullable = a.iter().any(|t| t == "null");
            let types: Vec<String> = a
                .iter()
                .filter(|t| *t != "null")
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            (types, nullable)
        }
        _ => return,
    };
    if map.get("nullable") == Some(&Value::Bool(true)) {
        nullable = true;
    }
    match types.as_slice() {
        [] => {
            map.shift_remove("type");
            map.insert("enum".into(), json!([null]));
            map.shift_remove("nullable");
            return;
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        _ => {
            map.shift_remove("type");
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
        // 3.0 admits null through `nullable`, not through `enum`.
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("enum") == Some(&json!([null]))
        && v.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| k == "enum" || k == "nullable" || k == "description")
        })
        || v.get("type") == Some(&json!("null"))
}

/// `oneOf`/`anyOf: [X, {type: null}]` -> `X` made `nullable` (the 3.1 way of
/// writing an optional reference); with several non-null members the null
/// one is removed and the union marked `nullable`.
fn lower_null_alternatives(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_schema(m));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".into(), Value::Bool(true));
        let Some(Value::Array(members)) = map.get(key) else {
            continue;
        };
        if members.len() == 1 {
            let member = members[0].clone();
            map.shift_remove(key);
            match member {
                Value::Object(m) if m.contains_key("$ref") => {
                    map.insert("allOf".into(), Value::Array(vec![Value::Object(m)]));
                }
                Value::Object(m) => {
                    for (k, v) in m {
                        if !(k == "description" && map.contains_key("description")) {
                            map.insert(k, v);
                        }
                    }
                    map.insert("nullable".into(), Value::Bool(true));
                }
                _ => {}
            }
        } else if members.is_empty() {
            map.shift_remove(key);
            map.insert("enum".into(), json!([null]));
            map.shift_remove("nullable");
        }
    }
}

/// Numeric `exclusiveMinimum: n` (3.1) -> `minimum: n` + `exclusiveMinimum:
/// true` (3.0), keeping the tighter bound when both are given. Bounds of an
/// integer schema are made integral (openapiv3 reads them as `i64`), in
/// integer arithmetic: through `f64` a bound above 2^53 lost digits, and
/// one outside `i64` saturated to `i64::MAX`/`MIN`. A bound `i64` cannot
/// hold is dropped: every `i64` value is inside it (or none is, and the
/// engine could not say so either).
fn lower_exclusive_bounds(map: &mut Map<String, Value>) {
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for (bound, exclusive, lower_bound) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        let excl = match map.get(exclusive) {
            Some(Value::Number(n)) => Some(n.clone()),
            Some(Value::Bool(_)) | None => None,
            Some(_) => {
                map.shift_remove(exclusive);
                None
            }
        };
        if let Some(e) = excl {
            map.shift_remove(exclusive);
            let inclusive_is_tighter = match map.get(bound).and_then(Value::as_number) {
                Some(i) if lower_bound => compare(i, &e) == Ordering::Greater,
                Some(i) => compare(i, &e) == Ordering::Less,
                None => false,
            };
            if !inclusive_is_tighter {
                if integer {
                    // x > 4.5 over integers is x >= 5; x > 4 is x >= 5.
                    set_bound(map, bound, integral_bound(&e, lower_bound, true));
                } else {
                    map.insert(bound.into(), number(e.as_f64().unwrap_or_default()));
                    map.insert(exclusive.into(), Value::Bool(true));
                }
            }
        }
        if integer && let Some(v) = map.get(bound).and_then(Value::as_number).cloned() {
            set_bound(map, bound, integral_bound(&v, lower_bound, false));
        }
    }
}

/// Two JSON numbers compared exactly when both are integers.
fn compare(a: &serde_json::Number, b: &serde_json::Number) -> Ordering {
    match (as_integer(a), as_integer(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (
                a.as_f64().unwrap_or_default(),
                b.as_f64().unwrap_or_default(),
            );
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

fn as_integer(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// The smallest (`lower`) or largest integer within the bound `n`
/// (`exclusive` or not), when `i64` holds it.
fn integral_bound(n: &serde_json::Number, lower: bool, exclusive: bool) -> Option<i64> {
    let step = i128::from(exclusive);
    let value = match as_integer(n) {
        Some(i) if lower => i + step,
        Some(i) => i - step,
        None => {
            let f = n.as_f64()?;
            let r = match (lower, exclusive) {
                (true, true) => f.floor() + 1.0,
                (true, false) => f.ceil(),
                (false, true) => f.ceil() - 1.0,
                (false, false) => f.floor(),
            };
            // Within i64 (2^63 itself is not).
            let two_63 = 2f64.powi(63);
            if !(-two_63..two_63).contains(&r) {
                return None;
            }
            r as i128
        }
    };
    i64::try_from(value).ok()
}

fn set_bound(map: &mut Map<String, Value>, key: &str, value: Option<i64>) {
    match value {
        Some(v) => {
            map.insert(key.into(), json!(v));
        }
        None => {
            map.shift_remove(key);
        }
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        json!(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `const: v` -> `enum: [v]` (3.0 has no `const`).
fn lower_const(map: &mut Map<String, Value>) {
    if let Some(v) = map.shift_remove("const")
        && !map.contains_key("enum")
    {
        map.insert("enum".into(), Value::Array(vec![v]));
    }
}

/// `examples: [a, ...]` -> `example: a` (3.0 allows one).
fn lower_examples(map: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = map.shift_remove("examples")
        && !examples.is_empty()
        && !map.contains_key("example")
    {
        map.insert("example".into(), examples.swap_remove(0));
    }
}

/// Drops JSON Schema keywords 3.0 does not have and the client does not
/// need (`$id`, `$defs`, `prefixItems`, `if`/`then`/`else`, ...).
fn lower_31_keywords(map: &mut Map<String, Value>) {
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "$defs",
        "definitions",
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "if",
        "then",
        "else",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedItems",
        "unevaluatedProperties",
        "propertyNames",
        "patternProperties",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    ] {
        map.shift_remove(key);
    }
    if let Some(Value::Array(_)) = map.get("items") {
        map.shift_remove("items");
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::obj;
    use super::*;

    #[test]
    fn responses_get_the_description_3_0_requires() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {}, "404": {"description": "none"}}}}},
            "components": {"responses": {"E": {}, "R": {"$ref": "#/components/responses/E"}}}
        });
        fill_required_fields(&mut doc);
        assert_eq!(
            doc,
            json!({
                "paths": {"/a": {"get": {"responses": {"200": {"description": ""}, "404": {"description": "none"}}}}},
                "components": {"responses": {"E": {"description": ""}, "R": {"$ref": "#/components/responses/E"}}}
            })
        );
    }

    #[test]
    fn nullable_types() {
        let mut m = obj(json!({"type": ["string", "null"], "enum": ["a", null]}));
        lower_nullable_types(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
        let mut m = obj(json!({"type": "null"}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"enum": [null]}));
        let mut m = obj(json!({"type": ["null"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"enum": [null]}));
        let mut m = obj(json!({"type": ["string", "integer"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({}));
        let mut m = obj(json!({"type": ["integer", "string", "null"]}));
        lower_nullable_types(&mut m);
        assert_eq!(Value::Object(m), json!({"nullable": true}));
    }

    #[test]
    fn null_alternatives() {
        let mut m = obj(
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"enum": [null]}], "description": "d"}),
        );
        lower_null_alternatives(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        let mut m =
            obj(json!({"anyOf": [{"type": "string", "description": "inner"}, {"type": "null"}]}));
        lower_null_alternatives(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"nullable": true, "type": "string", "description": "inner"})
        );
    }

    #[test]
    fn exclusive_bounds() {
        let mut m = obj(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1.5, "exclusiveMaximum": true})
        );
        let mut m = obj(json!({"type": "integer", "exclusiveMinimum": 0}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "integer", "minimum": 1}));
        // The inclusive bound is tighter: it wins.
        let mut m = obj(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 1}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "number", "minimum": 5}));
    }

    #[test]
    fn integer_bounds_are_exact_and_never_saturate() {
        // 2^53 + 1: through f64 it became 2^53, and `> 2^53` became
        // `>= 2^53`, admitting a value the spec excludes.
        let mut m = obj(json!({"type": "integer", "exclusiveMinimum": 9007199254740993u64}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "minimum": 9007199254740994u64})
        );
        // u64::MAX saturated to i64::MAX, a tighter bound than written;
        // every i64 is below it, so there is no bound to keep.
        let mut m =
            obj(json!({"type": "integer", "maximum": 18446744073709551615u64, "minimum": -5}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "integer", "minimum": -5}));
        let mut m = obj(json!({"type": "integer", "exclusiveMaximum": 2.5, "minimum": 0.5}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "minimum": 1, "maximum": 2})
        );
        let mut m = obj(json!({"type": "integer", "maximum": 1e300}));
        lower_exclusive_bounds(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "integer"}));
    }

    #[test]
    fn boolean_items() {
        let mut m = obj(json!({"type": "array", "items": false}));
        lower_boolean_items(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "array", "maxItems": 0}));
        let mut m = obj(json!({"type": "array", "items": true}));
        lower_boolean_items(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "array"}));
    }

    #[test]
    fn const_and_examples() {
        let mut m = obj(json!({"type": "string", "const": "fixed", "examples": ["a", "b"]}));
        lower_const(&mut m);
        lower_examples(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["fixed"], "example": "a"})
        );
    }
}
