//! An ingest killed mid-run (kill -9) leaves an index that answers queries with its last
//! commit, and the next ingest completes the job. While an ingest runs, queries work and a
//! second ingest is refused.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::TestEnv;

/// Enough that the ingest is still running when a loaded machine (a test run beside other
/// builds) has seen its first commit.
const FILES: usize = 3000;

/// Real-looking Arabic news sentences; every article also has the word الزيتون.
const WORDS: &str = "قال وزير الخارجية إن المحادثات مع الجانب الروسي تناولت الأزمة الأوكرانية والعلاقات الثنائية وسبل تعزيز التعاون الاقتصادي في مجالات الطاقة والزراعة والنقل";

/// `FILES` articles of about 4 KB, enough that a debug build takes seconds to index them.
fn write_corpus(env: &TestEnv) {
    let words: Vec<&str> = WORDS.split(' ').collect();
    for n in 0..FILES {
        let body: Vec<&str> = (0..250)
            .map(|i| words[(n * 7 + i * 13) % words.len()])
            .collect();
        env.write(
            &format!("big/{n:05}.txt"),
            format!("خبر رقم {n}\nالزيتون {}\n", body.join(" ")),
        );
    }
}

fn spawn_ingest(env: &TestEnv) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fahras"))
        .current_dir(env.root())
        .env_remove("FAHRAS_INDEX")
        .args([
            "--index",
            "idx",
            "ingest",
            "big",
            "--quiet",
            "--threads",
            "1",
        ])
        .args(["--commit-every", "50"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot run the fahras binary")
}

/// Articles the index's last commit holds, or `None` while there is no index yet.
fn committed_documents(env: &TestEnv) -> Option<u64> {
    let out = env.run(&["stats", "--json"]);
    if out.code != 0 {
        return None;
    }
    let stats: serde_json::Value = serde_json::from_str(&out.stdout).ok()?;
    stats["documents"].as_u64()
}

/// Waits until the running ingest has committed something.
fn wait_for_first_commit(env: &TestEnv, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if committed_documents(env).is_some_and(|n| n > 0) {
            return;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest ended before its first commit was seen"
        );
        assert!(Instant::now() < deadline, "no commit after 5 minutes");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn total_hits(env: &TestEnv) -> u64 {
    env.query_json("الزيتون", &["--limit", "1"]).total_hits as u64
}

#[test]
fn killed_mid_ingest_the_index_answers_and_a_rerun_completes_it() {
    let env = TestEnv::new();
    write_corpus(&env);
    let mut child = spawn_ingest(&env);
    wait_for_first_commit(&env, &mut child);

    // while it runs: a second ingest is refused, queries answer
    let second = env.run(&["ingest", "big"]);
    let still_running = child.try_wait().unwrap().is_none();
    assert!(
        still_running,
        "the corpus is too small: the ingest ended during the test"
    );
    assert_eq!(second.code, 2, "{second:?}");
    assert_eq!(second.stdout, "");
    let lines = second.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", second.stderr);
    assert!(
        lines[0].contains("another `fahras ingest` is writing to this index"),
        "{}",
        lines[0]
    );
    assert!(total_hits(&env) > 0);

    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    let committed = committed_documents(&env).expect("the index opens after kill -9");
    assert!(committed > 0 && committed <= FILES as u64, "{committed}");
    assert_eq!(total_hits(&env), committed, "queries see the last commit");

    let rerun = env.run(&["ingest", "big"]);
    assert_eq!(rerun.code, 0, "{rerun:?}");
    assert!(
        rerun.stdout.starts_with(&format!(
            "files: {} added, 0 updated, 0 removed, {committed} unchanged, 0 skipped",
            FILES as u64 - committed
        )),
        "{}",
        rerun.stdout
    );
    assert_eq!(committed_documents(&env), Some(FILES as u64));
    assert_eq!(total_hits(&env), FILES as u64);
}
