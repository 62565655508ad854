#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)] // a measurement program, not library code
//! Verifying a payment notification as a merchant's endpoint does — read the body, check it,
//! recompute and compare the signature, hand out the typed notification — against its floor in
//! the same run (`measure`): serde_json reading the body into a map, the signed text built from
//! it, the hash, and a constant-time comparison with the `sign` received.
//!
//! `cargo bench -p eftpay --bench verify`; `EFTPAY_BENCH_PROFILE=ours|floor` times one side alone,
//! for a profiler.

mod measure;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hint::black_box;

use eftpay::Notification;
use eftpay::Secret;
use eftpay::notify;
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Rounds per comparison.
const ROUNDS: usize = 41;

const SECRET: &str = "test-secret-not-real";

/// A payment notification with the fields eftPay's carry.
const NOTIFICATION: &str = r#"{"notify_type":"trade_status_sync","user_confirm_key":"TESTKEY00001","trade_no":"2023060922001497001234567890","transaction_id":"4200001234202306091234567890","out_trade_no":"rrn_1686280005975","eft_trade_no":"20005269520084311t5rutcv1734","total_fee":"0.53","currency":"HKD","trade_status":"TRADE_SUCCESS","gmt_payment":"2023-06-09 11:06:45","wallet":"ALIPAYHK","tid":"","trade_type":"SALE","time":"20230609110645"}"#;

/// The floor: the body into a map (which sorts by name), the signed text, the hash, the compare.
fn floor_verify(body: &str, secret: &[u8]) -> bool {
    let map: BTreeMap<String, Value> = serde_json::from_str(body).unwrap();
    let mut text = String::with_capacity(body.len());
    for (name, value) in &map {
        let value: Cow<'_, str> = match value {
            _ if name == "sign" => continue,
            Value::Null => continue,
            Value::String(text) if text.is_empty() => continue,
            Value::String(text) => Cow::Borrowed(text),
            other => Cow::Owned(other.to_string()),
        };
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(&value);
    }
    let mut sha = Sha256::new();
    sha.update(secret);
    sha.update(text.as_bytes());
    let mut hex = [0u8; 64];
    hex::encode_to_slice(sha.finalize(), &mut hex).unwrap();
    let received = map.get("sign").and_then(Value::as_str).unwrap_or_default();
    bool::from(hex.as_slice().ct_eq(received.as_bytes()))
}

fn main() {
    let secret = Secret::new(SECRET);
    let body = notify::sign_for_test(NOTIFICATION, &secret).unwrap();
    let verified = notify::verify_notification(&body, &secret).unwrap();
    assert!(matches!(verified.message(), Notification::Payment(_)));
    assert!(floor_verify(&body, SECRET.as_bytes()), "the floor verifies the same body");

    // For a profiler: only one side, 500,000 calls (EFTPAY_BENCH_PROFILE=ours|floor).
    match std::env::var("EFTPAY_BENCH_PROFILE").as_deref() {
        Ok("ours") => {
            let time = measure::timed(500_000, &mut || {
                drop(black_box(notify::verify_notification(black_box(&body), &secret).unwrap()));
            });
            return println!("ours: {:?} CPU per call", time / 500_000);
        }
        Ok("floor") => {
            let time =
                measure::timed(500_000, &mut || assert!(black_box(floor_verify(black_box(&body), SECRET.as_bytes()))));
            return println!("floor: {:?} CPU per call", time / 500_000);
        }
        _ => {}
    }

    measure::header();
    let verify = measure::compare(
        ROUNDS,
        || drop(black_box(notify::verify_notification(black_box(&body), &secret).unwrap())),
        || assert!(black_box(floor_verify(black_box(&body), SECRET.as_bytes()))),
    );
    measure::report(
        "verify a notification (parse, check, typed)",
        "serde_json → map, signed text, hash, constant-time compare",
        verify,
        1.15,
    );
}
