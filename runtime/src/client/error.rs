//! Everything that can go wrong sending a request, each message saying what happened and what to
//! do next. None carries the secret, the expected signature or the signed string (DESIGN
//! principle 7): the signing and verification code never hands them out, and errors only quote
//! what eftPay sent.

use std::error::Error as StdError;
use std::fmt;

use crate::ReturnStatus;
use crate::received::ReceivedError;
use crate::validation::Violations;
use crate::verify::VerifyError;

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

    /// eftPay refused the request: `return_status` is not `00`.
    #[error(transparent)]
    Gateway(#[from] GatewayError),

    /// The reply's signature is missing or wrong, or a verified field is malformed. Nothing in
    /// it may be acted on.
    #[error(
        "the {message} cannot be trusted and must not be acted on: {cause}. If the secret is right, query the trade \
         to learn its state"
    )]
    Verification {
        /// Which reply (`place_order response`).
        message: &'static str,
        /// What failed.
        cause: VerifyError,
    },

    /// A verified reply without `return_status`, so it does not say whether the request was
    /// accepted.
    #[error(
        "the {message} has no `return_status`, so it does not say whether the request was accepted; query the trade \
         before sending it again"
    )]
    NoReturnStatus {
        /// Which reply.
        message: &'static str,
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

/// eftPay's refusal of a request: a `return_status` other than `00`, with its `return_char`
/// text (eftpay-api.md §7: keep both; codes are not all published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError {
    interface: &'static str,
    status: ReturnStatus,
    text: Option<String>,
    verified: bool,
}

impl GatewayError {
    pub(super) fn new(interface: &'static str, status: ReturnStatus, text: Option<String>, verified: bool) -> Self {
        GatewayError { interface, status, text, verified }
    }

    /// The interface whose request was refused (`place_order`).
    pub fn interface(&self) -> &'static str {
        self.interface
    }

    /// The `return_status` code; [`ReturnStatus::Unknown`] for codes the SDK does not list.
    pub fn status(&self) -> &ReturnStatus {
        &self.status
    }

    /// The `return_char` text, if any. eftPay says it may change: show it, do not match on it.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Whether the reply's signature was verified. `false` for the unsigned replies eftPay
    /// sends with a negative code (eftpay-api.md §3): then code and text are unauthenticated.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// What the merchant should do about the code.
    fn next_step(&self) -> &'static str {
        match self.status {
            ReturnStatus::TimeMismatch => {
                "the request's `time` is too far from eftPay's clock: set this machine's clock right (requests carry \
                 Hong Kong time, UTC+8) and send it again"
            }
            ReturnStatus::InvalidService => {
                "eftPay does not take this `service` here: check that it is enabled for this merchant and that the \
                 base URL is the right environment"
            }
            ReturnStatus::RefundFailed => {
                "the refund was not made: query the trade to see its state before refunding again"
            }
            _ => "the request was not accepted: fix it and send it again, or ask eftPay what the code means",
        }
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "eftPay refused the {} request with return_status {}", self.interface, self.status)?;
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
