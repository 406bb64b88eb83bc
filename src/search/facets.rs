//! Facets: how the articles matching a query divide by source, place, category, author and
//! year, so a user sees who covered a story and when.
//!
//! Counts come from fast fields (the metadata values as written, and the publication date),
//! read per matching document by a collector; no stored document is loaded.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentReader};

/// A field matching articles can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetField {
    /// Publisher or agency.
    Source,
    /// Dateline place.
    Place,
    /// Section or category.
    Category,
    /// Author.
    Author,
    /// Year of publication (UTC).
    Year,
}

impl FacetField {
    /// Every facet, in the order `--facets` lists them.
    pub const ALL: [FacetField; 5] = [
        FacetField::Source,
        FacetField::Place,
        FacetField::Category,
        FacetField::Author,
        FacetField::Year,
    ];

    /// The facet's name, as in `--facets` and the JSON output.
    pub fn name(self) -> &'static str {
        match self {
            FacetField::Source => "source",
            FacetField::Place => "place",
            FacetField::Category => "category",
            FacetField::Author => "author",
            FacetField::Year => "year",
        }
    }

    /// The facet called `name` (`source`, `place`, `category`, `author`, `year`).
    pub fn from_name(name: &str) -> Option<FacetField> {
        FacetField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The fast field the facet reads.
    fn column_name(self) -> &'static str {
        match self {
            FacetField::Year => "date",
            other => other.name(),
        }
    }
}

/// The counts of one facet over the matching articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// The facet's name (`source`, `year`, …).
    pub field: String,
    /// The most frequent values, most frequent first (ties by value); for `year`, every year
    /// in order.
    pub values: Vec<FacetValue>,
    /// Matching articles whose value is not among `values` (beyond the facet limit).
    pub other: u64,
    /// Matching articles without a value (no source, no date, …).
    pub missing: u64,
}

/// One value of a facet and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value as the articles wrote it (`Jawhara FM`, `سانا`), or the year (`2017`).
    pub value: String,
    /// Matching articles with this value.
    pub count: u64,
}

/// Counts the matching documents per value of each requested facet.
pub struct FacetsCollector {
    fields: Vec<FacetField>,
    limit: usize,
}

impl FacetsCollector {
    /// Counts `fields`, keeping the `limit` most frequent values of each (years are all kept).
    pub fn new(fields: &[FacetField], limit: usize) -> FacetsCollector {
        let mut unique = Vec::with_capacity(fields.len());
        for &field in fields {
            if !unique.contains(&field) {
                unique.push(field);
            }
        }
        FacetsCollector {
            fields: unique,
            limit,
        }
    }
}

/// The raw counts of one facet: value → matching documents, and documents without a value.
#[derive(Debug, Default)]
pub struct FacetTally {
    counts: HashMap<String, u64>,
    missing: u64,
}

impl Collector for FacetsCollector {
    type Fruit = Vec<FacetCounts>;
    type Child = FacetsSegmentCollector;

    fn for_segment(
        &self,
        _segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetsSegmentCollector> {
        let fast = reader.fast_fields();
        let mut counters = Vec::with_capacity(self.fields.len());
        for &field in &self.fields {
            counters.push(match field {
                FacetField::Year => {
                    SegmentCounter::Year(fast.column_opt(field.column_name())?, HashMap::new(), 0)
                }
                _ => {
                    let column = fast.str(field.column_name())?;
                    let terms = column.as_ref().map_or(0, |c| c.num_terms());
                    SegmentCounter::Text(column, vec![0; terms], 0)
                }
            });
        }
        Ok(FacetsSegmentCollector { counters })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<FacetTally>>) -> tantivy::Result<Vec<FacetCounts>> {
        let mut merged: Vec<FacetTally> =
            self.fields.iter().map(|_| FacetTally::default()).collect();
        for segment in segments {
            for (total, tally) in merged.iter_mut().zip(segment) {
                total.missing += tally.missing;
                for (value, count) in tally.counts {
                    *total.counts.entry(value).or_default() += count;
                }
            }
        }
        Ok(self
            .fields
            .iter()
            .zip(merged)
            .map(|(&field, tally)| facet_counts(field, tally, self.limit))
            .collect())
    }
}

/// Sorts and cuts one facet's tally: years in order, other values by count.
fn facet_counts(field: FacetField, tally: FacetTally, limit: usize) -> FacetCounts {
    let mut values: Vec<FacetValue> = tally
        .counts
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    let mut other = 0;
    if field == FacetField::Year {
        values.sort_by(|a, b| a.value.cmp(&b.value));
    } else {
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        if values.len() > limit {
            other = values[limit..].iter().map(|v| v.count).sum();
            values.truncate(limit);
        }
    }
    FacetCounts {
        field: field.name().to_string(),
        values,
        other,
        missing: tally.missing,
    }
}

/// The counts of one facet in one segment.
enum SegmentCounter {
    /// A text fast field (absent when no document of the segment has a value): count per
    /// term ordinal, and documents without a value.
    Text(Option<StrColumn>, Vec<u64>, u64),
    /// The date fast field: count per year, and undated documents.
    Year(Option<Column<DateTime>>, HashMap<i32, u64>, u64),
}

/// [`FacetsCollector`] on one segment.
pub struct FacetsSegmentCollector {
    counters: Vec<SegmentCounter>,
}

impl SegmentCollector for FacetsSegmentCollector {
    type Fruit = Vec<FacetTally>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for counter in &mut self.counters {
            match counter {
                SegmentCounter::Text(column, counts, missing) => {
                    match column.as_ref().and_then(|c| c.ords().first(doc)) {
                        Some(ord) => counts[ord as usize] += 1,
                        None => *missing += 1,
                    }
                }
                SegmentCounter::Year(column, counts, missing) => {
                    match column.as_ref().and_then(|c| c.first(doc)) {
                        Some(date) => *counts.entry(date.into_utc().year()).or_default() += 1,
                        None => *missing += 1,
                    }
                }
            }
        }
    }

    fn harvest(self) -> Vec<FacetTally> {
        self.counters
            .into_iter()
            .map(|counter| match counter {
                SegmentCounter::Text(column, counts, missing) => {
                    let mut tally = FacetTally {
                        counts: HashMap::new(),
                        missing,
                    };
                    if let Some(column) = column {
                        let mut value = String::new();
                        for (ord, count) in counts.into_iter().enumerate() {
                            // An ordinal of the segment's own dictionary always resolves.
                            if count > 0
                                && column.ord_to_str(ord as u64, &mut value).unwrap_or(false)
                            {
                                tally.counts.insert(value.clone(), count);
                            }
                        }
                    }
                    tally
                }
                SegmentCounter::Year(_, counts, missing) => FacetTally {
                    counts: counts
                        .into_iter()
                        .map(|(year, count)| (year.to_string(), count))
                        .collect(),
                    missing,
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(pairs: &[(&str, u64)], missing: u64) -> FacetTally {
        FacetTally {
            counts: pairs.iter().map(|&(v, c)| (v.to_string(), c)).collect(),
            missing,
        }
    }

    #[test]
    fn text_facets_keep_the_most_frequent_values_and_count_the_rest() {
        let counts = facet_counts(
            FacetField::Source,
            tally(
                &[
                    ("سانا", 5),
                    ("Jawhara FM", 7),
                    ("رويترز", 1),
                    ("الأناضول", 5),
                ],
                2,
            ),
            2,
        );
        let values: Vec<(&str, u64)> = counts
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.count))
            .collect();
        assert_eq!(values, [("Jawhara FM", 7), ("الأناضول", 5)]);
        assert_eq!(counts.other, 6);
        assert_eq!(counts.missing, 2);
    }

    #[test]
    fn years_are_all_kept_in_order() {
        let counts = facet_counts(
            FacetField::Year,
            tally(&[("2023", 1), ("2017", 9), ("2019", 4)], 0),
            1,
        );
        let years: Vec<&str> = counts.values.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(years, ["2017", "2019", "2023"]);
        assert_eq!(counts.other, 0);
    }

    #[test]
    fn names_round_trip() {
        for field in FacetField::ALL {
            assert_eq!(FacetField::from_name(field.name()), Some(field));
        }
        assert_eq!(FacetField::from_name("title"), None);
    }
}
