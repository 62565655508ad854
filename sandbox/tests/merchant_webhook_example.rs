//! The `merchant_webhook` example, run as a shop would be: two checkouts in the same second get
//! two orders, and the thanks page says in words that the order is paid (no `Debug` output).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // test code

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/merchant_webhook.rs"]
mod example;

use eftpay::Client;
use eftpay_sandbox::Sandbox;
use eftpay_sandbox::browser::Payer;

#[tokio::test]
async fn checkouts_in_one_second_are_distinct_orders_and_the_thanks_page_reads_as_words() {
    let sandbox = Sandbox::start().await.unwrap();
    let credentials = sandbox.credentials().clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = Client::builder(credentials.clone()).base_url(sandbox.base_url()).build().unwrap();
    let app = example::shop(client, credentials, base.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let browser =
        eftpay::gateway::http_client_builder().unwrap().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut links = Vec::new();
    for _ in 0..2 {
        let reply = browser.get(format!("{base}/checkout")).send().await.unwrap();
        assert!(reply.status().is_redirection(), "{}", reply.text().await.unwrap());
        links.push(reply.headers()["location"].to_str().unwrap().to_owned());
    }
    let orders = sandbox.orders();
    assert_eq!(orders.len(), 2, "{orders:?}");
    assert_ne!(orders[0].out_trade_no, orders[1].out_trade_no, "each checkout is its own order");

    let paid = Payer::new().pay(&links[0]).await.unwrap();
    let page = paid.merchant_page.unwrap();
    assert!(page.contains("is paid."), "{page}");
    assert!(!page.contains("Some(") && !page.contains("TradeSuccess"), "no Debug text: {page}");
    sandbox.shutdown().await;
}
