//! Outgoing messages on the wire: the JSON body carries exactly the fields that were signed,
//! empties left out of both (`docs/protocol.md` §2), plus the signature. A message is collected
//! once into [`OutgoingFields`] — from a typed message by walking it in its compile-time field
//! order, or from fields given by name — and both the signature and the body are written from
//! that one list, so they cannot disagree. Nested values are embedded as JSON, everything else
//! as JSON strings.

use crate::credentials::{Credentials, Secret};
use crate::json_text::push_string;
use crate::message::{Envelope, FieldSink, OutgoingMessage};
use crate::signing::{SIGN_FIELD, sign_in_order};
use crate::time::HkTime;

/// One field an outgoing message sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingField {
    /// The wire name.
    pub name: &'static str,
    /// The value as signed: text, or a nested value's compact JSON text.
    pub value: String,
    /// Whether the value is nested JSON (embedded as is) rather than text (a JSON string).
    pub nested: bool,
}

/// The fields an outgoing message sends, in byte order of wire name, empty values left out:
/// exactly what is signed and what the body carries, the signature aside.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingFields {
    fields: Vec<OutgoingField>,
}

impl OutgoingFields {
    /// The fields `message` writes with `envelope`, in its compile-time order (byte order).
    pub fn of<M: OutgoingMessage + ?Sized>(message: &M, envelope: &Envelope<'_>) -> OutgoingFields {
        OutgoingFields::from_fields(Written::of(message, envelope).0)
    }

    /// Fields in any order (fields given by name, or a gateway's reply written back from its
    /// generated type); empty values are left out and the rest put in byte order of name. The
    /// caller ensures each name appears once (two of one name would both be signed and sent, and
    /// a receiver refuses such a body) and that a nested value is its compact JSON text.
    pub fn from_fields(mut fields: Vec<OutgoingField>) -> OutgoingFields {
        fields.retain(|field| !field.value.is_empty());
        // Generated messages write in byte order already; checking costs one pass.
        if !fields.is_sorted_by(|a, b| a.name.as_bytes() <= b.name.as_bytes()) {
            fields.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        }
        OutgoingFields { fields }
    }

    /// Every field, in byte order of name.
    pub fn iter(&self) -> impl Iterator<Item = &OutgoingField> {
        self.fields.iter()
    }

    /// A field's value, if the message sends it.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|field| field.name == name).map(|field| field.value.as_str())
    }

    /// The message's signature under `secret`.
    pub fn sign(&self, secret: &Secret) -> String {
        sign_in_order(self.fields.iter().map(|field| (field.name, field.value.as_str())), secret)
    }

    /// The JSON body: every field, then the signature under `secret`.
    pub fn signed_json(&self, secret: &Secret) -> String {
        self.json_with(Some((SIGN_FIELD, &self.sign(secret))))
    }

    /// The JSON body: every field, then `signature` (its field's name and value) when given —
    /// `None` for a reply sent unsigned (a negative return status), or a signature computed
    /// elsewhere (a gateway that forges one to test a merchant).
    pub fn json_with(&self, signature: Option<(&str, &str)>) -> String {
        let mut body = JsonBody { out: String::from("{") };
        for field in &self.fields {
            if field.nested {
                body.json(field.name, &field.value);
            } else {
                body.text(field.name, &field.value);
            }
        }
        if let Some((name, value)) = signature {
            body.text(name, value);
        }
        body.out.push('}');
        body.out
    }
}

/// What a message writes, in the order written, empty values kept: what is sent, before
/// empties are left out (validation tells an empty required field from a missing one).
pub(crate) struct Written(Vec<OutgoingField>);

impl Written {
    /// The fields `message` writes with `envelope`.
    pub(crate) fn of<M: OutgoingMessage + ?Sized>(message: &M, envelope: &Envelope<'_>) -> Written {
        let mut written = Written(Vec::with_capacity(M::SIGNED_FIELDS.len()));
        message.write_fields(envelope, &mut written);
        written
    }

    /// A field's value as written, empty or not; `None` when the message does not write it.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|field| field.name == name).map(|field| field.value.as_str())
    }
}

impl FieldSink for Written {
    fn text(&mut self, name: &'static str, value: &str) {
        self.0.push(OutgoingField { name, value: value.to_owned(), nested: false });
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
        self.0.push(OutgoingField { name, value: compact_json.to_owned(), nested: true });
    }
}

/// Writes `"name":value` pairs into a JSON object.
struct JsonBody {
    out: String,
}

impl JsonBody {
    fn key(&mut self, name: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_string(&mut self.out, name);
        self.out.push(':');
    }

    fn text(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        self.key(name);
        push_string(&mut self.out, value);
    }

    fn json(&mut self, name: &str, compact_json: &str) {
        if compact_json.is_empty() {
            return;
        }
        self.key(name);
        self.out.push_str(compact_json);
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
    let time_text = time.to_compact();
    let envelope = Envelope { user_confirm_key: &credentials.user_confirm_key, time: &time_text };
    SignedBody { json: OutgoingFields::of(message, &envelope).signed_json(&credentials.secret), time }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &'static str, value: &str, nested: bool) -> OutgoingField {
        OutgoingField { name, value: value.to_owned(), nested }
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
