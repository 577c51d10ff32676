//! Typed async client for Zoom's Accounts API.
//!
//! The request methods and types are generated from
//! `spec/zoom-accounts.yaml` by the `zoom-api-codegen` crate: at build time
//! in `build.rs` with the `generate` feature, otherwise compiled from the
//! committed, reviewable copy in `generated/` (the same bytes, checked by
//! `cargo xtask regen --check`). What is
//! the same for every Zoom API (authentication, client-side throttling by
//! rate-limit label, retries, typed errors) is the [`runtime`] crate,
//! re-exported here. Every method fails with the one [`Error`] type (see
//! the README's section on errors).
//!
//! Operations are grouped by tag into extension traits (import them with
//! [`prelude`]) and called builder style:
//!
//! ```no_run
//! use zoom_accounts::prelude::*;
//! use zoom_accounts::{Client, Credentials, Secret};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .with_credentials(Credentials::ServerToServer {
//!         account_id: std::env::var("ZOOM_ACCOUNT_ID")?,
//!         client_id: std::env::var("ZOOM_CLIENT_ID")?,
//!         client_secret: Secret::new(std::env::var("ZOOM_CLIENT_SECRET")?),
//!     })
//!     .build()?;
//! let roles = client.roles().send().await?;
//! for role in &roles.roles {
//!     println!("{:?}: {:?}", role.id, role.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Values
//!
//! Every struct in [`types`] is `#[non_exhaustive]`: build one with
//! `Type::default()` (when every field is optional) or `Type::new(required,
//! ...)`, then chained `with_<field>(value)` setters or field assignment;
//! a request body goes to its operation with `.body(value)`. Decoding keeps
//! what the type does not declare ([`unknown_fields()`](types::RolesResponse::unknown_fields)),
//! and re-serializing gives back what was sent, up to key order (`null`
//! stays `null`, `[]` stays `[]`, absent stays absent). A boolean field also
//! accepts `"true"`/`"false"` and an integer field a string of digits,
//! because Zoom sends both; nothing else is loosened.
//!
//! The structs decode through a visitor generated per type rather than
//! serde's `flatten` (which buffers every object and cannot tell `null` from
//! absent without changing the field types); the decode benchmark in
//! `BENCHMARKS.md` measures both. The README's "Compatibility" section says
//! which spec changes are breaking for code that uses this crate.
//!
//! # Setup
//!
//! Build a [`Client`] with [`Client::builder`]: Server-to-Server OAuth
//! ([`Credentials::ServerToServer`]: the token is fetched on the first
//! call, cached and refreshed once for all concurrent calls) or a static
//! bearer token, and optionally other base URLs, timeouts, retries and
//! throttling. A `Client` is cheap to clone and meant to be shared.
//!
//! # Errors
//!
//! Every failure of a call is described by one type, [`runtime::Error`]:
//! the operation, the HTTP status, Zoom's `code` and `message` with the
//! meaning the API reference documents for that code
//! ([`documented`](runtime::Error::documented)), whether trying again may
//! help ([`is_retryable`](runtime::Error::is_retryable),
//! [`retry_after`](runtime::Error::retry_after)) and what went wrong as an
//! [`ErrorKind`]. It is the error of every `send()`, `stream()` and
//! `collect_all()`.
//!
//! # Paging
//!
//! Operations that take `next_page_token` have `.stream()` (a lazy
//! `Stream` of the records, one request per page) and `.collect_all(limit)`
//! besides `.send()` (one page). A stream stops with a [`PageError`] rather
//! than loop or skip pages when the server repeats a token or lets one
//! expire (15 minutes after Zoom issued it).
//!
//! # Throttling and retries
//!
//! Each operation carries Zoom's rate-limit label
//! ([`metadata::OPERATIONS`]); [`ClientBuilder::with_throttle`] with a
//! [`RateLimitPlan`] (for example [`RateLimitPlan::pro`]) paces calls per
//! label on the client side so that they are not answered 429. Calls that
//! fail with 429, 5xx or a connection error are retried as the
//! [`RetryPolicy`] allows, honouring `Retry-After`.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `all-areas` | yes | the five areas below |
//! | `accounts`, `dashboards`, `information-barriers`, `roles`, `survey-management` | yes (through `all-areas`) | one API area each (a tag of the spec): its extension trait, builders, page streams, [`metadata`] entries, and the [`types`] it uses |
//! | `rustls` | yes | TLS through rustls (reqwest's default provider); `api.zoom.us` is https-only |
//! | `native-tls` | no | TLS through the platform's library instead (OpenSSL, Secure Transport, SChannel) |
//! | `webhooks` | no | [`webhooks`]: verifying Zoom's webhook requests (signature, timestamp window, URL-validation challenge) |
//! | `mock` | no | [`mock`]: a fake Zoom on 127.0.0.1 for your tests, one typed expectation per operation (wiremock underneath; for `[dev-dependencies]`) |
//! | `generate` | no | generate the client from the packaged spec in `build.rs` instead of compiling the committed copy (same code; compiles the generator, about a minute more on a first build) |
//!
//! With neither TLS feature the crate builds, for tests against plain-HTTP
//! servers on 127.0.0.1; an https URL then fails at the first call. With
//! `default-features = false, features = ["rustls", "dashboards"]` only the
//! dashboards compile (a type several areas use compiles with any of them).
//!
//! # Testing your code
//!
//! With the `mock` feature, [`mock::MockServer`] is a fake Zoom on
//! 127.0.0.1 and `mock.client()` a client of it; each operation has a
//! method named as the client's that sets a typed expectation (path and
//! query parameters, the request body as its type) and its answer (the
//! response type, a Zoom error, a 429, or by default the spec's example).
//! Expected calls that did not come, and requests no expectation matched,
//! fail the test (the README's "Testing your code" has the details).
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use zoom_accounts::prelude::*;
//! let mock = zoom_accounts::mock::MockServer::start().await;
//! mock.roles().account_id("me").mount().await; // the spec's example
//! let roles = mock.client().roles().account_id("me").send().await.unwrap();
//! assert!(!roles.roles.is_empty());
//! # }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
//!
//! Values of every response type can be built ([`types`]: `Default`/`new`
//! and `with_*` setters) or decoded from the JSON you expect Zoom to send,
//! and a client can talk to a fake server of your own: plain `http://` is
//! accepted for loopback hosts.
//!
//! ```no_run
//! # fn example(port: u16) -> Result<(), zoom_accounts::runtime::Error> {
//! use zoom_accounts::{Client, Credentials};
//! let client = Client::builder()
//!     .with_credentials(Credentials::bearer_token("test-token"))
//!     .with_api_base_url(format!("http://127.0.0.1:{port}/v2"))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

// Feature `generate`: the code build.rs generated from `spec/`; otherwise
// the committed copy, which `cargo xtask regen --check` keeps identical.
#[cfg(feature = "generate")]
include!(concat!(env!("OUT_DIR"), "/mod.rs"));
#[cfg(not(feature = "generate"))]
include!("../generated/mod.rs");

// The README's examples compile as doctests, so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The date and time types of the generated fields and parameters.
pub use chrono;
pub use zoom_api_runtime as runtime;
pub use zoom_api_runtime::{
    ApiError, Budget, Credentials, ErrorKind, PageError, RateLimitHeaders, RateLimitPlan,
    RateLimitType, ResponseExt, RetryPolicy, RuntimeBuilder, Secret, Timeout, Transport,
};
/// File parts for `multipart/form-data` uploads, such as
/// `client.upload_vb().account_id("me").file(part)`.
pub use zoom_api_runtime::{content_type_for, file_part_from_bytes, file_part_from_path};

// Receiving Zoom's webhooks (feature `webhooks`): the generated `webhooks`
// module re-exports the runtime's verifier (`WebhookVerifier`, the
// URL-validation challenge) beside the typed `Event`.

/// Every request of the generated methods goes through the runtime:
/// throttle by the operation's rate-limit label, authorize, send, retry.
/// Every non-2xx answer and every failure leaves `exec` as the runtime's
/// typed error carried inside the `reqwest::Error`, and each generated
/// `send()` takes it back out ([`runtime::Error::from_progenitor`]), so a
/// method returns it whole as [`Error`].
impl progenitor_client::ClientHooks<zoom_api_runtime::Runtime> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &progenitor_client::OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match metadata::by_method_name(info.operation_id) {
            Some(operation) => self.inner.exec(request, operation).await,
            None => {
                // Unreachable for generated methods (every one is in the
                // table); still authorized and retried, just not throttled.
                let unknown = zoom_api_runtime::OperationMeta::new(info.operation_id, "", "");
                self.inner.exec(request, &unknown).await
            }
        }
    }
}

impl Client {
    /// Configure a client: credentials, base URLs, timeouts, retries and
    /// throttling (see [`RuntimeBuilder`]); finish with
    /// [`ClientBuilder::build`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            runtime: zoom_api_runtime::Runtime::builder(),
        }
    }

    /// A client that sends its requests through `runtime`.
    pub fn from_runtime(runtime: zoom_api_runtime::Runtime) -> Self {
        let base_url = runtime.base_url().to_owned();
        Self::new(&base_url, runtime)
    }

    /// The runtime this client sends its requests through.
    pub fn runtime(&self) -> &zoom_api_runtime::Runtime {
        &self.inner
    }

    /// This client with another timeout for each attempt (`None`: no
    /// limit), for the calls made through the returned view:
    ///
    /// ```no_run
    /// # use zoom_accounts::prelude::*;
    /// # async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// let roles = client
    ///     .with_request_timeout(Duration::from_secs(5))
    ///     .roles()
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// The view shares this client's connection pool, token cache and
    /// throttle; it costs a few clones of `Arc`s.
    pub fn with_request_timeout(&self, timeout: impl Into<Option<std::time::Duration>>) -> Client {
        self.view(self.inner.with_request_timeout(timeout))
    }

    /// This client with another retry policy, for the calls made through
    /// the returned view (e.g. [`RetryPolicy::never`] for one call).
    /// Shares everything else, as [`Client::with_request_timeout`] does.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Client {
        self.view(self.inner.with_retry_policy(policy))
    }

    /// This client with another response body cap, for the calls made
    /// through the returned view. Shares everything else.
    pub fn with_max_response_body_bytes(&self, limit: u64) -> Client {
        self.view(self.inner.with_max_response_body_bytes(limit))
    }

    fn view(&self, runtime: zoom_api_runtime::Runtime) -> Client {
        Client::new_with_client(&self.baseurl, self.client.clone(), runtime)
    }
}

/// Builder of a [`Client`]: the [`RuntimeBuilder`] settings, by value.
#[derive(Debug)]
pub struct ClientBuilder {
    runtime: RuntimeBuilder,
}

impl ClientBuilder {
    /// A static bearer token, or Server-to-Server OAuth credentials.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.runtime.with_credentials(credentials);
        self
    }

    /// The API base URL (default `https://api.zoom.us/v2`).
    pub fn with_api_base_url(mut self, url: impl Into<String>) -> Self {
        self.runtime.with_api_base_url(url);
        self
    }

    /// The OAuth base URL (default `https://zoom.us`).
    pub fn with_oauth_base_url(mut self, url: impl Into<String>) -> Self {
        self.runtime.with_oauth_base_url(url);
        self
    }

    /// The timeout of each HTTP attempt (`None`: no timeout).
    pub fn with_request_timeout(mut self, timeout: impl Into<Option<std::time::Duration>>) -> Self {
        self.runtime.with_request_timeout(timeout);
        self
    }

    /// When and how often to retry (429, 5xx, connection errors).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.runtime.with_retry_policy(policy);
        self
    }

    /// Client-side throttling per rate-limit label (`None`: off).
    pub fn with_throttle(mut self, plan: impl Into<Option<RateLimitPlan>>) -> Self {
        self.runtime.with_throttle(plan);
        self
    }

    /// The largest response body accepted (default 64 MiB); a larger one
    /// is refused with [`ErrorKind::BodyTooLarge`].
    pub fn with_max_response_body_bytes(mut self, limit: u64) -> Self {
        self.runtime.with_max_response_body_bytes(limit);
        self
    }

    /// Accept `http://` base URLs to hosts that are not loopback (a trusted
    /// local proxy); refused by default, since the token would cross the
    /// network in clear text.
    pub fn with_plain_http_allowed(mut self, allowed: bool) -> Self {
        self.runtime.with_plain_http_allowed(allowed);
        self
    }

    /// Any other runtime setting.
    pub fn configure_runtime(mut self, configure: impl FnOnce(&mut RuntimeBuilder)) -> Self {
        configure(&mut self.runtime);
        self
    }

    /// The client, or the error that makes the configuration unusable.
    pub fn build(self) -> Result<Client, zoom_api_runtime::Error> {
        Ok(Client::from_runtime(self.runtime.build()?))
    }
}
