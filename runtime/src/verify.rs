//! Verification of what eftPay sends (responses, notifications, the synchronous return):
//! recompute the signature over every field received — known to our types or not — and compare
//! in constant time (eftpay-api.md §2). Typed data is reachable only through [`Verified`].
//! No error carries the secret, the expected signature or the signed string.

use subtle::ConstantTimeEq;

use crate::credentials::Secret;
use crate::message::IncomingMessage;
use crate::received::{IncomingError, ReceivedError, ReceivedFields};
use crate::signing::sign_fields;

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
    /// Verified, but a field does not have the documented form.
    #[error(transparent)]
    Field(#[from] IncomingError),
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
    let received = fields.text("sign").ok_or(VerifyError::MissingSignature)?;
    if received.len() != 64 {
        return Err(VerifyError::MalformedSignature);
    }
    let received = hex::decode(received).map_err(|_| VerifyError::MalformedSignature)?;
    let expected = hex::decode(sign_fields(fields, secret)).map_err(|_| VerifyError::MalformedSignature)?;
    if bool::from(received.ct_eq(&expected)) { Ok(()) } else { Err(VerifyError::Mismatch) }
}

/// Verifies fields, then reads them as `T`.
///
/// # Errors
/// A bad signature, or a field that does not have its documented form.
pub fn verify<T: IncomingMessage>(fields: ReceivedFields, secret: &Secret) -> Result<Verified<T>, VerifyError> {
    verify_fields(&fields, secret)?;
    let fields = fields.labelled(T::MESSAGE);
    let message = T::from_fields(&fields)?;
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
