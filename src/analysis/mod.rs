//! The Arabic analyzer: how article text becomes indexed terms.
//!
//! The index holds each word once, as the exact analyzer writes it:
//! - [`EXACT`]: [`ArabicTokenizer`] → [`ArabicNormalizer`]. Finds a word however it was
//!   diacritized or spelled (hamza, alef, ta marbuta, digits), but not with clitics attached.
//! - [`COMPOUND`], of the compound field: only the compound names written apart
//!   (`عبد الله`), each as one term at the position of its head ([`CompoundFilter`]).
//!
//! Everything else a word stands for (its clitic-free stems, its Snowball stem, its name
//! spellings) is a function of the word, computed once per distinct word of the index into
//! its reading tables (`index::readings`), not at each occurrence. Those functions are
//! versioned by [`RULES_VERSION`]: changing one rebuilds the tables, not the index. The
//! [`STEMMED`] analyzer ([`LightStemmer`], one stem per word) is for queries and similar
//! articles.
//!
//! The Arabic knowledge lives in one place each: the clitics and the article in [`clitics`],
//! what a word and a text read as (stems, query readings, nisba) in [`readings`], the
//! stripping rules in [`stemmer`], name spellings in [`name_key`](mod@name_key).
//!
//! No filter changes a token's offsets: they always point at the word as written in the
//! original text, which is what snippets highlight.

pub mod clitics;
pub mod derivation;
pub mod name_key;
pub mod normalizer;
pub mod readings;
pub mod stemmer;
pub mod stopwords;
pub mod tokenizer;

pub use name_key::{CompoundFilter, name_key, name_readings, name_term, plausible_variant};
pub use normalizer::{ArabicNormalizer, normalize};
pub use readings::{TextStems, index_stems, nisba_reading, stem_candidates};
pub use stemmer::{LightStemmer, StemMode, light_stem, snowball_stem, suffix_stem};
pub use tokenizer::ArabicTokenizer;

use tantivy::tokenizer::{StopWordFilter, TextAnalyzer, TokenStream, TokenizerManager};

/// Name under which the exact (normalized, unstemmed) analyzer is registered in the index.
pub const EXACT: &str = "fahras_exact";
/// Name under which the analyzer of the compound field is registered in the index.
pub const COMPOUND: &str = "fahras_compound";
/// Name under which the stemmed query analyzer is registered (never an index field's).
pub const STEMMED: &str = "fahras_stemmed";

/// Version of the rules that turn a word into its readings and name spellings: the light
/// stemmer, the Snowball stem, [`name_key`] and [`name_readings`]. Bump it when one of them
/// changes: an index whose reading tables were built with another version rebuilds them
/// from its vocabulary (seconds) when it is next opened, with no new ingest. (A change to
/// the tokenizer or the normalizer changes the indexed terms themselves: that is a new
/// index format, `index::FORMAT_VERSION`.)
pub const RULES_VERSION: u32 = 1;

/// The analyzer of the exact fields: tokenize, then normalize.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(ArabicNormalizer)
        .build()
}

/// The analyzer of the compound field: the compound names written apart in a text, each as
/// one term at its head's position ([`CompoundFilter`]), and nothing else.
pub fn compound_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(ArabicNormalizer)
        .filter(CompoundFilter)
        .build()
}

/// Every plausible stem of each word at its position ([`index_stems`]), for reading an
/// article's words by stem (key terms).
pub fn stemmed_analyzer() -> TextAnalyzer {
    readings::stemming_analyzer(StemMode::AllReadings, &[])
}

/// The stemmed analyzer of queries: one stem per word.
pub fn stemmed_query_analyzer() -> TextAnalyzer {
    readings::stemming_analyzer(StemMode::Primary, &[])
}

/// Registers the index-time analyzers under [`EXACT`] and [`COMPOUND`].
pub fn register_analyzers(manager: &TokenizerManager) {
    manager.register(EXACT, exact_analyzer());
    manager.register(COMPOUND, compound_analyzer());
}

/// The analyzers the query parser uses: [`EXACT`] and [`COMPOUND`] both the exact analyzer
/// (a query's compound is its two words), and [`STEMMED`], with `stop_words` (normalized forms,
/// such as [`stopwords::QUERY_STOP_WORDS`]) dropped after normalization. Dropped words leave
/// their positions empty.
pub fn query_tokenizers(stop_words: &[&str]) -> TokenizerManager {
    let stop = || StopWordFilter::remove(stop_words.iter().map(|w| w.to_string()));
    let manager = TokenizerManager::default();
    for name in [EXACT, COMPOUND] {
        manager.register(
            name,
            TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(ArabicNormalizer)
                .filter(stop())
                .build(),
        );
    }
    manager.register(
        STEMMED,
        readings::stemming_analyzer(StemMode::Primary, stop_words),
    );
    manager
}

/// One word of a text as both analyzers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedWord {
    /// Position of the word in the text (counting dropped tokens, as the index does).
    pub position: usize,
    /// Byte range of the word as written in the original text.
    pub start: usize,
    /// End of that byte range (exclusive).
    pub end: usize,
    /// The term in the exact fields.
    pub exact: String,
    /// The terms in the stemmed fields: the light stems (query-time stem first), then the
    /// Snowball stem when it differs.
    pub stems: Vec<String>,
}

/// Runs the analyzer over `text` and returns every indexed word with its original offsets.
pub fn analyze_words(text: &str) -> Vec<AnalyzedWord> {
    let mut analyzer = exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        let token = stream.token();
        words.push(AnalyzedWord {
            position: token.position,
            start: token.offset_from,
            end: token.offset_to,
            stems: index_stems(&token.text)
                .into_iter()
                .map(|stem| stem.into_owned())
                .collect(),
            exact: token.text.clone(),
        });
    }
    words
}

#[cfg(test)]
pub(crate) mod test_support {
    use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

    /// Collects every token a tokenizer produces for `text`.
    pub fn collect<T: Tokenizer>(tokenizer: &mut T, text: &str) -> Vec<Token> {
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    /// Collects every token an analyzer produces for `text`.
    pub fn analyzed(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    /// Checks a token's position, text and byte offsets (tantivy's `assert_token`).
    pub fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(token.position, position, "position of {token:?}");
        assert_eq!(token.text, text, "text of {token:?}");
        assert_eq!(token.offset_from, from, "offset_from of {token:?}");
        assert_eq!(token.offset_to, to, "offset_to of {token:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use test_support::{analyzed, assert_token};

    const SEED_SENTENCE: &str = "بدوره قال لافروف: إن زيارة الرئيس الصيني شي جين بينغ إلى روسيا في آذار الماضي أعطت دفعا كبيرا لتطوير العلاقات الثنائية";

    #[test]
    fn stemmed_analyzer_on_a_sentence_of_the_seed_article() {
        let tokens = analyzed(&mut stemmed_query_analyzer(), SEED_SENTENCE);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "بدور",
                "قال",
                "لافروف",
                "ان",
                "زيار",
                "رئيس",
                "صين",
                "شي",
                "جين",
                "بينغ",
                "الي",
                "روسيا",
                "في",
                "اذار",
                "ماض",
                "اعطت",
                "دفعا",
                "كبيرا",
                "لتطوير",
                "علاق",
                "ثنائ",
            ]
        );
        assert_token(&tokens[2], 2, "لافروف", 18, 30);
    }

    #[test]
    fn words_keep_original_offsets_in_both_forms() {
        let text = "وقال وزيرُ الخارجيّة: والأوكرانيّة";
        let words = analyze_words(text);
        assert_eq!(words.len(), 4);
        let last = &words[3];
        assert_eq!(&text[last.start..last.end], "والأوكرانيّة");
        assert_eq!(last.exact, "والاوكرانيه");
        assert_eq!(last.stems[0], "اوكران");
        assert_eq!(&text[words[1].start..words[1].end], "وزيرُ");
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,64}",
            "[\u{0600}-\u{06FF}\u{0750}-\u{077F}\u{FB50}-\u{FEFF}\u{200B}-\u{200F} a-zA-Z0-9.,:-]{0,64}",
        ]
    }

    proptest! {
        #[test]
        fn offsets_stay_on_char_boundaries_inside_the_text(text in any_text()) {
            for analyzer in [&mut exact_analyzer(), &mut compound_analyzer(), &mut stemmed_analyzer(), &mut stemmed_query_analyzer()] {
                for token in analyzed(analyzer, &text) {
                    prop_assert!(token.offset_from < token.offset_to);
                    prop_assert!(token.offset_to <= text.len());
                    prop_assert!(text.is_char_boundary(token.offset_from));
                    prop_assert!(text.is_char_boundary(token.offset_to));
                    prop_assert!(!token.text.is_empty());
                }
            }
        }

        #[test]
        fn a_name_key_is_a_key_of_itself_and_any_two_words_compare(a in any_text(), b in any_text()) {
            for word in [normalize(&a), normalize(&b)] {
                let key = name_key(&word);
                prop_assert_eq!(name_key(&key), key.clone());
                prop_assert!(key.chars().count() <= word.chars().count());
            }
            let _ = plausible_variant(&normalize(&a), &normalize(&b));
        }

        #[test]
        fn every_light_stem_is_a_non_empty_part_of_its_word(text in any_text()) {
            for word in analyze_words(&text) {
                let light = stem_candidates(&word.exact);
                // the light readings first, then at most the Snowball stem, which may rewrite letters
                prop_assert!(word.stems.len() <= light.len() + 1);
                prop_assert_eq!(&word.stems[..light.len()], &light[..]);
                for stem in &word.stems {
                    prop_assert!(!stem.is_empty());
                }
                for stem in light {
                    prop_assert!(word.exact.contains(stem));
                }
            }
        }
    }
}
