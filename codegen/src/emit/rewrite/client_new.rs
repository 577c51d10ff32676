//! `Client::new` through the runtime's HTTP client.

use crate::error::{Error, Result};

/// With a runtime crate, progenitor's `Client::new(baseurl, inner)` builds
/// a `reqwest::Client` of its own with `.build().unwrap()` (a panic if TLS
/// cannot be initialised) and timeouts that the runtime's own settings
/// override anyway. It becomes: use the runtime's HTTP client, which cannot
/// fail. The signature stays as progenitor makes it.
pub(in crate::emit) fn infallible_client_new(file: &mut syn::File) -> Result<()> {
    let new_fn = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Impl(i)
            if i.trait_.is_none()
                && matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) =>
        {
            i.items.iter_mut().find_map(|item| match item {
                syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
                _ => None,
            })
        }
        _ => None,
    });
    let Some(new_fn) = new_fn else {
        return Err(Error::EngineOutput {
            message: "no `Client::new` to route through the runtime".into(),
        });
    };
    let inputs: Vec<String> = new_fn
        .sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(t) => match &*t.pat {
                syn::Pat::Ident(p) => Some(p.ident.to_string()),
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    if inputs != ["baseurl", "inner"] {
        return Err(Error::EngineOutput {
            message: format!("`Client::new` takes {inputs:?}, expected [baseurl, inner]"),
        });
    }
    new_fn.attrs.retain(|a| !a.path().is_ident("doc"));
    let doc = [
        " A client for `baseurl` that sends every request through `inner`,",
        " built with `inner`'s HTTP client (its connection pool, proxy and TLS",
        " settings). `baseurl` includes the scheme, host and any path stem,",
        " e.g. `https://api.zoom.us/v2`.",
    ];
    new_fn
        .attrs
        .extend(doc.iter().map(|line| syn::parse_quote!(#[doc = #line])));
    new_fn.block = syn::parse_quote!({
        let client = inner.http_client().clone();
        Self::new_with_client(baseurl, client, inner)
    });
    Ok(())
}
