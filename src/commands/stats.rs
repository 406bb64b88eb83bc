//! `fahras stats`: what the index holds.

use std::io;
use std::path::Path;

use fahras::FahrasIndex;
use fahras::output::{human, json};

use super::Outcome;
use crate::cli::StatsArgs;

/// Runs `fahras stats`.
pub fn run(index_dir: &Path, args: StatsArgs) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let stats = index.stats()?;
    let mut out = io::stdout().lock();
    if args.json {
        json::write_pretty(&mut out, &stats)?;
    } else {
        human::write_stats(&mut out, &stats)?;
    }
    Ok(Outcome::Success)
}
