#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)] // tests, not library code
//! What a user sees with the plain `tracing_subscriber::fmt()` subscriber: a successful call
//! logs one line with its outcome, a retried call one line per attempt sent again, and no field
//! appears twice on a line (issue: fields recorded late on the span printed nothing for a
//! successful call, and twice after a retry).
//!
//! Its own test binary: it installs `fmt()` as the process's subscriber.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use eftpay::signing::sign_fields;
use eftpay::{Client, Credentials, FixedClock, HkTime, QueryRequest, ReceivedFields, Secret};

const USER_KEY: &str = "TESTKEY00001";
const SECRET: &str = "SENTINEL-SECRET-0002";
const NOW: &str = "20240102030405";

/// Everything `fmt()` wrote.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<Vec<u8>>>);

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Output {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The query reply, signed as eftPay signs (docs/protocol.md §2), and its signature.
fn answer() -> (String, String) {
    let pairs = [
        ("return_status", "00"),
        ("time", NOW),
        ("out_trade_no", "rrn_1"),
        ("eft_trade_no", "20005269520084311t5rutcv1734"),
        ("trade_status", "TRADE_SUCCESS"),
        ("trade_type", "SALE"),
        ("user_confirm_key", USER_KEY),
    ];
    let fields = ReceivedFields::from_pairs(pairs).unwrap();
    let sign = sign_fields(&fields, &Secret::new(SECRET));
    let mut object = serde_json::Map::new();
    for (name, value) in pairs {
        object.insert(name.to_owned(), value.into());
    }
    object.insert("sign".to_owned(), sign.clone().into());
    (serde_json::Value::Object(object).to_string(), sign)
}

/// A gateway answering HTTP 500 to its first `failures` requests, then `body`.
async fn gateway(failures: usize, body: String) -> String {
    let seen = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move || {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        let body = body.clone();
        async move {
            if n < failures {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error".to_owned()).into_response()
            } else {
                (StatusCode::OK, [(CONTENT_TYPE, "application/json")], body).into_response()
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}/VMP")
}

fn query() -> QueryRequest {
    let mut request = QueryRequest::new();
    request.out_trade_no = Some("rrn_1".to_owned());
    request
}

#[tokio::test]
async fn the_default_fmt_subscriber_shows_each_call_once_and_each_retry() {
    let output = Output::default();
    let writer = output.clone();
    tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).init();
    let (body, sign) = answer();
    let base_url = gateway(1, body).await;
    let client = Client::builder(Credentials::new(USER_KEY, SECRET))
        .base_url(&base_url)
        .clock(Arc::new(FixedClock::new(HkTime::parse_compact(NOW).unwrap())))
        .retry_backoff(Duration::from_millis(5))
        .build()
        .unwrap();

    client.query(query()).await.unwrap();

    let text = output.text();
    let lines: Vec<&str> = text.lines().filter(|line| line.contains("eftpay_request")).collect();
    assert_eq!(lines.len(), 2, "one line for the retried attempt, one for the call: {text}");
    assert!(lines[0].contains(" INFO ") && lines[0].contains("sending it again"), "{text}");
    assert!(lines[0].contains("attempt=1") && lines[0].contains("http_status=500"), "{text}");
    assert!(lines[1].contains(" INFO ") && lines[1].contains("eftPay request completed"), "{text}");
    for field in ["attempt=2", "http_status=200", "return_status=\"00\"", "elapsed_ms="] {
        assert!(lines[1].contains(field), "{field} missing: {text}");
    }
    for line in &lines {
        assert!(line.contains("interface=\"query\"") && line.contains("out_trade_no=\"rrn_1\""), "{text}");
        for field in ["attempt=", "http_status=", "return_status=", "elapsed_ms=", "out_trade_no=", "interface="] {
            assert!(line.matches(field).count() <= 1, "{field} twice: {line}");
        }
    }
    assert!(!text.contains(SECRET) && !text.contains(&sign), "a secret or signature was logged: {text}");
}
