//! The runtime's `rules` enums (`Concept`, `Purpose`, `Meaning`, `Notifications`,
//! `TestOutcome`, `Encoding`) are the generator's words for them (`keywords.rs`) on the other
//! side of the proc-macro boundary: the generator writes `::eftpay::rules::Concept::OutTradeNo`
//! and the runtime acts on it. The two lists are kept in two crates, so this emits their
//! agreement as code the runtime compiles: an exhaustive `match` naming the generator's variants
//! (a variant the runtime lacks, or one the generator does not know, fails the runtime's build),
//! and a test that each runtime `name()` is the spec's word, where the runtime has one.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::keywords::{CONCEPTS, ENCODINGS, Keywords, MEANINGS, NOTIFICATIONS, PURPOSES, TEST_OUTCOMES};

/// The check, expanded inside the runtime's `rules` module (where its enums are not
/// `non_exhaustive` to the `match`).
pub fn check() -> TokenStream {
    let agreements = [
        agreement("Concept", &CONCEPTS, |c| c.variant(), false),
        agreement("Purpose", &PURPOSES, |p| p.variant().to_owned(), true),
        agreement("Meaning", &MEANINGS, |m| (*m).to_owned(), false),
        agreement("Notifications", &NOTIFICATIONS, |n| format!("{n:?}"), true),
        agreement("TestOutcome", &TEST_OUTCOMES, |t| format!("{t:?}"), true),
        agreement("Encoding", &ENCODINGS, |e| format!("{e:?}"), false),
    ];
    let matches = agreements.iter().map(|(matched, _)| matched);
    let names = agreements.iter().map(|(_, named)| named);
    quote! {
        const _: () = {
            #(#matches)*
        };

        #[cfg(test)]
        #[test]
        fn every_runtime_name_is_the_spec_word_for_it() {
            #(#names)*
        }
    }
}

/// For the runtime enum `runtime` and the generator's word table for it: a function whose
/// exhaustive `match` names every variant the generator knows, and (when `named`) assertions
/// that the runtime's `name()` of each is the table's word.
fn agreement<T>(
    runtime: &str,
    table: &Keywords<T>,
    variant: impl Fn(&T) -> String,
    named: bool,
) -> (TokenStream, TokenStream) {
    let enumeration = format_ident!("{runtime}");
    let function = format_ident!("every_{}", table.key);
    let variants: Vec<_> = table.entries.iter().map(|(_, value)| format_ident!("{}", variant(value))).collect();
    let matched = quote! {
        fn #function(value: #enumeration) {
            match value {
                #(#enumeration::#variants)|* => {}
            }
        }
    };
    let words = table.entries.iter().map(|(word, _)| *word);
    let named = if named {
        quote! { #(assert_eq!(#enumeration::#variants.name(), #words);)* }
    } else {
        TokenStream::new()
    };
    (matched, named)
}
