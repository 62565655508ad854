//! Messages eftPay sends (responses, notifications, the synchronous return): every field
//! optional, unknown values kept in `Unknown` variants and unknown fields in `extra`
//! ("strict out, lenient in", DESIGN principle 4). They are built only from fields whose
//! signature was verified; `sign` itself is not kept.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{concept_fields, doc, ident, read_field, value_type};
use crate::model::{Concept, Field, Interface, InterfaceKind};

/// The incoming struct of an interface: `PlaceOrderResponse` for requests, the interface's own
/// name for notifications and returns; none for the acknowledgement.
pub fn struct_name(i: &Interface) -> Option<(Ident, &[Field])> {
    match i.kind {
        InterfaceKind::Request => Some((format_ident!("{}Response", i.rust), &i.response)),
        InterfaceKind::Notification | InterfaceKind::Return => Some((ident(&i.rust), &i.fields)),
        InterfaceKind::Acknowledgement => None,
    }
}

pub fn emit(i: &Interface) -> TokenStream {
    let Some((name, fields)) = struct_name(i) else { return TokenStream::new() };
    let kept: Vec<&Field> = fields.iter().filter(|f| f.concept != Some(Concept::Sign)).collect();
    let struct_doc = match i.kind {
        InterfaceKind::Request => {
            doc(&format!("eftPay's reply to a `{}` request, read after its signature was verified.", i.name))
        }
        _ => doc(&format!("{}\n\nRead after its signature was verified.", i.doc)),
    };
    let members = kept.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = value_type(&f.ty);
        let d = doc(&format!("`{}` — {}", f.wire, f.doc));
        quote! { #d pub #rust: ::core::option::Option<#ty>, }
    });
    let reads = kept.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let read = match read_field(wire, &f.ty) {
            (read, true) => quote! { #read? },
            (read, false) => read,
        };
        quote! { #rust: #read, }
    });
    let known = fields.iter().map(|f| &f.wire);
    let concepts = concept_fields(fields);
    let time = match kept.iter().find(|f| f.concept == Some(Concept::Time)) {
        Some(f) => {
            let rust = ident(&f.rust);
            quote! { self.#rust }
        }
        None => quote! { ::core::option::Option::None },
    };
    let label = match i.kind {
        InterfaceKind::Request => format!("{} response", i.name),
        _ => i.name.clone(),
    };
    quote! {
        #struct_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            /// Fields this version of the SDK does not model, verbatim, so nothing eftPay sends is lost.
            pub extra: ::std::collections::BTreeMap<::std::string::String, ::eftpay::ReceivedValue>,
        }

        impl ::eftpay::IncomingMessage for #name {
            const MESSAGE: &'static str = #label;
            const KNOWN_FIELDS: &'static [&'static str] = &[#(#known),*];
            const CONCEPT_FIELDS: &'static [(::eftpay::rules::Concept, &'static str)] = #concepts;

            fn time(&self) -> ::core::option::Option<::eftpay::HkTime> {
                #time
            }

            fn from_fields(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::IncomingError> {
                ::core::result::Result::Ok(#name {
                    #(#reads)*
                    extra: fields.unknown(Self::KNOWN_FIELDS),
                })
            }
        }
    }
}
