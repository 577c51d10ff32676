//! Where the `Authorization` header comes from. [`Credentials`] is either a
//! fixed bearer token or a Zoom Server-to-Server OAuth app; for the latter,
//! `TokenCache` fetches an access token from `{oauth_base}/oauth/token`
//! (`grant_type=account_credentials`, HTTP Basic `client_id:client_secret`),
//! keeps it, and fetches a new one a margin before it expires. Concurrent
//! callers that find no fresh token share one fetch (single flight, behind a
//! `tokio::sync::Mutex`). When the API answers 401, the runtime calls
//! `TokenCache::invalidate` with the token that was refused, so the token
//! is dropped only if nobody has replaced it yet.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use tokio::time::Instant;

use crate::body::{ReadError, read_capped};
use crate::error::excerpt;
use crate::secret::Secret;

/// The largest token endpoint answer read; a token grant is a few hundred
/// bytes.
const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// How long before expiry a token is refreshed, unless configured.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// How the runtime authenticates to Zoom.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A ready access token (e.g. from an OAuth flow run elsewhere). It is
    /// never refreshed: a 401 is returned as it is.
    BearerToken(Secret),
    /// A Server-to-Server OAuth app: the runtime fetches and refreshes its
    /// own access tokens.
    ServerToServer {
        account_id: String,
        client_id: String,
        client_secret: Secret,
    },
}

impl Credentials {
    pub fn bearer_token(token: impl Into<Secret>) -> Self {
        Credentials::BearerToken(token.into())
    }

    pub fn server_to_server(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Credentials::ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// Whether the runtime can get a new token by itself.
    pub fn can_refresh(&self) -> bool {
        matches!(self, Credentials::ServerToServer { .. })
    }
}

/// Why no access token could be had. `Display` names the failure, never a
/// credential or token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint answered with a non-2xx status. `error` and
    /// `reason` are Zoom's fields of that name, when the body had them.
    #[error("the OAuth token endpoint answered HTTP {status}{}", describe_oauth_error(.error, .reason))]
    TokenEndpoint {
        status: u16,
        error: Option<String>,
        reason: Option<String>,
        retry_after: Option<String>,
        body_excerpt: String,
    },

    /// The token endpoint answered 2xx with something that is not a token
    /// grant. `detail` says what was wrong without quoting the body, which
    /// may hold a token.
    #[error("the OAuth token endpoint's answer is not a usable token grant: {detail}")]
    InvalidTokenResponse { detail: String },

    /// The token endpoint could not be reached (or timed out).
    #[error("could not reach the OAuth token endpoint")]
    Transport(#[source] reqwest::Error),

    /// The token cannot be sent in an HTTP header.
    #[error("the access token contains characters that cannot go in an HTTP header")]
    TokenNotAHeaderValue,
}

fn describe_oauth_error(error: &Option<String>, reason: &Option<String>) -> String {
    match (error, reason) {
        (Some(error), Some(reason)) => format!(": {error} ({reason})"),
        (Some(one), None) | (None, Some(one)) => format!(": {one}"),
        (None, None) => String::new(),
    }
}

impl AuthError {
    /// Whether trying again later may succeed: the endpoint was unreachable,
    /// overloaded (5xx) or rate-limiting (429).
    pub fn is_transient(&self) -> bool {
        match self {
            AuthError::Transport(_) => true,
            AuthError::TokenEndpoint { status, .. } => *status == 429 || *status >= 500,
            AuthError::InvalidTokenResponse { .. } | AuthError::TokenNotAHeaderValue => false,
        }
    }

    /// The token endpoint's `Retry-After`, if it sent one.
    pub(crate) fn retry_after(&self) -> Option<&str> {
        match self {
            AuthError::TokenEndpoint { retry_after, .. } => retry_after.as_deref(),
            _ => None,
        }
    }
}

/// An access token as the cache holds it.
pub(crate) struct AccessToken {
    /// `Bearer <token>`, marked sensitive so reqwest's `Debug` hides it.
    header: HeaderValue,
    /// When to stop handing it out and fetch a new one; `None`: never.
    refresh_at: Option<Instant>,
    /// When Zoom stops accepting it; `None`: unknown.
    expires_at: Option<Instant>,
}

impl AccessToken {
    fn new(
        token: &Secret,
        refresh_at: Option<Instant>,
        expires_at: Option<Instant>,
    ) -> Result<Self, AuthError> {
        let mut header = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .map_err(|_| AuthError::TokenNotAHeaderValue)?;
        header.set_sensitive(true);
        Ok(AccessToken {
            header,
            refresh_at,
            expires_at,
        })
    }

    pub(crate) fn header_value(&self) -> &HeaderValue {
        &self.header
    }

    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn is_unexpired(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

/// When to refresh a token that lives `lifetime`: `margin` before expiry,
/// but never more than half its life early, so that a short-lived token is
/// still used for a while.
pub(crate) fn refresh_after(lifetime: Duration, margin: Duration) -> Duration {
    lifetime - margin.min(lifetime / 2)
}

/// A token grant from the token endpoint, checked.
struct TokenGrant {
    access_token: Secret,
    expires_in: Option<Duration>,
}

/// Checks the token endpoint's JSON by hand rather than through serde, so
/// that no error message can quote a value from the body.
fn parse_token_grant(body: &[u8]) -> Result<TokenGrant, AuthError> {
    let invalid = |detail: String| AuthError::InvalidTokenResponse { detail };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        invalid(format!(
            "not JSON ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let serde_json::Value::Object(fields) = value else {
        return Err(invalid("not a JSON object".into()));
    };
    let access_token = match fields.get("access_token") {
        Some(serde_json::Value::String(t)) if !t.is_empty() => Secret::new(t.clone()),
        Some(_) => return Err(invalid("`access_token` is not a non-empty string".into())),
        None => return Err(invalid("no `access_token`".into())),
    };
    match fields.get("token_type") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
        Some(serde_json::Value::String(t)) => {
            return Err(invalid(format!(
                "`token_type` is {:?}, expected \"bearer\"",
                excerpt(t.as_bytes(), 40)
            )));
        }
        Some(_) => return Err(invalid("`token_type` is not a string".into())),
    }
    let expires_in = match fields.get("expires_in") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(secs) => Some(Duration::from_secs(secs)),
            None => {
                return Err(invalid(
                    "`expires_in` is not a whole number of seconds".into(),
                ));
            }
        },
        Some(serde_json::Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(secs) => Some(Duration::from_secs(secs)),
            Err(_) => {
                return Err(invalid(
                    "`expires_in` is not a whole number of seconds".into(),
                ));
            }
        },
        Some(_) => return Err(invalid("`expires_in` is not a number".into())),
    };
    Ok(TokenGrant {
        access_token,
        expires_in,
    })
}

/// The cached token of one runtime, shared by its clones.
pub(crate) struct TokenCache {
    credentials: Credentials,
    /// `{oauth_base}/oauth/token?grant_type=account_credentials&account_id=..`;
    /// `None` for a bearer token.
    token_url: Option<Url>,
    refresh_margin: Duration,
    request_timeout: Option<Duration>,
    user_agent: Option<HeaderValue>,
    current: Mutex<Option<Arc<AccessToken>>>,
    /// Held while fetching, so that one fetch serves every waiting caller.
    refresh: tokio::sync::Mutex<()>,
}

impl TokenCache {
    pub(crate) fn new(
        credentials: Credentials,
        oauth_base: &Url,
        refresh_margin: Duration,
        request_timeout: Option<Duration>,
        user_agent: Option<HeaderValue>,
    ) -> Result<Self, crate::Error> {
        let (token_url, current) = match &credentials {
            Credentials::BearerToken(token) => {
                (None, Some(Arc::new(AccessToken::new(token, None, None)?)))
            }
            Credentials::ServerToServer { account_id, .. } => {
                let mut url = oauth_base.clone();
                url.path_segments_mut()
                    .map(|mut segments| {
                        segments.pop_if_empty().push("oauth").push("token");
                    })
                    .map_err(|()| {
                        crate::Error::config(format!(
                            "the OAuth base URL {oauth_base} cannot have a path"
                        ))
                    })?;
                url.query_pairs_mut()
                    .append_pair("grant_type", "account_credentials")
                    .append_pair("account_id", account_id);
                (Some(url), None)
            }
        };
        Ok(TokenCache {
            credentials,
            token_url,
            refresh_margin,
            request_timeout,
            user_agent,
            current: Mutex::new(current),
            refresh: tokio::sync::Mutex::new(()),
        })
    }

    fn cached(&self) -> Option<Arc<AccessToken>> {
        // Nothing panics while holding this lock, but a poisoned lock still
        // holds a usable value.
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn cached_fresh(&self) -> Option<Arc<AccessToken>> {
        self.cached().filter(|token| token.is_fresh(Instant::now()))
    }

    /// A token to send: the cached one while fresh, otherwise a new one,
    /// fetched once for all concurrent callers.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
    ) -> Result<Arc<AccessToken>, AuthError> {
        if let Some(token) = self.cached_fresh() {
            return Ok(token);
        }
        let _flight = self.refresh.lock().await;
        // Whoever held the lock before us may have fetched already.
        if let Some(token) = self.cached_fresh() {
            return Ok(token);
        }
        let (
            Some(url),
            Credentials::ServerToServer {
                client_id,
                client_secret,
                ..
            },
        ) = (&self.token_url, &self.credentials)
        else {
            // A bearer token is always fresh, so this is only reached if the
            // cache was emptied, which invalidate() never does for one.
            return self.cached().ok_or(AuthError::InvalidTokenResponse {
                detail: "no token is configured".into(),
            });
        };
        match self.fetch(http, url, client_id, client_secret).await {
            Ok(token) => {
                let token = Arc::new(token);
                *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
                Ok(token)
            }
            // A token in its refresh margin is still good; a hiccup of the
            // token endpoint should not fail requests it can serve.
            Err(error) if error.is_transient() => {
                match self.cached().filter(|t| t.is_unexpired(Instant::now())) {
                    Some(still_valid) => Ok(still_valid),
                    None => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }

    /// The API refused `rejected` (HTTP 401). Drops it from the cache if it
    /// is still the cached one, so the next [`TokenCache::token`] fetches a
    /// new one; if another caller already replaced it, the replacement is
    /// kept. Returns whether a new token can be had at all.
    pub(crate) fn invalidate(&self, rejected: &Arc<AccessToken>) -> bool {
        if !self.credentials.can_refresh() {
            return false;
        }
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, rejected)) {
            *current = None;
        }
        true
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        url: &Url,
        client_id: &str,
        client_secret: &Secret,
    ) -> Result<AccessToken, AuthError> {
        let requested_at = Instant::now();
        let mut request = http
            .post(url.clone())
            .basic_auth(client_id, Some(client_secret.expose_secret()))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("");
        if let Some(timeout) = self.request_timeout {
            request = request.timeout(timeout);
        }
        if let Some(user_agent) = &self.user_agent {
            request = request.header(USER_AGENT, user_agent.clone());
        }
        // Without the URL: its query holds the account id.
        let response = request
            .send()
            .await
            .map_err(|e| AuthError::Transport(e.without_url()))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = match read_capped(response, MAX_TOKEN_RESPONSE_BYTES).await {
            Ok(body) => body,
            Err(ReadError::Failed(source)) => {
                return Err(AuthError::Transport(source.without_url()));
            }
            Err(ReadError::TooLarge { .. }) if status.is_success() => {
                return Err(AuthError::InvalidTokenResponse {
                    detail: format!("the answer is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"),
                });
            }
            // An error answer keeps its status; its body is not worth reading.
            Err(ReadError::TooLarge { .. }) => Vec::new(),
        };
        if !status.is_success() {
            let (error, reason) = parse_oauth_error(&body);
            return Err(AuthError::TokenEndpoint {
                status: status.as_u16(),
                error,
                reason,
                retry_after,
                body_excerpt: excerpt(&body, 512),
            });
        }
        let grant = parse_token_grant(&body)?;
        // Count the lifetime from when the request left, not when the answer
        // arrived, so network time cannot make us use a token too long.
        let (refresh_at, expires_at) = match grant.expires_in {
            Some(lifetime) => (
                Some(requested_at + refresh_after(lifetime, self.refresh_margin)),
                Some(requested_at + lifetime),
            ),
            // No stated lifetime: use it until the API refuses it.
            None => (None, None),
        };
        AccessToken::new(&grant.access_token, refresh_at, expires_at)
    }
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("credentials", &self.credentials)
            .field("token_url", &self.token_url.as_ref().map(Url::as_str))
            .field("refresh_margin", &self.refresh_margin)
            .field("has_token", &self.cached().is_some())
            .finish()
    }
}

fn parse_oauth_error(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let field = |name: &str| {
        fields
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(|s| excerpt(s.as_bytes(), 200))
    };
    (
        field("error"),
        field("reason").or_else(|| field("error_description")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_capped_at_half_the_lifetime() {
        let five_min = DEFAULT_REFRESH_MARGIN;
        assert_eq!(
            refresh_after(Duration::from_secs(3599), five_min),
            Duration::from_secs(3299)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(60), five_min),
            Duration::from_secs(30)
        );
        assert_eq!(refresh_after(Duration::ZERO, five_min), Duration::ZERO);
        assert_eq!(
            refresh_after(Duration::from_secs(10), Duration::ZERO),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn token_grant_is_checked_without_quoting_it() {
        let grant = parse_token_grant(
            br#"{"access_token":"tok","token_type":"bearer","expires_in":3599,"scope":"a b"}"#,
        )
        .unwrap();
        assert_eq!(grant.access_token.expose_secret(), "tok");
        assert_eq!(grant.expires_in, Some(Duration::from_secs(3599)));
        assert_eq!(
            parse_token_grant(br#"{"access_token":"t","expires_in":"60"}"#)
                .unwrap()
                .expires_in,
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_token_grant(br#"{"access_token":"t"}"#)
                .unwrap()
                .expires_in,
            None
        );

        for (body, expected) in [
            (
                &br#"{"access_token":"SECRET-TOKEN","expires_in":"SECRET-TOKEN"}"#[..],
                "`expires_in` is not a whole number of seconds",
            ),
            (
                br#"{"access_token":"SECRET-TOKEN","expires_in":-5}"#,
                "`expires_in` is not a whole number of seconds",
            ),
            (
                br#"{"access_token":"SECRET-TOKEN","token_type":"mac"}"#,
                "`token_type` is \"mac\", expected \"bearer\"",
            ),
            (
                br#"{"access_token":""}"#,
                "`access_token` is not a non-empty string",
            ),
            (br#"{"token":"SECRET-TOKEN"}"#, "no `access_token`"),
            (br#"["SECRET-TOKEN"]"#, "not a JSON object"),
            (
                br#"{"access_token":"SECRET-TOKEN""#,
                "not JSON (Eof error at line 1 column 30)",
            ),
        ] {
            let err = parse_token_grant(body).err().unwrap();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("SECRET-TOKEN"), "{shown}");
            assert!(shown.contains(expected), "{shown}");
        }
    }

    #[test]
    fn auth_errors_describe_the_failure() {
        let err = AuthError::TokenEndpoint {
            status: 400,
            error: Some("invalid_client".into()),
            reason: Some("Invalid client_id or client_secret".into()),
            retry_after: None,
            body_excerpt: String::new(),
        };
        assert_eq!(
            err.to_string(),
            "the OAuth token endpoint answered HTTP 400: invalid_client (Invalid client_id or client_secret)"
        );
        assert!(!err.is_transient());
        let busy = AuthError::TokenEndpoint {
            status: 503,
            error: None,
            reason: None,
            retry_after: None,
            body_excerpt: String::new(),
        };
        assert_eq!(
            busy.to_string(),
            "the OAuth token endpoint answered HTTP 503"
        );
        assert!(busy.is_transient());
        assert_eq!(
            parse_oauth_error(br#"{"error":"invalid_client","reason":"r"}"#),
            (Some("invalid_client".into()), Some("r".into()))
        );
        assert_eq!(parse_oauth_error(b"<html>"), (None, None));
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let creds = Credentials::server_to_server("acct", "client", "s3cr3t-value");
        let shown = format!("{creds:?} {creds:#?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("acct") && shown.contains("Secret(***)"));
        let bearer = Credentials::bearer_token("tok-value-123");
        assert!(!format!("{bearer:?}").contains("tok-value-123"));
        assert!(!bearer.can_refresh());
    }

    #[test]
    fn token_url_carries_the_account() {
        let base = Url::parse("https://zoom.us/").unwrap();
        let cache = TokenCache::new(
            Credentials::server_to_server("a b&c", "id", "s"),
            &base,
            DEFAULT_REFRESH_MARGIN,
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            cache.token_url.as_ref().unwrap().as_str(),
            "https://zoom.us/oauth/token?grant_type=account_credentials&account_id=a+b%26c"
        );
        let shown = format!("{cache:?}");
        assert!(
            !shown.contains("\"s\"") && shown.contains("Secret(***)"),
            "{shown}"
        );
        let base = Url::parse("http://127.0.0.1:9/prefix").unwrap();
        let cache = TokenCache::new(
            Credentials::server_to_server("a", "id", "s"),
            &base,
            DEFAULT_REFRESH_MARGIN,
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            cache.token_url.as_ref().unwrap().as_str(),
            "http://127.0.0.1:9/prefix/oauth/token?grant_type=account_credentials&account_id=a"
        );
    }

    #[test]
    fn bearer_token_header_is_sensitive() {
        let base = Url::parse("https://zoom.us").unwrap();
        let cache = TokenCache::new(
            Credentials::bearer_token("abc"),
            &base,
            DEFAULT_REFRESH_MARGIN,
            None,
            None,
        )
        .unwrap();
        let token = cache.cached().unwrap();
        assert!(token.header_value().is_sensitive());
        assert_eq!(token.header_value(), "Bearer abc");
        assert!(!cache.invalidate(&token));
        assert!(cache.cached().is_some(), "a bearer token is never dropped");
        let bad = TokenCache::new(
            Credentials::bearer_token("a\nb"),
            &base,
            DEFAULT_REFRESH_MARGIN,
            None,
            None,
        );
        assert!(matches!(
            bad.as_ref().map_err(crate::Error::kind),
            Err(crate::error::ErrorKind::Auth(
                AuthError::TokenNotAHeaderValue
            ))
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn freshness_follows_the_clock() {
        let now = Instant::now();
        let token = AccessToken::new(
            &Secret::new("t"),
            Some(now + Duration::from_secs(30)),
            Some(now + Duration::from_secs(60)),
        )
        .unwrap();
        assert!(token.is_fresh(Instant::now()));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert!(!token.is_fresh(Instant::now()));
        assert!(token.is_unexpired(Instant::now()));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert!(!token.is_unexpired(Instant::now()));
    }
}
