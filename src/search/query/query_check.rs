//! What a query must be before tantivy's parser sees it, and its parse failures in plain words.
//!
//! tantivy's query grammar parses groups recursively, so a query of a few thousand `(` (or
//! `NOT NOT …`) overflows the stack and aborts the process, whichever thread parses it: the
//! CLI, or a request to `fahras serve`, which would take the whole server down. Every query
//! path calls [`check_query`] before any parse, and a query nested deeper than
//! [`MAX_QUERY_DEPTH`] is refused with a message (OpenSearch refuses depth > 200 the same way).
//! So is one of more than [`MAX_QUERY_WORDS`] words, which bounds the work of a query (each
//! word costs look-ups of its readings and a clause of the query: a pasted page of 3,000
//! random words took 0.1 s), and one with a word longer than the index keeps (the analyzer
//! drops it, which left a 100,000-letter word "the query is empty").
//!
//! Then [`check_fields`] refuses, in the query's one syntax tree (see [`super::parse`]), field
//! names the user cannot search (`date:2017`, `foo:x`) and `field:*`, which tantivy turns into
//! an internal error at search time, and [`syntax_message`] says what is wrong with a query that does not parse, in the words of fahras's messages
//! rather than the grammar's.

use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy_query_grammar::{UserInputAst, UserInputLeaf};

use crate::analysis::normalize;
use crate::analysis::normalizer::MAX_TOKEN_BYTES;
use crate::analysis::tokenizer::ArabicTokenizer;
use crate::error::{Error, Result};
use crate::index::QUERYABLE_FIELDS;
use crate::search::person::lookup::PERSON_FIELD;

/// The deepest nesting of parentheses and `NOT`s a query may have. A person's query nests a
/// few levels; this leaves room for generated ones while keeping the parser's recursion far
/// from the stack's end (a 2 MiB thread of a debug build parses this depth; 731 levels
/// overflowed a server's worker thread).
pub const MAX_QUERY_DEPTH: usize = 100;

/// The most `(` a query may leave unclosed before it is refused without parsing. The grammar
/// refuses any unclosed group, but backtracks on each one it meets, so its time doubles with
/// each (fuzzing found 24 unclosed groups in 900 characters taking minutes); a typo leaves one.
pub const MAX_UNCLOSED_GROUPS: usize = 3;

/// The most words a query may have: a question has a dozen, a pasted paragraph a hundred or
/// two. (Operators and field names count as words.)
pub const MAX_QUERY_WORDS: usize = 256;

/// Refuses a query nested deeper than [`MAX_QUERY_DEPTH`], of more than [`MAX_QUERY_WORDS`]
/// words, or with a word the index cannot have, without parsing it.
pub(crate) fn check_query(text: &str) -> Result<()> {
    let depth = nesting_depth(text);
    if depth > MAX_QUERY_DEPTH {
        return Err(Error::QueryTooDeep {
            depth,
            limit: MAX_QUERY_DEPTH,
        });
    }
    let unclosed = unclosed_groups(text);
    if unclosed.len() > MAX_UNCLOSED_GROUPS {
        return Err(Error::QuerySyntax {
            query: text.to_string(),
            position: unclosed[0] + 1,
            message: format!(
                "{} `(` are never closed; add a `)` for each or remove them",
                unclosed.len()
            ),
        });
    }
    check_words(text)
}

/// Refuses a query of more than [`MAX_QUERY_WORDS`] words (as the analyzer splits them), or
/// with a word whose normalized form is longer than [`MAX_TOKEN_BYTES`], which the analyzer
/// drops as it did at indexing.
fn check_words(text: &str) -> Result<()> {
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut words = 0;
    while stream.advance() {
        words += 1;
        let word = &stream.token().text;
        // only words longer than the limit as written are normalized (cheap for the rest); a
        // shorter one that normalizing lengthens (a ligature spelled out) is left to the analyzer
        if word.len() > MAX_TOKEN_BYTES && normalize(word).len() > MAX_TOKEN_BYTES {
            return Err(Error::WordTooLong {
                letters: word.chars().count(),
                limit_bytes: MAX_TOKEN_BYTES,
            });
        }
    }
    if words > MAX_QUERY_WORDS {
        return Err(Error::QueryTooLong {
            words,
            limit: MAX_QUERY_WORDS,
        });
    }
    Ok(())
}

/// The character positions of the `(` of `text` that no `)` after them closes, counted as
/// [`nesting_depth`] counts them (inside quotes too: more, never fewer).
fn unclosed_groups(text: &str) -> Vec<usize> {
    let mut open = Vec::new();
    for (position, c) in text.chars().enumerate() {
        match c {
            '(' => open.push(position),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// How deep the grammar would recurse on `text`, or more: every `(` counts (even one inside
/// quotes, which the grammar would not recurse on, so no escaping trick hides a level), and a
/// run of `NOT`s counts one level each.
fn nesting_depth(text: &str) -> usize {
    let mut open = 0usize;
    let mut deepest = 0usize;
    let mut nots = 0usize;
    for token in text.split(|c: char| c.is_whitespace()) {
        let mut rest = token;
        loop {
            match rest.chars().next() {
                Some('(') => open += 1,
                Some('+' | '-') => {}
                _ => break,
            }
            rest = &rest[1..];
            deepest = deepest.max(open + nots);
        }
        if rest == "NOT" {
            nots += 1;
        } else if !rest.is_empty() {
            nots = 0;
        }
        for c in rest.chars() {
            match c {
                '(' => open += 1,
                ')' => open = open.saturating_sub(1),
                _ => {}
            }
            deepest = deepest.max(open + nots);
        }
        deepest = deepest.max(open + nots);
    }
    deepest
}

/// Refuses what the parser would accept but the index cannot answer: a field the user cannot
/// search (not in [`QUERYABLE_FIELDS`]: `date:2017`, `title_stem:x`, `foo:x`), and `field:*`
/// ("has any value"), which tantivy only answers for fast fields and otherwise fails at search
/// time. Field names that are not ASCII are left alone: a colon after an Arabic word is
/// punctuation (see `ParsedQuery::with_colons_read`). `person:` is the field of person
/// clauses (see [`super::spec`]). `tree` is the grammar's tree of `text` (see
/// [`super::parse`]).
pub(crate) fn check_fields(text: &str, tree: &UserInputAst) -> Result<()> {
    let mut leaves = Vec::new();
    collect_leaves(tree, &mut leaves);
    for leaf in leaves {
        let exists = matches!(leaf, UserInputLeaf::Exists { .. });
        let Some(field) = leaf_field(leaf).filter(|f| f.is_ascii()) else {
            continue;
        };
        if !QUERYABLE_FIELDS.contains(&field) && field != PERSON_FIELD {
            return Err(unknown_field(field));
        }
        if exists {
            return Err(Error::QuerySyntax {
                query: text.to_string(),
                position: position_of(text, &format!("{field}:")),
                message: format!(
                    "`{field}:*` (any value of a field) cannot be searched; give words, as in \
                     {field}:كلمة, or `*` for every article"
                ),
            });
        }
    }
    Ok(())
}

/// The error for a field name that is not one of [`QUERYABLE_FIELDS`].
pub(crate) fn unknown_field(field: &str) -> Error {
    Error::UnknownField {
        field: field.to_string(),
        known: QUERYABLE_FIELDS.join(", "),
    }
}

/// The field a leaf of the tree names (`title:…`, `source:[a TO b]`), if any.
pub(crate) fn leaf_field(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(literal) => literal.field_name.as_deref(),
        UserInputLeaf::Range { field, .. }
        | UserInputLeaf::Set { field, .. }
        | UserInputLeaf::Regex { field, .. } => field.as_deref(),
        UserInputLeaf::Exists { field } => Some(field.as_str()),
        UserInputLeaf::All => None,
    }
}

pub(crate) fn collect_leaves<'a>(ast: &'a UserInputAst, leaves: &mut Vec<&'a UserInputLeaf>) {
    // Depth is bounded by `check_query`, which runs first.
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, clause) in clauses {
                collect_leaves(clause, leaves);
            }
        }
        UserInputAst::Boost(inner, _) => collect_leaves(inner, leaves),
        UserInputAst::Leaf(leaf) => leaves.push(leaf),
    }
}

/// 1-based character position of `needle` in `text` (1 when absent).
pub(crate) fn position_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |at| text[..at].chars().count() + 1)
}

/// The error for a query tantivy's parser refused with `parser_message`: where the grammar
/// sees the problem and what to change, in plain words. Messages not known here are passed on.
pub(crate) fn syntax_error(text: &str, parser_message: &str) -> Error {
    let error = |position: usize, message: String| Error::QuerySyntax {
        query: text.to_string(),
        position,
        message,
    };
    let trimmed = text.trim_end();
    if let Some(operator) = ["AND", "OR", "NOT"]
        .into_iter()
        .find(|op| trimmed == *op || trimmed.ends_with(&format!(" {op}")))
    {
        let message = format!(
            "`{operator}` at the end has no words after it; add them (ترامب {operator} بوتين), \
             or write \"{operator}\" in quotes to search the word itself"
        );
        return error(trimmed.chars().count() - operator.len() + 1, message);
    }
    // `check_query` bounded the depth, so the recursive grammar is safe to run
    let (_, lenient_errors) = tantivy_query_grammar::parse_query_lenient(text);
    let Some(lenient) = lenient_errors.first() else {
        return error(1, parser_message.to_string());
    };
    let message = syntax_message(text, lenient.pos, &lenient.message);
    let position = match lenient.message.as_str() {
        // where the phrase opens, not where the query ends
        m if m.starts_with("missing delimiter \\\"") => text.rfind('"').unwrap_or(0),
        "Found unexpected boolean operator before term" => 0,
        _ => lenient.pos,
    };
    let chars_before = text.get(..position).map_or(position, |s| s.chars().count());
    error(chars_before + 1, message)
}

/// The grammar's `message`, reported at byte `at` of `text`, as what to change.
fn syntax_message(text: &str, at: usize, message: &str) -> String {
    match message {
        m if m.starts_with("missing delimiter \\\"") => {
            "a `\"` opens a phrase that is never closed; add the closing `\"` after the phrase"
                .into()
        }
        "expected ')'" => "a `(` is never closed; add `)` or remove the `(`".into(),
        "Found unexpected boolean operator before term" => {
            "`AND` or `OR` has no words before it; add them, or write it in quotes to search \
             the word itself"
                .into()
        }
        m if m.starts_with("parsed keyword NOT") => {
            "`NOT` has no words after it; add them, or write \"NOT\" in quotes".into()
        }
        "missing range delimiter" | "missing ]" => {
            "a range opened with `[` or `{` is never closed; add `]` or `}`".into()
        }
        m if m.starts_with("missing delimiter /") => {
            "a `/` opens a regular expression that is never closed; add the closing `/`, or \
             put the text in quotes"
                .into()
        }
        "unparsed end of query" => {
            let rest = text.get(at..).unwrap_or("").trim_start();
            match rest.chars().next() {
                Some(')') => "a `)` closes nothing; remove it or add the `(`".into(),
                Some(c) => format!("`{c}` cannot stand here; put the text in quotes to search it"),
                None => "the query ends too early".into(),
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_parentheses_prefixed_groups_and_nots() {
        assert_eq!(nesting_depth("ترامب"), 0);
        assert_eq!(nesting_depth("(ترامب OR بوتين) AND (موسكو)"), 1);
        assert_eq!(nesting_depth("((الحكومة التونسية))"), 2);
        assert_eq!(nesting_depth(&"+(".repeat(50)), 50);
        assert_eq!(nesting_depth(&"(+".repeat(50)), 50);
        assert_eq!(nesting_depth(&"title:(".repeat(50)), 50);
        assert_eq!(nesting_depth(&"NOT ".repeat(30)), 30);
        assert_eq!(nesting_depth("NOT تونس NOT ليبيا"), 1);
        // inside quotes still counted: over-counting can only refuse early
        assert_eq!(nesting_depth("\"((\""), 2);
    }

    #[test]
    fn a_deep_query_is_refused_before_any_parse() {
        let deep = "(".repeat(2944);
        let error = check_query(&deep).unwrap_err().to_string();
        assert_eq!(
            error,
            "the query nests parentheses (or NOT) 2944 levels deep; at most 100 are allowed"
        );
        assert!(check_query(&format!("{}تونس{}", "(".repeat(100), ")".repeat(100))).is_ok());
    }

    /// Regression (issue 17 items 11 and 12): a 100,000-letter word was "the query is empty",
    /// and a pasted page of 3,000 words took 0.1 s.
    #[test]
    fn long_queries_and_words_longer_than_the_index_keeps_are_refused() {
        let word = "ب".repeat(100_000);
        assert_eq!(
            check_query(&format!("تونس {word}"))
                .unwrap_err()
                .to_string(),
            "a word of the query is 100000 letters long; the index keeps no word longer than 100 bytes (50 Arabic letters), so no article has it: leave it out"
        );
        assert!(check_query(&"ب".repeat(50)).is_ok());
        assert!(check_query(&"ب".repeat(51)).is_err());
        let words = |n| vec!["الحكومة"; n].join(" ");
        assert!(check_query(&words(MAX_QUERY_WORDS)).is_ok());
        assert_eq!(
            check_query(&words(3000)).unwrap_err().to_string(),
            "the query has 3000 words; at most 256 are searched: keep the words that say what you look for"
        );
    }

    /// Regression (found by fuzzing the query path): each unclosed `(` doubles the grammar's
    /// time, so 24 of them in 900 characters ran for minutes; past a few, the query is refused
    /// before any parse, naming the first.
    #[test]
    fn many_unclosed_groups_are_refused_before_parsing() {
        let unit = "7. NNNNN NOT \\:<س:(ر-ج:";
        let error = check_query(&unit.repeat(24)).unwrap_err().to_string();
        assert!(error.contains("24 `(` are never closed"), "{error}");
        assert!(error.contains("at character 19"), "{error}");
        let few = format!("{}ترامب", "(".repeat(MAX_UNCLOSED_GROUPS));
        assert!(check_query(&few).is_ok());
        assert!(check_query("(ترامب (بوتين)").is_ok());
        assert!(check_query(&"(ترامب) ".repeat(50)).is_ok());
    }

    #[test]
    fn unknown_fields_and_any_value_queries_are_refused_in_plain_words() {
        let check_fields = |text: &str| super::super::parse::ParsedQuery::parse(text).map(|_| ());
        let error = check_fields("date:2017").unwrap_err().to_string();
        assert!(error.starts_with("unknown field `date`"), "{error}");
        assert!(error.contains("use SearchRequest::from and to"), "{error}");
        let foo = check_fields("foo:*").unwrap_err().to_string();
        let bar = check_fields("bar:تونس").unwrap_err().to_string();
        assert_eq!(foo.replace("foo", "bar"), bar);
        let error = check_fields("title:*").unwrap_err().to_string();
        assert!(
            error.contains("`title:*` (any value of a field)"),
            "{error}"
        );
        assert!(check_fields("title:تونس source:\"Jawhara FM\" *").is_ok());
        // a colon after an Arabic word is punctuation
        assert!(check_fields("لافروف: إن المفاوضات").is_ok());
    }
}
