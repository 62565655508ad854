//! `include_spec!("../spec")` — expands eftPay's API tables into the typed API.
//!
//! A thin shell: it resolves the path against the invoking crate's `CARGO_MANIFEST_DIR` and
//! hands over to `eftpay-codegen`, where all logic and tests live (proc-macro crates cannot be
//! called from tests).

use proc_macro::TokenStream;
use std::path::PathBuf;

/// Expands every `*.toml` under the given folder (relative to the invoking crate's
/// `Cargo.toml`) into enums, request/response structs, validators and the typed per-service
/// API. Spec errors become compile errors naming `file:line:column`.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    let path = match syn::parse::<syn::LitStr>(input) {
        Ok(lit) => lit.value(),
        Err(error) => return error.to_compile_error().into(),
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        let message = "include_spec! needs CARGO_MANIFEST_DIR; build it with cargo";
        return syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error().into();
    };
    eftpay_codegen::expand_dir(&manifest_dir, &path).into()
}
