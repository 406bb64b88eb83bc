//! `fahras eval`: the ranking's scores on a test collection.

use std::io;
use std::path::Path;

use fahras::FahrasIndex;
use fahras::output::{eval, json};

use super::Outcome;
use crate::cli::EvalArgs;

/// Runs `fahras eval`: bad lines of the query file are named and left out.
pub fn run(index_dir: &Path, args: EvalArgs) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let qrels = fahras::search::Qrels::read(&args.qrels)?;
    let read = fahras::search::read_queries_tsv(&args.queries)?;
    for bad in &read.bad_lines {
        eprintln!("fahras: {bad}; left out of the evaluation");
    }
    let searcher = index.reader()?.searcher();
    let scores = fahras::search::evaluate(
        &index,
        &searcher,
        &read.queries,
        &qrels,
        args.ranking.unwrap_or_default(),
    )?;
    let mut out = io::stdout().lock();
    if args.json {
        json::write_pretty(&mut out, &scores)?;
    } else {
        eval::write_scores(&mut out, &scores)?;
    }
    Ok(Outcome::Success)
}
