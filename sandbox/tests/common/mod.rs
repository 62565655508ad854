//! A merchant for the sandbox to talk to: a notify endpoint (the SDK's axum route) and a
//! return_url page, on 127.0.0.1, recording what arrives.
#![allow(dead_code, clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // shared test code

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use eftpay::notify::{self, Notification};
use eftpay::{Client, Credentials, SyncReturn};
use eftpay_sandbox::{Sandbox, SandboxConfig};

#[derive(Default)]
pub struct Seen {
    pub notifications: Mutex<Vec<Notification>>,
    pub returns: Mutex<Vec<SyncReturn>>,
    /// Answer `false` to this many notifications first.
    pub refuse_first: AtomicU32,
}

pub struct Merchant {
    pub base: String,
    pub seen: Arc<Seen>,
}

impl Merchant {
    pub fn notify_url(&self) -> String {
        format!("{}/notify", self.base)
    }
    pub fn return_url(&self) -> String {
        format!("{}/return", self.base)
    }
    pub fn notifications(&self) -> Vec<Notification> {
        self.seen.notifications.lock().unwrap().clone()
    }
    /// Waits until `n` notifications arrived (at most 10 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Notification> {
        for _ in 0..1000 {
            if self.seen.notifications.lock().unwrap().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.notifications()
    }
}

pub async fn merchant(credentials: Credentials) -> Merchant {
    let seen = Arc::new(Seen::default());
    let for_notify = Arc::clone(&seen);
    let for_return = Arc::clone(&seen);
    let return_credentials = credentials.clone();
    let app = Router::new()
        .route(
            "/notify",
            notify::axum::notification_route(credentials, move |n| {
                let seen = Arc::clone(&for_notify);
                async move {
                    seen.notifications.lock().unwrap().push(n.into_message());
                    let refuse = seen.refuse_first.load(Ordering::SeqCst);
                    if refuse > 0 {
                        seen.refuse_first.store(refuse - 1, Ordering::SeqCst);
                        return Err("not yet");
                    }
                    Ok(())
                }
            }),
        )
        .route(
            "/return",
            post(move |body: String| {
                let seen = Arc::clone(&for_return);
                let credentials = return_credentials.clone();
                async move {
                    let verified = notify::verify_return(&body, &credentials.secret).expect("the return verifies");
                    seen.returns.lock().unwrap().push(verified.into_message());
                    "thanks for your order"
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Merchant { base, seen }
}

pub fn fast_config() -> SandboxConfig {
    SandboxConfig {
        notification_backoff: Duration::from_millis(20),
        apply_refund_delay: Duration::from_millis(50),
        ..SandboxConfig::default()
    }
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start_with(fast_config()).await.unwrap()
}

pub fn client(sandbox: &Sandbox) -> Client {
    Client::builder(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .retry_backoff(Duration::from_millis(5))
        .build()
        .unwrap()
}

/// Extracts `name="…" value="…"` hidden inputs and the form action from a page.
pub fn form(html: &str, form_id: &str) -> (String, Vec<(String, String)>) {
    let start = html.find(&format!("id=\"{form_id}\"")).expect("the form is on the page");
    let form = &html[html[..start].rfind("<form").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let action = attribute(form, "action").unwrap();
    let mut inputs = Vec::new();
    for input in form.split("<input").skip(1) {
        if let (Some(name), Some(value)) = (attribute(input, "name"), attribute(input, "value")) {
            inputs.push((name, value));
        }
    }
    (action, inputs)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// POSTs a form, as a browser submits one.
pub async fn post_form(http: &reqwest::Client, url: &str, pairs: &[(String, String)]) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        form.append_pair(name, value);
    }
    http.post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.finish())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
