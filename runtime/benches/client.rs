#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measurement program, not library code
//! `Client::place_order` against raw reqwest POSTing the same pre-signed body to the same local
//! server, in the same run (`measure`), at concurrency 1 and 16: the CPU time per request of
//! the measuring thread, which runs every request (a current-thread runtime) while the server
//! answers from its own thread. What the client adds — validating, signing, writing, reading
//! and verifying the reply, binding it to the request — is the difference.
//!
//! `cargo bench -p eftpay --bench client`

mod measure;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use eftpay::wire::OutgoingFields;
use eftpay::{Client, Credentials, Envelope, FixedClock, HkTime, ReceivedFields, Secret};

const USER_KEY: &str = "TESTKEY00001";
const SECRET: &str = "test-secret-not-real";
const NOW: &str = "20240102030405";
/// Rounds per comparison, and requests per round.
const ROUNDS: usize = 21;
const REQUESTS_PER_ROUND: usize = 400;

/// An accepted place-order reply about the order below, signed with the secret.
fn accepted_reply() -> String {
    let pairs = [
        ("return_status", "00"),
        ("time", NOW),
        ("pay_apptrade", "https://pay.example/alipay/abc"),
        ("user_confirm_key", USER_KEY),
        ("out_trade_no", "rrn_1686280005998"),
        ("payType", "Alipay"),
        ("wallet", "ALIPAYHK"),
        ("eft_trade_no", "20005269520084311t5rutcv1734"),
        ("transaction_amount", "0.53"),
    ];
    let sign = eftpay::signing::sign_fields(&ReceivedFields::from_pairs(pairs).unwrap(), &Secret::new(SECRET));
    let mut object = serde_json::Map::new();
    for (name, value) in pairs {
        object.insert(name.to_owned(), value.into());
    }
    object.insert("sign".to_owned(), sign.into());
    serde_json::Value::Object(object).to_string()
}

/// Serves `reply` to every POST, on a runtime of its own thread.
fn start_server(reply: String) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let app = Router::new().fallback(move || {
                let reply = reply.clone();
                async move { ([(CONTENT_TYPE, "application/json;charset=UTF-8")], reply) }
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}/VMP", receiver.recv().unwrap())
}

/// Runs `requests` calls of `call`, at most `concurrency` at once, on this thread; the thread's
/// CPU time per call.
async fn per_request<F, Fut>(concurrency: usize, requests: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    let start = measure::thread_cpu_time();
    let mut running = tokio::task::JoinSet::new();
    for _ in 0..requests {
        if running.len() >= concurrency {
            running.join_next().await.unwrap().unwrap();
        }
        running.spawn_local(call());
    }
    while let Some(done) = running.join_next().await {
        done.unwrap();
    }
    (measure::thread_cpu_time().saturating_sub(start)) / u32::try_from(requests).unwrap()
}

fn main() {
    let base_url = start_server(accepted_reply());
    let credentials = Credentials::new(USER_KEY, SECRET);
    let client = Client::builder(credentials.clone())
        .base_url(&base_url)
        .clock(Arc::new(FixedClock::new(HkTime::parse_compact(NOW).unwrap())))
        .build()
        .unwrap();
    let order = measure::place_order();
    // The floor sends the very body the client sends, signed beforehand.
    let time = eftpay::HkTime::parse_compact(NOW).unwrap().compact_text();
    let body = OutgoingFields::of(&order, &Envelope { user_confirm_key: USER_KEY, time: &time })
        .signed_json(&credentials.secret);
    let url = format!("{base_url}/Servlet/JSAPIService.do");
    let raw = eftpay::client::http_client_builder().unwrap().build().unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let ours = || {
            let client = client.clone();
            let order = order.clone();
            async move {
                let reply = client.place_order(order).await.unwrap();
                assert!(reply.pay_apptrade.is_some());
            }
        };
        let floor = || {
            let raw = raw.clone();
            let url = url.clone();
            let body = body.clone();
            async move {
                let response = raw
                    .post(&url)
                    .header(CONTENT_TYPE, "application/json; charset=utf-8")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                assert!(!response.bytes().await.unwrap().is_empty());
            }
        };
        // Warm the connection pools and allocators.
        per_request(16, 200, ours).await;
        per_request(16, 200, floor).await;

        measure::header();
        for concurrency in [1, 16] {
            // Interleaved rounds, alternating which side goes first.
            let (mut ours_rounds, mut floor_rounds) = (Vec::new(), Vec::new());
            for index in 0..ROUNDS {
                if index % 2 == 0 {
                    ours_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, ours).await);
                    floor_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, floor).await);
                } else {
                    floor_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, floor).await);
                    ours_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, ours).await);
                }
            }
            let comparison = measure::Comparison::of_rounds(ours_rounds, floor_rounds);
            measure::report(
                &format!("`Client::place_order` CPU per request, c = {concurrency}"),
                "raw reqwest POSTing the same pre-signed body to the same local server",
                comparison,
                1.20,
            );
        }
    });
}
