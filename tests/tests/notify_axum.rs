//! The ready axum notification endpoint (feature `axum`): a verified notification reaches the
//! merchant's code and is acknowledged `success`; a forged one never reaches it; a handler error
//! asks eftPay to deliver again; duplicates are delivered and acknowledged each time.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use eftpay::notify::{self, Notification, axum::notification_route_with_clock};
use eftpay::verify::verify_fields;
use eftpay::{Credentials, FixedClock, HkTime, ReceivedFields, TradeStatus};
use tower::ServiceExt;

const PAYMENT: &str = r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","total_fee":"0.53","trade_status":"TRADE_SUCCESS","trade_type":"SALE","time":"20230609110645"}"#;

fn credentials() -> Credentials {
    Credentials::new("TESTKEY00001", "test-secret-not-real")
}

/// An app whose handler records what it saw and fails when told to.
fn app(seen: Arc<Mutex<Vec<Notification>>>, fail: bool) -> Router {
    let clock = Arc::new(FixedClock::new(HkTime::parse_compact("20230609110700").unwrap()));
    Router::new().route(
        "/notify",
        notification_route_with_clock(credentials(), clock, move |n| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().unwrap().push(n.into_message());
                if fail { Err("database down") } else { Ok(()) }
            }
        }),
    )
}

async fn post(app: Router, body: String) -> (StatusCode, ReceivedFields) {
    let request = Request::post("/notify").header("content-type", "application/json").body(Body::from(body)).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 1 << 16).await.unwrap();
    (status, ReceivedFields::from_json_bytes(&bytes).unwrap())
}

#[tokio::test]
async fn verified_notification_reaches_the_handler_and_is_acknowledged_success() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let body = notify::sign_for_test(PAYMENT, &credentials().secret).unwrap();
    let (status, ack) = post(app(Arc::clone(&seen), false), body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ack.text("return_code"), Some("success"));
    assert_eq!(verify_fields(&ack, &credentials().secret), Ok(()), "the acknowledgement is signed");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].trade_status(), Some(&TradeStatus::TradeSuccess));
}

#[tokio::test]
async fn forged_notification_never_reaches_the_handler() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let forged = notify::sign_for_test(PAYMENT, &eftpay::Secret::new("another-secret")).unwrap();
    let (status, ack) = post(app(Arc::clone(&seen), false), forged).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(ack.text("return_code"), Some("false"));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn handler_error_asks_for_redelivery() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let body = notify::sign_for_test(PAYMENT, &credentials().secret).unwrap();
    let (status, ack) = post(app(Arc::clone(&seen), true), body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ack.text("return_code"), Some("false"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn duplicates_are_delivered_and_acknowledged_each_time() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let body = notify::sign_for_test(PAYMENT, &credentials().secret).unwrap();
    for _ in 0..2 {
        let (_, ack) = post(app(Arc::clone(&seen), false), body.clone()).await;
        assert_eq!(ack.text("return_code"), Some("success"));
    }
    assert_eq!(seen.lock().unwrap().len(), 2, "idempotence is the merchant's job; the SDK hides nothing");
}
