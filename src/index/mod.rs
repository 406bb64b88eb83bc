//! The on-disk index: its schema, how articles get in ([`ingest`]), and what is known about it
//! ([`IndexStats`]).

pub mod aliases;
#[cfg(test)]
mod disk_full_tests;
mod document;
mod ingest;
pub mod manifest;
mod merge_policy;
mod meta;
mod packed_text;
mod progress;
mod read_pool;
pub mod readings;
mod schema;
pub(crate) mod term_memo;

pub(crate) use document::stored_text;
pub use document::{ArticleDocument, ArticleValue, document_to_article};
pub use ingest::{
    DEFAULT_MAX_FILE_SIZE, IngestNotice, IngestObserver, IngestOptions, IngestReport, SkipReason,
    SkippedInput,
};
pub use meta::{FORMAT_VERSION, IndexMeta, LastIngest};
pub use progress::IngestStep;
pub use readings::Readings;
pub use schema::{Fields, QUERYABLE_FIELDS, build_schema, fields_of};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::termdict::TermMerger;
use tantivy::{Directory, Index, IndexReader, IndexSettings, ReloadPolicy};

use crate::analysis::register_analyzers;
use crate::error::{Error, Result, shown};
use readings::{READINGS_FILE, SavedReadings};

/// The folder used when no `--index` is given.
pub const DEFAULT_INDEX_DIR: &str = ".fahras";

/// Size of the blocks the stored articles are compressed in (tantivy: 16 KB). Showing a hit
/// decompresses its whole block, and a block of 4 KB holds one or two articles instead of
/// five or more: queries with 10 snippets on 101,610 articles p50 0.98-1.03 -> 0.90-0.92 ms,
/// for a store 9% larger (85 -> 93 MB).
const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// An open fahras index.
pub struct FahrasIndex {
    path: PathBuf,
    index: Index,
    fields: Fields,
}

impl FahrasIndex {
    /// Opens the index at `path`, creating the folder and an empty index when there is none.
    pub fn open_or_create(path: &Path) -> Result<FahrasIndex> {
        if path.join("meta.json").exists() {
            return FahrasIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        // fahras.json first: whoever sees tantivy's meta.json sees an index with its format
        meta::IndexMeta::new().save(path)?;
        let (schema, fields) = build_schema();
        let settings = IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            ..IndexSettings::default()
        };
        let index = match Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(path)
        {
            Ok(index) => index,
            // another process created it meanwhile
            Err(tantivy::TantivyError::IndexAlreadyExists) => return FahrasIndex::open(path),
            Err(error) => return Err(error.into()),
        };
        register_analyzers(index.tokenizers());
        Ok(FahrasIndex {
            path: path.to_path_buf(),
            index,
            fields,
        })
    }

    /// Opens the index at `path` to be rebuilt: as [`Self::open_or_create`], but an index of
    /// another fahras format is emptied first (its files go; `aliases.json` stays), since a
    /// rebuild indexes every article again anyway.
    pub fn open_for_rebuild(path: &Path) -> Result<FahrasIndex> {
        match FahrasIndex::open_or_create(path) {
            Err(Error::OldIndexFormat { .. }) if path.join(meta::META_FILE).exists() => {
                for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
                    let entry = entry.map_err(|e| Error::io(path, e))?;
                    let file = entry.path();
                    let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                    if is_file && entry.file_name() != aliases::ALIASES_FILE {
                        std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
                    }
                }
                FahrasIndex::open_or_create(path)
            }
            other => other,
        }
    }

    /// Opens an existing index.
    pub fn open(path: &Path) -> Result<FahrasIndex> {
        if !path.join("meta.json").exists() {
            return Err(Error::IndexMissing {
                path: path.to_path_buf(),
            });
        }
        // an index of another format analyzed its words otherwise (and has other fields): it
        // is refused by its format first, which says what to run
        IndexMeta::load(path)?;
        let index = Index::open_in_dir(path)?;
        let fields = fields_of(&index.schema()).ok_or_else(|| Error::IncompatibleIndex {
            path: path.to_path_buf(),
            found: "a tantivy index without fahras's fields".into(),
        })?;
        register_analyzers(index.tokenizers());
        let index = FahrasIndex {
            path: path.to_path_buf(),
            index,
            fields,
        };
        // tables built by other rules, or before a killed ingest's last commit: built again
        // now, from the vocabulary (a read-only folder keeps them in memory, see `Readings::of`)
        let _ = index.refresh_readings(false);
        Ok(index)
    }

    /// The reading tables (see [`readings`]) of the last commit.
    pub fn readings(&self) -> Result<Arc<Readings>> {
        Readings::of(&self.reader()?.searcher(), &self.fields)
    }

    /// Builds and saves the reading tables unless the saved ones are those of the last
    /// commit, by this build's rules. Returns whether they were built. Only while no ingest
    /// holds the index (`ingesting` says this process's own ingest does): one still running
    /// saves them when it ends.
    ///
    /// A file that says it holds the current tables but cannot be read (cut short, damaged)
    /// is written again, with one line on stderr saying so: without this, every process
    /// opening the index built the tables in memory and none saved them.
    pub fn refresh_readings(&self, ingesting: bool) -> Result<bool> {
        let searcher = self.reader()?.searcher();
        let unreadable = match Readings::load_saved(&searcher) {
            SavedReadings::Current => return Ok(false),
            SavedReadings::Outdated => false,
            SavedReadings::Unreadable => true,
        };
        let _lock = if ingesting {
            None
        } else {
            match self
                .index
                .directory()
                .acquire_lock(&tantivy::directory::INDEX_WRITER_LOCK)
            {
                Ok(lock) => Some(lock),
                Err(_) => return Ok(false),
            }
        };
        Readings::build(&searcher, &self.fields)?.save(&self.path)?;
        if unreadable {
            eprintln!(
                "fahras: {}: the reading tables could not be read; built them again from the index's words",
                shown(&self.path.join(READINGS_FILE))
            );
        }
        Ok(true)
    }

    /// The reading tables of the last commit, built now for [`Self::save_readings_built_before_merge`]
    /// to save once the merges running end, or `None` when the saved ones are current or a
    /// merge could change the words: one of the commit's segments has deleted articles,
    /// whose words a merge may drop. A merge of segments without deleted articles keeps every
    /// word (its term dictionary is the union of theirs), so the tables stay the same.
    pub(crate) fn readings_before_merge(&self) -> Result<Option<Readings>> {
        let searcher = self.reader()?.searcher();
        let merges_keep_words = searcher.segment_readers().iter().all(|s| !s.has_deletes());
        if !merges_keep_words || Readings::saved_are_current(&self.path, &searcher) {
            return Ok(None);
        }
        Ok(Some(Readings::build(&searcher, &self.fields)?))
    }

    /// Saves the tables [`Self::readings_before_merge`] built as those of the last commit,
    /// after the merges that ran meanwhile.
    pub(crate) fn save_readings_built_before_merge(&self, readings: Readings) -> Result<()> {
        let searcher = self.reader()?.searcher();
        if Readings::saved_are_current(&self.path, &searcher) {
            return Ok(());
        }
        readings.for_segments_of(&searcher).save(&self.path)
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tantivy index.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }

    /// The field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A reader on the last committed state (reloaded by hand, not on a timer).
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// A reader that follows the index: it moves to each new commit (an ingest by this or
    /// another process) shortly after it is made, for long-running readers such as a server.
    pub fn live_reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// What is in the index: documents, distinct terms, size on disk, last ingest.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader()?.searcher();
        let mut inverted = Vec::new();
        for segment in searcher.segment_readers() {
            inverted.push(segment.inverted_index(self.fields.body)?);
        }
        let mut streams = Vec::new();
        for index in &inverted {
            let stream = index
                .terms()
                .stream()
                .map_err(|e| Error::io(&self.path, e))?;
            streams.push(stream);
        }
        let mut merger = TermMerger::new(streams);
        let mut distinct_terms = 0u64;
        while merger.advance() {
            distinct_terms += 1;
        }
        Ok(IndexStats {
            path: self.path.clone(),
            documents: searcher.num_docs(),
            distinct_terms,
            segments: searcher.segment_readers().len(),
            size_bytes: folder_size(&self.path)?,
            last_ingest: IndexMeta::load(&self.path)?.last_ingest,
        })
    }
}

/// What `fahras stats` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexStats {
    /// The index folder.
    pub path: PathBuf,
    /// Articles in the index.
    pub documents: u64,
    /// Distinct normalized words of the article text (exact field).
    pub distinct_terms: u64,
    /// Index segments (merged in the background as the index grows).
    pub segments: usize,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// The last ingest, if any.
    pub last_ingest: Option<LastIngest>,
}

fn folder_size(path: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let meta = entry.metadata().map_err(|e| Error::io(entry.path(), e))?;
        if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}
