//! The JSON endpoints: parameters in, the library's result types out, errors as
//! `{"error": "…"}` with a status that fits.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tantivy::{IndexReader, Searcher};
use tokio::sync::Semaphore;

use super::{MAX_OFFSET, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_SNIPPET_CHARS};
use crate::error::{Error, Result, Setting};
use crate::index::FahrasIndex;
use crate::search::{
    ArticleView, DEFAULT_FACET_LIMIT, DEFAULT_SNIPPET_CHARS, FacetField, Interval, QueryTerms,
    RankingOptions, SearchRequest, SearchResults, SortOrder, date_range,
};

/// The index and the one reader every request searches with.
pub(super) struct AppState {
    index: FahrasIndex,
    reader: IndexReader,
    /// Searches run on blocking threads; this bounds how many at once, so a burst of requests
    /// queues instead of starting hundreds of threads on a small machine.
    searches: Semaphore,
}

impl AppState {
    pub(super) fn new(index: FahrasIndex) -> Result<AppState> {
        let reader = index.live_reader()?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(AppState {
            index,
            reader,
            searches: Semaphore::new(2 * cores),
        })
    }

    /// Runs `job` with the current searcher on a blocking thread.
    async fn with_searcher<T, F>(self: &Arc<Self>, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&FahrasIndex, &Searcher) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .searches
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("the server is shutting down".into()))?;
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let searcher = state.reader.searcher();
            job(&state.index, &searcher)
        })
        .await
        .map_err(|e| ApiError::internal(format!("the search failed: {e}")))?
    }
}

/// An error answer: a status and a one-line message, sent as `{"error": message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong and what to do, in the words of the CLI's messages.
    pub message: String,
}

impl ApiError {
    fn bad_request(message: String) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message,
        }
    }

    fn unavailable(message: String) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message,
        }
    }

    fn internal(message: String) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let status = match error {
            Error::QuerySyntax { .. }
            | Error::QueryTooDeep { .. }
            | Error::QueryTooLong { .. }
            | Error::WordTooLong { .. }
            | Error::EmptyQuery
            | Error::UnknownField { .. }
            | Error::BadDate { .. }
            | Error::EmptyDateRange { .. } => StatusCode::BAD_REQUEST,
            Error::ArticleNotFound { .. } => StatusCode::NOT_FOUND,
            Error::IndexMissing { .. }
            | Error::IncompatibleIndex { .. }
            | Error::OldIndexFormat { .. }
            | Error::IndexBusy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: error.worded(&parameter),
        }
    }
}

/// How the API's messages name a setting: the request's parameter where it has one.
fn parameter(setting: Setting) -> &'static str {
    match setting {
        Setting::DateRange => "the from= and to= parameters",
        other => other.library_name(),
    }
}

impl From<QueryRejection> for ApiError {
    /// An unknown or repeated parameter: `name: unknown field …, expected one of …`.
    fn from(rejection: QueryRejection) -> ApiError {
        let text = rejection.body_text();
        let detail = text
            .strip_prefix("Failed to deserialize query string: ")
            .unwrap_or(&text);
        ApiError::bad_request(detail.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, Json(body)).into_response()
    }
}

/// `GET /health`: the server is up and can read the index.
pub(super) async fn health(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    let searcher = state.reader.searcher();
    Json(serde_json::json!({
        "status": "ok",
        "documents": searcher.num_docs(),
        "index": state.index.path().display().to_string(),
    }))
}

/// The parameters of `GET /search`, as sent (checked by [`SearchParams::to_request`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchParams {
    q: Option<String>,
    person: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    from: Option<String>,
    to: Option<String>,
    snippet_chars: Option<String>,
    sort: Option<String>,
    facets: Option<String>,
    facet_limit: Option<String>,
    by: Option<String>,
    source: Option<String>,
    place: Option<String>,
    category: Option<String>,
    author: Option<String>,
    correct: Option<String>,
}

impl SearchParams {
    fn to_request(&self) -> Result<SearchRequest, ApiError> {
        let query = match (&self.q, &self.person) {
            (Some(query), None) => query.clone(),
            (query, Some(name)) => {
                check_query_length(name)?;
                query.clone().unwrap_or_default()
            }
            (None, None) => {
                return Err(ApiError::bad_request(
                    "q: missing; give the words to search for, as in /search?q=لافروف \
                     (or a person, as in /search?person=لافروف)"
                        .into(),
                ));
            }
        };
        check_query_length(&query)?;
        let (from, to) = date_range(
            ("from", non_empty(self.from.as_deref())),
            ("to", non_empty(self.to.as_deref())),
        )?;
        Ok(SearchRequest {
            query,
            person: self.person.clone(),
            limit: number("limit", self.limit.as_deref(), 10, MAX_PAGE_SIZE)?,
            offset: number("offset", self.offset.as_deref(), 0, MAX_OFFSET)?,
            from,
            to,
            snippet_chars: number(
                "snippet_chars",
                self.snippet_chars.as_deref(),
                DEFAULT_SNIPPET_CHARS,
                MAX_SNIPPET_CHARS,
            )?,
            sort: named("sort", self.sort.as_deref(), &SORT_ORDERS)?.unwrap_or_default(),
            facets: facet_list(self.facets.as_deref())?,
            facet_limit: number(
                "facet_limit",
                self.facet_limit.as_deref(),
                DEFAULT_FACET_LIMIT,
                MAX_PAGE_SIZE,
            )?,
            histogram: named("by", self.by.as_deref(), &INTERVALS)?,
            similar_to: None,
            ranking: {
                let mut ranking = RankingOptions::default();
                ranking.words.correct = flag("correct", self.correct.as_deref(), true)?;
                ranking
            },
            filters: self.filters()?,
        })
    }

    /// The metadata filters given, as `(field, value)`.
    fn filters(&self) -> Result<Vec<(&'static str, String)>, ApiError> {
        let given = [
            ("source", &self.source),
            ("place", &self.place),
            ("category", &self.category),
            ("author", &self.author),
        ];
        let mut filters = Vec::new();
        for (field, value) in given {
            let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            // The value becomes a phrase of the query syntax: no quotes or escapes inside.
            let phrase = value.replace(['"', '\\'], " ");
            if phrase.trim().is_empty() || phrase.chars().count() > MAX_QUERY_CHARS {
                return Err(ApiError::bad_request(format!(
                    "{field}: `{value}` is not a value to filter by"
                )));
            }
            filters.push((field, phrase.trim().to_string()));
        }
        Ok(filters)
    }
}

/// `sort=` values, as `fahras query --sort` names them.
const SORT_ORDERS: [(&str, SortOrder); 3] = [
    ("score", SortOrder::Score),
    ("date", SortOrder::Newest),
    ("date-asc", SortOrder::Oldest),
];

/// `by=` values, as `fahras query --by` names them.
const INTERVALS: [(&str, Interval); 3] = [
    ("day", Interval::Day),
    ("month", Interval::Month),
    ("year", Interval::Year),
];

/// One of a parameter's named values; `None` when absent or empty.
fn named<T: Copy>(
    name: &str,
    value: Option<&str>,
    choices: &[(&str, T)],
) -> Result<Option<T>, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    match choices.iter().find(|(n, _)| *n == value.trim()) {
        Some(&(_, choice)) => Ok(Some(choice)),
        None => {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            Err(ApiError::bad_request(format!(
                "{name}: `{value}` is not one of {}",
                names.join(", ")
            )))
        }
    }
}

/// `facets=source,year`.
fn facet_list(value: Option<&str>) -> Result<Vec<FacetField>, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(|name| {
            FacetField::from_name(name.trim()).ok_or_else(|| {
                let names: Vec<&str> = FacetField::ALL.iter().map(|f| f.name()).collect();
                ApiError::bad_request(format!(
                    "facets: `{name}` is not one of {}",
                    names.join(", ")
                ))
            })
        })
        .collect()
}

fn check_query_length(query: &str) -> Result<(), ApiError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "q: the query has {chars} characters; the most is {MAX_QUERY_CHARS}"
        )));
    }
    Ok(())
}

/// A whole number in `0..=max`; `default` when the parameter is absent or empty.
fn number(name: &str, value: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    match value.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(ApiError::bad_request(format!(
            "{name}: `{value}` is not a whole number from 0 to {max}"
        ))),
    }
}

/// `1`/`true` or `0`/`false`; `default` when the parameter is absent or empty.
fn flag(name: &str, value: Option<&str>, default: bool) -> Result<bool, ApiError> {
    match non_empty(value).map(str::trim) {
        None => Ok(default),
        Some("1" | "true") => Ok(true),
        Some("0" | "false") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!(
            "{name}: `{other}` is not 1 or 0"
        ))),
    }
}

/// A parameter's value; `None` when absent or empty (as an empty form field sends).
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// `GET /search`: the same JSON as `fahras query --json`.
pub(super) async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let params = params?.0;
    run_search(&state, params.to_request()?).await
}

/// `GET /similar/{id}`: articles like that one, as `fahras similar ID --json` (the same
/// parameters as `/search`; `q`, when given, must match too).
pub(super) async fn similar(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, ApiError> {
    let mut params = params?.0;
    params.q.get_or_insert_default();
    let request = SearchRequest {
        similar_to: Some(id),
        ..params.to_request()?
    };
    run_search(&state, request).await
}

/// Runs a search on the server's index.
async fn run_search(
    state: &Arc<AppState>,
    request: SearchRequest,
) -> Result<Json<SearchResults>, ApiError> {
    let results = state
        .with_searcher(move |index, searcher| Ok(index.search_with(searcher, &request)?))
        .await?;
    Ok(Json(results))
}

/// The parameters of `GET /doc/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticleParams {
    q: Option<String>,
}

/// `GET /doc/{id}`: the whole article, with the words of `q` (when given) highlighted.
pub(super) async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Result<Query<ArticleParams>, QueryRejection>,
) -> Result<Json<ArticleView>, ApiError> {
    let query = params?.0.q.filter(|q| !q.trim().is_empty());
    if let Some(query) = &query {
        check_query_length(query)?;
    }
    state
        .with_searcher(move |index, searcher| {
            let terms = match &query {
                Some(query) => index.highlight_terms(query)?,
                None => QueryTerms::default(),
            };
            let article = index.article(searcher, &id)?;
            Ok(Json(ArticleView::new(article, &terms)))
        })
        .await
}

/// The parameters of `GET /person`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonParams {
    name: Option<String>,
}

/// `GET /person?name=…`: the person's card (the JSON of `fahras person --json`).
pub(super) async fn person(
    State(state): State<Arc<AppState>>,
    params: Result<Query<PersonParams>, QueryRejection>,
) -> Result<Json<crate::search::PersonCard>, ApiError> {
    let Some(name) = params?.0.name.filter(|n| !n.trim().is_empty()) else {
        return Err(ApiError::bad_request(
            "name: give the name of a person (/person?name=…)".into(),
        ));
    };
    check_query_length(&name)?;
    state
        .with_searcher(move |index, _| Ok(Json(index.person_card(&name)?)))
        .await
}

/// Any other path.
pub(super) async fn not_found(uri: Uri) -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: format!(
            "no such page: {}; the API is GET /search?q=…, /doc/ID, /similar/ID, /health",
            uri.path()
        ),
    }
}

/// A known path with a method other than GET.
pub(super) async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "only GET is supported".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut params = SearchParams::default();
        for &(name, value) in pairs {
            let slot = match name {
                "q" => &mut params.q,
                "limit" => &mut params.limit,
                "offset" => &mut params.offset,
                "from" => &mut params.from,
                "to" => &mut params.to,
                "sort" => &mut params.sort,
                "facets" => &mut params.facets,
                "by" => &mut params.by,
                "source" => &mut params.source,
                "correct" => &mut params.correct,
                _ => &mut params.snippet_chars,
            };
            *slot = Some(value.to_string());
        }
        params
    }

    #[test]
    fn parameters_become_a_request_with_the_cli_defaults() {
        let request = params(&[("q", "لافروف"), ("from", ""), ("to", "2023-07-24")])
            .to_request()
            .unwrap();
        assert_eq!((request.limit, request.offset), (10, 0));
        assert_eq!(request.snippet_chars, DEFAULT_SNIPPET_CHARS);
        assert!(request.from.is_none());
        assert_eq!(request.to.unwrap().day(), 25, "`to` covers the whole day");
    }

    #[test]
    fn limits_are_enforced_with_a_message_naming_the_parameter() {
        let error = |pairs: &[(&str, &str)]| params(pairs).to_request().unwrap_err();
        let too_many = error(&[("q", "x"), ("limit", "101")]);
        assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
        assert!(
            too_many.message.starts_with("limit: `101`"),
            "{}",
            too_many.message
        );
        assert!(
            error(&[("q", "x"), ("offset", "-1")])
                .message
                .starts_with("offset:")
        );
        assert!(
            error(&[("q", "x"), ("from", "أمس")])
                .message
                .starts_with("from:")
        );
        assert!(error(&[]).message.starts_with("q: missing"));
        let long = "لافروف ".repeat(200);
        assert!(error(&[("q", &long)]).message.contains("1400 characters"));
    }

    #[test]
    fn topic_parameters_use_the_cli_names() {
        let request = params(&[("q", "x"), ("sort", "date-asc"), ("facets", "source, year")])
            .to_request()
            .unwrap();
        assert_eq!(request.sort, SortOrder::Oldest);
        assert_eq!(request.facets, [FacetField::Source, FacetField::Year]);
        let error = |pairs: &[(&str, &str)]| params(pairs).to_request().unwrap_err().message;
        assert_eq!(
            error(&[("q", "x"), ("sort", "newest")]),
            "sort: `newest` is not one of score, date, date-asc"
        );
        assert!(error(&[("q", "x"), ("facets", "title")]).starts_with("facets: `title`"));
        assert!(error(&[("q", "x"), ("by", "week")]).starts_with("by: `week`"));
    }

    /// Regression: a range ending before it starts answered 200 with no hits.
    #[test]
    fn a_date_range_ending_before_it_starts_is_a_bad_request() {
        let error = params(&[("q", "x"), ("from", "2017-02-01"), ("to", "2017-01-01")])
            .to_request()
            .unwrap_err();
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        assert!(
            error
                .message
                .starts_with("to 2017-01-01 is before from 2017-02-01"),
            "{}",
            error.message
        );
    }

    #[test]
    fn correct_turns_spelling_correction_off() {
        let on = params(&[("q", "x")]).to_request().unwrap();
        assert!(on.ranking.words.correct);
        let off = params(&[("q", "x"), ("correct", "0")])
            .to_request()
            .unwrap();
        assert!(!off.ranking.words.correct);
        let bad = params(&[("q", "x"), ("correct", "no")])
            .to_request()
            .unwrap_err();
        assert_eq!(bad.message, "correct: `no` is not 1 or 0");
    }

    #[test]
    fn filters_are_phrases_without_quotes() {
        let filters = params(&[("source", "Jawhara \"FM\"")]).filters().unwrap();
        assert_eq!(filters, [("source", "Jawhara  FM".to_string())]);
        assert!(params(&[("source", "\"")]).filters().is_err());
    }

    #[test]
    fn library_errors_map_to_statuses() {
        let syntax = Error::QuerySyntax {
            query: "\"".into(),
            position: 1,
            message: "unclosed quote".into(),
        };
        assert_eq!(ApiError::from(syntax).status, StatusCode::BAD_REQUEST);
        let missing = Error::IndexMissing { path: "idx".into() };
        assert_eq!(
            ApiError::from(missing).status,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }
}
