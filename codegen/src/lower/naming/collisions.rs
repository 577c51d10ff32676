//! Names that would collide in Rust: component names
//! ([`rename_colliding_components`]), and the variants and fields of one
//! type ([`choose_member_names`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::super::{Note, SCHEMA_REF_PREFIX, note};
use super::{is_keyword, pascal_ident, snake_ident, typify_snake};
use crate::spec::{self, child_pointer};

/// Renames component schemas whose Rust names collide (`user_info` and
/// `UserInfo` are both `UserInfo` to typify, which would keep only the first)
/// and rewrites every `$ref` to them.
pub(super) fn rename_colliding_components(doc: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for name in schemas.keys() {
        let rust = pascal_ident(name);
        if taken.insert(rust.clone()) {
            continue;
        }
        let mut n = 2;
        while taken.contains(&format!("{rust}{n}")) || schemas.contains_key(&format!("{rust}{n}")) {
            n += 1;
        }
        let new = format!("{rust}{n}");
        taken.insert(new.clone());
        renames.push((name.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (k, v) in old {
            let key = renames
                .iter()
                .find(|(o, _)| *o == k)
                .map_or(k, |(_, n)| n.clone());
            schemas.insert(key, v);
        }
    }
    let map: HashMap<String, String> = renames
        .iter()
        .map(|(o, n)| {
            (
                format!("{SCHEMA_REF_PREFIX}{o}"),
                format!("{SCHEMA_REF_PREFIX}{n}"),
            )
        })
        .collect();
    spec::rewrite_refs(doc, &mut |r| map.get(r).cloned());
    for (old, new) in renames {
        note(
            notes,
            &child_pointer("/components/schemas", &old),
            format!(
                "component {old:?} renamed to {new:?}: its Rust name collides with another component"
            ),
        );
    }
}

/// The variant the open enums give to values they do not list
/// (`emit::rewrite::open_enums`); no listed value may take its name.
const CATCH_ALL_VARIANT: &str = "Unknown";

/// Members (enum variants, struct fields) whose Rust names lowering chose
/// because the engine would have given two of them one name, or a value
/// the catch-all's. The engine sees each under a placeholder
/// (`zoom-api-codegen-variant-N`, `<property>-zoom-api-codegen-field-N`,
/// unique in the document by `N`), which `emit::rewrite::chosen_names`
/// replaces by the chosen ident and the value as the API writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChosenNames {
    /// Placeholder -> the member it stands for.
    pub members: BTreeMap<String, ChosenMember>,
}

impl ChosenNames {
    /// A new placeholder, `{prefix}-{n}`, standing for the member `ident`
    /// (`wire` as the API writes it).
    fn stand_in(&mut self, prefix: &str, wire: &str, ident: &str) -> String {
        let placeholder = format!("{prefix}-{}", self.members.len() + 1);
        self.members.insert(
            placeholder.clone(),
            ChosenMember {
                ident: ident.to_string(),
                wire: wire.to_string(),
            },
        );
        placeholder
    }
}

/// One member under a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChosenMember {
    /// The Rust ident of the variant or field.
    pub ident: String,
    /// The enum value or property name as the API writes it.
    pub wire: String,
}

/// Gives the string enum values and properties of every component whose
/// Rust names would collide (`a b` / `a_b`, `self` / `Self`, `foo-bar` /
/// `foo_bar`, a value `Unknown`) names of their own, deterministically: a
/// member whose name is its natural Rust name keeps it (`foo_bar`), then
/// the others in document order take their natural name while it is free,
/// else that name numbered from 2 (`foo_bar_2`, `AB2`, `Unknown2`). Every
/// rename is noted, at `origin(component)`: where the component's schema
/// was written (hoisted ones were written inline).
pub(crate) fn choose_member_names(
    doc: &mut Value,
    origin: &dyn Fn(&str) -> String,
    notes: &mut Vec<Note>,
) -> ChosenNames {
    let mut chosen = ChosenNames::default();
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return chosen;
    };
    for (name, schema) in schemas.iter_mut() {
        let pointer = origin(name);
        let Value::Object(map) = schema else {
            continue;
        };
        let string_enum = map.get("type").and_then(Value::as_str) == Some("string");
        if string_enum && let Some(Value::Array(values)) = map.get_mut("enum") {
            let wires: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let naturals: Vec<String> = wires.iter().map(|w| pascal_ident(w)).collect();
            let reserved = BTreeSet::from([CATCH_ALL_VARIANT.to_string()]);
            if let Some(idents) = unique_names(&wires, &naturals, &reserved, "") {
                let mut placeholders = Vec::new();
                for (wire, ident) in wires.iter().zip(&idents) {
                    let placeholder = chosen.stand_in("zoom-api-codegen-variant", wire, ident);
                    placeholders.push(json!(placeholder));
                }
                for ((wire, natural), ident) in wires.iter().zip(&naturals).zip(&idents) {
                    if natural != ident {
                        note(
                            notes,
                            &child_pointer(&pointer, "enum"),
                            format!(
                                "enum value {wire:?} is the variant `{ident}`: `{natural}` is taken"
                            ),
                        );
                    }
                }
                *values = placeholders;
            }
        }
        let Some(Value::Object(properties)) = map.get("properties") else {
            continue;
        };
        let wires: Vec<String> = properties.keys().cloned().collect();
        let naturals: Vec<String> = wires.iter().map(|w| typify_snake(w)).collect();
        let Some(idents) = unique_names(&wires, &naturals, &BTreeSet::new(), "_") else {
            continue;
        };
        let mut renamed: HashMap<String, String> = HashMap::new();
        for ((wire, natural), ident) in wires.iter().zip(&naturals).zip(&idents) {
            if natural == ident {
                continue;
            }
            // typify orders fields by property name: led by the name, the
            // placeholder keeps the field where the property would be.
            let placeholder =
                chosen.stand_in(&format!("{wire}-zoom-api-codegen-field"), wire, ident);
            note(
                notes,
                &child_pointer(&child_pointer(&pointer, "properties"), wire),
                format!("property {wire:?} is the field `{ident}`: `{natural}` is taken"),
            );
            renamed.insert(wire.clone(), placeholder);
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            let old = std::mem::take(properties);
            for (key, value) in old {
                let key = renamed.get(&key).cloned().unwrap_or(key);
                properties.insert(key, value);
            }
        }
        if let Some(Value::Array(required)) = map.get_mut("required") {
            for r in required.iter_mut() {
                if let Some(placeholder) = r.as_str().and_then(|r| renamed.get(r)) {
                    *r = json!(placeholder);
                }
            }
        }
    }
    chosen
}

/// Names a parameter may not take in a request builder: its own fields and
/// methods (progenitor's `client`, `new`, `send`, and with a request body
/// `body` and `body_map`; the page streams' `stream` and `collect_all`).
const BUILDER_MEMBERS: [&str; 7] = [
    "client",
    "new",
    "send",
    "body",
    "body_map",
    "stream",
    "collect_all",
];

/// Gives the parameters of every operation whose Rust names (the builder's
/// setters and fields) would collide, with each other (`Self`/`self`,
/// `page-size`/`page_size`) or with a member of the builder (`send`,
/// `client`), names of their own, by the rule of [`choose_member_names`].
/// The engine sees each under a placeholder (`<name>-zoom-api-codegen-param-N`,
/// also in the path template of a path parameter), which
/// `emit::rewrite::chosen_names` replaces by the chosen ident, and by the
/// parameter's name where the request carries it.
pub(crate) fn choose_parameter_names(
    doc: &mut Value,
    chosen: &mut ChosenNames,
    notes: &mut Vec<Note>,
) {
    // (path, pointer of the declaration, name, location) to rename.
    let mut renames: Vec<(String, String, String, String, String)> = Vec::new();
    for op in spec::operations(doc) {
        let params = spec::effective_parameters(doc, &op);
        let wires: Vec<String> = params
            .iter()
            .map(|(p, _)| {
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let naturals: Vec<String> = wires.iter().map(|w| snake_ident(w)).collect();
        let has_body = doc
            .pointer(&op.pointer)
            .is_some_and(|o| o.get("requestBody").is_some());
        let reserved: BTreeSet<String> = BUILDER_MEMBERS
            .iter()
            .filter(|m| has_body || !m.starts_with("body"))
            .map(|m| m.to_string())
            .collect();
        let Some(idents) = unique_names(&wires, &naturals, &reserved, "_") else {
            continue;
        };
        for (((param, pointer), wire), (natural, ident)) in
            params.iter().zip(&wires).zip(naturals.iter().zip(&idents))
        {
            if natural == ident {
                continue;
            }
            let location = param
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if renames.iter().any(|r| r.1 == *pointer) {
                continue;
            }
            renames.push((
                op.path.clone(),
                pointer.clone(),
                wire.clone(),
                location,
                ident.clone(),
            ));
        }
    }
    // Path parameters last: renaming one changes its path's key, which the
    // pointers of the others name.
    renames.sort_by_key(|r| r.3 == "path");
    for (path, pointer, wire, location, ident) in renames {
        let placeholder = chosen.stand_in(&format!("{wire}-zoom-api-codegen-param"), &wire, &ident);
        note(
            notes,
            &pointer,
            format!(
                "parameter {wire:?} is the builder method `{ident}`: `{}` is taken",
                snake_ident(&wire)
            ),
        );
        if location == "path" {
            rename_path_parameter(doc, &path, &wire, &placeholder);
        } else if let Some(Value::Object(p)) = doc.pointer_mut(&pointer) {
            p.insert("name".into(), json!(placeholder));
        }
    }
}

/// Renames path parameter `wire` of the path item `path` to `placeholder`:
/// every declaration under the item, and the template (the item's key).
fn rename_path_parameter(doc: &mut Value, path: &str, wire: &str, placeholder: &str) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let Some(item) = paths.get_mut(path) else {
        return;
    };
    let rename = |list: Option<&mut Value>| {
        if let Some(Value::Array(list)) = list {
            for p in list {
                if p.get("in").and_then(Value::as_str) == Some("path")
                    && p.get("name").and_then(Value::as_str) == Some(wire)
                {
                    p["name"] = json!(placeholder);
                }
            }
        }
    };
    if let Value::Object(map) = item {
        rename(map.get_mut("parameters"));
        for (_, op) in map.iter_mut() {
            if op.is_object() {
                rename(op.get_mut("parameters"));
            }
        }
    }
    let new_path = path.replace(&format!("{{{wire}}}"), &format!("{{{placeholder}}}"));
    // In place, so the order of the paths (and of the methods) stays.
    let old = std::mem::take(paths);
    for (key, value) in old {
        let key = if key == path { new_path.clone() } else { key };
        paths.insert(key, value);
    }
}

/// The names of members whose natural names (`naturals`, by position)
/// collide with each other or with `reserved`; `None` when none does (the
/// engine's own names stand). `separator` goes before the number.
fn unique_names(
    wires: &[String],
    naturals: &[String],
    reserved: &BTreeSet<String>,
    separator: &str,
) -> Option<Vec<String>> {
    let mut seen = reserved.clone();
    if naturals.iter().all(|n| seen.insert(n.clone())) {
        return None;
    }
    let mut taken = reserved.clone();
    let mut out: Vec<Option<String>> = vec![None; naturals.len()];
    // A member named exactly as written keeps its name.
    for (i, (wire, natural)) in wires.iter().zip(naturals).enumerate() {
        if wire == natural && taken.insert(natural.clone()) {
            out[i] = Some(natural.clone());
        }
    }
    for (i, natural) in naturals.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let name = if taken.contains(natural) {
            let base = natural.trim_end_matches('_');
            (2..)
                .map(|n| format!("{base}{separator}{n}"))
                .find(|c| !taken.contains(c) && !is_keyword(c) && !naturals.contains(c))
                .unwrap_or_default()
        } else {
            natural.clone()
        };
        taken.insert(name.clone());
        out[i] = Some(name);
    }
    Some(out.into_iter().map(Option::unwrap_or_default).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colliding_component_names_are_renamed() {
        let mut doc = json!({"components": {"schemas": {
            "UserInfo": {"type": "string"},
            "user_info": {"type": "integer"},
            "Holder": {"properties": {"x": {"$ref": "#/components/schemas/user_info"}}}
        }}});
        let mut notes = Vec::new();
        rename_colliding_components(&mut doc, &mut notes);
        assert_eq!(
            doc.pointer("/components/schemas/UserInfo2"),
            Some(&json!({"type": "integer"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Holder/properties/x/$ref"),
            Some(&json!("#/components/schemas/UserInfo2"))
        );
    }

    fn idents(chosen: &ChosenNames) -> Vec<(String, String)> {
        chosen
            .members
            .values()
            .map(|m| (m.wire.clone(), m.ident.clone()))
            .collect()
    }

    #[test]
    fn the_reserved_variant_is_the_open_enums_catch_all() {
        assert!(
            crate::emit::OPEN_ENUM_MACRO
                .contains(&format!("{CATCH_ALL_VARIANT}(::std::string::String)"))
        );
    }

    #[test]
    fn colliding_variants_and_fields_get_names_of_their_own() {
        let mut doc = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["a b", "a_b", "self", "Self", "Unknown", "plain"]},
            "Fine": {"type": "string", "enum": ["a", "b"]},
            "Thing": {"type": "object", "required": ["foo-bar"], "properties": {
                "foo-bar": {"type": "string"}, "foo_bar": {"type": "integer"},
                "type": {"type": "string"}, "type_": {"type": "string"}, "other": {"type": "string"}
            }}
        }}});
        let mut notes = Vec::new();
        let origin = |name: &str| child_pointer("/components/schemas", name);
        let chosen = choose_member_names(&mut doc, &origin, &mut notes);
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let mut got = idents(&chosen);
        got.sort();
        let mut want = pairs(&[
            ("a b", "AB"),
            ("a_b", "AB2"),
            ("self", "Self_"),
            ("Self", "Self2"),
            ("Unknown", "Unknown2"),
            ("plain", "Plain"),
            ("foo-bar", "foo_bar_2"),
            ("type", "type_2"),
        ]);
        want.sort();
        assert_eq!(got, want);
        // The engine sees placeholders; collision-free types are untouched.
        assert_eq!(
            doc.pointer("/components/schemas/Kind/enum/0"),
            Some(&json!("zoom-api-codegen-variant-1"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Fine"),
            Some(&json!({"type": "string", "enum": ["a", "b"]}))
        );
        let fields: Vec<&String> = doc["components"]["schemas"]["Thing"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            fields,
            [
                "foo-bar-zoom-api-codegen-field-7",
                "foo_bar",
                "type-zoom-api-codegen-field-8",
                "type_",
                "other"
            ]
        );
        assert_eq!(
            doc.pointer("/components/schemas/Thing/required"),
            Some(&json!(["foo-bar-zoom-api-codegen-field-7"]))
        );
        assert_eq!(notes.len(), 5, "{notes:#?}");
    }
}
