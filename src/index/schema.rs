//! The index schema: which fields an article is stored and indexed in, and how.

use tantivy::schema::{
    DateOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis::{COMPOUND, EXACT};

/// Handles of the fields of a fahras index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (DOCNO, JSON id or relative path); one term, for updates and lookups.
    pub id: Field,
    /// File path relative to the ingested folder.
    pub path: Field,
    /// Headline, exact analyzer (each word once, as normalized), stored. Its words' stems and
    /// name spellings are in the reading tables (see [`super::readings`]).
    pub title: Field,
    /// Article text, exact analyzer, stored.
    pub body: Field,
    /// The compound names written apart in the text, then in the headline (`عبد الله`), each
    /// one term at its head's position: the name spellings of two words.
    pub compound: Field,
    /// Publication time (UTC), for `--from`/`--to`.
    pub date: Field,
    /// Publication date as written in the file.
    pub date_text: Field,
    /// Publisher or agency; also a fast field of the value as written, for facets.
    pub source: Field,
    /// Dateline place; also a fast field, for facets.
    pub place: Field,
    /// Section or category; also a fast field, for facets.
    pub category: Field,
    /// Author; also a fast field, for facets.
    pub author: Field,
    /// Address of the original, stored only.
    pub url: Field,
    /// Absolute path of the file the article came from: one term, to replace or remove all
    /// the articles of a file; a fast field, to list the indexed files. See [`super::manifest`].
    pub source_file: Field,
    /// Size in bytes of that file when it was indexed (fast field).
    pub file_size: Field,
    /// Its modification time, nanoseconds since 1970 (fast field).
    pub file_mtime: Field,
    /// A hash of its bytes (xxh3, fast field).
    pub file_hash: Field,
}

/// Names of the per-file fields, read back as fast fields.
pub(crate) const SOURCE_FILE: &str = "source_file";
pub(crate) const FILE_SIZE: &str = "file_size";
pub(crate) const FILE_MTIME: &str = "file_mtime";
pub(crate) const FILE_HASH: &str = "file_hash";

/// Field names users can put before a colon in a query.
pub const QUERYABLE_FIELDS: [&str; 7] = [
    "title", "body", "source", "place", "category", "author", "id",
];

fn analyzed_text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// A metadata field: searchable with the exact analyzer, stored, and a fast field holding the
/// whole value as written (tantivy's `raw` tokenizer), which facet counts read per document
/// without loading stored documents.
fn metadata_text() -> TextOptions {
    analyzed_text(EXACT, true).set_fast("raw")
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        path: builder.add_text_field("path", STRING | STORED),
        title: builder.add_text_field("title", analyzed_text(EXACT, true)),
        body: builder.add_text_field("body", analyzed_text(EXACT, true)),
        compound: builder.add_text_field("compound", analyzed_text(COMPOUND, false)),
        date: builder.add_date_field("date", DateOptions::from(INDEXED).set_stored().set_fast()),
        date_text: builder.add_text_field("date_text", STORED),
        source: builder.add_text_field("source", metadata_text()),
        place: builder.add_text_field("place", metadata_text()),
        category: builder.add_text_field("category", metadata_text()),
        author: builder.add_text_field("author", metadata_text()),
        url: builder.add_text_field("url", STORED),
        source_file: builder.add_text_field(SOURCE_FILE, STRING | FAST),
        file_size: builder.add_u64_field(FILE_SIZE, FAST),
        file_mtime: builder.add_i64_field(FILE_MTIME, FAST),
        file_hash: builder.add_u64_field(FILE_HASH, FAST),
    };
    (builder.build(), fields)
}

/// Looks up the field handles in an existing index's schema; `None` when a field is missing
/// (an index made by another program or another version).
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let get = |name: &str| schema.get_field(name).ok();
    Some(Fields {
        id: get("id")?,
        path: get("path")?,
        title: get("title")?,
        body: get("body")?,
        compound: get("compound")?,
        date: get("date")?,
        date_text: get("date_text")?,
        source: get("source")?,
        place: get("place")?,
        category: get("category")?,
        author: get("author")?,
        url: get("url")?,
        source_file: get(SOURCE_FILE)?,
        file_size: get(FILE_SIZE)?,
        file_mtime: get(FILE_MTIME)?,
        file_hash: get(FILE_HASH)?,
    })
}
