//! Messages eftPay sends (responses, notifications, the synchronous return): every field
//! optional, unknown values kept in `Unknown` variants and unknown fields in `extra` ("strict
//! out, lenient in"). They are built only from fields whose signature was verified; `sign`
//! itself is not kept. A gateway (the sandbox) writes them back as fields to send.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, incoming_name, owned_text, read_field, value_type};
use crate::model::{Concept, Field, Interface, Spec};

/// The incoming struct's fields: the response's for requests, the message's otherwise.
pub fn fields(i: &Interface) -> &[Field] {
    if i.purpose.is_request() { &i.response } else { &i.fields }
}

pub fn emit(i: &Interface, spec: &Spec) -> TokenStream {
    let Some(name) = incoming_name(i) else { return TokenStream::new() };
    let fields = fields(i);
    let kept: Vec<&Field> = fields.iter().filter(|f| f.concept != Some(Concept::Sign)).collect();
    let struct_doc = if i.purpose.is_request() {
        doc(&format!("eftPay's reply to a `{}` request, read after its signature was verified.", i.name))
    } else {
        doc(&format!("{}\n\nRead after its signature was verified.", i.doc))
    };
    let members = kept.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = value_type(spec, f.ty);
        let wire = &f.wire;
        let d = doc(&format!("`{}` — {}", f.wire, f.doc));
        quote! {
            #d
            #[serde(rename = #wire, skip_serializing_if = "::core::option::Option::is_none")]
            pub #rust: ::core::option::Option<#ty>,
        }
    });
    let reads = kept.iter().map(|f| {
        let rust = ident(&f.rust);
        let read = match read_field(spec, &f.wire, f.ty) {
            (read, true) => quote! { #read? },
            (read, false) => read,
        };
        quote! { #rust: #read, }
    });
    let writes = kept.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let owned = owned_text(f.ty);
        quote! { if let ::core::option::Option::Some(value) = &self.#rust { out.push((#wire, #owned)); } }
    });
    let known = fields.iter().map(|f| &f.wire);
    let time = match kept.iter().find(|f| f.concept == Some(Concept::Time)) {
        Some(f) => {
            let rust = ident(&f.rust);
            quote! { self.#rust }
        }
        None => quote! { ::core::option::Option::None },
    };
    let label = if i.purpose.is_request() { format!("{} response", i.name) } else { i.name.clone() };
    quote! {
        #struct_doc
        ///
        /// Serialises under the wire names, fields not received left out, `extra` inline.
        #[derive(Clone, Debug, PartialEq, ::eftpay::__private::serde::Serialize)]
        #[serde(crate = "::eftpay::__private::serde")]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            /// Fields this version of the SDK does not model, verbatim, so nothing eftPay sends is lost.
            #[serde(flatten)]
            pub extra: ::std::collections::BTreeMap<::std::string::String, ::eftpay::ReceivedValue>,
        }

        impl #name {
            /// The message as fields again, `sign` left out: what a gateway signs and sends.
            pub fn typed_fields(&self) -> ::eftpay::catalog::TypedFields {
                let mut out: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
                #(#writes)*
                ::eftpay::catalog::TypedFields { fields: out, extra: self.extra.keys().cloned().collect() }
            }
        }

        impl ::eftpay::IncomingMessage for #name {
            const MESSAGE: &'static str = #label;
            const KNOWN_FIELDS: &'static [&'static str] = &[#(#known),*];

            fn from_fields(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::IncomingError> {
                ::core::result::Result::Ok(#name {
                    #(#reads)*
                    extra: fields.unknown(Self::KNOWN_FIELDS),
                })
            }

            fn time(&self) -> ::core::option::Option<::eftpay::HkTime> {
                #time
            }
        }
    }
}
