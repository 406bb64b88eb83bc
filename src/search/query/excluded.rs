//! The clause of a query that excludes (`-كلمة`, `-"عبارة"`, `-person:…`), wrapped so that
//! tantivy only ever seeks its scorer forward.
//!
//! tantivy's `Exclude` asks each excluded scorer whether it holds a document with
//! `seek_danger(doc)`, and a phrase scorer asserts that `doc` is not behind it. It is when the
//! phrase matched nothing from the start (its words are in the segment but never side by
//! side, so the scorer begins exhausted) or when an earlier danger seek left it past `doc`:
//! `ناء -"كتاب ناء"` failed that assertion in builds with debug assertions (found by
//! fuzzing the query path; tantivy issue #2811 is the same class). [`Excluded`] answers
//! `seek_danger` with a plain forward `seek` (DocSet's default), which is always within the
//! contract; an excluded clause is never scored, so the "danger" shortcut buys nothing there.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// An excluded clause: `inner`, its scorer only sought forward.
#[derive(Debug)]
pub(crate) struct Excluded(pub(crate) Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Excluded {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// A scorer that is only sought forward: `seek_danger` is DocSet's default (seek when
/// behind, else answer from where it is).
struct ForwardScorer(Box<dyn Scorer>);

impl DocSet for ForwardScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    use super::*;

    /// Regression: an excluded phrase whose words are in the segment but never side by side
    /// (its scorer starts exhausted) failed tantivy's debug assertion in `seek_danger`
    /// (`target (0) should be greater than or equal to doc (2147483647)`); wrapped, it
    /// excludes nothing and the article is found.
    #[test]
    fn an_excluded_phrase_that_matches_nothing_excludes_nothing() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        writer
            .add_document(doc!(body => "تعهدت الصين وروسيا ببناء منظمة شنغهاي"))
            .unwrap();
        writer
            .add_document(doc!(body => "معرض دمشق الدولي للكتاب في منظمة"))
            .unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |word: &str| Term::from_field_text(body, word);
        let hits_excluding = |phrase: PhraseQuery| {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term("منظمة"), IndexRecordOption::WithFreqs))
                        as Box<dyn Query>,
                ),
                (Occur::MustNot, Box::new(Excluded(Box::new(phrase)))),
            ]);
            searcher
                .search(&query, &TopDocs::with_limit(10).order_by_score())
                .unwrap()
                .len()
        };
        // both words are in the second article, never side by side
        assert_eq!(
            hits_excluding(PhraseQuery::new(vec![term("الدولي"), term("معرض")])),
            2
        );
        // and a phrase that matches still excludes its article
        assert_eq!(
            hits_excluding(PhraseQuery::new(vec![term("معرض"), term("دمشق")])),
            1
        );
    }
}
