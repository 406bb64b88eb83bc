//! The one parse of a query's text: tantivy's query grammar reads it into a syntax tree once
//! (in [`super::spec::QuerySpec::new`]), and everything downstream reads that tree: the field
//! check ([`check_fields`]), the persons (its `person:` leaves, see [`super::spec`]), the
//! spelling corrections (made in its leaves, see [`super::spelling::correct_tree`]), the
//! first-stage query (built from the tree by [`super::build`], with
//! `QueryParser::build_query_from_user_input_ast`) and the words the second ranking stage
//! scores ([`super::query_words::words_of_tree`]).
//!
//! The grammar is recursive, so [`check_query`] bounds the nesting depth before it runs. A
//! text the grammar refuses is parsed again, leniently, only to say where and what is wrong
//! (see [`syntax_error`]); so is a text whose colon after an Arabic word is punctuation
//! ([`ParsedQuery::with_colons_read`]).

use tantivy::query::QueryParserError;
use tantivy_query_grammar::UserInputAst;

use super::query_check::{
    check_fields, check_query, collect_leaves, leaf_field, syntax_error, unknown_field,
};
use crate::error::Result;

/// A query's text and its syntax tree.
#[derive(Debug, Clone)]
pub(crate) struct ParsedQuery {
    /// The text the tree was parsed from.
    pub(crate) text: String,
    /// The grammar's tree of `text`.
    pub(crate) tree: UserInputAst,
}

impl ParsedQuery {
    /// Parses `text` after [`check_query`] (size and depth), refusing fields the user cannot
    /// search ([`check_fields`], which comes before syntax errors) and text the grammar
    /// refuses (with a message in plain words).
    pub(crate) fn parse(text: &str) -> Result<ParsedQuery> {
        check_query(text)?;
        match tantivy_query_grammar::parse_query(text) {
            Ok(tree) => {
                check_fields(text, &tree)?;
                Ok(ParsedQuery {
                    text: text.to_string(),
                    tree,
                })
            }
            Err(_) => {
                // the fields as the lenient grammar reads them (`check_query` bounded the depth)
                check_fields(text, &tantivy_query_grammar::parse_query_lenient(text).0)?;
                Err(refused(text))
            }
        }
    }

    /// The query with each colon after an Arabic word (`لافروف: إن …`, pasted from an
    /// article) read as a space, not as a field separator: the grammar reads it as a field
    /// name, and no field has one. Such a word that is no `word:` in the text (the grammar
    /// read it otherwise) is an unknown field.
    pub(crate) fn with_colons_read(self) -> Result<ParsedQuery> {
        let mut parsed = self;
        // Each round removes one colon or stops, so this ends.
        while let Some(field) = first_unknown_field(&parsed.tree) {
            if !parsed.text.contains(&format!("{field}:")) {
                return Err(unknown_field(&field));
            }
            let text = parsed
                .text
                .replacen(&format!("{field}:"), &format!("{field} "), 1);
            parsed = match tantivy_query_grammar::parse_query(&text) {
                Ok(tree) => ParsedQuery { text, tree },
                Err(_) => return Err(refused(&text)),
            };
        }
        Ok(parsed)
    }
}

/// The first field name of `tree` that is not ASCII (every field of the index is).
fn first_unknown_field(tree: &UserInputAst) -> Option<String> {
    let mut leaves = Vec::new();
    collect_leaves(tree, &mut leaves);
    leaves
        .into_iter()
        .find_map(|leaf| leaf_field(leaf).filter(|f| !f.is_ascii()))
        .map(str::to_string)
}

/// The error for a text the grammar refused.
fn refused(text: &str) -> crate::error::Error {
    let parser_error = QueryParserError::SyntaxError(text.to_string());
    syntax_error(text, &parser_error.to_string())
}
