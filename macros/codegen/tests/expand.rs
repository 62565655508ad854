#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly
//! Expansion snapshots: the code generated for the real spec and for the fixture spec, printed
//! with prettyplease. `tests/src/lib.rs` compiles these very snapshots, so a snapshot that
//! would not compile fails CI.

use std::path::Path;

use eftpay_codegen::source::read_dir;

fn expand(relative: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join(relative), &root).expect("spec folder is readable");
    let checked = eftpay_codegen::check(&files);
    assert!(checked.errors.is_empty(), "spec errors:\n{}", checked.errors.join("\n\n"));
    let file: syn::File = syn::parse2(eftpay_codegen::items(&checked.spec, &eftpay_codegen::Options::default()))
        .expect("expansion parses as a Rust file");
    prettyplease::unparse(&file)
}

#[test]
fn real_spec_expansion() {
    insta::assert_snapshot!("real_spec", expand("spec"));
}

#[test]
fn minimal_fixture_expansion() {
    insta::assert_snapshot!("minimal_fixture", expand("tests/fixtures/minimal"));
}

#[test]
fn every_spec_file_is_tracked_for_rebuilds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join("spec"), &root).expect("spec folder is readable");
    let expansion = eftpay_codegen::expand_files(&files, &eftpay_codegen::Options::default()).to_string();
    assert_eq!(expansion.matches("include_bytes").count(), files.len());
    for file in &files {
        let path = file.path.to_str().expect("utf-8 path");
        assert!(expansion.contains(&format!("{path:?}")), "{path} is not tracked");
    }
}

#[test]
fn with_doc_examples_every_service_page_carries_one_and_without_none_does() {
    // The real spec, whose examples rustdoc compiles and runs, and an invented scene.
    for spec in ["spec", "tests/fixtures/kiosk"] {
        service_pages_carry_examples(spec);
    }
}

fn service_pages_carry_examples(spec: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join(spec), &root).expect("spec folder is readable");
    let checked = eftpay_codegen::check(&files);
    let options = eftpay_codegen::Options { doc_examples_at: Some("eftpay".to_owned()) };
    let pages = |options: &eftpay_codegen::Options| -> Vec<(String, String)> {
        let file: syn::File = syn::parse2(eftpay_codegen::items(&checked.spec, options)).unwrap();
        let services = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "services" => m.content.as_ref().map(|(_, items)| items),
                _ => None,
            })
            .expect("a services module");
        services
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((s.ident.to_string(), doc_text(&s.attrs))),
                _ => None,
            })
            .collect()
    };
    let with = pages(&options);
    assert_eq!(with.len(), checked.spec.services.len());
    for (name, page) in &with {
        assert!(page.contains("# Example"), "{name} has no example:\n{page}");
        assert!(page.contains(&format!("eftpay::services::{name}::")), "{name}'s example calls another service");
    }
    assert!(pages(&eftpay_codegen::Options::default()).iter().all(|(_, page)| !page.contains("# Example")));
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}
