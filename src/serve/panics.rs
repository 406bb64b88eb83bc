//! A request that panics (a bug) is answered `500` and logged on one line; the server goes on
//! serving the others.
//!
//! Without this, a panic in a handler ended the connection's task: the client got no answer,
//! and stderr the multi-line default panic report.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Once;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::error::panic_message;

/// Middleware: runs the rest of the stack, answering `500` if it panics.
pub(super) async fn answer_panics(request: Request, next: Next) -> Response {
    let what = format!("{} {}", request.method(), request.uri().path());
    match CatchPanic(Box::pin(next.run(request))).await {
        Ok(response) => response,
        Err(()) => ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!(
                "internal error while answering {what}; the server logged it and goes on"
            ),
        }
        .into_response(),
    }
}

/// Makes every panic of the process print one line, `fahras serve: internal error: …`, and
/// not the default report (several lines, a backtrace hint). Set once, when serving starts.
pub(super) fn log_panics_on_one_line() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let message = panic_message(info.payload()).replace(['\n', '\r'], " ");
            eprintln!(
                "fahras serve: internal error (a bug, please report it): {message}{location}"
            );
        }));
    });
}

/// A future whose panic, while polled, becomes `Err(())` (the hook has logged it).
struct CatchPanic<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(Err(())),
        }
    }
}
