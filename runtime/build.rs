//! Rebuilds the crate when anything under spec/ changes — including files added there, which
//! the macro's `include_bytes!` tracking cannot see (it tracks only the files it read).
//!
//! `spec` in this package is a link to the repository's top-level `spec/`, where maintainers
//! edit the tables; `cargo package` copies the files it points to, so the published crate
//! carries the spec it was built from.

fn main() {
    println!("cargo::rerun-if-changed=spec");
}
