//! The sandbox's HTTP/1.1 serving loop: accepts connections and hands each request to the
//! router, with every limit a long-running gateway needs so that slow, idle or stuck clients
//! never lock others out or keep a stopping sandbox alive.
//!
//! `axum::serve` offers none of these knobs (no timer, so no header timeout; no cap; its
//! graceful shutdown waits for every connection without end), so the loop is hyper's own
//! HTTP/1 connection builder, driven here. The limits, all in [`SandboxConfig`]:
//!
//! - **Header timeout** ([`SandboxConfig::header_timeout`], 30 s): hyper's header read timeout.
//!   Its clock starts when a connection is ready for a request — when accepted, and again when
//!   the previous answer is sent — and stops when that request's headers are complete. So it is
//!   also the **idle keep-alive timeout**: one clock bounds both a kept-alive connection left
//!   idle and a client sending its headers a byte at a time. 30 s is hyper's own default, long
//!   enough for a person's browser to reuse a connection between clicks on the pay page.
//! - **Body timeout** ([`SandboxConfig::body_timeout`], 30 s): from the headers' arrival until
//!   the body is complete, as one deadline. tower-http's `RequestBodyTimeoutLayer` was not used:
//!   its timer restarts at every frame, so a client dripping a byte at a time holds a connection
//!   for good. A body late past the deadline fails to read, and the request is refused.
//! - **Connection cap** ([`SandboxConfig::max_connections`]): at most this many connections are
//!   open; by default (and at most) three quarters of the process's open-file limit, at most
//!   [`MAX_CONNECTIONS_CEILING`], leaving the rest for the data file, the notification client's
//!   sockets and the runtime. When the cap is reached, the **oldest connection with no request
//!   being answered** (an idle keep-alive, or one still sending headers) is closed to make room,
//!   so a new client is answered at once however many idle clients there are; a browser or a
//!   client pool reconnects by itself. Only when every connection is answering a request does a
//!   new one wait (in the listen backlog) for one to finish, which the body timeout bounds.
//!   Closing the oldest idle connection was chosen over making new clients wait a bounded time:
//!   waiting would let idle clients lock out a new one for that whole time, every time.
//! - **Shutdown deadline** ([`SandboxConfig::shutdown_timeout`], 5 s): stopping stops accepting,
//!   closes at once every connection that has no request being answered (nothing is in flight
//!   there: an idle keep-alive, or headers not yet complete), and lets the requests being
//!   answered finish, each connection closing after its answer. Whatever is still open at the
//!   deadline (a body that never completes, a client that never reads its answer) is closed.
//!   So stopping takes at most the deadline, whatever the clients do.
//!
//! A request whose headers complete just as its connection is closed for room or for shutdown
//! is lost before any handler sees it: the client sees the connection close, exactly as when a
//! keep-alive connection times out, and nothing was booked.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

use crate::{SandboxConfig, lock};

/// The most connections the sandbox keeps open, whatever the open-file limit: beyond this the
/// sandbox's single-process books, not the connections, are what limits it.
pub const MAX_CONNECTIONS_CEILING: usize = 16_384;

/// How often a full sandbox looks again for an idle connection to close, when every connection
/// was answering a request.
const RECHECK_WHEN_FULL: Duration = Duration::from_millis(100);

/// The limits one serving loop runs with, read from the config once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    header_timeout: Duration,
    body_timeout: Duration,
    max_connections: usize,
    shutdown_timeout: Duration,
}

impl Limits {
    /// The config's limits, the connection cap held below the open-file limit.
    pub fn of(config: &SandboxConfig) -> Limits {
        let allowed = connections_allowed();
        let max_connections = match config.max_connections {
            Some(asked) if asked > allowed => {
                tracing::warn!(
                    asked,
                    allowed,
                    "max_connections is above what the open-file limit leaves room for; using {allowed} (raise \
                     `ulimit -n` to allow more)"
                );
                allowed
            }
            Some(asked) => asked.max(1),
            None => allowed,
        };
        Limits {
            header_timeout: config.header_timeout,
            body_timeout: config.body_timeout,
            max_connections,
            shutdown_timeout: config.shutdown_timeout,
        }
    }
}

/// Three quarters of the soft open-file limit (the rest is for the data file, the notification
/// client's sockets, the runtime and the standard streams), at least one and at most
/// [`MAX_CONNECTIONS_CEILING`].
fn connections_allowed() -> usize {
    let limit = open_file_limit().unwrap_or(1024);
    usize::try_from(limit / 4 * 3).unwrap_or(usize::MAX).clamp(1, MAX_CONNECTIONS_CEILING)
}

/// The soft open-file limit (`u64::MAX` when unlimited); `None` where there is none to read,
/// and then the common 1024 is assumed.
#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    Some(rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(u64::MAX))
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Serves `app` on `listener` until `stop` fires (or is dropped), then shuts down within
/// `limits.shutdown_timeout`.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, stop: oneshot::Receiver<()>) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let open = Open::default();
    let room = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    let (stopping, stopped) = watch::channel(false);
    let mut stop = stop;
    loop {
        while connections.try_join_next().is_some() {}
        let permit = loop {
            if let Ok(permit) = Arc::clone(&room).try_acquire_owned() {
                break Some(permit);
            }
            open.close_oldest_idle();
            // Every connection may be answering a request: look again shortly, as one of them
            // may have gone idle meanwhile without closing.
            tokio::select! {
                permit = Arc::clone(&room).acquire_owned() => break permit.ok(),
                () = tokio::time::sleep(RECHECK_WHEN_FULL) => {}
                _ = &mut stop => break None,
            }
        };
        let Some(permit) = permit else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors or a connection reset before it was accepted: wait
                    // a moment rather than spin, then go on serving.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let answering = Arc::new(AtomicBool::new(false));
        let service = {
            let app = app.clone();
            let answering = Arc::clone(&answering);
            let body_timeout = limits.body_timeout;
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let answering = Answering::start(Arc::clone(&answering));
                let request = request.map(|body| DeadlineBody::new(body, body_timeout));
                let answer = app.clone().oneshot(request);
                async move {
                    // Answering until the response's body is sent (hyper drops it then).
                    answer.await.map(|response| response.map(|body| AnsweringBody { body, _answering: answering }))
                }
            })
        };
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let mut stopped = stopped.clone();
        let registration = open.register(Arc::clone(&answering), permit);
        let id = registration.id;
        let task = connections.spawn(async move {
            let _registration = registration;
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stopped.wait_for(|stopping| *stopping) => {}
            }
            // Stopping: answer the request under way, then close (an idle connection closes now).
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
        open.set_abort(id, task);
    }
    drop(listener);
    let _ = stopping.send(true);
    open.close_all_idle();
    let drained =
        tokio::time::timeout(limits.shutdown_timeout, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(
            left = connections.len(),
            "connections still open at the shutdown deadline ({:?}) were closed",
            limits.shutdown_timeout
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

/// The open connections, oldest first, and whether each is answering a request.
#[derive(Clone, Default)]
struct Open {
    inner: Arc<Mutex<OpenInner>>,
}

#[derive(Default)]
struct OpenInner {
    next: u64,
    connections: BTreeMap<u64, Connection>,
}

struct Connection {
    answering: Arc<AtomicBool>,
    abort: Option<AbortHandle>,
}

impl Connection {
    fn idle(&self) -> bool {
        !self.answering.load(Ordering::SeqCst)
    }
}

/// A connection's place among the open ones and its room under the cap: both given back when
/// its task ends, however it ends (closed by the client, timed out, or aborted).
struct Registration {
    open: Open,
    id: u64,
    _room: OwnedSemaphorePermit,
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.open.inner).connections.remove(&self.id);
    }
}

impl Open {
    fn register(&self, answering: Arc<AtomicBool>, room: OwnedSemaphorePermit) -> Registration {
        let mut inner = lock(&self.inner);
        let id = inner.next;
        inner.next += 1;
        inner.connections.insert(id, Connection { answering, abort: None });
        Registration { open: self.clone(), id, _room: room }
    }

    /// Records how to close connection `id` (its task has started; it may even have ended).
    fn set_abort(&self, id: u64, abort: AbortHandle) {
        if let Some(connection) = lock(&self.inner).connections.get_mut(&id) {
            connection.abort = Some(abort);
        }
    }

    /// Closes the oldest connection that is not answering a request, if any.
    fn close_oldest_idle(&self) {
        let inner = lock(&self.inner);
        if let Some(abort) = inner.connections.values().find(|c| c.idle()).and_then(|c| c.abort.as_ref()) {
            abort.abort();
        }
    }

    /// Closes every connection that is not answering a request.
    fn close_all_idle(&self) {
        let inner = lock(&self.inner);
        for abort in inner.connections.values().filter(|c| c.idle()).filter_map(|c| c.abort.as_ref()) {
            abort.abort();
        }
    }
}

/// Marks a connection as answering a request: from its headers' arrival until its response is
/// sent.
struct Answering(Arc<AtomicBool>);

impl Answering {
    fn start(flag: Arc<AtomicBool>) -> Answering {
        flag.store(true, Ordering::SeqCst);
        Answering(flag)
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// A response body that keeps its connection marked as answering until it is sent.
struct AnsweringBody {
    body: axum::body::Body,
    _answering: Answering,
}

impl Body for AnsweringBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A request body that must be complete within a deadline set when its headers arrived.
struct DeadlineBody {
    body: Incoming,
    deadline: Instant,
    /// The timer for `deadline`, made the first time the body is waited for: most bodies arrive
    /// with their headers and never need one (it is an allocation per request saved).
    timer: Option<Pin<Box<Sleep>>>,
    timeout: Duration,
}

impl DeadlineBody {
    fn new(body: Incoming, timeout: Duration) -> DeadlineBody {
        DeadlineBody { body, deadline: Instant::now() + timeout, timer: None, timeout }
    }
}

impl Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.body).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(Into::into))),
            Poll::Pending => match this
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(this.deadline)))
                .as_mut()
                .poll(cx)
            {
                Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTooSlow(this.timeout))))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The request body did not arrive within the body timeout.
#[derive(Debug)]
struct BodyTooSlow(Duration);

impl fmt::Display for BodyTooSlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the request body did not arrive within {:?} of its headers; send it at once", self.0)
    }
}

impl Error for BodyTooSlow {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_cap_above_the_open_file_limit_is_lowered_below_it() {
        let allowed = connections_allowed();
        let asked = SandboxConfig { max_connections: Some(usize::MAX), ..SandboxConfig::default() };
        assert_eq!(Limits::of(&asked).max_connections, allowed);
        let unset = SandboxConfig::default();
        assert_eq!(Limits::of(&unset).max_connections, allowed);
        assert!(allowed <= MAX_CONNECTIONS_CEILING);
        if let Some(limit) = open_file_limit() {
            assert!((allowed as u64) < limit.max(2), "{allowed} connections leave no descriptor for anything else");
        }
    }

    #[test]
    fn a_cap_of_zero_still_serves_one_connection() {
        let zero = SandboxConfig { max_connections: Some(0), ..SandboxConfig::default() };
        assert_eq!(Limits::of(&zero).max_connections, 1);
    }
}
