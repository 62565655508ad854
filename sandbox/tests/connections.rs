//! The sandbox's connection limits, over raw loopback TCP: idle or slow clients at the
//! connection cap do not stop a new client being answered; headers and bodies that never finish
//! are cut off; and a connection stuck mid-request does not hold up stopping beyond the shutdown
//! timeout.
//!
//! Every timeout a test does not exercise is set far beyond how long the test waits (`NEVER`),
//! so only the limit under test can be what let it pass. Each wait is bounded (`HANG`), so a
//! regression fails instead of hanging.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{client, fast_config, pending_order};
use eftpay::QueryRequest;
use eftpay_sandbox::{Faults, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longer than any test waits: a limit set to this cannot be what ends a wait.
const NEVER: Duration = Duration::from_secs(3600);
/// How long a test waits for what must happen before it calls it a hang.
const HANG: Duration = Duration::from_secs(60);
/// The connection cap of the cap tests.
const CAP: usize = 8;

fn config_with(limits: impl FnOnce(&mut SandboxConfig)) -> SandboxConfig {
    let mut config =
        SandboxConfig { header_timeout: NEVER, body_timeout: NEVER, shutdown_timeout: NEVER, ..fast_config() };
    limits(&mut config);
    config
}

/// Queries an order with a client of its own (a new connection), within `HANG`.
async fn query_answered(sandbox: &Sandbox, out_trade_no: &str) -> bool {
    let mut query = QueryRequest::new();
    query.out_trade_no = Some(out_trade_no.into());
    let answered = tokio::time::timeout(HANG, client(sandbox).query(query)).await;
    matches!(answered, Ok(Ok(_)))
}

/// A GET of the control API's faults, kept alive.
fn kept_alive_get(addr: SocketAddr) -> String {
    format!("GET /control/faults HTTP/1.1\r\nHost: {addr}\r\n\r\n")
}

/// Reads one response (headers and a `Content-Length` body) from `stream`; its status line.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed before a whole response: {}", String::from_utf8_lossy(&received));
            received.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&received);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .map_or(0, |v| v.parse::<usize>().unwrap());
                if body.len() >= length {
                    return head.lines().next().unwrap_or_default().to_owned();
                }
            }
        }
    };
    tokio::time::timeout(HANG, read).await.expect("a response")
}

/// Whether the sandbox closed `stream` (within `HANG`), reading whatever it sent before.
async fn closed_by_sandbox(stream: &mut TcpStream) -> bool {
    let mut sink = Vec::new();
    tokio::time::timeout(HANG, stream.read_to_end(&mut sink)).await.is_ok()
}

#[tokio::test]
async fn idle_keep_alive_connections_at_the_cap_do_not_stop_a_new_client_being_answered() {
    let sandbox = Sandbox::start_with(config_with(|c| c.max_connections = Some(CAP))).await.unwrap();
    pending_order(&sandbox, "conn_idle").await;
    let mut idle = Vec::new();
    for _ in 0..CAP {
        let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
        stream.write_all(kept_alive_get(sandbox.addr()).as_bytes()).await.unwrap();
        assert!(read_response(&mut stream).await.starts_with("HTTP/1.1 200"));
        idle.push(stream);
    }
    assert!(query_answered(&sandbox, "conn_idle").await, "a new client was locked out by idle ones");
    drop(idle);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn connections_at_the_cap_that_never_finish_their_headers_do_not_stop_a_new_client_being_answered() {
    let sandbox = Sandbox::start_with(config_with(|c| c.max_connections = Some(CAP))).await.unwrap();
    pending_order(&sandbox, "conn_slow").await;
    let mut slow = Vec::new();
    for _ in 0..CAP {
        let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
        stream.write_all(b"GET /control/faults HTTP/1.1\r\nHost: ").await.unwrap();
        slow.push(stream);
    }
    assert!(query_answered(&sandbox, "conn_slow").await, "a new client was locked out by slow ones");
    drop(slow);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn headers_that_never_finish_are_cut_off_at_the_header_timeout() {
    let config = config_with(|c| c.header_timeout = Duration::from_millis(200));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    stream.write_all(b"GET /control/faults HTTP/1.1\r\nHost: ").await.unwrap();
    assert!(closed_by_sandbox(&mut stream).await, "the connection stayed open");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed_at_the_header_timeout() {
    let config = config_with(|c| c.header_timeout = Duration::from_millis(200));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    stream.write_all(kept_alive_get(sandbox.addr()).as_bytes()).await.unwrap();
    assert!(read_response(&mut stream).await.starts_with("HTTP/1.1 200"));
    assert!(closed_by_sandbox(&mut stream).await, "the idle connection stayed open");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_body_that_never_finishes_is_refused_at_the_body_timeout() {
    let config = config_with(|c| c.body_timeout = Duration::from_millis(200));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let endpoint = eftpay::CATALOG.interfaces.iter().find_map(|i| i.endpoint).unwrap();
    let mut stream = TcpStream::connect(sandbox.addr()).await.unwrap();
    let head = format!(
        "POST /VMP{endpoint} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
        sandbox.addr()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let status = read_response(&mut stream).await;
    assert!(status.starts_with("HTTP/1.1 4"), "refused: {status}");
    sandbox.shutdown().await;
}

/// Stops `sandbox` while `stuck` is open; whether it stopped within `HANG`.
async fn stops_despite(sandbox: Sandbox, stuck: &mut TcpStream) -> bool {
    // A request on another connection is answered first: by then the stuck connection, accepted
    // earlier, is being served.
    let mut other = TcpStream::connect(sandbox.addr()).await.unwrap();
    other.write_all(kept_alive_get(sandbox.addr()).as_bytes()).await.unwrap();
    assert!(read_response(&mut other).await.starts_with("HTTP/1.1 200"));
    let stopped = tokio::time::timeout(HANG, sandbox.shutdown()).await.is_ok();
    stopped && closed_by_sandbox(stuck).await
}

#[tokio::test]
async fn a_connection_with_unfinished_headers_does_not_hold_up_shutdown() {
    let config = config_with(|c| c.shutdown_timeout = Duration::from_millis(500));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let mut stuck = TcpStream::connect(sandbox.addr()).await.unwrap();
    stuck.write_all(b"POST /VMP/x HTTP/1.1\r\nHost: ").await.unwrap();
    assert!(stops_despite(sandbox, &mut stuck).await, "shutdown waited on unfinished headers");
}

#[tokio::test]
async fn a_connection_with_an_unfinished_body_does_not_hold_up_shutdown() {
    let config = config_with(|c| c.shutdown_timeout = Duration::from_millis(500));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let endpoint = eftpay::CATALOG.interfaces.iter().find_map(|i| i.endpoint).unwrap();
    let mut stuck = TcpStream::connect(sandbox.addr()).await.unwrap();
    let head = format!(
        "POST /VMP{endpoint} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
        sandbox.addr()
    );
    stuck.write_all(head.as_bytes()).await.unwrap();
    assert!(stops_despite(sandbox, &mut stuck).await, "shutdown waited on an unfinished body");
}

#[tokio::test]
async fn shutdown_still_answers_a_request_in_flight() {
    let config = config_with(|c| c.shutdown_timeout = Duration::from_secs(30));
    let sandbox = Sandbox::start_with(config).await.unwrap();
    // The request counts `server_errors` down as it enters the gateway, then sleeps.
    sandbox.set_faults(Faults { slow_responses_ms: 300, server_errors: 1, ..Faults::default() });
    let endpoint = eftpay::CATALOG.interfaces.iter().find_map(|i| i.endpoint).unwrap();
    let mut in_flight = TcpStream::connect(sandbox.addr()).await.unwrap();
    let request = format!(
        "POST /VMP{endpoint} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}",
        sandbox.addr()
    );
    in_flight.write_all(request.as_bytes()).await.unwrap();
    for _ in 0..1000 {
        if sandbox.faults().server_errors == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sandbox.faults().server_errors, 0, "the request reached the gateway");
    let stopping = tokio::spawn(sandbox.shutdown());
    assert!(read_response(&mut in_flight).await.starts_with("HTTP/1.1 500"), "answered, not cut off");
    tokio::time::timeout(HANG, stopping).await.unwrap().unwrap();
}
