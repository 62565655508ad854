#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay demo` and `eftpay sandbox`, run as a person would: the demo walks the whole flow and
//! exits 0; the sandbox prints how to connect, and the gateway commands work against it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn eftpay() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eftpay"));
    command.env_remove("EFTPAY_SECRET").env_remove("EFTPAY_USER_CONFIRM_KEY").env_remove("EFTPAY_BASE_URL");
    command
}

#[test]
fn demo_walks_every_step_and_exits_0() {
    let output = eftpay().arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&output.stderr));
    for step in 1..=10 {
        assert!(stdout.contains(&format!("{step:>2}. ")), "step {step} missing:\n{stdout}");
    }
    assert_eq!(stdout.matches('✓').count(), 12, "every check printed: {stdout}");
    assert!(stdout.contains("All 10 steps checked out."));
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
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("EFTPAY_USER_CONFIRM_KEY"));
}
