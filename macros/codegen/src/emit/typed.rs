//! The typed per-service API: a marker type per service row, wallet, pay_scene and lang, traits
//! tying them together, and a builder per request interface, so that
//! `services::AlipayWebPreOrder::place_order(wallets::WeChatCn, …)` does not compile — the row
//! of the service table decides what type-checks. Each row's constructor is one call: the
//! row's own values are passed to the request's `new`, nothing is spelled out twice.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::notifications;
use super::examples;
use super::signatures::{Arg, Param, constructor_variants, row_arg, row_constructor_signatures};
use super::{allow_many_arguments, builder_name, doc, ident, outgoing_name, param_into, param_type};
use crate::Options;
use crate::model::{Concept, EnumId, Field, Interface, Service, Spec};

/// The value sets the row decides, each with its marker module and traits.
struct Column {
    enum_id: Option<EnumId>,
    concept: Concept,
    module: &'static str,
    marker: &'static str,
    of: &'static str,
    konst: &'static str,
    label: &'static str,
}

fn columns(spec: &Spec) -> [Column; 3] {
    let b = spec.builtin;
    [
        Column {
            enum_id: Some(b.wallet),
            concept: Concept::Wallet,
            module: "wallets",
            marker: "WalletMarker",
            of: "WalletOf",
            konst: "WALLET",
            label: "wallet",
        },
        Column {
            enum_id: b.pay_scene,
            concept: Concept::PayScene,
            module: "pay_scenes",
            marker: "PaySceneMarker",
            of: "PaySceneOf",
            konst: "PAY_SCENE",
            label: "pay_scene",
        },
        Column {
            enum_id: b.lang,
            concept: Concept::Lang,
            module: "langs",
            marker: "LangMarker",
            of: "LangOf",
            konst: "LANG",
            label: "lang",
        },
    ]
}

fn row_values(s: &Service, concept: Concept) -> &[usize] {
    match concept {
        Concept::Wallet => &s.wallets,
        Concept::PayScene => &s.pay_scenes,
        _ => &s.langs,
    }
}

pub fn emit(spec: &Spec, options: &Options) -> TokenStream {
    let markers = columns(spec).iter().map(|c| markers(spec, c)).collect::<Vec<_>>();
    let service_structs = spec.services.iter().map(|s| {
        let name = ident(&s.rust);
        let example = options.doc_examples_at.as_deref().and_then(|at| examples::service_example(s, spec, at));
        let page = match example {
            Some(example) => format!("`{}` — {}\n\n{example}", s.wire, s.doc),
            None => format!("`{}` — {}", s.wire, s.doc),
        };
        let d = doc(&page);
        quote! {
            #d
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #name;
        }
    });
    let info_arms = spec.services.iter().map(|s| {
        let name = ident(&s.rust);
        quote! { Service::#name => ::core::option::Option::Some(<services::#name as ServiceMarker>::INFO), }
    });
    let builders = spec.interfaces.iter().filter(|i| i.purpose.is_request()).map(|i| builder(i, spec));
    let row_wallet = row_wallet(spec);
    let rows = spec.services.iter().map(|s| row(s, spec));
    quote! {
        /// Marker types for each row of the service tables: the typed entry point. Each has a
        /// constructor named after its interface's purpose (`place_order`, `refund`, …) that
        /// only accepts the row's wallets.
        pub mod services {
            #(#service_structs)*
        }

        /// Implemented by every `services::…` marker: the row it stands for.
        pub trait ServiceMarker {
            /// The row's `Service` value.
            const SERVICE: Service;
            /// The row.
            const INFO: &'static ::eftpay::catalog::ServiceInfo;
        }

        impl Service {
            /// This service's row of the service table; `None` for a service the SDK does not know.
            pub fn info(&self) -> ::core::option::Option<&'static ::eftpay::catalog::ServiceInfo> {
                #[allow(unreachable_patterns)]
                match self {
                    #(#info_arms)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #(#markers)*
        #row_wallet
        #(#builders)*
        #(#rows)*
    }
}

/// What a row constructor takes for the wallet: `WalletFor<S>`, implemented by the marker of
/// each of the row's wallets (checked when it compiles) and by `RowWallet<S>`, a wallet read from
/// text such as a database column (checked when it is read: `RowWallet::parse`).
fn row_wallet(spec: &Spec) -> TokenStream {
    let wallet = ident(&spec.enumeration(spec.builtin.wallet).rust);
    let message = "wallet `{Self}` is not one that service `{S}` takes";
    let label = "this wallet does not belong to the service";
    let note = "the service's wallets are listed in its row of the spec's service table; `{S}::info()` returns them at run time, and `RowWallet::<{S}>::parse` checks a wallet read from text";
    quote! {
        /// A wallet of service `S`, as its row constructor takes it: the marker of one of the
        /// row's wallets (in [`wallets`]; another does not compile), or a [`RowWallet`] read
        /// from text and checked against the row.
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        pub trait WalletFor<S> {
            /// The wallet sent.
            fn wallet(&self) -> #wallet;
        }

        #[diagnostic::do_not_recommend]
        impl<S, M: WalletOf<S>> WalletFor<S> for M {
            fn wallet(&self) -> #wallet {
                M::WALLET
            }
        }

        /// One of service `S`'s wallets, read from text at run time — an order's wallet stored in
        /// a database column, to refund it with the row's constructor:
        /// `RowWallet::<services::…>::parse(&stored)?`, or `stored.parse()?`. A wallet the row
        /// does not list is refused with an error naming the service and the wallets it takes.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct RowWallet<S> {
            wallet: #wallet,
            service: ::core::marker::PhantomData<S>,
        }

        impl<S: ServiceMarker> RowWallet<S> {
            /// Reads a wallet's wire text (`Wallet::as_str`, what to store) as one of `S`'s.
            ///
            /// # Errors
            /// `text` is not one of the wallets `S`'s row lists.
            pub fn parse(text: &str) -> ::core::result::Result<Self, ::eftpay::catalog::WalletNotTaken> {
                S::INFO.check_wallet(text)?;
                ::core::result::Result::Ok(RowWallet { wallet: #wallet::from_wire(text), service: ::core::marker::PhantomData })
            }

            /// The wallet.
            pub fn as_wallet(&self) -> &#wallet {
                &self.wallet
            }
        }

        impl<S: ServiceMarker> ::core::str::FromStr for RowWallet<S> {
            type Err = ::eftpay::catalog::WalletNotTaken;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl<S> WalletFor<S> for RowWallet<S> {
            fn wallet(&self) -> #wallet {
                self.wallet.clone()
            }
        }
    }
}

/// Marker types of one column and the `…Of<S>` trait a value's marker implements for each
/// service whose row lists it. The impls are `do_not_recommend`: a compile error says which
/// value the service does not take, without listing the other services' impls (a list that
/// would change with every row added).
fn markers(spec: &Spec, c: &Column) -> TokenStream {
    let Some(enum_id) = c.enum_id else { return TokenStream::new() };
    let enum_ident = ident(&spec.enumeration(enum_id).rust);
    let (module, marker, of, konst, label) = (ident(c.module), ident(c.marker), ident(c.of), ident(c.konst), c.label);
    let values = &spec.enumeration(enum_id).values;
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
    let module_doc = doc(&format!("Marker types for each {label}, for the typed per-service API."));
    let marker_doc = doc(&format!("A marker type standing for one {label}."));
    let of_doc = doc(&format!(
        "Implemented by a {label}'s marker for each service `S` whose row lists it (the spec's service table)."
    ));
    let message = format!("{label} `{{Self}}` is not one that service `{{S}}` takes");
    let label_text = format!("this {label} does not belong to the service");
    let note = format!(
        "the service's {label}s are listed in its row of the spec's service table; `{{S}}::info()` returns them at run time"
    );
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
    }
}

/// The builder of a request interface.
fn builder(i: &Interface, spec: &Spec) -> TokenStream {
    let builder = builder_name(i);
    let request = outgoing_name(i);
    let has_rows = spec.services.iter().any(|s| spec.interface(s.interface).name == i.name);
    let caller: Vec<&Field> = i.fields.iter().filter(|f| f.is_caller_set()).collect();
    let typed_column =
        |f: &Field| matches!(f.concept, Some(Concept::Wallet | Concept::PayScene | Concept::Lang)) && has_rows;
    let row_decided = |f: &Field| matches!(f.concept, Some(Concept::Service | Concept::PayType)) && has_rows;
    let setters = caller.iter().filter(|f| !f.is_mandatory() && !typed_column(f) && !row_decided(f)).map(|f| {
        let rust = ident(&f.rust);
        let ty = param_type(spec, f);
        let value = param_into(f, &rust);
        let d = doc(&format!("Sets `{}` — {}", f.wire, f.doc));
        quote! {
            #d
            pub fn #rust(mut self, #rust: #ty) -> Self {
                self.request.#rust = ::core::option::Option::Some(#value);
                self
            }
        }
    });
    let typed_setters = caller.iter().filter(|f| typed_column(f)).filter_map(|f| {
        let column = columns(spec).into_iter().find(|c| Some(c.concept) == f.concept)?;
        let (of, konst) = (ident(column.of), ident(column.konst));
        let rust = ident(&f.rust);
        let value = if f.is_mandatory() {
            quote! { M::#konst }
        } else {
            quote! { ::core::option::Option::Some(M::#konst) }
        };
        let d = doc(&format!("Sets `{}` to one the service takes (others do not compile).", f.wire));
        Some(quote! {
            #d
            pub fn #rust<M: #of<S>>(mut self, _marker: M) -> Self {
                self.request.#rust = #value;
                self
            }
        })
    });
    let builder_doc = doc(&format!(
        "A `{}` request being built: set optional fields, then hand it to the client (which validates) or call `build`.",
        i.name
    ));
    let by = rowless_constructors(i, spec, has_rows);
    quote! {
        #builder_doc
        #[derive(Clone, Debug, PartialEq)]
        #[must_use = "a builder does nothing until it is sent or built"]
        pub struct #builder<S = ()> {
            request: #request,
            service: ::core::marker::PhantomData<S>,
        }

        impl<S> #builder<S> {
            /// Continues building `request`.
            pub fn from_request(request: #request) -> Self {
                #builder { request, service: ::core::marker::PhantomData }
            }

            #(#setters)*

            /// The finished request (validate it, or hand it to the client, which validates).
            pub fn build(self) -> #request {
                self.request
            }
        }

        impl<S: ServiceMarker> #builder<S> {
            #(#typed_setters)*
        }

        impl<S> ::core::convert::From<#builder<S>> for #request {
            fn from(builder: #builder<S>) -> #request {
                builder.request
            }
        }

        impl<S> ::eftpay::IntoRequest for #builder<S> {
            type Request = #request;
            fn into_request(self) -> #request {
                self.request
            }
        }

        #by
    }
}

/// For interfaces without service rows (web query): `QueryRequest::by_out_trade_no(…)`, one
/// constructor per field of the first at-least-one-of group.
fn rowless_constructors(i: &Interface, spec: &Spec, has_rows: bool) -> TokenStream {
    if has_rows {
        return TokenStream::new();
    }
    let request = outgoing_name(i);
    let builder = builder_name(i);
    let constructors = constructor_variants(i).into_iter().map(|(method, pick)| {
        let mandatory: Vec<&Field> = i.fields.iter().filter(|f| f.is_caller_set() && f.is_mandatory()).collect();
        let params: Vec<TokenStream> = mandatory.iter().chain(&pick).map(|f| param(spec, f)).collect();
        let allow_many = allow_many_arguments(params.len());
        let args = mandatory.iter().map(|f| ident(&f.rust));
        let method = ident(&method);
        let d = doc(&format!("Starts a `{}` request.", i.name));
        let start = match pick.map(set_picked) {
            Some(set) => quote! {
                let mut request = #request::new(#(#args),*);
                #set
                #builder::from_request(request)
            },
            None => quote! { #builder::from_request(#request::new(#(#args),*)) },
        };
        quote! {
            #d
            #allow_many
            pub fn #method(#(#params),*) -> #builder {
                #start
            }
        }
    });
    quote! {
        impl #request {
            #(#constructors)*
        }
    }
}

/// One row: its marker's `ServiceMarker` impl (with the row as data), the column markers it
/// takes, and its constructor.
fn row(s: &Service, spec: &Spec) -> TokenStream {
    let name = ident(&s.rust);
    let i = spec.interface(s.interface);
    let b = spec.builtin;
    let value_wires = |id: Option<EnumId>, values: &[usize]| -> Vec<String> {
        id.map(|id| values.iter().map(|v| spec.value(id, *v).wire.clone()).collect()).unwrap_or_default()
    };
    let (wire, iname, d) = (&s.wire, &i.name, &s.doc);
    let rust = &s.rust;
    let pay_type = s.pay_type.map(|p| &spec.value(b.pay_type, p).wire).map(|p| quote! { .with_pay_type(#p) });
    let wallets = value_wires(Some(b.wallet), &s.wallets);
    let pay_scenes = value_wires(b.pay_scene, &s.pay_scenes);
    let langs = value_wires(b.lang, &s.langs);
    let flags = s.flags.iter().map(|f| &spec.flag(*f).name);
    let notify = notifications(s.notifications);
    let by_wallet = s.wallet_notifications.iter().map(|(w, n)| {
        let (w, n) = (&spec.value(b.wallet, *w).wire, notifications(*n));
        quote! { (#w, #n) }
    });
    let pairs = |list: &[(String, String)]| {
        let entries = list.iter().map(|(k, v)| quote! { (#k, #v) });
        quote! { &[#(#entries),*] }
    };
    // Each list the row has is a setter; an empty one is the constructor's default.
    let mut parts = vec![pay_type];
    let mut list = |setter: &str, empty: bool, items: TokenStream| {
        let setter = format_ident!("{setter}");
        parts.push((!empty).then(|| quote! { .#setter(#items) }));
    };
    list("with_wallets", wallets.is_empty(), quote! { &[#(#wallets),*] });
    list("with_pay_scenes", pay_scenes.is_empty(), quote! { &[#(#pay_scenes),*] });
    list("with_langs", langs.is_empty(), quote! { &[#(#langs),*] });
    list("with_flags", s.flags.is_empty(), quote! { &[#(#flags),*] });
    list("with_wallet_notifications", s.wallet_notifications.is_empty(), quote! { &[#(#by_wallet),*] });
    list("with_defaults", s.defaults.is_empty(), pairs(&s.defaults));
    list("with_fixed", s.fixed.is_empty(), pairs(&s.fixed));
    let allowed = s.values.iter().map(|(wire, values)| quote! { (#wire, &[#(#values),*]) });
    list("with_values", s.values.is_empty(), quote! { &[#(#allowed),*] });
    let column_impls = columns(spec).into_iter().flat_map(|c| {
        let Some(enum_id) = c.enum_id else { return Vec::new() };
        let (module, of) = (ident(c.module), ident(c.of));
        row_values(s, c.concept)
            .iter()
            .map(|v| {
                let value = ident(&spec.value(enum_id, *v).rust);
                quote! {
                    #[diagnostic::do_not_recommend]
                    impl #of<services::#name> for #module::#value {}
                }
            })
            .collect()
    });
    let constructors = row_constructors(s, i, spec);
    let calls = constructor_calls(s, i, spec);
    list("with_constructors", calls.is_empty(), quote! { &[#(#calls),*] });
    quote! {
        impl ServiceMarker for services::#name {
            const SERVICE: Service = Service::#name;
            const INFO: &'static ::eftpay::catalog::ServiceInfo =
                &::eftpay::catalog::ServiceInfo::new(#wire, #rust, #iname, #notify, #d) #(#parts)*;
        }

        impl services::#name {
            /// This service's row of the service table.
            pub const fn info() -> &'static ::eftpay::catalog::ServiceInfo {
                <Self as ServiceMarker>::INFO
            }

            #(#constructors)*
        }

        #(#column_impls)*
    }
}

/// The row's constructors as a caller writes them, for people reading the catalog
/// (`services::AlipayQrcodePreOrder::place_order(wallets::AlipayCn, transaction_amount, …)`):
/// the first wallet's marker where one is passed, the field names otherwise. A constructor the
/// row cannot have (a column it does not fill) is left out, as in [`row_constructors`].
fn constructor_calls(s: &Service, i: &Interface, spec: &Spec) -> Vec<String> {
    let wallet = s.wallets.first().map(|w| &spec.value(spec.builtin.wallet, *w).rust);
    row_constructor_signatures(s, i, spec)
        .into_iter()
        .filter(|signature| signature.args.iter().all(|a| !matches!(a, Arg::Row(f) if row_arg(s, spec, f).is_none())))
        .filter_map(|signature| {
            let params = signature
                .params
                .iter()
                .map(|p| match p {
                    Param::Wallet => wallet.map(|w| format!("wallets::{w}")),
                    Param::Field(f) => Some(f.rust.clone()),
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("services::{}::{}({})", s.rust, signature.method, params.join(", ")))
        })
        .collect()
}

/// `rust: Type`: a constructor's parameter for field `f`.
fn param(spec: &Spec, f: &Field) -> TokenStream {
    let rust = ident(&f.rust);
    let ty = param_type(spec, f);
    quote! { #rust: #ty }
}

/// The statement setting a `by_…` constructor's picked at-least-one-of member on the request.
fn set_picked(f: &Field) -> TokenStream {
    let rust = ident(&f.rust);
    let value = param_into(f, &rust);
    quote! { request.#rust = ::core::option::Option::Some(#value); }
}

/// The row's constructors: `services::X::place_order(wallet, …)` (or `…_by_out_trade_no`
/// per at-least-one-of member), passing the row's values and the caller's to the request's `new`.
fn row_constructors(s: &Service, i: &Interface, spec: &Spec) -> Vec<TokenStream> {
    let request = outgoing_name(i);
    let builder = builder_name(i);
    row_constructor_signatures(s, i, spec)
        .into_iter()
        .filter_map(|signature| {
            let method = format_ident!("{}", signature.method);
            let mut generics = Vec::new();
            let mut params = Vec::new();
            for p in &signature.params {
                match p {
                    Param::Wallet => {
                        generics.push(quote! { W: WalletFor<Self> });
                        params.push(quote! { wallet: W });
                    }
                    Param::Field(f) => params.push(param(spec, f)),
                }
            }
            let args = signature
                .args
                .iter()
                .map(|a| match a {
                    Arg::Wallet => Some(quote! { WalletFor::<Self>::wallet(&wallet) }),
                    Arg::Row(f) => {
                        let value = row_arg(s, spec, f)?;
                        let (set, value) = (ident(value.set), ident(value.rust));
                        Some(quote! { #set::#value })
                    }
                    Arg::Given(f) => {
                        let rust = ident(&f.rust);
                        Some(quote! { #rust })
                    }
                })
                .collect::<Option<Vec<_>>>()?;
            let set: Vec<TokenStream> =
                signature.required.iter().copied().chain(signature.pick).map(set_picked).collect();
            let what = if generics.is_empty() {
                String::new()
            } else {
                let wallets: Vec<&str> =
                    s.wallets.iter().map(|w| spec.value(spec.builtin.wallet, *w).wire.as_str()).collect();
                format!(
                    "; the wallet must be one of this service's ({}), or it does not compile (a wallet stored as text: `RowWallet::parse`)",
                    wallets.join(", ")
                )
            };
            let always = if signature.required.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = signature.required.iter().map(|f| format!("`{}`", f.wire)).collect();
                format!(" It also takes {}, which this service always requires.", names.join(", "))
            };
            let d = doc(&format!("Starts a `{}` request for `{}`{what}.{always}", i.name, s.wire));
            let allow_many = allow_many_arguments(params.len());
            let start = if set.is_empty() {
                quote! { #builder::from_request(#request::new(#(#args),*)) }
            } else {
                quote! {
                    let mut request = #request::new(#(#args),*);
                    #(#set)*
                    #builder::from_request(request)
                }
            };
            Some(quote! {
                #d
                #allow_many
                pub fn #method<#(#generics),*>(#(#params),*) -> #builder<Self> {
                    #start
                }
            })
        })
        .collect()
}
