//! Messages the merchant builds and signs (requests, the acknowledgement): a struct with one
//! public field per caller-set wire field, a constructor taking the required ones, `validate()`
//! that reports every violation, and the signed-field walk in ASCII order of wire name, fixed
//! at compile time so signing needs no map and no sort (DESIGN principle 5).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{concept_fields, doc, field_init, ident, param_type, read_field, value_type};
use crate::model::{Concept, Field, FieldType, Interface, InterfaceKind, Spec};

/// Name of the outgoing struct: `PlaceOrderRequest` for requests, the interface's own name
/// for the acknowledgement.
pub fn struct_name(i: &Interface) -> Ident {
    match i.kind {
        InterfaceKind::Request => format_ident!("{}Request", i.rust),
        _ => ident(&i.rust),
    }
}

pub fn emit(i: &Interface, spec: &Spec) -> TokenStream {
    let name = struct_name(i);
    let caller: Vec<&Field> = i.fields.iter().filter(|f| f.is_caller_set()).collect();
    let struct_doc = doc(&i.doc);
    let members = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = value_type(&f.ty);
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
    let params = mandatory.iter().map(|f| {
        let rust = ident(&f.rust);
        let ty = param_type(&f.ty);
        quote! { #rust: #ty }
    });
    let inits = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        if f.is_mandatory() {
            let init = field_init(&f.ty, &rust);
            quote! { #init, }
        } else {
            quote! { #rust: ::core::option::Option::None, }
        }
    });
    let validations = validate_body(i, spec);
    let reads = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let read = match read_field(wire, &f.ty) {
            (read, true) => read,
            (read, false) => quote! { ::core::result::Result::<_, ::eftpay::IncomingError>::Ok(#read) },
        };
        quote! {
            let #rust = match #read {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(error) => {
                    violations.malformed(#wire, &error);
                    ::core::option::Option::None
                }
            };
        }
    });
    let read_names: Vec<_> = caller.iter().map(|f| ident(&f.rust)).collect();
    let read_patterns = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        if f.is_mandatory() {
            quote! { ::core::option::Option::Some(#rust) }
        } else {
            quote! { #rust }
        }
    });
    let field_names = read_names.clone();
    let missing = caller.iter().filter(|f| f.is_mandatory()).map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        quote! { if #rust.is_none() && !violations.has(#wire, ::eftpay::Rule::Malformed) { violations.missing(#wire); } }
    });
    let walk = walk_body(i);
    let mut signed: Vec<&str> =
        i.fields.iter().filter(|f| f.concept != Some(Concept::Sign)).map(|f| f.wire.as_str()).collect();
    signed.sort_unstable();
    let iface_name = &i.name;
    let iface_variant = ident(&i.rust);
    let concepts = concept_fields(&i.fields);
    let request_impl = match (i.kind, &i.endpoint) {
        (InterfaceKind::Request, Some(endpoint)) => {
            let response = format_ident!("{}Response", i.rust);
            let retry = if i.retry_safe {
                quote! { Safe }
            } else {
                quote! { Never }
            };
            quote! {
                impl ::eftpay::Request for #name {
                    const ENDPOINT: &'static str = #endpoint;
                    const RETRY: ::eftpay::rules::RetryPolicy = ::eftpay::rules::RetryPolicy::#retry;
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
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits)* }
            }

            /// Checks every rule the spec states for this message and reports every violation,
            /// each naming the wire field and the rule. The client calls this before sending.
            ///
            /// # Errors
            /// `eftpay::Violations`, listing every violated rule.
            pub fn validate(&self) -> ::core::result::Result<(), ::eftpay::Violations> {
                let mut violations = ::eftpay::Violations::new(#iface_name);
                #validations
                violations.into_result()
            }
        }

        impl #name {
            /// Reads this message as a gateway receives it (the sandbox does): every field the
            /// spec lists, typed; anything missing or malformed is reported, with the same
            /// [`Violations`](::eftpay::Violations) `validate()` uses. Client-filled fields
            /// (`user_confirm_key`, `time`, `sign`) stay in `fields`.
            ///
            /// # Errors
            /// Every required field that is missing and every field that cannot be its type.
            pub fn from_received(fields: &::eftpay::ReceivedFields) -> ::core::result::Result<Self, ::eftpay::Violations> {
                let mut violations = ::eftpay::Violations::new(#iface_name);
                #(#reads)*
                #(#missing)*
                match (#(#read_names,)*) {
                    (#(#read_patterns,)*) if violations.is_empty() => ::core::result::Result::Ok(#name { #(#field_names,)* }),
                    _ => ::core::result::Result::Err(violations),
                }
            }
        }

        impl ::eftpay::OutgoingMessage for #name {
            const INTERFACE: &'static str = #iface_name;
            const SIGNED_FIELDS: &'static [&'static str] = &[#(#signed),*];
            const CONCEPT_FIELDS: &'static [(::eftpay::rules::Concept, &'static str)] = #concepts;

            fn validate(&self) -> ::core::result::Result<(), ::eftpay::Violations> {
                #name::validate(self)
            }

            fn write_fields(&self, envelope: &::eftpay::Envelope<'_>, sink: &mut dyn ::eftpay::FieldSink) {
                #walk
            }
        }

        impl #name {
            /// The interface this message belongs to.
            pub const INTERFACE: Interface = Interface::#iface_variant;
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
        // `place` is `self.field` (a value) or `value` (a reference); method calls auto-ref
        // both, `reference` is the place borrowed.
        let write = |place: TokenStream, reference: TokenStream| -> TokenStream {
            match &f.ty {
                FieldType::Text | FieldType::Url => quote! { sink.text(#wire, #reference); },
                FieldType::Enum(_) => quote! { sink.text(#wire, #place.as_str()); },
                FieldType::Amount | FieldType::Seconds => quote! { sink.text(#wire, &#place.to_string()); },
                FieldType::Time => quote! { sink.text(#wire, &#place.to_compact()); },
                FieldType::DateTime => quote! { sink.text(#wire, &#place.to_dashed()); },
                FieldType::Object(_) | FieldType::ObjectArray(_) => {
                    quote! { sink.json(#wire, &::eftpay::signing::nested_value_text(#reference)); }
                }
            }
        };
        if f.is_mandatory() {
            write(quote! { self.#rust }, quote! { &self.#rust })
        } else {
            let step = write(quote! { value }, quote! { value });
            quote! { if let ::core::option::Option::Some(value) = &self.#rust { #step } }
        }
    });
    quote! { #(#steps)* }
}

fn validate_body(i: &Interface, spec: &Spec) -> TokenStream {
    let caller: Vec<&Field> = i.fields.iter().filter(|f| f.is_caller_set()).collect();
    let per_field = caller.iter().map(|f| value_checks(f));
    let service_field = caller.iter().find(|f| f.concept == Some(Concept::Service));
    let service_checks = service_field.map(|s| service_checks(i, s, &caller, spec));
    let only_when = caller.iter().filter_map(|f| {
        let cond = f.only_when.as_ref()?;
        let other = i.fields.iter().find(|o| o.wire == cond.field)?;
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let other_rust = ident(&other.rust);
        let other_wire = &other.wire;
        let values = &cond.values;
        let present = if f.is_mandatory() {
            quote! { true }
        } else {
            quote! { self.#rust.is_some() }
        };
        let other_value = if other.is_mandatory() {
            quote! { ::core::option::Option::Some(self.#other_rust.as_str()) }
        } else {
            quote! { self.#other_rust.as_ref().map(|v| v.as_str()) }
        };
        Some(quote! {
            violations.check_only_when(#wire, #present, #other_wire, #other_value, &[#(#values),*]);
        })
    });
    let groups = i.at_least_one_of.iter().map(|group| {
        let entries = group.iter().filter_map(|w| {
            let f = i.fields.iter().find(|f| f.wire == *w)?;
            let rust = ident(&f.rust);
            Some(quote! { (#w, self.#rust.as_ref().is_some_and(|v| !v.is_empty())) })
        });
        quote! { violations.check_at_least_one(&[#(#entries),*]); }
    });
    let limits = caller.iter().filter_map(|f| {
        let other = i.fields.iter().find(|o| Some(&o.wire) == f.not_above.as_ref())?;
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let other_rust = ident(&other.rust);
        let other_wire = &other.wire;
        Some(if f.is_mandatory() {
            quote! { violations.check_not_above(#wire, self.#rust, #other_wire, self.#other_rust); }
        } else {
            quote! { if let ::core::option::Option::Some(value) = self.#rust { violations.check_not_above(#wire, value, #other_wire, self.#other_rust); } }
        })
    });
    quote! {
        #(#per_field)*
        #service_checks
        #(#only_when)*
        #(#groups)*
        #(#limits)*
    }
}

/// Checks of a field's own value: length, amount, URL form, known enum value.
fn value_checks(f: &Field) -> TokenStream {
    let rust = ident(&f.rust);
    let wire = &f.wire;
    let max = match f.max_len {
        Some(m) => quote! { ::core::option::Option::Some(#m) },
        None => quote! { ::core::option::Option::None },
    };
    let required = f.is_mandatory();
    let check = |value: TokenStream| -> TokenStream {
        match &f.ty {
            FieldType::Text => quote! { violations.check_text(#wire, #value, #max, #required); },
            FieldType::Url => {
                let no_query = f.no_query;
                quote! { violations.check_url(#wire, #value, #max, #required, #no_query); }
            }
            FieldType::Amount => quote! { violations.check_amount(#wire, #value, #max); },
            FieldType::Seconds => quote! { violations.check_seconds(#wire, #value); },
            FieldType::Enum(_) => quote! { violations.check_known(#wire, #value); },
            FieldType::Time | FieldType::DateTime | FieldType::Object(_) | FieldType::ObjectArray(_) => {
                TokenStream::new()
            }
        }
    };
    if required {
        check(quote! { &self.#rust })
    } else {
        let inner = check(quote! { value });
        if inner.is_empty() {
            return inner;
        }
        quote! { if let ::core::option::Option::Some(value) = &self.#rust { #inner } }
    }
}

/// Checks against the service's row: right interface, payType, wallet, pay_scene, lang, and
/// the per-service flags (`required_unless`, `forbidden_with`).
fn service_checks(i: &Interface, service: &Field, caller: &[&Field], spec: &Spec) -> TokenStream {
    let service_rust = ident(&service.rust);
    let service_wire = &service.wire;
    let iface_variant = ident(&i.rust);
    let concept_checks = caller.iter().filter_map(|f| {
        let (column, label) = match f.concept? {
            Concept::PayType => (quote! { ::core::slice::from_ref(&rules.pay_type) }, "payType"),
            Concept::Wallet => (quote! { rules.wallets }, "wallets"),
            Concept::PayScene => (quote! { rules.pay_scenes }, "pay_scenes"),
            Concept::Lang => (quote! { rules.langs }, "langs"),
            _ => return None,
        };
        let rust = ident(&f.rust);
        let wire = &f.wire;
        Some(if f.is_mandatory() {
            quote! { violations.check_member(#wire, &self.#rust, #column, service, #label); }
        } else {
            quote! { if let ::core::option::Option::Some(value) = &self.#rust { violations.check_member(#wire, value, #column, service, #label); } }
        })
    });
    let flag_checks = caller.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let flag_ident =
            |name: &String| spec.flags.iter().find(|x| x.name == *name).map(|x| (ident(&x.rust), x.name.clone()));
        let unless = f.required_unless.as_ref().and_then(flag_ident).map(|(flag, flag_name)| {
            quote! {
                if self.#rust.is_none() && !rules.has_flag(ServiceFlag::#flag) {
                    violations.required_for_service(#wire, service, #flag_name);
                }
            }
        });
        let forbidden = f.forbidden_with.as_ref().and_then(flag_ident).map(|(flag, flag_name)| {
            let present = if f.is_mandatory() {
                quote! { true }
            } else {
                quote! { self.#rust.is_some() }
            };
            quote! {
                if #present && rules.has_flag(ServiceFlag::#flag) {
                    violations.forbidden_for_service(#wire, service, #flag_name, ServiceFlag::#flag.doc());
                }
            }
        });
        quote! { #unless #forbidden }
    });
    quote! {
        match self.#service_rust.rules() {
            ::core::option::Option::Some(rules) if rules.interface != Interface::#iface_variant => {
                violations.wrong_interface(#service_wire, self.#service_rust.as_str(), rules.interface.name());
            }
            ::core::option::Option::Some(rules) => {
                let service = self.#service_rust.as_str();
                #(#concept_checks)*
                #(#flag_checks)*
            }
            ::core::option::Option::None => {}
        }
    }
}
