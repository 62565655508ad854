#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! `eftpay trigger`, `resend` and `deliveries` against a running sandbox, as a developer drives
//! it instead of curl: orders named by either number, notifications delivered again, the
//! delivery log with the merchant's answers; and what they say when there is no sandbox.

use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use eftpay::{Amount, Credentials, services, wallets};
use eftpay_sandbox::merchant::Merchant;
use eftpay_sandbox::{OrderState, Sandbox, SandboxConfig};
use support::{Status, code, eftpay, stderr, stdout};

mod support;

const SECRET: &str = "test-secret-not-real";

/// A sandbox and a stand-in merchant on their own runtime, serving while the test runs the binary.
struct Running {
    sandbox: Sandbox,
    merchant: Merchant,
    runtime: tokio::runtime::Runtime,
}

fn running() -> Running {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let credentials = Credentials::new("TESTKEY00001", SECRET);
    let config = SandboxConfig {
        credentials: Some(credentials.clone()),
        notification_backoff: Duration::from_millis(20),
        ..SandboxConfig::default()
    };
    let sandbox = runtime.block_on(Sandbox::start_with(config)).unwrap();
    let merchant = runtime.block_on(Merchant::start(credentials)).unwrap();
    Running { sandbox, merchant, runtime }
}

impl Running {
    /// Places an order notifying the merchant; its eftPay number.
    fn order(&self, out_trade_no: &str) -> String {
        let client = eftpay::Client::builder(self.sandbox.credentials().clone())
            .base_url(self.sandbox.base_url())
            .build()
            .unwrap();
        let order = services::AlipayWebPreOrder::place_order(
            wallets::AlipayHk,
            Amount::from_cents(100),
            eftpay::OutTradeNo::new(out_trade_no),
            "Coffee",
            self.merchant.return_url(),
        )
        .notify_url(self.merchant.notify_url());
        self.runtime.block_on(client.place_order(order)).unwrap().eft_trade_no.clone().unwrap()
    }

    fn eftpay(&self, args: &[&str]) -> Output {
        eftpay(args).env("EFTPAY_BASE_URL", self.sandbox.base_url()).output().unwrap()
    }

    fn notifications(&self, n: usize) -> usize {
        self.runtime.block_on(self.merchant.wait_for_notifications(n, Duration::from_secs(10))).len()
    }
}

#[test]
fn trigger_moves_an_order_named_by_either_number() {
    let running = running();
    running.order("rrn_paid");
    let failed = running.order("rrn_failed");

    let paid = running.eftpay(&["trigger", "pay", "rrn_paid"]);
    assert_eq!(paid.status.code(), code(Status::Ok), "{}", stderr(&paid));
    assert!(stdout(&paid).contains("Paid"), "{}", stdout(&paid));
    assert_eq!(running.sandbox.order_by_out_trade_no("rrn_paid").unwrap().state, OrderState::Paid);
    assert_eq!(running.notifications(1), 1, "paying notifies, as on the pay page");

    let fail = running.eftpay(&["trigger", "fail", &failed]);
    assert_eq!(fail.status.code(), code(Status::Ok), "{}", stderr(&fail));
    assert_eq!(running.sandbox.order(&failed).unwrap().state, OrderState::Failed);

    // The sandbox's refusals, by name.
    let again = running.eftpay(&["trigger", "pay", "rrn_paid"]);
    assert_eq!(again.status.code(), code(Status::Gateway));
    assert!(stderr(&again).contains("no longer waiting for payment"), "{}", stderr(&again));
    let unknown = running.eftpay(&["trigger", "pay", "rrn_nobody"]);
    assert_eq!(unknown.status.code(), code(Status::Gateway));
    assert!(stderr(&unknown).contains("no order rrn_nobody"), "{}", stderr(&unknown));
    let resend_word = running.eftpay(&["trigger", "resend", "rrn_paid"]);
    assert_eq!(resend_word.status.code(), code(Status::Usage), "resend is its own command");
}

#[test]
fn resend_delivers_a_notification_again_and_deliveries_shows_the_answers() {
    let running = running();
    let eft = running.order("rrn_1");
    running.order("rrn_other");
    running.sandbox.pay(&eft).unwrap();
    assert_eq!(running.notifications(1), 1);

    let resent = running.eftpay(&["resend", "rrn_1"]);
    assert_eq!(resent.status.code(), code(Status::Ok), "{}", stderr(&resent));
    assert!(stdout(&resent).contains("again"), "{}", stdout(&resent));
    assert_eq!(running.notifications(2), 2, "the same notification, delivered again");

    let log = running.eftpay(&["deliveries", "--order", &eft]);
    assert_eq!(log.status.code(), code(Status::Ok), "{}", stderr(&log));
    let lines: Vec<String> = stdout(&log).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().all(|l| l.contains("rrn_1") && l.contains("acknowledged")), "{lines:?}");
    assert!(lines.iter().all(|l| l.contains(&running.merchant.notify_url())), "where it went: {lines:?}");

    // Nothing to deliver for an unpaid order: said, not silently skipped.
    let unpaid = running.eftpay(&["resend", "rrn_other"]);
    assert_eq!(unpaid.status.code(), code(Status::Gateway));
    assert!(stderr(&unpaid).contains("only a paid order is notified"), "{}", stderr(&unpaid));
    let no_refund = running.eftpay(&["resend", "rrn_1", "--refund-no", "rf_none"]);
    assert_eq!(no_refund.status.code(), code(Status::Gateway));
    assert!(stderr(&no_refund).contains("has no refund rf_none"), "{}", stderr(&no_refund));
}

#[test]
fn deliveries_follow_prints_each_new_delivery_as_it_happens() {
    let running = running();
    let eft = running.order("rrn_1");
    let mut follower = eftpay(&["deliveries", "--follow"])
        .env("EFTPAY_BASE_URL", running.sandbox.base_url())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, printed) = std::sync::mpsc::channel();
    let stdout = follower.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    running.sandbox.pay(&eft).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let line = loop {
        match printed.recv_timeout(Duration::from_millis(50)) {
            Ok(line) => break line,
            Err(_) => assert!(Instant::now() < deadline, "the follower printed nothing"),
        }
    };
    std::thread::sleep(Duration::from_millis(500));
    assert!(follower.try_wait().unwrap().is_none(), "the follower ended: it should follow until interrupted");
    let _ = follower.kill();
    let _ = follower.wait();
    assert!(line.contains("rrn_1") && line.contains("attempt 1"), "{line}");
}

#[test]
fn without_a_sandbox_the_control_commands_say_how_to_get_one() {
    let unset = eftpay(&["deliveries"]).output().unwrap();
    assert_eq!(unset.status.code(), code(Status::Usage));
    assert!(stderr(&unset).contains("eftpay sandbox"), "{}", stderr(&unset));
    // Something answers there, but it is not a sandbox.
    let running = running();
    let not_a_sandbox =
        eftpay(&["trigger", "pay", "rrn_1"]).env("EFTPAY_BASE_URL", running.merchant.notify_url()).output().unwrap();
    assert_eq!(not_a_sandbox.status.code(), code(Status::Usage), "{}", stderr(&not_a_sandbox));
    assert!(stderr(&not_a_sandbox).contains("no sandbox control API"), "{}", stderr(&not_a_sandbox));
    let password = eftpay(&["deliveries"]).env("EFTPAY_BASE_URL", "ftp://user:hunter2@127.0.0.1/VMP").output().unwrap();
    assert_eq!(password.status.code(), code(Status::Usage));
    assert!(!stderr(&password).contains("hunter2"), "{}", stderr(&password));
}

#[test]
fn each_command_lists_only_the_exit_codes_it_can_end_with() {
    let help = |command: &str| stdout(&eftpay(&[command, "--help"]).output().unwrap());
    let sandbox = help("sandbox");
    assert!(sandbox.contains("  0  ") && sandbox.contains("  2  "), "{sandbox}");
    for foreign in [Status::Gateway, Status::InvalidRequest, Status::DemoFailed, Status::VerificationFailed] {
        assert!(!sandbox.contains(&format!("\n  {}  ", foreign.code())), "{foreign:?} in:\n{sandbox}");
    }
    let environment = |help: &str| help.split_once("Environment:").map(|(_, rest)| rest.to_owned()).unwrap();
    assert!(!environment(&sandbox).contains("EFTPAY_BASE_URL"), "{sandbox}");
    for command in ["trigger", "resend", "deliveries"] {
        let text = help(command);
        assert!(text.contains(&format!("\n  {}  ", Status::Gateway.code())), "{text}");
        assert!(!text.contains(&format!("\n  {}  ", Status::InvalidRequest.code())), "{text}");
        assert!(
            environment(&text).contains("EFTPAY_BASE_URL") && !environment(&text).contains("EFTPAY_SECRET"),
            "{text}"
        );
    }
}
