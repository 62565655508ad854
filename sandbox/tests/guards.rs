//! What the sandbox refuses or protects, over real loopback HTTP: replayed acknowledgements,
//! cross-site requests from a browser, names it does not answer to (DNS rebinding), links nobody
//! can open, requests cut off by a stop, background work outliving a stop, and secrets in its log.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{client, pending_order, sandbox, web_order};
use eftpay::{Amount, Clock, FixedClock, SystemClock, services, wallets};
use eftpay_sandbox::{DeliveryOutcome, Faults, OrderState, RefundState, Sandbox, SandboxConfig};

fn root(sandbox: &Sandbox) -> String {
    sandbox.base_url().trim_end_matches("/VMP").to_owned()
}

#[tokio::test]
async fn a_signed_acknowledgement_six_years_old_is_not_a_delivery() {
    let sandbox = sandbox().await;
    // A shop that signs `success` correctly, but with a time six years ago: a replayed answer.
    let credentials = sandbox.credentials().clone();
    let app = axum::Router::new().route(
        "/notify",
        axum::routing::post(move || {
            let credentials = credentials.clone();
            async move {
                let six_years_ago = SystemClock.now().plus_seconds(-6 * 365 * 86_400).unwrap();
                eftpay::notify::acknowledge(
                    eftpay::notify::Answer::Handled,
                    &credentials,
                    &FixedClock::new(six_years_ago),
                )
                .body
            }
        }),
    );
    let notify_url = common::serve_shop(app).await;
    let eft = common::paid_order_notifying(&sandbox, &notify_url, "rrn_oldack").await;
    let deliveries = common::deliveries_at_least(&sandbox, 2).await;
    assert!(deliveries.len() >= 2, "re-delivered: {deliveries:?}");
    assert!(
        deliveries.iter().all(
            |d| matches!(&d.outcome, DeliveryOutcome::NotAcknowledged { reason } if reason.contains("time mismatch"))
        ),
        "{deliveries:?}"
    );
    assert!(!sandbox.order(&eft).unwrap().notified);
}

#[tokio::test]
async fn an_acknowledgement_over_the_received_limit_is_a_failed_delivery() {
    let config = SandboxConfig { notification_attempts: 1, ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    // A shop whose notify address answers without end.
    let notify_url = format!("{}/notify", common::endless_answer());
    let eft = common::paid_order_notifying(&sandbox, &notify_url, "rrn_bigack").await;
    let deliveries = common::deliveries_at_least(&sandbox, 1).await;
    let limit = eftpay::ReceiveLimits::DEFAULT.max_body_bytes.to_string();
    assert!(
        matches!(&deliveries[..], [d] if matches!(&d.outcome,
            DeliveryOutcome::NotAcknowledged { reason } if reason.contains("too large") && reason.contains(&limit))),
        "{deliveries:?}"
    );
    assert!(!sandbox.order(&eft).unwrap().notified);
    // And the sandbox answers on.
    let query = eftpay::QueryRequest::by_out_trade_no(eftpay::OutTradeNo::new("rrn_bigack"));
    assert_eq!(client(&sandbox).query(query).await.unwrap().trade_status, Some(eftpay::TradeStatus::TradeSuccess));
}

#[tokio::test]
async fn a_page_over_the_page_limit_is_a_browser_error() {
    let endless = common::endless_answer();
    let payer = eftpay_sandbox::browser::Payer::new();
    let error = payer.open(&format!("{endless}/page")).await.unwrap_err();
    assert!(
        matches!(error, eftpay_sandbox::browser::BrowserError::TooLarge { limit, .. }
            if limit == eftpay_sandbox::browser::MAX_PAGE_BYTES),
        "{error:?}"
    );
    assert!(error.to_string().contains("larger than"), "{error}");
    // The same payer opens a real page afterwards.
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "rrn_after_big").await;
    assert!(payer.open(&sandbox.pay_page_url(&eft)).await.is_ok());
}

#[tokio::test]
async fn shutdown_finishes_every_request_in_flight() {
    const REQUESTS: u32 = 24;
    let sandbox = sandbox().await;
    // Each request counts down `server_errors` as it enters the gateway, then sleeps: when the
    // count reaches 0 every request is being answered.
    sandbox.set_faults(Faults { slow_responses_ms: 500, server_errors: REQUESTS, ..Faults::default() });
    let endpoint = eftpay::CATALOG.interfaces.iter().find_map(|i| i.endpoint).unwrap();
    let url = format!("{}{endpoint}", sandbox.base_url());
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let requests: Vec<_> = (0..REQUESTS)
        .map(|_| {
            let request = http.post(&url).header("content-type", "application/json").body("{}");
            tokio::spawn(async move {
                let response = request.send().await?;
                let status = response.status();
                response.text().await.map(|body| (status, body))
            })
        })
        .collect();
    for _ in 0..1000 {
        if sandbox.faults().server_errors == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sandbox.faults().server_errors, 0, "every request reached the gateway");

    sandbox.shutdown().await;
    for request in requests {
        let (status, body) = request.await.unwrap().expect("a complete reply, not a reset connection");
        assert_eq!(status, 500);
        assert_eq!(body, "sandbox fault: server error");
    }
}

#[tokio::test]
async fn the_control_api_refuses_cross_site_requests_and_anything_but_json() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "rrn_csrf").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let pay = format!("{}/control/orders/{eft}/pay", root(&sandbox));
    let own_origin = format!("http://{}", sandbox.addr());

    // What a page on another site can send without asking: a text/plain POST.
    let cross_site =
        http.post(&pay).header("origin", "http://evil.example").header("content-type", "text/plain").send().await;
    assert_eq!(cross_site.unwrap().status(), 403);
    let faults = http
        .post(format!("{}/control/faults", root(&sandbox)))
        .header("origin", "http://evil.example")
        .header("content-type", "text/plain")
        .body(r#"{"server_errors":5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(faults.status(), 403);
    let fetch_metadata = http
        .post(&pay)
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_metadata.status(), 403, "Sec-Fetch-Site: cross-site is refused without an Origin too");
    let not_json = http.post(&pay).header("content-type", "text/plain").send().await.unwrap();
    assert_eq!(not_json.status(), 415);
    assert!(not_json.text().await.unwrap().contains("application/json"));
    let no_type = http.post(&pay).send().await.unwrap();
    assert_eq!(no_type.status(), 415);
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Pending, "nothing changed");
    assert_eq!(sandbox.faults(), Faults::default(), "nothing changed");

    let json = http.post(&pay).header("origin", own_origin).header("content-type", "application/json").send().await;
    assert!(json.unwrap().status().is_success());
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Paid);
    let faults = http
        .post(format!("{}/control/faults", root(&sandbox)))
        .header("content-type", "application/json")
        .body(r#"{"server_errors":5}"#)
        .send()
        .await
        .unwrap();
    assert!(faults.status().is_success());
    assert_eq!(sandbox.faults().server_errors, 5);
}

#[tokio::test]
async fn the_pay_page_refuses_a_post_from_another_site() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "rrn_xsite").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let page = format!("{}/web/payPage", sandbox.base_url());
    let body = format!("order={eft}&action=pay");
    for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
        let response = http
            .post(&page)
            .header("origin", "http://evil.example")
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{content_type}");
    }
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Pending, "nothing changed");

    // The page's own form posts from the page's origin, as a browser sends it.
    let response = http
        .post(&page)
        .header("origin", format!("http://{}", sandbox.addr()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Paid);
}

#[tokio::test]
async fn the_pay_page_posts_back_to_the_host_it_was_opened_on() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "rrn_host").await;
    let link = format!("http://localhost:{}/VMP/web/payPage?order={eft}", sandbox.addr().port());
    let page = eftpay_sandbox::browser::Payer::new().open(&link).await.unwrap();
    let form = eftpay_sandbox::browser::Form::find(&page, "pay").unwrap();
    assert_eq!(form.action, format!("http://localhost:{}/VMP/web/payPage", sandbox.addr().port()));
    // So a browser that opened it there posts same-origin.
    let response = eftpay::gateway::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(&form.action)
        .header("origin", format!("http://localhost:{}", sandbox.addr().port()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("order={eft}&action=pay"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Paid);
}

#[tokio::test]
async fn a_sandbox_on_every_interface_links_to_loopback_not_0_0_0_0() {
    let config = SandboxConfig { addr: SocketAddr::from(([0, 0, 0, 0], 0)), ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    assert!(sandbox.addr().ip().is_unspecified());
    assert_eq!(sandbox.base_url(), format!("http://127.0.0.1:{}/VMP", sandbox.addr().port()));
    let link = client(&sandbox).place_order(web_order("rrn_any")).await.unwrap().pay_apptrade.clone().unwrap();
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");
    assert!(eftpay_sandbox::browser::Payer::new().open(&link).await.is_ok(), "the link opens");
}

#[tokio::test]
async fn a_request_addressed_to_a_name_that_is_not_the_sandboxs_is_refused() {
    let sandbox = sandbox().await;
    let eft = pending_order(&sandbox, "rrn_rebind").await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let port = sandbox.addr().port();
    // A page of evil.example whose DNS answer turned to 127.0.0.1: its requests carry its name.
    let rebound = format!("evil.example:{port}");
    let read = http.get(format!("{}/control/orders", root(&sandbox))).header("host", &rebound).send().await.unwrap();
    assert_eq!(read.status(), 421, "the books are not readable through another name");
    let pay = http
        .post(format!("{}/web/payPage", sandbox.base_url()))
        .header("host", &rebound)
        .header("origin", format!("http://{rebound}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("order={eft}&action=pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(pay.status(), 421, "Origin equal to Host is not enough");
    assert_eq!(sandbox.order(&eft).unwrap().state, OrderState::Pending, "nothing changed");

    // Its own names are answered.
    for own in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let ok = http.get(format!("{}/control/orders", root(&sandbox))).header("host", own).send().await.unwrap();
        assert!(ok.status().is_success());
    }
}

#[tokio::test]
async fn a_configured_host_name_is_answered_and_linked_to() {
    let config = SandboxConfig { host: Some("shop.test".into()), ..common::fast_config() };
    let sandbox = Sandbox::start_with(config).await.unwrap();
    let port = sandbox.addr().port();
    assert_eq!(sandbox.base_url(), format!("http://shop.test:{port}/VMP"));
    let read = eftpay::gateway::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .get(format!("http://127.0.0.1:{port}/control/orders"))
        .header("host", format!("shop.test:{port}"))
        .send()
        .await
        .unwrap();
    assert!(read.status().is_success());
}

#[tokio::test]
async fn shutdown_stops_the_deliveries_still_under_way() {
    let sandbox =
        Sandbox::start_with(SandboxConfig { notification_attempts: 50, ..common::fast_config() }).await.unwrap();
    // A shop that never acknowledges: the sandbox would keep re-delivering for a long while.
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&hits);
    let app = axum::Router::new().route(
        "/notify",
        axum::routing::post(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async { "not now" }
        }),
    );
    let notify_url = common::serve_shop(app).await;
    common::paid_order_notifying(&sandbox, &notify_url, "rrn_stop").await;
    common::deliveries_at_least(&sandbox, 1).await;
    sandbox.shutdown().await;

    // Whatever was on the wire when it stopped has arrived by now; nothing may follow it.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let after_stop = hits.load(std::sync::atomic::Ordering::SeqCst);
    // Several re-deliveries were due in this time (20 ms backoff, doubling), had any kept going.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), after_stop, "a stopped sandbox delivered again");
}

#[tokio::test]
async fn shutdown_stops_an_applied_refund_from_finishing() {
    let path = std::env::temp_dir().join(format!("eftpay-sandbox-stop-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let credentials = eftpay::Credentials::new("TESTKEY00001", "test-secret-not-real");
    let config = |delay: Duration| SandboxConfig {
        data_file: Some(path.clone()),
        credentials: Some(credentials.clone()),
        apply_refund_delay: delay,
        ..common::fast_config()
    };
    let first = Sandbox::start_with(config(Duration::from_millis(200))).await.unwrap();
    let order = services::WechatWebPreOrder::place_order(
        wallets::WeChatHk,
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_timer"),
        "x",
        "https://merchant.example/r",
    );
    let eft = common::place(&first, order).await;
    first.pay(&eft).unwrap();
    let refund = services::WechatWebApplyRefund::apply_refund(
        wallets::WeChatHk,
        eftpay::RefundAmount::new(Amount::from_cents(100)),
        Amount::from_cents(100),
        eftpay::OutTradeNo::new("rrn_timer"),
        eftpay::RefundNo::new("rf_timer"),
    );
    client(&first).apply_refund(refund).await.unwrap();
    first.shutdown().await;
    // Long past the refund's delay: a timer that outlived the stop would have finished it in
    // the data file by now.
    tokio::time::sleep(Duration::from_millis(600)).await;

    let second = Sandbox::start_with(config(Duration::from_secs(3600))).await.unwrap();
    let kept = second.refunds(&eft);
    assert_eq!(kept[0].state, RefundState::Applied, "the refund finished after the sandbox stopped");
    second.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn the_control_api_shows_no_password_of_a_notify_or_return_url() {
    const SENTINEL: &str = "SENTINEL-PW-0002";
    let sandbox = sandbox().await;
    let order = common::web_order_returning("rrn_userinfo", &format!("https://shop:{SENTINEL}@merchant.example/r"))
        .notify_url(format!("http://shop:{SENTINEL}@127.0.0.1:9/notify?shop=1"));
    let eft = common::place(&sandbox, order).await;
    let http = eftpay::gateway::http_client_builder().unwrap().build().unwrap();
    let json = |request: reqwest::RequestBuilder| async move {
        request.header("content-type", "application/json").send().await.unwrap().text().await.unwrap()
    };
    for body in [
        json(http.get(format!("{}/control/orders", root(&sandbox)))).await,
        json(http.get(format!("{}/control/orders/{eft}", root(&sandbox)))).await,
        json(http.post(format!("{}/control/orders/{eft}/pay", root(&sandbox)))).await,
    ] {
        assert!(!body.contains(SENTINEL) && !body.contains("shop:"), "{body}");
        assert!(body.contains("http://<redacted>@127.0.0.1:9/notify?shop=1"), "the rest is shown: {body}");
        assert!(body.contains("https://<redacted>@merchant.example/r"), "{body}");
    }
    // The books keep the address whole: the notification goes where the merchant said.
    assert!(sandbox.order(&eft).unwrap().notify_url.unwrap().contains(SENTINEL));
}
