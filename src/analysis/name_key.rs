//! Name keys: one key for the spellings transliteration gives a foreign or compound name.
//!
//! Agencies spell the same person differently: `سيرغي`/`سيرجي`, `بينغ`/`بينج`,
//! `قانغ`/`غانغ`/`جانج`, `زيلينسكي`/`زيلنسكي`, `بلينكن`/`بلينكين`, `عبد الله`/`عبدالله`. The key of a
//! normalized word (see `normalizer`) folds what they disagree on:
//! 1. letters transliteration confuses become one: `ج غ ق ك گ ڨ ڭ` → `ك` (g), `ط` → `ت`,
//!    `ص` → `س`, `ض` → `د`, `ذ ظ` → `ز`, `ئ` → `ي`, `ؤ` → `و`, `پ` → `ب`, `ڤ ۋ` → `ف`;
//!    a lone hamza `ء` is dropped;
//! 2. a doubled letter is written once, a final `ه` (from `ة`) is `ا` (`بنزيمة`/`بنزيما`), and so
//!    is a first `ه` before a long vowel, a silent h some agencies drop (`هولاند`/`أولاند`);
//! 3. the long vowels `ا و ي` inside the word are dropped (the first and last letters stay), unless
//!    fewer than three letters would be left (`جين` keeps its ي: `كن` would be too short).
//!
//! Each word of the index stands for one name spelling per reading of it (the word, and the word
//! without its attached و ف ب ك ل ال, as the light stemmer reads them; no suffix is cut, since
//! names end in ين and ان), written `key|reading` ([`name_term`]): the index's name table
//! (`index::readings`) maps each such term to the words that stand for it, so a query lists
//! every spelling the index holds for a key with one range scan ([`name_term_prefix`]). A
//! compound written apart (`عبد الله`) is one term of the text fields ([`CompoundFilter`]) and
//! one spelling (`عبدلا|عبد الله`: the key ignores the space), so `عبد الله` and `عبدالله` meet,
//! and a query still knows which way the article wrote it; a hyphen splits words like a space
//! (`جين-بينغ`).
//!
//! Folding is lossy: `بايدن` and `بدون` share a key. [`plausible_variant`] is the precision guard
//! a query applies to the spellings a key lists: a variant may leave out long vowels the other
//! spelling writes (`زيلنسكي` for `زيلينسكي`), but not move them (`بدون` for `بايدن`).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::clitics;
use super::stopwords::QUERY_STOP_WORDS;
use super::{ArabicNormalizer, ArabicTokenizer};

/// Separates a term's key from the spelling it was made from (never part of a token).
pub const KEY_SEPARATOR: char = '|';

/// A key keeps its long vowels when dropping them would leave fewer letters than this.
const MIN_SKELETON_CHARS: usize = 3;

/// Keys of this many letters take any long vowels in [`plausible_variant`]: few words share
/// five consonants in order.
const LONG_KEY_CHARS: usize = 5;

/// Keys of at most this many letters: a spelling without long vowels is no variant of one with.
const SHORT_KEY_CHARS: usize = 3;

/// First parts of compound names that are written joined or apart (normalized).
const COMPOUND_HEADS: [&str; 7] = ["عبد", "ابو", "ابي", "ابا", "بو", "بن", "ابن"];

/// The confusable-letter class of `c`: its representative, or `None` to drop it.
fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'ج' | 'غ' | 'ق' | 'ك' | 'گ' | 'ڨ' | 'ڭ' => 'ك',
        'ط' => 'ت',
        'ص' => 'س',
        'ض' => 'د',
        'ذ' | 'ظ' => 'ز',
        'ئ' => 'ي',
        'ؤ' => 'و',
        'پ' => 'ب',
        'ڤ' | 'ۋ' => 'ف',
        // a lone hamza; a space (inside a compound written apart, see `query_name_words`)
        'ء' | ' ' => return None,
        c => c,
    })
}

fn is_long_vowel(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ي')
}

/// The letters of `word` with confusable letters folded and doubled letters written once; a
/// final `ه` (ta marbuta, normalized) is `ا`, as `بنزيمة` and `بنزيما` are one name, and so is a
/// first `ه` before a long vowel (`هولاند`, `أولاند`).
fn folded_letters(word: &str) -> Vec<char> {
    let mut letters: Vec<char> = Vec::with_capacity(word.len() / 2);
    for c in word.chars().filter_map(fold_letter) {
        if letters.last() != Some(&c) {
            letters.push(c);
        }
    }
    // A silent h (French, Spanish) that one agency writes and another drops: هولاند/أولاند.
    if letters.len() > 2 && letters[0] == 'ه' && is_long_vowel(letters[1]) {
        letters[0] = 'ا';
    }
    if letters.len() > 1 && letters.last() == Some(&'ه') {
        letters.pop();
        if letters.last() != Some(&'ا') {
            letters.push('ا');
        }
    }
    letters
}

/// The name key of a normalized word (see the module docs).
pub fn name_key(word: &str) -> String {
    let letters = folded_letters(word);
    let n = letters.len();
    let skeleton: Vec<char> = letters
        .iter()
        .enumerate()
        .filter(|&(i, &c)| i == 0 || i + 1 == n || !is_long_vowel(c))
        .map(|(_, &c)| c)
        .collect();
    let kept = if skeleton.len() >= MIN_SKELETON_CHARS {
        skeleton
    } else {
        letters
    };
    let mut key = String::with_capacity(kept.len() * 2);
    // Dropping a vowel can bring two equal letters together (ترامم is rare, but سيس → سس).
    for c in kept {
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    key
}

/// The name term of `reading` (a normalized word): `key|reading`.
pub fn name_term(reading: &str) -> String {
    format!("{}{KEY_SEPARATOR}{reading}", name_key(reading))
}

/// The start every name-field term of the spellings sharing `key` has.
pub fn name_term_prefix(key: &str) -> String {
    format!("{key}{KEY_SEPARATOR}")
}

/// Splits a name-field term into its key and its spelling.
pub fn split_name_term(term: &str) -> Option<(&str, &str)> {
    term.split_once(KEY_SEPARATOR)
}

/// The name readings of a normalized word: the word itself, then the word
/// without an article group (two letters left at least) or without a conjunction or
/// preposition (three letters left at least, or a compound head: `وبن` is `و` + `بن`), as
/// `للافروف` is `ل` + `لافروف`.
pub fn name_readings(word: &str) -> Vec<&str> {
    let mut readings = vec![word];
    for article in clitics::article_groups() {
        if let Some(rest) = word.strip_prefix(article)
            && rest.chars().count() >= 2
            && !readings.contains(&rest)
        {
            readings.push(rest);
        }
    }
    for clitic in clitics::lone_clitics() {
        if let Some(rest) = word.strip_prefix(clitic)
            && (rest.chars().count() >= 3 || is_compound_head(rest))
            && !readings.contains(&rest)
        {
            readings.push(rest);
        }
    }
    readings
}

/// True for the first part of a compound name (`عبد`, `ابو`, …), written joined to the next word
/// or apart.
pub fn is_compound_head(word: &str) -> bool {
    COMPOUND_HEADS.contains(&word)
}

/// The head of a compound name: the first part of `عبد الله`, or of `عبدالله`, `ابوعياض` written
/// joined (the heads of three letters; `بو` and `بن` also begin names such as بوتين).
pub fn compound_head_of(word: &str) -> Option<&str> {
    if let Some((head, _)) = word.split_once(' ') {
        return Some(head);
    }
    COMPOUND_HEADS
        .iter()
        .filter(|head| head.chars().count() >= 3)
        .find(|head| {
            word.strip_prefix(**head)
                .is_some_and(|rest| rest.chars().count() >= 2)
        })
        .copied()
}

/// Whether two spellings with the same key may be one name: one of them writes every long
/// vowel the other writes, in the same places, and perhaps more. `زيلنسكي` is a plausible
/// spelling of `زيلينسكي`, `ترمب` of `ترامب`; `بدون` is not one of `بايدن` (each writes a vowel
/// where the other writes none), nor `بطن` of `بوتين` (a key of three letters needs a vowel in
/// both or neither). Keys of [`LONG_KEY_CHARS`] letters or more are specific
/// enough to take any vowels (`ميلونشون`/`ميلينشون`, `ناتنياهو`/`نتانياهو`).
pub fn plausible_variant(a: &str, b: &str) -> bool {
    let (slots_a, slots_b) = (vowel_slots(a), vowel_slots(b));
    if slots_a.len() != slots_b.len() {
        // The keys kept vowels (a short word): only the same letters are the same name.
        return folded_letters(a) == folded_letters(b);
    }
    if slots_a.len() >= LONG_KEY_CHARS {
        return true;
    }
    let writes_vowels = |slots: &[Vec<char>]| slots.iter().any(|slot| !slot.is_empty());
    if slots_a.len() <= SHORT_KEY_CHARS && writes_vowels(&slots_a) != writes_vowels(&slots_b) {
        // three consonants without a vowel are an Arabic word (بطن, لبن, دشن), not a
        // transliteration of بوتين, لوبن, ديشان
        return false;
    }
    let a_within_b = slots_a
        .iter()
        .zip(&slots_b)
        .all(|(x, y)| is_subsequence(x, y));
    let b_within_a = slots_a
        .iter()
        .zip(&slots_b)
        .all(|(x, y)| is_subsequence(y, x));
    a_within_b || b_within_a
}

/// The long vowels between each pair of kept letters of a word's key, in order.
fn vowel_slots(word: &str) -> Vec<Vec<char>> {
    let letters = folded_letters(word);
    let n = letters.len();
    let mut slots = vec![Vec::new()];
    for (i, &c) in letters.iter().enumerate() {
        if i == 0 || i + 1 == n || !is_long_vowel(c) {
            if i > 0 {
                slots.push(Vec::new());
            }
        } else {
            slots.last_mut().expect("one slot at least").push(c);
        }
    }
    slots
}

fn is_subsequence(short: &[char], long: &[char]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|c| rest.any(|l| l == c))
}

/// Whether a word has name readings: not a function word (`في`, `من`, `على`, … are a quarter
/// of news text and never part of a name a person searches), not a number, not a lone letter.
pub fn may_be_a_name(word: &str) -> bool {
    word.chars().nth(1).is_some()
        && !word.chars().all(|c| c.is_ascii_digit())
        && !QUERY_STOP_WORDS.contains(&word)
}

/// The name spellings an indexed word stands for: each of its [`name_readings`] (none for a
/// word that [`may_be_a_name`] rejects); a compound written apart (`عبد الله`, a term of the
/// compound field, see [`CompoundFilter`]) stands for itself only.
pub fn surface_spellings(surface: &str) -> Vec<&str> {
    if surface.contains(' ') {
        return vec![surface];
    }
    if !may_be_a_name(surface) {
        return Vec::new();
    }
    name_readings(surface)
}

/// Token filter of the compound field at ingest: for each word one of whose readings is a
/// compound head (`عبد`, `وعبد`, `ابو`, …) and the word right after it, the compound written
/// apart (`عبد الله`) as one term at the head's position, and nothing else (the words are in
/// the text fields), so that `عبدالله` and `عبد الله` meet in the name table and a compound's
/// spellings list the ones the articles use. A field of its own leaves the text fields'
/// lengths, which BM25 normalizes by, as they are.
#[derive(Clone, Copy, Debug, Default)]
pub struct CompoundFilter;

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundFilterWrapper<T> {
        CompoundFilterWrapper(tokenizer)
    }
}

/// The tokenizer made by [`CompoundFilter`].
#[derive(Clone)]
pub struct CompoundFilterWrapper<T>(T);

impl<T: Tokenizer> Tokenizer for CompoundFilterWrapper<T> {
    type TokenStream<'a> = CompoundStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundStream {
            tail: self.0.token_stream(text),
            current: Token::default(),
            ahead: None,
            compounds: Vec::new(),
            next_compound: 0,
        }
    }
}

/// The token stream made by [`CompoundFilter`]: it reads one word ahead after a word that
/// may be a compound head, and emits only compounds.
pub struct CompoundStream<S> {
    tail: S,
    current: Token,
    /// The word after the current one, when it was read ahead.
    ahead: Option<Token>,
    /// The compounds of the current word still to be emitted (from `next_compound`).
    compounds: Vec<String>,
    next_compound: usize,
}

/// Copies `from` into `to`, reusing `to`'s text buffer (most words need no allocation).
fn copy_token(to: &mut Token, from: &Token) {
    to.offset_from = from.offset_from;
    to.offset_to = from.offset_to;
    to.position = from.position;
    to.position_length = from.position_length;
    to.text.clear();
    to.text.push_str(&from.text);
}

impl<S: TokenStream> TokenStream for CompoundStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(compound) = self.compounds.get(self.next_compound) {
                self.current.text.clear();
                self.current.text.push_str(compound);
                if let Some(next) = &self.ahead {
                    self.current.offset_to = next.offset_to;
                }
                self.next_compound += 1;
                return true;
            }
            if let Some(token) = self.ahead.take() {
                self.current = token;
            } else if self.tail.advance() {
                copy_token(&mut self.current, self.tail.token());
            } else {
                return false;
            }
            self.compounds.clear();
            self.next_compound = 0;
            // a reading is an end of its word: only a word ending in a head can be one
            if !COMPOUND_HEADS
                .iter()
                .any(|head| self.current.text.ends_with(head))
            {
                continue;
            }
            if self.ahead.is_none() && self.tail.advance() {
                self.ahead = Some(self.tail.token().clone());
            }
            if let Some(next) = self
                .ahead
                .as_ref()
                .filter(|next| next.position == self.current.position + 1)
            {
                for reading in name_readings(&self.current.text) {
                    if is_compound_head(reading) {
                        self.compounds.push(format!("{reading} {}", next.text));
                    }
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The name spellings of a query text: each normalized word, with a compound head and the word
/// after it as one spelling (`عبد الله`, one space apart, whose key is that of `عبدالله`), in
/// order.
pub fn query_name_words(text: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(ArabicNormalizer)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut words: Vec<String> = Vec::new();
    let mut joining = false;
    while stream.advance() {
        let word = stream.token().text.clone();
        if joining && let Some(head) = words.last_mut() {
            head.push(' ');
            head.push_str(&word);
            joining = false;
            continue;
        }
        joining = is_compound_head(&word);
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;
    use crate::analysis::test_support::assert_token;

    fn key(word: &str) -> String {
        name_key(&normalize(word))
    }

    fn same_key(spellings: &[&str]) {
        let first = key(spellings[0]);
        for spelling in spellings {
            assert_eq!(key(spelling), first, "{spelling} vs {}", spellings[0]);
        }
    }

    #[test]
    fn g_is_one_letter_however_it_is_transliterated() {
        same_key(&["سيرغي", "سيرجي"]);
        same_key(&["بينغ", "بينج"]);
        same_key(&["قانغ", "غانغ", "جانج", "كانغ"]);
        same_key(&["ڨابس", "قابس"]);
        assert_eq!(key("قانغ"), "كنك");
    }

    #[test]
    fn emphatic_and_plain_letters_are_one_letter() {
        same_key(&["طوكيو", "توكيو"]);
        same_key(&["صوفيا", "سوفيا"]);
        same_key(&["ضياء", "دياء"]);
        same_key(&["ذكري", "زكري", "ظكري"]);
    }

    #[test]
    fn long_vowels_inside_a_name_are_optional() {
        same_key(&["زيلينسكي", "زيلنسكي"]);
        same_key(&["بلينكن", "بلينكين"]);
        same_key(&["ترامب", "ترمب"]);
        same_key(&["نتنياهو", "نتانياهو"]);
        // the first and the last letter stay
        assert_eq!(key("أولاند"), "الند");
        same_key(&["هولاند", "أولاند", "هولند"]);
        assert_eq!(key("سيرغي"), "سركي");
        // too short without its vowels: kept
        assert_eq!(key("جين"), "كين");
        assert_eq!(key("شي"), "شي");
    }

    #[test]
    fn doubled_letters_and_diacritics_and_hamza_do_not_matter() {
        same_key(&["ماكرون", "ماكّرون", "مَاكْرُونْ"]);
        same_key(&["بنزيمة", "بنزيما", "بن زيمة".replace(' ', "").as_str()]);
        same_key(&["قائد", "قايد"]);
        same_key(&["عبد الله".replace(' ', "").as_str(), "عبدالله", "عبداللّه"]);
    }

    #[test]
    fn readings_strip_clitics_but_never_suffixes() {
        // ول is a conjunction and a preposition too: a reading no query asks for
        assert_eq!(name_readings("ولافروف"), ["ولافروف", "افروف", "لافروف"]);
        assert_eq!(name_readings("للافروف"), ["للافروف", "افروف", "لافروف"]);
        assert_eq!(name_readings("والشاهد"), ["والشاهد", "شاهد", "الشاهد"]);
        assert_eq!(name_readings("بوتين"), ["بوتين", "وتين"]);
    }

    #[test]
    fn the_vowel_guard_keeps_omitted_vowels_and_refuses_moved_ones() {
        let plausible = |a: &str, b: &str| plausible_variant(&normalize(a), &normalize(b));
        assert!(plausible("زيلينسكي", "زيلنسكي"));
        assert!(plausible("ترمب", "ترامب"));
        assert!(plausible("بلينكن", "بلينكين"));
        assert!(plausible("قانغ", "جانج"));
        assert!(!plausible("بايدن", "بدون"));
        assert!(!plausible("كتاب", "كاتب"));
        assert!(!plausible("بوتين", "بطن"));
        assert!(plausible("بوتين", "بوتن"));
        // five letters and more: any vowels
        assert!(plausible("ناتنياهو", "نتانياهو"));
        assert!(plausible("ميلونشون", "ميلينشون"));
    }

    #[test]
    fn compound_heads_written_apart_or_joined() {
        assert_eq!(compound_head_of("عبد الله"), Some("عبد"));
        assert_eq!(compound_head_of("ابوعياض"), Some("ابو"));
        assert_eq!(compound_head_of("بوتين"), None);
        assert_eq!(compound_head_of("ابعاد"), None);
    }

    #[test]
    fn query_words_join_compounds() {
        assert_eq!(query_name_words("عبد الله"), ["عبد الله"]);
        assert_eq!(name_key("عبد الله"), name_key("عبدالله"));
        assert_eq!(query_name_words("محمود أبو مازن"), ["محمود", "ابو مازن"]);
        assert_eq!(query_name_words("شي جين-بينغ"), ["شي", "جين", "بينغ"]);
    }

    fn compound_terms(text: &str) -> Vec<(usize, String)> {
        let mut analyzer = crate::analysis::compound_analyzer();
        crate::analysis::test_support::analyzed(&mut analyzer, text)
            .into_iter()
            .map(|t| (t.position, t.text))
            .collect()
    }

    #[test]
    fn a_compound_written_apart_is_one_term_at_its_head() {
        let text = "قال عبد الله وللافروف ثم أبو مازن";
        let expected = [(1, "عبد الله".to_string()), (5, "ابو مازن".to_string())];
        assert_eq!(compound_terms(text), expected);
        // after a clitic the head is a reading: وعبد الرحمن
        assert_eq!(
            compound_terms("وعبد الرحمن"),
            [(0, "عبد الرحمن".to_string())]
        );
        // a head at the end of the text is no compound
        assert!(compound_terms("قال عبد").is_empty());
        // offsets point at the words as written; the compound covers both
        let mut analyzer = crate::analysis::compound_analyzer();
        let tokens = crate::analysis::test_support::analyzed(&mut analyzer, text);
        assert_token(&tokens[0], 1, "عبد الله", 7, 22);
    }

    #[test]
    fn function_words_and_numbers_have_no_spellings_and_a_compound_only_itself() {
        assert!(surface_spellings("في").is_empty());
        assert!(surface_spellings("2023").is_empty());
        assert_eq!(surface_spellings("ولافروف"), ["ولافروف", "افروف", "لافروف"]);
        assert_eq!(surface_spellings("عبد الله"), ["عبد الله"]);
        assert_eq!(name_key("عبد الله"), name_key("عبدالله"));
    }

    #[test]
    fn a_hyphen_splits_like_a_space() {
        assert_eq!(compound_terms("أبو-مازن"), compound_terms("أبو مازن"));
    }
}
