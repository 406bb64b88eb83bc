//! `fahras terms`: the words that stand out in a query's articles.

use std::io::{self, Write};
use std::path::Path;

use fahras::FahrasIndex;
use fahras::output::{human, json, topics};
use fahras::search::TermsRequest;

use super::{Outcome, date_range, use_colour};
use crate::cli::TermsArgs;

/// Runs `fahras terms`.
pub fn run(index_dir: &Path, args: TermsArgs) -> anyhow::Result<Outcome> {
    let (from, to) = date_range(&args.dates)?;
    let request = TermsRequest {
        limit: args.limit,
        max_docs: args.max_docs,
        min_docs: args.min_docs,
        from,
        to,
        ..TermsRequest::new(
            args.query_flag
                .or_positional(args.query)
                .unwrap_or_default(),
        )
    };
    let index = FahrasIndex::open(index_dir)?;
    let key_terms = index.key_terms(&request)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        json::write_pretty(&mut out, &key_terms)?;
    } else {
        let style = human::Style::new(use_colour(args.color));
        topics::write_key_terms(&mut out, &key_terms, style)?;
    }
    out.flush()?;
    Ok(Outcome::found(key_terms.total_hits as u64))
}
