//! The HTTP/1.1 server loop under the router, with the limits `axum::serve` does not offer: a
//! connection cap, a deadline for a request's headers (slow-loris clients), the client's address on
//! every request (for the sign-in throttle), and a graceful shutdown that gives the requests in flight
//! a deadline instead of waiting for them forever. (Request bodies have their own read timeout, a
//! layer of the router.)

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// How long the requests in flight may take to finish once shutdown starts.
    pub shutdown_deadline: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests in flight finish
/// (up to the deadline) and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    // Dropping `stop` tells the connections to finish; every connection holds an `open` receiver, so
    // `tracker.closed()` completes when the last one has ended.
    let (stop, stopping) = watch::channel(());
    let (tracker, open) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let mut stopping = stopping.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(remote));
                router.clone().oneshot(request)
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_end(result, remote),
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    log_end(connection.await, remote);
                }
            }
            drop(permit);
            drop(open);
        });
    }
    drop(listener);
    drop(stop);
    drop(open);
    let finished = tokio::time::timeout(limits.shutdown_deadline, tracker.closed()).await;
    if finished.is_err() {
        tracing::warn!(
            deadline = ?limits.shutdown_deadline,
            "shutting down with requests still open after the deadline"
        );
    }
}

fn log_end(result: Result<(), hyper::Error>, remote: SocketAddr) {
    if let Err(e) = result
        && !e.is_incomplete_message()
    {
        tracing::debug!(error = %e, %remote, "connection ended with an error");
    }
}
