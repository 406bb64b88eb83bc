//! Machine-readable output.
//!
//! `--json` writes one [`SearchResults`] object:
//! `{query, total_hits, took_ms, hits: [{rank, id, path, title, score, date, source, place,
//! category, url, snippet: {text, highlights: [{start, end}]}, title_highlights,
//! matched_terms}]}`; `matched_terms` are the words that matched as the article writes them.
//! Highlight offsets count characters (Unicode scalar values) of `snippet.text` (or `title`),
//! not bytes. `--jsonl` writes one [`Hit`] object per line, best first.

use std::io::{self, Write};

use crate::search::{Hit, SearchResults};

/// Writes the whole result as one JSON object, followed by a newline.
pub fn write_json(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, results)?;
    writeln!(out)
}

/// Writes one JSON object per hit, one per line.
pub fn write_json_lines(out: &mut dyn Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}
