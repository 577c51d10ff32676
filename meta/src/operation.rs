//! Static metadata of operations, as the generated `metadata` module emits
//! it.

use std::collections::BTreeSet;

use crate::RateLimitLabel;

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
    /// The spec's maximum of the `page_size` query parameter, when it
    /// documents one. The runtime sends a larger `page_size` as this value
    /// (Zoom's cap; the remaining records come on the next pages).
    pub max_page_size: Option<u32>,
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
            max_page_size: None,
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
            ..OperationMeta::new(
                "updateAccountSettings",
                "PATCH",
                "/accounts/{accountId}/settings",
            )
        },
        OperationMeta::new("ping", "GET", "/ping").with_rate_limit(RateLimitLabel::Heavy),
    ];

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
