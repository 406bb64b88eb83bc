//! The search page: one HTML file with its styles and script inside, compiled into the binary,
//! so there is nothing to build or fetch.

use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// The page (`page.html` beside this file).
pub const SEARCH_PAGE: &str = include_str!("page.html");

/// What the page may load: nothing from outside, requests only to this server. Its script and
/// styles are inline; it never inserts article text as HTML.
const POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
     connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `GET /`.
pub(super) async fn search_page() -> Response {
    let mut response = Html(SEARCH_PAGE).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
