//! Paging through 10,000 dashboard meeting records
//! (`GET /accounts/{accountId}/metrics/meetings`, 300 per page, the spec's
//! maximum: 34 requests) over loopback, two ways against the same server:
//!
//! - `generated_stream`: `client.dashboard_meetings()...page_size(300).stream()`,
//!   every request through the runtime (auth header, retry bookkeeping,
//!   per-request timeout, double-encoding check) and progenitor's decoding;
//! - `hand_written_reqwest`: a plain reqwest loop sending the same requests
//!   (same query, `Accept` and `Authorization` headers), decoding each body
//!   with `serde_json::from_slice` into the same generated page struct and
//!   following `next_page_token`.
//!
//! Target: generated ≤ 1.1× the hand-written time. Both consume every
//! record. The server is written here: HTTP/1.1 keep-alive on 127.0.0.1 (port
//! from the OS), page bodies and response heads precomputed, on its own
//! thread and runtime; the client side runs on a current-thread runtime. Each
//! client keeps its connection across iterations, as a real one would.
//!
//! `cargo bench -p zoom-accounts --bench paging` (about a minute). Every
//! iteration is bounded (`ITERATION_LIMIT`); a hung server fails the bench
//! instead of hanging it. An interleaved run at the end prints both medians
//! and the ratio.

mod support;

use std::cell::RefCell;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use futures_util::TryStreamExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use zoom_accounts::prelude::*;
use zoom_accounts::types::DashboardMeetingsResponse;
use zoom_accounts::{Client, Credentials};

const RECORDS: usize = 10_000;
const PAGE_SIZE: usize = 300;
const TOKEN: &str = "bench-access-token";
const ITERATION_LIMIT: Duration = Duration::from_secs(30);
/// Socket buffers of the server's connections: more than one page.
const SOCKET_BUFFER: u32 = 4 << 20;

/// A keep-alive HTTP/1.1 server answering `GET .../metrics/meetings` with
/// precomputed pages: no token is the first page, `page_token(k)` page `k`.
/// Anything else gets a 404. Stops (thread joined) when dropped.
struct PageServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PageServer {
    fn start(pages: Vec<Vec<u8>>) -> Self {
        let responses: Arc<Vec<Vec<u8>>> = Arc::new(
            pages
                .into_iter()
                .map(|body| {
                    let mut response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    response.extend_from_slice(&body);
                    response
                })
                .collect(),
        );
        // Fixed socket buffers (inherited by accepted connections) that hold
        // a whole page: without them, TCP buffer autotuning settles
        // differently from connection to connection and process to process,
        // and the chunking of the reads it causes moved either client's time
        // by up to 25% between runs.
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .set_send_buffer_size(SOCKET_BUFFER)
            .expect("SO_SNDBUF");
        socket
            .set_recv_buffer_size(SOCKET_BUFFER)
            .expect("SO_RCVBUF");
        socket
            .bind("127.0.0.1:0".parse().expect("address"))
            .expect("bind 127.0.0.1");
        let addr = socket.local_addr().expect("listener address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = socket.listen(128).expect("listen");
                let accept = async {
                    while let Ok((stream, _)) = listener.accept().await {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(serve(stream, responses.clone()));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
            // Dropping the runtime cancels every connection task.
        });
        PageServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}/v2", self.addr)
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\
content-length: 39\r\n\r\n{\"code\":404,\"message\":\"no such page...\"}";

/// One connection: requests (GET, no body) answered in order until the
/// client closes it.
async fn serve(stream: TcpStream, responses: Arc<Vec<Vec<u8>>>) {
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match stream.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let target = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        // Headers: skipped up to the blank line.
        loop {
            line.clear();
            match stream.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" || line == "\n" => break,
                Ok(_) => {}
            }
        }
        let page = page_index(&target);
        let response = match page {
            Some(k) if k < responses.len() => &responses[k][..],
            _ => NOT_FOUND,
        };
        if stream.get_mut().write_all(response).await.is_err() {
            return;
        }
    }
}

/// Which page a request target asks for: `None` for a wrong path.
fn page_index(target: &str) -> Option<usize> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if !path.ends_with("/accounts/me/metrics/meetings") {
        return None;
    }
    let token = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("next_page_token="));
    match token {
        None => Some(0),
        Some(token) => (1..)
            .take(RECORDS.div_ceil(PAGE_SIZE))
            .find(|&k| support::page_token(k) == token),
    }
}

fn generated_client(base_url: &str) -> Client {
    Client::builder()
        .with_credentials(Credentials::bearer_token(TOKEN))
        .with_api_base_url(base_url)
        .build()
        .expect("client")
}

/// Every record through the generated stream; returns how many.
async fn generated_stream(client: &Client) -> usize {
    let mut meetings = client
        .dashboard_meetings()
        .account_id("me")
        .type_("past")
        .from("2026-10-01")
        .to("2026-10-31")
        .page_size(PAGE_SIZE as i64)
        .stream();
    let mut count = 0;
    while let Some(meeting) = meetings.try_next().await.expect("generated stream") {
        black_box(meeting);
        count += 1;
    }
    count
}

/// The generated `send()` in a hand-written token loop: the generated
/// per-request path without the stream (summary only).
async fn generated_send_loop(client: &Client) -> usize {
    let mut next_page_token: Option<String> = None;
    let mut count = 0;
    loop {
        let mut request = client
            .dashboard_meetings()
            .account_id("me")
            .type_("past")
            .from("2026-10-01")
            .to("2026-10-31")
            .page_size(PAGE_SIZE as i64);
        if let Some(token) = next_page_token.take() {
            request = request.next_page_token(token);
        }
        let page = request.send().await.expect("generated send").into_inner();
        for meeting in page.meetings {
            black_box(meeting);
            count += 1;
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(token) => next_page_token = Some(token),
            None => return count,
        }
    }
}

/// The same requests by hand: reqwest + serde_json into the same page type.
async fn hand_written(http: &reqwest::Client, base_url: &str) -> usize {
    let url = format!("{base_url}/accounts/me/metrics/meetings");
    let page_size = PAGE_SIZE.to_string();
    let mut next_page_token: Option<String> = None;
    let mut count = 0;
    loop {
        let mut query = vec![
            ("from", "2026-10-01"),
            ("page_size", page_size.as_str()),
            ("to", "2026-10-31"),
            ("type", "past"),
        ];
        if let Some(token) = &next_page_token {
            query.push(("next_page_token", token));
        }
        let response = http
            .get(&url)
            .query(&query)
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(TOKEN)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("hand-written request");
        let body = response.bytes().await.expect("hand-written body");
        let page: DashboardMeetingsResponse =
            serde_json::from_slice(&body).expect("hand-written decode");
        for meeting in page.meetings {
            black_box(meeting);
            count += 1;
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(token) => next_page_token = Some(token),
            None => return count,
        }
    }
}

fn bounded<T>(runtime: &tokio::runtime::Runtime, what: &str, work: impl Future<Output = T>) -> T {
    runtime
        .block_on(async { tokio::time::timeout(ITERATION_LIMIT, work).await })
        .unwrap_or_else(|_| panic!("{what}: one pass took longer than {ITERATION_LIMIT:?}"))
}

/// The ratio again, robust to a change of machine load between the two
/// criterion groups: alternating blocks of the variants (see
/// `support::alternating_blocks`), wall time and the client thread's CPU
/// time. The client's whole side (reqwest, hyper's connection task, the
/// runtime, decoding) runs on this thread's current-thread runtime and the
/// server on its own thread, so client CPU time is what the two ways of
/// paging cost the client, without the server and without time lost to other
/// processes. A third variant, the generated `send()` in a hand-written
/// token loop, separates the per-request cost from the stream's.
///
/// Each block starts on a new connection (a new client, warmed by one
/// untimed pass): a loopback connection settles into a faster or a slower
/// regime of read chunking (the client socket's buffer is autotuned by the
/// kernel and cannot be fixed through reqwest), and with one connection per
/// variant for the whole run, that draw alone moved the wall ratio between
/// 0.89x and 1.16x from run to run.
fn interleaved_summary(runtime: &tokio::runtime::Runtime, base_url: &str) {
    let client = RefCell::new(generated_client(base_url));
    let http = RefCell::new(reqwest::Client::new());
    let mut stream = || {
        assert_eq!(
            bounded(runtime, "generated", generated_stream(&client.borrow())),
            RECORDS
        )
    };
    let mut by_hand = || {
        assert_eq!(
            bounded(
                runtime,
                "hand-written",
                hand_written(&http.borrow(), base_url)
            ),
            RECORDS
        )
    };
    let mut send_loop = || {
        assert_eq!(
            bounded(runtime, "send loop", generated_send_loop(&client.borrow())),
            RECORDS
        )
    };
    let mut new_connection = |variant: usize| {
        if variant == 1 {
            *http.borrow_mut() = reqwest::Client::new();
            bounded(
                runtime,
                "hand-written",
                hand_written(&http.borrow(), base_url),
            );
        } else {
            *client.borrow_mut() = generated_client(base_url);
            bounded(runtime, "generated", generated_stream(&client.borrow()));
        }
    };
    const BLOCKS: usize = 12;
    const BLOCK: usize = 5;
    let load = support::load_average();
    let results = support::alternating_blocks_with(
        &mut [
            ("stream", &mut stream),
            ("hand", &mut by_hand),
            ("send-loop", &mut send_loop),
        ],
        BLOCKS,
        BLOCK,
        &mut new_connection,
    );
    let (g, h, s) = (results[0], results[1], results[2]);
    println!(
        "paging summary, alternating blocks of {BLOCK} ({BLOCKS} each), wall: generated stream {:.1} ms, \
         hand-written reqwest {:.1} ms, generated send() loop {:.1} ms; stream/hand-written {:.3}x \
         (target <= 1.1x)",
        g.0 * 1e3,
        h.0 * 1e3,
        s.0 * 1e3,
        g.0 / h.0
    );
    if let (Some(gc), Some(hc), Some(sc)) = (g.1, h.1, s.1) {
        println!(
            "paging summary, client thread CPU: generated stream {:.1} ms, hand-written reqwest {:.1} ms, \
             generated send() loop {:.1} ms; stream/hand-written {:.3}x",
            gc * 1e3,
            hc * 1e3,
            sc * 1e3,
            gc / hc
        );
    }
    println!(
        "paging summary: 1-min load average {load} before, {} after",
        support::load_average()
    );
}

fn main() {
    let pages = support::meeting_pages(RECORDS, PAGE_SIZE);
    let page_count = pages.len();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let server = PageServer::start(pages);
    let base_url = server.base_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client = generated_client(&base_url);
    let http = reqwest::Client::new();

    // Both ways must see every record before either is timed.
    assert_eq!(
        bounded(&runtime, "generated", generated_stream(&client)),
        RECORDS
    );
    assert_eq!(
        bounded(&runtime, "hand-written", hand_written(&http, &base_url)),
        RECORDS
    );
    println!(
        "paging bench: {RECORDS} records, {page_count} pages of {PAGE_SIZE}, {:.2} MB of JSON per pass, \
         server http://{}",
        bytes as f64 / 1e6,
        server.addr
    );

    let mut criterion = Criterion::default().configure_from_args();
    {
        let mut group = criterion.benchmark_group("page_10k_meetings_loopback");
        group
            .throughput(Throughput::Elements(RECORDS as u64))
            .sample_size(20)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(12));
        group.bench_function("generated_stream", |b| {
            b.iter(|| bounded(&runtime, "generated", generated_stream(&client)))
        });
        group.bench_function("hand_written_reqwest", |b| {
            b.iter(|| bounded(&runtime, "hand-written", hand_written(&http, &base_url)))
        });
        group.finish();
    }
    criterion.final_summary();

    if std::env::args().any(|a| a == "--bench") {
        interleaved_summary(&runtime, &base_url);
    }
    drop(server);
}
