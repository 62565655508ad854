//! No file cycles in any crate of the workspace: a module names (`crate::x`) only modules below
//! it, so each file can be read knowing only what it uses. A cycle is reported with its files;
//! break it by moving what both sides need into a module of its own.
//!
//! The graph is read from the sources: a file's edges are the top-level modules its code (not
//! its comments, not its `#[cfg(test)] mod tests`) names through `crate::`; submodules count as
//! their top-level module, and a re-export (`pub use crate::x::Y`) is an edge like any use.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The source folders of the crates with more than one file, from the workspace root
/// (`vocabulary` and `macros` are one file each).
const CRATES: [&str; 4] = ["runtime/src", "macros/codegen/src", "sandbox/src", "cli/src"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace").to_path_buf()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder").map(|e| e.expect("a folder entry").path()) {
        if entry.is_dir() {
            rust_files(&entry, found);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            found.push(entry);
        }
    }
}

/// The top-level module a file belongs to (`client/reply.rs` → `client`); `None` for the
/// crate root (`lib.rs`, `main.rs`), which may name everything.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next()?.as_os_str().to_str()?.trim_end_matches(".rs").to_owned();
    (first != "lib" && first != "main").then_some(first)
}

/// The code of a file without comment lines and without its unit tests.
fn code_of(text: &str) -> String {
    let text = text.find("#[cfg(test)]\nmod tests").map_or(text, |at| &text[..at]);
    text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The top-level modules `code` names through `crate::`.
fn named_modules(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .filter(|(at, _)| !code[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'))
        .map(|(at, _)| {
            code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect()
}

/// The file graph of one crate: top-level module → the top-level modules it names.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for file in &files {
        let Some(from) = top_module(src, file) else { continue };
        let code = code_of(&fs::read_to_string(file).expect("a readable source file"));
        let to = named_modules(&code).into_iter().filter(|m| *m != from && modules.contains(m));
        edges.get_mut(&from).expect("listed").extend(to);
    }
    edges
}

/// A cycle through `start`, if there is one: the path back to it.
fn cycle_through(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in &edges[&at] {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_owned());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_crate_has_a_file_cycle() {
    let root = workspace_root();
    let mut cycles = Vec::new();
    for krate in CRATES {
        let edges = graph(&root.join(krate));
        assert!(edges.len() > 1, "{krate}: no modules found");
        let mut reported = BTreeSet::new();
        for module in edges.keys() {
            if let Some(cycle) = cycle_through(&edges, module) {
                let members: BTreeSet<String> = cycle.iter().cloned().collect();
                if reported.insert(members) {
                    cycles.push(format!("{krate}: {}", cycle.join(" → ")));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "file cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_finds_a_cycle_it_is_shown() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", named_modules("use crate::b::X;\nfn f() { crate::c::g() }")),
        ("b", named_modules("pub use crate::a::Y;")),
        ("c", named_modules(&code_of("// crate::a in a comment is not an edge\nuse std::x;"))),
    ]
    .into_iter()
    .map(|(m, e)| (m.to_owned(), e))
    .collect();
    assert_eq!(edges["a"], BTreeSet::from(["b".to_owned(), "c".to_owned()]));
    assert_eq!(cycle_through(&edges, "a"), Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()]));
    assert_eq!(cycle_through(&edges, "c"), None);
    assert_eq!(named_modules("$crate::x"), BTreeSet::new());
}
