//! Turns the committed insta snapshots of the expansion into plain Rust files, which
//! `src/lib.rs` compiles: the snapshots must not only match, they must build. A snapshot that
//! is missing or has no body fails the build — an empty module would compile and prove nothing.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let snapshots = Path::new("../macros/codegen/tests/snapshots");
    println!("cargo::rerun-if-changed={}", snapshots.display());
    for (snapshot, target) in
        [("expand__real_spec.snap", "real_spec.rs"), ("expand__minimal_fixture.snap", "minimal_fixture.rs")]
    {
        let path = snapshots.join(snapshot);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                println!(
                    "cargo::error=cannot read the expansion snapshot {}: {error}; run `cargo test -p eftpay-codegen --test expand` and accept it (spec/README.md)",
                    path.display()
                );
                continue;
            }
        };
        // An insta snapshot is `---` header `---` then the body.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        if body.trim().is_empty() {
            println!("cargo::error=the expansion snapshot {} has no body after its header", path.display());
            continue;
        }
        if let Err(error) = std::fs::write(Path::new(&out).join(target), body) {
            println!("cargo::error=cannot write {target} into OUT_DIR: {error}");
        }
    }
}
