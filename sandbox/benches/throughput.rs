//! Place-order throughput of the sandbox, against a minimal axum gateway doing the same work
//! (parse the JSON, verify its SHA-256 sign, book the order in a `HashMap`, answer signed JSON),
//! measured in the same run over loopback with 64 keep-alive connections — in memory and with a
//! data file.
//!
//! ```text
//! cargo bench -p eftpay-sandbox --bench throughput
//! EFTPAY_BENCH_ORDERS=1000000 EFTPAY_BENCH_WINDOW=100000 cargo bench -p eftpay-sandbox --bench throughput
//! EFTPAY_BENCH_GATEWAYS=baseline,memory cargo bench -p eftpay-sandbox --bench throughput
//! ```
//!
//! - `EFTPAY_BENCH_ORDERS`: orders placed on each gateway (default 4,000: under two minutes on
//!   two shared cores with today's data file, the slow one);
//! - `EFTPAY_BENCH_WINDOW`: orders per reported window (default a quarter of the orders), so a
//!   rate or a cost that grows with the orders kept shows as a trend down the windows;
//! - `EFTPAY_BENCH_GATEWAYS`: which of `baseline`, `memory`, `file`, `refunds-memory`,
//!   `refunds-file` to run (default the first three). The refunds runs refund one order 0.01 at a
//!   time, `EFTPAY_BENCH_REFUNDS` times (default 10,000), in five windows: a refund's cost must
//!   not grow with the refunds its order already has.
//!
//! A run with a data file ends by restarting the sandbox on it and timing the load: in a new
//! process (the bench runs itself with `EFTPAY_BENCH_RESTART_ONLY` set to the file), as a real
//! restart is, and again in the bench's own process.
//!
//! The place-order gateways (`baseline`, `memory`, `file`) are all started first and then take
//! their windows in turn — window 1 of each, then window 2 of each, the first of each round a
//! different gateway — so that a machine that changes pace during the run (a shared one does,
//! by ±25 % over minutes) weighs on all of them alike, and each window's ratio to the baseline's
//! compares like with like. The totals give each gateway's rate over all its windows against the
//! baseline's, and its flatness: server CPU per order over its windows, lowest and highest
//! against their mean, as measured and divided by the baseline's same windows (the machine's
//! changes of pace divided out, what grows with the orders kept left in).
//!
//! Each request body is signed with the SDK's typed API before its window starts, with a unique
//! `out_trade_no`, so the load client spends nothing on signing; each reply is checked to say
//! the order was accepted. Each gateway runs on a runtime of its own (2 worker threads) and the
//! load client on another: **server CPU** is the CPU time of the gateway runtime's threads and,
//! with a data file, of the sandbox's writer thread (`eftpay_sandbox::WRITER_THREAD`, which
//! commits the data file), **load client** that of the client runtime's (from
//! `/proc/self/task/*/stat`), **process** that of the whole process (`/proc/self/stat`); each per order, in milliseconds. Linux only
//! (`/proc`). CPU time is counted in clock ticks, taken to be Linux's `USER_HZ` of 100 a
//! second: a window's CPU figure is only as good as the 10 ms ticks it spans, so the short
//! default run shows trends, and flatness runs want windows of 100,000 orders.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // bench code

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use eftpay::gateway::{OutgoingField, OutgoingFields};
use eftpay::rules::{Concept, Meaning};
use eftpay::{Amount, CATALOG, Credentials, IntoRequest, ReceivedFields, Request, SystemClock, services, wallets};
use eftpay::{Clock as _, catalog::InterfaceInfo};
use eftpay_sandbox::{Sandbox, SandboxConfig};
use http_body_util::{BodyExt as _, Full};

/// Concurrent connections of the load client.
const CONNECTIONS: usize = 64;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().map_or(default, |v| v.replace('_', "").parse().expect("a whole number"))
}

/// The order every request places (with its own `out_trade_no`), as a merchant writes it.
fn place_order(out_trade_no: String) -> impl Request {
    services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new(out_trade_no),
        "bench",
        "https://merchant.example/r",
    )
    .into_request()
}

fn endpoint_of<R: Request>(_: &R) -> &'static str {
    R::ENDPOINT
}

fn interface_of<R: Request>(_: &R) -> &'static InterfaceInfo {
    R::INFO
}

/// The refund every request of the refunds run asks for (with its own refund number): 0.01 of
/// the one order `out_trade_no`, whose total is `total`.
fn refund(out_trade_no: String, total: Amount, refund_no: String) -> impl Request {
    services::AlipayWebRefund::refund(
        wallets::AlipayHk,
        eftpay::RefundAmount::new(Amount::from_cents(1)),
        total,
        eftpay::OutTradeNo::new(out_trade_no),
        eftpay::RefundNo::new(refund_no),
    )
    .into_request()
}

/// What a run sends: the `i`th request's signed body, where to, and what its accepted reply
/// carries.
struct Requests {
    /// What each request makes, for the figures' labels: `orders` or `refunds`.
    noun: &'static str,
    /// `"name":"value"` of the return status meaning accepted.
    accepted: Arc<str>,
    /// The endpoint, under the gateway root.
    endpoint: &'static str,
    body: Box<dyn Fn(usize) -> Bytes>,
}

impl Requests {
    fn of<R: Request + 'static>(
        noun: &'static str,
        credentials: &Credentials,
        make: impl Fn(usize) -> R + 'static,
    ) -> Requests {
        let sample = make(0);
        let credentials = credentials.clone();
        Requests {
            noun,
            accepted: accepted_marker(interface_of(&sample)).into(),
            endpoint: endpoint_of(&sample),
            body: Box::new(move |i| {
                Bytes::from(eftpay::signing::signed_json(&make(i), &credentials, SystemClock.now()).json)
            }),
        }
    }

    /// New orders, numbered under `prefix`.
    fn orders(credentials: &Credentials, prefix: &str) -> Requests {
        let prefix = prefix.to_owned();
        Requests::of("orders", credentials, move |i| place_order(format!("{prefix}{i}")))
    }

    /// Refunds of 0.01 of the one order `out_trade_no`.
    fn refunds(credentials: &Credentials, out_trade_no: &str, total: Amount) -> Requests {
        let out_trade_no = out_trade_no.to_owned();
        Requests::of("refunds", credentials, move |i| refund(out_trade_no.clone(), total, format!("rf{i}")))
    }

    /// Signed bodies of requests `from..to`.
    fn bodies(&self, from: usize, to: usize) -> Vec<Bytes> {
        (from..to).map(|i| (self.body)(i)).collect()
    }
}

/// `"name":"value"` of the reply's return status meaning accepted: a reply containing it
/// accepted the order.
fn accepted_marker(interface: &InterfaceInfo) -> String {
    let field = interface.response.iter().find(|f| f.concept == Some(Concept::ReturnStatus)).unwrap();
    let code = CATALOG.code(Meaning::Accepted).unwrap();
    format!("\"{}\":\"{}\"", field.wire, code.wire)
}

// ---------------------------------------------------------------------------------------------
// The baseline gateway.

struct Baseline {
    credentials: Credentials,
    interface: &'static InterfaceInfo,
    orders: Mutex<HashMap<String, u64>>,
    next: AtomicU64,
}

impl Baseline {
    fn wire(&self, concept: Concept) -> Option<&'static str> {
        self.interface.response.iter().find(|f| f.concept == Some(concept)).map(|f| f.wire)
    }

    fn request_wire(&self, concept: Concept) -> &'static str {
        self.interface.fields_for(concept).next().unwrap().wire
    }
}

async fn baseline_place(State(gateway): State<Arc<Baseline>>, body: Bytes) -> String {
    let fields = ReceivedFields::from_json_bytes(&body).unwrap();
    eftpay::verify::verify_fields(&fields, &gateway.credentials.secret).unwrap();
    let out_trade_no = fields.text(gateway.request_wire(Concept::OutTradeNo)).unwrap().to_owned();
    let eft = {
        let mut orders = gateway.orders.lock().unwrap();
        let next = gateway.next.fetch_add(1, Ordering::Relaxed);
        *orders.entry(out_trade_no.clone()).or_insert(next)
    };
    let mut reply = vec![
        (Concept::ReturnStatus, CATALOG.code(Meaning::Accepted).unwrap().wire.to_owned()),
        (Concept::OutTradeNo, out_trade_no),
        (Concept::EftTradeNo, format!("{eft:020}")),
        (Concept::UserConfirmKey, gateway.credentials.user_confirm_key.clone()),
        (Concept::Time, SystemClock.now().to_compact()),
    ];
    reply.retain(|(concept, _)| gateway.wire(*concept).is_some());
    let fields = reply
        .into_iter()
        .filter_map(|(concept, value)| Some(OutgoingField { name: gateway.wire(concept)?, value, nested: false }))
        .collect();
    OutgoingFields::from_fields(fields).signed_json(&gateway.credentials.secret)
}

// ---------------------------------------------------------------------------------------------
// Measuring.

/// A runtime whose threads' ids are kept, so their CPU time can be read.
struct Measured {
    runtime: tokio::runtime::Runtime,
    threads: Arc<Mutex<Vec<String>>>,
    /// Threads of the process outside the runtime that work for it (the data-file writer thread
    /// of the sandbox it runs), as `/proc/self/task/<id>` paths.
    helpers: Vec<std::path::PathBuf>,
}

impl Measured {
    fn new(workers: usize) -> Measured {
        let threads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&threads);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .on_thread_start(move || {
                if let Ok(link) = std::fs::read_link("/proc/thread-self") {
                    seen.lock().unwrap().push(link.to_string_lossy().into_owned());
                }
            })
            .build()
            .unwrap();
        Measured { runtime, threads, helpers: Vec::new() }
    }

    /// Starts a sandbox on this runtime; its writer thread (`eftpay_sandbox::WRITER_THREAD`, which
    /// commits the data file, when it has one) counts as this runtime's.
    fn start_sandbox(&mut self, config: SandboxConfig) -> Sandbox {
        let before = writer_threads();
        let writes = config.data_file.is_some();
        let sandbox = self.runtime.block_on(Sandbox::start_with(config)).unwrap();
        // A thread takes its name once it runs, which may be a moment after it is started.
        let started = Instant::now();
        loop {
            let new: Vec<_> = writer_threads().into_iter().filter(|task| !before.contains(task)).collect();
            if !new.is_empty() || !writes {
                self.helpers.extend(new);
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(5), "the sandbox's writer thread did not appear");
            std::thread::sleep(Duration::from_millis(1));
        }
        sandbox
    }

    /// CPU seconds used by the runtime's threads (and its helpers) so far.
    fn cpu(&self) -> f64 {
        let threads = self.threads.lock().unwrap().clone();
        let runtime: f64 = threads.iter().filter_map(|t| cpu_seconds(&format!("/proc/{t}/stat"))).sum();
        let helpers: f64 =
            self.helpers.iter().filter_map(|task| cpu_seconds(&task.join("stat").to_string_lossy())).sum();
        runtime + helpers
    }
}

/// The process's sandbox writer threads, as `/proc/self/task/<id>` paths.
fn writer_threads() -> Vec<std::path::PathBuf> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return Vec::new() };
    tasks
        .filter_map(Result::ok)
        .map(|task| task.path())
        .filter(|task| {
            std::fs::read_to_string(task.join("comm"))
                .is_ok_and(|comm| comm.trim_end() == eftpay_sandbox::WRITER_THREAD)
        })
        .collect()
}

/// utime + stime of a `/proc/.../stat` file, in seconds.
fn cpu_seconds(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are
    // the 14th and 15th of the whole line, so the 12th and 13th after it.
    let after = stat.rsplit_once(')')?.1;
    let mut fields = after.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn process_cpu() -> f64 {
    cpu_seconds("/proc/self/stat").unwrap_or(0.0)
}

/// One window's figures.
struct Window {
    orders: usize,
    seconds: f64,
    server_cpu: f64,
    client_cpu: f64,
    process_cpu: f64,
}

impl Window {
    fn rate(&self) -> f64 {
        self.orders as f64 / self.seconds
    }

    fn server_per_order(&self) -> f64 {
        self.server_cpu * 1000.0 / self.orders as f64
    }
}

/// Posts every body to `url` over `CONNECTIONS` keep-alive connections, each a bare hyper
/// HTTP/1.1 connection (a pooling client costs more CPU per request than the minimal gateway
/// itself); panics on a reply that did not accept its order.
async fn load(url: Arc<str>, bodies: Arc<Vec<Bytes>>, accepted: Arc<str>) {
    let uri: hyper::Uri = url.parse().unwrap();
    let authority = uri.authority().unwrap().to_string();
    let path = uri.path().to_owned();
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (authority, path, bodies, accepted, next) =
            (authority.clone(), path.clone(), Arc::clone(&bodies), Arc::clone(&accepted), Arc::clone(&next));
        clients.spawn(async move {
            let stream = tokio::net::TcpStream::connect(&authority).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.unwrap();
            tokio::spawn(connection);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else { break };
                sender.ready().await.unwrap();
                let request = hyper::Request::post(&path)
                    .header(hyper::header::HOST, &authority)
                    .header(hyper::header::CONTENT_TYPE, "application/json")
                    .body(Full::new(body.clone()))
                    .unwrap();
                let reply = sender.send_request(request).await.expect("a reply");
                let status = reply.status();
                let text = reply.into_body().collect().await.expect("a reply body").to_bytes();
                let text = String::from_utf8_lossy(&text);
                assert!(status.is_success() && text.contains(&*accepted), "order {i} not accepted: {status} {text}");
            }
        });
    }
    while let Some(done) = clients.join_next().await {
        done.unwrap();
    }
}

/// Sends requests `from..to` of `requests` to the gateway whose root is `root` as one window;
/// prints and returns its figures.
fn run_window(
    name: &str,
    server: &Measured,
    client: &Measured,
    root: &str,
    requests: &Requests,
    from: usize,
    to: usize,
) -> Window {
    let url: Arc<str> = format!("{root}{}", requests.endpoint).into();
    let bodies = Arc::new(requests.bodies(from, to));
    let (server0, client0, process0) = (server.cpu(), client.cpu(), process_cpu());
    let start = Instant::now();
    client.runtime.block_on(load(url, bodies, Arc::clone(&requests.accepted)));
    let w = Window {
        orders: to - from,
        seconds: start.elapsed().as_secs_f64(),
        server_cpu: server.cpu() - server0,
        client_cpu: client.cpu() - client0,
        process_cpu: process_cpu() - process0,
    };
    println!(
        "{name:>8} {noun} {from:>9}..{to:<9} {rate:>9.0} {noun}/s   CPU ms/{one}: server {server:.4}  load client \
         {client:.4}  process {process:.4}",
        noun = requests.noun,
        one = requests.noun.strip_suffix('s').unwrap_or(requests.noun),
        rate = w.rate(),
        server = w.server_per_order(),
        client = w.client_cpu * 1000.0 / w.orders as f64,
        process = w.process_cpu * 1000.0 / w.orders as f64,
    );
    w
}

/// Sends `orders` of `requests` to one gateway, in windows of `window`, one after another.
fn run(
    name: &str,
    server: &Measured,
    client: &Measured,
    root: &str,
    requests: &Requests,
    orders: usize,
    window: usize,
) -> Vec<Window> {
    (0..orders)
        .step_by(window)
        .map(|from| run_window(name, server, client, root, requests, from, (from + window).min(orders)))
        .collect()
}

/// The totals of a run: orders per second, server CPU ms per order.
fn totals(windows: &[Window]) -> (f64, f64) {
    let orders: usize = windows.iter().map(|w| w.orders).sum();
    let seconds: f64 = windows.iter().map(|w| w.seconds).sum();
    let cpu: f64 = windows.iter().map(|w| w.server_cpu).sum();
    (orders as f64 / seconds, cpu * 1000.0 / orders as f64)
}

/// Set to a data file's path, the bench only starts a sandbox on it and reports how long the
/// load took: the restart in a new process that a run with a data file ends with.
const RESTART_ONLY: &str = "EFTPAY_BENCH_RESTART_ONLY";

fn restart_only(path: &std::ffi::OsStr) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = SandboxConfig { data_file: Some(path.into()), ..SandboxConfig::default() };
    let (start, cpu) = (Instant::now(), process_cpu());
    let sandbox = runtime.block_on(Sandbox::start_with(config)).unwrap();
    println!(
        "restart on the data file in a new process: {:.2} s to load it ({:.2} s of CPU)",
        start.elapsed().as_secs_f64(),
        process_cpu() - cpu
    );
    runtime.block_on(sandbox.shutdown());
}

/// A gateway the run places orders on: what it is sent, where, and the windows it gave.
struct Lane<'a> {
    name: &'a str,
    server: Measured,
    root: String,
    requests: Requests,
    /// A sandbox's handle and configuration (to restart it on its data file at the end).
    sandbox: Option<(Sandbox, SandboxConfig)>,
    windows: Vec<Window>,
}

/// Starts the minimal gateway on `server`; its root URL.
fn start_baseline(server: &Measured, credentials: &Credentials) -> String {
    let interface = interface_of(&place_order("x".to_owned()));
    let state = Arc::new(Baseline {
        credentials: credentials.clone(),
        interface,
        orders: Mutex::new(HashMap::new()),
        next: AtomicU64::new(1),
    });
    let endpoint = endpoint_of(&place_order("x".to_owned()));
    let app =
        axum::Router::new().route(&format!("/VMP{endpoint}"), axum::routing::post(baseline_place)).with_state(state);
    let listener = server.runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    server.runtime.spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/VMP")
}

/// A sandbox's configuration for the bench: with a data file of its own when `gateway` names
/// one (`file`, `refunds-file`), removed first.
fn sandbox_config(gateway: &str, credentials: &Credentials) -> SandboxConfig {
    let data_file = gateway.ends_with("file").then(|| {
        let path = std::env::temp_dir().join(format!("eftpay-bench-{}-{gateway}.sqlite", std::process::id()));
        remove_data_file(&path);
        path
    });
    SandboxConfig {
        credentials: Some(credentials.clone()),
        data_file,
        // Bodies are signed before their window; a long window must not age them out.
        time_tolerance: Duration::from_secs(86_400),
        ..SandboxConfig::default()
    }
}

/// Shuts `sandbox` down; with a data file, times a restart on it — in a new process, as a real
/// restart is, and in this one, whose heap a million orders' requests and books have been
/// through (slower: see BENCHMARKS.md) — and removes the file.
fn finish_sandbox(gateway: &str, server: &Measured, sandbox: Sandbox, config: SandboxConfig) {
    server.runtime.block_on(sandbox.shutdown());
    let Some(path) = config.data_file.clone() else { return };
    let fresh = std::process::Command::new(std::env::current_exe().unwrap()).env(RESTART_ONLY, &path).output().unwrap();
    assert!(fresh.status.success(), "{}", String::from_utf8_lossy(&fresh.stderr));
    print!("{gateway:>8} {}", String::from_utf8_lossy(&fresh.stdout));
    let (start, cpu) = (Instant::now(), process_cpu());
    let again = server.runtime.block_on(Sandbox::start_with(config)).unwrap();
    println!(
        "{gateway:>8} restart on the data file in the bench's process: {:.2} s to load it ({:.2} s of CPU)",
        start.elapsed().as_secs_f64(),
        process_cpu() - cpu
    );
    server.runtime.block_on(again.shutdown());
    remove_data_file(&path);
}

/// The refunds run on `gateway` (`refunds-memory`, `refunds-file`): one paid order refunded 0.01
/// at a time, `refunds` times, in five windows.
fn refunds_run(gateway: &str, client: &Measured, credentials: &Credentials, refunds: usize) -> Vec<Window> {
    let mut server = Measured::new(2);
    let config = sandbox_config(gateway, credentials);
    let sandbox = server.start_sandbox(config.clone());
    let total = Amount::from_cents(u64::try_from(refunds).unwrap());
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        total,
        eftpay::OutTradeNo::new("refunded-often"),
        "bench",
        "https://merchant.example/r",
    );
    let sdk = eftpay::Client::builder(credentials.clone()).base_url(sandbox.base_url()).build().unwrap();
    let placed = server.runtime.block_on(sdk.place_order(order)).unwrap();
    sandbox.pay(placed.eft_trade_no.as_deref().unwrap()).unwrap();
    let requests = Requests::refunds(credentials, "refunded-often", total);
    let windows = run(gateway, &server, client, sandbox.base_url(), &requests, refunds, refunds.div_ceil(5));
    drop(requests);
    finish_sandbox(gateway, &server, sandbox, config);
    windows
}

/// How far a gateway's windows stray from their mean, as `(lowest, highest)` fractions of it
/// (−0.1 is 10 % below the mean).
fn spread(values: &[f64]) -> (f64, f64) {
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    let (low, high) = values.iter().fold((f64::MAX, f64::MIN), |(low, high), v| (low.min(*v), high.max(*v)));
    (low / mean - 1.0, high / mean - 1.0)
}

fn percent((low, high): (f64, f64)) -> String {
    format!("{:+.0} %/{:+.0} %", low * 100.0, high * 100.0)
}

fn main() {
    if let Some(path) = std::env::var_os(RESTART_ONLY) {
        restart_only(&path);
        return;
    }
    // `cargo bench` passes `--bench`; anything else asked of a harness-less bench is ignored.
    let orders = env_number("EFTPAY_BENCH_ORDERS", 4_000).max(1);
    let window = env_number("EFTPAY_BENCH_WINDOW", orders.div_ceil(4)).max(1);
    let refunds = env_number("EFTPAY_BENCH_REFUNDS", 10_000).max(1);
    let gateways = std::env::var("EFTPAY_BENCH_GATEWAYS").unwrap_or_else(|_| "baseline,memory,file".to_owned());
    let gateways: Vec<&str> = gateways.split(',').map(str::trim).collect();
    let credentials = Credentials::new("BENCH00001", "bench-secret");
    let client = Measured::new(2);
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);

    // The place-order gateways all start at once and take their windows in turn, the first
    // of each round a different one: a machine that changes pace during the run (these are
    // shared) weighs on every gateway alike, so each window's ratio compares like with like.
    let mut lanes: Vec<Lane<'_>> = Vec::new();
    let mut refund_runs = Vec::new();
    for gateway in gateways {
        match gateway {
            "baseline" => {
                let server = Measured::new(2);
                let root = start_baseline(&server, &credentials);
                let requests = Requests::orders(&credentials, "bbaseline");
                lanes.push(Lane { name: gateway, server, root, requests, sandbox: None, windows: Vec::new() });
            }
            "memory" | "file" => {
                let mut server = Measured::new(2);
                let config = sandbox_config(gateway, &credentials);
                let sandbox = server.start_sandbox(config.clone());
                let root = sandbox.base_url().to_owned();
                let requests = Requests::orders(&credentials, &format!("b{gateway}"));
                let sandbox = Some((sandbox, config));
                lanes.push(Lane { name: gateway, server, root, requests, sandbox, windows: Vec::new() });
            }
            "refunds-memory" | "refunds-file" => refund_runs.push(gateway),
            other => panic!("unknown gateway `{other}`: give baseline, memory, file, refunds-memory or refunds-file"),
        }
    }
    if !lanes.is_empty() {
        println!(
            "place-order throughput: {orders} orders per gateway, windows of {window}, {CONNECTIONS} connections, \
             {cpus} CPUs"
        );
    }
    for (round, from) in (0..orders).step_by(window).enumerate() {
        let to = (from + window).min(orders);
        let count = lanes.len();
        for turn in 0..count {
            let lane = &mut lanes[(round + turn) % count];
            let w = run_window(lane.name, &lane.server, &client, &lane.root, &lane.requests, from, to);
            lane.windows.push(w);
        }
        let baseline = lanes.iter().find(|lane| lane.name == "baseline").and_then(|lane| lane.windows.last());
        if let Some(baseline) = baseline {
            let ratios: Vec<String> = lanes
                .iter()
                .filter(|lane| lane.name != "baseline")
                .filter_map(|lane| {
                    lane.windows.last().map(|w| format!("{} {:.3}x", lane.name, w.rate() / baseline.rate()))
                })
                .collect();
            println!("  orders {from}..{to}, against the baseline's window: {}", ratios.join(", "));
        }
    }
    let mut results: Vec<(&str, Vec<Window>)> = Vec::new();
    for lane in lanes {
        drop(lane.requests);
        if let Some((sandbox, config)) = lane.sandbox {
            finish_sandbox(lane.name, &lane.server, sandbox, config);
        }
        results.push((lane.name, lane.windows));
    }
    if !refund_runs.is_empty() {
        println!(
            "refunds of one order: {refunds} per gateway, windows of {}, {CONNECTIONS} connections, {cpus} CPUs",
            refunds.div_ceil(5)
        );
    }
    for gateway in refund_runs {
        results.push((gateway, refunds_run(gateway, &client, &credentials, refunds)));
    }

    println!("\ntotals (flatness: server CPU per request over the windows, lowest/highest against their mean):");
    let baseline = results.iter().find(|(g, _)| *g == "baseline").map(|(_, windows)| windows);
    for (gateway, windows) in &results {
        let (rate, cpu) = totals(windows);
        let per_order: Vec<f64> = windows.iter().map(Window::server_per_order).collect();
        // The load client does the same work for every order of a gateway, so its CPU per
        // order in a window is the machine's pace in that very window: the server's over it
        // divides the pace out without another gateway's windows (a second meter; the
        // sandbox's growing heap could slow the client too, hiding a little growth, so the
        // plain figures are given as well).
        let over_client: Vec<f64> = windows
            .iter()
            .map(|w| w.server_cpu / w.client_cpu)
            .filter(|ratio| ratio.is_finite() && *ratio > 0.0)
            .collect();
        let flatness =
            format!("{}, over the load client's {}", percent(spread(&per_order)), percent(spread(&over_client)));
        match baseline.filter(|_| *gateway != "baseline" && !gateway.starts_with("refunds")) {
            Some(base) => {
                let (base_rate, base_cpu) = totals(base);
                // The same windows' CPU per order over the baseline's: what grows with the
                // orders kept, with the machine's changes of pace divided out.
                // (A window too short for the CPU clock's ticks shows none; it is left out.)
                let relative: Vec<f64> = windows
                    .iter()
                    .zip(base)
                    .map(|(w, b)| w.server_per_order() / b.server_per_order())
                    .filter(|ratio| ratio.is_finite() && *ratio > 0.0)
                    .collect();
                println!(
                    "{gateway:>8} {rate:>9.0} orders/s ({:.3}x baseline)  server CPU {cpu:.3} ms/order (baseline's \
                     {:.3}x)\n         flatness {flatness}, over the baseline's windows {}",
                    rate / base_rate,
                    cpu / base_cpu,
                    percent(spread(&relative)),
                );
            }
            None => {
                let (noun, one) =
                    if gateway.starts_with("refunds") { ("refunds", "refund") } else { ("orders", "order") };
                println!(
                    "{gateway:>8} {rate:>9.0} {noun}/s  server CPU {cpu:.3} ms/{one}\n         flatness {flatness}"
                )
            }
        }
    }
}

fn remove_data_file(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
