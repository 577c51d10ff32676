//! The generated `mock` module against the generated client: every kind
//! of expectation a user's test sets, over 127.0.0.1. Each test is bounded
//! by `within` (and the mock client's 5 s request timeout).

use std::future::Future;
use std::time::Duration;

use futures_util::TryStreamExt;
use zoom_accounts::mock::MockServer;
use zoom_accounts::prelude::*;
use zoom_accounts::types::{
    CreateRoleBody, CreateRoleResponse, DashboardMeetingsResponse,
    DashboardMeetingsResponseMeetingsItem, RolesResponse, RolesResponseRolesItem,
};
use zoom_accounts::{ErrorKind, file_part_from_bytes};

async fn within<F: Future>(test: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the test took longer than 20 s")
}

/// The example of an operation's `200` response in the crate's spec.
fn spec_example<T: serde::de::DeserializeOwned>(path: &str, method: &str) -> T {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/zoom-accounts.yaml"
    ))
    .unwrap();
    let spec: serde_json::Value = serde_yaml::from_str(&spec).unwrap();
    let example =
        &spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["example"];
    assert!(!example.is_null(), "no example at {method} {path}");
    serde_json::from_value(example.clone()).unwrap()
}

#[tokio::test]
async fn a_get_with_path_and_query_parameters_gets_the_typed_answer() {
    within(async {
        let mock = MockServer::start().await;
        let page = RolesResponse::default()
            .with_roles([RolesResponseRolesItem::default()
                .with_id("2")
                .with_name("Admin")])
            .with_total_records(1);
        mock.roles()
            .account_id("me")
            .type_("common")
            .respond(page.clone())
            .times(1)
            .mount()
            .await;
        let client = mock.client();
        let got = client
            .roles()
            .account_id("me")
            .type_("common")
            .send()
            .await
            .unwrap();
        assert_eq!(got.into_inner(), page);
        mock.verify().await;
    })
    .await
}

#[tokio::test]
async fn the_default_answer_is_the_spec_example() {
    within(async {
        let mock = MockServer::start().await;
        mock.roles().mount().await;
        mock.role_member_delete().mount().await;
        let client = mock.client();
        let roles = client.roles().account_id("me").send().await.unwrap();
        assert_eq!(
            roles.into_inner(),
            spec_example("/accounts/{accountId}/roles", "get")
        );
        // A 204 has no body and no example: answered empty.
        let deleted = client
            .role_member_delete()
            .account_id("me")
            .role_id("2")
            .member_id("u1")
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 204);
    })
    .await
}

#[tokio::test]
async fn a_body_matches_as_json_and_a_mismatch_is_a_404_and_reported() {
    within(async {
        let mock = MockServer::start().await;
        let body = CreateRoleBody::default()
            .with_name("Auditor")
            .with_privileges(["User:Read".to_string()]);
        mock.create_role()
            .account_id("me")
            .body(body.clone())
            .respond(
                CreateRoleResponse::default()
                    .with_id("7")
                    .with_name("Auditor"),
            )
            .times(1)
            .mount()
            .await;
        let client = mock.client();
        let created = client
            .create_role()
            .account_id("me")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(created.id.as_deref(), Some("7"));

        // Another body matches no expectation: the client sees a 404 whose
        // message names the request, and the server reports it.
        let other = CreateRoleBody::default().with_name("Someone else");
        let err = client
            .create_role()
            .account_id("me")
            .body(other)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(404), "{err}");
        assert!(matches!(err.kind(), ErrorKind::Api(_)), "{err}");
        assert!(
            err.zoom_message()
                .unwrap_or_default()
                .contains("no expectation"),
            "{err}"
        );
        let unmatched = mock.take_unmatched_requests();
        assert_eq!(unmatched.len(), 1, "{unmatched:?}");
        assert!(
            unmatched[0].starts_with("POST /v2/accounts/me/roles body ")
                && unmatched[0].contains("Someone else"),
            "{unmatched:?}"
        );
        mock.verify().await;
    })
    .await
}

#[tokio::test]
async fn a_typed_error_and_a_rate_limit_reach_the_callers_error_handling() {
    within(async {
        let mock = MockServer::start().await;
        mock.create_role()
            .respond_error(400, 1224, "Role name Auditor has already been used.")
            .times(1)
            .mount()
            .await;
        mock.roles()
            .respond_rate_limited(Duration::from_secs(3))
            .times(1)
            .mount()
            .await;
        let client = mock.client();
        let err = client
            .create_role()
            .account_id("me")
            .body(CreateRoleBody::default().with_name("Auditor"))
            .send()
            .await
            .unwrap_err();
        assert_eq!((err.status(), err.code()), (Some(400), Some(1224)));
        // The spec documents code 1224 for createRole's 400.
        assert!(err.documented().is_some(), "{err}");

        let err = client.roles().account_id("me").send().await.unwrap_err();
        assert!(err.is_rate_limited(), "{err}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(err.attempts(), 1, "the mock client does not retry");
    })
    .await
}

#[tokio::test]
async fn a_stream_reads_two_pages_set_up_in_order() {
    within(async {
        let mock = MockServer::start().await;
        let meeting = |id: i64| DashboardMeetingsResponseMeetingsItem::default().with_id(id);
        mock.dashboard_meetings()
            .account_id("me")
            .respond(
                DashboardMeetingsResponse::default()
                    .with_meetings([meeting(1), meeting(2)])
                    .with_next_page_token("page-2"),
            )
            .times(1)
            .mount()
            .await;
        mock.dashboard_meetings()
            .account_id("me")
            .next_page_token("page-2")
            .respond(DashboardMeetingsResponse::default().with_meetings([meeting(3)]))
            .times(1)
            .mount()
            .await;
        let client = mock.client();
        let ids: Vec<Option<i64>> = client
            .dashboard_meetings()
            .account_id("me")
            .from("2026-10-01")
            .to("2026-10-31")
            .stream()
            .map_ok(|m| m.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, [Some(1), Some(2), Some(3)]);
        mock.verify().await;
    })
    .await
}

#[tokio::test]
async fn the_example_of_a_paginated_operation_is_a_last_page() {
    within(async {
        let mock = MockServer::start().await;
        mock.dashboard_meetings().times(1).mount().await;
        let client = mock.client();
        let meetings: Vec<_> = client
            .dashboard_meetings()
            .account_id("me")
            .from("2022-04-01")
            .to("2022-04-07")
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(meetings.len(), 1, "the spec's example has one meeting");
    })
    .await
}

#[tokio::test]
async fn a_multipart_upload_is_matched_by_path_and_form_part() {
    within(async {
        let mock = MockServer::start().await;
        mock.upload_vb()
            .account_id("me")
            .with_form_part("file")
            .times(1)
            .mount()
            .await;
        let client = mock.client();
        let part = file_part_from_bytes(b"\x89PNG...".to_vec(), "bg.png", "image/png").unwrap();
        let uploaded = client
            .upload_vb()
            .account_id("me")
            .file(part)
            .send()
            .await
            .unwrap();
        // The spec's example of uploadVB's 201 response.
        assert_eq!(uploaded.status(), 201);
        assert_eq!(uploaded.name.as_deref(), Some("profile.PNG"));
        mock.verify().await;
    })
    .await
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_expected_call_that_never_came_fails_the_test() {
    let mock = MockServer::start().await;
    mock.roles().account_id("me").times(1).mount().await;
    mock.verify().await;
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_unmet_expectation_fails_the_test_when_the_server_drops() {
    let mock = MockServer::start().await;
    mock.roles()
        .account_id("me")
        .respond_empty(200)
        .mount()
        .await;
    // Another account's roles: answered 404 and taken from the report, so
    // only the unmet expectation is left for the drop.
    let _ = mock.client().roles().account_id("other").send().await;
    assert_eq!(mock.take_unmatched_requests().len(), 1);
}

#[tokio::test]
#[should_panic(expected = "no expectation matched")]
async fn a_request_no_expectation_matched_fails_the_test_on_drop() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let _ = client.roles().account_id("me").send().await;
}
