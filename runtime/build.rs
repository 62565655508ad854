//! Rebuilds the crate when anything under spec/ changes — including files added there, which
//! the macro's `include_bytes!` tracking cannot see (it tracks only the files it read).

fn main() {
    println!("cargo::rerun-if-changed=../spec");
}
