//! Builds a place-order request through the typed API, validates it, and prints the signed JSON
//! body the client would send — with obviously fake credentials, and no network.
//!
//! `cargo run -p eftpay --example place_order`

use eftpay::{Amount, Credentials, HkTime, PlaceOrderRequest, services, wallets};

fn main() {
    let order = match Amount::parse("0.53") {
        Ok(amount) => services::AlipayWebPreOrder::place_order(
            wallets::AlipayHk,
            amount,
            eftpay::OutTradeNo::new("rrn_1686280005998"),
            "test",
            "https://merchant.example/return",
        )
        .notify_url("https://merchant.example/notify")
        .build(),
        Err(error) => return eprintln!("{error}"),
    };
    println!("1. Typed request for {} (wallet {}):", order.service, order.wallet);
    match order.validate() {
        Ok(()) => println!("   validate(): ok"),
        Err(violations) => return eprintln!("{violations}"),
    }

    let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
    let time = HkTime::parse_compact("20230609110645").unwrap_or_else(|_| eftpay::Clock::now(&eftpay::SystemClock));
    let body = eftpay::signing::signed_json(&order, &credentials, time);
    println!("2. Signed JSON body (fields in byte order, sign last):\n   {}", body.json);

    let mut broken: PlaceOrderRequest = order.clone();
    broken.wallet = eftpay::Wallet::WeChatCn;
    broken.return_url = Some("https://merchant.example/return?order=1".into());
    println!("3. The dynamic API lets a caller get things wrong; validate() says what and how to fix:");
    if let Err(violations) = broken.validate() {
        for violation in &violations {
            println!("   - {violation}");
        }
    }
}
