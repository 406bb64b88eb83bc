//! Exploring a topic on the sample articles in `data/`: facets, sorting by date and date
//! histograms.
//!
//! `data/` holds 13 articles: 9 from سانا, 2 from Jawhara FM (one `sport`, one `economy`,
//! March and April 2017), 2 without a source; 8 are dated (2 in 2017, 6 in 2023), 5 are not.

use crate::util::TestEnv;
use fahras::search::{FacetCounts, Histogram, KeyTerms};
use fahras::{Hit, SearchResults};

const LAVROV_IDS: [&str; 3] = [
    "lavrov-blinken-call.txt",
    "sana-china-russia-sco.txt",
    "wire-3",
];

fn facet<'a>(results: &'a SearchResults, field: &str) -> &'a FacetCounts {
    let facets = results.facets.as_ref().expect("no facets in the results");
    facets
        .iter()
        .find(|f| f.field == field)
        .unwrap_or_else(|| panic!("no facet {field} in {facets:?}"))
}

fn values(facet: &FacetCounts) -> Vec<(&str, u64)> {
    facet
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.count))
        .collect()
}

fn histogram(results: &SearchResults) -> &Histogram {
    results
        .histogram
        .as_ref()
        .expect("no histogram in the results")
}

fn dates(hits: &[Hit]) -> Vec<Option<&str>> {
    hits.iter().map(|h| h.date.as_deref()).collect()
}

// ---------------------------------------------------------------------------------------------
// facets

#[test]
fn facets_count_every_article_of_the_archive_by_source_category_and_year() {
    let env = TestEnv::ingested();
    let results = env.query_json("*", &["-n", "0", "--facets", "source,category,year"]);
    assert_eq!(results.total_hits, 13);
    assert!(results.hits.is_empty());

    let source = facet(&results, "source");
    assert_eq!(values(source), [("سانا", 9), ("Jawhara FM", 2)]);
    assert_eq!((source.other, source.missing), (0, 2));

    let category = facet(&results, "category");
    assert_eq!(values(category), [("economy", 1), ("sport", 1)]);
    assert_eq!(category.missing, 11);

    let year = facet(&results, "year");
    assert_eq!(values(year), [("2017", 2), ("2023", 6)]);
    assert_eq!(year.missing, 5);
}

#[test]
fn facets_cover_all_matches_not_only_the_hits_shown() {
    let env = TestEnv::ingested();
    let results = env.query_json("لافروف", &["-n", "1", "--facets", "source,place,year"]);
    assert_eq!(results.total_hits, 3);
    assert_eq!(results.hits.len(), 1);
    // All three articles about Lavrov come from SANA, with three different datelines or none.
    assert_eq!(values(facet(&results, "source")), [("سانا", 3)]);
    let place = facet(&results, "place");
    assert_eq!(values(place), [("غوا", 1), ("موسكو", 1)]);
    assert_eq!(place.missing, 1);
    let year = facet(&results, "year");
    assert_eq!(values(year), [("2023", 1)]);
    assert_eq!(year.missing, 2);
}

#[test]
fn facets_follow_the_date_range() {
    let env = TestEnv::ingested();
    let results = env.query_json(
        "*",
        &[
            "-n",
            "0",
            "--facets",
            "source,category",
            "--from",
            "2017-01-01",
            "--to",
            "2017-12-31",
        ],
    );
    assert_eq!(results.total_hits, 2);
    assert_eq!(values(facet(&results, "source")), [("Jawhara FM", 2)]);
    assert_eq!(
        values(facet(&results, "category")),
        [("economy", 1), ("sport", 1)]
    );
}

#[test]
fn facet_limit_keeps_the_most_frequent_values_and_sums_the_others() {
    let env = TestEnv::ingested();
    let results = env.query_json(
        "*",
        &["-n", "0", "--facets", "source", "--facet-limit", "1"],
    );
    let source = facet(&results, "source");
    assert_eq!(values(source), [("سانا", 9)]);
    assert_eq!((source.other, source.missing), (2, 2));
}

#[test]
fn facet_values_are_kept_as_written_with_their_arabic_spelling() {
    let env = TestEnv::new();
    env.write(
        "a/one.md",
        "---\ntitle: الأولى\nsource: وكالة الأنباء\nauthor: هالة المصري\n---\nنص عن القمح في حلب.\n",
    );
    assert_eq!(env.run(&["ingest", "-q", "a"]).code, 0);
    // A second ingest makes a second segment, with its own dictionary of values.
    env.write(
        "b/two.md",
        "---\ntitle: الثانية\nsource: وكالة الانباء\nauthor: هالة المصري\n---\nنص آخر عن القمح.\n",
    );
    assert_eq!(env.run(&["ingest", "-q", "b"]).code, 0);
    let results = env.query_json("القمح", &["--facets", "source,author"]);
    // Two spellings of one name are two values: facets show what the files wrote.
    assert_eq!(
        values(facet(&results, "source")),
        [("وكالة الأنباء", 1), ("وكالة الانباء", 1)]
    );
    assert_eq!(values(facet(&results, "author")), [("هالة المصري", 2)]);
}

#[test]
fn facets_in_human_output_list_counts_with_none_and_a_summary() {
    let env = TestEnv::ingested();
    let out = env.run(&[
        "query", "*", "-n", "0", "--facets", "year", "--color", "never",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.lines().take(4).collect::<Vec<_>>(),
        ["year", "  2  2017", "  6  2023", "  5  (none)"]
    );
    assert!(
        out.stdout.contains("13 hits for «*», none shown"),
        "{}",
        out.stdout
    );
}

#[test]
fn json_without_facets_or_histogram_has_neither_key() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(value.get("facets").is_none(), "{value}");
    assert!(value.get("histogram").is_none(), "{value}");
}

#[test]
fn unknown_facet_is_a_usage_error_naming_the_choices() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "لافروف", "--facets", "source,title"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("title"), "{}", out.stderr);
    assert!(out.stderr.contains("category"), "{}", out.stderr);
}

#[test]
fn facets_with_ids_or_a_count_are_refused() {
    let env = TestEnv::ingested();
    for flag in ["--ids", "--count"] {
        let out = env.run(&["query", "لافروف", "--facets", "source", flag]);
        assert_eq!(out.code, 2, "{out:?}");
    }
    // --jsonl carries them in its end message
    let out = env.run(&["query", "لافروف", "--facets", "source", "--jsonl"]);
    assert_eq!(out.code, 0, "{out:?}");
}

// ---------------------------------------------------------------------------------------------
// sorting by date

#[test]
fn sort_by_date_puts_the_newest_first_and_undated_articles_last() {
    let env = TestEnv::ingested();
    let results = env.query_json("*", &["-n", "20", "--sort", "date", "--snippet-chars", "0"]);
    assert_eq!(results.hits.len(), 13);
    let dates = dates(&results.hits);
    assert_eq!(dates[0], Some("2023-07-24T00:00:00Z"));
    assert_eq!(dates[7], Some("2017-03-05T17:30:00Z"));
    assert!(dates[..8].windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(dates[8..].iter().all(Option::is_none), "{dates:?}");
}

#[test]
fn sort_by_date_ascending_puts_the_oldest_first_and_undated_articles_last() {
    let env = TestEnv::ingested();
    let results = env.query_json("*", &["-n", "20", "--sort", "date-asc"]);
    let dates = dates(&results.hits);
    assert_eq!(dates[0], Some("2017-03-05T17:30:00Z"));
    assert!(dates[..8].windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(dates[8..].iter().all(Option::is_none), "{dates:?}");
}

#[test]
fn sort_by_date_keeps_the_matches_their_scores_and_pages() {
    let env = TestEnv::ingested();
    let by_date = env.query_json("لافروف", &["--sort", "date"]);
    let mut ids: Vec<&str> = by_date.hits.iter().map(|h| h.id.as_str()).collect();
    // The only dated one (wire-3, 2023) comes first.
    assert_eq!(ids[0], "wire-3");
    ids.sort();
    assert_eq!(ids, LAVROV_IDS);
    let by_score = env.query_json("لافروف", &[]);
    for hit in &by_date.hits {
        let same = by_score.hits.iter().find(|h| h.id == hit.id).unwrap();
        assert_eq!(hit.score, same.score, "{}", hit.id);
        assert!(!hit.snippet.highlights.is_empty(), "{}", hit.id);
    }
    let second = env.query_json("لافروف", &["--sort", "date", "--offset", "1", "-n", "1"]);
    assert_eq!(second.hits[0].id, by_date.hits[1].id);
    assert_eq!(second.hits[0].rank, 2);
}

// ---------------------------------------------------------------------------------------------
// histograms

#[test]
fn month_histogram_lists_every_month_from_first_to_last_match() {
    let env = TestEnv::ingested();
    let results = env.query_json("*", &["-n", "0", "--by", "month"]);
    let histogram = histogram(&results);
    let buckets = &histogram.buckets;
    // March 2017 to July 2023: 6 years and 5 months.
    assert_eq!(buckets.len(), 6 * 12 + 5);
    assert_eq!(buckets[0].key, "2017-03");
    assert_eq!(buckets[1].key, "2017-04");
    assert_eq!(buckets[2].key, "2017-05");
    assert_eq!(buckets.last().unwrap().key, "2023-07");
    let count = |key: &str| buckets.iter().find(|b| b.key == key).unwrap().count;
    assert_eq!(count("2017-03"), 1);
    assert_eq!(count("2020-06"), 0);
    assert_eq!(count("2023-05"), 2);
    assert_eq!(histogram.undated, 5);
    let dated: u64 = buckets.iter().map(|b| b.count).sum();
    assert_eq!(dated + histogram.undated, 13);
}

#[test]
fn year_and_day_histograms_of_a_query() {
    let env = TestEnv::ingested();
    let years = env.query_json("حلب", &["--by", "year"]);
    let years = histogram(&years);
    let keys: Vec<(&str, u64)> = years
        .buckets
        .iter()
        .map(|b| (b.key.as_str(), b.count))
        .collect();
    // حلب: the citadel (June 2023) and the football match (May 2023).
    assert_eq!(keys, [("2023", 2)]);

    let days = env.query_json("حلب", &["--by", "day"]);
    let days = histogram(&days);
    assert_eq!(days.buckets.first().unwrap().key, "2023-05-06");
    assert_eq!(days.buckets.last().unwrap().key, "2023-06-20");
    assert_eq!(days.buckets.len(), 46);
}

#[test]
fn histogram_buckets_are_utc_days() {
    let env = TestEnv::new();
    // 00:30 in Tunis on New Year's Day is still 2016 in UTC.
    env.write(
        "a/new-year.md",
        "---\ntitle: احتفالات رأس السنة\ndate: 2017-01-01T00:30:00+01:00\n---\nاحتفالات في تونس.\n",
    );
    assert_eq!(env.run(&["ingest", "-q", "a"]).code, 0);
    let results = env.query_json("احتفالات", &["--by", "day", "--facets", "year"]);
    assert_eq!(histogram(&results).buckets[0].key, "2016-12-31");
    assert_eq!(values(facet(&results, "year")), [("2016", 1)]);
}

#[test]
fn histogram_in_human_output_draws_bars_and_folds_empty_months() {
    let env = TestEnv::ingested();
    let out = env.run(&["query", "*", "-n", "0", "--by", "month", "--color", "never"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "by month");
    assert_eq!(lines[1], format!("  2017-03  1  {}", "█".repeat(20)));
    assert_eq!(lines[3], "  2017-05 … 2022-12  0");
    assert!(lines.contains(&"  5 undated"), "{}", out.stdout);
}

#[test]
fn no_match_gives_an_empty_histogram_and_exit_code_one() {
    let env = TestEnv::ingested();
    let out = env.run(&[
        "query", "كنغر", "--by", "month", "--facets", "source", "--json",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    let results: SearchResults = serde_json::from_str(&out.stdout).unwrap();
    assert!(histogram(&results).buckets.is_empty());
    assert_eq!(histogram(&results).undated, 0);
    assert!(facet(&results, "source").values.is_empty());
}

// ---------------------------------------------------------------------------------------------
// similar articles

const SEED: &str = "sana-china-russia-sco.txt";

fn similar_json(env: &TestEnv, id: &str, extra: &[&str]) -> SearchResults {
    let mut args = vec!["similar", id, "--json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    assert_eq!(out.code, 0, "{out:?}");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn similar_finds_the_other_china_and_russia_articles_first_and_never_the_article_itself() {
    let env = TestEnv::ingested();
    let results = similar_json(&env, SEED, &["-n", "20"]);
    let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert!(!ids.contains(&SEED), "{ids:?}");
    // Xi in Beijing, Lavrov and Blinken, Lavrov in Cairo: foreign ministers, bilateral
    // relations, China and Russia. The others (snow in Homs, a book fair…) share only words.
    let mut first_three = ids[..3].to_vec();
    first_three.sort();
    assert_eq!(
        first_three,
        [
            "lavrov-blinken-call.txt",
            "wire-3",
            "xi-jinping-beijing.txt"
        ]
    );
    assert!(
        results.hits[2].score > 2.0 * results.hits[3].score,
        "{:?}",
        results.hits
    );

    let about = results
        .similar_to
        .as_ref()
        .expect("no similar_to in the results");
    assert_eq!(about.id, SEED);
    assert_eq!(
        about.title,
        "تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية"
    );
    assert!(about.terms.len() <= fahras::search::MAX_KEY_TERMS);
    for word in ["الصين", "لافروف", "الثنائية"] {
        assert!(
            about.terms.iter().any(|t| t == word),
            "{word} not in {:?}",
            about.terms
        );
    }
    assert_eq!(results.query, "");
    // The shared words are highlighted in the snippets.
    assert!(!results.hits[0].snippet.highlights.is_empty());
}

#[test]
fn similar_to_a_football_report_is_the_other_football_report() {
    let env = TestEnv::ingested();
    let results = similar_json(&env, "JA-sport-9001-20170305", &[]);
    assert_eq!(results.hits[0].id, "briefs-002");
    assert!(
        results.hits[0].score > 3.0 * results.hits[1].score,
        "{:?}",
        results.hits
    );
}

#[test]
fn similar_to_with_a_query_keeps_only_articles_matching_both() {
    let env = TestEnv::ingested();
    let results = env.query_json("بكين", &["--similar-to", SEED]);
    let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["xi-jinping-beijing.txt"]);
    // Without a query: every related article, within the dates given.
    let dated = env.query_json("", &["--similar-to", SEED, "--from", "2023-01-01"]);
    let ids: Vec<&str> = dated.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids[0], "wire-3");
    assert!(dated.hits.iter().all(|h| h.date.is_some()), "{ids:?}");
}

#[test]
fn similar_in_human_output_names_the_article_and_its_words() {
    let env = TestEnv::ingested();
    let out = env.run(&["similar", SEED, "-n", "2", "--color", "never"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "like تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية"
    );
    assert_eq!(lines[1], format!("   {SEED}"));
    assert!(
        lines[2].starts_with("   by ") && lines[2].contains(" · "),
        "{}",
        lines[2]
    );
    let summary = out.stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("1–2 of ")
            && summary.contains(&format!("hits for articles like {SEED}")),
        "{summary}"
    );
}

#[test]
fn similar_to_an_unknown_id_is_an_input_error_naming_it() {
    let env = TestEnv::ingested();
    for args in [
        vec!["similar", "no-such-article"],
        vec!["query", "لافروف", "--similar-to", "no-such-article"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.code, 2, "{out:?}");
        assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("`no-such-article`"), "{}", out.stderr);
    }
}

#[test]
fn similar_from_the_library() {
    let env = TestEnv::ingested();
    let index = fahras::FahrasIndex::open(&env.index_dir()).unwrap();
    let results = index
        .search(&fahras::SearchRequest::similar_to("JA-sport-9001-20170305"))
        .unwrap();
    assert_eq!(results.hits[0].id, "briefs-002");
    assert!(matches!(
        index.search(&fahras::SearchRequest::similar_to("nope")),
        Err(fahras::Error::ArticleNotFound { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// key terms

fn terms_json(env: &TestEnv, query: &str, extra: &[&str]) -> (i32, KeyTerms) {
    let mut args = vec!["terms", query, "--json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    let terms = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    (out.code, terms)
}

#[test]
fn key_terms_of_lavrov_are_the_words_his_three_articles_share() {
    let env = TestEnv::ingested();
    let (code, key_terms) = terms_json(&env, "لافروف", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        (
            key_terms.total_hits,
            key_terms.analyzed,
            key_terms.index_docs
        ),
        (3, 3, 13)
    );
    let words: Vec<&str> = key_terms.terms.iter().map(|t| t.term.as_str()).collect();
    // In all three articles and in no other: the top of the list.
    for word in ["الثنائية", "الروسي", "العلاقات"] {
        assert!(words[..3].contains(&word), "{word} not first in {words:?}");
    }
    // The query's own word is not a key term of its results.
    assert!(!words.iter().any(|w| w.contains("لافروف")), "{words:?}");
    for term in &key_terms.terms {
        assert_eq!(term.docs, 3, "{term:?}");
        assert!(term.index_docs >= term.docs, "{term:?}");
        assert!(term.score > 0.0, "{term:?}");
    }
    assert!(key_terms.terms.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn key_terms_show_words_as_written_not_as_stems() {
    let env = TestEnv::ingested();
    let (_, key_terms) = terms_json(&env, "لافروف", &["--min-docs", "2", "-n", "50"]);
    let term = key_terms
        .terms
        .iter()
        .find(|t| t.stem == "علاق")
        .expect("no علاق");
    assert_eq!(term.term, "العلاقات");
    // Two readings of one word are one term.
    let mut shown: Vec<&str> = key_terms.terms.iter().map(|t| t.term.as_str()).collect();
    let count = shown.len();
    shown.sort();
    shown.dedup();
    assert_eq!(shown.len(), count);
}

#[test]
fn a_query_matching_everything_has_no_key_terms() {
    let env = TestEnv::ingested();
    let (code, key_terms) = terms_json(&env, "*", &[]);
    assert_eq!(code, 0);
    assert_eq!(key_terms.total_hits, 13);
    assert!(key_terms.terms.is_empty(), "{:?}", key_terms.terms);
    let out = env.run(&["terms", "*", "--color", "never"]);
    assert_eq!(
        out.stdout,
        "«*» matches every article (13): no word stands out against the index\n"
    );
}

#[test]
fn key_terms_of_nothing_exit_with_one_and_max_docs_limits_the_analysis() {
    let env = TestEnv::ingested();
    let (code, key_terms) = terms_json(&env, "كنغر", &[]);
    assert_eq!((code, key_terms.total_hits), (1, 0));
    let (_, key_terms) = terms_json(&env, "لافروف", &["--max-docs", "1", "--min-docs", "1"]);
    assert_eq!((key_terms.total_hits, key_terms.analyzed), (3, 1));
    assert!(key_terms.terms.iter().all(|t| t.docs == 1));
}

#[test]
fn key_terms_in_human_output_put_numbers_before_the_word() {
    let env = TestEnv::ingested();
    let out = env.run(&["terms", "لافروف", "--color", "never", "-n", "1"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(
        lines[1].starts_with("       3 100.0%        3  23.1%"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("key terms of 3 hits for «لافروف», against 13 articles"));
}
