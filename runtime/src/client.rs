//! The async HTTP client: validates a request, signs it, POSTs it to eftPay and hands back the
//! reply only once its signature checked out (`docs/protocol.md` §1–§5).
//!
//! A request is given either typed ([`Client::send`] and the conveniences named after what a
//! request is for — [`Client::place_order`], [`Client::query`], [`Client::refund`],
//! [`Client::apply_refund`], [`Client::close`] — each taking that purpose's request of any
//! scene), or as fields by name with its interface's entry in a catalog
//! ([`Client::send_fields`], for callers that hold fields rather than types, like the CLI).
//! Both go through one exchange: the same signing, the same judging of the reply, the same
//! binding of the reply to its request, the same time window. Nothing in it names a field, a
//! code or an interface of the spec: it finds them in the interface's field tables by concept,
//! and what a code means in the catalog.
//!
//! Each part has its own room:
//! - [`ClientBuilder`] (`builder`): base URL, timeouts, clock, retry bounds — checked once;
//! - `named`: requests given as fields by name;
//! - `transport`: the HTTP exchange itself (reqwest over rustls), and `read_limited`, which
//!   reads any body from outside up to a limit;
//! - `reply`: what the HTTP status, the body, the return status and the signature of a reply mean;
//! - `binding`: whether an accepted reply is about the order, refund and merchant asked about;
//! - `freshness`: whether a signed reply's `time` lies close enough to its request's;
//! - `retry`: which requests are sent again, how often, after which failures;
//! - [`ClientError`] and [`GatewayError`] (`error`): everything that can go wrong, each saying
//!   what to do next;
//! - [`redact_url`] (`redact`): how a URL is shown in errors and `Debug`.
//!
//! Every call runs in a `tracing` span `eftpay_request` with the fields `interface`, `purpose`
//! and `out_trade_no` (when the request has one), each recorded once. What happened is told by
//! events in that span, so a plain `tracing_subscriber::fmt()` shows it: one `info` event when
//! the call completes (`warn` when it failed), and one `info` event for each attempt that is sent
//! again, each with that attempt's `attempt`, and what is known of `http_status`,
//! `return_status` and `elapsed_ms` (the `error` too, when it failed). Neither the secret, a
//! signature nor the signed string is ever recorded.
//!
//! ```no_run
//! use eftpay::services::AlipayWebPreOrder;
//! use eftpay::wallets::AlipayHk;
//! use eftpay::{Amount, Client, Credentials, OutTradeNo};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(Credentials::new("S0003469", "the secret eftPay issued"))?;
//! let order = AlipayWebPreOrder::place_order(AlipayHk, Amount::parse("0.53")?, OutTradeNo::new("rrn_1"), "Coffee", "https://merchant.example/return")
//!     .notify_url("https://merchant.example/notify");
//! let reply = client.place_order(order).await?;
//! // Accepted means only that the order exists; send the payer to `pay_apptrade`.
//! println!("{:?}", reply.pay_apptrade);
//! # Ok(())
//! # }
//! ```

mod binding;
mod builder;
mod error;
mod freshness;
mod named;
mod redact;
mod reply;
mod retry;
// The `gateway` feature re-exports its bounded body read and TLS setup (`eftpay::gateway`);
// only gateways read bodies through `read_limited`, so without the feature it is unused.
#[cfg_attr(not(feature = "gateway"), allow(dead_code))]
pub(crate) mod transport;

use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;
use tracing::field::Empty;

pub use builder::{ClientBuilder, TEST_BASE_URL};
pub use error::{ClientError, GatewayError};
pub use redact::redact_url;

use crate::catalog::{Catalog, InterfaceInfo, TypedFields};
use crate::credentials::Credentials;
use crate::message::{Envelope, IntoRequest, Request};
use crate::purpose;
use crate::received::ReceivedFields;
use crate::rules::{Concept, Encoding, InterfaceKind, Meaning};
use crate::time::Clock;
use crate::verify;
use crate::wire::OutgoingFields;
use crate::{Verified, VerifyError};
use binding::Asked;
use freshness::{Dating, ReplyWindow};
use named::NamedFields;
use reply::{Answer, ReplyShape};
use retry::{Report, RetrySchedule};
use transport::Transport;

/// A client for eftPay's request interfaces: validates a request, signs it, POSTs it to eftPay
/// and hands back the reply only once its signature checked out and it is bound to the request
/// (`docs/protocol.md` §1–§5). Cheap to clone: clones share one connection pool.
///
/// Build it with [`Client::new`] (eftPay's test environment) or [`Client::builder`]. Give a
/// request typed ([`Client::send`], or the conveniences named after what a request is for:
/// [`Client::place_order`], [`Client::query`], [`Client::refund`], [`Client::apply_refund`],
/// [`Client::close`]) or as fields by name with its interface's catalog entry
/// ([`Client::send_fields`]); both go through one exchange.
///
/// Every call runs in a `tracing` span `eftpay_request` with the fields `interface`, `purpose`
/// and `out_trade_no` (when the request has one). One `info` event when the call completes
/// (`warn` when it failed) and one for each attempt sent again, with `attempt`, `http_status`,
/// `return_status` and `elapsed_ms` where known. Neither the secret, a signature nor the signed
/// string is ever recorded.
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
    base_url: String,
    credentials: Credentials,
    clock: Arc<dyn Clock>,
    retry: RetrySchedule,
    reply_window: ReplyWindow,
}

impl Client {
    /// A client for eftPay's test environment ([`TEST_BASE_URL`]) with the default timeouts and
    /// retry bounds. Use [`Client::builder`] for production, whose base URL eftPay gives each
    /// merchant.
    ///
    /// # Errors
    /// [`ClientError::Config`] when the credentials are unusable or the HTTP stack cannot start.
    pub fn new(credentials: Credentials) -> Result<Client, ClientError> {
        ClientBuilder::new(credentials).build()
    }

    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder::new(credentials)
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Places an order, in any scene (`docs/protocol.md` §3): takes a place-order request or
    /// its builder. Never retried: once bytes may have left, only a query can tell whether the
    /// order exists.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn place_order<I>(&self, request: I) -> Result<Verified<<I::Request as Request>::Response>, ClientError>
    where
        I: IntoRequest,
        I::Request: Request<Purpose = purpose::PlaceOrder>,
    {
        self.send(&request.into_request()).await
    }

    /// Queries a trade, or one of its refunds, in any scene (`docs/protocol.md` §4). Retried
    /// within the configured bounds after a connection failure, a timeout or a 5xx.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn query<I>(&self, request: I) -> Result<Verified<<I::Request as Request>::Response>, ClientError>
    where
        I: IntoRequest,
        I::Request: Request<Purpose = purpose::Query>,
    {
        self.send(&request.into_request()).await
    }

    /// Refunds all or part of an order, in any scene (`docs/protocol.md` §5). Never retried.
    ///
    /// Each convenience takes only requests of its purpose; an order is no refund:
    ///
    /// ```compile_fail
    /// # async fn f(client: eftpay::Client) {
    /// let order = eftpay::services::AlipayWebPreOrder::place_order(
    ///     eftpay::wallets::AlipayHk, eftpay::Amount::from_cents(1), eftpay::OutTradeNo::new("rrn_1"), "x",
    ///     "https://shop.example/paid");
    /// let _ = client.refund(order).await;
    /// # }
    /// ```
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn refund<I>(&self, request: I) -> Result<Verified<<I::Request as Request>::Response>, ClientError>
    where
        I: IntoRequest,
        I::Request: Request<Purpose = purpose::Refund>,
    {
        self.send(&request.into_request()).await
    }

    /// Applies for a refund that eftPay completes later (`docs/protocol.md` §5). Never retried.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn apply_refund<I>(&self, request: I) -> Result<Verified<<I::Request as Request>::Response>, ClientError>
    where
        I: IntoRequest,
        I::Request: Request<Purpose = purpose::ApplyRefund>,
    {
        self.send(&request.into_request()).await
    }

    /// Closes an unpaid order, in the scenes that have a close request. Never retried.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn close<I>(&self, request: I) -> Result<Verified<<I::Request as Request>::Response>, ClientError>
    where
        I: IntoRequest,
        I::Request: Request<Purpose = purpose::Close>,
    {
        self.send(&request.into_request()).await
    }

    /// Sends any request: validates it (an invalid one is never sent), signs it with a fresh
    /// `time` from the client's clock for every attempt, POSTs it to
    /// `{base_url}{R::ENDPOINT}`, and verifies the reply.
    ///
    /// Retried only when its interface's retry policy is
    /// [`RetryPolicy::Safe`](crate::rules::RetryPolicy::Safe).
    ///
    /// # Errors
    /// - [`ClientError::Invalid`]: the request breaks a rule; nothing was sent;
    /// - [`ClientError::Unsupported`]: the interface is sent in an encoding requests are not
    ///   sent in, or its reply could not say it was accepted; nothing was sent;
    /// - [`ClientError::Connect`], [`ClientError::Timeout`], [`ClientError::Transport`],
    ///   [`ClientError::HttpStatus`], [`ClientError::ReplyTooLarge`], [`ClientError::NotJson`]:
    ///   the exchange failed (for a request that is retried: its last attempt);
    /// - [`ClientError::Gateway`]: eftPay refused the request (a return status other than the
    ///   one meaning accepted);
    /// - [`ClientError::Verification`], [`ClientError::NoReturnStatus`]: the reply cannot be
    ///   trusted or does not say whether the request was accepted;
    /// - [`ClientError::Incomplete`], [`ClientError::Mismatch`]: an accepted reply that lacks a
    ///   field its table requires or the request's order or refund number, or is about another
    ///   order, refund, merchant or amount than the request's;
    /// - [`ClientError::ReplyOutsideWindow`], [`ClientError::UndatedReply`]: a signed reply
    ///   dated too far from the request (or an accepted one not dated at all), which may be an
    ///   old reply played back.
    ///
    /// The last four are never retried: a reply that does not belong to its request is an
    /// answer, and asking again would not change it.
    pub async fn send<R: Request>(&self, request: &R) -> Result<Verified<R::Response>, ClientError> {
        // The request's own spec says what its reply's codes mean (a fixture spec's included).
        let call = Call::new(R::CATALOG, R::INFO, &self.base_url, R::ENDPOINT)?;
        request.validate().map_err(|violations| ClientError::Invalid { violations })?;
        let write = |envelope: &Envelope<'_>| OutgoingFields::of(request, envelope);
        self.exchange(&call, &write, &verify::read_as::<R::Response>).await
    }

    /// Sends a request given as fields by name (`("out_trade_no", "rrn_1")`) through
    /// `interface`, an interface of `catalog` — any spec's, a fixture's included. The fields are
    /// the caller's only: the client adds the user key, the time and the fields the spec fixes,
    /// and signs exactly those, in byte order of name.
    ///
    /// Everything else is as [`Client::send`]: validated by the interface's own validator
    /// before anything is sent, posted to its endpoint, and its reply judged, verified, bound
    /// to the request and dated in the same way. The reply comes back as the fields of its
    /// generated type ([`TypedFields`]), which is how a field that is not its type is found.
    ///
    /// # Errors
    /// As [`Client::send`], and [`ClientError::Field`] for a name the interface does not have
    /// or the client fills in, [`ClientError::Unsupported`] for an interface that is not a
    /// request.
    pub async fn send_fields(
        &self,
        catalog: &'static Catalog,
        interface: &'static InterfaceInfo,
        fields: &[(&str, &str)],
    ) -> Result<Verified<TypedFields>, ClientError> {
        let endpoint = interface.endpoint.ok_or_else(|| ClientError::Unsupported {
            interface: interface.name,
            reason: "it has no endpoint, so it is not a request the merchant sends".to_owned(),
        })?;
        let call = Call::new(catalog, interface, &self.base_url, endpoint)?;
        let named = NamedFields::resolve(catalog, interface, fields)?;
        let write = |envelope: &Envelope<'_>| named.with_envelope(envelope);
        let read = |fields: ReceivedFields| verify::read_typed(interface, fields.labelled("reply"));
        self.exchange(&call, &write, &read).await
    }

    /// One call, however the request was given: every attempt in one span, retried as the
    /// interface allows.
    async fn exchange<T, W, Rd>(&self, call: &Call, write: &W, read: &Rd) -> Result<Verified<T>, ClientError>
    where
        W: Fn(&Envelope<'_>) -> OutgoingFields,
        Rd: Fn(ReceivedFields) -> Result<Verified<T>, VerifyError>,
    {
        let info = call.interface;
        let span = tracing::info_span!(
            "eftpay_request",
            interface = info.name,
            purpose = info.purpose.name(),
            out_trade_no = Empty,
        );
        let attempts = self.retry.run(info.retry, |number| {
            let span = &span;
            async move {
                let mut report = Report::default();
                let outcome = self.attempt(call, number, write, read, span, &mut report).await;
                (outcome, report)
            }
        });
        attempts.instrument(span.clone()).await
    }

    /// One attempt, signed afresh: eftPay compares `time` with its own clock
    /// (`docs/protocol.md` §2), and a retry may come seconds later.
    async fn attempt<T, W, Rd>(
        &self,
        call: &Call,
        attempt: u32,
        write: &W,
        read: &Rd,
        span: &tracing::Span,
        report: &mut Report,
    ) -> Result<Verified<T>, ClientError>
    where
        W: Fn(&Envelope<'_>) -> OutgoingFields,
        Rd: Fn(ReceivedFields) -> Result<Verified<T>, VerifyError>,
    {
        let info = call.interface;
        let sent = self.clock.now();
        let time_text = sent.compact_text();
        let fields = write(&Envelope { user_confirm_key: &self.credentials.user_confirm_key, time: &time_text });
        // The order number is the same in every attempt: recorded once, with the first.
        if attempt == 1
            && let Some(order) = info.field_for(Concept::OutTradeNo).and_then(|field| fields.text(field.wire))
        {
            span.record("out_trade_no", order);
        }
        let asked = Asked::of(info, &fields);
        let body = fields.signed_json(&self.credentials.secret);
        let started = Instant::now();
        let posted = self.transport.post(&call.url, call.content_type, body, info.name, attempt).await;
        let elapsed = started.elapsed();
        report.elapsed_ms = Some(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
        let exchange = posted?;
        report.http_status = Some(exchange.status);
        let window = self.reply_window.around(sent, elapsed);
        match reply::read(&call.reply, &exchange, &self.credentials.secret, attempt)? {
            Answer::Accepted(fields) => {
                report.return_status = call.reply.status_of(&fields).map(str::to_owned);
                let reply = read(fields).map_err(|cause| ClientError::Verification { interface: info.name, cause })?;
                // Dated first: an old reply played back is reported as such, whatever it lacks.
                window.check(info, reply.fields(), Dating::Required)?;
                asked.check(info, reply.fields())?;
                Ok(reply)
            }
            Answer::Refused(refusal, fields) => {
                report.return_status = Some(refusal.code().to_owned());
                // An unsigned refusal says so itself. A time-mismatch refusal is eftPay saying the
                // clocks disagree, so its `time` cannot lie in the window; it is reported as what
                // it is, since it already says to set the clock right.
                if refusal.is_verified() && refusal.meaning() != Some(Meaning::TimeMismatch) {
                    window.check(info, &fields, Dating::WhenPresent)?;
                }
                Err(refusal.into())
            }
        }
    }
}

/// What one call needs to know about its interface, settled before anything is sent.
#[derive(Debug)]
struct Call {
    interface: &'static InterfaceInfo,
    /// `{base_url}{endpoint}`.
    url: String,
    content_type: &'static str,
    reply: ReplyShape,
}

impl Call {
    fn new(
        catalog: &'static Catalog,
        interface: &'static InterfaceInfo,
        base_url: &str,
        endpoint: &'static str,
    ) -> Result<Call, ClientError> {
        let unsupported =
            |reason: &str| ClientError::Unsupported { interface: interface.name, reason: reason.to_owned() };
        if interface.kind() != InterfaceKind::Request {
            return Err(unsupported("it is not a request the merchant sends"));
        }
        let content_type = match interface.encoding {
            Encoding::Json => "application/json; charset=utf-8",
            // eftPay takes every request as JSON; a form-encoded request would be a new rule
            // of the protocol, not something to send as JSON quietly.
            _ => return Err(unsupported("its spec says it is form-encoded, which is not supported for requests")),
        };
        let url = format!("{base_url}{endpoint}");
        Ok(Call { interface, url, content_type, reply: ReplyShape::of(catalog, interface)? })
    }
}
