//! The second ranking stage: rescoring the best first-stage candidates.
//!
//! The first stage is tantivy's BM25 over the query as parsed (it decides what matches and
//! keeps every query feature: phrases, `+`/`-`, fields, dates). This stage rescores its top
//! [`RERANK_WINDOW`] hits with what tantivy's scorer cannot express, each measured on ARCD
//! (see the README's relevance section):
//! - BM25 with our own `k1`/`b` (tantivy hard-codes 1.2/0.75);
//! - per query word, the exact term and the light stem of each reading whose clitic-free
//!   part the index attests (see `query_words`);
//! - coordination: a document matching more of the query's words ranks higher, as in
//!   Lucene's classic similarity (`(matched / words) ^ coordination`);
//! - proximity: pairs of query words close together in the text (BM25TP, Rasolofo & Savoy);
//! - name spellings (see `person`): each other spelling of a word found in the name field
//!   counts at its weight, with the idf of all its spellings together, so a rare variant
//!   never outweighs the spelling typed; an article that writes a word of a `person:` name
//!   only in another spelling scores [`OTHER_SPELLING_FACTOR`] of what it would, so articles
//!   with the spelling typed rank first.
//!
//! Everything is read from the postings of the candidates (term frequencies, positions,
//! field norms); no article is loaded or re-analyzed.

use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED, Term};

use super::query_words::{QueryWord, QueryWordOptions};
use crate::error::Result;
use crate::index::Fields;

/// How many first-stage hits are rescored (more when a page reaches deeper).
pub const RERANK_WINDOW: usize = 100;
/// The deepest hit that is rescored; hits beyond keep their first-stage order.
pub const MAX_RERANK_WINDOW: usize = 1_000;

/// Score factor of an article that has a word of a `person:` name in other spellings only.
pub const OTHER_SPELLING_FACTOR: f32 = 0.5;

/// Farthest apart (in words) two query words still count as near each other.
const PROXIMITY_MAX_DISTANCE: u32 = 10;

/// The ranking knobs. The defaults are the measured best on ARCD that still suit long news
/// articles; the others exist for evaluation and ablation (`fahras query --ranking`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingOptions {
    /// Run the second stage at all (off: tantivy's BM25 order).
    pub rerank: bool,
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalization.
    pub b: f32,
    /// Weight of the proximity score (0: off).
    pub proximity: f32,
    /// Exponent of the coordination factor (0: off).
    pub coordination: f32,
    /// Boost of the exact fields relative to the stemmed ones (1.0 each).
    pub exact_boost: f32,
    /// Look the stems up (off: exact fields only).
    pub stems: bool,
    /// How query words are analyzed.
    pub words: QueryWordOptions,
}

impl Default for RankingOptions {
    fn default() -> RankingOptions {
        RankingOptions {
            rerank: true,
            k1: 0.9,
            b: 0.75,
            proximity: 1.0,
            coordination: 0.5,
            exact_boost: 1.2,
            stems: true,
            words: QueryWordOptions::default(),
        }
    }
}

impl RankingOptions {
    /// Parses `key=value` pairs separated by commas over the defaults. Keys: `rerank`,
    /// `k1`, `b`, `proximity`, `coordination`, `exact_boost`, `stems`, `stop_words`,
    /// `attested`, `names` (booleans as 0/1).
    pub fn parse(spec: &str) -> Result<RankingOptions, String> {
        let mut options = RankingOptions::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not key=value"))?;
            let number: f32 = value
                .trim()
                .parse()
                .map_err(|_| format!("`{value}` is not a number (in `{pair}`)"))?;
            let flag = number != 0.0;
            match key.trim() {
                "rerank" => options.rerank = flag,
                "k1" => options.k1 = number,
                "b" => options.b = number,
                "proximity" => options.proximity = number,
                "coordination" => options.coordination = number,
                "exact_boost" => options.exact_boost = number,
                "stems" => options.stems = flag,
                "stop_words" => options.words.drop_stop_words = flag,
                "attested" => options.words.attested_readings = flag,
                "names" => options.words.name_variants = flag,
                other => {
                    return Err(format!(
                        "unknown ranking key `{other}`; known: rerank, k1, b, proximity, \
                         coordination, exact_boost, stems, stop_words, attested, names"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// One term looked up for one query word.
struct Lookup {
    word: usize,
    field: Field,
    /// Which source's length normalizes it (0: headline, 1: text).
    source: usize,
    term: Term,
    boost: f32,
    idf: f32,
    /// Its positions feed the proximity score (the word's main stem in the text).
    proximity_slot: Option<usize>,
    /// It is the word as typed (an exact-field term, or the name term of the typed spelling).
    typed: bool,
}

/// Rescores `candidates` in place (without reordering them).
pub fn rescore(
    searcher: &Searcher,
    fields: &Fields,
    words: &[QueryWord],
    options: &RankingOptions,
    candidates: &mut [(f32, DocAddress)],
) -> Result<()> {
    if words.is_empty() || candidates.is_empty() {
        return Ok(());
    }
    let num_docs = searcher.num_docs().max(1) as f32;
    let sources = [
        (fields.title, fields.title_stem),
        (fields.body, fields.body_stem),
    ];
    let mut average_length = [0f32; 2];
    for (slot, (exact, _)) in sources.iter().enumerate() {
        let mut tokens = 0u64;
        for segment in searcher.segment_readers() {
            tokens += segment.inverted_index(*exact)?.total_num_tokens();
        }
        average_length[slot] = (tokens as f32 / num_docs).max(1.0);
    }
    let mut lookups = lookups(searcher, &sources, words, options, num_docs)?;
    if options.words.name_variants {
        name_lookups(searcher, fields.name, words, num_docs, &mut lookups)?;
    }
    let proximity_slots = lookups
        .iter()
        .filter_map(|l| l.proximity_slot)
        .max()
        .map_or(0, |m| m + 1);
    let proximity_idf: Vec<f32> = (0..proximity_slots)
        .map(|slot| {
            lookups
                .iter()
                .find(|l| l.proximity_slot == Some(slot))
                .map_or(0.0, |l| l.idf)
        })
        .collect();

    let bm25 = |tf: f32, length: f32, average: f32| {
        tf * (options.k1 + 1.0)
            / (tf + options.k1 * (1.0 - options.b + options.b * length / average))
    };

    // Candidates grouped by segment, in doc id order (postings only move forward).
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, (_, address)) in candidates.iter().enumerate() {
        by_segment.entry(address.segment_ord).or_default().push(i);
    }
    let mut positions = Vec::new();
    for (segment_ord, mut members) in by_segment {
        members.sort_by_key(|&i| candidates[i].1.doc_id);
        let segment = searcher.segment_reader(segment_ord);
        let norms = [
            segment.get_fieldnorms_reader(fields.title)?,
            segment.get_fieldnorms_reader(fields.body)?,
        ];
        // word_scores[m][w], near[m][slot] = positions
        let mut word_scores = vec![vec![0f32; words.len()]; members.len()];
        let mut typed = vec![vec![false; words.len()]; members.len()];
        let mut near: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); proximity_slots]; members.len()];
        for lookup in &lookups {
            let option = if lookup.proximity_slot.is_some() {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            };
            let Some(mut postings) = segment
                .inverted_index(lookup.field)?
                .read_postings(&lookup.term, option)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            for (m, &i) in members.iter().enumerate() {
                let doc = candidates[i].1.doc_id;
                if !advance_to(&mut postings, doc) {
                    continue;
                }
                let length = norms[lookup.source].fieldnorm(doc) as f32;
                let tf = postings.term_freq() as f32;
                word_scores[m][lookup.word] +=
                    lookup.boost * lookup.idf * bm25(tf, length, average_length[lookup.source]);
                typed[m][lookup.word] |= lookup.typed;
                if let Some(slot) = lookup.proximity_slot {
                    positions.clear();
                    postings.positions(&mut positions);
                    near[m][slot].extend_from_slice(&positions);
                }
            }
        }
        for (m, &i) in members.iter().enumerate() {
            let matched = word_scores[m].iter().filter(|&&s| s > 0.0).count();
            let mut score: f32 = word_scores[m].iter().sum();
            if options.proximity > 0.0 {
                let doc = candidates[i].1.doc_id;
                let length = norms[1].fieldnorm(doc) as f32;
                let closeness = proximity(&near[m], &proximity_idf, |tpi| {
                    bm25(tpi, length, average_length[1])
                });
                score += options.proximity * closeness;
            }
            if options.coordination > 0.0 {
                score *= (matched as f32 / words.len() as f32).powf(options.coordination);
            }
            let respelled = words
                .iter()
                .zip(&typed[m])
                .any(|(word, &typed)| word.person && !typed);
            if respelled {
                score *= OTHER_SPELLING_FACTOR;
            }
            candidates[i].0 = score;
        }
    }
    Ok(())
}

/// Moves `postings` to `doc`; true when the term occurs in it.
fn advance_to(postings: &mut SegmentPostings, doc: DocId) -> bool {
    let mut current = postings.doc();
    if current < doc {
        current = postings.seek(doc);
    }
    current == doc && current != TERMINATED
}

/// The terms each word looks up, with their boosts and idf.
fn lookups(
    searcher: &Searcher,
    sources: &[(Field, Field); 2],
    words: &[QueryWord],
    options: &RankingOptions,
    num_docs: f32,
) -> Result<Vec<Lookup>> {
    let idf = |term: &Term| -> Result<f32> {
        let n = searcher.doc_freq(term)? as f32;
        Ok((1.0 + (num_docs - n + 0.5) / (n + 0.5)).ln())
    };
    let mut lookups = Vec::new();
    let mut next_slot = 0;
    for (w, word) in words.iter().enumerate() {
        for (source, &(exact_field, stem_field)) in sources.iter().enumerate() {
            let term = Term::from_field_text(exact_field, &word.exact);
            lookups.push(Lookup {
                word: w,
                field: exact_field,
                source,
                idf: idf(&term)?,
                term,
                boost: options.exact_boost,
                proximity_slot: None,
                typed: true,
            });
            if !options.stems {
                continue;
            }
            for (s, stem) in word.stems.iter().enumerate() {
                let term = Term::from_field_text(stem_field, stem);
                let proximity_slot = (source == 1 && s == 0).then(|| {
                    next_slot += 1;
                    next_slot - 1
                });
                lookups.push(Lookup {
                    word: w,
                    field: stem_field,
                    source,
                    idf: idf(&term)?,
                    term,
                    boost: 1.0,
                    proximity_slot,
                    typed: false,
                });
            }
        }
    }
    Ok(lookups)
}

/// The name-field spellings of each word (see `person`), weighted, with one idf per word from
/// the articles holding any of them. A word's spellings share a proximity slot, so the parts
/// of a name of several words count near each other in whichever spelling. The name field
/// holds the text first, at the same positions as the text fields, then the headline.
fn name_lookups(
    searcher: &Searcher,
    field: Field,
    words: &[QueryWord],
    num_docs: f32,
    lookups: &mut Vec<Lookup>,
) -> Result<()> {
    let mut next_slot = lookups
        .iter()
        .filter_map(|l| l.proximity_slot)
        .max()
        .map_or(0, |m| m + 1);
    for (w, word) in words.iter().enumerate() {
        if word.names.is_empty() {
            continue;
        }
        let mut holding = 0u64;
        let mut terms = Vec::with_capacity(word.names.len());
        for name in &word.names {
            let term = Term::from_field_text(field, &name.term);
            holding += searcher.doc_freq(&term)?;
            terms.push((term, name.weight));
        }
        let n = (holding as f32).min(num_docs);
        let idf = (1.0 + (num_docs - n + 0.5) / (n + 0.5)).ln();
        // A person word has no stems: its spellings give its positions.
        let proximity_slot = word.stems.is_empty().then(|| {
            next_slot += 1;
            next_slot - 1
        });
        for (term, weight) in terms {
            lookups.push(Lookup {
                word: w,
                field,
                source: 1,
                term,
                boost: weight,
                idf,
                proximity_slot,
                typed: weight >= 1.0,
            });
        }
    }
    Ok(())
}

/// Sum over pairs of query words of `min(idf) · saturate(Σ 1/d²)` for their occurrences at
/// most [`PROXIMITY_MAX_DISTANCE`] words apart.
fn proximity(positions: &[Vec<u32>], idf: &[f32], saturate: impl Fn(f32) -> f32) -> f32 {
    let mut total = 0.0;
    for i in 0..positions.len() {
        for j in i + 1..positions.len() {
            let mut closeness = 0.0;
            for &a in &positions[i] {
                for &b in &positions[j] {
                    let distance = a.abs_diff(b);
                    if distance > 0 && distance <= PROXIMITY_MAX_DISTANCE {
                        closeness += 1.0 / (distance * distance) as f32;
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
    fn proximity_rewards_words_close_together() {
        let flat = |x: f32| x;
        let adjacent = proximity(&[vec![3], vec![4]], &[1.0, 2.0], flat);
        let apart = proximity(&[vec![3], vec![9]], &[1.0, 2.0], flat);
        let too_far = proximity(&[vec![3], vec![30]], &[1.0, 2.0], flat);
        assert_eq!(adjacent, 1.0);
        assert!(apart > 0.0 && apart < adjacent);
        assert_eq!(too_far, 0.0);
    }
}
