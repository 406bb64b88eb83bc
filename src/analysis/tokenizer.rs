//! `ArabicTokenizer`: splits text into words without touching the text.
//!
//! A word is a run of letters, digits and combining marks (harakat, Quranic marks), so a
//! diacritized word such as `لافْرُوفُ` stays one token and its offsets cover every mark. Tatweel
//! is a letter to Unicode (`Lm`) and stays inside the word too. Arabic letters written against
//! digits or Latin letters are a word of their own: a year with the era (`1994م`), a number
//! after و (`و30`), a word and a year typed without a space (`لعام2006`) or a name in two scripts
//! (`Ronaldoرونالدو`) give two words, so `1994`, `30` and `2006` are found as typed alone.
//! Digits and Latin letters stay together (`COVID19`, `G20`). Invisible format characters
//! (zero-width joiners, bidi marks) are kept inside a word when a letter follows them, so that
//! they do not split it, but they never start or end a token.
//!
//! Offsets are byte offsets into the original text, always on char boundaries; later filters
//! change only `token.text`, so snippets can highlight the words exactly as they were written.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

/// Splits text on anything that is not part of a word; see the module docs.
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
}

/// The stream of words of one text, produced by [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

/// True for characters that make up a word: letters, digits and combining marks.
#[inline]
pub fn is_word_char(c: char) -> bool {
    // Fast paths for ASCII and the Arabic block, where articles spend nearly every character:
    // the general Unicode lookups are a binary search per character.
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
        let offset = c as usize - 0x0600;
        ARABIC_WORD_CHARS[offset / 64] & (1 << (offset % 64)) != 0
    } else {
        is_word_char_slow(c)
    }
}

fn is_word_char_slow(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// [`is_word_char_slow`] of each character of the Arabic block, U+0600–U+06FF, one bit each
/// (bit `n % 64` of word `n / 64` for U+0600 + n); a test checks it against the general rule.
const ARABIC_WORD_CHARS: [u64; 4] = [
    0xffffffff07ff0000,
    0xffffc3ffffffffff,
    0xffffffffffffffff,
    0x9ffffdff9fefffff,
];

/// True for invisible formatting characters that may sit inside a word (ZWNJ, ZWJ, bidi
/// marks, the Arabic letter mark, BOM/ZWNBSP, soft hyphen). The normalizer removes them.
pub fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Whether a word character is of the Arabic script (a letter, a mark or tatweel; not a
/// digit, Arabic-Indic ones included): a word ends where the script changes.
fn is_arabic_script(c: char) -> bool {
    match c {
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => false,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}' => true,
        _ => false,
    }
}

/// What a character is to the tokenizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// A word character of the Arabic script ([`is_word_char`], [`is_arabic_script`]).
    ArabicWord,
    /// Another word character (Latin letters, digits, Arabic-Indic digits, …).
    OtherWord,
    /// An invisible format character ([`is_format_char`]) that is no word character.
    Format,
    /// Anything else: it ends a word.
    Break,
}

fn class_of(c: char) -> Class {
    if is_word_char(c) {
        if is_arabic_script(c) {
            Class::ArabicWord
        } else {
            Class::OtherWord
        }
    } else if is_format_char(c) {
        Class::Format
    } else {
        Class::Break
    }
}

/// [`class_of`] each character of the Arabic block, U+0600–U+06FF (a test checks it).
const ARABIC_BLOCK_CLASSES: [Class; 256] = {
    let mut classes = [Class::Break; 256];
    let mut i = 0;
    while i < 256 {
        let code = 0x0600 + i as u32;
        let word = ARABIC_WORD_CHARS[i / 64] & (1 << (i % 64)) != 0;
        let digit = matches!(code, 0x0660..=0x0669 | 0x06F0..=0x06F9);
        classes[i] = match (word, digit) {
            (true, false) => Class::ArabicWord,
            (true, true) => Class::OtherWord,
            _ if code == 0x061C => Class::Format,
            _ => Class::Break,
        };
        i += 1;
    }
    classes
};

/// The class of the character at byte `at` of `text` (a character boundary) and its length
/// in bytes; `None` at the end. ASCII and the Arabic block, nearly every character of an
/// article, are read from their bytes; the rest is decoded.
#[inline(always)]
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    let bytes = text.as_bytes();
    let &first = bytes.get(at)?;
    if first < 0x80 {
        let class = if first.is_ascii_alphanumeric() {
            Class::OtherWord
        } else {
            Class::Break
        };
        return Some((class, 1));
    }
    // U+0600–U+06FF in UTF-8: 110110xx 10xxxxxx
    if first & 0xFC == 0xD8
        && let Some(&second) = bytes.get(at + 1)
    {
        let offset = (usize::from(first & 0x03) << 6) | usize::from(second & 0x3F);
        return Some((ARABIC_BLOCK_CLASSES[offset], 2));
    }
    let c = text[at..].chars().next()?;
    Some((class_of(c), c.len_utf8()))
}

/// Finds the next word in `text` at or after byte `from`: its byte range.
///
/// It reads the text's bytes through [`class_at`]: tokenizing with `str::char_indices` and
/// the character tests was a sixth of an ingest's instructions (every text is tokenized
/// twice, for the words and for the compound names) and the largest cost of a snippet.
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let (start, word) = loop {
        let (class, len) = class_at(text, at)?;
        if matches!(class, Class::ArabicWord | Class::OtherWord) {
            break (at, class);
        }
        at += len;
    };
    let mut end = start;
    while let Some((class, len)) = class_at(text, at) {
        if class == word {
            end = at + len;
        } else if class != Class::Format {
            // a character of the other script, or no word character
            break;
        }
        at += len;
    }
    Some((start, end))
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = next_word(self.text, self.cursor) else {
            self.cursor = self.text.len();
            return false;
        };
        self.cursor = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::{assert_token, collect};

    #[test]
    fn splits_arabic_sentence_on_spaces_and_punctuation() {
        let text = "قال لافروف: إن البلدين، أجريا";
        let tokens = collect(&mut ArabicTokenizer::default(), text);
        assert_eq!(tokens.len(), 5);
        assert_token(&tokens[0], 0, "قال", 0, 6);
        assert_token(&tokens[1], 1, "لافروف", 7, 19);
        assert_token(&tokens[2], 2, "إن", 21, 25);
        assert_token(&tokens[3], 3, "البلدين", 26, 40);
        assert_token(&tokens[4], 4, "أجريا", 43, 53);
    }

    #[test]
    fn keeps_harakat_and_tatweel_inside_the_word() {
        let text = "سِيرْغِي لافْرُوفُ الكتـــاب";
        let tokens = collect(&mut ArabicTokenizer::default(), text);
        assert_eq!(tokens.len(), 3);
        assert_token(&tokens[0], 0, "سِيرْغِي", 0, 16);
        assert_token(&tokens[1], 1, "لافْرُوفُ", 17, 35);
        assert_token(&tokens[2], 2, "الكتـــاب", 36, 54);
    }

    #[test]
    fn hyphenated_dateline_gives_two_words() {
        let tokens = collect(&mut ArabicTokenizer::default(), "غوا-سانا");
        assert_eq!(tokens.len(), 2);
        assert_token(&tokens[0], 0, "غوا", 0, 6);
        assert_token(&tokens[1], 1, "سانا", 7, 15);
    }

    #[test]
    fn mixed_latin_and_arabic_indic_digits() {
        let text = "منصة ChatGPT عام ٢٠٢٣";
        let tokens = collect(&mut ArabicTokenizer::default(), text);
        assert_eq!(tokens.len(), 4);
        assert_token(&tokens[1], 1, "ChatGPT", 9, 16);
        assert_token(&tokens[3], 3, "٢٠٢٣", 24, 32);
    }

    #[test]
    fn arabic_letters_against_digits_or_latin_letters_are_words_of_their_own() {
        let texts = |text: &str| -> Vec<String> {
            collect(&mut ArabicTokenizer::default(), text)
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        assert_eq!(texts("عام 1994م"), ["عام", "1994", "م"]);
        assert_eq!(
            texts("و30 قتيلا لعام2006"),
            ["و", "30", "قتيلا", "لعام", "2006"]
        );
        assert_eq!(texts("سنة ١٤١٥هـ"), ["سنة", "١٤١٥", "هـ"]);
        assert_eq!(texts("Ronaldoرونالدو"), ["Ronaldo", "رونالدو"]);
        // digits and Latin letters stay one word, and so do harakat with their letter
        assert_eq!(texts("COVID19 وG20"), ["COVID19", "و", "G20"]);
        assert_eq!(texts("لافْرُوفُ"), ["لافْرُوفُ"]);
        let tokens = collect(&mut ArabicTokenizer::default(), "لعام2006");
        assert_token(&tokens[0], 0, "لعام", 0, 8);
        assert_token(&tokens[1], 1, "2006", 8, 12);
    }

    #[test]
    fn zero_width_non_joiner_inside_a_word_does_not_split_it() {
        let text = "بين\u{200C}ها \u{200F}كلمة\u{200F}";
        let tokens = collect(&mut ArabicTokenizer::default(), text);
        assert_eq!(tokens.len(), 2);
        assert_token(&tokens[0], 0, "بين\u{200C}ها", 0, 13);
        // leading and trailing RLM stay outside the token
        assert_token(&tokens[1], 1, "كلمة", 17, 25);
    }

    #[test]
    fn the_arabic_block_classes_are_those_of_the_character_tests() {
        for (i, class) in ARABIC_BLOCK_CLASSES.iter().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).expect("a character");
            assert_eq!(*class, class_of(c), "{c:?}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_unicode_for_every_character() {
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char_slow(c), "{c:?}");
        }
    }

    /// The words of `text` as `str::char_indices` finds them (what [`next_word`] did before
    /// it decoded the characters itself).
    fn words_by_char_indices(text: &str) -> Vec<(usize, usize)> {
        let mut words = Vec::new();
        let mut from = 0;
        while let Some((start_rel, first)) =
            text[from..].char_indices().find(|&(_, c)| is_word_char(c))
        {
            let start = from + start_rel;
            let arabic = is_arabic_script(first);
            let mut end = start;
            for (i, c) in text[start..].char_indices() {
                if is_word_char(c) {
                    if is_arabic_script(c) != arabic {
                        break;
                    }
                    end = start + i + c.len_utf8();
                } else if !is_format_char(c) {
                    break;
                }
            }
            words.push((start, end));
            from = end;
        }
        words
    }

    proptest::proptest! {
        #[test]
        fn words_are_those_char_indices_finds(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'Z', '7', ' ', '-', '،', 'ا', 'ل', 'ف', 'ة', 'ى', '\u{064E}', '\u{0640}',
                    '٣', '۵', '\u{200C}', '\u{200F}', '\u{FEFF}', '\u{00AD}', 'ﻻ', 'ﷲ', 'é', 'Ж',
                    '中', '😀', '\u{0301}', '\u{0750}', '\u{08A0}', '\n', '.',
                ]),
                0..40,
            )
        ) {
            let text: String = text.into_iter().collect();
            let mut tokenizer = ArabicTokenizer::default();
            let mut stream = tokenizer.token_stream(&text);
            let mut words = Vec::new();
            while stream.advance() {
                words.push((stream.token().offset_from, stream.token().offset_to));
            }
            proptest::prop_assert_eq!(words, words_by_char_indices(&text));
        }
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(collect(&mut ArabicTokenizer::default(), "").is_empty());
        assert!(collect(&mut ArabicTokenizer::default(), " ،؛؟ “” - ").is_empty());
    }
}
