//! `include_spec!("spec")` — expands eftPay's API tables into the typed API.
//!
//! A thin shell: it resolves the path against the invoking crate's `CARGO_MANIFEST_DIR` and
//! hands over to `eftpay-codegen`, where all logic and tests live (proc-macro crates cannot be
//! called from tests).

use proc_macro::TokenStream;
use std::path::PathBuf;

use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

/// Expands every `*.toml` under the given folder (relative to the invoking crate's
/// `Cargo.toml`) into enums, request/response structs, validators and the typed per-service
/// API. Spec errors become compile errors naming `file:line:column`.
///
/// `include_spec!("spec", doc_examples_at = "eftpay")` also writes an example on every
/// `services::…` page, with paths starting at the given one: use it where the generated items
/// are reachable from other crates at that path, since rustdoc compiles the examples as doc
/// tests.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    let Input { path, options } = match syn::parse::<Input>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error().into(),
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        let message = "include_spec! needs CARGO_MANIFEST_DIR; build it with cargo";
        return syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error().into();
    };
    eftpay_codegen::expand_dir(&manifest_dir, &path, &options).into()
}

/// The macro's input: the spec folder, then `key = "value"` options.
struct Input {
    path: String,
    options: eftpay_codegen::Options,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Input> {
        let path = input.parse::<LitStr>()?.value();
        let mut options = eftpay_codegen::Options::default();
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            if key == "doc_examples_at" {
                options.doc_examples_at = Some(value.value());
            } else {
                let message = format!(
                    "include_spec! has no option `{key}`; the one it takes is `doc_examples_at = \"crate_name\"`"
                );
                return Err(syn::Error::new(key.span(), message));
            }
        }
        if !input.is_empty() {
            return Err(input.error("expected `, doc_examples_at = \"crate_name\"` after the spec folder"));
        }
        Ok(Input { path, options })
    }
}
