//! Verification of what eftPay sends (responses, notifications, the synchronous return):
//! recompute the signature over every field received — known to our types or not — and compare
//! in constant time (`docs/protocol.md` §2). Typed data is reachable only through [`Verified`].
//! No error carries the secret, the expected signature or the signed string.
//!
//! A message is typed either as a generated type ([`verify`], for callers that know it) or
//! through its interface's entry in a catalog ([`verify_typed`], for callers that hold an
//! [`InterfaceInfo`] — any spec's, a fixture's included).

use std::time::Duration;

use crate::catalog::{InterfaceInfo, TypedFields};
use crate::credentials::Secret;
use crate::message::IncomingMessage;
use crate::received::{IncomingError, ReceivedError, ReceivedFields};
use crate::signature::{SIGN_FIELD, Signature};
use crate::signing::signature_of;
use crate::time::HkTime;

/// Why a message was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The body is not a readable message.
    #[error(transparent)]
    Body(#[from] ReceivedError),
    /// No `sign` field.
    #[error("the message has no `sign` field, so it cannot be trusted")]
    MissingSignature,
    /// `sign` is not 64 hex characters.
    #[error("`sign` is not a SHA-256 signature (64 hex characters); the message cannot be trusted")]
    MalformedSignature,
    /// The signature does not match the fields.
    #[error(
        "the signature does not match the message: it was changed, or signed with another secret (check the merchant secret)"
    )]
    Mismatch,
    /// Verified, but a field does not have the documented form, or the message is not the
    /// kind expected ([`IncomingError::Unrecognized`]: a reply or an acknowledgement re-sent to
    /// `notify_url`).
    #[error(transparent)]
    Field(#[from] IncomingError),
    /// Verified, but its signed `time` is further from now than the caller allows: an old
    /// message replayed.
    #[error(
        "the message's time is {age_seconds} s from now, more than the {max_seconds} s allowed: an old message replayed, or a clock that is off; refuse it"
    )]
    Stale {
        /// How far the message's time is from now, in seconds (negative: in the future).
        age_seconds: i64,
        /// The most allowed.
        max_seconds: u64,
    },
    /// A maximum age was asked for, but the message carries no `time`.
    #[error("the message carries no `time`, so its age cannot be checked; refuse it")]
    Undated,
    /// The message's interface has no typed reader in its catalog: it is not a message eftPay
    /// sends (the spec's generator gives every such message one).
    #[error(
        "the {interface} interface has no reader for what eftPay sends, so the message cannot be read; check that \
         the interface is a response, a notification or a return"
    )]
    NoReader {
        /// The interface's name.
        interface: &'static str,
    },
}

/// A message whose signature checked out: the typed view and every raw field.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified<T> {
    message: T,
    fields: ReceivedFields,
}

impl<T> Verified<T> {
    /// The typed message.
    pub fn message(&self) -> &T {
        &self.message
    }

    /// The typed message, by value.
    pub fn into_message(self) -> T {
        self.message
    }

    /// Every field as received (including `sign` and fields the types do not model).
    pub fn fields(&self) -> &ReceivedFields {
        &self.fields
    }
}

impl<T: IncomingMessage> Verified<T> {
    /// The message's signed `time` (Hong Kong time), when it carries one.
    pub fn time(&self) -> Option<HkTime> {
        self.message.time()
    }

    /// How long ago the message was signed, by its `time`: seconds from then to `now`
    /// (negative when `time` lies in the future). `None` when it carries no `time`.
    pub fn age(&self, now: HkTime) -> Option<i64> {
        self.time().map(|time| time.seconds_between(now))
    }

    /// Refuses a message whose `time` is more than `max_age` from `now`, either way.
    ///
    /// # Errors
    /// [`VerifyError::Stale`], or [`VerifyError::Undated`] when it carries no `time`.
    pub fn check_age(&self, max_age: Duration, now: HkTime) -> Result<(), VerifyError> {
        let age = self.age(now).ok_or(VerifyError::Undated)?;
        let max_seconds = max_age.as_secs();
        if age.unsigned_abs() > max_seconds {
            return Err(VerifyError::Stale { age_seconds: age, max_seconds });
        }
        Ok(())
    }
}

impl<T> std::ops::Deref for Verified<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.message
    }
}

/// Checks the `sign` of received fields against the secret.
///
/// # Errors
/// Missing, malformed or wrong signature.
pub fn verify_fields(fields: &ReceivedFields, secret: &Secret) -> Result<(), VerifyError> {
    let received = fields.text(SIGN_FIELD).ok_or(VerifyError::MissingSignature)?;
    if received.len() != 64 {
        return Err(VerifyError::MalformedSignature);
    }
    let received = Signature::from_hex(received).ok_or(VerifyError::MalformedSignature)?;
    if signature_of(fields, secret).matches(&received) { Ok(()) } else { Err(VerifyError::Mismatch) }
}

/// Verifies fields, then reads them as `T`.
///
/// # Errors
/// A bad signature, or a field that does not have its documented form.
pub fn verify<T: IncomingMessage>(fields: ReceivedFields, secret: &Secret) -> Result<Verified<T>, VerifyError> {
    verify_fields(&fields, secret)?;
    read_as(fields)
}

/// Verifies fields, then reads them through `interface`'s entry in its catalog: the generated
/// type's reader, written back as fields.
///
/// # Errors
/// A bad signature, a field that does not have its documented form, or an interface that is
/// not a message eftPay sends.
pub fn verify_typed(
    interface: &'static InterfaceInfo,
    fields: ReceivedFields,
    secret: &Secret,
) -> Result<Verified<TypedFields>, VerifyError> {
    verify_fields(&fields, secret)?;
    read_typed(interface, fields.labelled(interface.name))
}

/// Reads fields whose signature was verified as `T`.
pub(crate) fn read_as<T: IncomingMessage>(fields: ReceivedFields) -> Result<Verified<T>, VerifyError> {
    let fields = fields.labelled(T::MESSAGE);
    let message = T::from_fields(&fields)?;
    Ok(Verified { message, fields })
}

/// Reads fields whose signature was verified through `interface`'s typed reader. The caller
/// labels the fields for error texts.
pub(crate) fn read_typed(
    interface: &'static InterfaceInfo,
    fields: ReceivedFields,
) -> Result<Verified<TypedFields>, VerifyError> {
    let typed = interface.codec.typed.ok_or(VerifyError::NoReader { interface: interface.name })?;
    let message = typed(&fields)?;
    Ok(Verified { message, fields })
}

/// Verifies a JSON body (a response or a notification) and reads it as `T`.
///
/// # Errors
/// An unreadable body, a bad signature, or a malformed field.
pub fn verify_json<T: IncomingMessage>(body: &str, secret: &Secret) -> Result<Verified<T>, VerifyError> {
    verify(ReceivedFields::from_json(body)?, secret)
}

/// Verifies a form-encoded body (the synchronous return) and reads it as `T`.
///
/// # Errors
/// An unreadable body, a bad signature, or a malformed field.
pub fn verify_form<T: IncomingMessage>(body: &str, secret: &Secret) -> Result<Verified<T>, VerifyError> {
    verify(ReceivedFields::from_form(body)?, secret)
}
