//! What eftPay's reply to a request means, read in the order that lets each step trust the
//! previous one: the HTTP status, the JSON body, then `return_status` and `sign` together
//! (eftpay-api.md §1–§3, §7). Only a verified `00` reply becomes typed data. Whether a verified
//! reply belongs to its request is asked afterwards (`binding`, `freshness`).

use super::transport::Exchange;
use super::{ClientError, GatewayError};
use crate::ReturnStatus;
use crate::credentials::Secret;
use crate::message::IncomingMessage;
use crate::received::ReceivedFields;
use crate::verify::{self, Verified, verify_fields};

/// How many characters of an unexpected body an error quotes: enough to recognise an HTML error
/// page or a proxy's message, short enough for a log line.
const EXCERPT_CHARS: usize = 120;

/// `return_status` of an accepted request (eftpay-api.md §7).
const ACCEPTED: &str = "00";

/// What a reply says, once it could be read and its signature checked.
#[derive(Debug)]
pub(super) enum Answer<T> {
    /// `00`, verified.
    Accepted(Verified<T>),
    /// A refusal, with the fields it came in (verified when the refusal says so).
    Refused(GatewayError, ReceivedFields),
}

/// Reads the reply to a request of `interface` as `T`.
pub(super) fn read<T: IncomingMessage>(
    interface: &'static str,
    exchange: &Exchange,
    secret: &Secret,
    attempts: u32,
) -> Result<Answer<T>, ClientError> {
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
    judge::<T>(interface, fields, secret)
}

/// How a reply is trusted, by its `return_status` — the one place this rule lives:
///
/// - `00`: accepted. The `sign` must verify; only then is the reply handed out, typed.
/// - a negative code (`-13`) without `sign`: eftPay signs replies only "when return_status >=
///   00" (eftpay-api.md §3), so this is a refusal whose code and text are reported as
///   unverified. With a `sign`, it must verify like any other.
/// - any other code: a refusal. Its `sign` must verify; a missing one is a verification failure
///   rather than a refusal, since §3 says these replies are signed **\[assume\]** (a code that is
///   not a number counts as non-negative, so it must be signed too).
/// - no `return_status` at all: the `sign` must verify, and the reply is then reported as not
///   saying whether the request was accepted **\[assume\]**; §3 lists `return_status` as always
///   returned.
fn judge<T: IncomingMessage>(
    interface: &'static str,
    fields: ReceivedFields,
    secret: &Secret,
) -> Result<Answer<T>, ClientError> {
    let untrusted = |cause| ClientError::Verification { message: T::MESSAGE, cause };
    let status = fields.text("return_status").map(ToOwned::to_owned);
    match status.as_deref() {
        Some(ACCEPTED) => verify::verify::<T>(fields, secret).map(Answer::Accepted).map_err(untrusted),
        Some(code) => {
            let signed = fields.text("sign").is_some();
            if signed || !is_negative(code) {
                verify_fields(&fields, secret).map_err(untrusted)?;
            }
            let text = fields.text("return_char").map(ToOwned::to_owned);
            Ok(Answer::Refused(GatewayError::new(interface, ReturnStatus::from_wire(code), text, signed), fields))
        }
        None => {
            verify_fields(&fields, secret).map_err(untrusted)?;
            Err(ClientError::NoReturnStatus { message: T::MESSAGE })
        }
    }
}

/// Whether a `return_status` is a negative number (`-13`), which eftPay sends unsigned.
fn is_negative(code: &str) -> bool {
    code.parse::<i64>().is_ok_and(|n| n < 0)
}

/// The start of a body for an error message: lossy UTF-8, at most [`EXCERPT_CHARS`]
/// characters, `…` when cut.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_negative_numbers_are_negative() {
        assert!(is_negative("-13"));
        assert!(is_negative("-1"));
        assert!(!is_negative("00"));
        assert!(!is_negative("12"));
        assert!(!is_negative("-x"));
        assert!(!is_negative(""));
    }

    #[test]
    fn excerpts_are_cut_on_character_boundaries() {
        let body = "測".repeat(EXCERPT_CHARS + 5);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"  <html>  "), "<html>");
    }
}
