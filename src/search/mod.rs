//! Searching: from a [`SearchRequest`] to ranked [`Hit`]s with snippets.
//!
//! The work is split by job: `query` turns the query text into a tantivy query, `person`
//! looks names up and builds person pages, `rank` orders the hits, `eval` reads query
//! files and scores runs. This module runs a request (first stage, second stage, paging)
//! and holds what is made of the hits: snippets (`snippet`, `surface`), whole articles
//! (`article`), counts (`facets`, `histogram`), related articles (`similar`) and key
//! terms (`terms`).

mod article;
mod eval;
mod facets;
mod histogram;
mod person;
mod query;
mod rank;
mod similar;
mod snippet;
mod surface;
mod terms;

pub use article::ArticleView;
pub use eval::batch::{BatchQuery, QueriesFile, plain_words_query, read_queries_tsv};
pub use eval::scoring::{EvalScores, Qrels, evaluate};
pub use facets::{FacetCounts, FacetField, FacetValue, FacetsCollector};
pub use histogram::{Bucket, DateHistogramCollector, Histogram, Interval};
pub use person::alias_discovery::Suggestion;
pub use person::card::{CARD_ARTICLES, Mention, PersonCard, SpellingCount};
pub use person::lookup::{
    DISCOVERED_WEIGHT, DiscoveredSpelling, NameLookup, NameTerm, PERSON_FIELD, PersonClause,
    VARIANT_WEIGHT, person_name, shown_with_person,
};
pub use query::build::build_query;
pub use query::date_range::{date_bound, date_range};
pub use query::query_check::{MAX_QUERY_DEPTH, MAX_QUERY_WORDS};
pub use query::query_words::{QueryWord, QueryWordOptions, QueryWords, query_words};
pub use query::reading_query;
pub use query::spec::QuerySpec;
pub use query::spelling::{Correction, MAX_CHECKED_WORDS};
pub use rank::rerank::{MAX_RERANK_WINDOW, RERANK_WINDOW, RankingOptions, rescore};
pub use rank::sort::SortOrder;
pub use similar::{MAX_KEY_TERMS, SimilarTo};
pub use snippet::{
    DEFAULT_SNIPPET_CHARS, Highlight, QueryTerms, Snippet, WordSet, best_snippet, highlight_all,
    matched_words, matching_ranges, snippet_of_ranges,
};
pub use terms::{KeyTerm, KeyTerms, TermsRequest};

use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::{Searcher, TantivyDocument};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::analysis::name_term;
use crate::error::Result;
use crate::index::term_memo;
use crate::index::{FahrasIndex, document_to_article};

/// The most hits one request returns; larger limits are cut to this.
pub const MAX_LIMIT: usize = 100_000;
/// The deepest offset one request pages to; larger offsets are cut to this.
pub const MAX_OFFSET: usize = 1_000_000;
/// Values listed per facet unless the request says otherwise.
pub const DEFAULT_FACET_LIMIT: usize = 10;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in the query syntax (see docs/GUIDE.md).
    pub query: String,
    /// Only articles about this person, however the name is spelled (`--person`): beside
    /// words, the person is required and the words rank; alone, it is the query.
    pub person: Option<String>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip first (for paging).
    pub offset: usize,
    /// Only articles published at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Only articles published before this time.
    pub to: Option<OffsetDateTime>,
    /// Snippet length in characters; 0 for no snippets (faster, for batch runs).
    pub snippet_chars: usize,
    /// Order of the hits.
    pub sort: SortOrder,
    /// Facets to count over all matching articles (none: no `facets` in the results).
    pub facets: Vec<FacetField>,
    /// Values listed per facet (years are all listed).
    pub facet_limit: usize,
    /// Bucket width of a date histogram of all matching articles, if wanted.
    pub histogram: Option<Interval>,
    /// Only articles like the one with this id (it excluded), ranked by likeness plus the
    /// query's score; with an empty `query`, every article like it.
    pub similar_to: Option<String>,
    /// How hits are ranked.
    pub ranking: RankingOptions,
    /// Only articles whose field has the value, as `(field, value)`: the field one of
    /// `source`, `place`, `category`, `author`, the value matched as the phrase
    /// `field:"value"` is in a query (serve's `source=` and the like).
    pub filters: Vec<(&'static str, String)>,
}

impl SearchRequest {
    /// A request for the first 10 hits of `query`.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            person: None,
            limit: 10,
            offset: 0,
            from: None,
            to: None,
            snippet_chars: DEFAULT_SNIPPET_CHARS,
            sort: SortOrder::Score,
            facets: Vec::new(),
            facet_limit: DEFAULT_FACET_LIMIT,
            histogram: None,
            similar_to: None,
            ranking: RankingOptions::default(),
            filters: Vec::new(),
        }
    }

    /// A request for the first 10 articles like the one with id `id`.
    pub fn similar_to(id: impl Into<String>) -> SearchRequest {
        SearchRequest {
            similar_to: Some(id.into()),
            ..SearchRequest::new("")
        }
    }

    /// The request's query as it reads in the query syntax, with its person
    /// (`+person:"NAME" (QUERY)`): what its results show as their query.
    pub fn shown_query(&self) -> String {
        match &self.person {
            Some(name) => shown_with_person(&self.query, name),
            None => self.query.clone(),
        }
    }

    /// The query to build from this request's text, person, dates and filters.
    fn spec(&self, text: &str) -> Result<QuerySpec> {
        Ok(
            QuerySpec::new(text, self.person.as_deref(), self.from, self.to)?
                .filtered(&self.filters),
        )
    }
}

/// The answer to a [`SearchRequest`]; this is also the `--json` output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given, with its person (see [`SearchRequest::shown_query`]).
    pub query: String,
    /// How many articles match in all (not only those returned).
    pub total_hits: usize,
    /// Time spent searching and making snippets, in milliseconds.
    pub took_ms: f64,
    /// The returned hits, best first.
    pub hits: Vec<Hit>,
    /// Counts per value of the requested facets, over all matching articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Vec<FacetCounts>>,
    /// The requested date histogram of all matching articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
    /// The article whose relatives were asked for, and the words they were found by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar_to: Option<SimilarTo>,
    /// Words of the query the index does not know, and the words searched instead (see
    /// [`RankingOptions`]' `correct`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<Correction>,
    /// Spellings of words of a `person:` name searched too because the archive shows them to
    /// be the same name (see `fahras aliases suggest`), at a lower weight.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discovered: Vec<DiscoveredSpelling>,
}

/// One matching article.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit {
    /// 1-based rank, counting from the first hit of the whole result (offset included).
    pub rank: usize,
    /// Article id.
    pub id: String,
    /// File the article came from, relative to the ingested folder.
    pub path: String,
    /// Headline.
    pub title: String,
    /// Relevance score (higher is better; comparable only within one query).
    pub score: f32,
    /// Publication date as RFC 3339 in UTC, when known.
    pub date: Option<String>,
    /// Publisher or agency.
    pub source: Option<String>,
    /// Dateline place.
    pub place: Option<String>,
    /// Category or section.
    pub category: Option<String>,
    /// Address of the original.
    pub url: Option<String>,
    /// The best passage of the article text with the matching words highlighted.
    pub snippet: Snippet,
    /// The headline's matching words, in characters of `title`.
    pub title_highlights: Vec<Highlight>,
    /// The distinct words of the headline and text that matched the query, as the article
    /// writes them (which spelling of a name it uses); empty when snippets are off.
    #[serde(default)]
    pub matched_terms: Vec<String>,
}

/// A request's query, what it is similar to (for `similar_to`), and the words of a plain
/// query for the second ranking stage.
type RequestQuery = (Box<dyn Query>, Option<SimilarTo>, Option<QueryWords>);

impl FahrasIndex {
    /// Runs a search on the last committed state of the index.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader()?.searcher();
        self.search_with(&searcher, request)
    }

    /// Runs a search with a searcher the caller keeps (to reuse one reader across queries).
    pub fn search_with(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> Result<SearchResults> {
        let started = Instant::now();
        // building the query, the first stage and the reranking read the same words
        term_memo::during_search(|| self.run_search(searcher, request, started))
    }

    /// [`Self::search_with`], from `started`.
    fn run_search(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        started: Instant,
    ) -> Result<SearchResults> {
        let (query, similar_to, words) = self.request_query(searcher, request)?;
        let mut corrected = words
            .as_ref()
            .map(|words| words.corrections.clone())
            .unwrap_or_default();
        let discovered = words
            .as_ref()
            .map(|words| words.discovered.clone())
            .unwrap_or_default();
        let offset = request.offset.min(MAX_OFFSET);
        let wanted = offset + request.limit.clamp(1, MAX_LIMIT);
        let ranking = &request.ranking;
        // The second stage scores plain queries (not similarity); it reorders only by score.
        let rerank_words = words.filter(|_| ranking.rerank);
        let by_score = request.sort == SortOrder::Score;
        let first_stage = match rerank_words {
            Some(_) if by_score => wanted.max(RERANK_WINDOW),
            _ => wanted,
        };
        let over_all_matches = (
            Count,
            (!request.facets.is_empty())
                .then(|| FacetsCollector::new(&request.facets, request.facet_limit)),
            request.histogram.map(DateHistogramCollector::new),
        );
        // in relevance order with nothing counted beside, a plain query's union is pruned
        let pruned = match (by_score, &over_all_matches) {
            (true, (_, None, None)) => {
                rank::top_union::top_and_count(searcher, query.as_ref(), first_stage)?
            }
            _ => None,
        };
        let (mut top, (total_hits, facets, histogram)) = match pruned {
            Some((top, total_hits)) => (top, (total_hits, None, None)),
            None => rank::sort::search_in_order(
                searcher,
                query.as_ref(),
                TopDocs::with_limit(first_stage),
                request.sort,
                over_all_matches,
            )?,
        };
        if let Some(words) = &rerank_words {
            let fields = self.fields();
            if by_score {
                let window = top
                    .len()
                    .min(wanted.max(RERANK_WINDOW))
                    .min(MAX_RERANK_WINDOW);
                rescore(searcher, fields, words, ranking, &mut top[..window])?;
                top[..window].sort_by(|a, b| b.0.total_cmp(&a.0));
            } else {
                // Date order stays; the shown hits get the same scores as in score order.
                let page_start = offset.min(top.len());
                rescore(searcher, fields, words, ranking, &mut top[page_start..])?;
            }
        }
        let page = top.into_iter().skip(offset).take(wanted - offset);
        let terms = self.query_terms(query.as_ref());
        let mut hits = Vec::with_capacity(request.limit.min(MAX_LIMIT));
        if request.limit > 0 {
            for (i, (score, address)) in page.enumerate() {
                let doc: TantivyDocument = searcher.doc(address)?;
                let article = document_to_article(self.fields(), &doc);
                let (snippet, title_highlights, matched_terms) = if request.snippet_chars == 0 {
                    (Snippet::default(), Vec::new(), Vec::new())
                } else {
                    let title_ranges = matching_ranges(&article.title, &terms);
                    let body_ranges = matching_ranges(&article.body, &terms);
                    (
                        snippet_of_ranges(&article.body, &body_ranges, request.snippet_chars),
                        snippet_of_ranges(&article.title, &title_ranges, usize::MAX).highlights,
                        matched_words(&[
                            (&article.title, &title_ranges),
                            (&article.body, &body_ranges),
                        ]),
                    )
                };
                hits.push(Hit {
                    rank: offset + i + 1,
                    snippet,
                    title_highlights,
                    matched_terms,
                    id: article.id,
                    path: article.path,
                    title: article.title,
                    score,
                    date: article.date.and_then(|d| d.format(&Rfc3339).ok()),
                    source: article.source,
                    place: article.place,
                    category: article.category,
                    url: article.url,
                });
            }
        }
        query::spelling::find_as_written(&mut corrected, &hits);
        Ok(SearchResults {
            query: request.shown_query(),
            total_hits,
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
            hits,
            facets,
            histogram,
            similar_to,
            corrected,
            discovered,
        })
    }

    /// How the ranking reads `query`: its free-text words with the stems each looks up
    /// (readings checked against this index's vocabulary) and the stop words left out.
    pub fn analyze_query(&self, query: &str, options: QueryWordOptions) -> Result<QueryWords> {
        query::query_check::check_query(query)?;
        let searcher = self.reader()?.searcher();
        let fields = self.fields();
        // read leniently, as `query_words` reads a text the grammar refuses
        let (mut tree, _) = tantivy_query_grammar::parse_query_lenient(query);
        let corrections = if options.correct {
            query::spelling::correct_tree(&searcher, fields, &mut tree)
        } else {
            Vec::new()
        };
        let mut words = query::query_words::words_of_tree(
            &tree,
            &searcher,
            &[fields.title, fields.body],
            options,
        );
        words.corrections = corrections;
        Ok(words)
    }

    /// The query of a request with, for a plain query, its words for the second ranking
    /// stage: the user's query (widened with attested readings of its words), or articles
    /// like `similar_to` (matching the user's query too when there is one).
    fn request_query(&self, searcher: &Searcher, request: &SearchRequest) -> Result<RequestQuery> {
        query::query_check::check_query(&request.query)?;
        if let Some(name) = &request.person {
            query::query_check::check_query(name)?;
        }
        let Some(id) = &request.similar_to else {
            let spec = request.spec(&request.query)?;
            let (query, words) =
                query::build::matching_query(self, searcher, &spec, &request.ranking)?;
            return Ok((query, None, Some(words)));
        };
        let similar = similar::similarity_query(self, searcher, id)?;
        let matching = |text: &str| {
            let spec = request.spec(text)?;
            let (query, _) = query::build::matching_query(self, searcher, &spec, &request.ranking)?;
            Ok::<_, crate::Error>(query)
        };
        let about_anything = request.person.is_none() && request.filters.is_empty();
        let filter: Box<dyn Query> = if request.query.trim().is_empty() && about_anything {
            // Every article (within the dates), adding nothing to the score.
            Box::new(ConstScoreQuery::new(matching("*")?, 0.0))
        } else {
            matching(&request.query)?
        };
        let query = BooleanQuery::new(vec![(Occur::Must, filter), (Occur::Must, similar.query)]);
        Ok((Box::new(query), Some(similar.about), None))
    }

    /// The terms a query looks up in the text fields: its words (a stem searches as the
    /// words sharing it), and the compound names written apart as name terms.
    pub(crate) fn query_terms(&self, query: &dyn Query) -> QueryTerms {
        let fields = self.fields();
        let mut terms = QueryTerms::default();
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(text) = value.as_str() else {
                return;
            };
            let field = term.field();
            if field == fields.title || field == fields.body {
                terms.exact.insert(text.to_string());
            } else if field == fields.compound {
                // a compound name written apart: its two words as one
                terms.names.insert(name_term(text));
            }
        });
        terms
    }
}
