//! The signature rule, in one place (`docs/protocol.md` §2):
//!
//! 1. every top-level field except the signature field itself ([`SIGN_FIELD`]);
//! 2. absent, `null` and `""` values left out;
//! 3. names in byte (ASCII) order, case-sensitive;
//! 4. `name=value` joined with `&`, values exactly as carried, no URL-encoding;
//! 5. the merchant secret directly in front: `secret + "a=1&b=2"`;
//! 6. `sign = lowercase_hex(sha256(utf8(that string)))`.
//!
//! An outgoing message is collected once into [`wire::OutgoingFields`](crate::wire::OutgoingFields)
//! — a typed message writes its fields in an order fixed at compile time, so no sort is needed —
//! and both its signature and its body are written from that list. Received messages are sorted
//! once, at verification.
//!
//! Nothing here returns or logs the string that is hashed with the secret in front; only
//! [`canonical_string`] shows the part after the secret, for people debugging signatures.

use sha2::{Digest, Sha256};

use crate::credentials::Secret;
use crate::json_text::NestedJson;
use crate::received::ReceivedFields;

/// The name of the field that carries the signature. It belongs to the signature rule rather than
/// to any one table: every message of every scene carries its signature under this name, and the
/// spec's fields of concept `sign` are all called this (a test checks the catalog agrees).
pub const SIGN_FIELD: &str = "sign";

/// The compact JSON text a nested value (an ATOME `customerInfo`, `items`, …) is sent and
/// signed as: no spaces, keys in the order the spec lists them. eftPay does not document how
/// nested values are signed; this is our assumption, and this function is the only place it
/// lives. Written by hand ([`NestedJson`]), so it cannot fail and no value silently drops out.
pub fn nested_value_text<T: NestedJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Accumulates `name=value` pairs into SHA-256 behind the secret.
struct Hasher {
    sha: Sha256,
    first: bool,
}

impl Hasher {
    fn new(secret: &Secret) -> Self {
        let mut sha = Sha256::new();
        sha.update(secret.as_bytes());
        Hasher { sha, first: true }
    }

    fn field(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        if !self.first {
            self.sha.update(b"&");
        }
        self.first = false;
        self.sha.update(name.as_bytes());
        self.sha.update(b"=");
        self.sha.update(value.as_bytes());
    }

    fn finish(self) -> String {
        hex::encode(self.sha.finalize())
    }
}

/// The `sign` of `name=value` pairs already in byte order of name, the signature field not among
/// them (an outgoing message's fields, collected once for both its signature and its body).
pub(crate) fn sign_in_order<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, secret: &Secret) -> String {
    let mut hasher = Hasher::new(secret);
    for (name, value) in pairs {
        hasher.field(name, value);
    }
    hasher.finish()
}

/// The fields of a received message that the signature covers, sorted by byte order.
fn signed_pairs(fields: &ReceivedFields) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(name, _)| *name != SIGN_FIELD)
        .filter_map(|(name, value)| Some((name, value.signing_text()?)))
        .collect();
    pairs.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    pairs
}

/// The `sign` of any message given as fields (received messages, `eftpay sign`).
pub fn sign_fields(fields: &ReceivedFields, secret: &Secret) -> String {
    sign_in_order(signed_pairs(fields), secret)
}

/// The string that is hashed, *without* the secret in front — for people debugging signatures
/// (`eftpay sign --explain`). Contains no secret; still, do not log it for real traffic.
pub fn canonical_string(fields: &ReceivedFields) -> String {
    signed_pairs(fields).iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
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
    fn signature_is_sha256_of_secret_then_canonical_string() {
        let fields = ReceivedFields::from_json(r#"{"a":"1"}"#).unwrap();
        let expected = hex::encode(Sha256::digest(b"k3ya=1"));
        assert_eq!(sign_fields(&fields, &Secret::new("k3y")), expected);
    }
}
