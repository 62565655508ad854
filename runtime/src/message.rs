//! The traits generated messages implement, which the signing code, the client and the
//! notification handling are written against.

use crate::catalog::InterfaceInfo;
use crate::received::{IncomingError, ReceivedFields};
use crate::time::HkTime;
use crate::violations::Violations;

/// The values the client fills in on every message it signs.
#[derive(Clone, Copy, Debug)]
pub struct Envelope<'a> {
    /// The merchant's `user_confirm_key`.
    pub user_confirm_key: &'a str,
    /// The message `time`, `yyyyMMddHHmmss` in Hong Kong time.
    pub time: &'a str,
}

/// Receives a message's fields, in ASCII order of wire name, `sign` excluded.
pub trait FieldSink {
    /// A field whose value is text on the wire.
    fn text(&mut self, name: &'static str, value: &str);
    /// A nested JSON value (object or array), as its compact JSON text.
    fn json(&mut self, name: &'static str, compact_json: &str);
}

/// A message the merchant builds and signs: a request or the acknowledgement.
pub trait OutgoingMessage {
    /// The interface's entry in the catalog: its name, purpose, endpoint and field tables.
    const INFO: &'static InterfaceInfo;
    /// The catalog of the spec the message was generated from: what its codes mean, which row
    /// a request belongs to.
    const CATALOG: &'static crate::catalog::Catalog;
    /// Every field that can be signed, in the order [`write_fields`](Self::write_fields) visits
    /// them: byte order of wire name, fixed at compile time.
    const SIGNED_FIELDS: &'static [&'static str];

    /// Checks every rule of the spec.
    ///
    /// # Errors
    /// Every broken rule.
    fn validate(&self) -> Result<(), Violations>;

    /// Hands every field but `sign` to `sink`, in [`SIGNED_FIELDS`](Self::SIGNED_FIELDS) order.
    /// Absent fields are skipped; empty ones are passed and left out by the sink.
    fn write_fields(&self, envelope: &Envelope<'_>, sink: &mut dyn FieldSink);
}

/// A request sent to an eftPay endpoint.
pub trait Request: OutgoingMessage {
    /// The path after the base URL (`/Servlet/JSAPIService.do`).
    const ENDPOINT: &'static str;
    /// What it is for ([`purpose`](crate::purpose)); the client's conveniences
    /// (`place_order`, `refund`, …) accept only requests of their purpose.
    type Purpose: crate::purpose::Marker;
    /// What eftPay answers.
    type Response: IncomingMessage;
}

/// What can be sent as a request: the request itself, or a builder of one.
pub trait IntoRequest {
    /// The request built.
    type Request: Request;
    /// The finished request.
    fn into_request(self) -> Self::Request;
}

impl<R: Request> IntoRequest for R {
    type Request = R;
    fn into_request(self) -> R {
        self
    }
}

/// A message eftPay sends: a response, a notification, the synchronous return.
pub trait IncomingMessage: Sized {
    /// What the message is, for errors (`place_order response`).
    const MESSAGE: &'static str;
    /// The wire names the spec lists for it; others land in `extra`.
    const KNOWN_FIELDS: &'static [&'static str];

    /// Reads the typed message from fields whose signature was already verified.
    ///
    /// # Errors
    /// A field whose text cannot be what its type says (an amount that is not a number).
    fn from_fields(fields: &ReceivedFields) -> Result<Self, IncomingError>;

    /// The message's signed `time`, when it carries one.
    fn time(&self) -> Option<HkTime>;
}

/// A field an accepted reply must carry (`required = true` in its interface's `[[response]]`,
/// `docs/protocol.md` §1) is not in this reply: what a generated accessor such as
/// `reply.pay_apptrade()` returns instead of the value.
///
/// The client refuses an accepted reply that lacks one, so a reply it handed out always has
/// them; this error is met with replies read by other means (a gateway, a test).
///
/// ```
/// use eftpay::{IncomingMessage, PlaceOrderResponse, ReceivedFields};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let refused = ReceivedFields::from_json(r#"{"return_status":"-13","return_char":"unknown service"}"#)?;
/// let reply = PlaceOrderResponse::from_fields(&refused)?;
/// let error = reply.pay_apptrade().unwrap_err();
/// assert_eq!(error.field(), "pay_apptrade");
/// assert!(error.to_string().contains("`pay_apptrade`"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {message} has no `{field}`, which an accepted reply always carries: it was not accepted, or was not read through the client; query the order to learn its state"
)]
pub struct MissingField {
    message: &'static str,
    field: &'static str,
}

impl MissingField {
    /// `field` (its wire name) is missing from `message` (`place_order response`).
    pub const fn new(message: &'static str, field: &'static str) -> Self {
        MissingField { message, field }
    }

    /// What the message is (`place_order response`).
    pub const fn message(&self) -> &'static str {
        self.message
    }

    /// The wire name of the missing field.
    pub const fn field(&self) -> &'static str {
        self.field
    }
}
