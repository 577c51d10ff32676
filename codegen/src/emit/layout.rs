//! Where each item of the generated client goes, read from the structure
//! of the engine's output rather than predicted from names.
//!
//! progenitor writes one extension trait per tag (`pub trait ClientXExt`,
//! with `impl ClientXExt for Client`), an `impl Client` with the methods of
//! untagged operations, and a `builder` module with one builder struct per
//! operation. Every trait or inherent method is named after its operation
//! (the rule validation already holds the spec to) and returns
//! `builder::B<'_>`, its builder. So [`Index::read`] maps each method to its
//! operation and each builder to the method that returns it; a method or
//! builder that belongs to no operation is an error naming it, never a
//! guess. [`split`] then hands every item to its [`Section`], which
//! `format` prints as one file per tag.

use std::collections::{BTreeMap, BTreeSet};

use super::{Emitted, Section, TypesModule};
use crate::error::{Error, Result};
use crate::lower::OperationRecord;
use crate::lower::naming::progenitor_pascal;

/// The operations of the engine's output: who owns which builder and which
/// trait stands for which tag.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Operation id -> its builder struct's name.
    builders: BTreeMap<String, String>,
    /// Builder struct name -> its operation id.
    owners: BTreeMap<String, String>,
    /// Extension trait name -> its tag.
    traits: BTreeMap<String, String>,
}

fn output_error(message: String) -> Error {
    Error::EngineOutput { message }
}

impl Index {
    /// Reads the traits and the `impl Client` methods of `file`.
    pub(super) fn read(file: &syn::File, operations: &[OperationRecord]) -> Result<Self> {
        let by_method: BTreeMap<&str, &OperationRecord> = operations
            .iter()
            .map(|op| (op.method_name.as_str(), op))
            .collect();
        let operation_of = |ident: &syn::Ident, place: &str| {
            by_method.get(ident.to_string().as_str()).copied().ok_or_else(|| {
                output_error(format!(
                    "method `{ident}` {place} is no operation of the spec (the engine's naming rule and `lower::naming` disagree)"
                ))
            })
        };
        let mut index = Index::default();
        for item in &file.items {
            match item {
                syn::Item::Trait(t) => {
                    let place = format!("of trait `{}`", t.ident);
                    let mut tags: Option<BTreeSet<&String>> = None;
                    for ti in &t.items {
                        let syn::TraitItem::Fn(f) = ti else { continue };
                        let op = operation_of(&f.sig.ident, &place)?;
                        index.add_builder(op, &f.sig, &place)?;
                        let own: BTreeSet<&String> = op.tags.iter().collect();
                        tags = Some(match tags {
                            None => own,
                            Some(common) => common.intersection(&own).copied().collect(),
                        });
                    }
                    let tag = index.tag_of_trait(&t.ident, tags.unwrap_or_default())?;
                    index.traits.insert(t.ident.to_string(), tag);
                }
                syn::Item::Impl(i) if i.trait_.is_none() && is_client(&i.self_ty) => {
                    for ii in &i.items {
                        let syn::ImplItem::Fn(f) = ii else { continue };
                        if returned_builder(&f.sig).is_some() {
                            let op = operation_of(&f.sig.ident, "of `impl Client`")?;
                            index.add_builder(op, &f.sig, "of `impl Client`")?;
                        }
                    }
                }
                _ => {}
            }
        }
        for op in operations.iter().filter(|op| !op.multipart) {
            if !index.builders.contains_key(&op.operation_id) {
                return Err(output_error(format!(
                    "no method for operation {:?}",
                    op.operation_id
                )));
            }
        }
        Ok(index)
    }

    fn add_builder(
        &mut self,
        op: &OperationRecord,
        sig: &syn::Signature,
        place: &str,
    ) -> Result<()> {
        let builder = returned_builder(sig).ok_or_else(|| {
            output_error(format!(
                "method `{}` {place} does not return a `builder::` type",
                sig.ident
            ))
        })?;
        self.register(&op.operation_id, &builder);
        Ok(())
    }

    /// The tag of a trait whose methods' operations share `tags`: the one
    /// tag they all have, or, when they share several, the one the engine
    /// names this trait after.
    fn tag_of_trait(&self, ident: &syn::Ident, tags: BTreeSet<&String>) -> Result<String> {
        let named = |tag: &&String| *ident == format!("Client{}Ext", progenitor_pascal(tag));
        match tags.len() {
            1 => Ok(tags.into_iter().next().cloned().unwrap_or_default()),
            _ => tags.into_iter().find(named).cloned().ok_or_else(|| {
                output_error(format!(
                    "trait `{ident}` stands for no one tag of its operations"
                ))
            }),
        }
    }

    /// Records an operation's builder (one the engine did not write, such
    /// as a multipart operation's).
    pub(super) fn register(&mut self, operation_id: &str, builder: &str) {
        self.builders
            .insert(operation_id.to_string(), builder.to_string());
        self.owners
            .insert(builder.to_string(), operation_id.to_string());
    }

    /// Records a trait written for `tag`.
    pub(super) fn register_trait(&mut self, ident: &str, tag: &str) {
        self.traits.insert(ident.to_string(), tag.to_string());
    }

    /// The builder struct of an operation.
    pub(super) fn builder_of(&self, operation_id: &str) -> Option<&str> {
        self.builders.get(operation_id).map(String::as_str)
    }

    /// Whether `name` is the extension trait of a tag.
    pub(super) fn is_extension_trait(&self, name: &str) -> bool {
        self.traits.contains_key(name)
    }

    /// The extension trait of a tag.
    pub(super) fn trait_of(&self, tag: &str) -> Option<&str> {
        self.traits
            .iter()
            .find(|(_, t)| *t == tag)
            .map(|(name, _)| name.as_str())
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Client"))
}

/// `B` of a method returning `builder::B<'_>`.
fn returned_builder(sig: &syn::Signature) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    match p.path.segments.iter().collect::<Vec<_>>().as_slice() {
        [module, builder] if module.ident == "builder" => Some(builder.ident.to_string()),
        _ => None,
    }
}

/// Splits the (rewritten) engine output into the parts of [`Emitted`].
pub(super) fn split(
    file: syn::File,
    index: &Index,
    operations: &[OperationRecord],
    emitted: &mut Emitted,
) -> Result<()> {
    let by_id: BTreeMap<&str, &OperationRecord> = operations
        .iter()
        .map(|op| (op.operation_id.as_str(), op))
        .collect();
    let mut sections: BTreeMap<Option<String>, Section> = BTreeMap::new();
    fn section<'s>(
        sections: &'s mut BTreeMap<Option<String>, Section>,
        tag: Option<&String>,
    ) -> &'s mut Section {
        sections.entry(tag.cloned()).or_insert_with(|| Section {
            tag: tag.cloned(),
            feature: None,
            operations: Vec::new(),
            items: Vec::new(),
            builders: Vec::new(),
        })
    }
    for item in file.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" => {
                let (attrs, items) = module_content(m);
                emitted.types = Some(TypesModule { attrs, items });
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                let (attrs, items) = module_content(m);
                emitted.builder_attrs = attrs;
                for inner in items {
                    let owner = match &inner {
                        syn::Item::Struct(s) => Some(s.ident.to_string()),
                        syn::Item::Impl(i) => super::rewrite::type_last_ident(&i.self_ty),
                        _ => None,
                    };
                    let Some(name) = owner else {
                        emitted.builder_preamble.push(inner);
                        continue;
                    };
                    let op = index
                        .owners
                        .get(&name)
                        .and_then(|id| by_id.get(id.as_str()))
                        .ok_or_else(|| {
                            output_error(format!("builder::{name} belongs to no operation"))
                        })?;
                    let place = section(&mut sections, op.tags.first());
                    if matches!(inner, syn::Item::Struct(_)) {
                        place.operations.push(op.operation_id.clone());
                    }
                    place.builders.push(inner);
                }
            }
            syn::Item::Trait(ref t) => {
                let tag = index.traits.get(&t.ident.to_string());
                section(&mut sections, tag).items.push(item);
            }
            syn::Item::Impl(ref i)
                if i.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| index.traits.contains_key(&s.ident.to_string()))
                }) =>
            {
                let tag = i
                    .trait_
                    .as_ref()
                    .and_then(|(_, path, _)| path.segments.last())
                    .and_then(|s| index.traits.get(&s.ident.to_string()));
                section(&mut sections, tag).items.push(item);
            }
            syn::Item::Impl(ref i)
                if i.trait_.is_none() && is_client(&i.self_ty) && {
                    let mut fns = i.items.iter().filter_map(|ii| match ii {
                        syn::ImplItem::Fn(f) => Some(f),
                        _ => None,
                    });
                    fns.clone().next().is_some() && fns.all(|f| returned_builder(&f.sig).is_some())
                } =>
            {
                section(&mut sections, None).items.push(item);
            }
            other => emitted.client.push(other),
        }
    }
    emitted.sections = sections.into_values().collect();
    Ok(())
}

/// The attributes (made outer: an included file cannot carry inner ones)
/// and the items of an inline module.
fn module_content(module: syn::ItemMod) -> (Vec<syn::Attribute>, Vec<syn::Item>) {
    let attrs = module
        .attrs
        .into_iter()
        .map(|mut attr| {
            attr.style = syn::AttrStyle::Outer;
            attr
        })
        .collect();
    let items = module.content.map(|(_, items)| items).unwrap_or_default();
    (attrs, items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::HttpMethod;

    fn record(id: &str, method_name: &str, tags: &[&str]) -> OperationRecord {
        let mut op = OperationRecord::for_test(id);
        op.method_name = method_name.into();
        op.method = HttpMethod::Get;
        op.tags = tags.iter().map(|t| t.to_string()).collect();
        op
    }

    /// Builder names the engine chose, not the ones a rule would predict.
    fn engine_like_file() -> syn::File {
        syn::parse_quote! {
            pub struct Client { baseurl: String }
            impl Client { pub fn new() -> Self { todo!() } }
            impl Client { pub fn ping(&self) -> builder::PingItNow<'_> { builder::PingItNow::new(self) } }
            pub trait ClientRolesExt { fn list_roles(&self) -> builder::Whatever<'_>; }
            impl ClientRolesExt for Client { fn list_roles(&self) -> builder::Whatever<'_> { builder::Whatever::new(self) } }
            pub mod builder {
                use super::types;
                pub struct Whatever<'a> { client: &'a super::Client }
                impl<'a> Whatever<'a> { pub fn new(client: &'a super::Client) -> Self { Self { client } } }
                pub struct PingItNow<'a> { client: &'a super::Client }
            }
        }
    }

    #[test]
    fn builders_follow_the_methods_that_return_them() {
        let ops = vec![
            record("listRoles", "list_roles", &["Roles"]),
            record("ping", "ping", &[]),
        ];
        let file = engine_like_file();
        let index = Index::read(&file, &ops).unwrap();
        assert_eq!(index.builder_of("listRoles"), Some("Whatever"));
        assert_eq!(index.trait_of("Roles"), Some("ClientRolesExt"));
        let mut emitted = Emitted::default();
        split(file, &index, &ops, &mut emitted).unwrap();
        let sections: Vec<(Option<&str>, &[String], usize, usize)> = emitted
            .sections
            .iter()
            .map(|s| {
                (
                    s.tag.as_deref(),
                    s.operations.as_slice(),
                    s.items.len(),
                    s.builders.len(),
                )
            })
            .collect();
        assert_eq!(
            sections,
            [
                (None, &["ping".to_string()][..], 1, 1),
                (Some("Roles"), &["listRoles".to_string()][..], 2, 2),
            ]
        );
        assert_eq!(
            emitted.client.len(),
            2,
            "the Client struct and its own impl"
        );
        assert_eq!(emitted.builder_preamble.len(), 1);
    }

    #[test]
    fn an_item_of_no_operation_is_an_error() {
        let ops = vec![record("listRoles", "list_roles", &["Roles"])];
        let err = Index::read(&engine_like_file(), &ops).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected engine output: method `ping` of `impl Client` is no operation of the spec (the engine's naming rule and `lower::naming` disagree); this is a codegen bug"
        );
        let ops = vec![
            record("listRoles", "list_roles", &["Roles"]),
            record("ping", "ping", &[]),
        ];
        let mut file = engine_like_file();
        file.items.push(syn::parse_quote! {
            pub mod builder { pub struct Stray; }
        });
        let index = Index::read(&file, &ops).unwrap();
        let err = split(file, &index, &ops, &mut Emitted::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("builder::Stray belongs to no operation"),
            "{err}"
        );
    }
}
