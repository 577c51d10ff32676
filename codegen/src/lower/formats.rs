//! `format`: which ones reach the engine, and so which Rust type a
//! formatted value gets.
//!
//! typify maps a few formats to types of their own and every other one to
//! the plain type; it `todo!`s on a format beside a type that has none
//! (`type: object, format: YYYY-MM-DD`), and one of its mappings names a
//! crate the generated client does not depend on (`uuid`). So a format
//! reaches the engine only where the client can use what it becomes:
//!
//! | type | format | Rust type |
//! | --- | --- | --- |
//! | `string` | `date` | `chrono::NaiveDate` |
//! | `string` | `date-time` | `chrono::DateTime<Utc>` |
//! | `string` | `ip`, `ipv4`, `ipv6` | `std::net::IpAddr`, `Ipv4Addr`, `Ipv6Addr` |
//! | `string` | `uuid` | `String` (the format is dropped: no `uuid` dependency, and Zoom's "UUIDs" of meetings and webinars are base64 text, not RFC 4122) |
//! | `string` | any other (`email`, `uri`, `binary`, `password`, ...) | `String` |
//! | `integer` | `int8` ... `int64`, `uint8` ... `uint64`, `int`, `uint` | `i8` ... `u64` (`NonZero*` with `minimum: 1`) |
//! | `integer` | any other | `i64` (the format is dropped with a note) |
//! | `number` | `float` / `double` | `f32` / `f64` |
//! | `number` | any other | `f64` (dropped with a note) |
//! | `boolean`, `object`, `array`, `null`, none | any | the format is dropped with a note |
//!
//! A dropped format stays in the docs (`Format: ...`), so nothing the spec
//! says is lost.

use serde_json::{Map, Value};

use super::{Note, append_description, note};

/// Integer formats typify maps to a Rust integer type.
const INTEGER_FORMATS: [&str; 10] = [
    "int8", "uint8", "int16", "uint16", "int", "int32", "uint", "uint32", "int64", "uint64",
];

/// Number formats typify maps to a Rust float type.
const NUMBER_FORMATS: [&str; 2] = ["float", "double"];

/// String formats whose typify type names a crate the client lacks.
const STRING_FORMATS_AS_TEXT: [&str; 1] = ["uuid"];

/// Keeps `format` where the engine maps it to a type the client has, else
/// moves it into the description (with a note where it meant nothing).
/// Runs on the 3.0 form: one `type` or none.
pub(super) fn lower_format(map: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<Note>) {
    let Some(Value::String(format)) = map.get("format") else {
        return;
    };
    let format = format.clone();
    let ty = map
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let meaningless = match ty.as_str() {
        "string" if STRING_FORMATS_AS_TEXT.contains(&format.as_str()) => false,
        "string" => return,
        "integer" if INTEGER_FORMATS.contains(&format.as_str()) => return,
        "number" if NUMBER_FORMATS.contains(&format.as_str()) => return,
        _ => true,
    };
    map.shift_remove("format");
    append_description(map, &format!("Format: `{format}`."));
    if meaningless {
        let what = match ty.as_str() {
            "" => "a schema without a type".to_string(),
            ty => format!("type `{ty}`"),
        };
        note(
            notes,
            pointer,
            format!(
                "format `{format}` means nothing to the generator for {what}; kept in the docs only"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::obj;
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_reach_the_engine_only_where_they_map_to_a_usable_type() {
        let cases = [
            (
                json!({"type": "string", "format": "date"}),
                json!({"type": "string", "format": "date"}),
                0,
            ),
            (
                json!({"type": "string", "format": "email"}),
                json!({"type": "string", "format": "email"}),
                0,
            ),
            (
                json!({"type": "integer", "format": "int64"}),
                json!({"type": "integer", "format": "int64"}),
                0,
            ),
            (
                json!({"type": "number", "format": "double"}),
                json!({"type": "number", "format": "double"}),
                0,
            ),
            (
                json!({"type": "string", "format": "uuid", "description": "Id."}),
                json!({"type": "string", "description": "Id.\n\nFormat: `uuid`."}),
                0,
            ),
            (
                json!({"type": "integer", "format": "double"}),
                json!({"type": "integer", "description": "Format: `double`."}),
                1,
            ),
            (
                json!({"type": "object", "format": "YYYY-MM-DD"}),
                json!({"type": "object", "description": "Format: `YYYY-MM-DD`."}),
                1,
            ),
            (
                json!({"format": "date"}),
                json!({"description": "Format: `date`."}),
                1,
            ),
        ];
        for (input, expected, noted) in cases {
            let mut notes = Vec::new();
            let mut m = obj(input.clone());
            lower_format(&mut m, "/x", &mut notes);
            assert_eq!(Value::Object(m), expected, "{input}");
            assert_eq!(notes.len(), noted, "{input}");
        }
    }
}
