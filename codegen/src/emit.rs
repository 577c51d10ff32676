//! Stage 4: [`Lowered`] -> [`Emitted`] tokens.
//!
//! Drives `progenitor_impl::Generator` (builder interface, one extension
//! trait per tag) and adds our own tokens: the `metadata` module
//! ([`OperationRecord`](crate::lower::OperationRecord) as static data) and the
//! multipart operations the engine cannot emit, injected into the same tag
//! traits and `builder` module so they look like every other operation.
//!
//! The engine asserts and `todo!`s on shapes lowering should have removed;
//! should one slip through, the panic is caught (the panic message is kept,
//! the hook silenced for this thread) and the operation that causes it is
//! found by generating each operation alone, so the error names its pointer.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;

use crate::Settings;
use crate::error::{Error, Location, Result};
use crate::Note;
use crate::lower::multipart::{FieldKind, ParamLocation, ResponseBody};
use crate::lower::{Lowered, MultipartOperation};
use crate::lower::naming::progenitor_pascal;
use crate::spec::{self as walk, Document, HttpMethod, Status};

/// Which optional crates the generated code uses at run time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuntimeNeeds {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
    /// reqwest's `multipart` feature.
    pub multipart: bool,
    pub futures: bool,
}

/// The engine's file with our additions, and what `format` needs to split it.
pub struct Emitted {
    /// Engine output plus multipart methods and builders.
    pub file: syn::File,
    /// The items of the `metadata` module.
    pub metadata: syn::File,
    /// Builder struct name -> the tag whose file holds it ("" = untagged).
    pub builder_tags: BTreeMap<String, String>,
    /// Extension trait name -> its tag.
    pub trait_tags: BTreeMap<String, String>,
    pub runtime: RuntimeNeeds,
    /// What emission could not do, for [`Generated::notes`](crate::Generated).
    pub notes: Vec<Note>,
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}
static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(message)` without printing it. The
/// process-wide hook is wrapped once; it stays silent only on this thread
/// and only while `f` runs, so other threads' panics still print.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

fn engine_settings(settings: &Settings) -> progenitor_impl::GenerationSettings {
    let mut gs = progenitor_impl::GenerationSettings::new();
    gs.with_interface(progenitor_impl::InterfaceStyle::Builder)
        .with_tag(progenitor_impl::TagStyle::Separate);
    for d in &settings.derives {
        gs.with_derive(d);
    }
    if let Some(runtime) = runtime_path(settings) {
        gs.with_inner_type(quote! { #runtime::Runtime })
            .with_hooks(progenitor_impl::HooksMode::Expected);
    }
    gs
}

/// `::crate_name` of the configured runtime crate.
fn runtime_path(settings: &Settings) -> Option<TokenStream> {
    settings.runtime_crate.as_ref().map(|name| {
        let ident = format_ident!("{}", name);
        quote! { ::#ident }
    })
}

enum EngineFailure {
    Error(String),
    Panic(String),
}

fn run_engine(
    spec: &openapiv3::OpenAPI,
    settings: &Settings,
) -> std::result::Result<(TokenStream, RuntimeNeeds), EngineFailure> {
    let gs = engine_settings(settings);
    match quietly(|| {
        let mut generator = progenitor_impl::Generator::new(&gs);
        let tokens = generator.generate_tokens(spec);
        let ts = generator.get_type_space();
        let needs = RuntimeNeeds {
            chrono: ts.uses_chrono(),
            uuid: ts.uses_uuid(),
            regress: ts.uses_regress(),
            multipart: false,
            futures: generator.uses_futures(),
        };
        tokens.map(|t| (t, needs))
    }) {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(EngineFailure::Error(e.to_string())),
        Err(panic) => Err(EngineFailure::Panic(panic)),
    }
}

/// Finds the first operation that fails alone; else blames the components.
fn locate_failure(lowered: &Lowered, settings: &Settings) -> String {
    let full = &lowered.value;
    for op in walk::operations(full) {
        let mut single = full.clone();
        if let Some(Value::Object(paths)) = single.get_mut("paths") {
            paths.retain(|p, _| *p == op.path);
            if let Some(Value::Object(item)) = paths.get_mut(&op.path) {
                item.retain(|m, _| {
                    HttpMethod::from_path_item_key(m).is_none() || *m == op.method.as_str()
                });
            }
        }
        let Ok(spec) = serde_json::from_value::<openapiv3::OpenAPI>(single) else {
            return op.pointer;
        };
        if run_engine(&spec, settings).is_err() {
            return op.pointer;
        }
    }
    "/components/schemas".into()
}

/// Generates the client tokens; see the module docs.
pub fn emit(lowered: &Lowered, source: &Document, settings: &Settings) -> Result<Emitted> {
    let (tokens, mut runtime) = match run_engine(&lowered.openapi, settings) {
        Ok(out) => out,
        Err(failure) => {
            let pointer = locate_failure(lowered, settings);
            let location: Location = source.locate(&pointer);
            return Err(match failure {
                EngineFailure::Error(message) => Error::Engine { location, message },
                EngineFailure::Panic(message) => Error::EnginePanic { location, message },
            });
        }
    };
    runtime.multipart = !lowered.multipart.is_empty();
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Output {
        message: format!("engine output: {e}"),
    })?;

    let mut trait_tags = BTreeMap::new();
    let mut builder_tags = BTreeMap::new();
    for op in &lowered.operations {
        for tag in &op.tags {
            trait_tags.insert(trait_name(tag), tag.clone());
        }
        builder_tags.insert(
            progenitor_pascal(&op.operation_id),
            op.tags.first().cloned().unwrap_or_default(),
        );
    }

    for m in &lowered.multipart {
        inject_multipart(&mut file, m)?;
    }

    drop_type_builders(&mut file);
    open_string_enums(&mut file);
    let unpaged = match runtime_path(settings) {
        Some(runtime) => {
            infallible_client_new(&mut file)?;
            add_page_streams(&mut file, lowered, &runtime)
        }
        None => Vec::new(),
    };

    let metadata: syn::File = syn::parse2(metadata_tokens(lowered, settings)).map_err(|e| Error::Output {
        message: format!("metadata: {e}"),
    })?;

    let notes = unpaged
        .iter()
        .filter_map(|id| lowered.operations.iter().find(|op| op.operation_id == *id))
        .map(|op| Note {
            pointer: op.pointer.clone(),
            message: "takes `next_page_token` but its response is not one page of one list: no stream()"
                .into(),
        })
        .collect();
    Ok(Emitted {
        file,
        metadata,
        builder_tags,
        trait_tags,
        runtime,
        notes,
    })
}

/// `Client{Tag}Ext`, as progenitor names the extension trait of a tag.
pub fn trait_name(tag: &str) -> String {
    format!("Client{}Ext", progenitor_pascal(tag))
}

fn lit(s: &str) -> proc_macro2::Literal {
    proc_macro2::Literal::string(s)
}

fn doc_attr(text: Option<&str>) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let t = lit(t);
            quote! { #[doc = #t] }
        }
        None => quote! {},
    }
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

fn parse_items(tokens: TokenStream, what: &str) -> Result<Vec<syn::Item>> {
    syn::parse2::<syn::File>(tokens)
        .map(|f| f.items)
        .map_err(|e| Error::Output {
            message: format!("{what}: {e}"),
        })
}

/// Adds a multipart operation to its tags' traits (creating a trait when
/// the tag has no other operation) and its builder to `builder`.
fn inject_multipart(file: &mut syn::File, m: &MultipartOperation) -> Result<()> {
    let first_trait = m.tags.first().map(|t| trait_name(t));
    let (sig, imp, builder_tokens) = multipart_tokens(m, first_trait.as_deref());
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
        let tr = trait_name(tag);
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

/// The items of the `metadata` module.
fn metadata_tokens(lowered: &Lowered, settings: &Settings) -> TokenStream {
    let ops = &lowered.operations;
    let entries = ops.iter().map(|op| {
        let id = lit(&op.operation_id);
        let method_name = lit(&op.method_name);
        let method = lit(op.method.as_upper());
        let path = lit(&op.path);
        let tag = lit(op.tags.first().map(String::as_str).unwrap_or(""));
        let summary = lit(op.summary.as_deref().unwrap_or(""));
        let scopes = op.scopes.iter().map(|s| lit(s));
        let granular = op.granular_scopes.iter().map(|s| lit(s));
        let prereq = op.prerequisites.iter().map(|s| lit(s));
        let rate = match op.rate_limit {
            None => quote! { None },
            Some(r) => {
                let v = format_ident!("{}", r.variant_name());
                quote! { Some(RateLimitLabel::#v) }
            }
        };
        let codes = op.error_codes.iter().map(|e| {
            let status = crate::lower::metadata::metadata_status(e.status);
            let code = e.code;
            let message = lit(&e.message);
            quote! { ErrorCodeMeta { status: #status, code: #code, message: #message } }
        });
        let paginated = op.paginated;
        let multipart = op.multipart;
        let unmodeled = op
            .unmodeled_success_statuses
            .iter()
            .map(|s| crate::lower::metadata::metadata_status(*s));
        quote! {
            OperationMeta {
                operation_id: #id,
                method_name: #method_name,
                method: #method,
                path: #path,
                tag: #tag,
                summary: #summary,
                scopes: &[#(#scopes),*],
                granular_scopes: &[#(#granular),*],
                rate_limit: #rate,
                prerequisites: &[#(#prereq),*],
                error_codes: &[#(#codes),*],
                paginated: #paginated,
                multipart: #multipart,
                unmodeled_success_statuses: &[#(#unmodeled),*],
            }
        }
    });
    let mut by_method: Vec<(usize, &str)> = ops
        .iter()
        .enumerate()
        .map(|(i, o)| (i, o.method_name.as_str()))
        .collect();
    by_method.sort_by(|a, b| a.1.cmp(b.1));
    let by_method = by_method.iter().map(|(i, _)| *i);
    let count = ops.len();
    let definitions = match runtime_path(settings) {
        Some(runtime) => quote! {
            pub use #runtime::{ErrorCodeMeta, OperationMeta, RateLimitLabel};
        },
        None => quote! {
        /// `x-zoom-rate-limit`: the rate-limit label of an operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RateLimitLabel {
            /// `LIGHT`
            Light,
            /// `MEDIUM`
            Medium,
            /// `HEAVY`
            Heavy,
            /// `RESOURCE-INTENSIVE`
            ResourceIntensive,
        }

        impl RateLimitLabel {
            /// The label as the API documents it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    Self::Light => "LIGHT",
                    Self::Medium => "MEDIUM",
                    Self::Heavy => "HEAVY",
                    Self::ResourceIntensive => "RESOURCE-INTENSIVE",
                }
            }
        }

        /// One documented error code of an error response (`x-zoom-error-codes`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct ErrorCodeMeta {
            /// HTTP status of the response (`400` for a `4XX` range).
            pub status: u16,
            /// The API's own error code, as in the body's `code`.
            pub code: i64,
            /// The documented message.
            pub message: &'static str,
        }

        /// What the spec says about an operation beyond its signature.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct OperationMeta {
            /// `operationId` as written in the spec.
            pub operation_id: &'static str,
            /// The generated method name; also `OperationInfo::operation_id`
            /// as the client hooks see it.
            pub method_name: &'static str,
            /// Upper-case HTTP method.
            pub method: &'static str,
            /// Path template, e.g. `/accounts/{accountId}`.
            pub path: &'static str,
            /// First tag ("" when untagged).
            pub tag: &'static str,
            /// Summary ("" when none).
            pub summary: &'static str,
            /// `x-zoom-scopes`.
            pub scopes: &'static [&'static str],
            /// `x-zoom-granular-scopes`.
            pub granular_scopes: &'static [&'static str],
            /// `x-zoom-rate-limit`.
            pub rate_limit: Option<RateLimitLabel>,
            /// `x-zoom-prerequisites`.
            pub prerequisites: &'static [&'static str],
            /// `x-zoom-error-codes` of every response, by status.
            pub error_codes: &'static [ErrorCodeMeta],
            /// Takes a `next_page_token` query parameter.
            pub paginated: bool,
            /// Sends `multipart/form-data` (method written by codegen, not progenitor).
            pub multipart: bool,
            /// 2xx statuses documented but not decoded by the method: they
            /// arrive as `Error::UnexpectedResponse` with the response intact.
            pub unmodeled_success_statuses: &'static [u16],
        }
        },
    };
    quote! {
        #definitions

        /// Every operation, sorted by `operation_id`.
        pub static OPERATIONS: &[OperationMeta] = &[#(#entries),*];

        /// Indices into [`OPERATIONS`], sorted by `method_name`.
        static BY_METHOD_NAME: [usize; #count] = [#(#by_method),*];

        /// The operation with this `operationId`.
        pub fn by_operation_id(operation_id: &str) -> Option<&'static OperationMeta> {
            OPERATIONS
                .binary_search_by(|op| op.operation_id.cmp(operation_id))
                .ok()
                .map(|i| &OPERATIONS[i])
        }

        /// The operation whose generated method (and `OperationInfo::operation_id`) is `name`.
        pub fn by_method_name(name: &str) -> Option<&'static OperationMeta> {
            BY_METHOD_NAME
                .binary_search_by(|i| OPERATIONS[*i].method_name.cmp(name))
                .ok()
                .map(|i| &OPERATIONS[BY_METHOD_NAME[i]])
        }
    }
}

/// Replaces typify's struct builders by the plain types.
///
/// With builder-style operations typify writes a builder for every struct
/// (`types::builder::X` and `X::builder()`), yet the operation builders use
/// them only to hold a request body. Those builders were 40% of the
/// generated lines and compile time. The operation builders now hold the
/// body type itself: set it with `.body(value)`, where the body is a plain
/// struct (all-optional ones implement `Default`, so
/// `Body { field: Some(..), ..Default::default() }` composes any subset).
/// A body without `Default` must be set before `send`, as a required
/// parameter must.
fn drop_type_builders(file: &mut syn::File) {
    let mut with_default = BTreeSet::new();
    if let Some(types) = module_items(file, "types") {
        for item in types.iter() {
            match item {
                syn::Item::Struct(s) if derives_default(&s.attrs) => {
                    with_default.insert(s.ident.to_string());
                }
                syn::Item::Enum(e) if derives_default(&e.attrs) => {
                    with_default.insert(e.ident.to_string());
                }
                syn::Item::Impl(i)
                    if i.trait_.as_ref().is_some_and(|(_, p, _)| {
                        p.segments.last().is_some_and(|s| s.ident == "Default")
                    }) =>
                {
                    with_default.extend(type_last_ident(&i.self_ty));
                }
                _ => {}
            }
        }
        types.retain_mut(|item| match item {
            syn::Item::Mod(m) => m.ident != "builder",
            syn::Item::Impl(i) if i.trait_.is_none() => {
                i.items
                    .retain(|f| !matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
                !i.items.is_empty()
            }
            _ => true,
        });
    }
    if let Some(builders) = module_items(file, "builder") {
        // Operation builder -> the body type its `body` field holds.
        let body_types: BTreeMap<String, String> = builders
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => s.fields.iter().find_map(|f| {
                    let is_body = f.ident.as_ref().is_some_and(|i| i == "body");
                    let mut flat = Vec::new();
                    flatten(f.ty.to_token_stream(), &mut flat);
                    // Result<types::builder::X, String>
                    let at = flat.iter().position(|t| t == "builder")?;
                    (is_body && flat.get(at - 3).is_some_and(|t| t == "types"))
                        .then(|| (s.ident.to_string(), flat.get(at + 3).cloned()))
                        .and_then(|(b, x)| x.map(|x| (b, x)))
                }),
                _ => None,
            })
            .collect();
        let mut rewrite = BodyWithoutTypeBuilder {
            with_default: &with_default,
            body_types: &body_types,
            current_body: None,
        };
        for item in builders.iter_mut() {
            syn::visit_mut::VisitMut::visit_item_mut(&mut rewrite, item);
        }
    }
}

fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn derives_default(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let mut idents = BTreeSet::new();
            identifiers(a.meta.to_token_stream(), &mut idents);
            idents.contains("Default")
        }
    })
}

/// The operation-builder rewrite of [`drop_type_builders`].
struct BodyWithoutTypeBuilder<'a> {
    with_default: &'a BTreeSet<String>,
    body_types: &'a BTreeMap<String, String>,
    /// Body type of the builder whose impl is being visited.
    current_body: Option<String>,
}

impl syn::visit_mut::VisitMut for BodyWithoutTypeBuilder<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        // types::builder::X -> types::X
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names.len() == 3 && names[0] == "types" && names[1] == "builder" {
            let last = path.segments.pop().map(syn::punctuated::Pair::into_value);
            path.segments.pop();
            if let Some(last) = last {
                path.segments.push(last);
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        i.items
            .retain(|f| !matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "body_map"));
        self.current_body = type_last_ident(&i.self_ty).and_then(|b| self.body_types.get(&b).cloned());
        syn::visit_mut::visit_item_impl_mut(self, i);
        self.current_body = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        let receiver = &call.receiver;
        let args = call.args.to_token_stream().to_string();
        match call.method.to_string().as_str() {
            // value.try_into().map(From::from): builder from value -> value
            "map" if args == "From :: from" => {
                *expr = (*call.receiver).clone();
            }
            // body.and_then(|v| types::X::try_from(v)...): builder -> value
            "and_then"
                if quote! { #receiver }.to_string() == "body"
                    && args.contains("try_from") =>
            {
                *expr = (*call.receiver).clone();
            }
            _ => {}
        }
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        syn::visit_mut::visit_field_value_mut(self, fv);
        // `body: Ok(Default::default())` in `new()` needs a Default body.
        let is_body = matches!(&fv.member, syn::Member::Named(i) if i == "body");
        let expr = &fv.expr;
        if is_body && quote! { #expr }.to_string().contains("Default :: default") {
            if self.current_body.as_ref().is_some_and(|b| !self.with_default.contains(b)) {
                fv.expr = syn::parse_quote! { Err("body was not initialized".to_string()) };
            }
        }
    }
}
fn identifiers(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    out.extend(flat.into_iter().filter(|t| t.chars().next().is_some_and(char::is_alphabetic)));
}

fn flatten(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(g) => flatten(g.stream(), out),
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Punct(p) => out.push(p.as_char().to_string()),
            proc_macro2::TokenTree::Literal(_) => {}
        }
    }
}

fn type_last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Makes every string enum open: values the spec does not list decode into
/// an `Unknown(String)` variant that keeps the raw value, instead of failing
/// the whole response.
///
/// APIs add enum values between spec revisions (Zoom's do), and typify's
/// closed enums turn each such addition into a decode error for every call
/// that returns the field. Each typify enum of unit variants is replaced by
/// one invocation of a `macro_rules!` emitted once at the top of `types`
/// (variants, `Unknown`, `as_str`, `From<&str>`/`From<String>`, `FromStr`,
/// `Display`, serde): a few lines per enum instead of sixty, which also
/// keeps compile times down. The typify impls it replaces are dropped.
fn open_string_enums(file: &mut syn::File) {
    let Some(types) = module_items(file, "types") else {
        return;
    };
    let mut opened = BTreeSet::new();
    for item in types.iter_mut() {
        let syn::Item::Enum(e) = item else {
            continue;
        };
        let all_unit = !e.variants.is_empty()
            && e.variants.iter().all(|v| matches!(v.fields, syn::Fields::Unit));
        let is_serde = e.attrs.iter().any(|a| {
            let mut idents = BTreeSet::new();
            identifiers(a.to_token_stream(), &mut idents);
            idents.contains("Deserialize")
        });
        if !all_unit || !is_serde {
            continue;
        }
        let docs: Vec<&syn::Attribute> = e.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
        let name = &e.ident;
        let variants = e.variants.iter().map(|v| {
            let vdocs = v.attrs.iter().filter(|a| a.path().is_ident("doc"));
            let ident = &v.ident;
            let value = serde_rename(&v.attrs).unwrap_or_else(|| ident.to_string());
            let value = lit(&value);
            quote! { #(#vdocs)* #ident = #value, }
        });
        let tokens = quote! {
            open_enum! { #(#docs)* #name { #(#variants)* } }
        };
        if let Ok(mac) = syn::parse2::<syn::Item>(tokens) {
            opened.insert(name.to_string());
            *item = mac;
        }
    }
    if opened.is_empty() {
        return;
    }
    const REPLACED: [&str; 3] = ["Display", "FromStr", "TryFrom"];
    types.retain(|item| match item {
        syn::Item::Impl(i) => {
            let replaced = i.trait_.as_ref().is_some_and(|(_, p, _)| {
                p.segments.last().is_some_and(|s| REPLACED.contains(&s.ident.to_string().as_str()))
            });
            !(replaced && type_last_ident(&i.self_ty).is_some_and(|t| opened.contains(&t)))
        }
        _ => true,
    });
    // A constant, parsed by the test below; never fails at run time.
    if let Ok(definition) = syn::parse_str::<syn::Item>(OPEN_ENUM_MACRO) {
        types.insert(0, definition);
    }
}

/// The `open_enum!` definition, as printed at the top of `types` (kept as
/// text so the generated file shows it laid out by hand).
pub(crate) const OPEN_ENUM_MACRO: &str = r#"/// Defines an open string enum: the documented values as variants, and
/// `Unknown` for any other value, kept as the server sent it.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know (added to the API after the
            /// client was generated), kept as the server sent it.
            Unknown(::std::string::String),
        }
        impl $name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
"#;

/// The value of `#[serde(rename = "...")]`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|a| {
        let mut value = None;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                value = Some(lit.value());
            }
            Ok(())
        });
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;

    const HEAD: &str = "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn engine_panic_becomes_a_located_error() {
        // Lowering makes path parameters required; undo it behind its back to
        // prove a panic inside progenitor comes out as an error naming the
        // operation.
        let spec = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      parameters:\n        - name: id\n          in: path\n          schema:\n            type: string\n      responses:\n        '204':\n          description: ok\n"
        );
        let settings = Settings::new();
        let valid = crate::validate::validate(crate::spec::load(spec.as_bytes()).unwrap()).unwrap();
        let mut lowered = crate::lower::lower(&valid, &settings).unwrap();
        lowered.value["paths"]["/a/{id}"]["get"]["parameters"][0]["required"] = false.into();
        lowered.openapi = serde_json::from_value(lowered.value.clone()).unwrap();
        let err = match emit(&lowered, valid.document(), &settings) {
            Ok(_) => panic!("the engine accepted a non-required path parameter"),
            Err(e) => e,
        };
        assert!(matches!(err, Error::EnginePanic { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("at /paths/~1a~1{id}/get (line 7): code generation panicked: "),
            "{err}"
        );
    }

    #[test]
    fn open_enum_macro_parses() {
        let item: syn::Item = syn::parse_str(OPEN_ENUM_MACRO).expect("valid macro_rules");
        assert!(matches!(item, syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "open_enum")));
    }

    #[test]
    fn serde_rename_reads_the_wire_value() {
        let v: syn::Variant = syn::parse_quote! { #[serde(rename = "Reliable UDP")] ReliableUdp };
        assert_eq!(serde_rename(&v.attrs).as_deref(), Some("Reliable UDP"));
        let v: syn::Variant = syn::parse_quote! { Plain };
        assert_eq!(serde_rename(&v.attrs), None);
    }
}

/// The query parameter that carries the page token.
const PAGE_TOKEN: &str = "next_page_token";

/// Adds `stream()` and `collect_all(limit)` to the builder of every
/// paginated operation (one that takes a `next_page_token` query parameter
/// and whose success type has a `next_page_token` field and one array
/// field, the page's items). Needs a runtime crate (its `paginate`); an
/// operation whose response does not fit that shape keeps only `send()`,
/// and is listed in the returned names for the notes.
fn add_page_streams(file: &mut syn::File, lowered: &Lowered, runtime: &TokenStream) -> Vec<String> {
    let mut skipped = Vec::new();
    // Struct name -> its named fields.
    let structs: BTreeMap<String, Vec<syn::Field>> = module_items(file, "types")
        .map(|types| {
            types
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => Some((s.ident.to_string(), s.fields.iter().cloned().collect())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(builders) = module_items(file, "builder") else {
        return skipped;
    };
    let mut added = Vec::new();
    for op in lowered.operations.iter().filter(|op| op.paginated) {
        let builder = progenitor_pascal(&op.operation_id);
        let Some((success, error)) = send_types(builders, &builder) else {
            skipped.push(op.operation_id.clone());
            continue;
        };
        let Some((items_field, item_type, optional_items)) =
            type_last_ident(&success).and_then(|name| page_shape(structs.get(&name)?))
        else {
            skipped.push(op.operation_id.clone());
            continue;
        };
        let token_doc = lowered
            .value
            .pointer(&op.pointer)
            .and_then(|o| o.get("parameters"))
            .and_then(Value::as_array)
            .and_then(|ps| ps.iter().find(|p| p.get("name").and_then(Value::as_str) == Some(PAGE_TOKEN)))
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
            syn::Type::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 => {
                quote! { types::#p }
            }
            other => quote! { #other },
        };
        let builder_ident = format_ident!("{}", builder);
        let field = format_ident!("{}", items_field);
        let token_setter = format_ident!("{}", PAGE_TOKEN);
        let items = if optional_items {
            quote! { page.#field.unwrap_or_default() }
        } else {
            quote! { page.#field }
        };
        let tokens = quote! {
            impl<'a> #builder_ident<'a> {
                #[doc = #stream_doc]
                pub fn stream(self) -> #runtime::ItemStream<'a, #item_type, Error<#error>> {
                    #runtime::paginate(move |token: Option<String>| {
                        let request = match token {
                            Some(token) => self.clone().#token_setter(token),
                            None => self.clone(),
                        };
                        async move {
                            let page = request.send().await?.into_inner();
                            Ok((#items, page.#token_setter))
                        }
                    })
                }

                #[doc = #collect_doc]
                pub async fn collect_all(self, limit: usize) -> Result<Vec<#item_type>, Error<#error>> {
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

/// With a runtime crate, progenitor's `Client::new(baseurl, inner)` builds
/// a `reqwest::Client` of its own with `.build().unwrap()` (a panic if TLS
/// cannot be initialised) and timeouts that the runtime's own settings
/// override anyway. It becomes: use the runtime's HTTP client, which cannot
/// fail. The signature stays as progenitor makes it.
fn infallible_client_new(file: &mut syn::File) -> Result<()> {
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
        return Err(Error::Output {
            message: "engine output: no `Client::new` to route through the runtime".into(),
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
        return Err(Error::Output {
            message: format!("engine output: `Client::new` takes {inputs:?}, expected [baseurl, inner]"),
        });
    }
    new_fn.attrs.retain(|a| !a.path().is_ident("doc"));
    let doc = [
        " A client for `baseurl` that sends every request through `inner`,",
        " built with `inner`'s HTTP client (its connection pool, proxy and TLS",
        " settings). `baseurl` includes the scheme, host and any path stem,",
        " e.g. `https://api.zoom.us/v2`.",
    ];
    new_fn.attrs.extend(doc.iter().map(|line| syn::parse_quote!(#[doc = #line])));
    new_fn.block = syn::parse_quote!({
        let client = inner.http_client().clone();
        Self::new_with_client(baseurl, client, inner)
    });
    Ok(())
}

/// `(T, E)` of `send(self) -> Result<ResponseValue<T>, Error<E>>` in the
/// impl of `builder`.
fn send_types(builders: &[syn::Item], builder: &str) -> Option<(syn::Type, syn::Type)> {
    builders.iter().find_map(|item| {
        let syn::Item::Impl(i) = item else { return None };
        if type_last_ident(&i.self_ty).as_deref() != Some(builder) {
            return None;
        }
        i.items.iter().find_map(|f| {
            let syn::ImplItem::Fn(f) = f else { return None };
            if f.sig.ident != "send" {
                return None;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else { return None };
            let mut args = generic_args(ty)?.into_iter();
            let ok = generic_args(&args.next()?)?.into_iter().next()?;
            let err = generic_args(&args.next()?)?.into_iter().next()?;
            Some((ok, err))
        })
    })
}

/// The type arguments of the last path segment (`A<X, Y>` -> `[X, Y]`).
fn generic_args(ty: &syn::Type) -> Option<Vec<syn::Type>> {
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

/// `(items field, item type, items are Option<Vec<_>>)` of a page struct:
/// it has a `next_page_token` field and exactly one array field.
fn page_shape(fields: &[syn::Field]) -> Option<(String, syn::Type, bool)> {
    let has_token = fields.iter().any(|f| f.ident.as_ref().is_some_and(|i| i == PAGE_TOKEN));
    if !has_token {
        return None;
    }
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
    let first = arrays.next()?;
    arrays.next().is_none().then_some(first)
}
