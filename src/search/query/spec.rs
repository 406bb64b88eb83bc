//! One request's query, read once ([`QuerySpec`]): the user's text parsed into its syntax
//! tree (see [`super::parse`]), the persons (the tree's `person:` leaves and a person given
//! apart from the text: `--person`, `person=`, the person card) and the dates. Every command
//! builds its tantivy query from one (see [`super::build`]).

use tantivy::query::Occur;
use tantivy_query_grammar::{
    Delimiter, Occur as TreeOccur, UserInputAst, UserInputLeaf, UserInputLiteral,
};
use time::OffsetDateTime;

use super::parse::ParsedQuery;
use super::query_check::{check_query, leaf_field, position_of};
use crate::error::{Error, Result};
use crate::search::person::lookup::{PERSON_FIELD, PersonClause, person_name};

/// What a request's query is made of, read once from the user's text.
#[derive(Debug, Clone)]
pub struct QuerySpec {
    /// The user's text as typed (errors name it).
    pub(crate) text: String,
    /// The text's syntax tree without its person leaves; `None` when the text is blank or
    /// held only persons.
    pub(crate) rest: Option<UserInputAst>,
    /// The person given apart from the text first, then the text's `person:` leaves in order.
    pub(crate) persons: Vec<PersonClause>,
    /// Filters (`source:"…"` leaves) required beside the persons; without persons they are
    /// required clauses of `rest` (see [`QuerySpec::filtered`]).
    pub(crate) filters: Vec<UserInputAst>,
    /// Only articles dated at or after this time.
    pub(crate) from: Option<OffsetDateTime>,
    /// Only articles dated before this time.
    pub(crate) to: Option<OffsetDateTime>,
}

impl QuerySpec {
    /// The query of `text`, about `person` when one is given apart from the text, within
    /// `[from, to)`. Beside words, that person is required and the words rank the articles
    /// about it (a word marked `+` or joined by `AND` is required too); with no words, it is
    /// the whole query. The text is checked (size, depth) and
    /// parsed here, once; a text the grammar refuses is an error naming it.
    pub fn new(
        text: &str,
        person: Option<&str>,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
    ) -> Result<QuerySpec> {
        let mut persons = Vec::new();
        if let Some(name) = person {
            let occur = if text.trim().is_empty() {
                Occur::Should
            } else {
                Occur::Must
            };
            let name = person_name(name);
            persons.push(PersonClause { occur, name });
        }
        let rest = if text.trim().is_empty() {
            None
        } else {
            check_query(text)?;
            let parsed = ParsedQuery::parse(text)?.with_colons_read()?;
            match take_persons(parsed.tree, None, text, &mut persons)? {
                // the grammar reads `+a` alone as `a`; beside a person, `+` requires it
                Taken::Unchanged(leaf @ UserInputAst::Leaf(_))
                    if person.is_some() && text.trim_start().starts_with('+') =>
                {
                    Some(UserInputAst::Clause(vec![(Some(TreeOccur::Must), leaf)]))
                }
                Taken::Unchanged(tree) => Some(tree),
                Taken::Changed(tree) => tree,
            }
        };
        Ok(QuerySpec {
            text: text.to_string(),
            rest,
            persons,
            filters: Vec::new(),
            from,
            to,
        })
    }

    /// The query narrowed to articles whose field has the value, for each `(field, value)`
    /// (the value matched as the phrase `field:"value"` is). Without persons, the text and
    /// the filters are the required clauses of one tree, the tree the grammar makes of
    /// `+(TEXT) +field:"value"` (`+(* -TEXT)` for a text that only excludes); beside persons
    /// (where the text only ranks) the filters are required clauses of their own.
    pub fn filtered(mut self, filters: &[(&str, String)]) -> QuerySpec {
        if filters.is_empty() {
            return self;
        }
        let leaves = filters.iter().map(|(field, value)| {
            UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(UserInputLiteral {
                field_name: Some(field.to_string()),
                phrase: value.clone(),
                delimiter: Delimiter::DoubleQuotes,
                slop: 0,
                prefix: false,
            })))
        });
        if !self.persons.is_empty() {
            self.filters.extend(leaves);
            return self;
        }
        // a text that only excludes excludes from the filter's articles (`-a` alone would
        // exclude from nothing), as beside a person
        let rest = self.rest.take().map(|tree| {
            if only_excludes(&tree) {
                every_article_but(tree)
            } else {
                tree
            }
        });
        let mut clauses: Vec<_> = rest.into_iter().chain(leaves).collect();
        self.rest = match clauses.len() {
            0 => None,
            // a single `+clause` is the clause, as the grammar reads it
            1 => clauses.pop(),
            _ => Some(UserInputAst::Clause(
                clauses
                    .into_iter()
                    .map(|clause| (Some(TreeOccur::Must), clause))
                    .collect(),
            )),
        };
        self
    }
}

/// True when every word or phrase of `tree` is excluded (`-موسكو -"وزير الخارجية"`, also in
/// groups: `(-موسكو -كييف)`): each leaf's own clause is `-` (or `NOT`).
pub(crate) fn only_excludes(tree: &UserInputAst) -> bool {
    fn excluded(tree: &UserInputAst, occur: Option<TreeOccur>) -> bool {
        match tree {
            UserInputAst::Clause(clauses) => clauses
                .iter()
                .all(|(occur, clause)| excluded(clause, *occur)),
            UserInputAst::Boost(..) | UserInputAst::Leaf(_) => occur == Some(TreeOccur::MustNot),
        }
    }
    excluded(tree, None)
}

/// Every article but those `tree` excludes (a tree that [`only_excludes`]): `* -a -b`, its
/// groups undone (a group of exclusions alone would exclude nothing).
pub(crate) fn every_article_but(tree: UserInputAst) -> UserInputAst {
    fn excluded(tree: UserInputAst, occur: Option<TreeOccur>, out: &mut Vec<ClauseOf>) {
        match tree {
            UserInputAst::Clause(clauses) => {
                for (occur, clause) in clauses {
                    excluded(clause, occur, out);
                }
            }
            leaf => out.push((occur, leaf)),
        }
    }
    type ClauseOf = (Option<TreeOccur>, UserInputAst);
    let mut clauses = vec![(None, UserInputAst::Leaf(Box::new(UserInputLeaf::All)))];
    excluded(tree, None, &mut clauses);
    UserInputAst::Clause(clauses)
}

/// A tree after its person leaves are taken out.
enum Taken {
    /// It held none.
    Unchanged(UserInputAst),
    /// What is left of it (`None`: nothing).
    Changed(Option<UserInputAst>),
}

/// Takes the `person:` leaves out of `tree` (whose clause marks it with `occur`) into
/// `persons`, each with its own clause's occurrence (`+person:`, `person: AND …`: must;
/// `-person:`, `NOT person:`: must not; else should), wherever it is nested: a person is
/// always a clause of the query's top level. What is left is the tree the grammar makes of
/// the text without those leaves (the `AND`/`OR` that joined them gone, a group left with one
/// clause read as that clause).
fn take_persons(
    tree: UserInputAst,
    occur: Option<TreeOccur>,
    text: &str,
    persons: &mut Vec<PersonClause>,
) -> Result<Taken> {
    match tree {
        UserInputAst::Leaf(leaf) => match person_leaf(&leaf, text)? {
            Some(name) => {
                persons.push(PersonClause {
                    occur: match occur {
                        Some(TreeOccur::Must) => Occur::Must,
                        Some(TreeOccur::MustNot) => Occur::MustNot,
                        Some(TreeOccur::Should) | None => Occur::Should,
                    },
                    name,
                });
                Ok(Taken::Changed(None))
            }
            None => Ok(Taken::Unchanged(UserInputAst::Leaf(leaf))),
        },
        UserInputAst::Boost(inner, boost) => {
            Ok(match take_persons(*inner, occur, text, persons)? {
                Taken::Unchanged(inner) => {
                    Taken::Unchanged(UserInputAst::Boost(Box::new(inner), boost))
                }
                Taken::Changed(inner) => {
                    Taken::Changed(inner.map(|inner| UserInputAst::Boost(Box::new(inner), boost)))
                }
            })
        }
        UserInputAst::Clause(clauses) => {
            let mut changed = false;
            let mut kept = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                match take_persons(clause, occur, text, persons)? {
                    Taken::Unchanged(clause) => kept.push((occur, clause)),
                    Taken::Changed(clause) => {
                        changed = true;
                        kept.extend(clause.map(|clause| lifted(occur, clause)));
                    }
                }
            }
            if !changed {
                return Ok(Taken::Unchanged(UserInputAst::Clause(kept)));
            }
            Ok(Taken::Changed(match kept.len() {
                0 => None,
                // one clause is that clause, as the grammar reads `(a)` and `a` alone; an
                // excluded or required one stays a clause (`person:X +a`: `a` is required)
                1 if matches!(kept[0].0, None | Some(TreeOccur::Should)) => {
                    Some(kept.pop().expect("one").1)
                }
                _ => Some(UserInputAst::Clause(kept)),
            }))
        }
    }
}

/// A group's clause `(occur, clause)` as the grammar writes it: an unmarked group of one
/// clause is that clause (`a (-b)` is `a -b`).
fn lifted(occur: Option<TreeOccur>, clause: UserInputAst) -> (Option<TreeOccur>, UserInputAst) {
    match clause {
        UserInputAst::Clause(mut inner) if occur.is_none() && inner.len() == 1 => {
            inner.pop().expect("one clause")
        }
        clause => (occur, clause),
    }
}

/// The name of a `person:` leaf (`person:لافروف`, `person:"سيرغي لافروف"`), `None` for
/// another leaf; a `person:` range, set or pattern of the query `text` is an error.
fn person_leaf(leaf: &UserInputLeaf, text: &str) -> Result<Option<String>> {
    if leaf_field(leaf) != Some(PERSON_FIELD) {
        return Ok(None);
    }
    let UserInputLeaf::Literal(literal) = leaf else {
        return Err(Error::QuerySyntax {
            query: text.to_string(),
            position: position_of(text, PERSON_FIELD),
            message: format!(
                "`{PERSON_FIELD}:` takes a name, as in {PERSON_FIELD}:\"سيرغي لافروف\", not a \
                 range, set or pattern"
            ),
        });
    };
    Ok(Some(literal.phrase.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> QuerySpec {
        QuerySpec::new(text, None, None, None).unwrap()
    }

    fn persons(spec: &QuerySpec) -> Vec<(Occur, &str)> {
        spec.persons
            .iter()
            .map(|p| (p.occur, p.name.as_str()))
            .collect()
    }

    /// The rest of `spec` as the tree of `text` (what the text scanner left of the query).
    fn rest_is(spec: &QuerySpec, text: &str) {
        let expected = tantivy_query_grammar::parse_query(text).unwrap();
        assert_eq!(spec.rest.as_ref(), Some(&expected), "{text}");
    }

    /// The rest of `spec` as the tree of `text`, required (`AND` or `+` beside a person).
    fn rest_is_required(spec: &QuerySpec, text: &str) {
        let expected = tantivy_query_grammar::parse_query(text).unwrap();
        let required = UserInputAst::Clause(vec![(Some(TreeOccur::Must), expected)]);
        assert_eq!(spec.rest.as_ref(), Some(&required), "{text}");
    }

    #[test]
    fn person_leaves_are_taken_out_of_the_tree() {
        let read = spec("موسكو person:\"سيرغي لافروف\" +person:بلينكن -person:شي");
        rest_is(&read, "موسكو");
        assert_eq!(
            persons(&read),
            [
                (Occur::Should, "سيرغي لافروف"),
                (Occur::Must, "بلينكن"),
                (Occur::MustNot, "شي"),
            ]
        );
        let read = spec("(person:زيلينسكي) person:\"شي جين\"");
        assert!(read.rest.is_none());
        assert_eq!(
            persons(&read),
            [(Occur::Should, "زيلينسكي"), (Occur::Should, "شي جين")]
        );
    }

    #[test]
    fn and_makes_a_person_and_the_rest_required_and_or_leaves_them_optional() {
        let read = spec("person:لافروف AND موسكو");
        rest_is_required(&read, "موسكو");
        assert_eq!(persons(&read), [(Occur::Must, "لافروف")]);
        let read = spec("(person:لافروف OR person:بلينكن) كييف");
        rest_is(&read, "كييف");
        assert_eq!(
            persons(&read),
            [(Occur::Should, "لافروف"), (Occur::Should, "بلينكن")]
        );
        rest_is_required(&spec("(موسكو OR كييف) AND person:لافروف"), "(موسكو OR كييف)");
        rest_is_required(&spec("person:لافروف +موسكو"), "موسكو");
        let apart = QuerySpec::new("+موسكو", Some("لافروف"), None, None).unwrap();
        rest_is_required(&apart, "موسكو");
        rest_is(&spec("person:لافروف -أنقرة"), "-أنقرة");
        rest_is(&spec("موسكو (person:لافروف -أنقرة)"), "موسكو -أنقرة");
        // `NOT` excludes a person as `-` does
        assert_eq!(
            persons(&spec("موسكو NOT person:شي")),
            [(Occur::MustNot, "شي")]
        );
    }

    #[test]
    fn a_person_given_apart_is_required_beside_words_and_the_query_alone() {
        let read =
            QuerySpec::new("موسكو person:بلينكن", Some("سيرغي \"لافروف\""), None, None).unwrap();
        rest_is(&read, "موسكو");
        assert_eq!(
            persons(&read),
            [(Occur::Must, "سيرغي  لافروف"), (Occur::Should, "بلينكن")]
        );
        let alone = QuerySpec::new(" ", Some(" لافروف "), None, None).unwrap();
        assert!(alone.rest.is_none());
        assert_eq!(persons(&alone), [(Occur::Should, "لافروف")]);
    }

    #[test]
    fn filters_are_required_clauses_beside_the_text_or_the_persons() {
        let filters = [("source", "Jawhara  FM".to_string())];
        let read = spec("لافروف OR بلينكن").filtered(&filters);
        rest_is(&read, "+(لافروف OR بلينكن) +source:\"Jawhara  FM\"");
        rest_is(&spec(" ").filtered(&filters), "+source:\"Jawhara  FM\"");
        rest_is(
            &spec("-لافروف").filtered(&filters),
            "+(* -لافروف) +source:\"Jawhara  FM\"",
        );
        let two = [filters[0].clone(), ("place", "تونس".to_string())];
        rest_is(
            &spec(" ").filtered(&two),
            "+source:\"Jawhara  FM\" +place:\"تونس\"",
        );
        let about = QuerySpec::new("موسكو", Some("لافروف"), None, None)
            .unwrap()
            .filtered(&filters);
        rest_is(&about, "موسكو");
        assert_eq!(about.filters.len(), 1);
    }

    #[test]
    fn no_filters_leave_the_query_as_it_is() {
        // a text that only excludes stays so (an error, when no person is beside it)
        rest_is(&spec("-لافروف").filtered(&[]), "-لافروف");
    }

    #[test]
    fn a_query_without_persons_keeps_its_tree() {
        // `person` inside a field name is no person
        let error = QuerySpec::new("xperson:a", None, None, None).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `xperson`"),
            "{error}"
        );
        for text in ["title:b", "+لافروف (موسكو OR كييف) -بكين", "a a"] {
            let read = spec(text);
            assert!(read.persons.is_empty());
            rest_is(&read, text);
        }
    }

    /// The text scanner this replaced read `person:"شي جين` (no closing quote) as a person and
    /// `person: لافروف` as an empty name; the grammar refuses the first, as it does an
    /// unclosed quote anywhere, and reads the second as `person:لافروف`.
    #[test]
    fn person_clauses_follow_the_grammar() {
        assert!(QuerySpec::new("person:\"شي جين", None, None, None).is_err());
        assert_eq!(persons(&spec("person: لافروف")), [(Occur::Should, "لافروف")]);
        // a U+0001 typed in the query (the scanner's placeholder) is a character like another
        let read = spec("\u{1} AND \u{1} AND +person:لافروف");
        assert_eq!(persons(&read), [(Occur::Must, "لافروف")]);
        assert!(QuerySpec::new("person:[a TO b]", None, None, None).is_err());
    }
}
