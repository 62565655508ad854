//! One typed reader's pass over received fields: a generated `from_fields` reads its fields
//! through a [`Reading`], which notes the place of each field it finds, so that the fields left
//! for `extra` — those the message does not model — are the ones not found, known without
//! looking every known name up a second time.
//!
//! The notes live in the `Reading`, a value of the one call, never in the shared
//! [`ReceivedFields`]: two readers of the same fields, on two threads, each keep their own.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::received::{IncomingError, ReceivedFields, ReceivedValue, same_name};
use crate::{Amount, HkTime};

/// Fields being read by one typed reader: the same typed lookups as [`ReceivedFields`]'s, each
/// noting where it found its field. Made by [`ReceivedFields::reading`]; the generated readers'
/// own tool, not an API.
#[doc(hidden)]
#[derive(Debug)]
pub struct Reading<'f> {
    fields: &'f ReceivedFields,
    /// One bit per field found, by its place in the message; unused past 64 fields, where
    /// [`Reading::unread`] looks the known names up instead.
    found: Cell<u64>,
}

impl ReceivedFields {
    /// Starts a typed reader's pass over these fields.
    #[doc(hidden)]
    pub fn reading(&self) -> Reading<'_> {
        Reading { fields: self, found: Cell::new(0) }
    }
}

impl<'f> Reading<'f> {
    /// The value of `field`, noting where it was found.
    fn value(&self, field: &str) -> Option<&'f ReceivedValue> {
        let index = self.fields.position(field)?;
        if let Some(bit) = u32::try_from(index).ok().and_then(|index| 1u64.checked_shl(index)) {
            self.found.set(self.found.get() | bit);
        }
        self.fields.value_at(index)
    }

    /// As [`ReceivedFields::text`].
    pub fn text(&self, field: &str) -> Option<&'f str> {
        self.value(field).and_then(ReceivedValue::signing_text)
    }

    /// As [`ReceivedFields::amount`].
    ///
    /// # Errors
    /// Text that is not an amount.
    pub fn amount(&self, field: &'static str) -> Result<Option<Amount>, IncomingError> {
        self.fields.amount_in(field, self.text(field))
    }

    /// As [`ReceivedFields::time`].
    ///
    /// # Errors
    /// Text in another format.
    pub fn time(&self, field: &'static str) -> Result<Option<HkTime>, IncomingError> {
        self.fields.time_in(field, self.text(field))
    }

    /// As [`ReceivedFields::datetime`].
    ///
    /// # Errors
    /// Text in another format.
    pub fn datetime(&self, field: &'static str) -> Result<Option<HkTime>, IncomingError> {
        self.fields.datetime_in(field, self.text(field))
    }

    /// As [`ReceivedFields::seconds`].
    ///
    /// # Errors
    /// Text that is not a whole number.
    pub fn seconds(&self, field: &'static str) -> Result<Option<u32>, IncomingError> {
        self.fields.seconds_in(field, self.text(field))
    }

    /// As [`ReceivedFields::nested`].
    ///
    /// # Errors
    /// JSON that does not have the expected shape.
    pub fn nested<T: DeserializeOwned>(&self, field: &'static str) -> Result<Option<T>, IncomingError> {
        self.fields.nested_in(field, self.text(field))
    }

    /// The fields not in `known`, as [`ReceivedFields::unknown`] gives them, for a reader that
    /// looked up only names in `known` (every one it models): a field it found is known, so
    /// only the others — usually the signature alone — are compared with the known names.
    pub fn unread(&self, known: &[&str]) -> BTreeMap<String, ReceivedValue> {
        if self.fields.len() > u64::BITS as usize {
            return self.fields.unknown(known);
        }
        let found = self.found.get();
        let was_found =
            |index: usize| u32::try_from(index).ok().and_then(|index| found.checked_shr(index)).unwrap_or(0) & 1 == 1;
        self.fields.all_but(|index, name| {
            was_found(index) || known.iter().any(|known| same_name(known.as_bytes(), name.as_bytes()))
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn body_of(count: usize) -> String {
        let mut fields: Vec<String> = (0..count).map(|n| format!("\"f{n}\":\"{n}\"")).collect();
        fields.extend(["\"sign\":\"s\"".to_owned(), "\"zz\":\"last\"".to_owned()]);
        format!("{{{}}}", fields.join(","))
    }

    #[test]
    fn what_a_reader_leaves_unread_is_what_unknown_gives_whatever_the_count() {
        for count in [0, 1, 61, 62, 63, 64, 65, 100] {
            let fields = ReceivedFields::from_json(&body_of(count)).unwrap();
            // Known: every even field, "sign" and a name not received; the reader reads the
            // even fields but not "sign", as a generated reader reads all but the signature.
            let even: Vec<String> = (0..count).filter(|n| n % 2 == 0).map(|n| format!("f{n}")).collect();
            let known: Vec<&str> = even.iter().map(String::as_str).chain(["sign", "absent"]).collect();
            let reading = fields.reading();
            for name in &even {
                assert!(reading.text(name).is_some(), "{name} of {count}");
            }
            assert_eq!(reading.text("absent"), None);
            let unread = reading.unread(&known);
            assert_eq!(unread, fields.unknown(&known), "{count} fields");
            assert!(!unread.contains_key("sign") && unread.contains_key("zz"), "{count} fields");
        }
    }

    #[test]
    fn two_readings_of_the_same_fields_keep_their_own_notes() {
        let fields = ReceivedFields::from_json(r#"{"a":"1","b":"2","c":"3"}"#).unwrap();
        let (first, second) = (fields.reading(), fields.reading());
        assert_eq!(first.text("a"), Some("1"));
        assert_eq!(second.text("b"), Some("2"));
        assert_eq!(first.unread(&["a", "b"]).keys().collect::<Vec<_>>(), ["c"]);
        assert_eq!(second.unread(&["b"]).keys().collect::<Vec<_>>(), ["a", "c"]);
    }

    #[test]
    fn a_typed_reading_fails_as_the_fields_own_does() {
        let fields = ReceivedFields::from_json(r#"{"total_fee":"x","time":"2024","n":"1.5"}"#).unwrap();
        let reading = fields.reading();
        assert_eq!(reading.amount("total_fee"), fields.amount("total_fee"));
        assert!(reading.amount("total_fee").is_err());
        assert_eq!(reading.time("time"), fields.time("time"));
        assert_eq!(reading.seconds("n"), fields.seconds("n"));
        assert_eq!(reading.datetime("time"), fields.datetime("time"));
    }
}
