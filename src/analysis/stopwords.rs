//! Arabic function words and question words, dropped from queries (never from the index).
//!
//! A question such as `من هو مؤسس الدولة العثمانية؟` should be ranked by مؤسس, الدولة and
//! العثمانية; `من` and `هو` occur in nearly every article and only add noise to BM25. The
//! words are listed in normalized form (see `normalizer`), because the filter runs after it.
//! Dropped words leave their position empty, so phrase queries keep their gaps.

/// How many of the first [`QUERY_STOP_WORDS`] are question words.
const QUESTION_WORD_COUNT: usize = 46;

/// How many of the first [`QUERY_STOP_WORDS`] are the question words of written Arabic, alone
/// (those after them have و or ف attached, or are spoken forms).
const STANDARD_QUESTION_WORD_COUNT: usize = 20;

/// Whether a normalized word is a question word: a query with one is a question.
pub fn is_question_word(word: &str) -> bool {
    QUERY_STOP_WORDS[..QUESTION_WORD_COUNT].contains(&word)
}

/// The question words of written Arabic, alone (`ما`, `متي`, …, `ماهو`): the words a
/// misspelled question word is read as.
pub fn standard_question_words() -> &'static [&'static str] {
    &QUERY_STOP_WORDS[..STANDARD_QUESTION_WORD_COUNT]
}

/// Words that frame a question rather than say what it is about (`ما اسم …`, `كم عدد …`):
/// left out of the ranking of a query that has a question word, kept in any other query
/// (`تغيير اسم الشارع`).
pub const QUESTION_FRAME_WORDS: &[&str] = &["اسم", "الاسم", "عدد"];

/// Verbs that carry a question's grammar more than its subject (`اين تقع …`, `هل توجد …`,
/// `بماذا يسمى …`, `كم يبلغ …`): in a question they weigh
/// [`crate::search::RankingOptions::question_verbs`] of a word, since any article about the
/// subject may use them (normalized forms).
pub const QUESTION_VERBS: &[&str] = &[
    "يقع",
    "تقع",
    "يوجد",
    "توجد",
    "يمكن",
    "يبلغ",
    "تبلغ",
    "قام",
    "قامت",
    "يسمي",
    "تسمي",
    "سمي",
    "سميت",
    "يعتبر",
    "تعتبر",
    "يعد",
    "تعد",
    "اصبح",
    "اصبحت",
    "يطلق",
    "تطلق",
    "اطلق",
    "يعني",
    "تعني",
];

/// Normalized Arabic stop words used on the query side.
pub const QUERY_STOP_WORDS: &[&str] = &[
    // question words
    "من",
    "ما",
    "ماذا",
    "متي",
    "اين",
    "كم",
    "هل",
    "كيف",
    "لماذا",
    "اي",
    "ايه",
    "ايها",
    "ايهما",
    "بكم",
    // question words written joined to هو/هي, and بماذا
    "ماهو",
    "ماهي",
    "بماذا",
    "لمن",
    "مما",
    "ممن",
    // with و or ف attached (`وما اسمها؟`, `فمتى بدأت؟`), as a question that follows another
    // is often put
    "وما",
    "وماذا",
    "ومتي",
    "واين",
    "وكم",
    "وهل",
    "وكيف",
    "ولماذا",
    "ومن",
    "وماهو",
    "وماهي",
    "وبماذا",
    "فما",
    "فماذا",
    "فمتي",
    "فمن",
    "فكيف",
    "فهل",
    // as spoken in Egypt, the Levant and the Gulf (not وين, كام, شو: also names and
    // transliterations, such as Wayne and Show)
    "مين",
    "امتي",
    "ازاي",
    "فين",
    "منين",
    "ليش",
    "ايش",
    "قديش",
    // prepositions and particles
    "في",
    "علي",
    "الي",
    "عن",
    "مع",
    "منذ",
    "حتي",
    "عند",
    "لدي",
    "بين",
    "ضد",
    "نحو",
    "خلال",
    "حول",
    "ب",
    "ل",
    // the article alone (a typo or a cut word)
    "ال",
    "و",
    "ف",
    "ك",
    "او",
    "ام",
    "ثم",
    "بل",
    "لكن",
    "قد",
    "لقد",
    "لم",
    "لن",
    "لا",
    "ان",
    "انه",
    "انها",
    "اذا",
    "اذ",
    "كما",
    "مثل",
    "غير",
    "سوي",
    "كل",
    "بعض",
    "عام",
    // pronouns and demonstratives
    "هو",
    "هي",
    "هم",
    "هن",
    "هما",
    "انا",
    "نحن",
    "انت",
    "انتم",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هؤلاء",
    "اولئك",
    "هناك",
    "هنا",
    "الذي",
    "التي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللواتي",
    "اللاتي",
    // auxiliaries
    "كان",
    "كانت",
    "كانوا",
    "يكون",
    "تكون",
    "ليس",
    "ليست",
    "تم",
    "يتم",
    "وقد",
    "وهو",
    "وهي",
    "وكان",
    "فيها",
    "فيه",
    "عليه",
    "عليها",
    "منها",
    "منه",
    "اليه",
    "به",
    "بها",
    "له",
    "لها",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;

    #[test]
    fn stop_words_are_listed_in_normalized_form() {
        for word in QUERY_STOP_WORDS.iter().chain(QUESTION_FRAME_WORDS) {
            assert_eq!(&normalize(word), word);
        }
        // the question words come first
        assert_eq!(QUERY_STOP_WORDS[QUESTION_WORD_COUNT - 1], "قديش");
        assert_eq!(QUERY_STOP_WORDS[QUESTION_WORD_COUNT], "في");
        assert_eq!(standard_question_words().last(), Some(&"ممن"));
        assert!(is_question_word("متي") && is_question_word("ماهو"));
        assert!(!is_question_word("في"));
        // with و or ف attached, or as spoken
        assert!(is_question_word("وما") && is_question_word("فمن") && is_question_word("مين"));
    }
}
