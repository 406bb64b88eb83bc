//! fahras (فهرس, "index"): a search engine for folders of Arabic news articles.
//!
//! The library is what the `fahras` command line drives, and can be used on its own:
//!
//! ```no_run
//! use fahras::{FahrasIndex, IngestOptions, SearchRequest};
//! # fn main() -> fahras::Result<()> {
//! let index = FahrasIndex::open_or_create("my-index".as_ref())?;
//! index.ingest("articles".as_ref(), &IngestOptions::default(), &mut |skip| {
//!     eprintln!("{}", skip.reason)
//! })?;
//! let results = index.search(&SearchRequest::new("لافروف"))?;
//! for hit in results.hits {
//!     println!("{} {}", hit.rank, hit.title);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Data flows one way: [`corpus`] (files → articles) → [`analysis`] (text → terms) →
//! [`index`]; a query goes through [`search`] and out through [`output`] (or, for the search
//! page and HTTP API, [`serve`]).

pub mod analysis;
pub mod corpus;
pub mod error;
pub mod export;
pub mod index;
pub mod output;
pub mod search;
pub mod serve;

pub use corpus::Article;
pub use error::{Error, Result};
pub use index::{DEFAULT_INDEX_DIR, FahrasIndex, IndexStats, IngestOptions, IngestReport};
pub use search::{Hit, SearchRequest, SearchResults, Snippet};
