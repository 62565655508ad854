//! The crate's public surface is what a merchant uses, each item at one path: a test over the
//! declarations of `src/lib.rs`, so that making a module public, re-exporting another item at
//! the root, or widening `__private` is a visible change to this list, reviewed, not an accident.
//! (`tests/ui/surface` proves the plumbing paths do not resolve from another crate.)

/// The top-level declarations that make something public: `pub mod`, `pub use`, and
/// `#[cfg(feature = …)]` in front of one, as written in `src/lib.rs`.
fn public_declarations(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut gate = None;
    for line in source.lines() {
        if line.starts_with("#[cfg(feature") {
            gate = Some(line.to_owned());
        } else if line.starts_with("pub mod") || line.starts_with("pub use") {
            let declaration = line.trim_end_matches(" {").to_owned();
            found.push(match gate.take() {
                Some(gate) => format!("{gate} {declaration}"),
                None => declaration,
            });
        } else if !line.starts_with("#[") && !line.starts_with("//") {
            gate = None;
        }
    }
    found
}

/// What `__private` re-exports: the block's `pub use` lines.
fn private_block(source: &str) -> Vec<String> {
    let Some(start) = source.find("pub mod __private {") else { return Vec::new() };
    let body = &source[start..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    body.lines().map(str::trim).filter(|l| l.starts_with("pub use")).map(str::to_owned).collect()
}

/// The names a `pub use` line brings in (`pub use a::{B, c::D};` → `B`, `D`; `as` honoured).
fn used_names(line: &str) -> Vec<String> {
    let path = line.trim_start_matches("pub use").trim().trim_end_matches(';');
    let list = match path.find('{') {
        Some(open) => &path[open + 1..path.rfind('}').unwrap_or(path.len())],
        None => path,
    };
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty() && *item != "self" && !item.ends_with('*'))
        .map(|item| item.rsplit(" as ").next().unwrap_or(item).rsplit("::").next().unwrap_or(item).to_owned())
        .collect()
}

/// The names a public module's file makes public at its top level: items declared `pub` and
/// names it re-exports.
fn public_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut statement = String::new();
    for line in source.lines() {
        if !statement.is_empty() || line.starts_with("pub use") {
            statement.push_str(line.trim());
            if line.trim_end().ends_with(';') {
                names.extend(used_names(&std::mem::take(&mut statement)));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("pub ") else { continue };
        let rest = rest.trim_start_matches("async ").trim_start_matches("const fn ");
        let mut words = rest.split_whitespace();
        if let (Some("struct" | "enum" | "fn" | "const" | "static" | "type" | "trait" | "mod"), Some(name)) =
            (words.next(), words.next())
        {
            names.push(name.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or(name).to_owned());
        }
    }
    names
}

const LIB: &str = include_str!("../src/lib.rs");

/// The public modules' files (every `pub mod` of `src/lib.rs` and the one public submodule).
const PUBLIC_MODULES: [(&str, &str); 8] = [
    ("catalog", include_str!("../src/catalog.rs")),
    ("gateway", include_str!("../src/gateway.rs")),
    ("notify", include_str!("../src/notify.rs")),
    ("notify::axum", include_str!("../src/notify/axum.rs")),
    ("purpose", include_str!("../src/purpose.rs")),
    ("rules", include_str!("../src/rules.rs")),
    ("signing", include_str!("../src/signing.rs")),
    ("verify", include_str!("../src/verify.rs")),
];

#[test]
fn every_public_item_has_one_path() {
    let modules: Vec<String> = public_declarations(LIB)
        .iter()
        .filter_map(|d| d.split("pub mod ").nth(1))
        .map(|name| name.trim_end_matches(';').to_owned())
        .filter(|name| name != "__private")
        .collect();
    let listed: Vec<&str> = PUBLIC_MODULES.iter().map(|(name, _)| *name).filter(|name| !name.contains("::")).collect();
    assert_eq!(modules, listed, "a public module was added or removed: list its file in PUBLIC_MODULES");
    let root: Vec<String> = public_declarations(LIB)
        .iter()
        .filter_map(|d| d.find("pub use").map(|at| &d[at..]))
        .flat_map(used_names)
        .collect();
    assert!(root.contains(&"Client".to_owned()) && root.contains(&"Verified".to_owned()), "{root:?}");
    let mut twice = Vec::new();
    for (module, source) in PUBLIC_MODULES {
        let names = public_names(source);
        assert!(!names.is_empty(), "{module}: no public items read");
        twice.extend(
            names.into_iter().filter(|name| root.contains(name)).map(|name| format!("eftpay::{module}::{name}")),
        );
        // What the crate root holds beyond its own `pub use` lines (the generated API) is named
        // `crate::Name`: re-exporting one is a second path too.
        twice.extend(
            source
                .lines()
                .filter(|line| {
                    line.starts_with("pub use crate::{")
                        || line.starts_with("pub use crate::") && line[15..].starts_with(char::is_uppercase)
                })
                .map(|line| format!("{module}: {line}")),
        );
    }
    assert!(twice.is_empty(), "also re-exported at the crate root (two paths): {twice:?}");
}

#[test]
fn the_name_reader_reads_what_the_files_hold() {
    assert_eq!(used_names("pub use a::{B, c::D, E as F, self};"), ["B", "D", "F"]);
    assert_eq!(used_names("pub use crate::Notification;"), ["Notification"]);
    let source = "pub struct A<T> {\npub(crate) fn b() {}\npub fn c(x: u8) {}\npub use x::{\n    D,\n    E,\n};\nfn f() {}\npub const G: u8 = 1;";
    assert_eq!(public_names(source), ["A", "c", "D", "E", "G"]);
}

#[test]
fn only_the_merchant_modules_and_root_re_exports_are_public() {
    let expected = [
        "pub mod catalog;",
        "#[cfg(feature = \"gateway\")] pub mod gateway;",
        "pub mod notify;",
        "pub mod purpose;",
        "pub mod rules;",
        "pub mod signing;",
        "pub mod verify;",
        "pub use amount::{Amount, AmountError};",
        "#[cfg(feature = \"client\")] pub use client::{Client, ClientBuilder, ClientError, GatewayError, TEST_BASE_URL, redact_url};",
        "pub use credentials::{Credentials, Secret};",
        "pub use generated::*;",
        "pub use ids::{EftTradeNo, OutTradeNo, RefundAmount, RefundNo};",
        "pub use message::{Envelope, FieldSink, IncomingMessage, IntoRequest, MissingField, OutgoingMessage, Request};",
        "pub use received::{IncomingError, ReceiveLimits, ReceivedError, ReceivedFields, ReceivedValue};",
        "pub use short_text::ShortText;",
        "pub use time::{Clock, FixedClock, HkTime, SystemClock, TimeError};",
        "pub use unknown::UnknownValue;",
        "pub use unknown::WireEnum;",
        "pub use verified::{Verified, VerifyError};",
        "pub use violations::{Rule, Violation, Violations};",
        "pub mod __private",
    ];
    assert_eq!(public_declarations(LIB), expected, "src/lib.rs's public declarations changed: review the public API");
}

#[test]
fn generated_code_support_is_only_under_private() {
    let expected = [
        "pub use crate::acknowledgement::ProvenAcknowledgement;",
        "pub use crate::codec::Codec;",
        "pub use crate::json_text::{NestedJson, ObjectWriter};",
        "pub use crate::reading::Reading;",
        "pub use crate::recognition::{Condition, FieldTest, Recognition, recognize};",
        "pub use crate::validation::validate;",
        "pub use serde;",
        "pub use serde_json;",
    ];
    assert_eq!(private_block(LIB), expected);
    for plumbing in [
        "acknowledgement",
        "codec",
        "json_text",
        "message",
        "reading",
        "recognition",
        "signature",
        "validation",
        "wire",
    ] {
        assert!(LIB.contains(&format!("\nmod {plumbing};")), "`{plumbing}` must stay a private module");
    }
}

#[test]
fn every_catalog_struct_is_non_exhaustive() {
    let source = include_str!("../src/catalog.rs");
    let lines: Vec<&str> = source.lines().collect();
    let structs: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("pub struct")).collect();
    assert!(!structs.is_empty());
    for at in structs {
        // Its doc and attributes: the lines above it up to the blank line or item before.
        let mut attributes = lines[..at].iter().rev().take_while(|l| !l.is_empty() && !l.starts_with('}'));
        assert!(
            attributes.any(|l| *l == "#[non_exhaustive]"),
            "`{}` in src/catalog.rs is not #[non_exhaustive]: a new spec key would break callers",
            lines[at]
        );
    }
}
