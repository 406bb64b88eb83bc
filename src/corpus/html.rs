//! HTML articles, as saved from news sites: the headline, the article's own text, and what the
//! page's `<meta>` tags say (date, site, author, address), without scripts, styles, menus,
//! headers, footers and sidebars.
//!
//! Pages are parsed with html5ever (through `scraper`), which repairs broken markup the way a
//! browser does, so unclosed tags and stray end tags do not lose text.

use std::sync::LazyLock;

use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

use super::{Article, non_empty, parse_date, plain, title_from_body};

/// Elements whose content is never article text.
const DROPPED: [&str; 16] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select", "textarea", "object", "canvas",
];

/// Elements that end a paragraph of text.
const BLOCKS: [&str; 28] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "main",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "hr",
    "address",
];

/// The deepest nesting of elements a page may have. html5ever's work for each start tag grows
/// with the depth of the open elements (about quadratic: 10⁴ levels of `<div>` took 0.46 s,
/// 10⁵ took 63 s), and no article nests so deep: Blink, Chrome's engine, stops nesting at the
/// same depth (its parser's `kMaximumHTMLParserDOMTreeDepth`).
pub const MAX_HTML_DEPTH: usize = 512;

/// Elements that never hold content.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements a start tag of their own name closes (`<p>a<p>b`, `<li>`, table cells).
const CLOSED_BY_THEIR_NEXT: [&str; 15] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb",
    "rt", "rp",
];

/// Elements whose start tag closes an open `<p>` (HTML's "close a p element"): `<div><p>a<div>`
/// nests the second `<div>` beside the `<p>`, not in it.
const CLOSE_A_P: [&str; 34] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dd",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "ul",
];

/// Elements an implied end tag does not look past (HTML's scope markers).
const SCOPE_BOUNDARIES: [&str; 10] = [
    "applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th",
];

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: [&str; 9] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// True when the markup nests elements more than `limit` deep, by an estimate of the tree a
/// browser builds (an end tag closes what was left open inside it; void elements nest
/// nothing; a `<p>`, `<li>` or cell closes the open one of its kind, and a block closes an
/// open `<p>`, as far as the nearest scope marker). Its work is bounded by `limit` per tag, so
/// it is linear in the text.
pub(crate) fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('<') {
        let start = at + found + 1;
        let rest = &text[start..];
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(text.len(), |end| start + end + 3);
            continue;
        }
        if rest.starts_with(['!', '?']) {
            at = rest.find('>').map_or(text.len(), |end| start + end + 1);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = start + usize::from(closing);
        let name: String = text[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start;
            continue;
        }
        let name = name.to_ascii_lowercase();
        let mut end = name_start + name.len();
        let mut quote = None;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (Some(q), b) if b == q => quote = None,
                (None, b @ (b'"' | b'\'')) => quote = Some(b),
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
        at = (end + 1).min(text.len());
        let close = |open: &mut Vec<String>, name: &str| {
            if let Some(position) = open.iter().rposition(|n| n == name) {
                open.truncate(position);
            }
        };
        if closing {
            close(&mut open, &name);
            continue;
        }
        // `<x/>` closes itself only in SVG and MathML; in HTML the slash is ignored
        let foreign = open.iter().any(|n| n == "svg" || n == "math");
        if VOID.contains(&name.as_str()) || (self_closing && foreign) {
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            at = find_end_tag(text, at, &name).unwrap_or(text.len());
            continue;
        }
        if CLOSE_A_P.contains(&name.as_str()) {
            close_in_scope(&mut open, "p");
        }
        if CLOSED_BY_THEIR_NEXT.contains(&name.as_str()) {
            close_in_scope(&mut open, &name);
        }
        open.push(name);
        if open.len() > limit {
            return true;
        }
    }
    false
}

/// Closes the innermost open `name` and what is open inside it, unless a scope marker
/// ([`SCOPE_BOUNDARIES`], and `ul`/`ol` for a list item) comes first.
fn close_in_scope(open: &mut Vec<String>, name: &str) {
    for position in (0..open.len()).rev() {
        let element = open[position].as_str();
        if element == name {
            open.truncate(position);
            return;
        }
        if SCOPE_BOUNDARIES.contains(&element) || (name == "li" && matches!(element, "ul" | "ol")) {
            return;
        }
    }
}

/// Where `</name` (any case) starts in `text` after byte `from`.
fn find_end_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text[at..].find("</") {
        let start = at + found;
        let candidate = text.as_bytes().get(start + 2..start + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

/// Where the article text is, most specific first.
static CONTAINERS: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    ["article", "main", "[role=main]", "body"]
        .into_iter()
        .map(selector)
        .collect()
});
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel=canonical][href]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));

/// Parses an HTML page into one article.
pub fn parse(text: &str) -> Article {
    let page = Html::parse_document(text);
    let container = CONTAINERS
        .iter()
        .find_map(|s| page.select(s).next())
        .unwrap_or_else(|| page.root_element());
    let headline = container
        .select(&H1)
        .next()
        .filter(|h1| !is_inside_dropped(*h1, container));
    let body = plain::without_footer(&block_text(container, headline));
    let title = headline
        .and_then(|h1| non_empty(&inline_text(h1)))
        .or_else(|| meta(&page, "og:title"))
        .or_else(|| {
            page.select(&TITLE)
                .next()
                .and_then(|t| non_empty(&inline_text(t)))
        })
        .unwrap_or_else(|| title_from_body(&body, plain::DERIVED_TITLE_CHARS));
    let date_text = meta(&page, "article:published_time")
        .or_else(|| meta(&page, "datePublished"))
        .or_else(|| meta(&page, "date"))
        .or_else(|| meta(&page, "pubdate"))
        .or_else(|| {
            page.select(&TIME)
                .next()
                .and_then(|t| t.value().attr("datetime"))
                .and_then(non_empty)
        });
    let url = page
        .select(&CANONICAL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .and_then(non_empty)
        .or_else(|| meta(&page, "og:url"));
    Article {
        title,
        body,
        date: date_text.as_deref().and_then(parse_date),
        date_text,
        source: meta(&page, "og:site_name"),
        category: meta(&page, "article:section"),
        author: meta(&page, "author").or_else(|| meta(&page, "article:author")),
        url,
        ..Article::default()
    }
}

/// The `content` of `<meta name=…>`, `<meta property=…>` or `<meta itemprop=…>`.
fn meta(page: &Html, name: &str) -> Option<String> {
    let css = format!(
        "meta[name=\"{name}\"][content], meta[property=\"{name}\"][content], meta[itemprop=\"{name}\"][content]"
    );
    let found = page.select(&selector(&css)).next()?;
    non_empty(found.value().attr("content")?)
}

fn is_inside_dropped(element: ElementRef, container: ElementRef) -> bool {
    element
        .ancestors()
        .take_while(|a| a.id() != container.id())
        .filter_map(ElementRef::wrap)
        .any(|a| DROPPED.contains(&a.value().name()))
}

/// The text of an element as paragraphs (one per line), leaving out dropped elements and the
/// headline (already the title).
fn block_text(root: ElementRef, headline: Option<ElementRef>) -> String {
    let mut text = ParagraphText::default();
    collect(root, headline, &mut text);
    text.finish()
}

fn collect(root: ElementRef, skip: Option<ElementRef>, text: &mut ParagraphText) {
    // A stack, not recursion: html5ever builds a tree as deep as the markup nests, and a page
    // of 11,000 `<div>`s overflowed a reading thread's stack. `None` ends a block's paragraph.
    let mut stack: Vec<_> = root.children().rev().map(Some).collect();
    while let Some(step) = stack.pop() {
        let Some(node) = step else {
            text.end_paragraph();
            continue;
        };
        match node.value() {
            Node::Text(t) => text.push(t),
            Node::Element(e) => {
                let name = e.name();
                if DROPPED.contains(&name) || skip.is_some_and(|s| s.id() == node.id()) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    text.end_paragraph();
                    stack.push(None);
                }
                stack.extend(node.children().rev().map(Some));
            }
            _ => {}
        }
    }
}

/// The text of an element on one line, white space collapsed.
fn inline_text(element: ElementRef) -> String {
    element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds text out of HTML text nodes: white space collapsed as a browser does, paragraphs
/// on their own lines.
#[derive(Default)]
struct ParagraphText {
    paragraphs: Vec<String>,
    current: String,
}

impl ParagraphText {
    fn push(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) && !self.current.is_empty() {
            self.current.push(' ');
        }
        let mut words = text.split_whitespace().peekable();
        while let Some(word) = words.next() {
            self.current.push_str(word);
            if words.peek().is_some() {
                self.current.push(' ');
            }
        }
        if text.ends_with(char::is_whitespace) && !self.current.is_empty() {
            self.current.push(' ');
        }
    }

    fn end_paragraph(&mut self) {
        let paragraph = self.current.trim();
        if !paragraph.is_empty() {
            self.paragraphs.push(paragraph.to_string());
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>وزير الخارجية يزور القاهرة | جوهرة أف أم</title>
<meta property="og:site_name" content="Jawhara FM">
<meta property="article:published_time" content="2017-03-05T18:30:00+01:00">
<meta name="author" content="سامي">
<link rel="canonical" href="https://example.org/ar/article/1">
<script>var ads = "إعلان لا يفهرس";</script>
<style>.x { color: red }</style>
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></nav></header>
<div class="share">شارك</div>
<article>
  <h1>وزير الخارجية يزور القاهرة</h1>
  <p>وصل وزير الخارجية إلى <b>القاهرة</b> صباح اليوم في زيارة رسمية.</p>
  <p>وبحث الوزير مع نظيره المصري العلاقات الثنائية<br>والأوضاع في المنطقة.
  <script>track("لا")</script>
  <aside>اقرأ أيضا: خبر آخر</aside>
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"#;

    #[test]
    fn headline_text_and_meta_without_page_furniture() {
        let article = parse(PAGE);
        assert_eq!(article.title, "وزير الخارجية يزور القاهرة");
        assert_eq!(
            article.body,
            "وصل وزير الخارجية إلى القاهرة صباح اليوم في زيارة رسمية.\nوبحث الوزير مع نظيره المصري العلاقات الثنائية\nوالأوضاع في المنطقة."
        );
        assert_eq!(article.source.as_deref(), Some("Jawhara FM"));
        assert_eq!(article.author.as_deref(), Some("سامي"));
        assert_eq!(
            article.url.as_deref(),
            Some("https://example.org/ar/article/1")
        );
        assert_eq!(article.date.unwrap().day(), 5);
        for furniture in ["إعلان", "الرئيسية", "اقرأ أيضا", "حقوق", "track", "color"]
        {
            assert!(
                !article.body.contains(furniture),
                "{furniture} in {}",
                article.body
            );
        }
    }

    #[test]
    fn a_page_without_article_or_headline_uses_body_and_title_tag() {
        let article = parse(
            "<html><head><title>انقطاع الكهرباء في صفاقس</title></head><body><div>شهدت مدينة صفاقس انقطاعا للكهرباء</div><div>لمدة ساعتين.</div></body></html>",
        );
        assert_eq!(article.title, "انقطاع الكهرباء في صفاقس");
        assert_eq!(
            article.body,
            "شهدت مدينة صفاقس انقطاعا للكهرباء\nلمدة ساعتين."
        );
    }

    #[test]
    fn a_deeply_nested_page_is_read_without_recursion() {
        // deeper than the estimate allows, read anyway (the depth check is the caller's)
        let page = format!(
            "<body>{}<p>نص الخبر في أعمق الصفحة</p>{}</body>",
            "<div>".repeat(3_000),
            "</div>".repeat(3_000)
        );
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || assert_eq!(parse(&page).body, "نص الخبر في أعمق الصفحة"))
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn nesting_is_estimated_as_a_browser_closes_tags() {
        let deep = "<div>".repeat(MAX_HTML_DEPTH + 1);
        assert!(nests_deeper_than(&deep, MAX_HTML_DEPTH));
        assert!(!nests_deeper_than(
            &"<div>".repeat(MAX_HTML_DEPTH),
            MAX_HTML_DEPTH
        ));
        // left open but closed by their parent's end tag, or by the next of their kind
        let sloppy = "<div><span><b>خبر</div>".repeat(2_000)
            + &"<p>فقرة<li>بند<br><img src=x>".repeat(2_000)
            + &"<svg><path d='M0 0'/></svg>".repeat(2_000);
        assert!(!nests_deeper_than(&sloppy, MAX_HTML_DEPTH));
        // markup inside a script or a comment nests nothing; `<div/>` is an open div in HTML
        let script = format!(
            "<script>{}</SCRIPT><!-- {} -->",
            "<div>".repeat(600),
            "<p>".repeat(600)
        );
        assert!(!nests_deeper_than(&script, MAX_HTML_DEPTH));
        assert!(nests_deeper_than(&"<div/>".repeat(600), MAX_HTML_DEPTH));
        assert!(nests_deeper_than(
            &"<div title='a>b'>".repeat(600),
            MAX_HTML_DEPTH
        ));
        // found by fuzzing: a block closes the open <p>, so each <div> nests in the last one
        assert!(nests_deeper_than(
            &"<div><p>خبر".repeat(600),
            MAX_HTML_DEPTH
        ));
        // and lists inside list items, paragraphs with open inline elements, do not add up
        let lists = "<ul><li>بند<ul><li>بند فرعي</ul><li>بند</ul>".repeat(600)
            + &"<p><b>فقرة<p><font>أخرى".repeat(600)
            + &"<table><tr><td>خلية<td>خلية<tr><td>خلية</table>".repeat(600);
        assert!(!nests_deeper_than(&lists, MAX_HTML_DEPTH));
    }

    #[test]
    fn broken_markup_keeps_its_text() {
        let article = parse("<p>الفقرة الأولى <i>بلا إغلاق<p>الفقرة الثانية</div></span>");
        assert_eq!(article.body, "الفقرة الأولى بلا إغلاق\nالفقرة الثانية");
        assert_eq!(article.title, "الفقرة الأولى بلا إغلاق");
    }
}
