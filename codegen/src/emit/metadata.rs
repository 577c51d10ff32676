//! The generated `metadata` module: every operation's [`OperationRecord`]
//! as a static table of `zoom_api_meta::OperationMeta` (the runtime's
//! throttle and errors read it; applications read the scopes).
//!
//! [`OperationRecord`]: crate::lower::OperationRecord

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::areas::Gate;
use super::{lit, runtime_path};
use crate::Settings;
use crate::lower::Lowered;
use crate::lower::metadata::metadata_status;

/// The items of the `metadata` module.
pub(super) fn metadata_tokens(lowered: &Lowered, settings: &Settings) -> TokenStream {
    let ops = &lowered.operations;
    // An operation's entry compiles with its area.
    let gate = |op: &crate::lower::OperationRecord| {
        Gate::of(
            settings
                .area_feature(op.tags.first().map(String::as_str))
                .as_deref(),
        )
        .tokens()
    };
    let entries = ops.iter().map(|op| {
        let gate = gate(op);
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
            let status = metadata_status(e.status);
            let code = e.code;
            let message = lit(&e.message);
            quote! { ErrorCodeMeta { status: #status, code: #code, message: #message } }
        });
        let paginated = op.paginated;
        let max_page_size = match op.max_page_size {
            Some(max) => quote! { Some(#max) },
            None => quote! { None },
        };
        let multipart = op.multipart;
        let unmodeled = op
            .unmodeled_success_statuses
            .iter()
            .map(|s| metadata_status(*s));
        quote! {
            #gate
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
                max_page_size: #max_page_size,
                multipart: #multipart,
                unmodeled_success_statuses: &[#(#unmodeled),*],
            }
        }
    });
    let mut by_method: Vec<&crate::lower::OperationRecord> = ops.iter().collect();
    by_method.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let by_method = by_method.iter().map(|op| {
        let gate = gate(op);
        let name = lit(&op.method_name);
        let id = lit(&op.operation_id);
        quote! { #gate (#name, #id) }
    });
    // The types are defined once, in zoom-api-meta; a runtime crate
    // re-exports them (so the client's users need no second dependency).
    let definitions = match runtime_path(settings) {
        Some(runtime) => quote! {
            pub use #runtime::{ErrorCodeMeta, OperationMeta, RateLimitLabel};
        },
        None => quote! {
            pub use ::zoom_api_meta::{ErrorCodeMeta, OperationMeta, RateLimitLabel};
        },
    };
    let operations_doc = match settings.area_features {
        Some(_) => {
            " Every operation of the areas this build compiles (one cargo feature per tag), sorted by `operation_id`."
        }
        None => " Every operation, sorted by `operation_id`.",
    };
    quote! {
        #definitions

        #[doc = #operations_doc]
        pub static OPERATIONS: &[OperationMeta] = &[#(#entries),*];

        /// `(method_name, operation_id)` of every operation, sorted by
        /// `method_name`.
        static BY_METHOD_NAME: &[(&str, &str)] = &[#(#by_method),*];

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
                .binary_search_by(|(method, _)| (*method).cmp(name))
                .ok()
                .and_then(|i| by_operation_id(BY_METHOD_NAME[i].1))
        }
    }
}
