//! Date-range arguments (`--from`/`--to`, and the HTTP API's `from=`/`to=`) as times.
//!
//! A bound is a year (`2017`), a month (`2017-03`), a day (`2017-03-05`, or day first as
//! Arabic and French-language sites write it: `05/03/2017` is 5 March), a day and time
//! (`2017-03-05 10:30[:00]`, UTC) or RFC 3339 (`2017-03-05T10:30:00+01:00`).

use time::{Date, Duration, Month, OffsetDateTime};

use crate::corpus::parse_date;
use crate::error::{Error, Result};

/// Parses the value of a date-range argument named `argument`. A range's end covers the whole
/// unit written (`end_of_range`): `2023` is up to the end of that year, `2023-05` of that
/// month, `2023-05-31` of that day, `… 10:30` of that minute, so that `[from, to)` includes
/// what the user meant.
pub fn date_bound(argument: &str, value: &str, end_of_range: bool) -> Result<OffsetDateTime> {
    let bad = || Error::BadDate {
        argument: argument.to_string(),
        value: value.to_string(),
    };
    let text = value.trim();
    if let Some((start, end)) = year_or_month(text) {
        let day = if end_of_range { end } else { start };
        return Ok(day.ok_or_else(bad)?.midnight().assume_utc());
    }
    let parsed = parse_date(text).ok_or_else(bad)?;
    if !end_of_range {
        return Ok(parsed);
    }
    Ok(match text.len() {
        10 => parsed + Duration::days(1),
        16 => parsed + Duration::minutes(1),
        _ => parsed + Duration::seconds(1),
    })
}

/// A date range from the values of its two arguments (`--from`, `--to`), refused when it ends
/// before it starts.
pub fn date_range(
    (from_name, from): (&str, Option<&str>),
    (to_name, to): (&str, Option<&str>),
) -> Result<(Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    let start = from.map(|v| date_bound(from_name, v, false)).transpose()?;
    let end = to.map(|v| date_bound(to_name, v, true)).transpose()?;
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        return Err(Error::EmptyDateRange {
            from: format!("{from_name} {}", from.unwrap_or_default().trim()),
            to: format!("{to_name} {}", to.unwrap_or_default().trim()),
        });
    }
    Ok((start, end))
}

/// The first day of a year (`2017`) or month (`2017-03`) and the first day after it; `None`
/// for any other text, and a `None` day when it is out of range.
fn year_or_month(text: &str) -> Option<(Option<Date>, Option<Date>)> {
    let is_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let (year, month) = match text.split_once('-') {
        None if is_digits(text, 4) => (text, None),
        Some((year, month)) if is_digits(year, 4) && is_digits(month, 2) => (year, Some(month)),
        _ => return None,
    };
    let year: i32 = year.parse().ok()?;
    let Some(month) = month else {
        let first = Date::from_calendar_date(year, Month::January, 1).ok();
        let next = Date::from_calendar_date(year + 1, Month::January, 1).ok();
        return Some((first, next));
    };
    let month = Month::try_from(month.parse::<u8>().ok()?).ok();
    let Some(month) = month else {
        return Some((None, None));
    };
    let first = Date::from_calendar_date(year, month, 1).ok();
    let (next_year, next_month) = match month {
        Month::December => (year + 1, Month::January),
        _ => (year, month.next()),
    };
    let next = Date::from_calendar_date(next_year, next_month, 1).ok();
    Some((first, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_range_covers_the_unit_written() {
        let day = date_bound("--to", "2023-05-31", true).unwrap();
        assert_eq!((day.month() as u8, day.day(), day.hour()), (6, 1, 0));
        let minute = date_bound("--to", "2023-05-31 10:30", true).unwrap();
        assert_eq!((minute.hour(), minute.minute()), (10, 31));
        let start = date_bound("--from", "2023-05-31", false).unwrap();
        assert_eq!((start.day(), start.hour()), (31, 0));
    }

    #[test]
    fn a_year_or_a_month_is_the_whole_of_it() {
        let date = |value: &str, end: bool| {
            let t = date_bound("--from", value, end).unwrap();
            (t.year(), t.month() as u8, t.day())
        };
        assert_eq!(date("2017", false), (2017, 1, 1));
        assert_eq!(date("2017", true), (2018, 1, 1));
        assert_eq!(date("2017-03", false), (2017, 3, 1));
        assert_eq!(date("2017-03", true), (2017, 4, 1));
        assert_eq!(date("2017-12", true), (2018, 1, 1));
        // day first, as the articles of Arabic and French-language sites write it
        assert_eq!(date("01/02/2017", false), (2017, 2, 1));
        assert_eq!(date("01/02/2017", true), (2017, 2, 2));
        assert!(date_bound("--from", "2017-13", false).is_err());
        assert!(date_bound("--from", "17", false).is_err());
    }

    #[test]
    fn a_bad_date_names_the_argument() {
        let error = date_bound("to", "أمس", true).unwrap_err().to_string();
        assert!(error.starts_with("to: `أمس` is not a date"), "{error}");
        assert!(error.contains("2017-03"), "the forms are listed: {error}");
        assert!(
            error.contains("DD/MM/YYYY"),
            "the forms are listed: {error}"
        );
    }

    /// Regression: `--from 2017-02-01 --to 2017-01-01` said "no hits" instead of refusing.
    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let error = date_range(("--from", Some("2017-02-01")), ("--to", Some("2017-01-01")))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "--to 2017-01-01 is before --from 2017-02-01: no date is in that range; swap them"
        );
        // one day is a range: from its start to its end
        assert!(date_range(("from", Some("2017-02-01")), ("to", Some("2017-02-01"))).is_ok());
        assert!(date_range(("from", None), ("to", Some("2017-02-01"))).is_ok());
    }
}
