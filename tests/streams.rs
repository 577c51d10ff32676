//! The page streams of paginated operations, through the generated client
//! against a scripted server on 127.0.0.1: tokens are followed page after
//! page and the stream stops on an empty one, errors arrive as items and end
//! the stream, nothing is fetched before it is polled, and `collect_all`
//! stops fetching at its limit.

use futures_util::{StreamExt, TryStreamExt};
use zoom_accounts::prelude::*;
use zoom_accounts::{Credentials, Error};
use zoom_accounts_tests::scripted_server::{Reply, ScriptedServer, bounded};

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{}/v2", server.url()))
        .build()
        .unwrap()
}

fn page(ids: &[&str], next: &str) -> Reply {
    let accounts: Vec<_> = ids.iter().map(|id| serde_json::json!({ "id": id })).collect();
    let body = serde_json::json!({ "accounts": accounts, "next_page_token": next, "page_size": 2 });
    Reply::json(200, &body.to_string())
}

/// The `next_page_token` each recorded request carried (`None` = first page).
fn tokens_sent(server: &ScriptedServer) -> Vec<Option<String>> {
    server
        .requests_to("/v2/accounts")
        .iter()
        .map(|r| {
            r.target
                .split_once('?')
                .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("next_page_token=")))
                .map(str::to_owned)
        })
        .collect()
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
            [None, Some("t2".into()), Some("t3".into()), Some("t4".into())]
        );
        // The other parameters ride along on every page.
        assert!(server.requests_to("/v2/accounts").iter().all(|r| r.target.contains("page_size=2")));
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
                Reply::json(400, r#"{"code":300,"message":"Invalid next_page_token."}"#),
                page(&["never"], ""),
            ],
        );
        let items: Vec<_> = client(&server).accounts().stream().collect().await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("a1"));
        match &items[1] {
            Err(Error::ErrorResponse(body)) => {
                assert_eq!(body.status().as_u16(), 400);
                assert_eq!(body.code, Some(300));
            }
            other => panic!("expected Zoom's error body, got {other:?}"),
        }
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
            [page(&["a1", "a2"], "t2"), page(&["a3", "a4"], "t3"), page(&["a5"], "")],
        );
        let client = client(&server);
        let stream = client.accounts().stream();
        assert!(server.requests().is_empty(), "nothing is sent before the stream is polled");
        drop(stream);

        let first_three = client.accounts().collect_all(3).await.unwrap();
        assert_eq!(first_three.len(), 3);
        assert_eq!(server.requests_to("/v2/accounts").len(), 2, "the third page is never fetched");
    })
    .await;
}
