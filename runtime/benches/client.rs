#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measurement program, not library code
//! `Client::place_order` against raw reqwest POSTing the same pre-signed body to the same local
//! server, in the same run (`measure`), at concurrency 1 and 16: the CPU time per request of
//! the measuring thread, which runs every request (a current-thread runtime) while the server
//! answers from its own thread. What the client adds — validating, signing, writing, reading
//! and verifying the reply, binding it to the request — is the difference.
//!
//! `cargo bench -p eftpay --bench client`; `EFTPAY_BENCH_ABLATE=1` adds rows that split the gap
//! (reqwest's settings, the timeout, the SDK's steps done around the floor's exchange);
//! `EFTPAY_BENCH_PROFILE=ours|floor|floor-with-steps|floor-with-timeout` runs one side alone,
//! at `EFTPAY_BENCH_CONCURRENCY` (1 unless set), for `perf` or `strace -c`.

mod measure;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use eftpay::gateway::OutgoingFields;
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

/// The per-request timeout the client sets by default.
const TIMEOUT: Duration = Duration::from_secs(30);

/// POSTs `body` as JSON to `url` as the floor does, with a per-request `timeout` when given;
/// the reply, checked to be a success.
async fn post(raw: &reqwest::Client, url: &str, body: String, timeout: Option<Duration>) -> reqwest::Response {
    let mut request = raw.post(url).header(CONTENT_TYPE, "application/json; charset=utf-8").body(body);
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success());
    response
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
    let raw = eftpay::gateway::http_client_builder().unwrap().build().unwrap();

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
                let response = post(&raw, &url, body, None).await;
                assert!(!response.bytes().await.unwrap().is_empty());
            }
        };
        // The floor with the SDK's own steps done around the exchange, without the client:
        // validate, collect, sign and write before it; verify and type the reply after.
        // Against the floor, what those steps cost where they run — between network calls,
        // where they also change when the server's thread sleeps and must be woken — rather
        // than back to back.
        let with_steps = || {
            let raw = raw.clone();
            let url = url.clone();
            let order = order.clone();
            let credentials = credentials.clone();
            async move {
                eftpay::OutgoingMessage::validate(&order).unwrap();
                let fields = OutgoingFields::of(&order, &Envelope { user_confirm_key: USER_KEY, time: &time });
                let response = post(&raw, &url, fields.signed_json(&credentials.secret), None).await;
                let reply = response.bytes().await.unwrap();
                let verified = eftpay::verify::verify_json::<eftpay::PlaceOrderResponse>(
                    std::str::from_utf8(&reply).unwrap(),
                    &credentials.secret,
                )
                .unwrap();
                std::hint::black_box(verified);
            }
        };
        // The floor with the per-request timeout the client sets, and nothing else of it.
        let timed_only = || {
            let raw = raw.clone();
            let url = url.clone();
            let body = body.clone();
            async move {
                let response = post(&raw, &url, body, Some(TIMEOUT)).await;
                assert!(!response.bytes().await.unwrap().is_empty());
            }
        };
        // Warm the connection pools and allocators.
        per_request(16, 200, ours).await;
        per_request(16, 200, floor).await;
        per_request(16, 200, with_steps).await;
        per_request(16, 200, timed_only).await;

        // For a profiler or `strace -c`: one side alone, 20,000 requests at c = 1, or at
        // EFTPAY_BENCH_CONCURRENCY (EFTPAY_BENCH_PROFILE=ours|floor|floor-with-steps|floor-with-timeout).
        let concurrency = std::env::var("EFTPAY_BENCH_CONCURRENCY").ok().and_then(|c| c.parse().ok()).unwrap_or(1);
        let profiled = match std::env::var("EFTPAY_BENCH_PROFILE").as_deref() {
            Ok("ours") => Some(("ours", per_request(concurrency, 20_000, ours).await)),
            Ok("floor") => Some(("floor", per_request(concurrency, 20_000, floor).await)),
            Ok("floor-with-steps") => Some(("floor-with-steps", per_request(concurrency, 20_000, with_steps).await)),
            Ok("floor-with-timeout") => {
                Some(("floor-with-timeout", per_request(concurrency, 20_000, timed_only).await))
            }
            _ => None,
        };
        if let Some((side, per_call)) = profiled {
            return println!("{side}: {per_call:?} CPU per request at c = {concurrency}");
        }

        measure::header();
        for concurrency in [1, 16] {
            let comparison = interleaved(concurrency, ours, floor).await;
            measure::report(
                &format!("`Client::place_order` CPU per request, c = {concurrency}"),
                "raw reqwest POSTing the same pre-signed body to the same local server",
                comparison,
                1.20,
            );
        }

        // Where the gap lies, by ablation (EFTPAY_BENCH_ABLATE=1): the floor doing what the
        // client asks of reqwest — its reqwest settings (`Transport::new`), a per-request
        // timeout and reading the reply in chunks — but none of the SDK's own work. Against the
        // plain floor it is reqwest's share of the gap; the client against it, the SDK's.
        if std::env::var_os("EFTPAY_BENCH_ABLATE").is_some() {
            let configured = eftpay::gateway::http_client_builder()
                .unwrap()
                .connect_timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .retry(reqwest::retry::never())
                .user_agent("eftpay-rs/bench")
                .build()
                .unwrap();
            let as_the_client = || {
                let raw = configured.clone();
                let url = url.clone();
                let body = body.clone();
                async move {
                    let mut response = post(&raw, &url, body, Some(TIMEOUT)).await;
                    let mut read = Vec::with_capacity(usize::try_from(response.content_length().unwrap()).unwrap());
                    while let Some(chunk) = response.chunk().await.unwrap() {
                        read.extend_from_slice(&chunk);
                    }
                    assert!(!read.is_empty());
                }
            };
            per_request(16, 200, as_the_client).await;
            // The SDK's own steps without any exchange: validate, collect, sign and write the
            // body, then read, verify and type the reply — CPU per call, for the gap's share.
            let reply = accepted_reply();
            let steps = measure::compare(
                ROUNDS,
                || {
                    let order = std::hint::black_box(order.clone());
                    eftpay::OutgoingMessage::validate(&order).unwrap();
                    let fields = OutgoingFields::of(&order, &Envelope { user_confirm_key: USER_KEY, time: &time });
                    std::hint::black_box(fields.signed_json(&credentials.secret));
                    let verified = eftpay::verify::verify_json::<eftpay::PlaceOrderResponse>(
                        std::hint::black_box(&reply),
                        &credentials.secret,
                    )
                    .unwrap();
                    std::hint::black_box(verified);
                },
                || drop(std::hint::black_box(order.clone())),
            );
            println!(
                "| ablation: the SDK's steps alone (validate, collect, sign, write; read, verify, type the reply) | {:.1} µs | cloning the order: {:.2} µs | | |",
                steps.ours.as_secs_f64() * 1e6,
                steps.floor.as_secs_f64() * 1e6
            );
            for concurrency in [1, 16] {
                let steps_there = interleaved(concurrency, with_steps, floor).await;
                ablation(
                    &format!("the floor with the SDK's steps around the exchange, no client, c = {concurrency}"),
                    "the floor",
                    steps_there,
                );
                let timeout = interleaved(concurrency, timed_only, floor).await;
                ablation(&format!("the floor + a per-request timeout, c = {concurrency}"), "the floor", timeout);
                let reqwest_side = interleaved(concurrency, as_the_client, floor).await;
                ablation(&format!("the floor as the client uses reqwest, c = {concurrency}"), "the floor", reqwest_side);
                let sdk_side = interleaved(concurrency, ours, as_the_client).await;
                ablation(
                    &format!("`Client::place_order` against that, c = {concurrency}"),
                    "the floor as the client uses reqwest",
                    sdk_side,
                );
            }
        }
    });
}

/// One ablation row: a comparison that has no goal, only a share of the gap to show.
fn ablation(path: &str, floor: &str, comparison: measure::Comparison) {
    println!(
        "| ablation: {path} | {:.1} µs | {floor}: {:.1} µs | {:.2}× | — |",
        comparison.ours.as_secs_f64() * 1e6,
        comparison.floor.as_secs_f64() * 1e6,
        comparison.ratio()
    );
}

/// `ours` and `floor` in interleaved rounds at `concurrency`, alternating which goes first.
async fn interleaved<A, AF, B, BF>(concurrency: usize, ours: A, floor: B) -> measure::Comparison
where
    A: Fn() -> AF,
    AF: Future<Output = ()> + 'static,
    B: Fn() -> BF,
    BF: Future<Output = ()> + 'static,
{
    let (mut ours_rounds, mut floor_rounds) = (Vec::new(), Vec::new());
    for index in 0..ROUNDS {
        if index % 2 == 0 {
            ours_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, &ours).await);
            floor_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, &floor).await);
        } else {
            floor_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, &floor).await);
            ours_rounds.push(per_request(concurrency, REQUESTS_PER_ROUND, &ours).await);
        }
    }
    measure::Comparison::of_rounds(ours_rounds, floor_rounds)
}
