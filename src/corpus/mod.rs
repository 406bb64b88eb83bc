//! Finding article files and turning each into [`Article`]s.
//!
//! Formats are chosen by extension, then by sniffing: a `.txt` file that starts with `<DOC>`
//! is a TREC/CLEF tagged file (as in research collections), any other `.txt` is a plain
//! article. See [`ArticleFormat`]. Bytes are decoded by [`decode_text`] (UTF-8, UTF-16 with a
//! byte-order mark, Windows-1256).

mod date;
mod dateline;
mod decode;
mod html;
mod json;
mod markdown;
mod plain;
mod trec;
mod walk;

pub use date::parse_date;
pub use dateline::{Dateline, parse_dateline};
pub use decode::{TextEncoding, decode_text};
pub use walk::{FoundFile, Walked, find_article_files, walk_article_files};

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::error::{Error, Result};

/// One news article, as read from a file. Text fields keep the original characters.
///
/// As JSON (`fahras export`, `GET /doc/{id}`) every field is a key, `null` when absent, and
/// `date` is RFC 3339.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Stable identifier: the TREC DOCNO or JSON `id`, else the path relative to the ingested
    /// folder (with `#N` for the N-th article of a multi-article file).
    pub id: String,
    /// Path of the file the article came from, relative to the ingested folder.
    pub path: String,
    /// Headline, or the article's first sentence when the file has none.
    pub title: String,
    /// The article text, paragraphs separated by newlines.
    pub body: String,
    /// Publication time, when the file gives one that parses.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub date: Option<OffsetDateTime>,
    /// Publication date as the file wrote it.
    pub date_text: Option<String>,
    /// Publisher or agency (`Jawhara FM`, `سانا`).
    pub source: Option<String>,
    /// Place of the dateline (`دمشق` in `دمشق-سانا`).
    pub place: Option<String>,
    /// Section or category (`sport`).
    pub category: Option<String>,
    /// Address of the original.
    pub url: Option<String>,
    /// Author.
    pub author: Option<String>,
}

/// The file formats fahras reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleFormat {
    /// Plain text: first non-empty line is the title or a dateline.
    PlainText,
    /// Markdown, with optional `---` front matter.
    Markdown,
    /// One JSON object or an array of objects.
    Json,
    /// One JSON object per line.
    JsonLines,
    /// `<DOC><DOCNO>…</DOC>` tagged files (TREC/CLEF).
    Trec,
    /// An HTML page holding one article.
    Html,
}

impl ArticleFormat {
    /// The file extensions fahras reads (lower case, without the dot), each with its format:
    /// the one list that [`ArticleFormat::from_path`] and the messages naming what is read use.
    pub const EXTENSIONS: [(&str, ArticleFormat); 12] = [
        ("txt", ArticleFormat::PlainText),
        ("text", ArticleFormat::PlainText),
        ("md", ArticleFormat::Markdown),
        ("markdown", ArticleFormat::Markdown),
        ("json", ArticleFormat::Json),
        ("jsonl", ArticleFormat::JsonLines),
        ("ndjson", ArticleFormat::JsonLines),
        ("trec", ArticleFormat::Trec),
        ("sgml", ArticleFormat::Trec),
        ("html", ArticleFormat::Html),
        ("htm", ArticleFormat::Html),
        ("xhtml", ArticleFormat::Html),
    ];

    /// The format a file's extension promises, or `None` for files fahras does not read.
    pub fn from_path(path: &Path) -> Option<ArticleFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::EXTENSIONS
            .iter()
            .find(|(known, _)| *known == ext)
            .map(|&(_, format)| format)
    }
}

/// What reading one file gave: its articles, and problems that did not stop the rest of the
/// file from being read (a bad line in a JSON Lines file).
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// The articles found.
    pub articles: Vec<Article>,
    /// One-line descriptions of the parts that were skipped.
    pub problems: Vec<Error>,
    /// One-line notes, naming the file, on what was indexed otherwise than written (bytes
    /// that are not valid UTF-8, replaced).
    pub notices: Vec<String>,
}

/// Reads one article file. `relative` is the path shown to users and used as default id.
pub fn read_article_file(path: &Path, relative: &str) -> Result<ParsedFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_article_bytes(path, relative, &bytes)
}

/// Decodes (see [`decode_text`]) and parses the contents of an article file, in the format its
/// extension names.
pub fn parse_article_bytes(path: &Path, relative: &str, bytes: &[u8]) -> Result<ParsedFile> {
    if bytes.is_empty() {
        return Err(no_article(path, "empty file; nothing to index"));
    }
    let format = ArticleFormat::from_path(path).unwrap_or(ArticleFormat::PlainText);
    let (text, encoding) = decode_text(path, bytes)?;
    let mut parsed = parse_article_text(path, relative, &text, format)?;
    parsed.notices.extend(encoding.notice(path));
    Ok(parsed)
}

/// Parses the text of one file (already decoded) in the given format.
pub fn parse_article_text(
    path: &Path,
    relative: &str,
    text: &str,
    format: ArticleFormat,
) -> Result<ParsedFile> {
    if text.trim().is_empty() {
        return Err(no_article(path, "empty file; nothing to index"));
    }
    let format = if format == ArticleFormat::PlainText && trec::looks_like_trec(text) {
        ArticleFormat::Trec
    } else {
        format
    };
    let mut parsed = match format {
        ArticleFormat::PlainText => ParsedFile {
            articles: vec![plain::parse(text)],
            ..ParsedFile::default()
        },
        ArticleFormat::Markdown => ParsedFile {
            articles: vec![markdown::parse(text)],
            ..ParsedFile::default()
        },
        ArticleFormat::Json => json::parse_json(path, text)?,
        ArticleFormat::JsonLines => json::parse_json_lines(path, text),
        ArticleFormat::Trec => trec::parse(text),
        ArticleFormat::Html if html::nests_deeper_than(text, html::MAX_HTML_DEPTH) => {
            return Err(no_article(
                path,
                &format!(
                    "HTML elements nested more than {} deep; not read (browsers do not nest \
                     deeper either); save the page again or convert it to text",
                    html::MAX_HTML_DEPTH
                ),
            ));
        }
        ArticleFormat::Html => ParsedFile {
            articles: vec![html::parse(text)],
            ..ParsedFile::default()
        },
    };
    let several = parsed.articles.len() > 1;
    for (n, article) in parsed.articles.iter_mut().enumerate() {
        article.path = relative.to_string();
        if article.id.is_empty() {
            article.id = if several {
                format!("{relative}#{}", n + 1)
            } else {
                relative.to_string()
            };
        }
    }
    parsed
        .articles
        .retain(|a| !(a.title.trim().is_empty() && a.body.trim().is_empty()));
    if parsed.articles.is_empty() && parsed.problems.is_empty() {
        return Err(no_article(path, "no article text found in this file"));
    }
    Ok(parsed)
}

fn no_article(path: &Path, reason: &str) -> Error {
    Error::NoArticle {
        path: PathBuf::from(path),
        reason: reason.to_string(),
    }
}

/// Makes a title from the start of the body when an article has none: the first sentence,
/// cut at a word boundary near `max_chars`.
pub(crate) fn title_from_body(body: &str, max_chars: usize) -> String {
    let first_line = body.lines().map(str::trim).find(|l| !l.is_empty());
    let Some(line) = first_line else {
        return String::new();
    };
    let sentence_end = line
        .char_indices()
        .find(|&(_, c)| matches!(c, '.' | '،' | '؛' | '؟' | '!' | '?' | ':'))
        .map(|(i, _)| i);
    let sentence = match sentence_end {
        Some(end) if line[..end].chars().count() >= 20 => &line[..end],
        _ => line,
    };
    if sentence.chars().count() <= max_chars {
        return sentence.trim().to_string();
    }
    let cut = sentence
        .char_indices()
        .nth(max_chars)
        .map_or(sentence.len(), |(i, _)| i);
    let at_space = sentence[..cut].rfind(' ').unwrap_or(cut);
    format!("{}…", sentence[..at_space].trim_end())
}

/// Returns `Some(trimmed)` for a non-empty trimmed string.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_s_format_is_its_extension_s_in_any_case() {
        for (ext, format) in ArticleFormat::EXTENSIONS {
            let upper = format!("article.{}", ext.to_ascii_uppercase());
            assert_eq!(ArticleFormat::from_path(Path::new(&upper)), Some(format));
        }
        assert_eq!(
            ArticleFormat::from_path(Path::new("أخبار.HTM")),
            Some(ArticleFormat::Html)
        );
        assert_eq!(ArticleFormat::from_path(Path::new("LICENSE")), None);
        assert_eq!(ArticleFormat::from_path(Path::new("scan.pdf")), None);
    }

    #[test]
    fn sniffs_trec_inside_a_txt_file() {
        let text = "<DOC>\n<DOCNO>JA-sport-1</DOCNO>\n<TITLE>فوز النجم</TITLE>\n<TEXT>\nنص الخبر\n</TEXT>\n</DOC>\n";
        let parsed =
            parse_article_text(Path::new("a.txt"), "a.txt", text, ArticleFormat::PlainText)
                .unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(parsed.articles[0].id, "JA-sport-1");
        assert_eq!(parsed.articles[0].title, "فوز النجم");
    }

    #[test]
    fn empty_file_is_an_error_naming_the_file() {
        let err = parse_article_text(
            Path::new("dir/empty.txt"),
            "empty.txt",
            " \n\n",
            ArticleFormat::PlainText,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "dir/empty.txt: empty file; nothing to index"
        );
    }

    #[test]
    fn title_from_body_stops_at_the_first_clause() {
        let body = "تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية، وبناء منظمة شنغهاي للتعاون.";
        assert_eq!(
            title_from_body(body, 120),
            "تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية"
        );
        let long = "كلمة ".repeat(60);
        let title = title_from_body(&long, 30);
        assert!(title.ends_with('…'));
        assert!(title.chars().count() <= 31);
    }

    #[test]
    fn each_article_of_a_multi_article_file_gets_its_own_id() {
        let text = "{\"title\":\"أ\",\"body\":\"نص\"}\n{\"title\":\"ب\",\"body\":\"نص آخر\"}\n";
        let parsed = parse_article_text(
            Path::new("w.jsonl"),
            "w.jsonl",
            text,
            ArticleFormat::JsonLines,
        )
        .unwrap();
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["w.jsonl#1", "w.jsonl#2"]);
    }
}
