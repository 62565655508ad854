//! The spec as data: `CATALOG` (the runtime's `catalog::Catalog`) with every scene, interface
//! and field table, service row, value set and recognition rule, and the `Interface` and
//! `Scene` handles. The client, the sandbox, the CLI and the runtime's validation read this,
//! never the TOML and never a name written in Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{concept_path, doc, ident, incoming_name, info_path, option, outgoing_name};
use crate::model::{Field, FieldType, Interface, Notifications, Spec};

pub fn emit(spec: &Spec) -> TokenStream {
    let interfaces = spec.interfaces.iter().map(|i| interface_static(i, spec));
    let interface_refs = spec.interfaces.iter().map(info_path);
    let scene_statics = spec.scenes.iter().map(|s| {
        let (name, d) = (&s.name, &s.doc);
        let static_name = scene_static(&s.name);
        let members = s.interfaces.iter().map(|i| &spec.interface(*i).name);
        quote! {
            pub static #static_name: ::eftpay::catalog::SceneInfo =
                ::eftpay::catalog::SceneInfo { name: #name, doc: #d, interfaces: &[#(#members),*] };
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
            let meaning = option(v.meaning.map(|m| {
                let m = ident(m.variant());
                quote! { ::eftpay::rules::Meaning::#m }
            }));
            quote! { ::eftpay::catalog::ValueInfo { wire: #wire, rust: #rust, doc: #vdoc, meaning: #meaning, sandbox_only: #sandbox } }
        });
        quote! { ::eftpay::catalog::EnumInfo { name: #name, doc: #d, values: &[#(#values),*] } }
    });
    let b = spec.builtin;
    let pay_types = spec.enumeration(b.pay_type).values.iter().enumerate().map(|(p, v)| {
        let (wire, rust) = (&v.wire, &v.rust);
        let wallets = spec.wallet_pay_type.iter().enumerate().filter(|(_, owner)| **owner == p).map(|(w, _)| {
            let wallet = spec.value(b.wallet, w);
            let (wire, rust) = (&wallet.wire, &wallet.rust);
            quote! { (#wire, #rust) }
        });
        quote! { ::eftpay::catalog::PayTypeInfo { wire: #wire, rust: #rust, wallets: &[#(#wallets),*] } }
    });
    let flags = spec.flags.iter().map(|f| {
        let (name, d) = (&f.name, &f.doc);
        quote! { ::eftpay::catalog::FlagInfo { name: #name, doc: #d } }
    });
    let test_amounts = spec.test_amounts.iter().map(|t| {
        let pay_type = &spec.value(b.pay_type, t.pay_type).wire;
        let cents = t.cents;
        let outcome = ident(t.outcome.variant());
        let d = &t.doc;
        quote! { ::eftpay::catalog::TestAmountInfo { pay_type: #pay_type, cents: #cents, outcome: ::eftpay::rules::TestOutcome::#outcome, doc: #d } }
    });
    let handles = handles(spec);
    let request_rules = super::notifications::request_rules(spec);
    quote! {
        /// The spec as data: every scene, interface, field table, service row, value set and
        /// recognition rule. Every generic layer — validation, the client, notification
        /// handling, the sandbox, the CLI — reads this.
        pub static CATALOG: ::eftpay::catalog::Catalog = ::eftpay::catalog::Catalog {
            scenes: &[#(#scenes),*],
            interfaces: &[#(&#interface_refs),*],
            services: &[#(#services),*],
            enums: &[#(#enums),*],
            pay_types: &[#(#pay_types),*],
            flags: &[#(#flags),*],
            test_amounts: &[#(#test_amounts),*],
            notification_rules: NOTIFICATION_RULES,
            request_rules: #request_rules,
        };

        /// Each interface's entry of [`CATALOG`], by name.
        #[doc(hidden)]
        pub mod __spec {
            use super::*;
            #(#interfaces)*
            #(#scene_statics)*
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
    let endpoint = option(i.endpoint.as_deref());
    let encoding = ident(i.encoding.variant());
    let retry = ident(i.retry.variant());
    let fields = i.fields.iter().map(|f| field_info(f, &i.fields, spec));
    let response = i.response.iter().map(|f| field_info(f, &i.response, spec));
    let groups = i.at_least_one_of.iter().map(|group| {
        let wires = group.iter().filter_map(|f| i.fields.get(*f)).map(|f| &f.wire);
        quote! { &[#(#wires),*] }
    });
    let relation = |id: Option<usize>| option(id.map(|id| spec.interface(id).name.as_str()));
    let notification = relation(i.notification);
    let sync_return = relation(i.sync_return);
    let reply = relation(i.reply);
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
        pub static #name: ::eftpay::catalog::InterfaceInfo = ::eftpay::catalog::InterfaceInfo {
            name: #iname,
            rust: #rust,
            purpose: ::eftpay::rules::Purpose::#purpose,
            endpoint: #endpoint,
            encoding: ::eftpay::rules::Encoding::#encoding,
            retry: ::eftpay::rules::RetryPolicy::#retry,
            fields: &[#(#fields),*],
            response: &[#(#response),*],
            at_least_one_of: &[#(#groups),*],
            notification: #notification,
            sync_return: #sync_return,
            reply: #reply,
            doc: #d,
            codec: ::eftpay::catalog::Codec { check_request: #check_request, typed: #typed },
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
    let enum_name = option(match f.ty {
        FieldType::Enum(id) => Some(spec.enumeration(id).rust.as_str()),
        _ => None,
    });
    let concept = option(f.concept.map(concept_path));
    let required = f.required;
    let flag = |id: Option<usize>| option(id.map(|id| spec.flag(id).name.as_str()));
    let required_unless = flag(f.required_unless);
    let forbidden_with = flag(f.forbidden_with);
    let sibling = |s: &Option<crate::model::Sibling>| {
        option(s.as_ref().and_then(|s| {
            let other = &table.get(s.field)?.wire;
            let values = &s.values;
            Some(quote! { (#other, &[#(#values),*]) })
        }))
    };
    let required_when = sibling(&f.required_when);
    let required_when_or =
        f.required_when.iter().flat_map(|s| s.or.iter().filter_map(|id| table.get(*id)).map(|f| f.wire.as_str()));
    let only_when = sibling(&f.only_when);
    let not_above = option(f.not_above.and_then(|id| table.get(id)).map(|f| f.wire.as_str()));
    let max_len = option(f.max_len);
    let fixed = option(f.fixed.as_deref());
    let default = option(f.default.as_deref());
    let no_query = f.no_query;
    let echo = f.echo;
    let (multiple_of, min, max) = (option(f.multiple_of), option(f.min), option(f.max));
    quote! {
        ::eftpay::catalog::FieldInfo {
            wire: #wire,
            rust: #rust,
            kind: ::eftpay::rules::FieldKind::#kind,
            enum_name: #enum_name,
            concept: #concept,
            required: #required,
            required_unless: #required_unless,
            required_when: #required_when,
            required_when_or: &[#(#required_when_or),*],
            forbidden_with: #forbidden_with,
            only_when: #only_when,
            not_above: #not_above,
            no_query: #no_query,
            echo: #echo,
            multiple_of: #multiple_of,
            min: #min,
            max: #max,
            max_len: #max_len,
            fixed: #fixed,
            default: #default,
            doc: #d,
        }
    }
}

/// Notification behaviour as the runtime's variant.
pub fn notifications(n: Notifications) -> TokenStream {
    let variant = ident(n.variant());
    quote! { ::eftpay::rules::Notifications::#variant }
}
