//! The ready axum notification endpoint (feature `axum`): a verified notification reaches the
//! merchant's code and is acknowledged `success`; a forged one never reaches it; a handler error
//! asks eftPay to deliver again; duplicates are delivered and acknowledged each time; a body
//! over the size limit is refused with 413 without being read to the end.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use eftpay::notify::{self, axum::notification_route_with_clock};
use eftpay::{Notification, ReceiveLimits};

const MAX_BODY_BYTES: usize = ReceiveLimits::DEFAULT.max_body_bytes;
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
    send(app, request).await
}

async fn send(app: Router, request: Request<Body>) -> (StatusCode, ReceivedFields) {
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

#[tokio::test]
async fn an_over_large_body_is_refused_with_413_and_false() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    // 2 MiB, which axum's default limit would let through, of distinct fields.
    let mut body = String::from("{");
    for i in 0.. {
        if body.len() > 2 * 1024 * 1024 - 32 {
            break;
        }
        body.push_str(&format!("\"f{i}\":\"v\","));
    }
    body.push_str(r#""sign":""}"#);
    assert!(body.len() > 2_000_000 && body.len() <= 2 * 1024 * 1024, "{}", body.len());

    // Declared too large: refused from the header.
    let request = Request::post("/notify")
        .header("content-type", "application/json")
        .header("content-length", body.len())
        .body(Body::from(body.clone()))
        .unwrap();
    let (status, ack) = send(app(Arc::clone(&seen), false), request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(ack.text("return_code"), Some("false"));
    assert_eq!(verify_fields(&ack, &credentials().secret), Ok(()), "the refusal is signed");

    // No length declared: the read stops at the limit.
    let (status, ack) = post(app(Arc::clone(&seen), false), body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(ack.text("return_code"), Some("false"));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_declared_over_large_body_is_refused_without_reading_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    // A genuine notification behind a length over the limit: only the header can refuse it.
    let body = notify::sign_for_test(PAYMENT, &credentials().secret).unwrap();
    let request = Request::post("/notify")
        .header("content-type", "application/json")
        .header("content-length", MAX_BODY_BYTES + 1)
        .body(Body::from(body))
        .unwrap();
    let (status, ack) = send(app(Arc::clone(&seen), false), request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(ack.text("return_code"), Some("false"));
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_body_at_the_limit_is_read() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let signed = notify::sign_for_test(PAYMENT, &credentials().secret).unwrap();
    // JSON allows white space before the object: pad the genuine body to exactly the limit.
    let body = " ".repeat(MAX_BODY_BYTES - signed.len()) + &signed;
    assert_eq!(body.len(), MAX_BODY_BYTES);
    let (status, ack) = post(app(Arc::clone(&seen), false), body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ack.text("return_code"), Some("success"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}
