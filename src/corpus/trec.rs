//! TREC/CLEF tagged files: `<DOC><DOCNO>…</DOCNO><TITLE>…</TITLE><TIME>…</TIME><TEXT>…</TEXT></DOC>`,
//! one or more documents per file, as IR test collections ship them.

use super::{Article, ParsedFile, non_empty, parse_date, title_from_body};

/// True when the text starts with a `<DOC>` tag.
pub fn looks_like_trec(text: &str) -> bool {
    text.trim_start_matches('\u{FEFF}')
        .trim_start()
        .starts_with("<DOC>")
}

/// Parses every `<DOC>` of a tagged file.
pub fn parse(text: &str) -> ParsedFile {
    let articles = documents(text).map(parse_document).collect();
    ParsedFile {
        articles,
        ..ParsedFile::default()
    }
}

fn documents(text: &str) -> impl Iterator<Item = &str> {
    text.split("<DOC>")
        .skip(1)
        .map(|doc| match doc.find("</DOC>") {
            Some(end) => &doc[..end],
            None => doc,
        })
}

fn parse_document(doc: &str) -> Article {
    let tags = Tags::find(doc);
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| tags.content(name))
            .and_then(non_empty)
    };
    let body = field(&["TEXT", "BODY"])
        .or_else(|| field(&["ABSTRACT"]))
        .map(|t| decode_entities(&t))
        .unwrap_or_default();
    let title = field(&["TITLE", "HEADLINE", "HEAD"])
        .map(|t| decode_entities(&t))
        .unwrap_or_else(|| title_from_body(&body, super::plain::DERIVED_TITLE_CHARS));
    let date_text = field(&["TIME", "DATE"]);
    Article {
        id: field(&["DOCNO", "DOCID"]).unwrap_or_default(),
        title,
        body,
        date: date_text.as_deref().and_then(parse_date),
        date_text,
        source: field(&["SRC", "SOURCE"]),
        place: field(&["PLACE", "DATELINE"]),
        category: field(&["CAT", "CATEGORY"]),
        url: field(&["URL"]),
        author: field(&["AUTHOR"]),
        path: String::new(),
    }
}

/// The tags [`parse_document`] reads.
const TAG_NAMES: [&str; 18] = [
    "DOCNO", "DOCID", "TITLE", "HEADLINE", "HEAD", "TIME", "DATE", "SRC", "SOURCE", "PLACE",
    "DATELINE", "CAT", "CATEGORY", "URL", "AUTHOR", "ABSTRACT", "TEXT", "BODY",
];

/// Where the first `<NAME>` of each of [`TAG_NAMES`] opens in a document, found in one pass.
struct Tags<'a> {
    doc: &'a str,
    /// Byte offset just after the opening tag, by index in [`TAG_NAMES`].
    starts: [Option<usize>; TAG_NAMES.len()],
}

impl<'a> Tags<'a> {
    fn find(doc: &'a str) -> Tags<'a> {
        let mut starts = [None; TAG_NAMES.len()];
        for (at, _) in doc.match_indices('<') {
            let rest = &doc[at + 1..];
            for (start, name) in starts.iter_mut().zip(TAG_NAMES) {
                if start.is_none() && rest.starts_with(name) && rest[name.len()..].starts_with('>')
                {
                    *start = Some(at + name.len() + 2);
                }
            }
        }
        Tags { doc, starts }
    }

    /// The content of the first `<NAME>…</NAME>`, if the document has the tag. A tag that is
    /// not closed ends where the next tag fahras reads opens or closes (or at the end of the
    /// document), so an unclosed `<DOCNO>` does not take the tags after it into the id.
    fn content(&self, name: &str) -> Option<&'a str> {
        let number = TAG_NAMES.iter().position(|n| *n == name)?;
        let start = self.starts[number]?;
        let close = format!("</{name}>");
        let end = match self.doc[start..].find(&close) {
            Some(end) => start + end,
            None => self.next_tag(start).unwrap_or(self.doc.len()),
        };
        Some(&self.doc[start..end])
    }

    /// Where the first `<NAME>` or `</NAME>` of a tag in [`TAG_NAMES`] after `from` starts.
    fn next_tag(&self, from: usize) -> Option<usize> {
        self.doc[from..].match_indices('<').find_map(|(at, _)| {
            let rest = &self.doc[from + at + 1..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            TAG_NAMES
                .iter()
                .any(|name| rest.strip_prefix(name).is_some_and(|r| r.starts_with('>')))
                .then_some(from + at)
        })
    }
}

/// Decodes the few entities tagged collections use.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_DOCS: &str = "<DOC>\n<DOCNO>JA-sport-1-20170305</DOCNO>\n<SRC>Jawhara FM</SRC>\n<CAT>sport</CAT>\n<TITLE>فوز النجم الساحلي</TITLE>\n<TIME>2017-03-05T18:30:00+01:00</TIME>\n<AUTHOR></AUTHOR>\n<ABSTRACT>\nملخص\n</ABSTRACT>\n<TEXT>\nفاز النجم &amp; الترجي.\n</TEXT>\n</DOC>\n<DOC>\n<DOCNO>JA-economy-2</DOCNO>\n<TITLE></TITLE>\n<ABSTRACT>تراجع الدينار التونسي أمام الأورو</ABSTRACT>\n<TEXT></TEXT>\n</DOC>\n";

    #[test]
    fn reads_every_document_and_its_fields() {
        let parsed = parse(TWO_DOCS);
        assert_eq!(parsed.articles.len(), 2);
        let first = &parsed.articles[0];
        assert_eq!(first.id, "JA-sport-1-20170305");
        assert_eq!(first.title, "فوز النجم الساحلي");
        assert_eq!(first.body, "فاز النجم & الترجي.");
        assert_eq!(first.source.as_deref(), Some("Jawhara FM"));
        assert_eq!(first.category.as_deref(), Some("sport"));
        assert_eq!(first.author, None);
        assert_eq!(first.date.unwrap().day(), 5);
    }

    #[test]
    fn a_tag_is_read_from_its_first_opening_to_its_closing() {
        let doc = "<HEADLINE>عنوان</HEADLINE><HEAD>رأس</HEAD><TEXT>نص <TITLE> داخل</TEXT><TITLE>ليس هذا</TITLE><URL>بلا إغلاق";
        let tags = Tags::find(doc);
        assert_eq!(tags.content("HEAD"), Some("رأس"));
        assert_eq!(tags.content("HEADLINE"), Some("عنوان"));
        assert_eq!(tags.content("TITLE"), Some(" داخل</TEXT><TITLE>ليس هذا"));
        assert_eq!(tags.content("URL"), Some("بلا إغلاق"));
        assert_eq!(tags.content("BODY"), None);
    }

    #[test]
    fn an_unclosed_docno_ends_at_the_next_tag() {
        let parsed = parse(
            "<DOC>\n<DOCNO>JA-politics-7\n<TITLE>الهيئة المستقلة للانتخابات</TITLE>\n<TEXT>\nأعلنت الهيئة موعد الانتخابات البلدية.\n</TEXT>\n</DOC>\n",
        );
        let article = &parsed.articles[0];
        assert_eq!(article.id, "JA-politics-7");
        assert_eq!(article.title, "الهيئة المستقلة للانتخابات");
        assert_eq!(article.body, "أعلنت الهيئة موعد الانتخابات البلدية.");
    }

    #[test]
    fn empty_text_falls_back_to_abstract_and_title_to_its_first_sentence() {
        let second = &parse(TWO_DOCS).articles[1];
        assert_eq!(second.body, "تراجع الدينار التونسي أمام الأورو");
        assert_eq!(second.title, "تراجع الدينار التونسي أمام الأورو");
    }
}
