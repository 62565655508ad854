//! A stand-in merchant on 127.0.0.1: the SDK's ready notify endpoint and a `return_url` page,
//! recording what arrives. The demo and the tests run the flow against it; merchants can use it
//! to watch what the sandbox sends before their own endpoint exists.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use eftpay::notify::{self, Notification, axum::notification_route};
use eftpay::{Credentials, SyncReturn};
use tokio::sync::oneshot;

use crate::{SandboxError, lock};

#[derive(Default)]
struct Seen {
    notifications: Mutex<Vec<Notification>>,
    returns: Mutex<Vec<SyncReturn>>,
    refuse: AtomicU32,
}

/// A running stand-in merchant.
pub struct Merchant {
    base: String,
    seen: Arc<Seen>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant").field("base", &self.base).finish_non_exhaustive()
    }
}

impl Merchant {
    /// Starts on `127.0.0.1:0`, verifying with `credentials`.
    ///
    /// # Errors
    /// No loopback port could be bound.
    pub async fn start(credentials: Credentials) -> Result<Merchant, SandboxError> {
        let seen = Arc::new(Seen::default());
        let for_notify = Arc::clone(&seen);
        let for_return = Arc::clone(&seen);
        let secret = credentials.secret.clone();
        let app = Router::new()
            .route(
                "/notify",
                notification_route(credentials, move |n| {
                    let seen = Arc::clone(&for_notify);
                    async move {
                        lock(&seen.notifications).push(n.into_message());
                        // Answer `false` while asked to, so re-delivery can be watched.
                        let refused =
                            seen.refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                        if refused { Err("refused on purpose") } else { Ok(()) }
                    }
                }),
            )
            .route(
                "/return",
                post(move |body: String| {
                    let seen = Arc::clone(&for_return);
                    let secret = secret.clone();
                    async move {
                        match notify::verify_return(&body, &secret) {
                            Ok(verified) => {
                                lock(&seen.returns).push(verified.into_message());
                                "thanks for your order"
                            }
                            Err(_) => "the payment result could not be verified",
                        }
                    }
                }),
            );
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|source| SandboxError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(|source| SandboxError::Bind { addr, source })?;
        let (shutdown, signal) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = signal.await;
                })
                .await;
        });
        Ok(Merchant { base: format!("http://{local}"), seen, shutdown: Some(shutdown) })
    }

    /// Its `notify_url`.
    pub fn notify_url(&self) -> String {
        format!("{}/notify", self.base)
    }

    /// Its `return_url`.
    pub fn return_url(&self) -> String {
        format!("{}/return", self.base)
    }

    /// Every verified notification received, duplicates included.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.seen.notifications).clone()
    }

    /// Every verified synchronous return received.
    pub fn returns(&self) -> Vec<SyncReturn> {
        lock(&self.seen.returns).clone()
    }

    /// Answers `false` to the next `n` notifications.
    pub fn refuse_next(&self, n: u32) {
        self.seen.refuse.store(n, Ordering::SeqCst);
    }

    /// Waits until at least `n` notifications arrived, or `timeout` passed; returns them all.
    pub async fn wait_for_notifications(&self, n: usize, timeout: Duration) -> Vec<Notification> {
        let deadline = tokio::time::Instant::now() + timeout;
        while lock(&self.seen.notifications).len() < n && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.notifications()
    }
}

impl Drop for Merchant {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
