//! The command line: flags defined once, with their help.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Parser, Subcommand, ValueEnum};
use fahras::search::RankingOptions;

/// `fahras --version`: the release and the index format it writes (an index of another
/// format must be ingested again).
static VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (index format {})",
        env!("CARGO_PKG_VERSION"),
        fahras::index::FORMAT_VERSION
    )
});

/// fahras (فهرس): search folders of Arabic news articles.
///
/// Ingest a folder once, then query it: hits are ranked by relevance and shown with the
/// matching words highlighted as the articles wrote them, or exported as JSON.
#[derive(Debug, Parser)]
#[command(name = "fahras", version = VERSION.as_str(), about, long_about)]
pub struct Opts {
    /// Index folder. Created by the first ingest.
    #[arg(long, global = true, env = "FAHRAS_INDEX", default_value = fahras::DEFAULT_INDEX_DIR)]
    pub index: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index the article files under folders (or single files), or bring the index up to date.
    ///
    /// Reads plain text (.txt: first line is the headline or a dateline such as دمشق-سانا),
    /// Markdown (.md, with optional front matter), JSON (.json: an object or an array),
    /// JSON Lines (.jsonl), TREC/CLEF tagged files (<DOC><DOCNO>…) and HTML pages (.html), in
    /// UTF-8, UTF-16 with a byte-order mark, or Windows-1256.
    ///
    /// Re-running it on the same folder is cheap: new files are added, changed ones indexed
    /// again, deleted ones removed, and unchanged ones not read. Several folders can share one
    /// index. A file that cannot be read is reported on stderr and skipped; the exit code is
    /// then 2, and everything else is indexed. If ingest is interrupted (even killed), the
    /// index keeps its last commit and the next run completes the job.
    Ingest(IngestArgs),

    /// Search the index.
    ///
    /// Syntax: words (any of them may match; better matches rank higher), "a phrase",
    /// +must, -must_not, field:word for title, source, place, category, author, id, and
    /// person:"a name" for a person however the name is spelled.
    /// Diacritics, hamza and alef forms, ta marbuta, alef maqsura and attached و ف ب ك ل ال
    /// do not matter. Exit code 0 with hits, 1 with none, 2 on errors.
    Query(QueryArgs),

    /// Find articles related to one article ("more like this").
    ///
    /// The article's most characteristic words (frequent in it, rare in the index; stop words
    /// and numbers left out) are searched in the stemmed text of every other article; the
    /// words used are shown above the hits. Exit code 0 with hits, 1 with none, 2 when no
    /// article has the id.
    Similar(SimilarArgs),

    /// List the words and names that stand out in the articles matching a query.
    ///
    /// Compares how many matching articles contain each word (stem) with how many articles
    /// of the whole index do (log-likelihood ratio), and lists the most over-represented, as
    /// the articles most often write them. Stop words, numbers and the query's own words are
    /// left out. Exit code 0 with hits, 1 with none.
    Terms(TermsArgs),

    /// Write out the stored articles, for another search engine or a cluster.
    ///
    /// Every article (or a query's matches), every stored field, one JSON object per line
    /// in index order; or an OpenSearch/Elasticsearch `_bulk` body; or, with `--mapping
    /// opensearch`, the index settings and mappings that body expects. Streams: memory stays
    /// the same whatever the size of the index. Exit code 0 when articles were written, 1
    /// when none matched.
    Export(ExportArgs),

    /// Score the ranking on a test collection: MRR@10, nDCG@10, P@10 and recall at 100.
    ///
    /// QRELS is a TREC qrels file (`qid 0 docid relevance`); a hit whose id is a file name
    /// also matches the docid without its extension.
    Eval(EvalArgs),

    /// Spellings of one name that no rule folds (ديشان/ديشامب, غوتيريش/غوتيريس), kept in
    /// aliases.json in the index folder and used by every query at once (no re-ingest).
    Aliases {
        #[command(subcommand)]
        action: AliasAction,
    },

    /// A person's card: the spellings of the name with counts, the first and last mention,
    /// articles by month, datelines, and the words most often written with the name.
    Person(PersonArgs),

    /// Show what is in the index: documents, terms, size on disk, last ingest.
    Stats(StatsArgs),

    /// Serve a search page and an HTTP JSON API for the index.
    ///
    /// Open the printed address in a browser. The API: GET /search?q=…&person=…&limit=&offset=
    /// &from=&to= (the JSON of `query --json`), /doc/ID?q=…, /health. New ingests into the index show up
    /// without a restart. Listens on loopback only, unless --allow-remote is given.
    Serve(ServeArgs),

    /// Write a completion script for a shell to stdout.
    ///
    /// bash: `fahras completions bash > ~/.local/share/bash-completion/completions/fahras`;
    /// zsh: `fahras completions zsh > ~/.zfunc/_fahras` (with `~/.zfunc` in `fpath`);
    /// fish: `fahras completions fish > ~/.config/fish/completions/fahras.fish`;
    /// PowerShell: `fahras completions powershell >> $PROFILE`.
    Completions(CompletionsArgs),

    /// Write the manual page (roff) to stdout: `fahras man > fahras.1 && man ./fahras.1`.
    Man,

    /// Show how fahras analyzes a text: each word's exact and stemmed terms with offsets.
    ///
    /// Useful to see why a query matched an article or did not.
    Analyze(AnalyzeArgs),
}

/// The help of `--memory-mb`, with the library's split of the memory.
static MEMORY_HELP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "About the most memory ingest uses, in MiB: {}. It does not bound one large article: a \
         file is read whole and each article indexed in one piece, so a single 50 MB line \
         takes about 1.2 GB whatever this says; --max-file-size bounds that",
        fahras::IngestOptions::MEMORY_SPLIT
    )
});

/// The arguments of `fahras ingest` (its help is on [`Command::Ingest`]).
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Folders or files to index.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Empty the index first and index everything again (also drops other folders).
    #[arg(long)]
    pub rebuild: bool,

    /// Skip files larger than this (bytes, or with a unit: 500K, 100M, 2G).
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// About the most memory ingest uses, in MiB (the help is [`MEMORY_HELP`]).
    #[arg(long, default_value_t = 256, help = MEMORY_HELP.as_str())]
    pub memory_mb: usize,

    /// Threads reading files, and as many indexing (0: one per core, at most 4).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,

    /// Commit after this many articles: an interrupted ingest loses at most this much work,
    /// which the next run redoes. Queries see the articles of the last commit.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub commit_every: usize,

    /// Follow symbolic links (as `rg -L` and `fd -L` do). Without it they are not read,
    /// and a line says how many were left; with it, links leading out of the folder are
    /// named.
    #[arg(long, short = 'L')]
    pub follow: bool,

    /// Print nothing but problems (no progress bar, no summary).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `-e/--query QUERY`, beside the positional query of `query`, `terms` and `export` (each
/// names its positional argument `query`): the query as a flag, as `rg -e` takes a pattern,
/// so that one starting with `-` can be given.
#[derive(Debug, clap::Args)]
pub struct QueryFlag {
    /// The query, as `rg -e` takes a pattern: also one that starts with `-`
    /// (`-e '* -ترامب'`, every article without ترامب).
    #[arg(
        id = "query_flag",
        short = 'e',
        long = "query",
        value_name = "QUERY",
        allow_hyphen_values = true,
        conflicts_with = "query"
    )]
    pub text: Option<String>,
}

impl QueryFlag {
    /// The query given either way: `positional` or `-e`.
    pub fn or_positional(self, positional: Option<String>) -> Option<String> {
        positional.or(self.text)
    }
}

/// The arguments of `fahras query` (its help is on [`Command::Query`]).
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The query (one that starts with `-` goes after `--`, or with `-e`).
    #[arg(
        required_unless_present_any = ["query_flag", "queries", "similar_to", "person"],
        conflicts_with = "queries"
    )]
    pub query: Option<String>,

    #[command(flatten)]
    pub query_flag: QueryFlag,

    /// Only articles like the one with this id (shown under each headline), ranked by
    /// how alike they are plus how well they match the query.
    #[arg(long, value_name = "ID", conflicts_with = "queries")]
    pub similar_to: Option<String>,

    /// Only articles about this person, however the name is spelled (سيرغي/سيرجي,
    /// بينغ/بينج, عبد الله/عبدالله, with clitics, and the aliases of `fahras aliases`);
    /// the exact spelling ranks first, the query's words rank the rest (a `+word` is also
    /// required). The same as
    /// `+person:"NAME"` in the query.
    #[arg(long, value_name = "NAME", conflicts_with = "queries")]
    pub person: Option<String>,

    /// With --queries: each query is a person's name, searched as with --person.
    // (`requires` alone lets `query X --person-queries` through: clap waives it for an
    // argument that conflicts with one given, so the conflict is named too.)
    #[arg(long, requires = "queries", conflicts_with_all = ["query", "query_flag"])]
    pub person_queries: bool,

    /// Run every query of a `qid<TAB>query` file instead (for evaluation). Each query is
    /// read as plain words: punctuation and operators in it are not query syntax.
    #[arg(long, value_name = "FILE.tsv", conflicts_with_all = ["ids", "count", "color", "query_flag"])]
    pub queries: Option<PathBuf>,

    /// Output format of `--queries`: a TREC run (`qid Q0 id rank score fahras`, the
    /// default), one JSON object per query per line (also `--jsonl`), or one JSON array of
    /// them (also `--json`).
    #[arg(
        long,
        value_enum,
        requires = "queries",
        conflicts_with_all = ["json", "jsonl", "query", "query_flag"]
    )]
    pub format: Option<BatchFormat>,

    /// Hits to show (not with --count, which counts every match).
    #[arg(long, short = 'n', default_value_t = 10, conflicts_with = "count")]
    pub limit: usize,

    /// Hits to skip (for paging; not with --count).
    #[arg(long, default_value_t = 0, conflicts_with = "count")]
    pub offset: usize,

    #[command(flatten)]
    pub dates: DateRangeArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Ranking knobs for evaluation, e.g. `k1=0.5,b=0.9,proximity=0,attested=0`
    /// (see docs/RELEVANCE.md; not with --similar-to, which ranks by likeness).
    #[arg(
        long,
        value_name = "KEY=VALUE,…",
        value_parser = parse_ranking,
        hide_short_help = true,
        conflicts_with = "similar_to"
    )]
    pub ranking: Option<RankingOptions>,
    #[command(flatten)]
    pub topics: TopicArgs,
}

/// The arguments of `fahras similar` (its help is on [`Command::Similar`]).
#[derive(Debug, clap::Args)]
pub struct SimilarArgs {
    /// The article's id (shown under each headline by `fahras query`).
    pub id: String,

    /// Hits to show (not with --count, which counts every match).
    #[arg(long, short = 'n', default_value_t = 10, conflicts_with = "count")]
    pub limit: usize,

    /// Hits to skip (for paging; not with --count).
    #[arg(long, default_value_t = 0, conflicts_with = "count")]
    pub offset: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// The arguments of `fahras terms` (its help is on [`Command::Terms`]).
#[derive(Debug, clap::Args)]
pub struct TermsArgs {
    /// The query (`*` for every article, which leaves nothing over-represented; one that
    /// starts with `-` goes after `--`, or with `-e`).
    #[arg(required_unless_present = "query_flag")]
    pub query: Option<String>,

    #[command(flatten)]
    pub query_flag: QueryFlag,

    /// Terms to show.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,

    /// Matching articles to analyze, best-scoring first (time grows with it).
    #[arg(long, default_value_t = 5000)]
    pub max_docs: usize,

    /// A term must be in at least this many analyzed articles.
    #[arg(long, default_value_t = 3)]
    pub min_docs: u64,

    #[command(flatten)]
    pub dates: DateRangeArgs,

    /// Write the terms as one JSON object (schema in docs/FORMATS.md).
    #[arg(long)]
    pub json: bool,

    /// When to colour the terms (not with --json).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, conflicts_with = "json")]
    pub color: ColorChoice,
}

/// The arguments of `fahras export` (its help is on [`Command::Export`]).
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Only articles matching this query (`fahras query` syntax); all when absent.
    pub query: Option<String>,

    #[command(flatten)]
    pub query_flag: QueryFlag,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Ndjson)]
    pub format: ExportFormatArg,

    /// The index named in each `_bulk` action (with `--format opensearch-bulk` only).
    #[arg(long, value_name = "NAME", default_value = "fahras")]
    pub bulk_index: String,

    #[command(flatten)]
    pub dates: DateRangeArgs,

    /// Write the index mapping for this engine instead of articles.
    #[arg(long, value_enum, conflicts_with_all = ["query", "query_flag", "format", "bulk_index", "from", "to"])]
    pub mapping: Option<MappingArg>,
}

/// The arguments of `fahras eval` (its help is on [`Command::Eval`]).
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The relevance judgements.
    pub qrels: PathBuf,

    /// The `qid<TAB>query` file.
    #[arg(long, value_name = "FILE.tsv")]
    pub queries: PathBuf,

    /// Ranking knobs, as for `query --ranking`.
    #[arg(long, value_name = "KEY=VALUE,…", value_parser = parse_ranking)]
    pub ranking: Option<RankingOptions>,

    /// Write the scores as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `fahras person` (its help is on [`Command::Person`]).
#[derive(Debug, clap::Args)]
pub struct PersonArgs {
    /// The name, as for `query --person`.
    pub name: String,
    /// Write the card as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `fahras stats` (its help is on [`Command::Stats`]).
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Write the statistics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The arguments of `fahras serve` (its help is on [`Command::Serve`]).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port; port 0 picks a free port).
    #[arg(long, default_value = fahras::serve::DEFAULT_ADDR)]
    pub addr: String,

    /// Allow an address other machines can reach. There is no password: anyone who can
    /// reach the port can read the whole index.
    #[arg(long)]
    pub allow_remote: bool,
}

/// The arguments of `fahras completions` (its help is on [`Command::Completions`]).
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The arguments of `fahras analyze` (its help is on [`Command::Analyze`]).
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// The text.
    pub text: String,

    /// Analyze it as a query against the index: the words the ranking uses, the stems
    /// each looks up (clitic readings checked against the index), the stop words dropped,
    /// the words the index does not know and what they were corrected to.
    #[arg(long)]
    pub query: bool,
}

/// The flags given on the command line that the command would ignore, in a combination
/// clap's `conflicts_with` and `requires` cannot express (they depend on the value of
/// another flag): one line naming both, to print before exiting with 2.
/// `matches` are those of the whole command line.
pub fn ignored_flag(command: &Command, matches: &clap::ArgMatches) -> Option<String> {
    let (_, sub) = matches.subcommand()?;
    let given = |id: &str| sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    match command {
        Command::Query(QueryArgs {
            queries: Some(_),
            format,
            output,
            ..
        }) if given("snippet_chars")
            && !output.json
            && !output.jsonl
            && matches!(format, None | Some(BatchFormat::Trec)) =>
        {
            Some(
                "--snippet-chars: a TREC run of --queries has no snippets; give --format json or jsonl, or leave --snippet-chars out"
                    .into(),
            )
        }
        Command::Export(ExportArgs {
            format: ExportFormatArg::Ndjson,
            ..
        }) if given("bulk_index") => Some(
            "--bulk-index: names the index of `_bulk` actions, written only with --format opensearch-bulk; give that format or leave --bulk-index out"
                .into(),
        ),
        _ => None,
    }
}

/// `fahras completions` shells.
pub use clap_complete::Shell;

/// `fahras aliases` actions.
#[derive(Debug, Subcommand)]
pub enum AliasAction {
    /// Make two or more spellings aliases of each other (joining the group one of them is in).
    Add {
        /// The spellings, e.g. "ديشان" "ديشامب" or "أبو مازن" "محمود عباس".
        #[arg(required = true, num_args = 2..)]
        spellings: Vec<String>,
    },
    /// Remove a spelling from its group.
    Remove {
        /// The spelling.
        spelling: String,
    },
    /// List the groups, one per line (tab-separated), or as the JSON of aliases.json.
    List {
        /// Write the file's JSON.
        #[arg(long)]
        json: bool,
    },
    /// Suggest spellings of a name that no rule folds, from the archive (غوتيريش/غوتيريس):
    /// one line per candidate with its score, article counts and shared context words;
    /// accept one with `aliases add`.
    Suggest {
        /// The name (each of its words gets suggestions).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        name: Option<String>,
        /// Suggest for the whole archive instead: the confident pairs only (slow on a large
        /// archive: it reads the context of each spelling it tries).
        #[arg(long)]
        all: bool,
        /// With --all: spellings written in fewer articles are not tried.
        #[arg(long, default_value_t = 3, requires = "all")]
        min_articles: u64,
        /// With --all: stop after this many pairs.
        #[arg(long, default_value_t = 50, requires = "all")]
        limit: usize,
        /// Write the suggestions as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `--from` and `--to` (`query`, `terms`, `export`).
#[derive(Debug, Clone, clap::Args)]
pub struct DateRangeArgs {
    /// Only articles published on or after this date: a year (2017), a month (2017-03), a
    /// day (2017-03-05, or day first 05/03/2017), a time (2017-03-05 10:30, UTC) or
    /// RFC 3339.
    #[arg(long)]
    pub from: Option<String>,

    /// Only articles published on or before this date (the forms of --from; a year, month
    /// or day is included whole).
    #[arg(long)]
    pub to: Option<String>,
}

/// How hits are written (`query`, `similar`).
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Write the results as one JSON object (schema in docs/FORMATS.md).
    #[arg(long, conflicts_with_all = ["jsonl", "ids", "count"])]
    pub json: bool,

    /// Write JSON Lines, as `rg --json` does: a `begin` message (the query, corrected
    /// words), one `hit` message per line, an `end` message (total_hits, took_ms, facets);
    /// schema in docs/FORMATS.md.
    #[arg(long, conflicts_with_all = ["ids", "count"])]
    pub jsonl: bool,

    /// Write only the ids of the hits, one a line (for `xargs`).
    #[arg(long, short = 'l', conflicts_with = "count")]
    pub ids: bool,

    /// With --ids, end each id with a NUL byte instead of a newline (for `xargs -0`).
    #[arg(long = "null", short = '0', requires = "ids")]
    pub null: bool,

    /// Write only the number of matching articles (all of them, not only a page).
    #[arg(long, short = 'c')]
    pub count: bool,

    /// Snippet length in characters (not with --ids, --count or a TREC run of --queries,
    /// which show none).
    #[arg(
        long,
        default_value_t = fahras::search::DEFAULT_SNIPPET_CHARS,
        conflicts_with_all = ["ids", "count"]
    )]
    pub snippet_chars: usize,

    /// When to colour matches (on the terminal listing only).
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        conflicts_with_all = ["json", "jsonl", "ids", "count"]
    )]
    pub color: ColorChoice,
}

/// Exploring a topic: ordering, facets and histograms of a query's matches.
#[derive(Debug, Clone, clap::Args)]
pub struct TopicArgs {
    /// Order of the hits: by relevance, newest first, or oldest first. Undated articles
    /// come last when sorting by date. (Not with --count, which shows no hits.)
    #[arg(long, value_enum, default_value_t = SortArg::Score, conflicts_with = "count")]
    pub sort: SortArg,

    /// Count the matching articles per value of these fields (comma-separated: source,
    /// place, category, author, year), all matches, not only the hits shown. Use `-n 0` for
    /// counts alone.
    #[arg(long, value_enum, value_delimiter = ',', conflicts_with_all = ["queries", "ids", "count"])]
    pub facets: Vec<FacetArg>,

    /// Values listed per facet (the others are summed as "other"; years are all listed).
    #[arg(long, default_value_t = fahras::search::DEFAULT_FACET_LIMIT, requires = "facets")]
    pub facet_limit: usize,

    /// Count the matching articles per day, month or year of publication (UTC), from the
    /// first to the last; undated articles are counted apart.
    #[arg(long, value_enum, value_name = "PERIOD", conflicts_with_all = ["queries", "ids", "count"])]
    pub by: Option<IntervalArg>,
}

/// `export --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// One JSON object per article per line.
    Ndjson,
    /// OpenSearch/Elasticsearch `_bulk` lines: an index action, then the article.
    OpensearchBulk,
}

/// `export --mapping` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MappingArg {
    /// OpenSearch (and Elasticsearch) index settings and mappings.
    Opensearch,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Most relevant first.
    Score,
    /// Newest first.
    Date,
    /// Oldest first.
    DateAsc,
}

/// `--facets` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetArg {
    /// Publisher or agency.
    Source,
    /// Dateline place.
    Place,
    /// Section or category.
    Category,
    /// Author.
    Author,
    /// Year of publication.
    Year,
}

/// `--by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IntervalArg {
    /// Per day.
    Day,
    /// Per month.
    Month,
    /// Per year.
    Year,
}

impl From<SortArg> for fahras::search::SortOrder {
    fn from(arg: SortArg) -> Self {
        match arg {
            SortArg::Score => Self::Score,
            SortArg::Date => Self::Newest,
            SortArg::DateAsc => Self::Oldest,
        }
    }
}

impl From<FacetArg> for fahras::search::FacetField {
    fn from(arg: FacetArg) -> Self {
        match arg {
            FacetArg::Source => Self::Source,
            FacetArg::Place => Self::Place,
            FacetArg::Category => Self::Category,
            FacetArg::Author => Self::Author,
            FacetArg::Year => Self::Year,
        }
    }
}

impl From<IntervalArg> for fahras::search::Interval {
    fn from(arg: IntervalArg) -> Self {
        match arg {
            IntervalArg::Day => Self::Day,
            IntervalArg::Month => Self::Month,
            IntervalArg::Year => Self::Year,
        }
    }
}

fn parse_ranking(spec: &str) -> Result<RankingOptions, String> {
    RankingOptions::parse(spec)
}

/// Output format of batch queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// TREC run lines.
    Trec,
    /// One `{qid, query, total_hits, took_ms, hits}` object per line.
    Jsonl,
    /// One JSON array of those objects.
    Json,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Parses a size: bytes, or a number with a unit K, M or G (powers of 1024; `MB`, `MiB` too).
fn parse_size(value: &str) -> Result<u64, String> {
    let value = value.trim();
    let digits_end = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(digits_end);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{value}` is not a size; write for example 100M or 2G"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("`{value}`: unknown unit; use K, M or G")),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{value}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        Opts::command().debug_assert();
    }

    #[test]
    fn facets_are_a_comma_separated_list() {
        let parsed =
            Opts::try_parse_from(["fahras", "query", "x", "--facets", "source,year"]).unwrap();
        let Command::Query(QueryArgs { topics, .. }) = parsed.command else {
            panic!("not a query: {parsed:?}");
        };
        assert_eq!(topics.facets, [FacetArg::Source, FacetArg::Year]);
        assert!(Opts::try_parse_from(["fahras", "query", "x", "--facets", "title"]).is_err());
    }

    /// `--memory-mb`'s help gives the library's split of the memory, not a copy of it.
    #[test]
    fn the_memory_help_says_the_library_s_split() {
        let command = Opts::command();
        let ingest = command.find_subcommand("ingest").unwrap();
        let memory = ingest.get_arguments().find(|a| a.get_id() == "memory_mb");
        let help = memory.and_then(|a| a.get_help()).unwrap().to_string();
        assert!(help.contains(fahras::IngestOptions::MEMORY_SPLIT), "{help}");
    }

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("500K"), Ok(500 * 1024));
        assert_eq!(parse_size("100M"), Ok(100 * 1024 * 1024));
        assert_eq!(parse_size("2gib"), Ok(2 << 30));
        assert!(
            parse_size("10 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(parse_size("M").unwrap_err().contains("not a size"));
    }

    /// Regression: the default port was Meilisearch's, so `fahras serve` clashed with it.
    #[test]
    fn the_default_port_is_no_other_search_engines() {
        let parsed = Opts::try_parse_from(["fahras", "serve"]).unwrap();
        let Command::Serve(ServeArgs { addr, .. }) = parsed.command else {
            panic!("not serve: {parsed:?}");
        };
        let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
        // Meilisearch, Elasticsearch/OpenSearch (HTTP, transport), Solr, Quickwit, Typesense,
        // ZincSearch, Manticore/Sphinx
        let taken = [7700, 9200, 9300, 8983, 7280, 8108, 4080, 9308, 9312];
        assert!(!taken.contains(&port), "{addr}");
    }

    /// Regression: `query X --format json` printed the terminal listing; `--queries q.tsv
    /// --json` wrote a TREC run; other flags of one mode were ignored in the other.
    #[test]
    fn flags_of_one_query_mode_are_refused_in_the_other() {
        let refused = |args: &[&str]| {
            let mut all = vec!["fahras", "query"];
            all.extend_from_slice(args);
            Opts::try_parse_from(all).is_err()
        };
        assert!(refused(&["ترامب", "--format", "json"]));
        assert!(refused(&["-e", "ترامب", "--format", "json"]));
        assert!(refused(&["ترامب", "--person-queries"]));
        assert!(refused(&["--queries", "q.tsv", "--ids"]));
        assert!(refused(&["--queries", "q.tsv", "--count"]));
        assert!(refused(&["--queries", "q.tsv", "--color", "always"]));
        assert!(refused(&[
            "--queries",
            "q.tsv",
            "--json",
            "--format",
            "trec"
        ]));
        assert!(!refused(&["--queries", "q.tsv", "--json"]));
        assert!(!refused(&["--queries", "q.tsv", "--format", "jsonl"]));
        assert!(refused(&["ترامب", "-0"]), "-0 needs --ids");
        assert!(refused(&["ترامب", "--ids", "--count"]));
        assert!(refused(&["ترامب", "--count", "--facets", "year"]));
        assert!(refused(&["ترامب", "--json", "--color", "always"]));
        assert!(refused(&["ترامب", "--ids", "--snippet-chars", "50"]));
        assert!(!refused(&["ترامب", "--json", "--snippet-chars", "50"]));
        assert!(!refused(&[
            "ترامب",
            "--jsonl",
            "--facets",
            "year",
            "--by",
            "month"
        ]));
    }

    #[test]
    fn a_query_starting_with_a_dash_is_given_with_e() {
        for command in ["query", "terms", "export"] {
            let parsed = Opts::try_parse_from(["fahras", command, "-e", "-ترامب تونس"]).unwrap();
            let query_flag = match parsed.command {
                Command::Query(QueryArgs { query_flag, .. })
                | Command::Terms(TermsArgs { query_flag, .. })
                | Command::Export(ExportArgs { query_flag, .. }) => query_flag.or_positional(None),
                other => panic!("{other:?}"),
            };
            assert_eq!(query_flag.as_deref(), Some("-ترامب تونس"), "{command}");
        }
        let both = Opts::try_parse_from(["fahras", "query", "تونس", "-e", "ترامب"]);
        assert!(both.is_err(), "a query and -e");
    }

    #[test]
    fn the_version_names_the_index_format() {
        let error = Opts::try_parse_from(["fahras", "--version"]).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains(&format!("index format {}", fahras::index::FORMAT_VERSION)),
            "{text}"
        );
    }

    #[test]
    fn json_and_jsonl_conflict() {
        let parsed = Opts::try_parse_from(["fahras", "query", "x", "--json", "--jsonl"]);
        assert!(parsed.is_err());
    }
}
