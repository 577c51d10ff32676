//! The API change between two specs, operation by operation, each change
//! classified for a user of the generated Rust client.
//!
//! Both documents are in canonical 3.1 form (`zoom_api_codegen::normalize`).
//! Bodies are compared as flat field lists: `$ref`s resolved, `allOf`
//! members merged, `oneOf`/`anyOf` alternatives walked (their fields
//! counted as optional: the generator merges all-optional alternatives
//! into one type), array items as `field[]`, map values as `field{}`.
//!
//! What counts as breaking is what makes code written against the old
//! client stop compiling or stop working: a removed operation, parameter,
//! field or enum value; a changed type or operation id; a new required
//! input; a field switching between `T` and `Option<T>`; a scope removed
//! from the ones that allow a call. A new optional input, a new response
//! field, a new enum value (the client decodes unknown values into a
//! catch-all), a new error code or status, and a changed rate-limit label
//! (the client's throttle follows the label) are not.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zoom_api_codegen::spec::{
    self as walk, EnumKind, HttpMethod, OperationRef, RateLimitLabel, Status,
};

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationIdChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterTypeChanged,
    ParameterNowRequired,
    ParameterNowOptional,
    RequestBodyAdded,
    RequestBodyRemoved,
    StatusAdded,
    StatusRemoved,
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
    ScopeAdded,
    ScopeRemoved,
    RateLimitChanged,
    PrerequisitesChanged,
}

impl ChangeKind {
    /// The stable identifier in reports and fixtures (`field-removed`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationIdChanged => "operation-id-changed",
            ChangeKind::ParameterAdded => "parameter-added",
            ChangeKind::ParameterRemoved => "parameter-removed",
            ChangeKind::ParameterTypeChanged => "parameter-type-changed",
            ChangeKind::ParameterNowRequired => "parameter-now-required",
            ChangeKind::ParameterNowOptional => "parameter-now-optional",
            ChangeKind::RequestBodyAdded => "request-body-added",
            ChangeKind::RequestBodyRemoved => "request-body-removed",
            ChangeKind::StatusAdded => "status-added",
            ChangeKind::StatusRemoved => "status-removed",
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
            ChangeKind::ScopeAdded => "scope-added",
            ChangeKind::ScopeRemoved => "scope-removed",
            ChangeKind::RateLimitChanged => "rate-limit-changed",
            ChangeKind::PrerequisitesChanged => "prerequisites-changed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change, with its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// `GET /accounts/{accountId}`.
    pub operation: String,
    /// What changed inside the operation (`query parameter `page_size``).
    pub target: String,
    /// Before -> after, when there is one.
    pub detail: String,
    pub breaking: bool,
    /// Why, for a Rust user.
    pub reason: &'static str,
}

impl Change {
    /// One line: `breaking field-removed: GET /a: response 200 field `x``.
    pub fn line(&self) -> String {
        let class = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        let mut line = format!("{class} {}: {}", self.kind, self.operation);
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
        let mut out = Out {
            label: &label,
            changes: &mut changes,
        };
        match (base_ops.get(key), head_ops.get(key)) {
            (Some(b), None) => out.push(
                ChangeKind::OperationRemoved,
                op_id_target(&b.1),
                "",
                true,
                "the client method and its builder disappear",
            ),
            (None, Some(h)) => out.push(
                ChangeKind::OperationAdded,
                op_id_target(&h.1),
                "",
                false,
                "a new method; existing code is unaffected",
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

struct Out<'a> {
    label: &'a str,
    changes: &'a mut Vec<Change>,
}

impl Out<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        target: impl Into<String>,
        detail: impl Into<String>,
        breaking: bool,
        reason: &'static str,
    ) {
        self.changes.push(Change {
            kind,
            operation: self.label.to_string(),
            target: target.into(),
            detail: detail.into(),
            breaking,
            reason,
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

fn op_id_target(op: &Value) -> String {
    match op.get("operationId").and_then(Value::as_str) {
        Some(id) => format!("operationId `{id}`"),
        None => String::new(),
    }
}

fn compare_operation(out: &mut Out, base: &Side, head: &Side) {
    let id = |s: &Side| {
        s.op.get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if id(base) != id(head) {
        out.push(
            ChangeKind::OperationIdChanged,
            "operationId",
            format!("{} -> {}", show(id(base)), show(id(head))),
            true,
            "the client method and builder are named after the operationId",
        );
    }
    compare_parameters(out, base, head);
    compare_request_body(out, base, head);
    compare_responses(out, base, head);
    compare_metadata(out, base.op, head.op);
}

fn show(v: Option<String>) -> String {
    v.map(|s| format!("`{s}`")).unwrap_or_else(|| "none".into())
}

// ---------------------------------------------------------------------------
// Parameters.

struct Param {
    required: bool,
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
                true,
                "the builder method for it disappears",
            ),
            Some(hp) => {
                if bp.ty != hp.ty {
                    out.push(
                        ChangeKind::ParameterTypeChanged,
                        target.clone(),
                        format!("{} -> {}", bp.ty, hp.ty),
                        true,
                        "the builder method takes another type",
                    );
                }
                if !bp.required && hp.required {
                    out.push(
                        ChangeKind::ParameterNowRequired,
                        target.clone(),
                        "",
                        true,
                        "calls that do not set it fail",
                    );
                } else if bp.required && !hp.required {
                    out.push(
                        ChangeKind::ParameterNowOptional,
                        target.clone(),
                        "",
                        false,
                        "calls that set it still work",
                    );
                }
                compare_enum(out, &target, &bp.enum_values, &hp.enum_values, true);
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
                    true,
                    "existing calls do not set it and fail",
                );
            } else {
                out.push(
                    ChangeKind::ParameterAdded,
                    target,
                    "optional",
                    false,
                    "a new builder method; existing calls are unaffected",
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Bodies.

/// The schema of the first media type of a `content` map.
fn primary_schema<'a>(doc: &'a Value, holder: Option<&'a Value>) -> Option<&'a Value> {
    let holder = walk::deref(doc, holder?);
    let content = holder.get("content")?.as_object()?;
    let (_, media) = content.iter().next()?;
    media.get("schema")
}

fn compare_request_body(out: &mut Out, base: &Side, head: &Side) {
    let b = primary_schema(base.doc, base.op.get("requestBody"));
    let h = primary_schema(head.doc, head.op.get("requestBody"));
    match (b, h) {
        (None, None) => {}
        (Some(_), None) => out.push(
            ChangeKind::RequestBodyRemoved,
            "request body",
            "",
            true,
            "the builder's `body` method disappears",
        ),
        (None, Some(_)) => out.push(
            ChangeKind::RequestBodyAdded,
            "request body",
            "",
            true,
            "existing calls send no body",
        ),
        (Some(b), Some(h)) => {
            let bf = fields(base.doc, b);
            let hf = fields(head.doc, h);
            compare_fields(out, "request body", &bf, &hf, Direction::Request);
        }
    }
}

fn compare_responses(out: &mut Out, base: &Side, head: &Side) {
    let empty = serde_json::Map::new();
    let responses = |s: &Side| -> serde_json::Map<String, Value> {
        s.op.get("responses")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (b, h) = (responses(base), responses(head));
    let is_success = |status: &str| status.parse::<Status>().is_ok_and(Status::is_success);
    for (status, br) in &b {
        let target = format!("response {status}");
        let Some(hr) = h.get(status) else {
            let success = is_success(status);
            out.push(
                ChangeKind::StatusRemoved,
                target,
                "",
                success,
                if success {
                    "the method's success type changes"
                } else {
                    "one error status less to handle"
                },
            );
            continue;
        };
        let bs = primary_schema(base.doc, Some(br));
        let hs = primary_schema(head.doc, Some(hr));
        match (bs, hs) {
            (Some(_), None) => out.push(
                ChangeKind::ResponseBodyRemoved,
                target.clone(),
                "",
                is_success(status),
                "the method's response type changes",
            ),
            (None, Some(_)) => out.push(
                ChangeKind::ResponseBodyAdded,
                target.clone(),
                "",
                is_success(status),
                "the method's response type changes",
            ),
            (Some(bs), Some(hs)) => {
                let bf = fields(base.doc, bs);
                let hf = fields(head.doc, hs);
                compare_fields(out, &target, &bf, &hf, Direction::Response);
            }
            (None, None) => {}
        }
        compare_error_codes(out, status, br, hr);
    }
    for status in h.keys() {
        if !b.contains_key(status) {
            out.push(
                ChangeKind::StatusAdded,
                format!("response {status}"),
                "",
                false,
                "a newly documented status; existing code is unaffected",
            );
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
                false,
                "documentation and metadata only",
            ),
            Some(m) if m != message => out.push(
                ChangeKind::ErrorMessageChanged,
                format!("error code {code} ({status})"),
                format!("{message:?} -> {m:?}"),
                false,
                "documentation and metadata only",
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
                false,
                "a newly documented error; existing code is unaffected",
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

#[derive(Debug, Clone)]
struct Field {
    ty: String,
    required: bool,
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
            enum_values: enum_of(doc, root),
        },
    );
    collect_fields(doc, root, "", &mut out, &mut Vec::new());
    out
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
        schema: sub,
        from_alternative,
    } in members
    {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let sub = walk::deref(doc, &sub).clone();
        out.entry(path.clone()).or_insert(Field {
            ty: type_name(doc, &sub, 0),
            required: !from_alternative && required.contains(&name),
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
    direction: Direction,
) {
    let where_target = |path: &str| match (path.is_empty(), direction) {
        (true, Direction::Request) => where_.to_string(),
        (true, Direction::Response) => format!("{where_} body"),
        (false, _) => format!("{where_} field `{path}`"),
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
            true,
            match direction {
                Direction::Request => "code that sets the field no longer compiles",
                Direction::Response => "code that reads the field no longer compiles",
            },
        );
    }
    for path in &added {
        if under(path, &added) {
            continue;
        }
        let required = head[*path].required;
        match direction {
            Direction::Request if required => out.push(
                ChangeKind::FieldAdded,
                where_target(path),
                "required",
                true,
                "existing requests lack the field",
            ),
            Direction::Request => out.push(
                ChangeKind::FieldAdded,
                where_target(path),
                "optional",
                false,
                "an optional input; existing requests stay valid",
            ),
            Direction::Response => out.push(
                ChangeKind::FieldAdded,
                where_target(path),
                "",
                false,
                "a new field to read; existing code is unaffected",
            ),
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
                true,
                "the Rust field's type changes",
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
                true,
                "the Rust field changes between `T` and `Option<T>`",
            );
        }
        compare_enum(
            out,
            &where_target(path),
            &b.enum_values,
            &h.enum_values,
            direction == Direction::Request,
        );
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

fn compare_enum(
    out: &mut Out,
    target: &str,
    base: &Option<Enum>,
    head: &Option<Enum>,
    input: bool,
) {
    let (Some(b), Some(h)) = (base, head) else {
        return;
    };
    let text = |v: &Value| match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    };
    if b.kind == EnumKind::Documented && h.kind == EnumKind::Documented {
        // The field is the plain number or bool: only its docs list values.
        for (kind, from, to) in [
            (ChangeKind::EnumValueRemoved, &b.values, &h.values),
            (ChangeKind::EnumValueAdded, &h.values, &b.values),
        ] {
            for v in from.iter().filter(|v| !to.contains(v)) {
                out.push(
                    kind,
                    target.to_string(),
                    text(v),
                    false,
                    "the field is a plain number or bool; only its docs list the values",
                );
            }
        }
        return;
    }
    let (b, h) = (&b.values, &h.values);
    for v in b {
        if !h.contains(v) {
            out.push(
                ChangeKind::EnumValueRemoved,
                target.to_string(),
                text(v),
                true,
                if input {
                    "requests that send the value no longer compile (the variant is gone)"
                } else {
                    "code that matches on the variant no longer compiles"
                },
            );
        }
    }
    for v in h {
        if !b.contains(v) {
            out.push(
                ChangeKind::EnumValueAdded,
                target.to_string(),
                text(v),
                false,
                if input {
                    "a new value to send; existing requests stay valid"
                } else {
                    "the client decodes values it does not know into a catch-all"
                },
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Metadata: scopes, rate limit, prerequisites.

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
    for (key, what) in [
        ("x-zoom-scopes", "scope"),
        ("x-zoom-granular-scopes", "granular scope"),
    ] {
        let (b, h) = (list(base, key), list(head, key));
        for s in &b {
            if !h.contains(s) {
                out.push(
                    ChangeKind::ScopeRemoved,
                    format!("{what} `{s}`"),
                    "",
                    true,
                    "apps authorized with only this scope are refused",
                );
            }
        }
        for s in &h {
            if !b.contains(s) {
                out.push(
                    ChangeKind::ScopeAdded,
                    format!("{what} `{s}`"),
                    "",
                    false,
                    "one more scope allows the call",
                );
            }
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
    if rate(base) != rate(head) {
        out.push(
            ChangeKind::RateLimitChanged,
            "rate-limit label",
            format!("{} -> {}", show(rate(base)), show(rate(head))),
            false,
            "the client's throttle follows the label",
        );
    }
    let (b, h) = (
        list(base, "x-zoom-prerequisites"),
        list(head, "x-zoom-prerequisites"),
    );
    if b != h {
        out.push(
            ChangeKind::PrerequisitesChanged,
            "prerequisites",
            "",
            false,
            "documentation only",
        );
    }
}
