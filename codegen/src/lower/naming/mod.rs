//! Who names every type, and how spec names become Rust names.
//!
//! typify names an inline schema after its title (and reuses the first type
//! of a name for every later schema with that title) or invents a name; two
//! component names it maps to one identifier become one type. So lowering
//! names every type itself, in three passes run by [`name_types`]:
//!
//! 1. [`collisions`]: components whose Rust names collide are renamed;
//! 2. [`hoist`]: every inline schema typify would name becomes a component
//!    named after where it sits;
//! 3. [`dedup`]: components that are the same type are merged into one.
//!
//! 4. [`collisions::choose_member_names`]: enum variants and struct fields
//!    whose Rust names collide get names of their own, which `emit`
//!    applies; so do parameters whose builder methods would collide
//!    ([`collisions::choose_parameter_names`]).
//!
//! After merging, the component names are checked once more, so that no
//! two different schemas share a Rust name whatever the passes derived.
//!
//! The identifier rules below mirror the engine's exactly (heck-based
//! Pascal/snake case, a prefix for names that cannot start an identifier,
//! `_` after keywords), because two spec names that the engine maps to the
//! same identifier would silently become one type or two methods with one
//! name: lowering and validation must see the collision first.

mod collisions;
mod dedup;
mod hoist;

use std::collections::BTreeSet;

use serde_json::Value;

#[cfg(test)]
pub(crate) use collisions::ChosenMember;
pub(crate) use collisions::ChosenNames;
pub(crate) use hoist::Hoisted;

use super::Note;
use crate::spec;

/// Names every type of the (otherwise lowered) document, and the members
/// that need names of their own.
pub(super) fn name_types(doc: &mut Value, notes: &mut Vec<Note>) -> (Hoisted, ChosenNames) {
    collisions::rename_colliding_components(doc, notes);
    // The names the spec gave, which merging prefers over derived ones.
    let spec_names: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted = hoist::hoist_inline_schemas(doc);
    let merged = dedup::merge_identical_components(doc, &spec_names);
    // Hoisted and merged names are chosen free; this only ever renames
    // if a pass above breaks that promise (and notes it).
    collisions::rename_colliding_components(doc, notes);
    for (old, new) in &merged {
        if let Some(origin) = hoisted.origins.remove(old) {
            hoisted.origins.entry(new.clone()).or_insert(origin);
        }
    }
    #[cfg(test)]
    for record in &mut hoisted.records {
        if let Some(new) = merged.get(&record.type_name) {
            record.type_name = new.clone();
        }
        // The recorded shape refers to types that may have been merged too.
        if let Ok(mut shape) = serde_json::from_str::<Value>(&record.structure) {
            spec::rewrite_refs(&mut shape, &mut |r| {
                let new = merged.get(r.strip_prefix(super::SCHEMA_REF_PREFIX)?)?;
                Some(format!("{}{new}", super::SCHEMA_REF_PREFIX))
            });
            record.structure = super::structural_key(&shape);
        }
    }
    let origin = |component: &str| match hoisted.origins.get(component) {
        Some(pointer) => pointer.clone(),
        None => spec::child_pointer("/components/schemas", component),
    };
    let mut chosen = collisions::choose_member_names(doc, &origin, notes);
    collisions::choose_parameter_names(doc, &mut chosen, notes);
    (hoisted, chosen)
}

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The Rust type name typify gives to a schema named `name`.
pub(crate) fn pascal_ident(name: &str) -> String {
    identifier(name, |s| s.to_pascal_case(), "X", "X")
}

/// The Pascal-case identifier progenitor (not typify) makes of `name`:
/// builder structs and `Client{Tag}Ext` traits. Differs from
/// [`pascal_ident`] only for names that cannot start an identifier.
pub(crate) fn progenitor_pascal(name: &str) -> String {
    identifier(name, |s| s.to_pascal_case(), "X", "_")
}

/// The Rust method/field name progenitor gives to `name`.
pub(crate) fn snake_ident(name: &str) -> String {
    identifier(name, |s| s.to_snake_case(), "x", "_")
}

/// The struct field name typify gives to a property named `name`: as
/// [`snake_ident`], but with `x` before a first character that cannot
/// start an identifier.
pub(crate) fn typify_snake(name: &str) -> String {
    identifier(name, |s| s.to_snake_case(), "x", "x")
}

/// The rule the three namings share: `+1`/`-1` spelt out, apostrophes
/// dropped, other non-identifier characters as word breaks, then `case`;
/// `empty` stands in for nothing left, `prefix` goes before a first
/// character that cannot start an identifier; keywords get escaped.
fn identifier(name: &str, case: fn(&str) -> String, empty: &str, prefix: &str) -> String {
    let out = match name {
        "+1" => case("plus1"),
        "-1" => case("minus1"),
        _ => case(
            &name
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => empty.to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    keyword_safe(out)
}

fn keyword_safe(ident: String) -> String {
    if is_keyword(&ident) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Keywords typify and progenitor refuse as identifiers (they append `_`).
pub(crate) fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// A file name (without `.rs`) for a tag: `Information Barriers` ->
/// `information_barriers`.
pub(crate) fn file_stem(tag: &str) -> String {
    let s = tag
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        .to_snake_case();
    if s.is_empty() { "untagged".into() } else { s }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    include!("../../../tests/fixture_settings.rs");

    /// `(file name, text)` of every spec fixture, in name order.
    fn fixture_specs() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs");
        let mut specs: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        specs.sort();
        specs
    }

    /// `schema` with every placeholder of `chosen` (enum values and
    /// property names) back to the value it stands for.
    fn without_placeholders(schema: &Value, chosen: &ChosenNames) -> Value {
        let wire = |s: &str| {
            chosen
                .members
                .get(s)
                .map_or_else(|| s.to_string(), |m| m.wire.clone())
        };
        match schema {
            Value::String(s) => Value::String(wire(s)),
            Value::Array(items) => items
                .iter()
                .map(|i| without_placeholders(i, chosen))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (wire(k), without_placeholders(v, chosen)))
                .collect(),
            other => other.clone(),
        }
    }

    #[test]
    fn no_two_different_shapes_share_a_type_name() {
        for (name, text) in fixture_specs() {
            let settings = fixture_settings(&name);
            let document = crate::spec::load(text.as_bytes()).unwrap();
            let valid = crate::validate::validate(document).unwrap();
            let lowered = crate::lower::lower(&valid, &settings).unwrap();

            // Component keys map one-to-one onto Rust names. Shapes are
            // compared as written: without the placeholders of members
            // lowering named (see `collisions::choose_member_names`).
            let components = lowered.value["components"]["schemas"].as_object().unwrap();
            let as_written: BTreeMap<String, Value> = components
                .iter()
                .map(|(k, v)| {
                    (
                        pascal_ident(k),
                        without_placeholders(v, &lowered.chosen_names),
                    )
                })
                .collect();
            let type_names: BTreeMap<String, &Value> =
                as_written.iter().map(|(k, v)| (k.clone(), v)).collect();
            assert_eq!(components.len(), type_names.len(), "{name}");

            // Every hoisted site has exactly the shape of the type it now names.
            let mut shapes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for h in &lowered.hoisted.records {
                shapes.entry(&h.type_name).or_default().insert(&h.structure);
                let schema = type_names[&h.type_name];
                assert_eq!(
                    super::super::structural_key(schema),
                    h.structure,
                    "{name}: {} was hoisted into {} of another shape",
                    h.pointer,
                    h.type_name
                );
            }
            for (type_name, set) in shapes {
                assert_eq!(
                    set.len(),
                    1,
                    "{name}: {type_name} stands for {} shapes",
                    set.len()
                );
            }

            // typify never invented a name of its own: every top-level type
            // in types.rs is one of our components.
            let generated = crate::generate(&text, &settings).unwrap();
            let types = syn::parse_file(&generated.files["types.rs"]).unwrap();
            for item in types.items {
                let ident = match item {
                    syn::Item::Struct(s) => s.ident.to_string(),
                    syn::Item::Enum(e) => e.ident.to_string(),
                    _ => continue,
                };
                assert!(
                    type_names.contains_key(&ident),
                    "{name}: typify named a type {ident} that lowering did not"
                );
            }
        }
    }

    #[test]
    fn idents_follow_the_engine() {
        assert_eq!(pascal_ident("ZoomError"), "ZoomError");
        assert_eq!(pascal_ident("user_info"), "UserInfo");
        assert_eq!(pascal_ident("user-info"), "UserInfo");
        assert_eq!(pascal_ident("2fa"), "X2fa");
        assert_eq!(pascal_ident("Self"), "Self_");
        assert_eq!(snake_ident("getAccountSettings"), "get_account_settings");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("page-size"), "page_size");
        assert_eq!(file_stem("Information Barriers"), "information_barriers");
    }
}
