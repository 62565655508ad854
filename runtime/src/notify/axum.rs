//! A ready notification endpoint for axum (feature `axum`): verifies each POST, hands the
//! typed notification to the merchant's code, and answers with the signed acknowledgement —
//! `success` when the code returns `Ok`, `false` (eftPay re-delivers) when it returns `Err` or
//! the message does not verify. A body larger than [`MAX_BODY_BYTES`] is refused with `413`
//! (and `false`) before it is read to the end.
//!
//! ```no_run
//! use eftpay::Credentials;
//! use eftpay::notify::{Notification, axum::notification_route};
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

use std::future::Future;
use std::sync::Arc;

use ::axum::body::Bytes;
use ::axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use ::axum::extract::{DefaultBodyLimit, FromRequest, Request};
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::{MethodRouter, post};

use super::{ACK_CONTENT_TYPE, Ack, Notification, acknowledge, verify_notification};
use crate::ReturnCode;
use crate::credentials::Credentials;
use crate::received::MAX_BODY_BYTES;
use crate::time::{Clock, SystemClock};
use crate::verify::Verified;

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, ACK_CONTENT_TYPE)], self.body).into_response()
    }
}

/// A `POST` route for `notify_url` that calls `handler` with each verified notification.
pub fn notification_route<H, Fut, E, S>(credentials: Credentials, handler: H) -> MethodRouter<S>
where
    H: Fn(Verified<Notification>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    S: Clone + Send + Sync + 'static,
{
    notification_route_with_clock(credentials, Arc::new(SystemClock), handler)
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
    S: Clone + Send + Sync + 'static,
{
    let credentials = Arc::new(credentials);
    let route = post(move |request: Request| {
        let credentials = Arc::clone(&credentials);
        let clock = Arc::clone(&clock);
        let handler = handler.clone();
        async move {
            // Refused bodies are answered `false` too: a genuine notification damaged on the way
            // is then delivered again.
            let refuse = |status: StatusCode| {
                (status, acknowledge(ReturnCode::Failure, &credentials, clock.as_ref())).into_response()
            };
            if declares_too_large(request.headers()) {
                return refuse(StatusCode::PAYLOAD_TOO_LARGE);
            }
            // Read under the route's body limit (the layer below), so a body without a declared
            // length is cut off at the limit rather than buffered whole.
            let body = match Bytes::from_request(request, &()).await {
                Ok(body) => body,
                Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
                    return refuse(StatusCode::PAYLOAD_TOO_LARGE);
                }
                Err(_) => return refuse(StatusCode::BAD_REQUEST),
            };
            // Verifying at most MAX_BODY_BYTES takes linear time, microseconds: no need to move
            // it off the async runtime.
            let verified =
                std::str::from_utf8(&body).ok().and_then(|text| verify_notification(text, &credentials.secret).ok());
            let Some(notification) = verified else {
                // Not from eftPay, or damaged on the way.
                return refuse(StatusCode::BAD_REQUEST);
            };
            let code = match handler(notification).await {
                Ok(()) => ReturnCode::Success,
                Err(_) => ReturnCode::Failure,
            };
            acknowledge(code, &credentials, clock.as_ref()).into_response()
        }
    });
    // Overrides any limit set (or disabled) further out: this route never reads more.
    route.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
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
