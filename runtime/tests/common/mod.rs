//! What the runtime's integration tests share: the operations they call, a
//! runtime against the scripted server, and a request to send through it.
#![allow(dead_code)]

use std::time::Duration;

use zoom_api_runtime::reqwest::{self, Method};
use zoom_api_runtime::{
    Credentials, ErrorCodeMeta, OperationMeta, RateLimitLabel, RetryPolicy, Runtime, RuntimeBuilder,
};
use zoom_test_server::ScriptedServer;

pub const CLIENT_SECRET: &str = "client-secret-value";
/// base64("client-id:client-secret-value")
pub const BASIC_AUTH: &str = "Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQtdmFsdWU=";

pub const GET_ACCOUNT: OperationMeta = OperationMeta {
    error_codes: &[
        ErrorCodeMeta {
            status: 404,
            code: 2001,
            message: "Account does not exist.",
        },
        ErrorCodeMeta {
            status: 400,
            code: 1224,
            message: "Role name already exists.",
        },
    ],
    ..OperationMeta::new("getAccount", "GET", "/accounts/{accountId}")
        .with_rate_limit(RateLimitLabel::Light)
};
pub const CREATE_ACCOUNT: OperationMeta = OperationMeta::new("createAccount", "POST", "/accounts")
    .with_rate_limit(RateLimitLabel::Medium);

/// Short waits everywhere, so the suite stays fast.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        deadline: Duration::from_secs(5),
        retry_non_idempotent: false,
    }
}

pub fn s2s_builder(server: &ScriptedServer) -> RuntimeBuilder {
    let mut builder = Runtime::builder();
    builder
        .with_credentials(Credentials::server_to_server(
            "account-1",
            "client-id",
            CLIENT_SECRET,
        ))
        .with_api_base_url(format!("{}/v2", server.url()))
        .with_oauth_base_url(server.url())
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(quick_retries());
    builder
}

pub fn bearer_builder(base: &str) -> RuntimeBuilder {
    let mut builder = Runtime::builder();
    builder
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{base}/v2"))
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(quick_retries());
    builder
}

pub fn request(runtime: &Runtime, method: Method, path: &str) -> reqwest::Request {
    let url = format!("{}{path}", runtime.base_url());
    match runtime
        .http_client()
        .request(method, &url)
        .body("{}")
        .build()
    {
        Ok(request) => request,
        Err(e) => panic!("cannot build a request for {url}: {e}"),
    }
}
