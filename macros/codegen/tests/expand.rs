#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly
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
