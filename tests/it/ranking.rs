//! The second ranking stage on small articles: each score (proximity, lead, answer cues)
//! changes the order of two articles that differ only in what it measures, and nothing
//! without it.

use crate::util::TestEnv;
use fahras::search::RankingOptions;
use fahras::{FahrasIndex, IngestOptions, SearchRequest};

/// A sentence none of the queries below share a word with (ten words).
const FILLER: &str = "تناول التقرير أحوال الطقس والزراعة والأسواق المحلية في المدن الساحلية.";

/// Ingests `articles` (file name, headline, text made of the given pieces, with the filler
/// where a piece is `None`).
fn index_of(env: &TestEnv, articles: &[(&str, &[Option<&str>])]) -> FahrasIndex {
    for (i, (name, pieces)) in articles.iter().enumerate() {
        let text: Vec<&str> = pieces.iter().map(|p| p.unwrap_or(FILLER)).collect();
        env.write(
            &format!("articles/{name}"),
            format!("خبر رقم {}\n{}\n", i + 1, text.join(" ")),
        );
    }
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    let options = IngestOptions {
        threads: 1,
        ..IngestOptions::default()
    };
    let report = index
        .ingest(&env.path("articles"), &options, &mut |_| {})
        .unwrap();
    assert_eq!(report.articles_indexed, articles.len() as u64);
    index
}

/// The hits' ids and scores for `query` ranked with `ranking` over the defaults.
fn ranked(index: &FahrasIndex, query: &str, ranking: &str) -> Vec<(String, f32)> {
    let mut request = SearchRequest::new(query);
    request.ranking = RankingOptions::parse(ranking).unwrap();
    let results = index.search(&request).unwrap();
    results.hits.into_iter().map(|h| (h.id, h.score)).collect()
}

fn assert_tied(hits: &[(String, f32)]) {
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!((hits[0].1 - hits[1].1).abs() < 1e-4, "{hits:?}");
}

#[test]
fn words_close_together_rank_above_the_same_words_far_apart() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "far.txt",
                &[None, None, Some("المتحف"), None, Some("الوطني"), None],
            ),
            ("near.txt", &[None, None, Some("المتحف الوطني"), None, None]),
        ],
    );
    let hits = ranked(&index, "المتحف الوطني", "lead=0");
    assert_eq!(hits[0].0, "near.txt", "{hits:?}");
    assert!(hits[0].1 > hits[1].1);
    assert_tied(&ranked(
        &index,
        "المتحف الوطني",
        "lead=0,proximity=0,ordered=0",
    ));
}

#[test]
fn words_in_the_order_of_the_query_rank_above_the_same_words_reversed() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "reversed.txt",
                &[None, Some("بحث الأمن والنظافة مجلس المدينة"), None],
            ),
            (
                "ordered.txt",
                &[None, Some("بحث مجلس المدينة الأمن والنظافة"), None],
            ),
        ],
    );
    // the same words two apart, in the query's order in one article only
    let hits = ranked(&index, "مجلس الأمن", "lead=0");
    assert_eq!(hits[0].0, "ordered.txt", "{hits:?}");
    assert!(hits[0].1 > hits[1].1);
    assert_tied(&ranked(&index, "مجلس الأمن", "lead=0,ordered=0"));
}

#[test]
fn a_word_in_the_lead_ranks_above_the_same_word_further_down() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            ("late.txt", &[None, None, None, Some("المتحف")]),
            ("early.txt", &[Some("المتحف"), None, None, None]),
        ],
    );
    let hits = ranked(&index, "المتحف", "");
    assert_eq!(hits[0].0, "early.txt", "{hits:?}");
    assert!(hits[0].1 > hits[1].1);
    assert_tied(&ranked(&index, "المتحف", "lead=0"));
}

#[test]
fn a_question_asking_when_prefers_the_words_next_to_a_year() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "no-date.txt",
                &[None, Some("افتتح المتحف بعد انتظار"), None],
            ),
            ("dated.txt", &[None, Some("افتتح المتحف عام 1998"), None]),
        ],
    );
    let hits = ranked(&index, "متى افتتح المتحف؟", "");
    assert_eq!(hits[0].0, "dated.txt", "{hits:?}");
    assert!(hits[0].1 > hits[1].1);
    assert_tied(&ranked(&index, "متى افتتح المتحف؟", "answer=0"));
    // the same words without the question word: no answer is asked for
    assert_tied(&ranked(&index, "افتتح المتحف", ""));
}

#[test]
fn words_that_frame_a_question_are_left_out_of_questions_only() {
    let env = TestEnv::new();
    let index = index_of(&env, &[("a.txt", &[Some("اسم الشارع الجديد"), None])]);
    let options = RankingOptions::default().words;
    let words = |query: &str| -> Vec<String> {
        let analyzed = index.analyze_query(query, options).unwrap();
        analyzed.words.into_iter().map(|w| w.exact).collect()
    };
    assert_eq!(words("ما اسم الشارع الجديد؟"), ["الشارع", "الجديد"]);
    assert_eq!(words("كم عدد سكان المدينة"), ["سكان", "المدينه"]);
    assert_eq!(words("تغيير اسم الشارع"), ["تغيير", "اسم", "الشارع"]);
    let mut keep = options;
    keep.drop_question_frame = false;
    let analyzed = index.analyze_query("ما اسم الشارع؟", keep).unwrap();
    assert_eq!(analyzed.words[0].exact, "اسم");
}

#[test]
fn a_question_finds_its_answer_in_another_derivation_of_the_root_and_a_search_does_not() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "born.txt",
                &[None, Some("الروائي نجيب محفوظ المولود في القاهرة"), None],
            ),
            (
                "writer.txt",
                &[None, Some("الروائي نجيب محفوظ الكاتب في القاهرة"), None],
            ),
        ],
    );
    // متى ولد: the article that says المولود (same root, و ل د) answers it
    let question = ranked(&index, "متى ولد نجيب محفوظ", "");
    assert_eq!(question[0].0, "born.txt", "{question:?}");
    assert!(question[0].1 > question[1].1, "{question:?}");
    assert_tied(&ranked(&index, "متى ولد نجيب محفوظ", "derivation=0"));
    // a search for the words, with no question word, looks up no relatives
    assert_tied(&ranked(&index, "ولد نجيب محفوظ", ""));
}

#[test]
fn a_generic_verb_of_a_question_weighs_less_than_its_subject() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            ("verb.txt", &[None, Some("القلعة تقع"), None]),
            ("subject.txt", &[None, Some("القلعة الحمراء"), None]),
        ],
    );
    // أين تقع: تقع says how the question is put, الحمراء what it is about
    let question = ranked(&index, "أين تقع القلعة الحمراء؟", "");
    assert_eq!(question[0].0, "subject.txt", "{question:?}");
    assert!(question[0].1 > question[1].1, "{question:?}");
    assert_tied(&ranked(
        &index,
        "أين تقع القلعة الحمراء؟",
        "question_verbs=1,ordered=0",
    ));
    // without a question word every word weighs the same (القلعة الحمراء is in the
    // query's order, القلعة تقع is not: the ordered-pair score is left out)
    assert_tied(&ranked(&index, "تقع القلعة الحمراء", "ordered=0"));
}

#[test]
fn a_misspelled_word_the_index_does_not_know_finds_the_article_of_the_word_meant() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "government.txt",
                &[Some("عقدت الحكومة اجتماعها الأسبوعي في الرباط."), None],
            ),
            ("other.txt", &[Some("افتتح المعرض في الرباط."), None]),
        ],
    );
    // ج for ح: the index has no الجكومة, so the query looks for الحكومة
    let hits = ranked(&index, "الجكومة", "");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].0, "government.txt");
    assert!(ranked(&index, "الجكومة", "correct=0").is_empty());
    let hits = ranked(&index, "اجتماع الجكومة في الرباط", "");
    assert_eq!(hits[0].0, "government.txt", "{hits:?}");
    // a word the index knows is never corrected
    let words = index.analyze_query("المعرض", Default::default()).unwrap();
    assert!(words.corrections.is_empty(), "{:?}", words.corrections);
    // a misspelled question word is read as that word (and left out as one)
    let words = index
        .analyze_query("كتى عقدت الجكومة اجتماعها", Default::default())
        .unwrap();
    let corrected: Vec<(&str, &str)> = words
        .corrections
        .iter()
        .map(|c| (c.typed.as_str(), c.corrected.as_str()))
        .collect();
    assert_eq!(corrected, [("كتي", "متي"), ("الجكومه", "الحكومه")]);
    assert!(words.is_question);
    assert_eq!(words.dropped_stop_words, ["متي"]);
}

#[test]
fn spelling_splits_two_joined_words_keeps_clitics_and_prefers_likely_slips() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "alexander.txt",
                &[Some("قاد الإسكندر الأكبر جيوشه حتى الهند."), None],
            ),
            (
                "mauritania.txt",
                &[Some("تقع موريتانيا على ساحل المحيط الأطلسي."), None],
            ),
            ("singer.txt", &[Some("غنى تامر حسني في الحفل."), None]),
            ("volcano.txt", &[Some("ثار البركان مرتين هذا العام."), None]),
            ("other.txt", &[None, None]),
        ],
    );
    let corrections = |query: &str| -> Vec<(String, String)> {
        let words = index.analyze_query(query, Default::default()).unwrap();
        words
            .corrections
            .into_iter()
            .map(|c| (c.typed, c.corrected))
            .collect()
    };
    let pair = |typed: &str, corrected: &str| vec![(typed.to_string(), corrected.to_string())];
    // a space left out after ر, which does not join the next letter, does not show
    assert_eq!(
        corrections("الاسكندرالاكبر"),
        pair("الاسكندرالاكبر", "الاسكندر الاكبر")
    );
    assert_eq!(ranked(&index, "الاسكندرالاكبر", "")[0].0, "alexander.txt");
    // ل stays on a corrected word the index has only without it
    assert_eq!(corrections("لموريطانيا"), pair("لموريطانيا", "لموريتانيا"));
    assert_eq!(ranked(&index, "لموريطانيا", "")[0].0, "mauritania.txt");
    // ث for ت is a likelier slip than a left-out letter (ثار is as frequent as تامر)
    assert_eq!(corrections("ثامر"), pair("ثامر", "تامر"));
    // a word the index knows is neither split nor corrected
    assert!(corrections("البركان").is_empty());
}

#[test]
fn an_adjective_finds_the_place_it_is_made_from() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "libya.txt",
                &[Some("تمتد الحدود بين مصر و ليبيا مسافة طويلة."), None],
            ),
            (
                "border.txt",
                &[Some("تمتد الحدود بين مصر و تونس مسافة طويلة."), None],
            ),
            (
                "government.txt",
                &[Some("قالت الحكومة الليبية إنها ستجتمع."), None],
            ),
        ],
    );
    let score_of = |hits: &[(String, f32)], id: &str| {
        hits.iter()
            .find(|(hit, _)| hit == id)
            .map(|(_, score)| *score)
    };
    // الليبية: the light stem (ليب) is not ليبيا's, the nisba reading is (without the name
    // field, whose spellings of الليبية take ليبيا in too)
    let hits = ranked(&index, "الحدود الليبية", "names=0");
    assert!(
        score_of(&hits, "libya.txt") > score_of(&hits, "border.txt"),
        "{hits:?}"
    );
    let hits = ranked(&index, "الحدود الليبية", "names=0,nisba=0");
    let (libya, border) = (score_of(&hits, "libya.txt"), score_of(&hits, "border.txt"));
    assert!((libya.unwrap() - border.unwrap()).abs() < 1e-4, "{hits:?}");
}

#[test]
fn a_number_written_against_an_arabic_letter_is_found_alone() {
    let env = TestEnv::new();
    let index = index_of(
        &env,
        &[
            (
                "attack.txt",
                &[
                    Some("أسفر الهجوم عن سقوط 12 قتيلا و30 جريحا في عام 2016م."),
                    None,
                ],
            ),
            ("other.txt", &[Some("تأسس النادي عام 1920 في تونس."), None]),
        ],
    );
    // و30 and 2016م are و + 30 and 2016 + م: a number typed alone finds them
    let ids = |query: &str| -> Vec<String> {
        ranked(&index, query, "")
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    assert_eq!(ids("30"), ["attack.txt"]);
    assert_eq!(ids("2016"), ["attack.txt"]);
    assert_eq!(ids("\"30 جريحا\""), ["attack.txt"]);
    // and the other way round: a query typed without the space finds the words apart
    assert_eq!(ids("لعام1920")[0], "other.txt");
}
