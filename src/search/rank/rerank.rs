//! The second ranking stage: rescoring the best first-stage candidates.
//!
//! The first stage is tantivy's BM25 over the query as parsed (it decides what matches and
//! keeps every query feature: phrases, `+`/`-`, fields, dates). This stage rescores its top
//! [`RERANK_WINDOW`] hits with what tantivy's scorer cannot express, each measured on ARCD
//! (see docs/RELEVANCE.md):
//! - BM25 with our own `k1`/`b` (tantivy hard-codes 1.2/0.75);
//! - per query word, the exact term and the light stem of each reading whose clitic-free
//!   part the index attests (see `analysis::readings::attested_stems`);
//! - coordination: a document matching more of the query's words ranks higher, as in
//!   Lucene's classic similarity (`(matched / words) ^ coordination`);
//! - proximity: pairs of query words close together in the text (BM25TP, Rasolofo & Savoy);
//! - name spellings (see `person::lookup`): each other spelling of a word found in the name table
//!   counts at its weight, with the idf of all its spellings together, so a rare variant
//!   never outweighs the spelling typed; an article that writes a word of a `person:` name
//!   only in another spelling scores [`OTHER_SPELLING_FACTOR`] of what it would, so articles
//!   with the spelling typed rank first, and one that writes it only in spellings that read as
//!   ordinary words [`WORD_LIKE_ONLY_FACTOR`] of that; a spelling's occurrences count at its
//!   weight in the lead and window scores too (not in the pair scores: the parts of a name
//!   side by side are the name in whatever spelling).
//!
//! Everything is read from the postings of the candidates (term frequencies, positions,
//! field norms); no article is loaded or re-analyzed.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

use super::answer::{
    AnswerKind, TextEvidence, answer_closeness, answer_kind, best_sentence, read_text,
};
use crate::analysis::derivation::relatives;
use crate::analysis::stopwords::{QUERY_STOP_WORDS, QUESTION_VERBS};
use crate::analysis::{StemMode, TextStems, light_stem, nisba_reading, snowball_stem};
use crate::error::Result;
use crate::index::readings::union_doc_freq;
use crate::index::term_memo;
use crate::index::{Fields, Readings, document_to_article, stored_text};
use crate::search::person::lookup::NameTerm;
use crate::search::query::query_words::{QueryWordOptions, QueryWords};

/// How many first-stage hits are rescored (more when a page reaches deeper).
pub const RERANK_WINDOW: usize = 100;
/// The deepest hit that is rescored; hits beyond keep their first-stage order.
pub const MAX_RERANK_WINDOW: usize = 1_000;
/// How many of the best rescored hits the answer score reads (their text is loaded).
const ANSWER_DOCS: usize = 30;
/// Score factor of an article that has a word of a `person:` name in other spellings only.
pub const OTHER_SPELLING_FACTOR: f32 = 0.5;
/// Score factor (besides [`OTHER_SPELLING_FACTOR`]) of an article that has a word of a
/// `person:` name only in spellings that read as ordinary words (`المرجل` under the key of
/// `ميركل`, `بجبهة` under that of `بوجبا`): any article with a spelling that does not,
/// however long the article and however rarely it writes the name, ranks above it.
pub const WORD_LIKE_ONLY_FACTOR: f32 = 0.1;
/// Score factor of an article for each part of a `person:` name it does not write at all (a
/// given name, a title: only the family name is required), below [`OTHER_SPELLING_FACTOR`]
/// so that the full name in another spelling ranks above the family name alone.
pub const MISSING_PART_FACTOR: f32 = 0.25;

/// Writes each ranking knob once: its doc, its name (which is also its `--ranking` key), its
/// type and its default make the [`RankingOptions`] field, its `Default`, its entry in
/// [`RANKING_KEYS`] and its arm of the setter `RankingOptions::parse` calls. The keys of the
/// [`QueryWordOptions`] flags follow `@words`, each with the field it sets (documented there).
macro_rules! ranking_knobs {
    (
        $( $(#[doc = $doc:literal])* $name:ident: $ty:ty = $default:expr, )*
        @words { $( $word_key:ident => $word_field:ident, )* }
    ) => {
        /// The ranking knobs. The defaults are the measured best on ARCD that still suit long
        /// news articles; the others exist for evaluation and ablation (`fahras query
        /// --ranking`). Each knob is written once, in the `ranking_knobs!` table.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct RankingOptions {
            $( $(#[doc = $doc])* pub $name: $ty, )*
            /// How query words are analyzed.
            pub words: QueryWordOptions,
        }

        impl Default for RankingOptions {
            fn default() -> RankingOptions {
                RankingOptions {
                    $( $name: $default, )*
                    words: QueryWordOptions::default(),
                }
            }
        }

        /// The keys `RankingOptions::parse` knows, in the order the knobs are written.
        const RANKING_KEYS: &[&str] = &[$( stringify!($name), )* $( stringify!($word_key), )*];

        impl RankingOptions {
            /// Sets the knob named `key` to `number` (read as the knob's type, see
            /// [`KnobValue`]); false when no knob has that name.
            fn set(&mut self, key: &str, number: f32) -> bool {
                match key {
                    $( stringify!($name) => self.$name = KnobValue::from_number(number), )*
                    $( stringify!($word_key) => self.words.$word_field = KnobValue::from_number(number), )*
                    _ => return false,
                }
                true
            }
        }
    };
}

/// A knob's type, read from the number `--ranking` gives: booleans as 0/1, counts rounded
/// (negative ones as 0).
trait KnobValue {
    fn from_number(number: f32) -> Self;
}

impl KnobValue for f32 {
    fn from_number(number: f32) -> f32 {
        number
    }
}

impl KnobValue for bool {
    fn from_number(number: f32) -> bool {
        number != 0.0
    }
}

impl KnobValue for usize {
    fn from_number(number: f32) -> usize {
        number.max(0.0).round() as usize
    }
}

impl KnobValue for u32 {
    fn from_number(number: f32) -> u32 {
        usize::from_number(number) as u32
    }
}

ranking_knobs! {
    /// Run the second stage at all (off: tantivy's BM25 order).
    rerank: bool = true,
    /// BM25 term-frequency saturation.
    k1: f32 = 0.9,
    /// BM25 length normalization of the text.
    b: f32 = 0.75,
    /// BM25 length normalization of the headline.
    title_b: f32 = 0.75,
    /// Weight of the headline against the text.
    title_weight: f32 = 1.0,
    /// BM25F: a word's headline and text frequencies are summed (the headline's weighted by
    /// `title_weight`) into one length-normalized frequency before saturation (off: the
    /// headline is scored as a field of its own, its score weighted and added).
    bm25f: bool = false,
    /// Exponent of each term's idf (1: BM25; higher favours rare words such as names).
    idf_power: f32 = 1.0,
    /// Weight of the proximity score (0: off).
    proximity: f32 = 1.0,
    /// Farthest apart (in words) two query words still count as near each other.
    proximity_window: u32 = 10,
    /// Proximity, lead and window scores see every reading of a query word (exact and
    /// each stem), not only its main stem.
    proximity_readings: bool = false,
    /// How closeness decays with distance: `1 / distance ^ decay`.
    proximity_decay: f32 = 2.0,
    /// Weight of the lead score (0: off): query words early in the text, where news articles
    /// (and encyclopedia entries) say what they are about.
    lead: f32 = 2.0,
    /// How fast the lead score fades: a word first seen `lead_words` words into the text
    /// counts half as much as one in the first word.
    lead_words: f32 = 10.0,
    /// Weight of the window score (0: off): the query words (idf-weighted) that one stretch
    /// of `window_words` words of the text holds, at best, as a share of the query's.
    window: f32 = 0.0,
    /// Width of that stretch, in words (about a sentence).
    window_words: u32 = 20,
    /// Weight of the sentence score (0: off): the query words (idf-weighted, each counted
    /// once) that the best sentence of the text holds. A question usually paraphrases one
    /// sentence of the text that answers it. Only for questions, and only the best
    /// [`ANSWER_DOCS`] hits (their text is read for the sentence ends).
    sentence: f32 = 0.0,
    /// Weight of the ordered-pair score (0: off): two words adjacent in the query that occur
    /// in the same order at most `ordered_window` words apart in the text (the ordered
    /// windows of the sequential dependence model), each pair weighted by the smaller idf.
    ordered: f32 = 0.7,
    /// Farthest apart (in words) an ordered pair still counts.
    ordered_window: u32 = 3,
    /// Weight of the answer score (0: off): for a question asking when (`متى`) or how many
    /// (`كم`), query words near a year, month or number (see `answer`).
    answer: f32 = 2.0,
    /// Farthest apart (in words) a query word and an answer still count as near.
    answer_window: u32 = 10,
    /// Local weighting (0: off): each query word's weight falls by this much times the
    /// share of the best `local_docs` hits that match it.
    local: f32 = 0.4,
    /// How many of the best hits local weighting looks at.
    local_docs: usize = 10,
    /// Exponent of the coordination factor (0: off).
    coordination: f32 = 0.5,
    /// Boost of the exact fields relative to the stemmed ones (1.0 each).
    exact_boost: f32 = 1.2,
    /// Look the stems up (off: exact fields only).
    stems: bool = true,
    /// Weight of a query word's derivational relatives (0: not looked up): the words the
    /// index attests on the same three-letter root, guessed from the patterns of Arabic
    /// derivation (`ولد` → `مولود`, `ولاده`; see `analysis::derivation`), scored together as
    /// one more reading of the word, with the idf of all of them. Only for questions (a
    /// query with a question word): a question is put in the asker's words (`متى ولد`, where
    /// the article has `مولود`), a search names the words it looks for; and looking up some
    /// fifty spellings a word costs a query about 0.3 ms on 100,000 articles.
    derivation: f32 = 1.5,
    /// The positions of a word's relatives count for proximity, lead and answer scores too.
    derivation_proximity: bool = false,
    /// A word's relatives count only in an article that has none of its own forms (a
    /// back-off: they never reorder articles that all have the word).
    derivation_backoff: bool = true,
    /// An article with only a word's relatives counts as matching the word for
    /// coordination (off: only its own forms count).
    derivation_coordination: bool = false,
    /// Weight of a generic verb of a question (`تقع`, `يوجد`, `يسمى`, `يبلغ`; see
    /// `QUESTION_VERBS`) against a query word's 1.
    question_verbs: f32 = 0.5,
    /// Weight of a query word's Snowball stem as one more reading (0: not looked up).
    snowball: f32 = 0.0,
    /// Look up only the Snowball stem of each query word instead of its light stems (for
    /// comparing the stemmers; the index holds both).
    snowball_only: bool = false,
    /// Weight of an adjective's nisba reading (0: not looked up): the adjective looks up the
    /// place or adverb in `يا` it goes with (`الليبية` → ليبيا, `الرسمي` → رسميا; see
    /// `analysis::readings::nisba_reading`).
    nisba: f32 = 0.5,
    /// Pseudo-relevance feedback: how many of the best rescored hits lend their words (0: off).
    feedback_docs: usize = 0,
    /// Pseudo-relevance feedback: how many of their words are added to the query.
    feedback_terms: usize = 10,
    /// Pseudo-relevance feedback: weight of the added words (the heaviest weighs this much
    /// against a query word).
    feedback_weight: f32 = 0.3,
    @words {
        stop_words => drop_stop_words,
        attested => attested_readings,
        question_frame => drop_question_frame,
        names => name_variants,
        correct => correct,
    }
}

impl RankingOptions {
    /// Parses `key=value` pairs separated by commas over the defaults (keys in
    /// [`RANKING_KEYS`]; booleans as 0/1; `b` sets the headline's `title_b` too unless that
    /// is given).
    pub fn parse(spec: &str) -> Result<RankingOptions, String> {
        let mut options = RankingOptions::default();
        let mut title_b = None;
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not key=value"))?;
            let number: f32 = value
                .trim()
                .parse()
                .map_err(|_| format!("`{value}` is not a number (in `{pair}`)"))?;
            let key = key.trim();
            if key == "title_b" {
                title_b = Some(number);
            } else if !options.set(key, number) {
                return Err(format!(
                    "unknown ranking key `{key}`; known: {}",
                    RANKING_KEYS.join(", ")
                ));
            }
        }
        options.title_b = title_b.unwrap_or(options.b);
        Ok(options)
    }
}

/// A word the second stage scores: a query word, or a word added by feedback.
#[derive(Debug, Clone, PartialEq)]
struct RankWord {
    /// Its term in the exact fields (none for feedback words, which are stems).
    exact: Option<String>,
    /// Its stems, main reading first, each with its weight (each stem the indexed words
    /// sharing it).
    stems: Vec<(String, f32)>,
    /// Weight of the whole word.
    weight: f32,
    /// It is one of the query's own words (counted by coordination and proximity).
    from_query: bool,
    /// Its name spellings (see `person::lookup`), each with its weight (the typed spelling
    /// weighs 1) and whether it reads as an ordinary word.
    names: Vec<NameTerm>,
    /// It is a word of a `person:` name: an article without its typed spelling scores
    /// [`OTHER_SPELLING_FACTOR`] of what it would, and one with only word-like spellings
    /// of it [`WORD_LIKE_ONLY_FACTOR`] of that.
    person: bool,
    /// Its derivational relatives the index attests (see
    /// [`RankingOptions::derivation`]).
    relatives: Vec<String>,
}

/// What one group of terms adds to a word's score: the same reading of the word in the
/// headline and the text (BM25F), or in one of them.
struct Group {
    word: usize,
    boost: f32,
    /// The idf of its terms' articles, before the word's weight ([`RankWord::weight`]).
    idf: f32,
    /// Its terms are the word as typed (exact fields, or the name term of the typed spelling).
    typed: bool,
    /// Its terms are the word's derivational relatives.
    relative: bool,
    /// What an occurrence of its terms weighs in the position scores (proximity, lead,
    /// window, ordered pairs): a name spelling's weight (see `person::lookup`), 1 for
    /// every other reading. A variant spelling found early in an article thus counts no more
    /// than it does in the word's own score: a word-like variant (`المرجل` under the key of
    /// `ميركل`) in a short article's lead never outranks a long article that writes the
    /// spelling typed.
    position_weight: f32,
    /// Its terms are a name spelling that reads as an ordinary word (see `person::lookup`).
    word_like: bool,
}

/// One term looked up for a group.
struct Lookup {
    group: usize,
    field: Field,
    /// Which source's length normalizes it (0: headline, 1: text).
    source: usize,
    term: Term,
    /// Its positions feed the proximity score (the word's main stem in the text).
    proximity_slot: Option<usize>,
}

/// What a scoring pass looks up for its words: the groups, their terms, and the number of
/// proximity slots.
struct Lookups {
    groups: Vec<Group>,
    lookups: Vec<Lookup>,
    proximity_slots: usize,
}

/// Rescores `candidates` in place (without reordering them).
pub fn rescore(
    searcher: &Searcher,
    fields: &Fields,
    query: &QueryWords,
    options: &RankingOptions,
    candidates: &mut [(f32, DocAddress)],
) -> Result<()> {
    let words = &query.words;
    if words.is_empty() || candidates.is_empty() {
        return Ok(());
    }
    let answer = if options.answer > 0.0 {
        answer_kind(
            query
                .dropped_stop_words
                .iter()
                .chain(words.iter().map(|w| &w.exact))
                .map(String::as_str),
        )
    } else {
        None
    };
    let mut rank_words: Vec<RankWord> = words
        .iter()
        .map(|word| {
            let mut stems: Vec<(String, f32)> = if options.snowball_only {
                vec![(snowball_stem(&word.exact).into_owned(), 1.0)]
            } else {
                word.stems.iter().map(|s| (s.clone(), 1.0)).collect()
            };
            if options.snowball > 0.0 && !options.snowball_only {
                let snowball = snowball_stem(&word.exact);
                if !snowball.is_empty() && !stems.iter().any(|(s, _)| *s == snowball) {
                    stems.push((snowball.into_owned(), options.snowball));
                }
            }
            if options.nisba > 0.0
                && !options.snowball_only
                && let Some(reading) = stems
                    .first()
                    .and_then(|(primary, _)| nisba_reading(&word.exact, primary))
                && !stems.iter().any(|(s, _)| *s == reading)
            {
                stems.push((reading, options.nisba));
            }
            let weight = if query.is_question && QUESTION_VERBS.contains(&word.exact.as_str()) {
                options.question_verbs
            } else {
                1.0
            };
            RankWord {
                exact: Some(word.exact.clone()),
                stems,
                weight,
                from_query: true,
                names: word.names.clone(),
                person: word.person,
                relatives: Vec::new(),
            }
        })
        .collect();
    let scorer = Scorer::new(searcher, fields, options, answer, query.is_question)?;
    if options.derivation > 0.0 && options.stems && query.is_question {
        for (rank_word, word) in rank_words.iter_mut().zip(words) {
            if !word.person {
                rank_word.relatives = scorer.attested_relatives(&word.stems)?;
            }
        }
    }
    let matches = scorer.score(&rank_words, candidates)?;
    if options.local > 0.0 && options.local_docs > 0 && rank_words.len() > 1 {
        let weights = local_weights(candidates, &matches, options.local, options.local_docs);
        for (word, weight) in rank_words.iter_mut().zip(weights) {
            word.weight *= weight;
        }
        scorer.score(&rank_words, candidates)?;
    }
    if options.feedback_docs > 0 && options.feedback_terms > 0 && options.stems {
        let added = feedback_words(searcher, fields, &scorer, &rank_words, options, candidates)?;
        if !added.is_empty() {
            rank_words.extend(added);
            scorer.score(&rank_words, candidates)?;
        }
    }
    Ok(())
}

/// Collection statistics and options shared by every scoring pass of one query.
struct Scorer<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// The index's reading tables: the words of each stem and name spelling.
    readings: std::sync::Arc<Readings>,
    options: &'a RankingOptions,
    num_docs: f32,
    /// Average length of the headline and of the text.
    average_length: [f32; 2],
    /// What the query asks for, when it is a question the answer score knows.
    answer: Option<AnswerKind>,
    /// The best hits' texts are read (for the answer or the sentence score).
    reads_text: bool,
    /// What was read in the texts read so far (each is read once per query, however many
    /// scoring passes there are).
    texts_read: RefCell<HashMap<DocAddress, TextEvidence>>,
    /// Document frequencies looked up so far: each scoring pass looks up the same terms, and
    /// a derivational relative is looked up once to see whether it is attested and again for
    /// its idf.
    doc_freqs: RefCell<HashMap<Term, u64>>,
    /// The last pass's words (their weights set aside) and what they looked up: the local
    /// weights' pass changes only the words' weights, and looks nothing up again.
    lookups_made: RefCell<Option<(Vec<RankWord>, Rc<Lookups>)>>,
    /// What the last pass read from each segment's postings: a pass with the same lookups
    /// for the same candidates (the local weights' pass) reuses it instead of reading the
    /// postings again.
    postings_read: RefCell<HashMap<u32, Rc<PostingsRead>>>,
}

/// The frequencies and positions one pass read for a segment's candidates.
struct PostingsRead {
    /// The lookups read.
    lookups: Rc<Lookups>,
    /// The candidates' documents, ascending.
    docs: Vec<DocId>,
    frequency: Vec<Vec<f32>>,
    near: Vec<Vec<Vec<u32>>>,
    /// Per candidate and proximity slot, the heaviest [`Group::position_weight`] of the
    /// terms found there.
    near_weight: Vec<Vec<f32>>,
}

impl<'a> Scorer<'a> {
    fn new(
        searcher: &'a Searcher,
        fields: &'a Fields,
        options: &'a RankingOptions,
        answer: Option<AnswerKind>,
        is_question: bool,
    ) -> Result<Scorer<'a>> {
        let num_docs = searcher.num_docs().max(1) as f32;
        let mut average_length = [0f32; 2];
        for (slot, field) in [fields.title, fields.body].into_iter().enumerate() {
            let mut tokens = 0u64;
            for segment in searcher.segment_readers() {
                tokens += segment.inverted_index(field)?.total_num_tokens();
            }
            average_length[slot] = (tokens as f32 / num_docs).max(1.0);
        }
        Ok(Scorer {
            searcher,
            fields,
            readings: Readings::of(searcher, fields)?,
            options,
            num_docs,
            average_length,
            answer,
            reads_text: answer.is_some() || (options.sentence > 0.0 && is_question),
            texts_read: RefCell::default(),
            doc_freqs: RefCell::default(),
            lookups_made: RefCell::default(),
            postings_read: RefCell::default(),
        })
    }

    /// The number of articles holding `term` (looked up once per query).
    fn doc_freq(&self, term: &Term) -> Result<u64> {
        if let Some(&df) = self.doc_freqs.borrow().get(term) {
            return Ok(df);
        }
        let df = term_memo::doc_freq(self.searcher, term)?;
        self.doc_freqs.borrow_mut().insert(term.clone(), df);
        Ok(df)
    }

    /// The derivational relatives of a query word given by its stems (see
    /// `analysis::derivation`) that occur in the indexed texts (a relative found in
    /// headlines only is not worth a second lookup per candidate relative).
    fn attested_relatives(&self, stems: &[String]) -> Result<Vec<String>> {
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        let mut attested = Vec::new();
        for relative in relatives(&stems) {
            let mut in_texts = false;
            for word in self.readings.stem_words(&relative) {
                if self.doc_freq(&Term::from_field_text(self.fields.body, word))? > 0 {
                    in_texts = true;
                    break;
                }
            }
            if in_texts {
                attested.push(relative);
            }
        }
        Ok(attested)
    }

    /// The terms of `words` in `field`, and the number of articles holding any of them.
    fn word_set(&self, field: Field, words: &[&str]) -> Result<(Vec<Term>, u64)> {
        let terms = words
            .iter()
            .map(|w| Term::from_field_text(field, w))
            .collect::<Vec<_>>();
        let doc_freq = match terms.as_slice() {
            [term] => self.doc_freq(term)?,
            _ => union_doc_freq(self.searcher, field, words)?,
        };
        Ok((terms, doc_freq))
    }

    /// The terms of the words with the stem `stem` in `field`, and the number of articles
    /// holding any of them.
    fn stem_set(&self, field: Field, stem: &str) -> Result<(Vec<Term>, u64)> {
        self.word_set(field, &self.readings.stem_words(stem))
    }

    fn idf(&self, doc_freq: u64) -> f32 {
        let n = doc_freq as f32;
        (1.0 + (self.num_docs - n + 0.5) / (n + 0.5))
            .ln()
            .powf(self.options.idf_power)
    }

    /// What `words` look up: those of the last pass when only the words' weights changed.
    fn lookups(&self, words: &[RankWord]) -> Result<Rc<Lookups>> {
        let unweighted: Vec<RankWord> = words
            .iter()
            .map(|word| RankWord {
                weight: 1.0,
                ..word.clone()
            })
            .collect();
        if let Some((made_for, made)) = &*self.lookups_made.borrow()
            && *made_for == unweighted
        {
            return Ok(Rc::clone(made));
        }
        let made = Rc::new(self.make_lookups(words)?);
        *self.lookups_made.borrow_mut() = Some((unweighted, Rc::clone(&made)));
        Ok(made)
    }

    /// The groups and terms `words` look up.
    fn make_lookups(&self, words: &[RankWord]) -> Result<Lookups> {
        let options = self.options;
        let fields = self.fields;
        let bm25f = options.bm25f;
        let mut groups = Vec::new();
        let mut lookups = Vec::new();
        let mut next_slot = 0;
        for (w, word) in words.iter().enumerate() {
            // (headline terms and articles, text terms and articles, boost, main stem, typed)
            type Reading = ((Vec<Term>, u64), (Vec<Term>, u64), f32, bool, bool);
            let mut readings: Vec<Reading> = Vec::new();
            if let Some(exact) = &word.exact {
                let title = Term::from_field_text(fields.title, exact);
                let body = Term::from_field_text(fields.body, exact);
                let (title_df, body_df) = (self.doc_freq(&title)?, self.doc_freq(&body)?);
                readings.push((
                    (vec![title], title_df),
                    (vec![body], body_df),
                    options.exact_boost,
                    options.proximity_readings && word.from_query,
                    true,
                ));
            }
            if options.stems {
                for (s, (stem, weight)) in word.stems.iter().enumerate() {
                    readings.push((
                        self.stem_set(fields.title, stem)?,
                        self.stem_set(fields.body, stem)?,
                        *weight,
                        (s == 0 || options.proximity_readings) && word.from_query,
                        false,
                    ));
                }
            }
            let mut word_slot = None;
            for ((title_terms, title_df), (body_terms, body_df), boost, main, typed) in readings {
                let idf = |df: u64| self.idf(df);
                let proximity_slot = main.then(|| {
                    *word_slot.get_or_insert_with(|| {
                        next_slot += 1;
                        next_slot - 1
                    })
                });
                if bm25f {
                    groups.push(Group {
                        word: w,
                        boost,
                        idf: idf(title_df.max(body_df)),
                        typed,
                        relative: false,
                        position_weight: 1.0,
                        word_like: false,
                    });
                    let group = groups.len() - 1;
                    for term in title_terms {
                        lookups.push(Lookup {
                            group,
                            field: term.field(),
                            source: 0,
                            term,
                            proximity_slot: None,
                        });
                    }
                    for term in body_terms {
                        lookups.push(Lookup {
                            group,
                            field: term.field(),
                            source: 1,
                            term,
                            proximity_slot,
                        });
                    }
                } else {
                    for (source, terms, df) in
                        [(0, title_terms, title_df), (1, body_terms, body_df)]
                    {
                        if terms.is_empty() {
                            continue;
                        }
                        let weight = if source == 0 {
                            options.title_weight
                        } else {
                            1.0
                        };
                        groups.push(Group {
                            word: w,
                            boost: boost * weight,
                            idf: idf(df),
                            typed,
                            relative: false,
                            position_weight: 1.0,
                            word_like: false,
                        });
                        let group = groups.len() - 1;
                        for term in terms {
                            lookups.push(Lookup {
                                group,
                                field: term.field(),
                                source,
                                term,
                                proximity_slot: proximity_slot.filter(|_| source == 1),
                            });
                        }
                    }
                }
            }
            if options.derivation > 0.0 && !word.relatives.is_empty() {
                self.relative_lookups(w, word, word_slot, &mut groups, &mut lookups)?;
            }
            if !word.names.is_empty() {
                // A person word has no stems: its spellings give its positions.
                let proximity_slot = (word.stems.is_empty() && word.from_query).then(|| {
                    next_slot += 1;
                    next_slot - 1
                });
                self.name_lookups(w, word, proximity_slot, &mut groups, &mut lookups)?;
            }
        }
        Ok(Lookups {
            groups,
            lookups,
            proximity_slots: next_slot,
        })
    }

    /// The derivational relatives of `word` in the headline and in the text: per field, one
    /// group of all of them, weighted [`RankingOptions::derivation`], with the idf of the
    /// articles holding any (at most their sum), so a word with many relatives weighs no more
    /// than one with a single relative. Their positions in the text count for proximity
    /// (`proximity_slot`, the word's main stem's) when `derivation_proximity` is on.
    fn relative_lookups(
        &self,
        w: usize,
        word: &RankWord,
        proximity_slot: Option<usize>,
        groups: &mut Vec<Group>,
        lookups: &mut Vec<Lookup>,
    ) -> Result<()> {
        let options = self.options;
        for (source, field) in [(0, self.fields.title), (1, self.fields.body)] {
            let mut holding = 0u64;
            let mut terms: Vec<Term> = Vec::new();
            for relative in &word.relatives {
                let (relative_terms, df) = self.stem_set(field, relative)?;
                if df > 0 {
                    holding += df;
                    for term in relative_terms {
                        if !terms.contains(&term) {
                            terms.push(term);
                        }
                    }
                }
            }
            if terms.is_empty() {
                continue;
            }
            let weight = if source == 0 && !options.bm25f {
                options.title_weight
            } else {
                1.0
            };
            groups.push(Group {
                word: w,
                boost: options.derivation * weight,
                idf: self.idf(holding.min(self.num_docs as u64)),
                typed: false,
                relative: true,
                position_weight: 1.0,
                word_like: false,
            });
            let group = groups.len() - 1;
            for term in terms {
                lookups.push(Lookup {
                    group,
                    field,
                    source,
                    term,
                    proximity_slot: proximity_slot
                        .filter(|_| source == 1 && options.derivation_proximity),
                });
            }
        }
        Ok(())
    }

    /// The name spellings of `word` (see `person::lookup`), each weighted and each the words that
    /// stand for it (see `index::readings`), with one idf from the articles holding any of
    /// them in the text, so a rare variant never outweighs the spelling typed. A word's
    /// spellings share a proximity slot (their positions in the text), so the parts of a name
    /// of several words count near each other in whichever spelling.
    fn name_lookups(
        &self,
        w: usize,
        word: &RankWord,
        proximity_slot: Option<usize>,
        groups: &mut Vec<Group>,
        lookups: &mut Vec<Lookup>,
    ) -> Result<()> {
        let mut holding = 0u64;
        let mut spellings = Vec::with_capacity(word.names.len());
        for name in &word.names {
            let spelling = name.spelling();
            let (compounds, words): (Vec<&str>, Vec<&str>) = self
                .readings
                .spelling_words(spelling)
                .into_iter()
                .partition(|w| w.contains(' '));
            let (title_terms, _) = self.word_set(self.fields.title, &words)?;
            let (mut body_terms, body_df) = self.word_set(self.fields.body, &words)?;
            // a compound's positions are its head's in the text
            let (compound_terms, compound_df) = self.word_set(self.fields.compound, &compounds)?;
            holding += body_df + compound_df;
            body_terms.extend(compound_terms);
            spellings.push((title_terms, body_terms, name.weight, name.word_like));
        }
        let idf = self.idf(holding.min(self.num_docs as u64));
        for (title_terms, body_terms, weight, word_like) in spellings {
            groups.push(Group {
                word: w,
                boost: weight,
                idf,
                typed: weight >= 1.0,
                relative: false,
                position_weight: weight.min(1.0),
                word_like,
            });
            let group = groups.len() - 1;
            for (source, terms) in [(0, title_terms), (1, body_terms)] {
                for term in terms {
                    lookups.push(Lookup {
                        group,
                        field: term.field(),
                        source,
                        term,
                        proximity_slot: proximity_slot.filter(|_| source == 1),
                    });
                }
            }
        }
        Ok(())
    }

    /// Scores every candidate for `words`.
    /// Scores every candidate for `words`; returns which words each candidate matches.
    fn score(
        &self,
        words: &[RankWord],
        candidates: &mut [(f32, DocAddress)],
    ) -> Result<Vec<Vec<bool>>> {
        let mut matches = vec![Vec::new(); candidates.len()];
        // Per candidate, for the answer score (see `TextScoreInput`).
        let mut answer_closeness_input: Vec<TextScoreInput> =
            vec![(Vec::new(), Vec::new(), 1.0); candidates.len()];
        let options = self.options;
        let made = self.lookups(words)?;
        let Lookups {
            groups,
            lookups,
            proximity_slots,
        } = &*made;
        let proximity_slots = *proximity_slots;
        // each group's idf at its word's weight
        let idf: Vec<f32> = groups
            .iter()
            .map(|group| group.idf * words[group.word].weight)
            .collect();
        let mut proximity_idf = vec![0f32; proximity_slots];
        for lookup in lookups {
            if let Some(slot) = lookup.proximity_slot {
                proximity_idf[slot] = proximity_idf[slot].max(idf[lookup.group]);
            }
        }
        let query_words = words.iter().filter(|w| w.from_query).count().max(1);
        let source_weight = if options.bm25f {
            [options.title_weight, 1.0]
        } else {
            [1.0, 1.0]
        };
        let source_b = [options.title_b, options.b];
        let saturate = |x: f32| x * (options.k1 + 1.0) / (x + options.k1);
        let average = self.average_length;
        let normalize = |source: usize, length: f32| {
            1.0 - source_b[source] + source_b[source] * length / average[source]
        };

        // Candidates grouped by segment, in doc id order (postings only move forward).
        let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, (_, address)) in candidates.iter().enumerate() {
            by_segment.entry(address.segment_ord).or_default().push(i);
        }
        let mut positions = Vec::new();
        for (segment_ord, mut members) in by_segment {
            members.sort_by_key(|&i| candidates[i].1.doc_id);
            let segment = self.searcher.segment_reader(segment_ord);
            let norms = [
                segment.get_fieldnorms_reader(self.fields.title)?,
                segment.get_fieldnorms_reader(self.fields.body)?,
            ];
            let docs: Vec<DocId> = members.iter().map(|&i| candidates[i].1.doc_id).collect();
            let reused = self
                .postings_read
                .borrow()
                .get(&segment_ord)
                .filter(|read| Rc::ptr_eq(&read.lookups, &made) && read.docs == docs)
                .cloned();
            let read = match reused {
                Some(read) => read,
                None => {
                    // frequency[m][g]: length-normalized term frequency of group g in member m
                    let mut frequency = vec![vec![0f32; groups.len()]; members.len()];
                    let mut near: Vec<Vec<Vec<u32>>> =
                        vec![vec![Vec::new(); proximity_slots]; members.len()];
                    let mut near_weight = vec![vec![0f32; proximity_slots]; members.len()];
                    for lookup in lookups {
                        let option = if lookup.proximity_slot.is_some() {
                            IndexRecordOption::WithFreqsAndPositions
                        } else {
                            IndexRecordOption::WithFreqs
                        };
                        let inverted = segment.inverted_index(lookup.field)?;
                        let Some(info) =
                            term_memo::term_info(segment.segment_id(), &inverted, &lookup.term)?
                        else {
                            continue;
                        };
                        let mut postings = inverted
                            .read_postings_from_terminfo(&info, option)
                            .map_err(tantivy::TantivyError::from)?;
                        for (m, &doc) in docs.iter().enumerate() {
                            if !advance_to(&mut postings, doc) {
                                continue;
                            }
                            let length = norms[lookup.source].fieldnorm(doc) as f32;
                            let tf = postings.term_freq() as f32;
                            frequency[m][lookup.group] += source_weight[lookup.source] * tf
                                / normalize(lookup.source, length);
                            if let Some(slot) = lookup.proximity_slot {
                                positions.clear();
                                postings.positions(&mut positions);
                                near[m][slot].extend_from_slice(&positions);
                                let weight = &mut near_weight[m][slot];
                                *weight = weight.max(groups[lookup.group].position_weight);
                            }
                        }
                    }
                    if options.proximity_readings {
                        for slots in &mut near {
                            for positions in slots {
                                positions.sort_unstable();
                                positions.dedup();
                            }
                        }
                    }
                    let read = Rc::new(PostingsRead {
                        lookups: Rc::clone(&made),
                        docs,
                        frequency,
                        near,
                        near_weight,
                    });
                    self.postings_read
                        .borrow_mut()
                        .insert(segment_ord, Rc::clone(&read));
                    read
                }
            };
            let PostingsRead {
                frequency,
                near,
                near_weight,
                ..
            } = &*read;
            for (m, &i) in members.iter().enumerate() {
                let mut word_scores = vec![0f32; words.len()];
                let mut typed = vec![false; words.len()];
                // a spelling that is not word-like matched the word
                let mut name_like = vec![false; words.len()];
                for (g, group) in groups.iter().enumerate() {
                    let x = frequency[m][g];
                    if x > 0.0 && !group.relative {
                        word_scores[group.word] += group.boost * idf[g] * saturate(x);
                        typed[group.word] |= group.typed;
                        name_like[group.word] |= !group.word_like;
                    }
                }
                let own_scores = word_scores.clone();
                for (g, group) in groups.iter().enumerate() {
                    let x = frequency[m][g];
                    let backed_off = options.derivation_backoff && own_scores[group.word] > 0.0;
                    if x > 0.0 && group.relative && !backed_off {
                        word_scores[group.word] += group.boost * idf[g] * saturate(x);
                    }
                }
                let respelled = words
                    .iter()
                    .zip(&typed)
                    .zip(&own_scores)
                    .any(|((word, &typed), &s)| word.person && s > 0.0 && !typed);
                let word_like_only = words
                    .iter()
                    .zip(&name_like)
                    .zip(&own_scores)
                    .any(|((word, &name_like), &s)| word.person && s > 0.0 && !name_like);
                let missing_parts = words
                    .iter()
                    .zip(&own_scores)
                    .filter(|(word, s)| word.person && **s <= 0.0)
                    .count();
                let counted = if options.derivation_coordination {
                    &word_scores
                } else {
                    &own_scores
                };
                let matched = counted
                    .iter()
                    .zip(words)
                    .filter(|(s, w)| w.from_query && **s > 0.0)
                    .count();
                let mut score: f32 = word_scores.iter().sum();
                // each slot's idf, at the weight of the spellings found there
                let slot_idf: Vec<f32> = proximity_idf
                    .iter()
                    .zip(&near_weight[m])
                    .map(|(idf, weight)| idf * weight)
                    .collect();
                if options.proximity > 0.0 {
                    let doc = candidates[i].1.doc_id;
                    let length = norms[1].fieldnorm(doc) as f32;
                    let closeness = proximity(
                        &near[m],
                        &proximity_idf,
                        options.proximity_window,
                        options.proximity_decay,
                        |x| saturate(x / normalize(1, length)),
                    );
                    score += options.proximity * closeness;
                }
                if options.lead > 0.0 {
                    score += options.lead * lead(&near[m], &slot_idf, options.lead_words);
                }
                if options.window > 0.0 {
                    score +=
                        options.window * best_window(&near[m], &slot_idf, options.window_words);
                }
                if options.ordered > 0.0 {
                    let doc = candidates[i].1.doc_id;
                    let length = norms[1].fieldnorm(doc) as f32;
                    score += options.ordered
                        * ordered_pairs(&near[m], &proximity_idf, options.ordered_window, |x| {
                            saturate(x / normalize(1, length))
                        });
                }
                let mut coordination = 1.0;
                if options.coordination > 0.0 {
                    coordination = (matched as f32 / query_words as f32).powf(options.coordination);
                }
                if self.reads_text {
                    answer_closeness_input[i] = (near[m].clone(), slot_idf, coordination);
                }
                score *= coordination;
                if respelled {
                    score *= OTHER_SPELLING_FACTOR;
                }
                if word_like_only {
                    score *= WORD_LIKE_ONLY_FACTOR;
                }
                score *= MISSING_PART_FACTOR.powi(missing_parts as i32);
                candidates[i].0 = score;
                matches[i] = word_scores.iter().map(|&s| s > 0.0).collect();
            }
        }
        if self.reads_text {
            self.add_text_scores(candidates, &answer_closeness_input)?;
        }
        Ok(matches)
    }

    /// Adds the answer and sentence scores to the best [`ANSWER_DOCS`] candidates (the only
    /// ones whose text is read), given each candidate's [`TextScoreInput`].
    fn add_text_scores(
        &self,
        candidates: &mut [(f32, DocAddress)],
        inputs: &[TextScoreInput],
    ) -> Result<()> {
        let mut best: Vec<usize> = (0..candidates.len()).collect();
        best.sort_by(|&a, &b| candidates[b].0.total_cmp(&candidates[a].0));
        best.truncate(ANSWER_DOCS);
        for i in best {
            let (positions, idf, coordination) = &inputs[i];
            let address = candidates[i].1;
            let mut texts_read = self.texts_read.borrow_mut();
            let evidence = match texts_read.entry(address) {
                Entry::Occupied(entry) => entry.into_mut(),
                Entry::Vacant(entry) => {
                    let doc: TantivyDocument = self.searcher.doc(address)?;
                    let body = stored_text(&doc, self.fields.packed_body);
                    entry.insert(read_text(self.answer, &body))
                }
            };
            if self.answer.is_some() {
                candidates[i].0 += coordination
                    * self.options.answer
                    * answer_closeness(
                        &evidence.answers,
                        positions,
                        idf,
                        self.options.answer_window,
                    );
            }
            if self.options.sentence > 0.0 {
                candidates[i].0 += coordination
                    * self.options.sentence
                    * best_sentence(&evidence.sentence_starts, positions, idf);
            }
        }
        Ok(())
    }
}

/// What the text scores of one candidate need: its query word positions (per proximity
/// slot), each slot's idf at the weight of the spellings found there, its coordination factor.
type TextScoreInput = (Vec<Vec<u32>>, Vec<f32>, f32);

/// Moves `postings` to `doc`; true when the term occurs in it.
fn advance_to(postings: &mut SegmentPostings, doc: DocId) -> bool {
    let mut current = postings.doc();
    if current < doc {
        current = postings.seek(doc);
    }
    current == doc && current != TERMINATED
}

/// A weight per query word from how many of the best `docs` candidates match it: `1 -
/// strength · share`. A word all of them match (the name the query is about) no longer
/// tells them apart, so the other words decide their order.
fn local_weights(
    candidates: &[(f32, DocAddress)],
    matches: &[Vec<bool>],
    strength: f32,
    docs: usize,
) -> Vec<f32> {
    let mut best: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].0 > 0.0)
        .collect();
    best.sort_by(|&a, &b| candidates[b].0.total_cmp(&candidates[a].0));
    best.truncate(docs);
    let words = matches.first().map_or(0, Vec::len);
    (0..words)
        .map(|w| {
            if best.is_empty() {
                return 1.0;
            }
            let matching = best.iter().filter(|&&i| matches[i][w]).count();
            1.0 - strength * matching as f32 / best.len() as f32
        })
        .collect()
}

/// Words to add to the query from the best `options.feedback_docs` candidates (after they
/// were scored for the query's own words): the stems that weigh most in them, each
/// frequency within a hit weighted by the hit's share of their scores and by the stem's idf
/// (relevance model RM3, with idf in place of a collection model). Question and function words
/// and the query's own stems are left out.
fn feedback_words(
    searcher: &Searcher,
    fields: &Fields,
    scorer: &Scorer<'_>,
    words: &[RankWord],
    options: &RankingOptions,
    candidates: &[(f32, DocAddress)],
) -> Result<Vec<RankWord>> {
    let mut best: Vec<(f32, DocAddress)> = candidates
        .iter()
        .copied()
        .filter(|(score, _)| *score > 0.0)
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    best.truncate(options.feedback_docs);
    let total: f32 = best.iter().map(|(score, _)| score).sum();
    if total <= 0.0 {
        return Ok(Vec::new());
    }
    let mut query_stems: HashSet<&str> = HashSet::new();
    for word in words {
        if let Some(exact) = &word.exact {
            query_stems.insert(light_stem(exact));
        }
        query_stems.extend(word.stems.iter().map(|(s, _)| s.as_str()));
    }
    let mut weights: HashMap<String, f32> = HashMap::new();
    for (score, address) in &best {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let article = document_to_article(fields, &doc);
        let counts = stem_counts(&[&article.title, &article.body]);
        let length: f32 = counts.values().sum::<f32>().max(1.0);
        for (stem, count) in counts {
            *weights.entry(stem).or_default() += count / length * score / total;
        }
    }
    let mut ranked: Vec<(String, f32)> = Vec::with_capacity(weights.len());
    for (stem, weight) in weights {
        if query_stems.contains(stem.as_str()) {
            continue;
        }
        let (_, doc_freq) = scorer.stem_set(fields.body, &stem)?;
        ranked.push((stem, weight * scorer.idf(doc_freq)));
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(options.feedback_terms);
    let heaviest = ranked
        .first()
        .map_or(1.0, |(_, w)| *w)
        .max(f32::MIN_POSITIVE);
    Ok(ranked
        .into_iter()
        .map(|(stem, weight)| RankWord {
            exact: None,
            stems: vec![(stem, 1.0)],
            weight: options.feedback_weight * weight / heaviest,
            from_query: false,
            names: Vec::new(),
            person: false,
            relatives: Vec::new(),
        })
        .collect())
}

/// How often each main stem occurs in `texts`, question and function words and stems
/// shorter than three letters left out.
fn stem_counts(texts: &[&str]) -> HashMap<String, f32> {
    let mut counts: HashMap<String, f32> = HashMap::new();
    let mut stems = TextStems::new(StemMode::Primary, QUERY_STOP_WORDS);
    for text in texts {
        stems.visit(text, |stem, _| {
            if stem.chars().count() >= 3 {
                *counts.entry(stem.to_string()).or_default() += 1.0;
            }
        });
    }
    counts
}

/// Sum over query words of `idf · fade / (fade + first position)`: how early in the text
/// the query's words first occur.
fn lead(positions: &[Vec<u32>], idf: &[f32], fade: f32) -> f32 {
    positions
        .iter()
        .zip(idf)
        .filter_map(|(positions, idf)| {
            let first = *positions.iter().min()? as f32;
            Some(idf * fade / (fade + first))
        })
        .sum()
}

/// The most query words one stretch of `width` consecutive positions holds, each counted
/// once and weighted by its idf: `Σ idf` of the words in the best stretch. A stretch of no
/// positions (`--ranking window_words=0`) holds none.
fn best_window(positions: &[Vec<u32>], idf: &[f32], width: u32) -> f32 {
    if width == 0 {
        return 0.0;
    }
    let mut occurrences: Vec<(u32, usize)> = positions
        .iter()
        .enumerate()
        .flat_map(|(word, positions)| positions.iter().map(move |&p| (p, word)))
        .collect();
    occurrences.sort_unstable();
    let mut inside = vec![0u32; positions.len()];
    let mut weight = 0.0f32;
    let mut best = 0.0f32;
    let mut start = 0;
    for end in 0..occurrences.len() {
        let (position, word) = occurrences[end];
        if inside[word] == 0 {
            weight += idf[word];
        }
        inside[word] += 1;
        while occurrences[start].0 + width <= position {
            let leaving = occurrences[start].1;
            inside[leaving] -= 1;
            if inside[leaving] == 0 {
                weight -= idf[leaving];
            }
            start += 1;
        }
        best = best.max(weight);
    }
    best
}

/// Sum over pairs of words adjacent in the query (consecutive proximity slots) of
/// `min(idf) · saturate(n)` for the `n` times the second follows the first at most `window`
/// words later in the text.
fn ordered_pairs(
    positions: &[Vec<u32>],
    idf: &[f32],
    window: u32,
    saturate: impl Fn(f32) -> f32,
) -> f32 {
    let mut total = 0.0;
    let mut following = Vec::new();
    for (i, pair) in positions.windows(2).enumerate() {
        if pair[0].is_empty() || pair[1].is_empty() {
            continue;
        }
        following.clear();
        following.extend_from_slice(&pair[1]);
        following.sort_unstable();
        let mut count = 0.0;
        for &a in &pair[0] {
            let after = following.partition_point(|&b| b <= a);
            let within = following.partition_point(|&b| b <= a.saturating_add(window));
            count += (within - after) as f32;
        }
        if count > 0.0 {
            total += idf[i].min(idf[i + 1]) * saturate(count);
        }
    }
    total
}

/// Sum over pairs of query words of `min(idf) · saturate(Σ 1/d^decay)` for their occurrences
/// at most `window` words apart.
fn proximity(
    positions: &[Vec<u32>],
    idf: &[f32],
    window: u32,
    decay: f32,
    saturate: impl Fn(f32) -> f32,
) -> f32 {
    let mut total = 0.0;
    for i in 0..positions.len() {
        for j in i + 1..positions.len() {
            let mut closeness = 0.0;
            for &a in &positions[i] {
                for &b in &positions[j] {
                    let distance = a.abs_diff(b);
                    if distance > 0 && distance <= window {
                        closeness += (distance as f32).powf(-decay);
                    }
                }
            }
            if closeness > 0.0 {
                total += idf[i].min(idf[j]) * saturate(closeness);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ranking_key_sets_its_knob_and_the_keys_are_listed_in_order() {
        // the list as it was written by hand before the knobs came from one table
        let written = "rerank, k1, b, title_b, title_weight, bm25f, idf_power, proximity, \
            proximity_window, proximity_readings, proximity_decay, lead, lead_words, window, \
            window_words, sentence, ordered, ordered_window, answer, answer_window, local, \
            local_docs, coordination, exact_boost, stems, derivation, derivation_proximity, \
            derivation_backoff, derivation_coordination, question_verbs, snowball, \
            snowball_only, nisba, feedback_docs, feedback_terms, feedback_weight, stop_words, \
            attested, question_frame, names, correct";
        assert_eq!(RANKING_KEYS.join(", "), written);
        let default = RankingOptions::default();
        for key in RANKING_KEYS {
            // 0 turns every flag that is on off; 7 changes every number and turns flags on
            let changed = ["0", "7"]
                .iter()
                .any(|value| RankingOptions::parse(&format!("{key}={value}")).unwrap() != default);
            assert!(changed, "{key}");
        }
        let b = RankingOptions::parse("b=0.3").unwrap();
        assert_eq!((b.b, b.title_b), (0.3, 0.3));
        let both = RankingOptions::parse("b=0.3, title_b=0.9").unwrap();
        assert_eq!((both.b, both.title_b), (0.3, 0.9));
        let error = RankingOptions::parse("k2=1").unwrap_err();
        assert_eq!(error, format!("unknown ranking key `k2`; known: {written}"));
        assert_eq!(
            RankingOptions::parse("window_words=-3")
                .unwrap()
                .window_words,
            0
        );
    }

    #[test]
    fn proximity_rewards_words_close_together() {
        let flat = |x: f32| x;
        let adjacent = proximity(&[vec![3], vec![4]], &[1.0, 2.0], 10, 2.0, flat);
        let apart = proximity(&[vec![3], vec![9]], &[1.0, 2.0], 10, 2.0, flat);
        let too_far = proximity(&[vec![3], vec![30]], &[1.0, 2.0], 10, 2.0, flat);
        assert_eq!(adjacent, 1.0);
        assert!(apart > 0.0 && apart < adjacent);
        assert_eq!(too_far, 0.0);
    }

    #[test]
    fn ordered_pairs_count_query_neighbours_in_the_query_order() {
        let flat = |x: f32| x;
        let idf = [1.0, 2.0, 3.0];
        // 0 then 1 two words later, and 1 then 2 (not adjacent to 0 in the query)
        assert_eq!(
            ordered_pairs(&[vec![3], vec![5], vec![9]], &idf, 3, flat),
            1.0
        );
        assert_eq!(
            ordered_pairs(&[vec![3], vec![5], vec![6]], &idf, 3, flat),
            3.0
        );
        // reversed, or too far
        assert_eq!(
            ordered_pairs(&[vec![5], vec![3], vec![]], &idf, 3, flat),
            0.0
        );
        assert_eq!(
            ordered_pairs(&[vec![3], vec![7], vec![]], &idf, 3, flat),
            0.0
        );
        // each occurrence counts
        assert_eq!(
            ordered_pairs(&[vec![3, 10], vec![12, 4], vec![]], &idf, 3, flat),
            2.0
        );
    }

    #[test]
    fn lead_rewards_words_early_in_the_text() {
        let idf = [1.0, 2.0];
        let first_words = lead(&[vec![0, 40], vec![1]], &idf, 10.0);
        let later = lead(&[vec![40], vec![30]], &idf, 10.0);
        let one_missing = lead(&[vec![0], vec![]], &idf, 10.0);
        assert!((lead(&[vec![10]], &[1.0], 10.0) - 0.5).abs() < 1e-6);
        assert!(first_words > later);
        assert!(first_words > one_missing);
        // the rarer word counts more
        assert!(lead(&[vec![], vec![0]], &idf, 10.0) > one_missing);
    }

    #[test]
    fn local_weights_lower_the_words_every_best_hit_matches() {
        let address = |doc| DocAddress::new(0, doc);
        let candidates = [
            (3.0, address(0)),
            (2.0, address(1)),
            (1.0, address(2)),
            (0.0, address(3)),
        ];
        // word 0 (the name) is in every hit, word 1 in the best one only
        let matches = vec![
            vec![true, true],
            vec![true, false],
            vec![true, false],
            vec![false, false],
        ];
        let weights = local_weights(&candidates, &matches, 0.5, 2);
        assert_eq!(weights, [0.5, 0.75]);
        // a hit that scored nothing is not among the best
        let weights = local_weights(&candidates, &matches, 0.5, 10);
        assert!((weights[0] - 0.5).abs() < 1e-6 && (weights[1] - (1.0 - 0.5 / 3.0)).abs() < 1e-6);
    }

    /// Regression: `--ranking window_words=0,window=1` indexed past the positions and
    /// panicked (a stretch of no positions moved its start beyond its end).
    #[test]
    fn a_window_of_no_words_holds_none() {
        let positions = vec![vec![3, 9], vec![4]];
        let idf = [1.0, 2.0];
        assert_eq!(best_window(&positions, &idf, 0), 0.0);
        assert_eq!(best_window(&positions, &idf, 1), 2.0);
        assert_eq!(best_window(&positions, &idf, 2), 3.0);
    }
}
