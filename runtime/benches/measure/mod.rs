//! Timing a path against its floor in one run: interleaved rounds (the two alternate which goes
//! first, so a machine that slows down or speeds up mid-run weighs on both alike), each round a
//! batch of calls timed by the CPU time of the measuring thread (so time the thread spends
//! descheduled on a shared machine is not counted), the median round per call reported.
// Each bench uses the part it needs.
#![allow(dead_code)]

use std::time::Duration;

/// CPU time this thread has used so far.
#[cfg(unix)]
pub fn thread_cpu_time() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(u64::try_from(now.tv_sec).unwrap_or(0), u32::try_from(now.tv_nsec).unwrap_or(0))
}

/// Elsewhere, wall-clock time since the first call: noisier on a busy machine.
#[cfg(not(unix))]
pub fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The medians of one comparison, per call.
#[derive(Clone, Copy, Debug)]
pub struct Comparison {
    pub ours: Duration,
    pub floor: Duration,
}

impl Comparison {
    /// The medians of rounds timed elsewhere (each a time per call).
    pub fn of_rounds(ours: Vec<Duration>, floor: Vec<Duration>) -> Comparison {
        Comparison { ours: median(ours), floor: median(floor) }
    }

    pub fn ratio(&self) -> f64 {
        self.ours.as_secs_f64() / self.floor.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

/// How long one timed batch should take: long against the clock's resolution, short against
/// the machine's changes of pace.
const BATCH_TARGET: Duration = Duration::from_millis(20);

/// Calls `f` `n` times; the thread's CPU time it took.
pub fn timed(n: u32, f: &mut impl FnMut()) -> Duration {
    let start = thread_cpu_time();
    for _ in 0..n {
        f();
    }
    thread_cpu_time().saturating_sub(start)
}

/// Times `ours` and `floor` over `rounds` interleaved rounds, each a batch of as many calls as
/// take the floor about [`BATCH_TARGET`].
pub fn compare(rounds: usize, mut ours: impl FnMut(), mut floor: impl FnMut()) -> Comparison {
    // Warm caches and allocators, then size the batch from the floor.
    timed(1_000, &mut ours);
    let per_call = timed(1_000, &mut floor) / 1_000;
    let batch = u32::try_from(BATCH_TARGET.as_nanos() / per_call.as_nanos().max(1)).unwrap_or(u32::MAX).max(10);
    compare_batches(rounds, |which| {
        if which == Side::Ours { timed(batch, &mut ours) / batch } else { timed(batch, &mut floor) / batch }
    })
}

/// Which side a round times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Ours,
    Floor,
}

/// Runs `rounds` rounds of `round(Ours)` and `round(Floor)`, alternating which goes first; each
/// returns the time per call it measured. The medians.
pub fn compare_batches(rounds: usize, mut round: impl FnMut(Side) -> Duration) -> Comparison {
    let mut ours = Vec::with_capacity(rounds);
    let mut floor = Vec::with_capacity(rounds);
    for index in 0..rounds {
        if index % 2 == 0 {
            ours.push(round(Side::Ours));
            floor.push(round(Side::Floor));
        } else {
            floor.push(round(Side::Floor));
            ours.push(round(Side::Ours));
        }
    }
    Comparison::of_rounds(ours, floor)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Prints one comparison as a line of the table in BENCHMARKS.md.
pub fn report(path: &str, floor: &str, comparison: Comparison, goal: f64) {
    let ratio = comparison.ratio();
    let verdict = if ratio <= goal { "met" } else { "NOT met" };
    println!(
        "| {path} | {} | {floor}: {} | {ratio:.2}× | ≤ {goal:.2}× ({verdict}) |",
        nanos(comparison.ours),
        nanos(comparison.floor),
    );
}

fn nanos(time: Duration) -> String {
    let nanos = time.as_nanos();
    if nanos >= 10_000 { format!("{:.1} µs", time.as_secs_f64() * 1e6) } else { format!("{nanos} ns") }
}

/// The table's head.
pub fn header() {
    println!("| path | ours (median CPU per call) | floor | ratio | goal |");
    println!("|---|---|---|---|---|");
}

/// The place-order request the signing and client benches send: a typical web order, 12 signed
/// fields.
pub fn place_order() -> eftpay::PlaceOrderRequest {
    eftpay::services::AlipayWebPreOrder::place_order(
        eftpay::wallets::AlipayHk,
        eftpay::Amount::from_cents(53),
        eftpay::OutTradeNo::new("rrn_1686280005998"),
        "test",
        "https://merchant.example/return",
    )
    .notify_url("https://merchant.example/notify")
    .body("a longer description of the goods in this order")
    .build()
}
