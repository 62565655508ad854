#![allow(missing_docs, clippy::unwrap_used)] // a measurement program, not library code
//! The slowest single insert into a hash index of a million orders: the standard library's
//! `HashMap` against `griddle`'s, which the sandbox's books use (`sandbox/src/books.rs`, keyed
//! with the same `RandomState`). The first moves every entry into a table twice the size within
//! the one insert that fills it; the second moves a few at each insert that follows. Keys shaped
//! like eftPay order numbers, values boxed as the books' orders are. Wall time of each insert,
//! the worst of each of three rounds.
//!
//! `cargo bench -p eftpay-sandbox --bench index_growth`

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::time::{Duration, Instant};

/// Orders inserted per round: past the doubling at 917,504 entries.
const ORDERS: usize = 1_000_000;

/// The slowest insert of `keys` into `insert`'s map, and which one it was.
fn worst_insert(keys: &[String], mut insert: impl FnMut(String)) -> (Duration, usize) {
    let mut worst = (Duration::ZERO, 0);
    for (index, key) in keys.iter().enumerate() {
        let key = key.clone();
        let start = Instant::now();
        insert(key);
        let took = start.elapsed();
        if took > worst.0 {
            worst = (took, index);
        }
    }
    worst
}

fn main() {
    let keys: Vec<String> = (0..ORDERS).map(|i| format!("SBX20261207120000{i:06}")).collect();
    println!("the slowest of {ORDERS} inserts into one index (wall time):");
    for round in 1..=3 {
        let mut plain: HashMap<String, Box<[u64; 20]>> = HashMap::new();
        let (plain_worst, plain_at) = worst_insert(&keys, |key| drop(plain.insert(key, Box::new([0; 20]))));
        let mut growing: griddle::HashMap<String, Box<[u64; 20]>, RandomState> =
            griddle::HashMap::with_hasher(RandomState::new());
        let (growing_worst, growing_at) = worst_insert(&keys, |key| drop(growing.insert(key, Box::new([0; 20]))));
        println!(
            "round {round}: std HashMap {plain_worst:?} (insert {plain_at}), griddle {growing_worst:?} (insert {growing_at})"
        );
    }
}
