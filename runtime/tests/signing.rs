//! The signature rule against vectors computed outside Rust (runtime/tests/golden, made by a
//! Python script from docs/protocol.md §2), and its properties: what is signed verifies, and any
//! single changed field does not.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use eftpay::signing::{canonical_string, sign_fields};
use eftpay::verify::verify_fields;
use eftpay::{Amount, Credentials, Envelope, HkTime, ReceivedFields, Secret, VerifyError, services, wallets};
use proptest::prelude::*;

#[derive(serde::Deserialize)]
struct Vector {
    name: String,
    secret: String,
    message: String,
    canonical: String,
    sign: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("golden/signing_vectors.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn there_are_at_least_twenty_golden_vectors() {
    assert!(vectors().len() >= 20);
}

#[test]
fn canonical_strings_match_the_golden_vectors() {
    for v in vectors() {
        let fields = ReceivedFields::from_json(&v.message).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(canonical_string(&fields), v.canonical, "{}", v.name);
    }
}

#[test]
fn signatures_match_the_golden_vectors() {
    for v in vectors() {
        let fields = ReceivedFields::from_json(&v.message).unwrap();
        assert_eq!(sign_fields(&fields, &Secret::new(v.secret.clone())), v.sign, "{}", v.name);
    }
}

#[test]
fn golden_messages_verify_once_their_sign_is_set() {
    for v in vectors() {
        let fields = ReceivedFields::from_json(&v.message).unwrap();
        let mut pairs: Vec<(String, String)> = Vec::new();
        // Rebuild only text-valued messages as pairs; the others are covered above.
        if fields.iter().all(|(_, value)| matches!(value, eftpay::ReceivedValue::Text(_))) {
            for (name, value) in fields.iter().filter(|(n, _)| *n != "sign") {
                pairs.push((name.to_owned(), value.to_string()));
            }
            pairs.push(("sign".into(), v.sign.clone()));
            let signed = ReceivedFields::from_pairs(pairs).unwrap();
            assert_eq!(verify_fields(&signed, &Secret::new(v.secret.clone())), Ok(()), "{}", v.name);
        }
    }
}

#[test]
fn a_typed_request_signed_in_compile_time_order_equals_the_sorted_rule() {
    let credentials = Credentials::new("S0003469", "test-secret-not-real-0001");
    let order = services::AtomeV2WapPreOrder::place_order(
        wallets::Atome,
        Amount::from_cents(11020),
        eftpay::OutTradeNo::new("rrn_1"),
        "测试 & =",
        "https://merchant.example/return",
    )
    .items(vec![eftpay::Item {
        item_id: Some("P100".into()),
        name: Some("iPhone".into()),
        price: Some(11020),
        quantity: Some(1),
    }])
    .build();
    let envelope = Envelope { user_confirm_key: "S0003469", time: "20230609110645" };
    let in_order = eftpay::gateway::OutgoingFields::of(&order, &envelope).sign(&credentials.secret);
    let body = eftpay::signing::signed_json(&order, &credentials, HkTime::parse_compact("20230609110645").unwrap());
    let fields = ReceivedFields::from_json(&body.json).unwrap();
    assert_eq!(sign_fields(&fields, &credentials.secret), in_order);
    assert_eq!(fields.text("sign"), Some(in_order.as_str()));
    assert_eq!(fields.text("items"), Some(r#"[{"itemId":"P100","name":"iPhone","quantity":1,"price":11020}]"#));
}

/// Issue 9: one typed request of each scene, built and signed by the SDK, is the message the
/// independent signer (`golden/make_signing_vectors.py`, from `docs/protocol.md` §2) signed, field
/// for field, with the same signature. The vector is found by the scene the catalog puts the
/// request's interface in (`scene_<scene>_place_order`).
#[test]
fn each_scene_signs_a_typed_request_as_the_independent_signer_does() {
    use eftpay::Request;
    fn signed<R: Request>(request: &R) -> (&'static str, String) {
        let credentials = Credentials::new("S0003469", "test-secret-not-real-0001");
        let time = HkTime::parse_compact("20261201120000").unwrap();
        (R::INFO.name, eftpay::signing::signed_json(request, &credentials, time).json)
    }
    let paid = "https://merchant.example/paid";
    let notify = "https://merchant.example/eftpay/notify";
    let out = eftpay::OutTradeNo::new;
    let built = [
        signed(
            &services::AlipayWebPreOrder::place_order(
                wallets::AlipayHk,
                Amount::from_cents(53),
                out("rrn_web_1"),
                "Web sale",
                paid,
            )
            .notify_url(notify)
            .build(),
        ),
        signed(
            &services::AlipayQrcodePreOrder::place_order(
                wallets::AlipayBoth,
                Amount::from_cents(200),
                out("rrn_qr_1"),
                "Counter sale",
                notify,
            )
            .build(),
        ),
        signed(
            &services::AppWechatPreOrder::place_order(
                wallets::WeChatHk,
                Amount::from_cents(300),
                out("rrn_app_1"),
                eftpay::BuyerType::Ios,
                "In-app sale",
                "Coffee beans",
            )
            .build(),
        ),
        signed(
            &services::CashierPreOrder::place_order(
                Amount::from_cents(400),
                out("rrn_cashier_1"),
                "Cashier sale",
                paid,
            )
            .build(),
        ),
    ];
    let vectors = vectors();
    let mut scenes = Vec::new();
    for (interface, json) in built {
        let scene = eftpay::CATALOG.scenes_of(interface).next().unwrap().name;
        let name = format!("scene_{scene}_place_order");
        let vector = vectors.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no golden vector {name}"));
        let ours = ReceivedFields::from_json(&json).unwrap();
        let theirs = ReceivedFields::from_json(&vector.message).unwrap();
        let fields = |f: &ReceivedFields| {
            let mut all: Vec<(String, Option<String>)> = f
                .iter()
                .filter(|(n, _)| *n != "sign")
                .map(|(n, _)| (n.to_owned(), f.text(n).map(str::to_owned)))
                .collect();
            all.sort();
            all
        };
        assert_eq!(fields(&ours), fields(&theirs), "{name}: the SDK sends other fields than the vector");
        assert_eq!(ours.text("sign"), Some(vector.sign.as_str()), "{name}");
        scenes.push(scene);
    }
    let requests = scenes.len();
    scenes.sort_unstable();
    scenes.dedup();
    assert_eq!(scenes.len(), requests, "each request is of another scene: {scenes:?}");
}

fn field_name() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,12}".prop_filter("sign is never signed", |n| n != "sign")
}

fn message() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map(field_name(), "\\PC{1,20}", 1..12).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn what_is_signed_verifies(pairs in message(), secret in "\\PC{1,30}") {
        let secret = Secret::new(secret);
        let unsigned = ReceivedFields::from_pairs(pairs.clone()).unwrap();
        let mut signed = pairs;
        signed.push(("sign".into(), sign_fields(&unsigned, &secret)));
        prop_assert_eq!(verify_fields(&ReceivedFields::from_pairs(signed).unwrap(), &secret), Ok(()));
    }

    #[test]
    fn any_single_changed_field_is_rejected(pairs in message(), which in any::<prop::sample::Index>(), extra in "\\PC{1,5}") {
        let secret = Secret::new("test-secret-not-real");
        let sign = sign_fields(&ReceivedFields::from_pairs(pairs.clone()).unwrap(), &secret);
        let mut tampered = pairs;
        let i = which.index(tampered.len());
        tampered[i].1.push_str(&extra);
        tampered.push(("sign".into(), sign));
        prop_assert_eq!(verify_fields(&ReceivedFields::from_pairs(tampered).unwrap(), &secret), Err(VerifyError::Mismatch));
    }

    #[test]
    fn an_added_field_is_rejected(pairs in message(), name in field_name(), value in "\\PC{1,5}") {
        prop_assume!(!pairs.iter().any(|(n, _)| *n == name));
        let secret = Secret::new("test-secret-not-real");
        let sign = sign_fields(&ReceivedFields::from_pairs(pairs.clone()).unwrap(), &secret);
        let mut tampered = pairs;
        tampered.push((name, value));
        tampered.push(("sign".into(), sign));
        prop_assert_eq!(verify_fields(&ReceivedFields::from_pairs(tampered).unwrap(), &secret), Err(VerifyError::Mismatch));
    }
}

#[test]
fn missing_and_malformed_signatures_are_refused() {
    let secret = Secret::new("test-secret-not-real");
    let missing = ReceivedFields::from_pairs([("a", "1")]).unwrap();
    assert_eq!(verify_fields(&missing, &secret), Err(VerifyError::MissingSignature));
    let short = ReceivedFields::from_pairs([("a", "1"), ("sign", "abc")]).unwrap();
    assert_eq!(verify_fields(&short, &secret), Err(VerifyError::MalformedSignature));
    let not_hex = ReceivedFields::from_pairs([("a", "1"), ("sign", &"z".repeat(64))]).unwrap();
    assert_eq!(verify_fields(&not_hex, &secret), Err(VerifyError::MalformedSignature));
}
