//! A fake Zoom for tests (feature `mock`): what every operation's mock has
//! in common, under the typed per-operation layer the generator writes
//! (`zoom_accounts::mock`, one method per operation).
//!
//! A [`MockServer`] is a [wiremock](https://docs.rs/wiremock) server on
//! `127.0.0.1` with a free port. An [`Expectation`] is one operation's call
//! as a test expects it: the operation's method and path template, the
//! path parameters, query parameters and JSON body the test chose to match
//! (compared as JSON values, so key order and the spelling of numbers do
//! not matter), and the answer: a JSON body with a status, a Zoom error
//! (`{"code", "message"}`), a 429 with `Retry-After`, or by default the
//! spec's example of the operation's success response.
//!
//! Verification: an expectation with no [`Expectation::times`] must be
//! met at least once; `times(n)` exactly `n` times, and it answers at most
//! `n` calls (so a later expectation of the same operation answers the
//! next ones: pages of a list, in order). [`MockServer::verify`] panics
//! with what was missing, and so does dropping the server, unless the
//! thread is already panicking. A request no expectation matches is
//! answered `404` with a JSON message naming the request (the client sees
//! an `Api` error with status 404) and is reported by `verify` and on drop
//! too: a test that sends what it did not mean to fails, even when its code
//! swallowed the error. [`MockServer::take_unmatched_requests`] takes those
//! reports (and the panic with them) for a test that expects a mismatch.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use serde_json::Value;
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::double_encoding::{DOUBLE_ENCODED_QUERY_PARAMS, needs_double_encoding};
use crate::{Credentials, OperationMeta, RetryPolicy, RuntimeBuilder};

/// The path the fake API is served under (as `https://api.zoom.us/v2`).
pub const BASE_PATH: &str = "/v2";

/// The bearer token of the clients a [`MockServer`] builds.
pub const TOKEN: &str = "mock-token";

/// The request timeout of those clients: no test waits longer for an
/// answer that does not come.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A fake Zoom API on `127.0.0.1`; see the [module docs](self).
pub struct MockServer {
    server: wiremock::MockServer,
    unmatched: Arc<Mutex<Vec<String>>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server on `127.0.0.1` with a free port.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::builder().start().await;
        let unmatched = Arc::new(Mutex::new(Vec::new()));
        Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched(Arc::clone(&unmatched)))
            .with_priority(u8::MAX)
            .named("the answer to requests no expectation matches")
            .mount(&server)
            .await;
        Self { server, unmatched }
    }

    /// `http://127.0.0.1:{port}`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API base URL of the fake: `http://127.0.0.1:{port}/v2`.
    pub fn base_url(&self) -> String {
        format!("{}{BASE_PATH}", self.server.uri())
    }

    /// A runtime builder for this server: the static bearer token
    /// [`TOKEN`], [`Self::base_url`] (and the OAuth URL, unused with a
    /// static token), no retries ([`RetryPolicy::never`]: a 429 or 5xx the
    /// test answers reaches its code at once), no throttle, and a request
    /// timeout of [`REQUEST_TIMEOUT`]. Change what a test needs before
    /// `build()`.
    pub fn runtime_builder(&self) -> RuntimeBuilder {
        let mut builder = crate::Runtime::builder();
        builder
            .with_credentials(Credentials::bearer_token(TOKEN))
            .with_api_base_url(self.base_url())
            .with_oauth_base_url(self.uri())
            .with_retry_policy(RetryPolicy::never())
            .with_throttle(None)
            .with_request_timeout(REQUEST_TIMEOUT);
        builder
    }

    /// An expectation of one call of `operation`, answered by default
    /// with `default` (the spec's example; see [`SpecAnswer`]).
    pub fn expect(
        &self,
        operation: &'static OperationMeta,
        default: SpecAnswer,
    ) -> Expectation<'_> {
        Expectation {
            server: self,
            operation,
            default,
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
            form_parts: Vec::new(),
            answer: None,
            times: None,
        }
    }

    /// Panics, listing them, when an expectation was not met or a request
    /// matched none. Dropping the server checks the same.
    pub async fn verify(&self) {
        self.panic_on_unmatched();
        self.server.verify().await;
    }

    /// The requests no expectation matched so far (method, path, query and
    /// body, one line each), which are then no longer reported.
    pub fn take_unmatched_requests(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .unmatched
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn panic_on_unmatched(&self) {
        let unmatched = self.take_unmatched_requests();
        if !unmatched.is_empty() && !std::thread::panicking() {
            panic!(
                "the mock Zoom received {} request(s) that no expectation matched (answered 404):\n- {}",
                unmatched.len(),
                unmatched.join("\n- ")
            );
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // The expectations are checked by wiremock's own drop, after this.
        self.panic_on_unmatched();
    }
}

/// What an operation's mock answers when the test gives no answer: the
/// spec's example of the success response the client models.
#[derive(Debug, Clone, Copy)]
pub enum SpecAnswer {
    /// The status and the example, as JSON text.
    Example { status: u16, json: &'static str },
    /// The success response has no body (`204`, or a `200` without one).
    Empty { status: u16 },
    /// The success response has a body but the spec gives no example: the
    /// test must give the answer.
    NoExample { status: u16 },
}

/// One expected call; see the [module docs](self). Built by the
/// generated per-operation methods, mounted with [`Expectation::mount`].
#[must_use = "an expectation does nothing until it is mounted"]
#[derive(Debug)]
pub struct Expectation<'a> {
    server: &'a MockServer,
    operation: &'static OperationMeta,
    default: SpecAnswer,
    path_params: Vec<(&'static str, Vec<String>)>,
    query: Vec<(&'static str, Vec<String>)>,
    body: Option<Value>,
    form_parts: Vec<String>,
    answer: Option<Answer>,
    times: Option<u64>,
}

#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    body: Option<Value>,
    retry_after: Option<Duration>,
}

impl<'a> Expectation<'a> {
    /// Only a call whose path parameter `name` (as the path template
    /// spells it) is `value` (compared as text: a string as it is, a number
    /// or boolean as JSON writes it).
    pub fn path_param(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
        let texts = self.texts(name, value);
        self.path_params.push((name, texts));
        self
    }

    /// Only a call whose query parameter `name` is `value` (a list: each
    /// element one value of the parameter, in order).
    pub fn query_param(mut self, name: &'static str, value: &impl serde::Serialize) -> Self {
        let texts = self.texts(name, value);
        self.query.push((name, texts));
        self
    }

    /// Only a call whose JSON body is `value`, compared as JSON values.
    pub fn json_body(mut self, value: &impl serde::Serialize) -> Self {
        self.body = Some(self.to_json(value, "the expected body"));
        self
    }

    /// Only a `multipart/form-data` call whose form has a part `name`.
    pub fn form_part(mut self, name: impl Into<String>) -> Self {
        self.form_parts.push(name.into());
        self
    }

    /// Answer `status` with `value` as the JSON body.
    pub fn respond_json(mut self, status: u16, value: &impl serde::Serialize) -> Self {
        let body = self.to_json(value, "the answer");
        self.answer = Some(Answer {
            status,
            body: Some(body),
            retry_after: None,
        });
        self
    }

    /// Answer `status` with no body.
    pub fn respond_empty(mut self, status: u16) -> Self {
        self.answer = Some(Answer {
            status,
            body: None,
            retry_after: None,
        });
        self
    }

    /// Answer with a Zoom error: `status` and the body
    /// `{"code": code, "message": message}`.
    pub fn respond_error(self, status: u16, code: i64, message: &str) -> Self {
        let body = serde_json::json!({ "code": code, "message": message });
        self.respond_json(status, &body)
    }

    /// Answer `429 Too Many Requests` with `Retry-After` (whole seconds,
    /// rounded up) and Zoom's rate-limit error (code 429).
    pub fn respond_rate_limited(mut self, retry_after: Duration) -> Self {
        self = self.respond_error(
            429,
            429,
            "You have reached the maximum per-second rate limit for this API. Try again later.",
        );
        if let Some(answer) = &mut self.answer {
            answer.retry_after = Some(retry_after);
        }
        self
    }

    /// Expect exactly `n` calls, and answer at most `n`: a later
    /// expectation of the same operation answers the calls after them.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Mounts the expectation on its server. Panics when the answer is
    /// left to the spec and the spec has no example of it.
    pub async fn mount(self) {
        let answer = self.answer.clone().unwrap_or_else(|| self.spec_answer());
        let name = self.describe();
        let matcher = CallMatcher {
            method: self.operation.method.to_ascii_uppercase(),
            template: self.operation.path,
            path_params: self.path_params,
            query: self.query,
            body: self.body,
            form_parts: self.form_parts,
        };
        let mut mock = Mock::given(matcher)
            .respond_with(answer.template())
            .named(name);
        mock = match self.times {
            Some(n) => mock.expect(n).up_to_n_times(n),
            None => mock.expect(1..),
        };
        mock.mount(&self.server.server).await;
    }

    fn spec_answer(&self) -> Answer {
        let op = self.operation.operation_id;
        match self.default {
            SpecAnswer::Empty { status } => Answer {
                status,
                body: None,
                retry_after: None,
            },
            SpecAnswer::NoExample { status } => panic!(
                "mock of `{op}`: the spec has no JSON example of its {status} response; give the answer with `.respond(...)` (or `.respond_json(...)`)"
            ),
            SpecAnswer::Example { status, json } => {
                let mut body: Value = serde_json::from_str(json).unwrap_or_else(|e| {
                    panic!("mock of `{op}`: the spec's example is not JSON ({e}); give the answer with `.respond(...)`")
                });
                // The example's token would send a stream after a second
                // page that the test never set up: answered alone, the
                // example is the last page.
                if self.operation.paginated
                    && let Some(token) = body.get_mut("next_page_token")
                {
                    *token = Value::String(String::new());
                }
                Answer {
                    status,
                    body: Some(body),
                    retry_after: None,
                }
            }
        }
    }

    /// `listRoles GET /accounts/{accountId}/roles, accountId = "me"`.
    fn describe(&self) -> String {
        let op = self.operation;
        let mut s = format!(
            "{} {} {}",
            op.operation_id,
            op.method.to_ascii_uppercase(),
            op.path
        );
        for (name, texts) in self.path_params.iter().chain(&self.query) {
            let _ = write!(s, ", {name} = {texts:?}");
        }
        if let Some(body) = &self.body {
            let _ = write!(s, ", body = {body}");
        }
        for part in &self.form_parts {
            let _ = write!(s, ", form part {part:?}");
        }
        s
    }

    fn to_json(&self, value: &impl serde::Serialize, what: &str) -> Value {
        serde_json::to_value(value).unwrap_or_else(|e| {
            panic!(
                "mock of `{}`: {what} does not serialize to JSON: {e}",
                self.operation.operation_id
            )
        })
    }

    fn texts(&self, name: &str, value: &impl serde::Serialize) -> Vec<String> {
        match self.to_json(value, name) {
            Value::Array(items) => items.iter().map(text).collect(),
            Value::Null => Vec::new(),
            other => vec![text(&other)],
        }
    }
}

/// A parameter value as it travels: a string as it is, anything else as
/// JSON writes it.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Answer {
    fn template(&self) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(self.status);
        if let Some(body) = &self.body {
            template = template.set_body_json(body);
        }
        if let Some(wait) = self.retry_after {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            template = template.insert_header("Retry-After", secs.to_string().as_str());
        }
        template
    }
}

/// Matches one call of one operation with the values a test chose.
struct CallMatcher {
    method: String,
    template: &'static str,
    path_params: Vec<(&'static str, Vec<String>)>,
    query: Vec<(&'static str, Vec<String>)>,
    body: Option<Value>,
    form_parts: Vec<String>,
}

impl wiremock::Match for CallMatcher {
    fn matches(&self, request: &Request) -> bool {
        if request.method.as_str() != self.method {
            return false;
        }
        let Some(path) = request.url.path().strip_prefix(BASE_PATH) else {
            return false;
        };
        let Some(params) = path_params(self.template, path) else {
            return false;
        };
        for (name, expected) in &self.path_params {
            let found = params.iter().find(|(n, _)| n == name).map(|(_, v)| v);
            if found.map(std::slice::from_ref) != Some(expected.as_slice()) {
                return false;
            }
        }
        for (name, expected) in &self.query {
            let found: Vec<String> = request
                .url
                .query_pairs()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| {
                    if DOUBLE_ENCODED_QUERY_PARAMS.contains(name) {
                        once_more_decoded(&v)
                    } else {
                        v.into_owned()
                    }
                })
                .collect();
            if found != *expected {
                return false;
            }
        }
        if let Some(expected) = &self.body {
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(sent) if sent == *expected => {}
                _ => return false,
            }
        }
        self.form_parts.iter().all(|name| {
            let needle = format!("name=\"{name}\"");
            request
                .body
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
    }
}

/// The path parameters of `path` (under the base path) by the template's
/// names, decoded as Zoom decodes them; `None` when it is not this
/// template's path.
fn path_params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let expected: Vec<&str> = template.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    if expected.len() != got.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, seg) in expected.iter().zip(&got) {
        match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let once = percent_decode_str(seg).decode_utf8_lossy().into_owned();
                params.push((name.to_string(), once_more_decoded(&once)));
            }
            None if want == seg => {}
            None => return None,
        }
    }
    Some(params)
}

/// A value once decoded, decoded again when the client double-encoded it
/// (Zoom's rule, see [`crate::double_encoding`]).
fn once_more_decoded(once: &str) -> String {
    let twice = percent_decode_str(once).decode_utf8_lossy();
    if twice != once && needs_double_encoding(&twice) {
        twice.into_owned()
    } else {
        once.to_string()
    }
}

/// Answers a request no expectation matched with 404 and records it.
struct Unmatched(Arc<Mutex<Vec<String>>>);

impl Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut line = format!("{} {}", request.method, request.url.path());
        if let Some(query) = request.url.query() {
            let _ = write!(line, "?{query}");
        }
        if !request.body.is_empty() {
            let body = String::from_utf8_lossy(&request.body);
            let excerpt: String = body.chars().take(300).collect();
            let _ = write!(line, " body {excerpt}");
        }
        let message = format!("no expectation of the mock matched {line}");
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
        ResponseTemplate::new(404).set_body_json(serde_json::json!({ "message": message }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_by_the_template() {
        // (template, path, the parameters read, or `None`: no match).
        type Case<'a> = (&'a str, &'a str, Option<Vec<(&'a str, &'a str)>>);
        let cases: [Case; 5] = [
            (
                "/accounts/{accountId}/roles",
                "/accounts/me/roles",
                Some(vec![("accountId", "me")]),
            ),
            ("/accounts/{accountId}/roles", "/accounts/me/roles/2", None),
            ("/accounts/{accountId}/roles", "/users/me/roles", None),
            (
                "/roles/{roleId}",
                "/roles/a%20b",
                Some(vec![("roleId", "a b")]),
            ),
            // Zoom's double encoding of a UUID that begins with `/`.
            (
                "/metrics/meetings/{meetingId}",
                "/metrics/meetings/%252Fab%252F%252Fc",
                Some(vec![("meetingId", "/ab//c")]),
            ),
        ];
        for (template, path, want) in cases {
            let want = want.map(|v| {
                v.into_iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect::<Vec<_>>()
            });
            assert_eq!(path_params(template, path), want, "{template} {path}");
        }
    }

    #[test]
    fn parameter_values_travel_as_text() {
        let cases = [
            (serde_json::json!("me"), "me"),
            (serde_json::json!(30), "30"),
            (serde_json::json!(true), "true"),
            (serde_json::json!(2.5), "2.5"),
        ];
        for (value, want) in cases {
            assert_eq!(text(&value), want);
        }
    }
}
