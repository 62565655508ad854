#![allow(missing_docs, clippy::unwrap_used)] // a measurement program, not library code
//! The slowest single insert into an index of a million orders: the standard library's
//! `HashMap` against its `BTreeMap`, which the sandbox's books use (`sandbox/src/books.rs`). The
//! first moves every entry into a table twice the size within the one insert that fills it;
//! the second never moves more than a node's entries. Keys shaped like eftPay order numbers,
//! values boxed as the books' orders are. Wall time of each insert, the worst of each of three
//! rounds, and each index's time for the whole million.
//!
//! `cargo bench -p eftpay-sandbox --bench index_growth`

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// Orders inserted per round: past the doubling at 917,504 entries.
const ORDERS: usize = 1_000_000;

/// The slowest insert of `keys` through `insert`, which one it was, and all of them together.
fn inserts(keys: &[String], mut insert: impl FnMut(String)) -> (Duration, usize, Duration) {
    let mut worst = (Duration::ZERO, 0);
    let all = Instant::now();
    for (index, key) in keys.iter().enumerate() {
        let key = key.clone();
        let start = Instant::now();
        insert(key);
        let took = start.elapsed();
        if took > worst.0 {
            worst = (took, index);
        }
    }
    (worst.0, worst.1, all.elapsed())
}

fn main() {
    let keys: Vec<String> = (0..ORDERS).map(|i| format!("SBX20261207120000{i:06}")).collect();
    println!("the slowest of {ORDERS} inserts into one index, and all of them (wall time):");
    // Every index is kept until the end: freeing a million entries makes the allocator tidy up
    // during the next allocations, which would land in the next index's timing.
    let mut kept: Vec<Box<dyn std::any::Any>> = Vec::new();
    for round in 1..=3 {
        let mut hashed: HashMap<String, Box<[u64; 20]>> = HashMap::new();
        let (hash_worst, hash_at, hash_all) = inserts(&keys, |key| drop(hashed.insert(key, Box::new([0; 20]))));
        kept.push(Box::new(hashed));
        let mut ordered: BTreeMap<String, Box<[u64; 20]>> = BTreeMap::new();
        let (tree_worst, tree_at, tree_all) = inserts(&keys, |key| drop(ordered.insert(key, Box::new([0; 20]))));
        kept.push(Box::new(ordered));
        println!(
            "round {round}: HashMap {hash_worst:?} (insert {hash_at}; all {hash_all:?}), BTreeMap {tree_worst:?} \
             (insert {tree_at}; all {tree_all:?})"
        );
    }
}
