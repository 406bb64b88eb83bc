//! Markdown articles: optional `---` front matter (`title:`, `date:`, `source:`, `author:`,
//! `url:`, `id:`, `place:`, `category:`), then the text. A leading `# heading` is the title when
//! the front matter has none; heading markers are removed from the body.

use super::{Article, non_empty, parse_date, plain};

/// Parses a Markdown article.
pub fn parse(text: &str) -> Article {
    let (front, content) = split_front_matter(text);
    let mut article = Article::default();
    for (key, value) in front
        .iter()
        .flat_map(|f| f.lines())
        .filter_map(front_matter_pair)
    {
        let value = non_empty(value);
        match key.to_ascii_lowercase().as_str() {
            "title" => article.title = value.unwrap_or_default(),
            "date" => {
                article.date = value.as_deref().and_then(parse_date);
                article.date_text = value;
            }
            "source" => article.source = value,
            "author" => article.author = value,
            "url" => article.url = value,
            "id" => article.id = value.unwrap_or_default(),
            "place" => article.place = value,
            "category" | "categories" => article.category = value,
            _ => {}
        }
    }
    let mut body_lines: Vec<&str> = content.lines().collect();
    while body_lines.first().is_some_and(|l| l.trim().is_empty()) {
        body_lines.remove(0);
    }
    if let Some(heading) = body_lines.first().and_then(|l| l.trim().strip_prefix("# ")) {
        if article.title.is_empty() {
            article.title = heading.trim().to_string();
            body_lines.remove(0);
        } else if heading.trim() == article.title {
            body_lines.remove(0);
        }
    }
    let body = body_lines
        .iter()
        .map(|l| l.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join("\n");
    if article.title.is_empty() {
        let from_body = plain::parse(&body);
        article.title = from_body.title;
        article.place = article.place.or(from_body.place);
        article.source = article.source.or(from_body.source);
        article.body = from_body.body;
    } else {
        article.body = plain::without_footer(&body);
    }
    article
}

fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.trim_start().strip_prefix("---") else {
        return (None, text);
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
    else {
        return (None, text);
    };
    // The closing `---` line may come first (empty front matter) or after the fields.
    let closing = if rest.starts_with("---") {
        Some(0)
    } else {
        rest.find("\n---").map(|i| i + 1)
    };
    match closing {
        Some(end) => {
            let after = rest[end..].split_once('\n').map_or("", |(_, a)| a);
            (Some(&rest[..end]), after)
        }
        None => (None, text),
    }
}

fn front_matter_pair(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let value = value.trim().trim_matches(['"', '\'']);
    Some((key.trim(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_and_heading() {
        let text = "---\ntitle: ترميم قلعة حلب\ndate: 2023-06-20\nsource: سانا\nauthor: \"هالة\"\n---\n# ترميم قلعة حلب\n\nتتواصل أعمال **الترميم** في القلعة.\n\n## مرحلة ثانية\nتبدأ المرحلة الثانية.\n";
        let article = parse(text);
        assert_eq!(article.title, "ترميم قلعة حلب");
        assert_eq!(article.source.as_deref(), Some("سانا"));
        assert_eq!(article.author.as_deref(), Some("هالة"));
        assert_eq!(article.date.unwrap().year(), 2023);
        assert!(article.body.starts_with("تتواصل أعمال **الترميم**"));
        assert!(article.body.contains("مرحلة ثانية\nتبدأ"));
        assert!(!article.body.contains('#'));
    }

    #[test]
    fn empty_front_matter_is_not_the_title() {
        let article = parse("---\n---\nترميم القلعة\nتتواصل الأعمال.");
        assert_eq!(article.title, "ترميم القلعة");
        assert_eq!(article.body, "تتواصل الأعمال.");
    }

    #[test]
    fn a_dateline_keeps_place_and_agency() {
        let article = parse("دمشق-سانا\nافتتح معرض الكتاب الدولي أبوابه اليوم.");
        assert_eq!(article.place.as_deref(), Some("دمشق"));
        assert_eq!(article.source.as_deref(), Some("سانا"));
    }

    #[test]
    fn heading_is_the_title_without_front_matter() {
        let article = parse("# عنوان الخبر\nنص الخبر هنا.");
        assert_eq!(article.title, "عنوان الخبر");
        assert_eq!(article.body, "نص الخبر هنا.");
    }
}
