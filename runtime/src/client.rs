//! The async HTTP client: validates a request, signs it, POSTs it to eftPay and hands back the
//! reply only once its signature checked out (eftpay-api.md §1–§5).
//!
//! Each part has its own room:
//! - [`ClientBuilder`] (`builder`): base URL, timeouts, clock, retry bounds — checked once;
//! - `transport`: the HTTP exchange itself (reqwest over rustls);
//! - `reply`: what the HTTP status, the body, `return_status` and `sign` of a reply mean;
//! - `binding`: whether an accepted reply is about the order, refund and merchant asked about;
//! - `freshness`: whether a signed reply's `time` lies close enough to its request's;
//! - `retry`: which requests are sent again, how often, after which failures;
//! - [`ClientError`] and [`GatewayError`] (`error`): everything that can go wrong, each saying
//!   what to do next;
//! - [`redact_url`] (`redact`): how a URL is shown in errors and `Debug`.
//!
//! ```no_run
//! use eftpay::services::AlipayWebPreOrder;
//! use eftpay::wallets::AlipayHk;
//! use eftpay::{Amount, Client, Credentials};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(Credentials::new("S0003469", "the secret eftPay issued"))?;
//! let order = AlipayWebPreOrder::place_order(AlipayHk, Amount::parse("0.53")?, "rrn_1", "Coffee")
//!     .return_url("https://merchant.example/return")
//!     .notify_url("https://merchant.example/notify");
//! let reply = client.place_order(order).await?;
//! // `00` means only that the order was accepted; send the payer to `pay_apptrade`.
//! println!("{:?}", reply.pay_apptrade);
//! # Ok(())
//! # }
//! ```

mod binding;
mod builder;
mod error;
mod freshness;
mod redact;
mod reply;
mod retry;
mod transport;

use std::sync::Arc;
use std::time::Instant;

pub use builder::{ClientBuilder, TEST_BASE_URL};
pub use error::{ClientError, GatewayError};
pub use redact::redact_url;

use crate::ReturnStatus;
use crate::credentials::Credentials;
use crate::message::{Envelope, Request};
use crate::time::Clock;
use crate::verify::Verified;
use crate::wire::signed_json;
use crate::{
    ApplyRefundRequest, ApplyRefundResponse, PlaceOrderRequest, PlaceOrderResponse, QueryRequest, QueryResponse,
    RefundRequest, RefundResponse,
};
use binding::Asked;
use freshness::{Dating, ReplyWindow};
use reply::Answer;
use retry::RetrySchedule;
use transport::Transport;

/// A client for eftPay's request interfaces. Cheap to clone: clones share one connection pool.
///
/// Build it with [`Client::new`] (eftPay's test environment) or [`Client::builder`].
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

    /// Places an order (PreOrder, eftpay-api.md §3). Never retried: once bytes may have left,
    /// only a query can tell whether the order exists.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn place_order(
        &self,
        request: impl Into<PlaceOrderRequest>,
    ) -> Result<Verified<PlaceOrderResponse>, ClientError> {
        self.send(&request.into()).await
    }

    /// Queries a trade, or one of its refunds when `refund_no` is set (eftpay-api.md §4).
    /// Retried within the configured bounds after a connection failure, a timeout or a 5xx.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn query(&self, request: impl Into<QueryRequest>) -> Result<Verified<QueryResponse>, ClientError> {
        self.send(&request.into()).await
    }

    /// Refunds all or part of an order (eftpay-api.md §5). Never retried.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn refund(&self, request: impl Into<RefundRequest>) -> Result<Verified<RefundResponse>, ClientError> {
        self.send(&request.into()).await
    }

    /// Applies for a refund that eftPay completes later (eftpay-api.md §5). Never retried.
    ///
    /// # Errors
    /// See [`Client::send`].
    pub async fn apply_refund(
        &self,
        request: impl Into<ApplyRefundRequest>,
    ) -> Result<Verified<ApplyRefundResponse>, ClientError> {
        self.send(&request.into()).await
    }

    /// Sends any request: validates it (an invalid one is never sent), signs it with a fresh
    /// `time` from the client's clock for every attempt, POSTs it to
    /// `{base_url}{R::ENDPOINT}`, and verifies the reply.
    ///
    /// Retried only when [`R::RETRY`](Request::RETRY) is
    /// [`RetryPolicy::Safe`](crate::rules::RetryPolicy::Safe).
    ///
    /// # Errors
    /// - [`ClientError::Invalid`]: the request breaks a rule; nothing was sent;
    /// - [`ClientError::Connect`], [`ClientError::Timeout`], [`ClientError::Transport`],
    ///   [`ClientError::HttpStatus`], [`ClientError::ReplyTooLarge`], [`ClientError::NotJson`]:
    ///   the exchange failed (for a request that is retried: its last attempt);
    /// - [`ClientError::Gateway`]: eftPay refused the request (`return_status` other than `00`);
    /// - [`ClientError::Verification`], [`ClientError::NoReturnStatus`]: the reply cannot be
    ///   trusted or does not say whether the request was accepted;
    /// - [`ClientError::Mismatch`]: an accepted reply about another order, refund or merchant
    ///   than the request's;
    /// - [`ClientError::ReplyOutsideWindow`], [`ClientError::UndatedReply`]: a signed reply
    ///   dated too far from the request (or an accepted one not dated at all), which may be an
    ///   old reply played back.
    ///
    /// The last three are never retried: a reply that does not belong to its request is an
    /// answer, and asking again would not change it.
    pub async fn send<R: Request>(&self, request: &R) -> Result<Verified<R::Response>, ClientError> {
        request.validate().map_err(|violations| ClientError::Invalid { violations })?;
        let url = format!("{}{}", self.base_url, R::ENDPOINT);
        self.retry.run(R::RETRY, |attempt| self.attempt(request, &url, attempt)).await
    }

    /// One attempt, signed afresh: eftPay compares `time` with its own clock (eftpay-api.md §2),
    /// and a retry may come seconds later.
    async fn attempt<R: Request>(
        &self,
        request: &R,
        url: &str,
        attempt: u32,
    ) -> Result<Verified<R::Response>, ClientError> {
        let body = signed_json(request, &self.credentials, self.clock.now());
        let sent = body.time;
        let time_text = sent.to_compact();
        let asked =
            Asked::of(request, &Envelope { user_confirm_key: &self.credentials.user_confirm_key, time: &time_text });
        let started = Instant::now();
        let exchange = self.transport.post(url, body.json, R::INFO.name, attempt).await?;
        let window = self.reply_window.around(sent, started.elapsed());
        match reply::read::<R::Response>(R::INFO.name, &exchange, &self.credentials.secret, attempt)? {
            Answer::Accepted(reply) => {
                asked.check::<R::Response>(reply.fields())?;
                window.check::<R::Response>(reply.fields(), Dating::Required)?;
                Ok(reply)
            }
            Answer::Refused(refusal, fields) => {
                // An unsigned refusal says so itself. A time-mismatch refusal is eftPay saying the
                // clocks disagree, so its `time` cannot lie in the window; it is reported as what
                // it is, since it already says to set the clock right.
                if refusal.is_verified() && refusal.status() != &ReturnStatus::TimeMismatch {
                    window.check::<R::Response>(&fields, Dating::WhenPresent)?;
                }
                Err(refusal.into())
            }
        }
    }
}
