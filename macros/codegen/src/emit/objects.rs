//! Nested JSON objects (the ATOME tables, and objects holding arrays of objects). Field order
//! is declaration order, which is also the key order of the compact JSON text that gets signed
//! (an assumption: eftPay does not document how nested values are signed).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::model::{Object, ObjectFieldType, Spec};

pub fn emit(o: &Object, spec: &Spec) -> TokenStream {
    let name = ident(&o.rust);
    let d = doc(&o.doc);
    let fields = o.fields.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let fd = doc(&format!("`{}` — {}", f.wire, f.doc));
        let (ty, skip) = match f.ty {
            ObjectFieldType::Text => {
                (quote! { ::core::option::Option<::std::string::String> }, "::core::option::Option::is_none")
            }
            ObjectFieldType::Integer => (quote! { ::core::option::Option<i64> }, "::core::option::Option::is_none"),
            ObjectFieldType::TextArray => {
                (quote! { ::std::vec::Vec<::std::string::String> }, "::std::vec::Vec::is_empty")
            }
            ObjectFieldType::Object(id) => {
                let other = ident(&spec.object(id).rust);
                (quote! { ::core::option::Option<#other> }, "::core::option::Option::is_none")
            }
            ObjectFieldType::ObjectArray(id) => {
                let other = ident(&spec.object(id).rust);
                (quote! { ::std::vec::Vec<#other> }, "::std::vec::Vec::is_empty")
            }
        };
        quote! {
            #fd
            #[serde(rename = #wire, default, skip_serializing_if = #skip)]
            pub #rust: #ty,
        }
    });
    let members: Vec<TokenStream> = o
        .fields
        .iter()
        .map(|f| {
            let rust = ident(&f.rust);
            let wire = &f.wire;
            match f.ty {
                ObjectFieldType::TextArray | ObjectFieldType::ObjectArray(_) => {
                    quote! { .member(#wire, (!self.#rust.is_empty()).then_some(&self.#rust)) }
                }
                _ => quote! { .member(#wire, self.#rust.as_ref()) },
            }
        })
        .collect();
    let body = if members.is_empty() {
        quote! { ::eftpay::__private::ObjectWriter::new(out).finish(); }
    } else {
        quote! {
            let mut object = ::eftpay::__private::ObjectWriter::new(out);
            object #(#members)*;
            object.finish();
        }
    };
    quote! {
        #d
        #[derive(Clone, Debug, Default, PartialEq, Eq, ::eftpay::__private::serde::Serialize, ::eftpay::__private::serde::Deserialize)]
        #[serde(crate = "::eftpay::__private::serde")]
        pub struct #name {
            #(#fields)*
        }

        impl ::eftpay::__private::NestedJson for #name {
            fn write_json(&self, out: &mut ::std::string::String) {
                #body
            }
        }
    }
}
