//! `fahras serve`: the search page and the HTTP API.

use std::io::{self, Write};
use std::path::Path;

use fahras::FahrasIndex;

use super::{Outcome, counted};
use crate::cli::ServeArgs;

/// Opens the index, binds the address (loopback only unless `--allow-remote`), says where it
/// serves, and serves until stopped.
pub fn run(index_dir: &Path, args: ServeArgs) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let listener = fahras::serve::bind(&args.addr, args.allow_remote)?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        eprintln!(
            "fahras: warning: serving on {local}, reachable from other machines, without a password"
        );
    }
    let documents = index.reader()?.searcher().num_docs();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "fahras: serving {} ({}) at http://{local}/ (Ctrl-C to stop)",
        index_dir.display(),
        counted(documents, "article")
    )?;
    out.flush()?;
    drop(out);
    fahras::serve::serve(index, listener, args.allow_remote)?;
    Ok(Outcome::Success)
}
