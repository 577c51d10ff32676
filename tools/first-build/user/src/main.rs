use zoom_accounts::prelude::*;
use zoom_accounts::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .with_credentials(Credentials::bearer_token(std::env::var("ZOOM_TOKEN")?))
        .build()?;
    #[cfg(not(feature = "dashboards"))]
    {
        let roles = client.roles().send().await?;
        println!("{:?}", roles.total_records);
    }
    #[cfg(feature = "dashboards")]
    {
        let feedback = client
            .dashboard_client_feedback()
            .account_id("me")
            .from(zoom_accounts::chrono::NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("date")?)
            .to(zoom_accounts::chrono::NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?)
            .send()
            .await?;
        println!("{:?}", feedback.total_records);
    }
    Ok(())
}
