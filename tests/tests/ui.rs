//! Compile-fail cases: spec mistakes are compile errors that point into the TOML, and misuse of
//! the typed API (a wallet, pay_scene or lang the service does not take) does not compile, and a
//! misspelt option of `include_spec!` is refused by name, and the plumbing generated code
//! calls is not reachable by a public path (`ui/surface`).
//!
//! Spec cases are the minimal fixture with one mistake each, staged into trybuild's scratch
//! crate (its CARGO_MANIFEST_DIR) before the run, so the macro finds them by relative path.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test setup may fail loudly

use std::path::{Path, PathBuf};

/// (case, file, text to find, replacement)
const SPEC_CASES: &[(&str, &str, &str, &str)] = &[
    ("wallet_enum_without_concept", "interfaces/place_order.toml", "concept = \"wallet\"\n", ""),
    ("syntax_error", "services.toml", "pay_type = \"Demo\"", "pay_type = \"Demo"),
    ("unknown_wallet", "services.toml", "wallets = [\"DEMOA\", \"DEMOB\"]", "wallets = [\"DEMOA\", \"DEMOX\"]"),
    ("duplicate_field", "interfaces/place_order.toml", "wire = \"out_trade_no\"", "wire = \"transaction_amount\""),
    ("unknown_field_type", "interfaces/place_order.toml", "type = \"amount\"", "type = \"amonut\""),
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// trybuild builds cases in `<target>/tests/trybuild/<crate>`; the macro resolves paths there.
fn trybuild_crate_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").to_path_buf();
    target.join("tests").join("trybuild").join(env!("CARGO_PKG_NAME"))
}

fn stage_spec_cases() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/minimal");
    let staging = trybuild_crate_dir().join("spec_cases");
    for (case, file, find, replace) in SPEC_CASES {
        let dir = staging.join(case);
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&fixture, &dir);
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(find), "{case}: fixture {file} lacks `{find}`");
        std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    }
}

#[test]
fn ui() {
    stage_spec_cases();
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/spec/*.rs");
    t.compile_fail("ui/typed/*.rs");
    t.compile_fail("ui/macro/*.rs");
    t.compile_fail("ui/surface/*.rs");
    t.pass("ui/pass/*.rs");
}
