#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
//! `ReceivedFields::from_json` reads a body's top level with its own scanner
//! (`runtime/src/received/json_body.rs`); serde_json is the judge of what JSON is. On valid
//! bodies and on bodies broken at random — bytes deleted, JSON's own characters and words
//! inserted, escapes cut short, control and non-ASCII characters put anywhere — the scanner
//! accepts exactly what serde_json accepts as an object, and reads the same names and values.

use std::fmt;

use eftpay::{ReceivedError, ReceivedFields, ReceivedValue};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// A body's top-level entries as serde_json reads them, in order, duplicates kept.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Entry)
    }
}

/// What serde_json says a raw value is, as the fields keep it.
fn same_value(raw: &RawValue, kept: &ReceivedValue) -> bool {
    let raw = raw.get().trim_ascii();
    match kept {
        ReceivedValue::Text(text) => serde_json::from_str::<String>(raw).is_ok_and(|decoded| &decoded == text),
        ReceivedValue::Number(text) => raw == text,
        ReceivedValue::Bool(flag) => raw == if *flag { "true" } else { "false" },
        ReceivedValue::Null => raw == "null",
        ReceivedValue::Nested(text) => {
            match (serde_json::from_str::<Value>(raw), serde_json::from_str::<Value>(text)) {
                (Ok(raw), Ok(text)) => raw == text,
                // A number past f64's range: compare the texts without white space outside strings.
                _ => raw.chars().filter(|c| !c.is_ascii_whitespace()).eq(text.chars()),
            }
        }
    }
}

/// Whether every string in a value decodes (numbers are kept as written, whatever their size).
fn decodes(raw: &RawValue) -> bool {
    let raw = raw.get().trim_ascii();
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(raw).is_ok(),
        Some(b'{') => serde_json::from_str::<Entries>(raw)
            .is_ok_and(|Entries(entries)| entries.iter().all(|(_, raw)| decodes(raw))),
        Some(b'[') => {
            serde_json::from_str::<Vec<Box<RawValue>>>(raw).is_ok_and(|items| items.iter().all(|raw| decodes(raw)))
        }
        _ => true,
    }
}

/// Checks one body against serde_json.
fn agrees(body: &str) {
    let ours = ReceivedFields::from_json(body);
    let Ok(Entries(entries)) = serde_json::from_str::<Entries>(body) else {
        // Not a JSON object: refused, as not JSON or for a name already refused before the
        // place where the body goes wrong.
        assert!(
            matches!(ours, Err(ReceivedError::NotJsonObject { .. } | ReceivedError::AmbiguousFieldName { .. })),
            "serde_json refuses {body:?}, the scanner gave {ours:?}"
        );
        return;
    };
    // serde_json passes over a value it is not asked to decode; the fields keep every value
    // decoded, so one that does not decode (a lone surrogate escape) is not JSON text either.
    if !entries.iter().all(|(_, raw)| decodes(raw)) {
        assert!(
            matches!(ours, Err(ReceivedError::NotJsonObject { .. } | ReceivedError::AmbiguousFieldName { .. })),
            "{body:?}: {ours:?}"
        );
        return;
    }
    let ambiguous = entries.iter().any(|(name, _)| name.is_empty() || name.contains(['&', '=']));
    let mut names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    let duplicate = names.windows(2).any(|pair| pair[0] == pair[1]);
    match ours {
        Err(ReceivedError::AmbiguousFieldName { .. }) if ambiguous => {}
        Err(ReceivedError::DuplicateField { .. }) if duplicate && !ambiguous => {}
        Ok(fields) if !ambiguous && !duplicate => {
            let read: Vec<(&str, &ReceivedValue)> = fields.iter().collect();
            assert_eq!(read.len(), entries.len(), "{body:?}");
            for ((name, raw), (read_name, value)) in entries.iter().zip(read) {
                assert_eq!(name, read_name, "{body:?}");
                assert!(same_value(raw, value), "{body:?}: {name} read as {value:?}, serde_json has {}", raw.get());
            }
        }
        other => panic!(
            "serde_json reads {body:?} (ambiguous {ambiguous}, duplicate {duplicate}); the scanner gave {other:?}"
        ),
    }
}

const SEEDS: &[&str] = &[
    r#"{"notify_type":"trade_status_sync","user_confirm_key":"TESTKEY00001","out_trade_no":"rrn_1","total_fee":"0.53","tid":"","time":"20230609110645","sign":"ab"}"#,
    "{}",
    " \t\r\n{ \"a\" : \"b\" ,\n\t\"c\":\"d\" }\n ",
    r#"{"n":-0,"m":1.5e-3,"o":0.50,"p":100,"q":2E+10,"r":true,"s":false,"t":null}"#,
    r#"{"esc\"aped":"line\nbreak \u00e9 \ud83d\ude00 \\ \/ \b\f\r\t","plain":"élan 价格 😀"}"#,
    r#"{"nested":{"b":[1,{"c":"d"},[],{}],"e":null},"list":[ "x" , 2.0 , true ],"after":"z"}"#,
    r#"{"a":"","b":"   ","c":"\u0000"}"#,
];

/// Pieces that make or break JSON, inserted at random.
const PIECES: &[&str] = &[
    "{", "}", "[", "]", "\"", ":", ",", "\\", " ", "\n", "\t", "0", "1", "9", "-", "+", ".", "e", "E", "n", "t", "f",
    "u", "\u{1}", "\u{1f}", "\u{7f}", "é", "😀", "null", "true", "false", "nul", "\\u", "\\u12", "\\ud800", "\\x",
    "01", "1.", ".5", "1e", "-", "\"\"", "\"k\":", "&", "=", "\"a\":1,",
];

/// A small deterministic generator (xorshift), so that a failure names a body to replay.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
}

/// `body` with one random change, at a character boundary.
fn mutate(body: &str, random: &mut Random) -> String {
    let bounds: Vec<usize> = body.char_indices().map(|(at, _)| at).chain([body.len()]).collect();
    let at = bounds[random.below(bounds.len())];
    let next = bounds.iter().copied().find(|&bound| bound > at).unwrap_or(body.len());
    let piece = PIECES[random.below(PIECES.len())];
    match random.below(3) {
        0 => format!("{}{}", &body[..at], &body[next..]),
        1 => format!("{}{piece}{}", &body[..at], &body[at..]),
        _ => format!("{}{piece}{}", &body[..at], &body[next..]),
    }
}

#[test]
fn valid_bodies_read_as_serde_json_reads_them() {
    for body in SEEDS {
        assert!(ReceivedFields::from_json(body).is_ok(), "{body}");
        agrees(body);
    }
}

#[test]
fn broken_bodies_are_refused_exactly_when_serde_json_refuses_them() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut refused = 0;
    for case in 0..200_000 {
        let mut body = SEEDS[case % SEEDS.len()].to_owned();
        for _ in 0..=random.below(3) {
            body = mutate(&body, &mut random);
        }
        agrees(&body);
        refused += usize::from(serde_json::from_str::<Entries>(&body).is_err());
    }
    // Most changes break the body; enough survive to check that those still read the same.
    assert!((100_000..190_000).contains(&refused), "{refused} of 200,000 refused");
}

#[test]
fn a_refusal_says_what_is_wrong_and_where() {
    let cases = [
        ("{\"a\":\"b\",}", "expected a field name in quotes at line 1 column 10"),
        ("{\"a\" \"b\"}", "expected `:` after the field name at line 1 column 6"),
        ("{\"a\":01}", "expected `,` or `}` after a value at line 1 column 7"),
        ("{\"a\":\"b\"}\n x", "trailing characters after the object at line 2 column 2"),
        ("{\"a\":\"b", "the body ends before the object does at line 1 column 8"),
        ("{\"a\":\"\u{1}\"}", "a control character in a string (it must be escaped) at line 1 column 7"),
        ("[1]", "expected `{`, the start of an object at line 1 column 1"),
        ("", "the body ends before the object does at line 1 column 1"),
    ];
    for (body, reason) in cases {
        let error = ReceivedFields::from_json(body).unwrap_err();
        assert_eq!(error, ReceivedError::NotJsonObject { reason: reason.to_owned() }, "{body:?}");
    }
}
