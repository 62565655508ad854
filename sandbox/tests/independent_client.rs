#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The sandbox as a client that owes nothing to the SDK sees it: requests signed by hand
//! (docs/protocol.md §2) and sent with reqwest, replies read as plain JSON — so what the sandbox
//! answers is checked against the protocol, not against the SDK's own reply types.

use std::collections::BTreeMap;

mod common;

use common::Ask;
use eftpay::catalog::{InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, InterfaceKind, Meaning, Purpose};
use eftpay::{CATALOG, Clock, Credentials, SystemClock};
use eftpay_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

const USER_KEY: &str = "INDEPENDENT1";
const SECRET: &str = "independent-secret-not-real";

/// `sign` for `fields`: sha256 over the secret followed by the non-empty fields sorted by name,
/// joined as `name=value` with `&`.
fn sign(fields: &BTreeMap<String, String>) -> String {
    let text: Vec<String> =
        fields.iter().filter(|(_, value)| !value.is_empty()).map(|(name, value)| format!("{name}={value}")).collect();
    hex::encode(Sha256::digest(format!("{SECRET}{}", text.join("&")).as_bytes()))
}

/// POSTs `fields`, signed, as JSON to `url`; the reply as a JSON object, its signature checked.
async fn post(url: &str, mut fields: BTreeMap<String, String>) -> Map<String, Value> {
    fields.insert("sign".into(), sign(&fields));
    let body = serde_json::to_string(&fields).unwrap();
    // Plain reqwest; the SDK's builder only supplies the TLS provider reqwest is built without.
    let reply = eftpay::gateway::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(url)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let Value::Object(reply) = serde_json::from_str(&reply).unwrap() else { panic!("not an object: {reply}") };
    let mut signed: BTreeMap<String, String> =
        reply.iter().map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned())).collect();
    let given = signed.remove("sign").unwrap_or_else(|| panic!("{url} answered unsigned: {reply:?}"));
    assert_eq!(given, sign(&signed), "the reply's signature: {reply:?}");
    reply
}

/// A field of `interface` standing for `concept`, by wire name.
fn wire(interface: &eftpay::catalog::InterfaceInfo, concept: Concept) -> &'static str {
    interface.field_for(concept).unwrap_or_else(|| panic!("{} has no {concept:?}", interface.name)).wire
}

#[tokio::test]
async fn the_query_reply_names_the_payers_wallet_payment_type() {
    let config = SandboxConfig { credentials: Some(Credentials::new(USER_KEY, SECRET)), ..SandboxConfig::default() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    // A row where the payer chooses the wallet (no payType of its own), and a query of its scene.
    let row: &ServiceInfo = CATALOG
        .services
        .iter()
        .copied()
        .find(|row| row.pay_type.is_none() && CATALOG.interface(row.interface).unwrap().purpose == Purpose::PlaceOrder)
        .expect("the spec has a place-order row where the payer chooses");
    let place = CATALOG.interface(row.interface).unwrap();
    let scene = CATALOG.scenes_of(place.name).next().unwrap();
    let query = CATALOG.scene_interface(scene, Purpose::Query).unwrap();
    let now = SystemClock.now().to_compact();

    let mut order = BTreeMap::new();
    for (concept, value) in [
        (Concept::UserConfirmKey, USER_KEY),
        (Concept::Time, now.as_str()),
        (Concept::Amount, "1.00"),
        (Concept::OutTradeNo, "independent_1"),
        (Concept::Subject, "Tea"),
        (Concept::ReturnUrl, "http://127.0.0.1:9/return"),
    ] {
        order.insert(wire(place, concept).to_owned(), value.to_owned());
    }
    if place.has_service_field() {
        order.insert(wire(place, Concept::Service).to_owned(), row.name.to_owned());
    }
    if let Some(pay_scene) = row.default_pay_scene() {
        order.insert(wire(place, Concept::PayScene).to_owned(), pay_scene.to_owned());
    }
    for field in place.fields.iter().filter(|f| f.fixed.is_some()) {
        order.insert(field.wire.to_owned(), field.fixed.unwrap().to_owned());
    }
    let placed = post(&format!("{}{}", sandbox.base_url(), place.endpoint.unwrap()), order).await;
    assert_eq!(placed["return_status"], "00", "{placed:?}");
    let eft_trade_no = placed[place.response_field_for(Concept::EftTradeNo).unwrap().wire].as_str().unwrap();
    let wallet = *row.wallets.last().unwrap();
    sandbox.pay_with(eft_trade_no, wallet).unwrap();

    let mut asked = BTreeMap::new();
    for (concept, value) in
        [(Concept::UserConfirmKey, USER_KEY), (Concept::Time, now.as_str()), (Concept::OutTradeNo, "independent_1")]
    {
        asked.insert(wire(query, concept).to_owned(), value.to_owned());
    }
    for field in query.fields.iter().filter(|f| f.fixed.is_some()) {
        asked.insert(field.wire.to_owned(), field.fixed.unwrap().to_owned());
    }
    let reply = post(&format!("{}{}", sandbox.base_url(), query.endpoint.unwrap()), asked).await;

    assert_eq!(reply["return_status"], "00", "{reply:?}");
    assert_eq!(reply["payment_type"], wallet, "{reply:?}");
    assert!(!reply.contains_key("wallet") && !reply.contains_key("payType"), "{reply:?}");
}

/// Every request interface of every scene, as the catalog lists them, asked by this client:
/// an order by each place-order row, paid on the sandbox's side, queried, a part refunded by each
/// refund interface its payType has, another unpaid order closed — every answer signed and
/// accepted, and no request interface of a scene left unasked.
#[tokio::test]
async fn every_request_interface_of_every_scene_gets_a_signed_accepted_answer() {
    let config = SandboxConfig { credentials: Some(Credentials::new(USER_KEY, SECRET)), ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let accepted = common::code(Meaning::Accepted);
    let ask = |sandbox: &Sandbox, interface: &InterfaceInfo, row: Option<&ServiceInfo>, ask: &Ask<'_>| {
        // The fields by the catalog, their sign made again here, by hand.
        let mut fields: BTreeMap<String, String> =
            common::request_fields(sandbox, interface, row, ask).into_iter().collect();
        fields.remove(wire(interface, Concept::Sign));
        fields
    };
    let mut asked = Vec::new();
    for (s, scene) in CATALOG.scenes.iter().enumerate() {
        let at = |purpose| CATALOG.scene_interface(scene, purpose);
        let url = |interface: &InterfaceInfo| format!("{}{}", sandbox.base_url(), interface.endpoint.unwrap());
        let place = at(Purpose::PlaceOrder).unwrap();
        for (r, row) in CATALOG.services_of(place.name).enumerate() {
            let out = format!("ind_{s}_{r}");
            let total = common::ordinary(&CATALOG, row.pay_type, 1250);
            let order = Ask {
                out_trade_no: Some(&out),
                amount: Some(total),
                notify_url: Some("http://127.0.0.1:9/notify"),
                return_url: Some("http://127.0.0.1:9/return"),
                ..Ask::default()
            };
            let placed = post(&url(place), ask(&sandbox, place, Some(row), &order)).await;
            assert_eq!(placed[wire_of_reply(place, Concept::ReturnStatus)], accepted, "{}: {placed:?}", row.name);
            asked.push(place.name);
            // Each row's order goes on through the scene's other interfaces its payType has.
            // Not every place-order reply names eftPay's number (qrcode's does not): the sandbox's.
            let eft = sandbox.order_by_out_trade_no(&out).unwrap().eft_trade_no;
            let paid = match row.pay_type {
                None => sandbox.pay_with(&eft, row.wallets.last().unwrap()),
                Some(_) => sandbox.pay(&eft),
            }
            .unwrap();
            let pay_type = row.pay_type.or_else(|| paid.wallet.as_deref().and_then(|w| CATALOG.pay_type_of_wallet(w)));
            let wallet = paid.wallet.as_deref();
            if let Some(query) = at(Purpose::Query) {
                let by = Ask { out_trade_no: Some(&out), wallet, pay_type, ..Ask::default() };
                let reply =
                    post(&url(query), ask(&sandbox, query, CATALOG.row_for_pay_type(query, pay_type), &by)).await;
                assert_eq!(reply[wire_of_reply(query, Concept::ReturnStatus)], accepted, "{}: {reply:?}", query.name);
                asked.push(query.name);
            }
            for (n, purpose) in [Purpose::Refund, Purpose::ApplyRefund].into_iter().enumerate() {
                let Some(refund) = at(purpose) else { continue };
                let refund_row = CATALOG.row_for_pay_type(refund, pay_type);
                if CATALOG.services_of(refund.name).next().is_some() && refund_row.is_none() {
                    continue; // this payType has no such refund
                }
                let refund_no = format!("{out}_r{n}");
                let part = Ask {
                    out_trade_no: Some(&out),
                    eft_trade_no: Some(&eft),
                    amount: Some(total),
                    refund_amount: Some(eftpay::Amount::from_cents(100)),
                    refund_no: Some(&refund_no),
                    notify_url: Some("http://127.0.0.1:9/notify"),
                    wallet,
                    pay_type,
                    ..Ask::default()
                };
                let reply = post(&url(refund), ask(&sandbox, refund, refund_row, &part)).await;
                assert_eq!(reply[wire_of_reply(refund, Concept::ReturnStatus)], accepted, "{}: {reply:?}", refund.name);
                asked.push(refund.name);
            }
            let close = at(Purpose::Close).map(|close| (close, CATALOG.row_for_pay_type(close, pay_type)));
            // Where the close interface has rows, only their payTypes' orders can be closed.
            let closable =
                close.filter(|(close, row)| row.is_some() || CATALOG.services_of(close.name).next().is_none());
            if let Some((close, close_row)) = closable {
                let unpaid = format!("{out}_open");
                let open = Ask { out_trade_no: Some(&unpaid), ..order.clone() };
                post(&url(place), ask(&sandbox, place, Some(row), &open)).await;
                let by = Ask { out_trade_no: Some(&unpaid), wallet, pay_type, ..Ask::default() };
                let reply = post(&url(close), ask(&sandbox, close, close_row, &by)).await;
                assert_eq!(reply[wire_of_reply(close, Concept::ReturnStatus)], accepted, "{}: {reply:?}", close.name);
                asked.push(close.name);
            }
        }
    }
    // Every request interface some scene lists was asked at least once.
    for scene in CATALOG.scenes {
        for name in scene.interfaces {
            let interface = CATALOG.interface(name).unwrap();
            if interface.kind() == InterfaceKind::Request {
                assert!(asked.contains(&interface.name), "{} ({} scene) was never asked", interface.name, scene.name);
            }
        }
    }
}

/// The reply field of `interface` standing for `concept`, by wire name.
fn wire_of_reply(interface: &InterfaceInfo, concept: Concept) -> &'static str {
    interface.response_field_for(concept).unwrap_or_else(|| panic!("{} replies no {concept:?}", interface.name)).wire
}
