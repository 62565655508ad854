#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test helpers may fail loudly
//! Expansion snapshots: the code generated for the real spec and for the fixture spec, printed
//! with prettyplease. The real spec's is split by scene (`real_spec_parts`), so a new scene adds
//! its own snapshot and a reviewer reads what it generated. `tests/build.rs` joins the parts and
//! `tests/src/lib.rs` compiles them, so a snapshot that would not compile fails CI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use eftpay_codegen::source::read_dir;

fn expand(relative: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join(relative), &root).expect("spec folder is readable");
    let checked = eftpay_codegen::check(&files);
    assert!(checked.errors.is_empty(), "spec errors:\n{}", checked.errors.join("\n\n"));
    let file: syn::File = syn::parse2(eftpay_codegen::items(&checked.spec, &eftpay_codegen::Options::default()))
        .expect("expansion parses as a Rust file");
    prettyplease::unparse(&file)
}

#[test]
fn real_spec_expansion_by_scene() {
    for (name, text) in real_spec_parts() {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn the_real_spec_has_one_snapshot_per_part_and_no_other() {
    // insta does not delete the snapshot of a scene that is gone, and `tests/build.rs` compiles
    // every `expand__real_spec_*.snap` it finds: a stale one would be compiled too.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("snapshot folder is readable")
        .map(|entry| entry.expect("entry").file_name().into_string().expect("utf-8 name"))
        .filter(|name| name.starts_with("expand__real_spec") && name.ends_with(".snap"))
        .collect();
    let expected: BTreeSet<String> =
        real_spec_parts().into_iter().map(|(name, _)| format!("expand__{name}.snap")).collect();
    assert_eq!(on_disk, expected, "accept new snapshots, delete those of parts that are gone");
}

#[test]
fn the_parts_hold_the_whole_expansion_once() {
    // Joined, the parts are the expansion: every item once, modules merged (as tests/build.rs).
    let whole: syn::File = syn::parse_str(&expand("spec")).unwrap();
    let mut joined: Vec<String> = Vec::new();
    for (_, text) in real_spec_parts() {
        let part: syn::File = syn::parse_str(&text).unwrap();
        let mut all = Vec::new();
        flatten(&part.items, &mut all);
        joined.extend(all.iter().map(|i| quote::ToTokens::to_token_stream(i).to_string()));
    }
    let mut all = Vec::new();
    flatten(&whole.items, &mut all);
    let mut whole: Vec<String> = all.iter().map(|i| quote::ToTokens::to_token_stream(i).to_string()).collect();
    whole.sort();
    joined.sort();
    assert_eq!(joined.len(), whole.len());
    assert!(joined == whole, "the parts differ from the expansion");
}

#[test]
fn each_scene_s_own_interfaces_and_services_are_in_its_snapshot() {
    let parts = real_spec_parts();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join("spec"), &root).unwrap();
    let spec = eftpay_codegen::check(&files).spec;
    for (i, scene) in spec.scenes.iter().enumerate() {
        let (name, text) = &parts[2 + i];
        assert_eq!(name, &format!("real_spec_scene_{}", scene.name));
        let own = |id: usize| spec.scenes.iter().filter(|s| s.interfaces.contains(&id)).count() == 1;
        for &id in scene.interfaces.iter().filter(|&&id| own(id)) {
            let stem = &spec.interfaces[id].rust;
            assert!(text.contains(&format!("pub static {}:", spec.interfaces[id].name.to_uppercase())), "{stem}");
        }
        for service in spec.services.iter().filter(|s| scene.interfaces.contains(&s.interface) && own(s.interface)) {
            assert!(text.contains(&format!("pub struct {};", service.rust)), "{} in {name}", service.rust);
        }
    }
}

#[test]
fn minimal_fixture_expansion() {
    insta::assert_snapshot!("minimal_fixture", expand("tests/fixtures/minimal"));
}

#[test]
fn every_spec_file_is_tracked_for_rebuilds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join("spec"), &root).expect("spec folder is readable");
    let expansion = eftpay_codegen::expand_files(&files, &eftpay_codegen::Options::default()).to_string();
    assert_eq!(expansion.matches("include_bytes").count(), files.len());
    for file in &files {
        let path = file.path.to_str().expect("utf-8 path");
        assert!(expansion.contains(&format!("{path:?}")), "{path} is not tracked");
    }
}

#[test]
fn with_doc_examples_every_service_page_carries_one_and_without_none_does() {
    // The real spec, whose examples rustdoc compiles and runs, and an invented scene.
    for spec in ["spec", "tests/fixtures/kiosk"] {
        service_pages_carry_examples(spec);
    }
}

fn service_pages_carry_examples(spec: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join(spec), &root).expect("spec folder is readable");
    let checked = eftpay_codegen::check(&files);
    let options = eftpay_codegen::Options { doc_examples_at: Some("eftpay".to_owned()) };
    let pages = |options: &eftpay_codegen::Options| -> Vec<(String, String)> {
        let file: syn::File = syn::parse2(eftpay_codegen::items(&checked.spec, options)).unwrap();
        let services = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "services" => m.content.as_ref().map(|(_, items)| items),
                _ => None,
            })
            .expect("a services module");
        services
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((s.ident.to_string(), doc_text(&s.attrs))),
                _ => None,
            })
            .collect()
    };
    let with = pages(&options);
    assert_eq!(with.len(), checked.spec.services.len());
    for (name, page) in &with {
        assert!(page.contains("# Example"), "{name} has no example:\n{page}");
        assert!(page.contains(&format!("eftpay::services::{name}::")), "{name}'s example calls another service");
    }
    assert!(pages(&eftpay_codegen::Options::default()).iter().all(|(_, page)| !page.contains("# Example")));
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The expansion of the real spec, split by scene: `(snapshot name, text)` for what the scenes
/// share, for what lists every scene's interfaces and services (the catalog, the `Service` and
/// `Notification` enums), and one per scene of `spec/scenes.toml`. A new scene adds its own
/// snapshot and changes the others only where they list the scenes (spec/README.md).
fn real_spec_parts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = read_dir(&root.join("spec"), &root).expect("spec folder is readable");
    let checked = eftpay_codegen::check(&files);
    assert!(checked.errors.is_empty(), "spec errors:\n{}", checked.errors.join("\n\n"));
    let spec = &checked.spec;
    let file: syn::File = syn::parse2(eftpay_codegen::items(spec, &eftpay_codegen::Options::default()))
        .expect("expansion parses as a Rust file");
    assert!(file.attrs.is_empty(), "the expansion has no inner attributes to give each part");
    let owners = Owners::new(spec, &file.items);
    let mut parts: Vec<(String, Vec<syn::Item>)> = vec![("real_spec_shared".to_owned(), vec![])];
    parts.push(("real_spec_lists".to_owned(), vec![]));
    for scene in &spec.scenes {
        parts.push((format!("real_spec_scene_{}", scene.name), vec![]));
    }
    // Part 0 is shared, 1 the lists, 2 + i scene i.
    let part_of = |item: &syn::Item| match owners.of(item) {
        Owner::Shared => 0,
        Owner::Lists => 1,
        Owner::Scene(i) => 2 + i,
    };
    for item in file.items {
        match item {
            // A module's items are split one by one; each part keeps the module around its own.
            syn::Item::Mod(mut module) if module.content.is_some() => {
                let (brace, inner) = module.content.take().unwrap();
                module.content = Some((brace, Vec::new()));
                let shell = quote::ToTokens::to_token_stream(&module);
                let mut split: Vec<Vec<syn::Item>> = parts.iter().map(|_| Vec::new()).collect();
                for inner in inner {
                    split[part_of(&inner)].push(inner);
                }
                for ((_, part), mine) in parts.iter_mut().zip(split) {
                    if !mine.is_empty() {
                        let mut copy: syn::ItemMod = syn::parse2(shell.clone()).unwrap();
                        copy.content.as_mut().unwrap().1 = mine;
                        part.push(syn::Item::Mod(copy));
                    }
                }
            }
            item => {
                let index = part_of(&item);
                parts[index].1.push(item);
            }
        }
    }
    parts
        .into_iter()
        .map(|(name, items)| {
            let text = prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items });
            (name, text)
        })
        .collect()
}

/// Which snapshot an item of the expansion belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Shared,
    Lists,
    Scene(usize),
}

/// The Rust names the expansion gives each scene's interfaces, service rows, scene statics and
/// the value sets and objects only one scene's items use, with the scenes they belong to.
struct Owners {
    scenes_of: BTreeMap<String, BTreeSet<usize>>,
    /// Types an item of the lists is about (`impl Scene { ALL … }`): their definitions list too.
    listing: BTreeSet<String>,
}

impl Owners {
    fn new(spec: &eftpay_codegen::model::Spec, items: &[syn::Item]) -> Owners {
        let mut scenes_of: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let scenes_of_interface = |id: usize| -> BTreeSet<usize> {
            spec.scenes.iter().enumerate().filter(|(_, s)| s.interfaces.contains(&id)).map(|(i, _)| i).collect()
        };
        for (id, interface) in spec.interfaces.iter().enumerate() {
            let scenes = scenes_of_interface(id);
            let stem = &interface.rust;
            for name in [
                stem.clone(),
                format!("{stem}Request"),
                format!("{stem}Response"),
                format!("{stem}Builder"),
                interface.name.to_uppercase(),
            ] {
                scenes_of.entry(name).or_default().extend(&scenes);
            }
        }
        for service in &spec.services {
            scenes_of.entry(service.rust.clone()).or_default().extend(scenes_of_interface(service.interface));
        }
        for (i, scene) in spec.scenes.iter().enumerate() {
            scenes_of.entry(format!("SCENE_{}", scene.name.to_uppercase())).or_default().insert(i);
        }
        // Value sets and objects belong where the items that use them belong: one scene's, or
        // shared. The sets every layer builds on (payType, wallet, service, …) are shared.
        let builtin = &spec.builtin;
        let builtins: BTreeSet<usize> =
            [Some(builtin.pay_type), Some(builtin.wallet), Some(builtin.service), builtin.pay_scene, builtin.lang]
                .into_iter()
                .flatten()
                .collect();
        let typed: BTreeSet<String> = spec
            .enums
            .iter()
            .enumerate()
            .filter(|(id, _)| !builtins.contains(id))
            .map(|(_, e)| e.rust.clone())
            .chain(spec.objects.iter().map(|o| o.rust.clone()))
            .collect();
        let mut all = Vec::new();
        flatten(items, &mut all);
        let mut owners = Owners { scenes_of, listing: BTreeSet::new() };
        // Until nothing changes: an object may be used by another object only.
        loop {
            let mut used: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
            for item in &all {
                let scenes = owners.header_scenes(item);
                if scenes.is_empty() {
                    continue;
                }
                let own = header_idents(item);
                for ident in body_idents(item) {
                    if typed.contains(&ident) && !own.contains(&ident) {
                        used.entry(ident).or_default().extend(&scenes);
                    }
                }
            }
            let mut changed = false;
            for (name, scenes) in used {
                let entry = owners.scenes_of.entry(name).or_default();
                let before = entry.len();
                entry.extend(scenes);
                changed |= entry.len() != before;
            }
            if !changed {
                break;
            }
        }
        let listing = all
            .iter()
            .filter(|item| owners.by_names(item) == Owner::Lists)
            .flat_map(|item| header_idents(item))
            .collect();
        owners.listing = listing;
        owners
    }

    /// The scenes the names an item is about (its name, or an impl's type and trait) belong to.
    fn header_scenes(&self, item: &syn::Item) -> BTreeSet<usize> {
        header_idents(item).iter().filter_map(|i| self.scenes_of.get(i)).flatten().copied().collect()
    }

    fn of(&self, item: &syn::Item) -> Owner {
        match self.by_names(item) {
            Owner::Shared if header_idents(item).iter().any(|i| self.listing.contains(i)) => Owner::Lists,
            owner => owner,
        }
    }

    fn by_names(&self, item: &syn::Item) -> Owner {
        let scenes = self.header_scenes(item);
        if scenes.len() == 1 {
            return Owner::Scene(*scenes.first().unwrap());
        }
        if !scenes.is_empty() {
            return Owner::Shared;
        }
        // About nothing of a scene's own, yet naming some scene's own items: a list of them.
        let names_one_scenes = body_idents(item).iter().any(|i| self.scenes_of.get(i).is_some_and(|s| s.len() == 1));
        if names_one_scenes { Owner::Lists } else { Owner::Shared }
    }
}

/// Items with the items of inline modules in place of the modules.
fn flatten<'a>(items: &'a [syn::Item], out: &mut Vec<&'a syn::Item>) {
    for item in items {
        match item {
            syn::Item::Mod(syn::ItemMod { content: Some((_, inner)), .. }) => flatten(inner, out),
            item => out.push(item),
        }
    }
}

/// What an item is about: its name, or an impl's type and trait with their generic arguments.
fn header_idents(item: &syn::Item) -> BTreeSet<String> {
    use quote::ToTokens;
    let tokens = match item {
        syn::Item::Impl(i) => {
            let mut tokens = i.self_ty.to_token_stream();
            if let Some((path, _)) = &i.trait_ {
                tokens.extend(path.to_token_stream());
            }
            tokens
        }
        syn::Item::Struct(i) => i.ident.to_token_stream(),
        syn::Item::Enum(i) => i.ident.to_token_stream(),
        syn::Item::Static(i) => i.ident.to_token_stream(),
        syn::Item::Const(i) => i.ident.to_token_stream(),
        syn::Item::Trait(i) => i.ident.to_token_stream(),
        syn::Item::Type(i) => i.ident.to_token_stream(),
        syn::Item::Fn(i) => i.sig.ident.to_token_stream(),
        syn::Item::Mod(i) => i.ident.to_token_stream(),
        _ => proc_macro2::TokenStream::new(),
    };
    idents(tokens)
}

/// Every identifier an item names.
fn body_idents(item: &syn::Item) -> BTreeSet<String> {
    idents(quote::ToTokens::to_token_stream(item))
}

fn idents(tokens: proc_macro2::TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => out.extend(idents(g.stream())),
            _ => {}
        }
    }
    out
}
