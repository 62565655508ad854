#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The sandbox as a client that owes nothing to the SDK sees it: requests signed by hand
//! (docs/protocol.md §2) and sent with reqwest, replies read as plain JSON — so what the sandbox
//! answers is checked against the protocol, not against the SDK's own reply types.

use std::collections::BTreeMap;

use eftpay::catalog::ServiceInfo;
use eftpay::rules::{Concept, Purpose};
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
    let reply = eftpay::client::http_client_builder()
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
    let given = signed.remove("sign").expect("an accepted reply is signed");
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
