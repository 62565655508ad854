//! Turns the committed insta snapshots of the expansion into plain Rust files, which
//! `src/lib.rs` compiles: the snapshots must not only match, they must build. A snapshot that
//! is missing or has no body fails the build — an empty module would compile and prove nothing.
//!
//! The real spec's expansion is snapshotted in parts (what the scenes share, what lists them,
//! one part per scene; `macros/codegen/tests/expand.rs`): they are joined here into one file,
//! the items of a module that several parts hold merged into one module.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let snapshots = Path::new("../macros/codegen/tests/snapshots");
    println!("cargo::rerun-if-changed={}", snapshots.display());
    let mut parts: Vec<String> = match std::fs::read_dir(snapshots) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with("expand__real_spec") && name.ends_with(".snap"))
            .collect(),
        Err(error) => {
            println!("cargo::error=cannot read the snapshot folder {}: {error}", snapshots.display());
            return;
        }
    };
    parts.sort();
    if parts.is_empty() {
        println!(
            "cargo::error=no expansion snapshot of the real spec in {}; run `cargo test -p eftpay-codegen --test expand` and accept them (spec/README.md)",
            snapshots.display()
        );
    }
    let mut joined = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: Vec::new() };
    for part in &parts {
        let Some(body) = body(&snapshots.join(part)) else { continue };
        match syn::parse_file(&body) {
            Ok(file) => {
                joined.attrs = file.attrs;
                merge(&mut joined.items, file.items);
            }
            Err(error) => println!("cargo::error=the expansion snapshot {part} is not Rust: {error}"),
        }
    }
    write(&out, "real_spec.rs", &prettyplease::unparse(&joined));
    if let Some(body) = body(&snapshots.join("expand__minimal_fixture.snap")) {
        write(&out, "minimal_fixture.rs", &body);
    }
}

/// A snapshot's body: an insta snapshot is `---` header `---` then the body.
fn body(path: &Path) -> Option<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            println!(
                "cargo::error=cannot read the expansion snapshot {}: {error}; run `cargo test -p eftpay-codegen --test expand` and accept it (spec/README.md)",
                path.display()
            );
            return None;
        }
    };
    let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
    if body.trim().is_empty() {
        println!("cargo::error=the expansion snapshot {} has no body after its header", path.display());
        return None;
    }
    Some(body.to_owned())
}

/// Appends `items` to `into`, the items of a module `into` already has going into that module.
fn merge(into: &mut Vec<syn::Item>, items: Vec<syn::Item>) {
    for item in items {
        match item {
            syn::Item::Mod(mut module) if module.content.is_some() => {
                let existing = into.iter_mut().find_map(|i| match i {
                    syn::Item::Mod(m) if m.ident == module.ident => m.content.as_mut(),
                    _ => None,
                });
                match (existing, module.content.take()) {
                    (Some((_, existing)), Some((_, inner))) => merge(existing, inner),
                    (_, content) => {
                        module.content = content;
                        into.push(syn::Item::Mod(module));
                    }
                }
            }
            item => into.push(item),
        }
    }
}

fn write(out: &str, target: &str, text: &str) {
    if let Err(error) = std::fs::write(Path::new(out).join(target), text) {
        println!("cargo::error=cannot write {target} into OUT_DIR: {error}");
    }
}
