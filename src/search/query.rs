//! Turning what the user typed into a tantivy query.
//!
//! The syntax is tantivy's query parser: words, `"phrases"`, `+must`, `-not`, `field:term`,
//! `AND`/`OR`. A bare word searches the headline and the text, each in an exact field (the
//! word as written, normalized) and a stemmed field (clitics and suffixes removed); exact
//! matches weigh more, so `لافروف` ranks articles with that exact spelling above `للافروف`.

use std::ops::Bound;

use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery};
use tantivy::schema::Field;
use tantivy::{DateTime, Term};
use time::OffsetDateTime;

use crate::analysis::query_tokenizers;
use crate::error::{Error, Result};
use crate::index::{FahrasIndex, QUERYABLE_FIELDS};

/// Boost of each default field. Exact beats stemmed; the headline beats the text.
pub(crate) const TITLE_EXACT_BOOST: f32 = 2.0;
pub(crate) const TITLE_STEM_BOOST: f32 = 1.5;
pub(crate) const BODY_EXACT_BOOST: f32 = 1.3;
pub(crate) const BODY_STEM_BOOST: f32 = 1.0;

/// Builds the query for `text`, restricted to `[from, to]` when dates are given.
pub fn build_query(
    index: &FahrasIndex,
    text: &str,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> Result<Box<dyn Query>> {
    let user_query = parse_user_query(index, text)?;
    if from.is_none() && to.is_none() {
        return Ok(user_query);
    }
    let date_field = index.fields().date;
    let bound = |value: Option<OffsetDateTime>, inclusive: bool| match value {
        None => Bound::Unbounded,
        Some(t) => {
            let term = Term::from_field_date(date_field, DateTime::from_utc(t));
            if inclusive {
                Bound::Included(term)
            } else {
                Bound::Excluded(term)
            }
        }
    };
    let range = RangeQuery::new(bound(from, true), bound(to, false));
    Ok(Box::new(BooleanQuery::new(vec![
        (Occur::Must, user_query),
        (Occur::Must, Box::new(range)),
    ])))
}

fn query_parser(index: &FahrasIndex) -> QueryParser {
    let fields = index.fields();
    let defaults: [(Field, f32); 4] = [
        (fields.title, TITLE_EXACT_BOOST),
        (fields.title_stem, TITLE_STEM_BOOST),
        (fields.body, BODY_EXACT_BOOST),
        (fields.body_stem, BODY_STEM_BOOST),
    ];
    let mut parser = QueryParser::new(
        index.tantivy().schema(),
        defaults.iter().map(|&(field, _)| field).collect(),
        query_tokenizers(),
    );
    for (field, boost) in defaults {
        parser.set_field_boost(field, boost);
    }
    parser
}

/// Parses the user's query. A colon after an Arabic word (`لافروف: إن …`, pasted from an
/// article) is punctuation, not a field name; an unknown Latin field name is an error.
fn parse_user_query(index: &FahrasIndex, text: &str) -> Result<Box<dyn Query>> {
    if text.trim().is_empty() {
        return Err(Error::QuerySyntax {
            query: text.to_string(),
            position: 1,
            message: "the query is empty; give words to search for".into(),
        });
    }
    let parser = query_parser(index);
    let mut text = text.to_string();
    // Each round removes one colon, so this ends.
    loop {
        match parser.parse_query(&text) {
            Ok(query) => return Ok(query),
            Err(QueryParserError::FieldDoesNotExist(field)) if !field.is_ascii() => {
                text = text.replacen(&format!("{field}:"), &format!("{field} "), 1);
            }
            Err(QueryParserError::FieldDoesNotExist(field)) => {
                return Err(Error::UnknownField {
                    field,
                    known: QUERYABLE_FIELDS.join(", "),
                });
            }
            Err(error) => return Err(syntax_error(&text, error)),
        }
    }
}

/// Describes a parse failure with the 1-based character position the grammar reports.
fn syntax_error(text: &str, error: QueryParserError) -> Error {
    let (_, lenient_errors) = tantivy_query_grammar::parse_query_lenient(text);
    let (position, message) = match lenient_errors.first() {
        Some(lenient) => {
            let chars_before = text
                .get(..lenient.pos)
                .map_or(lenient.pos, |s| s.chars().count());
            (chars_before + 1, lenient.message.clone())
        }
        None => (1, error.to_string()),
    };
    Error::QuerySyntax {
        query: text.to_string(),
        position,
        message,
    }
}
