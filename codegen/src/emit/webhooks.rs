//! The `webhooks` module: the `Event` enum over the payload types that
//! lowering added to `types` (see `lower::webhooks`). The types only
//! webhooks use are gated with the module by `areas`.
//!
//! serde's `#[serde(tag = "event")]` with `#[serde(other)]` cannot keep an
//! unknown event (`other` fits unit variants only) and would drop the
//! `event` field from the payload, so `Event` reads the JSON value first,
//! looks at `event`, and decodes the whole value into that event's type,
//! or keeps it as it came in `UnknownEvent`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{lit, runtime_path};
use crate::Settings;
use crate::error::{Error, Location, Result};
use crate::lower::naming::pascal_ident;
use crate::lower::webhooks::Webhooks;
use crate::spec::child_pointer;

/// The name of the catch-all variant.
const UNKNOWN: &str = "Unknown";

/// The items of the `webhooks` module.
pub(super) fn webhooks_module(webhooks: &Webhooks, settings: &Settings) -> Result<TokenStream> {
    let mut variants: Vec<syn::Ident> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::from([UNKNOWN.to_owned()]);
    for event in &webhooks.events {
        let name = pascal_ident(&event.event);
        if !seen.insert(name.clone()) {
            return Err(Error::Webhooks(Box::new(Error::Invalid {
                location: Location::pointer(child_pointer("/webhooks", &event.event)),
                message: format!(
                    "event {:?} becomes the variant Event::{name}, which another event or the catch-all already is",
                    event.event
                ),
            })));
        }
        variants.push(format_ident!("{}", name));
    }
    let types: Vec<syn::Ident> = webhooks
        .events
        .iter()
        .map(|e| format_ident!("{}", e.type_name))
        .collect();
    let names: Vec<proc_macro2::Literal> = webhooks.events.iter().map(|e| lit(&e.event)).collect();
    let docs: Vec<TokenStream> = webhooks
        .events
        .iter()
        .map(|e| {
            let name = lit(&format!("`{}`", e.event));
            match e.summary.as_deref() {
                Some(summary) => {
                    let summary = lit(summary);
                    quote! { #[doc = #name] #[doc = ""] #[doc = #summary] }
                }
                None => quote! { #[doc = #name] },
            }
        })
        .collect();
    let derives: Vec<syn::Path> = settings
        .derives
        .iter()
        .filter_map(|d| syn::parse_str(d).ok())
        .collect();
    let verifier = runtime_path(settings).map(|runtime| {
        quote! {
            /// The request verifier: signature, timestamp window and the
            /// URL-validation challenge.
            pub use #runtime::webhook::*;
        }
    });
    Ok(quote! {
        #verifier
        pub use super::types::{#(#types),*};

        /// A webhook event, decoded by its `event` name into the type of
        /// that event's payload; an event this version does not know is
        /// kept whole in [`Event::Unknown`]. Decode the body of a verified
        /// request with [`Event::from_slice`]; serializing gives back the
        /// JSON that was decoded (fields this client does not know
        /// included), up to key order.
        #[derive(Clone, Debug, #(#derives),*)]
        #[non_exhaustive]
        pub enum Event {
            #(#docs #variants(#types),)*
            /// An event this version of the client does not know (Zoom added
            /// it later, or it is not in the webhooks spec), as Zoom sent it.
            Unknown(UnknownEvent),
        }

        /// An event this version of the client does not know: its name and
        /// the JSON body as it arrived.
        #[derive(Clone, Debug, #(#derives),*)]
        pub struct UnknownEvent {
            name: ::std::string::String,
            raw: ::serde_json::Value,
        }

        impl UnknownEvent {
            /// The event's `event` field.
            pub fn name(&self) -> &str {
                &self.name
            }

            /// The whole body, as it arrived.
            pub fn raw(&self) -> &::serde_json::Value {
                &self.raw
            }

            /// The whole body, as it arrived.
            pub fn into_raw(self) -> ::serde_json::Value {
                self.raw
            }
        }

        impl Event {
            /// The events this version decodes into their own variant.
            pub const KNOWN: &'static [&'static str] = &[#(#names),*];

            /// The event's name, as in its `event` field.
            pub fn name(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #names,)*
                    Self::Unknown(event) => event.name(),
                }
            }

            /// Decodes a request body (verify the request first).
            pub fn from_slice(body: &[u8]) -> ::serde_json::Result<Self> {
                ::serde_json::from_slice(body)
            }

            /// Decodes the JSON value of a request body: by its `event`, or
            /// as [`Event::Unknown`]. A body without a string `event` is an
            /// error.
            pub fn from_value(value: ::serde_json::Value) -> ::serde_json::Result<Self> {
                let name = match value.get("event") {
                    Some(::serde_json::Value::String(name)) => name.clone(),
                    Some(_) => {
                        return Err(<::serde_json::Error as ::serde::de::Error>::custom(
                            "the event's `event` field is not a string",
                        ));
                    }
                    None => {
                        return Err(<::serde_json::Error as ::serde::de::Error>::missing_field(
                            "event",
                        ));
                    }
                };
                Ok(match name.as_str() {
                    #(#names => Self::#variants(::serde_json::from_value(value)?),)*
                    _ => Self::Unknown(UnknownEvent { name, raw: value }),
                })
            }
        }

        impl ::serde::Serialize for Event {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(payload) => ::serde::Serialize::serialize(payload, serializer),)*
                    Self::Unknown(event) => ::serde::Serialize::serialize(&event.raw, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Event {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::from_value(value).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    })
}
