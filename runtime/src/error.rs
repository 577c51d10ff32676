//! The one error a user of a generated Zoom client sees.
//!
//! [`Error`] answers the questions a failed call raises without digging:
//! which operation ([`Error::operation_id`]), the HTTP status when there was
//! one, Zoom's `code` and `message` and the spec's documented meaning of that
//! code, whether trying again may help ([`Error::is_retryable`],
//! [`Error::retry_after`]), whether it was a timeout or a rate limit, how
//! many attempts the runtime made, and Zoom's `x-zm-trackingid`. What went
//! wrong is an [`ErrorKind`] (Zoom answered non-2xx, no token, transport,
//! timeout, decoding, a body over the size cap, a spent client-side budget,
//! a page stream that would loop or whose token expired, ...); the foreign
//! cause (a `reqwest::Error`, a `serde_json::Error`, an `io::Error`) is the
//! [`source`](std::error::Error::source).
//!
//! `Display` is one line, the operation first:
//! `createRole: HTTP 400, Zoom error 1224: Role name My role has already been used.`
//! It never prints a header, a URL with its query, a token or a secret
//! (credentials never reach these types, see [`crate::Secret`]).
//!
//! # How the error gets out of progenitor's `send()`
//!
//! progenitor-client fixes the signature of every generated `send()`
//! (`Result<ResponseValue<T>, progenitor_client::Error<E>>`) and calls
//! `ClientHooks::exec`, which may only fail with a `reqwest::Error`. So the
//! runtime decides everything in [`crate::Runtime::exec`]: every non-2xx
//! answer and every failure becomes this [`Error`], carried inside a
//! `reqwest::Error` (as the failure of a body stream: reqwest has no public
//! constructor), and every 2xx body is wrapped so that a body over the size
//! cap or one that arrives too slowly fails with this [`Error`] too. A 2xx
//! body is decoded by [`crate::decode_response`] (codegen puts it in place
//! of progenitor's `ResponseValue::from_response`), so one that does not
//! decode is this [`Error`] as well, with the answer's status, tracking id
//! and attempts. The generated code therefore only ever sees
//! `CommunicationError` or `ResponseBodyError` carrying a runtime error,
//! `InvalidRequest` (a builder argument that did not convert) and
//! `UnexpectedResponse` (a 2xx status the method does not model).
//! [`Error::from_progenitor`] turns each of these, and anything else
//! progenitor could return, into an [`Error`]. Codegen makes every
//! generated `send()` call it (the engine's own `send` becomes a private
//! `engine_send`), and `stream()`/`collect_all()` page through that
//! `send()`, so every generated method returns this [`Error`] and users
//! never need [`Error::find_in`].
//!
//! `Error` is an `Arc` inside: cheap to clone (so it can be taken back out
//! of the `reqwest::Error` that carried it), `Send`, `Sync` and one pointer
//! wide, which keeps every `Result<_, Error>` small.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::auth::AuthError;
use crate::meta::{ErrorCodeMeta, OperationMeta, RateLimitLabel};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much of a response body an error keeps ([`Error::body_excerpt`]).
/// Zoom's JSON errors are far shorter; an HTML error page from a proxy is
/// not worth more.
pub const MAX_BODY_EXCERPT_BYTES: usize = 8 * 1024;

/// How much of an unexpected body `Display` quotes.
const DISPLAY_EXCERPT_BYTES: usize = 200;

/// The header Zoom puts a request's tracking id in; Zoom support asks for it.
pub const TRACKING_ID_HEADER: &str = "x-zm-trackingid";

/// How long a page token lives, as Zoom documents it.
pub const PAGE_TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// How Zoom enforces the limit a response's rate-limit headers describe
/// (`X-RateLimit-Type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateLimitType {
    /// `QPS`: requests per second.
    PerSecond,
    /// `Daily-limit`: requests per day.
    Daily,
    /// A value Zoom may add later, as sent.
    Other(String),
}

impl RateLimitType {
    fn parse(text: &str) -> Self {
        let folded: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "qps" => RateLimitType::PerSecond,
            "dailylimit" | "daily" => RateLimitType::Daily,
            _ => RateLimitType::Other(text.to_owned()),
        }
    }
}

/// Zoom's rate-limit response headers, typed (all optional: Zoom sends them
/// on some answers only).
///
/// A success has them too: `RateLimitHeaders::from_headers(value.headers())`
/// on a `ResponseValue`, or [`crate::ResponseExt::rate_limit`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Type`: per second or per day.
    pub limit_type: Option<RateLimitType>,
    /// `X-RateLimit-Category` (`Light`, `Medium`, `Heavy`,
    /// `Resource-intensive`), when it names a label.
    pub category: Option<RateLimitLabel>,
    /// `X-RateLimit-Limit`, when it is a number.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`, when it is a number.
    pub remaining: Option<u64>,
    /// `Retry-After`, as sent; [`Error::retry_after`] has it parsed.
    pub retry_after: Option<String>,
}

impl RateLimitHeaders {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        RateLimitHeaders {
            limit_type: header_text(headers, "x-ratelimit-type").map(|t| RateLimitType::parse(&t)),
            category: header_text(headers, "x-ratelimit-category").and_then(|v| v.parse().ok()),
            limit: header_text(headers, "x-ratelimit-limit").and_then(|v| v.parse().ok()),
            remaining: header_text(headers, "x-ratelimit-remaining").and_then(|v| v.parse().ok()),
            retry_after: header_text(headers, "retry-after"),
        }
    }

    /// Whether the response carried none of these headers.
    pub fn is_empty(&self) -> bool {
        *self == RateLimitHeaders::default()
    }
}

/// A header's value as trimmed text, `None` when absent or empty.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?;
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Zoom's tracking id of an answer, kept to 200 bytes.
pub(crate) fn tracking_id(headers: &HeaderMap) -> Option<String> {
    header_text(headers, TRACKING_ID_HEADER).map(|id| excerpt(id.as_bytes(), 200))
}

/// A non-2xx answer from the Zoom API (or from a proxy in front of it).
#[derive(Debug, Clone)]
pub struct ApiError {
    status: u16,
    code: Option<i64>,
    message: Option<String>,
    body_excerpt: String,
    rate_limit: RateLimitHeaders,
    retry_after: Option<Duration>,
    documented: Option<&'static ErrorCodeMeta>,
}

impl ApiError {
    /// Reads Zoom's `{"code": .., "message": ..}` out of any body. Never
    /// fails and never panics: a body that is not that JSON keeps only its
    /// (truncated) text and has no code. Codes the spec does not document are
    /// kept; [`ApiError::documented`] is then `None`.
    pub fn new(status: u16, headers: &HeaderMap, body: &[u8], operation: &OperationMeta) -> Self {
        let (code, message) = parse_zoom_error_body(body);
        let rate_limit = RateLimitHeaders::from_headers(headers);
        let retry_after = rate_limit
            .retry_after
            .as_deref()
            .and_then(|value| crate::retry::parse_retry_after(value, SystemTime::now()));
        ApiError {
            status,
            code,
            message,
            body_excerpt: excerpt(body, MAX_BODY_EXCERPT_BYTES),
            rate_limit,
            retry_after,
            documented: code.and_then(|c| operation.documented_error(status, c)),
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    /// Zoom's numeric error code from the body, if there was one.
    pub fn code(&self) -> Option<i64> {
        self.code
    }

    /// Zoom's message from the body, if there was one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The body as text (lossy UTF-8), cut at [`MAX_BODY_EXCERPT_BYTES`].
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }

    pub fn rate_limit(&self) -> &RateLimitHeaders {
        &self.rate_limit
    }

    /// `Retry-After` as a wait from when the answer arrived.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The spec's entry for this status and code, when documented.
    pub fn documented(&self) -> Option<&'static ErrorCodeMeta> {
        self.documented
    }

    /// Zoom's answer to a page token it no longer accepts: HTTP 400, code
    /// 300, and a message about the next page token.
    ///
    /// Zoom reuses code 300 for many unrelated refusals ("Invalid parameter:
    /// file_ids", "RoleId required", "Request Body should be a valid JSON
    /// object"), so the code alone is not enough; the message is matched
    /// loosely (case, `_` or space, "next page token" or "page token") since
    /// Zoom words it differently across endpoints. The reference text
    /// documents it as "The next page token is invalid or expired."
    pub fn is_page_token_refusal(&self) -> bool {
        if self.status != 400 || self.code != Some(300) {
            return false;
        }
        self.message.as_deref().is_some_and(|message| {
            let folded = message.to_ascii_lowercase().replace(['_', '-'], " ");
            folded.contains("page token") || folded.contains("pagetoken")
        })
    }

    /// The one-line description, without the operation.
    fn describe(&self, f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if attempts > 1 {
            write!(f, " after {attempts} attempts")?;
        }
        if let Some(code) = self.code {
            write!(f, ", Zoom error {code}")?;
        }
        match (&self.message, self.documented) {
            (Some(message), _) => write!(f, ": {}", OneLine(message)),
            (None, Some(documented)) => {
                write!(f, ": {} (documented meaning)", OneLine(documented.message))
            }
            // Quote the body only when it was not Zoom's JSON.
            (None, None) if self.code.is_none() && !self.body_excerpt.trim().is_empty() => write!(
                f,
                ": {:?}",
                excerpt(self.body_excerpt.trim().as_bytes(), DISPLAY_EXCERPT_BYTES)
            ),
            (None, None) => Ok(()),
        }
    }
}

/// Text with every line break and control character shown as a space, so
/// that `Display` stays one line whatever a server sends.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                f.write_str(" ")?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

fn parse_zoom_error_body(body: &[u8]) -> (Option<i64>, Option<String>) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    zoom_code_and_message(&fields)
}

fn zoom_code_and_message(
    fields: &serde_json::Map<String, serde_json::Value>,
) -> (Option<i64>, Option<String>) {
    let code = fields.get("code").and_then(|code| match code {
        serde_json::Value::Number(n) => n.as_i64(),
        // Some Zoom endpoints send the code as a string.
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let message = ["message", "reason", "error_description"]
        .iter()
        .find_map(|key| fields.get(*key).and_then(serde_json::Value::as_str))
        .map(|m| excerpt(m.as_bytes(), MAX_BODY_EXCERPT_BYTES));
    (code, message)
}

/// At most `max` bytes of `body` as text, cut on a character boundary and
/// marked with `…` when cut.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= max {
        return text.into_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Which timeout passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Timeout {
    /// No answer within the request timeout (`None`: reqwest's own limit).
    Request { timeout: Option<Duration> },
    /// The answer came, its body not within the request timeout.
    Body { timeout: Option<Duration> },
    /// The retry policy's overall deadline passed while an attempt (or the
    /// wait for the throttle or a token) was still under way.
    Deadline { deadline: Duration },
}

/// How a request could not be carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transport {
    /// No connection could be opened: no request reached the server.
    Connect,
    /// The request could not be sent, or the connection broke before an
    /// answer came.
    Request,
    /// The connection broke while the answer's body was being read.
    Body,
}

/// A client-side budget that refused a request before it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Budget {
    /// [`crate::RateLimitPlan::daily_budget`]: HEAVY and RESOURCE-INTENSIVE
    /// requests per UTC day, shared, as Zoom counts them.
    DailyHeavy { limit: u32 },
}

/// Why a page stream ended with an error of its own.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PageError {
    /// Page `page` (1 for the first) handed back the token that page
    /// `first_seen` had handed out, so following it would page forever.
    TokenCycle { page: u32, first_seen: u32 },
    /// Zoom refused the token that page `page` was requested with as
    /// invalid or expired ([`ApiError::is_page_token_refusal`]); a token
    /// lives [`PAGE_TOKEN_LIFETIME`].
    TokenExpired { page: u32, answer: ApiError },
}

/// What went wrong. Matched through [`Error::kind`]; the facts every kind
/// shares (operation, status, attempts, tracking id) are on [`Error`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Zoom answered with a non-2xx status.
    Api(ApiError),
    /// No usable access token: the OAuth token endpoint refused the
    /// credentials (its status and Zoom's reason are in the [`AuthError`]),
    /// was unreachable, or answered something unusable.
    Auth(AuthError),
    /// The request could not be carried; the `reqwest::Error` is the source.
    Transport(Transport),
    /// A timeout passed; the `reqwest::Error`, if any, is the source.
    Timeout(Timeout),
    /// A 2xx body did not decode into the operation's type; the
    /// `serde_json::Error` is the source.
    Decode { body_excerpt: String },
    /// The response body is larger than the configured cap
    /// ([`crate::RuntimeBuilder::with_max_response_body_bytes`]).
    BodyTooLarge {
        limit: u64,
        content_length: Option<u64>,
    },
    /// A client-side budget refused the request; nothing was sent.
    BudgetExhausted { budget: Budget, resets_in: Duration },
    /// A page stream ended so as not to loop or lose pages silently.
    Page(PageError),
    /// A 2xx status the generated method does not decode (listed in the
    /// operation's `unmodeled_success_statuses`); its body is not read.
    UnexpectedStatus,
    /// The request could not be built (an argument that did not convert,
    /// a URL that does not parse).
    InvalidRequest(String),
    /// The runtime was configured with something unusable.
    Config(String),
    /// A file to upload could not be read ([`crate::file_part_from_path`]);
    /// the `io::Error` is the source.
    ReadUpload { path: std::path::PathBuf },
    /// An upload part cannot be built: a path that names no file, an
    /// unusable file name, or a content type that is not a MIME type.
    InvalidUpload(String),
}

impl ErrorKind {
    /// A short stable name of the kind, for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            ErrorKind::Api(_) => "api",
            ErrorKind::Auth(_) => "auth",
            ErrorKind::Transport(_) => "transport",
            ErrorKind::Timeout(_) => "timeout",
            ErrorKind::Decode { .. } => "decode",
            ErrorKind::BodyTooLarge { .. } => "body_too_large",
            ErrorKind::BudgetExhausted { .. } => "budget_exhausted",
            ErrorKind::Page(_) => "page",
            ErrorKind::UnexpectedStatus => "unexpected_status",
            ErrorKind::InvalidRequest(_) => "invalid_request",
            ErrorKind::Config(_) => "config",
            ErrorKind::ReadUpload { .. } => "read_upload",
            ErrorKind::InvalidUpload(_) => "invalid_upload",
        }
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything a Zoom client call, the runtime and its builder can fail
/// with. See the [module documentation](self).
#[derive(Clone)]
pub struct Error {
    inner: Arc<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    status: Option<u16>,
    attempts: u32,
    tracking_id: Option<String>,
    source: Option<Source>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Arc::new(Inner {
                kind,
                operation: None,
                status: None,
                attempts: 0,
                tracking_id: None,
                source: None,
            }),
        }
    }

    /// Sets what the builder methods below set; only while the error is not
    /// shared yet (always, right after [`Error::new`]).
    fn edit(mut self, change: impl FnOnce(&mut Inner)) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            change(inner);
        }
        self
    }

    pub(crate) fn for_operation(self, operation: &OperationMeta) -> Self {
        self.for_operation_id(operation.operation_id)
    }

    pub(crate) fn for_operation_id(self, id: &'static str) -> Self {
        self.edit(|inner| inner.operation = Some(id))
    }

    pub(crate) fn with_tracking_id(self, id: Option<String>) -> Self {
        self.edit(|inner| inner.tracking_id = id)
    }

    pub(crate) fn with_status(self, status: u16) -> Self {
        self.edit(|inner| inner.status = Some(status))
    }

    pub(crate) fn with_attempts(self, attempts: u32) -> Self {
        self.edit(|inner| inner.attempts = attempts)
    }

    pub(crate) fn with_headers(self, headers: &HeaderMap) -> Self {
        let id = tracking_id(headers);
        self.edit(|inner| inner.tracking_id = id)
    }

    pub(crate) fn with_source(self, source: impl Into<Source>) -> Self {
        let source = source.into();
        self.edit(|inner| inner.source = Some(source))
    }

    /// The runtime was configured with something unusable.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config(message.into()))
    }

    pub(crate) fn invalid_upload(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidUpload(message.into()))
    }

    pub(crate) fn read_upload(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::new(ErrorKind::ReadUpload {
            path: path.to_owned(),
        })
        .with_source(source)
    }

    /// A non-2xx answer.
    pub(crate) fn from_answer(answer: ApiError, headers: &HeaderMap) -> Self {
        let status = answer.status;
        Error::new(ErrorKind::Api(answer))
            .with_status(status)
            .with_headers(headers)
    }

    /// A failed send or body read, sorted into timeout or transport. The
    /// source keeps no URL: its path and query may hold ids, e-mail
    /// addresses or page tokens, and `Debug` of the chain would show them.
    pub(crate) fn from_reqwest(
        source: reqwest::Error,
        timeout: Option<Duration>,
        body: bool,
    ) -> Self {
        let kind = if source.is_timeout() {
            ErrorKind::Timeout(if body {
                Timeout::Body { timeout }
            } else {
                Timeout::Request { timeout }
            })
        } else if source.is_builder() {
            ErrorKind::InvalidRequest("the request could not be built".into())
        } else if source.is_connect() {
            ErrorKind::Transport(Transport::Connect)
        } else if body {
            ErrorKind::Transport(Transport::Body)
        } else {
            ErrorKind::Transport(Transport::Request)
        };
        Error::new(kind).with_source(source.without_url())
    }

    /// This error's context (operation, status, attempts, tracking id) for
    /// Zoom refusing the token of page `page`.
    pub(crate) fn page_token_expired(&self, page: u32, answer: ApiError) -> Error {
        let context = &*self.inner;
        Error::new(ErrorKind::Page(PageError::TokenExpired { page, answer })).edit(|inner| {
            inner.operation = context.operation;
            inner.status = context.status;
            inner.attempts = context.attempts;
            inner.tracking_id.clone_from(&context.tracking_id);
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The spec's `operationId` of the call that failed (`None` for a
    /// builder or upload error).
    pub fn operation_id(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// The HTTP status of the answer this error is about: the API's, or the
    /// OAuth token endpoint's for an [`ErrorKind::Auth`] refusal. A body that
    /// timed out or was too large keeps the status that came before it.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Auth(AuthError::TokenEndpoint { status, .. }) => Some(*status),
            _ => self.inner.status,
        }
    }

    /// Zoom's answer, for [`ErrorKind::Api`] and a refused page token.
    pub fn api(&self) -> Option<&ApiError> {
        match &self.inner.kind {
            ErrorKind::Api(answer) => Some(answer),
            ErrorKind::Page(PageError::TokenExpired { answer, .. }) => Some(answer),
            _ => None,
        }
    }

    /// The token endpoint's refusal or failure, for [`ErrorKind::Auth`].
    pub fn auth(&self) -> Option<&AuthError> {
        match &self.inner.kind {
            ErrorKind::Auth(auth) => Some(auth),
            _ => None,
        }
    }

    /// Zoom's numeric error code from the body.
    pub fn code(&self) -> Option<i64> {
        self.api().and_then(ApiError::code)
    }

    /// Zoom's message from the body (or the token endpoint's `reason`).
    pub fn zoom_message(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Auth(AuthError::TokenEndpoint { reason, error, .. }) => {
                reason.as_deref().or(error.as_deref())
            }
            _ => self.api().and_then(ApiError::message),
        }
    }

    /// The spec's documented meaning of Zoom's code for this operation and
    /// status.
    pub fn documented(&self) -> Option<&'static ErrorCodeMeta> {
        self.api().and_then(ApiError::documented)
    }

    /// Zoom's rate-limit headers on the failed answer.
    pub fn rate_limit(&self) -> Option<&RateLimitHeaders> {
        self.api().map(ApiError::rate_limit)
    }

    /// How many requests the runtime sent for this call (retries and the
    /// resend after a token refresh included); 0 when none was sent (and
    /// for a 2xx answer that did not come through the runtime).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Zoom's `x-zm-trackingid` of the answer, for Zoom support.
    pub fn tracking_id(&self) -> Option<&str> {
        self.inner.tracking_id.as_deref()
    }

    /// A bounded excerpt ([`MAX_BODY_EXCERPT_BYTES`]) of the body this error
    /// is about, when there was one: an answer that is not Zoom's JSON (an
    /// HTML page from a proxy), a 2xx body that did not decode.
    pub fn body_excerpt(&self) -> Option<&str> {
        let excerpt = match &self.inner.kind {
            ErrorKind::Api(answer) => answer.body_excerpt(),
            ErrorKind::Decode { body_excerpt } => body_excerpt,
            ErrorKind::Auth(AuthError::TokenEndpoint { body_excerpt, .. }) => body_excerpt,
            _ => return None,
        };
        (!excerpt.is_empty()).then_some(excerpt)
    }

    /// Whether Zoom, its token endpoint or a client-side budget refused the
    /// request for a rate limit: HTTP 429, or [`ErrorKind::BudgetExhausted`].
    pub fn is_rate_limited(&self) -> bool {
        match &self.inner.kind {
            ErrorKind::Api(answer) => answer.status == 429,
            ErrorKind::Auth(AuthError::TokenEndpoint { status, .. }) => *status == 429,
            ErrorKind::BudgetExhausted { .. } => true,
            _ => false,
        }
    }

    /// How long to wait before trying again, when the refusal said: Zoom's
    /// (or the token endpoint's) `Retry-After`, or when a spent budget
    /// resets.
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.inner.kind {
            ErrorKind::Api(answer) => answer.retry_after,
            ErrorKind::Auth(auth) => auth
                .retry_after()
                .and_then(|value| crate::retry::parse_retry_after(value, SystemTime::now())),
            ErrorKind::BudgetExhausted { resets_in, .. } => Some(*resets_in),
            _ => None,
        }
    }

    /// Whether the same call may succeed later, unchanged: a rate limit
    /// (see [`Error::retry_after`]), HTTP 408, 500, 502, 503 or 504, a
    /// timeout, a transport failure, or a token endpoint that was
    /// unreachable or busy. The runtime has already retried what its
    /// [`crate::RetryPolicy`] allows ([`Error::attempts`]); a POST that
    /// got a 5xx may have taken effect.
    pub fn is_retryable(&self) -> bool {
        match &self.inner.kind {
            ErrorKind::Api(answer) => matches!(answer.status, 408 | 429 | 500 | 502 | 503 | 504),
            ErrorKind::Auth(auth) => auth.is_transient(),
            ErrorKind::Transport(_) | ErrorKind::Timeout(_) => true,
            ErrorKind::BudgetExhausted { .. } => true,
            _ => false,
        }
    }

    /// Whether a timeout passed: the request timeout (for the answer or its
    /// body), the retry policy's deadline, or a timeout reaching the token
    /// endpoint.
    pub fn is_timeout(&self) -> bool {
        match &self.inner.kind {
            ErrorKind::Timeout(_) => true,
            ErrorKind::Auth(AuthError::Transport(source)) => source.is_timeout(),
            _ => false,
        }
    }

    /// The error for any failure of a generated method, for the wrappers
    /// codegen puts around `send()`, `stream()` and `collect_all()`:
    ///
    /// ```ignore
    /// pub async fn send(self) -> Result<ResponseValue<T>, zoom_api_runtime::Error> {
    ///     self.engine_send()
    ///         .await
    ///         .map_err(|error| zoom_api_runtime::Error::from_progenitor(error, &super::metadata::OPERATIONS[7]))
    /// }
    /// ```
    ///
    /// Total: the runtime error carried out of [`crate::Runtime::exec`] is
    /// taken back (with `operation` filled in where the runtime could not
    /// know it, as for a page stream's own errors); whatever else progenitor
    /// can return becomes the closest kind (a body that did not decode is
    /// [`ErrorKind::Decode`] with the `serde_json::Error` as source, an
    /// argument that did not convert [`ErrorKind::InvalidRequest`], an
    /// error answer decoded by progenitor itself [`ErrorKind::Api`]).
    pub fn from_progenitor<E: serde::Serialize>(
        error: progenitor_client::Error<E>,
        operation: &'static OperationMeta,
    ) -> Error {
        use progenitor_client::Error as P;
        let found = match &error {
            P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
                Error::find_in(e).cloned()
            }
            _ => None,
        };
        if let Some(found) = found {
            drop(error);
            return found.or_operation(operation);
        }
        let converted = match error {
            P::CommunicationError(e) | P::InvalidUpgrade(e) => Error::from_reqwest(e, None, false),
            P::ResponseBodyError(e) => Error::from_reqwest(e, None, true),
            P::InvalidRequest(message) | P::Custom(message) => {
                Error::new(ErrorKind::InvalidRequest(message))
            }
            P::InvalidResponsePayload(body, source) => Error::new(ErrorKind::Decode {
                body_excerpt: excerpt(&body, MAX_BODY_EXCERPT_BYTES),
            })
            .with_source(source),
            P::ErrorResponse(value) => {
                let status = value.status().as_u16();
                let headers = value.headers().clone();
                let body = serde_json::to_vec(&*value).unwrap_or_default();
                Error::from_answer(ApiError::new(status, &headers, &body, operation), &headers)
            }
            P::UnexpectedResponse(response) => {
                let error = Error::new(ErrorKind::UnexpectedStatus)
                    .with_status(response.status().as_u16())
                    .with_headers(response.headers());
                match response.extensions().get::<crate::body::Answer>() {
                    Some(answer) => answer.error(error),
                    None => error,
                }
            }
        };
        converted.for_operation(operation)
    }

    /// This error, with `operation` if it has none yet.
    fn or_operation(self, operation: &OperationMeta) -> Self {
        if self.inner.operation.is_some() {
            return self;
        }
        let id = operation.operation_id;
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.operation = Some(id);
                Error {
                    inner: Arc::new(inner),
                }
            }
            // Still shared (the caller kept a clone of what carried it):
            // the operation is only missing from the text.
            Err(inner) => Error { inner },
        }
    }

    /// This crate's error somewhere in the `source()` chain of `error`.
    ///
    /// A user of a generated client does not need this: the generated
    /// methods convert with [`Error::from_progenitor`]. It is how that
    /// conversion finds the error [`crate::Runtime::exec`] carried inside a
    /// `reqwest::Error`.
    pub fn find_in<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Error> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<Error>() {
                return Some(found);
            }
            current = e.source();
        }
        None
    }

    /// This error inside a `reqwest::Error`, for progenitor's
    /// `ClientHooks::exec` and for page streams of progenitor's error type.
    ///
    /// reqwest offers no public constructor for its error, so the error
    /// travels as the failure of a response body: a body stream whose first
    /// item is this error, read once. Reading such a body completes on its
    /// first poll (nothing in it waits), so no runtime is needed and this
    /// is synchronous; [`Error::find_in`] recovers the error from the
    /// `reqwest::Error`'s source chain. A unit test guards the round trip.
    pub(crate) fn into_reqwest_error(self) -> reqwest::Error {
        use futures_util::FutureExt;
        let body = reqwest::Body::wrap_stream(FailingStream(Some(self)));
        let response = reqwest::Response::from(http::Response::new(body));
        match response.bytes().now_or_never() {
            Some(Err(error)) => error,
            // Only if reqwest stopped reading such a body in one poll: a bare
            // status error is the closest honest stand-in.
            _ => status_error(),
        }
    }
}

/// A `reqwest::Error` of HTTP 500 with no source.
fn status_error() -> reqwest::Error {
    let mut failed = http::Response::new(reqwest::Body::from(Vec::new()));
    *failed.status_mut() = reqwest::StatusCode::INTERNAL_SERVER_ERROR;
    match reqwest::Response::from(failed).error_for_status() {
        Err(error) => error,
        // error_for_status fails on every 5xx; a builder error is the last
        // resort that needs no network.
        Ok(_) => match reqwest::Client::new().get("not a url").build() {
            Err(error) => error,
            Ok(_) => unreachable!("\"not a url\" is not a URL"),
        },
    }
}

/// A body stream whose only item is the carried error.
struct FailingStream(Option<Error>);

impl futures_core::Stream for FailingStream {
    type Item = std::result::Result<Vec<u8>, Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().map(Err))
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::new(ErrorKind::Auth(error))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        if let Some(operation) = inner.operation {
            write!(f, "{operation}: ")?;
        }
        let attempts = |f: &mut fmt::Formatter<'_>| match inner.attempts {
            0 | 1 => Ok(()),
            n => write!(f, " after {n} attempts"),
        };
        let status = |f: &mut fmt::Formatter<'_>| match inner.status {
            Some(status) => write!(f, "HTTP {status}, "),
            None => Ok(()),
        };
        match &inner.kind {
            ErrorKind::Api(answer) => answer.describe(f, inner.attempts),
            ErrorKind::Auth(auth) => {
                write!(f, "authentication failed")?;
                attempts(f)?;
                write!(f, ": {auth}")
            }
            ErrorKind::Transport(transport) => {
                f.write_str(match transport {
                    Transport::Connect => "could not connect to the Zoom API",
                    Transport::Request => "the request to the Zoom API failed",
                    Transport::Body => "the connection broke while reading the answer",
                })?;
                attempts(f)
            }
            ErrorKind::Timeout(Timeout::Request { timeout }) => {
                f.write_str("timed out waiting for the answer")?;
                if let Some(timeout) = timeout {
                    write!(f, " ({timeout:?} per attempt)")?;
                }
                attempts(f)
            }
            ErrorKind::Timeout(Timeout::Body { timeout }) => {
                status(f)?;
                f.write_str("timed out reading the body")?;
                if let Some(timeout) = timeout {
                    write!(f, " ({timeout:?} per attempt)")?;
                }
                attempts(f)
            }
            ErrorKind::Timeout(Timeout::Deadline { deadline }) => {
                write!(f, "gave up")?;
                attempts(f)?;
                write!(f, ": the deadline of {deadline:?} passed")
            }
            ErrorKind::Decode { .. } => {
                status(f)?;
                f.write_str("the answer does not decode as the documented type")?;
                if let Some(source) = &inner.source {
                    write!(f, ": {}", OneLine(&source.to_string()))?;
                }
                Ok(())
            }
            ErrorKind::BodyTooLarge {
                limit,
                content_length,
            } => {
                status(f)?;
                write!(
                    f,
                    "the response body is larger than the limit of {limit} bytes"
                )?;
                if let Some(length) = content_length {
                    write!(f, " (Content-Length {length})")?;
                }
                Ok(())
            }
            ErrorKind::BudgetExhausted { budget, resets_in } => {
                f.write_str("not sent: ")?;
                match budget {
                    Budget::DailyHeavy { limit } => write!(
                        f,
                        "the client-side daily budget of {limit} HEAVY/RESOURCE-INTENSIVE requests is spent; \
                         it resets at 00:00 UTC, in {}",
                        HoursMinutes(*resets_in)
                    ),
                }
            }
            ErrorKind::Page(PageError::TokenCycle { page, first_seen }) => write!(
                f,
                "page {page} handed back the page token page {first_seen} had handed out; \
                 the stream ends here instead of paging forever"
            ),
            ErrorKind::Page(PageError::TokenExpired { page, answer }) => {
                write!(
                    f,
                    "page {page}: Zoom refused the page token as invalid or expired (tokens live 15 minutes): "
                )?;
                answer.describe(f, inner.attempts)
            }
            ErrorKind::UnexpectedStatus => {
                status(f)?;
                f.write_str("a status this method does not decode")
            }
            ErrorKind::InvalidRequest(message) => {
                write!(f, "invalid request: {}", OneLine(message))
            }
            ErrorKind::Config(message) => {
                write!(f, "invalid configuration: {}", OneLine(message))
            }
            ErrorKind::ReadUpload { path } => {
                write!(f, "cannot read the file to upload {}", path.display())
            }
            ErrorKind::InvalidUpload(message) => {
                write!(f, "invalid upload: {}", OneLine(message))
            }
        }
    }
}

/// A duration as `3h 12m` (or `45s` under a minute).
struct HoursMinutes(Duration);

impl fmt::Display for HoursMinutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        match (secs / 3600, secs % 3600 / 60) {
            (0, 0) => write!(f, "{secs}s"),
            (0, m) => write!(f, "{m}m"),
            (h, m) => write!(f, "{h}h {m}m"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("operation", &inner.operation)
            .field("status", &inner.status)
            .field("attempts", &inner.attempts)
            .field("tracking_id", &inner.tracking_id)
            .field("source", &inner.source)
            .finish()
    }
}

impl std::error::Error for Error {
    /// The foreign cause: a `reqwest::Error`, `serde_json::Error` or
    /// `io::Error`. Facts of this crate's own (Zoom's answer, the token
    /// endpoint's status and reason) are in `Display` instead, so a report
    /// that prints the chain says each thing once.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        if let Some(source) = &self.inner.source {
            return Some(source.as_ref());
        }
        match &self.inner.kind {
            ErrorKind::Auth(auth) => std::error::Error::source(auth),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ErrorCodeMeta;
    use reqwest::header::HeaderValue;

    static OP: OperationMeta = OperationMeta {
        error_codes: &[ErrorCodeMeta {
            status: 404,
            code: 1001,
            message: "User does not exist.",
        }],
        ..OperationMeta::new("getUser", "GET", "/users/{userId}")
    };

    fn api(status: u16, body: &[u8]) -> Error {
        Error::from_answer(
            ApiError::new(status, &HeaderMap::new(), body, &OP),
            &HeaderMap::new(),
        )
        .for_operation(&OP)
        .with_attempts(1)
    }

    #[test]
    fn reads_zoom_code_and_message() {
        let err = api(404, br#"{"code":1001,"message":"User does not exist: x"}"#);
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.code(), Some(1001));
        assert_eq!(err.zoom_message(), Some("User does not exist: x"));
        assert_eq!(
            err.documented().map(|d| d.message),
            Some("User does not exist.")
        );
        assert_eq!(err.operation_id(), Some("getUser"));
        assert_eq!(
            err.to_string(),
            "getUser: HTTP 404, Zoom error 1001: User does not exist: x"
        );
        assert!(!err.is_retryable() && !err.is_timeout() && !err.is_rate_limited());
    }

    #[test]
    fn keeps_unknown_codes_and_string_codes() {
        let err = api(400, br#"{"code":"3412","message":"m"}"#);
        assert_eq!(err.code(), Some(3412));
        assert!(err.documented().is_none());
    }

    #[test]
    fn documented_message_stands_in_for_a_missing_one() {
        let err = api(404, br#"{"code":1001}"#).with_attempts(3);
        assert_eq!(
            err.to_string(),
            "getUser: HTTP 404 after 3 attempts, Zoom error 1001: User does not exist. (documented meaning)"
        );
    }

    #[test]
    fn display_is_one_line_whatever_the_server_sends() {
        let err = api(400, b"{\"code\":1,\"message\":\"two\\nlines\\r\\n\"}");
        assert_eq!(
            err.to_string(),
            "getUser: HTTP 400, Zoom error 1: two lines  "
        );
        let err = api(502, b"<html>\n<body>Bad gateway</body>\n</html>");
        assert_eq!(
            err.to_string(),
            "getUser: HTTP 502: \"<html>\\n<body>Bad gateway</body>\\n</html>\""
        );
        assert!(format!("{err:?}").contains("502"), "{err:?}");
        assert_eq!(err.status(), Some(502));
        assert!(err.is_retryable());
        assert_eq!(
            err.body_excerpt(),
            Some("<html>\n<body>Bad gateway</body>\n</html>")
        );
    }

    #[test]
    fn never_panics_on_odd_bodies() {
        let long = "é".repeat(MAX_BODY_EXCERPT_BYTES);
        let bodies: Vec<&[u8]> = vec![
            b"",
            b"not json",
            b"{",
            b"[1,2]",
            b"null",
            br#"{"code": 1e400}"#,
            br#"{"code": 99999999999999999999999, "message": 7}"#,
            br#"{"code": {"nested": true}, "message": ["a"]}"#,
            &[0xff, 0xfe, 0x00, 0x80],
            long.as_bytes(),
        ];
        for body in bodies {
            let err = api(502, body);
            assert_eq!(err.code(), None, "{body:?}");
            assert_eq!(err.zoom_message(), None);
            assert!(
                err.body_excerpt().unwrap_or("").len() <= MAX_BODY_EXCERPT_BYTES + '…'.len_utf8()
            );
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn page_token_refusals_need_status_code_and_message() {
        let refusal = |status, body: &str| {
            ApiError::new(status, &HeaderMap::new(), body.as_bytes(), &OP).is_page_token_refusal()
        };
        assert!(refusal(
            400,
            r#"{"code":300,"message":"The next page token is invalid or expired."}"#
        ));
        assert!(refusal(
            400,
            r#"{"code":300,"message":"Invalid next_page_token."}"#
        ));
        // Zoom's other uses of code 300.
        assert!(!refusal(
            400,
            r#"{"code":300,"message":"Invalid parameter: file_ids"}"#
        ));
        assert!(!refusal(
            400,
            r#"{"code":300,"message":"RoleId required."}"#
        ));
        assert!(!refusal(400, r#"{"code":300}"#));
        assert!(!refusal(
            404,
            r#"{"code":300,"message":"The next page token is invalid or expired."}"#
        ));
        assert!(!refusal(
            400,
            r#"{"code":124,"message":"Invalid access token."}"#
        ));
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        assert_eq!(excerpt("aé".as_bytes(), 2), "a…");
        assert_eq!(excerpt(b"abc", 3), "abc");
        assert_eq!(excerpt(b"abcd", 3), "abc…");
    }

    #[test]
    fn rate_limit_headers_are_typed() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-type", HeaderValue::from_static("Daily-limit"));
        headers.insert("x-ratelimit-category", HeaderValue::from_static("Heavy"));
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("30000"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("zero"));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("2020-05-31T00:00:00Z"),
        );
        headers.insert(
            TRACKING_ID_HEADER,
            HeaderValue::from_static("v=2.0;clid=us05;rid=42"),
        );
        let rl = RateLimitHeaders::from_headers(&headers);
        assert_eq!(
            rl,
            RateLimitHeaders {
                limit_type: Some(RateLimitType::Daily),
                category: Some(RateLimitLabel::Heavy),
                limit: Some(30000),
                remaining: None,
                retry_after: Some("2020-05-31T00:00:00Z".into()),
            }
        );
        assert!(RateLimitHeaders::from_headers(&HeaderMap::new()).is_empty());
        assert_eq!(RateLimitType::parse("QPS"), RateLimitType::PerSecond);
        assert_eq!(
            RateLimitType::parse("burst"),
            RateLimitType::Other("burst".into())
        );
        let err = Error::from_answer(
            ApiError::new(429, &headers, br#"{"code":429,"message":"slow down"}"#, &OP),
            &headers,
        );
        assert!(err.is_rate_limited() && err.is_retryable());
        // A date long past: go ahead now.
        assert_eq!(err.retry_after(), Some(Duration::ZERO));
        assert_eq!(err.rate_limit().and_then(|r| r.limit), Some(30000));
        assert_eq!(err.tracking_id(), Some("v=2.0;clid=us05;rid=42"));
    }

    #[test]
    fn budget_and_page_errors_say_what_and_when() {
        let err = Error::new(ErrorKind::BudgetExhausted {
            budget: Budget::DailyHeavy { limit: 30_000 },
            resets_in: Duration::from_secs(3 * 3600 + 12 * 60 + 5),
        })
        .for_operation(&OP);
        assert_eq!(
            err.to_string(),
            "getUser: not sent: the client-side daily budget of 30000 HEAVY/RESOURCE-INTENSIVE \
             requests is spent; it resets at 00:00 UTC, in 3h 12m"
        );
        assert!(err.is_rate_limited());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(11525)));
        let err = Error::new(ErrorKind::Page(PageError::TokenCycle {
            page: 3,
            first_seen: 1,
        }));
        assert_eq!(
            err.to_string(),
            "page 3 handed back the page token page 1 had handed out; the stream ends here instead of paging forever"
        );
    }

    #[test]
    fn runtime_errors_survive_the_trip_through_reqwest() {
        let original = Error::config("no credentials").with_attempts(2);
        let carried = original.into_reqwest_error();
        assert!(carried.is_decode());
        match Error::find_in(&carried).map(Error::kind) {
            Some(ErrorKind::Config(message)) => assert_eq!(message, "no credentials"),
            other => panic!("not found: {other:?}"),
        }
        let back = Error::from_progenitor(
            progenitor_client::Error::<()>::CommunicationError(carried),
            &OP,
        );
        assert_eq!(back.attempts(), 2);
        assert_eq!(back.operation_id(), Some("getUser"), "filled in");
        assert_eq!(
            back.to_string(),
            "getUser: invalid configuration: no credentials"
        );
    }

    #[test]
    fn from_progenitor_is_total() {
        use progenitor_client::Error as P;
        let decode = serde_json::from_slice::<u32>(b"\"five\"").unwrap_err();
        let err = Error::from_progenitor(
            P::<()>::InvalidResponsePayload(b"\"five\""[..].into(), decode),
            &OP,
        );
        assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
        assert_eq!(err.body_excerpt(), Some("\"five\""));
        assert!(std::error::Error::source(&err).is_some());
        assert!(
            err.to_string()
                .starts_with("getUser: the answer does not decode"),
            "{err}"
        );

        let err = Error::from_progenitor(P::<()>::InvalidRequest("bad date".into()), &OP);
        assert_eq!(err.to_string(), "getUser: invalid request: bad date");

        #[derive(serde::Serialize)]
        struct ZoomError {
            code: i64,
            message: &'static str,
        }
        let value = progenitor_client::ResponseValue::new(
            ZoomError {
                code: 1001,
                message: "gone",
            },
            reqwest::StatusCode::NOT_FOUND,
            HeaderMap::new(),
        );
        let err = Error::from_progenitor(P::ErrorResponse(value), &OP);
        assert_eq!(err.to_string(), "getUser: HTTP 404, Zoom error 1001: gone");
        assert_eq!(err.documented().map(|d| d.code), Some(1001));

        let mut response = http::Response::new(reqwest::Body::from(""));
        *response.status_mut() = reqwest::StatusCode::ACCEPTED;
        let err = Error::from_progenitor(
            P::<()>::UnexpectedResponse(reqwest::Response::from(response)),
            &OP,
        );
        assert_eq!(err.status(), Some(202));
        assert!(matches!(err.kind(), ErrorKind::UnexpectedStatus));
    }

    #[test]
    fn error_is_small_and_shareable() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
