//! Queries for a reading of a word: the set of indexed words that share it.
//!
//! The index holds each word once, as written (normalized); a stem or a name spelling is
//! the set of words the reading tables list for it (see `index::readings`). A
//! [`ReadingQuery`] matches any word of the set in one field and scores the set as one
//! term: BM25 of the frequencies of its words summed, with the number of articles holding
//! any of them as its document frequency — what a field holding the reading at each
//! position scored. [`reading_phrase`] is a phrase whose every position is such a set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query,
    RegexPhraseQuery, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, InvertedIndexReader, Score, SegmentReader, TERMINATED, TantivyError, Term,
};
use tantivy_fst::Regex;

use crate::index::term_memo;

/// Matches the articles holding any of a set of words in one field, scored as one term.
#[derive(Clone, Debug)]
pub struct ReadingQuery {
    terms: Arc<[Term]>,
    /// Articles holding any of the words (in the whole index).
    doc_freq: u64,
    /// What its score is multiplied by (as a `BoostQuery` around it would).
    boost: Score,
}

impl ReadingQuery {
    /// The query for `words` in `field`, holding together in `doc_freq` articles.
    pub fn new(field: Field, words: &[&str], doc_freq: u64) -> ReadingQuery {
        ReadingQuery {
            terms: words
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
            doc_freq,
            boost: 1.0,
        }
    }

    /// The same query with its score multiplied by `boost`: the scores of
    /// `BoostQuery::new(query, boost)`, in a query the first stage can read the ceiling of
    /// (see [`CappedWeight`]).
    pub fn boosted(self, boost: Score) -> ReadingQuery {
        ReadingQuery { boost, ..self }
    }
}

impl ReadingQuery {
    fn reading_weight(&self, enable_scoring: &EnableScoring<'_>) -> tantivy::Result<ReadingWeight> {
        let bm25 = match (enable_scoring.searcher(), self.terms.first()) {
            (Some(searcher), Some(term)) if enable_scoring.is_scoring_enabled() => {
                let docs = searcher.total_num_docs()?.max(1);
                let tokens = searcher.total_num_tokens(term.field())?;
                Some(Bm25Weight::for_one_term(
                    self.doc_freq.min(docs),
                    docs,
                    tokens as Score / docs as Score,
                ))
            }
            _ => None,
        };
        Ok(ReadingWeight {
            terms: Arc::clone(&self.terms),
            bm25,
            boost: self.boost,
        })
    }
}

impl Query for ReadingQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.reading_weight(&enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in self.terms.iter() {
            visitor(term, false);
        }
    }
}

struct ReadingWeight {
    terms: Arc<[Term]>,
    /// None when scores are not needed.
    bm25: Option<Bm25Weight>,
    /// The query's own boost (the scorer's is multiplied by it).
    boost: Score,
}

/// A set of words is read into an array of frequencies by document when its postings hold at
/// least one document in this many of the segment: walking the array is then cheaper than
/// merging the postings at each document (a frequent stem has a hundred words, `تونس`,
/// `وتونس`, `التونسية`, …). With a byte a document to clear, that is so from one in 64 (at one
/// in 16, sorting the sets between the two was 8% of `النجم الساحلي` on 101,610 articles, and
/// the query took 5% longer).
const DENSE_SHARE: u64 = 64;

/// A set of at most this many words (and not dense) is merged as it goes; a larger one is
/// read into a sorted list of documents first: merging walks every word's postings at each
/// document (a hundred for a frequent stem), the list is walked once.
const MERGED_WORDS: usize = 4;

/// Calls `each` with every (document, term frequency) of the terms `infos`, term by term, a
/// block of postings at a time (the dense and sorted layouts read a whole set this way).
fn for_each_posting(
    inverted: &InvertedIndexReader,
    infos: &[TermInfo],
    mut each: impl FnMut(DocId, u32),
) -> std::io::Result<()> {
    for info in infos {
        let mut block =
            inverted.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                break;
            }
            for (&doc, &tf) in docs.iter().zip(block.freqs()) {
                each(doc, tf);
            }
            block.advance();
        }
    }
    Ok(())
}

impl ReadingWeight {
    /// The scorer of the set in one segment; `layout` says how it reads the postings (by
    /// default, by [`DENSE_SHARE`] and [`MERGED_WORDS`]).
    fn reading_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
        layout: Option<Layout>,
    ) -> tantivy::Result<Option<ReadingScorer>> {
        let Some(field) = self.terms.first().map(Term::field) else {
            return Ok(None);
        };
        let inverted = reader.inverted_index(field)?;
        let mut infos = Vec::with_capacity(self.terms.len());
        for term in self.terms.iter() {
            if let Some(info) = term_memo::term_info(reader.segment_id(), &inverted, term)? {
                infos.push(info);
            }
        }
        if infos.is_empty() {
            return Ok(None);
        }
        let postings_docs: u64 = infos.iter().map(|i| u64::from(i.doc_freq)).sum();
        let layout = layout.unwrap_or(
            if infos.len() > 1 && postings_docs * DENSE_SHARE >= u64::from(reader.max_doc()) {
                Layout::Dense
            } else if infos.len() > MERGED_WORDS {
                Layout::Sorted
            } else {
                Layout::Merged
            },
        );
        let docs = if layout == Layout::Dense {
            let mut frequencies = vec![0u8; reader.max_doc() as usize];
            let mut beyond: HashMap<DocId, u32> = HashMap::new();
            let mut holding = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
            for_each_posting(&inverted, &infos, |doc, tf| {
                let frequency = &mut frequencies[doc as usize];
                if *frequency == u8::MAX {
                    *beyond.entry(doc).or_default() += tf;
                } else {
                    let sum = u32::from(*frequency) + tf;
                    *frequency = u8::try_from(sum).unwrap_or(u8::MAX);
                    if *frequency == u8::MAX {
                        beyond.insert(doc, sum);
                    }
                }
                holding[doc as usize / 64] |= 1 << (doc % 64);
            })?;
            Docs::Dense {
                frequencies,
                beyond,
                holding,
                matching: postings_docs.min(u64::from(u32::MAX)) as u32,
            }
        } else if layout == Layout::Sorted {
            let mut pairs: Vec<u64> = Vec::with_capacity(postings_docs as usize);
            for_each_posting(&inverted, &infos, |doc, tf| {
                pairs.push((u64::from(doc) << 32) | u64::from(tf))
            })?;
            // one sorted run per word: a stable sort merges the runs
            pairs.sort();
            let mut docs: Vec<DocId> = Vec::with_capacity(pairs.len());
            let mut frequencies: Vec<u32> = Vec::with_capacity(pairs.len());
            for pair in pairs {
                let (doc, tf) = ((pair >> 32) as DocId, pair as u32);
                match (docs.last(), frequencies.last_mut()) {
                    (Some(&last), Some(sum)) if last == doc => *sum += tf,
                    _ => {
                        docs.push(doc);
                        frequencies.push(tf);
                    }
                }
            }
            Docs::Sorted {
                docs,
                frequencies,
                at: 0,
                matching: postings_docs.min(u64::from(u32::MAX)) as u32,
            }
        } else {
            let mut postings = Vec::with_capacity(infos.len());
            for info in &infos {
                postings.push(
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?,
                );
            }
            Docs::Postings {
                postings,
                inverted,
                infos,
            }
        };
        let fieldnorms = match self.bm25 {
            Some(_) => reader.get_fieldnorms_reader(field)?,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut scorer = ReadingScorer {
            docs,
            doc: 0,
            term_freq: 0,
            fieldnorms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost * self.boost)),
        };
        scorer.start();
        Ok(Some(scorer))
    }
}

impl Weight for ReadingWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.reading_scorer(reader, boost, None)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explained(
            self.scorer(reader, 1.0)?,
            doc,
            "BM25 of a reading: the frequencies of its words summed",
        )
    }
}

/// The score `scorer` gives `doc`, as an explanation saying `what` it is.
fn explained(
    mut scorer: Box<dyn Scorer>,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    if scorer.seek(doc) != doc {
        return Err(TantivyError::InvalidArgument(format!(
            "document #({doc}) does not match"
        )));
    }
    Ok(Explanation::new(what, scorer.score()))
}

/// The union of the postings of a reading's words, positioned on one document with the sum
/// of their frequencies in it.
struct ReadingScorer {
    docs: Docs,
    doc: DocId,
    term_freq: u32,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

/// How a [`ReadingScorer`] reads the postings of its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Merged,
    Sorted,
    Dense,
}

/// Where a [`ReadingScorer`] reads its documents from.
enum Docs {
    /// The postings of each word, merged as they go.
    Postings {
        postings: Vec<SegmentPostings>,
        /// Where the words' postings are, to read their documents again (see
        /// [`ReadingScorer::mark_docs`]).
        inverted: Arc<InvertedIndexReader>,
        infos: Vec<TermInfo>,
    },
    /// The frequency of the set in each document of the segment (0: none of its words).
    Dense {
        /// A byte a document: a quarter of the memory to clear for each set and segment
        /// (clearing four bytes a document was 6% of a frequent word's query).
        frequencies: Vec<u8>,
        /// The frequencies of 255 and more, by document (`frequencies` holds 255 for them).
        beyond: HashMap<DocId, u32>,
        /// Which documents hold the set, a bit each: the next one is found a word of 64
        /// documents at a time (scanning the frequencies was most of a dense set's walk).
        holding: Vec<u64>,
        /// The postings' documents added (an upper bound of the matches, for size hints).
        matching: u32,
    },
    /// The documents holding the set, ascending, with the set's frequency in each.
    Sorted {
        docs: Vec<DocId>,
        frequencies: Vec<u32>,
        /// The index of the current document (`docs.len()`: none left).
        at: usize,
        /// The postings' documents added (the size hint of the merged postings).
        matching: u32,
    },
}

impl ReadingScorer {
    /// Moves to the first document.
    fn start(&mut self) {
        match &self.docs {
            Docs::Postings { .. } => self.settle(),
            Docs::Dense { .. } => {
                self.doc = 0;
                self.term_freq = 0;
                self.next_dense(0);
            }
            Docs::Sorted { .. } => self.settle_sorted(),
        }
    }

    /// Sorted: takes the document at the list's current index.
    fn settle_sorted(&mut self) {
        let Docs::Sorted {
            docs,
            frequencies,
            at,
            ..
        } = &self.docs
        else {
            return;
        };
        match docs.get(*at) {
            Some(&doc) => {
                self.doc = doc;
                self.term_freq = frequencies[*at];
            }
            None => {
                self.doc = TERMINATED;
                self.term_freq = 0;
            }
        }
    }

    /// Dense: moves to the first document at or after `from` that holds the set.
    fn next_dense(&mut self, from: DocId) {
        let Docs::Dense {
            frequencies,
            beyond,
            holding,
            ..
        } = &self.docs
        else {
            return;
        };
        let mut word = from as usize / 64;
        let mut bits = holding
            .get(word)
            .map_or(0, |&bits| bits & (u64::MAX << (from % 64)));
        while bits == 0 {
            word += 1;
            match holding.get(word) {
                Some(&next) => bits = next,
                None => {
                    self.doc = TERMINATED;
                    self.term_freq = 0;
                    return;
                }
            }
        }
        let doc = word * 64 + bits.trailing_zeros() as usize;
        self.doc = doc as DocId;
        self.term_freq = match frequencies[doc] {
            u8::MAX => beyond
                .get(&(doc as DocId))
                .copied()
                .unwrap_or(u32::from(u8::MAX)),
            frequency => u32::from(frequency),
        };
    }

    /// Postings: moves to the lowest document of the postings and sums the frequencies there.
    fn settle(&mut self) {
        let Docs::Postings { postings, .. } = &self.docs else {
            return;
        };
        self.doc = postings.iter().map(|p| p.doc()).min().unwrap_or(TERMINATED);
        self.term_freq = if self.doc == TERMINATED {
            0
        } else {
            postings
                .iter()
                .filter(|p| p.doc() == self.doc)
                .map(|p| p.term_freq())
                .sum()
        };
    }
}

impl DocSet for ReadingScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        match &mut self.docs {
            Docs::Postings { postings, .. } => {
                for postings in postings.iter_mut() {
                    if postings.doc() == doc {
                        postings.advance();
                    }
                }
                self.settle();
            }
            Docs::Dense { .. } => self.next_dense(doc + 1),
            Docs::Sorted { at, .. } => {
                *at += 1;
                self.settle_sorted();
            }
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        match &mut self.docs {
            Docs::Postings { postings, .. } => {
                for postings in postings.iter_mut() {
                    if postings.doc() < target {
                        postings.seek(target);
                    }
                }
                self.settle();
            }
            Docs::Dense { .. } => self.next_dense(target),
            Docs::Sorted { docs, at, .. } => {
                // galloping: the target is most often a few documents ahead (docs[*at] is
                // below it)
                let rest = &docs[*at..];
                let mut ahead = 1;
                while ahead < rest.len() && rest[ahead] < target {
                    ahead *= 2;
                }
                let from = ahead / 2;
                let to = ahead.min(rest.len());
                *at += from + rest[from..to].partition_point(|&d| d < target);
                self.settle_sorted();
            }
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        match &self.docs {
            Docs::Postings { postings, .. } => postings
                .iter()
                .map(|p| p.size_hint())
                .fold(0u32, u32::saturating_add),
            Docs::Dense { matching, .. } => *matching,
            Docs::Sorted { matching, .. } => *matching,
        }
    }
}

impl Scorer for ReadingScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(self.fieldnorms.fieldnorm_id(self.doc), self.term_freq),
            None => 1.0,
        }
    }
}

/// A word searched as written and by its stem at once: the BM25 of the word itself, boosted
/// by `exact_boost`, plus that of its stem's set of words ([`ReadingQuery`], which holds the
/// word), boosted by `stem_boost` — the score of `word^exact_boost OR stem^stem_boost`, to the
/// last bit, in one scorer. The union of the two read the word's postings twice and merged
/// them with the set's at every document; here the set's documents are walked once and the
/// word's frequency looked up beside them.
#[derive(Clone, Debug)]
pub struct WordQuery {
    exact: Term,
    exact_boost: Score,
    stem: ReadingQuery,
    stem_boost: Score,
}

impl WordQuery {
    /// The query of `exact` with its stem's words `stem`; `stem` back when `exact` is not
    /// one of them (the word's stem is not among the stems the index holds for it), to be
    /// searched beside the word as a union.
    pub fn new(
        exact: Term,
        exact_boost: Score,
        stem: ReadingQuery,
        stem_boost: Score,
    ) -> Result<WordQuery, ReadingQuery> {
        if !stem.terms.contains(&exact) {
            return Err(stem);
        }
        Ok(WordQuery {
            exact,
            exact_boost,
            stem,
            stem_boost,
        })
    }
}

impl WordQuery {
    fn word_weight(&self, enable_scoring: &EnableScoring<'_>) -> tantivy::Result<WordWeight> {
        // as tantivy's TermQuery weighs the word
        let exact_bm25 = match &enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(
                *statistics_provider,
                std::slice::from_ref(&self.exact),
            )?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(WordWeight {
            exact: self.exact.clone(),
            exact_bm25,
            exact_boost: self.exact_boost,
            stem: self.stem.reading_weight(enable_scoring)?,
            stem_boost: self.stem_boost,
        })
    }
}

impl Query for WordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.word_weight(&enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.exact, false);
        self.stem.query_terms(visitor);
    }
}

struct WordWeight {
    exact: Term,
    /// None when scores are not needed.
    exact_bm25: Option<Bm25Weight>,
    exact_boost: Score,
    stem: ReadingWeight,
    stem_boost: Score,
}

impl WordWeight {
    /// The scorer of the word and its stem in one segment (`None`: the stem's words are
    /// not in it).
    fn word_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<WordScorer>> {
        // the boosts multiply as a BoostQuery's around each would
        let Some(stem) = self
            .stem
            .reading_scorer(reader, boost * self.stem_boost, None)?
        else {
            return Ok(None);
        };
        let inverted = reader.inverted_index(self.exact.field())?;
        let exact_info = term_memo::term_info(reader.segment_id(), &inverted, &self.exact)?;
        let exact = match (&self.exact_bm25, exact_info) {
            (Some(bm25), Some(info)) => Some((
                inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?,
                bm25.boost_by(boost * self.exact_boost),
            )),
            _ => None,
        };
        Ok(Some(WordScorer { stem, exact }))
    }
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.word_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explained(
            self.scorer(reader, 1.0)?,
            doc,
            "BM25 of a word as written plus BM25 of its stem's words",
        )
    }
}

/// The documents of a word's stem set, scored with the word's own frequency beside.
struct WordScorer {
    stem: ReadingScorer,
    /// The word's postings in the segment and its weight (none: not in the segment, or no
    /// scores needed).
    exact: Option<(SegmentPostings, Bm25Weight)>,
}

impl DocSet for WordScorer {
    fn advance(&mut self) -> DocId {
        self.stem.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.stem.seek(target)
    }

    fn doc(&self) -> DocId {
        self.stem.doc()
    }

    fn size_hint(&self) -> u32 {
        self.stem.size_hint()
    }
}

impl Scorer for WordScorer {
    fn score(&mut self) -> Score {
        let doc = self.stem.doc();
        let stem = self.stem.score();
        let Some((postings, bm25)) = &mut self.exact else {
            return stem;
        };
        if postings.doc() < doc {
            postings.seek(doc);
        }
        if postings.doc() != doc {
            return stem;
        }
        let exact = bm25.score(self.stem.fieldnorms.fieldnorm_id(doc), postings.term_freq());
        // a union's sum: 0, plus each matching clause's score in order
        0.0 + exact + stem
    }
}

/// The weight of a union's clause whose scores have a ceiling: a word with its stem
/// ([`WordQuery`]) or a reading set ([`ReadingQuery`]). The first stage of a plain query
/// skips the articles such clauses cannot lift into its best hits (`rank::top_union`).
pub(crate) struct CappedWeight(CappedWeightKind);

enum CappedWeightKind {
    Word(WordWeight),
    Reading(ReadingWeight),
}

impl CappedWeight {
    /// The weight of `query` when it is one of the capped kinds (`None`: another kind).
    pub(crate) fn of(
        query: &dyn Query,
        enable_scoring: &EnableScoring<'_>,
    ) -> tantivy::Result<Option<CappedWeight>> {
        if let Some(word) = query.downcast_ref::<WordQuery>() {
            let weight = word.word_weight(enable_scoring)?;
            return Ok(Some(CappedWeight(CappedWeightKind::Word(weight))));
        }
        if let Some(reading) = query.downcast_ref::<ReadingQuery>() {
            let weight = reading.reading_weight(enable_scoring)?;
            return Ok(Some(CappedWeight(CappedWeightKind::Reading(weight))));
        }
        Ok(None)
    }

    /// Its scorer in one segment, as the query's own weight makes it with no boost from
    /// outside (`None`: none of its words are in the segment).
    pub(crate) fn scorer(&self, reader: &SegmentReader) -> tantivy::Result<Option<CappedScorer>> {
        Ok(match &self.0 {
            CappedWeightKind::Word(weight) => weight
                .word_scorer(reader, 1.0)?
                .map(|scorer| CappedScorer(CappedScorerKind::Word(scorer))),
            CappedWeightKind::Reading(weight) => weight
                .reading_scorer(reader, 1.0, None)?
                .map(|scorer| CappedScorer(CappedScorerKind::Reading(scorer))),
        })
    }
}

/// The scorer of a [`CappedWeight`]: a [`Scorer`] that knows the highest score it can give
/// and can mark every document it matches.
pub(crate) struct CappedScorer(CappedScorerKind);

// a union holds a few of them (see `rank::top_union`): the variants' sizes do not matter
#[allow(clippy::large_enum_variant)]
enum CappedScorerKind {
    Word(WordScorer),
    Reading(ReadingScorer),
}

/// About the highest score `query` gives an article of an index of `num_docs` articles, when
/// it is a word with its stem or a reading set (`None`: another kind): its BM25 weight taken
/// from its words' document frequency, without reading the index. A union orders its
/// clauses by it, so that the clauses the first stage can skip come last (see
/// `rank::top_union`).
pub(crate) fn ceiling_hint(query: &dyn Query, num_docs: u64) -> Option<f64> {
    let idf = |doc_freq: u64| {
        let (n, docs) = (doc_freq.min(num_docs) as f64, num_docs.max(1) as f64);
        (1.0 + (docs - n + 0.5) / (n + 0.5)).ln()
    };
    let doc_freq = capped_doc_freq(query)?;
    if let Some(word) = query.downcast_ref::<WordQuery>() {
        // the word as written is among its stem's words: as frequent at most
        let weight = word.exact_boost + word.stem_boost * word.stem.boost;
        return Some(f64::from(weight) * idf(doc_freq));
    }
    let reading = query.downcast_ref::<ReadingQuery>()?;
    Some(f64::from(reading.boost) * idf(doc_freq))
}

/// The articles `query` matches in the whole index, when it is a word with its stem or a
/// reading set (`None`: another kind).
pub(crate) fn capped_doc_freq(query: &dyn Query) -> Option<u64> {
    if let Some(word) = query.downcast_ref::<WordQuery>() {
        return Some(word.stem.doc_freq);
    }
    Some(query.downcast_ref::<ReadingQuery>()?.doc_freq)
}

/// The highest score `bm25` gives: its weight, as a frequency's factor `tf / (tf + norm)`
/// is below 1 whatever the frequency and the length (a frequency of `u32::MAX` in the
/// shortest field makes it 1 in `f32`).
fn bm25_ceiling(bm25: Option<&Bm25Weight>) -> f64 {
    bm25.map_or(1.0, |bm25| f64::from(bm25.score(0, u32::MAX)))
}

impl CappedScorer {
    /// No document gets a higher score than this from it.
    pub(crate) fn ceiling(&self) -> f64 {
        match &self.0 {
            CappedScorerKind::Word(word) => {
                bm25_ceiling(word.stem.bm25.as_ref())
                    + word
                        .exact
                        .as_ref()
                        .map_or(0.0, |(_, bm25)| bm25_ceiling(Some(bm25)))
            }
            CappedScorerKind::Reading(reading) => bm25_ceiling(reading.bm25.as_ref()),
        }
    }

    /// Sets the bit of every document it matches in `bits` (a bit a document of the
    /// segment), wherever it is positioned.
    pub(crate) fn mark_docs(&self, bits: &mut [u64]) -> tantivy::Result<()> {
        match &self.0 {
            // the word is one of its stem's words
            CappedScorerKind::Word(word) => word.stem.mark_docs(bits),
            CappedScorerKind::Reading(reading) => reading.mark_docs(bits),
        }
    }
}

impl DocSet for CappedScorer {
    #[inline]
    fn advance(&mut self) -> DocId {
        match &mut self.0 {
            CappedScorerKind::Word(word) => word.advance(),
            CappedScorerKind::Reading(reading) => reading.advance(),
        }
    }

    #[inline]
    fn seek(&mut self, target: DocId) -> DocId {
        match &mut self.0 {
            CappedScorerKind::Word(word) => word.seek(target),
            CappedScorerKind::Reading(reading) => reading.seek(target),
        }
    }

    #[inline]
    fn doc(&self) -> DocId {
        match &self.0 {
            CappedScorerKind::Word(word) => word.doc(),
            CappedScorerKind::Reading(reading) => reading.doc(),
        }
    }

    fn size_hint(&self) -> u32 {
        match &self.0 {
            CappedScorerKind::Word(word) => word.size_hint(),
            CappedScorerKind::Reading(reading) => reading.size_hint(),
        }
    }
}

impl Scorer for CappedScorer {
    #[inline]
    fn score(&mut self) -> Score {
        match &mut self.0 {
            CappedScorerKind::Word(word) => word.score(),
            CappedScorerKind::Reading(reading) => reading.score(),
        }
    }
}

impl ReadingScorer {
    /// Sets the bit of every document holding the set in `bits`.
    fn mark_docs(&self, bits: &mut [u64]) -> tantivy::Result<()> {
        let mut mark = |doc: DocId| bits[doc as usize / 64] |= 1 << (doc % 64);
        match &self.docs {
            Docs::Dense { holding, .. } => {
                for (bits, holding) in bits.iter_mut().zip(holding) {
                    *bits |= holding;
                }
            }
            Docs::Sorted { docs, .. } => docs.iter().for_each(|&doc| mark(doc)),
            Docs::Postings {
                inverted, infos, ..
            } => for_each_posting(inverted, infos, |doc, _| mark(doc))?,
        }
        Ok(())
    }
}

/// A phrase in `field` whose position `i` is any of `positions[i].1` (a word's reading), at
/// the offsets given; `None` when a position has no word or there are fewer than two.
pub fn reading_phrase(
    field: Field,
    positions: &[(usize, Vec<&str>)],
    slop: u32,
) -> Option<RegexPhraseQuery> {
    if positions.len() < 2 || positions.iter().any(|(_, words)| words.is_empty()) {
        return None;
    }
    let mut patterns = Vec::with_capacity(positions.len());
    for (offset, words) in positions {
        let alternatives: Vec<String> = words.iter().map(|w| escape(w)).collect();
        let pattern = alternatives.join("|");
        // A pattern that does not compile is left to the query, which reports it.
        let Some(regex) = compiled(&pattern) else {
            let patterns = positions
                .iter()
                .map(|(offset, words)| {
                    let alternatives: Vec<String> = words.iter().map(|w| escape(w)).collect();
                    (*offset, alternatives.join("|"))
                })
                .collect();
            return Some(RegexPhraseQuery::new_with_offset_and_slop(
                field, patterns, slop,
            ));
        };
        patterns.push((*offset, pattern, regex));
    }
    Some(RegexPhraseQuery::from_regexes(field, patterns, slop))
}

/// Patterns kept compiled between queries; emptied when it holds this many.
const COMPILED_PATTERNS: usize = 512;

/// The automaton of `pattern`, compiled once for every query that asks for it: compiling the
/// alternation of a frequent stem's hundred words was a fifth of a phrase query's time (and
/// the first stage and the rerank each compiled it).
fn compiled(pattern: &str) -> Option<Arc<Regex>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(regex) = cache.lock().ok()?.get(pattern) {
        return Some(Arc::clone(regex));
    }
    let regex = Arc::new(Regex::new(pattern).ok()?);
    let mut cache = cache.lock().ok()?;
    if cache.len() >= COMPILED_PATTERNS {
        cache.clear();
    }
    cache.insert(pattern.to_string(), Arc::clone(&regex));
    Some(regex)
}

/// `word` with the characters the regex syntax reserves escaped.
fn escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    for c in word.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) || c == ' ' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    /// 40 articles of one text field, `body`, each of `texts` in turn; in two segments (the
    /// first 21 articles, then the rest) when `two_segments`.
    fn body_index(texts: &[&str], two_segments: bool) -> (tantivy::Searcher, Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for i in 0..40 {
            writer
                .add_document(doc!(body => texts[i % texts.len()]))
                .unwrap();
            if two_segments && i == 20 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), body)
    }

    #[test]
    fn a_set_of_words_is_one_term_whether_merged_sorted_or_dense() {
        let texts = [
            "قال الوزير إن الوزير سيزور تونس",
            "التقى وزير الخارجية بالوزير الفرنسي",
            "وصل السفير إلى العاصمة",
            "لا جديد في المفاوضات",
        ];
        let (searcher, body) = body_index(&texts, false);
        let words = ["الوزير", "وزير", "بالوزير"];
        let query = ReadingQuery::new(body, &words, 20);
        let weight = ReadingWeight {
            terms: Arc::clone(&query.terms),
            bm25: Some(Bm25Weight::for_one_term(20, 40, 6.0)),
            boost: 1.0,
        };
        let segment = &searcher.segment_readers()[0];
        let read = |layout: Layout| -> Vec<(DocId, u32, Score)> {
            let mut scorer = weight
                .reading_scorer(segment, 1.0, Some(layout))
                .unwrap()
                .expect("the words are indexed");
            let mut out = Vec::new();
            while scorer.doc() != TERMINATED {
                out.push((scorer.doc(), scorer.term_freq, scorer.score()));
                scorer.advance();
            }
            out
        };
        let merged = read(Layout::Merged);
        assert_eq!(merged, read(Layout::Dense));
        assert_eq!(merged, read(Layout::Sorted));
        // the first two texts of every four: the first twice (الوزير … الوزير), the second
        // once for each of two words (وزير, بالوزير)
        let frequencies: Vec<(DocId, u32)> = merged.iter().map(|&(d, tf, _)| (d, tf)).collect();
        let expected: Vec<(DocId, u32)> = (0..40)
            .filter(|i| i % 4 < 2)
            .map(|i| (i as DocId, 2))
            .collect();
        assert_eq!(frequencies, expected);
        // seeking lands on the next matching document in both
        for layout in [Layout::Merged, Layout::Sorted, Layout::Dense] {
            let mut scorer = weight
                .reading_scorer(segment, 1.0, Some(layout))
                .unwrap()
                .unwrap();
            assert_eq!(scorer.seek(6), 8);
            assert_eq!(scorer.advance(), 9);
        }
    }

    #[test]
    fn a_dense_set_counts_frequencies_past_a_byte_exactly() {
        // a listing that repeats the words hundreds of times: 200 + 100 = 300 in the first
        // text, 250 + 10 = 260 in the second (past 255 on the second word), 3 in the third
        let long = format!("{}{}", "الوزير ".repeat(200), "وزير ".repeat(100));
        let crossing = format!("{}{}", "وزير ".repeat(250), "الوزير ".repeat(10));
        let texts = [
            long.as_str(),
            crossing.as_str(),
            "الوزير وزير الوزير",
            "تونس",
        ];
        let (searcher, body) = body_index(&texts, false);
        let query = ReadingQuery::new(body, &["الوزير", "وزير"], 30);
        let weight = ReadingWeight {
            terms: Arc::clone(&query.terms),
            bm25: None,
            boost: 1.0,
        };
        let segment = &searcher.segment_readers()[0];
        for layout in [Layout::Merged, Layout::Sorted, Layout::Dense] {
            let mut scorer = weight
                .reading_scorer(segment, 1.0, Some(layout))
                .unwrap()
                .unwrap();
            let mut frequencies = Vec::new();
            while scorer.doc() != TERMINATED {
                frequencies.push(scorer.term_freq);
                scorer.advance();
            }
            assert_eq!(frequencies[..3], [300, 260, 3], "{layout:?}");
            assert_eq!(frequencies.len(), 30, "{layout:?}");
        }
    }

    #[test]
    fn a_word_with_its_stem_scores_as_the_union_of_the_two_to_the_last_bit() {
        use tantivy::collector::TopDocs;
        use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
        let texts = [
            "قال الوزير إن الوزير سيزور تونس",
            "التقى وزير الخارجية بالوزير الفرنسي",
            "وصل السفير إلى العاصمة",
            "والوزير في تونس وزير وزير",
        ];
        let (searcher, body) = body_index(&texts, true);
        let words = ["الوزير", "وزير", "بالوزير", "والوزير"];
        let exact = Term::from_field_text(body, "وزير");
        let stem = ReadingQuery::new(body, &words, 30);
        let union = BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(exact.clone(), IndexRecordOption::WithFreqs)),
                    1.2,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(stem.clone()), 1.0)),
            ),
        ]);
        let word = WordQuery::new(exact, 1.2, stem, 1.0).expect("the word is in the set");
        let all = TopDocs::with_limit(100).order_by_score();
        let expected = searcher.search(&union, &all).unwrap();
        assert_eq!(expected.len(), 30);
        assert_eq!(searcher.search(&word, &all).unwrap(), expected);
        // a word outside the set is given its set back
        let other = Term::from_field_text(body, "السفير");
        let set = ReadingQuery::new(body, &words, 30);
        assert!(WordQuery::new(other, 1.2, set, 1.0).is_err());
    }
}
