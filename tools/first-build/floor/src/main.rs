#[derive(Debug, serde::Deserialize)]
struct Roles {
    total_records: Option<i64>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("ZOOM_TOKEN")?;
    let roles: Roles = reqwest::Client::new()
        .get("https://api.zoom.us/v2/roles")
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{:?}", roles.total_records);
    Ok(())
}
