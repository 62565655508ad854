//! `Notification`: every notification interface of the spec as one enum, and the spec's
//! recognition rules that decide which one a verified body is. The library, the CLI and the
//! sandbox all read a notification through it, so there is one rule, not one per caller.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, value_type};
use crate::model::{Concept, Condition, Field, FieldTest, FieldType, Interface, Spec, specificity};

/// The enum variant of a notification interface: its Rust stem without a trailing
/// `Notification` (`PaymentNotification` → `Payment`), unless that leaves nothing.
fn variant(i: &Interface) -> proc_macro2::Ident {
    let stem = i.rust.strip_suffix("Notification").filter(|s| !s.is_empty()).unwrap_or(&i.rust);
    ident(stem)
}

/// The notifications a body can be recognized as: those the spec gives recognition rules.
fn recognized(spec: &Spec) -> Vec<&Interface> {
    spec.interfaces.iter().filter(|i| i.purpose.is_notification() && !i.recognize.is_empty()).collect()
}

/// `NOTIFICATION_RULES`, the static of the catalog's notification rules (placed in the hidden
/// `__spec` module: data for the recognition, not API): how each notification is told apart
/// from the others and from every other signed message (`[[interface.recognize]]` in the
/// spec); where a body satisfies several, the most specific wins (the spec's checker proves
/// there is one).
pub(super) fn notification_rules(spec: &Spec) -> TokenStream {
    let notifications = recognized(spec);
    let groups: Vec<&[Vec<Condition>]> = notifications.iter().map(|i| i.recognize.as_slice()).collect();
    let ranks = specificity(&groups);
    let rules = notifications.iter().zip(&ranks).map(|(i, ranks)| recognition(&i.name, &i.recognize, ranks));
    quote! {
        pub static NOTIFICATION_RULES: &[::eftpay::__private::Recognition] = &[#(#rules),*];
    }
}

pub fn emit(spec: &Spec) -> TokenStream {
    let notifications = recognized(spec);
    let variants = notifications.iter().map(|i| {
        let v = variant(i);
        let ty = ident(&i.rust);
        let d = super::doc(&format!("`{}` — {}", i.name, i.doc.lines().next().unwrap_or_default()));
        quote! { #d #v(#ty), }
    });
    let reads = notifications.iter().enumerate().map(|(index, i)| {
        let v = variant(i);
        let ty = ident(&i.rust);
        quote! { ::core::option::Option::Some(#index) => #ty::from_fields(fields).map(Notification::#v), }
    });
    let interfaces = notifications.iter().map(|i| {
        let v = variant(i);
        let iface = ident(&i.rust);
        quote! { Notification::#v(..) => Interface::#iface, }
    });
    let times = notifications.iter().map(|i| {
        let v = variant(i);
        quote! { Notification::#v(ref message) => ::eftpay::IncomingMessage::time(message), }
    });
    let accessors = common_fields(&notifications).into_iter().map(|f| accessor(spec, f, &notifications));
    let paid = notifications.iter().map(|i| {
        let v = variant(i);
        match super::incoming::paid_status(i, spec) {
            Some(_) => quote! { Notification::#v(ref message) => message.is_paid(), },
            None => quote! { Notification::#v(..) => false, },
        }
    });
    quote! {
        /// A verified asynchronous notification: one variant per notification of the spec,
        /// chosen by the spec's recognition rules (`[[interface.recognize]]`; the most specific
        /// that holds wins, and the spec's checker proves there is one).
        ///
        /// Serialises as the notification itself (see each variant's type).
        #[derive(Clone, Debug, PartialEq, ::eftpay::__private::serde::Serialize)]
        #[serde(crate = "::eftpay::__private::serde", untagged)]
        #[non_exhaustive]
        pub enum Notification {
            #(#variants)*
        }

        impl Notification {
            /// The interface of the notification.
            pub fn interface(&self) -> Interface {
                match *self {
                    #(#interfaces)*
                }
            }

            /// Whether this is a payment notification whose trade status is the one the spec
            /// says means paid; `false` for any other status, and for a refund's notification.
            pub fn is_paid(&self) -> bool {
                match *self {
                    #(#paid)*
                }
            }

            #(#accessors)*
        }

        impl ::eftpay::IncomingMessage for Notification {
            const MESSAGE: &'static str = "notification";
            const KNOWN_FIELDS: &'static [&'static str] = &[];

            fn from_fields(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::IncomingError> {
                match ::eftpay::__private::recognize(__spec::NOTIFICATION_RULES, |name| fields.text(name)) {
                    #(#reads)*
                    _ => ::core::result::Result::Err(::eftpay::IncomingError::Unrecognized {
                        expected: "notification",
                    }),
                }
            }

            fn time(&self) -> ::core::option::Option<::eftpay::HkTime> {
                match *self {
                    #(#times)*
                }
            }
        }
    }
}

/// The rules of the requests without a `service` field, each ranked among those of its
/// endpoint (a request without rules has one alternative that holds for every body).
pub(super) fn request_rules(spec: &Spec) -> TokenStream {
    let unnamed: Vec<&Interface> =
        spec.interfaces.iter().filter(|i| i.purpose.is_request() && !i.has_service_field()).collect();
    let alternatives: Vec<Vec<Vec<Condition>>> = unnamed.iter().map(|i| i.request_alternatives()).collect();
    let rules = unnamed.iter().zip(&alternatives).map(|(i, alts)| {
        let group: Vec<usize> =
            (0..unnamed.len()).filter(|&j| unnamed.get(j).map(|o| &o.endpoint) == Some(&i.endpoint)).collect();
        let tables: Vec<&[Vec<Condition>]> =
            group.iter().filter_map(|&j| alternatives.get(j).map(Vec::as_slice)).collect();
        let ranks = specificity(&tables);
        let own = group.iter().position(|&j| unnamed.get(j).map(|o| &o.name) == Some(&i.name));
        let ranks = own.and_then(|own| ranks.get(own)).cloned().unwrap_or_default();
        recognition(&i.name, alts, &ranks)
    });
    quote! { &[#(#rules),*] }
}

fn recognition(name: &str, alternatives: &[Vec<Condition>], ranks: &[u16]) -> TokenStream {
    let alternatives = alternatives.iter().map(|all| {
        let conditions = all.iter().map(condition);
        quote! { &[#(#conditions),*] }
    });
    quote! { ::eftpay::__private::Recognition { interface: #name, alternatives: &[#(#alternatives),*], specificity: &[#(#ranks),*] } }
}

fn condition(c: &Condition) -> TokenStream {
    let field = &c.field;
    let test = match &c.test {
        FieldTest::Present => quote! { ::eftpay::__private::FieldTest::Present },
        FieldTest::Absent => quote! { ::eftpay::__private::FieldTest::Absent },
        FieldTest::OneOf(values) => quote! { ::eftpay::__private::FieldTest::OneOf(&[#(#values),*]) },
        FieldTest::NoneOf(values) => quote! { ::eftpay::__private::FieldTest::NoneOf(&[#(#values),*]) },
    };
    quote! { ::eftpay::__private::Condition { field: #field, test: #test } }
}

/// Fields every notification has, under the same Rust name and type (`sign` aside): they get
/// an accessor on the enum.
fn common_fields<'a>(notifications: &[&'a Interface]) -> Vec<&'a Field> {
    let Some((first, rest)) = notifications.split_first() else { return Vec::new() };
    first
        .fields
        .iter()
        .filter(|f| f.concept != Some(Concept::Sign))
        .filter(|f| rest.iter().all(|i| i.fields.iter().any(|g| g.rust == f.rust && g.ty == f.ty)))
        .collect()
}

fn accessor(spec: &Spec, f: &Field, notifications: &[&Interface]) -> TokenStream {
    let rust = ident(&f.rust);
    let d = super::doc(&format!("`{}` — {}", f.wire, f.doc));
    let (ty, read) = match &f.ty {
        FieldType::Text | FieldType::Url => (quote! { &str }, quote! { message.#rust.as_deref() }),
        FieldType::Amount | FieldType::Time | FieldType::DateTime | FieldType::Seconds => {
            let ty = value_type(spec, f.ty);
            (ty, quote! { message.#rust })
        }
        other => {
            let ty = value_type(spec, *other);
            (quote! { &#ty }, quote! { message.#rust.as_ref() })
        }
    };
    let arms = notifications.iter().map(|i| {
        let v = variant(i);
        quote! { Notification::#v(ref message) => #read, }
    });
    quote! {
        #d
        pub fn #rust(&self) -> ::core::option::Option<#ty> {
            match *self {
                #(#arms)*
            }
        }
    }
}
