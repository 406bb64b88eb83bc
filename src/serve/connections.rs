//! Accepting and serving connections within the process's means: a bounded number at once,
//! each closed when it is slow to send a request or idle too long, and the server still
//! answering when the system refuses a connection (no file descriptor left).
//!
//! `axum::serve` does none of this: it serves every connection it accepts for as long as the
//! client keeps it open, so about a thousand idle connections used up the file descriptors,
//! and its retry after a failed `accept` needs tokio's timers, which the server did not enable
//! (it exited with "timers are disabled").

use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's headers, and how long a connection may stay
/// idle between two requests, before it is closed. Browsers send a request's headers in one
/// go; a slowloris client sends a byte now and then.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one connection is served. Then it is closed once its current answer is sent, and
/// at most [`HEADER_TIMEOUT`] later (a client that does not read its answer); clients open a
/// new one.
pub const MAX_CONNECTION_TIME: Duration = Duration::from_secs(300);

/// The most connections served at once when the system's limit on open files is not known.
const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// How long to wait before accepting again when `accept` failed.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// How often at most a failing `accept` is logged.
const ACCEPT_LOG_EVERY: Duration = Duration::from_secs(10);

/// The most connections served at once: what the open-file limit leaves after the files the
/// index and the searches need (a quarter of the limit, at least 32), and at most 1,024. More
/// clients wait in the listening socket's queue, where they cost no file descriptor.
pub fn max_connections() -> usize {
    match open_file_limit() {
        Some(limit) => {
            let reserved = (limit / 4).max(32);
            limit.saturating_sub(reserved).clamp(8, 1024)
        }
        None => DEFAULT_MAX_CONNECTIONS,
    }
}

/// The soft limit on open files (Linux's `/proc/self/limits`), when known and finite.
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// How many connections are served at once, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The most connections served at once ([`max_connections`]).
    pub max_connections: usize,
    /// [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// [`MAX_CONNECTION_TIME`].
    pub max_connection_time: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: max_connections(),
            header_timeout: HEADER_TIMEOUT,
            max_connection_time: MAX_CONNECTION_TIME,
        }
    }
}

/// Serves `router` on `listener` until the process ends, within `limits`.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut accept_errors = AcceptErrors::default();
    loop {
        let slot = Arc::clone(&slots)
            .acquire_owned()
            .await
            .map_err(io::Error::other)?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                accept_errors.log(&error);
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let _ = stream.set_nodelay(true);
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
            // The connection's errors are the client's (it went away, it was too slow).
            if tokio::time::timeout(limits.max_connection_time, connection.as_mut())
                .await
                .is_err()
            {
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(limits.header_timeout, connection).await;
            }
        });
    }
}

/// Failed `accept`s, logged one line at a time and not more often than
/// [`ACCEPT_LOG_EVERY`].
#[derive(Default)]
struct AcceptErrors {
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl AcceptErrors {
    fn log(&mut self, error: &io::Error) {
        if self
            .last_logged
            .is_some_and(|at| at.elapsed() < ACCEPT_LOG_EVERY)
        {
            self.unlogged += 1;
            return;
        }
        let more = match self.unlogged {
            0 => String::new(),
            n => format!(" ({n} more since the last message)"),
        };
        eprintln!(
            "fahras serve: cannot accept a connection: {error}{more}; still serving the others, \
             retrying"
        );
        self.last_logged = Some(Instant::now());
        self.unlogged = 0;
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    use axum::routing::get;

    use super::*;

    #[test]
    fn the_connection_cap_leaves_room_for_the_index() {
        let cap = max_connections();
        assert!((8..=1024).contains(&cap), "{cap}");
        if let Some(limit) = open_file_limit() {
            assert!(cap < limit, "{cap} of {limit}");
        }
    }

    /// A server of `/health` within `limits`, on a thread of its own; its address.
    fn serve_health(limits: ConnectionLimits) -> std::net::SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                let router = Router::new().route("/health", get(|| async { "ok" }));
                serve_connections(listener, router, limits).await
            })
        });
        address
    }

    /// Reads until the server closes the connection; what it sent.
    fn read_to_close(stream: &mut TcpStream) -> String {
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn slow_and_idle_connections_are_closed_and_others_still_served() {
        let address = serve_health(ConnectionLimits {
            max_connections: 2,
            header_timeout: Duration::from_millis(300),
            max_connection_time: Duration::from_secs(60),
        });
        // a slowloris client: half a request line, then nothing
        let mut slow = TcpStream::connect(address).unwrap();
        slow.write_all(b"GET /health HT").unwrap();
        // an idle one that sent nothing
        let mut idle = TcpStream::connect(address).unwrap();
        // both slots are taken; this one waits in the queue until they are closed
        let mut waiting = TcpStream::connect(address).unwrap();
        waiting
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let answer = read_to_close(&mut waiting);
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(answer.ends_with("ok"), "{answer}");
        // the server closed the slow and idle ones (an error status, or nothing, then EOF)
        assert!(!read_to_close(&mut slow).contains("200 OK"));
        assert_eq!(read_to_close(&mut idle), "");
    }

    #[test]
    fn a_kept_alive_connection_is_closed_after_being_idle() {
        let address = serve_health(ConnectionLimits {
            max_connections: 4,
            header_timeout: Duration::from_millis(300),
            max_connection_time: Duration::from_secs(60),
        });
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        // one answer, then the connection stays open for the next request until it idles out
        let answer = read_to_close(&mut stream);
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer}");
    }
}
