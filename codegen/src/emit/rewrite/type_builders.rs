//! typify's struct builders, dropped.
//!
//! With builder-style operations typify writes a builder for every struct
//! (`types::builder::X` and `X::builder()`), yet the operation builders use
//! them only to hold a request body. Those builders were 40% of the
//! generated lines and compile time. progenitor turns them on with its
//! builder interface (`InterfaceStyle::Builder` sets typify's
//! `with_struct_builder`), with no setting to keep one without the other,
//! so they are removed here. The operation builders now hold the body type
//! itself: set it with `.body(value)`, where the body is built as every
//! struct is (`Body::default()` or `Body::new(required..)`, then `with_*`
//! setters; see [`records`](super::records)). A body without `Default`
//! must be set before `send`, as a required parameter must.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::VisitMut;

use super::{
    derived_traits, generic_args, is_path_ending, module_items, path_idents, type_last_ident,
};

/// Removes typify's builders and makes the operation builders hold the body
/// type; see the module docs.
pub(in crate::emit) fn drop_type_builders(file: &mut syn::File) {
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
                syn::Item::Struct(s) => s
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
                    .and_then(|f| type_builder_of(&f.ty))
                    .map(|body| (s.ident.to_string(), body)),
                _ => None,
            })
            .collect();
        let mut rewrite = BodyWithoutTypeBuilder {
            with_default: &with_default,
            body_types: &body_types,
            current_body: None,
        };
        for item in builders.iter_mut() {
            rewrite.visit_item_mut(item);
        }
    }
}

fn derives_default(attrs: &[syn::Attribute]) -> bool {
    derived_traits(attrs).iter().any(|t| t == "Default")
}

/// `X` of a body field typed `Result<types::builder::X, String>`.
fn type_builder_of(ty: &syn::Type) -> Option<String> {
    if type_last_ident(ty).as_deref() != Some("Result") {
        return None;
    }
    let ok = generic_args(ty)?.into_iter().next()?;
    let syn::Type::Path(p) = ok else {
        return None;
    };
    match path_idents(&p.path).as_slice() {
        [types, builder, name] if types == "types" && builder == "builder" => Some(name.clone()),
        _ => None,
    }
}

/// Whether `expr` is a call of a path ending in `suffix` (`Ok(..)`,
/// `::std::default::Default::default()`), with its arguments.
fn call_of<'e>(
    expr: &'e syn::Expr,
    suffix: &[&str],
) -> Option<&'e syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>> {
    match expr {
        syn::Expr::Call(call) if is_path_ending(&call.func, suffix) => Some(&call.args),
        _ => None,
    }
}

/// The operation-builder rewrite of [`drop_type_builders`].
struct BodyWithoutTypeBuilder<'a> {
    with_default: &'a BTreeSet<String>,
    body_types: &'a BTreeMap<String, String>,
    /// Body type of the builder whose impl is being visited.
    current_body: Option<String>,
}

impl VisitMut for BodyWithoutTypeBuilder<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        // types::builder::X -> types::X
        let names = path_idents(path);
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
        self.current_body =
            type_last_ident(&i.self_ty).and_then(|b| self.body_types.get(&b).cloned());
        syn::visit_mut::visit_item_impl_mut(self, i);
        self.current_body = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        let only_arg = (call.args.len() == 1).then(|| &call.args[0]);
        let unwrap = match call.method.to_string().as_str() {
            // value.try_into().map(From::from): builder from value -> value
            "map" => only_arg.is_some_and(|a| is_path_ending(a, &["From", "from"])),
            // body.and_then(|v| types::X::try_from(v).map_err(..)): builder -> value
            "and_then" => {
                is_path_ending(&call.receiver, &["body"])
                    && only_arg.is_some_and(converts_with_try_from)
            }
            _ => false,
        };
        if unwrap {
            *expr = (*call.receiver).clone();
        }
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        syn::visit_mut::visit_field_value_mut(self, fv);
        // `body: Ok(::std::default::Default::default())` in `new()` needs a
        // Default body; without one the body must be set, as a required
        // parameter must.
        let is_body = matches!(&fv.member, syn::Member::Named(i) if i == "body");
        let defaulted = call_of(&fv.expr, &["Ok"]).is_some_and(|args| {
            args.len() == 1 && call_of(&args[0], &["Default", "default"]).is_some()
        });
        if is_body
            && defaulted
            && self
                .current_body
                .as_ref()
                .is_some_and(|b| !self.with_default.contains(b))
        {
            fv.expr = syn::parse_quote! { Err("body was not initialized".to_string()) };
        }
    }
}

/// `|v| X::try_from(v).map_err(..)`: a closure whose body, through the
/// method calls on it, calls a `try_from`.
fn converts_with_try_from(expr: &syn::Expr) -> bool {
    let syn::Expr::Closure(closure) = expr else {
        return false;
    };
    let mut body = &*closure.body;
    loop {
        match body {
            syn::Expr::MethodCall(call) => body = &call.receiver,
            syn::Expr::Call(call) => return is_path_ending(&call.func, &["try_from"]),
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn engine_like_file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, Default)]
                pub struct Open { pub a: Option<String> }
                #[derive(Clone, Debug)]
                pub struct Closed { pub a: String }
                impl Open { pub fn builder() -> builder::Open { Default::default() } }
                pub mod builder { pub struct Open; pub struct Closed; }
            }
            pub mod builder {
                pub struct MakeOpen<'a> { client: &'a super::Client, body: Result<types::builder::Open, String> }
                impl<'a> MakeOpen<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client, body: Ok(::std::default::Default::default()) }
                    }
                    pub fn body<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Open> {
                        self.body = value.try_into().map(From::from).map_err(|s| format!("{}", s));
                        self
                    }
                    pub fn body_map<F>(mut self, f: F) -> Self { self }
                    pub async fn send(self) {
                        let Self { client, body } = self;
                        let body = body.and_then(|v| types::Open::try_from(v).map_err(|e| e.to_string())).map_err(Error::InvalidRequest)?;
                    }
                }
                pub struct MakeClosed<'a> { client: &'a super::Client, body: Result<types::builder::Closed, String> }
                impl<'a> MakeClosed<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client, body: Ok(::std::default::Default::default()) }
                    }
                }
            }
        }
    }

    #[test]
    fn builders_hold_the_body_type() {
        let mut file = engine_like_file();
        drop_type_builders(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("builder :: Open"), "{text}");
        assert!(!text.contains("body_map"), "{text}");
        assert!(!text.contains("try_from"), "{text}");
        assert!(!text.contains("From :: from"), "{text}");
        assert!(
            text.contains("body : Result < types :: Open , String >"),
            "{text}"
        );
        // A body without Default must be set; one with Default starts empty.
        assert!(
            text.contains("body : Ok (:: std :: default :: Default :: default ())"),
            "{text}"
        );
        assert!(
            text.contains("body : Err (\"body was not initialized\" . to_string ())"),
            "{text}"
        );
        assert!(!text.contains("fn builder"), "{text}");
    }

    #[test]
    fn a_body_field_of_another_shape_is_left_alone() {
        // No `types::builder::X` (a raw body): nothing to unwrap, and no
        // index arithmetic on tokens to underflow.
        let ty: syn::Type = syn::parse_quote!(Result<reqwest::Body, String>);
        assert_eq!(type_builder_of(&ty), None);
        let ty: syn::Type = syn::parse_quote!(builder);
        assert_eq!(type_builder_of(&ty), None);
        let ty: syn::Type = syn::parse_quote!(Result<types::builder::X, String>);
        assert_eq!(type_builder_of(&ty).as_deref(), Some("X"));
    }
}
