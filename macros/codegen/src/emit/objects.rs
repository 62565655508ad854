//! Nested JSON objects (the ATOME tables). Field order is declaration order, which is also the
//! key order of the compact JSON text that gets signed (eftpay-api.md §2, an assumption).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::model::{Object, ObjectFieldType};

pub fn emit(o: &Object) -> TokenStream {
    let name = ident(&o.rust);
    let d = doc(&o.doc);
    let fields = o.fields.iter().map(|f| {
        let rust = ident(&f.rust);
        let wire = &f.wire;
        let fd = doc(&format!("`{}` — {}", f.wire, f.doc));
        match f.ty {
            ObjectFieldType::Text => quote! {
                #fd
                #[serde(rename = #wire, default, skip_serializing_if = "::core::option::Option::is_none")]
                pub #rust: ::core::option::Option<::std::string::String>,
            },
            ObjectFieldType::Integer => quote! {
                #fd
                #[serde(rename = #wire, default, skip_serializing_if = "::core::option::Option::is_none")]
                pub #rust: ::core::option::Option<i64>,
            },
            ObjectFieldType::TextArray => quote! {
                #fd
                #[serde(rename = #wire, default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub #rust: ::std::vec::Vec<::std::string::String>,
            },
        }
    });
    let members: Vec<TokenStream> = o
        .fields
        .iter()
        .map(|f| {
            let rust = ident(&f.rust);
            let wire = &f.wire;
            match f.ty {
                ObjectFieldType::Text | ObjectFieldType::Integer => quote! { .member(#wire, self.#rust.as_ref()) },
                ObjectFieldType::TextArray => {
                    quote! { .member(#wire, (!self.#rust.is_empty()).then_some(&self.#rust)) }
                }
            }
        })
        .collect();
    let body = if members.is_empty() {
        quote! { ::eftpay::json_text::ObjectWriter::new(out).finish(); }
    } else {
        quote! {
            let mut object = ::eftpay::json_text::ObjectWriter::new(out);
            object #(#members)*;
            object.finish();
        }
    };
    quote! {
        impl ::eftpay::json_text::NestedJson for #name {
            fn write_json(&self, out: &mut ::std::string::String) {
                #body
            }
        }

        #d
        #[derive(Clone, Debug, Default, PartialEq, Eq, ::eftpay::__private::serde::Serialize, ::eftpay::__private::serde::Deserialize)]
        #[serde(crate = "::eftpay::__private::serde")]
        pub struct #name {
            #(#fields)*
        }
    }
}
