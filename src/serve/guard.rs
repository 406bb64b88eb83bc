//! What every response goes through: the `Host` check that keeps other web sites from reading a
//! loopback server through the visitor's browser (DNS rebinding), and headers that keep
//! browsers from guessing content types or sending the page's address elsewhere.

use axum::Router;
use axum::extract::Request;
use axum::http::header::{HOST, HeaderValue, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// Wraps `routes` in the checks; with `allow_remote`, any `Host` is accepted.
pub(super) fn protect(routes: Router, allow_remote: bool) -> Router {
    routes.layer(middleware::from_fn(move |request: Request, next: Next| {
        guard(request, next, allow_remote)
    }))
}

async fn guard(request: Request, next: Next, allow_remote: bool) -> Response {
    if !allow_remote && !host_is_loopback(request.headers()) {
        return ApiError {
            status: StatusCode::FORBIDDEN,
            message: "this server answers only requests to localhost or 127.0.0.1 (Host header)"
                .into(),
        }
        .into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// True when the request names a loopback host, or none (a client that is not a browser).
fn host_is_loopback(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_str(host).unwrap());
        headers
    }

    #[test]
    fn loopback_hosts_pass_and_others_do_not() {
        for host in [
            "127.0.0.1:7700",
            "localhost:7700",
            "LOCALHOST",
            "[::1]:7700",
            "127.1.2.3",
        ] {
            assert!(host_is_loopback(&with_host(host)), "{host}");
        }
        for host in [
            "evil.example:7700",
            "192.168.1.10:7700",
            "[::2]:7700",
            "localhost.evil.example",
        ] {
            assert!(!host_is_loopback(&with_host(host)), "{host}");
        }
        assert!(host_is_loopback(&HeaderMap::new()));
    }
}
