//! Testing your own code against a fake Zoom (feature `mock`): the
//! function under test is `admin_meeting_topics`, a user's function that
//! pages through a month of meetings and treats a missing scope as "no
//! access" rather than as a failure. The tests below run in `cargo test`
//! (this example is built as a test, see `Cargo.toml`):
//!
//! ```sh
//! cargo test -p zoom-accounts --features mock --example mock_test
//! cargo run -p zoom-accounts --features mock --example mock_test
//! ```

use futures_util::TryStreamExt;
use zoom_accounts::mock::MockServer;
use zoom_accounts::prelude::*;
use zoom_accounts::types::{DashboardMeetingsResponse, DashboardMeetingsResponseMeetingsItem};
use zoom_accounts::{Client, Error};

/// The code under test: the topics of the account's meetings in
/// `from..=to`, every page of them; `None` when the app lacks the
/// dashboard scope (Zoom's code 4711 on a 400).
pub async fn admin_meeting_topics(
    client: &Client,
    from: &str,
    to: &str,
) -> Result<Option<Vec<String>>, Error> {
    let topics = client
        .dashboard_meetings()
        .account_id("me")
        .type_("past")
        .from(from)
        .to(to)
        .page_size(300)
        .stream()
        .map_ok(|meeting| meeting.topic.unwrap_or_default())
        .try_collect()
        .await;
    match topics {
        Ok(topics) => Ok(Some(topics)),
        Err(e) if e.status() == Some(400) && e.code() == Some(4711) => Ok(None),
        Err(e) => Err(e),
    }
}

fn meeting(topic: &str) -> DashboardMeetingsResponseMeetingsItem {
    DashboardMeetingsResponseMeetingsItem::default().with_topic(topic)
}

/// Two pages of past meetings of October 2026, in the order they are
/// asked for: the first answers once, then the one the token leads to.
async fn two_pages(mock: &MockServer) {
    mock.dashboard_meetings()
        .account_id("me")
        .type_("past")
        .from("2026-10-01")
        .to("2026-10-31")
        .respond(
            DashboardMeetingsResponse::default()
                .with_meetings([meeting("Standup"), meeting("Review")])
                .with_next_page_token("t2"),
        )
        .times(1)
        .mount()
        .await;
    mock.dashboard_meetings()
        .account_id("me")
        .next_page_token("t2")
        .respond(DashboardMeetingsResponse::default().with_meetings([meeting("Retro")]))
        .times(1)
        .mount()
        .await;
}

/// Runs the function against a fake with two pages, printing what it got.
#[cfg_attr(test, allow(dead_code))]
#[tokio::main]
async fn main() -> Result<(), Error> {
    let mock = MockServer::start().await;
    two_pages(&mock).await;
    let topics = admin_meeting_topics(&mock.client(), "2026-10-01", "2026-10-31").await?;
    println!("{topics:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use zoom_accounts::mock::MockServer;

    use super::{admin_meeting_topics, two_pages};

    #[tokio::test]
    async fn collects_every_page() {
        let mock = MockServer::start().await;
        two_pages(&mock).await;
        let topics = tokio::time::timeout(
            Duration::from_secs(10),
            admin_meeting_topics(&mock.client(), "2026-10-01", "2026-10-31"),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(topics.unwrap(), ["Standup", "Review", "Retro"]);
        // Also checked when `mock` drops: both pages were asked for.
        mock.verify().await;
    }

    #[tokio::test]
    async fn a_missing_scope_is_no_access() {
        let mock = MockServer::start().await;
        mock.dashboard_meetings()
            .respond_error(400, 4711, "Invalid access token, does not contain scopes.")
            .mount()
            .await;
        let topics = admin_meeting_topics(&mock.client(), "2026-10-01", "2026-10-31")
            .await
            .unwrap();
        assert_eq!(topics, None);
    }

    #[tokio::test]
    async fn a_rate_limit_reaches_the_caller() {
        let mock = MockServer::start().await;
        mock.dashboard_meetings()
            .respond_rate_limited(Duration::from_secs(2))
            .times(1)
            .mount()
            .await;
        let err = admin_meeting_topics(&mock.client(), "2026-10-01", "2026-10-31")
            .await
            .unwrap_err();
        assert!(err.is_rate_limited());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    }
}
