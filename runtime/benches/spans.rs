//! What the runtime's tracing costs a call when no subscriber is installed:
//! the two spans `Runtime::execute` opens (`zoom_api.call`, and one
//! `zoom_api.attempt` per attempt), with the same macros, levels and fields,
//! recorded and entered as execute does, against the same loop without
//! them. A plain timing loop, no harness:
//!
//! ```sh
//! cargo bench -p zoom-api-runtime --bench spans
//! ```
//!
//! It prints nanoseconds per call: medians of 15 alternating runs of
//! 1,000,000 calls each way, and the median of the per-pair differences.
//! Compare with a call's own cost: about 100 µs for one page over loopback
//! in the paging bench.

use std::hint::black_box;
use std::time::Instant;

use tracing::Instrument;

const CALLS: u32 = 1_000_000;
const RUNS: usize = 15;

/// The spans of one call with one attempt, as `execute` makes them.
fn traced_call(operation: &'static str, attempt: u32) -> u64 {
    let call = tracing::info_span!(
        "zoom_api.call",
        operation = operation,
        method = "GET",
        path = "/accounts/{accountId}/metrics/meetings",
        rate_limit = "HEAVY",
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        error = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    let started = Instant::now();
    let result = run_now(
        async {
            let span = tracing::debug_span!(
                "zoom_api.attempt",
                attempt = attempt,
                throttle_wait_ms = tracing::field::Empty,
                status = tracing::field::Empty,
                wait_ms = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let answer = run_now(async { black_box(200u16) }.instrument(span.clone()));
            span.record("status", answer);
            span.record("duration_ms", 1u64);
            answer
        }
        .instrument(call.clone()),
    );
    call.record("attempts", attempt);
    call.record("status", result);
    call.record("duration_ms", started.elapsed().as_millis() as u64);
    u64::from(result)
}

/// The same work without spans.
fn plain_call(_operation: &'static str, attempt: u32) -> u64 {
    let started = Instant::now();
    let result = run_now(async { run_now(async { black_box(200u16) }) });
    black_box((attempt, started.elapsed()));
    u64::from(result)
}

/// Polls a future that is ready at once.
fn run_now<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

/// Nanoseconds per call of one run of `CALLS` calls.
fn ns_per_call(call: fn(&'static str, u32) -> u64) -> f64 {
    let started = Instant::now();
    let mut sum = 0u64;
    for i in 0..CALLS {
        sum = sum.wrapping_add(call(black_box("dashboardMeetings"), black_box(i & 3)));
    }
    black_box(sum);
    started.elapsed().as_nanos() as f64 / f64::from(CALLS)
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` builds benches without it
    // and only checks that this runs.
    if !std::env::args().any(|a| a == "--bench") {
        black_box(traced_call("smoke", 1));
        return;
    }
    // Alternating runs, so that a change of machine load hits both alike.
    let (mut plain, mut traced, mut extra) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let p = ns_per_call(plain_call);
        let t = ns_per_call(traced_call);
        plain.push(p);
        traced.push(t);
        extra.push(t - p);
    }
    println!(
        "spans, no subscriber: {:.1} ns per call with the call and attempt spans, {:.1} ns \
         without; tracing adds {:.1} ns per call (medians of {RUNS} alternating runs of {CALLS} \
         calls; per-pair differences {:.1} to {:.1} ns)",
        median(traced.clone()),
        median(plain.clone()),
        median(extra.clone()),
        extra.iter().copied().fold(f64::INFINITY, f64::min),
        extra.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
}
