//! `fahras aliases suggest`: candidate spellings of a name with their evidence.

use std::io::{self, Write};

use crate::search::Suggestion;

/// Writes `suggestions` as JSON (`{"suggestions": [...]}`) or one line each: the spelling
/// asked about, the candidate, the score (with `confident` when a person query uses it on its
/// own), the articles of each and of both, and the shared context words.
pub fn write_alias_suggestions(
    out: &mut impl Write,
    suggestions: &[Suggestion],
    json: bool,
) -> io::Result<()> {
    if json {
        let value = serde_json::json!({ "suggestions": suggestions });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        return writeln!(out);
    }
    for s in suggestions {
        writeln!(
            out,
            "{}\t{}\tscore {:.2}{}\t{} / {} articles, {} with both\tshared: {}",
            s.word,
            s.spelling,
            s.score,
            if s.confident { " (confident)" } else { "" },
            s.word_articles,
            s.articles,
            s.together,
            s.shared_context.join(" ")
        )?;
    }
    Ok(())
}

/// Writes one group of `fahras aliases list` (and what `aliases add` made): its spellings on
/// one line, tab-separated.
pub fn write_alias_group(out: &mut dyn Write, group: &[String]) -> io::Result<()> {
    writeln!(out, "{}", group.join("\t"))
}
