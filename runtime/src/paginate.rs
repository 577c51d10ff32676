//! Paging through `next_page_token` results as a lazy stream of items.
//!
//! Zoom pages list results with a `next_page_token`: each response carries
//! the token of the next page, empty or absent on the last one. A token
//! expires 15 minutes after it was issued, so a stream should be consumed
//! while it is fresh rather than parked half-way. The generated `stream()`
//! methods of paginated operations call [`paginate`] with a closure that
//! sends the operation with a given token and returns the page's items and
//! next token; every request still goes through the [`Runtime`](crate::Runtime)
//! (throttling, auth, retries).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::stream::Stream;
use futures_util::stream::StreamExt;
use pin_project_lite::pin_project;

/// A page of results: its items and the token of the next page.
pub type Page<T> = (Vec<T>, Option<String>);

/// A boxed stream of items, or of the error that ended it.
pub type ItemStream<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'a>>;

/// Which page comes after the current one.
enum Next {
    First,
    Token(String),
    Done,
}

pin_project! {
    /// The stream behind [`paginate`]. Items are handed out straight from the
    /// page's vector, one move per item: no intermediate queue, and no state
    /// carried from one poll to the next by value.
    struct Pages<T, F, Fut> {
        fetch: F,
        // The current page's remaining items.
        items: std::vec::IntoIter<T>,
        next: Next,
        // The token the page in flight was asked with (`None` for the first).
        asked: Option<String>,
        #[pin]
        in_flight: Option<Fut>,
    }
}

impl<T, E, F, Fut> Stream for Pages<T, F, Fut>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, E>>,
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
                            // A server handing back the token it was given
                            // would page forever.
                            Some(t) if this.asked.as_ref() == Some(&t) => Next::Done,
                            Some(t) => Next::Token(t),
                            None => Next::Done,
                        };
                    }
                    Err(error) => {
                        *this.next = Next::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                continue;
            }
            let token = match std::mem::replace(this.next, Next::Done) {
                Next::Done => return Poll::Ready(None),
                Next::First => None,
                Next::Token(token) => Some(token),
            };
            this.asked.clone_from(&token);
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

/// The items of every page, fetched one page at a time as the stream is
/// polled. `fetch(None)` requests the first page, `fetch(Some(token))` the
/// next. The stream ends after the page whose token is empty or absent, or
/// right after yielding an error (a failed page is not retried here: the
/// runtime already retried what may be retried). A server that hands back
/// the token it was just given would page forever; the stream ends there.
/// Once ended, it keeps returning `None`.
pub fn paginate<'a, T, E, F, Fut>(fetch: F) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    Box::pin(Pages {
        fetch,
        items: Vec::new().into_iter(),
        next: Next::First,
        asked: None,
        in_flight: None,
    })
}

/// Up to `limit` items of a stream, or its first error. Stops polling (and
/// so fetching pages) once `limit` items are in hand.
pub async fn collect_bounded<T, E>(mut items: ItemStream<'_, T, E>, limit: usize) -> Result<Vec<T>, E> {
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
    use std::sync::{Arc, Mutex};

    /// Pages `[[1, 2], [3], []]`-style, recording the tokens asked for.
    fn pages(
        data: Vec<Result<Page<u32>, &'static str>>,
    ) -> (impl FnMut(Option<String>) -> std::future::Ready<Result<Page<u32>, &'static str>>, Arc<Mutex<Vec<Option<String>>>>) {
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
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
    }

    #[test]
    fn follows_tokens_until_an_empty_one() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1, 2], Some("a".into()))),
            Ok((vec![], Some("b".into()))),
            Ok((vec![3], Some(String::new()))),
        ]);
        let items: Vec<_> = block_on(paginate(fetch).collect::<Vec<_>>());
        assert_eq!(items, vec![Ok(1), Ok(2), Ok(3)]);
        assert_eq!(*asked.lock().unwrap(), vec![None, Some("a".into()), Some("b".into())]);
    }

    #[test]
    fn yields_the_error_and_ends() {
        let (fetch, asked) = pages(vec![Ok((vec![1], Some("a".into()))), Err("boom")]);
        let items: Vec<_> = block_on(paginate(fetch).collect::<Vec<_>>());
        assert_eq!(items, vec![Ok(1), Err("boom")]);
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_repeated_token_ends_the_stream() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1], Some("same".into()))),
            Ok((vec![2], Some("same".into()))),
            Ok((vec![3], None)),
        ]);
        let items: Vec<_> = block_on(paginate(fetch).collect::<Vec<_>>());
        assert_eq!(items, vec![Ok(1), Ok(2)]);
        assert_eq!(asked.lock().unwrap().len(), 2);
    }

    #[test]
    fn is_lazy_and_collect_is_bounded() {
        let (fetch, asked) = pages(vec![
            Ok((vec![1, 2], Some("a".into()))),
            Ok((vec![3, 4], Some("b".into()))),
            Ok((vec![5], None)),
        ]);
        let stream = paginate(fetch);
        assert!(asked.lock().unwrap().is_empty(), "nothing is fetched before polling");
        let first_three = block_on(collect_bounded(stream, 3)).unwrap();
        assert_eq!(first_three, vec![1, 2, 3]);
        assert_eq!(asked.lock().unwrap().len(), 2, "the third page is never fetched");
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
                Ok::<_, &'static str>(match token.as_deref() {
                    None => (vec![1, 2], Some("a".to_owned())),
                    Some("a") => (vec![3], None),
                    Some(other) => panic!("unexpected token {other}"),
                })
            }
        };
        block_on(async {
            let mut stream = paginate(fetch);
            assert_eq!(stream.size_hint(), (0, None));
            assert_eq!(stream.next().await, Some(Ok(1)));
            assert_eq!(stream.size_hint(), (1, None), "one item buffered, more pages to come");
            assert_eq!(stream.next().await, Some(Ok(2)));
            assert_eq!(stream.next().await, Some(Ok(3)));
            assert_eq!(stream.size_hint(), (0, Some(0)));
            assert_eq!(stream.next().await, None);
            assert_eq!(stream.next().await, None, "an ended stream stays ended");
        });
        assert_eq!(*asked.lock().unwrap(), 2);
    }
}
