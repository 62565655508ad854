//! # eftpay-sandbox — eftPay's gateway on your machine
//!
//! A real HTTP server speaking eftPay's endpoints, built from the same spec as the SDK: it
//! verifies and validates each request, answers with eftPay-like `return_status` codes, serves
//! a pay page where a person (or a test) pays, fails or cancels, delivers signed notifications to
//! `notify_url` until acknowledged, sends the payer back to `return_url`, answers Query and
//! processes refunds — and can be told to misbehave ([`Faults`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = eftpay_sandbox::Sandbox::start().await?;
//! let client = eftpay::Client::builder(sandbox.credentials().clone()).base_url(sandbox.base_url()).build()?;
//! // … place an order with `client`, pay it with `sandbox.pay(…)` or on its pay page …
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

pub mod browser;
mod codes;
mod control;
mod cross_site;
mod faults;
mod gateway;
pub mod merchant;
mod notifier;
mod pay_page;
mod reply;
mod state;
mod store;
mod time_window;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use eftpay::{Clock, Credentials, HkTime, SystemClock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use codes::Refusal;
pub use faults::Faults;
pub use notifier::{Delivery, DeliveryOutcome, NotificationKind};
pub use state::{Order, OrderState, Refund, RefundState};

use crate::state::Ledger;
use crate::store::Store;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}; pick another address or port")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The data file could not be used.
    #[error("sandbox data file: {0}")]
    DataFile(String),
}

/// How to run the sandbox. `Default` listens on `127.0.0.1:0` with generated credentials, no
/// data file, the system clock and production-like timings.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one. Keep it on loopback: anyone who can reach the
    /// sandbox can pay its orders. On an unspecified address (`0.0.0.0`, `[::]`) its links use
    /// loopback.
    pub addr: SocketAddr,
    /// The merchant credentials the sandbox accepts; generated when `None`.
    pub credentials: Option<Credentials>,
    /// Where orders are kept across restarts (SQLite); in memory when `None`.
    pub data_file: Option<PathBuf>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// How far a request's `time` may be from the sandbox clock before `12` (time mismatch).
    pub time_tolerance: Duration,
    /// Delivery attempts for services that notify until acknowledged.
    pub notification_attempts: u32,
    /// Wait before the second delivery; doubles each time.
    pub notification_backoff: Duration,
    /// How long an apply-refund stays APPLY_SUCCESS before it finishes.
    pub apply_refund_delay: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: None,
            data_file: None,
            clock: Arc::new(SystemClock),
            time_tolerance: Duration::from_secs(300),
            notification_attempts: 8,
            notification_backoff: Duration::from_secs(1),
            apply_refund_delay: Duration::from_millis(500),
        }
    }
}

/// State shared by the HTTP handlers and background deliveries.
pub(crate) struct Shared {
    pub credentials: Credentials,
    pub config: SandboxConfig,
    pub base_url: String,
    pub ledger: Mutex<Ledger>,
    pub faults: Mutex<Faults>,
    pub deliveries: Mutex<Vec<Delivery>>,
    pub store: Option<Mutex<Store>>,
    pub http: reqwest::Client,
}

/// Locks a mutex; a panic elsewhere cannot poison the books for good (no handler panics, but
/// the sandbox must keep answering regardless).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn now(&self) -> HkTime {
        self.config.clock.now()
    }

    /// Writes an order to the data file, if there is one.
    pub fn persist(&self, order: &Order) -> Result<(), SandboxError> {
        match &self.store {
            Some(store) => lock(store).save(order),
            None => Ok(()),
        }
    }

    /// Expires overdue orders and saves them (after releasing the ledger: no file I/O, and no
    /// other lock, is taken while the books are locked).
    pub fn expire_due(&self) {
        let now = self.now();
        let expired: Vec<Order> = {
            let mut ledger = lock(&self.ledger);
            let changed = ledger.expire_due(now);
            changed.iter().filter_map(|eft| ledger.get(eft).cloned()).collect()
        };
        for order in &expired {
            let _ = self.persist(order);
        }
    }

    /// The pay page of an order.
    pub fn pay_page_url(&self, eft_trade_no: &str) -> String {
        format!("{}/web/payPage?order={eft_trade_no}", self.base_url)
    }
}

/// A running sandbox gateway.
pub struct Sandbox {
    shared: Arc<Shared>,
    generated_secret: Option<String>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("base_url", &self.shared.base_url).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1:0` with generated credentials.
    ///
    /// # Errors
    /// The loopback port cannot be bound.
    pub async fn start() -> Result<Sandbox, SandboxError> {
        Sandbox::start_with(SandboxConfig::default()).await
    }

    /// Starts a sandbox as configured.
    ///
    /// # Errors
    /// The address cannot be bound, or the data file cannot be used.
    pub async fn start_with(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let (store, orders) = match &config.data_file {
            Some(path) => {
                let store = Store::open(path)?;
                let orders = store.load()?;
                (Some(Mutex::new(store)), orders)
            }
            None => (None, Vec::new()),
        };
        let (credentials, generated_secret) = match config.credentials.clone() {
            Some(credentials) => (credentials, None),
            None => {
                let (credentials, secret) = generated_credentials();
                (credentials, Some(secret))
            }
        };
        let shared = Arc::new(Shared {
            credentials,
            base_url: format!("http://{}/VMP", linkable(addr)),
            ledger: Mutex::new(Ledger::with_orders(orders)),
            faults: Mutex::new(Faults::default()),
            deliveries: Mutex::new(Vec::new()),
            store,
            http: notifier::http_client(),
            config,
        });
        notifier::resume_pending(&shared);
        let app = gateway::routes()
            .merge(pay_page::routes())
            .merge(control::routes())
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), cross_site::refuse_other_origins))
            .with_state(Arc::clone(&shared));
        let (shutdown, signal) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = signal.await;
                })
                .await;
        });
        Ok(Sandbox { shared, generated_secret, addr, shutdown: Some(shutdown), server: Some(server) })
    }

    /// Base URL for the SDK client: `http://127.0.0.1:PORT/VMP` (loopback, also when listening
    /// on every interface).
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The merchant credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// The pay page of an order.
    pub fn pay_page_url(&self, eft_trade_no: &str) -> String {
        self.shared.pay_page_url(eft_trade_no)
    }

    /// The secret the sandbox made up when started without credentials, so a person can
    /// configure a client for it; `None` when the caller chose the credentials (a chosen secret
    /// is never handed back).
    pub fn generated_secret(&self) -> Option<&str> {
        self.generated_secret.as_deref()
    }

    /// Pays a pending order, as the payer would on the pay page (notifications follow).
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn pay(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Paid)
    }

    /// Fails a pending order.
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn fail(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Failed)
    }

    /// Expires a pending order now, as if its `active_time` had passed.
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn expire(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Expired)
    }

    /// One order.
    pub fn order(&self, eft_trade_no: &str) -> Option<Order> {
        self.shared.expire_due();
        lock(&self.shared.ledger).get(eft_trade_no).cloned()
    }

    /// One order by the merchant's number.
    pub fn order_by_out_trade_no(&self, out_trade_no: &str) -> Option<Order> {
        self.shared.expire_due();
        lock(&self.shared.ledger).find(None, Some(out_trade_no)).cloned()
    }

    /// Every order.
    pub fn orders(&self) -> Vec<Order> {
        self.shared.expire_due();
        lock(&self.shared.ledger).orders().cloned().collect()
    }

    /// Switches faults on (replacing the current ones).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// The faults switched on now (countdowns as far as they have counted).
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).clone()
    }

    /// Every notification delivery attempt so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared.deliveries).clone()
    }

    /// Stops serving and waits for the server to finish.
    pub async fn shutdown(mut self) {
        self.stop().await;
    }

    async fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The address links point at: the one listened on, but loopback for an unspecified address
/// (`0.0.0.0`, `[::]`), which is where a server listens, not an address a browser can open.
fn linkable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port()),
        _ => addr,
    }
}

/// Credentials for a sandbox started without any: obviously not eftPay's, different per run.
fn generated_credentials() -> (Credentials, String) {
    use sha2::{Digest, Sha256};
    let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
    let digest = hex::encode(Sha256::digest(seed.as_bytes()));
    let key = format!("SBX{}", digest.get(..9).unwrap_or("000000000").to_uppercase());
    let secret = format!("sandbox-{}", digest.get(9..41).unwrap_or("secret"));
    (Credentials::new(key, secret.clone()), secret)
}
