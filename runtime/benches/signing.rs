#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)] // a measurement program, not library code
//! Signing a typed place-order request, and signing it and writing its JSON body, each against
//! its floor in the same run (`measure`): the hash of the text the rule signs, already built,
//! and — for the body — serde_json writing the same fields from a ready map.
//!
//! `cargo bench -p eftpay --bench signing`

mod measure;

use std::hint::black_box;

use eftpay::gateway::OutgoingFields;
use eftpay::{Credentials, Envelope};
use serde::ser::{Serialize, SerializeMap, Serializer};
use sha2::{Digest, Sha256};

/// Rounds per comparison.
const ROUNDS: usize = 41;

/// The floor of signing: SHA-256 over `secret ‖ signed text`, built beforehand, and its hex.
fn floor_sign(prebuilt: &[u8]) -> String {
    let digest = Sha256::digest(prebuilt);
    let mut hex = [0u8; 64];
    hex::encode_to_slice(digest, &mut hex).unwrap();
    String::from_utf8(hex.to_vec()).unwrap()
}

/// A ready map of the fields, and the signature after them: what serde_json writes as the body.
struct ReadyBody<'a> {
    fields: &'a [(&'a str, &'a str)],
    sign: &'a str,
}

impl Serialize for ReadyBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len() + 1))?;
        for (name, value) in self.fields {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry("sign", self.sign)?;
        map.end()
    }
}

/// A sink that only counts the bytes it is handed.
struct Discard(usize);

impl eftpay::FieldSink for Discard {
    fn text(&mut self, name: &'static str, value: &str) {
        self.0 += black_box(name.len() + value.len());
    }

    fn json(&mut self, name: &'static str, compact_json: &str) {
        self.0 += black_box(name.len() + compact_json.len());
    }
}

fn main() {
    let credentials = Credentials::new("TESTKEY00001", "test-secret-not-real");
    let order = measure::place_order();
    let envelope = Envelope { user_confirm_key: "TESTKEY00001", time: "20230609110645" };

    // The floors' inputs, built once, outside the timing.
    let fields = OutgoingFields::of(&order, &envelope);
    let mut prebuilt = b"test-secret-not-real".to_vec();
    prebuilt.extend_from_slice(fields.signed_text().as_bytes());
    let pairs: Vec<(&str, &str)> = fields.iter().map(|field| (field.name, field.value)).collect();
    assert_eq!(floor_sign(&prebuilt), fields.sign(&credentials.secret), "the floor signs the same text");
    let floor_body = serde_json::to_string(&ReadyBody { fields: &pairs, sign: &floor_sign(&prebuilt) }).unwrap();
    assert_eq!(floor_body, fields.signed_json(&credentials.secret), "the floor writes the same body");

    assert_eq!(
        floor_sign(&prebuilt),
        eftpay::signing::sign(&order, &envelope, &credentials.secret),
        "the floor signs the same text"
    );

    // For a profiler: only one side, 2,000,000 calls (EFTPAY_BENCH_PROFILE=ours|floor).
    match std::env::var("EFTPAY_BENCH_PROFILE").as_deref() {
        Ok("ours") => {
            let time = measure::timed(2_000_000, &mut || {
                drop(black_box(eftpay::signing::sign(black_box(&order), &envelope, &credentials.secret)));
            });
            return println!("ours: {:?} CPU per call", time / 2_000_000);
        }
        Ok("floor") => {
            let time = measure::timed(2_000_000, &mut || drop(black_box(floor_sign(black_box(&prebuilt)))));
            return println!("floor: {:?} CPU per call", time / 2_000_000);
        }
        _ => {}
    }

    measure::header();
    let sign = measure::compare(
        ROUNDS,
        || drop(black_box(eftpay::signing::sign(black_box(&order), &envelope, &credentials.secret))),
        || drop(black_box(floor_sign(black_box(&prebuilt)))),
    );
    measure::report("sign a typed place-order request", "SHA-256 + hex of the prebuilt `secret ‖ k=v&…`", sign, 1.10);
    // The same signature through the collected fields (what the client signs, since it also
    // sends them): for comparison, no goal of its own.
    let collected = measure::compare(
        ROUNDS,
        || drop(black_box(OutgoingFields::of(black_box(&order), &envelope).sign(&credentials.secret))),
        || drop(black_box(floor_sign(black_box(&prebuilt)))),
    );
    measure::report(
        "  the same, collected first (`OutgoingFields::of(..).sign(..)`)",
        "the same floor",
        collected,
        1.10,
    );
    // Where signing's gap lies: the generated walk alone, into a sink that keeps nothing.
    let walk = measure::compare(
        ROUNDS,
        || eftpay::OutgoingMessage::write_fields(black_box(&order), &envelope, &mut Discard(0)),
        || drop(black_box(floor_sign(black_box(&prebuilt)))),
    );
    println!(
        "| ablation: the generated walk alone (`write_fields` into a sink keeping nothing) | {} ns | the floor: {} ns | | |",
        walk.ours.as_nanos(),
        walk.floor.as_nanos()
    );
    let body = measure::compare(
        ROUNDS,
        || drop(black_box(OutgoingFields::of(black_box(&order), &envelope).signed_json(&credentials.secret))),
        || {
            let sign = floor_sign(black_box(&prebuilt));
            drop(black_box(serde_json::to_string(&ReadyBody { fields: black_box(&pairs), sign: &sign })));
        },
    );
    measure::report("sign + write the JSON body", "that hash + `serde_json::to_string` of a ready map", body, 1.25);
}
