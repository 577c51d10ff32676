//! The canonical YAML text of a spec: a small emitter of our own, so the
//! bytes are fully under our control.
//!
//! Two-space indentation, flow style for short scalar lists, literal blocks
//! for multi-line text, quotes only where a YAML reader would otherwise read
//! something else. The output reads back (through [`load`](fn@super::load)) as the
//! value it was written from, and writing it again gives the same bytes
//! (tested).

use serde_json::{Map, Value};

use super::load::plain_number;

/// Canonical YAML text of `value`: deterministic, `\n` line endings.
pub fn to_canonical_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0, false),
        other => {
            write_inline_scalar(&mut out, other, 0, false);
            out.push('\n');
        }
    }
    out
}

const FLOW_WIDTH: usize = 100;

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Writes `map` at `ind`; when `inline_first`, the caller already wrote
/// `- ` and the first key goes on that line.
fn write_map(out: &mut String, map: &Map<String, Value>, ind: usize, inline_first: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if !(inline_first && i == 0) {
            indent(out, ind);
        }
        let line_start = out.rfind('\n').map_or(0, |p| p + 1);
        write_key(out, key);
        out.push(':');
        write_child(out, value, ind, line_start);
    }
}

fn write_seq(out: &mut String, items: &[Value], ind: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(inline_first && i == 0) {
            indent(out, ind);
        }
        let line_start = out.rfind('\n').map_or(0, |p| p + 1);
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                out.push(' ');
                write_map(out, m, ind + 2, true);
            }
            _ => write_child(out, item, ind, line_start),
        }
    }
}

/// Writes what follows `key:` or `-` (a value owned by a node at `ind`).
fn write_child(out: &mut String, value: &Value, ind: usize, line_start: usize) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, ind + 2, false);
        }
        Value::Array(items) if !items.is_empty() => {
            if let Some(flow) = flow_seq(items) {
                let used = out.len() - line_start;
                if used + 1 + flow.len() <= FLOW_WIDTH {
                    out.push(' ');
                    out.push_str(&flow);
                    out.push('\n');
                    return;
                }
            }
            out.push('\n');
            write_seq(out, items, ind + 2, false);
        }
        Value::String(s) if literal_block_ok(s) => {
            let trailing = s.len() - s.trim_end_matches('\n').len();
            out.push_str(match trailing {
                0 => " |-",
                1 => " |",
                _ => " |+",
            });
            out.push('\n');
            let body = s.strip_suffix('\n').unwrap_or(s);
            for line in body.split('\n') {
                if !line.is_empty() {
                    indent(out, ind + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        scalar => {
            out.push(' ');
            write_inline_scalar(out, scalar, ind, false);
            out.push('\n');
        }
    }
}

/// `[a, b]` when every item is a one-line scalar.
fn flow_seq(items: &[Value]) -> Option<String> {
    let mut s = String::from("[");
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Object(_) | Value::Array(_) => return None,
            Value::String(t) if t.contains('\n') => return None,
            _ => {}
        }
        if i > 0 {
            s.push_str(", ");
        }
        write_inline_scalar(&mut s, item, 0, true);
        if s.len() > FLOW_WIDTH {
            return None;
        }
    }
    s.push(']');
    Some(s)
}

fn write_key(out: &mut String, key: &str) {
    if is_plain_safe(key, false) && key != "<<" {
        out.push_str(key);
    } else {
        write_quoted(out, key);
    }
}

fn write_inline_scalar(out: &mut String, v: &Value, _ind: usize, flow: bool) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => {
            if is_plain_safe(s, flow) {
                out.push_str(s);
            } else {
                write_quoted(out, s);
            }
        }
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

fn write_quoted(out: &mut String, s: &str) {
    if !s.chars().any(needs_escape) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
        return;
    }
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.trim().is_empty()
        && !s.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c))
        && s.split('\n')
            .find(|l| !l.is_empty())
            .is_some_and(|l| !l.starts_with([' ', '\t']))
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
}

/// Whether `s` can be written without quotes and read back as this string.
fn is_plain_safe(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_whitespace() || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.chars().any(needs_escape)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || (flow && s.contains([',', '[', ']', '{', '}', ':']))
    {
        return false;
    }
    // Anything a YAML 1.2 (or a lenient 1.1) reader would take as non-string.
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "y" | "n" | "on" | "off"
    ) {
        return false;
    }
    if plain_number(s).is_some() {
        return false;
    }
    // YAML 1.1 readers also take `1_000`, `1:20` and `0755` as numbers.
    if (first.is_ascii_digit() || matches!(first, '.' | '+' | '-'))
        && s.chars().all(|c| "0123456789_:.+-eExXoObB".contains(c))
        && (s.contains([':', '_']) || (first == '0' && s.len() > 1))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_round_trips_awkward_strings() {
        let v = json!({
            "plain": "Get a user",
            "colon": "Note: this",
            "hash": "a #b",
            "num": "123",
            "ver": "3.1.1",
            "bool": "yes",
            "nul": "null",
            "empty": "",
            "quote": "it's",
            "lead": " x",
            "multi": "line one\nline two\n",
            "multi_nl": "a\n\n\nb\n\n",
            "multi_noend": "a\nb",
            "indented": "  a\nb",
            "trailing": "a \nb",
            "tab": "a\tb",
            "path": "/users/{userId}",
            "dash": "-1x",
            "unicode": "Zoom’s café",
            "list": ["string", "null"],
            "mixed": [1, "two", null, true, 2.5],
            "objs": [{"a": 1, "b": [1, 2]}, {}],
            "nested": [[1, 2], []],
            "emptyobj": {},
            "ref": {"$ref": "#/components/schemas/A"},
            "<<": "merge",
            "float": 1e20,
            "neg": -0.5
        });
        let text = to_canonical_yaml(&v);
        let back = crate::spec::load(text.as_bytes()).unwrap().value;
        assert_eq!(back, v, "{text}");
        assert_eq!(to_canonical_yaml(&back), text);
    }

    #[test]
    fn yaml_style() {
        let v = json!({"openapi": "3.1.1", "paths": {"/a/{id}": {"get": {"tags": ["Accounts"],
            "description": "Line one.\nLine two.", "responses": {"200": {"description": "OK"}}}}}});
        assert_eq!(
            to_canonical_yaml(&v),
            "openapi: 3.1.1\npaths:\n  /a/{id}:\n    get:\n      tags: [Accounts]\n      description: |-\n        Line one.\n        Line two.\n      responses:\n        '200':\n          description: OK\n"
        );
    }
}
