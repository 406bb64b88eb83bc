//! The readings of a word and the stems of a text: what a word can stand for once its clitics
//! and suffix are taken off, in one place for the index, the query and the ranking.
//!
//! A written word is ambiguous: `للافروف` is لل + افروف or ل + لافروف, `وزير` is و + زير or
//! the word itself. Each user reads it its own way, from the same rules:
//! - the index lists a word under every plausible stem ([`index_stems`], from
//!   [`stem_candidates`] and the Snowball stem), in its reading tables (`index::readings`);
//! - a query looks a word up by its stems that the index attests ([`attested_stems`]), or by
//!   the [`light_stem`] alone;
//! - the ranking adds an adjective's place or adverb ([`nisba_reading`]);
//! - similar articles, the ranking's feedback and key terms read a whole text's stems with
//!   [`TextStems`].
//!
//! The clitics themselves are [`super::clitics`]'; the stripping rules are the stemmer's.

use std::borrow::Cow;
use std::ops::Range;

use tantivy::tokenizer::{StopWordFilter, TextAnalyzer, TokenStream};

use super::clitics;
use super::stemmer::{LightStemmer, StemMode, light_stem, snowball_stem, suffix_stem};
use super::{ArabicNormalizer, ArabicTokenizer};

/// A lone-preposition reading needs this many letters left, so short words such as بكين do
/// not get a second reading (كين) that would match unrelated queries.
const MIN_PREPOSITION_READING_CHARS: usize = 4;

/// A query word keeps at least this many letters after a lone clitic is stripped.
const MIN_REMAINDER_CHARS: usize = 3;

/// Every plausible stem of a normalized word: [`light_stem`] first, then the stems of the
/// other readings (a lone preposition stripped; nothing but the suffix stripped). The index
/// stores all of them at the word's position; a query looks up only the first, so a query
/// word finds its clitic forms (`لافروف` finds `للافروف`) without a query for one reading
/// being widened to every other.
///
/// The second reading strips a preposition without the article
/// ([`clitics::preposition_clitics`]): `للافروف` is ل + لافروف, but the article rule reads it
/// as لل + افروف; which one is right depends on the word, so the index keeps both readings.
pub fn stem_candidates(word: &str) -> Vec<&str> {
    let prepositions_stripped = clitics::preposition_clitics()
        .iter()
        .filter_map(|prefix| word.strip_prefix(prefix))
        .filter(|rest| rest.chars().count() >= MIN_PREPOSITION_READING_CHARS);
    let readings = std::iter::once(light_stem(word))
        .chain(prepositions_stripped.map(suffix_stem))
        .chain(std::iter::once(suffix_stem(word)));
    let mut candidates = Vec::with_capacity(3);
    for stem in readings {
        if !candidates.contains(&stem) {
            candidates.push(stem);
        }
    }
    candidates
}

/// Every stem the reading tables list a normalized word under: its [`stem_candidates`], then
/// its [`snowball_stem`] when that is another term.
pub fn index_stems(word: &str) -> Vec<Cow<'_, str>> {
    let mut stems: Vec<Cow<'_, str>> = stem_candidates(word)
        .into_iter()
        .map(Cow::Borrowed)
        .collect();
    let snowball = snowball_stem(word);
    if !snowball.is_empty() && !stems.contains(&snowball) {
        stems.push(snowball);
    }
    stems
}

/// The stems a query word (normalized) is looked up by: its light stem when it starts with
/// an article group (a noun with its article: the light stemmer strips it without asking),
/// plus the light stem of what follows each lone clitic when `attested` says that remainder
/// is a word of the index (words start with those letters too: وزير, بكين, فيلم); when
/// neither applies, the word itself with only its suffix stripped. The lists are
/// [`clitics::article_groups`] and [`clitics::lone_clitics`].
pub fn attested_stems(word: &str, attested: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut stems: Vec<String> = Vec::new();
    let push = |stems: &mut Vec<String>, stem: &str| {
        if !stems.iter().any(|s| s == stem) {
            stems.push(stem.to_string());
        }
    };
    let has_article = clitics::article_groups().iter().any(|group| {
        word.strip_prefix(group)
            .is_some_and(|rest| rest.chars().count() >= 2)
    });
    if has_article {
        push(&mut stems, light_stem(word));
    }
    for clitic in clitics::lone_clitics() {
        if let Some(rest) = word.strip_prefix(clitic)
            && rest.chars().count() >= MIN_REMAINDER_CHARS
            && attested(rest)
        {
            push(&mut stems, light_stem(rest));
        }
    }
    if stems.is_empty() {
        push(&mut stems, suffix_stem(word));
    }
    stems
}

/// The nisba reading of an adjective (normalized) in `ي` or `يه` whose light stem is `stem`:
/// the same word in `يا`, the place or adverb the adjective is made from or into (`الليبيه` →
/// ليبيا, `السوريه` → سوريا, `الرسمي` → رسميا). The light stemmer strips `يه` and `ي` but
/// not `يا`, so an adjective never meets its place otherwise. Only this way round: a place's
/// adjective stem (اسبان for `اسبانيا`) is also its people's and its language's.
pub fn nisba_reading(exact: &str, stem: &str) -> Option<String> {
    let is_adjective = stem.chars().count() >= 3
        && !stem.ends_with("يا")
        && (exact.ends_with(&format!("{stem}ي")) || exact.ends_with(&format!("{stem}يه")));
    is_adjective.then(|| format!("{stem}يا"))
}

/// Reads the stems of whole texts: each word tokenized and normalized, the `stop_words`
/// (normalized forms) left out, then stemmed as `mode` says (the light stem alone, or every
/// [`index_stems`] reading). One reader serves many texts and remembers the words it stemmed.
pub struct TextStems {
    analyzer: TextAnalyzer,
}

impl TextStems {
    /// A reader emitting the stems of `mode`, without the words of `stop_words`.
    pub fn new(mode: StemMode, stop_words: &[&str]) -> TextStems {
        TextStems {
            analyzer: stemming_analyzer(mode, stop_words),
        }
    }

    /// Calls `visit` with each stem of `text`, in order, and the byte range of the word it
    /// came from as `text` writes it (several stems of one word share the range).
    pub fn visit(&mut self, text: &str, mut visit: impl FnMut(&str, Range<usize>)) {
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            visit(&token.text, token.offset_from..token.offset_to);
        }
    }
}

/// The analyzer that tokenizes, normalizes, drops `stop_words` and stems as `mode` says.
pub(crate) fn stemming_analyzer(mode: StemMode, stop_words: &[&str]) -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(ArabicNormalizer)
        .filter(StopWordFilter::remove(
            stop_words.iter().map(|w| w.to_string()),
        ))
        .filter(LightStemmer::new(mode))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;

    #[test]
    fn a_lone_preposition_is_one_more_reading() {
        // ل + لافروف: the article rule reads لل + افروف; the preposition reading is kept too
        assert_eq!(
            stem_candidates(&normalize("للافروف")),
            ["افروف", "لافروف", "للافروف"]
        );
        assert_eq!(stem_candidates(&normalize("بكين")), ["بكين"]);
        assert_eq!(stem_candidates(&normalize("وزير")), ["زير", "وزير"]);
        assert_eq!(stem_candidates(&normalize("لتطوير")), ["لتطوير", "تطوير"]);
        assert_eq!(stem_candidates(&normalize("لافروف")), ["لافروف", "افروف"]);
    }

    fn stems_with(word: &str, lexicon: &[&str]) -> Vec<String> {
        let lexicon: Vec<String> = lexicon.iter().map(|w| normalize(w)).collect();
        attested_stems(&normalize(word), &|w| lexicon.iter().any(|l| l == w))
    }

    #[test]
    fn strips_a_clitic_only_when_the_rest_is_attested() {
        assert_eq!(stems_with("ولافروف", &["لافروف"]), ["لافروف"]);
        assert_eq!(stems_with("لكندا", &["كندا"]), ["كندا"]);
        assert_eq!(stems_with("والأوكرانية", &["الأوكرانية"]), ["اوكران"]);
        assert_eq!(stems_with("بالأزمة", &[]), ["ازم"]);
        // لل is the article after ل, or ل before a word starting with ل: both readings
        assert_eq!(stems_with("للافروف", &["لافروف"]), ["افروف", "لافروف"]);
    }

    #[test]
    fn keeps_words_whose_remainder_is_not_a_word() {
        assert_eq!(stems_with("وزير", &["وزير", "الوزير"]), ["وزير"]);
        assert_eq!(stems_with("بكين", &["بكين"]), ["بكين"]);
        // the article needs no attestation; a suffix is stripped from the whole word
        assert_eq!(stems_with("المفاوضات", &[]), ["مفاوض"]);
        assert_eq!(stems_with("فلسطين", &[]), ["فلسط"]);
    }

    #[test]
    fn an_adjective_reads_as_its_place_or_adverb_in_ya() {
        let reading = |word: &str| {
            let word = normalize(word);
            nisba_reading(&word, light_stem(&word))
        };
        assert_eq!(reading("الليبية").as_deref(), Some("ليبيا"));
        assert_eq!(reading("السوري").as_deref(), Some("سوريا"));
        assert_eq!(reading("والرسمية").as_deref(), Some("رسميا"));
        // not the other way round, and not a word that is no adjective
        assert_eq!(reading("ليبيا"), None);
        assert_eq!(reading("إسبانيا"), None);
        assert_eq!(reading("الحكومة"), None);
        assert_eq!(reading("الحدود"), None);
    }
}
