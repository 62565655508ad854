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

const LIB: &str = include_str!("../src/lib.rs");

#[test]
fn only_the_merchant_modules_and_root_re_exports_are_public() {
    let expected = [
        "pub mod catalog;",
        "#[cfg(feature = \"client\")] pub mod client;",
        "#[cfg(feature = \"gateway\")] pub mod gateway;",
        "pub mod notify;",
        "pub mod purpose;",
        "pub mod received;",
        "pub mod rules;",
        "pub mod signing;",
        "pub mod verify;",
        "pub use amount::{Amount, AmountError};",
        "#[cfg(feature = \"client\")] pub use client::{Client, ClientBuilder, ClientError, GatewayError};",
        "pub use credentials::{Credentials, Secret};",
        "pub use generated::*;",
        "pub use ids::{EftTradeNo, OutTradeNo, RefundAmount, RefundNo};",
        "pub use message::{Envelope, FieldSink, IncomingMessage, IntoRequest, MissingField, OutgoingMessage, Request};",
        "pub use received::{IncomingError, ReceivedError, ReceivedFields, ReceivedValue};",
        "pub use short_text::ShortText;",
        "pub use time::{Clock, FixedClock, HkTime, SystemClock, TimeError};",
        "pub use unknown::UnknownValue;",
        "pub use unknown::WireEnum;",
        "pub use verify::{Verified, VerifyError};",
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
        "pub use crate::recognition::{Condition, FieldTest, Recognition, recognize};",
        "pub use crate::validation::validate;",
        "pub use serde;",
        "pub use serde_json;",
    ];
    assert_eq!(private_block(LIB), expected);
    for plumbing in
        ["acknowledgement", "codec", "json_text", "message", "recognition", "signature", "validation", "wire"]
    {
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
