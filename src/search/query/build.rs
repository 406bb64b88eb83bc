//! Turning what the user typed into a tantivy query.
//!
//! The syntax is tantivy's query parser: words, `"phrases"`, `+must`, `-not`, `field:term`,
//! `AND`/`OR`. A word of the headline or the text is searched as written (normalized) and by
//! its stem (clitics and suffixes removed): the stem is the set of indexed words sharing it
//! (see [`super::reading_query`]), and a phrase is also searched as a phrase of stems. Exact
//! matches weigh more, so `لافروف` ranks articles with that exact spelling above `للافروف`.

use std::ops::Bound;
use std::sync::OnceLock;

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, QueryParser, QueryParserError,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, Schema};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Searcher, Term};
use tantivy_query_grammar::{
    Delimiter, Occur as TreeOccur, UserInputAst, UserInputLeaf, UserInputLiteral,
};
use time::OffsetDateTime;

use super::excluded::Excluded;
use super::query_check::{syntax_error, unknown_field};
use super::query_words::{QueryWords, words_of_tree};
use super::reading_query::{ReadingQuery, WordQuery, ceiling_hint, reading_phrase};
use super::spec::{QuerySpec, every_article_but, only_excludes};
use super::spelling::correct_tree;
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::analysis::{light_stem, query_tokenizers};
use crate::error::{Error, Result};
use crate::index::aliases::Aliases;
use crate::index::readings::union_doc_freq;
use crate::index::{FahrasIndex, Fields, Readings};
use crate::search::person::lookup::{NameLookup, widen_with_variants};
use crate::search::rank::rerank::RankingOptions;

/// Boost of each default field's exact and stem matches: exact matches weigh 1.2× stem ones. The headline is
/// scored as a field of its own, so a word in the headline and the text counts twice; a
/// higher headline boost measured worse on ARCD (MRR@10 with title exact/stem, body
/// exact/stem boosts 2.0/1.5/1.3/1.0: 0.774; these: 0.781; all 1.0: 0.782).
pub(crate) const TITLE_EXACT_BOOST: f32 = 1.2;
pub(crate) const TITLE_STEM_BOOST: f32 = 1.0;
pub(crate) const BODY_EXACT_BOOST: f32 = 1.2;
pub(crate) const BODY_STEM_BOOST: f32 = 1.0;

/// The query of `spec` with the default ranking: the one [`FahrasIndex::search`] runs, so
/// that `terms`, `export` and highlighting match the articles `query` matches.
pub fn build_query(index: &FahrasIndex, spec: &QuerySpec) -> Result<Box<dyn Query>> {
    let searcher = index.reader()?.searcher();
    let ranking = RankingOptions::default();
    Ok(matching_query(index, &searcher, spec, &ranking)?.0)
}

/// The one query every command matches with (`query`, `terms`, `export`, `similar --q`,
/// highlighting), with the words the second ranking stage scores: the user's text without
/// its person clauses, parsed (widened with the attested readings and the name variants of
/// its words when `ranking.rerank`), and each person (see `person::lookup`), within the
/// dates.
pub(crate) fn matching_query(
    index: &FahrasIndex,
    searcher: &Searcher,
    spec: &QuerySpec,
    ranking: &RankingOptions,
) -> Result<(Box<dyn Query>, QueryWords)> {
    let persons = spec.persons.as_slice();
    let (options, widen) = (ranking.words, ranking.rerank);
    let fields = index.fields();
    let aliases = Aliases::load(index.path())?;
    let names = NameLookup::new(searcher, fields, &aliases);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut words = QueryWords::default();
    let rest = spec.rest.as_ref().filter(|tree| has_leaves(tree));
    // `person:X -Y`: the rest only excludes, which tantivy refuses alone; it filters the person.
    let rest_filters =
        rest.is_some_and(only_excludes) && persons.iter().any(|p| p.occur != Occur::MustNot);
    // `person:X +موسكو`: beside a person the words rank, but a word marked `+` is required
    let rest_required = rest.is_some_and(has_required_clause);
    if rest.is_some() || persons.is_empty() {
        let Some(tree) = &spec.rest else {
            return Err(Error::EmptyQuery);
        };
        let mut tree = tree.clone();
        let corrections = if options.correct {
            correct_tree(searcher, fields, &mut tree)
        } else {
            Vec::new()
        };
        if rest_filters {
            tree = every_article_but(tree);
        }
        let parsed = build_user_query(index, searcher, &spec.text, &tree)?;
        words = words_of_tree(&tree, searcher, &[fields.title, fields.body], options);
        words.corrections = corrections;
        if options.name_variants {
            names.add_plain_variants(&mut words)?;
        }
        let parsed = if widen {
            let parsed = widen_with_readings(index, searcher, parsed, &words)?;
            widen_with_variants(&names, parsed, &words)?
        } else {
            parsed
        };
        let occur = if rest_filters || rest_required {
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
        clauses.push((occur, excluded_if(occur, query)));
    }
    words.discovered = names.discovered();
    if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
        return Err(Error::QuerySyntax {
            query: spec.text.clone(),
            position: 1,
            message: "the query only excludes; give words or a person to search for".into(),
        });
    }
    let query = match clauses.len() {
        1 => clauses.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    let query = flat_union(query, searcher.num_docs());
    let query = required_with_filters(index, searcher, spec, query)?;
    Ok((restrict_to_dates(index, query, spec.from, spec.to), words))
}

/// `query` with the unions inside a union made one: the words, their readings and their
/// name spellings are built as unions of unions (three levels for a plain two-word name),
/// and each level buffers and adds up the documents of the one below, a quarter of the
/// first stage's time; one union matches the same articles with the same scores, added
/// in another order (a last-bit difference at most). The clauses go from the highest
/// [`ceiling_hint`] down (those without one first), so that the clauses the first stage can
/// leave unread are the last (see `rank::top_union`); `num_docs` is the index's size.
fn flat_union(query: Box<dyn Query>, num_docs: u64) -> Box<dyn Query> {
    let Some(union) = as_plain_union(query.as_ref()) else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(union.len());
    let mut pending: Vec<Box<dyn Query>> = union.iter().map(|(_, q)| q.box_clone()).collect();
    pending.reverse();
    while let Some(clause) = pending.pop() {
        match as_plain_union(clause.as_ref()) {
            Some(inner) => pending.extend(inner.iter().rev().map(|(_, q)| q.box_clone())),
            None => clauses.push((Occur::Should, clause)),
        }
    }
    let hints: Vec<f64> = clauses
        .iter()
        .map(|(_, clause)| ceiling_hint(clause.as_ref(), num_docs).unwrap_or(f64::INFINITY))
        .collect();
    let mut order: Vec<usize> = (0..clauses.len()).collect();
    // stable: equal hints keep the order they were built in
    order.sort_by(|&a, &b| hints[b].total_cmp(&hints[a]));
    let mut by_order: Vec<Option<(Occur, Box<dyn Query>)>> =
        clauses.into_iter().map(Some).collect();
    let clauses = order.iter().filter_map(|&i| by_order[i].take()).collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The clauses of `query` when it is a union: a boolean query of optional clauses only,
/// matching when one of them does.
pub(crate) fn as_plain_union(query: &dyn Query) -> Option<&[(Occur, Box<dyn Query>)]> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let clauses = boolean.clauses();
    let plain = !clauses.is_empty()
        && boolean.get_minimum_number_should_match() <= 1
        && clauses.iter().all(|(occur, _)| *occur == Occur::Should);
    plain.then_some(clauses)
}

/// `query` and each filter of `spec` kept apart from its text (beside persons, see
/// [`QuerySpec::filtered`]), all required; `query` alone when there is none.
fn required_with_filters(
    index: &FahrasIndex,
    searcher: &Searcher,
    spec: &QuerySpec,
    query: Box<dyn Query>,
) -> Result<Box<dyn Query>> {
    if spec.filters.is_empty() {
        return Ok(query);
    }
    let mut clauses = vec![(Occur::Must, query)];
    for filter in &spec.filters {
        let filter = build_user_query(index, searcher, &spec.text, filter)?;
        clauses.push((Occur::Must, filter));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// `clause`, wrapped as [`Excluded`] when `occur` excludes it (see `excluded`).
fn excluded_if(occur: Occur, clause: Box<dyn Query>) -> Box<dyn Query> {
    match occur {
        Occur::MustNot => Box::new(Excluded(clause)),
        _ => clause,
    }
}

/// Whether `tree` has a clause of its top level marked required (`+موسكو`, `موسكو AND كييف`):
/// then an article must match the tree.
fn has_required_clause(tree: &UserInputAst) -> bool {
    match tree {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .any(|(occur, _)| *occur == Some(TreeOccur::Must)),
        UserInputAst::Boost(inner, _) => has_required_clause(inner),
        UserInputAst::Leaf(_) => false,
    }
}

/// Whether `tree` has a leaf (a group emptied of its persons has none).
fn has_leaves(tree: &UserInputAst) -> bool {
    match tree {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| has_leaves(clause)),
        UserInputAst::Boost(inner, _) => has_leaves(inner),
        UserInputAst::Leaf(_) => true,
    }
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
    searcher: &Searcher,
    query: Box<dyn Query>,
    words: &QueryWords,
) -> Result<Box<dyn Query>> {
    if words.has_required_clauses {
        return Ok(query);
    }
    let fields = index.fields();
    let readings = Readings::of(searcher, fields)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words.words.iter().filter(|w| w.alone) {
        let primary = light_stem(&word.exact);
        for stem in word.stems.iter().filter(|s| s.as_str() != primary) {
            for (field, boost) in [
                (fields.title, TITLE_STEM_BOOST),
                (fields.body, BODY_STEM_BOOST),
            ] {
                if let Some(query) = stem_reading(searcher, &readings, field, stem)? {
                    clauses.push((Occur::Should, Box::new(query.boosted(boost))));
                }
            }
        }
    }
    if clauses.is_empty() {
        return Ok(query);
    }
    clauses.insert(0, (Occur::Should, query));
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The query for the words of the index whose stems include `stem`, in `field`; `None`
/// when there are none.
pub(crate) fn stem_query(
    searcher: &Searcher,
    readings: &Readings,
    field: Field,
    stem: &str,
) -> Result<Option<Box<dyn Query>>> {
    Ok(stem_reading(searcher, readings, field, stem)?
        .map(|query| Box::new(query) as Box<dyn Query>))
}

/// [`stem_query`] as a [`ReadingQuery`].
fn stem_reading(
    searcher: &Searcher,
    readings: &Readings,
    field: Field,
    stem: &str,
) -> Result<Option<ReadingQuery>> {
    let words = readings.stem_words(stem);
    if words.is_empty() {
        return Ok(None);
    }
    let doc_freq = union_doc_freq(searcher, field, &words)?;
    Ok(Some(ReadingQuery::new(field, &words, doc_freq)))
}

/// `query` (as the parser made it, over the exact words) with every word and phrase of the
/// headline or the text also searched by its stem, and the fields' boosts: a term `w` is
/// `w^1.2 OR stem(w)`, a phrase `"w1 w2"^1.2 OR "stem(w1) stem(w2)"`.
fn with_stems(
    index: &FahrasIndex,
    searcher: &Searcher,
    readings: &Readings,
    query: &dyn Query,
) -> Result<Box<dyn Query>> {
    let fields = index.fields();
    let is_text = |field: Field| field == fields.title || field == fields.body;
    let exact_boost = |field: Field| {
        if field == fields.title {
            TITLE_EXACT_BOOST
        } else {
            BODY_EXACT_BOOST
        }
    };
    let stem_boost = |field: Field| {
        if field == fields.title {
            TITLE_STEM_BOOST
        } else {
            BODY_STEM_BOOST
        }
    };
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let mut clauses = Vec::with_capacity(boolean.clauses().len());
        for (occur, clause) in boolean.clauses() {
            let clause = with_stems(index, searcher, readings, clause.as_ref())?;
            clauses.push((*occur, excluded_if(*occur, clause)));
        }
        let minimum = boolean.get_minimum_number_should_match();
        return Ok(Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses, minimum,
        )));
    }
    if let Some(term_query) = query.downcast_ref::<TermQuery>() {
        let term = term_query.term();
        let field = term.field();
        if let (true, Some(word)) = (is_text(field), term.value().as_str()) {
            let exact: Box<dyn Query> =
                Box::new(BoostQuery::new(query.box_clone(), exact_boost(field)));
            let Some(stem) = stem_reading(searcher, readings, field, light_stem(word))? else {
                return Ok(exact);
            };
            // the word is among its stem's words (nearly always): one scorer for both
            let stem =
                match WordQuery::new(term.clone(), exact_boost(field), stem, stem_boost(field)) {
                    Ok(word) => return Ok(Box::new(word)),
                    Err(stem) => stem,
                };
            return Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Should, exact),
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(stem), stem_boost(field))),
                ),
            ])));
        }
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>()
        && is_text(phrase.field())
    {
        let field = phrase.field();
        let exact: Box<dyn Query> =
            Box::new(BoostQuery::new(query.box_clone(), exact_boost(field)));
        let (offsets, slop) = phrase_layout(phrase);
        let stems: Vec<String> = phrase
            .phrase_terms()
            .iter()
            .map(|t| light_stem(t.value().as_str().unwrap_or_default()).to_string())
            .collect();
        let positions: Vec<(usize, Vec<&str>)> = offsets
            .into_iter()
            .zip(&stems)
            .map(|(offset, stem)| (offset, readings.stem_words(stem)))
            .collect();
        let Some(stemmed) = reading_phrase(field, &positions, slop) else {
            return Ok(exact);
        };
        return Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, exact),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(stemmed), stem_boost(field))),
            ),
        ])));
    }
    Ok(query.box_clone())
}

/// The offsets of a phrase's terms and its slop. tantivy keeps both private; its `Debug`
/// output shows them (`phrase_terms: [(0, Term(..)), (2, Term(..))], slop: 1`). When that
/// output cannot be read, the terms follow each other with no slop.
fn phrase_layout(phrase: &PhraseQuery) -> (Vec<usize>, u32) {
    let n = phrase.phrase_terms().len();
    let text = format!("{phrase:?}");
    let mut offsets = Vec::with_capacity(n);
    for (at, _) in text.match_indices(", Term(") {
        let before = &text[..at];
        let digits_from = before
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        if before[..digits_from].ends_with('(')
            && let Ok(offset) = before[digits_from..].parse()
        {
            offsets.push(offset);
        }
    }
    let slop = text
        .rsplit_once("slop: ")
        .and_then(|(_, rest)| {
            rest.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or(0);
    if offsets.len() != n || offsets.windows(2).any(|w| w[0] > w[1]) {
        return ((0..n).collect(), 0);
    }
    (offsets, slop)
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

/// The parser of the user's queries: the headline and the text by default, without field
/// boosts (they are given with the stems, see [`with_stems`]: a parser's boost would hide
/// the term inside it).
fn query_parser(schema: Schema, fields: &Fields, drop_stop_words: bool) -> QueryParser {
    QueryParser::new(
        schema,
        vec![fields.title, fields.body],
        cached_query_tokenizers(drop_stop_words),
    )
}

/// The query of the user's syntax tree (see [`super::spec`]), each word also searched by its
/// stem. `text` is the query as typed, which errors name.
pub(crate) fn build_user_query(
    index: &FahrasIndex,
    searcher: &Searcher,
    text: &str,
    tree: &UserInputAst,
) -> Result<Box<dyn Query>> {
    let schema = index.tantivy().schema();
    match build_dropping_stop_words(schema, index.fields(), tree) {
        Ok(query) => {
            let readings = Readings::of(searcher, index.fields())?;
            with_stems(index, searcher, &readings, query.as_ref())
        }
        Err(QueryParserError::FieldDoesNotExist(field)) => Err(unknown_field(&field)),
        Err(error) => Err(syntax_error(text, &error.to_string())),
    }
}

/// The query of `tree` without stop words; a query of nothing but stop words (`من هو`) is
/// built with them.
fn build_dropping_stop_words(
    schema: Schema,
    fields: &Fields,
    tree: &UserInputAst,
) -> Result<Box<dyn Query>, QueryParserError> {
    let build = |drop_stop_words: bool| {
        build_from_tree(
            &query_parser(schema.clone(), fields, drop_stop_words),
            fields,
            tree,
        )
    };
    match build(true) {
        Ok(query) if has_terms(query.as_ref()) => Ok(query),
        _ => build(false),
    }
}

/// The query `parser` makes of `tree`: the one `QueryParser::parse_query` makes of the text
/// the tree was parsed from.
///
/// `parse_query` simplifies its tree (see [`flatten`]) before dropping the clauses that make no
/// query (a word the analyzer drops, as the stop word `في`); built from the tree, the query is
/// flattened after they are gone. The two differ only when such a clause is excluded in a group
/// (`الترجي (النجم -في)`), where it keeps the group from being lifted: there it stands as a
/// marker while the query is flattened, and goes after, so that the query, and the order its
/// scores are summed in, stay the same.
fn build_from_tree(
    parser: &QueryParser,
    fields: &Fields,
    tree: &UserInputAst,
) -> Result<Box<dyn Query>, QueryParserError> {
    if !group_has_empty_clause(parser, tree) {
        return parser
            .build_query_from_user_input_ast(tree.clone())
            .map(flatten);
    }
    let marked = mark_empty_exclusions(parser, tree.clone());
    let query = flatten(parser.build_query_from_user_input_ast(marked)?);
    Ok(without_markers(fields, query.as_ref()).unwrap_or_else(|| Box::new(EmptyQuery)))
}

/// The id no article has, which marks an excluded clause that makes no query while the query
/// is flattened (see [`build_from_tree`]).
const NO_QUERY_MARK: &str = "\u{0}";

/// `tree` with each excluded clause that makes no query, outside boosts (which neither
/// `parse_query` nor [`flatten`] looks into), replaced by a search for [`NO_QUERY_MARK`].
fn mark_empty_exclusions(parser: &QueryParser, tree: UserInputAst) -> UserInputAst {
    let UserInputAst::Clause(clauses) = tree else {
        return tree;
    };
    let mark = || {
        UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(UserInputLiteral {
            field_name: Some("id".to_string()),
            phrase: NO_QUERY_MARK.to_string(),
            delimiter: Delimiter::DoubleQuotes,
            slop: 0,
            prefix: false,
        })))
    };
    UserInputAst::Clause(
        clauses
            .into_iter()
            .map(|(occur, clause)| {
                if occur == Some(TreeOccur::MustNot) && makes_no_query(parser, &clause) {
                    (occur, mark())
                } else {
                    (occur, mark_empty_exclusions(parser, clause))
                }
            })
            .collect(),
    )
}

/// `query` without the marks of [`mark_empty_exclusions`], and without the groups left empty
/// (`None` when nothing is left), as `parse_query` trims clauses that make no query.
fn without_markers(fields: &Fields, query: &dyn Query) -> Option<Box<dyn Query>> {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        let is_mark =
            term.term().field() == fields.id && term.term().value().as_str() == Some(NO_QUERY_MARK);
        return (!is_mark).then(|| query.box_clone());
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return Some(query.box_clone());
    };
    let clauses: Vec<(Occur, Box<dyn Query>)> = boolean
        .clauses()
        .iter()
        .filter_map(|(occur, clause)| Some((*occur, without_markers(fields, clause.as_ref())?)))
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// Whether a group below the top level of `tree` holds a clause that makes no query.
fn group_has_empty_clause(parser: &QueryParser, tree: &UserInputAst) -> bool {
    // depth is bounded by `check_query`
    fn holds_empty_clause(parser: &QueryParser, group: &UserInputAst) -> bool {
        let UserInputAst::Clause(clauses) = group else {
            return false;
        };
        clauses
            .iter()
            .any(|(_, clause)| makes_no_query(parser, clause) || holds_empty_clause(parser, clause))
    }
    let UserInputAst::Clause(clauses) = tree else {
        return false;
    };
    clauses
        .iter()
        .any(|(_, clause)| holds_empty_clause(parser, clause))
}

/// Whether `tree` makes no query (a stop word, or a group of them).
fn makes_no_query(parser: &QueryParser, tree: &UserInputAst) -> bool {
    match tree {
        UserInputAst::Leaf(_) => parser
            .build_query_from_user_input_ast(tree.clone())
            .is_ok_and(|query| query.downcast_ref::<EmptyQuery>().is_some()),
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .all(|(_, clause)| makes_no_query(parser, clause)),
        // a boost is kept, and not simplified inside
        UserInputAst::Boost(..) => false,
    }
}

/// `query` with each group of clauses lifted into the group around it when they all have the
/// group's own `Should` or `Must`, as `LogicalAst::simplify` does inside
/// `QueryParser::parse_query` (a boost is not looked into); `build_query_from_user_input_ast`
/// does not simplify.
fn flatten(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(boolean.clauses().len());
    for (occur, clause) in boolean.clauses() {
        let clause = flatten(clause.box_clone());
        match clause.downcast_ref::<BooleanQuery>() {
            Some(group)
                if matches!(occur, Occur::Should | Occur::Must)
                    && group.clauses().iter().all(|(inner, _)| inner == occur) =>
            {
                clauses.extend(
                    group
                        .clauses()
                        .iter()
                        .map(|(inner, query)| (*inner, query.box_clone())),
                );
            }
            _ => clauses.push((*occur, clause)),
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

fn has_terms(query: &dyn Query) -> bool {
    let mut any = false;
    query.query_terms(&mut |_, _| any = true);
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::build_schema;
    use crate::search::query::parse::ParsedQuery;

    #[test]
    fn unions_inside_a_union_are_one_union_and_other_clauses_stay() {
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;
        let (_, fields) = build_schema();
        let term = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(fields.body, word),
                IndexRecordOption::WithFreqs,
            ))
        };
        let union = |clauses: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        let boosted: Box<dyn Query> = Box::new(BoostQuery::new(union(vec![term("ج")]), 0.3));
        let nested = union(vec![
            union(vec![term("ا"), union(vec![term("ب")])]),
            boosted,
            term("د"),
        ]);
        let flat = flat_union(nested, 100);
        let clauses = as_plain_union(flat.as_ref()).expect("a union");
        let shown: Vec<String> = clauses.iter().map(|(_, q)| format!("{q:?}")).collect();
        assert_eq!(clauses.len(), 4, "{shown:?}");
        assert!(
            shown[0].contains("\"ا\"") && shown[1].contains("\"ب\""),
            "{shown:?}"
        );
        assert!(
            shown[2].starts_with("Boost"),
            "a boosted union keeps its boost: {shown:?}"
        );
        assert!(shown[3].contains("\"د\""), "{shown:?}");
        // a required clause is no union: left as it is
        let required: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("ا")),
            (Occur::Should, union(vec![term("ب")])),
        ]));
        assert!(as_plain_union(flat_union(required, 100).as_ref()).is_none());
    }

    #[test]
    fn a_flat_union_holds_its_clauses_from_the_highest_ceiling_down() {
        use tantivy::query::TermQuery;
        use tantivy::schema::IndexRecordOption;
        let (_, fields) = build_schema();
        let reading = |word: &str, doc_freq: u64, boost: f32| -> Box<dyn Query> {
            Box::new(ReadingQuery::new(fields.body, &[word], doc_freq).boosted(boost))
        };
        let phrase_like: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(fields.title, "تونس"),
            IndexRecordOption::WithFreqs,
        ));
        let union = BooleanQuery::new(vec![
            (Occur::Should, reading("الجاري", 10, 0.3)),
            (Occur::Should, reading("الوزير", 1000, 1.0)),
            (Occur::Should, phrase_like),
            (Occur::Should, reading("لافروف", 10, 1.0)),
        ]);
        let flat = flat_union(Box::new(union), 10_000);
        let shown: Vec<String> = as_plain_union(flat.as_ref())
            .expect("a union")
            .iter()
            .map(|(_, q)| format!("{q:?}"))
            .collect();
        // a clause without a ceiling first; then the rare word, the frequent one, and the
        // rare one at a third of the weight (idf 6.9, 2.3 and 0.3 × 6.9)
        let order = ["TermQuery", "لافروف", "الوزير", "الجاري"];
        for (shown, expected) in shown.iter().zip(order) {
            assert!(shown.contains(expected), "{shown} for {expected}");
        }
    }

    #[test]
    fn the_query_built_from_the_tree_is_the_one_the_parser_makes() {
        let (schema, fields) = build_schema();
        let texts = [
            "لافروف موسكو",
            "(موسكو OR كييف) AND لافروف",
            "+(لافروف وزير الخارجية) -\"الأزمة الأوكرانية\"",
            "لافروف (موسكو (كييف بكين))",
            "+لافروف +(موسكو +كييف)",
            "title:تونس^2 (في الحكومة)",
            "من هو",
            "الترجي (النجم -في)",
            "(في النجم) الترجي^2 (-في)",
            "الترجي (النجم -(في من))",
            "(النجم (الترجي -في)) كرة",
            "+(النجم -في) +الترجي",
            "الترجي (النجم -في)^2 (-في -من)",
        ];
        for text in texts {
            for drop_stop_words in [true, false] {
                let parser = query_parser(schema.clone(), &fields, drop_stop_words);
                let tree = ParsedQuery::parse(text).unwrap().tree;
                let built = build_from_tree(&parser, &fields, &tree);
                let parsed = parser.parse_query(text);
                let shown = |query: Result<Box<dyn Query>, QueryParserError>| match query {
                    Ok(query) => format!("{query:?}"),
                    Err(error) => error.to_string(),
                };
                assert_eq!(shown(built), shown(parsed), "{text}");
            }
        }
    }
}
