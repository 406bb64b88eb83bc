//! The integration tests: one test crate (as ripgrep's `tests/`), one module per area, the
//! helpers of all of them in [`util`] (a copy of `data/` to ingest, the binary, Arabic text
//! checks) and [`serve_util`] (a server, an HTTP client, a browser). Run one area with
//! `cargo test --test it cli::`, one test with its name.

mod serve_util;
mod util;

mod cli;
mod crash;
mod encodings;
mod export;
mod incremental;
mod ingest_errors;
mod library;
mod persons;
mod ranking;
mod reliability;
mod serve_api;
mod serve_browser;
mod serve_reliability;
mod topics;
