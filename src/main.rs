//! The `fahras` command: a thin layer over the library.

mod cli;
mod ingest_command;

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use fahras::export::{ExportFormat, ExportRequest};
use fahras::index::aliases::Aliases;
use fahras::output::{human, ids, json};
use fahras::search::TermsRequest;
use fahras::{FahrasIndex, IngestOptions, SearchRequest};
use time::OffsetDateTime;

/// mimalloc instead of glibc's allocator: glibc kept what each reading and indexing thread
/// freed in per-thread arenas, so a long ingest's resident size grew with the corpus.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cli::{AliasAction, BatchFormat, ColorChoice, Command, ExportFormatArg, Opts, OutputArgs};

/// Exit codes: 0 ok, 1 no hits, 2 usage or input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    NoHits,
    InputError,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Success => 0,
            Outcome::NoHits => 1,
            Outcome::InputError => 2,
        })
    }
}

fn main() -> ExitCode {
    let matches = match Opts::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let args: Vec<String> = std::env::args().collect();
            if error.kind() == clap::error::ErrorKind::UnknownArgument
                && let Some(hint) = excluded_word_hint(&args)
            {
                eprintln!("fahras: {hint}");
                return Outcome::InputError.into();
            }
            error.exit()
        }
    };
    let opts = Opts::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    if let Some(refusal) = cli::ignored_flag(&opts.command, &matches) {
        eprintln!("fahras: {refusal}");
        return Outcome::InputError.into();
    }
    match run(opts) {
        Ok(outcome) => outcome.into(),
        Err(error) => {
            if is_broken_pipe(&error) {
                return Outcome::Success.into();
            }
            eprintln!("fahras: {}", one_line(&error));
            Outcome::InputError.into()
        }
    }
}

/// An error and its causes in one line, each cause once: a cause whose message is already
/// in the line (tantivy's error, quoted by fahras's `index error: …`) is not repeated.
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// For an argument like `-ترامب` (a word to leave out, which clap reads as options): how to
/// write that query.
fn excluded_word_hint(args: &[String]) -> Option<String> {
    let command = Opts::command();
    let subcommand = args.iter().find(|a| {
        command
            .get_subcommands()
            .any(|c| c.get_name() == a.as_str())
    })?;
    let word = args.iter().find_map(|arg| {
        let word = arg.strip_prefix('-')?;
        word.chars().next().filter(|c| !c.is_ascii())?;
        Some(word)
    })?;
    Some(format!(
        "-{word}: read as an option; to search every article without {word}, write \
         `fahras {subcommand} -- '* -{word}'` or `fahras {subcommand} -e '* -{word}'`"
    ))
}

/// A closed stdout (`fahras query … | head -1`): the reader has what it wanted, so the
/// command ends quietly with success, as `rg` does. serde_json's error hides the I/O error
/// from the chain, so it is asked for its kind.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = if let Some(e) = cause.downcast_ref::<io::Error>() {
            Some(e.kind())
        } else if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
            e.io_error_kind()
        } else if let Some(fahras::Error::Io { error, .. }) = cause.downcast_ref::<fahras::Error>()
        {
            Some(error.kind())
        } else {
            None
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(opts: Opts) -> anyhow::Result<Outcome> {
    match opts.command {
        Command::Ingest {
            paths,
            rebuild,
            max_file_size,
            memory_mb,
            threads,
            commit_every,
            follow,
            quiet,
        } => {
            let options = IngestOptions {
                memory_budget_bytes: memory_mb * 1024 * 1024,
                threads,
                commit_every,
                max_file_size,
                rebuild,
                follow_links: follow,
            };
            ingest_command::run(&opts.index, &paths, &options, quiet)
        }
        Command::Query {
            query,
            query_flag,
            queries,
            format: batch_format,
            limit,
            offset,
            from,
            to,
            output,
            topics,
            similar_to,
            person,
            person_queries,
            ranking,
        } => {
            let (from, to) = date_range(from.as_deref(), to.as_deref())?;
            let query = query.or(query_flag);
            let query = match person {
                Some(name) => Some(fahras::search::with_person(
                    query.as_deref().unwrap_or_default(),
                    &name,
                )),
                None => query,
            };
            let request = SearchRequest {
                limit,
                offset,
                from,
                to,
                snippet_chars: output.snippet_chars,
                ranking: ranking.unwrap_or_default(),
                sort: topics.sort.into(),
                facets: topics.facets.iter().map(|&f| f.into()).collect(),
                facet_limit: topics.facet_limit,
                histogram: topics.by.map(Into::into),
                similar_to,
                ..SearchRequest::new(query.unwrap_or_default())
            };
            if let Some(file) = queries {
                // `--json`/`--jsonl` say the same as `--format json`/`jsonl` (clap refuses both).
                let format = match (batch_format, output.json, output.jsonl) {
                    (Some(format), _, _) => format,
                    (None, true, _) => BatchFormat::Json,
                    (None, _, true) => BatchFormat::Jsonl,
                    (None, false, false) => BatchFormat::Trec,
                };
                return batch_query(&opts.index, &file, &request, format, person_queries);
            }
            query_index(&opts.index, request, &output)
        }
        Command::Similar {
            id,
            limit,
            offset,
            output,
        } => {
            let request = SearchRequest {
                limit,
                offset,
                snippet_chars: output.snippet_chars,
                ..SearchRequest::similar_to(id)
            };
            query_index(&opts.index, request, &output)
        }
        Command::Terms {
            query,
            query_flag,
            limit,
            max_docs,
            min_docs,
            from,
            to,
            json,
            color,
        } => {
            let (from, to) = date_range(from.as_deref(), to.as_deref())?;
            let request = TermsRequest {
                limit,
                max_docs,
                min_docs,
                from,
                to,
                ..TermsRequest::new(query.or(query_flag).unwrap_or_default())
            };
            key_terms(&opts.index, &request, json, color)
        }
        Command::Export {
            query,
            query_flag,
            format,
            bulk_index,
            from,
            to,
            mapping,
        } => {
            if mapping.is_some() {
                let mut out = io::stdout().lock();
                serde_json::to_writer_pretty(&mut out, &fahras::export::opensearch_mapping())?;
                writeln!(out)?;
                return Ok(Outcome::Success);
            }
            let (from, to) = date_range(from.as_deref(), to.as_deref())?;
            let format = match format {
                ExportFormatArg::Ndjson => ExportFormat::Ndjson,
                ExportFormatArg::OpensearchBulk => {
                    ExportFormat::OpenSearchBulk { index: bulk_index }
                }
            };
            let request = ExportRequest {
                query: query.or(query_flag),
                from,
                to,
                format,
            };
            let index = FahrasIndex::open(&opts.index)?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            let report = index.export(&request, &mut out)?;
            Ok(if report.articles == 0 {
                Outcome::NoHits
            } else {
                Outcome::Success
            })
        }
        Command::Eval {
            qrels,
            queries,
            ranking,
            json,
        } => {
            let index = FahrasIndex::open(&opts.index)?;
            let qrels = fahras::search::Qrels::read(&qrels)?;
            let read = fahras::search::read_queries_tsv(&queries)?;
            for bad in &read.bad_lines {
                eprintln!("fahras: {bad}; left out of the evaluation");
            }
            let queries = read.queries;
            let searcher = index.reader()?.searcher();
            let scores = fahras::search::evaluate(
                &index,
                &searcher,
                &queries,
                &qrels,
                ranking.unwrap_or_default(),
            )?;
            let mut out = io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &scores)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "MRR@10 {:.4}  nDCG@10 {:.4}  P@10 {:.4}  R@100 {:.4}  ({} judged queries, {} run)",
                    scores.mrr_at_10,
                    scores.ndcg_at_10,
                    scores.p_at_10,
                    scores.recall_at_100,
                    scores.queries,
                    scores.queries_run
                )?;
            }
            Ok(Outcome::Success)
        }
        Command::Person { name, json } => {
            let index = FahrasIndex::open(&opts.index)?;
            let card = index.person_card(&name)?;
            let mut out = io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &card)?;
                writeln!(out)?;
            } else {
                fahras::output::person_card::write_person_card(&mut out, &card)?;
            }
            Ok(if card.articles == 0 {
                Outcome::NoHits
            } else {
                Outcome::Success
            })
        }
        Command::Stats { json } => {
            let index = FahrasIndex::open(&opts.index)?;
            let stats = index.stats()?;
            let mut out = io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &stats)?;
                writeln!(out)?;
            } else {
                human::write_stats(&mut out, &stats)?;
            }
            Ok(Outcome::Success)
        }
        Command::Aliases { action } => aliases(&opts.index, action),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when it cannot write (a closed pipe).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Opts::command(), "fahras", &mut script);
            let mut out = io::stdout().lock();
            out.write_all(&script)?;
            out.flush()?;
            Ok(Outcome::Success)
        }
        Command::Man => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Opts::command()).render(&mut out)?;
            out.flush()?;
            Ok(Outcome::Success)
        }
        Command::Serve { addr, allow_remote } => serve(&opts.index, &addr, allow_remote),
        Command::Analyze { text, query: true } => {
            let index = FahrasIndex::open(&opts.index)?;
            let words = index.analyze_query(&text, Default::default())?;
            let mut out = io::stdout().lock();
            writeln!(out, "role\texact\tstems looked up")?;
            for word in &words.words {
                let role = if word.alone { "word" } else { "in phrase" };
                writeln!(out, "{role}\t{}\t{}", word.exact, word.stems.join(" | "))?;
            }
            for correction in &words.corrections {
                writeln!(
                    out,
                    "corrected: {} -> {} (the index does not know {})",
                    correction.typed, correction.corrected, correction.typed
                )?;
            }
            if !words.dropped_stop_words.is_empty() {
                writeln!(
                    out,
                    "stop words dropped: {}",
                    words.dropped_stop_words.join(" ")
                )?;
            }
            Ok(Outcome::Success)
        }
        Command::Analyze { text, query: false } => {
            let mut out = io::stdout().lock();
            writeln!(out, "position\tchars\twritten\texact\tstemmed")?;
            for word in fahras::analysis::analyze_words(&text) {
                let chars_before = text[..word.start].chars().count();
                let len = text[word.start..word.end].chars().count();
                writeln!(
                    out,
                    "{}\t{}..{}\t{}\t{}\t{}",
                    word.position,
                    chars_before,
                    chars_before + len,
                    &text[word.start..word.end],
                    word.exact,
                    word.stems.join(" | ")
                )?;
            }
            Ok(Outcome::Success)
        }
    }
}

fn aliases(index_dir: &Path, action: AliasAction) -> anyhow::Result<Outcome> {
    // Opening the index checks it is one (aliases beside a typo'd folder would be lost).
    FahrasIndex::open(index_dir)?;
    let mut aliases = Aliases::load(index_dir)?;
    let mut out = io::stdout().lock();
    match action {
        AliasAction::Add { spellings } => {
            if aliases.add(&spellings)? {
                aliases.save(index_dir)?;
            }
            if let Some(group) = aliases.group_of(&spellings[0]) {
                writeln!(out, "{}", group.join("\t"))?;
            }
        }
        AliasAction::Remove { spelling } => {
            if !aliases.remove(&spelling) {
                anyhow::bail!(
                    "`{spelling}` is not an alias in {}; `fahras aliases list` shows them",
                    Aliases::path(index_dir).display()
                );
            }
            aliases.save(index_dir)?;
        }
        AliasAction::Suggest {
            name,
            all,
            min_articles,
            limit,
            json,
        } => {
            let index = FahrasIndex::open(index_dir)?;
            let suggestions = match name {
                Some(name) if !all => index.suggest_aliases(&name)?,
                _ => index.suggest_all_aliases(min_articles, limit)?,
            };
            fahras::output::aliases::write_alias_suggestions(&mut out, &suggestions, json)?;
            if suggestions.is_empty() {
                return Ok(Outcome::NoHits);
            }
        }
        AliasAction::List { json } => {
            if json {
                serde_json::to_writer_pretty(&mut out, &aliases)?;
                writeln!(out)?;
            } else {
                for group in &aliases.aliases {
                    writeln!(out, "{}", group.join("\t"))?;
                }
            }
        }
    }
    Ok(Outcome::Success)
}

fn serve(index_dir: &Path, addr: &str, allow_remote: bool) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let listener = fahras::serve::bind(addr, allow_remote)?;
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
    fahras::serve::serve(index, listener, allow_remote)?;
    Ok(Outcome::Success)
}

/// `1 article`, `2 articles`.
pub(crate) fn counted(n: u64, noun: &str) -> String {
    match (n, noun.split_once(' ')) {
        (1, _) => format!("1 {noun}"),
        (_, Some((head, tail))) => format!("{n} {head}s {tail}"),
        (_, None) => format!("{n} {noun}s"),
    }
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

fn query_index(
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
    Ok(if results.total_hits == 0 {
        Outcome::NoHits
    } else {
        Outcome::Success
    })
}

fn key_terms(
    index_dir: &Path,
    request: &TermsRequest,
    json: bool,
    color: ColorChoice,
) -> anyhow::Result<Outcome> {
    let index = FahrasIndex::open(index_dir)?;
    let key_terms = index.key_terms(request)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &key_terms)?;
        writeln!(out)?;
    } else {
        let style = human::Style::new(use_colour(color));
        fahras::output::topics::write_key_terms(&mut out, &key_terms, style)?;
    }
    out.flush()?;
    Ok(if key_terms.total_hits == 0 {
        Outcome::NoHits
    } else {
        Outcome::Success
    })
}

/// One query's results in batch JSON output.
#[derive(serde::Serialize)]
struct BatchResult<'a> {
    qid: &'a str,
    #[serde(flatten)]
    results: &'a fahras::SearchResults,
}

fn batch_query(
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
            query: if person_queries {
                fahras::search::with_person("", &query.text)
            } else {
                fahras::search::plain_words_query(&query.text)
            },
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
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
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

fn use_colour(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Parses the `--from` and `--to` values (a range that ends before it starts is refused).
fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<(Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    Ok(fahras::search::date_range(("--from", from), ("--to", to))?)
}
