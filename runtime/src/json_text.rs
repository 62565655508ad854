//! JSON text the SDK writes itself — outgoing bodies, the compact text nested values are signed
//! as — by functions that cannot fail, so no field can silently drop out of a body or a
//! signature because an encoder reported an error. The escaping is serde_json's: `"`, `\`
//! and control characters, nothing else.

use std::fmt::Write as _;

use crate::byte_scan::{bytes_below, bytes_equal, first_match};

/// Appends `text` as a JSON string literal. Runs of characters that need no escape are copied
/// whole: most values have none, and are one scan and one copy.
pub fn push_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut rest = text;
    while let Some(at) = first_escape(rest.as_bytes()) {
        // `at` is the index of an ASCII byte, so both sides are whole characters.
        let Some((run, tail)) = rest.split_at_checked(at) else { break };
        out.push_str(run);
        if let Some(&byte) = tail.as_bytes().first() {
            push_escape(out, byte);
        }
        rest = tail.get(1..).unwrap_or_default();
    }
    out.push_str(rest);
    out.push('"');
}

/// Whether `byte` cannot stand for itself in a JSON string: `"`, `\` and control characters.
const fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The index of the first byte needing an escape, eight bytes at a time.
pub(crate) fn first_escape(bytes: &[u8]) -> Option<usize> {
    let in_word = |word| bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
    first_match(bytes, in_word, needs_escape)
}

/// The escape serde_json writes for `byte`.
fn push_escape(out: &mut String, byte: u8) {
    match byte {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        control => {
            out.push_str("\\u00");
            out.push(hex_digit(control >> 4));
            out.push(hex_digit(control & 0x0f));
        }
    }
}

/// The lowercase hex digit of a nibble.
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

/// `text` as a JSON string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_string(&mut out, text);
    out
}

/// A value sent as nested JSON (the spec's objects and arrays of objects): writes its compact
/// JSON text — no white space, keys in the order the spec lists them, absent fields left out.
/// Implemented by the generated object types.
pub trait NestedJson {
    /// Appends the compact JSON text of `self`.
    fn write_json(&self, out: &mut String);
}

impl<T: NestedJson> NestedJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: NestedJson> NestedJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl NestedJson for String {
    fn write_json(&self, out: &mut String) {
        push_string(out, self);
    }
}

impl NestedJson for i64 {
    fn write_json(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// Writes a JSON object one member at a time, in call order; used by generated objects.
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// A member, when it has a value.
    pub fn member<T: NestedJson + ?Sized>(&mut self, name: &str, value: Option<&T>) -> &mut Self {
        if let Some(value) = value {
            if !self.empty {
                self.out.push(',');
            }
            self.empty = false;
            push_string(self.out, name);
            self.out.push(':');
            value.write_json(self.out);
        }
        self
    }

    /// Closes the object.
    pub fn finish(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn strings_are_escaped_exactly_as_serde_json_does(text in "\\PC*|[\\x00-\\x7f]*") {
            prop_assert_eq!(string(&text), serde_json::to_string(&text).unwrap());
        }

        #[test]
        fn the_first_byte_needing_an_escape_is_found_eight_at_a_time_as_one_by_one(
            bytes in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'"'), Just(b'\\'), 0x1e_u8..0x22, 0x5b_u8..0x5e], 0..40)
        ) {
            prop_assert_eq!(first_escape(&bytes), bytes.iter().position(|&byte| needs_escape(byte)));
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(string("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\u0001""#);
    }

    #[test]
    fn arrays_and_objects_are_compact() {
        let mut out = String::new();
        let mut object = ObjectWriter::new(&mut out);
        object.member("a", Some(&String::from("x"))).member::<i64>("skipped", None).member("n", Some(&vec![1i64, 2]));
        object.finish();
        assert_eq!(out, r#"{"a":"x","n":[1,2]}"#);
    }
}
