//! Lists the account's roles, then pages through last month's meetings on
//! the dashboard.
//!
//! Needs a Zoom Server-to-Server OAuth app with the `role:read:admin` (or
//! `role:master`) and `dashboard_meetings:read:admin` scopes:
//!
//! ```sh
//! export ZOOM_ACCOUNT_ID=... ZOOM_CLIENT_ID=... ZOOM_CLIENT_SECRET=...
//! cargo run -p zoom-accounts --example roles_and_meetings -- 2026-10-01 2026-10-31
//! ```
//!
//! `ZOOM_API_BASE_URL` and `ZOOM_OAUTH_BASE_URL` point it elsewhere (a mock
//! server, a regional endpoint).

use futures_util::TryStreamExt;
use zoom_accounts::prelude::*;
use zoom_accounts::{Client, Credentials, RateLimitPlan, Secret};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (see the example's docs)"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let from = args.next().unwrap_or_else(|| "2026-10-01".into());
    let to = args.next().unwrap_or_else(|| "2026-10-31".into());

    let mut builder = Client::builder()
        .with_credentials(Credentials::ServerToServer {
            account_id: env("ZOOM_ACCOUNT_ID")?,
            client_id: env("ZOOM_CLIENT_ID")?,
            client_secret: Secret::new(env("ZOOM_CLIENT_SECRET")?),
        })
        // Stay under a Pro plan's per-second limits on our side.
        .with_throttle(RateLimitPlan::pro());
    if let Ok(url) = std::env::var("ZOOM_API_BASE_URL") {
        builder = builder.with_api_base_url(url);
    }
    if let Ok(url) = std::env::var("ZOOM_OAUTH_BASE_URL") {
        builder = builder.with_oauth_base_url(url);
    }
    let client = builder.build()?;

    let roles = client.roles().account_id("me").send().await?;
    println!(
        "{} roles",
        roles.total_records.unwrap_or(roles.roles.len() as i64)
    );
    for role in &roles.roles {
        println!(
            "  {:<24} {}",
            role.id.as_deref().unwrap_or("-"),
            role.name.as_deref().unwrap_or("-")
        );
    }

    // Pages are fetched as the stream is read; the page token expires after
    // 15 minutes, so read it through rather than parking it.
    let mut meetings = client
        .dashboard_meetings()
        .account_id("me")
        .type_("past")
        .from(from.as_str())
        .to(to.as_str())
        .page_size(300)
        .stream();
    let mut count = 0usize;
    while let Some(meeting) = meetings.try_next().await? {
        count += 1;
        let start = meeting
            .start_time
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "-".into());
        println!("  {start} {}", meeting.topic.as_deref().unwrap_or("-"));
    }
    println!("{count} meetings from {from} to {to}");
    Ok(())
}
