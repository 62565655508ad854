//! A merchant web app in axum: `/checkout` places an order and sends the browser to the pay
//! page, `/eftpay/notify` is the SDK's ready notification endpoint, `/thanks` receives the
//! synchronous return. It talks to an embedded sandbox; point the client at eftPay instead
//! (with your credentials) and nothing else changes.
//!
//! `cargo run -p eftpay-sandbox --example merchant_webhook`, then open the printed URL.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use eftpay::notify::{self, Notification, axum::notification_route};
use eftpay::{Amount, Client, Credentials, services, wallets};
use eftpay_sandbox::Sandbox;

struct Shop {
    client: Client,
    credentials: Credentials,
    base: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start().await?;
    let credentials = sandbox.credentials().clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let client = Client::builder(credentials.clone()).base_url(sandbox.base_url()).build()?;
    let shop = Arc::new(Shop { client, credentials: credentials.clone(), base: base.clone() });

    let app = axum::Router::new()
        .route("/checkout", get(checkout))
        .route("/thanks", post(thanks))
        .route(
            "/eftpay/notify",
            notification_route(credentials, |n| async move {
                // Record idempotently by out_trade_no: eftPay re-delivers until acknowledged.
                if let Notification::Payment(p) = n.message() {
                    println!("notify: {:?} is {:?}", p.out_trade_no, p.trade_status);
                }
                Ok::<(), std::convert::Infallible>(())
            }),
        )
        .with_state(shop);
    println!("open {base}/checkout (Ctrl-C to stop)");
    axum::serve(listener, app).with_graceful_shutdown(async { tokio::signal::ctrl_c().await.unwrap_or(()) }).await?;
    sandbox.shutdown().await;
    Ok(())
}

async fn checkout(State(shop): State<Arc<Shop>>) -> Response {
    let order_no = format!("web-{}", eftpay::Clock::now(&eftpay::SystemClock).to_compact());
    let order =
        services::AlipayWebPreOrder::place_order(wallets::AlipayHk, Amount::from_cents(4200), order_no, "A good book")
            .notify_url(format!("{}/eftpay/notify", shop.base))
            .return_url(format!("{}/thanks", shop.base));
    match shop.client.place_order(order).await {
        Ok(reply) => Redirect::to(reply.pay_apptrade.as_deref().unwrap_or("/")).into_response(),
        Err(error) => Html(format!("<p>Could not start the payment: {error}</p>")).into_response(),
    }
}

async fn thanks(State(shop): State<Arc<Shop>>, body: String) -> Html<String> {
    // The synchronous return is for showing a page; the notification and Query decide.
    match notify::verify_return(&body, &shop.credentials.secret) {
        Ok(r) => Html(format!(
            "<p>Thank you! Order {} is {:?}.</p>",
            r.out_trade_no.as_deref().unwrap_or("?"),
            r.trade_status
        )),
        Err(_) => Html("<p>We could not read the payment result; we will email you once it is confirmed.</p>".into()),
    }
}
