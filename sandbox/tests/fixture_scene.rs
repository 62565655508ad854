//! The sandbox on an invented scene (`tests/fixtures/kiosk` at the workspace root, the one the
//! SDK's and the CLI's tests run too) that shares no field name, endpoint, code or value with
//! eftPay's spec: it serves it as it serves the real one — so nothing of the real spec is written
//! into the sandbox. Every value this test checks is read from the kiosk's catalog.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::time::Duration;

use common::{Ask, post_fields, reply_meaning_in, reply_value, request_fields};
use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, Encoding, InterfaceKind, Meaning, Notifications, Purpose};
use eftpay::verify::verify_fields;
use eftpay::{Amount, ReceivedFields};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::merchant::Merchant;
use eftpay_sandbox::{Sandbox, SandboxConfig};

#[allow(missing_docs, dead_code, unreachable_pub, clippy::all)]
mod kiosk {
    eftpay_macros::include_spec!("../tests/fixtures/kiosk");
}

static KIOSK: &Catalog = &kiosk::CATALOG;

fn interface(purpose: Purpose) -> &'static InterfaceInfo {
    KIOSK.scene_interface(KIOSK.scenes[0], purpose).unwrap()
}

fn meaning(interface: &InterfaceInfo, reply: &ReceivedFields, concept: Concept) -> Option<Meaning> {
    reply_meaning_in(KIOSK, interface, reply, concept)
}

/// The kiosk's requests as they are sent, and the interface of each, in order.
struct Kiosk<'a> {
    sandbox: &'a Sandbox,
    asked: Vec<&'static str>,
}

impl Kiosk<'_> {
    /// A request of `interface` for `row` (or the interface's first row), filled in from `ask`.
    async fn ask(
        &mut self,
        interface: &'static InterfaceInfo,
        row: Option<&ServiceInfo>,
        ask: &Ask<'_>,
    ) -> ReceivedFields {
        let row = row.or_else(|| KIOSK.services_of(interface.name).next());
        self.asked.push(interface.name);
        post_fields(self.sandbox, interface, &request_fields(self.sandbox, interface, row, ask)).await
    }
}

#[tokio::test]
async fn the_sandbox_serves_an_invented_scene_from_its_catalog_alone() {
    let config = SandboxConfig { catalog: KIOSK, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let owner = Merchant::start_in(KIOSK, sandbox.credentials().clone()).await.unwrap();
    let mut kiosk = Kiosk { sandbox: &sandbox, asked: Vec::new() };
    let order = interface(Purpose::PlaceOrder);
    // A row whose payments are notified: the notice and the owner's acknowledgement belong to the
    // scene too.
    let row = KIOSK.services_of(order.name).find(|row| row.notifications != Notifications::Never).unwrap();

    // Order and pay on the page the reply links to.
    let notify_url = owner.notify_url();
    let placed = Ask {
        out_trade_no: Some("k-1"),
        amount: Some(Amount::from_cents(250)),
        notify_url: Some(&notify_url),
        ..Ask::default()
    };
    let reply = kiosk.ask(order, Some(row), &placed).await;
    assert_eq!(meaning(order, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    verify_fields(&reply, &sandbox.credentials().secret).unwrap();
    let booked = sandbox.order_by_out_trade_no("k-1").unwrap();
    assert_eq!(booked.service, row.name);
    let ttl = order.field_for(Concept::ActiveTime).unwrap().wire;
    let expected_ttl: i64 = row.effective_default(order, ttl).unwrap().parse().unwrap();
    assert_eq!(booked.expires.map(|e| e - booked.created), Some(expected_ttl), "the row's default active time");
    let link = reply_value(order, &reply, Concept::QrCode).or_else(|| reply_value(order, &reply, Concept::PayLink));
    Payer::new().pay(link.unwrap()).await.unwrap();

    // The notice arrives in the kiosk's own words and the owner's acknowledgement is taken.
    for _ in 0..1000 {
        if sandbox.order(&booked.eft_trade_no).unwrap().notified {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(sandbox.order(&booked.eft_trade_no).unwrap().notified, "{:?}", sandbox.deliveries());
    let paid = interface(Purpose::PaymentNotification);
    let notices: Vec<_> = owner.received().into_iter().filter(|r| r.interface.name == paid.name).collect();
    assert_eq!(notices.len(), 1, "acknowledged at the first delivery");
    assert!(notices[0].fields.extra.is_empty(), "read whole: {:?}", notices[0].fields.extra);
    let stage = paid.field_for(Concept::TradeStatus).unwrap();
    assert_eq!(notices[0].value(Concept::TradeStatus), KIOSK.wire_for(stage.enum_name.unwrap(), Meaning::Paid));
    assert_eq!(notices[0].value(Concept::OutTradeNo), Some("k-1"));

    // Look it up, give some back (not more than is left), look it up again.
    let lookup = interface(Purpose::Query);
    let by_ticket = Ask { out_trade_no: Some("k-1"), ..Ask::default() };
    let reply = kiosk.ask(lookup, None, &by_ticket).await;
    assert_eq!(meaning(lookup, &reply, Concept::TradeStatus), Some(Meaning::Paid), "{reply:?}");
    let give_back = interface(Purpose::Refund);
    let back = Ask {
        out_trade_no: Some("k-1"),
        refund_no: Some("s-1"),
        refund_amount: Some(Amount::from_cents(100)),
        ..Ask::default()
    };
    let reply = kiosk.ask(give_back, None, &back).await;
    assert_eq!(meaning(give_back, &reply, Concept::TradeStatus), Some(Meaning::PartlyRefunded), "{reply:?}");
    assert_eq!(reply_value(give_back, &reply, Concept::RefundAmount), Some("1.00"));
    let too_much = Ask { refund_no: Some("s-2"), refund_amount: Some(Amount::from_cents(151)), ..back.clone() };
    let reply = kiosk.ask(give_back, None, &too_much).await;
    assert_eq!(meaning(give_back, &reply, Concept::ReturnStatus), Some(Meaning::RefundTooLarge), "{reply:?}");
    let reply = kiosk.ask(lookup, None, &by_ticket).await;
    assert_eq!(meaning(lookup, &reply, Concept::TradeStatus), Some(Meaning::PartlyRefunded), "{reply:?}");

    // Cancel an unpaid order; the paid one cannot be.
    let cancel = interface(Purpose::Close);
    let open = Ask { out_trade_no: Some("k-2"), amount: Some(Amount::from_cents(100)), ..Ask::default() };
    kiosk.ask(order, Some(row), &open).await;
    let reply = kiosk.ask(cancel, None, &Ask { out_trade_no: Some("k-2"), ..Ask::default() }).await;
    assert_eq!(meaning(cancel, &reply, Concept::TradeStatus), Some(Meaning::Closed), "{reply:?}");
    let reply = kiosk.ask(cancel, None, &by_ticket).await;
    assert_eq!(meaning(cancel, &reply, Concept::ReturnStatus), Some(Meaning::CannotClose), "{reply:?}");

    // What it sent is one reply to each request, in order, and one notice per delivery — each
    // the kiosk's own message, signed, read whole by its generated type.
    let sent = sandbox.sent();
    let kind = |name: &str| KIOSK.interface(name).unwrap().kind();
    let replies: Vec<&str> =
        sent.iter().map(|m| m.interface).filter(|name| kind(name) == InterfaceKind::Request).collect();
    assert_eq!(replies, kiosk.asked, "one reply to each request");
    let delivered = sent.iter().filter(|m| m.interface == paid.name).count();
    assert_eq!(delivered, sandbox.deliveries().len(), "one notice per delivery");
    assert_eq!(sent.len(), replies.len() + delivered, "and nothing else");
    for message in &sent {
        let interface = KIOSK.interface(message.interface).unwrap();
        assert!(matches!(message.encoding, Encoding::Json));
        let fields = ReceivedFields::from_json(&message.body).unwrap();
        verify_fields(&fields, &sandbox.credentials().secret).unwrap_or_else(|e| panic!("{}: {e}", message.body));
        let typed = (interface.typed_reader().unwrap())(&fields).unwrap();
        assert!(typed.extra.is_empty(), "{}: {:?}", message.interface, typed.extra);
        if interface.kind() == InterfaceKind::Request {
            assert!(meaning(interface, &fields, Concept::ReturnStatus).is_some(), "{}", message.body);
        }
    }
    sandbox.shutdown().await;
}

/// The flow `scenes.rs` walks for every real scene, unchanged, on the invented one: the kiosk's
/// order, payment on its page, event, lookup, refund and cancel, read from its catalog by
/// purpose — so a scene the tests were never written for is walked whole. Every request and
/// message of the kiosk is among what was sent.
#[tokio::test]
async fn the_catalog_walked_flow_of_every_scene_walks_the_invented_one() {
    let config = SandboxConfig { catalog: KIOSK, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let merchant = Merchant::start_in(KIOSK, sandbox.credentials().clone()).await.unwrap();
    for scene in KIOSK.scenes {
        common::scene_flow(&sandbox, &merchant, scene, &format!("walk-{}", scene.name)).await;
    }
    let sent: std::collections::BTreeSet<&str> = sandbox.sent().iter().map(|m| m.interface).collect();
    for interface in KIOSK.interfaces.iter().filter(|i| i.kind() != InterfaceKind::Acknowledgement) {
        assert!(sent.contains(interface.name), "no {} was sent", interface.name);
    }
    sandbox.shutdown().await;
}
