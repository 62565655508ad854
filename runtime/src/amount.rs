//! Money as an exact count of cents.
//!
//! eftPay carries every amount (`transaction_amount`, `total_fee`, `return_amount`, …) as
//! decimal text with at most 2 decimals and at most 8 characters, so `"99999.99"` is the
//! largest amount with cents and `"99999999"` the largest whole one (`docs/protocol.md` §3, field type
//! `String(8)`; the spec gives every amount field, in requests, replies and notifications alike,
//! the type `amount`). [`Amount`] holds that value as integer minor units
//! so that no floating-point rounding can ever change what a payer is charged or refunded, and
//! [`Amount::parse`] rejects, with a message saying how to fix it, every text eftPay would not
//! accept rather than guessing what was meant.
//!
//! Real replies also carry amounts without decimals (`"100"`, §5), so one or zero decimals are
//! accepted; [`Amount`]'s `Display` always writes the canonical two-decimal form.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::FieldKind;
use crate::short_text::ShortText;

/// The most characters an amount's text may have: the longest `max_len` the spec gives a field
/// of type `amount` (eftPay's amount fields are `String(8)`, `docs/protocol.md` §3), read from the
/// catalog at compile time. A spec that bounds no amount field leaves the bound of the type: the
/// longest run of digits whose value in cents always fits a `u64`.
pub(crate) const MAX_TEXT_LEN: usize = {
    let fits = (u64::MAX.ilog10() - CENTS_PER_UNIT.ilog10()) as usize;
    match longest_amount(&crate::CATALOG) {
        Some(longest) if longest < fits => longest,
        _ => fits,
    }
};

/// The longest `max_len` of the amount fields of `catalog`, in what is sent and received alike.
const fn longest_amount(catalog: &crate::catalog::Catalog) -> Option<usize> {
    let mut longest: Option<usize> = None;
    let mut interfaces = catalog.interfaces;
    while let [interface, rest @ ..] = interfaces {
        let both = [interface.fields, interface.response];
        let mut tables = both.as_slice();
        while let [table, more_tables @ ..] = tables {
            let mut fields = *table;
            while let [field, more @ ..] = fields {
                if let (FieldKind::Amount, Some(max_len)) = (field.kind, field.max_len) {
                    longest = match longest {
                        Some(known) if known >= max_len => Some(known),
                        _ => Some(max_len),
                    };
                }
                fields = more;
            }
            tables = more_tables;
        }
        interfaces = rest;
    }
    longest
}

/// The largest amount with cents written in at most `max_len` characters (`99999.99` for
/// eight), for messages; the largest whole amount is `max_len` nines.
pub(crate) fn largest_with_cents(max_len: usize) -> String {
    format!("{}.{}", "9".repeat(max_len.saturating_sub(MAX_DECIMALS + 1).max(1)), "9".repeat(MAX_DECIMALS))
}

/// eftPay's currencies (HKD, CNY) have two minor digits.
const MAX_DECIMALS: usize = 2;

const CENTS_PER_UNIT: u64 = 100;

/// With `serde_json`'s `arbitrary_precision` feature (which this workspace enables so that signatures
/// can be checked over a number's literal text, `docs/protocol.md` §2), a JSON number that does not fit
/// an integer type reaches a visitor as a one-entry map under this key, holding the literal text.
const SERDE_JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An amount of money in minor units (cents), as eftPay carries it in `transaction_amount`,
/// `total_fee` and `return_amount`.
///
/// Build one with [`Amount::parse`] (eftPay's decimal text) or [`Amount::from_cents`]; its
/// `Display` and `Serialize` output is the canonical text with two decimals (`"1.50"`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount {
    cents: u64,
}

impl Amount {
    /// Nothing: `0.00`.
    pub const ZERO: Amount = Amount { cents: 0 };

    /// The amount of `cents` minor units: `Amount::from_cents(53)` is `0.53`.
    ///
    /// This does not check eftPay's 8-character limit, so sums of amounts can be represented;
    /// [`Amount::parse`] is where eftPay's text rules are enforced.
    pub const fn from_cents(cents: u64) -> Amount {
        Amount { cents }
    }

    /// The amount in minor units: `0.53` is `53`.
    pub const fn cents(self) -> u64 {
        self.cents
    }

    /// The canonical text (`0.53`, `100.00`) held on the stack: what a message signs and sends,
    /// without allocating. The same text as `to_string()`.
    pub fn wire_text(self) -> ShortText {
        let mut text = ShortText::new();
        text.push_digits(self.cents / CENTS_PER_UNIT, 1);
        text.push(b'.');
        text.push_digits(self.cents % CENTS_PER_UNIT, 2);
        text
    }

    /// Parses eftPay's decimal text strictly: ASCII digits with an optional `.` followed by one
    /// or two decimals, at most 8 characters (`"1"`, `"1.5"`, `"1.50"`, `"0.53"`, `"99999.99"`,
    /// `"99999999"`).
    ///
    /// Leading zeros (`"007.50"`) are accepted because their value is unambiguous. Signs,
    /// exponents, whitespace, thousands separators, a bare `.` side (`"1."`, `".5"`) and a third
    /// decimal are rejected.
    ///
    /// # Errors
    ///
    /// An [`AmountError`] naming the first rule the text breaks, quoting it and saying how to fix
    /// it.
    ///
    /// ```rust
    /// use eftpay::Amount;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let amount = Amount::parse("1.5")?;
    /// assert_eq!(amount.cents(), 150);
    /// assert_eq!(amount.to_string(), "1.50");
    ///
    /// assert!(Amount::parse("1.234").is_err());
    /// assert!(Amount::parse("-1").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let owned = || text.to_owned();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(AmountError::Whitespace { text: owned() });
        }
        if looks_like_exponent(text) {
            return Err(AmountError::Exponent { text: owned() });
        }
        if text.starts_with(['+', '-']) {
            return Err(AmountError::Sign { text: owned() });
        }
        if let Some(found) = text.chars().find(|c| !c.is_ascii_digit() && *c != '.') {
            return Err(AmountError::InvalidCharacter { text: owned(), found });
        }
        if text.matches('.').count() > 1 {
            return Err(AmountError::MultipleDots { text: owned() });
        }
        let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
        if units.is_empty() {
            return Err(AmountError::MissingUnitDigits { text: owned() });
        }
        if text.ends_with('.') {
            return Err(AmountError::MissingDecimalDigits { text: owned() });
        }
        if decimals.len() > MAX_DECIMALS {
            return Err(AmountError::TooManyDecimals { text: owned(), decimals: decimals.len() });
        }
        // Checked after the character rules: by now the text is ASCII, so bytes are characters.
        if text.len() > MAX_TEXT_LEN {
            return Err(AmountError::TooLong { text: owned(), length: text.len() });
        }
        // `MAX_TEXT_LEN` digits times 100 cannot overflow a u64; the checked ops only keep that a
        // proof the compiler can see rather than a comment it has to trust.
        let too_long = || AmountError::TooLong { text: owned(), length: text.len() };
        let whole = digits_value(units).ok_or_else(too_long)?;
        // One decimal means tenths: "1.5" is 150 cents, not 105. No decimals read as 0.
        let fraction = if decimals.len() == 1 {
            digits_value(decimals).and_then(|tenths| tenths.checked_mul(10))
        } else {
            digits_value(decimals)
        }
        .ok_or_else(too_long)?;
        whole
            .checked_mul(CENTS_PER_UNIT)
            .and_then(|cents| cents.checked_add(fraction))
            .map(Amount::from_cents)
            .ok_or_else(too_long)
    }

    /// `self + other`, or `None` if the sum does not fit.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.cents.checked_add(other.cents).map(Amount::from_cents)
    }

    /// `self - other`, or `None` if `other` is larger (amounts are never negative).
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.cents.checked_sub(other.cents).map(Amount::from_cents)
    }

    /// The last two decimal digits as a number: `0.81` → `81`, `12.05` → `5`, `100.00` → `0`.
    ///
    /// PAYME's UAT environment chooses the simulated outcome of a test payment by these digits,
    /// so tests and the sandbox need them without formatting and re-parsing.
    pub const fn fraction_cents(self) -> u8 {
        // The remainder is below 100, so the narrowing cast cannot lose anything.
        (self.cents % CENTS_PER_UNIT) as u8
    }
}

/// The value of a run of ASCII digits, `None` on a non-digit or overflow.
fn digits_value(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0u64, |value, byte| {
        let digit = char::from(byte).to_digit(10)?;
        value.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `1e2`, `1.5E-3`: a decimal mantissa, an `e`/`E`, then optionally signed digits. Recognizing
/// the whole shape (not just any `e`) keeps "exponent" out of the message for text like `"fee"`.
fn looks_like_exponent(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return false;
    };
    let exponent_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !exponent_digits.is_empty()
        && exponent_digits.chars().all(|c| c.is_ascii_digit())
}

/// Why a text is not an eftPay amount. Each message quotes the text and says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// The text is empty.
    #[error("amount is empty; send decimal text such as \"0.53\" or \"100\"")]
    Empty,
    /// The text is longer than the spec's amount fields allow (eftPay's `String(8)`).
    #[error(
        "amount `{text}` is {length} characters long but eftPay allows at most {}; \
         the largest amounts are \"{}\" and \"{}\"",
        MAX_TEXT_LEN,
        largest_with_cents(MAX_TEXT_LEN),
        "9".repeat(MAX_TEXT_LEN)
    )]
    TooLong {
        /// The rejected text.
        text: String,
        /// Its length in characters.
        length: usize,
    },
    /// The text contains whitespace (quoted with escapes so tabs and newlines show).
    #[error("amount {text:?} contains whitespace; remove it, e.g. send \"1.50\" rather than \" 1.50\"")]
    Whitespace {
        /// The rejected text.
        text: String,
    },
    /// The text starts with `+` or `-`.
    #[error(
        "amount `{text}` has a sign; amounts are unsigned, so drop the `+` or `-` \
         (a refund is its own request, not a negative amount)"
    )]
    Sign {
        /// The rejected text.
        text: String,
    },
    /// The text uses exponent notation.
    #[error("amount `{text}` uses exponent notation; write the digits out, e.g. \"100\" rather than \"1e2\"")]
    Exponent {
        /// The rejected text.
        text: String,
    },
    /// The text contains a character other than ASCII digits and `.`.
    #[error(
        "amount `{text}` contains `{found}`; only ASCII digits and one `.` are allowed, \
         e.g. \"1234.56\" (no currency symbols or thousands separators)"
    )]
    InvalidCharacter {
        /// The rejected text.
        text: String,
        /// The first character that is not allowed.
        found: char,
    },
    /// The text has more than one `.`.
    #[error("amount `{text}` has more than one `.`; use a single decimal point, e.g. \"1234.56\"")]
    MultipleDots {
        /// The rejected text.
        text: String,
    },
    /// The text has no digits before the `.` (`".5"`).
    #[error("amount `{text}` has no digits before the `.`; write the leading zero, e.g. \"0.5\"")]
    MissingUnitDigits {
        /// The rejected text.
        text: String,
    },
    /// The text ends with the `.` (`"1."`).
    #[error("amount `{text}` ends with `.`; drop the `.` or write the decimals, e.g. \"1\" or \"1.00\"")]
    MissingDecimalDigits {
        /// The rejected text.
        text: String,
    },
    /// The text has more than two decimals.
    #[error(
        "amount `{text}` has {decimals} decimals but eftPay allows at most 2; \
         round to whole cents first, e.g. \"1.23\""
    )]
    TooManyDecimals {
        /// The rejected text.
        text: String,
        /// How many decimals it has.
        decimals: usize,
    },
    /// A JSON amount arrived as a number with a fraction or an exponent (`0.53`, `1e2`).
    #[error(
        "amount {text} arrived as a JSON number with a fraction or exponent, which floating point \
         cannot carry exactly; send amounts as JSON strings, e.g. \"0.53\""
    )]
    NumberWithFraction {
        /// The number as text.
        text: String,
    },
}

impl FromStr for Amount {
    type Err = AmountError;

    /// Same as [`Amount::parse`].
    fn from_str(text: &str) -> Result<Amount, AmountError> {
        Amount::parse(text)
    }
}

impl fmt::Display for Amount {
    /// The canonical text eftPay expects: always two decimals (`0.53`, `1.50`, `100.00`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire_text())
    }
}

impl fmt::Debug for Amount {
    /// `Amount(0.53)`: the value a reader expects, not a raw cent count.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({self})")
    }
}

impl Serialize for Amount {
    /// As the canonical string (`"1.50"`), the only form eftPay documents.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// From a JSON string (parsed by [`Amount::parse`]) or a JSON integer (parsed from its
    /// decimal text, so the same 8-character rule applies). A number with a fraction or exponent
    /// is rejected with [`AmountError::NumberWithFraction`] rather than rounded through `f64`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        // `any`, because eftPay's replies are not typed: the same field may arrive either way.
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// An amount that arrived as a JSON number, given by its literal text. Integers go through the
/// string rules so `123456789` fails exactly like `"123456789"`; everything else is refused
/// whatever `serde_json` features are on, so behaviour never depends on feature unification.
fn from_number_text(text: &str) -> Result<Amount, AmountError> {
    if text.starts_with('-') {
        Err(AmountError::Sign { text: text.to_owned() })
    } else if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        Amount::parse(text)
    } else {
        Err(AmountError::NumberWithFraction { text: text.to_owned() })
    }
}

struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an eftPay amount as a decimal string with at most {MAX_DECIMALS} decimals and {MAX_TEXT_LEN} characters, \
             e.g. \"0.53\""
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Amount, E> {
        Amount::parse(text).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Amount, E> {
        from_number_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Amount, E> {
        from_number_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Amount, E> {
        from_number_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Amount, E> {
        from_number_text(&value.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Amount, E> {
        Err(E::custom(AmountError::NumberWithFraction { text: value.to_string() }))
    }

    /// Only `serde_json`'s arbitrary-precision number arrives as a map here.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == SERDE_JSON_NUMBER_TOKEN => {
                let literal: String = map.next_value()?;
                from_number_text(&literal).map_err(de::Error::custom)
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_amount_is_the_longest_the_spec_gives_an_amount_field() {
        let longest = crate::CATALOG
            .interfaces
            .iter()
            .flat_map(|i| i.fields.iter().chain(i.response))
            .filter(|f| f.kind == FieldKind::Amount)
            .filter_map(|f| f.max_len)
            .max()
            .expect("the spec bounds its amount fields");
        assert_eq!(MAX_TEXT_LEN, longest);
        let whole = "9".repeat(longest);
        let with_cents = largest_with_cents(longest);
        assert_eq!(with_cents.len(), longest);
        assert!(Amount::parse(&whole).is_ok() && Amount::parse(&with_cents).is_ok());
        let too_long = format!("1{whole}");
        let error = Amount::parse(&too_long).unwrap_err();
        assert_eq!(error, AmountError::TooLong { text: too_long.clone(), length: longest + 1 });
        let message = error.to_string();
        assert!(message.contains(&format!("at most {longest};")), "{message}");
        assert!(message.contains(&format!("\"{with_cents}\" and \"{whole}\"")), "{message}");
    }

    fn cents(text: &str) -> u64 {
        Amount::parse(text).unwrap().cents()
    }

    #[test]
    fn parses_whole_units() {
        assert_eq!(cents("1"), 100);
    }

    #[test]
    fn parses_one_decimal_as_tenths() {
        assert_eq!(cents("1.5"), 150);
    }

    #[test]
    fn parses_two_decimals() {
        assert_eq!(cents("1.50"), 150);
        assert_eq!(cents("12.05"), 1205);
    }

    #[test]
    fn parses_amount_below_one_unit() {
        assert_eq!(cents("0.53"), 53);
        assert_eq!(cents("0.01"), 1);
    }

    #[test]
    fn parses_zero() {
        assert_eq!(cents("0"), 0);
        assert_eq!(cents("0.00"), 0);
    }

    #[test]
    fn parses_largest_amount_with_cents() {
        assert_eq!(cents("99999.99"), 9_999_999);
    }

    #[test]
    fn parses_largest_whole_amount() {
        assert_eq!(cents("99999999"), 9_999_999_900);
    }

    #[test]
    fn accepts_leading_zeros() {
        assert_eq!(cents("007.50"), 750);
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Amount::parse(""), Err(AmountError::Empty));
    }

    #[test]
    fn rejects_nine_digits() {
        assert_eq!(Amount::parse("123456789"), Err(AmountError::TooLong { text: "123456789".into(), length: 9 }));
    }

    #[test]
    fn rejects_nine_characters_with_decimals() {
        assert!(matches!(Amount::parse("100000.00"), Err(AmountError::TooLong { length: 9, .. })));
    }

    #[test]
    fn rejects_letters() {
        assert_eq!(Amount::parse("12a"), Err(AmountError::InvalidCharacter { text: "12a".into(), found: 'a' }));
    }

    #[test]
    fn rejects_currency_symbol() {
        assert!(matches!(Amount::parse("HK$1"), Err(AmountError::InvalidCharacter { found: 'H', .. })));
    }

    #[test]
    fn rejects_thousands_separator() {
        assert!(matches!(Amount::parse("1,000"), Err(AmountError::InvalidCharacter { found: ',', .. })));
    }

    #[test]
    fn rejects_non_ascii_digits() {
        assert!(matches!(Amount::parse("１"), Err(AmountError::InvalidCharacter { found: '１', .. })));
    }

    #[test]
    fn rejects_minus_sign() {
        assert_eq!(Amount::parse("-1.00"), Err(AmountError::Sign { text: "-1.00".into() }));
    }

    #[test]
    fn rejects_plus_sign() {
        assert!(matches!(Amount::parse("+1"), Err(AmountError::Sign { .. })));
    }

    #[test]
    fn rejects_exponent() {
        for text in ["1e2", "1E2", "1.5e-3", "2e+1"] {
            assert_eq!(Amount::parse(text), Err(AmountError::Exponent { text: text.into() }), "{text}");
        }
    }

    #[test]
    fn reports_stray_e_as_invalid_character_not_exponent() {
        assert!(matches!(Amount::parse("1e"), Err(AmountError::InvalidCharacter { found: 'e', .. })));
    }

    #[test]
    fn rejects_spaces_anywhere() {
        for text in [" 1.00", "1.00 ", "1 000", "1.\t5", "\u{a0}1"] {
            assert_eq!(Amount::parse(text), Err(AmountError::Whitespace { text: text.into() }), "{text:?}");
        }
    }

    #[test]
    fn rejects_three_decimals() {
        assert_eq!(Amount::parse("1.234"), Err(AmountError::TooManyDecimals { text: "1.234".into(), decimals: 3 }));
    }

    #[test]
    fn rejects_dot_without_unit_digits() {
        assert_eq!(Amount::parse(".5"), Err(AmountError::MissingUnitDigits { text: ".5".into() }));
    }

    #[test]
    fn rejects_dot_without_decimal_digits() {
        assert_eq!(Amount::parse("1."), Err(AmountError::MissingDecimalDigits { text: "1.".into() }));
    }

    #[test]
    fn rejects_lone_dot() {
        assert!(matches!(Amount::parse("."), Err(AmountError::MissingUnitDigits { .. })));
    }

    #[test]
    fn rejects_two_dots() {
        for text in ["1.2.3", "1..2"] {
            assert_eq!(Amount::parse(text), Err(AmountError::MultipleDots { text: text.into() }), "{text}");
        }
    }

    #[test]
    fn error_messages_quote_the_text_and_say_how_to_fix_it() {
        let message = Amount::parse("1.234").unwrap_err().to_string();
        assert_eq!(
            message,
            "amount `1.234` has 3 decimals but eftPay allows at most 2; \
             round to whole cents first, e.g. \"1.23\""
        );
        let message = Amount::parse("123456789").unwrap_err().to_string();
        assert!(message.contains("`123456789`"), "{message}");
        assert!(message.contains("\"99999.99\""), "{message}");
    }

    #[test]
    fn whitespace_message_shows_invisible_characters() {
        let message = Amount::parse("1.5\t").unwrap_err().to_string();
        assert!(message.contains(r#""1.5\t""#), "{message}");
    }

    #[test]
    fn from_str_is_parse() {
        assert_eq!("0.53".parse::<Amount>(), Amount::parse("0.53"));
        assert_eq!("1.".parse::<Amount>(), Amount::parse("1."));
    }

    #[test]
    fn displays_two_decimals_always() {
        assert_eq!(Amount::from_cents(53).to_string(), "0.53");
        assert_eq!(Amount::from_cents(10_000).to_string(), "100.00");
        assert_eq!(Amount::from_cents(150).to_string(), "1.50");
        assert_eq!(Amount::from_cents(5).to_string(), "0.05");
        assert_eq!(Amount::ZERO.to_string(), "0.00");
    }

    #[test]
    fn displays_sums_beyond_eftpay_limit() {
        assert_eq!(Amount::from_cents(u64::MAX).to_string(), "184467440737095516.15");
    }

    #[test]
    fn debug_shows_the_value() {
        assert_eq!(format!("{:?}", Amount::from_cents(53)), "Amount(0.53)");
    }

    #[test]
    fn display_then_parse_round_trips() {
        for cents in [0, 1, 9, 10, 53, 99, 100, 150, 12_345, 9_999_999] {
            let amount = Amount::from_cents(cents);
            assert_eq!(Amount::parse(&amount.to_string()), Ok(amount));
        }
    }

    #[test]
    fn zero_is_default() {
        assert_eq!(Amount::default(), Amount::ZERO);
        assert_eq!(Amount::ZERO.cents(), 0);
    }

    #[test]
    fn orders_by_value() {
        assert!(Amount::parse("9.99").unwrap() < Amount::parse("10").unwrap());
    }

    #[test]
    fn checked_add_sums() {
        let sum = Amount::from_cents(150).checked_add(Amount::from_cents(53));
        assert_eq!(sum, Some(Amount::from_cents(203)));
    }

    #[test]
    fn checked_add_refuses_overflow() {
        assert_eq!(Amount::from_cents(u64::MAX).checked_add(Amount::from_cents(1)), None);
    }

    #[test]
    fn checked_sub_subtracts() {
        let rest = Amount::from_cents(1000).checked_sub(Amount::from_cents(250));
        assert_eq!(rest, Some(Amount::from_cents(750)));
    }

    #[test]
    fn checked_sub_refuses_negative_result() {
        assert_eq!(Amount::from_cents(1).checked_sub(Amount::from_cents(2)), None);
    }

    #[test]
    fn fraction_cents_are_the_last_two_digits() {
        assert_eq!(Amount::parse("0.81").unwrap().fraction_cents(), 81);
        assert_eq!(Amount::parse("12.05").unwrap().fraction_cents(), 5);
        assert_eq!(Amount::parse("1.5").unwrap().fraction_cents(), 50);
        assert_eq!(Amount::parse("100").unwrap().fraction_cents(), 0);
    }

    #[test]
    fn serializes_as_canonical_string() {
        let json = serde_json::to_string(&Amount::parse("1.5").unwrap()).unwrap();
        assert_eq!(json, r#""1.50""#);
    }

    #[test]
    fn deserializes_string() {
        let amount: Amount = serde_json::from_str(r#""0.53""#).unwrap();
        assert_eq!(amount, Amount::from_cents(53));
    }

    #[test]
    fn deserializes_string_without_decimals() {
        let amount: Amount = serde_json::from_str(r#""100""#).unwrap();
        assert_eq!(amount, Amount::from_cents(10_000));
    }

    #[test]
    fn deserializes_integer_number_as_whole_units() {
        let amount: Amount = serde_json::from_str("100").unwrap();
        assert_eq!(amount, Amount::from_cents(10_000));
    }

    #[test]
    fn deserializes_integer_number_from_json_value() {
        let amount: Amount = serde_json::from_value(serde_json::json!(7)).unwrap();
        assert_eq!(amount, Amount::from_cents(700));
    }

    #[test]
    fn rejects_fractional_json_number() {
        let error = serde_json::from_str::<Amount>("0.53").unwrap_err().to_string();
        assert!(error.contains("0.53"), "{error}");
        assert!(error.contains("send amounts as JSON strings"), "{error}");
    }

    #[test]
    fn rejects_fractional_json_number_from_json_value() {
        let value = serde_json::from_str::<serde_json::Value>("0.53").unwrap();
        let error = serde_json::from_value::<Amount>(value).unwrap_err().to_string();
        assert!(error.contains("send amounts as JSON strings"), "{error}");
    }

    #[test]
    fn rejects_f64_without_rounding() {
        let deserializer = de::value::F64Deserializer::<de::value::Error>::new(0.53);
        let error = Amount::deserialize(deserializer).unwrap_err().to_string();
        assert!(error.contains("send amounts as JSON strings"), "{error}");
    }

    #[test]
    fn rejects_exponent_json_number() {
        let error = serde_json::from_str::<Amount>("1e2").unwrap_err().to_string();
        assert!(error.contains("send amounts as JSON strings"), "{error}");
    }

    #[test]
    fn rejects_negative_json_number() {
        let error = serde_json::from_str::<Amount>("-1").unwrap_err().to_string();
        assert!(error.contains("has a sign"), "{error}");
    }

    #[test]
    fn rejects_too_long_json_number() {
        let error = serde_json::from_str::<Amount>("123456789").unwrap_err().to_string();
        assert!(error.contains("at most 8"), "{error}");
    }

    #[test]
    fn rejects_json_number_beyond_u64() {
        let error = serde_json::from_str::<Amount>("123456789012345678901234567890").unwrap_err().to_string();
        // The message depends on serde_json's `arbitrary_precision` feature: without it such a
        // number only exists as an f64, and is refused as one.
        assert!(error.contains("at most 8") || error.contains("send amounts as JSON strings"), "{error}");
    }

    #[test]
    fn rejects_invalid_json_string() {
        let error = serde_json::from_str::<Amount>(r#""1.234""#).unwrap_err().to_string();
        assert!(error.contains("at most 2"), "{error}");
    }

    #[test]
    fn rejects_json_types_that_are_not_amounts() {
        for json in ["true", "null", "[]", r#"{"a":"1"}"#] {
            assert!(serde_json::from_str::<Amount>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn round_trips_through_json_field() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Order {
            transaction_amount: Amount,
        }
        let order: Order = serde_json::from_str(r#"{"transaction_amount":"0.81"}"#).unwrap();
        assert_eq!(order.transaction_amount.fraction_cents(), 81);
        assert_eq!(serde_json::to_string(&order).unwrap(), r#"{"transaction_amount":"0.81"}"#);
    }
}
