//! JSON text the SDK writes itself — outgoing bodies, the compact text nested values are signed
//! as — by functions that cannot fail, so no field can silently drop out of a body or a
//! signature because an encoder reported an error. The escaping is serde_json's: `"`, `\`
//! and control characters, nothing else.

use std::fmt::Write as _;

/// Appends `text` as a JSON string literal.
pub fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
