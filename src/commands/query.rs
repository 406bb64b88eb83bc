//! `fahras query` and `fahras similar`: one request, its hits written in the format asked for.

use std::io::{self, Write};
use std::path::Path;

use fahras::output::{human, ids, json};
use fahras::{FahrasIndex, SearchRequest};

use super::{Outcome, batch, date_range, use_colour};
use crate::cli::{BatchFormat, OutputArgs, QueryArgs, SimilarArgs};

/// `fahras query`: one query, or with `--queries` every query of a file.
pub fn run(index_dir: &Path, args: QueryArgs) -> anyhow::Result<Outcome> {
    let (from, to) = date_range(&args.dates)?;
    let query = args.query_flag.or_positional(args.query);
    let topics = args.topics;
    let request = SearchRequest {
        limit: args.limit,
        offset: args.offset,
        from,
        to,
        snippet_chars: args.output.snippet_chars,
        ranking: args.ranking.unwrap_or_default(),
        sort: topics.sort.into(),
        facets: topics.facets.iter().map(|&f| f.into()).collect(),
        facet_limit: topics.facet_limit,
        histogram: topics.by.map(Into::into),
        similar_to: args.similar_to,
        person: args.person,
        ..SearchRequest::new(query.unwrap_or_default())
    };
    if let Some(file) = args.queries {
        // `--json`/`--jsonl` say the same as `--format json`/`jsonl` (clap refuses both).
        let format = match (args.format, args.output.json, args.output.jsonl) {
            (Some(format), _, _) => format,
            (None, true, _) => BatchFormat::Json,
            (None, _, true) => BatchFormat::Jsonl,
            (None, false, false) => BatchFormat::Trec,
        };
        return batch::run(index_dir, &file, &request, format, args.person_queries);
    }
    search(index_dir, request, &args.output)
}

/// `fahras similar ID`: the articles most like one article.
pub fn similar(index_dir: &Path, args: SimilarArgs) -> anyhow::Result<Outcome> {
    let request = SearchRequest {
        limit: args.limit,
        offset: args.offset,
        snippet_chars: args.output.snippet_chars,
        ..SearchRequest::similar_to(args.id)
    };
    search(index_dir, request, &args.output)
}

/// How `query` and `similar` write their results.
enum Format {
    Human(bool),
    Json,
    JsonLines,
    Ids { terminator: u8 },
    Count,
}

impl Format {
    fn of(output: &OutputArgs) -> Format {
        if output.json {
            Format::Json
        } else if output.jsonl {
            Format::JsonLines
        } else if output.ids {
            Format::Ids {
                terminator: if output.null { 0 } else { b'\n' },
            }
        } else if output.count {
            Format::Count
        } else {
            Format::Human(use_colour(output.color))
        }
    }
}

/// Runs `request` and writes its results as `output` asks.
fn search(
    index_dir: &Path,
    mut request: SearchRequest,
    output: &OutputArgs,
) -> anyhow::Result<Outcome> {
    let format = Format::of(output);
    match format {
        // Ids need no snippets, a count no hits at all.
        Format::Ids { .. } => request.snippet_chars = 0,
        Format::Count => request.limit = 0,
        _ => {}
    }
    let index = FahrasIndex::open(index_dir)?;
    let results = index.search(&request)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        Format::Human(colour) => {
            human::write_corrections(&mut io::stderr().lock(), &results)?;
            human::write_results(&mut out, &results, human::Style::new(colour))?
        }
        Format::Json => json::write_json(&mut out, &results)?,
        Format::JsonLines => json::write_json_lines(&mut out, &results)?,
        Format::Ids { terminator } => ids::write_ids(&mut out, &results.hits, terminator)?,
        Format::Count => writeln!(out, "{}", results.total_hits)?,
    }
    out.flush()?;
    Ok(Outcome::found(results.total_hits as u64))
}
