//! The `fahras` binary on a copy of the sample articles in `data/`.

use std::collections::BTreeSet;

use crate::util::{TestEnv, is_whole_word, snippet_words, strip_marks, title_words};
use fahras::Hit;
use fahras::output::json::JsonLine;

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
    let lines = json_lines(&out.stdout);
    let hits: Vec<&Hit> = lines
        .iter()
        .filter_map(|line| match line {
            JsonLine::Hit(hit) => Some(hit.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [1, 2, 3]);
    let json_ids = env.query_ids("لافروف", &[]);
    let jsonl_ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(jsonl_ids, json_ids);
}

/// The `--jsonl` messages of `stdout`, each line deserialized.
fn json_lines(stdout: &str) -> Vec<JsonLine> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `--jsonl` is typed messages as `rg --json` writes them: what was searched first (with the
/// corrected words, which the hit lines alone lost), the hits, then the counts.
#[test]
fn jsonl_is_begin_hits_end_with_corrections_and_facets() {
    let env = TestEnv::ingested();
    let out = env.run(&[
        "query",
        "لافرووف",
        "--jsonl",
        "--facets",
        "source",
        "-n",
        "2",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    let JsonLine::Begin(begin) = &lines[0] else {
        panic!("the first line is not begin: {}", out.stdout);
    };
    assert_eq!(begin.query, "لافرووف");
    assert_eq!(begin.corrected.len(), 1);
    assert_eq!(begin.corrected[0].as_typed, "لافرووف");
    assert_eq!(begin.corrected[0].as_found, "لافروف");
    assert!(matches!(&lines[1], JsonLine::Hit(hit) if hit.rank == 1));
    assert!(matches!(&lines[2], JsonLine::Hit(hit) if hit.rank == 2));
    let JsonLine::End(end) = &lines[3] else {
        panic!("the last line is not end: {}", out.stdout);
    };
    assert_eq!((end.total_hits, end.shown), (3, 2));
    let facets = end.facets.as_ref().expect("the facets asked for");
    assert_eq!(facets[0].field, "source");
    assert_eq!(facets[0].values[0].value, "سانا");
    // related articles say which article they are like
    let similar = env.run(&["similar", SEED, "--jsonl"]);
    let lines = json_lines(&similar.stdout);
    let JsonLine::Begin(begin) = &lines[0] else {
        panic!("{}", similar.stdout);
    };
    assert_eq!(begin.similar_to.as_ref().unwrap().id, SEED);
    assert!(matches!(lines.last(), Some(JsonLine::End(_))));
}

/// Regression: "2 of 142 hits" for the last page, and "1 of 1 hits".
#[test]
fn the_footer_says_which_hits_of_how_many() {
    let env = TestEnv::ingested();
    let footer = |args: &[&str]| {
        let mut all = vec!["query"];
        all.extend_from_slice(args);
        let out = env.run(&all);
        let last = out.stdout.lines().last().unwrap_or_default().to_string();
        last.split(" (").next().unwrap().to_string()
    };
    assert_eq!(footer(&["لافروف"]), "3 hits for «لافروف»");
    assert_eq!(
        footer(&["لافروف", "--offset", "1", "-n", "5"]),
        "2–3 of 3 hits for «لافروف»"
    );
    assert_eq!(footer(&["لافروف", "-n", "2"]), "1–2 of 3 hits for «لافروف»");
    assert_eq!(
        footer(&["لافروف", "--offset", "2", "-n", "1"]),
        "hit 3 of 3 for «لافروف»"
    );
    assert_eq!(footer(&["الثلوج"]), "1 hit for «الثلوج»");
    assert_eq!(
        footer(&["لافروف", "--offset", "5"]),
        "3 hits for «لافروف», none shown"
    );
}

/// `-l/--ids` for `xargs` (`-0` for `xargs -0`), `-c/--count` for the number alone.
#[test]
fn ids_and_count_for_scripts() {
    let env = TestEnv::ingested();
    let ids = env.run(&["query", "لافروف", "--ids"]);
    assert_eq!(ids.code, 0, "{ids:?}");
    let expected = env.query_ids("لافروف", &[]);
    assert_eq!(ids.stdout, expected.join("\n") + "\n");
    let nul = env.run(&["query", "لافروف", "-l0"]);
    assert_eq!(nul.stdout, expected.join("\0") + "\0");
    let count = env.run(&["query", "لافروف", "-c"]);
    assert_eq!((count.code, count.stdout.as_str()), (0, "3\n"));
    let none = env.run(&["query", "كنغر", "--count"]);
    assert_eq!((none.code, none.stdout.as_str()), (1, "0\n"));
    let related = env.run(&["similar", SEED, "-l"]);
    assert_eq!(related.code, 0, "{related:?}");
    assert!(
        !related.stdout.lines().any(|id| id == SEED),
        "{}",
        related.stdout
    );
    assert!(related.stdout.lines().count() >= 1);
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
    // on stderr, before the hits, in the words as typed and as the articles write them
    assert_eq!(
        out.stderr,
        "fahras: searched for «لافروف» instead of «لافرووف», which no article has \
         (--ranking correct=0 searches as typed)\n"
    );
    assert!(!out.stdout.contains("instead of"), "{}", out.stdout);
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
    // Regression: the line showed the normalized form (الحكومه), which nobody typed.
    let other = TestEnv::new();
    other.write(
        "news/a.txt",
        "اجتماع الحكومة\n\nعقدت الحكومة اجتماعها الأسبوعي في القصبة برئاسة رئيس الحكومة.\n",
    );
    other.write(
        "news/b.txt",
        "معرض الكتاب\n\nافتتح معرض الكتاب في دمشق بمشاركة دور نشر عربية.\n",
    );
    assert_eq!(other.run(&["ingest", "-q", "news"]).code, 0);
    let out = other.run(&["query", "الجكومة"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("searched for «الحكومة» instead of «الجكومة»"),
        "{}",
        out.stderr
    );
    // an excluded word is searched as typed, whether `-` or `NOT` excludes it (the scan of the
    // text that found the words to correct took `NOT الجكومة` for a word to search)
    for query in ["معرض -الجكومة", "معرض NOT الجكومة"] {
        let out = other.run(&["query", "-e", query]);
        assert_eq!(out.code, 0, "{query}: {out:?}");
        assert!(
            !out.stderr.contains("instead of"),
            "{query}: {}",
            out.stderr
        );
    }
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

/// Regression: a `--queries` line without a tab aborted the whole run, while README says bad
/// lines are named and left out.
#[test]
fn a_batch_line_without_a_tab_is_named_and_the_others_still_run() {
    let env = TestEnv::ingested();
    env.write("q.tsv", "q1\tلافروف\nسؤال بلا رقم\nq3\tزيلينسكي\n");
    let out = env.run(&["query", "--queries", "q.tsv"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr_lines(),
        ["fahras: q.tsv: line 2: expected `qid<TAB>query`; left out of the run"]
    );
    let qids: BTreeSet<&str> = out
        .stdout
        .lines()
        .filter_map(|line| line.split(' ').next())
        .collect();
    assert_eq!(qids, BTreeSet::from(["q1", "q3"]), "{}", out.stdout);
}

#[test]
fn an_index_of_the_previous_format_is_refused_in_one_line_and_rebuild_makes_it_current() {
    let env = TestEnv::ingested();
    let meta_file = env.index_dir().join("fahras.json");
    let meta = std::fs::read_to_string(&meta_file).unwrap();
    let current = format!("\"format\": {}", fahras::index::FORMAT_VERSION);
    let previous = format!("\"format\": {}", fahras::index::FORMAT_VERSION - 1);
    assert!(meta.contains(&current), "{meta}");
    std::fs::write(&meta_file, meta.replace(&current, &previous)).unwrap();
    let refused = env.run(&["query", "لافروف"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    let lines = refused.stderr_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let found = format!("format {}", fahras::index::FORMAT_VERSION - 1);
    assert!(lines[0].contains(&found), "{}", lines[0]);
    assert!(lines[0].contains("fahras ingest --rebuild"), "{}", lines[0]);
    let rebuilt = env.run(&["ingest", "--rebuild", "data"]);
    assert_eq!(rebuilt.code, 0, "{rebuilt:?}");
    assert!(env.query_ids("لافروف", &[]).contains(&SEED.to_string()));
}

/// The rules version is bytes 8..12 of the reading tables' file.
fn tables_rules(env: &TestEnv) -> u32 {
    let bytes = std::fs::read(env.index_dir().join("readings.bin")).unwrap();
    u32::from_le_bytes(bytes[8..12].try_into().unwrap())
}

#[test]
fn reading_tables_of_other_rules_are_rebuilt_at_open_without_a_new_ingest() {
    let env = TestEnv::ingested();
    let current = tables_rules(&env);
    let meta_before = std::fs::read(env.index_dir().join("meta.json")).unwrap();
    // tables built by older rules: ولافروف would find nothing by its stem with them
    let file = env.index_dir().join("readings.bin");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[8..12].copy_from_slice(&(current + 1).to_le_bytes());
    std::fs::write(&file, bytes).unwrap();
    assert!(env.query_ids("ولافروف", &[]).contains(&SEED.to_string()));
    assert_eq!(tables_rules(&env), current, "rebuilt by this build's rules");
    // the index itself was not touched
    let meta_after = std::fs::read(env.index_dir().join("meta.json")).unwrap();
    assert_eq!(meta_before, meta_after);
    // tables that are gone come back too
    std::fs::remove_file(&file).unwrap();
    assert!(env.query_ids("ولافروف", &[]).contains(&SEED.to_string()));
    assert!(file.exists());
}

#[test]
fn reading_tables_whose_header_is_current_but_body_is_cut_are_rebuilt_and_saved_once() {
    let env = TestEnv::ingested();
    let file = env.index_dir().join("readings.bin");
    let whole = std::fs::read(&file).unwrap();
    // the header (magic, rules, segments) says current; the tables after it are cut short
    std::fs::write(&file, &whole[..whole.len() / 2]).unwrap();
    let first = env.run(&["query", "ولافروف", "--ids"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.contains(SEED), "{first:?}");
    let lines = first.stderr_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("readings.bin") && lines[0].contains("could not be read"),
        "{}",
        lines[0]
    );
    // saved whole, so the next process reads them and says nothing
    assert_eq!(std::fs::read(&file).unwrap(), whole);
    let second = env.run(&["query", "ولافروف", "--ids"]);
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(second.stderr, "", "{second:?}");
    assert_eq!(second.stdout, first.stdout);
}

// ---------------------------------------------------------------------------------------------
// what a first-time user ran into (issue 16)

/// Regression: `--from 2017-02-01 --to 2017-01-01` said "no hits" (exit 1).
#[test]
fn a_date_range_ending_before_it_starts_is_refused() {
    let env = TestEnv::ingested();
    for command in [&["query", "لافروف"][..], &["terms", "لافروف"], &["export"]] {
        let mut args = command.to_vec();
        args.extend(["--from", "2023-07-01", "--to", "2023-06-01"]);
        let out = env.run(&args);
        assert_eq!(out.code, 2, "{out:?}");
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr_lines(),
            [
                "fahras: --to 2023-06-01 is before --from 2023-07-01: no date is in that range; swap them"
            ]
        );
    }
}

/// A year or a month is a range of its own; day-first dates are read as the articles write
/// them, and the message lists every form.
#[test]
fn dates_may_be_a_year_a_month_or_day_first() {
    let env = TestEnv::ingested();
    let ids = |extra: &[&str]| sorted(env.query_ids("لافروف", extra));
    assert_eq!(ids(&["--from", "2023-07"]), ids(&["--from", "2023-07-01"]));
    assert_eq!(ids(&["--from", "2023-07"]), ["wire-3"]);
    assert_eq!(ids(&["--to", "2023-06"]), ids(&["--to", "2023-06-30"]));
    assert_eq!(
        ids(&["--from", "2023", "--to", "2023"]),
        ids(&["--from", "2023-01-01"])
    );
    assert_eq!(ids(&["--from", "24/07/2023"]), ["wire-3"]);
    let out = env.run(&["query", "لافروف", "--from", "July 2023"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("DD/MM/YYYY"), "{}", out.stderr);
    assert!(out.stderr.contains("a month (2017-03)"), "{}", out.stderr);
}

/// Runs `fahras --index idx ARGS…` with stdout a pipe whose reader is gone, as in
/// `fahras … | head -1` once head has exited.
fn run_into_closed_pipe(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fahras"))
        .current_dir(env.root())
        .env_remove("FAHRAS_INDEX")
        .arg("--index")
        .arg(env.index_dir())
        .args(args)
        .stdout(writer)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Regression: `terms --json | head -1`, `export --mapping opensearch | head -1` and
/// `query --queries q.tsv --format json | head -1` said "Broken pipe" and exited 2.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let env = TestEnv::ingested();
    env.write("q.tsv", "q1\tلافروف\nq2\tزيلينسكي\n");
    let commands: &[&[&str]] = &[
        &["query", "لافروف"],
        &["query", "لافروف", "--json"],
        &["query", "لافروف", "--jsonl"],
        &["query", "لافروف", "--ids"],
        &["query", "لافروف", "--count"],
        &["query", "لافروف", "--facets", "source", "--by", "month"],
        &["query", "--queries", "q.tsv"],
        &["query", "--queries", "q.tsv", "--format", "json"],
        &["query", "--queries", "q.tsv", "--format", "jsonl"],
        &["similar", SEED],
        &["similar", SEED, "--json"],
        &["terms", "لافروف"],
        &["terms", "لافروف", "--json"],
        &["export"],
        &["export", "--format", "opensearch-bulk"],
        &["export", "--mapping", "opensearch"],
        &["stats"],
        &["stats", "--json"],
        &["analyze", "وزير الخارجية الروسي"],
        &["analyze", "--query", "وزير الخارجية الروسي"],
        &["aliases", "list"],
        &["completions", "bash"],
        &["man"],
    ];
    env.run(&["aliases", "add", "ديشان", "ديشامب"]);
    for args in commands {
        let (code, stderr) = run_into_closed_pipe(&env, args);
        assert_eq!(
            (code, stderr.as_str()),
            (0, ""),
            "fahras {}",
            args.join(" ")
        );
    }
}

/// Regression: `fahras query -ترامب` was a clap error about an unknown option `-ت`.
#[test]
fn a_query_starting_with_a_dash_gets_a_hint_and_e_takes_it() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "-لافروف"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr_lines(),
        [
            "fahras: -لافروف: read as an option; to search every article without لافروف, write \
          `fahras query -- '* -لافروف'` or `fahras query -e '* -لافروف'`"
        ]
    );
    let without = env.run(&["query", "-e", "* -لافروف", "--count"]);
    assert_eq!(without.stdout, "10\n", "{without:?}");
    let after_dashes = env.run(&["query", "--count", "--", "* -لافروف"]);
    assert_eq!(after_dashes.stdout, "10\n", "{after_dashes:?}");
    let terms = env.run(&["terms", "-e", "-لافروف +الرئيس", "--json"]);
    assert_eq!(terms.code, 0, "{terms:?}");
}

/// Regression: `query` corrected an unknown word, while `export` and `terms` built their
/// query without the correction (and without the attested readings `query` adds), so the
/// same query matched other articles in each (1187 against 1185 on ANT JawharaFM).
#[test]
fn every_command_matches_the_same_articles_for_a_query() {
    let env = TestEnv::ingested();
    for query in ["لافرووف", "لافروف", "وزير الخارجية", "+person:لافروف"]
    {
        let count = env.run(&["query", query, "--count"]);
        let total: usize = count.stdout.trim().parse().unwrap();
        assert!(total > 0, "{query}");
        let ids = sorted(
            env.run(&["query", query, "--ids", "-n", "100"])
                .stdout
                .lines()
                .map(String::from)
                .collect(),
        );
        let export = env.run(&["export", query]);
        assert_eq!(export.code, 0, "export {query}: {export:?}");
        let exported: Vec<String> = export
            .stdout
            .lines()
            .map(|line| {
                let article: serde_json::Value = serde_json::from_str(line).unwrap();
                article["id"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(sorted(exported), ids, "export {query}");
        let terms = env.run(&["terms", query, "--json"]);
        let terms: serde_json::Value = serde_json::from_str(&terms.stdout).unwrap();
        assert_eq!(terms["total_hits"], total, "terms {query}");
    }
}

/// Regression: `terms '*'` listed 20 "key terms" of the first articles in index order, while
/// a query matching every article has none.
#[test]
fn a_query_matching_every_article_has_no_key_terms() {
    let env = TestEnv::ingested();
    let out = env.run(&["terms", "*", "--max-docs", "5", "--min-docs", "1", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let terms: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(terms["total_hits"], 13);
    assert_eq!(terms["terms"], serde_json::json!([]), "{}", out.stdout);
    let out = env.run(&["terms", "*", "--max-docs", "5"]);
    assert_eq!(
        out.stdout,
        "«*» matches every article (13): no word stands out against the index\n"
    );
}

/// Regression: `--index LICENSE` said "File exists (os error 17)"; `ingest LICENSE` named the
/// extensions without `.htm` and left an empty index behind.
#[test]
fn ingest_says_what_is_wrong_with_a_file_given_as_folder_or_article() {
    let env = TestEnv::with_data();
    env.write("LICENSE", "MIT License\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fahras"))
        .current_dir(env.root())
        .args(["ingest", "data", "--index", "LICENSE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fahras: --index LICENSE: a file, not an index folder; give a folder (a new one is created)\n"
    );
    let out = env.run(&["ingest", "LICENSE"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert!(
        lines[0].starts_with("fahras: LICENSE: not an article file; fahras reads .txt"),
        "{lines:?}"
    );
    assert!(lines[0].contains(" .htm "), "{lines:?}");
    assert!(!env.index_dir().exists(), "an empty index was left behind");
    assert!(lines[1].contains("no index was created"), "{lines:?}");
    // an index that was there stays, with its articles
    assert_eq!(env.run(&["ingest", "-q", "data"]).code, 0);
    assert_eq!(env.run(&["ingest", "-q", "LICENSE"]).code, 2);
    assert_eq!(env.run(&["query", "لافروف", "-c"]).stdout, "3\n");
}

#[test]
fn completions_and_a_manual_page() {
    let env = TestEnv::new();
    for (shell, mark) in [
        ("bash", "complete -F _fahras"),
        ("zsh", "#compdef fahras"),
        ("fish", "complete -c fahras"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = env.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{out:?}");
        assert!(
            out.stdout.contains(mark),
            "{shell}: {}",
            &out.stdout[..200.min(out.stdout.len())]
        );
        assert!(
            out.stdout.contains("similar"),
            "{shell} completes the subcommands"
        );
    }
    let man = env.run(&["man"]);
    assert_eq!(man.code, 0, "{man:?}");
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH fahras"),
        "{}",
        &man.stdout[..200]
    );
    assert!(man.stdout.contains("ingest"));
    let version = env.run(&["--version"]);
    assert!(version.stdout.starts_with("fahras 0."), "{version:?}");
    assert!(version.stdout.contains("(index format "), "{version:?}");
}

/// Regression: `query --queries q.tsv --json` wrote a TREC run.
#[test]
fn json_flags_choose_the_format_of_a_batch() {
    let env = TestEnv::ingested();
    env.write("q.tsv", "q1\tلافروف\nq2\tزيلينسكي\n");
    let json = env.run(&["query", "--queries", "q.tsv", "--json"]);
    assert_eq!(json.code, 0, "{json:?}");
    let runs: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["qid"], "q1");
    let jsonl = env.run(&["query", "--queries", "q.tsv", "--jsonl"]);
    let qids: Vec<String> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["qid"].to_string())
        .collect();
    assert_eq!(qids, ["\"q1\"", "\"q2\""]);
    let refused = env.run(&["query", "لافروف", "--format", "json"]);
    assert_eq!(refused.code, 2, "{refused:?}");
}

/// The words of a shell command line, with '…' and "…" quoting (enough for the README).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// Regression: README examples named articles only the ANT corpus has, so they printed
/// nothing on `data/`. Every example of "Using it" that reads no file of the user's prints
/// something there.
#[test]
fn the_readme_examples_print_something_on_the_sample_articles() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("## Using it").unwrap()..];
    let block = section.split("```").nth(1).unwrap();
    let env = TestEnv::ingested();
    let mut ran = 0;
    for line in block.lines().filter(|l| l.starts_with("fahras ")) {
        let command = line.split(" #").next().unwrap();
        let command = command
            .split(" > ")
            .next()
            .unwrap()
            .split(" | ")
            .next()
            .unwrap();
        let command = command.split(" && ").next().unwrap();
        let words = shell_words(command);
        let reads_own_files = words
            .iter()
            .any(|w| w.starts_with('~') || w.ends_with(".tsv") || w.ends_with(".txt"));
        if reads_own_files || words[1] == "ingest" || words[1] == "serve" {
            continue;
        }
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let out = env.run(&args);
        assert_eq!(out.code, 0, "{line}: {out:?}");
        assert!(!out.stdout.trim().is_empty(), "{line} printed nothing");
        ran += 1;
    }
    assert!(ran >= 20, "only {ran} examples ran");
}

// ---------------------------------------------------------------------------------------------
// no flag silently ignored (issue 16 item 2)

/// Runs `args` on an ingested index and checks it is refused (exit 2, nothing on stdout)
/// with a first line naming both flags.
fn assert_refused_naming(env: &TestEnv, args: &[&str], flags: [&str; 2]) {
    let out = env.run(args);
    assert_eq!(out.code, 2, "{args:?}: {out:?}");
    assert_eq!(out.stdout, "", "{args:?}");
    let first = out.stderr_lines()[0];
    for flag in flags {
        assert!(
            first.contains(flag),
            "{args:?}: {flag} not named in {first}"
        );
    }
}

/// Regression: a TREC run has no snippets, so `--snippet-chars` did nothing there; with
/// `--format json` it sets the snippets' length.
#[test]
fn snippet_chars_with_a_trec_run_is_refused() {
    let env = TestEnv::ingested();
    env.write("q.tsv", "q1\tلافروف\n");
    let trec = ["query", "--queries", "q.tsv", "--snippet-chars", "50"];
    assert_refused_naming(&env, &trec, ["--snippet-chars", "--format"]);
    let trec_named = [&trec[..], &["--format", "trec"]].concat();
    assert_refused_naming(&env, &trec_named, ["--snippet-chars", "--format"]);
    let json = env.run(&[
        "query",
        "--queries",
        "q.tsv",
        "--format",
        "json",
        "--snippet-chars",
        "50",
    ]);
    assert_eq!(json.code, 0, "{json:?}");
}

/// Regression: `--count` counts every match, so `-n`, `--offset` and `--sort` did nothing.
#[test]
fn count_with_limit_offset_or_sort_is_refused() {
    let env = TestEnv::ingested();
    for (flag, value) in [("-n", "5"), ("--offset", "5"), ("--sort", "date")] {
        let out = env.run(&["query", "لافروف", "--count", flag, value]);
        assert_eq!(out.code, 2, "{flag}: {out:?}");
        let first = out.stderr_lines()[0];
        let long = if flag == "-n" { "--limit" } else { flag };
        assert!(first.contains("--count") && first.contains(long), "{first}");
    }
    let similar = env.run(&["similar", LAVROV_CALL, "--count", "-n", "3"]);
    assert_eq!(similar.code, 2, "{similar:?}");
    assert_eq!(env.run(&["query", "لافروف", "--count"]).code, 0);
}

/// Regression: `--bulk-index` names the index of `_bulk` actions and was ignored by the
/// default NDJSON export.
#[test]
fn bulk_index_without_the_bulk_format_is_refused() {
    let env = TestEnv::ingested();
    let flags = ["--bulk-index", "--format opensearch-bulk"];
    assert_refused_naming(&env, &["export", "--bulk-index", "news"], flags);
    let ndjson = ["export", "--bulk-index", "news", "--format", "ndjson"];
    assert_refused_naming(&env, &ndjson, flags);
    let bulk = env.run(&[
        "export",
        "--bulk-index",
        "news",
        "--format",
        "opensearch-bulk",
    ]);
    assert_eq!(bulk.code, 0, "{bulk:?}");
    assert!(
        bulk.stdout.starts_with(r#"{"index":{"_index":"news""#),
        "{}",
        &bulk.stdout[..80]
    );
}

/// Regression: `--similar-to` ranks by likeness, so `--ranking` did nothing there.
#[test]
fn ranking_with_similar_to_is_refused() {
    let env = TestEnv::ingested();
    let args = ["query", "--similar-to", LAVROV_CALL, "--ranking", "k1=0.5"];
    assert_refused_naming(&env, &args, ["--ranking", "--similar-to"]);
}
