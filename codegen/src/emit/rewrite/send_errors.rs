//! One error type out of every generated method: the runtime's.
//!
//! progenitor fixes the signature of each builder's `send()` (its error is
//! `progenitor_client::Error<E>`, whose variants a user would have to dig
//! through) and offers no setting or hook to change it. With a runtime
//! crate, three structural edits give every method the runtime's `Error`
//! instead, without copying the engine's request code:
//!
//! 1. **`send` wraps the engine's.** In each operation's builder impl the
//!    engine's `send` is renamed `engine_send` and made private, and a
//!    `pub async fn send(self) -> Result<ResponseValue<T>, runtime::Error>`
//!    beside it maps the error with `runtime::Error::from_progenitor(error,
//!    &super::metadata::OPERATIONS[i])`, `i` being the operation's row in
//!    the metadata table (both come from the same sorted list of
//!    operations). Multipart builders (our own template) and the page
//!    streams (which page through `send`) are covered the same way.
//! 2. **2xx bodies decode through the runtime.** Every
//!    `ResponseValue::from_response(response)` call in a builder becomes
//!    `runtime::decode_response(response)`: same signature, but a body that
//!    does not decode keeps the answer's status, tracking id and attempts,
//!    which progenitor's drops.
//! 3. **`Error` names the runtime's error.** The root's
//!    `pub use progenitor_client::{.., Error, ..}` re-exports the runtime's
//!    `Error` instead, and the builder modules, whose engine code still
//!    builds progenitor's error, import that one by its own path.

use proc_macro2::TokenStream;
use quote::format_ident;
use syn::visit_mut::VisitMut;

use super::{generic_args, is_path_ending, module_items, operation_meta, type_last_ident};
use crate::emit::layout::Index;
use crate::error::{Error, Result};
use crate::lower::Lowered;

/// What the engine's `send` is renamed to.
const ENGINE_SEND: &str = "engine_send";

/// Applies the three edits of the module docs. Every operation's builder
/// must have a `send` of the engine's shape: a method left returning
/// progenitor's error would break the promise of one error type, so one
/// that does not fit is an error, not a skip.
pub(in crate::emit) fn runtime_errors(
    file: &mut syn::File,
    lowered: &Lowered,
    index: &Index,
    runtime: &TokenStream,
) -> Result<()> {
    reexport_runtime_error(file, runtime)?;
    let Some(builders) = module_items(file, "builder") else {
        return Err(engine_output("no `builder` module"));
    };
    import_engine_error(builders)?;
    for (row, op) in lowered.operations.iter().enumerate() {
        let Some(builder) = index.builder_of(&op.operation_id) else {
            return Err(engine_output(format!(
                "no builder for operation {}",
                op.operation_id
            )));
        };
        wrap_send(builders, builder, row, runtime)?;
    }
    decode_through_runtime(builders, runtime);
    Ok(())
}

fn engine_output(message: impl Into<String>) -> Error {
    Error::EngineOutput {
        message: format!("wrapping send() in the runtime's error: {}", message.into()),
    }
}

/// Edit 1 for the builder `builder`, whose operation is row `row` of the
/// metadata table.
fn wrap_send(
    builders: &mut [syn::Item],
    builder: &str,
    row: usize,
    runtime: &TokenStream,
) -> Result<()> {
    let send = builders.iter_mut().find_map(|item| match item {
        syn::Item::Impl(i)
            if i.trait_.is_none() && type_last_ident(&i.self_ty).as_deref() == Some(builder) =>
        {
            let at = i
                .items
                .iter()
                .position(|f| matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "send"))?;
            Some((i, at))
        }
        _ => None,
    });
    let Some((imp, at)) = send else {
        return Err(engine_output(format!("builder::{builder} has no send()")));
    };
    let syn::ImplItem::Fn(engine) = &mut imp.items[at] else {
        return Err(engine_output(format!(
            "builder::{builder}::send is not a method"
        )));
    };
    let success = success_type(&engine.sig).ok_or_else(|| {
        engine_output(format!(
            "builder::{builder}::send does not return Result<ResponseValue<T>, Error<E>>"
        ))
    })?;
    let docs: Vec<syn::Attribute> = engine
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .cloned()
        .collect();
    engine.attrs.retain(|a| !a.path().is_ident("doc"));
    engine.sig.ident = format_ident!("{ENGINE_SEND}");
    engine.vis = syn::Visibility::Inherited;
    let engine_send = format_ident!("{ENGINE_SEND}");
    let operation = operation_meta(row);
    let wrapper: syn::ImplItemFn = syn::parse_quote! {
        #(#docs)*
        ///
        /// Fails with [`Error`](super::Error): Zoom's answer (status, code, message,
        /// documented meaning) or what went wrong instead.
        pub async fn send(self) -> Result<#success, #runtime::Error> {
            self.#engine_send()
                .await
                .map_err(|error| #runtime::Error::from_progenitor(error, #operation))
        }
    };
    imp.items.insert(at, syn::ImplItem::Fn(wrapper));
    Ok(())
}

/// `ResponseValue<T>` of `fn send(self) -> Result<ResponseValue<T>, Error<E>>`.
fn success_type(sig: &syn::Signature) -> Option<syn::Type> {
    sig.asyncness?;
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    if type_last_ident(ty).as_deref() != Some("Result") {
        return None;
    }
    let mut args = generic_args(ty)?.into_iter();
    let success = args.next()?;
    let error = args.next()?;
    let fits = type_last_ident(&success).as_deref() == Some("ResponseValue")
        && type_last_ident(&error).as_deref() == Some("Error");
    fits.then_some(success)
}

/// Edit 2, in every impl of the `builder` module.
fn decode_through_runtime(builders: &mut [syn::Item], runtime: &TokenStream) {
    let mut decode = DecodeThroughRuntime {
        decode: syn::parse_quote!(#runtime::decode_response),
    };
    for item in builders.iter_mut() {
        if let syn::Item::Impl(i) = item {
            decode.visit_item_impl_mut(i);
        }
    }
}

/// `ResponseValue::from_response(..)` -> `decode(..)`.
struct DecodeThroughRuntime {
    decode: syn::Expr,
}

impl VisitMut for DecodeThroughRuntime {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if is_path_ending(&call.func, &["ResponseValue", "from_response"]) {
            *call.func = self.decode.clone();
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

/// Edit 3, at the root: `Error` in the engine's
/// `pub use progenitor_client::{..}` becomes a re-export of the runtime's.
fn reexport_runtime_error(file: &mut syn::File, runtime: &TokenStream) -> Result<()> {
    let at = file
        .items
        .iter_mut()
        .position(|item| match item {
            syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
                remove_group_leaf(&mut u.tree, "progenitor_client", "Error")
            }
            _ => false,
        })
        .ok_or_else(|| {
            engine_output("no `pub use progenitor_client::{.., Error, ..}` at the root")
        })?;
    let doc = " The error of every generated method (see the runtime crate).";
    file.items.insert(
        at + 1,
        syn::parse_quote! {
            #[doc = #doc]
            pub use #runtime::Error;
        },
    );
    Ok(())
}

/// Edit 3, in the `builder` module: `Error` from `use super::{..}` (now the
/// runtime's) is replaced by an import of progenitor's, which the engine's
/// code builds.
fn import_engine_error(builders: &mut Vec<syn::Item>) -> Result<()> {
    let at = builders
        .iter_mut()
        .position(|item| match item {
            syn::Item::Use(u) => remove_group_leaf(&mut u.tree, "super", "Error"),
            _ => false,
        })
        .ok_or_else(|| engine_output("the `builder` module imports no `super::Error`"))?;
    builders.insert(
        at + 1,
        syn::parse_quote! {
            #[allow(unused_imports)]
            use progenitor_client::Error;
        },
    );
    Ok(())
}

/// Removes `leaf` from a `use root::{.., leaf, ..}` tree; whether it was
/// there.
fn remove_group_leaf(tree: &mut syn::UseTree, root: &str, leaf: &str) -> bool {
    let syn::UseTree::Path(path) = tree else {
        return false;
    };
    if path.ident != root {
        return false;
    }
    let syn::UseTree::Group(group) = &mut *path.tree else {
        return false;
    };
    let before = group.items.len();
    group.items = std::mem::take(&mut group.items)
        .into_iter()
        .filter(|t| !matches!(t, syn::UseTree::Name(n) if n.ident == leaf))
        .collect();
    group.items.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn runtime() -> TokenStream {
        quote!(::rt)
    }

    /// A method as text, to compare (syn's types have no `PartialEq` here).
    fn unparse_fn(f: syn::ImplItemFn) -> String {
        prettyplease::unparse(&syn::parse_quote!(impl X { #f }))
    }

    fn one_builder_file() -> syn::File {
        syn::parse_quote! {
            #[allow(unused_imports)]
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            pub mod builder {
                #[allow(unused_imports)]
                use super::{encode_path, ClientHooks, Error, OperationInfo, ResponseValue};
                pub struct GetThing<'a> { client: &'a super::Client }
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self { Self { client } }
                    ///Sends a `GET` request to `/things`
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ZoomError>> {
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn send_wraps_the_engines_and_names_its_row() {
        let mut file = one_builder_file();
        let builders = module_items(&mut file, "builder").unwrap();
        wrap_send(builders, "GetThing", 3, &runtime()).unwrap();
        let syn::Item::Impl(imp) = &builders[2] else {
            panic!()
        };
        let fns: Vec<(String, bool)> = imp
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some((
                    f.sig.ident.to_string(),
                    matches!(f.vis, syn::Visibility::Public(_)),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            fns,
            [
                ("new".into(), true),
                ("send".into(), true),
                ("engine_send".into(), false)
            ]
        );
        let syn::ImplItem::Fn(send) = &imp.items[1] else {
            panic!()
        };
        let expected: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, ::rt::Error> {
                self.engine_send()
                    .await
                    .map_err(|error| ::rt::Error::from_progenitor(error, &super::metadata::OPERATIONS[3]))
            }
        };
        let mut shown = send.clone();
        shown.attrs.clear();
        assert_eq!(unparse_fn(shown), unparse_fn(expected));
        assert!(
            send.attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .count()
                > 1
        );
    }

    #[test]
    fn decoding_and_imports_are_rewritten_structurally() {
        let mut file = one_builder_file();
        reexport_runtime_error(&mut file, &runtime()).unwrap();
        let builders = module_items(&mut file, "builder").unwrap();
        import_engine_error(builders).unwrap();
        decode_through_runtime(builders, &runtime());
        let expected: syn::File = syn::parse_quote! {
            #[allow(unused_imports)]
            pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
            #[doc = " The error of every generated method (see the runtime crate)."]
            pub use ::rt::Error;
            pub mod builder {
                #[allow(unused_imports)]
                use super::{encode_path, ClientHooks, OperationInfo, ResponseValue};
                #[allow(unused_imports)]
                use progenitor_client::Error;
                pub struct GetThing<'a> { client: &'a super::Client }
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self { Self { client } }
                    ///Sends a `GET` request to `/things`
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::ZoomError>> {
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ::rt::decode_response(response).await,
                            404u16 => Err(Error::ErrorResponse(::rt::decode_response(response).await?)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        assert_eq!(
            prettyplease::unparse(&file),
            prettyplease::unparse(&expected)
        );
    }

    #[test]
    fn a_send_of_another_shape_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub fn send(self) -> u32 { 0 }
                }
            }
        };
        let builders = module_items(&mut file, "builder").unwrap();
        let error = wrap_send(builders, "GetThing", 0, &runtime()).unwrap_err();
        assert!(
            error.to_string().contains("GetThing::send does not return"),
            "{error}"
        );
        let error = wrap_send(builders, "Other", 0, &runtime()).unwrap_err();
        assert!(
            error.to_string().contains("builder::Other has no send()"),
            "{error}"
        );
    }
}
