//! The fast paths sign and verify exactly as the plain rule of `docs/protocol.md` §2 does. The
//! rule is written out below the slow, obvious way — every field but `sign`, absent / `null` /
//! `""` left out, names in byte order, `name=value` joined by `&`, the secret in front, SHA-256,
//! lowercase hex — over a model of the message, and compared with what the SDK computes from the
//! message's JSON text, on 100,000 random messages: nested objects and arrays, numbers as
//! written, non-ASCII, escapes, empty and null values, names in any order.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use eftpay::gateway::{OutgoingField, OutgoingFields};
use eftpay::signing::{canonical_string, sign_fields};
use eftpay::verify::verify_fields;
use eftpay::{Amount, Credentials, Envelope, OutTradeNo, ReceivedFields, Secret, VerifyError, services, wallets};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

const SECRET: &str = "test-secret-not-real";

/// A JSON value as the model holds it. Numbers are their literal text.
#[derive(Clone, Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(String),
    Text(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The value's text as the rule signs it; `None` when it is left out.
    fn signed(&self) -> Option<String> {
        match self {
            Node::Null => None,
            Node::Text(text) if text.is_empty() => None,
            Node::Text(text) => Some(text.clone()),
            Node::Bool(value) => Some(value.to_string()),
            Node::Number(literal) => Some(literal.clone()),
            nested => Some(nested.compact()),
        }
    }

    /// Compact JSON text: no white space, keys in the given order, strings escaped as serde_json does.
    fn compact(&self) -> String {
        match self {
            Node::Null => "null".to_owned(),
            Node::Bool(value) => value.to_string(),
            Node::Number(literal) => literal.clone(),
            Node::Text(text) => serde_json::to_string(text).unwrap(),
            Node::Array(items) => format!("[{}]", items.iter().map(Node::compact).collect::<Vec<_>>().join(",")),
            Node::Object(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(key, value)| format!("{}:{}", serde_json::to_string(key).unwrap(), value.compact()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    /// The JSON text a sender might write: white space around, and `/` escaped as `\/`
    /// when `loose` (both allowed by JSON, neither part of what is signed).
    fn written(&self, loose: bool) -> String {
        let string = |text: &str| {
            let escaped = serde_json::to_string(text).unwrap();
            if loose { escaped.replace('/', "\\/") } else { escaped }
        };
        let gap = if loose { " " } else { "" };
        match self {
            Node::Text(text) => string(text),
            Node::Array(items) => {
                format!(
                    "[{gap}{}{gap}]",
                    items.iter().map(|i| i.written(loose)).collect::<Vec<_>>().join(&format!(",{gap}"))
                )
            }
            Node::Object(entries) => format!(
                "{{{gap}{}{gap}}}",
                entries
                    .iter()
                    .map(|(key, value)| format!("{}{gap}:{gap}{}", string(key), value.written(loose)))
                    .collect::<Vec<_>>()
                    .join(&format!(",{gap}"))
            ),
            other => other.compact(),
        }
    }
}

/// The rule, plainly: the signed text of `fields` (the model), without the secret.
fn reference_text(fields: &[(String, Node)]) -> String {
    let mut signed: Vec<(&String, String)> = fields
        .iter()
        .filter(|(name, _)| name != "sign")
        .filter_map(|(name, value)| Some((name, value.signed()?)))
        .collect();
    signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    signed.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
}

/// The rule, plainly: `sign`.
fn reference_sign(secret: &str, text: &str) -> String {
    hex::encode(Sha256::digest(format!("{secret}{text}").as_bytes()))
}

fn text() -> impl Strategy<Value = String> {
    // Mostly short; non-ASCII, quotes, backslashes and control characters among them; often empty.
    prop_oneof![
        2 => "[a-z0-9 ./:_-]{0,12}",
        1 => "\\PC{0,8}",
        1 => "[\"\\\\\\x00-\\x1fé測/&=]{0,6}",
        1 => Just(String::new()),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof!["-?(0|[1-9][0-9]{0,6})", "-?(0|[1-9][0-9]{0,3})\\.[0-9]{1,3}", "-?[1-9][0-9]{0,2}[eE][+-]?[0-9]{1,2}",]
}

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        1 => Just(Node::Null),
        1 => any::<bool>().prop_map(Node::Bool),
        2 => number().prop_map(Node::Number),
        4 => text().prop_map(Node::Text),
    ]
}

fn nested() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Node::Array),
            // Keys may repeat inside a nested object: it is kept as received.
            proptest::collection::vec(("\\PC{0,5}", inner), 0..4).prop_map(Node::Object),
        ]
    })
}

fn value() -> impl Strategy<Value = Node> {
    prop_oneof![
        6 => leaf(),
        1 => nested().prop_filter("a nested value", |node| matches!(node, Node::Array(_) | Node::Object(_))),
    ]
}

fn name() -> impl Strategy<Value = String> {
    // Names sort in every which way: upper case before `_` before lower case, non-ASCII last.
    "[A-Za-z_][A-Za-z0-9_é]{0,8}".prop_filter("sign is the signature's own", |name| name != "sign")
}

fn message() -> impl Strategy<Value = Vec<(String, Node)>> {
    proptest::collection::btree_map(name(), value(), 0..9)
        .prop_map(|fields| fields.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
}

/// `fields` as a JSON body, `sign` last when given.
fn body(fields: &[(String, Node)], sign: Option<&str>, loose: bool) -> String {
    let mut members: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{}:{}", serde_json::to_string(name).unwrap(), value.written(loose)))
        .collect();
    if let Some(sign) = sign {
        members.push(format!("\"sign\":\"{sign}\""));
    }
    let gap = if loose { "\n " } else { "" };
    format!("{{{gap}{}{gap}}}", members.join(&format!(",{gap}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_paths_sign_and_verify_as_the_plain_rule(
        fields in message(),
        loose in any::<bool>(),
        subject in "\\PC{1,12}",
        note in text(),
        cents in 0u64..10_000_000,
    ) {
        let secret = Secret::new(SECRET);
        let text = reference_text(&fields);
        let sign = reference_sign(SECRET, &text);

        // Received: read from its JSON text, signed, verified.
        let received = ReceivedFields::from_json(&body(&fields, None, loose)).unwrap();
        prop_assert_eq!(canonical_string(&received), text.as_str());
        prop_assert_eq!(sign_fields(&received, &secret), sign.as_str());
        let signed = ReceivedFields::from_json(&body(&fields, Some(&sign), loose)).unwrap();
        prop_assert_eq!(verify_fields(&signed, &secret), Ok(()));
        let other = if sign.starts_with('0') { sign.replacen('0', "1", 1) } else { format!("0{}", &sign[1..]) };
        let forged = ReceivedFields::from_json(&body(&fields, Some(&other), loose)).unwrap();
        prop_assert_eq!(verify_fields(&forged, &secret), Err(VerifyError::Mismatch));

        // Sent: the same fields given by name (nested ones as their compact text), in any order.
        let given: Vec<OutgoingField> = fields
            .iter()
            .filter(|(_, value)| !matches!(value, Node::Null))
            .map(|(name, value)| OutgoingField {
                name: Box::leak(name.clone().into_boxed_str()),
                value: value.signed().unwrap_or_default(),
                nested: matches!(value, Node::Array(_) | Node::Object(_)),
            })
            .filter(|field| !field.value.is_empty())
            .collect();
        // Sent values are text or nested JSON; numbers and booleans go as their text.
        let sent_model: Vec<(String, Node)> = given
            .iter()
            .map(|field| (field.name.to_owned(), if field.nested { fields.iter().find(|(n, _)| n == field.name).unwrap().1.clone() } else { Node::Text(field.value.clone()) }))
            .collect();
        let sent = OutgoingFields::from_fields(given);
        prop_assert_eq!(sent.signed_text(), reference_text(&sent_model));
        prop_assert_eq!(sent.sign(&secret), sign.as_str());
        let body = sent.signed_json(&secret);
        prop_assert_eq!(verify_fields(&ReceivedFields::from_json(&body).unwrap(), &secret), Ok(()));

        // A typed request (one case in eight, to keep the run short): written by the generated
        // walk, read back by serde_json, signed by the rule.
        if cents % 8 != 0 {
            return Ok(());
        }
        let order = services::AlipayWebPreOrder::place_order(
            wallets::AlipayHk,
            Amount::from_cents(cents),
            OutTradeNo::new("rrn_1"),
            subject.clone(),
            "https://merchant.example/paid",
        )
        .body(note.clone())
        .build();
        let credentials = Credentials::new("TESTKEY00001", SECRET);
        let envelope = Envelope { user_confirm_key: "TESTKEY00001", time: "20230609110645" };
        let typed = OutgoingFields::of(&order, &envelope);
        let json = typed.signed_json(&credentials.secret);
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&json).unwrap();
        let model: Vec<(String, Node)> = parsed
            .iter()
            .map(|(name, value)| (name.clone(), Node::Text(value.as_str().unwrap().to_owned())))
            .collect();
        let typed_sign = reference_sign(SECRET, &reference_text(&model));
        prop_assert_eq!(parsed["sign"].as_str(), Some(typed_sign.as_str()));
        prop_assert_eq!(typed.sign(&credentials.secret), typed_sign.as_str());
        // Hashed as written, no text built: the same signature.
        prop_assert_eq!(eftpay::signing::sign(&order, &envelope, &credentials.secret), typed_sign);
        prop_assert_eq!(parsed["subject"].as_str(), Some(subject.as_str()));
        prop_assert_eq!(parsed.get("body").and_then(|v| v.as_str()), (!note.is_empty()).then_some(note.as_str()));
        let amount = Amount::from_cents(cents).to_string();
        prop_assert_eq!(parsed["transaction_amount"].as_str(), Some(amount.as_str()));
    }
}
