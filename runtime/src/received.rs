//! Messages as eftPay sends them, before typing: the raw fields of a JSON body or a
//! form-encoded return, kept exactly as received, because verification must recompute the
//! signature over every field as carried (`docs/protocol.md` §2) — never over a re-serialised struct.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::byte_scan::{bytes_equal, first_match};
use crate::{Amount, HkTime};

mod json_body;

/// One received value, as carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceivedValue {
    /// A JSON string or a form value.
    Text(String),
    /// A JSON number, as its literal text (`100`, `0.50`), which is what gets signed.
    Number(String),
    /// A JSON boolean.
    Bool(bool),
    /// JSON `null`: treated as absent.
    Null,
    /// A JSON object or array, as its compact JSON text (keys in the order received).
    Nested(String),
}

impl ReceivedValue {
    /// The text the signature covers; `None` for values left out of signing (null, empty).
    pub fn signing_text(&self) -> Option<&str> {
        match self {
            ReceivedValue::Text(text) | ReceivedValue::Number(text) | ReceivedValue::Nested(text) => {
                (!text.is_empty()).then_some(text.as_str())
            }
            ReceivedValue::Bool(true) => Some("true"),
            ReceivedValue::Bool(false) => Some("false"),
            ReceivedValue::Null => None,
        }
    }
}

/// Serialised as the text that was signed (numbers and nested values as their text), `null`
/// as `null`, booleans as booleans.
impl serde::Serialize for ReceivedValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ReceivedValue::Text(text) | ReceivedValue::Number(text) | ReceivedValue::Nested(text) => {
                serializer.serialize_str(text)
            }
            ReceivedValue::Bool(value) => serializer.serialize_bool(*value),
            ReceivedValue::Null => serializer.serialize_none(),
        }
    }
}

impl fmt::Display for ReceivedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.signing_text().unwrap_or(""))
    }
}

/// The largest body read as a message, in bytes; a larger one is refused before it is parsed.
///
/// eftPay's messages are a few hundred bytes to a few KiB (the largest, a place-order request
/// carrying an ATOME item list, stays far below this). The limit bounds the work anyone can cause
/// with a body that has not been authenticated yet — its signature can only be checked after it
/// has been read.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// The most top-level fields a message may have; reading stops as soon as a body has more.
///
/// eftPay's largest message, a place-order request, has about forty.
pub(crate) const MAX_FIELDS: usize = 256;

/// How much a received body may hold. [`ReceiveLimits::DEFAULT`] (64 KiB, 256 fields) is what
/// every constructor without `_within` applies; raise it only for messages known to be larger.
/// Reading stays linear in the body whatever the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiveLimits {
    /// The largest body, in bytes; checked before parsing.
    pub max_body_bytes: usize,
    /// The most top-level fields; checked field by field while parsing.
    pub max_fields: usize,
}

impl ReceiveLimits {
    /// 64 KiB and 256 top-level fields.
    ///
    /// eftPay's messages are a few hundred bytes to a few KiB (the largest, a place-order
    /// request carrying an ATOME item list, stays far below 64 KiB), and its largest message has
    /// about forty fields. The limits bound the work anyone can cause with a body that has not
    /// been authenticated yet — its signature can only be checked after it has been read.
    pub const DEFAULT: ReceiveLimits = ReceiveLimits { max_body_bytes: MAX_BODY_BYTES, max_fields: MAX_FIELDS };

    fn check_size(&self, size: usize) -> Result<(), ReceivedError> {
        if size > self.max_body_bytes {
            Err(ReceivedError::TooLarge { limit: self.max_body_bytes, size })
        } else {
            Ok(())
        }
    }
}

impl Default for ReceiveLimits {
    fn default() -> Self {
        ReceiveLimits::DEFAULT
    }
}

/// The body could not be read as a message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceivedError {
    /// Not JSON, or not a JSON object.
    #[error("the body is not a JSON object of fields: {reason}")]
    NotJsonObject {
        /// What the parser said.
        reason: String,
    },
    /// A field appears twice; which one was signed is ambiguous, so the message is refused.
    #[error("field `{field}` appears more than once; a message with duplicate fields is refused")]
    DuplicateField {
        /// The field's name.
        field: String,
    },
    /// The body is not valid UTF-8.
    #[error("the body is not UTF-8 text")]
    NotUtf8,
    /// The body is larger than a message can be; it was not parsed.
    #[error(
        "the body is {size} bytes, more than the {limit} bytes a received message may have; eftPay's messages are a \
         few KiB at most, so this is not an eftPay message and it was not parsed"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The body's size in bytes.
        size: usize,
    },
    /// The body has more top-level fields than a message can have; reading stopped there.
    #[error(
        "the body has more than {limit} fields, more than a received message may have; no eftPay message has that \
         many, so this is not an eftPay message and it was not read further"
    )]
    TooManyFields {
        /// The most fields allowed.
        limit: usize,
    },
    /// A field name is empty or contains `&` or `=`. The signature covers `name=value` pairs
    /// joined by `&`, so such a name could pass one signed field off as others (or others as
    /// one) without changing the signature.
    #[error(
        "field name {field:?} is empty or contains `&` or `=`, which makes the signed text ambiguous; eftPay never \
         sends such a name, so the message is refused"
    )]
    AmbiguousFieldName {
        /// The field's name.
        field: String,
    },
}

/// A typed field could not be read from a verified message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IncomingError {
    /// A field's text is not what its type requires.
    #[error("field `{field}` of the {message} is `{value}`, which is not {expected}: {reason}")]
    InvalidField {
        /// The message kind.
        message: &'static str,
        /// The wire name.
        field: &'static str,
        /// The text received.
        value: String,
        /// What it should be.
        expected: &'static str,
        /// Why it is not.
        reason: String,
    },
    /// The message is signed, but none of the spec's recognition rules says it is what was
    /// expected (a reply or an acknowledgement sent where a notification belongs).
    #[error(
        "the message is signed but is not a {expected}: no rule of the spec recognizes it (a reply or an acknowledgement re-sent as one?); refuse it"
    )]
    Unrecognized {
        /// What was expected (`notification`).
        expected: &'static str,
    },
}

/// Up to how many fields a lookup scans them rather than searching the index. Scanning was
/// measured faster on a 15-field notification (`runtime/benches/verify.rs`); 32 leaves room
/// for larger messages and is not tuned further.
const LINEAR_LOOKUP_FIELDS: usize = 32;

/// Every top-level field of a received message, in the order received.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReceivedFields {
    /// Every name, one after the other; each field says where its own lies.
    names: String,
    fields: Vec<(Range<usize>, ReceivedValue)>,
    /// The indices of `fields` ordered by name — by length, then bytes, so that most steps of
    /// a search compare two lengths. Sorted once, when the message is read: that finds
    /// duplicates and makes each lookup a binary search. Empty for a message of at most
    /// [`LINEAR_LOOKUP_FIELDS`] fields, whose lookups scan.
    index: Vec<usize>,
    /// The message kind being read, for error texts.
    message: &'static str,
    /// Where the next scanning lookup starts: just after the field the last one found.
    next: ScanStart,
    /// Every name's [`fingerprint`], one bit each.
    fingerprints: Fingerprints,
    /// Which field has which fingerprint, for a message of at most [`LINEAR_LOOKUP_FIELDS`].
    slots: NameSlots,
}

/// The derived form, without the scan's starting point (a detail of lookups, not of the
/// message).
impl fmt::Debug for ReceivedFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedFields")
            .field("names", &self.names)
            .field("fields", &self.fields)
            .field("index", &self.index)
            .field("message", &self.message)
            .finish()
    }
}

/// A set of name [`fingerprint`]s. A lookup of a name whose bit is not set ends there: most
/// names a typed reader or a recognition rule asks for and finds absent (optional fields,
/// `return_status` in a notification) cost one test rather than a scan of every field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fingerprints(u128);

impl Fingerprints {
    fn bit(name: &[u8]) -> u128 {
        1 << fingerprint(name)
    }

    pub(crate) fn may_hold(self, name: &[u8]) -> bool {
        self.0 & Fingerprints::bit(name) != 0
    }

    /// Adds `name`; whether its bit was set already (a name received before may be the same).
    pub(crate) fn add(&mut self, name: &[u8]) -> bool {
        self.add_print(fingerprint(name))
    }

    /// Adds a name of fingerprint `print`; whether its bit was set already.
    fn add_print(&mut self, print: u32) -> bool {
        let bit = 1u128.checked_shl(print).unwrap_or(0);
        let seen = self.0 & bit != 0;
        self.0 |= bit;
        seen
    }
}

/// Where the field of each [`fingerprint`] lies, among a message's first
/// [`LINEAR_LOOKUP_FIELDS`] fields: a name's fingerprint leads straight to the one field that
/// could be it, compared once, instead of a scan. A fingerprint two received names share (by
/// chance, or made to by whoever chose them) sends its lookups back to the scan.
#[derive(Clone, Copy, PartialEq, Eq)]
struct NameSlots([u8; 128]);

/// What a [`NameSlots`] entry says of a fingerprint.
enum Slot {
    /// No field has it: the name was not received.
    Empty,
    /// Only the field at this index has it.
    One(usize),
    /// Several fields have it: scan.
    Shared,
}

impl Default for NameSlots {
    fn default() -> Self {
        NameSlots::EMPTY_TABLE
    }
}

impl NameSlots {
    const EMPTY: u8 = 0;
    const SHARED: u8 = u8::MAX;
    const EMPTY_TABLE: NameSlots = NameSlots([NameSlots::EMPTY; 128]);

    /// Notes the field at `index` (below [`LINEAR_LOOKUP_FIELDS`]) under its fingerprint.
    fn add(&mut self, print: u32, index: usize) {
        let Some(slot) = usize::try_from(print).ok().and_then(|print| self.0.get_mut(print)) else { return };
        *slot = match (*slot, u8::try_from(index + 1)) {
            (NameSlots::EMPTY, Ok(stored)) if stored != NameSlots::SHARED => stored,
            _ => NameSlots::SHARED,
        };
    }

    fn get(&self, print: u32) -> Slot {
        match usize::try_from(print).ok().and_then(|print| self.0.get(print)).copied() {
            Some(NameSlots::EMPTY) => Slot::Empty,
            Some(NameSlots::SHARED) | None => Slot::Shared,
            Some(stored) => Slot::One(usize::from(stored) - 1),
        }
    }
}

/// A name's bit among 128, from its length and three of its bytes: a filter, never an answer —
/// names of one fingerprint are still compared byte by byte. Whoever chooses the names can make
/// them collide, which only brings back the scan.
fn fingerprint(name: &[u8]) -> u32 {
    let byte = |at: usize| u32::from(name.get(at).copied().unwrap_or(0));
    let len = u32::try_from(name.len()).unwrap_or(u32::MAX);
    let mixed = len.wrapping_mul(0x9E37_79B1)
        ^ byte(0).wrapping_mul(0x85EB_CA77)
        ^ byte(name.len() / 2).wrapping_mul(0xC2B2_AE3D)
        ^ byte(name.len().wrapping_sub(1)).wrapping_mul(0x27D4_EB2F);
    mixed.wrapping_mul(0x1656_67B1) >> 25
}

/// Whether two names are the same, compared in line (names are short; see [`byte_order`]):
/// eight bytes at a time, the last eight overlapping the ones before, so that a name of 8 to 16
/// bytes — most of eftPay's — takes two comparisons.
pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |bytes: &[u8], at: usize| {
        bytes.get(at..at + 8).and_then(|eight| <[u8; 8]>::try_from(eight).ok()).map(u64::from_ne_bytes)
    };
    if a.len() < 8 {
        return a == b;
    }
    let last = a.len() - 8;
    let mut at = 0;
    while at < last {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, last) == word(b, last)
}

/// Where a scanning lookup starts. A typed message reads its fields in the spec's order, and
/// eftPay sends them in that order too, so starting after the last field found usually finds
/// the next one at the first comparison rather than half-way through a scan. Only a starting
/// point: any start finds the one field of a name (duplicates are refused when the message is
/// read). Atomic, so that fields can be shared between threads; relaxed, as no other memory
/// depends on it.
#[derive(Default)]
struct ScanStart(AtomicUsize);

impl ScanStart {
    fn get(&self) -> usize {
        self.0.load(AtomicOrdering::Relaxed)
    }

    fn set(&self, index: usize) {
        self.0.store(index, AtomicOrdering::Relaxed);
    }
}

impl Clone for ScanStart {
    fn clone(&self) -> Self {
        ScanStart(AtomicUsize::new(self.get()))
    }
}

/// Any two are equal: where a lookup starts does not change what it finds.
impl PartialEq for ScanStart {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ScanStart {}

impl ReceivedFields {
    /// Reads a JSON object body. Numbers keep their literal text; nested values become compact
    /// JSON text; duplicate top-level keys are refused. The body must be within
    /// [`ReceiveLimits::DEFAULT`].
    ///
    /// # Errors
    /// Too large, not a JSON object, too many fields, an ambiguous field name or a duplicate field.
    pub fn from_json(body: &str) -> Result<Self, ReceivedError> {
        Self::from_json_within(body, ReceiveLimits::DEFAULT)
    }

    /// [`from_json`](Self::from_json) with other limits.
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json).
    pub fn from_json_within(body: &str, limits: ReceiveLimits) -> Result<Self, ReceivedError> {
        limits.check_size(body.len())?;
        let mut collector = Collector::for_body(body.len(), limits.max_fields);
        json_body::read_object(body, &mut collector).map_err(|stop| match stop {
            json_body::Stop::Refused(refusal) => refusal,
            json_body::Stop::Syntax(reason) => ReceivedError::NotJsonObject { reason },
        })?;
        collector.finish()
    }

    /// Reads a JSON body given as bytes.
    ///
    /// # Errors
    /// Too large, not UTF-8, or as [`from_json`](Self::from_json).
    pub fn from_json_bytes(body: &[u8]) -> Result<Self, ReceivedError> {
        ReceiveLimits::DEFAULT.check_size(body.len())?;
        std::str::from_utf8(body).map_err(|_| ReceivedError::NotUtf8).and_then(Self::from_json)
    }

    /// Reads an `application/x-www-form-urlencoded` body (the synchronous return), within
    /// [`ReceiveLimits::DEFAULT`].
    ///
    /// # Errors
    /// Too large, too many fields, an ambiguous field name or a duplicate field.
    pub fn from_form(body: &str) -> Result<Self, ReceivedError> {
        Self::from_form_within(body, ReceiveLimits::DEFAULT)
    }

    /// [`from_form`](Self::from_form) with other limits.
    ///
    /// # Errors
    /// As [`from_form`](Self::from_form).
    pub fn from_form_within(body: &str, limits: ReceiveLimits) -> Result<Self, ReceivedError> {
        limits.check_size(body.len())?;
        let mut collector = Collector::for_body(body.len(), limits.max_fields);
        for (name, value) in form_urlencoded::parse(body.as_bytes()) {
            collector.admit(&name)?;
            collector.push(&name, ReceivedValue::Text(value.into_owned()));
        }
        collector.finish()
    }

    /// Builds fields from name/value pairs (tests, and callers holding parsed data), at most
    /// [`ReceiveLimits::DEFAULT`]`.max_fields` of them; the pairs are not taken beyond that.
    ///
    /// # Errors
    /// Too many fields, an ambiguous field name or a duplicate field.
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Self, ReceivedError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut collector = Collector::for_body(0, MAX_FIELDS);
        for (name, value) in pairs {
            let name = name.into();
            collector.admit(&name)?;
            collector.push(&name, ReceivedValue::Text(value.into()));
        }
        collector.finish()
    }

    /// The same fields, named as `message` in errors.
    #[doc(hidden)]
    pub fn labelled(mut self, message: &'static str) -> Self {
        self.message = message;
        self
    }

    /// Every field in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ReceivedValue)> {
        self.fields.iter().map(|(name, value)| (self.name(name), value))
    }

    fn name(&self, range: &Range<usize>) -> &str {
        self.names.get(range.clone()).unwrap_or_default()
    }

    /// The name of the field at `index` (of `fields`).
    fn name_at(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", |(name, _)| self.name(name))
    }

    /// The index (of `fields`) of the field called `name`.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        // eftPay's messages have a few dozen fields at most: a scan of the fields in received
        // order, lengths first, touches less memory than a search through the index, and
        // branches predictably.
        if self.fields.len() <= LINEAR_LOOKUP_FIELDS {
            let is_named = |(range, _): &(Range<usize>, ReceivedValue)| {
                range.len() == name.len()
                    && self.names.as_bytes().get(range.clone()).is_some_and(|stored| same_name(stored, name.as_bytes()))
            };
            // The field after the last one found, first: a typed reader asks in the order
            // eftPay sends, so this is usually it.
            let start = self.next.get().min(self.fields.len());
            if self.fields.get(start).is_some_and(is_named) {
                self.next.set(start + 1);
                return Some(start);
            }
            match self.slots.get(fingerprint(name.as_bytes())) {
                Slot::Empty => return None,
                Slot::One(index) => {
                    let found = self.fields.get(index).is_some_and(is_named).then_some(index);
                    if found.is_some() {
                        self.next.set(index + 1);
                    }
                    return found;
                }
                Slot::Shared => {}
            }
            let (before, after) = self.fields.split_at_checked(start).unwrap_or((&[], &self.fields));
            let found =
                after.iter().position(is_named).map(|at| start + at).or_else(|| before.iter().position(is_named));
            if let Some(found) = found {
                self.next.set(found + 1);
            }
            return found;
        }
        if !self.fingerprints.may_hold(name.as_bytes()) {
            return None;
        }
        // Lengths first, without touching the text: most steps end there.
        let found = self
            .index
            .binary_search_by(|&index| {
                let stored = self.fields.get(index).map_or(0..0, |(range, _)| range.clone());
                stored.len().cmp(&name.len()).then_with(|| byte_order(self.name(&stored), name))
            })
            .ok()?;
        self.index.get(found).copied()
    }

    /// How many fields were received.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no field was received.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&ReceivedValue> {
        self.fields.get(self.position(name)?).map(|(_, value)| value)
    }

    /// A field's text, if it carries any (`null` and `""` count as absent, as in signing).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(ReceivedValue::signing_text)
    }

    fn invalid(&self, field: &'static str, value: &str, expected: &'static str, reason: String) -> IncomingError {
        IncomingError::InvalidField { message: self.message, field, value: value.to_owned(), expected, reason }
    }

    /// An amount field. eftPay's replies carry amounts without decimals (`"100"`) too.
    ///
    /// # Errors
    /// Text that is not an amount.
    pub fn amount(&self, field: &'static str) -> Result<Option<Amount>, IncomingError> {
        self.amount_in(field, self.text(field))
    }

    /// A `yyyyMMddHHmmss` field.
    ///
    /// # Errors
    /// Text in another format.
    pub fn time(&self, field: &'static str) -> Result<Option<HkTime>, IncomingError> {
        self.time_in(field, self.text(field))
    }

    /// A `yyyy-MM-dd HH:mm:ss` field.
    ///
    /// # Errors
    /// Text in another format.
    pub fn datetime(&self, field: &'static str) -> Result<Option<HkTime>, IncomingError> {
        self.datetime_in(field, self.text(field))
    }

    /// A whole number of seconds.
    ///
    /// # Errors
    /// Text that is not a whole number.
    pub fn seconds(&self, field: &'static str) -> Result<Option<u32>, IncomingError> {
        self.seconds_in(field, self.text(field))
    }

    /// A nested JSON value.
    ///
    /// # Errors
    /// JSON that does not have the expected shape.
    pub fn nested<T: DeserializeOwned>(&self, field: &'static str) -> Result<Option<T>, IncomingError> {
        self.nested_in(field, self.text(field))
    }

    // The typed readings of `field`'s `text`, shared with `Reading`, which finds the text itself.

    pub(crate) fn amount_in(&self, field: &'static str, text: Option<&str>) -> Result<Option<Amount>, IncomingError> {
        text.map(|text| Amount::parse(text).map_err(|e| self.invalid(field, text, "an amount", e.to_string())))
            .transpose()
    }

    pub(crate) fn time_in(&self, field: &'static str, text: Option<&str>) -> Result<Option<HkTime>, IncomingError> {
        text.map(|text| {
            HkTime::parse_compact(text).map_err(|e| self.invalid(field, text, "a yyyyMMddHHmmss time", e.to_string()))
        })
        .transpose()
    }

    pub(crate) fn datetime_in(&self, field: &'static str, text: Option<&str>) -> Result<Option<HkTime>, IncomingError> {
        text.map(|text| {
            HkTime::parse_dashed(text)
                .map_err(|e| self.invalid(field, text, "a yyyy-MM-dd HH:mm:ss time", e.to_string()))
        })
        .transpose()
    }

    pub(crate) fn seconds_in(&self, field: &'static str, text: Option<&str>) -> Result<Option<u32>, IncomingError> {
        text.map(|text| text.parse::<u32>().map_err(|e| self.invalid(field, text, "whole seconds", e.to_string())))
            .transpose()
    }

    pub(crate) fn nested_in<T: DeserializeOwned>(
        &self,
        field: &'static str,
        text: Option<&str>,
    ) -> Result<Option<T>, IncomingError> {
        text.map(|text| {
            serde_json::from_str(text)
                .map_err(|e| self.invalid(field, text, "the documented JSON shape", e.to_string()))
        })
        .transpose()
    }

    /// The value of the field at `index` (of the fields in received order).
    pub(crate) fn value_at(&self, index: usize) -> Option<&ReceivedValue> {
        self.fields.get(index).map(|(_, value)| value)
    }

    /// The fields whose index `is_known` rejects, by name: the typed messages' `extra`.
    pub(crate) fn all_but(&self, is_known: impl Fn(usize, &str) -> bool) -> BTreeMap<String, ReceivedValue> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(index, (name, _))| !is_known(*index, self.name(name)))
            .map(|(_, (name, value))| (self.name(name).to_owned(), value.clone()))
            .collect()
    }

    /// The fields not in `known`, for the typed messages' `extra`.
    pub fn unknown(&self, known: &[&str]) -> BTreeMap<String, ReceivedValue> {
        // Each known name looked up once, rather than each field sought among the known names.
        let found = known.iter().filter_map(|name| self.position(name));
        // The fields found marked in one word when there are at most 64 (eftPay's messages),
        // without allocating.
        let bit = |index: usize| u32::try_from(index).ok().and_then(|index| 1u64.checked_shl(index)).unwrap_or(0);
        if self.fields.len() <= u64::BITS as usize {
            let mask = found.fold(0u64, |mask, index| mask | bit(index));
            return self.all_but(|index, _| mask & bit(index) != 0);
        }
        let mut is_known = vec![false; self.fields.len()];
        for index in found {
            if let Some(flag) = is_known.get_mut(index) {
                *flag = true;
            }
        }
        self.all_but(|index, _| is_known.get(index).copied().unwrap_or(false))
    }
}

/// Gathers a message's fields as they are read, refusing — before the value is even read — the
/// one past the limit or an ambiguous name; a name seen twice is refused once all are read.
struct Collector {
    names: String,
    fields: Vec<(Range<usize>, ReceivedValue)>,
    max_fields: usize,
    fingerprints: Fingerprints,
    slots: NameSlots,
    /// Among the first [`LINEAR_LOOKUP_FIELDS`] fields, the name received twice that comes
    /// first in lookup order (where its earlier copy lies in `names`).
    duplicate: Option<Range<usize>>,
}

/// How much room to reserve for a body's names and fields: names are about a third of a
/// message, and a field takes a few dozen of its bytes. Guesses, so that reading seldom has to
/// grow a buffer; never a limit.
const BODY_BYTES_PER_NAME_BYTE: usize = 3;
const BODY_BYTES_PER_FIELD: usize = 24;

impl Collector {
    /// A collector for a body of `size` bytes.
    fn for_body(size: usize, max_fields: usize) -> Self {
        Collector {
            names: String::with_capacity(size / BODY_BYTES_PER_NAME_BYTE),
            fields: Vec::with_capacity((size / BODY_BYTES_PER_FIELD).min(max_fields)),
            max_fields,
            fingerprints: Fingerprints::default(),
            slots: NameSlots::EMPTY_TABLE,
            duplicate: None,
        }
    }

    /// Whether a field called `name` may be added.
    fn admit(&mut self, name: &str) -> Result<(), ReceivedError> {
        if self.fields.len() >= self.max_fields {
            return Err(ReceivedError::TooManyFields { limit: self.max_fields });
        }
        let separator = |byte: u8| byte == b'&' || byte == b'=';
        let in_word = |word| bytes_equal(word, b'&') | bytes_equal(word, b'=');
        if name.is_empty() || first_match(name.as_bytes(), in_word, separator).is_some() {
            return Err(ReceivedError::AmbiguousFieldName { field: name.to_owned() });
        }
        Ok(())
    }

    /// Adds a field [`admit`](Self::admit) accepted.
    #[inline]
    fn push(&mut self, name: &str, value: ReceivedValue) {
        // A name is compared with those before it only when its fingerprint was seen already;
        // past the scan threshold, `finish` sorts instead (so this stays linear).
        let print = fingerprint(name.as_bytes());
        let seen = self.fingerprints.add_print(print);
        if self.fields.len() < LINEAR_LOOKUP_FIELDS {
            self.slots.add(print, self.fields.len());
        }
        if seen
            && self.fields.len() < LINEAR_LOOKUP_FIELDS
            && let Some((earlier, _)) = self.fields.iter().find(|(range, _)| {
                self.names.as_bytes().get(range.clone()).is_some_and(|stored| same_name(stored, name.as_bytes()))
            })
        {
            let name_of = |range: &Range<usize>| self.names.get(range.clone()).unwrap_or_default();
            let first = self
                .duplicate
                .as_ref()
                .is_some_and(|found| lookup_order(name_of(found), name_of(earlier)) != Ordering::Greater);
            if !first {
                self.duplicate = Some(earlier.clone());
            }
        }
        let start = self.names.len();
        self.names.push_str(name);
        self.fields.push((start..self.names.len(), value));
    }

    /// The fields, indexed by name; refused if a name appears twice. Up to
    /// [`LINEAR_LOOKUP_FIELDS`] fields, the duplicate was found as the names were pushed
    /// (at worst every pair compared, when a sender makes the fingerprints collide); past that,
    /// sorting the names finds one in n·log n comparisons whoever chose the names — no hash a
    /// sender could collide, no allocation per name.
    fn finish(self) -> Result<ReceivedFields, ReceivedError> {
        let mut fields = ReceivedFields {
            names: self.names,
            fields: self.fields,
            index: Vec::new(),
            message: "message",
            next: ScanStart::default(),
            fingerprints: self.fingerprints,
            slots: self.slots,
        };
        if fields.fields.len() <= LINEAR_LOOKUP_FIELDS {
            // Few enough that each name was compared, as it was pushed, with the earlier names
            // of its fingerprint; lookups scan, so no index is kept. The duplicate named is the
            // same as below: the first in lookup order.
            if let Some(name) = self.duplicate {
                return Err(ReceivedError::DuplicateField { field: fields.name(&name).to_owned() });
            }
            return Ok(fields);
        }
        let mut index: Vec<usize> = (0..fields.fields.len()).collect();
        index.sort_unstable_by(|&a, &b| lookup_order(fields.name_at(a), fields.name_at(b)));
        if let Some(pair) =
            index.windows(2).find(|pair| matches!(pair, [a, b] if fields.name_at(*a) == fields.name_at(*b)))
        {
            let name = pair.first().map_or("", |&index| fields.name_at(index));
            return Err(ReceivedError::DuplicateField { field: name.to_owned() });
        }
        fields.index = index;
        Ok(fields)
    }
}

/// The order names are looked up in: shorter first, names of one length in byte order.
fn lookup_order(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| byte_order(a, b))
}

/// The byte order of two names (`docs/protocol.md` §2), compared in line: names are short and
/// mostly differ within their first bytes, where a call to `memcmp` would cost more than the
/// comparison.
pub(crate) fn byte_order(a: &str, b: &str) -> Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Why a nested value given as text (a field set by name) cannot be sent.
#[cfg(feature = "client")]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NestedTextError {
    /// Longer than a whole message may be; not parsed.
    #[error(
        "it is {size} bytes, more than the {limit} bytes a whole message may have; eftPay's nested values are far smaller"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The value's size in bytes.
        size: usize,
    },
    /// Not exactly one JSON value: unparseable, or followed by more text.
    #[error("it is not one JSON value ({reason}); give exactly one JSON object or array, with nothing after it")]
    NotOneValue {
        /// What the parser said.
        reason: String,
    },
    /// One JSON value, but not an object or array.
    #[error("its value is not a JSON object or array; give one, e.g. `{{\"name\":\"…\"}}` or `[{{…}}]`")]
    NotNested,
    /// An object or array that cannot be compacted (nested too deep).
    #[error("it cannot be sent as a nested value: {reason}")]
    Unreadable {
        /// Why.
        reason: String,
    },
}

/// A nested value given as text — exactly one JSON object or array, nothing after it — as the
/// compact text it is signed as: the same compaction a receiver applies to the body, so the text
/// signed is the text it verifies. Refused before parsing beyond `MAX_BODY_BYTES`.
#[cfg(feature = "client")]
pub(crate) fn compact_nested(text: &str) -> Result<String, NestedTextError> {
    if text.len() > MAX_BODY_BYTES {
        return Err(NestedTextError::TooLarge { limit: MAX_BODY_BYTES, size: text.len() });
    }
    // Parsed on its own, so text after the value is refused rather than read as more fields.
    let raw: &RawValue =
        serde_json::from_str(text).map_err(|error| NestedTextError::NotOneValue { reason: error.to_string() })?;
    match received_value(raw.get()) {
        Ok(ReceivedValue::Nested(compact)) => Ok(compact),
        Ok(_) => Err(NestedTextError::NotNested),
        Err(error) => Err(NestedTextError::Unreadable { reason: error.to_string() }),
    }
}

fn received_value(raw: &str) -> Result<ReceivedValue, serde_json::Error> {
    // JSON's white space is ASCII, so no other kind can surround a value the parser accepted.
    let raw = raw.trim_ascii();
    Ok(match raw.as_bytes().first() {
        Some(b'"') => ReceivedValue::Text(string_value(raw)?),
        Some(b'n') => ReceivedValue::Null,
        Some(b't') => ReceivedValue::Bool(true),
        Some(b'f') => ReceivedValue::Bool(false),
        Some(b'{' | b'[') => {
            let mut out = String::with_capacity(raw.len());
            write_compact(raw, &mut out, 0)?;
            ReceivedValue::Nested(out)
        }
        _ => ReceivedValue::Number(raw.to_owned()),
    })
}

/// A JSON string literal's text. The parser has already checked the literal, so one without a
/// backslash is its text between the quotes, copied once; only one with escapes is decoded.
fn string_value(literal: &str) -> Result<String, serde_json::Error> {
    match literal.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')) {
        Some(text) if !text.contains('\\') => Ok(text.to_owned()),
        _ => serde_json::from_str(literal),
    }
}

/// Nesting deeper than any eftPay message has is refused rather than recursed into.
///
/// Each level of a nested value is re-read from its own raw text (serde_json hands out a value's
/// extent only as text, and numbers must keep theirs), so compacting costs at most
/// `MAX_NESTING + 1` passes over the body: linear in its size, with this constant factor, and the
/// body itself is at most [`ReceiveLimits::max_body_bytes`].
const MAX_NESTING: usize = 32;

/// Re-writes a nested JSON value as compact text the way it is signed (`docs/protocol.md` §2):
/// no white space, keys in received order, strings re-escaped minimally, numbers as written.
fn write_compact(raw: &str, out: &mut String, depth: usize) -> Result<(), serde_json::Error> {
    if depth > MAX_NESTING {
        return Err(de::Error::custom(format!("nested values deeper than {MAX_NESTING} levels")));
    }
    let raw = raw.trim();
    match raw.as_bytes().first() {
        Some(b'{') => {
            let Entries(entries) = serde_json::from_str(raw)?;
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key)?);
                out.push(':');
                write_compact(value.get(), out, depth + 1)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(raw)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item.get(), out, depth + 1)?;
            }
            out.push(']');
        }
        Some(b'"') => out.push_str(&serde_json::to_string(&serde_json::from_str::<String>(raw)?)?),
        _ => out.push_str(raw),
    }
    Ok(())
}

/// The entries of a nested object in received order, duplicates included.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

#[cfg(test)]
mod tests {
    /// `count` fields `f0`, `f1`, … plus `extra` (name, value) pairs, as a JSON body.
    fn body_of(count: usize, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<String> = (0..count).map(|n| format!(r#""f{n}":"{n}""#)).collect();
        pairs.extend(extra.iter().map(|(name, value)| format!(r#""{name}":"{value}""#)));
        format!("{{{}}}", pairs.join(","))
    }

    #[test]
    fn unknown_fields_are_the_rest_whatever_the_count() {
        for count in [0, 1, 63, 64, 65, 100] {
            let fields = ReceivedFields::from_json(&body_of(count, &[("zz", "last")])).unwrap();
            let known: Vec<String> = (0..count).filter(|n| n % 2 == 0).map(|n| format!("f{n}")).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).chain(["absent"]).collect();
            let unknown = fields.unknown(&known);
            let expected: Vec<String> =
                (0..count).filter(|n| n % 2 == 1).map(|n| format!("f{n}")).chain(["zz".to_owned()]).collect();
            let mut expected = expected;
            expected.sort();
            assert_eq!(unknown.keys().cloned().collect::<Vec<_>>(), expected, "{count} fields");
            assert_eq!(unknown.get("zz"), Some(&ReceivedValue::Text("last".to_owned())));
        }
    }

    #[test]
    fn names_compared_eight_bytes_at_a_time_are_equal_exactly_when_every_byte_is() {
        let base: Vec<u8> = (0..40u8).map(|n| b'a' + n % 26).collect();
        for len in 0..base.len() {
            let name = &base[..len];
            assert!(same_name(name, name), "{len}");
            assert!(!same_name(name, &base[..len + 1]), "{len}");
            for at in 0..len {
                let mut other = name.to_vec();
                other[at] ^= 0x20;
                assert!(!same_name(name, &other), "{len}, byte {at}");
            }
        }
    }

    #[test]
    fn lookups_and_duplicates_agree_on_both_sides_of_the_scan_threshold() {
        for count in [0, 1, LINEAR_LOOKUP_FIELDS - 2, LINEAR_LOOKUP_FIELDS - 1, LINEAR_LOOKUP_FIELDS, 100] {
            let fields = ReceivedFields::from_json(&body_of(count, &[("zz", "last")])).unwrap();
            assert_eq!(fields.len(), count + 1);
            for n in 0..count {
                assert_eq!(fields.text(&format!("f{n}")), Some(n.to_string().as_str()), "{count} fields");
            }
            assert_eq!(fields.text("zz"), Some("last"));
            assert_eq!(fields.text("f"), None);
            assert_eq!(fields.text("missing"), None);
            // Two names repeated: the one reported is the first in lookup order (shorter first),
            // however many fields there are.
            let body = body_of(count, &[("bb", "1"), ("a", "1"), ("bb", "2"), ("a", "2")]);
            let error = ReceivedFields::from_json(&body).unwrap_err();
            assert!(matches!(&error, ReceivedError::DuplicateField { field } if field == "a"), "{count}: {error:?}");
        }
    }

    use super::*;

    /// Names of one length whose fingerprints collide, and one that does not collide with them.
    fn colliding_names() -> (String, String, String) {
        let names: Vec<String> = (0..2000).map(|n| format!("c{n:04}")).collect();
        for (at, a) in names.iter().enumerate() {
            for b in names.iter().skip(at + 1) {
                if fingerprint(a.as_bytes()) == fingerprint(b.as_bytes()) {
                    let other = names.iter().find(|c| fingerprint(c.as_bytes()) != fingerprint(a.as_bytes())).unwrap();
                    return (a.clone(), b.clone(), other.clone());
                }
            }
        }
        unreachable!("2,000 names among 128 fingerprints collide");
    }

    #[test]
    fn names_of_one_fingerprint_are_told_apart_and_duplicates_found() {
        let (a, b, other) = colliding_names();
        for count in [0, 5, LINEAR_LOOKUP_FIELDS - 3, LINEAR_LOOKUP_FIELDS, 60] {
            let fields = ReceivedFields::from_json(&body_of(count, &[(&a, "1"), (&b, "2")])).unwrap();
            assert_eq!(fields.text(&a), Some("1"), "{count}");
            assert_eq!(fields.text(&b), Some("2"), "{count}");
            assert_eq!(fields.text(&other), None, "{count}");
            // A duplicate among names of one fingerprint is found, the same one either way.
            let body = body_of(count, &[(&a, "1"), (&b, "2"), (&b, "3"), (&a, "4")]);
            let error = ReceivedFields::from_json(&body).unwrap_err();
            let first = if lookup_order(&a, &b) == Ordering::Less { &a } else { &b };
            assert!(matches!(&error, ReceivedError::DuplicateField { field } if field == first), "{count}: {error:?}");
        }
    }

    #[test]
    fn lookups_find_the_same_field_in_any_order() {
        // Where a scan starts depends on the lookup before it; what it finds must not.
        let fields = ReceivedFields::from_json(&body_of(20, &[])).unwrap();
        let orders: [Vec<usize>; 3] =
            [(0..20).collect(), (0..20).rev().collect(), (0..20).map(|n| n * 7 % 20).collect()];
        for order in orders {
            for n in order {
                assert_eq!(fields.text(&format!("f{n}")), Some(n.to_string().as_str()));
                assert_eq!(fields.text(&format!("g{n}")), None);
            }
        }
        let copy = fields.clone();
        assert_eq!(copy, fields);
        assert_eq!(copy.text("f3"), Some("3"));
    }

    #[test]
    fn numbers_keep_their_literal_text() {
        let f = ReceivedFields::from_json(r#"{"a": 100, "b": 0.50, "c": 1e2}"#).unwrap();
        assert_eq!(f.text("a"), Some("100"));
        assert_eq!(f.text("b"), Some("0.50"));
        assert_eq!(f.text("c"), Some("1e2"));
    }

    #[test]
    fn rejects_duplicate_fields() {
        let error = ReceivedFields::from_json(r#"{"a": "1", "a": "2"}"#).unwrap_err();
        assert_eq!(error, ReceivedError::DuplicateField { field: "a".into() });
    }

    #[test]
    fn rejects_duplicate_form_fields() {
        let error = ReceivedFields::from_form("a=1&b=2&a=3").unwrap_err();
        assert_eq!(error, ReceivedError::DuplicateField { field: "a".into() });
    }

    #[test]
    fn rejects_bodies_that_are_not_objects() {
        assert!(matches!(ReceivedFields::from_json("[1,2]"), Err(ReceivedError::NotJsonObject { .. })));
        assert!(matches!(ReceivedFields::from_json("{\"a\":1} trailing"), Err(ReceivedError::NotJsonObject { .. })));
        assert!(matches!(ReceivedFields::from_json(""), Err(ReceivedError::NotJsonObject { .. })));
    }

    #[test]
    fn nested_values_become_compact_json_in_received_order() {
        let f = ReceivedFields::from_json(r#"{"o": {"z": 1, "a": [ "x", 2.50 ]}}"#).unwrap();
        assert_eq!(f.text("o"), Some(r#"{"z":1,"a":["x",2.50]}"#));
    }

    #[test]
    fn null_and_empty_count_as_absent() {
        let f = ReceivedFields::from_json(r#"{"a": null, "b": ""}"#).unwrap();
        assert_eq!(f.text("a"), None);
        assert_eq!(f.text("b"), None);
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn refuses_field_names_that_make_the_signed_text_ambiguous() {
        for name in ["a&b", "a=b", "&", "=", ""] {
            let refused = ReceivedError::AmbiguousFieldName { field: name.into() };
            let json = format!("{{\"ok\":\"1\",{}:\"2\"}}", serde_json::to_string(name).unwrap());
            assert_eq!(ReceivedFields::from_json(&json).unwrap_err(), refused, "JSON {json}");
            let form =
                form_urlencoded::Serializer::new(String::new()).append_pair("ok", "1").append_pair(name, "2").finish();
            assert_eq!(ReceivedFields::from_form(&form).unwrap_err(), refused, "form {form}");
            assert_eq!(ReceivedFields::from_pairs([("ok", "1"), (name, "2")]).unwrap_err(), refused, "pairs");
        }
    }

    #[test]
    fn values_may_contain_ampersands_and_equals_signs() {
        let f = ReceivedFields::from_json(r#"{"subject":"a&b=c"}"#).unwrap();
        assert_eq!(f.text("subject"), Some("a&b=c"));
    }

    #[test]
    fn form_values_are_decoded() {
        let f = ReceivedFields::from_form("subject=%E6%B8%AC%E8%A9%A6&a=b%26c%3Dd&sp=a+b").unwrap();
        assert_eq!(f.text("subject"), Some("測試"));
        assert_eq!(f.text("a"), Some("b&c=d"));
        assert_eq!(f.text("sp"), Some("a b"));
    }
}
