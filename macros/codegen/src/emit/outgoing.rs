//! Messages the merchant builds and signs (requests, the acknowledgement): a struct with one
//! public field per caller-set wire field, a constructor taking the required ones, the
//! gateway-side reader, and the signed-field walk in ASCII order of wire name, fixed at compile
//! time so signing needs no map and no sort. Validation is the runtime's, driven by the
//! interface's field table in the catalog.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    allow_many_arguments, doc, field_init, ident, incoming_name, info_path, outgoing_name, param_type, read_field,
    sink_step, value_type,
};
use crate::model::{Concept, Field, Interface, Spec};

pub fn emit(i: &Interface, spec: &Spec) -> TokenStream {
    let name = outgoing_name(i);
    let caller: Vec<&Field> = i.fields.iter().filter(|f| f.is_caller_set()).collect();
    let struct_doc = doc(&i.doc);
    let members = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = value_type(spec, f.ty);
        let mut text = format!("`{}` — {}", f.wire, f.doc);
        if let Some(max) = f.max_len {
            text.push_str(&format!("\n\nAt most {max} characters."));
        }
        let d = doc(&text);
        if f.is_mandatory() {
            quote! { #d pub #rust: #ty, }
        } else {
            quote! { #d pub #rust: ::core::option::Option<#ty>, }
        }
    });
    let mandatory: Vec<&&Field> = caller.iter().filter(|f| f.is_mandatory()).collect();
    let allow_many = allow_many_arguments(mandatory.len());
    let params = mandatory.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = param_type(spec, f);
        quote! { #rust: #ty }
    });
    let inits = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        if f.is_mandatory() {
            let init = field_init(f, &rust);
            quote! { #init, }
        } else {
            quote! { #rust: ::core::option::Option::None, }
        }
    });
    // Text and enum reads cannot fail (unknown enum text is `Unknown`); only typed values are
    // matched for a malformed one. Violations are only recorded by those and by missing
    // required fields, so without either the list is never changed.
    let records = caller.iter().any(|f| f.is_mandatory()) || caller.iter().any(|f| read_field(spec, &f.wire, f.ty).1);
    let violations_binding = if records {
        quote! { let mut violations }
    } else {
        quote! { let violations }
    };
    let reads = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        match read_field(spec, wire, f.ty) {
            (read, true) => quote! {
                let #rust = match #read {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(error) => {
                        violations.malformed(#wire, &error);
                        ::core::option::Option::None
                    }
                };
            },
            (read, false) => quote! { let #rust = #read; },
        }
    });
    let names: Vec<_> = caller.iter().map(|f| ident(&f.rust)).collect();
    let patterns = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        if f.is_mandatory() {
            quote! { ::core::option::Option::Some(#rust) }
        } else {
            quote! { #rust }
        }
    });
    let missing = mandatory.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        quote! { violations.require(#wire, #rust.is_some()); }
    });
    let walk = walk_body(i);
    let mut signed: Vec<&str> =
        i.fields.iter().filter(|f| f.concept != Some(Concept::Sign)).map(|f| f.wire.as_str()).collect();
    signed.sort_unstable();
    let info = info_path(i);
    let iface_name = &i.name;
    let request_impl = match (i.purpose.is_request(), incoming_name(i), &i.endpoint) {
        (true, Some(response), Some(endpoint)) => {
            let purpose = ident(i.purpose.variant());
            quote! {
                impl ::eftpay::Request for #name {
                    const ENDPOINT: &'static str = #endpoint;
                    type Purpose = ::eftpay::purpose::#purpose;
                    type Response = #response;
                }
            }
        }
        _ => TokenStream::new(),
    };
    let default_impl = mandatory.is_empty().then(|| {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    #name::new()
                }
            }
        }
    });
    let new_doc = doc(&format!(
        "A `{}` message with its required fields; set optional fields afterwards and check with [`{}::validate`].",
        i.name, name
    ));
    quote! {
        #struct_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
        }

        impl #name {
            #new_doc
            #allow_many
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits)* }
            }

            /// Checks every rule the spec states for this message — each field's form, the
            /// service row's payType, wallet, pay_scene and lang, the per-service and
            /// conditional rules — and reports every violation, each naming the wire field and
            /// the rule. The client calls this before sending.
            ///
            /// # Errors
            /// `eftpay::Violations`, listing every violated rule.
            pub fn validate(&self) -> ::core::result::Result<(), ::eftpay::Violations> {
                ::eftpay::__private::validate(self)
            }
        }

        ::eftpay::__gateway! {
            impl #name {
                /// Reads this message as a gateway receives it (the sandbox does): every field
                /// the spec lists, typed; anything missing or malformed is reported, with the
                /// same [`Violations`](::eftpay::Violations) `validate()` uses. Client-filled
                /// fields (`user_confirm_key`, `time`, `sign`) stay in `fields`. With the
                /// `gateway` feature.
                ///
                /// # Errors
                /// Every required field that is missing and every field that cannot be its type.
                pub fn from_received(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::Violations> {
                    #violations_binding = ::eftpay::Violations::new(#iface_name);
                    #(#reads)*
                    #(#missing)*
                    match (#(#names,)*) {
                        (#(#patterns,)*) if violations.is_empty() => ::core::result::Result::Ok(#name { #(#names,)* }),
                        _ => ::core::result::Result::Err(violations),
                    }
                }
            }
        }

        impl ::eftpay::OutgoingMessage for #name {
            const INFO: &'static ::eftpay::catalog::InterfaceInfo = &#info;
            const CATALOG: &'static ::eftpay::catalog::Catalog = &CATALOG;
            const SIGNED_FIELDS: &'static [&'static str] = &[#(#signed),*];

            fn validate(&self) -> ::core::result::Result<(), ::eftpay::Violations> {
                #name::validate(self)
            }

            fn write_fields(&self, envelope: &::eftpay::Envelope<'_>, sink: &mut dyn ::eftpay::FieldSink) {
                #walk
            }
        }

        #request_impl
        #default_impl
    }
}

/// The signed-field walk: every field but `sign`, in byte order of wire name.
fn walk_body(i: &Interface) -> TokenStream {
    let mut fields: Vec<&Field> = i.fields.iter().filter(|f| f.concept != Some(Concept::Sign)).collect();
    fields.sort_by(|a, b| a.wire.as_bytes().cmp(b.wire.as_bytes()));
    let steps = fields.iter().map(|f| {
        let wire = &f.wire;
        if let Some(fixed) = &f.fixed {
            return quote! { sink.text(#wire, #fixed); };
        }
        match f.concept {
            Some(Concept::UserConfirmKey) => return quote! { sink.text(#wire, envelope.user_confirm_key); },
            Some(Concept::Time) => return quote! { sink.text(#wire, envelope.time); },
            _ => {}
        }
        let rust = ident(&f.rust);
        let step = sink_step(wire, f.ty);
        if f.is_mandatory() {
            quote! { { let value = &self.#rust; #step } }
        } else {
            quote! { if let ::core::option::Option::Some(value) = &self.#rust { #step } }
        }
    });
    quote! { #(#steps)* }
}
