//! `fahras analyze`: how the analyzer reads a text, and how a query's words are looked up.

use std::io::{self, Write};

use crate::analysis::AnalyzedWord;
use crate::search::QueryWords;

/// One line per word of `text`: its position, its character offsets, the word as written,
/// its exact term and its stemmed terms.
pub fn write_text_analysis(
    out: &mut dyn Write,
    text: &str,
    words: &[AnalyzedWord],
) -> io::Result<()> {
    writeln!(out, "position\tchars\twritten\texact\tstemmed")?;
    for word in words {
        let chars_before = text[..word.start].chars().count();
        let len = text[word.start..word.end].chars().count();
        writeln!(
            out,
            "{}\t{}..{}\t{}\t{}\t{}",
            word.position,
            chars_before,
            chars_before + len,
            &text[word.start..word.end],
            word.exact,
            word.stems.join(" | ")
        )?;
    }
    Ok(())
}

/// One line per word the ranking uses (its role, exact term and the stems it looks up), then
/// the corrections of unknown words and the stop words dropped.
pub fn write_query_analysis(out: &mut dyn Write, words: &QueryWords) -> io::Result<()> {
    writeln!(out, "role\texact\tstems looked up")?;
    for word in &words.words {
        let role = if word.alone { "word" } else { "in phrase" };
        writeln!(out, "{role}\t{}\t{}", word.exact, word.stems.join(" | "))?;
    }
    for correction in &words.corrections {
        writeln!(
            out,
            "corrected: {} -> {} (the index does not know {})",
            correction.typed, correction.corrected, correction.typed
        )?;
    }
    if !words.dropped_stop_words.is_empty() {
        writeln!(
            out,
            "stop words dropped: {}",
            words.dropped_stop_words.join(" ")
        )?;
    }
    Ok(())
}
