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

/// What a field stands for beyond its own value, whatever its wire name in a scene
/// (`out_refund_no` in one request, `refund_no` in another). The generated messages list their
/// fields by concept, so the runtime can compare a reply with its request, or read a
/// notification's time, without knowing any message's field names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Concept {
    /// The `service` name.
    Service,
    /// The payment type.
    PayType,
    /// The wallet.
    Wallet,
    /// The payment scene.
    PayScene,
    /// The payment page's language.
    Lang,
    /// The merchant's user key.
    UserConfirmKey,
    /// The message's `time` (Hong Kong time).
    Time,
    /// The signature.
    Sign,
    /// The merchant's order number.
    OutTradeNo,
    /// eftPay's order number.
    EftTradeNo,
    /// The merchant's refund number.
    RefundNo,
}

impl Concept {
    /// Whether the concept names *what* a message is about (whose order, which order, which
    /// refund): a reply must carry the same value as its request wherever both carry one.
    pub fn identifies(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::OutTradeNo | Concept::EftTradeNo | Concept::RefundNo)
    }
}

/// A test on one received field, as the spec states it for telling messages apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldTest {
    /// The field carries a value (`null` and `""` count as absent, as in signing).
    Present,
    /// The field is absent, `null` or empty.
    Absent,
    /// The field carries one of these values.
    OneOf(&'static [&'static str]),
    /// The field is absent or carries none of these values.
    NoneOf(&'static [&'static str]),
}

/// One condition of a recognition rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The field's wire name.
    pub field: &'static str,
    /// What it must satisfy.
    pub test: FieldTest,
}

impl Condition {
    /// Whether `value` (the field's text; `None` when absent or empty) satisfies the condition.
    pub fn holds(&self, value: Option<&str>) -> bool {
        match (self.test, value) {
            (FieldTest::Present, value) => value.is_some(),
            (FieldTest::Absent, value) => value.is_none(),
            (FieldTest::OneOf(values), Some(value)) => values.contains(&value),
            (FieldTest::OneOf(_), None) => false,
            (FieldTest::NoneOf(values), Some(value)) => !values.contains(&value),
            (FieldTest::NoneOf(_), None) => true,
        }
    }
}

/// How one kind of message is recognised among others of its kind (the spec's `recognize`
/// tables): it is that message when every condition of any one alternative holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recognition {
    /// The spec's interface name.
    pub interface: &'static str,
    /// Alternatives; each is a list of conditions that must all hold.
    pub alternatives: &'static [&'static [Condition]],
}

impl Recognition {
    /// Whether a message whose field texts `text` returns is this one.
    pub fn matches<'a>(&self, text: impl Fn(&str) -> Option<&'a str>) -> bool {
        self.alternatives.iter().any(|all| all.iter().all(|condition| condition.holds(text(condition.field))))
    }
}

/// The index of the first rule that recognises the message, if any. The spec's checker proves
/// at compile time that no two rules can match the same message, so "first" is "only".
pub fn recognise<'a>(rules: &[Recognition], text: impl Fn(&str) -> Option<&'a str> + Copy) -> Option<usize> {
    rules.iter().position(|rule| rule.matches(text))
}
