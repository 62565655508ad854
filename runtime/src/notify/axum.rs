//! A ready notification endpoint for axum (feature `axum`): verifies each POST, hands the
//! typed notification to the merchant's code, and answers with the signed acknowledgement —
//! `success` when the code returns `Ok`, `false` (eftPay re-delivers) when it returns `Err` or
//! the message does not verify.
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
use ::axum::http::{StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::{MethodRouter, post};

use super::{ACK_CONTENT_TYPE, Ack, Notification, acknowledge, verify_notification};
use crate::ReturnCode;
use crate::credentials::Credentials;
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
    post(move |body: Bytes| {
        let credentials = Arc::clone(&credentials);
        let clock = Arc::clone(&clock);
        let handler = handler.clone();
        async move {
            let verified =
                std::str::from_utf8(&body).ok().and_then(|text| verify_notification(text, &credentials.secret).ok());
            let Some(notification) = verified else {
                // Not from eftPay, or damaged on the way: refuse, and say `false` so a genuine
                // but damaged notification is delivered again.
                let ack = acknowledge(ReturnCode::Failure, &credentials, clock.as_ref());
                return (StatusCode::BAD_REQUEST, ack).into_response();
            };
            let code = match handler(notification).await {
                Ok(()) => ReturnCode::Success,
                Err(_) => ReturnCode::Failure,
            };
            acknowledge(code, &credentials, clock.as_ref()).into_response()
        }
    })
}
