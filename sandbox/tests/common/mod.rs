//! Shared test setup: a fast sandbox, a client for it, the stand-in merchant, and requests built
//! from the catalog for any interface and service row (so catalog-wide tests need no list).
#![allow(dead_code, clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // shared test code

use std::time::Duration;

use eftpay::catalog::{Catalog, InterfaceInfo, SceneInfo, ServiceInfo, TypedFields};
use eftpay::rules::{Concept, FieldKind, InterfaceKind, Meaning, Notifications, Purpose};
use eftpay::{Amount, CATALOG, Client, ReceivedFields};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::merchant::{Received, THANKS};
use eftpay_sandbox::{OrderState, Sandbox, SandboxConfig};

pub use eftpay_sandbox::merchant::Merchant;

/// How long a flow waits for what the sandbox sends on its own (a notification, a return).
const FLOW_WAIT: Duration = Duration::from_secs(10);

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
    let text = eftpay::gateway::http_client_builder()
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

/// The fields a caller gives `interface` by name (`Client::send_fields`): those of
/// [`request_fields`] the caller sets, without what the client fills in or the spec fixes.
pub fn by_name(
    sandbox: &Sandbox,
    interface: &InterfaceInfo,
    row: Option<&ServiceInfo>,
    ask: &Ask<'_>,
) -> Vec<(String, String)> {
    request_fields(sandbox, interface, row, ask)
        .into_iter()
        .filter(|(name, _)| interface.field(name).is_some_and(|f| f.is_caller_set()))
        .collect()
}

/// Sends `interface` with its fields by name through the client; the verified reply.
pub async fn send_by_name(
    catalog: &'static Catalog,
    c: &eftpay::Client,
    interface: &'static InterfaceInfo,
    fields: &[(String, String)],
) -> Result<eftpay::Verified<TypedFields>, eftpay::ClientError> {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    c.send_fields(catalog, interface, &pairs).await
}

/// What the reply's field standing for `concept` means.
fn meaning_of(catalog: &Catalog, interface: &InterfaceInfo, reply: &TypedFields, concept: Concept) -> Option<Meaning> {
    let field = interface.response_field_for(concept)?;
    catalog.meaning_of(field.enum_name?, reply.text(field.wire)?)
}

/// The place-order row a scene's flow takes: the one whose payType the scene's other
/// interfaces serve most of, then whose rows notify most (the order's, a refund's) — the most
/// of the scene one order shows (as `eftpay demo` chooses).
fn flow_row(catalog: &'static Catalog, scene: &SceneInfo, place: &InterfaceInfo) -> &'static ServiceInfo {
    let others: Vec<&InterfaceInfo> = scene
        .interfaces
        .iter()
        .filter_map(|name| catalog.interface(name))
        .filter(|i| i.kind() == InterfaceKind::Request && i.name != place.name)
        .collect();
    let served = |row: &ServiceInfo| {
        others
            .iter()
            .filter(|i| {
                catalog.services_of(i.name).next().is_none() || catalog.row_for_pay_type(i, row.pay_type).is_some()
            })
            .count()
    };
    let notifying = |row: &ServiceInfo| {
        let theirs = others
            .iter()
            .filter_map(|i| catalog.row_for_pay_type(i, row.pay_type))
            .filter(|r| r.notifications != Notifications::Never)
            .count();
        theirs + usize::from(row.notifications == Notifications::UntilAcknowledged)
    };
    catalog
        .services_of(place.name)
        .max_by_key(|row| (served(row), notifying(row), std::cmp::Reverse(row.name)))
        .unwrap_or_else(|| panic!("{}: no place-order row", scene.name))
}

/// An amount of `cents` or a little more that is no test amount of `pay_type` (those decide
/// the outcome: spec/common/test_amounts.toml).
pub fn ordinary(catalog: &Catalog, pay_type: Option<&str>, mut cents: u64) -> Amount {
    while pay_type.is_some_and(|p| catalog.test_amount(p, Amount::from_cents(cents)).is_some()) {
        cents += 1;
    }
    Amount::from_cents(cents)
}

/// Waits until the merchant received a message of `interface` about order `out`.
async fn wait_received(merchant: &Merchant, interface: &str, out: &str) -> Received {
    let deadline = tokio::time::Instant::now() + FLOW_WAIT;
    loop {
        let found = merchant
            .received()
            .into_iter()
            .find(|r| r.interface.name == interface && r.value(Concept::OutTradeNo) == Some(out));
        if let Some(found) = found {
            return found;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {interface} about {out}: {:?}", merchant.received());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One scene's flow, read from the catalog by purpose, through the client with requests given
/// by name: place an order → pay on its page → the synchronous return, where the scene has one
/// → the payment notification, where the row notifies → query → each refund interface (an
/// applied refund's notification) → the refund's query, where the query takes a refund number
/// → close an unpaid order, and the paid one refused, where the scene closes orders.
/// Nothing in it names a scene, an interface or a field: a new scene runs it as it is, and so
/// does the sandbox's catalog when it is another spec (`fixture_scene.rs` walks the kiosk).
pub async fn scene_flow(sandbox: &Sandbox, merchant: &Merchant, scene: &SceneInfo, out: &str) {
    let catalog = sandbox.catalog();
    let c = client(sandbox);
    let at = |purpose| catalog.scene_interface(scene, purpose);
    let what = |step: &str| format!("{} scene, {step}", scene.name);
    let place = at(Purpose::PlaceOrder).unwrap_or_else(|| panic!("{}", what("no place-order interface")));
    let row = flow_row(catalog, scene, place);
    let total = ordinary(catalog, row.pay_type, 1250);
    let notify_url = merchant.notify_url();
    let return_url = merchant.return_url();
    let order = Ask {
        out_trade_no: Some(out),
        amount: Some(total),
        notify_url: Some(&notify_url),
        return_url: Some(&return_url),
        ..Ask::default()
    };
    let placed = send_by_name(catalog, &c, place, &by_name(sandbox, place, Some(row), &order))
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", what(&format!("place order with {}", row.name))));
    assert_eq!(meaning_of(catalog, place, placed.message(), Concept::ReturnStatus), Some(Meaning::Accepted));
    let link = place
        .value_of(placed.message(), Concept::QrCode)
        .or_else(|| place.value_of(placed.message(), Concept::PayLink))
        .unwrap_or_else(|| panic!("{}", what("no pay link or QR code in the reply")))
        .to_owned();

    // Pay on the page; where the payer chooses the wallet, not the one the page offers first.
    let payer = Payer::new();
    let paid = match row.pay_type {
        None => payer.pay_with(&link, row.wallets.last().unwrap()).await,
        Some(_) => payer.pay(&link).await,
    }
    .unwrap_or_else(|e| panic!("{}: {e}", what("pay")));
    let order = sandbox.order_by_out_trade_no(out).unwrap();
    assert_eq!(order.state, OrderState::Paid, "{}", what("pay"));
    let wallet = order.wallet.clone();
    let pay_type = row.pay_type.or_else(|| wallet.as_deref().and_then(|w| catalog.pay_type_of_wallet(w)));
    let returned = order.return_url.is_some() && place.sync_return.is_some();
    if returned {
        assert_eq!(paid.merchant_page.as_deref(), Some(THANKS), "{}", what("return"));
        wait_received(merchant, place.sync_return.unwrap(), out).await;
    }
    if let Some(notification) =
        place.notification.filter(|_| row.notifications_for(wallet.as_deref()) != Notifications::Never)
    {
        let got = wait_received(merchant, notification, out).await;
        assert_eq!(
            got.value(Concept::TradeStatus).and_then(|v| {
                got.interface
                    .fields
                    .iter()
                    .find(|f| f.concept == Some(Concept::TradeStatus))
                    .and_then(|f| catalog.meaning_of(f.enum_name?, v))
            }),
            Some(Meaning::Paid),
            "{}",
            what("notification")
        );
    }

    // Query, by the order's payType where the query has rows.
    let query = at(Purpose::Query).map(|query| (query, catalog.row_for_pay_type(query, pay_type)));
    if let Some((query, query_row)) = query {
        let ask = Ask { out_trade_no: Some(out), wallet: wallet.as_deref(), ..Ask::default() };
        let state = send_by_name(catalog, &c, query, &by_name(sandbox, query, query_row, &ask))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", what("query")));
        assert_eq!(
            meaning_of(catalog, query, state.message(), Concept::TradeStatus),
            Some(Meaning::Paid),
            "{}",
            what("query")
        );
    }

    // Every refund interface the scene has, each for a part.
    for (n, purpose) in [Purpose::Refund, Purpose::ApplyRefund].into_iter().enumerate() {
        let Some(refund) = at(purpose) else { continue };
        let has_rows = catalog.services_of(refund.name).next().is_some();
        let refund_row = catalog.row_for_pay_type(refund, pay_type);
        if has_rows && refund_row.is_none() {
            continue;
        }
        let refund_no = format!("{out}_r{n}");
        let part = Amount::from_cents(total.cents() / 10 * (n as u64 + 1));
        let ask = Ask {
            out_trade_no: Some(out),
            eft_trade_no: Some(&order.eft_trade_no),
            amount: Some(total),
            refund_amount: Some(part),
            refund_no: Some(&refund_no),
            notify_url: Some(&notify_url),
            wallet: wallet.as_deref(),
            ..Ask::default()
        };
        let step = what(refund.name);
        let refunded = send_by_name(catalog, &c, refund, &by_name(sandbox, refund, refund_row, &ask))
            .await
            .unwrap_or_else(|e| panic!("{step}: {e}"));
        let expected = if purpose == Purpose::ApplyRefund { Meaning::ApplyAccepted } else { Meaning::PartlyRefunded };
        assert_eq!(meaning_of(catalog, refund, refunded.message(), Concept::TradeStatus), Some(expected), "{step}");
        let notifies = refund_row.is_none_or(|r| r.notifications_for(wallet.as_deref()) != Notifications::Never);
        if let Some(notification) = refund.notification.filter(|_| notifies) {
            let got = wait_received(merchant, notification, out).await;
            assert_eq!(got.value(Concept::RefundNo), Some(refund_no.as_str()), "{step}");
        }
        // The refund's own state, where the query takes a refund number.
        if let Some((query, query_row)) = query.filter(|(q, _)| q.field_for(Concept::RefundNo).is_some()) {
            let ask = Ask {
                out_trade_no: Some(out),
                refund_no: Some(&refund_no),
                wallet: wallet.as_deref(),
                ..Ask::default()
            };
            let deadline = tokio::time::Instant::now() + FLOW_WAIT;
            loop {
                let state = send_by_name(catalog, &c, query, &by_name(sandbox, query, query_row, &ask)).await.unwrap();
                let is_refund = query.response_field_for(Concept::TradeType).is_none()
                    || meaning_of(catalog, query, state.message(), Concept::TradeType) == Some(Meaning::RefundTrade);
                if is_refund
                    && meaning_of(catalog, query, state.message(), Concept::TradeStatus)
                        == Some(Meaning::PartlyRefunded)
                {
                    break;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "{step}: the refund's query says {:?}",
                    state.message()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    // Close: an unpaid order closes; the paid one is refused, signed.
    if let Some(close) = at(Purpose::Close) {
        let open = format!("{out}_open");
        let ask = Ask {
            out_trade_no: Some(&open),
            amount: Some(total),
            notify_url: Some(&notify_url),
            return_url: Some(&return_url),
            ..Ask::default()
        };
        send_by_name(catalog, &c, place, &by_name(sandbox, place, Some(row), &ask)).await.unwrap();
        let close_row = catalog.row_for_pay_type(close, row.pay_type);
        let wallet = sandbox.order_by_out_trade_no(&open).unwrap().wallet;
        let ask = Ask { out_trade_no: Some(&open), wallet: wallet.as_deref(), ..Ask::default() };
        let closed = send_by_name(catalog, &c, close, &by_name(sandbox, close, close_row, &ask))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", what("close")));
        assert_eq!(
            meaning_of(catalog, close, closed.message(), Concept::TradeStatus),
            Some(Meaning::Closed),
            "{}",
            what("close")
        );
        let eft = sandbox.order_by_out_trade_no(&open).unwrap().eft_trade_no;
        assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Closed);
        let ask = Ask { out_trade_no: Some(out), wallet: order.wallet.as_deref(), ..Ask::default() };
        let refused =
            send_by_name(catalog, &c, close, &by_name(sandbox, close, catalog.row_for_pay_type(close, pay_type), &ask))
                .await
                .map(|_| ())
                .unwrap_err();
        let gateway = refused.gateway().unwrap_or_else(|| panic!("{}: {refused}", what("close the paid order")));
        assert_eq!(gateway.code(), catalog.code(Meaning::CannotClose).unwrap().wire, "{refused}");
        assert!(gateway.is_verified(), "a positive refusal is signed");
    }
}
