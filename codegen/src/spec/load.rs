//! Stage 1: spec bytes -> [`Document`].
//!
//! The rest of the pipeline works on a `serde_json::Value` (insertion order
//! preserved, so field order survives), but errors must point at a line the
//! reader can open. YAML is therefore read once through `yaml-rust2`'s event
//! parser, building the value and a JSON-pointer -> line map in the same pass
//! (no second parse, no quadratic lookups). JSON input is parsed by
//! `serde_json`; its lines come from the same event pass, best effort, since
//! JSON is YAML.
//!
//! Keys are taken as written (`200:` stays the string `"200"`), plain scalars
//! resolve with the YAML 1.2 core schema, anchors/aliases and `<<` merge keys
//! are honoured, and a duplicate key is an error (YAML forbids it; silently
//! keeping one would hide a spec mistake).
//!
//! Every later stage walks the document recursively, so its nesting is
//! bounded here, before any recursive step: [`MAX_NESTING`] levels of
//! mappings and lists (Zoom's specs reach 28; a schema nested 60 levels
//! deep takes about 130). Within it, JSON is parsed without `serde_json`'s
//! own limit of 128, which a deep but valid spec would exceed.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::pointer::{child_pointer, escape_pointer_token};
use crate::error::{Error, Location, Result};

/// How many mappings and lists a document may nest (see the module docs).
pub const MAX_NESTING: usize = 512;

/// A parsed spec: its value and where each node came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The whole document, object key order as in the source.
    pub value: Value,
    /// JSON pointer -> 1-based line of the node (of its key, for map entries).
    pub lines: HashMap<String, usize>,
}

impl Document {
    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(line) = self.lines.get(p) {
                return Some(*line);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// A [`Location`] for `pointer`, with its line when known.
    pub fn locate(&self, pointer: &str) -> Location {
        Location {
            pointer: pointer.to_string(),
            line: self.line(pointer),
        }
    }

    /// The node at `pointer` (RFC 6901), if any.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }
}

/// Parses spec bytes (YAML or JSON, UTF-8, optional BOM, any line endings).
pub fn load(bytes: &[u8]) -> Result<Document> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Syntax {
        location: Location::default(),
        message: format!("not UTF-8: {e}"),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };

    let looks_like_json = matches!(text.trim_start().chars().next(), Some('{' | '['));
    if looks_like_json {
        check_json_nesting(text)?;
        let syntax = |e: serde_json::Error| Error::Syntax {
            location: Location {
                pointer: String::new(),
                line: Some(e.line()),
            },
            message: e.to_string(),
        };
        // The nesting was bounded above, so serde_json's own limit (128)
        // would only refuse specs that are deep but within ours.
        let mut reader = serde_json::Deserializer::from_str(text);
        reader.disable_recursion_limit();
        let value = <Value as serde::Deserialize>::deserialize(&mut reader).map_err(syntax)?;
        reader.end().map_err(syntax)?;
        // Lines are a convenience for JSON: if the YAML reading disagrees
        // (tabs, exotic escapes), report errors without them.
        let lines = parse_yaml(text).map(|(_, lines)| lines).unwrap_or_default();
        return Ok(Document { value, lines });
    }

    let (value, lines) = parse_yaml(text)?;
    Ok(Document { value, lines })
}

fn too_deep(line: usize) -> Error {
    Error::Syntax {
        location: Location {
            pointer: String::new(),
            line: Some(line),
        },
        message: format!(
            "the document nests more than {MAX_NESTING} levels of mappings and lists here"
        ),
    }
}

/// The nesting of JSON text, counted without parsing it (brackets outside
/// strings); an error at the line where it exceeds [`MAX_NESTING`].
fn check_json_nesting(text: &str) -> Result<()> {
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        match byte {
            b'\n' => line += 1,
            _ if in_string => match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            },
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(too_deep(line));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn parse_yaml(text: &str) -> Result<(Value, HashMap<String, usize>)> {
    let mut builder = ValueBuilder::default();
    let mut parser = Parser::new_from_str(text);
    let parsed = parser.load(&mut builder, false);
    if let Some(err) = builder.error.take() {
        return Err(err);
    }
    parsed.map_err(|e| Error::Syntax {
        location: Location {
            pointer: String::new(),
            line: Some(e.marker().line()),
        },
        message: e.info().to_string(),
    })?;
    let value = builder.root.take().unwrap_or(Value::Null);
    Ok((value, builder.lines))
}

/// Stands for a quoted `"<<"` key until it is inserted (cannot clash with
/// a real key: YAML text cannot contain U+0000).
const QUOTED_MERGE: &str = "\u{0}<<";

enum Frame {
    Mapping {
        map: Map<String, Value>,
        pointer: String,
        anchor: usize,
        /// The key waiting for its value, with its line.
        key: Option<String>,
        /// Entries from `<<` merge keys, applied at the end (explicit keys win).
        merges: Vec<Value>,
    },
    Sequence {
        items: Vec<Value>,
        pointer: String,
        anchor: usize,
    },
}

#[derive(Default)]
struct ValueBuilder {
    stack: Vec<Frame>,
    root: Option<Value>,
    lines: HashMap<String, usize>,
    anchors: HashMap<usize, Value>,
    error: Option<Error>,
}

enum Slot {
    /// The next node is a mapping key.
    Key,
    /// The next node is a value at this pointer.
    Value(String),
}

impl ValueBuilder {
    fn fail(&mut self, pointer: &str, line: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(Error::Syntax {
                location: Location {
                    pointer: pointer.to_string(),
                    line: Some(line),
                },
                message,
            });
        }
    }

    /// What the next node is, and records its line when it is a value.
    fn slot(&mut self, line: usize) -> Slot {
        match self.stack.last() {
            None => {
                self.lines.insert(String::new(), line);
                Slot::Value(String::new())
            }
            Some(Frame::Mapping { key: None, .. }) => Slot::Key,
            Some(Frame::Mapping {
                key: Some(key),
                pointer,
                ..
            }) => Slot::Value(child_pointer(pointer, key)),
            Some(Frame::Sequence { items, pointer, .. }) => {
                let p = format!("{}/{}", pointer, items.len());
                self.lines.insert(p.clone(), line);
                Slot::Value(p)
            }
        }
    }

    /// Places a finished node into its parent (or as the root).
    fn attach(&mut self, value: Value, anchor: usize, line: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                map,
                key,
                merges,
                pointer,
                ..
            }) => {
                let Some(k) = key.take() else {
                    return;
                };
                if k == "<<" {
                    merges.push(value);
                } else if k == QUOTED_MERGE {
                    map.insert("<<".into(), value);
                } else if map.contains_key(&k) {
                    let p = child_pointer(pointer, &k);
                    self.fail(&p, line, format!("duplicate key {k:?}"));
                } else {
                    map.insert(k, value);
                }
            }
        }
    }

    fn on_key(&mut self, key: String, line: usize) {
        if let Some(Frame::Mapping {
            key: slot, pointer, ..
        }) = self.stack.last_mut()
        {
            let mut p = String::with_capacity(pointer.len() + key.len() + 1);
            p.push_str(pointer);
            p.push('/');
            p.push_str(&escape_pointer_token(&key));
            self.lines.entry(p).or_insert(line);
            *slot = Some(key);
        }
    }
}

impl MarkedEventReceiver for ValueBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match ev {
            Event::Scalar(text, style, anchor, tag) => match self.slot(line) {
                // Only a plain `<<` is a merge key; a quoted one is a name.
                Slot::Key if text == "<<" && style != TScalarStyle::Plain => {
                    self.on_key(QUOTED_MERGE.to_string(), line)
                }
                Slot::Key => self.on_key(text, line),
                Slot::Value(pointer) => match scalar_value(text, style, tag.as_ref()) {
                    Ok(v) => self.attach(v, anchor, line),
                    Err(message) => self.fail(&pointer, line, message),
                },
            },
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned();
                match (self.slot(line), value) {
                    (_, None) => self.fail("", line, "alias to an unknown anchor".into()),
                    (Slot::Key, Some(Value::String(s))) => self.on_key(s, line),
                    (Slot::Key, Some(_)) => {
                        self.fail("", line, "only string mapping keys are supported".into())
                    }
                    (Slot::Value(_), Some(v)) => self.attach(v, 0, line),
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..)
                if self.stack.len() >= MAX_NESTING =>
            {
                self.error = Some(too_deep(line));
            }
            Event::MappingStart(anchor, _) => match self.slot(line) {
                Slot::Key => self.fail("", line, "complex mapping keys are not supported".into()),
                Slot::Value(pointer) => self.stack.push(Frame::Mapping {
                    map: Map::new(),
                    pointer,
                    anchor,
                    key: None,
                    merges: Vec::new(),
                }),
            },
            Event::SequenceStart(anchor, _) => match self.slot(line) {
                Slot::Key => self.fail("", line, "complex mapping keys are not supported".into()),
                Slot::Value(pointer) => self.stack.push(Frame::Sequence {
                    items: Vec::new(),
                    pointer,
                    anchor,
                }),
            },
            Event::MappingEnd => {
                if let Some(Frame::Mapping {
                    mut map,
                    anchor,
                    merges,
                    ..
                }) = self.stack.pop()
                {
                    for merge in merges {
                        let sources = match merge {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        for source in sources {
                            if let Value::Object(entries) = source {
                                for (k, v) in entries {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                    self.attach(Value::Object(map), anchor, line);
                }
            }
            Event::SequenceEnd => {
                if let Some(Frame::Sequence { items, anchor, .. }) = self.stack.pop() {
                    self.attach(Value::Array(items), anchor, line);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a scalar with the YAML 1.2 core schema.
fn scalar_value(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
) -> std::result::Result<Value, String> {
    if let Some(tag) = tag
        && (tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:")
    {
        match tag.suffix.as_str() {
            "str" => return Ok(Value::String(text)),
            "null" => return Ok(Value::Null),
            _ => {}
        }
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text));
    }
    Ok(match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match plain_number(&text) {
            Some(Ok(n)) => Value::Number(n),
            Some(Err(why)) => return Err(format!("number {text} {why}")),
            None => Value::String(text),
        },
    })
}

/// `Some` when a plain scalar is a number per the YAML 1.2 core schema:
/// `Ok` with its value, or `Err` saying why it has no JSON value (an
/// infinity, NaN, or an integer wider than 64 bits, which would otherwise
/// become a float and lose digits).
pub(crate) fn plain_number(text: &str) -> Option<std::result::Result<Number, &'static str>> {
    const TOO_WIDE: &str = "does not fit in 64 bits";
    let first = text.chars().next()?;
    if !(first.is_ascii_digit() || matches!(first, '-' | '+' | '.')) {
        return None;
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        if let Some(digits) = text.strip_prefix(prefix) {
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            return Some(
                u64::from_str_radix(digits, radix)
                    .map(Number::from)
                    .map_err(|_| TOO_WIDE),
            );
        }
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        let digits = text.strip_prefix('+').unwrap_or(text);
        if let Ok(i) = digits.parse::<i64>() {
            return Some(Ok(i.into()));
        }
        if let Ok(u) = digits.parse::<u64>() {
            return Some(Ok(u.into()));
        }
        return Some(Err(TOO_WIDE));
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN" => {
            return Some(Err("is not representable in JSON"));
        }
        _ => {}
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let bytes = unsigned.as_bytes();
    let mut i = 0;
    let int_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        frac_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            i += 1;
        }
        let exp = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return None;
        }
        i += exp;
    }
    if i != bytes.len() {
        return None;
    }
    let digits = text.strip_prefix('+').unwrap_or(text);
    let f: f64 = digits.parse().ok()?;
    Some(Number::from_f64(f).ok_or("is not representable in JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_values_and_lines() {
        let doc = load(
            b"openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a/{id}:\n    get:\n      responses:\n        200:\n          description: ok\n      tags: [x, y]\n",
        )
        .unwrap();
        assert_eq!(doc.value["openapi"], json!("3.1.1"));
        assert_eq!(doc.value["info"]["version"], json!("1"));
        assert_eq!(
            doc.value["paths"]["/a/{id}"]["get"]["responses"]["200"]["description"],
            json!("ok")
        );
        assert_eq!(doc.line("/openapi"), Some(1));
        assert_eq!(doc.line("/paths/~1a~1{id}/get"), Some(7));
        assert_eq!(doc.line("/paths/~1a~1{id}/get/responses/200"), Some(9));
        assert_eq!(doc.line("/paths/~1a~1{id}/get/tags/1"), Some(11));
        // Unknown pointers fall back to the nearest ancestor.
        assert_eq!(doc.line("/paths/~1a~1{id}/get/responses/200/nope"), Some(9));
    }

    #[test]
    fn scalars_follow_core_schema() {
        let doc = load(b"a: 1\nb: -2.5\nc: '3'\nd: ~\ne: true\nf: 1e3\ng: 3.1.1\nh: yes\ni: 0x1F\nj: !!str 5\nk: .5\n").unwrap();
        assert_eq!(
            doc.value,
            json!({"a": 1, "b": -2.5, "c": "3", "d": null, "e": true, "f": 1000.0,
                   "g": "3.1.1", "h": "yes", "i": 31, "j": "5", "k": 0.5})
        );
    }

    #[test]
    fn integers_wider_than_64_bits_are_errors_not_floats() {
        let doc = load(b"a: 18446744073709551615\nb: -9223372036854775808\nc: 0xFF\n").unwrap();
        assert_eq!(
            doc.value,
            json!({"a": 18446744073709551615u64, "b": i64::MIN, "c": 255})
        );
        for (text, shown) in [
            ("a: 18446744073709551616\n", "18446744073709551616"),
            ("a: -9223372036854775809\n", "-9223372036854775809"),
            ("a: 0x1FFFFFFFFFFFFFFFF\n", "0x1FFFFFFFFFFFFFFFF"),
        ] {
            let err = load(text.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "at /a (line 1): cannot parse the spec: number {shown} does not fit in 64 bits"
                )
            );
        }
        assert!(
            load(b"a: .inf\n")
                .unwrap_err()
                .to_string()
                .ends_with("number .inf is not representable in JSON")
        );
        // Not numbers at all: strings, as before.
        assert_eq!(load(b"a: 0xZZ\n").unwrap().value, json!({"a": "0xZZ"}));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let doc = load(b"base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  y: 3\ncopy: *b\n").unwrap();
        assert_eq!(doc.value["other"], json!({"y": 3, "x": 1}));
        assert_eq!(doc.value["copy"], json!({"x": 1, "y": 2}));
    }

    #[test]
    fn duplicate_key_is_an_error_with_line() {
        let err = load(b"a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at /b/c (line 4): cannot parse the spec: duplicate key \"c\""
        );
    }

    #[test]
    fn broken_yaml_reports_line() {
        let err = load(b"a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(matches!(err, Error::Syntax { .. }), "{err}");
        assert!(err.location().unwrap().line.is_some());
    }

    #[test]
    fn json_with_lines_and_crlf() {
        let doc = load(b"{\r\n  \"openapi\": \"3.0.3\",\r\n  \"paths\": {}\r\n}\r\n").unwrap();
        assert_eq!(doc.value["openapi"], json!("3.0.3"));
        assert_eq!(doc.line("/paths"), Some(3));
    }

    #[test]
    fn block_scalars_are_strings() {
        let doc = load(b"d: |\n  line one\n  line two\ne: >-\n  folded\n  text\n").unwrap();
        assert_eq!(doc.value["d"], json!("line one\nline two\n"));
        assert_eq!(doc.value["e"], json!("folded text"));
    }
}
