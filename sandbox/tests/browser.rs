//! A person's path through the pay page, in headless Chromium driven over WebDriver: open the
//! order's link (a web order's pay link, a qrcode order's QR code content, a cashier order's pay
//! link), choose a wallet where the page offers one, click Pay, and arrive at the merchant's
//! return address where the order has one — while the merchant's notify endpoint receives the
//! verified payment notification.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test fails under CI and is skipped, loudly, elsewhere.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Ask, by_name, client, merchant, sandbox, send_by_name};
use eftpay::Notification;
use eftpay::catalog::ServiceInfo;
use eftpay::rules::{Concept, Purpose};
use eftpay::{Amount, CATALOG, TradeStatus, Wallet, services, wallets};
use eftpay_sandbox::OrderState;
use eftpay_sandbox::merchant::{Merchant, THANKS};
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
        let driver = Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
            http: eftpay::gateway::http_client_builder().unwrap().build().unwrap(),
        };
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

/// A WebDriver session in the running chromedriver.
struct Session<'a> {
    driver: &'a Driver,
    path: String,
}

impl Session<'_> {
    async fn open(&self, url: &str) {
        self.driver.call(reqwest::Method::POST, &format!("{}/url", self.path), Some(json!({"url": url}))).await;
    }

    async fn element(&self, css: &str) -> String {
        let found = self
            .driver
            .call(
                reqwest::Method::POST,
                &format!("{}/element", self.path),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no {css}: {found}"))
            .to_owned()
    }

    async fn text(&self, css: &str) -> String {
        let id = self.element(css).await;
        let text = self.driver.call(reqwest::Method::GET, &format!("{}/element/{id}/text", self.path), None).await;
        text.as_str().unwrap_or_default().to_owned()
    }

    async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.driver.call(reqwest::Method::POST, &format!("{}/element/{id}/click", self.path), Some(json!({}))).await;
    }

    /// Waits (at most 10 s) until an element `css` shows text starting with `prefix` (a click
    /// that submits a form returns before the next page is there); the text last seen.
    async fn wait_for_text(&self, css: &str, prefix: &str) -> String {
        let mut seen = String::new();
        for _ in 0..100 {
            let found = self
                .driver
                .call(
                    reqwest::Method::POST,
                    &format!("{}/elements", self.path),
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            let id = found
                .as_array()
                .and_then(|all| all.first())
                .and_then(|e| e.as_object())
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(id) = id {
                let text =
                    self.driver.call(reqwest::Method::GET, &format!("{}/element/{id}/text", self.path), None).await;
                seen = text.as_str().unwrap_or_default().to_owned();
                if seen.starts_with(prefix) {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        seen
    }

    async fn url(&self) -> String {
        self.driver
            .call(reqwest::Method::GET, &format!("{}/url", self.path), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits (at most 10 s) until the browser is at `url`; where it is.
    async fn wait_for_url(&self, url: &str) -> String {
        let mut landed = String::new();
        for _ in 0..100 {
            landed = self.url().await;
            if landed == url {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        landed
    }

    async fn source(&self) -> String {
        self.driver
            .call(reqwest::Method::GET, &format!("{}/source", self.path), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The payment notification of `out`, waiting for it.
async fn payment_of(merchant: &Merchant, out: &str) -> Notification {
    for _ in 0..1000 {
        if let Some(found) = merchant.notifications().into_iter().find(|n| n.out_trade_no() == Some(out)) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no notification of {out}: {:?}", merchant.notifications())
}

#[tokio::test]
async fn people_pay_web_qrcode_and_cashier_orders_on_the_pay_page_in_chromium() {
    if !browser_available() {
        return;
    }
    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    let client = client(&sandbox);
    let driver = Driver::start().await;
    let profile = std::env::temp_dir().join(format!("eftpay-chromium-{}", std::process::id()));
    let session = driver.session(&profile).await;
    let session = Session { driver: &driver, path: format!("/session/{session}") };

    // A web order: Pay, then the page's script carries the browser to the return address.
    let order = services::PaymeWebPreOrder::place_order(
        wallets::PayMe,
        Amount::from_cents(4200),
        eftpay::OutTradeNo::new("rrn_browser"),
        "A good book",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let reply = client.place_order(order).await.unwrap();
    session.open(reply.pay_apptrade.as_deref().unwrap()).await;
    assert_eq!(session.text("#amount").await, "HKD 42.00");
    session.click("#pay").await;
    let landed = session.wait_for_url(&merchant.return_url()).await;
    assert_eq!(landed, merchant.return_url(), "the browser reached the return address");
    assert!(session.source().await.contains(THANKS));
    assert_eq!(
        merchant.returns()[0].value(Concept::TradeStatus),
        Some(TradeStatus::TradeSuccess.as_str()),
        "a verified return"
    );
    let Notification::Payment(payment) = payment_of(&merchant, "rrn_browser").await else {
        panic!("a payment notification")
    };
    assert_eq!(payment.trade_status, Some(TradeStatus::TradeSuccess), "the merchant handler got a verified payment");

    // A qrcode order: the QR code's content is the page a phone camera opens; no return.
    let order = services::AlipayQrcodePreOrder::place_order(
        wallets::AlipayHk,
        Amount::from_cents(1500),
        eftpay::OutTradeNo::new("qr_browser"),
        "Tea",
        merchant.notify_url(),
    );
    let reply = client.send(&order.build()).await.unwrap();
    session.open(reply.qr_code.as_deref().unwrap()).await;
    session.click("#pay").await;
    let result = session.wait_for_text("#result", "Paid").await;
    assert!(result.starts_with("Paid"), "{result}: {}", session.source().await);
    let Notification::Qrcode(qrcode) = payment_of(&merchant, "qr_browser").await else {
        panic!("a qrcode notification")
    };
    assert_eq!(qrcode.trade_status, Some(TradeStatus::TradeSuccess));
    assert_eq!(qrcode.payment_type, Some(Wallet::AlipayHk));

    // A cashier order: the person chooses a wallet (not the one offered first), then pays.
    let wallet = *services::CashierPreOrder::info().wallets.last().unwrap();
    let order = services::CashierPreOrder::place_order(
        Amount::from_cents(900),
        eftpay::OutTradeNo::new("cash_browser"),
        "Cake",
        merchant.return_url(),
    )
    .notify_url(merchant.notify_url());
    let reply = client.send(&order.build()).await.unwrap();
    session.open(reply.pay_apptrade.as_deref().unwrap()).await;
    session.click(&format!("#wallet-{wallet}")).await;
    session.click("#pay").await;
    let landed = session.wait_for_url(&merchant.return_url()).await;
    assert_eq!(landed, merchant.return_url());
    let returned =
        merchant.returns().into_iter().find(|r| r.value(Concept::OutTradeNo) == Some("cash_browser")).unwrap();
    assert_eq!(returned.value(Concept::Wallet), Some(wallet), "the return carries the wallet chosen");
    let Notification::Payment(payment) = payment_of(&merchant, "cash_browser").await else {
        panic!("a payment notification")
    };
    assert_eq!(payment.wallet.as_ref().map(Wallet::as_str), Some(wallet), "so does the notification");

    driver.call(reqwest::Method::DELETE, &session.path, None).await;
    let _ = std::fs::remove_dir_all(&profile);
}

/// A mobile-browser order (jsapi's H5), found in the catalog rather than by name: a place-order
/// interface with a field whose value makes the return address required, that value, and a row
/// that takes it. The person opens the order's pay link, pays, and sees the result; the merchant
/// receives the verified notification, which echoes that value back (docs/protocol.md §13).
#[tokio::test]
async fn a_person_pays_a_mobile_browser_order_on_the_pay_page_in_chromium() {
    if !browser_available() {
        return;
    }
    let browser_order = CATALOG.interfaces.iter().filter(|i| i.purpose == Purpose::PlaceOrder).find_map(|place| {
        let url = place.fields.iter().find(|f| f.concept == Some(Concept::ReturnUrl))?;
        let (field, values) = url.required_when?;
        let value = *values.first()?;
        let takes = |row: &&ServiceInfo| {
            row.values.iter().find(|(wire, _)| *wire == field).is_none_or(|(_, allowed)| allowed.contains(&value))
        };
        let row = CATALOG.services_of(place.name).find(takes)?;
        Some((place, row, field, value))
    });
    let (place, row, field, value) = browser_order.expect("the spec has a mobile-browser order (jsapi's H5)");

    let sandbox = sandbox().await;
    let merchant = merchant(sandbox.credentials().clone()).await;
    let out = "h5_browser";
    let mut cents = 2300;
    while row.pay_type.is_some_and(|p| CATALOG.test_amount(p, Amount::from_cents(cents)).is_some()) {
        cents += 1;
    }
    let (notify_url, return_url) = (merchant.notify_url(), merchant.return_url());
    let ask = Ask {
        out_trade_no: Some(out),
        amount: Some(Amount::from_cents(cents)),
        notify_url: Some(&notify_url),
        return_url: Some(&return_url),
        ..Ask::default()
    };
    let mut fields = by_name(&sandbox, place, Some(row), &ask);
    fields.retain(|(name, _)| name != field);
    fields.push((field.to_owned(), value.to_owned()));
    // Whatever else that value makes required (H5's scene_info), with a plain text.
    for due in place.fields.iter().filter(|f| f.required_when.is_some_and(|(o, vs)| o == field && vs.contains(&value)))
    {
        if !fields.iter().any(|(name, _)| name == due.wire) {
            fields.push((due.wire.to_owned(), "sandbox test".to_owned()));
        }
    }
    let reply = send_by_name(&CATALOG, &client(&sandbox), place, &fields)
        .await
        .unwrap_or_else(|e| panic!("{} with {field} = {value}: {e}", row.name));
    let link = place
        .value_of(reply.message(), Concept::PayLink)
        .or_else(|| place.value_of(reply.message(), Concept::QrCode))
        .expect("the reply carries the pay page's link")
        .to_owned();

    let driver = Driver::start().await;
    let profile = std::env::temp_dir().join(format!("eftpay-chromium-h5-{}", std::process::id()));
    let session = driver.session(&profile).await;
    let session = Session { driver: &driver, path: format!("/session/{session}") };
    session.open(&link).await;
    session.click("#pay").await;
    let result = session.wait_for_text("#result", "Paid").await;
    assert!(result.starts_with("Paid"), "{result}: {}", session.source().await);
    assert_eq!(sandbox.order_by_out_trade_no(out).unwrap().state, OrderState::Paid);

    let _ = payment_of(&merchant, out).await;
    let received = merchant
        .received()
        .into_iter()
        .find(|r| r.interface.value_of(&r.fields, Concept::OutTradeNo) == Some(out))
        .expect("the merchant read the notification");
    assert_eq!(Some(received.interface.name), place.notification);
    assert_eq!(received.fields.text(field), Some(value), "the notification echoes the order's {field}");

    driver.call(reqwest::Method::DELETE, &session.path, None).await;
    let _ = std::fs::remove_dir_all(&profile);
}
