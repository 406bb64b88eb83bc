//! Ingest: bring the index up to date with the article files under one or more folders.
//!
//! Incremental by default. A file whose size and modification time are those indexed is left
//! alone; one whose size or time changed is read, and re-indexed only if its bytes changed
//! (content hash); a new file is added; and an indexed file under an ingested folder that is
//! gone is removed, with all its articles. Files under other folders of the same index are not
//! touched. What the index holds about each file commits with its articles
//! ([`super::manifest`]), so an ingest killed at any point leaves the last commit intact and
//! the next run completes the job.
//!
//! One bad file never aborts an ingest: it is reported through [`IngestObserver::skipped`],
//! counted, and the rest goes on. A file that cannot be read this time keeps the articles an
//! earlier run indexed from it; a file read and found to hold no article (emptied to 0 bytes)
//! loses them.
//!
//! Article ids stay unique. An id already held by an article of another file is refused for
//! the newcomer, except that an id made from a relative path (no DOCNO or JSON `id`) that
//! collides — the same relative path under two ingested folders — gets the folder's name in
//! front (`archive-2/2023/01.txt`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::IndexWriter;
use tantivy::indexer::IndexWriterOptions;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::manifest::{
    FileStamp, IdOwners, IndexedFile, IndexedFiles, modified_ns, source_file_term,
};
use super::merge_policy::{BoundedMergePolicy, MAX_MERGE_DOCS};
use super::meta::{IndexMeta, LastIngest};
use super::progress::{IndexedBytes, IngestStep};
use super::read_pool::{PoolLimits, ReadJob, ReadOutcome, read_in_order};
use super::{ArticleDocument, FahrasIndex};
use crate::corpus::{Article, ParsedFile, Walked, walk_article_files};
use crate::error::{Error, Result, Setting, shown};

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// About the most memory the ingest uses, in bytes, split as
    /// [`IngestOptions::MEMORY_SPLIT`] says.
    pub memory_budget_bytes: usize,
    /// Threads for reading and parsing files, and as many for indexing; 0 picks the number of
    /// cores (at most 4).
    pub threads: usize,
    /// Commit after this many articles, so a crash loses at most this much work.
    pub commit_every: usize,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// Empty the index first and index everything again.
    pub rebuild: bool,
    /// Follow symbolic links (else they are not read, as ripgrep and fd do); those that lead
    /// out of the ingested folder are named.
    pub follow_links: bool,
}

/// Default of [`IngestOptions::max_file_size`]: 100 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

impl IngestOptions {
    /// How [`Self::memory_budget_bytes`] is shared, as [`Self::indexer_memory_bytes`] and
    /// [`Self::files_in_flight_bytes`] share it (for help texts).
    pub const MEMORY_SPLIT: &str = "three quarters for the indexer's buffers, a quarter for files read and waiting to be indexed";

    /// The index writer's share of the memory budget: three quarters (tantivy needs at least
    /// 15 MB per indexing thread, which the writer takes whatever this says).
    pub fn indexer_memory_bytes(&self) -> usize {
        self.memory_budget_bytes / 4 * 3
    }

    /// The share of the memory budget for files read and waiting to be indexed: a quarter.
    pub fn files_in_flight_bytes(&self) -> usize {
        self.memory_budget_bytes / 4
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            memory_budget_bytes: 256 * 1024 * 1024,
            threads: 0,
            commit_every: 50_000,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            rebuild: false,
            follow_links: false,
        }
    }
}

/// A file, or part of one, that was not indexed.
#[derive(Debug)]
pub struct SkippedInput {
    /// The file (or folder, for walk errors).
    pub path: PathBuf,
    /// Why; its [`Display`](std::fmt::Display) is one line naming the file and what to do.
    pub reason: SkipReason,
    /// True when the whole file was skipped, false when only part of it (a bad JSON line).
    pub whole_file: bool,
}

/// Why a file, or part of one, was not indexed. Each case names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum SkipReason {
    /// The file, or part of it, could not be taken; the error says why: too large
    /// ([`Error::TooLarge`]), not in an encoding fahras reads ([`Error::UnknownEncoding`]),
    /// binary ([`Error::Binary`]), no article in it ([`Error::NoArticle`]), invalid JSON
    /// ([`Error::Json`], a whole file or one line of a JSON Lines file), gone
    /// ([`Error::Vanished`]), a failure inside fahras ([`Error::ReadPanicked`]) or unreadable
    /// ([`Error::Io`], also a folder the walk could not enter: what the index has under it
    /// stays).
    #[error(transparent)]
    File(Error),
    /// Something with an article file's name that is not a file (a FIFO): reading it could
    /// block forever.
    #[error("{}: {kind}, not a file; not read", shown(path))]
    NotAFile {
        /// Where it is.
        path: PathBuf,
        /// What it is (`a FIFO`).
        kind: &'static str,
    },
    /// A symbolic link that leads back into a folder above it.
    #[error("{}: symbolic link loop; skipped", shown(path))]
    LinkLoop {
        /// The link.
        path: PathBuf,
    },
    /// An article's id is held by another article, which keeps it.
    #[error(
        "{}: article id `{id}` is already used by {holder}{}; skipped (give it a unique id)",
        shown(path),
        if *this_ingest { " in this ingest" } else { "" }
    )]
    IdTaken {
        /// The file of the article refused.
        path: PathBuf,
        /// The id.
        id: String,
        /// The file that holds it, as shown.
        holder: String,
        /// True when the holder was indexed in this ingest, false when in an earlier one.
        this_ingest: bool,
    },
    /// The file was read, but none of its articles was indexed (each refusal was reported).
    #[error("{}: no article indexed from this file", shown(path))]
    NoArticleIndexed {
        /// The file.
        path: PathBuf,
    },
}

/// Something an ingest did that its user should know, though nothing was skipped. Its
/// [`Display`](std::fmt::Display) is one line naming the file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestNotice {
    /// A file was indexed, but not quite as written: the line says how, naming the file
    /// (bytes that are not valid UTF-8, replaced).
    File(String),
    /// A symbolic link out of an ingested folder was followed, as
    /// [`IngestOptions::follow_links`] asks.
    LinkOutside {
        /// The link.
        link: PathBuf,
        /// The folder ingested, as given.
        root: PathBuf,
        /// Where the link leads.
        target: PathBuf,
    },
    /// Symbolic links under an ingested folder were not followed
    /// ([`IngestOptions::follow_links`] is off).
    LinksNotFollowed {
        /// The folder ingested, as given.
        root: PathBuf,
        /// The first link.
        first: PathBuf,
        /// How many links.
        count: usize,
    },
}

impl IngestNotice {
    /// The notice's line, with the options it names called as `name` calls them (see
    /// [`Error::worded`]).
    pub fn worded(&self, name: &dyn Fn(Setting) -> &'static str) -> String {
        let follow = name(Setting::FollowLinks);
        match self {
            IngestNotice::File(line) => line.clone(),
            IngestNotice::LinkOutside { link, root, target } => format!(
                "{}: a symbolic link out of {} (to {}), followed because of {follow}",
                shown(link),
                shown(root),
                shown(target)
            ),
            IngestNotice::LinksNotFollowed { root, first, count } => {
                let links = match count {
                    1 => "1 symbolic link".to_string(),
                    n => format!("{n} symbolic links"),
                };
                let more = if *count > 1 { ", …" } else { "" };
                format!(
                    "{}: {links} not followed ({}{more}); add {follow} to index what they point to",
                    shown(root),
                    shown(first)
                )
            }
        }
    }
}

impl std::fmt::Display for IngestNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.worded(&Setting::library_name))
    }
}

impl SkipReason {
    /// The reason's line, with the options it names called as `name` calls them (see
    /// [`Error::worded`]).
    pub fn worded(&self, name: &dyn Fn(Setting) -> &'static str) -> String {
        match self {
            SkipReason::File(error) => error.worded(name),
            other => other.to_string(),
        }
    }
}

/// Hears what an ingest is doing: problems as they happen, and progress.
pub trait IngestObserver {
    /// A file or part of one was skipped.
    fn skipped(&mut self, skip: &SkippedInput);

    /// Something to know, though nothing was skipped: a file indexed not quite as written, or
    /// symbolic links followed out of the folder or not followed.
    fn noticed(&mut self, _notice: &IngestNotice) {}

    /// The folders were walked: this many files, of this many bytes, are new or changed and
    /// will be read.
    fn planned(&mut self, _files: u64, _bytes: u64) {}

    /// One of the planned files was dealt with (read and handed to the indexer, found
    /// unchanged, or skipped). The indexer runs behind: [`Self::progressed`] says how far.
    fn file_done(&mut self, _bytes: u64) {}

    /// This many bytes of the planned files are indexed (their articles are in the index's
    /// memory) or needed no indexing; reaches the planned bytes before the end's steps. Called
    /// after each file, and every tenth of a second while the ingest waits on the indexer.
    fn progressed(&mut self, _bytes: u64) {}

    /// Every file is read and the ingest is at this step of its end: the steps come in the
    /// order of [`IngestStep`], each once.
    fn step(&mut self, _step: IngestStep) {}
}

/// An observer that only passes skipped inputs to a closure.
struct SkipCallback<'a>(&'a mut dyn FnMut(&SkippedInput));

impl IngestObserver for SkipCallback<'_> {
    fn skipped(&mut self, skip: &SkippedInput) {
        (self.0)(skip)
    }
}

/// What an ingest did. Files are counted once each, in one of added, updated, unchanged or
/// skipped; removed files are those indexed earlier and gone now.
#[derive(Debug, Default, Clone)]
pub struct IngestReport {
    /// Article files found under the ingested folders.
    pub files_found: u64,
    /// New files indexed.
    pub files_added: u64,
    /// Changed files indexed again.
    pub files_updated: u64,
    /// Files already indexed as they are.
    pub files_unchanged: u64,
    /// Files skipped whole (each reported).
    pub files_skipped: u64,
    /// Indexed files that are gone, with their articles.
    pub files_removed: u64,
    /// Articles added or replaced.
    pub articles_indexed: u64,
    /// Articles removed with their files (replaced articles are not counted).
    pub articles_removed: u64,
    /// Parts of files skipped: bad lines of JSON Lines files, articles with a taken id.
    pub parts_skipped: u64,
    /// New and changed files read (a file whose size or time changed is read to compare its
    /// bytes).
    pub files_read: u64,
    /// Bytes of article files read.
    pub bytes_read: u64,
    /// Articles in the index afterwards.
    pub documents: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Roots (as given) under which no article file was found.
    pub empty_roots: Vec<PathBuf>,
}

impl IngestReport {
    /// True when nothing was skipped.
    pub fn is_clean(&self) -> bool {
        self.files_skipped == 0 && self.parts_skipped == 0
    }
}

impl FahrasIndex {
    /// Brings the index up to date with the article files under `root` (a folder or one
    /// file). Skipped inputs are passed to `on_skip` as they happen. See [`Self::ingest_paths`].
    pub fn ingest(
        &self,
        root: &Path,
        options: &IngestOptions,
        on_skip: &mut dyn FnMut(&SkippedInput),
    ) -> Result<IngestReport> {
        self.ingest_paths(&[root.to_path_buf()], options, &mut SkipCallback(on_skip))
    }

    /// Brings the index up to date with the article files under `roots` (folders or files),
    /// as the module documentation describes. Returns an error only when the index itself
    /// fails, another ingest holds it ([`Error::IndexBusy`]), its disk is full
    /// ([`Error::DiskFull`]: the last commit stays, and the same ingest run again once there
    /// is space completes the job), or a root cannot be read at all.
    pub fn ingest_paths(
        &self,
        roots: &[PathBuf],
        options: &IngestOptions,
        observer: &mut dyn IngestObserver,
    ) -> Result<IngestReport> {
        self.run_ingest(roots, options, observer)
            .map_err(|error| error.or_disk_full(self.path()))
    }

    fn run_ingest(
        &self,
        roots: &[PathBuf],
        options: &IngestOptions,
        observer: &mut dyn IngestObserver,
    ) -> Result<IngestReport> {
        let started = Instant::now();
        let roots = roots
            .iter()
            .map(|path| Root::new(path))
            .collect::<Result<Vec<_>>>()?;
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            n => n,
        };
        let writer = self.writer(threads, options.indexer_memory_bytes())?;
        let searcher = self.reader()?.searcher();
        let (indexed, owners) = if options.rebuild {
            writer.delete_all_documents()?;
            (IndexedFiles::default(), IdOwners::none())
        } else {
            (
                IndexedFiles::load(&searcher)?,
                IdOwners::new(&searcher, self.fields())?,
            )
        };
        let mut run = Run {
            index: self,
            writer,
            indexing_threads: threads,
            observer,
            commit_every: options.commit_every.max(1),
            max_file_size: options.max_file_size,
            follow_links: options.follow_links,
            indexed,
            root_names: roots.iter().map(|r| r.name.clone()).collect(),
            owners,
            report: IngestReport::default(),
            fates: HashMap::new(),
            ids_this_run: HashMap::new(),
            since_commit: 0,
            since_trim: 0,
            waiting: Vec::new(),
            settling: false,
            indexed_bytes: IndexedBytes::default(),
        };
        let planned = run.plan(&roots);
        let bytes: u64 = planned.iter().map(|p| p.job.size).sum();
        run.observer.planned(planned.len() as u64, bytes);
        let limits = PoolLimits {
            threads,
            bytes_in_flight: options.files_in_flight_bytes() as u64,
            max_file_size: options.max_file_size,
        };
        read_in_order(&planned, limits, |n, outcome| {
            let size = planned[n].job.size;
            run.apply(n, &planned[n], outcome)?;
            run.observer.file_done(size);
            run.observer.progressed(run.indexed_bytes.get());
            Ok(())
        })?;
        run.index_waiting_files(&planned)?;
        let mut report = run.finish()?;
        report.elapsed = started.elapsed();
        self.record_ingest(&roots, &report)?;
        Ok(report)
    }

    fn writer(&self, threads: usize, budget: usize) -> Result<IndexWriter<ArticleDocument>> {
        let budget = budget.max(threads * 15_000_000);
        // One merge at a time: a merge maps its segments whole (see `BoundedMergePolicy`).
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(budget / threads)
            .num_merge_threads(1)
            .build();
        let writer = self
            .tantivy()
            .writer_with_options(options)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::IndexBusy {
                    path: self.path().to_path_buf(),
                },
                other => other.into(),
            })?;
        writer.set_merge_policy(Box::new(BoundedMergePolicy::default()));
        Ok(writer)
    }

    fn record_ingest(&self, roots: &[Root], report: &IngestReport) -> Result<()> {
        let mut meta = IndexMeta::load(self.path())?;
        let sources: Vec<String> = roots
            .iter()
            .map(|r| r.given.display().to_string())
            .collect();
        meta.last_ingest = Some(LastIngest {
            finished_at: OffsetDateTime::now_utc()
                .format(&Rfc3339)
                .unwrap_or_default(),
            source: sources.join(", "),
            articles: report.articles_indexed,
            skipped: report.files_skipped + report.parts_skipped,
            seconds: report.elapsed.as_secs_f64(),
            files_added: report.files_added,
            files_updated: report.files_updated,
            files_unchanged: report.files_unchanged,
            files_removed: report.files_removed,
        });
        meta.save(self.path())
    }
}

/// A folder or file being ingested.
struct Root {
    /// As the user gave it: walked from here, shown in messages.
    given: PathBuf,
    /// Absolute, symbolic links resolved: the prefix of its files' source paths.
    absolute: PathBuf,
    /// Its folder's name, put in front of a colliding path id.
    name: String,
}

impl Root {
    fn new(given: &Path) -> Result<Root> {
        let absolute = std::fs::canonicalize(given).map_err(|e| Error::io(given, e))?;
        let folder = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent().unwrap_or(&absolute)
        };
        let name = folder
            .file_name()
            .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned());
        Ok(Root {
            given: given.to_path_buf(),
            absolute,
            name,
        })
    }

    /// The absolute path of a walked path under this root. Symbolic links inside the root
    /// are not resolved, so a file reached through one belongs to the root.
    fn absolute_path(&self, walked: &Path) -> PathBuf {
        match walked.strip_prefix(&self.given) {
            Ok(rest) if !rest.as_os_str().is_empty() => self.absolute.join(rest),
            _ => self.absolute.clone(),
        }
    }
}

/// A new or changed file to read.
struct PlannedFile {
    job: ReadJob,
    /// Its absolute path: the key of its articles in the index.
    source: String,
    /// The version in the index, when there is one.
    indexed: Option<IndexedFile>,
    /// Index of its root.
    root: usize,
}

impl AsRef<ReadJob> for PlannedFile {
    fn as_ref(&self) -> &ReadJob {
        &self.job
    }
}

/// Whether an indexed file's articles stay in the index after this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Its articles stay (unchanged, unreadable, or not under an ingested folder).
    Kept,
    /// Its articles are deleted (replaced by a new version, or the file is gone).
    Replaced,
    /// Not decided yet: it is still to be read.
    Pending,
}

/// Whether an article may take an id.
enum IdClaim {
    /// It may, under this id.
    Granted(String),
    /// Another article keeps it; the reason says which.
    Refused(SkipReason),
    /// It depends on a file not read yet.
    Undecided,
}

/// The state of one ingest.
struct Run<'a> {
    index: &'a FahrasIndex,
    writer: IndexWriter<ArticleDocument>,
    /// The writer's indexing threads: each leaves a segment at a commit.
    indexing_threads: usize,
    observer: &'a mut dyn IngestObserver,
    commit_every: usize,
    max_file_size: u64,
    follow_links: bool,
    /// The files of the last commit before this run.
    indexed: IndexedFiles,
    /// The names of the roots' folders, by root number.
    root_names: Vec<String>,
    /// Which file holds an id, in the last commit before this run.
    owners: IdOwners,
    report: IngestReport,
    /// What happens to the articles of indexed files this run decided on.
    fates: HashMap<String, Fate>,
    /// Ids given in this run, with the file that got them.
    ids_this_run: HashMap<String, PathBuf>,
    since_commit: usize,
    /// Articles indexed since the allocator last gave free memory back.
    since_trim: usize,
    /// Files whose articles wait for an id held by a file not read yet (by plan index).
    /// With each, whether parts of it were refused when it was parsed.
    waiting: Vec<(usize, ReadOutcome, bool)>,
    /// True once every read file is dealt with: files still pending are the waiting ones,
    /// all replaced.
    settling: bool,
    /// Bytes of the planned files indexed or dealt with, for [`IngestObserver::progressed`].
    indexed_bytes: IndexedBytes,
}

impl Run<'_> {
    fn skip(&mut self, path: &Path, reason: SkipReason, whole_file: bool) {
        if whole_file {
            self.report.files_skipped += 1;
        } else {
            self.report.parts_skipped += 1;
        }
        self.observer.skipped(&SkippedInput {
            path: path.to_path_buf(),
            reason,
            whole_file,
        });
    }

    /// Walks the roots: files indexed as they are need nothing; new and changed ones are
    /// returned to be read; indexed files that are gone are removed now.
    fn plan(&mut self, roots: &[Root]) -> Vec<PlannedFile> {
        let mut planned = Vec::new();
        let mut seen = HashSet::new();
        // Folders the walk could not enter: what the index has under them is not removed.
        let mut unseen_folders = Vec::new();
        for (root_number, root) in roots.iter().enumerate() {
            let found_before = self.report.files_found;
            let mut links_not_followed = Vec::new();
            let walked: Vec<_> = walk_article_files(&root.given, self.follow_links).collect();
            let metadata = metadata_of_files(&walked, self.indexing_threads);
            for (walked, metadata) in walked.into_iter().zip(metadata) {
                let found = match walked {
                    Ok(Walked::File(found)) => found,
                    Ok(Walked::LinkOutside { link, target }) => {
                        self.observer.noticed(&IngestNotice::LinkOutside {
                            link,
                            root: root.given.clone(),
                            target,
                        });
                        continue;
                    }
                    Ok(Walked::LinkNotFollowed(link)) => {
                        links_not_followed.push(link);
                        continue;
                    }
                    Ok(Walked::NotAFile { path, kind }) => {
                        let reason = SkipReason::NotAFile {
                            path: path.clone(),
                            kind,
                        };
                        self.skip(&path, reason, true);
                        continue;
                    }
                    Err(error) => {
                        let path = error.path().unwrap_or(&root.given).to_path_buf();
                        unseen_folders.push(root.absolute_path(&path));
                        self.skip(&path, walk_skip(path.clone(), error), true);
                        continue;
                    }
                };
                let source = root
                    .absolute_path(&found.path)
                    .to_string_lossy()
                    .into_owned();
                if !seen.insert(source.clone()) {
                    continue; // under two of the roots given
                }
                self.report.files_found += 1;
                let metadata = match metadata.expect("a file's metadata is read") {
                    Ok(metadata) => metadata,
                    Err(error) => {
                        self.fates.insert(source, Fate::Kept);
                        let error = match error.kind() {
                            std::io::ErrorKind::NotFound => Error::Vanished {
                                path: found.path.clone(),
                            },
                            _ => Error::io(&found.path, error),
                        };
                        self.skip(&found.path, SkipReason::File(error), true);
                        continue;
                    }
                };
                let indexed = self.indexed.get(&source).copied();
                if metadata.len() > self.max_file_size {
                    self.fates.insert(source, Fate::Kept);
                    let error = Error::TooLarge {
                        path: found.path.clone(),
                        size: metadata.len(),
                        limit: self.max_file_size,
                    };
                    self.skip(&found.path, SkipReason::File(error), true);
                    continue;
                }
                if indexed.is_some_and(|f| {
                    f.stamp
                        .same_size_and_time(metadata.len(), modified_ns(&metadata))
                }) {
                    self.fates.insert(source, Fate::Kept);
                    self.report.files_unchanged += 1;
                    continue;
                }
                self.fates.insert(source.clone(), Fate::Pending);
                planned.push(PlannedFile {
                    job: ReadJob {
                        path: found.path,
                        relative: found.relative,
                        size: metadata.len(),
                        indexed_hash: indexed.map(|f| f.stamp.hash),
                    },
                    source,
                    indexed,
                    root: root_number,
                });
            }
            let count = links_not_followed.len();
            if let Some(first) = links_not_followed.into_iter().next() {
                self.observer.noticed(&IngestNotice::LinksNotFollowed {
                    root: root.given.clone(),
                    first,
                    count,
                });
            }
            if self.report.files_found == found_before {
                self.report.empty_roots.push(root.given.clone());
            }
        }
        self.remove_gone_files(roots, &seen, &unseen_folders);
        planned
    }

    fn remove_gone_files(&mut self, roots: &[Root], seen: &HashSet<String>, unseen: &[PathBuf]) {
        let gone: Vec<(String, u64)> = self
            .indexed
            .iter()
            .filter(|(source, _)| {
                let path = Path::new(source);
                !seen.contains(*source)
                    && roots.iter().any(|r| path.starts_with(&r.absolute))
                    && !unseen.iter().any(|folder| path.starts_with(folder))
            })
            .map(|(source, file)| (source.to_string(), file.articles))
            .collect();
        for (source, articles) in gone {
            self.writer
                .delete_term(source_file_term(self.index.fields(), &source));
            self.fates.insert(source, Fate::Replaced);
            self.report.files_removed += 1;
            self.report.articles_removed += articles;
        }
    }

    /// Deals with what reading a planned file gave.
    fn apply(&mut self, number: usize, file: &PlannedFile, outcome: ReadOutcome) -> Result<()> {
        if !matches!(outcome, ReadOutcome::Parsed { .. }) {
            self.indexed_bytes.add(file.job.size);
        }
        match outcome {
            ReadOutcome::Unchanged => {
                self.report.files_read += 1;
                self.report.bytes_read += file.job.size;
                self.report.files_unchanged += 1;
                self.fates.insert(file.source.clone(), Fate::Kept);
            }
            // The file was read and holds no article (emptied, say): what was indexed from it
            // is gone with it.
            ReadOutcome::Failed(error @ Error::NoArticle { .. }) => {
                self.skip(&file.job.path, SkipReason::File(error), true);
                if let Some(indexed) = file.indexed {
                    self.delete_file(file);
                    self.report.articles_removed += indexed.articles;
                } else {
                    self.fates.insert(file.source.clone(), Fate::Kept);
                }
            }
            // It could not be read this time: its articles stay.
            ReadOutcome::Failed(error) => {
                self.fates.insert(file.source.clone(), Fate::Kept);
                self.skip(&file.job.path, SkipReason::File(error), true);
            }
            ReadOutcome::Vanished => {
                let error = Error::Vanished {
                    path: file.job.path.clone(),
                };
                self.skip(&file.job.path, SkipReason::File(error), true);
                if let Some(indexed) = file.indexed {
                    self.delete_file(file);
                    self.report.articles_removed += indexed.articles;
                }
            }
            ReadOutcome::Parsed {
                stamp,
                mut parsed,
                same_bytes,
            } => {
                self.report.files_read += 1;
                self.report.bytes_read += stamp.size;
                let problems = std::mem::take(&mut parsed.problems);
                let had_problems = !problems.is_empty();
                if !same_bytes {
                    for problem in problems {
                        self.skip(&file.job.path, SkipReason::File(problem), false);
                    }
                    for notice in std::mem::take(&mut parsed.notices) {
                        self.observer.noticed(&IngestNotice::File(notice));
                    }
                }
                if self.must_wait(file, &parsed)? {
                    let outcome = ReadOutcome::Parsed {
                        stamp,
                        parsed,
                        same_bytes,
                    };
                    self.waiting.push((number, outcome, had_problems));
                    return Ok(());
                }
                self.index_file(file, stamp, parsed, same_bytes, had_problems)?;
            }
        }
        Ok(())
    }

    fn delete_file(&mut self, file: &PlannedFile) {
        self.writer
            .delete_term(source_file_term(self.index.fields(), &file.source));
        self.fates.insert(file.source.clone(), Fate::Replaced);
    }

    /// True when an article's id is held by a file not read yet, whose fate decides it.
    fn must_wait(&self, file: &PlannedFile, parsed: &ParsedFile) -> Result<bool> {
        for article in &parsed.articles {
            if matches!(self.claim_id(file, article)?, IdClaim::Undecided) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Replaces the file's articles in the index by those parsed. `same_bytes`: the file is
    /// indexed again only to store its new modification time; it counts as unchanged.
    /// `had_problems`: parts of the file were refused when it was parsed (and reported).
    fn index_file(
        &mut self,
        file: &PlannedFile,
        stamp: FileStamp,
        parsed: ParsedFile,
        same_bytes: bool,
        had_problems: bool,
    ) -> Result<()> {
        if file.indexed.is_some() {
            self.delete_file(file);
        }
        let fields = self.index.fields();
        let mut reported = usize::from(had_problems);
        let mut granted = Vec::with_capacity(parsed.articles.len());
        for mut article in parsed.articles {
            match self.claim_id(file, &article)? {
                IdClaim::Granted(id) => article.id = id,
                IdClaim::Refused(reason) => {
                    if !same_bytes {
                        self.skip(&file.job.path, reason, false);
                    }
                    reported += 1;
                    continue;
                }
                IdClaim::Undecided => unreachable!("waiting files are indexed when all is read"),
            }
            self.ids_this_run
                .insert(article.id.clone(), file.job.path.clone());
            granted.push(article);
        }
        let added = granted.len() as u64;
        if added == 0 {
            self.indexed_bytes.add(file.job.size);
        }
        let shares = self.indexed_bytes.shares(file.job.size, added);
        for (article, share) in granted.into_iter().zip(shares) {
            let doc = ArticleDocument::from_file(*fields, article, &file.source, stamp);
            if let Err(error) = self.writer.add_document(doc.counted_by(share)) {
                return Err(self.why_the_indexer_stopped(error));
            }
        }
        match (added, file.indexed) {
            _ if same_bytes => self.report.files_unchanged += 1,
            // every problem of the file was reported already
            (0, _) if reported > 0 => self.report.files_skipped += 1,
            (0, _) => self.skip(
                &file.job.path,
                SkipReason::NoArticleIndexed {
                    path: file.job.path.clone(),
                },
                true,
            ),
            (_, Some(_)) => self.report.files_updated += 1,
            (_, None) => self.report.files_added += 1,
        }
        if !same_bytes {
            self.report.articles_indexed += added;
        }
        self.since_commit += added as usize;
        if self.since_commit >= self.commit_every {
            self.commit()?;
            self.since_commit = 0;
        }
        self.since_trim += added as usize;
        if self.since_trim >= TRIM_EVERY {
            release_free_memory();
            self.since_trim = 0;
        }
        Ok(())
    }

    /// Which id an article of `file` gets: its own, or for a path id held elsewhere, the same
    /// with the root folder's name in front.
    fn claim_id(&self, file: &PlannedFile, article: &Article) -> Result<IdClaim> {
        let from_path = article.id == article.path
            || article
                .id
                .strip_prefix(&article.path)
                .is_some_and(|rest| rest.starts_with('#'));
        let mut refusal = None;
        let mut candidates = vec![article.id.clone()];
        if from_path {
            candidates.push(format!("{}/{}", self.root_names[file.root], article.id));
        }
        for id in candidates {
            if let Some(holder) = self.ids_this_run.get(&id) {
                refusal.get_or_insert_with(|| SkipReason::IdTaken {
                    path: file.job.path.clone(),
                    id: id.clone(),
                    holder: shown(holder).to_string(),
                    this_ingest: true,
                });
                continue;
            }
            let holder = self.owners.owner(self.index.fields(), &id)?;
            match holder.as_deref().map(|h| (h, self.fate(h))) {
                None => return Ok(IdClaim::Granted(id)),
                Some((holder, _)) if holder == file.source => return Ok(IdClaim::Granted(id)),
                Some((_, Fate::Replaced)) => return Ok(IdClaim::Granted(id)),
                Some((_, Fate::Pending)) if self.settling => return Ok(IdClaim::Granted(id)),
                Some((_, Fate::Pending)) => return Ok(IdClaim::Undecided),
                Some((holder, Fate::Kept)) => {
                    refusal.get_or_insert_with(|| SkipReason::IdTaken {
                        path: file.job.path.clone(),
                        id: id.clone(),
                        holder: holder.to_string(),
                        this_ingest: false,
                    });
                }
            }
        }
        Ok(IdClaim::Refused(refusal.expect(
            "every id candidate is granted, undecided or refused",
        )))
    }

    fn fate(&self, source: &str) -> Fate {
        self.fates.get(source).copied().unwrap_or(Fate::Kept)
    }

    /// Indexes the files that waited for others to be read.
    fn index_waiting_files(&mut self, planned: &[PlannedFile]) -> Result<()> {
        self.settling = true;
        for (number, outcome, had_problems) in std::mem::take(&mut self.waiting) {
            if let ReadOutcome::Parsed {
                stamp,
                parsed,
                same_bytes,
            } = outcome
            {
                self.index_file(&planned[number], stamp, parsed, same_bytes, had_problems)?;
            }
        }
        Ok(())
    }

    /// Commits, and waits for the merges the commits started and those that settle the
    /// index's segments ([`BoundedMergePolicy::finishing`]). The reading tables of the
    /// committed words are built meanwhile (see [`FahrasIndex::readings_before_merge`]): a
    /// merge runs on one core, and the last one, of up to 100,000 articles, took seconds in
    /// which the tables were waiting for it.
    /// Then the tables are saved, and the report gets the number of articles in the index.
    fn finish(mut self) -> Result<IngestReport> {
        self.writer
            .set_merge_policy(Box::new(BoundedMergePolicy::finishing(
                MAX_MERGE_DOCS,
                self.indexing_threads,
            )));
        self.observer.step(IngestStep::Committing);
        self.commit()?;
        let index = self.index;
        let writer = self.writer;
        let observer = self.observer;
        let (merged, readings) = std::thread::scope(|scope| {
            let merging = scope.spawn(move || writer.wait_merging_threads());
            observer.step(IngestStep::BuildingReadings);
            let readings = index.readings_before_merge();
            observer.step(IngestStep::Merging);
            let merged = merging
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (merged, readings)
        });
        merged?;
        let readings = readings?;
        observer.step(IngestStep::SavingReadings);
        let mut report = self.report;
        report.documents = index.reader()?.searcher().num_docs();
        // the vocabulary changed: its readings are built again (a second or less)
        match readings {
            Some(readings) => index.save_readings_built_before_merge(readings)?,
            None => {
                index.refresh_readings(true)?;
            }
        }
        Ok(report)
    }

    /// The error of an indexing thread that stopped, when adding a document failed with
    /// tantivy's "An index writer was killed" (the thread's own error, a full disk say, is
    /// only given by joining it, which preparing a commit does), else `error` itself.
    fn why_the_indexer_stopped(&mut self, error: tantivy::TantivyError) -> Error {
        match self.writer.prepare_commit() {
            Err(cause) => cause.into(),
            // every thread was well: nothing is committed (the prepared commit is dropped)
            Ok(_) => error.into(),
        }
    }

    /// Commits, reporting the indexer's progress while the commit waits for it.
    fn commit(&mut self) -> Result<()> {
        let writer = &mut self.writer;
        let observer = &mut *self.observer;
        self.indexed_bytes
            .reporting_while(|| writer.commit(), |bytes| observer.progressed(bytes))?;
        Ok(())
    }
}

/// Fewer walked items than this have their metadata read on the calling thread.
const PARALLEL_METADATA_ITEMS: usize = 1_000;

/// The metadata of each file `walked` found (`None` for the other items), read on `threads`
/// threads: reading it one file after the other took a third of the walk of 101,610 files,
/// while the other cores waited for the walk to end.
fn metadata_of_files(
    walked: &[std::result::Result<Walked, walkdir::Error>],
    threads: usize,
) -> Vec<Option<std::io::Result<std::fs::Metadata>>> {
    let metadata_of = |items: &[std::result::Result<Walked, walkdir::Error>]| {
        items
            .iter()
            .map(|item| match item {
                Ok(Walked::File(found)) => Some(std::fs::metadata(&found.path)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    if walked.len() < PARALLEL_METADATA_ITEMS || threads < 2 {
        return metadata_of(walked);
    }
    let chunk = walked.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = walked
            .chunks(chunk)
            .map(|part| scope.spawn(move || metadata_of(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Articles indexed between two calls of [`release_free_memory`].
const TRIM_EVERY: usize = 5_000;

/// Gives the system back the memory glibc's allocator keeps free. glibc keeps what each
/// thread's arena freed (articles read on the reading threads, the indexer's buffers of every
/// segment written), and without this the resident size of a long ingest grew by about 3 KB
/// per article: 1.09 GiB for 304,830 articles. (The `fahras` binary allocates with mimalloc,
/// which returns freed memory itself; this is for programs that use the library with glibc's
/// allocator.)
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system;
        // it touches no memory in use.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Why the walk could not go into `path`: a link loop, or the system's error (walkdir has no
/// other kind).
fn walk_skip(path: PathBuf, error: walkdir::Error) -> SkipReason {
    if error.loop_ancestor().is_some() {
        return SkipReason::LinkLoop { path };
    }
    let detail = error.to_string();
    let io = error
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other(detail));
    SkipReason::File(Error::io(path, io))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::FoundFile;

    /// The split of the memory budget is written once: these methods, which the ingest uses.
    #[test]
    fn the_memory_budget_is_split_three_quarters_to_the_indexer() {
        let options = IngestOptions {
            memory_budget_bytes: 256 * 1024 * 1024,
            ..IngestOptions::default()
        };
        assert_eq!(options.indexer_memory_bytes(), 192 * 1024 * 1024);
        assert_eq!(options.files_in_flight_bytes(), 64 * 1024 * 1024);
        assert!(IngestOptions::MEMORY_SPLIT.starts_with("three quarters for the indexer"));
    }

    /// Read on several threads, each item's metadata is where the item is: files of different
    /// sizes, a file that is gone, and items that are no file.
    #[test]
    fn metadata_read_on_threads_stays_in_walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut walked = Vec::new();
        for n in 0..PARALLEL_METADATA_ITEMS + 501 {
            let path = dir.path().join(format!("{n}.txt"));
            match n % 7 {
                0 => walked.push(Ok(Walked::LinkNotFollowed(path))),
                1 => walked.push(Ok(Walked::File(FoundFile {
                    path,
                    relative: format!("{n}.txt"),
                }))),
                _ => {
                    std::fs::write(&path, "خبر ".repeat(n % 13)).unwrap();
                    walked.push(Ok(Walked::File(FoundFile {
                        path,
                        relative: format!("{n}.txt"),
                    })));
                }
            }
        }
        // what each item should give: none, gone, or the file's size
        let expected: Vec<Option<Option<u64>>> = (0..walked.len())
            .map(|n| match n % 7 {
                0 => None,
                1 => Some(None),
                _ => Some(Some(("خبر ".len() * (n % 13)) as u64)),
            })
            .collect();
        for threads in [1, 2, 3, 4] {
            let sizes: Vec<Option<Option<u64>>> = metadata_of_files(&walked, threads)
                .into_iter()
                .map(|m| m.map(|m| m.ok().map(|m| m.len())))
                .collect();
            assert_eq!(sizes, expected, "{threads} threads");
        }
    }
}
