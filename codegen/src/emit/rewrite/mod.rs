//! Structural rewrites of the engine's output, where no engine setting or
//! hook gives the client what it needs. Each rewrite says which engine
//! behaviour it changes and why, and matches syntax by its structure
//! (items, paths, idents), never by token text; a shape it does not find is
//! left alone or, where the client would be wrong without it, an error.
//!
//! | rewrite | what it changes |
//! | --- | --- |
//! | [`chosen_names`] | placeholders of colliding variants and fields replaced by the names lowering chose |
//! | [`type_builders`] | typify's struct builders dropped; operation builders hold the body type |
//! | [`open_enums`] | closed string enums become open ones (`Unknown(String)`) |
//! | [`records`] | structs keep what they do not know, are built by `new`/`Default` and `with_*`; every type `#[non_exhaustive]` |
//! | [`sealed_traits`] | the extension traits get a private supertrait |
//! | [`deprecations`] | `deprecated: true` becomes `#[deprecated]` on methods, builder methods and fields |
//! | [`doc_urls`] | bare URLs in the docs become autolinks, so rustdoc renders them and does not warn |
//! | [`client_new`] | `Client::new` uses the runtime's HTTP client instead of `build().unwrap()` |
//! | [`page_streams`] | `stream()` and `collect_all()` on builders of paginated operations |
//! | [`send_errors`] | every `send` (so every `stream`/`collect_all`) fails with the runtime's `Error`; 2xx bodies decode through the runtime |

pub(super) mod chosen_names;
pub(super) mod client_new;
pub(super) mod deprecations;
pub(super) mod doc_urls;
pub(super) mod open_enums;
pub(super) mod page_streams;
pub(super) mod records;
pub(super) mod sealed_traits;
pub(super) mod send_errors;
pub(super) mod type_builders;

/// `&super::metadata::OPERATIONS[row]`: an operation's entry in the
/// metadata table, from a module beside it (the builder modules). `row` is
/// the operation's index in `Lowered::operations`, the sorted list the
/// table is written from.
pub(super) fn operation_meta(row: usize) -> proc_macro2::TokenStream {
    let row = proc_macro2::Literal::usize_unsuffixed(row);
    quote::quote! { &super::metadata::OPERATIONS[#row] }
}

/// The items of the inline module `name` at the top of `file`.
pub(super) fn module_items<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The last identifier of a path type (`types::Foo<'a>` -> `Foo`).
pub(super) fn type_last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of the last path segment (`A<X, Y>` -> `[X, Y]`).
pub(super) fn generic_args(ty: &syn::Type) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// The identifiers of a path, in order (`::std::default::Default` ->
/// `["std", "default", "Default"]`).
pub(super) fn path_idents(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// Whether `expr` is a path ending in `suffix` (`From::from` ends in
/// `["From", "from"]`).
pub(super) fn is_path_ending(expr: &syn::Expr, suffix: &[&str]) -> bool {
    match expr {
        syn::Expr::Path(p) => {
            let idents = path_idents(&p.path);
            idents.len() >= suffix.len() && idents[idents.len() - suffix.len()..] == *suffix
        }
        _ => false,
    }
}

/// The last identifier of every path in the `#[derive(...)]` attributes
/// (`#[derive(::serde::Deserialize, Default)]` -> `["Deserialize",
/// "Default"]`).
pub(super) fn derived_traits(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flat_map(|paths| {
            paths
                .into_iter()
                .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_and_paths_are_read_structurally() {
        let item: syn::ItemStruct = syn::parse_quote! {
            #[derive(::serde::Deserialize, Clone, Debug)]
            #[serde(rename_all = "snake_case")]
            #[derive(Default)]
            pub struct A;
        };
        assert_eq!(
            derived_traits(&item.attrs),
            ["Deserialize", "Clone", "Debug", "Default"]
        );
        let call: syn::Expr = syn::parse_quote!(::std::default::Default::default);
        assert!(is_path_ending(&call, &["Default", "default"]));
        assert!(!is_path_ending(&call, &["From", "from"]));
        let short: syn::Expr = syn::parse_quote!(from);
        assert!(!is_path_ending(&short, &["From", "from"]));
    }
}
