//! A stand-in merchant on 127.0.0.1: a notify endpoint that verifies every notification of its
//! spec's catalog, whatever the scene, with the SDK's catalog-driven verification and answers
//! with the catalog's signed acknowledgement, and a return page that verifies the synchronous
//! return with the spec's return interface, recording what arrives. The demo and the tests run the flow against it; merchants can use it to watch
//! what the sandbox sends before their own endpoint exists.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use eftpay::Notification;
use eftpay::catalog::{Catalog, InterfaceInfo, TypedFields};
use eftpay::notify::{self, Answer};
use eftpay::rules::{Concept, Encoding, Purpose};
use eftpay::verify::verify_fields;
use eftpay::{Credentials, IncomingMessage, ReceivedFields, SystemClock};
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
        let typed = interface.typed_reader()?;
        typed(fields).ok().map(|fields| Received { interface, fields })
    }

    /// The value of the field standing for `concept`, if the message carries it.
    pub fn value(&self, concept: Concept) -> Option<&str> {
        self.interface.value_of(&self.fields, concept)
    }
}

#[derive(Default)]
struct Seen {
    /// Every verified notification body, as received.
    notifications: Mutex<Vec<ReceivedFields>>,
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
    /// Starts on `127.0.0.1:0` for the SDK's spec, verifying with `credentials`.
    ///
    /// # Errors
    /// No loopback port could be bound.
    pub async fn start(credentials: Credentials) -> Result<Merchant, SandboxError> {
        Merchant::start_in(&eftpay::CATALOG, credentials).await
    }

    /// Starts on `127.0.0.1:0` for the spec of `catalog` (a fixture's included), verifying with
    /// `credentials` and acknowledging with the catalog's acknowledgement.
    ///
    /// # Errors
    /// No loopback port could be bound.
    pub async fn start_in(catalog: &'static Catalog, credentials: Credentials) -> Result<Merchant, SandboxError> {
        let seen = Arc::new(Seen::default());
        let for_notify = Arc::clone(&seen);
        let for_return = Arc::clone(&seen);
        let secret = credentials.secret.clone();
        let credentials = Arc::new(credentials);
        let app = Router::new()
            .route(
                "/notify",
                post(move |body: String| {
                    let seen = Arc::clone(&for_notify);
                    let credentials = Arc::clone(&credentials);
                    async move { notified(catalog, &seen, &credentials, &body) }
                }),
            )
            .route(
                "/return",
                post(move |body: String| {
                    let seen = Arc::clone(&for_return);
                    let secret = secret.clone();
                    async move {
                        match read_return(catalog, &body, &secret) {
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

    /// Every verified notification received, duplicates included, typed as the SDK's
    /// [`Notification`] (a fixture spec's notifications are in [`received`](Self::received)).
    pub fn notifications(&self) -> Vec<Notification> {
        lock(&self.seen.notifications).iter().filter_map(|fields| Notification::from_fields(fields).ok()).collect()
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

    /// Waits until at least `n` notifications arrived, or `timeout` passed; returns them all
    /// (typed as the SDK's; see [`notifications`](Self::notifications)).
    pub async fn wait_for_notifications(&self, n: usize, timeout: Duration) -> Vec<Notification> {
        let deadline = tokio::time::Instant::now() + timeout;
        while lock(&self.seen.notifications).len() < n && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.notifications()
    }
}

/// A notification: verified and recognized through the catalog, recorded, and answered with
/// the catalog's signed acknowledgement — "not handled" while asked to refuse, so re-delivery can
/// be watched, and for anything that does not verify.
fn notified(catalog: &'static Catalog, seen: &Seen, credentials: &Credentials, body: &str) -> Response {
    let answer = match notify::verify_notification_in(catalog, body, &credentials.secret) {
        Ok(recognized) => {
            // Verifying read it as its interface's type already; that reading is what is kept.
            let received = Received { interface: recognized.interface, fields: recognized.verified.message().clone() };
            lock(&seen.received).push(received);
            lock(&seen.notifications).push(recognized.verified.fields().clone());
            let refused = seen.refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
            if refused { Answer::NotHandled } else { Answer::Handled }
        }
        Err(_) => Answer::NotHandled,
    };
    match notify::acknowledge_in(catalog, answer, credentials, &SystemClock) {
        Ok(ack) => ([(header::CONTENT_TYPE, ack.content_type())], ack.body).into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// A synchronous return, verified and read as the spec's return interface.
fn read_return(catalog: &'static Catalog, body: &str, secret: &eftpay::Secret) -> Option<Received> {
    let fields = ReceivedFields::from_form(body).ok()?;
    verify_fields(&fields, secret).ok()?;
    catalog
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
