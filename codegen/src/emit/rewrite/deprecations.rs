//! `deprecated: true` in the spec becomes `#[deprecated]` in the client.
//!
//! Neither progenitor nor typify carries the keyword. An operation's trait
//! method (or inherent method, untagged) and a parameter's builder method
//! are marked here; a field is marked by [`records`](super::records), which
//! takes [`deprecated_fields`] (the field and its `with_*` setter). Users
//! then get a warning at each use; the crate's own uses (the trait impl,
//! the serde impls of a record) are not uses of the marked items or carry
//! `#[allow(deprecated)]`, so the crate itself compiles without warnings.
//! rustc refuses `#[deprecated]` on trait impl items, so the trait's
//! declaration carries it.

use serde_json::Value;

use super::module_items;
use super::records::DeprecatedFields;
use crate::emit::layout::Index;
use crate::lower::Lowered;
use crate::lower::naming::{pascal_ident, snake_ident};
use crate::spec::{self, OperationRef};

fn is_deprecated(node: &Value) -> bool {
    node.get("deprecated") == Some(&Value::Bool(true))
}

/// (Rust type name, wire name) of every property the lowered spec marks
/// deprecated. After lowering every struct typify writes is a component
/// (`lower::naming` hoists the rest), and hoisting leaves `deprecated` at
/// the use site, on the property.
pub(in crate::emit) fn deprecated_fields(lowered: &Value) -> DeprecatedFields {
    let mut out = DeprecatedFields::new();
    let Some(schemas) = lowered
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (property, node) in properties {
            if is_deprecated(node) {
                out.insert((pascal_ident(name), property.clone()));
            }
        }
    }
    out
}

/// Marks the methods of deprecated operations and the builder methods of
/// deprecated parameters.
pub(in crate::emit) fn mark_deprecated_operations(
    file: &mut syn::File,
    lowered: &Lowered,
    index: &Index,
) {
    let mut methods = Vec::new();
    let mut parameters: Vec<(String, String)> = Vec::new();
    for op in &lowered.operations {
        let at = OperationRef {
            path: op.path.clone(),
            method: op.method,
            pointer: op.pointer.clone(),
        };
        if lowered
            .value
            .pointer(&op.pointer)
            .is_some_and(is_deprecated)
        {
            methods.push(op.method_name.clone());
        }
        let Some(builder) = index.builder_of(&op.operation_id) else {
            continue;
        };
        for (parameter, _) in spec::effective_parameters(&lowered.value, &at) {
            let name = parameter.get("name").and_then(Value::as_str);
            if let (true, Some(name)) = (is_deprecated(parameter), name) {
                parameters.push((builder.to_string(), snake_ident(name)));
            }
        }
    }
    if methods.is_empty() && parameters.is_empty() {
        return;
    }
    for item in &mut file.items {
        match item {
            syn::Item::Trait(t) => {
                for ti in &mut t.items {
                    if let syn::TraitItem::Fn(f) = ti
                        && methods.contains(&f.sig.ident.to_string())
                    {
                        deprecate(&mut f.attrs);
                    }
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                for ii in &mut i.items {
                    if let syn::ImplItem::Fn(f) = ii
                        && methods.contains(&f.sig.ident.to_string())
                    {
                        deprecate(&mut f.attrs);
                    }
                }
            }
            _ => {}
        }
    }
    let Some(builders) = module_items(file, "builder") else {
        return;
    };
    for item in builders {
        let syn::Item::Impl(i) = item else { continue };
        let Some(owner) = super::type_last_ident(&i.self_ty) else {
            continue;
        };
        for ii in &mut i.items {
            if let syn::ImplItem::Fn(f) = ii
                && parameters.contains(&(owner.clone(), f.sig.ident.to_string()))
            {
                deprecate(&mut f.attrs);
            }
        }
    }
}

fn deprecate(attrs: &mut Vec<syn::Attribute>) {
    if !attrs.iter().any(|a| a.path().is_ident("deprecated")) {
        attrs.push(syn::parse_quote!(#[deprecated]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deprecated_properties_are_found_by_type_and_wire_name() {
        let doc = json!({"components": {"schemas": {
            "list_roles_response": {"type": "object", "properties": {
                "page_number": {"type": "integer", "deprecated": true},
                "roles": {"type": "array", "items": {"type": "string"}},
                "next": {"allOf": [{"$ref": "#/components/schemas/X"}], "deprecated": true}
            }},
            "X": {"type": "string", "deprecated": false}
        }}});
        let found: Vec<(String, String)> = deprecated_fields(&doc).into_iter().collect();
        assert_eq!(
            found,
            [
                ("ListRolesResponse".to_string(), "next".to_string()),
                ("ListRolesResponse".to_string(), "page_number".to_string())
            ]
        );
    }
}
