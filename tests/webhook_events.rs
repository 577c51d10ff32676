//! The typed webhook events of `zoom_accounts::webhooks` against the
//! examples of `spec/zoom-accounts-webhooks.yaml`: every event's example
//! decodes into its own variant and re-serializes as it was, fields this
//! client does not know included; an event the client does not know is
//! kept whole.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use zoom_accounts::webhooks::Event;
use zoom_accounts_tests::read_repo_text;

const WEBHOOKS_SPEC: &str = "spec/zoom-accounts-webhooks.yaml";

/// (event name, example value) of every example of every event body.
fn examples() -> Vec<(String, String, Value)> {
    let text = read_repo_text(WEBHOOKS_SPEC).expect("the webhooks spec");
    let doc: Value = serde_yaml::from_str(&text).expect("YAML");
    let mut out = Vec::new();
    for (event, item) in doc["webhooks"].as_object().expect("webhooks") {
        let examples = item
            .pointer("/post/requestBody/content/application~1json/examples")
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("{event} has no examples"));
        for (name, example) in examples {
            out.push((event.clone(), name.clone(), example["value"].clone()));
        }
    }
    out
}

/// The example pointers `spec/README.md` lists as contradicting their own
/// schema in Zoom's webhooks text (backquoted pointers under `/webhooks/`).
fn listed_contradictions() -> BTreeSet<String> {
    let readme = read_repo_text("spec/README.md").unwrap_or_default();
    readme
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| span.starts_with("/webhooks/") && span.contains("/examples/"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_example_decodes_into_its_event_and_round_trips() {
    let examples = examples();
    assert_eq!(
        examples
            .iter()
            .map(|(e, _, _)| e.as_str())
            .collect::<BTreeSet<_>>(),
        Event::KNOWN.iter().copied().collect(),
        "every known event has an example"
    );
    let listed = listed_contradictions();
    let mut findings = Vec::new();
    for (event, name, value) in examples {
        let pointer = format!(
            "/webhooks/{event}/post/requestBody/content/application~1json/examples/{name}/value"
        );
        match serde_json::from_value::<Event>(value.clone()) {
            Ok(decoded) => {
                assert_eq!(decoded.name(), event, "{pointer}");
                assert!(
                    !matches!(decoded, Event::Unknown(_)),
                    "{pointer} is not typed"
                );
                assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "{pointer}");
                if listed.contains(&pointer) {
                    findings.push(format!(
                        "{pointer} decodes now: drop it from spec/README.md"
                    ));
                }
            }
            Err(e) if listed.contains(&pointer) => println!("{pointer}: listed contradiction: {e}"),
            Err(e) => findings.push(format!("{pointer}: {e}")),
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn unknown_fields_are_kept() {
    let sent = json!({
        "event": "account.created",
        "event_ts": 1626230691572_i64,
        "added_later": [1, 2],
        "payload": {"account_id": "A", "object": {"id": "x", "new_field": {"a": null}}}
    });
    let event = Event::from_value(sent.clone()).unwrap();
    let Event::AccountCreated(created) = &event else {
        panic!("not account.created: {event:?}");
    };
    assert_eq!(created.unknown_fields()["added_later"], json!([1, 2]));
    assert_eq!(serde_json::to_value(&event).unwrap(), sent);
}

#[test]
fn an_unknown_event_keeps_its_raw_json() {
    let sent = json!({"event": "account.renamed_later", "event_ts": 1, "payload": {"x": [true]}});
    let event: Event = serde_json::from_slice(sent.to_string().as_bytes()).unwrap();
    let Event::Unknown(unknown) = &event else {
        panic!("a known event: {event:?}");
    };
    assert_eq!(unknown.name(), "account.renamed_later");
    assert_eq!(unknown.raw(), &sent);
    assert_eq!(event.name(), "account.renamed_later");
    assert_eq!(serde_json::to_value(&event).unwrap(), sent);
}

#[test]
fn a_body_without_an_event_name_is_an_error() {
    for body in [json!({"payload": {}}), json!({"event": 3}), json!([1])] {
        assert!(Event::from_value(body.clone()).is_err(), "{body}");
    }
    let err = Event::from_value(json!({"payload": {}})).unwrap_err();
    assert!(err.to_string().contains("event"), "{err}");
}
