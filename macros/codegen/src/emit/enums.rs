//! Enums: one per value set, each with an `Unknown` variant so values eftPay adds later still
//! parse (DESIGN principle 4, smithy-rs / async-stripe style).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::model::{Enum, Spec};

pub fn emit(e: &Enum, spec: &Spec) -> TokenStream {
    let name = ident(&e.rust);
    let type_doc = doc(&e.doc);
    let first = e.values.first().map(|v| ident(&v.rust));
    let example = first.map(|first| {
        let lines = [
            String::new(),
            "Forward compatible: eftPay may add values, so match with a wildcard arm.".to_owned(),
            "```".to_owned(),
            format!("# use eftpay::{};", e.rust),
            format!("# fn handle(value: {}) {{", e.rust),
            "match value {".to_owned(),
            format!("    {}::{} => {{}}", e.rust, first),
            "    other => println!(\"not handled: {}\", other.as_str()),".to_owned(),
            "}".to_owned(),
            "# }".to_owned(),
            "```".to_owned(),
        ];
        doc(&lines.join("\n"))
    });
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.rust);
        let d = doc(&format!("`{}` — {}", v.wire, v.doc));
        quote! { #d #variant, }
    });
    let as_str = e.values.iter().map(|v| {
        let variant = ident(&v.rust);
        let wire = &v.wire;
        quote! { #name::#variant => #wire, }
    });
    let from_wire = e.values.iter().map(|v| {
        let variant = ident(&v.rust);
        let wire = &v.wire;
        quote! { #wire => #name::#variant, }
    });
    let all = e.values.iter().map(|v| {
        let variant = ident(&v.rust);
        quote! { #name::#variant }
    });
    let wires = e.values.iter().map(|v| &v.wire);
    let type_name = &e.rust;
    let extra = if e.rust == "Wallet" { wallet_pay_type(spec) } else { TokenStream::new() };
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
            pub const ALL: &'static [#name] = &[#(#all),*];

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

        impl ::eftpay::WireEnum for #name {
            const TYPE_NAME: &'static str = #type_name;
            const KNOWN: &'static [&'static str] = &[#(#wires),*];
            fn as_str(&self) -> &str {
                #name::as_str(self)
            }
            fn is_known(&self) -> bool {
                #name::is_known(self)
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            /// Never fails: unknown text becomes `Unknown` (use `is_known` to insist on a
            /// documented value).
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(#name::from_wire(text))
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::eftpay::__private::serde::Serialize for #name {
            fn serialize<S: ::eftpay::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::eftpay::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::eftpay::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::eftpay::__private::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(#name::from_wire(&text))
            }
        }

        #extra
    }
}

/// `Wallet::pay_type`: the payType a wallet belongs to (wallets.toml).
fn wallet_pay_type(spec: &Spec) -> TokenStream {
    let pay_types = spec.enums.iter().find(|e| e.rust == "PayType");
    let wallets = spec.enums.iter().find(|e| e.rust == "Wallet");
    let arms = spec.wallet_pay_types.iter().filter_map(|(w, p)| {
        let wallet = ident(&wallets?.values.iter().find(|v| v.wire == *w)?.rust);
        let pay_type = ident(&pay_types?.values.iter().find(|v| v.wire == *p)?.rust);
        Some(quote! { Wallet::#wallet => ::core::option::Option::Some(PayType::#pay_type), })
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
