//! Turns the checked [`Spec`](crate::model::Spec) into Rust items.
//!
//! Generated code names runtime items by absolute path (`::eftpay::…`), so the same expansion
//! compiles inside the `eftpay` crate (which declares `extern crate self as eftpay`) and in any
//! crate that depends on it — the expansion snapshots and fixture specs rely on that. What is
//! the same for every enum or message lives in the runtime (a `macro_rules!`, generic
//! validation over the field tables); the expansion holds what differs.

mod catalog;
mod enums;
mod examples;
mod incoming;
mod notifications;
mod objects;
mod outgoing;
mod signatures;
mod typed;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::Options;
use crate::model::{Concept, Field, FieldType, Interface, Spec};
use crate::names;

/// Every item the spec describes.
pub fn spec_items(spec: &Spec, options: &Options) -> TokenStream {
    let enums = spec.enums.iter().enumerate().map(|(id, e)| enums::emit(id, e, spec));
    let objects = spec.objects.iter().map(|o| objects::emit(o, spec));
    let messages = spec.interfaces.iter().map(|i| {
        let outgoing = if i.purpose.is_outgoing() { outgoing::emit(i, spec) } else { TokenStream::new() };
        let incoming = incoming::emit(i, spec);
        quote! { #outgoing #incoming }
    });
    let notifications = notifications::emit(spec);
    let typed = typed::emit(spec, options);
    let catalog = catalog::emit(spec);
    quote! {
        #(#enums)*
        #(#objects)*
        #(#messages)*
        #notifications
        #typed
        #catalog
    }
}

/// An identifier, written raw when it is a keyword (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    if names::is_keyword(name) { Ident::new_raw(name, Span::call_site()) } else { Ident::new(name, Span::call_site()) }
}

/// `::core::option::Option::Some(value)`, or `None`.
pub(crate) fn option<T: ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote! { ::core::option::Option::Some(#value) },
        None => quote! { ::core::option::Option::None },
    }
}

/// Clippy's `too_many_arguments` fires on a function of more than this many parameters (its
/// default `too-many-arguments-threshold`; the workspace's `clippy.toml` keeps it).
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `#[allow(clippy::too_many_arguments)]` for a generated function of `count` parameters, only
/// where clippy would object: a constructor's parameters are the spec's required fields, so
/// their number is the spec's to choose.
pub(crate) fn allow_many_arguments(count: usize) -> Option<TokenStream> {
    (count > CLIPPY_MAX_ARGUMENTS).then(|| quote! { #[allow(clippy::too_many_arguments)] })
}

/// `#[doc = "..."]` lines for a spec description (one attribute per line keeps rustdoc's
/// paragraph breaks).
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| format!(" {}", l.trim_end()));
    quote! { #(#[doc = #lines])* }
}

/// The outgoing struct of an interface: `PlaceOrderRequest` for requests, the interface's own
/// name for the acknowledgement.
pub(crate) fn outgoing_name(i: &Interface) -> Ident {
    if i.purpose.is_request() { format_ident!("{}Request", i.rust) } else { ident(&i.rust) }
}

/// The incoming struct: `PlaceOrderResponse` for requests, the interface's own name for what
/// eftPay sends; none for the acknowledgement.
pub(crate) fn incoming_name(i: &Interface) -> Option<Ident> {
    if i.purpose.is_request() {
        Some(format_ident!("{}Response", i.rust))
    } else if i.purpose.is_outgoing() {
        None
    } else {
        Some(ident(&i.rust))
    }
}

/// The builder of a request interface.
pub(crate) fn builder_name(i: &Interface) -> Ident {
    format_ident!("{}Builder", i.rust)
}

/// `__spec::PLACE_ORDER`: the static holding an interface's catalog entry.
pub(crate) fn info_path(i: &Interface) -> TokenStream {
    let name = format_ident!("{}", i.name.to_ascii_uppercase());
    quote! { __spec::#name }
}

/// The Rust type of a field's value (without `Option`).
pub(crate) fn value_type(spec: &Spec, ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { ::std::string::String },
        FieldType::Amount => quote! { ::eftpay::Amount },
        FieldType::Time | FieldType::DateTime => quote! { ::eftpay::HkTime },
        FieldType::Seconds => quote! { u32 },
        FieldType::Enum(id) => {
            let name = ident(&spec.enumeration(id).rust);
            quote! { #name }
        }
        FieldType::Object(id) => {
            let name = ident(&spec.object(id).rust);
            quote! { #name }
        }
        FieldType::ObjectArray(id) => {
            let name = ident(&spec.object(id).rust);
            quote! { ::std::vec::Vec<#name> }
        }
    }
}

/// The runtime type a constructor or setter takes for a field in place of its stored type: the
/// numbers that identify an order or refund and a refund's amount, so that two of them cannot
/// be passed swapped.
pub(crate) struct Wrapper {
    /// The runtime type (`OutTradeNo`), at the crate root.
    pub name: &'static str,
    /// Its method giving the stored value (`into_string`).
    unwrap: &'static str,
}

/// The [`Wrapper`] a field's parameter has, if any: the one place that decides it.
pub(crate) fn wrapper(f: &Field) -> Option<Wrapper> {
    let (name, unwrap) = match (f.concept?, f.ty) {
        (Concept::OutTradeNo, FieldType::Text) => ("OutTradeNo", "into_string"),
        (Concept::EftTradeNo, FieldType::Text) => ("EftTradeNo", "into_string"),
        (Concept::RefundNo, FieldType::Text) => ("RefundNo", "into_string"),
        (Concept::RefundAmount, FieldType::Amount) => ("RefundAmount", "amount"),
        _ => return None,
    };
    Some(Wrapper { name, unwrap })
}

/// The type a constructor or setter takes for a field: its [`Wrapper`], `impl Into<String>`
/// for other text, the field's type otherwise.
pub(crate) fn param_type(spec: &Spec, f: &Field) -> TokenStream {
    if let Some(wrapper) = wrapper(f) {
        let name = format_ident!("{}", wrapper.name);
        return quote! { ::eftpay::#name };
    }
    match f.ty {
        FieldType::Text | FieldType::Url => quote! { impl ::core::convert::Into<::std::string::String> },
        other => value_type(spec, other),
    }
}

/// The conversion of parameter `name` (of [`param_type`]) into the stored value; `None` when it
/// is stored as given.
fn conversion(f: &Field, name: &Ident) -> Option<TokenStream> {
    if let Some(wrapper) = wrapper(f) {
        let unwrap = format_ident!("{}", wrapper.unwrap);
        return Some(quote! { #name.#unwrap() });
    }
    matches!(f.ty, FieldType::Text | FieldType::Url).then(|| quote! { #name.into() })
}

/// A struct-literal entry storing parameter `name` (of [`param_type`]) in its field (shorthand
/// when it is stored as given).
pub(crate) fn field_init(f: &Field, name: &Ident) -> TokenStream {
    match conversion(f, name) {
        Some(value) => quote! { #name: #value },
        None => quote! { #name },
    }
}

/// Converts a parameter of [`param_type`] into the stored value.
pub(crate) fn param_into(f: &Field, name: &Ident) -> TokenStream {
    conversion(f, name).unwrap_or_else(|| quote! { #name })
}

/// The expression reading a received field as its type (`fields` is a `ReceivedFields`), and
/// whether it is fallible (a `Result`) rather than a plain `Option`.
pub(crate) fn read_field(spec: &Spec, wire: &str, ty: FieldType) -> (TokenStream, bool) {
    match ty {
        FieldType::Text | FieldType::Url => {
            (quote! { fields.text(#wire).map(::std::borrow::ToOwned::to_owned) }, false)
        }
        FieldType::Enum(id) => {
            let e = ident(&spec.enumeration(id).rust);
            (quote! { fields.text(#wire).map(#e::from_wire) }, false)
        }
        FieldType::Amount => (quote! { fields.amount(#wire) }, true),
        FieldType::Time => (quote! { fields.time(#wire) }, true),
        FieldType::DateTime => (quote! { fields.datetime(#wire) }, true),
        FieldType::Seconds => (quote! { fields.seconds(#wire) }, true),
        FieldType::Object(_) | FieldType::ObjectArray(_) => (quote! { fields.nested(#wire) }, true),
    }
}

/// The step handing a field's value to a `FieldSink`, as the text it is sent and signed as;
/// `value` is a local reference to the value.
pub(crate) fn sink_step(wire: &str, ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { sink.text(#wire, value); },
        FieldType::Enum(_) => quote! { sink.text(#wire, value.as_str()); },
        FieldType::Amount => quote! { sink.text(#wire, &value.wire_text()); },
        FieldType::Seconds => quote! { sink.text(#wire, &::eftpay::ShortText::digits(u64::from(*value))); },
        FieldType::Time => quote! { sink.text(#wire, &value.compact_text()); },
        FieldType::DateTime => quote! { sink.text(#wire, &value.dashed_text()); },
        FieldType::Object(_) | FieldType::ObjectArray(_) => {
            quote! { sink.json(#wire, &::eftpay::signing::nested_value_text(value)); }
        }
    }
}

/// A field's value as its wire text, owned; `value` is a local reference to the value.
pub(crate) fn owned_text(ty: FieldType) -> TokenStream {
    match ty {
        FieldType::Text | FieldType::Url => quote! { ::std::clone::Clone::clone(value) },
        FieldType::Enum(_) => quote! { ::std::borrow::ToOwned::to_owned(value.as_str()) },
        FieldType::Amount | FieldType::Seconds => quote! { value.to_string() },
        FieldType::Time => quote! { value.to_compact() },
        FieldType::DateTime => quote! { value.to_dashed() },
        FieldType::Object(_) | FieldType::ObjectArray(_) => quote! { ::eftpay::signing::nested_value_text(value) },
    }
}

/// `::eftpay::rules::Concept::X`.
pub(crate) fn concept_path(concept: Concept) -> TokenStream {
    let variant = format_ident!("{}", concept.variant());
    quote! { ::eftpay::rules::Concept::#variant }
}
