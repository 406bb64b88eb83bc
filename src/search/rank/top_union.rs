//! The first stage of a plain query, pruned: the best articles of a union of words and
//! reading sets, found without scoring the articles that cannot reach them, and the number of
//! articles the union matches.
//!
//! Every clause of such a union has a ceiling, the highest score it gives any article (the
//! BM25 of a set never exceeds its weight), and the union holds its clauses from the highest
//! ceiling down (see `query::build`). Once the first stage holds its `limit` articles, an
//! article that matches only clauses of a tail of the union whose ceilings add up to no more
//! than the lowest score held cannot enter: the tail is *non-essential* (MaxScore, Turtle
//! and Flood 1995). A window of articles at a time, the essential clauses are read in full
//! and their scores added up per article; each article they hold is then a candidate, and
//! the tail's clauses are sought to it in turn while their ceilings can still lift it in.
//! The clauses of a one-word query are the word in the headline and in the text: once the
//! headline's ceiling alone decides, the articles that only have the word in their text are
//! never scored (most of them, for a frequent word). A union is walked only when the walk
//! pays ([`pruning_pays`]); otherwise tantivy's union scores every match.
//!
//! The hits and their scores are those of the whole union to the last bit: an article's
//! score is its clauses' scores added in the union's order (the essential clauses are its
//! head), as tantivy's union adds them, and equal scores go to the lower address, as its
//! `TopDocs` orders them. The count is the articles of the clauses read in full, and of the
//! others from their documents.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::query::{EnableScoring, Occur, Query, Scorer};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader};

use super::sort::RankedHits;
use crate::error::Result;
use crate::search::query::build::as_plain_union;
use crate::search::query::reading_query::{
    CappedScorer, CappedWeight, capped_doc_freq, ceiling_hint,
};

/// Whether the walk is worth its cost for the union `clauses` over `num_docs` articles: when
/// the clauses it may leave unread hold at least a third of the union's articles. Those are
/// estimated as the longest tail of the union whose ceilings add up to no more than the
/// first clause's (the best articles score at least about that): for a word alone, its text
/// clause (most of its articles); for a name, the frequent words its spellings also write
/// (`الجاري` under the key of `القروي`). Otherwise most clauses stay essential, and the walk
/// adds its own cost to the union's: on 101,610 articles, `النجم الساحلي` and `يوسف الشاهد`
/// were 4–6% slower pruned, `نبيل القروي` 5% faster, `الإرهاب` 13% and `تونس` 28% (measured
/// when each name spelling was a clause of its own, see `NameLookup::any_term`).
fn pruning_pays(clauses: &[(Occur, Box<dyn Query>)], num_docs: u64) -> bool {
    let mut sized = Vec::with_capacity(clauses.len());
    for (_, clause) in clauses {
        match (
            ceiling_hint(clause.as_ref(), num_docs),
            capped_doc_freq(clause.as_ref()),
        ) {
            (Some(ceiling), Some(docs)) => sized.push((ceiling, docs)),
            _ => return false,
        }
    }
    let first = sized
        .iter()
        .map(|&(ceiling, _)| ceiling)
        .fold(0.0, f64::max);
    let all: u64 = sized.iter().map(|&(_, docs)| docs).sum();
    let (mut tail_ceiling, mut tail_docs) = (0.0, 0);
    for &(ceiling, docs) in sized.iter().rev() {
        if tail_ceiling + ceiling > first {
            break;
        }
        tail_ceiling += ceiling;
        tail_docs += docs;
    }
    tail_docs * 3 >= all
}

/// Articles read at a time (a multiple of 64).
const WINDOW: DocId = 4096;

/// The `limit` best articles for `query` with the number of articles it matches, when
/// `query` is a union of words and reading sets only; `None` for any other query (to be
/// searched unpruned).
pub(crate) fn top_and_count(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
) -> Result<Option<(RankedHits, usize)>> {
    let Some(clauses) = as_plain_union(query) else {
        return Ok(None);
    };
    if !pruning_pays(clauses, searcher.num_docs()) {
        return Ok(None);
    }
    walk_union(searcher, clauses, limit, WINDOW)
}

/// The walk of [`top_and_count`] over the union `clauses`, reading `window` articles at a
/// time (a multiple of 64); `None` when a clause is of another kind.
fn walk_union(
    searcher: &Searcher,
    clauses: &[(Occur, Box<dyn Query>)],
    limit: usize,
    window: DocId,
) -> Result<Option<(RankedHits, usize)>> {
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
    let max_doc = reader.max_doc();
    // the clauses in the union's order, those with words in the segment
    let mut clauses: Vec<CappedScorer> = Vec::with_capacity(weights.len());
    for weight in weights {
        if let Some(scorer) = weight.scorer(reader)? {
            clauses.push(scorer);
        }
    }
    let clause_count = clauses.len();
    // from[i]: the ceilings of the clauses from `i` on, added
    let mut from = vec![0.0; clause_count + 1];
    for i in (0..clause_count).rev() {
        from[i] = from[i + 1] + clauses[i].ceiling();
    }
    // clauses[..essential] are read in full; those after are sought to their articles
    let mut essential = clause_count;
    let mut top = TopHits::new(limit);
    let mut walk = Walk::new(clauses);
    let mut buffer = WindowBuffer::new(window);
    // the articles matching, a bit each: those of the clauses read in full, as they are read
    let mut matching = vec![0u64; (max_doc as usize).div_ceil(64)];
    let alive = reader.alive_bitset();
    // the lowest score held, and the ceiling a candidate must pass to enter
    let (mut lowest, mut bar) = (Score::NEG_INFINITY, f64::NEG_INFINITY);
    let mut start = 0;
    while start < max_doc && essential > 0 {
        let end = start.saturating_add(window).min(max_doc);
        // the essential clauses of the window's start: their scores added in the union's
        // order, as tantivy's union adds them
        let read = essential;
        for clause in 0..read {
            walk.read_window(clause, start, end, &mut buffer);
        }
        // the window's articles of the clauses read in full are matches
        let first_word = start as usize / 64;
        for (matching, marked) in matching[first_word..].iter_mut().zip(&buffer.marked) {
            *matching |= marked;
        }
        for offset in set_bits(&buffer.marked) {
            let doc = start + offset;
            let mut score = buffer.scores[offset as usize];
            let mut candidate = true;
            // the clauses after, in order while they can still lift it in
            for (clause, &ceilings) in from.iter().enumerate().take(clause_count).skip(read) {
                if f64::from(score) + ceilings <= bar {
                    candidate = false;
                    break;
                }
                if let Some(more) = walk.score_on(clause, doc) {
                    score += more;
                }
            }
            if !candidate || score <= lowest || alive.is_some_and(|alive| alive.is_deleted(doc)) {
                continue;
            }
            if top.offer(score, doc) {
                lowest = top.lowest_held();
                bar = entry_bar(lowest);
                while essential > 0 && from[essential - 1] <= bar {
                    essential -= 1;
                }
            }
        }
        buffer.clear();
        start = end;
    }
    // the clauses not read to the end: their articles from their documents (a clause
    // read to the end was read throughout, as a clause once left unread stays so)
    for clause in &walk.clauses[essential..] {
        clause.mark_docs(&mut matching)?;
    }
    let count = match alive {
        None => matching.iter().map(|bits| bits.count_ones() as usize).sum(),
        Some(alive) => set_bits(&matching)
            .filter(|&doc| alive.is_alive(doc))
            .count(),
    };
    Ok((top.into_vec(), count))
}

/// The scores the essential clauses give the articles of one window, added up per article.
struct WindowBuffer {
    /// The articles with a score, a bit each from the window's start.
    marked: Vec<u64>,
    /// Per article of the window, its score so far.
    scores: Vec<Score>,
}

impl WindowBuffer {
    fn new(window: DocId) -> WindowBuffer {
        WindowBuffer {
            marked: vec![0; window as usize / 64],
            scores: vec![0.0; window as usize],
        }
    }

    /// Adds `score` to the article at `offset`.
    #[inline]
    fn add(&mut self, offset: DocId, score: Score) {
        let at = offset as usize;
        self.marked[at / 64] |= 1 << (at % 64);
        self.scores[at] += score;
    }

    /// Empties it for the next window.
    fn clear(&mut self) {
        for offset in set_bits(&self.marked) {
            self.scores[offset as usize] = 0.0;
        }
        self.marked.fill(0);
    }
}

/// A segment's clauses as the walk reads them.
struct Walk {
    clauses: Vec<CappedScorer>,
    /// Each clause's current document, beside it: most clauses are not on a candidate.
    on: Vec<DocId>,
}

impl Walk {
    fn new(clauses: Vec<CappedScorer>) -> Walk {
        Walk {
            on: clauses.iter().map(|clause| clause.doc()).collect(),
            clauses,
        }
    }

    /// Reads `clause`'s articles from `start` to `end` into `buffer`, scored.
    fn read_window(&mut self, clause: usize, start: DocId, end: DocId, buffer: &mut WindowBuffer) {
        let scorer = &mut self.clauses[clause];
        let mut doc = self.on[clause];
        if doc < start {
            doc = scorer.seek(start);
        }
        while doc < end {
            buffer.add(doc - start, scorer.score());
            doc = scorer.advance();
        }
        self.on[clause] = doc;
    }

    /// Moves `clause` to `doc` if it is behind, and scores it there if it holds `doc`.
    #[inline]
    fn score_on(&mut self, clause: usize, doc: DocId) -> Option<Score> {
        if self.on[clause] < doc {
            self.on[clause] = self.clauses[clause].seek(doc);
        }
        (self.on[clause] == doc).then(|| self.clauses[clause].score())
    }
}

/// The ceiling at or under which an article cannot enter hits whose lowest score is
/// `lowest` (it must score higher, as a later article of equal score ranks below). A ceiling
/// is added in `f64` and in another order than the score: the bar is a little under
/// `lowest`, far below the rounding of a few `f32` additions.
fn entry_bar(lowest: Score) -> f64 {
    f64::from(lowest) / (1.0 + 1e-5)
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
        if let Some(mut worst) = self.held.peek_mut() {
            *worst = Held { score, doc };
        }
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

    /// The union of a word with its stem's words in both fields (rarer in the headlines),
    /// and of the stem's words alone at a lower weight (as a query's other readings are).
    fn union(title: tantivy::schema::Field, body: tantivy::schema::Field) -> BooleanQuery {
        let words = ["الوزير", "وزير", "والوزير", "الوزراء", "الوزيران"];
        let word = |field| {
            let articles = if field == title { 60 } else { 300 };
            let stem = ReadingQuery::new(field, &words, articles);
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

    /// Spellings as frequent and weighty as each other, each one word (read as postings).
    fn even_spellings(body: tantivy::schema::Field) -> BooleanQuery {
        let spellings = ["الوزير", "وزير", "والوزير", "الوزراء"];
        BooleanQuery::new(
            spellings
                .iter()
                .map(|spelling| {
                    let reading = ReadingQuery::new(body, &[spelling], 50);
                    (Occur::Should, Box::new(reading) as Box<dyn Query>)
                })
                .collect(),
        )
    }

    /// A word, and beside it at a tenth of the weight a word of other articles (its articles
    /// are counted from its documents once it is left unread).
    fn word_and_other(body: tantivy::schema::Field) -> BooleanQuery {
        BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(ReadingQuery::new(body, &["وزير"], 50)) as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(ReadingQuery::new(body, &["السفير"], 600).boosted(0.1)),
            ),
        ])
    }

    #[test]
    fn the_pruned_union_finds_the_hits_scores_and_count_of_the_whole_union() {
        let (searcher, title, body) = searcher();
        for query in [
            union(title, body),
            even_spellings(body),
            word_and_other(body),
        ] {
            for limit in [1, 5, 40, 1000] {
                let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
                let (expected, expected_count) = searcher.search(&query, &collector).unwrap();
                // in one window a segment, and in windows of 64 and 128 articles
                for window in [WINDOW, 64, 128] {
                    let (hits, count) = walk_union(&searcher, query.clauses(), limit, window)
                        .unwrap()
                        .expect("a union of words and reading sets is walked");
                    let case = format!("{query:?}, limit {limit}, window {window}");
                    assert_eq!(count, expected_count, "{case}");
                    assert_eq!(hits, expected, "{case}");
                }
            }
        }
        let query = union(title, body);
        // the word's text clause holds most of its articles: the walk pays
        let (hits, _) = top_and_count(&searcher, &query, 40)
            .unwrap()
            .expect("pruned");
        // the articles tie in whole groups: the pruned walk kept the lower addresses
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
        // spellings as frequent and weighty as each other: only the last could be left
        // unread, a quarter of the articles, and the walk would not pay
        let even = even_spellings(body);
        assert!(!pruning_pays(even.clauses(), 600));
        assert!(top_and_count(&searcher, &even, 10).unwrap().is_none());
    }
}
