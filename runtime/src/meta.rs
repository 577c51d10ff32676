//! Static facts about each API operation, as the generator knows them from the
//! spec: its id, method and path, the OAuth scopes it needs, its Zoom
//! rate-limit label and its documented error codes. Generated code emits one
//! `pub static OPERATIONS: &[OperationMeta]` table of these (every type here is
//! `const`-constructible for that reason); the runtime reads the label to
//! throttle and the error codes to annotate [`crate::ApiError`], and an
//! application reads the scopes to know what its Zoom app must request.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// Zoom's rate-limit label of an operation (`x-zoom-rate-limit` in the spec).
///
/// Zoom meters each label separately; see [`crate::RateLimitPlan`] for the
/// rates per account plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RateLimitLabel {
    Light,
    Medium,
    Heavy,
    ResourceIntensive,
}

impl RateLimitLabel {
    /// Every label, in Zoom's order (lightest first).
    pub const ALL: [RateLimitLabel; 4] = [
        RateLimitLabel::Light,
        RateLimitLabel::Medium,
        RateLimitLabel::Heavy,
        RateLimitLabel::ResourceIntensive,
    ];

    /// The label as Zoom spells it in its documentation and in the
    /// `X-RateLimit-Category` header: `LIGHT`, `MEDIUM`, `HEAVY`,
    /// `RESOURCE-INTENSIVE`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RateLimitLabel::Light => "LIGHT",
            RateLimitLabel::Medium => "MEDIUM",
            RateLimitLabel::Heavy => "HEAVY",
            RateLimitLabel::ResourceIntensive => "RESOURCE-INTENSIVE",
        }
    }
}

impl fmt::Display for RateLimitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no rate-limit label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Zoom rate-limit label {0:?} (expected LIGHT, MEDIUM, HEAVY or RESOURCE-INTENSIVE)"
)]
pub struct UnknownRateLimitLabel(pub String);

impl FromStr for RateLimitLabel {
    type Err = UnknownRateLimitLabel;

    /// Accepts Zoom's spellings regardless of case and of the separator in
    /// "resource-intensive" (`-`, `_`, a space or none), since the docs,
    /// headers and specs are not consistent about either.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match folded.as_str() {
            "LIGHT" => Ok(RateLimitLabel::Light),
            "MEDIUM" => Ok(RateLimitLabel::Medium),
            "HEAVY" => Ok(RateLimitLabel::Heavy),
            "RESOURCEINTENSIVE" => Ok(RateLimitLabel::ResourceIntensive),
            _ => Err(UnknownRateLimitLabel(s.to_owned())),
        }
    }
}

/// One error the spec documents for an operation: an HTTP status with Zoom's
/// numeric `code` and its documented meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCodeMeta {
    pub status: u16,
    pub code: i64,
    pub message: &'static str,
}

/// What the generator knows about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    pub operation_id: &'static str,
    /// The generated method's name; progenitor's `OperationInfo::operation_id`
    /// is this name, not the spec's `operationId`.
    pub method_name: &'static str,
    /// Upper-case HTTP method, e.g. `GET`.
    pub method: &'static str,
    /// Path template relative to the API base URL, e.g. `/users/{userId}`.
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// Classic OAuth scopes, any of which grants access.
    pub scopes: &'static [&'static str],
    /// Granular OAuth scopes, for apps that use granular scopes.
    pub granular_scopes: &'static [&'static str],
    /// `None` when the spec gives no label; such operations are not throttled.
    pub rate_limit: Option<RateLimitLabel>,
    /// Plan, feature and permission prerequisites, one per entry.
    pub prerequisites: &'static [&'static str],
    pub error_codes: &'static [ErrorCodeMeta],
    /// Whether the operation pages with `next_page_token`.
    pub paginated: bool,
    /// Whether the request body is `multipart/form-data`.
    pub multipart: bool,
    /// 2xx statuses the spec documents but the generated method does not
    /// decode (they arrive as an unexpected response, intact).
    pub unmodeled_success_statuses: &'static [u16],
}

impl OperationMeta {
    /// An operation known only by id, method and path: no scopes, no label,
    /// no documented errors. For requests built by hand and for tests.
    pub const fn new(operation_id: &'static str, method: &'static str, path: &'static str) -> Self {
        OperationMeta {
            operation_id,
            method_name: operation_id,
            method,
            path,
            tag: "",
            summary: "",
            scopes: &[],
            granular_scopes: &[],
            rate_limit: None,
            prerequisites: &[],
            error_codes: &[],
            paginated: false,
            multipart: false,
            unmodeled_success_statuses: &[],
        }
    }

    /// The same operation with a rate-limit label.
    pub const fn with_rate_limit(self, label: RateLimitLabel) -> Self {
        OperationMeta {
            rate_limit: Some(label),
            ..self
        }
    }

    /// The spec's entry for this status and Zoom error code, if documented.
    ///
    /// Both must match: Zoom reuses codes across statuses, and a code under
    /// an undocumented status is not what the spec describes.
    pub fn documented_error(&self, status: u16, code: i64) -> Option<&'static ErrorCodeMeta> {
        self.error_codes
            .iter()
            .find(|e| e.status == status && e.code == code)
    }
}

impl AsRef<OperationMeta> for OperationMeta {
    fn as_ref(&self) -> &OperationMeta {
        self
    }
}

/// The operation with this id, from a generated `OPERATIONS` table.
pub fn find_operation<'a>(
    ops: &'a [OperationMeta],
    operation_id: &str,
) -> Option<&'a OperationMeta> {
    ops.iter().find(|op| op.operation_id == operation_id)
}

/// The classic scopes an app needs to call all of `ops`: the union of their
/// `scopes`, sorted. Accepts `&[&OperationMeta]`, `&[OperationMeta]` or any
/// iterator of either.
pub fn required_scopes<I>(ops: I) -> BTreeSet<&'static str>
where
    I: IntoIterator,
    I::Item: AsRef<OperationMeta>,
{
    ops.into_iter()
        .flat_map(|op| op.as_ref().scopes.iter().copied())
        .collect()
}

/// The granular scopes an app needs to call all of `ops`: the union of their
/// `granular_scopes`, sorted.
pub fn required_granular_scopes<I>(ops: I) -> BTreeSet<&'static str>
where
    I: IntoIterator,
    I::Item: AsRef<OperationMeta>,
{
    ops.into_iter()
        .flat_map(|op| op.as_ref().granular_scopes.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The point of the const constructors: generated code can build a static
    // table.
    static OPERATIONS: &[OperationMeta] = &[
        OperationMeta {
            operation_id: "getAccount",
            method: "GET",
            path: "/accounts/{accountId}",
            tag: "Accounts",
            summary: "Get an account",
            scopes: &["account:read:admin"],
            granular_scopes: &["account:read:account:admin"],
            rate_limit: Some(RateLimitLabel::Light),
            error_codes: &[
                ErrorCodeMeta {
                    status: 400,
                    code: 200,
                    message: "No permission.",
                },
                ErrorCodeMeta {
                    status: 404,
                    code: 2001,
                    message: "Account does not exist.",
                },
            ],
            ..OperationMeta::new("getAccount", "GET", "/accounts/{accountId}")
        },
        OperationMeta {
            operation_id: "updateAccountSettings",
            method: "PATCH",
            path: "/accounts/{accountId}/settings",
            tag: "Accounts",
            summary: "Update account settings",
            scopes: &["account:write:admin", "account:read:admin"],
            granular_scopes: &["account:update:settings:admin"],
            rate_limit: Some(RateLimitLabel::Medium),
            ..OperationMeta::new("updateAccountSettings", "PATCH", "/accounts/{accountId}/settings")
        },
        OperationMeta::new("ping", "GET", "/ping").with_rate_limit(RateLimitLabel::Heavy),
    ];

    #[test]
    fn label_round_trips_through_its_zoom_spelling() {
        for label in RateLimitLabel::ALL {
            assert_eq!(label.as_str().parse::<RateLimitLabel>(), Ok(label));
            assert_eq!(label.to_string(), label.as_str());
        }
    }

    #[test]
    fn label_parsing_forgives_case_and_separators() {
        for s in [
            "resource-intensive",
            "Resource Intensive",
            "RESOURCE_INTENSIVE",
            "ResourceIntensive",
        ] {
            assert_eq!(s.parse(), Ok(RateLimitLabel::ResourceIntensive), "{s}");
        }
        assert_eq!(" light ".parse(), Ok(RateLimitLabel::Light));
        let err = "EXTREME".parse::<RateLimitLabel>().unwrap_err();
        assert_eq!(err, UnknownRateLimitLabel("EXTREME".into()));
        assert!(err.to_string().contains("\"EXTREME\""));
    }

    #[test]
    fn scopes_are_the_sorted_union() {
        let ops: Vec<&OperationMeta> = OPERATIONS.iter().collect();
        assert_eq!(
            required_scopes(&ops).into_iter().collect::<Vec<_>>(),
            ["account:read:admin", "account:write:admin"]
        );
        assert_eq!(
            required_granular_scopes(OPERATIONS)
                .into_iter()
                .collect::<Vec<_>>(),
            [
                "account:read:account:admin",
                "account:update:settings:admin"
            ]
        );
        assert!(required_scopes(&OPERATIONS[2..]).is_empty());
    }

    #[test]
    fn documented_error_needs_status_and_code() {
        let op = find_operation(OPERATIONS, "getAccount").unwrap();
        assert_eq!(
            op.documented_error(404, 2001).map(|e| e.message),
            Some("Account does not exist.")
        );
        assert_eq!(op.documented_error(400, 2001), None);
        assert_eq!(op.documented_error(404, 9999), None);
        assert!(find_operation(OPERATIONS, "nope").is_none());
        assert_eq!(OPERATIONS[2].rate_limit, Some(RateLimitLabel::Heavy));
    }
}
