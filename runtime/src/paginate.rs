//! Paging through `next_page_token` results as a lazy stream of items.
//!
//! Zoom pages list results with a `next_page_token`: each response carries
//! the token of the next page, empty or absent on the last one. The
//! generated `stream()` methods of paginated operations call [`paginate`]
//! with the operation's metadata (so that the stream's own errors name it)
//! and a closure that sends the operation with a given token and returns
//! the page's items and next token; every request still goes through the
//! [`Runtime`](crate::Runtime) (throttling, auth, retries).
//!
//! A stream never loops and never loses pages silently:
//!
//! - **A token seen before** in the same stream (A → B → A, not only a
//!   token handed straight back) ends it with [`PageError::TokenCycle`],
//!   after the items of the page that handed it out. Seen tokens are kept as
//!   64-bit hashes (SipHash with per-process keys): at most
//!   [`MAX_REMEMBERED_TOKENS`] of them (about 1.5 MiB), so a cycle that starts
//!   after that many pages goes unnoticed, and a hash collision (odds about
//!   n²/2⁶⁵ for n pages) would end a healthy stream early, with the error
//!   saying so.
//! - **A refused token**: a page requested with a token that Zoom answers
//!   with its invalid-or-expired-token error ([`ApiError::is_page_token_refusal`]:
//!   HTTP 400, code 300 and a message about the page token, since Zoom
//!   reuses code 300) ends the stream with [`PageError::TokenExpired`],
//!   which says which page and carries Zoom's answer. A token expires 15
//!   minutes after Zoom issued it, so consume a stream while it is fresh
//!   rather than parking it half-way.
//!
//! Any other failure ends the stream with that error, as it came.
//!
//! **A page size over the cap**: where the spec documents a maximum
//! `page_size` ([`OperationMeta::max_page_size`]), the runtime sends a larger
//! one as that maximum, on every request of the operation (a stream's pages
//! and a single `send()` alike). Zoom's cap is not an error to be had: the
//! records beyond it come on the next pages, so a stream yields the same
//! items either way, and a single page says so with its `next_page_token`.
//!
//! [`OperationMeta::max_page_size`]: crate::OperationMeta::max_page_size
//!
//! [`ApiError::is_page_token_refusal`]: crate::ApiError::is_page_token_refusal

use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::stream::Stream;
use futures_util::stream::StreamExt;
use pin_project_lite::pin_project;

use crate::error::{Error, ErrorKind, PageError};
use crate::meta::OperationMeta;

/// The query parameter of the number of records per page.
const PAGE_SIZE: &str = "page_size";

/// `url` with a `page_size` above `max` sent as `max` (see the module docs).
/// Only that pair's value changes; every other byte of the query stays as
/// the generated code encoded it. A value that is not a whole number is
/// left for Zoom to judge.
pub(crate) fn clamp_page_size(url: &mut reqwest::Url, max: u32) {
    let Some(query) = url.query() else {
        return;
    };
    let mut changed = false;
    let pairs: Vec<std::borrow::Cow<'_, str>> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((PAGE_SIZE, value)) if exceeds(value, max) => {
                changed = true;
                format!("{PAGE_SIZE}={max}").into()
            }
            _ => pair.into(),
        })
        .collect();
    if changed {
        let clamped = pairs.join("&");
        url.set_query(Some(&clamped));
    }
}

/// Whether `value` is a whole number above `max`; digits only, so a number
/// too long for `u64` is above it too.
fn exceeds(value: &str, max: u32) -> bool {
    !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && value.parse::<u64>().map_or(true, |n| n > u64::from(max))
}

/// A page of results: its items and the token of the next page.
pub type Page<T> = (Vec<T>, Option<String>);

/// A boxed stream of items, or of the error that ended it.
pub type ItemStream<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'a>>;

/// How many page tokens a stream remembers to detect a cycle.
pub const MAX_REMEMBERED_TOKENS: usize = 1 << 16;

/// The error type of a page stream: this crate's [`Error`], or progenitor's
/// `Error<E>` of the generated `send()` (which carries this crate's error
/// inside a `reqwest::Error`, see [`crate::error`]).
pub trait PageStreamError: Sized {
    /// This crate's error, when `self` is or carries one.
    fn runtime_error(&self) -> Option<&Error>;

    /// `error` as this type.
    fn from_runtime_error(error: Error) -> Self;
}

impl PageStreamError for Error {
    fn runtime_error(&self) -> Option<&Error> {
        Some(self)
    }

    fn from_runtime_error(error: Error) -> Self {
        error
    }
}

impl<E> PageStreamError for progenitor_client::Error<E> {
    fn runtime_error(&self) -> Option<&Error> {
        match self {
            progenitor_client::Error::CommunicationError(e)
            | progenitor_client::Error::ResponseBodyError(e) => Error::find_in(e),
            _ => None,
        }
    }

    fn from_runtime_error(error: Error) -> Self {
        progenitor_client::Error::CommunicationError(error.into_reqwest_error())
    }
}

/// Which page comes after the current one.
enum Next {
    First,
    Token(String),
    /// End with this error once the current page's items are out.
    Fail(Error),
    Done,
}

/// The tokens a stream has followed, as hashes, with the page that handed
/// each out.
struct SeenTokens {
    hasher: RandomState,
    pages: std::collections::HashMap<u64, u32>,
}

impl SeenTokens {
    fn new() -> Self {
        SeenTokens {
            hasher: RandomState::new(),
            pages: std::collections::HashMap::new(),
        }
    }

    /// Records that page `page` handed out `token`; the page that handed it
    /// out before, if one did.
    fn first_seen(&mut self, token: &str, page: u32) -> Option<u32> {
        let hash = self.hasher.hash_one(token);
        if let Some(first) = self.pages.get(&hash) {
            return Some(*first);
        }
        if self.pages.len() < MAX_REMEMBERED_TOKENS {
            self.pages.insert(hash, page);
        }
        None
    }
}

pin_project! {
    /// The stream behind [`paginate`]. Items are handed out straight from the
    /// page's vector, one move per item: no intermediate queue, and no state
    /// carried from one poll to the next by value.
    struct Pages<T, F, Fut> {
        // Whose pages these are, for the stream's own errors.
        operation: &'static OperationMeta,
        fetch: F,
        // The current page's remaining items.
        items: std::vec::IntoIter<T>,
        next: Next,
        // Whether the page in flight was asked with a token of ours.
        asked_with_token: bool,
        // Pages requested so far (the one in flight included).
        page: u32,
        seen: SeenTokens,
        #[pin]
        in_flight: Option<Fut>,
    }
}

impl<T, E, F, Fut> Stream for Pages<T, F, Fut>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, E>>,
    E: PageStreamError,
{
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(page) = this.in_flight.as_mut().as_pin_mut() {
                let result = ready!(page.poll(cx));
                this.in_flight.set(None);
                match result {
                    Ok((items, following)) => {
                        *this.items = items.into_iter();
                        *this.next = match following.filter(|t| !t.is_empty()) {
                            Some(token) => match this.seen.first_seen(&token, *this.page) {
                                Some(first_seen) => Next::Fail(
                                    Error::new(ErrorKind::Page(PageError::TokenCycle {
                                        page: *this.page,
                                        first_seen,
                                    }))
                                    .for_operation(this.operation),
                                ),
                                None => Next::Token(token),
                            },
                            None => Next::Done,
                        };
                    }
                    Err(error) => {
                        *this.next = Next::Done;
                        let refused = this
                            .asked_with_token
                            .then(|| error.runtime_error())
                            .flatten()
                            .and_then(|e| match e.kind() {
                                ErrorKind::Api(answer) if answer.is_page_token_refusal() => {
                                    Some(e.page_token_expired(*this.page, answer.clone()))
                                }
                                _ => None,
                            });
                        return Poll::Ready(Some(Err(match refused {
                            Some(expired) => E::from_runtime_error(expired),
                            None => error,
                        })));
                    }
                }
                continue;
            }
            let token = match std::mem::replace(this.next, Next::Done) {
                Next::Done => return Poll::Ready(None),
                Next::Fail(error) => return Poll::Ready(Some(Err(E::from_runtime_error(error)))),
                Next::First => None,
                Next::Token(token) => Some(token),
            };
            *this.asked_with_token = token.is_some();
            *this.page = this.page.saturating_add(1);
            this.in_flight.set(Some((this.fetch)(token)));
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.items.len();
        match (&self.next, &self.in_flight) {
            (Next::Done, None) => (buffered, Some(buffered)),
            _ => (buffered, None),
        }
    }
}

/// The items of every page of `operation`, fetched one page at a time as
/// the stream is polled. `fetch(None)` requests the first page,
/// `fetch(Some(token))` the next. The stream's own errors name `operation`,
/// as the errors of its pages do. The stream ends after the page whose token is empty or absent, or
/// right after yielding an error (a failed page is not retried here: the
/// runtime already retried what may be retried); see the module docs for
/// the errors of its own. Once ended, it keeps returning `None`.
pub fn paginate<'a, T, E, F, Fut>(
    operation: &'static OperationMeta,
    fetch: F,
) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: PageStreamError + Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    Box::pin(Pages {
        operation,
        fetch,
        items: Vec::new().into_iter(),
        next: Next::First,
        asked_with_token: false,
        page: 0,
        seen: SeenTokens::new(),
        in_flight: None,
    })
}

/// Up to `limit` items of a stream, or its first error. Stops polling (and
/// so fetching pages) once `limit` items are in hand.
pub async fn collect_bounded<T, E>(
    mut items: ItemStream<'_, T, E>,
    limit: usize,
) -> Result<Vec<T>, E> {
    let mut out = Vec::with_capacity(limit.min(items.size_hint().0));
    while out.len() < limit {
        match items.next().await {
            Some(Ok(item)) => out.push(item),
            Some(Err(error)) => return Err(error),
            None => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use std::sync::{Arc, Mutex};

    static LIST: OperationMeta = OperationMeta::new("listThings", "GET", "/things");

    fn fail(message: &str) -> Error {
        Error::config(message)
    }

    fn zoom_answer(status: u16, body: &str) -> Error {
        Error::from_answer(
            crate::ApiError::new(status, &HeaderMap::new(), body.as_bytes(), &LIST),
            &HeaderMap::new(),
        )
        .for_operation(&LIST)
        .with_attempts(1)
    }

    type Fetched = std::future::Ready<Result<Page<u32>, Error>>;
    type Asked = Arc<Mutex<Vec<Option<String>>>>;

    /// Pages `[[1, 2], [3], []]`-style, recording the tokens asked for.
    fn pages(
        data: Vec<Result<Page<u32>, Error>>,
    ) -> (impl FnMut(Option<String>) -> Fetched, Asked) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let seen = asked.clone();
        let mut data = data.into_iter();
        let fetch = move |token: Option<String>| {
            seen.lock().unwrap().push(token);
            std::future::ready(data.next().unwrap_or(Ok((vec![], None))))
        };
        (fetch, asked)
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// The stream's items, errors shown as their `Display`.
    fn run(
        fetch: impl FnMut(Option<String>) -> Fetched + Send + 'static,
    ) -> Vec<Result<u32, String>> {
        block_on(
            paginate(&LIST, fetch)
                .map(|r| r.map_err(|e| e.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn follows_tokens_until_an_empty_one() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1, 2], Some("a".into()))),
            Ok((vec![], Some("b".into()))),
            Ok((vec![3], Some(String::new()))),
        ]);
        assert_eq!(run(fetch), vec![Ok(1), Ok(2), Ok(3)]);
        assert_eq!(
            *asked.lock().unwrap(),
            vec![None, Some("a".into()), Some("b".into())]
        );
    }

    #[test]
    fn yields_the_error_and_ends() {
        let (fetch, asked) = pages(vec![Ok((vec![1], Some("a".into()))), Err(fail("boom"))]);
        assert_eq!(
            run(fetch),
            vec![Ok(1), Err("invalid configuration: boom".into())]
        );
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_token_handed_straight_back_ends_the_stream_with_an_error() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1], Some("same".into()))),
            Ok((vec![2], Some("same".into()))),
            Ok((vec![3], None)),
        ]);
        assert_eq!(
            run(fetch),
            vec![
                Ok(1),
                Ok(2),
                Err(
                    "listThings: page 2 handed back the page token page 1 had handed out; \
                     the stream ends here instead of paging forever"
                        .into()
                )
            ]
        );
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_cycle_through_several_tokens_ends_the_stream_with_an_error() {
        // A -> B -> C -> A: every page's items come out, then the error.
        let (fetch, asked) = pages(vec![
            Ok((vec![1], Some("A".into()))),
            Ok((vec![2], Some("B".into()))),
            Ok((vec![3], Some("C".into()))),
            Ok((vec![4], Some("A".into()))),
            Ok((vec![5], None)),
        ]);
        let mut stream = paginate(&LIST, fetch);
        let items: Vec<_> = block_on(async {
            let mut items = Vec::new();
            while let Some(item) = stream.next().await {
                items.push(item);
            }
            items
        });
        assert_eq!(items.len(), 5);
        assert!(items[..4].iter().all(Result::is_ok));
        let Err(error) = &items[4] else {
            panic!("no error: {items:?}")
        };
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Page(PageError::TokenCycle {
                    page: 4,
                    first_seen: 1
                })
            ),
            "{error:?}"
        );
        assert_eq!(
            *asked.lock().unwrap(),
            vec![None, Some("A".into()), Some("B".into()), Some("C".into())]
        );
    }

    #[test]
    fn a_refused_page_token_is_a_typed_error_that_says_so() {
        let expired = r#"{"code":300,"message":"The next page token is invalid or expired."}"#;
        let (fetch, _) = pages(vec![
            Ok((vec![1], Some("old".into()))),
            Err(zoom_answer(400, expired)),
        ]);
        let items = block_on(paginate(&LIST, fetch).collect::<Vec<_>>());
        let Some(Err(error)) = items.last() else {
            panic!("{items:?}")
        };
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Page(PageError::TokenExpired { page: 2, .. })
            ),
            "{error:?}"
        );
        assert_eq!((error.status(), error.code()), (Some(400), Some(300)));
        assert_eq!(error.operation_id(), Some("listThings"));
        assert_eq!(
            error.to_string(),
            "listThings: page 2: Zoom refused the page token as invalid or expired (tokens live \
             15 minutes): HTTP 400, Zoom error 300: The next page token is invalid or expired."
        );

        // The same answer to the first page (no token of ours), and Zoom's
        // other uses of code 300, stay what they are.
        for (data, kind) in [
            (vec![Err(zoom_answer(400, expired))], "api"),
            (
                vec![
                    Ok((vec![1], Some("t".into()))),
                    Err(zoom_answer(
                        400,
                        r#"{"code":300,"message":"Invalid parameter: file_ids"}"#,
                    )),
                ],
                "api",
            ),
        ] {
            let (fetch, _) = pages(data);
            let items = block_on(paginate(&LIST, fetch).collect::<Vec<_>>());
            let Some(Err(error)) = items.last() else {
                panic!("{items:?}")
            };
            assert_eq!(error.kind().name(), kind, "{error:?}");
        }
    }

    #[test]
    fn progenitor_errors_carry_the_stream_errors() {
        let fetch = |token: Option<String>| {
            std::future::ready(Ok::<_, progenitor_client::Error<()>>(match token {
                None => (vec![1], Some("A".to_owned())),
                Some(_) => (vec![2], Some("A".to_owned())),
            }))
        };
        let items = block_on(paginate(&LIST, fetch).collect::<Vec<_>>());
        assert_eq!(items.len(), 3);
        let Some(Err(carried)) = items.into_iter().last() else {
            panic!()
        };
        let error = Error::from_progenitor(carried, &LIST);
        assert!(
            matches!(error.kind(), ErrorKind::Page(PageError::TokenCycle { .. })),
            "{error:?}"
        );
        assert_eq!(error.operation_id(), Some("listThings"));
    }

    #[test]
    fn is_lazy_and_collect_is_bounded() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1, 2], Some("a".into()))),
            Ok((vec![3, 4], Some("b".into()))),
            Ok((vec![5], None)),
        ]);
        let stream = paginate(&LIST, fetch);
        assert!(
            asked.lock().unwrap().is_empty(),
            "nothing is fetched before polling"
        );
        let first_three = block_on(collect_bounded(stream, 3)).unwrap();
        assert_eq!(first_three, vec![1, 2, 3]);
        assert_eq!(
            asked.lock().unwrap().len(),
            2,
            "the third page is never fetched"
        );
    }

    #[test]
    fn waits_for_a_page_that_is_not_ready_and_stays_ended() {
        let asked = Arc::new(Mutex::new(0));
        let seen = asked.clone();
        let fetch = move |token: Option<String>| {
            *seen.lock().unwrap() += 1;
            async move {
                // Pending once before the page arrives.
                tokio::task::yield_now().await;
                match token.as_deref() {
                    None => Ok((vec![1, 2], Some("a".to_owned()))),
                    Some("a") => Ok((vec![3], None)),
                    Some(_) => Err(fail("unexpected token")),
                }
            }
        };
        block_on(async {
            let mut stream = paginate(&LIST, fetch);
            assert_eq!(stream.size_hint(), (0, None));
            assert_eq!(stream.next().await.map(|r| r.ok()), Some(Some(1)));
            assert_eq!(
                stream.size_hint(),
                (1, None),
                "one item buffered, more pages to come"
            );
            assert_eq!(stream.next().await.map(|r| r.ok()), Some(Some(2)));
            assert_eq!(stream.next().await.map(|r| r.ok()), Some(Some(3)));
            assert_eq!(stream.size_hint(), (0, Some(0)));
            assert!(stream.next().await.is_none());
            assert!(stream.next().await.is_none(), "an ended stream stays ended");
        });
        assert_eq!(*asked.lock().unwrap(), 2);
    }

    #[test]
    fn a_page_size_over_the_cap_is_sent_as_the_cap() {
        let cases = [
            ("page_size=1000", "page_size=300"),
            ("page_size=300", "page_size=300"),
            ("page_size=30", "page_size=30"),
            // Longer than any u64: still a number above the cap.
            ("page_size=99999999999999999999999", "page_size=300"),
            (
                "type=past&page_size=301&next_page_token=a%2Bb",
                "type=past&page_size=300&next_page_token=a%2Bb",
            ),
            // Not whole numbers: Zoom's to judge.
            ("page_size=-5", "page_size=-5"),
            ("page_size=abc", "page_size=abc"),
            ("page_size=", "page_size="),
            // Another parameter whose name merely contains it.
            ("max_page_size=1000", "max_page_size=1000"),
        ];
        for (query, expected) in cases {
            let mut url =
                reqwest::Url::parse(&format!("https://api.zoom.us/v2/x?{query}")).unwrap();
            clamp_page_size(&mut url, 300);
            assert_eq!(url.query(), Some(expected), "{query}");
        }
        let mut url = reqwest::Url::parse("https://api.zoom.us/v2/x").unwrap();
        clamp_page_size(&mut url, 300);
        assert_eq!(url.query(), None);
    }

    #[test]
    fn the_seen_token_set_is_bounded() {
        let mut seen = SeenTokens::new();
        for page in 0..(MAX_REMEMBERED_TOKENS as u32 + 10) {
            assert_eq!(seen.first_seen(&format!("token-{page}"), page), None);
        }
        assert_eq!(seen.pages.len(), MAX_REMEMBERED_TOKENS);
        assert_eq!(seen.first_seen("token-0", 1), Some(0));
    }
}
