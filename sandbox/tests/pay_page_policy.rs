//! The pay page's response headers: never framed by another site (clickjacking the Pay button),
//! and a content security policy that allows exactly what the page is made of — checked against
//! the page as served, so a change to the page that the policy would block fails here (the
//! headless Chromium test in `browser.rs` pays through the page under the same policy).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use base64::Engine as _;
use common::sandbox;
use eftpay_sandbox::Sandbox;
use sha2::{Digest, Sha256};

async fn pending_order(sandbox: &Sandbox, out_trade_no: &str, return_url: &str) -> String {
    common::place(sandbox, common::web_order_returning(out_trade_no, return_url)).await
}

/// A page's headers and body.
struct Served {
    frame_options: Option<String>,
    policy: Vec<String>,
    body: String,
}

impl Served {
    async fn of(response: reqwest::Response) -> Served {
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        let frame_options = header("x-frame-options");
        let policy = header("content-security-policy")
            .map(|p| p.split(';').map(|d| d.trim().to_owned()).collect())
            .unwrap_or_default();
        Served { frame_options, policy, body: response.text().await.unwrap() }
    }

    /// The policy's directive `name`, with its sources.
    fn directive(&self, name: &str) -> Option<&str> {
        self.policy.iter().find(|d| d.split_whitespace().next() == Some(name)).map(String::as_str)
    }

    /// The contents of every `<tag>` element in the page.
    fn inline(&self, tag: &str) -> Vec<&str> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        self.body
            .split(open.as_str())
            .skip(1)
            .filter_map(|rest| rest.split_once(close.as_str()))
            .map(|(c, _)| c)
            .collect()
    }
}

fn hash_source(content: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(content.as_bytes())))
}

fn assert_never_framed(page: &Served) {
    assert_eq!(page.frame_options.as_deref(), Some("DENY"));
    assert_eq!(page.directive("frame-ancestors"), Some("frame-ancestors 'none'"));
}

/// Loads nothing from anywhere, and allows the page's own style sheets by hash.
fn assert_only_own_content(page: &Served) {
    assert_eq!(page.directive("default-src"), Some("default-src 'none'"), "{:?}", page.policy);
    assert_eq!(page.directive("base-uri"), Some("base-uri 'none'"));
    let styles = page.inline("style");
    assert!(!styles.is_empty());
    for style in styles {
        assert!(page.directive("style-src").unwrap().contains(&hash_source(style)), "{:?}", page.policy);
    }
    assert!(!page.body.contains(" style="), "an inline style attribute the policy would block");
}

#[tokio::test]
async fn the_pay_page_is_never_framed_and_runs_nothing_but_its_own_style() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "csp_page", "https://merchant.example/r").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let page = Served::of(http.get(sandbox.pay_page_url(&eft)).send().await.unwrap()).await;
    assert!(page.body.contains("<form method=\"post\""), "the pay form is there");
    assert_never_framed(&page);
    assert_only_own_content(&page);
    assert_eq!(page.directive("script-src"), None, "no script on the pay page: default-src 'none' applies");
    assert!(page.inline("script").is_empty());
    assert_eq!(page.directive("form-action"), Some("form-action 'self'"), "its form posts back to the sandbox");
}

#[tokio::test]
async fn a_missing_order_page_is_never_framed_either() {
    let sandbox = sandbox().await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let page = Served::of(http.get(sandbox.pay_page_url("no-such-order")).send().await.unwrap()).await;
    assert!(page.body.contains("No such order"));
    assert_never_framed(&page);
    assert_only_own_content(&page);
}

#[tokio::test]
async fn the_page_carrying_the_payer_back_runs_only_its_script_and_posts_only_to_the_shop() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "csp_return", "https://merchant.example:8443/back").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let paid = http
        .post(format!("{}/web/payPage", sandbox.base_url()))
        .header("origin", format!("http://{}", sandbox.addr()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("order={eft}&action=pay"))
        .send()
        .await
        .unwrap();
    let page = Served::of(paid).await;
    assert!(page.body.contains("<form id=\"return\""), "the return form: {}", page.body);
    assert_never_framed(&page);
    assert_only_own_content(&page);
    let scripts = page.inline("script");
    assert_eq!(scripts.len(), 1);
    assert_eq!(page.directive("script-src"), Some(format!("script-src {}", hash_source(scripts[0])).as_str()));
    assert_eq!(page.directive("form-action"), Some("form-action https://merchant.example:8443"));
}
