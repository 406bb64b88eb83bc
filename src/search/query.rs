//! Turning what the user typed into a tantivy query.
//!
//! The syntax is tantivy's query parser: words, `"phrases"`, `+must`, `-not`, `field:term`,
//! `AND`/`OR`. A bare word searches the headline and the text, each in an exact field (the
//! word as written, normalized) and a stemmed field (clitics and suffixes removed); exact
//! matches weigh more, so `لافروف` ranks articles with that exact spelling above `للافروف`.

use std::ops::Bound;
use std::sync::OnceLock;

use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Searcher, Term};
use time::OffsetDateTime;

use super::person::{NameLookup, PersonClause, extract_person_clauses, widen_with_variants};
use super::query_check::{check_fields, check_query, syntax_error, unknown_field};
use super::query_words::{QueryWordOptions, QueryWords, query_words};
use super::spelling::correct_query_if;
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::analysis::{light_stem, query_tokenizers};
use crate::error::{Error, Result};
use crate::index::FahrasIndex;
use crate::index::aliases::Aliases;

/// Boost of each default field: exact matches weigh 1.2× stemmed ones. The headline is
/// scored as a field of its own, so a word in the headline and the text counts twice; a
/// higher headline boost measured worse on ARCD (MRR@10 with title exact/stem, body
/// exact/stem boosts 2.0/1.5/1.3/1.0: 0.774; these: 0.781; all 1.0: 0.782).
pub(crate) const TITLE_EXACT_BOOST: f32 = 1.2;
pub(crate) const TITLE_STEM_BOOST: f32 = 1.0;
pub(crate) const BODY_EXACT_BOOST: f32 = 1.2;
pub(crate) const BODY_STEM_BOOST: f32 = 1.0;

/// Builds the query for `text`, restricted to `[from, to]` when dates are given.
pub fn build_query(
    index: &FahrasIndex,
    text: &str,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> Result<Box<dyn Query>> {
    check_query(text)?;
    let (rest, persons) = extract_person_clauses(text);
    let user_query = if persons.is_empty() {
        parse_user_query(index, text)?.0
    } else {
        let searcher = index.reader()?.searcher();
        let options = QueryWordOptions {
            name_variants: false,
            ..QueryWordOptions::default()
        };
        user_query(index, &searcher, &rest, &persons, options, false)?.0
    };
    Ok(restrict_to_dates(index, user_query, from, to))
}

/// The query of the user's text split into `rest` and its `person:` clauses, with the words
/// the second ranking stage scores: `rest` parsed (widened with the attested readings and the
/// name variants of its words when `widen`), and each person clause (see `person`).
pub(crate) fn user_query(
    index: &FahrasIndex,
    searcher: &Searcher,
    rest: &str,
    persons: &[PersonClause],
    options: QueryWordOptions,
    widen: bool,
) -> Result<(Box<dyn Query>, QueryWords)> {
    check_query(rest)?;
    let fields = index.fields();
    let aliases = Aliases::load(index.path())?;
    let names = NameLookup::new(searcher, fields, &aliases);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut words = QueryWords::default();
    let rest_is_empty = rest
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '(' | ')' | '+' | '-'));
    // `person:X -Y`: the rest only excludes, which tantivy refuses alone; it filters the person.
    let rest_filters = !rest_is_empty
        && persons.iter().any(|p| p.occur != Occur::MustNot)
        && only_exclusions(rest);
    if !rest_is_empty || persons.is_empty() {
        let (rest, corrections) = correct_query_if(options.correct, searcher, fields, rest);
        let rest = rest.as_str();
        let (parsed, parsed_text) = if rest_filters {
            // every clause excluded: the parentheses group nothing (a group of exclusions
            // alone would exclude nothing)
            parse_user_query(index, &format!("* {}", rest.replace(['(', ')'], " ")))?
        } else {
            parse_user_query(index, rest)?
        };
        words = query_words(
            &parsed_text,
            searcher,
            &[fields.title, fields.body],
            options,
        );
        words.corrections = corrections;
        if options.name_variants {
            names.add_plain_variants(&mut words)?;
        }
        let parsed = if widen {
            let parsed = widen_with_readings(index, parsed, &words);
            widen_with_variants(fields.name, parsed, &words)
        } else {
            parsed
        };
        let occur = if rest_filters {
            Occur::Must
        } else {
            Occur::Should
        };
        clauses.push((occur, parsed));
    }
    for person in persons {
        let (query, person_words) = names.person_query(&person.name)?;
        if person.occur != Occur::MustNot {
            words.words.extend(person_words);
        }
        // beside a rest that only filters, a person is what the query looks for
        let occur = match person.occur {
            Occur::Should if rest_filters => Occur::Must,
            occur => occur,
        };
        words.has_required_clauses |= occur != Occur::Should;
        clauses.push((occur, query));
    }
    if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
        return Err(Error::QuerySyntax {
            query: rest.to_string(),
            position: 1,
            message: "the query only excludes; give words or a person to search for".into(),
        });
    }
    let query = match clauses.len() {
        1 => clauses.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    Ok((query, words))
}

/// True when every clause of `text` is excluded (`-موسكو -"وزير الخارجية"`): each word or
/// quoted phrase outside quotes and parentheses starts with `-`.
fn only_exclusions(text: &str) -> bool {
    let mut in_quotes = false;
    let mut at_start = true;
    for c in text.chars() {
        if in_quotes {
            in_quotes = c != '"';
            continue;
        }
        if c.is_whitespace() || matches!(c, '(' | ')') {
            at_start = true;
            continue;
        }
        if at_start && c != '-' {
            return false;
        }
        at_start = false;
        in_quotes = c == '"';
    }
    true
}

/// `query`, restricted to articles dated in `[from, to)` when either bound is given.
pub(crate) fn restrict_to_dates(
    index: &FahrasIndex,
    query: Box<dyn Query>,
    from: Option<OffsetDateTime>,
    to: Option<OffsetDateTime>,
) -> Box<dyn Query> {
    if from.is_none() && to.is_none() {
        return query;
    }
    let date_field = index.fields().date;
    let bound = |value: Option<OffsetDateTime>, inclusive: bool| match value {
        None => Bound::Unbounded,
        Some(t) => {
            let term = Term::from_field_date(date_field, DateTime::from_utc(t));
            if inclusive {
                Bound::Included(term)
            } else {
                Bound::Excluded(term)
            }
        }
    };
    let range = RangeQuery::new(bound(from, true), bound(to, false));
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(range)),
    ]))
}

/// `query`, also matching the attested readings of its words that the parser's one stem
/// per word missed (`لكندا` → كندا). Only a query of alternatives (plain words, no `+`, `-`
/// or AND at its top level) is widened: adding alternatives beside required or excluded
/// clauses would change what those clauses mean.
pub(crate) fn widen_with_readings(
    index: &FahrasIndex,
    query: Box<dyn Query>,
    words: &QueryWords,
) -> Box<dyn Query> {
    let fields = index.fields();
    let mut readings: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words.words.iter().filter(|w| w.alone) {
        let primary = light_stem(&word.exact);
        for stem in word.stems.iter().filter(|s| s.as_str() != primary) {
            for (field, boost) in [
                (fields.title_stem, TITLE_STEM_BOOST),
                (fields.body_stem, BODY_STEM_BOOST),
            ] {
                let term = Term::from_field_text(field, stem);
                let term_query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                readings.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term_query), boost)),
                ));
            }
        }
    }
    if readings.is_empty() || words.has_required_clauses {
        return query;
    }
    readings.insert(0, (Occur::Should, query));
    Box::new(BooleanQuery::new(readings))
}

/// The query analyzers, built once per process: building them (and their stop-word set) for
/// every query would put that work on the query path.
fn cached_query_tokenizers(drop_stop_words: bool) -> TokenizerManager {
    static DROPPING: OnceLock<TokenizerManager> = OnceLock::new();
    static KEEPING: OnceLock<TokenizerManager> = OnceLock::new();
    let manager = if drop_stop_words {
        DROPPING.get_or_init(|| query_tokenizers(QUERY_STOP_WORDS))
    } else {
        KEEPING.get_or_init(|| query_tokenizers(&[]))
    };
    manager.clone()
}

fn query_parser(index: &FahrasIndex, drop_stop_words: bool) -> QueryParser {
    let fields = index.fields();
    let defaults: [(Field, f32); 4] = [
        (fields.title, TITLE_EXACT_BOOST),
        (fields.title_stem, TITLE_STEM_BOOST),
        (fields.body, BODY_EXACT_BOOST),
        (fields.body_stem, BODY_STEM_BOOST),
    ];
    let mut parser = QueryParser::new(
        index.tantivy().schema(),
        defaults.iter().map(|&(field, _)| field).collect(),
        cached_query_tokenizers(drop_stop_words),
    );
    for (field, boost) in defaults {
        parser.set_field_boost(field, boost);
    }
    parser
}

/// Parses the user's query. A colon after an Arabic word (`لافروف: إن …`, pasted from an
/// article) is punctuation, not a field name; an unknown Latin field name is an error.
pub(crate) fn parse_user_query(
    index: &FahrasIndex,
    text: &str,
) -> Result<(Box<dyn Query>, String)> {
    if text.trim().is_empty() {
        return Err(Error::EmptyQuery);
    }
    check_query(text)?;
    check_fields(text)?;
    let mut text = text.to_string();
    // Each round removes one colon or stops, so this ends.
    loop {
        match parse_dropping_stop_words(index, &text) {
            Ok(query) => return Ok((query, text)),
            Err(QueryParserError::FieldDoesNotExist(field))
                if !field.is_ascii() && text.contains(&format!("{field}:")) =>
            {
                text = text.replacen(&format!("{field}:"), &format!("{field} "), 1);
            }
            Err(QueryParserError::FieldDoesNotExist(field)) => {
                return Err(unknown_field(&field));
            }
            Err(error) => return Err(syntax_error(&text, &error.to_string())),
        }
    }
}

/// Parses without stop words; a query of nothing but stop words (`من هو`) is parsed with them.
fn parse_dropping_stop_words(
    index: &FahrasIndex,
    text: &str,
) -> Result<Box<dyn Query>, QueryParserError> {
    match query_parser(index, true).parse_query(text) {
        Ok(query) if has_terms(query.as_ref()) => Ok(query),
        _ => query_parser(index, false).parse_query(text),
    }
}

fn has_terms(query: &dyn Query) -> bool {
    let mut any = false;
    query.query_terms(&mut |_, _| any = true);
    any
}
