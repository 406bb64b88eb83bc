//! `fahras analyze TEXT [--query]`: how the analyzer reads a text, or how a query's words are
//! looked up in the index.

use std::io;
use std::path::Path;

use fahras::FahrasIndex;
use fahras::output::analyze;

use super::Outcome;
use crate::cli::AnalyzeArgs;

/// Runs `fahras analyze`; only `--query` opens the index.
pub fn run(index_dir: &Path, args: AnalyzeArgs) -> anyhow::Result<Outcome> {
    let mut out = io::stdout().lock();
    if args.query {
        let index = FahrasIndex::open(index_dir)?;
        let words = index.analyze_query(&args.text, Default::default())?;
        analyze::write_query_analysis(&mut out, &words)?;
    } else {
        let words = fahras::analysis::analyze_words(&args.text);
        analyze::write_text_analysis(&mut out, &args.text, &words)?;
    }
    Ok(Outcome::Success)
}
