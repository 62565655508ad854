//! The generator behind `eftpay_macros::include_spec!`: reads eftPay's API tables from
//! `spec/*.toml`, checks them (every error of the pass, each pointing at `file:line:column`),
//! and emits the typed API.
//!
//! It is a plain library so that its logic, unit tests and expansion snapshots run outside the
//! compiler, as does its one bench (`benches/page_check.rs`, the page comparison's growth). The
//! proc-macro crate parses the macro's input (the spec folder and its `key = "value"`
//! [`Options`]) and calls [`expand_dir`] with the invoking crate's `CARGO_MANIFEST_DIR`.
//!
//! The spec's words (`purpose = "place_order"`, `concept = "out_trade_no"`, …) and the enums
//! they stand for are `eftpay-vocabulary`'s, which the runtime re-exports as `eftpay::rules`: the
//! generator writes paths to the very enums it parsed the words into.
//!
//! Pipeline: [`source`] reads files → `schema` parses the TOML shape → `resolve` checks
//! cross-references into the [`model`] → `emit` writes tokens. Beside it, [`page`] compares one
//! of eftPay's doc pages with the spec (`eftpay spec check PAGE`).

pub mod diagnostic;
mod emit;
mod keywords;
pub mod model;
mod names;
pub mod page;
mod resolve;
mod schema;
pub mod source;
mod suggest;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostic::{Diagnostics, Rendered};
use crate::model::Spec;
use crate::source::SpecFile;

/// The result of reading and checking a spec.
#[derive(Debug)]
pub struct Checked {
    /// The checked model (entries with errors left out).
    pub spec: Spec,
    /// Every error, rendered with file, line, column, source excerpt and help.
    pub errors: Vec<String>,
    /// The files read, to track for rebuilds.
    pub files: Vec<PathBuf>,
}

/// Reads and checks the spec files given.
pub fn check(files: &[SpecFile]) -> Checked {
    let mut diags = Diagnostics::new();
    let spec = resolve::resolve(files, &mut diags);
    let errors = diags.finish().iter().map(|d| Rendered { diagnostic: d, files }.to_string()).collect();
    Checked { spec, errors, files: files.iter().map(|f| f.path.clone()).collect() }
}

/// How an expansion is written, beyond what the spec says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The path another crate reaches the generated items at (`eftpay` for the SDK, which
    /// re-exports its generated API at the crate root). When set, every `services::…` page
    /// carries an example written with that path, compiled and run as a doc test of the crate;
    /// left unset (a fixture spec inside a test module), no example is written, since none
    /// could be compiled.
    pub doc_examples_at: Option<String>,
}

/// The generated items of a checked spec, written with `options`, without error or tracking
/// items (what the expansion snapshots show).
pub fn items(spec: &Spec, options: &Options) -> TokenStream {
    emit::spec_items(spec, options)
}

/// Everything the macro expands to: one `compile_error!` per spec error, the items (so one
/// error does not cascade into "cannot find type"), and an `include_bytes!` per spec file so
/// that editing the spec rebuilds the crate. Items are written with `options`.
pub fn expand_files(files: &[SpecFile], options: &Options) -> TokenStream {
    let checked = check(files);
    let errors = checked.errors.iter().map(|e| quote! { ::core::compile_error!(#e); });
    let tracked = checked
        .files
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| quote! { const _: &[u8] = ::core::include_bytes!(#p); });
    let items = items(&checked.spec, options);
    quote! {
        #(#errors)*
        #(#tracked)*
        #items
    }
}

/// Expands the spec folder `spec_path`, relative to `manifest_dir` (the invoking crate's
/// `CARGO_MANIFEST_DIR`, never the working directory), written with `options`.
pub fn expand_dir(manifest_dir: &Path, spec_path: &str, options: &Options) -> TokenStream {
    let joined = manifest_dir.join(spec_path);
    let dir = joined.canonicalize().unwrap_or(joined);
    let root = display_root(manifest_dir);
    match source::read_dir(&dir, &root) {
        Ok(files) if files.is_empty() => {
            let message = format!(
                "no *.toml spec files in {}; include_spec! takes the spec folder relative to the crate's Cargo.toml",
                dir.display()
            );
            quote! { ::core::compile_error!(#message); }
        }
        Ok(files) => expand_files(&files, options),
        Err(message) => quote! { ::core::compile_error!(#message); },
    }
}

/// The folder spec paths are shown relative to: the nearest ancestor of the crate holding a
/// `Cargo.lock` (the workspace root), so messages read `spec/services.toml:41:12`.
fn display_root(manifest_dir: &Path) -> PathBuf {
    let start = manifest_dir.canonicalize().unwrap_or_else(|_| manifest_dir.to_path_buf());
    start.ancestors().find(|dir| dir.join("Cargo.lock").is_file()).map_or_else(|| start.clone(), Path::to_path_buf)
}
