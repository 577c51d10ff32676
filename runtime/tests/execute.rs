//! `Runtime::execute` end to end against the scripted server of `zoom-test-server`:
//! token fetch and refresh, retries and their limits, timeouts (of the answer
//! and of its body), typed errors, the body cap, the throttle's rate over
//! every one-second window, TLS-only credentials, per-call views (the
//! tracing spans are `tests/spans.rs`), and that no secret shows in what the runtime prints.

use std::time::{Duration, Instant, SystemTime};

use zoom_api_runtime::auth::AuthError;
use zoom_api_runtime::reqwest::{self, Method, StatusCode};
use zoom_api_runtime::{
    Budget, Credentials, Error, ErrorKind, OperationMeta, Rate, RateLimitLabel, RateLimitPlan,
    RateLimitType, RetryPolicy, Runtime, Timeout, Transport,
};
use zoom_test_server::{Reply, ScriptedServer, bounded};

mod common;
use common::*;

async fn get(runtime: &Runtime) -> Result<reqwest::Response, Error> {
    runtime
        .execute(request(runtime, Method::GET, "/accounts/me"), &GET_ACCOUNT)
        .await
}

async fn post(runtime: &Runtime) -> Result<reqwest::Response, Error> {
    runtime
        .execute(request(runtime, Method::POST, "/accounts"), &CREATE_ACCOUNT)
        .await
}

/// Every text the error can be shown as: Display, Debug and the whole
/// source chain.
fn all_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(&format!(" <- {e} {e:?}"));
        source = e.source();
    }
    text
}

/// A port on 127.0.0.1 that nothing listens on (for now).
async fn unused_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn token_is_fetched_once_and_sent_as_bearer() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::token("tok-1", 3599)]);
        server.script("/v2", [Reply::json(200, "{}"), Reply::json(200, "{}")]);
        let runtime = s2s_builder(&server).build().unwrap();

        for _ in 0..2 {
            assert_eq!(get(&runtime).await.unwrap().status(), StatusCode::OK);
        }

        let requests = server.requests();
        let token_requests: Vec<_> = requests
            .iter()
            .filter(|r| r.path() == "/oauth/token")
            .collect();
        assert_eq!(token_requests.len(), 1);
        let token_request = token_requests[0];
        assert_eq!(token_request.method, "POST");
        assert_eq!(
            token_request.target,
            "/oauth/token?grant_type=account_credentials&account_id=account-1"
        );
        assert_eq!(token_request.header("authorization"), Some(BASIC_AUTH));
        let api: Vec<_> = requests
            .iter()
            .filter(|r| r.path().starts_with("/v2"))
            .collect();
        assert_eq!(api.len(), 2);
        for r in api {
            assert_eq!(r.path(), "/v2/accounts/me");
            assert_eq!(r.header("authorization"), Some("Bearer tok-1"));
            assert!(
                r.header("user-agent")
                    .is_some_and(|ua| ua.starts_with("zoom-api-runtime/"))
            );
        }
    })
    .await
}

#[tokio::test]
async fn unauthorized_refreshes_the_token_and_resends_once() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 3599), Reply::token("tok-2", 3599)],
        );
        server.script(
            "/v2",
            [
                Reply::json(401, r#"{"code":124,"message":"Invalid access token."}"#),
                Reply::json(200, "{}"),
            ],
        );
        let runtime = s2s_builder(&server).build().unwrap();

        // A POST too: the 401 means Zoom did not act on it.
        let response = post(&runtime).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let api: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.path().starts_with("/v2"))
            .collect();
        let sent: Vec<_> = api
            .iter()
            .map(|r| r.header("authorization").unwrap_or_default())
            .collect();
        assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2"]);
        assert_eq!(api[1].body, b"{}");
        assert_eq!(server.hits("/oauth/token"), 2);
    })
    .await
}

#[tokio::test]
async fn a_second_unauthorized_is_returned_not_retried() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 3599), Reply::token("tok-2", 3599)],
        );
        server.script(
            "/v2",
            [
                Reply::json(401, r#"{"code":124}"#),
                Reply::json(401, r#"{"code":124}"#),
            ],
        );
        let runtime = s2s_builder(&server).build().unwrap();

        let error = get(&runtime).await.unwrap_err();
        assert_eq!(error.status(), Some(401));
        assert_eq!((error.code(), error.attempts()), (Some(124), 2));
        assert_eq!(server.hits("/v2"), 2);
        assert_eq!(server.hits("/oauth/token"), 2);
    })
    .await
}

#[tokio::test]
async fn a_bearer_token_is_never_refreshed() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(401, r#"{"code":124}"#)]);
        let runtime = bearer_builder(&server.url()).build().unwrap();

        assert_eq!(get(&runtime).await.unwrap_err().status(), Some(401));
        assert_eq!(server.hits("/v2"), 1);
        assert_eq!(
            server.requests()[0].header("authorization"),
            Some("Bearer fixed-token")
        );
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_token_fetch() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // Slow enough that every caller arrives while the fetch is under way.
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 3599).delay(Duration::from_millis(200))],
        );
        server.script("/v2", (0..8).map(|_| Reply::json(200, "{}")));
        let runtime = s2s_builder(&server).build().unwrap();

        let callers: Vec<_> = (0..8)
            .map(|_| {
                let runtime = runtime.clone();
                tokio::spawn(async move { get(&runtime).await.map(|r| r.status()) })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), StatusCode::OK);
        }
        assert_eq!(server.hits("/oauth/token"), 1);
        assert_eq!(server.hits("/v2"), 8);
        assert!(
            server
                .requests()
                .iter()
                .filter(|r| r.path().starts_with("/v2"))
                .all(|r| r.header("authorization") == Some("Bearer tok-1"))
        );
    })
    .await
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // A 1 s token: the 5 min margin is capped at half its life.
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 1), Reply::token("tok-2", 3599)],
        );
        server.script("/v2", [Reply::json(200, "{}"), Reply::json(200, "{}")]);
        let runtime = s2s_builder(&server).build().unwrap();

        get(&runtime).await.unwrap();
        tokio::time::sleep(Duration::from_millis(600)).await;
        get(&runtime).await.unwrap();
        let sent: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.path().starts_with("/v2"))
            .map(|r| r.header("authorization").unwrap_or_default().to_owned())
            .collect();
        assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2"]);
    })
    .await
}

#[tokio::test]
async fn token_endpoint_errors_are_typed_and_keep_the_secret() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [
                Reply::json(
                    400,
                    r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
                ),
                Reply::json(200, "this is not json"),
            ],
        );
        let runtime = s2s_builder(&server).build().unwrap();

        let rejected = get(&runtime).await.unwrap_err();
        match rejected.auth() {
            Some(AuthError::TokenEndpoint {
                status: 400, error, ..
            }) => {
                assert_eq!(error.as_deref(), Some("invalid_client"))
            }
            other => panic!("expected a token endpoint error, got {other:?}"),
        }
        assert_eq!(rejected.status(), Some(400));
        assert_eq!(
            rejected.zoom_message(),
            Some("Invalid client_id or client_secret")
        );
        assert_eq!(
            rejected.to_string(),
            "getAccount: authentication failed: the OAuth token endpoint answered HTTP 400: \
             invalid_client (Invalid client_id or client_secret)"
        );
        let garbled = get(&runtime).await.unwrap_err();
        assert!(
            matches!(garbled.auth(), Some(AuthError::InvalidTokenResponse { .. })),
            "{garbled:?}"
        );
        assert_eq!(
            server.hits("/v2"),
            0,
            "no API request goes out without a token"
        );

        for error in [&rejected, &garbled] {
            let text = all_text(error);
            assert!(!text.contains(CLIENT_SECRET), "{text}");
            assert!(!text.contains("Y2xpZW50"), "{text}");
        }
    })
    .await
}

#[tokio::test]
async fn a_busy_token_endpoint_is_retried() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [Reply::json(503, "{}"), Reply::token("tok-1", 3599)],
        );
        server.script("/v2", [Reply::json(200, "{}")]);
        let runtime = s2s_builder(&server).build().unwrap();

        // Even for a POST: the API request was not sent while the token was
        // missing.
        assert_eq!(post(&runtime).await.unwrap().status(), StatusCode::OK);
        assert_eq!(server.hits("/oauth/token"), 2);
    })
    .await
}

#[tokio::test]
async fn an_unreachable_token_endpoint_shows_no_secret() {
    bounded(async {
        let closed = format!("http://127.0.0.1:{}", unused_port().await);
        let runtime = Runtime::builder()
            .with_credentials(Credentials::server_to_server(
                "account-1",
                "client-id",
                CLIENT_SECRET,
            ))
            .with_api_base_url(format!("{closed}/v2"))
            .with_oauth_base_url(&closed)
            .with_retry_policy(RetryPolicy {
                max_retries: 1,
                ..quick_retries()
            })
            .build()
            .unwrap();
        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(error.auth(), Some(AuthError::Transport(_))),
            "{error:?}"
        );
        assert!(error.is_retryable());
        let text = all_text(&error) + &format!("{runtime:?}");
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    })
    .await
}

#[tokio::test]
async fn rate_limited_waits_for_retry_after_seconds() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(429, r#"{"code":429}"#).header("Retry-After", "1"),
                Reply::json(201, "{}"),
            ],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let started = Instant::now();
        // A 429 is retried even for a POST.
        let response = post(&runtime).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert!(
            started.elapsed() >= Duration::from_millis(990),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.hits("/v2"), 2);
    })
    .await
}

#[tokio::test]
async fn rate_limited_waits_for_retry_after_http_date() {
    bounded(async {
        let server = ScriptedServer::start().await;
        let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
        server.script(
            "/v2",
            [
                Reply::json(429, "{}").header("Retry-After", &at),
                Reply::json(200, "{}"),
            ],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let started = Instant::now();
        assert_eq!(get(&runtime).await.unwrap().status(), StatusCode::OK);
        // The date has whole seconds, so the wait is anywhere up to 1 s.
        assert!(
            started.elapsed() < Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.hits("/v2"), 2);
    })
    .await
}

#[tokio::test]
async fn a_daily_limit_beyond_the_deadline_is_returned_at_once() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                429,
                r#"{"code":429,"message":"You have exceeded the daily rate limit (30000)."}"#,
            )
            .header("X-RateLimit-Category", "Heavy")
            .header("X-RateLimit-Type", "Daily-limit")
            .header("X-RateLimit-Limit", "30000")
            .header("X-RateLimit-Remaining", "0")
            .header("Retry-After", "2999-01-01T00:00:00Z")],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let started = Instant::now();
        let error = get(&runtime).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(500));
        assert_eq!(server.hits("/v2"), 1);
        assert!(error.is_rate_limited() && error.is_retryable());
        assert_eq!(error.code(), Some(429));
        assert!(
            error
                .retry_after()
                .is_some_and(|wait| wait > Duration::from_secs(3600))
        );
        let limits = error.rate_limit().unwrap();
        assert_eq!(limits.limit_type, Some(RateLimitType::Daily));
        assert_eq!(limits.category, Some(RateLimitLabel::Heavy));
        assert_eq!(limits.remaining, Some(0));
        assert_eq!(limits.retry_after.as_deref(), Some("2999-01-01T00:00:00Z"));
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 429, Zoom error 429: You have exceeded the daily rate limit (30000)."
        );
    })
    .await
}

#[tokio::test]
async fn server_errors_are_retried_for_get() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(500, "{}"),
                Reply::json(502, "<html>"),
                Reply::json(200, "{}"),
            ],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        assert_eq!(get(&runtime).await.unwrap().status(), StatusCode::OK);
        assert_eq!(server.hits("/v2"), 3);
    })
    .await
}

#[tokio::test]
async fn server_errors_are_not_retried_for_post_unless_allowed() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(500, "{}"),
                Reply::json(500, "{}"),
                Reply::json(200, "{}"),
            ],
        );
        let cautious = bearer_builder(&server.url()).build().unwrap();
        assert_eq!(post(&cautious).await.unwrap_err().status(), Some(500));
        assert_eq!(server.hits("/v2"), 1);

        let bold = bearer_builder(&server.url())
            .with_retry_policy(RetryPolicy {
                retry_non_idempotent: true,
                ..quick_retries()
            })
            .build()
            .unwrap();
        assert_eq!(post(&bold).await.unwrap().status(), StatusCode::OK);
        assert_eq!(server.hits("/v2"), 3);
    })
    .await
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_answer() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            (0..5).map(|i| Reply::json(503, &format!(r#"{{"code":{i}}}"#))),
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let error = get(&runtime).await.unwrap_err();
        assert_eq!((error.status(), error.code()), (Some(503), Some(3)));
        assert_eq!(error.attempts(), 4);
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 503 after 4 attempts, Zoom error 3"
        );
        assert_eq!(server.hits("/v2"), 4, "one attempt and three retries");
    })
    .await
}

#[tokio::test]
async fn a_slow_answer_hits_the_request_timeout() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(200, "{}").delay(Duration::from_secs(2)),
                Reply::json(200, "{}").delay(Duration::from_secs(2)),
                Reply::json(200, "{}"),
            ],
        );
        let runtime = bearer_builder(&server.url())
            .with_request_timeout(Duration::from_millis(200))
            .with_retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Timeout(Timeout::Request { .. })),
            "{error:?}"
        );
        assert_eq!(error.operation_id(), Some("getAccount"));
        assert!(error.is_timeout() && error.is_retryable());
        assert_eq!(
            error.to_string(),
            "getAccount: timed out waiting for the answer (200ms per attempt)"
        );
        assert!(started.elapsed() < Duration::from_secs(1));

        // With retries, a GET that timed out is sent again.
        let retrying = bearer_builder(&server.url())
            .with_request_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        assert_eq!(get(&retrying).await.unwrap().status(), StatusCode::OK);
        assert_eq!(server.hits("/v2"), 3);
    })
    .await
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_post() {
    bounded(async {
        let port = unused_port().await;
        // Nothing listens yet; the server comes up a little later.
        let late_server = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .unwrap();
            let server = ScriptedServer::serve(listener);
            server.script("/v2", [Reply::json(201, "{}")]);
            server
        });
        let runtime = bearer_builder(&format!("http://127.0.0.1:{port}"))
            .with_retry_policy(RetryPolicy {
                max_retries: 50,
                base_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(50),
                ..quick_retries()
            })
            .build()
            .unwrap();

        // Refused connections carried no request, so even a POST is safe to
        // send again.
        let response = post(&runtime).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let server = late_server.await.unwrap();
        assert_eq!(server.hits("/v2"), 1);
    })
    .await
}

#[tokio::test]
async fn the_deadline_bounds_retries() {
    bounded(async {
        // Refused forever: retries stop at the deadline with the last error.
        let closed = format!("http://127.0.0.1:{}", unused_port().await);
        let runtime = bearer_builder(&closed)
            .with_retry_policy(RetryPolicy {
                max_retries: 1_000,
                base_delay: Duration::from_millis(50),
                max_delay: Duration::from_millis(100),
                deadline: Duration::from_millis(400),
                retry_non_idempotent: false,
            })
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Transport(Transport::Connect)),
            "{error:?}"
        );
        let source = std::error::Error::source(&error)
            .and_then(|s| s.downcast_ref::<reqwest::Error>())
            .unwrap();
        assert!(source.is_connect());
        assert!(error.attempts() > 1);
        // At the deadline at most (an attempt running then is abandoned).
        assert!(
            started.elapsed() < Duration::from_millis(700),
            "{:?}",
            started.elapsed()
        );

        // A Retry-After past the deadline is not waited for.
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(503, "{}").header("Retry-After", "1")]);
        let runtime = bearer_builder(&server.url())
            .with_retry_policy(RetryPolicy {
                deadline: Duration::from_millis(500),
                ..quick_retries()
            })
            .build()
            .unwrap();
        let started = Instant::now();
        assert_eq!(get(&runtime).await.unwrap_err().status(), Some(503));
        assert!(
            started.elapsed() < Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.hits("/v2"), 1);

        // Nor is an absurd one (it must not overflow the clock either).
        server.script(
            "/v2",
            [Reply::json(503, "{}").header("Retry-After", "18446744073709551615")],
        );
        assert_eq!(get(&runtime).await.unwrap_err().status(), Some(503));
        assert_eq!(server.hits("/v2"), 2);

        // An attempt still running at the deadline is cut off there.
        server.script(
            "/v2",
            [Reply::json(200, "{}").delay(Duration::from_secs(2))],
        );
        let runtime = bearer_builder(&server.url())
            .with_retry_policy(RetryPolicy {
                deadline: Duration::from_millis(300),
                ..quick_retries()
            })
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Timeout(Timeout::Deadline { .. })),
            "{error:?}"
        );
        assert_eq!(error.attempts(), 1);
        assert!(error.is_timeout());
        assert!(started.elapsed() < Duration::from_secs(1));
    })
    .await
}

#[tokio::test]
async fn a_streaming_body_is_sent_once() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(503, "{}"), Reply::json(200, "{}")]);
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let chunks: Vec<Result<&'static [u8], std::io::Error>> =
            vec![Ok(b"part-1,"), Ok(b"part-2")];
        let stream = futures_stream(chunks);
        let url = format!("{}/accounts/upload", runtime.base_url());
        let request = runtime
            .http_client()
            .put(&url)
            .body(reqwest::Body::wrap_stream(stream))
            .build()
            .unwrap();
        let error = runtime.execute(request, &GET_ACCOUNT).await.unwrap_err();
        assert_eq!((error.status(), error.attempts()), (Some(503), 1));
        let received = server.requests();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].body, b"part-1,part-2");
    })
    .await
}

/// A stream over `items`, without a futures dependency.
fn futures_stream<T: Unpin + Send + 'static>(
    items: Vec<T>,
) -> impl futures_core::Stream<Item = T> + Send + 'static {
    struct Items<T>(std::vec::IntoIter<T>);
    impl<T: Unpin> futures_core::Stream for Items<T> {
        type Item = T;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Items(items.into_iter())
}

#[tokio::test]
async fn the_throttle_spaces_requests_of_a_label() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", (0..8).map(|_| Reply::json(200, "{}")));
        let runtime = bearer_builder(&server.url())
            .with_throttle(RateLimitPlan {
                light: Some(Rate {
                    burst: 1,
                    ..Rate::per_second(10)
                }),
                ..RateLimitPlan::default()
            })
            .build()
            .unwrap();

        let started = Instant::now();
        for _ in 0..4 {
            get(&runtime).await.unwrap();
        }
        // One at once, then one every 100 ms.
        assert!(
            started.elapsed() >= Duration::from_millis(290),
            "{:?}",
            started.elapsed()
        );

        // MEDIUM has no rate in this plan: not throttled.
        let started = Instant::now();
        for _ in 0..4 {
            post(&runtime).await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
    })
    .await
}

#[tokio::test]
async fn a_spent_daily_budget_fails_fast() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(200, "{}")]);
        let runtime = bearer_builder(&server.url())
            .with_throttle(RateLimitPlan {
                daily_budget: Some(1),
                ..RateLimitPlan::pro()
            })
            .build()
            .unwrap();
        const HEAVY: OperationMeta =
            OperationMeta::new("report", "GET", "/report").with_rate_limit(RateLimitLabel::Heavy);
        let send = || runtime.execute(request(&runtime, Method::GET, "/report"), &HEAVY);
        assert_eq!(send().await.unwrap().status(), StatusCode::OK);
        let error = send().await.unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::BudgetExhausted {
                    budget: Budget::DailyHeavy { limit: 1 },
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.attempts(), 0, "nothing was sent");
        assert!(error.is_rate_limited());
        assert!(
            error
                .retry_after()
                .is_some_and(|r| r <= Duration::from_secs(86_400))
        );
        assert!(
            error.to_string().starts_with(
                "report: not sent: the client-side daily budget of 1 HEAVY/RESOURCE-INTENSIVE \
                 requests is spent; it resets at 00:00 UTC, in "
            ),
            "{error}"
        );
        assert_eq!(server.hits("/v2"), 1);
    })
    .await
}

#[tokio::test]
async fn api_errors_are_decoded_with_their_documentation() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                404,
                r#"{"code":2001,"message":"Account does not exist: me."}"#,
            )
            .header("x-zm-trackingid", "v=2.0;clid=aw1;rid=WEB_1")],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();

        let error = get(&runtime).await.unwrap_err();
        assert_eq!((error.status(), error.code()), (Some(404), Some(2001)));
        assert_eq!(
            error.documented().map(|d| d.message),
            Some("Account does not exist.")
        );
        assert_eq!(error.tracking_id(), Some("v=2.0;clid=aw1;rid=WEB_1"));
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 404, Zoom error 2001: Account does not exist: me."
        );
    })
    .await
}

#[tokio::test]
async fn exec_hands_runtime_errors_to_progenitor_inside_reqwest_errors() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [Reply::json(401, r#"{"error":"invalid_client"}"#)],
        );
        server.script("/v2", [Reply::json(200, "{}")]);
        let runtime = s2s_builder(&server).build().unwrap();

        let carried = runtime
            .exec(request(&runtime, Method::GET, "/x"), &GET_ACCOUNT)
            .await
            .unwrap_err();
        match Error::find_in(&carried).and_then(Error::auth) {
            Some(AuthError::TokenEndpoint { status: 401, .. }) => {}
            other => panic!("runtime error not found in {carried:?}: {other:?}"),
        }
        assert!(!all_text(&carried).contains(CLIENT_SECRET));

        // Transport errors are carried too, the reqwest error as their
        // source.
        let closed = format!("http://127.0.0.1:{}", unused_port().await);
        let runtime = bearer_builder(&closed)
            .with_retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let carried = runtime
            .exec(
                request(
                    &runtime,
                    Method::GET,
                    "/users/jo@example.com?page_token=q-77",
                ),
                &GET_ACCOUNT,
            )
            .await
            .unwrap_err();
        let error = Error::find_in(&carried).unwrap();
        let text = all_text(error);
        assert!(
            !text.contains("q-77") && !text.contains("jo@example.com"),
            "{text}"
        );
        assert!(
            matches!(error.kind(), ErrorKind::Transport(Transport::Connect)),
            "{error:?}"
        );
        assert!(
            std::error::Error::source(error)
                .and_then(|s| s.downcast_ref::<reqwest::Error>())
                .is_some_and(reqwest::Error::is_connect)
        );
    })
    .await
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::token("issued-access-token", 3599)]);
        server.script("/v2", [Reply::json(200, "{}")]);
        let builder = s2s_builder(&server);
        let runtime = builder.build().unwrap();
        get(&runtime).await.unwrap();

        let credentials = Credentials::server_to_server("account-1", "client-id", CLIENT_SECRET);
        let shown = format!(
            "{builder:?} {runtime:?} {runtime:#?} {credentials:?} {:?}",
            runtime.retry_policy()
        );
        for secret in [CLIENT_SECRET, "issued-access-token"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("Secret(***)"));
    })
    .await
}

#[tokio::test]
async fn a_400_with_zooms_body_gives_code_message_and_documented_meaning() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                400,
                r#"{"code":1224,"message":"Role name My role has already been used."}"#,
            )],
        );
        let runtime = bearer_builder(&server.url()).build().unwrap();
        let error = get(&runtime).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 400, Zoom error 1224: Role name My role has already been used."
        );
        assert_eq!(error.code(), Some(1224));
        assert_eq!(
            error.zoom_message(),
            Some("Role name My role has already been used.")
        );
        assert_eq!(
            error.documented().map(|d| d.message),
            Some("Role name already exists.")
        );
        assert!(!error.is_retryable());
        assert_eq!(error.attempts(), 1);
        assert_eq!(server.hits("/v2"), 1, "a 400 is an answer, not retried");
    })
    .await
}

#[tokio::test]
async fn a_502_with_an_html_body_keeps_its_status() {
    bounded(async {
        let server = ScriptedServer::start().await;
        let page = "<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>";
        server.script(
            "/v2",
            [Reply::status(502)
                .header("content-type", "text/html")
                .body(page)],
        );
        let runtime = bearer_builder(&server.url())
            .with_retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let error = get(&runtime).await.unwrap_err();
        assert_eq!(error.status(), Some(502));
        assert_eq!(error.code(), None);
        assert_eq!(error.body_excerpt(), Some(page));
        assert!(error.is_retryable());
        let shown = error.to_string();
        assert!(
            shown.starts_with("getAccount: HTTP 502: \"<html>"),
            "{shown}"
        );
        assert!(!shown.contains('\n'), "{shown}");
        assert!(format!("{error:?}").contains("502"), "{error:?}");
    })
    .await
}

#[tokio::test]
async fn a_body_that_arrives_too_slowly_is_a_timeout_with_its_status() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(200, r#"{"id":"a"}"#)
                .header("x-zm-trackingid", "rid-slow")
                .body_delay(Duration::from_secs(3))],
        );
        let runtime = bearer_builder(&server.url())
            .with_request_timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        // The status line and headers come at once: the answer is a 200 ...
        let response = get(&runtime).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        // ... whose body does not come within the request timeout.
        let carried = response.bytes().await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        let error = Error::from_progenitor(
            progenitor_client::Error::<()>::ResponseBodyError(carried),
            &GET_ACCOUNT,
        );
        assert!(error.is_timeout(), "{error:?}");
        assert!(
            matches!(error.kind(), ErrorKind::Timeout(Timeout::Body { .. })),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.tracking_id(), Some("rid-slow"));
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 200, timed out reading the body (300ms per attempt)"
        );
    })
    .await
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_success_or_error() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                // Content-Length says so: refused before reading.
                Reply::json(200, "").body_of_len(5_000),
                // No Content-Length: refused while reading.
                Reply::json(200, "")
                    .body_of_len(5_000)
                    .without_content_length(),
                // An error page too large: refused, its status kept.
                Reply::status(500)
                    .body_of_len(5_000)
                    .without_content_length(),
                // At the cap: passes intact.
                Reply::json(200, "")
                    .body_of_len(1_000)
                    .without_content_length(),
            ],
        );
        let runtime = bearer_builder(&server.url())
            .with_retry_policy(RetryPolicy::never())
            .with_max_response_body_bytes(1_000)
            .build()
            .unwrap();

        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::BodyTooLarge {
                    limit: 1_000,
                    content_length: Some(5_000)
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "getAccount: HTTP 200, the response body is larger than the limit of 1000 bytes \
             (Content-Length 5000)"
        );

        let response = get(&runtime).await.unwrap();
        let carried = response.bytes().await.unwrap_err();
        let error = Error::from_progenitor(
            progenitor_client::Error::<()>::ResponseBodyError(carried),
            &GET_ACCOUNT,
        );
        assert!(
            matches!(
                error.kind(),
                ErrorKind::BodyTooLarge {
                    content_length: None,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(200));

        let error = get(&runtime).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::BodyTooLarge { .. }),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(500));

        let body = get(&runtime).await.unwrap().bytes().await.unwrap();
        assert_eq!(body.len(), 1_000);
    })
    .await
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_auth_error_with_the_token_endpoints_status() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::invalid_client()]);
        let runtime = s2s_builder(&server).build().unwrap();
        // Through the progenitor route, as the generated client sees it.
        let carried = runtime
            .exec(request(&runtime, Method::GET, "/accounts/me"), &GET_ACCOUNT)
            .await
            .unwrap_err();
        let error = Error::from_progenitor(
            progenitor_client::Error::<()>::CommunicationError(carried),
            &GET_ACCOUNT,
        );
        assert!(matches!(error.kind(), ErrorKind::Auth(_)), "{error:?}");
        assert_eq!(error.status(), Some(401));
        assert_eq!(
            error.to_string(),
            "getAccount: authentication failed: the OAuth token endpoint answered HTTP 401: \
             invalid_client (Invalid client_id or client_secret)"
        );
        let text = all_text(&error);
        assert!(!text.contains("no.url.provided"), "{text}");
        assert!(
            !text.contains(CLIENT_SECRET) && !text.contains("Y2xpZW50"),
            "{text}"
        );
        assert_eq!(server.hits("/v2"), 0);
        assert_eq!(server.hits("/oauth/token"), 1, "a refusal is not retried");
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_never_exceeds_the_plans_rate_in_any_second() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.respond_with("/v2", |_| Reply::json(200, "{}"));
        let runtime = bearer_builder(&server.url())
            .with_throttle(RateLimitPlan::pro())
            .build()
            .unwrap();
        // 90 LIGHT calls at once on a fresh throttle: Pro allows 30/s.
        let callers: Vec<_> = (0..90)
            .map(|_| {
                let runtime = runtime.clone();
                tokio::spawn(async move { get(&runtime).await.map(|r| r.status()) })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), StatusCode::OK);
        }
        assert_eq!(server.requests_to("/v2").len(), 90);
        // The busiest one-second window of arrivals. Tolerance: the
        // throttle keeps each grant 1 s + 50 ms (the plan's margin) after
        // the grant 30 before it, so a window of server-side arrivals holds
        // at most 30 as long as no request's grant-to-accept delay exceeds
        // another's by 50 ms; on loopback it is well under a millisecond
        // apart from scheduling.
        let busiest = server.busiest_window("/v2", Duration::from_secs(1));
        assert_eq!(
            busiest, 30,
            "the burst of 30 goes at once, and no more in any second"
        );
    })
    .await
}

#[tokio::test]
async fn a_view_overrides_timeout_and_retries_and_shares_the_token() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::token("tok-1", 3599)]);
        server.script(
            "/v2",
            [
                Reply::json(200, "{}").delay(Duration::from_millis(600)),
                Reply::json(200, "{}").delay(Duration::from_millis(600)),
                Reply::json(503, "{}"),
                Reply::json(503, "{}"),
                Reply::json(200, "{}"),
            ],
        );
        let runtime = s2s_builder(&server).build().unwrap();
        let hasty = runtime
            .with_request_timeout(Duration::from_millis(100))
            .with_retry_policy(RetryPolicy::never());
        assert_eq!(hasty.request_timeout(), Some(Duration::from_millis(100)));
        assert_eq!(runtime.request_timeout(), Some(Duration::from_secs(5)));

        let error = get(&hasty).await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(error.attempts(), 1);
        // The runtime itself waits out the slow answer.
        get(&runtime).await.unwrap();
        // The view does not retry a 503; the runtime does.
        assert_eq!(get(&hasty).await.unwrap_err().status(), Some(503));
        get(&runtime).await.unwrap();
        assert_eq!(server.hits("/v2"), 5);
        assert_eq!(
            server.hits("/oauth/token"),
            1,
            "views share the token cache"
        );
    })
    .await
}
