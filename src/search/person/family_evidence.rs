//! Which articles that write a person's family name without the rest of the name are about
//! the person, from evidence in the archive.
//!
//! A family name is often an ordinary word (`الصيد` is also fishing, `ماي` the month of May,
//! `البنزرتي` anything from Bizerte) or another person's name. The archive tells: when most
//! articles with the family name also write the full name, the family name is this person's
//! ([`TRUSTED_SHARE`]) and an article writing it alone is about them. Otherwise such an article
//! must share [`MIN_CONTEXT_MATCHES`] of the words that mark the articles writing the full name
//! (their context: a role, a country, a party: `الحكومه`, `رئيس`, `النهضه`), words far more
//! frequent there than in the archive.

use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analysis::exact_analyzer;
use crate::analysis::name_key::name_key;
use crate::analysis::stopwords::QUERY_STOP_WORDS;
use crate::error::Result;
use crate::index::term_memo;
use crate::index::{Fields, document_to_article};

/// The family name alone is trusted when at least this share of the articles writing it
/// write the full name too.
pub const TRUSTED_SHARE: f64 = 0.6;

/// A part of a name in this many times more articles than the family name is a title or a
/// common given name (see [`family_alone`]).
pub const COMMON_PART_FACTOR: usize = 10;

/// How many of the best articles writing the full name the context words are read from.
const CONTEXT_SAMPLE: usize = 50;

/// A context word is in at least this share of the sampled articles (and in two of them when
/// there are [`SMALL_SAMPLE`] or more).
const MIN_SAMPLE_SHARE: f64 = 0.2;

/// A context word is at least this many times more frequent in the sampled articles than in
/// the archive.
const MIN_LIFT: f64 = 4.0;

/// The context words kept, the most telling first.
pub const CONTEXT_WORDS: usize = 20;

/// An article writing the family name alone needs this many of the context words (one when
/// fewer than [`SMALL_SAMPLE`] articles write the full name).
pub const MIN_CONTEXT_MATCHES: usize = 2;

/// Fewer articles writing the full name than this are a small sample: a context word needs
/// to be in one of them, an article writing the family name alone one context word.
const SMALL_SAMPLE: usize = 10;

/// The articles writing only the family name that a person query accepts, as `typed` (the
/// family name as typed, and its aliases: another spelling of a family name written alone is
/// twice unsure, `قيم` for `كيم`, `الثنائي` for `الثاني`): all of them when the archive trusts
/// the family name alone, those with [`MIN_CONTEXT_MATCHES`] context words when it does not,
/// and none when there are no context words to ask for. `parts` are the queries of the parts
/// of the name (in any spelling), `family` the index of the family name's; `name_words` are
/// the words of the name (normalized), never context.
///
/// When fewer than [`SMALL_SAMPLE`] articles write the full name as typed, the spelling typed
/// of another part is one the archive rarely writes (`ايمانوال ماكرون`), which says little of
/// who the family name is: the full name is then measured with `loose` instead, the parts in
/// any spelling of their key (`إيمانويل`, `امانويل`), as the archive writes the name.
///
/// The full name the family name is measured against leaves out a part far more common than
/// the family name ([`COMMON_PART_FACTOR`]): a title (`الرئيس ماكرون`) or a given name half
/// the archive shares says nothing of who the family name is.
pub fn family_alone(
    searcher: &Searcher,
    fields: &Fields,
    NameParts {
        parts,
        loose,
        family,
    }: NameParts<'_>,
    typed: Box<dyn Query>,
    name_words: &[String],
) -> Result<Option<Box<dyn Query>>> {
    let with_family = searcher.search(parts[family].as_ref(), &Count)?;
    let telling = telling_parts(searcher, parts, family, with_family)?;
    if telling.len() < 2 {
        return Ok(Some(typed));
    }
    let mut full = BooleanQuery::new(telling);
    let mut with_full = searcher.search(&full, &Count)?;
    if with_full < SMALL_SAMPLE {
        let (loose_full, loose_count) = full_name(searcher, loose, family, with_family)?;
        if loose_count > with_full {
            (full, with_full) = (loose_full, loose_count);
        }
    }
    // No article writes the full name: nothing tells the family name is someone else's.
    if with_full == 0 || with_full as f64 >= TRUSTED_SHARE * with_family as f64 {
        return Ok(Some(typed));
    }
    let words = context_words(searcher, fields, &full, name_words)?;
    let needed = if with_full < SMALL_SAMPLE {
        1
    } else {
        MIN_CONTEXT_MATCHES
    };
    if words.len() < needed {
        return Ok(None);
    }
    let evidence: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|word| {
            let either: Vec<(Occur, Box<dyn Query>)> = [fields.title, fields.body]
                .into_iter()
                .map(|field| {
                    let term = TermQuery::new(
                        Term::from_field_text(field, word),
                        IndexRecordOption::Basic,
                    );
                    (Occur::Should, Box::new(term) as Box<dyn Query>)
                })
                .collect();
            (
                Occur::Should,
                Box::new(BooleanQuery::new(either)) as Box<dyn Query>,
            )
        })
        .collect();
    let evidence = BooleanQuery::with_minimum_required_clauses(evidence, needed);
    let evidence = Unlisted(Box::new(ConstScoreQuery::new(Box::new(evidence), 0.0)));
    Ok(Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, typed),
        (Occur::Must, Box::new(evidence)),
    ]))))
}

/// The queries of the parts of a name, for [`family_alone`].
pub struct NameParts<'a> {
    /// Each part in the spellings a person query accepts.
    pub parts: &'a [Box<dyn Query>],
    /// Each part in any spelling of its key, the family name's as in `parts`.
    pub loose: &'a [Box<dyn Query>],
    /// Which part is the family name.
    pub family: usize,
}

/// The parts that tell who the family name is: the family name's, and each other part unless
/// it is [`COMMON_PART_FACTOR`] times more common than the family name (a title, a common given
/// name), each required.
fn telling_parts(
    searcher: &Searcher,
    parts: &[Box<dyn Query>],
    family: usize,
    with_family: usize,
) -> Result<Vec<(Occur, Box<dyn Query>)>> {
    let mut telling: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if i == family || searcher.search(part.as_ref(), &Count)? < COMMON_PART_FACTOR * with_family
        {
            telling.push((Occur::Must, part.box_clone()));
        }
    }
    Ok(telling)
}

/// The full name of [`telling_parts`] of `parts`, and how many articles write it (none when
/// only the family name tells).
fn full_name(
    searcher: &Searcher,
    parts: &[Box<dyn Query>],
    family: usize,
    with_family: usize,
) -> Result<(BooleanQuery, usize)> {
    let telling = telling_parts(searcher, parts, family, with_family)?;
    // the family name alone is no full name
    let enough = telling.len() >= 2;
    let full = BooleanQuery::new(telling);
    let count = if enough {
        searcher.search(&full, &Count)?
    } else {
        0
    };
    Ok((full, count))
}

/// The words that mark the articles `full` matches (see the module docs), the most telling
/// first: in [`MIN_SAMPLE_SHARE`] of its best [`CONTEXT_SAMPLE`] articles, [`MIN_LIFT`] times
/// more frequent there than in the archive, no stop word and no spelling of the name.
pub fn context_words(
    searcher: &Searcher,
    fields: &Fields,
    full: &dyn Query,
    name_words: &[String],
) -> Result<Vec<String>> {
    Ok(scored_context_words(searcher, fields, full, name_words)?
        .into_iter()
        .map(|(word, _)| word)
        .collect())
}

/// [`context_words`], each with its lift: how many times more frequent it is in the sampled
/// articles than in the archive.
pub fn scored_context_words(
    searcher: &Searcher,
    fields: &Fields,
    full: &dyn Query,
    name_words: &[String],
) -> Result<Vec<(String, f64)>> {
    let mut scored = sampled_context(searcher, fields, full, name_words)?;
    scored.truncate(CONTEXT_WORDS);
    Ok(scored)
}

/// [`scored_context_words`] of a context read once for `sampled_context(…, NAME)` and now
/// weighed for the name `name_words` too: its words that are no spelling of either, the most
/// telling [`CONTEXT_WORDS`] (the same words as reading it for both names at once).
pub fn context_without_name(
    context: &[(String, f64)],
    name_words: &[String],
) -> Vec<(String, f64)> {
    let name_keys: Vec<String> = name_words.iter().map(|w| name_key(w)).collect();
    context
        .iter()
        .filter(|(word, _)| !spells_the_name(word, name_words, &name_keys))
        .take(CONTEXT_WORDS)
        .cloned()
        .collect()
}

/// Whether `word` is a spelling of one of `name_words` (whose keys are `name_keys`): it ends
/// with one (a clitic before it) or shares its key.
fn spells_the_name(word: &str, name_words: &[String], name_keys: &[String]) -> bool {
    name_words.iter().any(|name| word.ends_with(name.as_str()))
        || name_keys.contains(&name_key(word))
}

/// Every word of [`scored_context_words`], the most telling first, without the cut to the
/// first [`CONTEXT_WORDS`]: what [`context_without_name`] takes.
pub fn sampled_context(
    searcher: &Searcher,
    fields: &Fields,
    full: &dyn Query,
    name_words: &[String],
) -> Result<Vec<(String, f64)>> {
    let sample = searcher.search(full, &TopDocs::with_limit(CONTEXT_SAMPLE).order_by_score())?;
    let mut in_sample: HashMap<String, usize> = HashMap::new();
    let mut analyzer = exact_analyzer();
    for (_, address) in &sample {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let article = document_to_article(fields, &doc);
        let mut seen: Vec<String> = Vec::new();
        for text in [&article.title, &article.body] {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let word = &stream.token().text;
                if !seen.contains(word) {
                    seen.push(word.clone());
                }
            }
        }
        for word in seen {
            *in_sample.entry(word).or_default() += 1;
        }
    }
    let sampled = sample.len() as f64;
    let least = if sample.len() < SMALL_SAMPLE {
        1.0
    } else {
        2.0
    };
    let min_count = (MIN_SAMPLE_SHARE * sampled).ceil().max(least) as usize;
    let name_keys: Vec<String> = name_words.iter().map(|w| name_key(w)).collect();
    let archive = searcher.num_docs().max(1) as f64;
    let mut scored: Vec<(f64, String, f64)> = Vec::new();
    for (word, count) in in_sample {
        if count < min_count
            || word.chars().count() < 3
            || word.chars().all(|c| c.is_ascii_digit())
            || QUERY_STOP_WORDS.contains(&word.as_str())
            || spells_the_name(&word, name_words, &name_keys)
        {
            continue;
        }
        let mut df = 0;
        for field in [fields.title, fields.body] {
            df += term_memo::doc_freq(searcher, &Term::from_field_text(field, &word))?;
        }
        let df = (df as f64).clamp(1.0, archive);
        let lift = (count as f64 / sampled) / (df / archive);
        if lift >= MIN_LIFT {
            scored.push((count as f64 * lift.ln(), word, lift));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(scored
        .into_iter()
        .map(|(_, word, lift)| (word, lift))
        .collect())
}

/// A query whose terms are not listed (`Query::query_terms`): the context words filter, but
/// are no words of the person, so snippets do not highlight them nor `matched_terms` list them.
#[derive(Debug)]
struct Unlisted(Box<dyn Query>);

impl Clone for Unlisted {
    fn clone(&self) -> Unlisted {
        Unlisted(self.0.box_clone())
    }
}

impl Query for Unlisted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.0.weight(enable_scoring)
    }
}
