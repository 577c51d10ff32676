//! The API change between two specs, operation by operation, each change
//! classified by the compatibility contract of the generated crate (the
//! README's "Compatibility" section; its table is the source of every
//! verdict below).
//!
//! Both documents are in canonical 3.1 form (`zoom_api_codegen::normalize`).
//! Bodies are compared as flat field lists: `$ref`s resolved, `allOf`
//! members merged, `oneOf`/`anyOf` alternatives walked (their fields
//! counted as optional: the generator merges all-optional alternatives
//! into one type), array items as `field[]`, map values as `field{}`.
//!
//! A webhooks document ([`compare_webhooks`]) is compared event by event
//! (`webhook account.created`): events added or removed, and each payload
//! by the same field comparison as a response body (a payload is data the
//! user receives, like a response).
//!
//! Every change gets a [`Class`]:
//!
//! - **breaking**: code written against the old client stops compiling
//!   (an operation, parameter, field or string enum value removed; a type,
//!   an operation id or the success body changed; a field switching between
//!   `T` and `Option<T>`; a required field added, which changes `new(..)`),
//!   or still compiles but fails at `send()` (a required parameter added,
//!   an optional one made required, a request body added): those are also
//!   marked `behaviour`;
//! - **compatible**: existing code keeps compiling and working (an
//!   operation, optional parameter or optional field added: the types are
//!   `#[non_exhaustive]` and built with `Default`/`new` and setters; a
//!   status or Zoom error code added or removed: docs and `metadata`; a
//!   deprecation). A new string enum value compiles (the enums are open and
//!   `#[non_exhaustive]`) but a value that arrived as `Unknown("x")` now
//!   arrives as the new variant: `behaviour`;
//! - **docs**: only the docs of the generated code change (the values of an
//!   integer or boolean enum, which lowering makes the plain number);
//! - **deployment**: no code change, but what a deployed app must be
//!   granted or how it is throttled (scopes, granular scopes, the
//!   rate-limit label, prerequisites), each with what to do.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zoom_api_codegen::spec::{
    self as walk, EnumKind, HttpMethod, OperationRef, RateLimitLabel, Status, is_json_media,
};

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationIdChanged,
    TagChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterTypeChanged,
    ParameterNowRequired,
    ParameterNowOptional,
    RequestBodyAdded,
    RequestBodyRemoved,
    StatusAdded,
    StatusRemoved,
    SuccessBodyChanged,
    ResponseBodyAdded,
    ResponseBodyRemoved,
    ErrorCodeAdded,
    ErrorCodeRemoved,
    ErrorMessageChanged,
    FieldAdded,
    FieldRemoved,
    FieldTypeChanged,
    FieldNowRequired,
    FieldNowOptional,
    EnumValueAdded,
    EnumValueRemoved,
    Deprecated,
    Undeprecated,
    ScopeAdded,
    ScopeRemoved,
    RateLimitChanged,
    PrerequisitesChanged,
    EventAdded,
    EventRemoved,
}

impl ChangeKind {
    /// Every kind, in declaration order (for the report's documentation).
    pub const ALL: [ChangeKind; 34] = [
        ChangeKind::OperationAdded,
        ChangeKind::OperationRemoved,
        ChangeKind::OperationIdChanged,
        ChangeKind::TagChanged,
        ChangeKind::ParameterAdded,
        ChangeKind::ParameterRemoved,
        ChangeKind::ParameterTypeChanged,
        ChangeKind::ParameterNowRequired,
        ChangeKind::ParameterNowOptional,
        ChangeKind::RequestBodyAdded,
        ChangeKind::RequestBodyRemoved,
        ChangeKind::StatusAdded,
        ChangeKind::StatusRemoved,
        ChangeKind::SuccessBodyChanged,
        ChangeKind::ResponseBodyAdded,
        ChangeKind::ResponseBodyRemoved,
        ChangeKind::ErrorCodeAdded,
        ChangeKind::ErrorCodeRemoved,
        ChangeKind::ErrorMessageChanged,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldTypeChanged,
        ChangeKind::FieldNowRequired,
        ChangeKind::FieldNowOptional,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumValueRemoved,
        ChangeKind::Deprecated,
        ChangeKind::Undeprecated,
        ChangeKind::ScopeAdded,
        ChangeKind::ScopeRemoved,
        ChangeKind::RateLimitChanged,
        ChangeKind::PrerequisitesChanged,
        ChangeKind::EventAdded,
        ChangeKind::EventRemoved,
    ];

    /// The stable identifier in reports and fixtures (`field-removed`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationIdChanged => "operation-id-changed",
            ChangeKind::TagChanged => "tag-changed",
            ChangeKind::ParameterAdded => "parameter-added",
            ChangeKind::ParameterRemoved => "parameter-removed",
            ChangeKind::ParameterTypeChanged => "parameter-type-changed",
            ChangeKind::ParameterNowRequired => "parameter-now-required",
            ChangeKind::ParameterNowOptional => "parameter-now-optional",
            ChangeKind::RequestBodyAdded => "request-body-added",
            ChangeKind::RequestBodyRemoved => "request-body-removed",
            ChangeKind::StatusAdded => "status-added",
            ChangeKind::StatusRemoved => "status-removed",
            ChangeKind::SuccessBodyChanged => "success-body-changed",
            ChangeKind::ResponseBodyAdded => "response-body-added",
            ChangeKind::ResponseBodyRemoved => "response-body-removed",
            ChangeKind::ErrorCodeAdded => "error-code-added",
            ChangeKind::ErrorCodeRemoved => "error-code-removed",
            ChangeKind::ErrorMessageChanged => "error-message-changed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldTypeChanged => "field-type-changed",
            ChangeKind::FieldNowRequired => "field-now-required",
            ChangeKind::FieldNowOptional => "field-now-optional",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::Deprecated => "deprecated",
            ChangeKind::Undeprecated => "undeprecated",
            ChangeKind::ScopeAdded => "scope-added",
            ChangeKind::ScopeRemoved => "scope-removed",
            ChangeKind::RateLimitChanged => "rate-limit-changed",
            ChangeKind::PrerequisitesChanged => "prerequisites-changed",
            ChangeKind::EventAdded => "event-added",
            ChangeKind::EventRemoved => "event-removed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a change does to users of the generated crate (see the module
/// docs). Ordered by how much attention it needs, for the API classes:
/// `Docs < Compatible < Breaking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Only the generated docs change: no API change.
    Docs,
    /// No code change; what a deployed app must hold, or its throttle.
    Deployment,
    /// Existing code keeps compiling and working.
    Compatible,
    /// Existing code stops compiling, or fails at run time.
    Breaking,
}

impl Class {
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Docs => "docs",
            Class::Deployment => "deployment",
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        }
    }
}

/// Which section of the report, and which gate, a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attention {
    /// The Rust API and semver: `--fail-on breaking`.
    Api,
    /// Newly deprecated or no longer deprecated (compatible).
    Deprecation,
    /// What a deployed app must be granted: `--fail-on deployment`.
    Deployment,
}

/// One change, with its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// `GET /accounts/{accountId}`.
    pub operation: String,
    /// The operation's id (the head's; the base's for a removed operation).
    pub operation_id: Option<String>,
    /// What changed inside the operation (`query parameter `page_size``).
    pub target: String,
    /// Before -> after, when there is one.
    pub detail: String,
    pub class: Class,
    /// Compiles, but behaves differently at run time: a call now fails at
    /// `send()`, or a value arrives as another variant.
    pub behaviour: bool,
    /// Why, for a Rust user.
    pub reason: &'static str,
    /// For a deployment change: what to do (`add scope `x` to your app`).
    pub action: String,
}

impl Change {
    pub fn breaking(&self) -> bool {
        self.class == Class::Breaking
    }

    pub fn attention(&self) -> Attention {
        match (self.class, self.kind) {
            (Class::Deployment, _) => Attention::Deployment,
            (_, ChangeKind::Deprecated | ChangeKind::Undeprecated) => Attention::Deprecation,
            _ => Attention::Api,
        }
    }

    /// One line: `breaking field-removed: GET /a: response 200 field `x``;
    /// a behaviour change is `breaking+behaviour`.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{}{} {}: {}",
            self.class.as_str(),
            if self.behaviour { "+behaviour" } else { "" },
            self.kind,
            self.operation
        );
        if !self.target.is_empty() {
            line.push_str(": ");
            line.push_str(&self.target);
        }
        if !self.detail.is_empty() {
            line.push_str(&format!(" ({})", self.detail));
        }
        line
    }
}

/// A change's classification, as [`Out::push`] takes it.
#[derive(Clone, Copy)]
struct Verdict {
    class: Class,
    behaviour: bool,
    reason: &'static str,
}

impl Verdict {
    const fn new(class: Class, reason: &'static str) -> Self {
        Self {
            class,
            behaviour: false,
            reason,
        }
    }

    /// Compiles, but behaves differently at run time.
    const fn behaviour(self) -> Self {
        Self {
            behaviour: true,
            ..self
        }
    }
}

const fn breaking(reason: &'static str) -> Verdict {
    Verdict::new(Class::Breaking, reason)
}

/// Breaking, though it compiles: the call fails at `send()`.
const fn breaking_at_run_time(reason: &'static str) -> Verdict {
    breaking(reason).behaviour()
}

const fn compatible(reason: &'static str) -> Verdict {
    Verdict::new(Class::Compatible, reason)
}

const fn docs(reason: &'static str) -> Verdict {
    Verdict::new(Class::Docs, reason)
}

const fn deployment(reason: &'static str) -> Verdict {
    Verdict::new(Class::Deployment, reason)
}

/// Every change from `base` to `head`, operations in path/method order.
pub fn compare(base: &Value, head: &Value) -> Vec<Change> {
    let base_ops = operations(base);
    let head_ops = operations(head);
    let mut keys: Vec<&(String, HttpMethod)> = base_ops.keys().chain(head_ops.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Vec::new();
    for key in keys {
        let label = format!("{} {}", key.1, key.0);
        let (b, h) = (base_ops.get(key), head_ops.get(key));
        let operation_id = h.or(b).and_then(|(_, op)| operation_id(op));
        let mut out = Out {
            label: &label,
            operation_id,
            changes: &mut changes,
        };
        match (b, h) {
            (Some(b), None) => out.push(
                ChangeKind::OperationRemoved,
                op_id_target(&b.1),
                "",
                breaking("the client method and its builder disappear"),
            ),
            (None, Some(h)) => out.push(
                ChangeKind::OperationAdded,
                op_id_target(&h.1),
                "",
                compatible("a new method on a sealed extension trait; existing code is unaffected"),
            ),
            (Some(b), Some(h)) => compare_operation(
                &mut out,
                &Side {
                    doc: base,
                    at: &b.0,
                    op: &b.1,
                },
                &Side {
                    doc: head,
                    at: &h.0,
                    op: &h.1,
                },
            ),
            (None, None) => {}
        }
    }
    changes
}

/// Every change from the webhooks document `base` to `head` (canonical;
/// a document without `webhooks` has no events), events in name order.
pub fn compare_webhooks(base: &Value, head: &Value) -> Vec<Change> {
    let (b, h) = (events(base), events(head));
    let mut names: Vec<&String> = b.keys().chain(h.keys()).collect();
    names.sort();
    names.dedup();
    let mut changes = Vec::new();
    for name in names {
        let label = format!("webhook {name}");
        let mut out = Out {
            label: &label,
            operation_id: None,
            changes: &mut changes,
        };
        match (b.get(name), h.get(name)) {
            (Some(_), None) => out.push(
                ChangeKind::EventRemoved,
                "",
                "",
                breaking("its `Event` variant and payload type disappear"),
            ),
            (None, Some(_)) => out.push(
                ChangeKind::EventAdded,
                "",
                "",
                compatible(
                    "a new variant of the `#[non_exhaustive]` `Event`: the event, which \
                     arrived as `Event::Unknown`, now arrives as the variant",
                )
                .behaviour(),
            ),
            (Some(bs), Some(hs)) => {
                compare_fields(&mut out, "payload", &fields(base, bs), &fields(head, hs))
            }
            (None, None) => {}
        }
    }
    changes
}

/// Event name -> the schema of its payload (the `POST`'s JSON body).
fn events(doc: &Value) -> BTreeMap<String, &Value> {
    doc.get("webhooks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, item)| {
            let post = walk::deref(doc, item.get("post")?);
            let schema = request_schema(doc, post.get("requestBody"))?;
            Some((name.clone(), schema))
        })
        .collect()
}

struct Out<'a> {
    label: &'a str,
    operation_id: Option<String>,
    changes: &'a mut Vec<Change>,
}

impl Out<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        target: impl Into<String>,
        detail: impl Into<String>,
        verdict: Verdict,
    ) {
        self.push_with_action(kind, target, detail, verdict, String::new());
    }

    fn push_with_action(
        &mut self,
        kind: ChangeKind,
        target: impl Into<String>,
        detail: impl Into<String>,
        verdict: Verdict,
        action: String,
    ) {
        self.changes.push(Change {
            kind,
            operation: self.label.to_string(),
            operation_id: self.operation_id.clone(),
            target: target.into(),
            detail: detail.into(),
            class: verdict.class,
            behaviour: verdict.behaviour,
            reason: verdict.reason,
            action,
        });
    }
}

struct Side<'a> {
    doc: &'a Value,
    /// Where the operation is.
    at: &'a OperationRef,
    op: &'a Value,
}

/// `(path, method)` -> where the operation is, and the operation.
fn operations(doc: &Value) -> BTreeMap<(String, HttpMethod), (OperationRef, Value)> {
    walk::operations(doc)
        .into_iter()
        .filter_map(|op| {
            let node = doc.pointer(&op.pointer)?.clone();
            Some(((op.path.clone(), op.method), (op, node)))
        })
        .collect()
}

fn operation_id(op: &Value) -> Option<String> {
    op.get("operationId")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn op_id_target(op: &Value) -> String {
    match operation_id(op) {
        Some(id) => format!("operationId `{id}`"),
        None => String::new(),
    }
}

fn is_deprecated(node: &Value) -> bool {
    node.get("deprecated").and_then(Value::as_bool) == Some(true)
}

fn compare_operation(out: &mut Out, base: &Side, head: &Side) {
    let (b_id, h_id) = (operation_id(base.op), operation_id(head.op));
    if b_id != h_id {
        out.push(
            ChangeKind::OperationIdChanged,
            "operationId",
            format!("{} -> {}", show(b_id), show(h_id)),
            breaking("the client method and builder are named after the operationId"),
        );
    }
    // The first tag places the method: its extension trait, its file and
    // its cargo feature.
    let first_tag = |op: &Value| {
        op.get("tags")
            .and_then(Value::as_array)
            .and_then(|tags| tags.first())
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (b_tag, h_tag) = (first_tag(base.op), first_tag(head.op));
    if b_tag != h_tag {
        out.push(
            ChangeKind::TagChanged,
            "tag",
            format!("{} -> {}", show(b_tag), show(h_tag)),
            breaking(
                "the method moves to the other tag's extension trait and cargo feature (area)",
            ),
        );
    }
    compare_deprecation(
        out,
        "operation",
        is_deprecated(base.op),
        is_deprecated(head.op),
    );
    compare_parameters(out, base, head);
    compare_request_body(out, base, head);
    compare_responses(out, base, head);
    compare_metadata(out, base.op, head.op);
}

fn compare_deprecation(out: &mut Out, target: &str, base: bool, head: bool) {
    match (base, head) {
        (false, true) => out.push(
            ChangeKind::Deprecated,
            target,
            "",
            compatible("`#[deprecated]`: uses compile with a warning"),
        ),
        (true, false) => out.push(
            ChangeKind::Undeprecated,
            target,
            "",
            compatible("no longer `#[deprecated]`: the warning goes"),
        ),
        _ => {}
    }
}

fn show(v: Option<String>) -> String {
    v.map(|s| format!("`{s}`")).unwrap_or_else(|| "none".into())
}

// ---------------------------------------------------------------------------
// Parameters.

struct Param {
    required: bool,
    deprecated: bool,
    ty: String,
    enum_values: Option<Enum>,
}

fn parameters(side: &Side) -> BTreeMap<(String, String), Param> {
    let mut out = BTreeMap::new();
    for (p, _) in walk::effective_parameters(side.doc, side.at) {
        let (Some(name), Some(location)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let schema = p.get("schema").map(|s| walk::deref(side.doc, s));
        out.insert(
            (location.to_string(), name.to_string()),
            Param {
                required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                deprecated: is_deprecated(p) || schema.is_some_and(is_deprecated),
                ty: schema
                    .map(|s| type_name(side.doc, s, 0))
                    .unwrap_or_else(|| "any".into()),
                enum_values: schema.and_then(|s| enum_of(side.doc, s)),
            },
        );
    }
    out
}

fn compare_parameters(out: &mut Out, base: &Side, head: &Side) {
    let (b, h) = (parameters(base), parameters(head));
    for (key, bp) in &b {
        let target = format!("{} parameter `{}`", key.0, key.1);
        match h.get(key) {
            None => out.push(
                ChangeKind::ParameterRemoved,
                target,
                "",
                breaking("the builder method for it disappears"),
            ),
            Some(hp) => {
                if bp.ty != hp.ty {
                    out.push(
                        ChangeKind::ParameterTypeChanged,
                        target.clone(),
                        format!("{} -> {}", bp.ty, hp.ty),
                        breaking("the builder method takes another type"),
                    );
                }
                if !bp.required && hp.required {
                    out.push(
                        ChangeKind::ParameterNowRequired,
                        target.clone(),
                        "",
                        breaking_at_run_time("calls that do not set it fail at `send()`"),
                    );
                } else if bp.required && !hp.required {
                    out.push(
                        ChangeKind::ParameterNowOptional,
                        target.clone(),
                        "",
                        compatible("calls that set it still work"),
                    );
                }
                compare_deprecation(out, &target, bp.deprecated, hp.deprecated);
                compare_enum(out, &target, &bp.enum_values, &hp.enum_values);
            }
        }
    }
    for (key, hp) in &h {
        if !b.contains_key(key) {
            let target = format!("{} parameter `{}`", key.0, key.1);
            if hp.required {
                out.push(
                    ChangeKind::ParameterAdded,
                    target,
                    "required",
                    breaking_at_run_time(
                        "existing calls still compile, and fail at `send()` without it",
                    ),
                );
            } else {
                out.push(
                    ChangeKind::ParameterAdded,
                    target,
                    "optional",
                    compatible("a new builder method; existing calls are unaffected"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Bodies.

/// The schema of a request body: its first media type's.
fn request_schema<'a>(doc: &'a Value, holder: Option<&'a Value>) -> Option<&'a Value> {
    let holder = walk::deref(doc, holder?);
    let content = holder.get("content")?.as_object()?;
    let (_, media) = content.iter().next()?;
    media.get("schema")
}

/// What a response carries, as the client decodes it: JSON (the schema of
/// its JSON media type), a body it hands over as bytes, or nothing.
#[derive(Clone, Copy)]
enum ResponseBody<'a> {
    None,
    Raw,
    Json(&'a Value),
}

fn response_body<'a>(doc: &'a Value, response: &'a Value) -> ResponseBody<'a> {
    let response = walk::deref(doc, response);
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return ResponseBody::None;
    };
    if let Some((_, media)) = content.iter().find(|(m, _)| is_json_media(m)) {
        return match media.get("schema") {
            Some(schema) => ResponseBody::Json(schema),
            None => ResponseBody::Raw,
        };
    }
    if content.is_empty() {
        ResponseBody::None
    } else {
        ResponseBody::Raw
    }
}

/// The success status whose body `send()` returns: the lowest 2xx with a
/// JSON body, else the lowest with any body, else the lowest (the rule of
/// codegen's `lower_success_responses`).
fn modeled_success<'a>(
    doc: &'a Value,
    responses: &'a serde_json::Map<String, Value>,
) -> Option<(&'a str, ResponseBody<'a>)> {
    let mut successes: Vec<(Status, &str, ResponseBody)> = responses
        .iter()
        .filter_map(|(s, r)| {
            let status: Status = s.parse().ok()?;
            status
                .is_success()
                .then(|| (status, s.as_str(), response_body(doc, r)))
        })
        .collect();
    successes.sort_by_key(|(status, _, _)| *status);
    let pick = |want: fn(&ResponseBody) -> bool| successes.iter().find(|(_, _, b)| want(b));
    pick(|b| matches!(b, ResponseBody::Json(_)))
        .or_else(|| pick(|b| matches!(b, ResponseBody::Raw)))
        .or_else(|| successes.first())
        .map(|(_, s, b)| (*s, *b))
}

fn compare_request_body(out: &mut Out, base: &Side, head: &Side) {
    let b = request_schema(base.doc, base.op.get("requestBody"));
    let h = request_schema(head.doc, head.op.get("requestBody"));
    match (b, h) {
        (None, None) => {}
        (Some(_), None) => out.push(
            ChangeKind::RequestBodyRemoved,
            "request body",
            "",
            breaking("the builder's `body` method disappears"),
        ),
        (None, Some(_)) => out.push(
            ChangeKind::RequestBodyAdded,
            "request body",
            "",
            breaking_at_run_time("existing calls still compile, and send no body"),
        ),
        (Some(b), Some(h)) => {
            let bf = fields(base.doc, b);
            let hf = fields(head.doc, h);
            compare_fields(out, "request body", &bf, &hf);
        }
    }
}

fn compare_responses(out: &mut Out, base: &Side, head: &Side) {
    let empty = serde_json::Map::new();
    let responses = |s: &Side<'_>| -> serde_json::Map<String, Value> {
        s.op.get("responses")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (b, h) = (responses(base), responses(head));
    let (bm, hm) = (modeled_success(base.doc, &b), modeled_success(head.doc, &h));
    compare_success_body(out, base, head, bm, hm);
    for (status, br) in &b {
        let target = format!("response {status}");
        let Some(hr) = h.get(status) else {
            out.push(
                ChangeKind::StatusRemoved,
                target,
                "",
                compatible("docs and `metadata` only"),
            );
            continue;
        };
        // The body `send()` returns is compared above; the bodies of other
        // success statuses have no Rust type (the method docs list them).
        if status.parse::<Status>().is_ok_and(Status::is_success) {
            compare_error_codes(out, status, br, hr);
            continue;
        }
        match (response_body(base.doc, br), response_body(head.doc, hr)) {
            (ResponseBody::Json(bs), ResponseBody::Json(hs)) => {
                let bf = fields(base.doc, bs);
                let hf = fields(head.doc, hs);
                compare_fields(out, &target, &bf, &hf);
            }
            (ResponseBody::None, ResponseBody::None) | (ResponseBody::Raw, ResponseBody::Raw) => {}
            (ResponseBody::None, _) => out.push(
                ChangeKind::ResponseBodyAdded,
                target.clone(),
                "",
                compatible("the error body: docs, and the error's payload"),
            ),
            (_, ResponseBody::None) => out.push(
                ChangeKind::ResponseBodyRemoved,
                target.clone(),
                "",
                compatible("the error body: docs, and the error's payload"),
            ),
            (_, _) => out.push(
                ChangeKind::ResponseBodyAdded,
                target.clone(),
                "another kind of body",
                compatible("the error body: docs, and the error's payload"),
            ),
        }
        compare_error_codes(out, status, br, hr);
    }
    for status in h.keys() {
        if !b.contains_key(status) {
            out.push(
                ChangeKind::StatusAdded,
                format!("response {status}"),
                "",
                compatible("docs and `metadata` only"),
            );
        }
    }
}

/// The body `send()` returns: another kind of body is another output type;
/// the same JSON body is compared field by field.
fn compare_success_body(
    out: &mut Out,
    base: &Side,
    head: &Side,
    b: Option<(&str, ResponseBody)>,
    h: Option<(&str, ResponseBody)>,
) {
    let describe = |m: Option<(&str, ResponseBody)>, doc: &Value| match m {
        None | Some((_, ResponseBody::None)) => "no body".to_string(),
        Some((_, ResponseBody::Raw)) => "bytes".to_string(),
        Some((_, ResponseBody::Json(s))) => type_name(doc, s, 0),
    };
    match (b, h) {
        (Some((bs, ResponseBody::Json(bj))), Some((hs, ResponseBody::Json(hj)))) => {
            let target = if bs == hs {
                format!("response {hs}")
            } else {
                format!("response {bs} -> {hs}")
            };
            let bf = fields(base.doc, bj);
            let hf = fields(head.doc, hj);
            compare_fields(out, &target, &bf, &hf);
        }
        _ => {
            let (bd, hd) = (describe(b, base.doc), describe(h, head.doc));
            if bd != hd {
                out.push(
                    ChangeKind::SuccessBodyChanged,
                    "success body",
                    format!("{bd} -> {hd}"),
                    breaking("`send()` returns another type"),
                );
            }
        }
    }
}

fn compare_error_codes(out: &mut Out, status: &str, base: &Value, head: &Value) {
    let codes = |r: &Value| -> BTreeMap<i64, String> {
        r.get("x-zoom-error-codes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                Some((
                    c.get("code")?.as_i64()?,
                    c.get("message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                ))
            })
            .collect()
    };
    let (b, h) = (codes(base), codes(head));
    for (code, message) in &b {
        match h.get(code) {
            None => out.push(
                ChangeKind::ErrorCodeRemoved,
                format!("error code {code} ({status})"),
                "",
                compatible("docs and `metadata` only"),
            ),
            Some(m) if m != message => out.push(
                ChangeKind::ErrorMessageChanged,
                format!("error code {code} ({status})"),
                format!("{message:?} -> {m:?}"),
                compatible("docs and `metadata` only"),
            ),
            Some(_) => {}
        }
    }
    for code in h.keys() {
        if !b.contains_key(code) {
            out.push(
                ChangeKind::ErrorCodeAdded,
                format!("error code {code} ({status})"),
                "",
                compatible("a newly documented error: docs and `metadata` only"),
            );
        }
    }
}

#[derive(Debug, Clone)]
struct Field {
    ty: String,
    required: bool,
    deprecated: bool,
    enum_values: Option<Enum>,
}

/// `path` -> field, for every field under `schema` (the root is `""`).
fn fields(doc: &Value, schema: &Value) -> BTreeMap<String, Field> {
    let mut out = BTreeMap::new();
    let root = walk::deref(doc, schema);
    out.insert(
        String::new(),
        Field {
            ty: type_name(doc, root, 0),
            required: true,
            deprecated: false,
            enum_values: enum_of(doc, root),
        },
    );
    collect_fields(doc, root, "", &mut out, &mut Vec::new());
    out
}

/// A use of a schema is deprecated when the use says so (`deprecated`
/// beside a `$ref`, or around an `allOf` of one) or the schema does.
fn deprecated_use(doc: &Value, node: &Value) -> bool {
    if is_deprecated(node) || is_deprecated(walk::deref(doc, node)) {
        return true;
    }
    match node
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => is_deprecated(walk::deref(doc, only)),
        _ => false,
    }
}

fn collect_fields(
    doc: &Value,
    schema: &Value,
    prefix: &str,
    out: &mut BTreeMap<String, Field>,
    stack: &mut Vec<String>,
) {
    let schema = walk::deref(doc, schema);
    let Some(map) = schema.as_object() else {
        return;
    };
    // Guard against recursive shapes: stop at a schema already being walked.
    let identity = serde_json::to_string(schema).unwrap_or_default();
    if stack.contains(&identity) || stack.len() > 32 {
        return;
    }
    stack.push(identity);
    let (members, required) = object_members(doc, schema);
    for Member {
        name,
        schema: written,
        from_alternative,
    } in members
    {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let sub = walk::deref(doc, &written).clone();
        out.entry(path.clone()).or_insert(Field {
            ty: type_name(doc, &sub, 0),
            required: !from_alternative && required.contains(&name),
            deprecated: deprecated_use(doc, &written),
            enum_values: enum_of(doc, &sub),
        });
        collect_fields(doc, &sub, &path, out, stack);
    }
    if let Some(items) = map.get("items") {
        let items = walk::deref(doc, items);
        let path = format!("{prefix}[]");
        out.entry(path.clone()).or_insert(Field {
            ty: type_name(doc, items, 0),
            required: true,
            deprecated: false,
            enum_values: enum_of(doc, items),
        });
        collect_fields(doc, items, &path, out, stack);
    }
    if let Some(values) = map.get("additionalProperties").filter(|v| v.is_object()) {
        let values = walk::deref(doc, values);
        let path = format!("{prefix}{{}}");
        out.entry(path.clone()).or_insert(Field {
            ty: type_name(doc, values, 0),
            required: true,
            deprecated: false,
            enum_values: enum_of(doc, values),
        });
        collect_fields(doc, values, &path, out, stack);
    }
    stack.pop();
}

/// One property of an object, and whether it came from a `oneOf`/`anyOf`
/// alternative (then it is optional whatever the alternative says).
struct Member {
    name: String,
    schema: Value,
    from_alternative: bool,
}

/// The properties of an object schema with `allOf` members merged and
/// `oneOf`/`anyOf` alternatives added; and its required names.
fn object_members(doc: &Value, schema: &Value) -> (Vec<Member>, BTreeSet<String>) {
    fn add(
        doc: &Value,
        schema: &Value,
        from_alternative: bool,
        members: &mut Vec<Member>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        let schema = walk::deref(doc, schema);
        if let Some(p) = schema.get("properties").and_then(Value::as_object) {
            for (name, sub) in p {
                if !members.iter().any(|m| &m.name == name) {
                    members.push(Member {
                        name: name.clone(),
                        schema: sub.clone(),
                        from_alternative,
                    });
                }
            }
        }
        if !from_alternative && let Some(r) = schema.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
        }
        for member in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(doc, member, from_alternative, members, required, depth + 1);
        }
        for key in ["oneOf", "anyOf"] {
            for alt in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                add(doc, alt, true, members, required, depth + 1);
            }
        }
    }
    let mut members = Vec::new();
    let mut required = BTreeSet::new();
    add(doc, schema, false, &mut members, &mut required, 0);
    (members, required)
}

/// A short type text: `string(date-time)`, `integer|null`,
/// `array<object>`, `oneOf(integer|string)`.
fn type_name(doc: &Value, schema: &Value, depth: usize) -> String {
    let schema = walk::deref(doc, schema);
    if depth > 8 {
        return "...".into();
    }
    let Some(map) = schema.as_object() else {
        return if schema == &Value::Bool(false) {
            "never".into()
        } else {
            "any".into()
        };
    };
    let mut types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let has_members = map.contains_key("properties") || map.contains_key("allOf");
    if types.is_empty() && has_members {
        types.push("object".into());
    }
    if types.is_empty() {
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = map.get(key).and_then(Value::as_array) {
                let inner: Vec<String> =
                    alts.iter().map(|a| type_name(doc, a, depth + 1)).collect();
                return format!("{key}({})", inner.join("|"));
            }
        }
        return "any".into();
    }
    let format = map.get("format").and_then(Value::as_str);
    let rendered: Vec<String> = types
        .into_iter()
        .map(|t| match (t.as_str(), format) {
            ("array", _) => {
                let item = map
                    .get("items")
                    .map(|i| type_name(doc, i, depth + 1))
                    .unwrap_or_else(|| "any".into());
                format!("array<{item}>")
            }
            ("null", _) => t,
            (_, Some(f)) => format!("{t}({f})"),
            _ => t,
        })
        .collect();
    rendered.join("|")
}

/// An enumerated schema's values, and what the client makes of them.
#[derive(Debug, Clone)]
struct Enum {
    kind: EnumKind,
    values: Vec<Value>,
}

fn enum_of(doc: &Value, schema: &Value) -> Option<Enum> {
    let schema = walk::deref(doc, schema);
    let of = |schema: &Value| {
        let map = schema.as_object()?;
        Some(Enum {
            kind: EnumKind::of(map)?,
            values: map.get("enum")?.as_array()?.clone(),
        })
    };
    // An array of enum values: the values are the items'.
    of(schema).or_else(|| of(walk::deref(doc, schema.get("items")?)))
}

fn compare_fields(
    out: &mut Out,
    where_: &str,
    base: &BTreeMap<String, Field>,
    head: &BTreeMap<String, Field>,
) {
    let where_target = |path: &str| {
        if path.is_empty() {
            where_.to_string()
        } else {
            format!("{where_} field `{path}`")
        }
    };
    // Only the top-most of an added or removed subtree is reported.
    let under = |path: &str, set: &BTreeSet<&str>| set.iter().any(|p| is_ancestor(p, path));
    let removed: BTreeSet<&str> = base
        .keys()
        .filter(|k| !head.contains_key(*k))
        .map(String::as_str)
        .collect();
    let added: BTreeSet<&str> = head
        .keys()
        .filter(|k| !base.contains_key(*k))
        .map(String::as_str)
        .collect();
    for path in &removed {
        if under(path, &removed) {
            continue;
        }
        out.push(
            ChangeKind::FieldRemoved,
            where_target(path),
            "",
            breaking("code that sets or reads the field no longer compiles"),
        );
    }
    for path in &added {
        if under(path, &added) {
            continue;
        }
        if head[*path].required {
            out.push(
                ChangeKind::FieldAdded,
                where_target(path),
                "required",
                breaking("`new(..)` takes one more argument, or the type loses `Default`"),
            );
        } else {
            out.push(
                ChangeKind::FieldAdded,
                where_target(path),
                "optional",
                compatible("a new field and setter on a `#[non_exhaustive]` struct"),
            );
        }
    }
    for (path, b) in base {
        let Some(h) = head.get(path) else {
            continue;
        };
        if b.ty != h.ty {
            out.push(
                ChangeKind::FieldTypeChanged,
                where_target(path),
                format!("{} -> {}", b.ty, h.ty),
                breaking("the Rust field's type changes"),
            );
        }
        if b.required != h.required && !path.is_empty() {
            out.push(
                if h.required {
                    ChangeKind::FieldNowRequired
                } else {
                    ChangeKind::FieldNowOptional
                },
                where_target(path),
                "",
                breaking("the Rust field changes between `T` and `Option<T>`"),
            );
        }
        compare_deprecation(out, &where_target(path), b.deprecated, h.deprecated);
        compare_enum(out, &where_target(path), &b.enum_values, &h.enum_values);
    }
}

/// `a` is an ancestor of `a.b`, `a[]`, `a[].c`, `a{}`.
fn is_ancestor(ancestor: &str, path: &str) -> bool {
    if ancestor.is_empty() {
        return !path.is_empty();
    }
    path.len() > ancestor.len()
        && path.starts_with(ancestor)
        && matches!(path.as_bytes()[ancestor.len()], b'.' | b'[' | b'{')
}

fn compare_enum(out: &mut Out, target: &str, base: &Option<Enum>, head: &Option<Enum>) {
    let (Some(b), Some(h)) = (base, head) else {
        return;
    };
    let text = |v: &Value| match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    // The plain number or bool: only its docs list the values.
    let documented = b.kind == EnumKind::Documented && h.kind == EnumKind::Documented;
    let (removed, added) = if documented {
        (
            docs("the field is the plain number or bool; only its docs list the values"),
            docs("the field is the plain number or bool; only its docs list the values"),
        )
    } else {
        (
            breaking("the enum variant is gone"),
            compatible(
                "a new variant of an open `#[non_exhaustive]` enum: a value that \
                 arrived as `Unknown(..)` now arrives as the variant",
            )
            .behaviour(),
        )
    };
    for v in b.values.iter().filter(|v| !h.values.contains(v)) {
        out.push(ChangeKind::EnumValueRemoved, target, text(v), removed);
    }
    for v in h.values.iter().filter(|v| !b.values.contains(v)) {
        out.push(ChangeKind::EnumValueAdded, target, text(v), added);
    }
}

// ---------------------------------------------------------------------------
// Deployment: scopes, rate limit, prerequisites.

fn compare_metadata(out: &mut Out, base: &Value, head: &Value) {
    let list = |op: &Value, key: &str| -> Vec<String> {
        op.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let code_list = |items: &[String]| {
        items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (key, what) in [
        ("x-zoom-scopes", "scope"),
        ("x-zoom-granular-scopes", "granular scope"),
    ] {
        let (b, h) = (list(base, key), list(head, key));
        let added: Vec<String> = h.iter().filter(|s| !b.contains(s)).cloned().collect();
        for s in b.iter().filter(|s| !h.contains(s)) {
            let action = match h.as_slice() {
                [] => format!("no {what} is listed any more; nothing to add"),
                [only] => {
                    format!("add {what} `{only}` to your app if it holds `{s}` for this call")
                }
                _ => format!(
                    "add one of {} to your app if it holds `{s}` for this call",
                    code_list(&h)
                ),
            };
            out.push_with_action(
                ChangeKind::ScopeRemoved,
                format!("{what} `{s}`"),
                "",
                deployment("apps authorized with only this scope are refused"),
                action,
            );
        }
        for s in &added {
            out.push_with_action(
                ChangeKind::ScopeAdded,
                format!("{what} `{s}`"),
                "",
                deployment("one more scope allows the call"),
                format!("none needed; an app may hold `{s}` instead"),
            );
        }
    }
    // Labels compare as labels (`light` is `LIGHT`); one that is none is
    // compared as written.
    let rate = |op: &Value| {
        op.get("x-zoom-rate-limit")
            .and_then(Value::as_str)
            .map(|raw| match raw.parse::<RateLimitLabel>() {
                Ok(label) => label.as_str().to_string(),
                Err(_) => raw.to_string(),
            })
    };
    let (b_rate, h_rate) = (rate(base), rate(head));
    if b_rate != h_rate {
        let action = match &h_rate {
            Some(label) => format!(
                "calls now draw from the {label} budget: check the app's call volume against \
                 Zoom's {label} limits (the client's throttle follows the label)"
            ),
            None => "no rate-limit label any more: the client no longer throttles the call".into(),
        };
        out.push_with_action(
            ChangeKind::RateLimitChanged,
            "rate-limit label",
            format!("{} -> {}", show(b_rate), show(h_rate)),
            deployment("another per-second and daily budget"),
            action,
        );
    }
    let (b, h) = (
        list(base, "x-zoom-prerequisites"),
        list(head, "x-zoom-prerequisites"),
    );
    if b != h {
        let added: Vec<String> = h.iter().filter(|p| !b.contains(p)).cloned().collect();
        let removed: Vec<String> = b.iter().filter(|p| !h.contains(p)).cloned().collect();
        let mut action = Vec::new();
        if !added.is_empty() {
            action.push(format!(
                "check that the account meets the new prerequisite(s): {}",
                added.join("; ")
            ));
        }
        if !removed.is_empty() {
            action.push(format!("no longer required: {}", removed.join("; ")));
        }
        if action.is_empty() {
            action.push("the same prerequisites, reordered".into());
        }
        out.push_with_action(
            ChangeKind::PrerequisitesChanged,
            "prerequisites",
            "",
            deployment("what the account must have for the call to succeed"),
            action.join("; "),
        );
    }
}
