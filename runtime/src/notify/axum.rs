//! A ready notification endpoint for axum (feature `axum`): verifies each POST, hands the
//! typed notification to the merchant's code, and answers with the signed acknowledgement —
//! handled when the code returns `Ok`, not handled (eftPay re-delivers) when it returns `Err`
//! or the message does not verify. A body larger than 64 KiB
//! ([`ReceiveLimits::DEFAULT`](crate::ReceiveLimits::DEFAULT)) is refused with `413` (and not
//! handled) before it is read to the end.
//!
//! Every refused body is logged as a `tracing` warning with the reason only — never the body,
//! the secret or a signature. A handler's error is logged with its whole source chain (your
//! database's own message included), and eftPay is told to deliver again.
//!
//! ```no_run
//! use eftpay::Credentials;
//! use eftpay::Notification;
//! use eftpay::notify::axum::notification_route;
//!
//! let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
//! let app: axum::Router = axum::Router::new().route(
//!     "/eftpay/notify",
//!     notification_route(credentials, |notification| async move {
//!         if let Notification::Payment(payment) = notification.message() {
//!             // Record the payment idempotently: eftPay re-delivers until acknowledged.
//!             println!("{:?} is {:?}", payment.out_trade_no, payment.trade_status);
//!         }
//!         Ok::<(), std::convert::Infallible>(())
//!     }),
//! );
//! ```
//!
//! The handler can take the router's state, as axum handlers do ([`notification_route_with_state`]):
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use axum::extract::State;
//! use eftpay::Credentials;
//! use eftpay::Notification;
//! use eftpay::notify::axum::notification_route_with_state;
//!
//! struct Shop { /* a database handle … */ }
//!
//! # fn mark_paid(_: &Shop, _: Option<&str>) -> std::io::Result<()> { Ok(()) }
//! let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
//! let app: axum::Router = axum::Router::new()
//!     .route(
//!         "/eftpay/notify",
//!         notification_route_with_state(credentials, |State(shop): State<Arc<Shop>>, notification| async move {
//!             if let Notification::Payment(payment) = notification.message() {
//!                 mark_paid(&shop, payment.out_trade_no.as_deref())?; // its error is logged, with its causes
//!             }
//!             Ok::<(), std::io::Error>(())
//!         }),
//!     )
//!     .with_state(Arc::new(Shop {}));
//! ```
//!
//! Without axum (actix-web, hyper, …), the same is two calls in a plain function:
//! [`verify_notification`](super::verify_notification), then [`acknowledge`](super::acknowledge)
//! with whether it was handled; respond with the acknowledgement's body.
//!
//! A fixture spec's notification type goes through [`notification_route_in`] with its catalog.

use std::future::Future;
use std::sync::Arc;

use ::axum::body::Bytes;
use ::axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use ::axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::{MethodRouter, post};

use super::{ACK_CONTENT_TYPE, Ack, Answer, Notification, acknowledge_in};
use crate::catalog::Catalog;
use crate::credentials::Credentials;
use crate::message::IncomingMessage;
use crate::received::{IncomingError, MAX_BODY_BYTES, ReceivedError};
use crate::time::{Clock, SystemClock};
use crate::verify::verify_json;
use crate::{Verified, VerifyError};

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, ACK_CONTENT_TYPE)], self.body).into_response()
    }
}

/// What a notification handler may fail with: any error (`std::error::Error`, `anyhow::Error`,
/// a `String` …). It is logged with its whole source chain, and eftPay is told to deliver the
/// notification again.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A `POST` route for `notify_url` that calls `handler` with each verified notification.
pub fn notification_route<H, Fut, E, S>(credentials: Credentials, handler: H) -> MethodRouter<S>
where
    H: Fn(Verified<Notification>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError>,
    S: Clone + Send + Sync + 'static,
{
    notification_route_with_clock(credentials, Arc::new(SystemClock), handler)
}

/// [`notification_route`] whose handler also takes the router's state, as axum handlers do
/// (`State<S>` first): a database handle, a queue, without cloning it into the closure.
pub fn notification_route_with_state<H, Fut, E, S>(credentials: Credentials, handler: H) -> MethodRouter<S>
where
    H: Fn(State<S>, Verified<Notification>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError>,
    S: Clone + Send + Sync + 'static,
{
    notification_route_in(&crate::CATALOG, credentials, Arc::new(SystemClock), handler)
}

/// [`notification_route`] with the clock the acknowledgement's `time` comes from (tests).
pub fn notification_route_with_clock<H, Fut, E, S>(
    credentials: Credentials,
    clock: Arc<dyn Clock>,
    handler: H,
) -> MethodRouter<S>
where
    H: Fn(Verified<Notification>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError>,
    S: Clone + Send + Sync + 'static,
{
    notification_route_in(&crate::CATALOG, credentials, clock, move |_: State<S>, notification| handler(notification))
}

/// The route for any spec, with the router's state and a clock: `N` is the spec's notification
/// type (a fixture spec's `Notification`), and `catalog` its catalog, whose acknowledgement
/// answers.
pub fn notification_route_in<N, H, Fut, E, S>(
    catalog: &'static Catalog,
    credentials: Credentials,
    clock: Arc<dyn Clock>,
    handler: H,
) -> MethodRouter<S>
where
    N: IncomingMessage + Send + 'static,
    H: Fn(State<S>, Verified<N>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<HandlerError>,
    S: Clone + Send + Sync + 'static,
{
    let credentials = Arc::new(credentials);
    let route = post(move |state: State<S>, request: Request| {
        let credentials = Arc::clone(&credentials);
        let clock = Arc::clone(&clock);
        let handler = handler.clone();
        async move {
            let answer = |answer: Answer, status: StatusCode| match acknowledge_in(
                catalog,
                answer,
                &credentials,
                clock.as_ref(),
            ) {
                Ok(ack) => (status, ack).into_response(),
                Err(error) => {
                    tracing::error!(%error, "cannot acknowledge an eftPay notification");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            };
            // Refused bodies are answered not handled too: a genuine notification damaged on
            // the way is then delivered again.
            let refuse = |status: StatusCode, reason: &'static str| {
                tracing::warn!(reason, status = status.as_u16(), "refused a body posted as an eftPay notification");
                answer(Answer::NotHandled, status)
            };
            if declares_too_large(request.headers()) {
                return refuse(StatusCode::PAYLOAD_TOO_LARGE, "its declared length is over the limit");
            }
            // Read under the route's body limit (the layer below), so a body without a declared
            // length is cut off at the limit rather than buffered whole.
            let body = match Bytes::from_request(request, &()).await {
                Ok(body) => body,
                Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
                    return refuse(StatusCode::PAYLOAD_TOO_LARGE, "it is longer than the limit");
                }
                Err(_) => return refuse(StatusCode::BAD_REQUEST, "it could not be read"),
            };
            // Verifying at most MAX_BODY_BYTES takes linear time, microseconds: no need to move
            // it off the async runtime.
            let Ok(text) = std::str::from_utf8(&body) else {
                return refuse(StatusCode::BAD_REQUEST, "it is not UTF-8");
            };
            let notification = match verify_json::<N>(text, &credentials.secret) {
                Ok(notification) => notification,
                // Not from eftPay, or damaged on the way.
                Err(error) => return refuse(StatusCode::BAD_REQUEST, reason(&error)),
            };
            match handler(state, notification).await {
                Ok(()) => answer(Answer::Handled, StatusCode::OK),
                Err(error) => {
                    let error: HandlerError = error.into();
                    tracing::warn!(
                        error = %Causes(&*error),
                        "the notification handler failed; eftPay is told to deliver it again"
                    );
                    answer(Answer::NotHandled, StatusCode::OK)
                }
            }
        }
    });
    // Overrides any limit set (or disabled) further out: this route never reads more.
    route.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// An error and its sources, as one line: `outer: cause: root cause`.
struct Causes<'a>(&'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// Why a body was refused, in words that quote nothing from it (an error's own text may quote
/// a received value).
fn reason(error: &VerifyError) -> &'static str {
    match error {
        VerifyError::Body(ReceivedError::TooLarge { .. }) => "it is longer than the limit",
        VerifyError::Body(_) => "it is not a JSON object of fields",
        VerifyError::MissingSignature => "it is not signed",
        VerifyError::MalformedSignature => "its signature is not a SHA-256 signature",
        VerifyError::Mismatch => "its signature does not match (changed, or signed with another secret)",
        VerifyError::Field(IncomingError::Unrecognized { .. }) => {
            "it is signed but no rule of the spec recognizes it as a notification"
        }
        VerifyError::Field(_) => "a signed field does not have its documented form",
        _ => "it could not be verified",
    }
}

/// Whether the request says (by `Content-Length`) that its body is over the limit; a length too
/// large to be a number here is over it too.
fn declares_too_large(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .is_some_and(|value| value.parse::<usize>().map_or(true, |length| length > MAX_BODY_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_message_that_is_no_notification_is_refused_as_that_not_as_a_malformed_field() {
        let unrecognized = VerifyError::Field(IncomingError::Unrecognized { expected: "notification" });
        assert!(reason(&unrecognized).contains("no rule of the spec recognizes it"), "{}", reason(&unrecognized));
        let malformed = VerifyError::Field(IncomingError::InvalidField {
            message: "notification",
            field: "total_fee",
            value: "x".to_owned(),
            expected: "an amount",
            reason: "not a number".to_owned(),
        });
        assert_eq!(reason(&malformed), "a signed field does not have its documented form");
    }
}
