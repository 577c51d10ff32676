//! Every struct of `types` becomes a record: the shape the compatibility
//! contract of the generated crate promises (README "Compatibility").
//!
//! typify derives serde for its structs, which drops every field the spec
//! does not list, turns `null` into absent and an empty list into absent
//! (so a response re-serialized is not what the server sent), and fails
//! the whole response on one boolean sent as `"false"`. Its structs can be
//! built by literal, so every field Zoom adds would break user code. Each
//! struct is therefore replaced by one `record! { .. }` invocation of a
//! `macro_rules!` emitted once at the top of `types` (with its support
//! module `wire`), which defines:
//!
//! - the struct, `#[non_exhaustive]`, with the same public fields, plus a
//!   private one that keeps the undeclared fields (reachable through
//!   `unknown_fields()`/`unknown_fields_mut()`) and which optional fields
//!   arrived as `null` and which lists arrived empty, without changing a
//!   public field's type;
//! - `Default` (derived) when every field is optional, else
//!   `new(required, ...)` in declaration order; a `with_<field>` setter per
//!   field (`impl Into<T>`, by value). Setters all start with `with_`,
//!   nothing else does (`new`, `unknown_fields`, `unknown_fields_mut`), and
//!   fields live in another namespace than methods, so no two names can
//!   collide; no field of typify's starts with `_`, so the private one
//!   (`__wire`) cannot collide with a field either;
//! - `Serialize`/`Deserialize`, tolerant only where Zoom is inconsistent: a
//!   boolean field also takes `"true"`/`"false"`, an integer field a string
//!   of digits (sign allowed, range-checked), written back as the schema's
//!   type; `Debug`.
//!
//! A hand-written visitor per struct (through the macro) rather than serde's
//! `flatten`: `flatten` buffers each object and cannot tell `null` or `[]`
//! from absent without changing the field types; the visitor decodes in
//! one pass (BENCHMARKS.md, section 4, has both measured).
//!
//! The other types of `types` (typify's newtypes and enums) get
//! `#[non_exhaustive]` here; the open string enums get it from
//! `open_enum!`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::parse::{Parse, ParseStream};

use super::{generic_args, module_items, path_idents};
use crate::error::{Error, Result};

/// The `record!` definition and its support, as printed at the top of
/// `types` (kept as text, laid out by hand).
pub(crate) const RECORD_MACRO: &str = include_str!("record_macro.rs");

/// The `macro_rules!` after `record` in [`RECORD_MACRO`], and its module.
pub(crate) const RECORD_SUPPORT_MACROS: [&str; 4] =
    ["record_type", "record_put", "record_finish", "record_write"];
pub(crate) const RECORD_SUPPORT_MODULE: &str = "wire";

/// Field types decoded tolerantly, each with a `Lenient` impl in
/// `record_macro.rs`: the primitives, and the `std::num` non-zero types.
const LENIENT_PRIMITIVES: [&str; 9] =
    ["bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
const LENIENT_NON_ZERO: [&str; 3] = ["NonZeroU64", "NonZeroU32", "NonZeroI64"];

/// The private field of every record (in `record_macro.rs`); typify's
/// fields never start with `_`, so it cannot collide with one.
const PRIVATE_FIELD: &str = "__wire";

/// What the spec marks deprecated, by Rust type name and wire name of the
/// field.
pub(in crate::emit) type DeprecatedFields = BTreeSet<(String, String)>;

/// Turns every struct of `types` into a record and marks every other type
/// `#[non_exhaustive]`; see the module docs.
pub(in crate::emit) fn records(file: &mut syn::File, deprecated: &DeprecatedFields) -> Result<()> {
    let Some(types) = module_items(file, "types") else {
        return Ok(());
    };
    let mut any = false;
    let mut out = Vec::with_capacity(types.len());
    for mut item in std::mem::take(types) {
        match &mut item {
            syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => {
                let record = Record::from_struct(s, deprecated)?;
                let constructor = record.constructor();
                out.push(syn::Item::Macro(syn::ItemMacro {
                    attrs: Vec::new(),
                    ident: None,
                    mac: syn::Macro {
                        path: syn::parse_quote!(record),
                        bang_token: Default::default(),
                        delimiter: syn::MacroDelimiter::Brace(Default::default()),
                        tokens: record.to_token_stream(),
                    },
                    semi_token: None,
                }));
                out.extend(constructor);
                any = true;
                continue;
            }
            syn::Item::Struct(s) => non_exhaustive(&mut s.attrs),
            syn::Item::Enum(e) => non_exhaustive(&mut e.attrs),
            _ => {}
        }
        out.push(item);
    }
    *types = out;
    if any {
        // A constant, parsed by the test below; never fails at run time.
        let definitions = syn::parse_str::<syn::File>(RECORD_MACRO).map_err(|e| Error::Output {
            message: format!("record_macro.rs: {e}"),
        })?;
        let at = types
            .iter()
            .take_while(|i| matches!(i, syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules")))
            .count();
        types.splice(at..at, definitions.items);
    }
    Ok(())
}

fn non_exhaustive(attrs: &mut Vec<syn::Attribute>) {
    if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        attrs.push(syn::parse_quote!(#[non_exhaustive]));
    }
}

/// How a field is present in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Always present (its type may still be an `Option`, for a required
    /// nullable field).
    Required,
    /// `Option<T>`: absent or `null` is `None`.
    Optional,
    /// A list or map, empty when absent.
    Many,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Required => "required",
            Kind::Optional => "optional",
            Kind::Many => "many",
        }
    }
}

/// One field of a record, as `record!` takes it.
#[derive(Clone)]
pub(crate) struct RecordField {
    pub docs: Vec<String>,
    pub deprecated: bool,
    pub kind: Kind,
    pub lenient: bool,
    pub ident: syn::Ident,
    /// The declared type: `T` of an optional field's `Option<T>`.
    pub ty: syn::Type,
    pub wire: String,
}

/// The input of one `record!` invocation.
#[derive(Clone)]
pub(crate) struct Record {
    pub docs: Vec<String>,
    pub derives: Vec<syn::Path>,
    pub ident: syn::Ident,
    pub fields: Vec<RecordField>,
}

fn shape_error(s: &syn::ItemStruct, what: &str) -> Error {
    Error::EngineOutput {
        message: format!("types::{}: {what}, which records do not model", s.ident),
    }
}

impl Record {
    fn from_struct(s: &syn::ItemStruct, deprecated: &DeprecatedFields) -> Result<Self> {
        let mut docs = Vec::new();
        for attr in &s.attrs {
            if let Some(doc) = doc_text(attr) {
                docs.push(doc);
            } else if !attr.path().is_ident("derive") {
                let attr = attr.to_token_stream().to_string();
                return Err(shape_error(s, &format!("the attribute {attr}")));
            }
        }
        let mut fields = Vec::new();
        for field in &s.fields {
            fields.push(RecordField::from_field(s, field, deprecated)?);
        }
        let required = fields.iter().any(|f| f.kind == Kind::Required);
        let mut derives: Vec<syn::Path> = Vec::new();
        for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let paths = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .map_err(|e| shape_error(s, &format!("an unreadable derive ({e})")))?;
            derives.extend(paths);
        }
        // The macro writes serde and Debug; Default exactly when every
        // field may be absent (else `new` takes the required ones).
        let last = |p: &syn::Path| p.segments.last().map(|s| s.ident.to_string());
        derives.retain(|p| {
            !matches!(
                last(p).as_deref(),
                Some("Serialize" | "Deserialize" | "Debug" | "Default")
            )
        });
        if !required {
            let at = derives
                .iter()
                .position(|p| last(p).as_deref() > Some("Default"))
                .unwrap_or(derives.len());
            derives.insert(at, syn::parse_quote!(Default));
        }
        Ok(Self {
            docs,
            derives,
            ident: s.ident.clone(),
            fields,
        })
    }
}

impl Record {
    /// `new(required, ...)` of a record with required fields, in
    /// declaration order; the others start absent. (A record whose fields
    /// may all be absent derives `Default` instead.)
    fn constructor(&self) -> Option<syn::Item> {
        let required: Vec<&RecordField> = self
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Required)
            .collect();
        if required.is_empty() {
            return None;
        }
        let params = required.iter().map(|f| {
            let (name, ty) = (&f.ident, &f.ty);
            quote! { #name: impl ::std::convert::Into<#ty> }
        });
        let inits = self.fields.iter().map(|f| {
            let name = &f.ident;
            match f.kind {
                Kind::Required => quote! { #name: #name.into() },
                Kind::Optional => quote! { #name: ::std::option::Option::None },
                Kind::Many => quote! { #name: ::std::default::Default::default() },
            }
        });
        let ident = &self.ident;
        let private = format_ident!("{}", PRIVATE_FIELD);
        Some(syn::parse_quote! {
            #[allow(deprecated)]
            impl #ident {
                /// A value with the required fields; the optional ones start
                /// absent (set them with the `with_*` methods or by
                /// assignment).
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits,)* #private: ::std::default::Default::default() }
                }
            }
        })
    }
}

impl RecordField {
    fn from_field(
        s: &syn::ItemStruct,
        field: &syn::Field,
        deprecated: &DeprecatedFields,
    ) -> Result<Self> {
        let Some(ident) = field.ident.clone() else {
            return Err(shape_error(s, "an unnamed field"));
        };
        if ident.to_string().starts_with('_') {
            return Err(shape_error(s, &format!("the field `{ident}`")));
        }
        let mut docs = Vec::new();
        let mut rename = None;
        let mut default = false;
        let mut skip_if: Option<String> = None;
        for attr in &field.attrs {
            if let Some(doc) = doc_text(attr) {
                docs.push(doc);
                continue;
            }
            if !attr.path().is_ident("serde") {
                let attr = attr.to_token_stream().to_string();
                return Err(shape_error(
                    s,
                    &format!("`{ident}` has the attribute {attr}"),
                ));
            }
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else if meta.path.is_ident("default") && meta.input.is_empty()
                    || meta.path.is_ident("default") && meta.input.peek(syn::Token![,])
                {
                    default = true;
                } else if meta.path.is_ident("skip_serializing_if") {
                    skip_if = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                } else if meta.path.is_ident("deserialize_with") {
                    // Only typify's required nullable field: `Option`'s own.
                    let with = meta.value()?.parse::<syn::LitStr>()?.value();
                    if with != "::std::option::Option::deserialize" {
                        return Err(meta.error("deserialize_with"));
                    }
                } else {
                    return Err(meta.error("serde option"));
                }
                Ok(())
            })
            .map_err(|e| shape_error(s, &format!("`{ident}` has {e}")))?;
        }
        let (kind, ty) = match skip_if.as_deref() {
            None if !default => (Kind::Required, field.ty.clone()),
            Some("::std::option::Option::is_none") if !default => {
                let inner = option_inner(&field.ty).ok_or_else(|| {
                    shape_error(s, &format!("`{ident}` skipped when None but not an Option"))
                })?;
                (Kind::Optional, inner)
            }
            Some(empty) if default && empty.ends_with("::is_empty") => {
                (Kind::Many, field.ty.clone())
            }
            _ => {
                return Err(shape_error(
                    s,
                    &format!("`{ident}` with a default or skip rule of its own"),
                ));
            }
        };
        let wire = rename.unwrap_or_else(|| ident.to_string());
        let scalar = match kind {
            Kind::Required => option_inner(&ty).unwrap_or_else(|| ty.clone()),
            _ => ty.clone(),
        };
        Ok(Self {
            docs,
            deprecated: deprecated.contains(&(s.ident.to_string(), wire.clone())),
            kind,
            lenient: kind != Kind::Many && is_lenient_scalar(&scalar),
            ident,
            ty,
            wire,
        })
    }

    fn setter(&self) -> syn::Ident {
        format_ident!("with_{}", self.ident)
    }
}

/// The text of a `#[doc = "..."]`.
fn doc_text(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// `T` of `::std::option::Option<T>` (or `Option<T>`).
fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let idents = path_idents(&p.path);
    let is_option = matches!(
        idents
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std", "option", "Option"] | ["core", "option", "Option"]
    );
    if !is_option {
        return None;
    }
    let mut args = generic_args(ty)?;
    (args.len() == 1).then(|| args.remove(0))
}

fn is_lenient_scalar(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    if p.qself.is_some() {
        return false;
    }
    let idents = path_idents(&p.path);
    let names: Vec<&str> = idents.iter().map(String::as_str).collect();
    match names.as_slice() {
        [one] => LENIENT_PRIMITIVES.contains(one),
        ["std" | "core", "num", non_zero] => LENIENT_NON_ZERO.contains(non_zero),
        _ => false,
    }
}

fn doc_tokens(docs: &[String]) -> TokenStream {
    quote! { #(#[doc = #docs])* }
}

impl ToTokens for Record {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let docs = doc_tokens(&self.docs);
        let derives = &self.derives;
        let ident = &self.ident;
        let fields = self.fields.iter().map(|f| {
            let docs = doc_tokens(&f.docs);
            let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
            let kind = format_ident!("{}", f.kind.keyword());
            let codec = format_ident!("{}", if f.lenient { "lenient" } else { "plain" });
            let (name, ty, wire, setter) = (&f.ident, &f.ty, &f.wire, f.setter());
            quote! { #docs #deprecated #kind #codec #name: #ty = #wire => #deprecated #setter; }
        });
        tokens.extend(quote! {
            #docs
            #[derive(#(#derives),*)]
            pub struct #ident { #(#fields)* }
        });
    }
}

impl Parse for Record {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut docs = Vec::new();
        let mut derives = Vec::new();
        for attr in input.call(syn::Attribute::parse_outer)? {
            if let Some(doc) = doc_text(&attr) {
                docs.push(doc);
            } else if attr.path().is_ident("derive") {
                derives.extend(attr.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )?);
            } else {
                return Err(syn::Error::new_spanned(attr, "unexpected attribute"));
            }
        }
        input.parse::<syn::Token![pub]>()?;
        input.parse::<syn::Token![struct]>()?;
        let ident: syn::Ident = input.parse()?;
        let body;
        syn::braced!(body in input);
        let mut fields = Vec::new();
        while !body.is_empty() {
            let mut docs = Vec::new();
            let mut deprecated = false;
            for attr in body.call(syn::Attribute::parse_outer)? {
                match doc_text(&attr) {
                    Some(doc) => docs.push(doc),
                    None if attr.path().is_ident("deprecated") => deprecated = true,
                    None => return Err(syn::Error::new_spanned(attr, "unexpected attribute")),
                }
            }
            let kind: syn::Ident = body.parse()?;
            let kind = match kind.to_string().as_str() {
                "required" => Kind::Required,
                "optional" => Kind::Optional,
                "many" => Kind::Many,
                _ => return Err(syn::Error::new_spanned(kind, "unknown field kind")),
            };
            let codec: syn::Ident = body.parse()?;
            let name: syn::Ident = body.parse()?;
            body.parse::<syn::Token![:]>()?;
            let ty: syn::Type = body.parse()?;
            body.parse::<syn::Token![=]>()?;
            let wire: syn::LitStr = body.parse()?;
            body.parse::<syn::Token![=>]>()?;
            body.call(syn::Attribute::parse_outer)?;
            body.parse::<syn::Ident>()?;
            body.parse::<syn::Token![;]>()?;
            fields.push(RecordField {
                docs,
                deprecated,
                kind,
                lenient: codec == "lenient",
                ident: name,
                ty,
                wire: wire.value(),
            });
        }
        Ok(Self {
            docs,
            derives,
            ident,
            fields,
        })
    }
}

impl Record {
    /// The invocation laid out for a reader: one line per field, its docs
    /// above it (`format` prints records with this).
    pub(crate) fn render(&self) -> String {
        let mut out = String::from("record! {\n");
        push_docs(&mut out, "    ", &self.docs);
        let derives: Vec<String> = self.derives.iter().map(path_text).collect();
        out.push_str(&format!("    #[derive({})]\n", derives.join(", ")));
        out.push_str(&format!("    pub struct {} {{\n", self.ident));
        for f in &self.fields {
            push_docs(&mut out, "        ", &f.docs);
            let deprecated = if f.deprecated { "#[deprecated] " } else { "" };
            if f.deprecated {
                out.push_str("        #[deprecated]\n");
            }
            out.push_str(&format!(
                "        {} {} {}: {} = {:?} => {deprecated}{};\n",
                f.kind.keyword(),
                if f.lenient { "lenient" } else { "plain" },
                f.ident,
                type_text(&f.ty),
                f.wire,
                f.setter(),
            ));
        }
        out.push_str("    }\n}\n");
        out
    }
}

/// Doc lines as `///` comments, except a line a `///` comment cannot carry
/// (one starting with `/` or `!` would make `////` or `///!`).
fn push_docs(out: &mut String, indent: &str, docs: &[String]) {
    for doc in docs {
        for line in doc.split('\n') {
            if line.starts_with('/') || line.starts_with('!') || line.contains('\r') {
                out.push_str(&format!("{indent}#[doc = {:?}]\n", line));
            } else {
                out.push_str(&format!("{indent}///{line}\n"));
            }
        }
    }
}

fn path_text(path: &syn::Path) -> String {
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|s| {
            let mut seg = s.ident.to_string();
            if let syn::PathArguments::AngleBracketed(args) = &s.arguments {
                let args: Vec<String> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        syn::GenericArgument::Type(t) => type_text(t),
                        other => compact(other.to_token_stream()),
                    })
                    .collect();
                seg.push_str(&format!("<{}>", args.join(", ")));
            }
            seg
        })
        .collect();
    out.push_str(&segments.join("::"));
    out
}

/// A type as a person writes it (`::std::vec::Vec<Item>`).
fn type_text(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => path_text(&p.path),
        syn::Type::Tuple(t) => {
            let items: Vec<String> = t.elems.iter().map(type_text).collect();
            format!("({})", items.join(", "))
        }
        syn::Type::Array(a) => format!(
            "[{}; {}]",
            type_text(&a.elem),
            compact(a.len.to_token_stream())
        ),
        other => compact(other.to_token_stream()),
    }
}

/// Tokens without the spaces `to_string` puts between them.
fn compact(tokens: TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::rewrite::derived_traits;

    fn types_of(file: &mut syn::File) -> &mut Vec<syn::Item> {
        module_items(file, "types").unwrap()
    }

    fn engine_like_file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[doc = "A body."]
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                pub struct Body {
                    #[doc = "Who."]
                    pub email: ::std::string::String,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub on: ::std::option::Option<bool>,
                    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                    pub type_: ::std::option::Option<::std::num::NonZeroU64>,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub tags: ::std::vec::Vec<i64>,
                    #[serde(deserialize_with = "::std::option::Option::deserialize")]
                    pub maybe: ::std::option::Option<i64>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
                pub struct Open {
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub a: ::std::option::Option<::std::string::String>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                #[serde(transparent)]
                pub struct Name(pub ::std::string::String);
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                #[serde(untagged)]
                pub enum Id { Integer(i64), String(::std::string::String) }
            }
        }
    }

    fn record_of(items: &[syn::Item], name: &str) -> Record {
        items
            .iter()
            .find_map(|i| match i {
                syn::Item::Macro(m) if m.mac.path.is_ident("record") => {
                    let r: Record = syn::parse2(m.mac.tokens.clone()).unwrap();
                    (r.ident == name).then_some(r)
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("no record {name}"))
    }

    #[test]
    fn structs_become_records_of_the_same_fields() {
        let mut file = engine_like_file();
        let deprecated: DeprecatedFields = [("Body".to_string(), "type".to_string())].into();
        records(&mut file, &deprecated).unwrap();
        let items = types_of(&mut file);
        let body = record_of(items, "Body");
        let shape: Vec<(String, Kind, bool, String, bool)> = body
            .fields
            .iter()
            .map(|f| {
                (
                    f.ident.to_string(),
                    f.kind,
                    f.lenient,
                    f.wire.clone(),
                    f.deprecated,
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("email".into(), Kind::Required, false, "email".into(), false),
                ("on".into(), Kind::Optional, true, "on".into(), false),
                ("type_".into(), Kind::Optional, true, "type".into(), true),
                ("tags".into(), Kind::Many, false, "tags".into(), false),
                ("maybe".into(), Kind::Required, true, "maybe".into(), false),
            ]
        );
        assert_eq!(type_text(&body.fields[1].ty), "bool");
        assert_eq!(type_text(&body.fields[3].ty), "::std::vec::Vec<i64>");
        // A required field: no Default (`new` instead); serde and Debug
        // come from the macro.
        let derives: Vec<String> = body.derives.iter().map(path_text).collect();
        assert_eq!(derives, ["Clone", "PartialEq"]);
        let open = record_of(items, "Open");
        let derives: Vec<String> = open.derives.iter().map(path_text).collect();
        assert_eq!(derives, ["Clone", "Default", "PartialEq"]);
        // Newtypes and enums are non-exhaustive; the macro definitions come
        // first.
        for item in items.iter() {
            if let syn::Item::Struct(s) = item {
                assert!(derived_traits(&s.attrs).contains(&"Clone".to_string()));
                assert!(s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")));
            }
            if let syn::Item::Enum(e) = item {
                assert!(e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")));
            }
        }
        assert!(
            matches!(&items[0], syn::Item::Macro(m) if m.ident.as_ref().is_some_and(|i| i == "record"))
        );
    }

    #[test]
    fn a_record_reads_back_from_its_tokens_and_renders_its_docs_safely() {
        let mut file = engine_like_file();
        records(&mut file, &DeprecatedFields::new()).unwrap();
        let body = record_of(types_of(&mut file), "Body");
        let again: Record = syn::parse2(body.to_token_stream()).unwrap();
        assert_eq!(
            again.to_token_stream().to_string(),
            body.to_token_stream().to_string()
        );
        let mut with_docs = body.clone();
        with_docs.docs = vec!["/path and".into(), "!bang".into(), "plain".into()];
        let text = with_docs.render();
        assert!(
            text.starts_with(
                "record! {\n    #[doc = \"/path and\"]\n    #[doc = \"!bang\"]\n    ///plain\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "        optional lenient type_: ::std::num::NonZeroU64 = \"type\" => with_type_;\n"
            ),
            "{text}"
        );
        // The rendering is the same record.
        let parsed: syn::File = syn::parse_str(&text).unwrap();
        let syn::Item::Macro(m) = &parsed.items[0] else {
            panic!("{text}")
        };
        let reread: Record = syn::parse2(m.mac.tokens.clone()).unwrap();
        assert_eq!(
            reread.to_token_stream().to_string(),
            with_docs.to_token_stream().to_string()
        );
    }

    #[test]
    fn shapes_records_do_not_model_are_errors_not_losses() {
        for field in [
            quote!(#[serde(flatten)] pub extra: ::std::collections::HashMap<String, i64>),
            quote!(#[serde(default = "defaults::x")] pub x: i64),
            quote!(pub __wire: i64),
        ] {
            let mut file: syn::File = syn::parse_quote! {
                pub mod types {
                    #[derive(::serde::Deserialize)]
                    pub struct S { #field }
                }
            };
            let err = records(&mut file, &DeprecatedFields::new()).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("unexpected engine output: types::S: "),
                "{err}"
            );
        }
    }

    #[test]
    fn the_macro_text_parses_and_covers_every_lenient_scalar() {
        let file: syn::File = syn::parse_str(RECORD_MACRO).expect("valid Rust");
        let names: Vec<String> = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Macro(m) => m.ident.as_ref().map(|i| i.to_string()),
                syn::Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut expected = vec!["record"];
        expected.extend(RECORD_SUPPORT_MACROS);
        expected.push(RECORD_SUPPORT_MODULE);
        assert_eq!(names, expected);
        assert!(RECORD_MACRO.contains(&format!("{PRIVATE_FIELD}: wire::Wire,")));
        for scalar in LENIENT_PRIMITIVES.iter().chain(&LENIENT_NON_ZERO) {
            assert!(
                RECORD_MACRO.contains(&format!("{scalar},"))
                    || RECORD_MACRO.contains(&format!("{scalar} =>"))
                    || RECORD_MACRO.contains(&format!("{scalar})")),
                "no Lenient impl for {scalar}"
            );
        }
    }
}
