//! The OpenAPI document and what every stage knows about it, shared with
//! `cargo xtask` (import, diff).
//!
//! - reading and writing: [`load`](fn@load) (bytes -> [`Document`], with the line of
//!   every node) and [`to_canonical_yaml`] (the canonical text `regen`
//!   writes); [`read_canonical`] is load + validate + normalize in one call
//!   ([`canonical`] the last two, on a loaded document);
//! - places: JSON pointers ([`child_pointer`], ...), one walker over
//!   operations, parameters and schema nodes, for `&` and `&mut`
//!   ([`operations`], [`for_each_schema`], [`for_each_schema_mut`], ...),
//!   the [`effective_parameters`] of an operation, [`PathTemplate`]s;
//! - references: [`deref`](fn@deref), and one rule for where a `$ref` is structure and
//!   where it is literal data ([`is_literal_data`], [`rewrite_refs`]);
//! - sameness: one [`shape_key`] for "the same Rust type" and "the same
//!   written shape";
//! - the typed values a spec is read into: [`Status`], [`HttpMethod`],
//!   [`RateLimitLabel`] (from `zoom-api-meta`, which the runtime shares) and
//!   request media types ([`RequestMedia`]);
//! - [`type_ident`]: the Rust type name the generator gives a schema name;
//!   [`EnumKind`]: what it makes of an `enum` (variants, or a documented
//!   plain number).

mod enums;
mod load;
mod media;
mod pointer;
mod refs;
mod shape;
mod template;
mod walk;
mod yaml;

pub use enums::EnumKind;
pub use load::{Document, MAX_NESTING, load};
pub use media::{RequestMedia, is_json_media};
pub use pointer::{child_pointer, escape_pointer_token, operation_pointer, unescape_pointer_token};
pub use refs::{deref, for_each_ref, is_literal_data, resolve_ref, rewrite_refs};
pub use shape::{ANNOTATIONS, Shape, shape_key};
pub use template::{PathTemplate, Segment};
pub use walk::{
    OperationRef, effective_parameters, for_each_parameter, for_each_parameter_mut,
    for_each_root_schema, for_each_root_schema_mut, for_each_schema, for_each_schema_mut,
    for_each_subschema, for_each_subschema_mut, operations,
};
pub use yaml::to_canonical_yaml;
pub use zoom_api_meta::{HttpMethod, InvalidStatus, RateLimitLabel, Status, UnknownRateLimitLabel};

/// The Rust type name the generator gives a schema (component) named
/// `name`: typify's rule, which lowering mirrors.
pub fn type_ident(name: &str) -> String {
    crate::lower::naming::pascal_ident(name)
}

use serde_json::Value;

/// A spec read for comparison or rewriting: the canonical 3.1 value, and
/// the source it came from (for the line of a pointer).
#[derive(Debug, Clone)]
pub struct Canonical {
    /// The document as it was read (lines of the source text).
    pub source: Document,
    /// Its canonical OpenAPI 3.1 form (see `normalize_spec`).
    pub value: Value,
}

/// Spec text -> loaded, validated (the generator's rules) and normalized to
/// canonical 3.1; the first problem as a located error.
pub fn read_canonical(text: &str) -> crate::Result<Canonical> {
    crate::stack::on_large_stack(|| canonical_here(load(text.as_bytes())?))
}

/// A loaded document (perhaps changed since, as `cargo xtask import`
/// repairs it; errors keep the lines it was loaded with) -> validated and
/// normalized, as [`read_canonical`].
pub fn canonical(document: Document) -> crate::Result<Canonical> {
    crate::stack::on_large_stack(|| canonical_here(document))
}

fn canonical_here(document: Document) -> crate::Result<Canonical> {
    let valid = crate::validate::validate(document)?;
    let value = crate::normalize::normalize(&valid.document().value)?;
    Ok(Canonical {
        source: valid.into_document(),
        value,
    })
}
