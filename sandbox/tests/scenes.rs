//! Every scene of the spec through the sandbox over real loopback HTTP: every place-order service
//! (lists derived from the catalog), the test amounts and active-time defaults wherever they
//! apply, every scene's whole flow walked from the catalog by purpose through the client
//! (`scene_flow`: requests given by name, so a new scene needs no test code), and a check that
//! every message the sandbox sends verifies and reads whole into its generated type. The
//! typed API's own flows (`web_flow`, …) show the same scenes through `Client::send`.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{
    Ask, client, code, merchant, place_order_rows, reply_meaning, reply_value, request_fields, sandbox, scene_flow,
};
use eftpay::Notification;
use eftpay::rules::{Concept, Encoding, InterfaceKind, Meaning, Notifications, Purpose, TestOutcome};
use eftpay::verify::verify_fields;
use eftpay::{
    Amount, BuyerType, CATALOG, QueryRequest, ReceivedFields, TradeStatus, TradeType, Wallet, services, wallets,
};
use eftpay_sandbox::browser::Payer;
use eftpay_sandbox::merchant::{Merchant, THANKS};
use eftpay_sandbox::{DeliveryOutcome, OrderState, Sandbox};

const WAIT: Duration = Duration::from_secs(10);

/// The interface of `purpose` in the scene of the place-order interface `place`.
fn sibling(place: &str, purpose: Purpose) -> Option<&'static eftpay::catalog::InterfaceInfo> {
    CATALOG.scenes_of(place).find_map(|scene| CATALOG.scene_interface(scene, purpose))
}

/// The row of `interface` for orders of `pay_type` (by payType, or the row for every payType).
fn row_of(
    interface: &eftpay::catalog::InterfaceInfo,
    pay_type: Option<&str>,
) -> Option<&'static eftpay::catalog::ServiceInfo> {
    let rows: Vec<_> = CATALOG.services_of(interface.name).collect();
    rows.iter()
        .find(|r| r.pay_type.is_some() && r.pay_type == pay_type)
        .or_else(|| rows.iter().find(|r| r.pay_type.is_none()))
        .copied()
}

/// Queries an order through its scene's query interface; the reply's status.
async fn query_status(sandbox: &Sandbox, place: &str, pay_type: Option<&str>, out: &str) -> Option<Meaning> {
    let query = sibling(place, Purpose::Query).unwrap();
    let ask = Ask { out_trade_no: Some(out), ..Ask::default() };
    let fields = request_fields(sandbox, query, row_of(query, pay_type), &ask);
    let reply = common::post_fields(sandbox, query, &fields).await;
    assert_eq!(reply_meaning(query, &reply, Concept::ReturnStatus), Some(Meaning::Accepted), "{reply:?}");
    reply_meaning(query, &reply, Concept::TradeStatus)
}

#[tokio::test]
async fn every_place_order_service_of_every_scene_gets_a_signed_accepted_reply_with_a_working_link() {
    let sandbox = sandbox().await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let rows = place_order_rows();
    assert!(!rows.is_empty());
    for (i, (interface, row)) in rows.iter().enumerate() {
        let out = format!("every_{i}");
        let ask = Ask {
            out_trade_no: Some(&out),
            amount: Some(Amount::from_cents(1234)),
            return_url: Some("https://merchant.example/return"),
            ..Ask::default()
        };
        let reply =
            common::post_fields(&sandbox, interface, &request_fields(&sandbox, interface, Some(row), &ask)).await;
        let what = format!("{} / {}", interface.name, row.name);
        assert_eq!(
            reply_meaning(interface, &reply, Concept::ReturnStatus),
            Some(Meaning::Accepted),
            "{what}: {reply:?}"
        );
        verify_fields(&reply, &sandbox.credentials().secret).unwrap_or_else(|e| panic!("{what}: {e}"));
        let typed = (interface.typed_reader().unwrap())(&reply).unwrap();
        assert!(typed.extra.is_empty(), "{what}: {:?}", typed.extra);
        // A qrcode order answers with QR code content, the others with a pay link: the same page.
        let link = reply_value(interface, &reply, Concept::QrCode)
            .or_else(|| reply_value(interface, &reply, Concept::PayLink))
            .unwrap_or_else(|| panic!("{what}: no link in {reply:?}"));
        let page = http.get(link).send().await.unwrap();
        assert!(page.status().is_success(), "{what}: {link}");
        let html = page.text().await.unwrap();
        assert!(html.contains("12.34"), "{what}");
        assert!(html.contains("<svg"), "{what}: a QR code of the link");
        for wallet in row.wallets.iter().filter(|_| row.pay_type.is_none()) {
            assert!(html.contains(&format!("value=\"{wallet}\"")), "{what}: the payer may choose {wallet}");
        }
    }
    assert_eq!(sandbox.orders().len(), rows.len());
}

#[tokio::test]
async fn test_amounts_decide_the_outcome_in_every_scene_with_their_pay_type() {
    let sandbox = sandbox().await;
    let mut tried = 0;
    for (interface, row) in place_order_rows() {
        let Some(pay_type) = row.pay_type else { continue };
        for test in CATALOG.test_amounts.iter().filter(|t| t.pay_type == pay_type) {
            let out = format!("t{tried}");
            tried += 1;
            let ask = Ask {
                out_trade_no: Some(&out),
                amount: Some(Amount::from_cents(100 + u64::from(test.cents))),
                return_url: Some("https://merchant.example/return"),
                ..Ask::default()
            };
            let reply =
                common::post_fields(&sandbox, interface, &request_fields(&sandbox, interface, Some(row), &ask)).await;
            let what = format!("{} .{:02} {:?}", row.name, test.cents, test.outcome);
            if test.outcome == TestOutcome::ServerErrorNoQrCode {
                assert_eq!(
                    reply_value(interface, &reply, Concept::ReturnStatus),
                    Some(code(Meaning::ServerError)),
                    "{what}"
                );
                assert!(reply_value(interface, &reply, Concept::QrCode).is_none(), "{what}: no QR code");
                continue;
            }
            let expected = match test.outcome {
                TestOutcome::Success => Some(Meaning::Paid),
                TestOutcome::Timeout => Some(Meaning::Closed),
                TestOutcome::Failed => Some(Meaning::Failed),
                TestOutcome::ServerErrorNoState => None,
                other => panic!("a test outcome the sandbox does not know: {other:?}"),
            };
            assert_eq!(query_status(&sandbox, interface.name, Some(pay_type), &out).await, expected, "{what}");
        }
    }
    assert!(tried > 0, "the spec has test amounts for some payType with a place-order service");
}

#[tokio::test]
async fn orders_expire_after_the_active_time_their_service_row_gives() {
    let sandbox = sandbox().await;
    for (i, (interface, row)) in place_order_rows().into_iter().enumerate() {
        let out = format!("active_{i}");
        let ask = Ask {
            out_trade_no: Some(&out),
            amount: Some(Amount::from_cents(100)),
            return_url: Some("https://merchant.example/return"),
            ..Ask::default()
        };
        common::post_fields(&sandbox, interface, &request_fields(&sandbox, interface, Some(row), &ask)).await;
        let order = sandbox.order_by_out_trade_no(&out).unwrap();
        let expected = interface
            .field_for(Concept::ActiveTime)
            .and_then(|f| row.effective_default(interface, f.wire))
            .map(|seconds| seconds.parse::<i64>().unwrap());
        assert_eq!(order.expires.map(|e| e - order.created), expected, "{}", row.name);
    }
}

#[tokio::test]
async fn orders_of_services_that_never_notify_deliver_nothing_and_are_queried() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    let silent: Vec<_> =
        place_order_rows().into_iter().filter(|(_, row)| row.notifications == Notifications::Never).collect();
    for (i, (interface, row)) in silent.iter().enumerate() {
        let out = format!("silent_{i}");
        let ask = Ask {
            out_trade_no: Some(&out),
            amount: Some(Amount::from_cents(100)),
            notify_url: Some(&merchant.notify_url()),
            return_url: Some("https://merchant.example/return"),
            ..Ask::default()
        };
        common::post_fields(&sandbox, interface, &request_fields(&sandbox, interface, Some(row), &ask)).await;
        let order = sandbox.order_by_out_trade_no(&out).unwrap();
        assert_eq!(order.notify_url, Some(merchant.notify_url()), "{}: the notify address was given", row.name);
        sandbox.pay(&order.eft_trade_no).unwrap();
        let status = query_status(&sandbox, interface.name, row.pay_type, &out).await;
        assert_eq!(status, Some(Meaning::Paid), "{}", row.name);
    }
    // Long enough for a delivery, were one due.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sandbox.deliveries().is_empty(), "{:?}", sandbox.deliveries());
    assert!(merchant.notifications().is_empty());
}

#[tokio::test]
async fn where_the_payer_chooses_the_wallet_it_decides_whether_and_how_often_eftpay_notifies() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    // The shop never acknowledges: a wallet notified until acknowledged is delivered again.
    merchant.refuse_next(u32::MAX);
    let cases: Vec<_> = place_order_rows()
        .into_iter()
        .flat_map(|(interface, row)| row.wallet_notifications.iter().map(move |(w, b)| (interface, row, *w, *b)))
        .collect();
    assert!(cases.iter().any(|(.., b)| *b == Notifications::Never), "the spec has a wallet that never notifies");
    assert!(cases.iter().any(|(.., b)| *b == Notifications::Once), "the spec has a wallet that notifies once");
    for (i, (interface, row, wallet, behaviour)) in cases.iter().enumerate() {
        let out = format!("by_wallet_{i}");
        let ask = Ask {
            out_trade_no: Some(&out),
            amount: Some(Amount::from_cents(100)),
            notify_url: Some(&merchant.notify_url()),
            return_url: Some("https://merchant.example/return"),
            ..Ask::default()
        };
        common::post_fields(&sandbox, interface, &request_fields(&sandbox, interface, Some(row), &ask)).await;
        let order = sandbox.order_by_out_trade_no(&out).unwrap();
        sandbox.pay_with(&order.eft_trade_no, wallet).unwrap();
        // Long enough for several deliveries at the test backoff (20 ms, doubling), were any due.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let delivered = sandbox.deliveries().into_iter().filter(|d| d.out_trade_no == out).count();
        match behaviour {
            Notifications::Never => assert_eq!(delivered, 0, "{} paid with {wallet}", row.name),
            Notifications::Once => assert_eq!(delivered, 1, "{} paid with {wallet}", row.name),
            _ => assert!(delivered >= 2, "{} paid with {wallet}: {delivered}", row.name),
        }
    }
    // A wallet the row states nothing for follows the row: re-delivered until acknowledged.
    let (interface, row) =
        place_order_rows().into_iter().find(|(_, row)| !row.wallet_notifications.is_empty()).unwrap();
    let other = row.wallets.iter().find(|w| row.wallet_notifications.iter().all(|(own, _)| own != *w)).unwrap();
    assert_eq!(row.notifications_for(Some(other)), row.notifications);
    assert_eq!(row.notifications_for(None), row.notifications, "{}", interface.name);
}

/// The web scene: order → pay on the page → return → notification → query → refund → apply
/// refund → refund notification.
async fn web_flow(sandbox: &Sandbox, merchant: &Merchant, out: &str) {
    let c = client(sandbox);
    let order = services::WechatWebPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        "Coffee",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let reply = c.send(&order.build()).await.unwrap();
    let paid = Payer::new().pay(reply.pay_apptrade.as_deref().unwrap()).await.unwrap();
    assert_eq!(paid.merchant_page.as_deref(), Some(THANKS));
    wait_for(merchant, |n| matches!(n, Notification::Payment(p) if p.out_trade_no.as_deref() == Some(out))).await;
    let query = c.query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new(out))).await.unwrap();
    assert_eq!(query.trade_status, Some(TradeStatus::TradeSuccess));
    let refund = services::WechatWebRefund::refund(
        wallets::WeChatHk,
        eftpay::RefundAmount::new(Amount::from_cents(10)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        eftpay::RefundNo::new(format!("{out}_r")),
    );
    assert_eq!(c.refund(refund).await.unwrap().trade_status, Some(TradeStatus::TradeRefund));
    let apply = services::WechatWebApplyRefund::apply_refund(
        wallets::WeChatHk,
        eftpay::RefundAmount::new(Amount::from_cents(20)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        eftpay::RefundNo::new(format!("{out}_a")),
    )
    .notify_url(merchant.notify_url());
    assert_eq!(c.apply_refund(apply).await.unwrap().trade_status, Some(TradeStatus::ApplySuccess));
    wait_for(merchant, |n| matches!(n, Notification::Refund(r) if r.out_trade_no.as_deref() == Some(out))).await;
}

/// Waits until the merchant received a notification `matching`.
async fn wait_for(merchant: &Merchant, matching: impl Fn(&Notification) -> bool) -> Notification {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(found) = merchant.notifications().into_iter().find(|n| matching(n)) {
            return found;
        }
        assert!(tokio::time::Instant::now() < deadline, "no such notification: {:?}", merchant.notifications());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The qrcode scene: order → pay through the QR code's page → qrcode notification,
/// acknowledged → query → refund → query of the refund.
async fn qrcode_flow(sandbox: &Sandbox, merchant: &Merchant, out: &str) {
    let c = client(sandbox);
    let order = services::AlipayQrcodePreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        "Coffee",
        merchant.notify_url(),
    );
    let reply = c.send(&order.build()).await.unwrap();
    // The QR code's content opens the pay page, as a phone camera would.
    let qr_code = reply.qr_code.clone().unwrap();
    let paid = Payer::new().pay(&qr_code).await.unwrap();
    assert_eq!(paid.returned_to, None, "a qrcode order has no synchronous return");
    let Notification::Qrcode(notified) =
        wait_for(merchant, |n| matches!(n, Notification::Qrcode(q) if q.out_trade_no.as_deref() == Some(out))).await
    else {
        unreachable!()
    };
    assert_eq!(notified.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(notified.payment_type, Some(Wallet::AlipayHk));
    assert_eq!(notified.total_fee, Some(Amount::from_cents(100)));
    let order = sandbox.order_by_out_trade_no(out).unwrap();
    for _ in 0..1000 {
        if sandbox.order(&order.eft_trade_no).unwrap().notified {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(sandbox.order(&order.eft_trade_no).unwrap().notified, "the merchant's acknowledgement was taken");
    assert!(sandbox.deliveries().iter().any(|d| d.out_trade_no == out && d.outcome == DeliveryOutcome::Acknowledged));

    let query = c
        .send(&services::AlipayQrcodeQuery::query(wallets::AlipayHk, eftpay::OutTradeNo::new(out)).build())
        .await
        .unwrap();
    assert_eq!(query.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(query.transaction_amount, Some(Amount::from_cents(100)));
    assert_eq!(query.trade_type, Some(TradeType::Sale));

    let refund_no = format!("{out}_r");
    let refund = services::AlipayQrcodeRefund::refund(
        wallets::AlipayHk,
        eftpay::RefundAmount::new(Amount::from_cents(30)),
        eftpay::OutTradeNo::new(out),
        eftpay::RefundNo::new(refund_no.clone()),
    );
    let refunded = c.send(&refund.build()).await.unwrap();
    assert_eq!(refunded.trade_status, Some(TradeStatus::TradeRefund));
    assert_eq!(refunded.transaction_amount, Some(Amount::from_cents(30)));

    let query = services::AlipayQrcodeQuery::query(wallets::AlipayHk, eftpay::OutTradeNo::new(out))
        .refund_no(eftpay::RefundNo::new(refund_no.clone()));
    let refund_state = c.send(&query.build()).await.unwrap();
    assert_eq!(refund_state.refund_no.as_deref(), Some(refund_no.as_str()));
    assert_eq!(refund_state.trade_type, Some(TradeType::Refund));
    assert_eq!(refund_state.trade_status, Some(TradeStatus::TradeRefund));
    assert_eq!(refund_state.transaction_amount, Some(Amount::from_cents(30)));
}

/// Closing: an unpaid qrcode order closes (and can no longer be paid); a paid one is refused.
async fn qrcode_close(sandbox: &Sandbox, out: &str) {
    let c = client(sandbox);
    let unpaid = format!("{out}_open");
    let order = services::WechatQrcodePreOrder::place_order(
        wallets::WeChatCn,
        Amount::from_cents(50),
        eftpay::OutTradeNo::new(unpaid.clone()),
        "Tea",
        "http://127.0.0.1:9/notify",
    );
    c.send(&order.build()).await.unwrap();
    let closed = c
        .send(&services::WechatQrcodeClose::close(wallets::WeChatCn, eftpay::OutTradeNo::new(unpaid.clone())).build())
        .await
        .unwrap();
    assert_eq!(closed.trade_status, Some(TradeStatus::TradeClosed));
    let eft = sandbox.order_by_out_trade_no(&unpaid).unwrap().eft_trade_no;
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Closed);
    assert!(sandbox.pay(&eft).is_err(), "a closed order cannot be paid");
    let again = c
        .send(&services::WechatQrcodeClose::close(wallets::WeChatCn, eftpay::OutTradeNo::new(unpaid)).build())
        .await
        .unwrap_err();
    assert_eq!(again.gateway().unwrap().code(), code(Meaning::CannotClose), "{again}");

    let paid = format!("{out}_paid");
    let order = services::WechatQrcodePreOrder::place_order(
        wallets::WeChatCn,
        Amount::from_cents(50),
        eftpay::OutTradeNo::new(paid.clone()),
        "Tea",
        "http://127.0.0.1:9/notify",
    );
    c.send(&order.build()).await.unwrap();
    sandbox.pay(&sandbox.order_by_out_trade_no(&paid).unwrap().eft_trade_no).unwrap();
    let refused = c
        .send(&services::WechatQrcodeClose::close(wallets::WeChatCn, eftpay::OutTradeNo::new(paid)).build())
        .await
        .unwrap_err();
    let gateway = refused.gateway().unwrap();
    assert_eq!(gateway.code(), code(Meaning::CannotClose), "{refused}");
    assert!(gateway.is_verified(), "a positive refusal is signed");
}

/// The app scene: order → pay through the pay link → notification → refund → apply refund
/// (WeChat) → refund notification.
async fn app_flow(sandbox: &Sandbox, merchant: &Merchant, out: &str) {
    let c = client(sandbox);
    let order = services::AppWechatPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        BuyerType::Ios,
        "Coffee",
        "Beans",
    )
    .notify_url(merchant.notify_url());
    let reply = c.send(&order.build()).await.unwrap();
    let link = reply.pay_info.clone().unwrap();
    Payer::new().pay(&link).await.unwrap();
    let Notification::Payment(payment) =
        wait_for(merchant, |n| matches!(n, Notification::Payment(p) if p.out_trade_no.as_deref() == Some(out))).await
    else {
        unreachable!()
    };
    assert_eq!(payment.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(payment.wallet, Some(Wallet::WeChatHk));

    let refund = services::AppRefund::refund_by_out_trade_no(
        eftpay::RefundAmount::new(Amount::from_cents(10)),
        eftpay::RefundNo::new(format!("{out}_r")),
        eftpay::OutTradeNo::new(out),
    );
    assert_eq!(c.send(&refund.build()).await.unwrap().trade_status, Some(TradeStatus::TradeRefund));
    let eft = sandbox.order_by_out_trade_no(out).unwrap().eft_trade_no;
    let apply = services::AppWechatApplyRefund::apply_refund_by_eft_trade_no(
        eftpay::RefundAmount::new(Amount::from_cents(40)),
        eftpay::RefundNo::new(format!("{out}_a")),
        eftpay::EftTradeNo::new(eft),
    )
    .notify_url(merchant.notify_url());
    let applied = c.send(&apply.build()).await.unwrap();
    assert_eq!(applied.trade_status, Some(TradeStatus::ApplySuccess));
    let Notification::Refund(refunded) =
        wait_for(merchant, |n| matches!(n, Notification::Refund(r) if r.out_trade_no.as_deref() == Some(out))).await
    else {
        unreachable!()
    };
    assert_eq!(refunded.return_amount, Some(Amount::from_cents(40)));
    assert_eq!(refunded.refund_no.as_deref(), Some(format!("{out}_a").as_str()));
    assert_eq!(refunded.trade_status, Some(TradeStatus::TradeRefund), "50 of 100 refunded");
}

/// The cashier scene: order → the payer chooses a wallet on the page → return and notification
/// carry that wallet → query carries it and its payType → refund.
async fn cashier_flow(sandbox: &Sandbox, merchant: &Merchant, out: &str) {
    let c = client(sandbox);
    let row = services::CashierPreOrder::info();
    // Not the first wallet, which is what the page offers unchosen.
    let wallet = *row.wallets.last().unwrap();
    let pay_type = CATALOG.pay_type_of_wallet(wallet).unwrap();
    let order = services::CashierPreOrder::place_order(
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out),
        "Coffee",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let reply = c.send(&order.build()).await.unwrap();
    let eft = reply.eft_trade_no.clone().unwrap();
    assert_eq!(sandbox.order(&eft).unwrap().wallet, None, "no wallet until the payer chooses");
    let paid = Payer::new().pay_with(reply.pay_apptrade.as_deref().unwrap(), wallet).await.unwrap();
    assert_eq!(paid.merchant_page.as_deref(), Some(THANKS));
    let returned = merchant.returns().into_iter().find(|r| r.value(Concept::OutTradeNo) == Some(out)).unwrap();
    assert_eq!(returned.value(Concept::Wallet), Some(wallet));
    let Notification::Payment(payment) =
        wait_for(merchant, |n| matches!(n, Notification::Payment(p) if p.out_trade_no.as_deref() == Some(out))).await
    else {
        unreachable!()
    };
    assert_eq!(payment.wallet.as_ref().map(Wallet::as_str), Some(wallet));
    let query = c.query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new(out))).await.unwrap();
    // The Query reply names the wallet `payment_type` (docs/protocol.md §4); its payType follows.
    let reported = query.payment_type.as_ref().map(Wallet::as_str);
    assert_eq!(reported, Some(wallet));
    assert_eq!(reported.and_then(|w| CATALOG.pay_type_of_wallet(w)), Some(pay_type));
    assert_eq!(query.trade_status, Some(TradeStatus::TradeSuccess));
    let refund = services::CashierRefund::refund_by_out_trade_no(
        eftpay::RefundAmount::new(Amount::from_cents(100)),
        eftpay::RefundNo::new(format!("{out}_r")),
        eftpay::OutTradeNo::new(out),
    );
    let refunded = c.send(&refund.build()).await.unwrap();
    assert_eq!(refunded.trade_status, Some(TradeStatus::TradeClosed));
    assert_eq!(refunded.wallet.as_ref().map(Wallet::as_str), Some(wallet));
}

#[tokio::test]
async fn the_web_flow_runs_over_loopback() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    web_flow(&sandbox, &merchant, "web_flow").await;
}

#[tokio::test]
async fn the_qrcode_flow_runs_over_loopback() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    qrcode_flow(&sandbox, &merchant, "qr_flow").await;
}

#[tokio::test]
async fn an_unpaid_qrcode_order_closes_and_a_paid_one_is_refused() {
    let sandbox = sandbox().await;
    qrcode_close(&sandbox, "qr_close").await;
}

#[tokio::test]
async fn the_app_flow_runs_over_loopback() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    app_flow(&sandbox, &merchant, "app_flow").await;
}

#[tokio::test]
async fn the_cashier_flow_carries_the_wallet_the_payer_chose() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    cashier_flow(&sandbox, &merchant, "cash_flow").await;
}

#[tokio::test]
async fn a_wallet_the_cashier_does_not_offer_cannot_be_chosen() {
    let sandbox = sandbox().await;
    let c = client(&sandbox);
    let order = services::CashierPreOrder::place_order(
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("cash_bad"),
        "Coffee",
        "https://merchant.example/r",
    );
    let eft = c.send(&order.build()).await.unwrap().eft_trade_no.clone().unwrap();
    let offered = services::CashierPreOrder::info().wallets;
    let other =
        CATALOG.pay_types.iter().flat_map(|p| p.wallets).map(|(w, _)| *w).find(|w| !offered.contains(w)).unwrap();
    assert_eq!(sandbox.pay_with(&eft, other).unwrap_err().meaning, Meaning::InvalidField);
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Pending);
    // Without a choice the first wallet offered is taken.
    let paid = sandbox.pay(&eft).unwrap();
    assert_eq!(paid.wallet.as_deref(), offered.first().copied());
}

#[tokio::test]
async fn a_synchronous_return_posted_as_json_is_no_notification_of_another_scene() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    for scene in CATALOG.scenes.iter().filter(|s| CATALOG.scene_interface(s, Purpose::SyncReturn).is_some()) {
        scene_flow(&sandbox, &merchant, scene, &format!("return_{}", scene.name)).await;
    }
    let returns: Vec<_> = sandbox
        .sent()
        .into_iter()
        .filter(|sent| CATALOG.interface(sent.interface).unwrap().purpose == Purpose::SyncReturn)
        .collect();
    assert!(!returns.is_empty(), "the flows bring the payer back");
    for sent in returns {
        let scenes: Vec<&str> = CATALOG.scenes_of(sent.interface).map(|s| s.name).collect();
        // The same fields, as a JSON body a notify endpoint reads.
        let json: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(sent.body.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned().into()))
            .collect();
        let body = serde_json::Value::Object(json).to_string();
        if let Ok(read) = eftpay::notify::verify_notification_in(&CATALOG, &body, &sandbox.credentials().secret) {
            let theirs: Vec<&str> = CATALOG.scenes_of(read.interface.name).map(|s| s.name).collect();
            assert!(
                theirs.iter().any(|scene| scenes.contains(scene)),
                "{} (scenes {scenes:?}) read as {} (scenes {theirs:?}): {body}",
                sent.interface,
                read.interface.name
            );
        }
    }
}

#[tokio::test]
async fn every_message_the_sandbox_sends_verifies_and_reads_whole_into_its_type() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    for scene in CATALOG.scenes {
        scene_flow(&sandbox, &merchant, scene, &format!("all_{}", scene.name)).await;
    }
    // Refusals too, signed and not.
    let forged = eftpay::Client::builder(eftpay::Credentials::new(
        sandbox.credentials().user_confirm_key.clone(),
        "another-secret",
    ))
    .base_url(sandbox.base_url())
    .build()
    .unwrap();
    assert!(forged.query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("nobody"))).await.is_err());
    assert!(client(&sandbox).query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("nobody"))).await.is_err());

    let sent = sandbox.sent();
    if std::env::var_os("SHOW_SENT").is_some() {
        for message in &sent {
            eprintln!("{} {:?} {}", message.interface, message.encoding, message.body);
        }
    }
    let mut signed_codes = BTreeSet::new();
    let mut unsigned = 0;
    for message in &sent {
        let interface = CATALOG.interface(message.interface).unwrap();
        let fields = match message.encoding {
            Encoding::Form => ReceivedFields::from_form(&message.body),
            _ => ReceivedFields::from_json(&message.body),
        }
        .unwrap_or_else(|e| panic!("{}: {e}: {}", message.interface, message.body));
        let table = if interface.kind() == InterfaceKind::Request { interface.response } else { interface.fields };
        let sign = table.iter().find(|f| f.concept == Some(Concept::Sign)).unwrap().wire;
        let status = if interface.kind() == InterfaceKind::Request {
            reply_value(interface, &fields, Concept::ReturnStatus).map(str::to_owned)
        } else {
            None
        };
        match fields.text(sign) {
            Some(_) => {
                verify_fields(&fields, &sandbox.credentials().secret)
                    .unwrap_or_else(|e| panic!("{}: {e}", message.interface));
                signed_codes.extend(status);
            }
            None => {
                let status = status
                    .unwrap_or_else(|| panic!("{}: only refusals go unsigned: {}", message.interface, message.body));
                assert!(status.starts_with('-'), "{}: an unsigned {status}", message.interface);
                unsigned += 1;
            }
        }
        let typed =
            (interface.typed_reader().unwrap())(&fields).unwrap_or_else(|e| panic!("{}: {e}", message.interface));
        assert!(typed.extra.is_empty(), "{}: not in its type: {:?}", message.interface, typed.extra);
    }
    assert!(signed_codes.contains(code(Meaning::Accepted)) && signed_codes.contains(code(Meaning::NotFound)));
    assert!(unsigned > 0, "the forged request's refusal went out unsigned");
    // Every message the spec lets eftPay send was among them.
    let kinds: BTreeSet<&str> = sent.iter().map(|m| m.interface).collect();
    for interface in CATALOG.interfaces.iter().filter(|i| i.kind() != InterfaceKind::Acknowledgement) {
        assert!(kinds.contains(interface.name), "no {} was sent", interface.name);
    }
    // And the merchant read each one whole.
    for received in merchant.received() {
        assert!(received.fields.extra.is_empty(), "{}: {:?}", received.interface.name, received.fields.extra);
    }
}

/// For every scene whose notifications carry fields marked `echo` (docs/protocol.md §13), the
/// scene's whole flow: every notification the merchant receives about the order (payment and
/// refunds alike) carries, in each such field, what the place-order request sent in the field of
/// that name — read from the request as the order's fingerprint quotes it — and nothing where the
/// request sent nothing.
#[tokio::test]
async fn every_field_marked_echo_carries_the_value_of_the_orders_place_order_request() {
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    let echoes = |interface: &eftpay::catalog::InterfaceInfo| interface.fields.iter().any(|f| f.echo);
    let scenes: Vec<_> = CATALOG
        .scenes
        .iter()
        .filter(|scene| scene.interfaces.iter().filter_map(|name| CATALOG.interface(name)).any(echoes))
        .collect();
    assert!(!scenes.is_empty(), "the spec marks no field echo: this test checks nothing");
    for scene in scenes {
        let out = format!("echo_{}", scene.name);
        scene_flow(&sandbox, &merchant, scene, &out).await;
        let order = sandbox.order_by_out_trade_no(&out).unwrap();
        // The request's fields as the order keeps them to recognize a retry ("a=1&b=2").
        let request: Vec<(&str, &str)> = order.fingerprint.split('&').filter_map(|pair| pair.split_once('=')).collect();
        let sent = |wire: &str| request.iter().find(|(name, _)| *name == wire).map(|(_, value)| *value);
        let mut checked = 0;
        for received in merchant.received() {
            let about = received.interface.value_of(&received.fields, Concept::OutTradeNo);
            if about != Some(out.as_str()) {
                continue;
            }
            for field in received.interface.fields.iter().filter(|f| f.echo) {
                assert_eq!(
                    received.fields.text(field.wire),
                    sent(field.wire),
                    "{}: `{}` is not what the order's request sent",
                    received.interface.name,
                    field.wire
                );
                checked += usize::from(sent(field.wire).is_some());
            }
        }
        assert!(checked > 0, "{} scene: no notification echoed a value the request sent", scene.name);
    }
}
