//! The one parse of a query's text: tantivy's query grammar reads it into a syntax tree once,
//! and everything downstream reads that tree: the field check ([`check_fields`]), the
//! first-stage query (built from the tree by [`super::build`], with
//! `QueryParser::build_query_from_user_input_ast`) and the words the second ranking stage
//! scores ([`super::query_words::words_of_tree`]).
//!
//! The grammar is recursive, so [`check_query`] bounds the nesting depth before it runs. A
//! text the grammar refuses is parsed again, leniently, only to say where and what is wrong
//! (see [`syntax_error`]).

use tantivy::query::QueryParserError;
use tantivy_query_grammar::UserInputAst;

use super::query_check::{check_fields, check_query, syntax_error};
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

    /// The query with the colon after `word` (`لافروف: إن …`, pasted from an article) read as
    /// a space, not as a field separator, parsed again.
    pub(crate) fn colon_as_space(&self, word: &str) -> Result<ParsedQuery> {
        let text = self
            .text
            .replacen(&format!("{word}:"), &format!("{word} "), 1);
        match tantivy_query_grammar::parse_query(&text) {
            Ok(tree) => Ok(ParsedQuery { text, tree }),
            Err(_) => Err(refused(&text)),
        }
    }
}

/// The error for a text the grammar refused.
fn refused(text: &str) -> crate::error::Error {
    let parser_error = QueryParserError::SyntaxError(text.to_string());
    syntax_error(text, &parser_error.to_string())
}
