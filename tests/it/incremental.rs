//! Re-running `fahras ingest`: new files are added, changed ones replaced, deleted ones
//! removed, unchanged ones left alone; several folders share one index; `--rebuild` starts
//! over.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::util::{Output, TestEnv};

/// The counts of the summary's first line, in its order: added, updated, removed, unchanged,
/// skipped files; indexed, removed, skipped articles.
fn counts(out: &Output) -> [u64; 8] {
    let first = out.stdout.lines().next().unwrap_or_default();
    let numbers: Vec<u64> = first
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    numbers
        .try_into()
        .unwrap_or_else(|_| panic!("not a summary: {}", out.stdout))
}

fn documents(env: &TestEnv) -> u64 {
    let out = env.run(&["stats", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let stats: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    stats["documents"].as_u64().unwrap()
}

fn ingest(env: &TestEnv, args: &[&str]) -> Output {
    let mut all = vec!["ingest"];
    all.extend_from_slice(args);
    env.run(&all)
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// Sets a file's modification time an hour back, as if written long ago.
fn age(path: &std::path::Path) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

const OLIVES: &str = "حمص-سانا\nبدأ موسم قطاف الزيتون في ريف حمص وسط توقعات بإنتاج وفير.\n";
const WHEAT: &str = "تسويق القمح\nتواصل مراكز الحبوب في الحسكة استلام محصول القمح من الفلاحين.\n";
const CITRUS: &str = "الحمضيات\nيبدأ تصدير الحمضيات من ميناء اللاذقية الأسبوع المقبل.\n";

#[test]
fn a_rerun_adds_updates_and_removes_only_what_changed() {
    let env = TestEnv::with_data();
    let first = ingest(&env, &["data"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(counts(&first), [9, 0, 0, 0, 0, 13, 0, 0]);

    let again = ingest(&env, &["data"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(counts(&again), [0, 0, 0, 9, 0, 0, 0, 0]);
    assert_eq!(documents(&env), 13);

    // edit one file, delete a multi-article one, add one
    env.write(
        "data/zelensky-kyiv.txt",
        "زيلينسكي\nخبر جديد عن البرتقال.\n",
    );
    fs::remove_file(env.path("data/wire.jsonl")).unwrap();
    env.write("data/new.txt", CITRUS);
    let changed = ingest(&env, &["data"]);
    assert_eq!(changed.code, 0, "{changed:?}");
    assert_eq!(counts(&changed), [1, 1, 1, 7, 0, 2, 3, 0]);
    assert_eq!(documents(&env), 13 - 3 + 1);
    assert_eq!(env.query_ids("البرتقال", &[]), ["zelensky-kyiv.txt"]);
    assert_eq!(env.run(&["query", "كييف"]).code, 1, "the old text is gone");
    assert_eq!(env.query_ids("الحمضيات", &[]), ["new.txt"]);
    assert!(
        env.query_ids("id:wire-3", &[]).is_empty(),
        "articles of the deleted file are gone"
    );
}

#[test]
fn a_file_rewritten_with_the_same_size_is_noticed() {
    let env = TestEnv::new();
    env.write("in/a.txt", "خبر\nسعر الذهب مرتفع اليوم\n");
    assert_eq!(ingest(&env, &["in"]).code, 0);
    // same size, written within the file system's timestamp granularity
    env.write("in/a.txt", "خبر\nسعر الفضة مرتفع اليوم\n");
    let out = ingest(&env, &["in"]);
    assert_eq!(counts(&out), [0, 1, 0, 0, 0, 1, 0, 0], "{out:?}");
    assert_eq!(env.query_ids("الفضة", &[]), ["a.txt"]);
    assert_eq!(env.run(&["query", "الذهب"]).code, 1);
}

#[test]
fn a_touched_file_counts_as_unchanged_and_is_not_read_again() {
    let env = TestEnv::new();
    let path = env.write("in/a.txt", OLIVES);
    age(&path);
    assert_eq!(ingest(&env, &["in"]).code, 0);
    // a new modification time, the same bytes
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
    let out = ingest(&env, &["in"]);
    assert_eq!(counts(&out), [0, 0, 0, 1, 0, 0, 0, 0], "{out:?}");
    assert!(out.stdout.contains("; 1 file read ("), "{}", out.stdout);
    assert_eq!(documents(&env), 1);
    // its new time is stored: the next run does not read it
    let again = ingest(&env, &["in"]);
    assert_eq!(counts(&again), [0, 0, 0, 1, 0, 0, 0, 0], "{again:?}");
    assert!(
        again.stdout.contains("; 0 files read ("),
        "{}",
        again.stdout
    );
    assert_eq!(env.query_ids("الزيتون", &[]), ["a.txt"]);
}

#[test]
fn folders_share_an_index_and_a_rerun_touches_only_its_own() {
    let env = TestEnv::new();
    env.write("one/olives.txt", OLIVES);
    env.write("two/wheat.txt", WHEAT);
    env.write("two/citrus.txt", CITRUS);
    assert_eq!(ingest(&env, &["one"]).code, 0);
    assert_eq!(ingest(&env, &["two"]).code, 0);
    assert_eq!(documents(&env), 3);

    fs::remove_file(env.path("one/olives.txt")).unwrap();
    let out = ingest(&env, &["one"]);
    assert_eq!(
        out.code, 2,
        "a folder without article files is an error: {out:?}"
    );
    assert_eq!(counts(&out), [0, 0, 1, 0, 0, 0, 1, 0]);
    assert_eq!(
        sorted(env.query_ids("القمح OR الحمضيات", &[])),
        ["citrus.txt", "wheat.txt"],
        "the other folder is untouched"
    );
    assert_eq!(documents(&env), 2);

    // both folders in one run
    env.write("one/olives.txt", OLIVES);
    let both = ingest(&env, &["one", "two"]);
    assert_eq!(both.code, 0, "{both:?}");
    assert_eq!(counts(&both), [1, 0, 0, 2, 0, 1, 0, 0]);
}

#[test]
fn the_same_relative_path_in_two_folders_gets_the_folder_name_in_its_id() {
    let env = TestEnv::new();
    env.write("sana/2023/05/01.txt", OLIVES);
    env.write("hawar/2023/05/01.txt", WHEAT);
    assert_eq!(ingest(&env, &["sana"]).code, 0);
    let out = ingest(&env, &["hawar"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(env.query_ids("الزيتون", &[]), ["2023/05/01.txt"]);
    assert_eq!(env.query_ids("القمح", &[]), ["hawar/2023/05/01.txt"]);
    // stable: re-running either changes nothing
    for folder in ["sana", "hawar"] {
        let again = ingest(&env, &[folder]);
        assert_eq!(counts(&again), [0, 0, 0, 1, 0, 0, 0, 0], "{again:?}");
    }
    assert_eq!(documents(&env), 2);
}

#[test]
fn an_explicit_id_held_by_another_file_is_refused_with_both_names() {
    let env = TestEnv::new();
    env.write(
        "one/a.jsonl",
        "{\"id\":\"sana-1\",\"title\":\"الزيتون\",\"body\":\"قطاف الزيتون\"}\n",
    );
    env.write(
        "two/b.jsonl",
        "{\"id\":\"sana-1\",\"title\":\"القمح\",\"body\":\"تسويق القمح\"}\n",
    );
    assert_eq!(ingest(&env, &["one"]).code, 0);
    let out = ingest(&env, &["two"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].contains("b.jsonl: article id `sana-1` is already used by")
            && lines[0].contains("a.jsonl"),
        "{}",
        lines[0]
    );
    assert_eq!(counts(&out), [0, 0, 0, 0, 1, 0, 0, 1]);
    assert_eq!(env.query_ids("id:sana-1", &[]), ["sana-1"]);
    assert_eq!(env.run(&["query", "القمح"]).code, 1);
}

#[test]
fn an_id_moving_to_another_file_in_one_run_is_not_a_conflict() {
    let env = TestEnv::new();
    let olives = "{\"id\":\"n-1\",\"title\":\"الزيتون\",\"body\":\"قطاف الزيتون\"}\n";
    let wheat = "{\"id\":\"n-2\",\"title\":\"القمح\",\"body\":\"تسويق القمح\"}\n";
    env.write("in/a.jsonl", wheat);
    env.write("in/b.jsonl", olives);
    assert_eq!(ingest(&env, &["in"]).code, 0);
    // n-1 moves from b to a, which is read first
    env.write("in/a.jsonl", format!("{wheat}{olives}"));
    env.write(
        "in/b.jsonl",
        "{\"id\":\"n-3\",\"title\":\"الحمضيات\",\"body\":\"تصدير الحمضيات\"}\n",
    );
    let out = ingest(&env, &["in"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(counts(&out), [0, 2, 0, 0, 0, 3, 0, 0]);
    assert_eq!(env.query_ids("الزيتون", &[]), ["n-1"]);
    assert_eq!(env.query_json("id:n-1", &[]).hits[0].path, "a.jsonl");
    assert_eq!(documents(&env), 3);
}

#[test]
fn a_changed_file_that_cannot_be_read_keeps_its_articles() {
    let env = TestEnv::new();
    env.write("in/a.txt", OLIVES);
    assert_eq!(ingest(&env, &["in"]).code, 0);
    env.write("in/a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    let out = ingest(&env, &["in"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(counts(&out), [0, 0, 0, 0, 1, 0, 0, 0]);
    assert!(out.stderr.contains("a.txt: binary data"), "{}", out.stderr);
    assert_eq!(env.query_ids("الزيتون", &[]), ["a.txt"]);
}

#[test]
fn rebuild_starts_from_scratch() {
    let env = TestEnv::new();
    env.write("one/olives.txt", OLIVES);
    env.write("two/wheat.txt", WHEAT);
    assert_eq!(ingest(&env, &["one"]).code, 0);
    assert_eq!(ingest(&env, &["two"]).code, 0);
    let out = ingest(&env, &["--rebuild", "two"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(counts(&out), [1, 0, 0, 0, 0, 1, 0, 0]);
    assert_eq!(documents(&env), 1);
    assert_eq!(env.run(&["query", "الزيتون"]).code, 1);
    assert_eq!(env.query_ids("القمح", &[]), ["wheat.txt"]);
}

#[test]
fn a_file_over_the_size_limit_is_skipped_and_named() {
    let env = TestEnv::new();
    env.write("in/small.txt", OLIVES);
    env.write("in/big.txt", format!("عنوان\n{}", "كلمة ".repeat(300)));
    let out = ingest(&env, &["in", "--max-file-size", "1K"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    // the library names `IngestOptions::max_file_size`; the command line, its flag
    assert_eq!(
        lines[0],
        "fahras: skipped in/big.txt: 2711 bytes, larger than the limit of 1024 bytes (raise --max-file-size to index it)"
    );
    assert_eq!(env.query_ids("الزيتون", &[]), ["small.txt"]);
    assert_eq!(
        ingest(&env, &["in", "--max-file-size", "1M"]).code,
        0,
        "indexed once the limit allows"
    );
    assert_eq!(documents(&env), 2);
}
