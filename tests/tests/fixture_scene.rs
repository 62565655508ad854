//! An invented scene (`tests/fixtures/kiosk`), unlike every real one in shape, written as TOML
//! alone — no Rust was written for it — driven through every layer: the typed API and its
//! compile-time checks, `validate()`, signing, the notification dispatch, the client and the
//! sandbox, and `eftpay spec`.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use eftpay::rules::Purpose;
use eftpay::{Amount, OutgoingMessage, Rule};
use eftpay_tests::kiosk::{self, BasketLine, LineOption, services, wallets};

fn basket() -> Vec<BasketLine> {
    let option = LineOption { name: Some("milk".into()), value: Some("oat".into()) };
    vec![BasketLine { sku: Some("COFFEE".into()), qty: Some(2), options: vec![option] }]
}

#[test]
fn the_typed_api_takes_the_scenes_own_wire_names() {
    let order = services::KioskCoinOrder::place_order(
        wallets::CoinBox,
        eftpay::OutTradeNo::new("T-1"),
        Amount::from_cents(450),
        basket(),
    )
    .build();
    assert_eq!(order.method, kiosk::PayType::Coin, "the payment type comes from the row");
    assert_eq!(order.channel, kiosk::Wallet::CoinBox);
    assert_eq!(order.validate(), Ok(()));
    assert!(kiosk::KioskOrderRequest::SIGNED_FIELDS.contains(&"merchant_key"));
    assert!(kiosk::KioskOrderRequest::SIGNED_FIELDS.contains(&"basket"));
}

#[test]
fn a_field_is_required_only_for_the_channel_that_needs_it() {
    let card = services::KioskCardOrder::place_order(
        wallets::KioskCard,
        eftpay::OutTradeNo::new("T-2"),
        Amount::from_cents(450),
        basket(),
    );
    let violations = card.clone().build().validate().unwrap_err();
    assert!(violations.has("card_holder", Rule::Required), "{violations}");
    assert_eq!(card.card_holder("Chan Tai Man").build().validate(), Ok(()));
    let gift = services::KioskCardOrder::place_order(
        wallets::GiftCard,
        eftpay::OutTradeNo::new("T-3"),
        Amount::from_cents(450),
        basket(),
    );
    assert_eq!(gift.build().validate(), Ok(()), "another channel of the same row needs no holder");
}

#[test]
fn numeric_rules_of_the_scene_are_checked() {
    let order = |seconds: u32| {
        services::KioskCoinOrder::place_order(
            wallets::CoinBox,
            eftpay::OutTradeNo::new("T-4"),
            Amount::from_cents(450),
            basket(),
        )
        .valid_for(seconds)
        .build()
        .validate()
    };
    assert_eq!(order(90), Ok(()));
    assert!(order(95).unwrap_err().has("valid_for", Rule::OutOfRange), "a multiple of 30");
    assert!(order(30).unwrap_err().has("valid_for", Rule::OutOfRange), "at least 60");
    assert!(order(3630).unwrap_err().has("valid_for", Rule::OutOfRange), "at most 3600");
}

#[test]
fn a_row_is_found_by_payment_type_where_no_service_field_is_sent() {
    let mut order = services::KioskCoinOrder::place_order(
        wallets::CoinBox,
        eftpay::OutTradeNo::new("T-5"),
        Amount::from_cents(450),
        basket(),
    )
    .build();
    order.channel = kiosk::Wallet::GiftCard;
    let violations = order.validate().unwrap_err();
    assert!(violations.has("channel", Rule::NotForService), "{violations}");
}

#[test]
fn nested_arrays_of_objects_are_signed_as_compact_json_in_spec_order() {
    let order = services::KioskCoinOrder::place_order(
        wallets::CoinBox,
        eftpay::OutTradeNo::new("T-6"),
        Amount::from_cents(450),
        basket(),
    )
    .build();
    let credentials = eftpay::Credentials::new("KIOSK0000001", "test-secret-not-real");
    let body =
        eftpay::wire::signed_json(&order, &credentials, eftpay::HkTime::parse_compact("20261201120000").unwrap());
    let fields = eftpay::ReceivedFields::from_json(&body.json).unwrap();
    assert_eq!(fields.text("basket"), Some(r#"[{"sku":"COFFEE","qty":2,"options":[{"name":"milk","value":"oat"}]}]"#));
    assert_eq!(eftpay::verify::verify_fields(&fields, &credentials.secret), Ok(()));
    assert_eq!(kiosk::KioskOrderRequest::from_received(&fields), Ok(order), "a gateway reads back what was sent");
}

#[test]
fn the_catalog_describes_the_scene_by_purpose() {
    let scene = kiosk::CATALOG.scene("kiosk").unwrap();
    for purpose in [Purpose::PlaceOrder, Purpose::Query, Purpose::Close, Purpose::Refund, Purpose::PaymentNotification]
    {
        assert!(kiosk::CATALOG.scene_interface(scene, purpose).is_some(), "{purpose:?}");
    }
    let order = kiosk::CATALOG.scene_interface(scene, Purpose::PlaceOrder).unwrap();
    assert_eq!(order.endpoint, Some("/Kiosk/Order.do"));
    assert!(!order.has_service_field());
    let row = kiosk::CATALOG.row_for(order, None, Some("CARD")).unwrap();
    assert_eq!(row.effective_default(order, "valid_for"), Some("120"), "the row's default");
    let coin = kiosk::CATALOG.row_for(order, None, Some("COIN")).unwrap();
    assert_eq!(coin.effective_default(order, "valid_for"), Some("300"), "the field's default");
}

#[test]
fn the_scenes_notification_is_recognised_by_its_own_rule() {
    let secret = eftpay::Secret::new("test-secret-not-real");
    let body = eftpay::notify::sign_for_test(
        r#"{"event":"paid","merchant_key":"KIOSK0000001","ticket":"T-7","kiosk_ref":"K7","total":"4.50","channel":"COINBOX","state":"PAID","time":"20261201120000"}"#,
        &secret,
    )
    .unwrap();
    let fields = eftpay::ReceivedFields::from_json(&body).unwrap();
    assert_eq!(kiosk::CATALOG.recognise_notification(&fields).map(|i| i.name), Some("kiosk_event"));
    let verified = eftpay::verify::verify::<kiosk::Notification>(fields, &secret).unwrap();
    let kiosk::Notification::KioskEvent(event) = verified.message() else { panic!("a kiosk event") };
    assert_eq!(event.ticket.as_deref(), Some("T-7"));
    assert_eq!(event.state, Some(kiosk::State::Paid));
    assert!(event.extra.is_empty());

    let reply = eftpay::notify::sign_for_test(r#"{"status":"OK","ticket":"T-7","event":"paid"}"#, &secret).unwrap();
    let fields = eftpay::ReceivedFields::from_json(&reply).unwrap();
    assert!(kiosk::CATALOG.recognise_notification(&fields).is_none(), "a reply is not an event");
}
