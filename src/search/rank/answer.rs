//! Answer cues: what an Arabic question asks for, and where an article has it.
//!
//! `متى` (when) asks for a time and `كم` (how many, how long) for a quantity. The question
//! word itself is dropped from the query (it occurs everywhere), but it still says which text
//! answers: one with a year, a date or a number near the question's other words. This is the
//! answer-type check of question-answering retrieval, limited to the two question words whose
//! answers can be recognized without a tagger: numbers written in digits, month names and
//! number words.

use tantivy::tokenizer::TokenStream;

use crate::analysis::clitics::{BI, CONJUNCTIONS};
use crate::analysis::exact_analyzer;

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// `متى`: a year, a date, a month.
    Time,
    /// `كم`, `بكم`: a number.
    Quantity,
}

/// Month names (Gregorian as in Egypt and the Maghreb, Syriac as in the Levant and Iraq,
/// Hijri), normalized. Ambiguous short ones (آب, صفر) are left out.
const MONTHS: &[&str] = &[
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يوليو",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون",
    "شباط",
    "اذار",
    "نيسان",
    "ايار",
    "حزيران",
    "تموز",
    "ايلول",
    "تشرين",
    // as Tunisia, Algeria and Morocco write them (the others are as in the east)
    "جانفي",
    "فيفري",
    "افريل",
    "ماي",
    "جوان",
    "جويليه",
    "اوت",
    "محرم",
    "ربيع",
    "جمادي",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "القعده",
    "الحجه",
];

/// Number words, normalized.
const NUMBER_WORDS: &[&str] = &[
    "واحد",
    "اثنان",
    "اثنين",
    "ثلاث",
    "ثلاثه",
    "اربع",
    "اربعه",
    "خمس",
    "خمسه",
    "سته",
    "سبع",
    "سبعه",
    "ثماني",
    "ثمانيه",
    "تسع",
    "تسعه",
    "عشر",
    "عشره",
    "عشرون",
    "عشرين",
    "مئه",
    "مائه",
    "الف",
    "الاف",
    "مليون",
    "ملايين",
    "مليار",
];

/// What a question asks for, from its (normalized) words, question words included.
pub fn answer_kind<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<AnswerKind> {
    words.into_iter().find_map(|word| match word {
        "متي" => Some(AnswerKind::Time),
        "كم" | "بكم" => Some(AnswerKind::Quantity),
        _ => None,
    })
}

/// Whether a normalized word can be an answer of `kind`.
fn is_answer(kind: AnswerKind, word: &str) -> bool {
    let digits = word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/'));
    digits
        || match kind {
            AnswerKind::Time => in_list(MONTHS, word),
            AnswerKind::Quantity => in_list(NUMBER_WORDS, word),
        }
}

/// Whether `word`, or `word` without a leading و, ف or ب (or و/ف then ب: وبديسمبر), is one of
/// `list`. The word itself is tried first: `فبراير`, `واحد` begin with those letters.
fn in_list(list: &[&str], word: &str) -> bool {
    if list.contains(&word) {
        return true;
    }
    let mut rest = word;
    for clitics in [CONJUNCTIONS.as_slice(), &[BI]] {
        if let Some(stripped) = rest.strip_prefix(clitics)
            && stripped.chars().count() >= 3
        {
            rest = stripped;
            if list.contains(&rest) {
                return true;
            }
        }
    }
    false
}

/// Positions (in words, as the index counts them) of the possible answers in `text`.
#[cfg(test)]
pub fn answer_positions(kind: AnswerKind, text: &str) -> Vec<u32> {
    read_text(Some(kind), text).answers
}

/// What the second stage reads in the text of one of its best hits.
#[derive(Debug, Default)]
pub struct TextEvidence {
    /// Positions of the possible answers (empty when no kind is asked for).
    pub answers: Vec<u32>,
    /// Position of the first word of each sentence after the first, ascending.
    pub sentence_starts: Vec<u32>,
}

/// Whether the text between two words ends a sentence: a full stop, question or exclamation
/// mark, semicolon (Arabic or Latin) or line break.
fn ends_sentence(between: &str) -> bool {
    between.contains(['.', '؟', '?', '!', '؛', ';', '\n', '۔'])
}

/// Reads `text` once: the possible answers of `kind` and where its sentences begin (in
/// words, as the index counts them).
pub fn read_text(kind: Option<AnswerKind>, text: &str) -> TextEvidence {
    let mut analyzer = exact_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut evidence = TextEvidence::default();
    let mut previous_end = None;
    while stream.advance() {
        let token = stream.token();
        let position = token.position as u32;
        if let Some(end) = previous_end
            && text.get(end..token.offset_from).is_some_and(ends_sentence)
        {
            evidence.sentence_starts.push(position);
        }
        previous_end = Some(token.offset_to);
        if let Some(kind) = kind
            && is_answer(kind, &token.text)
        {
            evidence.answers.push(position);
        }
    }
    evidence
}

/// The query words (idf-weighted, each counted once) that the best sentence holds, given
/// each word's positions and where the sentences begin (see [`read_text`]).
pub fn best_sentence(sentence_starts: &[u32], words: &[Vec<u32>], idf: &[f32]) -> f32 {
    let mut held: Vec<(usize, usize)> = Vec::new();
    for (word, positions) in words.iter().enumerate() {
        for &p in positions {
            held.push((sentence_starts.partition_point(|&s| s <= p), word));
        }
    }
    held.sort_unstable();
    held.dedup();
    let mut best = 0f32;
    let mut current = (usize::MAX, 0f32);
    for (sentence, word) in held {
        if sentence != current.0 {
            current = (sentence, 0.0);
        }
        current.1 += idf[word];
        best = best.max(current.1);
    }
    best
}

/// Sum over query words of `idf · (1 - d / (window + 1))` for the distance `d` from the
/// word's closest occurrence to a possible answer, when at most `window` words apart.
pub fn answer_closeness(answers: &[u32], words: &[Vec<u32>], idf: &[f32], window: u32) -> f32 {
    if answers.is_empty() {
        return 0.0;
    }
    words
        .iter()
        .zip(idf)
        .filter_map(|(positions, idf)| {
            let closest = positions
                .iter()
                .flat_map(|&p| answers.iter().map(move |&a| a.abs_diff(p)))
                .filter(|&d| d > 0)
                .min()?;
            (closest <= window).then(|| idf * (1.0 - closest as f32 / (window + 1) as f32))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize;

    #[test]
    fn question_words_say_what_is_asked() {
        assert_eq!(answer_kind(["متي", "ولد"]), Some(AnswerKind::Time));
        assert_eq!(answer_kind(["عدد", "كم"]), Some(AnswerKind::Quantity));
        assert_eq!(answer_kind(["من", "مؤسس"]), None);
    }

    /// Regression: every leading و/ف/ب was stripped, so فبراير read as راير and واحد as احد.
    #[test]
    fn months_and_numbers_that_begin_like_a_clitic_are_answers() {
        for month in ["فبراير", "وفبراير", "بفبراير", "وبفبراير", "فيفري"]
        {
            assert!(is_answer(AnswerKind::Time, &normalize(month)), "{month}");
        }
        for number in ["واحد", "وواحد", "بواحد", "ثلاثة", "وبثلاثة"] {
            assert!(
                is_answer(AnswerKind::Quantity, &normalize(number)),
                "{number}"
            );
        }
        assert!(!is_answer(AnswerKind::Time, &normalize("وراير")));
    }

    #[test]
    fn finds_years_months_and_numbers() {
        let text = "ولد جمال خاشقجي في 13 أكتوبر 1958 وله ثلاثة أبناء";
        assert_eq!(answer_positions(AnswerKind::Time, text), [4, 5, 6]);
        assert_eq!(answer_positions(AnswerKind::Quantity, text), [4, 6, 8]);
        assert!(!is_answer(AnswerKind::Time, &normalize("وفي")));
        assert!(is_answer(AnswerKind::Time, &normalize("وديسمبر")));
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks() {
        let text = "ولد خاشقجي في المدينة. ودرس في أمريكا؛ ثم عمل صحفيا\nوكتب مقالات؟ نعم";
        assert_eq!(read_text(None, text).sentence_starts, [4, 7, 10, 12]);
        let idf = [2.0, 3.0, 4.0];
        // words 0 and 1 share sentence 0 (5), word 2 is alone in sentence 1 (4)
        assert_eq!(best_sentence(&[5], &[vec![0], vec![3], vec![7]], &idf), 5.0);
        // a word counts once per sentence, however often it occurs there
        assert_eq!(
            best_sentence(&[5], &[vec![0], vec![3], vec![2, 7, 8]], &idf),
            9.0
        );
        assert_eq!(best_sentence(&[], &[vec![], vec![]], &idf), 0.0);
    }

    #[test]
    fn a_word_next_to_an_answer_counts_more() {
        let idf = [1.0, 2.0];
        let near = answer_closeness(&[5], &[vec![4], vec![20]], &idf, 10);
        let far = answer_closeness(&[5], &[vec![14], vec![20]], &idf, 10);
        assert!(near > far && far > 0.0);
        assert_eq!(answer_closeness(&[5], &[vec![40], vec![]], &idf, 10), 0.0);
        assert_eq!(answer_closeness(&[], &[vec![4]], &idf, 10), 0.0);
    }
}
