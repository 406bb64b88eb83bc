//! The index schema: which fields an article is stored and indexed in, and how.

use tantivy::schema::{
    DateOptions, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis::{COMPOUND, EXACT};

/// Declares each field once: its handle (named as the field is in the schema), what it holds,
/// and how it is added. [`Fields`], [`build_schema`] and [`fields_of`] are made from this one
/// table.
macro_rules! fields {
    ($($(#[doc = $doc:literal])* $field:ident: $add:ident($options:expr),)*) => {
        /// Handles of the fields of a fahras index.
        #[derive(Debug, Clone, Copy)]
        pub struct Fields {
            $($(#[doc = $doc])* pub $field: Field,)*
        }

        /// Builds the schema and returns it with its field handles.
        pub fn build_schema() -> (Schema, Fields) {
            let mut builder = Schema::builder();
            let fields = Fields {
                $($field: builder.$add(stringify!($field), $options),)*
            };
            (builder.build(), fields)
        }

        /// Looks up the field handles in an existing index's schema; `None` when a field is
        /// missing (an index made by another program or another version).
        pub fn fields_of(schema: &Schema) -> Option<Fields> {
            Some(Fields {
                $($field: schema.get_field(stringify!($field)).ok()?,)*
            })
        }
    };
}

fields! {
    /// Article id (DOCNO, JSON id or relative path); one term, for updates and lookups.
    id: add_text_field(STRING | STORED),
    /// File path relative to the ingested folder.
    path: add_text_field(STRING | STORED),
    /// Headline, exact analyzer (each word once, as normalized). Its words' stems and name
    /// spellings are in the reading tables (see [`super::readings`]); it is stored as
    /// `packed_title`.
    title: add_text_field(analyzed_text(EXACT, false)),
    /// Article text, exact analyzer; stored as `packed_body`.
    body: add_text_field(analyzed_text(EXACT, false)),
    /// The headline as written, stored one byte an Arabic letter (see [`super::packed_text`]).
    packed_title: add_bytes_field(STORED),
    /// The article text as written, stored the same way.
    packed_body: add_bytes_field(STORED),
    /// The compound names written apart in the text, then in the headline (`عبد الله`), each
    /// one term at its head's position: the name spellings of two words.
    compound: add_text_field(analyzed_text(COMPOUND, false)),
    /// Publication time (UTC), for `--from`/`--to`.
    date: add_date_field(DateOptions::from(INDEXED).set_stored().set_fast()),
    /// Publication date as written in the file.
    date_text: add_text_field(STORED),
    /// Publisher or agency; also a fast field of the value as written, for facets.
    source: add_text_field(metadata_text()),
    /// Dateline place; also a fast field, for facets.
    place: add_text_field(metadata_text()),
    /// Section or category; also a fast field, for facets.
    category: add_text_field(metadata_text()),
    /// Author; also a fast field, for facets.
    author: add_text_field(metadata_text()),
    /// Address of the original, stored only.
    url: add_text_field(STORED),
    /// Absolute path of the file the article came from: one term, to replace or remove all
    /// the articles of a file; a fast field, to list the indexed files. See [`super::manifest`].
    source_file: add_text_field(STRING | FAST),
    /// Size in bytes of that file when it was indexed (fast field).
    file_size: add_u64_field(FAST),
    /// Its modification time, nanoseconds since 1970 (fast field).
    file_mtime: add_i64_field(FAST),
    /// A hash of its bytes (xxh3, fast field).
    file_hash: add_u64_field(FAST),
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
