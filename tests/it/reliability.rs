//! Regression tests for issue 17 (reliability): inputs that crashed fahras, were read without
//! a word, or read what the user did not point at. Each test is named after what it pins.

use std::fs;

use crate::util::TestEnv;
use fahras::search::{MAX_QUERY_DEPTH, QueryWordOptions};
use fahras::{FahrasIndex, IngestOptions};

/// `(` repeated as deep as the probe that overflowed the stack (exit 134).
fn deep_parentheses() -> String {
    format!("{}تونس", "(".repeat(2944))
}

#[test]
fn nested_parentheses_are_refused_by_every_command_that_parses_a_query() {
    let env = TestEnv::ingested();
    let deep = deep_parentheses();
    let not_not = format!("{}لافروف", "NOT ".repeat(3000));
    let plus = "+(".repeat(2000);
    let field = "title:(".repeat(2000);
    let runs: Vec<Vec<&str>> = vec![
        vec!["query", "--", &deep],
        vec!["query", "--", &not_not],
        vec!["query", "--", &plus],
        vec!["query", "--", &field],
        vec!["terms", "--", &deep],
        vec!["export", "--", &deep],
        vec!["analyze", "--query", "--", &deep],
        vec!["query", "--similar-to", "wire.jsonl#1", "--", &deep],
    ];
    for args in runs {
        let out = env.run(&args);
        assert_eq!(out.code, 2, "{:?}: {out:?}", &args[..2]);
        let lines = out.stderr_lines();
        assert_eq!(lines.len(), 1, "{:?}: {}", &args[..2], out.stderr);
        assert!(
            lines[0].contains("levels deep; at most 100 are allowed"),
            "{}",
            lines[0]
        );
    }
    // as deep as allowed still searches
    let allowed = format!(
        "{}تشين{}",
        "(".repeat(MAX_QUERY_DEPTH),
        ")".repeat(MAX_QUERY_DEPTH)
    );
    let ids = env.query_ids(&allowed, &[]);
    assert_eq!(ids[0], "sana-china-russia-sco.txt");
    assert_eq!(ids, env.query_ids("تشين", &[]));
}

#[test]
fn query_errors_are_said_in_plain_words() {
    let env = TestEnv::ingested();
    let error = |query: &str| {
        let out = env.run(&["query", "--", query]);
        assert_eq!(out.code, 2, "{query}: {out:?}");
        out.stderr.trim_end().to_string()
    };
    let and = error("ترامب AND");
    assert!(
        and.contains("`AND` at the end has no words after it"),
        "{and}"
    );
    assert!(!and.contains("Syntax Error"), "{and}");
    let quote = error("\"ترامب");
    assert!(
        quote.contains("at character 1: a `\"` opens a phrase that is never closed"),
        "{quote}"
    );
    let date = error("date:2017");
    assert!(date.contains("unknown field `date`"), "{date}");
    assert!(date.contains("title, body, source"), "{date}");
    assert!(date.contains("use --from and --to"), "{date}");
    assert_eq!(
        error(""),
        "fahras: the query is empty; give words to search for, or `*` for every article"
    );
    let close = error("تونس)");
    assert!(
        close.contains("at character 5: a `)` closes nothing"),
        "{close}"
    );
}

#[test]
fn any_value_of_a_field_is_a_usage_error_not_an_internal_one() {
    let env = TestEnv::ingested();
    for query in ["title:*", "body:*", "source:*"] {
        let out = env.run(&["query", query]);
        assert_eq!(out.code, 2, "{query}: {out:?}");
        assert!(
            out.stderr
                .contains("(any value of a field) cannot be searched"),
            "{out:?}"
        );
        assert!(!out.stderr.contains("fast field"), "{out:?}");
    }
    // an unknown field says the same with `*` as with a word
    let star = env.run(&["query", "foo:*"]);
    let word = env.run(&["query", "foo:تونس"]);
    assert_eq!(star.code, 2);
    assert_eq!(star.stderr, word.stderr);
    assert!(star.stderr.contains("unknown field `foo`"), "{star:?}");
}

/// An HTML page of `<div>` nested `depth` deep around a sentence.
fn nested_page(depth: usize) -> String {
    format!(
        "<html><body>{}<p>انطلقت فعاليات معرض دمشق الدولي للكتاب</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[test]
fn a_deeply_nested_html_page_is_skipped_and_the_rest_is_indexed() {
    let env = TestEnv::new();
    env.write("pages/deep.html", nested_page(11_000));
    env.write("pages/shallow.html", nested_page(40));
    env.copy_sample("sana-china-russia-sco.txt", "pages/good.txt");
    for run in 0..2 {
        let out = env.run(&["ingest", "pages"]);
        assert_eq!(out.code, 2, "run {run}: {out:?}");
        let lines = out.stderr_lines();
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert!(
            lines[0].contains("deep.html: HTML elements nested more than 512 deep"),
            "{}",
            lines[0]
        );
    }
    assert_eq!(env.query_ids("تشين", &[]), ["good.txt"]);
    assert_eq!(env.query_ids("معرض الكتاب", &[]), ["shallow.html"]);
}

#[test]
fn a_utf8_file_cut_mid_letter_stays_utf8_and_says_so() {
    let env = TestEnv::new();
    let text = fs::read_to_string(crate::util::data_dir().join("damascus-book-fair.txt")).unwrap();
    let text = text.trim_end_matches(|c: char| c.is_ascii());
    // the last letter loses its second byte, as a download cut short
    let cut = &text.as_bytes()[..text.len() - 1];
    env.write("cut/fair.txt", cut);
    let out = env.run(&["ingest", "cut"]);
    assert_eq!(out.code, 0, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].contains("fair.txt: 1 byte sequence that is not valid UTF-8"),
        "{}",
        lines[0]
    );
    // its words are found: it was not read as Windows-1256
    assert_eq!(env.query_ids("معرض", &[]), ["fair.txt"]);
}

#[test]
fn an_emptied_file_loses_its_articles() {
    let env = TestEnv::new();
    let file = env.copy_sample("sana-china-russia-sco.txt", "news/sco.txt");
    assert_eq!(env.run(&["ingest", "news"]).code, 0);
    assert_eq!(env.query_ids("تشين", &[]), ["sco.txt"]);
    fs::write(&file, "").unwrap();
    let out = env.run(&["ingest", "news"]);
    assert!(out.stderr.contains("sco.txt: empty file"), "{out:?}");
    assert!(out.stdout.contains("1 removed"), "{}", out.stdout);
    assert_eq!(env.run(&["query", "تشين"]).code, 1);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_only_with_follow() {
    use std::os::unix::fs::symlink;
    let env = TestEnv::new();
    env.copy_sample("sana-china-russia-sco.txt", "news/sco.txt");
    let outside = env.copy_sample("zelensky-kyiv.txt", "private/secret.txt");
    symlink(&outside, env.path("news/passwd.txt")).unwrap();
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("1 symbolic link not followed (news/passwd.txt); add --follow"),
        "{}",
        out.stderr
    );
    assert_eq!(env.run(&["query", "id:passwd.txt"]).code, 1);

    let out = env.run(&["ingest", "--rebuild", "-L", "news"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains("news/passwd.txt: a symbolic link out of news (to "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("followed because of --follow"),
        "{}",
        out.stderr
    );
    assert_eq!(env.query_ids("id:passwd.txt", &[]), ["passwd.txt"]);
}

#[test]
fn ingest_never_reads_an_index_folder() {
    let env = TestEnv::with_data();
    // the index inside the ingested folder, as in `cd corpus; fahras ingest . --index idx`
    for run in 0..2 {
        let out = env.run(&["ingest", "."]);
        assert_eq!(out.code, 0, "run {run}: {out:?}");
        assert!(!out.stderr.contains("meta.json"), "{}", out.stderr);
    }
    let stats = env.run(&["stats"]);
    assert!(
        stats.stdout.contains("documents:      13"),
        "{}",
        stats.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_named_not_read() {
    let env = TestEnv::new();
    env.copy_sample("sana-china-russia-sco.txt", "news/sco.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(env.path("news/pipe.txt"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("pipe.txt: a FIFO (named pipe), not a file; not read"),
        "{}",
        out.stderr
    );
    assert_eq!(env.query_ids("تشين", &[]), ["sco.txt"]);
}

#[test]
fn file_names_in_messages_are_escaped() {
    let env = TestEnv::new();
    env.copy_sample("sana-china-russia-sco.txt", "news/sco.txt");
    env.write("news/two\nlines \u{1b}[31mred.txt", "");
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].contains("news/two\\nlines \\x1B[31mred.txt: empty file"),
        "{}",
        lines[0]
    );
    assert!(!out.stderr.contains('\u{1b}'));
}

#[test]
fn spelling_correction_checks_a_bounded_number_of_words() {
    let env = TestEnv::with_data();
    let index = FahrasIndex::open_or_create(&env.index_dir()).unwrap();
    index
        .ingest(&env.path("data"), &IngestOptions::default(), &mut |_| {})
        .unwrap();
    // a pasted page: the same misspelling of a word of the index, 200 times, quoted (each
    // word of a phrase is checked)
    let query = format!("\"{}\"", vec!["شنغحاي"; 200].join(" "));
    let words = index
        .analyze_query(&query, QueryWordOptions::default())
        .unwrap();
    assert_eq!(
        words.corrections.len(),
        fahras::search::MAX_CHECKED_WORDS,
        "{:?}",
        words.corrections.first()
    );
    assert_eq!(words.corrections[0].corrected, "شنغهاي");
    // unquoted, the grammar keeps one of the repeated words: it is corrected once
    let query = vec!["شنغحاي"; 200].join(" ");
    let words = index
        .analyze_query(&query, QueryWordOptions::default())
        .unwrap();
    assert_eq!(words.corrections.len(), 1, "{:?}", words.corrections);
}

#[test]
fn simultaneous_first_ingests_are_refused_by_the_lock_not_a_missing_file() {
    // the race is timing-dependent: on the old code about 1 run in 100 failed here ("Index
    // already exists", or "fahras.json: No such file" as the probe saw 1 in 5 times)
    for round in 0..5 {
        let env = TestEnv::with_data();
        // all started before any is waited for, so they overlap
        let children: Vec<_> = (0..8)
            .map(|n| {
                std::process::Command::new(env!("CARGO_BIN_EXE_fahras"))
                    .current_dir(env.root())
                    .env_remove("FAHRAS_INDEX")
                    .args([
                        "--index",
                        &format!("fresh-{round}"),
                        "ingest",
                        "--quiet",
                        "data",
                    ])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap_or_else(|e| panic!("run {n}: {e}"))
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || stderr.contains("another `fahras ingest` is writing"),
                "round {round}: {stderr}"
            );
        }
    }
}

/// Issue 17 items 11 and 12: a 100,000-letter word said "the query is empty", and a pasted
/// page of thousands of words cost 0.1 s or more. Both are refused in one line, by every
/// command, and a batch leaves such queries out of the run with their id.
#[test]
fn a_word_too_long_and_a_query_too_long_are_refused_with_the_limit() {
    let env = TestEnv::ingested();
    // Latin letters: 100,000 Arabic ones are more than one argument may hold (128 KiB)
    let long_word = format!("لافروف {}", "b".repeat(100_000));
    let many_words = vec!["لافروف"; 3000].join(" ");
    for args in [
        vec!["query", "--", &long_word],
        vec!["terms", "--", &long_word],
        vec!["export", "--", &long_word],
    ] {
        let out = env.run(&args);
        assert_eq!(out.code, 2, "{:?}: {out:?}", args[0]);
        assert_eq!(
            out.stderr_lines(),
            [
                "fahras: a word of the query is 100000 letters long; the index keeps no word longer than 100 bytes (50 Arabic letters), so no article has it: leave it out"
            ]
        );
    }
    let out = env.run(&["query", "--", &many_words]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr_lines(),
        [
            "fahras: the query has 3000 words; at most 256 are searched: keep the words that say what you look for"
        ]
    );
    env.write("q.tsv", format!("ok\tلافروف\nlong\t{many_words}\n"));
    let batch = env.run(&["query", "--queries", "q.tsv"]);
    assert_eq!(batch.code, 2, "{batch:?}");
    assert!(batch.stdout.starts_with("ok Q0 "), "{}", batch.stdout);
    assert!(
        batch
            .stderr
            .contains("query long: the query has 3000 words"),
        "{}",
        batch.stderr
    );
}
