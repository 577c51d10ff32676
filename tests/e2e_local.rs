//! The generated client (`zoom_accounts::Client`, not the bare runtime)
//! against a scripted HTTP/1.1 server on 127.0.0.1: `Retry-After` in both
//! forms, 5xx retries, timeouts of the answer and of its body, undecodable
//! bodies, Zoom's error body with its documented meaning (a 404 on a GET, a
//! 400 on a POST), a 502 page, a wrong client secret, a burst of concurrent
//! calls through the throttle, the body cap, per-call views, rate-limit
//! headers of a success, token refresh after a 401 and under concurrency,
//! the double encoding of UUIDs, and file uploads. Every test is bounded in time and
//! its server stops when the test ends, failed or not.
//!
//! Every generated method returns the one error type, `zoom_accounts::Error`
//! (the runtime's), so the tests look at errors exactly as a user does.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use zoom_accounts::metadata::RateLimitLabel;
use zoom_accounts::prelude::*;
use zoom_accounts::{
    Credentials, Error, ErrorKind, RateLimitType, ResponseExt, RetryPolicy, Timeout,
    file_part_from_bytes, file_part_from_path,
};
use zoom_accounts_tests::scripted_server::{FormPart, Reply, ScriptedServer, bounded};

const ACCOUNT: &str = r#"{"id":"acct-1","account_name":"Sub account","seats":5}"#;

/// Short backoff, room for a `Retry-After` of a second or two.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        deadline: Duration::from_secs(10),
        retry_non_idempotent: false,
    }
}

fn bearer_client(server: &ScriptedServer) -> Client {
    Client::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{}/v2", server.url()))
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(quick_retries())
        .build()
        .unwrap()
}

/// Server-to-Server credentials whose token endpoint is the scripted server.
fn s2s_client(server: &ScriptedServer) -> Client {
    Client::builder()
        .with_credentials(Credentials::server_to_server(
            "account-1",
            "client-id",
            "client-secret-value",
        ))
        .with_api_base_url(format!("{}/v2", server.url()))
        .with_oauth_base_url(server.url())
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(quick_retries())
        .build()
        .unwrap()
}

async fn get_account(
    client: &Client,
) -> Result<zoom_accounts::ResponseValue<zoom_accounts::types::GetSubAccountDetailsResponse>, Error>
{
    client
        .get_sub_account_details()
        .account_id("me")
        .send()
        .await
}

/// What an error says of Zoom's answer: status, Zoom's code and message,
/// the spec's documented meaning of the code, and `Display`.
fn zoom_answer(error: &Error) -> (Option<u16>, Option<i64>, Option<&str>, Option<&str>, String) {
    (
        error.status(),
        error.code(),
        error.zoom_message(),
        error.documented().map(|d| d.message),
        error.to_string(),
    )
}

fn authorizations(server: &ScriptedServer, path_prefix: &str) -> Vec<String> {
    server
        .requests_to(path_prefix)
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_owned())
        .collect()
}

/// `Client::new(baseurl, runtime)`, progenitor's constructor, is rewritten
/// by codegen to build requests with the runtime's HTTP client (no
/// `unwrap` on a client of its own): a call through it reaches the server
/// with the runtime's auth.
#[tokio::test]
async fn client_new_sends_through_the_runtime() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(200, ACCOUNT)]);
        let runtime = zoom_accounts::runtime::Runtime::builder()
            .with_credentials(Credentials::bearer_token("fixed-token"))
            .with_retry_policy(quick_retries())
            .build()
            .unwrap();
        let runtime_http = format!("{:?}", runtime.http_client());
        let client = Client::new(&format!("{}/v2", server.url()), runtime);
        // The same reqwest client (progenitor's own had 15 s timeouts).
        assert_eq!(
            format!("{:?}", zoom_accounts::ClientInfo::client(&client)),
            runtime_http
        );
        let account = get_account(&client).await.unwrap();
        assert_eq!(account.id.as_deref(), Some("acct-1"));
        assert_eq!(authorizations(&server, "/v2"), ["Bearer fixed-token"]);
    })
    .await;
}

#[tokio::test]
async fn rate_limited_with_retry_after_in_seconds_then_success() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(429, r#"{"code":429,"message":"You have reached the maximum per-second rate limit."}"#)
                    .header("retry-after", "1"),
                Reply::json(200, ACCOUNT),
            ],
        );
        let client = bearer_client(&server);
        let started = Instant::now();
        let account = get_account(&client).await.unwrap();
        assert_eq!(account.id.as_deref(), Some("acct-1"));
        assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
        assert_eq!(server.requests_to("/v2").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn rate_limited_with_retry_after_as_an_http_date_then_success() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // HTTP dates have whole seconds: two seconds from now, truncated, is
        // more than one second away.
        let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
        server.script(
            "/v2",
            [
                Reply::json(429, r#"{"code":429,"message":"Too many requests."}"#)
                    .header("retry-after", &at),
                Reply::json(200, ACCOUNT),
            ],
        );
        let client = bearer_client(&server);
        let started = Instant::now();
        let account = get_account(&client).await.unwrap();
        assert_eq!(account.account_name.as_deref(), Some("Sub account"));
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.requests_to("/v2").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn server_error_then_success_for_a_get() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::status(500).body("oops"), Reply::json(200, ACCOUNT)],
        );
        let client = bearer_client(&server);
        let account = get_account(&client).await.unwrap();
        assert_eq!(account.seats, Some(5));
        assert_eq!(server.requests_to("/v2").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_slow_answer_hits_the_request_timeout() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [
                Reply::json(200, ACCOUNT).delay(Duration::from_secs(5)),
                Reply::json(200, ACCOUNT).delay(Duration::from_secs(5)),
            ],
        );
        let client = Client::builder()
            .with_credentials(Credentials::bearer_token("fixed-token"))
            .with_api_base_url(format!("{}/v2", server.url()))
            .with_request_timeout(Duration::from_millis(300))
            .with_retry_policy(RetryPolicy {
                max_retries: 1,
                ..quick_retries()
            })
            .build()
            .unwrap();
        let started = Instant::now();
        let error = get_account(&client).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(error.is_timeout(), "{error:?}");
        assert!(matches!(error.kind(), ErrorKind::Timeout(Timeout::Request { .. })), "{error:?}");
        assert_eq!(error.attempts(), 2);
        assert_eq!(
            error.to_string(),
            "GetSubAccountDetails: timed out waiting for the answer (300ms per attempt) after 2 attempts"
        );
        // Two attempts of 300 ms each, not the 5 s the server would take.
        assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
        assert_eq!(server.requests_to("/v2").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_body_that_does_not_decode_is_an_error_not_a_panic() {
    bounded(async {
        let server = ScriptedServer::start().await;
        let bodies = [
            r#"{"id": "acct-1", "#,           // cut short
            r#"{"seats": "five"}"#,           // wrong type
            "<html>maintenance</html>",       // not JSON
            "",                               // empty
            r#"{"created_at": "yesterday"}"#, // not a date-time
        ];
        server.script(
            "/v2",
            bodies.iter().map(|body| {
                Reply::json(200, body).header("x-zm-trackingid", "v=2.0;rid=DECODE_1")
            }),
        );
        let client = bearer_client(&server);
        for body in bodies {
            match get_account(&client).await {
                Err(error) if matches!(error.kind(), ErrorKind::Decode { .. }) => {
                    assert_eq!(error.body_excerpt().unwrap_or(""), body);
                    assert_eq!(error.operation_id(), Some("GetSubAccountDetails"));
                    // What progenitor's decoding drops, kept.
                    assert_eq!(error.status(), Some(200));
                    assert_eq!(error.attempts(), 1);
                    assert_eq!(error.tracking_id(), Some("v=2.0;rid=DECODE_1"));
                    assert!(
                        error.to_string().starts_with(
                            "GetSubAccountDetails: HTTP 200, the answer does not decode as the documented type: "
                        ),
                        "{error}"
                    );
                    assert!(std::error::Error::source(&error).is_some(), "serde's error");
                    assert!(!error.to_string().contains('\n'), "{error}");
                }
                other => panic!("{body:?} gave {other:?}"),
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_zoom_error_body_is_decoded_into_the_typed_error() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                404,
                r#"{"code":2001,"message":"Account does not exist: acct-9."}"#,
            )],
        );
        let client = bearer_client(&server);
        let error = client
            .get_sub_account_details()
            .account_id("acct-9")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            zoom_answer(&error),
            (
                Some(404),
                Some(2001),
                Some("Account does not exist: acct-9."),
                // The spec's entry for 404/2001 of this operation.
                Some("Account does not exist: $subAccountId"),
                "GetSubAccountDetails: HTTP 404, Zoom error 2001: Account does not exist: acct-9."
                    .into(),
            )
        );
        // Not retried: a 404 is an answer.
        assert_eq!(server.requests_to("/v2").len(), 1);
    })
    .await;
}

/// Zoom's 400 with its JSON body, on a POST: code, message, the spec's
/// documented meaning for this operation, one line of `Display`, the
/// tracking id, and no retry (a 400 is an answer).
#[tokio::test]
async fn a_400_with_zooms_body_gives_code_message_and_documented_meaning() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                400,
                r#"{"code":1224,"message":"Role name My role has already been used."}"#,
            )
            .header("x-zm-trackingid", "v=2.0;clid=us05;rid=WEB_1224")],
        );
        let client = bearer_client(&server);
        let mut role = zoom_accounts::types::CreateRoleBody::default();
        role.name = Some("My role".into());
        role.privileges = vec!["User:Read".into()];
        let error = client
            .create_role()
            .account_id("me")
            .body(role)
            .send()
            .await
            .unwrap_err();
        // The typed body (its fields derived from the reference's example)
        // went out as JSON.
        let sent: serde_json::Value =
            serde_json::from_slice(&server.requests_to("/v2")[0].body).unwrap();
        assert_eq!(
            sent,
            serde_json::json!({"name": "My role", "privileges": ["User:Read"]})
        );
        assert!(matches!(error.kind(), ErrorKind::Api(_)), "{error:?}");
        assert_eq!(error.operation_id(), Some("createRole"));
        assert_eq!(
            zoom_answer(&error),
            (
                Some(400),
                Some(1224),
                Some("Role name My role has already been used."),
                Some("Role name {roleName} has already been used."),
                "createRole: HTTP 400, Zoom error 1224: Role name My role has already been used."
                    .into(),
            )
        );
        assert_eq!(error.tracking_id(), Some("v=2.0;clid=us05;rid=WEB_1224"));
        assert!(!error.is_retryable() && !error.is_rate_limited() && !error.is_timeout());
        assert_eq!((error.attempts(), server.requests_to("/v2").len()), (1, 1));
    })
    .await;
}

/// The created role comes back typed: the reference gives that body only
/// as an example inside the response's description (spec/README.md), and
/// the client reads it rather than dropping it.
#[tokio::test]
async fn a_created_role_comes_back_typed() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                200,
                r#"{"id":"ReP0khZqgQ3amxOFo7tbYAw","name":"Auditor","type":"common","total_members":0,"privileges":["User:Read"]}"#,
            )],
        );
        let mut role = zoom_accounts::types::CreateRoleBody::default();
        role.name = Some("Auditor".into());
        let created = bearer_client(&server)
            .create_role()
            .account_id("me")
            .body(role)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 200);
        assert_eq!(created.id.as_deref(), Some("ReP0khZqgQ3amxOFo7tbYAw"));
        assert_eq!((created.total_members, created.privileges.len()), (Some(0), 1));
    })
    .await;
}

/// The Pro plan allows 30 LIGHT requests a second. 90 concurrent calls of
/// a LIGHT operation through the client, on a fresh throttle, arrive at
/// most 30 in any one-second window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_calls_never_exceeds_the_plans_rate_in_any_second() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.respond_with("/v2", |_| Reply::json(200, ACCOUNT));
        let label = zoom_accounts::metadata::by_operation_id("GetSubAccountDetails")
            .and_then(|op| op.rate_limit);
        assert_eq!(label, Some(RateLimitLabel::Light));
        let client = Arc::new(
            Client::builder()
                .with_credentials(Credentials::bearer_token("fixed-token"))
                .with_api_base_url(format!("{}/v2", server.url()))
                .with_throttle(zoom_accounts::RateLimitPlan::pro())
                .build()
                .unwrap(),
        );
        let callers: Vec<_> = (0..90)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { get_account(&client).await.map(|a| a.status()) })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), 200);
        }
        assert_eq!(server.requests_to("/v2").len(), 90);
        // (The throttle's 50 ms margin covers loopback scheduling jitter;
        // see runtime/tests/execute.rs.)
        assert_eq!(
            server.busiest_window("/v2", Duration::from_secs(1)),
            30,
            "no more than the plan's 30 in any second"
        );
    })
    .await;
}

#[tokio::test]
async fn unauthorized_then_token_refresh_then_success() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 3599), Reply::token("tok-2", 3599)],
        );
        // Zoom revoked tok-1 (say, the app's secret was rotated).
        server.respond_with("/v2", |request| match request.header("authorization") {
            Some("Bearer tok-2") => Reply::json(200, ACCOUNT),
            _ => Reply::json(401, r#"{"code":124,"message":"Invalid access token."}"#),
        });
        let client = s2s_client(&server);
        let account = get_account(&client).await.unwrap();
        assert_eq!(account.id.as_deref(), Some("acct-1"));
        assert_eq!(
            authorizations(&server, "/v2"),
            vec!["Bearer tok-1", "Bearer tok-2"]
        );
        let token_requests = server.requests_to("/oauth/token");
        assert_eq!(token_requests.len(), 2);
        assert_eq!(
            token_requests[0].target,
            "/oauth/token?grant_type=account_credentials&account_id=account-1"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_token_fetch() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // Slow enough that every caller finds the fetch under way.
        server.script(
            "/oauth/token",
            [Reply::token("tok-1", 3599).delay(Duration::from_millis(300))],
        );
        server.respond_with("/v2", |_| Reply::json(200, ACCOUNT));
        let client = Arc::new(s2s_client(&server));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { get_account(&client).await.map(|a| a.into_inner()) })
            })
            .collect();
        for task in tasks {
            let account = task.await.unwrap().unwrap();
            assert_eq!(account.id.as_deref(), Some("acct-1"));
        }
        assert_eq!(server.requests_to("/oauth/token").len(), 1);
        assert_eq!(authorizations(&server, "/v2"), vec!["Bearer tok-1"; 8]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_refused_with_401_share_one_token_refresh() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/oauth/token",
            [
                Reply::token("tok-1", 3599),
                Reply::token("tok-2", 3599).delay(Duration::from_millis(300)),
                // A third fetch would be a failure of single flight.
                Reply::token("tok-3", 3599),
            ],
        );
        let client = Arc::new(s2s_client(&server));
        server.respond_with("/v2", |_| Reply::json(200, ACCOUNT));
        get_account(&client).await.unwrap();
        // From now on Zoom refuses tok-1.
        server.respond_with("/v2", |request| match request.header("authorization") {
            Some("Bearer tok-1") => {
                Reply::json(401, r#"{"code":124,"message":"Invalid access token."}"#)
            }
            _ => Reply::json(200, ACCOUNT),
        });
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { get_account(&client).await.map(|a| a.into_inner()) })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(server.requests_to("/oauth/token").len(), 2);
        let sent = authorizations(&server, "/v2");
        // Each caller got through with tok-2 exactly once.
        assert_eq!(
            sent.iter().filter(|a| *a == "Bearer tok-2").count(),
            8,
            "{sent:?}"
        );
        assert!(!sent.iter().any(|a| a == "Bearer tok-3"), "{sent:?}");
    })
    .await;
}

#[tokio::test]
async fn meeting_uuids_and_survey_instance_ids_are_double_encoded() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.respond_with("/v2", |_| Reply::json(200, "{}"));
        let client = bearer_client(&server);
        client
            .dashboard_meeting_detail()
            .account_id("me")
            .meeting_id("/abc==")
            .send()
            .await
            .unwrap();
        client
            .dashboard_webinar_detail()
            .account_id("me")
            .webinar_id("ab//c==")
            .send()
            .await
            .unwrap();
        client
            .dashboard_meeting_detail()
            .account_id("me")
            .meeting_id("4pVq1SnBQqe6ITsCwyDPZQ==")
            .send()
            .await
            .unwrap();
        client
            .get_survey_answers()
            .account_id("me")
            .survey_id("s1")
            .instance_id("/iOTQZ+mhTUq5a232ETb9eg==")
            .send()
            .await
            .unwrap();
        let lines: Vec<String> = server
            .requests()
            .into_iter()
            .map(|r| r.request_line)
            .collect();
        assert_eq!(
            lines,
            vec![
                "GET /v2/accounts/me/metrics/meetings/%252Fabc== HTTP/1.1",
                "GET /v2/accounts/me/metrics/webinars/ab%252F%252Fc== HTTP/1.1",
                "GET /v2/accounts/me/metrics/meetings/4pVq1SnBQqe6ITsCwyDPZQ== HTTP/1.1",
                "GET /v2/accounts/me/surveys/s1/answers?instance_id=%252FiOTQZ%252BmhTUq5a232ETb9eg%253D%253D HTTP/1.1",
            ]
        );
    })
    .await;
}

/// A file in a directory of its own under the temp directory, removed when
/// dropped (also when the test fails).
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "zoom-accounts-e2e-{}-{}",
            std::process::id(),
            name.replace('.', "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

const UPLOADED: &str =
    r#"{"id":"vb-1","is_default":false,"name":"beach.jpg","size":7,"type":"image"}"#;

/// Uploads `part` through the client and returns the parts the server got.
async fn upload_through_the_client(
    part: zoom_accounts::runtime::reqwest::multipart::Part,
) -> Vec<FormPart> {
    let server = ScriptedServer::start().await;
    server.script("/v2", [Reply::json(201, UPLOADED)]);
    let client = bearer_client(&server);
    let uploaded = client
        .upload_vb()
        .account_id("me")
        .file(part)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    assert_eq!(uploaded.id.as_deref(), Some("vb-1"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].request_line,
        "POST /v2/accounts/me/settings/virtual_backgrounds HTTP/1.1"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer fixed-token")
    );
    requests[0].form_parts().unwrap()
}

#[tokio::test]
async fn a_virtual_background_uploads_from_a_path_as_a_file_part() {
    bounded(async {
        let contents = b"\xff\xd8\xff\xe0JFIF\x00\r\n--x";
        let file = TempFile::new("beach.jpg", contents);
        let part = file_part_from_path(&file.0).await.unwrap();
        assert_eq!(
            upload_through_the_client(part).await,
            vec![FormPart {
                name: "file".into(),
                file_name: Some("beach.jpg".into()),
                content_type: Some("image/jpeg".into()),
                body: contents.to_vec(),
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn a_virtual_background_uploads_from_bytes_as_a_file_part() {
    bounded(async {
        let contents = b"GIF89a\x01\x00\x01\x00";
        let part = file_part_from_bytes(&contents[..], "loop.gif", "image/gif").unwrap();
        assert_eq!(
            upload_through_the_client(part).await,
            vec![FormPart {
                name: "file".into(),
                file_name: Some("loop.gif".into()),
                content_type: Some("image/gif".into()),
                body: contents.to_vec(),
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn an_upload_without_a_file_gets_zooms_typed_error() {
    // The spec does not mark `file` required, so the client sends the form
    // as it is; Zoom's documented 400 (code 120) comes back typed.
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(
                400,
                r#"{"code":120,"message":"No file uploaded."}"#,
            )],
        );
        let client = bearer_client(&server);
        let error = client
            .upload_vb()
            .account_id("me")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.operation_id(), Some("uploadVB"));
        assert_eq!((error.status(), error.code()), (Some(400), Some(120)));
        assert!(
            error.documented().is_some(),
            "400/120 is documented for uploadVB"
        );
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_502_page_keeps_its_status_through_the_client() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::status(502)
                .header("content-type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>")],
        );
        let client = bearer_client(&server).with_retry_policy(RetryPolicy::never());
        let error = get_account(&client).await.unwrap_err();
        assert_eq!(error.status(), Some(502));
        assert_eq!(
            error.to_string(),
            "GetSubAccountDetails: HTTP 502: \"<html><body><h1>502 Bad Gateway</h1></body></html>\""
        );
        assert!(format!("{error:?}").contains("502"));
        assert!(error.is_retryable());
    })
    .await;
}

#[tokio::test]
async fn a_body_that_arrives_too_slowly_is_a_timeout_through_the_client() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(200, ACCOUNT).body_delay(Duration::from_secs(5))],
        );
        let client = bearer_client(&server).with_request_timeout(Duration::from_millis(300));
        let started = Instant::now();
        let error = get_account(&client).await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(error.is_timeout(), "{error:?}");
        assert!(
            matches!(error.kind(), ErrorKind::Timeout(Timeout::Body { .. })),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(200));
    })
    .await;
}

#[tokio::test]
async fn a_wrong_client_secret_is_an_authentication_error_with_the_endpoints_401() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::invalid_client()]);
        let error = get_account(&s2s_client(&server)).await.unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::Auth(_)), "{error:?}");
        assert_eq!(error.status(), Some(401));
        assert_eq!(
            error.zoom_message(),
            Some("Invalid client_id or client_secret")
        );
        assert_eq!(
            error.to_string(),
            "GetSubAccountDetails: authentication failed: the OAuth token endpoint answered \
             HTTP 401: invalid_client (Invalid client_id or client_secret)"
        );
        let debug = format!("{error:?}");
        assert!(!debug.contains("no.url.provided") && !debug.contains("client-secret-value"));
        assert!(server.requests_to("/v2").is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_spent_daily_budget_is_its_own_error_through_the_client() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.respond_with("/v2", |_| Reply::json(200, "{}"));
        let client = Client::builder()
            .with_credentials(Credentials::bearer_token("fixed-token"))
            .with_api_base_url(format!("{}/v2", server.url()))
            .with_throttle(zoom_accounts::RateLimitPlan {
                daily_budget: Some(1),
                ..zoom_accounts::RateLimitPlan::pro()
            })
            .build()
            .unwrap();
        let day = |d| zoom_accounts::chrono::NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        let send = || {
            client
                .dashboard_crc()
                .account_id("me")
                .from(day(1))
                .to(day(2))
                .send()
        };
        send().await.unwrap();
        let error = send().await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::BudgetExhausted { .. }),
            "{error:?}"
        );
        assert!(error.is_rate_limited() && error.retry_after().is_some());
        assert!(
            error.to_string().starts_with(
                "dashboardCRC: not sent: the client-side daily budget of 1 HEAVY/RESOURCE-INTENSIVE"
            ),
            "{error}"
        );
        assert_eq!(server.requests_to("/v2").len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_through_the_client() {
    bounded(async {
        let server = ScriptedServer::start().await;
        let big = format!(r#"{{"id":"{}"}}"#, "x".repeat(4_000));
        server.script(
            "/v2",
            [
                Reply::json(200, &big),
                Reply::json(200, &big).without_content_length(),
                Reply::json(200, &big),
            ],
        );
        let client = bearer_client(&server);
        let capped = client.with_max_response_body_bytes(1_024);
        for _ in 0..2 {
            let error = get_account(&capped).await.unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::BodyTooLarge { limit: 1_024, .. }),
                "{error:?}"
            );
            assert_eq!(error.status(), Some(200));
        }
        // The client itself keeps the default cap.
        assert_eq!(
            get_account(&client)
                .await
                .unwrap()
                .id
                .as_deref()
                .map(str::len),
            Some(4_000)
        );
    })
    .await;
}

#[tokio::test]
async fn a_success_exposes_zooms_rate_limit_headers_typed() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2",
            [Reply::json(200, ACCOUNT)
                .header("x-ratelimit-category", "Light")
                .header("x-ratelimit-type", "QPS")
                .header("x-ratelimit-limit", "30")
                .header("x-ratelimit-remaining", "29")
                .header("x-zm-trackingid", "v=2.0;rid=OK_1")],
        );
        let account = get_account(&bearer_client(&server)).await.unwrap();
        let limits = account.rate_limit();
        assert_eq!(limits.category, Some(RateLimitLabel::Light));
        assert_eq!(limits.limit_type, Some(RateLimitType::PerSecond));
        assert_eq!((limits.limit, limits.remaining), (Some(30), Some(29)));
        assert_eq!(account.tracking_id(), Some("v=2.0;rid=OK_1"));
        assert_eq!(account.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn a_call_can_override_timeout_and_retries_sharing_the_token() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::token("tok-1", 3599)]);
        server.script(
            "/v2",
            [
                Reply::json(200, ACCOUNT).delay(Duration::from_millis(800)),
                Reply::json(503, "{}"),
                Reply::json(200, ACCOUNT).delay(Duration::from_millis(800)),
            ],
        );
        let client = s2s_client(&server);
        let strict = client
            .with_request_timeout(Duration::from_millis(200))
            .with_retry_policy(RetryPolicy::never());
        let error = get_account(&strict).await.unwrap_err();
        assert!(error.is_timeout() && error.attempts() == 1, "{error:?}");
        let error = get_account(&strict).await.unwrap_err();
        assert_eq!((error.status(), error.attempts()), (Some(503), 1));
        // The client itself: its own 5 s timeout.
        get_account(&client).await.unwrap();
        assert_eq!(
            server.requests_to("/oauth/token").len(),
            1,
            "one token for all views"
        );
    })
    .await;
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let error = Client::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url("http://api.zoom.us/v2")
        .build()
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Config(_)), "{error:?}");
    assert!(error.to_string().contains("plain http"), "{error}");
    assert!(
        Client::builder()
            .with_credentials(Credentials::bearer_token("fixed-token"))
            .with_api_base_url("http://proxy.internal:8080/v2")
            .with_plain_http_allowed(true)
            .build()
            .is_ok()
    );
}
