//! `fahras.json`, beside tantivy's files: the index format version and the last ingest.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// File name of the fahras metadata inside the index folder.
pub const META_FILE: &str = "fahras.json";

/// The version of the index layout this build reads and writes (3: the name-key field; 4: a
/// ta marbuta written ت before a suffix stemmed as ة, which changed the stemmed fields' terms;
/// 5: Arabic letters written against digits or Latin letters are words of their own, which
/// changes terms and positions; 6: each word once, in the headline and text fields only, its
/// stems and name spellings in the reading tables, see `readings`; 7: the headline and text
/// stored one byte an Arabic letter, see `packed_text`).
pub const FORMAT_VERSION: u32 = 7;

/// What fahras keeps about an index besides tantivy's own metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    /// Index layout version.
    pub format: u32,
    /// The last finished ingest.
    pub last_ingest: Option<LastIngest>,
}

/// A summary of one finished ingest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastIngest {
    /// When it finished (RFC 3339).
    pub finished_at: String,
    /// The folder or file ingested.
    pub source: String,
    /// Articles indexed.
    pub articles: u64,
    /// Files skipped.
    pub skipped: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// New files indexed.
    #[serde(default)]
    pub files_added: u64,
    /// Changed files indexed again.
    #[serde(default)]
    pub files_updated: u64,
    /// Files already indexed as they were.
    #[serde(default)]
    pub files_unchanged: u64,
    /// Indexed files that were gone, removed with their articles.
    #[serde(default)]
    pub files_removed: u64,
}

impl IndexMeta {
    /// Metadata of a new, empty index.
    pub fn new() -> IndexMeta {
        IndexMeta {
            format: FORMAT_VERSION,
            last_ingest: None,
        }
    }

    /// Reads the metadata of the index at `dir`; an index without the file gets defaults.
    pub fn load(dir: &Path) -> Result<IndexMeta> {
        let path = dir.join(META_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(IndexMeta::new()),
            Err(e) => return Err(Error::io(path, e)),
        };
        let meta: IndexMeta = serde_json::from_str(&text).map_err(|e| Error::Json {
            path: path.clone(),
            line: None,
            error: e,
        })?;
        if meta.format != FORMAT_VERSION {
            return Err(Error::OldIndexFormat {
                path: dir.to_path_buf(),
                found: meta.format,
            });
        }
        Ok(meta)
    }

    /// Writes the metadata atomically (temporary file, then rename). The temporary file is
    /// this process's own: two first ingests at once each renamed the other's away, and one
    /// failed with "fahras.json: No such file" instead of the lock's message.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(META_FILE);
        let temporary = dir.join(format!("{META_FILE}.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(self).expect("metadata serializes");
        std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
    }
}

impl Default for IndexMeta {
    fn default() -> Self {
        IndexMeta::new()
    }
}
