//! Shared test setup: a fast sandbox, a client for it, the stand-in merchant, and requests built
//! from the catalog for any interface and service row (so catalog-wide tests need no list).
#![allow(dead_code, clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // shared test code

use std::time::Duration;

use eftpay::catalog::{Catalog, InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, FieldKind, Meaning};
use eftpay::{Amount, CATALOG, Client, ReceivedFields};
use eftpay_sandbox::{Sandbox, SandboxConfig};

pub use eftpay_sandbox::merchant::Merchant;

pub async fn merchant(credentials: eftpay::Credentials) -> Merchant {
    Merchant::start(credentials).await.unwrap()
}

pub fn fast_config() -> SandboxConfig {
    SandboxConfig {
        notification_backoff: Duration::from_millis(20),
        apply_refund_delay: Duration::from_millis(50),
        ..SandboxConfig::default()
    }
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start_with(fast_config()).await.unwrap()
}

pub fn client(sandbox: &Sandbox) -> Client {
    Client::builder(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .retry_backoff(Duration::from_millis(5))
        .build()
        .unwrap()
}

/// A web order, as the sandbox's tests build one where any order will do.
pub type WebOrder = eftpay::PlaceOrderBuilder<eftpay::services::AlipayWebPreOrder>;

/// A web order of 1.00, as the sandbox's tests place one where any order will do; a builder, so
/// a test sets what it is about (`notify_url`, `body`) on it.
pub fn web_order(out_trade_no: &str) -> WebOrder {
    web_order_returning(out_trade_no, "https://merchant.example/r")
}

/// [`web_order`] whose payer is sent back to `return_url`.
pub fn web_order_returning(out_trade_no: &str, return_url: &str) -> WebOrder {
    eftpay::services::AlipayWebPreOrder::place_order(
        eftpay::wallets::AlipayHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out_trade_no),
        "x",
        return_url,
    )
}

/// Places `order` (of any scene) with the sandbox's credentials; its eftPay number.
pub async fn place(sandbox: &Sandbox, order: impl eftpay::IntoRequest<Request = eftpay::PlaceOrderRequest>) -> String {
    client(sandbox).place_order(order).await.unwrap().eft_trade_no.clone().unwrap()
}

/// Places [`web_order`] `out_trade_no`; its eftPay number.
pub async fn pending_order(sandbox: &Sandbox, out_trade_no: &str) -> String {
    place(sandbox, web_order(out_trade_no)).await
}

/// The spec's code for `meaning`.
pub fn code(meaning: Meaning) -> &'static str {
    CATALOG.code(meaning).unwrap_or_else(|| panic!("the spec has no code meaning {meaning:?}")).wire
}

/// Waits until the sandbox logged at least `n` delivery attempts (at most 10 s); returns them.
pub async fn deliveries_at_least(sandbox: &Sandbox, n: usize) -> Vec<eftpay_sandbox::Delivery> {
    for _ in 0..1000 {
        if sandbox.deliveries().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sandbox.deliveries()
}

/// What a generic request is about.
#[derive(Clone, Debug, Default)]
pub struct Ask<'a> {
    pub out_trade_no: Option<&'a str>,
    pub eft_trade_no: Option<&'a str>,
    pub amount: Option<Amount>,
    pub refund_amount: Option<Amount>,
    pub refund_no: Option<&'a str>,
    pub notify_url: Option<&'a str>,
    pub return_url: Option<&'a str>,
    pub pay_type: Option<&'a str>,
    pub wallet: Option<&'a str>,
}

/// A first value of a value set, for required enum fields nothing else decides.
fn first_value(catalog: &Catalog, enum_name: Option<&str>) -> Option<String> {
    catalog.enumeration(enum_name?)?.values.first().map(|v| v.wire.to_owned())
}

/// A plain value of `field`'s kind, for a required field nothing else decides.
fn plain_value(catalog: &Catalog, field: &eftpay::catalog::FieldInfo) -> String {
    match field.kind {
        FieldKind::Enum => first_value(catalog, field.enum_name).unwrap_or_default(),
        FieldKind::Amount => "1.00".to_owned(),
        FieldKind::Seconds => field.multiple_of.unwrap_or(60).max(field.min.unwrap_or(0)).to_string(),
        FieldKind::Url => "https://merchant.example/r".to_owned(),
        FieldKind::Object => "{}".to_owned(),
        FieldKind::ObjectArray => "[]".to_owned(),
        _ => "sandbox test".to_owned(),
    }
}

/// The fields of a request of `interface` for `row`, filled in by concept from `ask` and the row
/// (its service, payType, first wallet, first pay_scene), required fields nothing decides —
/// including those required only with a value another field has — with a plain value of their
/// kind; signed with the sandbox's credentials.
pub fn request_fields(
    sandbox: &Sandbox,
    interface: &InterfaceInfo,
    row: Option<&ServiceInfo>,
    ask: &Ask<'_>,
) -> Vec<(String, String)> {
    let catalog = sandbox.catalog();
    let now = eftpay::Clock::now(&eftpay::SystemClock).to_compact();
    let mut fields: Vec<(String, String)> = Vec::new();
    for field in interface.fields {
        let value: Option<String> = if let Some(fixed) = field.fixed {
            Some(fixed.to_owned())
        } else {
            match field.concept {
                Some(Concept::Sign) => None,
                Some(Concept::Service) => row.map(|r| r.name.to_owned()),
                Some(Concept::PayType) => ask.pay_type.or(row.and_then(|r| r.pay_type)).map(str::to_owned),
                Some(Concept::Wallet) => ask.wallet.or(row.and_then(|r| r.wallets.first().copied())).map(str::to_owned),
                Some(Concept::PayScene) => row.and_then(|r| r.default_pay_scene()).map(str::to_owned),
                Some(Concept::UserConfirmKey) => Some(sandbox.credentials().user_confirm_key.clone()),
                Some(Concept::Time) => Some(now.clone()),
                Some(Concept::OutTradeNo) => ask.out_trade_no.map(str::to_owned),
                Some(Concept::EftTradeNo) => ask.eft_trade_no.map(str::to_owned),
                Some(Concept::RefundNo) => ask.refund_no.map(str::to_owned),
                Some(Concept::Amount) => ask.amount.map(|a| a.to_string()),
                Some(Concept::RefundAmount) => ask.refund_amount.map(|a| a.to_string()),
                Some(Concept::NotifyUrl) => ask.notify_url.map(str::to_owned),
                Some(Concept::ReturnUrl) => {
                    let forbidden = field.forbidden_with.is_some_and(|flag| row.is_some_and(|r| r.has_flag(flag)));
                    ask.return_url.filter(|_| !forbidden).map(str::to_owned)
                }
                _ => None,
            }
        };
        let value = value.or_else(|| {
            (field.required && field.required_unless.is_none() && field.concept != Some(Concept::Sign))
                .then(|| plain_value(catalog, field))
        });
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            fields.push((field.wire.to_owned(), value));
        }
    }
    // A field required only when another carries one of some values, once all are filled in.
    for field in interface.fields {
        let Some((other, values)) = field.required_when else { continue };
        let due = fields.iter().any(|(n, v)| n == other && values.contains(&v.as_str()));
        if due && !fields.iter().any(|(n, _)| n == field.wire) {
            fields.push((field.wire.to_owned(), plain_value(catalog, field)));
        }
    }
    let received = ReceivedFields::from_pairs(fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
    let sign = eftpay::signing::sign_fields(&received, &sandbox.credentials().secret);
    let sign_wire = interface.field_for(Concept::Sign).map_or("sign", |f| f.wire);
    fields.push((sign_wire.to_owned(), sign));
    fields
}

/// POSTs `fields` as JSON to `interface`'s endpoint (an object or array field as the JSON its
/// text is, every other as a string); the reply's fields.
pub async fn post_fields(sandbox: &Sandbox, interface: &InterfaceInfo, fields: &[(String, String)]) -> ReceivedFields {
    let nested = |name: &str| {
        interface.fields.iter().any(|f| f.wire == name && matches!(f.kind, FieldKind::Object | FieldKind::ObjectArray))
    };
    let body: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(n, v)| {
            let value = if nested(n) { serde_json::from_str(v).unwrap() } else { serde_json::Value::String(v.clone()) };
            (n.clone(), value)
        })
        .collect();
    let text = eftpay::client::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(format!("{}{}", sandbox.base_url(), interface.endpoint.unwrap()))
        .header("content-type", "application/json")
        .body(serde_json::Value::Object(body).to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    ReceivedFields::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}: {text}", interface.name))
}

/// The reply's value of the response field standing for `concept`.
pub fn reply_value<'a>(interface: &InterfaceInfo, reply: &'a ReceivedFields, concept: Concept) -> Option<&'a str> {
    interface.incoming_value(concept, |wire| reply.text(wire))
}

/// What the reply's value standing for `concept` means.
pub fn reply_meaning(interface: &InterfaceInfo, reply: &ReceivedFields, concept: Concept) -> Option<Meaning> {
    reply_meaning_in(&CATALOG, interface, reply, concept)
}

/// [`reply_meaning`] in another catalog.
pub fn reply_meaning_in(
    catalog: &Catalog,
    interface: &InterfaceInfo,
    reply: &ReceivedFields,
    concept: Concept,
) -> Option<Meaning> {
    interface
        .response
        .iter()
        .filter(|f| f.concept == Some(concept))
        .find_map(|f| catalog.meaning_of(f.enum_name?, reply.text(f.wire)?))
}

/// Every place-order row of every scene, with its interface.
pub fn place_order_rows() -> Vec<(&'static InterfaceInfo, &'static ServiceInfo)> {
    let mut interfaces: Vec<&'static InterfaceInfo> = CATALOG
        .scenes
        .iter()
        .filter_map(|scene| CATALOG.scene_interface(scene, eftpay::rules::Purpose::PlaceOrder))
        .collect();
    interfaces.dedup_by_key(|i| i.name);
    interfaces
        .into_iter()
        .flat_map(|interface| CATALOG.services_of(interface.name).map(move |row| (interface, row)))
        .collect()
}

/// An address that answers every request with 200 and a body that never ends (chunks of `x`,
/// no announced length), on threads of its own; its root URL. A reader that does not stop at a
/// limit reads until its timeout.
pub fn endless_answer() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for socket in listener.incoming() {
            let Ok(mut socket) = socket else { return };
            std::thread::spawn(move || {
                let mut request = [0_u8; 4096];
                let _ = socket.read(&mut request);
                let chunk = [b'x'; 8192];
                let mut answer =
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
                // Until the reader hangs up, which fails the write.
                loop {
                    answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    answer.extend_from_slice(&chunk);
                    answer.extend_from_slice(b"\r\n");
                    if socket.write_all(&answer).is_err() {
                        return;
                    }
                    answer.clear();
                }
            });
        }
    });
    root
}

/// Serves `shop` on a loopback port; its `/notify` address.
pub async fn serve_shop(shop: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let notify_url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, shop).await });
    notify_url
}

/// Places [`web_order`] `out_trade_no` whose notifications go to `notify_url`, and pays it; its
/// eftPay order number.
pub async fn paid_order_notifying(sandbox: &Sandbox, notify_url: &str, out_trade_no: &str) -> String {
    let eft = place(sandbox, web_order(out_trade_no).notify_url(notify_url)).await;
    sandbox.pay(&eft).unwrap();
    eft
}
