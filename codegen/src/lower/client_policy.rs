//! What this client decides, where the engine would decide otherwise: it
//! must keep decoding when Zoom adds an enum value, a field or a longer
//! string, must not claim the server sent a value it did not, and should
//! hand over the API's own error body for every error status.
//!
//! Each rule names the engine behaviour it overrides and why.

use serde_json::{Map, Value, json};

use super::{append_description, for_each_operation_mut};
use crate::spec::EnumKind;

/// The policy rules of one schema node, in this order: number enums,
/// closed objects, defaults, string constraints.
pub(super) fn loosen_schema(map: &mut Map<String, Value>) {
    lower_non_string_enums(map);
    lower_closed_objects(map);
    lower_defaults(map);
    lower_string_constraints(map);
}

/// Removes `additionalProperties` beside `properties` (and `true`/`false`
/// anywhere): every generated struct keeps the fields it does not declare
/// (`unknown_fields()`, see `emit::rewrite::records`).
///
/// typify turns `false` into `#[serde(deny_unknown_fields)]`, so a field
/// Zoom adds tomorrow would fail every decode; and a schema beside
/// `properties` into a `#[serde(flatten)]` map that fails the whole object
/// on one value of another type. The schema of the other fields moves into
/// the docs; a map (an object with no `properties`) keeps its value type.
fn lower_closed_objects(map: &mut Map<String, Value>) {
    if matches!(map.get("additionalProperties"), Some(Value::Bool(_))) {
        map.shift_remove("additionalProperties");
    }
    let declares = map
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if declares
        && map
            .get("additionalProperties")
            .is_some_and(Value::is_object)
    {
        let others = map.shift_remove("additionalProperties").unwrap_or_default();
        let shown = match others.get("type").and_then(Value::as_str) {
            Some(ty) => format!("values of type `{ty}`"),
            None => "values of their own schema".to_string(),
        };
        append_description(
            map,
            &format!("Other fields are allowed ({shown}); they are kept as undeclared fields."),
        );
    }
}

/// Moves the `enum` of integer, number and boolean schemas into the docs.
///
/// typify makes a validating newtype of such a schema that rejects any value
/// outside the list on decode, so one value Zoom adds to a code list
/// (`selected_option: 5`) would fail the whole response. Those values are
/// codes whose meaning is in the description anyway; the field becomes the
/// plain number, which keeps whatever the server sends.
fn lower_non_string_enums(map: &mut Map<String, Value>) {
    if EnumKind::of(map) != Some(EnumKind::Documented) {
        return;
    }
    if let Some(Value::Array(values)) = map.shift_remove("enum") {
        let listed: Vec<String> = values.iter().map(Value::to_string).collect();
        append_description(map, &format!("Possible values: {}.", listed.join(", ")));
    }
}

/// Moves every `default` into the description.
///
/// typify turns a property with a default into a non-optional field filled
/// with the default when the value is absent, so a response would claim the
/// server sent a value it did not (and a request would always send it,
/// overriding what the server would decide). A `default` documents what the
/// *server* assumes; the client keeps the field optional and says so.
fn lower_defaults(map: &mut Map<String, Value>) {
    let Some(default) = map.shift_remove("default") else {
        return;
    };
    if !default.is_null() && default != json!("") {
        append_description(map, &format!("Default: `{default}`."));
    }
}

/// Moves `minLength`/`maxLength`/`pattern` of strings into the description.
/// typify turns a constrained string into a newtype that *rejects* values
/// outside the constraint on deserialization, so one over-long name in a
/// response would fail the whole call; it also names that newtype itself.
/// The server validates requests anyway; the docs keep the rule.
fn lower_string_constraints(map: &mut Map<String, Value>) {
    let mut rules = Vec::new();
    for (key, label) in [
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("pattern", "pattern"),
    ] {
        if let Some(v) = map.shift_remove(key) {
            let shown = match &v {
                Value::String(s) => format!("`{s}`"),
                other => other.to_string(),
            };
            rules.push(format!("{label} {shown}"));
        }
    }
    if !rules.is_empty() {
        append_description(map, &format!("Constraints: {}.", rules.join(", ")));
    }
}

/// With a shared error schema (`Settings::with_error_schema`), every
/// operation also gets `4XX` and `5XX` answers of that schema, unless it
/// declares them or a `default`: an API whose errors all share one body
/// answers undocumented statuses with it too, and without a range the
/// engine hands them over undecoded (`Error::UnexpectedResponse`), losing
/// the API's code and message.
pub(super) fn answer_other_errors_with_the_shared_schema(doc: &mut Value, shared: Option<&str>) {
    let Some(name) = shared else {
        return;
    };
    let schema = json!({ "$ref": format!("{}{name}", super::SCHEMA_REF_PREFIX) });
    for_each_operation_mut(doc, &mut |op, _| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
        if responses.contains_key("default") {
            return;
        }
        for (range, what) in [("4XX", "client"), ("5XX", "server")] {
            if !responses.contains_key(range) {
                responses.insert(
                    range.into(),
                    json!({
                        "description": format!("Any other {what} error, with the API's error body."),
                        "content": { "application/json": { "schema": schema.clone() } }
                    }),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::obj;
    use super::*;

    #[test]
    fn string_constraints_become_docs() {
        let mut m = obj(
            json!({"type": "string", "description": "Name.", "maxLength": 64, "pattern": "^[a-z]+$"}),
        );
        lower_string_constraints(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "description": "Name.\n\nConstraints: max length 64, pattern `^[a-z]+$`."})
        );
    }

    #[test]
    fn integer_enums_become_documented_integers() {
        let mut m = obj(json!({"type": "integer", "enum": [1, 2], "description": "Kind."}));
        lower_non_string_enums(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "description": "Kind.\n\nPossible values: 1, 2."})
        );
        let mut m = obj(json!({"type": "string", "enum": ["a"]}));
        lower_non_string_enums(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "string", "enum": ["a"]}));
    }

    #[test]
    fn closed_objects_and_defaults() {
        let mut m = obj(json!({"type": "object", "additionalProperties": false}));
        lower_closed_objects(&mut m);
        assert_eq!(Value::Object(m), json!({"type": "object"}));
        // Beside declared fields a schema goes too; a map keeps its own.
        let mut m = obj(json!({"type": "object", "properties": {"a": {}},
            "additionalProperties": {"type": "integer"}}));
        lower_closed_objects(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "object", "properties": {"a": {}}, "description":
                "Other fields are allowed (values of type `integer`); they are kept as undeclared fields."})
        );
        let map = json!({"type": "object", "additionalProperties": {"type": "integer"}});
        let mut m = obj(map.clone());
        lower_closed_objects(&mut m);
        assert_eq!(Value::Object(m), map);
        let mut m = obj(json!({"type": "string", "enum": ["a"], "default": "b"}));
        lower_defaults(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "string", "enum": ["a"], "description": "Default: `\"b\"`."})
        );
        // A fitting default moves too: absent must stay absent.
        let mut m = obj(json!({"type": "integer", "default": 3, "description": "Size."}));
        lower_defaults(&mut m);
        assert_eq!(
            Value::Object(m),
            json!({"type": "integer", "description": "Size.\n\nDefault: `3`."})
        );
    }
}
