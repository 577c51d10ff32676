//! Shared helpers for the workspace's test targets.
//!
//! Every test target under `tests/` reads its inputs from inside the
//! repository (never from a sibling checkout), finds them through
//! [`workspace_root`], and addresses places in the spec with JSON pointers so a
//! failure names exactly where the problem is. Nothing here is specific to one
//! test target: `spec.rs` validates the OpenAPI document, and later targets
//! (snapshots, end-to-end runs against mock servers) can load the same spec
//! and walk its operations the same way.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub mod openapi;
/// The scripted HTTP/1.1 server of the end-to-end tests.
pub use zoom_test_server as scripted_server;

pub use openapi::{OperationLocation, operations};

/// Where the normalized spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/zoom-accounts.yaml";

/// The HTTP methods an OpenAPI 3.1 Path Item can hold an Operation under, in
/// the order the specification lists them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The workspace root: the parent of this package's manifest directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.to_path_buf())
}

/// A path inside the repository, from a `/`-separated path relative to the
/// workspace root.
pub fn repo_path(relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(workspace_root(), |path, segment| path.join(segment))
}

/// The text of a file inside the repository with line endings normalized to
/// `\n`, or `None` when the file does not exist.
pub fn read_repo_text(relative: &str) -> Option<String> {
    let path = repo_path(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => panic!("cannot read {}: {error}", path.display()),
    }
}

/// A JSON file inside the repository, parsed.
///
/// Panics with the file's path and the parser's message: it is meant for the
/// repository's own fixtures, where a parse error is a bug in the fixture.
pub fn load_repo_json(relative: &str) -> Value {
    let text = read_repo_text(relative)
        .unwrap_or_else(|| panic!("{relative} is missing from the repository"));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{relative} is not valid JSON: {error}"))
}

/// Why the spec could not be turned into a JSON value.
#[derive(Debug)]
pub enum SpecLoadError {
    /// The file is not there or cannot be read.
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not well-formed YAML (this includes duplicate keys).
    Yaml {
        path: PathBuf,
        source: serde_yaml::Error,
    },
    /// The YAML holds something JSON cannot (a non-scalar mapping key, a tag,
    /// a non-finite number).
    NotJson {
        path: PathBuf,
        pointer: String,
        reason: String,
    },
}

impl fmt::Display for SpecLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Self::Yaml { path, source } => {
                write!(f, "{} is not valid YAML: {source}", path.display())
            }
            Self::NotJson {
                path,
                pointer,
                reason,
            } => {
                write!(
                    f,
                    "{} at {pointer:?} cannot be represented as JSON: {reason}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for SpecLoadError {}

/// The spec (`spec/zoom-accounts.yaml`) as a JSON value.
pub fn try_load_spec() -> Result<Value, SpecLoadError> {
    load_yaml_file(&repo_path(SPEC_PATH))
}

/// The spec as a JSON value; panics with the reason when it cannot be loaded,
/// which is what a test wants.
pub fn load_spec() -> Value {
    try_load_spec().unwrap_or_else(|error| panic!("{error}"))
}

/// Any YAML (or JSON) file as a JSON value.
pub fn load_yaml_file(path: &Path) -> Result<Value, SpecLoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecLoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|source| SpecLoadError::Yaml {
            path: path.to_path_buf(),
            source,
        })?;
    yaml_to_json(yaml, "").map_err(|(pointer, reason)| SpecLoadError::NotJson {
        path: path.to_path_buf(),
        pointer,
        reason,
    })
}

/// Converts a YAML value to JSON the way an OpenAPI tool reads it: scalar
/// mapping keys become strings (`200:` is the response code "200"), and
/// anything without a JSON form is an error at its pointer.
///
/// Going through `serde_yaml::Value` rather than deserializing straight into
/// `serde_json::Value` is what makes unquoted numeric keys such as response
/// codes load at all.
pub fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (pointer.to_owned(), format!("non-finite number {f}")))?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer_child(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err((
                            pointer.to_owned(),
                            format!("mapping key {other:?} is not a scalar"),
                        ));
                    }
                };
                let value = yaml_to_json(value, &pointer_child(pointer, &key))?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => {
            return Err((
                pointer.to_owned(),
                format!("YAML tag {} has no JSON form", tagged.tag),
            ));
        }
    })
}

/// Escapes one reference token for a JSON pointer (RFC 6901).
pub fn pointer_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token of a JSON pointer (RFC 6901).
pub fn pointer_unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `parent` extended by one token.
pub fn pointer_child(parent: &str, token: &str) -> String {
    format!("{parent}/{}", pointer_escape(token))
}

/// Decodes `%XX` escapes, as found in the fragment of a `$ref` URI.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON pointer a document-local `$ref` (`#/components/schemas/X`) points
/// at, or `None` for a reference to another document or to an anchor.
pub fn local_ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() || fragment.starts_with('/') {
        Some(percent_decode(fragment))
    } else {
        None
    }
}

/// The value a document-local `$ref` points at.
pub fn resolve_local_ref<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    document.pointer(&local_ref_pointer(reference)?)
}

/// Follows `$ref` chains from `value` (at `pointer`) until it reaches an
/// object that is not a bare reference. Returns the pointer and value reached,
/// or the reference that could not be followed. Cycles are cut after a fixed
/// number of hops.
pub fn follow_refs<'a>(
    document: &'a Value,
    pointer: &str,
    value: &'a Value,
) -> Result<(String, &'a Value), String> {
    let mut current = (pointer.to_owned(), value);
    for _ in 0..32 {
        let Some(reference) = current.1.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        let target = local_ref_pointer(reference).ok_or_else(|| {
            format!(
                "{}: $ref {reference:?} is not a document-local pointer",
                current.0
            )
        })?;
        let resolved = document
            .pointer(&target)
            .ok_or_else(|| format!("{}: $ref {reference:?} does not resolve", current.0))?;
        current = (target, resolved);
    }
    Err(format!("{pointer}: $ref chain does not end (cycle?)"))
}

/// Panics with every finding, one per line, when `findings` is not empty.
/// `what` says what was checked ("operations without x-zoom-rate-limit").
pub fn assert_no_findings(what: &str, findings: &[String]) {
    if !findings.is_empty() {
        panic!("{} {what}:\n  {}", findings.len(), findings.join("\n  "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_response_codes_become_string_keys() {
        let yaml: serde_yaml::Value = serde_yaml::from_str(
            "responses:\n  200: {description: ok}\n  4XX: {description: no}\n",
        )
        .unwrap();
        assert_eq!(
            yaml_to_json(yaml, "").unwrap(),
            json!({"responses": {"200": {"description": "ok"}, "4XX": {"description": "no"}}})
        );
    }

    #[test]
    fn yaml_without_a_json_form_is_reported_at_its_pointer() {
        let yaml: serde_yaml::Value = serde_yaml::from_str("a:\n  b: !custom 1\n").unwrap();
        let (pointer, reason) = yaml_to_json(yaml, "").unwrap_err();
        assert_eq!(pointer, "/a/b");
        assert!(reason.contains("custom"), "{reason}");
    }

    #[test]
    fn pointers_escape_path_templates() {
        let pointer = pointer_child("/paths", "/accounts/{accountId}");
        assert_eq!(pointer, "/paths/~1accounts~1{accountId}");
        assert_eq!(pointer_unescape("~1accounts~0x"), "/accounts~x");
    }

    #[test]
    fn local_refs_are_percent_decoded_pointers() {
        assert_eq!(
            local_ref_pointer("#/paths/~1a~1%7Bid%7D").as_deref(),
            Some("/paths/~1a~1{id}")
        );
        assert_eq!(local_ref_pointer("#anchor"), None);
        assert_eq!(local_ref_pointer("other.yaml#/x"), None);
    }

    #[test]
    fn follow_refs_reports_where_a_chain_breaks() {
        let document = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/missing"}});
        let error = follow_refs(&document, "/a", &document["a"]).unwrap_err();
        assert_eq!(error, "/b: $ref \"#/missing\" does not resolve");
    }
}
