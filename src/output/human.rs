//! Output for people: one block per hit with the headline, where the article comes from, and
//! a snippet whose matching words are highlighted in colour on a terminal.
//!
//! Arabic text is written in logical order, as stored; the terminal lays it out right to left.

use std::io::{self, Write};

use crate::index::IndexStats;
use crate::search::{Highlight, Hit, SearchResults};

/// ANSI styles, or none when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// Colour on (`true`) or plain text.
    pub fn new(colour: bool) -> Style {
        Style { colour }
    }

    pub(crate) fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn matched(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
}

/// Writes every hit, the facets and histogram when asked for, then a one-line summary.
pub fn write_results(out: &mut dyn Write, results: &SearchResults, style: Style) -> io::Result<()> {
    if let Some(about) = &results.similar_to {
        super::topics::write_similar_to(out, about, style)?;
    }
    for hit in &results.hits {
        write_hit(out, hit, style)?;
    }
    if let Some(facets) = &results.facets {
        super::topics::write_facets(out, facets, style)?;
    }
    if let Some(histogram) = &results.histogram {
        super::topics::write_histogram(out, histogram, style)?;
    }
    writeln!(out, "{}", style.dim(&summary_line(results)))
}

/// What was searched besides the words as typed, one line each (written before the hits, on
/// stderr): the words the index does not know and what was searched instead, as typed and as
/// the articles write them; and the spellings of a name the archive showed to be the same name.
pub fn write_corrections(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    for correction in &results.corrected {
        let typed = non_empty(&correction.as_typed, &correction.typed);
        let found = non_empty(&correction.as_found, &correction.corrected);
        writeln!(
            out,
            "fahras: searched for «{found}» instead of «{typed}», which no article has \
             (--ranking correct=0 searches as typed)"
        )?;
    }
    for found in &results.discovered {
        writeln!(
            out,
            "fahras: also searched for «{}», a spelling of «{}» the archive shows to be the same \
             name (fahras aliases suggest {} gives the evidence)",
            found.spelling, found.typed, found.typed
        )?;
    }
    Ok(())
}

fn non_empty<'a>(text: &'a str, otherwise: &'a str) -> &'a str {
    if text.is_empty() { otherwise } else { text }
}

/// `1–10 of 142 hits for «…» (0.8 ms)`, `3 hits for «…»`, `1 hit for «…»`, `no hits for «…»`.
pub fn summary_line(results: &SearchResults) -> String {
    let asked = match &results.similar_to {
        None => format!("«{}»", results.query),
        Some(about) if results.query.is_empty() => format!("articles like {}", about.id),
        Some(about) => format!("«{}» like {}", results.query, about.id),
    };
    let total = results.total_hits;
    let hits = if total == 1 { "hit" } else { "hits" };
    let took = format!("({:.1} ms)", results.took_ms);
    let (Some(first), Some(last)) = (results.hits.first(), results.hits.last()) else {
        return match total {
            0 => format!("no hits for {asked}"),
            _ => format!("{total} {hits} for {asked}, none shown {took}"),
        };
    };
    if first.rank == 1 && last.rank == total {
        format!("{total} {hits} for {asked} {took}")
    } else if first.rank == last.rank {
        format!("hit {} of {total} for {asked} {took}", first.rank)
    } else {
        format!(
            "{}–{} of {total} {hits} for {asked} {took}",
            first.rank, last.rank
        )
    }
}

fn write_hit(out: &mut dyn Write, hit: &Hit, style: Style) -> io::Result<()> {
    let title = highlighted_within(&hit.title, &hit.title_highlights, style, BOLD);
    writeln!(
        out,
        "{} {}  {}",
        style.bold(&format!("{}.", hit.rank)),
        style.paint(BOLD, &title),
        style.dim(&format!("[{:.2}]", hit.score))
    )?;
    let mut about = vec![hit.id.clone()];
    if hit.path != hit.id {
        about.push(hit.path.clone());
    }
    if let Some(date) = &hit.date {
        about.push(date.chars().take(10).collect());
    }
    about.extend(hit.source.clone());
    about.extend(hit.place.clone());
    about.extend(hit.category.clone());
    writeln!(out, "   {}", style.paint("35", &about.join(" · ")))?;
    if !hit.snippet.text.is_empty() {
        let mut text = highlighted(&hit.snippet.text, &hit.snippet.highlights, style);
        if hit.snippet.cut_before {
            text.insert(0, '…');
        }
        if hit.snippet.cut_after {
            text.push('…');
        }
        writeln!(out, "   {text}")?;
    }
    writeln!(out)
}

/// The ANSI code of bold text.
const BOLD: &str = "1";

/// `text` with the character ranges of `highlights` painted.
fn highlighted(text: &str, highlights: &[Highlight], style: Style) -> String {
    highlighted_within(text, highlights, style, "")
}

/// [`highlighted`] for text painted `outer` as a whole: a match's reset ends every style, so
/// `outer` is turned on again after each match (else a bold headline is bold only up to its
/// first match).
fn highlighted_within(text: &str, highlights: &[Highlight], style: Style, outer: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + highlights.len() * 12);
    let mut at = 0;
    for h in highlights {
        let (start, end) = (h.start.min(chars.len()), h.end.min(chars.len()));
        if start < at {
            continue;
        }
        out.extend(&chars[at..start]);
        out.push_str(&style.matched(&chars[start..end].iter().collect::<String>()));
        if style.colour && !outer.is_empty() {
            out.push_str(&format!("\x1b[{outer}m"));
        }
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

/// Writes `fahras stats`.
pub fn write_stats(out: &mut dyn Write, stats: &IndexStats) -> io::Result<()> {
    writeln!(out, "index:          {}", stats.path.display())?;
    writeln!(out, "documents:      {}", stats.documents)?;
    writeln!(out, "distinct terms: {}", stats.distinct_terms)?;
    writeln!(out, "segments:       {}", stats.segments)?;
    writeln!(out, "size on disk:   {}", human_bytes(stats.size_bytes))?;
    match &stats.last_ingest {
        Some(last) => writeln!(
            out,
            "last ingest:    {} from {} ({} articles, {} skipped, {:.1} s)",
            last.finished_at, last.source, last.articles, last.skipped, last.seconds
        ),
        None => writeln!(out, "last ingest:    never"),
    }
}

/// `1536` → `1.5 KiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_painted_by_character_not_byte() {
        let text = "قال لافروف إن";
        let hl = [Highlight { start: 4, end: 10 }];
        assert_eq!(
            highlighted(text, &hl, Style::new(true)),
            "قال \x1b[1;31mلافروف\x1b[0m إن"
        );
        assert_eq!(highlighted(text, &hl, Style::new(false)), text);
    }

    /// Regression: `--color always` lost the headline's bold after its first highlight.
    #[test]
    fn a_headline_stays_bold_after_each_highlight() {
        let title = "لافروف يبحث مع بلينكن الأزمة";
        let hl = [
            Highlight { start: 0, end: 6 },
            Highlight { start: 15, end: 21 },
        ];
        let painted = Style::new(true).paint(
            BOLD,
            &highlighted_within(title, &hl, Style::new(true), BOLD),
        );
        assert_eq!(
            painted,
            "\x1b[1m\x1b[1;31mلافروف\x1b[0m\x1b[1m يبحث مع \x1b[1;31mبلينكن\x1b[0m\x1b[1m الأزمة\x1b[0m"
        );
    }

    #[test]
    fn bytes_for_people() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
