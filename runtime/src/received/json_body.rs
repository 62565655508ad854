//! A JSON body's top level read in one pass: the object's names and values handed to the
//! [`Collector`] as they are met, strings without escapes copied straight out of the body, and
//! numbers kept as the text they were written in (which is what gets signed,
//! `docs/protocol.md` §2).
//!
//! eftPay's replies and notifications are JSON objects (`docs/protocol.md` §1), in practice flat
//! ones of strings, so this is the path every message takes; what
//! is rarer is handed to serde_json, which has the last word on it: a string with escapes is
//! decoded by it, and a nested object or array is measured and compacted by it. The grammar
//! accepted is JSON's (RFC 8259) exactly — the same bodies serde_json accepts, refused with a
//! reason and the line and column of the first byte that is wrong, which
//! `runtime/tests/received_json.rs` checks against serde_json on random and broken bodies.
//!
//! Each byte is looked at a bounded number of times (a string with escapes twice, a nested
//! value once per level of its nesting, which `MAX_NESTING` bounds), so reading is linear in the
//! body, which the caller has already held to its limit.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Collector, ReceivedError, ReceivedValue, received_value};
use crate::json_text::first_escape;

/// Why reading stopped.
pub(super) enum Stop {
    /// The collector refused a field (too many, an ambiguous name): the message is refused as
    /// that, whatever follows.
    Refused(ReceivedError),
    /// Not a JSON object: what was wrong, and where.
    Syntax(String),
}

/// Reads `body`, a JSON object, into `collector`.
pub(super) fn read_object(body: &str, collector: &mut Collector) -> Result<(), Stop> {
    let mut scanner = Scanner { body, at: 0 };
    scanner.skip_space();
    scanner.expect(b'{', "expected `{`, the start of an object")?;
    scanner.skip_space();
    if scanner.peek() == Some(b'}') {
        scanner.at += 1;
    } else {
        loop {
            if scanner.peek() != Some(b'"') {
                return Err(scanner.syntax("expected a field name in quotes"));
            }
            let name = scanner.string()?;
            collector.admit(&name).map_err(Stop::Refused)?;
            scanner.skip_space();
            scanner.expect(b':', "expected `:` after the field name")?;
            scanner.skip_space();
            scanner.value_into(&name, collector)?;
            scanner.skip_space();
            match scanner.peek() {
                Some(b',') => {
                    scanner.at += 1;
                    scanner.skip_space();
                }
                Some(b'}') => {
                    scanner.at += 1;
                    break;
                }
                _ => return Err(scanner.syntax("expected `,` or `}` after a value")),
            }
        }
    }
    scanner.skip_space();
    if scanner.at < body.len() {
        return Err(scanner.syntax("trailing characters after the object"));
    }
    Ok(())
}

/// A place in the body being read.
struct Scanner<'b> {
    body: &'b str,
    /// The byte offset of the next byte to read: always at a character boundary, since every
    /// step moves over whole ASCII bytes or a whole string.
    at: usize,
}

impl<'b> Scanner<'b> {
    fn bytes(&self) -> &'b [u8] {
        self.body.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// What is left from the next byte on.
    fn rest(&self) -> &'b str {
        self.body.get(self.at..).unwrap_or_default()
    }

    /// Moves past JSON's white space: space, tab, line feed, carriage return.
    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Stop> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    /// `what` went wrong at the next byte: with its line and column (in characters, from 1), as
    /// serde_json reports its own.
    fn syntax(&self, what: &str) -> Stop {
        let before = self.body.get(..self.at).unwrap_or_default();
        let line = before.bytes().filter(|&byte| byte == b'\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        let what = if self.at >= self.body.len() { "the body ends before the object does" } else { what };
        Stop::Syntax(format!("{what} at line {line} column {column}"))
    }

    /// The string starting at the next byte (a `"`): borrowed from the body when it has no
    /// escapes, decoded by serde_json when it has.
    fn string(&mut self) -> Result<Cow<'b, str>, Stop> {
        let start = self.at;
        let inner = start + 1;
        let tail = self.bytes().get(inner..).unwrap_or_default();
        let Some(stop) = first_escape(tail).map(|offset| inner + offset) else {
            self.at = self.body.len();
            return Err(self.syntax("a string is not closed"));
        };
        match self.bytes().get(stop) {
            Some(b'"') => {
                self.at = stop + 1;
                Ok(Cow::Borrowed(self.body.get(inner..stop).unwrap_or_default()))
            }
            Some(b'\\') => self.escaped_string(start, stop),
            _ => {
                self.at = stop;
                Err(self.syntax("a control character in a string (it must be escaped)"))
            }
        }
    }

    /// A string from `start` with its first escape at `escape`: its end found by stepping over
    /// each escape, then the whole literal decoded by serde_json, which checks every escape.
    fn escaped_string(&mut self, start: usize, escape: usize) -> Result<Cow<'b, str>, Stop> {
        let mut at = escape;
        loop {
            match self.bytes().get(at) {
                // The escaped byte is whatever follows; serde_json judges it below.
                Some(b'\\') => at += 2,
                Some(b'"') => break,
                Some(_) => {
                    let tail = self.bytes().get(at..).unwrap_or_default();
                    let Some(offset) = first_escape(tail) else { break };
                    at += offset.max(1);
                }
                None => break,
            }
        }
        let Some(literal) = self.body.get(start..=at) else {
            self.at = self.body.len();
            return Err(self.syntax("a string is not closed"));
        };
        match serde_json::from_str::<String>(literal) {
            Ok(text) => {
                self.at = at + 1;
                Ok(Cow::Owned(text))
            }
            Err(error) => {
                self.at = start;
                Err(self.syntax(&format!("a string that is not JSON ({error})")))
            }
        }
    }

    /// The value starting at the next byte, handed to `collector` as `name`'s. A string — nearly
    /// every value — is built in place rather than returned in a `Result` and moved: the move
    /// of that `Result` was a fifth of reading a body in the verify bench's profile
    /// (`runtime/benches/verify.rs`), and reading it this way 6–9 % less of verifying.
    fn value_into(&mut self, name: &str, collector: &mut Collector) -> Result<(), Stop> {
        let value = match self.peek() {
            Some(b'"') => ReceivedValue::Text(self.string()?.into_owned()),
            Some(b'n') => self.word("null", ReceivedValue::Null)?,
            Some(b't') => self.word("true", ReceivedValue::Bool(true))?,
            Some(b'f') => self.word("false", ReceivedValue::Bool(false))?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'{' | b'[') => self.nested()?,
            _ => return Err(self.syntax("expected a value")),
        };
        collector.push(name, value);
        Ok(())
    }

    fn word(&mut self, word: &str, value: ReceivedValue) -> Result<ReceivedValue, Stop> {
        if self.rest().starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    /// A number, as written: `-`? (`0` | a digit 1–9 and digits) (`.` digits)? (`e`|`E` `+`|`-`? digits)?
    fn number(&mut self) -> Result<ReceivedValue, Stop> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.syntax("expected a digit in a number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits()?;
        }
        Ok(ReceivedValue::Number(self.body.get(start..self.at).unwrap_or_default().to_owned()))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), Stop> {
        if !self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            return Err(self.syntax("expected a digit in a number"));
        }
        self.digits();
        Ok(())
    }

    /// An object or array: its extent found by serde_json (which checks it), then compacted as
    /// it is signed.
    fn nested(&mut self) -> Result<ReceivedValue, Stop> {
        let mut deserializer = serde_json::Deserializer::from_str(self.rest());
        let raw = match <&RawValue>::deserialize(&mut deserializer) {
            Ok(raw) => raw.get(),
            Err(error) => return Err(self.syntax(&format!("a nested value that is not JSON ({error})"))),
        };
        let value = received_value(raw).map_err(|error| self.syntax(&format!("a nested value ({error})")))?;
        self.at += raw.len();
        Ok(value)
    }
}
