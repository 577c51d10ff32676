//! Stage 4: [`Lowered`] -> [`Emitted`]: the client's items, sorted into the
//! places `format` prints them.
//!
//! 1. [`engine`]: progenitor generates the client from the lowered
//!    document (builder interface, one extension trait per tag); its
//!    settings and the containment of its panics live there.
//! 2. [`layout::Index`]: which method, builder and trait belong to which
//!    operation and tag, read from the structure of that output.
//! 3. Our own tokens: the multipart operations the engine cannot emit
//!    ([`multipart`]), injected into the same traits and `builder` module.
//! 4. [`rewrite`]: structural rewrites where no engine setting gives the
//!    client what it needs (names lowering chose, typify's builders, open
//!    enums, page streams, `Client::new`, the runtime's error out of every
//!    `send`, sealed traits, deprecations, and last the records that every
//!    struct becomes).
//! 5. [`metadata`]: the operation table.
//! 6. [`layout::split`]: every item into its section.
//! 7. [`webhooks`]: the `Event` enum.
//! 8. [`areas`]: the cargo feature of each area (a tag's section, the
//!    webhooks module) on its items, and on each type the features of the
//!    areas that reach it.
//! 9. [`mock`]: the fake server for users' tests, one typed expectation
//!    per operation, read from the final builders (with a runtime crate
//!    and a mock feature), each operation's items behind its area's
//!    feature.

mod areas;
mod engine;
mod layout;
mod metadata;
mod mock;
mod multipart;
mod rewrite;
mod webhooks;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::lower::Lowered;
use crate::spec::Document;
use crate::{Note, Settings};

pub(crate) use rewrite::open_enums::OPEN_ENUM_MACRO;
pub(crate) use rewrite::records::{
    RECORD_MACRO, RECORD_SUPPORT_MACROS, RECORD_SUPPORT_MODULE, Record,
};

/// The client's items, by where they go.
#[derive(Default)]
pub(crate) struct Emitted {
    /// The `Client`, its hooks and impls, the prelude: everything that is
    /// neither a type, nor an operation's, nor metadata.
    pub client: Vec<syn::Item>,
    /// The `types` module (every schema type).
    pub types: Option<TypesModule>,
    /// The attributes of the engine's `builder` module.
    pub builder_attrs: Vec<syn::Attribute>,
    /// The `use` items at the top of the `builder` module, which every
    /// section's builders need.
    pub builder_preamble: Vec<syn::Item>,
    /// One section per tag, and one for untagged operations (tag `None`,
    /// first), in tag order.
    pub sections: Vec<Section>,
    /// The items of the `metadata` module.
    pub metadata: Vec<syn::Item>,
    /// The `webhooks` module (with a webhooks document) and the feature
    /// it sits behind.
    pub webhooks: Option<(Vec<syn::Item>, Option<String>)>,
    /// The `mock` module, with a mock feature and a runtime crate.
    pub mock: Option<mock::MockModule>,
    /// What emission could not do, for [`crate::Generated::notes`].
    pub notes: Vec<Note>,
}

/// A module's outer attributes and its items.
pub(crate) struct TypesModule {
    pub attrs: Vec<syn::Attribute>,
    pub items: Vec<syn::Item>,
}

/// The items of the operations of one tag.
pub(crate) struct Section {
    /// `None` for the operations without a tag.
    pub tag: Option<String>,
    /// The cargo feature the section sits behind (`None`: always compiled).
    pub feature: Option<String>,
    /// The ids of the operations whose builders are here, in output order.
    pub operations: Vec<String>,
    /// The tag's extension trait and its impl for `Client` (for untagged
    /// operations: the `impl Client` with their methods).
    pub items: Vec<syn::Item>,
    /// The builder structs of those operations and their impls.
    pub builders: Vec<syn::Item>,
}

/// Generates the client's items; see the module docs.
pub(crate) fn emit(lowered: &Lowered, source: &Document, settings: &Settings) -> Result<Emitted> {
    let mut file = engine::generate(lowered, source, settings)?;
    let mut index = layout::Index::read(&file, &lowered.operations)?;
    for m in &lowered.multipart {
        multipart::inject_multipart(&mut file, m, &mut index)?;
    }

    // First: the other rewrites read the final names and values.
    rewrite::chosen_names::apply_chosen_names(&mut file, &lowered.chosen_names);
    rewrite::type_builders::drop_type_builders(&mut file);
    rewrite::open_enums::open_string_enums(&mut file);
    let unpaged = match runtime_path(settings) {
        Some(runtime) => {
            rewrite::client_new::infallible_client_new(&mut file)?;
            let unpaged =
                rewrite::page_streams::add_page_streams(&mut file, lowered, &index, &runtime);
            rewrite::send_errors::runtime_errors(&mut file, lowered, &index, &runtime)?;
            unpaged
        }
        None => Vec::new(),
    };
    rewrite::sealed_traits::seal_extension_traits(&mut file, &index);
    rewrite::deprecations::mark_deprecated_operations(&mut file, lowered, &index);
    rewrite::doc_urls::autolink_bare_urls(&mut file);
    // Last: the rewrites above read the engine's structs.
    let deprecated = rewrite::deprecations::deprecated_fields(&lowered.value);
    rewrite::records::records(&mut file, &deprecated)?;

    let metadata = parse_items(metadata::metadata_tokens(lowered, settings), "metadata")?;
    let notes = unpaged
        .iter()
        .filter_map(|id| lowered.operations.iter().find(|op| op.operation_id == *id))
        .map(|op| {
            Note::at(
                &op.pointer,
                "takes `next_page_token` but its response is not one page of one list: no stream()",
            )
        })
        .collect();
    let mut emitted = Emitted {
        metadata,
        notes,
        ..Emitted::default()
    };
    layout::split(file, &index, &lowered.operations, &mut emitted)?;
    if let Some(hooks) = &settings.webhooks {
        let items = parse_items(
            webhooks::webhooks_module(&lowered.webhooks, settings)?,
            "webhooks",
        )?;
        emitted.webhooks = Some((items, hooks.feature.clone()));
    }
    gate_areas(&mut emitted, &index, settings);
    // After the areas: each operation's mock items take its section's gate.
    if let (Some(feature), Some(runtime)) = (&settings.mock_feature, runtime_path(settings)) {
        emitted.mock = Some(mock::mock_module(
            lowered,
            &emitted.sections,
            &index,
            &runtime,
            feature,
        )?);
    }
    Ok(emitted)
}

/// Puts each section behind its tag's feature (its trait in the prelude
/// too; `format` gates its file and re-exports), and each type behind the
/// features of the areas that reach it.
fn gate_areas(emitted: &mut Emitted, index: &layout::Index, settings: &Settings) {
    let mut gated_traits: Vec<(String, areas::Gate)> = Vec::new();
    for section in &mut emitted.sections {
        section.feature = settings.area_feature(section.tag.as_deref());
        if let (Some(tag), Some(feature)) = (&section.tag, &section.feature)
            && let Some(name) = index.trait_of(tag)
        {
            gated_traits.push((name.to_owned(), areas::Gate::of(Some(feature))));
        }
    }
    for item in &mut emitted.client {
        if let syn::Item::Mod(m) = item
            && m.ident == "prelude"
            && let Some((_, content)) = &mut m.content
        {
            for inner in content {
                let tokens = quote! { #inner };
                if let Some((_, gate)) = gated_traits
                    .iter()
                    .find(|(name, _)| areas::mentions(tokens.clone(), name))
                {
                    gate.apply(inner);
                }
            }
        }
    }
    let Some(types) = &mut emitted.types else {
        return;
    };
    let client = &emitted.client;
    let mut all = vec![areas::Area {
        feature: None,
        tokens: quote! { #(#client)* },
    }];
    for section in &emitted.sections {
        let (items, builders) = (&section.items, &section.builders);
        all.push(areas::Area {
            feature: section.feature.clone(),
            tokens: quote! { #(#items)* #(#builders)* },
        });
    }
    if let Some((items, feature)) = &emitted.webhooks {
        all.push(areas::Area {
            feature: feature.clone(),
            tokens: quote! { #(#items)* },
        });
    }
    areas::gate_types(&mut types.items, &all);
}

/// `::crate_name` of the configured runtime crate.
fn runtime_path(settings: &Settings) -> Option<TokenStream> {
    settings.runtime_crate.as_ref().map(|name| {
        let ident = format_ident!("{}", name);
        quote! { ::#ident }
    })
}

fn lit(s: &str) -> proc_macro2::Literal {
    proc_macro2::Literal::string(s)
}

fn doc_attr(text: Option<&str>) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let t = lit(t);
            quote! { #[doc = #t] }
        }
        None => quote! {},
    }
}

fn parse_items(tokens: TokenStream, what: &str) -> Result<Vec<syn::Item>> {
    syn::parse2::<syn::File>(tokens)
        .map(|f| f.items)
        .map_err(|e| Error::Output {
            message: format!("{what}: {e}"),
        })
}
