//! The spec as data: `CATALOG` (the runtime's `catalog::Catalog`) with every scene, interface
//! and field table, service row, value set and recognition rule, and the `Interface` and
//! `Scene` handles. The client, the sandbox, the CLI and the runtime's validation read this,
//! never the TOML and never a name written in Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{concept_path, doc, ident, incoming_name, info_path, option, outgoing_name};
use crate::model::{Concept, Field, FieldType, Interface, Notifications, Purpose, RetryPolicy, Spec};
use crate::resolve::acknowledgement::{ANSWERS, return_code_set};

pub fn emit(spec: &Spec) -> TokenStream {
    let interfaces = spec.interfaces.iter().map(|i| interface_static(i, spec));
    let interface_refs = spec.interfaces.iter().map(info_path);
    let scene_statics = spec.scenes.iter().map(|s| {
        let (name, d) = (&s.name, &s.doc);
        let static_name = scene_static(&s.name);
        let members = s.interfaces.iter().map(|i| &spec.interface(*i).name);
        quote! {
            pub static #static_name: ::eftpay::catalog::SceneInfo =
                ::eftpay::catalog::SceneInfo::new(#name, #d, &[#(#members),*]);
        }
    });
    let scenes = spec.scenes.iter().map(|s| {
        let static_name = scene_static(&s.name);
        quote! { &__spec::#static_name }
    });
    let services = spec.services.iter().map(|s| {
        let name = ident(&s.rust);
        quote! { <services::#name as ServiceMarker>::INFO }
    });
    let enums = spec.enums.iter().map(|e| {
        let name = &e.rust;
        let d = &e.doc;
        let values = e.values.iter().map(|v| {
            let (wire, rust, vdoc, sandbox) = (&v.wire, &v.rust, &v.doc, v.sandbox_only);
            let meaning = v.meaning.map(|m| {
                let m = ident(m.variant());
                quote! { .with_meaning(::eftpay::rules::Meaning::#m) }
            });
            let sandbox = sandbox.then(|| quote! { .sandbox_only() });
            quote! { ::eftpay::catalog::ValueInfo::new(#wire, #rust, #vdoc) #meaning #sandbox }
        });
        quote! { ::eftpay::catalog::EnumInfo::new(#name, #d, &[#(#values),*]) }
    });
    let b = spec.builtin;
    let pay_types = spec.enumeration(b.pay_type).values.iter().enumerate().map(|(p, v)| {
        let (wire, rust) = (&v.wire, &v.rust);
        let wallets = spec.wallet_pay_type.iter().enumerate().filter(|(_, owner)| **owner == p).map(|(w, _)| {
            let wallet = spec.value(b.wallet, w);
            let (wire, rust) = (&wallet.wire, &wallet.rust);
            quote! { (#wire, #rust) }
        });
        quote! { ::eftpay::catalog::PayTypeInfo::new(#wire, #rust, &[#(#wallets),*]) }
    });
    let flags = spec.flags.iter().map(|f| {
        let (name, d) = (&f.name, &f.doc);
        quote! { ::eftpay::catalog::FlagInfo::new(#name, #d) }
    });
    let test_amounts = spec.test_amounts.iter().map(|t| {
        let pay_type = &spec.value(b.pay_type, t.pay_type).wire;
        let cents = t.cents;
        let outcome = ident(t.outcome.variant());
        let d = &t.doc;
        quote! { ::eftpay::catalog::TestAmountInfo::new(#pay_type, #cents, ::eftpay::rules::TestOutcome::#outcome, #d) }
    });
    let handles = handles(spec);
    let request_rules = super::notifications::request_rules(spec);
    let notification_rules = super::notifications::notification_rules(spec);
    let acknowledgement = proven_acknowledgement(spec);
    quote! {
        /// The spec as data: every scene, interface, field table, service row, value set and
        /// recognition rule. Every generic layer — validation, the client, notification
        /// handling, the sandbox, the CLI — reads this.
        pub static CATALOG: ::eftpay::catalog::Catalog = ::eftpay::catalog::Catalog::new(
            &[#(#scenes),*],
            &[#(&#interface_refs),*],
            &[#(#services),*],
            &[#(#enums),*],
        )
        .with_pay_types(&[#(#pay_types),*])
        .with_flags(&[#(#flags),*])
        .with_test_amounts(&[#(#test_amounts),*])
        .with_notification_rules(__spec::NOTIFICATION_RULES)
        .with_request_rules(#request_rules);

        /// Each interface's entry of [`CATALOG`], by name, and the recognition rules.
        #[doc(hidden)]
        pub mod __spec {
            use super::*;
            #(#interfaces)*
            #(#scene_statics)*
            #notification_rules
            #acknowledgement
        }

        #handles
    }
}

/// `Interface` and `Scene`: Rust handles on the catalog's entries.
fn handles(spec: &Spec) -> TokenStream {
    let variants = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let d = doc(&format!("`{}` — {}", i.name, i.doc));
        quote! { #d #v, }
    });
    let all = spec.interfaces.iter().map(|i| ident(&i.rust));
    let infos = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let path = info_path(i);
        quote! { Interface::#v => &#path, }
    });
    let scene_variants = spec.scenes.iter().map(|s| {
        let v = ident(&crate::names::upper_camel(&s.name));
        let d = doc(&format!("`{}` — {}", s.name, s.doc));
        quote! { #d #v, }
    });
    let scene_all = spec.scenes.iter().map(|s| ident(&crate::names::upper_camel(&s.name)));
    let scene_infos = spec.scenes.iter().map(|s| {
        let v = ident(&crate::names::upper_camel(&s.name));
        let static_name = scene_static(&s.name);
        quote! { Scene::#v => &__spec::#static_name, }
    });
    quote! {
        /// The interfaces of the API, one per `[interface]` of the spec.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Interface {
            #(#variants)*
        }

        impl Interface {
            /// Every interface.
            pub const ALL: &'static [Interface] = &[#(Interface::#all),*];

            /// The interface's entry in the catalog: purpose, endpoint, field tables, ….
            pub fn info(self) -> &'static ::eftpay::catalog::InterfaceInfo {
                match self { #(#infos)* }
            }

            /// The interface's `name` in the spec.
            pub fn name(self) -> &'static str {
                self.info().name
            }
        }

        /// The scenes of the API: interfaces that belong together.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Scene {
            #(#scene_variants)*
        }

        impl Scene {
            /// Every scene.
            pub const ALL: &'static [Scene] = &[#(Scene::#scene_all),*];

            /// The scene's entry in the catalog.
            pub fn info(self) -> &'static ::eftpay::catalog::SceneInfo {
                match self { #(#scene_infos)* }
            }
        }
    }
}

fn interface_static(i: &Interface, spec: &Spec) -> TokenStream {
    let name = format_ident!("{}", i.name.to_ascii_uppercase());
    let iname = &i.name;
    let rust = &i.rust;
    let purpose = ident(i.purpose.variant());
    let endpoint = i.endpoint.as_deref().map(|e| quote! { .with_endpoint(#e) });
    let encoding = ident(i.encoding.variant());
    // Never retried unless the spec says otherwise (the constructor's default).
    let retry = (i.retry != RetryPolicy::Never).then(|| {
        let retry = ident(i.retry.variant());
        quote! { .with_retry(::eftpay::rules::RetryPolicy::#retry) }
    });
    let fields = i.fields.iter().map(|f| field_info(f, &i.fields, spec));
    let response = i.response.iter().map(|f| field_info(f, &i.response, spec));
    let groups = i.at_least_one_of.iter().map(|group| {
        let wires = group.iter().filter_map(|f| i.fields.get(*f)).map(|f| &f.wire);
        quote! { &[#(#wires),*] }
    });
    let relation = |id: Option<usize>| id.map(|id| spec.interface(id).name.as_str());
    let notification = relation(i.notification).map(|n| quote! { .with_notification(#n) });
    let sync_return = relation(i.sync_return).map(|n| quote! { .with_sync_return(#n) });
    let reply = relation(i.reply).map(|n| quote! { .with_reply(#n) });
    let fields = (!i.fields.is_empty()).then(|| quote! { .with_fields(&[#(#fields),*]) });
    let response = (!i.response.is_empty()).then(|| quote! { .with_response(&[#(#response),*]) });
    let groups = (!i.at_least_one_of.is_empty()).then(|| quote! { .with_at_least_one_of(&[#(#groups),*]) });
    let d = &i.doc;
    let check_request = if i.purpose.is_request() {
        let request = outgoing_name(i);
        quote! { ::eftpay::__gateway_fn!(|fields| #request::from_received(fields).and_then(|request| request.validate())) }
    } else {
        quote! { ::core::option::Option::None }
    };
    let typed = option(incoming_name(i).map(|incoming| {
        quote! {
            |fields| {
                <#incoming as ::eftpay::IncomingMessage>::from_fields(fields).map(|message| message.typed_fields())
            }
        }
    }));
    quote! {
        pub static #name: ::eftpay::catalog::InterfaceInfo = ::eftpay::catalog::InterfaceInfo::new(
            #iname,
            #rust,
            ::eftpay::rules::Purpose::#purpose,
            ::eftpay::rules::Encoding::#encoding,
            #d,
        )
        #endpoint
        #retry
        #fields
        #response
        #groups
        #notification
        #sync_return
        #reply
        .with_codec(::eftpay::__private::Codec { check_request: #check_request, typed: #typed });
    }
}

/// `__spec::ACKNOWLEDGEMENT_PROVEN`: the spec's (first) acknowledgement with its return codes,
/// which the checker proved buildable (`resolve/acknowledgement.rs`), for the runtime's
/// `notify::acknowledge`. Nothing when the spec has no acknowledgement, or when the checker
/// reported why it cannot be built.
fn proven_acknowledgement(spec: &Spec) -> TokenStream {
    let Some(ack) = spec.interfaces.iter().find(|i| i.purpose == Purpose::Acknowledgement) else {
        return TokenStream::new();
    };
    let code_field = ack.fields.iter().find(|f| f.concept == Some(Concept::ReturnCode));
    let codes = return_code_set(ack).map(|id| {
        ANSWERS.map(|meaning| {
            spec.enumeration(id).values.iter().find(|v| v.meaning == Some(meaning)).map(|v| v.wire.as_str())
        })
    });
    let (Some(code_field), Some([Some(handled), Some(not_handled)])) = (code_field, codes) else {
        return TokenStream::new();
    };
    let (interface, code_field) = (info_path(ack), &code_field.wire);
    quote! {
        pub static ACKNOWLEDGEMENT_PROVEN: ::eftpay::__private::ProvenAcknowledgement =
            ::eftpay::__private::ProvenAcknowledgement {
                interface: &#interface,
                code_field: #code_field,
                handled: #handled,
                not_handled: #not_handled,
            };
    }
}

/// `__spec::SCENE_QRCODE`: the static holding a scene's catalog entry.
fn scene_static(name: &str) -> proc_macro2::Ident {
    format_ident!("SCENE_{}", name.to_ascii_uppercase())
}

fn field_info(f: &Field, table: &[Field], spec: &Spec) -> TokenStream {
    let (wire, rust, d) = (&f.wire, &f.rust, &f.doc);
    let kind = ident(f.ty.kind().variant());
    // Each part the field has is a setter; what it lacks is the constructor's default.
    let mut parts = Vec::new();
    if let FieldType::Enum(id) = f.ty {
        let name = &spec.enumeration(id).rust;
        parts.push(quote! { .with_enum(#name) });
    }
    if let Some(concept) = f.concept {
        let concept = concept_path(concept);
        parts.push(quote! { .with_concept(#concept) });
    }
    if f.required {
        parts.push(quote! { .required() });
    }
    if let Some(flag) = f.required_unless {
        let flag = &spec.flag(flag).name;
        parts.push(quote! { .with_required_unless(#flag) });
    }
    let sibling = |s: &crate::model::Sibling| {
        let other = &table.get(s.field)?.wire;
        let values = &s.values;
        Some(quote! { #other, &[#(#values),*] })
    };
    if let Some(when) = f.required_when.as_ref().and_then(sibling) {
        parts.push(quote! { .with_required_when(#when) });
    }
    let or: Vec<&str> = f
        .required_when
        .iter()
        .flat_map(|s| s.or.iter().filter_map(|id| table.get(*id)).map(|f| f.wire.as_str()))
        .collect();
    if !or.is_empty() {
        parts.push(quote! { .with_required_when_or(&[#(#or),*]) });
    }
    if let Some(flag) = f.forbidden_with {
        let flag = &spec.flag(flag).name;
        parts.push(quote! { .with_forbidden_with(#flag) });
    }
    if let Some(when) = f.only_when.as_ref().and_then(sibling) {
        parts.push(quote! { .with_only_when(#when) });
    }
    if let Some(other) = f.not_above.and_then(|id| table.get(id)) {
        let other = &other.wire;
        parts.push(quote! { .with_not_above(#other) });
    }
    if f.no_query {
        parts.push(quote! { .no_query() });
    }
    if f.echo {
        parts.push(quote! { .echo() });
    }
    if let Some(multiple) = f.multiple_of {
        parts.push(quote! { .with_multiple_of(#multiple) });
    }
    if let Some(min) = f.min {
        parts.push(quote! { .with_min(#min) });
    }
    if let Some(max) = f.max {
        parts.push(quote! { .with_max(#max) });
    }
    if let Some(max_len) = f.max_len {
        parts.push(quote! { .with_max_len(#max_len) });
    }
    if let Some(fixed) = &f.fixed {
        parts.push(quote! { .with_fixed(#fixed) });
    }
    if let Some(default) = &f.default {
        parts.push(quote! { .with_default(#default) });
    }
    quote! {
        ::eftpay::catalog::FieldInfo::new(#wire, #rust, ::eftpay::rules::FieldKind::#kind, #d) #(#parts)*
    }
}

/// Notification behaviour as the runtime's variant.
pub fn notifications(n: Notifications) -> TokenStream {
    let variant = ident(n.variant());
    quote! { ::eftpay::rules::Notifications::#variant }
}
