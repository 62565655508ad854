//! Places, signs and verifies through the typed API of the packaged `eftpay` crate.

use eftpay::{Amount, Credentials, HkTime, services, wallets};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
    let order = services::AlipayQrcodePreOrder::place_order(wallets::AlipayBoth, Amount::parse("2.00")?, eftpay::OutTradeNo::new("rrn_1"), "counter", "https://merchant.example/notify")
        .build();
    order.validate()?;
    let time = HkTime::parse_compact("20261201120000")?;
    let body = eftpay::signing::signed_json(&order, &credentials, time);
    let fields = eftpay::ReceivedFields::from_json(&body.json)?;
    eftpay::verify::verify_fields(&fields, &credentials.secret)?;

    let notification = eftpay::notify::sign_for_test(
        r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","total_fee":"2.00","trade_status":"TRADE_SUCCESS","time":"20261201120500"}"#,
        &credentials.secret,
    )?;
    let verified = eftpay::notify::verify_notification(&notification, &credentials.secret)?;
    assert_eq!(verified.out_trade_no(), Some("rrn_1"));
    println!("packaged eftpay: placed, signed and verified ({} services in its spec)", eftpay::CATALOG.services.len());
    Ok(())
}
