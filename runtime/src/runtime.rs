//! The one entry point: [`Runtime::execute`] sends a request that generated
//! code has built, and is where the other modules meet. It first applies
//! Zoom's double-encoding rule to the URL ([`crate::double_encoding`]). For
//! each attempt it waits for the throttle ([`crate::throttle`]), sets
//! `Authorization: Bearer` from the token cache ([`crate::auth`]) and sends;
//! a 401 gets one token refresh and one resend, and 429s, 5xx and lost
//! connections are retried as the [`RetryPolicy`] allows, all within the
//! policy's overall deadline. A 2xx answer is returned with its body held to
//! the size cap (see `body.rs`); every other outcome is an [`Error`]:
//! the last non-2xx answer read into an [`crate::ApiError`], or the failure.
//! [`Runtime::exec`] is the same for progenitor's `ClientHooks::exec`, with
//! the error carried inside a `reqwest::Error` (see [`crate::error`]).
//!
//! A [`Runtime`] is an `Arc` inside, so clones share the HTTP connection
//! pool, the token and the throttle; [`Runtime::with_request_timeout`] and
//! its siblings give a view with other per-call settings that shares them
//! too.
//!
//! Each call is a `tracing` span `zoom_api.call` (operation id, method, path
//! template, rate-limit label, attempts, status, error kind, duration), and
//! each attempt a `zoom_api.attempt` span inside it (attempt number, time
//! waited for the throttle, status, wait before the next attempt,
//! duration). Neither ever holds a URL, a query value, a header, a token or
//! a secret. With no subscriber installed a disabled span costs a relaxed
//! atomic load or two (BENCHMARKS.md has the measurement).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use reqwest::{Method, Request, Response, StatusCode, Url};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{AccessToken, AuthError, Credentials, DEFAULT_REFRESH_MARGIN, TokenCache};
use crate::body::{Answer, DEFAULT_MAX_RESPONSE_BODY_BYTES, ReadError, cap_body, read_capped};
use crate::double_encoding::double_encode_url;
use crate::error::{ApiError, Budget, Error, ErrorKind, Result, Timeout, tracking_id};
use crate::meta::OperationMeta;
use crate::paginate::clamp_page_size;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::throttle::{RateLimitPlan, Throttle};

/// Zoom's REST API, version 2.
pub const DEFAULT_API_BASE_URL: &str = "https://api.zoom.us/v2";
/// Where Zoom's OAuth token endpoint lives (`/oauth/token`).
pub const DEFAULT_OAUTH_BASE_URL: &str = "https://zoom.us";
/// How long one attempt may take, unless configured.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long opening a connection may take, for a client the runtime builds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// `User-Agent` unless configured.
pub const DEFAULT_USER_AGENT: &str = concat!("zoom-api-runtime/", env!("CARGO_PKG_VERSION"));

/// Settings for a [`Runtime`]. Only the credentials are required.
///
/// ```
/// use std::time::Duration;
/// use zoom_api_runtime::{Credentials, RateLimitPlan, RetryPolicy, Runtime};
///
/// let runtime = Runtime::builder()
///     .with_credentials(Credentials::server_to_server("account", "client-id", "client-secret"))
///     .with_throttle(RateLimitPlan::pro())
///     .with_retry_policy(RetryPolicy { max_retries: 5, ..RetryPolicy::default() })
///     .with_request_timeout(Duration::from_secs(20))
///     .build()?;
/// assert_eq!(runtime.base_url(), "https://api.zoom.us/v2");
/// # Ok::<(), zoom_api_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RuntimeBuilder {
    credentials: Option<Credentials>,
    api_base_url: String,
    oauth_base_url: String,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
    throttle: Option<RateLimitPlan>,
    user_agent: String,
    refresh_margin: Duration,
    http_client: Option<reqwest::Client>,
    max_body_bytes: u64,
    plain_http_allowed: bool,
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        RuntimeBuilder {
            credentials: None,
            api_base_url: DEFAULT_API_BASE_URL.to_owned(),
            oauth_base_url: DEFAULT_OAUTH_BASE_URL.to_owned(),
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
            retry: RetryPolicy::default(),
            throttle: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            http_client: None,
            max_body_bytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
            plain_http_allowed: false,
        }
    }
}

impl RuntimeBuilder {
    pub fn new() -> Self {
        RuntimeBuilder::default()
    }

    pub fn with_credentials(&mut self, credentials: Credentials) -> &mut Self {
        self.credentials = Some(credentials);
        self
    }

    /// The API's base URL, without a trailing slash (one is removed);
    /// default [`DEFAULT_API_BASE_URL`]. Must be `https://` unless its host
    /// is loopback (see [`RuntimeBuilder::with_plain_http_allowed`]).
    pub fn with_api_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.api_base_url = url.into();
        self
    }

    /// Where `/oauth/token` is; default [`DEFAULT_OAUTH_BASE_URL`]. Must be
    /// `https://` unless its host is loopback.
    pub fn with_oauth_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.oauth_base_url = url.into();
        self
    }

    /// Lets `build()` accept `http://` base URLs whose host is not loopback,
    /// for a trusted proxy on the local network that adds TLS itself.
    /// Without it, such a URL is refused: the access token (and, for
    /// Server-to-Server credentials, the client secret) would cross the
    /// network in clear text. `http://` to `localhost`, `127.0.0.0/8` and
    /// `::1` is always accepted. Default `false`.
    pub fn with_plain_http_allowed(&mut self, allowed: bool) -> &mut Self {
        self.plain_http_allowed = allowed;
        self
    }

    /// How long one attempt may take, until the whole body is read; `None`
    /// for no limit. Default [`DEFAULT_REQUEST_TIMEOUT`]. A timeout already
    /// set on a request wins.
    pub fn with_request_timeout(&mut self, timeout: impl Into<Option<Duration>>) -> &mut Self {
        self.request_timeout = timeout.into();
        self
    }

    pub fn with_retry_policy(&mut self, policy: RetryPolicy) -> &mut Self {
        self.retry = policy;
        self
    }

    /// Client-side throttling; `None` (the default) turns it off.
    pub fn with_throttle(&mut self, plan: impl Into<Option<RateLimitPlan>>) -> &mut Self {
        self.throttle = plan.into();
        self
    }

    /// The largest response body the runtime accepts, success or error;
    /// a larger one fails with [`ErrorKind::BodyTooLarge`] instead of
    /// filling memory. Default [`DEFAULT_MAX_RESPONSE_BODY_BYTES`].
    pub fn with_max_response_body_bytes(&mut self, limit: u64) -> &mut Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sent unless a request has its own; default [`DEFAULT_USER_AGENT`].
    pub fn with_user_agent(&mut self, user_agent: impl Into<String>) -> &mut Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How long before expiry a Server-to-Server token is replaced; capped
    /// at half the token's lifetime. Default 5 minutes.
    pub fn with_token_refresh_margin(&mut self, margin: Duration) -> &mut Self {
        self.refresh_margin = margin;
        self
    }

    /// Use this client (its pool, proxy and TLS settings) instead of building
    /// one. The runtime still sets the per-request timeout and user agent.
    pub fn with_http_client(&mut self, client: reqwest::Client) -> &mut Self {
        self.http_client = Some(client);
        self
    }

    pub fn build(&self) -> Result<Runtime> {
        let credentials = self
            .credentials
            .clone()
            .ok_or_else(|| Error::config("no credentials: call with_credentials"))?;
        let api_base = parse_base_url("API base URL", &self.api_base_url, self.plain_http_allowed)?;
        let oauth_base = parse_base_url(
            "OAuth base URL",
            &self.oauth_base_url,
            self.plain_http_allowed,
        )?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::config(format!(
                "the user agent {:?} is not a valid header value",
                self.user_agent
            ))
        })?;
        if let Some(plan) = &self.throttle {
            plan.validate().map_err(Error::config)?;
        }
        if self.retry.deadline.is_zero() {
            return Err(Error::config(
                "the retry deadline is zero, so no request could be sent",
            ));
        }
        let http = match &self.http_client {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .user_agent(user_agent.clone())
                .build()
                .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?,
        };
        let tokens = TokenCache::new(
            credentials,
            &oauth_base,
            self.refresh_margin,
            self.request_timeout,
            Some(user_agent.clone()),
        )?;
        Ok(Runtime {
            shared: Arc::new(Shared {
                http,
                base_url: api_base.as_str().trim_end_matches('/').to_owned(),
                tokens,
                throttle: self.throttle.clone().map(Throttle::new),
                user_agent,
            }),
            call: CallSettings {
                retry: self.retry.clone(),
                request_timeout: self.request_timeout,
                max_body_bytes: self.max_body_bytes,
            },
        })
    }
}

fn parse_base_url(what: &str, text: &str, plain_http_allowed: bool) -> Result<Url> {
    let url = Url::parse(text.trim())
        .map_err(|e| Error::config(format!("the {what} {text:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!("the {what} {text:?} is not http(s)")));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Error::config(format!(
            "the {what} {text:?} must not have a query or fragment"
        )));
    }
    if url.scheme() == "http" && !plain_http_allowed && !is_loopback(&url) {
        return Err(Error::config(format!(
            "the {what} {text:?} is plain http to a host that is not loopback, so tokens and \
             secrets would cross the network unencrypted; use https://, or \
             with_plain_http_allowed(true) for a trusted local proxy"
        )));
    }
    Ok(url)
}

/// Whether `url`'s host is this machine: `localhost`, `127.0.0.0/8`, `::1`
/// (also as `::ffff:127.x.y.z`).
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Executes requests for a generated Zoom client: auth, throttling and
/// retries. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
    call: CallSettings,
}

/// What is shared by every clone and view of a runtime.
struct Shared {
    http: reqwest::Client,
    base_url: String,
    tokens: TokenCache,
    throttle: Option<Throttle>,
    user_agent: HeaderValue,
}

/// What a view ([`Runtime::with_request_timeout`], ...) may change per call.
#[derive(Debug, Clone)]
struct CallSettings {
    retry: RetryPolicy,
    request_timeout: Option<Duration>,
    max_body_bytes: u64,
}

/// What one attempt came to.
enum Attempt {
    /// A 2xx answer, its body capped.
    Success(Response),
    /// A non-2xx answer, read into an error; with the token it was sent with.
    Refused {
        error: Error,
        status: StatusCode,
        token: Arc<AccessToken>,
        retry_after: Option<Duration>,
    },
    /// The request went out (or tried to) and failed.
    SendFailed { error: Error, retryable: bool },
    /// No token could be had; the request was not sent.
    NoToken(AuthError),
    /// Nothing to retry: a spent budget, a 2xx body over the cap.
    Fatal(Error),
}

impl Runtime {
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::new()
    }

    /// The API base URL, without a trailing slash, as progenitor's
    /// `Client::new_with_client` wants it.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The HTTP client requests are sent with, for progenitor's
    /// `Client::new_with_client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// The retry policy calls through this runtime (or view) use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.call.retry
    }

    /// The timeout of each attempt for calls through this runtime (or view).
    pub fn request_timeout(&self) -> Option<Duration> {
        self.call.request_timeout
    }

    /// The response body cap for calls through this runtime (or view).
    pub fn max_response_body_bytes(&self) -> u64 {
        self.call.max_body_bytes
    }

    /// The throttle's plan, if throttling is on.
    pub fn rate_limit_plan(&self) -> Option<&RateLimitPlan> {
        self.shared.throttle.as_ref().map(Throttle::plan)
    }

    /// A view of this runtime whose calls time out after `timeout` per
    /// attempt (`None`: no limit). It shares the connection pool, the token
    /// cache and the throttle with this one; only calls made through it are
    /// affected.
    pub fn with_request_timeout(&self, timeout: impl Into<Option<Duration>>) -> Runtime {
        let mut view = self.clone();
        view.call.request_timeout = timeout.into();
        view
    }

    /// A view of this runtime whose calls retry as `policy` says (a zero
    /// deadline fails every call at once). Shares everything else, as
    /// [`Runtime::with_request_timeout`] does.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Runtime {
        let mut view = self.clone();
        view.call.retry = policy;
        view
    }

    /// A view of this runtime whose calls accept response bodies of up to
    /// `limit` bytes. Shares everything else.
    pub fn with_max_response_body_bytes(&self, limit: u64) -> Runtime {
        let mut view = self.clone();
        view.call.max_body_bytes = limit;
        view
    }

    /// Sends `request` for `operation` with auth, throttling and retries.
    ///
    /// `Ok` is a 2xx answer, whose body fails with an [`Error`] (read as a
    /// `reqwest::Error` carrying it) if it is larger than the body cap or
    /// does not arrive within the request timeout. Every other outcome is
    /// an [`Error`]: the last non-2xx answer, read ([`ErrorKind::Api`]), or
    /// what went wrong. Each error knows the operation, the attempts made
    /// and, when there was an answer, its status and tracking id.
    ///
    /// A request whose body cannot be cloned (a stream) is sent once. The
    /// retry policy's deadline bounds the whole call, throttle waits and
    /// token fetches included: no wait is started that would end past it,
    /// and an attempt still running at the deadline is abandoned in favour
    /// of the previous attempt's error ([`Timeout::Deadline`] if there was
    /// none). The per-request timeout bounds each attempt and the reading
    /// of the returned response's body.
    ///
    /// Before the first attempt, a `page_size` above the operation's
    /// documented maximum is lowered to it ([`crate::paginate`]), and path
    /// parameters and `instance_id` that Zoom wants double-encoded are
    /// encoded again ([`crate::double_encoding`]).
    pub async fn execute(&self, request: Request, operation: &OperationMeta) -> Result<Response> {
        let span = tracing::info_span!(
            "zoom_api.call",
            operation = operation.operation_id,
            method = operation.method,
            path = operation.path,
            rate_limit = operation
                .rate_limit
                .map(|label| label.as_str())
                .unwrap_or(""),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (result, attempts) = self
            .execute_attempts(request, operation)
            .instrument(span.clone())
            .await;
        span.record("attempts", attempts);
        span.record("duration_ms", millis(started.elapsed()));
        match result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                Ok(response)
            }
            Err(error) => {
                let error = error.for_operation(operation).with_attempts(attempts);
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                span.record("error", error.kind().name());
                Err(error)
            }
        }
    }

    /// The attempts of one call, and how many requests went out.
    async fn execute_attempts(
        &self,
        mut request: Request,
        operation: &OperationMeta,
    ) -> (Result<Response>, u32) {
        if let Some(max) = operation.max_page_size {
            clamp_page_size(request.url_mut(), max);
        }
        double_encode_url(request.url_mut(), operation.path);
        let policy = &self.call.retry;
        // A deadline too far to represent is no deadline.
        let deadline = Instant::now().checked_add(policy.deadline);
        let method = request.method().clone();
        // The request to copy for each attempt; taken (and so sent as the
        // last attempt) when it cannot be copied.
        let mut original = Some(request);
        let mut sent = 0u32;
        let mut retries = 0u32;
        let mut refreshed_after_401 = false;
        // The error of the attempt before, returned if the deadline cuts the
        // current one short.
        let mut previous: Option<Error> = None;
        loop {
            let attempt_span = tracing::debug_span!(
                "zoom_api.attempt",
                attempt = sent + 1,
                throttle_wait_ms = tracing::field::Empty,
                status = tracing::field::Empty,
                wait_ms = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let attempt = self
                .attempt(&mut original, operation, &method, &mut sent, &attempt_span)
                .instrument(attempt_span.clone());
            let attempt = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, attempt).await.ok(),
                None => Some(attempt.await),
            };
            attempt_span.record("duration_ms", millis(started.elapsed()));
            let Some(attempt) = attempt else {
                let error = previous.unwrap_or_else(|| {
                    Error::new(ErrorKind::Timeout(Timeout::Deadline {
                        deadline: policy.deadline,
                    }))
                });
                return (Err(error), sent);
            };
            let (last, retry_after) = match attempt {
                Attempt::Success(response) => return (Ok(response), sent),
                Attempt::Fatal(error) => return (Err(error), sent),
                Attempt::Refused {
                    error,
                    status,
                    token,
                    ..
                } if status == StatusCode::UNAUTHORIZED => {
                    // Drop the refused token even if this request cannot be
                    // resent, so the next request gets a fresh one.
                    let can_refresh = self.shared.tokens.invalidate(&token);
                    if can_refresh && !refreshed_after_401 && original.is_some() {
                        refreshed_after_401 = true;
                        continue;
                    }
                    return (Err(error), sent);
                }
                Attempt::Refused {
                    error,
                    status,
                    retry_after,
                    ..
                } => {
                    if !policy.retries_status(status, &method) {
                        return (Err(error), sent);
                    }
                    (error, retry_after)
                }
                Attempt::SendFailed { error, retryable } => {
                    if !retryable {
                        return (Err(error), sent);
                    }
                    (error, None)
                }
                Attempt::NoToken(auth) => {
                    if !auth.is_transient() {
                        return (Err(auth.into()), sent);
                    }
                    let retry_after = auth
                        .retry_after()
                        .and_then(|value| parse_retry_after(value, SystemTime::now()));
                    (auth.into(), retry_after)
                }
            };
            if retries >= policy.max_retries || original.is_none() {
                return (Err(last), sent);
            }
            let wait = retry_after.unwrap_or_else(|| policy.backoff(retries));
            // Never sleep past the deadline just to be cut off there. (A
            // server may ask for any wait; `checked_add` keeps a huge one
            // from overflowing the clock.)
            let resume = Instant::now().checked_add(wait);
            if resume.is_none() || deadline.zip(resume).is_some_and(|(d, r)| r >= d) {
                return (Err(last), sent);
            }
            attempt_span.record("wait_ms", millis(wait));
            previous = Some(last);
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// One attempt: throttle, token, send, and the answer's body when it is
    /// an error.
    async fn attempt(
        &self,
        original: &mut Option<Request>,
        operation: &OperationMeta,
        method: &Method,
        sent: &mut u32,
        span: &tracing::Span,
    ) -> Attempt {
        if let (Some(throttle), Some(label)) = (&self.shared.throttle, operation.rate_limit) {
            match throttle.acquire(label).await {
                Ok(waited) => {
                    span.record("throttle_wait_ms", millis(waited));
                }
                Err(spent) => {
                    return Attempt::Fatal(Error::new(ErrorKind::BudgetExhausted {
                        budget: Budget::DailyHeavy {
                            limit: spent.budget,
                        },
                        resets_in: spent.resets_in,
                    }));
                }
            }
        }
        let token = match self.shared.tokens.token(&self.shared.http).await {
            Ok(token) => token,
            Err(error) => return Attempt::NoToken(error),
        };
        let copy = original.as_ref().and_then(Request::try_clone);
        let Some(mut request) = copy.or_else(|| original.take()) else {
            // execute() stops once the original is gone; this is a bug guard.
            return Attempt::Fatal(Error::config("the request was already sent"));
        };
        request
            .headers_mut()
            .insert(AUTHORIZATION, token.header_value().clone());
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert_with(|| self.shared.user_agent.clone());
        if request.timeout().is_none() {
            *request.timeout_mut() = self.call.request_timeout;
        }
        let timeout = *request.timeout_mut();
        *sent += 1;
        let response = match self.shared.http.execute(request).await {
            Ok(response) => response,
            Err(source) => {
                let retryable = self.call.retry.retries_error(&source, method);
                return Attempt::SendFailed {
                    error: Error::from_reqwest(source, timeout, false),
                    retryable,
                };
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let answer = Answer {
            operation_id: operation.operation_id,
            status: status.as_u16(),
            tracking_id: tracking_id(response.headers()),
            attempts: *sent,
            timeout,
            limit: self.call.max_body_bytes,
        };
        if status.is_success() {
            return match cap_body(response, answer) {
                Ok(response) => Attempt::Success(response),
                Err(error) => Attempt::Fatal(error),
            };
        }
        let headers = response.headers().clone();
        let error = match read_capped(response, answer.limit).await {
            Ok(body) => Error::from_answer(
                ApiError::new(status.as_u16(), &headers, &body, operation),
                &headers,
            ),
            Err(ReadError::TooLarge { content_length }) => answer.too_large(content_length),
            Err(ReadError::Failed(source)) => answer.read_failed(source),
        };
        let retry_after = error.retry_after();
        Attempt::Refused {
            error,
            status,
            token,
            retry_after,
        }
    }

    /// [`Runtime::execute`] for progenitor's `ClientHooks::exec`, which can
    /// only fail with a `reqwest::Error`: every error travels inside one
    /// (see [`crate::error`]), and [`Error::from_progenitor`] gets it back.
    pub async fn exec(
        &self,
        request: Request,
        operation: &OperationMeta,
    ) -> reqwest::Result<Response> {
        self.execute(request, operation)
            .await
            .map_err(Error::into_reqwest_error)
    }
}

/// Whole milliseconds, for span fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("Runtime")
            .field("base_url", &shared.base_url)
            .field("tokens", &shared.tokens)
            .field("retry", &self.call.retry)
            .field("throttle", &shared.throttle.as_ref().map(Throttle::plan))
            .field("request_timeout", &self.call.request_timeout)
            .field("max_body_bytes", &self.call.max_body_bytes)
            .field("user_agent", &shared.user_agent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::server_to_server("acct", "client", "very-secret-value")
    }

    #[test]
    fn builder_defaults_and_normalisation() {
        let runtime = Runtime::builder()
            .with_credentials(creds())
            .build()
            .unwrap();
        assert_eq!(runtime.base_url(), DEFAULT_API_BASE_URL);
        assert_eq!(runtime.retry_policy(), &RetryPolicy::default());
        assert!(runtime.rate_limit_plan().is_none());
        let runtime = Runtime::builder()
            .with_credentials(creds())
            .with_api_base_url("http://127.0.0.1:8080/v2/")
            .with_throttle(RateLimitPlan::pro())
            .build()
            .unwrap();
        assert_eq!(runtime.base_url(), "http://127.0.0.1:8080/v2");
        assert_eq!(runtime.rate_limit_plan(), Some(&RateLimitPlan::pro()));
        let clone = runtime.clone();
        assert!(Arc::ptr_eq(&clone.shared, &runtime.shared));
    }

    #[test]
    fn builder_rejects_bad_settings() {
        let cases: Vec<(RuntimeBuilder, &str)> = vec![
            (Runtime::builder(), "no credentials"),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_api_base_url("ftp://x")
                    .clone(),
                "not http(s)",
            ),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_api_base_url("not a url")
                    .clone(),
                "not a URL",
            ),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_oauth_base_url("https://zoom.us/?a=b")
                    .clone(),
                "query",
            ),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_user_agent("bad\nagent")
                    .clone(),
                "user agent",
            ),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_throttle(RateLimitPlan {
                        light: Some(crate::Rate::per_second(0)),
                        ..RateLimitPlan::default()
                    })
                    .clone(),
                "LIGHT",
            ),
            (
                Runtime::builder()
                    .with_credentials(creds())
                    .with_retry_policy(RetryPolicy {
                        deadline: Duration::ZERO,
                        ..RetryPolicy::default()
                    })
                    .clone(),
                "deadline",
            ),
        ];
        for (builder, expected) in cases {
            let err = builder.build().unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
            assert!(err.to_string().contains(expected), "{err} lacks {expected}");
        }
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        let build = |api: &str, oauth: &str, allowed: bool| {
            Runtime::builder()
                .with_credentials(creds())
                .with_api_base_url(api)
                .with_oauth_base_url(oauth)
                .with_plain_http_allowed(allowed)
                .build()
        };
        for loopback in [
            "http://127.0.0.1:8080/v2",
            "http://127.8.9.10/v2",
            "http://localhost:3000",
            "http://LOCALHOST/v2",
            "http://[::1]:9000/v2",
            "http://[::ffff:127.0.0.1]/v2",
        ] {
            assert!(build(loopback, loopback, false).is_ok(), "{loopback}");
        }
        for (api, oauth, which) in [
            ("http://api.zoom.us/v2", "https://zoom.us", "API base URL"),
            ("https://api.zoom.us/v2", "http://zoom.us", "OAuth base URL"),
            ("http://10.0.0.5:8080/v2", "https://zoom.us", "API base URL"),
            ("http://[::2]/v2", "https://zoom.us", "API base URL"),
            (
                "http://localhost.example.com/v2",
                "https://zoom.us",
                "API base URL",
            ),
            ("http://128.0.0.1/v2", "https://zoom.us", "API base URL"),
        ] {
            let err = build(api, oauth, false).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
            let shown = err.to_string();
            assert!(shown.contains(which), "{shown}");
            assert!(
                shown.contains("plain http") && shown.contains("with_plain_http_allowed"),
                "{shown}"
            );
            // The named opt-in, for a trusted local proxy.
            assert!(build(api, oauth, true).is_ok(), "{api} {oauth}");
        }
        assert_eq!(
            build("http://proxy.internal/v2", "https://zoom.us", false)
                .unwrap_err()
                .to_string(),
            "invalid configuration: the API base URL \"http://proxy.internal/v2\" is plain http to \
             a host that is not loopback, so tokens and secrets would cross the network \
             unencrypted; use https://, or with_plain_http_allowed(true) for a trusted local proxy"
        );
    }

    #[test]
    fn views_share_everything_but_their_call_settings() {
        let runtime = Runtime::builder()
            .with_credentials(creds())
            .build()
            .unwrap();
        let view = runtime
            .with_request_timeout(None)
            .with_retry_policy(RetryPolicy::never())
            .with_max_response_body_bytes(10);
        assert!(Arc::ptr_eq(&view.shared, &runtime.shared));
        assert_eq!(view.request_timeout(), None);
        assert_eq!(view.retry_policy().max_retries, 0);
        assert_eq!(view.max_response_body_bytes(), 10);
        assert_eq!(runtime.request_timeout(), Some(DEFAULT_REQUEST_TIMEOUT));
        assert_eq!(runtime.retry_policy(), &RetryPolicy::default());
        assert_eq!(
            runtime.max_response_body_bytes(),
            DEFAULT_MAX_RESPONSE_BODY_BYTES
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let mut builder = Runtime::builder();
        builder.with_credentials(creds());
        let runtime = builder.build().unwrap();
        for shown in [
            format!("{builder:?}"),
            format!("{runtime:?}"),
            format!("{runtime:#?}"),
        ] {
            assert!(!shown.contains("very-secret-value"), "{shown}");
            assert!(shown.contains("Secret(***)"), "{shown}");
        }
    }
}
