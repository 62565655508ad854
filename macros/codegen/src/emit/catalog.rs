//! The spec's tables as data the program can read at run time: the `Interface` list, the
//! `ServiceFlag`s, every service's rules (`SERVICES`, `Service::rules`) and the test amounts.
//! Validation, the client, the sandbox and `eftpay spec` all read these, never the TOML.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::model::{Encoding, InterfaceKind, Notifications, Spec, TestOutcome};

pub fn emit(spec: &Spec) -> TokenStream {
    let interfaces = interfaces(spec);
    let flags = flags(spec);
    let services = services(spec);
    let test_amounts = test_amounts(spec);
    quote! { #interfaces #flags #services #test_amounts }
}

fn variant_of(spec: &Spec, enum_name: &str, wire: &str) -> Option<proc_macro2::Ident> {
    let e = spec.enums.iter().find(|e| e.rust == enum_name)?;
    e.values.iter().find(|v| v.wire == wire).map(|v| ident(&v.rust))
}

fn interfaces(spec: &Spec) -> TokenStream {
    let variants = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let d = doc(&format!("`{}` — {}", i.name, i.doc));
        quote! { #d #v, }
    });
    let all = spec.interfaces.iter().map(|i| ident(&i.rust));
    let names = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let n = &i.name;
        quote! { Interface::#v => #n, }
    });
    let endpoints = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        match &i.endpoint {
            Some(e) => quote! { Interface::#v => ::core::option::Option::Some(#e), },
            None => quote! { Interface::#v => ::core::option::Option::None, },
        }
    });
    let kinds = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let k = match i.kind {
            InterfaceKind::Request => quote! { Request },
            InterfaceKind::Notification => quote! { Notification },
            InterfaceKind::Acknowledgement => quote! { Acknowledgement },
            InterfaceKind::Return => quote! { Return },
        };
        quote! { Interface::#v => ::eftpay::rules::InterfaceKind::#k, }
    });
    let encodings = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let e = match i.encoding {
            Encoding::Json => quote! { Json },
            Encoding::Form => quote! { Form },
        };
        quote! { Interface::#v => ::eftpay::rules::Encoding::#e, }
    });
    let docs = spec.interfaces.iter().map(|i| {
        let v = ident(&i.rust);
        let d = &i.doc;
        quote! { Interface::#v => #d, }
    });
    quote! {
        /// The interfaces of the API, one per `spec/interfaces/*.toml` file.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Interface {
            #(#variants)*
        }

        impl Interface {
            /// Every interface.
            pub const ALL: &'static [Interface] = &[#(Interface::#all),*];

            /// The interface's `name` in the spec.
            pub fn name(self) -> &'static str {
                match self { #(#names)* }
            }

            /// Path after the base URL, for requests (`/Servlet/JSAPIService.do`).
            pub fn endpoint(self) -> ::core::option::Option<&'static str> {
                match self { #(#endpoints)* }
            }

            /// Which way the message travels.
            pub fn kind(self) -> ::eftpay::rules::InterfaceKind {
                match self { #(#kinds)* }
            }

            /// How the message is encoded on the wire.
            pub fn encoding(self) -> ::eftpay::rules::Encoding {
                match self { #(#encodings)* }
            }

            /// The spec's description.
            pub fn doc(self) -> &'static str {
                match self { #(#docs)* }
            }
        }
    }
}

fn flags(spec: &Spec) -> TokenStream {
    let variants = spec.flags.iter().map(|f| {
        let v = ident(&f.rust);
        let d = doc(&format!("`{}` — {}", f.name, f.doc));
        quote! { #d #v, }
    });
    let names = spec.flags.iter().map(|f| {
        let v = ident(&f.rust);
        let n = &f.name;
        quote! { ServiceFlag::#v => #n, }
    });
    let docs = spec.flags.iter().map(|f| {
        let v = ident(&f.rust);
        let d = &f.doc;
        quote! { ServiceFlag::#v => #d, }
    });
    let all = spec.flags.iter().map(|f| ident(&f.rust));
    quote! {
        /// Per-service rules from the doc's tips (`[[service_flag]]` in spec/services.toml).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ServiceFlag {
            #(#variants)*
        }

        impl ServiceFlag {
            /// Every flag.
            pub const ALL: &'static [ServiceFlag] = &[#(ServiceFlag::#all),*];

            /// The flag's name in the spec.
            pub fn name(self) -> &'static str {
                match self { #(#names)* }
            }

            /// What the flag means.
            pub fn doc(self) -> &'static str {
                match self { #(#docs)* }
            }
        }
    }
}

fn services(spec: &Spec) -> TokenStream {
    let rows = spec.services.iter().filter_map(|s| {
        let service = ident(&s.rust);
        let interface = ident(&spec.interfaces.iter().find(|i| i.name == s.interface)?.rust);
        let pay_type = variant_of(spec, "PayType", &s.pay_type)?;
        let wallets = s.wallets.iter().filter_map(|w| variant_of(spec, "Wallet", w));
        let scenes = s.pay_scenes.iter().filter_map(|p| variant_of(spec, "PayScene", p));
        let langs = s.langs.iter().filter_map(|l| variant_of(spec, "Lang", l));
        let flags = s.flags.iter().filter_map(|f| spec.flags.iter().find(|x| x.name == *f).map(|x| ident(&x.rust)));
        let notifications = match s.notifications {
            Notifications::UntilAcknowledged => quote! { UntilAcknowledged },
            Notifications::Once => quote! { Once },
            Notifications::Never => quote! { Never },
        };
        let d = &s.doc;
        Some(quote! {
            ServiceRules {
                service: Service::#service,
                interface: Interface::#interface,
                pay_type: PayType::#pay_type,
                wallets: &[#(Wallet::#wallets),*],
                pay_scenes: &[#(PayScene::#scenes),*],
                langs: &[#(Lang::#langs),*],
                flags: &[#(ServiceFlag::#flags),*],
                notifications: ::eftpay::rules::Notifications::#notifications,
                doc: #d,
            },
        })
    });
    quote! {
        /// One row of the service table: what a service accepts and how it behaves.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct ServiceRules {
            /// The service.
            pub service: Service,
            /// The interface it is sent through.
            pub interface: Interface,
            /// The only payType it takes.
            pub pay_type: PayType,
            /// The wallets it takes.
            pub wallets: &'static [Wallet],
            /// The pay_scenes it takes; the first is the default.
            pub pay_scenes: &'static [PayScene],
            /// The langs it takes; empty when `lang` may not be sent.
            pub langs: &'static [Lang],
            /// Its per-service rules.
            pub flags: &'static [ServiceFlag],
            /// Whether eftPay notifies asynchronously.
            pub notifications: ::eftpay::rules::Notifications,
            /// The doc's description.
            pub doc: &'static str,
        }

        impl ServiceRules {
            /// Whether the service has `flag`.
            pub fn has_flag(&self, flag: ServiceFlag) -> bool {
                self.flags.contains(&flag)
            }

            /// The pay_scene to send when the caller chooses none.
            pub fn default_pay_scene(&self) -> ::core::option::Option<&'static PayScene> {
                self.pay_scenes.first()
            }
        }

        /// Every service of the spec, in table order.
        pub static SERVICES: &[ServiceRules] = &[#(#rows)*];

        impl Service {
            /// This service's row of the service table; `None` for a service the SDK does not know.
            pub fn rules(&self) -> ::core::option::Option<&'static ServiceRules> {
                SERVICES.iter().find(|rules| rules.service == *self)
            }
        }
    }
}

fn test_amounts(spec: &Spec) -> TokenStream {
    let rows = spec.test_amounts.iter().filter_map(|t| {
        let pay_type = variant_of(spec, "PayType", &t.pay_type)?;
        let cents = t.cents;
        let outcome = match t.outcome {
            TestOutcome::Success => quote! { Success },
            TestOutcome::Timeout => quote! { Timeout },
            TestOutcome::Failed => quote! { Failed },
            TestOutcome::ServerErrorNoQrCode => quote! { ServerErrorNoQrCode },
            TestOutcome::ServerErrorNoState => quote! { ServerErrorNoState },
        };
        let d = &t.doc;
        Some(quote! {
            TestAmount { pay_type: PayType::#pay_type, cents: #cents, outcome: ::eftpay::rules::TestOutcome::#outcome, doc: #d },
        })
    });
    quote! {
        /// An amount whose last two decimal digits choose the outcome in a test environment
        /// (e.g. PAYME UAT: `0.81` succeeds).
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct TestAmount {
            /// The payType whose test environment honours it.
            pub pay_type: PayType,
            /// The last two decimal digits.
            pub cents: u8,
            /// What happens.
            pub outcome: ::eftpay::rules::TestOutcome,
            /// The doc's description.
            pub doc: &'static str,
        }

        /// Every test amount of the spec.
        pub static TEST_AMOUNTS: &[TestAmount] = &[#(#rows)*];

        impl TestAmount {
            /// The test outcome `amount` selects for `pay_type`, if it selects one.
            pub fn lookup(pay_type: &PayType, amount: ::eftpay::Amount) -> ::core::option::Option<&'static TestAmount> {
                TEST_AMOUNTS.iter().find(|t| t.pay_type == *pay_type && t.cents == amount.fraction_cents())
            }
        }
    }
}
