//! What exploring a topic adds to the output for people: the article related articles are
//! like, facet counts (one block per facet) and date histograms (one bar per period).

use std::io::{self, Write};

use super::human::Style;
use crate::search::{FacetCounts, Histogram, KeyTerms, SimilarTo};

/// Writes which article the hits are like, and the words they were found by.
pub fn write_similar_to(out: &mut dyn Write, about: &SimilarTo, style: Style) -> io::Result<()> {
    writeln!(out, "{} {}", style.dim("like"), style.bold(&about.title))?;
    writeln!(out, "   {}", style.paint("35", &about.id))?;
    writeln!(out, "   {} {}", style.dim("by"), about.terms.join(" · "))?;
    writeln!(out)
}

/// The longest histogram bar, in characters.
const BAR_WIDTH: u64 = 40;

/// Writes each facet as a block: its name, then one `count  value` line per value.
pub fn write_facets(out: &mut dyn Write, facets: &[FacetCounts], style: Style) -> io::Result<()> {
    for facet in facets {
        writeln!(out, "{}", style.bold(&facet.field))?;
        let mut lines: Vec<(u64, String)> = facet
            .values
            .iter()
            .map(|v| (v.count, v.value.clone()))
            .collect();
        if facet.other > 0 {
            lines.push((facet.other, style.dim("(other values)")));
        }
        if facet.missing > 0 {
            lines.push((facet.missing, style.dim("(none)")));
        }
        let width = count_width(lines.iter().map(|(count, _)| *count));
        for (count, value) in lines {
            writeln!(out, "  {count:>width$}  {value}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Runs of at least this many empty periods are written as one line.
const COLLAPSED_RUN: usize = 3;

/// Writes a histogram: one `period  count  bar` line per bucket (a long run of empty periods
/// as one `first … last  0` line), then the undated count.
pub fn write_histogram(out: &mut dyn Write, histogram: &Histogram, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!("by {}", histogram.interval.name()))
    )?;
    let buckets = &histogram.buckets;
    let most = buckets.iter().map(|b| b.count).max().unwrap_or(0);
    let width = count_width(buckets.iter().map(|b| b.count));
    let mut i = 0;
    while i < buckets.len() {
        let empty_run = buckets[i..].iter().take_while(|b| b.count == 0).count();
        if empty_run >= COLLAPSED_RUN {
            let last = &buckets[i + empty_run - 1];
            let span = format!("{} … {}", buckets[i].key, last.key);
            writeln!(out, "  {}  {:>width$}", style.dim(&span), 0)?;
            i += empty_run;
            continue;
        }
        let bucket = &buckets[i];
        // Any non-zero count gets at least one block, so it is told apart from none.
        let bar_len = (bucket.count * BAR_WIDTH).div_ceil(most.max(1));
        let bar = "█".repeat(bar_len as usize);
        writeln!(
            out,
            "  {}  {:>width$}  {}",
            bucket.key,
            bucket.count,
            style.paint("36", &bar)
        )?;
        i += 1;
    }
    if histogram.undated > 0 {
        writeln!(
            out,
            "  {}",
            style.dim(&format!("{} undated", histogram.undated))
        )?;
    }
    writeln!(out)
}

/// Writes the key terms of a query: per term, the matching articles and the articles of the
/// index that have it, with their shares, and its score; then a summary line.
pub fn write_key_terms(out: &mut dyn Write, key_terms: &KeyTerms, style: Style) -> io::Result<()> {
    let share = |part: u64, whole: u64| 100.0 * part as f64 / whole.max(1) as f64;
    let analyzed = key_terms.analyzed as u64;
    if !key_terms.terms.is_empty() {
        writeln!(
            out,
            "{}",
            style.dim("  in matches       in the index          G²  term")
        )?;
    }
    for term in &key_terms.terms {
        writeln!(
            out,
            "  {:>6} {:>5.1}%   {:>6} {:>5.1}%   {:>9.1}  {}",
            term.docs,
            share(term.docs, analyzed),
            term.index_docs,
            share(term.index_docs, key_terms.index_docs),
            term.score,
            style.bold(&term.term)
        )?;
    }
    let sample = if key_terms.analyzed < key_terms.total_hits {
        format!(", the best {} analyzed", key_terms.analyzed)
    } else {
        String::new()
    };
    let summary = match (key_terms.total_hits, key_terms.terms.len()) {
        (0, _) => format!("no hits for «{}»", key_terms.query),
        (hits, 0) if hits as u64 >= key_terms.index_docs => format!(
            "«{}» matches every article ({hits}): no word stands out against the index",
            key_terms.query
        ),
        (hits, 0) => format!(
            "no word stands out in the {hits} hits for «{}»{sample}",
            key_terms.query
        ),
        (hits, _) => format!(
            "key terms of {hits} hits for «{}»{sample}, against {} articles ({:.1} ms)",
            key_terms.query, key_terms.index_docs, key_terms.took_ms
        ),
    };
    writeln!(out, "{}", style.dim(&summary))
}

/// Digits of the largest count.
fn count_width(counts: impl Iterator<Item = u64>) -> usize {
    counts.max().unwrap_or(0).to_string().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Bucket, FacetValue, Interval};

    fn plain<F: Fn(&mut Vec<u8>) -> io::Result<()>>(write: F) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn facet_block_lists_values_then_other_and_none() {
        let facets = [FacetCounts {
            field: "source".into(),
            values: vec![
                FacetValue {
                    value: "Jawhara FM".into(),
                    count: 12,
                },
                FacetValue {
                    value: "سانا".into(),
                    count: 3,
                },
            ],
            other: 1,
            missing: 2,
        }];
        let text = plain(|out| write_facets(out, &facets, Style::new(false)));
        assert_eq!(
            text,
            "source\n  12  Jawhara FM\n   3  سانا\n   1  (other values)\n   2  (none)\n\n"
        );
    }

    #[test]
    fn histogram_bars_scale_to_the_largest_bucket() {
        let histogram = Histogram {
            interval: Interval::Month,
            buckets: vec![
                Bucket {
                    key: "2017-01".into(),
                    count: 10,
                },
                Bucket {
                    key: "2017-02".into(),
                    count: 0,
                },
                Bucket {
                    key: "2017-03".into(),
                    count: 1,
                },
            ]
            .into_iter()
            .chain(["2017-04", "2017-05", "2017-06"].map(|key| Bucket {
                key: key.into(),
                count: 0,
            }))
            .chain([Bucket {
                key: "2017-07".into(),
                count: 2,
            }])
            .collect(),
            undated: 4,
        };
        let text = plain(|out| write_histogram(out, &histogram, Style::new(false)));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "by month");
        assert_eq!(lines[1], format!("  2017-01  10  {}", "█".repeat(40)));
        assert_eq!(lines[2], "  2017-02   0  ");
        assert_eq!(lines[3], "  2017-03   1  ████");
        assert_eq!(lines[4], "  2017-04 … 2017-06   0");
        assert_eq!(lines[5], "  2017-07   2  ████████");
        assert_eq!(lines[6], "  4 undated");
    }
}
