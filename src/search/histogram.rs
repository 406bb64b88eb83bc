//! Date histograms: how many matching articles were published per day, month or year, to see
//! how a topic rose and fell.
//!
//! Dates are bucketed in UTC, the time zone `--from`/`--to` use. Articles without a date are
//! counted apart (`undated`). Buckets between the first and the last are all listed, empty
//! ones with a count of 0, so the series has no holes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentReader};
use time::{Date, Month};

/// The width of a histogram bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// One calendar day.
    Day,
    /// One calendar month.
    Month,
    /// One calendar year.
    Year,
}

impl Interval {
    /// The interval's name (`day`, `month`, `year`), as in `--by` and the JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }

    /// The first day of the bucket holding `date`.
    fn bucket_start(self, date: Date) -> Date {
        let (year, month, day) = match self {
            Interval::Day => (date.year(), date.month(), date.day()),
            Interval::Month => (date.year(), date.month(), 1),
            Interval::Year => (date.year(), Month::January, 1),
        };
        Date::from_calendar_date(year, month, day).expect("the first of a month is a date")
    }

    /// The first day of the bucket after the one starting at `start`.
    fn next_bucket(self, start: Date) -> Option<Date> {
        match self {
            Interval::Day => start.next_day(),
            Interval::Month => {
                let (year, month) = match start.month() {
                    Month::December => (start.year() + 1, Month::January),
                    month => (start.year(), month.next()),
                };
                Date::from_calendar_date(year, month, 1).ok()
            }
            Interval::Year => Date::from_calendar_date(start.year() + 1, Month::January, 1).ok(),
        }
    }

    /// The bucket's label: `2017`, `2017-03` or `2017-03-05`.
    fn label(self, start: Date) -> String {
        let (year, month, day) = (start.year(), u8::from(start.month()), start.day());
        match self {
            Interval::Day => format!("{year:04}-{month:02}-{day:02}"),
            Interval::Month => format!("{year:04}-{month:02}"),
            Interval::Year => format!("{year:04}"),
        }
    }
}

/// Matching articles per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    /// The bucket width.
    pub interval: Interval,
    /// Every bucket from the first dated match to the last, in order.
    pub buckets: Vec<Bucket>,
    /// Matching articles without a date.
    pub undated: u64,
}

/// One period of a [`Histogram`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// The period: `2017`, `2017-03` or `2017-03-05` (UTC).
    pub key: String,
    /// Matching articles published in it.
    pub count: u64,
}

/// Counts matching documents per period of the `date` fast field.
pub struct DateHistogramCollector {
    interval: Interval,
}

impl DateHistogramCollector {
    /// A histogram with buckets of `interval`.
    pub fn new(interval: Interval) -> DateHistogramCollector {
        DateHistogramCollector { interval }
    }
}

/// Counts of one segment: bucket start → documents, and undated documents.
type SegmentCounts = (BTreeMap<Date, u64>, u64);

impl Collector for DateHistogramCollector {
    type Fruit = Histogram;
    type Child = DateHistogramSegmentCollector;

    fn for_segment(
        &self,
        _segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<DateHistogramSegmentCollector> {
        Ok(DateHistogramSegmentCollector {
            interval: self.interval,
            dates: reader.fast_fields().column_opt("date")?,
            counts: BTreeMap::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<Histogram> {
        let mut counts = BTreeMap::new();
        let mut undated = 0;
        for (segment_counts, segment_undated) in segments {
            undated += segment_undated;
            for (start, count) in segment_counts {
                *counts.entry(start).or_default() += count;
            }
        }
        Ok(Histogram {
            interval: self.interval,
            buckets: fill_gaps(self.interval, &counts),
            undated,
        })
    }
}

/// Every bucket from the first key of `counts` to the last, in order, 0 where none.
fn fill_gaps(interval: Interval, counts: &BTreeMap<Date, u64>) -> Vec<Bucket> {
    let (Some((&first, _)), Some((&last, _))) = (counts.first_key_value(), counts.last_key_value())
    else {
        return Vec::new();
    };
    let mut buckets = Vec::new();
    let mut start = Some(first);
    while let Some(day) = start.filter(|&d| d <= last) {
        buckets.push(Bucket {
            key: interval.label(day),
            count: counts.get(&day).copied().unwrap_or(0),
        });
        start = interval.next_bucket(day);
    }
    buckets
}

/// [`DateHistogramCollector`] on one segment.
pub struct DateHistogramSegmentCollector {
    interval: Interval,
    /// Absent when no document of the segment has a date.
    dates: Option<Column<DateTime>>,
    counts: BTreeMap<Date, u64>,
    undated: u64,
}

impl SegmentCollector for DateHistogramSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.dates.as_ref().and_then(|c| c.first(doc)) {
            Some(date) => {
                let start = self.interval.bucket_start(date.into_utc().date());
                *self.counts.entry(start).or_default() += 1;
            }
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> SegmentCounts {
        (self.counts, self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_between_the_first_and_last_match_are_all_listed() {
        let counts = BTreeMap::from([(date!(2016 - 11 - 01), 2), (date!(2017 - 02 - 01), 5)]);
        let buckets = fill_gaps(Interval::Month, &counts);
        let keys: Vec<(&str, u64)> = buckets.iter().map(|b| (b.key.as_str(), b.count)).collect();
        assert_eq!(
            keys,
            [
                ("2016-11", 2),
                ("2016-12", 0),
                ("2017-01", 0),
                ("2017-02", 5)
            ]
        );
    }

    #[test]
    fn buckets_start_on_the_first_day_of_their_period() {
        let day = date!(2017 - 03 - 05);
        assert_eq!(Interval::Day.bucket_start(day), day);
        assert_eq!(Interval::Month.bucket_start(day), date!(2017 - 03 - 01));
        assert_eq!(Interval::Year.bucket_start(day), date!(2017 - 01 - 01));
        assert_eq!(Interval::Year.label(date!(2017 - 01 - 01)), "2017");
        assert_eq!(Interval::Day.label(day), "2017-03-05");
        assert_eq!(
            Interval::Day.next_bucket(date!(2016 - 02 - 28)),
            Some(date!(2016 - 02 - 29))
        );
    }

    #[test]
    fn no_dated_match_means_no_buckets() {
        assert!(fill_gaps(Interval::Year, &BTreeMap::new()).is_empty());
    }
}
