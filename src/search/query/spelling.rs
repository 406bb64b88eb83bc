//! Query-side spelling correction ("did you mean"): a query word that the index does not
//! know at all (no article has it in the exact fields, nor its stems in the reading tables)
//! is replaced by, in this order:
//! - a question word one edit away, when the query has none (`كتى` → متى). Only question
//!   words: a rare word one edit from a function word (`ولد`, `وقد`) is more often a real
//!   word than a typo;
//! - two words the index knows, when a space is missing after a letter that does not join
//!   the next one (`الاسكندرالاكبر` → الاسكندر الاكبر): on screen the two words look apart;
//! - the index's word within one edit that it most likely stands for, by the word's number
//!   of articles and how common the slip is (`الجكومة` → الحكومه, `ثامر` → تامر, `ترتير` →
//!   ترتيب);
//! - its clitics (`و`, `ب`, `ال`, …) followed by that word for the rest (`لموريطانيا` →
//!   لموريتانيا, where the index has موريتانيا but never with ل).
//!
//! Whether a word exists is asked of the reading tables' sorted words, in memory; only the
//! words that exist are looked up in the term dictionaries, for their number of articles. So
//! an unknown word's few hundred candidates one edit away cost a binary search each, not two
//! term-dictionary lookups per segment (0.75 ms a word before).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::{Searcher, Term};
use tantivy_query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::analysis::clitics;
use crate::analysis::readings::attested_stems;
use crate::analysis::stopwords::{QUERY_STOP_WORDS, is_question_word, standard_question_words};
use crate::analysis::{AnalyzedWord, analyze_words, light_stem, normalize, suffix_stem};
use crate::index::term_memo;
use crate::index::{Fields, Readings};

/// A vocabulary correction needs a word of at least this many letters: shorter words have
/// too many neighbours.
const MIN_VOCABULARY_CHARS: usize = 4;
/// A question-word correction needs a word (and a question word) of at least this many
/// letters.
const MIN_QUESTION_CHARS: usize = 3;
/// A word is split in two only when it has at least this many letters.
const MIN_SPLIT_CHARS: usize = 6;
/// Only the first this many words of a query are checked (and corrected when unknown): an
/// unknown word costs about 0.75 ms of term lookups, so a pasted page of 3,000 words took
/// 0.3–0.5 s; a question has a dozen words.
pub const MAX_CHECKED_WORDS: usize = 32;
/// Letters (normalized) that never join the letter after them; `ه` stands for `ة` too.
const NON_JOINING: [char; 8] = ['ا', 'د', 'ذ', 'ر', 'ز', 'و', 'ه', 'ء'];

/// One corrected query word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The word as typed, normalized.
    pub typed: String,
    /// What it was replaced by (a normalized term of the index, or a function word).
    pub corrected: String,
    /// The word as the query wrote it (`الجكومة`), for showing to the user.
    #[serde(default)]
    pub as_typed: String,
    /// The correction as the matching articles write it (`الحكومة`) when a hit shown has
    /// it, else [`Correction::corrected`].
    #[serde(default)]
    pub as_found: String,
}

/// Corrects the unknown free-text words of `tree` (a query's syntax tree, see
/// [`super::parse`]) in its leaves, and returns the corrections in query order. A word is
/// checked when it is searched as typed: not a `field:word` nor an excluded `-word` (a word
/// of a quoted phrase is checked, wherever the phrase is), and only the first
/// [`MAX_CHECKED_WORDS`] words are. A word corrected into two (`الاسكندرالاكبر` → الاسكندر
/// الاكبر) becomes two words of the query, as if typed apart.
pub(crate) fn correct_tree(
    searcher: &Searcher,
    fields: &Fields,
    tree: &mut UserInputAst,
) -> Vec<Correction> {
    let mut literals = Vec::new();
    collect_literals(tree, &mut Vec::new(), None, &mut literals);
    let words: Vec<(usize, AnalyzedWord, bool)> = literals
        .iter()
        .enumerate()
        .flat_map(|(i, literal)| {
            let phrase = literal_at(tree, &literal.path).phrase.clone();
            analyze_words(&phrase).into_iter().map(move |word| {
                let checked = match phrase[..word.start].chars().next_back() {
                    Some(':' | '-') => false,
                    None => literal.first_word_checked,
                    Some(_) => true,
                };
                let checked = checked && is_arabic_word(&word.exact);
                (i, word, checked)
            })
        })
        .collect();
    let mut corrections = Vec::new();
    let vocabulary = Vocabulary::new(searcher, fields);
    // a question has one question word: with one, no other word is read as another
    let mut may_be_question_word = !words.iter().any(|(_, w, _)| is_question_word(&w.exact));
    let checked: Vec<_> = words
        .into_iter()
        .filter(|(_, _, checked)| *checked)
        .take(MAX_CHECKED_WORDS)
        .collect();
    // from the end, so the places of the words before each replaced one stay valid
    for (i, word, _) in checked.into_iter().rev() {
        if let Some(better) = correction(&vocabulary, &word.exact, may_be_question_word) {
            may_be_question_word &= !is_question_word(&better);
            let as_typed = replace_word(tree, &literals[i], word.start..word.end, &better);
            corrections.push(Correction {
                as_typed,
                as_found: better.clone(),
                typed: word.exact,
                corrected: better,
            });
        }
    }
    corrections.reverse();
    corrections
}

/// One step from a node of the tree to a child: the `n`th clause of a group, or the inside
/// of a boost.
#[derive(Debug, Clone, Copy)]
enum Step {
    Clause(usize),
    Boost,
}

/// A literal leaf of the tree, where it is and whether its first word is checked.
struct LiteralAt {
    path: Vec<Step>,
    /// False for `field:word` and `-word`, whose first word the user typed for its exact form.
    first_word_checked: bool,
}

/// The literal leaves of `tree` in query order (depth is bounded by `check_query`).
fn collect_literals(
    tree: &UserInputAst,
    path: &mut Vec<Step>,
    occur: Option<Occur>,
    out: &mut Vec<LiteralAt>,
) {
    match tree {
        UserInputAst::Clause(clauses) => {
            for (n, (occur, clause)) in clauses.iter().enumerate() {
                path.push(Step::Clause(n));
                collect_literals(clause, path, *occur, out);
                path.pop();
            }
        }
        UserInputAst::Boost(inner, _) => {
            path.push(Step::Boost);
            collect_literals(inner, path, occur, out);
            path.pop();
        }
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                let quoted = literal.delimiter != Delimiter::None;
                let fielded_or_excluded =
                    literal.field_name.is_some() || occur == Some(Occur::MustNot);
                out.push(LiteralAt {
                    path: path.clone(),
                    first_word_checked: quoted || !fielded_or_excluded,
                });
            }
        }
    }
}

/// The node of `tree` at `path`.
fn node_at<'a>(tree: &'a mut UserInputAst, path: &[Step]) -> &'a mut UserInputAst {
    let mut node = tree;
    for step in path {
        node = match (step, node) {
            (Step::Clause(n), UserInputAst::Clause(clauses)) => &mut clauses[*n].1,
            (Step::Boost, UserInputAst::Boost(inner, _)) => inner,
            (_, node) => unreachable!("a path of the tree it was collected from: {node:?}"),
        };
    }
    node
}

/// The literal at `path` (collected by [`collect_literals`]).
fn literal_at<'a>(tree: &'a mut UserInputAst, path: &[Step]) -> &'a mut UserInputLiteral {
    match node_at(tree, path) {
        UserInputAst::Leaf(leaf) => match leaf.as_mut() {
            UserInputLeaf::Literal(literal) => literal,
            leaf => unreachable!("a literal was collected here: {leaf:?}"),
        },
        node => unreachable!("a leaf was collected here: {node:?}"),
    }
}

/// Replaces the word at `range` of the literal `at` by `better`, and returns the word as
/// typed. A word that was the whole of an unquoted literal and becomes two is two literals of
/// the group around it, the second unmarked (as the grammar reads `+ab` typed `+a b`).
fn replace_word(
    tree: &mut UserInputAst,
    at: &LiteralAt,
    range: std::ops::Range<usize>,
    better: &str,
) -> String {
    let literal = literal_at(tree, &at.path);
    let as_typed = literal.phrase[range.clone()].to_string();
    let whole = range.start == 0 && range.end == literal.phrase.len();
    let split = better.split_once(' ');
    let (Some((first, second)), true, Delimiter::None) = (split, whole, &literal.delimiter) else {
        literal.phrase.replace_range(range, better);
        return as_typed;
    };
    let word = |phrase: &str| UserInputLiteral {
        phrase: phrase.to_string(),
        ..literal.clone()
    };
    let (first, second) = (word(first), word(second));
    let leaf = |literal| UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
    match at.path.split_last() {
        Some((Step::Clause(n), group)) => {
            let UserInputAst::Clause(clauses) = node_at(tree, group) else {
                unreachable!("a clause step leads out of a group");
            };
            clauses[*n].1 = leaf(first);
            clauses.insert(n + 1, (None, leaf(second)));
        }
        // the whole query, or a boosted word
        _ => {
            *node_at(tree, &at.path) =
                UserInputAst::Clause(vec![(None, leaf(first)), (None, leaf(second))]);
        }
    }
    as_typed
}

/// Sets each correction's [`Correction::as_found`] to the spelling of the hits shown whose
/// normalized form is the correction (`الحكومة` for `الحكومه`), when one has it.
pub(crate) fn find_as_written(corrections: &mut [Correction], hits: &[crate::search::Hit]) {
    for correction in corrections {
        let written = hits
            .iter()
            .flat_map(|hit| &hit.matched_terms)
            .find(|term| normalize(term) == correction.corrected);
        if let Some(written) = written {
            correction.as_found.clone_from(written);
        }
    }
}

fn is_arabic_word(word: &str) -> bool {
    word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

/// The index's words, as correction asks about them.
struct Vocabulary<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The reading tables, when they can be had (else every word is looked up).
    readings: Option<Arc<Readings>>,
}

impl<'a> Vocabulary<'a> {
    fn new(searcher: &'a Searcher, fields: &'a Fields) -> Self {
        Vocabulary {
            searcher,
            fields,
            readings: Readings::of(searcher, fields).ok(),
        }
    }

    /// How many articles have `word` in their headline or text (summed over the two); 0 at
    /// the cost of a binary search for a word the index does not have.
    fn freq(&self, word: &str) -> u64 {
        if self.readings.as_ref().is_some_and(|r| !r.has_word(word)) {
            return 0;
        }
        let doc_freq = |field| {
            term_memo::doc_freq(self.searcher, &Term::from_field_text(field, word)).unwrap_or(0)
        };
        doc_freq(self.fields.body) + doc_freq(self.fields.title)
    }

    /// How many letters of `word` from its start begin a word of the index (all of them
    /// without the tables).
    fn known_prefix_chars(&self, word: &str) -> usize {
        match &self.readings {
            Some(readings) => readings.known_prefix_chars(word),
            None => word.chars().count(),
        }
    }

    /// Whether some word of the index has the stem `stem`.
    fn has_stem(&self, stem: &str) -> bool {
        self.readings.as_ref().is_some_and(|r| r.has_stem(stem))
    }
}

/// Whether the index knows `word`: as a function word, in the exact fields, or by a stem in
/// the reading tables (its light stem, its suffix stem, or the stem of what follows a clitic
/// when that is attested: `بلافروف` is known when لافروف is).
fn is_known(vocabulary: &Vocabulary, word: &str) -> bool {
    if QUERY_STOP_WORDS.contains(&word) || vocabulary.freq(word) > 0 {
        return true;
    }
    let attested = |w: &str| vocabulary.freq(w) > 0;
    let mut stems = attested_stems(word, &attested);
    stems.push(light_stem(word).to_string());
    stems.push(suffix_stem(word).to_string());
    stems
        .iter()
        .any(|stem| !stem.is_empty() && vocabulary.has_stem(stem))
}

/// The correction of `word` (normalized), when the index does not know it: a question word
/// (when `question_word` allows), else the index's most frequent word one edit away.
fn correction(vocabulary: &Vocabulary, word: &str, question_word: bool) -> Option<String> {
    let len = word.chars().count();
    if len < MIN_QUESTION_CHARS || is_known(vocabulary, word) {
        return None;
    }
    if question_word && let Some(question) = question_word_within_one(word) {
        return Some(question.to_string());
    }
    if len < MIN_VOCABULARY_CHARS {
        return None;
    }
    if let Some(split) = split_at_non_joining_letter(vocabulary, word) {
        return Some(split);
    }
    if let Some(near) = likeliest_within_one(vocabulary, word) {
        return Some(near);
    }
    // the article groups, then the lone clitics: each list longest first
    clitics::prefixes().iter().find_map(|clitics| {
        let rest = word.strip_prefix(clitics)?;
        if rest.chars().count() < MIN_VOCABULARY_CHARS || is_known(vocabulary, rest) {
            return None;
        }
        likeliest_within_one(vocabulary, rest).map(|near| format!("{clitics}{near}"))
    })
}

/// The word of the index one edit from `word` that it most likely stands for: the likeliest
/// by its number of articles times how likely the slip is ([`slip_likelihood`]; a noisy
/// channel), ties to the smaller string.
fn likeliest_within_one(vocabulary: &Vocabulary, word: &str) -> Option<String> {
    // an edit after the letters that begin some word of the index gives no word of it
    one_edit_away(word, vocabulary.known_prefix_chars(word))
        .into_iter()
        .filter(|candidate| candidate.chars().count() >= MIN_VOCABULARY_CHARS - 1)
        .map(|candidate| {
            let freq = vocabulary.freq(&candidate);
            (freq as f64 * slip_likelihood(word, &candidate), candidate)
        })
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, candidate)| candidate)
}

/// Groups of letters (normalized) that people put for one another: those that differ only by
/// their dots, and those that sound alike in much of the Arabic-speaking world (ث as ت or س,
/// ذ as ز or د, ظ as ض, hamza on any seat).
const CONFUSABLE_LETTERS: [&str; 14] = [
    "بتثني",
    "جحخ",
    "دذ",
    "رز",
    "سش",
    "صض",
    "طظ",
    "عغ",
    "فق",
    "تط",
    "ثتس",
    "ذزدظض",
    "سص",
    "ءائؤ",
];

/// How likely typing `candidate` and getting `word` is, relative to other slips: one letter
/// put for a [confusable](CONFUSABLE_LETTERS) one, or two neighbours swapped, are
/// [`LIKELY_SLIP`] times likelier than another edit; an edit of the first letter (which
/// people seldom get wrong) is [`LIKELY_SLIP`] times less likely.
fn slip_likelihood(word: &str, candidate: &str) -> f64 {
    let a: Vec<char> = word.chars().collect();
    let b: Vec<char> = candidate.chars().collect();
    if a.len() == b.len() {
        let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        let confusable = |x: char, y: char| {
            CONFUSABLE_LETTERS
                .iter()
                .any(|group| group.contains(x) && group.contains(y))
        };
        match differ.as_slice() {
            [i] if confusable(a[*i], b[*i]) => return LIKELY_SLIP,
            [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => return LIKELY_SLIP,
            _ => {}
        }
    }
    if a.first() == b.first() {
        1.0
    } else {
        1.0 / LIKELY_SLIP
    }
}

/// See [`slip_likelihood`].
const LIKELY_SLIP: f64 = 10.0;

/// `word` as two words the index has, split after a letter that does not join the next
/// (where a left-out space does not show), the split whose rarer word is the most frequent.
fn split_at_non_joining_letter(vocabulary: &Vocabulary, word: &str) -> Option<String> {
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < MIN_SPLIT_CHARS {
        return None;
    }
    (2..letters.len() - 1)
        .filter(|&at| NON_JOINING.contains(&letters[at - 1]))
        .filter_map(|at| {
            let first: String = letters[..at].iter().collect();
            let second: String = letters[at..].iter().collect();
            let freq = vocabulary.freq(&first).min(vocabulary.freq(&second));
            (freq > 0).then(|| (freq, format!("{first} {second}")))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, split)| split)
}

/// The question word one edit from `word` (the first listed, when several are).
fn question_word_within_one(word: &str) -> Option<&'static str> {
    standard_question_words()
        .iter()
        .find(|w| w.chars().count() >= MIN_QUESTION_CHARS && within_one(word, w))
        .copied()
}

/// Whether `a` and `b` are at most one edit apart (insertion, deletion, substitution or
/// swap of neighbours).
fn within_one(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    match (ra, rb) {
        (0, 0) | (1, 0) | (0, 1) | (1, 1) => true,
        (2, 2) => a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix],
        _ => false,
    }
}

/// The letters a normalized Arabic word is made of.
fn alphabet() -> &'static [char] {
    static LETTERS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    LETTERS.get_or_init(|| {
        let mut letters: Vec<char> = ('\u{0621}'..='\u{064A}')
            .flat_map(|c| normalize(&c.to_string()).chars().collect::<Vec<_>>())
            .filter(|c| ('\u{0621}'..='\u{064A}').contains(c))
            .collect();
        letters.sort_unstable();
        letters.dedup();
        letters
    })
}

/// Every string one edit from `word` that keeps at most its first `kept` letters as they
/// are (`usize::MAX`: every string one edit away), without repeats: an edit at a letter after
/// them keeps them all, so only edits at the first `kept + 1` places are made.
fn one_edit_away(word: &str, kept: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let build = |parts: &[&[char]]| parts.concat().into_iter().collect::<String>();
    let places = chars.len().min(kept.saturating_add(1));
    for i in 0..places {
        out.push(build(&[&chars[..i], &chars[i + 1..]]));
        if i + 1 < chars.len() && chars[i] != chars[i + 1] {
            out.push(build(&[
                &chars[..i],
                &[chars[i + 1], chars[i]],
                &chars[i + 2..],
            ]));
        }
        for &c in alphabet().iter().filter(|&&c| c != chars[i]) {
            out.push(build(&[&chars[..i], &[c], &chars[i + 1..]]));
        }
    }
    for i in 0..=chars.len().min(kept) {
        for &c in alphabet() {
            out.push(build(&[&chars[..i], &[c], &chars[i..]]));
        }
    }
    out.sort_unstable();
    out.dedup();
    out.retain(|candidate| candidate != word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_covers_each_kind_of_edit() {
        let near = one_edit_away("ترتير", usize::MAX);
        for word in ["ترتيب", "تريير", "رتتير", "ترتي", "تترتير"] {
            assert!(near.iter().any(|w| w == word), "{word}");
        }
        assert!(within_one("جكومه", "حكومه"));
        assert!(within_one("اللتي", "التي"));
        assert!(within_one("تمي", "متي"));
        assert!(!within_one("ترتير", "تيرتب"));
    }

    #[test]
    fn look_alike_and_sound_alike_letters_are_the_likelier_slips() {
        let n = |w: &str| normalize(w);
        // ث for ت (as spoken), ج for ح (a dot), ط for ت, a hamza on another seat, a swap
        for (typed, meant) in [
            ("ثامر", "تامر"),
            ("الجكومة", "الحكومة"),
            ("موريطانيا", "موريتانيا"),
            ("دعائه", "دعاءه"),
            ("ترتيت", "تتريت"),
        ] {
            assert_eq!(
                slip_likelihood(&n(typed), &n(meant)),
                LIKELY_SLIP,
                "{typed}"
            );
        }
        // a letter left out or added: as likely as any other edit, unless it is the first
        assert_eq!(slip_likelihood(&n("ثامر"), &n("ثار")), 1.0);
        assert_eq!(slip_likelihood(&n("تبنت"), &n("بنت")), 1.0 / LIKELY_SLIP);
        // م and ن are neither look-alikes nor sound-alikes
        assert_eq!(slip_likelihood(&n("نحدد"), &n("محدد")), 1.0 / LIKELY_SLIP);
    }

    #[test]
    fn a_misspelled_question_word_is_read_as_that_word() {
        assert_eq!(question_word_within_one(&normalize("كتى")), Some("متي"));
        assert_eq!(question_word_within_one(&normalize("لمادا")), Some("لماذا"));
        // not other function words: ولد is one edit from وقد, سكان from كان
        assert_eq!(question_word_within_one("ولد"), None);
        assert_eq!(question_word_within_one("سكان"), None);
        assert_eq!(question_word_within_one("حكومه"), None);
        // only as a question word alone: لهل is not وهل
        assert_eq!(question_word_within_one("لهل"), None);
    }
}
