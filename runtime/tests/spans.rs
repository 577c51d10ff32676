//! The tracing spans of `Runtime::execute`: one `zoom_api.call` span per call
//! and one `zoom_api.attempt` span per attempt, with their facts and never a
//! secret. A test binary of its own: tracing caches each callsite's interest
//! process-wide, and other tests running the same callsites on other threads
//! with no subscriber could make this one miss its spans.

use zoom_api_runtime::reqwest::Method;
use zoom_test_server::{Reply, ScriptedServer, bounded};

mod common;
use common::*;

/// A `tracing` subscriber that keeps every span's name and fields as text.
mod recording {
    use std::fmt::Debug;
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// (target, name, fields as `name=value`)
    pub type Spans = Arc<Mutex<Vec<(String, String, Vec<(String, String)>)>>>;

    pub struct Recorder(pub Spans);

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.push((field.name().to_owned(), value.to_owned()));
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut spans = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let mut fields = Vec::new();
            span.record(&mut Fields(&mut fields));
            let meta = span.metadata();
            spans.push((meta.target().to_owned(), meta.name().to_owned(), fields));
            Id::from_u64(spans.len() as u64)
        }

        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, _, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
                values.record(&mut Fields(fields));
            }
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut spans = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let mut fields = Vec::new();
            event.record(&mut Fields(&mut fields));
            let meta = event.metadata();
            spans.push((meta.target().to_owned(), "event".to_owned(), fields));
        }

        fn enter(&self, _: &Id) {}

        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn spans_carry_call_and_attempt_facts_and_never_a_secret() {
    let spans = recording::Spans::default();
    let _guard = tracing::subscriber::set_default(recording::Recorder(spans.clone()));
    bounded(async {
        let server = ScriptedServer::start().await;
        server.script("/oauth/token", [Reply::token("issued-access-token", 3599)]);
        server.script("/v2", [Reply::json(503, "{}"), Reply::json(200, "{}")]);
        let runtime = s2s_builder(&server).build().unwrap();
        let request = request(
            &runtime,
            Method::GET,
            "/accounts/acct-in-path?next_page_token=query-value-77",
        );
        runtime.execute(request, &GET_ACCOUNT).await.unwrap();
    })
    .await;

    let spans = spans.lock().unwrap().clone();
    let ours: Vec<_> = spans
        .iter()
        .filter(|(target, _, _)| target.starts_with("zoom_api_runtime"))
        .collect();
    let field = |fields: &[(String, String)], name: &str| {
        fields
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let calls: Vec<_> = ours
        .iter()
        .filter(|(_, name, _)| name == "zoom_api.call")
        .collect();
    assert_eq!(calls.len(), 1, "{ours:?}");
    let call = &calls[0].2;
    assert_eq!(field(call, "operation").as_deref(), Some("getAccount"));
    assert_eq!(field(call, "method").as_deref(), Some("GET"));
    assert_eq!(
        field(call, "path").as_deref(),
        Some("/accounts/{accountId}")
    );
    assert_eq!(field(call, "rate_limit").as_deref(), Some("LIGHT"));
    assert_eq!(field(call, "attempts").as_deref(), Some("2"));
    assert_eq!(field(call, "status").as_deref(), Some("200"));
    assert!(field(call, "duration_ms").is_some(), "{call:?}");

    let attempts: Vec<_> = ours
        .iter()
        .filter(|(_, name, _)| name == "zoom_api.attempt")
        .collect();
    assert_eq!(attempts.len(), 2, "{ours:?}");
    assert_eq!(field(&attempts[0].2, "attempt").as_deref(), Some("1"));
    assert_eq!(field(&attempts[0].2, "status").as_deref(), Some("503"));
    assert!(
        field(&attempts[0].2, "wait_ms").is_some(),
        "{:?}",
        attempts[0]
    );
    assert!(field(&attempts[0].2, "duration_ms").is_some());
    assert_eq!(field(&attempts[1].2, "attempt").as_deref(), Some("2"));
    assert_eq!(field(&attempts[1].2, "status").as_deref(), Some("200"));
    assert_eq!(
        field(&attempts[1].2, "wait_ms"),
        None,
        "no attempt after the last"
    );

    // Nothing recorded, ours or a dependency's, holds a secret, the token,
    // a query value or the concrete path.
    let text = format!("{spans:?}");
    for leak in [
        CLIENT_SECRET,
        "Y2xpZW50",
        "issued-access-token",
        "query-value-77",
        "acct-in-path",
    ] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}
