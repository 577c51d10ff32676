//! What the fixture classes promise at run time, through the clients
//! `build.rs` generates: collision-free names keep the values and property
//! names the API writes, formats become the types the README table of
//! `codegen/src/lower/formats.rs` names, recursive types decode, and a page
//! stream follows a token the response declares required. (That every
//! fixture's client compiles is this crate's build.)

use zoom_api_compile_check::{formats, member_collisions, pagination, recursive};
use zoom_test_server::{Reply, ScriptedServer, bounded};

#[test]
fn colliding_variants_keep_their_values_and_the_catch_all_its_name() {
    use member_collisions::types::DeviceStatus;
    let cases = [
        ("Unknown", DeviceStatus::Unknown2),
        ("online", DeviceStatus::Online2),
        ("Online", DeviceStatus::Online),
        ("a b", DeviceStatus::AB),
        ("a_b", DeviceStatus::AB2),
        ("self", DeviceStatus::Self_),
        ("Self", DeviceStatus::Self2),
        ("", DeviceStatus::X),
        ("-", DeviceStatus::X2),
        ("x", DeviceStatus::X3),
    ];
    for (wire, variant) in cases {
        assert_eq!(DeviceStatus::from(wire), variant, "{wire:?}");
        assert_eq!(variant.as_str(), wire);
        let json = serde_json::to_string(&variant).unwrap();
        assert_eq!(json, serde_json::to_string(wire).unwrap());
        assert_eq!(
            serde_json::from_str::<DeviceStatus>(&json).unwrap(),
            variant
        );
    }
    assert_eq!(
        DeviceStatus::from("added later"),
        DeviceStatus::Unknown("added later".into())
    );
}

#[test]
fn colliding_fields_keep_their_property_names() {
    let body = serde_json::json!({
        "foo-bar": "dash", "foo_bar": 7, "type": "t", "type_": "t_",
        "self": "s", "Self": true, "status": "a_b"
    });
    let device: member_collisions::types::Device = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(device.foo_bar_2, "dash");
    assert_eq!(device.foo_bar, Some(7));
    assert_eq!(device.type_2.as_deref(), Some("t"));
    assert_eq!(device.type_.as_deref(), Some("t_"));
    assert_eq!(device.self_.as_deref(), Some("s"));
    assert_eq!(device.self_2, Some(true));
    assert_eq!(serde_json::to_value(&device).unwrap(), body);
}

#[tokio::test]
async fn colliding_parameters_get_their_own_setters_and_keep_their_names_on_the_wire() {
    use member_collisions::prelude::*;
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/hubs/", [Reply::status(204)]);
        member_collisions_client(&server)
            .list_hub_events()
            .client_2("h1")
            .send_2("s")
            .self_("lower")
            .self_2("upper")
            .page_size_2("header")
            .page_size(5)
            .send()
            .await
            .unwrap();
        let request = &server.requests_to("/hubs/")[0];
        assert_eq!(request.path(), "/hubs/h1/events");
        for pair in ["send=s", "self=lower", "Self=upper", "page_size=5"] {
            assert!(
                request.target.contains(pair),
                "{pair} in {}",
                request.target
            );
        }
        assert_eq!(request.header("page-size"), Some("header"));
    })
    .await;
}

fn member_collisions_client(server: &ScriptedServer) -> member_collisions::Client {
    let runtime = zoom_api_runtime::Runtime::builder()
        .with_credentials(zoom_api_runtime::Credentials::bearer_token("token"))
        .with_api_base_url(server.url())
        .build()
        .unwrap();
    member_collisions::Client::new(&server.url(), runtime)
}

#[test]
fn formats_become_the_documented_types() {
    let body = serde_json::json!({
        "uuid": "aDYlohsHRtCd4ii1uC2+hA==",
        "start_time": "2026-01-02T03:04:05Z",
        "day": "2026-01-02",
        "host_ip": "10.0.0.1",
        "participants": 3,
        "cost": 12,
        "rating": 4.5,
        "settings": {"mode": "m"},
        "anything": {"free": "form"},
        "region": "EU",
        "code": 4,
        "mixed": "one",
        "languages": ["Klingon"]
    });
    let meeting: formats::types::GetPastMeetingResponse = serde_json::from_value(body).unwrap();
    // `uuid` is text: Zoom's meeting UUIDs are not RFC 4122.
    let uuid: Option<String> = meeting.uuid;
    assert_eq!(uuid.as_deref(), Some("aDYlohsHRtCd4ii1uC2+hA=="));
    let start: Option<chrono::DateTime<chrono::Utc>> = meeting.start_time;
    assert_eq!(start.map(|t| t.timestamp()), Some(1_767_323_045));
    let day: Option<chrono::NaiveDate> = meeting.day;
    assert_eq!(day.map(|d| d.to_string()).as_deref(), Some("2026-01-02"));
    let ip: Option<std::net::Ipv4Addr> = meeting.host_ip;
    assert_eq!(ip, Some(std::net::Ipv4Addr::new(10, 0, 0, 1)));
    let participants: Option<std::num::NonZeroU64> = meeting.participants;
    assert_eq!(participants.map(u64::from), Some(3));
    // Formats that mean nothing for their type leave the plain type.
    let cost: Option<i64> = meeting.cost;
    let rating: Option<f64> = meeting.rating;
    assert_eq!((cost, rating), (Some(12), Some(4.5)));
    // Untyped enums: typed by their values (open), or any JSON value.
    assert_eq!(
        meeting.region,
        Some(formats::types::GetPastMeetingResponseRegion::Eu)
    );
    assert_eq!(meeting.code, Some(4));
    assert_eq!(meeting.mixed, Some(serde_json::json!("one")));
    // An enum of strings written on the array: any strings decode.
    assert_eq!(meeting.languages, ["Klingon"]);
}

#[test]
fn recursive_types_decode_and_encode() {
    let body = serde_json::json!({
        "text": "a",
        "replies": {"first": {"text": "b", "replies": {"first": {"text": "c"}}}, "more": [{"text": "d"}]}
    });
    let thread: recursive::types::Comment = serde_json::from_value(body.clone()).unwrap();
    let replies = thread.replies.as_ref().unwrap();
    assert_eq!(replies.first.text.as_deref(), Some("b"));
    assert_eq!(
        replies
            .first
            .replies
            .as_ref()
            .unwrap()
            .first
            .text
            .as_deref(),
        Some("c")
    );
    assert_eq!(serde_json::to_value(&thread).unwrap(), body);
    let tree: recursive::types::Folder = serde_json::from_value(serde_json::json!({
        "name": "root",
        "children": [{"name": "a", "children": [{"name": "a1"}]}],
        "parent": {"name": "above"}
    }))
    .unwrap();
    assert_eq!(tree.children[0].children[0].name, "a1");
    assert_eq!(tree.parent.map(|p| p.name).as_deref(), Some("above"));
}

#[tokio::test]
async fn a_stream_follows_a_required_token_until_it_is_empty() {
    use futures_util::TryStreamExt;
    use pagination::prelude::*;
    bounded(async {
        let server = ScriptedServer::start().await;
        let page = |ids: &[&str], next: &str| {
            let channels: Vec<_> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
            let body = serde_json::json!({"channels": channels, "next_page_token": next});
            Reply::json(200, &body.to_string())
        };
        server.script("/channels", [page(&["a", "b"], "t2"), page(&["c"], "")]);
        let runtime = zoom_api_runtime::Runtime::builder()
            .with_credentials(zoom_api_runtime::Credentials::bearer_token("token"))
            .with_api_base_url(server.url())
            .build()
            .unwrap();
        let client = pagination::Client::new(&server.url(), runtime);
        let ids: Vec<String> = client
            .list_channels()
            .stream()
            .map_ok(|channel| channel.id.unwrap_or_default())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(server.hits("/channels"), 2);
    })
    .await;
}

/// mock_31: a body with no example has no default answer (mounting says
/// so), and the defaults that exist answer: the schema's example, the
/// first `examples` entry, a 204.
mod mock_defaults {
    use zoom_api_compile_check::mock_31;
    use zoom_api_compile_check::mock_31::prelude::*;

    #[tokio::test]
    #[should_panic(
        expected = "mock of `getReport`: the spec has no JSON example of its 200 response"
    )]
    async fn a_body_without_an_example_must_be_given() {
        let mock = mock_31::mock::MockServer::start().await;
        mock.get_report().mount().await;
    }

    #[tokio::test]
    async fn the_examples_the_spec_has_are_the_answers() {
        let mock = mock_31::mock::MockServer::start().await;
        mock.get_item().item_id(3).times(1).mount().await;
        mock.create_item().times(1).mount().await;
        mock.delete_item().item_id(3).times(1).mount().await;
        let client = mock.client();
        let item = client.get_item().item_id(3).send().await.unwrap();
        assert_eq!(item.id.as_deref(), Some("i3"));
        let created = client
            .create_item()
            .account_id("me")
            .body(mock_31::types::Item::default())
            .send()
            .await
            .unwrap();
        assert_eq!(
            (created.status().as_u16(), created.name.as_deref()),
            (201, Some("Second"))
        );
        let deleted = client.delete_item().item_id(3).send().await.unwrap();
        assert_eq!(deleted.status(), 204);
        mock.verify().await;
    }
}
