//! `fahras serve`: a search page and an HTTP JSON API over one index, for people who would
//! rather use a browser than a terminal.
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | the search page (one HTML file, right to left, no outside resources) |
//! | `GET /search?q=&limit=&offset=&from=&to=&snippet_chars=&sort=&facets=&facet_limit=&by=&source=&place=&category=&author=` | [`SearchResults`](crate::SearchResults), the JSON of `fahras query --json` |
//! | `GET /doc/{id}?q=` | [`ArticleView`](crate::search::ArticleView): the whole article, the query's words highlighted |
//! | `GET /similar/{id}?…` | articles like that one, as `fahras similar ID --json` (the parameters of `/search`; `q` optional) |
//! | `GET /health` | `{"status": "ok", "documents": N, "index": "…"}` |
//!
//! Errors are `{"error": "…"}` with a fitting status: `400` for a bad query, date or
//! parameter, `404` for an unknown id or path, `403` for a request naming another host,
//! `503` when the index cannot be read, `500` otherwise.
//!
//! All searches share one [`IndexReader`](tantivy::IndexReader) that follows new commits, so
//! an ingest into the served index shows up within a second or so, without a restart. The
//! server listens on loopback unless told otherwise ([`bind`]); there is no authentication.
//!
//! No request can take the server down: a query nested too deep is refused before it is
//! parsed (see [`MAX_QUERY_DEPTH`](crate::search::MAX_QUERY_DEPTH)), a request that panics is
//! answered `500` and logged on one line, and connections are bounded in number and time
//! (see [`connections`]).

mod api;
pub mod connections;
mod guard;
mod page;
mod panics;

use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::get;

use crate::error::{AddressProblem, Error, Result};
use crate::index::FahrasIndex;

pub use api::ApiError;

/// The address `fahras serve` listens on when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7411";
/// The longest query, in characters, one request may send.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The most hits one page of results may hold.
pub const MAX_PAGE_SIZE: usize = 100;
/// The deepest offset a request may page to.
pub const MAX_OFFSET: usize = 10_000;
/// The longest snippet, in characters, a request may ask for.
pub const MAX_SNIPPET_CHARS: usize = 1_000;

/// Opens the listening socket on `address` (`host:port`; port 0 picks a free one).
///
/// An address that is not loopback is refused unless `allow_remote` is set: the server has no
/// authentication, so anyone who can reach it can read the whole archive.
pub fn bind(address: &str, allow_remote: bool) -> Result<TcpListener> {
    let fail = |problem: AddressProblem| Error::ServeAddress {
        address: address.to_string(),
        problem,
    };
    let candidates: Vec<SocketAddr> = address
        .to_socket_addrs()
        .map_err(|e| fail(AddressProblem::NotHostPort(e.to_string())))?
        .collect();
    if candidates.is_empty() {
        return Err(fail(AddressProblem::NoAddress));
    }
    if !allow_remote && candidates.iter().any(|a| !a.ip().is_loopback()) {
        return Err(fail(AddressProblem::NotLoopback));
    }
    TcpListener::bind(&candidates[..]).map_err(|e| {
        fail(match e.kind() {
            io::ErrorKind::AddrInUse => AddressProblem::InUse,
            _ => AddressProblem::CannotListen(e.to_string()),
        })
    })
}

/// Serves `index` on `listener` until the process ends.
///
/// `allow_remote` must match what [`bind`] was given: without it, requests whose `Host` is not
/// a loopback name are refused, which keeps web pages from other sites out (DNS rebinding).
/// Panics anywhere in the process are logged on one line from then on.
pub fn serve(index: FahrasIndex, listener: TcpListener, allow_remote: bool) -> io::Result<()> {
    let router = router(index, allow_remote).map_err(io::Error::other)?;
    panics::log_panics_on_one_line();
    serve_router(router, listener)
}

/// Serves `router` on `listener`, with [`connections`]' limits, until the process ends.
fn serve_router(router: Router, listener: TcpListener) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        connections::serve_connections(listener, router, Default::default()).await
    })
}

/// The routes, with the shared reader behind them.
fn router(index: FahrasIndex, allow_remote: bool) -> Result<Router> {
    let state = Arc::new(api::AppState::new(index)?);
    let routes = Router::new()
        .route("/", get(page::search_page))
        .route("/health", get(api::health))
        .route("/search", get(api::search))
        .route("/doc/{*id}", get(api::article))
        .route("/person", get(api::person))
        .route("/similar/{*id}", get(api::similar))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state);
    Ok(with_safeguards(routes, allow_remote))
}

/// `routes` behind what every request goes through: the panic catcher, then the `Host` check.
fn with_safeguards(routes: Router, allow_remote: bool) -> Router {
    guard::protect(routes, allow_remote).layer(middleware::from_fn(panics::answer_panics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_that_panics_is_answered_500_and_the_server_goes_on() {
        async fn panics() -> &'static str {
            panic!("تجربة")
        }
        let routes = Router::new()
            .route("/panic", get(panics))
            .route("/health", get(|| async { "ok" }));
        let listener = bind("127.0.0.1:0", false).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || serve_router(with_safeguards(routes, false), listener));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        for _ in 0..3 {
            let mut answer = agent.get(&format!("{base}/panic")).call().unwrap();
            assert_eq!(answer.status(), 500);
            let body = answer.body_mut().read_to_string().unwrap();
            assert!(
                body.contains("internal error while answering GET /panic"),
                "{body}"
            );
            let mut health = agent.get(&format!("{base}/health")).call().unwrap();
            assert_eq!(health.body_mut().read_to_string().unwrap(), "ok");
        }
    }

    #[test]
    fn a_remote_address_needs_the_option() {
        let error = bind("0.0.0.0:0", false).unwrap_err();
        assert!(matches!(
            error,
            Error::ServeAddress {
                problem: AddressProblem::NotLoopback,
                ..
            }
        ));
        assert!(error.to_string().contains("add allow_remote"), "{error}");
        assert!(bind("0.0.0.0:0", true).is_ok());
    }

    /// Regression: the library's error named the command line's flags (`--addr 7700: …`).
    #[test]
    fn address_errors_name_the_option_and_the_command_line_words_them_with_its_flags() {
        let error = bind("7700", false).unwrap_err();
        let line = error.to_string();
        assert!(
            line.starts_with("the address 7700: not a host:port"),
            "{line}"
        );
        assert!(!line.contains("--"), "{line}");
        let flags = |setting| match setting {
            crate::error::Setting::Address => "--addr",
            other => other.library_name(),
        };
        assert!(
            error
                .worded(&flags)
                .starts_with("--addr 7700: not a host:port")
        );
    }

    #[test]
    fn loopback_names_and_free_ports_are_accepted() {
        let listener = bind("127.0.0.1:0", false).unwrap();
        assert!(listener.local_addr().unwrap().ip().is_loopback());
        assert!(bind("localhost:0", false).is_ok());
    }

    #[test]
    fn a_busy_port_and_a_bad_address_are_explained() {
        let taken = bind("127.0.0.1:0", false).unwrap();
        let address = taken.local_addr().unwrap().to_string();
        let error = bind(&address, false).unwrap_err().to_string();
        assert!(error.contains("in use"), "{error}");
        let error = bind("7700", false).unwrap_err().to_string();
        assert!(error.contains("7700: not a host:port"), "{error}");
    }
}
