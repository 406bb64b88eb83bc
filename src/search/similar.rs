//! Related articles ("more like this"): the words that characterize an article, searched by
//! their stems in every other article.
//!
//! The article's stored headline and text are analyzed again with the query-time stemmed
//! analyzer (stop words dropped). Each stem is weighted by
//! how often the article uses it (headline words twice) times its BM25 idf; stems no other
//! article has, numbers, one-letter stems and very common stems are left out, and the best
//! [`MAX_KEY_TERMS`] become a disjunction whose clauses are boosted by their weight. The
//! article itself is excluded.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::query::build::stem_query;
use super::surface::SurfaceForms;
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::analysis::{StemMode, TextStems};
use crate::corpus::Article;
use crate::error::{Error, Result};
use crate::index::readings::union_doc_freq;
use crate::index::{FahrasIndex, Readings, document_to_article};

/// Most stems a similarity query searches for.
pub const MAX_KEY_TERMS: usize = 25;
/// Stems found in more than this share of the articles say little about a topic.
const MAX_DOC_SHARE: f64 = 0.5;
/// A headline word counts this many times as a word of the text.
const TITLE_WEIGHT: u32 = 2;

/// The article a search was asked to find relatives of, and the words it was matched by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarTo {
    /// Its id.
    pub id: String,
    /// Its headline.
    pub title: String,
    /// The words searched for, most characteristic first, as the article wrote them.
    pub terms: Vec<String>,
}

/// A similarity query and what it was built from.
pub(crate) struct SimilarityQuery {
    /// Matches articles sharing key stems with the article, excluding the article itself.
    pub query: Box<dyn Query>,
    /// The article and its key terms, for the results.
    pub about: SimilarTo,
}

/// Looks up an article by id: its address and stored fields.
pub(crate) fn find_article(
    index: &FahrasIndex,
    searcher: &Searcher,
    id: &str,
) -> Result<(DocAddress, Article)> {
    let term = Term::from_field_text(index.fields().id, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, address)) = top.first() else {
        return Err(Error::ArticleNotFound {
            id: id.to_string(),
            index: index.path().to_path_buf(),
        });
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok((address, document_to_article(index.fields(), &doc)))
}

/// Builds the query for articles like the one with id `id`.
pub(crate) fn similarity_query(
    index: &FahrasIndex,
    searcher: &Searcher,
    id: &str,
) -> Result<SimilarityQuery> {
    let (_, article) = find_article(index, searcher, id)?;
    let fields = index.fields();
    let readings = Readings::of(searcher, fields)?;
    let (frequencies, forms) = stem_frequencies(&article);
    let total_docs = searcher.num_docs().max(1) as f64;
    let mut weighted = Vec::new();
    for (stem, frequency) in frequencies {
        if stem.chars().count() < 2 || stem.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let doc_freq = union_doc_freq(searcher, fields.body, &readings.stem_words(&stem))?;
        // Only the article itself has it, or nearly every article does.
        if doc_freq < 2 || doc_freq as f64 > MAX_DOC_SHARE * total_docs {
            continue;
        }
        let idf = (1.0 + (total_docs - doc_freq as f64 + 0.5) / (doc_freq as f64 + 0.5)).ln();
        weighted.push((stem, f64::from(frequency) * idf));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(MAX_KEY_TERMS);

    let best = weighted.first().map_or(1.0, |(_, weight)| *weight);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (stem, weight) in &weighted {
        for field in [fields.body, fields.title] {
            let Some(query) = stem_query(searcher, &readings, field, stem)? else {
                continue;
            };
            let boost = (weight / best) as f32;
            clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
        }
    }
    let itself = TermQuery::new(
        Term::from_field_text(fields.id, &article.id),
        IndexRecordOption::Basic,
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(clauses))),
        (Occur::MustNot, Box::new(itself)),
    ]);
    let terms = weighted
        .iter()
        .map(|(stem, _)| forms.most_common(stem).to_string())
        .collect();
    Ok(SimilarityQuery {
        query: Box::new(query),
        about: SimilarTo {
            id: article.id,
            title: article.title,
            terms,
        },
    })
}

/// How often each stem occurs in the article (headline words weighing more), stop words
/// left out, with the spellings that gave each stem.
fn stem_frequencies(article: &Article) -> (HashMap<String, u32>, SurfaceForms) {
    let mut stems = TextStems::new(StemMode::Primary, QUERY_STOP_WORDS);
    let mut frequencies: HashMap<String, u32> = HashMap::new();
    let mut forms = SurfaceForms::default();
    for (text, weight) in [(&article.title, TITLE_WEIGHT), (&article.body, 1)] {
        stems.visit(text, |stem, written| {
            *frequencies.entry(stem.to_string()).or_default() += weight;
            forms.add(stem, &text[written]);
        });
    }
    (frequencies, forms)
}
