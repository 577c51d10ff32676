//! Component names whose Rust names collide.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::super::{Note, SCHEMA_REF_PREFIX, note};
use super::pascal_ident;
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
}
