//! The example receiver (`examples/webhook_receiver.rs`) end to end over
//! 127.0.0.1: a signed event is accepted and decoded, the URL-validation
//! challenge is answered, a bad signature gets 401.
//!
//! The signatures were computed with OpenSSL 3.0 in bash, not by the code
//! under test: the URL-validation vectors are those of `tests/webhooks.rs`,
//! the event's was made for this test (a body with every field the spec
//! requires); each command stands next to its value.

#[path = "../examples/webhook_receiver.rs"]
#[allow(dead_code)]
mod receiver;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zoom_accounts::Secret;
use zoom_accounts::webhooks::WebhookVerifier;

const SECRET: &str = "tE5tsCr4teS3cretT0ken";
const TIMESTAMP: &str = "1739923530";

const VANITY_URL_APPROVED: &str = r#"{"event":"account.vanity_url_approved","event_ts":1739923530000,"payload":{"account_id":"lq2SDL3bTYiGCCoFjfQmEw","operator":"admin@example.com","object":{"id":"lq2SDL3bTYiGCCoFjfQmEw","vanity_url":"example"}}}"#;

/// printf '%s' 'v0:1739923530:{"event":"account.vanity_url_approved","event_ts":1739923530000,"payload":{"account_id":"lq2SDL3bTYiGCCoFjfQmEw","operator":"admin@example.com","object":{"id":"lq2SDL3bTYiGCCoFjfQmEw","vanity_url":"example"}}}' \
///   | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'   # OpenSSL 3.0.19, written for this test
const VANITY_URL_APPROVED_SIG: &str =
    "v0=fdbd60c8de96c0fdbe9136729674795ad41ff37daf1cc33c6d0bd7e24be5f1ab";

const URL_VALIDATION: &str = r#"{"event":"endpoint.url_validation","payload":{"plainToken":"3gnCdcc0QdOSBpnfb2yyJg"},"event_ts":1739923530000}"#;

/// printf '%s' 'v0:1739923530:{"event":"endpoint.url_validation","payload":{"plainToken":"3gnCdcc0QdOSBpnfb2yyJg"},"event_ts":1739923530000}' \
///   | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'
const URL_VALIDATION_SIG: &str =
    "v0=48dbd837da74ace9319c613a75e374295739cb733820aefda9b5bb5ab11acefd";

/// printf '%s' '3gnCdcc0QdOSBpnfb2yyJg' | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'
const ENCRYPTED_TOKEN: &str = "2f4779bb892d36440ad4a7f73dfbcc40dec4f8db1402fd4fb1fb63c5c1987bba";

/// The clock of the vectors: the second they were signed at.
fn signing_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_739_923_530)
}

/// The example's server on a free port of 127.0.0.1 (stopped with the
/// test's runtime).
async fn start() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    let verifier = WebhookVerifier::new(Secret::new(SECRET));
    tokio::spawn(async move {
        let _ = receiver::serve(listener, verifier, signing_time).await;
    });
    addr
}

/// One POST with the two Zoom headers; the status and the JSON answer.
async fn post(addr: std::net::SocketAddr, body: &str, signature: &str) -> (u16, serde_json::Value) {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let request = format!(
            "POST /zoom/webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
             x-zm-request-timestamp: {TIMESTAMP}\r\nx-zm-signature: {signature}\r\n\
             content-length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.expect("read");
        String::from_utf8(response).expect("UTF-8 answer")
    };
    let response = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the receiver answers within 10 s");
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, serde_json::from_str(body).expect("a JSON answer"))
}

#[tokio::test]
async fn a_signed_event_is_accepted() {
    let addr = start().await;
    let (status, answer) = post(addr, VANITY_URL_APPROVED, VANITY_URL_APPROVED_SIG).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        serde_json::json!({"decoded": "account.vanity_url_approved"})
    );
}

#[tokio::test]
async fn the_url_validation_challenge_is_answered() {
    let addr = start().await;
    let (status, answer) = post(addr, URL_VALIDATION, URL_VALIDATION_SIG).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        serde_json::json!({"plainToken": "3gnCdcc0QdOSBpnfb2yyJg", "encryptedToken": ENCRYPTED_TOKEN})
    );
}

#[tokio::test]
async fn a_bad_signature_gets_401() {
    let addr = start().await;
    // The right signature over another body (one byte changed).
    let tampered = VANITY_URL_APPROVED.replace("example", "exampl3");
    let (status, answer) = post(addr, &tampered, VANITY_URL_APPROVED_SIG).await;
    assert_eq!(status, 401);
    assert!(answer["error"].is_string());
    let (status, _) = post(addr, VANITY_URL_APPROVED, "v0=00").await;
    assert!(status == 401 || status == 400, "got {status}");
}

#[test]
fn the_handler_decodes_the_signed_event() {
    let verifier = WebhookVerifier::new(Secret::new(SECRET));
    let headers = vec![
        ("x-zm-request-timestamp".to_owned(), TIMESTAMP.to_owned()),
        (
            "x-zm-signature".to_owned(),
            VANITY_URL_APPROVED_SIG.to_owned(),
        ),
    ];
    let answer = receiver::handle(
        &verifier,
        &headers,
        VANITY_URL_APPROVED.as_bytes(),
        signing_time(),
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        serde_json::json!({"decoded": "account.vanity_url_approved"})
    );
}
