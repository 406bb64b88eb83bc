//! Person searches: `person:"…"` in a query (and `--person`, `person=`), and name spellings
//! for the words of plain queries.
//!
//! A name is looked up in the name table (see [`crate::analysis::name_key`] and
//! `index::readings`): each word's key lists every spelling the index holds for it with one
//! range scan, and each spelling is the set of indexed words that stand for it (itself and
//! its clitic forms), searched in the headline and the text;
//! [`plausible_variant`] keeps those that can be the same name, stop words never count, and the
//! user's aliases (`aliases.json` beside the index) add spellings no rule folds. The spelling
//! typed weighs 1, the others [`VARIANT_WEIGHT`], so exact spellings rank first and variants
//! still come back. A name of several words needs each of them (any spelling), and the second
//! ranking stage rewards them near each other.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query};
use tantivy::{Searcher, Term};

use super::alias_discovery::confident_spellings;
use super::family_evidence::{NameParts, family_alone};
use super::name_parts::{family_index, is_searchable, joined, splits};
use crate::analysis::clitics::{ARTICLE, CLITIC_LETTERS};
use crate::analysis::name_key::{compound_head_of, query_name_words, split_name_term};
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::analysis::{name_key, name_term, plausible_variant, suffix_stem};
use crate::error::{Error, Result};
use crate::index::aliases::Aliases;
use crate::index::readings::union_doc_freq;
use crate::index::term_memo;
use crate::index::{Fields, Readings};
use crate::search::query::query_words::{QueryWord, QueryWords};
use crate::search::query::reading_query::ReadingQuery;

/// The field name of person clauses in the query syntax.
pub const PERSON_FIELD: &str = "person";

/// Weight of a spelling of a name other than the one typed (the typed one weighs 1).
pub const VARIANT_WEIGHT: f32 = 0.5;

/// Weight of the other spellings of a word of a plain (not `person:`) query.
pub const PLAIN_VARIANT_WEIGHT: f32 = 0.3;

/// A plain query word looks its other spellings up only when it has this many letters: shorter
/// words are mostly function words, whose keys keep their vowels anyway.
const MIN_PLAIN_NAME_CHARS: usize = 4;

/// One spelling of a name, as its name term (the name table's key for it), with the weight
/// of a match on it.
#[derive(Debug, Clone, PartialEq)]
pub struct NameTerm {
    /// The `key|spelling` term.
    pub term: String,
    /// 1 for the spelling typed, less for the others.
    pub weight: f32,
    /// The spelling reads as an ordinary word (see `WORD_LIKE_FACTOR`): an article that
    /// writes the word of the name only in such spellings ranks below those with any other
    /// (see `rank::rerank`).
    pub word_like: bool,
}

impl NameTerm {
    /// The name term of `spelling` (normalized), at `weight`, not word-like.
    pub fn new(spelling: &str, weight: f32) -> Self {
        NameTerm {
            term: name_term(spelling),
            weight,
            word_like: false,
        }
    }

    /// The spelling (normalized) this term stands for.
    pub fn spelling(&self) -> &str {
        split_name_term(&self.term).map_or(&self.term, |(_, spelling)| spelling)
    }
}

/// One person of a query: a `person:…` clause of its text (see `search::query::spec`) or
/// the person given apart from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonClause {
    /// `+person:` (must), `-person:` (must not) or `person:` (should).
    pub occur: Occur,
    /// The name as typed.
    pub name: String,
}

/// A person's name given apart from the query text (`--person`, `person=`), as it is searched:
/// quotes dropped, spaces around trimmed.
pub fn person_name(name: &str) -> String {
    name.replace('"', " ").trim().to_string()
}

/// How a query about the person `name` reads in the query syntax, `+person:"NAME" (QUERY)`
/// (the person alone when the query is empty): what the results show as their query. The
/// search itself takes the person as data (see `search::query::build::QuerySpec`).
pub fn shown_with_person(query: &str, name: &str) -> String {
    let person = format!("{PERSON_FIELD}:\"{}\"", person_name(name));
    if query.trim().is_empty() {
        person
    } else {
        format!("+{person} ({query})")
    }
}

/// A variant spelling that reads as an ordinary word weighs this much of the others: a word
/// the articles write with the article (`لبن`: `اللبن`), or a clitic before a noun they use more
/// and write with the article too (`بجبهة`: `ب` + `جبهة`, `الجبهة`; `بواجبه`: `ب` + `واجب`
/// with a suffix, `الواجب`). Names rarely take either.
const WORD_LIKE_FACTOR: f32 = 0.2;

/// A spelling "takes the article" when the articles write it with ال at least once for every
/// this many times without.
const ARTICLE_RATIO: u64 = 4;

/// Weight of a spelling found in the archive for a word of a `person:` name (see
/// `alias_discovery`), below [`VARIANT_WEIGHT`]: a rule did not fold it, evidence did.
pub const DISCOVERED_WEIGHT: f32 = 0.3;

/// A spelling a person query also searched, found in the archive rather than by a rule or an
/// alias (see `alias_discovery`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiscoveredSpelling {
    /// The word of the name as typed (normalized).
    pub typed: String,
    /// The other spelling searched too.
    pub spelling: String,
}

/// Looks names up in one index: the spellings of a key, their guard, the user's aliases.
pub struct NameLookup<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    aliases: &'a Aliases,
    /// The index's reading tables, read on first use.
    readings: OnceCell<Arc<Readings>>,
    /// The spellings person queries found in the archive so far.
    discovered: RefCell<Vec<DiscoveredSpelling>>,
}

impl<'a> NameLookup<'a> {
    /// A lookup in the index `searcher` reads, with `aliases`.
    pub fn new(searcher: &'a Searcher, fields: &'a Fields, aliases: &'a Aliases) -> Self {
        NameLookup {
            searcher,
            fields,
            aliases,
            readings: OnceCell::new(),
            discovered: RefCell::new(Vec::new()),
        }
    }

    /// The spellings the person queries made with this lookup also searched because the
    /// archive shows them to be the same name (see `alias_discovery`).
    pub fn discovered(&self) -> Vec<DiscoveredSpelling> {
        self.discovered.borrow().clone()
    }

    /// The confident spellings the archive suggests for `word` of the name `name` (see
    /// `alias_discovery`), at [`DISCOVERED_WEIGHT`].
    fn discovered_terms(&self, word: &str, name: &[String]) -> Result<Vec<NameTerm>> {
        Ok(
            confident_spellings(self.searcher, self.fields, self, word, name)?
                .into_iter()
                .map(|suggestion| NameTerm::new(&suggestion.spelling, DISCOVERED_WEIGHT))
                .collect(),
        )
    }

    /// Remembers the spellings `terms` found for `typed`, for [`Self::discovered`].
    fn remember_discovered(&self, typed: &str, terms: &[NameTerm]) {
        let mut discovered = self.discovered.borrow_mut();
        for term in terms {
            let found = DiscoveredSpelling {
                typed: typed.to_string(),
                spelling: term.spelling().to_string(),
            };
            if !discovered.contains(&found) {
                discovered.push(found);
            }
        }
    }

    fn readings(&self) -> Result<&Readings> {
        if let Some(readings) = self.readings.get() {
            return Ok(readings);
        }
        let readings = Readings::of(self.searcher, self.fields)?;
        Ok(self.readings.get_or_init(|| readings))
    }

    /// Every spelling the index holds under `key`.
    fn spellings_with_key(&self, key: &str) -> Result<BTreeSet<String>> {
        Ok(self.readings()?.spellings_with_key(key))
    }

    /// Every (key, spelling) the index holds under a key starting with `start`: `دش` finds
    /// `ديشان` (key `دشن`) and `ديشامب` (`دشمب`). One prefix stream over the name table.
    pub fn spellings_with_key_prefix(&self, start: &str) -> Result<BTreeSet<(String, String)>> {
        Ok(self.readings()?.keys_with_prefix(start))
    }

    /// A query matching any of `terms` in the headline or the text (each spelling the words
    /// that stand for it, and the compounds in the compound field), each boosted by its weight.
    /// The spellings of one weight are one reading per field, as a word's stem is (the words
    /// of them all, scored as one term: their articles together, their occurrences added), so
    /// a name of many spellings costs a query few clauses.
    fn any_term(&self, terms: &[NameTerm]) -> Result<Box<dyn Query>> {
        let readings = self.readings()?;
        // per weight, in the order first met: the words and the compounds of its spellings
        let mut by_weight: Vec<(f32, Vec<&str>, Vec<&str>)> = Vec::new();
        for term in terms {
            let at = match by_weight.iter().position(|(w, _, _)| *w == term.weight) {
                Some(at) => at,
                None => {
                    by_weight.push((term.weight, Vec::new(), Vec::new()));
                    by_weight.len() - 1
                }
            };
            let (_, words, compounds) = &mut by_weight[at];
            for word in readings.spelling_words(term.spelling()) {
                if word.contains(' ') {
                    compounds.push(word);
                } else {
                    words.push(word);
                }
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(by_weight.len() * 3);
        for (weight, words, compounds) in &mut by_weight {
            // a word two spellings share counts once
            for list in [&mut *words, &mut *compounds] {
                list.sort_unstable();
                list.dedup();
            }
            let fields = [
                (self.fields.title, &*words),
                (self.fields.body, &*words),
                (self.fields.compound, &*compounds),
            ];
            for (field, words) in fields {
                if words.is_empty() {
                    continue;
                }
                let doc_freq = union_doc_freq(self.searcher, field, words)?;
                let query = ReadingQuery::new(field, words, doc_freq).boosted(*weight);
                clauses.push((Occur::Should, Box::new(query)));
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Articles whose headline or text has `word` on its own (an upper bound: the two
    /// fields' counts added).
    fn doc_freq(&self, word: &str) -> Result<u64> {
        let mut n = 0;
        for field in [self.fields.title, self.fields.body] {
            n += term_memo::doc_freq(self.searcher, &Term::from_field_text(field, word))?;
        }
        Ok(n)
    }

    /// Whether a spelling reads as an ordinary word rather than a name (see
    /// [`WORD_LIKE_FACTOR`]).
    fn word_like(&self, spelling: &str) -> Result<bool> {
        let alone = self.doc_freq(spelling)?;
        if !spelling.starts_with(ARTICLE)
            && self.doc_freq(&format!("{ARTICLE}{spelling}"))? * ARTICLE_RATIO >= alone.max(1)
        {
            return Ok(true);
        }
        if let Some(rest) = spelling.strip_prefix(CLITIC_LETTERS)
            && rest.chars().count() >= 3
        {
            let stem = suffix_stem(rest);
            let mut used = self.doc_freq(rest)?;
            let mut with_article = self.doc_freq(&format!("{ARTICLE}{rest}"))?;
            if stem != rest {
                used += self.doc_freq(stem)?;
                with_article += self.doc_freq(&format!("{ARTICLE}{stem}"))?;
            }
            // a word the articles never write with the article is no noun of theirs but a
            // clitic form itself (`وبن`, `و` + `بن`, after the `ل` of `لوبن`)
            if used >= alone.max(1) && with_article > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The name terms of one normalized word: its own spelling (when `with_self`) at weight 1,
    /// and each other spelling the index holds under its key that passes
    /// [`plausible_variant`], at `variant_weight` (less for a word-like spelling; none at all
    /// for one when `drop_word_like`).
    fn word_terms(
        &self,
        word: &str,
        with_self: bool,
        variant_weight: f32,
        drop_word_like: bool,
    ) -> Result<Vec<NameTerm>> {
        let mut terms = Vec::new();
        if with_self {
            terms.push(NameTerm::new(word, 1.0));
        }
        // a compound's spellings are compounds with the same head (ابو عياض: not ابعاد)
        let head = compound_head_of(word);
        for spelling in self.spellings_with_key(&name_key(word))? {
            if spelling == word
                || QUERY_STOP_WORDS.contains(&spelling.as_str())
                || !plausible_variant(word, &spelling)
                || head.is_some_and(|head| !spelling.starts_with(head))
            {
                continue;
            }
            let word_like = self.word_like(&spelling)?;
            if word_like && drop_word_like {
                continue;
            }
            let weight = if word_like {
                variant_weight * WORD_LIKE_FACTOR
            } else {
                variant_weight
            };
            terms.push(NameTerm {
                word_like,
                ..NameTerm::new(&spelling, weight)
            });
        }
        Ok(terms)
    }

    /// The other spellings a `person:` query for `word` (normalized) looks up, with their
    /// weights (aliases left out): what folding pulls in for it.
    pub fn variants(&self, word: &str) -> Result<Vec<NameTerm>> {
        self.word_terms(word, false, VARIANT_WEIGHT, false)
    }

    /// Every name spelling (reading) the index holds, by key.
    pub fn vocabulary(&self) -> Result<BTreeMap<String, BTreeSet<String>>> {
        Ok(self.readings()?.name_vocabulary())
    }

    /// The spellings of the aliases of `name` (each with its own variants), at `weight`: those
    /// of one word are alternatives of the name; an alias of several words (`محمود عباس` for
    /// `أبو مازن`) matches only with all its words, so its spellings are listed word by word.
    fn alias_terms(
        &self,
        name: &[String],
        weight: f32,
        drop_word_like: bool,
    ) -> Result<AliasTerms> {
        let mut aliases = AliasTerms::default();
        for alternative in self.aliases.alternatives(name) {
            let mut words = Vec::with_capacity(alternative.len());
            for word in &alternative {
                let found = self.word_terms(word, true, weight, drop_word_like)?;
                words.push(
                    found
                        .into_iter()
                        .map(|t| NameTerm {
                            weight: t.weight.min(weight),
                            ..t
                        })
                        .collect::<Vec<_>>(),
                );
            }
            if words.iter().any(Vec::is_empty) {
                continue; // a word of the alias is in no article
            }
            if let [one] = words.as_mut_slice() {
                merge(&mut aliases.single, std::mem::take(one));
            } else {
                aliases.several.push(words);
            }
        }
        Ok(aliases)
    }

    /// The query of one `person:` name and its words for the second ranking stage. Each part
    /// of the name matches in any accepted spelling, written joined to its neighbour
    /// (`جايإن`) or, for one word, as two (`جين بينغ` for `جينبينغ`); the family name is
    /// required, the other parts raise the rank, and an article writing the family name
    /// alone must pass [`family_evidence::family_alone`](family_alone). An alias of the whole
    /// name matches instead.
    pub fn person_query(&self, name: &str) -> Result<(Box<dyn Query>, Vec<QueryWord>)> {
        let words = query_name_words(name);
        if words.is_empty() {
            return Err(Error::QuerySyntax {
                query: format!("{PERSON_FIELD}:\"{name}\""),
                position: 1,
                message: "give the name of a person to search for".into(),
            });
        }
        // a name of stop words alone (`person:إن`) is looked up as it is
        let all_unsearchable = words.iter().all(|w| !is_searchable(w));
        let mut split_readings = Vec::with_capacity(words.len());
        for word in &words {
            split_readings.push(if all_unsearchable || is_searchable(word) {
                self.split_query(word)?
            } else {
                None
            });
        }
        let family = family_index(&words, |i| {
            split_readings[i]
                .as_ref()
                .and_then(|(_, halves)| shortest_halves(halves))
        });
        let mut query_words = Vec::with_capacity(words.len());
        let mut parts: Vec<(usize, Box<dyn Query>)> = Vec::with_capacity(words.len());
        let mut loose_parts: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
        let mut typed_family: Option<Box<dyn Query>> = None;
        for (i, word) in words.iter().enumerate() {
            if !all_unsearchable && !is_searchable(word) {
                continue;
            }
            let mut terms = self.word_terms(word, true, VARIANT_WEIGHT, false)?;
            let aliases = self.alias_terms(std::slice::from_ref(word), VARIANT_WEIGHT, false)?;
            merge(&mut terms, aliases.single.clone());
            let mut discovered = self.discovered_terms(word, &words)?;
            // a spelling an alias or a rule already gives is not news
            discovered.retain(|d| !terms.iter().any(|t| t.term == d.term));
            self.remember_discovered(word, &discovered);
            merge(&mut terms, discovered.clone());
            let neighbours = [i.checked_sub(1), Some(i + 1)];
            for j in neighbours
                .into_iter()
                .flatten()
                .filter(|&j| j < words.len())
            {
                let (first, second) = if j < i { (j, i) } else { (i, j) };
                if let Some(joined) = joined(&words[first], &words[second]) {
                    merge(&mut terms, self.joined_terms(&joined)?);
                }
            }
            if i == family {
                let mut typed: Vec<NameTerm> =
                    terms.iter().filter(|t| t.weight >= 1.0).cloned().collect();
                merge(&mut typed, aliases.single.clone());
                merge(&mut typed, discovered);
                let any = self.any_term(&typed)?;
                typed_family = Some(aliases.or_query(self, any)?);
            }
            let any = self.any_term(&terms)?;
            let mut part = aliases.or_query(self, any)?;
            let mut halves = Vec::new();
            if let Some((split, split_halves)) = split_readings[i].take() {
                part = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, part),
                    (Occur::Should, split),
                ]));
                halves = split_halves;
            }
            loose_parts.push(if i == family {
                part.box_clone()
            } else {
                self.loose_part(word, part.box_clone())?
            });
            parts.push((i, part));
            merge(&mut terms, aliases.ranked());
            merge(&mut terms, halves);
            query_words.push(QueryWord {
                exact: word.clone(),
                stems: Vec::new(),
                alone: false,
                names: terms,
                person: true,
            });
        }
        let family_part = parts
            .iter()
            .position(|(i, _)| *i == family)
            .unwrap_or(parts.len() - 1);
        let part_queries: Vec<Box<dyn Query>> = parts.into_iter().map(|(_, q)| q).collect();
        let full: Box<dyn Query> = Box::new(BooleanQuery::new(
            part_queries
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect(),
        ));
        let parts = if query_words.len() > 1 {
            let typed = typed_family.unwrap_or_else(|| part_queries[family_part].box_clone());
            let alone = family_alone(
                self.searcher,
                self.fields,
                NameParts {
                    parts: &part_queries,
                    loose: &loose_parts,
                    family: family_part,
                },
                typed,
                &words,
            )?;
            let mut either = vec![(Occur::Should, full)];
            either.extend(alone.map(|q| (Occur::Should, q)));
            either
        } else {
            vec![(Occur::Must, full)]
        };
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(parts));
        if words.len() > 1 {
            let whole = self.alias_terms(&words, VARIANT_WEIGHT, false)?;
            if !whole.is_empty() {
                if !whole.single.is_empty() {
                    query = Box::new(BooleanQuery::new(vec![
                        (Occur::Should, query),
                        (Occur::Should, self.any_term(&whole.single)?),
                    ]));
                }
                query = whole.or_query(self, query)?;
                let ranked = whole.ranked();
                for word in &mut query_words {
                    merge(&mut word.names, ranked.clone());
                }
            }
        }
        Ok((query, query_words))
    }

    /// `part` (the query of a word of the name other than the family name) or any spelling the
    /// index holds under the word's key, whatever its vowels ([`plausible_variant`] left out)
    /// and not an ordinary word: the given name as the archive writes it, for weighing
    /// the evidence about the family name when the spelling typed is rarely written
    /// (`ايمانوال` for `إيمانويل`; see [`family_alone`]). Never used to match.
    fn loose_part(&self, word: &str, part: Box<dyn Query>) -> Result<Box<dyn Query>> {
        let head = compound_head_of(word);
        let mut terms = Vec::new();
        for spelling in self.spellings_with_key(&name_key(word))? {
            if spelling == word
                || QUERY_STOP_WORDS.contains(&spelling.as_str())
                || head.is_some_and(|head| !spelling.starts_with(head))
                || self.word_like(&spelling)?
            {
                continue;
            }
            terms.push(NameTerm::new(&spelling, 1.0));
        }
        if terms.is_empty() {
            return Ok(part);
        }
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, part),
            (Occur::Should, self.any_term(&terms)?),
        ])))
    }

    /// The name terms of two parts of a name written as one word (`جايإن`), at most at
    /// [`VARIANT_WEIGHT`]: its spellings of as many letters (a joined word's key drops the
    /// vowels of both parts, so fewer letters would let `منجي` be `مونجاي`).
    fn joined_terms(&self, joined: &str) -> Result<Vec<NameTerm>> {
        let letters = joined.chars().count();
        let mut terms = self.word_terms(joined, true, VARIANT_WEIGHT, false)?;
        terms.retain(|t| t.spelling().chars().count() == letters);
        for term in &mut terms {
            term.weight = term.weight.min(VARIANT_WEIGHT);
        }
        Ok(terms)
    }

    /// One word of a name written as two in the headline or text (`جين بينغ` for `جينبينغ`,
    /// `كي مون` for `كيمون`): the phrases of the [`splits`] the archive writes (the surface
    /// words, side by side, in the exact fields), and the name terms of their halves (at
    /// [`VARIANT_WEIGHT`], for the ranking).
    fn split_query(&self, word: &str) -> Result<Option<SplitReading>> {
        let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut halves = Vec::new();
        for (first, second) in splits(word) {
            if self.doc_freq(&first)? == 0 || self.doc_freq(&second)? == 0 {
                continue;
            }
            let in_fields: Vec<(Occur, Box<dyn Query>)> = [self.fields.title, self.fields.body]
                .into_iter()
                .map(|field| {
                    let phrase = PhraseQuery::new(vec![
                        Term::from_field_text(field, &first),
                        Term::from_field_text(field, &second),
                    ]);
                    let weighted = BoostQuery::new(Box::new(phrase), VARIANT_WEIGHT);
                    (Occur::Should, Box::new(weighted) as Box<dyn Query>)
                })
                .collect();
            let either = BooleanQuery::new(in_fields);
            // `مير كل` is no reading of `ميركل` the archive writes
            if self.searcher.search(&either, &Count)? == 0 {
                continue;
            }
            phrases.push((Occur::Should, Box::new(either)));
            for half in [first, second] {
                halves.push(NameTerm::new(&half, VARIANT_WEIGHT));
            }
        }
        if phrases.is_empty() {
            return Ok(None);
        }
        Ok(Some((Box::new(BooleanQuery::new(phrases)), halves)))
    }

    /// Gives each free-text word of a plain query the other spellings of it the index holds
    /// (and those of its aliases), at [`PLAIN_VARIANT_WEIGHT`]; words of fewer than four
    /// letters and stop words get none, and word-like spellings are left out.
    pub fn add_plain_variants(&self, words: &mut QueryWords) -> Result<()> {
        for word in &mut words.words {
            if word.exact.chars().count() < MIN_PLAIN_NAME_CHARS
                || QUERY_STOP_WORDS.contains(&word.exact.as_str())
            {
                continue;
            }
            let mut terms = self.word_terms(&word.exact, false, PLAIN_VARIANT_WEIGHT, true)?;
            // A plain query widens with the aliases of one word only: an alias of several words
            // would need all of them, which a word's alternatives cannot say.
            let aliases = self.alias_terms(
                std::slice::from_ref(&word.exact),
                PLAIN_VARIANT_WEIGHT,
                true,
            )?;
            merge(&mut terms, aliases.single);
            word.names = terms;
        }
        Ok(())
    }
}

/// A word of a name read as two (see [`NameLookup::split_query`]): the query of the phrases,
/// and the name terms of the halves for the ranking (each split's two, in order).
type SplitReading = (Box<dyn Query>, Vec<NameTerm>);

/// The letters of the two halves of the split of `halves` (a [`SplitReading`]'s) whose longer
/// half is the shortest: how short the parts are that the archive writes the word as.
fn shortest_halves(halves: &[NameTerm]) -> Option<(usize, usize)> {
    halves
        .chunks_exact(2)
        .map(|pair| {
            (
                pair[0].spelling().chars().count(),
                pair[1].spelling().chars().count(),
            )
        })
        .min_by_key(|&(first, second)| first.max(second))
}

/// The name-field spellings of a name's aliases (see [`NameLookup::alias_terms`]).
#[derive(Debug, Default)]
struct AliasTerms {
    /// Spellings of the aliases of one word: any of them matches.
    single: Vec<NameTerm>,
    /// For each alias of several words, the spellings of each word: all words must match.
    several: Vec<Vec<Vec<NameTerm>>>,
}

impl AliasTerms {
    fn is_empty(&self) -> bool {
        self.single.is_empty() && self.several.is_empty()
    }

    /// `query`, or any alias of several words with all its words.
    fn or_query(&self, names: &NameLookup<'_>, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
        if self.several.is_empty() {
            return Ok(query);
        }
        let mut clauses = vec![(Occur::Should, query)];
        for words in &self.several {
            let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len());
            for terms in words {
                all.push((Occur::Must, names.any_term(terms)?));
            }
            clauses.push((Occur::Should, Box::new(BooleanQuery::new(all))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Every spelling, for the second ranking stage.
    fn ranked(&self) -> Vec<NameTerm> {
        let mut terms = self.single.clone();
        for words in &self.several {
            for word in words {
                merge(&mut terms, word.clone());
            }
        }
        terms
    }
}

/// Adds `more` to `terms`, keeping the higher weight of a term listed twice (and calling
/// it word-like only when both say so).
fn merge(terms: &mut Vec<NameTerm>, more: Vec<NameTerm>) {
    for term in more {
        match terms.iter_mut().find(|t| t.term == term.term) {
            Some(known) => {
                known.weight = known.weight.max(term.weight);
                known.word_like &= term.word_like;
            }
            None => terms.push(term),
        }
    }
}

/// `query`, also matching the other spellings of its free-text words (see
/// [`NameLookup::add_plain_variants`]). Like the widening with stem readings, only a query
/// of alternatives is widened.
pub fn widen_with_variants(
    names: &NameLookup<'_>,
    query: Box<dyn Query>,
    words: &QueryWords,
) -> Result<Box<dyn Query>> {
    if words.has_required_clauses {
        return Ok(query);
    }
    // each word's spellings apart: two words are never scored as one
    let mut clauses = vec![(Occur::Should, query)];
    for word in words
        .words
        .iter()
        .filter(|w| w.alone && !w.names.is_empty())
    {
        clauses.push((Occur::Should, names.any_term(&word.names)?));
    }
    if clauses.len() == 1 {
        return Ok(clauses.pop().expect("the query").1);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_given_apart_is_shown_as_a_required_clause() {
        assert_eq!(shown_with_person("", " لافروف "), "person:\"لافروف\"");
        assert_eq!(
            shown_with_person("موسكو", "سيرغي \"لافروف\""),
            "+person:\"سيرغي  لافروف\" (موسكو)"
        );
        assert_eq!(person_name(" سيرغي \"لافروف\" "), "سيرغي  لافروف");
    }
}
