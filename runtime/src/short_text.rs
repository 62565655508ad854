//! Short wire texts kept on the stack — an amount's digits, a count of seconds, a time — so a
//! message hands them to a [`FieldSink`](crate::FieldSink) as `&str` without allocating: every
//! request carries at least an amount and a time, and signing one should cost no more than
//! hashing its text.

use std::fmt;
use std::ops::Deref;

/// The longest text held: a `u64` is 20 digits, an amount 23 characters (`digits.cc`), a
/// dashed time 19.
const CAPACITY: usize = 24;

/// A wire text of at most 24 ASCII characters, held inline. Derefs to `str`.
///
/// ```
/// let text = eftpay::ShortText::digits(600);
/// assert_eq!(&*text, "600");
/// assert_eq!(&*eftpay::Amount::from_cents(53).wire_text(), "0.53");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ShortText {
    bytes: [u8; CAPACITY],
    len: usize,
}

impl ShortText {
    /// No text yet.
    pub(crate) const fn new() -> ShortText {
        ShortText { bytes: [0; CAPACITY], len: 0 }
    }

    /// The decimal digits of `value`, as Rust's `to_string` writes them.
    pub fn digits(value: u64) -> ShortText {
        let mut text = ShortText::new();
        text.push_digits(value, 1);
        text
    }

    /// Appends an ASCII byte; a byte past `CAPACITY` is not kept (no caller writes one).
    pub(crate) fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// Appends `byte` when there is one.
    pub(crate) fn push_some(&mut self, byte: Option<u8>) {
        if let Some(byte) = byte {
            self.push(byte);
        }
    }

    /// Appends the decimal digits of `value`, zero-padded to at least `width` digits.
    pub(crate) fn push_digits(&mut self, value: u64, width: usize) {
        let mut digits = [b'0'; 20];
        let mut count = 0;
        let mut rest = value;
        while let Some(slot) = digits.get_mut(count) {
            // `rest % 10` is below 10, so the cast keeps it whole.
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
            count += 1;
            if rest == 0 {
                break;
            }
        }
        for _ in count..width {
            self.push(b'0');
        }
        for &digit in digits.iter().take(count).rev() {
            self.push(digit);
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever pushed, so this is always valid UTF-8.
        self.bytes.get(..self.len).and_then(|bytes| std::str::from_utf8(bytes).ok()).unwrap_or_default()
    }
}

impl Deref for ShortText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn digits_are_what_to_string_writes(value in any::<u64>()) {
            let text = ShortText::digits(value);
            prop_assert_eq!(text.as_str(), value.to_string());
        }
    }

    #[test]
    fn digits_are_padded_to_the_width_asked() {
        let mut text = ShortText::new();
        text.push_digits(7, 2);
        text.push(b'-');
        text.push_digits(2024, 4);
        text.push_digits(0, 3);
        assert_eq!(text.as_str(), "07-2024000");
    }
}
