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
    // Anything a YAML 1.2 or a YAML 1.1 reader would take as non-string.
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "y" | "n" | "on" | "off"
    ) {
        return false;
    }
    !(plain_number(s).is_some() || yaml11_number(s) || yaml11_timestamp(s) || s == "<<" || s == "=")
}

/// Whether a YAML 1.1 reader (PyYAML, SnakeYAML, go-yaml v2, and the
/// OpenAPI tools built on them) resolves the plain scalar `s` to a number
/// where YAML 1.2's core schema does not: `_` in digits, `0b`/`0x`/`0`
/// prefixes, sexagesimal `1:20:30`, floats with `_` or a signed exponent.
fn yaml11_number(s: &str) -> bool {
    fn all(t: &str, f: impl Fn(char) -> bool) -> bool {
        !t.is_empty() && t.chars().all(f)
    }
    let digits = |c: char| c.is_ascii_digit() || c == '_';
    let starts_with_digit = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(bits) = body.strip_prefix("0b") {
        return all(bits, |c| matches!(c, '0' | '1' | '_'));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return all(hex, |c| c.is_ascii_hexdigit() || c == '_');
    }
    // Decimal and octal integers: [0-9][0-9_]*.
    if starts_with_digit(body) && all(body, digits) {
        return true;
    }
    // Sexagesimal: [0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?
    if let Some((head, rest)) = body.split_once(':') {
        let (sixties, fraction) = rest.split_once('.').unwrap_or((rest, ""));
        let base_60 = |part: &str| {
            (1..=2).contains(&part.len())
                && all(part, |c| c.is_ascii_digit())
                && part.parse::<u8>().is_ok_and(|n| n < 60)
        };
        return starts_with_digit(head)
            && all(head, digits)
            && sixties.split(':').all(base_60)
            && fraction.chars().all(digits);
    }
    // Floats: ([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?, with a digit.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let Some((int, fraction)) = mantissa.split_once('.') else {
        return false;
    };
    let exponent_ok = exponent.is_none_or(|e| {
        e.len() > 1 && e.starts_with(['-', '+']) && all(&e[1..], |c| c.is_ascii_digit())
    });
    (int.is_empty() || (starts_with_digit(int) && all(int, digits)))
        && fraction.chars().all(digits)
        && mantissa.chars().any(|c| c.is_ascii_digit())
        && exponent_ok
}

/// Whether a YAML 1.1 reader resolves `s` to a date (`2021-07-21`) or a
/// timestamp (`2021-07-21T17:32:28Z`, `2001-12-14 21:59:43.10 -5`). YAML
/// 1.2's core schema has neither, so the loader here reads them as
/// strings; PyYAML and the OpenAPI tools built on it do not.
fn yaml11_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    // `n` to `m` ASCII digits at `i`; how many.
    let digits = |i: &mut usize, n: usize, m: usize| {
        let start = *i;
        while *i < b.len() && *i - start < m && b[*i].is_ascii_digit() {
            *i += 1;
        }
        (*i - start >= n).then_some(*i - start)
    };
    let byte = |i: &mut usize, want: &[u8]| {
        let hit = *i < b.len() && want.contains(&b[*i]);
        if hit {
            *i += 1;
        }
        hit
    };
    if digits(&mut i, 4, 4).is_none() || !byte(&mut i, b"-") {
        return false;
    }
    let Some(month) = digits(&mut i, 1, 2) else {
        return false;
    };
    if !byte(&mut i, b"-") {
        return false;
    }
    let Some(day) = digits(&mut i, 1, 2) else {
        return false;
    };
    if i == b.len() {
        // A date alone needs two-digit month and day.
        return month == 2 && day == 2;
    }
    // The time: after T, t or blanks.
    if !byte(&mut i, b"Tt") {
        if !byte(&mut i, b" \t") {
            return false;
        }
        while byte(&mut i, b" \t") {}
    }
    if digits(&mut i, 1, 2).is_none()
        || !byte(&mut i, b":")
        || digits(&mut i, 2, 2).is_none()
        || !byte(&mut i, b":")
        || digits(&mut i, 2, 2).is_none()
    {
        return false;
    }
    if byte(&mut i, b".") {
        while byte(&mut i, b"0123456789") {}
    }
    while byte(&mut i, b" \t") {}
    if i == b.len() {
        return true;
    }
    // The zone: Z, or +h, -hh, +hh:mm.
    if byte(&mut i, b"Z") {
        return i == b.len();
    }
    if !byte(&mut i, b"+-") || digits(&mut i, 1, 2).is_none() {
        return false;
    }
    if byte(&mut i, b":") && digits(&mut i, 2, 2).is_none() {
        return false;
    }
    i == b.len()
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
    fn scalars_a_yaml_1_1_reader_would_retype_are_quoted() {
        for s in [
            "2021-07-21T17:32:28Z",
            "2021-07-21",
            "2021-7-1 1:02:03.5 +05:30",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-15 2:59:43.10",
            "1_000",
            "1_000.5",
            "0x_FF",
            "0b1_0",
            "0755",
            "190:20:30",
            "190:20:30.15",
            "6.8523015e+5",
            "<<",
            "=",
            "Yes",
            "OFF",
        ] {
            assert_eq!(
                to_canonical_yaml(&json!({"a": s})),
                format!("a: '{s}'\n"),
                "{s}"
            );
        }
        // Strings to every reader stay plain.
        for s in [
            "3.1.1",
            "1.2.3.4",
            "2021-07-21x",
            "2021-7-1",
            "2021-07-21T17:32",
            "12:60",
            "v1",
            "0xZZ",
            "1e",
            "account:read:admin",
        ] {
            assert_eq!(
                to_canonical_yaml(&json!({"a": s})),
                format!("a: {s}\n"),
                "{s}"
            );
        }
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
