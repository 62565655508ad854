//! A merchant web app in axum: `/checkout` places an order and sends the browser to the pay
//! page, `/eftpay/notify` is the SDK's ready notification endpoint, `/thanks` receives the
//! synchronous return. It talks to an embedded sandbox; point the client at eftPay instead
//! (with your credentials) and nothing else changes.
//!
//! `cargo run -p eftpay-sandbox --example merchant_webhook`, then open the printed URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use eftpay::Notification;
use eftpay::notify::{self, axum::notification_route};
use eftpay::{Amount, Client, Credentials, SyncReturn, TradeStatus, services, wallets};
use eftpay_sandbox::Sandbox;

struct Shop {
    client: Client,
    credentials: Credentials,
    base: String,
    /// Makes order numbers unique within a second, which the clock alone does not.
    orders: AtomicU32,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start().await?;
    let credentials = sandbox.credentials().clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let client = Client::builder(credentials.clone()).base_url(sandbox.base_url()).build()?;
    println!("open {base}/checkout (Ctrl-C to stop)");
    axum::serve(listener, shop(client, credentials, base))
        .with_graceful_shutdown(async { tokio::signal::ctrl_c().await.unwrap_or(()) })
        .await?;
    sandbox.shutdown().await;
    Ok(())
}

/// The shop's routes, served at `base`, sending orders through `client`.
pub fn shop(client: Client, credentials: Credentials, base: String) -> axum::Router {
    let shop = Arc::new(Shop { client, credentials: credentials.clone(), base, orders: AtomicU32::new(0) });
    axum::Router::new()
        .route("/checkout", get(checkout))
        .route("/thanks", post(thanks))
        .route(
            "/eftpay/notify",
            notification_route(credentials, |n| async move {
                // Record idempotently by out_trade_no: eftPay re-delivers until acknowledged.
                if let Notification::Payment(p) = n.message() {
                    let status = p.trade_status.as_ref().map_or("-", |s| s.as_str());
                    println!("notify: {} is {status}", p.out_trade_no.as_deref().unwrap_or("-"));
                }
                Ok::<(), std::convert::Infallible>(())
            }),
        )
        .with_state(shop)
}

async fn checkout(State(shop): State<Arc<Shop>>) -> Response {
    let sequence = shop.orders.fetch_add(1, Ordering::Relaxed);
    let order_no = format!("web-{}-{sequence}", eftpay::Clock::now(&eftpay::SystemClock).to_compact());
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(4200),
        eftpay::OutTradeNo::new(order_no),
        "A good book",
        format!("{}/thanks", shop.base),
    )
    .notify_url(format!("{}/eftpay/notify", shop.base));
    match shop.client.place_order(order).await {
        Ok(reply) => Redirect::to(reply.pay_apptrade.as_deref().unwrap_or("/")).into_response(),
        Err(error) => Html(format!("<p>Could not start the payment: {error}</p>")).into_response(),
    }
}

async fn thanks(State(shop): State<Arc<Shop>>, body: String) -> Html<String> {
    // The synchronous return is for showing a page; the notification and Query decide.
    match notify::verify_return::<SyncReturn>(&body, &shop.credentials.secret) {
        Ok(r) => {
            let paid = r.trade_status == Some(TradeStatus::TradeSuccess);
            let order = html_escape(r.out_trade_no.as_deref().unwrap_or("?"));
            Html(if paid {
                format!("<p>Thank you! Order {order} is paid.</p>")
            } else {
                format!("<p>Order {order} is not paid yet; we will email you once it is confirmed.</p>")
            })
        }
        Err(_) => Html("<p>We could not read the payment result; we will email you once it is confirmed.</p>".into()),
    }
}

/// Text from a message, safe inside HTML.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
