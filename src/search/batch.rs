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

/// Reads a `qid<TAB>query` file; blank lines and `#` comments are skipped. A line without a
/// tab is an error naming the file and line.
pub fn read_queries_tsv(path: &Path) -> Result<Vec<BatchQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut queries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((qid, query)) = line.split_once('\t') else {
            return Err(Error::BadQueriesLine {
                path: path.to_path_buf(),
                line: n + 1,
            });
        };
        queries.push(BatchQuery {
            qid: qid.trim().to_string(),
            text: query.trim().to_string(),
        });
    }
    Ok(queries)
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
        let queries = read_queries_tsv(&file).unwrap();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].qid, "2");
        assert_eq!(queries[1].text, "متى ولد؟");
        std::fs::write(&file, "1 no tab\n").unwrap();
        let err = read_queries_tsv(&file).unwrap_err().to_string();
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
