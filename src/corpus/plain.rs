//! Plain-text articles: first non-empty line is a headline or a dateline, the rest is the body,
//! and trailing "follow us" lines are dropped as boilerplate.

use super::{Article, non_empty, parse_dateline, title_from_body};

/// Longest title (in chars) made from the first sentence when the file starts with a dateline.
pub(crate) const DERIVED_TITLE_CHARS: usize = 90;

/// Words that mark a social-media or subscription footer (normalized spellings included).
const BOILERPLATE_MARKERS: [&str; 12] = [
    "تلغرام",
    "تليغرام",
    "تيليغرام",
    "telegram",
    "t.me/",
    "تابعونا",
    "تابعوا",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "للاشتراك",
    "متابعة أخبار",
];

/// A footer line is short and names a channel to follow.
const MAX_BOILERPLATE_CHARS: usize = 200;

/// Parses a plain-text article.
pub fn parse(text: &str) -> Article {
    let lines = lines_without_footer(text);
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return Article::default();
    };
    let head = lines[first].trim();
    let body = lines[first + 1..].join("\n").trim().to_string();
    let mut article = Article::default();
    match parse_dateline(head) {
        Some(dateline) => {
            article.title = title_from_body(&body, DERIVED_TITLE_CHARS);
            article.place = Some(dateline.place);
            article.source = Some(dateline.agency);
        }
        None => article.title = head.to_string(),
    }
    article.body = body;
    if article.body.is_empty() {
        // a one-line file: the line is the text
        article.body = non_empty(head).unwrap_or_default();
    }
    article
}

/// The text without its trailing footer lines, trimmed.
pub(crate) fn without_footer(text: &str) -> String {
    lines_without_footer(text).join("\n").trim().to_string()
}

fn lines_without_footer(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_boilerplate(l))
    {
        lines.pop();
    }
    lines
}

/// True for a social-media footer such as `متابعة أخبار سانا على تلغرام https://t.me/…`.
pub(crate) fn is_boilerplate(line: &str) -> bool {
    let lower = line.to_lowercase();
    line.chars().count() <= MAX_BOILERPLATE_CHARS
        && BOILERPLATE_MARKERS.iter().any(|m| lower.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_START: &str = "غوا-سانا\nتعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية، وبناء منظمة شنغهاي للتعاون لتصبح منصة للتعاون متبادل المنفعة.\nبدوره قال لافروف: إن زيارة الرئيس الصيني شي جين بينغ إلى روسيا في آذار الماضي أعطت دفعا كبيرا.\nمتابعة أخبار سانا على تلغرام https://t.me/SyrianArabNewsAgency";

    #[test]
    fn dateline_becomes_place_and_agency_and_footer_is_dropped() {
        let article = parse(SEED_START);
        assert_eq!(article.place.as_deref(), Some("غوا"));
        assert_eq!(article.source.as_deref(), Some("سانا"));
        assert_eq!(
            article.title,
            "تعهدت الصين وروسيا بمواصلة تطوير العلاقات الثنائية"
        );
        assert!(article.body.starts_with("تعهدت الصين"));
        assert!(article.body.ends_with("دفعا كبيرا."));
        assert!(!article.body.contains("تلغرام"));
    }

    #[test]
    fn headline_line_is_the_title() {
        let article = parse("\n\nزيلينسكي يدعو إلى دعم دولي\nقال الرئيس الأوكراني...\n");
        assert_eq!(article.title, "زيلينسكي يدعو إلى دعم دولي");
        assert_eq!(article.body, "قال الرئيس الأوكراني...");
        assert_eq!(article.place, None);
    }

    #[test]
    fn a_sentence_mentioning_telegram_inside_the_body_is_kept() {
        let article = parse("عنوان\nحظرت الحكومة تطبيق تلغرام مؤقتا.\nوقال الوزير إن القرار مؤقت.");
        assert!(article.body.contains("تلغرام"));
    }
}
