//! A webhook receiver: one endpoint on 127.0.0.1 that verifies each
//! request, answers Zoom's URL-validation challenge and prints the events
//! it receives, typed.
//!
//! ```sh
//! ZOOM_WEBHOOK_SECRET=... cargo run -p zoom-accounts --features webhooks --example webhook_receiver
//! ```
//!
//! The HTTP/1.1 reader is a few lines over tokio's `TcpListener` (one
//! request per connection, `Content-Length` bodies, bounded sizes), so the
//! example needs no server crate; a real service would use its framework
//! and hand the headers and the raw body bytes to the same `handle`.

use std::time::SystemTime;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zoom_accounts::Secret;
use zoom_accounts::webhooks::{Event, Verified, WebhookError, WebhookVerifier, header_fn};

/// The largest request head and body accepted.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 1024 * 1024;

#[tokio::main]
#[allow(dead_code)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("ZOOM_WEBHOOK_SECRET")
        .map_err(|_| "set ZOOM_WEBHOOK_SECRET to the app's secret token")?;
    let verifier = WebhookVerifier::new(Secret::new(secret));
    let listener = TcpListener::bind("127.0.0.1:8080").await?;
    println!(
        "listening on http://{}/zoom/webhooks",
        listener.local_addr()?
    );
    serve(listener, verifier, SystemTime::now).await
}

/// Answers the requests of `listener` until it fails; `now` is the clock
/// the timestamp window is checked against.
pub async fn serve(
    listener: TcpListener,
    verifier: WebhookVerifier,
    now: fn() -> SystemTime,
) -> Result<(), Box<dyn std::error::Error>> {
    loop {
        let (stream, _) = listener.accept().await?;
        if let Err(e) = answer(stream, &verifier, now).await {
            eprintln!("connection: {e}");
        }
    }
}

/// What a handler answers: a status and a JSON body.
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
}

/// The whole job of a webhook endpoint, framework-agnostic: the request's
/// headers (by lower-case name) and its body exactly as received.
pub fn handle(
    verifier: &WebhookVerifier,
    headers: &[(String, String)],
    body: &[u8],
    now: SystemTime,
) -> Answer {
    let lookup = header_fn(|name| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_bytes())
    });
    let answer = |status, body| Answer { status, body };
    match verifier.verify(&lookup, body, now) {
        Ok(Verified::UrlValidation(challenge)) => match serde_json::to_value(challenge) {
            Ok(json) => answer(200, json),
            Err(e) => answer(500, serde_json::json!({"error": e.to_string()})),
        },
        Ok(Verified::Event(verified)) => match Event::from_slice(verified.body()) {
            // Zoom reads only the status; the body says what happened, for
            // whoever tests the endpoint.
            Ok(Event::Unknown(unknown)) => {
                println!(
                    "{}: an event this client does not know: {}",
                    unknown.name(),
                    unknown.raw()
                );
                answer(200, serde_json::json!({"unknown": unknown.name()}))
            }
            Ok(event) => {
                println!("{}: {event:?}", event.name());
                answer(200, serde_json::json!({"decoded": event.name()}))
            }
            // Signed by Zoom but not what the spec says: accept it (Zoom
            // retries refused deliveries), and say so.
            Err(e) => {
                eprintln!("{}: cannot decode: {e}", verified.name());
                answer(
                    200,
                    serde_json::json!({"undecoded": verified.name(), "error": e.to_string()}),
                )
            }
        },
        Err(e @ (WebhookError::SignatureMismatch | WebhookError::MissingSignature)) => {
            answer(401, serde_json::json!({"error": e.to_string()}))
        }
        Err(e) => answer(400, serde_json::json!({"error": e.to_string()})),
    }
}

/// Reads one request from `stream`, answers it, closes the connection.
async fn answer(
    mut stream: TcpStream,
    verifier: &WebhookVerifier,
    now: fn() -> SystemTime,
) -> std::io::Result<()> {
    let reply = match read_request(&mut stream).await? {
        Ok((method, headers, body)) if method == "POST" => handle(verifier, &headers, &body, now()),
        Ok(_) => Answer {
            status: 405,
            body: serde_json::json!({"error": "POST only"}),
        },
        Err((status, reason)) => Answer {
            status,
            body: serde_json::json!({"error": reason}),
        },
    };
    let body = reply.body.to_string();
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        reply.status,
        reason(reply.status),
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

type Request = (String, Vec<(String, String)>, Vec<u8>);

/// The method, headers (names in lower case) and body of one request, or
/// the status that refuses it.
async fn read_request(
    stream: &mut TcpStream,
) -> std::io::Result<Result<Request, (u16, &'static str)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buf.len() > MAX_HEAD {
            return Ok(Err((431, "request head too large")));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(Err((
                400,
                "connection closed before the request head ended",
            )));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let Ok(head) = std::str::from_utf8(&buf[..head_end]) else {
        return Ok(Err((400, "request head is not UTF-8")));
    };
    let mut lines = head.split("\r\n");
    let method = lines
        .next()
        .and_then(|l| l.split(' ').next())
        .unwrap_or_default()
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let Some(length) = length else {
        return Ok(Err((411, "a Content-Length is required")));
    };
    if length > MAX_BODY {
        return Ok(Err((413, "body too large")));
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(Err((400, "connection closed before the body ended")));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok(Ok((method, headers, body)))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}
