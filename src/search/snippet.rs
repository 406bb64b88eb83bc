//! Snippets: the part of an article that best shows why it matched, with the matching words
//! highlighted exactly as the article wrote them (diacritics, tatweel, clitics included).
//!
//! Unlike tantivy's `SnippetGenerator`, lengths are counted in characters, not bytes (an
//! Arabic letter is two bytes in UTF-8), and a word matches when it is one of the words the
//! query searched (its stems search every indexed word sharing them), so `ولافروف` is
//! highlighted for `لافروف`.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use rustc_hash::FxBuildHasher;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::analysis::name_key::{is_compound_head, split_name_term};
use crate::analysis::normalizer::MAX_TOKEN_BYTES;
use crate::analysis::tokenizer::is_word_char;
use crate::analysis::{ArabicTokenizer, name_readings, normalize, snowball_stem, stem_candidates};

/// A set of words, hashed fast (every distinct word of a shown article is looked up in it).
pub type WordSet = HashSet<String, FxBuildHasher>;

/// Default snippet length in characters.
pub const DEFAULT_SNIPPET_CHARS: usize = 200;

/// The query's terms as the index sees them. A query's stems and name spellings search the
/// indexed words that share them, and those words are its `exact` terms, so a query fills
/// `exact` and `names` (compounds written apart); `stemmed` is for callers that highlight by
/// stem without an index.
#[derive(Debug, Clone, Default)]
pub struct QueryTerms {
    /// Words searched in the headline and text fields (normalized).
    pub exact: WordSet,
    /// Stems: a word one of whose [`crate::analysis::index_stems`] is here matches.
    pub stemmed: WordSet,
    /// Name terms (`key|spelling`): a word one of whose name readings is a spelling here
    /// matches, and a compound written apart matches as one.
    pub names: WordSet,
}

impl QueryTerms {
    /// True when there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stemmed.is_empty() && self.names.is_empty()
    }
}

/// A highlighted range of a snippet, in characters (not bytes) of its `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// First highlighted character.
    pub start: usize,
    /// One past the last highlighted character.
    pub end: usize,
}

/// A piece of text with highlights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The text, as the article wrote it (line breaks shown as spaces).
    pub text: String,
    /// Matching words, in characters of `text`, in order, not overlapping.
    pub highlights: Vec<Highlight>,
    /// True when the article goes on before `text` (for an ellipsis).
    #[serde(skip)]
    pub cut_before: bool,
    /// True when the article goes on after `text`.
    #[serde(skip)]
    pub cut_after: bool,
}

/// Byte ranges of the words of `text` that match the query's terms: a word matches when its
/// exact form, one of the stems the index holds for it ([`crate::analysis::index_stems`]), or
/// one of its name-field terms is a query term. A compound name written apart (`عبد الله`)
/// that matches as one name is one range.
pub fn matching_ranges(text: &str, terms: &QueryTerms) -> Vec<Range<usize>> {
    if terms.is_empty() {
        return Vec::new();
    }
    // A name term is `key|spelling` and its key follows from its spelling, so the spellings
    // alone say whether a reading is a query term, without building terms.
    let names: HashSet<&str, FxBuildHasher> = terms
        .names
        .iter()
        .filter_map(|term| split_name_term(term))
        .map(|(_, spelling)| spelling)
        .collect();
    let (words, forms) = written_words(text, |normalized| word_matches(normalized, terms, &names));
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let next = words
            .get(i + 1)
            .filter(|next| next.position == word.position + 1);
        if let Some(next) = next
            && !names.is_empty()
            && joined_name_matches(
                &forms[word.form].normalized,
                &forms[next.form].normalized,
                &names,
            )
        {
            ranges.push(word.range.start..next.range.end);
            i += 2;
            continue;
        }
        if forms[word.form].matches {
            ranges.push(word.range.clone());
        }
        i += 1;
    }
    ranges
}

/// A word of a text: where it is, and which of the text's distinct written forms it is.
struct WrittenWord {
    /// Position, as the analyzer counts (dropped tokens included).
    position: usize,
    /// Byte range in the text, as written.
    range: Range<usize>,
    /// Index of its form in the forms [`written_words`] returns.
    form: usize,
}

/// A distinct written form of a text's words, analyzed once.
struct WrittenForm {
    /// The exact analyzer's term for it.
    normalized: String,
    /// Whether it matches the query (the `decide` of [`written_words`]).
    matches: bool,
}

/// The words of `text` as the exact analyzer indexes them (tokenized, normalized, a word that
/// normalizes to nothing or to an overlong term left out), each distinct written form
/// normalized and `decide`d once: an article repeats most of its words, and normalizing and
/// stemming them was most of the time a snippet took.
fn written_words<'t>(
    text: &'t str,
    mut decide: impl FnMut(&str) -> bool,
) -> (Vec<WrittenWord>, Vec<WrittenForm>) {
    let mut tokenizer = ArabicTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    // room for a distinct word every 8 bytes (an Arabic word and its space take about 11)
    let mut by_written: HashMap<&'t str, Option<usize>, FxBuildHasher> =
        HashMap::with_capacity_and_hasher(text.len() / 8, FxBuildHasher);
    let mut words = Vec::new();
    let mut forms: Vec<WrittenForm> = Vec::new();
    while stream.advance() {
        let token = stream.token();
        let written = &text[token.offset_from..token.offset_to];
        let form = *by_written.entry(written).or_insert_with(|| {
            let normalized = normalize(written);
            if normalized.is_empty() || normalized.len() > MAX_TOKEN_BYTES {
                return None;
            }
            let matches = decide(&normalized);
            forms.push(WrittenForm {
                normalized,
                matches,
            });
            Some(forms.len() - 1)
        });
        if let Some(form) = form {
            words.push(WrittenWord {
                position: token.position,
                range: token.offset_from..token.offset_to,
                form,
            });
        }
    }
    (words, forms)
}

/// Whether a compound head (`عبد`, `ابو`, …, perhaps with a clitic) and the word after it match
/// a name spelling as one word.
fn joined_name_matches(head: &str, next: &str, names: &HashSet<&str, FxBuildHasher>) -> bool {
    name_readings(head)
        .into_iter()
        .filter(|r| is_compound_head(r))
        .any(|r| names.contains(format!("{r} {next}").as_str()))
}

/// The distinct words of `texts` that match the query's terms, as written (in order of first
/// appearance): which spellings of a name an article uses.
pub fn matched_words(texts: &[(&str, &[Range<usize>])]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for (text, ranges) in texts {
        for range in ranges.iter() {
            let written = &text[range.clone()];
            if !seen.iter().any(|s| s == written) {
                seen.push(written.to_string());
            }
        }
    }
    seen
}

/// True when a word (exact form), one of its [`crate::analysis::index_stems`] or one of its
/// name readings is among the query's terms; the cheap checks first.
fn word_matches(exact: &str, terms: &QueryTerms, names: &HashSet<&str, FxBuildHasher>) -> bool {
    if terms.exact.contains(exact) {
        return true;
    }
    if !names.is_empty() && name_readings(exact).into_iter().any(|r| names.contains(r)) {
        return true;
    }
    if terms.stemmed.is_empty() {
        return false;
    }
    if stem_candidates(exact)
        .into_iter()
        .any(|stem| terms.stemmed.contains(stem))
    {
        return true;
    }
    SNOWBALL_STEMS.with_borrow_mut(|known| {
        if !known.contains_key(exact) {
            if known.len() >= MAX_SNOWBALL_STEMS {
                known.clear();
            }
            known.insert(Box::from(exact), Box::from(snowball_stem(exact).as_ref()));
        }
        let snowball = &known[exact];
        !snowball.is_empty() && terms.stemmed.contains(snowball.as_ref())
    })
}

/// Words whose Snowball stem is remembered per thread, at the most (a few MB): stemming every
/// word of every shown hit again was most of the time a query with snippets took.
const MAX_SNOWBALL_STEMS: usize = 50_000;

thread_local! {
    /// The Snowball stems of the words of recent snippets, by word.
    static SNOWBALL_STEMS: RefCell<HashMap<Box<str>, Box<str>, FxBuildHasher>> =
        RefCell::new(HashMap::default());
}

/// The whole of `text` with its matching words highlighted (for headlines).
pub fn highlight_all(text: &str, terms: &QueryTerms) -> Snippet {
    let ranges = matching_ranges(text, terms);
    build_snippet(text, 0..text.len(), &ranges)
}

/// The window of at most `max_chars` characters of `text` that holds the most distinct
/// matching words (then the most matches), cut at word boundaries, with highlights. Without
/// matches, the start of the text.
pub fn best_snippet(text: &str, terms: &QueryTerms, max_chars: usize) -> Snippet {
    let ranges = matching_ranges(text, terms);
    snippet_of_ranges(text, &ranges, max_chars)
}

/// [`best_snippet`] for matches already found by [`matching_ranges`].
pub fn snippet_of_ranges(text: &str, ranges: &[Range<usize>], max_chars: usize) -> Snippet {
    let window = best_window(text, ranges, max_chars);
    build_snippet(text, window, ranges)
}

/// Picks the byte range of the snippet.
fn best_window(text: &str, matches: &[Range<usize>], max_chars: usize) -> Range<usize> {
    // Character index of every byte offset we need, computed once.
    let char_at = |byte: usize| text[..byte].chars().count();
    let total_chars = text.chars().count();
    if total_chars <= max_chars {
        return 0..text.len();
    }
    let match_chars: Vec<(usize, usize)> = matches
        .iter()
        .map(|r| (char_at(r.start), char_at(r.end)))
        .collect();
    let mut best: Option<(usize, usize, usize)> = None; // (distinct, count, first match index)
    for (i, &(start, _)) in match_chars.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut count = 0;
        for (j, &(_, end)) in match_chars.iter().enumerate().skip(i) {
            if end - start > max_chars {
                break;
            }
            seen.insert(&text[matches[j].clone()]);
            count += 1;
        }
        if count == 0 {
            continue; // this one match alone is longer than the window
        }
        let candidate = (seen.len(), count, i);
        if best.is_none_or(|b| (candidate.0, candidate.1) > (b.0, b.1)) {
            best = Some(candidate);
        }
    }
    let mut keep = None;
    let (start_char, end_char) = match best {
        None => {
            let start = match_chars.first().map_or(0, |&(start, _)| start);
            (start, (start + max_chars).min(total_chars))
        }
        Some((_, count, i)) => {
            keep = Some(matches[i].start..matches[i + count - 1].end);
            let (first_start, _) = match_chars[i];
            let (_, last_end) = match_chars[i + count - 1];
            // Give the matches some context before them: a fifth of what is left over.
            let slack = max_chars - (last_end - first_start);
            let start = first_start.saturating_sub(slack / 5);
            let start = start.min(total_chars.saturating_sub(max_chars));
            (start, (start + max_chars).min(total_chars))
        }
    };
    let byte_of = |char_index: usize| {
        text.char_indices()
            .nth(char_index)
            .map_or(text.len(), |(b, _)| b)
    };
    snap_to_words(text, byte_of(start_char)..byte_of(end_char), keep)
}

/// Moves the window's ends inwards to word boundaries so no word is cut in half, but never
/// past the matches it was chosen for (`keep`).
fn snap_to_words(text: &str, window: Range<usize>, keep: Option<Range<usize>>) -> Range<usize> {
    let inside_word = |at: usize| {
        at > 0
            && at < text.len()
            && text[..at].chars().next_back().is_some_and(is_word_char)
            && text[at..].chars().next().is_some_and(is_word_char)
    };
    let mut start = window.start;
    if inside_word(start) {
        let limit = keep.as_ref().map_or(window.end, |k| k.start);
        if let Some(boundary) = text[start..limit].find(|c| !is_word_char(c)) {
            start += boundary;
        }
    }
    let mut end = window.end;
    if inside_word(end) {
        let limit = keep.as_ref().map_or(start, |k| k.end).max(start);
        if let Some(boundary) = text[limit..end].rfind(|c| !is_word_char(c)) {
            end = limit + boundary;
        }
    }
    let slice = &text[start..end];
    let trimmed_start = start + (slice.len() - slice.trim_start().len());
    let trimmed_end = trimmed_start + slice.trim().len();
    trimmed_start..trimmed_end
}

/// Cuts `window` out of `text` and turns the matches inside it into character highlights.
fn build_snippet(text: &str, window: Range<usize>, matches: &[Range<usize>]) -> Snippet {
    let piece = &text[window.clone()];
    let mut highlights = Vec::new();
    for m in matches {
        if m.start >= window.start && m.end <= window.end {
            let start = piece[..m.start - window.start].chars().count();
            let len = text[m.clone()].chars().count();
            highlights.push(Highlight {
                start,
                end: start + len,
            });
        }
    }
    // Line breaks and tabs become spaces one for one, so character offsets stay valid.
    let text_out = piece
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    Snippet {
        text: text_out,
        highlights,
        cut_before: window.start > 0,
        cut_after: window.end < text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{light_stem, normalize};

    fn terms(words: &[&str]) -> QueryTerms {
        let mut terms = QueryTerms::default();
        for word in words {
            let exact = normalize(word);
            terms.stemmed.insert(light_stem(&exact).to_string());
            terms.exact.insert(exact);
        }
        terms
    }

    fn highlighted(snippet: &Snippet) -> Vec<String> {
        snippet
            .highlights
            .iter()
            .map(|h| {
                snippet
                    .text
                    .chars()
                    .skip(h.start)
                    .take(h.end - h.start)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn highlights_the_words_as_written_with_diacritics_and_clitics() {
        let text = "قَالَ سِيرْغِي لافْرُوفُ إن الحوار ضروري، ثم أكد ولافروف وللافروف ذلك.";
        let snippet = best_snippet(text, &terms(&["لافروف"]), 200);
        assert_eq!(snippet.text, text);
        assert_eq!(highlighted(&snippet), ["لافْرُوفُ", "ولافروف", "وللافروف"]);
    }

    #[test]
    fn window_is_counted_in_characters_and_centred_on_the_matches() {
        let filler = "كلام عام عن الطقس والرياضة ".repeat(20);
        let text = format!("{filler}وزير الخارجية الروسي سيرغي لافروف يصل إلى بكين {filler}");
        let snippet = best_snippet(&text, &terms(&["لافروف", "بكين"]), 100);
        assert!(snippet.text.chars().count() <= 100);
        assert!(snippet.cut_before && snippet.cut_after);
        assert_eq!(highlighted(&snippet), ["لافروف", "بكين"]);
        assert!(!snippet.text.starts_with(' ') && !snippet.text.ends_with(' '));
    }

    #[test]
    fn prefers_the_window_with_more_distinct_terms() {
        let text = format!(
            "لافروف لافروف لافروف {} لافروف يلتقي بلينكن اليوم",
            "حشو ".repeat(80)
        );
        let snippet = best_snippet(&text, &terms(&["لافروف", "بلينكن"]), 60);
        assert!(highlighted(&snippet).contains(&"بلينكن".to_string()));
    }

    #[test]
    fn without_matches_the_snippet_is_the_start() {
        let text = "بداية المقال ".repeat(40);
        let snippet = best_snippet(&text, &terms(&["غائب"]), 50);
        assert!(snippet.text.starts_with("بداية المقال"));
        assert!(snippet.highlights.is_empty());
        assert!(!snippet.cut_before && snippet.cut_after);
    }

    #[test]
    fn a_window_shorter_than_the_matching_word_does_not_panic() {
        let text = format!("{} لافروف {}", "قبل ".repeat(30), "بعد ".repeat(30));
        let snippet = best_snippet(&text, &terms(&["لافروف"]), 3);
        assert!(snippet.text.chars().count() <= 3);
    }

    #[test]
    fn punctuation_at_the_window_edge_does_not_push_the_match_out() {
        let text = format!(
            "{}ثم (لافروف) وبعده {}",
            "كلمة ".repeat(20),
            "كلمة ".repeat(20)
        );
        for chars in 8..=12 {
            let snippet = best_snippet(&text, &terms(&["لافروف"]), chars);
            assert_eq!(highlighted(&snippet), ["لافروف"], "window of {chars}");
        }
    }

    #[test]
    fn a_word_matches_when_its_exact_form_or_any_indexed_stem_is_a_term() {
        use crate::analysis::{analyze_words, index_stems};
        let text =
            "قال وزير الخارجية للافروف إن المفاوضات والأوكرانية بالأزمة وتونس سيرغي لافْرُوفُ يستقبلون";
        for query in [
            "لافروف",
            "افروف",
            "تونس",
            "زير",
            "مفاوض",
            "استقبل",
            "ازم",
            "اوكرانيه",
        ] {
            let terms = terms(&[query]);
            let expected: Vec<Range<usize>> = analyze_words(text)
                .into_iter()
                .filter(|w| {
                    terms.exact.contains(&w.exact)
                        || index_stems(&w.exact)
                            .iter()
                            .any(|s| terms.stemmed.contains(s.as_ref()))
                })
                .map(|w| w.start..w.end)
                .collect();
            assert_eq!(matching_ranges(text, &terms), expected, "{query}");
        }
    }

    #[test]
    fn line_breaks_become_spaces_without_shifting_highlights() {
        let text = "السطر الأول\nلافروف في السطر الثاني";
        let snippet = highlight_all(text, &terms(&["لافروف"]));
        assert_eq!(snippet.text, "السطر الأول لافروف في السطر الثاني");
        assert_eq!(highlighted(&snippet), ["لافروف"]);
    }
}
