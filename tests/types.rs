//! The generated types decode what Zoom sends, including what a newer
//! revision of the API sends: unknown enum values are kept, unknown fields
//! kept, absent values stay absent, and the all-optional "One of" bodies
//! keep every field through a decode/encode round trip. (`records.rs` tests
//! the shape of every struct on a fixture and on every example.)

use serde_json::json;
use zoom_accounts::metadata::{OPERATIONS, RateLimitLabel, by_operation_id};
use zoom_accounts::types::{
    AccountSettingsResponse, ConnectionType, DashboardMeetingsResponse, DashboardWebinarsResponse,
    GetAccountLockSettingsResponse,
};

#[test]
fn string_enums_keep_unknown_values() {
    let known: ConnectionType = serde_json::from_value(json!("Reliable UDP")).unwrap();
    assert_eq!(known, ConnectionType::ReliableUdp);
    let unknown: ConnectionType = serde_json::from_value(json!("QUIC")).unwrap();
    assert_eq!(unknown, ConnectionType::Unknown("QUIC".into()));
    // Kept as sent, so it goes back out unchanged.
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("QUIC"));
    assert_eq!(unknown.as_str(), "QUIC");
    assert_eq!("UDP".parse::<ConnectionType>(), Ok(ConnectionType::Udp));
}

#[test]
fn absent_values_stay_absent_and_unknown_fields_are_kept() {
    // page_size documents a default of 30; the client must not invent it.
    let sent = json!({"total_records": 0, "added_later": {"x": 1}});
    let page: DashboardMeetingsResponse = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(page.page_size, None);
    assert_eq!(page.total_records, Some(0));
    assert!(page.next_page_token.is_none());
    assert_eq!(page.unknown_fields()["added_later"], json!({"x": 1}));
    assert_eq!(serde_json::to_value(&page).unwrap(), sent);
}

#[test]
fn dashboard_list_answers_echo_from_and_to_in_either_documented_form() {
    // Zoom echoes the request's range "in 'yyyy-MM-dd HH:mm:ss' or
    // 'yyyy-MM-dd' format"; neither may fail the page (spec/README.md).
    for (from, to) in [
        ("2026-10-01", "2026-10-31"),
        ("2026-10-01 00:00:00", "2026-10-31 23:59:59"),
    ] {
        let page: DashboardMeetingsResponse = serde_json::from_value(json!({
            "from": from, "to": to, "meetings": [{"uuid": "m1"}], "next_page_token": ""
        }))
        .unwrap();
        assert_eq!(
            (page.from.as_deref(), page.to.as_deref()),
            (Some(from), Some(to))
        );
        assert_eq!(page.meetings.len(), 1);
        let page: DashboardWebinarsResponse =
            serde_json::from_value(json!({"from": from, "to": to})).unwrap();
        assert_eq!(page.from.as_deref(), Some(from));
    }
}

#[test]
fn one_of_settings_keep_every_field_through_a_round_trip() {
    // Fields of two different "One of" alternatives in one body: an untagged
    // enum would decode the first alternative and drop the rest.
    let body = json!({
        "meeting_security": {"auto_security": true, "block_user_domain_list": ["example.com"]},
        "in_session": {"p2p_connetion": true},
        "schedule_meeting": {"host_video": false}
    });
    let settings: AccountSettingsResponse = serde_json::from_value(body.clone()).unwrap();
    let security = settings
        .meeting_security
        .as_ref()
        .expect("meeting_security kept");
    assert_eq!(security.auto_security, Some(true));
    let back = serde_json::to_value(&settings).unwrap();
    assert_eq!(back["meeting_security"], body["meeting_security"]);
    assert_eq!(back["schedule_meeting"], body["schedule_meeting"]);

    let locked: GetAccountLockSettingsResponse =
        serde_json::from_value(json!({"meeting_security": {"auto_security": true}})).unwrap();
    assert_eq!(
        serde_json::to_value(&locked).unwrap(),
        json!({"meeting_security": {"auto_security": true}})
    );
}

#[test]
fn metadata_describes_all_sixty_operations() {
    assert_eq!(OPERATIONS.len(), 60);
    assert!(OPERATIONS.iter().all(|op| op.rate_limit.is_some()));
    let list = by_operation_id("accounts").expect("GET /accounts");
    assert_eq!((list.method, list.path), ("GET", "/accounts"));
    assert_eq!(list.rate_limit, Some(RateLimitLabel::Medium));
    assert_eq!(list.scopes, ["account:master"]);
    assert!(list.paginated);
    let create = by_operation_id("accountCreate").expect("POST /accounts");
    assert!(
        create
            .error_codes
            .iter()
            .any(|e| e.status == 400 && e.code == 1107)
    );
    let scopes = zoom_accounts::runtime::required_scopes([list, create]);
    assert!(scopes.contains("account:master"));
}
