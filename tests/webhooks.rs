//! Receiving webhooks as a user of the client crate does: through
//! `zoom_accounts::webhooks` (feature `webhooks`), headers in the
//! `http::HeaderMap` the web frameworks hand over. The verifier's own
//! checks are tested in `runtime/tests/webhook.rs`; this proves the
//! re-export and how a handler composes with it.
//!
//! The digests were computed with OpenSSL 3.0 in bash when this test was
//! written; each command line stands next to its value.

use std::time::{Duration, SystemTime};

use zoom_accounts::Secret;
use zoom_accounts::runtime::reqwest::header::{HeaderMap, HeaderValue};
use zoom_accounts::webhooks::{Verified, WebhookError, WebhookVerifier};

const SECRET: &str = "tE5tsCr4teS3cretT0ken";
const TIMESTAMP: &str = "1739923530";

const VANITY_URL_APPROVED: &[u8] = br#"{"event":"account.vanity_url_approved","payload":{"account_id":"lq2SDL3bTYiGCCoFjfQmEw","object":{"id":"lq2SDL3bTYiGCCoFjfQmEw","vanity_url":"example"}},"event_ts":1739923530000}"#;

/// printf '%s' 'v0:1739923530:{"event":"account.vanity_url_approved","payload":{"account_id":"lq2SDL3bTYiGCCoFjfQmEw","object":{"id":"lq2SDL3bTYiGCCoFjfQmEw","vanity_url":"example"}},"event_ts":1739923530000}' \
///   | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'
const VANITY_URL_APPROVED_SIG: &str =
    "v0=56c97f6c0f4e76045b045badeb2f9e2d910290260ec4fe078915555365902615";

const URL_VALIDATION: &[u8] = br#"{"event":"endpoint.url_validation","payload":{"plainToken":"3gnCdcc0QdOSBpnfb2yyJg"},"event_ts":1739923530000}"#;

/// printf '%s' 'v0:1739923530:{"event":"endpoint.url_validation","payload":{"plainToken":"3gnCdcc0QdOSBpnfb2yyJg"},"event_ts":1739923530000}' \
///   | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'
const URL_VALIDATION_SIG: &str =
    "v0=48dbd837da74ace9319c613a75e374295739cb733820aefda9b5bb5ab11acefd";

/// printf '%s' '3gnCdcc0QdOSBpnfb2yyJg' | openssl dgst -sha256 -hmac 'tE5tsCr4teS3cretT0ken'
const ENCRYPTED_TOKEN: &str = "2f4779bb892d36440ad4a7f73dfbcc40dec4f8db1402fd4fb1fb63c5c1987bba";

/// A handler's whole job: a status and the JSON to answer with, or the
/// event's JSON to act on.
fn receive(headers: &HeaderMap, body: &[u8], now: SystemTime) -> (u16, serde_json::Value) {
    let verifier = WebhookVerifier::new(Secret::new(SECRET));
    match verifier.verify(headers, body, now) {
        Ok(Verified::UrlValidation(answer)) => (200, serde_json::to_value(answer).unwrap()),
        Ok(Verified::Event(event)) => (200, serde_json::from_slice(event.body()).unwrap()),
        Err(WebhookError::SignatureMismatch) => (401, serde_json::Value::Null),
        Err(_) => (400, serde_json::Value::Null),
    }
}

fn signed(signature: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-zm-signature", HeaderValue::from_static(signature));
    headers.insert(
        "x-zm-request-timestamp",
        HeaderValue::from_static(TIMESTAMP),
    );
    headers
}

fn now() -> SystemTime {
    // Two seconds after Zoom signed, as a real delivery would arrive.
    SystemTime::UNIX_EPOCH + Duration::from_secs(1739923532)
}

#[test]
fn an_event_is_verified_and_its_body_parsed() {
    let (status, event) = receive(&signed(VANITY_URL_APPROVED_SIG), VANITY_URL_APPROVED, now());
    assert_eq!(status, 200);
    assert_eq!(event["event"], "account.vanity_url_approved");
    assert_eq!(event["payload"]["object"]["vanity_url"], "example");
}

#[test]
fn the_url_validation_challenge_gets_its_answer() {
    let (status, answer) = receive(&signed(URL_VALIDATION_SIG), URL_VALIDATION, now());
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        serde_json::json!({"plainToken": "3gnCdcc0QdOSBpnfb2yyJg", "encryptedToken": ENCRYPTED_TOKEN})
    );
}

#[test]
fn a_forged_request_is_refused() {
    // The challenge's signature on the event's body.
    let (status, _) = receive(&signed(URL_VALIDATION_SIG), VANITY_URL_APPROVED, now());
    assert_eq!(status, 401);
}
