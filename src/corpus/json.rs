//! JSON and JSON Lines articles: objects with `title`, `body` (or `text`, `content`), and
//! optional `date`, `source`, `url`, `author`, `id`, `place`, `category`.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{Article, ParsedFile, non_empty, parse_date, title_from_body};
use crate::error::{Error, Result};

/// One article object as it appears in JSON; unknown keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JsonArticle {
    id: Option<Value>,
    title: Option<String>,
    #[serde(alias = "text", alias = "content")]
    body: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    place: Option<String>,
    #[serde(alias = "cat")]
    category: Option<String>,
}

impl JsonArticle {
    fn into_article(self) -> Article {
        let body = self.body.unwrap_or_default().trim().to_string();
        let title = match self.title.as_deref().and_then(non_empty) {
            Some(title) => title,
            None => title_from_body(&body, super::plain::DERIVED_TITLE_CHARS),
        };
        let date_text = self.date.as_deref().and_then(non_empty);
        Article {
            id: match self.id {
                Some(Value::String(s)) => s.trim().to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            },
            path: String::new(),
            title,
            body,
            date: date_text.as_deref().and_then(parse_date),
            date_text,
            source: self.source.as_deref().and_then(non_empty),
            place: self.place.as_deref().and_then(non_empty),
            category: self.category.as_deref().and_then(non_empty),
            url: self.url.as_deref().and_then(non_empty),
            author: self.author.as_deref().and_then(non_empty),
        }
    }
}

/// A `.json` file: one article object, or an array of them.
pub fn parse_json(path: &Path, text: &str) -> Result<ParsedFile> {
    let json_error = |error| Error::Json {
        path: path.to_path_buf(),
        line: None,
        error,
    };
    let value: Value = serde_json::from_str(text).map_err(json_error)?;
    let objects = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => {
            return Err(Error::NoArticle {
                path: path.to_path_buf(),
                reason: "JSON is neither an article object nor an array of them".into(),
            });
        }
    };
    let mut parsed = ParsedFile::default();
    for (n, object) in objects.into_iter().enumerate() {
        match serde_json::from_value::<JsonArticle>(object) {
            Ok(article) => parsed.articles.push(article.into_article()),
            Err(error) => parsed.problems.push(Error::NoArticle {
                path: path.to_path_buf(),
                reason: format!("article {} of the array skipped: {error}", n + 1),
            }),
        }
    }
    Ok(parsed)
}

/// A `.jsonl` file: one article object per line. Bad lines are reported, good ones kept.
pub fn parse_json_lines(path: &Path, text: &str) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JsonArticle>(line) {
            Ok(article) => parsed.articles.push(article.into_article()),
            Err(error) => parsed.problems.push(Error::Json {
                path: path.to_path_buf(),
                line: Some(n + 1),
                error,
            }),
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_array_with_body_aliases() {
        let text = r#"[{"id": 7, "title": "القمح", "body": "موسم جيد", "date": "2023-05-04T10:00:00+03:00", "source": "سانا"},
                       {"title": "حلب", "content": "مباراة", "cat": "sport"}]"#;
        let parsed = parse_json(Path::new("b.json"), text).unwrap();
        assert_eq!(parsed.articles.len(), 2);
        assert_eq!(parsed.articles[0].id, "7");
        assert_eq!(parsed.articles[0].date.unwrap().month() as u8, 5);
        assert_eq!(parsed.articles[1].body, "مباراة");
        assert_eq!(parsed.articles[1].category.as_deref(), Some("sport"));
    }

    #[test]
    fn bad_json_lines_are_reported_with_their_line_and_good_ones_kept() {
        let text = "{\"id\":\"w1\",\"title\":\"ثلج\",\"text\":\"ثلوج في حمص\"}\n{broken\n\n{\"id\":\"w3\",\"text\":\"الذكاء الاصطناعي\"}\n";
        let parsed = parse_json_lines(Path::new("w.jsonl"), text);
        let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["w1", "w3"]);
        assert_eq!(parsed.problems.len(), 1);
        let problem = parsed.problems[0].to_string();
        assert_eq!(problem, "w.jsonl:2:2: invalid JSON: key must be a string");
        // no title: the first sentence of the text stands in
        assert_eq!(parsed.articles[1].title, "الذكاء الاصطناعي");
    }

    #[test]
    fn invalid_json_file_is_an_error() {
        let err = parse_json(Path::new("x.json"), "{\"title\": ").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.json:1:10: invalid JSON: EOF while parsing a value"
        );
    }
}
