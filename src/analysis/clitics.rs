//! The clitic inventory: the letters Arabic writes joined to the front of a word, written once.
//!
//! A word may carry, in this order, a conjunction ([`CONJUNCTIONS`]: و "and", ف "so"), a
//! preposition ([`PREPOSITIONS`]: ل "for", ب "with/in", ك "like") and the article
//! ([`ARTICLE`], ال "the"): `وبالأزمة` is و + ب + ال + أزمة. Every list of the analyzer and
//! the search that strips or recognises them is derived here from those parts, so a clitic
//! is added or removed in one place:
//! - [`article_groups`]: the article alone or after one conjunction or preposition
//!   (وال فال بال كال لل ال); ل + ال is written لل.
//! - [`conjunction_prepositions`]: a conjunction with a preposition (ول وب وك فل فب فك).
//! - [`preposition_clitics`]: those, then each preposition alone (what the stemmer's second
//!   reading strips).
//! - [`lone_clitics`]: every clitic without the article, two letters before one.
//! - [`prefixes`]: the article groups, then the lone clitics.
//!
//! Each list keeps the order its users match in (the first entry a word starts with wins),
//! which the tests pin against the lists the modules wrote before they shared this one.
//! The lists are built once, on first use.

use std::sync::LazyLock;

/// و, "and": a conjunction.
pub const WA: char = 'و';
/// ف, "so, then": a conjunction.
pub const FA: char = 'ف';
/// ل, "for, to": a preposition. Before the article it drops the article's alif (لل).
pub const LI: char = 'ل';
/// ب, "with, in, by": a preposition.
pub const BI: char = 'ب';
/// ك, "like, as": a preposition.
pub const KA: char = 'ك';

/// The conjunctions that attach to the next word (normalized letters).
pub const CONJUNCTIONS: [char; 2] = [WA, FA];

/// The prepositions that attach to the next word (normalized letters).
pub const PREPOSITIONS: [char; 3] = [LI, BI, KA];

/// Every clitic letter: the conjunctions, then the prepositions. A word starts with at most
/// one of them, so the order does not matter to `strip_prefix`.
pub const CLITIC_LETTERS: [char; 5] = [
    CONJUNCTIONS[0],
    CONJUNCTIONS[1],
    PREPOSITIONS[0],
    PREPOSITIONS[1],
    PREPOSITIONS[2],
];

/// The definite article, ال.
pub const ARTICLE: &str = "ال";

/// Article groups, longest first: the article after a conjunction (وال فال), after a
/// preposition (بال كال; ل + ال is لل, the alif dropped), then alone (ال). A word starting
/// with one is read as a noun with its article.
pub fn article_groups() -> &'static [&'static str] {
    static GROUPS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let lam_article = ARTICLE
            .strip_prefix('ا')
            .expect("the article starts with alif");
        let before_article = CONJUNCTIONS
            .iter()
            .chain(PREPOSITIONS.iter().filter(|&&p| p != LI))
            .map(|&c| format!("{c}{ARTICLE}"));
        let groups = before_article
            .chain([format!("{LI}{lam_article}"), ARTICLE.to_string()])
            .collect();
        leak_all(groups)
    });
    &GROUPS
}

/// A conjunction followed by a preposition, each conjunction in turn (ول وب وك فل فب فك).
pub fn conjunction_prepositions() -> &'static [&'static str] {
    static PAIRS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let pairs = CONJUNCTIONS
            .iter()
            .flat_map(|c| PREPOSITIONS.iter().map(move |p| format!("{c}{p}")))
            .collect();
        leak_all(pairs)
    });
    &PAIRS
}

/// The prepositions without the article, longest first: after a conjunction
/// ([`conjunction_prepositions`]), then alone (ل ب ك).
pub fn preposition_clitics() -> &'static [&'static str] {
    static CLITICS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let alone = PREPOSITIONS.iter().map(char::to_string).collect::<Vec<_>>();
        let mut clitics = conjunction_prepositions().to_vec();
        clitics.extend(leak_all(alone));
        clitics
    });
    &CLITICS
}

/// Every clitic without the article, longest first: a conjunction with a preposition, then
/// each conjunction alone, then each preposition alone (و ف ل ب ك). Words start with these
/// letters too (وزير, بكين, فيلم), so users strip them only when what is left is a word.
pub fn lone_clitics() -> &'static [&'static str] {
    static CLITICS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let letters = CLITIC_LETTERS
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>();
        let mut clitics = conjunction_prepositions().to_vec();
        clitics.extend(leak_all(letters));
        clitics
    });
    &CLITICS
}

/// Everything a word may start with that is not the word: the [`article_groups`], then the
/// [`lone_clitics`].
pub fn prefixes() -> &'static [&'static str] {
    static PREFIXES: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| [article_groups(), lone_clitics()].concat());
    &PREFIXES
}

/// The strings of a list built once for the life of the process, as `&'static str`.
fn leak_all(strings: Vec<String>) -> Vec<&'static str> {
    strings
        .into_iter()
        .map(|s| &*Box::leak(s.into_boxed_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists as the modules wrote them before this inventory (stemmer, name_key,
    /// query_words, spelling, alias_discovery, person): each derived list must match them.
    const OLD_ARTICLE_GROUPS: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];
    const OLD_PREPOSITION_PREFIXES: [&str; 9] = ["ول", "وب", "وك", "فل", "فب", "فك", "ل", "ب", "ك"];
    const OLD_LONE_CLITICS: [&str; 11] =
        ["ول", "وب", "وك", "فل", "فب", "فك", "و", "ف", "ل", "ب", "ك"];
    const OLD_ALIAS_PREFIXES: [&str; 17] = [
        "وال", "فال", "بال", "كال", "لل", "ال", "ول", "وب", "وك", "فل", "فب", "فك", "و", "ف", "ب",
        "ل", "ك",
    ];
    const OLD_PERSON_LETTERS: [char; 5] = ['و', 'ف', 'ب', 'ك', 'ل'];

    #[test]
    fn derived_lists_equal_the_old_literals() {
        assert_eq!(article_groups(), OLD_ARTICLE_GROUPS);
        assert_eq!(preposition_clitics(), OLD_PREPOSITION_PREFIXES);
        assert_eq!(lone_clitics(), OLD_LONE_CLITICS);
        assert_eq!(CONJUNCTIONS, ['و', 'ف']);
    }

    /// Where a list only differs from the old one in the order of entries that no word can
    /// both start with, the first entry a word starts with is the same in both: every pair
    /// of entries one of which starts the other keeps its order.
    fn same_first_match(new: &[&str], old: &[&str]) -> bool {
        let mut sorted_new = new.to_vec();
        let mut sorted_old = old.to_vec();
        sorted_new.sort_unstable();
        sorted_old.sort_unstable();
        let position = |list: &[&str], s: &str| list.iter().position(|&e| e == s);
        sorted_new == sorted_old
            && new.iter().all(|a| {
                new.iter().filter(|b| a != *b && b.starts_with(a)).all(|b| {
                    (position(new, a) < position(new, b)) == (position(old, a) < position(old, b))
                })
            })
    }

    #[test]
    fn prefixes_match_first_as_alias_discovery_did() {
        // the old list had ب before ل; no word starts with both, so the first match is the same
        assert!(same_first_match(prefixes(), &OLD_ALIAS_PREFIXES));
        assert!(!same_first_match(&["و", "وال"], &["وال", "و"]));
        for word in [
            "والحكومة",
            "بالأزمة",
            "للافروف",
            "ولبنان",
            "بكين",
            "لبنان",
            "كتاب",
        ] {
            let first =
                |list: &[&'static str]| list.iter().find(|p| word.starts_with(**p)).copied();
            assert_eq!(first(prefixes()), first(&OLD_ALIAS_PREFIXES), "{word}");
        }
    }

    #[test]
    fn clitic_letters_are_the_persons_letters() {
        let mut new = CLITIC_LETTERS.to_vec();
        let mut old = OLD_PERSON_LETTERS.to_vec();
        new.sort_unstable();
        old.sort_unstable();
        assert_eq!(new, old);
    }
}
