//! The `fahras` binary on a copy of the sample articles in `data/`.

mod util;

use std::collections::BTreeSet;

use fahras::Hit;
use util::{TestEnv, is_whole_word, snippet_words, strip_marks, title_words};

const SEED: &str = "sana-china-russia-sco.txt";
const LAVROV_CALL: &str = "lavrov-blinken-call.txt";
const XI: &str = "xi-jinping-beijing.txt";
const BOOK_FAIR: &str = "damascus-book-fair.txt";
const ZELENSKY: &str = "zelensky-kyiv.txt";

fn sorted(ids: Vec<String>) -> Vec<String> {
    let mut ids = ids;
    ids.sort();
    ids
}

fn hit<'a>(hits: &'a [Hit], id: &str) -> &'a Hit {
    hits.iter()
        .find(|h| h.id == id)
        .unwrap_or_else(|| panic!("no hit {id} among {:?}", hits.iter().map(|h| &h.id)))
}

// ---------------------------------------------------------------------------------------------
// ingest and stats

#[test]
fn ingest_reports_thirteen_articles_and_stats_shows_them() {
    let env = TestEnv::with_data();
    let out = env.run(&["ingest", "data"]);
    assert_eq!(out.code, 0, "{out:?}");
    let summary: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        summary[0],
        "files: 9 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; articles: 13 indexed, 0 removed, 0 skipped",
    );
    assert!(
        summary[1].contains(": 13 articles; took "),
        "{}",
        summary[1]
    );
    assert_eq!(summary.len(), 2, "{}", out.stdout);
    assert_eq!(out.stderr, "");

    let stats = env.run(&["stats"]);
    assert_eq!(stats.code, 0, "{stats:?}");
    assert!(
        stats.stdout.lines().any(|l| l == "documents:      13"),
        "{}",
        stats.stdout
    );
}

#[test]
fn quiet_ingest_prints_nothing() {
    let env = TestEnv::with_data();
    let out = env.run(&["ingest", "--quiet", "data"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");
    assert_eq!(env.query_json("لافروف", &[]).total_hits, 3);
}

#[test]
fn reingesting_the_same_folder_does_not_duplicate_articles() {
    let env = TestEnv::ingested();
    for _ in 0..2 {
        let out = env.run(&["ingest", "-q", "data"]);
        assert_eq!(out.code, 0, "{out:?}");
    }
    let stats = env.run(&["stats", "--json"]);
    assert_eq!(stats.code, 0, "{stats:?}");
    let stats: serde_json::Value = serde_json::from_str(&stats.stdout).unwrap();
    assert_eq!(stats["documents"], 13);
    // the last run found every file as it was and indexed nothing
    assert_eq!(stats["last_ingest"]["articles"], 0);
    assert_eq!(stats["last_ingest"]["files_unchanged"], 9);
    // Each article is found once, not three times.
    assert_eq!(
        sorted(env.query_ids("لافروف", &[])),
        [
            "lavrov-blinken-call.txt",
            "sana-china-russia-sco.txt",
            "wire-3"
        ]
    );
}

#[test]
fn ingesting_one_file_then_its_folder_does_not_duplicate_it() {
    let env = TestEnv::with_data();
    let one = env.run(&["ingest", "-q", "data/sana-china-russia-sco.txt"]);
    assert_eq!(one.code, 0, "{one:?}");
    assert_eq!(env.query_ids("تشين", &[]), [SEED]);
    let all = env.run(&["ingest", "-q", "data"]);
    assert_eq!(all.code, 0, "{all:?}");
    assert!(env.run(&["stats"]).stdout.contains("documents:      13"));
}

// ---------------------------------------------------------------------------------------------
// Arabic matching

#[test]
fn diacritized_query_finds_the_seed() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافْرُوفُ"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(SEED), "{}", out.stdout);
    assert_eq!(
        sorted(env.query_ids("لافْرُوفُ", &[])),
        [LAVROV_CALL, SEED, "wire-3"]
    );
}

#[test]
fn query_with_attached_waw_finds_the_seed() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "ولافروف"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(SEED), "{}", out.stdout);
    // The article that writes ولافروف itself ranks first: exact forms weigh more.
    assert_eq!(env.query_ids("ولافروف", &[])[0], LAVROV_CALL);
}

#[test]
fn json_output_parses_and_highlights_the_words_as_written() {
    let env = TestEnv::ingested();
    let results = env.query_json("لافروف", &["--snippet-chars", "2000"]);
    assert_eq!(results.query, "لافروف");
    assert_eq!(results.total_hits, 3);
    assert_eq!(results.hits.len(), 3);
    let ids: BTreeSet<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from([LAVROV_CALL, SEED, "wire-3"]));
    for (n, hit) in results.hits.iter().enumerate() {
        assert_eq!(hit.rank, n + 1);
        assert!(
            !hit.snippet.highlights.is_empty(),
            "{} has no highlight",
            hit.id
        );
        for h in &hit.snippet.highlights {
            assert!(
                is_whole_word(&hit.snippet.text, h.start, h.end),
                "{}: highlight {h:?} cuts a word",
                hit.id
            );
        }
        for word in snippet_words(hit) {
            assert!(
                strip_marks(&word).contains("لافروف"),
                "{}: highlighted {word:?}",
                hit.id
            );
        }
        for word in title_words(hit) {
            assert!(strip_marks(&word).contains("لافروف"), "{}: {word:?}", hit.id);
        }
        if n > 0 {
            assert!(
                results.hits[n - 1].score >= hit.score,
                "hits not best first"
            );
        }
    }

    let call = snippet_words(hit(&results.hits, LAVROV_CALL));
    for written in ["لافروف", "لافْرُوفُ", "للافروف", "ولافروف"] {
        assert!(
            call.iter().any(|w| w == written),
            "{written} not highlighted in {call:?}"
        );
    }
    // The seed writes لافروف three times in its text.
    assert_eq!(snippet_words(hit(&results.hits, SEED)), ["لافروف"; 3]);
    assert_eq!(title_words(hit(&results.hits, "wire-3")), ["لافروف"]);
}

#[test]
fn jsonl_writes_one_hit_per_line_ranked_from_one() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--jsonl"]);
    assert_eq!(out.code, 0, "{out:?}");
    let hits: Vec<Hit> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [1, 2, 3]);
    let json_ids = env.query_ids("لافروف", &[]);
    let jsonl_ids: Vec<String> = hits.into_iter().map(|h| h.id).collect();
    assert_eq!(jsonl_ids, json_ids);
}

#[test]
fn paging_keeps_ranks_of_the_whole_result() {
    let env = TestEnv::ingested();
    let all = env.query_ids("لافروف", &[]);
    let page = env.query_json("لافروف", &["--offset", "1", "-n", "1"]);
    assert_eq!(page.total_hits, 3);
    assert_eq!(page.hits.len(), 1);
    assert_eq!(page.hits[0].rank, 2);
    assert_eq!(page.hits[0].id, all[1]);
}

#[test]
fn phrase_query_needs_the_words_in_order() {
    let env = TestEnv::ingested();
    assert_eq!(sorted(env.query_ids("\"شي جين بينغ\"", &[])), [SEED, XI]);
    let reversed = env.run(&["query", "\"جين شي\""]);
    assert_eq!(reversed.code, 1, "{reversed:?}");
    // Both words alone do match both articles.
    assert_eq!(sorted(env.query_ids("جين شي", &[])), [SEED, XI]);
}

#[test]
fn bare_alef_finds_hamza_spelling() {
    let env = TestEnv::ingested();
    let results = env.query_json("اسطنبول", &[]);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].id, BOOK_FAIR);
    assert_eq!(snippet_words(&results.hits[0]), ["إسطنبول"]);
}

#[test]
fn tatweel_does_not_matter_and_is_highlighted_as_written() {
    let env = TestEnv::ingested();
    let results = env.query_json("الكتاب", &[]);
    assert_eq!(results.hits.len(), 1);
    let fair = &results.hits[0];
    assert_eq!(fair.id, BOOK_FAIR);
    // The headline writes الكتـــاب with tatweel; the text writes الكتاب.
    assert_eq!(title_words(fair), ["الكتـــاب"]);
    assert_eq!(snippet_words(fair), ["الكتاب"]);
    // And the other way round: a query with tatweel finds the plain spelling.
    assert_eq!(env.query_ids("جميلة", &[]), [BOOK_FAIR]);
}

#[test]
fn tatweel_in_the_text_is_highlighted_in_the_snippet() {
    let env = TestEnv::new();
    env.write(
        "in/fair.txt",
        "عنوان الخبر\nافتتح معرض الكتـــاب اليوم.\nوقال المنظمون إن الإقبال كبير.\n",
    );
    assert_eq!(env.run(&["ingest", "-q", "in"]).code, 0);
    let results = env.query_json("الكتاب", &[]);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(snippet_words(&results.hits[0]), ["الكتـــاب"]);
}

#[test]
fn arabic_indic_and_ascii_digits_are_the_same() {
    let env = TestEnv::ingested();
    for query in ["٢٠٢٣", "2023"] {
        let results = env.query_json(query, &[]);
        assert_eq!(
            results.hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
            [LAVROV_CALL],
            "query {query}"
        );
        assert_eq!(snippet_words(&results.hits[0]), ["٢٠٢٣"]);
    }
}

#[test]
fn latin_words_are_case_insensitive() {
    let env = TestEnv::ingested();
    let results = env.query_json("chatgpt", &[]);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].id, "wire-2");
    assert_eq!(snippet_words(&results.hits[0]), ["ChatGPT"]);
}

#[test]
fn ya_finds_alef_maqsura() {
    let env = TestEnv::ingested();
    let results = env.query_json("مستشفي", &[]);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].id, BOOK_FAIR);
    assert_eq!(snippet_words(&results.hits[0]), ["مستشفى"]);
}

// ---------------------------------------------------------------------------------------------
// query syntax: +must -not, fields

#[test]
fn must_not_excludes_an_article() {
    let env = TestEnv::ingested();
    assert_eq!(
        sorted(env.query_ids("+لافروف -بلينكن", &[])),
        [SEED, "wire-3"]
    );
}

#[test]
fn title_field_searches_headlines_only() {
    let env = TestEnv::ingested();
    // القمح is in both the headline and the text of briefs-001 only.
    assert_eq!(env.query_ids("title:القمح", &[]), ["briefs-001"]);
    // لافروف is in three texts but two headlines (wire-3's, and the headline made from the
    // first sentence of lavrov-blinken-call.txt).
    assert_eq!(
        sorted(env.query_ids("title:لافروف", &[])),
        [LAVROV_CALL, "wire-3"]
    );
}

#[test]
fn source_field_phrase_finds_the_trec_documents() {
    let env = TestEnv::ingested();
    let results = env.query_json("source:\"Jawhara FM\"", &[]);
    assert_eq!(results.total_hits, 2);
    assert_eq!(
        sorted(results.hits.iter().map(|h| h.id.clone()).collect()),
        ["JA-economy-9002-20170410", "JA-sport-9001-20170305"]
    );
    for hit in &results.hits {
        assert_eq!(hit.source.as_deref(), Some("Jawhara FM"));
        assert_eq!(hit.path, "tunisia-trec.txt");
    }
}

#[test]
fn place_field_uses_the_dateline() {
    let env = TestEnv::ingested();
    // No article has a دمشق dateline (two mention دمشق in their text only).
    assert_eq!(env.run(&["query", "place:دمشق"]).code, 1);
    assert_eq!(env.query_ids("دمشق", &[]).len(), 2);
    assert_eq!(env.query_ids("place:بكين", &[]), [XI]);
    assert_eq!(env.query_ids("place:موسكو", &[]), [LAVROV_CALL]);
}

#[test]
fn seed_dateline_gives_place_and_source() {
    let env = TestEnv::ingested();
    let results = env.query_json("لافروف", &[]);
    let seed = hit(&results.hits, SEED);
    assert_eq!(seed.place.as_deref(), Some("غوا"));
    assert_eq!(seed.source.as_deref(), Some("سانا"));
    assert_eq!(seed.path, SEED);
    // With a dateline first, the headline is the first clause of the text.
    assert_eq!(
        seed.title,
        "تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية"
    );
    assert_eq!(seed.date, None);
}

#[test]
fn other_fields_are_searchable() {
    let env = TestEnv::ingested();
    assert_eq!(
        env.query_ids("category:sport", &[]),
        ["JA-sport-9001-20170305"]
    );
    assert_eq!(env.query_ids("author:\"سامر الخطيب\"", &[]), ["briefs-001"]);
    assert_eq!(env.query_ids("id:wire-3", &[]), ["wire-3"]);
}

// ---------------------------------------------------------------------------------------------
// dates

#[test]
fn from_keeps_later_dated_articles_only() {
    let env = TestEnv::ingested();
    let results = env.query_json("لافروف", &["--from", "2023-07-01"]);
    assert_eq!(results.total_hits, 1);
    assert_eq!(results.hits[0].id, "wire-3");
    assert_eq!(
        results.hits[0].date.as_deref(),
        Some("2023-07-24T00:00:00Z")
    );
}

#[test]
fn to_keeps_earlier_articles_and_covers_the_whole_day() {
    let env = TestEnv::ingested();
    assert_eq!(
        env.query_ids("الدينار", &["--to", "2017-12-31"]),
        ["JA-economy-9002-20170410"]
    );
    // Dated 2017-04-10T09:00:00+01:00: a bare --to date includes that whole day.
    assert_eq!(
        env.query_ids("الدينار", &["--to", "2017-04-10"]),
        ["JA-economy-9002-20170410"]
    );
    assert_eq!(env.run(&["query", "الدينار", "--to", "2017-04-09"]).code, 1);
    assert_eq!(
        env.run(&["query", "الدينار", "--from", "2017-04-11"]).code,
        1
    );
}

#[test]
fn a_bad_date_is_a_one_line_error_naming_the_flag() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--from", "yesterday"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].contains("--from"), "{}", lines[0]);
    assert!(lines[0].contains("yesterday"), "{}", lines[0]);
}

/// Two articles on the same day, at 05:00 and 20:00 UTC.
fn same_day_env() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "in/day.jsonl",
        concat!(
            r#"{"id":"early","title":"خبر الصباح","text":"نص عن المطر","date":"2023-07-24T05:00:00Z"}"#,
            "\n",
            r#"{"id":"late","title":"خبر المساء","text":"نص عن المطر","date":"2023-07-24T20:00:00Z"}"#,
            "\n"
        ),
    );
    let out = env.run(&["ingest", "-q", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    env
}

#[test]
fn dates_with_a_time_cut_inside_the_day() {
    let env = same_day_env();
    assert_eq!(
        env.query_ids("المطر", &["--to", "2023-07-24T10:30:00Z"]),
        ["early"]
    );
    assert_eq!(
        env.query_ids("المطر", &["--from", "2023-07-24T10:30:00+00:00"]),
        ["late"]
    );
    assert_eq!(
        env.query_ids("المطر", &["--to", "2023-07-24 10:30:00"]),
        ["early"]
    );
    assert_eq!(
        sorted(env.query_ids("المطر", &["--to", "2023-07-24"])),
        ["early", "late"]
    );
}

#[test]
fn to_with_hours_and_minutes_is_honoured_or_rejected() {
    let env = same_day_env();
    let out = env.run(&["query", "المطر", "--to", "2023-07-24T10:30", "--json"]);
    if out.code == 2 {
        assert!(out.stderr.contains("--to"), "{}", out.stderr);
    } else {
        assert_eq!(
            out.code, 0,
            "no hits: the 05:00 article was dropped: {out:?}"
        );
        let results: fahras::SearchResults = serde_json::from_str(&out.stdout).unwrap();
        let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["early"]);
    }
}

#[test]
fn date_with_trailing_garbage_is_rejected() {
    let env = same_day_env();
    let out = env.run(&["query", "المطر", "--from", "2023-07-24garbage"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--from"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// exit codes and errors

#[test]
fn no_hits_exits_one_quietly() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "زيمبابوي"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr, "");
    assert!(out.stdout.contains("no hits"), "{}", out.stdout);
    let json = env.query_json("زيمبابوي", &[]);
    assert_eq!(json.total_hits, 0);
    assert!(json.hits.is_empty());
}

#[test]
fn unterminated_phrase_is_a_syntax_error_with_its_position() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "\"لافروف"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
    // the position is the quote's, and the message says what to add
    assert!(
        out.stderr
            .contains("character 1: a `\"` opens a phrase that is never closed"),
        "{}",
        out.stderr
    );
}

#[test]
fn field_without_a_word_is_a_syntax_error_with_its_position() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "title:"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("character 7"), "{}", out.stderr);
}

#[test]
fn empty_query_is_an_error() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "  "]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("empty"), "{}", out.stderr);
}

#[test]
fn unknown_latin_field_lists_the_fields() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "foo:bar"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("`foo`"), "{}", out.stderr);
    for field in ["title", "source", "place", "category", "author", "id"] {
        assert!(
            out.stderr.contains(field),
            "{field} missing: {}",
            out.stderr
        );
    }
}

#[test]
fn colon_after_an_arabic_word_is_punctuation() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف: إن"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stderr, "");
    let ids = env.query_ids("لافروف: إن", &[]);
    assert!(ids.contains(&SEED.to_string()), "{ids:?}");
    assert!(ids.contains(&"wire-3".to_string()), "{ids:?}");
}

#[test]
fn query_before_any_ingest_says_to_ingest() {
    let env = TestEnv::with_data();
    for args in [&["query", "لافروف"][..], &["stats"][..]] {
        let out = env.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("fahras ingest"), "{}", out.stderr);
    }
    assert!(
        !env.index_dir().exists(),
        "a query created the index folder"
    );
}

#[test]
fn trailing_telegram_footer_is_not_indexed() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "تلغرام"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(env.run(&["query", "تابعونا"]).code, 1);
    assert_eq!(env.run(&["query", "SyrianArabNewsAgency"]).code, 1);
    // The last real line of the seed is indexed.
    assert_eq!(env.query_ids("\"ذات الاهتمام المشترك\"", &[]), [SEED]);
    assert!(env.query_ids("كييف", &[]).contains(&ZELENSKY.to_string()));
}

#[test]
fn telegram_inside_the_text_is_indexed() {
    let env = TestEnv::new();
    env.write(
        "in/ban.txt",
        "عنوان\nحظرت الحكومة تطبيق تلغرام مؤقتا.\nوقال الوزير إن القرار مؤقت.\n",
    );
    assert_eq!(env.run(&["ingest", "-q", "in"]).code, 0);
    assert_eq!(env.query_ids("تلغرام", &[]), ["ban.txt"]);
}

// ---------------------------------------------------------------------------------------------
// colour

#[test]
fn piped_output_has_no_colour() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("لافروف"));
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    let never = env.run(&["query", "لافروف", "--color", "never"]);
    assert!(!never.stdout.contains('\x1b'));
}

#[test]
fn color_always_paints_the_matches() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--color", "always"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("\x1b[1;31mلافروف\x1b[0m"),
        "{:?}",
        out.stdout
    );
    assert!(out.stdout.contains("\x1b[1;31mلافْرُوفُ\x1b[0m"));
}

// ---------------------------------------------------------------------------------------------
// crashes on odd numbers

#[test]
fn snippet_shorter_than_a_word_does_not_crash() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--snippet-chars", "5", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let results: fahras::SearchResults = serde_json::from_str(&out.stdout).unwrap();
    for hit in &results.hits {
        assert!(hit.snippet.text.chars().count() <= 5, "{:?}", hit.snippet);
    }
}

#[test]
fn huge_offset_does_not_crash() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--offset", "18446744073709551615"]);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.code == 0 || out.code == 2, "{out:?}");
}

#[test]
fn an_escaped_space_before_a_colon_is_an_unknown_field_not_a_hang() {
    // tantivy reports the field unescaped (`لاف روف`); the colon rewrite must not loop on it.
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لاف\\ روف:x"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("unknown field"), "{}", out.stderr);
}

#[test]
fn eval_scores_a_ranking_against_qrels() {
    let env = TestEnv::ingested();
    // Judgements by hand: which sample articles answer each question.
    env.write(
        "q.tsv",
        "1\tمتى اتصل لافروف ببلينكن؟\n2\tما هو معرض دمشق الدولي للكتاب؟\n3\txyzzy\n",
    );
    env.write(
        "qrels.txt",
        "1 0 lavrov-blinken-call 1\n2 0 damascus-book-fair 1\n3 0 heritage 1\n",
    );
    let out = env.run(&["eval", "qrels.txt", "--queries", "q.tsv", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let scores: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(scores["queries"], 3);
    assert_eq!(scores["queries_run"], 3);
    // questions 1 and 2 find their article first; the nonsense query finds nothing
    let mrr = scores["mrr_at_10"].as_f64().unwrap();
    assert!((mrr - 2.0 / 3.0).abs() < 1e-9, "{scores}");
    let recall = scores["recall_at_100"].as_f64().unwrap();
    assert!((recall - 2.0 / 3.0).abs() < 1e-9, "{scores}");

    env.write("bad.txt", "1 0 lavrov-blinken-call\n");
    let out = env.run(&["eval", "bad.txt", "--queries", "q.tsv"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.txt: line 1"), "{}", out.stderr);
}

#[test]
fn analyze_query_shows_attested_readings_and_dropped_stop_words() {
    let env = TestEnv::ingested();
    let out = env.run(&[
        "analyze",
        "--query",
        "من هو بلافروف \"الأزمة الأوكرانية\" بكين",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.contains(&"word\tبلافروف\tلافروف"), "{lines:?}");
    assert!(lines.contains(&"word\tبكين\tبكين"), "{lines:?}");
    assert!(lines.contains(&"in phrase\tالازمه\tازم"), "{lines:?}");
    assert!(lines.contains(&"stop words dropped: من هو"), "{lines:?}");

    // a word the index does not know is read as the known word one letter away
    let out = env.run(&["analyze", "--query", "لافرووف"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.contains(&"word\tلافروف\tلافروف"), "{lines:?}");
    assert!(
        lines.contains(&"corrected: لافرووف -> لافروف (the index does not know لافرووف)"),
        "{lines:?}"
    );
}

#[test]
fn a_query_says_which_word_it_searched_instead_of_an_unknown_one() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافرووف"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("searched for لافروف instead of لافرووف, which no article has"),
        "{}",
        out.stdout
    );
    let results = env.query_json("لافرووف", &[]);
    assert_eq!(results.total_hits, 3);
    assert_eq!(results.corrected.len(), 1);
    assert_eq!(results.corrected[0].typed, "لافرووف");
    assert_eq!(results.corrected[0].corrected, "لافروف");
    // a known word is searched as typed, and JSON has no corrections
    assert!(env.query_json("لافروف", &[]).corrected.is_empty());
    let out = env.run(&["query", "لافرووف", "--json"]);
    assert!(out.stdout.contains("\"corrected\""), "{}", out.stdout);
    let out = env.run(&["query", "لافروف", "--json"]);
    assert!(!out.stdout.contains("\"corrected\""), "{}", out.stdout);
}

/// Regression: one bad line of a batch aborted the run with an error naming neither the file
/// nor the query.
#[test]
fn a_bad_query_in_a_batch_is_named_and_the_others_still_run() {
    let env = TestEnv::ingested();
    env.write("q.tsv", "q1\tلافروف\nq2\t!!\nq3\tزيلينسكي\n");
    let out = env.run(&["query", "--queries", "q.tsv"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("q.tsv: query q2:"),
        "the error names the file and the query: {}",
        out.stderr
    );
    let qids: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.split(' ').next())
        .collect();
    assert!(
        qids.contains(&"q1") && qids.contains(&"q3"),
        "{}",
        out.stdout
    );
    assert!(!qids.contains(&"q2"));
}
