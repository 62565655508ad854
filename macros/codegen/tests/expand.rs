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
    let file: syn::File = syn::parse2(eftpay_codegen::items(&checked.spec)).expect("expansion parses as a Rust file");
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
    let expansion = eftpay_codegen::expand_files(&files).to_string();
    assert_eq!(expansion.matches("include_bytes").count(), files.len());
    for file in &files {
        let path = file.path.to_str().expect("utf-8 path");
        assert!(expansion.contains(&format!("{path:?}")), "{path} is not tracked");
    }
}
