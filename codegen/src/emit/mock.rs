//! The `mock` module (`Settings::with_mock_feature`): a fake server for
//! the user's own tests, with one method per operation that sets a typed
//! expectation of a call of it.
//!
//! What every operation's mock shares (the server, the client pointed at
//! it, matching, error answers, verification) is the runtime crate's `mock`
//! module, wrapped once here ([`common_items`]): `MockServer`, and
//! `Expect<'_, Op>`, an expectation of the operation `Op` (an uninhabited
//! marker type per operation) with the methods every operation has. Per
//! operation ([`operation_items`]) come its marker, its method on
//! `MockServer` and an `impl Expect<'_, Op>` with its own setters: one per
//! path and query parameter, `body` for a JSON request body, `respond` for
//! its success type.
//!
//! The setters are read from the final client, not predicted from the
//! spec: the parameter types are the builder struct's field types, the
//! wire name of each field is where its `engine_send` puts it (the path
//! arguments of its `format!` in template order, `QueryParam::new(name,
//! &field)`, `.json(&field)`), and the answer type is what `send()`
//! returns. So a mock takes exactly the types the call does, for the
//! engine's builders and for the multipart ones we write alike.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;

use super::areas::Gate;
use super::layout::Index;
use super::rewrite::{generic_args, is_path_ending, operation_meta, type_last_ident};
use super::{Section, lit, parse_items};
use crate::error::{Error, Result};
use crate::lower::metadata::SuccessExample;
use crate::lower::{Lowered, OperationRecord};
use crate::spec::{PathTemplate, Segment};

/// The `mock` module's items: the common part, then each section's
/// operations (by the section's tag, in section order, each item behind
/// the section's area feature), one operation's items never mixed with
/// another's.
pub(crate) struct MockModule {
    pub common: Vec<syn::Item>,
    pub by_tag: Vec<(Option<String>, Vec<syn::Item>)>,
    /// The cargo feature the module sits behind.
    pub feature: String,
}

/// Names of the methods every `Expect` has (and its private helpers): a
/// parameter setter of the same name gets `_param` appended.
const EXPECT_METHODS: [&str; 14] = [
    "new",
    "map",
    "path_param",
    "query_param",
    "json_body",
    "body",
    "respond",
    "respond_json",
    "respond_empty",
    "respond_error",
    "respond_rate_limited",
    "with_form_part",
    "times",
    "mount",
];

/// Names of `MockServer`'s own methods: an operation of the same name gets
/// `_call` appended to its mock method.
const SERVER_METHODS: [&str; 6] = [
    "start",
    "client",
    "client_with",
    "base_url",
    "verify",
    "take_unmatched_requests",
];

fn output_error(message: String) -> Error {
    Error::EngineOutput { message }
}

/// The module for `sections` (after `layout::split`).
pub(super) fn mock_module(
    lowered: &Lowered,
    sections: &[Section],
    index: &Index,
    runtime: &TokenStream,
    feature: &str,
) -> Result<MockModule> {
    let common = parse_items(common_items(runtime), "mock")?;
    let client_methods: BTreeSet<&str> = lowered
        .operations
        .iter()
        .map(|op| op.method_name.as_str())
        .collect();
    let mut by_tag = Vec::new();
    for section in sections {
        let mut items = Vec::new();
        for id in &section.operations {
            let (row, op) = lowered
                .operations
                .iter()
                .enumerate()
                .find(|(_, op)| op.operation_id == *id)
                .ok_or_else(|| output_error(format!("no record of operation {id:?}")))?;
            let builder = index
                .builder_of(id)
                .ok_or_else(|| output_error(format!("no builder of operation {id:?}")))?;
            let call = Call::read(&section.builders, builder, op)?;
            let method = mock_method_name(&op.method_name, &client_methods);
            let mut own = parse_items(
                operation_items(op, &method, row, builder, &call, runtime),
                "mock",
            )?;
            let gate = Gate::of(section.feature.as_deref());
            for item in &mut own {
                gate.apply(item);
            }
            items.extend(own);
        }
        by_tag.push((section.tag.clone(), items));
    }
    Ok(MockModule {
        common,
        by_tag,
        feature: feature.to_string(),
    })
}

/// One parameter of a call: its wire name, where it goes, its setter and
/// its Rust type (the builder's, without `Result`/`Option`).
struct Param {
    api_name: String,
    in_path: bool,
    ident: syn::Ident,
    ty: syn::Type,
}

/// What a mock needs of one operation's builder.
struct Call {
    params: Vec<Param>,
    /// The JSON request body's type.
    body: Option<syn::Type>,
    /// What `send()` returns in its `ResponseValue` (`None` for `()`).
    answer: Option<syn::Type>,
}

impl Call {
    fn read(builders: &[syn::Item], builder: &str, op: &OperationRecord) -> Result<Self> {
        let missing = |what: &str| {
            output_error(format!(
                "builder::{builder} of {:?}: {what}",
                op.operation_id
            ))
        };
        let fields: Vec<(syn::Ident, syn::Type)> = builders
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == builder => Some(
                    s.fields
                        .iter()
                        .filter_map(|f| Some((f.ident.clone()?, f.ty.clone())))
                        .filter(|(ident, _)| ident != "client")
                        .collect(),
                ),
                _ => None,
            })
            .ok_or_else(|| missing("no struct"))?;
        let methods: Vec<&syn::ImplItemFn> = builders
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) if type_last_ident(&i.self_ty).as_deref() == Some(builder) => {
                    Some(i)
                }
                _ => None,
            })
            .flat_map(|i| &i.items)
            .filter_map(|ii| match ii {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .collect();
        let method = |name: &str| methods.iter().copied().find(|f| f.sig.ident == name);
        let send = method("send").ok_or_else(|| missing("no send()"))?;
        let sender = method("engine_send").unwrap_or(send);
        let answer = answer_type(&send.sig)
            .ok_or_else(|| missing("send() returns no `Result<ResponseValue<T>, _>`"))?;

        let mut wire = WireNames::default();
        wire.visit_block_mut(&mut sender.block.clone());
        let field_names: BTreeSet<String> = fields.iter().map(|(i, _)| i.to_string()).collect();
        let path_names: Vec<String> = PathTemplate::parse(&op.path)
            .map_err(|e| missing(&e))?
            .segments
            .into_iter()
            .filter_map(|s| match s {
                Segment::Parameter(name) => Some(name),
                Segment::Literal(_) => None,
            })
            .collect();
        let path_fields: Vec<String> = wire
            .url_args
            .iter()
            .map(|arg| first_ident_of(arg, &field_names))
            .collect::<Option<_>>()
            .ok_or_else(|| missing("a path argument of its URL names no field"))?;
        if path_fields.len() != path_names.len() {
            return Err(missing("its URL and its path template differ"));
        }
        let type_of = |name: &str| {
            fields
                .iter()
                .find(|(i, _)| i == name)
                .map(|(_, ty)| plain_type(ty))
        };
        let mut params = Vec::new();
        let mut setters = BTreeSet::new();
        let located = path_names
            .iter()
            .zip(&path_fields)
            .map(|(api, field)| (api.clone(), true, field.clone()))
            .chain(
                wire.query
                    .iter()
                    .map(|(api, f)| (api.clone(), false, f.clone())),
            );
        for (api_name, in_path, field) in located {
            let ty = type_of(&field).ok_or_else(|| missing(&format!("no field `{field}`")))?;
            let mut name = field.trim_start_matches("r#").to_string();
            while EXPECT_METHODS.contains(&name.as_str()) || setters.contains(&name) {
                name.push_str("_param");
            }
            setters.insert(name.clone());
            params.push(Param {
                api_name,
                in_path,
                ident: syn::parse_str(&name).unwrap_or_else(|_| format_ident!("r#{}", name)),
                ty,
            });
        }
        let body = match &wire.json {
            Some(field) => Some(type_of(field).ok_or_else(|| missing("no body field"))?),
            None => None,
        };
        Ok(Call {
            params,
            body,
            answer,
        })
    }
}

/// `T` of `-> Result<ResponseValue<T>, E>`; `Some(None)` for `()`.
fn answer_type(sig: &syn::Signature) -> Option<Option<syn::Type>> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let value = generic_args(ty)?.into_iter().next()?;
    if type_last_ident(&value).as_deref() != Some("ResponseValue") {
        return None;
    }
    let answer = generic_args(&value)?.into_iter().next()?;
    Some(match &answer {
        syn::Type::Tuple(t) if t.elems.is_empty() => None,
        // A body that is not JSON (the engine's raw byte stream): no typed
        // answer; `respond_json`/`respond_empty` remain.
        _ if type_last_ident(&answer).as_deref() == Some("ByteStream") => None,
        _ => Some(answer),
    })
}

/// A builder field's type without its `Result<_, String>` (the engine's
/// builders) and `Option<_>` (optional parameters, and every field of ours).
fn plain_type(ty: &syn::Type) -> syn::Type {
    let mut ty = ty.clone();
    for wrapper in ["Result", "Option"] {
        if type_last_ident(&ty).as_deref() == Some(wrapper)
            && let Some(inner) = generic_args(&ty).and_then(|a| a.into_iter().next())
        {
            ty = inner;
        }
    }
    ty
}

/// The first identifier in `expr` that is a field of the builder.
fn first_ident_of(expr: &syn::Expr, fields: &BTreeSet<String>) -> Option<String> {
    fn walk(tokens: TokenStream, fields: &BTreeSet<String>) -> Option<String> {
        tokens.into_iter().find_map(|tree| match tree {
            proc_macro2::TokenTree::Ident(i) if fields.contains(&i.to_string()) => {
                Some(i.to_string())
            }
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), fields),
            _ => None,
        })
    }
    walk(expr.to_token_stream(), fields)
}

/// Where `engine_send` puts each field: the arguments after the base URL
/// of `let url = format!(..)`, `QueryParam::new("name", &field)`, and
/// `.json(&field)`.
#[derive(Default)]
struct WireNames {
    url_args: Vec<syn::Expr>,
    query: Vec<(String, String)>,
    json: Option<String>,
}

/// `field` of `&field`.
fn referenced_ident(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Reference(r) => match &*r.expr {
            syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
            _ => None,
        },
        _ => None,
    }
}

impl VisitMut for WireNames {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let syn::Pat::Ident(p) = &local.pat
            && p.ident == "url"
            && let Some(init) = &local.init
            && let syn::Expr::Macro(m) = &*init.expr
            && m.mac.path.is_ident("format")
            && let Ok(args) = m.mac.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            )
        {
            // The format string, then the base URL, then one per segment.
            self.url_args = args.into_iter().skip(2).collect();
        }
        syn::visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if is_path_ending(&call.func, &["QueryParam", "new"])
            && call.args.len() == 2
            && let Some(syn::Expr::Lit(name)) = call.args.first()
            && let syn::Lit::Str(name) = &name.lit
            && let Some(field) = call.args.iter().nth(1).and_then(referenced_ident)
        {
            self.query.push((name.value(), field));
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "json"
            && call.args.len() == 1
            && let Some(field) = call.args.first().and_then(referenced_ident)
        {
            self.json = Some(field);
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// The marker, the `MockServer` method and the `Expect` impl of one
/// operation.
/// The client's method name, unless `MockServer` has a method of that name:
/// then with `_call` appended (as often as it takes to be free of the
/// others too).
fn mock_method_name(client_method: &str, client_methods: &BTreeSet<&str>) -> String {
    let mut name = client_method.to_string();
    if SERVER_METHODS.contains(&name.as_str()) {
        name.push_str("_call");
        while SERVER_METHODS.contains(&name.as_str()) || client_methods.contains(name.as_str()) {
            name.push_str("_call");
        }
    }
    name
}

fn operation_items(
    op: &OperationRecord,
    method_name: &str,
    row: usize,
    builder: &str,
    call: &Call,
    runtime: &TokenStream,
) -> TokenStream {
    let marker = format_ident!("{}Op", builder);
    let method = format_ident!("{}", method_name);
    let meta = operation_meta(row);
    let id = &op.operation_id;
    let line = format!("`{id}`: `{} {}`", op.method.as_upper(), op.path);
    let marker_doc = lit(&format!(
        "The operation {line}, as the type parameter of its [`Expect`]s (never a value)."
    ));
    let (status, example) = match op.modeled_success() {
        Some((status, example)) => (status, example.clone()),
        None => (200, SuccessExample::NoBody),
    };
    let (default, default_doc) = match &example {
        SuccessExample::NoBody => (
            quote! { #runtime::mock::SpecAnswer::Empty { status: #status } },
            format!("By default it is answered `{status}` with no body."),
        ),
        SuccessExample::Json(value) => {
            let json = lit(&value.to_string());
            let doc = if op.paginated && value.get("next_page_token").is_some() {
                format!(
                    "By default it is answered `{status}` with the spec's example as the last page (its `next_page_token` emptied, so a stream ends after it)."
                )
            } else {
                format!("By default it is answered `{status}` with the spec's example.")
            };
            (
                quote! { #runtime::mock::SpecAnswer::Example { status: #status, json: #json } },
                doc,
            )
        }
        SuccessExample::Missing => (
            quote! { #runtime::mock::SpecAnswer::NoExample { status: #status } },
            format!(
                "The spec has no JSON example of its `{status}` response: give the answer (`respond`, `respond_error`, ...), or mounting panics."
            ),
        ),
    };
    let method_doc = lit(&format!(
        "Expects a call of {line}, matching the parameters and body the setters of [`Expect<{marker}>`](Expect) choose (all calls when none). {default_doc}"
    ));
    let setters = call.params.iter().map(|p| {
        let Param {
            api_name,
            in_path,
            ident,
            ty,
        } = p;
        let place = if *in_path { "path" } else { "query" };
        let doc = lit(&format!(
            "Only a call whose `{api_name}` {place} parameter is `value`."
        ));
        let name = lit(api_name);
        let add = if *in_path {
            quote! { path_param }
        } else {
            quote! { query_param }
        };
        quote! {
            #[doc = #doc]
            pub fn #ident(self, value: impl Into<#ty>) -> Self {
                self.#add(#name, Into::<#ty>::into(value))
            }
        }
    });
    let body = call.body.as_ref().map(|ty| {
        quote! {
            /// Only a call whose JSON body is `value` (compared as JSON).
            pub fn body(self, value: impl Into<#ty>) -> Self {
                self.json_body(Into::<#ty>::into(value))
            }
        }
    });
    let respond = call.answer.as_ref().map(|ty| {
        let doc = lit(&format!("Answer `{status}` with `value`."));
        quote! {
            #[doc = #doc]
            pub fn respond(self, value: impl Into<#ty>) -> Self {
                self.respond_json(#status, &Into::<#ty>::into(value))
            }
        }
    });
    let own = quote! { #(#setters)* #body #respond };
    let expect_impl = if own.is_empty() {
        quote! {}
    } else {
        quote! { impl<'a> Expect<'a, #marker> { #own } }
    };
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug)]
        pub enum #marker {}

        impl MockServer {
            #[doc = #method_doc]
            pub fn #method(&self) -> Expect<'_, #marker> {
                Expect::new(self, #meta, #default)
            }
        }

        #expect_impl
    }
}

/// The server, the client pointed at it, and what every expectation has.
fn common_items(runtime: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use super::types;

        /// A fake Zoom on `127.0.0.1` for your tests: start it, get a
        /// [`Client`](super::Client) pointed at it, set what each call
        /// expects and answers (one method per operation, named as the
        /// client's), run your code, and let the server check on drop (or
        /// [`verify`](MockServer::verify)) that every expected call came.
        ///
        /// The client has a static bearer token, no retries, no throttle
        /// and a 5 s timeout. A request no expectation matches is answered
        /// `404` with a message naming it, and makes `verify` and the drop
        /// panic too ([`take_unmatched_requests`](MockServer::take_unmatched_requests)
        /// takes them).
        #[derive(Debug)]
        pub struct MockServer {
            inner: #runtime::mock::MockServer,
        }

        impl MockServer {
            /// Starts a server on `127.0.0.1` with a free port.
            pub async fn start() -> Self {
                Self { inner: #runtime::mock::MockServer::start().await }
            }

            /// A client of this server.
            pub fn client(&self) -> super::Client {
                self.client_with(|_| {})
            }

            /// A client of this server with other runtime settings
            /// (`configure` starts from this server's defaults).
            pub fn client_with(&self, configure: impl FnOnce(&mut #runtime::RuntimeBuilder)) -> super::Client {
                let mut builder = self.inner.runtime_builder();
                configure(&mut builder);
                match builder.build() {
                    Ok(runtime) => super::Client::new(&self.inner.base_url(), runtime),
                    Err(e) => panic!("mock client: {e}"),
                }
            }

            /// The API base URL: `http://127.0.0.1:{port}/v2`.
            pub fn base_url(&self) -> String {
                self.inner.base_url()
            }

            /// Panics, listing them, when an expected call did not come or a
            /// request matched no expectation (dropping the server checks
            /// the same).
            pub async fn verify(&self) {
                self.inner.verify().await
            }

            /// The requests no expectation matched so far, one line each
            /// (method, path, query, body); they are then no longer reported.
            pub fn take_unmatched_requests(&self) -> Vec<String> {
                self.inner.take_unmatched_requests()
            }
        }

        /// An expected call of the operation `Op`: narrow it with the
        /// operation's setters (its path and query parameters, `body`),
        /// choose the answer (`respond` with its success type, or a Zoom
        /// error), and [`mount`](Expect::mount) it.
        ///
        /// Without [`times`](Expect::times) it must be called at least once
        /// and answers every matching call; with `times(n)` exactly `n`
        /// times, and it answers at most `n` (the next matching
        /// expectation, mounted after it, answers the calls after them: a
        /// list page by page).
        #[must_use = "an expectation does nothing until `.mount().await`"]
        #[derive(Debug)]
        pub struct Expect<'a, Op> {
            inner: #runtime::mock::Expectation<'a>,
            operation: ::std::marker::PhantomData<fn() -> Op>,
        }

        impl<'a, Op> Expect<'a, Op> {
            #[allow(dead_code)]
            fn new(
                server: &'a MockServer,
                operation: &'static #runtime::OperationMeta,
                default: #runtime::mock::SpecAnswer,
            ) -> Self {
                Self {
                    inner: server.inner.expect(operation, default),
                    operation: ::std::marker::PhantomData,
                }
            }

            fn map(self, f: impl FnOnce(#runtime::mock::Expectation<'a>) -> #runtime::mock::Expectation<'a>) -> Self {
                Self { inner: f(self.inner), operation: self.operation }
            }

            #[allow(dead_code)]
            fn path_param(self, name: &'static str, value: impl ::serde::Serialize) -> Self {
                self.map(|e| e.path_param(name, &value))
            }

            #[allow(dead_code)]
            fn query_param(self, name: &'static str, value: impl ::serde::Serialize) -> Self {
                self.map(|e| e.query_param(name, &value))
            }

            #[allow(dead_code)]
            fn json_body(self, value: impl ::serde::Serialize) -> Self {
                self.map(|e| e.json_body(&value))
            }

            /// Answer with a Zoom error: `status` and
            /// `{"code": code, "message": message}`.
            pub fn respond_error(self, status: u16, code: i64, message: &str) -> Self {
                self.map(|e| e.respond_error(status, code, message))
            }

            /// Answer `429` with `Retry-After` (whole seconds, rounded up) and
            /// Zoom's rate-limit error.
            pub fn respond_rate_limited(self, retry_after: ::std::time::Duration) -> Self {
                self.map(|e| e.respond_rate_limited(retry_after))
            }

            /// Answer `status` with any JSON body (a status or body the spec
            /// does not document).
            pub fn respond_json(self, status: u16, value: &impl ::serde::Serialize) -> Self {
                self.map(|e| e.respond_json(status, value))
            }

            /// Answer `status` with no body.
            pub fn respond_empty(self, status: u16) -> Self {
                self.map(|e| e.respond_empty(status))
            }

            /// Only a `multipart/form-data` call whose form has a part `name`.
            pub fn with_form_part(self, name: &str) -> Self {
                self.map(|e| e.form_part(name))
            }

            /// Expect exactly `n` calls, and answer at most `n`.
            pub fn times(self, n: u64) -> Self {
                self.map(|e| e.times(n))
            }

            /// Mounts the expectation. Panics when the answer is left to the
            /// spec's example and the spec has none.
            pub async fn mount(self) {
                self.inner.mount().await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mock_method_named_like_the_servers_own_gets_call_appended() {
        let ops = BTreeSet::from(["verify", "verify_call", "list_roles"]);
        let cases = [
            ("list_roles", "list_roles"),
            ("verify", "verify_call_call"),
            ("verify_call", "verify_call"),
            ("client", "client_call"),
        ];
        for (client, mock) in cases {
            assert_eq!(mock_method_name(client, &ops), mock, "{client}");
        }
    }

    #[test]
    fn a_builder_field_type_loses_result_and_option() {
        let cases: [(syn::Type, syn::Type); 4] = [
            (
                syn::parse_quote!(Result<::std::string::String, String>),
                syn::parse_quote!(::std::string::String),
            ),
            (
                syn::parse_quote!(Result<Option<i64>, String>),
                syn::parse_quote!(i64),
            ),
            (syn::parse_quote!(Option<String>), syn::parse_quote!(String)),
            (
                syn::parse_quote!(types::Item),
                syn::parse_quote!(types::Item),
            ),
        ];
        for (field, want) in cases {
            assert_eq!(
                plain_type(&field).to_token_stream().to_string(),
                want.to_token_stream().to_string()
            );
        }
    }
}
