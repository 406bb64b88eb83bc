//! `fahras person NAME`: what the archive holds about one person — the spellings it writes
//! the name in (with counts), the first and last mention, the articles by month, the
//! datelines, and the words most often written with the name (people, places, posts).

use serde::{Deserialize, Serialize};

use super::family_evidence::scored_context_words;
use super::lookup::{DiscoveredSpelling, NameLookup};
use crate::analysis::name_key::query_name_words;
use crate::error::Result;
use crate::index::FahrasIndex;
use crate::index::aliases::Aliases;
use crate::search::histogram::{Bucket, Interval};
use crate::search::{FacetField, FacetValue, SearchRequest, SortOrder};

/// How many of the person's articles the spellings are counted in (the best ranked).
pub const CARD_ARTICLES: usize = 1_000;

/// Context words listed on a card.
const CARD_CONTEXT_WORDS: usize = 15;

/// One mention of the person: an article and its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication date (RFC 3339, UTC).
    pub date: Option<String>,
}

/// A spelling of the name and the articles writing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpellingCount {
    /// The word as the articles write it.
    pub spelling: String,
    /// Articles writing it (among the [`CARD_ARTICLES`] counted).
    pub articles: u64,
}

/// The person's card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonCard {
    /// The name as typed.
    pub name: String,
    /// Articles about the person (as `query --person NAME` finds them).
    pub articles: u64,
    /// Articles the spellings were counted in (the best ranked, at most [`CARD_ARTICLES`]).
    pub counted: u64,
    /// The words of the name as the articles write them, most written first.
    pub spellings: Vec<SpellingCount>,
    /// Spellings searched because the archive shows them to be the same name.
    pub discovered: Vec<DiscoveredSpelling>,
    /// The oldest dated article.
    pub first_mention: Option<Mention>,
    /// The newest dated article.
    pub last_mention: Option<Mention>,
    /// Articles per month, from the first dated one to the last.
    pub by_month: Vec<Bucket>,
    /// Articles without a date.
    pub undated: u64,
    /// The datelines of the articles, most frequent first.
    pub places: Vec<FacetValue>,
    /// The words the articles write far more often than the archive (other people, places,
    /// posts, organisations), the most telling first.
    pub named_with: Vec<String>,
}

impl FahrasIndex {
    /// The card of the person `name` in this archive (see the module docs).
    pub fn person_card(&self, name: &str) -> Result<PersonCard> {
        let about = SearchRequest {
            person: Some(name.to_string()),
            ..SearchRequest::new("")
        };
        let mut request = about.clone();
        request.limit = CARD_ARTICLES;
        request.histogram = Some(Interval::Month);
        request.facets = vec![FacetField::Place];
        let results = self.search(&request)?;
        let mut spellings: Vec<SpellingCount> = Vec::new();
        for hit in &results.hits {
            for term in &hit.matched_terms {
                match spellings.iter_mut().find(|s| s.spelling == *term) {
                    Some(known) => known.articles += 1,
                    None => spellings.push(SpellingCount {
                        spelling: term.clone(),
                        articles: 1,
                    }),
                }
            }
        }
        spellings.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.spelling.cmp(&b.spelling))
        });
        let mention = |sort: SortOrder| -> Result<Option<Mention>> {
            let mut request = about.clone();
            request.limit = 1;
            request.sort = sort;
            request.snippet_chars = 0;
            let found = self.search(&request)?;
            Ok(found
                .hits
                .into_iter()
                .find(|hit| hit.date.is_some())
                .map(|hit| Mention {
                    id: hit.id,
                    title: hit.title,
                    date: hit.date,
                }))
        };
        let (by_month, undated) = results
            .histogram
            .map(|h| (h.buckets, h.undated))
            .unwrap_or_default();
        let places = results
            .facets
            .and_then(|facets| facets.into_iter().next())
            .map(|facet| facet.values)
            .unwrap_or_default();
        let searcher = self.reader()?.searcher();
        let aliases = Aliases::load(self.path())?;
        let names = NameLookup::new(&searcher, self.fields(), &aliases);
        let (person, _) = names.person_query(name)?;
        let mut words = query_name_words(name);
        words.extend(results.discovered.iter().map(|d| d.spelling.clone()));
        let named_with = scored_context_words(&searcher, self.fields(), person.as_ref(), &words)?
            .into_iter()
            .map(|(word, _)| word)
            .take(CARD_CONTEXT_WORDS)
            .collect();
        Ok(PersonCard {
            name: name.to_string(),
            articles: results.total_hits as u64,
            counted: results.hits.len() as u64,
            spellings,
            discovered: results.discovered,
            first_mention: mention(SortOrder::Oldest)?,
            last_mention: mention(SortOrder::Newest)?,
            by_month,
            undated,
            places,
            named_with,
        })
    }
}
