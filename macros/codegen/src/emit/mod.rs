//! Turns the checked [`Spec`](crate::model::Spec) into Rust items.
//!
//! Generated code names runtime items by absolute path (`::eftpay::…`), so the same expansion
//! compiles inside the `eftpay` crate (which declares `extern crate self as eftpay`) and in any
//! crate that depends on it — the expansion snapshots and fixture specs rely on that.

mod catalog;
mod enums;
mod incoming;
mod notifications;
mod objects;
mod outgoing;
mod typed;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Concept, Field, FieldType, Spec};
use crate::names;

/// Every item the spec describes.
pub fn spec_items(spec: &Spec) -> TokenStream {
    let enums = spec.enums.iter().map(|e| enums::emit(e, spec));
    let objects = spec.objects.iter().map(objects::emit);
    let catalog = catalog::emit(spec);
    let messages = spec.interfaces.iter().map(|i| {
        let outgoing = if i.kind.is_outgoing() { outgoing::emit(i, spec) } else { TokenStream::new() };
        let incoming = incoming::emit(i);
        quote! { #outgoing #incoming }
    });
    let typed = typed::emit(spec);
    let notifications = notifications::emit(spec);
    quote! {
        #(#enums)*
        #(#objects)*
        #catalog
        #(#messages)*
        #notifications
        #typed
    }
}

/// `::eftpay::rules::Concept::X` for a field's concept.
pub(crate) fn concept_path(concept: Concept) -> TokenStream {
    let variant = match concept {
        Concept::Service => quote! { Service },
        Concept::PayType => quote! { PayType },
        Concept::Wallet => quote! { Wallet },
        Concept::PayScene => quote! { PayScene },
        Concept::Lang => quote! { Lang },
        Concept::UserConfirmKey => quote! { UserConfirmKey },
        Concept::Time => quote! { Time },
        Concept::Sign => quote! { Sign },
        Concept::OutTradeNo => quote! { OutTradeNo },
        Concept::EftTradeNo => quote! { EftTradeNo },
        Concept::RefundNo => quote! { RefundNo },
    };
    quote! { ::eftpay::rules::Concept::#variant }
}

/// `&[(Concept, "wire"), …]`: the fields of a message that stand for a concept.
pub(crate) fn concept_fields(fields: &[Field]) -> TokenStream {
    let entries = fields.iter().filter_map(|f| {
        let concept = concept_path(f.concept?);
        let wire = &f.wire;
        Some(quote! { (#concept, #wire) })
    });
    quote! { &[#(#entries),*] }
}

/// An identifier, written raw when it is a keyword (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    if names::is_keyword(name) { Ident::new_raw(name, Span::call_site()) } else { Ident::new(name, Span::call_site()) }
}

/// `#[doc = "..."]` lines for a spec description (one attribute per line keeps rustdoc's
/// paragraph breaks).
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| format!(" {}", l.trim_end()));
    quote! { #(#[doc = #lines])* }
}

/// The Rust type of a field's value (without `Option`).
pub(crate) fn value_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { ::std::string::String },
        FieldType::Amount => quote! { ::eftpay::Amount },
        FieldType::Time | FieldType::DateTime => quote! { ::eftpay::HkTime },
        FieldType::Seconds => quote! { u32 },
        FieldType::Enum(name) | FieldType::Object(name) => {
            let name = ident(name);
            quote! { #name }
        }
        FieldType::ObjectArray(name) => {
            let name = ident(name);
            quote! { ::std::vec::Vec<#name> }
        }
    }
}

/// The type a constructor or setter takes for a field (`impl Into<String>` for text).
pub(crate) fn param_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { impl ::core::convert::Into<::std::string::String> },
        other => value_type(other),
    }
}

/// Converts a parameter of [`param_type`] into the stored value.
pub(crate) fn param_into(ty: &FieldType, name: &Ident) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { #name.into() },
        _ => quote! { #name },
    }
}

/// The expression reading a received field as its type (`fields` is a `ReceivedFields`), and
/// whether it is fallible (a `Result`) rather than a plain `Option`.
pub(crate) fn read_field(wire: &str, ty: &FieldType) -> (TokenStream, bool) {
    match ty {
        FieldType::Text | FieldType::Url => {
            (quote! { fields.text(#wire).map(::std::borrow::ToOwned::to_owned) }, false)
        }
        FieldType::Enum(e) => {
            let e = ident(e);
            (quote! { fields.text(#wire).map(#e::from_wire) }, false)
        }
        FieldType::Amount => (quote! { fields.amount(#wire) }, true),
        FieldType::Time => (quote! { fields.time(#wire) }, true),
        FieldType::DateTime => (quote! { fields.datetime(#wire) }, true),
        FieldType::Seconds => (quote! { fields.seconds(#wire) }, true),
        FieldType::Object(_) | FieldType::ObjectArray(_) => (quote! { fields.nested(#wire) }, true),
    }
}

/// A struct-literal entry storing parameter `name` in the field of the same name.
pub(crate) fn field_init(ty: &FieldType, name: &Ident) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { #name: #name.into() },
        _ => quote! { #name },
    }
}
