//! A published crate's README is its crates.io page, where a relative link (`spec/README.md`)
//! leads nowhere: every link in it must be absolute.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn manifest(path: &Path) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

/// `(crate, README path)` of every workspace member that is published and names a README.
fn published_readmes() -> Vec<(String, PathBuf)> {
    let root = workspace();
    let members = manifest(&root.join("Cargo.toml"))["workspace"]["members"].as_array().unwrap().clone();
    members
        .iter()
        .filter_map(|member| {
            let dir = root.join(member.as_str().unwrap());
            let package = manifest(&dir.join("Cargo.toml"))["package"].as_table().unwrap().clone();
            if package.get("publish").and_then(toml::Value::as_bool) == Some(false) {
                return None;
            }
            let readme = package.get("readme")?.as_str()?.to_owned();
            Some((package["name"].as_str().unwrap().to_owned(), dir.join(readme)))
        })
        .collect()
}

/// The targets of the links of a Markdown text outside code: `[text](target)`, `[label]: target`
/// and HTML `href`/`src` attributes.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // Inline code spans hold no links.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            targets.push(after[..end].split_whitespace().next().unwrap_or_default().to_owned());
            rest = &after[end..];
        }
        let trimmed = prose.trim_start();
        if let Some((_, target)) = trimmed.strip_prefix('[').and_then(|t| t.split_once("]: ")) {
            targets.push(target.split_whitespace().next().unwrap_or_default().to_owned());
        }
        for attribute in ["href=\"", "src=\""] {
            let mut rest = prose.as_str();
            while let Some(at) = rest.find(attribute) {
                let after = &rest[at + attribute.len()..];
                let end = after.find('"').unwrap_or(after.len());
                targets.push(after[..end].to_owned());
                rest = &after[end..];
            }
        }
    }
    targets
}

fn is_absolute(target: &str) -> bool {
    target.starts_with("https://") || target.starts_with("http://") || target.starts_with("mailto:")
}

#[test]
fn published_readmes_have_only_absolute_links() {
    let readmes = published_readmes();
    assert!(readmes.iter().any(|(name, _)| name == "eftpay"), "the SDK's README is checked: {readmes:?}");
    let mut broken = Vec::new();
    for (name, path) in &readmes {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {}: {e}", path.display()));
        for target in link_targets(&text) {
            if !is_absolute(&target) {
                broken.push(format!("{name} ({}): `{target}`", path.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "relative links break on crates.io; link to docs.rs or crates.io instead:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_link_reader_finds_relative_links_the_test_refuses() {
    let text = "See [the spec](spec/README.md), [docs](https://docs.rs/eftpay) and [log][1].\n\n[1]: CHANGELOG.md\n<a href=\"docs/protocol.md\">x</a>\n```rust\nlet v = a[..](b);\n```\n`x[y](z)`";
    let targets = link_targets(text);
    assert_eq!(targets, ["spec/README.md", "https://docs.rs/eftpay", "CHANGELOG.md", "docs/protocol.md"]);
    let relative: Vec<&String> = targets.iter().filter(|t| !is_absolute(t)).collect();
    assert_eq!(relative.len(), 3);
}
