//! The page streams of paginated operations, through the generated client
//! against a scripted server on 127.0.0.1: tokens are followed page after
//! page and the stream stops on an empty one, errors arrive as items and end
//! the stream, a cycling token ends it with an error, Zoom's refusal of an
//! expired token is an error that says so, nothing is fetched before it is
//! polled, and `collect_all` stops fetching at its limit.
//! Stream items and `collect_all` fail with the one error type,
//! `zoom_accounts::Error`, as `send()` does.

use futures_util::{StreamExt, TryStreamExt};
use zoom_accounts::prelude::*;
use zoom_accounts::{Credentials, ErrorKind, PageError};
use zoom_accounts_tests::scripted_server::{Reply, ScriptedServer, bounded};

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{}/v2", server.url()))
        .build()
        .unwrap()
}

fn page(ids: &[&str], next: &str) -> Reply {
    let accounts: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({ "id": id }))
        .collect();
    let body = serde_json::json!({ "accounts": accounts, "next_page_token": next, "page_size": 2 });
    Reply::json(200, &body.to_string())
}

/// The value of query parameter `name` in each recorded request.
fn query_sent(server: &ScriptedServer, name: &str) -> Vec<Option<String>> {
    let prefix = format!("{name}=");
    server
        .requests_to("/v2/accounts")
        .iter()
        .map(|r| {
            r.target
                .split_once('?')
                .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix(prefix.as_str())))
                .map(str::to_owned)
        })
        .collect()
}

/// The `next_page_token` each recorded request carried (`None` = first page).
fn tokens_sent(server: &ScriptedServer) -> Vec<Option<String>> {
    query_sent(server, "next_page_token")
}

#[tokio::test]
async fn follows_tokens_across_pages_until_an_empty_one() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2/accounts",
            [
                page(&["a1", "a2"], "t2"),
                page(&["a3"], "t3"),
                page(&[], "t4"),
                page(&["a4"], ""),
            ],
        );
        let ids: Vec<String> = client(&server)
            .accounts()
            .page_size(2)
            .stream()
            .map_ok(|account| account.id.unwrap_or_default())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["a1", "a2", "a3", "a4"]);
        assert_eq!(
            tokens_sent(&server),
            [
                None,
                Some("t2".into()),
                Some("t3".into()),
                Some("t4".into())
            ]
        );
        // The other parameters ride along on every page.
        assert!(
            server
                .requests_to("/v2/accounts")
                .iter()
                .all(|r| r.target.contains("page_size=2"))
        );
    })
    .await;
}

#[tokio::test]
async fn an_error_is_an_item_and_ends_the_stream() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2/accounts",
            [
                page(&["a1"], "t2"),
                Reply::json(404, r#"{"code":2001,"message":"Account does not exist."}"#),
                page(&["never"], ""),
            ],
        );
        let items: Vec<_> = client(&server).accounts().stream().collect().await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("a1"));
        let Some(Err(error)) = items.into_iter().nth(1) else {
            panic!("no error item")
        };
        assert_eq!((error.status(), error.code()), (Some(404), Some(2001)));
        assert_eq!(error.operation_id(), Some("accounts"));
        assert_eq!(server.requests_to("/v2/accounts").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_needed() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2/accounts",
            [
                page(&["a1", "a2"], "t2"),
                page(&["a3", "a4"], "t3"),
                page(&["a5"], ""),
            ],
        );
        let client = client(&server);
        let stream = client.accounts().stream();
        assert!(
            server.requests().is_empty(),
            "nothing is sent before the stream is polled"
        );
        drop(stream);

        let first_three = client.accounts().collect_all(3).await.unwrap();
        assert_eq!(first_three.len(), 3);
        assert_eq!(
            server.requests_to("/v2/accounts").len(),
            2,
            "the third page is never fetched"
        );
    })
    .await;
}

#[tokio::test]
async fn a_cycling_token_ends_the_stream_with_an_error() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // A -> B -> A: a server that would page forever.
        server.script(
            "/v2/accounts",
            [
                page(&["a1"], "A"),
                page(&["a2"], "B"),
                page(&["a3"], "A"),
                page(&["never"], "B"),
            ],
        );
        let items: Vec<_> = client(&server).accounts().stream().collect().await;
        assert_eq!(items.len(), 4, "{items:?}");
        assert!(items[..3].iter().all(Result::is_ok));
        let Some(Err(error)) = items.into_iter().last() else {
            panic!("no error item")
        };
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Page(PageError::TokenCycle {
                    page: 3,
                    first_seen: 1
                })
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "accounts: page 3 handed back the page token page 1 had handed out; \
             the stream ends here instead of paging forever"
        );
        assert_eq!(
            tokens_sent(&server),
            [None, Some("A".into()), Some("B".into())]
        );
    })
    .await;
}

#[tokio::test]
async fn an_expired_page_token_is_an_error_that_says_so() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2/accounts",
            [
                page(&["a1"], "t2"),
                Reply::json(
                    400,
                    r#"{"code":300,"message":"The next page token is invalid or expired."}"#,
                ),
            ],
        );
        let error = client(&server)
            .accounts()
            .collect_all(10)
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Page(PageError::TokenExpired { page: 2, .. })
            ),
            "{error:?}"
        );
        assert_eq!((error.status(), error.code()), (Some(400), Some(300)));
        assert!(
            error
                .to_string()
                .contains("Zoom refused the page token as invalid or expired")
        );
    })
    .await;
}

#[tokio::test]
async fn a_page_size_over_the_documented_cap_is_sent_as_the_cap() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script(
            "/v2/accounts",
            [page(&["a1"], "t2"), page(&["a2"], ""), page(&["a3"], "")],
        );
        let documented =
            zoom_accounts::metadata::by_operation_id("accounts").and_then(|op| op.max_page_size);
        assert_eq!(documented, Some(300));
        let client = client(&server);
        // Every page of a stream, and nothing lost: the records beyond the
        // cap come on the next pages.
        let all = client
            .accounts()
            .page_size(1000)
            .collect_all(10)
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        // A size within the cap goes as it is.
        client.accounts().page_size(20).send().await.unwrap();
        assert_eq!(
            query_sent(&server, "page_size"),
            [Some("300".into()), Some("300".into()), Some("20".into())]
        );
    })
    .await;
}
