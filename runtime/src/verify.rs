//! Verification of what eftPay sends (responses, notifications, the synchronous return):
//! recompute the signature over every field received — known to our types or not — and compare
//! in constant time (`docs/protocol.md` §2). Typed data is reachable only through [`Verified`].
//! No error carries the secret, the expected signature or the signed string.
//!
//! A message is typed either as a generated type ([`verify`], for callers that know it) or
//! through its interface's entry in a catalog ([`verify_typed`], for callers that hold an
//! [`InterfaceInfo`] — any spec's, a fixture's included).

use crate::catalog::{InterfaceInfo, TypedFields};
use crate::credentials::Secret;
use crate::message::IncomingMessage;
use crate::received::ReceivedFields;
use crate::signature::{SIGN_FIELD, Signature};
use crate::signing::signature_of;
use crate::verified::{Verified, VerifyError};

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
