//! Notifications eftPay POSTs to `notify_url` (`docs/protocol.md` §6): verify, tell one
//! notification from another by the spec's recognition rules, hand the typed value to the
//! merchant's code, and answer with a signed acknowledgement. eftPay is taken to re-deliver until
//! it reads the answer meaning handled (an assumption: no page says so, `docs/protocol.md` §6),
//! so handling must be idempotent and duplicates acknowledged.
//!
//! Nothing here names a notification, a field or a code of the spec: notifications are
//! recognized by the catalog's rules, and the acknowledgement is built from the catalog's
//! acknowledgement interface — its return-code field set to the value meaning handled (or not
//! handled), its time and signature filled in as for a request. Each function has a variant
//! taking the catalog (`…_with` / `…_in`), so a fixture spec's messages go through the same code;
//! the others use the SDK's own [`CATALOG`](crate::CATALOG).
//!
//! ```
//! use eftpay::Notification;
//! use eftpay::notify::{self, Answer};
//! use eftpay::{Credentials, FixedClock, HkTime, TradeStatus};
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
//! let ack = notify::acknowledge(Answer::Handled, &credentials, &clock);
//! assert!(ack.body.starts_with(r#"{"return_code":"success","time":"20230609110700","sign":""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;

use std::time::Duration;

use crate::Notification;
use crate::catalog::{Catalog, FieldInfo, InterfaceInfo, TypedFields};
use crate::credentials::{Credentials, Secret};
use crate::json_text::string as json_string;
use crate::message::IncomingMessage;
use crate::received::{IncomingError, ReceivedError, ReceivedFields, ReceivedValue};
use crate::rules::{Concept, Meaning, Purpose};
use crate::signing::{SIGN_FIELD, sign_fields};
use crate::time::Clock;
use crate::verify::{read_typed, verify_fields, verify_form, verify_json};
use crate::wire::{OutgoingField, OutgoingFields};
use crate::{Verified, VerifyError};

/// Verifies a notification body (JSON, as POSTed to `notify_url`) and reads it as the SDK's
/// [`Notification`].
///
/// # Errors
/// An unreadable body, a missing or wrong signature, a field without its documented form, or a
/// signed message that no rule recognizes as a notification.
pub fn verify_notification(body: &str, secret: &Secret) -> Result<Verified<Notification>, VerifyError> {
    verify_json(body, secret)
}

/// [`verify_notification`], also refusing a notification whose signed `time` is more than
/// `max_age` away from `clock`'s now, in either direction — so a genuine but old notification
/// replayed later is refused. Opt-in: eftPay is taken to re-deliver a notification until it is
/// acknowledged and publishes nothing about for how long (`docs/protocol.md` §6), so choose
/// `max_age` longer than your endpoint may be down.
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

/// A notification of any spec, verified and recognized by its catalog.
#[derive(Clone, Debug)]
pub struct RecognizedNotification {
    /// The notification interface the catalog's rules recognized.
    pub interface: &'static InterfaceInfo,
    /// Its fields as its generated type holds them, and every field as received.
    pub verified: Verified<TypedFields>,
}

/// Verifies a notification body (JSON) and reads it through `catalog`: recognized by the
/// catalog's rules, typed by the recognized interface's generated reader. For callers holding a
/// catalog rather than a notification type (a fixture spec, a tool).
///
/// # Errors
/// As [`verify_notification`]: a signed body no rule recognizes is refused as
/// [`IncomingError::Unrecognized`] (in [`VerifyError::Field`]).
pub fn verify_notification_in(
    catalog: &'static Catalog,
    body: &str,
    secret: &Secret,
) -> Result<RecognizedNotification, VerifyError> {
    let fields = ReceivedFields::from_json(body)?;
    verify_fields(&fields, secret)?;
    let interface = catalog
        .recognize_notification(&fields)
        .ok_or(VerifyError::Field(IncomingError::Unrecognized { expected: "notification" }))?;
    let verified = read_typed(interface, fields.labelled(interface.name))?;
    Ok(RecognizedNotification { interface, verified })
}

/// Verifies the synchronous return (form-encoded, POSTed by the payer's browser to
/// `return_url`) as `T`, the spec's return type (`verify_return::<eftpay::SyncReturn>`). Show
/// the payer a page from it; decide nothing on it alone — the notification and a query are
/// authoritative.
///
/// # Errors
/// An unreadable body, a missing or wrong signature, or a field without its documented form.
pub fn verify_return<T: IncomingMessage>(form_body: &str, secret: &Secret) -> Result<Verified<T>, VerifyError> {
    verify_form(form_body, secret)
}

/// The merchant's answer to a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// Handled (recorded, or a duplicate already recorded): eftPay stops re-delivering.
    Handled,
    /// Not handled: eftPay delivers it again.
    NotHandled,
}

impl Answer {
    /// What the spec calls this answer's return code.
    pub fn meaning(self) -> Meaning {
        match self {
            Answer::Handled => Meaning::Handled,
            Answer::NotHandled => Meaning::NotHandled,
        }
    }
}

/// The content type of an acknowledgement.
pub const ACK_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A signed acknowledgement, ready to be the HTTP response to a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ack {
    /// What was answered.
    pub answer: Answer,
    /// The return code sent for it, as the spec spells it.
    pub code: &'static str,
    /// The JSON body: the return code, `time`, the signature.
    pub body: String,
}

impl Ack {
    /// The content type to send it with.
    pub fn content_type(&self) -> &'static str {
        ACK_CONTENT_TYPE
    }
}

/// The catalog has no acknowledgement the SDK can build.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AckError {
    /// No interface has the acknowledgement purpose.
    #[error("the spec has no acknowledgement interface, so notifications cannot be answered; add one to the spec")]
    NoInterface,
    /// The acknowledgement has no return-code field, or its value set has no value meaning the
    /// answer.
    #[error(
        "the spec's {interface} has no return-code value meaning {meaning:?}, so that answer cannot be given; give \
         the return-code field's value set a value with that meaning"
    )]
    NoCode {
        /// The acknowledgement interface.
        interface: &'static str,
        /// The meaning looked for.
        meaning: Meaning,
    },
    /// The acknowledgement has a required field the SDK cannot fill in.
    #[error(
        "the spec's {interface} requires `{field}`, which the SDK cannot fill in (it fills the return code, the \
         time, the user key, fixed fields and the signature)"
    )]
    UnfillableField {
        /// The acknowledgement interface.
        interface: &'static str,
        /// The field.
        field: &'static str,
    },
}

/// Builds the merchant's answer to a notification, signed like any message
/// (`docs/protocol.md` §6): [`Answer::Handled`] stops re-delivery, [`Answer::NotHandled`] asks
/// for it again. It cannot fail: the generator checked, when the crate was built, that the
/// SDK's spec has an acknowledgement with a return code for each answer and no field the SDK
/// cannot fill in (a spec without one is a compile error).
pub fn acknowledge(answer: Answer, credentials: &Credentials, clock: &dyn Clock) -> Ack {
    let proven = &crate::__spec::ACKNOWLEDGEMENT_PROVEN;
    let code = match answer {
        Answer::Handled => proven.handled,
        Answer::NotHandled => proven.not_handled,
    };
    let body = signed_acknowledgement(proven.interface, proven.code_field, code, credentials, clock);
    Ack { answer, code, body }
}

/// [`acknowledge`] with `catalog`'s acknowledgement: the interface of purpose
/// acknowledgement, its return-code field set to the value meaning the answer, its time and
/// user key (if it has one) from `clock` and `credentials`, its fixed fields fixed, and signed.
///
/// # Errors
/// The catalog has no acknowledgement (a spec may have none; the generator checks any it has).
/// The other variants are kept for catalogs built by hand.
pub fn acknowledge_in(
    catalog: &'static Catalog,
    answer: Answer,
    credentials: &Credentials,
    clock: &dyn Clock,
) -> Result<Ack, AckError> {
    let interface = catalog
        .interfaces
        .iter()
        .copied()
        .find(|interface| interface.purpose == Purpose::Acknowledgement)
        .ok_or(AckError::NoInterface)?;
    let no_code = AckError::NoCode { interface: interface.name, meaning: answer.meaning() };
    let code_field = interface.field_for(Concept::ReturnCode).ok_or_else(|| no_code.clone())?;
    let code = code_field.enum_name.and_then(|codes| catalog.wire_for(codes, answer.meaning())).ok_or(no_code)?;
    if let Some(field) = interface.fields.iter().find(|field| field.is_mandatory() && !fillable(field, code_field.wire))
    {
        return Err(AckError::UnfillableField { interface: interface.name, field: field.wire });
    }
    let body = signed_acknowledgement(interface, code_field.wire, code, credentials, clock);
    Ok(Ack { answer, code, body })
}

/// The signed body of `interface` with `code` in its field `code_field`, and every other field
/// the SDK fills in ([`fill`]); the fields it cannot fill are left out.
fn signed_acknowledgement(
    interface: &'static InterfaceInfo,
    code_field: &str,
    code: &'static str,
    credentials: &Credentials,
    clock: &dyn Clock,
) -> String {
    let time = clock.now().to_compact();
    let fields = interface
        .fields
        .iter()
        .filter(|field| field.concept != Some(Concept::Sign))
        .filter_map(|field| {
            let value = if field.wire == code_field { Some(code) } else { fill(field, credentials, &time) }?;
            Some(OutgoingField { name: field.wire, value: value.to_owned(), nested: false })
        })
        .collect();
    OutgoingFields::from_fields(fields).signed_json(&credentials.secret)
}

/// Whether the SDK gives `field` a value: the return code, or what [`fill`] fills.
fn fillable(field: &FieldInfo, code_field: &str) -> bool {
    field.wire == code_field
        || field.concept == Some(Concept::Sign)
        || field.fixed.is_some()
        || matches!(field.concept, Some(Concept::Time | Concept::UserConfirmKey))
}

/// The value the SDK gives a field of the acknowledgement other than its return code; `None`
/// for a field it leaves out (the signature is added when the body is signed).
fn fill<'a>(field: &'static FieldInfo, credentials: &'a Credentials, time: &'a str) -> Option<&'a str> {
    if let Some(fixed) = field.fixed {
        return Some(fixed);
    }
    match field.concept {
        Some(Concept::Time) => Some(time),
        Some(Concept::UserConfirmKey) => Some(&credentials.user_confirm_key),
        _ => None,
    }
}

/// Signs a message body the way eftPay does, for merchants' own tests of their notification
/// handlers: give the JSON fields without the signature (one present is replaced); get back a
/// body that [`verify_notification`] accepts with the same secret. Field values are kept exactly.
///
/// # Errors
/// The text is not a JSON object, or has a duplicate field.
pub fn sign_for_test(body: &str, secret: &Secret) -> Result<String, ReceivedError> {
    let fields = ReceivedFields::from_json(body)?;
    let sign = sign_fields(&fields, secret);
    let mut out = String::from("{");
    for (name, value) in fields.iter().filter(|(name, _)| *name != SIGN_FIELD) {
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
    out.push_str(&json_string(SIGN_FIELD));
    out.push(':');
    out.push_str(&json_string(&sign));
    out.push('}');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{FixedClock, HkTime};

    #[test]
    fn the_proven_acknowledgement_is_the_one_the_catalog_describes() {
        let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
        let clock = FixedClock::new(HkTime::parse_compact("20230609110700").unwrap());
        for answer in [Answer::Handled, Answer::NotHandled] {
            let proven = acknowledge(answer, &credentials, &clock);
            assert_eq!(Ok(proven), acknowledge_in(&crate::CATALOG, answer, &credentials, &clock), "{answer:?}");
        }
    }

    #[test]
    fn every_signature_field_of_the_spec_is_the_signature_rules() {
        for interface in crate::CATALOG.interfaces {
            for field in interface.fields.iter().chain(interface.response) {
                if field.concept == Some(Concept::Sign) {
                    assert_eq!(field.wire, SIGN_FIELD, "{}", interface.name);
                }
            }
        }
    }
}
