//! The sandbox over real loopback HTTP, driven by the SDK's own client, in the web scene: the
//! full flow (order → pay page → notification → query → refund → refund notification → refund
//! query), refusals, re-delivery, faults and restarts. Every scene's own flow is in `scenes.rs`.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::time::Duration;

use common::{client, code, merchant, pending_order, sandbox, web_order};
use eftpay::Notification;
use eftpay::catalog::{InterfaceInfo, ServiceInfo};
use eftpay::rules::{Concept, Meaning, Notifications, Purpose};
use eftpay::{Amount, CATALOG, QueryRequest, TradeStatus, services, wallets};
use eftpay_sandbox::merchant::THANKS;
use eftpay_sandbox::{DELIVERIES_KEPT, DeliveryOutcome, Faults, Sandbox, SandboxConfig};

#[tokio::test]
async fn the_whole_flow_runs_over_loopback() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let merchant = merchant(sandbox.credentials().clone()).await;

    // Place the order.
    let order = services::WechatWebPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_flow"),
        "Coffee",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let reply = client.place_order(order).await.unwrap();
    let eft = reply.eft_trade_no.clone().unwrap();

    // Pay on the pay page, through its own form; the browser is sent back to return_url with
    // the signed synchronous return.
    let paid = eftpay_sandbox::browser::Payer::new().pay(reply.pay_apptrade.as_deref().unwrap()).await.unwrap();
    assert_eq!(paid.returned_to, Some(merchant.return_url()));
    assert_eq!(paid.merchant_page.as_deref(), Some(THANKS));
    assert_eq!(merchant.returns()[0].value(Concept::TradeStatus), Some(TradeStatus::TradeSuccess.as_str()));

    // The notification arrives, verified, and is acknowledged.
    let notifications = merchant.wait_for_notifications(1, Duration::from_secs(10)).await;
    let Notification::Payment(payment) = &notifications[0] else { panic!("a payment notification") };
    assert_eq!(payment.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(payment.total_fee, Some(Amount::from_cents(100)));

    // Query shows it paid.
    let mut query = QueryRequest::new();
    query.out_trade_no = Some("rrn_flow".into());
    assert_eq!(client.query(query.clone()).await.unwrap().trade_status, Some(TradeStatus::TradeSuccess));

    // Partial refund through apply-refund, with its notification.
    let refund = services::WechatWebApplyRefund::apply_refund(
        wallets::WeChatHk,
        eftpay::RefundAmount::new(Amount::from_cents(30)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_flow"),
        eftpay::RefundNo::new("rf_1"),
    )
    .notify_url(merchant.notify_url());
    let applied = client.apply_refund(refund).await.unwrap();
    assert_eq!(applied.trade_status, Some(TradeStatus::ApplySuccess));
    let notifications = merchant.wait_for_notifications(2, Duration::from_secs(10)).await;
    let Notification::Refund(refunded) = &notifications[1] else { panic!("a refund notification") };
    assert_eq!(refunded.return_amount, Some(Amount::from_cents(30)));
    assert_eq!(refunded.trade_status, Some(TradeStatus::TradeRefund));

    // Refund query, and the order now partly refunded.
    query.refund_no = Some("rf_1".into());
    let refund_state = client.query(query.clone()).await.unwrap();
    assert_eq!(refund_state.trade_status, Some(TradeStatus::TradeRefund));
    assert_eq!(refund_state.transaction_amount, Some(Amount::from_cents(30)));
    query.refund_no = None;
    assert_eq!(client.query(query).await.unwrap().trade_status, Some(TradeStatus::TradeRefund));
    assert_eq!(sandbox.refunds(&eft).len(), 1);
}

async fn status_of(sandbox: &Sandbox, out: &str) -> Option<TradeStatus> {
    client(sandbox)
        .query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new(out)))
        .await
        .unwrap()
        .trade_status
        .clone()
}

#[tokio::test]
async fn notifications_are_redelivered_until_acknowledged_and_duplicates_reach_the_merchant() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    merchant.refuse_next(2);
    let eft = common::paid_order_notifying(&sandbox, &merchant.notify_url(), "rrn_redo").await;
    assert_eq!(
        merchant.wait_for_notifications(3, Duration::from_secs(10)).await.len(),
        3,
        "the same notification three times"
    );
    let outcomes: Vec<DeliveryOutcome> =
        common::deliveries_at_least(&sandbox, 3).await.into_iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes.len(), 3);
    assert!(matches!(outcomes[0], DeliveryOutcome::NotAcknowledged { .. }));
    assert_eq!(outcomes[2], DeliveryOutcome::Acknowledged);
    assert!(sandbox.order(&eft).unwrap().notified);
}

#[tokio::test]
async fn dropped_and_forged_notifications_are_retried_and_refused() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    sandbox.set_faults(Faults { drop_notifications: 1, tamper_notifications: 1, ..Faults::default() });
    common::paid_order_notifying(&sandbox, &merchant.notify_url(), "rrn_fault").await;
    assert_eq!(
        merchant.wait_for_notifications(1, Duration::from_secs(10)).await.len(),
        1,
        "only the genuine one reaches the handler"
    );
    let outcomes: Vec<DeliveryOutcome> =
        common::deliveries_at_least(&sandbox, 3).await.into_iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes[0], DeliveryOutcome::Dropped);
    assert!(matches!(outcomes[1], DeliveryOutcome::Tampered { .. }), "{outcomes:?}");
    assert_eq!(outcomes[2], DeliveryOutcome::Acknowledged);
}

#[tokio::test]
async fn the_delivery_log_keeps_only_the_latest_deliveries() {
    // Every attempt lost on the way: nothing is sent, each attempt is logged at once.
    let attempts = DELIVERIES_KEPT + 5;
    let config = SandboxConfig {
        notification_attempts: u32::try_from(attempts).unwrap(),
        notification_backoff: Duration::ZERO,
        ..common::fast_config()
    };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    sandbox.set_faults(Faults { drop_notifications: u32::MAX, ..Faults::default() });
    common::paid_order_notifying(&sandbox, "http://127.0.0.1:9/notify", "rrn_log").await;
    let last = u32::try_from(attempts).unwrap();
    let mut deliveries = Vec::new();
    for _ in 0..3000 {
        deliveries = sandbox.deliveries();
        if deliveries.last().is_some_and(|d| d.attempt == last) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(deliveries.last().map(|d| d.attempt), Some(last), "every attempt was made");
    assert_eq!(deliveries.len(), DELIVERIES_KEPT, "only the latest are kept");
    assert_eq!(deliveries.first().map(|d| d.attempt), Some(last + 1 - u32::try_from(DELIVERIES_KEPT).unwrap()));
    assert!(deliveries.windows(2).all(|w| w[0].attempt + 1 == w[1].attempt), "oldest first, none missing");
}

/// Places an order of `row` through `interface` with the fields built from the catalog; its
/// eftPay number.
async fn place_generic(
    sandbox: &Sandbox,
    interface: &'static InterfaceInfo,
    row: &'static ServiceInfo,
    out: &str,
    notify_url: Option<&str>,
) -> String {
    let ask = common::Ask {
        out_trade_no: Some(out),
        amount: Some(Amount::from_cents(100)),
        notify_url,
        return_url: Some("https://merchant.example/return"),
        ..common::Ask::default()
    };
    let reply =
        common::post_fields(sandbox, interface, &common::request_fields(sandbox, interface, Some(row), &ask)).await;
    assert_eq!(common::reply_meaning(interface, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    sandbox.order_by_out_trade_no(out).unwrap().eft_trade_no
}

#[tokio::test]
async fn once_services_notify_once_and_never_services_not_at_all() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    merchant.refuse_next(5);
    // A place-order row of each policy the spec has, and how many deliveries it makes to a
    // merchant that refuses them all.
    let mut orders = Vec::new();
    for (policy, expected) in [(Notifications::Once, 1), (Notifications::Never, 0)] {
        let rows = common::place_order_rows();
        let Some((interface, row)) = rows.into_iter().find(|(_, row)| row.notifications == policy) else { continue };
        let out = format!("rrn_{policy:?}");
        let eft = place_generic(&sandbox, interface, row, &out, Some(&merchant.notify_url())).await;
        sandbox.pay(&eft).unwrap();
        orders.push((row.name, eft, expected));
    }
    common::deliveries_at_least(&sandbox, orders.iter().map(|(_, _, n)| n).sum()).await;
    // Long enough for several re-deliveries at the test backoff (20 ms, doubling), were any due.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let deliveries = sandbox.deliveries();
    for (service, eft, expected) in orders {
        let made = deliveries.iter().filter(|d| d.eft_trade_no == eft).count();
        assert_eq!(made, expected, "{service}: {deliveries:?}");
    }
}

/// Whether the spec has a refund (or apply-refund) row, in a scene of `interface`, for orders of
/// `pay_type`: one for that payType or for every payType.
fn has_refund_row(interface: &InterfaceInfo, pay_type: Option<&str>) -> bool {
    CATALOG.scenes_of(interface.name).any(|scene| {
        [Purpose::Refund, Purpose::ApplyRefund]
            .into_iter()
            .filter_map(|purpose| CATALOG.scene_interface(scene, purpose))
            .flat_map(|refund| CATALOG.services_of(refund.name))
            .any(|row| row.pay_type.is_none() || row.pay_type == pay_type)
    })
}

#[tokio::test]
async fn orders_of_a_pay_type_without_a_refund_row_are_not_refundable() {
    let sandbox = sandbox().await;
    let without: Vec<_> =
        common::place_order_rows().into_iter().filter(|(i, row)| !has_refund_row(i, row.pay_type)).collect();
    for (i, (interface, row)) in without.into_iter().enumerate() {
        // Refunded through the refund interface of its scene, whichever row that names: refused
        // as not refundable, whatever it names.
        let Some(refund) = CATALOG.scenes_of(interface.name).find_map(|s| CATALOG.scene_interface(s, Purpose::Refund))
        else {
            continue;
        };
        let out = format!("rrn_norefund_{i}");
        let eft = place_generic(&sandbox, interface, row, &out, None).await;
        sandbox.pay(&eft).unwrap();
        let ask = common::Ask {
            out_trade_no: Some(&out),
            amount: Some(Amount::from_cents(100)),
            refund_amount: Some(Amount::from_cents(10)),
            refund_no: Some("rf_1"),
            ..common::Ask::default()
        };
        let fields = common::request_fields(&sandbox, refund, CATALOG.services_of(refund.name).next(), &ask);
        let reply = common::post_fields(&sandbox, refund, &fields).await;
        assert_eq!(
            common::reply_meaning(refund, &reply, Concept::ReturnStatus),
            Some(Meaning::NotRefundable),
            "{}: {reply:?}",
            row.name
        );
        assert!(sandbox.refunds(&eft).is_empty(), "{}", row.name);
    }
}

#[tokio::test]
async fn refunds_are_refused_when_eftpay_would_refuse_them() {
    let sandbox = sandbox().await;
    let c = client(&sandbox);
    let eft = pending_order(&sandbox, "rrn_ali").await;
    let refund = |cents: u64, no: &str| {
        services::AlipayWebRefund::refund(
            wallets::AlipayHk,
            eftpay::RefundAmount::new(Amount::from_cents(cents)),
            Amount::from_cents(100),
            eftpay::OutTradeNo::new("rrn_ali"),
            eftpay::RefundNo::new(no),
        )
    };
    let unpaid = c.refund(refund(10, "rf_0")).await.unwrap_err();
    assert_eq!(unpaid.gateway().unwrap().code(), code(Meaning::NotRefundable), "{unpaid}");
    sandbox.pay(&eft).unwrap();
    assert_eq!(c.refund(refund(60, "rf_1")).await.unwrap().trade_status, Some(TradeStatus::TradeRefund));
    let too_much = c.refund(refund(41, "rf_2")).await.unwrap_err();
    assert_eq!(too_much.gateway().unwrap().code(), code(Meaning::RefundTooLarge), "{too_much}");
    assert_eq!(c.refund(refund(40, "rf_3")).await.unwrap().trade_status, Some(TradeStatus::TradeClosed));
}

#[tokio::test]
async fn requests_eftpay_would_refuse_get_its_codes() {
    let sandbox = sandbox().await;
    let order = || web_order("rrn_dup");
    let c = client(&sandbox);
    c.place_order(order()).await.unwrap();
    c.place_order(order()).await.expect("the same request again is answered, not refused");
    let conflict = c.place_order(order().body("different")).await.unwrap_err();
    assert_eq!(conflict.gateway().unwrap().code(), code(Meaning::Duplicate));

    let wrong_secret = eftpay::Client::builder(eftpay::Credentials::new(
        sandbox.credentials().user_confirm_key.clone(),
        "another-secret",
    ))
    .base_url(sandbox.base_url())
    .build()
    .unwrap();
    let forged = wrong_secret.place_order(order()).await.unwrap_err();
    let gateway = forged.gateway().unwrap();
    assert_eq!(gateway.code(), code(Meaning::BadSignature));
    assert!(!gateway.is_verified(), "negative codes come unsigned");

    let late = eftpay::Client::builder(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .clock(std::sync::Arc::new(eftpay::FixedClock::new(eftpay::HkTime::parse_compact("20200101000000").unwrap())))
        .build()
        .unwrap();
    let skewed = late.place_order(order()).await.unwrap_err();
    assert_eq!(skewed.gateway().unwrap().meaning(), Some(Meaning::TimeMismatch), "{skewed}");
}

#[tokio::test]
async fn an_unknown_service_gets_the_invalid_service_code_unsigned() {
    let sandbox = sandbox().await;
    // An endpoint whose interfaces are told apart by `service`, and a service none of them takes.
    let interface = CATALOG.interfaces.iter().copied().find(|i| i.endpoint.is_some() && i.has_service_field()).unwrap();
    let service = interface.field_for(Concept::Service).unwrap().wire;
    let sign = interface.field_for(Concept::Sign).unwrap().wire;
    let mut fields = common::request_fields(&sandbox, interface, None, &common::Ask::default());
    fields.retain(|(n, _)| n != service && n != sign);
    fields.push((service.to_owned(), "service.nothing.PreOrder".to_owned()));
    let received = eftpay::ReceivedFields::from_pairs(fields.iter().map(|(n, v)| (n.as_str(), v.as_str()))).unwrap();
    fields.push((sign.to_owned(), eftpay::signing::sign_fields(&received, &sandbox.credentials().secret)));
    let reply = common::post_fields(&sandbox, interface, &fields).await;
    assert_eq!(common::reply_value(interface, &reply, Concept::ReturnStatus), Some(code(Meaning::InvalidService)));
    assert!(common::reply_value(interface, &reply, Concept::Sign).is_none(), "negative codes are unsigned");
}

#[tokio::test]
async fn server_errors_are_retried_by_the_client_for_query_only() {
    let sandbox = sandbox().await;
    let c = client(&sandbox);
    sandbox.set_faults(Faults { server_errors: 1, ..Faults::default() });
    let order = web_order("rrn_5xx");
    assert!(c.place_order(order.clone()).await.is_err(), "place order is not retried");
    c.place_order(order).await.unwrap();
    sandbox.set_faults(Faults { server_errors: 2, ..Faults::default() });
    let q = QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("rrn_5xx"));
    assert_eq!(
        c.query(q).await.unwrap().trade_status,
        Some(TradeStatus::TradeProcessing),
        "query retried through two 500s"
    );
}

#[tokio::test]
async fn orders_survive_a_restart_with_a_data_file() {
    let path = std::env::temp_dir().join(format!("eftpay-sandbox-test-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let config = || SandboxConfig {
        data_file: Some(path.clone()),
        credentials: Some(credentials.clone()),
        ..common::fast_config()
    };

    let first = Sandbox::start_with(config()).await.unwrap();
    let eft = pending_order(&first, "rrn_keep").await;
    first.pay(&eft).unwrap();
    first.shutdown().await;

    let second = Sandbox::start_with(config()).await.unwrap();
    let kept = second.order(&eft).expect("the order is still there");
    assert_eq!(kept.trade_status(), Some(Meaning::Paid));
    let q = QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("rrn_keep"));
    assert_eq!(client(&second).query(q).await.unwrap().trade_status, Some(TradeStatus::TradeSuccess));
    second.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

/// A clock the test moves.
#[derive(Debug)]
struct Dial(std::sync::Mutex<eftpay::HkTime>);

impl eftpay::Clock for Dial {
    fn now(&self) -> eftpay::HkTime {
        *self.0.lock().unwrap()
    }
}

/// The state of an order as the data file at `path` holds it.
fn saved_state(path: &std::path::Path, eft_trade_no: &str) -> String {
    let json: String = rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT json FROM orders WHERE eft_trade_no = ?1", [eft_trade_no], |row| row.get(0))
        .unwrap();
    serde_json::from_str::<serde_json::Value>(&json).unwrap()["state"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_order_refused_as_expired_is_saved_expired() {
    let path = std::env::temp_dir().join(format!("eftpay-sandbox-expired-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let dial = std::sync::Arc::new(Dial(std::sync::Mutex::new(eftpay::Clock::now(&eftpay::SystemClock))));
    let config = SandboxConfig { data_file: Some(path.clone()), clock: dial.clone(), ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let eft = pending_order(&sandbox, "rrn_late").await;
    let placed = sandbox.order(&eft).unwrap();
    let active = placed.expires.expect("the row gives an active time") - placed.created;

    // Past its active time, paying it is refused: it is expired, in the books and in the file.
    let late = eftpay::Clock::now(&*dial).plus_seconds(active).unwrap();
    *dial.0.lock().unwrap() = late;
    assert!(sandbox.pay(&eft).is_err(), "an expired order cannot be paid");
    sandbox.shutdown().await;
    assert_eq!(saved_state(&path, &eft), format!("{:?}", eftpay_sandbox::OrderState::Expired));
    let _ = std::fs::remove_file(&path);
}

/// Starts a sandbox on a thread of its own and waits at most `limit` for it: a start that
/// deadlocks blocks its thread for good, so the test gives up on the thread instead of hanging.
async fn start_within(config: SandboxConfig, limit: Duration) -> Option<Sandbox> {
    let (started, result) = tokio::sync::oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let _ = started.send(runtime.block_on(Sandbox::start_with(config)));
    });
    tokio::time::timeout(limit, result).await.ok().map(|r| r.unwrap().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_owing_a_notification_answers_and_delivers_it() {
    let path = std::env::temp_dir().join(format!("eftpay-sandbox-owed-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let merchant = merchant(credentials.clone()).await;
    merchant.refuse_next(u32::MAX);
    let config = |attempts: u32| SandboxConfig {
        data_file: Some(path.clone()),
        credentials: Some(credentials.clone()),
        notification_attempts: attempts,
        ..common::fast_config()
    };

    // One attempt, refused: the notification is still owed when the sandbox stops.
    let first = Sandbox::start_with(config(1)).await.unwrap();
    let eft = common::paid_order_notifying(&first, &merchant.notify_url(), "rrn_owed").await;
    let refused = common::deliveries_at_least(&first, 1).await;
    assert!(matches!(refused[0].outcome, DeliveryOutcome::NotAcknowledged { .. }), "{refused:?}");
    first.shutdown().await;
    merchant.refuse_next(0);

    let second = start_within(config(8), Duration::from_secs(20))
        .await
        .expect("the restart answers (it hung with a notification owed)");
    let q = QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("rrn_owed"));
    assert_eq!(client(&second).query(q).await.unwrap().trade_status, Some(TradeStatus::TradeSuccess));
    let deliveries = common::deliveries_at_least(&second, 1).await;
    assert!(
        deliveries.iter().any(|d| d.eft_trade_no == eft && d.outcome == DeliveryOutcome::Acknowledged),
        "the owed notification is delivered after the restart: {deliveries:?}"
    );
    assert!(merchant.notifications().len() >= 2, "refused once, then delivered again");
    second.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_finishes_an_applied_refund_and_notifies_it() {
    let path = std::env::temp_dir().join(format!("eftpay-sandbox-applied-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let merchant = merchant(credentials.clone()).await;
    let config = |delay: Duration| SandboxConfig {
        data_file: Some(path.clone()),
        credentials: Some(credentials.clone()),
        apply_refund_delay: delay,
        ..common::fast_config()
    };

    // The refund is still APPLY_SUCCESS when the sandbox stops: it would finish in an hour.
    let first = Sandbox::start_with(config(Duration::from_secs(3600))).await.unwrap();
    let order = services::WechatWebPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_apply"),
        "x",
        merchant.return_url(),
    );
    let eft = common::place(&first, order).await;
    first.pay(&eft).unwrap();
    let refund = services::WechatWebApplyRefund::apply_refund(
        wallets::WeChatHk,
        eftpay::RefundAmount::new(Amount::from_cents(100)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_apply"),
        eftpay::RefundNo::new("rf_apply"),
    )
    .notify_url(merchant.notify_url());
    let applied = client(&first).apply_refund(refund).await.unwrap();
    assert_eq!(applied.trade_status, Some(TradeStatus::ApplySuccess));
    first.shutdown().await;

    let second =
        start_within(config(Duration::from_millis(50)), Duration::from_secs(20)).await.expect("the restart answers");
    let notifications = merchant.wait_for_notifications(1, Duration::from_secs(10)).await;
    let Some(Notification::Refund(refunded)) = notifications.first() else {
        panic!("the applied refund finishes after the restart and is notified: {notifications:?}")
    };
    assert_eq!(refunded.trade_status, Some(TradeStatus::TradeClosed));
    second.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn control_api_pays_and_expires_over_http() {
    let sandbox = sandbox().await;
    let a = pending_order(&sandbox, "rrn_a").await;
    let b = pending_order(&sandbox, "rrn_b").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let root = sandbox.base_url().trim_end_matches("/VMP").to_owned();
    let control =
        |path: String| http.post(format!("{root}/control/orders/{path}")).header("content-type", "application/json");
    assert!(control(format!("{a}/pay")).send().await.unwrap().status().is_success());
    assert!(control(format!("{b}/expire")).send().await.unwrap().status().is_success());
    assert_eq!(control(format!("{b}/pay")).send().await.unwrap().status(), 409, "an expired order cannot be paid");
    assert_eq!(status_of(&sandbox, "rrn_a").await, Some(TradeStatus::TradeSuccess));
    assert_eq!(status_of(&sandbox, "rrn_b").await, Some(TradeStatus::TradeClosed));
}

#[tokio::test]
async fn an_unsigned_or_wrongly_signed_acknowledgement_counts_as_not_delivered() {
    let sandbox = sandbox().await;
    // A shop that says `success` without signing it, then with someone else's signature.
    let app = axum::Router::new()
        .route("/notify", axum::routing::post(|| async { r#"{"return_code":"success","time":"20261126120000"}"# }));
    let notify_url = common::serve_shop(app).await;
    let eft = common::paid_order_notifying(&sandbox, &notify_url, "rrn_badack").await;
    let deliveries = common::deliveries_at_least(&sandbox, 2).await;
    assert!(deliveries.len() >= 2, "re-delivered: {deliveries:?}");
    assert!(
        deliveries.iter().all(
            |d| matches!(&d.outcome, DeliveryOutcome::NotAcknowledged { reason } if reason.contains("does not verify"))
        ),
        "{deliveries:?}"
    );
    assert!(!sandbox.order(&eft).unwrap().notified);
}

#[tokio::test]
async fn slow_responses_trip_the_clients_timeout() {
    let sandbox = sandbox().await;
    sandbox.set_faults(Faults { slow_responses_ms: 2_000, ..Faults::default() });
    let impatient = eftpay::Client::builder(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = impatient.place_order(web_order("rrn_slow")).await.unwrap_err();
    assert!(matches!(error, eftpay::ClientError::Timeout { .. }), "{error}");
}
