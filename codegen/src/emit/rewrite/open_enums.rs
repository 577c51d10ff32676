//! Makes every string enum open: values the spec does not list decode into
//! an `Unknown(String)` variant that keeps the raw value, instead of failing
//! the whole response.
//!
//! APIs add enum values between spec revisions (Zoom's do), and typify's
//! closed enums turn each such addition into a decode error for every call
//! that returns the field. Each typify enum of unit variants is replaced by
//! one invocation of a `macro_rules!` emitted once at the top of `types`
//! (variants, `Unknown`, `as_str`, `From<&str>`/`From<String>`, `FromStr`,
//! `Display`, serde): a few lines per enum instead of sixty, which also
//! keeps compile times down. The typify impls it replaces are dropped.

use std::collections::BTreeSet;

use quote::quote;

use super::{derived_traits, module_items, type_last_ident};
use crate::emit::lit;

/// Makes every string enum open; see the module docs.
pub(in crate::emit) fn open_string_enums(file: &mut syn::File) {
    let Some(types) = module_items(file, "types") else {
        return;
    };
    let mut opened = BTreeSet::new();
    for item in types.iter_mut() {
        let syn::Item::Enum(e) = item else {
            continue;
        };
        let all_unit = !e.variants.is_empty()
            && e.variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit));
        let is_serde = derived_traits(&e.attrs).iter().any(|t| t == "Deserialize");
        if !all_unit || !is_serde {
            continue;
        }
        let docs: Vec<&syn::Attribute> = e
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        let name = &e.ident;
        let variants = e.variants.iter().map(|v| {
            let vdocs = v.attrs.iter().filter(|a| a.path().is_ident("doc"));
            let ident = &v.ident;
            let value = serde_rename(&v.attrs).unwrap_or_else(|| ident.to_string());
            let value = lit(&value);
            quote! { #(#vdocs)* #ident = #value, }
        });
        let tokens = quote! {
            open_enum! { #(#docs)* #name { #(#variants)* } }
        };
        if let Ok(mac) = syn::parse2::<syn::Item>(tokens) {
            opened.insert(name.to_string());
            *item = mac;
        }
    }
    if opened.is_empty() {
        return;
    }
    const REPLACED: [&str; 3] = ["Display", "FromStr", "TryFrom"];
    types.retain(|item| match item {
        syn::Item::Impl(i) => {
            let replaced = i.trait_.as_ref().is_some_and(|(_, p, _)| {
                p.segments
                    .last()
                    .is_some_and(|s| REPLACED.contains(&s.ident.to_string().as_str()))
            });
            !(replaced && type_last_ident(&i.self_ty).is_some_and(|t| opened.contains(&t)))
        }
        _ => true,
    });
    // A constant, parsed by the test below; never fails at run time.
    if let Ok(definition) = syn::parse_str::<syn::Item>(OPEN_ENUM_MACRO) {
        types.insert(0, definition);
    }
}

/// The `open_enum!` definition, as printed at the top of `types` (kept as
/// text so the generated file shows it laid out by hand).
pub(crate) const OPEN_ENUM_MACRO: &str = r#"/// Defines an open string enum: the documented values as variants, and
/// `Unknown` for any other value, kept as the server sent it. Non-exhaustive:
/// a value the API adds becomes a variant in a later version of the crate.
// Unused when every type that would invoke it is feature-gated off.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this client does not know (added to the API after the
            /// client was generated), kept as the server sent it.
            Unknown(::std::string::String),
        }
        impl $name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
"#;

/// The value of `#[serde(rename = "...")]`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let mut value = None;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    value = Some(lit.value());
                }
                Ok(())
            });
            value
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enum_macro_parses() {
        let item: syn::Item = syn::parse_str(OPEN_ENUM_MACRO).expect("valid macro_rules");
        assert!(
            matches!(item, syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "open_enum"))
        );
    }

    #[test]
    fn serde_rename_reads_the_wire_value() {
        let v: syn::Variant = syn::parse_quote! { #[serde(rename = "Reliable UDP")] ReliableUdp };
        assert_eq!(serde_rename(&v.attrs).as_deref(), Some("Reliable UDP"));
        let v: syn::Variant = syn::parse_quote! { Plain };
        assert_eq!(serde_rename(&v.attrs), None);
    }

    #[test]
    fn only_serde_enums_of_unit_variants_open() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
                pub enum Kind { #[serde(rename = "a-b")] AB, C }
                impl ::std::fmt::Display for Kind { }
                #[derive(Clone)]
                pub enum NotSerde { X }
                #[derive(::serde::Deserialize)]
                pub enum Tagged { X(String) }
            }
        };
        open_string_enums(&mut file);
        let types = module_items(&mut file, "types").unwrap();
        let opened: Vec<String> = types
            .iter()
            .filter_map(|i| match i {
                syn::Item::Macro(m) if m.mac.path.is_ident("open_enum") => {
                    Some(m.mac.tokens.to_string())
                }
                _ => None,
            })
            .collect();
        assert_eq!(opened.len(), 1);
        assert!(opened[0].contains("AB = \"a-b\""), "{}", opened[0]);
        // typify's Display for the opened enum is replaced by the macro's.
        assert!(!types.iter().any(|i| matches!(i, syn::Item::Impl(_))));
        assert!(
            types
                .iter()
                .any(|i| matches!(i, syn::Item::Enum(e) if e.ident == "NotSerde"))
        );
        assert!(
            types
                .iter()
                .any(|i| matches!(i, syn::Item::Enum(e) if e.ident == "Tagged"))
        );
    }
}
