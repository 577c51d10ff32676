//! What a successful answer tells beyond its value. Generated methods
//! return progenitor's `ResponseValue<T>`, which keeps the status and the
//! headers; [`ResponseExt`] reads Zoom's headers out of them, typed.

use reqwest::header::HeaderMap;

use crate::error::{RateLimitHeaders, TRACKING_ID_HEADER};

/// Zoom's headers of a successful answer.
///
/// ```
/// use zoom_api_runtime::{ResponseExt, reqwest};
/// # let mut headers = reqwest::header::HeaderMap::new();
/// # headers.insert("x-ratelimit-remaining", "29".parse().unwrap());
/// # let value = progenitor_client::ResponseValue::new((), reqwest::StatusCode::OK, headers);
/// // let value = client.roles().send().await?;
/// let rate_limit = value.rate_limit();
/// assert_eq!(rate_limit.remaining, Some(29));
/// ```
pub trait ResponseExt {
    /// The answer's headers.
    fn response_headers(&self) -> &HeaderMap;

    /// `X-RateLimit-Type`, `-Category`, `-Limit`, `-Remaining` and
    /// `Retry-After`, typed.
    fn rate_limit(&self) -> RateLimitHeaders {
        RateLimitHeaders::from_headers(self.response_headers())
    }

    /// Zoom's `x-zm-trackingid`, for Zoom support.
    fn tracking_id(&self) -> Option<&str> {
        self.response_headers()
            .get(TRACKING_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    }
}

impl<T> ResponseExt for progenitor_client::ResponseValue<T> {
    fn response_headers(&self) -> &HeaderMap {
        self.headers()
    }
}

impl ResponseExt for reqwest::Response {
    fn response_headers(&self) -> &HeaderMap {
        self.headers()
    }
}
