//! A person's path through the pay page, in headless Chromium driven over WebDriver: open the
//! `pay_apptrade` link, click Pay, and arrive at the merchant's return_url — while the merchant's
//! notify endpoint receives a verified TRADE_SUCCESS.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test fails under CI and is skipped, loudly, elsewhere.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{client, merchant, sandbox};
use eftpay::notify::Notification;
use eftpay::{Amount, TradeStatus, services, wallets};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, killed when dropped.
struct Driver {
    process: Child,
    url: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver { process, url: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new() };
        for _ in 0..100 {
            if driver.http.get(format!("{}/status", driver.url)).send().await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not come up");
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let text = request.send().await.unwrap().text().await.unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        value["value"].clone()
    }

    async fn session(&self, profile: &std::path::Path) -> String {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}});
        let value = self.call(reqwest::Method::POST, "/session", Some(caps)).await;
        value["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {value}")).to_owned()
    }
}

fn browser_available() -> bool {
    let present = std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium and chromium-driver (.ci/run does)");
        eprintln!(
            "SKIPPED: {CHROMIUM} or {CHROMEDRIVER} missing; `apt-get install chromium chromium-driver` to run this test"
        );
    }
    present
}

#[tokio::test]
async fn a_person_pays_on_the_pay_page_in_chromium() {
    if !browser_available() {
        return;
    }
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    let order =
        services::PaymeWebPreOrder::place_order(wallets::PayMe, Amount::from_cents(4200), "rrn_browser", "A good book")
            .notify_url(merchant.notify_url())
            .return_url(merchant.return_url());
    let reply = client(&sandbox).place_order(order).await.unwrap();
    let link = reply.pay_apptrade.clone().unwrap();

    let driver = Driver::start().await;
    let profile = std::env::temp_dir().join(format!("eftpay-chromium-{}", std::process::id()));
    let session = driver.session(&profile).await;
    let s = format!("/session/{session}");
    driver.call(reqwest::Method::POST, &format!("{s}/url"), Some(json!({"url": link}))).await;
    let amount = driver
        .call(
            reqwest::Method::POST,
            &format!("{s}/element"),
            Some(json!({"using": "css selector", "value": "#amount"})),
        )
        .await;
    let amount_id = amount.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_owned();
    let text = driver.call(reqwest::Method::GET, &format!("{s}/element/{amount_id}/text"), None).await;
    assert_eq!(text, "HKD 42.00");

    let pay = driver
        .call(reqwest::Method::POST, &format!("{s}/element"), Some(json!({"using": "css selector", "value": "#pay"})))
        .await;
    let pay_id = pay.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_owned();
    driver.call(reqwest::Method::POST, &format!("{s}/element/{pay_id}/click"), Some(json!({}))).await;

    // The pay page's script sends the browser on to return_url with the synchronous return.
    let mut landed = String::new();
    for _ in 0..100 {
        landed =
            driver.call(reqwest::Method::GET, &format!("{s}/url"), None).await.as_str().unwrap_or_default().to_owned();
        if landed == merchant.return_url() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = driver.call(reqwest::Method::GET, &format!("{s}/source"), None).await;
    driver.call(reqwest::Method::DELETE, &s, None).await;
    let _ = std::fs::remove_dir_all(&profile);

    assert_eq!(landed, merchant.return_url(), "the browser reached return_url");
    assert!(page.as_str().unwrap_or_default().contains("thanks for your order"));
    assert_eq!(merchant.returns()[0].trade_status, Some(TradeStatus::TradeSuccess), "a verified return");
    let notifications = merchant.wait_for_notifications(1, Duration::from_secs(10)).await;
    let Notification::Payment(payment) = &notifications[0] else { panic!("a payment notification") };
    assert_eq!(
        payment.trade_status,
        Some(TradeStatus::TradeSuccess),
        "the merchant handler got a verified TRADE_SUCCESS"
    );
}
