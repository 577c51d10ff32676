//! A scripted HTTP/1.1 server for the workspace's tests: the runtime's
//! integration tests and the end-to-end tests of the generated client. It
//! listens on 127.0.0.1 (port chosen by the OS) and answers each
//! request from the route with the longest matching path prefix: either the
//! next reply queued for it, or a handler that looks at the request (its
//! `Authorization`, say). It records every request it receives, request
//! line byte for byte, and closes the connection after each answer. Dropping
//! the server aborts its accept loop and every connection task, so nothing
//! outlives a test, also when the test fails.

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// No test of a scripted server may run longer than this.
pub const TEST_LIMIT: Duration = Duration::from_secs(20);

/// Runs `test` with a time limit, so a hung test fails instead of hanging.
pub async fn bounded<T>(test: impl Future<Output = T>) -> T {
    match tokio::time::timeout(TEST_LIMIT, test).await {
        Ok(value) => value,
        Err(_) => panic!("test did not finish within {TEST_LIMIT:?}"),
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    body_delay: Duration,
    content_length: bool,
    hang_up: bool,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            body_delay: Duration::ZERO,
            content_length: true,
            hang_up: false,
        }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Reply::status(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// A Server-to-Server OAuth token grant.
    pub fn token(access_token: &str, expires_in: u64) -> Self {
        Reply::json(
            200,
            &format!(
                r#"{{"access_token":"{access_token}","token_type":"bearer","expires_in":{expires_in},"scope":"account:read:admin"}}"#
            ),
        )
    }

    /// The token endpoint's answer to a wrong client id or secret, as Zoom
    /// sends it.
    pub fn invalid_client() -> Self {
        Reply::json(
            401,
            r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
        )
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self
    }

    /// A body of `len` bytes of `x`.
    pub fn body_of_len(mut self, len: usize) -> Self {
        self.body = vec![b'x'; len];
        self
    }

    /// Wait this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Send the status line and headers at once, then wait this long
    /// before sending the body (a body that arrives too slowly).
    pub fn body_delay(mut self, delay: Duration) -> Self {
        self.body_delay = delay;
        self
    }

    /// Frame the body by closing the connection instead of sending a
    /// `content-length`, so a client learns its size only by reading it.
    pub fn without_content_length(mut self) -> Self {
        self.content_length = false;
        self
    }

    /// Close the connection without answering.
    pub fn hang_up() -> Self {
        Reply {
            hang_up: true,
            ..Reply::status(0)
        }
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The request line without its line break, byte for byte as sent.
    pub request_line: String,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the server accepted the connection the request came on (each
    /// connection carries one request): its arrival, as the server saw it.
    pub arrived: std::time::Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The parts of a `multipart/form-data` body, or why it is not one.
    pub fn form_parts(&self) -> Result<Vec<FormPart>, String> {
        let content_type = self.header("content-type").ok_or("no content-type")?;
        let (kind, params) = content_type.split_once(';').ok_or("no boundary")?;
        if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
            return Err(format!("content-type is {content_type:?}"));
        }
        let boundary = params
            .split(';')
            .find_map(|p| p.trim().strip_prefix("boundary="))
            .ok_or("no boundary")?
            .trim_matches('"');
        parse_form_data(&self.body, boundary)
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// `name` of the `Content-Disposition`.
    pub name: String,
    /// `filename` of the `Content-Disposition`, for a file part.
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Splits a `multipart/form-data` body (RFC 7578) into its parts: enough of
/// the format to check what a client sent, strict about the framing.
pub fn parse_form_data(body: &[u8], boundary: &str) -> Result<Vec<FormPart>, String> {
    let delimiter = format!("--{boundary}");
    let find = |haystack: &[u8], needle: &[u8], from: usize| {
        haystack
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut at = find(body, delimiter.as_bytes(), 0).ok_or("no opening boundary")?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body.get(at..at + 2) == Some(&b"--"[..]) {
            return Ok(parts);
        }
        if body.get(at..at + 2) != Some(&b"\r\n"[..]) {
            return Err(format!("no line break after the boundary at byte {at}"));
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).ok_or("a part has no header end")?;
        let head = std::str::from_utf8(&body[at..head_end]).map_err(|e| e.to_string())?;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), head_end + 4)
            .ok_or("a part has no closing boundary")?;
        let mut part = FormPart {
            name: String::new(),
            file_name: None,
            content_type: None,
            body: body[head_end + 4..next].to_vec(),
        };
        for line in head.split("\r\n") {
            let (name, value) = line.split_once(':').ok_or(format!("bad header {line:?}"))?;
            match name.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').skip(1) {
                        let Some((key, val)) = param.trim().split_once('=') else {
                            continue;
                        };
                        let val = val.trim_matches('"').to_owned();
                        match key {
                            "name" => part.name = val,
                            "filename" => part.file_name = Some(val),
                            _ => {}
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
        at = next + 2;
    }
}

/// Computes the answer to a request from the request itself.
pub type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

enum Responder {
    Queue(VecDeque<Reply>),
    Handler(Handler),
}

#[derive(Default)]
struct Script {
    routes: Vec<(String, Responder)>,
    received: Vec<Recorded>,
    connections: Vec<AbortHandle>,
}

impl Script {
    fn next_reply(&mut self, request: &Recorded) -> Reply {
        let path = request.path();
        let route = self
            .routes
            .iter_mut()
            .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len());
        let reply = match route.map(|(_, responder)| responder) {
            Some(Responder::Queue(replies)) => replies.pop_front(),
            Some(Responder::Handler(handler)) => Some(handler(request)),
            None => None,
        };
        reply.unwrap_or_else(|| {
            Reply::json(
                418,
                &format!(r#"{{"code":-1,"message":"no reply scripted for {path}"}}"#),
            )
        })
    }
}

/// Test code panics on failure while holding no lock, but a connection task
/// may be aborted anywhere; a poisoned lock still holds a usable script.
fn lock(script: &Mutex<Script>) -> MutexGuard<'_, Script> {
    script.lock().unwrap_or_else(PoisonError::into_inner)
}

pub struct ScriptedServer {
    addr: SocketAddr,
    script: Arc<Mutex<Script>>,
    accept_loop: AbortHandle,
}

impl ScriptedServer {
    pub async fn start() -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(e) => panic!("cannot listen on 127.0.0.1: {e}"),
        };
        ScriptedServer::serve(listener)
    }

    /// Serves on a listener the test bound itself.
    pub fn serve(listener: TcpListener) -> Self {
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(e) => panic!("listener has no address: {e}"),
        };
        let script = Arc::new(Mutex::new(Script::default()));
        let accepting = script.clone();
        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let arrived = std::time::Instant::now();
                let connection = tokio::spawn(serve_connection(stream, arrived, accepting.clone()));
                lock(&accepting).connections.push(connection.abort_handle());
            }
        })
        .abort_handle();
        ScriptedServer {
            addr,
            script,
            accept_loop,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues `replies` for requests whose path starts with `path_prefix`.
    pub fn script(&self, path_prefix: &str, replies: impl IntoIterator<Item = Reply>) -> &Self {
        let mut script = lock(&self.script);
        let replies: Vec<Reply> = replies.into_iter().collect();
        match script.routes.iter_mut().find(|(p, _)| p == path_prefix) {
            Some((_, Responder::Queue(queue))) => queue.extend(replies),
            Some((_, responder)) => *responder = Responder::Queue(replies.into()),
            None => script
                .routes
                .push((path_prefix.to_owned(), Responder::Queue(replies.into()))),
        }
        self
    }

    /// Answers every request whose path starts with `path_prefix` with what
    /// `handler` makes of it.
    pub fn respond_with(
        &self,
        path_prefix: &str,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> &Self {
        let mut script = lock(&self.script);
        let handler = Responder::Handler(Arc::new(handler));
        match script.routes.iter_mut().find(|(p, _)| p == path_prefix) {
            Some((_, responder)) => *responder = handler,
            None => script.routes.push((path_prefix.to_owned(), handler)),
        }
        self
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.script).received.clone()
    }

    /// How many requests went to paths starting with `path_prefix`.
    pub fn hits(&self, path_prefix: &str) -> usize {
        self.requests_to(path_prefix).len()
    }

    /// Requests received whose path starts with `path_prefix`.
    pub fn requests_to(&self, path_prefix: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path().starts_with(path_prefix))
            .collect()
    }

    /// The most requests under `path_prefix` that arrived within any one
    /// `window`, as the server saw them arrive: the busiest window starts
    /// at some arrival, so the windows starting at each are counted.
    pub fn busiest_window(&self, path_prefix: &str, window: Duration) -> usize {
        let mut arrivals: Vec<std::time::Instant> = self
            .requests_to(path_prefix)
            .iter()
            .map(|r| r.arrived)
            .collect();
        arrivals.sort();
        (0..arrivals.len())
            .map(|i| {
                arrivals[i..]
                    .iter()
                    .take_while(|at| **at < arrivals[i] + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
        for connection in &lock(&self.script).connections {
            connection.abort();
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    arrived: std::time::Instant,
    script: Arc<Mutex<Script>>,
) {
    let mut stream = BufReader::new(stream);
    let Some(request) = read_request(&mut stream, arrived).await else {
        return;
    };
    let reply = {
        let mut script = lock(&script);
        let reply = script.next_reply(&request);
        script.received.push(request);
        reply
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if reply.hang_up {
        return;
    }
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.content_length {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    head.push_str("connection: close\r\n\r\n");
    let stream = stream.get_mut();
    // The client may have given up already (timeouts); that is not an error
    // of the server.
    let _ = stream.write_all(head.as_bytes()).await;
    if !reply.body_delay.is_zero() {
        let _ = stream.flush().await;
        tokio::time::sleep(reply.body_delay).await;
    }
    let _ = stream.write_all(&reply.body).await;
    let _ = stream.shutdown().await;
}

/// Reads one request: request line, headers, and a body framed by
/// `content-length` or `transfer-encoding: chunked`. `None` on anything
/// malformed or a closed connection.
async fn read_request(
    stream: &mut BufReader<TcpStream>,
    arrived: std::time::Instant,
) -> Option<Recorded> {
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let request_line = line.trim_end_matches(['\r', '\n']).to_owned();
    let mut parts = request_line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            stream.read_line(&mut size).await.ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2]; // data and its CRLF
            stream.read_exact(&mut chunk).await.ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = header("content-length") {
        body = vec![0; length.parse().ok()?];
        stream.read_exact(&mut body).await.ok()?;
    }
    Some(Recorded {
        request_line,
        method,
        target,
        headers,
        body,
        arrived,
    })
}
