//! Turns the committed insta snapshots of the expansion into plain Rust files, which
//! `src/lib.rs` compiles: the snapshots must not only match, they must build.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let snapshots = Path::new("../macros/codegen/tests/snapshots");
    println!("cargo::rerun-if-changed={}", snapshots.display());
    for (snapshot, target) in
        [("expand__real_spec.snap", "real_spec.rs"), ("expand__minimal_fixture.snap", "minimal_fixture.rs")]
    {
        let text = std::fs::read_to_string(snapshots.join(snapshot)).unwrap_or_default();
        // An insta snapshot is `---` header `---` then the body.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        if let Err(error) = std::fs::write(Path::new(&out).join(target), body) {
            println!("cargo::warning=cannot write {target}: {error}");
        }
    }
}
