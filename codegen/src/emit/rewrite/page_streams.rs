//! `stream()` and `collect_all(limit)` on the builders of paginated
//! operations.
//!
//! progenitor pages only Dropshot-style APIs (`page_token` + `limit`, an
//! `items` array); Zoom pages with `next_page_token` and names the array
//! after what it holds. So the streams are added here, on the runtime's
//! `paginate`, for every operation that takes a `next_page_token` query
//! parameter and whose success type has a `next_page_token` string field
//! (optional or required: the last page's token is absent or empty, which
//! the runtime treats alike) and one array field (the page's items). An
//! operation whose response does not fit keeps only `send()`, and a note
//! says so.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{generic_args, module_items, operation_meta, type_last_ident};
use crate::emit::layout::Index;
use crate::emit::lit;
use crate::lower::Lowered;

/// The query parameter that carries the page token.
const PAGE_TOKEN: &str = "next_page_token";

/// Adds `stream()` and `collect_all(limit)` to the builder of every
/// paginated operation that fits (see the module docs). Needs a runtime
/// crate (its `paginate`); returns the ids of the paginated operations that
/// keep only `send()`, for the notes.
pub(in crate::emit) fn add_page_streams(
    file: &mut syn::File,
    lowered: &Lowered,
    index: &Index,
    runtime: &TokenStream,
) -> Vec<String> {
    let mut skipped = Vec::new();
    // Struct name -> its named fields.
    let structs: BTreeMap<String, Vec<syn::Field>> = module_items(file, "types")
        .map(|types| {
            types
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => {
                        Some((s.ident.to_string(), s.fields.iter().cloned().collect()))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(builders) = module_items(file, "builder") else {
        return skipped;
    };
    let mut added = Vec::new();
    for (row, op) in lowered
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.paginated)
    {
        let Some(builder) = index.builder_of(&op.operation_id) else {
            skipped.push(op.operation_id.clone());
            continue;
        };
        let Some(success) = send_success_type(builders, builder) else {
            skipped.push(op.operation_id.clone());
            continue;
        };
        let Some(PageShape {
            items_field,
            item_type,
            optional_items,
            optional_token,
        }) = type_last_ident(&success).and_then(|name| page_shape(structs.get(&name)?))
        else {
            skipped.push(op.operation_id.clone());
            continue;
        };
        let token_doc = lowered
            .value
            .pointer(&op.pointer)
            .and_then(|o| o.get("parameters"))
            .and_then(Value::as_array)
            .and_then(|ps| {
                ps.iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(PAGE_TOKEN))
            })
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .map(|d| format!("\n\nAbout the page token: {d}"))
            .unwrap_or_default();
        let stream_doc = lit(&format!(
            "Every `{items_field}` item of every page, fetched lazily one page at a time \
             (each page is one `send()`, throttled and retried like any call).\n\n\
             The stream follows `{PAGE_TOKEN}` until a page has none, and ends after \
             yielding an error. Any `{PAGE_TOKEN}` set on this builder is where it starts.{token_doc}"
        ));
        let collect_doc = lit(&format!(
            "Up to `limit` `{items_field}` items across pages (see [`Self::stream`]); \
             stops fetching once `limit` items are in hand, and returns the first error."
        ));
        // Inside `types` a field names its sibling types unqualified.
        let item_type = match &item_type {
            syn::Type::Path(p)
                if p.qself.is_none()
                    && p.path.leading_colon.is_none()
                    && p.path.segments.len() == 1 =>
            {
                quote! { types::#p }
            }
            other => quote! { #other },
        };
        let operation = operation_meta(row);
        let builder_ident = format_ident!("{}", builder);
        let field = format_ident!("{}", items_field);
        let token_setter = format_ident!("{}", PAGE_TOKEN);
        let items = if optional_items {
            quote! { page.#field.unwrap_or_default() }
        } else {
            quote! { page.#field }
        };
        let next_token = if optional_token {
            quote! { page.#token_setter }
        } else {
            quote! { Some(page.#token_setter) }
        };
        let tokens = quote! {
            impl<'a> #builder_ident<'a> {
                #[doc = #stream_doc]
                pub fn stream(self) -> #runtime::ItemStream<'a, #item_type, #runtime::Error> {
                    #runtime::paginate(#operation, move |token: Option<String>| {
                        let request = match token {
                            Some(token) => self.clone().#token_setter(token),
                            None => self.clone(),
                        };
                        async move {
                            let page = request.send().await?.into_inner();
                            Ok((#items, #next_token))
                        }
                    })
                }

                #[doc = #collect_doc]
                pub async fn collect_all(self, limit: usize) -> Result<Vec<#item_type>, #runtime::Error> {
                    #runtime::collect_bounded(self.stream(), limit).await
                }
            }
        };
        match syn::parse2::<syn::Item>(tokens) {
            Ok(item) => added.push(item),
            Err(_) => skipped.push(op.operation_id.clone()),
        }
    }
    builders.extend(added);
    skipped
}

/// `T` of `send(self) -> Result<ResponseValue<T>, _>` in the impl of
/// `builder`. (The error is the runtime's once `send_errors` has wrapped
/// `send`, which the streams page through.)
fn send_success_type(builders: &[syn::Item], builder: &str) -> Option<syn::Type> {
    builders.iter().find_map(|item| {
        let syn::Item::Impl(i) = item else {
            return None;
        };
        if type_last_ident(&i.self_ty).as_deref() != Some(builder) {
            return None;
        }
        i.items.iter().find_map(|f| {
            let syn::ImplItem::Fn(f) = f else { return None };
            if f.sig.ident != "send" {
                return None;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                return None;
            };
            let ok = generic_args(ty)?.into_iter().next()?;
            generic_args(&ok)?.into_iter().next()
        })
    })
}

/// What a page struct holds: its items field and their type, and whether
/// the items and the next page's token are optional.
struct PageShape {
    items_field: String,
    item_type: syn::Type,
    optional_items: bool,
    optional_token: bool,
}

/// The [`PageShape`] of a struct with a `next_page_token` string field
/// (`String` or `Option<String>`) and exactly one array field.
fn page_shape(fields: &[syn::Field]) -> Option<PageShape> {
    let token = fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == PAGE_TOKEN))?;
    let optional_token = match type_last_ident(&token.ty).as_deref() {
        Some("String") => false,
        Some("Option") => {
            let inner = generic_args(&token.ty)?.into_iter().next()?;
            if type_last_ident(&inner).as_deref() != Some("String") {
                return None;
            }
            true
        }
        _ => return None,
    };
    let mut arrays = fields.iter().filter_map(|f| {
        let name = f.ident.as_ref()?.to_string();
        let (ty, optional) = match type_last_ident(&f.ty).as_deref() {
            Some("Option") => (generic_args(&f.ty)?.into_iter().next()?, true),
            _ => (f.ty.clone(), false),
        };
        (type_last_ident(&ty).as_deref() == Some("Vec"))
            .then(|| generic_args(&ty).and_then(|a| a.into_iter().next()))
            .flatten()
            .map(|item| (name, item, optional))
    });
    let (items_field, item_type, optional_items) = arrays.next()?;
    arrays.next().is_none().then_some(PageShape {
        items_field,
        item_type,
        optional_items,
        optional_token,
    })
}
