//! Every word the spec's schema gives a meaning to, one table per key: what the word maps to,
//! and — from the same table — the "use one of …" help when a spec uses another word. Adding a
//! word is one line here; the error messages follow.

use crate::model::{Concept, Encoding, FieldType, Notifications, ObjectFieldType, Purpose, TestOutcome};

/// The words one key accepts.
#[derive(Debug)]
pub struct Keywords<T: 'static> {
    /// The key, as written in the spec (`purpose`, `type`).
    pub key: &'static str,
    /// What the key chooses, for messages (`purpose`, `field type`).
    pub what: &'static str,
    /// Word → meaning.
    pub entries: &'static [(&'static str, T)],
}

impl<T: Clone> Keywords<T> {
    /// The meaning of `word`, if it is one of the table's.
    pub fn parse(&self, word: &str) -> Option<T> {
        self.entries.iter().find(|(w, _)| *w == word).map(|(_, v)| v.clone())
    }

    /// Every word, in the table's order.
    pub fn words(&self) -> Vec<String> {
        self.entries.iter().map(|(w, _)| (*w).to_owned()).collect()
    }
}

/// `[interface] purpose`.
pub static PURPOSES: Keywords<Purpose> = Keywords {
    key: "purpose",
    what: "purpose",
    entries: &[
        ("place_order", Purpose::PlaceOrder),
        ("query", Purpose::Query),
        ("refund", Purpose::Refund),
        ("apply_refund", Purpose::ApplyRefund),
        ("close", Purpose::Close),
        ("payment_notification", Purpose::PaymentNotification),
        ("refund_notification", Purpose::RefundNotification),
        ("acknowledgement", Purpose::Acknowledgement),
        ("sync_return", Purpose::SyncReturn),
    ],
};

/// `[interface] encoding`.
pub static ENCODINGS: Keywords<Encoding> =
    Keywords { key: "encoding", what: "encoding", entries: &[("json", Encoding::Json), ("form", Encoding::Form)] };

/// `[interface] retry`: `safe` only for requests that change nothing.
pub static RETRY: Keywords<bool> =
    Keywords { key: "retry", what: "retry policy", entries: &[("never", false), ("safe", true)] };

/// `[[service]] notifications`.
pub static NOTIFICATIONS: Keywords<Notifications> = Keywords {
    key: "notifications",
    what: "notification behaviour",
    entries: &[
        ("until_acknowledged", Notifications::UntilAcknowledged),
        ("once", Notifications::Once),
        ("never", Notifications::Never),
    ],
};

/// `[[test_amount]] outcome`.
pub static TEST_OUTCOMES: Keywords<TestOutcome> = Keywords {
    key: "outcome",
    what: "test outcome",
    entries: &[
        ("success", TestOutcome::Success),
        ("timeout", TestOutcome::Timeout),
        ("failed", TestOutcome::Failed),
        ("server_error_no_qr_code", TestOutcome::ServerErrorNoQrCode),
        ("server_error_no_state", TestOutcome::ServerErrorNoState),
    ],
};

/// `[[object.field]] type`.
pub static OBJECT_FIELD_TYPES: Keywords<ObjectFieldType> = Keywords {
    key: "type",
    what: "object field type",
    entries: &[
        ("string", ObjectFieldType::Text),
        ("integer", ObjectFieldType::Integer),
        ("string_array", ObjectFieldType::TextArray),
        ("object", ObjectFieldType::Object(0)),
        ("object_array", ObjectFieldType::ObjectArray(0)),
    ],
};

/// `[[field]] type`; `enum`, `object` and `array` name their value set or object separately.
pub static FIELD_TYPES: Keywords<FieldType> = Keywords {
    key: "type",
    what: "field type",
    entries: &[
        ("string", FieldType::Text),
        ("amount", FieldType::Amount),
        ("url", FieldType::Url),
        ("time", FieldType::Time),
        ("datetime", FieldType::DateTime),
        ("seconds", FieldType::Seconds),
        ("enum", FieldType::Enum(0)),
        ("object", FieldType::Object(0)),
        ("array", FieldType::ObjectArray(0)),
    ],
};

/// `[[field]] concept`.
pub static CONCEPTS: Keywords<Concept> = Keywords {
    key: "concept",
    what: "concept",
    entries: &[
        ("service", Concept::Service),
        ("pay_type", Concept::PayType),
        ("wallet", Concept::Wallet),
        ("pay_scene", Concept::PayScene),
        ("lang", Concept::Lang),
        ("user_confirm_key", Concept::UserConfirmKey),
        ("time", Concept::Time),
        ("sign", Concept::Sign),
        ("out_trade_no", Concept::OutTradeNo),
        ("eft_trade_no", Concept::EftTradeNo),
        ("refund_no", Concept::RefundNo),
        ("amount", Concept::Amount),
        ("refund_amount", Concept::RefundAmount),
        ("trade_amount", Concept::TradeAmount),
        ("currency", Concept::Currency),
        ("subject", Concept::Subject),
        ("body", Concept::Body),
        ("buyer_type", Concept::BuyerType),
        ("terminal", Concept::Terminal),
        ("notify_url", Concept::NotifyUrl),
        ("return_url", Concept::ReturnUrl),
        ("active_time", Concept::ActiveTime),
        ("pay_link", Concept::PayLink),
        ("qr_code", Concept::QrCode),
        ("return_status", Concept::ReturnStatus),
        ("return_text", Concept::ReturnText),
        ("return_code", Concept::ReturnCode),
        ("trade_status", Concept::TradeStatus),
        ("trade_type", Concept::TradeType),
        ("transaction_id", Concept::TransactionId),
        ("paid_at", Concept::PaidAt),
        ("trade_time", Concept::TradeTime),
        ("refund_time", Concept::RefundTime),
        ("refund_trade_no", Concept::RefundTradeNo),
        ("refund_reason", Concept::RefundReason),
    ],
};

/// `means` of an enum value: the words are the runtime's `rules::Meaning` variants.
pub static MEANINGS: Keywords<&'static str> = Keywords {
    key: "means",
    what: "meaning",
    entries: &[
        ("accepted", "Accepted"),
        ("time_mismatch", "TimeMismatch"),
        ("refund_failed", "RefundFailed"),
        ("invalid_service", "InvalidService"),
        ("unreadable", "Unreadable"),
        ("bad_signature", "BadSignature"),
        ("unknown_merchant", "UnknownMerchant"),
        ("invalid_field", "InvalidField"),
        ("duplicate", "Duplicate"),
        ("not_found", "NotFound"),
        ("not_refundable", "NotRefundable"),
        ("refund_too_large", "RefundTooLarge"),
        ("cannot_close", "CannotClose"),
        ("server_error", "ServerError"),
        ("paid", "Paid"),
        ("processing", "Processing"),
        ("apply_accepted", "ApplyAccepted"),
        ("partly_refunded", "PartlyRefunded"),
        ("closed", "Closed"),
        ("failed", "Failed"),
        ("sale", "Sale"),
        ("refund", "RefundTrade"),
        ("handled", "Handled"),
        ("not_handled", "NotHandled"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_word_is_its_purpose_name() {
        for (word, purpose) in PURPOSES.entries {
            assert_eq!(purpose.name(), *word);
        }
    }

    #[test]
    fn words_round_trip() {
        assert_eq!(CONCEPTS.parse("refund_no"), Some(Concept::RefundNo));
        assert_eq!(ENCODINGS.parse("xml"), None);
        assert!(RETRY.words().contains(&"safe".to_owned()));
    }
}
