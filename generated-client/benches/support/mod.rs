//! Bench data shared by `decode.rs` and `paging.rs`: realistic response
//! pages made from the spec's own response examples, so the benches decode
//! what Zoom documents rather than a shape invented here.
//!
//! Each page repeats the example's single record with the fields that differ
//! from record to record in real data varied (ids, names, e-mails, addresses,
//! times, the numbers inside the QoS samples), so no two records are equal and
//! string lengths vary as they would.

#![allow(dead_code)] // each bench uses part of this module

use serde_json::{Value, json};

/// The spec, relative to this crate's manifest directory.
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/zoom-accounts.yaml");

/// The `example` of the `200` JSON response of `GET <path>`, as JSON.
pub fn response_example(path: &str) -> Value {
    let text = std::fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let spec: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{SPEC} is not YAML: {e}"));
    let example =
        &spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["example"];
    assert!(
        !example.is_null(),
        "{SPEC}: GET {path} has no 200 application/json example"
    );
    // Only the example is converted: its keys are all strings.
    serde_json::to_value(example).unwrap_or_else(|e| panic!("GET {path} example: {e}"))
}

/// An RFC 3339 UTC time `seconds` after 2026-10-01T08:00:00Z.
fn time_after(seconds: u64) -> String {
    let day = seconds / 86_400;
    let rest = seconds % 86_400;
    let (h, m, s) = (8 + rest / 3600, rest % 3600 / 60, rest % 60);
    let (day, h) = (day + h / 24, h % 24);
    format!("2026-10-{:02}T{h:02}:{m:02}:{s:02}Z", 1 + day % 28)
}

/// A small deterministic pseudo-random sequence (no `rand` dependency), so
/// every run decodes the same bytes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

const NAMES: [&str; 8] = [
    "jchill",
    "Avery Quinn",
    "Lee Park",
    "María José García",
    "Noah Schmidt",
    "Priya Raman",
    "Tomasz Kowalski",
    "Yuki Tanaka",
];
const DEVICES: [&str; 6] = ["Phone", "H.323/SIP", "Windows", "Mac", "iOS", "Android"];
const CONNECTIONS: [&str; 4] = ["UDP", "TCP", "P2P", "SSL"];
const HEALTH: [&str; 3] = ["Good", "Warning", "Critical"];

/// Varies the metric strings of one QoS object (`"27.15 kbps"`, `"126 ms"`,
/// `"0.03%"`), keeping their units, and leaves anything else as it is.
fn vary_metrics(value: &mut Value, rng: &mut Lcg) {
    let Value::Object(fields) = value else { return };
    for (name, field) in fields.iter_mut() {
        match field {
            Value::Object(_) => vary_metrics(field, rng),
            Value::String(text) => {
                *text = match name.as_str() {
                    "bitrate" => format!("{}.{:02} kbps", 10 + rng.next(2000), rng.next(100)),
                    "latency" => format!("{} ms", 20 + rng.next(300)),
                    "jitter" => format!("{} ms", rng.next(40)),
                    "avg_loss" | "max_loss" => format!("{}.{:02}%", rng.next(3), rng.next(100)),
                    "frame_rate" => format!("{} fps", 5 + rng.next(26)),
                    "zoom_avg_cpu_usage"
                    | "zoom_max_cpu_usage"
                    | "zoom_min_cpu_usage"
                    | "system_max_cpu_usage" => format!("{}%", rng.next(100)),
                    _ => continue,
                }
            }
            Value::Number(_) if name.ends_with("_rssi") => {
                *field = json!(-(30 + rng.next(60) as i64));
            }
            _ => {}
        }
    }
}

/// A participants-QoS page (`GET /accounts/{accountId}/metrics/meetings/
/// {meetingId}/participants/qos`) of at least `min_bytes` of compact JSON:
/// the example's participant repeated with its fields varied, each with
/// 20 to 40 one-minute QoS samples (a 20 to 40 minute stay). Returns the
/// bytes and the number of participants.
pub fn qos_page(min_bytes: usize) -> (Vec<u8>, usize) {
    let example =
        response_example("/accounts/{accountId}/metrics/meetings/{meetingId}/participants/qos");
    let template = example["participants"][0].clone();
    let sample = template["user_qos"][0].clone();
    assert!(sample.is_object(), "the QoS example has no user_qos sample");
    let mut rng = Lcg(0x5eed);
    let mut participants = Vec::new();
    let mut size = 0;
    while size < min_bytes {
        let i = participants.len() as u64;
        let mut p = template.clone();
        let name = NAMES[(i % NAMES.len() as u64) as usize];
        let joined = i * 37 + rng.next(600);
        let minutes = 20 + rng.next(21);
        p["id"] = json!(format!("pQ{:020x}", i.wrapping_mul(0x9e3779b97f4a7c15)));
        p["user_id"] = json!(format!("{}", 16_000_000 + i));
        p["user_name"] = json!(format!("{name} {i}"));
        p["email"] = json!(format!("user{i}@example.com"));
        p["ip_address"] = json!(format!("192.0.{}.{}", i / 250 % 256, 1 + i % 250));
        p["internal_ip_addresses"] =
            json!([format!("10.{}.{}.{}", i % 200, i / 200 % 256, 1 + i % 250)]);
        p["participant_uuid"] = json!(format!("D444CD06-2ABB-2FCC-019B-{:012X}", i));
        p["pc_name"] = json!(format!("HW{:07}", 10_000 + i));
        p["device"] = json!(DEVICES[rng.next(DEVICES.len() as u64) as usize]);
        p["connection_type"] = json!(CONNECTIONS[rng.next(4) as usize]);
        p["video_connection_type"] = json!(CONNECTIONS[rng.next(4) as usize]);
        p["health"] = json!(HEALTH[rng.next(3) as usize]);
        p["total_jointime_cost"] = json!(rng.next(900) as f64 / 100.0);
        p["join_time"] = json!(time_after(joined));
        p["leave_time"] = json!(time_after(joined + minutes * 60));
        p["user_qos"] = Value::Array(
            (0..minutes)
                .map(|minute| {
                    let mut s = sample.clone();
                    vary_metrics(&mut s, &mut rng);
                    s["date_time"] = json!(time_after(joined + minute * 60));
                    s
                })
                .collect(),
        );
        size += serde_json::to_vec(&p).map(|b| b.len()).unwrap_or(0) + 1;
        participants.push(p);
    }
    let count = participants.len();
    let mut page = example;
    page["page_size"] = json!(count);
    page["total_records"] = json!(count);
    page["page_count"] = json!(1);
    page["next_page_token"] = json!("");
    page["participants"] = Value::Array(participants);
    (
        serde_json::to_vec(&page).expect("a Value serializes"),
        count,
    )
}

/// `count` dashboard meeting records (`GET /accounts/{accountId}/metrics/
/// meetings`), the example's record varied, split into pages of
/// `page_size` records linked by `next_page_token` (empty on the last page,
/// as Zoom sends it). Returns the pages' JSON bodies; page `k > 0` is the
/// answer to the token `page_token(k)`.
pub fn meeting_pages(count: usize, page_size: usize) -> Vec<Vec<u8>> {
    let example = response_example("/accounts/{accountId}/metrics/meetings");
    let template = example["meetings"][0].clone();
    let mut rng = Lcg(0x3ee7);
    let records: Vec<Value> = (0..count as u64)
        .map(|i| {
            let mut m = template.clone();
            let start = i * 90 + rng.next(3600);
            let minutes = 5 + rng.next(115);
            m["id"] = json!(93_201_235_621u64 + i * 7919);
            m["uuid"] = json!(format!("gm8s9L+PT{:013}Cw==", i * 104_729));
            m["topic"] = json!(format!(
                "{} {}",
                ["Share Now", "Weekly sync", "1:1", "All hands"][(i % 4) as usize],
                i
            ));
            m["host"] = json!(NAMES[(i % NAMES.len() as u64) as usize]);
            m["email"] = json!(format!("host{}@example.com", i % 500));
            m["participants"] = json!(2 + rng.next(200));
            m["start_time"] = json!(time_after(start));
            m["end_time"] = json!(time_after(start + minutes * 60));
            m["duration"] = json!(format!("{:02}:{:02}", minutes / 60, minutes % 60));
            m["session_key"] = json!(format!("ABC{:09}", i));
            m["avg_jointime_cost"] = json!(rng.next(900) as f64 / 100.0);
            m
        })
        .collect();
    let pages = records.chunks(page_size).count();
    records
        .chunks(page_size)
        .enumerate()
        .map(|(k, chunk)| {
            let mut page = example.clone();
            page["from"] = json!("2026-10-01");
            page["to"] = json!("2026-10-31");
            page["page_count"] = json!(pages);
            page["page_size"] = json!(page_size);
            page["total_records"] = json!(count);
            page["next_page_token"] = json!(if k + 1 < pages {
                page_token(k + 1)
            } else {
                String::new()
            });
            page["meetings"] = Value::Array(chunk.to_vec());
            serde_json::to_vec(&page).expect("a Value serializes")
        })
        .collect()
}

/// The `next_page_token` that asks for page `k` (as long as Zoom's).
pub fn page_token(k: usize) -> String {
    format!("Tva2CuIdTgsv8wAnhyAdU3m06Y2HuL{k:05}")
}

/// CPU time the calling thread has used so far (Linux: the first field of
/// `/proc/thread-self/schedstat`, nanoseconds), or `None` where that file is
/// missing. Unlike wall time, it does not grow while other processes (other
/// builds on a shared machine) hold the CPU.
pub fn thread_cpu_time() -> Option<std::time::Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(nanos))
}

/// Wall and thread-CPU seconds of one run of `work`.
pub fn measure(work: impl FnOnce()) -> (f64, Option<f64>) {
    let cpu = thread_cpu_time();
    let start = std::time::Instant::now();
    work();
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu, thread_cpu_time()) {
        (Some(before), Some(after)) => Some((after - before).as_secs_f64()),
        _ => None,
    };
    (wall, cpu)
}

pub fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Medians (wall, thread CPU) per variant, from `blocks` rounds in which
/// every variant runs `block` times in a row. Alternating blocks keeps a
/// change of machine load from favouring one variant, while each variant
/// still runs in its own steady state (allocator, caches), as in criterion.
pub fn alternating_blocks(
    variants: &mut [(&str, &mut dyn FnMut())],
    blocks: usize,
    block: usize,
) -> Vec<(f64, Option<f64>)> {
    alternating_blocks_with(variants, blocks, block, &mut |_| {})
}

/// [`alternating_blocks`], calling `before_block(variant index)`, untimed,
/// before each block of a variant.
pub fn alternating_blocks_with(
    variants: &mut [(&str, &mut dyn FnMut())],
    blocks: usize,
    block: usize,
    before_block: &mut dyn FnMut(usize),
) -> Vec<(f64, Option<f64>)> {
    let mut walls = vec![Vec::new(); variants.len()];
    let mut cpus = vec![Vec::new(); variants.len()];
    for _ in 0..blocks {
        for (i, (_, work)) in variants.iter_mut().enumerate() {
            before_block(i);
            for _ in 0..block {
                let (wall, cpu) = measure(&mut **work);
                walls[i].push(wall);
                if let Some(cpu) = cpu {
                    cpus[i].push(cpu);
                }
            }
        }
    }
    walls
        .into_iter()
        .zip(cpus)
        .map(|(wall, cpu)| (median(wall), (!cpu.is_empty()).then(|| median(cpu))))
        .collect()
}

/// The machine's 1-minute load average (Linux), for the summary lines.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}
