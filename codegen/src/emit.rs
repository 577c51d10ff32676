//! Stage 4: [`Lowered`] -> [`Emitted`] tokens.
//!
//! Drives `progenitor_impl::Generator` (builder interface, one extension
//! trait per tag) and adds our own tokens: the `metadata` module
//! ([`OperationMeta`](crate::lower::OperationMeta) as static data) and the
//! multipart operations the engine cannot emit, injected into the same tag
//! traits and `builder` module so they look like every other operation.
//!
//! The engine asserts and `todo!`s on shapes lowering should have removed;
//! should one slip through, the panic is caught (the panic message is kept,
//! the hook silenced for this thread) and the operation that causes it is
//! found by generating each operation alone, so the error names its pointer.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::Settings;
use crate::error::{Error, Location, Result, child_pointer};
use crate::load::Document;
use crate::lower::{
    FieldKind, Lowered, MultipartOperation, ParamLocation, ResponseBody, StatusPattern,
};
use crate::naming::progenitor_pascal;
use crate::walk;

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
    gs
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
                item.retain(|m, _| !walk::METHODS.contains(&m.as_str()) || *m == op.method);
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

    let metadata: syn::File = syn::parse2(metadata_tokens(lowered)).map_err(|e| Error::Output {
        message: format!("metadata: {e}"),
    })?;

    Ok(Emitted {
        file,
        metadata,
        builder_tags,
        trait_tags,
        runtime,
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

fn status_pat(p: &StatusPattern) -> TokenStream {
    match p {
        StatusPattern::Code(c) => quote! { #c },
        StatusPattern::Class(class) => {
            let lo = u16::from(*class) * 100;
            let hi = lo + 99;
            quote! { #lo ..= #hi }
        }
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
            let pat = status_pat(s);
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
        let pat = status_pat(s);
        arms.push(match b {
            ResponseBody::Empty => quote! { #pat => Err(Error::ErrorResponse(ResponseValue::empty(response))), },
            _ => quote! { #pat => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)), },
        });
    }
    let http = format_ident!("{}", m.method);
    let op_name = lit(&m.method_name);
    let send_doc = lit(&format!(
        "Sends a `{}` request to `{}`",
        m.method.to_ascii_uppercase(),
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
fn metadata_tokens(lowered: &Lowered) -> TokenStream {
    let ops = &lowered.operations;
    let entries = ops.iter().map(|op| {
        let id = lit(&op.operation_id);
        let method_name = lit(&op.method_name);
        let method = lit(&op.method);
        let path = lit(&op.path);
        let tag = lit(op.tags.first().map(String::as_str).unwrap_or(""));
        let summary = lit(op.summary.as_deref().unwrap_or(""));
        let scopes = op.scopes.iter().map(|s| lit(s));
        let granular = op.granular_scopes.iter().map(|s| lit(s));
        let prereq = op.prerequisites.iter().map(|s| lit(s));
        let rate = match op.rate_limit {
            None => quote! { None },
            Some(r) => {
                let v = format_ident!("{}", format!("{r:?}"));
                quote! { Some(RateLimitLabel::#v) }
            }
        };
        let codes = op.error_codes.iter().map(|e| {
            let status = e.status;
            let code = e.code;
            let message = lit(&e.message);
            quote! { ErrorCodeMeta { status: #status, code: #code, message: #message } }
        });
        let paginated = op.paginated;
        let multipart = op.multipart;
        let unmodeled = &op.unmodeled_success_statuses;
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
    quote! {
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

/// `/paths/<path>/<method>` of an operation (for messages).
pub fn operation_pointer(path: &str, method: &str) -> String {
    child_pointer(&child_pointer("/paths", path), method)
}
