//! The whole eftPay flow in one small program, against a local sandbox gateway:
//! place an order, pay it, receive the verified notification, query, refund.
//!
//! `cargo run -p eftpay-sandbox --example quickstart`

use std::sync::{Arc, Mutex};

use eftpay::Notification;
use eftpay::notify::axum::notification_route;
use eftpay::{Amount, Client, QueryRequest, services, wallets};
use eftpay_sandbox::Sandbox;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A gateway on 127.0.0.1 (use eftPay's base URL and your real credentials in production).
    let sandbox = Sandbox::start().await?;
    let credentials = sandbox.credentials().clone();
    let client = Client::builder(credentials.clone()).base_url(sandbox.base_url()).build()?;

    // 2. Your notify_url: verified notifications arrive here; answer them and record idempotently.
    let received = Arc::new(Mutex::new(Vec::<Notification>::new()));
    let inbox = Arc::clone(&received);
    let app = axum::Router::new().route(
        "/notify",
        notification_route(credentials, move |n| {
            let inbox = Arc::clone(&inbox);
            async move {
                inbox.lock().map_err(|_| "poisoned")?.push(n.into_message());
                Ok::<(), &str>(())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let notify_url = format!("http://{}/notify", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    // 3. A typed order: only AlipayWebPreOrder's own wallets compile here.
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::parse("12.50")?,
        eftpay::OutTradeNo::new("order-1001"),
        "Coffee beans",
        "https://merchant.example/thanks",
    )
    .notify_url(notify_url);
    let reply = client.place_order(order).await?;
    println!("order placed; the payer opens {}", reply.pay_apptrade()?);

    // 4. The payer pays (here: the sandbox's control API; a person would press Pay on the page).
    sandbox.pay(reply.eft_trade_no.as_deref().unwrap_or_default())?;
    while received.lock().map_err(|_| "poisoned")?.is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let paid = received.lock().map_err(|_| "poisoned")?.first().is_some_and(|n| {
        // Paid, and for what was charged: check the amount against the order's before shipping.
        n.is_paid() && n.total_fee() == Some(Amount::from_cents(1250))
    });
    println!("notification: paid {paid}");

    // 5. Query is authoritative; then refund part of it, with the sale's wallet (the refund
    //    service fills in its payType).
    let query = QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("order-1001"));
    println!("query: paid {}", client.query(query).await?.is_paid());
    let refund = services::AlipayWebRefund::refund(
        wallets::AlipayHk,
        eftpay::RefundAmount::new(Amount::parse("2.50")?),
        Amount::parse("12.50")?,
        eftpay::OutTradeNo::new("order-1001"),
        eftpay::RefundNo::new("refund-1"),
    );
    println!("refund: {}", client.refund(refund).await?.trade_status()?);
    sandbox.shutdown().await;
    Ok(())
}
