//! Machine-readable output. The schema, field by field, is docs/FORMATS.md.
//!
//! `--json` writes one [`SearchResults`] object:
//! `{query, total_hits, took_ms, hits: [{rank, id, path, title, score, date, source, place,
//! category, url, snippet: {text, highlights: [{start, end}]}, title_highlights,
//! matched_terms}]}`; `matched_terms` are the words that matched as the article writes them.
//! Highlight offsets count characters (Unicode scalar values) of `snippet.text` (or `title`),
//! not bytes.
//!
//! `--jsonl` writes [`JsonLine`] messages, one JSON object a line, as `rg --json` does: each
//! is `{"type": "begin" | "hit" | "end", "data": {…}}`.
//!
//! - `begin` ([`Begin`]): `{query, corrected, discovered, similar_to}`, before any hit: the
//!   query as given, the words searched instead of unknown ones and the spellings of a name
//!   found in the archive (as in `--json`), and for related
//!   articles the article and the words they were found by.
//! - `hit`: one [`Hit`] (the objects of `--json`'s `hits`), best first.
//! - `end` ([`End`]): `{total_hits, shown, took_ms, facets, histogram}`, after the last hit;
//!   `facets` and `histogram` only when asked for.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::search::{
    Correction, DiscoveredSpelling, FacetCounts, Histogram, Hit, SearchResults, SimilarTo,
};

/// Writes the whole result as one JSON object, followed by a newline.
pub fn write_json(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    write_pretty(out, results)
}

/// Writes any of fahras's results (`stats`, `terms`, `person`, `eval`, aliases) as one
/// indented JSON value followed by a newline: the `--json` of the commands without a schema
/// of their own in this module.
pub fn write_pretty(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// One line of `--jsonl` output.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum JsonLine {
    /// First: what was searched.
    Begin(Begin),
    /// One hit, best first.
    Hit(Box<Hit>),
    /// Last: the counts over all matches.
    End(End),
}

/// The `begin` message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Begin {
    /// The query as given.
    pub query: String,
    /// Words of the query the index does not know, and the words searched instead.
    #[serde(default)]
    pub corrected: Vec<Correction>,
    /// Spellings of a person's name the archive showed to be the same name, also searched.
    #[serde(default)]
    pub discovered: Vec<DiscoveredSpelling>,
    /// The article whose relatives were asked for, and the words they were found by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar_to: Option<SimilarTo>,
}

/// The `end` message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct End {
    /// How many articles match in all.
    pub total_hits: usize,
    /// How many `hit` messages were written.
    pub shown: usize,
    /// Time spent searching and making snippets, in milliseconds.
    pub took_ms: f64,
    /// Counts per value of the requested facets, over all matching articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Vec<FacetCounts>>,
    /// The requested date histogram of all matching articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
}

/// Writes the results as `begin`, one `hit` per hit, and `end` messages, one a line.
pub fn write_json_lines(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    let begin = JsonLine::Begin(Begin {
        query: results.query.clone(),
        corrected: results.corrected.clone(),
        discovered: results.discovered.clone(),
        similar_to: results.similar_to.clone(),
    });
    write_line(out, &begin)?;
    for hit in &results.hits {
        write_line(out, &JsonLine::Hit(Box::new(hit.clone())))?;
    }
    let end = JsonLine::End(End {
        total_hits: results.total_hits,
        shown: results.hits.len(),
        took_ms: results.took_ms,
        facets: results.facets.clone(),
        histogram: results.histogram.clone(),
    });
    write_line(out, &end)
}

fn write_line(out: &mut dyn Write, line: &JsonLine) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    writeln!(out)
}
