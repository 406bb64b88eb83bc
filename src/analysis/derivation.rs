//! Derivational relatives of a word: the other words built on its three-letter root.
//!
//! A question and the text that answers it often use different derivations of one root:
//! `متى ولد` against `مولود` or `ولادته`, `اسست` against `تأسيس` and `مؤسسها`, `اكتشف`
//! against `اكتشاف`. The light stemmer never conflates them (it strips clitics and
//! suffixes, not patterns), and a root stemmer over the whole index would conflate far too
//! much (and cost a field). Instead the ranking matches a query word's relatives at a low
//! weight, and finds them without touching the index: the word is matched against the
//! common patterns of Arabic derivation ([`PATTERNS`]) to guess its root, and the root is
//! put back into the same patterns to spell its relatives. Only the relatives the index
//! attests are looked up.
//!
//! Everything works on normalized light stems (see `normalizer` and `stemmer`): no ال, ة
//! written ه, hamza seats folded to ا, suffixes such as ه, ات, ون already stripped. Weak and
//! doubled roots are taken as they are written (no و/ي/ا alternation), which misses some
//! relatives (قال / يقول) but never invents one.

use super::stemmer::suffix_stem;

/// Patterns of derivation on a three-letter root, the radicals written `1`, `2`, `3`, in
/// normalized form and as light stems (no final ه). Nouns, participles and verbal nouns of
/// the common verb forms, then past verbs with the ت of the feminine or of the first and
/// second person, and present verbs.
pub const PATTERNS: &[&str] = &[
    // فعل, فاعل, فعال, فعيل, فعول
    "123",
    "1ا23",
    "12ا3",
    "12ي3",
    "12و3",
    // مفعل, مفعول, مفاعل, مفعال, مفاعيل
    "م123",
    "م12و3",
    "م1ا23",
    "م12ا3",
    "م1ا2ي3",
    // تفعيل, تفعل, تفاعل
    "ت12ي3",
    "ت123",
    "ت1ا23",
    // أفعل, إفعال / أفعال
    "ا123",
    "ا12ا3",
    // افتعل, افتعال, انفعل, انفعال, استفعل, استفعال
    "ا1ت23",
    "ا1ت2ا3",
    "ان123",
    "ان12ا3",
    "است123",
    "است12ا3",
    // متفعل, متفاعل, مفتعل, منفعل, مستفعل
    "مت123",
    "مت1ا23",
    "م1ت23",
    "من123",
    "مست123",
    // past verbs with ت: فعلت, فاعلت, أفعلت, تفعلت, تفاعلت, افتعلت, انفعلت, استفعلت
    "123ت",
    "1ا23ت",
    "ا123ت",
    "ت123ت",
    "ت1ا23ت",
    "ا1ت23ت",
    "ان123ت",
    "است123ت",
    // present verbs: يفعل, يتفعل, يتفاعل, يفتعل, ينفعل, يستفعل
    "ي123",
    "يت123",
    "يت1ا23",
    "ي1ت23",
    "ين123",
    "يست123",
];

/// The root `word` has when it is spelled by `pattern`, if it is.
fn root_by(pattern: &str, word: &str) -> Option<[char; 3]> {
    let mut root = ['\0'; 3];
    let mut letters = word.chars();
    for p in pattern.chars() {
        let c = letters.next()?;
        match p {
            '1'..='3' => {
                if !is_arabic_letter(c) {
                    return None;
                }
                root[(p as u8 - b'1') as usize] = c;
            }
            _ if p != c => return None,
            _ => {}
        }
    }
    letters.next().is_none().then_some(root)
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// Hamza on a seat the normalizer keeps (ؤ ئ) or alone (ء): a radical written ا in a root.
const HAMZA_SEATS: [char; 3] = ['ؤ', 'ئ', 'ء'];

/// Every root a normalized light stem can be read as: one per pattern that spells it. A
/// hamza radical is written ا, whatever its seat.
pub fn roots(stem: &str) -> Vec<[char; 3]> {
    let mut roots = Vec::new();
    for pattern in PATTERNS {
        if let Some(mut root) = root_by(pattern, stem) {
            for radical in &mut root {
                if HAMZA_SEATS.contains(radical) {
                    *radical = 'ا';
                }
            }
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
    }
    roots
}

/// The words `pattern` spells on `root`, suffix stripped (the reading the index holds for
/// every word without clitics; see `stem_candidates`): with a hamza radical (ا) also on
/// the seats ؤ and ئ (مؤسس, رئيس), which the normalizer keeps apart from ا.
fn spell(pattern: &str, root: [char; 3], out: &mut Vec<String>) {
    let seats: &[char] = if root.contains(&'ا') {
        &['ا', 'ؤ', 'ئ']
    } else {
        &['ا']
    };
    for &seat in seats {
        let word: String = pattern
            .chars()
            .map(|p| match p {
                '1'..='3' => match root[(p as u8 - b'1') as usize] {
                    'ا' => seat,
                    radical => radical,
                },
                _ => p,
            })
            .collect();
        out.push(suffix_stem(&word).to_string());
    }
}

/// The relatives of a word given by its stems, main stem first: every stem the patterns
/// spell on any root of the main stem, without the word's stems and without repeats, in
/// pattern order. (The other stems are readings with a clitic stripped that the main stem
/// already has, or without one that it strips; their roots add lookups, not matches: same
/// ARCD figures.) Whether the index has them is for the caller to check.
pub fn relatives(stems: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut spelled = Vec::new();
    if let Some(main) = stems.first() {
        for root in roots(main) {
            for pattern in PATTERNS {
                spelled.clear();
                spell(pattern, root, &mut spelled);
                for word in spelled.drain(..) {
                    if word.chars().count() >= 3
                        && !stems.contains(&word.as_str())
                        && !out.contains(&word)
                    {
                        out.push(word);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{light_stem, normalize};

    fn stem(word: &str) -> String {
        light_stem(&normalize(word)).to_string()
    }

    fn related(query: &str, text: &str) -> bool {
        let q = stem(query);
        relatives(&[q.as_str()]).contains(&stem(text))
    }

    #[test]
    fn reads_roots_off_patterns() {
        assert!(roots(&stem("اكتشاف")).contains(&['ك', 'ش', 'ف']));
        assert!(roots(&stem("التأسيس")).contains(&['ا', 'س', 'س']));
        assert!(roots(&stem("مولود")).contains(&['و', 'ل', 'د']));
        assert!(roots(&stem("استقلال")).contains(&['ق', 'ل', 'ل']));
        // nothing but letters stands for a radical
        assert!(roots("12ت").is_empty());
    }

    #[test]
    fn a_question_word_meets_the_derivations_of_the_text() {
        // متى ولد … / ولد في … المولود …
        assert!(related("ولد", "المولود"));
        assert!(related("ولد", "الولادة"));
        // متى أسست الدولة / تأسيس الدولة، مؤسسها
        assert!(related("أسست", "تأسيس"));
        assert!(related("تأسست", "مؤسس"));
        // من اكتشف / اكتشاف
        assert!(related("اكتشف", "الاكتشافات"));
        assert!(related("انتخب", "الانتخابات"));
        assert!(related("يحكم", "الحاكم"));
    }

    #[test]
    fn the_word_itself_and_unrelated_words_are_not_relatives() {
        let own = stem("تأسيس");
        assert!(!relatives(&[own.as_str()]).contains(&own));
        assert!(!related("ولد", "الدولة"));
        assert!(!related("اكتشف", "الكتاب"));
    }
}
