//! How spec names become Rust names, and small classifications of spec keys.
//!
//! The engine turns names into identifiers with its own rules (heck-based
//! Pascal/snake case, a prefix for names that cannot start an identifier,
//! `_` after keywords). We mirror those rules exactly, because two spec names
//! that the engine maps to the same identifier would silently become one type
//! or two methods with one name: lowering and validation must see the
//! collision first.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The Rust type name typify gives to a schema named `name`.
pub fn pascal_ident(name: &str) -> String {
    identifier(name, |s| s.to_pascal_case(), "X", "X")
}

/// The Pascal-case identifier progenitor (not typify) makes of `name`:
/// builder structs and `Client{Tag}Ext` traits. Differs from
/// [`pascal_ident`] only for names that cannot start an identifier.
pub fn progenitor_pascal(name: &str) -> String {
    identifier(name, |s| s.to_pascal_case(), "X", "_")
}

/// The Rust method/field name progenitor gives to `name`.
pub fn snake_ident(name: &str) -> String {
    identifier(name, |s| s.to_snake_case(), "x", "_")
}

/// The rule the three namings share: `+1`/`-1` spelt out, apostrophes
/// dropped, other non-identifier characters as word breaks, then `case`;
/// `empty` stands in for nothing left, `prefix` goes before a first
/// character that cannot start an identifier; keywords get escaped.
fn identifier(name: &str, case: fn(&str) -> String, empty: &str, prefix: &str) -> String {
    let out = match name {
        "+1" => case("plus1"),
        "-1" => case("minus1"),
        _ => case(
            &name
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => empty.to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    keyword_safe(out)
}

fn keyword_safe(ident: String) -> String {
    if is_keyword(&ident) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Keywords typify and progenitor refuse as identifiers (they append `_`).
pub fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// A file name (without `.rs`) for a tag: `Information Barriers` ->
/// `information_barriers`.
pub fn file_stem(tag: &str) -> String {
    let s = tag
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        .to_snake_case();
    if s.is_empty() { "untagged".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents_follow_the_engine() {
        assert_eq!(pascal_ident("ZoomError"), "ZoomError");
        assert_eq!(pascal_ident("user_info"), "UserInfo");
        assert_eq!(pascal_ident("user-info"), "UserInfo");
        assert_eq!(pascal_ident("2fa"), "X2fa");
        assert_eq!(pascal_ident("Self"), "Self_");
        assert_eq!(snake_ident("getAccountSettings"), "get_account_settings");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("page-size"), "page_size");
        assert_eq!(file_stem("Information Barriers"), "information_barriers");
    }
}
