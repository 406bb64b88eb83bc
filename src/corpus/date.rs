//! Dates as article files write them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Parses a publication date: RFC 3339 (`2017-01-26T08:31:00+01:00`), a date and time
/// without offset (`YYYY-MM-DD HH:MM[:SS]`, `T` or space, or `YYYY-MM-DDTHHMMSS`; taken as
/// UTC), `YYYY-MM-DD` or day-first `DD/MM/YYYY` as Arabic and French-language news sites
/// write it (midnight UTC). Returns `None` for anything else, trailing text included.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let local_formats = [
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day] [hour]:[minute]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        format_description!("[year]-[month]-[day]T[hour][minute][second]"),
    ];
    if let Some(t) = local_formats
        .iter()
        .find_map(|format| PrimitiveDateTime::parse(text, format).ok())
    {
        return Some(t.assume_utc());
    }
    let date_formats = [
        format_description!("[year]-[month]-[day]"),
        format_description!("[day]/[month]/[year]"),
    ];
    date_formats
        .iter()
        .find_map(|format| Date::parse(text, format).ok())
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
        assert_eq!(parse_date("2023-07-24T10:30").unwrap().hour(), 10);
        assert_eq!(parse_date("2023-07-24garbage"), None);
        assert_eq!(parse_date("أمس"), None);
        assert_eq!(parse_date("2023-13-01"), None);
    }

    #[test]
    fn parses_the_other_formats_of_the_jawhara_fm_archive() {
        let t = parse_date("2017-01-22T171800").unwrap();
        assert_eq!((t.day(), t.hour(), t.minute()), (22, 17, 18));
        // Day first: 1 July 2016, not 7 January.
        let t = parse_date("01/07/2016").unwrap();
        assert_eq!((t.year(), u8::from(t.month()), t.day()), (2016, 7, 1));
        assert_eq!(parse_date("31/03/2016").unwrap().day(), 31);
        assert_eq!(parse_date("03/31/2016"), None);
    }
}
