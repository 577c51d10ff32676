//! Stage 5: [`Emitted`] -> [`Generated`]: pretty-printed files split for
//! review.
//!
//! One file per concern: `types.rs` (every schema type), `client.rs` (the
//! `Client`, its hooks, the prelude, untagged operations), one file per tag
//! (its extension trait, the trait impl and a module with that tag's builder
//! structs), `metadata.rs`, and a root file that stitches them together with
//! `include!` of the sibling files. `include!` resolves relative to the file
//! that contains it, so the same set works written to `OUT_DIR` and pulled in
//! with `include!(concat!(env!("OUT_DIR"), "/mod.rs"))`, and as a committed
//! copy next to the crate's sources. Included files cannot carry inner
//! attributes, so module attributes sit on the `mod` items of the root.

use std::collections::BTreeMap;

use quote::{format_ident, quote};

use crate::emit::{Emitted, Section, TypesModule};
use crate::error::{Error, Result};
use crate::lower::naming::file_stem;
use crate::{Note, Settings};

/// The generated client, as named files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// File name -> contents; every name is a sibling of [`Self::root`].
    pub files: BTreeMap<String, String>,
    /// The file to `include!` (it includes the others).
    pub root: String,
    /// What lowering changed, and emission could not do, that a reader of
    /// the client should know.
    pub notes: Vec<Note>,
    /// The cargo features the code tests (`#[cfg(feature = "...")]`), each
    /// with what it switches on: the crate must declare every one.
    pub features: BTreeMap<String, FeatureUse>,
}

/// What a feature of [`Generated::features`] switches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureUse {
    /// For messages: "the operations tagged `Roles`", "the webhooks module".
    pub what: String,
    /// An area of the API, which a crate turns on by default so that
    /// depending on it with default features gives the whole API.
    pub default: bool,
}

impl FeatureUse {
    fn area(tag: &str) -> Self {
        Self {
            what: format!("the operations tagged `{tag}`"),
            default: true,
        }
    }
}

impl Generated {
    /// All files in one text, each under a `// ==== name ====` line: for
    /// snapshots and quick reading.
    pub fn concatenated(&self) -> String {
        let mut out = String::new();
        let mut names: Vec<&String> = self.files.keys().collect();
        // Root first, then the rest in name order.
        names.sort_by_key(|n| (**n != self.root, (*n).clone()));
        for name in names {
            out.push_str(&format!("// ==== {name} ====\n"));
            out.push_str(&self.files[name]);
            out.push('\n');
        }
        out
    }
}

/// Fixed file stems a tag file must not take.
const RESERVED: [&str; 7] = [
    "types", "client", "metadata", "builder", "prelude", "mod", "mock",
];

fn pretty(items: Vec<syn::Item>) -> String {
    // prettyplease prints a macro invocation as a flowing token list; the
    // open enums are printed one variant per line so a diff shows exactly
    // which value came or went.
    let mut out = String::new();
    let mut run: Vec<syn::Item> = Vec::new();
    for item in items {
        match render_open_enum(&item).or_else(|| render_record(&item)) {
            Some(text) => {
                out.push_str(&unparse(std::mem::take(&mut run)));
                out.push_str(&outer_attributes(&item));
                out.push_str(&text);
            }
            None if is_record_support(&item) => {}
            None => run.push(item),
        }
    }
    out.push_str(&unparse(run));
    out
}

/// The outer attributes of a macro item (a feature gate on a `record!`),
/// as prettyplease prints them.
fn outer_attributes(item: &syn::Item) -> String {
    let syn::Item::Macro(m) = item else {
        return String::new();
    };
    // The rendered text carries the docs (and a definition its own).
    let attrs: Vec<&syn::Attribute> = m
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .collect();
    if attrs.is_empty() || m.mac.path.is_ident("macro_rules") {
        return String::new();
    }
    let text = unparse(vec![syn::parse_quote! { #(#attrs)* struct Gate; }]);
    text.trim_end().trim_end_matches("struct Gate;").to_owned()
}

fn unparse(items: Vec<syn::Item>) -> String {
    if items.is_empty() {
        return String::new();
    }
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}

/// `record! { .. }` laid out one field a line, and the definition of
/// `record!` as written by hand (printed once, for its first item).
fn render_record(item: &syn::Item) -> Option<String> {
    let syn::Item::Macro(m) = item else {
        return None;
    };
    if m.mac.path.is_ident("macro_rules") && m.ident.as_ref().is_some_and(|i| i == "record") {
        return Some(crate::emit::RECORD_MACRO.to_string());
    }
    if !m.mac.path.is_ident("record") {
        return None;
    }
    syn::parse2::<crate::emit::Record>(m.mac.tokens.clone())
        .ok()
        .map(|record| record.render())
}

/// The items of the `record!` definition after the first, which
/// [`render_record`] printed with it.
fn is_record_support(item: &syn::Item) -> bool {
    match item {
        syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => m
            .ident
            .as_ref()
            .is_some_and(|i| crate::emit::RECORD_SUPPORT_MACROS.contains(&i.to_string().as_str())),
        syn::Item::Mod(m) => m.ident == crate::emit::RECORD_SUPPORT_MODULE,
        _ => false,
    }
}

/// `open_enum! { docs Name { docs Variant = "value", ... } }`, laid out.
fn render_open_enum(item: &syn::Item) -> Option<String> {
    use proc_macro2::TokenTree;
    let syn::Item::Macro(m) = item else {
        return None;
    };
    if m.mac.path.is_ident("macro_rules") && m.ident.as_ref().is_some_and(|i| i == "open_enum") {
        return Some(crate::emit::OPEN_ENUM_MACRO.to_string());
    }
    if !m.mac.path.is_ident("open_enum") {
        return None;
    }
    /// The doc lines, identifier, value (`= "x"`) and body (`{ .. }`) of
    /// the enum or of one variant.
    type Entry = (
        Vec<String>,
        String,
        Option<String>,
        Option<proc_macro2::TokenStream>,
    );
    fn entries(tokens: proc_macro2::TokenStream) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut docs = Vec::new();
        let mut iter = tokens.into_iter().peekable();
        while let Some(tree) = iter.next() {
            match tree {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    if let Some(TokenTree::Group(g)) = iter.next() {
                        let attr = g.stream().into_iter().collect::<Vec<_>>();
                        if let Some(TokenTree::Literal(l)) = attr.last()
                            && let Ok(lit) = syn::parse_str::<syn::LitStr>(&l.to_string())
                        {
                            docs.extend(lit.value().lines().map(str::to_owned));
                        }
                    }
                }
                TokenTree::Ident(ident) => {
                    let mut value = None;
                    let mut body = None;
                    match iter.peek() {
                        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                            iter.next();
                            if let Some(TokenTree::Literal(l)) = iter.next() {
                                value = Some(l.to_string());
                            }
                        }
                        Some(TokenTree::Group(g)) => {
                            body = Some(g.stream());
                            iter.next();
                        }
                        _ => {}
                    }
                    out.push((std::mem::take(&mut docs), ident.to_string(), value, body));
                }
                _ => {}
            }
        }
        out
    }
    let mut text = String::from("open_enum! {\n");
    for (docs, name, _, body) in entries(m.mac.tokens.clone()) {
        for line in docs {
            text.push_str(&format!("    ///{line}\n"));
        }
        text.push_str(&format!("    {name} {{\n"));
        for (vdocs, variant, value, _) in entries(body.unwrap_or_default()) {
            for line in vdocs {
                text.push_str(&format!("        ///{line}\n"));
            }
            text.push_str(&format!(
                "        {variant} = {},\n",
                value.unwrap_or_default()
            ));
        }
        text.push_str("    }\n");
    }
    text.push_str("}\n");
    Some(text)
}

/// Splits and prints; see the module docs.
pub(crate) fn format(emitted: Emitted, settings: &Settings, notes: Vec<Note>) -> Result<Generated> {
    let header = format!(
        "// @generated by codegen from {}; do not edit. Refresh with `cargo xtask regen`.\n",
        settings.spec_name
    );
    let root_name = settings.root_file.clone();
    let root_stem = root_name.trim_end_matches(".rs");

    // Tag -> file stem, avoiding the fixed names and each other; untagged
    // operations go to `untagged.rs`.
    let mut tags: Vec<&String> = emitted
        .sections
        .iter()
        .filter_map(|s| s.tag.as_ref())
        .collect();
    tags.sort();
    let mut stems: BTreeMap<String, String> = BTreeMap::new();
    for tag in tags {
        let mut stem = file_stem(tag);
        if RESERVED.contains(&stem.as_str()) || stem == root_stem || stem.ends_with("_builders") {
            stem.push_str("_ops");
        }
        while stems.values().any(|s| *s == stem) {
            stem.push('_');
        }
        stems.insert(tag.clone(), stem);
    }
    let mut per_stem: BTreeMap<String, Section> = BTreeMap::new();
    for section in emitted.sections {
        let stem = match &section.tag {
            Some(tag) => stems[tag].clone(),
            None => "untagged".to_string(),
        };
        per_stem.insert(stem, section);
    }

    let mut files = BTreeMap::new();
    let mut root_items = Vec::new();
    let mut features = BTreeMap::new();

    let include = |name: String, files: &mut BTreeMap<String, String>, body: String| {
        files.insert(name, format!("{header}{body}"));
    };

    include("client.rs".into(), &mut files, pretty(emitted.client));
    root_items.push(quote! { include!("client.rs"); });

    if let Some(TypesModule { attrs, items }) = emitted.types {
        include("types.rs".into(), &mut files, pretty(items));
        root_items.push(quote! {
            #(#attrs)*
            pub mod types {
                include!("types.rs");
            }
        });
    }

    let mut reexports = Vec::new();
    for (stem, section) in per_stem {
        let module = format_ident!("{}_builders", stem);
        let gate = section
            .feature
            .as_ref()
            .map(|f| quote! { #[cfg(feature = #f)] });
        if let (Some(feature), Some(tag)) = (&section.feature, &section.tag) {
            features
                .entry(feature.clone())
                .or_insert_with(|| FeatureUse::area(tag));
        }
        let mut items = section.items;
        if !section.builders.is_empty() {
            let doc = format!(
                "Builders of the `{stem}` operations, re-exported by the `builder` module (this one is hidden)."
            );
            // The wrapper is parsed empty and filled, so the (large)
            // builder code is not printed and parsed a second time.
            let module_tokens = quote! {
                #[doc = #doc]
                #[doc(hidden)]
                #[allow(clippy::all)]
                // A `4XX` arm listed before a `404` arm (progenitor orders
                // by status value) makes the latter unreachable; both
                // decode the same type, so the warning is noise.
                #[allow(unreachable_patterns)]
                // Not every tag's builders use `types` or every helper.
                #[allow(unused_imports)]
                pub mod #module {}
            };
            let mut module_item: syn::ItemMod =
                syn::parse2(module_tokens).map_err(|e| Error::Output {
                    message: format!("builder module {stem}: {e}"),
                })?;
            if let Some((_, content)) = &mut module_item.content {
                content.extend(emitted.builder_preamble.iter().cloned());
                content.extend(section.builders);
            }
            items.push(syn::Item::Mod(module_item));
            reexports.push(quote! { #gate pub use super::#module::*; });
        }
        let name = format!("{stem}.rs");
        include(name.clone(), &mut files, pretty(items));
        root_items.push(quote! { #gate include!(#name); });
    }

    let builder_mod_attrs = emitted.builder_attrs;
    root_items.push(quote! {
        #(#builder_mod_attrs)*
        pub mod builder {
            #(#reexports)*
        }
    });

    include("metadata.rs".into(), &mut files, pretty(emitted.metadata));
    root_items.push(quote! {
        /// What the spec says about each operation beyond its signature:
        /// scopes, rate-limit label, documented error codes, pagination.
        pub mod metadata {
            include!("metadata.rs");
        }
    });

    if let Some((items, feature)) = emitted.webhooks {
        include("webhooks.rs".into(), &mut files, pretty(items));
        if let Some(feature) = &feature {
            features.insert(
                feature.clone(),
                FeatureUse {
                    what: "the webhooks module".into(),
                    default: false,
                },
            );
        }
        let gate = feature.map(|f| quote! { #[cfg(feature = #f)] });
        root_items.push(quote! {
            /// Zoom's webhook events: one type per event and [`Event`](webhooks::Event),
            /// decoded by the event's name.
            #gate
            pub mod webhooks {
                include!("webhooks.rs");
            }
        });
    }

    if let Some(mock) = emitted.mock {
        let mut text = pretty(mock.common);
        for (_, items) in mock.by_tag {
            text.push_str(&pretty(items));
        }
        include("mock.rs".into(), &mut files, text);
        let feature = mock.feature;
        features.insert(
            feature.clone(),
            FeatureUse {
                what: "the mock module".into(),
                default: false,
            },
        );
        root_items.push(quote! {
            /// A fake Zoom for your tests: [`MockServer`](mock::MockServer),
            /// one typed expectation per operation.
            #[cfg(feature = #feature)]
            pub mod mock {
                include!("mock.rs");
            }
        });
    }

    let root: syn::File = syn::parse2(quote! { #(#root_items)* }).map_err(|e| Error::Output {
        message: format!("root file: {e}"),
    })?;
    include(root_name.clone(), &mut files, prettyplease::unparse(&root));

    Ok(Generated {
        files,
        root: root_name,
        notes,
        features,
    })
}
