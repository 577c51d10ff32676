//! Areas and their cargo features: which `#[cfg(...)]` each item gets.
//!
//! An *area* is what one cargo feature switches on: a tag's operations
//! (its extension trait, builders, page streams and metadata entries; see
//! [`crate::Settings::with_area_features`]), or the webhooks module. An
//! area without a feature is always compiled (the operations of a client
//! generated without area features, untagged operations, the `Client`).
//!
//! A type compiles when an area that uses it does: [`gate_types`] reads
//! which types each area names, follows every type to the types its
//! definition and impls name, and puts `#[cfg(any(feature = ...))]` of
//! the areas that reach it on the type's items. The graph is read from the
//! tokens of the final items, so whatever a rewrite added is counted; an
//! identifier that merely looks like a type name can only widen a gate,
//! never leave out a type that is used.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

/// When an item compiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Gate {
    Always,
    /// With any of these features (never empty).
    AnyOf(BTreeSet<String>),
}

impl Gate {
    /// The gate of one area: `None` is always compiled.
    pub(super) fn of(feature: Option<&str>) -> Self {
        match feature {
            None => Gate::Always,
            Some(f) => Gate::AnyOf(BTreeSet::from([f.to_owned()])),
        }
    }

    /// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]`.
    pub(super) fn attr(&self) -> Option<syn::Attribute> {
        let Gate::AnyOf(features) = self else {
            return None;
        };
        let features: Vec<&String> = features.iter().collect();
        Some(match features.as_slice() {
            [one] => syn::parse_quote! { #[cfg(feature = #one)] },
            many => syn::parse_quote! { #[cfg(any(#(feature = #many),*))] },
        })
    }

    /// The gate as tokens (nothing when always compiled).
    pub(super) fn tokens(&self) -> TokenStream {
        match self.attr() {
            Some(attr) => quote! { #attr },
            None => quote! {},
        }
    }

    /// Puts this gate first on `item` (no-op when always compiled).
    pub(super) fn apply(&self, item: &mut syn::Item) {
        if let (Some(attr), Some(attrs)) = (self.attr(), item_attrs(item)) {
            attrs.insert(0, attr);
        }
    }
}

/// One area: its feature and the tokens of its items (whatever types they
/// name are the area's roots).
pub(super) struct Area {
    pub feature: Option<String>,
    pub tokens: TokenStream,
}

/// Gates every item of the `types` module by the areas that reach its
/// type (inline modules item by item). A type no area reaches (a
/// component no operation uses) stays ungated; so does one that an
/// always-compiled area reaches.
pub(super) fn gate_types(items: &mut [syn::Item], areas: &[Area]) {
    if areas.iter().all(|a| a.feature.is_none()) {
        return;
    }
    let mut defined = BTreeSet::new();
    collect_defined(items, &mut defined);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    collect_edges(items, &defined, &mut edges);

    let mut reached_by: BTreeMap<&str, BTreeSet<Option<&String>>> = BTreeMap::new();
    for area in areas {
        let mut stack: Vec<String> = Vec::new();
        named(area.tokens.clone(), &defined, &mut |name| stack.push(name));
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(next) = edges.get(&name) {
                stack.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
            }
        }
        for name in seen {
            if let Some(name) = defined.get(&name) {
                reached_by
                    .entry(name.as_str())
                    .or_default()
                    .insert(area.feature.as_ref());
            }
        }
    }
    let gates: BTreeMap<String, Gate> = reached_by
        .into_iter()
        .filter_map(|(name, by)| {
            if by.contains(&None) {
                return None;
            }
            let features = by.into_iter().flatten().cloned().collect();
            Some((name.to_owned(), Gate::AnyOf(features)))
        })
        .collect();
    apply_gates(items, &gates);
}

fn apply_gates(items: &mut [syn::Item], gates: &BTreeMap<String, Gate>) {
    for item in items {
        if let syn::Item::Mod(m) = item
            && let Some((_, content)) = &mut m.content
        {
            apply_gates(content, gates);
            continue;
        }
        if let Some(gate) = owner(item).and_then(|name| gates.get(&name)) {
            gate.apply(item);
        }
    }
}

/// The type an item defines or implements: a struct, enum, union or type
/// alias; an impl's self type; the type a `record!`/`open_enum!`
/// invocation defines (its first identifier after the attributes and
/// keywords).
fn owner(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Union(u) => Some(u.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Impl(i) => super::rewrite::type_last_ident(&i.self_ty),
        syn::Item::Macro(m) if m.ident.is_none() => defined_by_macro(m.mac.tokens.clone()),
        _ => None,
    }
}

fn defined_by_macro(tokens: TokenStream) -> Option<String> {
    let mut iter = tokens.into_iter();
    while let Some(tree) = iter.next() {
        match tree {
            // An attribute: `#` and its bracketed group.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                iter.next();
            }
            TokenTree::Ident(i) if matches!(i.to_string().as_str(), "pub" | "struct" | "enum") => {}
            TokenTree::Ident(i) => return Some(i.to_string()),
            _ => return None,
        }
    }
    None
}

/// The names of the types the module defines (not impls).
fn collect_defined(items: &[syn::Item], defined: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, content)) = &m.content {
                    collect_defined(content, defined);
                }
            }
            syn::Item::Impl(_) => {}
            other => defined.extend(owner(other)),
        }
    }
}

/// Type -> the other defined types its items name.
fn collect_edges(
    items: &[syn::Item],
    defined: &BTreeSet<String>,
    edges: &mut BTreeMap<String, BTreeSet<String>>,
) {
    for item in items {
        if let syn::Item::Mod(m) = item
            && let Some((_, content)) = &m.content
        {
            collect_edges(content, defined, edges);
            continue;
        }
        let Some(name) = owner(item).filter(|n| defined.contains(n)) else {
            continue;
        };
        let out = edges.entry(name.clone()).or_default();
        named(quote! { #item }, defined, &mut |other| {
            if other != name {
                out.insert(other);
            }
        });
    }
}

/// Calls `found` with every identifier of `tokens` that is in `names`.
fn named(tokens: TokenStream, names: &BTreeSet<String>, found: &mut impl FnMut(String)) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let ident = ident.to_string();
                if names.contains(&ident) {
                    found(ident);
                }
            }
            TokenTree::Group(group) => named(group.stream(), names, found),
            _ => {}
        }
    }
}

/// Whether `tokens` contain the identifier `name`.
pub(super) fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => mentions(group.stream(), name),
        _ => false,
    })
}

/// The attributes of an item; `None` for `Verbatim` tokens (which the
/// engine's output does not contain).
pub(super) fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item::*;
    Some(match item {
        Const(i) => &mut i.attrs,
        Enum(i) => &mut i.attrs,
        ExternCrate(i) => &mut i.attrs,
        Fn(i) => &mut i.attrs,
        ForeignMod(i) => &mut i.attrs,
        Impl(i) => &mut i.attrs,
        Macro(i) => &mut i.attrs,
        Mod(i) => &mut i.attrs,
        Static(i) => &mut i.attrs,
        Struct(i) => &mut i.attrs,
        Trait(i) => &mut i.attrs,
        TraitAlias(i) => &mut i.attrs,
        Type(i) => &mut i.attrs,
        Union(i) => &mut i.attrs,
        Use(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gates_of(items: &[syn::Item]) -> Vec<(String, Option<String>)> {
        items
            .iter()
            .map(|item| {
                let gate = match item {
                    syn::Item::Struct(s) => s.attrs.first(),
                    syn::Item::Impl(i) => i.attrs.first(),
                    syn::Item::Macro(m) => m.attrs.first(),
                    _ => None,
                };
                (
                    owner(item).unwrap_or_default(),
                    gate.map(|a| quote! { #a }.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn a_type_compiles_with_the_areas_that_reach_it() {
        let mut items: Vec<syn::Item> = vec![
            syn::parse_quote! { pub struct OnlyA { pub leaf: Leaf } },
            syn::parse_quote! { pub struct Leaf; },
            syn::parse_quote! { impl From<Leaf> for OnlyA { fn from(l: Leaf) -> Self { todo!() } } },
            syn::parse_quote! { record! { #[derive(Clone)] pub struct Shared { plain x: Leaf = "x" => with_x; } } },
            syn::parse_quote! { pub struct Unused; },
            syn::parse_quote! { pub struct ByCore; },
        ];
        let areas = [
            Area {
                feature: Some("a".into()),
                tokens: quote! { fn f(x: types::OnlyA, y: Shared) {} },
            },
            Area {
                feature: Some("b".into()),
                tokens: quote! { fn g(y: types::Shared) {} },
            },
            Area {
                feature: None,
                tokens: quote! { fn h(c: ByCore) {} },
            },
        ];
        gate_types(&mut items, &areas);
        let a = Some("# [cfg (feature = \"a\")]".to_string());
        let ab = Some("# [cfg (any (feature = \"a\" , feature = \"b\"))]".to_string());
        assert_eq!(
            gates_of(&items),
            [
                ("OnlyA".into(), a.clone()),
                ("Leaf".into(), ab.clone()),
                ("OnlyA".into(), a),
                ("Shared".into(), ab),
                ("Unused".into(), None),
                ("ByCore".into(), None),
            ]
        );
    }

    #[test]
    fn without_featured_areas_nothing_is_gated() {
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! { pub struct T; }];
        gate_types(
            &mut items,
            &[Area {
                feature: None,
                tokens: quote! { T },
            }],
        );
        assert_eq!(gates_of(&items), [("T".into(), None)]);
    }
}
