//! Outgoing messages on the wire: the JSON body carries exactly the fields that were signed,
//! empties left out of both (eftpay-api.md §2), plus `sign`. Built by walking the message once
//! in its compile-time field order; nested values are embedded as JSON, everything else as
//! JSON strings.

use crate::credentials::Credentials;
use crate::json_text::push_string;
use crate::message::{Envelope, FieldSink, OutgoingMessage};
use crate::signing::sign_message;
use crate::time::HkTime;

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
}

impl FieldSink for JsonBody {
    fn text(&mut self, name: &'static str, value: &str) {
        if value.is_empty() {
            return;
        }
        self.key(name);
        push_string(&mut self.out, value);
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
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
    /// The JSON body, `sign` included.
    pub json: String,
    /// The `time` it was signed with.
    pub time: HkTime,
}

/// Signs `message` with `credentials` at `time` and renders its JSON body.
pub fn signed_json<M: OutgoingMessage + ?Sized>(message: &M, credentials: &Credentials, time: HkTime) -> SignedBody {
    let time_text = time.to_compact();
    let envelope = Envelope { user_confirm_key: &credentials.user_confirm_key, time: &time_text };
    let sign = sign_message(message, &envelope, &credentials.secret);
    let mut body = JsonBody { out: String::from("{") };
    message.write_fields(&envelope, &mut body);
    body.text("sign", &sign);
    body.out.push('}');
    SignedBody { json: body.out, time }
}
