//! The vocabulary of the spec's tables that the runtime acts on: how an interface travels and
//! is encoded, whether a request may be retried, how a service notifies, what a test amount
//! does, what a field stands for and what a value means. The enums are `eftpay-vocabulary`'s,
//! re-exported here: the generator maps the TOML words onto the same enums, so the two cannot
//! disagree.

pub use eftpay_vocabulary::{
    Concept, Encoding, FieldKind, InterfaceKind, Meaning, Notifications, Purpose, RetryPolicy, TestOutcome,
};

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
