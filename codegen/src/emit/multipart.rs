//! `multipart/form-data` operations, which the engine rejects: their
//! builders are written from one template of our own ([`multipart_tokens`])
//! and injected into the tag traits and the `builder` module, so they look
//! like every other operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::layout::Index;
use super::{doc_attr, lit, parse_items};
use crate::error::{Error, Result};
use crate::lower::MultipartOperation;
use crate::lower::multipart::{FieldKind, ParamLocation, ResponseBody};
use crate::lower::naming::progenitor_pascal;
use crate::spec::Status;

/// `Client{Tag}Ext`: the name of a trait we write for a tag the engine
/// wrote none for, named as the engine names the ones it writes.
fn trait_name(tag: &str) -> String {
    format!("Client{}Ext", progenitor_pascal(tag))
}

fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote! { () },
        ResponseBody::Named(name) => {
            let ident = format_ident!("{}", name);
            quote! { types::#ident }
        }
        ResponseBody::Json => quote! { ::serde_json::Value },
    }
}

/// The match pattern of a status, as the engine writes it (`404u16`,
/// `400u16..=499u16`); `default` is no pattern (lowering keeps it out of
/// multipart operations).
fn status_pat(status: Status) -> TokenStream {
    match status.codes() {
        Some((lo, hi)) if lo == hi => quote! { #lo },
        Some((lo, hi)) => quote! { #lo ..= #hi },
        None => quote! { _ },
    }
}

/// Tokens of one multipart operation: (trait method signature with docs,
/// trait method impl, builder struct + impl).
fn multipart_tokens(
    m: &MultipartOperation,
    trait_ident: Option<&str>,
) -> (TokenStream, TokenStream, TokenStream) {
    let method = format_ident!("{}", m.method_name);
    let builder = format_ident!("{}", m.builder_name);
    let doc = lit(&m.doc);

    let mut used: Vec<String> = vec!["client".into()];
    let mut unique = |ident: &str| {
        let mut name = ident.to_string();
        while used.contains(&name) {
            name.push('_');
        }
        used.push(name.clone());
        format_ident!("{}", name)
    };
    let params: Vec<_> = m.params.iter().map(|p| (p, unique(&p.ident))).collect();
    let fields: Vec<_> = m.fields.iter().map(|f| (f, unique(&f.ident))).collect();

    let mut struct_fields = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut names = Vec::new();
    let mut checks = Vec::new();
    for (p, ident) in &params {
        names.push(ident.clone());
        struct_fields.push(quote! { #ident: Option<String> });
        inits.push(quote! { #ident: None });
        let d = doc_attr(p.description.as_deref());
        setters.push(quote! {
            #d
            pub fn #ident<V: ::std::string::ToString>(mut self, value: V) -> Self {
                self.#ident = Some(value.to_string());
                self
            }
        });
        if p.required {
            let msg = lit(&format!("{} was not initialized", p.ident));
            checks.push(quote! {
                let #ident = #ident.ok_or_else(|| Error::InvalidRequest(#msg.to_string()))?;
            });
        }
    }
    let mut form_parts = Vec::new();
    for (f, ident) in &fields {
        names.push(ident.clone());
        let api = lit(&f.name);
        let d = doc_attr(f.description.as_deref());
        match f.kind {
            FieldKind::Binary => {
                struct_fields.push(quote! { #ident: Option<reqwest::multipart::Part> });
                setters.push(quote! {
                    #d
                    pub fn #ident(mut self, value: reqwest::multipart::Part) -> Self {
                        self.#ident = Some(value);
                        self
                    }
                });
            }
            FieldKind::Text => {
                struct_fields.push(quote! { #ident: Option<String> });
                setters.push(quote! {
                    #d
                    pub fn #ident<V: ::std::string::ToString>(mut self, value: V) -> Self {
                        self.#ident = Some(value.to_string());
                        self
                    }
                });
            }
            FieldKind::Json => {
                struct_fields.push(quote! { #ident: Option<String> });
                setters.push(quote! {
                    #d
                    /// Sent as JSON text.
                    pub fn #ident<V: ::serde::Serialize>(mut self, value: &V) -> Self {
                        self.#ident = ::serde_json::to_string(value).ok();
                        self
                    }
                });
            }
        }
        inits.push(quote! { #ident: None });
        let add = match f.kind {
            FieldKind::Binary => quote! { form = form.part(#api, value); },
            _ => quote! { form = form.text(#api, value); },
        };
        if f.required {
            let msg = lit(&format!("{} was not initialized", f.ident));
            checks.push(quote! {
                let #ident = #ident.ok_or_else(|| Error::InvalidRequest(#msg.to_string()))?;
            });
            form_parts.push(quote! { { let value = #ident; #add } });
        } else {
            form_parts.push(quote! { if let Some(value) = #ident { #add } });
        }
    }

    // URL: the template with each {name} replaced by its encoded value.
    let mut fmt = String::from("{}");
    let mut fmt_args = Vec::new();
    let mut rest = m.path.as_str();
    while let Some(open) = rest.find('{') {
        fmt.push_str(&rest[..open].replace('}', "}}"));
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let name = &after[..close];
        fmt.push_str("{}");
        if let Some((_, ident)) = params
            .iter()
            .find(|(p, _)| p.api_name == name && p.location == ParamLocation::Path)
        {
            fmt_args.push(quote! { encode_path(&#ident) });
        } else {
            fmt_args.push(quote! { "" });
        }
        rest = &after[(close + 1).min(after.len())..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let fmt = lit(&fmt);

    let query: Vec<_> = params
        .iter()
        .filter(|(p, _)| p.location == ParamLocation::Query)
        .map(|(p, ident)| {
            let api = lit(&p.api_name);
            quote! { .query(&progenitor_client::QueryParam::new(#api, &#ident)) }
        })
        .collect();
    let headers: Vec<_> = params
        .iter()
        .filter(|(p, _)| p.location == ParamLocation::Header)
        .map(|(p, ident)| {
            let api = lit(&p.api_name);
            if p.required {
                quote! { header_map.append(#api, #ident.to_string().try_into()?); }
            } else {
                quote! { if let Some(value) = #ident { header_map.append(#api, value.to_string().try_into()?); } }
            }
        })
        .collect();
    let header_count = headers.len() + 1;

    let success_ty = m
        .success
        .first()
        .map(|(_, b)| body_type(b))
        .unwrap_or_else(|| quote! { ByteStream });
    let error_ty = m
        .errors
        .first()
        .map(|(_, b)| body_type(b))
        .unwrap_or_else(|| quote! { () });
    let mut arms: Vec<TokenStream> = m
        .success
        .iter()
        .map(|(s, b)| {
            let pat = status_pat(*s);
            match b {
                ResponseBody::Empty => quote! { #pat => Ok(ResponseValue::empty(response)), },
                _ => quote! { #pat => ResponseValue::from_response(response).await, },
            }
        })
        .collect();
    if m.success.is_empty() {
        arms.push(quote! { 200u16..=299u16 => Ok(ResponseValue::stream(response)), });
    }
    for (s, b) in &m.errors {
        let pat = status_pat(*s);
        arms.push(match b {
            ResponseBody::Empty => quote! { #pat => Err(Error::ErrorResponse(ResponseValue::empty(response))), },
            _ => quote! { #pat => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)), },
        });
    }
    let http = format_ident!("{}", m.method.as_str());
    let op_name = lit(&m.method_name);
    let send_doc = lit(&format!(
        "Sends a `{}` request to `{}`",
        m.method.as_upper(),
        m.path
    ));
    let struct_doc = match trait_ident {
        Some(t) => format!(
            "Builder for [`{t}::{0}`]\n\n[`{t}::{0}`]: super::{t}::{0}",
            m.method_name
        ),
        None => format!(
            "Builder for [`Client::{0}`]\n\n[`Client::{0}`]: super::Client::{0}",
            m.method_name
        ),
    };
    let struct_doc = lit(&struct_doc);

    let builder_tokens = quote! {
        #[doc = #struct_doc]
        #[derive(Debug)]
        pub struct #builder<'a> {
            client: &'a super::Client,
            #(#struct_fields,)*
        }

        impl<'a> #builder<'a> {
            pub fn new(client: &'a super::Client) -> Self {
                Self { client, #(#inits,)* }
            }

            #(#setters)*

            #[doc = #send_doc]
            pub async fn send(self) -> Result<ResponseValue<#success_ty>, Error<#error_ty>> {
                let Self { client, #(#names,)* } = self;
                #(#checks)*
                let url = format!(#fmt, client.baseurl, #(#fmt_args),*);
                let mut form = reqwest::multipart::Form::new();
                #(#form_parts)*
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(#header_count);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                #(#headers)*
                #[allow(unused_mut)]
                let mut request = client
                    .client
                    .#http(url)
                    .header(
                        ::reqwest::header::ACCEPT,
                        ::reqwest::header::HeaderValue::from_static("application/json"),
                    )
                    #(#query)*
                    .multipart(form)
                    .headers(header_map)
                    .build()?;
                let info = OperationInfo { operation_id: #op_name };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    #(#arms)*
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }
    };

    let sig = quote! {
        #[doc = #doc]
        fn #method(&self) -> builder::#builder<'_>;
    };
    let imp = quote! {
        fn #method(&self) -> builder::#builder<'_> {
            builder::#builder::new(self)
        }
    };
    (sig, imp, builder_tokens)
}

/// Adds a multipart operation to its tags' traits (creating a trait when
/// the tag has no other operation) and its builder to `builder`.
pub(super) fn inject_multipart(
    file: &mut syn::File,
    m: &MultipartOperation,
    index: &mut Index,
) -> Result<()> {
    // The tag's trait as the engine wrote it, or as we write it below when
    // the upload is the tag's only operation.
    let trait_for = |index: &Index, tag: &str| {
        index
            .trait_of(tag)
            .map(str::to_owned)
            .unwrap_or_else(|| trait_name(tag))
    };
    let first_trait = m.tags.first().map(|t| trait_for(index, t));
    let (sig, imp, builder_tokens) = multipart_tokens(m, first_trait.as_deref());
    index.register(&m.operation_id, &m.builder_name);
    let builder_items = parse_items(builder_tokens, "multipart builder")?;
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "builder"
            && let Some((_, items)) = &mut module.content
        {
            items.extend(builder_items.clone());
        }
    }
    if m.tags.is_empty() {
        let doc = lit(&m.doc);
        let method = format_ident!("{}", m.method_name);
        let builder = format_ident!("{}", m.builder_name);
        let items = parse_items(
            quote! {
                impl Client {
                    #[doc = #doc]
                    pub fn #method(&self) -> builder::#builder<'_> {
                        builder::#builder::new(self)
                    }
                }
            },
            "multipart method",
        )?;
        file.items.extend(items);
        return Ok(());
    }
    let trait_sig: syn::TraitItem = syn::parse2(sig).map_err(|e| Error::Output {
        message: format!("multipart trait item: {e}"),
    })?;
    let impl_fn: syn::ImplItem = syn::parse2(imp).map_err(|e| Error::Output {
        message: format!("multipart impl item: {e}"),
    })?;
    for tag in &m.tags {
        let tr = trait_for(index, tag);
        let mut found = false;
        for item in &mut file.items {
            match item {
                syn::Item::Trait(t) if t.ident == tr => {
                    t.items.push(trait_sig.clone());
                    found = true;
                }
                syn::Item::Impl(i)
                    if i.trait_
                        .as_ref()
                        .is_some_and(|(_, path, _)| path.is_ident(&tr)) =>
                {
                    i.items.push(impl_fn.clone());
                }
                _ => {}
            }
        }
        if !found {
            let ident = format_ident!("{}", tr);
            let items = parse_items(
                quote! {
                    pub trait #ident {}
                    impl #ident for Client {}
                },
                "multipart trait",
            )?;
            let mut items = items.into_iter();
            if let (Some(syn::Item::Trait(mut t)), Some(syn::Item::Impl(mut i))) =
                (items.next(), items.next())
            {
                t.items.push(trait_sig.clone());
                i.items.push(impl_fn.clone());
                file.items.push(syn::Item::Trait(t));
                file.items.push(syn::Item::Impl(i));
                index.register_trait(&tr, tag);
            }
            let use_item: syn::Item =
                syn::parse2(quote! { pub use super::#ident; }).map_err(|e| Error::Output {
                    message: format!("prelude: {e}"),
                })?;
            for item in &mut file.items {
                if let syn::Item::Mod(module) = item
                    && module.ident == "prelude"
                    && let Some((_, items)) = &mut module.content
                {
                    items.push(use_item.clone());
                }
            }
        }
    }
    Ok(())
}
