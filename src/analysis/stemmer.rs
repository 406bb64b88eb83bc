//! `LightStemmer`: strips attached clitics and common suffixes from a normalized word.
//!
//! Arabic attaches conjunctions (و ف), prepositions (ب ك ل) and the article (ال) to the word
//! that follows, so `والأوكرانية`, `بالأزمة` and `ولافروف` must meet `الأوكرانية`, `أزمة` and
//! `لافروف` in the index. The stemmer works on normalized text (see `normalizer`), strips at most
//! one conjunction, one article group and one suffix, and never leaves fewer than
//! [`MIN_STEM_CHARS`] letters, so short words and most names keep their form.
//!
//! A word stands for every plausible reading of it (see [`super::readings`]; the index's
//! reading tables list the word under each); queries use the first.
//!
//! Unlike the Snowball Arabic stemmer it never strips a lone ب ك ل (so بكين stays بكين) and
//! never strips the last letters of a word into a single consonant (so بينغ stays بينغ).
//! Lone و/ف is stripped when at least three letters remain, like Lucene's light stemmer; that
//! conflates a few words such as وزير and زير, which the exact field (boosted higher)
//! keeps apart in the ranking. At query time the ranking checks such readings against the
//! index's own vocabulary (see `readings::attested_stems`).
//!
//! A word also stands for its Snowball Arabic stem ([`snowball_stem`]). It
//! strips verb prefixes and more suffixes than the light stemmer dares (which would break
//! names), so it conflates more forms; queries never look it up themselves, but it lets a
//! light stem also find words whose Snowball stem equals it. On ARCD this adds 0.004 MRR@10
//! (docs/RELEVANCE.md).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::clitics::{self, CONJUNCTIONS};
use super::readings::index_stems;

/// A stem keeps at least this many letters.
pub const MIN_STEM_CHARS: usize = 3;

/// Suffixes of the light stemmer (normalized: ة is already ه), longest first. Without a
/// lexicon `ين` also cuts some names (فلسطين → فلسط); both index and query cut them alike.
const SUFFIXES: [&str; 9] = ["هما", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// Returns the light stem of a normalized word: a sub-slice of it.
pub fn light_stem(word: &str) -> &str {
    let mut stem = word;
    if let Some(rest) = strip_article(stem) {
        stem = rest;
    } else if let Some(rest) = strip_conjunction(stem) {
        stem = strip_article(rest).unwrap_or(rest);
    }
    strip_suffix(stem).unwrap_or(stem)
}

/// The word with only its suffix stripped (no clitic): the reading of a word that starts with
/// a letter that is not a clitic here, such as the و of وزير.
pub fn suffix_stem(word: &str) -> &str {
    strip_suffix(word).unwrap_or(word)
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Strips an article group when at least two letters remain (the article makes the rest a
/// noun, so a two-letter stem like `اب` in `الاب` is still a word).
fn strip_article(word: &str) -> Option<&str> {
    clitics::article_groups().iter().find_map(|prefix| {
        let rest = word.strip_prefix(prefix)?;
        (char_count(rest) >= 2).then_some(rest)
    })
}

fn strip_conjunction(word: &str) -> Option<&str> {
    let rest = word.strip_prefix(CONJUNCTIONS)?;
    (char_count(rest) >= MIN_STEM_CHARS).then_some(rest)
}

fn strip_suffix(word: &str) -> Option<&str> {
    SUFFIXES.iter().find_map(|suffix| {
        let rest = word.strip_suffix(suffix)?;
        (char_count(rest) >= MIN_STEM_CHARS).then(|| ta_marbuta_stem(rest, suffix).unwrap_or(rest))
    })
}

/// Suffixes before which a word's ta marbuta is written ت: the pronouns (`حكومته`,
/// `عضويتها`) and the dual endings (`الدولتين`, `العالميتان`).
const TA_MARBUTA_SUFFIXES: [&str; 5] = ["هما", "ها", "ه", "ان", "ين"];

/// The stem of the word whose ta marbuta became the final ت of `rest` before `suffix`, so that
/// `رئاسته` meets `رئاسة` and `العالميتين` meets `العالمية`: `rest` without its ت, stemmed as
/// the word with ة would be (`عضويت` → `عضوي` → `عضو`, as `عضوية` → `عضو`). A plural `ات`
/// before a pronoun (`قراراته`) gives the plural's stem (`قرار`, as `قرارات`). None when
/// `rest` does not end in ت or too few letters would be left (`صوته`, `بيتها` keep their ت).
fn ta_marbuta_stem<'a>(rest: &'a str, suffix: &str) -> Option<&'a str> {
    if !TA_MARBUTA_SUFFIXES.contains(&suffix) {
        return None;
    }
    let base = rest.strip_suffix('ت')?;
    if char_count(base) < MIN_STEM_CHARS {
        return None;
    }
    let shorter = base.strip_suffix(['ي', 'ا']);
    Some(match shorter {
        Some(shorter) if char_count(shorter) >= MIN_STEM_CHARS => shorter,
        _ => base,
    })
}

/// The Snowball Arabic stem of a normalized word (the algorithm tantivy and Lucene ship).
pub fn snowball_stem(word: &str) -> Cow<'_, str> {
    static STEMMER: OnceLock<frostem::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::Arabic))
        .stem(word)
}

/// Which stems the [`LightStemmer`] emits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StemMode {
    /// Every [`index_stems`] of a word, stacked at its position (for indexing).
    #[default]
    AllReadings,
    /// Only the [`light_stem`] (for queries).
    Primary,
}

/// Token filter replacing each (normalized) token by its stems; see [`StemMode`].
#[derive(Clone, Default)]
pub struct LightStemmer {
    mode: StemMode,
}

impl LightStemmer {
    /// A stemmer emitting the stems of `mode`.
    pub fn new(mode: StemMode) -> LightStemmer {
        LightStemmer { mode }
    }
}

impl TokenFilter for LightStemmer {
    type Tokenizer<T: Tokenizer> = LightStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LightStemmerFilter<T> {
        LightStemmerFilter {
            inner: tokenizer,
            mode: self.mode,
            cache: StemCache::default(),
        }
    }
}

/// The tokenizer wrapper made by [`LightStemmer`].
#[derive(Clone)]
pub struct LightStemmerFilter<T> {
    inner: T,
    mode: StemMode,
    cache: StemCache,
}

/// The stems of the words seen lately, so that a word is stemmed once per indexing thread and
/// not at each of its occurrences (news text repeats its words: on ANT JawharaFM nine tokens
/// in ten are words stemmed before). Emptied when it holds [`StemCache::MAX_WORDS`].
#[derive(Default)]
struct StemCache {
    stems: HashMap<Box<str>, Box<[Box<str>]>, rustc_hash::FxBuildHasher>,
}

impl StemCache {
    /// About 10 MB of words and stems at the most.
    const MAX_WORDS: usize = 100_000;

    /// Puts the [`index_stems`] of `word` into `out` (reusing its strings).
    fn index_stems_into(&mut self, word: &str, out: &mut Vec<String>) {
        if let Some(stems) = self.stems.get(word) {
            out.resize_with(stems.len(), String::new);
            for (slot, stem) in out.iter_mut().zip(stems.iter()) {
                slot.clear();
                slot.push_str(stem);
            }
            return;
        }
        if self.stems.len() >= Self::MAX_WORDS {
            self.stems.clear();
        }
        let stems = index_stems(word);
        out.clear();
        out.extend(stems.iter().map(|s| s.to_string()));
        self.stems.insert(
            Box::from(word),
            stems.iter().map(|s| Box::from(&**s)).collect(),
        );
    }
}

impl Clone for StemCache {
    /// A new, empty cache: each analyzer (one per indexing thread) fills its own.
    fn clone(&self) -> Self {
        StemCache::default()
    }
}

impl<T: Tokenizer> Tokenizer for LightStemmerFilter<T> {
    type TokenStream<'a> = LightStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LightStemmerStream {
            tail: self.inner.token_stream(text),
            mode: self.mode,
            cache: &mut self.cache,
            stems: Vec::new(),
            next: 0,
            current: Token::default(),
        }
    }
}

/// The token stream made by [`LightStemmerFilter`].
pub struct LightStemmerStream<'a, S> {
    tail: S,
    mode: StemMode,
    cache: &'a mut StemCache,
    /// The stems of the current word; those from `next` on are still to be emitted, at its
    /// position, before the next word.
    stems: Vec<String>,
    next: usize,
    current: Token,
}

impl<S: TokenStream> TokenStream for LightStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(stem) = self.stems.get(self.next) {
            self.current.text.clear();
            self.current.text.push_str(stem);
            self.next += 1;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        self.current.clone_from(token);
        let word = token.text.as_str();
        match self.mode {
            StemMode::Primary => {
                let stem = light_stem(word);
                if stem.len() != word.len() {
                    self.current.text = stem.to_string();
                }
            }
            StemMode::AllReadings => {
                self.cache.index_stems_into(word, &mut self.stems);
                self.current.text.clear();
                self.current.text.push_str(&self.stems[0]);
                self.next = 1;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;

    fn stem(word: &str) -> String {
        light_stem(&normalize(word)).to_string()
    }

    #[test]
    fn strips_conjunction_and_article_groups() {
        assert_eq!(stem("والأوكرانية"), stem("الأوكرانية"));
        assert_eq!(stem("الأوكرانية"), "اوكران");
        assert_eq!(stem("بالأزمة"), stem("الأزمة"));
        assert_eq!(stem("للأزمة"), stem("الأزمة"));
        assert_eq!(stem("فالحكومة"), stem("الحكومة"));
        assert_eq!(stem("كالعادة"), stem("العادة"));
        assert_eq!(stem("وبالأزمة"), "ازم");
    }

    #[test]
    fn clitic_forms_of_a_name_meet_the_bare_name() {
        assert_eq!(stem("ولافروف"), "لافروف");
        assert_eq!(stem("لافروف"), "لافروف");
        assert_eq!(stem("لافْرُوفُ"), "لافروف");
    }

    #[test]
    fn does_not_break_names_snowball_breaks() {
        assert_eq!(stem("بينغ"), "بينغ");
        assert_eq!(stem("بكين"), "بكين");
    }

    #[test]
    fn strips_common_suffixes_but_keeps_three_letters() {
        assert_eq!(stem("المفاوضات"), "مفاوض");
        assert_eq!(stem("العلاقات"), "علاق");
        assert_eq!(stem("سنة"), "سنه");
        assert_eq!(stem("بلاده"), "بلاد");
        assert_eq!(stem("زيارتها"), "زيار");
    }

    #[test]
    fn index_mode_stacks_readings_at_one_position_with_the_same_offsets() {
        use crate::analysis::normalizer::ArabicNormalizer;
        use crate::analysis::test_support::{analyzed, assert_token};
        use crate::analysis::tokenizer::ArabicTokenizer;
        use tantivy::tokenizer::TextAnalyzer;
        let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(ArabicNormalizer)
            .filter(LightStemmer::new(StemMode::AllReadings))
            .build();
        let tokens = analyzed(&mut analyzer, "قال للافروف");
        assert_eq!(tokens.len(), 4);
        assert_token(&tokens[0], 0, "قال", 0, 6);
        assert_token(&tokens[1], 1, "افروف", 7, 21);
        assert_token(&tokens[2], 1, "لافروف", 7, 21);
        assert_token(&tokens[3], 1, "للافروف", 7, 21);
        let mut query = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(ArabicNormalizer)
            .filter(LightStemmer::new(StemMode::Primary))
            .build();
        let texts: Vec<String> = analyzed(&mut query, "قال للافروف")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(texts, ["قال", "افروف"]);
    }

    #[test]
    fn a_ta_marbuta_written_before_a_suffix_meets_the_bare_word() {
        // استقال رئيس الحكومة من رئاسته للحكومة بعد زيارتها الأولى
        assert_eq!(stem("رئاسته"), stem("الرئاسة"));
        assert_eq!(stem("حكومتهما"), stem("الحكومة"));
        assert_eq!(stem("عضويتها"), stem("العضوية"));
        // وقعت الدولتان اتفاقية بعد الحربين العالميتين
        assert_eq!(stem("الدولتان"), stem("الدولة"));
        assert_eq!(stem("العالميتين"), stem("العالمية"));
        // a plural before a pronoun: أعلن قراراته → القرارات
        assert_eq!(stem("قراراته"), stem("القرارات"));
        assert_eq!(stem("حياتها"), stem("الحياة"));
        // too short to lose the ت: رفع صوته في بيتها
        assert_eq!(stem("صوته"), "صوت");
        assert_eq!(stem("بيتها"), "بيت");
        assert_eq!(stem("بوتين"), "بوت");
    }

    #[test]
    fn short_words_are_left_alone() {
        assert_eq!(stem("في"), "في");
        assert_eq!(stem("ال"), "ال");
        assert_eq!(stem("وقف"), "وقف");
        assert_eq!(stem(""), "");
    }
}
