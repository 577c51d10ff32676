//! Inline schemas -> components named after where they sit (see
//! [`hoist_inline_schemas`]).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::super::{SCHEMA_REF_PREFIX, status_class, structural_key};
use super::{SITE_TAG, TYPE_NAME_KEY, pascal_ident};
use crate::spec::{self, child_pointer};

/// What hoisting did: each hoisted site, for the names `dedup` gives and
/// `type_names` reports (and the naming tests' invariant: one shape per
/// type name).
#[derive(Debug, Clone, Default)]
pub(crate) struct Hoisted {
    pub records: Vec<HoistedSchema>,
}

impl Hoisted {
    /// Each new component -> the first place its schema was written (in
    /// the lowered document), to locate what the engine says about it.
    pub(crate) fn origins(&self) -> std::collections::BTreeMap<String, String> {
        let mut origins = std::collections::BTreeMap::new();
        for record in &self.records {
            origins
                .entry(record.type_name.clone())
                .or_insert_with(|| record.pointer.clone());
        }
        origins
    }
}

/// An inline schema that became the component `type_name`.
#[derive(Debug, Clone)]
pub(crate) struct HoistedSchema {
    /// Where the schema sits in the lowered document.
    pub pointer: String,
    /// Where it was written in the canonical spec, when the caller tagged
    /// the sites (see `lower::type_sites`).
    pub site: Option<String>,
    /// The component (= Rust type) it now refers to.
    pub type_name: String,
    /// The name its position gives it (`type_name` before merging).
    pub positional: String,
    /// Its `x-zoom-type-name`, if the spec records one.
    pub recorded: Option<String>,
    /// Its structural key (canonical JSON without annotations).
    #[cfg(test)]
    pub structure: String,
}

struct Hoister {
    /// Rust name -> structural key of the schema it stands for.
    taken: HashMap<String, String>,
    new_components: Vec<(String, Value)>,
    hoisted: Hoisted,
}

/// Whether typify would make a named type of this (inline) schema.
fn is_named_type(map: &Map<String, Value>) -> bool {
    let non_empty = |k: &str| match map.get(k) {
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Array(a)) => a.len() > 1 || (k == "enum" && !a.is_empty()),
        _ => false,
    };
    let only_null = map.get("enum") == Some(&json!([null])) && !map.contains_key("properties");
    let shaped = ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| non_empty(k));
    shaped && !only_null
}

/// Keys that describe a *use* of a type rather than the type; they stay at
/// the use site when the schema is hoisted.
const SITE_KEYS: [&str; 6] = [
    "nullable",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
];

impl Hoister {
    /// Hoists inside `node` (named `name`), then `node` itself when
    /// `hoist_self` and typify would name it.
    fn visit(&mut self, node: &mut Value, name: &str, pointer: &str, hoist_self: bool) {
        let Value::Object(map) = node else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        if let Some(Value::Object(props)) = map.get_mut("properties") {
            let base = child_pointer(pointer, "properties");
            for (prop, sub) in props.iter_mut() {
                let child = format!("{name}{}", pascal_ident(prop).trim_end_matches('_'));
                self.visit(sub, &child, &child_pointer(&base, prop), true);
            }
        }
        if let Some(items) = map.get_mut("items") {
            self.visit(
                items,
                &format!("{name}Item"),
                &child_pointer(pointer, "items"),
                true,
            );
        }
        if let Some(additional) = map.get_mut("additionalProperties") {
            self.visit(
                additional,
                &format!("{name}Value"),
                &child_pointer(pointer, "additionalProperties"),
                true,
            );
        }
        // allOf members merge into this type: their insides are named as if
        // they were written here, and they are not types of their own.
        if let Some(Value::Array(members)) = map.get_mut("allOf") {
            let single = members.len() == 1;
            let base = child_pointer(pointer, "allOf");
            for (i, m) in members.iter_mut().enumerate() {
                let hoist_member = single && hoist_self;
                self.visit(m, name, &format!("{base}/{i}"), hoist_member);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                let base = child_pointer(pointer, key);
                for (i, m) in members.iter_mut().enumerate() {
                    let child = format!("{name}Variant{}", i + 1);
                    self.visit(m, &child, &format!("{base}/{i}"), true);
                }
            }
        }
        if let Some(not) = map.get_mut("not") {
            self.visit(
                not,
                &format!("{name}Not"),
                &child_pointer(pointer, "not"),
                false,
            );
        }
        if !hoist_self || !is_named_type(map) {
            return;
        }
        // Split: the type goes to components, use-site keys stay here.
        let mut component = std::mem::take(map);
        let mut site = Map::new();
        for key in SITE_KEYS {
            if let Some(v) = component.shift_remove(key) {
                site.insert(key.to_string(), v);
            }
        }
        if let Some(d) = component.get("description") {
            site.insert("description".into(), d.clone());
        }
        let site_pointer = component
            .shift_remove(SITE_TAG)
            .and_then(|v| v.as_str().map(str::to_owned));
        let recorded = component.get(TYPE_NAME_KEY).cloned();
        let component = Value::Object(component);
        let structure = structural_key(&component);
        let type_name = self.claim(&pascal_ident(name), &structure, component);
        self.hoisted.records.push(HoistedSchema {
            pointer: pointer.to_string(),
            site: site_pointer,
            type_name: type_name.clone(),
            positional: type_name.clone(),
            recorded: recorded.map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            }),
            #[cfg(test)]
            structure,
        });
        let reference = json!({ "$ref": format!("{SCHEMA_REF_PREFIX}{type_name}") });
        if site.is_empty() {
            *node = reference;
        } else {
            site.insert("allOf".into(), json!([reference]));
            let mut ordered = Map::new();
            ordered.insert(
                "allOf".into(),
                site.shift_remove("allOf").unwrap_or_default(),
            );
            ordered.extend(site);
            *node = Value::Object(ordered);
        }
    }

    /// The name for a schema of this structure: `wanted` when free or when
    /// it already stands for the same structure, else `wanted2`, `wanted3`...
    fn claim(&mut self, wanted: &str, structure: &str, component: Value) -> String {
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                wanted.to_string()
            } else {
                format!("{wanted}{n}")
            };
            match self.taken.get(&candidate) {
                Some(existing) if existing == structure => return candidate,
                Some(_) => n += 1,
                None => {
                    self.taken.insert(candidate.clone(), structure.to_string());
                    self.new_components.push((candidate.clone(), component));
                    return candidate;
                }
            }
        }
    }
}

/// Gives every inline schema that typify would turn into a named type
/// (objects with properties, enums, unions) a component of its own, named
/// after where it sits: `{Parent}{Field}`, `{Parent}Item`,
/// `{OperationId}Response`, `{OperationId}Body`, `{OperationId}{Param}`,
/// `{OperationId}Error`, `{Parent}Variant{n}`. Structurally identical
/// schemas that want the same name share it; different shapes get a numeric
/// suffix. typify therefore never picks a name itself, and never reuses one
/// type for two different shapes (which it does silently by name).
pub(super) fn hoist_inline_schemas(doc: &mut Value) -> Hoisted {
    let mut h = Hoister {
        taken: HashMap::new(),
        new_components: Vec::new(),
        hoisted: Hoisted::default(),
    };
    // Component names are claimed first. Until a component's own insides
    // are hoisted its final structure is unknown, so nothing may reuse it
    // yet: the sentinel never equals a structural key.
    const UNSETTLED: &str = "\u{0}component";
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for name in schemas.keys() {
            h.taken.insert(pascal_ident(name), UNSETTLED.to_string());
        }
    }
    if let Some(Value::Object(components)) = doc.pointer_mut("/components") {
        for kind in ["schemas", "parameters", "requestBodies", "responses"] {
            let Some(Value::Object(entries)) = components.get_mut(kind) else {
                continue;
            };
            let base = child_pointer("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let ptr = child_pointer(&base, name);
                let rust = pascal_ident(name);
                match kind {
                    "schemas" => h.visit(entry, &rust, &ptr, false),
                    "parameters" => {
                        if let Some(s) = entry.get_mut("schema") {
                            h.visit(s, &rust, &child_pointer(&ptr, "schema"), true);
                        }
                    }
                    "requestBodies" => visit_content(&mut h, entry, &format!("{rust}Body"), &ptr),
                    _ => visit_content(&mut h, entry, &rust, &ptr),
                }
            }
        }
    }
    // Now settled: later sites may reuse a component of their exact shape.
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, schema) in schemas {
            h.taken.insert(pascal_ident(name), structural_key(schema));
        }
    }
    for op_ref in spec::operations(doc) {
        let Some(Value::Object(op)) = doc.pointer_mut(&op_ref.pointer) else {
            continue;
        };
        let id = pascal_ident(
            op.get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            let base = child_pointer(&op_ref.pointer, "parameters");
            for (i, p) in params.iter_mut().enumerate() {
                let pname = p
                    .get("name")
                    .and_then(Value::as_str)
                    .map(pascal_ident)
                    .unwrap_or_default();
                if let Some(s) = p.get_mut("schema") {
                    let ptr = format!("{base}/{i}/schema");
                    h.visit(s, &format!("{id}{pname}"), &ptr, true);
                }
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            visit_content(
                &mut h,
                body,
                &format!("{id}Body"),
                &child_pointer(&op_ref.pointer, "requestBody"),
            );
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let base = child_pointer(&op_ref.pointer, "responses");
            for (status, r) in responses.iter_mut() {
                let suffix = match status_class(status) {
                    Some(2) => "Response",
                    _ => "Error",
                };
                visit_content(
                    &mut h,
                    r,
                    &format!("{id}{suffix}"),
                    &child_pointer(&base, status),
                );
            }
        }
    }
    // Path-item level parameters.
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if let Some(Value::Array(params)) = item.get_mut("parameters") {
                let base = child_pointer(&child_pointer("/paths", path), "parameters");
                for (i, p) in params.iter_mut().enumerate() {
                    let pname = p
                        .get("name")
                        .and_then(Value::as_str)
                        .map(pascal_ident)
                        .unwrap_or_default();
                    if let Some(s) = p.get_mut("schema") {
                        h.visit(
                            s,
                            &format!("Path{pname}"),
                            &format!("{base}/{i}/schema"),
                            true,
                        );
                    }
                }
            }
        }
    }
    if !h.new_components.is_empty() {
        if doc.get("components").is_none() {
            doc["components"] = json!({});
        }
        if doc["components"].get("schemas").is_none() {
            doc["components"]["schemas"] = json!({});
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            for (name, schema) in h.new_components {
                schemas.insert(name, schema);
            }
            let mut entries: Vec<_> = std::mem::take(schemas).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            schemas.extend(entries);
        }
    }
    h.hoisted
}

fn visit_content(h: &mut Hoister, holder: &mut Value, name: &str, ptr: &str) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        let base = child_pointer(ptr, "content");
        for (media, mt) in content.iter_mut() {
            if let Some(s) = mt.get_mut("schema") {
                let p = child_pointer(&child_pointer(&base, media), "schema");
                h.visit(s, name, &p, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hoisting_names_by_position_and_dedups_structurally() {
        let mut doc = json!({
            "components": {"schemas": {
                "User": {"type": "object", "properties": {
                    "address": {"type": "object", "properties": {"city": {"type": "string"}}},
                    "status": {"type": "string", "enum": ["active", "inactive"]}
                }},
                "UserAddress": {"type": "object", "properties": {"zip": {"type": "string"}}}
            }},
            "paths": {"/a": {
                "get": {"operationId": "getA", "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}},
                    "201": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "description": "same shape"}}}}
                }}
            }}
        });
        let records = hoist_inline_schemas(&mut doc).records;
        // `User.address` wants `UserAddress`, taken by a different shape.
        assert_eq!(
            doc.pointer("/components/schemas/User/properties/address"),
            Some(&json!({"$ref": "#/components/schemas/UserAddress2"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/User/properties/status"),
            Some(&json!({"$ref": "#/components/schemas/UserStatus"}))
        );
        // Same shape, same wanted name: one type.
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema"),
            Some(&json!({"$ref": "#/components/schemas/GetAResponse"}))
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/201/content/application~1json/schema"),
            Some(
                &json!({"allOf": [{"$ref": "#/components/schemas/GetAResponse"}], "description": "same shape"})
            )
        );
        assert_eq!(records.len(), 4);
        assert!(doc.pointer("/components/schemas/GetAResponse2").is_none());
    }
}
