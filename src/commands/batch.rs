//! `fahras query --queries FILE`: every query of a `qid<TAB>query` file, as a TREC run or
//! JSON.

use std::io::{self, Write};
use std::path::Path;

use fahras::{FahrasIndex, SearchRequest};

use super::Outcome;
use crate::cli::BatchFormat;

/// One query's results in batch JSON output.
#[derive(serde::Serialize)]
struct BatchResult<'a> {
    qid: &'a str,
    #[serde(flatten)]
    results: &'a fahras::SearchResults,
}

/// Runs each query of `file` with the options of `template`. A bad line or a query that
/// cannot run is named on stderr and left out (exit code 2 at the end), the rest run.
pub fn run(
    index_dir: &Path,
    file: &Path,
    template: &SearchRequest,
    format: BatchFormat,
    person_queries: bool,
) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let read = fahras::search::read_queries_tsv(file)?;
    // A line that is no `qid<TAB>query` is named and left out, like a query that cannot run.
    for bad in &read.bad_lines {
        eprintln!("fahras: {bad}; left out of the run");
    }
    let searcher = index.reader()?.searcher();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut all = Vec::new();
    let mut any_hits = false;
    let mut skipped = !read.bad_lines.is_empty();
    for query in &read.queries {
        let request = SearchRequest {
            // a person's name is searched as `--person` takes it
            query: if person_queries {
                String::new()
            } else {
                fahras::search::plain_words_query(&query.text)
            },
            person: person_queries.then(|| query.text.clone()),
            snippet_chars: match format {
                BatchFormat::Trec => 0,
                _ => template.snippet_chars,
            },
            ..template.clone()
        };
        // One bad question does not cost the run: it is named and left out of it.
        let mut results = match index.search_with(&searcher, &request) {
            Ok(results) => results,
            Err(error) => {
                let Some(problem) = error.query_problem() else {
                    return Err(error.into());
                };
                eprintln!(
                    "fahras: {}: query {}: {problem}; left out of the run",
                    file.display(),
                    query.qid
                );
                skipped = true;
                continue;
            }
        };
        results.query.clone_from(&query.text);
        any_hits |= results.total_hits > 0;
        match format {
            BatchFormat::Trec => {
                fahras::output::trec::write_trec_run(&mut out, &query.qid, &results.hits, "fahras")?
            }
            BatchFormat::Jsonl => {
                let line = BatchResult {
                    qid: &query.qid,
                    results: &results,
                };
                serde_json::to_writer(&mut out, &line)?;
                writeln!(out)?;
            }
            BatchFormat::Json => all.push((query.qid.as_str(), results)),
        }
    }
    if format == BatchFormat::Json {
        let items: Vec<BatchResult> = all
            .iter()
            .map(|(qid, results)| BatchResult { qid, results })
            .collect();
        fahras::output::json::write_pretty(&mut out, &items)?;
    }
    out.flush()?;
    Ok(if skipped {
        Outcome::InputError
    } else if any_hits {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
}
