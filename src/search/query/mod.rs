//! The query side: from what the user typed to a tantivy query.
//!
//! A request's query is read once into a [`spec::QuerySpec`]: the text checked
//! ([`query_check`]: size, depth, fields) and parsed into its syntax tree ([`parse`]), the
//! `person:` leaves taken out of the tree beside the person given apart (`--person`), and
//! the dates ([`date_range`] reads `--from`/`--to`). [`build`] makes the first-stage query
//! from the spec: the tree's unknown words corrected in its leaves ([`spelling`]), its free-text
//! words read ([`query_words`]), each searched by its readings ([`reading_query`]), and each
//! person looked up by [`crate::search::person`]; excluded clauses are wrapped by
//! [`excluded`].

pub(super) mod build;
pub(super) mod date_range;
pub(super) mod excluded;
pub(super) mod parse;
pub(super) mod query_check;
pub(super) mod query_words;
pub mod reading_query;
pub(super) mod spec;
pub(super) mod spelling;
