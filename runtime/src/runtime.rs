//! The one entry point: [`Runtime::execute`] sends a request that generated
//! code has built, and is where the other modules meet. It first applies
//! Zoom's double-encoding rule to the URL ([`crate::double_encoding`]). For
//! each attempt it
//! waits for the throttle ([`crate::throttle`]), sets `Authorization: Bearer`
//! from the token cache ([`crate::auth`]) and sends; a 401 gets one token
//! refresh and one resend, and 429s, 5xx and lost connections are retried as
//! the [`RetryPolicy`] allows, all within the policy's overall deadline.
//! Whatever answer comes last is returned as it is, non-2xx included: the
//! generated code decodes error bodies itself. A [`Runtime`] is an `Arc`
//! inside, so clones share the HTTP connection pool, the token and the
//! throttle.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, StatusCode, Url};
use tokio::time::Instant;

use crate::auth::{AccessToken, AuthError, Credentials, DEFAULT_REFRESH_MARGIN, TokenCache};
use crate::double_encoding::double_encode_url;
use crate::error::{Error, Result};
use crate::meta::OperationMeta;
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
    /// default [`DEFAULT_API_BASE_URL`].
    pub fn with_api_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.api_base_url = url.into();
        self
    }

    /// Where `/oauth/token` is; default [`DEFAULT_OAUTH_BASE_URL`].
    pub fn with_oauth_base_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.oauth_base_url = url.into();
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
            .ok_or_else(|| Error::Config("no credentials: call with_credentials".into()))?;
        let api_base = parse_base_url("API base URL", &self.api_base_url)?;
        let oauth_base = parse_base_url("OAuth base URL", &self.oauth_base_url)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::Config(format!(
                "the user agent {:?} is not a valid header value",
                self.user_agent
            ))
        })?;
        if let Some(plan) = &self.throttle {
            plan.validate().map_err(Error::Config)?;
        }
        if self.retry.deadline.is_zero() {
            return Err(Error::Config(
                "the retry deadline is zero, so no request could be sent".into(),
            ));
        }
        let http = match &self.http_client {
            Some(client) => client.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .user_agent(user_agent.clone())
                .build()
                .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?,
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
                retry: self.retry.clone(),
                throttle: self.throttle.clone().map(Throttle::new),
                request_timeout: self.request_timeout,
                user_agent,
            }),
        })
    }
}

fn parse_base_url(what: &str, text: &str) -> Result<Url> {
    let url = Url::parse(text.trim())
        .map_err(|e| Error::Config(format!("the {what} {text:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!("the {what} {text:?} is not http(s)")));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "the {what} {text:?} must not have a query or fragment"
        )));
    }
    Ok(url)
}

/// Executes requests for a generated Zoom client: auth, throttling and
/// retries. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    base_url: String,
    tokens: TokenCache,
    retry: RetryPolicy,
    throttle: Option<Throttle>,
    request_timeout: Option<Duration>,
    user_agent: HeaderValue,
}

/// What one attempt came to.
enum Attempt {
    /// An answer, with the token it was sent with.
    Answered(Response, Arc<AccessToken>),
    /// The request went out (or tried to) and failed.
    SendFailed(reqwest::Error),
    /// No token could be had; the request was not sent.
    NoToken(AuthError),
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

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    /// The throttle's plan, if throttling is on.
    pub fn rate_limit_plan(&self) -> Option<&RateLimitPlan> {
        self.shared.throttle.as_ref().map(Throttle::plan)
    }

    /// Sends `request` for `operation` with auth, throttling and retries,
    /// and returns the last answer, whatever its status.
    ///
    /// A request whose body cannot be cloned (a stream) is sent once. The
    /// retry policy's deadline bounds the whole call, throttle waits and
    /// token fetches included: no wait is started that would end past it,
    /// and an attempt still running at the deadline is abandoned in favour
    /// of the previous attempt's answer or error
    /// ([`Error::DeadlineExceeded`] if there was none). The per-request
    /// timeout bounds each attempt and the reading of the returned
    /// response's body.
    ///
    /// Before the first attempt, path parameters and `instance_id` that Zoom
    /// wants double-encoded are encoded again ([`crate::double_encoding`]).
    pub async fn execute(
        &self,
        mut request: Request,
        operation: &OperationMeta,
    ) -> Result<Response> {
        double_encode_url(request.url_mut(), operation.path);
        let policy = &self.shared.retry;
        let deadline = Instant::now() + policy.deadline;
        let method = request.method().clone();
        // The request to copy for each attempt; taken (and so sent as the
        // last attempt) when it cannot be copied.
        let mut original = Some(request);
        let mut sent = 0u32;
        let mut retries = 0u32;
        let mut refreshed_after_401 = false;
        // The outcome of the attempt before, returned if the deadline cuts
        // the current one short.
        let mut previous: Option<Result<Response>> = None;
        loop {
            let attempt = tokio::time::timeout_at(
                deadline,
                self.attempt(&mut original, operation, &mut sent),
            );
            let Ok(attempt) = attempt.await else {
                return previous.unwrap_or(Err(Error::DeadlineExceeded {
                    operation_id: operation.operation_id,
                    deadline: policy.deadline,
                    attempts: sent,
                }));
            };
            let (last, retry_after): (Result<Response>, Option<String>) = match attempt? {
                Attempt::Answered(response, token)
                    if response.status() == StatusCode::UNAUTHORIZED =>
                {
                    // Drop the refused token even if this request cannot be
                    // resent, so the next request gets a fresh one.
                    let can_refresh = self.shared.tokens.invalidate(&token);
                    if can_refresh && !refreshed_after_401 && original.is_some() {
                        refreshed_after_401 = true;
                        continue;
                    }
                    return Ok(response);
                }
                Attempt::Answered(response, _) => {
                    if !policy.retries_status(response.status(), &method) {
                        return Ok(response);
                    }
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                    (Ok(response), retry_after)
                }
                Attempt::SendFailed(error) => {
                    let retryable = policy.retries_error(&error, &method);
                    let error = Error::from_reqwest(operation, error);
                    if !retryable {
                        return Err(error);
                    }
                    (Err(error), None)
                }
                Attempt::NoToken(error) => {
                    if !error.is_transient() {
                        return Err(error.into());
                    }
                    let retry_after = error.retry_after().map(str::to_owned);
                    (Err(error.into()), retry_after)
                }
            };
            if retries >= policy.max_retries || original.is_none() {
                return last;
            }
            let wait = retry_after
                .as_deref()
                .and_then(|value| parse_retry_after(value, SystemTime::now()))
                .unwrap_or_else(|| policy.backoff(retries));
            // Never sleep past the deadline just to be cut off there. (A
            // server may ask for any wait; `checked_add` keeps a huge one
            // from overflowing the clock.)
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|resume| resume >= deadline)
            {
                return last;
            }
            previous = Some(last);
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }

    /// One attempt: throttle, token, send.
    async fn attempt(
        &self,
        original: &mut Option<Request>,
        operation: &OperationMeta,
        sent: &mut u32,
    ) -> Result<Attempt> {
        if let (Some(throttle), Some(label)) = (&self.shared.throttle, operation.rate_limit) {
            throttle
                .acquire(label)
                .await
                .map_err(|spent| Error::DailyBudgetExhausted {
                    operation_id: operation.operation_id,
                    budget: spent.budget,
                    resets_in: spent.resets_in,
                })?;
        }
        let token = match self.shared.tokens.token(&self.shared.http).await {
            Ok(token) => token,
            Err(error) => return Ok(Attempt::NoToken(error)),
        };
        let copy = original.as_ref().and_then(Request::try_clone);
        let Some(mut request) = copy.or_else(|| original.take()) else {
            // execute() stops once the original is gone; this is a bug guard.
            return Err(Error::Config("the request was already sent".into()));
        };
        request
            .headers_mut()
            .insert(AUTHORIZATION, token.header_value().clone());
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert_with(|| self.shared.user_agent.clone());
        if request.timeout().is_none() {
            *request.timeout_mut() = self.shared.request_timeout;
        }
        *sent += 1;
        Ok(match self.shared.http.execute(request).await {
            Ok(response) => Attempt::Answered(response, token),
            Err(error) => Attempt::SendFailed(error),
        })
    }

    /// [`Runtime::execute`] for progenitor's `ClientHooks::exec`, which can
    /// only fail with a `reqwest::Error`: see [`Error::into_reqwest_error`]
    /// for how runtime errors travel, and [`Error::find_in`] to get them back.
    pub async fn exec(
        &self,
        request: Request,
        operation: &OperationMeta,
    ) -> reqwest::Result<Response> {
        match self.execute(request, operation).await {
            Ok(response) => Ok(response),
            Err(error) => Err(error.into_reqwest_error().await),
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("Runtime")
            .field("base_url", &shared.base_url)
            .field("tokens", &shared.tokens)
            .field("retry", &shared.retry)
            .field("throttle", &shared.throttle.as_ref().map(Throttle::plan))
            .field("request_timeout", &shared.request_timeout)
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
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            assert!(err.to_string().contains(expected), "{err} lacks {expected}");
        }
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
