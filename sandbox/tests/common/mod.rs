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

/// Waits until the sandbox logged at least `n` delivery attempts (at most 10 s); returns them.
pub async fn deliveries_at_least(sandbox: &Sandbox, n: usize) -> Vec<eftpay_sandbox::Delivery> {
    for _ in 0..1000 {
        if sandbox.deliveries().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sandbox.deliveries()
}
