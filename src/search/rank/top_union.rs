//! The first stage of a plain query, pruned: the best articles of a union of words and
//! reading sets, found without scoring the articles that cannot reach them, and the number of
//! articles the union matches.
//!
//! Every clause of such a union has a ceiling, the highest score it gives any article (the
//! BM25 of a set never exceeds its weight). Once the first stage holds its `limit` articles,
//! an article that matches only clauses whose ceilings add up to no more than the lowest
//! score held cannot enter: those clauses are *non-essential* (MaxScore, Turtle and Flood
//! 1995). Only the articles of the other clauses are candidates (marked a window of
//! articles at a time, from the clauses' documents read ahead), and the non-essential
//! clauses are sought to them while their ceilings can still lift the candidate in. The
//! clauses of a one-word query are the word in the headline and in the text: once the
//! headline's ceiling alone decides, the articles that only have the word in their text are
//! never scored (most of them, for a frequent word).
//!
//! The hits and their scores are those of the whole union to the last bit: a hit's score is
//! its clauses' scores added in the union's order, as tantivy's union adds them, and equal
//! scores go to the lower address, as its `TopDocs` orders them. The count is taken from the
//! clauses' documents, a bit per article, not from the walk.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader};

use super::sort::RankedHits;
use crate::error::Result;
use crate::search::query::build::as_plain_union;
use crate::search::query::reading_query::{CappedScorer, CappedWeight};

/// The most clauses a pruned union has. The walk looks at every essential clause for each
/// article it visits, where tantivy's union adds up each clause's articles in turn: on
/// 101,610 articles, with the two clauses of a word (headline, text) the walk was 13% faster
/// than the whole union on `الإرهاب` and 28% on `تونس`; with a word's name spellings and
/// other readings beside it (10 to 46 clauses for the names of the query mix) it was 10–25%
/// slower (`النجم الساحلي` 722 → 903 µs), though it scored a sixth of the articles of `نبيل
/// القروي`: most of the clauses stay essential.
const MAX_CLAUSES: usize = 4;

/// Articles read at a time: the essential clauses mark their articles of the window in a
/// bitset, then each marked article is scored (a multiple of 64).
const WINDOW: DocId = 4096;

/// The `limit` best articles for `query` with the number of articles it matches, when
/// `query` is a union of words and reading sets only; `None` for any other query (to be
/// searched unpruned).
pub(crate) fn top_and_count(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
) -> Result<Option<(RankedHits, usize)>> {
    top_and_count_by_window(searcher, query, limit, WINDOW)
}

/// [`top_and_count`], reading `window` articles at a time (a multiple of 64).
fn top_and_count_by_window(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    window: DocId,
) -> Result<Option<(RankedHits, usize)>> {
    let Some(clauses) = as_plain_union(query) else {
        return Ok(None);
    };
    if clauses.len() > MAX_CLAUSES {
        return Ok(None);
    }
    let enable_scoring = EnableScoring::enabled_from_searcher(searcher);
    let mut weights = Vec::with_capacity(clauses.len());
    for (_, clause) in clauses {
        match CappedWeight::of(clause.as_ref(), &enable_scoring)? {
            Some(weight) => weights.push(weight),
            None => return Ok(None),
        }
    }
    let mut hits: RankedHits = Vec::new();
    let mut count = 0;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let (top, matching) = segment_top(&weights, reader, limit, window)?;
        count += matching;
        let segment = ord as u32;
        hits.extend(
            top.into_iter()
                .map(|held| (held.score, DocAddress::new(segment, held.doc))),
        );
    }
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.truncate(limit);
    Ok(Some((hits, count)))
}

/// The `limit` best articles of one segment, and how many articles of it match.
fn segment_top(
    weights: &[CappedWeight],
    reader: &SegmentReader,
    limit: usize,
    window: DocId,
) -> Result<(Vec<Held>, usize)> {
    let mut matching = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
    // the clauses in the union's order, those with words in the segment
    let mut clauses: Vec<CappedScorer> = Vec::with_capacity(weights.len());
    for weight in weights {
        if let Some(scorer) = weight.scorer(reader)? {
            scorer.mark_docs(&mut matching)?;
            clauses.push(scorer);
        }
    }
    let alive = reader.alive_bitset();
    let count = match alive {
        None => matching.iter().map(|bits| bits.count_ones() as usize).sum(),
        Some(alive) => set_bits(&matching)
            .filter(|&doc| alive.is_alive(doc))
            .count(),
    };
    let ceilings: Vec<f64> = clauses.iter().map(|clause| clause.ceiling()).collect();
    let clause_count = clauses.len();
    // the clauses from the lowest ceiling up; `below[i]`: the ceilings of the first `i` added
    let mut by_ceiling: Vec<usize> = (0..clauses.len()).collect();
    by_ceiling.sort_by(|&a, &b| ceilings[a].total_cmp(&ceilings[b]));
    let mut below = Vec::with_capacity(clauses.len() + 1);
    below.push(0.0);
    for &clause in &by_ceiling {
        below.push(below.last().copied().unwrap_or(0.0) + ceilings[clause]);
    }
    // by_ceiling[..essential] are the non-essential clauses
    let mut essential = 0;
    let mut top = TopHits::new(limit);
    let mut candidates = vec![0u64; window as usize / 64];
    let mut start = 0;
    let mut walk = Walk::new(clauses);
    while start < reader.max_doc() && essential < clause_count {
        let end = start.saturating_add(window).min(reader.max_doc());
        candidates.fill(0);
        for &clause in &by_ceiling[essential..] {
            walk.clauses[clause].mark_window(start, end, &mut candidates);
        }
        for doc in set_bits(&candidates).map(|offset| start + offset) {
            walk.scored.clear();
            let mut reached = 0.0;
            for &clause in &by_ceiling[essential..] {
                reached += walk.score_on(clause, doc);
            }
            // marked by a clause no longer essential, or a superset's mark
            if walk.scored.is_empty() {
                continue;
            }
            let lowest = top.lowest_held();
            let mut candidate = true;
            for i in (0..essential).rev() {
                if cannot_enter(reached + below[i + 1], lowest) {
                    candidate = false;
                    break;
                }
                reached += walk.score_on(by_ceiling[i], doc);
            }
            if !candidate || alive.is_some_and(|alive| alive.is_deleted(doc)) {
                continue;
            }
            if top.offer(walk.union_score(), doc) {
                let lowest = top.lowest_held();
                while essential < clause_count && cannot_enter(below[essential + 1], lowest) {
                    essential += 1;
                }
            }
        }
        start = end;
    }
    Ok((top.into_vec(), count))
}

/// A segment's clauses as the walk reads them, and what they gave the current candidate.
struct Walk {
    clauses: Vec<CappedScorer>,
    /// Each clause's current document, beside it: most clauses are not on a candidate.
    on: Vec<DocId>,
    /// Each clause's score on the candidate (those in `scored`).
    scores: Vec<Score>,
    /// The clauses scored on the candidate.
    scored: Vec<usize>,
}

impl Walk {
    fn new(clauses: Vec<CappedScorer>) -> Walk {
        Walk {
            on: clauses.iter().map(|clause| clause.doc()).collect(),
            scores: vec![0.0; clauses.len()],
            scored: Vec::with_capacity(clauses.len()),
            clauses,
        }
    }

    /// Moves `clause` to `doc` if it is behind, and scores it there if it holds `doc`: the
    /// score it adds (0 if it does not hold it).
    fn score_on(&mut self, clause: usize, doc: DocId) -> f64 {
        if self.on[clause] < doc {
            self.on[clause] = self.clauses[clause].seek(doc);
        }
        if self.on[clause] != doc {
            return 0.0;
        }
        self.scores[clause] = self.clauses[clause].score();
        self.scored.push(clause);
        f64::from(self.scores[clause])
    }

    /// The candidate's score: its clauses' scores added in the union's order, as tantivy's
    /// union adds them.
    fn union_score(&mut self) -> Score {
        self.scored.sort_unstable();
        let scores = &self.scores;
        self.scored.iter().fold(0.0, |sum, &c| sum + scores[c])
    }
}

/// Whether an article whose score is at most `ceiling` cannot enter hits whose lowest score
/// is `lowest` (it must be higher, as a later article of equal score ranks below). The
/// ceiling is added in `f64` and in another order than the score: it is taken a little higher
/// than it is, far above the rounding of a few `f32` additions.
fn cannot_enter(ceiling: f64, lowest: Score) -> bool {
    ceiling * (1.0 + 1e-5) <= f64::from(lowest)
}

/// The documents whose bits are set in `bits`, a bit a document.
fn set_bits(bits: &[u64]) -> impl Iterator<Item = DocId> + '_ {
    bits.iter().enumerate().flat_map(|(word, &bits)| {
        let mut bits = bits;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let bit = bits.trailing_zeros();
                bits &= bits - 1;
                (word * 64) as DocId + bit
            })
        })
    })
}

/// An article held among the best, ordered worst first (the heap's top is the one to drop).
#[derive(Clone, Copy, Debug)]
struct Held {
    score: Score,
    doc: DocId,
}

impl Ord for Held {
    /// Greater is worse: a lower score, or an equal score at a higher document.
    fn cmp(&self, other: &Held) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Held) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Held {
    fn eq(&self, other: &Held) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Held {}

/// The best `limit` articles offered, in ascending document order, of one segment.
struct TopHits {
    limit: usize,
    held: BinaryHeap<Held>,
}

impl TopHits {
    fn new(limit: usize) -> TopHits {
        TopHits {
            limit,
            held: BinaryHeap::with_capacity(limit.min(1 << 16) + 1),
        }
    }

    /// The score an article must exceed to enter: the lowest held once `limit` are held.
    fn lowest_held(&self) -> Score {
        match self.held.peek() {
            Some(worst) if self.held.len() >= self.limit => worst.score,
            _ => Score::NEG_INFINITY,
        }
    }

    /// Takes `doc` (after every document offered before) if it is among the best; true when
    /// the lowest score held changed.
    fn offer(&mut self, score: Score, doc: DocId) -> bool {
        if self.limit == 0 {
            return false;
        }
        if self.held.len() < self.limit {
            self.held.push(Held { score, doc });
            return self.held.len() == self.limit;
        }
        if score <= self.lowest_held() {
            return false;
        }
        self.held.pop();
        self.held.push(Held { score, doc });
        true
    }

    fn into_vec(self) -> Vec<Held> {
        self.held.into_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::reading_query::{ReadingQuery, WordQuery};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur};
    use tantivy::schema::{STRING, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    /// News sentences of different lengths, some with the stem's words several times;
    /// repeated, so that many articles tie.
    const TEXTS: [&str; 8] = [
        "قال وزير الخارجية إن الوزير سيزور تونس الأسبوع المقبل",
        "التقى الوزير بنظيره الفرنسي وبحث الوزيران العلاقات الثنائية",
        "وصل السفير إلى العاصمة",
        "أكد الوزراء أن الوزير الأول سيعلن القرار والوزير المكلف بالملف حاضر",
        "لا جديد في المفاوضات بين الطرفين حول الأزمة الأوكرانية",
        "وزير",
        "استقبل رئيس الجمهورية وزير الداخلية في قصر قرطاج",
        "الوزير",
    ];

    /// 600 articles in three segments, a headline and a text each, with every 7th of the
    /// first 300 deleted.
    fn searcher() -> (
        tantivy::Searcher,
        tantivy::schema::Field,
        tantivy::schema::Field,
    ) {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING);
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for i in 0..600usize {
            writer
                .add_document(doc!(
                    id => i.to_string(),
                    title => TEXTS[(i * 5) % TEXTS.len()],
                    body => format!("{} {}", TEXTS[i % TEXTS.len()], TEXTS[(i / 3) % TEXTS.len()]),
                ))
                .unwrap();
            if i % 200 == 199 {
                writer.commit().unwrap();
            }
        }
        for i in (0..300usize).step_by(7) {
            writer.delete_term(Term::from_field_text(id, &i.to_string()));
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        (searcher, title, body)
    }

    /// The union of a word with its stem's words in both fields, and of the stem's words
    /// alone at a lower weight (as a query's other readings are).
    fn union(title: tantivy::schema::Field, body: tantivy::schema::Field) -> BooleanQuery {
        let words = ["الوزير", "وزير", "والوزير", "الوزراء", "الوزيران"];
        let word = |field| {
            let stem = ReadingQuery::new(field, &words, 300);
            let exact = Term::from_field_text(field, "وزير");
            Box::new(WordQuery::new(exact, 1.2, stem, 1.0).expect("the word is in the set"))
                as Box<dyn Query>
        };
        BooleanQuery::new(vec![
            (Occur::Should, word(title)),
            (Occur::Should, word(body)),
            (
                Occur::Should,
                Box::new(ReadingQuery::new(body, &words[2..], 100).boosted(0.3)),
            ),
        ])
    }

    #[test]
    fn the_pruned_union_finds_the_hits_scores_and_count_of_the_whole_union() {
        let (searcher, title, body) = searcher();
        let query = union(title, body);
        for limit in [1, 5, 40, 1000] {
            let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
            let (expected, expected_count) = searcher.search(&query, &collector).unwrap();
            // in one window a segment, and in windows of 64 and 128 articles
            for window in [WINDOW, 64, 128] {
                let (hits, count) = top_and_count_by_window(&searcher, &query, limit, window)
                    .unwrap()
                    .expect("a union of words and reading sets is pruned");
                assert_eq!(count, expected_count, "limit {limit}, window {window}");
                assert_eq!(hits, expected, "limit {limit}, window {window}");
            }
        }
        // the articles tie in whole groups: the pruned walk kept the lower addresses
        let (hits, _) = top_and_count(&searcher, &query, 40).unwrap().unwrap();
        assert!(hits.windows(2).any(|w| w[0].0 == w[1].0));
    }

    #[test]
    fn other_queries_are_left_to_the_whole_union() {
        let (searcher, title, body) = searcher();
        let term = |field| {
            Box::new(tantivy::query::TermQuery::new(
                Term::from_field_text(field, "وزير"),
                tantivy::schema::IndexRecordOption::WithFreqs,
            )) as Box<dyn Query>
        };
        let plain_terms = BooleanQuery::new(vec![
            (Occur::Should, term(title)),
            (Occur::Should, term(body)),
        ]);
        assert!(
            top_and_count(&searcher, &plain_terms, 10)
                .unwrap()
                .is_none()
        );
        let required = BooleanQuery::new(vec![
            (Occur::Must, Box::new(union(title, body)) as Box<dyn Query>),
            (Occur::Must, term(body)),
        ]);
        assert!(top_and_count(&searcher, &required, 10).unwrap().is_none());
        // a word with its name spellings and readings beside: more clauses than pay
        let spellings = ["الوزير", "وزير", "والوزير", "الوزراء", "الوزيران"];
        let many = BooleanQuery::new(
            spellings[..=MAX_CLAUSES.min(spellings.len() - 1)]
                .iter()
                .map(|spelling| {
                    let reading = ReadingQuery::new(body, &[spelling], 50).boosted(0.3);
                    (Occur::Should, Box::new(reading) as Box<dyn Query>)
                })
                .collect(),
        );
        assert_eq!(many.clauses().len(), MAX_CLAUSES + 1);
        assert!(top_and_count(&searcher, &many, 10).unwrap().is_none());
    }
}
