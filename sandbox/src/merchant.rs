//! A stand-in merchant on 127.0.0.1: the SDK's ready notify endpoint (which recognises every
//! notification of the spec, whatever the scene) and a return page that verifies the
//! synchronous return with the SDK's verification and the spec's return interface, recording
//! what arrives. The demo and the tests run the flow against it; merchants can use it to watch
//! what the sandbox sends before their own endpoint exists.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use eftpay::catalog::{InterfaceInfo, TypedFields};
use eftpay::notify::{Notification, axum::notification_route};
use eftpay::rules::{Concept, Encoding, Purpose};
use eftpay::verify::verify_fields;
use eftpay::{CATALOG, Credentials, ReceivedFields};
use tokio::sync::oneshot;

use crate::{SandboxError, lock};

/// A verified message the merchant received: which interface of the spec, and its fields as the
/// interface's generated type reads them.
#[derive(Clone, Debug)]
pub struct Received {
    /// The interface.
    pub interface: &'static InterfaceInfo,
    /// The fields its type holds, and the names of any it does not model.
    pub fields: TypedFields,
}

impl Received {
    /// Reads verified `fields` as `interface`'s generated type.
    fn read(interface: &'static InterfaceInfo, fields: &ReceivedFields) -> Option<Received> {
        let typed = interface.codec.typed?;
        typed(fields).ok().map(|fields| Received { interface, fields })
    }

    /// The value of the field standing for `concept`, if the message carries it.
    pub fn value(&self, concept: Concept) -> Option<&str> {
        self.interface
            .fields_for(concept)
            .find_map(|f| self.fields.fields.iter().find(|(n, _)| *n == f.wire).map(|(_, v)| v.as_str()))
    }
}

#[derive(Default)]
struct Seen {
    notifications: Mutex<Vec<Notification>>,
    received: Mutex<Vec<Received>>,
    returns: Mutex<Vec<Received>>,
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

/// The page the return address answers with when the return verifies.
pub const THANKS: &str = "thanks for your order";

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
                notification_route(credentials, move |verified| {
                    let seen = Arc::clone(&for_notify);
                    async move {
                        let received = CATALOG
                            .recognise_notification(verified.fields())
                            .and_then(|interface| Received::read(interface, verified.fields()));
                        if let Some(received) = received {
                            lock(&seen.received).push(received);
                        }
                        lock(&seen.notifications).push(verified.into_message());
                        // Answer "not handled" while asked to, so re-delivery can be watched.
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
                        match read_return(&body, &secret) {
                            Some(received) => {
                                lock(&seen.returns).push(received.clone());
                                lock(&seen.received).push(received);
                                THANKS
                            }
                            None => "the payment result could not be verified",
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

    /// Its notify address.
    pub fn notify_url(&self) -> String {
        format!("{}/notify", self.base)
    }

    /// Its return address.
    pub fn return_url(&self) -> String {
        format!("{}/return", self.base)
    }

    /// Every verified notification received, duplicates included, typed.
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.seen.notifications).clone()
    }

    /// Every verified synchronous return received.
    pub fn returns(&self) -> Vec<Received> {
        lock(&self.seen.returns).clone()
    }

    /// Every verified message received (notifications and returns), in arrival order, with its
    /// interface and fields.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.seen.received).clone()
    }

    /// Answers "not handled" to the next `n` notifications.
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

/// A synchronous return, verified and read as the spec's return interface.
fn read_return(body: &str, secret: &eftpay::Secret) -> Option<Received> {
    let fields = ReceivedFields::from_form(body).ok()?;
    verify_fields(&fields, secret).ok()?;
    CATALOG
        .interfaces
        .iter()
        .copied()
        .filter(|i| i.purpose == Purpose::SyncReturn && i.encoding == Encoding::Form)
        .find_map(|interface| Received::read(interface, &fields))
}

impl Drop for Merchant {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
