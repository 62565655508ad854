//! Every key of the spec's schema whose value is a word of the vocabulary, one table per key:
//! the key, what it chooses (for messages), and the vocabulary enum its words come from
//! (`eftpay-vocabulary`, where each word is written once, beside the enum the runtime acts on).
//! The "use one of …" help when a spec uses another word follows from the same enum.

use eftpay_vocabulary::{
    Concept, Encoding, FieldKind, Meaning, Notifications, ObjectFieldKind, Purpose, RetryPolicy, TestOutcome, Word,
};

/// The words one key accepts.
#[derive(Debug)]
pub struct Keywords<T: Word> {
    /// The key, as written in the spec (`purpose`, `type`).
    pub key: &'static str,
    /// What the key chooses, for messages (`purpose`, `field type`).
    pub what: &'static str,
    /// The vocabulary enum whose words the key takes.
    kind: core::marker::PhantomData<T>,
}

impl<T: Word> Keywords<T> {
    const fn new(key: &'static str, what: &'static str) -> Keywords<T> {
        Keywords { key, what, kind: core::marker::PhantomData }
    }

    /// The meaning of `word`, if it is one of the table's.
    pub fn parse(&self, word: &str) -> Option<T> {
        T::from_name(word)
    }

    /// Every word, in the vocabulary's order.
    pub fn words(&self) -> Vec<String> {
        T::ALL.iter().map(|value| value.name().to_owned()).collect()
    }
}

/// `[interface] purpose`.
pub static PURPOSES: Keywords<Purpose> = Keywords::new("purpose", "purpose");

/// `[interface] encoding`.
pub static ENCODINGS: Keywords<Encoding> = Keywords::new("encoding", "encoding");

/// `[interface] retry`: `safe` only for requests that change nothing.
pub static RETRY: Keywords<RetryPolicy> = Keywords::new("retry", "retry policy");

/// `[[service]] notifications`.
pub static NOTIFICATIONS: Keywords<Notifications> = Keywords::new("notifications", "notification behaviour");

/// `[[test_amount]] outcome`.
pub static TEST_OUTCOMES: Keywords<TestOutcome> = Keywords::new("outcome", "test outcome");

/// `[[object.field]] type`.
pub static OBJECT_FIELD_TYPES: Keywords<ObjectFieldKind> = Keywords::new("type", "object field type");

/// `[[field]] type`; `enum`, `object` and `array` name their value set or object separately.
pub static FIELD_TYPES: Keywords<FieldKind> = Keywords::new("type", "field type");

/// `[[field]] concept`.
pub static CONCEPTS: Keywords<Concept> = Keywords::new("concept", "concept");

/// `means` of an enum value.
pub static MEANINGS: Keywords<Meaning> = Keywords::new("means", "meaning");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generators_tables_read_the_vocabularys_words() {
        assert_eq!(CONCEPTS.parse("refund_no"), Some(Concept::RefundNo));
        assert_eq!(MEANINGS.parse("refund"), Some(Meaning::RefundTrade));
        assert_eq!(FIELD_TYPES.parse("array"), Some(FieldKind::ObjectArray));
        assert_eq!(ENCODINGS.parse("xml"), None);
        assert_eq!(RETRY.words(), ["never", "safe"]);
        for purpose in Purpose::ALL {
            assert_eq!(PURPOSES.parse(purpose.name()), Some(*purpose));
        }
    }
}
