use zoom_accounts::prelude::*;
use zoom_accounts::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .with_credentials(Credentials::bearer_token(std::env::var("ZOOM_TOKEN")?))
        .build()?;
    let roles = client.roles().send().await?;
    println!("{:?}", roles.total_records);
    Ok(())
}
