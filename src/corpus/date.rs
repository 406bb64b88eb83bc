//! Dates as article files write them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Parses a publication date: RFC 3339 (`2017-01-26T08:31:00+01:00`), `YYYY-MM-DD HH:MM:SS`
/// (taken as UTC) or `YYYY-MM-DD` (midnight UTC). Returns `None` for anything else.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let date_time = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(text, date_time) {
        return Some(t.assume_utc());
    }
    let date_only = format_description!("[year]-[month]-[day]");
    let day = text.get(..10).unwrap_or(text);
    Date::parse(day, date_only)
        .ok()
        .map(|d| d.midnight().assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_formats_of_news_files() {
        let t = parse_date("2017-01-26T08:31:00+01:00").unwrap();
        assert_eq!((t.year(), t.hour(), t.offset().whole_hours()), (2017, 8, 1));
        assert_eq!(parse_date("2023-07-24").unwrap().day(), 24);
        assert_eq!(parse_date(" 2023-07-24 10:30:00 ").unwrap().minute(), 30);
        assert_eq!(parse_date("2023-07-24T10:30").unwrap().day(), 24);
        assert_eq!(parse_date("أمس"), None);
        assert_eq!(parse_date("2023-13-01"), None);
    }
}
