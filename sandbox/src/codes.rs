//! The `return_status` codes the sandbox answers with, in one place.
//!
//! eftPay's Appendix 3 is not published; `00`, `12`, `51` and `-13` are codes seen from the real
//! gateway (eftpay-api.md §7). The others are the sandbox's own — an assumption, chosen so a
//! merchant can tell the reasons apart; the client maps them to `ReturnStatus::Unknown`.
//! Negative codes come back unsigned, as eftPay's do (eftpay-api.md §3: `sign` only when
//! return_status >= 00).

/// A refusal: the code and the `return_char` text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("return_status {code}: {text}")]
pub struct Refusal {
    /// `return_status`.
    pub code: &'static str,
    /// `return_char`: what is wrong and what to do.
    pub text: String,
}

impl Refusal {
    /// A refusal with `code` and `text`.
    pub fn new(code: &'static str, text: impl Into<String>) -> Self {
        Refusal { code, text: text.into() }
    }

    /// Whether the reply is signed (codes below `00` are not).
    pub fn is_signed(&self) -> bool {
        !self.code.starts_with('-')
    }
}

/// Request accepted.
pub const ACCEPTED: &str = "00";
/// `time` too far from the gateway's clock (eftPay's code).
pub const TIME_MISMATCH: &str = "12";
/// Refund failed (eftPay's code).
pub const REFUND_FAILED: &str = "51";
/// Unknown service (eftPay's code).
pub const INVALID_SERVICE: &str = "-13";
/// The body is not a JSON object of fields (sandbox).
pub const UNREADABLE: &str = "-1";
/// Missing or wrong `sign` (sandbox).
pub const BAD_SIGNATURE: &str = "-2";
/// `user_confirm_key` is not the sandbox merchant's (sandbox).
pub const UNKNOWN_MERCHANT: &str = "-3";
/// A field breaks a rule of the spec; `return_char` lists every violation (sandbox).
pub const INVALID_FIELD: &str = "20";
/// `out_trade_no` / `out_refund_no` reused with different content (sandbox).
pub const DUPLICATE: &str = "21";
/// No such order or refund (sandbox).
pub const NOT_FOUND: &str = "22";
/// The order cannot be refunded: not paid, or its service has no refund (sandbox).
pub const NOT_REFUNDABLE: &str = "23";
/// Refund above what is left of the paid amount (sandbox).
pub const REFUND_TOO_LARGE: &str = "24";
/// The PAYME UAT amount `.44`: server error, no payment QR code (sandbox).
pub const SERVER_ERROR_NO_QR_CODE: &str = "50";
