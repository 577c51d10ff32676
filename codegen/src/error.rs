//! Errors of every pipeline stage.
//!
//! Each variant that concerns the spec carries a [`Location`]: the JSON
//! pointer of the offending node and, when the input was YAML or JSON text,
//! its line. `Display` renders them as
//! `at /paths/~1accounts/get/parameters/0 (line 42): path parameter must be required`
//! so a build script can print one line that leads the reader to the spot.

use std::fmt;

/// Where in the spec something is: a JSON pointer and, when known, a line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// RFC 6901 JSON pointer; the empty string is the document itself.
    pub pointer: String,
    /// 1-based line in the source text, when the loader could tell.
    pub line: Option<usize>,
}

impl Location {
    /// A location without a known line.
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            line: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str("at the document root")?;
        } else {
            write!(f, "at {}", self.pointer)?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong between spec text and formatted Rust.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The text is neither valid YAML nor valid JSON.
    #[error("{location}: cannot parse the spec: {message}")]
    Syntax { location: Location, message: String },

    /// The text parses, but is not an OpenAPI document at all.
    #[error("{location}: not an OpenAPI document: {message}")]
    NotOpenApi { location: Location, message: String },

    /// An `openapi` version other than 3.0.x or 3.1.x.
    #[error("{location}: unsupported OpenAPI version {version:?}; expected 3.0.x or 3.1.x")]
    UnsupportedVersion { location: Location, version: String },

    /// A `$ref` that does not resolve inside the document.
    #[error("{location}: unresolvable $ref {reference:?}")]
    BrokenRef {
        location: Location,
        reference: String,
    },

    /// An operation without `operationId` (method names come from it).
    #[error("{location}: operation has no operationId")]
    MissingOperationId { location: Location },

    /// Two operations whose ids, or whose generated method names, are equal.
    #[error("{location}: duplicate operationId {operation_id:?} (also used {first})")]
    DuplicateOperationId {
        location: Location,
        operation_id: String,
        first: Location,
    },

    /// Any other rule of the spec, or of what the engine accepts, is broken.
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },

    /// The engine (progenitor/typify) returned an error for this part.
    #[error("{location}: code generation failed: {message}")]
    Engine { location: Location, message: String },

    /// The engine panicked; the panic was caught and located.
    #[error("{location}: code generation panicked: {message}")]
    EnginePanic { location: Location, message: String },

    /// The engine's output lacks a structure this crate relies on (a method
    /// for each operation, the builder each method returns, `Client::new`):
    /// a codegen bug, or an engine version it does not support.
    #[error("unexpected engine output: {message}; this is a codegen bug")]
    EngineOutput { message: String },

    /// The generated tokens did not parse as a Rust file: a bug in codegen.
    #[error("generated code is not valid Rust ({message}); this is a codegen bug")]
    Output { message: String },

    /// The generator itself panicked (outside the engine, whose panics are
    /// [`Error::EnginePanic`]): a bug in codegen.
    #[error("the generator panicked: {message}; this is a codegen bug")]
    Panic { message: String },

    /// An error in the webhooks document (see `Settings::with_webhooks`),
    /// located in that document.
    #[error("webhooks document: {0}")]
    Webhooks(Box<Error>),
}

impl Error {
    /// Where the error is, when it concerns the spec.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Syntax { location, .. }
            | Error::NotOpenApi { location, .. }
            | Error::UnsupportedVersion { location, .. }
            | Error::BrokenRef { location, .. }
            | Error::MissingOperationId { location }
            | Error::DuplicateOperationId { location, .. }
            | Error::Invalid { location, .. }
            | Error::Engine { location, .. }
            | Error::EnginePanic { location, .. } => Some(location),
            Error::EngineOutput { .. } | Error::Output { .. } | Error::Panic { .. } => None,
            Error::Webhooks(inner) => inner.location(),
        }
    }
}

/// Result of every stage.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(pointer: &str, line: Option<usize>) -> Location {
        Location {
            pointer: pointer.into(),
            line,
        }
    }

    #[test]
    fn invalid_shows_pointer_and_line() {
        let e = Error::Invalid {
            location: at("/paths/~1accounts/get/parameters/0", Some(42)),
            message: "path parameter must be required".into(),
        };
        assert_eq!(
            e.to_string(),
            "at /paths/~1accounts/get/parameters/0 (line 42): path parameter must be required"
        );
    }

    #[test]
    fn broken_ref_display() {
        let e = Error::BrokenRef {
            location: at("/components/schemas/A/properties/b/$ref", Some(7)),
            reference: "#/components/schemas/Missing".into(),
        };
        assert_eq!(
            e.to_string(),
            "at /components/schemas/A/properties/b/$ref (line 7): unresolvable $ref \"#/components/schemas/Missing\""
        );
    }

    #[test]
    fn duplicate_operation_id_names_both_places() {
        let e = Error::DuplicateOperationId {
            location: at("/paths/~1b/get/operationId", Some(20)),
            operation_id: "getThing".into(),
            first: at("/paths/~1a/get/operationId", Some(10)),
        };
        assert_eq!(
            e.to_string(),
            "at /paths/~1b/get/operationId (line 20): duplicate operationId \"getThing\" (also used at /paths/~1a/get/operationId (line 10))"
        );
    }

    #[test]
    fn version_and_root_without_line() {
        let e = Error::UnsupportedVersion {
            location: at("/openapi", Some(1)),
            version: "2.0".into(),
        };
        assert_eq!(
            e.to_string(),
            "at /openapi (line 1): unsupported OpenAPI version \"2.0\"; expected 3.0.x or 3.1.x"
        );
        let e = Error::NotOpenApi {
            location: at("", None),
            message: "no `openapi` field".into(),
        };
        assert_eq!(
            e.to_string(),
            "at the document root: not an OpenAPI document: no `openapi` field"
        );
    }
}
