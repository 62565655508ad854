//! Everything that can go wrong sending a request, each message saying what happened and what to
//! do next. None carries the secret, the expected signature or the signed string: the signing
//! and verification code never hands them out, and errors only quote what eftPay sent (or, for
//! fields given by name, what the caller gave).
//!
//! A refusal is kept as eftPay sent it — the code as text, with what the catalog says it means —
//! and its advice is chosen by that meaning, never by a code written here.

use std::error::Error as StdError;
use std::fmt;

use crate::VerifyError;
use crate::received::ReceivedError;
use crate::rules::Meaning;
use crate::violations::Violations;

/// At most `max_chars` characters of `text` for an error to quote, `…` appended when cut: what
/// eftPay or the caller sent is quoted, never at any length.
pub(super) fn shortened(text: &str, max_chars: usize) -> String {
    let mut cut: String = text.chars().take(max_chars).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// The error of the HTTP stack underneath, kept as the [`source`](StdError::source) so the
/// public API does not depend on its type.
type TransportCause = Box<dyn StdError + Send + Sync + 'static>;

/// Why a request did not produce a verified reply.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The client's configuration is unusable; raised by [`ClientBuilder::build`](super::ClientBuilder::build).
    #[error("the eftPay client is misconfigured: {reason}")]
    Config {
        /// Which setting, and what would fix it.
        reason: String,
    },

    /// The request breaks a rule eftPay enforces, so it was not sent.
    #[error("{violations}\nThe request was not sent; fix it and send it again.")]
    Invalid {
        /// Every broken rule.
        violations: Violations,
    },

    /// The interface cannot be sent by this client: it is not a request, has no endpoint, uses
    /// an encoding requests are not sent in, or its reply could never say it was accepted.
    /// Nothing was sent.
    #[error("the {interface} interface cannot be sent: {reason}; nothing was sent")]
    Unsupported {
        /// The interface.
        interface: &'static str,
        /// Why, and what to do instead.
        reason: String,
    },

    /// A field given by name ([`Client::send_fields`](super::Client::send_fields)) cannot be sent
    /// as given: the interface has no such field, or the client fills it in. Nothing was sent.
    #[error("cannot send `{field}` in the {interface} request: {reason}; nothing was sent")]
    Field {
        /// The interface.
        interface: &'static str,
        /// The name as given (cut to 40 characters).
        field: String,
        /// Why, and what to do instead.
        reason: String,
    },

    /// No connection to eftPay could be made, so the request was not sent.
    #[error(
        "could not connect to {url} for the {interface} request after {attempts} attempt(s), so it was not sent; \
         check the base URL and the network, then send it again"
    )]
    Connect {
        /// The interface (`place_order`).
        interface: &'static str,
        /// Where the request was going.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// What the HTTP stack reported.
        #[source]
        source: TransportCause,
    },

    /// The reply did not arrive in time. eftPay may or may not have received and acted on the
    /// request.
    #[error(
        "the {interface} request timed out after {attempts} attempt(s); eftPay may or may not have acted on it — \
         query the trade before sending it again"
    )]
    Timeout {
        /// The interface.
        interface: &'static str,
        /// Attempts made.
        attempts: u32,
        /// What the HTTP stack reported.
        #[source]
        source: TransportCause,
    },

    /// The exchange broke off after the connection was made (reset, malformed HTTP).
    #[error(
        "the {interface} request failed in transit; eftPay may or may not have acted on it — query the trade before \
         sending it again"
    )]
    Transport {
        /// The interface.
        interface: &'static str,
        /// Attempts made.
        attempts: u32,
        /// What the HTTP stack reported.
        #[source]
        source: TransportCause,
    },

    /// eftPay (or something in front of it) answered with an HTTP status other than 2xx.
    #[error(
        "the {interface} request got HTTP {status} after {attempts} attempt(s) (body starts {excerpt:?}); a 4xx or \
         3xx usually means a wrong base URL, a 5xx trouble at eftPay — query the trade before sending it again"
    )]
    HttpStatus {
        /// The interface.
        interface: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the body, truncated.
        excerpt: String,
        /// Attempts made.
        attempts: u32,
    },

    /// The reply body is larger than any eftPay reply; it was not read to the end.
    #[error(
        "the reply to the {interface} request is larger than {limit} bytes, which no eftPay reply is; check the base \
         URL, then query the trade before sending it again"
    )]
    ReplyTooLarge {
        /// The interface.
        interface: &'static str,
        /// The limit in bytes.
        limit: usize,
    },

    /// The reply body is not a JSON object of fields.
    #[error(
        "the reply to the {interface} request is not an eftPay message ({cause}; body starts {excerpt:?}); check the \
         base URL, then query the trade before sending it again"
    )]
    NotJson {
        /// The interface.
        interface: &'static str,
        /// Why it could not be read.
        cause: ReceivedError,
        /// The start of the body, truncated.
        excerpt: String,
    },

    /// eftPay refused the request: its return status is a code other than the one meaning
    /// accepted.
    #[error(transparent)]
    Gateway(#[from] GatewayError),

    /// The reply's signature is missing or wrong, or a verified field is malformed. Nothing in
    /// it may be acted on.
    #[error(
        "the reply to the {interface} request cannot be trusted and must not be acted on: {cause}. If the secret is \
         right, query the trade to learn its state"
    )]
    Verification {
        /// The interface whose reply it is (`place_order`).
        interface: &'static str,
        /// What failed.
        cause: VerifyError,
    },

    /// A verified, accepted reply about something other than what was asked: a field that
    /// identifies the order, the refund or the merchant carries another value than the
    /// request's. Perhaps a genuine reply to another request, played back; nothing in it may be
    /// acted on.
    #[error(
        "the reply to the {interface} request is about something else and must not be trusted: its `{field}` is \
         {answered:?}, the request's {asked:?}; do not act on it — check that the base URL leads to eftPay, then query \
         the trade to learn its state"
    )]
    Mismatch {
        /// The interface whose reply it is (`query`).
        interface: &'static str,
        /// The reply's field that disagrees, by its wire name.
        field: &'static str,
        /// What the request sent (cut to 40 characters).
        asked: String,
        /// What the reply carries (cut to 40 characters).
        answered: String,
    },

    /// A verified, accepted reply without a field an answer to this request carries: one its
    /// reply table requires, or one naming what the request identified itself by (its order or
    /// refund number, the merchant's key). Perhaps a reply of another interface or about
    /// something else, played back; nothing in it may be acted on.
    #[error(
        "the reply to the {interface} request has no `{field}` ({why}), so it may answer another request and must \
         not be trusted; do not act on it — check that the base URL leads to eftPay, then query the trade to learn \
         its state"
    )]
    Incomplete {
        /// The interface whose reply it is (`query`).
        interface: &'static str,
        /// The missing field, by its wire name.
        field: &'static str,
        /// Why the reply must carry it.
        why: &'static str,
    },

    /// A verified reply whose signed `time` lies outside the window around the request's
    /// (see [`ClientBuilder::reply_time_window`](super::ClientBuilder::reply_time_window)).
    #[error(
        "the reply to the {interface} request has a `{field}` {} the request's, outside the {window_seconds} s \
         allowed: an old reply played back, or a clock that is off (this machine's or eftPay's; times are Hong Kong \
         time, UTC+8); do not act on it — check the clock, then query the trade to learn its state",
        skew_text(*skew_seconds)
    )]
    ReplyOutsideWindow {
        /// The interface whose reply it is.
        interface: &'static str,
        /// The reply's time field, by its wire name.
        field: &'static str,
        /// Seconds from the request's `time` to the reply's (negative: the reply is older).
        skew_seconds: i64,
        /// The window, in seconds.
        window_seconds: u64,
    },

    /// A verified, accepted reply that carries no `time`, so whether it answers this request
    /// or is an old reply played back cannot be told.
    #[error(
        "the reply to the {interface} request has no `{field}`, so it cannot be told from an old reply played back; \
         do not act on it — query the trade to learn its state"
    )]
    UndatedReply {
        /// The interface whose reply it is.
        interface: &'static str,
        /// The time field the reply should carry, by its wire name.
        field: &'static str,
    },

    /// A verified reply without its return status, so it does not say whether the request was
    /// accepted.
    #[error(
        "the reply to the {interface} request has no `{field}`, so it does not say whether the request was \
         accepted; query the trade before sending it again"
    )]
    NoReturnStatus {
        /// The interface whose reply it is.
        interface: &'static str,
        /// The return-status field, by its wire name.
        field: &'static str,
    },
}

impl ClientError {
    /// The gateway's refusal, when that is what this is.
    pub fn gateway(&self) -> Option<&GatewayError> {
        match self {
            ClientError::Gateway(refusal) => Some(refusal),
            _ => None,
        }
    }

    /// The broken rules, when the request was not sent because it is invalid.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            ClientError::Invalid { violations } => Some(violations),
            _ => None,
        }
    }
}

/// "3600 s after" / "864000 s before" / "the same second as".
fn skew_text(seconds: i64) -> String {
    match seconds {
        0 => "dated the same second as".to_owned(),
        s if s > 0 => format!("dated {s} s after"),
        s => format!("dated {} s before", s.unsigned_abs()),
    }
}

/// eftPay's refusal of a request: a return status other than the code meaning accepted, with
/// its explaining text (`docs/protocol.md` §7: keep both; codes are not all published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError {
    interface: &'static str,
    field: &'static str,
    code: String,
    meaning: Option<Meaning>,
    text: Option<String>,
    verified: bool,
}

impl GatewayError {
    pub(super) fn new(
        interface: &'static str,
        field: &'static str,
        code: String,
        meaning: Option<Meaning>,
        text: Option<String>,
        verified: bool,
    ) -> Self {
        GatewayError { interface, field, code, meaning, text, verified }
    }

    /// The interface whose request was refused (`place_order`).
    pub fn interface(&self) -> &'static str {
        self.interface
    }

    /// The return status, verbatim (also for codes the spec does not list).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The return status as a generated value set (`e.code_as::<eftpay::ReturnStatus>()`);
    /// a code the set does not list becomes its `Unknown` value.
    pub fn code_as<E: std::str::FromStr<Err = std::convert::Infallible>>(&self) -> E {
        match self.code.parse() {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// What the code means, when the spec says (`Meaning::TimeMismatch`, …); `None` for codes
    /// the spec does not list or gives no meaning.
    pub fn meaning(&self) -> Option<Meaning> {
        self.meaning
    }

    /// The reply's return-status field, by its wire name.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The explaining text, if any. eftPay says it may change: show it, do not match on it.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Whether the reply's signature was verified. `false` for the unsigned replies eftPay
    /// sends with a negative code (`docs/protocol.md` §3): then code and text are unauthenticated.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// What the merchant should do about the code, by what it means.
    fn next_step(&self) -> &'static str {
        match self.meaning {
            Some(Meaning::TimeMismatch) => {
                "the request's `time` is too far from eftPay's clock: set this machine's clock right (requests carry \
                 Hong Kong time, UTC+8) and send it again"
            }
            Some(Meaning::InvalidService) => {
                "eftPay does not take this service here: check that it is enabled for this merchant and that the \
                 base URL is the right environment"
            }
            Some(Meaning::RefundFailed) => {
                "the refund was not made: query the trade to see its state before refunding again"
            }
            Some(Meaning::Unreadable) => {
                "the body did not reach eftPay as a message: check that the base URL leads to eftPay's API"
            }
            Some(Meaning::BadSignature) => {
                "the signature did not verify there: check that the secret is the one issued with this user key, \
                 for this environment"
            }
            Some(Meaning::UnknownMerchant) => {
                "the user key is not known there: check the user key and that the base URL is the right environment"
            }
            Some(Meaning::InvalidField) => "a field breaks a rule (the text says which): fix it and send it again",
            Some(Meaning::Duplicate) => {
                "the order or refund number was already used for something else: query it, or use a new number"
            }
            Some(Meaning::NotFound) => {
                "no such order or refund: check its number and that the base URL is the environment it was made in"
            }
            Some(Meaning::NotRefundable) => {
                "the order cannot be refunded (not paid, or its service has no refund): query the trade to see its state"
            }
            Some(Meaning::RefundTooLarge) => {
                "the refund is more than what is left of the paid amount: query the trade, then refund at most the rest"
            }
            Some(Meaning::CannotClose) => "the order is paid or no longer open: query the trade to see its state",
            Some(Meaning::ServerError) => {
                "eftPay had a server error: query the trade to learn its state before sending it again"
            }
            _ => "the request was not accepted: fix it and send it again, or ask eftPay what the code means",
        }
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Quoted: an unsigned refusal's code is unauthenticated text and may hold anything.
        write!(f, "eftPay refused the {} request with {} {:?}", self.interface, self.field, self.code)?;
        if let Some(text) = &self.text {
            write!(f, " ({text:?})")?;
        }
        if !self.verified {
            f.write_str(" in an unsigned reply, so code and text are unverified")?;
        }
        write!(f, "; {}", self.next_step())
    }
}

impl StdError for GatewayError {}
