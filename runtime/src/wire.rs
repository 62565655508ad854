//! Outgoing messages on the wire: the JSON body carries exactly the fields that were signed,
//! empties left out of both (`docs/protocol.md` §2), plus the signature. A message is collected
//! once into [`OutgoingFields`] — from a typed message by walking it in its compile-time field
//! order, or from fields given by name — and both the signature and the body are written from
//! that one collection, so they cannot disagree. Nested values are embedded as JSON, everything
//! else as JSON strings.
//!
//! The collection *is* the signed text: `name=value` pairs joined by `&` in byte order of name,
//! each value copied once from the message into it and found again by its position. Signing is
//! then two hash updates (the secret, the text) and writing the body one pass over the values.

use std::cmp::Ordering;
use std::ops::Range;

use crate::credentials::{Credentials, Secret};
use crate::json_text::push_string;
use crate::message::{Envelope, FieldSink, OutgoingMessage};
use crate::received::{Fingerprints, byte_order, same_name};
use crate::signature::{SIGN_FIELD, Signature, StreamingSignature};
use crate::time::HkTime;

/// One field given by name (by the gateway, the acknowledgement, a request given as fields),
/// before it is collected into [`OutgoingFields`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingField {
    /// The wire name.
    pub name: &'static str,
    /// The value as signed: text, or a nested value's compact JSON text.
    pub value: String,
    /// Whether the value is nested JSON (embedded as is) rather than text (a JSON string).
    pub nested: bool,
}

/// One field an outgoing message sends, borrowed from its [`OutgoingFields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentField<'a> {
    /// The wire name.
    pub name: &'static str,
    /// The value as signed: text, or a nested value's compact JSON text. Never empty.
    pub value: &'a str,
    /// Whether the value is nested JSON (embedded as is) rather than text (a JSON string).
    pub nested: bool,
}

/// The fields an outgoing message sends, in byte order of wire name, empty values left out:
/// exactly what is signed and what the body carries, the signature aside.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingFields {
    /// `name=value&…`: the text hashed after the secret, and where every value is kept.
    signed: String,
    fields: Vec<Slot>,
}

/// Where one field's value lies in the signed text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Slot {
    name: &'static str,
    value: Range<usize>,
    nested: bool,
}

/// Bytes reserved per field value before a message is walked: most values (codes, amounts,
/// numbers, times, keys) are shorter, URLs and descriptions longer; one guess that is seldom
/// short saves growing the text while it is written.
const VALUE_BYTES_GUESS: usize = 24;

/// The signed text's likely length for fields called `names`: each name, `=`, `&` and a value.
const fn text_capacity(names: &[&str]) -> usize {
    let mut total = 0;
    let mut rest = names;
    while let [name, tail @ ..] = rest {
        total += name.len() + 2 + VALUE_BYTES_GUESS;
        rest = tail;
    }
    total
}

impl OutgoingFields {
    fn with_capacity(fields: usize, text: usize) -> OutgoingFields {
        OutgoingFields { signed: String::with_capacity(text), fields: Vec::with_capacity(fields) }
    }

    /// Appends a field; the caller keeps byte order of name. Empty values are not sent.
    fn push(&mut self, name: &'static str, value: &str, nested: bool) {
        if value.is_empty() {
            return;
        }
        if !self.fields.is_empty() {
            self.signed.push('&');
        }
        self.signed.push_str(name);
        self.signed.push('=');
        let start = self.signed.len();
        self.signed.push_str(value);
        self.fields.push(Slot { name, value: start..self.signed.len(), nested });
    }

    /// The fields `message` writes with `envelope`, in its compile-time order (byte order).
    pub fn of<M: OutgoingMessage + ?Sized>(message: &M, envelope: &Envelope<'_>) -> OutgoingFields {
        let capacity = const { text_capacity(M::SIGNED_FIELDS) };
        let mut fields = OutgoingFields::with_capacity(M::SIGNED_FIELDS.len(), capacity);
        message.write_fields(envelope, &mut fields);
        // Generated messages write in byte order already; checking costs one pass.
        if fields.is_in_order() { fields } else { fields.sorted() }
    }

    /// Fields in any order (fields given by name, or a gateway's reply written back from its
    /// generated type); empty values are left out and the rest put in byte order of name. The
    /// caller ensures each name appears once (two of one name would both be signed and sent, and
    /// a receiver refuses such a body) and that a nested value is its compact JSON text.
    pub fn from_fields(mut fields: Vec<OutgoingField>) -> OutgoingFields {
        fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        let text = fields.iter().map(|field| field.name.len() + field.value.len() + 2).sum();
        let mut collected = OutgoingFields::with_capacity(fields.len(), text);
        for field in &fields {
            collected.push(field.name, &field.value, field.nested);
        }
        collected
    }

    fn is_in_order(&self) -> bool {
        self.fields.is_sorted_by(|a, b| in_order(a.name, b.name))
    }

    /// The same fields in byte order of name (stable: a name written twice keeps its order).
    fn sorted(&self) -> OutgoingFields {
        let mut fields: Vec<SentField<'_>> = self.iter().collect();
        fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        let mut sorted = OutgoingFields::with_capacity(fields.len(), self.signed.len());
        for field in fields {
            sorted.push(field.name, field.value, field.nested);
        }
        sorted
    }

    /// Every field, in byte order of name.
    pub fn iter(&self) -> impl Iterator<Item = SentField<'_>> {
        self.fields.iter().map(|slot| SentField {
            name: slot.name,
            value: self.signed.get(slot.value.clone()).unwrap_or_default(),
            nested: slot.nested,
        })
    }

    /// A field's value, if the message sends it.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.iter().find(|field| field.name == name).map(|field| field.value)
    }

    /// The text the signature covers, without the secret: `name=value` pairs joined by `&`.
    pub fn signed_text(&self) -> &str {
        &self.signed
    }

    /// The message's signature under `secret`.
    pub fn sign(&self, secret: &Secret) -> String {
        Signature::of(secret, &self.signed).to_hex().as_str().to_owned()
    }

    /// The JSON body: every field, then the signature under `secret`.
    pub fn signed_json(&self, secret: &Secret) -> String {
        let hex = Signature::of(secret, &self.signed).to_hex();
        self.json_with(Some((SIGN_FIELD, hex.as_str())))
    }

    /// The JSON body: every field, then `signature` (its field's name and value) when given —
    /// `None` for a reply sent unsigned (a negative return status), or a signature computed
    /// elsewhere (a gateway that forges one to test a merchant).
    pub fn json_with(&self, signature: Option<(&str, &str)>) -> String {
        // Each field adds quotes, a colon and a comma to what the signed text holds; escapes
        // are rare, and a few bytes of room cover the usual ones.
        let extra = signature.map_or(0, |(name, value)| name.len() + value.len() + 6);
        let mut out = String::with_capacity(self.signed.len() + 4 * self.fields.len() + extra + 16);
        out.push('{');
        for field in self.iter() {
            if out.len() > 1 {
                out.push(',');
            }
            push_string(&mut out, field.name);
            out.push(':');
            if field.nested {
                out.push_str(field.value);
            } else {
                push_string(&mut out, field.value);
            }
        }
        if let Some((name, value)) = signature.filter(|(_, value)| !value.is_empty()) {
            if out.len() > 1 {
                out.push(',');
            }
            push_string(&mut out, name);
            out.push(':');
            push_string(&mut out, value);
        }
        out.push('}');
        out
    }
}

impl FieldSink for OutgoingFields {
    fn text(&mut self, name: &'static str, value: &str) {
        self.push(name, value, false);
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
        self.push(name, compact_json, true);
    }
}

/// Whether `a` sorts before `b` or with it, in byte order. Most neighbouring names differ in
/// their first byte, which settles it without comparing the rest.
fn in_order(a: &str, b: &str) -> bool {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x < y,
        _ => byte_order(a, b) != Ordering::Greater,
    }
}

/// The signature of `message` written with `envelope`, under `secret`: the same as
/// `OutgoingFields::of(message, envelope).sign(secret)`, but hashed as the fields are written,
/// so no text is built for it. For a caller that needs the signature alone; the client, which
/// also sends the fields, signs the [`OutgoingFields`] it collects.
pub fn sign<M: OutgoingMessage + ?Sized>(message: &M, envelope: &Envelope<'_>, secret: &Secret) -> String {
    match stream_signature(secret, |sink| message.write_fields(envelope, sink)) {
        Some(signature) => signature.to_hex().as_str().to_owned(),
        // A message that wrote its fields out of byte order is signed the slow way, sorted.
        None => OutgoingFields::of(message, envelope).sign(secret),
    }
}

/// The signature of what `write` writes, hashed as it is written; `None` when the fields came
/// out of byte order of name (the rule signs them sorted, `docs/protocol.md` §2).
fn stream_signature(secret: &Secret, write: impl FnOnce(&mut dyn FieldSink)) -> Option<Signature> {
    let mut sink = SigningSink { stream: StreamingSignature::new(secret), last: None, in_order: true };
    write(&mut sink);
    sink.in_order.then(|| sink.stream.finish())
}

/// Feeds `name=value&…` into the hash, empties left out, and notes whether the names came in
/// byte order.
struct SigningSink {
    stream: StreamingSignature,
    last: Option<&'static str>,
    in_order: bool,
}

impl SigningSink {
    fn push(&mut self, name: &'static str, value: &str) {
        if value.is_empty() {
            return;
        }
        if let Some(last) = self.last {
            self.in_order &= in_order(last, name);
        }
        self.stream.push_pair(self.last.is_none(), name.as_bytes(), value.as_bytes());
        self.last = Some(name);
    }
}

impl FieldSink for SigningSink {
    fn text(&mut self, name: &'static str, value: &str) {
        self.push(name, value);
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
        self.push(name, compact_json);
    }
}

/// What a message writes, in the order written, empty values kept: what is sent, before
/// empties are left out (validation tells an empty required field from a missing one). The
/// values are kept in one text, as in [`OutgoingFields`].
pub(crate) struct Written {
    text: String,
    fields: Vec<(&'static str, Range<usize>)>,
    /// The names written: a name asked for and not written (most of those validation asks
    /// for) ends at one bit test.
    names: Fingerprints,
}

impl Written {
    /// The fields `message` writes with `envelope`.
    pub(crate) fn of<M: OutgoingMessage + ?Sized>(message: &M, envelope: &Envelope<'_>) -> Written {
        let capacity = const { text_capacity(M::SIGNED_FIELDS) };
        let mut written = Written {
            text: String::with_capacity(capacity),
            fields: Vec::with_capacity(M::SIGNED_FIELDS.len()),
            names: Fingerprints::default(),
        };
        message.write_fields(envelope, &mut written);
        written
    }

    /// A field's value as written, empty or not; `None` when the message does not write it.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        // Validation asks once for every caller-set field, most of them not written; names
        // compared in line, as most differ in length or first bytes (a call to `memcmp` each
        // cost more than the comparison).
        if !self.names.may_hold(name.as_bytes()) {
            return None;
        }
        let (_, range) = self.fields.iter().find(|(written, _)| same_name(written.as_bytes(), name.as_bytes()))?;
        self.text.get(range.clone())
    }
}

impl FieldSink for Written {
    fn text(&mut self, name: &'static str, value: &str) {
        let start = self.text.len();
        self.text.push_str(value);
        self.fields.push((name, start..self.text.len()));
        self.names.add(name.as_bytes());
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
        FieldSink::text(self, name, compact_json);
    }
}

/// A signed outgoing message, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedBody {
    /// The JSON body, signature included.
    pub json: String,
    /// The `time` it was signed with.
    pub time: HkTime,
}

/// Signs `message` with `credentials` at `time` and renders its JSON body.
pub fn signed_json<M: OutgoingMessage + ?Sized>(message: &M, credentials: &Credentials, time: HkTime) -> SignedBody {
    let time_text = time.compact_text();
    let envelope = Envelope { user_confirm_key: &credentials.user_confirm_key, time: &time_text };
    SignedBody { json: OutgoingFields::of(message, &envelope).signed_json(&credentials.secret), time }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &'static str, value: &str, nested: bool) -> OutgoingField {
        OutgoingField { name, value: value.to_owned(), nested }
    }

    /// Writes `fields` into a sink, in the order given.
    fn writing<'a>(fields: &'a [(&'static str, String)]) -> impl FnOnce(&mut dyn FieldSink) + 'a {
        move |sink| {
            for (name, value) in fields {
                sink.text(name, value);
            }
        }
    }

    #[test]
    fn streamed_signature_is_the_collected_ones_for_any_lengths() {
        // Values and secrets shorter than, as long as and longer than the stack buffer, so it
        // spills at every point.
        for secret_len in [0, 1, 63, 64, 500, 511, 512, 513, 1500] {
            let secret = Secret::new("s".repeat(secret_len));
            for value_len in [0, 1, 7, 16, 17, 31, 32, 33, 64, 65, 200, 505, 512, 1024, 3000] {
                let fields = vec![
                    ("a", "x".repeat(value_len)),
                    ("b", String::new()),
                    ("c", "\u{e9}".repeat(value_len / 2)),
                    ("d", "1".to_owned()),
                ];
                let collected =
                    OutgoingFields::from_fields(fields.iter().map(|(name, value)| field(name, value, false)).collect());
                let streamed = stream_signature(&secret, writing(&fields)).map(|s| s.to_hex().as_str().to_owned());
                assert_eq!(streamed, Some(collected.sign(&secret)), "secret {secret_len}, value {value_len}");
            }
        }
    }

    #[test]
    fn streaming_gives_up_on_fields_out_of_byte_order() {
        let secret = Secret::new("k");
        let out_of_order = [("pay_scene", "1".to_owned()), ("payType", "2".to_owned())];
        assert!(stream_signature(&secret, writing(&out_of_order)).is_none());
        let in_order = [("payType", "2".to_owned()), ("pay_scene", "1".to_owned())];
        assert!(stream_signature(&secret, writing(&in_order)).is_some());
        // Empties are left out before order is judged, as in the collected text.
        let empty_out_of_order = [("b", "1".to_owned()), ("a", String::new()), ("c", "3".to_owned())];
        assert!(stream_signature(&secret, writing(&empty_out_of_order)).is_some());
    }

    #[test]
    fn fields_given_in_any_order_are_sent_in_byte_order_without_empties() {
        let fields = OutgoingFields::from_fields(vec![
            field("pay_scene", "1", false),
            field("b", "", false),
            field("payType", "2", false),
            field("items", r#"[{"a":1}]"#, true),
        ]);
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["items", "payType", "pay_scene"]);
        let body = fields.signed_json(&Secret::new("k"));
        assert!(body.starts_with(r#"{"items":[{"a":1}],"payType":"2","pay_scene":"1","sign":""#), "{body}");
    }
}
