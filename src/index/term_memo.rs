//! Each term's dictionary entry, and each name spelling's entry in the reading tables, read
//! once per search.
//!
//! One search looks the same words up several times: to weigh a name's spellings while the
//! query is built, to build the first stage's scorers, and again to rerank its best
//! articles. On 101,610 articles, the term dictionaries' `fst` lookups were 15% of a
//! two-word name query's time, and the name table's lookups (a sorted table, 15,000
//! instructions each, each spelling looked up three times) 13%. While a search runs on a
//! thread ([`during_search`]), [`term_info`], [`doc_freq`] and [`name_entry`] remember what
//! they read (and [`remember_name_entry`] what a range read of the name table found); the
//! memo is dropped when the search returns, so nothing is kept from one search to the next.
//! Outside a search they read as they would without it.

use std::cell::RefCell;
use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::{InvertedIndexReader, Searcher, Term};

/// What one search has read.
#[derive(Default)]
struct Memo {
    /// Per segment, per term, its entry (`None`: not in the segment).
    terms: HashMap<SegmentId, HashMap<Term, Option<TermInfo>, FxBuildHasher>, FxBuildHasher>,
    /// Per reading tables (by the segments they were built from) and name term, the start
    /// of its list (`None`: no such term).
    names: HashMap<(u64, Vec<u8>), Option<u64>, FxBuildHasher>,
}

thread_local! {
    /// The entries read by the search running on this thread (`None`: no search).
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Runs `search` with a memo of the dictionary entries it reads (the outer search's, when
/// searches nest).
pub(crate) fn during_search<T>(search: impl FnOnce() -> T) -> T {
    let started = MEMO.with_borrow_mut(|memo| {
        let outer = memo.is_some();
        memo.get_or_insert_with(Memo::default);
        !outer
    });
    // dropped on return or unwinding: the next search starts empty
    struct End(bool);
    impl Drop for End {
        fn drop(&mut self) {
            if self.0 {
                MEMO.with_borrow_mut(|memo| *memo = None);
            }
        }
    }
    let _end = End(started);
    search()
}

/// The entry of `term` in the dictionary `inverted` of the segment `segment`.
pub(crate) fn term_info(
    segment: SegmentId,
    inverted: &InvertedIndexReader,
    term: &Term,
) -> tantivy::Result<Option<TermInfo>> {
    let remembered = MEMO.with_borrow(|memo| {
        memo.as_ref()
            .and_then(|memo| memo.terms.get(&segment))
            .and_then(|terms| terms.get(term))
            .cloned()
    });
    if let Some(info) = remembered {
        return Ok(info);
    }
    let info = inverted.get_term_info(term)?;
    MEMO.with_borrow_mut(|memo| {
        if let Some(memo) = memo {
            memo.terms
                .entry(segment)
                .or_default()
                .insert(term.clone(), info.clone());
        }
    });
    Ok(info)
}

/// Articles holding `term` in the index `searcher` reads (deleted ones included, as
/// tantivy's [`Searcher::doc_freq`] counts).
pub(crate) fn doc_freq(searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
    let mut total = 0;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        if let Some(info) = term_info(segment.segment_id(), &inverted, term)? {
            total += u64::from(info.doc_freq);
        }
    }
    Ok(total)
}

/// The start of the list of the name term `key` in the name table of the reading tables built
/// from the segments `tables`, as `read` finds it.
pub(crate) fn name_entry(
    tables: u64,
    key: &[u8],
    read: impl FnOnce() -> Option<u64>,
) -> Option<u64> {
    let remembered = MEMO.with_borrow(|memo| {
        memo.as_ref()
            .and_then(|memo| memo.names.get(&(tables, key.to_vec())).copied())
    });
    if let Some(start) = remembered {
        return start;
    }
    let start = read();
    MEMO.with_borrow_mut(|memo| {
        if let Some(memo) = memo {
            memo.names.insert((tables, key.to_vec()), start);
        }
    });
    start
}

/// Remembers, for the search running, that the name term `key` of the tables `tables` has
/// its list at `start`: what a range read of the table found, for [`name_entry`] to give.
pub(crate) fn remember_name_entry(tables: u64, key: &[u8], start: u64) {
    MEMO.with_borrow_mut(|memo| {
        if let Some(memo) = memo {
            memo.names.insert((tables, key.to_vec()), Some(start));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    fn remembered_terms() -> Option<usize> {
        MEMO.with_borrow(|memo| {
            memo.as_ref()
                .map(|m| m.terms.values().map(HashMap::len).sum())
        })
    }

    #[test]
    fn a_search_remembers_what_it_read_and_the_next_search_starts_empty() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        writer.add_document(doc!(body => "وزير الخارجية")).unwrap();
        writer.add_document(doc!(body => "وزير الداخلية")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let minister = Term::from_field_text(body, "وزير");
        let absent = Term::from_field_text(body, "سفير");
        assert_eq!(doc_freq(&searcher, &minister).unwrap(), 2);
        assert_eq!(remembered_terms(), None, "outside a search nothing is kept");
        during_search(|| {
            assert_eq!(doc_freq(&searcher, &minister).unwrap(), 2);
            assert_eq!(doc_freq(&searcher, &absent).unwrap(), 0);
            // nested: the outer search's memo
            during_search(|| assert_eq!(doc_freq(&searcher, &minister).unwrap(), 2));
            assert_eq!(remembered_terms(), Some(2), "a term and an absent term");
            let read = name_entry(7, b"key", || Some(3));
            assert_eq!(name_entry(7, b"key", || panic!("read again")), read);
        });
        assert_eq!(remembered_terms(), None);
        let unwound = std::panic::catch_unwind(|| during_search(|| panic!("a failed search")));
        assert!(unwound.is_err());
        assert_eq!(remembered_terms(), None, "dropped on unwinding too");
    }
}
