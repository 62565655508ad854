//! An invented scene (`tests/fixtures/kiosk`), unlike every real one in shape, written as TOML
//! alone — no Rust was written for it — driven through every layer: the typed API and its
//! compile-time checks, `validate()`, signing, the notification dispatch, and the client, the
//! sandbox and the axum notify route together. The sandbox's own view of the scene is in
//! `sandbox/tests/fixture_scene.rs`, the CLI's (every command, `eftpay spec`, the demo) in
//! `cli/tests/fixture_scene.rs`.
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
        eftpay::signing::signed_json(&order, &credentials, eftpay::HkTime::parse_compact("20261201120000").unwrap());
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
fn the_scenes_notification_is_recognized_by_its_own_rule() {
    let secret = eftpay::Secret::new("test-secret-not-real");
    let body = eftpay::notify::sign_for_test(
        r#"{"event":"paid","merchant_key":"KIOSK0000001","ticket":"T-7","kiosk_ref":"K7","total":"4.50","channel":"COINBOX","state":"PAID","time":"20261201120000"}"#,
        &secret,
    )
    .unwrap();
    let fields = eftpay::ReceivedFields::from_json(&body).unwrap();
    assert_eq!(kiosk::CATALOG.recognize_notification(&fields).map(|i| i.name), Some("kiosk_event"));
    let verified = eftpay::verify::verify::<kiosk::Notification>(fields, &secret).unwrap();
    let kiosk::Notification::KioskEvent(event) = verified.message() else { panic!("a kiosk event") };
    assert_eq!(event.ticket.as_deref(), Some("T-7"));
    assert_eq!(event.state, Some(kiosk::State::Paid));
    assert!(event.extra.is_empty());

    let reply = eftpay::notify::sign_for_test(r#"{"status":"OK","ticket":"T-7","event":"paid"}"#, &secret).unwrap();
    let fields = eftpay::ReceivedFields::from_json(&reply).unwrap();
    assert!(kiosk::CATALOG.recognize_notification(&fields).is_none(), "a reply is not an event");
}

/// The whole flow of the invented scene through the typed API: the SDK's client sends the
/// kiosk's generated requests to a sandbox running on the kiosk's catalog, the shop's
/// `notify_url` is the SDK's axum route reading the kiosk's own `Notification` type, and every
/// reply comes back as the kiosk's generated response type.
#[tokio::test]
async fn the_scene_runs_end_to_end_through_the_client_the_sandbox_and_the_notify_route() {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use eftpay::Verified;
    use eftpay::notify::axum::notification_route_in;
    use eftpay::{Client, ClientError, OutTradeNo, RefundAmount, RefundNo, SystemClock};
    use eftpay_sandbox::{Sandbox, SandboxConfig};

    let config = SandboxConfig {
        catalog: &kiosk::CATALOG,
        notification_backoff: Duration::from_millis(20),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let credentials = sandbox.credentials().clone();

    // The shop: the SDK's notify route, typed by the kiosk's own notification enum.
    let events: Arc<Mutex<Vec<kiosk::Notification>>> = Arc::default();
    let seen = Arc::clone(&events);
    let route = notification_route_in(
        &kiosk::CATALOG,
        credentials.clone(),
        Arc::new(SystemClock),
        move |_: axum::extract::State<()>, event: Verified<kiosk::Notification>| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().unwrap().push(event.message().clone());
                Ok::<(), std::convert::Infallible>(())
            }
        },
    );
    let shop = axum::Router::new().route("/notify", route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let notify_url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, shop).await });

    let client = Client::builder(credentials).base_url(sandbox.base_url()).build().unwrap();

    // Order by card: the conditional holder is set, the event is asked for.
    let order = services::KioskCardOrder::place_order(
        wallets::KioskCard,
        OutTradeNo::new("E2E-1"),
        Amount::from_cents(1250),
        basket(),
    )
    .card_holder("Chan Tai Man")
    .notify(notify_url.as_str());
    let placed = client.place_order(order).await.unwrap();
    let reply = placed.message();
    assert_eq!(reply.status, Some(kiosk::Status::Ok));
    assert!(reply.scan.as_deref().is_some_and(|scan| scan.starts_with(sandbox.base_url())), "{reply:?}");
    let kiosk_ref = reply.kiosk_ref.clone().unwrap();
    sandbox.pay(&kiosk_ref).unwrap();

    // The event arrives as the kiosk's typed notification and is acknowledged.
    for _ in 0..500 {
        if sandbox.order(&kiosk_ref).is_some_and(|o| o.notified) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(sandbox.order(&kiosk_ref).unwrap().notified, "{:?}", sandbox.deliveries());
    let event = events.lock().unwrap().first().cloned().unwrap();
    let kiosk::Notification::KioskEvent(event) = event else { panic!("a kiosk event") };
    assert_eq!((event.ticket.as_deref(), event.state), (Some("E2E-1"), Some(kiosk::State::Paid)));

    // Look up, give part back, and cancel: each the kiosk's own typed request and reply.
    let looked = client.query(services::KioskLookup::query(OutTradeNo::new("E2E-1"))).await.unwrap();
    assert_eq!(looked.message().state, Some(kiosk::State::Paid));
    assert_eq!(looked.message().kiosk_ref.as_deref(), Some(kiosk_ref.as_str()));
    let back = services::KioskRefund::refund(
        OutTradeNo::new("E2E-1"),
        RefundAmount::new(Amount::from_cents(250)),
        RefundNo::new("V-1"),
    );
    let refunded = client.refund(back).await.unwrap();
    assert_eq!(refunded.message().state, Some(kiosk::State::Part));
    let refused = client.close(services::KioskCancel::close(OutTradeNo::new("E2E-1"))).await.unwrap_err();
    let ClientError::Gateway(refusal) = &refused else { panic!("{refused}") };
    assert_eq!(refusal.meaning(), Some(eftpay::rules::Meaning::CannotClose), "a paid ticket cannot be cancelled");

    let coin = services::KioskCoinOrder::place_order(
        wallets::CoinBox,
        OutTradeNo::new("E2E-2"),
        Amount::from_cents(300),
        basket(),
    );
    client.place_order(coin).await.unwrap();
    let cancelled = client.close(services::KioskCancel::close(OutTradeNo::new("E2E-2"))).await.unwrap();
    assert_eq!(cancelled.message().state, Some(kiosk::State::Void));
    sandbox.shutdown().await;
}
