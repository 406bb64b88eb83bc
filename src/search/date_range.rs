//! Date-range arguments (`--from`/`--to`, and the HTTP API's `from=`/`to=`) as times.

use time::{Duration, OffsetDateTime};

use crate::corpus::parse_date;
use crate::error::{Error, Result};

/// Parses the value of a date-range argument named `argument`. A range's end covers the whole
/// unit written (`end_of_range`): `2023-05-31` is up to the end of that day, `… 10:30` up to
/// the end of that minute, so that `[from, to)` includes what the user meant.
pub fn date_bound(argument: &str, value: &str, end_of_range: bool) -> Result<OffsetDateTime> {
    let parsed = parse_date(value).ok_or_else(|| Error::BadDate {
        argument: argument.to_string(),
        value: value.to_string(),
    })?;
    if !end_of_range {
        return Ok(parsed);
    }
    Ok(match value.trim().len() {
        10 => parsed + Duration::days(1),
        16 => parsed + Duration::minutes(1),
        _ => parsed + Duration::seconds(1),
    })
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
    fn a_bad_date_names_the_argument() {
        let error = date_bound("to", "أمس", true).unwrap_err().to_string();
        assert!(error.starts_with("to: `أمس` is not a date"), "{error}");
    }
}
