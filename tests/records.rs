//! The shape of every generated struct (a "record", see
//! `codegen/src/emit/rewrite/records.rs` and the README's "Compatibility"):
//! built with `new`/`Default` and `with_*` setters whose names cannot
//! collide; nothing the server sends is lost on a decode/encode round trip
//! (undeclared fields kept, `null` and `[]` kept apart from absent);
//! tolerant only where Zoom is inconsistent (booleans as `"true"`/`"false"`,
//! integers as strings of digits).
//!
//! Two clients: the one `build.rs` generates from the codegen fixture
//! `records_31.yaml` (property names chosen to collide), and the crate
//! itself, checked against every response example of the spec.

use serde_json::{Value, json};

#[allow(dead_code, unused_imports, clippy::all)]
mod fixture {
    include!(concat!(env!("OUT_DIR"), "/records/mod.rs"));
    // Generated as every fixture is, with the runtime crate; these tests
    // only build requests, so the hooks' defaults do.
    impl ::progenitor_client::ClientHooks<::zoom_api_runtime::Runtime> for Client {}
}

use fixture::types::{ListWidgetsResponse, Widget, WidgetCounts, WidgetExtra, WidgetType};

#[test]
fn setters_constructor_fields_and_accessors_do_not_collide() {
    // `x` and `with_x`, `new`, `default`, `unknown_fields(_mut)` as
    // properties: each field has its `with_<field>` setter, and the
    // record's own methods are still there.
    let mut widget = Widget::new("w1", 3)
        .with_x(1)
        .with_with_x(2)
        .with_new("fresh")
        .with_default(true)
        .with_unknown_fields(vec!["a".to_string()])
        .with_unknown_fields_mut("m")
        .with_type_(WidgetType::Round)
        .with_self_("me")
        .with_extra(WidgetExtra::default().with_a(7))
        .with_small(9u8);
    widget.ratio = Some(0.5);
    widget
        .unknown_fields_mut()
        .insert("later".into(), json!(true));
    assert_eq!(widget.unknown_fields, ["a"]);
    assert_eq!(widget.unknown_fields().get("later"), Some(&json!(true)));
    assert_eq!(
        serde_json::to_value(&widget).unwrap(),
        json!({
            "default": true, "extra": {"a": 7}, "id": "w1", "new": "fresh", "ratio": 0.5,
            "self": "me", "size": 3, "small": 9, "type": "round", "unknown_fields": ["a"],
            "unknown_fields_mut": "m", "with_x": 2, "x": 1, "later": true
        })
    );
    // All-optional records are `Default`.
    let page = ListWidgetsResponse::default().with_widgets([widget.clone()]);
    assert_eq!(page.widgets, [widget]);
}

#[test]
fn a_declared_field_wins_over_an_undeclared_one_of_the_same_name() {
    let mut widget = Widget::new("w1", 3);
    widget
        .unknown_fields_mut()
        .insert("id".into(), json!("other"));
    assert_eq!(
        serde_json::to_value(&widget).unwrap(),
        json!({"id": "w1", "size": 3})
    );
}

/// Adds an undeclared field to every object under `value`.
fn inject_unknown_fields(value: &mut Value, depth: usize) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                inject_unknown_fields(child, depth + 1);
            }
            map.insert(
                format!("zz_added_at_depth_{depth}"),
                json!({"nested": [1, "two", null, {"deep": false}], "empty": [], "nothing": null}),
            );
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| inject_unknown_fields(item, depth + 1)),
        _ => {}
    }
}

/// `a` and `b` are the same JSON up to key order and the scalar forms a
/// typed value writes back (a number by value, `1.0` for `1`; a date-time
/// by instant); the first difference as a JSON pointer.
fn same_json(a: &Value, b: &Value, at: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let at = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(x), Some(y)) => same_json(x, y, &at)?,
                    (x, y) => return Err(format!("{at}: {x:?} vs {y:?}")),
                }
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (x, y))| same_json(x, y, &format!("{at}/{i}"))),
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        (Value::String(x), Value::String(y))
            if x == y
                || matches!(
                    (
                        chrono::DateTime::parse_from_rfc3339(x),
                        chrono::DateTime::parse_from_rfc3339(y)
                    ),
                    (Ok(x), Ok(y)) if x == y
                ) =>
        {
            Ok(())
        }
        (x, y) if x == y => Ok(()),
        (x, y) => Err(format!("{at}: {x} vs {y}")),
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    sent: &Value,
) -> Result<(), String> {
    let text = serde_json::to_string(sent).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_str(&text).map_err(|e| format!("decode: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("encode: {e}"))?;
    same_json(sent, &back, "")
}

#[test]
fn nothing_sent_is_lost_on_a_round_trip() {
    let mut sent = json!({
        "next_page_token": "",
        "page_number": null,
        "widgets": [
            {"id": "w1", "size": 1, "tags": [], "flag": null, "counts": {"total": 2, "red": 1}},
            {"id": "w2", "size": 2, "extra": {}, "unknown_fields": ["kept"], "type": "hexagonal"},
            {"id": "w3", "size": 3, "tags": ["a"], "new": null, "ratio": 1.5}
        ]
    });
    round_trip::<ListWidgetsResponse>(&sent).unwrap();
    inject_unknown_fields(&mut sent, 0);
    round_trip::<ListWidgetsResponse>(&sent).unwrap();

    let page: ListWidgetsResponse = serde_json::from_value(sent).unwrap();
    let first = &page.widgets[0];
    // `null` and `[]` decode as the field's empty value and are written
    // back as they came; an undeclared field's value is the JSON sent.
    assert_eq!((first.flag, first.tags.len()), (None, 0));
    assert_eq!(
        first.counts.as_ref().unwrap().unknown_fields()["red"],
        json!(1)
    );
    assert_eq!(
        page.widgets[1].type_,
        Some(WidgetType::Unknown("hexagonal".into()))
    );
    assert_eq!(
        page.unknown_fields()["zz_added_at_depth_0"]["nested"][3],
        json!({"deep": false})
    );
    // Equality compares values, not whether a `None` arrived as `null`.
    let absent: WidgetCounts = serde_json::from_value(json!({})).unwrap();
    let null: WidgetCounts = serde_json::from_value(json!({"total": null})).unwrap();
    assert_eq!(absent, null);
    assert_eq!(serde_json::to_value(&null).unwrap(), json!({"total": null}));
    assert_eq!(serde_json::to_value(&absent).unwrap(), json!({}));
    // Debug shows undeclared fields only when there are some.
    assert_eq!(format!("{absent:?}"), "WidgetCounts { total: None }");
    let counts: WidgetCounts = serde_json::from_value(json!({"red": 1})).unwrap();
    assert_eq!(
        format!("{counts:?}"),
        "WidgetCounts { total: None, unknown_fields: {\"red\": Number(1)} }"
    );
}

#[test]
fn booleans_and_integers_also_arrive_as_strings_and_nothing_else_loosens() {
    let widget: Widget = serde_json::from_value(json!({
        "id": "w", "size": "-12", "default": "false", "flag": "true", "big": "9007199254740993",
        "small": "255", "x": 4
    }))
    .unwrap();
    assert_eq!(
        (
            widget.size,
            widget.default,
            widget.flag,
            widget.big,
            widget.small
        ),
        (
            -12,
            Some(false),
            Some(true),
            Some(9_007_199_254_740_993),
            Some(255)
        )
    );
    // Written back as the schema's type.
    let back = serde_json::to_value(&widget).unwrap();
    assert_eq!(
        (
            &back["size"],
            &back["default"],
            &back["big"],
            &back["small"]
        ),
        (
            &json!(-12),
            &json!(false),
            &json!(9_007_199_254_740_993i64),
            &json!(255)
        )
    );
    for (field, value, why) in [
        ("small", json!("256"), "out of range for u8"),
        ("small", json!(-1), "out of range for u8"),
        ("size", json!("2147483648"), "out of range for i32"),
        ("size", json!("1.5"), "not an integer"),
        ("size", json!(" 1"), "not only digits"),
        ("size", json!(""), "empty"),
        ("size", json!(1.5), "a float"),
        ("size", json!(true), "a boolean"),
        ("default", json!("yes"), "not true/false"),
        ("default", json!("False"), "not lower case"),
        ("default", json!(1), "a number"),
        ("id", json!(5), "a number for a string"),
        ("ratio", json!("0.5"), "numbers stay strict"),
        ("tags", json!("a"), "a string for a list"),
        ("tags", json!(null), "null for a list"),
    ] {
        let mut body = json!({"id": "w", "size": 1});
        body[field] = value.clone();
        let result = serde_json::from_value::<Widget>(body);
        assert!(result.is_err(), "{field} = {value} ({why}) decoded");
    }
    let missing = serde_json::from_value::<Widget>(json!({"id": "w"})).unwrap_err();
    assert_eq!(missing.to_string(), "missing field `size`");
    let twice = serde_json::from_str::<Widget>(r#"{"id": "w", "size": 1, "size": 2}"#).unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `size`"),
        "{twice}"
    );
}

#[test]
fn deprecated_items_still_work() {
    // The fixture marks `legacy`, `page_number` (field and query parameter)
    // and `deleteWidget` deprecated; using them warns, and works.
    #[allow(deprecated)]
    {
        let widget = Widget::new("w", 1).with_legacy("old");
        assert_eq!(widget.legacy.as_deref(), Some("old"));
        let page: ListWidgetsResponse = serde_json::from_value(json!({"page_number": 2})).unwrap();
        assert_eq!(page.page_number, Some(2));
        use fixture::prelude::*;
        let runtime = zoom_api_runtime::Runtime::builder()
            .with_credentials(zoom_api_runtime::Credentials::bearer_token("token"))
            .with_api_base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let client = fixture::Client::new("http://127.0.0.1:9", runtime);
        let _ = client.list_widgets().page_number(2).page_size(10);
        let _ = client.delete_widget().widget_id("w");
    }
}

/// Every operation of the crate whose 200/201 JSON response has an example
/// in the spec, with the type `send()` decodes it into.
macro_rules! example_cases {
    ($(($id:literal, $ty:ty),)*) => {
        const EXAMPLE_OPERATIONS: &[&str] = &[$($id),*];
        fn check_example(operation_id: &str, example: &Value) -> Result<(), String> {
            match operation_id {
                $($id => round_trip::<$ty>(example),)*
                other => Err(format!("{other} is not in example_cases!")),
            }
        }
    };
}

use zoom_accounts::types;

example_cases! {
    ("accounts", types::AccountsResponse),
    ("accountCreate", types::AccountCreateResponse),
    ("GetSubAccountDetails", types::GetSubAccountDetailsResponse),
    ("InformationBarriersList", types::InformationBarriersListResponse),
    ("InformationBarriersCreate", types::InformationBarrierPolicy),
    ("InformationBarriersGet", types::InformationBarrierPolicy),
    ("getAccountLockSettings", types::GetAccountLockSettingsResponse),
    ("accountManagedDomain", types::AccountManagedDomainResponse),
    ("dashboardChat", types::DashboardChatResponse),
    ("dashboardClientFeedback", types::DashboardClientFeedbackResponse),
    ("dashboardClientFeedbackDetail", types::DashboardClientFeedbackDetailResponse),
    ("listMeetingSatisfaction", types::ListMeetingSatisfactionResponse),
    ("getClientVersions", types::GetClientVersionsResponse),
    ("dashboardCRC", types::DashboardCrcResponse),
    ("dashboardIssueZoomRoom", types::DashboardIssueZoomRoomResponse),
    ("dashboardIssueDetailZoomRoom", types::DashboardIssueDetailZoomRoomResponse),
    ("dashboardMeetings", types::DashboardMeetingsResponse),
    ("dashboardMeetingDetail", types::DashboardMeetingDetailResponse),
    ("dashboardMeetingParticipants", types::DashboardMeetingParticipantsResponse),
    ("dashboardMeetingParticipantsQOS", types::DashboardMeetingParticipantsQosResponse),
    ("participantFeedback", types::FeedbackResponse),
    ("dashboardMeetingParticipantShare", types::ParticipantShareList),
    ("dashboardMeetingParticipantQOS", types::DashboardMeetingParticipantQosResponse),
    ("dashboardQuality", types::DashboardQualityResponse),
    ("dashboardWebinars", types::DashboardWebinarsResponse),
    ("dashboardWebinarDetail", types::DashboardWebinarDetailResponse),
    ("dashboardWebinarParticipants", types::DashboardWebinarParticipantsResponse),
    ("dashboardWebinarParticipantsQOS", types::DashboardWebinarParticipantsQosResponse),
    ("participantWebinarFeedback", types::FeedbackResponse),
    ("dashboardWebinarParticipantShare", types::ParticipantShareList),
    ("dashboardWebinarParticipantQOS", types::DashboardWebinarParticipantQosResponse),
    ("dashboardZoomRooms", types::DashboardZoomRoomsResponse),
    ("dashboardZoomRoomIssue", types::DashboardZoomRoomIssueResponse),
    ("dashboardZoomRoom", types::DashboardZoomRoomResponse),
    ("roles", types::RolesResponse),
    ("createRole", types::CreateRoleResponse),
    ("getRoleInformation", types::GetRoleInformationResponse),
    // Its example is `{}`, so the derived schema is an object of no known fields.
    ("updateRole", serde_json::Map<String, Value>),
    ("roleMembers", types::RoleMembersResponse),
    ("AddRoleMembers", types::AddRoleMembersResponse),
    ("accountSettings", types::AccountSettingsResponse),
    ("accountSettingsRegistration", types::WebinarRegistrationSettings),
    ("uploadVB", types::AccountSettingsResponseInMeetingVirtualBackgroundSettingsFilesItem),
    ("getAccountSurveys", types::GetAccountSurveysResponse),
    ("getChannelSurveyInstances", types::GetChannelSurveyInstancesResponse),
    ("getSurveyInfo", types::GetSurveyInfoResponse),
    ("getSurveyAnswers", types::GetSurveyAnswersResponse),
    ("getSurveyInstancesInfo", types::GetSurveyInstancesInfoResponse),
    ("accountTrustedDomain", types::AccountTrustedDomainResponse),
}

/// (operation id, JSON pointer, example) of every success response example.
fn spec_examples() -> Vec<(String, String, Value)> {
    let spec = zoom_accounts_tests::load_spec();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let example = &response["content"]["application/json"]["example"];
                if status.starts_with('2') && !example.is_null() {
                    let pointer = format!(
                        "/paths/{}/{method}/responses/{status}",
                        zoom_accounts_tests::pointer_escape(path)
                    );
                    out.push((id.to_string(), pointer, example.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_response_example_of_the_spec_round_trips_with_unknown_fields_at_every_level() {
    let examples = spec_examples();
    let mut ids: Vec<&str> = examples.iter().map(|(id, _, _)| id.as_str()).collect();
    ids.sort();
    let mut listed = EXAMPLE_OPERATIONS.to_vec();
    listed.sort();
    assert_eq!(
        ids, listed,
        "example_cases! must list every operation with an example"
    );
    let mut failures = Vec::new();
    for (id, pointer, example) in &examples {
        let mut with_unknown = example.clone();
        inject_unknown_fields(&mut with_unknown, 0);
        for (what, sent) in [
            ("as documented", example),
            ("with unknown fields", &with_unknown),
        ] {
            if let Err(e) = check_example(id, sent) {
                failures.push(format!("{id} ({pointer}), {what}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn zoom_s_survey_instances_answer_with_a_string_boolean_decodes() {
    // Zoom's published answer of GET /accounts/{accountId}/surveys/{surveyId}/instances
    // sends `"anonymous": "false"` where the reference says boolean.
    let sent = zoom_accounts_tests::load_repo_json("tests/fixtures/survey-instances-zoom.json");
    let page: types::GetSurveyInstancesInfoResponse = serde_json::from_value(sent.clone()).unwrap();
    let instance = &page.survey_instances[0];
    assert_eq!(instance.anonymous, Some(false));
    // Written back as the schema's type; everything else as it came.
    let mut expected = sent;
    expected["survey_instances"][0]["anonymous"] = json!(false);
    same_json(&expected, &serde_json::to_value(&page).unwrap(), "").unwrap();
}
