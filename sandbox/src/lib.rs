//! # eftpay-sandbox — eftPay's gateway on your machine
//!
//! A real HTTP server speaking every endpoint of every scene of the spec the SDK is built from
//! (web, qrcode, app, cashier …), and choosing what to do by each interface's purpose: it
//! verifies and validates each request with the generated validators, places orders, serves a
//! pay page where a person (or a test) pays — choosing the wallet where the payer chooses —,
//! delivers signed notifications until acknowledged, sends the payer back to the return address,
//! answers queries, refunds, applied refunds and closes — and can be told to misbehave
//! ([`Faults`]). Every message it sends is composed from the spec's field tables by concept, in
//! the form the generated types write (notifications are read through them before they are
//! signed; replies are checked against them in tests); codes come from the spec by meaning.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = eftpay_sandbox::Sandbox::start().await?;
//! let client = eftpay::Client::builder(sandbox.credentials().clone()).base_url(sandbox.base_url()).build()?;
//! // … place an order with `client`, pay it with `sandbox.pay(…)` or on its pay page …
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod background;
mod books;
pub mod browser;
mod codes;
mod control;
mod cross_site;
mod faults;
mod gateway;
mod incoming;
pub mod merchant;
mod notifier;
mod outgoing;
mod paths;
mod pay_page;
mod purposes;
pub mod remote;
mod reply;
mod server;
mod state;
mod store;
mod time_window;
mod writer;

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use eftpay::catalog::Catalog;
use eftpay::rules::{Encoding, Meaning};
use eftpay::{Clock, Credentials, HkTime, SystemClock};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use codes::Refusal;
pub use faults::Faults;
pub use notifier::{Delivery, DeliveryOutcome};
pub use outgoing::Sent;
pub use server::MAX_CONNECTIONS_CEILING;
pub use state::{Order, OrderState, Refund, RefundState};
pub use writer::WRITER_THREAD;

use crate::background::Background;
use crate::books::{Books, Change};
use crate::faults::take;
use crate::store::Store;
use crate::writer::{Answer, Job, Writer};

/// The crate README's example, compiled as a doc test so the front page cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// How many sent messages [`Sandbox::sent`] keeps: the latest, so a long-running sandbox does
/// not grow without bound.
pub const SENT_KEPT: usize = 10_000;

/// How many notification delivery attempts [`Sandbox::deliveries`] keeps: the latest, so a
/// long-running sandbox (or a merchant that never acknowledges) does not grow the log without
/// bound.
pub const DELIVERIES_KEPT: usize = 10_000;

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
    /// The HTTP client that delivers notifications could not start.
    #[error("the sandbox's HTTP client could not start: {0}")]
    Http(String),
    /// The spec has a request endpoint the sandbox cannot serve: one of its own paths, or one
    /// its router would read as a pattern. Nothing was started.
    #[error(
        "cannot serve the spec's {interface} interface at its endpoint {endpoint}: {reason}; give {interface} \
         another endpoint in the spec"
    )]
    Endpoint {
        /// The interface (spec name).
        interface: &'static str,
        /// Its endpoint, as the spec gives it.
        endpoint: &'static str,
        /// Why it cannot be served.
        reason: String,
    },
}

/// How to run the sandbox. `Default` listens on `127.0.0.1:0` with generated credentials, the
/// SDK's spec, no data file, the system clock and production-like timings.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free one. Keep it on loopback: anyone who can reach the
    /// sandbox can pay its orders. On an unspecified address (`0.0.0.0`, `[::]`) its links use
    /// loopback.
    pub addr: SocketAddr,
    /// A host name (without port) the sandbox is reached by besides its address and loopback
    /// names, e.g. a LAN name; its links then use it. Requests addressed to any other name are
    /// refused, so a web page cannot reach the sandbox through a name of its own that resolves
    /// here (DNS rebinding).
    pub host: Option<String>,
    /// The spec the gateway serves: every interface of every scene in it.
    pub catalog: &'static Catalog,
    /// The merchant credentials the sandbox accepts; generated when `None`.
    pub credentials: Option<Credentials>,
    /// Where orders are kept across restarts (SQLite); in memory when `None`.
    pub data_file: Option<PathBuf>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// How far a request's time may be from the sandbox clock before it is refused as a time
    /// mismatch.
    pub time_tolerance: Duration,
    /// Delivery attempts for services that notify until acknowledged.
    pub notification_attempts: u32,
    /// Wait before the second delivery; doubles each time.
    pub notification_backoff: Duration,
    /// How long an applied refund stays accepted before it finishes.
    pub apply_refund_delay: Duration,
    /// How long a connection may take, from being ready for a request (accepted, or its previous
    /// answer sent), to send that request's headers: so also how long a kept-alive connection
    /// may stay idle before it is closed.
    pub header_timeout: Duration,
    /// How long a request's body may take to arrive after its headers; a body later than this
    /// fails to read and the request is refused.
    pub body_timeout: Duration,
    /// The most connections kept open; at the cap, the oldest one not answering a request is
    /// closed to make room for a new one. `None`: three quarters of the process's open-file limit
    /// (`ulimit -n`), at most [`MAX_CONNECTIONS_CEILING`]; a larger number is lowered to that.
    pub max_connections: Option<usize>,
    /// How long stopping waits for the requests being answered; connections still open then are
    /// closed, so [`Sandbox::shutdown`] returns within about this long.
    pub shutdown_timeout: Duration,
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The catalog is the whole spec: its size says which one without printing it.
        f.debug_struct("SandboxConfig")
            .field("addr", &self.addr)
            .field("host", &self.host)
            .field("catalog_interfaces", &self.catalog.interfaces.len())
            .field("credentials", &self.credentials)
            .field("data_file", &self.data_file)
            .field("clock", &self.clock)
            .field("time_tolerance", &self.time_tolerance)
            .field("notification_attempts", &self.notification_attempts)
            .field("notification_backoff", &self.notification_backoff)
            .field("apply_refund_delay", &self.apply_refund_delay)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("max_connections", &self.max_connections)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            host: None,
            catalog: &eftpay::CATALOG,
            credentials: None,
            data_file: None,
            clock: Arc::new(SystemClock),
            time_tolerance: Duration::from_secs(300),
            notification_attempts: 8,
            notification_backoff: Duration::from_secs(1),
            apply_refund_delay: Duration::from_millis(500),
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_connections: None,
            shutdown_timeout: Duration::from_secs(5),
        }
    }
}

/// State shared by the HTTP handlers and background work.
pub(crate) struct Shared {
    pub catalog: &'static Catalog,
    pub credentials: Credentials,
    pub config: SandboxConfig,
    pub base_url: String,
    pub addr: SocketAddr,
    pub records: Mutex<Records>,
    pub faults: Mutex<Faults>,
    pub sent: Mutex<VecDeque<Sent>>,
    pub http: reqwest::Client,
    pub background: Background,
    /// The data file's writer thread (group commit), when there is a data file.
    writer: Option<Writer>,
    /// The fields each request's notifications echo, found once.
    pub echoes: incoming::Echoes,
    /// The interface each service names at each endpoint, found once.
    pub services: gateway::Services,
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

    /// Reads the books, after recording the expiries that are due.
    pub fn read<T>(&self, read: impl FnOnce(&Books) -> T) -> T {
        let now = self.now();
        let mut records = lock(&self.records);
        records.expire_due(now);
        read(&records.books)
    }

    /// Plans a change with `plan`, commits it to the data file and only then applies it to the
    /// books, all under the records' lock (books.rs: plan, commit, apply). A change the data
    /// file refuses (or the `fail_writes` fault fails) changes nothing and is refused with the
    /// system-error answer.
    ///
    /// # Errors
    /// What `plan` refuses, or the commit failed.
    pub fn change<T>(&self, plan: impl FnOnce(&Books, HkTime) -> Result<(Change, T), Refusal>) -> Result<T, Refusal> {
        let now = self.now();
        let mut records = lock(&self.records);
        records.expire_due(now);
        let (change, planned) = plan(&records.books, now)?;
        // Only a change that writes something counts down the fault (a retried request that
        // writes nothing is no change). Records, then faults: nothing takes them the other way.
        let fail = !change.is_empty() && take(&mut lock(&self.faults).fail_writes);
        records.commit(change, fail).map_err(|e| Refusal::new(Meaning::ServerError, e.to_string()))?;
        Ok(planned)
    }

    /// [`change`](Self::change), for a request handler: with a data file, the change is
    /// committed by the writer thread together with those of the requests queued with it, in
    /// one transaction (group commit, `writer.rs`); the request is answered after that commit,
    /// and if it fails every request of the group is refused with the system-error answer and
    /// nothing of the group stays in memory. In memory, the change is made at once.
    ///
    /// # Errors
    /// What `plan` refuses, or the commit failed.
    pub async fn change_in_group<T: Send + 'static>(
        &self,
        plan: impl FnOnce(&Books, HkTime) -> Result<(Change, T), Refusal> + Send + 'static,
    ) -> Result<T, Refusal> {
        let Some(writer) = &self.writer else { return self.change(plan) };
        let stopped = || Refusal::new(Meaning::ServerError, "the sandbox is stopping; nothing was saved or changed");
        let (sender, answered) = oneshot::channel();
        let job: Job = Box::new(move |books, now| {
            let (change, planned) = match plan(books, now) {
                Ok((change, planned)) => (change, Ok(planned)),
                Err(refusal) => (Change::default(), Err(refusal)),
            };
            let answer: Answer = Box::new(move |outcome| {
                // Refused when the group failed, whatever the plan said: it was planned against
                // changes that never happened.
                let _ = sender.send(outcome.and(planned));
            });
            (change, answer)
        });
        writer.send(job).map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }

    /// The writer thread's part of a group commit (`writer.rs`): under the records' lock, the
    /// queued requests are planned, written and committed together. Requests that queued while
    /// the lock was waited for join the group.
    fn commit_group(&self, first: Job, queued: &Receiver<Job>) -> Vec<(Answer, Result<(), Refusal>)> {
        let now = self.now();
        let mut records = lock(&self.records);
        records.expire_due(now);
        let jobs = std::iter::once(first).chain(queued.try_iter().take(writer::MAX_GROUP - 1));
        let Records { books, store, .. } = &mut *records;
        match store {
            Some(store) => writer::commit_group(books, store, &self.faults, jobs, now),
            // Not started without a data file; were it, each change is made at once.
            None => jobs
                .map(|job| {
                    let (change, answer) = job(books, now);
                    if !change.is_empty() && take(&mut lock(&self.faults).fail_writes) {
                        return (answer, Err(writer::not_saved(&store::CommitError::injected())));
                    }
                    books.apply(change);
                    (answer, Ok(()))
                })
                .collect(),
        }
    }

    /// The pay page of an order.
    pub fn pay_page_url(&self, eft_trade_no: &str) -> String {
        // `format!` costs more than the pushes; every order placed makes this link.
        const QUERY: &str = "?order=";
        let mut url =
            String::with_capacity(self.base_url.len() + paths::PAY_PAGE.len() + QUERY.len() + eft_trade_no.len());
        url.push_str(&self.base_url);
        url.push_str(paths::PAY_PAGE);
        url.push_str(QUERY);
        url.push_str(eft_trade_no);
        url
    }

    /// The sandbox's own origin (`http://HOST:PORT`): its base URL without the gateway root.
    pub fn origin(&self) -> &str {
        self.base_url.strip_suffix(paths::GATEWAY_ROOT).unwrap_or(&self.base_url)
    }

    /// Keeps a copy of a message as it went out.
    pub fn record(&self, interface: &'static str, encoding: Encoding, body: &str) {
        keep_latest(&mut lock(&self.sent), Sent { interface, encoding, body: body.to_owned() }, SENT_KEPT);
    }

    /// Logs a notification delivery attempt (in the data file too, when there is one), under
    /// the next delivery id.
    pub fn log_delivery(&self, mut delivery: Delivery) {
        let mut records = lock(&self.records);
        delivery.id = records.deliveries.back().map_or(records.last_delivery, |last| last.id).saturating_add(1);
        if let Some(store) = &mut records.store
            && let Err(error) = store.log_delivery(&delivery, DELIVERIES_KEPT)
        {
            tracing::warn!(%error, "the delivery log could not be saved");
            return;
        }
        keep_latest(&mut records.deliveries, delivery, DELIVERIES_KEPT);
    }

    /// The delivery log after delivery `after` (0: all kept), oldest first.
    pub fn deliveries(&self, after: u64) -> Vec<Delivery> {
        let records = lock(&self.records);
        // Ids grow along the log: skip what was seen without reading it.
        let seen = records.deliveries.partition_point(|d| d.id <= after);
        records.deliveries.range(seen..).cloned().collect()
    }
}

/// The books, the data file they are committed to, and the delivery log: changed together,
/// under one lock, the file first (books.rs).
pub(crate) struct Records {
    pub books: Books,
    store: Option<Store>,
    deliveries: VecDeque<Delivery>,
    /// The last delivery id given before those in `deliveries` (from the data file).
    last_delivery: u64,
}

impl Records {
    /// Commits `change` to the data file, if there is one, then applies it to the books.
    fn commit(&mut self, change: Change, fail: bool) -> Result<(), store::CommitError> {
        if change.is_empty() {
            return Ok(());
        }
        match &mut self.store {
            Some(store) => store.commit(&change, fail)?,
            None if fail => return Err(store::CommitError::injected()),
            None => {}
        }
        self.books.apply(change);
        Ok(())
    }

    /// Records the expiries due at `now`. One that cannot be committed stays pending in the
    /// books as in the file (and is still refused as expired: `Order::state_at`); the next
    /// request tries again.
    fn expire_due(&mut self, now: HkTime) {
        let due = self.books.expire_due(now);
        if let Err(error) = self.commit(due, false) {
            tracing::warn!(%error, "expired orders could not be saved");
        }
    }
}

/// Appends `item`, dropping the oldest so that at most `kept` remain.
fn keep_latest<T>(log: &mut VecDeque<T>, item: T, kept: usize) {
    while log.len() >= kept.max(1) {
        log.pop_front();
    }
    log.push_back(item);
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
    /// The spec has an endpoint the sandbox cannot serve ([`SandboxError::Endpoint`]), the
    /// address cannot be bound, or the data file cannot be used.
    pub async fn start_with(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        paths::check_endpoints(config.catalog)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
        let (store, loaded) = match &config.data_file {
            Some(path) => {
                let store = Store::open(path)?;
                let loaded = store.load(config.catalog, DELIVERIES_KEPT)?;
                (Some(store), loaded)
            }
            None => (None, store::Loaded::default()),
        };
        let records = Records {
            books: Books::with(loaded.orders, loaded.refunds),
            store,
            last_delivery: loaded.last_delivery,
            deliveries: loaded.deliveries.into(),
        };
        let (credentials, generated_secret) = match config.credentials.clone() {
            Some(credentials) => (credentials, None),
            None => {
                let (credentials, secret) = generated_credentials();
                (credentials, Some(secret))
            }
        };
        let host = config.host.as_deref().map(cross_site::host_name).filter(|h| !h.is_empty());
        let base_url = match host {
            Some(host) => format!("http://{host}:{}{}", addr.port(), paths::GATEWAY_ROOT),
            None => format!("http://{}{}", linkable(addr), paths::GATEWAY_ROOT),
        };
        let (writer, jobs) = match records.store {
            Some(_) => {
                let (writer, jobs) = Writer::queue();
                (Some(writer), Some(jobs))
            }
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            catalog: config.catalog,
            credentials,
            base_url,
            addr,
            records: Mutex::new(records),
            faults: Mutex::new(Faults::default()),
            sent: Mutex::new(VecDeque::new()),
            http: notifier::http_client()?,
            background: Background::on(tokio::runtime::Handle::try_current().ok()),
            echoes: incoming::Echoes::of_catalog(config.catalog),
            services: gateway::Services::of_catalog(config.catalog),
            config,
            writer,
        });
        if let Some(jobs) = jobs {
            Writer::start(Arc::downgrade(&shared), jobs)?;
        }
        notifier::resume_pending(&shared);
        let app = gateway::routes(shared.catalog)
            .merge(pay_page::routes())
            .merge(control::routes())
            .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), cross_site::refuse_other_origins))
            .with_state(Arc::clone(&shared));
        let (shutdown, signal) = oneshot::channel::<()>();
        let server = tokio::spawn(server::serve(listener, app, server::Limits::of(&shared.config), signal));
        Ok(Sandbox { shared, generated_secret, addr, shutdown: Some(shutdown), server: Some(server) })
    }

    /// Base URL for the SDK client: `http://127.0.0.1:PORT/VMP` (loopback, also when listening
    /// on every interface; the configured host when there is one).
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

    /// The spec it serves.
    pub fn catalog(&self) -> &'static Catalog {
        self.shared.catalog
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

    /// Pays a pending order, as the payer would on the pay page (notifications follow). An order
    /// whose payer chooses the wallet is paid with the first wallet its service offers.
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn pay(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Paid, None)
    }

    /// Pays a pending order with `wallet`, as a payer choosing it on the pay page would: the
    /// order then carries that wallet and its payType (in notifications, the synchronous return
    /// and queries).
    ///
    /// # Errors
    /// No such order; not waiting for payment; a wallet its service does not offer, or not the
    /// order's own.
    pub fn pay_with(&self, eft_trade_no: &str, wallet: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Paid, Some(wallet))
    }

    /// Fails a pending order.
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn fail(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Failed, None)
    }

    /// Expires a pending order now, as if its active time had passed.
    ///
    /// # Errors
    /// No such order, or it is not waiting for payment.
    pub fn expire(&self, eft_trade_no: &str) -> Result<Order, Refusal> {
        control::settle(&self.shared, eft_trade_no, OrderState::Expired, None)
    }

    /// One order.
    pub fn order(&self, eft_trade_no: &str) -> Option<Order> {
        self.shared.read(|books| books.get(eft_trade_no).cloned())
    }

    /// One order by the merchant's number.
    pub fn order_by_out_trade_no(&self, out_trade_no: &str) -> Option<Order> {
        self.shared.read(|books| books.find(None, Some(out_trade_no)).cloned())
    }

    /// Every order, in the order placed. A copy of all the books: for tests, not for a sandbox
    /// holding a million orders (the control API lists the newest, up to a limit).
    pub fn orders(&self) -> Vec<Order> {
        let mut orders = self.shared.read(|books| books.orders().cloned().collect::<Vec<_>>());
        orders.sort_unstable_by_key(|o| o.seq);
        orders
    }

    /// The refunds of an order, in the order made.
    pub fn refunds(&self, eft_trade_no: &str) -> Vec<Refund> {
        self.shared.read(|books| books.refunds_of(eft_trade_no).into_iter().cloned().collect())
    }

    /// Switches faults on (replacing the current ones).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// The faults switched on now (countdowns as far as they have counted).
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).clone()
    }

    /// The latest notification delivery attempts (at most [`DELIVERIES_KEPT`]), oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries(0)
    }

    /// The latest messages the sandbox sent (at most [`SENT_KEPT`]), oldest first: every reply,
    /// notification delivery and synchronous return, as it went on the wire — including
    /// deliveries forged on purpose ([`Faults::tamper_notifications`]), which do not verify.
    pub fn sent(&self) -> Vec<Sent> {
        lock(&self.shared.sent).iter().cloned().collect()
    }

    /// Stops serving, waits for the requests being answered (at most
    /// [`SandboxConfig::shutdown_timeout`]; connections still open then are closed), and stops
    /// the deliveries and applied refunds still under way (a data file keeps what they owe for
    /// the next start).
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
        self.shared.background.stop().await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.shared.background.abort();
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
