#![allow(missing_docs)] // a measurement program, not library code
//! Signing a request the way the SDK does — its fields collected once in their compile-time
//! order (`wire::OutgoingFields::of`), then hashed — against the general rule a receiver applies,
//! which sorts the fields at run time; measured in the same run, so the ratio holds on a noisy
//! machine even when the absolute numbers do not.
//!
//! `cargo bench -p eftpay --bench signing`

use std::hint::black_box;
use std::time::{Duration, Instant};

use eftpay::signing::sign_fields;
use eftpay::wire::OutgoingFields;
use eftpay::{Amount, Credentials, Envelope, HkTime, ReceivedFields, services, wallets};

fn per_iteration(mut f: impl FnMut(), budget: Duration) -> Duration {
    // Warm up, then run until the budget is spent; report the median of 15 rounds.
    for _ in 0..1_000 {
        f();
    }
    let mut rounds = Vec::with_capacity(15);
    for _ in 0..15 {
        let start = Instant::now();
        let mut n: u32 = 0;
        while start.elapsed() < budget / 15 {
            for _ in 0..100 {
                f();
            }
            n += 100;
        }
        rounds.push(start.elapsed() / n.max(1));
    }
    rounds.sort_unstable();
    rounds.get(rounds.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(53),
        eftpay::OutTradeNo::new("rrn_1686280005998"),
        "test",
    )
    .return_url("https://merchant.example/return")
    .notify_url("https://merchant.example/notify")
    .body("a longer description of the goods in this order")
    .build();
    let envelope = Envelope { user_confirm_key: "TESTKEY00001", time: "20230609110645" };
    let time = HkTime::parse_compact("20230609110645").unwrap_or_else(|_| eftpay::Clock::now(&eftpay::SystemClock));
    let body = eftpay::wire::signed_json(&order, &credentials, time).json;
    let fields = ReceivedFields::from_json(&body).unwrap_or_default();
    assert_eq!(
        OutgoingFields::of(&order, &envelope).sign(&credentials.secret),
        sign_fields(&fields, &credentials.secret)
    );

    let budget = Duration::from_secs(3);
    let in_order = per_iteration(
        || drop(black_box(OutgoingFields::of(black_box(&order), &envelope).sign(&credentials.secret))),
        budget,
    );
    let sorted = per_iteration(|| drop(black_box(sign_fields(black_box(&fields), &credentials.secret))), budget);
    println!(
        "sign a place-order request as the SDK does, collected in compile-time order: {in_order:>8.2?} per request"
    );
    println!("sign the same fields as received, sorted at run time:                        {sorted:>8.2?} per request");
    println!("ratio sorted / in order: {:.2}", sorted.as_secs_f64() / in_order.as_secs_f64().max(f64::MIN_POSITIVE));
}
