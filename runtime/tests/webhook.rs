//! `WebhookVerifier` against signatures computed outside this code.
//!
//! Every digest below was made once, when the test was written, with
//! OpenSSL 3.0 (`openssl dgst -sha256 -hmac <secret>`, its HMAC-SHA256 of
//! standard input) in bash, and is hard-coded: the command line that made
//! it stands next to it. `printf '%s' '...'` prints its argument byte for
//! byte; the non-ASCII body is written with `printf '...'` escapes (`\xc3\xbc`,
//! `\n`), the same escapes its Rust byte string uses. That body's digest was
//! also checked with Python's `hmac.new(secret, message, hashlib.sha256)`.
//!
//! The clock is a parameter, so every test sets `now` to the second it needs.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderValue};
use zoom_api_runtime::Secret;
use zoom_api_runtime::webhook::{
    DEFAULT_TOLERANCE, UrlValidationResponse, Verified, VerifiedEvent, WebhookError,
    WebhookVerifier, header_fn,
};

/// The secret token the app is configured with.
const SECRET: &str = "Mq3vK8nR5tW1xZ7aB2cD4e";
/// The secret token before the last rotation.
const PREVIOUS_SECRET: &str = "Pj6hG9fL0kS3mN8bV5cX1z";

/// The `x-zm-request-timestamp` of the vectors (the one in the request
/// headers of Zoom's "Using webhooks" page): 2025-02-19T00:05:28Z.
const TIMESTAMP: &str = "1739923528";
const TIMESTAMP_SECS: u64 = 1739923528;

/// A compact `account.created` notification.
const ACCOUNT_CREATED: &[u8] = br#"{"event":"account.created","payload":{"account_id":"lq2SDL3bTYiGCCoFjfQmEw","operator":"admin@example.com","operator_id":"z8yCxTTTTbH1vqd3aBcdEf","object":{"id":"Kx2qAbCdEfGhIjKlMnOpQr","account_name":"Example Sub Account","owner_email":"owner@example.com"}},"event_ts":1739923528123}"#;

/// printf '%s' 'v0:1739923528:{"event":"account.created",...,"event_ts":1739923528123}' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
/// (the body between the second `:` and the closing `'` is `ACCOUNT_CREATED`)
const ACCOUNT_CREATED_SIG: &str =
    "v0=9a8efacb2394c94fb45b01f2f8c6c85830b24dc3313158127d082425dca3f190";

/// The same message under the previous secret:
/// printf '%s' 'v0:1739923528:{"event":"account.created",...}' \
///   | openssl dgst -sha256 -hmac 'Pj6hG9fL0kS3mN8bV5cX1z'
const ACCOUNT_CREATED_SIG_PREVIOUS: &str =
    "v0=0738d9ed987cf59de13292d3fe3eb527e5f5dcc1dd58f72ae24fc038a27594c6";

/// `ACCOUNT_CREATED` signed with the timestamp in milliseconds,
/// 1739923528123 (what a sender mixing up the units would send):
/// printf '%s' 'v0:1739923528123:{"event":"account.created",...}' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const ACCOUNT_CREATED_SIG_MILLIS: &str =
    "v0=da191f59101b76f55ae22837774e657b941c78d9bf6a49b5f54a8e9d38fe1e74";

/// Pretty-printed, with a trailing newline, and with UTF-8 beyond ASCII
/// (`Zürich 東京 🎥`) written as is rather than as `\u` escapes.
const ACCOUNT_UPDATED_SPACED: &[u8] = b"{ \"event\": \"account.updated\",\n  \"payload\": { \"account_id\": \"lq2SDL3bTYiGCCoFjfQmEw\", \"object\": { \"account_name\": \"Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x8e\xa5\" } },\n  \"event_ts\": 1739923528456 }\n";

/// printf 'v0:1739923528:{ "event": "account.updated",\n  "payload": { "account_id": "lq2SDL3bTYiGCCoFjfQmEw", "object": { "account_name": "Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x8e\xa5" } },\n  "event_ts": 1739923528456 }\n' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const ACCOUNT_UPDATED_SPACED_SIG: &str =
    "v0=74d4b39df3ed0a1c7fd9be5e12b2bbb52a5d3e3a40d68ae92d2de46408ccb2cf";

/// Zoom's challenge, with the `plainToken` of Zoom's own example.
const URL_VALIDATION: &[u8] = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1739923528000,"event":"endpoint.url_validation"}"#;

/// printf '%s' 'v0:1739923528:{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1739923528000,"event":"endpoint.url_validation"}' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const URL_VALIDATION_SIG: &str =
    "v0=1718b7c3149fbd431076721686a4c29e30282f44890010bd6b29e6cba1d82576";

/// The same challenge under the previous secret:
/// printf '%s' 'v0:1739923528:{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},...}' \
///   | openssl dgst -sha256 -hmac 'Pj6hG9fL0kS3mN8bV5cX1z'
const URL_VALIDATION_SIG_PREVIOUS: &str =
    "v0=861e759e8c5855579a3d383f4face80c2c4fe95f32638cf5da88a1a29fb33f4d";

/// printf '%s' 'qgg8vlvZRS6UYooatFL8Aw' | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const ENCRYPTED_TOKEN: &str = "f495b12033a72d67de503224925a4b6c837775fd8a807f17bdbe12b703fa15f8";

/// printf '%s' 'qgg8vlvZRS6UYooatFL8Aw' | openssl dgst -sha256 -hmac 'Pj6hG9fL0kS3mN8bV5cX1z'
const ENCRYPTED_TOKEN_PREVIOUS: &str =
    "4f253eca1bacfc005cc85fecc951c0680c05c27334cb7b3ab9106f0008dd36bd";

/// A challenge without its `plainToken`.
const URL_VALIDATION_NO_TOKEN: &[u8] =
    br#"{"payload":{},"event_ts":1739923528000,"event":"endpoint.url_validation"}"#;

/// printf '%s' 'v0:1739923528:{"payload":{},"event_ts":1739923528000,"event":"endpoint.url_validation"}' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const URL_VALIDATION_NO_TOKEN_SIG: &str =
    "v0=4e01d434ad72c00332ee5dd3edcb924273df3056526b32d77a9783646d0dc3b3";

/// A signed body that is not JSON.
const NOT_JSON: &[u8] = b"plainToken=qgg8vlvZRS6UYooatFL8Aw";

/// printf '%s' 'v0:1739923528:plainToken=qgg8vlvZRS6UYooatFL8Aw' \
///   | openssl dgst -sha256 -hmac 'Mq3vK8nR5tW1xZ7aB2cD4e'
const NOT_JSON_SIG: &str = "v0=05f4c2b657fd8c67bd1b2bc1cfe2c5649591a062482fdc2ce8d8bffad05ff2e7";

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(Secret::new(SECRET))
}

/// Mid-rotation: the current secret first, the previous one second.
fn rotating_verifier() -> WebhookVerifier {
    let mut verifier = verifier();
    verifier.with_secret(Secret::new(PREVIOUS_SECRET));
    verifier
}

/// The request's own second, the centre of the window.
fn at_timestamp() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(TIMESTAMP_SECS)
}

fn headers(signature: Option<&str>, timestamp: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Some(signature) = signature {
        headers.insert("x-zm-signature", HeaderValue::from_str(signature).unwrap());
    }
    if let Some(timestamp) = timestamp {
        headers.insert(
            "x-zm-request-timestamp",
            HeaderValue::from_str(timestamp).unwrap(),
        );
    }
    headers
}

fn signed(signature: &str) -> HeaderMap {
    headers(Some(signature), Some(TIMESTAMP))
}

#[track_caller]
fn expect_event<'b>(verified: Result<Verified<'b>, WebhookError>) -> VerifiedEvent<'b> {
    match verified {
        Ok(Verified::Event(event)) => event,
        other => panic!("expected a verified event, got {other:?}"),
    }
}

#[test]
fn a_valid_signature_is_accepted_and_the_body_handed_back_untouched() {
    let event = expect_event(verifier().verify(
        &signed(ACCOUNT_CREATED_SIG),
        ACCOUNT_CREATED,
        at_timestamp(),
    ));
    assert_eq!(event.body(), ACCOUNT_CREATED);
    assert_eq!(event.name(), "account.created");
    assert_eq!(event.timestamp(), at_timestamp());
    assert_eq!(event.secret_index(), 0);
    // What the typed parse will do with it.
    let parsed: serde_json::Value = serde_json::from_slice(event.body()).unwrap();
    assert_eq!(
        parsed["payload"]["object"]["account_name"],
        "Example Sub Account"
    );
}

#[test]
fn header_names_are_matched_case_insensitively() {
    // `HeaderMap` keeps names in lower case however they arrived.
    let mut headers = HeaderMap::new();
    headers.insert(
        "X-Zm-Signature",
        HeaderValue::from_static(ACCOUNT_CREATED_SIG),
    );
    headers.insert(
        "X-ZM-Request-Timestamp",
        HeaderValue::from_static(TIMESTAMP),
    );
    expect_event(verifier().verify(&headers, ACCOUNT_CREATED, at_timestamp()));
}

#[test]
fn headers_can_come_from_a_closure() {
    let received = [
        ("x-zm-signature", ACCOUNT_CREATED_SIG),
        ("x-zm-request-timestamp", TIMESTAMP),
    ];
    let headers = header_fn(|name| {
        received
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_bytes())
    });
    expect_event(verifier().verify(&headers, ACCOUNT_CREATED, at_timestamp()));
}

#[test]
fn a_tampered_body_is_refused() {
    let tampered = String::from_utf8(ACCOUNT_CREATED.to_vec())
        .unwrap()
        .replace("Example Sub Account", "Example Sub Accounts");
    assert_eq!(
        verifier().verify(
            &signed(ACCOUNT_CREATED_SIG),
            tampered.as_bytes(),
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
    // One byte more at the end is a different message too.
    let mut longer = ACCOUNT_CREATED.to_vec();
    longer.push(b'\n');
    assert_eq!(
        verifier().verify(&signed(ACCOUNT_CREATED_SIG), &longer, at_timestamp()),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_tampered_timestamp_is_refused_because_it_is_signed() {
    // One second later is well inside the window, but not what Zoom signed.
    assert_eq!(
        verifier().verify(
            &headers(Some(ACCOUNT_CREATED_SIG), Some("1739923529")),
            ACCOUNT_CREATED,
            at_timestamp(),
        ),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_signature_under_another_secret_is_refused() {
    assert_eq!(
        verifier().verify(
            &signed(ACCOUNT_CREATED_SIG_PREVIOUS),
            ACCOUNT_CREATED,
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
    let wrong = WebhookVerifier::new(Secret::new("not-the-secret-token"));
    assert_eq!(
        wrong.verify(
            &signed(ACCOUNT_CREATED_SIG),
            ACCOUNT_CREATED,
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn during_a_rotation_either_secret_verifies_and_the_match_is_named() {
    let rotating = rotating_verifier();

    let old = expect_event(rotating.verify(
        &signed(ACCOUNT_CREATED_SIG_PREVIOUS),
        ACCOUNT_CREATED,
        at_timestamp(),
    ));
    assert_eq!(old.secret_index(), 1);

    let new = expect_event(rotating.verify(
        &signed(ACCOUNT_CREATED_SIG),
        ACCOUNT_CREATED,
        at_timestamp(),
    ));
    assert_eq!(new.secret_index(), 0);
}

#[test]
fn an_empty_secret_verifies_nothing() {
    // HMAC under an empty key is a valid signature anyone can make; a
    // verifier whose secret is missing from the configuration must not
    // accept it. printf '%s' 'v0:1739923528:{"event":"account.created",...}' \
    //   | openssl dgst -sha256 -hmac ''   (a key of zero bytes; Python's
    //   hmac.new(b"", message, hashlib.sha256) agrees)
    let empty_key_sig = "v0=783750070d72d47c40b0b1d041260c3501c3e7004ca0279ddacf648701b6853f";
    let empty = WebhookVerifier::new(Secret::new(""));
    assert_eq!(
        empty.verify(&signed(empty_key_sig), ACCOUNT_CREATED, at_timestamp()),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn the_default_window_is_five_minutes_each_way_edges_included() {
    let verifier = verifier();
    assert_eq!(verifier.tolerance(), Duration::from_secs(300));
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    let verify = |now| verifier.verify(&signed(ACCOUNT_CREATED_SIG), ACCOUNT_CREATED, now);
    let five_minutes = Duration::from_secs(300);
    let just = Duration::from_millis(1);

    // Received five minutes after it was signed: the edge, accepted.
    expect_event(verify(at_timestamp() + five_minutes));
    // A millisecond more: stale, with the age.
    assert_eq!(
        verify(at_timestamp() + five_minutes + just),
        Err(WebhookError::TimestampStale {
            age: five_minutes + just,
            tolerance: five_minutes
        })
    );
    // A replay an hour later.
    assert_eq!(
        verify(at_timestamp() + Duration::from_secs(3600)),
        Err(WebhookError::TimestampStale {
            age: Duration::from_secs(3600),
            tolerance: five_minutes
        })
    );

    // Signed five minutes "after" the receiver's clock: the edge, accepted.
    expect_event(verify(at_timestamp() - five_minutes));
    // A millisecond beyond: from the future, with how far.
    assert_eq!(
        verify(at_timestamp() - five_minutes - just),
        Err(WebhookError::TimestampInFuture {
            ahead: five_minutes + just,
            tolerance: five_minutes
        })
    );
}

#[test]
fn the_window_is_configurable() {
    let mut strict = verifier();
    strict.with_tolerance(Duration::from_secs(10));
    let verify = |now| strict.verify(&signed(ACCOUNT_CREATED_SIG), ACCOUNT_CREATED, now);
    let ten = Duration::from_secs(10);
    let eleven = Duration::from_secs(11);

    expect_event(verify(at_timestamp() + ten));
    expect_event(verify(at_timestamp() - ten));
    assert_eq!(
        verify(at_timestamp() + eleven),
        Err(WebhookError::TimestampStale {
            age: eleven,
            tolerance: ten
        })
    );
    assert_eq!(
        verify(at_timestamp() - eleven),
        Err(WebhookError::TimestampInFuture {
            ahead: eleven,
            tolerance: ten
        })
    );
}

#[test]
fn the_timestamp_is_read_as_seconds_not_milliseconds() {
    // Seconds: the vectors above, accepted at their own second.
    expect_event(verifier().verify(
        &signed(ACCOUNT_CREATED_SIG),
        ACCOUNT_CREATED,
        at_timestamp(),
    ));

    // The same instant in milliseconds, correctly signed as sent, at the
    // very millisecond it names: read as seconds it is some 55,000 years
    // ahead, and refused as from the future.
    let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1739923528123);
    let millis = headers(Some(ACCOUNT_CREATED_SIG_MILLIS), Some("1739923528123"));
    match verifier().verify(&millis, ACCOUNT_CREATED, now) {
        Err(WebhookError::TimestampInFuture { ahead, tolerance }) => {
            assert_eq!(tolerance, DEFAULT_TOLERANCE);
            assert!(
                ahead > Duration::from_secs(1_000 * 365 * 24 * 3600),
                "{ahead:?}"
            );
        }
        other => panic!("expected TimestampInFuture, got {other:?}"),
    }
    // Checked against a window wide enough for it, the signature itself is
    // good: the refusal is about the unit, nothing else.
    let mut unbounded = verifier();
    unbounded.with_tolerance(Duration::from_secs(u64::MAX / 2));
    expect_event(unbounded.verify(&millis, ACCOUNT_CREATED, now));
}

#[test]
fn the_raw_bytes_are_verified_not_a_re_serialization() {
    // Spacing, a trailing newline and non-ASCII UTF-8 as sent: accepted.
    let event = expect_event(verifier().verify(
        &signed(ACCOUNT_UPDATED_SPACED_SIG),
        ACCOUNT_UPDATED_SPACED,
        at_timestamp(),
    ));
    assert_eq!(event.name(), "account.updated");
    let parsed: serde_json::Value = serde_json::from_slice(event.body()).unwrap();
    assert_eq!(
        parsed["payload"]["object"]["account_name"],
        "Zürich 東京 🎥"
    );

    // The same JSON value serialized again (what a verifier over parsed
    // JSON would hash) has other bytes and does not verify.
    let compact = serde_json::to_vec(&parsed).unwrap();
    assert_ne!(compact, ACCOUNT_UPDATED_SPACED);
    assert_eq!(
        verifier().verify(
            &signed(ACCOUNT_UPDATED_SPACED_SIG),
            &compact,
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
    // Nor does the same text with the non-ASCII letters as `\u` escapes.
    let escaped = String::from_utf8(ACCOUNT_UPDATED_SPACED.to_vec())
        .unwrap()
        .replace('ü', "\\u00fc");
    assert_eq!(
        verifier().verify(
            &signed(ACCOUNT_UPDATED_SPACED_SIG),
            escaped.as_bytes(),
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn missing_headers_are_each_refused_with_their_own_error() {
    let verify = |headers: HeaderMap| verifier().verify(&headers, ACCOUNT_CREATED, at_timestamp());
    assert_eq!(
        verify(headers(None, Some(TIMESTAMP))),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        verify(headers(Some(ACCOUNT_CREATED_SIG), None)),
        Err(WebhookError::MissingTimestamp)
    );
    // Both missing: the signature is checked first.
    assert_eq!(
        verify(headers(None, None)),
        Err(WebhookError::MissingSignature)
    );
}

#[test]
fn malformed_signature_headers_are_refused_as_malformed() {
    let digest = &ACCOUNT_CREATED_SIG[3..];
    let cases = [
        ("no scheme", digest.to_owned()),
        ("another scheme", format!("v1={digest}")),
        ("another separator", format!("v0:{digest}")),
        ("sha256 label", format!("sha256={digest}")),
        ("empty digest", "v0=".to_owned()),
        (
            "short digest",
            ACCOUNT_CREATED_SIG[..ACCOUNT_CREATED_SIG.len() - 1].to_owned(),
        ),
        ("long digest", format!("{ACCOUNT_CREATED_SIG}0")),
        ("not hex", format!("v0={}", "zz".repeat(32))),
        ("space inside", format!("v0= {}", &digest[1..])),
        ("empty", String::new()),
    ];
    for (case, value) in cases {
        match verifier().verify(&signed(&value), ACCOUNT_CREATED, at_timestamp()) {
            Err(WebhookError::MalformedSignature { .. }) => {}
            other => panic!("{case} ({value:?}): expected MalformedSignature, got {other:?}"),
        }
    }
    // Hex digits in upper case are the same digest.
    let upper = format!("v0={}", digest.to_ascii_uppercase());
    expect_event(verifier().verify(&signed(&upper), ACCOUNT_CREATED, at_timestamp()));
}

#[test]
fn malformed_timestamp_headers_are_refused_as_malformed() {
    let cases = [
        "",
        "abc",
        "-1739923528",
        "+1739923528",
        "1739923528.5",
        " 1739923528",
        "1739923528 ",
        "1.7e9",
        "99999999999999999999999",
    ];
    for value in cases {
        let headers = headers(Some(ACCOUNT_CREATED_SIG), Some(value));
        match verifier().verify(&headers, ACCOUNT_CREATED, at_timestamp()) {
            Err(WebhookError::MalformedTimestamp { .. }) => {}
            other => panic!("{value:?}: expected MalformedTimestamp, got {other:?}"),
        }
    }
    // Digits that fit in a u64 but not in the system clock's range.
    let headers = headers(Some(ACCOUNT_CREATED_SIG), Some(&u64::MAX.to_string()));
    assert_eq!(
        verifier().verify(&headers, ACCOUNT_CREATED, at_timestamp()),
        Err(WebhookError::MalformedTimestamp {
            reason: "it is too large"
        })
    );
}

#[test]
fn the_url_validation_challenge_is_answered_after_it_verifies() {
    let answer =
        match verifier().verify(&signed(URL_VALIDATION_SIG), URL_VALIDATION, at_timestamp()) {
            Ok(Verified::UrlValidation(answer)) => answer,
            other => panic!("expected the challenge, got {other:?}"),
        };
    assert_eq!(
        answer,
        UrlValidationResponse {
            plain_token: "qgg8vlvZRS6UYooatFL8Aw".into(),
            encrypted_token: ENCRYPTED_TOKEN.into(),
        }
    );
    // The JSON Zoom expects, key names and all.
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        serde_json::json!({"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": ENCRYPTED_TOKEN})
    );
}

#[test]
fn the_challenge_is_verified_like_any_request() {
    // Forged (signed under another secret), stale, or unsigned: no answer.
    assert_eq!(
        verifier().verify(
            &signed(URL_VALIDATION_SIG_PREVIOUS),
            URL_VALIDATION,
            at_timestamp()
        ),
        Err(WebhookError::SignatureMismatch)
    );
    assert!(matches!(
        verifier().verify(
            &signed(URL_VALIDATION_SIG),
            URL_VALIDATION,
            at_timestamp() + Duration::from_secs(301)
        ),
        Err(WebhookError::TimestampStale { .. })
    ));
    assert_eq!(
        verifier().verify(
            &headers(None, Some(TIMESTAMP)),
            URL_VALIDATION,
            at_timestamp()
        ),
        Err(WebhookError::MissingSignature)
    );
}

#[test]
fn the_challenge_is_answered_with_the_secret_that_signed_it() {
    let rotating = rotating_verifier();
    match rotating.verify(
        &signed(URL_VALIDATION_SIG_PREVIOUS),
        URL_VALIDATION,
        at_timestamp(),
    ) {
        Ok(Verified::UrlValidation(answer)) => {
            assert_eq!(answer.encrypted_token, ENCRYPTED_TOKEN_PREVIOUS);
        }
        other => panic!("expected the challenge, got {other:?}"),
    }
}

#[test]
fn a_signed_body_that_is_not_an_event_is_refused_after_the_signature() {
    for (body, signature) in [
        (URL_VALIDATION_NO_TOKEN, URL_VALIDATION_NO_TOKEN_SIG),
        (NOT_JSON, NOT_JSON_SIG),
    ] {
        match verifier().verify(&signed(signature), body, at_timestamp()) {
            Err(WebhookError::MalformedBody { reason }) => {
                // serde's position, nothing quoted from the body.
                assert!(!reason.contains("qgg8vlvZRS6UYooatFL8Aw"), "{reason}");
            }
            other => panic!("expected MalformedBody, got {other:?}"),
        }
    }
    // Unsigned, the same bodies never get that far.
    assert_eq!(
        verifier().verify(&signed(ACCOUNT_CREATED_SIG), NOT_JSON, at_timestamp()),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn nothing_shows_a_secret_or_the_expected_signature() {
    let rotating = rotating_verifier();
    for shown in [format!("{rotating:?}"), format!("{rotating:#?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains(PREVIOUS_SECRET), "{shown}");
        assert!(shown.contains("Secret(***)"), "{shown}");
    }

    // A mismatch says so and no more: not the digest that would have matched.
    let error = rotating
        .verify(
            &signed(&format!("v0={}", "0".repeat(64))),
            ACCOUNT_CREATED,
            at_timestamp(),
        )
        .unwrap_err();
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(&ACCOUNT_CREATED_SIG[3..]), "{shown}");
        assert!(
            !shown.contains(&ACCOUNT_CREATED_SIG_PREVIOUS[3..]),
            "{shown}"
        );
        assert!(
            !shown.contains(SECRET) && !shown.contains(PREVIOUS_SECRET),
            "{shown}"
        );
    }
    assert_eq!(
        error.to_string(),
        "the signature does not match: no configured secret token signed this request"
    );

    let event = expect_event(rotating.verify(
        &signed(ACCOUNT_CREATED_SIG),
        ACCOUNT_CREATED,
        at_timestamp(),
    ));
    let shown = format!("{event:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains(PREVIOUS_SECRET),
        "{shown}"
    );
}

#[test]
fn errors_name_the_check_that_failed() {
    let five_minutes = Duration::from_secs(300);
    let cases = [
        (
            WebhookError::MissingSignature,
            "the request has no `x-zm-signature` header",
        ),
        (
            WebhookError::MissingTimestamp,
            "the request has no `x-zm-request-timestamp` header",
        ),
        (
            WebhookError::TimestampStale {
                age: Duration::from_secs(301),
                tolerance: five_minutes,
            },
            "the request timestamp is 301s old, outside the 300s window (stale or replayed)",
        ),
        (
            WebhookError::TimestampInFuture {
                ahead: Duration::from_secs(301),
                tolerance: five_minutes,
            },
            "the request timestamp is 301s in the future, outside the 300s window",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(error.to_string(), text);
    }
    let malformed = verifier()
        .verify(&signed("v1=00"), ACCOUNT_CREATED, at_timestamp())
        .unwrap_err();
    assert_eq!(
        malformed.to_string(),
        "the `x-zm-signature` header is malformed: expected `v0=` followed by the hex digest"
    );
    let malformed = verifier()
        .verify(
            &headers(Some(ACCOUNT_CREATED_SIG), Some("soon")),
            ACCOUNT_CREATED,
            at_timestamp(),
        )
        .unwrap_err();
    assert_eq!(
        malformed.to_string(),
        "the `x-zm-request-timestamp` header is malformed: it holds something other than digits \
         (expected whole seconds since the Unix epoch)"
    );
}
