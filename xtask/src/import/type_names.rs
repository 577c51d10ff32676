//! The Rust names of merged types, recorded in the spec so that they stay.
//!
//! The generator merges inline schemas that are the same Rust type (the
//! settings read and update bodies repeat many shapes with other field
//! descriptions) and would otherwise name the merged type from its uses;
//! a change to one use would then rename the type for all of them. So the
//! name it gives is written on every inline use as `x-zoom-type-name`
//! (see `zoom_api_codegen::type_names`), and carried from the current spec
//! to the new one on every use whose shape did not change. A use that
//! changed loses it and is named where it sits (or merged anew); the others
//! keep the type they had.
//!
//! Runs on the canonical spec text, after hoisting (pass 1 and 2 of
//! `hoist` name components; this names what stays inline).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zoom_api_codegen::spec::{self, Shape};
use zoom_api_codegen::{NamedBy, TypeSite};

use crate::regen::client_settings;

/// The extension (as the generator reads it).
pub const TYPE_NAME_KEY: &str = "x-zoom-type-name";

/// What recording did, for the command's summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Uses that kept the name the current spec records.
    pub kept: usize,
    /// `(pointer, name)`: uses whose shape changed, which lost their name.
    pub dropped: Vec<(String, String)>,
    /// `(pointer, name)`: names newly written (a type newly merged).
    pub new: Vec<(String, String)>,
}

/// `canonical` (a spec in canonical form) with the names recorded, as
/// canonical text again; `current` is the spec being replaced, if any.
pub fn record(
    canonical: &str,
    current: Option<&Value>,
) -> zoom_api_codegen::Result<(String, Recorded)> {
    let mut doc = spec::load(canonical.as_bytes())?.value;
    let mut report = Recorded::default();
    if let Some(current) = current {
        carry(&mut doc, current, &mut report);
    }
    let text = to_text(&doc)?;
    let sites = zoom_api_codegen::type_names(&text, &client_settings())?;
    let components = component_names(&doc);
    for (pointer, name) in to_record(&sites, &components) {
        if let Some(Value::Object(node)) = doc.pointer_mut(&pointer) {
            node.insert(TYPE_NAME_KEY.into(), Value::String(name.clone()));
            report.new.push((pointer, name));
        }
    }
    if report.new.is_empty() {
        return Ok((text, report));
    }
    Ok((to_text(&doc)?, report))
}

fn to_text(doc: &Value) -> zoom_api_codegen::Result<String> {
    // A Value serializes; the canonical writer orders it.
    let json = serde_json::to_string(doc).unwrap_or_default();
    zoom_api_codegen::normalize_spec(&json)
}

fn component_names(doc: &Value) -> BTreeSet<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The uses named from their structure, with the name to record: not one
/// merged into a component (a component's name is not recorded on an
/// inline use: the generator refuses that), and not a schema lowering
/// copied to places that ended up with different types.
fn to_record(sites: &[TypeSite], components: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut by_pointer: BTreeMap<&str, Vec<&TypeSite>> = BTreeMap::new();
    for site in sites {
        by_pointer.entry(&site.pointer).or_default().push(site);
    }
    by_pointer
        .into_iter()
        .filter_map(|(pointer, sites)| match sites.as_slice() {
            [site]
                if site.named_by == NamedBy::Structure && !components.contains(&site.type_name) =>
            {
                Some((pointer.to_string(), site.type_name.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Copies each `x-zoom-type-name` of `current` to the same place in `doc`
/// when the schema there is still inline and the same Rust type (its
/// [`Shape::RustType`] key, which leaves docs and extensions out, is
/// equal), and the name is not a component's now.
fn carry(doc: &mut Value, current: &Value, report: &mut Recorded) {
    let mut recorded: Vec<(String, String, String)> = Vec::new();
    spec::for_each_schema(current, &mut |node, pointer| {
        if let Some(Value::String(name)) = node.get(TYPE_NAME_KEY) {
            recorded.push((
                pointer.to_string(),
                name.clone(),
                spec::shape_key(node, Shape::RustType),
            ));
        }
    });
    let components = component_names(doc);
    for (pointer, name, shape) in recorded {
        let same = doc.pointer(&pointer).is_some_and(|node| {
            node.get("$ref").is_none() && spec::shape_key(node, Shape::RustType) == shape
        });
        match doc.pointer_mut(&pointer) {
            Some(Value::Object(node)) if same && !components.contains(&name) => {
                node.insert(TYPE_NAME_KEY.into(), Value::String(name));
                report.kept += 1;
            }
            _ => report.dropped.push((pointer, name)),
        }
    }
}

/// `(pointer, Rust type name)` of every inline schema of `spec` the
/// generator makes a type of; empty when it cannot generate the spec.
pub fn rust_names(spec: &Value) -> Vec<(String, String)> {
    let text = serde_json::to_string(spec).unwrap_or_default();
    zoom_api_codegen::type_names(&text, &client_settings())
        .map(|sites| {
            sites
                .into_iter()
                .map(|s| (s.pointer, s.type_name))
                .collect()
        })
        .unwrap_or_default()
}

/// `doc` without any `x-zoom-type-name` (what import's own shape
/// comparisons must not see: they are not part of a written shape).
pub fn without_recorded_names(doc: &Value) -> Value {
    let mut doc = doc.clone();
    spec::for_each_schema_mut(&mut doc, &mut |node, _| {
        if let Value::Object(map) = node {
            map.shift_remove(TYPE_NAME_KEY);
        }
    });
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pointer: &str, name: &str, named_by: NamedBy) -> TypeSite {
        TypeSite {
            pointer: pointer.into(),
            type_name: name.into(),
            named_by,
        }
    }

    #[test]
    fn records_merged_names_only() {
        let components = BTreeSet::from(["QosMetrics".to_string()]);
        let sites = [
            site("/a", "Shared", NamedBy::Structure),
            site("/b", "Shared", NamedBy::Structure),
            site("/c", "CPosition", NamedBy::Position),
            site("/d", "QosMetrics", NamedBy::Structure),
            site("/e", "Kept", NamedBy::Recorded),
            // One schema copied to two places with two types: not one name.
            site("/f", "F1", NamedBy::Structure),
            site("/f", "F2", NamedBy::Structure),
        ];
        assert_eq!(
            to_record(&sites, &components),
            [
                ("/a".to_string(), "Shared".to_string()),
                ("/b".to_string(), "Shared".to_string())
            ]
        );
    }
}
