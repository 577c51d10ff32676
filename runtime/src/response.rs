//! What a successful answer tells beyond its value. Generated methods
//! return progenitor's `ResponseValue<T>`, which keeps the status and the
//! headers; [`ResponseExt`] reads Zoom's headers out of them, typed.
//! [`decode_response`] is how generated code turns a 2xx answer into that
//! value.

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;

use crate::body::Answer;
use crate::error::{
    Error, ErrorKind, MAX_BODY_EXCERPT_BYTES, RateLimitHeaders, TRACKING_ID_HEADER, excerpt,
};

/// The value of a 2xx answer, decoded from its JSON body: what generated
/// code calls in place of progenitor's `ResponseValue::from_response`
/// (codegen rewrites those calls to this one).
///
/// progenitor's version keeps only the body and the serde error of a body
/// that does not decode; this one fails with this crate's
/// [`ErrorKind::Decode`], which also knows the operation, the status, the
/// tracking id and the attempts of the answer (from the facts
/// [`crate::Runtime::execute`] attaches to every 2xx response), with the
/// `serde_json::Error` as its source. The error travels inside progenitor's
/// `ResponseBodyError`, as every runtime error does, and
/// [`Error::from_progenitor`] takes it back out. A body that cannot be read
/// (over the size cap, too slow, a broken connection) fails as it always
/// has: with the runtime's error, carried the same way.
pub async fn decode_response<T, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>>
where
    T: serde::de::DeserializeOwned,
{
    let status = response.status();
    let headers = response.headers().clone();
    let answer = response.extensions().get::<Answer>().cloned();
    let body = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(source) => {
            let error = Error::new(ErrorKind::Decode {
                body_excerpt: excerpt(&body, MAX_BODY_EXCERPT_BYTES),
            })
            .with_source(source)
            .with_status(status.as_u16())
            .with_headers(&headers);
            let error = match answer {
                Some(answer) => answer.error(error),
                None => error,
            };
            Err(progenitor_client::Error::ResponseBodyError(
                error.into_reqwest_error(),
            ))
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    fn response(status: u16, body: &'static str, tracking_id: Option<&str>) -> reqwest::Response {
        let mut builder = http::Response::builder().status(status);
        if let Some(id) = tracking_id {
            builder = builder.header(TRACKING_ID_HEADER, id);
        }
        reqwest::Response::from(builder.body(reqwest::Body::from(body)).unwrap())
    }

    fn decode(response: reqwest::Response) -> Result<ResponseValue<Vec<u32>>, Error> {
        // A body of bytes in memory: ready on the first poll.
        let decoded = decode_response::<Vec<u32>, ()>(response)
            .now_or_never()
            .expect("an in-memory body is ready at once");
        decoded.map_err(|e| match &e {
            progenitor_client::Error::ResponseBodyError(carrier) => Error::find_in(carrier)
                .cloned()
                .expect("a runtime error inside"),
            _ => panic!("not carried: {e:?}"),
        })
    }

    #[test]
    fn a_body_decodes_keeping_status_and_headers() {
        let value = decode(response(201, "[1,2]", Some("rid=1"))).unwrap();
        assert_eq!(value.status(), 201);
        assert_eq!(value.tracking_id(), Some("rid=1"));
        assert_eq!(value.into_inner(), [1, 2]);
    }

    #[test]
    fn a_body_that_does_not_decode_keeps_the_answers_facts() {
        // Not through the runtime: no attempts or operation known, but the
        // status and tracking id are the answer's.
        let error = decode(response(200, "[1,\"two\"]", Some("rid=2"))).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Decode { .. }),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.tracking_id(), Some("rid=2"));
        assert_eq!(error.body_excerpt(), Some("[1,\"two\"]"));
        assert!(std::error::Error::source(&error).is_some(), "serde's error");
        assert_eq!((error.attempts(), error.operation_id()), (0, None));
    }
}
