//! Exporting articles, for a search cluster when one machine is not enough: every stored
//! field of every article (or of a query's matches) as JSON Lines (each line an [`Article`]
//! as JSON), or as an OpenSearch / Elasticsearch `_bulk` body, plus an index mapping ([`opensearch_mapping`]) whose analyzers
//! reproduce fahras's normalization with built-in filters.
//!
//! Export streams: it walks the index segment by segment in document order, reads each
//! matching document from the store and writes it before reading the next, so memory stays
//! the same whatever the size of the index.

mod opensearch;

pub use opensearch::{fold_mappings, opensearch_mapping};

use std::io::Write;

use serde::Serialize;
use tantivy::query::{AllQuery, EnableScoring, Query};
use tantivy::{DocSet, Searcher, TERMINATED, TantivyDocument};
use time::OffsetDateTime;

use crate::corpus::Article;
use crate::error::{Error, Result};
use crate::index::{FahrasIndex, document_to_article};
use crate::search::{QuerySpec, build_query};

/// Decompressed store blocks kept per segment while exporting; documents are read in order,
/// so one block at a time suffices.
const STORE_CACHE_BLOCKS: usize = 1;

/// How exported articles are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per article per line.
    Ndjson,
    /// An OpenSearch / Elasticsearch `_bulk` body: an `index` action naming the target index
    /// and the article's id, then the article, each on its own line.
    OpenSearchBulk {
        /// The index named in each action.
        index: String,
    },
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// Only the articles matching this query (query syntax of docs/GUIDE.md); all when `None`.
    pub query: Option<String>,
    /// Only articles published at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Only articles published before this time.
    pub to: Option<OffsetDateTime>,
    /// The output format.
    pub format: ExportFormat,
}

impl ExportRequest {
    /// Every article, as JSON Lines.
    pub fn all() -> ExportRequest {
        ExportRequest {
            query: None,
            from: None,
            to: None,
            format: ExportFormat::Ndjson,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportReport {
    /// Articles written.
    pub articles: u64,
}

/// The action line of a `_bulk` body.
#[derive(Serialize)]
struct BulkAction<'a> {
    index: BulkTarget<'a>,
}

#[derive(Serialize)]
struct BulkTarget<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

impl FahrasIndex {
    /// Writes the articles `request` asks for to `out`, in index order, one at a time.
    pub fn export(&self, request: &ExportRequest, out: &mut dyn Write) -> Result<ExportReport> {
        let searcher = self.reader()?.searcher();
        let query: Box<dyn Query> = match (&request.query, request.from, request.to) {
            (None, None, None) => Box::new(AllQuery),
            (query, from, to) => build_query(
                self,
                &QuerySpec::new(query.as_deref().unwrap_or("*"), None, from, to)?,
            )?,
        };
        let mut articles = 0;
        self.for_each_match(&searcher, query.as_ref(), &mut |article| {
            write_article(out, &request.format, &article).map_err(Error::Output)?;
            articles += 1;
            Ok(())
        })?;
        out.flush().map_err(Error::Output)?;
        Ok(ExportReport { articles })
    }

    /// Calls `visit` with every live article matching `query`, segment by segment in document
    /// order, reading each from the store only when it is visited.
    pub fn for_each_match(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        visit: &mut dyn FnMut(Article) -> Result<()>,
    ) -> Result<()> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(STORE_CACHE_BLOCKS)
                .map_err(|e| Error::io(self.path(), e))?;
            let mut matches = weight.scorer(segment, 1.0)?;
            let mut doc = matches.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    let stored: TantivyDocument = store.get(doc)?;
                    visit(document_to_article(self.fields(), &stored))?;
                }
                doc = matches.advance();
            }
        }
        Ok(())
    }
}

/// Writes one article in `format`.
fn write_article(
    out: &mut dyn Write,
    format: &ExportFormat,
    article: &Article,
) -> std::io::Result<()> {
    if let ExportFormat::OpenSearchBulk { index } = format {
        let action = BulkAction {
            index: BulkTarget {
                index,
                id: &article.id,
            },
        };
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
    }
    serde_json::to_writer(&mut *out, article)?;
    out.write_all(b"\n")
}
