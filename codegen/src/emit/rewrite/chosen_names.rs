//! The names lowering chose for enum variants and struct fields whose
//! engine names would collide (`lower::naming::collisions`).
//!
//! typify names a variant or field after the value or property, and
//! panics when two names come out equal ("Failed to make unique variant
//! names"), or emits two fields of one name; progenitor names a builder's
//! setter after its parameter, beside the builder's own `send`. Lowering
//! therefore hands the engine a placeholder for each such member; here
//! every trace of a placeholder in the engine's output is replaced: the
//! ident the engine made of it (in the item and in every path or
//! expression that names it), the string literals that spell it (typify's
//! `Display`/`FromStr` impls, the query key of a parameter), the
//! `#[serde(rename = "...")]` that now carries the value as the API writes
//! it, and the ident or placeholder inside other text (docs, progenitor's
//! "... was not initialized"). Placeholders are unique in the document, so
//! the replacement needs no knowledge of where a member is used.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

use crate::lower::naming::{ChosenNames, pascal_ident, snake_ident, typify_snake};

/// Applies the chosen names to the whole file (see the module docs).
pub(in crate::emit) fn apply_chosen_names(file: &mut syn::File, chosen: &ChosenNames) {
    if chosen.members.is_empty() {
        return;
    }
    let mut idents = BTreeMap::new();
    let mut literals = BTreeMap::new();
    for (placeholder, member) in &chosen.members {
        // What typify makes of the placeholder, as a variant or a field.
        idents.insert(pascal_ident(placeholder), member.ident.clone());
        idents.insert(typify_snake(placeholder), member.ident.clone());
        idents.insert(snake_ident(placeholder), member.ident.clone());
        literals.insert(placeholder.clone(), member.wire.clone());
    }
    Renamer { idents, literals }.visit_file_mut(file);
}

struct Renamer {
    /// Engine ident -> chosen ident.
    idents: BTreeMap<String, String>,
    /// Placeholder -> the value as the API writes it.
    literals: BTreeMap<String, String>,
}

impl Renamer {
    /// `text` with every placeholder, and every ident made of one, in it
    /// replaced (placeholders by their wire value, idents by the chosen
    /// ones); `None` when it holds none.
    fn text(&self, text: &str) -> Option<String> {
        if let Some(wire) = self.literals.get(text) {
            return Some(wire.clone());
        }
        let lower = text.to_ascii_lowercase();
        if !lower.contains("zoom-api-codegen")
            && !lower.contains("zoom_api_codegen")
            && !lower.contains("zoomapicodegen")
        {
            return None;
        }
        let mut out = text.to_string();
        // Longest first: `..._field_12` before `..._field_1`.
        let mut pairs: Vec<(&String, &String)> =
            self.literals.iter().chain(self.idents.iter()).collect();
        pairs.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        for (from, to) in pairs {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        Some(out)
    }

    /// Tokens (an attribute's, a macro's) with idents and literals
    /// replaced as in the syntax tree.
    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Literal(lit) => {
                    let replaced =
                        syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into())
                            .ok()
                            .and_then(|s| self.literals.get(&s.value()))
                            .map(|wire| proc_macro2::Literal::string(wire));
                    TokenTree::Literal(replaced.unwrap_or(lit))
                }
                TokenTree::Ident(ident) => match self.idents.get(&ident.to_string()) {
                    Some(new) => TokenTree::Ident(proc_macro2::Ident::new(new, ident.span())),
                    None => TokenTree::Ident(ident),
                },
                TokenTree::Group(group) => {
                    let mut new =
                        proc_macro2::Group::new(group.delimiter(), self.tokens(group.stream()));
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for Renamer {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some(new) = self.idents.get(&ident.to_string()) {
            *ident = proc_macro2::Ident::new(new, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if let Some(text) = self.text(&lit.value()) {
            *lit = syn::LitStr::new(&text, lit.span());
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `format!("{}/a/{}", client.baseurl, encode_path(&<param>))`.
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
        visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = self.tokens(std::mem::take(&mut list.tokens));
        }
        visit_mut::visit_attribute_mut(self, attr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::naming::ChosenMember;
    use quote::ToTokens;

    #[test]
    fn placeholders_become_the_chosen_names_and_the_wire_values() {
        let mut chosen = ChosenNames::default();
        for (placeholder, ident, wire) in [
            ("zoom-api-codegen-variant-1", "AB", "a b"),
            ("zoom-api-codegen-variant-2", "AB2", "a_b"),
            ("foo-bar-zoom-api-codegen-field-3", "foo_bar_2", "foo-bar"),
        ] {
            chosen.members.insert(
                placeholder.into(),
                ChosenMember {
                    ident: ident.into(),
                    wire: wire.into(),
                },
            );
        }
        let mut file: syn::File = syn::parse_quote! {
            pub enum Kind {
                #[serde(rename = "zoom-api-codegen-variant-1")]
                ZoomApiCodegenVariant1,
                #[serde(rename = "zoom-api-codegen-variant-2")]
                ZoomApiCodegenVariant2,
            }
            impl Kind {
                fn f(&self) -> &str {
                    match self {
                        Self::ZoomApiCodegenVariant1 => "zoom-api-codegen-variant-1",
                        Self::ZoomApiCodegenVariant2 => "zoom-api-codegen-variant-2",
                    }
                }
            }
            pub struct Thing {
                #[serde(rename = "foo-bar-zoom-api-codegen-field-3", default)]
                pub foo_bar_zoom_api_codegen_field_3: Option<String>,
                pub foo_bar: Option<i64>,
            }
        };
        apply_chosen_names(&mut file, &chosen);
        let expected: syn::File = syn::parse_quote! {
            pub enum Kind {
                #[serde(rename = "a b")]
                AB,
                #[serde(rename = "a_b")]
                AB2,
            }
            impl Kind {
                fn f(&self) -> &str {
                    match self {
                        Self::AB => "a b",
                        Self::AB2 => "a_b",
                    }
                }
            }
            pub struct Thing {
                #[serde(rename = "foo-bar", default)]
                pub foo_bar_2: Option<String>,
                pub foo_bar: Option<i64>,
            }
        };
        assert_eq!(
            file.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
    }
}
