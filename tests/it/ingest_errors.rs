//! `fahras ingest` on bad input: every problem is reported on its own line naming the file,
//! the exit code is 2, and everything else is indexed.

use crate::util::TestEnv;

const GOOD_LINE_1: &str =
    r#"{"id":"j-1","title":"زلزال يضرب المنطقة","text":"ضرب زلزال قوي المنطقة الجبلية فجر اليوم"}"#;
const BAD_LINE: &str = r#"{"id":"j-2","title": oops}"#;
const GOOD_LINE_3: &str =
    r#"{"id":"j-3","title":"فيضان في القرى","text":"اجتاح فيضان القرى الساحلية بعد الأمطار"}"#;

/// A folder `bad/` with one good article and four kinds of problem.
fn bad_folder() -> TestEnv {
    let env = TestEnv::new();
    env.copy_sample("sana-china-russia-sco.txt", "bad/good.txt");
    env.write("bad/empty.txt", "");
    env.write("bad/binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    env.write("bad/broken.json", "{\"title\": \"خبر\", ");
    env.write(
        "bad/lines.jsonl",
        format!("{GOOD_LINE_1}\n{BAD_LINE}\n{GOOD_LINE_3}\n"),
    );
    env
}

#[test]
fn each_bad_file_is_reported_once_and_the_rest_is_indexed() {
    let env = bad_folder();
    let out = env.run(&["ingest", "bad"]);
    assert_eq!(out.code, 2, "{out:?}");

    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 4, "one line per problem: {}", out.stderr);
    let line_naming = |name: &str| -> &str {
        let found: Vec<&&str> = lines.iter().filter(|l| l.contains(name)).collect();
        assert_eq!(found.len(), 1, "{name} in {lines:?}");
        found[0]
    };
    assert!(line_naming("empty.txt").contains("empty"));
    assert!(line_naming("binary.txt").contains("binary data, not text"));
    assert!(line_naming("broken.json").contains("invalid JSON"));
    let jsonl = line_naming("lines.jsonl");
    assert!(jsonl.contains("lines.jsonl:2:"), "{jsonl}");
    assert!(jsonl.contains("invalid JSON"), "{jsonl}");
    assert!(!out.stderr.contains("good.txt"), "{}", out.stderr);

    assert!(
        out.stdout.starts_with(
            "files: 2 added, 0 updated, 0 removed, 0 unchanged, 3 skipped; articles: 3 indexed, 0 removed, 1 skipped\n"
        ),
        "{}",
        out.stdout
    );

    assert_eq!(
        env.query_ids("تشين", &[]),
        ["good.txt"],
        "the good article is searchable"
    );
    assert_eq!(env.query_ids("زلزال", &[]), ["j-1"]);
    assert_eq!(env.query_ids("فيضان", &[]), ["j-3"]);
    assert_eq!(env.run(&["query", "id:j-2"]).code, 1);
    let stats = env.run(&["stats"]);
    assert!(
        stats.stdout.contains("documents:      3"),
        "{}",
        stats.stdout
    );
}

#[test]
fn quiet_still_reports_problems() {
    let env = bad_folder();
    let out = env.run(&["ingest", "--quiet", "bad"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr_lines().len(), 4, "{}", out.stderr);
}

#[test]
fn jsonl_line_numbers_count_blank_lines() {
    let env = TestEnv::new();
    env.write(
        "in/w.jsonl",
        format!("{GOOD_LINE_1}\n\n{BAD_LINE}\n{GOOD_LINE_3}\n"),
    );
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].contains("w.jsonl:3:"), "{}", lines[0]);
    assert!(
        out.stdout
            .contains("; articles: 2 indexed, 0 removed, 1 skipped"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_file_with_a_byte_order_mark_is_read() {
    let env = TestEnv::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("عنوان الخبر\nوصل وفد تجاري إلى ميناء اللاذقية.\n".as_bytes());
    env.write("in/bom.txt", bytes);
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    let results = env.query_json("اللاذقية", &[]);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].title, "عنوان الخبر");
}

#[test]
fn a_missing_path_is_a_one_line_error_naming_it() {
    let env = TestEnv::new();
    let out = env.run(&["ingest", "does-not-exist"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(lines[0].contains("does-not-exist"), "{}", lines[0]);
}

#[test]
fn a_missing_path_error_says_it_once() {
    let env = TestEnv::new();
    let out = env.run(&["ingest", "does-not-exist"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr.matches("os error").count(),
        1,
        "the reason is repeated: {}",
        out.stderr
    );
}

#[test]
fn a_folder_without_article_files_is_an_error() {
    let env = TestEnv::new();
    env.write("in/notes.csv", "a,b\n1,2\n");
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(lines[0].contains("no article files found"), "{}", lines[0]);
    assert!(lines[0].contains("in"), "{}", lines[0]);
    // nothing to search, so no empty index is left behind
    assert!(lines[1].contains("no index was created"), "{}", lines[1]);
    assert!(!env.index_dir().exists());
}

#[test]
fn hidden_files_are_not_read() {
    let env = TestEnv::new();
    env.write("in/.draft.txt", "مسودة\nخبر عن الزيتون لم ينشر بعد.\n");
    env.write("in/.git/x.txt", "مسودة\nخبر آخر عن الزيتون.\n");
    env.write("in/a.txt", "عنوان\nخبر عن القطن.\n");
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with("files: 1 added, 0 updated"),
        "{}",
        out.stdout
    );
    assert_eq!(env.run(&["query", "الزيتون"]).code, 1);
}

#[test]
fn a_repeated_id_in_one_ingest_is_reported_not_silently_replacing_the_first() {
    let env = TestEnv::new();
    env.write(
        "in/a.json",
        r#"[{"id": 1, "title": "موسم القمح", "body": "حصاد القمح في الحسكة."}]"#,
    );
    env.write(
        "in/b.jsonl",
        "{\"id\": 1, \"title\": \"الشعير\", \"body\": \"زراعة الشعير في درعا.\"}\n",
    );
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].contains("b.jsonl") && lines[0].contains("article id `1`"),
        "{}",
        lines[0]
    );
    assert_eq!(
        env.query_ids("القمح", &[]),
        ["1"],
        "the first article is kept"
    );
}

#[test]
fn symbolic_link_loops_and_dangling_links_are_reported_and_the_rest_indexed() {
    let env = TestEnv::new();
    env.write("in/sub/a.txt", "عنوان\nخبر عن حصاد القطن في الرقة.\n");
    std::os::unix::fs::symlink("..", env.path("in/sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", env.path("in/dangling.txt")).unwrap();
    // links are not followed unless asked: one line says so, and nothing is wrong
    let out = env.run(&["ingest", "in"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr_lines(),
        [
            "fahras: in: 2 symbolic links not followed (in/dangling.txt, …); add --follow to index what they point to"
        ]
    );
    let out = env.run(&["ingest", "--follow", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    let lines = out.stderr_lines();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    let loop_line = lines
        .iter()
        .find(|l| l.contains("loop"))
        .expect("loop line");
    assert!(loop_line.contains("symbolic link loop"), "{loop_line}");
    let dangling = lines
        .iter()
        .find(|l| l.contains("dangling.txt"))
        .expect("dangling line");
    assert!(dangling.contains("No such file"), "{dangling}");
    assert_eq!(env.query_ids("القطن", &[]), ["sub/a.txt"]);
}

#[test]
fn an_unreadable_file_is_reported_unless_we_may_read_anything() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.write("in/a.txt", "عنوان\nخبر عن حصاد القطن في الرقة.\n");
    let locked = env.write("in/locked.txt", "عنوان\nخبر عن الزعتر البري.\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root (as in some containers) reads any file: then the file is simply indexed
    let readable = std::fs::read(&locked).is_ok();
    let out = env.run(&["ingest", "in"]);
    assert_eq!(env.query_ids("القطن", &[]), ["a.txt"]);
    if readable {
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(env.query_ids("الزعتر", &[]), ["locked.txt"]);
    } else {
        assert_eq!(out.code, 2, "{out:?}");
        let lines = out.stderr_lines();
        assert_eq!(lines.len(), 1, "{}", out.stderr);
        assert!(
            lines[0].contains("locked.txt") && lines[0].contains("Permission denied"),
            "{}",
            lines[0]
        );
    }
}

#[test]
fn an_unreadable_folder_keeps_what_was_indexed_from_it() {
    let env = TestEnv::new();
    env.write("in/a.txt", "عنوان\nخبر عن حصاد القطن في الرقة.\n");
    env.write("in/sub/b.txt", "عنوان\nخبر عن الزعتر البري.\n");
    assert_eq!(env.run(&["ingest", "in"]).code, 0);
    // the folder becomes a dangling link, followed: the walk cannot enter it
    std::fs::rename(env.path("in/sub"), env.path("elsewhere")).unwrap();
    std::os::unix::fs::symlink(env.path("gone"), env.path("in/sub")).unwrap();
    let out = env.run(&["ingest", "--follow", "in"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("in/sub"), "{}", out.stderr);
    assert!(out.stdout.contains(" 0 removed"), "{}", out.stdout);
    assert_eq!(env.query_ids("الزعتر", &[]), ["sub/b.txt"]);
}
