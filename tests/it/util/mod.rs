//! A tiny harness for the integration tests: a temporary folder holding article files and an
//! index, and a way to run the `fahras` binary on it.
//!
//! Every test crate includes this module and uses only part of it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use fahras::{Hit, SearchResults};
use tempfile::TempDir;

/// The sample articles shipped with the repository.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A temporary folder; the binary runs with it as working directory and `--index idx`.
pub struct TestEnv {
    dir: TempDir,
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// Exit code; -1 when killed by a signal.
    pub code: i32,
}

impl Output {
    /// The non-empty lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

impl TestEnv {
    /// An empty folder.
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("cannot create a temporary folder"),
        }
    }

    /// A folder with a copy of the repository's `data/` at `data/`.
    pub fn with_data() -> TestEnv {
        let env = TestEnv::new();
        let target = env.path("data");
        fs::create_dir_all(&target).unwrap();
        for entry in fs::read_dir(data_dir()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
            }
        }
        env
    }

    /// A copy of `data/` that has already been ingested (checked).
    pub fn ingested() -> TestEnv {
        let env = TestEnv::with_data();
        let out = env.run(&["ingest", "data"]);
        assert_eq!(out.code, 0, "ingest of data/ failed: {out:?}");
        env
    }

    /// The temporary folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the temporary folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// The index folder the binary is pointed at.
    pub fn index_dir(&self) -> PathBuf {
        self.path("idx")
    }

    /// Writes a file (creating its folders).
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, contents).unwrap();
        path
    }

    /// Copies one sample article from the repository's `data/` to `relative`.
    pub fn copy_sample(&self, name: &str, relative: &str) -> PathBuf {
        self.write(relative, fs::read(data_dir().join(name)).unwrap())
    }

    /// Runs `fahras --index idx ARGS…` in the temporary folder, stdout piped.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_fahras"))
            .current_dir(self.root())
            .env_remove("FAHRAS_INDEX")
            .env_remove("NO_COLOR")
            .env("RUST_BACKTRACE", "0")
            .arg("--index")
            .arg(self.index_dir())
            .args(args)
            .output()
            .expect("cannot run the fahras binary");
        Output {
            stdout: String::from_utf8(output.stdout).expect("stdout is not UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is not UTF-8"),
            code: output.status.code().unwrap_or(-1),
        }
    }

    /// Runs `fahras query QUERY EXTRA… --json` and parses the result (any exit code but 2).
    pub fn query_json(&self, query: &str, extra: &[&str]) -> SearchResults {
        let mut args = vec!["query", query];
        args.extend_from_slice(extra);
        args.push("--json");
        let out = self.run(&args);
        assert!(
            out.code == 0 || out.code == 1,
            "query {query:?} {extra:?} failed: {out:?}"
        );
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("--json output does not parse ({e}): {}", out.stdout))
    }

    /// The ids of the hits of `query`, best first.
    pub fn query_ids(&self, query: &str, extra: &[&str]) -> Vec<String> {
        self.query_json(query, extra)
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    }
}

/// The `[start, end)` characters of `text`.
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    assert!(
        start < end && end <= text.chars().count(),
        "highlight {start}..{end} is not inside a text of {} chars",
        text.chars().count()
    );
    text.chars().skip(start).take(end - start).collect()
}

/// The highlighted words of a hit's snippet.
pub fn snippet_words(hit: &Hit) -> Vec<String> {
    hit.snippet
        .highlights
        .iter()
        .map(|h| char_slice(&hit.snippet.text, h.start, h.end))
        .collect()
}

/// The highlighted words of a hit's title.
pub fn title_words(hit: &Hit) -> Vec<String> {
    hit.title_highlights
        .iter()
        .map(|h| char_slice(&hit.title, h.start, h.end))
        .collect()
}

/// `text` without Arabic diacritics (harakat, shadda, sukun, dagger alef) and tatweel.
pub fn strip_marks(text: &str) -> String {
    text.chars()
        .filter(|&c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .collect()
}

/// True when `[start, end)` of `text` is a whole word: not preceded or followed by a letter.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let before_ok = start == 0 || !chars[start - 1].is_alphanumeric();
    let after_ok = end == chars.len() || !chars[end].is_alphanumeric();
    before_ok && after_ok
}
