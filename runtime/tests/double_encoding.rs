//! Zoom's double URL-encoding through `Runtime::execute`: the scripted server
//! records the request line exactly as it arrived, so these tests see what
//! Zoom would see.

use std::time::Duration;

use zoom_api_runtime::reqwest::{self, Method};
use zoom_api_runtime::{Credentials, OperationMeta, RetryPolicy, Runtime};
use zoom_test_server::{Reply, ScriptedServer, bounded};

const MEETING_DETAIL: OperationMeta = OperationMeta::new(
    "dashboardMeetingDetail",
    "GET",
    "/accounts/{accountId}/metrics/meetings/{meetingId}",
);
const WEBINAR_PARTICIPANT_QOS: OperationMeta = OperationMeta::new(
    "dashboardWebinarParticipantQOS",
    "GET",
    "/accounts/{accountId}/metrics/webinars/{webinarId}/participants/{participantId}/qos",
);
const SURVEY_ANSWERS: OperationMeta = OperationMeta::new(
    "getSurveyAnswers",
    "GET",
    "/accounts/{accountId}/surveys/{surveyId}/answers",
);

fn runtime(server: &ScriptedServer) -> Runtime {
    Runtime::builder()
        .with_credentials(Credentials::bearer_token("fixed-token"))
        .with_api_base_url(format!("{}/v2", server.url()))
        .with_request_timeout(Duration::from_secs(5))
        .with_retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            deadline: Duration::from_secs(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// Sends a GET to `path_and_query` (already encoded once, as generated code
/// does) for `operation` and returns the request line the server received.
async fn request_line(
    server: &ScriptedServer,
    operation: &OperationMeta,
    path_and_query: &str,
) -> String {
    server.script("/v2", [Reply::json(200, "{}")]);
    let runtime = runtime(server);
    let url = format!("{}{path_and_query}", runtime.base_url());
    let request = runtime
        .http_client()
        .request(Method::GET, &url)
        .build()
        .unwrap();
    let before = server.requests().len();
    let response = runtime.execute(request, operation).await.unwrap();
    assert_eq!(response.status(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), before + 1);
    requests[before].request_line.clone()
}

#[tokio::test]
async fn meeting_uuid_that_begins_with_a_slash_is_encoded_twice() {
    bounded(async {
        let server = ScriptedServer::start().await;
        // progenitor's `encode_path("/abc==")` is `%2Fabc==`.
        let line = request_line(
            &server,
            &MEETING_DETAIL,
            "/accounts/me/metrics/meetings/%2Fabc==",
        )
        .await;
        assert_eq!(
            line,
            "GET /v2/accounts/me/metrics/meetings/%252Fabc== HTTP/1.1"
        );
    })
    .await;
}

#[tokio::test]
async fn uuid_that_holds_a_double_slash_is_encoded_twice_in_any_parameter() {
    bounded(async {
        let server = ScriptedServer::start().await;
        let line = request_line(
            &server,
            &WEBINAR_PARTICIPANT_QOS,
            "/accounts/me/metrics/webinars/ab%2F%2Fc==/participants/p%2F%2Fq/qos",
        )
        .await;
        assert_eq!(
            line,
            "GET /v2/accounts/me/metrics/webinars/ab%252F%252Fc==/participants/p%252F%252Fq/qos HTTP/1.1"
        );
    })
    .await;
}

#[tokio::test]
async fn plain_values_and_other_parts_of_the_url_are_untouched() {
    bounded(async {
        let server = ScriptedServer::start().await;
        for (sent, expected) in [
            (
                "/accounts/me/metrics/meetings/4pVq1SnBQqe6ITsCwyDPZQ==?type=past",
                "GET /v2/accounts/me/metrics/meetings/4pVq1SnBQqe6ITsCwyDPZQ==?type=past HTTP/1.1",
            ),
            // One slash inside a value is not Zoom's case.
            (
                "/accounts/me/metrics/meetings/a%2Fb==",
                "GET /v2/accounts/me/metrics/meetings/a%2Fb== HTTP/1.1",
            ),
            // Already double-encoded by the caller: not encoded a third time.
            (
                "/accounts/me/metrics/meetings/%252Fabc==",
                "GET /v2/accounts/me/metrics/meetings/%252Fabc== HTTP/1.1",
            ),
            // Only `instance_id` follows the rule in a query.
            (
                "/accounts/me/metrics/meetings/85746065432?next_page_token=%2F%2Fx",
                "GET /v2/accounts/me/metrics/meetings/85746065432?next_page_token=%2F%2Fx HTTP/1.1",
            ),
        ] {
            assert_eq!(request_line(&server, &MEETING_DETAIL, sent).await, expected);
        }
    })
    .await;
}

#[tokio::test]
async fn survey_instance_id_in_the_query_is_encoded_twice() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::json(200, "{}")]);
        let runtime = runtime(&server);
        // Built the way generated code builds queries (serde form encoding).
        let request = runtime
            .http_client()
            .get(format!("{}/accounts/me/surveys/s1/answers", runtime.base_url()))
            .query(&[("instance_id", "/iOTQZ+mh//Uq5a==" ), ("page_size", "10")])
            .build()
            .unwrap();
        runtime.execute(request, &SURVEY_ANSWERS).await.unwrap();
        assert_eq!(
            server.requests()[0].request_line,
            "GET /v2/accounts/me/surveys/s1/answers?instance_id=%252FiOTQZ%252Bmh%252F%252FUq5a%253D%253D&page_size=10 HTTP/1.1"
        );
    })
    .await;
}

#[tokio::test]
async fn a_retried_request_is_not_encoded_again() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/v2", [Reply::status(503), Reply::json(200, "{}")]);
        let runtime = runtime(&server);
        let request = runtime
            .http_client()
            .request(
                reqwest::Method::GET,
                format!(
                    "{}/accounts/me/metrics/meetings/%2Fabc==",
                    runtime.base_url()
                ),
            )
            .build()
            .unwrap();
        let response = runtime.execute(request, &MEETING_DETAIL).await.unwrap();
        assert_eq!(response.status(), 200);
        let lines: Vec<_> = server
            .requests()
            .into_iter()
            .map(|r| r.request_line)
            .collect();
        assert_eq!(
            lines,
            vec!["GET /v2/accounts/me/metrics/meetings/%252Fabc== HTTP/1.1"; 2]
        );
    })
    .await;
}
