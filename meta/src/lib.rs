//! The facts about a Zoom API operation that both sides of a generated
//! client need.
//!
//! The generator (`zoom-api-codegen`, a build dependency) reads them out of
//! the spec and writes a static table of [`OperationMeta`]; the runtime
//! (`zoom-api-runtime`, a normal dependency) reads that table to throttle by
//! [`RateLimitLabel`] and to annotate errors with their [`ErrorCodeMeta`].
//! Neither may depend on the other (users would compile the generator's
//! syn/progenitor as normal dependencies, or the generator would pull in
//! reqwest and tokio), so the values they share live here, in a crate with
//! no dependencies:
//!
//! - [`RateLimitLabel`]: Zoom's rate-limit label, with the one parser of its
//!   spellings ([`FromStr`](std::str::FromStr)) that the generator, `cargo xtask import` and
//!   the runtime all use;
//! - [`OperationMeta`] and [`ErrorCodeMeta`]: the static metadata the
//!   generated `metadata` module emits;
//! - [`Status`] and [`HttpMethod`]: a response status key and an HTTP method
//!   as OpenAPI writes them, parsed once into a small type.

mod method;
mod operation;
mod rate_limit;
mod status;

pub use method::{HttpMethod, UnknownHttpMethod};
pub use operation::{
    ErrorCodeMeta, OperationMeta, find_operation, required_granular_scopes, required_scopes,
};
pub use rate_limit::{RateLimitLabel, UnknownRateLimitLabel};
pub use status::{InvalidStatus, Status};
