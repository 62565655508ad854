//! The vocabulary of the spec's tables that the runtime acts on: how an interface travels and
//! is encoded, whether a request may be retried, how a service notifies, and what a test amount
//! does. The generator maps the TOML words onto these.

/// Which way a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InterfaceKind {
    /// Merchant → eftPay, answered with a response.
    Request,
    /// eftPay → merchant's `notify_url`, answered with an acknowledgement.
    Notification,
    /// Merchant → eftPay, the answer to a notification.
    Acknowledgement,
    /// eftPay → merchant's `return_url`, through the payer's browser; no answer.
    Return,
}

/// How a message is encoded on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// `application/json`, UTF-8.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// Whether the client may retry a request by itself: retries only where they are safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryPolicy {
    /// Changes nothing on eftPay's side (query): retried with bounded backoff.
    Safe,
    /// May create or move money (place order, refund): never retried once bytes may have left.
    Never,
}

/// Whether eftPay notifies the merchant asynchronously for a service, or for one of its wallets
/// where the payer chooses it (`docs/protocol.md` §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Notifications {
    /// Re-delivered until the merchant acknowledges with `success`.
    UntilAcknowledged,
    /// Sent once; poll Query if it is missed.
    Once,
    /// Never sent; the merchant must poll Query.
    Never,
}

impl Notifications {
    /// The spec's word for it (`until_acknowledged`), as the service tables write it.
    pub fn name(self) -> &'static str {
        match self {
            Notifications::UntilAcknowledged => "until_acknowledged",
            Notifications::Once => "once",
            Notifications::Never => "never",
        }
    }
}

/// What a test amount makes a test environment do (seed: PAYME UAT test amounts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TestOutcome {
    /// A successful transaction.
    Success,
    /// A transaction that times out.
    Timeout,
    /// A failed transaction.
    Failed,
    /// A server error: no payment QR code.
    ServerErrorNoQrCode,
    /// A server error: a transaction with no state.
    ServerErrorNoState,
}

impl TestOutcome {
    /// The spec's word for it (`server_error_no_qr_code`), as the test-amount table writes it.
    pub fn name(self) -> &'static str {
        match self {
            TestOutcome::Success => "success",
            TestOutcome::Timeout => "timeout",
            TestOutcome::Failed => "failed",
            TestOutcome::ServerErrorNoQrCode => "server_error_no_qr_code",
            TestOutcome::ServerErrorNoState => "server_error_no_state",
        }
    }
}

/// What a field stands for beyond its own value, whatever its wire name in a scene
/// (`out_refund_no` in one request, `refund_no` in another; `payType` here, `paytype` there).
/// The spec tags fields with a concept; the client, the sandbox and the CLI work with concepts,
/// never with one scene's field names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Concept {
    /// The `service` name (the row of the service table).
    Service,
    /// The payment type; must be the service row's.
    PayType,
    /// The wallet; must be one of the service row's.
    Wallet,
    /// The payment scene; must be one of the service row's.
    PayScene,
    /// The payment page's language; must be one of the service row's.
    Lang,
    /// The merchant's user key (filled in by the client).
    UserConfirmKey,
    /// The message's `time`, Hong Kong time (filled in by the client).
    Time,
    /// The signature (computed by the client).
    Sign,
    /// The merchant's order number.
    OutTradeNo,
    /// eftPay's order number.
    EftTradeNo,
    /// The merchant's refund number.
    RefundNo,
    /// The order's amount (the total of the sale).
    Amount,
    /// A refund's amount.
    RefundAmount,
    /// The amount of the trade a message is about: the sale's, or the refund's when a refund
    /// was queried.
    TradeAmount,
    /// The currency.
    Currency,
    /// What is paid for, shown to the payer.
    Subject,
    /// A description of the goods.
    Body,
    /// The payer's device type.
    BuyerType,
    /// The merchant's terminal number.
    Terminal,
    /// Where eftPay sends notifications.
    NotifyUrl,
    /// Where the payer's browser returns after paying.
    ReturnUrl,
    /// How long the order may be paid, in seconds.
    ActiveTime,
    /// The link the payer opens to pay.
    PayLink,
    /// The content of a QR code the payer scans to pay.
    QrCode,
    /// Whether a request was accepted (`return_status`).
    ReturnStatus,
    /// The text explaining `return_status`.
    ReturnText,
    /// The merchant's answer to a notification (`return_code`).
    ReturnCode,
    /// The state of a payment or refund.
    TradeStatus,
    /// Whether a trade is a sale or a refund.
    TradeType,
    /// The wallet's own transaction number.
    TransactionId,
    /// When the payment was made.
    PaidAt,
    /// When the trade (sale or refund) queried was made.
    TradeTime,
    /// When a refund was made.
    RefundTime,
    /// eftPay's number for a refund.
    RefundTradeNo,
    /// Why money is refunded.
    RefundReason,
}

impl Concept {
    /// Whether the concept names *what* a message is about (whose order, which order, which
    /// refund): a reply must carry the same value as its request wherever both carry one.
    pub fn identifies(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::OutTradeNo | Concept::EftTradeNo | Concept::RefundNo)
    }

    /// Whether the client fills the field in (user key, time, signature) rather than the caller.
    pub fn is_envelope(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::Time | Concept::Sign)
    }

    /// Whether the field is decided by the service's row (service, payType, wallet, pay_scene,
    /// lang) and checked against it.
    pub fn is_row_column(self) -> bool {
        matches!(self, Concept::Service | Concept::PayType | Concept::Wallet | Concept::PayScene | Concept::Lang)
    }
}

/// What an interface is for. Every layer chooses by purpose: the client's conveniences, the
/// sandbox's behaviour, the CLI's commands and the notification handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// Create an order the payer then pays.
    PlaceOrder,
    /// Look up the state of an order or of one of its refunds.
    Query,
    /// Refund all or part of a paid order.
    Refund,
    /// Apply for a refund that eftPay finishes later.
    ApplyRefund,
    /// Close an unpaid order.
    Close,
    /// eftPay tells the merchant a payment changed state.
    PaymentNotification,
    /// eftPay tells the merchant a refund changed state.
    RefundNotification,
    /// The merchant's answer to a notification.
    Acknowledgement,
    /// The payer's browser brings the payment's fields back to the merchant's page.
    SyncReturn,
}

impl Purpose {
    /// Which way a message of this purpose travels.
    pub fn kind(self) -> InterfaceKind {
        match self {
            Purpose::PlaceOrder | Purpose::Query | Purpose::Refund | Purpose::ApplyRefund | Purpose::Close => {
                InterfaceKind::Request
            }
            Purpose::PaymentNotification | Purpose::RefundNotification => InterfaceKind::Notification,
            Purpose::Acknowledgement => InterfaceKind::Acknowledgement,
            Purpose::SyncReturn => InterfaceKind::Return,
        }
    }

    /// The spec's word for it (`place_order`), also the typed constructor's name.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::PlaceOrder => "place_order",
            Purpose::Query => "query",
            Purpose::Refund => "refund",
            Purpose::ApplyRefund => "apply_refund",
            Purpose::Close => "close",
            Purpose::PaymentNotification => "payment_notification",
            Purpose::RefundNotification => "refund_notification",
            Purpose::Acknowledgement => "acknowledgement",
            Purpose::SyncReturn => "sync_return",
        }
    }
}

/// What a value of one of the spec's value sets means to the program, for the values the
/// runtime and the sandbox act on (`means = "paid"` in the spec). The codes themselves stay in
/// the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Meaning {
    /// `return_status`: the request was accepted.
    Accepted,
    /// `return_status`: the request's `time` is too far from the gateway's clock.
    TimeMismatch,
    /// `return_status`: the refund failed.
    RefundFailed,
    /// `return_status`: unknown or unsupported service.
    InvalidService,
    /// `return_status`: the body is not a message.
    Unreadable,
    /// `return_status`: missing or wrong signature.
    BadSignature,
    /// `return_status`: the user key is not a known merchant's.
    UnknownMerchant,
    /// `return_status`: a field breaks a rule.
    InvalidField,
    /// `return_status`: an order or refund number reused for something else.
    Duplicate,
    /// `return_status`: no such order or refund.
    NotFound,
    /// `return_status`: the order cannot be refunded.
    NotRefundable,
    /// `return_status`: more than what is left to refund.
    RefundTooLarge,
    /// `return_status`: the order cannot be closed (it is paid, or already closed).
    CannotClose,
    /// `return_status`: a server error; no payment QR code.
    ServerError,
    /// `trade_status`: paid.
    Paid,
    /// `trade_status`: not finished yet.
    Processing,
    /// `trade_status`: a refund application was accepted and finishes later.
    ApplyAccepted,
    /// `trade_status`: partly refunded.
    PartlyRefunded,
    /// `trade_status`: closed (fully refunded, or closed unpaid).
    Closed,
    /// `trade_status`: failed.
    Failed,
    /// `trade_type`: a sale.
    Sale,
    /// `trade_type`: a refund.
    RefundTrade,
    /// `return_code`: the notification was handled.
    Handled,
    /// `return_code`: the notification was not handled; deliver it again.
    NotHandled,
}

/// Whether a reply's return status is negative (`-13`), which is what decides whether the reply
/// is signed: eftPay returns `time` and `sign` only when the return status is `00` or above
/// (`docs/protocol.md` §3; the codes are in §7), so a reply with a negative status comes
/// unsigned and its code and text cannot be authenticated.
///
/// Negative means exactly a `-` followed by ASCII digits that are not all zero, with nothing
/// around them. Anything else — `-x`, `-0`, ` -13`, `+1`, an empty status — is not negative, so a
/// reply carrying it must be signed like any other: only the form eftPay sends goes without a
/// signature. The test is textual (no number is parsed), so a status of any length is read in one
/// pass and cannot overflow.
pub fn is_negative_return_status(code: &str) -> bool {
    code.strip_prefix('-').is_some_and(|digits| {
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.bytes().any(|b| b != b'0')
    })
}

/// The type of a field's value, as the runtime reads and writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldKind {
    /// Text.
    Text,
    /// Decimal money text, at most two decimals.
    Amount,
    /// An absolute http(s) URL.
    Url,
    /// `yyyyMMddHHmmss`, Hong Kong time.
    Time,
    /// `yyyy-MM-dd HH:mm:ss`, Hong Kong time.
    DateTime,
    /// Whole seconds.
    Seconds,
    /// One of a value set's values.
    Enum,
    /// A nested JSON object.
    Object,
    /// A JSON array of nested objects.
    ObjectArray,
}

// The generator names these enums' variants from its own word tables; this expands to a
// compile-time proof that both sides have the same variants (and a test of the runtime's words).
eftpay_macros::__vocabulary_check!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_minus_and_digits_not_all_zero_is_a_negative_return_status() {
        for negative in ["-13", "-1", "-007", "-99999999999999999999999"] {
            assert!(is_negative_return_status(negative), "{negative}");
        }
        for other in
            ["00", "12", "0", "-0", "-00", "-", "", "-x", "-1x", "-1.5", " -13", "-13 ", "+13", "--1", "-\u{0661}"]
        {
            assert!(!is_negative_return_status(other), "{other:?}");
        }
    }
}
