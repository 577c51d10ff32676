//! The generated client (`zoom_accounts::Client`, not the bare runtime)
//! against a scripted HTTP/1.1 server on 127.0.0.1: `Retry-After` in both
//! forms, 5xx retries, timeouts, undecodable bodies, Zoom's typed error
//! body, token refresh after a 401 and under concurrency, the double
//! encoding of UUIDs, and file uploads. Every test is bounded in time and
//! its server stops when the test ends, failed or not.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use zoom_accounts::prelude::*;
use zoom_accounts::{Credentials, Error, RetryPolicy, file_part_from_bytes, file_part_from_path};
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
) -> Result<
    zoom_accounts::ResponseValue<zoom_accounts::types::GetSubAccountDetailsResponse>,
    Error<zoom_accounts::types::ZoomError>,
> {
    client
        .get_sub_account_details()
        .account_id("me")
        .send()
        .await
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
        assert_eq!(format!("{:?}", zoom_accounts::ClientInfo::client(&client)), runtime_http);
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
        match &error {
            Error::CommunicationError(e) => assert!(e.is_timeout(), "{e:?}"),
            other => panic!("expected a timeout, got {other:?}"),
        }
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
        server.script("/v2", bodies.iter().map(|body| Reply::json(200, body)));
        let client = bearer_client(&server);
        for body in bodies {
            match get_account(&client).await {
                Err(Error::InvalidResponsePayload(bytes, _)) => {
                    assert_eq!(&bytes[..], body.as_bytes())
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
        let Error::ErrorResponse(body) = &error else {
            panic!("expected Error::ErrorResponse, got {error:?}");
        };
        assert_eq!(body.status(), 404);
        assert_eq!(body.code, Some(2001));
        assert_eq!(
            body.message.as_deref(),
            Some("Account does not exist: acct-9.")
        );
        // Not retried: a 404 is an answer.
        assert_eq!(server.requests_to("/v2").len(), 1);
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
            [Reply::json(400, r#"{"code":120,"message":"No file uploaded."}"#)],
        );
        let client = bearer_client(&server);
        let error = client.upload_vb().account_id("me").send().await.unwrap_err();
        match &error {
            Error::ErrorResponse(body) => {
                assert_eq!(body.status(), 400);
                assert_eq!(body.code, Some(120));
            }
            other => panic!("expected Zoom's error body, got {other:?}"),
        }
        let operation = zoom_accounts::metadata::by_operation_id("uploadVB").unwrap();
        assert!(operation.documented_error(400, 120).is_some());
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}
