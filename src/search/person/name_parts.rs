//! The parts of a person's name as a person query reads them: which part is the family name
//! (the one an article may write alone), which parts can be looked up at all, and where a part
//! written as one word may be two (`جينبينغ`: `جين بينغ`, `كيمون`: `كي مون`).
//!
//! News writes a full name once and the family name after it, and many articles write only
//! the family name, so a person query requires the family name and lets the other parts
//! (given names, a title, a kunya) raise the rank (see `lookup` and `family_evidence`).

use crate::analysis::name_key::is_compound_head;
use crate::analysis::stopwords::QUERY_STOP_WORDS;

/// A part of at most this many letters is short, as the parts of East-Asian names are
/// (`كيم`, `جونغ`, `شي`, `جين`, `بينغ`, `مون`, `جاي`, `إن`).
const SHORT_PART_CHARS: usize = 4;

/// A name of this many parts or more, all short, is East-Asian: its family name comes first
/// (`كيم جونغ أون`, `شي جين بينغ`, `مون جاي إن`, `بان كي مون`).
const EAST_ASIAN_PARTS: usize = 3;

/// Each half of a word read as two parts has at least this many letters.
const MIN_HALF_CHARS: usize = 2;

/// A word is read as two parts only when it has at least this many letters.
const MIN_SPLIT_CHARS: usize = 5;

/// The index of the family name among the words of a name (normalized, compounds joined as
/// `query_name_words` gives them): the last word, or the first of an East-Asian name (see
/// [`EAST_ASIAN_PARTS`]). A compound (`عبد الله`, `أبو بكر`) counts as one part, and a word
/// that `halves` says the archive writes as two short parts counts as two (`جينبينغ` in
/// `شي جينبينغ`, `جايإن` in `مون جايإن`: the same names as `شي جين بينغ`, `مون جاي إن`).
pub fn family_index(words: &[String], halves: impl Fn(usize) -> Option<(usize, usize)>) -> usize {
    let short = |letters: usize| letters <= SHORT_PART_CHARS;
    let mut parts = 0;
    let mut all_short = true;
    for (i, word) in words.iter().enumerate() {
        match halves(i) {
            Some((first, second)) => {
                parts += 2;
                all_short &= short(first) && short(second);
            }
            None => {
                parts += 1;
                all_short &= !word.contains(' ') && short(word.chars().count());
            }
        }
    }
    if parts >= EAST_ASIAN_PARTS && all_short {
        0
    } else {
        words.len().saturating_sub(1)
    }
}

/// Whether a part of a name can be looked up in the name table: it holds no spellings for
/// stop words (`إن` is also "that") or single letters (see `name_key`). Such a part still
/// matches written against its neighbour (`جايإن`).
pub fn is_searchable(word: &str) -> bool {
    word.chars().nth(1).is_some() && !QUERY_STOP_WORDS.contains(&word)
}

/// The words of a name written joined: `جاي` and `إن` as `جايإن`; none for a compound (whose
/// parts the compound field already joins) or a pair that is one word too long to be a part.
pub fn joined(first: &str, second: &str) -> Option<String> {
    if first.contains(' ') || second.contains(' ') {
        return None;
    }
    let short = |w: &str| w.chars().count() <= SHORT_PART_CHARS;
    (short(first) || short(second)).then(|| format!("{first}{second}"))
}

/// The ways one word of a name may be two parts written joined (`جينبينغ`: `جين` + `بينغ`):
/// each split into halves of [`MIN_HALF_CHARS`] letters or more, one of them short, the first
/// no stop word (`ما` + `كرون` is no reading of `ماكرون`) and no compound head (the name
/// field joins `عبد ربه` and `بو تفليقة` already). The caller keeps those both of whose
/// halves the archive writes next to each other.
pub fn splits(word: &str) -> Vec<(String, String)> {
    let letters: Vec<char> = word.chars().collect();
    if word.contains(' ') || letters.len() < MIN_SPLIT_CHARS {
        return Vec::new();
    }
    (MIN_HALF_CHARS..=letters.len() - MIN_HALF_CHARS)
        .map(|i| {
            let first: String = letters[..i].iter().collect();
            let second: String = letters[i..].iter().collect();
            (first, second)
        })
        .filter(|(first, second)| {
            !QUERY_STOP_WORDS.contains(&first.as_str())
                && !is_compound_head(first)
                && (first.chars().count() <= SHORT_PART_CHARS
                    || second.chars().count() <= SHORT_PART_CHARS)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::name_key::query_name_words;

    fn family(name: &str) -> String {
        let words = query_name_words(name);
        words[family_index(&words, |_| None)].clone()
    }

    #[test]
    fn the_family_name_is_last_or_first_in_an_east_asian_name() {
        assert_eq!(family("يوسف الشاهد"), "الشاهد");
        assert_eq!(family("الباجي قائد السبسي"), "السبسي");
        assert_eq!(family("جان لوك ميلونشون"), "ميلونشون");
        assert_eq!(family("عبد الحكيم بلحاج"), "بلحاج");
        assert_eq!(family("أبو بكر البغدادي"), "البغدادي");
        assert_eq!(family("كيم جونغ أون"), "كيم");
        assert_eq!(family("شي جين-بينغ"), "شي");
        assert_eq!(family("مون جاي إن"), "مون");
        assert_eq!(family("ترامب"), "ترامب");
    }

    #[test]
    fn a_word_written_as_two_short_parts_counts_as_two() {
        let words = query_name_words("شي جينبينغ");
        assert_eq!(family_index(&words, |_| None), 1);
        let written_apart = |i: usize| (i == 1).then_some((3, 4));
        assert_eq!(family_index(&words, written_apart), 0);
        // a long half is no East-Asian part
        assert_eq!(family_index(&words, |i| (i == 1).then_some((2, 5))), 1);
    }

    #[test]
    fn short_parts_join_and_long_words_split() {
        assert!(!is_searchable("ان"));
        assert!(is_searchable("شي"));
        assert_eq!(joined("جاي", "ان").as_deref(), Some("جايان"));
        assert_eq!(joined("عبد الله", "الثاني"), None);
        assert_eq!(joined("الباجي", "السبسي"), None);
        let halves = splits("جينبينغ");
        assert!(halves.contains(&("جين".to_string(), "بينغ".to_string())));
        assert!(splits("كيمون").contains(&("كي".to_string(), "مون".to_string())));
        assert!(!splits("ماكرون").contains(&("ما".to_string(), "كرون".to_string())));
        assert!(splits("فيون").is_empty());
        assert!(!splits("عبدربه").contains(&("عبد".to_string(), "ربه".to_string())));
    }
}
