//! The dispatch benchmark's destination: answers every request 200 at once and counts them, doing as
//! little as HTTP/1.1 allows (find the head's end and its `Content-Length`, skip the body) so that it
//! takes as little as possible of the two cores the dispatcher runs on. A real destination parses
//! every header on its own machine; an in-process axum receiver here made the sender look slower for
//! every header it added.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ANSWER: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok";

/// Starts the receiver: its URL and the count of requests it answered.
pub async fn start() -> anyhow::Result<(String, Arc<AtomicU64>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let count = Arc::new(AtomicU64::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            // Connections the client drops (end of a run) end their task; nothing to report.
            tokio::spawn(answer_all(stream, counter.clone()));
        }
    });
    Ok((url, count))
}

/// Answers the requests of one keep-alive connection until the client closes it.
async fn answer_all(mut stream: TcpStream, count: Arc<AtomicU64>) -> anyhow::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(16 * 1024);
    loop {
        let mut searched = 0;
        let head_end = loop {
            if let Some(at) = find_head_end(&buf[searched..]) {
                break searched + at;
            }
            searched = buf.len().saturating_sub(3);
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let request_end = head_end + content_length(&buf[..head_end])?;
        while buf.len() < request_end {
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        buf.drain(..request_end);
        count.fetch_add(1, Ordering::Relaxed);
        stream.write_all(ANSWER).await?;
    }
}

/// Where the head (request line and headers, with the blank line) ends in `bytes`, if it does.
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}

/// The body's length a request `head` announces (0 without `Content-Length`).
fn content_length(head: &[u8]) -> anyhow::Result<usize> {
    for line in head.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if line[..colon].eq_ignore_ascii_case(b"content-length") {
            let value = std::str::from_utf8(&line[colon + 1..])?.trim();
            return Ok(value.parse()?);
        }
    }
    anyhow::ensure!(
        !head
            .windows(17)
            .any(|w| w.eq_ignore_ascii_case(b"transfer-encoding")),
        "the benchmark's receiver does not read chunked bodies"
    );
    Ok(0)
}
