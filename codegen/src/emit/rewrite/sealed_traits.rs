//! The per-tag extension traits (`ClientAccountsExt`, ...) are sealed: a
//! private supertrait that only `Client` implements, so no one outside the
//! crate can implement them, and adding an operation (a trait method) is
//! not a breaking change (README "Compatibility"). progenitor has no
//! setting for it.

use crate::emit::layout::Index;

/// The module holding the supertrait, at the root beside `Client`.
const SEALED_MODULE: &str = "sealed";

/// Seals every extension trait of `index`; see the module docs.
pub(in crate::emit) fn seal_extension_traits(file: &mut syn::File, index: &Index) {
    let module = quote::format_ident!("{}", SEALED_MODULE);
    let mut any = false;
    for item in &mut file.items {
        let syn::Item::Trait(t) = item else { continue };
        if !index.is_extension_trait(&t.ident.to_string()) {
            continue;
        }
        t.colon_token.get_or_insert_with(Default::default);
        t.supertraits.push(syn::parse_quote!(#module::Sealed));
        any = true;
    }
    if any {
        file.items.push(syn::parse_quote! {
            /// The supertrait of the extension traits: implemented by
            /// [`Client`] only, and unreachable outside this crate.
            mod #module {
                // Unused when every extension trait is feature-gated off.
                #[allow(dead_code)]
                pub trait Sealed {}
                impl Sealed for super::Client {}
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::OperationRecord;
    use quote::ToTokens;

    #[test]
    fn extension_traits_get_the_private_supertrait() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Client;
            pub trait ClientRolesExt { fn roles(&self) -> builder::Roles<'_>; }
        };
        let mut op = OperationRecord::for_test("roles");
        op.tags = vec!["Roles".into()];
        let index = Index::read(&file, &[op]).unwrap();
        // A trait the index does not know is left alone.
        file.items.push(syn::parse_quote!(
            pub trait Unrelated {}
        ));
        seal_extension_traits(&mut file, &index);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("pub trait ClientRolesExt : sealed :: Sealed {"),
            "{text}"
        );
        assert!(text.contains("pub trait Unrelated { }"), "{text}");
        assert!(
            text.contains("impl Sealed for super :: Client { }"),
            "{text}"
        );
    }
}
