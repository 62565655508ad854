//! Why the gateway refuses a request, by what the refusal means. The code sent for it is the
//! spec's value with that meaning (the sandbox's own codes are marked `sandbox = true` there), so
//! no code is written here.

use eftpay::catalog::Catalog;
use eftpay::rules::Meaning;

/// A refusal: what it means and the `return_char` text saying what is wrong and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("refused ({meaning:?}): {text}")]
pub struct Refusal {
    /// What the refusal means; the code sent is the spec's value with this meaning.
    pub meaning: Meaning,
    /// What is wrong and what to do.
    pub text: String,
}

impl Refusal {
    /// A refusal meaning `meaning`, explained by `text`.
    pub fn new(meaning: Meaning, text: impl Into<String>) -> Self {
        Refusal { meaning, text: text.into() }
    }

    /// The code sent for it, from `catalog`; `None` when the spec has no value with its meaning.
    pub fn code(&self, catalog: &Catalog) -> Option<&'static str> {
        catalog.code(self.meaning).map(|value| value.wire)
    }
}

/// Whether a reply with `code` is signed: eftPay signs replies whose code is `00` or above and
/// sends the negative ones bare (the rule, with the client, in
/// [`is_negative_return_status`](eftpay::rules::is_negative_return_status)), so a refusal of an
/// unreadable or forged request carries nothing an attacker could learn a signature from.
pub fn is_signed(code: &str) -> bool {
    !eftpay::rules::is_negative_return_status(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_codes_are_not_signed() {
        assert!(is_signed("00"));
        assert!(is_signed("25"));
        assert!(!is_signed("-13"));
    }

    #[test]
    fn a_code_that_is_not_a_negative_number_is_signed_as_the_client_requires() {
        assert!(is_signed("-x"));
        assert!(is_signed("-0"));
        assert!(is_signed(""));
    }

    #[test]
    fn every_meaning_the_gateway_refuses_with_has_a_code_in_the_spec() {
        for meaning in [
            Meaning::TimeMismatch,
            Meaning::InvalidService,
            Meaning::Unreadable,
            Meaning::BadSignature,
            Meaning::UnknownMerchant,
            Meaning::InvalidField,
            Meaning::Duplicate,
            Meaning::NotFound,
            Meaning::NotRefundable,
            Meaning::RefundTooLarge,
            Meaning::CannotClose,
            Meaning::ServerError,
        ] {
            assert!(Refusal::new(meaning, "").code(&eftpay::CATALOG).is_some(), "{meaning:?}");
        }
    }
}
