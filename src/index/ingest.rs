//! Ingest: read every article file under a folder and add it to the index.
//!
//! One bad file never aborts an ingest: it is reported through the `on_skip` callback and
//! counted, and the rest goes on. An article whose id is already in the index replaces the
//! old copy, so ingesting the same folder twice does not duplicate it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, TantivyDocument, Term};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::meta::{IndexMeta, LastIngest};
use super::{FahrasIndex, article_to_document};
use crate::corpus::{FoundFile, find_article_files, read_article_file};
use crate::error::{Error, Result};

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Memory the index writer may use for buffered documents, in bytes (split between
    /// threads; tantivy needs at least 15 MB per thread).
    pub memory_budget_bytes: usize,
    /// Indexing threads; 0 picks the number of cores (at most 4).
    pub threads: usize,
    /// Commit after this many articles, so a crash loses at most this much work.
    pub commit_every: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            memory_budget_bytes: 256 * 1024 * 1024,
            threads: 0,
            commit_every: 50_000,
        }
    }
}

/// A file, or part of one, that was not indexed.
#[derive(Debug)]
pub struct SkippedInput {
    /// The file (or folder, for walk errors).
    pub path: PathBuf,
    /// Why, naming what to do, in one line.
    pub reason: String,
    /// True when the whole file was skipped, false when only part of it (a bad JSON line).
    pub whole_file: bool,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Article files found.
    pub files_seen: u64,
    /// Files from which at least one article was indexed.
    pub files_indexed: u64,
    /// Articles added or replaced.
    pub articles_indexed: u64,
    /// Files skipped whole.
    pub files_skipped: u64,
    /// Parts of files skipped (bad lines of JSON Lines files).
    pub parts_skipped: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Bytes of article files read.
    pub bytes_read: u64,
}

impl IngestReport {
    /// True when everything found was indexed.
    pub fn is_clean(&self) -> bool {
        self.files_skipped == 0 && self.parts_skipped == 0
    }
}

impl FahrasIndex {
    /// Indexes every article file under `root` (a folder or one file). Skipped inputs are
    /// passed to `on_skip` as they happen. Returns an error only when the index itself fails
    /// or `root` cannot be read at all.
    pub fn ingest(
        &self,
        root: &Path,
        options: &IngestOptions,
        on_skip: &mut dyn FnMut(&SkippedInput),
    ) -> Result<IngestReport> {
        let started = Instant::now();
        std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
        let mut writer = self.writer(options)?;
        let mut report = IngestReport::default();
        let mut since_commit = 0;
        let mut ids_this_run = HashSet::new();
        for found in find_article_files(root) {
            let found = match found {
                Ok(found) => found,
                Err(e) => {
                    report.files_skipped += 1;
                    on_skip(&walk_error_to_skip(root, e));
                    continue;
                }
            };
            report.files_seen += 1;
            let added = self.add_file(&writer, &found, &mut ids_this_run, &mut report, on_skip)?;
            since_commit += added;
            if since_commit >= options.commit_every {
                writer.commit()?;
                since_commit = 0;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        report.elapsed = started.elapsed();
        self.record_ingest(root, &report)?;
        Ok(report)
    }

    fn writer(&self, options: &IngestOptions) -> Result<IndexWriter<TantivyDocument>> {
        let threads = match options.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            n => n,
        };
        let min_budget = threads * 15_000_000;
        let budget = options.memory_budget_bytes.max(min_budget);
        self.tantivy()
            .writer_with_num_threads(threads, budget)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::IndexBusy {
                    path: self.path().to_path_buf(),
                },
                other => other.into(),
            })
    }

    /// Reads one file and queues its articles; returns how many were queued.
    fn add_file(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        found: &FoundFile,
        ids_this_run: &mut HashSet<String>,
        report: &mut IngestReport,
        on_skip: &mut dyn FnMut(&SkippedInput),
    ) -> Result<usize> {
        let parsed = match read_article_file(&found.path, &found.relative) {
            Ok(parsed) => parsed,
            Err(e) => {
                report.files_skipped += 1;
                on_skip(&SkippedInput {
                    path: found.path.clone(),
                    reason: e.to_string(),
                    whole_file: true,
                });
                return Ok(0);
            }
        };
        report.bytes_read += std::fs::metadata(&found.path).map_or(0, |m| m.len());
        for problem in &parsed.problems {
            report.parts_skipped += 1;
            on_skip(&SkippedInput {
                path: found.path.clone(),
                reason: problem.to_string(),
                whole_file: false,
            });
        }
        let fields = self.fields();
        let mut added = 0;
        for article in &parsed.articles {
            // An id seen earlier in this run is another article, not a new version of it.
            if !ids_this_run.insert(article.id.clone()) {
                report.parts_skipped += 1;
                on_skip(&SkippedInput {
                    path: found.path.clone(),
                    reason: format!(
                        "{}: article id `{}` was already used by another article in this ingest; skipped (give it a unique id)",
                        found.path.display(),
                        article.id
                    ),
                    whole_file: false,
                });
                continue;
            }
            writer.delete_term(Term::from_field_text(fields.id, &article.id));
            writer.add_document(article_to_document(fields, article))?;
            added += 1;
        }
        if added > 0 {
            report.files_indexed += 1;
        }
        report.articles_indexed += added as u64;
        Ok(added)
    }

    fn record_ingest(&self, root: &Path, report: &IngestReport) -> Result<()> {
        let mut meta = IndexMeta::load(self.path())?;
        meta.last_ingest = Some(LastIngest {
            finished_at: OffsetDateTime::now_utc()
                .format(&Rfc3339)
                .unwrap_or_default(),
            source: root.display().to_string(),
            articles: report.articles_indexed,
            skipped: report.files_skipped + report.parts_skipped,
            seconds: report.elapsed.as_secs_f64(),
        });
        meta.save(self.path())
    }
}

fn walk_error_to_skip(root: &Path, error: walkdir::Error) -> SkippedInput {
    let path = error.path().unwrap_or(root).to_path_buf();
    let reason = if error.loop_ancestor().is_some() {
        format!("{}: symbolic link loop; skipped", path.display())
    } else {
        match error.io_error() {
            Some(io) => format!("{}: {io}; skipped", path.display()),
            None => format!("{}: {error}; skipped", path.display()),
        }
    };
    SkippedInput {
        path,
        reason,
        whole_file: true,
    }
}
