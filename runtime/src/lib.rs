//! Runtime for generated Zoom API clients.
//!
//! The request methods of a Zoom client are generated from the spec
//! (progenitor); everything that is the same for every Zoom product lives
//! here, written by hand: [`Runtime::execute`] sends each generated request
//! with an access token ([`auth`]), after waiting for the client-side
//! throttle ([`throttle`]), and retries it as the [`RetryPolicy`] allows
//! ([`retry`]). [`meta`] holds the per-operation facts the generator emits
//! (scopes, rate-limit label, documented errors), [`error`] the one error
//! type a user sees, and [`secret`] the wrapper that keeps credentials out
//! of logs. [`paginate`](mod@paginate) turns `next_page_token` pages into a stream that
//! can neither loop nor lose pages silently. [`double_encoding`] is Zoom's
//! rule for UUIDs that begin with `/` or hold `//` (applied to every
//! request), and [`upload`] builds the file parts of `multipart/form-data`
//! uploads.
//!
//! In a progenitor client (generated with `HooksMode::Expected` and
//! `with_inner_type(quote!(zoom_api_runtime::Runtime))`), `ClientHooks::exec`
//! delegates to [`Runtime::exec`], the `reqwest::Result` flavour of
//! [`Runtime::execute`]:
//!
//! ```ignore
//! impl progenitor_client::ClientHooks<zoom_api_runtime::Runtime> for Client {
//!     async fn exec(
//!         &self,
//!         request: reqwest::Request,
//!         info: &progenitor_client::OperationInfo,
//!     ) -> reqwest::Result<reqwest::Response> {
//!         let runtime = &self.inner;
//!         match zoom_api_runtime::find_operation(OPERATIONS, info.operation_id) {
//!             Some(operation) => runtime.exec(request, operation).await,
//!             // An operation missing from the table still gets auth and
//!             // retries, just no throttling or documented errors.
//!             None => {
//!                 let unknown = zoom_api_runtime::OperationMeta::new(info.operation_id, "", "");
//!                 runtime.exec(request, &unknown).await
//!             }
//!         }
//!     }
//! }
//!
//! let client = Client::new_with_client(runtime.base_url(), runtime.http_client().clone(), runtime);
//! ```
//!
//! Every non-2xx answer and every failure then leaves progenitor's `send()`
//! as a `progenitor_client::Error` that carries this crate's [`Error`], and
//! [`Error::from_progenitor`] turns it (and anything else progenitor can
//! return) into that [`Error`]; codegen wraps every generated `send()` in
//! that conversion and decodes 2xx bodies with [`decode_response`], so a
//! generated method fails with [`Error`] and nothing else. See [`error`]
//! for why it takes this route.
//!
//! reqwest is used without a TLS backend, as progenitor-client does; enable
//! this crate's `rustls` or `native-tls` feature (or reqwest's) in the final
//! binary to reach `https://` endpoints.
//!
//! With the `webhooks` feature, the `webhook` module verifies the webhook
//! requests Zoom sends: signature, timestamp window, secret rotation and the
//! `endpoint.url_validation` challenge.
//!
//! With the `mock` feature, the `mock` module is a fake Zoom for tests: a
//! server on 127.0.0.1 and the matching and answers that the generated
//! per-operation mocks share.

#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod body;
pub mod double_encoding;
pub mod error;
pub mod meta;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod paginate;
mod response;
pub mod retry;
pub mod runtime;
pub mod secret;
pub mod throttle;
pub mod upload;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhook;

pub use auth::{AuthError, Credentials};
pub use body::DEFAULT_MAX_RESPONSE_BODY_BYTES;
pub use error::{
    ApiError, Budget, Error, ErrorKind, PageError, RateLimitHeaders, RateLimitType, Result,
    Timeout, Transport,
};
pub use meta::{
    ErrorCodeMeta, OperationMeta, RateLimitLabel, find_operation, required_granular_scopes,
    required_scopes,
};
pub use paginate::{ItemStream, Page, PageStreamError, collect_bounded, paginate};
pub use response::{ResponseExt, decode_response};
pub use retry::RetryPolicy;
pub use runtime::{Runtime, RuntimeBuilder};
pub use secret::Secret;
pub use throttle::{Rate, RateLimitPlan};
pub use upload::{content_type_for, file_part_from_bytes, file_part_from_path};

/// The reqwest this crate was built against, so generated code and its
/// users name the same types.
pub use reqwest;
