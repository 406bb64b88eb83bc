//! The words of a query as the second ranking stage sees them: each free-text word with the
//! terms it looks up: its exact form and its stems (each the set of indexed words sharing it).
//!
//! The stemmed terms are chosen against the index's own vocabulary (its lexicon): a clitic
//! is stripped from a query word only when what remains is a word the indexed articles use
//! on its own. So `ولافروف` and `لكندا` lose their clitics (لافروف and كندا are attested),
//! while `وزير` keeps its و (زير is not a word of the corpus) and `بكين` its ب.

use tantivy::Searcher;
use tantivy::Term;
use tantivy::schema::Field;
use tantivy_query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf};

use super::spelling::Correction;
use crate::analysis::analyze_words;
use crate::analysis::light_stem;
use crate::analysis::readings::attested_stems;
use crate::analysis::stopwords::{QUERY_STOP_WORDS, QUESTION_FRAME_WORDS, is_question_word};
use crate::index::term_memo;
use crate::search::person::lookup::{DiscoveredSpelling, NameTerm};

/// One free-text word of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryWord {
    /// Its term in the exact fields (normalized).
    pub exact: String,
    /// Its stems: the light stem of each attested reading, no
    /// duplicates.
    pub stems: Vec<String>,
    /// It stands alone in the query (not inside a `"phrase"`), so the query may be widened
    /// with its other readings.
    pub alone: bool,
    /// Its name spellings (see `person::lookup`): for a `person:` word, the spelling
    /// typed and its variants; for a plain word, its variants only (the exact and stemmed
    /// fields find the spelling typed).
    pub names: Vec<NameTerm>,
    /// It is a word of a `person:` name (no stems; its spellings are its `names`).
    pub person: bool,
}

/// The free-text words of a query and how they combine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryWords {
    /// The words, in query order, without repeats.
    pub words: Vec<QueryWord>,
    /// The query has `+`/`-` clauses (or AND), so words are not simply alternatives.
    pub has_required_clauses: bool,
    /// Stop words left out of the ranking (exact terms).
    pub dropped_stop_words: Vec<String>,
    /// The query has a question word (`متى`, `من`, `كم`, …): it is a question put in the
    /// asker's words, which an article may say with other words of the same root.
    pub is_question: bool,
    /// The words the index did not know, corrected (see `spelling`).
    pub corrections: Vec<Correction>,
    /// Spellings of `person:` words the archive showed to be the same name (see `person::lookup`).
    pub discovered: Vec<DiscoveredSpelling>,
}

/// Which steps of query analysis run (all of them by default; the others are for ablation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryWordOptions {
    /// Drop Arabic question and function words (unless nothing else is left).
    pub drop_stop_words: bool,
    /// Check clitic readings against the index vocabulary (else: the light stem only).
    pub attested_readings: bool,
    /// Look up the other spellings of plain query words in the name table.
    pub name_variants: bool,
    /// In a question, drop the words that frame it too (`اسم`, `عدد`; see
    /// `QUESTION_FRAME_WORDS`).
    pub drop_question_frame: bool,
    /// Replace a word the index does not know by its nearest known word (see `spelling`).
    pub correct: bool,
}

impl Default for QueryWordOptions {
    fn default() -> QueryWordOptions {
        QueryWordOptions {
            drop_stop_words: true,
            attested_readings: true,
            name_variants: true,
            drop_question_frame: true,
            correct: true,
        }
    }
}

/// The free-text words of `query` (words and phrases searched in the default fields, not
/// those under `-`, not `field:` terms), analyzed for ranking. `exact_fields` are the fields
/// whose vocabulary attests readings (the headline's and the body's exact fields). A query
/// the grammar refuses is read as well as it can be (`fahras analyze` shows any text); a
/// search reads the tree it parsed (see [`words_of_tree`]).
pub fn query_words(
    query: &str,
    searcher: &Searcher,
    exact_fields: &[Field],
    options: QueryWordOptions,
) -> QueryWords {
    let (tree, _) = tantivy_query_grammar::parse_query_lenient(query);
    words_of_tree(&tree, searcher, exact_fields, options)
}

/// [`query_words`] of a query's syntax tree (see [`super::parse`]).
pub(crate) fn words_of_tree(
    ast: &UserInputAst,
    searcher: &Searcher,
    exact_fields: &[Field],
    options: QueryWordOptions,
) -> QueryWords {
    let mut literals = Vec::new();
    collect_free_text(ast, false, &mut literals);
    let mut exact_words: Vec<(String, bool)> = Vec::new();
    for (text, is_phrase) in &literals {
        for word in analyze_words(text) {
            match exact_words.iter_mut().find(|(w, _)| *w == word.exact) {
                Some((_, alone)) => *alone &= !is_phrase,
                None => exact_words.push((word.exact, !is_phrase)),
            }
        }
    }
    let mut dropped_stop_words = Vec::new();
    let is_question = exact_words.iter().any(|(w, _)| is_question_word(w));
    let drop_frame = options.drop_question_frame && is_question;
    let droppable =
        |word: &str| is_stop_word(word) || (drop_frame && QUESTION_FRAME_WORDS.contains(&word));
    if options.drop_stop_words && exact_words.iter().any(|(w, _)| !droppable(w)) {
        exact_words.retain(|(w, _)| {
            let stop = droppable(w);
            if stop {
                dropped_stop_words.push(w.clone());
            }
            !stop
        });
    }
    let attested = |word: &str| is_attested(searcher, exact_fields, word);
    let words = exact_words
        .into_iter()
        .map(|(exact, alone)| {
            let mut stems: Vec<String> = Vec::new();
            let mut push = |stem: &str| {
                if !stem.is_empty() && !stems.iter().any(|s| s == stem) {
                    stems.push(stem.to_string());
                }
            };
            if options.attested_readings {
                for stem in attested_stems(&exact, &attested) {
                    push(&stem);
                }
            } else {
                push(light_stem(&exact));
            }
            QueryWord {
                exact,
                stems,
                alone,
                names: Vec::new(),
                person: false,
            }
        })
        .collect();
    QueryWords {
        words,
        has_required_clauses: has_required_clauses(ast),
        dropped_stop_words,
        is_question,
        corrections: Vec::new(),
        discovered: Vec::new(),
    }
}

/// Whether the top level of the query has `+`, `-` or AND clauses.
fn has_required_clauses(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .any(|(occur, _)| matches!(occur, Some(Occur::Must | Occur::MustNot))),
        UserInputAst::Boost(inner, _) => has_required_clauses(inner),
        UserInputAst::Leaf(_) => false,
    }
}

fn is_stop_word(word: &str) -> bool {
    QUERY_STOP_WORDS.contains(&word)
}

/// Whether `word` occurs on its own in one of `fields` of the index.
fn is_attested(searcher: &Searcher, fields: &[Field], word: &str) -> bool {
    fields.iter().any(|&field| {
        term_memo::doc_freq(searcher, &Term::from_field_text(field, word)).is_ok_and(|n| n > 0)
    })
}

/// Collects the text of literals searched in the default fields, each with whether it is a
/// quoted phrase.
fn collect_free_text(ast: &UserInputAst, negated: bool, out: &mut Vec<(String, bool)>) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, clause) in clauses {
                let negated = negated || *occur == Some(Occur::MustNot);
                collect_free_text(clause, negated, out);
            }
        }
        UserInputAst::Boost(inner, _) => collect_free_text(inner, negated, out),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref()
                && !negated
                && literal.field_name.is_none()
            {
                let is_phrase = literal.delimiter != Delimiter::None;
                out.push((literal.phrase.clone(), is_phrase));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_skips_negated_and_fielded_literals() {
        let (ast, _) = tantivy_query_grammar::parse_query_lenient(
            "لافروف \"الأزمة الأوكرانية\" -بكين source:سانا +(موسكو OR كييف)",
        );
        let mut texts = Vec::new();
        collect_free_text(&ast, false, &mut texts);
        let expected = [
            ("لافروف", false),
            ("الأزمة الأوكرانية", true),
            ("موسكو", false),
            ("كييف", false),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|&(t, p)| (t.to_string(), p)).collect();
        assert_eq!(texts, expected);
    }
}
