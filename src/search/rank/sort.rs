//! The order of hits: by relevance, or by publication date (newest or oldest first).

use tantivy::collector::sort_key::{ComparatorEnum, SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, TopDocs};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, Order, Score, Searcher};

use crate::error::Result;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Most relevant first (BM25).
    #[default]
    Score,
    /// Newest first; undated articles last; equal dates by relevance.
    Newest,
    /// Oldest first; undated articles last; equal dates by relevance.
    Oldest,
}

/// Hits with their relevance score, in the order asked for.
pub(crate) type RankedHits = Vec<(Score, DocAddress)>;

/// Runs `query` once, collecting the top hits in `order` (each with its relevance score) and
/// whatever `extra` collects over every match.
pub(crate) fn search_in_order<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    top: TopDocs,
    order: SortOrder,
    extra: C,
) -> Result<(RankedHits, C::Fruit)> {
    let date_order = match order {
        SortOrder::Score => {
            return Ok(searcher.search(query, &(top.order_by_score(), extra))?);
        }
        SortOrder::Newest => Order::Desc,
        SortOrder::Oldest => Order::Asc,
    };
    // Descending puts missing dates last by itself; ascending needs "none is lowest" reversed.
    let by_date = (
        SortByStaticFastValue::<DateTime>::for_field("date"),
        ComparatorEnum::from(date_order),
    );
    let by_score = (SortBySimilarityScore, ComparatorEnum::Natural);
    let (hits, fruit) = searcher.search(query, &(top.order_by((by_date, by_score)), extra))?;
    let hits = hits
        .into_iter()
        .map(|((_, score), address)| (score, address))
        .collect();
    Ok((hits, fruit))
}
