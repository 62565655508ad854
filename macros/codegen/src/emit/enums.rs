//! Enums: one per value set, each with an `Unknown` variant so values eftPay adds later still
//! parse (smithy-rs / async-stripe style). The trait impls every enum shares are the runtime's
//! `__wire_enum_traits!`; the expansion holds the values, their docs and wire texts.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::model::{Enum, EnumId, Spec};

pub fn emit(id: EnumId, e: &Enum, spec: &Spec) -> TokenStream {
    let name = ident(&e.rust);
    let type_doc = doc(&e.doc);
    let example = e.values.first().map(|first| {
        let lines = [
            String::new(),
            "Forward compatible: eftPay may add values, so match with a wildcard arm.".to_owned(),
            "```".to_owned(),
            format!("# use eftpay::{};", e.rust),
            format!("# fn handle(value: {}) {{", e.rust),
            "match value {".to_owned(),
            format!("    {}::{} => {{}}", e.rust, first.rust),
            "    other => println!(\"not handled: {}\", other.as_str()),".to_owned(),
            "}".to_owned(),
            "# }".to_owned(),
            "```".to_owned(),
        ];
        doc(&lines.join("\n"))
    });
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.rust);
        let mark = if v.sandbox_only { " (sandbox only: eftPay does not send it)" } else { "" };
        let d = doc(&format!("`{}` — {}{mark}", v.wire, v.doc));
        quote! { #d #variant, }
    });
    let all = e.values.iter().map(|v| ident(&v.rust));
    let as_str = e.values.iter().map(|v| {
        let (variant, wire) = (ident(&v.rust), &v.wire);
        quote! { #name::#variant => #wire, }
    });
    let from_wire = e.values.iter().map(|v| {
        let (variant, wire) = (ident(&v.rust), &v.wire);
        quote! { #wire => #name::#variant, }
    });
    let extra = if id == spec.builtin.wallet { wallet_pay_type(spec) } else { TokenStream::new() };
    quote! {
        #type_doc
        #example
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know, kept verbatim (see `as_str`).
            Unknown(::eftpay::UnknownValue),
        }

        impl #name {
            /// Every known value, in the spec's order.
            pub const ALL: &'static [#name] = &[#(#name::#all),*];

            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Reads a wire value; values the SDK does not know become `Unknown`.
            pub fn from_wire(text: &str) -> Self {
                match text {
                    #(#from_wire)*
                    other => #name::Unknown(::eftpay::UnknownValue::from_wire(other)),
                }
            }

            /// Whether this is a value the spec lists (not `Unknown`).
            pub fn is_known(&self) -> bool {
                !matches!(self, #name::Unknown(_))
            }
        }

        ::eftpay::__wire_enum_traits!(#name);
        #extra
    }
}

/// `Wallet::pay_type`: the payType a wallet belongs to.
fn wallet_pay_type(spec: &Spec) -> TokenStream {
    let b = spec.builtin;
    let arms = spec.wallet_pay_type.iter().enumerate().map(|(wallet, pay_type)| {
        let wallet = ident(&spec.value(b.wallet, wallet).rust);
        let pay_type = ident(&spec.value(b.pay_type, *pay_type).rust);
        quote! { Wallet::#wallet => ::core::option::Option::Some(PayType::#pay_type), }
    });
    quote! {
        impl Wallet {
            /// The payType this wallet belongs to; `None` for a wallet the SDK does not know.
            pub fn pay_type(&self) -> ::core::option::Option<PayType> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}
