#![allow(missing_docs)] // a measurement program, not library code
//! `page::check` grows with the page, not with its square: the seed page with N rows added to
//! its request, service and lang tables, checked at N = 1 000, 4 000 and 16 000; the time over
//! the seed's own (the spec's loading, the same in every run) divided by N should stay flat.
//! Measured in one run, so the ratio holds on a noisy machine when the absolute numbers do not.
//!
//! `cargo bench -p eftpay-codegen --bench page_check`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use eftpay_codegen::page::{self, MAX_PAGE_BYTES};
use eftpay_codegen::source;

fn median(mut f: impl FnMut(), rounds: usize) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The seed with `n` rows added: a third to each of the request, service and lang tables.
fn grown(seed: &str, n: usize) -> String {
    let mut out = String::with_capacity(seed.len() + n * 48);
    for line in seed.lines() {
        out.push_str(line);
        out.push('\n');
        let (prefix, suffix) = match line {
            l if l.starts_with("out_trade_no | String(28)") => ("extra_field_", " | String(8) | added |"),
            l if l.starts_with("service.alipay.web.PreOrder | Alipay") => {
                ("service.extra.", ".PreOrder | Alipay | ALIPAYCN |")
            }
            l if l.starts_with("service.alipay.web.PreOrder | cn") => ("service.lang.", ".PreOrder | cn ,en |"),
            _ => continue,
        };
        for i in 0..n / 3 {
            out.push_str(&format!("{prefix}{i}{suffix}\n"));
        }
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("../../spec");
    let files = source::read_dir(&spec, &root.join("../..")).unwrap_or_default();
    let seed = std::fs::read_to_string(root.join("tests/pages/web_place_order.txt")).unwrap_or_default();
    let base = median(|| drop(black_box(page::check_files(&files, black_box(&seed)))), 9);
    println!("seed page ({} bytes): {base:?} (mostly loading the spec)", seed.len());
    let mut first: Option<f64> = None;
    for n in [1_000, 4_000, 16_000] {
        let text = grown(&seed, n);
        assert!(text.len() <= MAX_PAGE_BYTES, "the page must stay under the limit");
        let report = page::check_files(&files, &text);
        assert!(report.differences.len() >= n / 3, "the added rows are reported");
        let time = median(|| drop(black_box(page::check_files(&files, black_box(&text)))), 5);
        let per_row = time.saturating_sub(base).as_secs_f64() * 1e9 / n as f64;
        let ratio = per_row / *first.get_or_insert(per_row);
        println!(
            "{n:>6} rows added ({:>7} bytes): {time:>12?}, {per_row:>8.0} ns per row, {ratio:.2}× the per-row cost at 1 000",
            text.len()
        );
    }
}
