//! Components that are the same type, merged into one (see
//! [`merge_identical_components`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::{SCHEMA_REF_PREFIX, structural_key};
use super::hoist::HoistedSchema;
use super::{SITE_TAG, TYPE_NAME_KEY, pascal_ident};
use crate::{Note, spec};

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
/// Names, in order of precedence:
///
/// 1. a name the spec records (`x-zoom-type-name` on the inline schemas
///    hoisted into the component, see `hoisted`): honored even for a
///    component that merges with nothing, and never merged with a type of
///    another name, so the uses that keep their shape keep their name when
///    another use changes. Two shapes recording one name are an error
///    (`Err((pointer, message))`);
/// 2. a name the spec gave a component (the shortest, when several merge);
/// 3. else the PascalCase words the hoisted names share at their end,
///    preceded by the words they share at their start when the end alone is
///    one word (`...AsConnectionType` + `...VideoConnectionType` ->
///    `ConnectionType`); when that is taken, the first name in order.
///
/// Returns old -> new names.
///
/// Webhook payloads (see `lower::webhooks`): components in `kept_apart`
/// (one per event) are never merged, and names in `secondary` (the types
/// only webhooks use) take part in deriving a name only when the group has
/// no other: merging a webhook shape into an API type never renames it.
pub(super) fn merge_identical_components(
    doc: &mut Value,
    spec_names: &BTreeSet<String>,
    hoisted: &[HoistedSchema],
    kept_apart: &BTreeSet<String>,
    secondary: &BTreeSet<String>,
) -> Result<BTreeMap<String, String>, (String, String)> {
    let mut secondary = secondary.clone();
    // Component -> (recorded name, where it was recorded).
    let mut recorded: BTreeMap<String, (String, String)> = BTreeMap::new();
    for h in hoisted {
        let Some(name) = &h.recorded else {
            continue;
        };
        if pascal_ident(name) != *name || name.is_empty() {
            return Err((
                h.pointer.clone(),
                format!(
                    "{TYPE_NAME_KEY} must be a Rust type name (PascalCase, as `{}`), not {name:?}",
                    pascal_ident(name)
                ),
            ));
        }
        if spec_names.contains(name) {
            return Err((
                h.pointer.clone(),
                format!(
                    "{TYPE_NAME_KEY} {name:?} is the name of a component; refer to it with `$ref`"
                ),
            ));
        }
        match recorded.get(&h.type_name) {
            Some((other, at)) if other != name => {
                return Err((
                    h.pointer.clone(),
                    format!(
                        "{TYPE_NAME_KEY} {name:?} differs from {other:?} recorded for the same type at {at}"
                    ),
                ));
            }
            Some(_) => {}
            None => {
                recorded.insert(h.type_name.clone(), (name.clone(), h.pointer.clone()));
            }
        }
    }
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
            return Ok(renamed);
        };
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, schema) in schemas.iter().filter(|(n, _)| !kept_apart.contains(*n)) {
            groups
                .entry(structural_key(schema))
                .or_default()
                .push(name.clone());
        }
        // Rust names, not keys: a derived name must not become the Rust
        // name of a component the spec named differently (`connection_type`).
        let mut taken: BTreeSet<String> = schemas.keys().map(|k| pascal_ident(k)).collect();
        let mut round: BTreeMap<String, String> = BTreeMap::new();
        let mut groups: Vec<(String, Vec<String>)> = groups.into_iter().collect();
        groups.sort_by(|a, b| a.1.cmp(&b.1));
        // A recorded name claimed by more than one structure waits: merging
        // their insides may make them equal in a later round. If nothing
        // else changes, it is a conflict.
        // Recorded name -> (structure, a site recording it) per structure.
        let mut claims: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for (structure, group) in &groups {
            for (name, at) in group.iter().filter_map(|m| recorded.get(m)) {
                let entry = claims.entry(name).or_default();
                if !entry.iter().any(|(s, _)| s == structure) {
                    entry.push((structure, at));
                }
            }
        }
        let mut conflict: Option<(String, String)> = None;
        for (_, mut group) in groups.clone() {
            group.sort();
            // Members under a recorded name, by that name; the rest.
            let mut named: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
            let mut unnamed: Vec<&String> = Vec::new();
            for member in &group {
                match recorded.get(member) {
                    Some((name, _)) => named.entry(name.as_str()).or_default().push(member),
                    None => unnamed.push(member),
                }
            }
            // A recorded name that another component holds waits too: the
            // holder may be the same type once their insides are merged
            // (a position-named response and the merged uses recorded
            // under its name), and then joins this group.
            let held_elsewhere: BTreeSet<&str> = named
                .keys()
                .copied()
                .filter(|name| taken.contains(*name) && group.iter().all(|m| m != name))
                .collect();
            let contested = |name: &str| {
                held_elsewhere.contains(name) || claims.get(name).is_some_and(|s| s.len() > 1)
            };
            for (name, members) in &named {
                if conflict.is_some() || !contested(name) {
                    continue;
                }
                conflict = Some(if held_elsewhere.contains(name) {
                    (
                        recorded[members[0]].1.clone(),
                        format!("{TYPE_NAME_KEY} {name:?} is already the name of another type"),
                    )
                } else {
                    let [(_, first), (_, second), ..] = claims[name].as_slice() else {
                        unreachable!("a contested name has two claims")
                    };
                    let (first, second) = if first <= second {
                        (first, second)
                    } else {
                        (second, first)
                    };
                    (
                        second.to_string(),
                        format!(
                            "{TYPE_NAME_KEY} {name:?} names two different types (also at {first}); give one of them another name"
                        ),
                    )
                });
            }
            // Unnamed members join the spec's name, else a recorded one
            // (the shortest), else a derived one.
            let uncontested: Vec<&str> = named.keys().copied().filter(|n| !contested(n)).collect();
            let spec_members = unnamed.iter().any(|n| spec_names.contains(*n));
            let join = if spec_members {
                None
            } else {
                uncontested
                    .iter()
                    .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)))
                    .map(|n| n.to_string())
            };
            for name in &uncontested {
                let joins_here = join.as_deref() == Some(*name);
                let extra = if joins_here {
                    unnamed.clone()
                } else {
                    Vec::new()
                };
                for member in named[name].iter().chain(extra.iter()) {
                    if member.as_str() != *name {
                        round.insert((*member).clone(), name.to_string());
                    }
                }
                taken.insert(pascal_ident(name));
            }
            let contested_here = named.keys().any(|n| contested(n));
            if join.is_none() && unnamed.len() > 1 && (spec_members || !contested_here) {
                let unnamed: Vec<String> = unnamed.iter().map(|n| (*n).clone()).collect();
                let primary: Vec<String> = unnamed
                    .iter()
                    .filter(|n| !secondary.contains(*n))
                    .cloned()
                    .collect();
                let target = if primary.is_empty() {
                    let target = merged_name(&unnamed, spec_names, &taken);
                    secondary.insert(target.clone());
                    target
                } else {
                    merged_name(&primary, spec_names, &taken)
                };
                taken.insert(pascal_ident(&target));
                for name in &unnamed {
                    if *name != target {
                        round.insert(name.clone(), target.clone());
                    }
                }
            }
        }
        if round.is_empty() {
            return match conflict {
                Some(conflict) => Err(conflict),
                None => Ok(renamed),
            };
        }
        apply_component_renames(doc, &round, &secondary);
        for target in renamed.values_mut() {
            if let Some(next) = round.get(target) {
                *target = next.clone();
            }
        }
        for (old, new) in &round {
            if let Some(entry) = recorded.remove(old) {
                recorded.entry(new.clone()).or_insert(entry);
            }
        }
        renamed.extend(round);
    }
}

/// Takes every `x-zoom-type-name` out of the document once names are
/// given (the engine must not see it); one left on a schema that is not a
/// type of its own (a plain string, a component's root) was not used, which
/// a note says.
pub(super) fn drop_recorded_names(doc: &mut Value, notes: &mut Vec<Note>) {
    let hoisted_roots: BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .map(|k| spec::child_pointer("/components/schemas", k))
                .collect()
        })
        .unwrap_or_default();
    spec::for_each_schema_mut(doc, &mut |schema, pointer| {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        map.shift_remove(SITE_TAG);
        if let Some(name) = map.shift_remove(TYPE_NAME_KEY)
            && !hoisted_roots.contains(pointer)
        {
            notes.push(Note::at(
                pointer,
                format!("{TYPE_NAME_KEY} {name} not used: this schema is not a type of its own"),
            ));
        }
    });
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
/// Of several merged into a new name, the last in order gives the schema
/// (its descriptions): the webhook-only ones (`secondary`) go first, so an
/// API type keeps its own docs.
fn apply_component_renames(
    doc: &mut Value,
    renames: &BTreeMap<String, String>,
    secondary: &BTreeSet<String>,
) {
    spec::rewrite_refs(doc, &mut |r| {
        let new = renames.get(r.strip_prefix(SCHEMA_REF_PREFIX)?)?;
        Some(format!("{SCHEMA_REF_PREFIX}{new}"))
    });
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let mut moved = Vec::new();
        let mut order: Vec<(&String, &String)> = renames.iter().collect();
        order.sort_by_key(|(old, _)| !secondary.contains(*old));
        for (old, new) in order {
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
