//! What eftPay's reply to a request means, read in the order that lets each step trust the
//! previous one: the HTTP status, the JSON body, then the return status and the signature
//! together (`docs/protocol.md` §1–§3, §7). Only a verified, accepted reply goes on to be typed.
//! Whether a verified reply belongs to its request is asked afterwards (`binding`, `freshness`).
//!
//! No field name or code is written here: the reply's return-status, return-text and signature
//! fields are the interface's response fields of those concepts, and a code's meaning is what
//! the catalog's value set for the return-status field says it means.

use super::error::shortened;
use super::transport::Exchange;
use super::{ClientError, GatewayError};
use crate::catalog::{Catalog, FieldInfo, InterfaceInfo};
use crate::credentials::Secret;
use crate::received::ReceivedFields;
use crate::rules::{Concept, Meaning, is_negative_return_status};
use crate::signing::SIGN_FIELD;
use crate::verify::verify_fields;

/// How many characters of an unexpected body an error quotes: enough to recognize an HTML error
/// page or a proxy's message, short enough for a log line.
const EXCERPT_CHARS: usize = 120;

/// Where a reply to one interface says what: read from the interface's response table once per
/// call, before anything is sent.
#[derive(Clone, Copy, Debug)]
pub(super) struct ReplyShape {
    catalog: &'static Catalog,
    interface: &'static InterfaceInfo,
    /// The return-status field; its value set says what each code means.
    status: &'static FieldInfo,
    /// The value set of the return-status field.
    codes: &'static str,
    /// The field explaining the status, if the reply has one.
    text: Option<&'static str>,
    /// The signature field.
    sign: &'static str,
}

impl ReplyShape {
    /// The shape of `interface`'s reply, with the meanings of `catalog`.
    ///
    /// # Errors
    /// [`ClientError::Unsupported`] when the reply could never say that a request was
    /// accepted: no return-status field, or no code of its value set that means accepted.
    pub(super) fn of(catalog: &'static Catalog, interface: &'static InterfaceInfo) -> Result<ReplyShape, ClientError> {
        let unsupported = |reason| ClientError::Unsupported { interface: interface.name, reason };
        let status = interface
            .response_field_for(Concept::ReturnStatus)
            .ok_or_else(|| unsupported("the spec lists no return-status field in its reply".to_owned()))?;
        let codes =
            status.enum_name.filter(|codes| catalog.wire_for(codes, Meaning::Accepted).is_some()).ok_or_else(|| {
                unsupported(format!(
                    "no value of the reply's `{}` field means accepted in the catalog given, so no reply could be \
                     trusted; send a request of another spec with that spec's catalog",
                    status.wire
                ))
            })?;
        Ok(ReplyShape {
            catalog,
            interface,
            status,
            codes,
            text: interface.response_field_for(Concept::ReturnText).map(|field| field.wire),
            sign: interface.response_field_for(Concept::Sign).map_or(SIGN_FIELD, |field| field.wire),
        })
    }

    /// The reply's return status, as received.
    pub(super) fn status_of<'f>(&self, fields: &'f ReceivedFields) -> Option<&'f str> {
        fields.text(self.status.wire)
    }

    fn meaning_of(&self, code: &str) -> Option<Meaning> {
        self.catalog.meaning_of(self.codes, code)
    }
}

/// What a reply says, once it could be read and its signature checked.
#[derive(Debug)]
pub(super) enum Answer {
    /// Accepted, and its signature verified; not yet typed.
    Accepted(ReceivedFields),
    /// A refusal, with the fields it came in (verified when the refusal says so).
    Refused(GatewayError, ReceivedFields),
}

/// Reads the reply to a request of the shape's interface.
pub(super) fn read(
    shape: &ReplyShape,
    exchange: &Exchange,
    secret: &Secret,
    attempts: u32,
) -> Result<Answer, ClientError> {
    let interface = shape.interface.name;
    if !(200..=299).contains(&exchange.status) {
        return Err(ClientError::HttpStatus {
            interface,
            status: exchange.status,
            excerpt: excerpt(&exchange.body),
            attempts,
        });
    }
    let fields = ReceivedFields::from_json_bytes(&exchange.body).map_err(|cause| ClientError::NotJson {
        interface,
        cause,
        excerpt: excerpt(&exchange.body),
    })?;
    judge(shape, fields, secret)
}

/// How a reply is trusted, by its return status — the one place this rule lives:
///
/// - a code meaning accepted: the signature must verify; only then does the reply go on.
/// - a negative code (`-13`) without a signature: eftPay signs replies only when the return
///   status is `00` or above (`docs/protocol.md` §3), so this is a refusal whose code and text
///   are reported as unverified. With a signature, it must verify like any other.
/// - any other code: a refusal. Its signature must verify; a missing one is a verification
///   failure rather than a refusal, since these replies are signed **\[assume\]** (a code that
///   is not a number counts as non-negative, so it must be signed too).
/// - no return status at all: the signature must verify, and the reply is then reported as not
///   saying whether the request was accepted **\[assume\]**: the protocol lists the return
///   status as always returned.
fn judge(shape: &ReplyShape, fields: ReceivedFields, secret: &Secret) -> Result<Answer, ClientError> {
    let interface = shape.interface.name;
    let untrusted = |cause| ClientError::Verification { interface, cause };
    let Some(code) = shape.status_of(&fields).map(ToOwned::to_owned) else {
        verify_fields(&fields, secret).map_err(untrusted)?;
        return Err(ClientError::NoReturnStatus { interface, field: shape.status.wire });
    };
    let meaning = shape.meaning_of(&code);
    if meaning == Some(Meaning::Accepted) {
        verify_fields(&fields, secret).map_err(untrusted)?;
        return Ok(Answer::Accepted(fields));
    }
    let signed = fields.text(shape.sign).is_some();
    if signed || !is_negative_return_status(&code) {
        verify_fields(&fields, secret).map_err(untrusted)?;
    }
    let text = shape.text.and_then(|field| fields.text(field)).map(ToOwned::to_owned);
    let refusal = GatewayError::new(interface, shape.status.wire, code, meaning, text, signed);
    Ok(Answer::Refused(refusal, fields))
}

/// The start of a body for an error message: lossy UTF-8, at most [`EXCERPT_CHARS`]
/// characters, `…` when cut.
fn excerpt(body: &[u8]) -> String {
    shortened(String::from_utf8_lossy(body).trim(), EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_cut_on_character_boundaries() {
        let body = "測".repeat(EXCERPT_CHARS + 5);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"  <html>  "), "<html>");
    }

    #[test]
    fn every_request_of_the_spec_has_a_reply_that_can_say_accepted() {
        for interface in crate::CATALOG.interfaces.iter().filter(|i| i.endpoint.is_some()) {
            let shape = ReplyShape::of(&crate::CATALOG, interface);
            assert!(shape.is_ok(), "{}: {:?}", interface.name, shape.err());
        }
    }
}
