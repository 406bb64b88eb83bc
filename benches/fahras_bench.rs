//! The fahras benchmark: ingest speed, peak memory, index size, query latency and CLI start,
//! against tantivy with its default tokenizer on the same articles, in one run.
//!
//! ```text
//! cargo bench --bench fahras_bench -- [--corpus DIR]... [--runs N] [--query-repeats N]
//!                                     [--threads N] [--memory-mb N] [--peers results.jsonl]
//!                                     [--json OUT.json]
//! cargo bench --bench fahras_bench -- repeat SRC OUT COPIES   # SRC copied COPIES times, ids made distinct
//! cargo bench --bench fahras_bench -- plain SRC OUT           # one .txt per article (title, body) for the peers
//! cargo bench --bench fahras_bench -- queries INDEX [--passes N] [--snippet-chars N] [--dump] [--times]
//! ```
//!
//! `queries` runs the query mix on an index already built, in this process, with nothing
//! else timed (for `valgrind --tool=callgrind`); `--dump` prints every hit (id, score,
//! snippet) instead, to check that a change keeps the results byte-identical.
//!
//! Without `--corpus` it uses `../shared/corpus/ant-jawharafm` beside the repository when it
//! is there (not shipped), else the sample articles in `data/`. `benches/run.sh` drives the
//! whole comparison (a 10× corpus, the peers of `../shared/peers`, the table).
//!
//! How each figure is taken:
//! - ingest: a child process (this binary again) indexes the corpus into a new folder and
//!   reports its wall time and peak RSS (`VmHWM`); after one untimed ingest of each, fahras
//!   and the baseline alternate, and the median of `--runs` is reported. Both walk, read and parse the files with fahras's corpus
//!   reader on `--threads` threads, and index with the same number of tantivy threads and the
//!   same writer heap (three quarters of `--memory-mb`, as `fahras ingest` does).
//! - the baseline: fields `title` and `body`, tokenizer `default` (SimpleTokenizer,
//!   RemoveLong, LowerCaser), positions, stored; queries through tantivy's `QueryParser` on
//!   both fields (OR), `TopDocs` 10, each hit's document read, and with snippets tantivy's
//!   `SnippetGenerator` on the body of each of the 10 hits.
//! - queries: in this process, one reader opened once, the mix in [`QUERIES`]; a warm-up
//!   pass, then `--query-repeats` passes, fahras and baseline, with and without snippets,
//!   interleaved query by query. p50/p99 are nearest-rank over every timed query.
//! - CLI start: `fahras query WORD` as a new process on the index just built, to the first
//!   byte of its output (warm page cache), fastest, median and p90 of 20 starts.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use fahras::corpus::{find_article_files, read_article_file};
use fahras::{FahrasIndex, IngestOptions, SearchRequest};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, STORED, Schema, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, doc};

/// The allocator the `fahras` binary uses (src/main.rs), so in-process figures are the
/// binary's; the baseline runs with it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The query mix: (kind, query as typed to fahras and tantivy's query parser).
const QUERIES: [(&str, &str); 12] = [
    ("word", "الترجي"),
    ("word", "الإرهاب"),
    ("word", "فيروس"),
    ("frequent word", "تونس"),
    ("rare word", "لافروف"),
    ("two-word name", "يوسف الشاهد"),
    ("two-word name", "راشد الغنوشي"),
    ("two-word name", "النجم الساحلي"),
    ("two-word name", "نبيل القروي"),
    ("phrase", "\"وزير الخارجية\""),
    ("phrase", "\"البنك المركزي\""),
    ("phrase", "\"كرة القدم\""),
];

/// Queries timed for the CLI start.
const CLI_QUERIES: [&str; 2] = ["لافروف", "تونس"];
const CLI_STARTS: usize = 20;
const SNIPPET_CHARS: usize = 200;

#[derive(Parser)]
#[command(about = "fahras benchmark (see benches/fahras_bench.rs)")]
struct Args {
    #[command(subcommand)]
    task: Option<Task>,
    /// Corpus folders to benchmark, in order (default: ../shared/corpus/ant-jawharafm, else data/).
    #[arg(long)]
    corpus: Vec<PathBuf>,
    /// Ingest runs per engine and corpus (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Timed passes over the query mix.
    #[arg(long, default_value_t = 20)]
    query_repeats: usize,
    /// Reading and indexing threads (0: one per core, at most 4, as `fahras ingest`).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Memory budget of the ingest, as `fahras ingest --memory-mb`.
    #[arg(long, default_value_t = 256)]
    memory_mb: usize,
    /// results.jsonl of `../shared/peers/run_all.sh` on the first corpus, added to the table.
    #[arg(long)]
    peers: Option<PathBuf>,
    /// Where to write every figure as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Where the indexes are built (default: a new folder under the system temp folder).
    #[arg(long)]
    work: Option<PathBuf>,
    /// Skip the tantivy default-tokenizer baseline.
    #[arg(long)]
    no_baseline: bool,
    /// Passed by `cargo bench`.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Subcommand)]
enum Task {
    /// Copies SRC into OUT COPIES times (OUT/r1, OUT/r2, …), DOCNOs made distinct.
    Repeat {
        src: PathBuf,
        out: PathBuf,
        copies: usize,
    },
    /// Writes every article of SRC as OUT/ID.txt: title line, then body (the peers' input).
    Plain { src: PathBuf, out: PathBuf },
    /// Runs the query mix on the fahras index INDEX: a warm-up pass, then PASSES passes.
    Queries {
        index: PathBuf,
        #[arg(long, default_value_t = 1)]
        passes: usize,
        #[arg(long, default_value_t = SNIPPET_CHARS)]
        snippet_chars: usize,
        /// Print every hit of one pass (id, score, snippet, title highlights) instead.
        #[arg(long)]
        dump: bool,
        /// Only the queries of the mix whose text contains this.
        #[arg(long)]
        only: Option<String>,
        /// Print each query's fastest and median time over the passes (the mix interleaved,
        /// as the benchmark runs it, without the baseline).
        #[arg(long, conflicts_with = "dump")]
        times: bool,
    },
    /// (internal) One ingest, in a child process: prints its figures as JSON.
    #[command(hide = true)]
    Ingest {
        engine: Engine,
        corpus: PathBuf,
        index: PathBuf,
        threads: usize,
        memory_mb: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, Serialize)]
enum Engine {
    Fahras,
    Tantivy,
}

fn main() -> Result<()> {
    let args = Args::parse();
    match &args.task {
        Some(Task::Repeat { src, out, copies }) => repeat_corpus(src, out, *copies),
        Some(Task::Plain { src, out }) => plain_corpus(src, out),
        Some(Task::Queries {
            index,
            passes,
            snippet_chars,
            dump,
            only,
            times,
        }) => run_queries(
            index,
            *passes,
            *snippet_chars,
            *dump,
            only.as_deref(),
            *times,
        ),
        Some(Task::Ingest {
            engine,
            corpus,
            index,
            threads,
            memory_mb,
        }) => {
            let setup = IngestSetup {
                corpus: corpus.clone(),
                threads: *threads,
                memory_mb: *memory_mb,
            };
            let figures = ingest_once(*engine, index, &setup)?;
            println!("{}", serde_json::to_string(&figures)?);
            Ok(())
        }
        None => bench(&args),
    }
}

// ---------------------------------------------------------------- corpus preparation

fn repeat_corpus(src: &Path, out: &Path, copies: usize) -> Result<()> {
    let mut files = 0;
    for copy in 1..=copies {
        for found in find_article_files(src) {
            let found = found?;
            let bytes = std::fs::read(&found.path)?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.replace("</DOCNO>", &format!("-r{copy}</DOCNO>"));
            let target = out.join(format!("r{copy}")).join(&found.relative);
            std::fs::create_dir_all(target.parent().expect("a file has a folder"))?;
            std::fs::write(&target, text)?;
            files += 1;
        }
    }
    eprintln!("{files} files written under {}", out.display());
    Ok(())
}

fn plain_corpus(src: &Path, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let mut articles = 0;
    for found in find_article_files(src) {
        let found = found?;
        let Ok(parsed) = read_article_file(&found.path, &found.relative) else {
            continue;
        };
        for article in parsed.articles {
            let name = article.id.replace(['/', '#', '\\'], "_");
            let title = article.title.replace('\n', " ");
            std::fs::write(
                out.join(format!("{name}.txt")),
                format!("{title}\n{}\n", article.body),
            )?;
            articles += 1;
        }
    }
    eprintln!("{articles} articles written under {}", out.display());
    Ok(())
}

/// The query mix on an index already built: `passes` passes after a warm-up, or one pass
/// printed hit by hit.
fn run_queries(
    index: &Path,
    passes: usize,
    snippet_chars: usize,
    dump: bool,
    only: Option<&str>,
    times: bool,
) -> Result<()> {
    let queries: Vec<&str> = QUERIES
        .iter()
        .map(|(_, q)| *q)
        .filter(|q| only.is_none_or(|only| q.contains(only)))
        .collect();
    let fahras = FahrasIndex::open(index)?;
    let searcher = fahras.reader()?.searcher();
    let search = |query: &str| {
        let mut request = SearchRequest::new(query);
        request.snippet_chars = snippet_chars;
        fahras.search_with(&searcher, &request)
    };
    if dump {
        let mut out = std::io::stdout().lock();
        for &query in &queries {
            let results = search(query)?;
            writeln!(out, "## {query}: {} hits", results.total_hits)?;
            for hit in results.hits {
                writeln!(
                    out,
                    "{} {} {:?} {:?} {:?}",
                    hit.id, hit.score, hit.snippet, hit.title_highlights, hit.matched_terms
                )?;
            }
        }
        return Ok(());
    }
    let mut took: Vec<Vec<f64>> = vec![Vec::new(); queries.len()];
    for pass in 0..=passes {
        for (q, &query) in queries.iter().enumerate() {
            let started = Instant::now();
            std::hint::black_box(search(query)?);
            if pass > 0 {
                took[q].push(ms(started.elapsed()));
            }
        }
    }
    if times {
        for (query, mut values) in queries.iter().zip(took) {
            values.sort_by(f64::total_cmp);
            let fastest = values.first().copied().unwrap_or(f64::NAN);
            let median = nearest_rank(&values, 0.50);
            println!("{query}: fastest {fastest:.3} ms, median {median:.3} ms");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- ingest (child process)

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
struct IngestFigures {
    seconds: f64,
    /// User and system CPU time of the whole child process.
    cpu_seconds: f64,
    articles: u64,
    peak_rss_bytes: u64,
}

fn resolve_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        n => n,
    }
}

/// One ingest of `corpus` into a new index at `index`, timed, with this process's peak RSS.
fn ingest_once(engine: Engine, index: &Path, setup: &IngestSetup) -> Result<IngestFigures> {
    let started = Instant::now();
    let IngestSetup {
        corpus,
        threads,
        memory_mb,
    } = setup;
    let articles = match engine {
        Engine::Fahras => ingest_fahras(corpus, index, *threads, *memory_mb)?,
        Engine::Tantivy => ingest_tantivy(corpus, index, resolve_threads(*threads), *memory_mb)?,
    };
    Ok(IngestFigures {
        seconds: started.elapsed().as_secs_f64(),
        cpu_seconds: cpu_seconds()?,
        articles,
        peak_rss_bytes: peak_rss()?,
    })
}

fn ingest_fahras(corpus: &Path, index: &Path, threads: usize, memory_mb: usize) -> Result<u64> {
    let fahras = FahrasIndex::open_or_create(index)?;
    let options = IngestOptions {
        threads,
        memory_budget_bytes: memory_mb * 1024 * 1024,
        ..IngestOptions::default()
    };
    let report = fahras.ingest(corpus, &options, &mut |skip| eprintln!("{}", skip.reason))?;
    Ok(report.articles_indexed)
}

struct BaselineFields {
    id: Field,
    title: Field,
    body: Field,
}

fn baseline_schema() -> (Schema, BaselineFields) {
    let mut builder = Schema::builder();
    let fields = BaselineFields {
        id: builder.add_text_field("id", tantivy::schema::STRING | STORED),
        title: builder.add_text_field("title", TEXT | STORED),
        body: builder.add_text_field("body", TEXT | STORED),
    };
    (builder.build(), fields)
}

/// The baseline's ingest: fahras's corpus reader on `threads` threads feeding one tantivy
/// writer with as many indexing threads.
fn ingest_tantivy(corpus: &Path, index: &Path, threads: usize, memory_mb: usize) -> Result<u64> {
    std::fs::create_dir_all(index)?;
    let (schema, fields) = baseline_schema();
    let tantivy_index = Index::create_in_dir(index, schema)?;
    let heap = (memory_mb * 1024 * 1024 / 4 * 3).max(threads * 15_000_000);
    let writer: IndexWriter = tantivy_index.writer_with_num_threads(threads, heap)?;
    let files: Vec<_> = find_article_files(corpus).collect::<std::result::Result<_, _>>()?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let articles = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(found) = files.get(n) else {
                            return Ok(());
                        };
                        let Ok(parsed) = read_article_file(&found.path, &found.relative) else {
                            continue;
                        };
                        for article in parsed.articles {
                            writer.add_document(doc!(
                                fields.id => article.id,
                                fields.title => article.title,
                                fields.body => article.body,
                            ))?;
                            articles.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("reader thread panicked")?;
        }
        Ok(())
    })?;
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(articles.into_inner())
}

/// This process's user and system CPU time so far (from `/proc/self/stat`, in clock ticks of
/// 10 ms, Linux's USER_HZ).
fn cpu_seconds() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // fields after the command name, which is in parentheses: state is field 3, utime 14
    let after_name = &stat[stat
        .rfind(')')
        .context("no command name in /proc/self/stat")?
        + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    Ok(ticks as f64 / 100.0)
}

/// This process's peak resident set size.
fn peak_rss() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .context("no VmHWM in /proc/self/status")?;
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .context("VmHWM without a value")?
        .parse()?;
    Ok(kb * 1024)
}

// ---------------------------------------------------------------- the benchmark

#[derive(Debug, Default, Serialize)]
struct Report {
    started_utc: String,
    load_average_before: String,
    load_average_after: String,
    threads: usize,
    memory_mb: usize,
    runs: usize,
    query_repeats: usize,
    corpora: Vec<CorpusReport>,
    peers: Vec<serde_json::Value>,
}

#[derive(Debug, Default, Serialize)]
struct CorpusReport {
    corpus: PathBuf,
    files: u64,
    corpus_bytes: u64,
    engines: Vec<EngineReport>,
    cli_start: Vec<CliStart>,
}

#[derive(Debug, Serialize)]
struct EngineReport {
    engine: Engine,
    articles: u64,
    ingest_seconds: Vec<f64>,
    ingest_seconds_median: f64,
    ingest_cpu_seconds_median: f64,
    peak_rss_bytes_median: u64,
    peak_rss_bytes_max: u64,
    index_bytes: u64,
    latency_ms: BTreeMap<&'static str, Latency>,
}

#[derive(Debug, Clone, Serialize)]
struct Latency {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

#[derive(Debug, Serialize)]
struct CliStart {
    query: String,
    runs: usize,
    min_ms: f64,
    p50_ms: f64,
    p90_ms: f64,
}

fn bench(args: &Args) -> Result<()> {
    let corpora = if args.corpus.is_empty() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ant-jawharafm");
        if shared.is_dir() {
            vec![shared]
        } else {
            vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("data")]
        }
    } else {
        args.corpus.clone()
    };
    let (work, _temp) = match &args.work {
        Some(work) => (work.clone(), None),
        None => {
            let temp = std::env::temp_dir().join(format!("fahras-bench-{}", std::process::id()));
            (temp.clone(), Some(RemoveOnDrop(temp)))
        }
    };
    std::fs::create_dir_all(&work)?;
    let threads = resolve_threads(args.threads);
    let mut report = Report {
        started_utc: utc_now(),
        load_average_before: load_average(),
        threads,
        memory_mb: args.memory_mb,
        runs: args.runs.max(1),
        query_repeats: args.query_repeats.max(1),
        ..Report::default()
    };
    let engines: &[Engine] = if args.no_baseline {
        &[Engine::Fahras]
    } else {
        &[Engine::Fahras, Engine::Tantivy]
    };
    for (number, corpus) in corpora.iter().enumerate() {
        eprintln!("== corpus {}", corpus.display());
        let (files, corpus_bytes) = corpus_size(corpus)?;
        let setup = IngestSetup {
            corpus: corpus.clone(),
            threads,
            memory_mb: args.memory_mb,
        };
        // One untimed ingest of each engine first: the first ingest after the previous work
        // (the peers, the other corpus's queries) paid for it in system time (0.47 s of
        // system CPU instead of 0.15 for the 10,161 articles, whichever engine ran first),
        // and fahras always ran first.
        for &engine in engines {
            let index = work.join(format!("c{number}-{engine:?}-warm-up"));
            let _ = std::fs::remove_dir_all(&index);
            let figures = ingest_in_child(engine, &index, &setup)?;
            eprintln!(
                "   ingest {engine:?} warm-up (not counted): {:.2} s ({:.2} s CPU)",
                figures.seconds, figures.cpu_seconds
            );
            std::fs::remove_dir_all(&index)?;
        }
        let mut seconds: BTreeMap<Engine, Vec<IngestFigures>> = BTreeMap::new();
        let mut last_index = BTreeMap::new();
        for run in 0..report.runs {
            for &engine in engines {
                let index = work.join(format!("c{number}-{engine:?}-{run}"));
                let _ = std::fs::remove_dir_all(&index);
                let figures = ingest_in_child(engine, &index, &setup)?;
                eprintln!(
                    "   ingest {engine:?} run {}: {:.2} s ({:.2} s CPU), {} articles, peak RSS {:.0} MiB",
                    run + 1,
                    figures.seconds,
                    figures.cpu_seconds,
                    figures.articles,
                    figures.peak_rss_bytes as f64 / 1048576.0
                );
                seconds.entry(engine).or_default().push(figures);
                if let Some(previous) = last_index.insert(engine, index) {
                    std::fs::remove_dir_all(previous)?;
                }
            }
        }
        let latencies = query_latencies(&last_index, report.query_repeats)?;
        let mut corpus_report = CorpusReport {
            corpus: corpus.clone(),
            files,
            corpus_bytes,
            ..CorpusReport::default()
        };
        for &engine in engines {
            let runs = &seconds[&engine];
            let mut secs: Vec<f64> = runs.iter().map(|f| f.seconds).collect();
            let mut cpu: Vec<f64> = runs.iter().map(|f| f.cpu_seconds).collect();
            let mut rss: Vec<u64> = runs.iter().map(|f| f.peak_rss_bytes).collect();
            corpus_report.engines.push(EngineReport {
                engine,
                articles: runs[0].articles,
                ingest_seconds: secs.clone(),
                ingest_seconds_median: median_f64(&mut secs),
                ingest_cpu_seconds_median: median_f64(&mut cpu),
                peak_rss_bytes_median: median_u64(&mut rss),
                peak_rss_bytes_max: rss.iter().copied().max().unwrap_or(0),
                index_bytes: folder_size(&last_index[&engine])?,
                latency_ms: latencies[&engine].clone(),
            });
        }
        corpus_report.cli_start = cli_start(&last_index[&Engine::Fahras])?;
        report.corpora.push(corpus_report);
        for index in last_index.values() {
            std::fs::remove_dir_all(index)?;
        }
    }
    if let Some(peers) = &args.peers {
        let text = std::fs::read_to_string(peers)
            .with_context(|| format!("reading {}", peers.display()))?;
        for line in text.lines().filter(|l| l.trim_start().starts_with('{')) {
            report.peers.push(serde_json::from_str(line)?);
        }
    }
    report.load_average_after = load_average();
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    print_tables(&report);
    Ok(())
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What every ingest of one corpus shares.
struct IngestSetup {
    corpus: PathBuf,
    threads: usize,
    memory_mb: usize,
}

fn ingest_in_child(engine: Engine, index: &Path, setup: &IngestSetup) -> Result<IngestFigures> {
    let engine_name = match engine {
        Engine::Fahras => "fahras",
        Engine::Tantivy => "tantivy",
    };
    let output = Command::new(std::env::current_exe()?)
        .arg("ingest")
        .arg(engine_name)
        .arg(&setup.corpus)
        .arg(index)
        .arg(setup.threads.to_string())
        .arg(setup.memory_mb.to_string())
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        bail!("the {engine_name} ingest failed: {}", output.status);
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// Every query of the mix through both engines, with and without snippets, interleaved.
fn query_latencies(
    indexes: &BTreeMap<Engine, PathBuf>,
    repeats: usize,
) -> Result<BTreeMap<Engine, BTreeMap<&'static str, Latency>>> {
    let fahras = FahrasIndex::open(&indexes[&Engine::Fahras])?;
    let fahras_searcher = fahras.reader()?.searcher();
    let baseline = match indexes.get(&Engine::Tantivy) {
        Some(path) => Some(Baseline::open(path)?),
        None => None,
    };
    let mut samples: BTreeMap<(Engine, &'static str), Vec<f64>> = BTreeMap::new();
    // with 10 snippets, per query: which queries the p50 falls on
    let mut by_query: BTreeMap<(&'static str, Engine), Vec<f64>> = BTreeMap::new();
    for pass in 0..=repeats {
        for (_, query) in QUERIES {
            for (mode, snippet_chars) in [("10 snippets", SNIPPET_CHARS), ("no snippets", 0)] {
                let mut time = |engine, search: &mut dyn FnMut() -> Result<()>| {
                    let started = Instant::now();
                    search()?;
                    if pass > 0 {
                        let elapsed = ms(started.elapsed());
                        samples.entry((engine, mode)).or_default().push(elapsed);
                        if snippet_chars > 0 {
                            by_query.entry((query, engine)).or_default().push(elapsed);
                        }
                    }
                    anyhow::Ok(())
                };
                let mut request = SearchRequest::new(query);
                request.snippet_chars = snippet_chars;
                time(Engine::Fahras, &mut || {
                    std::hint::black_box(fahras.search_with(&fahras_searcher, &request)?);
                    Ok(())
                })?;
                if let Some(baseline) = &baseline {
                    time(Engine::Tantivy, &mut || {
                        std::hint::black_box(baseline.search(query, snippet_chars > 0)?);
                        Ok(())
                    })?;
                }
            }
        }
    }
    eprintln!("   per query, 10 snippets, ms (fastest / median / slowest of {repeats}):");
    for ((query, engine), mut values) in by_query {
        values.sort_by(f64::total_cmp);
        eprintln!(
            "     {engine:?} {query}: {:.3} / {:.3} / {:.3}",
            values[0],
            nearest_rank(&values, 0.50),
            values[values.len() - 1]
        );
    }
    let mut out: BTreeMap<Engine, BTreeMap<&'static str, Latency>> = BTreeMap::new();
    for ((engine, mode), mut values) in samples {
        values.sort_by(f64::total_cmp);
        out.entry(engine).or_default().insert(
            mode,
            Latency {
                n: values.len(),
                p50: nearest_rank(&values, 0.50),
                p99: nearest_rank(&values, 0.99),
                max: *values.last().unwrap_or(&0.0),
            },
        );
    }
    Ok(out)
}

struct Baseline {
    searcher: tantivy::Searcher,
    parser: QueryParser,
    fields: BaselineFields,
}

impl Baseline {
    fn open(path: &Path) -> Result<Baseline> {
        let index = Index::open_in_dir(path)?;
        let (_, fields) = baseline_schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let reader: tantivy::IndexReader = reader;
        let parser = QueryParser::for_index(&index, vec![fields.title, fields.body]);
        Ok(Baseline {
            searcher: reader.searcher(),
            parser,
            fields,
        })
    }

    /// The 10 best hits: their ids, titles, and body snippets when asked.
    fn search(&self, query: &str, snippets: bool) -> Result<Vec<(String, String, String)>> {
        let query = self.parser.parse_query(query)?;
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let generator = if snippets {
            let mut generator =
                SnippetGenerator::create(&self.searcher, &*query, self.fields.body)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Some(generator)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let document: TantivyDocument = self.searcher.doc(address)?;
            let text = |field| {
                use tantivy::schema::Value;
                document
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let snippet = generator
                .as_ref()
                .map(|g| g.snippet_from_doc(&document).to_html())
                .unwrap_or_default();
            hits.push((text(self.fields.id), text(self.fields.title), snippet));
        }
        Ok(hits)
    }
}

/// `fahras query` started as a new process: time to the first byte it prints.
fn cli_start(index: &Path) -> Result<Vec<CliStart>> {
    let binary = env!("CARGO_BIN_EXE_fahras");
    let mut out = Vec::new();
    for query in CLI_QUERIES {
        let mut times = Vec::new();
        for _ in 0..=CLI_STARTS {
            let started = Instant::now();
            let mut child = Command::new(binary)
                .arg("--index")
                .arg(index)
                .args(["query", query, "--color", "never"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()?;
            let mut stdout = child.stdout.take().expect("piped");
            let mut first = [0u8; 1];
            let read = stdout.read(&mut first)?;
            let elapsed = started.elapsed();
            std::io::copy(&mut stdout, &mut std::io::sink())?;
            let status = child.wait()?;
            if read == 0 || !status.success() {
                bail!("`fahras query {query}` printed nothing ({status})");
            }
            times.push(ms(elapsed));
        }
        times.remove(0); // the first start loads the binary into the page cache
        times.sort_by(f64::total_cmp);
        out.push(CliStart {
            query: query.to_string(),
            runs: times.len(),
            min_ms: times[0],
            p50_ms: nearest_rank(&times, 0.5),
            p90_ms: nearest_rank(&times, 0.9),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- the tables

fn print_tables(report: &Report) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "\nfahras benchmark, {}; {} threads, --memory-mb {}; ingest: median of {} runs; \
         queries: {} timed passes over {} queries; load average before {} / after {}\n",
        report.started_utc,
        report.threads,
        report.memory_mb,
        report.runs,
        report.query_repeats,
        QUERIES.len(),
        report.load_average_before,
        report.load_average_after,
    );
    for corpus in &report.corpora {
        let _ = writeln!(
            out,
            "### {}: {} files, {:.1} MB\n",
            corpus.corpus.display(),
            corpus.files,
            corpus.corpus_bytes as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "| engine | articles | ingest s (runs) | CPU s | articles/s | MB/s | peak RSS MiB | index/corpus | p50 / p99 ms, 10 snippets | p50 / p99 ms, no snippets |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for engine in &corpus.engines {
            let secs = engine.ingest_seconds_median;
            let runs: Vec<String> = engine
                .ingest_seconds
                .iter()
                .map(|s| format!("{s:.2}"))
                .collect();
            let lat = |mode: &str| {
                engine
                    .latency_ms
                    .get(mode)
                    .map_or("–".into(), |l| format!("{:.2} / {:.2}", l.p50, l.p99))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} ({}) | {:.2} | {:.0} | {:.1} | {:.0} | {:.2} | {} | {} |",
                match engine.engine {
                    Engine::Fahras => "fahras",
                    Engine::Tantivy => "tantivy 0.27, default tokenizer",
                },
                engine.articles,
                secs,
                runs.join(", "),
                engine.ingest_cpu_seconds_median,
                engine.articles as f64 / secs,
                corpus.corpus_bytes as f64 / 1e6 / secs,
                engine.peak_rss_bytes_median as f64 / 1048576.0,
                engine.index_bytes as f64 / corpus.corpus_bytes as f64,
                lat("10 snippets"),
                lat("no snippets"),
            );
        }
        if let [fahras, baseline] = &corpus.engines[..] {
            let ratio = |mode: &str, p99: bool| {
                let get = |e: &EngineReport| {
                    e.latency_ms
                        .get(mode)
                        .map(|l| if p99 { l.p99 } else { l.p50 })
                        .unwrap_or(f64::NAN)
                };
                get(fahras) / get(baseline)
            };
            let _ = writeln!(
                out,
                "| fahras ÷ tantivy | | {:.2}× | {:.2}× | | | {:.2}× | {:.2}× | {:.2}× / {:.2}× | {:.2}× / {:.2}× |",
                fahras.ingest_seconds_median / baseline.ingest_seconds_median,
                fahras.ingest_cpu_seconds_median / baseline.ingest_cpu_seconds_median,
                fahras.peak_rss_bytes_median as f64 / baseline.peak_rss_bytes_median as f64,
                fahras.index_bytes as f64 / baseline.index_bytes as f64,
                ratio("10 snippets", false),
                ratio("10 snippets", true),
                ratio("no snippets", false),
                ratio("no snippets", true),
            );
        }
        let _ = writeln!(out);
        for start in &corpus.cli_start {
            let _ = writeln!(
                out,
                "CLI `fahras query {}` start to first output: fastest {:.1} ms, median {:.1} ms, p90 {:.1} ms ({} starts, warm page cache)",
                start.query, start.min_ms, start.p50_ms, start.p90_ms, start.runs
            );
        }
        let _ = writeln!(out);
    }
    if !report.peers.is_empty() {
        let fahras = report.corpora.first().and_then(|c| {
            c.engines
                .iter()
                .find(|e| e.engine == Engine::Fahras)
                .map(|e| (e.articles as f64 / e.ingest_seconds_median, e))
        });
        let _ = writeln!(
            out,
            "### peers (../shared/peers, first corpus as plain .txt; bag-of-words OR, top 100; latency as each harness times it)\n"
        );
        let _ = writeln!(
            out,
            "| engine | docs | index s | articles/s | fahras ÷ it (articles/s) | index MB | latency p50 / p99 ms | scope |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---|");
        for peer in &report.peers {
            let num = |key: &str| peer.get(key).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
            let docs = num("docs");
            let secs = num("index_s");
            let rate = docs / secs;
            let latency = peer.get("latency_ms");
            let lat = |key: &str| {
                latency
                    .and_then(|l| l.get(key))
                    .and_then(|v| v.as_f64())
                    .unwrap_or(f64::NAN)
            };
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.2} | {:.0} | {} | {:.1} | {:.2} / {:.2} | {} |",
                peer.get("engine").and_then(|v| v.as_str()).unwrap_or("?"),
                docs,
                secs,
                rate,
                fahras.map_or("–".into(), |(f, _)| format!("{:.2}×", f / rate)),
                num("index_bytes") / 1e6,
                lat("p50"),
                lat("p99"),
                peer.get("latency_scope")
                    .and_then(|v| v.as_str())
                    .unwrap_or(""),
            );
        }
        let _ = writeln!(out);
    }
}

// ---------------------------------------------------------------- helpers

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn nearest_rank(sorted: &[f64], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    nearest_rank(values, 0.5)
}

fn median_u64(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values
        .get(values.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0)
}

fn corpus_size(corpus: &Path) -> Result<(u64, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for found in find_article_files(corpus) {
        let found = found?;
        files += 1;
        bytes += std::fs::metadata(&found.path)?.len();
    }
    Ok((files, bytes))
}

fn folder_size(path: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            folder_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn utc_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
