//! The public Rust items of a generated client, and how two sets differ.
//!
//! The generated files are parsed with `syn`, following the `include!`s of
//! the root file (`mod.rs`) and expanding the item macros the files define
//! themselves (`open_enum!`, see [`super::macro_rules`]), so that every item
//! gets the path a user writes (`types::AccountsResponse`,
//! `builder::Accounts::page_size`). Listed: types (with their generics and
//! `#[non_exhaustive]`), public struct fields with their types, enum
//! variants with their payloads, trait and inherent methods with their
//! signatures, trait impls (derived ones too), constants, statics, free
//! functions and `pub use`s, each with the cargo features it compiles
//! with (its own `#[cfg(feature = ...)]` or that of an item or `include!`
//! around it): see [`compare`] for when a gate change breaks. Docs,
//! `#[deprecated]` and private items are not part of what a change can
//! break and are skipped. An item macro that
//! is neither `include!` nor defined in the files is an error: its items
//! would otherwise be missing from the list without a word.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, UsePath, UseTree, Visibility};

use super::macro_rules::MacroRules;

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustItem {
    /// `types::Foo.bar`, `builder::Accounts::page_size`, `impl Display for types::Foo`.
    pub path: String,
    /// `struct`, `field`, `variant`, `method`, `impl`, ...
    pub kind: &'static str,
    /// What a change to would break: the field's type, the method's
    /// signature, the variant's payload; first the features it compiles
    /// with, when gated (`#[cfg(feature = "roles")] Option<String>`).
    pub signature: String,
    /// The features it compiles with.
    pub gate: Gate,
}

impl RustItem {
    /// The signature without the gate (which [`Lister::add`] put first).
    fn bare_signature(&self) -> &str {
        let prefix = self.gate.prefix();
        self.signature
            .strip_prefix(prefix.trim_end())
            .map_or(self.signature.as_str(), str::trim_start)
    }
}

/// When an item compiles: with at least one feature of every clause (a
/// conjunction of any-ofs, as nested `#[cfg]`s make it: the `mock`
/// module's item of the `accounts` area needs `mock` and `accounts`). No
/// clause: always.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate(Vec<BTreeSet<String>>);

impl Gate {
    /// This gate within `outer` (both must hold), with the clauses another
    /// clause implies dropped.
    fn within(&self, outer: &Gate) -> Gate {
        let mut clauses: Vec<BTreeSet<String>> = outer.0.iter().chain(&self.0).cloned().collect();
        clauses.sort();
        clauses.dedup();
        let kept: Vec<BTreeSet<String>> = clauses
            .iter()
            .filter(|c| {
                !clauses
                    .iter()
                    .any(|other| other != *c && other.is_subset(c))
            })
            .cloned()
            .collect();
        Gate(kept)
    }

    /// Whether code that compiled against an item gated by `base`, under
    /// any features, still finds it under `self`: every clause of `self`
    /// holds wherever `base` does (exact for gates of features alone).
    fn covers(&self, base: &Gate) -> bool {
        self.0
            .iter()
            .all(|clause| base.0.iter().any(|b| b.is_subset(clause)))
    }

    /// `#[cfg(feature = "a")] `, `#[cfg(any(feature = "a", feature = "b"))] `,
    /// `#[cfg(all(feature = "m", ...))] `, or nothing.
    fn prefix(&self) -> String {
        let any = |clause: &BTreeSet<String>| {
            let list: Vec<String> = clause.iter().map(|f| format!("feature = {f:?}")).collect();
            match list.as_slice() {
                [one] => one.clone(),
                many => format!("any({})", many.join(", ")),
            }
        };
        match self.0.as_slice() {
            [] => String::new(),
            [one] => format!("#[cfg({})] ", any(one)),
            many => format!(
                "#[cfg(all({}))] ",
                many.iter().map(any).collect::<Vec<_>>().join(", ")
            ),
        }
    }
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

/// `items` with the members of a type that is itself in the list (its
/// fields, variants, methods and impls) folded into it: each type or
/// lone item with the number of members it stands for, in list order.
pub fn fold_members(items: &[RustItem]) -> Vec<(&RustItem, usize)> {
    let types: Vec<&str> = items
        .iter()
        .filter(|i| matches!(i.kind, "struct" | "enum" | "trait" | "type"))
        .map(|i| i.path.as_str())
        .collect();
    let owner = |item: &RustItem| -> Option<&str> {
        let path = item.path.as_str();
        types.iter().copied().find(|t| {
            *t != path
                && (path
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with("::"))
                    || path
                        .strip_suffix(t)
                        .is_some_and(|head| head.starts_with("impl ") && head.ends_with(" for ")))
        })
    };
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        if let Some(t) = owner(item) {
            *members.entry(t).or_default() += 1;
        }
    }
    items
        .iter()
        .filter(|i| owner(i).is_none())
        .map(|i| (i, members.get(i.path.as_str()).copied().unwrap_or(0)))
        .collect()
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
        macros: BTreeMap::new(),
        depth: 0,
        gate: Gate::default(),
    };
    lister.file(root, &[])?;
    Ok(lister.items)
}

/// What changed from `base` to `head`. An item whose gate narrows (it
/// compiles with fewer features: an operation that moved to another area,
/// a type that one area no longer uses) is changed, which breaks the
/// builds with only those features; one whose gate widens is not.
pub fn compare(
    base: &BTreeMap<String, RustItem>,
    head: &BTreeMap<String, RustItem>,
) -> RustChanges {
    let mut changes = RustChanges::default();
    for (path, b) in base {
        match head.get(path) {
            None => changes.removed.push(b.clone()),
            Some(h)
                if h.kind != b.kind
                    || h.bare_signature() != b.bare_signature()
                    || !h.gate.covers(&b.gate) =>
            {
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
    /// `macro_rules!` definitions met so far, by name.
    macros: BTreeMap<String, MacroRules>,
    /// `include!` and macro expansion nesting.
    depth: usize,
    /// The features the item being listed compiles with (from its own
    /// `#[cfg]` and those of the items around it).
    gate: Gate,
}

impl Lister<'_> {
    fn file(&mut self, name: &str, module: &[String]) -> Result<(), String> {
        let Some(text) = self.files.get(name) else {
            return Err(format!("generated file {name} is missing"));
        };
        let parsed = syn::parse_file(text).map_err(|e| format!("{name}: {e}"))?;
        self.nested(name, &parsed.items, module)
    }

    fn nested(&mut self, what: &str, items: &[Item], module: &[String]) -> Result<(), String> {
        self.depth += 1;
        if self.depth > 8 {
            return Err(format!("{what}: include! or macro nesting too deep"));
        }
        // Definitions first (a definition precedes its uses in the file),
        // then the types that are macro calls, then the items.
        let result = self
            .define_macros(items)
            .and_then(|()| self.expand_type_macros(items))
            .and_then(|items| self.items(&items, module));
        self.depth -= 1;
        result
    }

    fn define_macros(&mut self, items: &[Item]) -> Result<(), String> {
        for item in items {
            if let Item::Macro(m) = item
                && m.mac.path.is_ident("macro_rules")
            {
                let Some(name) = &m.ident else {
                    return Err("a macro_rules! without a name".into());
                };
                let name = name.to_string();
                let rules = MacroRules::parse(&name, m.mac.tokens.clone())?;
                self.macros.insert(name, rules);
            }
        }
        Ok(())
    }

    /// `items` with every type that is a call of a macro the files define
    /// replaced by its expansion.
    fn expand_type_macros(&self, items: &[Item]) -> Result<Vec<Item>, String> {
        struct Expand<'m> {
            macros: &'m BTreeMap<String, MacroRules>,
            error: Option<String>,
        }
        impl syn::visit_mut::VisitMut for Expand<'_> {
            fn visit_type_mut(&mut self, ty: &mut syn::Type) {
                for _ in 0..8 {
                    let syn::Type::Macro(m) = ty else {
                        break;
                    };
                    let name = tokens(&m.mac.path);
                    let Some(rules) = self.macros.get(&name) else {
                        break;
                    };
                    match rules
                        .expand(m.mac.tokens.clone())
                        .and_then(|t| syn::parse2::<syn::Type>(t).map_err(|e| e.to_string()))
                    {
                        Ok(expanded) => *ty = expanded,
                        Err(e) => {
                            self.error.get_or_insert(format!("{name}! as a type: {e}"));
                            break;
                        }
                    }
                }
                syn::visit_mut::visit_type_mut(self, ty);
            }
        }
        let mut expand = Expand {
            macros: &self.macros,
            error: None,
        };
        let mut items = items.to_vec();
        for item in &mut items {
            syn::visit_mut::VisitMut::visit_item_mut(&mut expand, item);
        }
        match expand.error {
            Some(e) => Err(e),
            None => Ok(items),
        }
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
        let prefix = self.gate.prefix();
        let signature = match signature.is_empty() {
            true => prefix.trim_end().to_owned(),
            false => format!("{prefix}{signature}"),
        };
        self.items.insert(
            key.clone(),
            RustItem {
                path: key,
                kind,
                signature,
                gate: self.gate.clone(),
            },
        );
    }

    /// Lists `item` under its own `#[cfg]` (within the enclosing one).
    fn item(&mut self, item: &Item, module: &[String]) -> Result<(), String> {
        let Some(own) = item_gate(item) else {
            return self.ungated_item(item, module);
        };
        let outer = self.gate.clone();
        self.gate = Gate(vec![own]).within(&outer);
        let result = self.ungated_item(item, module);
        self.gate = outer;
        result
    }

    fn ungated_item(&mut self, item: &Item, module: &[String]) -> Result<(), String> {
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
            // Defined before the items are listed (`define_macros`).
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {}
            Item::Macro(m) => {
                let name = tokens(&m.mac.path);
                let Some(rules) = self.macros.get(&name) else {
                    return Err(format!(
                        "item macro `{name}!` is neither include! nor defined in the generated files"
                    ));
                };
                let expanded = rules.expand(m.mac.tokens.clone())?;
                let file: syn::File =
                    syn::parse2(expanded).map_err(|e| format!("the expansion of {name}!: {e}"))?;
                self.nested(&format!("{name}!"), &file.items, module)?;
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
                    format!("{}struct{generics}", non_exhaustive(&s.attrs))
                } else {
                    format!("{}struct{generics}({tuple})", non_exhaustive(&s.attrs))
                };
                self.add(path.clone(), "struct", signature);
                self.derives(&s.attrs, &path);
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
                self.add(
                    path.clone(),
                    "enum",
                    format!("{}enum{}", non_exhaustive(&e.attrs), tokens(&e.generics)),
                );
                self.derives(&e.attrs, &path);
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
                        // By the trait's last segment, as derives are.
                        let name = trait_path
                            .segments
                            .last()
                            .map(tokens)
                            .unwrap_or_else(|| tokens(trait_path));
                        let path = format!("impl {name} for {owner}");
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
            // One item per name re-exported: a name added to a group
            // (`use a::{B, C}`) removes nothing.
            Item::Use(u) if is_pub(&u.vis) => {
                for leaf in use_leaves(&u.tree) {
                    let tree = tokens(&leaf);
                    self.add(qualify(&format!("use {tree}")), "use", String::new());
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl Lister<'_> {
    /// `#[derive(Clone, Default)]` on `path`: `impl Clone for path`, ...,
    /// as if written out (removing a derive breaks what a written impl
    /// would).
    fn derives(&mut self, attrs: &[Attribute], path: &str) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(traits) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            for t in traits {
                let name = tokens(&t);
                let name = name.rsplit("::").next().unwrap_or(&name).to_string();
                self.add(format!("impl {name} for {path}"), "impl", String::new());
            }
        }
    }
}

/// The features of an item's `#[cfg(feature = "a")]` or
/// `#[cfg(any(feature = "a", ...))]`; `None` without one. Other `cfg`
/// predicates are not written by the generator and are not read.
fn item_gate(item: &Item) -> Option<BTreeSet<String>> {
    let attrs: &[Attribute] = match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => return None,
    };
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .find_map(|a| features_of(&a.parse_args::<syn::Meta>().ok()?))
}

fn features_of(meta: &syn::Meta) -> Option<BTreeSet<String>> {
    let feature = |meta: &syn::Meta| match meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    };
    match meta {
        syn::Meta::List(list) if list.path.is_ident("any") => {
            let inner = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            inner.iter().map(feature).collect()
        }
        other => feature(other).map(|f| BTreeSet::from([f])),
    }
}

/// `#[non_exhaustive] ` when the item has it: part of the signature, since
/// adding it breaks struct literals and exhaustive matches.
fn non_exhaustive(attrs: &[Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        "#[non_exhaustive] "
    } else {
        ""
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

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `a::{b::C, D}` -> `a::b::C`, `a::D`.
fn use_leaves(tree: &UseTree) -> Vec<UseTree> {
    match tree {
        UseTree::Path(path) => use_leaves(&path.tree)
            .into_iter()
            .map(|leaf| {
                UseTree::Path(UsePath {
                    tree: Box::new(leaf),
                    ..path.clone()
                })
            })
            .collect(),
        UseTree::Group(group) => group.items.iter().flat_map(use_leaves).collect(),
        leaf => vec![leaf.clone()],
    }
}

/// Compact source text of a syntax node, with the `::std::...` and
/// `super::`/`self::` prefixes the generator writes out taken off.
pub fn tokens<T: ToTokens>(node: &T) -> String {
    let mut raw = node.to_token_stream().to_string();
    // On the spaced token text (`:: std :: option :: Option`), so that what
    // precedes a prefix keeps its space (`impl Into`). Both `::std::x::`
    // and `std::x::` occur; the long ones go first.
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
        let spaced = prefix.split("::").collect::<Vec<_>>().join(" :: ");
        raw = raw.replace(spaced.trim_start(), "");
    }
    let s = raw
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
        .replace(" ;", ";")
        .replace(",>", ">")
        .replace(",)", ")");
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

    #[test]
    fn types_that_are_macro_calls_are_expanded() {
        let files = BTreeMap::from([(
            "types.rs".to_string(),
            "macro_rules! field_type {\n\
                 (optional $ty:ty) => { ::std::option::Option<$ty> };\n\
                 (required $ty:ty) => { $ty };\n\
             }\n\
             macro_rules! record {\n\
                 (pub struct $name:ident { $($kind:ident $field:ident: $ty:ty => $setter:ident;)* }) => {\n\
                     pub struct $name { $(pub $field: field_type!($kind $ty),)* }\n\
                     impl $name { $(pub fn $setter(mut self, value: impl Into<$ty>) -> Self { self })* }\n\
                 };\n\
             }\n\
             record! { pub struct R { optional page: Vec<String> => with_page; required id: i64 => with_id; } }"
                .to_string(),
        )]);
        let items = public_items(&files, "types.rs").unwrap();
        assert_eq!(items["R.page"].signature, "Option<Vec<String>>");
        assert_eq!(items["R.id"].signature, "i64");
        assert_eq!(
            items["R::with_page"].signature,
            "fn with_page(mut self, value: impl Into<Vec<String>>) -> Self"
        );
    }

    #[test]
    fn a_narrower_gate_is_a_change_and_a_wider_one_is_not() {
        let client = |types: &str, mock: &str| {
            BTreeMap::from([
                (
                    "mod.rs".to_string(),
                    "pub mod types { include!(\"types.rs\"); }\n\
                     #[cfg(feature = \"roles\")] include!(\"roles.rs\");\n\
                     #[cfg(feature = \"mock\")] pub mod mock { include!(\"mock.rs\"); }"
                        .to_string(),
                ),
                ("types.rs".to_string(), types.to_string()),
                ("mock.rs".to_string(), mock.to_string()),
                (
                    "roles.rs".to_string(),
                    "pub trait ClientRolesExt { fn roles(&self) -> u8; }".to_string(),
                ),
            ])
        };
        let base = public_items(
            &client(
                "#[cfg(any(feature = \"a\", feature = \"b\"))] pub struct Shared { pub x: u8 }\n\
                 #[cfg(feature = \"a\")] pub struct Grows;\n\
                 pub struct Free;",
                "pub struct Server;\n\
                 #[cfg(feature = \"roles\")] pub struct Moves;\n\
                 #[cfg(feature = \"roles\")] pub struct Stays;",
            ),
            "mod.rs",
        )
        .unwrap();
        assert_eq!(
            base["types::Shared.x"].signature,
            "#[cfg(any(feature = \"a\", feature = \"b\"))] u8"
        );
        assert_eq!(
            base["ClientRolesExt::roles"].signature,
            "#[cfg(feature = \"roles\")] fn roles(&self) -> u8"
        );
        assert_eq!(
            base["mock::Moves"].signature,
            "#[cfg(all(feature = \"mock\", feature = \"roles\"))] struct"
        );
        let head = public_items(
            &client(
                "#[cfg(feature = \"a\")] pub struct Shared { pub x: u8 }\n\
                 #[cfg(any(feature = \"a\", feature = \"c\"))] pub struct Grows;\n\
                 #[cfg(feature = \"a\")] pub struct Free;",
                "pub struct Server;\n\
                 #[cfg(feature = \"accounts\")] pub struct Moves;\n\
                 #[cfg(any(feature = \"roles\", feature = \"mock\"))] pub struct Stays;",
            ),
            "mod.rs",
        )
        .unwrap();
        assert_eq!(
            head["mock::Stays"].signature,
            "#[cfg(feature = \"mock\")] struct"
        );
        let changes = compare(&base, &head);
        let changed: Vec<&str> = changes
            .changed
            .iter()
            .map(|(b, _)| b.path.as_str())
            .collect();
        assert_eq!(
            changed,
            [
                "mock::Moves",
                "types::Free",
                "types::Shared",
                "types::Shared.x"
            ]
        );
        assert!(changes.added.is_empty() && changes.removed.is_empty());
    }

    #[test]
    fn members_fold_into_their_type() {
        let item = |path: &str, kind: &'static str| RustItem {
            path: path.into(),
            kind,
            signature: String::new(),
            gate: Gate::default(),
        };
        let items = [
            item("impl Clone for types::A", "impl"),
            item("types::A", "struct"),
            item("types::A.x", "field"),
            item("types::AB.y", "field"),
            item("types::E::V", "variant"),
        ];
        let folded: Vec<(&str, usize)> = fold_members(&items)
            .into_iter()
            .map(|(i, n)| (i.path.as_str(), n))
            .collect();
        assert_eq!(
            folded,
            [("types::A", 2), ("types::AB.y", 0), ("types::E::V", 0)]
        );
    }

    #[test]
    fn items_of_the_files_own_macros_and_derives() {
        let files = BTreeMap::from([(
            "types.rs".to_string(),
            "macro_rules! open_enum {\n\
                 ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {\n\
                     $(#[$meta])* #[non_exhaustive] pub enum $name { $($(#[$vmeta])* $variant,)* Unknown(::std::string::String), }\n\
                     impl $name { pub fn as_str(&self) -> &str { match self { $(Self::$variant => $value,)* Self::Unknown(v) => v } } }\n\
                 };\n\
             }\n\
             open_enum! { #[doc = \"Status.\"] Status { Active = \"active\", Closed = \"closed\", } }\n\
             #[derive(Clone, ::serde::Serialize, Default)] pub struct A { pub s: Option<Status> }"
                .to_string(),
        )]);
        let items = public_items(&files, "types.rs").unwrap();
        let keys: Vec<_> = items.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "A",
                "A.s",
                "Status",
                "Status::Active",
                "Status::Closed",
                "Status::Unknown",
                "Status::as_str",
                "impl Clone for A",
                "impl Default for A",
                "impl Serialize for A",
            ]
        );
        assert_eq!(items["Status"].signature, "#[non_exhaustive] enum");
        assert_eq!(items["Status::Unknown"].signature, "(String)");

        let unknown = BTreeMap::from([("a.rs".to_string(), "made_up! { X }".to_string())]);
        assert_eq!(
            public_items(&unknown, "a.rs").unwrap_err(),
            "item macro `made_up!` is neither include! nor defined in the generated files"
        );
    }
}
