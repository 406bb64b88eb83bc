//! The query side: from what the user typed to a tantivy query.
//!
//! The query text is checked ([`query_check`]: size, depth, fields), its free-text words
//! read ([`query_words`]) and, where the index does not know one, corrected
//! ([`spelling`]); [`build`] turns it into the first-stage query, each word searched by its
//! readings ([`reading_query`]). [`date_range`] reads the `--from`/`--to` bounds. Person
//! clauses are looked up by [`crate::search::person`].

pub(super) mod build;
pub(super) mod date_range;
pub(super) mod parse;
pub(super) mod query_check;
pub(super) mod query_words;
pub mod reading_query;
pub(super) mod spelling;
