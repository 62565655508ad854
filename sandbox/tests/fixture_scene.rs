//! The sandbox on an invented scene (`tests/fixtures/kiosk`) that shares no field name, endpoint,
//! code or value with eftPay's spec: it serves it as it serves the real one — so nothing of the
//! real spec is written into the sandbox.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Ask, post_fields, reply_meaning_in, reply_value, request_fields};
use eftpay::catalog::{Catalog, InterfaceInfo};
use eftpay::rules::{Concept, Encoding, InterfaceKind, Meaning, Purpose};
use eftpay::verify::verify_fields;
use eftpay::{Amount, ReceivedFields};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::{Sandbox, SandboxConfig};

#[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
mod kiosk {
    eftpay_macros::include_spec!("tests/fixtures/kiosk");
}

static KIOSK: &Catalog = &kiosk::CATALOG;

fn interface(purpose: Purpose) -> &'static InterfaceInfo {
    KIOSK.scene_interface(KIOSK.scenes[0], purpose).unwrap()
}

/// A kiosk owner's notice endpoint: verifies each notice, reads it whole as the kiosk's notice,
/// and nods with the kiosk's acknowledgement.
async fn owner(credentials: eftpay::Credentials) -> (String, Arc<Mutex<Vec<ReceivedFields>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let inbox = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/notice",
        axum::routing::post(move |body: String| {
            let inbox = Arc::clone(&inbox);
            let credentials = credentials.clone();
            async move {
                let fields = ReceivedFields::from_json(&body).unwrap();
                verify_fields(&fields, &credentials.secret).unwrap();
                let notice = KIOSK.recognise_notification(&fields).unwrap();
                let typed = (notice.codec.typed.unwrap())(&fields).unwrap();
                assert!(typed.extra.is_empty(), "{:?}", typed.extra);
                inbox.lock().unwrap().push(fields);
                let ack = KIOSK.interface(notice.reply.unwrap()).unwrap();
                let code = ack.field_for(Concept::ReturnCode).unwrap();
                let time = ack.field_for(Concept::Time).unwrap();
                let mut pairs = vec![
                    (code.wire, KIOSK.wire_for(code.enum_name.unwrap(), Meaning::Handled).unwrap().to_owned()),
                    (time.wire, eftpay::Clock::now(&eftpay::SystemClock).to_compact()),
                ];
                let signed = ReceivedFields::from_pairs(pairs.iter().map(|(n, v)| (*n, v.as_str()))).unwrap();
                pairs.push((
                    ack.field_for(Concept::Sign).unwrap().wire,
                    eftpay::signing::sign_fields(&signed, &credentials.secret),
                ));
                let body: serde_json::Map<String, serde_json::Value> =
                    pairs.into_iter().map(|(n, v)| (n.to_owned(), v.into())).collect();
                serde_json::Value::Object(body).to_string()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notice", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn ask(sandbox: &Sandbox, interface: &InterfaceInfo, ask: &Ask<'_>) -> ReceivedFields {
    let row = KIOSK.services_of(interface.name).next();
    post_fields(sandbox, interface, &request_fields(sandbox, interface, row, ask)).await
}

fn meaning(interface: &InterfaceInfo, reply: &ReceivedFields, concept: Concept) -> Option<Meaning> {
    reply_meaning_in(KIOSK, interface, reply, concept)
}

#[tokio::test]
async fn the_sandbox_serves_an_invented_scene_from_its_catalog_alone() {
    let config = SandboxConfig { catalog: KIOSK, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let (notice_url, notices) = owner(sandbox.credentials().clone()).await;
    let order = interface(Purpose::PlaceOrder);

    // Order and pay on the page the reply links to.
    let placed = Ask {
        out_trade_no: Some("k-1"),
        amount: Some(Amount::from_cents(250)),
        notify_url: Some(&notice_url),
        ..Ask::default()
    };
    let reply = ask(&sandbox, order, &placed).await;
    assert_eq!(meaning(order, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    verify_fields(&reply, &sandbox.credentials().secret).unwrap();
    let booked = sandbox.order_by_out_trade_no("k-1").unwrap();
    let ttl = order.field_for(Concept::ActiveTime).unwrap().wire;
    let row = KIOSK.services_of(order.name).next().unwrap();
    let expected_ttl: i64 = row.effective_default(order, ttl).unwrap().parse().unwrap();
    assert_eq!(booked.expires.map(|e| e - booked.created), Some(expected_ttl), "the row's default active time");
    assert_eq!(booked.currency.as_deref(), order.field_for(Concept::Currency).unwrap().default, "the field's default");
    Payer::new().pay(reply_value(order, &reply, Concept::PayLink).unwrap()).await.unwrap();

    // The notice arrives in the kiosk's own words and the owner's nod is taken.
    for _ in 0..1000 {
        if sandbox.order(&booked.eft_trade_no).unwrap().notified {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(sandbox.order(&booked.eft_trade_no).unwrap().notified, "{:?}", sandbox.deliveries());
    let notice = notices.lock().unwrap()[0].clone();
    let paid = interface(Purpose::PaymentNotification);
    let stage = paid.field_for(Concept::TradeStatus).unwrap();
    assert_eq!(notice.text(stage.wire), KIOSK.wire_for(stage.enum_name.unwrap(), Meaning::Paid));

    // Look it up, give some back, look the giving back up.
    let lookup = interface(Purpose::Query);
    let by_ticket = Ask { out_trade_no: Some("k-1"), ..Ask::default() };
    assert_eq!(meaning(lookup, &ask(&sandbox, lookup, &by_ticket).await, Concept::TradeStatus), Some(Meaning::Paid));
    let give_back = interface(Purpose::Refund);
    let back = Ask {
        out_trade_no: Some("k-1"),
        refund_no: Some("s-1"),
        refund_amount: Some(Amount::from_cents(100)),
        ..Ask::default()
    };
    let reply = ask(&sandbox, give_back, &back).await;
    assert_eq!(meaning(give_back, &reply, Concept::TradeStatus), Some(Meaning::PartlyRefunded), "{reply:?}");
    let too_much = Ask { refund_no: Some("s-2"), refund_amount: Some(Amount::from_cents(151)), ..back.clone() };
    let reply = ask(&sandbox, give_back, &too_much).await;
    assert_eq!(meaning(give_back, &reply, Concept::ReturnStatus), Some(Meaning::RefundTooLarge), "{reply:?}");
    let slip = Ask { refund_no: Some("s-1"), ..by_ticket.clone() };
    let reply = ask(&sandbox, lookup, &slip).await;
    assert_eq!(meaning(lookup, &reply, Concept::TradeType), Some(Meaning::RefundTrade));
    assert_eq!(reply_value(lookup, &reply, Concept::TradeAmount), Some("1.00"));

    // Cancel an unpaid order; the paid one cannot be.
    let cancel = interface(Purpose::Close);
    let open = Ask { out_trade_no: Some("k-2"), amount: Some(Amount::from_cents(100)), ..Ask::default() };
    ask(&sandbox, order, &open).await;
    let reply = ask(&sandbox, cancel, &Ask { out_trade_no: Some("k-2"), ..Ask::default() }).await;
    assert_eq!(meaning(cancel, &reply, Concept::TradeStatus), Some(Meaning::Closed), "{reply:?}");
    let reply = ask(&sandbox, cancel, &by_ticket).await;
    assert_eq!(meaning(cancel, &reply, Concept::ReturnStatus), Some(Meaning::CannotClose), "{reply:?}");

    // Everything it sent is the kiosk's own messages, signed where the code is not negative.
    let sent = sandbox.sent();
    assert!(sent.len() >= 9);
    for message in &sent {
        let interface = KIOSK.interface(message.interface).unwrap();
        assert!(matches!(message.encoding, Encoding::Json));
        let fields = ReceivedFields::from_json(&message.body).unwrap();
        verify_fields(&fields, &sandbox.credentials().secret).unwrap_or_else(|e| panic!("{}: {e}", message.body));
        let typed = (interface.codec.typed.unwrap())(&fields).unwrap();
        assert!(typed.extra.is_empty(), "{}: {:?}", message.interface, typed.extra);
        if interface.kind() == InterfaceKind::Request {
            assert!(meaning(interface, &fields, Concept::ReturnStatus).is_some(), "{}", message.body);
        }
    }
    sandbox.shutdown().await;
}
