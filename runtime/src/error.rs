//! The crate's errors. [`ApiError`] is a non-2xx answer from Zoom made
//! readable: status, Zoom's numeric `code` and `message` from the JSON body,
//! the rate-limit headers, and the spec's entry for that code when the
//! operation documents it. [`Error`] is everything [`crate::Runtime::execute`]
//! and the generated client can fail with. No `Display` here prints a secret:
//! credentials and tokens never reach these types (see [`crate::Secret`]).

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::auth::AuthError;
use crate::meta::{ErrorCodeMeta, OperationMeta};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much of an error body [`ApiError::raw_body`] keeps. Zoom's JSON
/// errors are far shorter; an HTML error page from a proxy is not worth more.
pub const MAX_RAW_BODY_BYTES: usize = 8 * 1024;

/// How much of an unexpected body a `Display` quotes.
const DISPLAY_EXCERPT_BYTES: usize = 200;

/// Zoom's rate-limit response headers, as sent (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Type`, e.g. `QPS` or `Daily-limit`.
    pub limit_type: Option<String>,
    /// `X-RateLimit-Category`, e.g. `Light` or `Heavy`.
    pub category: Option<String>,
    /// `X-RateLimit-Limit`, when it is a number.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`, when it is a number.
    pub remaining: Option<u64>,
    /// `Retry-After`, unparsed; see [`crate::retry::parse_retry_after`].
    pub retry_after: Option<String>,
}

impl RateLimitHeaders {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        fn text(headers: &HeaderMap, name: &str) -> Option<String> {
            let value = headers.get(name)?;
            let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
            (!text.is_empty()).then_some(text)
        }
        RateLimitHeaders {
            limit_type: text(headers, "x-ratelimit-type"),
            category: text(headers, "x-ratelimit-category"),
            limit: text(headers, "x-ratelimit-limit").and_then(|v| v.parse().ok()),
            remaining: text(headers, "x-ratelimit-remaining").and_then(|v| v.parse().ok()),
            retry_after: text(headers, "retry-after"),
        }
    }

    /// Whether the response carried none of these headers.
    pub fn is_empty(&self) -> bool {
        *self == RateLimitHeaders::default()
    }
}

/// A non-2xx answer from the Zoom API.
#[derive(Debug, Clone)]
pub struct ApiError {
    operation_id: &'static str,
    status: u16,
    code: Option<i64>,
    message: Option<String>,
    raw_body: String,
    rate_limit: RateLimitHeaders,
    documented: Option<&'static ErrorCodeMeta>,
}

impl ApiError {
    /// Reads Zoom's `{"code": .., "message": ..}` out of any body. Never
    /// fails and never panics: a body that is not that JSON keeps only its
    /// (truncated) text and has no code. Codes the spec does not document are
    /// kept; [`ApiError::documented`] is then `None`.
    pub fn new(status: u16, headers: &HeaderMap, body: &[u8], operation: &OperationMeta) -> Self {
        let (code, message) = parse_zoom_error_body(body);
        ApiError {
            operation_id: operation.operation_id,
            status,
            code,
            message,
            raw_body: excerpt(body, MAX_RAW_BODY_BYTES),
            rate_limit: RateLimitHeaders::from_headers(headers),
            documented: code.and_then(|c| operation.documented_error(status, c)),
        }
    }

    /// Reads the whole body of `response` and builds the error from it.
    pub async fn from_response(
        response: reqwest::Response,
        operation: &OperationMeta,
    ) -> Result<Self> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::from_reqwest(operation, source))?;
        Ok(ApiError::new(status, &headers, &body, operation))
    }

    pub fn operation_id(&self) -> &'static str {
        self.operation_id
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

    /// The body as text (lossy UTF-8), cut at [`MAX_RAW_BODY_BYTES`].
    pub fn raw_body(&self) -> &str {
        &self.raw_body
    }

    pub fn rate_limit(&self) -> &RateLimitHeaders {
        &self.rate_limit
    }

    /// The spec's entry for this status and code, when documented.
    pub fn documented(&self) -> Option<&'static ErrorCodeMeta> {
        self.documented
    }

    /// Zoom refused the request for its rate limit (HTTP 429).
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: Zoom API answered HTTP {}",
            self.operation_id, self.status
        )?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        match (&self.message, self.documented) {
            (Some(message), _) => write!(f, ": {message}"),
            (None, Some(documented)) => write!(f, ": {} (documented meaning)", documented.message),
            (None, None) if !self.raw_body.trim().is_empty() => {
                write!(
                    f,
                    ": {:?}",
                    excerpt(self.raw_body.trim().as_bytes(), DISPLAY_EXCERPT_BYTES)
                )
            }
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

fn parse_zoom_error_body(body: &[u8]) -> (Option<i64>, Option<String>) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let code = fields.get("code").and_then(|code| match code {
        serde_json::Value::Number(n) => n.as_i64(),
        // Some Zoom endpoints send the code as a string.
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let message = ["message", "reason", "error_description"]
        .iter()
        .find_map(|key| fields.get(*key).and_then(serde_json::Value::as_str))
        .map(str::to_owned);
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

/// Everything the runtime and the generated client can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Zoom answered with a non-2xx status. [`crate::Runtime::execute`]
    /// returns such responses as they are; generated code decodes them into
    /// this variant. Boxed, as it is by far the largest.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// No usable access token: the OAuth token endpoint failed or answered
    /// something unusable.
    #[error("authentication failed")]
    Auth(#[from] AuthError),

    /// The request could not be sent or its answer not received.
    #[error("{operation_id}: could not reach the Zoom API")]
    Transport {
        operation_id: &'static str,
        #[source]
        source: reqwest::Error,
    },

    /// The per-request timeout passed before Zoom answered.
    #[error("{operation_id}: timed out waiting for the Zoom API")]
    Timeout {
        operation_id: &'static str,
        #[source]
        source: reqwest::Error,
    },

    /// The overall deadline of the retry policy passed while an attempt (or
    /// the wait for the throttle or a token) was still under way.
    #[error(
        "{operation_id}: gave up after {attempts} attempt(s): the deadline of {deadline:?} passed"
    )]
    DeadlineExceeded {
        operation_id: &'static str,
        deadline: Duration,
        attempts: u32,
    },

    /// The client-side daily budget for HEAVY and RESOURCE-INTENSIVE
    /// requests (see [`crate::RateLimitPlan::daily_budget`]) is spent.
    #[error(
        "{operation_id}: the daily budget of {budget} HEAVY/RESOURCE-INTENSIVE requests is spent; it resets in {resets_in:?}"
    )]
    DailyBudgetExhausted {
        operation_id: &'static str,
        budget: u32,
        resets_in: Duration,
    },

    /// A response body did not decode into the expected type.
    #[error("could not decode the response: {message}")]
    Decode {
        message: String,
        body_excerpt: String,
    },

    /// The runtime was configured with something unusable.
    #[error("invalid runtime configuration: {0}")]
    Config(String),

    /// A file to upload could not be read ([`crate::file_part_from_path`]).
    #[error("cannot read the file to upload {}", path.display())]
    ReadUpload {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An upload part cannot be built: a path that names no file, an
    /// unusable file name, or a content type that is not a MIME type.
    #[error("invalid upload: {0}")]
    InvalidUpload(String),
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl Error {
    /// A decoding failure, keeping a short excerpt of the offending body.
    pub fn decode(message: impl Into<String>, body: &[u8]) -> Self {
        Error::Decode {
            message: message.into(),
            body_excerpt: excerpt(body, MAX_RAW_BODY_BYTES),
        }
    }

    pub(crate) fn from_reqwest(operation: &OperationMeta, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout {
                operation_id: operation.operation_id,
                source,
            }
        } else {
            Error::Transport {
                operation_id: operation.operation_id,
                source,
            }
        }
    }

    /// The HTTP status, for [`Error::Api`] and for an [`AuthError`] from the
    /// token endpoint.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status()),
            Error::Auth(AuthError::TokenEndpoint { status, .. }) => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a timeout: the per-request one, the overall deadline,
    /// or a timeout while fetching a token.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::DeadlineExceeded { .. } => true,
            Error::Auth(AuthError::Transport(source)) => source.is_timeout(),
            _ => false,
        }
    }

    /// This crate's error somewhere in the `source()` chain of `error`.
    ///
    /// progenitor's `ClientHooks::exec` can only fail with a
    /// `reqwest::Error`; [`Error::into_reqwest_error`] carries a runtime error
    /// inside one, and this finds it again, e.g. in the `reqwest::Error` of
    /// `progenitor_client::Error::CommunicationError`.
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

    /// This error as a `reqwest::Error`, for progenitor's `ClientHooks::exec`.
    ///
    /// [`Error::Transport`] and [`Error::Timeout`] give back the original
    /// `reqwest::Error`, so `is_timeout()`/`is_connect()` keep working. Every
    /// other variant has no `reqwest::Error` of its own, and reqwest offers
    /// no public constructor, so it travels as the failure of a response body
    /// (a `reqwest::Error` whose `is_decode()` is true); [`Error::find_in`]
    /// recovers it.
    pub async fn into_reqwest_error(self) -> reqwest::Error {
        let carried = match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => return source,
            Error::Auth(AuthError::Transport(source)) => return source,
            other => other,
        };
        let body = reqwest::Body::wrap_stream(FailingStream(Some(carried)));
        let response = reqwest::Response::from(http::Response::new(body));
        match response.bytes().await {
            Err(error) => error,
            // The stream fails on its first poll, so no body can come back.
            // Should reqwest ever change that, a bare status error is the
            // closest honest stand-in.
            Ok(_) => {
                let mut failed = http::Response::new(reqwest::Body::from(Vec::new()));
                *failed.status_mut() = reqwest::StatusCode::INTERNAL_SERVER_ERROR;
                match reqwest::Response::from(failed).error_for_status() {
                    Err(error) => error,
                    Ok(_) => unreachable!("error_for_status fails on HTTP 500"),
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ErrorCodeMeta;
    use reqwest::header::HeaderValue;

    const OP: OperationMeta = OperationMeta {
        error_codes: &[ErrorCodeMeta {
            status: 404,
            code: 1001,
            message: "User does not exist.",
        }],
        ..OperationMeta::new("getUser", "GET", "/users/{userId}")
    };

    #[test]
    fn reads_zoom_code_and_message() {
        let err = ApiError::new(
            404,
            &HeaderMap::new(),
            br#"{"code":1001,"message":"User does not exist: x"}"#,
            &OP,
        );
        assert_eq!(err.status(), 404);
        assert_eq!(err.code(), Some(1001));
        assert_eq!(err.message(), Some("User does not exist: x"));
        assert_eq!(
            err.documented().map(|d| d.message),
            Some("User does not exist.")
        );
        assert_eq!(
            err.to_string(),
            "getUser: Zoom API answered HTTP 404, code 1001: User does not exist: x"
        );
    }

    #[test]
    fn keeps_unknown_codes_and_string_codes() {
        let err = ApiError::new(
            400,
            &HeaderMap::new(),
            br#"{"code":"3412","message":"m"}"#,
            &OP,
        );
        assert_eq!(err.code(), Some(3412));
        assert!(err.documented().is_none());
    }

    #[test]
    fn documented_message_stands_in_for_a_missing_one() {
        let err = ApiError::new(404, &HeaderMap::new(), br#"{"code":1001}"#, &OP);
        assert_eq!(
            err.to_string(),
            "getUser: Zoom API answered HTTP 404, code 1001: User does not exist. (documented meaning)"
        );
    }

    #[test]
    fn never_panics_on_odd_bodies() {
        let long = "é".repeat(MAX_RAW_BODY_BYTES);
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
            let err = ApiError::new(502, &HeaderMap::new(), body, &OP);
            assert_eq!(err.code(), None, "{body:?}");
            assert_eq!(err.message(), None);
            assert!(err.raw_body().len() <= MAX_RAW_BODY_BYTES + '…'.len_utf8());
            let _ = err.to_string();
        }
        let err = ApiError::new(502, &HeaderMap::new(), b"<html>Bad gateway</html>", &OP);
        assert_eq!(err.raw_body(), "<html>Bad gateway</html>");
        assert_eq!(
            err.to_string(),
            "getUser: Zoom API answered HTTP 502: \"<html>Bad gateway</html>\""
        );
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        assert_eq!(excerpt("aé".as_bytes(), 2), "a…");
        assert_eq!(excerpt(b"abc", 3), "abc");
        assert_eq!(excerpt(b"abcd", 3), "abc…");
    }

    #[test]
    fn rate_limit_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-type", HeaderValue::from_static("Daily-limit"));
        headers.insert("x-ratelimit-category", HeaderValue::from_static("Heavy"));
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("30000"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("zero"));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("2020-05-31T00:00:00Z"),
        );
        let rl = RateLimitHeaders::from_headers(&headers);
        assert_eq!(
            rl,
            RateLimitHeaders {
                limit_type: Some("Daily-limit".into()),
                category: Some("Heavy".into()),
                limit: Some(30000),
                remaining: None,
                retry_after: Some("2020-05-31T00:00:00Z".into()),
            }
        );
        assert!(RateLimitHeaders::from_headers(&HeaderMap::new()).is_empty());
        let err = ApiError::new(429, &headers, br#"{"code":429,"message":"slow down"}"#, &OP);
        assert!(err.is_rate_limited());
        assert_eq!(err.rate_limit().limit, Some(30000));
    }

    #[tokio::test]
    async fn runtime_errors_survive_the_trip_through_reqwest() {
        let original = Error::Config("no credentials".into());
        let carried = original.into_reqwest_error().await;
        assert!(carried.is_decode());
        match Error::find_in(&carried) {
            Some(Error::Config(message)) => assert_eq!(message, "no credentials"),
            other => panic!("not found: {other:?}"),
        }
    }
}
