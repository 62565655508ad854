#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay sandbox --data FILE` killed with SIGKILL under load and restarted at once on the same
//! file: no order it acknowledged is lost, and no eftPay order number is given twice (issue 14).
//! The exact way numbers were once given twice — a file holding fewer orders than its highest
//! number, reopened within the same second — is reproduced deterministically in the sandbox's
//! `durability` tests; this one is the crash as it happens.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eftpay::{Amount, Client, Credentials, QueryRequest, services, wallets};

const KEY: &str = "TESTKEY00001";
const SECRET: &str = "test-secret-not-real";

/// The sandbox process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `eftpay sandbox --data PATH` and reads its base URL from the banner.
fn start(path: &Path) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eftpay"))
        .env_remove("EFTPAY_BASE_URL")
        .env("EFTPAY_USER_CONFIRM_KEY", KEY)
        .env("EFTPAY_SECRET", SECRET)
        .args(["sandbox", "--addr", "127.0.0.1:0", "--data"])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut base = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(url) = line.trim().strip_prefix("export EFTPAY_BASE_URL=") {
            base = Some(url.split_whitespace().next().unwrap().to_owned());
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    (running, base.expect("the banner gives the base URL"))
}

fn client(base: &str) -> Client {
    Client::builder(Credentials::new(KEY, SECRET)).base_url(base).build().unwrap()
}

/// Places orders from `workers` concurrent tasks until `stop`; each acknowledged order is kept
/// as merchant number → eftPay number.
async fn load(
    client: Client,
    round: u32,
    workers: u32,
    acknowledged: Arc<Mutex<HashMap<String, String>>>,
    until: Instant,
) {
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let (client, acknowledged) = (client.clone(), Arc::clone(&acknowledged));
        tasks.push(tokio::spawn(async move {
            for n in 0.. {
                if Instant::now() >= until {
                    break;
                }
                let out = format!("crash-{round}-{worker}-{n}");
                let order = services::AlipayWebPreOrder::place_order(
                    wallets::AlipayHk,
                    Amount::from_cents(100),
                    eftpay::OutTradeNo::new(out.as_str()),
                    "x",
                    "https://merchant.example/back",
                );
                match client.place_order(order).await {
                    Ok(reply) => {
                        acknowledged.lock().unwrap().insert(out, reply.eft_trade_no.clone().unwrap());
                    }
                    // The process was killed under this request: not acknowledged.
                    Err(_) => break,
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_load_then_restart_at_once_loses_no_acknowledged_order_and_reuses_no_number() {
    let path = std::env::temp_dir().join(format!("eftpay-crash-{}.sqlite", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let acknowledged = Arc::new(Mutex::new(HashMap::new()));
    for round in 0..4 {
        let (mut running, base) = start(&path);
        // Load for a while, and kill -9 while the load is still running.
        let load = tokio::spawn(load(
            client(&base),
            round,
            8,
            Arc::clone(&acknowledged),
            Instant::now() + Duration::from_secs(30),
        ));
        let before = acknowledged.lock().unwrap().len();
        let deadline = Instant::now() + Duration::from_secs(20);
        while acknowledged.lock().unwrap().len() < before + 50 {
            assert!(Instant::now() < deadline, "round {round}: the sandbox took no orders");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        running.0.kill().unwrap(); // SIGKILL
        running.0.wait().unwrap();
        load.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let mut numbers: Vec<&String> = acknowledged.values().collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), acknowledged.len(), "an eftPay order number was given to two orders");

    let (running, base) = start(&path);
    let client = client(&base);
    for (out, eft) in &acknowledged {
        let reply = client.query(QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new(out.as_str()))).await;
        let reply = reply.unwrap_or_else(|e| panic!("acknowledged order {out} ({eft}) was lost: {e}"));
        assert_eq!(reply.eft_trade_no.as_deref(), Some(eft.as_str()), "{out}");
    }
    assert!(acknowledged.len() >= 200);
    drop(running);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
