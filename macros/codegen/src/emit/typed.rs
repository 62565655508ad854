//! The typed per-service API: a marker type per service, wallet, pay_scene and lang, and
//! traits tying them together, so that `services::AlipayWebPreOrder::place_order(wallets::WeChatCn, …)`
//! does not compile — the row of the service table decides what type-checks.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, field_init, ident, param_into, param_type};
use crate::model::{Concept, Field, Interface, InterfaceKind, Service, Spec};

pub fn emit(spec: &Spec) -> TokenStream {
    let markers = markers(spec);
    let builders = spec
        .interfaces
        .iter()
        .filter(|i| i.kind == InterfaceKind::Request && i.fields.iter().any(|f| f.concept == Some(Concept::Service)))
        .map(builder);
    let services = spec.services.iter().filter_map(|s| service(s, spec));
    quote! {
        #markers
        #(#builders)*
        #(#services)*
    }
}

fn enum_values<'a>(spec: &'a Spec, name: &str) -> &'a [crate::model::EnumValue] {
    spec.enums.iter().find(|e| e.rust == name).map_or(&[], |e| e.values.as_slice())
}

/// Marker types and the `…Of<S>` traits.
fn markers(spec: &Spec) -> TokenStream {
    let kinds = [
        ("Wallet", "wallets", "WalletMarker", "WalletOf", "WALLET", "wallet"),
        ("PayScene", "pay_scenes", "PaySceneMarker", "PaySceneOf", "PAY_SCENE", "pay_scene"),
        ("Lang", "langs", "LangMarker", "LangOf", "LANG", "lang"),
    ];
    let per_kind = kinds.iter().map(|(enum_name, module, marker, of, konst, label)| {
        let enum_ident = ident(enum_name);
        let module = ident(module);
        let marker = ident(marker);
        let of = ident(of);
        let konst = ident(konst);
        let values = enum_values(spec, enum_name);
        let structs = values.iter().map(|v| {
            let name = ident(&v.rust);
            let d = doc(&format!("Marker for the {label} `{}` — {}", v.wire, v.doc));
            quote! {
                #d
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
                pub struct #name;
            }
        });
        let marker_impls = values.iter().map(|v| {
            let name = ident(&v.rust);
            quote! { impl #marker for #module::#name { const #konst: #enum_ident = #enum_ident::#name; } }
        });
        let mut of_impls = Vec::new();
        for s in &spec.services {
            let service = ident(&s.rust);
            let list: &[String] = match *enum_name {
                "Wallet" => &s.wallets,
                "PayScene" => &s.pay_scenes,
                _ => &s.langs,
            };
            for v in list.iter().filter_map(|w| values.iter().find(|v| v.wire == *w)) {
                let name = ident(&v.rust);
                of_impls.push(quote! { impl #of<services::#service> for #module::#name {} });
            }
        }
        let module_doc = doc(&format!("Marker types for each {label}, for the typed per-service API."));
        let marker_doc = doc(&format!("A marker type standing for one {label}."));
        let of_doc = doc(&format!("Implemented for the {label}s that service `S` takes (its row in spec/services.toml)."));
        let message = format!("{label} `{{Self}}` is not one that service `{{S}}` takes");
        let label_text = format!("this {label} does not belong to the service");
        let note = format!("the service's {label}s are listed in its row of spec/services.toml; `{{S}}::rules()` returns them at run time");
        quote! {
            #module_doc
            pub mod #module {
                #(#structs)*
            }

            #marker_doc
            pub trait #marker {
                /// The value the marker stands for.
                const #konst: #enum_ident;
            }

            #of_doc
            #[diagnostic::on_unimplemented(message = #message, label = #label_text, note = #note)]
            pub trait #of<S>: #marker {}

            #(#marker_impls)*
            #(#of_impls)*
        }
    });
    let services = spec.services.iter().map(|s| {
        let name = ident(&s.rust);
        let d = doc(&format!("`{}` — {}", s.wire, s.doc));
        quote! {
            #d
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #name;
        }
    });
    quote! {
        /// One marker type per service: the entry point of the typed API. Each has a constructor
        /// named after its interface (`place_order`, `refund`, …) that only accepts the
        /// service's own wallets.
        pub mod services {
            #(#services)*
        }
        #(#per_kind)*
    }
}

/// `PlaceOrderBuilder<S>`: a request for service `S`, with setters that only take what `S` allows.
fn builder(i: &Interface) -> TokenStream {
    let builder = format_ident!("{}Builder", i.rust);
    let request = format_ident!("{}Request", i.rust);
    let setters = i.fields.iter().filter(|f| f.is_caller_set() && f.concept.is_none() && !f.is_mandatory()).map(|f| {
        let rust = ident(&f.rust);
        let ty = param_type(&f.ty);
        let value = param_into(&f.ty, &format_ident!("value"));
        let d = doc(&format!("Sets `{}` — {}", f.wire, f.doc));
        quote! {
            #d
            #[must_use]
            pub fn #rust(mut self, value: #ty) -> Self {
                self.request.#rust = ::core::option::Option::Some(#value);
                self
            }
        }
    });
    let typed_setters = i.fields.iter().filter(|f| f.is_caller_set()).filter_map(|f| {
        let (of, marker_const) = match f.concept? {
            Concept::Wallet => (quote! { WalletOf }, quote! { WALLET }),
            Concept::PayScene => (quote! { PaySceneOf }, quote! { PAY_SCENE }),
            Concept::Lang => (quote! { LangOf }, quote! { LANG }),
            _ => return None,
        };
        let rust = ident(&f.rust);
        let value = if f.is_mandatory() {
            quote! { M::#marker_const }
        } else {
            quote! { ::core::option::Option::Some(M::#marker_const) }
        };
        let d = doc(&format!("Sets `{}` to one the service takes (others do not compile).", f.wire));
        Some(quote! {
            #d
            #[must_use]
            pub fn #rust<M: #of<S>>(mut self, _marker: M) -> Self {
                self.request.#rust = #value;
                self
            }
        })
    });
    let builder_doc =
        doc(&format!("A `{}` request for service `S`, built through the typed API (see [`services`]).", i.name));
    quote! {
        #builder_doc
        #[derive(Clone, Debug, PartialEq)]
        pub struct #builder<S> {
            request: #request,
            service: ::core::marker::PhantomData<S>,
        }

        impl<S> #builder<S> {
            #(#typed_setters)*
            #(#setters)*

            /// The finished request (validate it, or hand it to the client, which validates).
            pub fn build(self) -> #request {
                self.request
            }
        }

        impl<S> ::core::convert::From<#builder<S>> for #request {
            fn from(builder: #builder<S>) -> #request {
                builder.request
            }
        }

        impl<S> ::core::ops::Deref for #builder<S> {
            type Target = #request;
            fn deref(&self) -> &#request {
                &self.request
            }
        }
    }
}

/// The service's constructor: `services::AlipayWebPreOrder::place_order(wallet, …)`.
fn service(s: &Service, spec: &Spec) -> Option<TokenStream> {
    let iface = spec.interfaces.iter().find(|i| i.name == s.interface)?;
    let name = ident(&s.rust);
    let builder = format_ident!("{}Builder", iface.rust);
    let request = format_ident!("{}Request", iface.rust);
    let method = ident(&iface.name);
    let variant_of = |enum_name: &str, wire: &str| {
        enum_values(spec, enum_name).iter().find(|v| v.wire == wire).map(|v| ident(&v.rust))
    };
    let caller: Vec<&Field> = iface.fields.iter().filter(|f| f.is_caller_set()).collect();
    let wallet_required = caller.iter().any(|f| f.concept == Some(Concept::Wallet) && f.is_mandatory());
    let mut params = Vec::new();
    let mut generics = Vec::new();
    if wallet_required {
        generics.push(quote! { W: WalletOf<Self> });
        params.push(quote! { _wallet: W });
    }
    let mut inits = Vec::new();
    for f in &caller {
        let rust = ident(&f.rust);
        let value = match f.concept {
            Some(Concept::Service) => {
                let v = ident(&s.rust);
                Some(quote! { Service::#v })
            }
            Some(Concept::PayType) => {
                let v = variant_of("PayType", &s.pay_type)?;
                Some(quote! { PayType::#v })
            }
            Some(Concept::Wallet) if f.is_mandatory() => Some(quote! { W::WALLET }),
            Some(Concept::PayScene) if f.is_mandatory() => {
                let v = variant_of("PayScene", s.pay_scenes.first()?)?;
                Some(quote! { PayScene::#v })
            }
            _ if f.is_mandatory() => {
                let ty = param_type(&f.ty);
                params.push(quote! { #rust: #ty });
                let init = field_init(&f.ty, &rust);
                inits.push(quote! { #init, });
                continue;
            }
            _ => None,
        };
        let init = match (value, f.is_mandatory()) {
            (Some(v), true) => quote! { #rust: #v, },
            (Some(v), false) => quote! { #rust: ::core::option::Option::Some(#v), },
            (None, _) => quote! { #rust: ::core::option::Option::None, },
        };
        inits.push(init);
    }
    let method_doc = doc(&format!(
        "Starts a `{}` request for `{}`; the wallet must be one of this service's ({}), or it does not compile.",
        iface.name,
        s.wire,
        s.wallets.join(", ")
    ));
    Some(quote! {
        impl services::#name {
            /// The service value this marker stands for.
            pub const SERVICE: Service = Service::#name;

            /// This service's row of the service table.
            pub fn rules() -> ::core::option::Option<&'static ServiceRules> {
                Self::SERVICE.rules()
            }

            #method_doc
            #[allow(clippy::too_many_arguments)]
            pub fn #method<#(#generics),*>(#(#params),*) -> #builder<Self> {
                #builder {
                    request: #request { #(#inits)* },
                    service: ::core::marker::PhantomData,
                }
            }
        }
    })
}
