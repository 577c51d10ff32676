//! Response bodies under a size cap, and their failures as typed errors.
//!
//! The runtime reads error bodies itself (to build an [`crate::ApiError`])
//! and hands 2xx responses to the generated code, which reads them whole
//! with `response.bytes()` inside progenitor's `ResponseValue::from_response`.
//! To hold a cap on both without touching the generated code, a 2xx
//! response is checked for a `Content-Length` over the cap and then rebuilt
//! around a body stream that counts what it passes on: past the cap, and on
//! a failure of the underlying body (the request timeout passing while the
//! body trickles in, a broken connection), the stream fails with this
//! crate's [`Error`], which reaches `from_response` as a `reqwest::Error`
//! whose source is that error, and so [`Error::from_progenitor`] finds it.
//! The rebuilt response keeps status, version, headers and URL, and
//! carries its [`Answer`] as an extension, so that what is decided after
//! the runtime returned (a body that does not decode, see
//! [`crate::decode_response`]; a 2xx status the method does not model)
//! still reports the operation, the status, the tracking id and the
//! attempts.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::{Response, ResponseBuilderExt};

use crate::error::{Error, ErrorKind};

/// The response body cap unless configured: 64 MiB. A page of Zoom's
/// largest reports (participants' QoS, 300 records) is about 10 MB.
pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// The answer a body belongs to, for the errors reading or decoding it can
/// end in.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) operation_id: &'static str,
    pub(crate) status: u16,
    pub(crate) tracking_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) timeout: Option<Duration>,
    pub(crate) limit: u64,
}

impl Answer {
    /// `error` with this answer's operation, status, tracking id and
    /// attempts.
    pub(crate) fn error(&self, error: Error) -> Error {
        error
            .for_operation_id(self.operation_id)
            .with_status(self.status)
            .with_tracking_id(self.tracking_id.clone())
            .with_attempts(self.attempts)
    }

    pub(crate) fn too_large(&self, content_length: Option<u64>) -> Error {
        self.error(Error::new(ErrorKind::BodyTooLarge {
            limit: self.limit,
            content_length,
        }))
    }

    pub(crate) fn read_failed(&self, source: reqwest::Error) -> Error {
        self.error(Error::from_reqwest(source, self.timeout, true))
    }
}

/// Why [`read_capped`] has no body.
pub(crate) enum ReadError {
    TooLarge { content_length: Option<u64> },
    Failed(reqwest::Error),
}

/// The whole body of `response`, if it is at most `limit` bytes.
pub(crate) async fn read_capped(mut response: Response, limit: u64) -> Result<Vec<u8>, ReadError> {
    if let Some(length) = response.content_length().filter(|length| *length > limit) {
        return Err(ReadError::TooLarge {
            content_length: Some(length),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Failed)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(ReadError::TooLarge {
                content_length: None,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `response` with its body held to `answer.limit` bytes and its failures
/// typed (see the module docs); an error at once when `Content-Length`
/// already says it is too large.
pub(crate) fn cap_body(mut response: Response, answer: Answer) -> Result<Response, Error> {
    if let Some(length) = response
        .content_length()
        .filter(|length| *length > answer.limit)
    {
        return Err(answer.too_large(Some(length)));
    }
    let url = response.url().clone();
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let facts = answer.clone();
    let body = CappedBody {
        inner: Box::pin(response.bytes_stream()),
        read: 0,
        answer: Some(answer),
    };
    let mut builder = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .extension(facts);
    if let Some(map) = builder.headers_mut() {
        *map = headers;
    }
    builder
        .body(reqwest::Body::wrap_stream(body))
        .map(Response::from)
        // Status and version came from a response, so they are valid.
        .map_err(|e| Error::config(format!("could not rebuild a response: {e}")))
}

/// A body stream that fails with a typed error past its cap or when the
/// underlying body fails, and ends after failing.
struct CappedBody<S> {
    inner: S,
    read: u64,
    /// `None` once the stream failed.
    answer: Option<Answer>,
}

impl<S, B> Stream for CappedBody<S>
where
    S: Stream<Item = reqwest::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    type Item = Result<B, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(answer) = &this.answer else {
            return Poll::Ready(None);
        };
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.read = this.read.saturating_add(chunk.as_ref().len() as u64);
                if this.read > answer.limit {
                    let error = answer.too_large(None);
                    this.answer = None;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(source))) => {
                let error = answer.read_failed(source);
                this.answer = None;
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}
