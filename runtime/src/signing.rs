//! The signature rule, in one place (`docs/protocol.md` §2):
//!
//! 1. every top-level field except the signature field itself ([`SIGN_FIELD`]);
//! 2. absent, `null` and `""` values left out;
//! 3. names in byte (ASCII) order, case-sensitive;
//! 4. `name=value` joined with `&`, values exactly as carried, no URL-encoding;
//! 5. the merchant secret directly in front: `secret + "a=1&b=2"`;
//! 6. `sign = lowercase_hex(sha256(utf8(that string)))`.
//!
//! An outgoing message is collected once into its outgoing fields ([`signed_json`] writes them)
//! — a typed message writes its fields in an order fixed at compile time, so no sort is needed —
//! and both its signature and its body are written from that collection, which holds the signed
//! text itself. Received fields are put in byte order of name once, when they are read
//! ([`ReceivedFields`]), and signed in that order. A received signature is compared as its 32
//! bytes, in constant time.
//!
//! Nothing here returns or logs the string that is hashed with the secret in front; only
//! [`canonical_string`] (and, with the `gateway` feature, `gateway::OutgoingFields::signed_text`)
//! show the part after the secret, for people debugging signatures.

use crate::credentials::Secret;
use crate::json_text::NestedJson;
use crate::received::{ReceivedFields, byte_order};

// A typed message signed, and its body written: the rule above applied to what it sends (the
// collection lives with the other outgoing-wire code).
pub use crate::wire::{SignedBody, sign, signed_json};

pub use crate::signature::SIGN_FIELD;
use crate::signature::{Signature, StreamingSignature};

/// The compact JSON text a nested value (an ATOME `customerInfo`, `items`, …) is sent and
/// signed as: no spaces, keys in the order the spec lists them. eftPay does not document how
/// nested values are signed; this is our assumption, and this function is the only place it
/// lives. Written by hand ([`NestedJson`]), so it cannot fail and no value silently drops out.
pub fn nested_value_text<T: NestedJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// A received message's signed pairs: its fields in byte order of name, the signature field and
/// values left out of signing skipped.
fn signed_pairs(fields: &ReceivedFields) -> Vec<(&str, &str)> {
    let mut signed: Vec<(&str, &str)> = signed_iter(fields).collect();
    signed.sort_unstable_by(|a, b| byte_order(a.0, b.0));
    signed
}

/// A received message's signed pairs in received order.
fn signed_iter(fields: &ReceivedFields) -> impl Iterator<Item = (&str, &str)> {
    fields
        .iter()
        .filter(|(name, _)| *name != SIGN_FIELD)
        .filter_map(|(name, value)| Some((name, value.signing_text()?)))
}

/// The signed text of a received message, without the secret: [`signed_pairs`] as
/// `name=value` joined by `&`.
fn signed_text(fields: &ReceivedFields) -> String {
    let signed = signed_pairs(fields);
    let mut text = String::with_capacity(signed.iter().map(|(name, value)| name.len() + value.len() + 2).sum());
    for (name, value) in signed {
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(value);
    }
    text
}

/// The signature a received message's fields call for: the same text as [`signed_text`],
/// hashed as it is produced rather than built first.
pub(crate) fn signature_of(fields: &ReceivedFields, secret: &Secret) -> Signature {
    let mut stream = StreamingSignature::new(secret);
    let mut push = |pairs: &[(&str, &str)]| {
        for (index, (name, value)) in pairs.iter().enumerate() {
            stream.push_pair(index == 0, name.as_bytes(), value.as_bytes());
        }
    };
    // A message of eftPay's size is sorted on the stack; a larger one in a vector.
    let mut small = [("", ""); SORTED_ON_STACK];
    let mut count = 0;
    for pair in signed_iter(fields) {
        match small.get_mut(count) {
            Some(slot) => *slot = pair,
            None => break,
        }
        count += 1;
    }
    match small.get_mut(..count).filter(|_| count < SORTED_ON_STACK) {
        Some(pairs) => {
            pairs.sort_unstable_by(|a, b| byte_order(a.0, b.0));
            push(pairs);
        }
        None => push(&signed_pairs(fields)),
    }
    stream.finish()
}

/// Up to how many signed pairs (less one) [`signature_of`] sorts without allocating.
const SORTED_ON_STACK: usize = 48;

/// The `sign` of any message given as fields (received messages, `eftpay sign`).
pub fn sign_fields(fields: &ReceivedFields, secret: &Secret) -> String {
    signature_of(fields, secret).to_hex().as_str().to_owned()
}

/// The string that is hashed, *without* the secret in front — for people debugging signatures
/// (`eftpay sign --explain`). Contains no secret; still, do not log it for real traffic.
pub fn canonical_string(fields: &ReceivedFields) -> String {
    signed_text(fields)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    #[test]
    fn empty_and_sign_fields_are_left_out() {
        let fields = ReceivedFields::from_json(r#"{"b":"2","a":"1","sign":"x","c":"","d":null}"#).unwrap();
        assert_eq!(canonical_string(&fields), "a=1&b=2");
    }

    #[test]
    fn keys_sort_by_bytes_not_case_insensitively() {
        let fields = ReceivedFields::from_json(r#"{"pay_scene":"1","payType":"2","payment_type":"3"}"#).unwrap();
        assert_eq!(canonical_string(&fields), "payType=2&pay_scene=1&payment_type=3");
    }

    #[test]
    fn received_signature_is_the_hash_of_the_signed_text() {
        let long = "v".repeat(700);
        let body = format!(r#"{{"b":"2","a":"{long}","sign":"x","c":"","d":null,"e":{{"x":[1,2]}}}}"#);
        let fields = ReceivedFields::from_json(&body).unwrap();
        for secret in ["", "k", &"s".repeat(600)] {
            let secret = Secret::new(secret);
            assert!(signature_of(&fields, &secret).matches(&Signature::of(&secret, &signed_text(&fields))));
        }
    }

    #[test]
    fn received_signature_is_the_same_sorted_on_the_stack_or_not() {
        let secret = Secret::new("k");
        for count in [0, 1, SORTED_ON_STACK - 2, SORTED_ON_STACK - 1, SORTED_ON_STACK, SORTED_ON_STACK + 1, 200] {
            // Received in reverse byte order, a `sign` and an empty value among them.
            let mut pairs: Vec<(String, String)> =
                (0..count).rev().map(|n| (format!("f{n:03}"), n.to_string())).collect();
            pairs.push(("sign".to_owned(), "x".to_owned()));
            pairs.push(("e".to_owned(), String::new()));
            // Names alike in their first eight bytes, or padded alike.
            for name in ["trade_status", "trade_st", "trade_st\0", "trade_stat\0", "trade_sta", "a\0", "a", "\u{e9}"] {
                pairs.push((name.to_owned(), name.len().to_string()));
            }
            let fields = ReceivedFields::from_pairs(pairs).unwrap();
            assert!(signature_of(&fields, &secret).matches(&Signature::of(&secret, &signed_text(&fields))), "{count}");
        }
    }

    #[test]
    fn signature_is_sha256_of_secret_then_canonical_string() {
        let fields = ReceivedFields::from_json(r#"{"a":"1"}"#).unwrap();
        let expected = hex::encode(Sha256::digest(b"k3ya=1"));
        assert_eq!(sign_fields(&fields, &Secret::new("k3y")), expected);
    }
}
