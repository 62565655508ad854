#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay demo` and `eftpay sandbox`, run as a person would: the demo walks the whole flow and
//! exits 0; the sandbox prints how to connect, and the gateway commands work against it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod support;

use eftpay::CATALOG;
use eftpay::rules::{Meaning, Purpose};
use support::{Status, code};

fn eftpay() -> Command {
    support::eftpay(&[] as &[&str])
}

#[test]
fn demo_walks_every_step_and_exits_0() {
    let output = eftpay().arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&output.stderr));
    let is_step = |line: &str| {
        line.get(..2).is_some_and(|n| n.trim().parse::<u32>().is_ok())
            && line.get(2..).is_some_and(|r| r.starts_with(". "))
    };
    let steps = stdout.lines().filter(|line| is_step(line)).count();
    assert!(steps >= 5, "{stdout}");
    for step in 1..=steps {
        assert!(stdout.contains(&format!("{step:>2}. ")), "step {step} missing:\n{stdout}");
    }
    assert!(stdout.contains(&format!("All {steps} steps checked out.")), "{stdout}");
    assert!(
        stdout.starts_with(&format!("eftpay demo --scene {}", CATALOG.scenes[0].name)),
        "the first scene by default"
    );
}

/// Issue 9's done-when: `eftpay demo --scene X` exits 0 for every scene of the catalog, each
/// showing the steps its interfaces allow.
#[test]
fn demo_walks_every_scene_of_the_catalog() {
    for scene in CATALOG.scenes {
        let output = eftpay().args(["demo", "--scene", scene.name]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let what = format!("{}:\n{stdout}\nstderr:\n{}", scene.name, String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.status.code(), code(Status::Ok), "{what}");
        assert!(stdout.contains("steps checked out."), "{what}");
        assert!(!stdout.contains("✗"), "{what}");
        // By name, not by text: `app` is not `app2`.
        let others: Vec<&str> = stdout
            .rsplit_once("for the other scenes (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(list, _)| list.split(", ").collect())
            .unwrap_or_default();
        assert!(!others.contains(&scene.name), "the scene just walked is not another scene: {what}");
        let has = |purpose| CATALOG.scene_interface(scene, purpose).is_some();
        if has(Purpose::Close) {
            assert!(stdout.contains("Close an unpaid order"), "{what}");
            let refused = CATALOG.code(Meaning::CannotClose).unwrap().wire;
            assert!(stdout.contains("is refused: ") && stdout.contains(refused), "{what}");
        }
        if has(Purpose::Query) {
            assert!(stdout.contains("Query the order"), "{what}");
        }
        if has(Purpose::Refund) || has(Purpose::ApplyRefund) {
            assert!(stdout.contains("refund"), "{what}");
        }
    }
}

#[test]
fn demo_of_an_unknown_scene_is_a_usage_error_naming_the_scenes() {
    let output = eftpay().args(["demo", "--scene", "no-such-scene"]).output().unwrap();
    assert_eq!(output.status.code(), code(Status::Usage));
    let err = String::from_utf8_lossy(&output.stderr);
    for scene in CATALOG.scenes {
        assert!(err.contains(scene.name), "{err}");
    }
}

/// The sandbox process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sandbox_prints_how_to_connect_and_the_gateway_commands_work_against_it() {
    let mut child = eftpay().args(["sandbox", "--addr", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut exports = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(assignment) = line.trim().strip_prefix("export ") {
            let (name, value) = assignment.split_once('=').unwrap();
            exports.push((name.to_owned(), value.split_whitespace().next().unwrap().to_owned()));
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    let names: Vec<&str> = exports.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["EFTPAY_BASE_URL", "EFTPAY_USER_CONFIRM_KEY", "EFTPAY_SECRET"], "a generated secret is printed");

    let output = eftpay()
        .envs(exports.iter().map(|(n, v)| (n, v)))
        .args(["pre-order", "--service", "service.alipay.web.PreOrder", "--wallet", "ALIPAYHK", "--amount", "0.53"])
        .args(["--out-trade-no", "cli-1", "--subject", "test", "--return-url", "https://merchant.example/r"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("/VMP/web/payPage?order=SBX"), "{stdout}");

    let query =
        eftpay().envs(exports.iter().map(|(n, v)| (n, v))).args(["query", "--out-trade-no", "cli-1"]).output().unwrap();
    assert!(query.status.success());
    assert!(String::from_utf8_lossy(&query.stdout).contains("TRADE_PROCESSING"));
}

#[test]
fn sandbox_with_half_the_credentials_is_a_usage_error() {
    let output = eftpay()
        .env("EFTPAY_SECRET", "test-secret-not-real")
        .args(["sandbox", "--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), code(Status::Usage));
    assert!(String::from_utf8_lossy(&output.stderr).contains("EFTPAY_USER_CONFIRM_KEY"));
}

/// Starts `eftpay sandbox ARGS` and reads its banner (up to the `Ctrl-C` line); stderr piped.
fn start_sandbox(args: &[&str]) -> (Running, Vec<String>) {
    let mut child = eftpay().arg("sandbox").args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut banner = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.starts_with("Ctrl-C");
        banner.push(line);
        if done {
            break;
        }
    }
    assert!(banner.last().is_some_and(|l| l.starts_with("Ctrl-C")), "no banner: {banner:?}");
    (running, banner)
}

/// `http://HOST:PORT` from the banner's base URL.
fn root_of(banner: &[String]) -> String {
    let base = banner.iter().find_map(|l| l.trim().strip_prefix("export EFTPAY_BASE_URL=")).unwrap();
    base.split_whitespace().next().unwrap().trim_end_matches("/VMP").to_owned()
}

/// One HTTP/1.1 request over a fresh connection; the whole reply as the server sent it.
fn http(root: &str, method: &str, path: &str, content_type: Option<&str>, body: &str) -> std::io::Result<String> {
    let authority = root.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority)?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        request.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    Ok(reply)
}

fn stderr_of(mut running: Running) -> String {
    let _ = running.0.kill();
    let _ = running.0.wait();
    let mut stderr = String::new();
    running.0.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    stderr
}

#[cfg(unix)]
#[test]
fn sandbox_stops_on_sigterm_after_answering_the_request_in_flight() {
    let (mut running, banner) = start_sandbox(&["--addr", "127.0.0.1:0"]);
    let root = root_of(&banner);
    // A slow request: it counts `server_errors` down when it reaches the gateway, then waits.
    let faults = r#"{"slow_responses_ms":1500,"server_errors":1}"#;
    let set = http(&root, "POST", "/control/faults", Some("application/json"), faults).unwrap();
    assert!(set.starts_with("HTTP/1.1 200"), "{set}");
    let slow_root = root.clone();
    let in_flight = std::thread::spawn(move || {
        http(&slow_root, "POST", "/VMP/Servlet/JSAPIService.do", Some("application/json"), "{}")
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while !http(&root, "GET", "/control/faults", None, "").unwrap().contains(r#""server_errors":0"#) {
        assert!(Instant::now() < deadline, "the slow request never reached the gateway");
        std::thread::sleep(Duration::from_millis(10));
    }

    let kill = Command::new("kill").args(["-TERM", &running.0.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let reply = in_flight.join().unwrap().expect("the request in flight is answered, not reset");
    assert!(reply.starts_with("HTTP/1.1 500"), "{reply}");
    assert!(reply.ends_with("sandbox fault: server error"), "{reply}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the sandbox did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), code(Status::Ok), "{status}");
    assert!(stderr_of(running).contains("SIGTERM: stopping once the requests in flight are answered"));
}

#[cfg(unix)]
#[test]
fn sandbox_stops_on_sigterm_though_clients_never_finish_their_requests() {
    let (mut running, banner) = start_sandbox(&["--addr", "127.0.0.1:0"]);
    let root = root_of(&banner);
    let authority = root.trim_start_matches("http://").to_owned();
    // One client stops half-way through its headers, another half-way through its body.
    let mut headers = TcpStream::connect(&authority).unwrap();
    headers.write_all(format!("POST /VMP/x HTTP/1.1\r\nHost: {authority}\r\n").as_bytes()).unwrap();
    let mut body = TcpStream::connect(&authority).unwrap();
    let endpoint = CATALOG.interfaces.iter().find_map(|i| i.endpoint).unwrap();
    let head = format!(
        "POST /VMP{endpoint} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
    );
    body.write_all(head.as_bytes()).unwrap();
    // Answered after both were accepted, so both are being served when the signal comes.
    assert!(http(&root, "GET", "/control/faults", None, "").unwrap().starts_with("HTTP/1.1 200"));

    let kill = Command::new("kill").args(["-TERM", &running.0.id().to_string()]).status().unwrap();
    assert!(kill.success());
    // The sandbox states 5 s for the requests in flight; its header and body timeouts (30 s)
    // are not what may end this wait.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "stuck clients kept the sandbox running after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), code(Status::Ok), "{status}");
}

#[test]
fn sandbox_listens_on_a_host_name_and_answers_to_it() {
    let (running, banner) = start_sandbox(&["--addr", "localhost:0"]);
    let root = root_of(&banner);
    assert!(root.starts_with("http://localhost:"), "links use the name it was given: {root}");
    let orders = http(&root, "GET", "/control/orders", None, "").unwrap();
    assert!(orders.starts_with("HTTP/1.1 200"), "{orders}");
    assert!(!stderr_of(running).contains("warning"), "loopback is not warned about");
}

#[test]
fn sandbox_logs_each_request_it_answers_without_the_secret() {
    let (running, banner) = start_sandbox(&["--addr", "127.0.0.1:0"]);
    let exports: Vec<(String, String)> = banner
        .iter()
        .filter_map(|line| line.trim().strip_prefix("export "))
        .filter_map(|assignment| assignment.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.split_whitespace().next().unwrap().to_owned()))
        .collect();
    let secret = exports.iter().find(|(name, _)| name == "EFTPAY_SECRET").map(|(_, v)| v.clone()).unwrap();
    let query =
        eftpay().envs(exports.iter().map(|(n, v)| (n, v))).args(["query", "--out-trade-no", "log-1"]).output().unwrap();
    assert_eq!(query.status.code(), code(Status::Gateway), "no such order: {}", String::from_utf8_lossy(&query.stderr));
    // The event is written as the request is answered; give the process a moment to flush.
    std::thread::sleep(Duration::from_millis(200));
    let stderr = stderr_of(running);
    assert!(stderr.contains("request answered") && stderr.contains("log-1"), "{stderr}");
    assert!(!stderr.contains(&secret), "the secret was logged: {stderr}");
}

#[test]
fn sandbox_on_every_interface_warns_and_links_to_loopback() {
    let (running, banner) = start_sandbox(&["--addr", "0.0.0.0:0"]);
    let stdout = banner.join("\n");
    assert!(!stdout.contains("0.0.0.0"), "no link anyone could open:\n{stdout}");
    let root = root_of(&banner);
    assert!(root.starts_with("http://127.0.0.1:"), "{root}");
    let orders = http(&root, "GET", "/control/orders", None, "").unwrap();
    assert!(orders.starts_with("HTTP/1.1 200"), "{orders}");
    let stderr = stderr_of(running);
    assert!(stderr.contains("warning: the sandbox listens on 0.0.0.0:"), "{stderr}");
    assert!(stderr.contains("anyone who can reach it can pay"), "{stderr}");
    assert!(!stderr.contains("http://0.0.0.0"), "{stderr}");
}

#[test]
fn sandbox_prints_control_api_examples_that_send_json() {
    let (running, banner) = start_sandbox(&["--addr", "127.0.0.1:0"]);
    drop(running);
    let posts: Vec<&String> = banner.iter().filter(|l| l.contains("curl -X POST")).collect();
    assert_eq!(posts.len(), 2, "{banner:?}");
    assert!(posts.iter().all(|l| l.contains("-H 'content-type: application/json'")), "{posts:?}");
}

#[test]
fn sandbox_refuses_an_address_that_does_not_resolve() {
    let output = eftpay().args(["sandbox", "--addr", "no-such-host.invalid:8080"]).output().unwrap();
    assert_eq!(output.status.code(), code(Status::Usage));
    assert!(String::from_utf8_lossy(&output.stderr).contains("HOST:PORT"));
}

#[test]
fn sandbox_banner_shows_a_faults_example_the_control_api_takes() {
    let (running, banner) = start_sandbox(&["--addr", "127.0.0.1:0"]);
    drop(running);
    let line = banner.iter().find(|l| l.contains("/control/faults")).unwrap();
    let example = line.split('\'').nth(3).unwrap();
    let faults: eftpay_sandbox::Faults = serde_json::from_str(example).unwrap();
    assert_eq!(faults, eftpay_sandbox::Faults { drop_notifications: 1, ..eftpay_sandbox::Faults::default() });
    // Every fault is named, so the example shows what can be switched on.
    let fields = serde_json::to_value(eftpay_sandbox::Faults::default()).unwrap();
    let shown: serde_json::Value = serde_json::from_str(example).unwrap();
    let keys = |value: &serde_json::Value| value.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&shown), keys(&fields), "{line}");
}

/// A notification owed when a sandbox with a data file stopped is delivered again as soon as
/// `eftpay sandbox --data` starts on that file; that first delivery is logged like any other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_logs_the_deliveries_it_resumes_at_start() {
    use eftpay::{Amount, services, wallets};
    use eftpay_sandbox::merchant::Merchant;
    use eftpay_sandbox::{DeliveryOutcome, Sandbox, SandboxConfig};

    let path = std::env::temp_dir().join(format!("eftpay-cli-resumed-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let merchant = Merchant::start(credentials.clone()).await.unwrap();
    merchant.refuse_next(u32::MAX);

    // One attempt, refused: the notification is still owed when this sandbox stops.
    let first = Sandbox::start_with(SandboxConfig {
        data_file: Some(path.clone()),
        credentials: Some(credentials.clone()),
        notification_attempts: 1,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let client = eftpay::Client::builder(credentials.clone()).base_url(first.base_url()).build().unwrap();
    let order = services::AlipayWebPreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("resumed-1"),
        "x",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let eft = client.place_order(order).await.unwrap().eft_trade_no.clone().unwrap();
    first.pay(&eft).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !first.deliveries().iter().any(|d| matches!(d.outcome, DeliveryOutcome::NotAcknowledged { .. })) {
        assert!(Instant::now() < deadline, "the first delivery never happened");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.shutdown().await;
    merchant.refuse_next(0);

    let mut child = eftpay()
        .env("EFTPAY_SECRET", "test-secret-not-real")
        .env("EFTPAY_USER_CONFIRM_KEY", "TESTKEY00001")
        .args(["sandbox", "--addr", "127.0.0.1:0", "--data"])
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let running = Running(child);
    let (lines, logged) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let delivered = loop {
        match logged.try_recv() {
            Ok(line) if line.contains("notification delivery") && line.contains("resumed-1") => break true,
            Ok(line) => seen.push(line),
            Err(std::sync::mpsc::TryRecvError::Empty) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(_) => break false,
        }
    };
    drop(running);
    let _ = std::fs::remove_file(&path);
    assert!(delivered, "the resumed delivery was not logged: {seen:?}");
}
