//! What the sandbox refuses or protects, over real loopback HTTP: replayed acknowledgements,
//! cross-site requests from a browser, links nobody can open, and requests cut off by a stop.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::time::Duration;

use common::{client, sandbox};
use eftpay::{Amount, Clock, FixedClock, ReturnCode, SystemClock, services, wallets};
use eftpay_sandbox::{DeliveryOutcome, Faults, Sandbox};

#[tokio::test]
async fn a_signed_acknowledgement_six_years_old_is_not_a_delivery() {
    let sandbox = sandbox().await;
    // A shop that signs `success` correctly, but with a time six years ago: a replayed answer.
    let credentials = sandbox.credentials().clone();
    let app = axum::Router::new().route(
        "/notify",
        axum::routing::post(move || {
            let credentials = credentials.clone();
            async move {
                let six_years_ago = SystemClock.now().plus_seconds(-6 * 365 * 86_400).unwrap();
                eftpay::notify::acknowledge(ReturnCode::Success, &credentials, &FixedClock::new(six_years_ago)).body
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let notify_url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let order = services::AlipayWebPreOrder::place_order(wallets::AlipayCn, Amount::from_cents(10), "rrn_oldack", "x")
        .notify_url(notify_url)
        .return_url("https://merchant.example/r");
    let eft = client(&sandbox).place_order(order).await.unwrap().eft_trade_no.clone().unwrap();
    sandbox.pay(&eft).unwrap();
    let deliveries = common::deliveries_at_least(&sandbox, 2).await;
    assert!(deliveries.len() >= 2, "re-delivered: {deliveries:?}");
    assert!(
        deliveries.iter().all(
            |d| matches!(&d.outcome, DeliveryOutcome::NotAcknowledged { reason } if reason.contains("time mismatch"))
        ),
        "{deliveries:?}"
    );
    assert!(!sandbox.order(&eft).unwrap().notified);
}

#[tokio::test]
async fn shutdown_finishes_every_request_in_flight() {
    const REQUESTS: u32 = 24;
    let sandbox = sandbox().await;
    // Each request counts down `server_errors` as it enters the gateway, then sleeps: when the
    // count reaches 0 every request is being answered.
    sandbox.set_faults(Faults { slow_responses_ms: 500, server_errors: REQUESTS, ..Faults::default() });
    let url = format!("{}/Servlet/JSAPIService.do", sandbox.base_url());
    let http = reqwest::Client::new();
    let requests: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let request = http.post(&url).header("content-type", "application/json").body("{}");
            tokio::spawn(async move {
                let response = request.send().await?;
                let status = response.status();
                response.text().await.map(|body| (status, body))
            })
        })
        .collect();
    for _ in 0..1000 {
        if sandbox.faults().server_errors == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sandbox.faults().server_errors, 0, "every request reached the gateway");

    sandbox.shutdown().await;
    for request in requests {
        let (status, body) = request.await.unwrap().expect("a complete reply, not a reset connection");
        assert_eq!(status, 500);
        assert_eq!(body, "sandbox fault: server error");
    }
}
