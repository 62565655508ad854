//! Shared test setup: a fast sandbox, a client for it, the stand-in merchant, form helpers.
#![allow(dead_code, clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)] // shared test code

use std::time::Duration;

use eftpay::Client;
use eftpay_sandbox::{Sandbox, SandboxConfig};

pub use eftpay_sandbox::merchant::Merchant;

pub async fn merchant(credentials: eftpay::Credentials) -> Merchant {
    Merchant::start(credentials).await.unwrap()
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
