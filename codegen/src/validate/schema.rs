//! Every schema keyword's value, checked against what JSON Schema 2020-12
//! (OpenAPI 3.1) and the OpenAPI 3.0 schema object allow.
//!
//! The engine reads schemas through `openapiv3` and typify, which `todo!`,
//! panic or loop on values of the wrong kind (`type: Date`, `items: []`,
//! `properties` given as a list); a spec that gets here is reported at the
//! exact keyword instead, before any stage reads it. The rules are the
//! union of the two dialects (the boolean `exclusiveMinimum` and `nullable`
//! of 3.0 beside the numeric bounds and `type` lists of 3.1), since
//! `normalize` turns either into the other. Keywords neither dialect
//! defines are ignored, as JSON Schema ignores them; extensions (`x-*`) and
//! literal data (`enum` values, `default`, `example`, `const`) may hold
//! anything.
//!
//! Two rules look beyond one node: a `$ref` chain that comes back to where
//! it started never reaches a schema (there is no type to generate), and
//! neither does a schema that is one of its own `allOf` members, or the
//! only member of its own `oneOf`/`anyOf`, through references.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::spec::{self, Document, child_pointer};

/// JSON Schema's seven type names, in the order messages list them.
pub(crate) const TYPE_NAMES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// What the value of a keyword must be.
#[derive(Debug, Clone, Copy)]
enum Expected {
    /// `type`: a type name or a non-empty list of distinct ones.
    TypeNames,
    /// A schema (an object, or a boolean in 3.1).
    Schema,
    /// A non-empty list of schemas.
    SchemaList,
    /// A mapping of names to schemas.
    SchemaMap,
    /// A list of distinct strings (`required`).
    StringSet,
    /// A mapping of names to lists of distinct strings (`dependentRequired`).
    StringSetMap,
    String,
    Boolean,
    /// A number.
    Number,
    /// A number greater than 0 (`multipleOf`).
    PositiveNumber,
    /// A non-negative integer (`maxLength`, `minItems`, ...).
    Count,
    /// A number (3.1) or a boolean (3.0): `exclusiveMinimum`.
    NumberOrBoolean,
    /// Any list (`enum`, `examples`).
    List,
    /// Any mapping (`xml`, `externalDocs`, `discriminator`).
    Mapping,
}

fn expected(keyword: &str) -> Option<Expected> {
    use Expected::*;
    Some(match keyword {
        "type" => TypeNames,
        "items"
        | "additionalItems"
        | "additionalProperties"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "not"
        | "contains"
        | "if"
        | "then"
        | "else"
        | "propertyNames"
        | "contentSchema" => Schema,
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => SchemaList,
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            SchemaMap
        }
        "required" => StringSet,
        "dependentRequired" => StringSetMap,
        "$ref" | "$id" | "$anchor" | "$dynamicRef" | "$dynamicAnchor" | "$schema" | "$comment"
        | "format" | "pattern" | "title" | "description" | "contentMediaType"
        | "contentEncoding" => String,
        "uniqueItems" | "nullable" | "readOnly" | "writeOnly" | "deprecated" => Boolean,
        "maximum" | "minimum" => Number,
        "multipleOf" => PositiveNumber,
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties"
        | "maxContains" | "minContains" => Count,
        "exclusiveMaximum" | "exclusiveMinimum" => NumberOrBoolean,
        "enum" | "examples" => List,
        "xml" | "externalDocs" | "discriminator" => Mapping,
        _ => return None,
    })
}

/// What a JSON value is, for messages: `a string ("Date")`, `a list`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// Checks every schema of the document; the first problem in document order.
pub(super) fn check_schemas(doc: &Document) -> Result<()> {
    let mut first: Option<Error> = None;
    spec::for_each_root_schema(&doc.value, &mut |schema, pointer| {
        if first.is_none()
            && let Err(e) = check_schema(doc, schema, pointer)
        {
            first = Some(e);
        }
    });
    match first {
        Some(e) => Err(e),
        None => check_reference_cycles(doc),
    }
}

fn invalid(doc: &Document, pointer: &str, message: impl Into<String>) -> Error {
    Error::Invalid {
        location: doc.locate(pointer),
        message: message.into(),
    }
}

/// One schema node and everything under it, keywords in document order,
/// a node before its subschemas.
fn check_schema(doc: &Document, schema: &Value, pointer: &str) -> Result<()> {
    let map = match schema {
        Value::Object(map) => map,
        Value::Bool(_) => return Ok(()),
        other => {
            return Err(invalid(
                doc,
                pointer,
                format!(
                    "a schema must be a mapping (or true/false), not {}",
                    describe(other)
                ),
            ));
        }
    };
    for (keyword, value) in map {
        if keyword.starts_with("x-") {
            continue;
        }
        if let Some(kind) = expected(keyword) {
            check_keyword(doc, keyword, kind, value, &child_pointer(pointer, keyword))?;
        }
    }
    let mut result = Ok(());
    spec::for_each_subschema(map, pointer, &mut |sub, p| {
        if result.is_ok() {
            result = check_schema(doc, sub, p);
        }
    });
    result
}

fn check_keyword(
    doc: &Document,
    keyword: &str,
    kind: Expected,
    value: &Value,
    pointer: &str,
) -> Result<()> {
    let wrong = |what: &str| {
        Err(invalid(
            doc,
            pointer,
            format!("`{keyword}` must be {what}, not {}", describe(value)),
        ))
    };
    let is_schema = |v: &Value| v.is_object() || v.is_boolean();
    match kind {
        Expected::TypeNames => check_type(doc, value, pointer),
        Expected::Schema if is_schema(value) => Ok(()),
        Expected::Schema if keyword == "items" && value.is_array() => {
            wrong("a schema (a list of item schemas is `prefixItems` in JSON Schema 2020-12)")
        }
        Expected::Schema => wrong("a schema (a mapping, or true/false)"),
        Expected::SchemaList => {
            let Value::Array(items) = value else {
                return wrong("a list of schemas");
            };
            if items.is_empty() {
                return wrong("a non-empty list of schemas");
            }
            Ok(())
        }
        Expected::SchemaMap => {
            if value.is_object() {
                Ok(())
            } else if keyword == "properties" {
                wrong("a mapping of property names to schemas")
            } else {
                wrong("a mapping of names to schemas")
            }
        }
        Expected::StringSet => check_string_set(doc, keyword, value, pointer),
        Expected::StringSetMap => {
            let Value::Object(map) = value else {
                return wrong("a mapping of property names to lists of property names");
            };
            for (name, list) in map {
                check_string_set(doc, keyword, list, &child_pointer(pointer, name))?;
            }
            Ok(())
        }
        Expected::String if value.is_string() => Ok(()),
        Expected::String => wrong("a string"),
        Expected::Boolean if value.is_boolean() => Ok(()),
        Expected::Boolean => wrong("true or false"),
        Expected::Number if value.is_number() => Ok(()),
        Expected::Number => wrong("a number"),
        Expected::PositiveNumber if value.as_f64().is_some_and(|n| n > 0.0) => Ok(()),
        Expected::PositiveNumber => wrong("a number greater than 0"),
        Expected::Count if is_count(value) => Ok(()),
        Expected::Count => wrong("a non-negative integer"),
        Expected::NumberOrBoolean if value.is_number() || value.is_boolean() => Ok(()),
        Expected::NumberOrBoolean => wrong("a number (or, in OpenAPI 3.0, true/false)"),
        Expected::List if value.is_array() => Ok(()),
        Expected::List => wrong("a list"),
        Expected::Mapping if value.is_object() => check_mapping(doc, keyword, value, pointer),
        Expected::Mapping => wrong("a mapping"),
    }
}

/// A non-negative integer; JSON Schema counts `2.0` as an integer too.
fn is_count(value: &Value) -> bool {
    value.is_u64() || value.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0)
}

fn check_type(doc: &Document, value: &Value, pointer: &str) -> Result<()> {
    let one = |name: &Value, at: &str| -> Result<()> {
        match name {
            Value::String(s) if TYPE_NAMES.contains(&s.as_str()) => Ok(()),
            Value::String(s) => Err(invalid(
                doc,
                at,
                format!(
                    "{s:?} is not a JSON Schema type (one of: {})",
                    TYPE_NAMES.join(", ")
                ),
            )),
            other => Err(invalid(
                doc,
                at,
                format!(
                    "a type must be one of {}, not {}",
                    TYPE_NAMES.join(", "),
                    describe(other)
                ),
            )),
        }
    };
    match value {
        Value::Array(names) => {
            if names.is_empty() {
                return Err(invalid(doc, pointer, "`type` must not be an empty list"));
            }
            let mut seen = HashSet::new();
            for (i, name) in names.iter().enumerate() {
                let at = format!("{pointer}/{i}");
                one(name, &at)?;
                if !seen.insert(name.as_str()) {
                    return Err(invalid(doc, &at, format!("type {name} is listed twice")));
                }
            }
            Ok(())
        }
        other => one(other, pointer),
    }
}

fn check_string_set(doc: &Document, keyword: &str, value: &Value, pointer: &str) -> Result<()> {
    let Value::Array(items) = value else {
        return Err(invalid(
            doc,
            pointer,
            format!(
                "`{keyword}` must be a list of property names, not {}",
                describe(value)
            ),
        ));
    };
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        let Some(name) = item.as_str() else {
            return Err(invalid(
                doc,
                &at,
                format!("a property name must be a string, not {}", describe(item)),
            ));
        };
        if !seen.insert(name) {
            return Err(invalid(
                doc,
                &at,
                format!("property {name:?} is listed twice"),
            ));
        }
    }
    Ok(())
}

/// The mappings whose fields the engine reads: a discriminator's property
/// and mapping, external docs' URL.
fn check_mapping(doc: &Document, keyword: &str, value: &Value, pointer: &str) -> Result<()> {
    let map = value.as_object().cloned().unwrap_or_default();
    let field = |name: &str, required: bool| -> Result<()> {
        match map.get(name) {
            Some(Value::String(_)) => Ok(()),
            None if !required => Ok(()),
            None => Err(invalid(
                doc,
                pointer,
                format!("`{keyword}` must have a string `{name}`"),
            )),
            Some(other) => Err(invalid(
                doc,
                &child_pointer(pointer, name),
                format!(
                    "`{keyword}.{name}` must be a string, not {}",
                    describe(other)
                ),
            )),
        }
    };
    match keyword {
        "discriminator" => {
            field("propertyName", true)?;
            if let Some(mapping) = map.get("mapping") {
                let at = child_pointer(pointer, "mapping");
                let Value::Object(entries) = mapping else {
                    return Err(invalid(
                        doc,
                        &at,
                        "`discriminator.mapping` must be a mapping of values to schema references",
                    ));
                };
                for (name, target) in entries {
                    if !target.is_string() {
                        return Err(invalid(
                            doc,
                            &child_pointer(&at, name),
                            format!(
                                "a discriminator mapping must name a schema, not {}",
                                describe(target)
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }
        "externalDocs" => field("url", true).and(field("description", false)),
        _ => Ok(()),
    }
}

/// Where a schema includes another as a whole: its `$ref`, its `allOf`
/// members (the engine merges those into the schema itself), and the one
/// member of a `oneOf`/`anyOf` of one. A cycle of these edges alone never
/// reaches a schema that could be generated; through `properties`, `items`,
/// or a union with another member, a cycle is a recursive type, which is
/// fine.
fn inclusions(schema: &Map<String, Value>, pointer: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Value::String(reference)) = schema.get("$ref") {
        out.push((child_pointer(pointer, "$ref"), reference.clone()));
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        let Some(Value::Array(members)) = schema.get(key) else {
            continue;
        };
        // A union of one is its member; a union of more reaches the others.
        if key != "allOf" && members.len() != 1 {
            continue;
        }
        for (i, member) in members.iter().enumerate() {
            if let Some(Value::String(reference)) = member.get("$ref") {
                out.push((format!("{pointer}/{key}/{i}/$ref"), reference.clone()));
            }
        }
    }
    out
}

/// `$ref` (and `allOf`) cycles that never reach a schema; the error is at
/// the first reference of the cycle in document order.
fn check_reference_cycles(doc: &Document) -> Result<()> {
    // Reference targets already known to reach a schema.
    let mut settled: HashSet<String> = HashSet::new();
    let mut result = Ok(());
    spec::for_each_schema(&doc.value, &mut |schema, pointer| {
        if result.is_err() {
            return;
        }
        let Some(map) = schema.as_object() else {
            return;
        };
        for (at, reference) in inclusions(map, pointer) {
            let mut path = vec![reference.clone()];
            if let Err(cycle) = follow(doc, &reference, &mut path, &mut settled) {
                result = Err(invalid(
                    doc,
                    &at,
                    format!(
                        "{} never reaches a schema: a reference cycle through `$ref`/`allOf` (or a union of one) alone (a recursive type needs a property or `items` in the cycle)",
                        cycle.join(" -> ")
                    ),
                ));
                return;
            }
        }
    });
    result
}

/// Follows the inclusions of `reference`'s target depth-first; `Err` with
/// the cycle when one comes back to a reference on `path`.
fn follow(
    doc: &Document,
    reference: &str,
    path: &mut Vec<String>,
    settled: &mut HashSet<String>,
) -> std::result::Result<(), Vec<String>> {
    if settled.contains(reference) {
        return Ok(());
    }
    let Some(Value::Object(target)) = spec::resolve_ref(&doc.value, reference) else {
        // Broken references are reported by `check_refs`.
        return Ok(());
    };
    let target_pointer = reference.strip_prefix('#').unwrap_or(reference);
    for (_, next) in inclusions(target, target_pointer) {
        if let Some(start) = path.iter().position(|r| *r == next) {
            let mut cycle = path[start..].to_vec();
            cycle.push(next);
            return Err(cycle);
        }
        // The path is bounded by the number of distinct references.
        path.push(next.clone());
        let step = follow(doc, &next, path, settled);
        path.pop();
        step?;
    }
    settled.insert(reference.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load;

    fn check(schemas: &str) -> std::result::Result<(), String> {
        let text = format!(
            "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let doc = load(text.as_bytes()).map_err(|e| e.to_string())?;
        check_schemas(&doc).map_err(|e| e.to_string())
    }

    #[test]
    fn keyword_values_are_checked_where_they_stand() {
        let cases = [
            (
                "    Invoice:\n      properties:\n        date:\n          type: Date\n",
                "at /components/schemas/Invoice/properties/date/type (line 11): \"Date\" is not a JSON Schema type (one of: array, boolean, integer, null, number, object, string)",
            ),
            (
                "    A:\n      type: [string, Integer]\n",
                "at /components/schemas/A/type/1 (line 9): \"Integer\" is not a JSON Schema type (one of: array, boolean, integer, null, number, object, string)",
            ),
            (
                "    A:\n      type: array\n      items: [{type: string}]\n",
                "at /components/schemas/A/items (line 10): `items` must be a schema (a list of item schemas is `prefixItems` in JSON Schema 2020-12), not a list",
            ),
            (
                "    A:\n      properties:\n        - name: x\n",
                "at /components/schemas/A/properties (line 9): `properties` must be a mapping of property names to schemas, not a list",
            ),
            (
                "    A:\n      required: true\n",
                "at /components/schemas/A/required (line 9): `required` must be a list of property names, not true",
            ),
            (
                "    A:\n      required: [a, a]\n",
                "at /components/schemas/A/required/1 (line 9): property \"a\" is listed twice",
            ),
            (
                "    A:\n      properties:\n        b: string\n",
                "at /components/schemas/A/properties/b (line 10): a schema must be a mapping (or true/false), not the string \"string\"",
            ),
            (
                "    A:\n      format: 5\n",
                "at /components/schemas/A/format (line 9): `format` must be a string, not the number 5",
            ),
            (
                "    A:\n      maxLength: -1\n",
                "at /components/schemas/A/maxLength (line 9): `maxLength` must be a non-negative integer, not the number -1",
            ),
            (
                "    A:\n      oneOf: []\n",
                "at /components/schemas/A/oneOf (line 9): `oneOf` must be a non-empty list of schemas, not a list",
            ),
            (
                "    A:\n      enum: a\n",
                "at /components/schemas/A/enum (line 9): `enum` must be a list, not the string \"a\"",
            ),
            (
                "    A:\n      additionalProperties: yes\n",
                "at /components/schemas/A/additionalProperties (line 9): `additionalProperties` must be a schema (a mapping, or true/false), not the string \"yes\"",
            ),
            (
                "    A:\n      discriminator: {mapping: {}}\n",
                "at /components/schemas/A/discriminator (line 9): `discriminator` must have a string `propertyName`",
            ),
        ];
        for (schemas, expected) in cases {
            assert_eq!(check(schemas), Err(expected.to_string()), "{schemas}");
        }
    }

    #[test]
    fn what_both_dialects_allow_passes() {
        let ok = "    A:\n      type: [string, 'null']\n      format: date\n      exclusiveMinimum: true\n      minimum: 0\n      nullable: true\n      enum: [a, 1, null]\n      x-anything: [1, {type: Date}]\n      default: {type: Date}\n      examples: [{properties: []}]\n      readOnly: false\n      maxItems: 2.0\n    B: true\n    C:\n      properties:\n        self: {$ref: '#/components/schemas/C'}\n      items:\n        $ref: '#/components/schemas/C'\n";
        assert_eq!(check(ok), Ok(()));
    }

    #[test]
    fn reference_cycles_without_a_schema_are_errors() {
        let err = check(
            "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
        );
        assert_eq!(
            err,
            Err("at /components/schemas/A/$ref (line 9): #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B never reaches a schema: a reference cycle through `$ref`/`allOf` (or a union of one) alone (a recursive type needs a property or `items` in the cycle)".into())
        );
        let err = check(
            "    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - type: object\n",
        );
        assert!(
            err.as_ref().is_err_and(|e| e.starts_with(
                "at /components/schemas/A/allOf/0/$ref (line 10): #/components/schemas/A -> #/components/schemas/A never reaches a schema"
            )),
            "{err:?}"
        );
        let err = check("    B:\n      anyOf:\n        - $ref: '#/components/schemas/B'\n");
        assert!(
            err.as_ref().is_err_and(|e| e.starts_with(
                "at /components/schemas/B/anyOf/0/$ref (line 10): #/components/schemas/B -> #/components/schemas/B never reaches a schema"
            )),
            "{err:?}"
        );
        // A chain that ends, recursion through a property, and a union
        // with another member are fine.
        assert_eq!(
            check(
                "    A:\n      oneOf:\n        - $ref: '#/components/schemas/A'\n        - type: string\n"
            ),
            Ok(())
        );
        assert_eq!(
            check(
                "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/C'\n    C:\n      properties:\n        a: {$ref: '#/components/schemas/A'}\n"
            ),
            Ok(())
        );
    }
}
