//! Converting between [`Article`] and the stored tantivy document.

use tantivy::schema::Value;
use tantivy::{DateTime, TantivyDocument};

use super::Fields;
use crate::corpus::Article;

/// The document indexed for an article: text goes to both the exact and the stemmed field.
pub fn article_to_document(fields: &Fields, article: &Article) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.path, &article.path);
    doc.add_text(fields.title, &article.title);
    doc.add_text(fields.title_stem, &article.title);
    doc.add_text(fields.body, &article.body);
    doc.add_text(fields.body_stem, &article.body);
    // The text first, so its words have the positions they have in the text fields.
    doc.add_text(fields.name, &article.body);
    doc.add_text(fields.name, &article.title);
    if let Some(date) = article.date {
        doc.add_date(fields.date, DateTime::from_utc(date));
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
            doc.add_text(field, value);
        }
    }
    doc
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
        title: text(fields.title).unwrap_or_default(),
        body: text(fields.body).unwrap_or_default(),
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
