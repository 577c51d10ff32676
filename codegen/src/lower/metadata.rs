//! What the client needs to know about an operation beyond its signature:
//! read out of the `x-zoom-*` extensions once, before lowering rewrites
//! anything, into [`OperationRecord`]s (which `emit` writes as the
//! generated `metadata` table), and appended to each operation's
//! description so the method docs carry it.

use serde_json::Value;

use super::{append_description, status, string_list};
use crate::error::{Error, Result};
use crate::lower::naming::snake_ident;
use crate::spec::{self, Document, HttpMethod, RateLimitLabel, Status, child_pointer};

/// One documented error code of a response (`x-zoom-error-codes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ErrorCode {
    pub status: Status,
    pub code: i64,
    pub message: String,
}

/// What the client needs to know about an operation beyond its signature.
#[derive(Debug, Clone)]
pub(crate) struct OperationRecord {
    pub operation_id: String,
    /// The generated method name.
    pub method_name: String,
    pub method: HttpMethod,
    pub path: String,
    pub pointer: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub scopes: Vec<String>,
    pub granular_scopes: Vec<String>,
    pub rate_limit: Option<RateLimitLabel>,
    pub prerequisites: Vec<String>,
    pub error_codes: Vec<ErrorCode>,
    /// Takes a `next_page_token` query parameter.
    pub paginated: bool,
    /// The documented maximum of the `page_size` query parameter.
    pub max_page_size: Option<u32>,
    /// 2xx statuses the spec documents that the method does not model
    /// (they surface as `Error::UnexpectedResponse`, body intact).
    pub unmodeled_success_statuses: Vec<Status>,
    /// Emitted by us rather than by the engine.
    pub multipart: bool,
    /// Every documented 2xx status and what the spec shows of its body
    /// (the mock module's default answers), in the spec's order.
    pub success_examples: Vec<(Status, SuccessExample)>,
}

/// What the spec shows of a success response's body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SuccessExample {
    /// The response has no body.
    NoBody,
    /// The example of its JSON body (the media type's `example`, its first
    /// `examples` entry, or the schema's `example`).
    Json(Value),
    /// A body with no example.
    Missing,
}

impl OperationRecord {
    /// The success status the generated method models (the 2xx the spec
    /// documents that lowering kept) and its example; `None` for an
    /// operation without a 2xx response.
    pub(crate) fn modeled_success(&self) -> Option<(u16, &SuccessExample)> {
        self.success_examples
            .iter()
            .filter(|(status, _)| !self.unmodeled_success_statuses.contains(status))
            .map(|(status, example)| (metadata_status(*status), example))
            .min_by_key(|(status, _)| *status)
    }
}

#[cfg(test)]
impl OperationRecord {
    /// A record with only an id, for the tests of other passes.
    pub(crate) fn for_test(id: &str) -> Self {
        Self {
            operation_id: id.into(),
            method_name: snake_ident(id),
            method: HttpMethod::Post,
            path: "/a".into(),
            pointer: "/paths/~1a/post".into(),
            tags: vec![],
            summary: None,
            scopes: vec![],
            granular_scopes: vec![],
            rate_limit: None,
            prerequisites: vec![],
            error_codes: vec![],
            paginated: false,
            max_page_size: None,
            unmodeled_success_statuses: vec![],
            multipart: false,
            success_examples: vec![],
        }
    }
}

/// Reads the `x-zoom-*` extensions and the rest of [`OperationRecord`] before
/// lowering rewrites anything. Malformed extensions are errors: the metadata
/// is part of the product, not decoration.
pub(super) fn collect_operation_meta(doc: &Value, src: &Document) -> Result<Vec<OperationRecord>> {
    let mut out = Vec::new();
    for op_ref in spec::operations(doc) {
        let op = &doc["paths"][op_ref.path.as_str()][op_ref.method.as_str()];
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        let ext_list = |key: &str| -> Result<Vec<String>> {
            match op.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                    Ok(string_list(Some(&op[key])))
                }
                Some(_) => Err(Error::Invalid {
                    location: src.locate(&child_pointer(&op_ref.pointer, key)),
                    message: format!("{key} must be a list of strings"),
                }),
            }
        };
        let rate_limit = match op.get("x-zoom-rate-limit") {
            None => None,
            Some(v) => Some(v.as_str().and_then(|l| l.parse().ok()).ok_or_else(|| {
                Error::Invalid {
                    location: src.locate(&child_pointer(&op_ref.pointer, "x-zoom-rate-limit")),
                    message: format!(
                        "x-zoom-rate-limit must be LIGHT, MEDIUM, HEAVY or RESOURCE-INTENSIVE, not {v}"
                    ),
                }
            })?),
        };
        let mut error_codes = Vec::new();
        let mut success_examples = Vec::new();
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                let response = spec::deref(doc, response);
                if let Some(status) = self::status(status).filter(|s| s.class() == Some(2)) {
                    success_examples.push((status, success_example(doc, response)));
                }
                let Some(codes) = response.get("x-zoom-error-codes") else {
                    continue;
                };
                let at = child_pointer(
                    &child_pointer(&child_pointer(&op_ref.pointer, "responses"), status),
                    "x-zoom-error-codes",
                );
                let bad = || Error::Invalid {
                    location: src.locate(&at),
                    message:
                        "x-zoom-error-codes must be a list of {code: integer, message: string}"
                            .into(),
                };
                let Some(status) = self::status(status) else {
                    continue;
                };
                for entry in codes.as_array().ok_or_else(bad)? {
                    let code = entry.get("code").and_then(Value::as_i64).ok_or_else(bad)?;
                    let message = entry
                        .get("message")
                        .and_then(Value::as_str)
                        .ok_or_else(bad)?;
                    error_codes.push(ErrorCode {
                        status,
                        code,
                        message: message.to_string(),
                    });
                }
            }
        }
        let parameters = spec::effective_parameters(doc, &op_ref);
        let query = |name: &str| {
            parameters.iter().map(|(p, _)| *p).find(|p| {
                p.get("in").and_then(Value::as_str) == Some("query")
                    && p.get("name").and_then(Value::as_str) == Some(name)
            })
        };
        let paginated = query("next_page_token").is_some();
        let max_page_size = query(PAGE_SIZE)
            .and_then(|p| p.get("schema"))
            .and_then(|schema| integer_cap(spec::deref(doc, schema)));
        out.push(OperationRecord {
            method_name: snake_ident(&id),
            operation_id: id,
            method: op_ref.method,
            path: op_ref.path.clone(),
            pointer: op_ref.pointer.clone(),
            tags: string_list(op.get("tags")),
            summary: op.get("summary").and_then(Value::as_str).map(str::to_owned),
            scopes: ext_list("x-zoom-scopes")?,
            granular_scopes: ext_list("x-zoom-granular-scopes")?,
            rate_limit,
            prerequisites: ext_list("x-zoom-prerequisites")?,
            error_codes,
            paginated,
            max_page_size,
            unmodeled_success_statuses: Vec::new(),
            multipart: false,
            success_examples,
        });
    }
    out.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    Ok(out)
}

/// The example of a success response's body: of its JSON media type, the
/// media type's `example`, else the value of its first `examples` entry,
/// else the schema's `example` or first `examples` item. A body of no JSON
/// media type has none.
fn success_example(doc: &Value, response: &Value) -> SuccessExample {
    let Some(content) = response
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return SuccessExample::NoBody;
    };
    // The mock answers JSON; an example of another media type (a CSV
    // export) is no JSON body to send.
    let Some(media) = content
        .iter()
        .find(|(name, _)| spec::is_json_media(name))
        .map(|(_, media)| media)
    else {
        return SuccessExample::Missing;
    };
    let schema = media.get("schema").map(|s| spec::deref(doc, s));
    let example = media
        .get("example")
        .or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|e| e.values().next())
                .map(|e| spec::deref(doc, e))
                .and_then(|e| e.get("value"))
        })
        .or_else(|| schema.and_then(|s| s.get("example")))
        .or_else(|| {
            schema
                .and_then(|s| s.get("examples"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
        });
    match example {
        Some(example) => SuccessExample::Json(example.clone()),
        None => SuccessExample::Missing,
    }
}

/// Zoom's query parameter for the number of records per page.
const PAGE_SIZE: &str = "page_size";

/// The largest integer a schema allows (`maximum`, or one below a numeric
/// `exclusiveMaximum`), when that is a page size a client can send. A bound
/// that is not a whole number in `u32` (negative, fractional, huge) is no
/// cap the runtime could apply, so it is none.
fn integer_cap(schema: &Value) -> Option<u32> {
    let maximum = schema.get("maximum").and_then(Value::as_u64);
    let exclusive = schema
        .get("exclusiveMaximum")
        .and_then(Value::as_u64)
        .and_then(|m| m.checked_sub(1));
    let cap = match (maximum, exclusive) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    u32::try_from(cap).ok()
}

/// The Markdown section appended to an operation's description: scopes,
/// granular scopes, rate-limit label, prerequisites and the documented error
/// codes per status, so the generated method docs carry them.
fn api_details_markdown(meta: &OperationRecord) -> String {
    let mut s = String::new();
    let list = |v: &[String]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !meta.scopes.is_empty() {
        s.push_str(&format!("- **Scopes:** {}\n", list(&meta.scopes)));
    }
    if !meta.granular_scopes.is_empty() {
        s.push_str(&format!(
            "- **Granular scopes:** {}\n",
            list(&meta.granular_scopes)
        ));
    }
    if let Some(rl) = meta.rate_limit {
        s.push_str(&format!("- **Rate limit:** `{}`\n", rl.as_str()));
    }
    if let Some(max) = meta.max_page_size {
        s.push_str(&format!(
            "- **Page size:** at most {max} records per page; a larger `page_size` is sent as {max}\n"
        ));
    }
    if !meta.prerequisites.is_empty() {
        s.push_str("- **Prerequisites:**\n");
        for p in &meta.prerequisites {
            s.push_str(&format!("  - {}\n", p.replace('\n', " ")));
        }
    }
    let mut out = String::new();
    if !s.is_empty() {
        out.push_str("### API details\n\n");
        out.push_str(&s);
    }
    if !meta.error_codes.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("### Error codes\n\n| HTTP status | Code | Message |\n| --- | --- | --- |\n");
        for e in &meta.error_codes {
            let message = e.message.replace('|', "\\|").replace('\n', " ");
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                metadata_status(e.status),
                e.code,
                message.trim()
            ));
        }
    }
    out
}

/// A status as the metadata table writes it: the first code it stands for
/// (`400` for `4XX`), `0` for `default`.
pub(crate) fn metadata_status(status: Status) -> u16 {
    status.codes().map_or(0, |(first, _)| first)
}

/// Appends [`api_details_markdown`] to each operation's description.
pub(super) fn lower_operation_docs(doc: &mut Value, operations: &[OperationRecord]) {
    for meta in operations {
        let section = api_details_markdown(meta);
        if section.is_empty() {
            continue;
        }
        if let Some(Value::Object(op)) = doc.pointer_mut(&meta.pointer) {
            append_description(op, &section);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_section_lists_extensions_and_error_codes() {
        let mut m = OperationRecord::for_test("getA");
        m.scopes = vec!["account:read:admin".into()];
        m.granular_scopes = vec!["account:read:account:admin".into()];
        m.rate_limit = Some(RateLimitLabel::Medium);
        m.max_page_size = Some(300);
        m.prerequisites = vec!["Pro plan".into()];
        m.error_codes = vec![ErrorCode {
            status: Status::Code(400),
            code: 200,
            message: "No permission | nope".into(),
        }];
        assert_eq!(
            api_details_markdown(&m),
            "### API details\n\n- **Scopes:** `account:read:admin`\n- **Granular scopes:** `account:read:account:admin`\n- **Rate limit:** `MEDIUM`\n- **Page size:** at most 300 records per page; a larger `page_size` is sent as 300\n- **Prerequisites:**\n  - Pro plan\n\n### Error codes\n\n| HTTP status | Code | Message |\n| --- | --- | --- |\n| 400 | 200 | No permission \\| nope |\n"
        );
    }

    #[test]
    fn page_size_cap_is_the_largest_whole_number_allowed() {
        let cases = [
            (
                serde_json::json!({"type": "integer", "maximum": 300}),
                Some(300),
            ),
            (
                serde_json::json!({"type": "integer", "exclusiveMaximum": 301}),
                Some(300),
            ),
            (
                serde_json::json!({"type": "integer", "maximum": 300, "exclusiveMaximum": 100}),
                Some(99),
            ),
            (serde_json::json!({"type": "integer", "default": 30}), None),
            (serde_json::json!({"type": "string"}), None),
            (serde_json::json!({"type": "integer", "maximum": -1}), None),
            (serde_json::json!({"type": "number", "maximum": 2.5}), None),
            (
                serde_json::json!({"type": "integer", "maximum": 1u64 << 40}),
                None,
            ),
            (
                serde_json::json!({"type": "integer", "exclusiveMaximum": 0}),
                None,
            ),
        ];
        for (schema, cap) in cases {
            assert_eq!(integer_cap(&schema), cap, "{schema}");
        }
    }
}
