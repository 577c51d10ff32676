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

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

/// A page of results: its items and the token of the next page.
pub type Page<T> = (Vec<T>, Option<String>);

/// A boxed stream of items, or of the error that ended it.
pub type ItemStream<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send + 'a>>;

enum Next {
    First,
    Token(String),
    Done,
}

/// The items of every page, fetched one page at a time as the stream is
/// polled. `fetch(None)` requests the first page, `fetch(Some(token))` the
/// next. The stream ends after the page whose token is empty or absent, or
/// right after yielding an error (a failed page is not retried here: the
/// runtime already retried what may be retried). A server that hands back
/// the token it was just given would page forever; the stream ends there.
pub fn paginate<'a, T, E, F, Fut>(fetch: F) -> ItemStream<'a, T, E>
where
    T: Send + 'a,
    E: Send + 'a,
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'a,
{
    let state = (fetch, VecDeque::<T>::new(), Next::First);
    Box::pin(stream::unfold(state, |(mut fetch, mut buffer, mut next)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (fetch, buffer, next)));
            }
            let token = match std::mem::replace(&mut next, Next::Done) {
                Next::Done => return None,
                Next::First => None,
                Next::Token(token) => Some(token),
            };
            match fetch(token.clone()).await {
                Ok((items, following)) => {
                    buffer.extend(items);
                    next = match following.filter(|t| !t.is_empty()) {
                        Some(t) if Some(&t) == token.as_ref() => Next::Done,
                        Some(t) => Next::Token(t),
                        None => Next::Done,
                    };
                }
                Err(error) => return Some((Err(error), (fetch, buffer, Next::Done))),
            }
        }
    }))
}

/// Up to `limit` items of a stream, or its first error. Stops polling (and
/// so fetching pages) once `limit` items are in hand.
pub async fn collect_bounded<T, E>(mut items: ItemStream<'_, T, E>, limit: usize) -> Result<Vec<T>, E> {
    let mut out = Vec::new();
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
}
