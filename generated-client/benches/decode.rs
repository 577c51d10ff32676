//! Decoding a ~10 MB dashboard participants-QoS page
//! (`GET /accounts/{accountId}/metrics/meetings/{meetingId}/participants/qos`)
//! into the generated `DashboardMeetingParticipantsQosResponse`, against
//! `serde_json::from_slice::<serde_json::Value>` on the same bytes. Target:
//! typed throughput ≥ 1.0× the `Value` throughput.
//!
//! `cargo bench -p zoom-accounts --bench decode` (about a minute). Criterion
//! prints each throughput in MB/s; a short interleaved run at the end prints
//! both medians and their ratio, which is robust against a machine whose load
//! changes between the two criterion groups (see `interleaved_summary`). The generated client decodes a
//! 200 body exactly like this (`progenitor_client::ResponseValue::from_response`
//! reads the body to bytes, then `serde_json::from_slice`).
//!
//! Note: the workspace enables serde_json's `preserve_order`, so `Value`
//! objects are `IndexMap`s here, as they are for every user of this crate.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use serde_json::Value;
use zoom_accounts::types::DashboardMeetingParticipantsQosResponse as QosPage;

const PAGE_BYTES: usize = 10_000_000;

fn decode_benches(c: &mut Criterion, page: &[u8]) {
    let mut group = c.benchmark_group("decode_participants_qos_10MB");
    group
        .throughput(Throughput::BytesDecimal(page.len() as u64))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(12));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<QosPage>(black_box(page)).expect("typed decode"))
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(page)).expect("Value decode"))
    });
    group.finish();
}

/// The ratio again, measured so that a change of machine load between the
/// two criterion groups cannot fake it: alternating blocks of typed and
/// `Value` decodes (see `support::alternating_blocks`), wall time and the
/// decoding thread's CPU time. Also reported: strict alternation (typed,
/// Value, typed, ...), where each decode starts on the heap the other one
/// just freed; glibc's allocator makes that slower for the typed decode and
/// faster for `Value`, so it is the least favourable view of the ratio.
fn interleaved_summary(page: &[u8]) {
    let mb = page.len() as f64 / 1e6;
    let mut typed = || {
        black_box(serde_json::from_slice::<QosPage>(black_box(page)).expect("typed decode"));
    };
    let mut value = || {
        black_box(serde_json::from_slice::<Value>(black_box(page)).expect("Value decode"));
    };
    let load = support::load_average();
    let blocked =
        support::alternating_blocks(&mut [("typed", &mut typed), ("value", &mut value)], 6, 5);
    let strict =
        support::alternating_blocks(&mut [("typed", &mut typed), ("value", &mut value)], 9, 1);
    let rate = |secs: f64| mb / secs;
    for (what, results) in [
        ("alternating blocks of 5 (6 each)", &blocked),
        ("strict alternation (9 each)", &strict),
    ] {
        let (t, v) = (results[0], results[1]);
        print!(
            "decode summary, {what}: wall typed {:.1} MB/s, Value {:.1} MB/s, typed/Value {:.2}x",
            rate(t.0),
            rate(v.0),
            v.0 / t.0
        );
        if let (Some(tc), Some(vc)) = (t.1, v.1) {
            print!(
                "; thread CPU typed {:.1} MB/s, Value {:.1} MB/s, typed/Value {:.2}x",
                rate(tc),
                rate(vc),
                vc / tc
            );
        }
        println!();
    }
    println!(
        "decode summary: {mb:.2} MB page, target typed/Value >= 1.0x; 1-min load average {load} before, {} after",
        support::load_average()
    );
}

fn main() {
    let (page, participants) = support::qos_page(PAGE_BYTES);
    // The page must decode, and nothing in it may be lost by the typed
    // struct (a struct that skipped fields would decode faster by cheating).
    let typed: QosPage = serde_json::from_slice(&page).expect("the synthesized page decodes");
    assert_eq!(typed.participants.len(), participants);
    let original: Value = serde_json::from_slice(&page).expect("valid JSON");
    let round_trip = serde_json::to_value(&typed).expect("typed page serializes");
    assert!(
        same_json(&original, &round_trip),
        "the typed response does not round-trip the page; the comparison would be unfair"
    );
    let samples: usize = typed.participants.iter().map(|p| p.user_qos.len()).sum();
    println!(
        "decode bench: {:.2} MB page, {participants} participants, {samples} QoS samples; \
         typed round trip: lossless",
        page.len() as f64 / 1e6
    );
    drop((typed, original, round_trip));

    let mut criterion = Criterion::default().configure_from_args();
    decode_benches(&mut criterion, &page);
    criterion.final_summary();
    // Only under `cargo bench` (criterion's --bench mode), not `cargo test --benches`.
    if std::env::args().any(|a| a == "--bench") {
        interleaved_summary(&page);
    }
}

/// JSON equality that treats numbers by value (`3.52` vs `3.52`, `10` vs
/// `10.0` after an `f64` field) and ignores object key order.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
