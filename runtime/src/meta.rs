//! Static facts about each API operation, as the generator knows them from the
//! spec: its id, method and path, the OAuth scopes it needs, its Zoom
//! rate-limit label and its documented error codes. Generated code emits one
//! `pub static OPERATIONS: &[OperationMeta]` table of these (every type here is
//! `const`-constructible for that reason); the runtime reads the label to
//! throttle and the error codes to annotate [`crate::ApiError`], and an
//! application reads the scopes to know what its Zoom app must request.
//!
//! The types are defined once, in the dependency-free `zoom-api-meta` crate
//! that the generator uses too; this module re-exports them so that
//! `zoom_api_runtime::meta::*` keeps naming them.

pub use zoom_api_meta::{
    ErrorCodeMeta, OperationMeta, RateLimitLabel, UnknownRateLimitLabel, find_operation,
    required_granular_scopes, required_scopes,
};
