//! The public Rust items of a generated client, and how two sets differ.
//!
//! The generated files are parsed with `syn`, following the `include!`s of
//! the root file (`mod.rs`) so that every item gets the path a user writes
//! (`types::AccountsResponse`, `builder::Accounts::page_size`). Listed:
//! types (with their generics), public struct fields with their types, enum
//! variants with their payloads, trait and inherent methods with their
//! signatures, trait impls, constants, statics, free functions and `pub
//! use`s. Docs and private items are not part of the API and are skipped.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, TraitItem, Visibility};

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustItem {
    /// `types::Foo.bar`, `builder::Accounts::page_size`, `impl Display for types::Foo`.
    pub path: String,
    /// `struct`, `field`, `variant`, `method`, `impl`, ...
    pub kind: &'static str,
    /// What a change to would break: the field's type, the method's
    /// signature, the variant's payload.
    pub signature: String,
}

/// Items added, removed and changed (same path, other signature).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustChanges {
    pub added: Vec<RustItem>,
    pub removed: Vec<RustItem>,
    /// `(before, after)`.
    pub changed: Vec<(RustItem, RustItem)>,
}

impl RustChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The public items of generated `files`, reading from `root` (the file
/// that includes the others). Path -> item.
pub fn public_items(
    files: &BTreeMap<String, String>,
    root: &str,
) -> Result<BTreeMap<String, RustItem>, String> {
    let mut lister = Lister {
        files,
        items: BTreeMap::new(),
        depth: 0,
    };
    lister.file(root, &[])?;
    Ok(lister.items)
}

/// What changed from `base` to `head`.
pub fn compare(
    base: &BTreeMap<String, RustItem>,
    head: &BTreeMap<String, RustItem>,
) -> RustChanges {
    let mut changes = RustChanges::default();
    for (path, b) in base {
        match head.get(path) {
            None => changes.removed.push(b.clone()),
            Some(h) if h.signature != b.signature || h.kind != b.kind => {
                changes.changed.push((b.clone(), h.clone()))
            }
            Some(_) => {}
        }
    }
    for (path, h) in head {
        if !base.contains_key(path) {
            changes.added.push(h.clone());
        }
    }
    changes
}

struct Lister<'a> {
    files: &'a BTreeMap<String, String>,
    items: BTreeMap<String, RustItem>,
    depth: usize,
}

impl Lister<'_> {
    fn file(&mut self, name: &str, module: &[String]) -> Result<(), String> {
        let Some(text) = self.files.get(name) else {
            return Err(format!("generated file {name} is missing"));
        };
        let parsed = syn::parse_file(text).map_err(|e| format!("{name}: {e}"))?;
        self.depth += 1;
        if self.depth > 8 {
            return Err(format!("{name}: include! nesting too deep"));
        }
        let result = self.items(&parsed.items, module);
        self.depth -= 1;
        result
    }

    fn items(&mut self, items: &[Item], module: &[String]) -> Result<(), String> {
        for item in items {
            self.item(item, module)?;
        }
        Ok(())
    }

    fn add(&mut self, path: String, kind: &'static str, signature: String) {
        let mut key = path.clone();
        let mut n = 2;
        while self.items.contains_key(&key) {
            key = format!("{path} #{n}");
            n += 1;
        }
        self.items.insert(
            key.clone(),
            RustItem {
                path: key,
                kind,
                signature,
            },
        );
    }

    fn item(&mut self, item: &Item, module: &[String]) -> Result<(), String> {
        let qualify = |name: &str| {
            let mut parts = module.to_vec();
            parts.push(name.to_string());
            parts.join("::")
        };
        match item {
            Item::Macro(m) if m.mac.path.is_ident("include") => {
                let file: syn::LitStr = m.mac.parse_body().map_err(|e| e.to_string())?;
                self.file(&file.value(), module)?;
            }
            // A struct of `types`, defined by the `record!` macro of the
            // generated client (codegen `emit::rewrite::records`).
            Item::Macro(m) if m.mac.path.is_ident("record") => {
                let record: RecordItem = m.mac.parse_body().map_err(|e| e.to_string())?;
                let path = qualify(&record.ident.to_string());
                self.add(path.clone(), "struct", "struct".into());
                for (field, ty, setter) in record.fields {
                    self.add(format!("{path}.{field}"), "field", tokens(&ty));
                    self.add(
                        format!("{path}::{setter}"),
                        "method",
                        format!("fn {setter}(self, value: impl Into<{}>) -> Self", tokens(&ty)),
                    );
                }
            }
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, content)) = &m.content {
                    let mut inner = module.to_vec();
                    inner.push(m.ident.to_string());
                    self.items(content, &inner)?;
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let path = qualify(&s.ident.to_string());
                let tuple = match &s.fields {
                    Fields::Unnamed(fields) => fields
                        .unnamed
                        .iter()
                        .map(|f| {
                            if is_pub(&f.vis) {
                                format!("pub {}", tokens(&f.ty))
                            } else {
                                "_".to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                };
                let generics = tokens(&s.generics);
                let signature = if tuple.is_empty() {
                    format!("struct{generics}")
                } else {
                    format!("struct{generics}({tuple})")
                };
                self.add(path.clone(), "struct", signature);
                if let Fields::Named(fields) = &s.fields {
                    for f in &fields.named {
                        if is_pub(&f.vis)
                            && let Some(ident) = &f.ident
                        {
                            self.add(format!("{path}.{ident}"), "field", tokens(&f.ty));
                        }
                    }
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let path = qualify(&e.ident.to_string());
                self.add(path.clone(), "enum", format!("enum{}", tokens(&e.generics)));
                for v in &e.variants {
                    let payload = match &v.fields {
                        Fields::Unit => String::new(),
                        fields => tokens(fields),
                    };
                    self.add(format!("{path}::{}", v.ident), "variant", payload);
                }
            }
            Item::Type(t) if is_pub(&t.vis) => {
                self.add(
                    qualify(&t.ident.to_string()),
                    "type",
                    format!("type{} = {}", tokens(&t.generics), tokens(&t.ty)),
                );
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let path = qualify(&t.ident.to_string());
                self.add(
                    path.clone(),
                    "trait",
                    format!("trait{}", tokens(&t.generics)),
                );
                for ti in &t.items {
                    if let TraitItem::Fn(f) = ti {
                        self.add(format!("{path}::{}", f.sig.ident), "method", tokens(&f.sig));
                    }
                }
            }
            Item::Impl(i) => {
                let owner = qualify(&type_path_name(&i.self_ty));
                match &i.trait_ {
                    Some((_, trait_path, _)) => {
                        let path = format!("impl {} for {owner}", tokens(trait_path));
                        self.add(path, "impl", tokens(&i.generics));
                    }
                    None => {
                        for ii in &i.items {
                            match ii {
                                ImplItem::Fn(f) if is_pub(&f.vis) => self.add(
                                    format!("{owner}::{}", f.sig.ident),
                                    "method",
                                    tokens(&f.sig),
                                ),
                                ImplItem::Const(c) if is_pub(&c.vis) => self.add(
                                    format!("{owner}::{}", c.ident),
                                    "const",
                                    tokens(&c.ty),
                                ),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                self.add(qualify(&f.sig.ident.to_string()), "fn", tokens(&f.sig));
            }
            Item::Const(c) if is_pub(&c.vis) => {
                self.add(qualify(&c.ident.to_string()), "const", tokens(&c.ty));
            }
            Item::Static(s) if is_pub(&s.vis) => {
                self.add(qualify(&s.ident.to_string()), "static", tokens(&s.ty));
            }
            Item::Use(u) if is_pub(&u.vis) => {
                let tree = tokens(&u.tree);
                self.add(qualify(&format!("use {tree}")), "use", String::new());
            }
            _ => {}
        }
        Ok(())
    }
}

/// `List<'a>` -> `List`: methods are listed under the type's name.
fn type_path_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::"),
        other => tokens(other),
    }
}

/// `record! { docs #[derive(..)] pub struct Name { docs kind codec field:
/// Type = "wire" => setter; .. } }`: the name and, per field, its public
/// type (`Option<Type>` for `optional`) and setter.
struct RecordItem {
    ident: syn::Ident,
    fields: Vec<(syn::Ident, syn::Type, syn::Ident)>,
}

impl syn::parse::Parse for RecordItem {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        input.call(syn::Attribute::parse_outer)?;
        input.parse::<syn::Token![pub]>()?;
        input.parse::<syn::Token![struct]>()?;
        let ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let mut fields = Vec::new();
        while !body.is_empty() {
            body.call(syn::Attribute::parse_outer)?;
            let kind: syn::Ident = body.parse()?;
            let _codec: syn::Ident = body.parse()?;
            let field: syn::Ident = body.parse()?;
            body.parse::<syn::Token![:]>()?;
            let declared: syn::Type = body.parse()?;
            body.parse::<syn::Token![=]>()?;
            body.parse::<syn::LitStr>()?;
            body.parse::<syn::Token![=>]>()?;
            body.call(syn::Attribute::parse_outer)?;
            let setter: syn::Ident = body.parse()?;
            body.parse::<syn::Token![;]>()?;
            let ty = if kind == "optional" {
                syn::parse_quote!(::std::option::Option<#declared>)
            } else {
                declared
            };
            fields.push((field, ty, setter));
        }
        Ok(Self { ident, fields })
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Compact source text of a syntax node, with the `::std::...` and
/// `super::`/`self::` prefixes the generator writes out taken off.
pub fn tokens<T: ToTokens>(node: &T) -> String {
    let raw = node.to_token_stream().to_string();
    let mut s = raw
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& '", "&'")
        .replace("& ", "&")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" : ", ": ")
        .replace(" ;", ";");
    // Both `::std::x::` and `std::x::` occur; the long ones go first.
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::result::",
        "::std::convert::",
        "::std::fmt::",
        "::std::str::",
        "::std::boxed::",
        "::std::",
        "::core::",
        "std::option::",
        "std::string::",
        "std::vec::",
        "std::convert::",
        "std::result::",
        "super::",
        "self::",
    ] {
        s = s.replace(prefix, "");
    }
    // A where clause's trailing comma.
    match s.strip_suffix(',') {
        Some(trimmed) => trimmed.to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_follow_includes_and_modules() {
        let files = BTreeMap::from([
            (
                "mod.rs".to_string(),
                "pub mod types { include!(\"types.rs\"); }\ninclude!(\"ops.rs\");".to_string(),
            ),
            (
                "types.rs".to_string(),
                "pub struct A { pub x: ::std::option::Option<::std::string::String>, y: i64 }\n\
                 pub enum E { One, Two(i64) }\n\
                 impl ::std::fmt::Display for E { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }"
                    .to_string(),
            ),
            (
                "ops.rs".to_string(),
                "pub trait Ext { fn list(&self) -> builder::List<'_>; }\n\
                 pub mod builder { pub struct List<'a> { c: &'a () } impl<'a> List<'a> { pub fn page<V>(mut self, value: V) -> Self where V: TryInto<i64> { self } } }"
                    .to_string(),
            ),
        ]);
        let items = public_items(&files, "mod.rs").unwrap();
        let keys: Vec<_> = items.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "Ext",
                "Ext::list",
                "builder::List",
                "builder::List::page",
                "impl Display for types::E",
                "types::A",
                "types::A.x",
                "types::E",
                "types::E::One",
                "types::E::Two",
            ]
        );
        assert_eq!(items["types::A.x"].signature, "Option<String>");
        assert_eq!(items["types::E::Two"].signature, "(i64)");
        assert_eq!(
            items["builder::List::page"].signature,
            "fn page<V>(mut self, value: V) -> Self where V: TryInto<i64>"
        );
    }
}
