//! Every operation of the generated client against Prism's mock of
//! `spec/zoom-accounts.yaml`.
//!
//! Prism (`@stoplight/prism-cli`, pinned in `package.json`) serves the spec
//! with `--errors`: it validates each request against the spec and answers
//! 400/422 when one is invalid, otherwise the documented success with its
//! example. So a 2xx answer here means the client sent what the spec
//! describes and could decode what the spec promises. Prism 5.14.2 reads the
//! spec's `openapi: 3.1.1` as it is; no rewritten copy is needed.
//!
//! [`CALLS`] lists each call the test makes with the operation it is for;
//! `the_call_table_covers_every_operation` checks that its operation ids are
//! exactly the spec's 60. Between client and Prism sits a small relay that
//! records each request line and Prism's raw answer, so the test also checks
//! that every call hit its own operation's method and path, and reads
//! Prism's findings however the client decodes the answer. Where Prism
//! refuses a valid call for a reason of the spec (see [`Expect`]), the test
//! asserts that reason: the status and exactly those findings.
//!
//! Without `node_modules/.bin/prism` the test cannot run: under CI (env `CI`
//! set) that is a failure; elsewhere it prints why it skipped, as
//! `tests/lint.rs` does.

use std::collections::BTreeSet;
use std::future::Future;
use std::io::Read;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;
use zoom_accounts::metadata::{OPERATIONS, by_method_name, by_operation_id};
use zoom_accounts::prelude::*;
use zoom_accounts::runtime::reqwest;
use zoom_accounts::types;
use zoom_accounts::{Credentials, Error, ResponseValue, RetryPolicy, file_part_from_bytes};
use zoom_accounts_tests::scripted_server::{Reply, ScriptedServer, bounded};
use zoom_accounts_tests::{SPEC_PATH, repo_path, workspace_root};

const PRISM_BIN: &str = "node_modules/.bin/prism";

/// Prism starts in a second or two; this is for a loaded machine.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);
/// The whole run, startup included.
const TEST_LIMIT: Duration = Duration::from_secs(240);

/// How a call is expected to come out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A 2xx answer, decoded into the operation's type (or `()` for an
    /// answer without a body).
    Success,
    /// Prism refuses the call with this status and exactly these findings
    /// (`code: message`; in any order, and Prism may repeat one), for a
    /// reason of the spec that the constant's comment gives.
    Refused {
        status: u16,
        findings: &'static [&'static str],
    },
}

/// The request body is a `oneOf` of objects whose properties are all
/// optional, so every object matches more than one alternative and "exactly
/// one" never holds: Prism refuses any body (spec/README.md, "Where the
/// reference text contradicts itself").
const BODY_ONE_OF: &[&str] = &["oneOf: Request body must match exactly one schema in oneOf"];

/// `meetingId` is `oneOf: [integer, string]`; a numeric meeting ID is both,
/// so Prism refuses it (a UUID, only a string, passes). `anyOf` would say
/// what Zoom means.
const MEETING_ID_ONE_OF: &[&str] =
    &["oneOf: Request path parameter meetingid must match exactly one schema in oneOf"];

/// Prism validates the example it would answer with, and this one
/// contradicts its `oneOf` schema as every object does (spec/README.md), so
/// with `--errors` Prism answers 500 instead. The example itself decodes:
/// see `examples_prism_will_not_serve_still_decode`.
const LOCK_SETTINGS_EXAMPLE: &[&str] =
    &["oneOf: Response body must match exactly one schema in oneOf"];

/// As [`LOCK_SETTINGS_EXAMPLE`], and the example's
/// `security.user_modifiable_info_by_admin` item is a string holding a JSON
/// array rather than one of the enum's values (spec/README.md).
const SETTINGS_EXAMPLE: &[&str] = &[
    "enum: Response body property security.user_modifiable_info_by_admin.0 must be equal to one of the allowed values: name, profile_picture, sign_in_email, host_key",
    "oneOf: Response body must match exactly one schema in oneOf",
];

/// A call the test makes: `label` names the call (the method's name unless
/// a method is called twice), `method` the client method it calls (a
/// generated one or a hand-written one), `operation_id` the spec operation
/// it is for.
#[derive(Debug, Clone, Copy)]
struct Call {
    label: &'static str,
    method: &'static str,
    operation_id: &'static str,
    expect: Expect,
}

const fn ok(method: &'static str, operation_id: &'static str) -> Call {
    Call {
        label: method,
        method,
        operation_id,
        expect: Expect::Success,
    }
}

const fn refused(
    method: &'static str,
    operation_id: &'static str,
    status: u16,
    findings: &'static [&'static str],
) -> Call {
    Call {
        label: method,
        method,
        operation_id,
        expect: Expect::Refused { status, findings },
    }
}

/// A second call of `call.method`, under another label.
const fn labelled(label: &'static str, call: Call) -> Call {
    Call { label, ..call }
}

/// Methods of `zoom_accounts::Client` written by hand rather than generated,
/// with the operation they send (none at present).
const HAND_WRITTEN: &[(&str, &str)] = &[];

/// Every call of the test, in the order made (deletes after the reads).
const CALLS: &[Call] = &[
    // Accounts
    ok("accounts", "accounts"),
    ok("account_create", "accountCreate"),
    ok("get_sub_account_details", "GetSubAccountDetails"),
    refused(
        "get_account_lock_settings",
        "getAccountLockSettings",
        500,
        LOCK_SETTINGS_EXAMPLE,
    ),
    refused(
        "update_locked_settings",
        "UpdateLockedSettings",
        422,
        BODY_ONE_OF,
    ),
    ok("account_managed_domain", "accountManagedDomain"),
    ok("update_options", "UpdateOptions"),
    ok("update_the_account_owner", "UpdateTheAccountOwner"),
    refused("account_settings", "accountSettings", 500, SETTINGS_EXAMPLE),
    refused(
        "account_settings_update",
        "accountSettingsUpdate",
        400,
        BODY_ONE_OF,
    ),
    ok(
        "account_settings_registration",
        "accountSettingsRegistration",
    ),
    ok(
        "account_settings_registration_update",
        "accountSettingsRegistrationUpdate",
    ),
    // A real file part (`contentMediaType` in the spec).
    ok("upload_vb", "uploadVB"),
    ok("del_vb", "delVB"),
    ok("account_trusted_domain", "accountTrustedDomain"),
    ok("disassociate_a_sub_account", "DisassociateASubAccount"),
    // Dashboards
    ok("dashboard_chat", "dashboardChat"),
    ok("dashboard_client_feedback", "dashboardClientFeedback"),
    ok(
        "dashboard_client_feedback_detail",
        "dashboardClientFeedbackDetail",
    ),
    ok("list_meeting_satisfaction", "listMeetingSatisfaction"),
    ok("get_client_versions", "getClientVersions"),
    ok("dashboard_crc", "dashboardCRC"),
    ok("dashboard_issue_zoom_room", "dashboardIssueZoomRoom"),
    ok(
        "dashboard_issue_detail_zoom_room",
        "dashboardIssueDetailZoomRoom",
    ),
    ok("dashboard_meetings", "dashboardMeetings"),
    ok("dashboard_meeting_detail", "dashboardMeetingDetail"),
    ok(
        "dashboard_meeting_participants",
        "dashboardMeetingParticipants",
    ),
    ok(
        "dashboard_meeting_participants_qos",
        "dashboardMeetingParticipantsQOS",
    ),
    ok("participant_feedback", "participantFeedback"),
    labelled(
        "participant_feedback, numeric meeting ID",
        refused(
            "participant_feedback",
            "participantFeedback",
            400,
            MEETING_ID_ONE_OF,
        ),
    ),
    ok(
        "dashboard_meeting_participant_share",
        "dashboardMeetingParticipantShare",
    ),
    labelled(
        "dashboard_meeting_participant_share, numeric meeting ID",
        refused(
            "dashboard_meeting_participant_share",
            "dashboardMeetingParticipantShare",
            400,
            MEETING_ID_ONE_OF,
        ),
    ),
    ok(
        "dashboard_meeting_participant_qos",
        "dashboardMeetingParticipantQOS",
    ),
    ok("dashboard_quality", "dashboardQuality"),
    ok("dashboard_webinars", "dashboardWebinars"),
    ok("dashboard_webinar_detail", "dashboardWebinarDetail"),
    ok(
        "dashboard_webinar_participants",
        "dashboardWebinarParticipants",
    ),
    ok(
        "dashboard_webinar_participants_qos",
        "dashboardWebinarParticipantsQOS",
    ),
    ok("participant_webinar_feedback", "participantWebinarFeedback"),
    ok(
        "dashboard_webinar_participant_share",
        "dashboardWebinarParticipantShare",
    ),
    ok(
        "dashboard_webinar_participant_qos",
        "dashboardWebinarParticipantQOS",
    ),
    ok("dashboard_zoom_rooms", "dashboardZoomRooms"),
    ok("dashboard_zoom_room_issue", "dashboardZoomRoomIssue"),
    ok("dashboard_zoom_room", "dashboardZoomRoom"),
    // Information Barriers
    ok("information_barriers_list", "InformationBarriersList"),
    ok("information_barriers_create", "InformationBarriersCreate"),
    ok("information_barriers_get", "InformationBarriersGet"),
    ok("information_barriers_update", "InformationBarriersUpdate"),
    ok("information_barriers_delete", "InformationBarriersDelete"),
    // Roles
    ok("roles", "roles"),
    ok("create_role", "createRole"),
    ok("get_role_information", "getRoleInformation"),
    ok("update_role", "updateRole"),
    ok("role_members", "roleMembers"),
    ok("add_role_members", "AddRoleMembers"),
    ok("role_member_delete", "roleMemberDelete"),
    ok("delete_role", "deleteRole"),
    // Survey Management
    ok("get_account_surveys", "getAccountSurveys"),
    ok("get_channel_survey_instances", "getChannelSurveyInstances"),
    ok("get_survey_info", "getSurveyInfo"),
    ok("get_survey_answers", "getSurveyAnswers"),
    ok("get_survey_instances_info", "getSurveyInstancesInfo"),
];

type CallResult = Result<u16, Error>;

/// The status of a typed answer; the body was decoded to get it.
async fn status_of<T>(answer: impl Future<Output = Result<ResponseValue<T>, Error>>) -> CallResult {
    answer.await.map(|value| value.status().as_u16())
}

/// A typed request body from JSON, checked to serialize back to exactly
/// that JSON: a field the type does not know would otherwise be dropped
/// silently and the test would send less than it says.
macro_rules! typed_body {
    ($ty:ty, $json:tt) => {{
        let json = json!($json);
        let body: $ty = match serde_json::from_value(json.clone()) {
            Ok(body) => body,
            Err(e) => panic!("{} does not accept {json}: {e}", stringify!($ty)),
        };
        let sent = serde_json::to_value(&body).unwrap();
        assert_eq!(sent, json, "{} does not keep every field", stringify!($ty));
        body
    }};
}

fn date(text: &str) -> NaiveDate {
    match text.parse() {
        Ok(date) => date,
        Err(e) => panic!("{text}: {e}"),
    }
}

/// Makes the call labelled `label` with valid parameters and body.
async fn call(client: &Client, label: &str) -> CallResult {
    let from = date("2024-01-01");
    let to = date("2024-01-31");
    // A meeting UUID that begins with `/`: double-encoded on the way, and
    // Prism must still see one path segment.
    let meeting_uuid = "/4pVq1SnBQqe6ITsCwyDPZQ==";
    let webinar_id = "95204914252";
    match label {
        // Accounts
        "accounts" => status_of(client.accounts().page_size(10).send()).await,
        "account_create" => {
            let body = typed_body!(types::AccountCreateBody, {
                "email": "jchill@example.com",
                "first_name": "Jill",
                "last_name": "Chill",
                "password": "if42!LfH@",
                "account_name": "jchill"
            });
            status_of(client.account_create().body(body).send()).await
        }
        "get_sub_account_details" => {
            status_of(client.get_sub_account_details().account_id("me").send()).await
        }
        "disassociate_a_sub_account" => {
            status_of(
                client
                    .disassociate_a_sub_account()
                    .account_id("q6gBJVO5TzexKYTb_I2rpg")
                    .send(),
            )
            .await
        }
        "get_account_lock_settings" => {
            status_of(client.get_account_lock_settings().account_id("me").send()).await
        }
        "update_locked_settings" => {
            let body = typed_body!(types::UpdateLockedSettingsBody, {
                "meeting_security": { "waiting_room": true }
            });
            status_of(
                client
                    .update_locked_settings()
                    .account_id("me")
                    .body(body)
                    .send(),
            )
            .await
        }
        "account_managed_domain" => {
            status_of(client.account_managed_domain().account_id("me").send()).await
        }
        "update_options" => {
            let body = typed_body!(types::AccountCreateBodyOptions, {
                "share_rc": true,
                "share_mc": false,
                "pay_mode": "master"
            });
            status_of(
                client
                    .update_options()
                    .account_id("q6gBJVO5TzexKYTb_I2rpg")
                    .body(body)
                    .send(),
            )
            .await
        }
        "update_the_account_owner" => {
            let body =
                typed_body!(types::UpdateTheAccountOwnerBody, { "email": "admin@example.com" });
            status_of(
                client
                    .update_the_account_owner()
                    .account_id("me")
                    .body(body)
                    .send(),
            )
            .await
        }
        "account_settings" => status_of(client.account_settings().account_id("me").send()).await,
        "account_settings_update" => {
            let body = typed_body!(types::AccountSettingsUpdateBody, {
                "meeting_security": { "waiting_room": true }
            });
            status_of(
                client
                    .account_settings_update()
                    .account_id("me")
                    .body(body)
                    .send(),
            )
            .await
        }
        "account_settings_registration" => {
            status_of(
                client
                    .account_settings_registration()
                    .account_id("me")
                    .type_(types::AccountSettingsRegistrationType::Webinar)
                    .send(),
            )
            .await
        }
        "account_settings_registration_update" => {
            let body = typed_body!(types::WebinarRegistrationSettings, {
                "approve_type": 0,
                "questions": [{ "field_name": "last_name", "required": true, "selected": true }],
                "options": { "host_email_notification": true }
            });
            status_of(
                client
                    .account_settings_registration_update()
                    .account_id("me")
                    .type_(types::AccountSettingsRegistrationType::Webinar)
                    .body(body)
                    .send(),
            )
            .await
        }
        "upload_vb" => {
            let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
            let part = match file_part_from_bytes(&png[..], "beach.png", "image/png") {
                Ok(part) => part,
                Err(e) => panic!("file part: {e}"),
            };
            status_of(client.upload_vb().account_id("me").file(part).send()).await
        }
        "del_vb" => {
            status_of(
                client
                    .del_vb()
                    .account_id("me")
                    .file_ids("vb-1,vb-2")
                    .send(),
            )
            .await
        }
        "account_trusted_domain" => {
            status_of(client.account_trusted_domain().account_id("me").send()).await
        }
        // Dashboards
        "dashboard_chat" => {
            status_of(
                client
                    .dashboard_chat()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_client_feedback" => {
            status_of(
                client
                    .dashboard_client_feedback()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .send(),
            )
            .await
        }
        "dashboard_client_feedback_detail" => {
            status_of(
                client
                    .dashboard_client_feedback_detail()
                    .account_id("me")
                    .feedback_id("101")
                    .from(from)
                    .to(to)
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "list_meeting_satisfaction" => {
            status_of(
                client
                    .list_meeting_satisfaction()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .send(),
            )
            .await
        }
        "get_client_versions" => {
            status_of(client.get_client_versions().account_id("me").send()).await
        }
        "dashboard_crc" => {
            status_of(
                client
                    .dashboard_crc()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .send(),
            )
            .await
        }
        "dashboard_issue_zoom_room" => {
            status_of(
                client
                    .dashboard_issue_zoom_room()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .send(),
            )
            .await
        }
        "dashboard_issue_detail_zoom_room" => {
            status_of(
                client
                    .dashboard_issue_detail_zoom_room()
                    .account_id("me")
                    .zoomroom_id("zr-1")
                    .from(from)
                    .to(to)
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meetings" => {
            status_of(
                client
                    .dashboard_meetings()
                    .account_id("me")
                    .from("2024-01-01")
                    .to("2024-01-31")
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meeting_detail" => {
            status_of(
                client
                    .dashboard_meeting_detail()
                    .account_id("me")
                    .meeting_id(meeting_uuid)
                    .type_("past")
                    .send(),
            )
            .await
        }
        "dashboard_meeting_participants" => {
            status_of(
                client
                    .dashboard_meeting_participants()
                    .account_id("me")
                    .meeting_id(meeting_uuid)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meeting_participants_qos" => {
            status_of(
                client
                    .dashboard_meeting_participants_qos()
                    .account_id("me")
                    .meeting_id(meeting_uuid)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "participant_feedback" => {
            status_of(
                client
                    .participant_feedback()
                    .account_id("me")
                    .meeting_id(types::MeetingId::String(meeting_uuid.to_owned()))
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "participant_feedback, numeric meeting ID" => {
            status_of(
                client
                    .participant_feedback()
                    .account_id("me")
                    .meeting_id(85746065432_i64)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meeting_participant_share" => {
            status_of(
                client
                    .dashboard_meeting_participant_share()
                    .account_id("me")
                    .meeting_id(types::MeetingId::String(meeting_uuid.to_owned()))
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meeting_participant_share, numeric meeting ID" => {
            status_of(
                client
                    .dashboard_meeting_participant_share()
                    .account_id("me")
                    .meeting_id(85746065432_i64)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_meeting_participant_qos" => {
            status_of(
                client
                    .dashboard_meeting_participant_qos()
                    .account_id("me")
                    .meeting_id(meeting_uuid)
                    .participant_id("16778240")
                    .type_("past")
                    .send(),
            )
            .await
        }
        "dashboard_quality" => {
            status_of(
                client
                    .dashboard_quality()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .type_(types::DashboardQualityType::Meeting)
                    .send(),
            )
            .await
        }
        "dashboard_webinars" => {
            status_of(
                client
                    .dashboard_webinars()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_webinar_detail" => {
            status_of(
                client
                    .dashboard_webinar_detail()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .type_("past")
                    .send(),
            )
            .await
        }
        "dashboard_webinar_participants" => {
            status_of(
                client
                    .dashboard_webinar_participants()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_webinar_participants_qos" => {
            status_of(
                client
                    .dashboard_webinar_participants_qos()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "participant_webinar_feedback" => {
            status_of(
                client
                    .participant_webinar_feedback()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_webinar_participant_share" => {
            status_of(
                client
                    .dashboard_webinar_participant_share()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .type_("past")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_webinar_participant_qos" => {
            status_of(
                client
                    .dashboard_webinar_participant_qos()
                    .account_id("me")
                    .webinar_id(webinar_id)
                    .participant_id("16778240")
                    .type_("past")
                    .send(),
            )
            .await
        }
        "dashboard_zoom_rooms" => {
            status_of(
                client
                    .dashboard_zoom_rooms()
                    .account_id("me")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "dashboard_zoom_room_issue" => {
            status_of(
                client
                    .dashboard_zoom_room_issue()
                    .account_id("me")
                    .from(from)
                    .to(to)
                    .send(),
            )
            .await
        }
        "dashboard_zoom_room" => {
            status_of(
                client
                    .dashboard_zoom_room()
                    .account_id("me")
                    .zoomroom_id("zr-1")
                    .from(from)
                    .to(to)
                    .page_size(10)
                    .send(),
            )
            .await
        }
        // Information Barriers
        "information_barriers_list" => {
            status_of(
                client
                    .information_barriers_list()
                    .account_id("me")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "information_barriers_create" => {
            status_of(
                client
                    .information_barriers_create()
                    .account_id("me")
                    .body(information_barrier_policy())
                    .send(),
            )
            .await
        }
        "information_barriers_get" => {
            status_of(
                client
                    .information_barriers_get()
                    .account_id("me")
                    .policy_id("ErxAmMT7QPOH19Kf9Z55ty")
                    .send(),
            )
            .await
        }
        "information_barriers_update" => {
            status_of(
                client
                    .information_barriers_update()
                    .account_id("me")
                    .policy_id("ErxAmMT7QPOH19Kf9Z55ty")
                    .body(information_barrier_policy())
                    .send(),
            )
            .await
        }
        "information_barriers_delete" => {
            status_of(
                client
                    .information_barriers_delete()
                    .account_id("me")
                    .policy_id("ErxAmMT7QPOH19Kf9Z55ty")
                    .send(),
            )
            .await
        }
        // Roles
        "roles" => {
            status_of(
                client
                    .roles()
                    .account_id("me")
                    .type_(types::RolesType::Common)
                    .send(),
            )
            .await
        }
        "create_role" => {
            let body = typed_body!(types::CreateRoleBody, {
                "name": "Auditor",
                "description": "Reads reports",
                "type": "common",
                "privileges": ["User:Read"]
            });
            status_of(client.create_role().account_id("me").body(body).send()).await
        }
        "get_role_information" => {
            status_of(
                client
                    .get_role_information()
                    .account_id("me")
                    .role_id("2")
                    .send(),
            )
            .await
        }
        "update_role" => {
            let body = typed_body!(types::UpdateRoleBody, {
                "name": "Auditor",
                "description": "Reads reports",
                "privileges": ["User:Read"]
            });
            status_of(
                client
                    .update_role()
                    .account_id("me")
                    .role_id("2")
                    .body(body)
                    .send(),
            )
            .await
        }
        "role_members" => {
            status_of(
                client
                    .role_members()
                    .account_id("me")
                    .role_id("2")
                    .page_size(10)
                    .send(),
            )
            .await
        }
        "add_role_members" => {
            let body = typed_body!(types::AddRoleMembersBody, {
                "members": [{ "email": "user@example.com" }, { "id": "Cs97wug2RTm5TNvuvk4yRw" }]
            });
            status_of(
                client
                    .add_role_members()
                    .account_id("me")
                    .role_id("2")
                    .body(body)
                    .send(),
            )
            .await
        }
        "role_member_delete" => {
            status_of(
                client
                    .role_member_delete()
                    .account_id("me")
                    .role_id("2")
                    .member_id("Cs97wug2RTm5TNvuvk4yRw")
                    .send(),
            )
            .await
        }
        "delete_role" => status_of(client.delete_role().account_id("me").role_id("2").send()).await,
        // Survey Management
        "get_account_surveys" => {
            status_of(
                client
                    .get_account_surveys()
                    .account_id("me")
                    .page_size("10") /* a string in the spec */
                    .send(),
            )
            .await
        }
        "get_channel_survey_instances" => {
            status_of(
                client
                    .get_channel_survey_instances()
                    .account_id("me")
                    .channel_id("ch-1")
                    .page_size("10") /* a string in the spec */
                    .send(),
            )
            .await
        }
        "get_survey_info" => {
            status_of(
                client
                    .get_survey_info()
                    .account_id("me")
                    .survey_id("sv-1")
                    .send(),
            )
            .await
        }
        "get_survey_answers" => {
            status_of(
                client
                    .get_survey_answers()
                    .account_id("me")
                    .survey_id("sv-1")
                    // Double-encoded on the way (it begins with `/`).
                    .instance_id("/iOTQZPmhTUq5a232ETb9eg==")
                    .page_size("10") /* a string in the spec */
                    .send(),
            )
            .await
        }
        "get_survey_instances_info" => {
            status_of(
                client
                    .get_survey_instances_info()
                    .account_id("me")
                    .survey_id("sv-1")
                    .instance_id("iOTQZPmhTUq5a232ETb9eg==")
                    .page_size("10") /* a string in the spec */
                    .send(),
            )
            .await
        }
        other => panic!("the test makes no call {other:?}"),
    }
}

/// A policy as the reference's example gives one (the type is derived
/// from that example: spec/README.md, `x-zoom-schema-from-example`).
fn information_barrier_policy() -> types::InformationBarrierPolicy {
    typed_body!(types::InformationBarrierPolicy, {
        "assigned_group_id": "SsxAmMT7QPOH19Kf9ZHz6g",
        "policy_name": "Research and trading",
        "settings": {
            "complete_phone_calls": false,
            "file_transfer": false,
            "im": false,
            "in_meeting_chat": false,
            "meeting": false,
            "message_via_sms": false,
            "recording": false,
            "screen_share": false
        },
        "status": 1,
        "to_group_id": "mjLMOSAERBaakF8kSDWB7g",
        "type": 1
    })
}

#[test]
fn the_call_table_covers_every_operation() {
    let spec_ids: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.operation_id).collect();
    assert_eq!(spec_ids.len(), 60, "the spec's operation count changed");
    let called_ids: BTreeSet<&str> = CALLS.iter().map(|c| c.operation_id).collect();
    let missing: Vec<_> = spec_ids.difference(&called_ids).collect();
    let unknown: Vec<_> = called_ids.difference(&spec_ids).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "operations not called: {missing:?}; ids in the table but not in the spec: {unknown:?}"
    );

    let mut labels = BTreeSet::new();
    for call in CALLS {
        assert!(
            labels.insert(call.label),
            "{} is in the table twice",
            call.label
        );
        // Each call names the operation its method sends.
        let sends = match by_method_name(call.method) {
            Some(op) => op.operation_id,
            None => match HAND_WRITTEN.iter().find(|(name, _)| *name == call.method) {
                Some((_, id)) => id,
                None => panic!(
                    "{} is neither a generated nor a hand-written method",
                    call.method
                ),
            },
        };
        assert_eq!(call.operation_id, sends, "{}", call.label);
    }
    // Every generated method is called, and every operation is expected to
    // succeed at least once unless the table says why not.
    for op in OPERATIONS {
        assert!(
            CALLS.iter().any(|c| c.method == op.method_name),
            "{} is never called",
            op.method_name
        );
    }
    let never_succeeds: BTreeSet<&str> = spec_ids
        .iter()
        .copied()
        .filter(|id| {
            !CALLS
                .iter()
                .any(|c| c.operation_id == *id && c.expect == Expect::Success)
        })
        .collect();
    assert_eq!(
        never_succeeds,
        BTreeSet::from([
            "UpdateLockedSettings",
            "accountSettings",
            "accountSettingsUpdate",
            "getAccountLockSettings",
        ]),
        "operations no call of the table expects to succeed"
    );
}

/// The two response examples Prism will not serve (see
/// [`LOCK_SETTINGS_EXAMPLE`], [`SETTINGS_EXAMPLE`]) still decode into the
/// client's types, which is what a 2xx through Prism would have checked.
#[test]
fn examples_prism_will_not_serve_still_decode() {
    let spec = zoom_accounts_tests::load_spec();
    let example = |path: &str| -> Value {
        let pointer = format!(
            "/paths/{}/get/responses/200/content/application~1json/example",
            path.replace('~', "~0").replace('/', "~1")
        );
        match spec.pointer(&pointer) {
            Some(example) => example.clone(),
            None => panic!("no example at {pointer}"),
        }
    };
    let lock_settings: types::GetAccountLockSettingsResponse =
        serde_json::from_value(example("/accounts/{accountId}/lock_settings"))
            .expect("the lock settings example decodes");
    assert!(!lock_settings.audio_conferencing.is_empty());
    let settings: types::AccountSettingsResponse =
        serde_json::from_value(example("/accounts/{accountId}/settings"))
            .expect("the settings example decodes");
    assert!(settings.security.is_some());
}

/// Every call of the table refused by a server that answers each request
/// with Zoom's error body: each method's error names its own operation
/// (the generated `send` points at its row of the metadata table), keeps
/// the status and Zoom's code, and gives the code's documented meaning
/// where the spec documents it for that operation.
#[tokio::test]
async fn every_method_fails_with_the_one_error_naming_its_operation() {
    bounded(async {
        let server = ScriptedServer::start().await;
        server.respond_with("/v2", |_| {
            Reply::json(
                400,
                r#"{"code":300,"message":"Refused by the test server."}"#,
            )
        });
        let client = Client::builder()
            .with_credentials(Credentials::bearer_token("fixed-token"))
            .with_api_base_url(format!("{}/v2", server.url()))
            .with_retry_policy(RetryPolicy::never())
            .build()
            .expect("client");
        let mut wrong = Vec::new();
        for entry in CALLS {
            // On the heap: the future of `call` (every call's future) is
            // too large for a test thread's stack in a debug build.
            let error = match Box::pin(call(&client, entry.label)).await {
                Ok(status) => {
                    wrong.push(format!("{}: HTTP {status}", entry.label));
                    continue;
                }
                Err(error) => error,
            };
            let operation = by_operation_id(entry.operation_id).expect("operation in the table");
            let documented = operation.documented_error(400, 300).map(|d| d.message);
            let seen = (
                error.operation_id(),
                error.status(),
                error.code(),
                error.documented().map(|d| d.message),
            );
            if seen != (Some(entry.operation_id), Some(400), Some(300), documented) {
                wrong.push(format!("{}: {seen:?} ({error})", entry.label));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert_eq!(server.requests_to("/v2").len(), CALLS.len());
    })
    .await;
}

// ---------------------------------------------------------------------------
// Prism

fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

/// A running `prism mock`, killed when dropped (also when the test panics).
struct Prism {
    child: Child,
    addr: SocketAddr,
    output: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts Prism on a free port of 127.0.0.1 and waits until it answers.
    async fn start() -> Prism {
        let mut last_output = String::new();
        // The port is free when chosen but could be taken before Prism binds
        // it; then try another.
        for _ in 0..3 {
            let port = free_port();
            let mut prism = Prism::spawn(port);
            match prism.wait_until_ready().await {
                Ok(()) => return prism,
                Err(why) => {
                    last_output = format!("{why}\n{}", prism.output());
                    if !last_output.contains("EADDRINUSE") {
                        break;
                    }
                }
            }
        }
        panic!("Prism did not start:\n{last_output}");
    }

    fn spawn(port: u16) -> Prism {
        let mut child = Command::new(repo_path(PRISM_BIN))
            .current_dir(workspace_root())
            .args([
                "mock",
                SPEC_PATH,
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            // Validate requests: an invalid one gets 400/422, not a success.
            .arg("--errors")
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {PRISM_BIN} (is `node` on PATH?): {e}"));
        let output = Arc::new(Mutex::new(String::new()));
        // Drain both pipes, so a chatty Prism never blocks on a full one.
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            let output = output.clone();
            std::thread::spawn(move || {
                let Some(mut pipe) = pipe else { return };
                let mut buffer = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buffer[..n]);
                    output
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push_str(&text);
                }
            });
        };
        drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        Prism {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            output,
        }
    }

    async fn wait_until_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| e.to_string())?;
        let probe = format!("http://{}/accounts", self.addr);
        while started.elapsed() < STARTUP_LIMIT {
            // Any HTTP answer means Prism is serving.
            if http.get(&probe).send().await.is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Prism exited ({status})"));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(format!("Prism did not answer within {STARTUP_LIMIT:?}"))
    }

    fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The last `lines` lines Prism printed.
    fn output_tail(&self, lines: usize) -> String {
        let output = self.output();
        let all: Vec<&str> = output.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// One request through the [`Recorder`]: its request line and the raw
/// answer, as Prism sent it.
#[derive(Debug, Default)]
struct Exchange {
    request_line: String,
    response: Vec<u8>,
    /// Prism closed its side: the answer is all there.
    closed: bool,
}

/// An answer as Prism sent it.
#[derive(Debug)]
struct Answer {
    status: u16,
    /// Header names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    /// The answer in `bytes`, once they hold all of it.
    fn parse(bytes: &[u8], closed: bool) -> Option<Answer> {
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&bytes[..head_end]);
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let rest = &bytes[head_end + 4..];
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let body = if let Some(length) = header("content-length") {
            rest.get(..length.parse().ok()?)?.to_vec()
        } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            dechunk(rest)?
        } else if closed {
            rest.to_vec()
        } else {
            return None;
        };
        Some(Answer {
            status,
            headers,
            body,
        })
    }

    /// Prism's validation findings, as `code: message`: the `sl-violations`
    /// header when it answered with a documented example, else the
    /// `validation` list of its own problem document.
    fn findings(&self) -> BTreeSet<String> {
        let list = match self.headers.iter().find(|(n, _)| n == "sl-violations") {
            Some((_, header)) => serde_json::from_str(header).unwrap_or(Value::Null),
            None => serde_json::from_slice::<Value>(&self.body)
                .map(|body| body["validation"].clone())
                .unwrap_or(Value::Null),
        };
        list.as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                format!(
                    "{}: {}",
                    v["code"].as_str().unwrap_or("?"),
                    v["message"].as_str().unwrap_or("?")
                )
            })
            .collect()
    }
}

/// The data of a complete chunked body, or `None` while it is incomplete.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// Relays connections to `upstream` and records each request line with the
/// raw answer: the test judges Prism's answer itself, however the client
/// decodes it. The client under test keeps no idle connections, so each
/// connection carries one request.
struct Recorder {
    addr: SocketAddr,
    exchanges: Arc<Mutex<Vec<Arc<Mutex<Exchange>>>>>,
    accept_loop: AbortHandle,
    connections: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Recorder {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (recorded, tasks) = (exchanges.clone(), connections.clone());
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let relay = tokio::spawn(relay(stream, upstream, recorded.clone()));
                lock(&tasks).push(relay.abort_handle());
            }
        })
        .abort_handle();
        Recorder {
            addr,
            exchanges,
            accept_loop,
            connections,
        }
    }

    fn count(&self) -> usize {
        lock(&self.exchanges).len()
    }

    /// The exchanges from the `from`th on, as (request line, answer); waits
    /// (a bounded time) for answers still on their way.
    async fn since(&self, from: usize) -> Vec<(String, Option<Answer>)> {
        let exchanges: Vec<_> = lock(&self.exchanges)[from..].to_vec();
        let mut out = Vec::new();
        for exchange in exchanges {
            let started = Instant::now();
            loop {
                let (line, answer, closed) = {
                    let e = lock(&exchange);
                    (
                        e.request_line.clone(),
                        Answer::parse(&e.response, e.closed),
                        e.closed,
                    )
                };
                if answer.is_some() || closed || started.elapsed() > Duration::from_secs(10) {
                    out.push((line, answer));
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        out
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.accept_loop.abort();
        for task in lock(&self.connections).iter() {
            task.abort();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    exchanges: Arc<Mutex<Vec<Arc<Mutex<Exchange>>>>>,
) {
    let (mut client_read, mut client_write) = client.into_split();
    // Byte by byte up to the first line break, so nothing past the request
    // line is read ahead of the relay.
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match client_read.read(&mut byte).await {
            Ok(1) => line.push(byte[0]),
            _ => return,
        }
        if byte[0] == b'\n' || line.len() > 64 * 1024 {
            break;
        }
    }
    let exchange = Arc::new(Mutex::new(Exchange {
        request_line: String::from_utf8_lossy(&line).trim_end().to_owned(),
        ..Exchange::default()
    }));
    lock(&exchanges).push(exchange.clone());
    let Ok(server) = TcpStream::connect(upstream).await else {
        lock(&exchange).closed = true;
        return;
    };
    let (mut server_read, mut server_write) = server.into_split();
    let request = async {
        if server_write.write_all(&line).await.is_ok() {
            let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
        }
        let _ = server_write.shutdown().await;
    };
    let answer = async {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match server_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    lock(&exchange).response.extend_from_slice(&buffer[..n]);
                    if client_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        lock(&exchange).closed = true;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(request, answer);
}

/// Whether `path` (no query) fits the template `/a/{b}/c`.
fn path_fits(path: &str, template: &str) -> bool {
    let path: Vec<&str> = path.split('/').collect();
    let template: Vec<&str> = template.split('/').collect();
    path.len() == template.len()
        && path.iter().zip(&template).all(|(segment, pattern)| {
            if pattern.starts_with('{') && pattern.ends_with('}') {
                !segment.is_empty()
            } else {
                segment == pattern
            }
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_prism() {
    if !repo_path(PRISM_BIN).exists() {
        let why = format!("{PRISM_BIN} is not installed; run `npm ci` in the workspace root");
        if running_in_ci() {
            panic!("{why} (CI must run the Prism end-to-end test)");
        }
        println!("skipped: {why} to run every operation against Prism");
        return;
    }
    match tokio::time::timeout(TEST_LIMIT, run_every_operation()).await {
        Ok(()) => {}
        Err(_) => panic!("the Prism run did not finish within {TEST_LIMIT:?}"),
    }
}

async fn run_every_operation() {
    let prism = Prism::start().await;
    let recorder = Recorder::start(prism.addr).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("HTTP client");
    let client = Client::builder()
        .with_credentials(Credentials::bearer_token("prism-accepts-any-token"))
        .with_api_base_url(format!("http://{}", recorder.addr))
        .with_request_timeout(Duration::from_secs(20))
        // One request per call, so each call has one exchange.
        .with_retry_policy(RetryPolicy::never())
        .configure_runtime(|runtime| {
            runtime.with_http_client(http);
        })
        .build()
        .expect("client");

    let mut failures = Vec::new();
    let mut refused = Vec::new();
    for entry in CALLS {
        let before = recorder.count();
        let result = call(&client, entry.label).await;
        let operation = by_operation_id(entry.operation_id).expect("operation in the table");
        let exchanges = recorder.since(before).await;
        let [(line, answer)] = exchanges.as_slice() else {
            let lines: Vec<_> = exchanges.iter().map(|(line, _)| line).collect();
            failures.push(format!(
                "{}: expected one request, sent {lines:?}",
                entry.label
            ));
            continue;
        };
        // The call went to its own operation.
        let mut parts = line.split(' ');
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let path = target.split('?').next().unwrap_or("");
        if method != operation.method || !path_fits(path, operation.path) {
            failures.push(format!(
                "{}: sent `{line}`, not {} {}",
                entry.label, operation.method, operation.path
            ));
        }
        let Some(answer) = answer else {
            failures.push(format!(
                "{}: no complete answer from Prism ({result:?})",
                entry.label
            ));
            continue;
        };
        let findings = answer.findings();
        match (entry.expect, result) {
            (Expect::Success, Ok(status)) if (200..300).contains(&status) => {}
            (Expect::Success, outcome) => failures.push(format!(
                "{}: Prism answered HTTP {} {findings:?}; the client returned {outcome:?}",
                entry.label, answer.status
            )),
            (Expect::Refused { .. }, Ok(status)) => failures.push(format!(
                "{}: HTTP {status}; Prism no longer refuses it: update the table",
                entry.label
            )),
            (
                Expect::Refused {
                    status,
                    findings: expected,
                },
                Err(error),
            ) => {
                // The one error type, naming the call's operation and status.
                if (error.operation_id(), error.status())
                    != (Some(entry.operation_id), Some(status))
                {
                    failures.push(format!("{}: the error says {error}", entry.label));
                }
                let expected: BTreeSet<String> = expected.iter().map(|f| f.to_string()).collect();
                if (answer.status, &findings) == (status, &expected) {
                    refused.push(format!("{} (HTTP {status})", entry.label));
                } else {
                    failures.push(format!(
                        "{}: refused with HTTP {} for {findings:?}, expected HTTP {status} for {expected:?}",
                        entry.label, answer.status
                    ));
                }
            }
        }
    }
    println!("refused by Prism for the reasons the table gives: {refused:?}");
    assert!(
        failures.is_empty(),
        "{} of {} calls failed:\n  {}\n\nPrism's last output:\n{}",
        failures.len(),
        CALLS.len(),
        failures.join("\n  "),
        prism.output_tail(80)
    );
}
