//! The runtime's `rules::Concept`, `rules::Purpose` and `rules::Meaning` are the generator's
//! words for them (`keywords.rs`) on the other side of the proc-macro boundary: the generator
//! writes `::eftpay::rules::Concept::OutTradeNo` and the runtime acts on it. The two lists are
//! kept in two crates, so this emits their agreement as code the runtime compiles: an exhaustive
//! `match` naming the generator's variants (a variant the runtime lacks, or one the generator
//! does not know, fails the runtime's build), and a test that each purpose's runtime name is
//! the spec's word.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::keywords::{CONCEPTS, MEANINGS, PURPOSES};

/// The check, expanded inside the runtime's `rules` module (where its enums are not
/// `non_exhaustive` to the `match`).
pub fn check() -> TokenStream {
    let concepts = CONCEPTS.entries.iter().map(|(_, c)| format_ident!("{}", c.variant()));
    let purposes: Vec<_> = PURPOSES.entries.iter().map(|(_, p)| format_ident!("{}", p.variant())).collect();
    let words = PURPOSES.entries.iter().map(|(word, _)| *word);
    let meanings = MEANINGS.entries.iter().map(|(_, m)| format_ident!("{m}"));
    quote! {
        const _: () = {
            fn concepts(concept: Concept) {
                match concept {
                    #(Concept::#concepts)|* => {}
                }
            }
            fn purposes(purpose: Purpose) {
                match purpose {
                    #(Purpose::#purposes)|* => {}
                }
            }
            fn meanings(meaning: Meaning) {
                match meaning {
                    #(Meaning::#meanings)|* => {}
                }
            }
        };

        #[cfg(test)]
        #[test]
        fn every_purpose_is_named_by_the_spec_word_for_it() {
            #(assert_eq!(Purpose::#purposes.name(), #words);)*
        }
    }
}
