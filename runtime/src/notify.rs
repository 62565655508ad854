//! Notifications eftPay POSTs to `notify_url` (eftpay-api.md §6): verify, tell payment from
//! refund, hand the typed value to the merchant's code, and answer with a signed
//! acknowledgement. eftPay re-delivers until it reads `return_code=success`, so handling must be
//! idempotent and duplicates acknowledged.
//!
//! ```
//! use eftpay::notify::{self, Notification};
//! use eftpay::{Credentials, FixedClock, HkTime, ReturnCode, TradeStatus};
//!
//! let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
//! // What eftPay would send (built with the test helper, as a merchant's own tests can).
//! let body = notify::sign_for_test(
//!     r#"{"notify_type":"trade_status_sync","out_trade_no":"rrn_1","total_fee":"0.53","trade_status":"TRADE_SUCCESS","trade_type":"SALE","time":"20230609110645"}"#,
//!     &credentials.secret,
//! )?;
//!
//! let notification = notify::verify_notification(&body, &credentials.secret)?;
//! if let Notification::Payment(payment) = notification.message() {
//!     assert_eq!(payment.trade_status, Some(TradeStatus::TradeSuccess));
//! }
//! let clock = FixedClock::new(HkTime::parse_compact("20230609110700")?);
//! let ack = notify::acknowledge(ReturnCode::Success, &credentials, &clock);
//! assert!(ack.body.starts_with(r#"{"return_code":"success","time":"20230609110700","sign":""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "axum")]
pub mod axum;

use std::time::Duration;

use crate::credentials::{Credentials, Secret};
use crate::json_text::string as json_string;
use crate::received::{ReceivedError, ReceivedFields, ReceivedValue};
use crate::signing::sign_fields;
use crate::time::Clock;
use crate::verify::{Verified, VerifyError, verify_form, verify_json};
use crate::wire::signed_json;
use crate::{Acknowledgement, ReturnCode, SyncReturn};

pub use crate::{NOTIFICATION_RULES, Notification};

/// Verifies a notification body (JSON, as POSTed to `notify_url`) and reads it.
///
/// # Errors
/// An unreadable body, a missing or wrong signature, or a field without its documented form.
pub fn verify_notification(body: &str, secret: &Secret) -> Result<Verified<Notification>, VerifyError> {
    verify_json(body, secret)
}

/// [`verify_notification`], also refusing a notification whose signed `time` is more than
/// `max_age` away from `clock`'s now, in either direction — so a genuine but old notification
/// replayed later is refused. Opt-in: eftPay re-delivers a notification until it is
/// acknowledged and does not publish for how long, so choose `max_age` longer than your
/// endpoint may be down.
///
/// # Errors
/// As [`verify_notification`], and [`VerifyError::Stale`] / [`VerifyError::Undated`].
pub fn verify_notification_within(
    body: &str,
    secret: &Secret,
    max_age: Duration,
    clock: &dyn Clock,
) -> Result<Verified<Notification>, VerifyError> {
    let verified = verify_notification(body, secret)?;
    verified.check_age(max_age, clock.now())?;
    Ok(verified)
}

/// Verifies the synchronous return (form-encoded, POSTed by the payer's browser to
/// `return_url`). Show the payer a page from it; decide nothing on it alone — the notification
/// and Query are authoritative.
///
/// # Errors
/// An unreadable body, a missing or wrong signature, or a field without its documented form.
pub fn verify_return(form_body: &str, secret: &Secret) -> Result<Verified<SyncReturn>, VerifyError> {
    verify_form(form_body, secret)
}

/// The content type of an acknowledgement.
pub const ACK_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A signed acknowledgement, ready to be the HTTP response to a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ack {
    /// What was answered.
    pub return_code: ReturnCode,
    /// The JSON body: `return_code`, `time`, `sign`.
    pub body: String,
}

impl Ack {
    /// The content type to send it with.
    pub fn content_type(&self) -> &'static str {
        ACK_CONTENT_TYPE
    }
}

/// Builds the merchant's answer to a notification: `success` stops re-delivery, `false` asks
/// for it again. Signed like any message (eftpay-api.md §6).
pub fn acknowledge(return_code: ReturnCode, credentials: &Credentials, clock: &dyn Clock) -> Ack {
    let body = signed_json(&Acknowledgement::new(return_code.clone()), credentials, clock.now()).json;
    Ack { return_code, body }
}

/// Signs a message body the way eftPay does, for merchants' own tests of their notification
/// handlers: give the JSON fields without `sign` (any `sign` present is replaced); get back a
/// body that [`verify_notification`] accepts with the same secret. Field values are kept exactly.
///
/// # Errors
/// The text is not a JSON object, or has a duplicate field.
pub fn sign_for_test(body: &str, secret: &Secret) -> Result<String, ReceivedError> {
    let fields = ReceivedFields::from_json(body)?;
    let sign = sign_fields(&fields, secret);
    let mut out = String::from("{");
    for (name, value) in fields.iter().filter(|(name, _)| *name != "sign") {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&json_string(name));
        out.push(':');
        match value {
            ReceivedValue::Text(text) => out.push_str(&json_string(text)),
            ReceivedValue::Number(text) | ReceivedValue::Nested(text) => out.push_str(text),
            ReceivedValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            ReceivedValue::Null => out.push_str("null"),
        }
    }
    if out.len() > 1 {
        out.push(',');
    }
    out.push_str("\"sign\":");
    out.push_str(&json_string(&sign));
    out.push('}');
    Ok(out)
}
