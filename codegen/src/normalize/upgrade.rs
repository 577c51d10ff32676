//! 3.0 idioms in their 3.1 spelling, one schema node at a time.

use serde_json::Value;

/// One schema node, 3.0 keywords rewritten in their 3.1 spelling.
pub(super) fn upgrade_schema_to_31(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    // nullable: true -> type: [X, "null"] (and null admitted by enum).
    match map.shift_remove("nullable") {
        Some(Value::Bool(true)) => match map.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                map.insert(
                    "type".into(),
                    Value::Array(vec![Value::String(t), Value::String("null".into())]),
                );
                if let Some(Value::Array(values)) = map.get_mut("enum")
                    && !values.contains(&Value::Null)
                {
                    values.push(Value::Null);
                }
            }
            Some(Value::Array(types)) => {
                if !types.iter().any(|t| t == "null") {
                    types.push(Value::String("null".into()));
                }
            }
            // No type to extend: keep the 3.0 keyword rather than lose it;
            // lowering reads it back.
            _ => {
                map.insert("nullable".into(), Value::Bool(true));
            }
        },
        Some(Value::Bool(false)) | None => {}
        Some(other) => {
            map.insert("nullable".into(), other);
        }
    }
    // example -> examples: [example]
    if let Some(example) = map.shift_remove("example")
        && !map.contains_key("examples")
    {
        map.insert("examples".into(), Value::Array(vec![example]));
    }
    // exclusiveMinimum: true + minimum: n -> exclusiveMinimum: n
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        match map.get(exclusive) {
            Some(Value::Bool(true)) => {
                map.shift_remove(exclusive);
                if let Some(n) = map.shift_remove(bound) {
                    map.insert(exclusive.into(), n);
                }
            }
            Some(Value::Bool(false)) => {
                map.shift_remove(exclusive);
            }
            _ => {}
        }
    }
}
