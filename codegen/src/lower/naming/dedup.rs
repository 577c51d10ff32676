//! Components that are the same type, merged into one (see
//! [`merge_identical_components`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::{SCHEMA_REF_PREFIX, structural_key};
use super::pascal_ident;
use crate::spec;

/// Merges components that are structurally the same type into one.
///
/// Hoisting names a shape after the place it sits, so the same shape at
/// differently named places (a `connection_type` enum under seventeen
/// parents, the QoS metric block under every QoS field) would become as many
/// identical Rust types: more code to compile and types a user cannot pass
/// from one call to another. Components whose structure (annotations
/// ignored, see [`structural_key`]) is equal are merged until nothing
/// changes (merging two referenced types can make their parents equal).
///
/// The merged type keeps a name the spec gave it if any (the shortest), else
/// the PascalCase words the hoisted names share at their end, preceded by
/// the words they share at their start when the end alone is one word
/// (`...AsConnectionType` + `...VideoConnectionType` -> `ConnectionType`);
/// when that is taken, the first name in order. Returns old -> new names.
pub(super) fn merge_identical_components(
    doc: &mut Value,
    spec_names: &BTreeSet<String>,
) -> BTreeMap<String, String> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
            return renamed;
        };
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, schema) in schemas {
            groups
                .entry(structural_key(schema))
                .or_default()
                .push(name.clone());
        }
        // Rust names, not keys: a derived name must not become the Rust
        // name of a component the spec named differently (`connection_type`).
        let mut taken: BTreeSet<String> = schemas.keys().map(|k| pascal_ident(k)).collect();
        let mut round: BTreeMap<String, String> = BTreeMap::new();
        let mut groups: Vec<Vec<String>> = groups.into_values().filter(|g| g.len() > 1).collect();
        groups.sort();
        for mut group in groups {
            group.sort();
            let target = merged_name(&group, spec_names, &taken);
            taken.insert(pascal_ident(&target));
            for name in &group {
                if *name != target {
                    round.insert(name.clone(), target.clone());
                }
            }
        }
        if round.is_empty() {
            return renamed;
        }
        apply_component_renames(doc, &round);
        for target in renamed.values_mut() {
            if let Some(next) = round.get(target) {
                *target = next.clone();
            }
        }
        renamed.extend(round);
    }
}

fn merged_name(
    group: &[String],
    spec_names: &BTreeSet<String>,
    taken: &BTreeSet<String>,
) -> String {
    if let Some(spec) = group
        .iter()
        .filter(|n| spec_names.contains(*n))
        .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
    {
        return spec.clone();
    }
    let words: Vec<Vec<String>> = group.iter().map(|n| pascal_words(n)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let common_end = (0..shortest)
        .take_while(|i| {
            let w = &words[0][words[0].len() - 1 - i];
            words.iter().all(|ws| &ws[ws.len() - 1 - i] == w)
        })
        .count();
    let common_start = (0..shortest.saturating_sub(common_end))
        .take_while(|i| words.iter().all(|ws| ws[*i] == words[0][*i]))
        .count();
    let end = words[0][words[0].len() - common_end..].concat();
    let candidate = if common_end >= 2 {
        end
    } else if common_end == 1 && common_start > 0 {
        format!("{}{end}", words[0][..common_start].concat())
    } else {
        String::new()
    };
    let candidate_is_free = !candidate.is_empty()
        && !candidate.starts_with(|c: char| c.is_ascii_digit())
        && (!taken.contains(&candidate) || group.contains(&candidate));
    if candidate_is_free {
        candidate
    } else {
        group[0].clone()
    }
}

/// `DashboardQosType2` -> `["Dashboard", "Qos", "Type2"]`.
fn pascal_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(String::new());
        }
        if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}

/// Points every `$ref` to a renamed component at its new name, moves the
/// component under the new name if that is free, and drops the merged ones.
fn apply_component_renames(doc: &mut Value, renames: &BTreeMap<String, String>) {
    spec::rewrite_refs(doc, &mut |r| {
        let new = renames.get(r.strip_prefix(SCHEMA_REF_PREFIX)?)?;
        Some(format!("{SCHEMA_REF_PREFIX}{new}"))
    });
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let mut moved = Vec::new();
        for (old, new) in renames {
            if let Some(schema) = schemas.shift_remove(old)
                && !schemas.contains_key(new)
            {
                moved.push((new.clone(), schema));
            }
        }
        for (name, schema) in moved {
            schemas.insert(name, schema);
        }
        schemas.sort_keys();
    }
}
