//! Converting between [`Article`] and the stored tantivy document.

use std::iter::Empty;
use std::sync::OnceLock;

use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
use tantivy::schema::{Document, Field, Value};
use tantivy::{DateTime, TantivyDocument};

use super::Fields;
use super::manifest::FileStamp;
use super::packed_text::{pack, unpack};
use super::progress::BytesShare;
use crate::corpus::Article;

/// An article as the index writer takes it: tantivy indexes and stores a document's values
/// where they are, so each field borrows the article's one copy of the text. (Copied into a
/// [`TantivyDocument`], the text was there once per field that indexed it, and the up to
/// 10,000 documents tantivy's indexing queue holds took that much more memory.)
#[derive(Debug)]
pub struct ArticleDocument {
    fields: Fields,
    article: Article,
    file: Option<(String, FileStamp)>,
    /// The headline and text as stored ([`pack`]ed), made when tantivy first reads the
    /// document: while it waits in the indexing queue it holds the text once.
    packed: OnceLock<(Vec<u8>, Vec<u8>)>,
    /// Its share of its file's bytes, counted as indexed when the indexer drops it.
    _share: Option<BytesShare>,
}

impl ArticleDocument {
    /// The document of `article`.
    pub fn new(fields: Fields, article: Article) -> ArticleDocument {
        ArticleDocument {
            fields,
            article,
            file: None,
            packed: OnceLock::new(),
            _share: None,
        }
    }

    /// The same, with the file it came from: its absolute path and version, for
    /// [`super::manifest`].
    pub fn from_file(fields: Fields, article: Article, source: &str, stamp: FileStamp) -> Self {
        ArticleDocument {
            file: Some((source.to_string(), stamp)),
            ..ArticleDocument::new(fields, article)
        }
    }

    /// The same, counting `share` as indexed once the indexer is done with it.
    pub(crate) fn counted_by(self, share: BytesShare) -> Self {
        ArticleDocument {
            _share: Some(share),
            ..self
        }
    }
}

/// A value of an [`ArticleDocument`], borrowed from it.
#[derive(Debug, Clone)]
pub enum ArticleValue<'a> {
    /// Text.
    Str(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
    /// An unsigned number.
    U64(u64),
    /// A signed number.
    I64(i64),
    /// A point in time.
    Date(DateTime),
}

impl<'a> Value<'a> for ArticleValue<'a> {
    type ArrayIter = Empty<Self>;
    type ObjectIter = Empty<(&'a str, Self)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            ArticleValue::Str(text) => ReferenceValueLeaf::Str(text),
            ArticleValue::Bytes(bytes) => ReferenceValueLeaf::Bytes(bytes),
            ArticleValue::U64(n) => ReferenceValueLeaf::U64(n),
            ArticleValue::I64(n) => ReferenceValueLeaf::I64(n),
            ArticleValue::Date(date) => ReferenceValueLeaf::Date(date),
        })
    }
}

impl Document for ArticleDocument {
    type Value<'a> = ArticleValue<'a>;
    type FieldsValuesIter<'a> = std::vec::IntoIter<(Field, ArticleValue<'a>)>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let (fields, article) = (&self.fields, &self.article);
        let (packed_title, packed_body) = self
            .packed
            .get_or_init(|| (pack(&article.title), pack(&article.body)));
        let mut values = vec![
            (fields.id, ArticleValue::Str(&article.id)),
            (fields.path, ArticleValue::Str(&article.path)),
            (fields.title, ArticleValue::Str(&article.title)),
            (fields.body, ArticleValue::Str(&article.body)),
            (fields.packed_title, ArticleValue::Bytes(packed_title)),
            (fields.packed_body, ArticleValue::Bytes(packed_body)),
            // The text first, so its compounds have the positions of its words in `body`.
            (fields.compound, ArticleValue::Str(&article.body)),
            (fields.compound, ArticleValue::Str(&article.title)),
        ];
        if let Some(date) = article.date {
            values.push((fields.date, ArticleValue::Date(DateTime::from_utc(date))));
        }
        let optional = [
            (fields.date_text, &article.date_text),
            (fields.source, &article.source),
            (fields.place, &article.place),
            (fields.category, &article.category),
            (fields.author, &article.author),
            (fields.url, &article.url),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                values.push((field, ArticleValue::Str(value)));
            }
        }
        if let Some((source, stamp)) = &self.file {
            values.extend([
                (fields.source_file, ArticleValue::Str(source)),
                (fields.file_size, ArticleValue::U64(stamp.size)),
                (fields.file_mtime, ArticleValue::I64(stamp.modified_ns)),
                (fields.file_hash, ArticleValue::U64(stamp.hash)),
            ]);
        }
        values.into_iter()
    }
}

/// Rebuilds the stored part of an article from its document.
pub fn document_to_article(fields: &Fields, doc: &TantivyDocument) -> Article {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    Article {
        id: text(fields.id).unwrap_or_default(),
        path: text(fields.path).unwrap_or_default(),
        title: stored_text(doc, fields.packed_title),
        body: stored_text(doc, fields.packed_body),
        date: doc
            .get_first(fields.date)
            .and_then(|v| v.as_datetime())
            .map(DateTime::into_utc),
        date_text: text(fields.date_text),
        source: text(fields.source),
        place: text(fields.place),
        category: text(fields.category),
        url: text(fields.url),
        author: text(fields.author),
    }
}

/// The headline or text stored in `field` of `doc` (`packed_title`, `packed_body`), as written.
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_bytes())
        .map(unpack)
        .unwrap_or_default()
}
