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

/// Whether the client may retry a request by itself (DESIGN principle 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryPolicy {
    /// Changes nothing on eftPay's side (query): retried with bounded backoff.
    Safe,
    /// May create or move money (place order, refund): never retried once bytes may have left.
    Never,
}

/// Whether eftPay notifies the merchant asynchronously for a service (eftpay-api.md §6).
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
