//! One whole article, looked up by id, with a query's matches highlighted in its headline and
//! text (the search page's article view, `GET /doc/{id}`).

use serde::{Deserialize, Serialize};
use tantivy::Searcher;

use super::similar::find_article;
use super::{Highlight, QuerySpec, QueryTerms, build_query, highlight_all};
use crate::corpus::Article;
use crate::error::Result;
use crate::index::FahrasIndex;

/// An article with every stored field; the JSON of `GET /doc/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleView {
    /// The article: `id`, `path`, `title`, `body` (the whole text as the file wrote it,
    /// paragraphs separated by `\n`), `date` (RFC 3339 in UTC), `date_text`, `source`, `place`,
    /// `category`, `url`, `author`.
    #[serde(flatten)]
    pub article: Article,
    /// The query's matching words in `title`, in characters (Unicode scalar values).
    pub title_highlights: Vec<Highlight>,
    /// The query's matching words in `body`, in characters (Unicode scalar values).
    pub body_highlights: Vec<Highlight>,
}

impl ArticleView {
    /// The article with the words of `terms` highlighted (none when `terms` is empty).
    pub fn new(article: Article, terms: &QueryTerms) -> ArticleView {
        // `highlight_all` swaps line breaks for spaces one character for one, so its
        // highlights are valid offsets into the original text too.
        let title_highlights = highlight_all(&article.title, terms).highlights;
        let body_highlights = highlight_all(&article.body, terms).highlights;
        ArticleView {
            article,
            title_highlights,
            body_highlights,
        }
    }
}

impl FahrasIndex {
    /// The article with this id ([`Error::ArticleNotFound`](crate::Error::ArticleNotFound)
    /// when the index holds none).
    pub fn article(&self, searcher: &Searcher, id: &str) -> Result<Article> {
        Ok(find_article(self, searcher, id)?.1)
    }

    /// The terms `query` looks up, for highlighting them in any text (an error when the query
    /// does not parse).
    pub fn highlight_terms(&self, query: &str) -> Result<QueryTerms> {
        let parsed = build_query(self, &QuerySpec::new(query, None, None, None)?)?;
        Ok(self.query_terms(parsed.as_ref()))
    }
}
