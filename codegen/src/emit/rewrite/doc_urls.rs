//! Bare URLs in the docs become autolinks (`<https://...>`).
//!
//! The engines copy a description into `#[doc]` as it is; Zoom's text has
//! URLs that are not Markdown links (`[Learn more].(https://...)`,
//! `see https://...`), which rustdoc renders as plain text and reports
//! (`rustdoc::bare_urls`), so `cargo doc` of the client warns. The spec
//! keeps Zoom's text; only its rendering as rustdoc changes here. A URL
//! that already is a link target (`](url)`), an autolink (`<url>`), an HTML
//! attribute value or inside code (inline or fenced) is left as it is.

use syn::visit_mut::VisitMut;

/// Rewrites every `#[doc = "..."]` of `file`.
pub(in crate::emit) fn autolink_bare_urls(file: &mut syn::File) {
    DocUrls.visit_file_mut(file);
}

struct DocUrls;

impl VisitMut for DocUrls {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        let syn::Meta::NameValue(nv) = &mut attr.meta else {
            return;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut nv.value
        else {
            return;
        };
        let value = text.value();
        let linked = autolink(&value);
        if linked != value {
            *text = syn::LitStr::new(&linked, text.span());
        }
    }
}

/// `text` with each bare `http://` / `https://` URL wrapped in `<...>`.
fn autolink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            autolink_line(line, &mut out);
        }
    }
    out
}

fn autolink_line(line: &str, out: &mut String) {
    let mut in_code = false;
    let mut rest = line;
    while !rest.is_empty() {
        if rest.starts_with('`') {
            in_code = !in_code;
            out.push('`');
            rest = &rest[1..];
            continue;
        }
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let before = out.chars().next_back();
            let before2 = out.chars().rev().nth(1);
            let is_link_already = matches!(before, Some('<' | '"' | '\'' | '='))
                || (before == Some('(') && before2 == Some(']'));
            let scheme = if rest.starts_with("https://") { 8 } else { 7 };
            let end = url_end(rest).max(scheme);
            if is_link_already || end == scheme {
                out.push_str(&rest[..end]);
            } else {
                out.push('<');
                out.push_str(&rest[..end]);
                out.push('>');
            }
            rest = &rest[end..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
}

/// The length of the URL at the start of `s`: up to whitespace or a
/// delimiter, without trailing sentence punctuation.
fn url_end(s: &str) -> usize {
    let mut end = s
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, ')' | '>' | '<' | '"' | '\'' | ']' | '`'))
        .map_or(s.len(), |(i, _)| i);
    while end > 0 && s[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        let cases = [
            // Zoom's typo of a Markdown link: the URL is bare.
            (
                "Translate messages. [Learn more].(https://support.zoom.us/hc/en-us/articles/1)",
                "Translate messages. [Learn more].(<https://support.zoom.us/hc/en-us/articles/1>)",
            ),
            ("See https://zoom.us/a.", "See <https://zoom.us/a>."),
            (
                "http://x.example/p?q=1, then",
                "<http://x.example/p?q=1>, then",
            ),
            (
                "[docs](https://zoom.us/docs)",
                "[docs](https://zoom.us/docs)",
            ),
            ("<https://zoom.us>", "<https://zoom.us>"),
            (
                "<a href=\"https://zoom.us\">Zoom</a>",
                "<a href=\"https://zoom.us\">Zoom</a>",
            ),
            ("`https://api.zoom.us/v2`", "`https://api.zoom.us/v2`"),
            (
                "```\ncurl https://api.zoom.us\n```\nhttps://a.b",
                "```\ncurl https://api.zoom.us\n```\n<https://a.b>",
            ),
            ("no url, ünïcode", "no url, ünïcode"),
            ("https://", "https://"),
        ];
        for (input, expected) in cases {
            assert_eq!(autolink(input), expected, "{input:?}");
        }
    }

    #[test]
    fn doc_attributes_are_rewritten_in_place() {
        let mut file: syn::File = syn::parse_quote! {
            #[doc = "See https://zoom.us."]
            pub struct A { #[doc = "[x](https://zoom.us)"] pub f: u8 }
        };
        autolink_bare_urls(&mut file);
        let syn::Item::Struct(s) = &file.items[0] else {
            panic!("a struct")
        };
        let doc = |attr: &syn::Attribute| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => s.value(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        assert_eq!(doc(&s.attrs[0]), "See <https://zoom.us>.");
        let syn::Fields::Named(fields) = &s.fields else {
            panic!("named fields")
        };
        assert_eq!(doc(&fields.named[0].attrs[0]), "[x](https://zoom.us)");
    }
}
