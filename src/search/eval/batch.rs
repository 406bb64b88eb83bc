//! Batch querying: a file of `qid<TAB>query` lines, as IR test collections ship them.

use std::path::Path;

use crate::error::{Error, Result};

/// One query of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuery {
    /// The query's id.
    pub qid: String,
    /// The query text.
    pub text: String,
}

/// The queries of a `qid<TAB>query` file, and the lines that were none.
#[derive(Debug, Default)]
pub struct QueriesFile {
    /// The queries, in the file's order.
    pub queries: Vec<BatchQuery>,
    /// One [`Error::BadQueriesLine`] per line without a tab: callers name each and run the
    /// others, so one bad line does not cost a whole run.
    pub bad_lines: Vec<Error>,
}

/// Reads a `qid<TAB>query` file; blank lines and `#` comments are skipped. A line without a
/// tab is left out and listed in [`QueriesFile::bad_lines`], naming the file and line; only a
/// file that cannot be read is an error.
pub fn read_queries_tsv(path: &Path) -> Result<QueriesFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut file = QueriesFile::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('\t') {
            Some((qid, query)) => file.queries.push(BatchQuery {
                qid: qid.trim().to_string(),
                text: query.trim().to_string(),
            }),
            None => file.bad_lines.push(Error::BadQueriesLine {
                path: path.to_path_buf(),
                line: n + 1,
            }),
        }
    }
    Ok(file)
}

/// Turns free text (a question, a pasted sentence) into a query of its words, so that
/// punctuation and words like `AND` are not read as query syntax.
pub fn plain_words_query(text: &str) -> String {
    let words: Vec<String> = crate::analysis::analyze_words(text)
        .into_iter()
        .map(|w| text[w.start..w.end].to_string())
        .map(|w| match w.as_str() {
            "AND" | "OR" | "NOT" | "IN" => w.to_lowercase(),
            _ => w,
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tsv_queries_and_reports_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q.tsv");
        std::fs::write(&file, "# comment\n1\tمن هو لافروف؟\n\n2\tمتى ولد؟\r\n").unwrap();
        let read = read_queries_tsv(&file).unwrap();
        assert!(read.bad_lines.is_empty());
        let queries = read.queries;
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].qid, "2");
        assert_eq!(queries[1].text, "متى ولد؟");
        // a line without a tab is named and left out; the lines after it are read
        std::fs::write(&file, "1 no tab\n2\tلافروف\n").unwrap();
        let read = read_queries_tsv(&file).unwrap();
        assert_eq!(read.queries.len(), 1);
        assert_eq!(read.queries[0].qid, "2");
        assert_eq!(read.bad_lines.len(), 1);
        let err = read.bad_lines[0].to_string();
        assert!(err.contains("line 1: expected `qid<TAB>query`"), "{err}");
    }

    #[test]
    fn plain_words_query_drops_syntax() {
        assert_eq!(
            plain_words_query("ما هو \"الناتو\" (حلف شمال الأطلسي)؟ -AND: x"),
            "ما هو الناتو حلف شمال الأطلسي and x"
        );
    }
}
