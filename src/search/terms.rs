//! Key terms of a result set: the words and names most over-represented in the articles
//! matching a query compared with the whole index — a quick summary of a topic.
//!
//! The matching articles (the best-scoring [`TermsRequest::max_docs`] of them) are analyzed
//! again with the stemmed analyzer (every reading of each word), so a stem counts an article
//! exactly as its document frequency (the articles holding any word with the stem) does. For each stem, the share of matching articles
//! containing it is compared with its share of the other articles by Dunning's
//! log-likelihood ratio (G²); only stems more frequent in the matches count. Stop words,
//! numbers, one-letter stems and the query's own words (any word one of whose readings the
//! query looks up) are left out, and each stem is shown in its most frequent spelling in the
//! matches.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::{Searcher, TantivyDocument};
use time::OffsetDateTime;

use super::surface::SurfaceForms;
use super::{QuerySpec, build_query};
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::analysis::{StemMode, TextStems, normalize};
use crate::error::Result;
use crate::index::readings::union_doc_freq;
use crate::index::{FahrasIndex, Readings, document_to_article};

/// What to summarize.
#[derive(Debug, Clone)]
pub struct TermsRequest {
    /// The query, in the query syntax (see docs/GUIDE.md).
    pub query: String,
    /// Only articles published at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Only articles published before this time.
    pub to: Option<OffsetDateTime>,
    /// Terms to return.
    pub limit: usize,
    /// Matching articles analyzed, best-scoring first (the cost grows with it).
    pub max_docs: usize,
    /// A term must occur in at least this many of the analyzed articles (or all of them,
    /// when fewer were analyzed).
    pub min_docs: u64,
}

impl TermsRequest {
    /// The 20 key terms of `query`'s matches, over at most 5,000 of them, each in at least 3.
    pub fn new(query: impl Into<String>) -> TermsRequest {
        TermsRequest {
            query: query.into(),
            from: None,
            to: None,
            limit: 20,
            max_docs: 5_000,
            min_docs: 3,
        }
    }
}

/// The answer to a [`TermsRequest`]; this is also the `fahras terms --json` output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyTerms {
    /// The query as given.
    pub query: String,
    /// Articles matching it.
    pub total_hits: usize,
    /// Matching articles analyzed (the best-scoring, at most `max_docs`).
    pub analyzed: usize,
    /// Articles in the index.
    pub index_docs: u64,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
    /// The most over-represented terms first.
    pub terms: Vec<KeyTerm>,
}

/// A word over-represented in the matching articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyTerm {
    /// The word as the matching articles most often write it.
    pub term: String,
    /// The stem the index holds.
    pub stem: String,
    /// Analyzed matching articles containing it.
    pub docs: u64,
    /// Articles of the whole index containing it.
    pub index_docs: u64,
    /// Log-likelihood ratio (G²) of its share in the matches against the other articles;
    /// above 10.8, a difference this large would arise by chance less than once in 1,000.
    pub score: f64,
}

impl FahrasIndex {
    /// The key terms of a query's matching articles.
    pub fn key_terms(&self, request: &TermsRequest) -> Result<KeyTerms> {
        let started = Instant::now();
        let searcher = self.reader()?.searcher();
        let query = build_query(
            self,
            &QuerySpec::new(&request.query, None, request.from, request.to)?,
        )?;
        let top = TopDocs::with_limit(request.max_docs.max(1)).order_by_score();
        let (top, total_hits) = searcher.search(&query, &(top, Count))?;
        let index_docs = searcher.num_docs();
        if total_hits as u64 >= index_docs {
            // Every article matches: nothing is over-represented against the index (and the
            // best-scoring of equal scores would be a sample in index order, not a topic).
            return Ok(KeyTerms {
                query: request.query.clone(),
                total_hits,
                analyzed: 0,
                index_docs,
                took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
                terms: Vec::new(),
            });
        }
        let excluded = self.query_terms(query.as_ref());

        let mut in_matches = StemCounts::default();
        let mut doc_stems = HashSet::new();
        let mut query_words = excluded.exact.clone();
        let mut stems = TextStems::new(StemMode::AllReadings, &[]);
        for &(_, address) in &top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let article = document_to_article(self.fields(), &doc);
            doc_stems.clear();
            for text in [&article.title, &article.body] {
                stems.visit(text, |stem, written| {
                    let written = &text[written];
                    in_matches.forms.add(stem, written);
                    // A word one of whose readings the query looks up is the query's word.
                    if excluded.stemmed.contains(stem) {
                        query_words.insert(normalize(written));
                    }
                    if !doc_stems.contains(stem) {
                        doc_stems.insert(stem.to_string());
                    }
                });
            }
            for stem in doc_stems.drain() {
                *in_matches.docs.entry(stem).or_default() += 1;
            }
        }

        let analyzed = top.len() as u64;
        let min_docs = request.min_docs.clamp(1, analyzed.max(1));
        let stop_words: HashSet<&str> = QUERY_STOP_WORDS.iter().copied().collect();
        let readings = Readings::of(&searcher, self.fields())?;
        let mut scored = Vec::new();
        for (stem, &docs) in &in_matches.docs {
            let dull = docs < min_docs
                || stem.chars().count() < 2
                || stem.chars().all(|c| c.is_ascii_digit())
                || stop_words.contains(stem.as_str())
                || excluded.stemmed.contains(stem);
            if dull {
                continue;
            }
            let written = in_matches.forms.most_common(stem);
            if query_words.contains(&normalize(written)) {
                continue;
            }
            let in_index = stem_doc_freq(&searcher, &readings, self, stem)?.max(docs);
            if let Some(score) = over_representation(docs, analyzed, in_index, index_docs) {
                scored.push((score, stem, docs, in_index));
            }
        }
        // Equal scores: the shorter stem first, the main reading of a word.
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.chars().count().cmp(&b.1.chars().count()))
                .then_with(|| a.1.cmp(b.1))
        });

        // Several stems of one word (its readings) show as one term, the best-scoring.
        let mut shown = HashSet::new();
        let mut terms = Vec::new();
        for (score, stem, docs, in_index) in scored {
            let written = in_matches.forms.most_common(stem);
            if terms.len() == request.limit || !shown.insert(normalize(written)) {
                continue;
            }
            terms.push(KeyTerm {
                term: written.to_string(),
                stem: stem.clone(),
                docs,
                index_docs: in_index,
                score: (score * 10.0).round() / 10.0,
            });
        }
        Ok(KeyTerms {
            query: request.query.clone(),
            total_hits,
            analyzed: top.len(),
            index_docs,
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            terms,
        })
    }
}

/// Per stem: matching articles containing it, and how they wrote it.
#[derive(Default)]
struct StemCounts {
    docs: HashMap<String, u64>,
    forms: SurfaceForms,
}

/// Articles of the index whose text holds a word with the stem `stem`.
fn stem_doc_freq(
    searcher: &Searcher,
    readings: &Readings,
    index: &FahrasIndex,
    stem: &str,
) -> Result<u64> {
    union_doc_freq(searcher, index.fields().body, &readings.stem_words(stem))
}

/// Dunning's G² for a term in `docs` of `analyzed` matching articles and `in_index` of all
/// `index_docs` articles; `None` unless the term is more frequent in the matches than in the
/// rest of the index.
fn over_representation(docs: u64, analyzed: u64, in_index: u64, index_docs: u64) -> Option<f64> {
    let rest = index_docs.saturating_sub(analyzed);
    let in_rest = in_index.saturating_sub(docs).min(rest);
    if analyzed == 0
        || rest == 0
        || docs as f64 / analyzed as f64 <= in_rest as f64 / rest.max(1) as f64
    {
        return None;
    }
    let cells = [
        [docs as f64, (analyzed - docs) as f64],
        [in_rest as f64, (rest - in_rest) as f64],
    ];
    let total = (analyzed + rest) as f64;
    let row = [analyzed as f64, rest as f64];
    let column = [cells[0][0] + cells[1][0], cells[0][1] + cells[1][1]];
    let mut g2 = 0.0;
    for (i, row_cells) in cells.iter().enumerate() {
        for (j, &observed) in row_cells.iter().enumerate() {
            let expected = row[i] * column[j] / total;
            if observed > 0.0 && expected > 0.0 {
                g2 += observed * (observed / expected).ln();
            }
        }
    }
    Some(2.0 * g2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_representation_is_zero_for_an_even_spread_and_grows_with_the_gap() {
        // 10% of the matches and 10% of the rest: not over-represented.
        assert_eq!(over_representation(10, 100, 100, 1000), None);
        // Rarer in the matches than elsewhere.
        assert_eq!(over_representation(1, 100, 200, 1000), None);
        let strong = over_representation(50, 100, 60, 1000).unwrap();
        let weak = over_representation(20, 100, 110, 1000).unwrap();
        assert!(strong > weak && weak > 0.0, "{strong} {weak}");
    }

    #[test]
    fn g2_matches_a_worked_example() {
        // 10 of 100 matches, 10 of the 900 other articles: G² = 21.177 (2 Σ O ln(O/E) over
        // the table [[10, 90], [10, 890]], computed separately).
        let g2 = over_representation(10, 100, 20, 1000).unwrap();
        assert!((g2 - 21.177).abs() < 0.001, "{g2}");
    }

    #[test]
    fn a_query_matching_every_article_has_no_key_terms() {
        assert_eq!(over_representation(5, 10, 5, 10), None);
    }
}
