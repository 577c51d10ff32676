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
//! 3. [`dedup`]: components that are the same type are merged into one,
//!    under the name the spec records for them (`x-zoom-type-name`) when it
//!    does.
//!
//! Names must be stable: users write them. A name that comes from where a
//! schema sits is (a change elsewhere cannot move it), and so is a
//! component's; a merged type's name would otherwise be invented from the
//! structure (which uses share it), and a change to one use would rename
//! the type for all. So the spec records the merged name on each inline
//! use (`x-zoom-type-name`, written by `cargo xtask import`, which reads
//! them back with [`type_names`](crate::type_names)), and the uses that
//! keep their shape keep their name.
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
use crate::error::{Error, Result};
use crate::spec::{self, Document};

/// The extension that records the Rust name of an inline schema's type.
pub(crate) const TYPE_NAME_KEY: &str = "x-zoom-type-name";

/// Where an inline schema sits in the canonical spec, put there by
/// `lower::type_sites` (never in a spec, never seen by the engine).
pub(crate) const SITE_TAG: &str = "x-zoom-codegen-site";

/// How an inline schema's type got its name (see [`crate::type_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedBy {
    /// Where it sits (`{Operation}Response`, `{Parent}{Field}`): stable.
    Position,
    /// Its `x-zoom-type-name`: stable.
    Recorded,
    /// Merged with equal schemas elsewhere into one type (a component's
    /// name, or one derived from the merged uses): stable only once it is
    /// recorded.
    Structure,
}

/// The Rust type of one inline schema of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSite {
    /// The schema's JSON pointer in the canonical (normalized) spec.
    pub pointer: String,
    /// The type's name in `types`.
    pub type_name: String,
    pub named_by: NamedBy,
}

/// Names every type of the (otherwise lowered) document, and the members
/// that need names of their own; `src` locates errors in recorded names.
pub(super) fn name_types(
    doc: &mut Value,
    src: &Document,
    notes: &mut Vec<Note>,
) -> Result<(Hoisted, ChosenNames)> {
    collisions::rename_colliding_components(doc, notes);
    // The names the spec gave, which merging prefers over derived ones.
    let spec_names: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted = hoist::hoist_inline_schemas(doc);
    // Webhook payloads: one type per event, and no API type renamed by a
    // webhook shape it merges with (see `lower::webhooks`).
    let kept_apart = super::webhooks::event_components(doc);
    let secondary = super::webhooks::webhook_only_components(doc);
    let merged = dedup::merge_identical_components(
        doc,
        &spec_names,
        &hoisted.records,
        &kept_apart,
        &secondary,
    )
    .map_err(|(pointer, message)| Error::Invalid {
        location: src.locate(&pointer),
        message,
    })?;
    // Hoisted and merged names are chosen free; this only ever renames
    // if a pass above breaks that promise (and notes it).
    collisions::rename_colliding_components(doc, notes);
    for record in &mut hoisted.records {
        if let Some(new) = merged.get(&record.type_name) {
            record.type_name = new.clone();
        }
        // The recorded shape refers to types that may have been merged too.
        #[cfg(test)]
        if let Ok(mut shape) = serde_json::from_str::<Value>(&record.structure) {
            spec::rewrite_refs(&mut shape, &mut |r| {
                let new = merged.get(r.strip_prefix(super::SCHEMA_REF_PREFIX)?)?;
                Some(format!("{}{new}", super::SCHEMA_REF_PREFIX))
            });
            record.structure = super::structural_key(&shape);
        }
    }
    dedup::drop_recorded_names(doc, notes);
    let origins = hoisted.origins();
    let origin = |component: &str| match origins.get(component) {
        Some(pointer) => pointer.clone(),
        None => spec::child_pointer("/components/schemas", component),
    };
    let mut chosen = collisions::choose_member_names(doc, &origin, notes);
    collisions::choose_parameter_names(doc, &mut chosen, notes);
    Ok((hoisted, chosen))
}

/// The sites of `hoisted` that carry a canonical pointer, as
/// [`crate::type_names`] reports them.
pub(crate) fn type_sites(hoisted: &Hoisted) -> Vec<TypeSite> {
    let mut sites: Vec<TypeSite> = hoisted
        .records
        .iter()
        .filter_map(|r| {
            let named_by = if r.recorded.is_some() {
                NamedBy::Recorded
            } else if r.type_name == r.positional {
                NamedBy::Position
            } else {
                NamedBy::Structure
            };
            Some(TypeSite {
                pointer: r.site.clone()?,
                type_name: r.type_name.clone(),
                named_by,
            })
        })
        .collect();
    sites.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    // A schema lowering copied (a shared response inlined into each of its
    // operations) is one site.
    sites.dedup();
    sites
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
            let lowered = crate::lower::lower(&valid, None, &settings).unwrap();

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
    fn type_names_match_the_generated_types() {
        let mut checked_sites = 0;
        for (name, text) in fixture_specs() {
            let settings = fixture_settings(&name);
            let generated = crate::generate(&text, &settings).unwrap();
            let types = syn::parse_file(&generated.files["types.rs"]).unwrap();
            let idents: BTreeSet<String> = types
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some(s.ident.to_string()),
                    syn::Item::Enum(e) => Some(e.ident.to_string()),
                    // `open_enum! { #[doc] Name { .. } }`, `record! { #[..]
                    // pub struct Name { .. } }`: the name after `struct` or
                    // `enum`, else the first identifier.
                    syn::Item::Macro(m) => {
                        let idents: Vec<String> = m
                            .mac
                            .tokens
                            .clone()
                            .into_iter()
                            .filter_map(|t| match t {
                                proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
                                _ => None,
                            })
                            .collect();
                        let keyword = idents.iter().position(|i| i == "struct" || i == "enum");
                        idents.get(keyword.map_or(0, |k| k + 1)).cloned()
                    }
                    _ => None,
                })
                .collect();
            let sites = crate::type_names(&text, &settings).unwrap();
            // A fixture of components only (`recursive.yaml`) has none.
            checked_sites += sites.len();
            // What import records (a positional name may be a component
            // typify renders as another type, `Option<UserInfo>`).
            for site in sites.iter().filter(|s| s.named_by != NamedBy::Position) {
                assert!(
                    idents.contains(&site.type_name),
                    "{name}: {} names {} which types.rs does not define",
                    site.pointer,
                    site.type_name
                );
            }
        }
        assert!(checked_sites > 0);
    }

    /// Two operations answer with copies of one shape (an object holding a
    /// string enum); `changed` adds an enum value to the second copy, and
    /// `recorded` puts `x-zoom-type-name` on the copies that have it.
    fn two_copies(changed: bool, recorded: [bool; 2]) -> String {
        let copy = |n: usize| {
            let values = if changed && n == 1 {
                "[a, b, c]"
            } else {
                "[a, b]"
            };
            let (outer, inner) = if recorded[n] {
                (
                    "\n                    x-zoom-type-name: Shared",
                    "\n                        x-zoom-type-name: SharedKind",
                )
            } else {
                ("", "")
            };
            format!(
                "                  settings:\n                    type: object{outer}\n                    properties:\n                      kind:\n                        type: string\n                        enum: {values}{inner}\n"
            )
        };
        let op = |path: &str, id: &str, n: usize| {
            format!(
                "  {path}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n{}",
                copy(n)
            )
        };
        format!(
            "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\npaths:\n{}{}",
            op("/a", "getA", 0),
            op("/b", "getB", 1)
        )
    }

    fn names(text: &str) -> Vec<(String, String, NamedBy)> {
        crate::type_names(text, &crate::Settings::new())
            .unwrap()
            .into_iter()
            .filter(|s| s.pointer.contains("/settings"))
            .map(|s| {
                let at = if s.pointer.starts_with("/paths/~1a/") {
                    "a"
                } else {
                    "b"
                };
                let what = if s.pointer.ends_with("/kind") {
                    "kind"
                } else {
                    "settings"
                };
                (format!("{at}.{what}"), s.type_name, s.named_by)
            })
            .collect()
    }

    #[test]
    fn recorded_names_survive_a_change_to_another_use() {
        use NamedBy::*;
        let n = |a: &str, b: &str, c: NamedBy| (a.to_string(), b.to_string(), c);
        // Merged by structure, named from the uses.
        assert_eq!(
            names(&two_copies(false, [false, false])),
            [
                n("a.settings", "ResponseSettings", Structure),
                n("a.kind", "ResponseSettingsKind", Structure),
                n("b.settings", "ResponseSettings", Structure),
                n("b.kind", "ResponseSettingsKind", Structure),
            ]
        );
        // Recorded: the spec's names.
        assert_eq!(
            names(&two_copies(false, [true, true])),
            [
                n("a.settings", "Shared", Recorded),
                n("a.kind", "SharedKind", Recorded),
                n("b.settings", "Shared", Recorded),
                n("b.kind", "SharedKind", Recorded),
            ]
        );
        // One copy changes and loses its names (as import writes it): the
        // other keeps them; only the changed one is named anew.
        assert_eq!(
            names(&two_copies(true, [true, false])),
            [
                n("a.settings", "Shared", Recorded),
                n("a.kind", "SharedKind", Recorded),
                n("b.settings", "GetBResponseSettings", Position),
                n("b.kind", "GetBResponseSettingsKind", Position),
            ]
        );
        // An unrecorded use of the same shape joins the recorded type.
        assert_eq!(
            names(&two_copies(false, [true, false]))[2],
            n("b.settings", "Shared", Structure)
        );
        // Without recorded names the same change renames both uses.
        assert_eq!(
            names(&two_copies(true, [false, false]))
                .iter()
                .filter(|(_, _, by)| *by == Position)
                .count(),
            4
        );
    }

    #[test]
    fn a_recorded_name_on_a_schema_without_a_type_is_a_note() {
        let text = two_copies(false, [false, false]).replace(
            "                        enum: [a, b]\n",
            "                        enum: [a, b]\n                      label:\n                        type: string\n                        x-zoom-type-name: Label\n",
        );
        let generated = crate::generate(&text, &crate::Settings::new()).unwrap();
        let notes: Vec<String> = generated.notes.iter().map(|n| n.to_string()).collect();
        assert!(
            notes.iter().any(|n| n.ends_with(
                "x-zoom-type-name \"Label\" not used: this schema is not a type of its own"
            )),
            "{notes:?}"
        );
    }

    #[test]
    fn recorded_names_that_cannot_hold_are_errors() {
        let err = |text: &str| {
            crate::generate(text, &crate::Settings::new())
                .unwrap_err()
                .to_string()
        };
        // A hand edit changed one copy but kept its names.
        let both = err(&two_copies(true, [true, true]));
        assert!(
            both.contains("x-zoom-type-name \"Shared")
                && both.contains("names two different types (also at /paths/~1a/get/"),
            "{both}"
        );
        assert!(both.starts_with("at /paths/~1b/get/"), "{both}");
        let bad = two_copies(false, [true, true]).replace("name: SharedKind", "name: shared kind");
        assert_eq!(
            err(&bad)
                .split_once(": ")
                .map(|(_, m)| m.to_string())
                .unwrap_or_default(),
            "x-zoom-type-name must be a Rust type name (PascalCase, as `SharedKind`), not \"shared kind\""
        );
        let component = format!(
            "{}components:\n  schemas:\n    Shared:\n      type: string\n",
            two_copies(false, [true, true])
        );
        assert!(err(&component).ends_with(
            "x-zoom-type-name \"Shared\" is the name of a component; refer to it with `$ref`"
        ));
    }

    /// What import does: the names of merged uses written on them.
    fn with_recorded_names(text: &str) -> String {
        let sites = crate::type_names(text, &crate::Settings::new()).unwrap();
        let mut doc = crate::spec::load(text.as_bytes()).unwrap().value;
        for site in sites.iter().filter(|s| s.named_by == NamedBy::Structure) {
            if let Some(Value::Object(node)) = doc.pointer_mut(&site.pointer) {
                node.insert(TYPE_NAME_KEY.into(), site.type_name.clone().into());
            }
        }
        serde_json::to_string(&doc).unwrap()
    }

    #[test]
    fn a_recorded_name_held_by_a_type_it_merges_with_later_holds() {
        // `/b`'s item is `/a`'s response (named where it sits), but only
        // once their `kind` enums are merged: the name recorded on the item
        // waits for that round instead of being taken.
        let kind =
            "type: object\n{i}properties:\n{i}  kind:\n{i}    type: string\n{i}    enum: [a, b]\n";
        let at = |indent: usize| kind.replace("{i}", &" ".repeat(indent));
        let text = format!(
            "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                {}  /b:\n    get:\n      operationId: getB\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  {}",
            at(16),
            at(18)
        );
        let names = |text: &str| -> Vec<(String, String)> {
            crate::type_names(text, &crate::Settings::new())
                .unwrap()
                .into_iter()
                .map(|s| (s.pointer, s.type_name))
                .collect()
        };
        let before = names(&text);
        let item = "/paths/~1b/get/responses/200/content/application~1json/schema/items";
        assert!(
            before.iter().any(|(p, n)| p == item && n == "GetAResponse"),
            "{before:?}"
        );
        assert_eq!(names(&with_recorded_names(&text)), before);
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
