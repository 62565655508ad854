//! The vocabulary of eftPay's API tables, written once: each word the spec's schema gives a
//! meaning to (`purpose = "place_order"`, `concept = "out_trade_no"`, `means = "paid"`), the
//! enum the programs act on, and the rules on those enums.
//!
//! The generator (`eftpay-codegen`) reads the spec's words with [`Word::from_name`] and writes
//! each variant's path (`::eftpay::rules::Purpose::PlaceOrder`, from [`Word::variant`]); the
//! runtime (`eftpay`) re-exports these enums as `eftpay::rules::…` and acts on them. Both sides
//! compile the same enums, so a word or a variant one side knows and the other does not cannot
//! exist, and a rule on them (which fields the client fills in, which purposes are requests,
//! which fields a caller sets) is decided in one place.
//!
//! Adding a word is one line in one `vocabulary!` block here; the generator's error messages
//! ("use one of …") and the runtime follow.

#![no_std]

/// One of the vocabulary's enums: its values, the spec's word for each, and its Rust name.
pub trait Word: Copy + Eq + core::fmt::Debug + 'static {
    /// Every value, in the order the spec's documentation lists the words.
    const ALL: &'static [Self];

    /// The spec's word for it (`place_order`).
    fn name(self) -> &'static str;

    /// The Rust variant's name (`PlaceOrder`), which the generator writes into paths.
    fn variant(self) -> &'static str;

    /// The value the spec's word `name` stands for, if it is one of the words.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.name() == name)
    }
}

/// Declares one enum of the vocabulary: each variant with the spec's word for it. Writes the
/// enum, its [`Word`] implementation, and inherent `ALL`, `name()`, `variant()` and
/// `from_name()`, so callers need not import the trait.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in the order the spec's documentation lists the words.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The spec's word for it, as the tables write it.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }

            /// The Rust variant's name, which the generator writes into paths.
            pub const fn variant(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                }
            }

            /// The value the spec's word `name` stands for, if it is one of the words.
            pub fn from_name(name: &str) -> Option<$name> {
                <$name as Word>::from_name(name)
            }
        }

        impl Word for $name {
            const ALL: &'static [$name] = $name::ALL;

            fn name(self) -> &'static str {
                $name::name(self)
            }

            fn variant(self) -> &'static str {
                $name::variant(self)
            }
        }
    };
}

/// Which way a message travels: what a [`Purpose`] implies ([`Purpose::kind`]). Not a word of
/// the spec.
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

vocabulary! {
    /// What an interface is for (`[interface] purpose`). Every layer chooses by purpose: the
    /// client's conveniences, the sandbox's behaviour, the CLI's commands and the notification
    /// handling.
    pub enum Purpose {
        /// Create an order the payer then pays.
        PlaceOrder = "place_order",
        /// Look up the state of an order or of one of its refunds.
        Query = "query",
        /// Refund all or part of a paid order.
        Refund = "refund",
        /// Apply for a refund that eftPay finishes later.
        ApplyRefund = "apply_refund",
        /// Close an unpaid order.
        Close = "close",
        /// eftPay tells the merchant a payment changed state.
        PaymentNotification = "payment_notification",
        /// eftPay tells the merchant a refund changed state.
        RefundNotification = "refund_notification",
        /// The merchant's answer to a notification.
        Acknowledgement = "acknowledgement",
        /// The payer's browser brings the payment's fields back to the merchant's page.
        SyncReturn = "sync_return",
    }
}

impl Purpose {
    /// Which way a message of this purpose travels.
    pub const fn kind(self) -> InterfaceKind {
        match self {
            Purpose::PlaceOrder | Purpose::Query | Purpose::Refund | Purpose::ApplyRefund | Purpose::Close => {
                InterfaceKind::Request
            }
            Purpose::PaymentNotification | Purpose::RefundNotification => InterfaceKind::Notification,
            Purpose::Acknowledgement => InterfaceKind::Acknowledgement,
            Purpose::SyncReturn => InterfaceKind::Return,
        }
    }

    /// A request: the merchant sends it and eftPay answers.
    pub const fn is_request(self) -> bool {
        matches!(self.kind(), InterfaceKind::Request)
    }

    /// A notification eftPay sends to `notify_url`.
    pub const fn is_notification(self) -> bool {
        matches!(self.kind(), InterfaceKind::Notification)
    }

    /// Whether the merchant builds and signs the message: requests and acknowledgements.
    pub const fn is_outgoing(self) -> bool {
        matches!(self.kind(), InterfaceKind::Request | InterfaceKind::Acknowledgement)
    }
}

vocabulary! {
    /// How a message is encoded on the wire (`[interface] encoding`).
    pub enum Encoding {
        /// `application/json`, UTF-8.
        Json = "json",
        /// `application/x-www-form-urlencoded`.
        Form = "form",
    }
}

vocabulary! {
    /// Whether the client may retry a request by itself (`[interface] retry`): retries only
    /// where they are safe.
    pub enum RetryPolicy {
        /// May create or move money (place order, refund): never retried once bytes may have
        /// left.
        Never = "never",
        /// Changes nothing on eftPay's side (query): retried with bounded backoff.
        Safe = "safe",
    }
}

vocabulary! {
    /// Whether eftPay notifies the merchant asynchronously for a service, or for one of its
    /// wallets where the payer chooses it (`[[service]] notifications`; `docs/protocol.md` §6).
    pub enum Notifications {
        /// Re-delivered until the merchant acknowledges with `success`.
        UntilAcknowledged = "until_acknowledged",
        /// Sent once; poll Query if it is missed.
        Once = "once",
        /// Never sent; the merchant must poll Query.
        Never = "never",
    }
}

vocabulary! {
    /// What a test amount makes a test environment do (`[[test_amount]] outcome`; seed: PAYME
    /// UAT test amounts).
    pub enum TestOutcome {
        /// A successful transaction.
        Success = "success",
        /// A transaction that times out.
        Timeout = "timeout",
        /// A failed transaction.
        Failed = "failed",
        /// A server error: no payment QR code.
        ServerErrorNoQrCode = "server_error_no_qr_code",
        /// A server error: a transaction with no state.
        ServerErrorNoState = "server_error_no_state",
    }
}

vocabulary! {
    /// The type of a field's value (`[[field]] type`), as the runtime reads and writes it.
    /// `enum`, `object` and `array` name their value set or object in a key of their own.
    pub enum FieldKind {
        /// Text.
        Text = "string",
        /// Decimal money text, at most two decimals.
        Amount = "amount",
        /// An absolute http(s) URL.
        Url = "url",
        /// `yyyyMMddHHmmss`, Hong Kong time.
        Time = "time",
        /// `yyyy-MM-dd HH:mm:ss`, Hong Kong time.
        DateTime = "datetime",
        /// Whole seconds, sent as text.
        Seconds = "seconds",
        /// One of a value set's values.
        Enum = "enum",
        /// A nested JSON object.
        Object = "object",
        /// A JSON array of nested objects.
        ObjectArray = "array",
    }
}

vocabulary! {
    /// The type of a nested object's field (`[[object.field]] type`). `object` and
    /// `object_array` name their object in a key of their own.
    pub enum ObjectFieldKind {
        /// A string.
        Text = "string",
        /// A JSON integer.
        Integer = "integer",
        /// An array of strings.
        TextArray = "string_array",
        /// Another object.
        Object = "object",
        /// An array of another object.
        ObjectArray = "object_array",
    }
}

vocabulary! {
    /// What a field stands for beyond its own value (`[[field]] concept`), whatever its wire
    /// name in a scene (`out_refund_no` in one request, `refund_no` in another; `payType` here,
    /// `paytype` there). The spec tags fields with a concept; the client, the sandbox and the
    /// CLI work with concepts, never with one scene's field names.
    #[derive(PartialOrd, Ord)]
    pub enum Concept {
        /// The `service` name (the row of the service table).
        Service = "service",
        /// The payment type; must be the service row's.
        PayType = "pay_type",
        /// The wallet; must be one of the service row's.
        Wallet = "wallet",
        /// The payment scene; must be one of the service row's.
        PayScene = "pay_scene",
        /// The payment page's language; must be one of the service row's.
        Lang = "lang",
        /// The merchant's user key (filled in by the client).
        UserConfirmKey = "user_confirm_key",
        /// The message's `time`, Hong Kong time (filled in by the client).
        Time = "time",
        /// The signature (computed by the client).
        Sign = "sign",
        /// The merchant's order number.
        OutTradeNo = "out_trade_no",
        /// eftPay's order number.
        EftTradeNo = "eft_trade_no",
        /// The merchant's refund number.
        RefundNo = "refund_no",
        /// The order's amount (the total of the sale).
        Amount = "amount",
        /// A refund's amount.
        RefundAmount = "refund_amount",
        /// The amount of the trade a message is about: the sale's, or the refund's when a
        /// refund was queried.
        TradeAmount = "trade_amount",
        /// The currency.
        Currency = "currency",
        /// What is paid for, shown to the payer.
        Subject = "subject",
        /// A description of the goods.
        Body = "body",
        /// The payer's device type.
        BuyerType = "buyer_type",
        /// The merchant's terminal number.
        Terminal = "terminal",
        /// Where eftPay sends notifications.
        NotifyUrl = "notify_url",
        /// Where the payer's browser returns after paying.
        ReturnUrl = "return_url",
        /// How long the order may be paid, in seconds.
        ActiveTime = "active_time",
        /// The link the payer opens to pay.
        PayLink = "pay_link",
        /// The content of a QR code the payer scans to pay.
        QrCode = "qr_code",
        /// Whether a request was accepted (`return_status`).
        ReturnStatus = "return_status",
        /// The text explaining `return_status`.
        ReturnText = "return_text",
        /// The merchant's answer to a notification (`return_code`).
        ReturnCode = "return_code",
        /// The state of a payment or refund.
        TradeStatus = "trade_status",
        /// Whether a trade is a sale or a refund.
        TradeType = "trade_type",
        /// The wallet's own transaction number.
        TransactionId = "transaction_id",
        /// When the payment was made.
        PaidAt = "paid_at",
        /// When the trade (sale or refund) queried was made.
        TradeTime = "trade_time",
        /// When a refund was made.
        RefundTime = "refund_time",
        /// eftPay's number for a refund.
        RefundTradeNo = "refund_trade_no",
        /// Why money is refunded.
        RefundReason = "refund_reason",
    }
}

impl Concept {
    /// Whether the concept names *what* a message is about (whose order, which order, which
    /// refund): a reply must carry the same value as its request wherever both carry one.
    pub const fn identifies(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::OutTradeNo | Concept::EftTradeNo | Concept::RefundNo)
    }

    /// Whether the client fills the field in (user key, time, signature) rather than the caller.
    pub const fn is_envelope(self) -> bool {
        matches!(self, Concept::UserConfirmKey | Concept::Time | Concept::Sign)
    }

    /// Whether the field is decided by the service's row (service, payType, wallet, pay_scene,
    /// lang) and checked against it.
    pub const fn is_row_column(self) -> bool {
        matches!(self, Concept::Service | Concept::PayType | Concept::Wallet | Concept::PayScene | Concept::Lang)
    }
}

vocabulary! {
    /// What a value of one of the spec's value sets means to the program, for the values the
    /// runtime and the sandbox act on (`means = "paid"` in the spec). The codes themselves stay
    /// in the spec.
    pub enum Meaning {
        /// `return_status`: the request was accepted.
        Accepted = "accepted",
        /// `return_status`: the request's `time` is too far from the gateway's clock.
        TimeMismatch = "time_mismatch",
        /// `return_status`: the refund failed.
        RefundFailed = "refund_failed",
        /// `return_status`: unknown or unsupported service.
        InvalidService = "invalid_service",
        /// `return_status`: the body is not a message.
        Unreadable = "unreadable",
        /// `return_status`: missing or wrong signature.
        BadSignature = "bad_signature",
        /// `return_status`: the user key is not a known merchant's.
        UnknownMerchant = "unknown_merchant",
        /// `return_status`: a field breaks a rule.
        InvalidField = "invalid_field",
        /// `return_status`: an order or refund number reused for something else.
        Duplicate = "duplicate",
        /// `return_status`: no such order or refund.
        NotFound = "not_found",
        /// `return_status`: the order cannot be refunded.
        NotRefundable = "not_refundable",
        /// `return_status`: more than what is left to refund.
        RefundTooLarge = "refund_too_large",
        /// `return_status`: the order cannot be closed (it is paid, or already closed).
        CannotClose = "cannot_close",
        /// `return_status`: a server error; no payment QR code.
        ServerError = "server_error",
        /// `trade_status`: paid.
        Paid = "paid",
        /// `trade_status`: not finished yet.
        Processing = "processing",
        /// `trade_status`: a refund application was accepted and finishes later.
        ApplyAccepted = "apply_accepted",
        /// `trade_status`: partly refunded.
        PartlyRefunded = "partly_refunded",
        /// `trade_status`: closed (fully refunded, or closed unpaid).
        Closed = "closed",
        /// `trade_status`: failed.
        Failed = "failed",
        /// `trade_type`: a sale.
        Sale = "sale",
        /// `trade_type`: a refund.
        RefundTrade = "refund",
        /// `return_code`: the notification was handled.
        Handled = "handled",
        /// `return_code`: the notification was not handled; deliver it again.
        NotHandled = "not_handled",
    }
}

/// The facts about one field of a message that decide who sets it and whether every message
/// carries it. The generator's checked model and the runtime's catalog each describe a field
/// their own way (owned strings and indexes; `&'static` text); both answer through this, so the
/// rules below are written once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldFacts {
    /// What it stands for.
    pub concept: Option<Concept>,
    /// Whether it always has one value (`fixed`).
    pub fixed: bool,
    /// Whether the spec says it is `required`.
    pub required: bool,
    /// Whether some services need not send it (`required_unless`).
    pub required_unless: bool,
    /// Whether it is required only when a sibling has some values (`required_when`).
    pub required_when: bool,
}

impl FieldFacts {
    /// Whether the caller sets the field: it is not fixed, and not one the client fills in
    /// ([`Concept::is_envelope`]).
    pub const fn is_caller_set(self) -> bool {
        !self.fixed && !matches!(self.concept, Some(concept) if concept.is_envelope())
    }

    /// Whether every message must carry it, whatever the service and the other fields (an
    /// outgoing struct holds it as a plain value rather than an `Option`).
    pub const fn is_mandatory(self) -> bool {
        self.required && !self.required_unless && !self.required_when
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;

    fn names_are_unique_and_read_back<W: Word>() {
        let names: Vec<&str> = W::ALL.iter().map(|w| w.name()).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names.iter().skip(i + 1).any(|other| other == name), "{name} twice");
        }
        for value in W::ALL {
            assert_eq!(W::from_name(value.name()), Some(*value));
            assert_eq!(std::format!("{value:?}"), value.variant());
        }
        assert_eq!(W::from_name("no such word"), None);
    }

    #[test]
    fn every_word_names_one_value_and_every_variant_its_own_name() {
        names_are_unique_and_read_back::<Purpose>();
        names_are_unique_and_read_back::<Encoding>();
        names_are_unique_and_read_back::<RetryPolicy>();
        names_are_unique_and_read_back::<Notifications>();
        names_are_unique_and_read_back::<TestOutcome>();
        names_are_unique_and_read_back::<FieldKind>();
        names_are_unique_and_read_back::<ObjectFieldKind>();
        names_are_unique_and_read_back::<Concept>();
        names_are_unique_and_read_back::<Meaning>();
    }

    #[test]
    fn requests_and_acknowledgements_are_outgoing_and_notifications_are_not() {
        for purpose in Purpose::ALL {
            assert_eq!(purpose.is_request(), purpose.kind() == InterfaceKind::Request, "{purpose:?}");
            assert_eq!(purpose.is_outgoing(), purpose.is_request() || *purpose == Purpose::Acknowledgement);
            assert!(!(purpose.is_notification() && purpose.is_outgoing()), "{purpose:?}");
        }
    }

    #[test]
    fn a_caller_sets_neither_the_envelope_nor_a_fixed_field() {
        let field = FieldFacts {
            concept: Some(Concept::OutTradeNo),
            fixed: false,
            required: true,
            required_unless: false,
            required_when: false,
        };
        assert!(field.is_caller_set() && field.is_mandatory());
        assert!(!FieldFacts { fixed: true, ..field }.is_caller_set());
        for concept in Concept::ALL.iter().copied().filter(|c| c.is_envelope()) {
            assert!(!FieldFacts { concept: Some(concept), ..field }.is_caller_set(), "{concept:?}");
        }
        assert!(!FieldFacts { required_unless: true, ..field }.is_mandatory());
        assert!(!FieldFacts { required_when: true, ..field }.is_mandatory());
        assert!(!FieldFacts { required: false, ..field }.is_mandatory());
    }
}
