//! Verifying the webhook requests Zoom sends (cargo feature `webhooks`).
//!
//! Zoom signs every event notification with the app's *secret token*: it
//! computes HMAC-SHA256 over `v0:{x-zm-request-timestamp}:{raw body}` and
//! sends `x-zm-signature: v0={hex digest}`. [`WebhookVerifier::verify`]
//! checks that over the body bytes exactly as they arrived (a body that was
//! parsed and serialized again has other bytes, and no longer verifies),
//! compares in constant time, refuses a timestamp outside a window (five
//! minutes either way by default), accepts any of several secrets (rotation),
//! and answers Zoom's `endpoint.url_validation` challenge, after checking the
//! challenge request like any other.
//!
//! It works on plain values, not on a web framework's request type: the
//! headers through [`HeaderLookup`] (implemented for [`http::HeaderMap`],
//! and for any closure through [`header_fn`]), the body as `&[u8]`, and the
//! clock as a `now` argument. What it returns, [`Verified`], is either the
//! challenge answer to send back or a [`VerifiedEvent`] whose
//! [`body`](VerifiedEvent::body) is the JSON to parse into a typed event.
//!
//! # The timestamp is in seconds
//!
//! `x-zm-request-timestamp` is whole **seconds** since the Unix epoch, while
//! the body's `event_ts` is in milliseconds. Zoom's "Using webhooks" page
//! (<https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events>)
//! does not name the unit in words, but its examples pin it: request headers
//! with `"x-zm-request-timestamp": "1739923528"` (ten digits), and the signed
//! message `v0:1658940994:{"event":"session.started",…,"event_ts":1658940994914}`,
//! whose header value is the body's millisecond `event_ts` cut to seconds.
//! A millisecond value in the header is read as seconds, lies thousands of
//! years ahead and is refused as [`WebhookError::TimestampInFuture`].
//!
//! # Example
//!
//! ```
//! use std::time::{Duration, SystemTime};
//!
//! use http::{HeaderMap, HeaderValue};
//! use zoom_api_runtime::Secret;
//! use zoom_api_runtime::webhook::{Verified, WebhookVerifier};
//!
//! /// One webhook request in, a status and a body out: `(200, answer)` for
//! /// Zoom's URL validation, `(200, "")` for an event, `(401, "")` otherwise.
//! fn receive(verifier: &WebhookVerifier, headers: &HeaderMap, body: &[u8], now: SystemTime) -> (u16, String) {
//!     match verifier.verify(headers, body, now) {
//!         Ok(Verified::UrlValidation(answer)) => match serde_json::to_string(&answer) {
//!             Ok(json) => (200, json),
//!             Err(_) => (500, String::new()),
//!         },
//!         Ok(Verified::Event(event)) => {
//!             // The generated client parses `event.body()` into its typed
//!             // `Event`; here, only the name Zoom gave it.
//!             println!("{} ({} bytes)", event.name(), event.body().len());
//!             (200, String::new())
//!         }
//!         // Says which check failed; never the secret or the expected signature.
//!         Err(refused) => {
//!             eprintln!("refused a webhook request: {refused}");
//!             (401, String::new())
//!         }
//!     }
//! }
//!
//! // The secret token from the app's page, and during a rotation the one before it.
//! let mut verifier = WebhookVerifier::new(Secret::new("Mq3vK8nR5tW1xZ7aB2cD4e"));
//! verifier.with_secret(Secret::new("Pj6hG9fL0kS3mN8bV5cX1z"));
//!
//! // Zoom's challenge, as it arrives (signed like every request).
//! let body = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1739923528000,"event":"endpoint.url_validation"}"#;
//! let mut headers = HeaderMap::new();
//! headers.insert("x-zm-request-timestamp", HeaderValue::from_static("1739923528"));
//! headers.insert(
//!     "x-zm-signature",
//!     HeaderValue::from_static("v0=1718b7c3149fbd431076721686a4c29e30282f44890010bd6b29e6cba1d82576"),
//! );
//! // A server passes `SystemTime::now()`; the example's clock reads the
//! // request's own second.
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1739923528);
//!
//! let (status, answer) = receive(&verifier, &headers, body, now);
//! assert_eq!(status, 200);
//! assert_eq!(
//!     answer,
//!     r#"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"f495b12033a72d67de503224925a4b6c837775fd8a807f17bdbe12b703fa15f8"}"#
//! );
//!
//! // Ten minutes later the same request is a replay.
//! let (status, _) = receive(&verifier, &headers, body, now + Duration::from_secs(600));
//! assert_eq!(status, 401);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};

use crate::Secret;

/// The header that carries `v0={hex HMAC-SHA256}`.
pub const SIGNATURE_HEADER: &str = "x-zm-signature";

/// The header that carries the request's Unix time in seconds, which is
/// part of the signed message.
pub const TIMESTAMP_HEADER: &str = "x-zm-request-timestamp";

/// How far the request timestamp may be from `now`, in either direction,
/// unless [`WebhookVerifier::with_tolerance`] says otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The `event` of Zoom's challenge-response check.
pub const URL_VALIDATION_EVENT: &str = "endpoint.url_validation";

/// The signature scheme Zoom uses today, the prefix of both the signed
/// message and the header value.
const SCHEME: &str = "v0";

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Why a webhook request was refused. The texts name the check that failed
/// and never show a secret or the signature that was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the request has no `x-zm-signature` header")]
    MissingSignature,
    #[error("the `x-zm-signature` header is malformed: {reason}")]
    MalformedSignature { reason: &'static str },
    #[error("the request has no `x-zm-request-timestamp` header")]
    MissingTimestamp,
    #[error(
        "the `x-zm-request-timestamp` header is malformed: {reason} \
         (expected whole seconds since the Unix epoch)"
    )]
    MalformedTimestamp { reason: &'static str },
    #[error(
        "the request timestamp is {age:?} old, outside the {tolerance:?} window (stale or replayed)"
    )]
    TimestampStale { age: Duration, tolerance: Duration },
    #[error("the request timestamp is {ahead:?} in the future, outside the {tolerance:?} window")]
    TimestampInFuture {
        ahead: Duration,
        tolerance: Duration,
    },
    #[error("the signature does not match: no configured secret token signed this request")]
    SignatureMismatch,
    /// The signature was good but the body is not a Zoom event (a JSON
    /// object with a string `event`), or is the URL-validation challenge
    /// without a string `payload.plainToken`. `reason` is serde_json's
    /// message, which gives a position but quotes nothing from the body.
    #[error("the signed body is not a Zoom webhook event: {reason}")]
    MalformedBody { reason: String },
}

/// Where [`WebhookVerifier::verify`] reads the two headers from.
///
/// Implemented for [`http::HeaderMap`] (axum, hyper, reqwest and the `http`
/// crate's `Request`); for anything else wrap a closure in [`header_fn`].
pub trait HeaderLookup {
    /// The value of the header `name`, which is given in lower case (such as
    /// `x-zm-signature`); HTTP header names are case-insensitive, so match
    /// it that way. The first value when the header is repeated.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl HeaderLookup for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

/// A closure as a [`HeaderLookup`]; made by [`header_fn`].
pub struct HeaderFn<'a, F> {
    lookup: F,
    values: PhantomData<&'a [u8]>,
}

/// Headers from a closure that returns a header's value by its lower-case
/// name, for request types other than [`http::HeaderMap`]:
///
/// ```
/// # use std::collections::HashMap;
/// # use zoom_api_runtime::webhook::{header_fn, HeaderLookup};
/// // e.g. headers an AWS Lambda event hands over, keys already lower case
/// let received: HashMap<String, String> =
///     HashMap::from([("x-zm-request-timestamp".into(), "1739923528".into())]);
/// let headers = header_fn(|name| received.get(name).map(|v| v.as_bytes()));
/// assert_eq!(headers.header("x-zm-request-timestamp"), Some(&b"1739923528"[..]));
/// ```
pub fn header_fn<'a, F>(lookup: F) -> HeaderFn<'a, F>
where
    F: Fn(&str) -> Option<&'a [u8]>,
{
    HeaderFn {
        lookup,
        values: PhantomData,
    }
}

impl<'a, F> HeaderLookup for HeaderFn<'a, F>
where
    F: Fn(&str) -> Option<&'a [u8]>,
{
    fn header(&self, name: &str) -> Option<&[u8]> {
        (self.lookup)(name)
    }
}

impl<F> fmt::Debug for HeaderFn<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HeaderFn(..)")
    }
}

/// Checks Zoom's webhook requests against one or more secret tokens.
///
/// `Debug` shows how many secrets there are, never their values
/// ([`Secret`] prints `Secret(***)`).
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    /// In the order given; the first that verifies a request is the one
    /// [`VerifiedEvent::secret_index`] names.
    secrets: Vec<Secret>,
    tolerance: Duration,
}

impl WebhookVerifier {
    /// A verifier for the app's secret token (Zoom's app page, *Feature* /
    /// *Access*: "Secret Token"), with the default window of
    /// [`DEFAULT_TOLERANCE`]. An empty secret verifies nothing: with the
    /// secret missing from the configuration every request is refused
    /// rather than a forgery accepted.
    pub fn new(secret: Secret) -> Self {
        WebhookVerifier {
            secrets: vec![secret],
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Accepts requests signed with `secret` too. While a secret token is
    /// being rotated, configure the new one and the old one; a request is
    /// accepted when any of them verifies it.
    pub fn with_secret(&mut self, secret: Secret) -> &mut Self {
        self.secrets.push(secret);
        self
    }

    /// How far the request timestamp may be from `now`, into the past
    /// (delay, replay) or the future (clock skew). The edges are accepted.
    pub fn with_tolerance(&mut self, tolerance: Duration) -> &mut Self {
        self.tolerance = tolerance;
        self
    }

    /// The window in force.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks one request: the headers are present and well formed, the
    /// timestamp lies within the window around `now`, and one of the
    /// secrets signed `v0:{timestamp}:{body}`, where `body` is the request
    /// body exactly as received. Then tells Zoom's URL-validation challenge
    /// (answered with the secret that signed it) from an event.
    ///
    /// The checks run in that order and the first that fails is the error;
    /// the body is read as JSON only once its signature is good.
    pub fn verify<'b, H>(
        &self,
        headers: &H,
        body: &'b [u8],
        now: SystemTime,
    ) -> Result<Verified<'b>, WebhookError>
    where
        H: HeaderLookup + ?Sized,
    {
        let signature = headers
            .header(SIGNATURE_HEADER)
            .ok_or(WebhookError::MissingSignature)?;
        let tag = parse_signature(signature)?;
        let raw_timestamp = headers
            .header(TIMESTAMP_HEADER)
            .ok_or(WebhookError::MissingTimestamp)?;
        let timestamp = parse_timestamp(raw_timestamp)?;
        self.check_window(timestamp, now)?;

        let secret_index = self
            .secrets
            .iter()
            .position(|secret| signs(secret, raw_timestamp, body, &tag))
            .ok_or(WebhookError::SignatureMismatch)?;

        let envelope: Envelope<'b> = serde_json::from_slice(body).map_err(malformed_body)?;
        if envelope.event == URL_VALIDATION_EVENT {
            let challenge: UrlValidationRequest =
                serde_json::from_slice(body).map_err(malformed_body)?;
            // Answered with the secret that signed the challenge: during a
            // rotation that is the one Zoom holds.
            let answer = self
                .secrets
                .get(secret_index)
                .and_then(|secret| {
                    UrlValidationResponse::answer(challenge.payload.plain_token, secret)
                })
                .ok_or(WebhookError::SignatureMismatch)?;
            return Ok(Verified::UrlValidation(answer));
        }
        Ok(Verified::Event(VerifiedEvent {
            body,
            name: envelope.event,
            timestamp,
            secret_index,
        }))
    }

    fn check_window(&self, timestamp: SystemTime, now: SystemTime) -> Result<(), WebhookError> {
        let tolerance = self.tolerance;
        match now.duration_since(timestamp) {
            Ok(age) if age > tolerance => Err(WebhookError::TimestampStale { age, tolerance }),
            Ok(_) => Ok(()),
            Err(ahead) => {
                let ahead = ahead.duration();
                if ahead > tolerance {
                    Err(WebhookError::TimestampInFuture { ahead, tolerance })
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// A request that passed [`WebhookVerifier::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a URL-validation challenge must be answered with its response"]
pub enum Verified<'b> {
    /// Zoom's `endpoint.url_validation` challenge-response check (sent when
    /// the endpoint is configured, then every 72 hours): respond `200` with
    /// this value as the JSON body, within 3 seconds. There is no event to
    /// handle.
    UrlValidation(UrlValidationResponse),
    /// Any other event: parse [`VerifiedEvent::body`].
    Event(VerifiedEvent<'b>),
}

/// A verified event notification: its body as received, to parse into a
/// typed event, and what the verification learned on the way.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedEvent<'b> {
    body: &'b [u8],
    name: Cow<'b, str>,
    timestamp: SystemTime,
    secret_index: usize,
}

impl<'b> VerifiedEvent<'b> {
    /// The request body, byte for byte as verified: the JSON to parse.
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// The body's `event`, such as `account.updated`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// When Zoom signed the request (`x-zm-request-timestamp`).
    pub fn timestamp(&self) -> SystemTime {
        self.timestamp
    }

    /// Which secret verified the request: 0 for the one given to
    /// [`WebhookVerifier::new`], then the ones added by
    /// [`WebhookVerifier::with_secret`] in order. During a rotation, the
    /// old secret can go once no request needs it any more.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }
}

impl fmt::Debug for VerifiedEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedEvent")
            .field("name", &self.name)
            .field("body_len", &self.body.len())
            .field("timestamp", &self.timestamp)
            .field("secret_index", &self.secret_index)
            .finish()
    }
}

/// The answer to Zoom's `endpoint.url_validation` challenge; serializes to
/// `{"plainToken": "…", "encryptedToken": "…"}`, where `encryptedToken` is
/// the hex HMAC-SHA256 of `plainToken` under the secret token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlValidationResponse {
    pub plain_token: String,
    pub encrypted_token: String,
}

impl UrlValidationResponse {
    /// `None` only where [`keyed`] is, for a secret that could not have
    /// verified the challenge in the first place.
    fn answer(plain_token: String, secret: &Secret) -> Option<Self> {
        let mac = keyed(secret)?.chain_update(plain_token.as_bytes());
        let encrypted_token = hex::encode(mac.finalize().into_bytes());
        Some(UrlValidationResponse {
            plain_token,
            encrypted_token,
        })
    }
}

/// All [`WebhookVerifier::verify`] reads of a body to tell the challenge
/// from an event: serde skips the rest without building it, and `event`
/// borrows from the body unless it holds escapes.
#[derive(Deserialize)]
struct Envelope<'b> {
    #[serde(borrow)]
    event: Cow<'b, str>,
}

/// The part of the challenge body the answer needs.
#[derive(Deserialize)]
struct UrlValidationRequest {
    payload: UrlValidationPayload,
}

#[derive(Deserialize)]
struct UrlValidationPayload {
    #[serde(rename = "plainToken")]
    plain_token: String,
}

fn malformed_body(error: serde_json::Error) -> WebhookError {
    WebhookError::MalformedBody {
        reason: error.to_string(),
    }
}

/// `v0=` and 64 hex digits, as the 32 bytes of the digest.
fn parse_signature(value: &[u8]) -> Result<[u8; 32], WebhookError> {
    let malformed = |reason| WebhookError::MalformedSignature { reason };
    let Some(hex_digest) = value
        .strip_prefix(SCHEME.as_bytes())
        .and_then(|rest| rest.strip_prefix(b"="))
    else {
        return Err(malformed("expected `v0=` followed by the hex digest"));
    };
    let mut tag = [0u8; 32];
    if hex_digest.len() != 2 * tag.len() {
        return Err(malformed("expected 64 hex digits after `v0=`"));
    }
    hex::decode_to_slice(hex_digest, &mut tag).map_err(|_| malformed("the digest is not hex"))?;
    Ok(tag)
}

/// Whole seconds since the Unix epoch: ASCII digits only, no sign, no
/// spaces (the value is signed as sent, so it is not trimmed either).
fn parse_timestamp(value: &[u8]) -> Result<SystemTime, WebhookError> {
    let malformed = |reason| WebhookError::MalformedTimestamp { reason };
    if value.is_empty() {
        return Err(malformed("it is empty"));
    }
    if !value.iter().all(u8::is_ascii_digit) {
        return Err(malformed("it holds something other than digits"));
    }
    let seconds = std::str::from_utf8(value)
        .ok()
        .and_then(|digits| digits.parse::<u64>().ok())
        .ok_or(malformed("it is too large"))?;
    SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .ok_or(malformed("it is too large"))
}

/// The HMAC-SHA256 state keyed with `secret`. HMAC takes keys of every
/// length, so this is never `None` in practice; the callers treat `None` as
/// a secret that signs nothing.
fn keyed(secret: &Secret) -> Option<HmacSha256> {
    <HmacSha256 as KeyInit>::new_from_slice(secret.expose_secret().as_bytes()).ok()
}

/// Whether `secret` signed `v0:{timestamp}:{body}` as `tag`, compared in
/// constant time (`verify_slice`). An empty secret signs nothing.
fn signs(secret: &Secret, timestamp: &[u8], body: &[u8], tag: &[u8; 32]) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Some(mut mac) = keyed(secret) else {
        return false;
    };
    mac.update(SCHEME.as_bytes());
    mac.update(b":");
    mac.update(timestamp);
    mac.update(b":");
    mac.update(body);
    mac.verify_slice(tag).is_ok()
}
