//! `multipart/form-data` operations, which the engine rejects (and offers
//! no hook for): their builders are written from one template of our own
//! ([`builder_tokens`]) and injected into the tag traits and the `builder`
//! module, so they look like every other operation.
//!
//! The template mirrors what progenitor writes for every other operation
//! (`progenitor_impl`'s `builder_struct` and `method_sig_body`), through
//! progenitor-client's public API only: an `api-version` header first in
//! the header map, `Accept: application/json`, query parameters through
//! `QueryParam`, the `pre`/`exec`/`post` hooks with the operation's
//! `OperationInfo`, and a `match` on the status with each documented
//! status or range decoded and everything else `UnexpectedResponse`. The
//! test `the_template_sends_as_the_engine_does` compares those parts with
//! the engine's own output, so an engine release that changes them fails
//! a test instead of silently diverging.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::layout::Index;
use super::{doc_attr, lit, parse_items};
use crate::error::{Error, Location, Result};
use crate::lower::MultipartOperation;
use crate::lower::multipart::{FieldKind, ParamLocation, PlainParam, ResponseBody};
use crate::lower::naming::progenitor_pascal;
use crate::spec::{PathTemplate, Segment, Status, operation_pointer};

/// `Client{Tag}Ext`: the name of a trait we write for a tag the engine
/// wrote none for, named as the engine names the ones it writes.
fn trait_name(tag: &str) -> String {
    format!("Client{}Ext", progenitor_pascal(tag))
}

/// The builder struct and its impl: ONE template; the holes are filled by
/// [`Inputs`], [`url`], [`Responses`].
fn builder_tokens(m: &MultipartOperation, trait_ident: Option<&str>) -> Result<TokenStream> {
    let builder = format_ident!("{}", m.builder_name);
    let Inputs {
        params,
        struct_fields,
        inits,
        setters,
        names,
        checks,
        form_parts,
    } = Inputs::of(m);
    let (url_format, url_args) = url(m, &params)?;
    let query = params
        .iter()
        .filter(|(p, _)| p.location == ParamLocation::Query)
        .map(|(p, ident)| {
            let api = lit(&p.api_name);
            quote! { .query(&progenitor_client::QueryParam::new(#api, &#ident)) }
        });
    let headers: Vec<TokenStream> = params
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
    let Responses {
        success_ty,
        error_ty,
        arms,
    } = Responses::of(m);
    let http = format_ident!("{}", m.method.as_str());
    let op_name = lit(&m.method_name);
    let send_doc = lit(&format!(
        "Sends a `{}` request to `{}`",
        m.method.as_upper(),
        m.path
    ));
    let owner = trait_ident.unwrap_or("Client");
    let struct_doc = lit(&format!(
        "Builder for [`{owner}::{0}`]\n\n[`{owner}::{0}`]: super::{owner}::{0}",
        m.method_name
    ));

    Ok(quote! {
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
                let url = format!(#url_format, client.baseurl, #(#url_args),*);
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
    })
}

/// The trait method's signature with its docs, and its body.
fn method_tokens(m: &MultipartOperation) -> (TokenStream, TokenStream) {
    let method = format_ident!("{}", m.method_name);
    let builder = format_ident!("{}", m.builder_name);
    let doc = lit(&m.doc);
    let sig = quote! {
        #[doc = #doc]
        fn #method(&self) -> builder::#builder<'_>;
    };
    let imp = quote! {
        fn #method(&self) -> builder::#builder<'_> {
            builder::#builder::new(self)
        }
    };
    (sig, imp)
}

/// The builder's inputs (path, query and header parameters, then the form
/// fields), each as a struct field, its initial value, its setter, and
/// what `send` does with it.
struct Inputs<'m> {
    /// The parameters with their (unique) identifiers.
    params: Vec<(&'m PlainParam, Ident)>,
    struct_fields: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    setters: Vec<TokenStream>,
    /// Every input's identifier, to destructure the builder in `send`.
    names: Vec<Ident>,
    /// `send`'s checks that required inputs were set.
    checks: Vec<TokenStream>,
    /// `send`'s additions to the form.
    form_parts: Vec<TokenStream>,
}

impl<'m> Inputs<'m> {
    fn of(m: &'m MultipartOperation) -> Self {
        // `client` is the builder's own field; an input of that name (or a
        // repeated one) gets a `_`, as the engine's identifiers do.
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
        let mut out = Inputs {
            params: Vec::new(),
            struct_fields: Vec::new(),
            inits: Vec::new(),
            setters: Vec::new(),
            names: Vec::new(),
            checks: Vec::new(),
            form_parts: Vec::new(),
        };
        let required = |ident: &Ident, name: &str| {
            let msg = lit(&format!("{name} was not initialized"));
            quote! {
                let #ident = #ident.ok_or_else(|| Error::InvalidRequest(#msg.to_string()))?;
            }
        };
        for (p, ident) in &params {
            out.names.push(ident.clone());
            out.struct_fields.push(quote! { #ident: Option<String> });
            out.inits.push(quote! { #ident: None });
            let d = doc_attr(p.description.as_deref());
            out.setters.push(quote! {
                #d
                pub fn #ident<V: ::std::string::ToString>(mut self, value: V) -> Self {
                    self.#ident = Some(value.to_string());
                    self
                }
            });
            if p.required {
                out.checks.push(required(ident, &p.ident));
            }
        }
        for (f, ident) in &fields {
            out.names.push(ident.clone());
            let api = lit(&f.name);
            let d = doc_attr(f.description.as_deref());
            let name = &f.ident;
            let (ty, setter, add) = match f.kind {
                FieldKind::Binary => (
                    quote! { Option<reqwest::multipart::Part> },
                    quote! {
                        #d
                        pub fn #ident(mut self, value: reqwest::multipart::Part) -> Self {
                            self.#ident = Some(value);
                            self
                        }
                    },
                    quote! { form = form.part(#api, value); },
                ),
                FieldKind::Text => (
                    quote! { Option<String> },
                    quote! {
                        #d
                        pub fn #ident<V: ::std::string::ToString>(mut self, value: V) -> Self {
                            self.#ident = Some(value.to_string());
                            self
                        }
                    },
                    quote! { form = form.text(#api, value); },
                ),
                // A value that does not serialize is an error of `send`, as
                // a parameter that does not convert is for the engine's
                // builders; it must not vanish from the form.
                FieldKind::Json => {
                    let failed = lit(&format!("conversion of {name} to JSON failed: {{}}"));
                    (
                        quote! { Result<Option<String>, String> },
                        quote! {
                            #d
                            /// Sent as JSON text.
                            pub fn #ident<V: ::serde::Serialize>(mut self, value: &V) -> Self {
                                self.#ident = ::serde_json::to_string(value)
                                    .map(Some)
                                    .map_err(|e| format!(#failed, e));
                                self
                            }
                        },
                        quote! { form = form.text(#api, value); },
                    )
                }
            };
            out.struct_fields.push(quote! { #ident: #ty });
            out.setters.push(setter);
            if f.kind == FieldKind::Json {
                out.inits.push(quote! { #ident: Ok(None) });
                out.checks
                    .push(quote! { let #ident = #ident.map_err(Error::InvalidRequest)?; });
            } else {
                out.inits.push(quote! { #ident: None });
            }
            if f.required {
                out.checks.push(required(ident, &f.ident));
                out.form_parts.push(quote! { { let value = #ident; #add } });
            } else {
                out.form_parts
                    .push(quote! { if let Some(value) = #ident { #add } });
            }
        }
        out.params = params;
        out
    }
}

/// The `format!` string and arguments of the URL: the base URL, then the
/// path template with each `{name}` replaced by the encoded value of the
/// path parameter `name`. A template that does not parse, or a name with
/// no path parameter, is an error (validation rejects both in a spec, so
/// either is a bug between the stages): never an empty URL segment.
fn url(
    m: &MultipartOperation,
    params: &[(&PlainParam, Ident)],
) -> Result<(proc_macro2::Literal, Vec<TokenStream>)> {
    let invalid = |message: String| Error::Invalid {
        location: Location::pointer(operation_pointer(&m.path, m.method)),
        message,
    };
    let template = PathTemplate::parse(&m.path).map_err(invalid)?;
    let mut format = String::from("{}");
    let mut args = Vec::new();
    for segment in &template.segments {
        match segment {
            Segment::Literal(text) => format.push_str(text),
            Segment::Parameter(name) => {
                let (_, ident) = params
                    .iter()
                    .find(|(p, _)| p.api_name == *name && p.location == ParamLocation::Path)
                    .ok_or_else(|| {
                        invalid(format!(
                            "path template parameter {{{name}}} has no path parameter to fill it"
                        ))
                    })?;
                format.push_str("{}");
                args.push(quote! { encode_path(&#ident) });
            }
        }
    }
    Ok((lit(&format), args))
}

/// The success and error types of `send`, and its `match` arms.
struct Responses {
    success_ty: TokenStream,
    error_ty: TokenStream,
    arms: Vec<TokenStream>,
}

impl Responses {
    fn of(m: &MultipartOperation) -> Self {
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
        Responses {
            success_ty,
            error_ty,
            arms,
        }
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
    let builder_items = parse_items(
        builder_tokens(m, first_trait.as_deref())?,
        "multipart builder",
    )?;
    let (sig, imp) = method_tokens(m);
    index.register(&m.operation_id, &m.builder_name);
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

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;
    use crate::Settings;
    use crate::spec::HttpMethod;

    fn upload(path: &str, params: Vec<PlainParam>) -> MultipartOperation {
        MultipartOperation {
            operation_id: "uploadLogo".into(),
            method_name: "upload_logo".into(),
            builder_name: "UploadLogo".into(),
            method: HttpMethod::Post,
            path: path.into(),
            tags: vec![],
            doc: String::new(),
            params,
            fields: vec![],
            success: vec![(Status::Code(204), ResponseBody::Empty)],
            errors: vec![],
        }
    }

    fn path_param(name: &str) -> PlainParam {
        PlainParam {
            api_name: name.into(),
            ident: crate::lower::naming::snake_ident(name),
            location: ParamLocation::Path,
            required: true,
            description: None,
        }
    }

    #[test]
    fn every_path_segment_gets_its_parameter() {
        let tokens = builder_tokens(
            &upload("/rooms/{roomId}/logo", vec![path_param("roomId")]),
            None,
        )
        .unwrap()
        .to_string();
        assert!(
            tokens.contains(
                "format ! (\"{}/rooms/{}/logo\" , client . baseurl , encode_path (& room_id))"
            ),
            "{tokens}"
        );
        // A template name without a parameter was an empty segment
        // (`/rooms//logo`); an unclosed brace was read to the end.
        let err = builder_tokens(&upload("/rooms/{roomId}/logo", vec![]), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /paths/~1rooms~1{roomId}~1logo/post: path template parameter {roomId} has no path parameter to fill it"
        );
        let err = builder_tokens(&upload("/rooms/{roomId", vec![path_param("roomId")]), None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /paths/~1rooms~1{roomId/post: unclosed '{' in path template \"/rooms/{roomId\""
        );
    }

    #[test]
    fn a_json_field_that_does_not_serialize_fails_the_send() {
        let mut m = upload("/logo", vec![]);
        m.fields.push(crate::lower::multipart::MultipartField {
            name: "meta".into(),
            ident: "meta".into(),
            required: false,
            kind: FieldKind::Json,
            description: None,
        });
        let tokens = builder_tokens(&m, None).unwrap().to_string();
        // It was `serde_json::to_string(value).ok()`: the field silently left
        // out of the form.
        assert!(!tokens.contains(". ok ()"), "{tokens}");
        assert!(
            tokens.contains("meta : Result < Option < String > , String >"),
            "{tokens}"
        );
        assert!(
            tokens.contains("let meta = meta . map_err (Error :: InvalidRequest) ? ;"),
            "{tokens}"
        );
    }

    /// One operation sent two ways: with a JSON body (the engine writes
    /// it) and as multipart (the template writes it).
    const TWINS: &str = r#"openapi: 3.1.1
info: {title: T, version: '1'}
paths:
  /rooms/{roomId}/logo:
    post:
      operationId: uploadLogo
      parameters: &params
        - {name: roomId, in: path, required: true, schema: {type: string}}
        - {name: overwrite, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data: {schema: {type: object, properties: {logo: {type: string, format: binary}}}}
      responses: &responses
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Logo'}}}}
        '404': {description: no room, content: {application/json: {schema: {$ref: '#/components/schemas/ZoomError'}}}}
  /rooms/{roomId}/name:
    post:
      operationId: renameRoom
      parameters: *params
      requestBody:
        content:
          application/json: {schema: {type: object, properties: {name: {type: string}}}}
      responses: *responses
components:
  schemas:
    Logo: {type: object, properties: {id: {type: string}}}
    ZoomError: {type: object, properties: {code: {type: integer}, message: {type: string}}}
"#;

    /// The statements of the request-sending method of the builder `name`:
    /// with a runtime crate, the `send` that `rewrite::send_errors` wraps
    /// (renamed `engine_send`).
    fn send_body(builders: &[syn::Item], name: &str) -> Vec<syn::Stmt> {
        builders
            .iter()
            .find_map(|item| match item {
                syn::Item::Impl(i)
                    if crate::emit::rewrite::type_last_ident(&i.self_ty).as_deref()
                        == Some(name) =>
                {
                    i.items.iter().find_map(|ii| match ii {
                        syn::ImplItem::Fn(f) if f.sig.ident == "engine_send" => {
                            Some(f.block.stmts.clone())
                        }
                        _ => None,
                    })
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no engine_send() of {name}"))
    }

    /// The parts of `send` the template mirrors, comparable across the two
    /// operations: the header map, the request chain's calls without the
    /// body, the hooks, and the status arms (a block with one expression
    /// read as that expression). Trailing commas in argument lists are
    /// layout, not behaviour.
    ///
    /// The arms are compared as a set: the engine orders a range before
    /// the codes inside it (`400..=499` before `404`, which makes the
    /// latter unreachable); the template lists codes first. Both decode
    /// the one error type, so the behaviour is the same.
    fn mirrored(stmts: &[syn::Stmt]) -> Vec<String> {
        let text = |t: &dyn ToTokens| {
            t.to_token_stream()
                .to_string()
                .replace(" ,)", ")")
                .replace(",)", ")")
        };
        let starts = |s: &syn::Stmt, name: &str| matches!(s, syn::Stmt::Local(l) if l.pat.to_token_stream().to_string().ends_with(name));
        let headers_at = stmts.iter().position(|s| starts(s, "header_map")).unwrap();
        let request_at = stmts.iter().position(|s| starts(s, "request")).unwrap();
        let mut out: Vec<String> = stmts[headers_at..request_at]
            .iter()
            .map(|s| text(s))
            .collect();
        // The request chain: every call but the body's, with its arguments.
        let syn::Stmt::Local(request) = &stmts[request_at] else {
            unreachable!()
        };
        let mut expr = &*request.init.as_ref().unwrap().expr;
        if let syn::Expr::Try(t) = expr {
            expr = &t.expr;
        }
        while let syn::Expr::MethodCall(call) = expr {
            if !matches!(call.method.to_string().as_str(), "json" | "multipart") {
                out.push(format!(".{}({})", call.method, text(&call.args)));
            }
            expr = &call.receiver;
        }
        out.push(text(expr));
        for stmt in &stmts[request_at + 1..] {
            match stmt {
                // `let info = OperationInfo { operation_id: "<method name>" }`
                syn::Stmt::Local(l) if starts(stmt, "info") => {
                    let init = text(&l.init.as_ref().unwrap().expr);
                    out.push(init.split('"').next().unwrap_or_default().to_string());
                }
                syn::Stmt::Expr(syn::Expr::Match(m), _) => {
                    out.push(text(&m.expr));
                    let mut arms = Vec::new();
                    for arm in &m.arms {
                        let body = match &*arm.body {
                            syn::Expr::Block(b) if b.block.stmts.len() == 1 => {
                                text(&b.block.stmts[0])
                            }
                            other => text(other),
                        };
                        arms.push(format!("{} => {body}", text(&arm.pat)));
                    }
                    arms.sort();
                    out.extend(arms);
                }
                other => out.push(text(other)),
            }
        }
        out
    }

    #[test]
    fn the_template_sends_as_the_engine_does() {
        let mut settings = Settings::new();
        settings
            .with_error_schema("ZoomError")
            .with_runtime_crate("zoom_api_runtime");
        let valid =
            crate::validate::validate(crate::spec::load(TWINS.as_bytes()).unwrap()).unwrap();
        let lowered = crate::lower::lower(&valid, None, &settings).unwrap();
        assert_eq!(lowered.multipart.len(), 1, "uploadLogo is ours");
        let emitted = crate::emit::emit(&lowered, valid.document(), &settings).unwrap();
        let builders: Vec<syn::Item> = emitted
            .sections
            .into_iter()
            .flat_map(|s| s.builders)
            .collect();
        let engine = mirrored(&send_body(&builders, "RenameRoom"));
        let template = mirrored(&send_body(&builders, "UploadLogo"));
        assert_eq!(template, engine);
    }
}
