//! Stage 0 of import: what Zoom's published specs get wrong when what they
//! mean is plain, repaired before the generator's strict validation reads
//! the document; each repair is a [`Repair`] with the place in the input
//! file, which `cargo xtask import` prints and writes to `spec/README.md`.
//!
//! The generator never repairs (its validation rejects all of these at the
//! keyword); import does, deliberately and only these:
//!
//! | in the input | repaired to |
//! | --- | --- |
//! | a type name in another case (`Integer`, `String`) | the type name (`integer`, `string`) |
//! | a format written as the type (`Date`, `date-time`, `int64`, `double`, `file`) | the type and that format (`string` + `date`, `integer` + `int64`, `string` + `binary`) |
//! | a request or response media type `undefined` | `application/json` (dropped beside an `application/json` of the same schema) |
//! | a `requestBody` without `content` | no request body |
//! | a `{name}` in the path no parameter declares | a required string path parameter `name` |
//! | a path parameter not marked `required: true` | `required: true` (OpenAPI requires it) |
//! | `"true"`/`"false"` where a flag is meant (`nullable`, `required`, `deprecated`, ...) | the boolean |
//! | a property listed twice in `required` | listed once |
//! | a `description`, `summary` or `title` that is a number or `null` | its text, or none |
//! | a schema's `examples` that is not a list | a list of that one example |
//!
//! What is ambiguous is an error at its place, and the spec is not
//! written: a type name given with a different format than it implies
//! (`type: Date, format: date-time`), an `undefined` media type beside an
//! `application/json` of another schema. Everything else the validation
//! rejects (a misspelled type name, `properties` as a list, ...) is not
//! guessed at either.
//!
//! What only describes never stops an import: an `example` or `default`
//! that contradicts its schema is a note, and the schema wins (the value is
//! kept as Zoom wrote it; [`check_examples`]).

use std::fmt;

use serde_json::{Map, Value, json};
use zoom_api_codegen::Location;
use zoom_api_codegen::spec::{
    self, Document, PathTemplate, Shape, child_pointer, effective_parameters, is_literal_data,
};

use super::ImportError;

/// One change import made to the input, or one thing it noted without a
/// change, at its place in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Pointer and message, located once the document stops changing.
type Found = Vec<(String, String)>;

/// Repairs `doc` in place (see the module docs); the repairs and notes in
/// document order, or the first ambiguity.
pub fn repair(doc: &mut Document) -> Result<Vec<Repair>, ImportError> {
    let mut found: Found = Vec::new();
    // First, so that each note names the place as the input has it.
    check_examples(&doc.value, &mut found);
    let mut ambiguous: Option<(String, String)> = None;
    repair_schemas(&mut doc.value, &mut found, &mut ambiguous);
    if ambiguous.is_none() {
        repair_media_types(&mut doc.value, &mut found, &mut ambiguous);
    }
    if let Some((pointer, message)) = ambiguous {
        return Err(ImportError::Invalid {
            location: doc.locate(&pointer),
            message,
        });
    }
    repair_request_bodies(&mut doc.value, &mut found);
    repair_path_parameters(&mut doc.value, &mut found);
    repair_flags_and_texts(&mut doc.value, &mut found);
    Ok(found
        .into_iter()
        .map(|(pointer, message)| Repair {
            location: doc.locate(&pointer),
            message,
        })
        .collect())
}

/// The type (and the format it implies) a type name that is not one of
/// JSON Schema's seven stands for, when that is plain.
fn repaired_type(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let folded = name.trim().to_ascii_lowercase();
    Some(match folded.as_str() {
        "string" => ("string", None),
        "integer" => ("integer", None),
        "number" => ("number", None),
        "boolean" | "bool" => ("boolean", None),
        "object" => ("object", None),
        "array" => ("array", None),
        "null" => ("null", None),
        "date" => ("string", Some("date")),
        "date-time" | "datetime" => ("string", Some("date-time")),
        "int32" => ("integer", Some("int32")),
        "int64" | "long" => ("integer", Some("int64")),
        "int" => ("integer", None),
        "float" => ("number", Some("float")),
        "double" => ("number", Some("double")),
        "file" => ("string", Some("binary")),
        _ => return None,
    })
}

fn repair_schemas(doc: &mut Value, found: &mut Found, ambiguous: &mut Option<(String, String)>) {
    spec::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Value::Object(map) = schema else {
            return;
        };
        repair_type(map, pointer, found, ambiguous);
        if let Some(Value::Array(required)) = map.get_mut("required") {
            let mut seen = std::collections::HashSet::new();
            let before = required.len();
            required.retain(|name| seen.insert(name.to_string()));
            if required.len() < before {
                found.push((
                    child_pointer(pointer, "required"),
                    format!(
                        "`required` listed {} property name(s) twice: each listed once",
                        before - required.len()
                    ),
                ));
            }
        }
        if let Some(examples) = map.get_mut("examples")
            && !examples.is_array()
        {
            let one = examples.take();
            *examples = json!([one]);
            found.push((
                child_pointer(pointer, "examples"),
                "`examples` is one example, not a list: made a list of it".into(),
            ));
        }
    });
}

fn repair_type(
    map: &mut Map<String, Value>,
    pointer: &str,
    found: &mut Found,
    ambiguous: &mut Option<(String, String)>,
) {
    let at = child_pointer(pointer, "type");
    let names: Vec<(String, Option<String>)> = match map.get("type") {
        Some(Value::String(name)) => vec![(name.clone(), None)],
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_str().map(|n| (n.to_string(), Some(i.to_string()))))
            .collect(),
        _ => return,
    };
    let mut implied_format: Option<&str> = None;
    let mut changed = false;
    let mut new_names = Vec::new();
    for (name, index) in &names {
        let here = match index {
            Some(i) => format!("{at}/{i}"),
            None => at.clone(),
        };
        match repaired_type(name) {
            Some((ty, format)) if ty != name || format.is_some() => {
                let message = match format {
                    Some(f) => format!("type {name:?} is `{ty}` with format `{f}`"),
                    None => format!("type {name:?} is `{ty}`"),
                };
                found.push((here, message));
                changed = true;
                if let Some(f) = format {
                    implied_format = Some(f);
                }
                new_names.push(ty.to_string());
            }
            _ => new_names.push(name.clone()),
        }
    }
    if !changed {
        return;
    }
    if let Some(format) = implied_format {
        match map.get("format") {
            Some(Value::String(given)) if given != format => {
                if ambiguous.is_none() {
                    *ambiguous = Some((
                        at,
                        format!(
                            "type {:?} means format `{format}`, but the schema says format {given:?}: which one is meant is not plain",
                            names[0].0
                        ),
                    ));
                }
                return;
            }
            _ => {
                map.insert("format".into(), json!(format));
            }
        }
    }
    let value = match map.get("type") {
        Some(Value::Array(_)) => json!(new_names),
        _ => json!(new_names[0]),
    };
    map.insert("type".into(), value);
}

/// `undefined` media types (Zoom's tooling writes it where it lost the
/// media type) in request bodies and responses.
fn repair_media_types(
    doc: &mut Value,
    found: &mut Found,
    ambiguous: &mut Option<(String, String)>,
) {
    const JSON: &str = "application/json";
    let mut holders: Vec<String> = Vec::new();
    for op in spec::operations(doc) {
        holders.push(child_pointer(&op.pointer, "requestBody"));
        if let Some(Value::Object(responses)) =
            doc.pointer(&child_pointer(&op.pointer, "responses"))
        {
            let base = child_pointer(&op.pointer, "responses");
            holders.extend(responses.keys().map(|s| child_pointer(&base, s)));
        }
    }
    for kind in ["requestBodies", "responses"] {
        if let Some(Value::Object(entries)) = doc.pointer(&format!("/components/{kind}")) {
            let base = format!("/components/{kind}");
            holders.extend(entries.keys().map(|n| child_pointer(&base, n)));
        }
    }
    for holder in holders {
        let content_ptr = child_pointer(&holder, "content");
        let Some(Value::Object(content)) = doc.pointer_mut(&content_ptr) else {
            continue;
        };
        let Some(undefined) = content
            .keys()
            .find(|m| m.trim().eq_ignore_ascii_case("undefined"))
            .cloned()
        else {
            continue;
        };
        let at = child_pointer(&content_ptr, &undefined);
        match content.get(JSON) {
            None => {
                let old = std::mem::take(content);
                for (media, value) in old {
                    let media = if media == undefined {
                        JSON.to_string()
                    } else {
                        media
                    };
                    content.insert(media, value);
                }
                found.push((at, format!("media type {undefined:?} is `{JSON}`")));
            }
            Some(json) => {
                let same = spec::shape_key(json, Shape::Written)
                    == spec::shape_key(&content[&undefined], Shape::Written);
                if same {
                    content.shift_remove(&undefined);
                    found.push((
                        at,
                        format!(
                            "media type {undefined:?} dropped: the same as the `{JSON}` beside it"
                        ),
                    ));
                } else if ambiguous.is_none() {
                    *ambiguous = Some((
                        at,
                        format!(
                            "media type {undefined:?} beside a different `{JSON}`: which one is meant is not plain"
                        ),
                    ));
                }
            }
        }
    }
}

/// A `requestBody` without `content` describes no body.
fn repair_request_bodies(doc: &mut Value, found: &mut Found) {
    for op in spec::operations(doc) {
        let Some(body) = doc.pointer(&op.pointer).and_then(|o| o.get("requestBody")) else {
            continue;
        };
        let target = spec::deref(doc, body);
        let has_content = target
            .as_object()
            .is_some_and(|b| b.contains_key("content"));
        if has_content {
            continue;
        }
        if let Some(Value::Object(node)) = doc.pointer_mut(&op.pointer) {
            node.shift_remove("requestBody");
            found.push((
                child_pointer(&op.pointer, "requestBody"),
                "request body without `content` removed: the operation sends no body".into(),
            ));
        }
    }
}

/// Path parameters: every `{name}` of the template declared, every
/// declared one required.
fn repair_path_parameters(doc: &mut Value, found: &mut Found) {
    spec::for_each_parameter_mut(doc, &mut |param, pointer| {
        let Value::Object(p) = param else {
            return;
        };
        if p.get("in").and_then(Value::as_str) == Some("path")
            && p.get("required") != Some(&Value::Bool(true))
        {
            let was = p.get("required").map_or("missing".into(), Value::to_string);
            p.insert("required".into(), Value::Bool(true));
            found.push((
                pointer.to_string(),
                format!("path parameter `required` was {was}: made `true` (OpenAPI requires it)"),
            ));
        }
    });
    for op in spec::operations(doc) {
        let Ok(template) = PathTemplate::parse(&op.path) else {
            continue;
        };
        let declared: Vec<String> = effective_parameters(doc, &op)
            .iter()
            .filter(|(p, _)| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|(p, _)| p.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let missing: Vec<String> = template
            .parameters()
            .filter(|name| !declared.iter().any(|d| d == name))
            .map(str::to_owned)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some(Value::Object(node)) = doc.pointer_mut(&op.pointer) else {
            continue;
        };
        let list = node
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            // Not a list: the validation says so.
            continue;
        };
        for name in missing {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
            found.push((
                op.pointer.clone(),
                format!("path parameter {{{name}}} was not declared: added as a required string path parameter"),
            ));
        }
    }
}

/// Flags written as text, and descriptions that are not text, wherever
/// OpenAPI structure (not literal data) has them.
fn repair_flags_and_texts(doc: &mut Value, found: &mut Found) {
    const FLAGS: [&str; 8] = [
        "nullable",
        "required",
        "deprecated",
        "readOnly",
        "writeOnly",
        "uniqueItems",
        "allowEmptyValue",
        "explode",
    ];
    const TEXTS: [&str; 3] = ["description", "summary", "title"];
    fn visit(node: &mut Value, pointer: &str, found: &mut Found, in_names: bool) {
        match node {
            Value::Object(map) => {
                if !in_names {
                    for key in FLAGS {
                        let flag = match map.get(key) {
                            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
                            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
                            _ => continue,
                        };
                        map.insert(key.into(), Value::Bool(flag));
                        found.push((
                            child_pointer(pointer, key),
                            format!("`{key}` was the string \"{flag}\": made the boolean {flag}"),
                        ));
                    }
                    for key in TEXTS {
                        let text = match map.get(key) {
                            Some(Value::Null) => None,
                            Some(Value::Number(n)) => Some(n.to_string()),
                            Some(Value::Bool(b)) => Some(b.to_string()),
                            _ => continue,
                        };
                        let at = child_pointer(pointer, key);
                        match text {
                            Some(text) => {
                                found.push((
                                    at,
                                    format!("`{key}` was not text: made the text {text:?}"),
                                ));
                                map.insert(key.into(), Value::String(text));
                            }
                            None => {
                                found.push((at, format!("`{key}` was null: removed")));
                                map.shift_remove(key);
                            }
                        }
                    }
                }
                for (key, value) in map.iter_mut() {
                    if !in_names && is_literal_data(key, value) {
                        continue;
                    }
                    // The keys of these maps are names, not keywords.
                    let names = !in_names
                        && matches!(
                            key.as_str(),
                            "properties"
                                | "paths"
                                | "responses"
                                | "content"
                                | "schemas"
                                | "parameters"
                                | "headers"
                                | "requestBodies"
                                | "securitySchemes"
                                | "patternProperties"
                                | "$defs"
                                | "definitions"
                                | "examples"
                                | "links"
                                | "callbacks"
                                | "encoding"
                                | "mapping"
                                | "variables"
                        )
                        && value.is_object();
                    visit(value, &child_pointer(pointer, key), found, names);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    visit(item, &format!("{pointer}/{i}"), found, false);
                }
            }
            _ => {}
        }
    }
    visit(doc, "", found, false);
}

/// Notes (no change) for every `example`, `examples` item and `default`
/// that contradicts the schema it stands in or beside: the schema wins, the
/// value is kept as written. (A type name not yet repaired fits anything.)
fn check_examples(doc: &Value, found: &mut Found) {
    let mut note = |value: &Value, schema: &Value, at: String, what: &str| {
        if let Some(why) = contradiction(doc, value, schema, "", 0) {
            found.push((
                at,
                format!("{what} contradicts its schema ({why}); kept as written, the schema wins"),
            ));
        }
    };
    spec::for_each_schema(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(v) = map.get("default") {
            note(v, schema, child_pointer(pointer, "default"), "the default");
        }
        if let Some(v) = map.get("example") {
            note(v, schema, child_pointer(pointer, "example"), "the example");
        }
        match map.get("examples") {
            Some(Value::Array(list)) => {
                for (i, v) in list.iter().enumerate() {
                    note(v, schema, format!("{pointer}/examples/{i}"), "the example");
                }
            }
            // One example where a list belongs (repaired below).
            Some(v) => note(v, schema, child_pointer(pointer, "examples"), "the example"),
            None => {}
        }
    });
    // Media types and parameters: `example` beside their `schema`.
    spec::for_each_root_schema(doc, &mut |schema, pointer| {
        let Some(holder) = pointer.strip_suffix("/schema") else {
            return;
        };
        if let Some(v) = doc.pointer(holder).and_then(|h| h.get("example")) {
            note(v, schema, child_pointer(holder, "example"), "the example");
        }
    });
}

/// Why `value` is not an instance of `schema` (the first reason found,
/// with where inside the value), or `None`. Checks types, enums, required
/// properties and, recursively, properties and items; other keywords are
/// not checked. `$ref`s are followed, and the check stops 32 levels down,
/// so recursive schemas end.
fn contradiction(
    doc: &Value,
    value: &Value,
    schema: &Value,
    at: &str,
    depth: usize,
) -> Option<String> {
    if depth > 32 {
        return None;
    }
    let schema = spec::deref(doc, schema);
    let map = schema.as_object()?;
    let here = |why: String| {
        Some(if at.is_empty() {
            why
        } else {
            format!("at {at}: {why}")
        })
    };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !(types.is_empty() || (value.is_null() && nullable)) {
        let fits = types.iter().any(|t| match *t {
            "string" => value.is_string(),
            "integer" => {
                value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            "null" => value.is_null(),
            _ => true,
        });
        if !fits {
            return here(format!(
                "{} is not of type {}",
                short(value),
                types.join(" or ")
            ));
        }
    }
    if let Some(Value::Array(allowed)) = map.get("enum")
        && !allowed.contains(value)
        && !(value.is_null() && nullable)
    {
        return here(format!("{} is not one of the enum values", short(value)));
    }
    if let (Some(Value::Object(properties)), Value::Object(object)) = (map.get("properties"), value)
    {
        if let Some(Value::Array(required)) = map.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    return here(format!("required property {name:?} is missing"));
                }
            }
        }
        for (name, sub) in object {
            if let Some(property) = properties.get(name)
                && let Some(why) =
                    contradiction(doc, sub, property, &child_pointer(at, name), depth + 1)
            {
                return Some(why);
            }
        }
    }
    if let (Some(items), Value::Array(list)) = (map.get("items"), value) {
        for (i, item) in list.iter().enumerate() {
            if let Some(why) = contradiction(doc, item, items, &format!("{at}/{i}"), depth + 1) {
                return Some(why);
            }
        }
    }
    None
}

/// A value for a message, cut short.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(37).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(yaml: &str) -> (Value, Vec<String>) {
        let mut doc = spec::load(yaml.as_bytes()).unwrap();
        let repairs = repair(&mut doc).unwrap();
        (doc.value, repairs.iter().map(ToString::to_string).collect())
    }

    const HEAD: &str = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn type_names_and_formats() {
        let (doc, notes) = repaired(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [a, b, a]\n      properties:\n        a: {{type: Integer}}\n        b: {{type: Date, example: '2024-04-11'}}\n        c: {{type: [String, 'null']}}\n        d: {{type: int64}}\n        e: {{type: Strnig}}\n"
        ));
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["a"], json!({"type": "integer"}));
        assert_eq!(
            props["b"],
            json!({"type": "string", "example": "2024-04-11", "format": "date"})
        );
        assert_eq!(props["c"], json!({"type": ["string", "null"]}));
        assert_eq!(props["d"], json!({"type": "integer", "format": "int64"}));
        // A misspelling is not guessed at: validation reports it.
        assert_eq!(props["e"], json!({"type": "Strnig"}));
        assert_eq!(
            notes,
            [
                "at /components/schemas/A/properties/a/type (line 12): type \"Integer\" is `integer`",
                "at /components/schemas/A/properties/b/type (line 13): type \"Date\" is `string` with format `date`",
                "at /components/schemas/A/properties/c/type/0 (line 14): type \"String\" is `string`",
                "at /components/schemas/A/properties/d/type (line 15): type \"int64\" is `integer` with format `int64`",
                "at /components/schemas/A/required (line 10): `required` listed 1 property name(s) twice: each listed once",
            ]
        );
    }

    /// The error `repair` gives on `text`.
    fn repair_error(text: &str) -> String {
        let mut doc = spec::load(text.as_bytes()).unwrap();
        repair(&mut doc).unwrap_err().to_string()
    }

    #[test]
    fn ambiguous_type_and_format_is_an_error() {
        assert_eq!(
            repair_error(&format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: Date\n      format: date-time\n"
            )),
            "at /components/schemas/A/type (line 9): type \"Date\" means format `date`, but the schema says format \"date-time\": which one is meant is not plain"
        );
    }

    #[test]
    fn bodies_media_and_path_parameters() {
        let (doc, notes) = repaired(&format!(
            "{HEAD}paths:\n  /a/{{aId}}/b/{{bId}}:\n    parameters:\n      - name: aId\n        in: path\n        schema: {{type: string}}\n    delete:\n      operationId: deleteB\n      requestBody:\n        description: nothing\n      responses:\n        '204': {{description: ok}}\n    post:\n      operationId: postB\n      requestBody:\n        content:\n          undefined:\n            schema: {{type: object}}\n      responses:\n        '201': {{description: ok}}\n"
        ));
        let item = &doc["paths"]["/a/{aId}/b/{bId}"];
        assert!(item["delete"].get("requestBody").is_none());
        assert_eq!(
            item["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        assert_eq!(item["parameters"][0]["required"], json!(true));
        assert_eq!(
            item["delete"]["parameters"],
            json!([{"name": "bId", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(
            notes,
            [
                "at /paths/~1a~1{aId}~1b~1{bId}/post/requestBody/content/undefined (line 21): media type \"undefined\" is `application/json`",
                "at /paths/~1a~1{aId}~1b~1{bId}/delete/requestBody (line 13): request body without `content` removed: the operation sends no body",
                "at /paths/~1a~1{aId}~1b~1{bId}/parameters/0 (line 8): path parameter `required` was missing: made `true` (OpenAPI requires it)",
                "at /paths/~1a~1{aId}~1b~1{bId}/delete (line 11): path parameter {bId} was not declared: added as a required string path parameter",
                "at /paths/~1a~1{aId}~1b~1{bId}/post (line 17): path parameter {bId} was not declared: added as a required string path parameter",
            ]
        );
    }

    #[test]
    fn undefined_beside_another_json_is_ambiguous() {
        assert_eq!(
            repair_error(&format!(
                "{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object}}\n          undefined:\n            schema: {{type: string}}\n      responses: {{}}\n"
            )),
            "at /paths/~1a/post/requestBody/content/undefined (line 13): media type \"undefined\" beside a different `application/json`: which one is meant is not plain"
        );
    }

    #[test]
    fn describing_values_never_block() {
        let (doc, notes) = repaired(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      description: 5\n      nullable: 'true'\n      required: [id]\n      properties:\n        id: {{type: integer, example: abc, default: 3}}\n        kind: {{type: string, enum: [a, b], examples: c}}\n        description: {{type: string}}\n      example: {{kind: z}}\n"
        ));
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a["description"], json!("5"));
        assert_eq!(a["nullable"], json!(true));
        // A property named `description` is a schema, not a text.
        assert_eq!(a["properties"]["description"], json!({"type": "string"}));
        assert_eq!(a["properties"]["kind"]["examples"], json!(["c"]));
        assert_eq!(
            notes,
            [
                "at /components/schemas/A/properties/id/example (line 14): the example contradicts its schema (\"abc\" is not of type integer); kept as written, the schema wins",
                "at /components/schemas/A/properties/kind/examples (line 15): the example contradicts its schema (\"c\" is not one of the enum values); kept as written, the schema wins",
                "at /components/schemas/A/example (line 17): the example contradicts its schema (required property \"id\" is missing); kept as written, the schema wins",
                "at /components/schemas/A/properties/kind/examples (line 15): `examples` is one example, not a list: made a list of it",
                "at /components/schemas/A/nullable (line 11): `nullable` was the string \"true\": made the boolean true",
                "at /components/schemas/A/description (line 10): `description` was not text: made the text \"5\"",
            ]
        );
    }
}
