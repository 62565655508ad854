//! Messages eftPay sends (responses, notifications, the synchronous return): every field
//! optional, unknown values kept in `Unknown` variants and unknown fields in `extra` ("strict
//! out, lenient in"). They are built only from fields whose signature was verified; `sign`
//! itself is not kept. A gateway (the sandbox) writes them back as fields to send.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, incoming_name, owned_text, read_field, value_type};
use crate::model::{Concept, Enum, EnumValue, Field, FieldType, Interface, Meaning, Purpose, Spec};

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
    let is_paid = is_paid(i, spec, &kept);
    let accessors = kept.iter().filter(|f| i.purpose.is_request() && f.required && f.concept != Some(Concept::Time));
    let accessors = accessors.map(|f| accessor(f, spec, &label));
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
                ::eftpay::catalog::TypedFields::new(out, self.extra.keys().cloned().collect())
            }

            #is_paid
            #(#accessors)*
        }

        impl ::eftpay::IncomingMessage for #name {
            const MESSAGE: &'static str = #label;
            const KNOWN_FIELDS: &'static [&'static str] = &[#(#known),*];

            fn from_fields(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::IncomingError> {
                let fields = fields.reading();
                ::core::result::Result::Ok(#name {
                    #(#reads)*
                    extra: fields.unread(Self::KNOWN_FIELDS),
                })
            }

            fn time(&self) -> ::core::option::Option<::eftpay::HkTime> {
                #time
            }
        }
    }
}

/// The trade status field of a message about a payment, its value set and the value that
/// `means = "paid"`; `None` for a message without one, or about a refund (whose status is the
/// refund's). A message with one gets `is_paid()`.
pub fn paid_status<'a>(i: &'a Interface, spec: &'a Spec) -> Option<(&'a Field, &'a Enum, &'a EnumValue)> {
    if matches!(i.purpose, Purpose::Refund | Purpose::ApplyRefund | Purpose::RefundNotification) {
        return None;
    }
    fields(i).iter().filter(|f| f.concept == Some(Concept::TradeStatus)).find_map(|f| {
        let FieldType::Enum(id) = f.ty else { return None };
        let e = spec.enumeration(id);
        let value = e.values.iter().find(|v| v.meaning == Some(Meaning::Paid))?;
        Some((f, e, value))
    })
}

/// `is_paid()`, on a message about a payment that carries a trade status whose value set has
/// one that `means = "paid"` (`spec/common/enums.toml`): the value is read from the spec's
/// meanings, never named here. A refund's messages carry the refund's status, so they get none.
fn is_paid(i: &Interface, spec: &Spec, kept: &[&Field]) -> TokenStream {
    let Some((f, e, value)) = paid_status(i, spec) else { return TokenStream::new() };
    let (rust, set, variant) = (ident(&f.rust), ident(&e.rust), ident(&value.rust));
    let refund = kept
        .iter()
        .find(|f| f.concept == Some(Concept::RefundNo))
        .map(|f| format!(" When the message is about a refund (`{}` is set), the status is the refund's.", f.wire));
    let d = doc(&format!(
        "Whether `{}` is `{}`, the status the spec says means paid: the one answer to \"was this order paid?\"; \
         every other status, or none, is not paid.{}",
        f.wire,
        value.wire,
        refund.unwrap_or_default()
    ));
    quote! {
        #d
        pub fn is_paid(&self) -> bool {
            ::core::matches!(self.#rust, ::core::option::Option::Some(#set::#variant))
        }
    }
}

/// The accessor of a field an accepted (`00`) reply must carry (`required = true` in its
/// `[[response]]`, `docs/protocol.md` §1): the value, or an `eftpay::MissingField` naming it. Text is
/// lent as `&str`, amounts and times copied, anything else lent.
fn accessor(f: &Field, spec: &Spec, label: &str) -> TokenStream {
    let rust = ident(&f.rust);
    let wire = &f.wire;
    let (ty, value) = match f.ty {
        FieldType::Text | FieldType::Url => (quote! { &str }, quote! { self.#rust.as_deref() }),
        FieldType::Amount | FieldType::Time | FieldType::DateTime | FieldType::Seconds => {
            let ty = value_type(spec, f.ty);
            (ty, quote! { self.#rust })
        }
        _ => {
            let ty = value_type(spec, f.ty);
            (quote! { &#ty }, quote! { self.#rust.as_ref() })
        }
    };
    let d = doc(&format!(
        "`{wire}`, which an accepted reply always carries — {}\n\n# Errors\n[`MissingField`](eftpay::MissingField) naming `{wire}` when the reply does not carry it (a reply the client handed out always does).",
        f.doc
    ));
    quote! {
        #d
        pub fn #rust(&self) -> ::core::result::Result<#ty, ::eftpay::MissingField> {
            #value.ok_or(::eftpay::MissingField::new(#label, #wire))
        }
    }
}
