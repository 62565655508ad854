//! The gateway's JSON replies: signed whenever `return_status >= 00`, unsigned below
//! (eftpay-api.md §3), fields signed by the same rule the SDK verifies with.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use eftpay::signing::sign_fields;
use eftpay::{Credentials, HkTime, ReceivedFields};

use crate::codes::{self, Refusal};

/// A JSON object of text fields, in the order given, with `sign` appended when `signed`.
pub fn json_body(fields: &[(&str, String)], credentials: &Credentials, signed: bool) -> String {
    let mut map = serde_json::Map::new();
    for (name, value) in fields.iter().filter(|(_, v)| !v.is_empty()) {
        map.insert((*name).to_owned(), serde_json::Value::String(value.clone()));
    }
    if signed {
        let pairs = fields.iter().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (*n, v.as_str()));
        if let Ok(received) = ReceivedFields::from_pairs(pairs) {
            map.insert("sign".into(), serde_json::Value::String(sign_fields(&received, &credentials.secret)));
        }
    }
    serde_json::Value::Object(map).to_string()
}

fn json_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
}

/// An accepted reply: `return_status` 00, the business fields, `time`, `sign`.
pub fn accepted(mut fields: Vec<(&str, String)>, credentials: &Credentials, now: HkTime) -> Response {
    fields.insert(0, ("return_status", codes::ACCEPTED.to_owned()));
    fields.push(("time", now.to_compact()));
    json_response(json_body(&fields, credentials, true))
}

/// A refusal: code and text; with `time` and `sign` unless the code is negative.
pub fn refused(refusal: &Refusal, credentials: &Credentials, now: HkTime) -> Response {
    let mut fields = vec![("return_status", refusal.code.to_owned()), ("return_char", refusal.text.clone())];
    if refusal.is_signed() {
        fields.push(("user_confirm_key", credentials.user_confirm_key.clone()));
        fields.push(("time", now.to_compact()));
    }
    json_response(json_body(&fields, credentials, refusal.is_signed()))
}
